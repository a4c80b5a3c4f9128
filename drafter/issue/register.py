"""The outgoing register (sổ đăng ký văn bản đi) over SQLite.

One file holds every series of an office. Each number is taken under
``BEGIN IMMEDIATE`` (the database's write lock, held from the read of the last
number to the commit), so processes issuing at the same time never share a number
and never leave a gap. A number once given stays given: cancelling marks the row
``da-huy`` with who and why, and the counter never goes back.

>>> import tempfile, datetime as dt
>>> from drafter.issue.model import RegisterFields
>>> d = Path(tempfile.mkdtemp())
>>> with Register.open(d / "so.sqlite3") as reg:
...     a = reg.issue(series="chung", year=2026, fields=RegisterFields(ky_hieu="QĐ-UBND"))
...     b = reg.issue(series="chung", year=2026, fields=RegisterFields(ky_hieu="UBND-KT"))
...     _ = reg.cancel(series="chung", year=2026, so=1, who="Văn thư", why="Cấp nhầm")
...     [(e.so_ky_hieu, e.status) for e in reg.entries(year=2026)]
[('01/QĐ-UBND', 'da-huy'), ('02/UBND-KT', 'da-cap')]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.issue import migrations
from drafter.issue.model import CANCELLED, ISSUED, Entry, RegisterFields, shown_number

FILE_NAME = "so-dang-ky.sqlite3"
KEY = "so_dang_ky"

#: How long one process waits for another's write lock before giving up (seconds).
#: ``DRAFTER_REGISTER_TIMEOUT`` overrides it (docs/limits.md).
DEFAULT_TIMEOUT_S = 30

_COLUMNS = ("series", "year", "so", "ky_hieu", "ngay", "ten_loai", "trich_yeu", "nguoi_ky",
            "noi_nhan", "ban_luu", "so_luong_ban", "ngay_chuyen", "ky_nhan", "ghi_chu", "loai",
            "status", "huy_boi", "huy_ly_do", "huy_luc", "file", "issued_at")


class RegisterError(DrafterError):
    """The register cannot be opened, read or written; Vietnamese, with the file."""


def default_path() -> Path:
    """``user_data_dir("drafter") / so-dang-ky.sqlite3`` (``DRAFTER_SO_DANG_KY`` wins)."""
    env = os.environ.get("DRAFTER_SO_DANG_KY")
    if env:
        p = Path(env)
        return p / FILE_NAME if p.is_dir() else p
    import platformdirs

    return Path(platformdirs.user_data_dir("drafter", appauthor=False)) / FILE_NAME


def resolve_path(path: str | Path | None) -> Path:
    """A register path the user named: a folder takes ``so-dang-ky.sqlite3`` inside it.

    >>> resolve_path("/tmp").name
    'so-dang-ky.sqlite3'
    """
    if path is None:
        return default_path()
    p = Path(path).expanduser()
    if p.is_dir() or str(path).endswith(("/", os.sep)):
        return p / FILE_NAME
    return p


def _timeout() -> float:
    """Seconds to wait for another process's write lock (``DRAFTER_REGISTER_TIMEOUT``);
    a bad value stops the command naming the variable (drafter.env)."""
    from drafter.env import env_limit

    try:
        return float(env_limit("DRAFTER_REGISTER_TIMEOUT", DEFAULT_TIMEOUT_S))
    except ValueError as exc:
        raise RegisterError(Problem(str(exc), key="DRAFTER_REGISTER_TIMEOUT")) from None


def _problem(path: Path, message: str, hint: str | None = None) -> RegisterError:
    return RegisterError(Problem(message, Position(display_path(path)), key=KEY, hint=hint))


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _fold(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold()


class Register:
    """One register file. Use ``Register.open(path)`` as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True) -> Register:
        """Open (and create, migrate) the register at ``path`` (a file or a folder).

        Refuses, in Vietnamese with the file: a file that is not a register (not
        SQLite, or SQLite without the register's tables), one made by a newer drafter,
        one locked by another process longer than the timeout, a folder that cannot
        be made.
        """
        p = resolve_path(path)
        if p.exists() and not p.is_file():
            raise _problem(p, "Sổ đăng ký phải là một tệp, đây là một thư mục hoặc tệp đặc biệt.")
        if not p.exists():
            if not create:
                raise _problem(p, "Chưa có sổ đăng ký ở đường dẫn này.",
                               "Cấp số lần đầu (drafter cap-so) sẽ tạo sổ, hoặc kiểm tra lại --so-dang-ky.")
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _problem(p, f"Không tạo được thư mục của sổ đăng ký: {_os_words(exc)}.") from None
        else:
            _check_header(p)
        try:
            conn = sqlite3.connect(str(p), timeout=_timeout(), isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise _problem(p, f"Không mở được sổ đăng ký ({_sqlite_words(exc)}).") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(_timeout() * 1000)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # e.g. a network share without shared memory
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _check_is_register(conn, p)
            migrations.migrate(conn)
        except migrations.NewerRegister as exc:
            conn.close()
            raise _problem(p, f"Sổ đăng ký này do một phiên bản drafter mới hơn tạo (lược đồ {exc.found}, "
                              f"phiên bản này đọc đến {migrations.LATEST}).",
                           "Cập nhật drafter rồi mở lại; đừng sửa tệp sổ bằng tay.") from None
        except RegisterError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise _problem(p, f"Không mở được sổ đăng ký ({_sqlite_words(exc)}).",
                           _sqlite_hint(exc)) from None
        return cls(conn, p)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Register:  # noqa: PYI034 - no subclass of it
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return migrations.version(self._conn)

    # -- issuing ---------------------------------------------------------------
    def issue(self, *, series: str, year: int, fields: RegisterFields, file: str | None = None,
              before_commit: Callable[[Entry], None] | None = None) -> Entry:
        """Take the next number of (series, year), record it and return the entry.

        ``before_commit(entry)`` runs while the number is held (inside the write
        transaction): write the numbered document there. If it raises, nothing is
        recorded and the number stays free for the next document — a number is
        neither lost to a document that was never written nor given twice.
        """
        series = _check_series(series, self.path)
        year = _check_year(year, self.path)
        conn = self._conn
        try:
            self._begin()
            try:
                row = conn.execute("SELECT last FROM counters WHERE series = ? AND year = ?",
                                   (series, year)).fetchone()
                top = conn.execute("SELECT MAX(so) FROM entries WHERE series = ? AND year = ?",
                                   (series, year)).fetchone()[0]
                so = max(row[0] if row else 0, top or 0) + 1
                self._check_order(series, year, fields.ngay)
                entry = Entry.from_fields(fields, so=so, series=series, year=year,
                                          issued_at=_now(), file=file)
                if before_commit is not None:
                    before_commit(entry)
                conn.execute("INSERT INTO counters (series, year, last) VALUES (?, ?, ?) "
                             "ON CONFLICT (series, year) DO UPDATE SET last = excluded.last",
                             (series, year, so))
                conn.execute(f"INSERT INTO entries ({', '.join(_COLUMNS)}) "
                             f"VALUES ({', '.join('?' * len(_COLUMNS))})", _row(entry))
                conn.execute("INSERT INTO events (at, action, series, year, so, who, detail) "
                             "VALUES (?, 'cap', ?, ?, ?, '', ?)",
                             (entry.issued_at, series, year, so, file or ""))
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        except sqlite3.Error as exc:
            raise _problem(self.path, f"Không ghi được vào sổ đăng ký ({_sqlite_words(exc)}); "
                                      "chưa cấp số nào.", _sqlite_hint(exc)) from None
        return entry

    def _check_order(self, series: str, year: int, ngay: dt.date | None) -> None:
        """Numbers follow the order of issuing (FORMAT.md: from 01 on 1 January): a new
        number dated before a number already given in the series is a back-dated one.
        Cancelled numbers do not count (their date may be the very mistake)."""
        if ngay is None:
            return
        later = self._conn.execute(
            "SELECT so, ngay FROM entries WHERE series = ? AND year = ? AND status != ? "
            "AND ngay IS NOT NULL AND ngay > ? ORDER BY ngay DESC, so DESC LIMIT 1",
            (series, year, CANCELLED, ngay.isoformat())).fetchone()
        if later is None:
            return
        so, day = int(later[0]), dt.date.fromisoformat(later[1])
        raise _problem(
            self.path,
            f"Ngày ban hành {ngay:%d/%m/%Y} sớm hơn ngày {day:%d/%m/%Y} của số {shown_number(so)} đã cấp "
            f"trong sổ «{series}» năm {year}: số văn bản cấp theo thứ tự thời gian, số sau không mang "
            "ngày trước. Chưa cấp số nào.",
            f"Kiểm tra lại ngày ban hành; nếu số {shown_number(so)} mang nhầm ngày, hủy nó "
            f"(drafter huy-so {so} --nam {year} --nguoi-huy … --ly-do …) rồi cấp lại.")

    def cancel(self, *, series: str, year: int, so: int, who: str, why: str) -> Entry:
        """Mark a number cancelled (``da-huy``) with who and why; it is never given again."""
        if not who.strip():
            raise _problem(self.path, "Hủy số cần ghi người hủy.", "Thêm --nguoi-huy \"Họ tên\".")
        if not why.strip():
            raise _problem(self.path, "Hủy số cần ghi lý do.", "Thêm --ly-do \"…\".")
        conn = self._conn
        try:
            self._begin()
            try:
                found = self._get(series, year, so)
                if found is None:
                    raise _problem(self.path, f"Sổ không có số {so:02d} của sổ '{series}' năm {year}.")
                if found.cancelled:
                    raise _problem(self.path, f"Số {found.so_ky_hieu} năm {year} đã hủy trước đó "
                                              f"({found.huy_boi}: {found.huy_ly_do}).")
                at = _now()
                conn.execute("UPDATE entries SET status = ?, huy_boi = ?, huy_ly_do = ?, huy_luc = ? "
                             "WHERE series = ? AND year = ? AND so = ?",
                             (CANCELLED, who.strip(), why.strip(), at, series, year, so))
                conn.execute("INSERT INTO events (at, action, series, year, so, who, detail) "
                             "VALUES (?, 'huy', ?, ?, ?, ?, ?)", (at, series, year, so, who.strip(), why.strip()))
                entry = self._get(series, year, so)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        except sqlite3.Error as exc:
            raise _problem(self.path, f"Không ghi được vào sổ đăng ký ({_sqlite_words(exc)}).",
                           _sqlite_hint(exc)) from None
        assert entry is not None
        return entry

    # -- reading ---------------------------------------------------------------
    def get(self, *, series: str, year: int, so: int) -> Entry | None:
        try:
            return self._get(series, year, so)
        except sqlite3.Error as exc:
            raise _problem(self.path, f"Không đọc được sổ đăng ký ({_sqlite_words(exc)}).") from None

    def entries(self, *, year: int | None = None, series: str | None = None, loai: str | None = None,
                nguoi_ky: str | None = None, text: str | None = None) -> list[Entry]:
        """The rows matching every filter given, in number order (year, series, số).

        ``nguoi_ky`` and ``text`` match a part, ignoring case (Vietnamese letters
        included); ``text`` looks in the ký hiệu, tên loại, trích yếu, nơi nhận, bản lưu
        and ghi chú.
        """
        where, args = [], []
        for col, val in (("year", year), ("series", series), ("loai", loai)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM entries"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY year, series, so"
        try:
            rows = [_entry(r) for r in self._conn.execute(sql, args)]
        except sqlite3.Error as exc:
            raise _problem(self.path, f"Không đọc được sổ đăng ký ({_sqlite_words(exc)}).",
                           _sqlite_hint(exc)) from None
        if nguoi_ky:
            want = _fold(nguoi_ky)
            rows = [e for e in rows if want in _fold(e.nguoi_ky)]
        if text:
            want = _fold(text)
            rows = [e for e in rows if want in _fold(" ".join(
                [e.ky_hieu, e.ten_loai, e.trich_yeu, e.ghi_chu, *e.noi_nhan, *e.ban_luu]))]
        return rows

    def last_number(self, *, series: str, year: int) -> int:
        """The last number given in (series, year), 0 before the first."""
        row = self._conn.execute("SELECT last FROM counters WHERE series = ? AND year = ?",
                                 (series, year)).fetchone()
        return int(row[0]) if row else 0

    def series_list(self) -> list[tuple[str, int, int]]:
        """(series, year, last number) of every series used, by year then series."""
        return [(s, int(y), int(n)) for s, y, n in self._conn.execute(
            "SELECT series, year, last FROM counters ORDER BY year, series")]

    # -- backup ----------------------------------------------------------------
    def backup(self, dest: str | Path) -> Path:
        """Copy the register to ``dest`` (a file, or a folder: a dated name inside it)
        with SQLite's online backup, then open the copy and check it (integrity and
        the same rows). Written beside the target and renamed, so a half copy is never
        left under the name."""
        d = Path(dest).expanduser()
        if d.is_dir():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            d = d / f"so-dang-ky-{stamp}.sqlite3"
        if d.exists():
            raise _problem(d, "Đã có tệp ở đích sao lưu; không ghi đè.", "Chọn tên khác hoặc một thư mục.")
        if d.resolve() == self.path.resolve():
            raise _problem(d, "Đích sao lưu trùng chính tệp sổ đăng ký.")
        tmp = d.with_name(f".{d.name}.{os.getpid()}.tmp")
        try:
            d.parent.mkdir(parents=True, exist_ok=True)
            target = sqlite3.connect(str(tmp))
            try:
                self._conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            _verify_copy(tmp, self._count())
            os.replace(tmp, d)
        except OSError as exc:
            _unlink(tmp)
            raise _problem(d, f"Không ghi được bản sao lưu: {_os_words(exc)}.") from None
        except sqlite3.Error as exc:
            _unlink(tmp)
            raise _problem(d, f"Sao lưu không thành ({_sqlite_words(exc)}).") from None
        except RegisterError:
            _unlink(tmp)
            raise
        return d

    # -- internals -------------------------------------------------------------
    def _begin(self) -> None:
        # sqlite's own busy handler waits up to the timeout; a second loop covers
        # the rare SQLITE_BUSY returned at once (a WAL snapshot upgrade).
        deadline = time.monotonic() + _timeout()
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _get(self, series: str, year: int, so: int) -> Entry | None:
        row = self._conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM entries "
                                 "WHERE series = ? AND year = ? AND so = ?", (series, year, so)).fetchone()
        return _entry(row) if row else None

    def _count(self) -> tuple[int, int]:
        a = self._conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        b = self._conn.execute("SELECT COALESCE(SUM(last), 0) FROM counters").fetchone()[0]
        return int(a), int(b)


# -- helpers -------------------------------------------------------------------
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_header(p: Path) -> None:
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise _problem(p, f"Không đọc được sổ đăng ký: {_os_words(exc)}.") from None
    if head and head != _SQLITE_MAGIC:
        raise _problem(p, "Tệp này không phải sổ đăng ký của drafter (không phải cơ sở dữ liệu SQLite).",
                       "Kiểm tra lại đường dẫn --so-dang-ky hoặc khóa so_dang_ky.thu_muc của mẫu dùng chung.")


def _check_is_register(conn: sqlite3.Connection, p: Path) -> None:
    if migrations.version(conn) > 0:
        return
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if tables:
        raise _problem(p, "Tệp SQLite này không phải sổ đăng ký của drafter (có bảng khác: "
                          f"{', '.join(sorted(tables)[:5])}).",
                       "Kiểm tra lại đường dẫn --so-dang-ky hoặc khóa so_dang_ky.thu_muc của mẫu dùng chung.")


def _verify_copy(path: Path, expected: tuple[int, int]) -> None:
    conn = sqlite3.connect(str(path))
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        a = conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        b = conn.execute("SELECT COALESCE(SUM(last), 0) FROM counters").fetchone()[0]
    finally:
        conn.close()
    if ok != "ok" or (int(a), int(b)) != expected:
        raise _problem(path, "Bản sao lưu đọc lại không khớp sổ đăng ký; đã bỏ bản sao.")


def _check_series(series: str, path: Path) -> str:
    s = (series or "").strip()
    if not s or len(s) > 64:
        raise _problem(path, f"Tên sổ (series) '{series}' không hợp lệ: cần 1–64 ký tự.", key_hint())
    return s


def key_hint() -> str:
    return "Xem khóa so_dang_ky.so trong docs/khoa-ban-thao.md."


def _check_year(year: int, path: Path) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise _problem(path, f"Năm '{year}' không hợp lệ cho sổ đăng ký.")
    return year


def _row(e: Entry) -> tuple[Any, ...]:
    def d(v: dt.date | None) -> str | None:
        return v.isoformat() if v else None

    return (e.series, e.year, e.so, e.ky_hieu, d(e.ngay), e.ten_loai, e.trich_yeu, e.nguoi_ky,
            json.dumps(list(e.noi_nhan), ensure_ascii=False), json.dumps(list(e.ban_luu), ensure_ascii=False),
            e.so_luong_ban, d(e.ngay_chuyen), e.ky_nhan, e.ghi_chu, e.loai,
            e.status, e.huy_boi, e.huy_ly_do, e.huy_luc, e.file, e.issued_at)


def _entry(r: tuple[Any, ...]) -> Entry:
    v = dict(zip(_COLUMNS, r))

    def d(s: str | None) -> dt.date | None:
        return dt.date.fromisoformat(s) if s else None

    v["ngay"] = d(v["ngay"])
    v["ngay_chuyen"] = d(v["ngay_chuyen"])
    v["noi_nhan"] = list(json.loads(v["noi_nhan"] or "[]"))
    v["ban_luu"] = list(json.loads(v["ban_luu"] or "[]"))
    v["status"] = ISSUED if v["status"] != CANCELLED else CANCELLED
    return Entry(**v)


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except OSError:
        pass


def _os_words(exc: OSError) -> str:
    from drafter.errors import read_refusal

    return read_refusal(exc)


def _sqlite_words(exc: sqlite3.Error) -> str:
    s = str(exc).lower()
    if "locked" in s or "busy" in s:
        return "sổ đang bị một chương trình khác giữ khóa ghi quá lâu"
    if "not a database" in s or "malformed" in s or "file is encrypted" in s:
        return "tệp hỏng hoặc không phải cơ sở dữ liệu SQLite"
    if "readonly" in s or "read-only" in s:
        return "tệp chỉ đọc, không ghi được"
    if "unable to open" in s:
        return "không mở được tệp (kiểm tra quyền và thư mục)"
    if "disk" in s and "full" in s:
        return "ổ đĩa đã đầy"
    if "disk i/o" in s:
        return "lỗi đọc ghi đĩa"
    return "cơ sở dữ liệu từ chối thao tác"


def _sqlite_hint(exc: sqlite3.Error) -> str | None:
    s = str(exc).lower()
    if "locked" in s or "busy" in s:
        return ("Đợi chương trình kia xong rồi chạy lại; có thể tăng thời gian chờ bằng biến "
                "DRAFTER_REGISTER_TIMEOUT (giây).")
    if "not a database" in s or "malformed" in s:
        return "Mở bản sao lưu gần nhất (drafter so-di --sao-luu làm bản sao lưu)."
    return None
