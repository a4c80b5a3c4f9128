"""Địa danh, ngày tháng năm (ô 4): `Hà Tĩnh, ngày 06 tháng 01 năm 2020`.

Days 1-9 and the months 1 and 2 take a leading zero; no other month does. With no
date the day and month stay blank for the signing day.

>>> import datetime as dt
>>> format("Hà Tĩnh", dt.date(2020, 1, 6))
'Hà Tĩnh, ngày 06 tháng 01 năm 2020'
>>> format("Hà Nội", dt.date(2019, 12, 13))
'Hà Nội, ngày 13 tháng 12 năm 2019'
>>> format("Thành phố Hồ Chí Minh", None, year=2026, room_twips=5678).count(NBSP)  # fewer blanks to fit
8
>>> validate("Hà Tĩnh, ngày 06 tháng 01 năm 2020")
[]
>>> [p.message for p in validate("Hà Nội, ngày 5 tháng 03 năm 2020")]
["Ngày phải viết 'ngày 05' thay cho 'ngày 5' (ngày dưới 10 có số 0 đứng trước).", "Tháng phải viết 'tháng 3' thay cho 'tháng 03' (chỉ tháng 1, 2 có số 0 đứng trước)."]
>>> [p.message for p in validate("Hà Nội, ngày 30 tháng 02 năm 2020")]
['Ngày 30/02/2020 không có thật.']
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import Problem

NBSP = "\u00a0"
BLANK = NBSP * 6
MIN_BLANK = 3  # the fewest no-break spaces left for a day or month written by hand


def day(d: int) -> str:
    return f"{d:02d}"


def month(m: int) -> str:
    # Months 1 and 2 are written 01, 02 so "tháng 1" cannot be altered into "tháng 12".
    return f"{m:02d}" if m <= 2 else str(m)


def date_phrase(date: dt.date | None, *, year: int | None = None) -> str:
    """`ngày 13 tháng 12 năm 2019`, or blanks for day and month."""
    if date is None:
        if year is None:
            raise ValueError("A blank date still needs its year.")
        return f"ngày{BLANK}tháng{BLANK}năm {year}"
    return f"ngày {day(date.day)} tháng {month(date.month)} năm {date.year}"


def format(place: str, date: dt.date | None, *, year: int | None = None, room_twips: int | None = None) -> str:
    """The date line; a blank date's blanks shortened (down to MIN_BLANK) when the line
    would not fit ``room_twips`` at the date line's size: it never wraps."""
    line = f"{place.strip()}, {date_phrase(date, year=year)}"
    if date is not None or room_twips is None:
        return line
    from . import geometry, textwidth

    n = len(BLANK)
    while n > MIN_BLANK and textwidth.width_twips(line, geometry.DATE_LINE.pt, italic=True) > room_twips:
        n -= 1
        line = f"{place.strip()}, ngày{NBSP * n}tháng{NBSP * n}năm {year}"
    return line


_LINE = re.compile(
    r"^(?P<place>[^,]+),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*$"
)


def validate(line: str) -> list[Problem]:
    """Problems of a date line as read in a document: its pattern, a real date, then
    the leading zeros (only checked on a real date)."""
    return validate_pattern(line) or validate_zeros(line)


def validate_pattern(line: str) -> list[Problem]:
    """The line follows `Địa danh, ngày dd tháng mm năm yyyy` and names a real day; a
    draft's blank date (`ngày   tháng   năm 2026`) passes."""
    m = _LINE.match(line.strip())
    if not m:
        if re.search(r"ngày\s+tháng\s+năm", line.replace("\u00a0", " ")):
            return []  # a draft's blank date
        return [Problem(f"Dòng địa danh, ngày tháng không đúng mẫu 'Hà Nội, ngày 05 tháng 01 năm 2020': '{line}'.")]
    d, mth, y = m.group("d"), m.group("m"), m.group("y")
    try:
        dt.date(int(y), int(mth), int(d))
    except ValueError:
        return [Problem(f"Ngày {d}/{mth}/{y} không có thật.")]
    return []


_PHRASE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+\d{4}")


def validate_zeros(text: str) -> list[Problem]:
    """The leading-zero rule on the first `ngày d tháng m năm yyyy` found in `text`
    (the checker asks it of a line that may not match the whole pattern)."""
    m = _PHRASE.search(text)
    if not m:
        return []
    d, mth = m.groups()
    problems = []
    if d != day(int(d)):
        problems.append(Problem(f"Ngày phải viết 'ngày {day(int(d))}' thay cho 'ngày {d}' "
                                "(ngày dưới 10 có số 0 đứng trước)."))
    if 1 <= int(mth) <= 12 and mth != month(int(mth)):
        problems.append(Problem(f"Tháng phải viết 'tháng {month(int(mth))}' thay cho 'tháng {mth}' "
                                "(chỉ tháng 1, 2 có số 0 đứng trước)."))
    return problems


# Compiled once: re's own cache of patterns by their text is shared with every module
# and may have let them go (a pattern compiled again: 14 µs a date).
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_date(text: str) -> dt.date:
    """An ISO (`2019-12-13`) or Vietnamese (`13/12/2019`) date; ValueError in Vietnamese."""
    s = text.strip()
    m = _ISO.fullmatch(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DMY.fullmatch(s)
        if not m:
            raise ValueError(f"'{text}' không phải là ngày (viết như 2019-12-13 hoặc 13/12/2019).")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"Ngày {d:02d}/{mo:02d}/{y} không có thật (ngày {text}).") from None
