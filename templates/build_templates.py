"""Build the shipped .docx templates, reproducibly (same bytes on every run).

    python templates/build_templates.py [--out DIR]

Each template is a slim WordprocessingML package: Times New Roman in every script
slot, A4 with the format's default margins (drafter/rules/geometry.py), the paragraph styles that carry every size
and weight of Nghị định 30's elements, a page-number header hidden on page 1, and
docxtpl tags each in a run of its own. Office staff may open a template in Word and
restyle it; the tags place values the rules derived, so no restyling can change them.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drafter.oxml import APPENDIX_ALIAS, APPENDIX_TAG, CT, NS, RT, WORD_COMPAT_URI  # noqa: E402
from drafter.oxml import half_points as hp  # noqa: E402
from drafter.oxml import line_value, twips_from_pt  # noqa: E402
from drafter.rules import layout  # noqa: E402
from drafter.render.ooxml import rule_paragraph  # noqa: E402
from drafter.rules import geometry as G  # noqa: E402
from drafter.rules import textwidth  # noqa: E402

ZIP_DATE = (2020, 1, 1, 0, 0, 0)
W_NS, R_NS = NS["w"], NS["r"]


# --- styles -----------------------------------------------------------------------

def _ppr(jc="center", before=0, after=0, line=240, ind_first=None, keep_next=False, keep_lines=False, extra=""):
    """Paragraph properties; before, after and line in twips (w:spacing's units)."""
    ind = f'<w:ind w:firstLine="{ind_first}"/>' if ind_first else ""
    kn = "<w:keepNext/>" if keep_next else ""
    kl = "<w:keepLines/>" if keep_lines else ""
    return (
        f"<w:pPr>{kn}{kl}{extra}<w:spacing w:before=\"{before}\" w:after=\"{after}\" "
        f"w:line=\"{line}\" w:lineRule=\"auto\"/>{ind}<w:jc w:val=\"{jc}\"/></w:pPr>"
    )


def _rpr(size, bold=False, italic=False, caps=False):
    b = "<w:b/><w:bCs/>" if bold else ""
    i = "<w:i/><w:iCs/>" if italic else ""
    return f"<w:rPr>{b}{i}<w:sz w:val=\"{hp(size)}\"/><w:szCs w:val=\"{hp(size)}\"/></w:rPr>"


def pstyle(sid, name, ppr, rpr, based="Normal"):
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/><w:qFormat/>{ppr}{rpr}</w:style>'
    )


L = layout


def spaced(e: G.Element, **kw) -> str:
    """The pPr of an element: its space above and below from the geometry."""
    return _ppr(before=twips_from_pt(e.before), after=twips_from_pt(e.after), **kw)


def sized(e: G.Element, **kw) -> str:
    return _rpr(e.pt, **kw)


BODY_PPR = dict(jc="both", after=L.BODY_AFTER, line=L.BODY_LINE, ind_first=L.BODY_INDENT)
RULE_LINE = line_value(G.RULE_LINE)
_RULE_BORDER = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>'
_FRAME = ('<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/><w:left w:val="single" w:sz="6" w:space="4" w:color="000000"/>'
          '<w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/><w:right w:val="single" w:sz="6" w:space="4" w:color="000000"/></w:pBdr>')

