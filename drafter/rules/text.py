"""Text hygiene for values that office staff type or paste (docs/the-thuc.md#trang-giay-le-phong-chu: text is NFC).

Pure functions, no I/O:

- :func:`normalize` / :func:`is_nfc`: Unicode NFC (precomposed), nothing else.
- :func:`detect_legacy` / :func:`convert_legacy`: text typed with the old TCVN3 (ABC,
  ``.Vn`` fonts) or VNI fonts arrives, once its bytes are read as Windows-1252 /
  Latin-1, as mojibake such as ``H\\xadíng dÉn`` (TCVN3) or ``Höôùng daãn`` (VNI),
  both "Hướng dẫn". It is detected by scoring words and converted back.
- :func:`clean`: everything above plus removal of invisible characters; returns the
  text and warnings. :func:`refuse_legacy` raises :class:`LegacyEncodingError`
  instead, for callers that prefer refusing to converting.

How detection works: the text is cut into words (runs of letters and of the
characters each legacy table uses). A word *votes for* an encoding when, read as
Unicode, it is not a possible Vietnamese syllable (wrong letters, impossible vowel
cluster, two tones, odd case) but once converted it is one. A word *votes against*
when it is a valid syllable as typed and stops being one once converted, and every
word holding a Vietnamese letter outside Latin-1 (ư, ơ, đ, ạ, ế…) votes against,
since no legacy byte can produce it. Converted words of three letters or more weigh
1, shorter ones 0.5 (``µm`` reads as "àm"), a lone character 0 (``©``, ``½``).
An encoding is detected when its votes reach 1 (``MIN_EVIDENCE``) and at least
twice (``MIN_RATIO``) the votes against. :func:`clean` also looks at each line on
its own, and converts the clearly legacy words of a Unicode line when they reach 2
votes and twice the votes of words that converting would spoil. English or French
accents (``café``, ``naïve``), ``R&D``, ``<``, ``{{``, ``%``, typographic dashes and
quotes never form a Vietnamese syllable when converted, so they give nothing.

>>> format("Ho\\u0300a ho\\u0323p") == "Hòa họp"  # decomposed (NFD) letters become precomposed
True
>>> format("H\xadíng dÉn thùc hiÖn")  # TCVN3 read as Windows-1252
'Hướng dẫn thực hiện'
>>> validate("Hướng dẫn thực hiện")
[]
>>> [(p.severity, p.message[:49]) for p in validate("H\xadíng dÉn thùc hiÖn")]
[('warning', 'Văn bản có vẻ được gõ bằng bảng mã TCVN3 (ABC) cũ')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..errors import ERROR, WARNING, Problem
from . import syllables

__all__ = [
    "TCVN3",
    "VNI",
    "ENCODING_LABELS",
    "TextWarning",
    "LegacyEncodingError",
    "normalize",
    "is_nfc",
    "detect_legacy",
    "convert_legacy",
    "syllable_count",
    "clean",
    "refuse_legacy",
    "format",
    "validate",
]

TCVN3 = "TCVN3"
VNI = "VNI"
# Names as Unikey's "Chuyển mã" dialog shows them, so users find the right entry.
ENCODING_LABELS = {TCVN3: "TCVN3 (ABC)", VNI: "VNI Windows"}

LEGACY_WARNING = "legacy-encoding"
# A line mixing Unicode and legacy words where some word could be either: the text
# cannot be used safely as it is (callers refuse it).
LEGACY_UNRESOLVED = "legacy-unresolved"
ETH_WARNING = "eth-for-d"


def normalize(text: str) -> str:
    """Return ``text`` in Unicode NFC (precomposed letters); nothing else changes."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    """True when ``text`` is already NFC."""
    return unicodedata.is_normalized("NFC", text)


# ---------------------------------------------------------------------------
# Tables. Tone order below is always: sắc, huyền, hỏi, ngã, nặng.
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_ACUTE, _DOT_BELOW = "\u0301", "\u0323"


def _toned(letter: str) -> tuple[str, ...]:
    """The five toned forms of a toneless vowel, NFC: "a" -> ("á", "à", "ả", "ã", "ạ")."""
    return tuple(unicodedata.normalize("NFC", letter + mark) for mark in _TONE_MARKS)


def _latin1(*codes: int) -> str:
    return bytes(codes).decode("latin-1")


# TCVN3 (TCVN 5712:1993, VN3): one byte per letter, lowercase toned letters only;
# uppercase exists for the seven base letters Ă Â Ê Ô Ơ Ư Đ. Byte values per base
# letter, in the tone order above (the standard orders them huyền, hỏi, ngã, sắc,
# nặng; they are listed here re-ordered).
_TCVN3_BASES: tuple[tuple[str, int | None, tuple[int, ...]], ...] = (
    # letter, byte of the toneless letter (None: ASCII), bytes of the 5 tones
    ("a", None, (0xB8, 0xB5, 0xB6, 0xB7, 0xB9)),
    ("ă", 0xA8, (0xBE, 0xBB, 0xBC, 0xBD, 0xC6)),
    ("â", 0xA9, (0xCA, 0xC7, 0xC8, 0xC9, 0xCB)),
    ("e", None, (0xD0, 0xCC, 0xCE, 0xCF, 0xD1)),
    ("ê", 0xAA, (0xD5, 0xD2, 0xD3, 0xD4, 0xD6)),
    ("i", None, (0xDD, 0xD7, 0xD8, 0xDC, 0xDE)),
    ("o", None, (0xE3, 0xDF, 0xE1, 0xE2, 0xE4)),
    ("ô", 0xAB, (0xE8, 0xE5, 0xE6, 0xE7, 0xE9)),
    ("ơ", 0xAC, (0xED, 0xEA, 0xEB, 0xEC, 0xEE)),
    ("u", None, (0xF3, 0xEF, 0xF1, 0xF2, 0xF4)),
    ("ư", 0xAD, (0xF8, 0xF5, 0xF6, 0xF7, 0xF9)),
    ("y", None, (0xFD, 0xFA, 0xFB, 0xFC, 0xFE)),
)
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def _build_tcvn3() -> dict[str, str]:
    table = {_latin1(0xAE): "đ"}
    table.update({_latin1(code): letter for letter, code in _TCVN3_UPPER.items()})
    for letter, plain, tones in _TCVN3_BASES:
        if plain is not None:
            table[_latin1(plain)] = letter
        table.update({_latin1(code): toned for code, toned in zip(tones, _toned(letter))})
    return table


# legacy character -> Unicode letter
_TCVN3_DECODE: dict[str, str] = _build_tcvn3()
# Unicode letter -> legacy character; uppercase toned letters have no code of their
# own (the .VnTimeH fonts draw the lowercase codes as capitals), so they share it.
_TCVN3_ENCODE: dict[str, str] = {u: c for c, u in _TCVN3_DECODE.items()}
_TCVN3_ENCODE.update(
    {u.upper(): c for c, u in _TCVN3_DECODE.items() if u.upper() not in _TCVN3_ENCODE}
)

# VNI Windows: a toned vowel is the ASCII base letter followed by one mark byte;
# i's tones, ỵ, ơ, ư and đ are single bytes. Capitals use the capital marks.
_VNI_TONE = "ùøûõï"  # after a e o u y, and after ơ (ô) and ư (ö)
_VNI_CIRCUMFLEX = "â", "áàåãä"  # â ê ô: bare, then toned
_VNI_BREVE = "ê", "éèúüë"  # ă: bare, then toned
_VNI_I = "íìæóò"
_VNI_Y_DOT = "î"  # ỵ


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {"đ": "ñ", "ơ": "ô", "ư": "ö"}
    for base in "aeouy":
        encode.update({t: base + m for t, m in zip(_toned(base), _VNI_TONE)})
    encode["ỵ"] = _VNI_Y_DOT
    for letter, base in (("â", "a"), ("ê", "e"), ("ô", "o")):
        bare, toned = _VNI_CIRCUMFLEX
        encode[letter] = base + bare
        encode.update({t: base + m for t, m in zip(_toned(letter), toned)})
    bare, toned = _VNI_BREVE
    encode["ă"] = "a" + bare
    encode.update({t: "a" + m for t, m in zip(_toned("ă"), toned)})
    for letter, base in (("ơ", "ô"), ("ư", "ö")):
        encode.update({t: base + m for t, m in zip(_toned(letter), _VNI_TONE)})
    encode.update(dict(zip(_toned("i")[2:], _VNI_I[2:])))  # í ì are themselves
    encode.update({u.upper(): v.upper() for u, v in list(encode.items())})
    decode = {v: u for u, v in encode.items()}
    # Also read: a capital base with a small mark (hand-edited title case), and
    # "yï" for ỵ, which some converters write.
    for seq, letter in list(decode.items()):
        if len(seq) == 2 and seq[0].isupper():
            decode.setdefault(seq[0] + seq[1].lower(), letter)
    decode.setdefault("yï", "ỵ")
    decode.setdefault("YÏ", "Ỵ")
    return encode, decode


_VNI_ENCODE, _VNI_DECODE = _build_vni()
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=len, reverse=True))
)

_KEYS = {TCVN3: frozenset(_TCVN3_DECODE), VNI: frozenset("".join(_VNI_DECODE))}
# A word: letters plus the characters the table uses (TCVN3 uses µ ¸ × ÷ soft hyphen…)
_WORD = {
    enc: re.compile("(?:[^\\W\\d_]|[" + re.escape("".join(sorted(keys))) + "])+")
    for enc, keys in _KEYS.items()
}

# Vietnamese letters that Latin-1 lacks: no legacy byte read as Latin-1 gives them.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")


def _decode_word(word: str, encoding: str) -> str:
    if encoding == TCVN3:
        return "".join(_TCVN3_DECODE.get(c, c) for c in word)
    return _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group()], word)


def _encode_legacy(text: str, encoding: str) -> str:
    """Unicode -> legacy mojibake, for tests and fixtures (TCVN3 loses capitals)."""
    table = _TCVN3_ENCODE if encoding == TCVN3 else _VNI_ENCODE
    return "".join(table.get(c, c) for c in normalize(text))


# ---------------------------------------------------------------------------
# Is a word a possible Vietnamese syllable? Onset + rime, at most one tone, and a
# syllable closed by c, ch, p, t takes only sắc or nặng.
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_OPEN_RIMES = (
    "oai oay oeo uây uôi ươi ươu iêu yêu uya uyu "
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu uơ"
)
_ANY_RIMES = "oa oe uê uy a e ê i o ô ơ u ư y"  # with or without a final consonant
_CLOSED_RIMES = "uyê iê yê uô ươ oă uâ oo ă â"  # always with a final consonant


def _alternation(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SYLLABLE = re.compile(
    f"{_ONSET}(?:(?:{_alternation(_OPEN_RIMES)})"
    f"|(?:{_alternation(_ANY_RIMES)})(?P<coda1>ch|nh|ng|c|m|n|p|t)?"
    f"|(?:{_alternation(_CLOSED_RIMES)})(?P<coda2>ch|nh|ng|c|m|n|p|t))"
)


# _SYLLABLE matches at most 8 letters ("ngh" + "uyê" + "nh"), each at most a base and
# one mark once decomposed, plus one tone: a longer word is no syllable, and a long
# run of letters is not decomposed and scanned for nothing.
_SYLLABLE_MAX_CHARS = 17


@lru_cache(maxsize=16384)
def _is_syllable(word: str) -> bool:
    if len(word) > _SYLLABLE_MAX_CHARS:
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = "".join(c for c in decomposed if c not in _TONE_MARKS)
    toneless = unicodedata.normalize("NFC", bare)
    match = _SYLLABLE.fullmatch(toneless)
    if match is None:
        return False
    coda = match.group("coda1") or match.group("coda2")
    if coda in ("c", "ch", "p", "t"):
        return bool(tones) and tones[0] in (_ACUTE, _DOT_BELOW)
    return True


def _plausible(word: str) -> bool:
    """A Vietnamese syllable written in lower, UPPER or Title case."""
    case_ok = word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())
    return case_ok and _is_syllable(word)


def _ascii_letters(word: str) -> str:
    return "".join(c for c in word if c.isascii() and c.isalpha())


def _typed_in_capitals(word: str) -> bool:
    """Two or more ASCII letters, all capitals: a word typed for a .VnTimeH font."""
    letters = _ascii_letters(word)
    return len(letters) >= 2 and letters.isupper()


def _convert_word(word: str, encoding: str) -> str:
    converted = _decode_word(word, encoding)
    if encoding == TCVN3 and _typed_in_capitals(word):
        # TCVN3 has no toned capitals: "CéNG" holds the small code for ộ.
        converted = converted.upper()
    return converted


class _Score(NamedTuple):  # a tuple: made for every text a sheet's cell holds (a dataclass took 3x as long)
    votes_for: float = 0.0
    # words that are Vietnamese as typed and would stop being so once converted
    against_syllable: float = 0.0
    # words holding Vietnamese letters that only Unicode has
    against_unicode: float = 0.0

    @property
    def against(self) -> float:
        return self.against_syllable + self.against_unicode


@lru_cache(maxsize=16384)  # a sheet repeats its words (Xã, Phường, Hà Tĩnh…) in every row
def _word_evidence(word: str, encoding: str) -> tuple[float, float, float]:
    """What one word says: (votes for ``encoding``, against as a syllable, against as Unicode)."""
    if _UNICODE_ONLY.search(word):
        return 0.0, 0.0, 1.0
    converted = _convert_word(word, encoding)
    if converted == word:
        return 0.0, 0.0, 0.0
    before, after = _plausible(word), _plausible(converted)
    if after and not before and len(word) > 1:
        return (1.0 if len(converted) >= 3 else 0.5), 0.0, 0.0
    if before and not after:
        return 0.0, 1.0, 0.0
    return 0.0, 0.0, 0.0


@lru_cache(maxsize=1024)  # clean() scores a one-line text as a whole, as a line and for pasted phrases
def _scores(text: str) -> tuple[_Score, _Score]:
    """The text's score for TCVN3 and for VNI (one look-up in the cache for both)."""
    return _score_for(text, TCVN3), _score_for(text, VNI)


