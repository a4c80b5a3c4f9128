"""PDF output through LibreOffice: what only a laid-out page shows.

The XML tests cannot see a quốc hiệu that wraps, a page number on page 1 or a
fallback font; these tests convert real documents (every `drafter new` type below
and every sample draft) in ONE LibreOffice run and read the PDFs back.
They need LibreOffice (`soffice`) and are skipped without it; CI installs it.
Tests of the conversion logic itself (missing LibreOffice, timeouts, files that fail,
folders) use a small fake `soffice` and run everywhere on POSIX.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import sys
import textwrap
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import api, pdf
from drafter.cli import main

REPO = Path(__file__).resolve().parent.parent
NEW_TYPES = ["cong-van", "quyet-dinh", "chi-thi", "to-trinh"]
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

SOFFICE = pdf.find_soffice()
NO_LO = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui fonts-liberation2"
posix_only = pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a POSIX script")


def _samples() -> list[Path]:
    """Whole sample drafts (fragments such as an appendix's data have no `loai:`)."""
    found = []
    for p in sorted((REPO / "samples").glob("*.yaml")):
        if re.search(r"^loai\s*:", p.read_text(encoding="utf-8"), re.M):
            found.append(p)
    return found


SAMPLES = _samples()
DOC_IDS = [f"new-{t}" for t in NEW_TYPES] + [f"sample-{p.stem}" for p in SAMPLES]


def _one_line(text: str) -> str:
    """Spaces as a reader sees them: NBSPs and runs of blanks become one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text.replace("\xa0", " "))).strip()


def _lines(page_text: str) -> list[str]:
    return [_one_line(ln) for ln in page_text.splitlines() if ln.strip()]


def _output(result) -> str:
    out = result.output
    try:
        out += result.stderr
    except ValueError:  # click < 8.2 with mixed streams: already in output
        pass
    return out


# --------------------------------------------------------------------------- real conversions


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every document of DOC_IDS rendered into one folder and converted in ONE call."""
    if SOFFICE is None:
        pytest.skip(NO_LO)
    work = tmp_path_factory.mktemp("pdf")
    docs: dict[str, dict] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRAFTER_USER_DIR", str(tmp_path_factory.mktemp("user")))
        mp.chdir(work)
        runner = CliRunner()
        for t in NEW_TYPES:
            name = f"new-{t}"
            r = runner.invoke(main, ["new", t, "--no-input", "-o", name])
            assert r.exit_code == 0, _output(r)
            header = api.prepare(work / f"{name}.yaml").document.header
            docs[name] = {"docx": work / f"{name}.docx", "header": header, "fresh": True}
        for s in SAMPLES:
            name = f"sample-{s.stem}"
            try:
                prepared = api.prepare(s)
                data = api.render_bytes(prepared, s.parent)
            except Exception as exc:  # reported by that sample's own tests
                docs[name] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            (work / f"{name}.docx").write_bytes(data)
            docs[name] = {"docx": work / f"{name}.docx", "header": prepared.document.header, "fresh": False}

        runs = []
        real_run = pdf._run_soffice
        mp.setattr(pdf, "_run_soffice", lambda *a, **k: runs.append(a[3]) or real_run(*a, **k))
        todo = [d["docx"] for d in docs.values() if "docx" in d]
        started = time.monotonic()
        written = pdf.convert(todo)
        seconds = time.monotonic() - started
    assert 1 <= len(runs) <= pdf.default_jobs(), "one LibreOffice run per core for the whole list"
    assert sorted(f for run in runs for f in run) == sorted(todo), "the files split between the runs"
    assert written == [p.with_suffix(".pdf") for p in todo]
    for d in docs.values():
        if "docx" in d:
            d["pdf"] = d["docx"].with_suffix(".pdf")
            d["pages"] = pdf.pdf_text(d["pdf"])
    return {"docs": docs, "folder": work, "seconds": seconds}


def _doc(converted, doc_id: str) -> dict:
    d = converted["docs"][doc_id]
    if "error" in d:
        pytest.fail(f"{doc_id} did not render: {d['error']}")
    return d


@pytest.mark.parametrize("doc_id", DOC_IDS)
@pytest.mark.libreoffice
def test_pages_are_a4_and_counted(converted, doc_id):
    d = _doc(converted, doc_id)
    sizes = pdf.pdf_pages(d["pdf"])
    assert len(sizes) == len(d["pages"])
    if d["fresh"]:
        assert len(sizes) == 1, f"a fresh `drafter new` draft fits one page, got {len(sizes)}"
        w, h = sizes[0]
        assert abs(w - 210) <= 1 and abs(h - 297) <= 1, sizes[0]
    else:
        for i, (w, h) in enumerate(sizes, 1):  # appendices may be landscape
            assert abs(min(w, h) - 210) <= 1 and abs(max(w, h) - 297) <= 1, (i, w, h)
        # no blank page (a stray page break or an over-tall table)
        blank = [i for i, text in enumerate(d["pages"], 1) if not text.strip()]
        assert not blank, f"blank pages: {blank}"


@pytest.mark.parametrize("doc_id", DOC_IDS)
@pytest.mark.libreoffice
def test_header_lines_stay_whole(converted, doc_id):
    """Quốc hiệu, tiêu ngữ, date line and số ký hiệu each on ONE line, diacritics intact."""
    d = _doc(converted, doc_id)
    lines = _lines(d["pages"][0])
    header = d["header"]
    for expected in (QUOC_HIEU, TIEU_NGU, _one_line(header.date_line), _one_line(header.so_ky_hieu)):
        assert any(expected in ln for ln in lines), (
            f"{expected!r} is not on one line of page 1:\n" + "\n".join(lines[:12]))
    # the quốc hiệu line is the top line of the page: nothing (a page number) above it
    assert QUOC_HIEU in lines[0], lines[:3]


@pytest.mark.parametrize("doc_id", DOC_IDS)
@pytest.mark.libreoffice
def test_no_page_number_on_first_page(converted, doc_id):
    d = _doc(converted, doc_id)
    first = _lines(d["pages"][0])
    assert not [ln for ln in first if re.fullmatch(r"\d{1,3}", ln)], "a bare number on page 1"
    if len(d["pages"]) > 1:  # the check above would see a page number: later pages have one
        tops = [_lines(text)[0] for text in d["pages"][1:] if text.strip()]
        assert any(re.fullmatch(r"\d{1,3}", t) for t in tops), tops


@pytest.mark.parametrize("doc_id", DOC_IDS)
@pytest.mark.libreoffice
def test_only_times_compatible_fonts(converted, doc_id):
    """A font without Vietnamese letters makes LibreOffice mix in a fallback font."""
    pypdf = pytest.importorskip("pypdf")
    d = _doc(converted, doc_id)
    names = set()
    for page in pypdf.PdfReader(str(d["pdf"])).pages:
        fonts = (page.get("/Resources") or {}).get_object().get("/Font") or {}
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object().get("/BaseFont", "")).split("+")[-1].lstrip("/"))
    odd = {n for n in names if not re.match(r"(LiberationSerif|TimesNewRoman|Times)", n.replace(" ", ""))}
    assert not odd, f"fallback fonts in the PDF: {sorted(odd)} (all: {sorted(names)})"


