"""Issue 17, point 2: drafter check says what it is reading.

Documents written with python-docx (tests/reading_docs.py), not by drafter: a signature
with no prefix, conflicting type signals, copies (SAO Y), a standalone appendix, a
Party document, headers laid out with tab stops and in text boxes. Each is checked
through the real command (``drafter check``), and what was located is asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import reading_docs as R
from drafter.check.locate import locate
from drafter.check.reader import read_docx
from drafter.check.rules import RULES
from drafter.cli import main


def run_check(tmp_path: Path, blocks: list, name: str = "vb.docx") -> tuple[int, list[dict]]:
    path = tmp_path / name
    path.write_bytes(R.make(blocks))
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    data = json.loads(result.output)
    return result.exit_code, data[0]["findings"]


def ids(findings: list[dict]) -> list[str]:
    return [f["rule"] for f in findings]


def layout(blocks: list):
    return locate(read_docx(R.make(blocks)))


# ------------------------------------------------------------------------ signature without prefix


def test_signature_without_prefix_found_in_stacked_layout(tmp_path: Path) -> None:
    """The head signing himself (no TM./KT.), signature as right-aligned paragraphs, the
    body not ending in "./." (nothing else to go by): the block is found."""
    blocks = (R.header_table() + R.KINH_GUI + [("p", "Đề nghị các đơn vị thực hiện.", R.P14, "both")]
              + R.stacked_signature(["GIÁM ĐỐC"]))
    lay = layout(blocks)
    assert [[s.text for s in sig.authority] for sig in lay.signatures] == [["GIÁM ĐỐC"]]
    assert lay.signatures[0].signer.text == "Dương Tất Thắng"
    code, findings = run_check(tmp_path, blocks)
    assert "SIG-AUTHORITY" not in ids(findings)


@pytest.mark.parametrize("where", ["table", "stacked"])
def test_deputy_without_kt_is_an_authority_error(tmp_path: Path, where: str) -> None:
    sig = R.sign_table(["PHÓ GIÁM ĐỐC"]) if where == "table" else R.stacked_signature(["PHÓ GIÁM ĐỐC"])
    blocks = R.header_table() + R.KINH_GUI + R.BODY + sig
    code, findings = run_check(tmp_path, blocks)
    hits = [f for f in findings if f["rule"] == "SIG-AUTHORITY"]
    assert code == 1 and len(hits) == 1, findings
    assert hits[0]["location"]["text"] == "PHÓ GIÁM ĐỐC"
    assert "KT. GIÁM ĐỐC" in hits[0]["message"]


def test_head_signing_without_prefix_is_not_an_error(tmp_path: Path) -> None:
    code, findings = run_check(tmp_path, R.header_table() + R.KINH_GUI + R.BODY + R.sign_table(["CHỦ TỊCH"]))
    assert code == 0 and findings == [], findings


# ------------------------------------------------------------------------ type signals


def test_clean_quyet_dinh_has_no_type_conflict(tmp_path: Path) -> None:
    code, findings = run_check(tmp_path, R.quyet_dinh())
    assert "TYPE-CONFLICT" not in ids(findings), findings


def test_quyet_dinh_with_vv_and_kinh_gui_is_reported(tmp_path: Path) -> None:
    code, findings = run_check(tmp_path, R.quyet_dinh(vv=True, kinh_gui=True))
    hits = [f for f in findings if f["rule"] == "TYPE-CONFLICT"]
    assert [h["location"]["text"] for h in hits] == ["V/v tăng cường công tác khuyến công",
                                                     "Kính gửi: Sở Tài chính."]
    assert all(h["severity"] == "warning" and "cần người xem lại" in h["message"] for h in hits)


def test_two_type_headings_are_reported(tmp_path: Path) -> None:
    code, findings = run_check(tmp_path, R.quyet_dinh(second_type="THÔNG BÁO"))
    hits = [f for f in findings if f["rule"] in ("TYPE-CONFLICT", "TL-TWO")]
    assert [h["rule"] for h in hits] == ["TL-TWO"] and hits[0]["location"]["text"] == "THÔNG BÁO"
    assert "«QUYẾT ĐỊNH» và «THÔNG BÁO»" in hits[0]["message"]


# ------------------------------------------------------------------------ copies


def test_copy_block_alone_has_no_false_quoc_hieu_missing(tmp_path: Path) -> None:
    """Only the copy's block is text (the copied pages are scans): no QH-MISSING, and
    SAO Y is the form, not an agency name."""
    blocks = R.copy_block()[1:]
    lay = layout(blocks)
    assert lay.kind == "copy" and lay.copy_form.text == "SAO Y"
    assert [s.text for s in lay.copy.issuer] == ["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"]
    assert lay.copy.so.text == "Số: 05/SY-UBND"
    assert [[s.text for s in sig.authority] for sig in lay.copy.signatures] == [["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]]
    code, findings = run_check(tmp_path, blocks)
    assert code == 0 and findings == [], findings


def test_copy_after_the_copied_document(tmp_path: Path) -> None:
    blocks = R.cong_van() + R.copy_block()
    lay = layout(blocks)
    assert lay.kind == "copy"
    assert [[s.text for s in sig.authority] for sig in lay.signatures] == [
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]]
    assert lay.copy.noi_nhan is not None
    code, findings = run_check(tmp_path, blocks)
    assert code == 0 and findings == [], findings


def test_copy_departures_caught_by_copy_rules(tmp_path: Path) -> None:
    code, findings = run_check(tmp_path, R.cong_van() + R.copy_block("Sao y bản chính", "Số: 05/UBND-VP"))
    assert code == 1
    got = {(f["rule"], f["location"]["text"]) for f in findings}
    assert got == {("COPY-STYLE", "Sao y bản chính"), ("COPY-SO", "Số: 05/UBND-VP")}, findings


def test_copy_form_style_and_missing_parts(tmp_path: Path) -> None:
    left = [("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", R.B12, "center"), ("SAO LỤC", R.P12, "center"),
            ("Số: 05/SL-UBND", R.P13, "center")]
    code, findings = run_check(tmp_path, [("table", [left, [R.DATE]])])
    msgs = [(f["rule"], f["message"]) for f in findings]
    assert ("COPY-STYLE", "Hình thức sao «SAO LỤC» phải in đậm.") in msgs
    assert ("COPY-STYLE", "Cỡ chữ của hình thức sao là 12 pt; đúng là 13–14 pt.") in msgs
    assert ("COPY-PARTS", "Phần sao thiếu: chữ ký (thẩm quyền và họ tên), nơi nhận.") in msgs
    assert "QH-MISSING" not in ids(findings)


# ------------------------------------------------------------------------ appendix, Party


def test_standalone_appendix_checked_by_its_own_rules(tmp_path: Path) -> None:
    lay = layout(R.appendix())
    assert lay.kind == "appendix" and lay.appendix_heading.text == "Phụ lục"
    code, findings = run_check(tmp_path, R.appendix())
    assert code == 0 and findings == [], findings
    bad = [("p", "Phụ lục", R.P14, "left")] + R.appendix()[1:]
    code, findings = run_check(tmp_path, bad, "bad.docx")
    assert [(f["rule"], f["location"]["text"]) for f in findings] == [("APPX-STYLE", "Phụ lục")]
    assert "NOT-ADMIN" not in ids(findings)


def test_party_document_named_and_not_judged(tmp_path: Path) -> None:
    blocks = R.party()
    code, findings = run_check(tmp_path, blocks)
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in findings] == [("DOC-PARTY", "info")]
    assert "văn bản của Đảng: không kiểm tra theo Nghị định 30".lower() in findings[0]["message"].lower()
    # with a "Số:" line and a date the file would pass for administrative: still Party
    left = [("ĐẢNG BỘ TỈNH HÀ TĨNH", R.P14, "center"), ("Số: 25-TB/HU", R.P14, "center")]
    right = [("ĐẢNG CỘNG SẢN VIỆT NAM", R.B14, "center"), ("Can Lộc, ngày 05 tháng 01 năm 2024", R.I14, "right")]
    code, findings = run_check(tmp_path, [("table", [left, right])] + blocks[1:], "p2.docx")
    assert ids(findings) == ["DOC-PARTY"]


# ------------------------------------------------------------------------ tab stops, text boxes


def _cong_van_with(header: list) -> list:
    return header + R.KINH_GUI + R.BODY + R.sign_table(["CHỦ TỊCH"])


@pytest.mark.parametrize("header", ["table", "tabs", "textbox-dml", "textbox-vml"])
def test_header_read_the_same_in_every_layout(tmp_path: Path, header: str) -> None:
    blocks = _cong_van_with({"table": R.header_table(), "tabs": R.header_tabs(),
                             "textbox-dml": R.header_textboxes("dml"),
                             "textbox-vml": R.header_textboxes("vml")}[header])
    lay = layout(blocks)
    assert [q.seg.text for q in lay.quoc_hieu] == [R.QH]
    assert [s.text for s in lay.tieu_ngu] == [R.TN]
    assert [s.text for s in lay.issuer] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"]
    assert lay.so.text == "Số: 125/UBND-KT"
    assert lay.date.text == "Hà Tĩnh, ngày 05 tháng 01 năm 2024"
    assert [s.text for s in lay.vv] == ["V/v tăng cường công tác khuyến công"]
    code, findings = run_check(tmp_path, blocks)
    assert code == 0 and findings == [], findings


def test_two_line_vv_under_a_tab_header_is_not_body(tmp_path: Path) -> None:
    """A correct 12 pt V/v wrapped onto a line tabbed in under the first."""
    vv = "V/v tăng cường công tác khuyến công\n\ttrên địa bàn tỉnh"
    blocks = _cong_van_with(R.header_tabs(vv))
    lay = layout(blocks)
    assert [s.text for s in lay.vv] == ["V/v tăng cường công tác khuyến công", "trên địa bàn tỉnh"]
    assert "trên địa bàn tỉnh" not in [s.text for s in lay.body]
    code, findings = run_check(tmp_path, blocks)
    assert code == 0 and findings == [], findings


def test_text_boxes_read_in_document_order() -> None:
    doc = read_docx(R.make(_cong_van_with(R.header_textboxes("dml"))))
    boxed = [p.text for p in doc.paragraphs if p.container == "textbox"]
    assert boxed[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"] and boxed[4] == R.QH
    assert len(boxed) == 7  # the mc:Fallback copies are not read twice


# ------------------------------------------------------------------------ the catalogue


def test_new_rules_in_catalogue() -> None:
    text = (Path(__file__).parent.parent / "docs" / "check-rules.md").read_text("utf-8")
    for rid in ("DOC-PARTY", "TYPE-CONFLICT", "TL-TWO", "COPY-STYLE", "COPY-SO", "COPY-PARTS", "APPX-STYLE"):
        assert rid in RULES and f"### `{rid}`" in text, rid



# The rules of this file, each with the test that makes it fire (tests/test_check.py
# counts them in test_every_rule_has_a_failing_example).
READING_CASES = (
    ("TYPE-CONFLICT", test_quyet_dinh_with_vv_and_kinh_gui_is_reported),
    ("TL-TWO", test_two_type_headings_are_reported),
    ("COPY-STYLE", test_copy_departures_caught_by_copy_rules),
    ("COPY-SO", test_copy_departures_caught_by_copy_rules),
    ("COPY-PARTS", test_copy_form_style_and_missing_parts),
    ("APPX-STYLE", test_standalone_appendix_checked_by_its_own_rules),
    ("DOC-PARTY", test_party_document_named_and_not_judged),
)