def _score_for(text: str, encoding: str) -> _Score:
    votes = syllable = unicode = 0.0
    for word in _WORD[encoding].findall(text):
        v, s, u = _word_evidence(word, encoding)
        votes += v
        syllable += s
        unicode += u
    return _Score(votes, syllable, unicode)


# An encoding is detected with at least this much evidence…
MIN_EVIDENCE = 1.0
# …and this many times more evidence than counter-evidence.
MIN_RATIO = 2.0


def detect_legacy(text: str) -> str | None:
    """``"TCVN3"``, ``"VNI"`` or ``None``: which legacy encoding ``text`` was typed in.

    Scores words (see the module docstring); an encoding wins with at least
    ``MIN_EVIDENCE`` votes and ``MIN_RATIO`` times its votes against; if both
    qualify, the one with the larger margin.
    """
    text = normalize(text)
    best: tuple[float, str] | None = None
    for encoding, score in zip((TCVN3, VNI), _scores(text)):
        if score.votes_for >= MIN_EVIDENCE and score.votes_for >= MIN_RATIO * score.against:
            margin = score.votes_for - score.against
            if best is None or margin > best[0]:
                best = (margin, encoding)
    return best[1] if best else None


def _check_encoding(encoding: str) -> str:
    if encoding not in ENCODING_LABELS:
        raise ValueError(
            f"Bảng mã không hỗ trợ: {encoding!r}; chỉ nhận {TCVN3!r} hoặc {VNI!r}."
        )
    return encoding


