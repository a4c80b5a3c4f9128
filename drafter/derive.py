"""Derive everything the format rules fix from a validated draft.

The result is plain data (strings, tuples of spans) that a template only places:
số ký hiệu, date line, recipient lines, signature lines, article labels, body
paragraphs, the cross-reference lines of attached documents and appendices, the
quoted figures. Pure and total: it takes a `ValidDraft` (every rule already
checked it, its tables already computed), reads no file and raises nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from operator import is_
from typing import TYPE_CHECKING

from .frozen import made, whole
from .model import Draft, Ky
from .rules import appendices as appendix_rules
from .rules import kem_theo, marks
from .rules import body, date_line, doctypes, inline, particulars, proper_names, recipients, signature, so_ky_hieu
from .rules import electronic as electronic_rules
from .rules import layout, linebreak

if TYPE_CHECKING:  # tables and figure references load only for drafts that have them
    from .tables import compute as table_compute
    from .tables import grid as table_grid
    from .validation import ValidDraft


@dataclass(frozen=True)
class Header:
    chu_quan: str | None
    co_quan: tuple[str, ...]
    so_ky_hieu: str
    date_line: str
    marks: tuple[str, ...]  # secrecy (ô 10a, under the số) then urgency (ô 10b), framed
    secrecy: str | None = None  # ô 10a: under the số, ký hiệu
    urgency: str | None = None  # ô 10b: under the V/v line of a công văn (ô 5b), else under 10a


@dataclass(frozen=True)
class Signing:
    noi_nhan: tuple[str, ...]
    authority: tuple[str, ...]
    name: str
    # Two signatures side by side (left, right): a biên bản's secretary and chair, a
    # hợp đồng's Bên A and Bên B; None for the one signer of other documents.
    pair: tuple[signature.Signature, signature.Signature] | None = None


@dataclass(frozen=True)
class Article:
    label: str  # "Điều 1."
    first: tuple[inline.Span, ...]  # the rest of its first paragraph
    more: tuple[body.Paragraph, ...]


@dataclass(frozen=True)
class Attached:
    """A document issued with a quyết định (Mẫu 1.3)."""

    type_name: str
    trich_yeu: str
    reference: str  # "(Ban hành kèm theo Quyết định số …/QĐ-UBND ngày … của …)"
    body: tuple[body.Paragraph, ...]
    signing: Signing


@dataclass(frozen=True)
class Appendix:
    number: int
    label: str  # "Phụ lục", or "Phụ lục I", "Phụ lục II"… when there are several
    title: str
    reference: str  # "(Kèm theo Quyết định số … ngày … tháng … năm … của …)"
    unit_line: str | None  # "Đơn vị tính: triệu đồng"
    table: table_compute.ComputedTable | None
    grid: table_grid.Grid | None
    words: tuple[str, ...]  # "Bằng chữ: …."
    landscape: bool
    # The lines above that no table decides, one object for the rows that share them
    # (render/context makes their markup once per object).
    head: AppendixHead | None = dataclasses.field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Document:
    doc_type: doctypes.DocType
    header: Header
    trich_yeu: str | None  # named types: under the type name
    vv: str | None  # công văn: "V/v …"
    kinh_gui: recipients.KinhGui | None
    authority_line: str | None  # quyết định: who decides
    can_cu: tuple[str, ...]
    xet_de_nghi: str | None
    decision_word: str | None
    articles: tuple[Article, ...]
    body: tuple[body.Paragraph, ...]
    signing: Signing
    attached: tuple[Attached, ...] = ()
    appendices: tuple[Appendix, ...] = ()
    reading: tuple[str, str] = ("linh", "tư")  # tuy_chon: how numbers are read in words
    scope: str | None = None  # ô 11 (luu_hanh): "LƯU HÀNH NỘI BỘ", after the signature block
    # Mẫu 1.3 in a file of its own (ban_hanh_kem_theo): "(Ban hành kèm theo …)" under the
    # trích yếu; no số, date or Nơi nhận of its own.
    issued_with: str | None = None
    # chi_phu_luc: appendices in a file of their own, nothing of the document printed
    appendix_only: bool = False
    electronic: bool = False  # render --dien-tu: laid out for digital signing (rules/electronic)


def issuer_name_inline(draft: Draft) -> str:
    """The issuer's name on one line, as typed (in capitals); :func:`_issuer_words`
    writes it for a sentence."""
    return " ".join(" ".join(line.split()) for line in draft.co_quan.lines)


# What a batch's rows share (the signer, the recipients, the issuer's words, the parent's
# reference line) is derived once: each is a pure function of the values in its key
# (texts, dates, tuples), so the same key gives the same frozen result. Bounded.
_MEMO: dict = {}
_MEMO_MAX = 512
_MISS = object()


def _memo(key: tuple, make):
    try:
        found = _MEMO.get(key, _MISS)
    except TypeError:  # a value that cannot be hashed: made each time
        return make()
    if found is _MISS:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        found = _MEMO[key] = make()
    return found


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


# Sections of a document (the signing block, each appendix's head, the body) made once
# for the inputs they read: a batch row copies on write (inputs/rows.py), so what a row
# does not change is the very object of the base draft. The key holds texts by value
# and every other input by identity; the entry keeps those inputs alive (an id stays
# theirs while the entry lives). The same inputs give the same section object, which
# render/context then turns into markup once (keyed on that object). Bounded.
_SECTIONS: dict = {}
_SECTIONS_MAX = 256
_BY_VALUE = (str, int, bool, dt.date, type(None))


def _input_key(v):
    t = type(v)
    if t is str or v is None:
        return v
    if t in _BY_VALUE:
        return (t, v)  # 1 and True (or a date and a string) never share a key
    if t is list or t is tuple:
        if all(type(x) is str for x in v):
            return (t, *v)
        return (t, *map(_input_key, v))
    return (object, id(v))  # kept alive by the entry


_LAST: dict = {}  # tag → the last (inputs, section): a row that changed none of them


def _same_inputs(inputs: tuple, before: tuple) -> bool:
    """The same inputs as far as the key tells them apart: the same objects, texts,
    numbers, dates (a year above 256 is a new int each row) and lists of texts (the
    model makes a list anew for each row) equal by value."""
    for a, b in zip(inputs, before):
        if a is b:
            continue
        t = type(a)
        if t is not type(b) or not (t in _BY_VALUE or t is list) or a != b:
            return False
        if t is list and not all(type(x) is str for x in a):
            return False
    return True


def section(tag: str, inputs: tuple, make):
    """``make()``, once for the same ``inputs`` (texts equal, other objects the same)."""
    last = _LAST.get(tag)
    if last is not None and (all(map(is_, inputs, last[0])) or _same_inputs(inputs, last[0])):
        return last[1]
    key = [tag]
    for v in inputs:
        t = type(v)
        if t is str or v is None:
            key.append(v)
        elif t is list and all(type(x) is str for x in v):
            key.append((list, *v))
        else:
            key.append(_input_key(v))
    try:
        key = tuple(key)
        found = _SECTIONS.get(key)
    except TypeError:  # an input that cannot be hashed: made each time
        return make()
    if found is None:
        if len(_SECTIONS) >= _SECTIONS_MAX:
            del _SECTIONS[next(iter(_SECTIONS))]  # the oldest out
        found = _SECTIONS[key] = (make(), inputs)
    _LAST[tag] = (inputs, found[0])  # keeps these inputs alive: one entry a tag
    return found[0]


def _ky_signing(ky: Ky) -> signature.Signature:
    return _memo(
        ("ky", ky.ho_ten, _hashable(ky.chuc_vu), ky.tm, ky.kt, ky.q, ky.tl, ky.tuq),
        lambda: signature.format(
            ho_ten=ky.ho_ten, chuc_vu=ky.chuc_vu, tm=ky.tm, kt=ky.kt, q=ky.q, tl=ky.tl, tuq=ky.tuq),
    )


def so_ky_hieu_line(draft: Draft) -> str:
    if draft.so_ky_hieu:
        return so_ky_hieu.format_override(draft.so_ky_hieu)
    t = draft.doc_type
    return _memo(("so_ky_hieu", draft.so, t.abbr, draft.co_quan.viet_tat, draft.don_vi_soan),
                 lambda: so_ky_hieu.format(
                     draft.so, type_abbr=t.abbr, issuer=draft.co_quan.viet_tat.upper(),
                     unit=draft.don_vi_soan.upper() if draft.don_vi_soan else None))


def _header(draft: Draft, year: int) -> Header:
    c = draft.co_quan
    return _memo(
        ("header", c.chu_quan, tuple(c.lines), so_ky_hieu_line(draft), c.dia_danh, draft.ngay, year,
         draft.do_mat, draft.do_khan),
        lambda: Header(
            chu_quan=" ".join(c.chu_quan.split()).upper() if c.chu_quan else None,
            co_quan=tuple(ln for line in c.lines  # broken between whole units
                          for ln in linebreak.agency_lines(line.upper(), layout.HEADER_LEFT_INNER)),
            so_ky_hieu=so_ky_hieu_line(draft),
            date_line=date_line.format(c.dia_danh, draft.ngay, year=year,
                                       room_twips=layout.HEADER_RIGHT_INNER),  # one line, always
            marks=tuple(m.upper() for m in (draft.do_mat, draft.do_khan) if m),
            secrecy=draft.do_mat.upper() if draft.do_mat else None,
            urgency=draft.do_khan.upper() if draft.do_khan else None,
        ),
    )


def draft_year(draft: Draft, today: dt.date | None = None) -> int:
    year = draft.ngay.year if draft.ngay else draft.nam or (today or dt.date.today()).year
    # One int object per year (a year above 256 is a new object each time): the
    # sections keyed on it are then found by identity alone (section's first test).
    found = _YEARS.get(year)
    if found is None:
        if len(_YEARS) >= 64:
            _YEARS.clear()
        found = _YEARS[year] = year
    return found


_YEARS: dict[int, int] = {}


def reference_line(
    draft: Draft, *, verb: str = "Ban hành kèm theo", today: dt.date | None = None, long_date: bool = False,
    electronic: bool = False,
) -> str:
    """`(Ban hành kèm theo Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của …)`, made
    from the parent's own number, date and issuer, with blanks where those are blank.
    Appendices use the long date: `ngày 27 tháng 12 năm 2017`."""
    sym = so_ky_hieu_line(draft).removeprefix(f"{so_ky_hieu.PREFIX} ")
    year = draft_year(draft, today)
    return _memo(
        ("reference", sym, draft.ngay, year, draft.doc_type, issuer_name_inline(draft), draft.co_quan.dia_danh,
         verb, long_date, electronic),
        lambda: _reference_line(draft, sym, year, verb=verb, long_date=long_date, electronic=electronic),
    )


def _reference_line(draft: Draft, sym: str, year: int, *, verb: str, long_date: bool, electronic: bool) -> str:
    if electronic:  # the number and date are the agency's signature's (rules/electronic)
        name = draft.doc_type.name if draft.doc_type.has_type_name else "Văn bản"
        return electronic_rules.format(verb, name, sym.partition("/")[2], _issuer_words(draft))
    if long_date:
        when = date_line.date_phrase(draft.ngay, year=year)
    else:
        when = (
            f"ngày {date_line.day(draft.ngay.day)}/{date_line.month(draft.ngay.month)}/{draft.ngay.year}"
            if draft.ngay else f"ngày{date_line.BLANK}/{date_line.BLANK}/{year}"
        )
    name = draft.doc_type.name if draft.doc_type.has_type_name else "Văn bản"
    return f"({verb} {name} số {sym} {when} của {_issuer_words(draft)})"


def _issuer_words(draft: Draft) -> str:
    """The issuer in running text, with Phụ lục II's capitals (rules/proper_names):
    "Ủy ban nhân dân tỉnh Hưng Yên", "Sở Tài chính" from their capitals."""
    inline_name, place = issuer_name_inline(draft), draft.co_quan.dia_danh
    return _memo(("issuer", inline_name, place), lambda: proper_names.running(inline_name, place=place))


def _articles(items: list[str]) -> tuple[Article, ...]:
    out = []
    for i, text in enumerate(items, start=1):
        paras = body.paragraphs(text)
        first = paras[0].spans if paras else ()
        out.append(Article(f"Điều {i}.", first, tuple(paras[1:])))
    return tuple(out)


def _end_articles(arts: tuple[Article, ...]) -> tuple[Article, ...]:
    """The last article's last paragraph ends with `./.`."""
    if not arts:
        return arts
    last = arts[-1]
    if last.more:
        more = tuple(body.ensure_final_mark(list(last.more)))
        return (*arts[:-1], Article(last.label, last.first, more))
    p = body.ensure_final_mark([body.Paragraph(body.TEXT, last.first)])[0]
    return (*arts[:-1], Article(last.label, p.spans, ()))


