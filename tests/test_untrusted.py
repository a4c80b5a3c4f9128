"""Issue #9 end to end: files that arrive by email never hang drafter, never make it
read files it should not, and never cost the user their document.

Every hostile file is built here, in the test. Each kind goes through `drafter check`
and `drafter appendix` (in place and with -o) on the command line; the assertions
are the user's view: exit code 1, a Vietnamese message naming the file, no
traceback, a few seconds at most, the input file byte for byte as it was, and no
file anywhere except the ones the command was asked to write. A few heavy kinds
also run in a real process, whose wall time and peak memory are measured.

Sheets for `drafter batch` (legacy encodings, BOM, ragged rows, formulas, 100,000
rows, an empty sheet) are checked through the CLI too; the reader itself is covered
by test_sheets.py. A hypothesis fuzz test mutates a real drafter .docx and checks
that `appendix` and `check` end in success or a clean DrafterError, nothing else.
"""

from __future__ import annotations

import functools
import hashlib
import json
import io
import os
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from docx_view import DocView

from drafter.cli import main
from drafter.errors import DrafterError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CV_SAMPLE = SAMPLES / "000-cong-van-ha-tinh.yaml"  # a công văn, no appendix
QD_SAMPLE = SAMPLES / "004-quyet-dinh-hung-yen.yaml"  # a quyết định with an appendix table

SECRET = "BI-MAT-KHONG-DUOC-DOC-9f3a"  # the content of a file no hostile package may reach
TIME_LIMIT = 5.0  # seconds, per command, for every hostile package
MiB = 1 << 20

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


def root_rels(target: str = "word/document.xml") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{target}"/></Relationships>'
    ).encode()


