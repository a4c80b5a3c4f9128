"""Word's list numbering (numbering.xml) turned into the labels Word shows.

A paragraph with ``w:numPr`` (numId, ilvl) has no number in its text: Word draws it
from the numbering part. :class:`Numbering` counts the paragraphs of each list the
way Word does (a level restarts under each higher level; ``w:start`` and
``w:lvlOverride/w:startOverride`` honoured) and formats the label from ``w:lvlText``
and ``w:numFmt``: decimal, lowerLetter with the Vietnamese alphabet (a, b, c, d, đ,
e, g…), upperRoman / lowerRoman, upperLetter, and a bullet shown as "-".

>>> lvl = {0: Level("decimal", "%1.", 1), 1: Level("lowerLetter", "%2)", 1)}
>>> n = Numbering({"1": ("A", {})}, {"A": lvl})
>>> [n.label("1", i) for i in (0, 1, 1, 1, 1, 1, 0, 1)]
['1.', 'a)', 'b)', 'c)', 'd)', 'đ)', '2.', 'a)']
>>> roman(14), letter(7, upper=True)
('XIV', 'G')
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.oxml import NS, internal_rels, is_rel_type, rels_part_name
from drafter.package.reader import open_package, parse_xml

W = "{" + NS["w"] + "}"
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int


def roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def letter(n: int, *, upper: bool = False) -> str:
    """The n-th letter of the Vietnamese alphabet (a…y, then aa, bb… as Word repeats)."""
    k = len(VIETNAMESE_LETTERS)
    ch = VIETNAMESE_LETTERS[(n - 1) % k] * ((n - 1) // k + 1)
    return ch.upper() if upper else ch


def _number(fmt: str, n: int) -> str:
    if fmt == "lowerLetter":
        return letter(n)
    if fmt == "upperLetter":
        return letter(n, upper=True)
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    def __init__(self, nums: dict[str, tuple[str, dict[int, int]]], abstracts: dict[str, dict[int, Level]]):
        self.nums = nums  # numId → (abstractNumId, {ilvl: startOverride})
        self.abstracts = abstracts
        self.counts: dict[str, dict[int, int]] = {}

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The label of the next paragraph of this list at this level (counted)."""
        if num_id not in self.nums:
            return None
        abstract, overrides = self.nums[num_id]
        levels = self.abstracts.get(abstract, {})
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        counts = self.counts.setdefault(num_id, {})
        start = overrides.get(ilvl, lvl.start)
        counts[ilvl] = counts.get(ilvl, start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if lvl.fmt == "bullet":
            return "-"
        if lvl.fmt == "none":
            return lvl.text.strip() or None
        text = lvl.text
        for k in range(9):
            mark = f"%{k + 1}"
            if mark in text:
                other = levels.get(k, lvl)
                value = counts.get(k, overrides.get(k, other.start))
                text = text.replace(mark, _number(other.fmt if k != ilvl else lvl.fmt, value))
        return text.strip() or None


def read_numbering(path) -> Numbering:
    """The numbering part of a .docx (an empty Numbering when it has none)."""
    nums: dict[str, tuple[str, dict[int, int]]] = {}
    abstracts: dict[str, dict[int, Level]] = {}
    with open_package(path) as pkg:
        main = pkg.main_document_name()
        rels_name = rels_part_name(main)
        part = None
        if pkg.has(rels_name):
            rels = internal_rels(parse_xml(pkg.read(rels_name), name=rels_name), main)
            part = next((r.part for r in rels if is_rel_type(r.type, "numbering")), None)
        if part is None or not pkg.has(part):
            return Numbering({}, {})
        root = parse_xml(pkg.read(part), name=part)
    for ab in root.iter(W + "abstractNum"):
        levels: dict[int, Level] = {}
        for lvl in ab.iter(W + "lvl"):
            def val(tag: str) -> str | None:
                el = lvl.find(W + tag)
                return None if el is None else el.get(W + "val")
            try:
                start = int(val("start") or 1)
                ilvl = int(lvl.get(W + "ilvl") or 0)
            except ValueError:
                continue
            levels[ilvl] = Level(val("numFmt") or "decimal", val("lvlText") or "", start)
        abstracts[ab.get(W + "abstractNumId") or ""] = levels
    for num in root.iter(W + "num"):
        ref = num.find(W + "abstractNumId")
        overrides: dict[int, int] = {}
        for ov in num.iter(W + "lvlOverride"):
            so = ov.find(W + "startOverride")
            if so is not None:
                try:
                    overrides[int(ov.get(W + "ilvl") or 0)] = int(so.get(W + "val") or 1)
                except ValueError:
                    pass
        nums[num.get(W + "numId") or ""] = (ref.get(W + "val") if ref is not None else "", overrides)
    return Numbering(nums, abstracts)
