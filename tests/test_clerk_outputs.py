"""Issue 16, point 1 and the writing half of point 2: no output of any command is
replaced without --force; a file open in Word or LibreOffice (its lock file beside it)
is never replaced, --force or not; a folder that cannot be written is a plain
Vietnamese message naming the path, exit 1, never "Lỗi nội bộ".

Every case runs the real command (click's CliRunner on drafter.cli.main:main) and
reads the files on disk afterwards. LibreOffice and pdftoppm are replaced by small
scripts (a whole PDF, two whole page images) so that the pdf and preview cases run
everywhere in a second.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli.main import main
from drafter.package import atomic, replace_policy

from test_batch import DRAFT, ROWS, write_csv

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "000-cong-van-ha-tinh.yaml"
APPENDIX_SAMPLE = REPO / "samples" / "004-quyet-dinh-hung-yen.yaml"
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX scripts stand in for LibreOffice")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

FAKE_SOFFICE = """\
#!{python}
import os, sys
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
for f in args[args.index("--outdir") + 2:]:
    stem = os.path.splitext(os.path.basename(f))[0]
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as p:
        p.write(b"%PDF-1.7\\n1 0 obj << >> endobj\\ntrailer << >>\\n%%EOF\\n")
"""

FAKE_PDFTOPPM = """\
#!{python}
import sys
prefix = sys.argv[-1]
png = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 20 + b"IEND\\xaeB`\\x82"
for n in (1, 2):
    open(prefix + "-%d.png" % n, "wb").write(png)
