"""The quick paths of text cleaning give what the full scoring gives.

`clean` runs on every text cell of a batch's sheet. Most Unicode text has no word
that votes for a legacy encoding, which `_no_votes` sees in one pass over its words;
the full path scores the text and each line for TCVN3 and VNI. Both must give the
same lines to convert, the same cleaned text and the same warnings, on real
Vietnamese (every commune of the 2025 units, the syllables drafter knows), on TCVN3
and VNI text, on lines of both mixed, and on random text made of the characters the
legacy tables use.
"""

from __future__ import annotations

import random

import pytest

from drafter import units
from drafter.rules import syllables
from drafter.rules import text as T
from drafter.rules.text import TCVN3, VNI, _encode_legacy

UNICODE = sorted({v for p in units.provinces() for row in units.unit_rows(p) for v in row.values()})
WORDS = sorted(syllables.KNOWN)
SENTENCES = [
    "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công;",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "café naïve R&D <b> {{ x }} 50% – “trích” …",
    "Cá voi ở biển",
    "ÐÔNG Ðà ÐX",
]


def _legacy(texts: list[str], encoding: str) -> list[str]:
    return [_encode_legacy(t, encoding) for t in texts]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = "".join(sorted(T._KEYS[TCVN3] | T._KEYS[VNI])) + "aeiouyAEIOUY bcdđghklmnpqrstvxư ơ ạ ế\n\t.,-1"
    pieces = WORDS + _legacy(WORDS[:400], TCVN3) + _legacy(WORDS[:400], VNI)
    out = []
    for _ in range(n):
        if rng.random() < 0.5:
            out.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 24))))
        else:
            words = [rng.choice(pieces) for _ in range(rng.randint(1, 8))]
            out.append("".join(w + rng.choice("  \n,.") for w in words).strip())
    return out


def _mixed(rng: random.Random, texts: list[str]) -> list[str]:
    out = []
    for _ in range(400):
        a, b = rng.choice(texts), rng.choice(texts)
        enc = rng.choice((TCVN3, VNI))
        out.append(f"{a}\n{_encode_legacy(b, enc)}")  # a legacy line below a Unicode one
        out.append(f"{a} {_encode_legacy(b, enc)}")  # a legacy phrase pasted into a Unicode line
    return out


def _corpus() -> list[str]:
    rng = random.Random(19)
    unicode_texts = UNICODE + WORDS + SENTENCES
    sample = rng.sample(unicode_texts, 1500)
    return (unicode_texts + _legacy(sample, TCVN3) + _legacy(sample, VNI)
            + _legacy([t.upper() for t in sample[:300]], TCVN3) + _mixed(rng, unicode_texts)
            + _random_texts(3000, 7))


CORPUS = _corpus()


def _full(monkeypatch) -> None:
    """Every text scored in full: the quick look never answers."""
    monkeypatch.setattr(T, "_no_votes", lambda text: False)


def test_the_quick_look_gives_the_lines_the_scoring_gives(monkeypatch):
    texts = [T.normalize(t) for t in CORPUS]
    quick = [T._legacy_lines(t) for t in texts]
    _full(monkeypatch)
    assert [T._legacy_lines(t) for t in texts] == quick
    assert sum(map(bool, quick)) > 2000  # the legacy texts are found either way


def test_the_quick_look_is_taken_for_real_text_and_never_for_legacy_text():
    assert sum(map(T._no_votes, UNICODE)) > 0.99 * len(UNICODE)
    for t in _legacy(SENTENCES[:4], TCVN3) + _legacy(SENTENCES[:4], VNI):
        assert not T._no_votes(T.normalize(t)), t


@pytest.mark.parametrize("part", range(4))
def test_clean_gives_the_same_text_and_warnings_either_way(monkeypatch, part):
    texts = CORPUS[part::4] + ["a\u0301 b", "x\r\ny\u2028z", "Ph\u00adường", "\u200bXã\ufeff", "Ð\u00ad\x96"]
    quick = [T.clean(t) for t in texts]
    _full(monkeypatch)
    for t, q in zip(texts, quick):
        assert T.clean(t) == q, t


def test_no_votes_needs_nfc_and_the_same_words_for_both_tables():
    assert T._no_votes("Hà Tĩnh") and T._no_votes("")
    assert not T._no_votes("a\u0301")  # not NFC: scored in full
    assert not T._no_votes("H\xadíng")  # a TCVN3 code that is no letter: the words differ
    assert not T._no_votes("dÉn")  # TCVN3 for "dẫn"
