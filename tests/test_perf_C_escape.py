"""xmltext.escape's quick path (no entity in the text) against the replacements it skips."""

import random

from drafter.xmltext import escape


def _full(data, entities=None):
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def test_escape_matches_replacements():
    rng = random.Random(19)
    alphabet = "ab Ư&<>\"'\n\t;#x\u00a0\ue000"
    cases = ["", "&", "<", ">", "&amp;", "a<b>c&d", "Phường Ba Đình", "&&<<>>"]
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for text in cases:
        assert escape(text) == _full(text)
        assert escape(text, {}) == _full(text)
        assert escape(text, {'"': "&quot;"}) == _full(text, {'"': "&quot;"})


def test_escape_returns_a_str():
    assert type(escape("abc")) is str and escape("a&b") == "a&amp;b"