"""

OLD = b"the signed scan, kept as it is"


def run(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        r = CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)
    return r


def plain(r) -> str:
    """The output of a refused run: exit 1, Vietnamese, no internals."""
    out = r.output
    assert r.exit_code == 1, out
    for bad in ("Lỗi nội bộ", "Traceback", "Error", "Errno", "Permission denied", "Read-only",
                "No such file", "Not a directory", "OutputWriteError", "PermissionError", "<?>"):
        assert bad not in out, out
    return out


def locked_message(out: str, lock: str) -> None:
    assert "đang được mở trong Word hoặc LibreOffice" in out and lock in out, out
    assert "kể cả khi có --force" in out and "Hãy đóng tệp trong Word/LibreOffice" in out, out


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(python=sys.executable), encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def fake_tools(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    monkeypatch.setenv("DRAFTER_SOFFICE", str(_script(bin_dir / "soffice", FAKE_SOFFICE)))
    _script(bin_dir / "pdftoppm", FAKE_PDFTOPPM)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return bin_dir


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _draft(folder: Path, name: str = "cong-van-so-1.yaml") -> Path:
    draft = folder / name
    shutil.copy(SAMPLE, draft)
    return draft


# --------------------------------------------------------------------------- the rule itself


def test_word_and_libreoffice_lock_names():
    # Word drops the first two characters of a long name, one of a seven-letter one
    assert {"~$ng-van-so-1.docx", "~$cong-van-so-1.docx", ".~lock.cong-van-so-1.docx#"} <= \
        replace_policy.lock_names("cong-van-so-1.docx")
    assert "~$ngvan.docx" in replace_policy.lock_names("congvan.docx")


def test_a_lock_beside_a_missing_file_does_not_block_a_new_one(tmp_path):
    (tmp_path / "~$mới.docx").write_text("stale")
    atomic.atomic_write_bytes(tmp_path / "mới.docx", b"data")
    assert (tmp_path / "mới.docx").read_bytes() == b"data"


# --------------------------------------------------------------------------- render


def test_render_existing_docx_is_kept_without_force_and_replaced_with_it(tmp_path):
    draft = _draft(tmp_path)
    out = tmp_path / "cong-van-so-1.docx"
    out.write_bytes(OLD)
    r = run("render", draft)
    out_text = plain(r)
    assert "cong-van-so-1.docx" in out_text and "drafter không ghi đè" in out_text and "--force" in out_text
    assert out.read_bytes() == OLD
    r = run("render", draft, "--force")
    assert r.exit_code == 0, r.output
    assert zipfile.is_zipfile(out)


@pytest.mark.parametrize("lock", ["~$cong-van-so-1.docx", "~$ng-van-so-1.docx", ".~lock.cong-van-so-1.docx#"])
def test_render_force_never_replaces_a_docx_open_in_word(tmp_path, lock):
    draft = _draft(tmp_path)
    out = tmp_path / "cong-van-so-1.docx"
    out.write_bytes(OLD)
    (tmp_path / lock).write_text("Nguyễn Văn A", encoding="utf-8")
    out_text = plain(run("render", draft, "--force"))
    locked_message(out_text, lock)
    assert "cong-van-so-1.docx" in out_text
    assert out.read_bytes() == OLD
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@posix_only
def test_render_pdf_keeps_an_existing_pdf_without_force(tmp_path, fake_tools):
    draft = _draft(tmp_path)
    scan = tmp_path / "cong-van-so-1.pdf"
    scan.write_bytes(OLD)
    out_text = plain(run("render", draft, "--pdf"))
    assert "cong-van-so-1.pdf" in out_text and "drafter không ghi đè" in out_text
    assert scan.read_bytes() == OLD
    assert not (tmp_path / "cong-van-so-1.docx").exists()  # nothing written when one output may not be
    r = run("render", draft, "--pdf", "--force")
    assert r.exit_code == 0, r.output
    assert scan.read_bytes().startswith(b"%PDF-")


@posix_only
def test_render_pdf_force_never_replaces_a_pdf_open_elsewhere(tmp_path, fake_tools):
    draft = _draft(tmp_path)
    scan = tmp_path / "cong-van-so-1.pdf"
    scan.write_bytes(OLD)
    (tmp_path / ".~lock.cong-van-so-1.pdf#").write_text("x")
    out_text = plain(run("render", draft, "--pdf", "--force"))
    locked_message(out_text, ".~lock.cong-van-so-1.pdf#")
    assert "cong-van-so-1.pdf" in out_text
    assert scan.read_bytes() == OLD and not (tmp_path / "cong-van-so-1.docx").exists()


def test_render_read_only_docx_is_kept_even_with_force(tmp_path):
    draft = _draft(tmp_path)
    out = tmp_path / "cong-van-so-1.docx"
    out.write_bytes(OLD)
    out.chmod(0o444)
    try:
        out_text = plain(run("render", draft, "--force"))
        assert "chỉ cho phép đọc" in out_text and "cong-van-so-1.docx" in out_text
        assert out.read_bytes() == OLD
    finally:
        out.chmod(0o644)


# --------------------------------------------------------------------------- new


def test_new_existing_files_are_kept_without_force_and_replaced_with_it(tmp_path):
    (tmp_path / "cong-van.yaml").write_bytes(OLD)
    out_text = plain(run("new", "cong-van", "--no-input", cwd=tmp_path))
    assert "cong-van.yaml" in out_text and "drafter không ghi đè" in out_text
    assert (tmp_path / "cong-van.yaml").read_bytes() == OLD
    assert not (tmp_path / "cong-van.docx").exists()
    r = run("new", "cong-van", "--no-input", "--force", cwd=tmp_path)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "cong-van.yaml").read_bytes() != OLD and zipfile.is_zipfile(tmp_path / "cong-van.docx")


def test_new_force_writes_neither_file_while_the_docx_is_open_in_word(tmp_path):
    r = run("new", "cong-van", "--no-input", cwd=tmp_path)
    assert r.exit_code == 0, r.output
    before = {p: (tmp_path / p).read_bytes() for p in ("cong-van.yaml", "cong-van.docx")}
    (tmp_path / "~$ng-van.docx").write_text("x")
    out_text = plain(run("new", "cong-van", "--no-input", "--force", cwd=tmp_path))
    locked_message(out_text, "~$ng-van.docx")
    assert "cong-van.docx" in out_text
    assert {p: (tmp_path / p).read_bytes() for p in before} == before


# --------------------------------------------------------------------------- pdf


@posix_only
def test_pdf_keeps_an_existing_pdf_without_force(tmp_path, fake_tools):
    doc = _docx(tmp_path / "to-trinh.docx")
    scan = tmp_path / "to-trinh.pdf"
    scan.write_bytes(OLD)
    out_text = plain(run("pdf", doc))
    assert "to-trinh.pdf" in out_text and "drafter không ghi đè" in out_text and "--force" in out_text
    assert scan.read_bytes() == OLD
    r = run("pdf", doc, "--force")
    assert r.exit_code == 0, r.output
    assert scan.read_bytes().startswith(b"%PDF-")


@posix_only
@pytest.mark.parametrize("lock", ["~$to-trinh.pdf", "~$-trinh.pdf", ".~lock.to-trinh.pdf#"])
def test_pdf_force_never_replaces_a_pdf_open_elsewhere(tmp_path, fake_tools, lock):
    doc = _docx(tmp_path / "to-trinh.docx")
    scan = tmp_path / "to-trinh.pdf"
    scan.write_bytes(OLD)
    (tmp_path / lock).write_text("x")
    out_text = plain(run("pdf", doc, "--force"))
    locked_message(out_text, lock)
    assert "to-trinh.pdf" in out_text
    assert scan.read_bytes() == OLD
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".drafter-pdf-")]


# --------------------------------------------------------------------------- preview


@posix_only
def test_preview_keeps_earlier_images_without_force(tmp_path, fake_tools):
    draft = _draft(tmp_path, "cv.yaml")
    folder = tmp_path / "cv-xem-truoc"
    r = run("preview", draft)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.iterdir()) == ["cv-1.png", "cv-2.png"]
    (folder / "cv-1.png").write_bytes(OLD)
    (folder / "cv-3.png").write_bytes(OLD)  # of an earlier, longer preview
    out_text = plain(run("preview", draft))
    assert "cv-1.png" in out_text and "drafter không ghi đè" in out_text and "--force" in out_text
    assert (folder / "cv-1.png").read_bytes() == OLD and (folder / "cv-3.png").read_bytes() == OLD
    r = run("preview", draft, "--force")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.iterdir()) == ["cv-1.png", "cv-2.png"]
    assert (folder / "cv-1.png").read_bytes().startswith(b"\x89PNG")


@posix_only
def test_preview_force_never_replaces_an_image_open_elsewhere(tmp_path, fake_tools):
    draft = _draft(tmp_path, "cv.yaml")
    folder = tmp_path / "cv-xem-truoc"
    assert run("preview", draft).exit_code == 0
    (folder / "cv-2.png").write_bytes(OLD)
    (folder / ".~lock.cv-2.png#").write_text("x")
    out_text = plain(run("preview", draft, "--force"))
    locked_message(out_text, ".~lock.cv-2.png#")
    assert "cv-2.png" in out_text
    assert (folder / "cv-2.png").read_bytes() == OLD


# --------------------------------------------------------------------------- batch


@pytest.fixture
def sheet(tmp_path):
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    write_csv(tmp_path / "data.csv", ROWS[:2])
    return tmp_path


def _batch(folder: Path, *extra: str):
    return run("batch", folder / "draft.yaml", folder / "data.csv", "-o", folder / "out", *extra)


def test_batch_documents_are_kept_without_force_and_replaced_with_it(sheet):
    r = _batch(sheet)
    assert r.exit_code == 0, r.output
    docs = sorted((sheet / "out").glob("*.docx"))
    assert len(docs) == 2
    for d in docs:
        d.write_bytes(OLD)
    _batch(sheet)
    assert [d.read_bytes() for d in docs] == [OLD, OLD]
    r = _batch(sheet, "--force")
    assert r.exit_code == 0, r.output
    assert all(zipfile.is_zipfile(d) for d in docs)


def test_batch_force_never_replaces_a_document_open_in_word(sheet):
    assert _batch(sheet).exit_code == 0
    first = sorted((sheet / "out").glob("*.docx"))[0]
    first.write_bytes(OLD)
    lock = "~$" + first.name[2:]
    (sheet / "out" / lock).write_text("x")
    out_text = plain(_batch(sheet, "--force"))
    locked_message(out_text, lock)
    assert first.name in out_text
    assert first.read_bytes() == OLD


@posix_only
def test_batch_pdf_keeps_an_existing_pdf_without_force(sheet, fake_tools):
    out = sheet / "out"
    assert _batch(sheet).exit_code == 0
    names = sorted(p.stem for p in out.glob("*.docx"))
    shutil.rmtree(out)
    out.mkdir()
    scan = out / f"{names[0]}.pdf"
    scan.write_bytes(OLD)
    out_text = plain(_batch(sheet, "--pdf"))
    assert scan.name in out_text and "drafter không ghi đè" in out_text
    assert scan.read_bytes() == OLD
    assert (out / f"{names[1]}.pdf").read_bytes().startswith(b"%PDF-")  # the new one is made
    r = _batch(sheet, "--pdf", "--force")
    assert r.exit_code == 0, r.output
    assert scan.read_bytes().startswith(b"%PDF-")


def test_batch_manifest_of_someone_else_is_kept_without_force(sheet):
    out = sheet / "out"
    out.mkdir()
    (out / "manifest.csv").write_bytes(OLD)
    out_text = plain(_batch(sheet))
    assert "manifest.csv" in out_text and "drafter không ghi đè" in out_text
    assert (out / "manifest.csv").read_bytes() == OLD
    assert not list(out.glob("*.docx"))  # refused before any row
    r = _batch(sheet, "--force")
    assert r.exit_code == 0, r.output
    assert (out / "manifest.csv").read_bytes() != OLD


def test_batch_manifest_open_in_excel_is_never_replaced(sheet):
    out = sheet / "out"
    assert _batch(sheet).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "~$manifest.csv").write_text("x")
    out_text = plain(_batch(sheet, "--force"))
    locked_message(out_text, "~$manifest.csv")
    # refused before any row: the manifest and the documents are as they were
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != "~$manifest.csv"} == before


# --------------------------------------------------------------------------- appendix


@pytest.fixture
def edited(tmp_path):
    draft = tmp_path / "qd.yaml"
    shutil.copy(APPENDIX_SAMPLE, draft)
    r = run("render", draft)
    assert r.exit_code == 0, r.output
    return draft, tmp_path / "qd.docx"


def test_appendix_other_output_is_kept_without_force_and_replaced_with_it(edited, tmp_path):
    draft, doc = edited
    other = tmp_path / "ban-khac.docx"
    other.write_bytes(OLD)
    out_text = plain(run("appendix", draft, doc, "-o", other))
    assert "ban-khac.docx" in out_text and "drafter không ghi đè" in out_text
    assert other.read_bytes() == OLD
    r = run("appendix", draft, doc, "-o", other, "--force")
    assert r.exit_code == 0, r.output
    assert zipfile.is_zipfile(other)


@pytest.mark.parametrize("lock", ["~$n-khac.docx", ".~lock.ban-khac.docx#"])
def test_appendix_force_never_replaces_a_document_open_in_word(edited, tmp_path, lock):
    draft, doc = edited
    other = tmp_path / "ban-khac.docx"
    other.write_bytes(OLD)
    (tmp_path / lock).write_text("x")
    out_text = plain(run("appendix", draft, doc, "-o", other, "--force"))
    locked_message(out_text, lock)
    assert other.read_bytes() == OLD


# --------------------------------------------------------------------------- folders that cannot be written


def _unwritable_cases(tmp_path: Path) -> dict[str, list]:
    """Each command pointed at ``tmp_path/ro`` (a folder to write in)."""
    draft = _draft(tmp_path, "cv.yaml")
    doc = _docx(tmp_path / "cv.docx")
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    write_csv(tmp_path / "data.csv", ROWS[:2])
    ro = tmp_path / "ro"
    return {
        "render": ["render", draft, "-o", ro / "cv.docx"],
        "preview": ["preview", draft, "-o", ro / "anh"],
        "pdf": ["pdf", doc, "-o", ro / "pdf"],
        "batch": ["batch", tmp_path / "draft.yaml", tmp_path / "data.csv", "-o", ro / "lo"],
    }


COMMANDS = ["new", "render", "preview", "pdf", "batch"]


def _run_case(tmp_path: Path, command: str, ro: Path):
    if command == "new":
        return run("new", "cong-van", "--no-input", cwd=ro)
    return run(*_unwritable_cases(tmp_path)[command])


@posix_only
@pytest.mark.parametrize("command", COMMANDS[1:])  # drafter new writes in the current folder, a folder
def test_a_folder_under_a_file_is_a_plain_message(tmp_path, fake_tools, command):
    """A path whose folder is an existing file: real on every system, root included."""
    ro = tmp_path / "ro"
    ro.write_text("một tệp, không phải thư mục")
    out_text = plain(_run_case(tmp_path, command, ro))
    assert "không phải thư mục" in out_text and "ro" in out_text, out_text


@posix_only
@pytest.mark.skipif(ROOT, reason="root writes into a folder of mode 0o500; the simulated case below covers it")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_folder_is_a_plain_message(tmp_path, fake_tools, command):
    ro = tmp_path / "ro"
    ro.mkdir()
    if command != "new":
        for sub in ("anh", "pdf", "lo"):
            (ro / sub).mkdir()
    os.chmod(ro, 0o500)
    for sub in ("anh", "pdf", "lo"):
        if (ro / sub).exists():
            os.chmod(ro / sub, 0o500)
    try:
        out_text = plain(_run_case(tmp_path, command, ro))
        assert "quyền" in out_text, out_text
    finally:
        for p in (ro, *ro.iterdir()):
            os.chmod(p, 0o755)


@posix_only
@pytest.mark.parametrize("command", COMMANDS + ["appendix"])
def test_no_permission_to_write_is_a_plain_message(tmp_path, fake_tools, monkeypatch, command):
    """The system refusing every new file in the folder (EACCES), as for a user
    without write permission (simulated: the tests may run as root)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    for sub in ("anh", "pdf", "lo"):
        (ro / sub).mkdir()
    if command == "appendix":
        draft = tmp_path / "qd.yaml"
        shutil.copy(APPENDIX_SAMPLE, draft)
        assert run("render", draft).exit_code == 0
        args = ["appendix", draft, tmp_path / "qd.docx", "-o", ro / "pl.docx"]
    real_open, real_mkdtemp = os.open, tempfile.mkdtemp
    inside = str(ro)

    def denied_open(path, flags, *a, **k):
        tmpfile = getattr(os, "O_TMPFILE", 0)  # a batch's unnamed temporary file
        if str(path).startswith(inside) and (flags & os.O_CREAT or tmpfile and flags & tmpfile == tmpfile):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    def denied_mkdtemp(suffix=None, prefix=None, dir=None):
        if dir is not None and str(dir).startswith(inside):
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real_mkdtemp(suffix, prefix, dir)

    monkeypatch.setattr(atomic.os, "open", denied_open)
    monkeypatch.setattr(tempfile, "mkdtemp", denied_mkdtemp)
    r = run(*args) if command == "appendix" else _run_case(tmp_path, command, ro)
    out_text = plain(r)
    assert "không có quyền ghi" in out_text and "ro" in out_text, out_text
    assert not [p for p in ro.rglob("*") if p.is_file()]
