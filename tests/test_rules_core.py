"""Pure rules of FORMAT.md: số ký hiệu, date line, recipients, signature, body."""

from __future__ import annotations

import datetime as dt

import pytest

from drafter.errors import ERROR, Position
from drafter.rules import body, date_line, doctypes, inline, recipients, signature, so_ky_hieu

NB = "\u00a0"


@pytest.mark.parametrize("so,abbr,issuer,unit,expected", [
    (14, "CT", "UBND", None, "Số: 14/CT-UBND"),
    (3355, "QĐ", "UBND", None, "Số: 3355/QĐ-UBND"),
    (5, "TB", "UBND", None, "Số: 05/TB-UBND"),
    (1, "QyĐ", "BCT", None, "Số: 01/QyĐ-BCT"),
    (8287, None, "UBND", "KT1", "Số: 8287/UBND-KT1"),
    (953, None, "UBND", "CNXD", "Số: 953/UBND-CNXD"),
    (9, None, "SCT", None, "Số: 09/SCT"),
    (None, "QĐ", "UBND", None, f"Số: {NB * 7}/QĐ-UBND"),
    (None, None, "UBND", "VP", f"Số: {NB * 7}/UBND-VP"),
])
def test_so_ky_hieu_format(so, abbr, issuer, unit, expected):
    assert so_ky_hieu.format(so, type_abbr=abbr, issuer=issuer, unit=unit) == expected


def test_so_ky_hieu_rejects_zero():
    with pytest.raises(ValueError):
        so_ky_hieu.format(0, type_abbr="QĐ", issuer="UBND")


@pytest.mark.parametrize("line,ok", [
    ("Số: 14/CT-UBND", True), ("Số: 05/TB-UBND", True), ("Số: 953UBND-CNXD", False),
    ("Số: 5/QĐ-UBND", False), ("Số: 14/CT- UBND", False), ("Số: 14/ct-ubnd", False),
    ("Số:       /QĐ-UBND", True), ("14/CT-UBND", False), ("Số: 12/QĐ--UBND", False),
])
def test_so_ky_hieu_validate(line, ok):
    assert (so_ky_hieu.validate(line) == []) is ok


def test_so_ky_hieu_override():
    assert so_ky_hieu.format_override("3384/BCT-CTĐP") == "Số: 3384/BCT-CTĐP"
    assert so_ky_hieu.format_override("Số: 3384/BCT-CTĐP") == "Số: 3384/BCT-CTĐP"
    with pytest.raises(ValueError, match="'/'"):
        so_ky_hieu.format_override("953UBND-CNXD")


