"""Per-row shortcuts of issue 19 in derivation and the render context give what the
general way gives (the same objects by value, the same markup), error cases included."""

from __future__ import annotations

import random

from drafter import derive
from drafter.rules import body, inline

PIECES = ["I.", "II.", "A.", "Điều 1.", "Điều 2. Hiệu lực", "Điều 3. Quyết định này có hiệu lực.", "Chương I",
          "CHƯƠNG II. Quy định chung", "chương iii", "Phần thứ nhất", "Mục 2", "Tiểu mục 1", "**đậm**", "*nghiêng*",
          "./.", ".", "1.", "a)", "-", "[1]", "[a]", "[I]", "Căn cứ", "xã Sơn Kim 1", "\u2028", "\x0b", " ", "\t",
          "Tổng: 1.200", "R&D_2025", ":", ";", "Quy định chung.", "KẾT QUẢ", "Mục tiêu chung", "Đ.", "B. GIẢI PHÁP"]


def _line(rng: random.Random) -> str:
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 5)))


def test_split_line_paragraph_is_the_paragraph_of_the_line():
    rng = random.Random(1919)
    plain = 0
    for _ in range(8000):
        for ln in map(str.strip, _line(rng).splitlines()):
            if not ln or ln[0] == "[":
                continue
            p = body.split_line_paragraph(ln)
            want = body.paragraphs(ln)
            if p is None:  # emphasis, an end mark, a chapter: the general way
                assert "*" in ln or body.END_MARK in ln or body._CHAPTER.match(ln), ln
                continue
            plain += 1
            assert [p] == want == body.line_paragraphs(ln), ln
            assert p.__dict__ == want[0].__dict__ and [s.__dict__ for s in p.spans] == \
                [s.__dict__ for s in want[0].spans]
    assert plain > 2000


def test_body_line_by_line_is_the_whole_bodys_paragraphs_row_after_row():
    rng = random.Random(2026)
    lines = [_line(rng) for _ in range(40)]  # a draft's lines, and a row's own
    for i in range(4000):
        text = "\n".join(rng.choice(lines) if rng.random() < 0.7 else _line(rng) for _ in range(rng.randint(0, 7)))
        if i % 3 == 0:
            text = "  " + text.replace("\n", "\n\n  ") + "\n"
        if i % 500 == 0:
            derive._LINES.clear()
        assert derive._body_paragraphs(text) == body.paragraphs(text), repr(text)


def test_plain_span_is_the_span():
    for text in ("", "Một", "R&D <x>", "\ue000phu_luc[0].tong\ue0011\ue002"):
        assert inline.plain(text) == inline.Span(text)
        assert inline.plain(text).__dict__ == inline.Span(text).__dict__
        assert hash(inline.plain(text)) == hash(inline.Span(text))
