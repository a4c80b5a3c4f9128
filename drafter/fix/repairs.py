"""One small repair per fixable rule id of `drafter check`.

A repair takes the :class:`Fixer` (the checker's reading of the document, the
located elements and the XML behind them) and the rule's findings, edits the tree
and records each change (rule id, where, what, in Vietnamese). It changes formatting,
or the punctuation, leading zeros and fixed spellings the format prescribes; never
the words of the body. Numbers come from drafter.rules.geometry / rules.layout, the
same the writer and the checker use. A finding a repair cannot mend safely is left
for a person (the report lists what `check` still says after the repairs).

>>> {"FONT-SIZE", "DATE-ZERO", "PAGE-NUM-MISSING"} <= set(REPAIRS), "SIG-AUTHORITY" in REPAIRS
(True, False)
>>> fix_date_zeros("Hưng Yên, ngày 5 tháng 2 năm 2017")
'Hưng Yên, ngày 05 tháng 02 năm 2017'
>>> fix_date_zeros("Hà Tĩnh, ngày 13 tháng 05 năm 2019")
'Hà Tĩnh, ngày 13 tháng 5 năm 2019'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from drafter.check import locate as L_
from drafter.check.locate import QUOC_HIEU, TIEU_NGU, Layout, Segment, is_caps
from drafter.check.model import Finding, Location
from drafter.oxml import half_points, qn, twips_from_pt
from drafter.rules import geometry as G
from drafter.rules import layout as L

from . import edit
from .view import View


@dataclass
class Change:
    rule_id: str
    location: Location
    what: str  # Vietnamese

    def as_dict(self) -> dict:
        return {"rule": self.rule_id, "location": self.location.as_dict(), "change": self.what}


@dataclass
class Fixer:
    view: View
    layout: Layout
    changes: list[Change] = field(default_factory=list)
    header_request: dict = field(default_factory=dict)  # what api.py must add to other parts

    def note(self, rule_id: str, where: Segment | Location, what: str) -> None:
        loc = where.location() if isinstance(where, Segment) else where
        self.changes.append(Change(rule_id, loc, what))

    def runs(self, seg: Segment):
        return self.view.seg_runs(seg)

    def style(self, rule_id: str, seg: Segment, *, bold: bool | None = None, italic: bool | None = None,
              what: str) -> None:
        changed = False
        for r in self.runs(seg):
            edit.set_run(r, bold=bold, italic=italic)
            changed = True
        if changed:
            self.note(rule_id, seg, what)

    def upper(self, rule_id: str, seg: Segment) -> None:
        """Capitals for an element the format writes in capitals (never body text)."""
        if is_caps(seg.text):
            return
        runs = self.runs(seg)
        for t in edit.texts(runs):
            if t.text:
                edit._set_text(t, t.text.upper())
        self.note(rule_id, seg, "viết chữ in hoa")


Repair = Callable[[Fixer, list[Finding]], None]
REPAIRS: dict[str, Repair] = {}


def repair(*rule_ids: str):
    def deco(fn: Repair) -> Repair:
        for rid in rule_ids:
            REPAIRS[rid] = fn
        return fn
    return deco


def _pt(v: float) -> str:
    return f"{v:g}".replace(".", ",")


# ------------------------------------------------------------------------ page

def _sect(fx: Fixer, f: Finding):
    i = f.location.index
    if f.location.kind != "section" or i is None or i >= len(fx.view.sections):
        return None
    return fx.view.sections[i]


@repair("PAGE-SIZE")
def page_size(fx: Fixer, findings: list[Finding]) -> None:
    for f in findings:
        sect = _sect(fx, f)
        if sect is None:
            continue
        sz = edit.child(sect, "pgSz", edit.SECT_ORDER)
        landscape = fx.view.doc.sections[f.location.index].orientation == "landscape" and f.location.index > 0
        w, h = (L.PAGE_H, L.PAGE_W) if landscape else (L.PAGE_W, L.PAGE_H)
        sz.set(qn("w:w"), str(w))
        sz.set(qn("w:h"), str(h))
        if landscape:
            sz.set(qn("w:orient"), "landscape")
        else:
            sz.attrib.pop(qn("w:orient"), None)
        fx.note("PAGE-SIZE", f.location, f"đặt khổ A4 {G.PAPER_MM[0]} × {G.PAPER_MM[1]} mm"
                + (" (ngang)" if landscape else " (dọc)"))


_MARGIN_TWIPS = {"top": L.MARGIN_TOP, "bottom": L.MARGIN_BOTTOM, "left": L.MARGIN_LEFT, "right": L.MARGIN_RIGHT}


@repair("PAGE-MARGIN")
def page_margin(fx: Fixer, findings: list[Finding]) -> None:
    for f in findings:
        sect = _sect(fx, f)
        if sect is None:
            continue
        sec = fx.view.doc.sections[f.location.index]
        mar = edit.child(sect, "pgMar", edit.SECT_ORDER)
        done = []
        for side, m in G.MARGINS.items():
            v = sec.margins.get(side)
            if v is not None and not m.allowed.holds(v, G.MARGIN_TOLERANCE_MM):
                mar.set(qn("w:" + side), str(_MARGIN_TWIPS[side]))
                done.append(f"{m.name} {_pt(round(v, 1))} → {_pt(m.value)} mm")
        for attr, value in (("header", L.HEADER_DISTANCE), ("footer", L.FOOTER_DISTANCE), ("gutter", 0)):
            if mar.get(qn("w:" + attr)) is None:
                mar.set(qn("w:" + attr), str(value))
        if done:
            fx.note("PAGE-MARGIN", f.location, "lề trang: " + "; ".join(done))


@repair("PAGE-NUM-FIRST")
def page_number_first(fx: Fixer, findings: list[Finding]) -> None:
    if not findings or not fx.view.sections or fx.view.sections[0] is None:
        return
    sec = fx.view.doc.sections[0]
    if sec.title_pg:
        return  # the first-page header itself holds a number: a person decides
    edit.child(fx.view.sections[0], "titlePg", edit.SECT_ORDER)
    fx.note("PAGE-NUM-FIRST", findings[0].location, "bật «Khác ở trang đầu» (titlePg): trang 1 không có số trang")


@repair("PAGE-NUM-MISSING")
def page_number_missing(fx: Fixer, findings: list[Finding]) -> None:
    if not findings or not fx.view.sections or fx.view.sections[0] is None:
        return
    fx.header_request["add"] = True
    edit.child(fx.view.sections[0], "titlePg", edit.SECT_ORDER)
    fx.note("PAGE-NUM-MISSING", findings[0].location,
            f"thêm số trang giữa lề trên, cỡ {_pt(G.PAGE_NUMBER.pt)} pt, từ trang 2 (trang 1 không đánh số)")


@repair("PAGE-NUM-PLACE")
def page_number_place(fx: Fixer, findings: list[Finding]) -> None:
    if not findings or not fx.view.sections or fx.view.sections[0] is None:
        return
    feet = {footer.name for sec in fx.view.doc.sections for _h, footer in [sec.page_parts("later")]
            if footer is not None and footer.has_page_field}
    fx.header_request["add"] = True
    fx.header_request.setdefault("unfoot", set()).update(feet)
    fx.note("PAGE-NUM-PLACE", findings[0].location,
            f"chuyển số trang từ chân trang lên giữa lề trên, cỡ {_pt(G.PAGE_NUMBER.pt)} pt")


@repair("PAGE-NUM-STYLE")
def page_number_style(fx: Fixer, findings: list[Finding]) -> None:
    for f in findings:
        i = f.location.index or 0
        header, _ = fx.view.doc.sections[i].page_parts("later")
        if header is not None:
            fx.header_request.setdefault("restyle", set()).add(header.name)
            fx.note("PAGE-NUM-STYLE", f.location,
                    f"số trang canh giữa, cỡ {_pt(G.PAGE_NUMBER.pt)} pt (phần {header.name})")


# ------------------------------------------------------------------------ fonts, sizes, colour

def _para_loc(p) -> Location:
    if p.table is not None:
        return Location("cell", p.index, p.text, p.table, p.row, p.col)
    return Location("paragraph", p.index, p.text)


@repair("FONT-NAME")
def font_name(fx: Fixer, findings: list[Finding]) -> None:
    for p in fx.view.doc.paragraphs:
        elements = fx.view.runs.get(p.index, [])
        bad = set()
        for run, r in zip(p.runs, elements):
            fonts = {run.props.font(slot) for slot in ("ascii", "hAnsi")} - {None, G.FONT}
            if fonts:
                bad |= fonts
                edit.set_run(r, font=G.FONT)
        if bad:
            fx.note("FONT-NAME", _para_loc(p), f"phông {', '.join(sorted(bad))} → {G.FONT}")


_BLACK = {"auto", "000000"}


@repair("FONT-COLOR")
def font_color(fx: Fixer, findings: list[Finding]) -> None:
    for p in fx.view.doc.paragraphs:
        elements = fx.view.runs.get(p.index, [])
        bad = set()
        for run, r in zip(p.runs, elements):
            c = run.props.color
            if c is not None and c.lower() not in _BLACK and c.upper() not in _BLACK:
                bad.add(c.upper())
                edit.set_run(r, black=True)
        if bad:
            fx.note("FONT-COLOR", _para_loc(p), f"chữ màu #{', #'.join(sorted(bad))} → đen")


def _size_elements(lay: Layout) -> list[tuple[str, list[Segment]]]:
    """The same elements the checker sizes (drafter.check.rules.sized_elements), and the body."""
    from drafter.check.rules import _main_body, sized_elements

    return [*sized_elements(lay), ("body", _main_body(lay))]


@repair("FONT-SIZE")
def font_size(fx: Fixer, findings: list[Finding]) -> None:
    for element, segs in _size_elements(fx.layout):
        e = G.ELEMENTS[element]
        for seg in segs:
            bad = sorted(s for s in seg.sizes if not e.allowed.holds(s, G.SIZE_TOLERANCE_PT))
            if not bad:
                continue
            runs = fx.runs(seg) if element != "body" else fx.view.runs.get(seg.para.index, [])
            for r in runs:
                edit.set_run(r, size_half_points=half_points(e.pt))
            fx.note("FONT-SIZE", seg, f"cỡ chữ của {e.name} {', '.join(_pt(s) for s in bad)} → {_pt(e.pt)} pt")


# ------------------------------------------------------------------------ header elements

@repair("QH-TEXT")
def qh_text(fx: Fixer, findings: list[Finding]) -> None:
    for q in fx.layout.quoc_hieu:
        if q.kind == "exact":
            continue
        runs = fx.runs(q.seg)
        if edit.replace_text(runs, q.seg.raw.strip(), QUOC_HIEU, fold=True):
            fx.note("QH-TEXT", q.seg, f"«{q.seg.text}» → «{QUOC_HIEU}»")


@repair("QH-STYLE")
def qh_style(fx: Fixer, findings: list[Finding]) -> None:
    for q in fx.layout.quoc_hieu:
        if not q.seg.bold or q.seg.any_italic:
            fx.style("QH-STYLE", q.seg, bold=True, italic=False, what="quốc hiệu in đậm, chữ đứng")


@repair("TN-TEXT")
def tn_text(fx: Fixer, findings: list[Finding]) -> None:
    for s in fx.layout.tieu_ngu:
        if s.text != TIEU_NGU and edit.replace_text(fx.runs(s), s.raw.strip(), TIEU_NGU, fold=True):
            fx.note("TN-TEXT", s, f"«{s.text}» → «{TIEU_NGU}»")


@repair("TN-STYLE")
def tn_style(fx: Fixer, findings: list[Finding]) -> None:
    for s in fx.layout.tieu_ngu:
        if not s.bold or s.any_italic:
            fx.style("TN-STYLE", s, bold=True, italic=False, what="tiêu ngữ in đậm, chữ đứng")


@repair("ISSUER-STYLE")
def issuer_style(fx: Fixer, findings: list[Finding]) -> None:
    issuer = fx.layout.issuer
    if not issuer:
        return
    for s in issuer:
        fx.upper("ISSUER-STYLE", s)
    if not issuer[-1].bold:
        fx.style("ISSUER-STYLE", issuer[-1], bold=True, what="tên cơ quan ban hành in đậm")


_SO_NUMBER = re.compile(r"^(\s*S[ốỐ]\s*:?\s*)(\d)(\s*/)")


@repair("SO-ZERO")
def so_zero(fx: Fixer, findings: list[Finding]) -> None:
    so = fx.layout.so
    if so is None or not findings:
        return
    m = _SO_NUMBER.match(so.raw)
    if m and m.group(2) != "0" and edit.replace_text(fx.runs(so), m.group(0), m.group(1) + "0" + m.group(2) + m.group(3)):
        fx.note("SO-ZERO", so, f"số «{m.group(2)}» → «0{m.group(2)}»")


_DAY = re.compile(r"(ngày\s+)(\d{1,2})(?=\s)", re.IGNORECASE)
_MONTH = re.compile(r"(tháng\s+)(\d{1,2})(?=\s)", re.IGNORECASE)


def fix_date_zeros(text: str) -> str:
    """Days under 10 and months 1, 2 with a leading 0; other months without (FORMAT.md)."""
    def day(m: re.Match) -> str:
        n = int(m.group(2))
        return m.group(1) + (f"{n:02d}" if 1 <= n <= 31 else m.group(2))

    def month(m: re.Match) -> str:
        n = int(m.group(2))
        if not 1 <= n <= 12:
            return m.group(0)
        return m.group(1) + (f"{n:02d}" if n <= 2 else str(n))

    return _MONTH.sub(month, _DAY.sub(day, text, count=1), count=1)


@repair("DATE-ZERO")
def date_zero(fx: Fixer, findings: list[Finding]) -> None:
    d = fx.layout.date
    if d is None or not findings:
        return
    old = d.raw.strip()
    new = fix_date_zeros(old)
    if new != old and edit.replace_text(fx.runs(d), old, new):
        fx.note("DATE-ZERO", d, f"«{L_.norm(old)}» → «{L_.norm(new)}»")


@repair("DATE-ITALIC")
def date_italic(fx: Fixer, findings: list[Finding]) -> None:
    d = fx.layout.date
    if d is not None and (not d.italic or d.bold):
        fx.style("DATE-ITALIC", d, bold=False, italic=True, what="dòng ngày tháng in nghiêng, không đậm")


@repair("TL-STYLE")
def tl_style(fx: Fixer, findings: list[Finding]) -> None:
    lay = fx.layout
    if lay.ten_loai is not None and not lay.ten_loai.bold:
        fx.style("TL-STYLE", lay.ten_loai, bold=True, what="tên loại in đậm")
    if lay.trich_yeu is not None and lay.doc_type is not None and not lay.trich_yeu.bold:
        fx.style("TL-STYLE", lay.trich_yeu, bold=True, what="trích yếu in đậm")


@repair("VV-STYLE")
def vv_style(fx: Fixer, findings: list[Finding]) -> None:
    if not fx.layout.is_cong_van:
        return
    for s in fx.layout.vv:
        if any(pr.bold for pr in s.props) or s.any_italic:
            fx.style("VV-STYLE", s, bold=False, italic=False, what="trích yếu V/v chữ đứng, không đậm")


@repair("VV-SPACE")
def vv_space(fx: Fixer, findings: list[Finding]) -> None:
    lay = fx.layout
    if not findings or not lay.vv or lay.so is None or lay.vv[0].para is lay.so.para:
        return  # V/v in the số paragraph: a person splits it
    first = lay.vv[0]
    edit.set_para(fx.view.p(first.para), before=twips_from_pt(G.VV.before))
    fx.note("VV-SPACE", first, f"cách dòng số ký hiệu {_pt(G.VV.before)} pt (Spacing Before)")


@repair("MARK-STYLE")
def mark_style(fx: Fixer, findings: list[Finding]) -> None:
    from drafter.check.rules import _marks

    for s, _c in _marks(fx.layout):
        if not s.bold or s.any_italic:
            fx.style("MARK-STYLE", s, bold=True, italic=False, what="dấu độ khẩn, độ mật in đậm, chữ đứng")


# ------------------------------------------------------------------------ Kính gửi, Nơi nhận

_DASH_HEAD = re.compile(r"^\s*[-–—‒―−+•]\s*")


def _item_punct(fx: Fixer, rule_id: str, item, end: str) -> None:
    first, last = item.segs[0], item.segs[-1]
    text = item.text.strip()
    did = []
    if not text.startswith("- "):
        m = _DASH_HEAD.match(first.raw)
        if m:
            edit.replace_text(fx.runs(first), m.group(0).lstrip(), "- ")
        else:
            edit.prepend_text(fx.runs(first), "- ")
        did.append("đầu dòng «- »")
    if not text.endswith(end) or text.rstrip(end)[-1:] in ";.,:":
        edit.strip_end(fx.runs(last), ";.,:")
        edit.append_text(fx.runs(last), end)
        did.append(f"cuối dòng «{end}»")
    if did:
        fx.note(rule_id, first, ", ".join(did))


@repair("KG-PUNCT")
def kg_punct(fx: Fixer, findings: list[Finding]) -> None:
    lay = fx.layout
    kg = lay.kinh_gui
    if kg is None or not findings:
        return
    if not re.match(r"^Kính gửi\s*:", kg.text):
        m = re.match(r"^(Kính\s+gửi)\s*", kg.raw.strip(), re.IGNORECASE)
        if m and edit.replace_text(fx.runs(kg), m.group(0), "Kính gửi: " if kg.text[m.end():].strip() else "Kính gửi:"):
            fx.note("KG-PUNCT", kg, "thêm dấu hai chấm: «Kính gửi:»")
    rest = kg.text.split(":", 1)[1].strip() if ":" in kg.text else kg.text[len("Kính gửi"):].strip()
    if rest:
        if rest.endswith((";", ",")):
            edit.strip_end(fx.runs(kg), ";,")
            edit.append_text(fx.runs(kg), ".")
            fx.note("KG-PUNCT", kg, "một nơi nhận: kết thúc bằng «.»")
        return
    items = lay.kinh_gui_items
    if len(items) < 2:
        return
    for i, it in enumerate(items):
        _item_punct(fx, "KG-PUNCT", it, "." if i == len(items) - 1 else ";")


_LUU = re.compile(r"^[-–—‒―−+•]?\s*Lưu\b", re.IGNORECASE)


@repair("NN-STYLE")
def nn_style(fx: Fixer, findings: list[Finding]) -> None:
    nn = fx.layout.noi_nhan
    if nn is None or not findings:
        return
    if not (nn.bold and nn.italic):
        fx.style("NN-STYLE", nn, bold=True, italic=True, what="«Nơi nhận:» in nghiêng, đậm")
    if not re.match(r"^Nơi nhận\s*:", nn.text):
        m = re.match(r"^Nơi\s+nhận\s*:?", nn.raw.strip(), re.IGNORECASE)
        if m and edit.replace_text(fx.runs(nn), m.group(0), "Nơi nhận:", fold=True):
            fx.note("NN-STYLE", nn, "viết «Nơi nhận:»")


@repair("NN-PUNCT")
def nn_punct(fx: Fixer, findings: list[Finding]) -> None:
    if not findings:
        return
    for it in fx.layout.noi_nhan_items:
        if not _LUU.match(it.text.strip()):
            _item_punct(fx, "NN-PUNCT", it, ";")


@repair("NN-LUU")
def nn_luu(fx: Fixer, findings: list[Finding]) -> None:
    items = fx.layout.noi_nhan_items
    if not findings or not items:
        return
    last = items[-1]
    text = last.text.strip()
    if not _LUU.match(text) or not re.search(r"\bVT\b", text):
        return  # no «- Lưu: VT…» line: a person writes it
    _item_punct(fx, "NN-LUU", last, ".")


# ------------------------------------------------------------------------ signature

@repair("SIG-STYLE")
def sig_style(fx: Fixer, findings: list[Finding]) -> None:
    for sig in fx.layout.signatures:
        for s in sig.authority:
            fx.upper("SIG-STYLE", s)
            if not s.bold:
                fx.style("SIG-STYLE", s, bold=True, what="thẩm quyền, chức vụ in đậm")
        if sig.signer is not None and not sig.signer.bold:
            fx.style("SIG-STYLE", sig.signer, bold=True, what="họ tên người ký in đậm")


# ------------------------------------------------------------------------ body

def _body(fx: Fixer) -> list[Segment]:
    from drafter.check.rules import _body_paragraphs

    return _body_paragraphs(fx.layout)


@repair("BODY-ALIGN")
def body_align(fx: Fixer, findings: list[Finding]) -> None:
    for s in _body(fx):
        if s.para.align not in ("both", "distribute"):
            edit.set_para(fx.view.p(s.para), jc="both")
            fx.note("BODY-ALIGN", s, "căn đều hai lề")


@repair("BODY-INDENT")
def body_indent(fx: Fixer, findings: list[Finding]) -> None:
    r = G.BODY_INDENT_MM.allowed
    for s in _body(fx):
        mm = s.para.ind_first * 25.4 / 1440
        if not r.lo - 0.3 <= mm <= r.hi + 0.3:
            edit.set_para(fx.view.p(s.para), first_line=L.BODY_INDENT)
            fx.note("BODY-INDENT", s, f"lùi đầu dòng {_pt(G.BODY_INDENT_MM.value / 10)} cm")


@repair("BODY-SPACING")
def body_spacing(fx: Fixer, findings: list[Finding]) -> None:
    want = twips_from_pt(G.BODY_AFTER.allowed.lo)
    for a in _body(fx):
        if (a.para.space_after or 0) + (a.para.space_before or 0) < want - 1:
            edit.set_para(fx.view.p(a.para), after=L.BODY_AFTER)
            fx.note("BODY-SPACING", a, f"cách đoạn sau {_pt(G.BODY_AFTER.value)} pt")


@repair("BODY-LINE")
def body_line(fx: Fixer, findings: list[Finding]) -> None:
    from drafter.check.rules import RULES

    flagged = {f.location.index for f in RULES["BODY-LINE"].check(fx.layout) if f.location.index is not None}
    for s in _body(fx):
        m = s.para.line / 240 if s.para.line is not None and s.para.line_rule in (None, "auto") else None
        if s.para.index in flagged or (m is not None and not 0.99 <= m <= 1.51):
            edit.set_para(fx.view.p(s.para), line=L.BODY_LINE)
            fx.note("BODY-LINE", s, f"giãn dòng {_pt(G.BODY_LINE.value)} dòng")


@repair("BODY-ITALIC")
def body_italic(fx: Fixer, findings: list[Finding]) -> None:
    for s in _body(fx):
        if s.para.runs and all(r.props.italic for r in s.para.runs if r.text.strip()):
            for r in fx.view.runs.get(s.para.index, []):
                edit.set_run(r, italic=False)
            fx.note("BODY-ITALIC", s, "đoạn nội dung chữ đứng")


@repair("CANCU-ITALIC")
def can_cu_italic(fx: Fixer, findings: list[Finding]) -> None:
    for s in fx.layout.can_cu:
        if not s.italic:
            fx.style("CANCU-ITALIC", s, italic=True, what="dòng căn cứ in nghiêng")


@repair("CANCU-PUNCT")
def can_cu_punct(fx: Fixer, findings: list[Finding]) -> None:
    cc = fx.layout.can_cu
    for i, s in enumerate(cc):
        end = "." if i == len(cc) - 1 else ";"
        if s.text.rstrip()[-1:] != end:
            edit.strip_end(fx.runs(s), ";.,:")
            edit.append_text(fx.runs(s), end)
            fx.note("CANCU-PUNCT", s, f"kết thúc bằng «{end}»")


@repair("BODY-END")
def body_end(fx: Fixer, findings: list[Finding]) -> None:
    from drafter.rules import body as body_rules

    for f in findings:
        seg = next((s for s in fx.layout.all_body() if s.para.index == f.location.index and s.text), None)
        if seg is None:
            for b in fx.layout.blocks:
                segs = [s for s in b.body if s.text and s.para.index == f.location.index]
                seg = segs[-1] if segs else seg
        if seg is None:
            continue
        segs = [s for s in fx.layout.segments if s.para is seg.para and s.text]
        last = segs[-1] if segs else seg
        edit.strip_end(fx.runs(last), "./;,:")  # also a mangled mark («. /», «/.»)
        edit.append_text(fx.runs(last), body_rules.END_MARK)
        fx.note("BODY-END", last, f"kết thúc nội dung bằng «{body_rules.END_MARK}»")


# ------------------------------------------------------------------------ numbering, copies, appendices

def _bold_label(fx: Fixer, seg: Segment, label: str) -> bool:
    """Bold the first len(label) visible characters of a segment (splitting a run there)."""
    n = len(label.replace(" ", ""))
    for r in fx.runs(seg):
        ts = list(r.iter(edit.qn("w:t")))
        text = "".join(t.text or "" for t in ts)
        visible = len(text.replace(" ", "").replace("\u00a0", ""))
        if visible <= n:
            edit.set_run(r, bold=True)
            n -= visible
            if n <= 0:
                return True
            continue
        if len(ts) != 1:
            edit.set_run(r, bold=True)
            return True
        cut, seen = 0, 0
        while cut < len(text) and seen < n:
            if text[cut] not in " \u00a0":
                seen += 1
            cut += 1
        edit.split_run(r, cut)
        edit.set_run(r, bold=True)
        return True
    return True


@repair("NUM-STYLE")
def num_style(fx: Fixer, findings: list[Finding]) -> None:
    from drafter.check.rules import _body_lines, _label_bold
    from drafter.rules import body as body_rules
    from drafter.rules import structure

    for segs in _body_lines(fx.layout):
        after_chapter = False
        for s in segs:
            k = structure.kind(s.text)
            if k == structure.CHAPTER:
                if not s.bold:
                    fx.style("NUM-STYLE", s, bold=True, what=f"«{s.text.split()[0]} …» in đậm")
                if s.para.align != "center":
                    edit.set_para(fx.view.p(s.para), jc="center")
                    fx.note("NUM-STYLE", s, "canh giữa")
                after_chapter = True
                continue
            if after_chapter and k == structure.TEXT and len(s.text) < 200 and is_caps(s.text) and not s.bold:
                fx.style("NUM-STYLE", s, bold=True, what="tên phần, chương in đậm")
            after_chapter = False
            if k == structure.ARTICLE:
                m = body_rules._ARTICLE.match(s.text)
                if m and not _label_bold(s, m.group(1)) and _bold_label(fx, s, m.group(1)):
                    fx.note("NUM-STYLE", s, f"«{m.group(1)}» in đậm")
            elif k == structure.SECTION and re.match(r"^[IVXLC]+\.", s.text) and not s.bold:
                fx.style("NUM-STYLE", s, bold=True, what="đề mục in đậm")


@repair("COPY-STYLE")
def copy_style(fx: Fixer, findings: list[Finding]) -> None:
    s = fx.layout.copy_form
    if s is None or not findings:
        return
    fx.upper("COPY-STYLE", s)
    if not s.bold:
        fx.style("COPY-STYLE", s, bold=True, what="hình thức sao in đậm")
    bad = [x for x in s.sizes if not 13 - G.SIZE_TOLERANCE_PT <= x <= 14 + G.SIZE_TOLERANCE_PT]
    if bad:
        for r in fx.runs(s):
            edit.set_run(r, size_half_points=half_points(14))
        fx.note("COPY-STYLE", s, "cỡ chữ hình thức sao 14 pt")


@repair("APPX-STYLE")
def appendix_style(fx: Fixer, findings: list[Finding]) -> None:
    from drafter.rules import document_kind

    lay = fx.layout
    head = lay.appendix_heading
    if head is None or not findings:
        return
    if head.para.align != "center":
        edit.set_para(fx.view.p(head.para), jc="center")
        fx.note("APPX-STYLE", head, "«Phụ lục» canh giữa")
    if not head.bold:
        fx.style("APPX-STYLE", head, bold=True, what="«Phụ lục» in đậm")
    segs = lay.segments
    kem = next((s for s in segs[1:4] if document_kind.is_kem_theo(s.text)), None)
    for s in segs[1: kem.order if kem else 2]:
        fx.upper("APPX-STYLE", s)
        if not s.bold:
            fx.style("APPX-STYLE", s, bold=True, what="tên phụ lục in đậm")
        if s.para.align != "center":
            edit.set_para(fx.view.p(s.para), jc="center")
            fx.note("APPX-STYLE", s, "tên phụ lục canh giữa")
    if kem is not None:
        if not kem.italic:
            fx.style("APPX-STYLE", kem, italic=True, what="dòng «(Kèm theo …)» in nghiêng")
        if kem.para.align != "center":
            edit.set_para(fx.view.p(kem.para), jc="center")
            fx.note("APPX-STYLE", kem, "dòng «(Kèm theo …)» canh giữa")


@repair("MARK-SCOPE")
def mark_scope(fx: Fixer, findings: list[Finding]) -> None:
    from drafter.rules import marks

    if not findings:
        return
    for s in fx.layout.segments:
        c = marks.classify(s.text)
        if c is None or c[0] != "circulation":
            continue
        right = c[1]
        if c[2] != "exact" and L_.norm(s.text).upper().rstrip(" .") == right:
            if edit.replace_text(fx.runs(s), s.raw.strip(), right, fold=True):
                fx.note("MARK-SCOPE", s, f"«{s.text}» → «{right}»")
        if not s.bold or s.any_italic:
            fx.style("MARK-SCOPE", s, bold=True, italic=False, what="chỉ dẫn phạm vi lưu hành in đậm, chữ đứng")
