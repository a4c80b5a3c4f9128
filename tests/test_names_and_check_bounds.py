"""Issue 15, points 7 and 8: `--name` specs and output paths, and a bounded `drafter check`.

Every hostile input goes through the real command (CliRunner on drafter.cli.main, or
a real process for memory); each refusal is checked for its Vietnamese message, its
exit code, the files it did not write, and its speed; each has a control that the
same command accepts the ordinary input, so no test here passes by doing nothing.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CV_SAMPLE = SAMPLES / "000-cong-van-ha-tinh.yaml"
BATCH_DRAFT = SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml"
BATCH_CSV = SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv"
PATH_MESSAGE = "Không dùng được đường dẫn này để ghi"


def run(args, cwd: Path, env: dict | None = None):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        start = time.perf_counter()
        result = CliRunner().invoke(main, args, env=env)
        return result, time.perf_counter() - start
    finally:
        os.chdir(old)


def clean(result) -> str:
    out = result.output
    assert "Lỗi nội bộ" not in out and "Traceback" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return out


@pytest.fixture
def desk(tmp_path):
    for f in (CV_SAMPLE, BATCH_DRAFT, BATCH_CSV):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


# --------------------------------------------------------------------------- --name specs

@pytest.mark.parametrize("pattern, words", [
    ("{ma:>999999999}", "độ rộng 999999999"),
    ("{ma:.999999999}", "độ dài 999999999"),
    ("{ma:{ten}}", "sau dấu ':' chỉ được căn lề và độ rộng"),
    ("{ma:{ten:{ten}}}", "sau dấu ':' chỉ được căn lề và độ rộng"),
    ("{ma:d}", "sau dấu ':' chỉ được căn lề và độ rộng"),
    ("{ma:=5}", "sau dấu ':' chỉ được căn lề và độ rộng"),
    ("{ma", "mỗi '{' cần một '}'"),
])
def test_hostile_name_specs_are_refused_at_once(desk, pattern, words):
    result, seconds = run(["batch", BATCH_DRAFT.name, BATCH_CSV.name, "-o", "ra", "--name", pattern], desk)
    out = clean(result)
    assert result.exit_code == 1, out
    assert "[--name]" in out and words in out, out
    assert seconds < 10, seconds
    assert not any((desk / "ra").glob("*.docx"))


def test_a_bounded_name_spec_names_the_documents(desk):
    """Control: padding and cutting within the bound work and name the files."""
    result, _ = run(["batch", BATCH_DRAFT.name, BATCH_CSV.name, "-o", "ra", "--name", "{ma:0>7}-{ten:.4}"], desk)
    out = clean(result)
    assert result.exit_code == 0, out
    names = sorted(p.name for p in (desk / "ra").glob("*.docx"))
    assert names and all(re.fullmatch(r"\d{7}-.{1,4}\.docx", n) for n in names), names


def test_the_name_width_bound_can_be_raised(desk):
    args = ["batch", BATCH_DRAFT.name, BATCH_CSV.name, "-o", "ra", "--name", "{ma:0>150}"]
    refused, _ = run(args, desk)
    assert refused.exit_code == 1 and "tối đa 120" in clean(refused)
    raised, _ = run(args, desk, env={"DRAFTER_MAX_NAME_WIDTH": "200"})
    assert raised.exit_code == 0, clean(raised)
    assert any((desk / "ra").glob("0000000*.docx"))  # cut to the 120-byte stem, still a name
    bad, _ = run(args, desk, env={"DRAFTER_MAX_NAME_WIDTH": "nhiều"})
    assert bad.exit_code == 1 and "DRAFTER_MAX_NAME_WIDTH" in clean(bad)


# --------------------------------------------------------------------------- output paths

LONG = "a" * 300


def _commands(desk: Path):
    """Every command's -o, each with an output path too long for the file system."""
    good = desk / "tot.docx"
    if not good.exists():
        result, _ = run(["render", CV_SAMPLE.name, "-o", good.name], desk)
        assert result.exit_code == 0, result.output
    return {
        "render": ["render", CV_SAMPLE.name, "-o", f"{LONG}.docx"],
        "new": ["new", "cong-van", "--no-input", "-o", LONG],
        "batch": ["batch", BATCH_DRAFT.name, BATCH_CSV.name, "-o", f"{LONG}/ra"],
        "pdf": ["pdf", good.name, "-o", LONG],
        "preview": ["preview", CV_SAMPLE.name, "-o", LONG],
        "appendix": ["appendix", CV_SAMPLE.name, good.name, "-o", f"{LONG}.docx"],
    }