@pytest.mark.libreoffice
def test_no_staging_left(converted):
    left = [p.name for p in converted["folder"].iterdir() if p.name.startswith(".drafter-")]
    assert not left


# --------------------------------------------------------------------------- failures, real LibreOffice


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason=NO_LO)
def test_bad_file_is_named_and_the_rest_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "cong-van", "--no-input", "-o", "tốt"]).exit_code == 0
    with zipfile.ZipFile(tmp_path / "hỏng.docx", "w") as z:
        z.writestr("hello.txt", "not a document")
    (tmp_path / "rác.docx").write_bytes(b"garbage")
    with pytest.raises(pdf.ConversionFailed) as info:
        pdf.convert([tmp_path / "hỏng.docx", tmp_path / "tốt.docx", tmp_path / "rác.docx"])
    failed = {p.name for p in info.value.failed}
    assert failed == {"hỏng.docx", "rác.docx"}
    assert "hỏng.docx" in str(info.value) and "rác.docx" in str(info.value)
    assert [p.name for p in info.value.written] == ["tốt.pdf"]
    assert (tmp_path / "tốt.pdf").stat().st_size > 0
    assert not (tmp_path / "hỏng.pdf").exists() and not (tmp_path / "rác.pdf").exists()
    assert not list(tmp_path.glob(".drafter-*"))


