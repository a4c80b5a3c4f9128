"""From a derived Document to the values a template places.

Plain strings stay strings (Jinja escapes them); runs and rule paragraphs become
Markup built by the XML layer. Lengths of rules are computed here from the text they
underline, with the column widths the templates were built with.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .. import frozen
from ..derive import Appendix, Article, Attached, Document, Header, Signing
from ..oxml import FIGURE_OPEN, twips_from_pt
from ..rules import body as body_rules
from ..rules import geometry as G
from ..rules import inline, layout, linebreak, signature_block, textwidth
from .ooxml import (
    Markup,
    appendix_marks,
    framed_paragraph,
    rule_paragraph,
    run_xml,
    runs,
)
from .sections import Sections

ISSUER_SIZE = G.ISSUER.pt
MARK_SIZE = G.MARK.pt
_MARK_PADDING = twips_from_pt(G.MARK_PADDING_PT)


def issuer_rule_length(lines: tuple[str, ...]) -> int:
    """About 40% of the issuer name's longest line (docs/the-thuc.md#cac-thanh-phan-the-thuc: 1/3 to 1/2)."""
    widest = max((textwidth.width_twips(ln, ISSUER_SIZE, bold=True) for ln in lines), default=0)
    return max(round(widest * G.ISSUER_RULE.value), twips_from_pt(G.ISSUER_RULE_MIN_PT))


def _mark(m: str | None) -> list[Markup]:
    if not m:
        return []
    return [framed_paragraph(m, textwidth.width_twips(m, MARK_SIZE, bold=True) + _MARK_PADDING, layout.HEADER_LEFT_INNER)]


def _scope(text: str | None) -> Markup | None:
    """ô 11 (luu_hanh): capitals, bold, upright, at the left, after the signature block."""
    if not text:
        return None
    return Markup(f'<w:p><w:pPr><w:spacing w:before="{twips_from_pt(G.SCOPE.before)}" w:after="0"/>'
                  f'<w:jc w:val="left"/></w:pPr>{run_xml(text, bold=True, size_pt=G.SCOPE.pt)}</w:p>')


def lines_markup(lines: tuple[str, ...] | list[str]) -> Markup:
    """Lines drafter broke itself (rules/linebreak): runs with a line break between."""
    return Markup(_LINE_BREAK.join([run_xml(ln) for ln in lines]))


# What a batch's rows share (the issuer, the date, the signer, the recipients, each
# appendix's head) is made into its markup once per section object: derive gives the
# same object to the rows whose inputs of that section are the same (derive.section),
# so the markup is keyed on the object's identity (kept alive with it, bounded); an
# equal object made anew falls back to the value (the lru_caches below).
_BY_OBJECT: dict = {}
_BY_OBJECT_MAX = 64


_TABLES: dict = {}  # the same, for appendices (each holds its table: a few only)
_TABLE_MARKUP = None  # render/table_xml.table_markup, once imported


def _of(obj, make, *extra, memo: dict = _BY_OBJECT, most: int = _BY_OBJECT_MAX):
    key = (id(obj), make, *extra)
    found = memo.get(key)
    if found is None or found[1] is not obj:
        if len(memo) >= most:
            del memo[next(iter(memo))]  # the oldest out
        found = memo[key] = (make(obj, *extra), obj)
    return found[0]


@lru_cache(maxsize=64)
def _header(h: Header) -> dict[str, Any]:
    chu_quan = linebreak.agency_lines(h.chu_quan, layout.HEADER_LEFT_INNER, size_pt=G.CHU_QUAN.pt, bold=False) \
        if h.chu_quan else ()
    return {
        # Plain texts stay for agencies' own templates; the shipped ones place the *_lines
        # (runs with drafter's line breaks) through `{{r … }}`.
        "chu_quan": h.chu_quan,
        "chu_quan_lines": lines_markup(chu_quan) if chu_quan else None,
        "co_quan": list(h.co_quan),
        "issuer_rule": rule_paragraph(issuer_rule_length(h.co_quan), layout.HEADER_LEFT_INNER),
        "so_ky_hieu": h.so_ky_hieu,
        "date_line": h.date_line,
        "marks": _mark(h.secrecy) + _mark(h.urgency),
        "secrecy": _mark(h.secrecy),  # ô 10a, under the số
        "urgency": _mark(h.urgency),  # ô 10b, under the V/v line (công văn) or under 10a
    }


def _title(text: str | None, size_pt: float, room: int, *, bold: bool = True) -> Markup | None:
    return _title_markup(text, size_pt, room, bold) if text else None