def appendices(draft: Draft, tables: tuple, *, today: dt.date | None = None,
               electronic: bool = False) -> tuple[Appendix, ...]:
    items = draft.phu_luc or []
    out = []
    build_grid = _grid_builder() if any(t is not None for t in tables) else None
    n = len(items)
    for i, (pl, table) in enumerate(zip(items, tables)):
        # What the table does not decide (label, title, reference line), once for the
        # same inputs; the grid and the words are the table's (the row's figures).
        head = section("appendix-head", (i, n, pl.tieu_de, draft.chi_phu_luc, draft.ban_hanh_kem_theo,
                                         draft.so_ky_hieu, draft.so, draft.doc_type, draft.co_quan,
                                         draft.don_vi_soan, draft.ngay, draft_year(draft, today), electronic),
                       lambda i=i, tieu_de=pl.tieu_de: _appendix_head(draft, i, n, tieu_de, today=today, electronic=electronic))
        if table is None:
            out.append(_appendix(head, pl, None))
            continue
        # A table shared by rows (read from a sheet) gives the same appendix object.
        key = (id(head), id(table), pl.huong, pl.don_vi_tinh)
        found = _APPENDICES.get(key)
        if found is None or found[1] is not head or found[2] is not table:
            app = _appendix(head, pl, table, build_grid(table))
            if len(_APPENDICES) >= _APPENDICES_MAX:
                del _APPENDICES[next(iter(_APPENDICES))]
            _APPENDICES[key] = found = (app, head, table)
        out.append(found[0])
    return tuple(out)


