"""Finding the elements of Phụ lục I in any .docx, by their TEXT and POSITION.

Documents come laid out every way: drafter's two-column header table, a header typed
with tabs (``ỦY BAN NHÂN DÂN⇥CỘNG HÒA XÃ HỘI…``), frames and text boxes, plain
stacked paragraphs, several lines in one paragraph joined by line breaks. So the unit
here is a :class:`Segment`: one line of one paragraph (split at ``w:br``), cut at
tabs, with the runs that make it up (for style checks) and an estimated horizontal
position — "left" or "right" (the issuer or the national column, from the table
cell, the tab stop side, the frame or the indentation), "center" or "full".

:func:`locate` then recognises, in reading order:

* quốc hiệu (spaces and case normalised; near misses kept and classified: wrong
  case, old-style tone placement "HOÀ", misspellings), tiêu ngữ;
* issuer lines (CAPS lines on the left before the số line), số ký hiệu (``Số:``),
  the date line (``…, ngày … tháng … năm …``);
* tên loại (a known type name in CAPS alone on a line) and its trích yếu, or for a
  công văn the trích yếu lines under the số;
* Kính gửi and its items, the body, the Nơi nhận block, the authority lines
  (``TM.``/``KT.``/… and the title) with the signer's name;
* the ``(Ban hành) kèm theo …`` lines, and the blocks of documents issued together
  (a programme after its quyết định repeats the header: each repeat starts a block).

Nothing here judges; :mod:`drafter.check.rules` does.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property

from drafter.rules import doctypes, document_kind
from drafter.rules import marks as mark_rules

from .model import Location
from .reader import DocView, Paragraph, RunProps

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

DASHES = "-–—‒―−"
_DASH_ITEM = re.compile(rf"^[{DASHES}+•]")

# Twips of left indentation beyond which a lone paragraph sits in the right half.
_RIGHT_INDENT = 3500


# ------------------------------------------------------------------------ text helpers


def norm(text: str) -> str:
    """NFC, no-break spaces as spaces, whitespace collapsed, stripped."""
    text = unicodedata.normalize("NFC", text or "").replace("\u00a0", " ")
    return " ".join(text.split())


class _WithoutMarks(dict):
    """``str.translate``'s table dropping every combining character (``None``) and
    keeping the rest, filled as characters are met (a table of all of Unicode would be
    built for nothing): ``unicodedata.combining`` asked once per character, not per use."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d): for recognising near misses.

    >>> fold("  Cộng hòa   XÃ HỘI ")
    'cong hoa xa hoi'
    >>> fold("Độc lập - Tự do - Hạnh phúc")
    'doc lap - tu do - hanh phuc'
    """
    decomposed = unicodedata.normalize("NFD", norm(text).replace("đ", "d").replace("Đ", "D"))
    return decomposed.translate(_WITHOUT_MARKS).lower()


def is_caps(text: str) -> bool:
    """Has letters and none of them lower case."""
    return any(c.isalpha() for c in text) and text == text.upper()


# Old-style tone placement ("hoà", "thuỷ") written the new way ("hòa", "thủy").
_OLD_TONES = {
    "OÀ": "ÒA", "OÁ": "ÓA", "OẢ": "ỎA", "OÃ": "ÕA", "OẠ": "ỌA",
    "OÈ": "ÒE", "OÉ": "ÓE", "OẺ": "ỎE", "OẼ": "ÕE", "OẸ": "ỌE",
    "UỲ": "ÙY", "UÝ": "ÚY", "UỶ": "ỦY", "UỸ": "ŨY", "UỴ": "ỤY",
}
_OLD_TONE_RE = re.compile(r"(" + "|".join(_OLD_TONES) + r")(?=$|[^A-ZÀ-Ỹ])", re.IGNORECASE)


def new_style_tones(text: str) -> str:
    """`HOÀ` → `HÒA`, `thuỷ` → `thủy` (word-final oa/oe/uy only, as the rules go)."""

    def sub(m: re.Match) -> str:
        old = m.group(1)
        new = _OLD_TONES[old.upper()]
        return new if old.isupper() else new.lower() if old.islower() else new[0] + new[1:].lower()

    return _OLD_TONE_RE.sub(sub, text)


# ------------------------------------------------------------------------ segments


@dataclass
class Segment:
    """One tab-separated piece of one line of a paragraph."""

    para: Paragraph
    line: int
    seg: int
    nsegs: int
    lead_tabs: int
    raw: str
    chunks: list[tuple[str, RunProps]]
    order: int = 0  # position in the document's segment list
    tab_index: int = 0  # tabs before this piece on its line
    tab_side: str | None = None  # "left"/"center"/"right" from the paragraph's tab stops

    @cached_property
    def text(self) -> str:  # read many times by every recogniser and rule: normalised once
        return norm(self.raw)

    @property
    def position(self) -> str:
        p = self.para
        if p.table is not None and (p.ncols or 1) >= 2:
            if p.col == 0:
                return "left"
            return "right" if p.col == (p.ncols or 1) - 1 else "center"
        if self.tab_side is not None:
            return self.tab_side
        if self.nsegs >= 2:
            if self.seg == 0 and self.lead_tabs == 0:
                return "left"
            return "right" if self.seg == self.nsegs - 1 else "center"
        if self.lead_tabs:
            return "right"
        if p.framed:
            if p.frame_x_align in ("left", "right", "center"):
                return p.frame_x_align
            if p.frame_x is not None:
                return "right" if p.frame_x > _RIGHT_INDENT else "left"
        if p.container == "textbox":
            return "unknown"
        if p.align == "right" or p.ind_left > _RIGHT_INDENT:
            return "right"
        if p.align == "center":
            return "center"
        return "full"

    def _visible(self) -> list[tuple[str, RunProps]]:
        return [(t, pr) for t, pr in self.chunks if t.strip().replace("\u00a0", "")]

    @property
    def bold(self) -> bool:
        vis = self._visible()
        return bool(vis) and all(pr.bold for _, pr in vis)

    @property
    def italic(self) -> bool:
        vis = self._visible()
        return bool(vis) and all(pr.italic for _, pr in vis)

    @property
    def any_italic(self) -> bool:
        return any(pr.italic for _, pr in self._visible())

    @property
    def sizes(self) -> set[float]:
        return {pr.size for _, pr in self._visible()}

    @property
    def props(self) -> list[RunProps]:
        return [pr for _, pr in self._visible()]

    def location(self) -> Location:
        p = self.para
        if p.table is not None:
            return Location("cell", p.index, self.text, p.table, p.row, p.col)
        return Location("paragraph", p.index, self.text)

    def same_cell(self, other: "Segment") -> bool:
        a, b = self.para, other.para
        return a.table is not None and (a.table, a.row, a.col) == (b.table, b.row, b.col)


def segments_of(para: Paragraph) -> list[Segment]:
    """Split a paragraph at line breaks and tabs, keeping each piece's run properties."""
    lines: list[list[list[tuple[str, RunProps]]]] = [[[]]]
    for run in para.runs:
        for piece in re.split(r"(\n|\t)", run.text):
            if piece == "\n":
                lines.append([[]])
            elif piece == "\t":
                lines[-1].append([])
            elif piece:
                lines[-1][-1].append((piece, run.props))
    out: list[Segment] = []
    for li, pieces in enumerate(lines):
        lead = 0
        for pc in pieces:
            if "".join(t for t, _ in pc).strip():
                break
            lead += 1
        real = [pc for pc in pieces if "".join(t for t, _ in pc).replace("\u00a0", " ").strip()]
        for si, pc in enumerate(real):
            out.append(Segment(para, li, si, len(real), lead if si == 0 else 0,
                               "".join(t for t, _ in pc), pc, tab_index=_index_of(pieces, pc)))
    return out


