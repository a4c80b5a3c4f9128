"""The register's schema as numbered steps (data), applied in order.

The version a register file is at lives in ``PRAGMA user_version``; opening a
register runs the steps after it, each in its own transaction, and refuses a file
made by a newer drafter (its version above ``LATEST``). A step is never edited once
released: a change is a new step at the end.

>>> LATEST == len(STEPS)
True
>>> [s.version for s in STEPS] == list(range(1, LATEST + 1))
True
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    version: int
    what: str
    sql: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(1, "the register: counters per series and year, one row per number", (
        """CREATE TABLE counters (
            series TEXT NOT NULL,
            year INTEGER NOT NULL,
            last INTEGER NOT NULL CHECK (last >= 0),
            PRIMARY KEY (series, year)
        )""",
        """CREATE TABLE entries (
            series TEXT NOT NULL,
            year INTEGER NOT NULL,
            so INTEGER NOT NULL CHECK (so >= 1),
            ky_hieu TEXT NOT NULL DEFAULT '',
            ngay TEXT,
            ten_loai TEXT NOT NULL DEFAULT '',
            trich_yeu TEXT NOT NULL DEFAULT '',
            nguoi_ky TEXT NOT NULL DEFAULT '',
            noi_nhan TEXT NOT NULL DEFAULT '[]',
            ban_luu TEXT NOT NULL DEFAULT '[]',
            so_luong_ban INTEGER,
            ngay_chuyen TEXT,
            ky_nhan TEXT NOT NULL DEFAULT '',
            ghi_chu TEXT NOT NULL DEFAULT '',
            loai TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'da-cap' CHECK (status IN ('da-cap', 'da-huy')),
            huy_boi TEXT NOT NULL DEFAULT '',
            huy_ly_do TEXT NOT NULL DEFAULT '',
            file TEXT,
            issued_at TEXT NOT NULL,
            PRIMARY KEY (series, year, so)
        )""",
    )),
    Step(2, "the time of a cancellation, an index for a year's book, the event log", (
        "ALTER TABLE entries ADD COLUMN huy_luc TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX entries_year ON entries (year, series, so)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('cap', 'huy')),
            series TEXT NOT NULL,
            year INTEGER NOT NULL,
            so INTEGER NOT NULL,
            who TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        )""",
        """INSERT INTO events (at, action, series, year, so, detail)
           SELECT issued_at, 'cap', series, year, so, 'trước phiên bản 2' FROM entries
           ORDER BY year, series, so""",
    )),
)

LATEST = STEPS[-1].version


class NewerRegister(Exception):
    """The file's schema is newer than this drafter knows."""

    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, to: int = LATEST) -> list[int]:
    """Apply the steps after the file's version up to ``to``; the versions applied.

    The connection must be in autocommit mode (``isolation_level=None``): each step
    runs in its own ``BEGIN IMMEDIATE`` transaction, so two processes opening an old
    register at once apply each step once (the second sees the new version).
    """
    applied: list[int] = []
    if version(conn) > LATEST:
        raise NewerRegister(version(conn))
    for step in STEPS:
        if step.version > to:
            break
        if version(conn) >= step.version:
            continue  # no write lock taken when there is nothing to do
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version(conn) >= step.version:
                conn.execute("ROLLBACK")
                continue
            for sql in step.sql:
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(step.version)
    return applied
