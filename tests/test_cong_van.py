"""A công văn end to end: every element of FORMAT.md read back from the .docx."""

from __future__ import annotations

import pytest
from docx_view import DocView, NS, q
from conftest import SAMPLES

from drafter import api

BASE = """
loai: cong-van
co_quan:
  chu_quan: UBND TỈNH AN HÒA
  ten: [SỞ CÔNG THƯƠNG]
  viet_tat: SCT
  dia_danh: An Hòa
so: 12
don_vi_soan: QLCN
ngay: 2024-03-05
trich_yeu: tăng cường quản lý cụm công nghiệp
kinh_gui:
  - Ủy ban nhân dân các xã, phường
  - Ban Quản lý các khu công nghiệp tỉnh
noi_dung: |
  Thực hiện chỉ đạo của **Ủy ban nhân dân tỉnh**, Sở Công Thương đề nghị:
  1. Rà soát *hiện trạng* các cụm công nghiệp.
  a) Báo cáo trước ngày 30/3/2024.
  - Gửi về Sở Công Thương;
noi_nhan: [Như trên, Giám đốc Sở]
luu: [VT, QLCN]
ky:
  kt: GIÁM ĐỐC
  chuc_vu: PHÓ GIÁM ĐỐC
  ho_ten: Nguyễn Văn An
"""


@pytest.fixture
def doc(render) -> DocView:
    return render(BASE)


