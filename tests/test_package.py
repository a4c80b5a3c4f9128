"""Tests of drafter.package: hostile packages, the fast writer, atomic output.

Every hostile file is built here, in tmp_path, by the helpers below (a small
hand-written zip writer that can lie on purpose).
"""

from __future__ import annotations

import errno
import io
import os
import pickle
import stat
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from drafter.package import (
    DEFAULT_LIMITS,
    Limits,
    OutputExistsError,
    OutputWriteError,
    PackageError,
    PackageTemplate,
    UnsafePathError,
    atomic_write_bytes,
    atomic_writer,
    ensure_inside,
    open_package,
    parse_xml,
)
from drafter.package import atomic as atomic_mod

MiB = 1 << 20

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Xin ch\xc3\xa0o</w:t></w:r></w:p></w:body></w:document>"
)


# --------------------------------------------------------------------------- helpers


def raw_zip(entries: list[dict]) -> bytes:
    """A zip written by hand. Each entry: name (str|bytes), payload (bytes as stored),
    and optionally method, crc, usize, csize, flags, local_name."""
    out = io.BytesIO()
    central = []
    for e in entries:
        name = e["name"].encode("utf-8") if isinstance(e["name"], str) else e["name"]
        local_name = e.get("local_name", name)
        payload = e["payload"]
        method = e.get("method", 0)
        crc = e.get("crc", zlib.crc32(payload) if method == 0 else 0)
        usize = e.get("usize", len(payload))
        csize = e.get("csize", len(payload))
        flags = e.get("flags", 0)
        offset = e.get("offset", out.tell())
        central_extra = b""
        if e.get("zip64_central"):  # sizes moved into a zip64 extra field (id 1)
            central_extra = struct.pack("<HHQQ", 1, 16, usize, csize)
        if "offset" not in e:
            out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 33,
                                  crc, csize, usize, len(local_name), 0))
            out.write(local_name)
            out.write(payload)
        c_usize, c_csize = (0xFFFFFFFF, 0xFFFFFFFF) if central_extra else (usize, csize)
        central.append(struct.pack("<4sBBHHHHHIIIHHHHHII", b"PK\x01\x02", 45, 0, 45, flags,
                                   method, 0, 33, crc, c_csize, c_usize, len(name),
                                   len(central_extra), 0, 0, 0, 0, offset)
                       + name + central_extra)
    cd = b"".join(central)
    cd_offset = out.tell()
    out.write(cd)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                          len(cd), cd_offset, 0))
    return out.getvalue()


