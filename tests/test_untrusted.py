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


KINDS: dict[str, tuple] = {
    "not-a-zip": (lambda ctx: "Đây là thư điện tử, không phải tệp Word.\n".encode() * 50,
                  "không phải là tệp Word"),
    "empty": (lambda ctx: b"", "tệp rỗng"),
    "pdf-renamed": (lambda ctx: b"%PDF-1.7\n" + b"x" * 2000, "tệp PDF"),
    "legacy-doc": (lambda ctx: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2048), "kiểu cũ (.doc)"),
    "truncated": (lambda ctx: ctx.good[: len(ctx.good) // 2], "bị cắt cụt"),
    "cut-central-directory": (lambda ctx: ctx.good[:-30], "bị cắt cụt"),
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