def test_page_a4_margins_and_page_numbers(doc):
    sect = doc.sect()
    pg = sect.find(q("pgSz"))
    assert (int(pg.get(q("w"))), int(pg.get(q("h")))) == (11906, 16838)
    assert pg.get(q("orient")) in (None, "portrait")
    mar = sect.find(q("pgMar"))
    mm = {k: round(int(mar.get(q(k))) / 56.6929) for k in ("top", "bottom", "left", "right")}
    assert mm == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    assert sect.find(q("titlePg")) is not None  # no number on page 1
    refs = {r.get(q("type")): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for r in sect.findall(q("headerReference"))}
    rels = doc.part("word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    default = doc.part("word/" + target[refs["default"]])
    first = doc.part("word/" + target[refs["first"]])
    assert "PAGE" in "".join(default.itertext())
    assert "".join(first.itertext()).strip() == ""
    jc = default.find(".//w:jc", NS)
    style = default.find(".//w:pStyle", NS).get(q("val"))
    assert doc._ppr_val(default.find(".//w:p", NS), style, "w:jc", "val") == "center"
    assert doc._run_size(default.find(".//w:r", NS), style) in (13, 14)
    del jc


def test_times_new_roman_in_every_script_slot(doc):
    fonts = doc.styles.find(".//w:docDefaults//w:rFonts", NS)
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert fonts.get(q(slot)) == "Times New Roman"
    names = {v for el in doc.styles.iter(q("rFonts")) for v in el.attrib.values()}
    names |= {v for el in doc.doc.iter(q("rFonts")) for v in el.attrib.values()}
    assert names == {"Times New Roman"}


def test_header_texts_and_styles(doc):
    header = doc.tables()[0]
    assert doc.cell_texts(header, 0, 0) == ["UBND TỈNH AN HÒA", "SỞ CÔNG THƯƠNG"]
    assert doc.cell_texts(header, 0, 1) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    qh = doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert (qh.size, qh.bold, qh.align) == (12, True, "center")
    tn = doc.find("Độc lập - Tự do - Hạnh phúc")
    assert (tn.size, tn.bold, tn.italic) == (13, True, False)
    parent = doc.find("UBND TỈNH AN HÒA")
    assert (parent.size, parent.bold) == (12, False)
    issuer = doc.find("SỞ CÔNG THƯƠNG")
    assert (issuer.size, issuer.bold) == (12, True)


def test_header_rules_and_column_widths(doc):
    header = doc.tables()[0]
    grid = [int(g.get(q("w"))) for g in header.find(q("tblGrid"))]
    cells = [int(tc.find(".//w:tcW", NS).get(q("w"))) for tc in header.find(q("tr")).findall(q("tc"))]
    assert grid == cells  # LibreOffice lays out by tblGrid: both must agree
    assert sum(grid) == 11906 - round(45 * 56.6929)
    assert grid[1] / sum(grid) >= 0.58  # room for the quốc hiệu on one line
    borders = [p for p in header.iter(q("p")) if doc.para(p).style == "DrRule"]
    assert len(borders) == 2  # under the issuer and under the tiêu ngữ
    for p in borders:
        assert doc.para(p).text == ""  # a tiny paragraph of its own, never under the text itself
        left = int(p.find(".//w:ind", NS).get(q("left")))
        right = int(p.find(".//w:ind", NS).get(q("right")))
        assert left == right > 0  # centred, shorter than the column


def test_so_ky_hieu_date_line_and_vv(doc):
    so = doc.find("Số: 12/SCT-QLCN")
    assert (so.size, so.bold) == (13, False)
    date = doc.find("An Hòa, ngày 05 tháng 3 năm 2024")
    assert (date.italic, date.size) == (True, 13)
    vv = doc.find("V/v tăng cường quản lý cụm công nghiệp")
    assert (vv.size, vv.bold, vv.italic) == (12, False, False)
    header = doc.tables()[0]
    assert doc.cell_texts(header, 1, 0)[:2] == ["Số: 12/SCT-QLCN", "V/v tăng cường quản lý cụm công nghiệp"]
    assert doc.cell_texts(header, 1, 1) == ["An Hòa, ngày 05 tháng 3 năm 2024"]


def test_kinh_gui_lines(doc):
    texts = doc.texts()
    i = texts.index("Kính gửi:")
    assert texts[i + 1: i + 3] == [
        "- Ủy ban nhân dân các xã, phường;",
        "- Ban Quản lý các khu công nghiệp tỉnh.",
    ]
    assert doc.find("Kính gửi:").size == 14
    # Lines sit close together; the last one leaves a paragraph's space before the body.
    assert not doc.find("- Ủy ban nhân dân các xã, phường;").after
    assert doc.find("- Ban Quản lý các khu công nghiệp tỉnh.").after == 120


def test_body_paragraphs(doc):
    texts = doc.texts()
    i = texts.index("- Ban Quản lý các khu công nghiệp tỉnh.")
    assert texts[i + 1: i + 5] == [
        "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Công Thương đề nghị:",
        "1. Rà soát hiện trạng các cụm công nghiệp.",
        "a) Báo cáo trước ngày 30/3/2024.",
        "- Gửi về Sở Công Thương./.",
    ]
    first = doc.starting("Thực hiện chỉ đạo")
    assert (first.size, first.align, first.first_line, first.after) == (14, "both", 720, 120)
    runs = first.element.findall(q("r"))
    bold = [("".join(r.itertext()), r.find(".//w:b", NS) is not None) for r in runs]
    assert ("Ủy ban nhân dân tỉnh", True) in bold
    assert ("Thực hiện chỉ đạo của ", False) in bold
    italic = doc.starting("1. Rà soát").element.findall(".//w:i/../..", NS)
    assert ["".join(r.itertext()) for r in italic] == ["hiện trạng"]


def test_noi_nhan_and_signature(doc):
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 0) == [
        "Nơi nhận:", "- Như trên;", "- Giám đốc Sở;", "- Lưu: VT, QLCN.",
    ]
    assert doc.cell_texts(sig, 0, 1) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    label = doc.find("Nơi nhận:")
    assert (label.bold, label.italic, label.size) == (True, True, 12)
    assert doc.find("- Như trên;").size == 11
    for text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"):
        p = doc.find(text)
        assert (p.bold, p.size, p.align) == (True, 14, "center")
    name = doc.find("Nguyễn Văn An")
    assert (name.bold, name.size, name.italic) == (True, 14, False)
    # room for signature and seal between title and name
    before = int(doc._ppr_val(name.element, name.style, "w:spacing", "before"))
    assert before >= 1200
    assert sig.find(".//w:trPr/w:cantSplit", NS) is not None
    assert doc.find("- Gửi về Sở Công Thương./.").style == "DrBodyLast"  # kept with the block


# --- edge cases ---------------------------------------------------------------------

def _with(**changes) -> str:
    import yaml_edit

    return yaml_edit.replace_keys(BASE, changes)