def document(body: str = "<w:p><w:r><w:t>Kính gửi: Ủy ban nhân dân xã</w:t></w:r></w:p>",
             prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()


# --------------------------------------------------------------------------- a raw zip writer
# zipfile cleans names and always tells the truth about sizes; a hostile file does neither.


def raw_zip(entries: list[dict]) -> bytes:
    """A zip file from entries {name, data, [method], [declared_size], [flags]}: names are
    written exactly as given, the declared uncompressed size may lie."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e["name"].encode("utf-8")
        data = e["data"]
        method = e.get("method", 8)
        if method == 8:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            if isinstance(data, bytes):
                payload = c.compress(data) + c.flush()
                crc, size = zlib.crc32(data), len(data)
            else:  # (chunk, repeat): large data without holding it in memory
                chunk, repeat = data
                pieces, crc = [], 0
                for _ in range(repeat):
                    pieces.append(c.compress(chunk))
                    crc = zlib.crc32(chunk, crc)
                pieces.append(c.flush())
                payload, size = b"".join(pieces), len(chunk) * repeat
        else:
            payload, crc, size = data, zlib.crc32(data), len(data)
        declared = e.get("declared_size", size)
        flags = e.get("flags", 0) | 0x0800  # UTF-8 names
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 0x21,
                           crc, len(payload), declared, len(name), 0) + name + payload
        central += struct.pack("<4sBBHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 3, 20, flags, method, 0,
                               0x21, crc, len(payload), declared, len(name), 0, 0, 0, 0,
                               0o100644 << 16, offset) + name
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                       len(out) - len(central), 0)
    return bytes(out)


def package(*extra: dict, doc: bytes | None = None, rels: bytes | None = None,
            main: bool = True) -> bytes:
    entries = [{"name": "[Content_Types].xml", "data": CONTENT_TYPES},
               {"name": "_rels/.rels", "data": root_rels() if rels is None else rels}]
    if main:
        entries.append({"name": "word/document.xml", "data": document() if doc is None else doc})
    return raw_zip(entries + list(extra))


def minimal_docx() -> bytes:
    return package()


# --------------------------------------------------------------------------- the hostile kinds
# kind -> (builder(ctx) -> bytes, a phrase the Vietnamese message must contain)


def _xxe(ctx) -> bytes:
    return package(doc=document("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>",
                                f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{ctx.secret}">]>'))


def _xxe_parameter(ctx) -> bytes:
    return package(doc=document(prolog=f'<!DOCTYPE d [<!ENTITY % p SYSTEM "file://{ctx.secret}"> %p;]>'))


def _xxe_in_rels(ctx) -> bytes:
    rels = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY t SYSTEM "file://{ctx.secret}">]>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="&t;"/></Relationships>').encode()
    return package(rels=rels)


def _xxe_utf16(ctx) -> bytes:
    text = (f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document '
            f'[<!ENTITY x SYSTEM "file://{ctx.secret}">]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r>'
            "<w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
    return package(doc=text.encode("utf-16"))


def _billion_laughs(ctx) -> bytes:
    ents = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return package(doc=document("<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>",
                                f'<!DOCTYPE w:document [<!ENTITY l0 "ha">{ents}]>'))


def _zip_bomb_ratio(ctx) -> bytes:
    # 40 MiB of zeros, honestly declared: about 40 KiB on disk (ratio ≈ 1000:1)
    return package({"name": "word/media/image1.png", "data": (bytes(MiB), 40)})


@functools.lru_cache(maxsize=None)
def _spaces_document(declared_size: int | None) -> bytes:
    """A package whose document part inflates to 300 MiB of spaces (about 300 KiB on
    disk), declaring ``declared_size`` (None: the truth). Built once per session."""
    return raw_zip([
        {"name": "[Content_Types].xml", "data": CONTENT_TYPES},
        {"name": "_rels/.rels", "data": root_rels()},
        {"name": "word/document.xml", "data": (b" " * MiB, 300),
         **({} if declared_size is None else {"declared_size": declared_size})},
    ])


def _zip_bomb_declared(ctx) -> bytes:
    # a document part declaring 300 MiB: more than one part may hold
    return _spaces_document(None)


def _zip_bomb_lying(ctx) -> bytes:
    # declares 4 KiB, inflates to 300 MiB: the reader must stop after a few hundred KiB
    return _spaces_document(4096)


def _many_parts(ctx) -> bytes:
    return package(*({"name": f"word/media/p{i}.xml", "data": b"<x/>"} for i in range(2500)))


def _dotdot_name(ctx) -> bytes:
    return package({"name": "../DOTDOT-TARGET.xml", "data": b"<pwned/>"},
                   {"name": "word/../../DOTDOT-TARGET.xml", "data": b"<pwned/>"})


def _absolute_name(ctx) -> bytes:
    return package({"name": str(ctx.absolute_target), "data": b"<pwned/>"})


def _backslash_name(ctx) -> bytes:
    return package({"name": "..\\..\\DOTDOT-TARGET.xml", "data": b"<pwned/>"})


def _rels_target_outside(ctx) -> bytes:
    # the main part "is" a file outside the package: it must never be opened
    return package(rels=root_rels(str(ctx.secret)), main=False)


def _rels_target_dotdot(ctx) -> bytes:
    return package(rels=root_rels("../../../../../../" + str(ctx.secret).lstrip("/")), main=False)


def _corrupt_deflate(ctx) -> bytes:
    # the first deflate block of the main part has the reserved type 3: zlib raises
    # "invalid block type" before any CRC could be checked
    data = bytearray(minimal_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    data[info.header_offset + 30 + len(info.filename.encode())] = 0b111
    return bytes(data)


KINDS: dict[str, tuple] = {
    "not-a-zip": (lambda ctx: "Đây là thư điện tử, không phải tệp Word.\n".encode() * 50,
                  "không phải là tệp Word"),
    "empty": (lambda ctx: b"", "tệp rỗng"),
    "pdf-renamed": (lambda ctx: b"%PDF-1.7\n" + b"x" * 2000, "tệp PDF"),
    "legacy-doc": (lambda ctx: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2048), "kiểu cũ (.doc)"),
    "truncated": (lambda ctx: ctx.good[: len(ctx.good) // 2], "bị cắt cụt"),
    "cut-central-directory": (lambda ctx: ctx.good[:-30], "bị cắt cụt"),
    "corrupt-deflate": (_corrupt_deflate, "dữ liệu nén sai"),
    "zip-bomb-ratio": (_zip_bomb_ratio, "bom nén"),
    "zip-bomb-declared": (_zip_bomb_declared, "DRAFTER_MAX_PART_MB"),
    "zip-bomb-lying-header": (_zip_bomb_lying, "khai man"),
    "thousands-of-parts": (_many_parts, "DRAFTER_MAX_PARTS"),
    "dotdot-name": (_dotdot_name, "'..'"),
    "absolute-name": (_absolute_name, "đường dẫn tuyệt đối"),
    "backslash-name": (_backslash_name, "'\\'"),
    "duplicate-name": (lambda ctx: package({"name": "word/document.xml", "data": document("")}),
                       "trùng tên"),
    "encrypted-entry": (lambda ctx: package({"name": "word/x.xml", "data": b"<x/>", "flags": 1}),
                        "mật khẩu"),
    "unknown-compression": (lambda ctx: package({"name": "word/x.xml", "data": b"<x/>", "method": 12}),
                            "kiểu nén"),
    "xxe": (_xxe, "DOCTYPE/ENTITY"),
    "xxe-parameter-entity": (_xxe_parameter, "DOCTYPE/ENTITY"),
    "xxe-in-rels": (_xxe_in_rels, "DOCTYPE/ENTITY"),
    "xxe-utf16": (_xxe_utf16, "DOCTYPE/ENTITY"),
    "billion-laughs": (_billion_laughs, "DOCTYPE/ENTITY"),
    "deep-xml": (lambda ctx: package(doc=document("<w:p>" * 5000 + "</w:p>" * 5000)), "không phải XML hợp lệ"),
    "bad-xml": (lambda ctx: package(doc=document()[:-25]), "không phải XML hợp lệ"),
    "main-part-missing": (lambda ctx: package(main=False), "thiếu phần"),
    "no-package-rels": (lambda ctx: raw_zip([{"name": "[Content_Types].xml", "data": CONTENT_TYPES},
                                             {"name": "word/document.xml", "data": document()}]),
                        "_rels/.rels"),
    "rels-target-outside": (_rels_target_outside, "thiếu phần"),
    "rels-target-dotdot": (_rels_target_dotdot, "thiếu phần"),
}


class Ctx:
    """What a builder may refer to: the secret file, the absolute target, a good docx."""

    def __init__(self, root: Path):
        self.root = root
        self.secret = root / "secret.txt"
        self.absolute_target = root / "ABS-TARGET.xml"
        self.good = minimal_docx()


# --------------------------------------------------------------------------- helpers


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root (hidden ones too) with a digest of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() or p.is_symlink()}


def vietnamese(text: str) -> bool:
    return any(ch in text for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


@pytest.fixture
def room(tmp_path, monkeypatch):
    """tmp/in (the current folder, with the hostile file and a draft), tmp/out (for -o),
    tmp/secret.txt. Commands run from tmp/in, so '../x' from there lands in tmp/."""
    ctx = Ctx(tmp_path)
    ctx.secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    shutil.copy(QD_SAMPLE, tmp_path / "in" / "qd.yaml")
    monkeypatch.chdir(tmp_path / "in")
    return ctx


COMMANDS = {
    "check": lambda doc, out: ["check", doc.name],
    "appendix-in-place": lambda doc, out: ["appendix", "qd.yaml", doc.name],
    "appendix-o": lambda doc, out: ["appendix", "qd.yaml", doc.name, "-o", str(out)],
}


def assert_refused(output: str, doc: Path, phrase: str) -> None:
    assert "Traceback" not in output and "Lỗi nội bộ" not in output, output
    assert doc.name in output, output  # the message names the file
    assert vietnamese(output), output
    assert phrase in output, output
    assert SECRET not in output, output


def assert_nothing_written(ctx: Ctx, before: dict[str, str]) -> None:
    assert snapshot(ctx.root) == before  # input unchanged, no output, no temp file, no stray part
    assert not ctx.absolute_target.exists()
    assert not (ctx.root.parent / "DOTDOT-TARGET.xml").exists()


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_package_is_refused_cleanly(room, kind, command):
    build, phrase = KINDS[kind]
    doc = room.root / "in" / "van-ban-den.docx"
    doc.write_bytes(build(room))
    out = room.root / "out" / "ket-qua.docx"
    before = snapshot(room.root)
    start = time.monotonic()
    result = CliRunner().invoke(main, COMMANDS[command](doc, out))
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_refused(result.output, doc, phrase)
    assert elapsed < TIME_LIMIT, elapsed
    assert_nothing_written(room, before)


def test_every_builder_makes_what_it_claims(room):
    """The builders themselves: a test of a hostile file is only as good as the file."""
    assert zipfile.ZipFile(io.BytesIO(room.good)).testzip() is None
    bomb = KINDS["zip-bomb-lying-header"][0](room)
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        info = z.getinfo("word/document.xml")
    assert info.file_size == 4096 and info.compress_size < 2 * MiB
    start = info.header_offset + 30 + len(info.filename.encode())
    d, data, inflated = zlib.decompressobj(-15), bomb[start:start + info.compress_size], 0
    while data:
        inflated += len(d.decompress(data, 16 * MiB))
        data = d.unconsumed_tail
    assert inflated == 300 * MiB  # a reader trusting the header would swallow all of it
    names = zipfile.ZipFile(io.BytesIO(KINDS["absolute-name"][0](room))).namelist()
    assert str(room.absolute_target) in names
    names = zipfile.ZipFile(io.BytesIO(KINDS["dotdot-name"][0](room))).namelist()
    assert "../DOTDOT-TARGET.xml" in names
    assert len(zipfile.ZipFile(io.BytesIO(KINDS["thousands-of-parts"][0](room))).namelist()) > 2000


def test_xinclude_and_external_links_are_never_followed(room):
    """XInclude and external relationship targets are only text to drafter: nothing
    is fetched, the secret never shows up in any output or written file."""
    body = (f'<w:p><w:r><w:t>Trước</w:t></w:r></w:p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            f'href="file://{room.secret}" parse="text"/>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/hyperlink" Target="file://' + str(room.secret).encode() +
            b'" TargetMode="External"/></Relationships>')
    doc = room.root / "in" / "van-ban-den.docx"
    doc.write_bytes(package({"name": "word/_rels/document.xml.rels", "data": rels},
                            doc=document(body)))
    before = snapshot(room.root)
    for command in ("check", "appendix-o"):
        result = CliRunner().invoke(main, COMMANDS[command](doc, room.root / "out" / "ket-qua.docx"))
        assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
        assert SECRET not in result.output
    # check reads the file (and finds no administrative document: exit 0 or 1 with findings);
    # appendix refuses it (no appendix region); either way nothing new on disk
    assert snapshot(room.root) == before


# --------------------------------------------------------------------------- real processes

def drafter_command() -> list[str]:
    script = Path(sys.executable).parent / "drafter"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from drafter.cli import main; main()"]


# Runs a command and reports its wall time and peak memory. It runs in a small
# process of its own: RUSAGE_CHILDREN then covers exactly one child, the drafter
# process, and that child is forked from this small process, not from pytest (a
# child forked from pytest starts with pytest's own resident memory on its count).
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call(sys.argv[2:])
elapsed = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: KiB
with open(sys.argv[1], "w") as f:
    json.dump({"code": code, "elapsed": elapsed, "peak": peak}, f)
"""


def run_measured(args: list[str], cwd: Path, env: dict | None = None) -> tuple[int, str, float, int]:
    """Run drafter in a real process: (exit code, output, wall seconds, peak RSS bytes)."""
    report = cwd.parent / "measure.json"
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(report), *drafter_command(), *args],
                          cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env={**os.environ, **(env or {})}, timeout=60)
    measured = json.loads(report.read_text())
    report.unlink()
    assert proc.returncode == 0  # the measuring wrapper itself
    return (measured["code"], proc.stdout.decode("utf-8", errors="replace"), measured["elapsed"],
            measured["peak"])


