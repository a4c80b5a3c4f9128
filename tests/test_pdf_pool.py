"""The LibreOffice pool (issue 19, point 4): one LibreOffice per core, own kept profile
each, locked while in use; a stuck, crashed or short-stopping LibreOffice fails only
the file it was on. A fake `soffice` (POSIX script) stands in; the real one is in
tests/test_pdf.py and bench/bench_pdf.py.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import pdf
from drafter.cli import main

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a POSIX script")

FAKE = """\
#!{python}
# A stand-in for soffice: logs its profile and files; *slow* hangs, *crash* dies with a
# signal's code, *bad* is not converted (LibreOffice's "could not be loaded");
# FAKE_MAX converts only that many files of a call (LibreOffice stops short of long lists).
import os, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
files = args[args.index("--outdir") + 2:]
profile = [a for a in args if a.startswith("-env:UserInstallation=")][0].split("=", 1)[1]
with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
    log.write(repr([profile] + [os.path.basename(f) for f in files]) + "\\n")
limit = int(os.environ.get("FAKE_MAX", "0")) or len(files)
for f in files[:limit]:
    name = os.path.basename(f)
    if "slow" in name:
        time.sleep(60)
    if "crash" in name:
        os._exit(139)
    if "bad" in name:
        print("Error: source file could not be loaded")
        continue
    time.sleep(0.02)
    with open(os.path.join(outdir, os.path.splitext(name)[0] + ".pdf"), "wb") as p:
        p.write(b"%PDF-1.4 fake " + name.encode() + b"\\n%%EOF\\n")