def _grid_builder():
    """tables.grid.build_grid, imported on first use (the tables package loads only for
    drafts that have tables), then kept: no import statement per row."""
    global _BUILD_GRID
    if _BUILD_GRID is None:
        from .tables.grid import build_grid

        _BUILD_GRID = build_grid
    return _BUILD_GRID


_BUILD_GRID = None
_APPENDICES: dict = {}  # (head, table, orientation, unit) → Appendix, the objects kept alive
_APPENDICES_MAX = 16


@dataclass(frozen=True)
class AppendixHead:
    """An appendix's lines that its table does not decide."""

    number: int
    label: str
    title: str
    reference: str


def _appendix_head(draft: Draft, i: int, n: int, tieu_de: str, *, today: dt.date | None,
                   electronic: bool) -> AppendixHead:
    return AppendixHead(
        number=i + 1,
        label=appendix_rules.format_label(i, n),
        title=" ".join(tieu_de.split()).upper(),
        reference=(kem_theo.format(draft.chi_phu_luc, verb="Kèm theo") if draft.chi_phu_luc
                   else kem_theo.format(draft.ban_hanh_kem_theo, verb="Kèm theo") if draft.ban_hanh_kem_theo
                   else reference_line(draft, verb="Kèm theo", today=today, long_date=True,
                                       electronic=electronic)),
    )


