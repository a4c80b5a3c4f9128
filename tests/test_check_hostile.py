"""`drafter check` on hostile and broken files: a Vietnamese message, exit code 1,
within a few seconds, no traceback — and the other files of the run still checked."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from drafter.cli import main

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS +
            "><w:body><w:p><w:r><w:t>Xin chào</w:t></w:r></w:p></w:body></w:document>".encode())


def package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def minimal(**extra: bytes) -> dict[str, bytes]:
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
            "word/document.xml": DOCUMENT, **extra}


def real_docx() -> bytes:
    doc = Document()
    for i in range(40):
        doc.add_paragraph(f"Đoạn văn số {i} của một văn bản bình thường.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """40 MiB of zeros in one part (about 40 KiB compressed: ratio ≈ 1000)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in minimal().items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document ' + W_NS + b"><w:body>")
            chunk = b" " * (1 << 20)
            for _ in range(40):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    return out.getvalue()


def many_parts() -> bytes:
    parts = minimal()
    for i in range(3000):
        parts[f"word/media/p{i}.xml"] = b"<x/>"
    return package(parts)


XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b"<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]><w:document " + W_NS + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
          b"</w:body></w:document>")


HOSTILE = {
    "not-a-zip": lambda: b"Day khong phai la tep Word, chi la chu.\n" * 20,
    "empty": lambda: b"",
    "truncated": lambda: real_docx()[: len(real_docx()) // 2],
    "zip-bomb": zip_bomb,
    "many-parts": many_parts,
    "dotdot-name": lambda: package(minimal(**{"../../evil.xml": b"<x/>"})),
    "absolute-name": lambda: package(minimal(**{"/etc/evil.xml": b"<x/>"})),
    "xxe": lambda: package(minimal(**{"word/document.xml": XXE})),
    "billion-laughs": lambda: package(minimal(**{"word/document.xml": LAUGHS})),
    "main-part-missing": lambda: package({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS}),
    "no-root-rels": lambda: package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT}),
    "document-not-xml": lambda: package(minimal(**{"word/document.xml": b"<w:document><w:body>"})),
    "ole-legacy-doc": lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600,
}

REASONS = {
    "not-a-zip": "not-zip", "truncated": "truncated", "zip-bomb": "too-large", "many-parts": "too-many-parts",
    "dotdot-name": "unsafe-name", "absolute-name": "unsafe-name", "xxe": "entity", "billion-laughs": "entity",
    "main-part-missing": "missing-part", "no-root-rels": "missing-part", "document-not-xml": "bad-xml",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_file(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(HOSTILE[kind]())
    runner = CliRunner()
    start = time.monotonic()
    result = runner.invoke(main, ["check", str(path)])
    elapsed = time.monotonic() - start
    assert elapsed < 5, elapsed
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}: lỗi: không đọc được tệp: "), lines
    # A Vietnamese sentence saying what is wrong and what to do.
    assert any(word in lines[0] for word in ("Tệp", "Phần")), lines[0]
    assert any(word in lines[0].lower() for word in ("hãy", "đừng", "từ chối")), lines[0]
    assert "Lỗi nội bộ" not in result.output
    assert lines[-1] == "Có 0 lỗi, 0 cảnh báo; 1 tệp không đọc được."
    result = runner.invoke(main, ["check", "--json", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data[0]["file"] == str(path) and "findings" not in data[0]
    if kind in REASONS:
        assert data[0]["error"]["reason"] == REASONS[kind]


def test_xxe_never_reads_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT-KHẨU-BÍ-MẬT", "utf-8")
    doc = XXE.replace(b"file:///etc/passwd", f"file://{secret}".encode())
    path = tmp_path / "xxe.docx"
    path.write_bytes(package(minimal(**{"word/document.xml": doc})))
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert result.exit_code == 1
    assert "MẬT-KHẨU" not in result.output


def test_hostile_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bom.docx"
    bad.write_bytes(zip_bomb())
    good = tmp_path / "thu.docx"
    good.write_bytes(real_docx())
    result = CliRunner().invoke(main, ["check", str(bad), str(good)])
    assert result.exit_code == 1
    out = result.output
    assert f"{bad}: lỗi: không đọc được tệp:" in out
    assert f"{good}: cảnh báo [NOT-ADMIN]" in out
    assert out.splitlines()[-1] == "Có 0 lỗi, 1 cảnh báo trong 2 tệp; 1 tệp không đọc được."


def test_directory_and_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path), str(tmp_path / "khong-co.docx")])
    assert result.exit_code == 1
    assert "thư mục" in result.output and "không tồn tại" in result.output
    assert "Traceback" not in result.output
