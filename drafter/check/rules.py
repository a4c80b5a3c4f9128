"""The checker's rules: each a small pure function of a :class:`Layout`, with an id.

In the spirit of python-stdnum: the facts are data (size ranges, margins, prefixes,
type abbreviations from :mod:`drafter.rules.doctypes`), and each rule is a short
function that reads the located elements and yields :class:`Finding` values. The
formatting rules themselves are not re-implemented here: số ký hiệu, the date line,
Kính gửi / Nơi nhận punctuation, signature authority and the 2025 reform are asked
of the pure modules in :mod:`drafter.rules`, the ones drafter uses to *write*
documents, so a document drafter writes cannot fail them.

Severity: ``error`` for a clear departure from the format (docs/the-thuc.md), ``warning`` where the
recognition is a heuristic or the fact is a probable mistake rather than a rule.

The catalogue with examples is docs/check-rules.md; :data:`RULES` is its source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from drafter.rules import copies, date_line, doctypes, document_kind, recipients, reform2025, signature, so_ky_hieu
from drafter.rules import geometry as G
from drafter.rules.numbers import format_number, parse_number

from .locate import (
    _A4_TEXT,
    QUOC_HIEU,
    TIEU_NGU,
    Item,
    Layout,
    Segment,
    _text_width,
    fold,
    is_caps,
    locate,
    norm,
)
from .model import DOCUMENT, ERROR, INFO, WARNING, Finding, Location
from .reader import Cell, DocView, Table

# ------------------------------------------------------------------------ registry


@dataclass(frozen=True)
class Rule:
    """One rule of the checker: its id, usual severity, title, source and function."""

    id: str
    severity: str  # the usual severity; a rule may report a milder one case by case
    title: str  # what it checks, in Vietnamese (for the catalogue and --list)
    source: str  # the section of docs/the-thuc.md it comes from
    check: Callable[[Layout], Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str, source: str):
    def register(fn: Callable[[Layout], Iterable[Finding]]):
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, title, source, fn)
        return fn

    return register


def _at(rule_id: str, where: Segment | Location, message: str, severity: str | None = None) -> Finding:
    loc = where.location() if isinstance(where, Segment) else where
    return Finding(rule_id, severity or RULES[rule_id].severity, loc, _quotes(message))


def _quotes(message: str) -> str:
    """The rule modules quote with '…' (for YAML users); the checker's messages with «…»."""
    return re.sub(r"(?<![\w])'([^'\n]+)'(?![\w])", r"«\1»", message)


# Findings of one rule that repeat over many paragraphs (a whole body in Arial) are
# shown this many times, then summed up in one more finding.
MAX_REPEATS = 8


def _capped(rule_id: str, findings: list[Finding], what: str) -> list[Finding]:
    if len(findings) <= MAX_REPEATS:
        return findings
    rest = len(findings) - MAX_REPEATS
    return findings[:MAX_REPEATS] + [
        Finding(rule_id, findings[0].severity, DOCUMENT, f"Còn {rest} {what} khác có cùng sai sót này.")
    ]


# ------------------------------------------------------------------------ data

# Page and sizes: drafter.rules.geometry, the numbers drafter also writes with.
FONT = G.FONT

PREFIX_FORMS = {  # how prefixes are mistyped → the right form (signature.PREFIXES)
    "T/M": "TM.", "TM": "TM.", "K/T": "KT.", "KT": "KT.", "T/L": "TL.", "TL": "TL.",
    "TUQ": "TUQ.", "T/UQ": "TUQ.", "Q": "Q.",
}
_PREFIX_HEAD = re.compile(r"^(T/M|K/T|T/L|T/UQ|TUQ|TM|KT|TL|Q)(\.?)(?=\s|$)")


# ------------------------------------------------------------------------ entry points


def is_administrative(lay: Layout) -> bool:
    """A quốc hiệu, or both a số line and a date line: else not ours to judge."""
    return bool(lay.quoc_hieu) or (lay.so is not None and lay.date is not None)


def check_layout(lay: Layout) -> list[Finding]:
    # What the file is (drafter.rules.document_kind) decides which rules apply.
    if lay.kind == document_kind.PARTY:
        return list(RULES["DOC-PARTY"].check(lay))
    if lay.kind == document_kind.APPENDIX:
        return sorted((f for rid in APPENDIX_RULES for f in RULES[rid].check(lay)), key=_order)
    out: list[Finding] = []
    if lay.copy is not None:
        out += [f for rid in COPY_RULES for f in RULES[rid].check(lay)]
        out += [f for rid in COPY_BLOCK_RULES if rid in RULES for f in RULES[rid].check(lay.copy)]
        if not is_administrative(lay):  # only the copy's block is text (the copied pages scanned)
            return sorted(out, key=_order)
    if not is_administrative(lay):
        return list(RULES["NOT-ADMIN"].check(lay))
    for r in RULES.values():
        if r.id not in _KIND_RULES:
            out.extend(r.check(lay))
    if lay.copy_form is not None and document_kind.copy_form(lay.copy_form.text) == "TRÍCH SAO":
        out = [f for f in out if f.rule_id not in EXCERPT_SKIPS]  # an excerpt leaves gaps in the numbering
    return sorted(out, key=_order)


def check_document(doc: DocView) -> list[Finding]:
    """All findings for a document read by :func:`drafter.check.reader.read_docx`."""
    return check_layout(locate(doc))


def _order(f: Finding) -> tuple:
    loc = f.location
    rank = {"section": 0, "paragraph": 1, "cell": 1, "document": 2}[loc.kind]
    return (rank, loc.index if loc.index is not None else 1 << 30)


# ------------------------------------------------------------------------ helpers


def _pt(size: float) -> str:
    return (f"{size:g}").replace(".", ",")


def _size_finding(seg: Segment, element: str) -> Finding | None:
    e = G.ELEMENTS[element]
    bad = sorted(s for s in seg.sizes if not e.allowed.holds(s, G.SIZE_TOLERANCE_PT))
    if not bad:
        return None
    lo, hi, name = e.allowed.lo, e.allowed.hi, e.name
    want = f"{_pt(lo)} pt" if lo == hi else f"{_pt(lo)}–{_pt(hi)} pt"
    found = ", ".join(f"{_pt(s)} pt" for s in bad)
    return _at("FONT-SIZE", seg, f"Cỡ chữ của {name} là {found}; đúng là {want}.")


def _items_segments(items: list[Item]) -> list[Segment]:
    return [s for it in items for s in it.segs]


def _main_body(lay: Layout) -> list[Segment]:
    """Body lines outside tables (appendix tables have their own, smaller size)."""
    return [s for s in lay.all_body() if s.para.table is None]


# ------------------------------------------------------------------------ not administrative


@rule("NOT-ADMIN", WARNING, "Tệp không có dáng văn bản hành chính (không thấy quốc hiệu, số và ngày tháng)",
      "docs/the-thuc.md#cac-thanh-phan-the-thuc")
def not_administrative(lay: Layout) -> Iterator[Finding]:
    if not is_administrative(lay):
        yield _at("NOT-ADMIN", DOCUMENT,
                  "Không nhận ra đây là văn bản hành chính: không thấy quốc hiệu «"
                  f"{QUOC_HIEU}», cũng không thấy cả dòng «Số: …» lẫn dòng ngày tháng. "
                  "drafter check chỉ kiểm tra thể thức văn bản hành chính theo Nghị định 30/2020/NĐ-CP.")


# ------------------------------------------------------------------------ page


@rule("PAGE-SIZE", ERROR, f"Khổ giấy A4 ({G.PAPER_MM[0]} × {G.PAPER_MM[1]} mm)", "docs/the-thuc.md#trang-giay-le-phong-chu")
def page_size(lay: Layout) -> Iterator[Finding]:
    for sec in lay.doc.sections:
        if sec.page_w_mm is None or sec.page_h_mm is None:
            continue
        dims = sorted((sec.page_w_mm, sec.page_h_mm))
        if any(abs(a - b) > G.PAPER_TOLERANCE_MM for a, b in zip(dims, G.PAPER_MM)):
            yield _at("PAGE-SIZE", Location("section", sec.index),
                      f"Khổ giấy {_pt(round(sec.page_w_mm))} × {_pt(round(sec.page_h_mm))} mm; "
                      f"văn bản hành chính dùng khổ A4 ({G.PAPER_MM[0]} × {G.PAPER_MM[1]} mm).")
        elif sec.index == 0 and sec.orientation == "landscape" and lay.kind != document_kind.APPENDIX:
            # (an appendix in a file of its own opens it: landscape when its table is wide)
            yield _at("PAGE-SIZE", Location("section", sec.index),
                      "Trang đầu văn bản đặt khổ ngang; chỉ phụ lục có bảng rộng mới được đặt "
                      "ngang, phần chính đặt khổ dọc.", WARNING)


def _mm_range(side: str) -> str:
    r = G.MARGINS[side].allowed
    return f"{_pt(r.lo)}–{_pt(r.hi)} mm"


@rule("PAGE-MARGIN", ERROR, f"Lề trang: trên, dưới {_mm_range('top')}; trái {_mm_range('left')}; "
                            f"phải {_mm_range('right')}", "docs/the-thuc.md#trang-giay-le-phong-chu")
def page_margins(lay: Layout) -> Iterator[Finding]:
    for sec in lay.doc.sections:
        wrong = []
        for side, m in G.MARGINS.items():
            v = sec.margins.get(side)
            lo, hi, name = m.allowed.lo, m.allowed.hi, m.name
            if v is not None and not m.allowed.holds(v, G.MARGIN_TOLERANCE_MM):
                wrong.append(f"{name} {_pt(round(v, 1))} mm (đúng là {_pt(lo)}–{_pt(hi)} mm)")
        if wrong:
            yield _at("PAGE-MARGIN", Location("section", sec.index), "Lề trang sai: " + "; ".join(wrong) + ".")


@rule("PAGE-NUM-FIRST", ERROR, "Không đánh số trang ở trang đầu", "docs/the-thuc.md#so-trang")
def page_number_first(lay: Layout) -> Iterator[Finding]:
    if not lay.doc.sections:
        return
    first = lay.doc.sections[0]
    header, footer = first.page_parts("first")
    if any(part is not None and part.has_page_field for part in (header, footer)):
        yield _at("PAGE-NUM-FIRST", Location("section", 0),
                  "Trang đầu có số trang; theo Nghị định 30 không đánh số trang thứ nhất "
                  "(trong Word: Bố trí → Đầu trang → «Khác ở trang đầu», Different First Page).")


@rule("PAGE-NUM-PLACE", WARNING, "Số trang ở giữa lề trên (đầu trang), không ở chân trang", "docs/the-thuc.md#so-trang")
def page_number_place(lay: Layout) -> Iterator[Finding]:
    for sec in lay.doc.sections:
        header, footer = sec.page_parts("later")
        if footer is not None and footer.has_page_field and not (header is not None and header.has_page_field):
            yield _at("PAGE-NUM-PLACE", Location("section", sec.index),
                      "Số trang đặt ở chân trang; số trang ghi bằng chữ số Ả Rập, canh giữa "
                      "theo chiều ngang trong phần lề trên của trang.")
            return


# ------------------------------------------------------------------------ fonts


