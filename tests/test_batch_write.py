"""A batch's documents are written by straight system calls on an unnamed file
(issue 19 point 2): the same rule as every output (nothing replaced without --force,
a document that does not read back whole never takes a name), one look at the name
per row. Each test runs the real batch and opens what it made."""

from __future__ import annotations

import csv
import errno
import json
import os
import zipfile
from pathlib import Path

import pytest

from drafter import batch
from drafter.package import atomic
from tests.batch_drafts import ONE_ROW_CONG_VAN

pytestmark = pytest.mark.skipif(not atomic._O_TMPFILE, reason="no unnamed temporary files on this system")


@pytest.fixture
def desk(tmp_path):
    (tmp_path / "draft.yaml").write_text(ONE_ROW_CONG_VAN, encoding="utf-8")
    with (tmp_path / "data.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["ma", "ten", "kinh_phi"]] + [[f"{i:02d}", f"Xã Số {i}", str(100 + i)]
                                                              for i in range(1, 4)])
    return tmp_path


def run(desk: Path, out: str = "out", **kw) -> batch.BatchResult:
    return batch.run(desk / "draft.yaml", desk / "data.csv", desk / out, name="{ma}", **kw)


def opens(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return z.testzip() is None and "word/document.xml" in z.namelist()


def left_over(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def counting(monkeypatch, name: str) -> list:
    calls: list = []
    real = getattr(os, name)

    def counted(*a, **k):
        calls.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(os, name, counted)  # the one os module: batch's and posixpath's too
    return calls


def test_a_new_document_is_not_looked_up_and_is_written_whole(desk, monkeypatch):
    lstats = counting(monkeypatch, "lstat")
    r = run(desk)
    monkeypatch.undo()
    out = desk / "out"
    assert r.ok == 3 and r.failed == 0
    docs = sorted(out.glob("*.docx"))
    assert [p.name for p in docs] == ["01.docx", "02.docx", "03.docx"] and all(opens(p) for p in docs)
    # No look at a document's name in a folder listed when the batch started (it held
    # none of them), none by the writer: the final link alone refuses a file made since.
    assert [p for p in lstats if str(p).startswith(str(out)) and str(p).endswith(".docx")] == []
    assert left_over(out) == []
    # The same bytes as the writer's general way (a file object on the unnamed file).
    again = run(desk, "again", force=True)
    assert again.ok == 3
    assert all((desk / "again" / p.name).read_bytes() == p.read_bytes() for p in docs)


def test_a_document_made_meanwhile_by_another_program_stays(desk, monkeypatch):
    """The name was free when the row started; Word saved a file there while the row
    was made: the link refuses it, the file stays byte for byte, the row is kept."""
    out = desk / "out"
    out.mkdir()
    real = atomic._create_anonymous

    def someone_saves(directory, name):
        if name == "02.docx":
            (Path(directory) / name).write_bytes(b"the clerk's own")
        return real(directory, name)

    monkeypatch.setattr(atomic, "_create_anonymous", someone_saves)
    r = run(desk)
    monkeypatch.undo()
    assert (out / "02.docx").read_bytes() == b"the clerk's own"
    rows = {o.row: o for o in r.outcomes}
    assert rows[3].status == batch.KEPT and "giữ nguyên" in rows[3].message
    assert r.ok == 2 and opens(out / "01.docx") and opens(out / "03.docx") and left_over(out) == []


def test_short_writes_are_written_on_until_whole(desk, monkeypatch):
    real = os.write

    def short(fd, data):  # a slow disk or a signal: a part of it each time
        return real(fd, bytes(memoryview(data)[:1000]))

    monkeypatch.setattr(atomic.os, "write", short)
    r = run(desk)
    monkeypatch.undo()
    assert r.ok == 3 and all(opens(p) for p in (desk / "out").glob("*.docx"))
    assert run(desk, "plain").ok == 3
    assert all((desk / "plain" / p.name).read_bytes() == p.read_bytes() for p in (desk / "out").glob("*.docx"))


@pytest.mark.parametrize("damage", ["enospc", "zeros", "shorter", "longer"])
def test_a_document_that_does_not_read_back_takes_no_name(desk, monkeypatch, damage):
    real_write, real_pread = os.write, os.pread
    if damage == "enospc":
        def write(fd, data):
            real_write(fd, bytes(memoryview(data)[: len(data) // 2]))  # half of it lands, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(atomic.os, "write", write)
    else:
        made, real_create = set(), atomic._create_anonymous

        def create(directory, name):
            fd = real_create(directory, name)
            made.add(fd)
            return fd

        def pread(fd, n, at):  # a document's unnamed file (not the batch's spools) reads back wrong
            got = real_pread(fd, n, at)
            if fd not in made:
                return got
            return {"zeros": bytes(len(got)), "shorter": got[:-1], "longer": got + b"\0"}[damage]

        monkeypatch.setattr(atomic, "_create_anonymous", create)
        monkeypatch.setattr(atomic.os, "pread", pread)
    r = run(desk)
    monkeypatch.undo()
    out = desk / "out"
    assert r.ok == 0 and r.failed == 3
    assert list(out.glob("*.docx")) == [] and left_over(out) == []
    message = next(iter(r.outcomes)).message
    assert message.startswith("Không ghi được 01.docx") and "Traceback" not in message
    if damage == "enospc":
        assert "ổ đĩa đã đầy" in message
    else:
        assert "không đầy đủ" in message and "giữ nguyên" in message
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [row["status"] for row in manifest["rows"]] == [batch.FAILED] * 3


def test_where_the_unnamed_file_gets_no_name_the_named_way_writes_it(desk, monkeypatch):
    real = os.link

    def refused(src, dst, **kw):  # no /proc, or a sandbox refusing the link
        if str(src).startswith("/proc/"):
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return real(src, dst, **kw)

    monkeypatch.setattr(atomic.os, "link", refused)
    r = run(desk)
    monkeypatch.undo()
    assert r.ok == 3 and all(opens(p) for p in (desk / "out").glob("*.docx")) and left_over(desk / "out") == []


def test_absent_is_refused_with_force(tmp_path):
    with pytest.raises(ValueError):
        atomic.atomic_write_bytes(tmp_path / "a.docx", b"x", force=True, anonymous=True, absent=True)
    assert not (tmp_path / "a.docx").exists()