def deflated(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflated_entry(name: str, data: bytes) -> dict:
    return {"name": name, "payload": deflated(data), "method": 8, "crc": zlib.crc32(data),
            "usize": len(data)}


def zeros_entry(name: str, mib: int) -> dict:
    """A deflated part of `mib` MiB of zeros, made in milliseconds: one full-flushed
    compressed MiB repeated (each segment starts from a reset dictionary)."""
    zeros = bytes(MiB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    payload = segment * mib + c.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    return {"name": name, "payload": payload, "method": 8, "crc": crc, "usize": mib * MiB}


def minimal_docx(extra: list[dict] | None = None, document: bytes = DOCUMENT) -> bytes:
    entries = [
        deflated_entry("[Content_Types].xml", CONTENT_TYPES),
        deflated_entry("_rels/.rels", ROOT_RELS),
        deflated_entry("word/document.xml", document),
    ]
    return raw_zip(entries + (extra or []))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def reason_of(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.reason_code


@pytest.fixture()
def real_docx(tmp_path: Path) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Công văn", 1)
    document.add_paragraph("Về việc thử nghiệm drafter.")
    path = tmp_path / "template.docx"
    document.save(path)
    return path


def local_records(data: bytes) -> dict[str, tuple[int, int, bytes]]:
    """Independent of drafter: name -> (method, crc, raw compressed bytes), found by
    parsing each local header at the offset zipfile reports."""
    records = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            sig, _, _, method, _, _, crc, _, _, nlen, xlen = struct.unpack_from(
                "<4sHHHHHIIIHH", data, info.header_offset)
            assert sig == b"PK\x03\x04"
            start = info.header_offset + 30 + nlen + xlen
            records[info.filename] = (method, info.CRC, data[start : start + info.compress_size])
    return records


# --------------------------------------------------------------------------- opening


def test_valid_minimal_package(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.docx", minimal_docx())
    with open_package(path) as pkg:
        assert pkg.names() == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
        assert pkg.has("word/document.xml") and pkg.has("/WORD/Document.xml")
        assert not pkg.has("word/missing.xml")
        assert pkg.main_document_name() == "word/document.xml"
        assert pkg.read("word/document.xml") == DOCUMENT
        root = pkg.read_xml("word/document.xml")
        assert root.tag.endswith("}document")
    assert pkg.closed


def test_not_a_zip(tmp_path: Path) -> None:
    path = write(tmp_path, "x.docx", b"Day khong phai tep Word, chi la van ban.\n" * 10)
    with pytest.raises(PackageError) as ei:
        open_package(path)
    assert reason_of(ei) == "not-zip"
    message = str(ei.value)
    assert f"Tệp '{path}' không phải là tệp Word (.docx) hợp lệ" in message
    assert "Lưu thành" in message
    assert ei.value.path == str(path)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as ei:
        open_package(write(tmp_path, "empty.docx", b""))
    assert reason_of(ei) == "not-zip"
    assert "rỗng" in str(ei.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as ei:
        open_package(tmp_path / "khong-co.docx")
    assert reason_of(ei) == "unreadable"
    assert "không tồn tại" in str(ei.value)


def test_truncated_zip(tmp_path: Path, real_docx: Path) -> None:
    data = real_docx.read_bytes()
    path = write(tmp_path, "half.docx", data[: len(data) // 2])
    with pytest.raises(PackageError) as ei:
        open_package(path)
    assert reason_of(ei) == "truncated"
    assert "tải hoặc sao chép lại" in str(ei.value)


def test_cut_inside_central_directory(tmp_path: Path) -> None:
    data = minimal_docx()
    with pytest.raises(PackageError) as ei:
        open_package(data[:-30])  # end record gone
    assert reason_of(ei) == "truncated"


def test_legacy_and_encrypted_ole_files(tmp_path: Path) -> None:
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    with pytest.raises(PackageError) as ei:
        open_package(write(tmp_path, "old.doc", magic + bytes(4096)))
    assert reason_of(ei) == "not-zip"
    assert ".doc" in str(ei.value)
    encrypted = magic + bytes(3000) + "EncryptionInfo".encode("utf-16-le") + bytes(100)
    with pytest.raises(PackageError) as ei:
        open_package(write(tmp_path, "secret.docx", encrypted))
    assert reason_of(ei) == "encrypted"
    assert "mật khẩu" in str(ei.value)


def test_encrypted_entry_flag(tmp_path: Path) -> None:
    data = raw_zip([{"name": "word/document.xml", "payload": b"xxxx", "flags": 1}])
    with pytest.raises(PackageError) as ei:
        open_package(data)
    assert reason_of(ei) == "encrypted"


def test_unsupported_compression(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("word/document.xml", DOCUMENT)
    with pytest.raises(PackageError) as ei:
        open_package(buf.getvalue())
    assert reason_of(ei) == "unsupported"


def test_package_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.docx", minimal_docx(extra=[
        {"name": "word/media/image1.bin", "payload": os.urandom(200_000)}]))
    with pytest.raises(PackageError) as ei:
        open_package(path, Limits(max_package_bytes=100_000))
    assert reason_of(ei) == "too-large"
    assert "DRAFTER_MAX_PACKAGE_MB" in str(ei.value)


def test_too_many_parts(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(5000):
            zf.writestr(f"p/{i}.xml", b"<a/>")
    start = time.perf_counter()
    with pytest.raises(PackageError) as ei:
        open_package(path)
    assert time.perf_counter() - start < 2
    assert reason_of(ei) == "too-many-parts"
    assert "5000" in str(ei.value) and "2000" in str(ei.value)


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "/etc/passwd", "C:\\x", "a\\..\\b", "word/../../evil.xml", "C:/x",
     b"word/doc\x00ument.xml", "word//document.xml", "word/./document.xml", "a\x01b"],
)
def test_unsafe_names(tmp_path: Path, name: str | bytes) -> None:
    data = minimal_docx(extra=[{"name": name, "payload": b"<x/>"}])
    with pytest.raises(PackageError) as ei:
        open_package(write(tmp_path, "evil.docx", data))
    assert reason_of(ei) == "unsafe-name"
    assert "có phần mang tên" in str(ei.value)
    assert "drafter từ chối" in str(ei.value)


def test_duplicate_names_refused(tmp_path: Path) -> None:
    data = minimal_docx(extra=[{"name": "WORD/document.xml", "payload": b"<x/>"}])
    with pytest.raises(PackageError) as ei:
        open_package(data)
    assert reason_of(ei) == "unsafe-name"
    assert "trùng tên" in str(ei.value)


def test_zip_bomb_declared_size(tmp_path: Path) -> None:
    """300 MiB of zeros, honest headers: refused at open, nothing inflated."""
    path = write(tmp_path, "bomb.docx", minimal_docx(extra=[zeros_entry("word/bomb.xml", 300)]))
    assert path.stat().st_size < 1 * MiB
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(PackageError) as ei:
            open_package(path)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason_of(ei) == "too-large"
    assert ei.value.part == "word/bomb.xml"
    assert elapsed < 2
    assert peak < 64 * MiB


def test_zip_bomb_ratio(tmp_path: Path) -> None:
    """Under the per-part size limit, but 1000:1 compressed: refused by the ratio bound."""
    data = minimal_docx(extra=[zeros_entry("word/bomb.xml", 20)])
    with pytest.raises(PackageError) as ei:
        open_package(data)
    assert reason_of(ei) == "too-large"
    assert "bom nén" in str(ei.value)


def _patch_declared_size(data: bytes, name: bytes, new_size: int) -> bytes:
    """Rewrite the uncompressed size of `name` in its local header and central record."""
    buf = bytearray(data)
    local = buf.find(b"PK\x03\x04" + b"\x14\x00")
    while local >= 0:
        nlen = struct.unpack_from("<H", buf, local + 26)[0]
        if bytes(buf[local + 30 : local + 30 + nlen]) == name:
            struct.pack_into("<I", buf, local + 22, new_size)
            break
        local = buf.find(b"PK\x03\x04", local + 4)
    central = buf.find(b"PK\x01\x02")
    while central >= 0:
        nlen = struct.unpack_from("<H", buf, central + 28)[0]
        if bytes(buf[central + 46 : central + 46 + nlen]) == name:
            struct.pack_into("<I", buf, central + 24, new_size)
            return bytes(buf)
        central = buf.find(b"PK\x01\x02", central + 4)
    raise AssertionError("name not found")


@pytest.mark.parametrize("declared, limits", [
    (1000, DEFAULT_LIMITS),
    (3 * MiB, Limits(max_part_bytes=4 * MiB)),
])
def test_lying_header_is_still_bounded(tmp_path: Path, declared: int, limits: Limits) -> None:
    honest = minimal_docx(extra=[zeros_entry("word/bomb.xml", 300)])
    path = write(tmp_path, "liar.docx", _patch_declared_size(honest, b"word/bomb.xml", declared))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with open_package(path, limits) as pkg:  # the lie passes the declared checks
            assert pkg.entry("word/bomb.xml").file_size == declared
            with pytest.raises(PackageError) as ei:
                pkg.read("word/bomb.xml")
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason_of(ei) == "too-large"
    assert "khai báo" in str(ei.value)
    assert elapsed < 2
    assert peak < 64 * MiB


def test_header_declaring_too_much_is_corrupt(tmp_path: Path) -> None:
    data = _patch_declared_size(minimal_docx(), b"word/document.xml", len(DOCUMENT) + 10)
    with open_package(data) as pkg:
        with pytest.raises(PackageError) as ei:
            pkg.read("word/document.xml")
    assert reason_of(ei) == "corrupt"


def test_bad_crc_is_corrupt() -> None:
    entry = {"name": "word/media/a.bin", "payload": b"hello world", "crc": 12345}
    with open_package(minimal_docx(extra=[entry])) as pkg:
        with pytest.raises(PackageError) as ei:
            pkg.read("word/media/a.bin")
    assert reason_of(ei) == "corrupt"
    assert "CRC" in str(ei.value)


def test_overlapping_entries_refused() -> None:
    """Entry a.bin's stored data contains the whole record of b.bin (overlap bomb)."""
    b_payload = b"B" * 50
    b_local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 33,
                          zlib.crc32(b_payload), 50, 50, 5, 0) + b"b.bin" + b_payload
    a_entry = {"name": "a.bin", "payload": b_local}
    b_entry = {"name": "b.bin", "payload": b_payload, "offset": 30 + 5}
    with pytest.raises(PackageError) as ei:
        open_package(raw_zip([a_entry, b_entry]))
    assert reason_of(ei) == "corrupt"
    assert "chồng lên nhau" in str(ei.value)


def test_local_name_must_match_directory() -> None:
    entry = {"name": "word/a.xml", "local_name": b"../../a.xml", "payload": b"<a/>"}
    with pytest.raises(PackageError) as ei:
        open_package(raw_zip([entry]))
    assert reason_of(ei) == "corrupt"


def test_missing_main_document(tmp_path: Path) -> None:
    data = raw_zip([deflated_entry("[Content_Types].xml", CONTENT_TYPES),
                    deflated_entry("_rels/.rels", ROOT_RELS)])
    with open_package(write(tmp_path, "nodoc.docx", data)) as pkg:
        with pytest.raises(PackageError) as ei:
            pkg.main_document_name()
        assert reason_of(ei) == "missing-part"
        assert ei.value.part == "word/document.xml"
        assert "word/document.xml" in str(ei.value)
        with pytest.raises(PackageError) as ei:
            pkg.read("word/document.xml")
        assert reason_of(ei) == "missing-part"


def test_missing_root_rels() -> None:
    data = raw_zip([deflated_entry("word/document.xml", DOCUMENT)])
    with open_package(data) as pkg:
        with pytest.raises(PackageError) as ei:
            pkg.main_document_name()
    assert reason_of(ei) == "missing-part"
    assert ei.value.part == "_rels/.rels"


def test_main_document_other_name() -> None:
    rels = ROOT_RELS.replace(b'Target="word/document.xml"', b'Target="/word/document2.xml"')
    data = raw_zip([deflated_entry("_rels/.rels", rels), deflated_entry("word/document2.xml", DOCUMENT)])
    with open_package(data) as pkg:
        assert pkg.main_document_name() == "word/document2.xml"


def test_zip64_central_sizes() -> None:
    entry = deflated_entry("word/media/a.xml", b"<a>" + b"x" * 1000 + b"</a>")
    entry["zip64_central"] = True
    data = minimal_docx(extra=[entry])
    with open_package(data) as pkg:
        assert pkg.entry("word/media/a.xml").file_size == 1007
        assert pkg.read("word/media/a.xml").startswith(b"<a>xxx")
    out = PackageTemplate.from_bytes(data).build({})
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.testzip() is None


def test_data_descriptor_package_reads_and_builds(tmp_path: Path) -> None:
    """zipfile writing to an unseekable stream uses data descriptors (flag bit 3)."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buf = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # type: ignore[override]
            self.buf += b
            return len(b)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", DOCUMENT)
    data = bytes(sink.buf)
    with open_package(data) as pkg:
        assert pkg.entry("word/document.xml").flags & 0x08
        assert pkg.read("word/document.xml") == DOCUMENT
    out = PackageTemplate.from_bytes(data).build({"word/document.xml": DOCUMENT + b" "})
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.testzip() is None
        assert zf.read("_rels/.rels") == ROOT_RELS


# --------------------------------------------------------------------------- XML


def test_parse_xml_ok() -> None:
    root = parse_xml(DOCUMENT, name="word/document.xml")
    assert root.tag == "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document"


def test_xxe_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n")
    payloads = [
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><x>&e;</x>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ]
    for text in payloads:
        with pytest.raises(PackageError) as ei:
            parse_xml(text.encode(), name="word/document.xml", path="a.docx")
        assert reason_of(ei) == "entity"
        assert "TOP-SECRET" not in str(ei.value) and "root:" not in str(ei.value)
        assert "TOP-SECRET" not in repr(ei.value) and "root:" not in repr(ei.value)
        assert "word/document.xml" in str(ei.value)


def test_xxe_inside_package(tmp_path: Path) -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with open_package(minimal_docx(document=evil)) as pkg:
        with pytest.raises(PackageError) as ei:
            pkg.read_xml("word/document.xml")
    assert reason_of(ei) == "entity"
    assert "root:" not in str(ei.value)


def test_billion_laughs_refused_fast() -> None:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", '<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = f"&lol{i - 1};" if i > 1 else "&lol;"
        lines.append(f'<!ENTITY lol{i} "{prev * 10}">')
    lines.append("]><lolz>&lol9;</lolz>")
    start = time.perf_counter()
    with pytest.raises(PackageError) as ei:
        parse_xml("\n".join(lines).encode(), name="word/document.xml")
    assert time.perf_counter() - start < 1
    assert reason_of(ei) == "entity"


def test_doctype_in_utf16_refused() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>'
    for encoding in ("utf-16", "utf-16-le"):
        with pytest.raises(PackageError) as ei:
            parse_xml(text.encode(encoding), name="word/document.xml")
        assert reason_of(ei) == "entity"


def test_bad_xml() -> None:
    with pytest.raises(PackageError) as ei:
        parse_xml(b"<w:document><w:body></w:document>", name="word/document.xml", path="x.docx")
    assert reason_of(ei) == "bad-xml"
    assert "word/document.xml" in str(ei.value) and "x.docx" in str(ei.value)
    assert "dòng 1" in str(ei.value)
    with pytest.raises(PackageError) as ei:
        parse_xml(b"", name="word/styles.xml")
    assert reason_of(ei) == "bad-xml"


def test_xml_depth_limit() -> None:
    deep = b"<a>" * 50 + b"</a>" * 50
    parse_xml(deep, name="x.xml")
    with pytest.raises(PackageError) as ei:
        parse_xml(deep, name="x.xml", limits=Limits(max_xml_depth=20))
    assert reason_of(ei) == "too-large"


# --------------------------------------------------------------------------- limits, errors


def test_limits_defaults_and_env() -> None:
    assert DEFAULT_LIMITS.max_package_bytes == 50 * MiB
    assert DEFAULT_LIMITS.max_part_bytes == 64 * MiB
    assert DEFAULT_LIMITS.max_total_bytes == 256 * MiB
    assert DEFAULT_LIMITS.max_parts == 2000
    assert DEFAULT_LIMITS.max_ratio == 200
    env = {"DRAFTER_MAX_PART_MB": "128", "DRAFTER_MAX_PARTS": "5000",
           "DRAFTER_MAX_PACKAGE_MB": "0,5", "DRAFTER_MAX_XML_DEPTH": "100",
           "DRAFTER_MAX_RATIO": ""}
    limits = Limits.from_env(env)
    assert limits.max_part_bytes == 128 * MiB
    assert limits.max_parts == 5000
    assert limits.max_package_bytes == MiB // 2
    assert limits.max_xml_depth == 100
    assert limits.max_ratio == 200
    assert Limits.from_env({}) == DEFAULT_LIMITS
    with pytest.raises(ValueError, match="DRAFTER_MAX_PARTS"):
        Limits.from_env({"DRAFTER_MAX_PARTS": "nhiều"})
    with pytest.raises(ValueError):
        Limits(max_parts=0)


def test_errors_pickle() -> None:
    err = PackageError("too-large", path="a.docx", part="word/document.xml", detail="x")
    back = pickle.loads(pickle.dumps(err))
    assert (back.reason_code, back.path, back.part, str(back)) == (
        "too-large", "a.docx", "word/document.xml", str(err))
    assert str(pickle.loads(pickle.dumps(OutputExistsError("b.docx")))) == str(
        OutputExistsError("b.docx"))


# --------------------------------------------------------------------------- writer


def test_build_replaces_document_and_keeps_other_parts(tmp_path: Path, real_docx: Path) -> None:
    import docx

    template = PackageTemplate.from_file(real_docx)
    original = template.read("word/document.xml")
    assert template.main_document_name() == "word/document.xml"
    modified = original.replace("Về việc thử nghiệm".encode(), "Về việc ĐÃ SỬA".encode())
    assert modified != original
    out = template.build({"word/document.xml": modified})

    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.testzip() is None
        assert zf.namelist()[0] == "[Content_Types].xml"
        assert zf.namelist() == template.names()
        assert zf.read("word/document.xml") == modified
    path = write(tmp_path, "out.docx", out)
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Về việc ĐÃ SỬA drafter." in texts

    before, after = local_records(real_docx.read_bytes()), local_records(out)
    assert before.keys() == after.keys()
    for name in before:
        if name != "word/document.xml":
            assert after[name] == before[name], name  # method, CRC, raw compressed bytes
    assert after["word/document.xml"][2] != before["word/document.xml"][2]
    with open_package(out) as pkg:  # and our own reader agrees
        for name in template.names():
            if name != "word/document.xml":
                assert pkg.read_raw(name) == template.raw(name)
                assert pkg.read(name) == template.read(name)


def test_build_adds_and_removes_parts(real_docx: Path) -> None:
    template = PackageTemplate.from_file(real_docx)
    out = template.build(
        {"customXml/drafter.xml": b"<d/>", "word/m\u1ee5c.xml": b"<x/>",
         "WORD/DOCUMENT.XML": template.read("word/document.xml")},
        remove=["docProps/thumbnail.jpeg"] if template.has("docProps/thumbnail.jpeg") else [],
    )
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert names[-2:] == ["customXml/drafter.xml", "word/m\u1ee5c.xml"]
        assert "word/document.xml" in names and "WORD/DOCUMENT.XML" not in names
        assert "docProps/thumbnail.jpeg" not in names
        assert zf.read("word/m\u1ee5c.xml") == b"<x/>"
    for bad in ["../evil.xml", "/abs.xml", "C:\\x", "dir/"]:
        with pytest.raises(PackageError) as ei:
            template.build({bad: b"x"})
        assert reason_of(ei) == "unsafe-name"
    with pytest.raises(TypeError):
        template.build({"word/document.xml": "text, not bytes"})  # type: ignore[dict-item]


def test_build_stored_level_and_determinism(real_docx: Path) -> None:
    template = PackageTemplate.from_file(real_docx)
    doc = template.read("word/document.xml")
    stored = template.build({"word/document.xml": doc}, level=0)
    with zipfile.ZipFile(io.BytesIO(stored)) as zf:
        assert zf.getinfo("word/document.xml").compress_type == zipfile.ZIP_STORED
        assert zf.testzip() is None
    assert template.build({"word/document.xml": doc}) == template.build({"word/document.xml": doc})
    assert template.build({}) == template.build({})


def test_a_part_given_as_pieces_is_built_as_the_pieces_joined(real_docx: Path) -> None:
    """A part as Pieces (bytes and memoryviews, never joined) gives the same package as
    its bytes joined, at every level, alone or beside an added part: zlib's output
    does not depend on where its input is cut."""
    import random

    from drafter.package.writer import Pieces

    template = PackageTemplate.from_file(real_docx)
    rng = random.Random(19)
    doc = template.read("word/document.xml")
    texts = [doc, doc * 40, bytes(rng.getrandbits(8) for _ in range(70_000)), b"", "Đề án".encode() * 9_000]
    for data in texts:
        for level in (0, 1, 6):
            for _ in range(12):
                cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 40))))
                bounds = [0, *cuts, len(data)]
                view = memoryview(data)
                pieces = Pieces(view[a:b] if rng.random() < 0.5 else data[a:b] for a, b in zip(bounds, bounds[1:]))
                assert pieces.joined() == data
                assert template.build({"word/document.xml": pieces}, level=level) == \
                    template.build({"word/document.xml": data}, level=level)
                assert template.build({"word/document.xml": pieces, "word/new.xml": Pieces([b"<a/>"])}, level=level) \
                    == template.build({"word/document.xml": data, "word/new.xml": b"<a/>"}, level=level)
    with pytest.raises(TypeError):
        template.build({"word/document.xml": [doc]})  # a plain list is not a part


def test_template_with_bad_crc_refused() -> None:
    bad = minimal_docx(extra=[{"name": "word/media/a.bin", "payload": b"abc", "crc": 1}])
    with pytest.raises(PackageError) as ei:
        PackageTemplate.from_bytes(bad)
    assert reason_of(ei) == "corrupt"


def test_many_builds(real_docx: Path) -> None:
    template = PackageTemplate.from_file(real_docx)
    doc = template.read("word/document.xml")
    last = b""
    for i in range(200):
        last = template.build({"word/document.xml": doc.replace(b"drafter", f"so {i}".encode())})
    with zipfile.ZipFile(io.BytesIO(last)) as zf:
        assert b"so 199" in zf.read("word/document.xml")


# --------------------------------------------------------------------------- atomic


def _leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    atomic_write_bytes(target, b"abc")
    assert target.read_bytes() == b"abc"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert _leftovers(tmp_path) == []


def test_atomic_refuses_existing_without_force(tmp_path: Path) -> None:
    target = write(tmp_path, "out.docx", b"original")
    with pytest.raises(OutputExistsError) as ei:
        atomic_write_bytes(target, b"new")
    assert isinstance(ei.value, FileExistsError)
    assert "--force" in str(ei.value) and "đã có sẵn" in str(ei.value)
    assert target.read_bytes() == b"original"
    assert _leftovers(tmp_path) == []


def test_atomic_force_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = write(tmp_path, "out.docx", b"original")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_atomic_failed_replace_keeps_original(tmp_path: Path, monkeypatch) -> None:
    target = write(tmp_path, "out.docx", b"original bytes")

    def broken_replace(src, dst):
        raise OSError(errno.EIO, "simulated failure")

    monkeypatch.setattr(atomic_mod.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new content", force=True)
    assert target.read_bytes() == b"original bytes"
    assert _leftovers(tmp_path) == []


def test_atomic_failing_data_keeps_original(tmp_path: Path) -> None:
    target = write(tmp_path, "out.docx", b"original bytes")

    def chunks():
        yield b"first half, "
        raise RuntimeError("generator died midway")

    with pytest.raises(RuntimeError):
        atomic_write_bytes(target, chunks(), force=True)
    assert target.read_bytes() == b"original bytes"
    assert _leftovers(tmp_path) == []

    with pytest.raises(KeyboardInterrupt):
        with atomic_writer(target, force=True) as f:
            f.write(b"partial")
            raise KeyboardInterrupt
    assert target.read_bytes() == b"original bytes"
    assert _leftovers(tmp_path) == []


def test_atomic_race_target_created_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    with pytest.raises(OutputExistsError):
        with atomic_writer(target) as f:
            f.write(b"mine")
            target.write_bytes(b"someone else's")
    assert target.read_bytes() == b"someone else's"
    assert _leftovers(tmp_path) == []


def test_atomic_without_hard_links(tmp_path: Path, monkeypatch) -> None:
    def no_link(src, dst):
        raise OSError(errno.EPERM, "links not supported")

    monkeypatch.setattr(atomic_mod.os, "link", no_link)
    target = tmp_path / "out.docx"
    atomic_write_bytes(target, b"data")
    assert target.read_bytes() == b"data"
    with pytest.raises(OutputExistsError):
        atomic_write_bytes(target, b"again")
    assert _leftovers(tmp_path) == []


def test_atomic_read_only_directory_simulated(tmp_path: Path, monkeypatch) -> None:
    real_open = os.open

    def denied(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(atomic_mod.os, "open", denied)
    with pytest.raises(OutputWriteError) as ei:
        atomic_write_bytes(tmp_path / "out.docx", b"data")
    assert isinstance(ei.value, OSError) and ei.value.errno == errno.EACCES
    assert "không cho phép ghi" in str(ei.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores directory permissions")
def test_atomic_read_only_directory_real(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputWriteError) as ei:
            atomic_write_bytes(folder / "out.docx", b"data")
        assert "không cho phép ghi" in str(ei.value)
    finally:
        folder.chmod(0o755)


def test_atomic_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputWriteError) as ei:
        atomic_write_bytes(tmp_path / "nowhere" / "out.docx", b"data")
    assert ei.value.errno == errno.ENOENT
    assert "không tồn tại" in str(ei.value)


def test_ensure_inside(tmp_path: Path) -> None:
    base = tmp_path / "out"
    base.mkdir()
    assert ensure_inside(base, "a/b.docx") == (base / "a" / "b.docx").resolve()
    assert ensure_inside(base, base / "c.docx") == (base / "c.docx").resolve()
    for bad in ["../x.docx", "a/../../x.docx", "/etc/passwd", str(tmp_path / "x.docx"), ".", "",
                "a\x00b"]:
        with pytest.raises(UnsafePathError):
            ensure_inside(base, bad)
    (base / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError) as ei:
        ensure_inside(base, "link/escape.docx")
    assert isinstance(ei.value, ValueError)
    assert "nằm ngoài thư mục" in str(ei.value)


def test_ensure_plain_name(tmp_path: Path) -> None:
    from drafter.package.atomic import ensure_plain_name

    for good in ["a.docx", "01-Xã Kỳ Anh.docx", "..a.docx", "a..docx"]:
        ensure_plain_name(tmp_path, good)
    for bad in ["", " ", ".", "..", "a/b.docx", "../x.docx", "/etc/passwd", "a\x00b", os.sep + "x"]:
        with pytest.raises(UnsafePathError):
            ensure_plain_name(tmp_path, bad)


def test_a_symlink_at_a_plain_name_is_replaced_not_followed(tmp_path: Path) -> None:
    """Why a plain name needs no resolving: the writer never writes through a link."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    base = tmp_path / "out"
    base.mkdir()
    (base / "a.docx").symlink_to(outside)
    atomic_write_bytes(base / "a.docx", b"new", force=True)
    assert outside.read_text() == "keep" and not (base / "a.docx").is_symlink()
    (base / "b.docx").symlink_to(outside)
    with pytest.raises(OutputExistsError):
        atomic_write_bytes(base / "b.docx", b"new")
    assert outside.read_text() == "keep"