def _appendix(head: AppendixHead, pl, table, grid=None) -> Appendix:
    landscape = pl.huong == "ngang" or (pl.huong is None and grid is not None and grid.needs_landscape)
    unit = pl.don_vi_tinh or (table.unit if table else None)
    # The fields a row's table does not decide, once per head and unit (a batch row
    # makes its appendix from them and its table's four).
    fixed = _FIXED.get((id(head), unit))
    if fixed is None or fixed["head"] is not head:
        if len(_FIXED) >= 16:
            _FIXED.clear()
        fixed = _FIXED[(id(head), unit)] = _fixed(head, unit)  # keeps the head alive with its id
    words = table.bang_chu_line if table is not None else None
    state = {**fixed, "table": table, "grid": grid, "landscape": landscape}  # a dict of its own
    if words:
        state["words"] = (words,)
    return whole(Appendix, state)


def _fixed(head: AppendixHead, unit: str | None) -> dict:
    """An appendix's fields from its head and unit, the table's at their empty values:
    ``made(Appendix, …).__dict__`` of an appendix without a table."""
    return made(Appendix, number=head.number, label=head.label, title=head.title, reference=head.reference,
                 unit_line=f"Đơn vị tính: {unit}" if unit else None, table=None, grid=None, words=(),
                 landscape=False, head=head).__dict__