def _index_of(pieces: list, piece: list) -> int:
    return next(i for i, pc in enumerate(pieces) if pc is piece)


def tab_side(stops: tuple[tuple[int, str], ...], index: int, width: int) -> str | None:
    """Where the text after the `index`-th tab sits, from the paragraph's tab stops and the
    width of the text area (twips): "left", "center" or "right"; None when the stops do
    not say (no custom stops, or more tabs than stops). Word sends the n-th tab of a
    short line to the n-th stop; a centre stop centres the text on it.

    >>> tab_side(((1928, "center"), (6605, "center")), 1, 9354), tab_side(((1928, "center"), (6605, "center")), 2, 9354)
    ('left', 'right')
    >>> tab_side(((7087, "left"),), 1, 9354), tab_side(((4677, "center"),), 1, 9354), tab_side((), 1, 9354)
    ('right', 'center', None)
    """
    stops = [(pos, kind) for pos, kind in stops if kind != "bar"]
    if index < 1 or index > len(stops) or width <= 0:
        return None
    pos, _kind = stops[index - 1]
    if pos < width * 0.4:
        return "left"
    if pos > width * 0.6:
        return "right"
    return "center"


# ------------------------------------------------------------------------ results


@dataclass
class QuocHieu:
    """A paragraph read as the quốc hiệu, and how close it is (exact, case, …)."""

    seg: Segment
    kind: str  # "exact", "case", "old_accent", "near"


@dataclass
class Item:
    """A Kính gửi or Nơi nhận item: its lines joined (an item may wrap onto lines)."""

    segs: list[Segment]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)