STYLES = [
    # id, name, pPr, rPr  — names shown in Word's style gallery
    ("DrCoQuanChuQuan", "Cơ quan chủ quản", spaced(G.CHU_QUAN), sized(G.CHU_QUAN)),
    ("DrCoQuan", "Tên cơ quan ban hành", spaced(G.ISSUER), sized(G.ISSUER, bold=True)),
    ("DrQuocHieu", "Quốc hiệu", spaced(G.QUOC_HIEU), sized(G.QUOC_HIEU, bold=True)),
    ("DrTieuNgu", "Tiêu ngữ", spaced(G.TIEU_NGU), sized(G.TIEU_NGU, bold=True)),
    ("DrRule", "Đường kẻ", spaced(G.RULE, line=RULE_LINE, extra=_RULE_BORDER), sized(G.RULE)),
    ("DrRuleTitle", "Đường kẻ dưới trích yếu", spaced(G.RULE_TITLE, line=RULE_LINE, extra=_RULE_BORDER), sized(G.RULE_TITLE)),
    ("DrSoKyHieu", "Số, ký hiệu", spaced(G.SO_KY_HIEU), sized(G.SO_KY_HIEU)),
    ("DrDiaDanh", "Địa danh, ngày tháng", spaced(G.DATE_LINE), sized(G.DATE_LINE, italic=True)),
    ("DrVv", "Trích yếu công văn", spaced(G.VV), sized(G.VV)),
    ("DrMark", "Độ khẩn, độ mật", spaced(G.MARK, extra=_FRAME), sized(G.MARK, bold=True)),
    ("DrTenLoai", "Tên loại văn bản", spaced(G.TEN_LOAI, keep_next=True), sized(G.TEN_LOAI, bold=True)),
    ("DrTrichYeu", "Trích yếu", spaced(G.TRICH_YEU, keep_next=True), sized(G.TRICH_YEU, bold=True)),
    ("DrThamQuyen", "Thẩm quyền ban hành", spaced(G.AUTHORITY_LINE, keep_next=True), sized(G.AUTHORITY_LINE, bold=True)),
    ("DrKemTheo", "Ban hành kèm theo", spaced(G.KEM_THEO, keep_next=True), sized(G.KEM_THEO, italic=True)),
    ("DrKinhGui", "Kính gửi", spaced(G.KINH_GUI, jc="left", extra=f'<w:ind w:left="{L.KINH_GUI_LEFT}"/>'), sized(G.KINH_GUI)),
    ("DrKinhGuiItem", "Kính gửi - dòng", _ppr(jc="left", after=0, line=L.BODY_LINE, extra=f'<w:ind w:left="{L.KINH_GUI_ITEM_LEFT}"/>'), sized(G.KINH_GUI)),
    ("DrKinhGuiLast", "Kính gửi - dòng cuối", _ppr(jc="left", after=L.BODY_AFTER, line=L.BODY_LINE, extra=f'<w:ind w:left="{L.KINH_GUI_ITEM_LEFT}"/>'), sized(G.KINH_GUI)),
    ("DrBody", "Nội dung", _ppr(**BODY_PPR), sized(G.BODY)),
    ("DrBodyLast", "Nội dung - đoạn cuối", _ppr(**BODY_PPR, keep_next=True), sized(G.BODY)),
    ("DrSection", "Nội dung - mục", _ppr(**BODY_PPR, keep_next=True), sized(G.SECTION, bold=True)),
    ("DrChapter", "Chương, phần", spaced(G.CHAPTER, keep_next=True), sized(G.CHAPTER, bold=True)),
    ("DrChapterTitle", "Tên chương, phần", spaced(G.CHAPTER_TITLE, keep_next=True), sized(G.CHAPTER_TITLE, bold=True)),
    ("DrArticle", "Nội dung - điều", _ppr(**BODY_PPR, keep_next=True), sized(G.ARTICLE, bold=True)),
    ("DrCanCu", "Căn cứ", _ppr(**BODY_PPR), sized(G.CAN_CU, italic=True)),
    ("DrDecision", "Quyết định:", spaced(G.DECISION_WORD, keep_next=True), sized(G.DECISION_WORD, bold=True)),
    ("DrNoiNhanLabel", "Nơi nhận:", spaced(G.NOI_NHAN, jc="left"), sized(G.NOI_NHAN, bold=True, italic=True)),
    ("DrNoiNhan", "Nơi nhận - dòng", spaced(G.NOI_NHAN_ITEMS, jc="left"), sized(G.NOI_NHAN_ITEMS)),
    ("DrAuthority", "Thẩm quyền ký", spaced(G.AUTHORITY, keep_next=True), sized(G.AUTHORITY, bold=True)),
    ("DrAuthorityFirst", "Thẩm quyền ký - dòng đầu", _ppr(before=twips_from_pt(G.AUTHORITY_FIRST_BEFORE_PT), keep_next=True), sized(G.AUTHORITY, bold=True)),
    ("DrSigner", "Họ tên người ký", _ppr(before=L.SIGNATURE_SPACE), sized(G.SIGNER, bold=True)),
    ("DrPageNumber", "Số trang", spaced(G.PAGE_NUMBER), sized(G.PAGE_NUMBER)),
    ("DrPhuLuc", "Phụ lục", spaced(G.PHU_LUC, keep_next=True), sized(G.PHU_LUC, bold=True)),
    ("DrPhuLucTitle", "Tên phụ lục", spaced(G.PHU_LUC_TITLE, keep_next=True), sized(G.PHU_LUC_TITLE, bold=True)),
    ("DrDonViTinh", "Đơn vị tính", spaced(G.DON_VI_TINH, jc="right", keep_next=True), sized(G.DON_VI_TINH, italic=True)),
    ("DrBangChu", "Bằng chữ", spaced(G.BANG_CHU, jc="left"), sized(G.BANG_CHU, italic=True)),
    ("DrEmpty", "Đoạn trống", spaced(G.EMPTY), sized(G.EMPTY)),
]