@pytest.mark.parametrize("iso,line", [
    ("2024-01-01", "An Hòa, ngày 01 tháng 01 năm 2024"),
    ("2024-02-09", "An Hòa, ngày 09 tháng 02 năm 2024"),
    ("2024-03-10", "An Hòa, ngày 10 tháng 3 năm 2024"),
    ("2024-09-30", "An Hòa, ngày 30 tháng 9 năm 2024"),
    ("2024-12-31", "An Hòa, ngày 31 tháng 12 năm 2024"),
    ("31/12/2019", "An Hòa, ngày 31 tháng 12 năm 2019"),
])
def test_date_lines(render, iso, line):
    assert render(_with(ngay=iso)).find(line).italic


def test_no_number_no_date(render):
    doc = render(_with(so=None, ngay=None, nam=2026))
    doc.find("Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/SCT-QLCN")
    doc.find("An Hòa, ngày\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0tháng\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0năm 2026")


@pytest.mark.parametrize("so,text", [(5, "Số: 05/SCT-QLCN"), (9, "Số: 09/SCT-QLCN"), (10, "Số: 10/SCT-QLCN"), (8287, "Số: 8287/SCT-QLCN")])
def test_leading_zero(render, so, text):
    render(_with(so=so)).find(text)


def test_one_recipient_inline(render):
    doc = render(_with(kinh_gui="Ủy ban nhân dân tỉnh An Hòa"))
    doc.find("Kính gửi: Ủy ban nhân dân tỉnh An Hòa.")


def test_typed_punctuation_is_normalised(render):
    doc = render(_with(
        kinh_gui=["- Sở Tài chính;", "Sở Xây dựng.", "- UBND các xã;"],
        noi_nhan=["- Như trên;", "Sở Nội vụ;", "- Lưu: VT, QLCN."],
        luu=["QLCN", "VT"],
    ))
    texts = doc.texts()
    i = texts.index("Kính gửi:")
    assert texts[i + 1: i + 4] == ["- Sở Tài chính;", "- Sở Xây dựng;", "- UBND các xã."]
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 0) == ["Nơi nhận:", "- Như trên;", "- Sở Nội vụ;", "- Lưu: VT, QLCN."]


def test_nhu_tren_added_first(render):
    doc = render(_with(noi_nhan=["Giám đốc Sở", "Như trên"]))
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 0)[1:3] == ["- Như trên;", "- Giám đốc Sở;"]