PEAK_LIMIT = 160 * MiB  # fully inflating the 300 MiB bomb would need about twice as much


@pytest.mark.parametrize("command", ["check", "appendix-o"])
@pytest.mark.parametrize("kind", ["zip-bomb-lying-header", "zip-bomb-declared", "thousands-of-parts",
                                  "billion-laughs"])
def test_hostile_package_in_a_real_process_is_fast_and_small(room, kind, command):
    build, phrase = KINDS[kind]
    doc = room.root / "in" / "van-ban-den.docx"
    doc.write_bytes(build(room))
    before = snapshot(room.root)
    code, output, elapsed, peak = run_measured(COMMANDS[command](doc, room.root / "out" / "ket-qua.docx"),
                                               room.root / "in")
    assert code == 1, output
    assert_refused(output, doc, phrase)
    assert elapsed < TIME_LIMIT, elapsed
    assert peak < PEAK_LIMIT, f"peak RSS {peak / MiB:.0f} MiB"
    assert_nothing_written(room, before)


# --------------------------------------------------------------------------- limits for a trusted run


def test_limits_can_be_raised_for_a_trusted_run(room, monkeypatch):
    """The same 2,503-part file: refused by default, read when DRAFTER_MAX_PARTS allows it
    — by check and by appendix (which then stops for a reason of its own)."""
    doc = room.root / "in" / "nhieu-phan.docx"
    doc.write_bytes(KINDS["thousands-of-parts"][0](room))
    out = room.root / "out" / "ket-qua.docx"
    for command in ("check", "appendix-o"):
        refused = CliRunner().invoke(main, COMMANDS[command](doc, out))
        assert refused.exit_code == 1 and "DRAFTER_MAX_PARTS" in refused.output
    monkeypatch.setenv("DRAFTER_MAX_PARTS", "3000")
    checked = CliRunner().invoke(main, COMMANDS["check"](doc, out))
    assert "không đọc được tệp" not in checked.output and "Traceback" not in checked.output, checked.output
    assert "văn bản hành chính" in checked.output  # the checker ran on the content
    appended = CliRunner().invoke(main, COMMANDS["appendix-o"](doc, out))
    assert appended.exit_code == 1 and "DRAFTER_MAX_PARTS" not in appended.output
    assert "vùng phụ lục" in appended.output, appended.output