def styles_xml() -> str:
    fonts = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/>'
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:color w:val=\"000000\"/>"
        f"<w:sz w:val=\"{hp(G.BODY.pt)}\"/><w:szCs w:val=\"{hp(G.BODY.pt)}\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
        "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    )
    base = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f"<w:rPr>{fonts}</w:rPr></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        f'<w:left w:w="{L.CELL_MARGIN}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        f'<w:right w:w="{L.CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="table" w:customStyle="1" w:styleId="DrTable"><w:name w:val="Bảng số liệu"/><w:basedOn w:val="TableNormal"/>'
        '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>'
    )
    body = "".join(pstyle(*s) for s in STYLES)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">{defaults}{base}{body}</w:styles>'


# --- document parts ---------------------------------------------------------------

def p(style: str, text: str = "", *, runs: str | None = None) -> str:
    inner = runs if runs is not None else (f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else "")
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{inner}</w:p>'


def tag(style: str, t: str) -> str:
    """A paragraph holding one docxtpl tag (`{%p … %}`, `{{p … }}`, `{{r … }}`) in one run."""
    return p(style, t)


def cell(width: int, content: str, valign: str = "top") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="{valign}"/></w:tcPr>{content}</w:tc>'
    )


def table(widths: list[int], rows: list[str], *, cant_split: bool = False, keep: bool = False,
          splittable: int = 0) -> str:
    """A borderless table; with ``cant_split`` no row but the last ``splittable`` may
    split across pages."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(f'<w:{b} w:val="nil"/>' for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tr_pr = "<w:trPr><w:cantSplit/></w:trPr>" if cant_split else ""
    whole = len(rows) - splittable
    body = "".join(f"<w:tr>{tr_pr if i < whole else ''}{r}</w:tr>" for i, r in enumerate(rows))
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def header_table(ctx: str, *, second_row: str | None, unless: str | None = None) -> str:
    """The two-column header: issuer block left, national block right (ô 1, 2, 3, 4);
    with ``unless``, the second row (số, date) is left out when that value is set."""
    left_w, right_w = L.HEADER_LEFT, L.HEADER_RIGHT
    tn_rule = rule_paragraph(textwidth.width_twips(TIEU_NGU, G.TIEU_NGU.pt, bold=True), right_w - 2 * L.CELL_MARGIN).xml
    left1 = (
        tag("DrCoQuanChuQuan", f"{{%p if {ctx}.chu_quan %}}")
        + p("DrCoQuanChuQuan", runs=f'<w:r><w:t>{{{{r {ctx}.chu_quan_lines }}}}</w:t></w:r>')  # lines by units
        + tag("DrCoQuanChuQuan", "{%p endif %}")
        + tag("DrCoQuan", f"{{%p for line in {ctx}.co_quan %}}")
        + p("DrCoQuan", "{{ line }}")
        + tag("DrCoQuan", "{%p endfor %}")
        + tag("DrRule", f"{{{{p {ctx}.issuer_rule }}}}")
    )
    right1 = p("DrQuocHieu", QUOC_HIEU) + p("DrTieuNgu", TIEU_NGU) + tn_rule
    rows = [cell(left_w, left1) + cell(right_w, right1)]
    if second_row is not None:
        left2 = (
            p("DrSoKyHieu", f"{{{{ {ctx}.so_ky_hieu }}}}")
            + marks(f"{ctx}.secrecy")  # ô 10a under the số; ô 10b under the V/v line (5b)
            + second_row
            + marks(f"{ctx}.urgency")
        )
        right2 = p("DrDiaDanh", f"{{{{ {ctx}.date_line }}}}")
        row2 = cell(left_w, left2) + cell(right_w, right2)
        if unless is None:
            rows.append(row2)
        else:
            def tr_tag(t: str) -> str:
                return cell(left_w, tag("DrEmpty", t)) + cell(right_w, p("DrEmpty"))
            rows += [tr_tag(f"{{%tr if not {unless} %}}"), row2, tr_tag("{%tr endif %}")]
    return table([left_w, right_w], rows)


def marks(expr: str) -> str:
    """Framed urgency or secrecy marks (context: framed paragraphs)."""
    return (
        tag("DrMark", f"{{%p for mark in {expr} %}}")
        + tag("DrMark", "{{p mark }}")
        + tag("DrMark", "{%p endfor %}")
    )


def body_loop(expr: str) -> str:
    """Paragraphs of a body: each kind in its own style; the last kept with what follows."""
    return (
        tag("DrBody", f"{{%p for para in {expr} %}}")
        + tag("DrBody", "{%p if para.kind == 'section' %}")
        + p("DrSection", runs='<w:r><w:t>{{r para.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p elif para.kind == 'chapter' %}")
        + p("DrChapter", runs='<w:r><w:t>{{r para.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p elif para.kind == 'chapter_title' %}")
        + p("DrChapterTitle", runs='<w:r><w:t>{{r para.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p elif para.kind == 'article' %}")
        + p("DrArticle", runs='<w:r><w:t>{{r para.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p elif loop.last %}")
        + p("DrBodyLast", runs='<w:r><w:t>{{r para.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p else %}")
        + p("DrBody", runs='<w:r><w:t>{{r para.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p endif %}")
        + tag("DrBody", "{%p endfor %}")
    )


def signature_table(ctx: str, *, with_noi_nhan: bool = True) -> str:
    left = (
        (
            tag("DrNoiNhanLabel", f"{{%p if {ctx}.noi_nhan %}}")
            + p("DrNoiNhanLabel", "Nơi nhận:")
            + tag("DrNoiNhan", f"{{%p for line in {ctx}.noi_nhan %}}")
            + p("DrNoiNhan", "{{ line }}")
            + tag("DrNoiNhan", "{%p endfor %}")
            + tag("DrNoiNhanLabel", "{%p else %}")
            + p("DrEmpty")
            + tag("DrNoiNhanLabel", "{%p endif %}")
        )
        if with_noi_nhan
        else p("DrEmpty")
    )
    right = _authority_cell(ctx) + p("DrSigner", f"{{{{ {ctx}.name }}}}")
    rows = [cell(L.SIGN_LEFT, left) + cell(L.SIGN_RIGHT, right)]
    if not with_noi_nhan:
        return table([L.SIGN_LEFT, L.SIGN_RIGHT], rows, cant_split=True)
    # A long Nơi nhận: the lines beyond the signature's height (context, rules/signature_block)
    # in a row below it that may continue on the next page; the signature's row never splits.
    def tr_tag(t: str) -> str:
        return cell(L.SIGN_LEFT, tag("DrNoiNhan", t)) + cell(L.SIGN_RIGHT, p("DrEmpty"))

    rest = (tag("DrNoiNhan", f"{{%p for line in {ctx}.noi_nhan_rest %}}") + p("DrNoiNhan", "{{ line }}")
            + tag("DrNoiNhan", "{%p endfor %}"))
    rows += [tr_tag(f"{{%tr if {ctx}.noi_nhan_rest %}}"), cell(L.SIGN_LEFT, rest) + cell(L.SIGN_RIGHT, p("DrEmpty")),
             tr_tag("{%tr endif %}")]
    return table([L.SIGN_LEFT, L.SIGN_RIGHT], rows, cant_split=True, splittable=3)


def _authority_cell(expr: str) -> str:
    """One signer's authority lines, the first with its space above."""
    return (
        tag("DrAuthority", f"{{%p for line in {expr}.authority %}}")
        + tag("DrAuthority", "{%p if loop.first %}")
        + p("DrAuthorityFirst", "{{ line }}")
        + tag("DrAuthority", "{%p else %}")
        + p("DrAuthority", "{{ line }}")
        + tag("DrAuthority", "{%p endif %}")
        + tag("DrAuthority", "{%p endfor %}")
    )


