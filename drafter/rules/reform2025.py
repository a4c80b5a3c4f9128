"""The 2025 reform of local government (docs/the-thuc.md#chinh-quyen-hai-cap-tu-2025): a pure rule.

Since 1 July 2025 local government has two tiers, the 34 provinces and centrally-run
cities, and the communes (xã, phường, đặc khu). The district level (huyện, quận, thị
xã, and the provincial cities, "thành phố thuộc tỉnh") no longer issues documents, so
a draft dated on or after that day whose issuer or parent (cơ quan chủ quản) names a
district-level unit is suspicious: most likely an old preset or a copied header.

Only the header lines count: "UBND các huyện" in the body or in Kính gửi is no issuer.
"THÀNH PHỐ" is ambiguous: "THÀNH PHỐ HÀ NỘI" is a province-level unit (one of the six
centrally-run cities), "THÀNH PHỐ HÀ TĨNH" was a district-level one. Only the latter
warns.

The reform changes no written form, so there is no format(): :func:`validate` judges
the header of a dated document.

>>> import datetime as dt
>>> validate(issuer_lines=["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"], parent=None, date=dt.date(2025, 8, 1), year=2025)
[]
>>> (p,) = validate(issuer_lines=["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"], parent="TỈNH HÀ TĨNH",
...                 date=dt.date(2025, 8, 1), year=2025)
>>> p.severity, p.key, p.message[:60]
('warning', 'co_quan.ten', "Cơ quan ban hành 'ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN' là đơn vị")
>>> validate(issuer_lines=["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"], parent=None, date=dt.date(2025, 6, 30), year=2025)
[]
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from ..errors import Problem, warning
from . import date_line

__all__ = ["REFORM_DATE", "district_warnings", "district_unit", "validate"]

REFORM_DATE = dt.date(2025, 7, 1)

# District-level words, matched on the upper-cased, NFC header text. "HUYỆN ỦY",
# "QUẬN ỦY" (party committees of those units) contain them; "THỊ ỦY" is a thị xã's.
_DISTRICT = re.compile(r"(?<!\w)(?:(CẤP\s+HUYỆN|HUYỆN|QUẬN|THỊ\s+XÃ|THỊ\s+ỦY)(?!\w)|(TX)\.)")
# "THÀNH PHỐ X", "TP. X", "TP.X", "TP X": X, what follows, is judged by _is_central.
_CITY = re.compile(r"(?<!\w)(?:THÀNH\s+PHỐ|TP\.|TP(?=\s))")

# Short forms seen in headers for the centrally-run cities.
_ALIASES = {"HCM": "HỒ CHÍ MINH", "HCMC": "HỒ CHÍ MINH", "HN": "HÀ NỘI", "HP": "HẢI PHÒNG", "ĐN": "ĐÀ NẴNG", "CT": "CẦN THƠ"}


def _upper(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).upper().split())


@functools.lru_cache(maxsize=1)
def _central_cities() -> tuple[str, ...]:
    """Names of the centrally-run cities (upper case), from drafter.units."""
    from .. import units

    return tuple(_upper(p.name) for p in units.provinces() if p.kind == "thành phố")


def _is_central(rest: str) -> bool:
    words = rest.replace(".", " ").split()
    if not words:
        return True  # "THÀNH PHỐ" alone names nothing we can judge
    if words[0] in _ALIASES:
        words = _ALIASES[words[0]].split() + words[1:]
    for city in _central_cities():
        n = len(city.split())
        if words[:n] == city.split():
            return True
    return False


def district_unit(text: str) -> str | None:
    """The kind of district-level unit that `text` names, or None: "HUYỆN", "QUẬN",
    "THỊ XÃ", "CẤP HUYỆN", or "THÀNH PHỐ" for a city that is not centrally run.

    >>> district_unit("ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN")
    'HUYỆN'
    >>> district_unit("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") is None
    True
    """
    up = _upper(text)
    m = _DISTRICT.search(up)
    if m:
        word = " ".join((m.group(1) or m.group(2)).split())
        return {"TX": "THỊ XÃ", "THỊ ỦY": "THỊ XÃ"}.get(word, word)
    # A "thành phố" that is not one of the centrally-run cities was district level.
    for m in _CITY.finditer(up):
        rest = up[m.end():].strip()
        if rest and not _is_central(rest):
            return "THÀNH PHỐ"
    return None


def _applies(date: dt.date | None, year: int) -> bool:
    if date is not None:
        return date >= REFORM_DATE
    return year >= REFORM_DATE.year + 1


def district_warnings(
    *, issuer_lines: list[str], parent: str | None, date: dt.date | None, year: int
) -> list[str]:
    """The messages of :func:`validate` (kept for callers that take plain text)."""
    return [p.message for p in validate(issuer_lines=issuer_lines, parent=parent, date=date, year=year)]


def validate(
    *, issuer_lines: list[str], parent: str | None, date: dt.date | None, year: int
) -> list[Problem]:
    """Warnings when a document of the two-tier era names a district issuer, at the
    draft key of the line that names it (`co_quan.ten`, `co_quan.chu_quan`).

    `issuer_lines` are the lines of tên cơ quan ban hành (joined with spaces before
    matching, since "ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HÀ TĨNH" reads as one name), and
    `parent` the cơ quan chủ quản line. The rule applies to a document dated on or
    after 1 July 2025, or undated in a year from 2026 on (an undated 2025 draft may
    still be signed before July). Empty list: nothing to say.
    """
    if not _applies(date, year):
        return []
    if date is not None:  # day and month written as on the date line
        when = f"ngày {date_line.day(date.day)}/{date_line.month(date.month)}/{date.year}"
    else:
        when = f"năm {year} (chưa ghi ngày)"
    out = []
    for role, key, text in (
        ("Cơ quan ban hành", "co_quan.ten", " ".join(line for line in issuer_lines if line)),
        ("Cơ quan chủ quản", "co_quan.chu_quan", parent or ""),
    ):
        if not text.strip():
            continue
        unit = district_unit(text)
        if unit is None:
            continue
        kind = unit.lower()
        if unit == "THÀNH PHỐ":
            kind = (f"thành phố thuộc tỉnh, không phải một trong {len(_central_cities())} "
                    "thành phố trực thuộc trung ương")
        out.append(warning(
            f"{role} '{_upper(text)}' là đơn vị cấp huyện ({kind}), nhưng văn bản đề {when}: "
            "từ ngày 01/7/2025 chính quyền địa phương chỉ còn hai cấp (tỉnh và xã, phường, "
            "đặc khu), cấp huyện không còn ban hành văn bản. Hãy kiểm tra lại tên cơ quan "
            "(ví dụ đổi sang Ủy ban nhân dân xã, phường mới) hoặc ngày của văn bản.",
            key=key,
        ))
    return out
