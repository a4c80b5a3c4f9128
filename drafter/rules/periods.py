"""Periods written "năm đầu-năm cuối": the last year comes after the first.

Seed 000 wrote "giai đoạn 2021-2020" for 2021–2025. A period is a phrase that names
itself one (giai đoạn, thời kỳ, nhiệm kỳ, niên khóa, năm học, từ năm, các năm, năm)
followed by two years joined by a dash; a bare "2021-2020" elsewhere (a number, a
code) is not judged.

>>> [p.message for p in validate("Nghiên cứu xây dựng Chương trình giai đoạn 2021-2020.")]
["Giai đoạn '2021-2020' có năm cuối (2020) trước năm đầu (2021); kiểm tra lại năm cuối."]
>>> validate("giai đoạn 2021 - 2025, năm học 2025-2026, số hiệu 2021-2020")
[]
>>> [p.quoted for p in periods("nhiệm kỳ 2020–2015 và thời kỳ 2016-2016")]
['2020–2015', '2016-2016']
>>> format("giai đoạn 2021-2025")
'giai đoạn 2021 - 2025'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import WARNING, Problem

_PERIOD = re.compile(
    r"\b(?:giai đoạn|thời kỳ|nhiệm kỳ|niên khóa|niên độ|năm học|từ năm|các năm|năm)\s+"
    r"(?P<first>(?:19|20|21)\d\d)\s*(?P<dash>[-–—])\s*(?P<last>(?:19|20|21)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    first: int
    last: int
    quoted: str  # as written: "2021-2020"
    start: int  # where the years start in the text

    @property
    def backwards(self) -> bool:
        return self.last <= self.first


# Found the other way round, with the same result as _PERIOD.finditer: the two years
# and their dash first (a text without a dash, found by str's own search, has none;
# a regular expression that starts at a digit is quick), then the phrase just before
# them. _PERIOD's case-folded phrases tried at every letter cost 40-170 µs for a text
# of 500 letters, where this costs 1-3 µs. (The years of a period follow a space and
# a phrase, so no two-years match that is not a period can hide one that is.)
_DASHES = "-–—"
_YEARS = re.compile(r"(?P<first>(?:19|20|21)\d\d)\s*(?P<dash>[-–—])\s*(?P<last>(?:19|20|21)\d\d)\b")
_PHRASE_END = re.compile(r"\b(?:giai đoạn|thời kỳ|nhiệm kỳ|niên khóa|niên độ|năm học|từ năm|các năm|năm)\Z",
                         re.IGNORECASE)
_LONGEST_PHRASE = 9  # letters, "giai đoạn"; a case-folded letter matches one letter


def periods(text: str) -> list[Period]:
    """Every period of `text`, in order.

    >>> periods("năm 2026, số 2021 2020, mã 2021-2020"), [p.first for p in periods("Năm  2021—2025")]
    ([], [2021])
    """
    if "-" not in text and "–" not in text and "—" not in text:  # _DASHES, each found by str's own search
        return []
    out = []
    for m in _YEARS.finditer(text):
        start = m.start()
        end = len(text[:start].rstrip())  # the phrase ends where the spaces before the years start
        if end < start and _PHRASE_END.search(text, max(0, end - _LONGEST_PHRASE), end):
            out.append(Period(int(m["first"]), int(m["last"]), m.group(0), start))
    return out


def checked(text: str) -> list[tuple[Period, Problem]]:
    """Each backwards period of `text` with its problem: the last year before the first
    is an error (a slip that changes what the document says), the same year twice a
    warning."""
    return [(p, Problem(f"Giai đoạn '{p.quoted}' có năm cuối ({p.last}) trước năm đầu ({p.first}); "
                        "kiểm tra lại năm cuối.") if p.last < p.first else
             Problem(f"Giai đoạn '{p.quoted}' bắt đầu và kết thúc cùng một năm; kiểm tra lại năm cuối.",
                     severity=WARNING))
            for p in periods(text) if p.backwards]


def validate(text: str) -> list[Problem]:
    """The problems of :func:`checked`."""
    return [problem for _, problem in checked(text)]


def format(text: str) -> str:
    """The periods of `text` written as Nghị định 30's models write them: "2021 - 2025"."""
    return _PERIOD.sub(lambda m: m.group(0)[: m.start("first") - m.start()] + f"{m['first']} - {m['last']}", text)
