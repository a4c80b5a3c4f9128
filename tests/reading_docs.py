"""Documents for tests/test_check_reading.py, written with python-docx (not drafter's
renderer): plain stacked layouts, tab-stop headers, text-box headers, copies (SAO Y),
a standalone appendix and a Party document.

A document is a list of blocks:

* ``("p", text, style, align)`` — one paragraph; "\\t" in the text is a tab, "\\n" a line
  break; style is a dict of run properties ``{"b", "i", "sz"}``; align one of
  "left", "center", "right", "both" (body: justified with a 1.27 cm first-line indent);
* ``("table", [[cell lines…], …])`` — one borderless row; each cell a list of
  ``(text, style, align)``;
* ``("textbox", [(text, style, align), …], kind)`` — a paragraph anchoring a text box
  (kind "dml": w:drawing inside mc:AlternateContent with a VML fallback; "vml": w:pict);
* ``("rule",)`` — an empty paragraph drawing a full-width line (its bottom border).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

QH = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TN = "Độc lập - Tự do - Hạnh phúc"

B12 = {"b": True, "sz": 12}
B13 = {"b": True, "sz": 13}
B14 = {"b": True, "sz": 14}
P12 = {"sz": 12}
P13 = {"sz": 13}
P14 = {"sz": 14}
I13 = {"i": True, "sz": 13}
I14 = {"i": True, "sz": 14}
NN_LABEL = {"b": True, "i": True, "sz": 12}
NN_ITEM = {"sz": 11}

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), "Times New Roman")


def _fill(p, text: str, style: dict, align: str | None, tabs=(125,)) -> None:
    if align:
        p.alignment = _ALIGN[align]
    if align == "both":
        p.paragraph_format.first_line_indent = Mm(12.7)
        p.paragraph_format.space_after = Pt(6)
    if "\t" in (text if isinstance(text, str) else "".join(t for t, _ in text)):
        for pos in tabs:
            p.paragraph_format.tab_stops.add_tab_stop(Mm(pos))
    chunks = text if isinstance(text, list) else [(text, style)]
    for text, style in chunks:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            r = p.add_run(line)
            r.bold = style.get("b", False)
            r.italic = style.get("i", False)
            r.font.size = Pt(style.get("sz", 14))
            if i < len(lines) - 1:
                r.add_break()


def _box_xml(paras: list[tuple[str, dict, str]]) -> str:
    out = []
    for text, style, align in paras:
        jc = {"center": "center", "right": "right", "left": "left", "both": "both"}[align or "left"]
        rpr = (("<w:b/>" if style.get("b") else "") + ("<w:i/>" if style.get("i") else "")
               + f'<w:sz w:val="{int(style.get("sz", 14) * 2)}"/>')
        out.append(f'<w:p><w:pPr><w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr>{rpr}</w:rPr>'
                   f"<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    return "".join(out)


def _textbox(doc, paras, kind: str) -> None:
    p = doc.add_paragraph()
    content = f"<w:txbxContent>{_box_xml(paras)}</w:txbxContent>"
    if kind == "vml":
        xml = (f'<w:r {W_NS} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
               f'<v:shape style="width:200pt;height:80pt"><v:textbox>{content}</v:textbox></v:shape>'
               "</w:pict></w:r>")
    else:
        xml = (f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
               ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
               ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
               ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
               ' xmlns:v="urn:schemas-microsoft-com:vml">'
               '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="tb"/>'
               '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
               f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
               "</wp:anchor></w:drawing></mc:Choice>"
               f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
               "</mc:AlternateContent></w:r>")
    p._p.append(parse_xml(xml))


def make(blocks: list) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    _fonts(normal.element.get_or_add_rPr())
    sec.different_first_page_header_footer = True
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    sec.header.paragraphs[0]._p.append(fld)
    sec.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    first = doc.paragraphs[0] if doc.paragraphs else None
    for block in blocks:
        kind = block[0]
        if kind == "p":
            _, text, style, align = block
            _fill(doc.add_paragraph(), text, style, align)
        elif kind == "table":
            cells = block[1]
            t = doc.add_table(rows=1, cols=len(cells))
            for cell, lines in zip(t.rows[0].cells, cells):
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                for text, style, align in lines:
                    _fill(cell.add_paragraph(), text, style, align)
        elif kind == "textbox":
            _textbox(doc, block[1], block[2])
        elif kind == "rule":  # a full-width line: an empty paragraph's bottom border (a copy's)
            p = doc.add_paragraph()
            bdr = parse_xml('<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                            '<w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')
            p._p.get_or_add_pPr().append(bdr)
        else:
            raise ValueError(kind)
    if first is not None:
        first._p.getparent().remove(first._p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------ pieces

ISSUER = [("ỦY BAN NHÂN DÂN", B12, "center"), ("TỈNH HÀ TĨNH", B12, "center")]
NATIONAL = [(QH, B12, "center"), (TN, B13, "center")]
SO_CV = ("Số: 125/UBND-KT", P13, "center")
VV = ("V/v tăng cường công tác khuyến công", P12, "center")
DATE = ("Hà Tĩnh, ngày 05 tháng 01 năm 2024", I13, "center")
BODY = [("p", "Thực hiện chương trình khuyến công của tỉnh, Ủy ban nhân dân tỉnh yêu cầu:", P14, "both"),
        ("p", "1. Sở Công Thương chủ trì tổ chức thực hiện./.", P14, "both")]
KINH_GUI = [("p", "Kính gửi:", P14, "center"), ("p", "- Sở Công Thương;", P14, "left"),
            ("p", "- Sở Tài chính.", P14, "left")]
NOI_NHAN = [("Nơi nhận:", NN_LABEL, "left"), ("- Như trên;", NN_ITEM, "left"),
            ("- Lưu: VT, KT.", NN_ITEM, "left")]


def sign_table(authority: list[str], signer: str = "Dương Tất Thắng",
               noi_nhan=NOI_NHAN) -> list:
    right = [(a, B14, "center") for a in authority] + [("", P14, "center")] * 3 + [(signer, B14, "center")]
    return [("table", [list(noi_nhan), right])]


def header_table(so=SO_CV, extra_left=(VV,)) -> list:
    return [("table", [ISSUER + [so, *extra_left], NATIONAL + [DATE]])]


def cong_van(authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), header=None) -> list:
    return (header if header is not None else header_table()) + KINH_GUI + BODY + sign_table(list(authority))


def header_tabs(vv: str = "V/v tăng cường công tác khuyến công") -> list:
    """Agency on the left, quốc hiệu on the right, in the same paragraphs, split by tabs."""
    return [("p", [("ỦY BAN NHÂN DÂN\t", B12), (QH, B12)], None, None),
            ("p", [("TỈNH HÀ TĨNH\t", B12), (TN, B13)], None, None),
            ("p", [("Số: 125/UBND-KT\t", P13), ("Hà Tĩnh, ngày 05 tháng 01 năm 2024", I13)], None, None),
            ("p", vv, P12, None)]


def header_textboxes(kind: str = "dml") -> list:
    return [("textbox", ISSUER + [SO_CV, VV], kind),
            ("textbox", NATIONAL + [DATE], kind)]


def stacked_signature(authority: list[str], signer: str = "Dương Tất Thắng") -> list:
    """Signature as right-aligned paragraphs, Nơi nhận below it (no table, no tabs)."""
    out = [("p", a, B14, "right") for a in authority]
    out += [("p", "", P14, "right")] * 3 + [("p", signer, B14, "right")]
    out += [("p", t, st, al) for t, st, al in NOI_NHAN]
    return out


def copy_block(form: str = "SAO Y", so: str = "Số: 05/SY-UBND") -> list:
    """The copy's own block at the end (Nghị định 30, Phụ lục I, phần II): no quốc hiệu."""
    left = [("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", B12, "center"), (form, B14, "center"),
            (so, P13, "center")]
    right = [("Hà Tĩnh, ngày 10 tháng 01 năm 2024", I13, "center")]
    return [("rule",), ("table", [left, right])] + sign_table(
        ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"], "Nguyễn Văn Bình",
        [("Nơi nhận:", NN_LABEL, "left"), ("- Sở Tài chính;", NN_ITEM, "left"),
         ("- Lưu: VT.", NN_ITEM, "left")])