@pytest.mark.parametrize("command", ["render", "new", "batch", "pdf", "preview", "appendix"])
def test_a_too_long_output_name_gets_the_one_path_message(desk, command):
    args = _commands(desk)[command]
    before = sorted(p.name for p in desk.iterdir())
    result, seconds = run(args, desk)
    out = clean(result)
    assert result.exit_code == 1, out
    assert PATH_MESSAGE in out and "quá 255 byte" in out and "[-o]" in out, out
    assert seconds < 10, seconds
    assert sorted(p.name for p in desk.iterdir()) == before


@pytest.mark.parametrize("command", ["render", "new", "batch", "pdf", "preview", "appendix"])
def test_a_control_character_in_an_output_name_gets_the_one_path_message(desk, command):
    args = [a.replace(LONG, "ket\x01qua") for a in _commands(desk)[command]]
    before = sorted(p.name for p in desk.iterdir())
    result, seconds = run(args, desk)
    out = clean(result)
    assert result.exit_code == 1, out
    assert PATH_MESSAGE in out and "U+0001" in out, out
    assert seconds < 10
    assert sorted(p.name for p in desk.iterdir()) == before


def test_a_path_thousands_of_folders_deep_is_refused(desk):
    result, seconds = run(["render", CV_SAMPLE.name, "-o", "b/" * 2100 + "x.docx"], desk)
    out = clean(result)
    assert result.exit_code == 1 and PATH_MESSAGE in out and "quá 4095 byte" in out, out
    assert seconds < 10 and not (desk / "b").exists()


def test_an_ordinary_output_name_is_written(desk):
    """Control for the tests above: the same commands with a plain name work."""
    result, _ = run(["render", CV_SAMPLE.name, "-o", "ket-qua.docx"], desk)
    assert result.exit_code == 0, clean(result)
    result, _ = run(["new", "cong-van", "--no-input", "-o", "moi"], desk)
    assert result.exit_code == 0, clean(result)
    assert (desk / "ket-qua.docx").is_file() and (desk / "moi.docx").is_file()


def test_a_path_the_file_system_refuses_later_gets_the_same_message(desk, monkeypatch):
    """ENAMETOOLONG raised deep inside a command (a file system with shorter names)."""
    from drafter.package import atomic

    def refuse(path, *a, **k):
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))

    monkeypatch.setattr(atomic, "atomic_write_bytes", refuse)
    monkeypatch.setattr("drafter.api.atomic_write_bytes", refuse)
    result, _ = run(["render", CV_SAMPLE.name, "-o", "ngan.docx"], desk)
    out = clean(result)
    assert result.exit_code == 1 and PATH_MESSAGE in out and "hệ thống tệp không nhận" in out, out


def test_a_full_disk_while_writing_the_manifest_is_said_plainly(desk, monkeypatch):
    """The disk fills up after the documents, while the manifest is written."""
    from drafter import batch

    def full(result, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(result.out_dir / batch.MANIFEST_JSON))

    monkeypatch.setattr(batch, "write_manifest", full)
    result, seconds = run(["batch", BATCH_DRAFT.name, BATCH_CSV.name, "-o", "ra"], desk)
    out = clean(result)
    assert result.exit_code == 1, out
    assert "ổ đĩa đã đầy" in out and "manifest.json" in out and "--resume" in out, out

def test_a_too_long_input_name_gets_the_path_message_without_blaming_o(desk):
    """An input path the file system refuses (drafter check, drafter render): the same
    wording, without '-o' or 'để ghi', and no internal error."""
    for args in (["check", f"{LONG}.docx"], ["render", f"{LONG}.yaml"]):
        result, seconds = run(args, desk)
        out = clean(result)
        assert result.exit_code == 1, out
        assert "Không dùng được đường dẫn này: tên" in out and "quá 255 byte" in out, out
        assert "[-o]" not in out and seconds < 10