# Where a sentence or a list item begins: after . ! ? or a marker "1.", "a)", "-".
_SENTENCE_START = re.compile(r"(?:[.!?]|^\s*(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[-+]))\s+$")


def _opens_sentence(line: str, matches: list[re.Match[str]], i: int) -> bool:
    """``_SENTENCE_START`` holds for the text before word ``i`` of ``line``.

    From the third word on, only the gap since the previous word can decide (a
    marker "1.", "a)", "-" opens the line and holds at most one letter, and a word
    never ends on . ! ?), so a line is scanned once, not once per word.
    """
    start = matches[i].start()
    if i < 2:
        return _SENTENCE_START.search(line[:start]) is not None
    gap = line[matches[i - 1].end() : start]
    body = gap.rstrip()
    return len(body) < len(gap) and body.endswith((".", "!", "?"))


# How one word of a line reads (see _classify).
_SAME = "same"  # the legacy table does not change it (ASCII, "và" in TCVN3…)
_UNICODE = "unicode"  # Unicode as typed
_LEGACY = "legacy"  # legacy as typed
_EITHER = "either"  # a word in both readings, or in neither as far as drafter knows
_NEITHER = "neither"  # no Vietnamese syllable in either reading (a code, a symbol)


def _classify(word: str, converted: str) -> str:
    """Which reading of ``word`` is Vietnamese: as typed, once converted, or both.

    The shape of a syllable decides first; where both readings are syllables
    (``Phòng`` / TCVN3 ``Phũng``, ``cã`` / ``có``), the list of words in use
    (:mod:`drafter.rules.syllables`) decides when it knows exactly one of them.
    """
    if _UNICODE_ONLY.search(word):
        return _UNICODE
    if converted == word:
        return _SAME
    typed, once_converted = _plausible(word), _plausible(converted)
    if typed and once_converted:
        typed_known, converted_known = syllables.known(word), syllables.known(converted)
        if typed_known != converted_known:
            return _UNICODE if typed_known else _LEGACY
        return _EITHER
    if typed:
        return _UNICODE
    if once_converted:
        return _LEGACY
    return _NEITHER