@dataclass
class SignatureBlock:
    """The signer's lines: authority and title, then the name."""

    authority: list[Segment]  # TM./KT./… lines and the title, top to bottom
    signer: Segment | None


@dataclass
class Block:
    """One document of the file: the main one, or one issued with it (Mẫu 1.3)."""

    start: int  # first segment order
    end: int  # last segment order (inclusive)
    header_end: int = -1
    body: list[Segment] = field(default_factory=list)
    signatures: list[SignatureBlock] = field(default_factory=list)


@dataclass
class Layout:
    """Where each element of the format was found in the document."""

    doc: DocView
    segments: list[Segment]
    quoc_hieu: list[QuocHieu] = field(default_factory=list)
    tieu_ngu: list[Segment] = field(default_factory=list)
    issuer: list[Segment] = field(default_factory=list)
    so: Segment | None = None
    date: Segment | None = None
    date_value: dt.date | None = None
    date_year: int | None = None
    ten_loai: Segment | None = None
    doc_type: doctypes.DocType | None = None
    ten_loai_all: list[tuple[Segment, doctypes.DocType]] = field(default_factory=list)
    trich_yeu: Segment | None = None
    vv: list[Segment] = field(default_factory=list)
    kinh_gui: Segment | None = None
    kinh_gui_items: list[Item] = field(default_factory=list)
    noi_nhan: Segment | None = None
    noi_nhan_items: list[Item] = field(default_factory=list)
    signatures: list[SignatureBlock] = field(default_factory=list)
    kem_theo: list[Segment] = field(default_factory=list)
    decision_word: Segment | None = None
    authority_line: Segment | None = None  # quyết định: "ỦY BAN NHÂN DÂN TỈNH …"
    can_cu: list[Segment] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    # What the file is (drafter.rules.document_kind): "administrative", "copy",
    # "appendix" or "party"; for a copy, `copy` is the copy's own block at the end
    # (its segments numbered from 0 in its own Layout) and `copy_form` its SAO Y line.
    kind: str = document_kind.ADMINISTRATIVE
    copy: "Layout | None" = None
    copy_form: Segment | None = None
    party_header: Segment | None = None
    appendix_heading: Segment | None = None
    # Signals of two different types, for the checker to report: (rule id, Vietnamese
    # description, where): "TL-TWO" two type headings, "TYPE-CONFLICT" a quyết định
    # with the công văn's V/v or Kính gửi.
    type_conflicts: list[tuple[str, str, Segment]] = field(default_factory=list)
    attached: bool = False  # issued with a quyết định (Mẫu 1.3): no số, no Nơi nhận of its own

    @property
    def is_administrative(self) -> bool:
        return bool(self.quoc_hieu or self.so or self.date)

    @property
    def symbol(self) -> str | None:
        """The ký hiệu after the slash of the số line (`QĐ-UBND`), if any."""
        if self.so is None or "/" not in self.so.text:
            return None
        return self.so.text.split("/", 1)[1].strip()

    @property
    def is_cong_van(self) -> bool:
        if self.doc_type is not None:
            return False
        sym = self.symbol
        if sym:
            first = sym.split("-")[0].strip()
            if first in doctypes.ABBREVIATIONS or first in doctypes.COPY_ABBREVIATIONS:
                return False
        return bool(self.so or self.vv)

    @property
    def body(self) -> list[Segment]:
        return self.blocks[0].body if self.blocks else []

    def all_body(self) -> list[Segment]:
        return [s for b in self.blocks for s in b.body]


# ------------------------------------------------------------------------ recognisers