def signature_pair_table(ctx: str) -> str:
    """Two signatures side by side (a biên bản's secretary and chair, a hợp đồng's
    Bên A and Bên B: `{ctx}.pair`), each centred in half the text width, then the
    Nơi nhận below them on the left (Mẫu 1.9). Titles in one row, names in the next,
    so the two names stand on one line whatever the number of title lines."""
    half = (L.SIGN_LEFT + L.SIGN_RIGHT) // 2
    widths = [half, L.SIGN_LEFT + L.SIGN_RIGHT - half]
    titles = cell(widths[0], _authority_cell(f"{ctx}.pair.left")) + cell(widths[1], _authority_cell(f"{ctx}.pair.right"))
    names = (cell(widths[0], p("DrSigner", f"{{{{ {ctx}.pair.left.name }}}}"))
             + cell(widths[1], p("DrSigner", f"{{{{ {ctx}.pair.right.name }}}}")))
    noi_nhan = (
        tag("DrNoiNhanLabel", f"{{%p if {ctx}.noi_nhan %}}")
        + p("DrNoiNhanLabel", "Nơi nhận:")
        + tag("DrNoiNhan", f"{{%p for line in {ctx}.noi_nhan %}}")
        + p("DrNoiNhan", "{{ line }}")
        + tag("DrNoiNhan", "{%p endfor %}")
        + tag("DrNoiNhanLabel", "{%p endif %}")
    )
    return table(widths, [titles, names], cant_split=True) + noi_nhan