def test_lowered_limit_applies_to_check_and_a_bad_value_is_a_clean_error(room, monkeypatch):
    doc = room.root / "in" / "binh-thuong.docx"
    doc.write_bytes(minimal_docx())
    monkeypatch.setenv("DRAFTER_MAX_PART_MB", "0.0001")  # about 100 bytes
    r = CliRunner().invoke(main, ["check", doc.name])
    assert r.exit_code == 1 and "DRAFTER_MAX_PART_MB" in r.output and doc.name in r.output, r.output
    monkeypatch.setenv("DRAFTER_MAX_PART_MB", "nhiều")
    for command in ("check", "appendix-o"):
        r = CliRunner().invoke(main, COMMANDS[command](doc, room.root / "out" / "x.docx"))
        assert r.exit_code == 1, r.output
        assert "DRAFTER_MAX_PART_MB" in r.output and "không hợp lệ" in r.output, r.output
        assert "Lỗi nội bộ" not in r.output and "Traceback" not in r.output, r.output


def test_explicit_limits_are_not_overridden_by_the_environment(monkeypatch):
    from drafter.package import DEFAULT_LIMITS, PackageError, open_package

    monkeypatch.setenv("DRAFTER_MAX_PARTS", "2")
    with pytest.raises(PackageError) as err:
        open_package(minimal_docx(), name="x.docx")  # no limits given: the environment's
    assert err.value.reason_code == "too-many-parts"
    with open_package(minimal_docx(), DEFAULT_LIMITS, name="x.docx") as pkg:  # given: exactly those
        assert pkg.limits.max_parts == 2000
    monkeypatch.setenv("DRAFTER_MAX_PARTS", "-1")
    with pytest.raises(PackageError) as err:
        open_package(minimal_docx(), name="x.docx")
    assert err.value.reason_code == "bad-limit" and "x.docx" in str(err.value)


