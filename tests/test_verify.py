"""drafter xac-minh: a PDF signed by the person, then the agency (PAdES with pyHanko,
keys from the test CA of tests/sign_ca.py), verified as it is, with bytes changed
inside the signed range, with an incremental update that changes a page after
signing, and against a root that did not issue the certificates."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from sign_ca import AGENCY_NAME, PERSON_NAME, make_test_pki

from drafter.cli import main

pytest.importorskip("pyhanko")


def _blank_pdf() -> bytes:
    """A one-page PDF with a line of text (pypdf), standing in for a rendered document."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Times-Roman")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 14 Tf 100 750 Td (QUYET DINH ve viec thu nghiem) Tj ET")
    page[NameObject("/Contents")] = w._add_object(content)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _sign(data: bytes, p12, password: str, field: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password.encode())
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    fields.append_signature_field(w, fields.SigFieldSpec(field, box=(300, 300, 500, 400), on_page=0))
    out = io.BytesIO()
    signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name=field), signer=signer, output=out)
    return out.getvalue()


def _draw_after(data: bytes) -> bytes:
    """An incremental update that adds text to page 1 after it was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 650 Td (DA SUA SO TIEN) Tj ET"))
    contents = page["/Contents"]
    parts = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*parts, ref])
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    d = tmp_path_factory.mktemp("verify")
    pki = make_test_pki(d / "pki")
    other = make_test_pki(d / "other")  # a root that issued none of the certificates
    unsigned = _blank_pdf()
    once = _sign(unsigned, pki.person_p12, pki.password, "NguoiKy")
    twice = _sign(once, pki.agency_p12, pki.password, "CoQuan")
    files = {"unsigned": unsigned, "once": once, "twice": twice, "drawn": _draw_after(twice)}
    # a byte of the first revision changed: inside both signatures' ranges
    i = twice.index(b"QUYET DINH")
    files["flipped"] = twice[:i] + b"QUYET DINX" + twice[i + 10:]
    paths = {}
    for name, data in files.items():
        paths[name] = d / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths, pki, other


def _run(*args):
    return CliRunner().invoke(main, ["xac-minh", *map(str, args)])


def _json(*args) -> tuple[int, dict]:
    r = _run(*args, "--json")
    return r.exit_code, json.loads(r.output)


def test_two_good_signatures_valid_trusted_whole_file(signed):
    paths, pki, _ = signed
    r = _run(paths["twice"], "--tin-cay", pki.root_pem)
    assert r.exit_code == 0, r.output
    assert "2 chữ ký số" in r.output and "Kết luận: ĐẠT" in r.output
    assert PERSON_NAME in r.output and AGENCY_NAME in r.output
    assert "Drafter Test Root CA" in r.output
    assert "Traceback" not in r.output
    code, data = _json(paths["twice"], "--tin-cay", pki.root_pem)
    assert code == 0 and data["ok"] is True
    person, agency = data["signatures"]
    assert (person["signer_cn"], agency["signer_cn"]) == (PERSON_NAME, AGENCY_NAME)
    assert person["signer_o"] == AGENCY_NAME
    assert all(s["intact"] and s["valid"] and s["trusted"] and not s["changed_after"] for s in (person, agency))
    # the agency's signature covers the whole file; the person's its revision, then only a signature follows
    assert agency["covers_whole_file"] is True and person["covers_whole_file"] is False
    assert person["modification"] == "sau khi ký chỉ thêm chữ ký số khác"
    assert person["chain"] == [PERSON_NAME, "Drafter Test Root CA"]
    for s in (person, agency):  # Vietnam time, ISO 8601
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", s["signing_time"]), s["signing_time"]


def test_one_signature_covers_the_whole_file(signed):
    paths, pki, _ = signed
    code, data = _json(paths["once"], "--tin-cay", pki.root_pem)
    assert code == 0 and [s["covers_whole_file"] for s in data["signatures"]] == [True]


def test_bytes_changed_inside_the_signed_range_are_caught(signed):
    paths, pki, _ = signed
    r = _run(paths["flipped"], "--tin-cay", pki.root_pem)
    assert r.exit_code == 1
    assert "phần được ký đã bị thay đổi" in r.output and "Kết luận: KHÔNG ĐẠT" in r.output
    code, data = _json(paths["flipped"], "--tin-cay", pki.root_pem)
    assert code == 1 and data["ok"] is False
    assert [s["intact"] for s in data["signatures"]] == [False, False]


def test_an_update_after_signing_that_changes_a_page_is_reported(signed):
    paths, pki, _ = signed
    r = _run(paths["drawn"], "--tin-cay", pki.root_pem)
    assert r.exit_code == 1
    assert "ĐÃ THAY ĐỔI — tệp đã bị sửa nội dung sau khi ký" in r.output
    code, data = _json(paths["drawn"], "--tin-cay", pki.root_pem)
    assert code == 1
    sigs = data["signatures"]
    # the signed bytes themselves are untouched: the change is what was appended
    assert [s["intact"] for s in sigs] == [True, True]
    assert [s["changed_after"] for s in sigs] == [True, True]
    assert [s["covers_whole_file"] for s in sigs] == [False, False]


def test_a_root_that_issued_nothing_is_not_trusted(signed):
    paths, _, other = signed
    r = _run(paths["twice"], "--tin-cay", other.root_pem)
    assert r.exit_code == 1
    assert "CHƯA tin cậy — không nối được tới chứng thư gốc tin cậy nào đã cho" in r.output
    assert "Traceback" not in r.output and "Failed to build path" not in r.output
    code, data = _json(paths["twice"], "--tin-cay", other.root_pem)
    assert code == 1 and data["ok"] is False
    assert [s["trusted"] for s in data["signatures"]] == [False, False]
    assert [s["valid"] for s in data["signatures"]] == [True, True]
    r = _run(paths["twice"])  # no root given: nothing is trusted
    assert r.exit_code == 1 and "chưa cho chứng thư gốc tin cậy (--tin-cay GỐC.pem)" in r.output


def test_unsigned_and_bad_inputs_in_vietnamese(signed, tmp_path):
    paths, pki, _ = signed
    r = _run(paths["unsigned"], "--tin-cay", pki.root_pem)
    assert r.exit_code == 1 and "không có chữ ký số nào" in r.output
    text = tmp_path / "ghi-chu.pdf"
    text.write_text("không phải PDF", encoding="utf-8")
    r = _run(text)
    assert r.exit_code == 1 and "Tệp không phải PDF" in r.output and "Chưa xác minh được chữ ký." in r.output
    r = _run(paths["twice"], "--tin-cay", text)
    assert r.exit_code == 1 and "Tệp chứng thư gốc không đọc được" in r.output
    r = _run(tmp_path / "khong-co.pdf")
    assert r.exit_code == 1 and "không tìm thấy tệp" in r.output
    code, data = _json(text)
    assert code == 1 and data["ok"] is False and "Tệp không phải PDF" in data["problems"][0]["message"]
    for out in (r.output,):
        assert "Traceback" not in out and "Lỗi nội bộ" not in out
