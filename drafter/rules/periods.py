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


def periods(text: str) -> list[Period]:
    """Every period of `text`, in order."""
    return [Period(int(m["first"]), int(m["last"]), m.group(0)[m.start("first") - m.start():], m.start("first"))
            for m in _PERIOD.finditer(text)]


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