def signatures(ctx: str) -> str:
    """One signer (signature_table), or two side by side when `{ctx}.pair` is set."""
    return (
        tag("DrEmpty", f"{{%p if {ctx}.pair %}}")
        + signature_pair_table(ctx)
        + tag("DrEmpty", "{%p else %}")
        + signature_table(ctx)
        + tag("DrEmpty", "{%p endif %}")
    )


def sect_pr() -> str:
    return (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeaderDefault"/>'
        '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
        f'<w:pgSz w:w="{L.PAGE_W}" w:h="{L.PAGE_H}"/>'
        f'<w:pgMar w:top="{L.MARGIN_TOP}" w:right="{L.MARGIN_RIGHT}" w:bottom="{L.MARGIN_BOTTOM}" '
        f'w:left="{L.MARGIN_LEFT}" w:header="{L.HEADER_DISTANCE}" w:footer="{L.FOOTER_DISTANCE}" w:gutter="0"/>'
        '<w:pgNumType w:start="1"/><w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )


def document_xml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{sect_pr()}</w:body></w:document>'
    )


def scope_block() -> str:
    """ô 11, the circulation note (`luu_hanh`: «LƯU HÀNH NỘI BỘ»), after the signature
    block at the left: a paragraph the context builds (rules/geometry.SCOPE)."""
    return tag("DrEmpty", "{%p if doc.scope %}") + tag("DrEmpty", "{{p doc.scope }}") + tag("DrEmpty", "{%p endif %}")


def kinh_gui_block() -> str:
    """"Kính gửi: X." on one line, or "Kính gửi:" and one line per recipient."""
    return (
        tag("DrKinhGui", "{%p if doc.kinh_gui.inline %}")
        + p("DrKinhGui", "Kính gửi: {{ doc.kinh_gui.inline }}")
        + tag("DrKinhGui", "{%p else %}")
        + p("DrKinhGui", "Kính gửi:")
        + tag("DrKinhGuiItem", "{%p for line in doc.kinh_gui.lines %}")
        + p("{{ 'DrKinhGuiLast' if loop.last else 'DrKinhGuiItem' }}", "{{ line }}")  # air before the body
        + tag("DrKinhGuiItem", "{%p endfor %}")
        + tag("DrKinhGui", "{%p endif %}")
    )


def cong_van_body() -> str:
    vv = p("DrVv", runs='<w:r><w:t>{{r doc.vv_lines }}</w:t></w:r>')  # balanced lines (rules/linebreak)
    return (
        header_table("doc.header", second_row=vv) + kinh_gui_block() + body_loop("doc.body")
        + signature_table("doc.signing") + scope_block() + appendix_block()
    )


