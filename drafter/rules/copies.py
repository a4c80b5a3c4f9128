"""Copies (bản sao, Nghị định 30/2020 Điều 25–27; Phụ lục I, phần II): the copy block.

A paper copy is the copied text, then under a full-width line the copy's own block:
the copying agency, the form ``SAO Y`` / ``SAO LỤC`` / ``TRÍCH SAO`` (capitals, bold,
13–14 pt), ``Số: 05/SY-UBND``, place and date, the signer's block and Nơi nhận. SY,
SL and TrS share ONE series per agency and year (the register's series ``sao``),
from 01 on 1 January. The block carries no quốc hiệu of its own.

The writer (:mod:`drafter.issue.copies`) and the checker (``COPY-SO``, ``COPY-LINE``
in :mod:`drafter.check.rules`) ask these functions, so a copy drafter writes cannot
fail them.

>>> format_so(5, "sao-y", "UBND")
'Số: 05/SY-UBND'
>>> format_so(12, "trich-sao", "SCT")
'Số: 12/TrS-SCT'
>>> validate(form="sao-y", so_line="Số: 05/SY-UBND")
[]
>>> [p.message for p in validate(form="sao-luc", so_line="Số: 05/SY-UBND")]
["Bản sao lục đánh số theo ký hiệu 'SL' (ví dụ 'Số: 05/SL-UBND'), không phải 'SY'."]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem
from . import document_kind, so_ky_hieu

# The register's series of copies: SY, SL and TrS share it (FORMAT.md, "Copies").
SERIES = "sao"


@dataclass(frozen=True)
class Form:
    slug: str  # the command line's name: sao-y, sao-luc, trich-sao
    caps: str  # as the block writes it: SAO Y
    abbr: str  # the số ký hiệu's first group: SY
    name: str  # the register's "tên loại": Bản sao y


FORMS: dict[str, Form] = {
    "sao-y": Form("sao-y", "SAO Y", "SY", "Bản sao y"),
    "sao-luc": Form("sao-luc", "SAO LỤC", "SL", "Bản sao lục"),
    "trich-sao": Form("trich-sao", "TRÍCH SAO", "TrS", "Bản trích sao"),
}
assert {f.caps: f.abbr for f in FORMS.values()} == document_kind.COPY_FORMS

# The form line's size range (pt) and the full-width line's share of the text width.
FORM_SIZES = (13, 14)
LINE_MIN_SHARE = 0.9


def form(slug: str) -> Form:
    """The form named on the command line (``sao-y``) or as the block writes it (``SAO Y``).

    >>> form("sao-luc").caps, form("TRÍCH SAO").abbr
    ('SAO LỤC', 'TrS')
    """
    if slug in FORMS:
        return FORMS[slug]
    caps = document_kind.copy_form(slug)
    for f in FORMS.values():
        if f.caps == caps:
            return f
    raise KeyError(slug)


def symbol(form_slug: str, issuer_abbr: str) -> str:
    """The ký hiệu of a copy: the form's abbreviation, then the copying agency's.

    >>> symbol("sao-y", "UBND"), symbol("trich-sao", " SCT ")
    ('SY-UBND', 'TrS-SCT')
    """
    return so_ky_hieu.symbol(type_abbr=form(form_slug).abbr, issuer=issuer_abbr)


def format_so(so: int | None, form_slug: str, issuer_abbr: str) -> str:
    """``Số: 05/SY-UBND``; with no number the blank the clerk fills (as a draft's).

    >>> format_so(None, "sao-y", "UBND").replace("\\u00a0", "_")
    'Số: _______/SY-UBND'
    """
    return f"{so_ky_hieu.PREFIX} {so_ky_hieu.format_number(so)}/{symbol(form_slug, issuer_abbr)}"


_SO = re.compile(r"^\s*Số\s*:?\s*([^/]*)/\s*(.*)$")


def so_abbr(so_line: str) -> str:
    """The first group of the ký hiệu in a ``Số: …/…`` line ('' when there is none).

    >>> so_abbr("Số: 05/SY-UBND"), so_abbr("Số: 05/UBND-VP"), so_abbr("Số 05")
    ('SY', 'UBND', '')
    """
    m = _SO.match(so_line or "")
    return m.group(2).split("-")[0].strip() if m else ""


def validate(*, form: str, so_line: str | None) -> list[Problem]:
    """The number's abbreviation must be the form's (SY for sao y, SL, TrS); ``form``
    is a slug or the form as written. The checker's ``COPY-SO`` asks this.

    >>> validate(form="SAO Y", so_line=None)
    []
    >>> [p.key for p in validate(form="trich-sao", so_line="Số: 05/TRS-UBND")]
    ['so']
    """
    if not so_line:
        return []
    f = globals()["form"](form)
    got = so_abbr(so_line)
    if got == f.abbr:
        return []
    return [Problem(f"Bản {f.caps.lower()} đánh số theo ký hiệu '{f.abbr}' (ví dụ 'Số: 05/{f.abbr}-UBND'), "
                    f"không phải '{got or '(trống)'}'.", key="so")]


def line_problem(length_pt: float | None, text_width_pt: float) -> str | None:
    """What is wrong with the line above the copy block (None when it is right): it
    runs the width of the text (a line shape at least 90 % of it, or a paragraph border).

    >>> line_problem(467.7, 467.7) is None, line_problem(None, 467.7)
    (True, 'Thiếu đường kẻ ngang hết chiều rộng dòng chữ ngăn văn bản được sao với phần sao.')
    >>> line_problem(120, 467.7)
    'Đường kẻ trên phần sao dài 120 pt; phải kẻ hết chiều rộng dòng chữ (khoảng 468 pt).'
    """
    if length_pt is None:
        return "Thiếu đường kẻ ngang hết chiều rộng dòng chữ ngăn văn bản được sao với phần sao."
    if length_pt < text_width_pt * LINE_MIN_SHARE:
        return (f"Đường kẻ trên phần sao dài {round(length_pt)} pt; phải kẻ hết chiều rộng dòng chữ "
                f"(khoảng {round(text_width_pt)} pt).")
    return None


# ----------------------------------------------------------------- the excerpt of a trích sao


@dataclass(frozen=True)
class Excerpt:
    """What a trích sao copies: articles (``Điều 1-2``) or paragraphs as ``drafter check``
    numbers them (``đoạn 14-20``), 1-based, each range inclusive."""

    kind: str  # "dieu" or "doan"
    ranges: tuple[tuple[int, int], ...]

    def numbers(self) -> list[int]:
        out: list[int] = []
        for a, b in self.ranges:
            out += [n for n in range(a, b + 1) if n not in out]
        return out

    def describe(self) -> str:
        """``Điều 1-2, 4`` / ``đoạn 14-20``.

        >>> parse_excerpt("điều 4, 1 - 2").describe()
        'Điều 1-2, 4'
        """
        word = "Điều" if self.kind == "dieu" else "đoạn"
        return f"{word} " + ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in self.ranges)


_EXCERPT = re.compile(r"^\s*(điều|dieu|đoạn|doan)\s+(.+?)\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?$")


class ExcerptError(ValueError):
    """A --trich text drafter cannot read; the message is Vietnamese."""


def parse_excerpt(text: str) -> Excerpt:
    """Read ``Điều 1-2``, ``Điều 1, 3``, ``đoạn 14-20`` (also without diacritics).

    >>> parse_excerpt("Điều 1-2")
    Excerpt(kind='dieu', ranges=((1, 2),))
    >>> parse_excerpt("doan 20-14, 3").ranges
    ((3, 3), (14, 20))
    >>> parse_excerpt("Chương 2")
    Traceback (most recent call last):
    ...
    drafter.rules.copies.ExcerptError: Không đọc được phần trích 'Chương 2'. Viết như 'Điều 1-2', 'Điều 1, 3' hoặc 'đoạn 14-20'.
    """
    m = _EXCERPT.match(" ".join((text or "").split()))
    bad = ExcerptError(f"Không đọc được phần trích '{text}'. Viết như 'Điều 1-2', 'Điều 1, 3' hoặc 'đoạn 14-20'.")
    if not m:
        raise bad
    kind = "dieu" if m.group(1).lower() in ("điều", "dieu") else "doan"
    ranges = []
    for part in m.group(2).split(","):
        r = _RANGE.match(part.strip())
        if not r:
            raise bad
        a = int(r.group(1))
        b = int(r.group(2) or a)
        if a < 1 or b < 1:
            raise bad
        ranges.append((min(a, b), max(a, b)))
    return Excerpt(kind, tuple(sorted(set(ranges))))


__all__ = [
    "FORMS",
    "SERIES",
    "Excerpt",
    "ExcerptError",
    "Form",
    "form",
    "format_so",
    "line_problem",
    "parse_excerpt",
    "so_abbr",
    "symbol",
    "validate",
]
