"""A batch's write: the package checked in memory, then written atomically with its
size and last bytes read back through the descriptor (no second open), the
temporary name counted from a random start of each process. Whatever fails, the old
file stays and no temporary file is left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafter.package import atomic
from drafter.package.atomic import OutputExistsError, OutputIncompleteError, atomic_write_bytes, verify_docx_bytes
from drafter.package.writer import PackageTemplate

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture(scope="module")
def package() -> bytes:
    template = PackageTemplate.from_file(TEMPLATES / "cong-van.docx")
    return template.build({"word/document.xml": template.read("word/document.xml")}, level=1)


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_whole_package_passes_and_is_written(tmp_path, package):
    target = tmp_path / "a.docx"
    atomic_write_bytes(target, package, durable=False, verify_bytes=verify_docx_bytes, tag="0123456789abcdef")
    assert target.read_bytes() == package and _left(tmp_path) == []
    with pytest.raises(OutputExistsError):  # the replace rule is the same
        atomic_write_bytes(target, package, verify_bytes=verify_docx_bytes)


@pytest.mark.parametrize("damage", ["cut", "cut-end-record", "no-content-types", "central-moved"])
def test_a_broken_package_is_refused_before_anything_is_written(tmp_path, package, damage):
    data = {
        "cut": package[:-1],
        "cut-end-record": package[: len(package) // 2],
        "no-content-types": package.replace(b"[Content_Types].xml", b"[Content_Typez].xml"),
        "central-moved": package[:-23] + package[-22:],
    }[damage]
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    with pytest.raises(OutputIncompleteError) as ei:
        atomic_write_bytes(target, data, force=True, verify_bytes=verify_docx_bytes)
    assert "Không ghi được" in str(ei.value) and "giữ nguyên" in str(ei.value)
    assert target.read_bytes() == b"old" and _left(tmp_path) == []


def test_a_tail_that_does_not_read_back_keeps_the_old_file(tmp_path, package, monkeypatch):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    real = os.pread
    monkeypatch.setattr(atomic.os, "pread", lambda fd, n, at: bytes(len(real(fd, n, at))))  # zeros on disk
    with pytest.raises(OutputIncompleteError) as ei:
        atomic_write_bytes(target, package, force=True, verify_bytes=verify_docx_bytes)
    assert "phần cuối" in ei.value.why
    assert target.read_bytes() == b"old" and _left(tmp_path) == []


def test_a_size_on_disk_that_differs_keeps_the_old_file(tmp_path, package, monkeypatch):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    real = os.fstat

    class Short:
        def __init__(self, st):
            self.st_size = st.st_size - 1

    monkeypatch.setattr(atomic.os, "fstat", lambda fd: Short(real(fd)))
    with pytest.raises(OutputIncompleteError):
        atomic_write_bytes(target, package, force=True, verify_bytes=verify_docx_bytes)
    assert target.read_bytes() == b"old" and _left(tmp_path) == []


def test_temporary_names_are_counted_and_a_forked_child_draws_its_own_start():
    a, b = atomic._temp_token(), atomic._temp_token()
    assert a != b and len(a) == len(b) == 8 and int(a, 16) >= 0
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next name is not the parent's next one
        try:
            os.write(write, atomic._temp_token().encode())
        finally:
            os._exit(0)
    os.close(write)
    child = os.read(read, 16).decode()
    os.close(read)
    os.waitpid(pid, 0)
    mine = atomic._temp_token()
    assert child != mine and len(child) == 8


def test_a_tagged_temporary_name_is_still_found_by_its_tag(tmp_path, monkeypatch):
    """An interrupted run removes its own temporary files by their tag: the counted
    names keep the shape remove_tagged_temps knows."""
    made = []
    real = atomic._create_temp

    def keep(directory, name, tag=None):
        fd, tmp = real(directory, name, tag)
        made.append(tmp)
        os.close(fd)
        raise KeyboardInterrupt  # as if stopped right after the temporary file was made

    monkeypatch.setattr(atomic, "_create_temp", keep)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(tmp_path / "a.docx", b"x", tag="0123456789abcdef")
    monkeypatch.undo()
    # the writer was stopped before it could remove it: the run's tag finds it
    Path(made[0]).write_bytes(b"x")
    assert atomic._temp_suffix_matches(Path(made[0]).name, "0123456789abcdef")
    assert atomic.remove_tagged_temps(tmp_path, "0123456789abcdef") == 1 and _left(tmp_path) == []


@pytest.mark.skipif(not atomic._O_TMPFILE, reason="no unnamed temporary files on this system")
def test_an_unnamed_temporary_file_takes_the_name_under_the_same_rule(tmp_path, package, monkeypatch):
    """A batch's documents are written to an unnamed file (O_TMPFILE) linked to their
    name when whole: no temporary name in the folder, the same replace rule."""
    target = tmp_path / "a.docx"
    seen = []
    real_link = os.link

    def link(src, dst, **kw):
        seen.append(Path(dst).name)
        return real_link(src, dst, **kw)

    monkeypatch.setattr(atomic.os, "link", link)
    atomic_write_bytes(target, package, durable=False, verify_bytes=verify_docx_bytes, anonymous=True)
    assert target.read_bytes() == package and seen == ["a.docx"] and _left(tmp_path) == []
    with pytest.raises(OutputExistsError):
        atomic_write_bytes(target, package, verify_bytes=verify_docx_bytes, anonymous=True)
    target.chmod(0o640)
    atomic_write_bytes(target, package[:-1] + b"\0", force=True, verify_bytes=None, anonymous=True, tag="0123456789abcdef")
    assert target.read_bytes()[-1] == 0 and (target.stat().st_mode & 0o777) == 0o640 and _left(tmp_path) == []

    def refused(src, dst, **kw):  # no /proc, or a sandbox refusing the link: the named way
        if str(src).startswith("/proc/"):
            raise PermissionError(1, "Operation not permitted")
        return real_link(src, dst, **kw)

    monkeypatch.setattr(atomic.os, "link", refused)
    atomic_write_bytes(tmp_path / "b.docx", package, verify_bytes=verify_docx_bytes, anonymous=True)
    assert (tmp_path / "b.docx").read_bytes() == package and _left(tmp_path) == []