def title_block(ctx: str, *, issued_with: bool = False) -> str:
    """Tên loại, trích yếu and the rule; with ``issued_with``, the "(Ban hành kèm theo …)"
    line of a Mẫu 1.3 document in a file of its own between them, when it has one."""
    reference = (
        tag("DrKemTheo", f"{{%p if {ctx}.issued_with %}}") + p("DrKemTheo", f"{{{{ {ctx}.issued_with }}}}")
        + tag("DrKemTheo", "{%p endif %}")
    ) if issued_with else ""
    return (
        p("DrTenLoai", f"{{{{ {ctx}.type_name }}}}")
        + p("DrTrichYeu", runs=f'<w:r><w:t>{{{{r {ctx}.trich_yeu_lines }}}}</w:t></w:r>')  # balanced lines
        + reference
        + rule_paragraph(L.TITLE_RULE, L.TEXT_W, style="DrRuleTitle").xml
    )


def van_ban_body() -> str:
    kinh_gui = (  # named types take Kính gửi only where the type does
        tag("DrKinhGui", "{%p if doc.kinh_gui %}") + kinh_gui_block() + tag("DrKinhGui", "{%p endif %}")
    )
    return (
        header_table("doc.header", second_row="", unless="doc.issued_with")
        + title_block("doc", issued_with=True)
        + kinh_gui
        + body_loop("doc.body")
        + signatures("doc.signing")
        + scope_block()
        + appendix_block()
    )


def attached_block() -> str:
    """Documents issued with a quyết định (Mẫu 1.3): new page, header again, title,
    the "(Ban hành kèm theo …)" line, body, signature repeated."""
    return (
        tag("DrEmpty", "{%p for att in doc.attached %}")
        + tag("DrEmpty", "{{p att.section_break }}")  # a section of its own: numbering from 1
        + header_table("att.header", second_row=None)
        + p("DrTenLoai", "{{ att.type_name }}")
        + p("DrTrichYeu", runs='<w:r><w:t>{{r att.trich_yeu_lines }}</w:t></w:r>')
        + p("DrKemTheo", "{{ att.reference }}")
        + rule_paragraph(L.TITLE_RULE, L.TEXT_W, style="DrRuleTitle").xml
        + body_loop("att.body")
        + signature_table("att.signing", with_noi_nhan=False)
        + tag("DrEmpty", "{%p endfor %}")
    )


def appendix_block() -> str:
    """Appendices (phụ lục): each a section of its own, its derived content inside a
    content control tagged `drafter:phu-luc:N` so `drafter appendix` can find and
    replace it later, whatever a person edited around it; the region is also inside a
    bookmark `_drafter_pl_N` (the marker LibreOffice keeps when it drops the tag)."""
    return (
        tag("DrEmpty", "{%p for pl in doc.appendices %}")
        + tag("DrEmpty", "{{p pl.section_break }}")
        + f'<w:sdt><w:sdtPr><w:alias w:val="{APPENDIX_ALIAS}"/>'
        + f'<w:tag w:val="{APPENDIX_TAG}{{{{ pl.number|int }}}}"/></w:sdtPr><w:sdtContent>'
        + tag("DrEmpty", "{{p pl.mark_start }}")  # a bookmark too: LibreOffice drops the tag
        + p("DrPhuLuc", "{{ pl.label }}")
        + p("DrPhuLucTitle", "{{ pl.title }}")
        + p("DrKemTheo", "{{ pl.reference }}")
        + tag("DrEmpty", "{{p pl.rule }}")  # centred on the appendix's own (maybe landscape) width
        + tag("DrDonViTinh", "{%p if pl.unit_line %}")
        + p("DrDonViTinh", "{{ pl.unit_line }}")
        + tag("DrDonViTinh", "{%p endif %}")
        + tag("DrEmpty", "{{p pl.table }}")
        + tag("DrBangChu", "{%p for line in pl.words %}")
        + p("DrBangChu", "{{ line }}")
        + tag("DrBangChu", "{%p endfor %}")
        + tag("DrEmpty", "{{p pl.mark_end }}")
        + "</w:sdtContent></w:sdt>"
        + tag("DrEmpty", "{%p endfor %}")
    )