def appendix() -> list:
    return [("p", "Phụ lục", B14, "center"),
            ("p", "DANH SÁCH CÁC ĐƠN VỊ ĐƯỢC HỖ TRỢ", B14, "center"),
            ("p", "(Kèm theo Quyết định số 12/QĐ-UBND ngày 05 tháng 01 năm 2024 "
                  "của Ủy ban nhân dân tỉnh Hà Tĩnh)", I14, "center"),
            ("p", "1. Công ty TNHH Minh Phát: 120.000.000 đồng.", P14, "both"),
            ("p", "2. Hợp tác xã Thành Công: 80.000.000 đồng.", P14, "both")]


def party() -> list:
    """A Party document (Hướng dẫn 36-HD/VPTW): ĐẢNG CỘNG SẢN VIỆT NAM instead of the quốc hiệu."""
    left = [("ĐẢNG BỘ TỈNH HÀ TĨNH", P14, "center"), ("HUYỆN ỦY CAN LỘC", B14, "center"),
            ("*", P14, "center"), ("Số 25-TB/HU", P14, "center")]
    right = [("ĐẢNG CỘNG SẢN VIỆT NAM", B14, "center"),
             ("Can Lộc, ngày 05 tháng 01 năm 2024", I14, "right")]
    return ([("table", [left, right])]
            + [("p", "THÔNG BÁO", B14, "center"),
               ("p", "kết luận của Ban Thường vụ Huyện ủy", B14, "center"),
               ("p", "Ban Thường vụ Huyện ủy thông báo kết luận như sau:", P14, "both"),
               ("p", "1. Các chi bộ triển khai thực hiện nghiêm túc.", P14, "both")]
            + sign_table(["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"], "Trần Văn Hùng",
                         [("Nơi nhận:", {"sz": 14, "i": False, "b": False}, "left"),
                          ("- Các chi bộ,", NN_ITEM, "left"), ("- Lưu Văn phòng Huyện ủy.", NN_ITEM, "left")]))