# --------------------------------------------------------------------------- drafter check, bounded

def dense_docx(path: Path, paragraphs: int, *, seed: int = 1) -> Path:
    """A real drafter document with `paragraphs` short paragraphs added to its body,
    random enough to compress below the 200:1 ratio bound (like the issue's file)."""
    tmp = path.parent / "nguon"
    tmp.mkdir(exist_ok=True)
    shutil.copy(CV_SAMPLE, tmp / CV_SAMPLE.name)
    result, _ = run(["render", CV_SAMPLE.name, "-o", "nguon.docx", "--force"], tmp)
    assert result.exit_code == 0, result.output
    src = zipfile.ZipFile(tmp / "nguon.docx")
    doc = src.read("word/document.xml").decode("utf-8")
    at = doc.index(">", doc.index("<w:body")) + 1
    rnd = random.Random(seed)
    body = "".join(f"<w:p><w:r><w:t>Đoạn {rnd.getrandbits(30)} của văn bản.</w:t></w:r></w:p>"
                   for _ in range(paragraphs))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = (doc[:at] + body + doc[at:]).encode("utf-8") if item.filename == "word/document.xml" \
                else src.read(item.filename)
            z.writestr(item.filename, data)
    return path


def test_a_300000_paragraph_document_is_refused_in_seconds(tmp_path):
    big = dense_docx(tmp_path / "day-dac.docx", 300_000)
    part = zipfile.ZipFile(big).getinfo("word/document.xml")
    assert part.file_size > 10 * (1 << 20) and part.file_size / part.compress_size < 200  # no zip bomb
    result, seconds = run(["check", big.name], tmp_path)
    out = clean(result)
    assert result.exit_code == 1, out
    assert "vượt giới hạn của drafter check" in out and "DRAFTER_MAX_CHECK_" in out, out
    assert seconds < 10, seconds
    # under the byte bound, the same paragraphs meet the element bound
    result, seconds = run(["check", big.name], tmp_path, env={"DRAFTER_MAX_CHECK_MB": "100"})
    out = clean(result)
    assert result.exit_code == 1 and "quá nhiều phần tử XML" in out, out
    assert seconds < 10, seconds