def quyet_dinh_body() -> str:
    return (
        header_table("doc.header", second_row="")
        + title_block("doc")
        + p("DrThamQuyen", runs='<w:r><w:t>{{r doc.authority_lines }}</w:t></w:r>')
        + tag("DrCanCu", "{%p for line in doc.can_cu %}")
        + p("DrCanCu", "{{ line }}")
        + tag("DrCanCu", "{%p endfor %}")
        + tag("DrCanCu", "{%p if doc.xet_de_nghi %}")
        + p("DrCanCu", "{{ doc.xet_de_nghi }}")
        + tag("DrCanCu", "{%p endif %}")
        + body_loop("doc.body")
        + p("DrDecision", "{{ doc.decision_word }}")
        + tag("DrBody", "{%p for art in doc.articles %}")
        + tag("DrBody", "{%p if loop.last and not art.more %}")
        + p("DrBodyLast", runs='<w:r><w:t>{{r art.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p else %}")
        + p("DrBody", runs='<w:r><w:t>{{r art.runs }}</w:t></w:r>')
        + tag("DrBody", "{%p endif %}")
        + body_loop("art.more")
        + tag("DrBody", "{%p endfor %}")
        + signature_table("doc.signing")
        + scope_block()
        + attached_block()
        + appendix_block()
    )


def header_part(number: bool) -> str:
    inner = ""
    if number:
        size = hp(G.PAGE_NUMBER.pt)
        r = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        inner = (
            f'<w:r>{r}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{r}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{r}<w:t>2</w:t></w:r><w:r>{r}<w:fldChar w:fldCharType="end"/></w:r>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="DrPageNumber"/></w:pPr>{inner}</w:p></w:hdr>'
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Types xmlns="{NS["ct"]}"><Default Extension="rels" ContentType="{CT.RELS}"/>'
    f'<Default Extension="xml" ContentType="{CT.XML}"/>'
    + "".join(f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in (
        ("/word/document.xml", CT.MAIN), ("/word/styles.xml", CT.STYLES), ("/word/settings.xml", CT.SETTINGS),
        ("/word/header1.xml", CT.HEADER), ("/word/header2.xml", CT.HEADER),
        ("/docProps/core.xml", CT.CORE_PROPERTIES), ("/docProps/app.xml", CT.EXTENDED_PROPERTIES),
    ))
    + "</Types>"
)


def rels_xml(rels: list[tuple[str, str, str]]) -> str:
    """A relationships part: (Id, type, target) each."""
    body = "".join(f'<Relationship Id="{rid}" Type="{typ}" Target="{target}"/>' for rid, typ, target in rels)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS["pr"]}">{body}</Relationships>'


ROOT_RELS = rels_xml([
    ("rId1", RT.OFFICE_DOCUMENT, "word/document.xml"),
    ("rId2", RT.CORE_PROPERTIES, "docProps/core.xml"),
    ("rId3", RT.EXTENDED_PROPERTIES, "docProps/app.xml"),
])

DOC_RELS = rels_xml([
    ("rIdStyles", RT.STYLES, "styles.xml"),
    ("rIdSettings", RT.SETTINGS, "settings.xml"),
    ("rIdHeaderDefault", RT.HEADER, "header1.xml"),
    ("rIdHeaderFirst", RT.HEADER, "header2.xml"),
])

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="{WORD_COMPAT_URI}" w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/></w:settings>"""

CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="{NS['cp']}" xmlns:dc="{NS['dc']}" xmlns:dcterms="{NS['dcterms']}" xmlns:xsi="{NS['xsi']}"><dc:title>{{title}}</dc:title><dc:creator>drafter</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>"""

APP = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="{NS['ep']}"><Application>drafter</Application></Properties>"""

TEMPLATES = {
    "cong-van.docx": ("Công văn (Mẫu 1.5)", cong_van_body),
    "van-ban.docx": ("Văn bản có tên loại (Mẫu 1.4)", van_ban_body),
    "quyet-dinh.docx": ("Quyết định (Mẫu 1.1-1.3)", quyet_dinh_body),
    "phu-luc.docx": ("Phụ lục trong tệp riêng", appendix_block),  # chi_phu_luc: the appendices alone
}


def build(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (title, body) in TEMPLATES.items():
        parts = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("word/document.xml", document_xml(body())),
            ("word/_rels/document.xml.rels", DOC_RELS),
            ("word/styles.xml", styles_xml()),
            ("word/settings.xml", SETTINGS),
            ("word/header1.xml", header_part(True)),
            ("word/header2.xml", header_part(False)),
            ("docProps/core.xml", CORE.format(title=title)),
            ("docProps/app.xml", APP),
        ]
        path = out_dir / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for part, text in parts:
                info = zipfile.ZipInfo(part, ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