_FIXED: dict[tuple, dict] = {}  # (id(head), unit) → _fixed(head, unit) (bounded)


def document(valid: ValidDraft, *, today: dt.date | None = None, electronic: bool = False) -> Document:
    draft = valid.draft
    t = draft.doc_type
    year = draft_year(draft, today)
    apps = appendices(draft, valid.tables, today=today, electronic=electronic)
    if draft.chi_phu_luc:
        return _appendix_file(draft, apps, electronic=electronic)
    # The texts with their figures, as validation resolved them (read below in place
    # of the draft's own; nothing else of the draft changes).
    q = valid.quoted
    noi_dung = q.get(("noi_dung",), draft.noi_dung) if q else draft.noi_dung
    dieu = [q.get(("dieu", i), d) for i, d in enumerate(draft.dieu)] if q and draft.dieu else draft.dieu
    header = section("header", (draft.co_quan, draft.so, draft.so_ky_hieu, draft.don_vi_soan, t, draft.ngay, year,
                                draft.do_mat, draft.do_khan), lambda: _header(draft, year))
    sig = section("ky", (draft.ky,), lambda: _ky_signing(draft.ky))
    kinh_gui = recipients.kinh_gui(draft.kinh_gui)
    first = "Như trên" if (t.layout == "cong-van" and kinh_gui is not None) else None
    alone = bool(draft.ban_hanh_kem_theo and not (draft.noi_nhan or draft.luu))  # Mẫu 1.3: no Nơi nhận
    signing = section(
        "signing", (draft.ky, draft.noi_nhan, draft.luu, draft.don_vi_soan, first, alone, draft.ben_a,
                    draft.ben_b, draft.thu_ky, draft.chu_tri),
        lambda: Signing(noi_nhan=() if alone else _noi_nhan(draft, first), authority=sig.authority,
                        name=sig.name, pair=_pair(draft, sig)))
    trich = " ".join(draft.trich_yeu.split())
    articles: tuple[Article, ...] = ()
    authority_line = None
    can_cu: tuple[str, ...] = ()
    xet = None
    opening = section(
        "particulars", (draft.ky, draft.co_quan, draft.chu_tri, draft.thu_ky, draft.thoi_gian, draft.dia_diem,
                        draft.thanh_phan, draft.ben_a, draft.ben_b),
        lambda: tuple(_particulars(draft, sig)))
    paras = [*opening, *_body_paragraphs(noi_dung)] if opening else _body_paragraphs(noi_dung)
    if t.layout == "quyet-dinh":
        authority_line = draft.tham_quyen.upper() if draft.tham_quyen else _derived_authority(draft)
        bases = [recipients.bare(c) for c in draft.can_cu or []]
        ends = [";"] * (len(bases) - 1) + ["."] if bases else []
        if bases and draft.xet_de_nghi:
            ends[-1] = ";"
        can_cu = tuple(f"{b}{e}" for b, e in zip(bases, ends))
        if draft.xet_de_nghi:
            xet = f"{recipients.bare(draft.xet_de_nghi)}."
        articles = _end_articles(_articles(dieu or []))
        if not articles:
            paras = _final_mark(paras)
    else:
        paras = _final_mark(paras)
    attached = tuple(
        Attached(
            type_name=(a.ten_loai or doctypes.get(a.loai).name).upper(),
            trich_yeu=" ".join(a.trich_yeu.split()),
            reference=reference_line(draft, today=today, electronic=electronic),
            body=tuple(body.format(q.get(("van_ban_kem_theo", i, "noi_dung"), a.noi_dung) if q else a.noi_dung)),
            signing=Signing(
                noi_nhan=(),
                authority=(s := _ky_signing(a.ky or draft.ky)).authority,
                name=s.name,
            ),
        )
        for i, a in enumerate(draft.van_ban_kem_theo or [])
    )
    # The state in the fields' order, taken as the instance's __dict__ (frozen.whole):
    # a Document is made per batch row.
    return whole(Document, {
        "doc_type": t,
        "header": header,
        "trich_yeu": None if t.layout == "cong-van" else trich,
        "vv": vv_line(trich) if t.layout == "cong-van" else None,
        "kinh_gui": kinh_gui,
        "authority_line": authority_line,
        "can_cu": can_cu,
        "xet_de_nghi": xet,
        "decision_word": t.decision_word,
        "articles": articles,
        "body": tuple(paras),
        "signing": signing,
        "attached": attached,
        "appendices": apps,
        "reading": (draft.tuy_chon.doc_so_linh, draft.tuy_chon.doc_so_tu),
        "scope": marks.scope_line(draft.luu_hanh),
        "issued_with": kem_theo.format(draft.ban_hanh_kem_theo) if draft.ban_hanh_kem_theo else None,
        "appendix_only": False,
        "electronic": electronic,
    })


