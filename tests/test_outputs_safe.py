"""Issue 15, point 6: no command replaces a good file with a bad one.

Every output is checked before it takes the old one's place (a full disk is simulated
by a write that silently loses the tail, or by ENOSPC); `--resume` redoes a row when
anything its document depends on changed or its document no longer opens; an
interruption (Ctrl-C, SIGTERM, SIGHUP; run in a subprocess) removes only this run's
temporary files and leaves a manifest listing every document on disk; an appendix
regenerated through a symbolic link updates the linked document and keeps the link.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_view import DocView
from lying_files import LyingWriter, half, no_space

from drafter import batch
from drafter.cli import main
from drafter.package import atomic

from test_batch import DRAFT, ROWS, write_csv

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX signals and scripts")
DRAFTER = str(Path(sys.executable).parent / "drafter")


def run_cli(*args: str):
    started = time.perf_counter()
    r = CliRunner().invoke(main, list(args))
    return r, time.perf_counter() - started


def tmp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- a full disk


@pytest.fixture
def batch_dir(tmp_path):
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    write_csv(tmp_path / "data.csv", ROWS[:2])
    return tmp_path


def lose_the_tails(monkeypatch, suffix: str = "") -> None:
    """From now on, writes of files whose name ends with ``suffix`` lose their tail."""
    real_create, real_fdopen = atomic._create_temp, os.fdopen
    real_anonymous = atomic._create_anonymous
    names: dict[int, str] = {}

    def create(directory, name, tag=None):
        fd, tmp = real_create(directory, name, tag)
        names[fd] = name
        return fd, tmp

    def anonymous(directory, name):  # a batch's unnamed temporary file (O_TMPFILE)
        fd = real_anonymous(directory, name)
        if fd is not None:
            names[fd] = name
        return fd

    def fdopen(fd, *a, **k):
        f = real_fdopen(fd, *a, **k)
        return LyingWriter(f, half) if names.get(fd, "").endswith(suffix) else f

    monkeypatch.setattr(atomic, "_create_temp", create)
    monkeypatch.setattr(atomic, "_create_anonymous", anonymous)
    monkeypatch.setattr(atomic.os, "fdopen", fdopen)


def test_batch_on_a_full_disk_keeps_the_good_documents(batch_dir, monkeypatch):
    out = batch_dir / "out"
    r, _ = run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out))
    assert r.exit_code == 0, r.output
    good = {p.name: p.read_bytes() for p in out.glob("*.docx")}
    manifest = (out / "manifest.json").read_bytes()
    assert len(good) == 2
    with monkeypatch.context() as mp:
        lose_the_tails(mp, ".docx")  # the documents are cut short, the manifest is whole
        r, seconds = run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out),
                             "--force")
    assert r.exit_code == 1 and seconds < 2
    assert r.output.count("không đầy đủ") >= 1 and "giữ nguyên" in r.output
    assert "Traceback" not in r.output and "Lỗi nội bộ" not in r.output
    assert {p.name: p.read_bytes() for p in out.glob("*.docx")} == good  # the good ones stay
    assert {row["status"] for row in json.loads((out / "manifest.json").read_text("utf-8"))["rows"]} == {"loi"}
    assert tmp_files(out) == []
    (out / "manifest.json").write_bytes(manifest)
    with monkeypatch.context() as mp:
        lose_the_tails(mp)  # everything, the manifest too
        r, seconds = run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out),
                             "--force")
    assert r.exit_code == 1 and seconds < 2
    assert "manifest.json" in r.output and "ổ đĩa đã đầy" in r.output and "Lỗi nội bộ" not in r.output
    assert {p.name: p.read_bytes() for p in out.glob("*.docx")} == good
    assert (out / "manifest.json").read_bytes() == manifest  # the old manifest, whole
    assert tmp_files(out) == []


def test_batch_enospc_keeps_the_good_document(batch_dir, monkeypatch):
    out = batch_dir / "out"
    run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out))
    good = {p.name: p.read_bytes() for p in out.glob("*.docx")}

    real = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: LyingWriter(real(*a, **k), no_space))
    r, seconds = run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out),
                         "--force")
    monkeypatch.undo()
    assert r.exit_code != 0 and seconds < 2 and "Traceback" not in r.output and "Lỗi nội bộ" not in r.output
    assert {p.name: p.read_bytes() for p in out.glob("*.docx")} == good
    assert tmp_files(out) == []


FAKE_SOFFICE = """\
#!{python}
# A stand-in for soffice: a file named *cut* gives a PDF cut short (as on a full disk).
import os, sys
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
for f in args[args.index("--outdir") + 2:]:
    stem = os.path.splitext(os.path.basename(f))[0]
    body = b"%PDF-1.7\\n1 0 obj << >> endobj\\n"
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as p:
        p.write(body if "cut" in stem else body + b"trailer << >>\\n%%EOF\\n")