@lru_cache(maxsize=128)  # a batch's titles recur (or differ by a name: then made once each)
def _title_markup(text: str, size_pt: float, room: int, bold: bool) -> Markup:
    # title_lines itself, not through its own cache: this one is keyed the same way.
    # lines_markup of its lines, each line's run kept (a batch row's title changes
    # its last line, a name: the lines before are the last title's).
    out = []
    for ln in _TITLE_LINES(text, size_pt, room, bold=bold):
        run = _LINE_RUNS.get(ln)
        if run is None:
            if len(_LINE_RUNS) >= 256:
                _LINE_RUNS.clear()
            run = _LINE_RUNS[ln] = run_xml(ln)
        out.append(run)
    return Markup(_LINE_BREAK.join(out))


_LINE_RUNS: dict[str, str] = {}  # a title's line → its run (bounded)
_LINE_BREAK = "<w:r><w:br/></w:r>"


_TITLE_LINES = linebreak.title_lines.__wrapped__


def _paras(paras) -> list[dict[str, Any]]:
    out = []
    for p in paras:
        # A paragraph a row did not change is the very object (derive keeps a body's
        # lines and its last paragraph): found by identity, not hashed again; the others
        # are made (a row's new paragraph is never equal to one made before: hashing
        # its spans to look for one cost more than making its runs).
        found = _PARAS.get(id(p))
        if found is not None and found[0] is p:
            out.append(found[1])
            continue
        spans = p.spans
        if len(spans) == 1 and FIGURE_OPEN not in spans[0].text:  # one run: what runs() makes of it
            s = spans[0]
            made = {"kind": p.kind, "runs": frozen.made(Markup, xml=run_xml(s.text, bold=s.bold, italic=s.italic))}
        else:
            made = {"kind": p.kind, "runs": runs(spans)}
        if len(_PARAS) >= 128:
            _PARAS.clear()  # (the oldest out one a row cost more: a dict's iteration skips what was taken out)
        _PARAS[id(p)] = (p, made)  # the paragraph kept alive with its id
        out.append(made)
    return out


_PARAS: dict[int, tuple] = {}


def _article(a: Article) -> dict[str, Any]:
    spans = (inline.Span(a.label, bold=True), inline.Span(" ")) + tuple(a.first)
    return {"runs": runs(spans), "more": _paras(a.more)}


@lru_cache(maxsize=64)
def _signing(s: Signing) -> dict[str, Any]:
    # Named halves, not pair[0]/pair[1]: an index would keep the template from being
    # proven well-formed once (render/wellformed.py), and every document be parsed.
    pair = ({side: {"authority": list(x.authority), "name": x.name} for side, x in zip(("left", "right"), s.pair)}
            if s.pair else None)
    # The signature's row holds as many Nơi nhận lines as its height; the rest follow in
    # a row that may continue on the next page (rules/signature_block).
    n = len(s.noi_nhan) if s.pair else signature_block.beside_signature(s.noi_nhan, s.authority)
    return {"noi_nhan": list(s.noi_nhan[:n]), "noi_nhan_rest": list(s.noi_nhan[n:]),
            "authority": list(s.authority), "name": s.name, "pair": pair}


_PAGE_BREAK = Markup('<w:p><w:pPr><w:pStyle w:val="DrEmpty"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>')


def _attached(a: Attached, header: dict[str, Any], section_break: Markup) -> dict[str, Any]:
    return {
        "section_break": section_break,
        "header": header,
        "type_name": a.type_name,
        "trich_yeu": a.trich_yeu,
        "trich_yeu_lines": _title(a.trich_yeu, G.TRICH_YEU.pt, layout.TEXT_W),
        "reference": a.reference,
        "body": _paras(a.body),
        "signing": _signing(a.signing),
    }


def _attached_breaks(count: int, sections: Sections | None) -> list[Markup]:
    """Each attached document is a section of its own: a new page, its pages numbered
    from 1 and no number on its first page, like any document (docs/the-thuc.md#so-trang)."""
    if sections is None:
        return [_PAGE_BREAK] * count
    return [sections.break_before(previous_landscape=False, previous_is_main=i == 0) for i in range(count)]


@lru_cache(maxsize=8)
def _title_rule(width: int) -> Markup:
    return rule_paragraph(layout.TITLE_RULE, width, style="DrRuleTitle")