def _nearest(kinds: list[str], step: int) -> list[str | None]:
    """For each word, the nearest clear kind (Unicode or legacy) before it (``step``
    -1) or after it (``step`` 1), or None: one pass over the line."""
    out: list[str | None] = [None] * len(kinds)
    last: str | None = None
    order = range(len(kinds)) if step < 0 else range(len(kinds) - 1, -1, -1)
    for i in order:
        out[i] = last
        if kinds[i] in (_UNICODE, _LEGACY):
            last = kinds[i]
    return out


def _plan_line(words: list[str], converted: list[str]) -> tuple[list[bool], list[int]]:
    """Which words of a line to keep as typed, and which cannot be told apart.

    A line is mixed when it holds a letter only Unicode has (ư, ơ, đ, ạ…), or both a
    word that reads only as Unicode and one that reads only as legacy; any other
    line is legacy throughout (the caller found it so): every word is converted,
    the doubtful ones too (``cã`` → ``có``, a lone ``á`` → ``ỏ``). In a mixed line,
    Unicode words stay, legacy words are converted, codes and symbols stay, and a
    word that reads well both ways follows its nearest clear neighbours; when those
    disagree (Unicode on one side, legacy on the other) it is left as typed and
    reported as unresolved.
    """
    kinds = [_classify(w, c) for w, c in zip(words, converted)]
    unicode_letters = any(_UNICODE_ONLY.search(w) for w in words)
    if not unicode_letters and not (_UNICODE in kinds and _LEGACY in kinds):
        return [False] * len(words), []
    keep: list[bool] = []
    unresolved: list[int] = []
    before, after = _nearest(kinds, -1), _nearest(kinds, 1)
    for i, kind in enumerate(kinds):
        if kind == _LEGACY:
            keep.append(False)
        elif kind == _EITHER:
            sides = {k for k in (before[i], after[i]) if k}
            if sides == {_LEGACY}:
                keep.append(False)
            else:
                keep.append(True)
                if _LEGACY in sides:
                    unresolved.append(i)
        else:
            keep.append(True)
    return keep, unresolved


