"""Characters a Word document cannot hold, and the marks drafter keeps for itself.

A value of a draft, a preset, a batch row or an appendix sheet ends up as text in the
document's XML. XML 1.0 cannot hold lone surrogates (U+D800–U+DFFF), U+FFFE, U+FFFF
or the C0 control characters other than tab and line break (the XML parser of Word,
LibreOffice and drafter's own checker refuse the whole file); the other Unicode
non-characters (U+FDD0–U+FDEF and the last two code points of every plane, U+1FFFE…)
are no letter of any script and Word shows nothing for them. They come from broken
files, copy and paste out of other programs, or on purpose: they are **removed, with
a warning** naming each one.

drafter itself marks a figure quoted from an appendix table with three private-use
characters (``drafter.oxml.FIGURE_OPEN``, ``FIGURE_MID``, ``FIGURE_CLOSE``: U+E000,
U+E001, U+E002) until the renderer turns the mark into a content control. A value
holding one of them could pass itself off as a computed figure, so such a value is
removed too, with a warning of its own: no value can produce a content control or
a figure mark.

Pure functions, linear in the length of the text (one regular-expression scan):

>>> format("Tổng\\ufffe cộng\\x01")
'Tổng cộng'
>>> validate("Tổng cộng")
[]
>>> [(p.severity, p.message[:42]) for p in validate("Tổng\\ufffe cộng")]
[('warning', 'Giá trị có ký tự không lưu được trong tệp ')]
>>> "U+FFFE" in validate("Tổng\\ufffe cộng")[0].message
True
>>> [(p.severity, "U+E000" in p.message) for p in validate("999 \\ue000phu_luc[0].tong\\ue001999 TỶ\\ue002")]
[('warning', True)]
>>> format("\\ud800a\\U0010ffff\\ufdd0b")  # a lone surrogate, two non-characters
'ab'
>>> format("Dòng 1\\n\\tDòng 2")  # tab and line break stay
'Dòng 1\\n\\tDòng 2'
"""

from __future__ import annotations

import re

from ..errors import WARNING, Problem
from ..oxml import FIGURE_CLOSE, FIGURE_MID, FIGURE_OPEN

MARKS = FIGURE_OPEN + FIGURE_MID + FIGURE_CLOSE

_PLANE_ENDS = "".join(f"{chr(p * 0x10000 + 0xFFFE)}-{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
# What XML cannot hold or Word cannot show (removed), and drafter's marks (refused).
_IMPOSSIBLE = "\x00-\x08\x0b-\x1f\ud800-\udfff\ufdd0-\ufdef" + _PLANE_ENDS
_ANY = re.compile(f"[{_IMPOSSIBLE}{MARKS}]")
_IMPOSSIBLE_RE = re.compile(f"[{_IMPOSSIBLE}]")
_MARKS_RE = re.compile(f"[{MARKS}]")
# The same within the Basic Multilingual Plane, where nearly every text lives: a class
# of a few BMP ranges is tested by a bitmap, about ten times faster than one holding
# the seventeen planes' ends (measured: 3 against 32 µs for 400 Vietnamese letters).
_ANY_BMP = re.compile(f"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{MARKS}]")

SHOWN = 3  # code points named in a message, at most


def suspect(text: str) -> bool:
    """Does ``text`` hold anything :func:`validate` reports? (One scan; False for
    nearly every value, which callers then leave as it is.)"""
    if _printable(text):  # C code over the text, three times quicker than the expression
        return False
    if _ANY_BMP.search(text) is not None:
        return True
    return not text.isascii() and _astral(text) and _ANY.search(text) is not None


def _printable(text: str) -> bool:
    """Is every character of ``text`` a letter, mark, number, punctuation, symbol, a
    space, a tab or a line break? Then it holds nothing :func:`suspect` looks for
    (those are control, surrogate, private-use or unassigned code points, which
    ``str.isprintable`` refuses); when not (a no-break space, say), the expression
    decides.

    >>> _printable("Tổng cộng\\n\\t1.250"), _printable("Tổng\\u00a0cộng"), _printable("a\\ue000")
    (True, False, False)
    """
    if text.isprintable():
        return True
    if "\t" in text:
        return text.replace("\n", " ").replace("\t", " ").isprintable()
    # Line by line: each character tested once, and no copy of the whole text but the lines.
    return "\n" in text and all(map(str.isprintable, text.split("\n")))


def _astral(text: str) -> bool:
    """Does ``text`` hold a code point past U+FFFF? (Each takes two UTF-16 units, every
    other one, lone surrogates too, one: a C-level encode, where ``max(text)`` makes
    a string of each character, 20 µs for 800 letters.)

    >>> _astral("Tổng cộng"), _astral("Tổng \\U0001F600"), _astral("\\ud800")
    (False, True, False)
    >>> suspect("Tổng \\U0001F600"), suspect("Tổng \\U0001FFFE")
    (False, True)
    """
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def format(text: str) -> str:
    """``text`` without the characters a document cannot hold and without drafter's
    figure marks."""
    return _ANY.sub("", text) if suspect(text) else text


def _named(chars: list[str]) -> str:
    distinct = sorted(set(chars))
    names = ", ".join(f"U+{ord(c):04X}" for c in distinct[:SHOWN])
    return names + (f" và {len(distinct) - SHOWN} ký tự khác" if len(distinct) > SHOWN else "")


def validate(text: str) -> list[Problem]:
    """A warning for each kind of character :func:`format` removes."""
    if not suspect(text):
        return []
    out = []
    impossible = _IMPOSSIBLE_RE.findall(text)
    if impossible:
        out.append(Problem(
            f"Giá trị có ký tự không lưu được trong tệp Word ({_named(impossible)}, "
            f"{len(impossible)} chỗ); drafter đã bỏ các ký tự này khỏi văn bản.",
            hint="Các ký tự này không nhìn thấy được, thường do sao chép từ tệp hỏng hoặc "
                 "chương trình khác; hãy xóa chúng trong tệp gốc (gõ lại đoạn đó).",
            severity=WARNING))
    marks = _MARKS_RE.findall(text)
    if marks:
        out.append(Problem(
            f"Giá trị có ký tự dùng riêng ({_named(marks)}) mà drafter dành để đánh dấu số liệu "
            "tính từ bảng phụ lục; giá trị nhập vào không được chứa ký tự này, drafter đã bỏ chúng "
            "(chữ còn lại được in như chữ thường, không thành số liệu).",
            hint="Xóa các ký tự vô hình đó (gõ lại đoạn văn bản). Muốn trích số liệu của bảng, "
                 "hãy viết {{ phu_luc[0].tong.… }} để drafter tự điền.",
            severity=WARNING))
    return out
