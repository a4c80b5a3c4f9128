"""Quick paths of rules that run on every text of every batch row, against their
definitions. rules/periods finds the periods of a text the quick way (years and dash first, then
the phrase before them): the same periods, in the same order, at the same places, as
the one regular expression that defines them (_PERIOD, which format still uses)."""

from __future__ import annotations

import random

from drafter.rules import periods as P

PHRASES = ["giai đoạn", "GIAI ĐOẠN", "Giai Đoạn", "thời kỳ", "nhiệm kỳ", "niên khóa", "niên độ", "năm học", "từ năm",
           "các năm", "năm", "Năm", "xnăm", "năms", "đoạn", "giai", "học", ""]
SPACES = [" ", "  ", "\n", "\t", "\u00a0", "", " \u2003"]
YEARS = ["2021", "2020", "1999", "2105", "12021", "20211", "202", "2200", "1899"]
DASHES = ["-", "–", "—", "", "--", " - "]
OTHER = ["", "x", "a", ",", "1", "(", "Điều 1. "]


def _by_definition(text: str) -> list[tuple]:
    return [(int(m["first"]), int(m["last"]), m.group(0)[m.start("first") - m.start():], m.start("first"))
            for m in P._PERIOD.finditer(text)]


def test_the_quick_search_finds_what_the_definition_finds():
    rng = random.Random(2026)
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(OTHER) + rng.choice(PHRASES) + rng.choice(SPACES) + rng.choice(YEARS)
                       + rng.choice(SPACES) + rng.choice(DASHES) + rng.choice(SPACES) + rng.choice(YEARS)
                       for _ in range(rng.randint(1, 4)))
        quick = [(p.first, p.last, p.quoted, p.start) for p in P.periods(text)]
        assert quick == _by_definition(text), text
        found += bool(quick)
    assert found > 1000  # the samples do hold periods


def test_a_backwards_period_is_still_an_error_at_its_years():
    text = "Căn cứ kế hoạch giai đoạn 2021 – 2020 của tỉnh."
    [(period, problem)] = P.checked(text)
    assert (period.first, period.last, text[period.start:period.start + 4]) == (2021, 2020, "2021")
    assert problem.severity == "error" and "2021 – 2020" in problem.message


def test_xml_characters_printable_quick_test_never_passes_a_character_to_remove():
    # xmlchars.suspect answers "nothing to remove" at once for a printable text: no
    # code point str.isprintable accepts is one the defining expression removes, and
    # suspect agrees with that expression on every code point, alone or among others.
    from drafter.rules import xmlchars

    every = [chr(i) for i in range(0x110000)]
    assert xmlchars._ANY.search("".join(c for c in every if c.isprintable())) is None
    for start in range(0, len(every), 4096):
        chunk = "".join(every[start:start + 4096])
        assert xmlchars.suspect(chunk) == (xmlchars._ANY.search(chunk) is not None), hex(start)
    assert not xmlchars.suspect("Tổng cộng\n\tkinh phí") and xmlchars.suspect("Tổng\n\ufffe")


def test_a_scaffold_text_quick_test_never_passes_one_equal_but_for_spaces():
    # completeness.may_be_left looks at a text's first word before splitting it: every
    # text that equals a fill-in text but for its spaces still passes, others may not.
    from drafter.rules import completeness as C

    extra = ("Họ và tên người ký", "Họ và tên thư ký", "Nội dung")
    words = ["Họ", "và", "tên", "người", "ký", "thư", "Nội", "dung", "Ông", "họ", "x"]
    gaps = [" ", "  ", "\n", "\t", "\u00a0", "\u2003", ""]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(gaps) + rng.choice(words) for _ in range(rng.randint(0, 6))) + rng.choice(gaps)
        assert C.may_be_left(text, extra) == (C._norm(text) in extra), repr(text)
    for e in extra:
        assert C.may_be_left(" \n" + e.replace(" ", " \t ") + "\n", extra)