@pytest.mark.parametrize("d,expected", [
    (dt.date(2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
    (dt.date(2020, 2, 29), "Hà Nội, ngày 29 tháng 02 năm 2020"),
    (dt.date(2020, 3, 1), "Hà Nội, ngày 01 tháng 3 năm 2020"),
    (dt.date(2019, 11, 6), "Hà Nội, ngày 06 tháng 11 năm 2019"),
    (dt.date(2019, 12, 13), "Hà Nội, ngày 13 tháng 12 năm 2019"),
    (dt.date(2021, 10, 10), "Hà Nội, ngày 10 tháng 10 năm 2021"),
])
def test_date_line(d, expected):
    assert date_line.format("Hà Nội", d) == expected


def test_blank_date_line():
    assert date_line.format("Hà Nội", None, year=2026) == f"Hà Nội, ngày{NB * 6}tháng{NB * 6}năm 2026"
    with pytest.raises(ValueError):
        date_line.format("Hà Nội", None)


@pytest.mark.parametrize("line,problems", [
    ("Hà Nội, ngày 05 tháng 01 năm 2020", 0), ("Hà Nội, ngày 5 tháng 01 năm 2020", 1),
    ("Hà Nội, ngày 05 tháng 1 năm 2020", 1), ("Hà Nội, ngày 05 tháng 03 năm 2020", 1),
    ("Hà Nội, ngày 30 tháng 02 năm 2020", 1), ("Hà Nội 05/01/2020", 1),
])
def test_date_line_validate(line, problems):
    assert len(date_line.validate(line)) == problems


@pytest.mark.parametrize("text,expected", [
    ("2019-12-13", dt.date(2019, 12, 13)), ("13/12/2019", dt.date(2019, 12, 13)), ("1/2/2020", dt.date(2020, 2, 1)),
])
def test_parse_date(text, expected):
    assert date_line.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2019-02-30", "32/01/2020", "2020/01/01", "mai"])
def test_parse_date_refuses(text):
    with pytest.raises(ValueError):
        date_line.parse_date(text)


def test_kinh_gui_one_and_many():
    one = recipients.kinh_gui("Bộ Công Thương")
    assert one.all_lines == ("Kính gửi: Bộ Công Thương.",)
    many = recipients.kinh_gui(["- Sở Tài chính;", "Sở Nội vụ,", "UBND các xã."])
    assert many.all_lines == ("Kính gửi:", "- Sở Tài chính;", "- Sở Nội vụ;", "- UBND các xã.")
    assert recipients.kinh_gui([]) is None and recipients.kinh_gui(None) is None


@pytest.mark.parametrize("typed,bare", [
    ("- Như trên;", "Như trên"), ("Như trên", "Như trên"), ("+ Sở Y tế.", "Sở Y tế"),
    ("Bộ Công Thương (để biết);", "Bộ Công Thương (để biết)"), ("Các huyện...", "Các huyện..."),
    ("  –  Sở Xây dựng ; ", "Sở Xây dựng"),
])
def test_bare(typed, bare):
    assert recipients.bare(typed) == bare


def test_noi_nhan_lines():
    assert recipients.noi_nhan_lines(["Bộ Công Thương"], ["KT1"], first="Như trên") == [
        "- Như trên;", "- Bộ Công Thương;", "- Lưu: VT, KT1."]
    assert recipients.noi_nhan_lines(None, None) == ["- Lưu: VT."]
    assert recipients.noi_nhan_lines(["Như Điều 3"], "VT, KT2, NVA(10)") == [
        "- Như Điều 3;", "- Lưu: VT, KT2, NVA(10)."]
    assert recipients.noi_nhan_lines([], [], unit="VP") == ["- Lưu: VT, VP."]
    assert recipients.noi_nhan_lines([], ["VP"], unit="VP") == ["- Lưu: VT, VP."]


def test_validate_noi_nhan():
    assert recipients.validate(noi_nhan=["- Như trên;", "- Lưu: VT, KT."]) == []
    assert len(recipients.validate(noi_nhan=["- Như trên", "- Lưu: VT, KT."])) == 1
    assert len(recipients.validate(noi_nhan=["- Như trên;", "- Lưu: KT."])) == 1


def test_validate_kinh_gui():
    assert recipients.validate(kinh_gui=["- Sở Tài chính;", "- Sở Nội vụ."]) == []
    (problem,) = recipients.validate(kinh_gui=["- Sở Tài chính,", "- Sở Nội vụ."])
    assert "';'" in problem.message and problem.position == Position() and problem.severity == ERROR
    assert len(recipients.validate(kinh_gui=["Sở Tài chính;", "- Sở Nội vụ;"])) == 2


@pytest.mark.parametrize("item,last,line", [
    ("Sở Tài chính", False, "- Sở Tài chính;"), ("- Sở Tài chính;", False, "- Sở Tài chính;"),
    ("Sở Nội vụ,", True, "- Sở Nội vụ."), ("+ UBND các xã.", True, "- UBND các xã."),
])
def test_recipient_line_format(item, last, line):
    assert recipients.format(item, last=last) == line
    assert recipients.validate(kinh_gui=[line] if last else [line, "- X."]) == []


@pytest.mark.parametrize("kwargs,key", [
    ({"kt": "CHỦ TỊCH", "chuc_vu": "CHỦ TỊCH"}, "ky.chuc_vu"),
    ({"kt": "CHỦ TỊCH"}, "ky.chuc_vu"),
    ({"kt": "GIÁM ĐỐC", "q": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC"}, "ky.q"),
    ({"tl": "X", "tuq": "Y", "chuc_vu": "CHÁNH VĂN PHÒNG"}, "ky.tuq"),
    ({}, "ky.chuc_vu"),
])
def test_signature_forbidden(kwargs, key):
    with pytest.raises(signature.SignatureError) as err:
        signature.format(ho_ten="Nguyễn Văn A", **kwargs)
    assert err.value.key == key


def test_signature_no_academic_titles():
    with pytest.raises(signature.SignatureError, match="học hàm"):
        signature.format(ho_ten="TS. Nguyễn Văn A", chuc_vu="GIÁM ĐỐC")


def test_signature_order_and_case():
    s = signature.format(ho_ten=" Nguyễn  Văn A ", tm="ủy ban nhân dân", kt="chủ tịch", chuc_vu="phó chủ tịch")
    assert s.authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert s.name == "Nguyễn Văn A"


def test_title_slip_warning():
    assert signature.title_warnings("ĐIỀU CHỨC")  # seed 004's slip
    assert not signature.title_warnings(["PHÓ CHỦ TỊCH", "GIÁM ĐỐC"])


def test_inline_emphasis():
    spans = inline.parse("a **b** *c* _d_ R&D <x> {{ y }} 5 * 3")
    assert [(s.text, s.bold, s.italic) for s in spans] == [
        ("a ", False, False), ("b", True, False), (" ", False, False), ("c", False, True),
        (" _d_ R&D <x> {{ y }} 5 * 3", False, False)]


def test_body_auto_numbering():
    paras = body.paragraphs("[I] MỤC TIÊU\n[1] Một\n[a] x\n[a] y\n[a] z\n[a] t\n[a] u\n[a] v\n[1] Hai\n[a] k\n[I] GIẢI PHÁP\n[1] Ba")
    assert [p.text for p in paras] == [
        "I. MỤC TIÊU", "1. Một", "a) x", "b) y", "c) z", "d) t", "đ) u", "e) v", "1. Hai"[0:0] + "2. Hai",
        "a) k", "II. GIẢI PHÁP", "1. Ba"]
    assert paras[0].kind == body.SECTION and paras[1].kind == body.TEXT


def test_body_typed_markers_kept():
    text = "1.1. Công tác:\n- Một\n+ Hai\nf) như gõ"
    assert [p.text for p in body.paragraphs(text)] == ["1.1. Công tác:", "- Một", "+ Hai", "f) như gõ"]


def test_final_mark():
    paras = body.ensure_final_mark(body.paragraphs("Một.\nHai;"))
    assert paras[-1].text == "Hai./."
    assert body.ensure_final_mark(body.paragraphs("Ba./."))[-1].text == "Ba./."


def test_doctypes_table():
    assert doctypes.get("chi-thi").abbr == "CT" and doctypes.get("quyet-dinh").abbr == "QĐ"
    assert doctypes.get("cong-van").abbr is None
    assert len({t.abbr for t in doctypes.TYPES if t.abbr}) == len([t for t in doctypes.TYPES if t.abbr])
    with pytest.raises(doctypes.UnknownTypeError, match="quyet-dinh"):
        doctypes.get("quyet-dinhh")