def test_the_refusal_stays_small_in_memory(tmp_path):
    big = dense_docx(tmp_path / "day-dac.docx", 300_000)
    code = ("import resource, sys\nfrom drafter.cli import main\n"
            "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit as e:\n    code = e.code\n"
            # VmHWM, this process's own peak: ru_maxrss carries over exec the forking
            # pytest worker's size (400 MB after other tests), which is not the check's
            "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "print(code, hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, timeout=60)
    seconds = time.perf_counter() - start
    exit_code, peak_kib = proc.stdout.split()[-2:]
    assert exit_code == "1", proc.stdout + proc.stderr
    assert int(peak_kib) < 400 * 1024, peak_kib  # far below 1 GB: the part is counted, never parsed
    assert seconds < 5, seconds


def test_a_document_under_the_bound_is_checked_and_the_bound_can_move(tmp_path):
    doc = dense_docx(tmp_path / "vua.docx", 3_000)
    result, seconds = run(["check", doc.name], tmp_path)
    out = clean(result)
    assert "quá nhiều phần tử XML" not in out and "Có 0 lỗi" in out, out
    assert seconds < 5, seconds
    lowered, _ = run(["check", doc.name], tmp_path, env={"DRAFTER_MAX_CHECK_ELEMENTS": "5000"})
    assert lowered.exit_code == 1 and "hơn 5.000" in clean(lowered)
    big = dense_docx(tmp_path / "lon.docx", 80_000, seed=2)
    refused, _ = run(["check", big.name], tmp_path)
    assert refused.exit_code == 1 and "quá nhiều phần tử XML" in clean(refused)
    raised, _ = run(["check", big.name], tmp_path, env={"DRAFTER_MAX_CHECK_ELEMENTS": "300000"})
    assert "quá nhiều phần tử XML" not in clean(raised)
    bad, _ = run(["check", doc.name], tmp_path, env={"DRAFTER_MAX_CHECK_ELEMENTS": "-1"})
    assert bad.exit_code == 1 and "DRAFTER_MAX_CHECK_ELEMENTS" in clean(bad)


def long_text_docx(path: Path, paragraphs: int, words: int = 180) -> Path:
    """Few elements, much text: paragraphs of `words` words each."""
    tmp = path.parent / "nguon"
    tmp.mkdir(exist_ok=True)
    shutil.copy(CV_SAMPLE, tmp / CV_SAMPLE.name)
    run(["render", CV_SAMPLE.name, "-o", "nguon.docx", "--force"], tmp)
    src = zipfile.ZipFile(tmp / "nguon.docx")
    doc = src.read("word/document.xml").decode("utf-8")
    at = doc.index(">", doc.index("<w:body")) + 1
    rnd = random.Random(4)
    vocab = ["nội", "dung", "văn", "bản", "hành", "chính", "số", "liệu", "kinh", "phí", "xã", "phường"]
    body = "".join("<w:p><w:r><w:t>" + " ".join(rnd.choices(vocab, k=words)) + "</w:t></w:r></w:p>"
                   for _ in range(paragraphs))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = (doc[:at] + body + doc[at:]).encode("utf-8") if item.filename == "word/document.xml" \
                else src.read(item.filename)
            z.writestr(item.filename, data)
    return path


def test_much_text_in_few_elements_is_bounded_by_size(tmp_path):
    """Text costs the checker about a second per MB: 60 MB of it in 180,000 elements
    took 62 s before the byte bound; now it is refused before it is parsed (the
    message names the byte bound, not the element bound, which needs a parse)."""
    big = long_text_docx(tmp_path / "nhieu-chu.docx", 12_000)  # ~13 MB of XML, 36,000 elements
    assert zipfile.ZipFile(big).getinfo("word/document.xml").file_size > 10 * (1 << 20)
    result, _ = run(["check", big.name], tmp_path)
    out = clean(result)
    assert result.exit_code == 1, out
    assert "quá nhiều nội dung XML" in out and "hơn 10 MB" in out and "DRAFTER_MAX_CHECK_MB" in out, out
    small = long_text_docx(tmp_path / "it-chu.docx", 1_200)  # ~1.3 MB: checked by default
    result, _ = run(["check", small.name], tmp_path)
    assert "Có 0 lỗi" in clean(result), result.output
    lowered, _ = run(["check", small.name], tmp_path, env={"DRAFTER_MAX_CHECK_MB": "0,5"})
    assert lowered.exit_code == 1 and "hơn 0,5 MB" in clean(lowered)
    bad, _ = run(["check", small.name], tmp_path, env={"DRAFTER_MAX_CHECK_MB": "không"})
    assert bad.exit_code == 1 and "DRAFTER_MAX_CHECK_MB" in clean(bad)


def test_element_count_matches_the_parser():
    from lxml import etree

    from drafter.check.reader import count_elements

    xml = (b'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="u"><w:body>'
           b'<w:p><w:r><w:t xml:space="preserve"> a &lt; b </w:t></w:r></w:p><w:p/><!-- x --></w:body></w:document>')
    assert count_elements(xml) == sum(1 for e in etree.fromstring(xml).iter() if isinstance(e.tag, str)) == 6


# --------------------------------------------------------------------------- docs/limits.md

def test_the_new_limits_are_documented_with_their_defaults():
    from drafter.check import reader
    from drafter.rules import filenames

    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")

    def row(var: str) -> str:
        line = next((ln for ln in doc.splitlines() if ln.startswith("|") and f"`{var}`" in ln), None)
        assert line is not None, f"{var} missing from docs/limits.md"
        return line

    assert f"{reader.DEFAULT_MAX_ELEMENTS:,}".replace(",", ".") in row(reader.MAX_ELEMENTS_ENV)
    assert f"| {reader.DEFAULT_MAX_XML_MB} MB |" in row(reader.MAX_XML_ENV)
    assert f"| {filenames.DEFAULT_MAX_WIDTH} |" in row(filenames.MAX_WIDTH_ENV)
    assert f"{filenames.MAX_NAME_BYTES} byte" in doc
    assert f"{filenames.MAX_PATH_BYTES:,} byte".replace(",", ".") in doc