"""


@pytest.fixture
def fake(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "calls.log"
    monkeypatch.setenv(pdf.ENV_SOFFICE, str(script))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(pdf.ENV_JOBS, raising=False)
    monkeypatch.setenv(pdf.ENV_IDLE, "0")  # the fake is no LibreOffice to keep: one run per call

    def calls() -> list[tuple[str, list[str]]]:
        if not log.exists():
            return []
        rows = [ast.literal_eval(ln) for ln in log.read_text(encoding="utf-8").splitlines()]
        return [(r[0], r[1:]) for r in rows]

    return calls


def _docs(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in names:
        p = folder / f"{n}.docx"
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
        out.append(p)
    return out


def test_files_split_between_instances_on_kept_profiles(fake, tmp_path):
    docs = _docs(tmp_path / "vb", [f"d{i:02d}" for i in range(12)])
    seen = []
    result = pdf.convert_result(docs, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert result.ok and result.written == [d.with_suffix(".pdf") for d in docs]
    calls = fake()
    assert len(calls) == 2 and len({p for p, _ in calls}) == 2  # two LibreOffices, a profile each
    assert sorted(f for _, files in calls for f in files) == sorted(d.name for d in docs)  # each file once
    cache = tmp_path / "cache" / "libreoffice"
    assert {p for p, _ in calls} == {(cache / "profile-0").as_uri(), (cache / "profile-1").as_uri()}
    # progress: never backwards, ends with every file
    assert seen and seen[-1] == (12, 12) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    # the locks are free again: a second call reuses the same two profiles
    pdf.convert_result(docs, jobs=2, force=True)
    assert {p for p, _ in fake()[2:]} == {p for p, _ in calls}
    assert not list((tmp_path / "vb").glob(".drafter-*"))


def test_a_profile_in_use_is_never_shared(fake, tmp_path):
    cache = tmp_path / "cache" / "libreoffice"
    cache.mkdir(parents=True)
    held = pdf._try_lock(cache / "profile-0.lock")  # another drafter command converting right now
    assert held is not None
    try:
        assert pdf._try_lock(cache / "profile-0.lock") is None
        docs = _docs(tmp_path / "vb", [f"d{i}" for i in range(8)])
        assert pdf.convert(docs, jobs=2) == [d.with_suffix(".pdf") for d in docs]
    finally:
        held.close()
    profiles = {p for p, _ in fake()}
    assert profiles == {(cache / "profile-1").as_uri(), (cache / "profile-2").as_uri()}


def test_few_files_one_libreoffice(fake, tmp_path):
    docs = _docs(tmp_path / "vb", ["a", "b", "c"])
    assert pdf.convert(docs) == [d.with_suffix(".pdf") for d in docs]
    assert len(fake()) == 1  # below MIN_PER_RUN a second start costs more than it saves


@pytest.mark.parametrize("n, instances", [(3321, 2), (1000, 4), (500, 2), (401, 2), (100, 2), (250, 1)])
def test_runs_end_together(n, instances):
    """The runs, taken in turn from one queue by LibreOffices of equal speed, end
    within a short run of each other; every file once, in order, each run within the
    limits."""
    files = [Path(f"/vb/{i:05d}.docx") for i in range(n)]
    runs = pdf._split(files, instances)
    assert [f for run in runs for f in run] == files
    assert all(pdf.MIN_PER_RUN <= len(run) <= pdf.MAX_PER_RUN for run in runs[:-1]) and len(runs[-1]) <= pdf.MAX_PER_RUN
    if instances == 1:  # nothing to even out: runs as long as they go
        assert len(runs) == -(-n // pdf.MAX_PER_RUN)
        return
    if n <= instances * pdf.MAX_PER_RUN:  # one run an instance, or fewer
        assert len(runs) <= instances
        return
    ends = [0] * instances
    for run in runs:  # the instance free first takes the next run
        k = ends.index(min(ends))
        ends[k] += len(run)
    assert max(ends) - min(ends) <= pdf.TAIL_RUN
    assert len(runs) <= -(-n // pdf.MAX_PER_RUN) + 4 * instances + 4  # a few more runs than the fewest


def test_long_lists_in_runs_and_a_short_stop_retried(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PER_RUN", 4)
    monkeypatch.setenv("FAKE_MAX", "2")  # every call stops after 2 files, exit 0
    docs = _docs(tmp_path / "vb", [f"d{i:02d}" for i in range(10)])
    result = pdf.convert_result(docs, jobs=1)
    assert result.ok, result.failed
    assert result.written == [d.with_suffix(".pdf") for d in docs]
    assert all(len(files) <= 4 for _, files in fake())


def test_stuck_file_fails_alone_the_rest_go_on(fake, tmp_path):
    docs = _docs(tmp_path / "vb", ["a", "b", "slow", "c", "d"])
    with pytest.raises(pdf.ConversionTimeout) as info:
        pdf.convert(docs, jobs=1, timeout=1.5)
    err = info.value
    assert err.files == [docs[2]] and set(err.failed) == {docs[2]}
    assert err.written == [tmp_path / "vb" / f"{n}.pdf" for n in ("a", "b", "c", "d")]
    assert "1.5 giây" in str(err) and "slow.docx" in str(err)
    assert "quá 1.5 giây" in err.failed[docs[2]] and "các tệp khác vẫn được chuyển" in err.failed[docs[2]]
    assert [files for _, files in fake()] == [["a.docx", "b.docx", "slow.docx", "c.docx", "d.docx"],
                                            ["c.docx", "d.docx"]]  # a fresh run after the stuck file


def test_crashed_libreoffice_fails_its_file_the_rest_go_on(fake, tmp_path):
    docs = _docs(tmp_path / "vb", ["a", "crash", "b", "bad", "c"])
    result = pdf.convert_result(docs, jobs=1)
    assert set(result.failed) == {docs[1], docs[3]}
    assert "dừng đột ngột" in result.failed[docs[1]] and "139" in result.failed[docs[1]]
    assert "không tạo được PDF" in result.failed[docs[3]] and "could not be loaded" in result.failed[docs[3]]
    assert result.written == [tmp_path / "vb" / f"{n}.pdf" for n in ("a", "b", "c")]
    assert not result.timed_out


def test_cli_jobs_and_vietnamese_failures(fake, tmp_path):
    docs = _docs(tmp_path / "vb", [f"d{i}" for i in range(8)] + ["bad"])
    r = CliRunner().invoke(main, ["pdf", "-j", "2", "--json", *map(str, docs)])
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert len(out["pdf"]) == 8 and [f["docx"] for f in out["failed"]] == [str(docs[-1])]
    assert len({p for p, _ in fake()}) == 2
    r = CliRunner().invoke(main, ["pdf", "-j", "1", "--force", *map(str, docs[:8])])
    assert r.exit_code == 0, r.output
    assert len(fake()) == 3 and r.output.count("Đã tạo PDF") == 8
    r = CliRunner().invoke(main, ["pdf", "-j", "0", str(docs[0])])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert re.search(r"-j|--jobs", r.output)


def test_default_jobs_is_the_cores(monkeypatch):
    monkeypatch.delenv(pdf.ENV_JOBS, raising=False)
    assert pdf.default_jobs() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(pdf.ENV_JOBS, "3")
    assert pdf.default_jobs() == 3


def test_one_place_builds_the_command_line(tmp_path):
    cmd = pdf.soffice_command("soffice", tmp_path / "p", tmp_path / "o", [tmp_path / "a.docx"])
    assert cmd[:2] == ["soffice", "--headless"] and f"-env:UserInstallation={(tmp_path / 'p').as_uri()}" in cmd
    assert cmd[cmd.index("--convert-to") + 1] == "pdf" and cmd[-1] == str(tmp_path / "a.docx")
    pdfa = pdf.soffice_command("soffice", tmp_path / "p", tmp_path / "o", [], pdfa=True)
    assert pdfa[pdfa.index("--convert-to") + 1] == pdf.PDFA_FILTER


def test_idle_time_read_from_the_environment(monkeypatch):
    monkeypatch.delenv(pdf.ENV_IDLE, raising=False)
    assert pdf.idle_seconds() == pdf.DEFAULT_IDLE == 600
    monkeypatch.setenv(pdf.ENV_IDLE, "0")
    assert pdf.idle_seconds() == 0
    monkeypatch.setenv(pdf.ENV_IDLE, "90")
    assert pdf.idle_seconds() == 90
    monkeypatch.setenv(pdf.ENV_IDLE, "mười phút")
    with pytest.raises(pdf.PdfError, match=pdf.ENV_IDLE):
        pdf.idle_seconds()


def test_a_libreoffice_that_will_not_stay_up_still_converts(fake, tmp_path, monkeypatch):
    # The fake cannot be kept running (started without files it just fails): each call
    # then converts its files itself, as before kept instances.
    monkeypatch.setenv(pdf.ENV_IDLE, "60")
    docs = _docs(tmp_path / "vb", ["a", "b"])
    assert pdf.convert(docs, jobs=1) == [d.with_suffix(".pdf") for d in docs]
    assert pdf.kept_instance(tmp_path / "cache" / "libreoffice" / "profile-0") is None
    assert [files for _, files in fake()] == [["a.docx", "b.docx"]]


# --------------------------------------------------------------------------- kept LibreOffices (real)
#
# LibreOffice itself: kept running between calls, found again, replaced when killed or
# hung, stopped when idle. One module's cache folder; the instance of one test is the
# next one's starting point.

SOFFICE = pdf.find_soffice()


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path_factory.mktemp("kept")
    subprocess.run([sys.executable, "-m", "drafter.cli", "new", "cong-van", "--no-input", "-o", "mau"],
                   cwd=work, check=True, capture_output=True,
                   env={**os.environ, "DRAFTER_USER_DIR": str(work / "user")})
    docs = [Path(shutil.copy(work / "mau.docx", work / f"vb-{i}.docx")) for i in range(4)]
    bad = work / "hong.docx"  # a zip LibreOffice cannot load
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    cache = work / "cache"
    yield {"docs": docs, "bad": bad, "cache": cache, "profile": cache / "libreoffice" / "profile-0"}
    pdf.stop_instances(cache / "libreoffice")


@pytest.fixture
def kept(real, monkeypatch):
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(real["cache"]))
    monkeypatch.setenv(pdf.ENV_IDLE, "120")
    monkeypatch.delenv(pdf.ENV_SOFFICE, raising=False)
    for d in real["docs"]:
        d.with_suffix(".pdf").unlink(missing_ok=True)
    return real


def _until_gone(profile: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while pdf.kept_instance(profile) is not None and time.monotonic() < deadline:
        time.sleep(0.1)


def _whole_pdfs(docs: list[Path]) -> bool:
    return all(pdf.pdf_incomplete(d.with_suffix(".pdf")) is None for d in docs)


def test_kept_libreoffice_reused_by_the_next_call_bad_file_reported(kept, monkeypatch):
    docs, bad, profile = kept["docs"], kept["bad"], kept["profile"]
    first = pdf.convert_result([*docs, bad], jobs=1)
    assert first.written == [d.with_suffix(".pdf") for d in docs] and _whole_pdfs(docs)
    assert list(first.failed) == [bad]
    assert "LibreOffice không tạo được PDF" in first.failed[bad] and "could not be loaded" in first.failed[bad]
    pid = pdf.kept_instance(profile)
    assert pid is not None  # still running after the call
    r = CliRunner().invoke(main, ["pdf", "-j", "1", "--force", "--json", *map(str, docs), str(bad)])
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    assert out["pdf"] == [str(d.with_suffix(".pdf")) for d in docs] and _whole_pdfs(docs)
    assert [f["docx"] for f in out["failed"]] == [str(bad)]
    assert "could not be loaded" in out["failed"][0]["reason"]
    assert pdf.kept_instance(profile) == pid  # the same LibreOffice did the second call
    monkeypatch.setattr(pdf, "RECYCLE_AFTER", 2 * len(docs) + 3)  # reached by the next document
    assert pdf.convert(docs[:1], jobs=1, force=True) == [docs[0].with_suffix(".pdf")]
    assert pdf.kept_instance(profile) is None  # stopped: the next run starts a fresh one


def test_killed_libreoffice_replaced_then_stopped_when_idle(kept, monkeypatch):
    docs, profile = kept["docs"], kept["profile"]
    pid = pdf.kept_instance(profile) or pdf.convert(docs[:1], jobs=1) and pdf.kept_instance(profile)
    assert pid
    os.killpg(pid, signal.SIGKILL)
    _until_gone(profile)  # (a call in the instant it dies converts its files itself, keeping none)
    monkeypatch.setenv(pdf.ENV_IDLE, "2")
    assert pdf.convert(docs, jobs=1, force=True) == [d.with_suffix(".pdf") for d in docs] and _whole_pdfs(docs)
    new = pdf.kept_instance(profile)
    assert new is not None and new != pid
    _until_gone(profile)
    assert pdf.kept_instance(profile) is None  # gone after 2 s without a call
    # The keeper removes the record once its LibreOffice has ended, a moment after
    # kept_instance already sees it gone (a busy machine makes the moment longer).
    record = profile.with_name("profile-0.json")
    deadline = time.monotonic() + 15
    while record.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not record.exists()
    with pytest.raises(OSError):
        os.kill(new, 0)


@pytest.mark.slow
def test_hung_libreoffice_never_hangs_a_call(kept):
    docs, profile = kept["docs"], kept["profile"]
    pid = pdf.kept_instance(profile) or pdf.convert(docs[:1], jobs=1, force=True) and pdf.kept_instance(profile)
    assert pid
    os.killpg(pid, signal.SIGSTOP)  # hung between two calls
    started = time.monotonic()
    result = pdf.convert_result(docs, jobs=1, force=True, timeout=3)
    assert result.ok and not result.timed_out, result.failed  # a fresh one converted them all
    assert _whole_pdfs(docs) and time.monotonic() - started < 60
    new = pdf.kept_instance(profile)
    assert new is not None and new != pid