# --------------------------------------------------------------------------- preview


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason=NO_LO)
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_preview_writes_pngs_and_nothing_beside_the_draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "quyet-dinh", "--no-input", "-o", "qd"]).exit_code == 0
    (tmp_path / "qd.docx").unlink()
    before = sorted(p.name for p in tmp_path.iterdir())

    r = runner.invoke(main, ["preview", "qd.yaml", "--dpi", "50"])
    assert r.exit_code == 0, _output(r)
    folder = tmp_path / "qd-xem-truoc"
    assert "qd-xem-truoc" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["qd-xem-truoc"])
    assert sorted(p.name for p in folder.iterdir()) == ["qd-1.png"]
    _assert_png(folder / "qd-1.png", dpi=50)

    # -o elsewhere, --json, another resolution
    r = runner.invoke(main, ["preview", "qd.yaml", "-o", "anh", "--dpi", "80", "--json"])
    assert r.exit_code == 0, _output(r)
    import json

    data = json.loads(r.output)
    assert data["ok"] and [Path(p).name for p in data["images"]] == ["qd-1.png"]
    _assert_png(tmp_path / "anh" / "qd-1.png", dpi=80)
    assert not list((tmp_path / "anh").glob(".drafter-*"))


def _assert_png(path: Path, *, dpi: int) -> None:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", head
    width, height = struct.unpack(">II", head[16:24])
    # A4 portrait: 210 × 297 mm
    assert abs(width - 210 / 25.4 * dpi) <= 2 and abs(height - 297 / 25.4 * dpi) <= 2, (width, height)


def test_preview_reports_a_bad_draft_like_render(tmp_path, monkeypatch, write):
    monkeypatch.chdir(tmp_path)
    write("x.yaml", "loai: cong-van\n")
    r = CliRunner().invoke(main, ["preview", "x.yaml"])
    assert r.exit_code == 1
    if shutil.which("pdftoppm"):
        assert "x.yaml" in _output(r) and "Thiếu khóa" in _output(r)
    assert not (tmp_path / "x-xem-truoc").exists()


# --------------------------------------------------------------------------- without LibreOffice


def test_missing_libreoffice_raises_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(pdf.LibreOfficeMissing) as info:
        pdf.convert([docx])
    msg = str(info.value)
    assert "LibreOffice" in msg
    assert "sudo apt-get install libreoffice-writer-nogui fonts-liberation2" in msg
    assert "DRAFTER_SOFFICE" in msg
    assert not (tmp_path / "a.pdf").exists()


def test_cli_without_libreoffice_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    r = CliRunner().invoke(main, ["pdf", str(docx)])
    assert r.exit_code == 1
    assert "Không tìm thấy LibreOffice" in _output(r)
    assert "libreoffice-writer-nogui" in _output(r)
    assert "Traceback" not in _output(r)
    r = CliRunner().invoke(main, ["pdf", str(docx), "--json"])
    assert r.exit_code == 1
    import json

    assert json.loads(r.stdout)["ok"] is False


def test_wrong_env_soffice_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf.ENV_SOFFICE, str(tmp_path / "nowhere" / "soffice"))
    assert pdf.find_soffice() is None
    assert "DRAFTER_SOFFICE" in str(pdf.LibreOfficeMissing())


def test_font_report_shape():
    report = pdf.font_report()
    assert report["requested"] == "Times New Roman"
    assert set(report) >= {"resolved", "file", "ok", "warning"}
    if report["resolved"]:
        good = report["resolved"].lower() in ("times new roman", "liberation serif")
        if not good:
            assert report["warning"] and not report["ok"]
        elif report["vietnamese"] is not False:
            assert report["warning"] is None and report["ok"]