def _final_mark(paras: list[body.Paragraph]) -> list[body.Paragraph]:
    """``body.ensure_final_mark(paras)``, its last paragraph the same object for the
    same last paragraph (a batch row seldom changes its body's last line), so that
    render/context finds its runs by identity."""
    if not paras:
        return paras
    last = paras[-1]
    found = _FINAL.get(id(last))
    if found is None or found[0] is not last:
        if len(_FINAL) >= 16:
            _FINAL.clear()
        found = _FINAL[id(last)] = (last, body.ensure_final_mark([last])[0])  # the paragraph kept alive
    return [*paras[:-1], found[1]]


_FINAL: dict[int, tuple] = {}  # id(last paragraph) → (it, it with the end mark)
_LINES: dict[str, tuple] = {}  # a line of a body → its paragraphs (rules/body, immutable; bounded)
_LINES_MAX = 256


def _body_paragraphs(text: str | None) -> list[body.Paragraph]:
    """``body.paragraphs(text)``, each line's paragraphs kept: a batch row changes a few
    lines of its body, the rest are the draft's. Line by line gives the same paragraphs
    while no line is numbered by the rule ("[1]") and none opens a chapter (whose title
    may be the next line); otherwise the whole text goes the rule's way. (A line is
    kept only when it is neither: such a line is always looked at anew.)"""
    if not text:
        return []
    out: list[body.Paragraph] = []
    get = _LINES.get
    for ln in map(str.strip, text.splitlines()):
        found = get(ln)
        if found is None:
            if not ln:
                continue
            p = body.split_line_paragraph(ln) if ln[0] != "[" else None
            if p is not None:
                found = (p,)
            else:
                if ln[0] == "[":
                    return body.paragraphs(text)
                found = tuple(body.line_paragraphs(ln))
                if any(p.kind == body.CHAPTER for p in found):
                    return body.paragraphs(text)
            if len(_LINES) >= _LINES_MAX:
                _LINES.clear()
            _LINES[ln] = found
        out += found
    return out


def _noi_nhan(draft: Draft, first: str | None) -> tuple[str, ...]:
    unit = draft.don_vi_soan.upper() if draft.don_vi_soan else None
    return _memo(
        ("noi_nhan", _hashable(draft.noi_nhan), _hashable(draft.luu), first, unit),
        lambda: tuple(recipients.noi_nhan_lines(draft.noi_nhan, draft.luu, first=first, unit=unit)),
    )