"""

# pdftoppm's stand-in: page 1 whole, page 2 cut short.
FAKE_PDFTOPPM = """\
#!{python}
import sys
prefix = sys.argv[-1]
png = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 20
open(prefix + "-1.png", "wb").write(png + b"IEND\\xaeB`\\x82")
open(prefix + "-2.png", "wb").write(png)
"""


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(python=sys.executable), encoding="utf-8")
    path.chmod(0o755)
    return path


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


@posix_only
def test_pdf_cut_short_does_not_replace_the_good_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_SOFFICE", str(_script(tmp_path / "bin" / "soffice", FAKE_SOFFICE)))
    cut, whole = _docx(tmp_path / "cut.docx"), _docx(tmp_path / "whole.docx")
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.7 the good old one\n%%EOF\n")
    r, seconds = run_cli("pdf", str(cut), str(whole), "--force")  # an old PDF is replaced only with --force
    assert r.exit_code == 1 and seconds < 2
    assert "cut.docx" in r.output and "không đầy đủ" in r.output and "giữ nguyên" in r.output
    assert "Traceback" not in r.output
    assert (tmp_path / "cut.pdf").read_bytes() == b"%PDF-1.7 the good old one\n%%EOF\n"
    assert (tmp_path / "whole.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".drafter-pdf-")]


@posix_only
def test_preview_with_a_page_cut_short_keeps_the_old_images(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_SOFFICE", str(_script(tmp_path / "bin" / "soffice", FAKE_SOFFICE)))
    _script(tmp_path / "bin" / "pdftoppm", FAKE_PDFTOPPM)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    draft = Path(__file__).resolve().parents[1] / "samples" / "000-cong-van-ha-tinh.yaml"
    folder = tmp_path / "xem"
    folder.mkdir()
    (folder / "000-cong-van-ha-tinh-1.png").write_bytes(b"old page 1")
    r, seconds = run_cli("preview", str(draft), "-o", str(folder), "--force")  # old images only with --force
    assert r.exit_code == 1 and seconds < 5, r.output
    assert "trang 2" in r.output and "không đầy đủ" in r.output and "Traceback" not in r.output
    assert sorted(p.name for p in folder.iterdir()) == ["000-cong-van-ha-tinh-1.png"]
    assert (folder / "000-cong-van-ha-tinh-1.png").read_bytes() == b"old page 1"


# --------------------------------------------------------------------------- --resume


KP = "TT,Nội dung,Kinh phí\n1,Xã A,100\n2,Xã B,200\n"
SHEET_DRAFT = DRAFT.replace("luu: [VT, KT]", """luu: [VT, KT]
phu_luc:
  - {tieu_de: Kinh phí, don_vi_tinh: triệu đồng, bang: "{{ hang.tep }}"}""").replace(
    "triệu đồng.\n", "triệu đồng, tổng {{ phu_luc[0].tong.kinh_phi }} (chi tiết tại Phụ lục).\n")


def _batch(folder: Path, *extra: str):
    return run_cli("batch", str(folder / "draft.yaml"), str(folder / "data.csv"), "-o", str(folder / "out"),
                   "--name", "{ma}", "--json", *extra)


def _statuses(r) -> dict[int, str]:
    return {row["row"]: row["status"] for row in json.loads(r.output)["rows"]}


@pytest.fixture
def sheet_dir(tmp_path):
    (tmp_path / "a.csv").write_text(KP, encoding="utf-8")
    (tmp_path / "b.csv").write_text(KP, encoding="utf-8")
    (tmp_path / "draft.yaml").write_text(SHEET_DRAFT, encoding="utf-8")
    write_csv(tmp_path / "data.csv", [dict(ROWS[0], tep="a.csv"), dict(ROWS[1], tep="b.csv")])
    r, _ = _batch(tmp_path)
    assert r.exit_code == 0, r.output
    r, _ = _batch(tmp_path, "--resume")
    assert _statuses(r) == {2: "bo-qua", 3: "bo-qua"}
    return tmp_path


def test_resume_redoes_the_row_whose_appendix_sheet_changed(sheet_dir):
    (sheet_dir / "a.csv").write_text(KP.replace("200", "900"), encoding="utf-8")
    r, seconds = _batch(sheet_dir, "--resume")
    assert r.exit_code == 0 and seconds < 2
    assert _statuses(r) == {2: "ok", 3: "bo-qua"}
    assert any("1.000" in t for t in DocView(sheet_dir / "out" / "001.docx").texts())


def test_resume_redoes_every_row_when_a_shared_sheet_changed(batch_dir):
    (batch_dir / "kp.csv").write_text(KP, encoding="utf-8")
    (batch_dir / "draft.yaml").write_text(SHEET_DRAFT.replace('"{{ hang.tep }}"', "kp.csv"), encoding="utf-8")
    write_csv(batch_dir / "data.csv", ROWS[:2])
    r, _ = _batch(batch_dir)
    assert r.exit_code == 0, r.output
    (batch_dir / "kp.csv").write_text(KP.replace("200", "900"), encoding="utf-8")
    r, seconds = _batch(batch_dir, "--resume")
    assert _statuses(r) == {2: "ok", 3: "ok"} and seconds < 2
    assert any("1.000" in t for t in DocView(batch_dir / "out" / "002.docx").texts())


def test_resume_redoes_rows_when_a_preset_or_the_template_changed(sheet_dir):
    presets = sheet_dir / "presets"
    presets.mkdir()
    (presets / "rieng.yaml").write_text("luu: [VT, KT, TH]\n", encoding="utf-8")
    draft = sheet_dir / "draft.yaml"
    draft.write_text(SHEET_DRAFT.replace("luu: [VT, KT]\n", "").replace(
        "dung: [ubnd-tinh-ha-tinh]", "dung: [ubnd-tinh-ha-tinh, rieng]"), encoding="utf-8")
    r, _ = _batch(sheet_dir, "--resume")
    assert _statuses(r) == {2: "ok", 3: "ok"}
    r, _ = _batch(sheet_dir, "--resume")
    assert _statuses(r) == {2: "bo-qua", 3: "bo-qua"}
    (presets / "rieng.yaml").write_text("luu: [VT, KT, TC]\n", encoding="utf-8")
    r, _ = _batch(sheet_dir, "--resume")
    assert _statuses(r) == {2: "ok", 3: "ok"}
    from drafter import api

    template = api.find_template("cong-van", sheet_dir)
    (sheet_dir / "templates").mkdir()
    (sheet_dir / "templates" / "cong-van.docx").write_bytes(template.read_bytes() + b"\0")
    r, seconds = _batch(sheet_dir, "--resume")
    assert _statuses(r) == {2: "ok", 3: "ok"} and seconds < 2


def test_resume_redoes_a_document_cut_short_on_disk(sheet_dir):
    doc = sheet_dir / "out" / "002.docx"
    whole = doc.read_bytes()
    doc.write_bytes(whole[: len(whole) // 2])
    r, seconds = _batch(sheet_dir, "--resume")
    assert r.exit_code == 0 and seconds < 2
    assert _statuses(r) == {2: "bo-qua", 3: "ok"}
    assert zipfile.ZipFile(doc).testzip() is None


# --------------------------------------------------------------------------- interruptions


def _many(folder: Path, n: int) -> None:
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    write_csv(folder / "data.csv", [dict(ROWS[0], ma=f"{i:04d}", so=str(i + 1)) for i in range(n)])


def _interrupt(folder: Path, sig: int, *, jobs: int, group: bool = False, after: int = 5):
    out = folder / "out"
    out.mkdir()
    mine = out / ".ghi-chu.tmp"  # the user's own file
    mine.write_text("của tôi", encoding="utf-8")
    other = out / ".0001.docx.0123456789abcdef-0a1b2c3d.tmp"  # another batch's temporary file
    other.write_bytes(b"PK")
    proc = subprocess.Popen([DRAFTER, "batch", str(folder / "draft.yaml"), str(folder / "data.csv"), "-o", str(out),
                             "--name", "{ma}", "-j", str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < after and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    sent = time.monotonic()
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    seconds = time.monotonic() - sent
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {r["file"] for r in manifest["rows"] if r["file"]}
    on_disk = {p.name for p in out.glob("*.docx")}
    return proc.returncode, err.decode("utf-8"), seconds, manifest, listed, on_disk, mine, other


@posix_only
@pytest.mark.parametrize("sig, jobs, group", [
    (signal.SIGINT, 1, False),
    (signal.SIGINT, 2, True),  # Ctrl-C in a terminal: the whole group gets it
    (signal.SIGTERM, 2, False),
    (signal.SIGTERM, 2, True),  # a service manager ending the whole group
    (signal.SIGHUP, 2, True),  # the terminal closed
])
def test_interruption_lists_every_document_and_removes_only_its_own_temporary_files(tmp_path, sig, jobs, group):
    _many(tmp_path, 3000)
    code, err, seconds, manifest, listed, on_disk, mine, other = _interrupt(tmp_path, sig, jobs=jobs, group=group)
    assert code == 1, err  # an ordinary event: exit 1, the manifest says "interrupted"
    assert "Traceback" not in err and "Lỗi nội bộ" not in err
    assert seconds < 5  # stops within a document or two (a killed worker: a short grace)
    assert manifest["interrupted"] and 0 < len(on_disk) < 3000
    assert listed == on_disk  # every document on disk is in the manifest, and only those
    for name in on_disk:
        assert zipfile.ZipFile(tmp_path / "out" / name).testzip() is None
    assert mine.read_text(encoding="utf-8") == "của tôi" and other.read_bytes() == b"PK"
    assert tmp_files(tmp_path / "out") == sorted([mine.name, other.name])


@posix_only
def test_a_worker_killed_on_its_own_stops_the_batch_and_loses_nothing(tmp_path):
    """A worker killed by something else than a stop of the batch (the system out of
    memory): the rows it held never come back, so the batch stops as if interrupted
    instead of waiting for them for ever; what was made is listed, the message says
    what happened and that --resume goes on."""
    _many(tmp_path, 20_000)
    out = tmp_path / "out"
    proc = subprocess.Popen([DRAFTER, "batch", str(tmp_path / "draft.yaml"), str(tmp_path / "data.csv"), "-o",
                             str(out), "--name", "{ma}", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 50 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert len(children) == 2, children  # the two workers
    killed = time.monotonic()
    os.kill(int(children[0]), signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    seconds = time.monotonic() - killed
    err = err.decode("utf-8")
    assert proc.returncode == 1 and seconds < 10, (proc.returncode, seconds, err[-500:])
    assert "Traceback" not in err and "Lỗi nội bộ" not in err
    assert "bị dừng đột ngột" in err and "--resume" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {r["file"] for r in manifest["rows"] if r["file"]}
    on_disk = {p.name for p in out.glob("*.docx")}
    assert manifest["interrupted"] and 0 < len(on_disk) < 20_000 and listed == on_disk
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # its temporary files gone


@posix_only
def test_an_interrupted_run_keeps_the_entries_of_documents_it_did_not_reach(tmp_path):
    _many(tmp_path, 3000)
    # Stopped once several blocks of rows are made (a stop ends the block under way).
    _, _, _, _, listed_first, _, _, _ = _interrupt(tmp_path, signal.SIGINT, jobs=1, after=5 * batch.BLOCK)
    out = tmp_path / "out"
    # The draft changes: a --resume run redoes every row; stopped after its first
    # documents, the first run's others are still on disk and still listed.
    draft = tmp_path / "draft.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("triệu đồng.", "triệu đồng (đợt 2)."),
                     encoding="utf-8")
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    proc = subprocess.Popen([DRAFTER, "batch", str(draft), str(tmp_path / "data.csv"),
                             "-o", str(out), "--name", "{ma}", "--resume"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            p.stat().st_mtime_ns != first.get(p.name) for p in out.glob("*.docx")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {r["file"] for r in manifest["rows"] if r["file"]}
    assert proc.returncode == 1 and manifest["interrupted"]
    redone = {p.name for p in out.glob("*.docx") if p.stat().st_mtime_ns != first.get(p.name)}
    assert 0 < len(redone) < len(listed_first)  # some rows of the first run not reached
    assert listed_first <= listed and listed == {p.name for p in out.glob("*.docx")}


# --------------------------------------------------------------------------- appendix through a link


def test_appendix_on_a_link_updates_the_linked_document_and_keeps_the_link(tmp_path):
    from test_appendix import appendix_sdt, document, render, table_rows, write_draft

    real_dir = tmp_path / "luu-tru"
    real_dir.mkdir()
    draft, doc = render(real_dir, cost=150)
    link = tmp_path / "lien-ket.docx"
    link.symlink_to(doc)
    write_draft(real_dir, "qd.yaml", cost=1030)
    r, seconds = run_cli("appendix", str(draft), str(link))
    assert r.exit_code == 0 and seconds < 2, r.output
    assert link.is_symlink() and link.resolve() == doc.resolve()
    assert table_rows(appendix_sdt(document(doc)))[-1][-1] == "1.240"
    assert tmp_files(real_dir) == [] and tmp_files(tmp_path) == []


def test_appendix_output_that_does_not_read_back_keeps_the_original(tmp_path, monkeypatch):
    from test_appendix import render, write_draft

    draft, doc = render(tmp_path, cost=150)
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", cost=1030)
    with monkeypatch.context() as mp:
        lose_the_tails(mp)
        r, seconds = run_cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and seconds < 2
    assert "không đầy đủ" in r.output and "giữ nguyên" in r.output and "Traceback" not in r.output
    assert doc.read_bytes() == before and tmp_files(tmp_path) == []


@posix_only
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_second_ctrl_c_stops_at_once_and_still_lists_every_document(tmp_path, jobs):
    _many(tmp_path, 3000)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([DRAFTER, "batch", str(tmp_path / "draft.yaml"), str(tmp_path / "data.csv"),
                             "-o", str(out), "--name", "{ma}", "-j", str(jobs)], stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and time.monotonic() - sent < 3
    assert "Traceback" not in err.decode("utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {r["file"] for r in manifest["rows"] if r["file"]} == {p.name for p in out.glob("*.docx")}
    assert tmp_files(out) == []


def test_render_keeps_the_old_document_when_the_new_one_does_not_read_back(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from drafter import api
    from drafter.cli import main

    draft = tmp_path / "d.yaml"
    draft.write_text((Path(__file__).resolve().parent.parent / "samples" / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "d.docx"
    out.write_bytes(b"the user's good document")
    real = api.render_bytes
    monkeypatch.setattr(api, "render_bytes", lambda *a, **k: real(*a, **k)[:-100])  # a write cut short
    r = CliRunner().invoke(main, ["render", str(draft), "--force"])
    assert r.exit_code == 1 and "không đầy đủ" in r.output and "Lỗi nội bộ" not in r.output
    assert out.read_bytes() == b"the user's good document"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_batch_whose_manifest_cannot_be_written_still_counts_its_documents(batch_dir, monkeypatch):
    """The disk fills after the documents: they are made and counted, and the command
    says the list could not be written (and how to finish), exit 1; never "nothing made"."""
    out = batch_dir / "out"
    with monkeypatch.context() as mp:
        lose_the_tails(mp, ".json")  # the documents are whole, manifest.json is cut short
        r, _ = run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out))
    assert r.exit_code == 1, r.output
    assert "Xong: 2 văn bản" in r.output and "Chưa ghi được danh sách" in r.output, r.output
    assert "manifest.json" in r.output and "--resume" in r.output
    assert "Chưa tạo được văn bản" not in r.output and "Lỗi nội bộ" not in r.output
    assert len(list(out.glob("*.docx"))) == 2 and not (out / "manifest.json").exists()
    assert tmp_files(out) == []
    r, _ = run_cli("batch", str(batch_dir / "draft.yaml"), str(batch_dir / "data.csv"), "-o", str(out), "--resume")
    assert r.exit_code == 0, r.output
    assert len(json.loads((out / "manifest.json").read_text("utf-8"))["rows"]) == 2