FAKE_SOFFICE = """\
#!{python}
# A stand-in for soffice: records its calls; files named *empty* give an empty PDF,
# *skip* none at all, *slow* hang (with a child process, to test killing the group).
import os, subprocess, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
files = args[args.index("--outdir") + 2:]
with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
    log.write(repr([a for a in args if a.startswith("-env:")] + [outdir] + files) + "\\n")
for f in files:
    name = os.path.basename(f)
    if "slow" in name:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open(os.environ["FAKE_LOG"] + ".pid", "w").write(str(child.pid))
        with open(os.path.join(outdir, "partial.pdf"), "wb") as p:
            p.write(b"%PDF-")
        time.sleep(60)
    stem = os.path.splitext(name)[0]
    if "skip" in name:
        continue
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as p:
        p.write(b"" if "empty" in name else b"%PDF-1.4 fake " + name.encode() + b"\\n%%EOF\\n")
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "calls.log"
    monkeypatch.setenv(pdf.ENV_SOFFICE, str(script))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv(pdf.ENV_IDLE, "0")  # no LibreOffice to keep running: one run per call

    def calls() -> list[list[str]]:
        import ast

        return [ast.literal_eval(ln) for ln in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []

    return calls


def _docx(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return path


@posix_only
def test_env_soffice_is_used(fake_soffice, tmp_path):
    assert pdf.find_soffice() == os.environ[pdf.ENV_SOFFICE]


@posix_only
def test_one_call_per_folder_pdf_beside_each(fake_soffice, tmp_path):
    a1, a2 = _docx(tmp_path / "a" / "x.docx"), _docx(tmp_path / "a" / "y.docx")
    b1 = _docx(tmp_path / "b" / "x.docx")
    written = pdf.convert([a1, b1, a2, a1])  # a repeated file is converted once
    assert written == [a1.with_suffix(".pdf"), b1.with_suffix(".pdf"), a2.with_suffix(".pdf")]
    assert all(p.read_bytes().startswith(b"%PDF") for p in written)
    calls = fake_soffice()
    assert len(calls) == 2
    profiles = {c[0] for c in calls}
    # one LibreOffice per core, each run on its own profile, kept in the cache folder for the next call
    assert len(profiles) == min(2, pdf.default_jobs())
    assert all(re.search(r"/libreoffice/profile-\d+$", p) for p in profiles), profiles
    assert not list(tmp_path.rglob(".drafter-*"))


@posix_only
def test_out_dir_and_name_clash(fake_soffice, tmp_path):
    a, b = _docx(tmp_path / "a" / "x.docx"), _docx(tmp_path / "b" / "x.docx")
    with pytest.raises(pdf.PdfError, match="cùng một PDF"):
        pdf.convert([a, b], tmp_path / "out")
    assert fake_soffice() == []
    c = _docx(tmp_path / "b" / "z.docx")
    assert pdf.convert([a, c], tmp_path / "out") == [tmp_path / "out" / "x.pdf", tmp_path / "out" / "z.pdf"]
    assert len(fake_soffice()) == 1


@posix_only
def test_failed_files_named_others_written(fake_soffice, tmp_path):
    good = _docx(tmp_path / "good.docx")
    empty = _docx(tmp_path / "empty.docx")
    skip = _docx(tmp_path / "skip.docx")
    missing = tmp_path / "missing.docx"
    notzip = tmp_path / "notzip.docx"
    notzip.write_bytes(b"plain text")
    (tmp_path / "empty.pdf").write_bytes(b"%PDF old")  # an older PDF is not clobbered by an empty one
    with pytest.raises(pdf.ConversionFailed) as info:
        pdf.convert([good, empty, skip, missing, notzip])
    err = info.value
    assert err.written == [tmp_path / "good.pdf"]
    assert set(err.failed) == {empty, skip, missing, notzip}
    for p in (empty, skip, missing, notzip):
        assert p.name in str(err)
    assert (tmp_path / "empty.pdf").read_bytes() == b"%PDF old"
    assert not (tmp_path / "skip.pdf").exists()
    assert not list(tmp_path.glob(".drafter-*"))
    assert len(fake_soffice()) == 1  # bad inputs never reach LibreOffice

    r = CliRunner().invoke(main, ["pdf", str(good), str(skip), str(missing)])
    assert r.exit_code == 1
    out = _output(r)
    assert "good.pdf" in out and "skip.docx" in out and "missing.docx" in out and "không có tệp này" in out


@posix_only
def test_timeout_kills_the_process_group(fake_soffice, tmp_path):
    slow = _docx(tmp_path / "slow.docx")
    started = time.monotonic()
    with pytest.raises(pdf.ConversionTimeout) as info:
        pdf.convert([slow], timeout=1.5)
    assert time.monotonic() - started < 15
    assert "1.5 giây" in str(info.value)
    assert not list(tmp_path.glob(".drafter-*")) and not list(tmp_path.glob("*.pdf"))
    child = int(Path(os.environ["FAKE_LOG"] + ".pid").read_text())
    for _ in range(50):  # the grandchild died with its group (or is a zombie awaiting its reaper)
        try:
            state = Path(f"/proc/{child}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"process {child} still alive after the timeout")


def test_pdf_text_and_pages_need_a_pdf(tmp_path):
    """pdf_pages/pdf_text on a tiny hand-made PDF (no LibreOffice needed)."""
    pytest.importorskip("pypdf")
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595.28, height=841.89)
    w.add_blank_page(width=841.89, height=595.28)
    out = tmp_path / "blank.pdf"
    with open(out, "wb") as f:
        w.write(f)
    sizes = pdf.pdf_pages(out)
    assert [(round(a), round(b)) for a, b in sizes] == [(210, 297), (297, 210)]
    assert len(pdf.pdf_text(out)) == 2


def test_module_imports_no_heavy_modules():
    code = textwrap.dedent("""
        import sys, drafter.pdf
        heavy = [m for m in ("pypdf", "docx", "docxtpl", "lxml", "drafter.api") if m in sys.modules]
        print(heavy)
    """)
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True).stdout
    assert out.strip() == "[]"


# --- render --pdf and batch --pdf ---------------------------------------------------


@pytest.mark.skipif(SOFFICE is None, reason=NO_LO)
def test_render_pdf_writes_an_a4_pdf_beside_the_docx(tmp_path):
    draft = tmp_path / "cv.yaml"
    shutil.copy(REPO / "samples" / "000-cong-van-ha-tinh.yaml", draft)
    r = CliRunner().invoke(main, ["render", str(draft), "--pdf"])
    assert r.exit_code == 0, _output(r)
    made = tmp_path / "cv.pdf"
    assert made.is_file() and f"Đã tạo PDF: {made}" in _output(r)
    pages = pdf.pdf_pages(made)
    assert pages and all(abs(w - 210) < 1 and abs(h - 297) < 1 for w, h in pages)  # mm
    first = unicodedata.normalize("NFC", pdf.pdf_text(made)[0])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "8287/UBND-KT1" in first


@posix_only
def test_batch_pdf_uses_one_libreoffice_call(fake_soffice, tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(textwrap.dedent("""\
        loai: cong-van
        dung: [demo]
        trich_yeu: thử cho {{ hang.ten }}
        kinh_gui: Ủy ban nhân dân {{ hang.ten }}
        noi_dung: Nội dung.
        """), encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text("ma,ten\n1,xã A\n2,xã B\n3,xã C\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(draft), str(data), "-o", str(tmp_path / "ra"), "--pdf", "--json"])
    assert r.exit_code == 0, _output(r)
    import json

    out = json.loads(r.stdout)
    assert len(out["pdf"]) == 3 and out["pdf_errors"] == []
    assert len(fake_soffice()) == 1  # one LibreOffice for the whole batch
    assert sorted(p.name for p in (tmp_path / "ra").glob("*.pdf")) == sorted(
        p.with_suffix(".pdf").name for p in (tmp_path / "ra").glob("*.docx"))


def test_render_pdf_without_libreoffice_keeps_the_docx_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    draft = tmp_path / "cv.yaml"
    shutil.copy(REPO / "samples" / "000-cong-van-ha-tinh.yaml", draft)
    r = CliRunner().invoke(main, ["render", str(draft), "--pdf"])
    assert r.exit_code == 1
    assert "Không tìm thấy LibreOffice" in _output(r) and "Traceback" not in _output(r)
    assert (tmp_path / "cv.docx").is_file() and not (tmp_path / "cv.pdf").exists()