@pytest.mark.slow
def test_the_memory_measurement_sees_a_bomb_when_limits_are_raised(room):
    """Control for the test above: with the limits raised, the same bomb is inflated
    and the measured peak goes far past PEAK_LIMIT, so that bound means something."""
    doc = room.root / "in" / "van-ban-den.docx"
    doc.write_bytes(KINDS["zip-bomb-declared"][0](room))
    raised = {"DRAFTER_MAX_PART_MB": "400", "DRAFTER_MAX_TOTAL_MB": "1000", "DRAFTER_MAX_RATIO": "100000"}
    code, output, _, peak = run_measured(["check", doc.name], room.root / "in", env=raised)
    assert code == 1 and "Traceback" not in output, output  # 300 MiB of spaces: no XML at all
    assert peak > 2 * PEAK_LIMIT, f"peak RSS {peak / MiB:.0f} MiB"


# --------------------------------------------------------------------------- sheets for `drafter batch`

from test_batch import DRAFT as BATCH_DRAFT  # noqa: E402  (the same draft as the batch tests)

HEADER = ["so", "ngay", "ten", "kinh_gui", "kinh_phi"]
GOOD_ROWS = [
    ["12", "2026-01-15", "Xã Cẩm Xuyên", "UBND xã Cẩm Xuyên", "120"],
    ["13", "2026-01-16", "Phường Thành Sen", "UBND phường Thành Sen", "1.250,5"],
]


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """A folder with the batch draft; commands run from it."""
    (tmp_path / "draft.yaml").write_text(BATCH_DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


def batch(desk: Path, data: str, *extra: str):
    start = time.monotonic()
    result = CliRunner().invoke(main, ["batch", "draft.yaml", data, "-o", "out", *extra])
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result, elapsed


def texts(path: Path) -> str:
    return "\n".join(DocView(path).texts())


def documents(desk: Path) -> dict[str, str]:
    return {p.name: texts(p) for p in sorted((desk / "out").glob("*.docx"))}


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """As Vietnamese Windows saves "CSV (Comma delimited)": base letters, then tone marks."""
    import unicodedata

    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def test_batch_cp1258_csv_gives_proper_vietnamese(desk):
    raw = to_cp1258(csv_text([HEADER, *GOOD_ROWS]))
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    (desk / "ansi.csv").write_bytes(raw)
    before = (desk / "ansi.csv").read_bytes()
    result, _ = batch(desk, "ansi.csv")
    assert result.exit_code == 0, result.output
    assert "Windows-1258" in result.output and "CSV UTF-8" in result.output  # said, with the fix
    docs = documents(desk)
    assert len(docs) == 2
    assert "Kinh phí phân bổ cho Xã Cẩm Xuyên là 120 triệu đồng" in "\n".join(docs.values())
    assert "UBND phường Thành Sen" in "\n".join(docs.values())
    assert (desk / "ansi.csv").read_bytes() == before


def test_batch_tcvn3_csv_is_converted_or_flagged(desk):
    """A sheet typed with a TCVN3 (.VnTime) font and saved as ANSI CSV: the raw TCVN3
    bytes. Words drafter can tell apart are converted; the run always says the file is
    not UTF-8, so nobody mails out unchecked mojibake without a warning."""
    from drafter.rules import text as legacy

    def tcvn3(text: str) -> bytes:
        return legacy._encode_legacy(text, legacy.TCVN3).encode("latin-1")

    rows = [[c.encode() for c in HEADER],
            [b"12", b"2026-01-15", tcvn3("Xã Cẩm Xuyên"), tcvn3("Phường Thành Sen"), b"120"]]
    (desk / "tcvn3.csv").write_bytes(b"\r\n".join(b",".join(r) for r in rows) + b"\r\n")
    result, _ = batch(desk, "tcvn3.csv")
    assert result.exit_code == 0, result.output
    assert "không phải UTF-8" in result.output
    assert "TCVN3" in result.output  # the legacy text was recognised and named
    (doc,) = documents(desk).values()
    assert "Kinh phí phân bổ cho Xã Cẩm Xuyên là 120 triệu đồng" in doc
    assert "Kính gửi: Phường Thành Sen" in doc


def test_batch_csv_with_bom_and_semicolons(desk):
    (desk / "bom.csv").write_bytes(b"\xef\xbb\xbf" + csv_text([HEADER, *GOOD_ROWS], ";").encode("utf-8"))
    result, _ = batch(desk, "bom.csv", "--name", "{so}")
    assert result.exit_code == 0, result.output
    assert sorted(documents(desk)) == ["12.docx", "13.docx"]  # header 'so' read without the BOM
    assert "\ufeff" not in "".join(documents(desk).values())


def test_batch_ragged_rows(desk):
    rows = [HEADER,
            GOOD_ROWS[0] + ["thừa", "", "cũng thừa"],  # cells beyond the header: kept out, said
            ["14", "2026-01-17", "Xã Kỳ Anh"],  # short: no Kính gửi, no amount
            GOOD_ROWS[1]]
    (desk / "ragged.csv").write_text(csv_text(rows), encoding="utf-8")
    result, _ = batch(desk, "ragged.csv", "--name", "{so}")
    assert result.exit_code == 1, result.output
    assert "ragged.csv, dòng 2: cảnh báo: Dòng có dữ liệu ngoài các cột có tiêu đề" in result.output
    # the short row is refused, by its empty cell
    assert "ragged.csv, dòng 3, cột «kinh_gui» (ô D3, trống): lỗi:" in result.output
    docs = documents(desk)
    assert sorted(docs) == ["12.docx", "13.docx"]
    assert "thừa" not in docs["12.docx"]


FORMULAS = ['=HYPERLINK("http://x","bấm")', "=cmd|' /C calc'!A0"]


def test_batch_xlsx_formula_cells_refuse_their_row(desk):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["12", "2026-01-15", FORMULAS[0], "UBND xã Cẩm Xuyên", 120])
    ws.append(["13", "2026-01-16", "Phường Thành Sen", "UBND phường Thành Sen", FORMULAS[1]])
    ws.append(["14", "2026-01-17", "Xã Kỳ Anh", "UBND xã Kỳ Anh", 7])
    wb.save(desk / "data.xlsx")
    assert {c.data_type for c in openpyxl.load_workbook(desk / "data.xlsx")["Sheet"]["C"][1:2]} == {"f"}
    before = (desk / "data.xlsx").read_bytes()
    result, _ = batch(desk, "data.xlsx", "--name", "{so}")
    assert result.exit_code == 1, result.output
    assert "data.xlsx, dòng 2, cột «ten» (ô C2): lỗi: ô chứa công thức" in result.output
    assert "data.xlsx, dòng 3, cột «kinh_phi» (ô E3): lỗi: ô chứa công thức" in result.output
    assert "Hàng này không được tạo văn bản" in result.output
    docs = documents(desk)
    assert sorted(docs) == ["14.docx"]  # rows with a formula get no document with a hole in it
    for name in docs:
        xml = zipfile.ZipFile(desk / "out" / name).read("word/document.xml").decode()
        for needle in ("HYPERLINK", "http://x", "calc", "cmd", "instrText", "fldSimple", "w:hyperlink"):
            assert needle not in xml
    assert (desk / "data.xlsx").read_bytes() == before
    manifest = json.loads((desk / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["row"], r["status"], r["key"]) for r in manifest["rows"]] == [
        (2, "loi", "ten"), (3, "loi", "kinh_phi"), (4, "ok", None)]


