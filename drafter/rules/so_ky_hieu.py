"""Số, ký hiệu (ô 3): "Số: 14/CT-UBND" for a named type, "Số: 8287/UBND-KT1" for a công văn.

The number takes a leading zero below 10; with no number the place stays blank for
the records clerk. The slash is always there: the seed's "Số: 953UBND-CNXD" cannot
be produced.
"""

from __future__ import annotations

import re

from ..errors import Problem
from . import doctypes

PREFIX = "Số:"
# Room left for the clerk to write the number by hand.
BLANK_NUMBER = "\u00a0" * 7

_GROUP = re.compile(r"^[0-9A-ZĐÀ-Ỹa-zđà-ỹ]+$")


def format_number(so: int | None) -> str:
    if so is None:
        return BLANK_NUMBER
    if so < 1:
        raise ValueError(f"Số văn bản phải là số nguyên dương, không phải {so}.")
    return f"{so:02d}"


def symbol(*, type_abbr: str | None, issuer: str, unit: str | None = None) -> str:
    """The ký hiệu after the slash: type then issuer, or (công văn) issuer then unit."""
    groups = [type_abbr, issuer] if type_abbr else [issuer, unit]
    return "-".join(g.strip() for g in groups if g and g.strip())


def format(
    so: int | None, *, type_abbr: str | None, issuer: str, unit: str | None = None
) -> str:
    """The whole line: `Số: 05/TB-UBND`, or `Số:` + blank + `/QĐ-UBND` for a draft.

    >>> format(5, type_abbr="TB", issuer="UBND")
    'Số: 05/TB-UBND'
    >>> format(8287, type_abbr=None, issuer="UBND", unit="KT1")
    'Số: 8287/UBND-KT1'
    """
    return f"{PREFIX} {format_number(so)}/{symbol(type_abbr=type_abbr, issuer=issuer, unit=unit)}"


def _override_text(text: str) -> str:
    return re.sub(r"^\s*Số\s*:\s*", "", text.strip())


def validate_override(text: str) -> list[Problem]:
    """Problems of a fully typed số ký hiệu (the draft's `so_ky_hieu`), with or
    without its `Số:`.

    >>> validate_override("3384/BCT-CTĐP")
    []
    >>> [p.message for p in validate_override("953UBND-CNXD")]
    ["Số ký hiệu '953UBND-CNXD' thiếu dấu '/' giữa số và ký hiệu (viết như 8287/UBND-KT1)."]
    """
    return [Problem(m, key="so_ky_hieu") for m in validate_symbol_text(_override_text(text))]


def format_override(text: str) -> str:
    """A fully typed số ký hiệu (rare cases) with its `Số: ` prefix; ValueError for
    one :func:`validate_override` refuses.

    >>> format_override("Số:3384/BCT-CTĐP")
    'Số: 3384/BCT-CTĐP'
    """
    problems = validate_override(text)
    if problems:
        raise ValueError(" ".join(p.message for p in problems))
    return f"{PREFIX} {_override_text(text)}"


def validate_zero(number: str) -> list[str]:
    """The number below 10 with its leading zero (the checker's SO-ZERO too).

    >>> validate_zero("5"), validate_zero("05"), validate_zero("")
    (['Số nhỏ hơn 10 phải có số 0 đứng trước: «05» thay cho «5».'], [], [])
    """
    if number.isdigit() and 0 < int(number) and len(number) < len(want := format_number(int(number))):
        return [f"Số nhỏ hơn 10 phải có số 0 đứng trước: «{want}» thay cho «{number}»."]
    return []


def validate_symbol_text(text: str) -> list[str]:
    """Problems of a typed `8287/UBND-KT1`-style text (no `Số:`), in Vietnamese."""
    problems: list[str] = []
    if "/" not in text:
        problems.append(
            f"Số ký hiệu '{text}' thiếu dấu '/' giữa số và ký hiệu (viết như 8287/UBND-KT1)."
        )
        return problems
    number, _, sym = text.partition("/")
    number = number.replace("\u00a0", " ").strip()
    if " " in sym or sym != sym.strip():
        problems.append(f"Ký hiệu '{sym}' không được có dấu cách.")
    if number and not number.isdigit():
        problems.append(f"Số '{number}' phải là chữ số.")
    problems += validate_zero(number)
    groups = sym.strip().split("-")
    if any(not g for g in groups):
        problems.append(f"Ký hiệu '{sym}' có nhóm rỗng giữa các dấu '-'.")
    for g in groups:
        if g and g not in doctypes.ABBREVIATIONS | doctypes.COPY_ABBREVIATIONS and g != g.upper():
            problems.append(f"Nhóm '{g}' của ký hiệu phải viết in hoa.")
    return problems


def validate(line: str) -> list[Problem]:
    """Problems of a whole line as read in a document (`Số: 14/CT-UBND`).

    >>> validate("Số: 14/CT-UBND")
    []
    >>> [p.message for p in validate("Số: 5/QĐ-UBND")]
    ['Số nhỏ hơn 10 phải có số 0 đứng trước: «05» thay cho «5».']
    """
    m = re.match(r"^\s*Số\s*:\s*(.*)$", line)
    if not m:
        return [Problem(f"Dòng số ký hiệu phải bắt đầu bằng 'Số:': '{line}'.")]
    return [Problem(t) for t in validate_symbol_text(m.group(1).strip())]