@pytest.mark.parametrize("ky,lines", [
    ({"chuc_vu": "GIÁM ĐỐC", "ho_ten": "A"}, ["GIÁM ĐỐC"]),
    ({"kt": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC", "ho_ten": "A"}, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ({"tm": "ỦY BAN NHÂN DÂN", "chuc_vu": "CHỦ TỊCH", "ho_ten": "A"}, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ({"tm": "ỦY BAN NHÂN DÂN", "kt": "CHỦ TỊCH", "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "A"},
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ({"q": "GIÁM ĐỐC", "ho_ten": "A"}, ["Q. GIÁM ĐỐC"]),
    ({"tm": "ỦY BAN NHÂN DÂN", "q": "CHỦ TỊCH", "ho_ten": "A"}, ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
    ({"tl": "CHỦ TỊCH", "chuc_vu": "CHÁNH VĂN PHÒNG", "ho_ten": "A"}, ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
    ({"tl": "bộ trưởng", "kt": "vụ trưởng vụ pháp chế", "chuc_vu": "phó vụ trưởng", "ho_ten": "A"},
     ["TL. BỘ TRƯỞNG", "KT. VỤ TRƯỞNG VỤ PHÁP CHẾ", "PHÓ VỤ TRƯỞNG"]),
    ({"tuq": "GIÁM ĐỐC", "chuc_vu": "TRƯỞNG PHÒNG TỔ CHỨC", "ho_ten": "A"}, ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG TỔ CHỨC"]),
    ({"chuc_vu": ["TRƯỞNG BAN", "PHÓ THỦ TƯỚNG"], "ho_ten": "A"}, ["TRƯỞNG BAN", "PHÓ THỦ TƯỚNG"]),
])
def test_signature_prefixes(render, ky, lines):
    doc = render(_with(ky=ky))
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 1) == [*lines, "A"]
    for line in lines:
        assert doc.find(line).bold


def test_two_line_agency_with_parent(render):
    doc = render(_with(co_quan={"chu_quan": "Bộ Công Thương", "ten": ["CỤC CÔNG NGHIỆP", "VÀ KHUYẾN CÔNG"],
                                "viet_tat": "CCN", "dia_danh": "Hà Nội"}))
    header = doc.tables()[0]
    assert doc.cell_texts(header, 0, 0) == ["BỘ CÔNG THƯƠNG", "CỤC CÔNG NGHIỆP", "VÀ KHUYẾN CÔNG"]
    assert doc.find("CỤC CÔNG NGHIỆP").bold and doc.find("VÀ KHUYẾN CÔNG").bold
    assert not doc.find("BỘ CÔNG THƯƠNG").bold
    doc.find("Số: 12/CCN-QLCN")


def test_urgency_and_secrecy_marks(render):
    doc = render(_with(do_khan="hỏa tốc", do_mat="Mật"))
    for mark in ("HỎA TỐC", "MẬT"):
        p = doc.find(mark)
        assert p.bold and p.element.find(".//w:pBdr", NS) is None  # the box comes from the style
        assert doc._style[p.style].find(".//w:pBdr/w:top", NS) is not None


@pytest.mark.parametrize("text", ["R&D <b> {{ x }} {% if %} 100% a > b", "&amp; &lt; \\n"])
def test_markup_characters_printed_as_typed(render, text):
    doc = render(_with(trich_yeu=text, noi_dung=text + "\n", kinh_gui=text))
    doc.find(f"V/v {text}")
    doc.find(f"Kính gửi: {text}.")
    doc.find(f"{text}./.")


def test_samples_reproduce_seeds(tmp_path):
    """Seeds 000 and 001, with the seeds' own mistakes corrected."""
    out = tmp_path / "000.docx"
    api.render_file(SAMPLES / "000-cong-van-ha-tinh.yaml", out)
    d = DocView(out)
    assert doc_texts_start(d) == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                  "Độc lập - Tự do - Hạnh phúc", "Số: 8287/UBND-KT1",
                                  "V/v tăng cường hoạt động khuyến công, phát triển công nghiệp nông thôn trên địa bàn tỉnh",
                                  "Hà Tĩnh, ngày 13 tháng 12 năm 2019"]
    assert not any("2021-2020" in t for t in d.texts())
    assert any("giai đoạn 2021-2025 gửi Sở Công Thương" in t for t in d.texts())
    sig = d.tables()[-1]
    assert d.cell_texts(sig, 0, 1) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Dương Tất Thắng"]
    assert d.cell_texts(sig, 0, 0)[-1] == "- Lưu: VT, KT1."
    assert d.texts()[d.texts().index("Nơi nhận:") - 1].endswith("biết để thực hiện./.")

    out = tmp_path / "001.docx"
    api.render_file(SAMPLES / "001-cong-van-quang-ngai.yaml", out)
    d = DocView(out)
    d.find("Số: 953/UBND-CNXD")  # the seed's "953UBND-CNXD" lacked the slash
    d.find("Quảng Ngãi, ngày 10 tháng 3 năm 2021")
    texts = d.texts()
    i = texts.index("Kính gửi:")
    assert texts[i + 1: i + 4] == ["- Các Sở: Công Thương, Tài chính, Nội vụ;",
                                   "- Ban QL Khu kinh tế Dung Quất và các KCN Quảng Ngãi;",
                                   "- UBND các huyện, thị xã, thành phố."]
    assert [t[:2] for t in texts if t[:2] in ("a)", "b)", "c)", "d)", "e)", "g)", "h)", "i)")][:8] == [
        "a)", "b)", "c)", "d)", "e)", "g)", "h)", "i)"]
    sig = d.tables()[-1]
    assert d.cell_texts(sig, 0, 1) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Phước Hiền"]  # no TM. line


def doc_texts_start(d: DocView) -> list[str]:
    header = d.tables()[0]
    return [*d.cell_texts(header, 0, 0), *d.cell_texts(header, 0, 1), *d.cell_texts(header, 1, 0),
            *d.cell_texts(header, 1, 1)]
