"""A sealed table (render/ooxml.SealedXml, issue 19) is copied into the part
without being looked through: the part made that way is byte for byte the text way's
(every piece joined as text, its bookmarks numbered, its listing resolved, its last
sectPr replaced), for random parts mixing sealed tables, quoted figures' marks (whole,
broken, split across pieces), line breaks, tabs and sectPrs; a table is sealed only
when its text holds none of what is looked for."""

from __future__ import annotations

import random

from drafter.render import engine, table_xml
from drafter.render.ooxml import (
    EncodedXml,
    SealedXml,
    figure_bookmark_pieces_parts,
    figure_xml,
    number_figure_bookmarks,
)
from drafter.sandbox import LARGE_PIECE, Printed, printed_text
from drafter.tables import grid as table_grid
from drafter.tables import plan

from test_figure_bookmarks import _PIECES, _START

_LOOKED_FOR = ("\n", "\t", "\a", "\f", "<w:bookmarkStart", "</w:sdt>")


def _sealed(rng: random.Random, big: bool = True) -> SealedXml | EncodedXml:
    """A table as table_xml makes it: <w:tbl>…</w:tbl>, none of what is looked for;
    kept as its pieces and bytes when it is a large piece, else text with its bytes."""
    cells = "".join(f'<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">Đề án {rng.randint(0, 999)}</w:t></w:r></w:p>'
                    f"</w:tc></w:tr>" for _ in range(rng.randint(1, 3)))
    pieces = ["<w:tbl><w:tblPr/>", *[cells] * ((LARGE_PIECE // len(cells) + 1) if big else 1), "</w:tbl>"]
    text = "".join(pieces)
    if big:
        return SealedXml(pieces, len(text), text.encode())
    x = EncodedXml(text)
    x.utf8 = text.encode()
    return x


_SECT = '<w:sectPr><w:pgSz w:w="11906"/></w:sectPr>'
_CHUNKS = [
    *_PIECES,
    lambda r: _sealed(r),
    lambda r: _sealed(r, big=False),  # a sealed table too short to be a large piece: looked through
    lambda r: _SECT,
    lambda r: "<w:sectPr>",
    lambda r: "Hà Tĩnh",
    lambda r: "x" * LARGE_PIECE,  # a large piece, not sealed
    lambda r: figure_xml("a.b", "7")[:30],  # a mark cut in two pieces …
    lambda r: figure_xml("a.b", "7")[30:],  # … and its rest
]


def _template() -> engine.CompiledTemplate:
    t = engine.CompiledTemplate.__new__(engine.CompiledTemplate)
    t._prefix, t._suffix = "<w:document>", "</w:document>"
    t._prefix_bytes, t._suffix_bytes = t._prefix.encode(), t._suffix.encode()
    return t


def _printed(chunks: list[str]) -> Printed:
    out = Printed(chunks)
    out.large = [i for i, c in enumerate(chunks) if len(c) >= LARGE_PIECE]
    return out


def _outcome(way, chunks, final):
    try:
        return way(chunks, final)
    except ValueError as exc:  # a sectPr never closed: the text way's own error
        return type(exc)


def test_parts_with_sealed_tables_are_the_text_ways_part():
    t = _template()
    rng = random.Random(19)
    sealed_way = 0
    for n in range(3000):
        chunks = [rng.choice(_CHUNKS)(rng) for _ in range(rng.randrange(1, 14))]
        if n % 3 == 0:
            chunks.append(_SECT)
        final = rng.choice([None, '<w:sectPr><w:pgSz w:w="16838"/></w:sectPr>'])
        want = _outcome(t._text_part_bytes, chunks, final)
        for given in (_printed(chunks), list(chunks)):  # sandbox's list, or any list
            assert _outcome(t._part_bytes, given, final) == want, (chunks, final)
        parts = engine._encoded_parts(_printed(chunks))
        if len(parts) > 1:
            sealed_way += type(_outcome(lambda c, f: t._sealed_part_pieces(c, parts, f), chunks, final)) is tuple
    assert sealed_way > 300  # the sealed way was taken, not only the whole way


def test_bookmark_pieces_across_parts_are_the_whole_parts():
    rng = random.Random(7)
    told = 0
    for _ in range(3000):
        texts = [rng.choice(_CHUNKS)(rng) for _ in range(rng.randrange(1, 10))]
        parts: list = []  # runs of bytes between sealed tables, as the engine makes them
        for x in texts:
            if type(x) is SealedXml:
                parts.append((x.utf8,))
            elif parts and type(parts[-1]) is bytes:
                parts[-1] += x.encode()
            else:
                parts.append(x.encode())
        whole = number_figure_bookmarks(printed_text(texts)).encode()
        pieces = figure_bookmark_pieces_parts(parts)
        if pieces is not None:
            told += 1
            assert b"".join(pieces) == whole, texts
    assert told > 1500
    # a control left open before a sealed table: not told from the parts
    a = figure_xml("a.b", "5")
    assert figure_bookmark_pieces_parts([(_START + "abcdef0123_0\"/><w:sdt>").encode(), (b"<w:tbl></w:tbl>",),
                                         a.encode()]) is None


def test_piece_utf8_is_the_texts_and_bounded():
    rng = random.Random(3)
    cache = engine._Utf8()
    alphabet = "aăâđêôơưÀỹ<>&\n\t\a\ue000" + "x" * 10
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 5, 300, 5000])))
        assert cache[text] == text.encode()
        x = EncodedXml(text)
        assert cache[x] == text.encode()
        assert cache.chars <= (1 << 20) + LARGE_PIECE and all(len(k) < LARGE_PIECE for k in cache)


_LABELS = ["Đào tạo nghề", "Hội chợ", "a\tb", "<w:bookmarkStart", "</w:sdt>", "x\ny", "\a", "Mô hình"]


def test_a_table_is_sealed_only_when_its_text_holds_nothing_looked_for():
    plan.clear()
    rng = random.Random(5)
    seen = {True: 0, False: 0}
    for n in range(300):
        labels = rng.sample(_LABELS, 3) if n % 4 else ["Đào tạo nghề", "Hội chợ", "Mô hình"]
        data = {"chi_tieu": [{"ma": "kp", "ten": "Kinh phí", "cong": True}],
                "dong": [{"noi_dung": t, "dvt": "Đề án", "so_lieu": {"kp": str(rng.randint(1, 9999))}} for t in labels],
                "tong_cong": True}
        markup = table_xml.table_markup(table_grid.build_grid(plan.computed(data, unit="triệu đồng")))
        sealed = type(markup) is SealedXml
        text = str.__str__(markup.xml)
        if sealed:
            assert text.startswith("<w:tbl>") and text.endswith("</w:tbl>") and len(markup) == len(text)
            assert not any(p in text for p in _LOOKED_FOR) and markup.utf8 == text.encode()
        else:
            assert type(markup.xml) is not EncodedXml or any(p in text for p in _LOOKED_FOR) or n == 0
        seen[sealed] += 1
    assert seen[True] > 50 and seen[False] > 20
