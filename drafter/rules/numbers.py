"""Vietnamese number formatting and parsing (docs/the-thuc.md#so-va-so-tien-bang-chu).

Thousands are separated by ``.`` and the decimal mark is ``,`` (accounting law):
``8.374``, ``1.234.567,89``. Only ``int`` and ``Decimal`` are accepted: a float
cannot hold most money amounts exactly, so it is refused rather than rounded.

>>> format(8374000000)
'8.374.000.000'
>>> format(Decimal("1234567.891"), decimals=2)
'1.234.567,89'
>>> parse_number("1.234.567,89")
Decimal('1234567.89')
>>> validate("8.374")
[]
>>> [p.message for p in validate("12.5")]
['Số "12.5" không hợp lệ: dấu "." là dấu phân cách hàng nghìn (mỗi nhóm đúng 3 chữ số); nếu là số thập phân, hãy viết "12,5".']
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from ..errors import Problem

__all__ = ["format", "format_number", "parse_number", "validate", "to_decimal"]

# Minus signs seen in pasted text: ASCII hyphen-minus, U+2212 MINUS SIGN,
# and the en dash that word processors substitute for a typed "-".
_MINUS_SIGNS = ("-", "\u2212", "\u2013")

# Grouped integer part: 1 to 3 digits, then groups of exactly 3; the first group
# must not start with 0 ("0.500" is an English decimal, not five hundred).
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")
_FRACTION = re.compile(r"[0-9]+")
# A single "." not followed by exactly three digits: "12.5", "3.14", "1.2345".
_DOT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")


def to_decimal(value: int | Decimal) -> Decimal:
    """Return ``value`` as a finite Decimal; refuse floats, bools and other types."""
    # bool is an int subclass; True as an amount is always a bug upstream.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(
            f"Số phải là số nguyên (int) hoặc Decimal, không nhận {type(value).__name__}: "
            f"{value!r} (số thực float làm sai lệch số tiền)."
        )
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"Số không hữu hạn, không thể trình bày: {value!r}.")
    return result


def _group_thousands(digits: str) -> str:
    """Insert "." every three digits from the right: "8374000" -> "8.374.000"."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def format_number(value: int | Decimal, decimals: int | None = None) -> str:
    """Format ``value`` the Vietnamese way: ``8.374``, ``1.234.567,89``, ``-1.234``.

    ``decimals=None`` keeps the value's own digits (``Decimal("1.50")`` -> ``1,50``);
    ``decimals=n`` rounds half up (away from zero) to ``n`` places. Never uses
    exponent notation: ``Decimal("1E+3")`` -> ``1.000``.
    """
    number = to_decimal(value)
    if decimals is not None:
        if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
            raise ValueError(f"Số chữ số thập phân phải là số nguyên không âm: {decimals!r}.")
        # Enough precision that quantize never fails on a long amount.
        digits_needed = len(number.as_tuple().digits) + max(number.as_tuple().exponent, 0)
        with localcontext() as ctx:
            ctx.prec = max(28, digits_needed + decimals + 2)
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{number.copy_abs():f}"  # "f" never produces an exponent; not the builtin format(), shadowed here
    integer, _, fraction = text.partition(".")
    sign = "-" if number.is_signed() and number != 0 else ""  # no "-0"
    result = sign + _group_thousands(integer)
    return f"{result},{fraction}" if fraction else result


def _invalid(text: str, reason: str) -> ValueError:
    return ValueError(f'Số "{text}" không hợp lệ: {reason}.')


def parse_number(text: str) -> Decimal:
    """Read a number written the Vietnamese way and return it as a Decimal.

    Accepts ``8374000000``, ``8.374.000.000``, ``12,5``, ``-5``, ``−5`` and
    ``1.234.567,89`` with surrounding spaces. ``.`` only separates thousands
    (groups of exactly 3 digits), ``,`` is the decimal mark; ``1.500`` is 1500,
    while ``12.5`` is refused as ambiguous. The scale written is kept
    (``"1,50"`` -> ``Decimal("1.50")``).
    """
    if not isinstance(text, str):
        raise TypeError(f"Cần một chuỗi ký tự để đọc số, không nhận {type(text).__name__}: {text!r}.")
    body = text.strip()
    if not body:
        raise ValueError("Số bị bỏ trống: cần ghi một số, ví dụ 8.374 hoặc 12,5.")
    negative = body.startswith(_MINUS_SIGNS)
    if negative:
        body = body[1:].lstrip()
    integer, comma, fraction = body.partition(",")
    if "," in fraction:
        raise _invalid(text, 'chỉ được có một dấu "," (dấu thập phân)')
    if comma and not integer:
        raise _invalid(text, f'thiếu phần nguyên trước dấu ","; hãy viết "0{body}"')
    if comma and not _FRACTION.fullmatch(fraction):
        raise _invalid(text, 'sau dấu "," phải là các chữ số')
    if not (_PLAIN.fullmatch(integer) or _GROUPED.fullmatch(integer)):
        if not comma and _DOT_DECIMAL.fullmatch(integer):
            raise _invalid(
                text,
                'dấu "." là dấu phân cách hàng nghìn (mỗi nhóm đúng 3 chữ số); '
                f'nếu là số thập phân, hãy viết "{text.strip().replace(".", ",")}"',
            )
        spaced = re.sub(r"\s", "", integer)
        if spaced != integer and (_PLAIN.fullmatch(spaced) or _GROUPED.fullmatch(spaced)):
            grouped = _group_thousands(spaced.replace(".", "").lstrip("0") or "0")
            suggestion = f"{grouped},{fraction}" if comma else grouped
            raise _invalid(text, f'không dùng dấu cách để phân cách hàng nghìn; hãy viết "{suggestion}"')
        if "." in integer:
            raise _invalid(
                text,
                'dấu "." phân cách hàng nghìn: nhóm đầu có 1–3 chữ số, '
                "mỗi nhóm sau đúng 3 chữ số (ví dụ 1.234.567)",
            )
        raise _invalid(text, "chỉ được gồm chữ số, dấu chấm hàng nghìn và một dấu phẩy thập phân")
    canonical = integer.replace(".", "") + ("." + fraction if comma else "")
    try:
        result = Decimal(canonical)
    except InvalidOperation:  # unreachable after the patterns above; kept as a guard
        raise _invalid(text, "không đọc được") from None
    if negative and result != 0:
        result = -result
    return result


# The module's surface, as in every rules module; format_number stays for its many callers.
format = format_number


def validate(text: str) -> list[Problem]:
    """Problems of ``text`` as a number written the Vietnamese way (empty when it parses)."""
    try:
        parse_number(text)
    except (ValueError, TypeError) as error:
        return [Problem(str(error))]
    return []
