"""Địa danh, ngày tháng năm (ô 4): `Hà Tĩnh, ngày 06 tháng 01 năm 2020`.

Days 1-9 and the months 1 and 2 take a leading zero; no other month does. With no
date the day and month stay blank for the signing day.
"""

from __future__ import annotations

import datetime as dt
import re

BLANK = "\u00a0" * 6


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


def format(place: str, date: dt.date | None, *, year: int | None = None) -> str:
    return f"{place.strip()}, {date_phrase(date, year=year)}"


_LINE = re.compile(
    r"^(?P<place>[^,]+),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*$"
)


def validate(line: str) -> list[str]:
    """Problems of a date line as read in a document, in Vietnamese."""
    m = _LINE.match(line.strip())
    if not m:
        if re.search(r"ngày\s+tháng\s+năm", line.replace("\u00a0", " ")):
            return []  # a draft's blank date
        return [f"Dòng địa danh, ngày tháng không đúng mẫu 'Hà Nội, ngày 05 tháng 01 năm 2020': '{line}'."]
    d, mth, y = m.group("d"), m.group("m"), m.group("y")
    problems = []
    try:
        dt.date(int(y), int(mth), int(d))
    except ValueError:
        problems.append(f"Ngày {d}/{mth}/{y} không có thật.")
        return problems
    if d != day(int(d)):
        problems.append(f"Ngày dưới 10 phải có số 0 đứng trước: 'ngày {day(int(d))}' thay cho 'ngày {d}'.")
    if mth != month(int(mth)):
        problems.append(f"Tháng phải viết 'tháng {month(int(mth))}' thay cho 'tháng {mth}'.")
    return problems


def parse_date(text: str) -> dt.date:
    """An ISO (`2019-12-13`) or Vietnamese (`13/12/2019`) date; ValueError in Vietnamese."""
    s = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or None
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", s)
        if not m:
            raise ValueError(f"'{text}' không phải là ngày (viết như 2019-12-13 hoặc 13/12/2019).")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"Ngày {d:02d}/{mo:02d}/{y} không có thật (ngày {text}).") from None