_TIEU_NGU_FOLD = re.compile(rf"^doc\s*lap\s*[{DASHES}]*\s*tu\s*do\s*[{DASHES}]*\s*hanh\s*phuc\s*[.!]?$")
_SO = re.compile(r"^S[ốỐ]\s*:")
_SO_NO_COLON = re.compile(r"^S[ốỐ]\s+[\d ]*/\s*[A-ZĐ]")
_DATE = re.compile(r"^[^,\d]{2,60},\s*ngày\b", re.IGNORECASE)
_DATE_PARTS = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
_YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
_KINH_GUI = re.compile(r"^Kính\s+gửi\b", re.IGNORECASE)
_NOI_NHAN = re.compile(r"^Nơi\s+nhận\b\s*:?", re.IGNORECASE)
_AUTHORITY = re.compile(r"^(T/M|K/T|T/L|TM|KT|TL|TUQ|Q)(\.|\s|$)")
_DECISION = re.compile(r"^(QUYẾT ĐỊNH|QUYẾT NGHỊ)\s*:?$")
_KEM_THEO = re.compile(r"^\(?\s*(Ban hành\s+)?kèm theo\b", re.IGNORECASE)
_MARKS = {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HOẢ TỐC", "MẬT", "TỐI MẬT", "TUYỆT MẬT"}


def is_mark(text: str) -> bool:
    """An urgency, secrecy or circulation mark, as typed (any case): rules/marks."""
    return text in _MARKS or mark_rules.classify(text) is not None
_CAN_CU = re.compile(r"^(Căn cứ|Theo đề nghị|Xét đề nghị|Theo đề xuất|Xét)\b")

_TYPE_NAMES = {t.caps_name: t for t in doctypes.TYPES if t.has_type_name}
_QH_FOLD = fold(QUOC_HIEU)


@cache
def _qh_matcher():
    """The quốc hiệu's side (seq2) indexed once, the first time a text is near enough
    in length to be compared (difflib is no part of checking a well-formed document)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, "", _QH_FOLD)


def classify_quoc_hieu(text: str) -> str | None:
    t = norm(text)
    if t == QUOC_HIEU:
        return "exact"
    up = t.upper()
    if up == QUOC_HIEU:
        return "case"
    if new_style_tones(up) == QUOC_HIEU:
        return "old_accent"
    if not 24 <= len(t) <= 46:
        return None
    f = fold(t)
    if f == _QH_FOLD:
        return "near"
    # ratio() <= quick_ratio() <= real_quick_ratio(): the cheap bounds decide most texts
    sm = _qh_matcher()
    sm.set_seq1(f)  # the quốc hiệu's side (seq2) is indexed once, not per paragraph
    if sm.real_quick_ratio() >= 0.86 and sm.quick_ratio() >= 0.86 and sm.ratio() >= 0.86:
        return "near"
    return None


def is_tieu_ngu(text: str) -> bool:
    return bool(_TIEU_NGU_FOLD.match(fold(text)))


def parse_date_line(text: str) -> tuple[dt.date | None, int | None]:
    t = norm(text)
    m = _DATE_PARTS.search(t)
    if m:
        try:
            d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            return d, d.year
        except ValueError:
            return None, int(m.group("y"))
    y = _YEAR.search(t)
    return None, int(y.group(1)) if y else None


def is_name(text: str) -> bool:
    """A person's name in normal case: 2-7 capitalised words, no digits or colon."""
    words = text.split()
    if not 2 <= len(words) <= 7 or any(c.isdigit() for c in text) or text.endswith((":", ";", ".")):
        return False
    if is_caps(text):
        return False
    return all(w[0].isupper() for w in words if w[0].isalpha())


def _is_dash_item(text: str) -> bool:
    return bool(_DASH_ITEM.match(text))


# ------------------------------------------------------------------------ locate


def locate(doc: DocView) -> Layout:
    segs: list[Segment] = []
    widths = [_text_width(sec) for sec in doc.sections]
    for para in doc.paragraphs:
        for s in segments_of(para):
            s.order = len(segs)
            segs.append(s)
            if para.tab_stops and s.tab_index and para.table is None:
                width = widths[min(para.section, len(widths) - 1)] if widths else _A4_TEXT
                s.tab_side = tab_side(para.tab_stops, s.tab_index, width - para.ind_left)
                if s.tab_side is not None and s.nsegs >= 2 and s.seg == 0 and s.tab_side == "center":
                    s.tab_side = "left"  # the first of two columns
    at = _copy_form_at(segs)
    if at is None:
        lay = _locate(doc, segs)
        _kind(lay)
        return lay
    start = _copy_start(segs, at)
    lay = _locate(doc, segs[:start])
    tail = segs[start:]
    for i, s in enumerate(tail):
        s.order = i
    lay.copy = _locate(doc, tail)
    lay.copy.kind = lay.kind = document_kind.COPY
    lay.copy_form = lay.copy.copy_form = segs[at]
    return lay


_A4_TEXT = 9354  # twips of text width on A4 with 30 and 15 mm margins


def _text_width(sec) -> int:
    left, right = sec.margins.get("left"), sec.margins.get("right")
    if sec.page_w_mm is None or left is None or right is None:
        return _A4_TEXT
    return int((sec.page_w_mm - left - right) * 1440 / 25.4)


def _copy_form_at(segs: list[Segment]) -> int | None:
    """The SAO Y / SAO LỤC / TRÍCH SAO line of a copy's block: alone on its line, with a
    số line (or the date line) right after it. The last one: a sao lục made from a sao y
    carries the sao y's block inside its copied text, and its own block at the end."""
    found = None
    for i, s in enumerate(segs):
        if len(s.raw) < 40 and s.nsegs == 1 and len(s.text) < 20 and document_kind.copy_form(s.text):
            after = segs[i + 1: i + 5]
            if any(_SO.match(x.text) or _SO_NO_COLON.match(x.text) or _DATE.match(x.text) for x in after):
                found = i
    return found


def _copy_start(segs: list[Segment], at: int) -> int:
    """The first segment of the copy's block: its table, or the agency lines above the form."""
    form = segs[at]
    if form.para.table is not None:
        return min(s.order for s in segs if s.para.table == form.para.table)
    start = at
    while start > 0 and at - start < 3:
        prev = segs[start - 1]
        if is_caps(prev.text) and len(prev.text) < 80 and prev.position != "right":
            start -= 1
        else:
            break
    return start


def _kind(lay: Layout) -> None:
    """Party document or standalone appendix (a copy is recognised in :func:`locate`)."""
    segs = lay.segments
    if lay.quoc_hieu:
        return
    for s in segs[:12]:
        if document_kind.is_party_header(s.text):
            lay.kind, lay.party_header = document_kind.PARTY, s
            return
    texts = [s.text for s in segs[:4]]
    if document_kind.kind(texts, has_quoc_hieu=False) == document_kind.APPENDIX:
        lay.kind, lay.appendix_heading = document_kind.APPENDIX, segs[0]


def _locate(doc: DocView, segs: list[Segment]) -> Layout:
    lay = Layout(doc, segs)

    for s in segs:
        kind = classify_quoc_hieu(s.text)
        if kind:
            lay.quoc_hieu.append(QuocHieu(s, kind))
        elif is_tieu_ngu(s.text):
            lay.tieu_ngu.append(s)

    window = segs[:60]
    for s in window:
        if lay.so is None and (_SO.match(s.text) or _SO_NO_COLON.match(s.text)):
            lay.so = s
        if lay.date is None and _DATE.match(s.text) and re.search(r"tháng|năm", s.text, re.I):
            lay.date = s
    if lay.date is not None:
        lay.date_value, lay.date_year = parse_date_line(lay.date.text)

    _blocks(lay)
    _header(lay)
    _kinh_gui(lay)
    _noi_nhan(lay)
    _signatures(lay)
    _bodies(lay)
    lay.kem_theo = [s for s in segs if _KEM_THEO.match(s.text) and len(s.text) < 400]
    # Mẫu 1.3 in a file of its own: a document issued with a quyết định (no số, a
    # "(Ban hành kèm theo …)" line under its name) has no Nơi nhận of its own.
    lay.attached = lay.so is None and lay.ten_loai is not None and any(
        lay.ten_loai.order < s.order <= lay.ten_loai.order + 4 for s in lay.kem_theo)
    _type_conflicts(lay)
    return lay


def _type_conflicts(lay: Layout) -> None:
    """Signals of two types in the main document: two different type headings before
    its signature, or a type with a heading that also has the công văn's V/v line or
    (for a quyết định and its kin) a Kính gửi."""
    if not lay.blocks or lay.ten_loai is None or lay.doc_type is None:
        return
    main = lay.blocks[0]
    stop = min([x.authority[0].order for x in main.signatures]
               + ([lay.noi_nhan.order] if lay.noi_nhan is not None else []) + [main.end + 1])
    name = lay.doc_type.caps_name
    for s, t in lay.ten_loai_all:
        if s is not lay.ten_loai and s.order < stop and t.caps_name != name \
                and s.position in ("center", "full", "unknown") and s.bold:
            lay.type_conflicts.append(
                ("TL-TWO", f"Văn bản có hai tên loại: «{name}» và «{t.caps_name}». Một văn bản chỉ có một tên loại; "
                 "nếu đây là văn bản ban hành kèm theo thì phải lặp lại phần đầu (Mẫu 1.3).", s))
            break
    for s in lay.segments[: main.header_end + 8]:
        if re.match(r"^V/v\b", s.text) and s.order < stop:
            lay.type_conflicts.append(
                ("TYPE-CONFLICT", f"Văn bản có tên loại «{name}» nhưng lại có dòng «V/v …» của công văn: "
                 "xem lại đây là công văn hay " + lay.doc_type.name.lower() + ".", s))
            break
    if lay.kinh_gui is not None and lay.doc_type.layout == "quyet-dinh":
        lay.type_conflicts.append(
            ("TYPE-CONFLICT", f"{lay.doc_type.name} không có «Kính gửi» (chỉ công văn, tờ trình, báo cáo… gửi lên có): "
             "xem lại đây là công văn hay " + lay.doc_type.name.lower() + ".", lay.kinh_gui))


def _block_start(lay: Layout, qh: Segment) -> int:
    """Where the header holding this quốc hiệu begins (its table, or issuer lines above)."""
    if qh.para.table is not None:
        return min(s.order for s in lay.segments if s.para.table == qh.para.table)
    start = qh.order
    while start > 0:
        prev = lay.segments[start - 1]
        if is_caps(prev.text) and len(prev.text) < 80 and prev.position != "right":
            start -= 1
        else:
            break
    return start


def _blocks(lay: Layout) -> None:
    starts = [0]
    for qh in lay.quoc_hieu[1:]:
        st = _block_start(lay, qh.seg)
        if st > starts[-1]:
            starts.append(st)
    ends = [s - 1 for s in starts[1:]] + [len(lay.segments) - 1]
    lay.blocks = [Block(a, b) for a, b in zip(starts, ends)]


def _header(lay: Layout) -> None:
    segs = lay.segments
    main = lay.blocks[0] if lay.blocks else Block(0, len(segs) - 1)
    marks = {id(q.seg) for q in lay.quoc_hieu} | {id(t) for t in lay.tieu_ngu}
    anchor = lay.so or lay.date
    header_end = max([s.order for s in (lay.so, lay.date) if s is not None]
                     + [q.seg.order for q in lay.quoc_hieu[:1]]
                     + [t.order for t in lay.tieu_ngu[:1] if t.order < main.end], default=-1)

    # Issuer lines: CAPS, not on the right, above the số line (or the date line).
    limit = anchor.order if anchor is not None else (
        lay.quoc_hieu[0].seg.order + 3 if lay.quoc_hieu else -1)
    so_cell = lay.so.para if lay.so is not None and lay.so.para.table is not None else None
    for s in segs[: max(limit, 0)]:
        if id(s) in marks or is_mark(s.text) or _SO.match(s.text) or len(s.text) > 90:
            continue
        if document_kind.copy_form(s.text):
            if lay.copy_form is None:
                lay.copy_form = s  # the form of a copy, never an agency name
            continue
        if anchor is None and s.text in _TYPE_NAMES and s.nsegs == 1:
            break  # Mẫu 1.3 (no số, no date): the tên loại ends the header, never an agency
        if so_cell is not None and s.para.table == so_cell.table:
            # Drafter's layout and its kin: everything above the số in its column.
            if s.para.col == so_cell.col:
                lay.issuer.append(s)
            continue
        if s.position == "right" or not is_caps(s.text):
            continue
        lay.issuer.append(s)
    if lay.issuer:
        header_end = max(header_end, lay.issuer[-1].order)

    # The whole header table belongs to the header.
    for s in (lay.so, lay.date, *(q.seg for q in lay.quoc_hieu[:1])):
        if s is not None and s.para.table is not None:
            header_end = max(header_end, max(x.order for x in segs if x.para.table == s.para.table))

    # Tên loại: a known type name in CAPS alone on a line, right after the header.
    for s in segs:
        t = _TYPE_NAMES.get(s.text)
        if t is not None and is_caps(s.text) and s.nsegs == 1:
            lay.ten_loai_all.append((s, t))
    for s, t in lay.ten_loai_all:
        if header_end < s.order <= header_end + 3 and s.order <= main.end:
            lay.ten_loai, lay.doc_type = s, t
            break
    if lay.ten_loai is not None:
        header_end = lay.ten_loai.order
        nxt = segs[header_end + 1] if header_end + 1 < len(segs) else None
        if nxt is not None and not _KINH_GUI.match(nxt.text) and nxt.order <= main.end:
            lay.trich_yeu = nxt
            header_end = nxt.order
            # Its later lines when a line break splits the paragraph (drafter's balanced titles).
            while header_end + 1 < len(segs) and segs[header_end + 1].para is nxt.para:
                header_end += 1
            # A long trích yếu may wrap onto a second centred bold line.
            nn = segs[header_end + 1] if header_end + 1 < len(segs) else None
            if (nn is not None and nn.para is not nxt.para and nn.bold and nxt.bold
                    and nn.para.align == "center" and not is_caps(nn.text)
                    and not _KEM_THEO.match(nn.text)):
                header_end = nn.order
    elif lay.is_cong_van and lay.so is not None:
        _vv(lay)
        if lay.vv:
            header_end = max(header_end, lay.vv[-1].order)
    main.header_end = header_end

    # The other blocks: header ends at their tên loại / trích yếu / kèm theo line.
    for b in lay.blocks[1:]:
        end = b.start
        for s in segs[b.start: b.end + 1]:
            if s.para.table is not None and s.para.table == segs[b.start].para.table:
                end = s.order
        for s, _t in lay.ten_loai_all:
            if end < s.order <= end + 3:
                end = s.order
                for x in segs[end + 1: min(end + 5, b.end + 1)]:
                    if _KEM_THEO.match(x.text) or (x.bold and x.para.align == "center"):
                        end = x.order
                    else:
                        break
                break
        b.header_end = end


def _vv(lay: Layout) -> None:
    """Trích yếu of a công văn: the lines under the số line, left, before Kính gửi/body."""
    so = lay.so
    assert so is not None
    if so.para.table is not None:
        cands = [s for s in lay.segments[so.order + 1:] if s.same_cell(so)]
    else:
        cands = []
        for s in lay.segments[so.order + 1: so.order + 10]:
            if s is lay.date:
                continue
            if s.position == "right":
                # A tab layout wraps a long V/v onto a line tabbed in under the first:
                # the same paragraph (a line break) or the next, same size, alone.
                last = cands[-1] if cands else None
                if (last is not None and s.nsegs == 1 and (s.para is last.para or s.lead_tabs)
                        and s.sizes == last.sizes and not _DATE.match(s.text) and len(s.text) < 120
                        and not is_caps(s.text) and re.match(r"^V/v\b", cands[0].text)):
                    cands.append(s)
                continue
            if _KINH_GUI.match(s.text) or len(s.text) > 120 or classify_quoc_hieu(s.text):
                break
            if s.para.align == "both" and s.para.ind_first > 0:
                break
            cands.append(s)
    cands = [s for s in cands if s is not lay.date and not is_mark(s.text)]
    lines: list[Segment] = []
    total = 0
    for s in cands:
        total += len(s.text)
        if total > 400 or len(lines) >= 8:
            break
        lines.append(s)
    lay.vv = lines


def _body_like(s: Segment) -> bool:
    """A justified paragraph with a first-line indent: the body, not a list line."""
    return s.para.align in ("both", "distribute") and s.para.ind_first > 0


def _items_after(lay: Layout, label: Segment, *, stop_at_authority: bool) -> list[Item]:
    """The list under a "Kính gửi:" / "Nơi nhận:" label. A line that forgot its dash
    is still an item when the previous one ended with ";" (for the checker to say so);
    a line after an item with no end punctuation continues it (a wrapped item)."""
    items: list[Item] = []
    segs = lay.segments
    if label.para.table is not None:
        # the same column, this row and the rows below it (a long list continued in a
        # row of its own, which may run onto the next page: rules/signature_block)
        lp = label.para
        follow = [s for s in segs[label.order + 1:] if s.para.table is not None
                  and (s.para.table, s.para.col) == (lp.table, lp.col) and s.para.row >= lp.row]
        for s in follow:
            if _is_dash_item(s.text) or not items or items[-1].text.rstrip().endswith((";", ".")):
                items.append(Item([s]))
            else:
                items[-1].segs.append(s)
        return items
    for s in segs[label.order + 1:]:
        if s.position == "right" and s.nsegs >= 2:
            continue  # the other column of a tab layout (authority lines)
        if stop_at_authority and _AUTHORITY.match(s.text) and s.position in ("right", "center"):
            break
        plain = len(s.text) < 200 and s.position != "right" and not _body_like(s) \
            and not _NOI_NHAN.match(s.text)
        if _is_dash_item(s.text):
            items.append(Item([s]))
        elif not items:
            if not plain:
                break
            items.append(Item([s]))
        elif items[-1].text.rstrip().endswith(";") and plain:
            items.append(Item([s]))
        elif not items[-1].text.rstrip().endswith((";", ".")) and plain:
            items[-1].segs.append(s)
        else:
            break
    return items


def _kinh_gui(lay: Layout) -> None:
    main = lay.blocks[0] if lay.blocks else None
    for s in lay.segments[: (main.end + 1) if main else None]:
        if _NOI_NHAN.match(s.text):
            break
        if _KINH_GUI.match(s.text):
            lay.kinh_gui = s
            rest = s.text.split(":", 1)[1].strip() if ":" in s.text else ""
            if not rest:
                lay.kinh_gui_items = _items_after(lay, s, stop_at_authority=False)
            return


def _noi_nhan(lay: Layout) -> None:
    for s in lay.segments:
        if _NOI_NHAN.match(s.text) and s.order > lay.blocks[0].header_end:
            lay.noi_nhan = s
            rest = s.text.split(":", 1)[1].strip() if ":" in s.text else ""
            if rest:
                return
            lay.noi_nhan_items = _items_after(lay, s, stop_at_authority=True)
            return


def _sig_from(lay: Layout, first: Segment, used: set[int]) -> SignatureBlock:
    """Authority lines from `first` on (same container), then the signer's name."""
    authority = [first]
    used.add(first.order)
    signer = None
    for s in lay.segments[first.order + 1: first.order + 12]:
        if first.para.table is not None and not s.same_cell(first):
            continue
        if first.para.table is None and s.para.table is not None:
            break
        if first.para.table is None and first.position != s.position and s.position == "left":
            continue  # the Nơi nhận column of a tab layout
        if _NOI_NHAN.match(s.text) or _is_dash_item(s.text):
            continue
        if is_caps(s.text) and len(s.text) < 80 and signer is None:
            authority.append(s)
            used.add(s.order)
            continue
        if is_name(s.text):
            signer = s
            used.add(s.order)
        break
    return SignatureBlock(authority, signer)


def _bare_signature(lay: Layout, start: int, used: set[int]) -> SignatureBlock | None:
    segs = lay.segments
    for s in segs[start + 1:]:
        if s.position not in ("right", "center") or not is_caps(s.text) or len(s.text) >= 80 \
                or s.text in _TYPE_NAMES or _DECISION.match(s.text) or is_mark(s.text) \
                or document_kind.copy_form(s.text) or s.order in used:
            continue
        run = [s]
        for x in segs[s.order + 1: s.order + 6]:
            if x.position != s.position:
                continue
            if is_caps(x.text) and len(x.text) < 80:
                run.append(x)
                continue
            if is_name(x.text):
                for y in run:
                    used.add(y.order)
                used.add(x.order)
                return SignatureBlock(run, x)
            break
    return None


def _signatures(lay: Layout) -> None:
    if not lay.blocks:
        return
    used: set[int] = set()
    start = lay.blocks[0].header_end
    sigs: list[SignatureBlock] = []
    for s in lay.segments[start + 1:]:
        if s.order in used:
            continue
        if _AUTHORITY.match(s.text) and len(s.text) < 80 and s.position != "left" \
                and (is_caps(s.text.split(" ", 1)[0]) or s.text[:3].isupper()):
            sigs.append(_sig_from(lay, s, used))
    # No prefix (the head signs himself): the cell beside Nơi nhận, CAPS lines then a name.
    nn = lay.noi_nhan
    if nn is not None and nn.para.table is not None:
        beside = [s for s in lay.segments if s.para.table == nn.para.table
                  and s.para.row == nn.para.row and s.para.col != nn.para.col]
        if beside and not any(x.authority[0] in beside for x in sigs):
            first = beside[0]
            if is_caps(first.text) and first.order not in used:
                sigs.append(_sig_from(lay, first, used))
    # Plain layouts: CAPS lines on the right/centre right after the body's "./.".
    if not sigs:
        for s in lay.segments[start + 1:]:
            if s.text.endswith("./.") or s.text.endswith("/."):
                nxt = [x for x in lay.segments[s.order + 1: s.order + 4]
                       if not _NOI_NHAN.match(x.text) and x.position in ("right", "center")]
                if nxt and is_caps(nxt[0].text) and len(nxt[0].text) < 80:
                    sigs.append(_sig_from(lay, nxt[0], used))
                break
    # No prefix, no "./." to go by: short CAPS lines on the right or centre after the
    # body, with a person's name a few lines under them (the head signing himself).
    if not sigs:
        sig = _bare_signature(lay, start, used)
        if sig is not None:
            sigs.append(sig)
    sigs.sort(key=lambda b: b.authority[0].order)
    lay.signatures = sigs
    for b in lay.blocks:
        b.signatures = [x for x in sigs if b.start <= x.authority[0].order <= b.end]


def _bodies(lay: Layout) -> None:
    skip: set[int] = set()
    for it in lay.kinh_gui_items + lay.noi_nhan_items:
        skip.update(s.order for s in it.segs)
    for s in (lay.kinh_gui, lay.noi_nhan):
        if s is not None:
            skip.add(s.order)
    for sig in lay.signatures:
        skip.update(s.order for s in sig.authority)
        if sig.signer is not None:
            skip.add(sig.signer.order)
    nn_table = lay.noi_nhan.para.table if lay.noi_nhan is not None else None
    for bi, b in enumerate(lay.blocks):
        stops = [x.authority[0].order for x in b.signatures]
        if bi == 0 and lay.noi_nhan is not None:
            stops.append(lay.noi_nhan.order)
            if nn_table is not None:
                stops.append(min(s.order for s in lay.segments if s.para.table == nn_table))
        stop = min(stops) if stops else b.end + 1
        body = [s for s in lay.segments[b.header_end + 1: stop] if s.order not in skip]
        if b.signatures and b.signatures[0].authority[0].para.table is not None:
            t = b.signatures[0].authority[0].para.table
            body = [s for s in body if s.para.table != t]
        b.body = body
    main = lay.blocks[0].body if lay.blocks else []
    for s in main:
        if _DECISION.match(s.text) and is_caps(s.text):
            lay.decision_word = s
            break
    if lay.decision_word is not None:
        pre = [s for s in main if s.order < lay.decision_word.order]
        if pre and is_caps(pre[0].text):
            lay.authority_line = pre[0]
        lay.can_cu = [s for s in pre if _CAN_CU.match(s.text)]