def _convert_line(line: str, encoding: str) -> tuple[str, list[tuple[str, str]]]:
    """The line converted, and the (typed, converted) words left unresolved."""
    matches = list(_WORD[encoding].finditer(line))
    words = [m.group() for m in matches]
    converted = [_convert_word(w, encoding) for w in words]
    keep, unresolved = _plan_line(words, converted)
    if encoding == TCVN3:
        # Context for the capitals TCVN3 cannot write: a neighbour typed in capitals
        # that is a Vietnamese word ("BAN", "HéI", not "UBND").
        caps = [
            _typed_in_capitals(w) and _plausible(c) for w, c in zip(words, converted)
        ]
        for i, (word, conv) in enumerate(zip(words, converted)):
            if conv == word or keep[i] or conv.isupper():
                continue
            letters = _ascii_letters(word)
            if not letters or letters.isupper():
                if (i > 0 and caps[i - 1]) or (i + 1 < len(words) and caps[i + 1]):
                    converted[i] = conv.upper()
                    continue
            if word[0] in _TCVN3_DECODE and conv[0].islower():
                # A sentence or item opening on a toned letter lost its capital.
                if _opens_sentence(line, matches, i):
                    converted[i] = conv[0].upper() + conv[1:]
    out, pos = [], 0
    for m, conv, k in zip(matches, converted, keep):
        out.append(line[pos : m.start()])
        out.append(m.group() if k else conv)
        pos = m.end()
    out.append(line[pos:])
    return "".join(out), [(words[i], normalize(converted[i])) for i in unresolved]


