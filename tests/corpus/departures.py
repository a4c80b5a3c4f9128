"""One departure per checker rule, each made from a correct document of the corpus.

Every function here takes a correct document (tests/corpus/builders.py) and makes
exactly ONE departure from Nghị định 30's format, tagged with

* ``rule``: the id of the `drafter check` rule that must catch it (the existing ids of
  drafter/check/rules.py; for rules still to come, the ids listed in README.md);
* ``fixable``: whether `drafter fix` must repair it (issue 17, point 4: page size and
  margins, fonts and sizes, bold/italic/case of a located element, alignment, indents,
  spacing, line spacing, font colour, page numbers, the date's leading zeros, the quốc
  hiệu / tiêu ngữ spellings, the punctuation of Kính gửi, Nơi nhận and «- Lưu:», the
  final «./.»); everything that changes words or needs a person is not;
* ``fixed``: for a fixable one, a test of the repaired document in the property
  concerned (python-docx Document → bool); the repaired document's paragraph texts
  must moreover equal the correct document's (tests/test_corpus.py);
* ``seed``: the seed whose own mistake it is (FORMAT.md, «Mistakes seen in real
  documents»), if any.

A departure changes the document's Spec (then it is rendered again) and/or the
rendered python-docx Document.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from . import builders as B
from .builders import Para, Sig, Spec

# Rule ids introduced here for rules not yet written (README.md lists them).
NEW_RULES = {
    "ISSUER-RULE": "Đường kẻ dưới tên cơ quan ban hành dài từ 1/3 đến 1/2 dòng chữ, đặt cân đối",
    "TN-RULE": "Đường kẻ dưới tiêu ngữ dài bằng dòng chữ tiêu ngữ",
    "MARK-SCOPE": "Chỉ dẫn phạm vi lưu hành (LƯU HÀNH NỘI BỘ, XEM XONG TRẢ LẠI) chữ in hoa, đứng, đậm",
    "TL-TWO": "Chỉ một tên loại văn bản (hai tên loại: báo để người xem lại)",
    "TYPE-CONFLICT": "Dấu hiệu loại văn bản không mâu thuẫn (quyết định có V/v, Kính gửi…)",
    "COPY-STYLE": "Hình thức sao (SAO Y, SAO LỤC, TRÍCH SAO) chữ in hoa, đậm",
    "COPY-SO": "Số của bản sao dùng ký hiệu SY, SL, TrS",
    "APPX-STYLE": "Phụ lục: «Phụ lục» và tên phụ lục đậm, dòng «(Kèm theo …)» nghiêng",
    "FIGURE-SUM": "Con số trong lời văn khớp với bảng (tổng, từng năm)",
    "PERIOD-ORDER": "Giai đoạn «năm đầu-năm cuối» có năm cuối sau năm đầu",
}


@dataclass(frozen=True)
class Departure:
    name: str
    rule: str
    base: str
    fixable: bool
    what: str
    spec_change: Callable[[Spec], Spec] | None = None
    doc_change: Callable[[object], None] | None = None
    fixed: Callable[[object], bool] | None = None
    seed: str | None = None

    def build(self, base_bytes: bytes | None = None) -> bytes:
        if self.spec_change is not None or base_bytes is None:
            s = B.spec(self.base)
            if self.spec_change is not None:
                s = self.spec_change(s)
            doc = B.render_document(s)
        else:
            doc = Document(io.BytesIO(base_bytes))
        if self.doc_change is not None:
            self.doc_change(doc)
        return B.to_bytes(doc)


DEPARTURES: dict[str, Departure] = {}


def departure(rule: str, base: str, *, fixable: bool, what: str, spec=None, doc=None, fixed=None,
              seed: str | None = None, name: str | None = None):
    def register(fn):
        key = name or fn.__name__.replace("_", "-")
        if key in DEPARTURES:
            raise ValueError(f"duplicate departure {key}")
        DEPARTURES[key] = Departure(key, rule, base, fixable, what, spec, doc, fixed, seed)
        return fn
    return register


# ------------------------------------------------------------------------ finding things in a Document


def paragraphs(doc) -> Iterator:
    """Every paragraph in reading order: body, table cells (nested too)."""
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    def walk(container):
        for child in container.iter_inner_content():
            if isinstance(child, Paragraph):
                yield child
            elif isinstance(child, Table):
                for tr in child._tbl.tr_lst:
                    for tc in tr.tc_lst:
                        yield from walk(_Cell(tc, child))
    yield from walk(doc)


def para(doc, start: str, nth: int = 0):
    hits = [p for p in paragraphs(doc) if p.text.strip().startswith(start)]
    if len(hits) <= nth:
        raise LookupError(f"no paragraph starting {start!r}")
    return hits[nth]


def body_paras(doc) -> list:
    """The body: justified paragraphs with a first-line indent, outside tables."""
    return [p for p in doc.paragraphs if p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
            and p.paragraph_format.first_line_indent and p.text.strip()]


def runs_of(p) -> list:
    return [r for r in p.runs if r.text.strip()]


def texts(data: bytes) -> list[str]:
    """The text of every paragraph (document.xml, in order), for comparing before/after."""
    from lxml import etree
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = []
    for p in root.iter(w + "p"):
        out.append("".join(t.text or "" for t in p.iter(w + "t")).strip())
    return [t for t in out if t]


def _all(pred) -> Callable[[object], bool]:
    return pred


def set_bold(p, value: bool) -> None:
    for r in p.runs:
        r.font.bold = value


def set_italic(p, value: bool) -> None:
    for r in p.runs:
        r.font.italic = value


def set_text(p, text: str) -> None:
    """Replace a paragraph's text, keeping the first run's formatting."""
    first = p.runs[0]
    first.text = text
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)


def bold_of(p) -> bool:
    return all(r.font.bold for r in runs_of(p))


def italic_of(p) -> bool:
    return all(r.font.italic for r in runs_of(p))


def page_field_in(part) -> bool:
    xml = part._element.xml
    return "PAGE" in xml and ("fldChar" in xml or "fldSimple" in xml)


# ------------------------------------------------------------------------ page


@departure("PAGE-SIZE", "cv-ha-tinh", fixable=True, what="Khổ giấy Letter (215,9 × 279,4 mm)",
           doc=lambda d: setattr(d.sections[0], "page_width", Mm(215.9)) or setattr(d.sections[0], "page_height", Mm(279.4)),
           fixed=lambda d: all(abs(s.page_width.mm - 210) < 1 and abs(s.page_height.mm - 297) < 1 for s in d.sections))
def page_size(): ...


@departure("PAGE-MARGIN", "ct-vinh-long", fixable=True, what="Lề trái 20 mm",
           doc=lambda d: setattr(d.sections[0], "left_margin", Mm(20)),
           fixed=lambda d: 29.5 <= d.sections[0].left_margin.mm <= 35.5)
def page_margin(): ...


@departure("PAGE-NUM-FIRST", "cv-ha-tinh", fixable=True, what="Số trang cả ở trang 1 (không «Khác ở trang đầu»)",
           doc=lambda d: setattr(d.sections[0], "different_first_page_header_footer", False),
           fixed=lambda d: d.sections[0].different_first_page_header_footer
           and not page_field_in(d.sections[0].first_page_header))
def page_num_first(): ...


def _footer_numbers(d) -> None:
    sec = d.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.footer.paragraphs[0]
    B.fmt(p, align=B.C)
    B.field_run(p, "PAGE", 14)


@departure("PAGE-NUM-PLACE", "cv-ha-tinh", fixable=True, what="Số trang ở chân trang",
           spec=lambda s: replace(s, page_numbers=False), doc=_footer_numbers,
           fixed=lambda d: page_field_in(d.sections[0].header))
def page_num_place(): ...


@departure("PAGE-NUM-MISSING", "cv-ha-tinh", fixable=True, what="Văn bản 3 trang không đánh số trang",
           spec=lambda s: replace(s, page_numbers=False),
           fixed=lambda d: page_field_in(d.sections[0].header))
def page_num_missing(): ...


def _small_page_number(d) -> None:
    for r in d.sections[0].header.paragraphs[0]._p.iter(qn("w:r")):
        for sz in r.iter(qn("w:sz")):
            sz.set(qn("w:val"), "20")


def _page_number_size_ok(d) -> bool:
    sizes = [int(sz.get(qn("w:val"))) for sz in d.sections[0].header._element.iter(qn("w:sz"))]
    return bool(sizes) and all(26 <= v <= 28 for v in sizes)


@departure("PAGE-NUM-STYLE", "cv-ha-tinh", fixable=True, what="Số trang cỡ 10", doc=_small_page_number,
           fixed=_page_number_size_ok)
def page_num_style(): ...


# ------------------------------------------------------------------------ fonts


def _body_font(d, name: str) -> None:
    for p in body_paras(d):
        for r in p.runs:
            B.set_fonts(r._r, name)


def _all_tnr(d) -> bool:
    for p in paragraphs(d):
        for r in p.runs:
            f = r._r.rPr.find(qn("w:rFonts")) if r._r.rPr is not None else None
            if f is not None and any(f.get(qn(s)) not in (None, B.FONT) for s in ("w:ascii", "w:hAnsi")):
                return False
    return True


@departure("FONT-NAME", "cv-ha-tinh", fixable=True, what="Nội dung phông Arial",
           doc=lambda d: _body_font(d, "Arial"), fixed=_all_tnr)
def font_name(): ...


def _body_size(d, pt: float) -> None:
    for p in body_paras(d):
        for r in p.runs:
            r.font.size = Pt(pt)


@departure("FONT-SIZE", "ct-vinh-long", fixable=True, what="Nội dung cỡ 12",
           doc=lambda d: _body_size(d, 12),
           fixed=lambda d: all(13 <= r.font.size.pt <= 14 for p in body_paras(d) for r in runs_of(p)))
def font_size(): ...


@departure("FONT-SIZE", "qd-hung-yen", fixable=True, what="Quốc hiệu cỡ 14 (đúng 12–13)", name="font-size-quoc-hieu",
           doc=lambda d: [setattr(r.font, "size", Pt(14)) for r in para(d, B.QUOC_HIEU).runs],
           fixed=lambda d: all(12 <= r.font.size.pt <= 13 for r in runs_of(para(d, B.QUOC_HIEU))))
def font_size_qh(): ...


def _red(d) -> None:
    for r in body_paras(d)[2].runs:
        r.font.color.rgb = RGBColor(0xFF, 0, 0)


def _black(d) -> bool:
    for p in paragraphs(d):
        for r in p.runs:
            c = r.font.color
            if c is not None and c.type is not None and c.rgb not in (None, RGBColor(0, 0, 0)):
                return False
    return True


@departure("FONT-COLOR", "cv-ha-tinh", fixable=True, what="Một đoạn nội dung chữ đỏ", doc=_red, fixed=_black)
def font_color(): ...


# ------------------------------------------------------------------------ quốc hiệu, tiêu ngữ, issuer


def _drop(p) -> None:
    p._p.getparent().remove(p._p)


@departure("QH-MISSING", "ct-vinh-long", fixable=False, what="Không có quốc hiệu",
           doc=lambda d: set_text(para(d, B.QUOC_HIEU), " "))
def qh_missing(): ...


@departure("QH-TEXT", "cv-quang-ngai", fixable=True, what="«CỘNG HOÀ» (dấu kiểu cũ)",
           doc=lambda d: set_text(para(d, B.QUOC_HIEU), "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
           fixed=lambda d: any(p.text == B.QUOC_HIEU for p in paragraphs(d)))
def qh_text(): ...


@departure("QH-STYLE", "bc-hung-yen", fixable=True, what="Quốc hiệu không đậm",
           doc=lambda d: set_bold(para(d, B.QUOC_HIEU), False), fixed=lambda d: bold_of(para(d, B.QUOC_HIEU)))
def qh_style(): ...


@departure("TN-TEXT", "tb-ha-tinh", fixable=True, what="Tiêu ngữ với gạch dài «–»",
           doc=lambda d: set_text(para(d, "Độc lập"), "Độc lập – Tự do – Hạnh phúc"),
           fixed=lambda d: any(p.text == B.TIEU_NGU for p in paragraphs(d)))
def tn_text(): ...


@departure("TN-STYLE", "gm-quang-ngai", fixable=True, what="Tiêu ngữ không đậm",
           doc=lambda d: set_bold(para(d, "Độc lập"), False), fixed=lambda d: bold_of(para(d, "Độc lập")))
def tn_style(): ...


@departure("ISSUER-STYLE", "kh-quang-ngai", fixable=True, what="Tên cơ quan ban hành không đậm",
           doc=lambda d: set_bold(para(d, "SỞ CÔNG THƯƠNG"), False), fixed=lambda d: bold_of(para(d, "SỞ CÔNG THƯƠNG")))
def issuer_style(): ...


@departure("ISSUER-RULE", "cv-ha-tinh", fixable=False, what="Đường kẻ dưới tên cơ quan dài cả cột (190 pt)",
           spec=lambda s: replace(s, rule_issuer_pt=190))
def issuer_rule(): ...


@departure("TN-RULE", "ct-vinh-long", fixable=False, what="Đường kẻ dưới tiêu ngữ ngắn (60 pt)",
           spec=lambda s: replace(s, rule_tieu_ngu_pt=60))
def tn_rule(): ...


@departure("DISTRICT-2025", "cv-ha-tinh", fixable=False, what="UBND huyện ban hành văn bản ngày 05/8/2025",
           spec=lambda s: replace(s, issuer=["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"],
                                  date="Cẩm Xuyên, ngày 05 tháng 8 năm 2025"))
def district_2025(): ...


# ------------------------------------------------------------------------ số, ký hiệu; date


def _so(text: str):
    return lambda d: set_text(para(d, "Số"), text)


@departure("SO-PREFIX", "cv-ha-tinh", fixable=False, what="«Số 8287/…» thiếu dấu hai chấm", doc=_so("Số 8287/UBND-KT1"))
def so_prefix(): ...


@departure("SO-SLASH", "cv-quang-ngai", fixable=False, what="«Số: 953UBND-CNXD» thiếu «/»", seed="001",
           doc=_so("Số: 953UBND-CNXD"))
def so_slash(): ...


@departure("SO-ZERO", "cv-ha-tinh", fixable=False, what="«Số: 5/UBND-KT1» thiếu số 0", doc=_so("Số: 5/UBND-KT1"))
def so_zero(): ...


@departure("SO-TYPE", "ct-vinh-long", fixable=False, what="Chỉ thị số «14/QĐ-UBND»", doc=_so("Số: 14/QĐ-UBND"))
def so_type(): ...


@departure("SO-FORMAT", "cv-ha-tinh", fixable=False, what="Ký hiệu viết thường «kt1»", doc=_so("Số: 8287/UBND-kt1"))
def so_format(): ...


def _date(text: str):
    return lambda d: set_text(para(d, "Vĩnh Long, ngày"), text)


@departure("DATE-ZERO", "ct-vinh-long", fixable=True, what="«ngày 6 tháng 11» thiếu số 0",
           doc=_date("Vĩnh Long, ngày 6 tháng 11 năm 2023"),
           fixed=lambda d: any(p.text == "Vĩnh Long, ngày 06 tháng 11 năm 2023" for p in paragraphs(d)))
def date_zero(): ...


@departure("DATE-FORMAT", "ct-vinh-long", fixable=False, what="Ngày 31/02 không có thật",
           doc=_date("Vĩnh Long, ngày 31 tháng 02 năm 2023"))
def date_format(): ...


@departure("DATE-ITALIC", "tb-ha-tinh", fixable=True, what="Dòng ngày tháng chữ đứng",
           doc=lambda d: set_italic(para(d, "Hà Tĩnh, ngày"), False),
           fixed=lambda d: italic_of(para(d, "Hà Tĩnh, ngày")))
def date_italic(): ...


# ------------------------------------------------------------------------ tên loại, trích yếu, V/v


@departure("TL-STYLE", "ttr-hung-yen", fixable=True, what="Tên loại «TỜ TRÌNH» không đậm",
           doc=lambda d: set_bold(para(d, "TỜ TRÌNH"), False), fixed=lambda d: bold_of(para(d, "TỜ TRÌNH")))
def tl_style(): ...


@departure("TL-TWO", "ct-vinh-long", fixable=False, what="Hai tên loại: «CHỈ THỊ» rồi «KẾ HOẠCH»",
           spec=lambda s: replace(s, trich_yeu=["KẾ HOẠCH"] + s.trich_yeu))
def tl_two(): ...


@departure("TYPE-CONFLICT", "qd-hung-yen", fixable=False, what="Quyết định có cả V/v và Kính gửi",
           spec=lambda s: replace(s, vv=["V/v phê duyệt Chương trình khuyến công"], kinh_gui=["Sở Công Thương"]))
def type_conflict(): ...


@departure("VV-PREFIX", "cv-ha-tinh", fixable=False, what="Trích yếu «Về việc …» thay cho «V/v»",
           doc=lambda d: set_text(para(d, "V/v"), "Về việc tăng cường hoạt động khuyến công,"))
def vv_prefix(): ...


@departure("VV-STYLE", "cv-quang-ngai", fixable=True, what="V/v in đậm",
           doc=lambda d: set_bold(para(d, "V/v"), True), fixed=lambda d: not any(r.font.bold for r in para(d, "V/v").runs))
def vv_style(): ...


@departure("VV-SPACE", "cv-ha-tinh", fixable=True, what="V/v sát số ký hiệu (0 pt)",
           doc=lambda d: setattr(para(d, "V/v").paragraph_format, "space_before", Pt(0)),
           fixed=lambda d: (para(d, "V/v").paragraph_format.space_before or Pt(0)).pt >= 6
           or (para(d, "Số").paragraph_format.space_after or Pt(0)).pt >= 6)
def vv_space(): ...


# ------------------------------------------------------------------------ Kính gửi, Nơi nhận


@departure("KG-PUNCT", "cv-ha-tinh", fixable=True, what="Nơi kính gửi cuối kết thúc «;»",
           doc=lambda d: set_text(para(d, "- UBND các huyện"), "- UBND các huyện, thành phố, thị xã;"),
           fixed=lambda d: para(d, "- UBND các huyện").text.endswith("."))
def kg_punct(): ...


@departure("KG-MISSING", "cv-ha-tinh", fixable=False, what="Công văn không có Kính gửi",
           spec=lambda s: replace(s, kinh_gui=[]))
def kg_missing(): ...


@departure("KG-MISSING", "ttr-hung-yen", fixable=False, what="Tờ trình lên UBND tỉnh không có Kính gửi",
           spec=lambda s: replace(s, kinh_gui=[]), name="kg-missing-to-trinh")
def kg_missing_ttr(): ...


@departure("NN-STYLE", "ct-vinh-long", fixable=True, what="«Nơi nhận:» không nghiêng",
           doc=lambda d: set_italic(para(d, "Nơi nhận"), False),
           fixed=lambda d: italic_of(para(d, "Nơi nhận")) and bold_of(para(d, "Nơi nhận")))
def nn_style(): ...


@departure("NN-PUNCT", "cv-ha-tinh", fixable=True, what="Nơi nhận thiếu «;»",
           doc=lambda d: set_text(para(d, "- Bộ Công Thương (để biết)"), "- Bộ Công Thương (để biết)"),
           fixed=lambda d: para(d, "- Bộ Công Thương (để biết)").text.endswith(";"))
def nn_punct(): ...


@departure("NN-LUU", "cv-ha-tinh", fixable=True, what="«- Lưu: VT, KT1» thiếu dấu chấm",
           doc=lambda d: set_text(para(d, "- Lưu:"), "- Lưu: VT, KT1"),
           fixed=lambda d: para(d, "- Lưu:").text.endswith("."))
def nn_luu(): ...


@departure("NN-FIRST", "cv-ha-tinh", fixable=False, what="Công văn có Kính gửi, nơi nhận đầu không phải «Như trên»",
           spec=lambda s: replace(s, noi_nhan=s.noi_nhan[1:]))
def nn_first(): ...


@departure("NN-MISSING", "ct-vinh-long", fixable=False, what="Không có Nơi nhận",
           spec=lambda s: replace(s, noi_nhan=[]))
def nn_missing(): ...


# ------------------------------------------------------------------------ signature


def _sig(**kw):
    return lambda s: replace(s, sig=replace(s.sig, **kw))


@departure("SIG-PREFIX", "cv-ha-tinh", fixable=False, what="«T/M ỦY BAN NHÂN DÂN»",
           spec=_sig(authority=["T/M ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]))
def sig_prefix(): ...


@departure("SIG-ORDER", "qd-hung-yen", fixable=False, what="KT. trước TM.",
           spec=_sig(authority=["KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH"]))
def sig_order(): ...


@departure("SIG-AUTHORITY", "ct-vinh-long", fixable=False, what="KT. cho chức vụ không phải cấp phó",
           spec=_sig(authority=["KT. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]))
def sig_authority(): ...


@departure("SIG-STYLE", "bc-hung-yen", fixable=True, what="Họ tên người ký không đậm",
           doc=lambda d: set_bold(para(d, "Trần Văn Hiền"), False), fixed=lambda d: bold_of(para(d, "Trần Văn Hiền")))
def sig_style(): ...


@departure("SIG-STYLE", "cv-quang-ngai-chu-tich", fixable=True, name="sig-style-no-prefix",
           what="Chủ tịch ký không có TM./KT.: chức vụ «CHỦ TỊCH» không đậm",
           doc=lambda d: set_bold(para(d, "CHỦ TỊCH"), False), fixed=lambda d: bold_of(para(d, "CHỦ TỊCH")))
def sig_style_no_prefix(): ...


@departure("SIG-NAME", "cv-ha-tinh", fixable=False, what="«TS.» trước họ tên người ký",
           spec=_sig(name="TS. Dương Tất Thắng"))
def sig_name(): ...


@departure("SIG-TITLE", "qd-hung-yen", fixable=False, what="Chức vụ «ĐIỀU CHỨC»", seed="004",
           spec=_sig(authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "ĐIỀU CHỨC"]))
def sig_title(): ...


@departure("SIG-MISSING", "tb-ha-tinh", fixable=False, what="Không có chữ ký (thẩm quyền, họ tên)",
           spec=lambda s: replace(s, sig=None))
def sig_missing(): ...


@departure("SCAFFOLD-LEFT", "ct-vinh-long", fixable=False, what="Họ tên người ký còn «Họ và tên người ký»",
           spec=_sig(name="Họ và tên người ký"))
def scaffold_left(): ...


# ------------------------------------------------------------------------ body


@departure("BODY-ALIGN", "cv-quang-ngai", fixable=True, what="Nội dung căn trái",
           doc=lambda d: [setattr(p.paragraph_format, "alignment", WD_ALIGN_PARAGRAPH.LEFT) for p in body_paras(d)],
           fixed=lambda d: all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
                               for p in d.paragraphs if p.paragraph_format.first_line_indent))
def body_align(): ...


def _indent(d, value) -> None:
    for p in body_paras(d):
        p.paragraph_format.first_line_indent = value


def _indent_ok(d) -> bool:
    ps = [p for p in d.paragraphs if p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and p.text.strip()]
    return bool(ps) and all(0.99 <= (p.paragraph_format.first_line_indent or 0) / 360000 <= 1.28 for p in ps)


@departure("BODY-INDENT", "ct-vinh-long", fixable=True, what="Nội dung không lùi đầu dòng",
           doc=lambda d: _indent(d, Cm(0)), fixed=_indent_ok)
def body_indent(): ...


@departure("BODY-SPACING", "kh-quang-ngai", fixable=True, what="Các đoạn cách nhau 0 pt",
           doc=lambda d: [setattr(p.paragraph_format, "space_after", Pt(0)) for p in body_paras(d)],
           fixed=lambda d: all(((p.paragraph_format.space_after or Pt(0)).pt + (p.paragraph_format.space_before or Pt(0)).pt) >= 6
                               for p in body_paras(d)))
def body_spacing(): ...


@departure("BODY-LINE", "bc-hung-yen", fixable=True, what="Giãn dòng gấp đôi",
           doc=lambda d: [setattr(p.paragraph_format, "line_spacing", 2.0) for p in body_paras(d)],
           fixed=lambda d: all(isinstance(p.paragraph_format.line_spacing, float) and 1 <= p.paragraph_format.line_spacing <= 1.5
                               for p in body_paras(d)))
def body_line(): ...


@departure("BODY-ITALIC", "tb-ha-tinh", fixable=True, what="Một đoạn nội dung in nghiêng cả đoạn",
           doc=lambda d: set_italic(body_paras(d)[1], True),
           fixed=lambda d: not any(italic_of(p) for p in body_paras(d)))
def body_italic(): ...


@departure("BODY-END", "ct-vinh-long", fixable=True, what="Nội dung không kết thúc bằng «./.»",
           doc=lambda d: set_text(body_paras(d)[-1], body_paras(d)[-1].text[:-3] + "."),
           fixed=lambda d: body_paras(d)[-1].text.endswith("./."))
def body_end(): ...


@departure("BODY-END", "qd-hung-yen", fixable=True, what="Điều cuối kết thúc «. /» thay cho «./.»", seed="004",
           name="body-end-seed-004",
           doc=lambda d: (lambda p: p.runs[-1].__setattr__("text", p.runs[-1].text[:-3] + ". /"))(para(d, "Điều 3.")),
           fixed=lambda d: para(d, "Điều 3.").text.endswith("./."))
def body_end_004(): ...


def _can_cu(d) -> list:
    return [p for p in d.paragraphs if p.text.startswith("Căn cứ")]


@departure("CANCU-ITALIC", "qd-hung-yen", fixable=True, what="Dòng căn cứ chữ đứng",
           doc=lambda d: [set_italic(p, False) for p in _can_cu(d)],
           fixed=lambda d: all(italic_of(p) for p in _can_cu(d)))
def cancu_italic(): ...


@departure("CANCU-PUNCT", "qd-hung-yen", fixable=False, what="Một căn cứ kết thúc bằng «,»",
           doc=lambda d: (lambda p: p.runs[-1].__setattr__("text", p.runs[-1].text.rstrip(";") + ","))(_can_cu(d)[1]))
def cancu_punct(): ...


def _letter(d, old: str, new: str) -> None:
    p = para(d, old)
    p.runs[0].text = new + p.runs[0].text[len(old):]


@departure("NUM-DIEM", "qc-hung-yen", fixable=False, what="Điểm «f)» (không có trong bảng chữ cái tiếng Việt)",
           doc=lambda d: _letter(d, "g)", "f)"))
def num_diem(): ...


def _seed_001_letters(d) -> None:
    """Seed 001 as typed: a) b) c) d) e) g) h) i) — the đ skipped."""
    shift = {"đ": "e", "e": "g", "g": "h", "h": "i"}
    for old in ("h)", "g)", "e)", "đ)"):
        p = para(d, old)
        p.runs[0].text = shift[old[0]] + p.runs[0].text[1:]


@departure("NUM-DIEM", "cv-quang-ngai", fixable=False, seed="001", name="num-diem-seed-001",
           what="Điểm a) b) c) d) e) g) h) i): bỏ sót «đ)» (như bản gốc)", doc=_seed_001_letters)
def num_diem_001(): ...


@departure("NUM-SEQ", "qc-hung-yen", fixable=False, what="Điều 3 bị bỏ qua (Điều 2 rồi Điều 5)",
           doc=lambda d: _letter(d, "Điều 3.", "Điều 5."))
def num_seq(): ...


@departure("NUM-STYLE", "qc-hung-yen", fixable=True, what="Dòng «Chương I» không đậm",
           doc=lambda d: set_bold(para(d, "Chương I"), False), fixed=lambda d: bold_of(para(d, "Chương I")))
def num_style(): ...


@departure("NUM-STYLE", "kh-quang-ngai", fixable=True, what="Đề mục «II. NỘI DUNG» không đậm", name="num-style-heading",
           doc=lambda d: set_bold(para(d, "II. NỘI DUNG"), False), fixed=lambda d: bold_of(para(d, "II. NỘI DUNG")))
def num_style_heading(): ...


# ------------------------------------------------------------------------ marks (ô 10, 11)


@departure("MARK-TEXT", "gm-quang-ngai", fixable=False, what="Độ khẩn «KHẨN CẤP» (không có trong danh mục)",
           spec=lambda s: replace(s, marks=["KHẨN CẤP"]))
def mark_text(): ...


@departure("MARK-STYLE", "gm-quang-ngai", fixable=True, what="Dấu «KHẨN» không đậm",
           doc=lambda d: set_bold(para(d, "KHẨN"), False), fixed=lambda d: bold_of(para(d, "KHẨN")))
def mark_style(): ...


@departure("MARK-SCOPE", "tb-ha-tinh", fixable=True, what="«Lưu hành nội bộ» chữ thường, không đậm",
           doc=lambda d: (lambda p: (set_text(p, "Lưu hành nội bộ"), set_bold(p, False)))(para(d, "LƯU HÀNH NỘI BỘ")),
           fixed=lambda d: any(p.text == "LƯU HÀNH NỘI BỘ" and bold_of(p) for p in paragraphs(d)))
def mark_scope(): ...


# ------------------------------------------------------------------------ copies, appendices


@departure("COPY-STYLE", "sy-vinh-long", fixable=True, what="«SAO Y» không đậm",
           doc=lambda d: set_bold(para(d, "SAO Y"), False), fixed=lambda d: bold_of(para(d, "SAO Y")))
def copy_style(): ...


@departure("COPY-SO", "sy-vinh-long", fixable=False, what="Bản sao số «05/SAO-SCT» (ký hiệu là SY)",
           doc=lambda d: set_text(para(d, "Số: 05/SY"), "Số: 05/SAO-SCT"))
def copy_so(): ...


@departure("APPX-STYLE", "pl-hung-yen", fixable=True, what="Dòng «(Kèm theo …)» của phụ lục chữ đứng",
           doc=lambda d: set_italic(para(d, "(Kèm theo"), False), fixed=lambda d: italic_of(para(d, "(Kèm theo")))
def appx_style(): ...


# ------------------------------------------------------------------------ the seeds' own figures


@departure("CITE-MISMATCH", "qd-hung-yen", fixable=False, seed="004",
           what="Phụ lục ghi «Quyết định số 335/QĐ-UBND ngày 25 tháng 7 năm 2017» (văn bản là 3355 ngày 27/12/2017)",
           doc=lambda d: set_text(para(d, "(Kèm theo"),
                                  "(Kèm theo Quyết định số 335/QĐ-UBND ngày 25 tháng 7 năm 2017 của UBND tỉnh Hưng Yên)"))
def cite_mismatch(): ...


def _cell(d, row_label: str, col: int, value: str) -> None:
    t = d.tables[-1]
    for row in t.rows:
        if row.cells[0].text.strip() == row_label and (row_label != "1" or "hội nghị" in row.cells[1].text):
            set_text(row.cells[col].paragraphs[0], value)
            return
    raise LookupError(row_label)


@departure("TABLE-TOTAL", "qd-hung-yen", fixable=False, seed="004",
           what="Dòng Tổng cộng năm 2020 ghi 3.696, các mục cộng lại 3.646",
           doc=lambda d: _cell(d, "Tổng cộng", 5, "3.696"))
def table_total(): ...


def _child_row(d) -> None:
    for col, value in ((3, "60"), (6, "160")):
        _cell(d, "1", col, value)


@departure("TABLE-SUBTOTAL", "qd-hung-yen", fixable=False, what="Dòng mục II năm 2018 ghi 100, các dòng con cộng 110",
           doc=_child_row)
def table_subtotal(): ...


@departure("FIGURE-SUM", "ttr-hung-yen", fixable=False, seed="004",
           what="Lời văn ghi năm 2020 là 3.696 triệu đồng: 1.514 + 3.214 + 3.696 ≠ 8.374",
           doc=lambda d: set_text(para(d, "Tổng kinh phí"), para(d, "Tổng kinh phí").text.replace("3.646", "3.696")))
def figure_sum(): ...


@departure("PERIOD-ORDER", "cv-ha-tinh", fixable=False, seed="000", what="«giai đoạn 2021-2020»",
           doc=lambda d: set_text(para(d, "- Nghiên cứu xây dựng"),
                                  para(d, "- Nghiên cứu xây dựng").text.replace("2021-2025", "2021-2020")))
def period_order(): ...


# ------------------------------------------------------------------------ before issuing (point 3)


def _tracked(d) -> None:
    p = body_paras(d)[0]
    ins = parse_xml(f'<w:ins {nsdecls("w")} w:id="901" w:author="Nguyễn Văn Hùng" w:date="2019-12-12T09:00:00Z">'
                    f'<w:r><w:rPr><w:rFonts w:ascii="{B.FONT}" w:hAnsi="{B.FONT}"/><w:sz w:val="28"/></w:rPr>'
                    '<w:t xml:space="preserve"> (bổ sung)</w:t></w:r></w:ins>')
    p._p.append(ins)


@departure("REV-TRACKED", "cv-ha-tinh", fixable=False, what="Còn một thay đổi được theo dõi chưa chấp nhận", doc=_tracked)
def rev_tracked(): ...


def _comment(d) -> None:
    r = body_paras(d)[0].runs[0]
    d.add_comment(r, text="Xem lại số liệu", author="Nguyễn Văn Hùng", initials="NVH")


@departure("REV-COMMENT", "ct-vinh-long", fixable=False, what="Còn một chú thích (Comment)", doc=_comment)
def rev_comment(): ...


def _hidden(d) -> None:
    p = body_paras(d)[0]
    r = B.run(p, " Ghi chú nội bộ: chờ ý kiến Sở Tài chính.", 14)
    r.font.hidden = True


@departure("REV-HIDDEN", "bc-hung-yen", fixable=False, what="Còn một đoạn chữ ẩn", doc=_hidden)
def rev_hidden(): ...


def _author(d) -> None:
    d.core_properties.author = "Nguyễn Văn Hùng - Sở Tài chính Quảng Ngãi"


@departure("REV-AUTHOR", "cv-ha-tinh", fixable=False, what="Tác giả trong thuộc tính tệp là người của cơ quan khác",
           doc=_author)
def rev_author(): ...


def by_rule() -> dict[str, list[Departure]]:
    out: dict[str, list[Departure]] = {}
    for d in DEPARTURES.values():
        out.setdefault(d.rule, []).append(d)
    return out
