"""linebreak._units_after_last keeps only the units the words they share with the last
title decide: against _title_units on titles made one from another, with the words of
every compound (in any case), numbers, hyphens and the compounds' own prefixes."""

from __future__ import annotations

import random

from drafter.rules import linebreak

_VOCAB = sorted({w for p in linebreak.COMPOUNDS for w in p.split()}) + [
    "-", "2020", "1", "B-", "-C", "năm", "cho", "xã", "Phường", "Ba", "Đình", "V/v", "x-y", "3a"]


def _word(rng):
    w = rng.choice(_VOCAB)
    return rng.choice([w, w.lower(), w.capitalize(), w.upper()])


# Few words, most of them starting or inside a compound, so that a shared start followed by
# a word that makes (or unmakes) a longer compound, a number or a hyphen comes often.
_TRICKY = ["ỦY", "BAN", "NHÂN", "DÂN", "ủy", "năm", "2020", "-", "B-", "x"]


def test_units_after_last_of_titles_sharing_a_start():
    rng = random.Random(7)
    for step in range(40000):
        before = [rng.choice(_TRICKY) for _ in range(rng.randint(0, 7))]
        linebreak._units_after_last(list(before))
        cut = rng.randint(0, len(before))
        words = before[:cut] + [rng.choice(_TRICKY) for _ in range(rng.randint(0, 4))]
        assert linebreak._units_after_last(list(words)) == linebreak._title_units(" ".join(words)), (before, words)


def test_units_after_last_are_the_titles_units():
    rng = random.Random(1919)
    words = [_word(rng) for _ in range(12)]
    for step in range(20000):
        words = list(words)
        op = rng.random()
        if op < 0.4:  # a batch row: the end changed
            words = words[:rng.randint(0, len(words))] + [_word(rng) for _ in range(rng.randint(0, 6))]
        elif op < 0.6 and words:
            words[rng.randrange(len(words))] = _word(rng)
        elif op < 0.7:  # a compound cut at its end or carried on
            p = rng.choice(linebreak.COMPOUNDS).split()
            words = words[:rng.randint(0, len(words))] + p[:rng.randint(1, len(p))] + [_word(rng) for _ in range(rng.randint(0, 2))]
        elif op < 0.75:
            words = []
        elif op < 0.9:
            continue  # the same words again
        else:
            words = [_word(rng) for _ in range(rng.randint(0, 16))]
        assert linebreak._units_after_last(list(words)) == linebreak._title_units(" ".join(words)), (step, words)


def test_a_compound_made_or_unmade_after_a_shared_start():
    # Every compound and each of its beginnings, within context words: a title ending in
    # a beginning then followed by the rest (or another word), and the other way round.
    cases = 0
    for phrase in linebreak.COMPOUNDS:
        p = phrase.split()
        for cut in range(1, len(p)):
            for ctx in ([], ["về"], ["năm", "2020"], ["B-"]):
                for tail in ([], ["x"], ["2020"], ["-", "y"]):
                    made, unmade = ctx + p + tail, ctx + p[:cut] + ["x"] + tail
                    for before, words in ((unmade, made), (made, unmade), (ctx + p[:cut], made)):
                        linebreak._units_after_last(list(before))
                        assert linebreak._units_after_last(list(words)) == \
                            linebreak._title_units(" ".join(words)), (before, words)
                        cases += 1
    assert cases > 3000
