"""Approximate printed width of a line in Times New Roman, for layout decisions.

The header must keep the quốc hiệu, the tiêu ngữ and the date line on one line, and
the rules under the tiêu ngữ and the issuer have lengths tied to their text. Widths
are the standard Times advance widths (1/1000 em); a Vietnamese letter takes the
width of its base letter, since the marks sit above or below it.

No format(): this measures text, it writes none. Its one check, :func:`validate`,
is whether a line fits the room given to it.

>>> width_twips("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
5424
>>> validate("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, 5500, bold=True)
[]
>>> [p.message for p in validate("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, 5000, bold=True)]
["Dòng 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' rộng khoảng 9,6 cm, quá chỗ dành cho nó (8,8 cm): sẽ bị xuống dòng."]
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..errors import Problem, warning
from ..oxml import to_mm, twips_from_pt

_REGULAR = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,:;/()",
    [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500,
     333, 389, 278, 500, 500, 722, 500, 500, 444,
     722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722,
     667, 556, 611, 722, 722, 944, 722, 722, 611,
     *[500] * 10, 250, 333, 250, 250, 278, 278, 278, 333, 333],
))
_BOLD = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,:;/()",
    [500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556,
     444, 389, 333, 556, 500, 722, 500, 500, 444,
     722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778,
     722, 556, 667, 722, 722, 1000, 722, 722, 667,
     *[500] * 10, 250, 333, 250, 250, 333, 333, 278, 333, 333],
))
_ITALIC = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,:;/()",
    [500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500, 500, 500,
     389, 389, 278, 500, 444, 667, 444, 444, 389,
     611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722,
     611, 500, 556, 722, 611, 833, 611, 556, 556,
     *[500] * 10, 250, 333, 250, 250, 333, 333, 278, 333, 333],
))
for _table in (_REGULAR, _BOLD, _ITALIC):
    # A no-break space (the blanks of a draft's date, of its number): LibreOffice sets it
    # about a third of an em wide, wider than a space (measured on its PDFs).
    _table["\u00a0"] = 344
_FALLBACK = 500


@lru_cache(maxsize=4096)
def _base(ch: str) -> str:
    if ch in "đ":
        return "d"
    if ch in "Đ":
        return "D"
    return unicodedata.normalize("NFD", ch)[0]


@lru_cache(maxsize=256)  # the labels of a document (a batch: grid._line_width keeps its own widths)
def width_pt(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    table = _BOLD if bold else _ITALIC if italic else _REGULAR
    units = sum(table.get(_base(ch), _FALLBACK) for ch in text)
    return units * size_pt / 1000


@lru_cache(maxsize=256)  # labels recur in a document (a title's words: rules/linebreak keeps their widths itself; a batch's cells: grid._line_width)
def width_twips(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> int:
    """Twips of ``text`` (italic: the upright bold face stands in for bold italic).

    >>> width_twips("Hà Nội, ngày 05 tháng 01 năm 2020", 13, italic=True)
    3799
    """
    return twips_from_pt(width_pt(text, size_pt, bold=bold, italic=italic))


def validate(text: str, size_pt: float, room_twips: int, *, bold: bool = False,
             italic: bool = False) -> list[Problem]:
    """A warning when ``text`` set at ``size_pt`` is wider than ``room_twips``: it
    would wrap where the format wants one line (quốc hiệu, tiêu ngữ, date line)."""
    width = width_twips(text, size_pt, bold=bold, italic=italic)
    if width <= room_twips:
        return []

    def cm(twips: float) -> str:
        return f"{to_mm(twips) / 10:.1f}".replace(".", ",")

    return [warning(f"Dòng '{text}' rộng khoảng {cm(width)} cm, quá chỗ dành cho nó "
                    f"({cm(room_twips)} cm): sẽ bị xuống dòng.")]
