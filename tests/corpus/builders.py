"""Independent renderings of real documents with python-docx (issue 17, point 5).

Nothing here imports drafter: the layout is written from the decree's numbers
(Nghị định 30/2020/NĐ-CP, Phụ lục I, as ../shared/FORMAT.md fixes them) the way an
office clerk lays a document out in Word — a header table, or tab stops, or text
boxes; rules drawn as line shapes or as an underline; page numbers as a PAGE field
in the header from page 2 on. The texts are the seeds' (samples/*.yaml, the seeds'
own documents re-typed) and, for the types the seeds lack, texts written from the
same matters (the Hưng Yên programme's Tờ trình 1318/TTr-SCT, its report, …).

A document is a :class:`Spec` (plain data); :func:`render` turns it into .docx bytes.
:data:`CORRECT` maps a document's name to a function returning its Spec, so a
departure (tests/corpus/departures.py) can change one thing in the Spec, or one thing
in the rendered Word document, and render again.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

# Page (FORMAT.md, Page): A4, margins top/bottom 20, left 30, right 15 mm.
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_W_MM = PAGE["width"] - PAGE["left"] - PAGE["right"]  # 165
LEFT_COL_MM = 68
RIGHT_COL_MM = TEXT_W_MM - LEFT_COL_MM  # 97: the quốc hiệu stays on one line


# ------------------------------------------------------------------------ the data of a document


@dataclass
class Para:
    """One paragraph of a body. kind: body (justified, indented), dieu ("Điều N." bold
    then text), heading (I., II. bold, justified, indented), part (Phần / Chương:
    centred bold), part_title (centred bold CAPS), center_bold (QUYẾT ĐỊNH:)."""

    kind: str
    text: str
    label: str = ""  # the bold lead of a dieu paragraph ("Điều 1.")


@dataclass
class Sig:
    authority: list[str]  # CAPS lines: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    name: str


@dataclass
class Table:
    """A plain data table (appendices): header rows, data rows, widths in mm."""

    header: list[list[str]]
    rows: list[list[str]]
    widths: list[int]


@dataclass
class Spec:
    name: str
    kind: str  # cong-van, quyet-dinh, chi-thi, ke-hoach, bao-cao, to-trinh, thong-bao, giay-moi, quy-che, copy, appendix, party
    issuer: list[str]  # [cơ quan chủ quản (not bold), tên cơ quan (bold)] or [tên cơ quan lines (bold)]
    parent_lines: int  # how many of the issuer lines are the cơ quan chủ quản (upright, not bold)
    so: str
    date: str
    ten_loai: str | None = None
    trich_yeu: list[str] = field(default_factory=list)  # of a named type (bold, centred)
    vv: list[str] = field(default_factory=list)  # of a công văn (12 pt, left column)
    kem_theo: str | None = None  # "(Ban hành kèm theo …)" line of a Mẫu 1.3 document
    kinh_gui: list[str] = field(default_factory=list)
    authority_line: str | None = None  # quyết định: "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN"
    can_cu: list[str] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    noi_nhan: list[str] = field(default_factory=list)  # the items, the last "- Lưu: VT, …."
    sig: Sig | None = None
    layout: str = "table"  # table | tabs | textbox (VML) | wps (DrawingML text box, VML fallback)
    page_numbers: bool = True
    marks: list[str] = field(default_factory=list)  # KHẨN, … under the số / V/v, framed
    scope: str | None = None  # ô 11: "LƯU HÀNH NỘI BỘ" (above the Nơi nhận block)
    author: str = ""
    appendix: Table | None = None  # a Phụ lục section after the signature (landscape)
    appendix_head: list[str] = field(default_factory=list)  # Phụ lục, title, (Kèm theo …)
    rule_issuer_pt: int = 0  # length of the rule under the issuer (0: 1/3–1/2 of the name)
    rule_tieu_ngu_pt: int = 0  # length of the rule under the tiêu ngữ (0: the text's)
    rule_style: str = "shape"  # shape (a drawn line) | underline (tiêu ngữ underlined)
    party: bool = False  # a Party document (Hướng dẫn 36-HD/VPTW)
    copy_of: "Spec | None" = None  # a copy (SAO Y): the copied document, then the copy block
    copy_block: dict = field(default_factory=dict)


# ------------------------------------------------------------------------ Word helpers

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def set_fonts(rpr_owner, name: str = FONT) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


def run(p, text: str, size: float = 14, b: bool = False, i: bool = False, u: bool = False,
        color: str | None = None):
    r = p.add_run(text)
    set_fonts(r._r)
    r.font.size = Pt(size)
    r.font.bold = b
    r.font.italic = i
    if u:
        r.font.underline = True
    if color:
        r.font.color.rgb = RGBColor.from_string(color)
    return r


def fmt(p, align=None, first: float | None = None, before: float = 0, after: float = 0,
        line: float | None = 1.0, left_mm: float | None = None, keep: bool = False):
    pf = p.paragraph_format
    if align is not None:
        pf.alignment = align
    if first is not None:
        pf.first_line_indent = Cm(first)
    if left_mm is not None:
        pf.left_indent = Mm(left_mm)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep:
        pf.keep_with_next = True
    return p


C = WD_ALIGN_PARAGRAPH.CENTER
J = WD_ALIGN_PARAGRAPH.JUSTIFY
L = WD_ALIGN_PARAGRAPH.LEFT
R = WD_ALIGN_PARAGRAPH.RIGHT


def add_p(container, text: str = "", size: float = 14, b: bool = False, i: bool = False,
          align=C, **kw):
    p = container.add_paragraph()
    fmt(p, align=align, **kw)
    if text:
        run(p, text, size, b, i)
    return p


def line_shape(p, length_pt: int, *, width_pt: float = 0.75) -> None:
    """A horizontal line drawn as a shape (VML), centred in the paragraph's column —
    how offices usually draw the rules under the agency name and the tiêu ngữ."""
    xml = (
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
        f'xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>'
        f'<v:line id="corpus_rule" style="position:absolute;z-index:1;'
        f'mso-position-horizontal:center;mso-position-horizontal-relative:text;'
        f'mso-position-vertical-relative:text" from="0,0" to="{length_pt}pt,0" '
        f'strokeweight="{width_pt}pt"/></w:pict></w:r>'
    )
    p._p.append(parse_xml(xml))


def field_run(p, instr: str, size: float = 14) -> None:
    """A complex field (begin / instrText / separate / result / end), as Word writes it."""
    def r_with(child_xml: str):
        r = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" '
                      f'w:cs="{FONT}" w:eastAsia="{FONT}"/><w:sz w:val="{int(size * 2)}"/>'
                      f'<w:szCs w:val="{int(size * 2)}"/></w:rPr>{child_xml}</w:r>')
        p._p.append(r)
    r_with('<w:fldChar w:fldCharType="begin"/>')
    r_with(f'<w:instrText xml:space="preserve"> {instr} </w:instrText>')
    r_with('<w:fldChar w:fldCharType="separate"/>')
    r_with('<w:t>2</w:t>')
    r_with('<w:fldChar w:fldCharType="end"/>')


def set_page(section, *, landscape: bool = False) -> None:
    w, h = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    section.top_margin = Mm(PAGE["top"])
    section.bottom_margin = Mm(PAGE["bottom"])
    section.left_margin = Mm(PAGE["left"])
    section.right_margin = Mm(PAGE["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def page_numbers(section, *, restart: bool = False) -> None:
    """Arabic page numbers centred in the top margin, 14 pt, none on page 1."""
    section.different_first_page_header_footer = True
    hdr = section.header
    hdr.is_linked_to_previous = False
    p = hdr.paragraphs[0]
    fmt(p, align=C)
    field_run(p, "PAGE", 14)
    section.first_page_header.is_linked_to_previous = False
    if restart:
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), "1")
        section._sectPr.append(pg)


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>")
    tbl_pr.append(borders)


def fixed_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(w * 1440 / 25.4)))


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def frame_border(p) -> None:
    """A single frame round a paragraph (the urgency / secrecy mark)."""
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:pBdr {nsdecls("w")}>' + "".join(
            f'<w:{s} w:val="single" w:sz="6" w:space="1" w:color="000000"/>'
            for s in ("top", "left", "bottom", "right")) + "</w:pBdr>"))


def tabs(p, *stops: tuple[float, object]) -> None:
    for pos_mm, kind in stops:
        p.paragraph_format.tab_stops.add_tab_stop(Mm(pos_mm), kind)


def first_cell_clear(cell):
    """A new cell holds one empty paragraph: use it for the first line."""
    return cell.paragraphs[0]


# ------------------------------------------------------------------------ the header

def issuer_rule_len(spec: Spec) -> int:
    if spec.rule_issuer_pt:
        return spec.rule_issuer_pt
    longest = max(len(s) for s in spec.issuer[spec.parent_lines:])
    return max(40, int(longest * 7.5 * 0.42))  # ≈ 0.4 of the bold name's width (12 pt ≈ 7.5 pt/char)


def tieu_ngu_rule_len(spec: Spec) -> int:
    return spec.rule_tieu_ngu_pt or 172  # the tiêu ngữ at 13 pt bold is about 172 pt wide


def _issuer_block(spec: Spec, add) -> None:
    """Issuer lines (12 pt CAPS; the parent upright, the name bold), then the rule."""
    for k, line in enumerate(spec.issuer):
        add(line, 12, k >= spec.parent_lines)
    if spec.party:
        add("*", 12, False)
        return
    p = add("", 12, False)
    line_shape(p, issuer_rule_len(spec))


def _national_block(spec: Spec, add) -> None:
    if spec.party:
        add("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True)
        p = add("", 13, False)
        line_shape(p, 200)
        return
    add(QUOC_HIEU, 12, True)
    if spec.rule_style == "underline":
        p = add("", 13, False)
        run(p, TIEU_NGU, 13, b=True, u=True)
    else:
        add(TIEU_NGU, 13, True)
        p = add("", 13, False)
        line_shape(p, tieu_ngu_rule_len(spec))


def header_table(doc, spec: Spec) -> None:
    t = doc.add_table(rows=2, cols=2)
    no_borders(t)
    fixed_widths(t, [LEFT_COL_MM, RIGHT_COL_MM])
    lc, rc = t.cell(0, 0), t.cell(0, 1)

    def adder(cell):
        state = {"first": True}

        def add(text, size, bold, italic=False, **kw):
            p = first_cell_clear(cell) if state["first"] else cell.add_paragraph()
            state["first"] = False
            fmt(p, align=C, **kw)
            if text:
                run(p, text, size, bold, italic)
            return p
        return add

    _issuer_block(spec, adder(lc))
    _national_block(spec, adder(rc))
    sc, dc = t.cell(1, 0), t.cell(1, 1)
    add_l, add_r = adder(sc), adder(dc)
    add_l(spec.so, 13, False)
    for k, line in enumerate(spec.vv):
        add_l(line, 12, False, before=6 if k == 0 else 0)
    for m in spec.marks:
        p = add_l(m, 13, True, before=6)
        frame_border(p)
    add_r(spec.date, 13, False, True)


def header_tabs(doc, spec: Spec) -> None:
    """The header typed with centre tab stops: ``⇥ỦY BAN NHÂN DÂN⇥CỘNG HÒA …``."""
    left_c, right_c = LEFT_COL_MM / 2, LEFT_COL_MM + RIGHT_COL_MM / 2

    def line(left: tuple | None, right: tuple | None, **kw):
        p = doc.add_paragraph()
        fmt(p, align=L, **kw)
        tabs(p, (left_c, WD_TAB_ALIGNMENT.CENTER), (right_c, WD_TAB_ALIGNMENT.CENTER))
        if left:
            run(p, "\t", left[1])
            run(p, left[0], left[1], b=left[2], i=left[3] if len(left) > 3 else False)
        if right:
            run(p, "\t" if left else "\t\t", right[1])
            run(p, right[0], right[1], b=right[2], i=right[3] if len(right) > 3 else False,
                u=right[4] if len(right) > 4 else False)
        return p

    lefts = [(s, 12, k >= spec.parent_lines) for k, s in enumerate(spec.issuer)]
    rights = [(QUOC_HIEU, 12, True), (TIEU_NGU, 13, True, False, True)]
    for k in range(max(len(lefts), len(rights))):
        line(lefts[k] if k < len(lefts) else None, rights[k] if k < len(rights) else None)
    p = line(None, None)
    # the rule under the issuer: a shape centred on the left column's tab
    line_shape(p, issuer_rule_len(spec))
    p.paragraph_format.alignment = L
    p.paragraph_format.right_indent = Mm(RIGHT_COL_MM)
    p.paragraph_format.alignment = C
    line((spec.so, 13, False), (spec.date, 13, False, True), before=6)
    for k, v in enumerate(spec.vv):
        line((v, 12, False), None, before=6 if k == 0 else 0)
    for m in spec.marks:
        p = doc.add_paragraph()
        fmt(p, align=C, before=6)
        p.paragraph_format.right_indent = Mm(RIGHT_COL_MM + 20)
        p.paragraph_format.left_indent = Mm(20)
        run(p, m, 13, b=True)
        frame_border(p)


def header_textboxes(doc, spec: Spec) -> None:
    """The header in two text boxes (VML), side by side, anchored in one paragraph."""
    def box(left_mm: float, width_mm: float, height_mm: float, fill: Callable[[object], None]) -> str:
        inner = Document()
        holder = inner.add_paragraph()._p.getparent()
        for p in list(holder):
            holder.remove(p)

        class Box:  # python-docx "container" of paragraphs built in a scratch document
            def add_paragraph(self):
                return inner.add_paragraph()
        fill(Box())
        paras = "".join(p._p.xml for p in inner.paragraphs)
        paras = re.sub(r"\sxmlns:\w+=\"[^\"]+\"", "", paras)
        pt = 72 / 25.4
        return (f'<v:shape type="#_x0000_t202" style="position:absolute;margin-left:{left_mm * pt:.1f}pt;'
                f'margin-top:0;width:{width_mm * pt:.1f}pt;height:{height_mm * pt:.1f}pt;z-index:1;'
                f'mso-position-horizontal-relative:margin;mso-position-vertical-relative:paragraph" '
                f'stroked="f" filled="f"><v:textbox inset="0,0,0,0"><w:txbxContent>{paras}'
                f'</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/></v:shape>')

    def left(c):
        for k, line in enumerate(spec.issuer):
            add_p(c, line, 12, b=k >= spec.parent_lines)
        p = add_p(c)
        line_shape(p, issuer_rule_len(spec))
        add_p(c, spec.so, 13, before=6)
        for k, v in enumerate(spec.vv):
            add_p(c, v, 12, before=6 if k == 0 else 0)

    def right(c):
        add_p(c, QUOC_HIEU, 12, b=True)
        add_p(c, TIEU_NGU, 13, b=True)
        p = add_p(c)
        line_shape(p, tieu_ngu_rule_len(spec))
        add_p(c, spec.date, 13, i=True, before=6)

    height = 36 + 6 * len(spec.vv)
    anchor = doc.add_paragraph()
    fmt(anchor, align=L, line=None)
    anchor.paragraph_format.line_spacing = Mm(height + 4)  # the boxes' room: the text starts below
    boxes = [(0, LEFT_COL_MM, left), (LEFT_COL_MM, RIGHT_COL_MM, right)]
    for k, (x, w, fill) in enumerate(boxes):
        vml = box(x, w, height, fill)
        if spec.layout == "wps":  # Word 2010+: a DrawingML text box, the VML one as its fallback
            m = re.search(r"<w:txbxContent>(.*)</w:txbxContent>", vml, re.S)
            xml = wps_textbox(m.group(1), x, w, height, 100 + k, vml)
        else:
            xml = (f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
                   f'xmlns:w10="urn:schemas-microsoft-com:office:word"><w:pict>' + vml + "</w:pict></w:r>")
        anchor._p.append(parse_xml(xml))


def wps_textbox(paras: str, x_mm: float, w_mm: float, h_mm: float, ident: int, vml: str) -> str:
    """A run holding mc:AlternateContent: wps text box (Choice), VML (Fallback) — as Word saves."""
    emu = 36000
    ns = (f'{nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word"')
    return (
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{ident}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{int(x_mm * emu)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{int(w_mm * emu)}" cy="{int(h_mm * emu)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapTopAndBottom/><wp:docPr id="{ident}" name="Text Box {ident}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{int(w_mm * emu)}" cy="{int(h_mm * emu)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        f'</a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{paras}'
        f'</w:txbxContent></wps:txbx><wps:bodyPr lIns="0" tIns="0" rIns="0" bIns="0"/></wps:wsp>'
        f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>{vml}'
        f'</w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    run(anchor, "", 14)


# ------------------------------------------------------------------------ the body and the end

BODY_INDENT_CM = 1.27
BODY_AFTER_PT = 6
BODY_LINE = 1.15


def body_para(doc, text: str, *, b: bool = False, i: bool = False, label: str = ""):
    p = doc.add_paragraph()
    fmt(p, align=J, first=BODY_INDENT_CM, after=BODY_AFTER_PT, line=BODY_LINE)
    if label:
        run(p, label, 14, b=True)
        run(p, " " + text, 14, b=b, i=i)
    else:
        run(p, text, 14, b=b, i=i)
    return p


def title_block(doc, spec: Spec) -> None:
    if spec.ten_loai:
        add_p(doc, spec.ten_loai, 14, b=True, before=12)
        for line in spec.trich_yeu:
            add_p(doc, line, 14, b=True)
        if spec.kem_theo:
            add_p(doc, spec.kem_theo, 14, i=True)
        p = add_p(doc, after=6)
        line_shape(p, 90)


def kinh_gui(doc, spec: Spec) -> None:
    if not spec.kinh_gui:
        return
    if len(spec.kinh_gui) == 1:
        add_p(doc, f"Kính gửi: {spec.kinh_gui[0]}.", 14, before=6, after=6)
        return
    add_p(doc, "Kính gửi:", 14, align=L, left_mm=25, before=6)
    for k, item in enumerate(spec.kinh_gui):
        end = "." if k == len(spec.kinh_gui) - 1 else ";"
        add_p(doc, f"- {item}{end}", 14, align=L, left_mm=45, after=6 if end == "." else 0)


def body(doc, spec: Spec) -> None:
    if spec.authority_line:
        add_p(doc, spec.authority_line, 14, b=True, before=6, after=6)
    for line in spec.can_cu:
        body_para(doc, line, i=True)
    for para in spec.body:
        if para.kind == "body":
            body_para(doc, para.text)
        elif para.kind == "dieu":
            body_para(doc, para.text, label=para.label)
        elif para.kind == "heading":
            body_para(doc, para.text, b=True)
        elif para.kind == "part":
            add_p(doc, para.text, 14, b=True, before=6)
        elif para.kind == "part_title":
            add_p(doc, para.text, 14, b=True, after=6)
        elif para.kind == "center_bold":
            add_p(doc, para.text, 14, b=True, before=6, after=6)
        else:
            raise ValueError(para.kind)


def signature_table(doc, spec: Spec) -> None:
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    fixed_widths(t, [75, TEXT_W_MM - 75])
    cant_split(t.rows[0])
    left, right = t.cell(0, 0), t.cell(0, 1)
    if spec.noi_nhan:
        p = first_cell_clear(left)
        fmt(p, align=L, before=6)
        run(p, "Nơi nhận:", 12, b=True, i=True)
        for item in spec.noi_nhan:
            q = left.add_paragraph()
            fmt(q, align=L)
            run(q, item, 11)
    if spec.sig is not None:
        p = first_cell_clear(right)
        for k, a in enumerate(spec.sig.authority):
            q = p if k == 0 else right.add_paragraph()
            fmt(q, align=C, before=6 if k == 0 else 0)
            run(q, a, 14, b=True)
        for _ in range(4):
            fmt(right.add_paragraph(), align=C)
        q = right.add_paragraph()
        fmt(q, align=C)
        run(q, spec.sig.name, 14, b=True)
    if spec.scope:  # ô 11: the circulation mark, CAPS bold, after the signature block
        add_p(doc, spec.scope, 13, b=True, align=L, before=12)


def appendix_section(doc, spec: Spec, *, new_section: bool = True) -> None:
    if spec.appendix is None:
        return
    if new_section:
        from docx.enum.section import WD_SECTION
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        set_page(sec, landscape=True)
        if spec.page_numbers:
            page_numbers(sec, restart=True)
    head = spec.appendix_head
    add_p(doc, head[0], 14, b=True)
    add_p(doc, head[1], 14, b=True)
    if len(head) > 2:
        add_p(doc, head[2], 14, i=True)
    p = add_p(doc, after=6)
    line_shape(p, 90)
    tab = spec.appendix
    add_p(doc, "Đơn vị tính: triệu đồng", 13, i=True, align=R, after=3)
    t = doc.add_table(rows=len(tab.header) + len(tab.rows), cols=len(tab.widths))
    t.style = doc.styles["Table Grid"]
    fixed_widths(t, tab.widths)
    for r, row in enumerate(tab.header + tab.rows):
        for c, text in enumerate(row):
            p = t.cell(r, c).paragraphs[0]
            head_row = r < len(tab.header)
            fmt(p, align=C if head_row or c != 1 else L)
            if head_row:
                p.paragraph_format.alignment = C
            elif c >= 3:
                p.paragraph_format.alignment = R
            run(p, text, 12, b=head_row or row[0] in ("I", "II", "III", "Tổng cộng"))


def new_document(spec: Spec):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    set_page(doc.sections[0])
    cp = doc.core_properties
    # The agency's name, as offices set it (Tệp → Thông tin → Tác giả).
    cp.author = spec.author or " ".join(spec.issuer[spec.parent_lines:]).capitalize()
    cp.last_modified_by = cp.author
    cp.title = (spec.ten_loai or "Công văn").capitalize()
    cp.comments = ""
    return doc


def render_document(spec: Spec):
    """The python-docx Document of a Spec (departures may change it further)."""
    doc = new_document(spec)
    if spec.page_numbers:
        page_numbers(doc.sections[0])
    if spec.kind == "copy":
        return render_copy(doc, spec)
    if spec.kind == "appendix":
        appendix_section(doc, spec, new_section=False)
        return doc
    {"table": header_table, "tabs": header_tabs, "textbox": header_textboxes,
     "wps": header_textboxes}[spec.layout](doc, spec)
    title_block(doc, spec)
    kinh_gui(doc, spec)
    body(doc, spec)
    signature_table(doc, spec)
    appendix_section(doc, spec)
    return doc


def render_copy(doc, spec: Spec):
    """The copied document, then under a full-width line the copy block (Điều 25–27)."""
    orig = spec.copy_of
    assert orig is not None
    header_table(doc, orig)
    title_block(doc, orig)
    kinh_gui(doc, orig)
    body(doc, orig)
    signature_table(doc, orig)
    p = add_p(doc, before=12)
    line_shape(p, int(TEXT_W_MM * 72 / 25.4))
    cb = spec.copy_block
    t = doc.add_table(rows=2, cols=2)
    no_borders(t)
    fixed_widths(t, [LEFT_COL_MM, RIGHT_COL_MM])
    a = first_cell_clear(t.cell(0, 0))
    fmt(a, align=C)
    run(a, cb["agency"][0], 12)
    b = t.cell(0, 0).add_paragraph()
    fmt(b, align=C)
    run(b, cb["agency"][1], 12, b=True)
    q = first_cell_clear(t.cell(0, 1))
    fmt(q, align=C)
    run(q, cb["form"], 14, b=True)
    s = first_cell_clear(t.cell(1, 0))
    fmt(s, align=C)
    run(s, cb["so"], 13)
    d = first_cell_clear(t.cell(1, 1))
    fmt(d, align=C)
    run(d, cb["date"], 13, i=True)
    signature_table(doc, replace(orig, noi_nhan=cb["noi_nhan"], sig=cb["sig"], scope=None))
    return doc


def to_bytes(doc) -> bytes:
    """The .docx bytes, without the page count python-docx's template carries in
    docProps/app.xml (<Pages>1</Pages>, whatever the length): only Word, on saving,
    writes a true one, and a file made by other means has none."""
    import zipfile

    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = re.sub(rb"<Pages>\d+</Pages>", b"", data)
            dst.writestr(item, data)
    return out.getvalue()


def render(spec: Spec) -> bytes:
    return to_bytes(render_document(spec))


# ------------------------------------------------------------------------ texts from the samples


@functools.lru_cache(maxsize=None)
def _sample(name: str) -> dict:
    return YAML(typ="safe", pure=True).load((SAMPLES / name).read_text(encoding="utf-8"))


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


DIEM_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet: no f, j, w, z
_DIEM = re.compile(r"^([a-zđ])\)\s")


def _paras(text: str) -> list[Para]:
    """The samples' lines as paragraphs, with two defects of the seeds' copied text
    mended so that the document is correct: a khoản whose first điểm was pasted onto
    its line ("2. … công nghiệp a) Tổ chức …", seed 004) is split, and the điểm
    letters follow the Vietnamese alphabet (seeds 001 and 004 skip đ: "d) … e)")."""
    lines: list[str] = []
    for ln in _lines(text):
        m = re.match(r"^(\d+\.\s.+?)\s(a\)\s.+)$", ln)
        lines += [m.group(1), m.group(2)] if m else [ln]
    out, k = [], 0
    for ln in lines:
        m = _DIEM.match(ln)
        if m:
            ln = DIEM_LETTERS[k] + ln[1:]
            k += 1
        elif re.match(r"^(\d+\.|[IVX]+\.)\s", ln) or not ln.startswith(("-", "+")):
            k = 0
        kind = "heading" if re.match(r"^[IVX]+\.\s", ln) else "body"
        out.append(Para(kind, ln))
    return out


def _ending(paras: list[Para]) -> list[Para]:
    """The body ends with "./." (FORMAT.md, Quyết định layout)."""
    last = paras[-1]
    text = last.text.rstrip()
    if not text.endswith("./."):
        text = text.rstrip(".") + "./."
    return paras[:-1] + [replace(last, text=text)]


def _noi_nhan(items: list[str], luu: list[str]) -> list[str]:
    return [f"- {it};" for it in items] + [f"- Lưu: {', '.join(luu)}."]


def _sig(ky: dict) -> Sig:
    lines = []
    for key, prefix in (("tm", "TM."), ("tl", "TL."), ("tuq", "TUQ."), ("kt", "KT."), ("q", "Q.")):
        if ky.get(key):
            lines.append(f"{prefix} {ky[key]}")
    chuc = ky.get("chuc_vu")
    lines += chuc if isinstance(chuc, list) else ([chuc] if chuc else [])
    return Sig(lines, ky["ho_ten"])


def cv_ha_tinh() -> Spec:
    """Seed 000: Công văn 8287/UBND-KT1, UBND tỉnh Hà Tĩnh (table header, KT. signature)."""
    d = _sample("000-cong-van-ha-tinh.yaml")
    return Spec(
        name="cv-ha-tinh", kind="cong-van", issuer=["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"], parent_lines=0,
        so="Số: 8287/UBND-KT1", date="Hà Tĩnh, ngày 13 tháng 12 năm 2019",
        vv=["V/v tăng cường hoạt động khuyến công,", "phát triển công nghiệp nông thôn",
            "trên địa bàn tỉnh"],
        kinh_gui=list(d["kinh_gui"]), body=_ending(_paras(d["noi_dung"])),
        noi_nhan=_noi_nhan(d["noi_nhan"], d["luu"]), sig=_sig(d["ky"]))


def cv_quang_ngai(layout: str = "table") -> Spec:
    """Seed 001: Công văn 953/UBND-CNXD of the chair of UBND tỉnh Quảng Ngãi."""
    d = _sample("001-cong-van-quang-ngai.yaml")
    return Spec(
        name="cv-quang-ngai" + ("" if layout == "table" else f"-{layout}"), kind="cong-van",
        issuer=["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"], parent_lines=0,
        so="Số: 953/UBND-CNXD", date="Quảng Ngãi, ngày 10 tháng 3 năm 2021",
        vv=["V/v đẩy mạnh các hoạt động khuyến công,", "tạo động lực cho phát triển công nghiệp",
            "nông thôn giai đoạn 2021-2025 trên địa bàn tỉnh"],
        kinh_gui=list(d["kinh_gui"]), body=_ending(_paras(d["noi_dung"])),
        noi_nhan=_noi_nhan(d["noi_nhan"], d["luu"]), sig=_sig(d["ky"]), layout=layout,
        rule_style="underline" if layout == "tabs" else "shape")


def cv_quang_ngai_chair() -> Spec:
    """Seed 001 as the original was signed: the chair on his own authority, no prefix."""
    s = cv_quang_ngai()
    return replace(s, name="cv-quang-ngai-chu-tich", sig=Sig(["CHỦ TỊCH"], "Đặng Văn Minh"))


def ct_vinh_long(layout: str = "table") -> Spec:
    """Seed 003: Chỉ thị 14/CT-UBND, UBND tỉnh Vĩnh Long."""
    d = _sample("003-chi-thi-vinh-long.yaml")
    return Spec(
        name="ct-vinh-long" + ("" if layout == "table" else f"-{layout}"), kind="chi-thi",
        issuer=["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"], parent_lines=0,
        so="Số: 14/CT-UBND", date="Vĩnh Long, ngày 06 tháng 11 năm 2023",
        ten_loai="CHỈ THỊ", trich_yeu=["Về việc tăng cường công tác khuyến công", "trên địa bàn tỉnh Vĩnh Long"],
        body=_ending(_paras(d["noi_dung"])), noi_nhan=_noi_nhan(d["noi_nhan"], ["VT", "KTN"]),
        sig=Sig(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Quỳnh Thiện"), layout=layout)


_AMOUNTS = {
    "phu_luc[0].tong.kinh_phi.voi_dvt": "8.374 triệu đồng",
    "phu_luc[0].tong.kinh_phi.chu": "Tám tỷ ba trăm bảy mươi tư triệu đồng",
    "phu_luc[0].tong.nhom.nam_2018.kinh_phi.voi_dvt": "1.514 triệu đồng",
    "phu_luc[0].tong.nhom.nam_2019.kinh_phi.voi_dvt": "3.214 triệu đồng",
    "phu_luc[0].tong.nhom.nam_2020.kinh_phi.voi_dvt": "3.646 triệu đồng",
}


def _plain(text: str) -> str:
    text = re.sub(r"\{\{\s*([^}]+?)\s*\}\}", lambda m: _AMOUNTS.get(m.group(1), m.group(1)), text)
    return text.replace("**", "").replace("*(", "(").replace(")*", ")")


APPENDIX_TABLE = Table(
    header=[["STT", "Nội dung", "ĐVT", "Năm 2018", "Năm 2019", "Năm 2020", "Tổng cộng"]],
    rows=[
        ["I", "Tổ chức đào tạo nghề, truyền nghề ngắn hạn", "", "126", "126", "252", "504"],
        ["1", "Đào tạo nghề, truyền nghề tại chỗ gắn với cơ sở CNNT", "Người", "126", "126", "252", "504"],
        ["II", "Hỗ trợ nâng cao năng lực quản lý, tư vấn, tập huấn", "", "100", "100", "100", "300"],
        ["1", "Tổ chức hội nghị, hội thảo, tập huấn, bồi dưỡng kiến thức", "Lớp", "50", "50", "50", "150"],
        ["2", "Hỗ trợ thành lập doanh nghiệp CNNT", "DN", "50", "50", "50", "150"],
        ["III", "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật", "", "1.288", "2.988", "3.294", "7.570"],
        ["1", "Mô hình trình diễn kỹ thuật, ứng dụng máy móc tiên tiến", "Mô hình", "1.288", "2.988", "3.294", "7.570"],
        ["Tổng cộng", "", "", "1.514", "3.214", "3.646", "8.374"],
    ],
    widths=[15, 110, 22, 28, 28, 28, 30])

QD_KEM_THEO = "(Kèm theo Quyết định số 3355/QĐ-UBND ngày 27 tháng 12 năm 2017 của UBND tỉnh Hưng Yên)"


def qd_hung_yen() -> Spec:
    """Seed 004: Quyết định 3355/QĐ-UBND (căn cứ, Điều), with its appendix table."""
    d = _sample("004-quyet-dinh-hung-yen.yaml")
    can_cu = [c + ";" for c in d["can_cu"]] + [d["xet_de_nghi"] + "."]
    dieu = [Para("dieu", t, label=f"Điều {k}.") for k, t in enumerate(d["dieu"], 1)]
    return Spec(
        name="qd-hung-yen", kind="quyet-dinh", issuer=["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"], parent_lines=0,
        so="Số: 3355/QĐ-UBND", date="Hưng Yên, ngày 27 tháng 12 năm 2017", ten_loai="QUYẾT ĐỊNH",
        trich_yeu=["Phê duyệt Chương trình khuyến công địa phương", "tỉnh Hưng Yên đến năm 2020"],
        authority_line="ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN", can_cu=can_cu,
        body=[Para("center_bold", "QUYẾT ĐỊNH:")] + _ending(dieu),
        noi_nhan=_noi_nhan(d["noi_nhan"], ["VT", "KT2"]), sig=_sig(d["ky"]),
        appendix=APPENDIX_TABLE,
        appendix_head=["Phụ lục", "DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHUYẾN CÔNG ĐỊA PHƯƠNG ĐẾN NĂM 2020", QD_KEM_THEO])


def ch_trinh_hung_yen() -> Spec:
    """Seed 004's Chương trình issued with the quyết định (Mẫu 1.3), in its own file."""
    d = _sample("004-quyet-dinh-hung-yen.yaml")
    text = _plain(d["van_ban_kem_theo"][0]["noi_dung"])
    return Spec(
        name="chtr-hung-yen", kind="chuong-trinh", issuer=["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"], parent_lines=0,
        so="", date="", ten_loai="CHƯƠNG TRÌNH",
        trich_yeu=["Khuyến công địa phương tỉnh Hưng Yên đến năm 2020"],
        kem_theo="(Ban hành kèm theo Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh)",
        body=_ending(_paras(text)), sig=Sig(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                                             "Nguyễn Minh Quang"))


