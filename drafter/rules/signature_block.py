"""How the Nơi nhận list and the signature share the page (ô 7 and 9b).

The signature block (authority lines, room for the signature and seal, the name) must
never split across pages, and stays with the end of the body. A long Nơi nhận list (69
communes) beside it would make one row taller than what is left of the page, and the
whole block would jump to the next page leaving a nearly empty one. So the list is
cut in two: the lines beside the signature, in a row that never splits, and the rest
below it, in a row that may continue on the next page (docs/the-thuc.md#noi-nhan-dai).

Heights are estimates in points, from the sizes and spacing of rules/geometry.py.

>>> round(signature_height_pt(("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")), 1)
138.3
>>> lines = ["- Như trên;"] + [f"- UBND xã số {i};" for i in range(1, 69)] + ["- Lưu: VT, KT."]
>>> beside_signature(lines, ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))
9
>>> beside_signature(lines[:10], ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))  # a short list stays whole
10
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil

from . import geometry as G
from . import layout, textwidth

__all__ = ["signature_height_pt", "noi_nhan_height_pt", "beside_signature"]


def _lines(text: str, size_pt: float, room: int, *, bold: bool = False) -> int:
    return max(1, ceil(textwidth.width_twips(text, size_pt, bold=bold) / room))


def signature_height_pt(authority: Sequence[str]) -> float:
    """The signature block's height: the space above, the authority lines, the room for
    the signature and seal, the name."""
    line = G.AUTHORITY.pt * G.LINE_HEIGHT_EM
    rows = sum(_lines(a, G.AUTHORITY.pt, layout.SIGN_RIGHT_INNER, bold=True) for a in authority)
    return G.AUTHORITY_FIRST_BEFORE_PT + rows * line + G.SIGNER.before + G.SIGNER.pt * G.LINE_HEIGHT_EM


def noi_nhan_height_pt(lines: Sequence[str]) -> float:
    """"Nơi nhận:" and the given list lines (a long line counts as the lines it wraps to).

    >>> round(noi_nhan_height_pt(["- Như trên;", "- Lưu: VT."]), 1)
    51.1
    """
    label = G.NOI_NHAN.before + G.NOI_NHAN.pt * G.LINE_HEIGHT_EM
    item = G.NOI_NHAN_ITEMS.pt * G.LINE_HEIGHT_EM
    return label + item * sum(_lines(ln, G.NOI_NHAN_ITEMS.pt, layout.SIGN_LEFT_INNER) for ln in lines)


def beside_signature(lines: Sequence[str], authority: Sequence[str]) -> int:
    """How many Nơi nhận lines go in the signature's row: as many as its height, all of
    them when only a few (geometry.NOI_NHAN_MIN_REST) would be left below."""
    target = signature_height_pt(authority)
    n = 0
    while n < len(lines) and noi_nhan_height_pt(lines[:n]) < target:
        n += 1
    return len(lines) if len(lines) - n < G.NOI_NHAN_MIN_REST else n