def _convert(text: str, encoding: str) -> tuple[str, list[tuple[str, str]]]:
    _check_encoding(encoding)
    done = [_convert_line(line, encoding) for line in normalize(text).split("\n")]
    unresolved = [pair for _, pairs in done for pair in pairs]
    return normalize("\n".join(line for line, _ in done)), unresolved


def convert_legacy(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI mojibake to NFC Unicode.

    A line that holds a word which reads as Unicode — a letter only Unicode has (ư,
    ơ, đ, ạ…), or a word in use as typed whose legacy reading is not (``Phòng``, not
    ``Phũng``) — is Unicode text with, at most, a pasted legacy phrase: there only
    the legacy words change, so "Cá" in "Cá voi ở biển" is never turned into "Cỏ"
    (see :func:`_plan_line`; a word that reads well both ways and sits between the
    two is left as typed, and :func:`clean` reports it).

    TCVN3 has no toned capitals (the .VnTimeH fonts draw small codes as capitals),
    so capitals are restored where the text shows them: a word typed in ASCII
    capitals (``CéNG`` → ``CỘNG``); a word with one or no ASCII capital next to such
    a word (``X· HéI`` → ``XÃ HỘI``); a word opening a sentence or a list item
    (``1. ®Ò nghÞ`` → ``1. Đề nghị``). Elsewhere a lost capital cannot be told
    apart (``ñy ban`` stays ``ủy ban``).
    """
    return _convert(text, encoding)[0]


def syllable_count(text: str) -> int:
    """How many words of ``text`` are Vietnamese syllables (in lower, UPPER or Title
    case): the better of two readings of the same bytes has more."""
    return sum(1 for w in _LETTERS.findall(normalize(text)) if _plausible(w))


_LETTERS = re.compile(r"[^\W\d_]+")


# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TextWarning:
    """Something :func:`clean` changed that the user should check; message in Vietnamese."""

    code: str
    message: str
    encoding: str | None = None

    def as_problem(self) -> Problem:
        """The warning as a problem; a mixed line drafter cannot read safely is an error."""
        return Problem(self.message, severity=ERROR if self.code == LEGACY_UNRESOLVED else WARNING)


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unikey_hint(encoding: str) -> str:
    return (
        f"dùng Unikey (Công cụ > Chuyển mã, bảng mã nguồn {ENCODING_LABELS[encoding]}, "
        "bảng mã đích Unicode dựng sẵn) để chuyển tệp gốc sang Unicode dựng sẵn"
    )


def _legacy_message(encoding: str, converted: str) -> str:
    return (
        f"Văn bản có vẻ được gõ bằng bảng mã {ENCODING_LABELS[encoding]} cũ; "
        f"drafter đã chuyển sang Unicode: “{_excerpt(converted)}”. "
        f"Hãy kiểm tra lại, hoặc {_unikey_hint(encoding)}."
    )


def _unresolved_message(encoding: str, words: list[tuple[str, str, str]]) -> str:
    label = ENCODING_LABELS[encoding]
    lines = list(dict.fromkeys(line for line, _, _ in words))
    readings = ", ".join(
        dict.fromkeys(f"“{w}” (hay “{c}” theo {label})" for _, w, c in words)
    )
    return (
        f"Dòng “{_excerpt(' '.join(lines))}” trộn chữ Unicode với chữ gõ bằng bảng mã "
        f"{label} cũ, và drafter không biết chắc chữ {readings} thuộc phần nào. "
        "Hãy chuyển phần dán từ văn bản cũ sang Unicode (Unikey: Công cụ > Chuyển mã, "
        f"bảng mã nguồn {label}, bảng mã đích Unicode dựng sẵn) rồi dán lại, "
        "hoặc gõ lại cả dòng bằng Unicode."
    )


class LegacyEncodingError(ValueError):
    """Text typed in a legacy Vietnamese encoding, refused; message in Vietnamese."""

    def __init__(self, encoding: str, text: str):
        self.encoding = encoding
        self.text = text
        reading = convert_legacy(text, encoding)
        super().__init__(
            f"Văn bản được gõ bằng bảng mã {ENCODING_LABELS[encoding]} cũ, không phải "
            f"Unicode: “{_excerpt(text)}” (đọc ra là “{_excerpt(reading)}”). "
            f"Hãy {_unikey_hint(encoding)}, rồi dán lại."
        )

    def __reduce__(self):
        # args hold the message only; rebuild from what __init__ takes.
        return type(self), (self.encoding, self.text)


# Line breaks from Windows, Word (vertical tab = Shift+Enter) and Unicode.
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")


def _c1_to_cp1252(char: str) -> str:
    """U+0080–U+009F in pasted text are Windows-1252 bytes read as Latin-1:
    give back the quote, dash or ellipsis; drop the five undefined ones."""
    try:
        return bytes([ord(char)]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


def _strip_invisible(text: str) -> str:
    if text.isprintable():
        return text  # Cc and Cf characters are never printable: nothing to strip
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n":
            out.append(char)
        elif category == "Cc" and 0x80 <= ord(char) <= 0x9F:
            out.append(_c1_to_cp1252(char))
        elif category in ("Cc", "Cf"):
            continue
        else:
            out.append(char)
    return "".join(out)


# A legacy phrase pasted into a Unicode line needs this much evidence, counting
# only its own words: the line's Unicode words say nothing about them.
MIN_EVIDENCE_IN_UNICODE_LINE = 2.0


def _pasted_phrase(line: str) -> str | None:
    for encoding, score in zip((TCVN3, VNI), _scores(line)):
        if (
            score.votes_for >= MIN_EVIDENCE_IN_UNICODE_LINE
            and score.votes_for >= MIN_RATIO * score.against_syllable
        ):
            return encoding
    return None


def _unicode_line(line: str, encoding: str) -> bool:
    """A word of the line reads only as Unicode and none reads only as legacy."""
    kinds = {_classify(w, _convert_word(w, encoding)) for w in _WORD[encoding].findall(line)}
    return _UNICODE in kinds and _LEGACY not in kinds


# The legacy codes that are not letters (TCVN3's ¸ and soft hyphen; µ is a letter, and
# so is every VNI code): a text without any is cut into the same words, its runs of
# letters, for both encodings.
_CODES_NOT_LETTERS = re.compile(
    "[" + re.escape("".join(sorted(c for c in _KEYS[TCVN3] | _KEYS[VNI] if not _LETTERS.fullmatch(c)))) + "]"
)


@lru_cache(maxsize=16384)
def _votes(word: str) -> bool:
    """Does ``word`` vote for TCVN3 or for VNI (:func:`_word_evidence`)?"""
    return _word_evidence(word, TCVN3)[0] > 0 or _word_evidence(word, VNI)[0] > 0


def _no_votes(text: str) -> bool:
    """No word of ``text`` (NFC) votes for either legacy encoding, so neither the text
    nor any of its lines can be found legacy (both need votes: :func:`detect_legacy`,
    :func:`_pasted_phrase`). One pass over letter runs, where the two encodings cut the
    same words (nearly all text); False, to be scored, when they do not."""
    if _CODES_NOT_LETTERS.search(text) is not None or not is_nfc(text):
        return False
    return not any(map(_votes, _LETTERS.findall(text)))


def _legacy_lines(text: str) -> list[tuple[int, str]]:
    """(line index, encoding) of each line to convert: all when the whole text is
    legacy (but a line that reads as Unicode and holds no legacy word, such as a
    typed "Phòng công tác" above a pasted legacy line), else each line that is
    legacy by itself or holds a pasted legacy phrase (where :func:`convert_legacy`
    changes only the legacy words). ``text`` is NFC."""
    if _no_votes(text):
        return []  # most Unicode text: no word says legacy
    lines = text.split("\n")
    whole = detect_legacy(text)
    if whole:
        return [(i, whole) for i, line in enumerate(lines) if not _unicode_line(line, whole)]
    found = []
    for i, line in enumerate(lines):
        # A text of one line is that line: detected above already (a sheet's cell, nearly always).
        encoding = (detect_legacy(line) if len(lines) > 1 else None) or _pasted_phrase(line)
        if encoding:
            found.append((i, encoding))
    return found


# Eth (Ð, U+00D0) looks like Đ and some fonts and keyboards give it for Đ. A word
# holding it is found as a run of letters (one pass: a pattern around "Ð" would
# rescan every run without it from each of its letters, quadratic in its length).
_ETH = "Ð"


def clean(text: str) -> tuple[str, list[TextWarning]]:
    """Return ``text`` ready to store, and warnings about what was changed.

    - NFC normalisation;
    - line breaks ``\\r\\n``, ``\\r``, vertical tab (Word's Shift+Enter), form feed,
      U+2028 and U+2029 become ``\\n``;
    - C1 control characters (U+0080–U+009F: Windows-1252 bytes read as Latin-1)
      become the punctuation they stood for (“ ” – … ) or are dropped;
    - other control characters except ``\\t`` and ``\\n`` are removed, and so are
      invisible format characters (zero-width space and joiners, U+FEFF, soft hyphen,
      direction marks) — after legacy detection, since TCVN3 writes ư as a soft
      hyphen;
    - TCVN3 / VNI text (the whole value, or single lines of it) is converted to
      Unicode, with a warning naming the encoding; a word of a mixed line that
      cannot be told apart (see :func:`convert_legacy`) is left as typed, with a
      ``LEGACY_UNRESOLVED`` warning that callers should treat as an error;
    - Ð (Eth, U+00D0) in a Vietnamese word becomes Đ, with a warning;
    - no-break spaces are kept (Word uses them on purpose); nothing else changes.

    ``clean`` is idempotent: ``clean(clean(x)[0])[0] == clean(x)[0]``.
    """
    if text.isascii() and text.isprintable():
        return text, []  # nothing to normalise, strip or convert (legacy text needs bytes > 0x7F)
    text = normalize(text)
    soft_hyphen = "\u00ad"
    if not text.isprintable():  # line breaks, soft hyphens and every invisible character are not
        text = _NEWLINES.sub("\n", text)
        # Keep U+00AD for detection; drop every other invisible character first.
        text = soft_hyphen.join(_strip_invisible(part) for part in text.split(soft_hyphen))
    warnings: list[TextWarning] = []

    plan = _legacy_lines(text)
    if plan:
        lines = text.split("\n")
        by_encoding: dict[str, list[str]] = {}
        doubtful: dict[str, list[tuple[str, str, str]]] = {}
        for i, encoding in plan:
            typed = lines[i]
            lines[i], unresolved = _convert(typed, encoding)
            if unresolved:
                doubtful.setdefault(encoding, []).extend((typed, w, c) for w, c in unresolved)
            elif lines[i].strip():
                by_encoding.setdefault(encoding, []).append(lines[i])
        text = "\n".join(lines)
        for encoding, converted in by_encoding.items():
            message = _legacy_message(encoding, " ".join(converted))
            warnings.append(TextWarning(LEGACY_WARNING, message, encoding))
        for encoding, words in doubtful.items():
            message = _unresolved_message(encoding, words)
            warnings.append(TextWarning(LEGACY_UNRESOLVED, message, encoding))

    text = text.replace(soft_hyphen, "")

    def fix_eth(match: re.Match[str]) -> str:
        word = match.group()
        if _ETH not in word:
            return word
        fixed = word.replace(_ETH, "Đ")
        return fixed if _plausible(fixed) else word

    fixed = _LETTERS.sub(fix_eth, text) if _ETH in text else text
    if fixed != text:
        warnings.append(
            TextWarning(
                ETH_WARNING,
                "Văn bản có chữ Ð (Eth, U+00D0) trông giống chữ Đ; drafter đã thay bằng Đ "
                "tiếng Việt (U+0110). Hãy kiểm tra lại bộ gõ hoặc phông chữ của tệp gốc.",
            )
        )
        text = fixed
    return normalize(text), warnings


def refuse_legacy(text: str) -> str:
    """Raise :class:`LegacyEncodingError` if ``text`` (or one of its lines) is TCVN3 or
    VNI mojibake; else return it NFC-normalised."""
    text = normalize(text)
    plan = _legacy_lines(_NEWLINES.sub("\n", text))
    if plan:
        lines = _NEWLINES.sub("\n", text).split("\n")
        encoding = plan[0][1]
        raise LegacyEncodingError(
            encoding, "\n".join(lines[i] for i, enc in plan if enc == encoding)
        )
    return text


def format(text: str) -> str:
    """``text`` as drafter stores it: :func:`clean` without its warnings."""
    return clean(text)[0]


def validate(text: str) -> list[Problem]:
    """What :func:`clean` changed or could not settle in ``text``, as problems."""
    return [w.as_problem() for w in clean(text)[1]]
