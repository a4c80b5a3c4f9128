"""The format's numbers, once: page, margins, and each element's size and spacing.

Every number Nghị định 30/2020 (docs/the-thuc.md#trang-giay-le-phong-chu) sets for the page and for each element of
Phụ lục I, with the value drafter writes beside the range the decree allows. The
template builder writes the written values, the renderer lays out with them, and the
checker accepts the allowed ranges — so what drafter writes cannot fail its own check.

Sizes and spacing are in points, page lengths in millimetres (the decree's units); the
conversion to twips and half-points is :mod:`drafter.oxml`'s.

>>> BODY.pt, BODY.allowed
(14, Range(lo=13, hi=14))
>>> BODY.pt in BODY.allowed
True
>>> MARGINS["top"].value, MARGINS["top"].allowed.lo, MARGINS["top"].allowed.hi
(20, 20, 25)
>>> [(e.name, e.pt) for e in (QUOC_HIEU, TIEU_NGU, SO_KY_HIEU)]
[('quốc hiệu', 12), ('tiêu ngữ', 13), ('số, ký hiệu', 13)]
>>> NOI_NHAN_ITEMS.allowed, 11.5 in NOI_NHAN_ITEMS.allowed
(Range(lo=11, hi=11), False)
>>> SO_KY_HIEU.before, TEN_LOAI.before  # space above, pt
(6, 18)
>>> text_width_mm()
165
"""

from __future__ import annotations

from dataclasses import dataclass
from math import inf

__all__ = [
    "Range", "Setting", "Element", "ELEMENTS", "MARGINS", "PAPER_MM", "text_width_mm",
]


@dataclass(frozen=True)
class Range:
    """Inclusive bounds the format allows."""

    lo: float
    hi: float

    def __contains__(self, value: float) -> bool:
        return self.lo <= value <= self.hi

    def holds(self, value: float, tolerance: float = 0.0) -> bool:
        """Inside, give or take ``tolerance`` (units' rounding: 15 mm is 850 twips = 14.99 mm)."""
        return self.lo - tolerance <= value <= self.hi + tolerance


@dataclass(frozen=True)
class Setting:
    """A page setting: the value drafter writes and the range allowed."""

    value: float
    allowed: Range
    name: str  # in Vietnamese, as messages name it


@dataclass(frozen=True)
class Element:
    """One element of Phụ lục I as drafter sets it."""

    name: str  # in Vietnamese, as the checker's messages name it
    pt: float  # font size drafter writes
    allowed: Range | None  # the format's size range; None where it sets none (drafter's choice)
    before: float = 0  # space above, pt
    after: float = 0  # space below, pt


# --------------------------------------------------------------------------- page

PAPER_MM = (210, 297)  # A4, portrait; landscape only for appendix sections
PAPER_TOLERANCE_MM = 1.0
MARGINS = {  # side: drafter's margin and the format's range, mm
    "top": Setting(20, Range(20, 25), "lề trên"),
    "bottom": Setting(20, Range(20, 25), "lề dưới"),
    "left": Setting(30, Range(30, 35), "lề trái"),
    "right": Setting(15, Range(15, 20), "lề phải"),
}
MARGIN_TOLERANCE_MM = 0.5  # twips rounding: 15 mm is stored as 850 twips = 14.99 mm
HEADER_DISTANCE_MM = 10  # from the page's top edge to the page number
FOOTER_DISTANCE_MM = 10

FONT = "Times New Roman"
SIZE_TOLERANCE_PT = 0.01


def text_width_mm(landscape: bool = False) -> float:
    """Width between the margins drafter writes (portrait 210 − 30 − 15 = 165 mm)."""
    width = PAPER_MM[1] if landscape else PAPER_MM[0]
    return width - MARGINS["left"].value - MARGINS["right"].value


# --------------------------------------------------------------------------- body

BODY = Element("nội dung văn bản", 14, Range(13, 14), after=6)
BODY_AFTER = Setting(BODY.after, Range(6, inf), "khoảng cách giữa các đoạn (pt)")
BODY_LINE = Setting(1.15, Range(1, 1.5), "giãn dòng (lần dòng đơn)")
BODY_INDENT_MM = Setting(12.7, Range(10, 12.7), "thụt đầu dòng (mm)")
CAN_CU = Element("căn cứ", 14, Range(13, 14))
SECTION = Element("đề mục", 14, Range(13, 14))  # I., II., A. … headings: bold body text
# "Phần", "Chương", "Mục" and their number on a line of their own, their title just under
# it (both centred bold, as large as the body; Phụ lục I, mục II.6): air above the pair,
# none between them, the body's space after the title.
CHAPTER = Element("phần, chương", 14, Range(13, 14), before=12)
CHAPTER_TITLE = Element("tên phần, chương", 14, Range(13, 14), after=6)
ARTICLE = Element("điều", 14, Range(13, 14))  # "Điều 1. Phạm vi điều chỉnh": bold body text

# --------------------------------------------------------------------------- header (ô 1–4, 10)

QUOC_HIEU = Element("quốc hiệu", 12, Range(12, 13))
TIEU_NGU = Element("tiêu ngữ", 13, Range(13, 14))
CHU_QUAN = Element("cơ quan chủ quản", 12, Range(12, 13))
ISSUER = Element("tên cơ quan ban hành", 12, Range(12, 13))
SO_KY_HIEU = Element("số, ký hiệu", 13, Range(13, 13), before=6)
DATE_LINE = Element("địa danh, ngày tháng năm", 13, Range(13, 14), before=6)
VV = Element("trích yếu công văn (V/v)", 12, Range(12, 13), before=6)
MARK = Element("độ khẩn, độ mật", 13, Range(13, 14), before=6)
# ô 11, the circulation note ("LƯU HÀNH NỘI BỘ"): capitals, bold, after the signature block
SCOPE = Element("chỉ dẫn phạm vi lưu hành", 13, Range(13, 14), before=12)