def test_batch_csv_formula_text_is_shown_literally(desk):
    """In CSV a leading '=' is only a character: the document shows it as typed, and it
    becomes neither a field nor a hyperlink."""
    import csv as csvmod

    buf = io.StringIO()
    w = csvmod.writer(buf)
    w.writerow(HEADER)
    w.writerow(["12", "2026-01-15", FORMULAS[0], "UBND xã A", "5"])
    w.writerow(["13", "2026-01-16", FORMULAS[1], "UBND xã B", "6"])
    (desk / "f.csv").write_text(buf.getvalue(), encoding="utf-8")
    result, _ = batch(desk, "f.csv", "--name", "{so}")
    assert result.exit_code == 0, result.output
    docs = documents(desk)
    assert f"Kinh phí phân bổ cho {FORMULAS[0]} là 5 triệu đồng" in docs["12.docx"]
    assert f"Kinh phí phân bổ cho {FORMULAS[1]} là 6 triệu đồng" in docs["13.docx"]
    for name in docs:
        xml = zipfile.ZipFile(desk / "out" / name).read("word/document.xml").decode()
        assert "instrText" not in xml and "fldSimple" not in xml and "<w:hyperlink" not in xml


@pytest.mark.slow
def test_batch_100k_row_csv_is_refused_quickly_with_the_way_to_raise_it(desk):
    """Measured here: about 8 s, nearly all of it the legacy-text check of the 50,000
    rows read before the limit is hit (rules/text.py scores every accented word)."""
    lines = [",".join(HEADER)] + [f"{i},2026-01-15,Xã số {i},UBND xã số {i},{i}" for i in range(100_000)]
    (desk / "lon.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, elapsed = batch(desk, "lon.csv")
    assert result.exit_code == 1, result.output
    assert "50.000" in result.output and "--max-rows" in result.output and "DRAFTER_MAX_ROWS" in result.output
    assert "lon.csv" in result.output
    assert elapsed < 20, elapsed
    assert not (desk / "out").exists()  # refused before anything was made


@pytest.mark.parametrize("value", ["0", "-5", "nhiều"])
def test_batch_bad_row_limits_are_usage_errors_not_crashes(desk, monkeypatch, value):
    (desk / "d.csv").write_text(csv_text([HEADER, GOOD_ROWS[0]]), encoding="utf-8")
    result, _ = batch(desk, "d.csv", "--max-rows", value)
    assert result.exit_code == 2 and "--max-rows" in result.output, result.output
    monkeypatch.setenv("DRAFTER_MAX_ROWS", value)
    result, _ = batch(desk, "d.csv")
    assert result.exit_code == 1 and "DRAFTER_MAX_ROWS" in result.output, result.output
    assert not (desk / "out").exists()


def test_batch_raised_row_limit_for_a_trusted_run(desk, monkeypatch):
    rows = [HEADER] + [[str(i), "2026-01-15", f"Xã {i}", f"UBND xã {i}", "1"] for i in range(1, 4)]
    (desk / "d.csv").write_text(csv_text(rows), encoding="utf-8")
    monkeypatch.setenv("DRAFTER_MAX_ROWS", "2")
    result, _ = batch(desk, "d.csv")
    assert result.exit_code == 1 and "vượt giới hạn 2 dòng" in result.output, result.output
    result, _ = batch(desk, "d.csv", "--max-rows", "3")  # the option wins over the variable
    assert result.exit_code == 0, result.output
    assert len(documents(desk)) == 3


@pytest.mark.parametrize("kind", ["empty-csv", "blank-lines-csv", "empty-xlsx", "header-only-csv"])
def test_batch_empty_sheet(desk, kind):
    import openpyxl

    if kind == "empty-xlsx":
        openpyxl.Workbook().save(desk / "trong.xlsx")
        name = "trong.xlsx"
    else:
        name = "trong.csv"
        content = {"empty-csv": "", "blank-lines-csv": "\r\n,,\r\n\r\n",
                   "header-only-csv": ",".join(HEADER) + "\r\n"}[kind]
        (desk / name).write_text(content, encoding="utf-8")
    result, _ = batch(desk, name)
    assert result.exit_code == 1, result.output
    assert name in result.output
    assert ("Bảng trống" in result.output) if kind != "header-only-csv" else ("chỉ có dòng tiêu đề" in result.output)
    assert not (desk / "out").exists()


def test_appendix_table_sheets_honour_the_row_limit_variable(tmp_path, monkeypatch):
    """A budget table read from a sheet (phu_luc: bang: {tep: …}) obeys DRAFTER_MAX_ROWS
    like drafter batch, as the limit message says; a bad value is a table error."""
    from drafter.tables.model import TableError
    from drafter.inputs.table_sheets import read_table

    rows = ["STT,Nội dung,Kinh phí"] + [f"{i},Mục {i},{i}000" for i in range(1, 6)]
    (tmp_path / "bang.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    read_table(tmp_path / "bang.csv")  # 5 rows: fine by default
    monkeypatch.setenv("DRAFTER_MAX_ROWS", "3")
    with pytest.raises(TableError) as err:
        read_table(tmp_path / "bang.csv")
    assert "vượt giới hạn 3 dòng" in str(err.value)
    monkeypatch.setenv("DRAFTER_MAX_ROWS", "ba")
    with pytest.raises(TableError) as err:
        read_table(tmp_path / "bang.csv")
    assert "DRAFTER_MAX_ROWS" in str(err.value)


def test_limits_doc_matches_the_code():
    """docs/limits.md names every limit variable the code reads, with the code's default."""
    import csv as csvmod

    from drafter.inputs import sheets
    from drafter.package.limits import DEFAULT_LIMITS, ENV_VARS

    doc = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text(encoding="utf-8")

    def vn(n: float) -> str:
        return f"{n:,.0f}".replace(",", ".")

    expected = {}
    for field, (var, unit) in ENV_VARS.items():
        value = getattr(DEFAULT_LIMITS, field)
        expected[var] = "256" if value is None else (f"{vn(value / unit)} MB" if unit == MiB else vn(value))
    for var, default in expected.items():
        line = next((ln for ln in doc.splitlines() if ln.startswith("|") and f"`{var}`" in ln), None)
        assert line is not None, f"{var} missing from docs/limits.md"
        assert default in line, (var, default, line)
    rows_line = next(ln for ln in doc.splitlines() if ln.startswith("|") and f"`{sheets.MAX_ROWS_ENV}`" in ln)
    assert vn(sheets.DEFAULT_MAX_ROWS) in rows_line and "--max-rows" in rows_line
    assert vn(csvmod.field_size_limit()) in doc


# --------------------------------------------------------------------------- fuzzing a real document

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class Rendered:
    def __init__(self, folder: Path):
        from drafter import api

        self.folder = folder
        self.drafts = {}
        self.docs = {}
        for key, sample in (("cv", CV_SAMPLE), ("qd", QD_SAMPLE)):
            draft = folder / sample.name
            shutil.copy(sample, draft)
            out = folder / f"{key}.docx"
            api.render_file(draft, out, force=True)
            self.drafts[key] = draft
            self.docs[key] = out.read_bytes()
            self.parts = None
        self.check_skip = None
        try:
            from drafter.check.api import check_file

            report = check_file(folder / "cv.docx")
            if report.errors:
                self.check_skip = f"drafter check reports errors on a clean sample: {report.findings}"
        except Exception as exc:  # noqa: BLE001 - any failure means: not ready, skip that half
            self.check_skip = f"drafter check is not usable here: {type(exc).__name__}: {exc}"
        # One render per draft, reused by every example (the fuzzed thing is the .docx).
        self.prepared = {str(d): api.prepare(d) for d in self.drafts.values()}
        self.fresh = {str(d): api.render_bytes(self.prepared[str(d)], d.parent) for d in self.drafts.values()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return Rendered(tmp_path_factory.mktemp("fuzz"))


MUTATIONS = ["flip", "insert", "delete", "truncate", "xml-flip", "xml-insert", "xml-delete", "xml-truncate"]
PARTS = ["word/document.xml", "word/styles.xml", "_rels/.rels", "word/_rels/document.xml.rels",
         "[Content_Types].xml"]
SNIPPETS = [b"<", b">", b"&", b"&amp;", b"&#0;", b"]]>", b"<!DOCTYPE x>", b"<!ENTITY e 'x'>", b"\x00",
            b"\xff\xfe", b'"', b"<w:p>", b"</w:p>", b"</w:tc>", b"<w:sdt>", b"</w:sdtContent>", b"<w:tbl>",
            b'w:val="-1"', b'w:w="99999999999"', b"drafter:phu-luc:1", b"PK\x03\x04", b"PK\x05\x06"]

mutation = st.tuples(
    st.sampled_from(MUTATIONS),
    st.integers(min_value=0, max_value=1 << 30),  # position, taken modulo the length
    st.integers(min_value=1, max_value=64),  # length of a deletion, value of a flip
    st.one_of(st.sampled_from(SNIPPETS), st.binary(min_size=1, max_size=12)),
    st.sampled_from(PARTS),
)


def mutate(data: bytes, steps: list[tuple]) -> bytes:
    for kind, pos, n, snippet, part in steps:
        if kind.startswith("xml-"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    entries = [(i, z.read(i)) for i in z.infolist()]
            except Exception:  # noqa: BLE001 - an earlier step broke the zip: mutate raw bytes instead
                entries = None
            if entries is not None:
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                    for info, content in entries:
                        if info.filename == part:
                            content = mutate(content, [(kind[4:], pos, n, snippet, part)])
                        z.writestr(info, content)
                data = out.getvalue()
                continue
            kind = kind[4:]
        at = pos % (len(data) + 1)
        if kind == "flip" and data:
            at = pos % len(data)
            data = data[:at] + bytes([data[at] ^ (n & 0xFF or 1)]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + snippet + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + n:]
        elif kind == "truncate":
            data = data[:at]
    return data


def assert_clean_error(exc: DrafterError) -> None:
    assert exc.problems, "a DrafterError without a problem"
    for problem in exc.problems:
        assert problem.message.strip(), problem
        assert "Traceback" not in problem.message


@settings(max_examples=400, deadline=5000, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sample=st.sampled_from(["cv", "qd"]), steps=st.lists(mutation, min_size=1, max_size=3))
def test_fuzzed_docx_ends_in_success_or_a_clean_error(rendered, sample, steps):
    from drafter import api, appendix

    data = mutate(rendered.docs[sample], steps)
    doc = rendered.folder / "mutated.docx"
    out = rendered.folder / "ra.docx"
    doc.write_bytes(data)
    out.unlink(missing_ok=True)
    draft = rendered.drafts[sample]
    with mock.patch.object(api, "prepare", lambda path, **_: rendered.prepared[str(path)]), \
            mock.patch.object(api, "render_bytes", lambda prepared, *_: rendered.fresh[str(draft)]):
        try:
            result = appendix.regenerate(draft, doc, out)
        except DrafterError as exc:
            assert_clean_error(exc)
            assert not out.exists()
        else:
            assert result.output == out and out.stat().st_size > 0
    assert doc.read_bytes() == data  # the input is never touched

    if rendered.check_skip is None:
        from drafter.check.api import check_file

        try:
            check_file(doc)
        except DrafterError as exc:
            assert_clean_error(exc)


def test_fuzz_check_half_is_active_or_says_why(rendered):
    """The fuzz test above skips its check half only for a stated reason."""
    if rendered.check_skip is not None:
        pytest.skip(rendered.check_skip)
    from drafter.check.api import check_file

    assert check_file(rendered.folder / "cv.docx").errors == 0


def test_fuzz_mutations_do_what_they_say(rendered):
    good = rendered.docs["qd"]
    assert mutate(good, [("truncate", 100, 1, b"", PARTS[0])]) == good[:100]
    assert mutate(good, [("insert", 5, 1, b"<", PARTS[0])]) == good[:5] + b"<" + good[5:]
    inner = mutate(good, [("xml-insert", 0, 1, b"<!DOCTYPE x>", "word/document.xml")])
    assert zipfile.ZipFile(io.BytesIO(inner)).read("word/document.xml").startswith(b"<!DOCTYPE x>")
    with pytest.raises(DrafterError):
        from drafter import appendix

        (rendered.folder / "bad.docx").write_bytes(inner)
        appendix.regenerate(rendered.drafts["qd"], rendered.folder / "bad.docx", rendered.folder / "x.docx")
