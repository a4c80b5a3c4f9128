"""rules/recipients.bare runs its expressions only where they can match: the same
item as running both on every item, for items made of markers, punctuation, spaces
of every kind, ellipses and letters."""

import random
import re

from drafter.rules import recipients

_LEAD = re.compile(r"^\s*[-–—+•]\s*")
_TRAIL = re.compile(r"\s*[;,.:]\s*$")


def _bare_by_expressions(item: str) -> str:
    text = _LEAD.sub("", item.strip())
    if text.endswith(("...", "…")):
        return text
    return _TRAIL.sub("", text).strip()


def test_bare_is_the_expressions_way():
    rng = random.Random(19)
    pieces = ["-", "–", "—", "+", "•", ";", ",", ".", ":", " ", "\t", "\n", "\u00a0", "\u3000", "\x1c", "…",
              "...", "a", "Sở Tài chính", "UBND"]
    for _ in range(30000):
        item = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 7)))
        assert recipients.bare(item) == _bare_by_expressions(item), repr(item)


def test_one_recipient_is_the_list_of_one():
    for item in ["Ủy ban nhân dân Xã Minh Thanh", "- Sở Nội vụ;", " ", "Các xã…"]:
        assert recipients.kinh_gui(item) == recipients.kinh_gui([item])
