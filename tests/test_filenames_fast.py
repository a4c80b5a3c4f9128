"""filenames.format's quick path (a name every step leaves as it is) gives what the
steps give, on random names made of what each step looks for."""

from __future__ import annotations

import random

from drafter.rules import filenames

PIECES = [" ", "  ", ".", "..", "-", "--", "\t", "\n", "\r", "\u00a0", "\u2028", "\u3000", "/", "\\", ":", "*",
          "?", '"', "<", ">", "|", "\x00", "\x1f", "\x7f", "\x85", "a", "Z", "é", "e\u0301", "Đ", "ườ", "9", "_",
          "CON", "con", "Lpt1", "NUL", "com9", "AUX.", "🙂", "Phường Ba Đình", "Hà Tĩnh", "00004-Ba Đình", "x" * 40,
          "ế" * 30]


def _names(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8))) for _ in range(n)]


def test_the_quick_path_gives_what_every_step_gives(monkeypatch):
    names = _names(20000, 3) + ["CON", "con.txt", "a", "ab", "a b", "x" * 120, "x" * 121, "ế" * 40, "ế" * 41]
    quick = [filenames.format(n) for n in names]
    taken = sum(map(filenames._kept_as_is, names))
    monkeypatch.setattr(filenames, "_kept_as_is", lambda s: False)
    assert [filenames.format(n) for n in names] == quick
    assert 1000 < taken < len(names)  # both paths were tried


def test_what_the_quick_path_takes():
    assert filenames._kept_as_is("00004-Ba Đình") and filenames._kept_as_is("CON")  # CON: "_" added after
    assert filenames.format("CON") == "_CON"
    for changed in ("", " a", "a ", "a  b", "a\u00a0b", "a..b", "a--b", "a.", "-a", "a/b", "e\u0301", "x" * 121):
        assert not filenames._kept_as_is(changed), changed