@rule("FONT-NAME", ERROR, "Phông chữ Times New Roman (bộ mã Unicode TCVN 6909:2001)", "docs/the-thuc.md#trang-giay-le-phong-chu")
def font_name(lay: Layout) -> Iterator[Finding]:
    findings: list[Finding] = []
    seen: set[int] = set()
    for seg in lay.segments:
        if seg.para.index in seen:
            continue
        bad = sorted({f for pr in seg.props for slot in ("ascii", "hAnsi")
                      if (f := pr.font(slot)) is not None and f != FONT})
        if bad:
            seen.add(seg.para.index)
            findings.append(_at("FONT-NAME", seg, f"Phông chữ {', '.join(bad)}; văn bản hành chính "
                                                  f"dùng phông {FONT}."))
    yield from _capped("FONT-NAME", findings, "đoạn")


def sized_elements(lay: Layout) -> list[tuple[str, list[Segment]]]:
    """The located elements whose size the format fixes, by their name in rules/geometry
    (the body aside: its paragraphs are sized on their own). `drafter fix` resizes these."""
    return [
        ("quoc_hieu", [q.seg for q in lay.quoc_hieu]),
        ("tieu_ngu", lay.tieu_ngu),
        ("issuer", lay.issuer),
        ("so", [lay.so] if lay.so else []),
        ("date", [lay.date] if lay.date else []),
        ("ten_loai", [lay.ten_loai] if lay.ten_loai else []),
        ("trich_yeu", [lay.trich_yeu] if lay.trich_yeu else []),
        ("vv", lay.vv),
        ("kinh_gui", ([lay.kinh_gui] if lay.kinh_gui else []) + _items_segments(lay.kinh_gui_items)),
        ("noi_nhan", [lay.noi_nhan] if lay.noi_nhan else []),
        ("noi_nhan_items", _items_segments(lay.noi_nhan_items)),
        ("authority", [s for sig in lay.signatures for s in sig.authority]),
        ("signer", [sig.signer for sig in lay.signatures if sig.signer is not None]),
    ]


@rule("FONT-SIZE", ERROR, "Cỡ chữ của từng thành phần thể thức", "docs/the-thuc.md#trang-giay-le-phong-chu")
def font_sizes(lay: Layout) -> Iterator[Finding]:
    for element, segs in sized_elements(lay):
        for seg in segs:
            f = _size_finding(seg, element)
            if f is not None:
                yield f
    body: list[Finding] = []
    seen: set[int] = set()
    for seg in _main_body(lay):
        if seg.para.index in seen:
            continue
        f = _size_finding(seg, "body")
        if f is not None:
            seen.add(seg.para.index)
            body.append(f)
    yield from _capped("FONT-SIZE", body, "đoạn nội dung")


# ------------------------------------------------------------------------ quốc hiệu, tiêu ngữ


@rule("QH-MISSING", ERROR, "Có quốc hiệu và tiêu ngữ", "docs/the-thuc.md#phan-dau-van-ban")
def quoc_hieu_missing(lay: Layout) -> Iterator[Finding]:
    if not lay.quoc_hieu:
        anchor = lay.so or lay.date
        yield _at("QH-MISSING", anchor if anchor is not None else DOCUMENT,
                  f"Thiếu quốc hiệu «{QUOC_HIEU}» ở đầu văn bản.")
    if lay.quoc_hieu and not lay.tieu_ngu:
        yield _at("QH-MISSING", lay.quoc_hieu[0].seg,
                  f"Thiếu tiêu ngữ «{TIEU_NGU}» dưới quốc hiệu.")


_QH_PROBLEMS = {
    "case": "phải viết chữ in hoa",
    "old_accent": "đặt dấu kiểu cũ («HOÀ» thay cho «HÒA»)",
    "near": "viết sai chữ",
}