def quyet_dinh(*, vv: bool = False, kinh_gui: bool = False, second_type: str | None = None) -> list:
    left = ISSUER + [("Số: 12/QĐ-UBND", P13, "center")] + ([VV] if vv else [])
    out = [("table", [left, NATIONAL + [DATE]])]
    out += [("p", "QUYẾT ĐỊNH", B14, "center")]
    if second_type:
        out += [("p", second_type, B14, "center")]
    out += [("p", "Về việc phân bổ kinh phí khuyến công năm 2024", B14, "center")]
    if kinh_gui:
        out += [("p", "Kính gửi: Sở Tài chính.", P14, "center")]
    out += [("p", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", B14, "center"),
            ("p", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", I14, "both"),
            ("p", "Theo đề nghị của Giám đốc Sở Công Thương.", I14, "both"),
            ("p", "QUYẾT ĐỊNH:", B14, "center"),
            ("p", [("Điều 1. ", B14), ("Phân bổ kinh phí khuyến công năm 2024.", P14)], None, "both"),
            ("p", [("Điều 2. ", B14), ("Quyết định này có hiệu lực từ ngày ký./.", P14)], None, "both")]
    out += sign_table(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Dương Tất Thắng",
                      [("Nơi nhận:", NN_LABEL, "left"), ("- Như Điều 2;", NN_ITEM, "left"),
                       ("- Lưu: VT, KT.", NN_ITEM, "left")])
    return out