def quy_che_hung_yen() -> Spec:
    """A quy chế issued with a quyết định (Mẫu 1.3): Chương, Điều, khoản, điểm."""
    body = [
        Para("part", "Chương I"), Para("part_title", "QUY ĐỊNH CHUNG"),
        Para("dieu", "Phạm vi điều chỉnh và đối tượng áp dụng", label="Điều 1."),
        Para("body", "1. Quy chế này quy định việc lập, quản lý, sử dụng và quyết toán kinh phí khuyến công địa phương trên địa bàn tỉnh Hưng Yên."),
        Para("body", "2. Quy chế này áp dụng đối với các tổ chức, cá nhân sau:"),
        Para("body", "a) Tổ chức, cá nhân trực tiếp đầu tư, sản xuất công nghiệp - tiểu thủ công nghiệp tại huyện, thị xã, thị trấn, xã và các phường được chuyển đổi từ xã chưa quá 05 năm;"),
        Para("body", "b) Doanh nghiệp nhỏ và vừa, hợp tác xã, tổ hợp tác và hộ kinh doanh;"),
        Para("body", "c) Cơ sở sản xuất công nghiệp áp dụng sản xuất sạch hơn;"),
        Para("body", "d) Tổ chức, cá nhân tham gia công tác quản lý và thực hiện các hoạt động dịch vụ khuyến công;"),
        Para("body", "đ) Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh;"),
        Para("body", "e) Các đơn vị sự nghiệp có chức năng tư vấn, đào tạo;"),
        Para("body", "g) Cơ quan quản lý nhà nước ngành công thương cấp tỉnh, huyện."),
        Para("dieu", "Nguyên tắc sử dụng kinh phí khuyến công", label="Điều 2."),
        Para("body", "Kinh phí khuyến công được sử dụng đúng mục đích, đúng đối tượng, công khai, minh bạch và có hiệu quả."),
        Para("part", "Chương II"), Para("part_title", "LẬP, QUẢN LÝ VÀ SỬ DỤNG KINH PHÍ"),
        Para("dieu", "Lập kế hoạch và dự toán kinh phí", label="Điều 3."),
        Para("body", "1. Hằng năm, Sở Công Thương hướng dẫn các tổ chức, cá nhân xây dựng đề án khuyến công, tổng hợp kế hoạch khuyến công địa phương gửi Sở Tài chính."),
        Para("body", "2. Sở Tài chính thẩm định, trình Ủy ban nhân dân tỉnh bố trí kinh phí trong dự toán ngân sách hằng năm."),
        Para("dieu", "Tổ chức thực hiện", label="Điều 4."),
        Para("body", "Giám đốc Sở Công Thương chủ trì, phối hợp với Giám đốc Sở Tài chính hướng dẫn, kiểm tra việc thực hiện Quy chế này; trong quá trình thực hiện nếu có vướng mắc, báo cáo Ủy ban nhân dân tỉnh xem xét, sửa đổi, bổ sung cho phù hợp."),
    ]
    return Spec(
        name="qc-hung-yen", kind="quy-che", issuer=["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"], parent_lines=0,
        so="", date="", ten_loai="QUY CHẾ",
        trich_yeu=["Quản lý và sử dụng kinh phí khuyến công tỉnh Hưng Yên"],
        kem_theo="(Ban hành kèm theo Quyết định số 19/2014/QĐ-UBND ngày 21/11/2014 của UBND tỉnh)",
        body=_ending(body), sig=Sig(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Doãn Thế Cường"))


def kh_quang_ngai() -> Spec:
    """A kế hoạch with Phần and I., II., 1., a) headings (Sở Công Thương Quảng Ngãi)."""
    body = [
        Para("body", "Thực hiện Công văn số 953/UBND-CNXD ngày 10/3/2021 của Chủ tịch UBND tỉnh về việc đẩy mạnh các hoạt động khuyến công, tạo động lực cho phát triển công nghiệp nông thôn giai đoạn 2021-2025 trên địa bàn tỉnh, Sở Công Thương xây dựng Kế hoạch khuyến công năm 2022 như sau:"),
        Para("part", "Phần I"), Para("part_title", "KẾT QUẢ THỰC HIỆN NĂM 2021"),
        Para("heading", "I. CÔNG TÁC TRIỂN KHAI"),
        Para("body", "1. Tổ chức tuyên truyền, phổ biến Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công đến các cơ sở công nghiệp nông thôn trên địa bàn tỉnh."),
        Para("body", "2. Hướng dẫn Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi xây dựng các đề án khuyến công quốc gia và địa phương."),
        Para("heading", "II. KẾT QUẢ ĐẠT ĐƯỢC"),
        Para("body", "Năm 2021 đã hỗ trợ 12 cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị tiên tiến, tổ chức 03 lớp tập huấn, bồi dưỡng kiến thức khởi sự doanh nghiệp."),
        Para("part", "Phần II"), Para("part_title", "KẾ HOẠCH NĂM 2022"),
        Para("heading", "I. MỤC TIÊU"),
        Para("body", "Huy động các nguồn lực tham gia đầu tư sản xuất công nghiệp, tiểu thủ công nghiệp ở nông thôn, góp phần chuyển dịch cơ cấu kinh tế theo hướng công nghiệp hóa, hiện đại hóa."),
        Para("heading", "II. NỘI DUNG"),
        Para("body", "1. Hỗ trợ ứng dụng máy móc thiết bị tiên tiến"),
        Para("body", "a) Hỗ trợ 10 cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị tiên tiến vào sản xuất;"),
        Para("body", "b) Ưu tiên các cơ sở chế biến nông lâm thủy sản, sản xuất hàng phục vụ tiêu dùng và xuất khẩu."),
        Para("body", "2. Đào tạo nghề, truyền nghề"),
        Para("body", "a) Tổ chức 02 lớp đào tạo nghề cho khoảng 70 lao động;"),
        Para("body", "b) Tổ chức 02 lớp tập huấn nâng cao năng lực quản lý cho các cơ sở."),
        Para("heading", "III. TỔ CHỨC THỰC HIỆN"),
        Para("body", "Giao Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi chủ trì triển khai Kế hoạch này; định kỳ hằng quý báo cáo kết quả thực hiện về Sở Công Thương."),
    ]
    return Spec(
        name="kh-quang-ngai", kind="ke-hoach", issuer=["UBND TỈNH QUẢNG NGÃI", "SỞ CÔNG THƯƠNG"], parent_lines=1,
        so="Số: 215/KH-SCT", date="Quảng Ngãi, ngày 20 tháng 01 năm 2022", ten_loai="KẾ HOẠCH",
        trich_yeu=["Khuyến công năm 2022"], body=_ending(body),
        noi_nhan=["- UBND tỉnh (báo cáo);", "- Cục Công Thương địa phương;", "- UBND các huyện, thị xã, thành phố;",
                  "- Trung tâm KC và XTTM;", "- Lưu: VT, QLCN."],
        sig=Sig(["GIÁM ĐỐC"], "Nguyễn Văn Nhanh"))


def bc_hung_yen() -> Spec:
    """A báo cáo upward (Sở Công Thương Hưng Yên to UBND tỉnh), with Kính gửi."""
    body = [
        Para("body", "Thực hiện Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh phê duyệt Chương trình khuyến công địa phương tỉnh Hưng Yên đến năm 2020, Sở Công Thương báo cáo kết quả thực hiện năm 2018 như sau:"),
        Para("heading", "I. KẾT QUẢ THỰC HIỆN"),
        Para("body", "1. Đã tổ chức đào tạo nghề, truyền nghề cho 105 lao động tại các cơ sở công nghiệp nông thôn với kinh phí 126 triệu đồng."),
        Para("body", "2. Đã tổ chức 01 hội nghị, hội thảo và hỗ trợ thành lập 10 doanh nghiệp công nghiệp nông thôn với kinh phí 100 triệu đồng."),
        Para("heading", "II. KIẾN NGHỊ"),
        Para("body", "Đề nghị UBND tỉnh bố trí đủ kinh phí năm 2019 là 3.214 triệu đồng để thực hiện Chương trình theo kế hoạch đã được phê duyệt."),
        Para("body", "Sở Công Thương kính báo cáo UBND tỉnh xem xét, chỉ đạo./."),
    ]
    return Spec(
        name="bc-hung-yen", kind="bao-cao", issuer=["UBND TỈNH HƯNG YÊN", "SỞ CÔNG THƯƠNG"], parent_lines=1,
        so="Số: 58/BC-SCT", date="Hưng Yên, ngày 05 tháng 02 năm 2019", ten_loai="BÁO CÁO",
        trich_yeu=["Kết quả thực hiện Chương trình khuyến công", "địa phương năm 2018"],
        kinh_gui=["Ủy ban nhân dân tỉnh Hưng Yên"], body=body,
        noi_nhan=["- Như trên;", "- Bộ Công Thương;", "- Lãnh đạo Sở;", "- Lưu: VT, QLCN."],
        sig=Sig(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Trần Văn Hiền"))


def ttr_hung_yen() -> Spec:
    """The tờ trình the quyết định cites: 1318/TTr-SCT of 18/8/2017."""
    body = [
        Para("body", "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công; Quyết định số 1288/QĐ-TTg ngày 01/8/2014 của Thủ tướng Chính phủ phê duyệt chương trình khuyến công quốc gia đến năm 2020, Sở Công Thương đã xây dựng dự thảo Chương trình khuyến công địa phương tỉnh Hưng Yên đến năm 2020."),
        Para("body", "Tổng kinh phí thực hiện Chương trình dự kiến là 8.374 triệu đồng (bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng), trong đó năm 2018 là 1.514 triệu đồng, năm 2019 là 3.214 triệu đồng, năm 2020 là 3.646 triệu đồng."),
        Para("body", "Sở Công Thương kính trình UBND tỉnh xem xét, phê duyệt./."),
    ]
    return Spec(
        name="ttr-hung-yen", kind="to-trinh", issuer=["UBND TỈNH HƯNG YÊN", "SỞ CÔNG THƯƠNG"], parent_lines=1,
        so="Số: 1318/TTr-SCT", date="Hưng Yên, ngày 18 tháng 8 năm 2017", ten_loai="TỜ TRÌNH",
        trich_yeu=["Về việc phê duyệt Chương trình khuyến công", "địa phương tỉnh Hưng Yên đến năm 2020"],
        kinh_gui=["Ủy ban nhân dân tỉnh Hưng Yên"], body=body,
        noi_nhan=["- Như trên;", "- Sở Tài chính;", "- Lưu: VT, QLCN."],
        sig=Sig(["GIÁM ĐỐC"], "Nguyễn Văn Phóng"), page_numbers=False)


def tb_ha_tinh() -> Spec:
    """A thông báo (Văn phòng UBND tỉnh Hà Tĩnh: the conclusion of a meeting)."""
    body = [
        Para("body", "Ngày 05/12/2019, đồng chí Phó Chủ tịch UBND tỉnh chủ trì cuộc họp nghe Sở Công Thương báo cáo tình hình thực hiện hoạt động khuyến công, phát triển công nghiệp nông thôn trên địa bàn tỉnh. Sau khi nghe báo cáo và ý kiến các đại biểu, đồng chí Phó Chủ tịch UBND tỉnh kết luận:"),
        Para("body", "1. Giao Sở Công Thương nghiên cứu xây dựng Chương trình khuyến công giai đoạn 2021-2025, báo cáo UBND tỉnh trong Quý IV năm 2020."),
        Para("body", "2. Giao Sở Tài chính cân đối, tham mưu bố trí kinh phí cho hoạt động khuyến công năm 2020."),
        Para("body", "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./."),
    ]
    return Spec(
        name="tb-ha-tinh", kind="thong-bao", issuer=["UBND TỈNH HÀ TĨNH", "VĂN PHÒNG"], parent_lines=1,
        so="Số: 512/TB-VP", date="Hà Tĩnh, ngày 09 tháng 12 năm 2019", ten_loai="THÔNG BÁO",
        trich_yeu=["Kết luận của Phó Chủ tịch UBND tỉnh Dương Tất Thắng", "tại cuộc họp về hoạt động khuyến công"],
        body=body, noi_nhan=["- Sở Công Thương;", "- Sở Tài chính;", "- Chủ tịch, các PCT UBND tỉnh;",
                             "- Lưu: VT, KT1."], scope="LƯU HÀNH NỘI BỘ",
        sig=Sig(["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"], "Nguyễn Duy Nghị"), page_numbers=False)


def gm_quang_ngai() -> Spec:
    """A giấy mời (Sở Công Thương Quảng Ngãi: a conference on khuyến công), marked KHẨN."""
    body = [
        Para("body", "Sở Công Thương trân trọng kính mời đại diện lãnh đạo UBND các huyện, thị xã, thành phố dự Hội nghị triển khai Công văn số 953/UBND-CNXD ngày 10/3/2021 của Chủ tịch UBND tỉnh về đẩy mạnh các hoạt động khuyến công."),
        Para("body", "Thời gian: 08 giờ 00 phút, ngày 25/3/2021."),
        Para("body", "Địa điểm: Hội trường Sở Công Thương, số 96 đường Nguyễn Chí Thanh, thành phố Quảng Ngãi."),
        Para("body", "Rất mong các đại biểu đến dự đúng thời gian./."),
    ]
    return Spec(
        name="gm-quang-ngai", kind="giay-moi", issuer=["UBND TỈNH QUẢNG NGÃI", "SỞ CÔNG THƯƠNG"], parent_lines=1,
        so="Số: 21/GM-SCT", date="Quảng Ngãi, ngày 15 tháng 3 năm 2021", ten_loai="GIẤY MỜI",
        trich_yeu=["Dự Hội nghị triển khai các hoạt động khuyến công năm 2021"], body=body,
        noi_nhan=["- Như trên;", "- Lãnh đạo Sở;", "- Lưu: VT, QLCN."],
        sig=Sig(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Võ Văn Rân"), page_numbers=False, marks=["KHẨN"])


def copy_sao_y() -> Spec:
    """A paper copy (SAO Y) of the chỉ thị made by the Sở Công Thương (Điều 25–27)."""
    orig = ct_vinh_long()
    return Spec(
        name="sy-vinh-long", kind="copy", issuer=["UBND TỈNH VĨNH LONG", "SỞ CÔNG THƯƠNG"], parent_lines=1,
        so="Số: 05/SY-SCT", date="Vĩnh Long, ngày 10 tháng 11 năm 2023", copy_of=orig,
        copy_block={"agency": ["UBND TỈNH VĨNH LONG", "SỞ CÔNG THƯƠNG"], "form": "SAO Y",
                    "so": "Số: 05/SY-SCT", "date": "Vĩnh Long, ngày 10 tháng 11 năm 2023",
                    "noi_nhan": ["- Trung tâm KC và TVPTCN;", "- Các phòng thuộc Sở;", "- Lưu: VT."],
                    "sig": Sig(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Lê Văn Đông")})


def appendix_file() -> Spec:
    """The quyết định's appendix as a separate file (no header of its own)."""
    qd = qd_hung_yen()
    return replace(qd, name="pl-hung-yen", kind="appendix", page_numbers=False)


def party_ct() -> Spec:
    """A Party document (Hướng dẫn 36-HD/VPTW): ĐẢNG CỘNG SẢN VIỆT NAM, "Số 05-CT/TU", T/M."""
    body = [
        Para("body", "Thời gian qua, các cấp ủy, tổ chức đảng, chính quyền các cấp đã quan tâm lãnh đạo, chỉ đạo phát triển công nghiệp nông thôn, hoạt động khuyến công đạt được nhiều kết quả. Tuy nhiên, nhận thức của một số cấp ủy về vai trò của công tác khuyến công còn hạn chế."),
        Para("body", "Để tăng cường sự lãnh đạo của Đảng đối với công tác khuyến công, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng thực hiện tốt một số nhiệm vụ sau:"),
        Para("body", "1. Quán triệt sâu sắc vị trí, vai trò của công tác khuyến công trong phát triển kinh tế - xã hội của địa phương."),
        Para("body", "2. Đảng đoàn Hội đồng nhân dân tỉnh, Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo bố trí đủ nguồn lực cho hoạt động khuyến công."),
        Para("body", "Chỉ thị này phổ biến đến chi bộ./."),
    ]
    return Spec(
        name="dang-hung-yen", kind="party", issuer=["TỈNH ỦY HƯNG YÊN"], parent_lines=0,
        so="Số 05-CT/TU", date="Hưng Yên, ngày 15 tháng 3 năm 2021", ten_loai="CHỈ THỊ",
        trich_yeu=["về tăng cường sự lãnh đạo của Đảng đối với công tác khuyến công"], body=body,
        noi_nhan=["- Các huyện ủy, thành ủy,", "  đảng ủy trực thuộc Tỉnh ủy,", "- Các đồng chí Tỉnh ủy viên,",
                  "- Lưu Văn phòng Tỉnh ủy."],
        sig=Sig(["T/M BAN THƯỜNG VỤ", "BÍ THƯ"], "Nguyễn Hữu Nghĩa"), party=True, page_numbers=False)


CORRECT: dict[str, Callable[[], Spec]] = {
    "cv-ha-tinh": cv_ha_tinh,
    "cv-quang-ngai": cv_quang_ngai,
    "cv-quang-ngai-chu-tich": cv_quang_ngai_chair,
    "cv-quang-ngai-tabs": lambda: cv_quang_ngai("tabs"),
    "ct-vinh-long": ct_vinh_long,
    "ct-vinh-long-textbox": lambda: ct_vinh_long("textbox"),
    "bc-hung-yen-wps": lambda: replace(bc_hung_yen(), name="bc-hung-yen-wps", layout="wps"),
    "qd-hung-yen": qd_hung_yen,
    "chtr-hung-yen": ch_trinh_hung_yen,
    "qc-hung-yen": quy_che_hung_yen,
    "kh-quang-ngai": kh_quang_ngai,
    "bc-hung-yen": bc_hung_yen,
    "ttr-hung-yen": ttr_hung_yen,
    "tb-ha-tinh": tb_ha_tinh,
    "gm-quang-ngai": gm_quang_ngai,
    "sy-vinh-long": copy_sao_y,
    "pl-hung-yen": appendix_file,
    "dang-hung-yen": party_ct,
}


def spec(name: str) -> Spec:
    return copy.deepcopy(CORRECT[name]())


def build_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in CORRECT:
        path = folder / f"{name}.docx"
        path.write_bytes(render(spec(name)))
        out[name] = path
    return out
