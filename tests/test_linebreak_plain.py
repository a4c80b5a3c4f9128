"""The per-row shortcuts of issue 19 (third round) give what the general rules give.

* rules/linebreak._plain_breaks (a title: no penalties) chooses the breaks
  _breaks chooses, ties, units wider than the room and all;
* rules/body.line_paragraphs (one line of a batch row's body) is body.paragraphs of
  that line, headings, emphasis, typed end marks and odd line breaks included.
"""

from __future__ import annotations

import random

from drafter.rules import body, linebreak


def test_plain_breaks_are_the_general_breaks():
    rng = random.Random(2026)
    compared = 0
    for _ in range(6000):
        n = rng.randint(1, 16)
        if rng.random() < 0.3:  # equal widths: many ties
            widths = [rng.choice([3, 5, 7]) for _ in range(n)]
        else:
            widths = [rng.randint(0, rng.choice([5, 50, 1000])) for _ in range(n)]
        units = [f"u{i}" for i in range(n)]
        space = rng.choice([0, 1, 5, 60])
        room = rng.randint(0, sum(widths) + n * space + 5)  # some units wider than the room
        assert linebreak._plain_breaks(units, widths, space, room) == \
            linebreak._breaks(units, widths, space, room, None), (widths, space, room)
        compared += 1
    assert compared == 6000


def test_title_lines_of_batch_titles_are_the_general_breaks():
    names = ["Xã Cẩm Xuyên", "Xã Cẩm Hưng", "Xã Quảngđôngnamthượnghảibắcxuyên", "Phường Nam Hồng Lĩnh Thượng Đông",
             "Đặc khu Phú Quốc", "Xã Ia Grai 2"]
    seen = set()
    for name in names:
        text = f"V/v phân bổ kinh phí khuyến công năm 2026 cho {name}"
        for size, room, bold in ((12, 4300, False), (14, 9000, True), (13, 2500, True)):
            got = linebreak.title_lines.__wrapped__(text, size, room, bold=bold)
            units = linebreak._title_units(text)
            widths = [linebreak.textwidth.width_twips(u, size, bold=bold) for u in units]
            space = linebreak.textwidth.width_twips(" ", size, bold=bold)
            assert got == linebreak._breaks(units, widths, space, int(room * linebreak.SAFETY), None)
            seen.add(len(got))
    assert {2, 3} <= seen  # titles broken in two and in three lines were compared


PIECES = ["I.", "II.", "A.", "Điều 1.", "Điều 2. Hiệu lực", "Điều 3. Quyết định này có hiệu lực.", "Chương I",
          "CHƯƠNG II. Quy định chung", "Phần thứ nhất", "Mục 2", "**đậm**", "*nghiêng*", "./.", ".", "1.", "a)",
          "-", "[1]", "Căn cứ", "xã Sơn Kim 1", "\u2028", "\x0b", " ", "Tổng: 1.200", "R&D_2025", ":", ";",
          "Quy định chung.", "KẾT QUẢ"]


def test_line_paragraphs_are_the_paragraphs_of_the_line():
    rng = random.Random(19)
    for _ in range(6000):
        line = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.6:
            line = line.strip()
        assert body.line_paragraphs(line) == body.paragraphs(line), repr(line)


def test_units_reused_from_the_last_title_are_the_titles_units():
    vocab = ["về", "phát", "triển", "kinh", "tế", "năm", "2020", "-", "cho", "xã", "B-", "-C", "ủy", "ban", "nhân",
             "dân", "mặt", "trận", "tổ", "quốc", "tài", "chính", "1", "thành", "phố", "HÀ", "NỘI", "nông", "thôn"]
    rng = random.Random(7)
    words = [rng.choice(vocab) for _ in range(10)]
    for _ in range(6000):  # each title made from the one before: its end, one word or all changed
        words = list(words)
        op = rng.random()
        if op < 0.5:
            words = words[:rng.randint(0, len(words))] + [rng.choice(vocab) for _ in range(rng.randint(0, 5))]
        elif op < 0.8 and words:
            words[rng.randrange(len(words))] = rng.choice(vocab)
        else:
            words = [rng.choice(vocab) for _ in range(rng.randint(0, 14))]
        assert linebreak._units_after_last(list(words)) == linebreak._title_units(" ".join(words)), words


def test_title_markup_with_kept_line_runs_is_the_lines_markup():
    """render/context._title_markup keeps each line's run (a row's title changes its
    last line): the markup of row after row of titles is lines_markup of their lines,
    escaped texts, long names and the kept runs emptied on the way included."""
    from drafter.render import context

    rng = random.Random(7)
    words = ["Xã", "Phường", "Cẩm", "Hưng", "Ia", "Grai", "2", "R&D", "<Tân>", "Quảngđôngnamthượnghảibắcxuyên", "Đông"]
    make = context._title_markup.__wrapped__
    for i in range(600):
        text = "V/v phân bổ kinh phí khuyến công năm 2026 cho " + " ".join(
            rng.choice(words) for _ in range(rng.randint(1, 5)))
        if i % 97 == 0:
            context._LINE_RUNS.clear()
        for size, room, bold in ((13, 4300, False), (14, 9000, True)):
            lines = linebreak.title_lines.__wrapped__(text, size, room, bold=bold)
            assert make(text, size, room, bold) == context.lines_markup(lines)


def _validate_as_first_written(text):
    """rules/body.validate before a run's break was looked for only while a run is
    open: every line matched against the break (the reference)."""
    lines = [ln for ln in (ln.strip() for ln in (text or "").splitlines()) if ln]
    if any(ln[0] == "[" for ln in lines):
        try:
            lines = body._auto_number(lines)
        except ValueError as exc:
            return [str(exc)]
    problems, run = [], []

    def close():
        if run:
            problems.extend(p.message for p in body.numbering.validate(run))
            run.clear()

    for ln in lines:
        m = body._DIEM.match(ln)
        if m and m.group(1).islower():
            run.append(ln[: m.end()].strip())
        elif body._RUN_BREAK.match(ln):
            close()
    close()
    return problems


def test_body_validate_is_the_validation_as_first_written():
    rng = random.Random(30)
    pieces = [*PIECES, "a)", "b)", "c)", "đ)", "e)", "A)", "1)", "2.", "1.2.", "Điều 4.", "Chương III", "I.", "x"]
    flagged = 0
    for _ in range(4000):
        text = "\n".join(" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 3)))
                         for _ in range(rng.randint(1, 8)))
        got = [p.message for p in body.validate(text)]
        assert got == _validate_as_first_written(text), text
        flagged += bool(got)
    assert flagged > 50  # texts with out-of-order điểm were compared, not only clean ones
