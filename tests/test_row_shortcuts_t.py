"""Per-row shortcuts of issue 19 in derivation and the render context give what the
general way gives (the same objects by value, the same markup), error cases included."""

from __future__ import annotations

import random

from drafter import derive, frozen
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


def test_title_breaks_kept_by_widths_are_each_titles_own():
    """rules/linebreak.title_lines keeps the breaks by the units' widths: titles of the
    same widths and other letters (marks differ: the same base letters), or other
    widths, each broken as the general rule breaks it, with its own words."""
    from drafter.rules import linebreak

    rng = random.Random(30)
    marks = {"a": "aáàảãạâấầ", "e": "eéèẻẽẹêế", "o": "oóòỏõọôốơớ", "u": "uúùủũụưứ", "i": "iíìỉĩị", "d": "dđ"}
    base = ["Xã", "Cam", "Xuyen", "Hung", "Ia", "Grai", "2", "Phuong", "Dong", "Nam", "R&D", "-", "2026", "Son"]
    linebreak._NEXT.clear()
    kept = 0
    for i in range(3000):
        words = [rng.choice(base) for _ in range(rng.randint(1, 6))]
        for _ in range(2):  # the same widths twice: other marks on the same letters
            name = " ".join("".join(rng.choice(marks.get(c, c)) for c in w) for w in words)
            text = f"V/v phân bổ kinh phí khuyến công năm 2026 cho {name}"
            for size, room, bold in ((12, 3245, False), (14, 9000, True), (13, 1200, True)):
                before = len(linebreak._NEXT)
                got = linebreak.title_lines.__wrapped__(text, size, room, bold=bold)
                kept += len(linebreak._NEXT) == before
                units = linebreak._title_units(text)
                widths = [linebreak.textwidth.width_twips(u, size, bold=bold) for u in units]
                space = linebreak.textwidth.width_twips(" ", size, bold=bold)
                assert got == linebreak._breaks(units, widths, space, int(room * linebreak.SAFETY), None), text
                assert " ".join(got) == " ".join(text.split())
        if i % 700 == 0:
            linebreak._NEXT.clear()
    assert kept > 3000  # breaks found kept were compared too


def _reference_appendix(head, pl, table, grid=None):
    """derive._appendix as first written: every field given to the constructor."""
    landscape = pl.huong == "ngang" or (pl.huong is None and grid is not None and grid.needs_landscape)
    unit = pl.don_vi_tinh or (table.unit if table else None)
    return derive.Appendix(
        number=head.number, label=head.label, title=head.title, reference=head.reference,
        unit_line=f"Đơn vị tính: {unit}" if unit else None, table=table, grid=grid,
        words=(table.bang_chu_line,) if table is not None and table.bang_chu_line else (),
        landscape=landscape, head=head)


def test_appendix_from_its_fixed_fields_is_the_appendix():
    from types import SimpleNamespace as NS

    rng = random.Random(5)
    heads = [derive.AppendixHead(i + 1, f"Phụ lục {i}", f"TIÊU ĐỀ {i}", f"(Kèm theo {i})") for i in range(3)]
    for k in range(3000):
        head = rng.choice(heads) if k % 7 else derive.AppendixHead(1, "Phụ lục", "T", "(Kèm theo)")  # equal, not the same
        pl = NS(huong=rng.choice([None, "ngang", "doc"]), don_vi_tinh=rng.choice([None, "", "triệu đồng", "đồng"]))
        table = rng.choice([None, NS(unit=rng.choice([None, "nghìn đồng"]), bang_chu_line=rng.choice([None, "", "Bằng chữ: Một."]))])
        grid = rng.choice([None, NS(needs_landscape=rng.random() < 0.5)])
        got, want = derive._appendix(head, pl, table, grid), _reference_appendix(head, pl, table, grid)
        assert got == want and got.head is head
        assert got.__dict__ == want.__dict__ and list(got.__dict__) == list(frozen.made(
            derive.Appendix, **{f: getattr(want, f) for f in ("number", "label", "title", "reference", "unit_line",
                                                               "table", "grid", "words", "landscape", "head")}).__dict__)
        if k % 1000 == 0:
            derive._FIXED.clear()


def test_planned_grids_landscape_is_the_whole_grids():
    from drafter.tables import grid as table_grid
    from drafter.tables import plan
    from drafter.tables.compute import compute
    from drafter.tables.model import parse_table

    plan.clear()
    rng = random.Random(8)
    seen = set()
    for n in range(600):
        measures = 1 if n % 2 else rng.choice([2, 6, 9])
        data = {
            "chi_tieu": [{"ma": f"m{k}", "ten": f"Chỉ tiêu {k}", "cong": True} for k in range(measures)],
            "dong": [{"noi_dung": f"Nội dung {i}", "dvt": "Đề án",
                      "so_lieu": {f"m{k}": str(rng.choice([1, 55, 10 ** rng.randint(1, 14)])) for k in range(measures)}}
                     for i in range(4)],
            "tong_cong": True,
        }
        got = table_grid.build_grid(plan.computed(data, unit="triệu đồng"))
        whole = table_grid._build_grid(compute(parse_table(data), unit="triệu đồng"), table_grid.TABLE_FONT_PT)
        assert got.needs_landscape == whole.needs_landscape, data
        assert got.needs_landscape == (got.ncols > table_grid.MAX_PORTRAIT_COLUMNS or got.min_width > table_grid.TEXT_W)
        seen.add((got.needs_landscape, "widths_key" in got.__dict__))
    assert {(True, True), (False, True)} <= seen  # planned grids of both orientations compared


def test_context_paragraphs_are_their_runs():
    """render/context._paras makes a paragraph of one span without a quoted figure as
    its one run: what ooxml.runs makes of every paragraph."""
    from drafter.render import context, ooxml

    rng = random.Random(12)
    texts = ["Căn cứ", "R&D <x> > y", "", " ", "\ue000phu_luc[0].tong\ue0012.428\ue002 triệu", "a\ue000b\ue001",
             "Tổng: \ue000phu_luc[0].tong.chu\ue001Hai tỷ\ue002.", "Điều 1."]
    one = 0
    for _ in range(3000):
        spans = tuple(inline.Span(rng.choice(texts) + rng.choice(texts), rng.random() < 0.3, rng.random() < 0.3)
                      for _ in range(rng.choice([1, 1, 1, 2, 3])))
        p = body.Paragraph(rng.choice([body.TEXT, body.SECTION, body.ARTICLE]), spans)
        (got,) = context._paras([p])
        assert got == {"kind": p.kind, "runs": ooxml.runs(spans)}
        assert got["runs"].__dict__ == ooxml.runs(spans).__dict__ and type(got["runs"]) is ooxml.Markup
        one += len(spans) == 1 and "\ue000" not in spans[0].text
    assert one > 500  # the one-run way was taken, and compared