def _appendices(apps: tuple[Appendix, ...], sections: Sections | None, *, after_main: bool = True,
                alone: bool = False) -> list[dict[str, Any]]:
    """``alone``: an appendix file (chi_phu_luc), whose first appendix opens the file."""
    out = []
    previous_landscape, previous_main = False, after_main
    for a in apps:
        first = alone and a is apps[0]
        out.append(_of(a, _appendix, sections, previous_landscape, previous_main, first, memo=_TABLES, most=8))
        previous_landscape, previous_main = a.landscape, False
    return out


def _appendix(a: Appendix, sections: Sections | None, previous_landscape: bool, previous_main: bool,
              first: bool) -> dict[str, Any]:
    """One appendix's values; its head's (label, title, reference, the break before it)
    made once per head object (derive.AppendixHead), its table's per table."""
    head = dict(_of(a.head, _appendix_head, a.number, a.landscape, sections, previous_landscape,
                    previous_main, first) if a.head is not None else
                _appendix_head(a, a.number, a.landscape, sections, previous_landscape, previous_main, first))
    if a.grid is not None:
        global _TABLE_MARKUP
        if _TABLE_MARKUP is None:  # the tables package loads only for appendices (then kept)
            from .table_xml import table_markup

            _TABLE_MARKUP = table_markup
        head["table"] = _TABLE_MARKUP(a.grid, layout.TEXT_W_LANDSCAPE if a.landscape else layout.TEXT_W)
    else:
        head["table"] = ""
    head["unit_line"] = a.unit_line
    head["words"] = list(a.words)
    return head


def _appendix_head(h, number: int, landscape: bool, sections: Sections | None, previous_landscape: bool,
                   previous_main: bool, first: bool) -> dict[str, Any]:
    width = layout.TEXT_W_LANDSCAPE if landscape else layout.TEXT_W
    mark_start, mark_end = appendix_marks(number)  # the bookmark LibreOffice keeps
    return {
        "number": number,
        "mark_start": mark_start,
        "mark_end": mark_end,
        "section_break": "" if first else sections.break_before(
            previous_landscape=previous_landscape, previous_is_main=previous_main) if sections else "",
        "label": h.label,
        "title": h.title,
        "reference": h.reference,
        "rule": _title_rule(width),
    }


def build(doc: Document, sections: Sections | None = None) -> dict[str, Any]:
    header = _of(doc.header, _header)
    kg = doc.kinh_gui
    ctx = {
        "doc": {
            "header": header,
            "type_name": doc.doc_type.caps_name if doc.doc_type.has_type_name else None,
            "trich_yeu": doc.trich_yeu,
            "trich_yeu_lines": _title(doc.trich_yeu, G.TRICH_YEU.pt, layout.TEXT_W),
            "vv": doc.vv,
            "vv_lines": _title(doc.vv, G.VV.pt, layout.HEADER_LEFT_INNER, bold=False),
            "kinh_gui": {"inline": kg.inline, "lines": list(kg.lines)} if kg else None,
            "authority_line": doc.authority_line,
            "authority_lines": lines_markup(linebreak.agency_lines(
                doc.authority_line, layout.TEXT_W, size_pt=G.AUTHORITY_LINE.pt)) if doc.authority_line else None,
            "can_cu": list(doc.can_cu),
            "xet_de_nghi": doc.xet_de_nghi,
            "decision_word": doc.decision_word,
            "articles": [_article(a) for a in doc.articles],
            "body": _paras(doc.body),
            "signing": _of(doc.signing, _signing),
            "attached": [_attached(a, header, br) for a, br in
                         zip(doc.attached, _attached_breaks(len(doc.attached), sections))],
            "appendices": _appendices(doc.appendices, sections, after_main=not doc.attached,
                                      alone=doc.appendix_only),
            "scope": _scope(doc.scope),
            "issued_with": doc.issued_with,
        }
    }
    # An agency's own template may read numbers in words (`| bang_chu`, `| doc_so`):
    # the filters take the draft's reading options from here.
    ctx["tuy_chon"] = {"doc_so_linh": doc.reading[0], "doc_so_tu": doc.reading[1]}
    if doc.electronic:  # render --dien-tu: the engine writes the signature space (render/electronic)
        ctx["dien_tu"] = True
    if sections is not None and (doc.appendices or doc.attached):
        # The body's final sectPr describes the last section: an appendix or an attached document.
        last_landscape = doc.appendices[-1].landscape if doc.appendices else False
        ctx["final_sect_pr"] = sections.sect_pr(landscape=last_landscape, restart=True)
    return ctx


__all__ = ["body_rules", "build", "issuer_rule_length"]