@rule("QH-TEXT", ERROR, "Chữ của quốc hiệu: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "docs/the-thuc.md#phan-dau-van-ban")
def quoc_hieu_text(lay: Layout) -> Iterator[Finding]:
    for q in lay.quoc_hieu:
        if q.kind != "exact":
            yield _at("QH-TEXT", q.seg, f"Quốc hiệu {_QH_PROBLEMS[q.kind]}; viết đúng là «{QUOC_HIEU}».")


@rule("QH-STYLE", ERROR, "Quốc hiệu chữ in hoa, đứng, đậm", "docs/the-thuc.md#phan-dau-van-ban")
def quoc_hieu_style(lay: Layout) -> Iterator[Finding]:
    for q in lay.quoc_hieu:
        if not q.seg.bold:
            yield _at("QH-STYLE", q.seg, "Quốc hiệu phải in đậm.")
        elif q.seg.any_italic:
            yield _at("QH-STYLE", q.seg, "Quốc hiệu viết chữ đứng, không in nghiêng.")


@rule("TN-TEXT", ERROR, "Chữ của tiêu ngữ: Độc lập - Tự do - Hạnh phúc (gạch nối có cách)", "docs/the-thuc.md#phan-dau-van-ban")
def tieu_ngu_text(lay: Layout) -> Iterator[Finding]:
    for s in lay.tieu_ngu:
        if s.text != TIEU_NGU:
            yield _at("TN-TEXT", s, f"Tiêu ngữ viết đúng là «{TIEU_NGU}»: chỉ viết hoa chữ đầu "
                                    "mỗi cụm từ, giữa các cụm từ là gạch nối (-) có cách chữ.")


@rule("TN-STYLE", ERROR, "Tiêu ngữ chữ thường, đứng, đậm", "docs/the-thuc.md#phan-dau-van-ban")
def tieu_ngu_style(lay: Layout) -> Iterator[Finding]:
    for s in lay.tieu_ngu:
        if not s.bold:
            yield _at("TN-STYLE", s, "Tiêu ngữ phải in đậm.")
        elif s.any_italic:
            yield _at("TN-STYLE", s, "Tiêu ngữ viết chữ đứng, không in nghiêng.")


# ------------------------------------------------------------------------ issuer


@rule("ISSUER-STYLE", ERROR, "Tên cơ quan ban hành chữ in hoa, đậm", "docs/the-thuc.md#phan-dau-van-ban")
def issuer_style(lay: Layout) -> Iterator[Finding]:
    if not lay.issuer:
        return
    for s in lay.issuer:
        if not is_caps(s.text):
            yield _at("ISSUER-STYLE", s, "Tên cơ quan phải viết chữ in hoa.")
    last = lay.issuer[-1]
    if not last.bold:
        yield _at("ISSUER-STYLE", last, "Tên cơ quan ban hành phải in đậm (chỉ tên cơ quan chủ quản, "
                                        "dòng trên, mới không in đậm).")


@rule("DISTRICT-2025", WARNING, "Cơ quan cấp huyện ban hành văn bản sau ngày 01/7/2025", "docs/the-thuc.md#chinh-quyen-hai-cap-tu-2025")
def district_issuer(lay: Layout) -> Iterator[Finding]:
    if not lay.issuer or lay.date_year is None:
        return
    bold = [s.text for s in lay.issuer if s.bold]
    if bold and len(bold) < len(lay.issuer):
        parent = " ".join(s.text for s in lay.issuer if not s.bold)
        issuer = bold
    else:
        parent, issuer = None, [s.text for s in lay.issuer]
    for problem in reform2025.validate(issuer_lines=issuer, parent=parent,
                                       date=lay.date_value, year=lay.date_year):
        yield _at("DISTRICT-2025", lay.issuer[-1], problem.message)


# ------------------------------------------------------------------------ số, ký hiệu

_NUMBER = re.compile(r"^\s*S[ốỐ]\s*:?\s*(?P<rest>.*)$")


def _symbol_parts(line: str) -> tuple[str, str | None]:
    """(number, symbol) of a `Số: 14/CT-UBND` line; symbol None when the slash is missing."""
    m = _NUMBER.match(norm(line))
    rest = m.group("rest").strip() if m else norm(line)
    if "/" not in rest:
        return rest, None
    number, _, sym = rest.partition("/")
    return number.strip(), sym.strip()


@rule("SO-PREFIX", ERROR, "Dòng số ký hiệu bắt đầu bằng «Số:»", "docs/the-thuc.md#so-ky-hieu")
def so_prefix(lay: Layout) -> Iterator[Finding]:
    if lay.so is not None and not lay.so.text.startswith(so_ky_hieu.PREFIX):
        yield _at("SO-PREFIX", lay.so, "Dòng số ký hiệu phải bắt đầu bằng «Số:» (chữ S hoa, có dấu hai chấm).")


@rule("SO-SLASH", ERROR, "Có dấu «/» giữa số và ký hiệu", "docs/the-thuc.md#so-ky-hieu")
def so_slash(lay: Layout) -> Iterator[Finding]:
    if lay.so is None:
        return
    number, sym = _symbol_parts(lay.so.text)
    if sym is None:
        yield _at("SO-SLASH", lay.so, so_ky_hieu.validate_symbol_text(number)[0])


@rule("SO-ZERO", ERROR, "Số nhỏ hơn 10 có số 0 đứng trước", "docs/the-thuc.md#so-ky-hieu")
def so_zero(lay: Layout) -> Iterator[Finding]:
    if lay.so is None:
        return
    number, sym = _symbol_parts(lay.so.text)
    if sym is not None:
        for message in so_ky_hieu.validate_zero(number):
            yield _at("SO-ZERO", lay.so, message)


@rule("SO-TYPE", ERROR, "Ký hiệu có chữ viết tắt đúng của tên loại văn bản", "docs/the-thuc.md#ten-loai-va-chu-viet-tat")
def so_type(lay: Layout) -> Iterator[Finding]:
    if lay.so is None:
        return
    _number, sym = _symbol_parts(lay.so.text)
    if not sym:
        return
    first = sym.split("-")[0].strip()
    known = doctypes.SYMBOL_ABBREVIATIONS
    t = lay.doc_type
    if t is not None and t.abbr:
        if first != t.abbr:
            yield _at("SO-TYPE", lay.so,
                      f"Văn bản là {t.name.lower()}, nên ký hiệu phải bắt đầu bằng chữ viết tắt "
                      f"«{t.abbr}» (ví dụ «Số: 05/{t.abbr}-UBND»), không phải «{first}».")
        return
    # No tên loại found: a công văn (issuer first) or a type whose name is missing.
    near = [a for a in known if a != first and fold(a) == fold(first)]
    if near:
        yield _at("SO-TYPE", lay.so, f"Chữ viết tắt «{first}» trong ký hiệu không có trong danh mục "
                                     f"Phụ lục III; có phải là «{near[0]}»?")
    elif first in doctypes.ABBREVIATIONS and lay.quoc_hieu:
        typ = doctypes.by_abbr(first)
        name = typ.caps_name if typ else first
        yield _at("SO-TYPE", lay.so, f"Ký hiệu «{first}» là của văn bản có tên loại ({name}), nhưng "
                                     "không thấy tên loại ngay dưới phần đầu văn bản.", WARNING)


@rule("SO-FORMAT", ERROR, "Ký hiệu viết in hoa, các nhóm chữ nối bằng «-», không có dấu cách", "docs/the-thuc.md#so-ky-hieu")
def so_format(lay: Layout) -> Iterator[Finding]:
    if lay.so is None:
        return
    number, sym = _symbol_parts(lay.so.text)
    if sym is None:
        return
    raw = lay.so.raw.replace("\u00a0", " ")
    raw_sym = raw.split("/", 1)[1] if "/" in raw else sym
    zero = set(so_ky_hieu.validate_zero(number))  # SO-ZERO says it
    for problem in so_ky_hieu.validate_symbol_text(f"{number}/{raw_sym.strip()}"):
        if problem not in zero:
            yield _at("SO-FORMAT", lay.so, problem)


# ------------------------------------------------------------------------ date line


@rule("DATE-ZERO", ERROR, "Ngày dưới 10 và tháng 1, 2 có số 0 đứng trước; tháng khác thì không", "docs/the-thuc.md#dia-danh-ngay-thang-nam")
def date_zero(lay: Layout) -> Iterator[Finding]:
    if lay.date is not None:
        for problem in date_line.validate_zeros(lay.date.text):
            yield _at("DATE-ZERO", lay.date, problem.message)


@rule("DATE-FORMAT", ERROR, "Dòng địa danh, ngày tháng năm đúng mẫu, ngày có thật", "docs/the-thuc.md#dia-danh-ngay-thang-nam")
def date_format(lay: Layout) -> Iterator[Finding]:
    if lay.date is not None:
        for problem in date_line.validate_pattern(lay.date.text):
            yield _at("DATE-FORMAT", lay.date, problem.message)


@rule("DATE-ITALIC", ERROR, "Dòng địa danh, ngày tháng năm chữ in thường, nghiêng", "docs/the-thuc.md#dia-danh-ngay-thang-nam")
def date_italic(lay: Layout) -> Iterator[Finding]:
    if lay.date is not None:
        if not lay.date.italic:
            yield _at("DATE-ITALIC", lay.date, "Dòng địa danh, ngày tháng năm phải in nghiêng.")
        elif lay.date.bold:
            yield _at("DATE-ITALIC", lay.date, "Dòng địa danh, ngày tháng năm không in đậm.")


# ------------------------------------------------------------------------ tên loại, trích yếu


@rule("TL-STYLE", ERROR, "Tên loại chữ in hoa, đậm; trích yếu chữ thường, đậm", "docs/the-thuc.md#ten-loai-va-trich-yeu")
def ten_loai_style(lay: Layout) -> Iterator[Finding]:
    if lay.ten_loai is not None and not lay.ten_loai.bold:
        yield _at("TL-STYLE", lay.ten_loai, "Tên loại văn bản phải in đậm.")
    if lay.trich_yeu is not None and lay.doc_type is not None:
        if not lay.trich_yeu.bold:
            yield _at("TL-STYLE", lay.trich_yeu, "Trích yếu nội dung (dưới tên loại) phải in đậm.")


@rule("VV-PREFIX", ERROR, "Trích yếu công văn bắt đầu bằng «V/v»", "docs/the-thuc.md#ten-loai-va-trich-yeu")
def vv_prefix(lay: Layout) -> Iterator[Finding]:
    if lay.vv and lay.is_cong_van:
        first = lay.vv[0]
        if not first.text.startswith("V/v "):
            head = first.text.split(" ", 1)[0]
            yield _at("VV-PREFIX", first, f"Trích yếu công văn phải bắt đầu bằng «V/v » (viết tắt của "
                                          f"«về việc»), không phải «{head}».")


@rule("VV-STYLE", ERROR, "Trích yếu công văn chữ thường, đứng, không đậm", "docs/the-thuc.md#ten-loai-va-trich-yeu")
def vv_style(lay: Layout) -> Iterator[Finding]:
    if not lay.is_cong_van:
        return
    for s in lay.vv:
        if any(pr.bold for pr in s.props):
            yield _at("VV-STYLE", s, "Trích yếu công văn (V/v) viết chữ đứng, không in đậm.")
        elif s.any_italic:
            yield _at("VV-STYLE", s, "Trích yếu công văn (V/v) viết chữ đứng, không in nghiêng.")


# ------------------------------------------------------------------------ Kính gửi, Nơi nhận


def _route(items: list[Item], problems: list[str], rule_id: str) -> Iterator[Finding]:
    """Give each problem message (which quotes its line) the place of that line."""
    for problem in problems:
        target: Segment | None = None
        for it in items:
            if f"'{it.text.strip()}'" in problem:
                target = it.segs[0]
                break
        where = target if target is not None else (items[-1].segs[0] if items else DOCUMENT)
        yield _at(rule_id, where, problem)


@rule("KG-PUNCT", ERROR, "Kính gửi: có dấu hai chấm; nhiều nơi thì mỗi nơi một dòng «- …;», nơi cuối «.»",
      "docs/the-thuc.md#kinh-gui")
def kinh_gui_punct(lay: Layout) -> Iterator[Finding]:
    kg = lay.kinh_gui
    if kg is None:
        return
    if not re.match(r"^Kính gửi\s*:", kg.text):
        yield _at("KG-PUNCT", kg, "Sau «Kính gửi» phải có dấu hai chấm: «Kính gửi: …».")
    rest = kg.text.split(":", 1)[1].strip() if ":" in kg.text else ""
    if rest:
        if rest.endswith((";", ",")):
            yield _at("KG-PUNCT", kg, "Kính gửi một nơi: tên nơi nhận viết cùng dòng, kết thúc bằng dấu chấm, "
                                      "không phải dấu chấm phẩy.")
        return
    if len(lay.kinh_gui_items) == 1:
        return  # one recipient on its own line: the rules ask nothing more
    lines = [it.text for it in lay.kinh_gui_items]
    problems = [p.message for p in recipients.validate(kinh_gui=lines)]
    yield from _route(lay.kinh_gui_items, problems, "KG-PUNCT")


@rule("NN-STYLE", ERROR, "Chữ «Nơi nhận:» in nghiêng, đậm", "docs/the-thuc.md#noi-nhan")
def noi_nhan_style(lay: Layout) -> Iterator[Finding]:
    nn = lay.noi_nhan
    if nn is None:
        return
    if not (nn.bold and nn.italic):
        yield _at("NN-STYLE", nn, "Chữ «Nơi nhận:» phải in nghiêng và đậm.")
    if not re.match(r"^Nơi nhận\s*:", nn.text):
        yield _at("NN-STYLE", nn, "Viết «Nơi nhận:» (chữ N hoa, có dấu hai chấm).")


def _noi_nhan_lines(lay: Layout) -> list[str]:
    return [it.text for it in lay.noi_nhan_items]


@rule("NN-PUNCT", ERROR, "Mỗi nơi nhận một dòng, bắt đầu «- », kết thúc «;»", "docs/the-thuc.md#noi-nhan")
def noi_nhan_punct(lay: Layout) -> Iterator[Finding]:
    if lay.noi_nhan is None or not lay.noi_nhan_items:
        return
    problems = [p.message for p in recipients.validate(noi_nhan=_noi_nhan_lines(lay))
                if p.message.startswith("Dòng nơi nhận")]
    yield from _route(lay.noi_nhan_items, problems, "NN-PUNCT")


@rule("NN-LUU", ERROR, "Dòng cuối nơi nhận là «- Lưu: VT, …» và kết thúc bằng dấu chấm", "docs/the-thuc.md#noi-nhan")
def noi_nhan_luu(lay: Layout) -> Iterator[Finding]:
    if lay.noi_nhan is None:
        return
    if not lay.noi_nhan_items:
        yield _at("NN-LUU", lay.noi_nhan, "Dưới «Nơi nhận:» không có danh sách nơi nhận; dòng cuối phải là «- Lưu: VT, …».")
        return
    problems = [p.message for p in recipients.validate(noi_nhan=_noi_nhan_lines(lay))
                if not p.message.startswith("Dòng nơi nhận")]
    yield from _route(lay.noi_nhan_items, problems, "NN-LUU")


@rule("NN-FIRST", WARNING, "Nơi nhận đầu tiên: «- Như trên;» (công văn có Kính gửi), «- Như Điều …;» (quyết định)",
      "docs/the-thuc.md#noi-nhan")
def noi_nhan_first(lay: Layout) -> Iterator[Finding]:
    if not lay.noi_nhan_items:
        return
    first = lay.noi_nhan_items[0]
    text = recipients.bare(first.text)
    if lay.is_cong_van and lay.kinh_gui is not None and not text.startswith("Như"):
        yield _at("NN-FIRST", first.segs[0], "Công văn có «Kính gửi» thì nơi nhận đầu tiên là «- Như trên;».")
    elif lay.doc_type is not None and lay.doc_type.layout == "quyet-dinh" and not text.startswith("Như"):
        yield _at("NN-FIRST", first.segs[0], f"{lay.doc_type.name} thì nơi nhận đầu tiên thường là "
                                             "«- Như Điều …;» (điều giao thi hành).")


# ------------------------------------------------------------------------ signature


def _split_authority(lines: list[str]) -> dict:
    """Authority lines → keyword arguments of :func:`drafter.rules.signature.format`."""
    kw: dict = {"chuc_vu": []}
    for ln in lines:
        m = _PREFIX_HEAD.match(ln)
        if m:
            key = PREFIX_FORMS[m.group(1)].rstrip(".").lower()
            kw[key] = ln[m.end():].strip() or "?"
        else:
            kw["chuc_vu"].append(ln)
    return kw


@rule("SIG-PREFIX", ERROR, "Chữ viết tắt thẩm quyền ký: TM., KT., Q., TL., TUQ.", "docs/the-thuc.md#tham-quyen-ky")
def sig_prefix(lay: Layout) -> Iterator[Finding]:
    for sig in lay.signatures:
        for s in sig.authority:
            m = _PREFIX_HEAD.match(s.text)
            if m and f"{m.group(1)}{m.group(2)}" not in signature.PREFIXES:
                want = PREFIX_FORMS[m.group(1)]
                yield _at("SIG-PREFIX", s, f"Viết «{want}» (chữ in hoa, có dấu chấm) thay cho "
                                           f"«{m.group(0)}».")


@rule("SIG-ORDER", ERROR, "Thứ tự dòng thẩm quyền: TM. → TL./TUQ. → KT./Q. → chức vụ", "docs/the-thuc.md#tham-quyen-ky")
def sig_order(lay: Layout) -> Iterator[Finding]:
    for sig in lay.signatures:
        lines = [s.text for s in sig.authority]
        try:
            want = signature.format(ho_ten="Người Ký", **_split_authority(lines)).authority
        except signature.SignatureError:
            continue  # SIG-AUTHORITY says why
        got = [re.sub(r"^(T/M|K/T|T/L|T/UQ|TUQ|TM|KT|TL|Q)\.?\s", lambda m: PREFIX_FORMS[m.group(1)] + " ", ln).upper()
               for ln in lines]
        if [" ".join(g.split()) for g in got] != list(want):
            yield _at("SIG-ORDER", sig.authority[0], "Thứ tự các dòng thẩm quyền ký sai; đúng là: "
                                                     + " / ".join(want) + ".")


@rule("SIG-AUTHORITY", ERROR, "Thẩm quyền ký hợp lệ: có chức vụ; KT. chỉ cho cấp phó; không dùng TL. với TUQ.",
      "docs/the-thuc.md#tham-quyen-ky")
def sig_authority(lay: Layout) -> Iterator[Finding]:
    for sig in lay.signatures:
        lines = [s.text for s in sig.authority]
        errors = [p for p in signature.validate(ho_ten="Người Ký", **_split_authority(lines)) if p.severity == ERROR]
        if errors:
            yield _at("SIG-AUTHORITY", sig.authority[-1], errors[0].message)
        elif (message := signature.missing_kt(lines)) is not None:
            yield _at("SIG-AUTHORITY", sig.authority[-1], message)


@rule("SIG-STYLE", ERROR, "Thẩm quyền, chức vụ chữ in hoa, đậm; họ tên người ký đậm", "docs/the-thuc.md#tham-quyen-ky")
def sig_style(lay: Layout) -> Iterator[Finding]:
    for sig in lay.signatures:
        for s in sig.authority:
            if not is_caps(s.text):
                yield _at("SIG-STYLE", s, "Dòng thẩm quyền, chức vụ người ký phải viết chữ in hoa.")
            elif not s.bold:
                yield _at("SIG-STYLE", s, "Dòng thẩm quyền, chức vụ người ký phải in đậm.")
        if sig.signer is not None and not sig.signer.bold:
            yield _at("SIG-STYLE", sig.signer, "Họ tên người ký phải in đậm.")


@rule("SIG-NAME", ERROR, "Không ghi học hàm, học vị trước họ tên người ký", "docs/the-thuc.md#tham-quyen-ky")
def sig_name(lay: Layout) -> Iterator[Finding]:
    for sig in lay.signatures:
        if sig.signer is None:
            continue
        for p in signature.validate(ho_ten=sig.signer.text, chuc_vu="CHỦ TỊCH"):
            if p.key == "ho_ten":
                yield _at("SIG-NAME", sig.signer, p.message)


@rule("SIG-TITLE", WARNING, "Chức vụ người ký là một chức danh quen thuộc (lỗi gõ như «ĐIỀU CHỨC»)",
      "docs/the-thuc.md#nhung-loi-drafter-khong-cho-xay-ra")
def sig_title(lay: Layout) -> Iterator[Finding]:
    for sig in lay.signatures:
        for s in sig.authority:
            if _PREFIX_HEAD.match(s.text) or not is_caps(s.text):
                continue
            for message in signature.title_warnings(s.text):
                yield _at("SIG-TITLE", s, message)


# ------------------------------------------------------------------------ left as the scaffold made it


@rule("SCAFFOLD-LEFT", WARNING, "Không còn chữ mẫu của drafter new (họ tên người ký, nội dung …) chưa sửa",
      "docs/khoa-ban-thao.md#van-ban-can-co-gi")
def scaffold_left(lay: Layout) -> Iterator[Finding]:
    from drafter import placeholders
    from drafter.rules import completeness

    extra = {completeness.rendered_form(t) for t in placeholders.EXTRA}
    found = []
    for s in lay.segments:
        if "…" not in s.text and completeness.rendered_form(s.text) not in extra:
            continue  # the scaffold's texts are read only for a document with a candidate
        if completeness.rendered_form(s.text) in placeholders.rendered():
            found.append(_at("SCAFFOLD-LEFT", s, "Chữ mẫu của drafter new chưa được sửa: thay bằng nội dung "
                             "thật trong bản thảo rồi tạo lại văn bản."))
    yield from _capped("SCAFFOLD-LEFT", found, "đoạn")


# ------------------------------------------------------------------------ citations

_CITED_TYPES = sorted({t.name for t in doctypes.TYPES} | {"Văn bản", "Nghị định", "Thông tư",
                                                           "Thông tư liên tịch", "Luật"},
                      key=lambda n: (-len(n), n))  # longest first; one order in every run
_CITATION = re.compile(
    r"(?P<type>" + "|".join(re.escape(n) for n in _CITED_TYPES) + r")\s+số\s*:?\s*"
    r"(?P<num>\d*)\s*/\s*(?P<sym>[0-9A-Za-zĐđ/\-]+?)\s+ngày\s*"
    r"(?P<date>(?:\d{1,2}|)\s*/\s*(?:\d{1,2}|)\s*/\s*\d{4}|(?:\d{1,2})?\s*tháng\s*(?:\d{1,2})?\s*năm\s+\d{4})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Citation:
    """A cited document (its type, number, symbol, date) found in a text."""

    seg: Segment
    type_name: str
    number: str  # "" when left blank for the clerk
    symbol: str
    date: tuple[int | None, int | None, int]  # day, month, year (None when blank)

    def describe(self) -> str:
        d, m, y = self.date
        day = date_line.day(d) if d else "…"
        month = date_line.month(m) if m else "…"
        return f"{self.type_name} số {self.number or '…'}/{self.symbol} ngày {day}/{month}/{y}"


def _parse_cited_date(text: str) -> tuple[int | None, int | None, int]:
    """`27/12/2017`, `27 tháng 12 năm 2017`, or with blanks for day and month."""
    year = int(re.findall(r"\d+", text)[-1])
    if "/" in text:
        parts = [p.strip() for p in text.split("/")]
        return (int(parts[0]) if parts[0].isdigit() else None,
                int(parts[1]) if parts[1].isdigit() else None, year)
    d = re.search(r"(\d{1,2})\s*tháng", text)
    m = re.search(r"tháng\s*(\d{1,2})", text)
    return (int(d.group(1)) if d else None, int(m.group(1)) if m else None, year)


def citations(segs: Iterable[Segment]) -> list[Citation]:
    out = []
    for s in segs:
        folded = s.text.casefold()  # a citation holds both words (casefold: what IGNORECASE equates)
        if "số" not in folded or "ngày" not in folded:
            continue  # the pattern, case-blind over 33 names, costs a third of a check's rules
        for m in _CITATION.finditer(s.text):
            type_name = m.group("type")
            type_name = type_name[0].upper() + type_name[1:].lower()
            out.append(Citation(s, type_name, m.group("num"), m.group("sym").upper(),
                                _parse_cited_date(m.group("date"))))
    return out


def _same_date(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


@rule("CITE-MISMATCH", ERROR, "Một văn bản được trích dẫn với cùng số và ngày ở mọi nơi",
      "docs/the-thuc.md#nhung-loi-drafter-khong-cho-xay-ra")
def cite_mismatch(lay: Layout) -> Iterator[Finding]:
    # 1. The "(Ban hành) kèm theo …" lines all cite this file's main document.
    own: Citation | None = None
    if lay.so is not None and lay.date is not None and lay.doc_type is not None:
        number, sym = _symbol_parts(lay.so.text)
        if sym is not None:
            d = lay.date_value
            date = (d.day, d.month, d.year) if d else (None, None, lay.date_year or 0)
            own = Citation(lay.so, lay.doc_type.name, number if number.isdigit() else "", sym.upper(), date)
    kem = citations(lay.kem_theo)
    ref = own
    for c in kem:
        if ref is None:
            ref = c
            continue
        if ref is own and c.type_name.lower() not in (own.type_name.lower(), "văn bản"):
            continue  # cites some other document
        if (c.number and ref.number and c.number != ref.number) or c.symbol != ref.symbol \
                or not _same_date(c.date, ref.date):
            whose = "văn bản này là" if ref is own else "dòng trước ghi"
            yield _at("CITE-MISMATCH", c.seg, f"Dòng «kèm theo» ghi {c.describe()}, nhưng {whose} "
                                              f"{ref.describe()}: cùng một văn bản phải ghi cùng số, ký hiệu và ngày.")
    # 2. Anywhere: one number and symbol cited with two dates.
    seen: dict[tuple[str, str, str], Citation] = {}
    if own is not None and own.number:
        seen[(own.type_name.lower(), own.number.lstrip("0"), own.symbol)] = own
    flagged = {id(c.seg) for c in kem}
    for c in citations(lay.segments):
        if not c.number:
            continue
        key = (c.type_name.lower(), c.number.lstrip("0"), c.symbol)
        first = seen.setdefault(key, c)
        if first is not c and not _same_date(first.date, c.date) and id(c.seg) not in flagged:
            where = "văn bản này là" if first is own else f"ở đoạn {first.seg.para.index + 1} ghi"
            yield _at("CITE-MISMATCH", c.seg, f"{c.describe()} ở đây, nhưng {where} {first.describe()}: "
                                              "cùng một văn bản phải ghi cùng ngày.")


# ------------------------------------------------------------------------ table totals

_TOTAL = re.compile(r"^(tổng\s+cộng|tổng\s+số|tổng|cộng)\b\s*:?", re.IGNORECASE)
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_ARABIC = re.compile(r"^\d+\.?$")
_DOTTED = re.compile(r"^\d+(\.\d+)+\.?$")
_LETTER = re.compile(r"^[a-zđ]\)?$")
_NOT_ADDITIVE = re.compile(r"%|tỷ\s*lệ|tỉ\s*lệ|đơn\s*giá|bình\s*quân|trung\s*bình|đvt|đơn\s*vị\s*tính|mã\s",
                           re.IGNORECASE)


def _number(text: str) -> Decimal | None:
    t = norm(text).replace(" ", "")
    if not t or not re.fullmatch(r"[-−–]?\d[\d.,]*", t):
        return None
    try:
        return parse_number(t)
    except ValueError:
        return None


def _level(label: str) -> int | None:
    t = norm(label)
    if _TOTAL.match(t):
        return 0
    if _ROMAN.match(t):
        return 1
    if _ARABIC.match(t):
        return 2
    if _DOTTED.match(t):
        return 2 + t.rstrip(".").count(".")
    if _LETTER.match(t):
        return 6
    if t in ("-", "+"):
        return 7 if t == "-" else 8
    return None


@dataclass
class _Grid:
    """A table laid out by grid column, for its sums."""

    table: Table
    cells: dict[tuple[int, int], Cell]  # (row, grid col) → cell covering it (first col only)
    header_rows: int
    levels: dict[int, int | None]

    def value(self, row: int, col: int) -> Decimal | None:
        c = self.cells.get((row, col))
        if c is None or c.continues_merge:
            return None
        return _number(c.text)

    def column_name(self, col: int) -> str:
        names = []
        for r in range(self.header_rows):
            for c in self.table.rows[r]:
                if c.grid_col <= col < c.grid_col + c.span and c.text.strip() and not c.continues_merge:
                    if norm(c.text) not in names:
                        names.append(norm(c.text))
        return " / ".join(names) or f"cột {col + 1}"

    def row_name(self, row: int) -> str:
        texts = [norm(c.text) for c in self.table.rows[row] if norm(c.text)]
        return texts[0] if texts else f"hàng {row + 1}"

    def location(self, row: int, col: int) -> Location:
        c = self.cells[(row, col)]
        index = c.paragraphs[0] if c.paragraphs else None
        return Location("cell", index, c.text, self.table.index, row, c.col)


def _grid(table: Table) -> _Grid | None:
    if len(table.rows) < 3 or table.ncols < 3:
        return None
    cells = {(r, c.grid_col): c for r, row in enumerate(table.rows) for c in row}
    levels: dict[int, int | None] = {}
    header_rows = None
    for r, row in enumerate(table.rows):
        first = next((c for c in row if norm(c.text) and not c.continues_merge), None)
        label = norm(row[0].text) if row and not row[0].continues_merge else ""
        lv = _level(label) if label else None
        if lv is None and first is not None and _TOTAL.match(norm(first.text)):
            lv = 0
        numbers = any(_number(c.text) is not None for c in row[1:] if not c.continues_merge)
        if header_rows is None and (numbers or lv == 0):
            header_rows = r
        levels[r] = lv
    if not header_rows:
        return None
    return _Grid(table, cells, header_rows, {r: lv for r, lv in levels.items() if r >= header_rows})


def _additive_columns(g: _Grid) -> list[int]:
    out = []
    for col in range(1, g.table.ncols):
        if _NOT_ADDITIVE.search(g.column_name(col)):
            continue
        if any(g.value(r, col) is not None for r in g.levels):
            out.append(col)
    return out


def _fmt(n: Decimal) -> str:
    return format_number(n)


def _sum_findings(g: _Grid, row: int, col: int, parts: list[tuple[str, Decimal]], total: Decimal,
                  rule_id: str, what: str) -> Finding | None:
    got = sum((v for _, v in parts), Decimal(0))
    if got == total:
        return None
    shown = " + ".join(_fmt(v) for _, v in parts[:12]) + (" + …" if len(parts) > 12 else "")
    return _at(rule_id, g.location(row, col),
               f"{what} ghi {_fmt(total)} nhưng {shown} = {_fmt(got)} (cột «{g.column_name(col)}»).")


@rule("TABLE-TOTAL", ERROR, "Dòng, cột «Tổng cộng» của bảng bằng tổng các số hạng", "docs/the-thuc.md#phu-luc")
def table_total(lay: Layout) -> Iterator[Finding]:
    for table in lay.doc.tables:
        g = _grid(table)
        if g is None:
            continue
        cols = _additive_columns(g)
        data = [r for r, lv in g.levels.items() if lv not in (None, 0)]
        top = min((g.levels[r] for r in data), default=None)
        for r, lv in g.levels.items():
            if lv != 0 or top is None:
                continue
            members = [x for x in data if g.levels[x] == top]
            yield from _row_sums(g, r, members, cols, "TABLE-TOTAL", f"Dòng «{g.row_name(r)}»")
        yield from _total_columns(g, cols)


def _row_sums(g: _Grid, r: int, members: list[int], cols: list[int], rule_id: str, label: str) -> Iterator[Finding]:
    """Row `r` against the sum of the `members` rows, column by column."""
    for col in cols:
        total = g.value(r, col)
        parts = [(g.row_name(x), v) for x in members if (v := g.value(x, col)) is not None]
        if total is None or not parts:
            continue
        f = _sum_findings(g, r, col, parts, total, rule_id, label)
        if f:
            yield f


def _total_columns(g: _Grid, cols: list[int]) -> Iterator[Finding]:
    """A header cell «Tổng cộng» beside groups of the same width (years…): row sums."""
    for hr in range(g.header_rows):
        row = g.table.rows[hr]
        for i, cell in enumerate(row):
            if not _TOTAL.match(norm(cell.text)) or cell.continues_merge:
                continue
            groups = []
            for prev in reversed(row[:i]):
                if prev.span != cell.span or not any(c in cols for c in range(prev.grid_col, prev.grid_col + prev.span)):
                    break
                groups.append(prev.grid_col)
            if len(groups) < 2:
                continue
            for r in g.levels:
                for k in range(cell.span):
                    col = cell.grid_col + k
                    total = g.value(r, col)
                    parts = [(str(gc), v) for gc in reversed(groups) if (v := g.value(r, gc + k)) is not None]
                    if total is None or not parts:
                        continue
                    f = _sum_findings(g, r, col, parts, total, "TABLE-TOTAL",
                                      f"Cột «{norm(cell.text)}» ở dòng «{g.row_name(r)}»")
                    if f:
                        yield f


@rule("TABLE-SUBTOTAL", WARNING, "Dòng của một mục (I, II…) bằng tổng các dòng con", "docs/the-thuc.md#phu-luc")
def table_subtotal(lay: Layout) -> Iterator[Finding]:
    for table in lay.doc.tables:
        g = _grid(table)
        if g is None:
            continue
        cols = _additive_columns(g)
        rows = list(g.levels)
        for i, r in enumerate(rows):
            lv = g.levels[r]
            if lv in (None, 0):
                continue
            children = []
            for x in rows[i + 1:]:
                lx = g.levels[x]
                if lx is not None and lx <= lv:
                    break
                if lx is not None:
                    children.append(x)
            if not children:
                continue
            top = min(g.levels[x] for x in children)
            direct = [x for x in children if g.levels[x] == top]
            yield from _row_sums(g, r, direct, cols, "TABLE-SUBTOTAL", f"Dòng mục «{g.row_name(r)}»")


# ------------------------------------------------------------------------ colour (issue 17)

_BLACK = {"auto", "000000"}


def _colour_name(value: str) -> str:
    return {"FF0000": "đỏ", "0000FF": "xanh lam", "00B050": "xanh lá", "0070C0": "xanh lam",
            "C00000": "đỏ sẫm", "FFFF00": "vàng", "808080": "xám"}.get(value.upper(), f"mã #{value}")


@rule("FONT-COLOR", ERROR, "Chữ màu đen trong toàn văn bản", "docs/the-thuc.md#trang-giay-le-phong-chu")
def font_color(lay: Layout) -> Iterator[Finding]:
    findings: list[Finding] = []
    for p in lay.doc.paragraphs:
        bad = sorted({c.upper() for r in p.runs if r.text.strip() and (c := r.props.color) is not None
                      and c.lower() not in _BLACK and c.upper() not in _BLACK})
        if bad:
            loc = (Location("cell", p.index, p.text, p.table, p.row, p.col) if p.table is not None
                   else Location("paragraph", p.index, p.text))
            findings.append(_at("FONT-COLOR", loc, f"Chữ màu {', '.join(_colour_name(c) for c in bad)}; "
                                                   "văn bản hành chính in chữ màu đen."))
    yield from _capped("FONT-COLOR", findings, "đoạn")


# ------------------------------------------------------------------------ body paragraphs (issue 17)

TWIPS_PER_PT = 20
TWIPS_PER_MM = Decimal("56.6929")
_INDENT_TOLERANCE_MM = Decimal("0.3")


def _body_paragraphs(lay: Layout) -> list[Segment]:
    """The first segment of each paragraph of running text in the bodies: outside tables,
    not centred or right-aligned (headings, titles), not the decision's own lines, not
    a Căn cứ line (its own rules), not in a landscape (appendix) section. Worked out
    once per layout: five rules ask for it."""
    memo = lay.__dict__.get("_body_paragraphs")
    if memo is not None:
        return memo
    skip = {id(s) for s in (lay.decision_word, lay.authority_line) if s is not None}
    skip |= {id(s) for s in lay.kem_theo} | {id(s) for s in lay.can_cu}
    seen: set[int] = set()
    out = []
    landscape = {sec.index for sec in lay.doc.sections if sec.orientation == "landscape"}
    for s in lay.all_body():
        p = s.para
        if p.table is not None or p.index in seen or id(s) in skip or p.container != "body":
            continue
        seen.add(p.index)
        if p.align in ("center", "right") or p.section in landscape or p.framed:
            continue
        if not p.text.strip() or is_caps(s.text) and len(s.text) < 80 and p.align != "both":
            continue
        if _is_body_heading(s) or _is_mark(s.text):
            continue
        out.append(s)
    lay.__dict__["_body_paragraphs"] = out
    return out


def _is_mark(text: str) -> bool:
    from drafter.rules import marks

    return marks.classify(text) is not None


def _is_body_heading(s: Segment) -> bool:
    from drafter.rules import structure

    return structure.kind(s.text) == structure.CHAPTER


@rule("BODY-ALIGN", ERROR, "Nội dung căn đều hai lề", "docs/the-thuc.md#noi-dung-van-ban")
def body_align(lay: Layout) -> Iterator[Finding]:
    names = {"left": "căn trái", None: "căn trái", "right": "căn phải", "center": "căn giữa"}
    found = [_at("BODY-ALIGN", s, f"Đoạn nội dung {names.get(s.para.align, s.para.align)}; nội dung văn bản "
                                   "căn đều hai lề (Justify, Ctrl+J).")
             for s in _body_paragraphs(lay) if s.para.align not in ("both", "distribute")]
    yield from _capped("BODY-ALIGN", found, "đoạn")


def _mm(twips: int) -> Decimal:
    return (Decimal(twips) / TWIPS_PER_MM).quantize(Decimal("0.1"))


@rule("BODY-INDENT", ERROR, "Nội dung lùi đầu dòng 1–1,27 cm", "docs/the-thuc.md#noi-dung-van-ban")
def body_indent(lay: Layout) -> Iterator[Finding]:
    r = G.BODY_INDENT_MM.allowed
    lo, hi = Decimal(str(r.lo)) - _INDENT_TOLERANCE_MM, Decimal(str(r.hi)) + _INDENT_TOLERANCE_MM
    found = []
    for s in _body_paragraphs(lay):
        first = _mm(s.para.ind_first)
        if not lo <= first <= hi:
            what = "không lùi đầu dòng" if s.para.ind_first == 0 else (
                f"lùi đầu dòng {_pt(float(first / 10))} cm" if first > 0 else "thụt treo (hanging)")
            found.append(_at("BODY-INDENT", s, f"Đoạn nội dung {what}; đúng là lùi đầu dòng 1 cm đến 1,27 cm."))
    yield from _capped("BODY-INDENT", found, "đoạn")


def _points(twips: int | None) -> Decimal:
    return Decimal(twips or 0) / TWIPS_PER_PT


@rule("BODY-SPACING", ERROR, "Các đoạn nội dung cách nhau tối thiểu 6 pt", "docs/the-thuc.md#noi-dung-van-ban")
def body_spacing(lay: Layout) -> Iterator[Finding]:
    want = Decimal(str(G.BODY_AFTER.allowed.lo))
    paras = _body_paragraphs(lay)
    found = []
    for a, b in zip(paras, paras[1:]):
        if b.para.index != a.para.index + 1:
            continue
        gap = _points(a.para.space_after) + _points(b.para.space_before)
        if gap < want - Decimal("0.05"):
            found.append(_at("BODY-SPACING", a, f"Khoảng cách tới đoạn sau là {_pt(float(gap))} pt; các đoạn "
                                                 f"nội dung cách nhau tối thiểu {_pt(float(want))} pt."))
    yield from _capped("BODY-SPACING", found, "đoạn")


def line_multiple(para) -> Decimal | None:
    """The paragraph's line spacing in lines (1 = single); None when set as exact or at
    least points (measured against the body size instead)."""
    if para.line is None:
        return Decimal(1)
    if para.line_rule in (None, "auto"):
        return Decimal(para.line) / 240
    return None


@rule("BODY-LINE", ERROR, "Giãn dòng nội dung từ đơn (1) đến 1,5 dòng", "docs/the-thuc.md#noi-dung-van-ban")
def body_line(lay: Layout) -> Iterator[Finding]:
    r = G.BODY_LINE.allowed
    lo, hi = Decimal(str(r.lo)), Decimal(str(r.hi))
    found = []
    for s in _body_paragraphs(lay):
        m = line_multiple(s.para)
        if m is None:
            size = Decimal(str(max(s.sizes, default=G.BODY.pt)))
            single = size * Decimal(str(G.LINE_HEIGHT_EM))
            pts = _points(s.para.line)
            ok = pts >= single * lo - 1 if s.para.line_rule == "atLeast" else single * lo - 1 <= pts <= single * hi + 1
            if not ok:
                found.append(_at("BODY-LINE", s, f"Giãn dòng đặt đúng {_pt(float(pts))} pt; giãn dòng nội dung "
                                                  "từ đơn đến 1,5 dòng."))
        elif not lo - Decimal("0.01") <= m <= hi + Decimal("0.01"):
            found.append(_at("BODY-LINE", s, f"Giãn dòng {_pt(float(m.quantize(Decimal('0.01'))))} dòng; giãn "
                                              "dòng nội dung từ đơn (1) đến 1,5 dòng."))
    yield from _capped("BODY-LINE", found, "đoạn")


@rule("BODY-ITALIC", ERROR, "Nội dung chữ đứng (không in nghiêng cả đoạn)", "docs/the-thuc.md#noi-dung-van-ban")
def body_italic(lay: Layout) -> Iterator[Finding]:
    found = [_at("BODY-ITALIC", s, "Cả đoạn nội dung in nghiêng; nội dung văn bản viết chữ đứng "
                                    "(chỉ các dòng căn cứ in nghiêng).")
             for s in _body_paragraphs(lay) if all(pr.italic for r in s.para.runs if r.text.strip()
                                                   for pr in (r.props,)) and s.para.runs]
    yield from _capped("BODY-ITALIC", found, "đoạn")


# ------------------------------------------------------------------------ căn cứ (issue 17)

_CAN_CU_INSIDE = re.compile(r"[;.]\s*(Căn cứ|Theo đề nghị|Xét đề nghị)\b")


@rule("CANCU-ITALIC", ERROR, "Các dòng căn cứ in nghiêng", "docs/the-thuc.md#noi-dung-van-ban")
def can_cu_italic(lay: Layout) -> Iterator[Finding]:
    for s in lay.can_cu:
        if not s.italic:
            yield _at("CANCU-ITALIC", s, "Dòng căn cứ phải in nghiêng.")


@rule("CANCU-PUNCT", ERROR, "Mỗi căn cứ một dòng, kết thúc bằng «;», dòng cuối bằng «.»", "docs/the-thuc.md#noi-dung-van-ban")
def can_cu_punct(lay: Layout) -> Iterator[Finding]:
    for i, s in enumerate(lay.can_cu):
        last = i == len(lay.can_cu) - 1
        if _CAN_CU_INSIDE.search(s.text):
            yield _at("CANCU-PUNCT", s, "Một đoạn có hai căn cứ; mỗi căn cứ viết một dòng riêng.")
        end = s.text.rstrip()[-1:]
        if last and end != ".":
            yield _at("CANCU-PUNCT", s, f"Dòng căn cứ cuối cùng kết thúc bằng dấu chấm «.», không phải «{end}».")
        elif not last and end != ";":
            yield _at("CANCU-PUNCT", s, f"Dòng căn cứ kết thúc bằng dấu chấm phẩy «;», không phải «{end}».")


# ------------------------------------------------------------------------ V/v gap (issue 17)


@rule("VV-SPACE", ERROR, "Trích yếu công văn (V/v) cách số ký hiệu 6 pt", "docs/the-thuc.md#cac-thanh-phan-the-thuc")
def vv_space(lay: Layout) -> Iterator[Finding]:
    if not lay.is_cong_van or not lay.vv or lay.so is None:
        return
    first, so = lay.vv[0], lay.so
    want = Decimal(str(G.VV.before))
    if first.para is so.para:
        yield _at("VV-SPACE", first, "Trích yếu V/v nằm cùng đoạn với dòng số ký hiệu (xuống dòng bằng Shift+Enter); "
                                     f"tách thành đoạn riêng, cách dòng số {_pt(float(want))} pt.")
        return
    between = [p for p in lay.doc.paragraphs[so.para.index + 1: first.para.index]]
    gap = _points(so.para.space_after) + _points(first.para.space_before)
    if any(not p.text.strip() for p in between):
        return  # an empty paragraph between: at least a line of space
    if gap < want - Decimal("0.05"):
        yield _at("VV-SPACE", first, f"Trích yếu V/v cách dòng số ký hiệu {_pt(float(gap))} pt; cần "
                                     f"{_pt(float(want))} pt (Spacing Before 6 pt).")


# ------------------------------------------------------------------------ page numbers (issue 17)

_PAGE_PT = Decimal(str(G.BODY.pt)) * Decimal(str(G.LINE_HEIGHT_EM))
_CHARS_PER_LINE = 85  # 14 pt Times New Roman over 165 mm, about


def estimated_pages(lay: Layout) -> Decimal:
    """How many pages the document fills, by its text: each paragraph's lines at its
    size and line spacing plus the space around it, over the A4 page's text height.
    Word's own count (docProps/app.xml Pages) wins when the file has one."""
    if lay.doc.pages:
        return Decimal(lay.doc.pages)
    height = Decimal(0)
    rows: set[tuple[int, int]] = set()
    for p in lay.doc.paragraphs:
        size = Decimal(str(max((r.props.size for r in p.runs), default=G.BODY.pt)))
        if p.table is not None:
            # a table row is as high as its tallest cell: count each row once, by its first cell
            if (p.table, p.row) in rows or p.col:
                continue
            rows.add((p.table, p.row))
        chars = max(1, len(p.text))
        per_line = max(20, int(_CHARS_PER_LINE * G.BODY.pt / float(size)))
        lines = -(-chars // per_line) + p.text.count("\n")
        mult = line_multiple(p) or Decimal(1)
        height += lines * size * Decimal(str(G.LINE_HEIGHT_EM)) * mult
        height += _points(p.space_before) + _points(p.space_after)
    page_mm = G.PAPER_MM[1] - G.MARGINS["top"].value - G.MARGINS["bottom"].value
    page_pt = Decimal(page_mm) * 72 / Decimal("25.4")
    return (height / page_pt).quantize(Decimal("0.1"))


@rule("PAGE-NUM-MISSING", ERROR, "Văn bản dài hơn một trang có đánh số trang (từ trang 2)", "docs/the-thuc.md#so-trang")
def page_number_missing(lay: Layout) -> Iterator[Finding]:
    if not lay.doc.sections:
        return
    numbered = any(part is not None and part.has_page_field
                   for sec in lay.doc.sections for part in sec.page_parts("later"))
    if numbered:
        return
    pages = estimated_pages(lay)
    if pages > Decimal("1.2"):
        yield _at("PAGE-NUM-MISSING", Location("section", 0),
                  f"Văn bản dài khoảng {_pt(float(pages))} trang nhưng không đánh số trang; từ trang 2 đánh số "
                  "trang bằng chữ số Ả Rập ở giữa lề trên (Chèn → Số trang → Đầu trang, chọn «Khác ở trang đầu»).")


@rule("PAGE-NUM-STYLE", ERROR, "Số trang canh giữa, cỡ chữ 13–14", "docs/the-thuc.md#so-trang")
def page_number_style(lay: Layout) -> Iterator[Finding]:
    allowed = G.PAGE_NUMBER.allowed
    for sec in lay.doc.sections:
        header, _footer = sec.page_parts("later")
        if header is None or not header.has_page_field:
            continue
        wrong = []
        if header.page_align not in ("center",):
            wrong.append("không canh giữa")
        bad = [s for s in header.page_sizes if not allowed.holds(s, G.SIZE_TOLERANCE_PT)]
        if bad:
            wrong.append(f"cỡ chữ {', '.join(_pt(s) + ' pt' for s in bad)}")
        if wrong:
            yield _at("PAGE-NUM-STYLE", Location("section", sec.index),
                      f"Số trang {' và '.join(wrong)}; số trang canh giữa lề trên, cỡ chữ "
                      f"{_pt(allowed.lo)}–{_pt(allowed.hi)} pt.")
            return


# ------------------------------------------------------------------------ numbering (issue 17)


def _body_lines(lay: Layout) -> list[list[Segment]]:
    """The body of each document in the file, lines outside tables, in order."""
    return [[s for s in b.body if s.para.table is None] for b in lay.blocks]


@rule("NUM-DIEM", ERROR, "Điểm đánh theo chữ cái tiếng Việt a, b, c, d, đ, e, g… (không có f, j, w, z)",
      "docs/the-thuc.md#danh-so-trong-noi-dung")
def num_diem(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import structure

    for segs in _body_lines(lay):
        lines = [s.text for s in segs]
        for i, p in structure.diem_problems(lines):
            sev = ERROR if structure.is_forbidden_letter(lines[i]) else WARNING
            yield _at("NUM-DIEM", segs[i], p.message, sev)


@rule("NUM-SEQ", WARNING, "Điều, chương, khoản đánh số liên tục", "docs/the-thuc.md#danh-so-trong-noi-dung")
def num_sequence(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import structure

    for segs in _body_lines(lay):
        for i, message in structure.sequence_problems([s.text for s in segs]):
            yield _at("NUM-SEQ", segs[i], message)


def _label_bold(s: Segment, label: str) -> bool:
    """The first `len(label)` visible characters are bold."""
    n = len(label.replace(" ", ""))
    for text, pr in s.chunks:
        t = text.replace(" ", "").replace("\u00a0", "")
        if not t:
            continue
        if not pr.bold:
            return False
        n -= len(t)
        if n <= 0:
            return True
    return True


@rule("NUM-STYLE", ERROR, "Phần, chương: dòng riêng, giữa, đậm, tên in hoa; «Điều …» và đề mục I., II. in đậm",
      "docs/the-thuc.md#noi-dung-van-ban")
def num_style(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import body as body_rules
    from drafter.rules import structure

    for segs in _body_lines(lay):
        after_chapter = False
        for s in segs:
            k = structure.kind(s.text)
            if k == structure.CHAPTER:
                word = s.text.split()[0]
                if not s.bold:
                    yield _at("NUM-STYLE", s, f"Dòng «{s.text}» phải in đậm.")
                elif s.para.align != "center":
                    yield _at("NUM-STYLE", s, f"Dòng «{word} …» đặt ở giữa dòng (canh giữa).")
                after_chapter = True
                continue
            if after_chapter and k == structure.TEXT and len(s.text) < 200:
                if not is_caps(s.text):
                    yield _at("NUM-STYLE", s, "Tên phần, chương (dòng dưới chữ «Phần», «Chương») viết chữ in hoa.")
                elif not s.bold:
                    yield _at("NUM-STYLE", s, "Tên phần, chương phải in đậm.")
            after_chapter = False
            if k == structure.ARTICLE:
                m = body_rules._ARTICLE.match(s.text)
                if m and not _label_bold(s, m.group(1)):
                    yield _at("NUM-STYLE", s, f"«{m.group(1)}» phải in đậm.")
            elif k == structure.SECTION and re.match(r"^[IVXLC]+\.", s.text) and not s.bold:
                yield _at("NUM-STYLE", s, "Đề mục «I.», «II.»… phải in đậm.")


# ------------------------------------------------------------------------ final mark (issue 17)


@rule("BODY-END", ERROR, "Nội dung kết thúc bằng dấu «./.»", "docs/the-thuc.md#noi-dung-van-ban")
def body_end(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import body as body_rules

    for b in lay.blocks:
        segs = [s for s in b.body if s.text and not _is_mark(s.text)]
        if not segs or not b.signatures and b is not lay.blocks[0]:
            continue
        last = segs[-1]
        if last.para.table is not None or not last.text[-1:].isalnum() and last.text.endswith(body_rules.END_MARK):
            continue
        if last.text.endswith(body_rules.END_MARK) or last.text.endswith("/."):
            continue
        yield _at("BODY-END", last, "Nội dung văn bản kết thúc bằng dấu «./.» ở cuối đoạn cuối cùng.")


# ------------------------------------------------------------------------ marks (issue 17)


def _marks(lay: Layout) -> list[tuple[Segment, tuple[str, str, str]]]:
    from drafter.rules import marks

    end = lay.blocks[0].header_end if lay.blocks else -1
    limit = max(end, (lay.vv[-1].order if lay.vv else -1)) + 4
    out = []
    for s in lay.segments[: limit + 1]:
        c = marks.classify(s.text)
        if c is not None:
            out.append((s, c))
    return out


@rule("MARK-TEXT", ERROR, "Độ khẩn: KHẨN, THƯỢNG KHẨN, HỎA TỐC; độ mật: MẬT, TỐI MẬT, TUYỆT MẬT", "docs/the-thuc.md#do-khan-do-mat")
def mark_text(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import marks

    for s, (kind, right, how) in _marks(lay):
        if how != "exact" and kind != "circulation":
            allowed = ", ".join(f"«{v}»" for v in marks.KINDS[kind])
            yield _at("MARK-TEXT", s, f"Dấu {marks.NAMES[kind]} viết đúng là «{right}» (chữ in hoa); các mức: {allowed}.")


@rule("MARK-STYLE", ERROR, "Dấu độ khẩn, độ mật chữ in hoa, đứng, đậm, ở cột trái dưới số ký hiệu", "docs/the-thuc.md#do-khan-do-mat")
def mark_style(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import marks

    for s, (kind, _right, _how) in _marks(lay):
        if kind == "circulation":
            continue  # MARK-SCOPE
        name = marks.NAMES[kind]
        if not s.bold:
            yield _at("MARK-STYLE", s, f"Dấu {name} phải in đậm.")
        elif s.any_italic:
            yield _at("MARK-STYLE", s, f"Dấu {name} viết chữ đứng, không in nghiêng.")
        if kind != "circulation" and s.position == "right":
            yield _at("MARK-STYLE", s, f"Dấu {name} đặt ở cột trái, dưới số ký hiệu (ô 10), không ở cột quốc hiệu.")
        elif kind != "circulation" and lay.so is not None and s.order < lay.so.order:
            yield _at("MARK-STYLE", s, f"Dấu {name} đặt dưới số ký hiệu (ô 10), không ở trên.")


# ------------------------------------------------------------------------ components the type needs (issue 17)


def _needs(lay: Layout) -> set[str]:
    """What the document's type cannot go without, from rules/completeness (the keys a
    draft must fill): "kinh_gui", "ky.ho_ten" (the signature)… and Nơi nhận, which the
    format gives every type with a signature but the giấy forms."""
    from drafter.rules import completeness

    if lay.doc_type is not None:
        slug = lay.doc_type.slug
    elif lay.is_cong_van:
        slug = "cong-van"
    else:
        return set()
    needs = {n.key for n in completeness.NEEDS.get(slug, ())}
    if slug == "to-trinh":
        needs.add("kinh_gui")  # a tờ trình is always addressed to the authority above
    if not slug.startswith(("giay-", "phieu-")) and not lay.attached:
        needs.add("noi_nhan")
    return needs


@rule("KG-MISSING", ERROR, "Công văn, tờ trình có «Kính gửi»", "docs/the-thuc.md#kinh-gui")
def kinh_gui_missing(lay: Layout) -> Iterator[Finding]:
    if "kinh_gui" in _needs(lay) and lay.kinh_gui is None:
        what = "Công văn" if lay.doc_type is None else lay.doc_type.name
        anchor = lay.vv[-1] if lay.vv else (lay.trich_yeu or lay.so)
        yield _at("KG-MISSING", anchor if anchor is not None else DOCUMENT,
                  f"{what} thiếu dòng «Kính gửi:» (nơi nhận văn bản) trước nội dung.")


@rule("NN-MISSING", ERROR, "Có phần «Nơi nhận:»", "docs/the-thuc.md#noi-nhan")
def noi_nhan_missing(lay: Layout) -> Iterator[Finding]:
    if "noi_nhan" in _needs(lay) and lay.noi_nhan is None:
        anchor = lay.signatures[0].authority[0] if lay.signatures else DOCUMENT
        yield _at("NN-MISSING", anchor, "Thiếu phần «Nơi nhận:» ở cuối văn bản (cột trái, ngang dòng "
                                        "thẩm quyền ký), với dòng «- Lưu: VT, …».")


def _signature_like(lay: Layout) -> bool:
    """CAPS lines after the body, in a table or on the right or centre (ĐẠI DIỆN BÊN A,
    a head's own title): a signature the locator did not name, not a missing one."""
    start = lay.blocks[0].header_end if lay.blocks else -1
    body_end = max((s.order for s in lay.body if s.para.table is None), default=start)
    for s in lay.segments[body_end + 1:]:
        if is_caps(s.text) and len(s.text) < 80 and (s.para.table is not None or s.position in ("right", "center")):
            return True
    return False


@rule("SIG-MISSING", ERROR, "Có thẩm quyền, chức vụ và họ tên người ký", "docs/the-thuc.md#tham-quyen-ky")
def signature_missing(lay: Layout) -> Iterator[Finding]:
    if "ky.ho_ten" not in _needs(lay):
        return
    if not lay.signatures and not _signature_like(lay):
        anchor = lay.noi_nhan or (lay.body[-1] if lay.body else None)
        yield _at("SIG-MISSING", anchor if anchor is not None else DOCUMENT,
                  "Không thấy phần chữ ký: thẩm quyền ký (TM., KT.…), chức vụ và họ tên người ký ở cuối văn bản.")
    elif lay.signatures:
        sig = lay.signatures[0]
        last = sig.authority[-1]
        lp = last.para
        below = [s for s in lay.segments[last.order + 1: last.order + 12]
                 if (s.para.table == lp.table and s.para.col == lp.col and (s.para.row or 0) >= (lp.row or 0))
                 if lp.table is not None] if lp.table is not None else [
            s for s in lay.segments[last.order + 1: last.order + 6] if s.position == last.position]
        if sig.signer is None and not below:
            yield _at("SIG-MISSING", last, "Thiếu họ tên người ký dưới chức vụ.")


# ------------------------------------------------------------------------ before issuing (issue 17)


def _para_loc(p) -> Location:
    if p.table is not None:
        return Location("cell", p.index, p.text, p.table, p.row, p.col)
    return Location("paragraph", p.index, p.text)


@rule("REV-TRACKED", WARNING, "Không còn thay đổi được theo dõi (Track Changes) chưa chấp nhận", "docs/the-thuc.md#truoc-khi-ban-hanh")
def rev_tracked(lay: Layout) -> Iterator[Finding]:
    paras = [p for p in lay.doc.paragraphs if p.revisions]
    if paras:
        n = sum(p.revisions for p in paras)
        yield _at("REV-TRACKED", _para_loc(paras[0]),
                  f"Văn bản còn {n} thay đổi được theo dõi (chèn, xóa, di chuyển, đổi định dạng) ở {len(paras)} "
                  "đoạn, chưa chấp nhận hay từ chối: trong Word, Xem lại → Chấp nhận tất cả thay đổi, rồi tắt "
                  "Theo dõi thay đổi trước khi ban hành.")


@rule("REV-COMMENT", WARNING, "Không còn chú thích (Comment)", "docs/the-thuc.md#truoc-khi-ban-hanh")
def rev_comment(lay: Layout) -> Iterator[Finding]:
    paras = [p for p in lay.doc.paragraphs if p.comments]
    if paras or lay.doc.comments_part:
        loc = _para_loc(paras[0]) if paras else DOCUMENT
        yield _at("REV-COMMENT", loc, "Văn bản còn chú thích (Comment) của người góp ý: trong Word, Xem lại → "
                                      "Xóa → Xóa tất cả chú thích trước khi ban hành.")


@rule("REV-HIDDEN", WARNING, "Không có chữ ẩn (Hidden)", "docs/the-thuc.md#truoc-khi-ban-hanh")
def rev_hidden(lay: Layout) -> Iterator[Finding]:
    found = [_at("REV-HIDDEN", _para_loc(p), f"Đoạn có chữ ẩn «{excerpt_text(p.hidden_text)}» (định dạng Hidden): "
                                              "không hiện khi in nhưng vẫn nằm trong tệp gửi đi; xóa hoặc bỏ ẩn.")
             for p in lay.doc.paragraphs if p.hidden_text.strip()]
    yield from _capped("REV-HIDDEN", found, "đoạn")


def excerpt_text(text: str) -> str:
    from .model import excerpt

    return excerpt(text, 40)


# Names that are programs, not people: a file made by them names no author.
_TOOL_AUTHORS = {"drafter", "python-docx", "docx4j", "un-named", "apache poi", "aspose", "openxml",
                 "libreoffice", "microsoft office", "microsoft office user", "admin", "administrator", "user"}


@rule("REV-AUTHOR", WARNING, "Thuộc tính tệp (tác giả, người sửa cuối) không mang tên người khác", "docs/the-thuc.md#truoc-khi-ban-hanh")
def rev_author(lay: Layout) -> Iterator[Finding]:
    issuers = [fold(" ".join(s.text for s in lay.issuer))]
    copy = getattr(lay, "copy", None)
    if copy is not None:  # a copy's file is made by the copying agency
        issuers.append(fold(" ".join(s.text for s in copy.issuer)))
    issuers = [i for i in issuers if i]
    labels = {"creator": "tác giả (Author)", "lastModifiedBy": "người sửa cuối (Last Modified By)"}
    for key in ("creator", "lastModifiedBy"):
        name = lay.doc.core.get(key, "")
        f = fold(name)
        if not f or f in _TOOL_AUTHORS or any(f in i or i in f for i in issuers):
            continue
        yield _at("REV-AUTHOR", DOCUMENT,
                  f"Thuộc tính tệp ghi {labels[key]} là «{name}», không phải cơ quan ban hành: trong Word, Tệp → "
                  "Thông tin → Kiểm tra tài liệu (Inspect Document) → xóa thông tin cá nhân, hoặc sửa cho đúng.")


# ------------------------------------------------------------------------ rules under the header (issue 17)


def _rule_under(lay: Layout, segs: list[Segment]) -> tuple[Segment, float, int, int] | None:
    """The rule drawn under the last of `segs`: in its own paragraph or the next two
    paragraphs of the same cell (or the body, outside tables)."""
    if not segs:
        return None
    last = segs[-1]
    p = last.para
    for q in lay.doc.paragraphs[p.index: p.index + 3]:
        if q.index > p.index and (q.table, q.row, q.col) != (p.table, p.row, p.col):
            break
        if q.index > p.index and q.text.strip():
            break
        if q.rule_lengths:
            # a header typed with tabs draws both rules in one paragraph: left, then right
            right = last.position == "right" or (last.nsegs > 1 and last.seg == last.nsegs - 1)
            return last, q.rule_lengths[-1] if right else q.rule_lengths[0], q.index, len(q.rule_lengths)
    return None


def _width_pt(seg: Segment) -> float:
    from drafter.rules import textwidth

    size = max(seg.sizes, default=G.ISSUER.pt)
    return textwidth.width_twips(seg.text, size, bold=seg.bold) / 20


@rule("ISSUER-RULE", ERROR, "Đường kẻ dưới tên cơ quan ban hành dài từ 1/3 đến 1/2 dòng chữ", "docs/the-thuc.md#cac-thanh-phan-the-thuc")
def issuer_rule(lay: Layout) -> Iterator[Finding]:
    if not lay.issuer:
        return
    found = _rule_under(lay, lay.issuer)
    if found is None:
        return
    seg, length, _where, _count = found
    named = [s for s in lay.issuer if s.bold] or lay.issuer
    widest = max(_width_pt(s) for s in named)
    lo = widest * G.ISSUER_RULE.allowed.lo * 0.85
    hi = max(widest * G.ISSUER_RULE.allowed.hi * 1.15, G.ISSUER_RULE_MIN_PT * 1.15)
    if not lo <= length <= hi:
        yield _at("ISSUER-RULE", seg, f"Đường kẻ dưới tên cơ quan dài {_pt(round(length))} pt; dòng chữ dài khoảng "
                                      f"{_pt(round(widest))} pt nên đường kẻ dài từ 1/3 đến 1/2 dòng chữ "
                                      f"(khoảng {_pt(round(widest / 3))}–{_pt(round(widest / 2))} pt), đặt cân đối giữa dòng.")


@rule("TN-RULE", ERROR, "Đường kẻ dưới tiêu ngữ dài bằng dòng chữ tiêu ngữ", "docs/the-thuc.md#cac-thanh-phan-the-thuc")
def tieu_ngu_rule(lay: Layout) -> Iterator[Finding]:
    if not lay.tieu_ngu:
        return
    found = _rule_under(lay, lay.tieu_ngu[:1])
    if found is None:
        return
    seg, length, where, count = found
    theirs = _rule_under(lay, lay.issuer)
    if count == 1 and theirs is not None and theirs[2] == where:
        return  # a tab layout's one line is the agency's (drawn first); the tiêu ngữ is underlined or bare
    width = _width_pt(seg)
    if not width * 0.8 <= length <= width * 1.2:
        yield _at("TN-RULE", seg, f"Đường kẻ dưới tiêu ngữ dài {_pt(round(length))} pt; đường kẻ dài bằng dòng chữ "
                                  f"tiêu ngữ (khoảng {_pt(round(width))} pt).")


@rule("MARK-SCOPE", ERROR, "Chỉ dẫn phạm vi lưu hành (LƯU HÀNH NỘI BỘ, XEM XONG TRẢ LẠI) chữ in hoa, đứng, đậm",
      "docs/the-thuc.md#do-khan-do-mat")
def mark_scope(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import marks

    for s in lay.segments:
        c = marks.classify(s.text)
        if c is None or c[0] != "circulation":
            continue
        if c[2] != "exact":
            yield _at("MARK-SCOPE", s, f"Chỉ dẫn phạm vi lưu hành viết chữ in hoa: «{c[1]}».")
        elif not s.bold:
            yield _at("MARK-SCOPE", s, "Chỉ dẫn phạm vi lưu hành phải in đậm.")
        elif s.any_italic:
            yield _at("MARK-SCOPE", s, "Chỉ dẫn phạm vi lưu hành viết chữ đứng, không in nghiêng.")


# ------------------------------------------------------------------------ what the file is
# (drafter.rules.document_kind; the elements located in drafter.check.locate)

COPY_RULES = ("COPY-STYLE", "COPY-SO", "COPY-PARTS", "COPY-LINE")
# The rules of an administrative document that also hold for a copy's own block.
COPY_BLOCK_RULES = ("PAGE-SIZE", "PAGE-MARGIN", "FONT-NAME", "SO-SLASH", "SO-ZERO", "DATE-ZERO",
                    "DATE-FORMAT", "DATE-ITALIC", "NN-STYLE", "NN-PUNCT", "NN-LUU", "SIG-PREFIX",
                    "SIG-ORDER", "SIG-AUTHORITY", "SIG-STYLE", "SIG-NAME", "SIG-TITLE")
# A trích sao copies some articles or paragraphs: the gaps in their numbering are the excerpt's.
EXCERPT_SKIPS = ("NUM-SEQ", "NUM-DIEM")
APPENDIX_RULES = ("APPX-STYLE", "PAGE-SIZE", "PAGE-MARGIN", "FONT-NAME", "TABLE-TOTAL", "TABLE-SUBTOTAL")
_KIND_RULES = {"NOT-ADMIN", "DOC-PARTY", "APPX-STYLE", *COPY_RULES}


@rule("DOC-PARTY", INFO, "Văn bản của Đảng (ĐẢNG CỘNG SẢN VIỆT NAM thay cho quốc hiệu): không kiểm tra "
      "theo Nghị định 30", "docs/the-thuc.md#cac-thanh-phan-the-thuc")
def doc_party(lay: Layout) -> Iterator[Finding]:
    if lay.kind == document_kind.PARTY and lay.party_header is not None:
        yield _at("DOC-PARTY", lay.party_header,
                  "Văn bản của Đảng: không kiểm tra theo Nghị định 30/2020/NĐ-CP. Thể thức văn bản "
                  "của Đảng theo Hướng dẫn 36-HD/VPTW, drafter check chưa kiểm tra được.")


@rule("TYPE-CONFLICT", WARNING, "Dấu hiệu loại văn bản không mâu thuẫn (quyết định có V/v, Kính gửi…)",
      "docs/the-thuc.md#ten-loai-va-trich-yeu")
def type_conflict(lay: Layout) -> Iterator[Finding]:
    yield from _type_signals(lay, "TYPE-CONFLICT")


@rule("TL-TWO", WARNING, "Chỉ một tên loại văn bản (hai tên loại: báo để người xem lại)",
      "docs/the-thuc.md#ten-loai-va-trich-yeu")
def type_two(lay: Layout) -> Iterator[Finding]:
    yield from _type_signals(lay, "TL-TWO")


def _type_signals(lay: Layout, rule_id: str) -> Iterator[Finding]:
    for rid, message, seg in lay.type_conflicts:
        if rid == rule_id:
            yield _at(rid, seg, message + " drafter check kiểm tra theo tên loại «"
                      + (lay.doc_type.caps_name if lay.doc_type else "?") + "»; cần người xem lại.")


@rule("COPY-STYLE", ERROR, "Bản sao: hình thức sao (SAO Y, SAO LỤC, TRÍCH SAO) chữ in hoa, đậm, cỡ 13–14",
      "docs/the-thuc.md#quy-dinh-drafter-khong-lam-thay")
def copy_form(lay: Layout) -> Iterator[Finding]:
    s = lay.copy_form
    if lay.copy is None or s is None:
        return
    problem = document_kind.copy_form_problem(s.text)
    if problem:
        yield _at("COPY-STYLE", s, problem)
    elif not s.bold:
        yield _at("COPY-STYLE", s, f"Hình thức sao «{s.text}» phải in đậm.")
    bad = sorted(x for x in s.sizes if not 13 - G.SIZE_TOLERANCE_PT <= x <= 14 + G.SIZE_TOLERANCE_PT)
    if bad:
        yield _at("COPY-STYLE", s, f"Cỡ chữ của hình thức sao là {_pt(bad[0])} pt; đúng là 13–14 pt.")


@rule("COPY-SO", ERROR, "Bản sao: số ký hiệu của bản sao dùng SY (sao y), SL (sao lục), TrS (trích sao)",
      "docs/the-thuc.md#quy-dinh-drafter-khong-lam-thay")
def copy_so(lay: Layout) -> Iterator[Finding]:
    if lay.copy is None or lay.copy_form is None or lay.copy.so is None:
        return
    form = document_kind.copy_form(lay.copy_form.text)
    if form is None:
        return
    for p in copies.validate(form=form, so_line=lay.copy.so.text):  # the writer's rule (drafter sao)
        yield _at("COPY-SO", lay.copy.so, p.message)


@rule("COPY-LINE", ERROR, "Bản sao: đường kẻ ngang hết chiều rộng dòng chữ giữa văn bản được sao và phần sao",
      "docs/the-thuc.md#quy-dinh-drafter-khong-lam-thay")
def copy_line(lay: Layout) -> Iterator[Finding]:
    c = lay.copy
    if c is None or lay.copy_form is None or not c.segments:
        return
    first = c.segments[0].para
    paras = lay.doc.paragraphs
    if first.index == 0:  # only the block is text (the copied pages scanned): nothing to rule off
        return
    secs = lay.doc.sections
    sec = secs[min(first.section, len(secs) - 1)] if secs else None
    width_pt = (_text_width(sec) if sec is not None else _A4_TEXT) / 20
    length = None
    for q in reversed(paras[max(0, first.index - 3): first.index]):
        if q.table is not None:
            break
        if q.rule_lengths:
            length = max(q.rule_lengths)
        elif q.border_bottom:
            length = max(0.0, width_pt - q.ind_left / 20)
        if length is not None or q.text.strip():
            break
    problem = copies.line_problem(length, width_pt)
    if problem:
        yield _at("COPY-LINE", c.segments[0], problem)


@rule("COPY-PARTS", ERROR, "Bản sao: phần sao có số, ngày tháng, chữ ký và nơi nhận; không có quốc hiệu riêng",
      "docs/the-thuc.md#quy-dinh-drafter-khong-lam-thay")
def copy_parts(lay: Layout) -> Iterator[Finding]:
    c = lay.copy
    if c is None or lay.copy_form is None:
        return
    missing = [name for name, have in (("số «Số: …/SY-…»", c.so), ("địa danh, ngày tháng", c.date),
                                       ("chữ ký (thẩm quyền và họ tên)", c.signatures),
                                       ("nơi nhận", c.noi_nhan)) if not have]
    if missing:
        yield _at("COPY-PARTS", lay.copy_form, "Phần sao thiếu: " + ", ".join(missing) + ".")
    if c.quoc_hieu:
        yield _at("COPY-PARTS", c.quoc_hieu[0].seg, "Phần sao không có quốc hiệu riêng "
                  "(quốc hiệu là của văn bản được sao).")


@rule("APPX-STYLE", ERROR, "Phụ lục: «Phụ lục» giữa, đậm; tên phụ lục giữa, đậm, in hoa; dòng «(Kèm theo …)» giữa, nghiêng",
      "docs/the-thuc.md#phu-luc")
def appendix_form(lay: Layout) -> Iterator[Finding]:
    head = lay.appendix_heading
    if lay.kind != document_kind.APPENDIX or head is None:
        return
    segs = lay.segments
    if head.para.align != "center" or not head.bold:
        yield _at("APPX-STYLE", head, "Chữ «Phụ lục» đặt giữa dòng, in đậm.")
    kem = next((s for s in segs[1:4] if document_kind.is_kem_theo(s.text)), None)
    title = [s for s in segs[1: kem.order if kem else 2]]
    for s in title:
        if not (is_caps(s.text) and s.bold):
            yield _at("APPX-STYLE", s, "Tên phụ lục viết chữ in hoa, in đậm, đặt giữa dòng.")
    if kem is not None and (not kem.italic or kem.para.align != "center"):
        yield _at("APPX-STYLE", kem, "Dòng «(Kèm theo …)» đặt giữa dòng, in nghiêng.")


# ------------------------------------------------------------------------ catalogue helpers


def catalogue() -> list[Rule]:
    return list(RULES.values())


__all__ = ["RULES", "Rule", "check_document", "check_layout", "is_administrative", "catalogue",
           "citations"]


# ------------------------------------------------------------------ figures and periods in the text


def _paragraph_texts(lay: Layout) -> Iterator[tuple[Segment, str]]:
    """Each paragraph's first segment and its whole text, once (the rules below read
    sentences, which a line break or a tab does not end)."""
    seen: set[int] = set()
    for s in lay.segments:
        if s.para.index in seen:
            continue
        seen.add(s.para.index)
        yield s, norm(s.para.text)


@rule("FIGURE-SUM", ERROR, "Con số trong lời văn khớp nhau: tổng bằng các phần «trong đó»",
      "docs/the-thuc.md#nhung-loi-drafter-khong-cho-xay-ra")
def figure_sum(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import figure_sums

    paras = list(_paragraph_texts(lay))
    for i, text in figure_sums.with_lists([text for _, text in paras]):
        for p in figure_sums.validate(text):
            yield _at("FIGURE-SUM", paras[i][0], p.message, severity=p.severity)


@rule("PERIOD-ORDER", ERROR, "Giai đoạn «năm đầu - năm cuối» có năm cuối sau năm đầu",
      "docs/the-thuc.md#nhung-loi-drafter-khong-cho-xay-ra")
def period_order(lay: Layout) -> Iterator[Finding]:
    from drafter.rules import periods

    for s, text in _paragraph_texts(lay):
        for p in periods.validate(text):
            yield _at("PERIOD-ORDER", s, p.message)
