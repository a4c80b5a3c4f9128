"""Derive everything the format rules fix from a validated draft.

The result is plain data (strings, tuples of spans) that a template only places:
số ký hiệu, date line, recipient lines, signature lines, article labels, body
paragraphs and the cross-reference lines of attached documents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .model import Draft, Ky
from .rules import body, date_line, doctypes, inline, recipients, signature, so_ky_hieu


@dataclass(frozen=True)
class Header:
    chu_quan: str | None
    co_quan: tuple[str, ...]
    so_ky_hieu: str
    date_line: str
    marks: tuple[str, ...]  # urgency / secrecy marks, framed


@dataclass(frozen=True)
class Signing:
    noi_nhan: tuple[str, ...]
    authority: tuple[str, ...]
    name: str


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
    warnings: tuple[str, ...] = field(default=())


def issuer_name_inline(draft: Draft) -> str:
    """The issuer's name on one line, normal words: "Ủy ban nhân dân tỉnh Hưng Yên" is
    not derivable from capitals, so references use the name as typed in capitals."""
    return " ".join(" ".join(line.split()) for line in draft.co_quan.lines)


def _ky_signing(ky: Ky) -> signature.Signature:
    return signature.format(
        ho_ten=ky.ho_ten, chuc_vu=ky.chuc_vu, tm=ky.tm, kt=ky.kt, q=ky.q, tl=ky.tl, tuq=ky.tuq
    )


def so_ky_hieu_line(draft: Draft) -> str:
    if draft.so_ky_hieu:
        return so_ky_hieu.format_override(draft.so_ky_hieu)
    t = draft.doc_type
    return so_ky_hieu.format(
        draft.so, type_abbr=t.abbr, issuer=draft.co_quan.viet_tat.upper(),
        unit=draft.don_vi_soan.upper() if draft.don_vi_soan else None,
    )


def draft_year(draft: Draft, today: dt.date | None = None) -> int:
    if draft.ngay:
        return draft.ngay.year
    return draft.nam or (today or dt.date.today()).year


def reference_line(draft: Draft, *, verb: str = "Ban hành kèm theo", today: dt.date | None = None) -> str:
    """`(Ban hành kèm theo Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của …)`, made
    from the parent's own number, date and issuer, with blanks where those are blank."""
    sym = so_ky_hieu_line(draft).removeprefix(f"{so_ky_hieu.PREFIX} ")
    when = (
        f"ngày {date_line.day(draft.ngay.day)}/{date_line.month(draft.ngay.month)}/{draft.ngay.year}"
        if draft.ngay else f"ngày{date_line.BLANK}/{date_line.BLANK}/{draft_year(draft, today)}"
    )
    name = draft.doc_type.name if draft.doc_type.has_type_name else "Văn bản"
    return f"({verb} {name} số {sym} {when} của {_issuer_words(draft)})"


def _issuer_words(draft: Draft) -> str:
    """The issuer in running text: "Ủy ban nhân dân tỉnh Hưng Yên" from its capitals."""
    words = issuer_name_inline(draft).split()
    if not words:
        return ""
    lowered = " ".join(words).lower()
    # Only the first letter and proper names are capitalised; the place name is the
    # dia_danh, which we restore as typed.
    place = draft.co_quan.dia_danh
    idx = lowered.rfind(place.lower())
    text = lowered[0].upper() + lowered[1:]
    if idx > 0:
        text = text[:idx] + place + text[idx + len(place):]
    return text


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


def document(draft: Draft, *, today: dt.date | None = None) -> Document:
    t = draft.doc_type
    year = draft_year(draft, today)
    header = Header(
        chu_quan=" ".join(draft.co_quan.chu_quan.split()).upper() if draft.co_quan.chu_quan else None,
        co_quan=tuple(" ".join(line.split()).upper() for line in draft.co_quan.lines),
        so_ky_hieu=so_ky_hieu_line(draft),
        date_line=date_line.format(draft.co_quan.dia_danh, draft.ngay, year=year),
        marks=tuple(m.upper() for m in (draft.do_khan, draft.do_mat) if m),
    )
    sig = _ky_signing(draft.ky)
    kinh_gui = recipients.kinh_gui(draft.kinh_gui)
    first = "Như trên" if (t.layout == "cong-van" and kinh_gui is not None) else None
    signing = Signing(
        noi_nhan=tuple(recipients.noi_nhan_lines(
            draft.noi_nhan, draft.luu, first=first,
            unit=draft.don_vi_soan.upper() if draft.don_vi_soan else None,
        )),
        authority=sig.authority,
        name=sig.name,
    )
    trich = " ".join(draft.trich_yeu.split())
    articles: tuple[Article, ...] = ()
    authority_line = None
    can_cu: tuple[str, ...] = ()
    xet = None
    paras = body.paragraphs(draft.noi_dung)
    if t.layout == "quyet-dinh":
        authority_line = draft.tham_quyen.upper() if draft.tham_quyen else _derived_authority(draft)
        bases = [recipients.bare(c) for c in draft.can_cu or []]
        ends = [";"] * (len(bases) - 1) + ["."] if bases else []
        if bases and draft.xet_de_nghi:
            ends[-1] = ";"
        can_cu = tuple(f"{b}{e}" for b, e in zip(bases, ends))
        if draft.xet_de_nghi:
            xet = f"{recipients.bare(draft.xet_de_nghi)}."
        articles = _end_articles(_articles(draft.dieu or []))
        if not articles:
            paras = body.ensure_final_mark(paras)
    else:
        paras = body.ensure_final_mark(paras)
    attached = tuple(
        Attached(
            type_name=(a.ten_loai or doctypes.get(a.loai).name).upper(),
            trich_yeu=" ".join(a.trich_yeu.split()),
            reference=reference_line(draft, today=today),
            body=tuple(body.ensure_final_mark(body.paragraphs(a.noi_dung))),
            signing=Signing(
                noi_nhan=(),
                authority=(s := _ky_signing(a.ky or draft.ky)).authority,
                name=s.name,
            ),
        )
        for a in draft.van_ban_kem_theo or []
    )
    return Document(
        doc_type=t,
        header=header,
        trich_yeu=None if t.layout == "cong-van" else trich,
        vv=vv_line(trich) if t.layout == "cong-van" else None,
        kinh_gui=kinh_gui,
        authority_line=authority_line,
        can_cu=can_cu,
        xet_de_nghi=xet,
        decision_word=t.decision_word,
        articles=articles,
        body=tuple(paras),
        signing=signing,
        attached=attached,
        warnings=tuple(signature.title_warnings(draft.ky.chuc_vu)),
    )


def vv_line(trich_yeu: str) -> str:
    """`V/v …` once, whatever the user typed before the subject ("V/v", "Về việc")."""
    text = re.sub(r"^\s*(V/v|về việc)\s*[:.]?\s*", "", trich_yeu, flags=re.IGNORECASE)
    return f"V/v {text}"


def _derived_authority(draft: Draft) -> str:
    issuer = " ".join(issuer_name_inline(draft).split()).upper()
    if draft.ky.tm:
        return issuer
    head = signature.head_title(draft.ky.kt, draft.ky.q, draft.ky.chuc_vu) or ""
    return f"{head} {issuer}".strip()
