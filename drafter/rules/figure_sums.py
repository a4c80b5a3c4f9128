"""A total and its parts in one sentence add up.

Seed 004 wrote "tổng kinh phí … là 8.374 triệu đồng …, trong đó năm 2018 là 1.514
triệu đồng, năm 2019 là 3.214 triệu đồng, năm 2020 là 3.696 triệu đồng": the parts make
8.424. The parts exceeding their whole is an error; falling short, a warning (a
sentence may name only some parts). A sentence is judged when it gives an amount, then "trong đó" (or "gồm",
"bao gồm") and two or more amounts in the same unit; amounts are read the Vietnamese
way (1.514 is one thousand five hundred and fourteen; 12,5 is twelve and a half).

>>> text = ("Tổng kinh phí là 8.374 triệu đồng, trong đó năm 2018 là 1.514 triệu đồng, "
...         "năm 2019 là 3.214 triệu đồng, năm 2020 là 3.696 triệu đồng.")
>>> [p.message for p in validate(text)]
['Tổng 8.374 triệu đồng không bằng các phần cộng lại: 1.514 + 3.214 + 3.696 = 8.424 triệu đồng.']
>>> validate(text.replace("3.696", "3.646"))
[]
>>> [(p.severity, p.message) for p in validate(text.replace("3.696", "3.000"))]
[('warning', 'Tổng 8.374 triệu đồng lớn hơn các phần được kể: 1.514 + 3.214 + 3.000 = 7.728 triệu đồng; nếu đã kể đủ các phần thì có một con số sai.')]
>>> validate("Kinh phí 500 triệu đồng, trong đó 200 triệu đồng ngân sách tỉnh.")  # one part: not a sum
[]
>>> validate("Tổng 1,5 tỷ đồng, gồm 0,5 tỷ đồng vốn tỉnh và 1 tỷ đồng vốn huyện.")
[]
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import WARNING, Problem

_UNIT = r"(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*đồng"
_AMOUNT = re.compile(r"(?<![\d.,])(?P<n>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(?P<unit>" + _UNIT + r")\b")
_SPLIT = re.compile(r"\b(?:trong đó|bao gồm|gồm)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"\.(?=\s|$)|;")  # a dot between digits is a thousands mark


def _value(n: str) -> Decimal:
    return Decimal(n.replace(".", "").replace(",", "."))


def _shown(d: Decimal) -> str:
    whole, _, frac = f"{d:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    frac = frac.rstrip("0")
    return grouped + ("," + frac if frac else "")


def _unit(u: str) -> str:
    return " ".join(u.replace("ngàn", "nghìn").replace("tỉ", "tỷ").split())


def validate(text: str) -> list[Problem]:
    """Each total of `text` that disagrees with the parts named after it: the last
    amount before "trong đó" (in the same text) against the amounts that follow, to the
    end of that sentence."""
    out = []
    for split in _SPLIT.finditer(text):
        before = list(_AMOUNT.finditer(text, 0, split.start()))
        end = _SENTENCE_END.search(text, split.end())
        parts = list(_AMOUNT.finditer(text, split.end(), end.start() if end else len(text)))
        if not before or len(parts) < 2:
            continue
        total, unit = _value(before[-1]["n"]), _unit(before[-1]["unit"])
        if any(_unit(p["unit"]) != unit for p in parts):
            continue  # parts in another unit: not a plain sum drafter can judge
        values = [_value(p["n"]) for p in parts]
        added = f"{' + '.join(_shown(v) for v in values)} = {_shown(sum(values))} {unit}"
        if sum(values) > total:  # the parts cannot exceed their whole
            out.append(Problem(f"Tổng {_shown(total)} {unit} không bằng các phần cộng lại: {added}."))
        elif sum(values) < total:  # perhaps not every part is named: a warning
            out.append(Problem(f"Tổng {_shown(total)} {unit} lớn hơn các phần được kể: {added}; nếu đã kể đủ "
                               "các phần thì có một con số sai.", severity=WARNING))
    return out


_ITEM = re.compile(r"^\s*(?:[-+•]|[a-zđ]\))\s*")


def with_lists(paragraphs: list[str]) -> list[tuple[int, str]]:
    """Paragraphs as sentences are read: one that ends "Trong đó:" (or "gồm:") runs on
    through the list items under it. Each text with the index of its first paragraph.

    >>> with_lists(["Tổng là 9 triệu đồng. Trong đó:", "- năm 2018: 4 triệu đồng;", "- năm 2019: 5 triệu đồng.", "Tiếp."])
    [(0, 'Tổng là 9 triệu đồng. Trong đó: năm 2018: 4 triệu đồng, năm 2019: 5 triệu đồng'), (3, 'Tiếp.')]
    """
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(paragraphs):
        text = paragraphs[i]
        first = i
        i += 1
        if re.search(r"(?:trong đó|bao gồm|gồm)\s*:\s*$", text, re.IGNORECASE):
            items = []
            while i < len(paragraphs) and _ITEM.match(paragraphs[i]):
                items.append(_ITEM.sub("", paragraphs[i]).rstrip(" .;"))
                i += 1
            if items:
                text = f"{text} {', '.join(items)}"
        out.append((first, text))
    return out