# The rule under the issuer's name: 1/3 to 1/2 of its longest line; drafter draws 40%.
ISSUER_RULE = Setting(0.4, Range(1 / 3, 1 / 2), "độ dài đường kẻ dưới tên cơ quan (phần của dòng chữ)")
ISSUER_RULE_MIN_PT = 30  # a one-word issuer still gets a visible rule
MARK_PADDING_PT = 12  # the mark's frame beyond its text, both sides together
# The national block needs room for quốc hiệu, tiêu ngữ and date line each on one line:
# the longest place, "Thành phố Hồ Chí Minh, ngày 28 tháng 12 năm 2026" at 13 pt italic,
# is 98.7 mm; 63% of the text width leaves 100.2 mm inside the cell.
HEADER_RIGHT_SHARE = 0.63

# --------------------------------------------------------------------------- title (ô 5)

TEN_LOAI = Element("tên loại văn bản", 14, Range(13, 14), before=18)
TRICH_YEU = Element("trích yếu", 14, Range(13, 14))
TITLE_RULE_MM = 40  # the short rule under the trích yếu
KEM_THEO = Element("dòng «Ban hành kèm theo»", 14, None)
AUTHORITY_LINE = Element("thẩm quyền ban hành", 14, None, before=12, after=12)  # quyết định
DECISION_WORD = Element("chữ «QUYẾT ĐỊNH:»", 14, None, before=6, after=12)

# --------------------------------------------------------------------------- Kính gửi (ô 9a)

KINH_GUI = Element("Kính gửi", 14, Range(13, 14), before=12, after=BODY.after)
KINH_GUI_LEFT_MM = 20  # "Kính gửi:" indented from the left margin
KINH_GUI_ITEM_LEFT_MM = 35  # recipients one per line, under the name after the colon

# --------------------------------------------------------------------------- signature, Nơi nhận (ô 7, 9b)

AUTHORITY = Element("thẩm quyền, chức vụ người ký", 14, Range(13, 14))
AUTHORITY_FIRST_BEFORE_PT = 12
SIGNER = Element("họ tên người ký", 14, Range(13, 14), before=78)  # room for signature and seal
# An electronic document (render --dien-tu): the blank between title and name holds the
# signature image and the seal at its real size (round seals up to about 40 mm).
SIGNATURE_SPACE_ELECTRONIC_MM = 42
NOI_NHAN = Element("chữ «Nơi nhận:»", 12, Range(12, 12), before=12)
NOI_NHAN_ITEMS = Element("danh sách nơi nhận", 11, Range(11, 11))
SIGN_LEFT_SHARE = 0.45  # Nơi nhận column; the signature takes the rest
# A line of text is about 1.15 times its size high (Times New Roman's ascent and descent,
# single spacing): how drafter estimates the height of the signature block and of
# Nơi nhận lines, to keep the signature whole with the first of them (rules/signature_block).
LINE_HEIGHT_EM = 1.15
NOI_NHAN_MIN_REST = 3  # fewer Nơi nhận lines than this after the signature's row stay in it

# --------------------------------------------------------------------------- pages, appendices

PAGE_NUMBER = Element("số trang", 14, Range(13, 14))
PHU_LUC = Element("chữ «Phụ lục»", 14, Range(14, 14))
PHU_LUC_TITLE = Element("tên phụ lục", 14, None)
DON_VI_TINH = Element("dòng «Đơn vị tính»", 13, None, after=3)
BANG_CHU = Element("dòng «Bằng chữ»", 13, None, before=6)
# Body text is 14 pt; appendix tables are set one or two sizes smaller (written as
# direct run sizes in each cell, not a template style).
TABLE = Element("chữ trong bảng phụ lục", 12, None)

# Drawing paragraphs, not text: a rule is the bottom border of a paragraph this small.
RULE = Element("đường kẻ", 2, None, before=1.5)
RULE_TITLE = Element("đường kẻ dưới trích yếu", 2, None, before=4, after=12)
RULE_LINE = 1 / 6  # the rule paragraph's height, in lines
EMPTY = Element("đoạn trống", 6, None)  # section breaks, an empty signature column

ELEMENTS: dict[str, Element] = {
    "quoc_hieu": QUOC_HIEU, "tieu_ngu": TIEU_NGU, "chu_quan": CHU_QUAN, "issuer": ISSUER,
    "so": SO_KY_HIEU, "date": DATE_LINE, "vv": VV, "mark": MARK,
    "ten_loai": TEN_LOAI, "trich_yeu": TRICH_YEU, "kem_theo": KEM_THEO,
    "authority_line": AUTHORITY_LINE, "decision_word": DECISION_WORD,
    "kinh_gui": KINH_GUI, "body": BODY, "can_cu": CAN_CU, "section": SECTION, "chapter": CHAPTER,
    "chapter_title": CHAPTER_TITLE, "article": ARTICLE,
    "authority": AUTHORITY, "signer": SIGNER, "noi_nhan": NOI_NHAN, "noi_nhan_items": NOI_NHAN_ITEMS,
    "page_number": PAGE_NUMBER, "phu_luc": PHU_LUC, "phu_luc_title": PHU_LUC_TITLE,
    "don_vi_tinh": DON_VI_TINH, "bang_chu": BANG_CHU,
    "rule": RULE, "rule_title": RULE_TITLE, "empty": EMPTY,
}