def _appendix_file(draft: Draft, apps: tuple[Appendix, ...], *, electronic: bool) -> Document:
    """Appendices in a file of their own (chi_phu_luc): laid out as inside a document,
    printed with the appendix-file template (no header, text or signature)."""
    return Document(
        doc_type=dataclasses.replace(draft.doc_type, layout=kem_theo.APPENDIX_LAYOUT),
        header=Header(chu_quan=None, co_quan=(), so_ky_hieu="", date_line="", marks=()),
        trich_yeu=None, vv=None, kinh_gui=None, authority_line=None, can_cu=(), xet_de_nghi=None,
        decision_word=None, articles=(), body=(), signing=Signing(noi_nhan=(), authority=(), name=""),
        appendices=apps, reading=(draft.tuy_chon.doc_so_linh, draft.tuy_chon.doc_so_tu),
        appendix_only=True, electronic=electronic,
    )


def _particulars(draft: Draft, sig: signature.Signature) -> list[body.Paragraph]:
    """The lines that open the body of a giấy mời, biên bản or hợp đồng: time, place,
    participants, chair and secretary; the parties of a contract."""
    chair = draft.chu_tri.ho_ten if draft.chu_tri else (sig.name if draft.thu_ky else None)
    lines = particulars.meeting(
        thoi_gian=draft.thoi_gian, dia_diem=draft.dia_diem, thanh_phan=draft.thanh_phan,
        chu_tri=chair, thu_ky=draft.thu_ky.ho_ten if draft.thu_ky else None,
    )
    if draft.ben_a is not None or draft.ben_b is not None:
        a = draft.ben_a
        title = sig.authority[-1] if sig.authority else ""
        lines += particulars.party(
            "Bên A", ten=(a.ten if a and a.ten else _issuer_words(draft)),
            dai_dien=(a.dai_dien if a and a.dai_dien else sig.name),
            chuc_vu=(a.chuc_vu if a and a.dai_dien else particulars.sentence_case(title) or None),
            **({k: getattr(a, k) for k in _PARTY_DETAILS} if a else {}),
        )
        b = draft.ben_b
        if b is not None:
            lines += particulars.party("Bên B", ten=b.ten, dai_dien=b.dai_dien, chuc_vu=b.chuc_vu,
                                       **{k: getattr(b, k) for k in _PARTY_DETAILS})
    return [body.Paragraph(body.TEXT, line.spans) for line in lines]


_PARTY_DETAILS = ("dia_chi", "dien_thoai", "ma_so_thue", "tai_khoan")


def _pair(draft: Draft, sig: signature.Signature) -> tuple[signature.Signature, signature.Signature] | None:
    """Two signatures side by side: a contract's parties (Bên A left, Bên B right), or
    a biên bản's secretary (left) and chair (right: `chu_tri`, else the signer `ky`)."""
    if draft.ben_b is not None:
        a, b = draft.ben_a, draft.ben_b
        if a is not None and a.dai_dien:
            left = particulars.sign_block("Bên A", tuple(x.upper() for x in [a.chuc_vu] if x), a.dai_dien)
        else:
            left = particulars.sign_block("Bên A", sig.authority, sig.name)
        right = particulars.sign_block("Bên B", tuple(" ".join(x.split()).upper() for x in [b.chuc_vu] if x),
                                       b.dai_dien)
        return left, right
    if draft.thu_ky is not None:
        left = particulars.minutes_block("THƯ KÝ", draft.thu_ky.chuc_vu, draft.thu_ky.ho_ten)
        c = draft.chu_tri
        right = particulars.minutes_block("CHỦ TRÌ", c.chuc_vu, c.ho_ten) if c else sig
        return left, right
    return None


def vv_line(trich_yeu: str) -> str:
    """`V/v …` once, whatever the user typed before the subject ("V/v", "Về việc")."""
    return f"V/v {_VV.sub('', trich_yeu)}"


_VV = re.compile(r"^\s*(V/v|về việc)\s*[:.]?\s*", flags=re.IGNORECASE)


def _derived_authority(draft: Draft) -> str:
    issuer = " ".join(issuer_name_inline(draft).split()).upper()
    if draft.ky.tm:
        return issuer
    head = signature.head_title(draft.ky.kt, draft.ky.q, draft.ky.chuc_vu) or ""
    return f"{head} {issuer}".strip()
