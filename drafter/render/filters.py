"""Template filters for numbers: the same functions as `drafter words` and the tables'
"Bằng chữ" lines, so a template or a quoted figure can never read a number differently.

    {{ 8374000000 | bang_chu }}                 → Tám tỷ ba trăm bảy mươi tư triệu đồng
    {{ phu_luc[0].tong.kinh_phi | bang_chu }}   → the table's unit is honoured (triệu đồng)
    {{ "12,5" | doc_so }}                       → mười hai phẩy năm
    {{ 8374 | so }}                             → 8.374

Filters take the draft's reading options (`tuy_chon.doc_so_linh`, `doc_so_tu`) from
the template context when it has them, else the defaults (linh, tư).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import TemplateError, pass_context

from ..rules import numbers


class FilterError(ValueError, TemplateError):
    """A number a filter cannot read; a TemplateError too, so that every caller of a
    template (an agency's, a quoted figure, a row) reports it, never as internal."""

    def __init__(self, message: str):
        ValueError.__init__(self, message)


def _reading(ctx: Any) -> tuple[str, str]:
    opts = ctx.get("tuy_chon") if ctx is not None else None
    if isinstance(opts, dict):
        return opts.get("doc_so_linh", "linh"), opts.get("doc_so_tu", "tư")
    return "linh", "tư"


def _value(value: Any) -> tuple[Decimal, str | None]:
    """A Decimal (and its unit, for a table figure) from what a template holds."""
    if hasattr(value, "so") and isinstance(getattr(value, "so"), Decimal):
        return value.so, getattr(value, "dvt", None)
    if isinstance(value, bool) or isinstance(value, float):
        # Floats are never money; a bool is not a number at all.
        raise FilterError(f"'{value}' không phải số nguyên hay số viết kiểu Việt Nam (\"12,5\").")
    if isinstance(value, (int, Decimal)):
        return Decimal(value), None
    try:
        return numbers.parse_number(str(value)), None
    except ValueError as exc:
        raise FilterError(str(exc)) from None


def amount_words(value: Any, currency: str = "đồng", *, zero_tens: str = "linh", four: str = "tư") -> str:
    """"Tám tỷ … đồng": a plain number is read in `currency`; a table figure in its own
    unit (a total in triệu đồng is read in đồng, scaled)."""
    number, unit = _value(value)
    zero_tens, four = getattr(value, "_reading", None) or (zero_tens, four)
    if unit is not None:
        from ..tables.compute import words_for  # tables are only loaded when used

        try:
            return words_for(number, unit, zero_tens=zero_tens, four=four)
        except FilterError:
            raise
        except ValueError as exc:  # too large to read
            raise FilterError(str(exc)) from None
    from ..rules import words  # num2words loads only when a number is read

    try:
        return words.amount_in_words(number, currency=currency, zero_tens=zero_tens, four=four)
    except ValueError as exc:  # too large to read
        raise FilterError(str(exc)) from None


def number_words(value: Any, *, zero_tens: str = "linh", four: str = "tư") -> str:
    number, _ = _value(value)
    zero_tens, four = getattr(value, "_reading", None) or (zero_tens, four)
    from ..rules import words

    try:
        return words.read_number(number, zero_tens=zero_tens, four=four)
    except ValueError as exc:  # too large to read
        raise FilterError(str(exc)) from None


def number_text(value: Any) -> str:
    number, _ = _value(value)
    return numbers.format_number(number)


@pass_context
def _bang_chu(ctx, value, currency: str = "đồng"):
    zero_tens, four = _reading(ctx)
    return amount_words(value, currency, zero_tens=zero_tens, four=four)


@pass_context
def _doc_so(ctx, value):
    zero_tens, four = _reading(ctx)
    return number_words(value, zero_tens=zero_tens, four=four)


def install(env) -> None:
    """Register the filters on a Jinja environment: they read the reading options
    from the render context (a table figure carries its own)."""
    env.filters.update(bang_chu=_bang_chu, doc_so=_doc_so, so=number_text)
