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


def test_batch_names_are_the_filled_pattern_made_safe_and_unique():
    """batch.named_rows (a plain pattern joined from its pieces, parsed once) gives
    filenames.fill, format and UniqueNames of each row, for plain and spec'd patterns."""
    from drafter import batch
    from drafter.inputs import rows as row_tpl
    from drafter.rules import xmlchars

    rng = random.Random(11)
    rows = [(i + 2, {"ma": rng.choice(["001", "1", None, "a/b", "CON"]), "ten": rng.choice(PIECES + [None, "{x}"]),
                     "so": rng.choice([None, "7", "12"])}) for i in range(3000)]
    for pattern in ("{ma}-{ten}", "{_hang}-{ten}", "{ten}", "x{so}y{ma}z", "{ma:0>5}-{ten:.10}", "{{{ma}}}"):
        used = filenames.fields(pattern)
        unique = filenames.UniqueNames()
        want = []
        for number, values in rows:
            shown = {k: xmlchars.format(row_tpl.cell_text(values.get(k))) for k in used if k != "_hang"}
            shown["_hang"] = str(number).zfill(4)
            want.append(unique.take(filenames.format(filenames.fill(pattern, shown)), ".docx"))
        assert [stem for _, _, stem in batch.named_rows(pattern, used, 4, rows)] == want, pattern
