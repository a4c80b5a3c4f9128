"""The quoted figures' bookmarks numbered by find (render/ooxml._bookmark_pieces, its
start marks found from the end) give what the pattern's substitution gives: every
mark, in order, with the same ids and occurrence numbers; a broken mark left as text."""

from __future__ import annotations

import random

from drafter.oxml import FIGURE_BOOKMARK, FIGURE_BOOKMARK_ID
from drafter.render.ooxml import (
    _FIGURE_MARK,
    figure_bookmark_pieces,
    figure_bookmark_pieces_bytes,
    figure_xml,
    number_figure_bookmarks,
)


def _by_pattern(xml: str) -> str:
    """The general way: the pattern's substitution, numbered as it goes."""
    seen: dict[str, int] = {}
    count = 0

    def numbered(m):
        nonlocal count
        count += 1
        digest = m.group(1)
        seen[digest] = k = seen.get(digest, 0) + 1
        bid = FIGURE_BOOKMARK_ID + count
        return (f'<w:bookmarkStart w:id="{bid}" w:name="{FIGURE_BOOKMARK}{digest}_{k}"/>{m.group(2)}'
                f'<w:bookmarkEnd w:id="{bid}"/>')

    return _FIGURE_MARK.sub(numbered, xml)


_START = f'<w:bookmarkStart w:id="0" w:name="{FIGURE_BOOKMARK}'
_PIECES = [
    lambda r: figure_xml(r.choice(["phu_luc[0].tong", "a.b", "x"]), r.choice(["5", "1.234", "đồng"])),
    lambda r: '<w:p><w:r><w:t xml:space="preserve">Hà Nội</w:t></w:r></w:p>',
    lambda r: _START,  # a start mark with nothing after it
    lambda r: _START + "0123456789_0\"/>",  # no control after the hash
    lambda r: _START + "01234567zz_0\"/><w:sdt>",  # not a hash
    lambda r: _START + "abcdef0123_0\"/><w:sdt>",  # a control never closed (unless a later one closes it)
    lambda r: "</w:sdt><w:bookmarkEnd w:id=\"0\"/>",
    lambda r: "<w:sdt>",
    lambda r: FIGURE_BOOKMARK,
    lambda r: "\n\t",
]


def _check(xml: str) -> None:
    expected = _by_pattern(xml)
    assert number_figure_bookmarks(xml) == expected
    pieces = figure_bookmark_pieces(xml)
    assert "".join(pieces if pieces is not None else [xml]) == expected
    data = figure_bookmark_pieces_bytes(xml.encode())
    assert b"".join(data if data is not None else [xml.encode()]) == expected.encode()
    raw = xml.encode()
    cut = figure_bookmark_pieces_bytes(raw, memoryview(raw))  # slices of the view, the same bytes
    assert (cut is None) == (data is None)
    if cut is not None:
        assert all(type(p) is memoryview for p in cut[::4]) and b"".join(cut) == expected.encode()


def test_random_parts_are_numbered_as_the_pattern_numbers_them():
    r = random.Random(19)
    for _ in range(3000):
        _check("".join(r.choice(_PIECES)(r) for _ in range(r.randrange(0, 12))))


def test_nested_and_repeated_marks():
    a, b = figure_xml("phu_luc[0].tong", "5"), figure_xml("phu_luc[0].tong.chu", "năm")
    inner = _START + "abcdef0123_0\"/><w:sdt>" + a  # a start mark whose control a later mark's end closes
    for xml in (a + b + a, inner + b, a[:-5] + a, _START * 3 + a, "đ" + a + "đ" + b, ""):
        _check(xml)
    assert number_figure_bookmarks(a + a).count(f'w:id="{FIGURE_BOOKMARK_ID + 2}"') == 2


def test_no_mark_is_none():
    assert figure_bookmark_pieces("<w:p/>") is None
    assert figure_bookmark_pieces_bytes(FIGURE_BOOKMARK.encode()) is None
