"""Text hygiene: NFC, legacy TCVN3/VNI detection and conversion, invisible characters."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from drafter.rules import text as T
from drafter.rules.text import (
    TCVN3,
    VNI,
    LegacyEncodingError,
    clean,
    convert_legacy,
    detect_legacy,
    is_nfc,
    normalize,
    refuse_legacy,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# Real paragraphs (from the seeds), kept here so the checks run without shared/.
PARAGRAPHS = [
    "Thời gian qua, việc thực hiện các chính sách khuyến công trên địa bàn tỉnh đã góp "
    "phần tích cực vào việc phát triển công nghiệp nông thôn.",
    "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công;",
    "Để khắc phục những hạn chế nêu trên, tạo bước chuyển biến mạnh mẽ trong khuyến khích "
    "phát triển công nghiệp nông thôn, Ủy ban nhân dân tỉnh giao:",
    "- Lưu: VT, KT1.",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hà Tĩnh, ngày 13 tháng 12 năm 2019",
    "Số: 8287/UBND-KT1",
    "Tổng cộng: 8.374 triệu đồng (Bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng).",
]

NOT_LEGACY = [
    "",
    "Plain ASCII text, with numbers 1234 and punctuation!",
    "café au lait, naïve façade, déjà vu, Noël, hôtel, rôle",
    "Müller, Köln, Señor Muñoz, año, Björn, Straße, über, São Paulo, não",
    "R&D < {{ hang.ten }} > 50% – “trích dẫn” — ‘x’ … • €",
    "5 µm, 3×4, 10 ÷ 2, ½ kg, © 2020, Word®, § 2, «Quyết định», ¿Qué? ¡Hola!",
    "pH 7,0 ± 0,2; 25 °C; x² + y³; 1ª 2º",
    "where où est la gare",
]

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]

PHRASES = [
    "Hướng dẫn",
    "Ủy ban nhân dân tỉnh Hà Tĩnh",
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Quyết định",
    "Nguyễn Minh Quang",
]


# --- NFC ------------------------------------------------------------------------------


def test_normalize_composes_nfd():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    assert not is_nfc(nfd)
    assert normalize(nfd) == "Nguyễn Thị Ánh Tuyết"
    assert is_nfc(normalize(nfd))


def test_normalize_changes_nothing_else():
    value = "  a\u200bb\u00a0c\r\n  "
    assert normalize(value) == value


def test_clean_composes_nfd():
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Hà Tĩnh")
    cleaned, warnings = clean(nfd)
    assert cleaned == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    assert warnings == []


# --- legacy tables: every letter round-trips --------------------------------------------


@pytest.mark.parametrize("letter", LETTERS)
def test_tcvn3_round_trip_small_letter(letter):
    legacy = T._encode_legacy(letter, TCVN3)
    assert legacy != letter or letter in "aeiouyý"  # ý is 0xFD in both
    assert all(ord(c) < 256 for c in legacy)
    assert convert_legacy(legacy, TCVN3) == letter


@pytest.mark.parametrize("letter", [c.upper() for c in LETTERS])
def test_tcvn3_round_trip_capital_letter(letter):
    # TCVN3 has no toned capitals: they share the small code, and a word typed in
    # capitals for a .VnTimeH font gets them back.
    legacy = T._encode_legacy("T" + letter + "NG", TCVN3)
    assert convert_legacy(legacy, TCVN3) == "T" + letter + "NG"


def test_tcvn3_capital_base_letters_have_codes():
    legacy = "\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7"
    assert convert_legacy(legacy, TCVN3) == "ĂÂÊÔƠƯĐ"


@pytest.mark.parametrize("letter", LETTERS + [c.upper() for c in LETTERS])
def test_vni_round_trip(letter):
    legacy = T._encode_legacy(letter, VNI)
    assert all(ord(c) < 256 for c in legacy)
    assert convert_legacy(legacy, VNI) == letter


def test_tables_are_complete_and_one_to_one():
    # 12 vowels x 5 tones + 7 base letters (ă â ê ô ơ ư đ) + 7 capitals = 74 codes
    assert len(T._TCVN3_DECODE) == 74
    assert len(set(T._TCVN3_DECODE.values())) == 74
    # every lower- and upper-case letter but a e i o u y í ì has its own VNI spelling
    assert len(set(T._VNI_ENCODE.values())) == len(T._VNI_ENCODE) == 2 * (len(LETTERS) - 8)


# --- legacy: detection and conversion ---------------------------------------------------


def test_brief_examples():
    assert detect_legacy("H\u00ad\u00edng d\u00c9n") == TCVN3
    assert convert_legacy("H\u00ad\u00edng d\u00c9n", TCVN3) == "Hướng dẫn"
    assert detect_legacy("Vie\u00e4t Nam") == VNI
    assert convert_legacy("Vie\u00e4t Nam", VNI) == "Việt Nam"
    assert detect_legacy("Hö\u00f4\u00f9ng da\u00e3n") == VNI
    assert convert_legacy("Hö\u00f4\u00f9ng da\u00e3n", VNI) == "Hướng dẫn"


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_phrases_detected_and_converted(phrase, encoding):
    legacy = T._encode_legacy(phrase, encoding)
    assert detect_legacy(legacy) == encoding
    assert detect_legacy(phrase) is None
    converted = convert_legacy(legacy, encoding)
    if encoding == TCVN3 and phrase.startswith("Ủ"):
        # no toned capital in TCVN3, and nothing tells this one apart
        assert converted == "ủ" + phrase[1:]
    else:
        assert converted == phrase


@pytest.mark.parametrize(
    "phrase",
    ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "QUYẾT ĐỊNH"],
)
def test_tcvn3_capitals_restored(phrase):
    legacy = T._encode_legacy(phrase, TCVN3)
    assert detect_legacy(legacy) == TCVN3
    assert convert_legacy(legacy, TCVN3) == phrase


def test_tcvn3_capitals_only_where_the_text_shows_them():
    assert convert_legacy("Hµ Néi", TCVN3) == "Hà Nội"
    assert convert_legacy("Sè: 14/CT-UBND", TCVN3) == "Số: 14/CT-UBND"
    assert convert_legacy("1. ®Ò nghÞ c¸c Së. ®Ò nghÞ", TCVN3) == "1. Đề nghị các Sở. Đề nghị"
    assert convert_legacy("- ñy ban nh©n d©n tØnh;", TCVN3) == "- Ủy ban nhân dân tỉnh;"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_whole_seed_in_legacy_encoding(path, encoding):
    original = normalize(seed_text(path))
    legacy = T._encode_legacy(original, encoding)
    assert detect_legacy(legacy) == encoding
    converted = convert_legacy(legacy, encoding)
    if encoding == VNI:
        assert converted == original
    else:
        # only capitals TCVN3 cannot carry may differ ("ủy ban" for "Ủy ban")
        assert converted.lower() == original.lower()
    cleaned, warnings = clean(legacy)
    assert cleaned == converted
    assert [w.encoding for w in warnings] == [encoding]


def test_unicode_line_keeps_its_words():
    # "Cá" would read "Cỏ" in TCVN3: a line holding letters only Unicode has (ở)
    # is Unicode, and only its clearly legacy words may change.
    value = "Cá voi ở biển\nC¨n cø NghÞ ®Þnh sè 45/2012/N§-CP vÒ khuyÕn c«ng;\nCá ở ao"
    cleaned, warnings = clean(value)
    assert cleaned == (
        "Cá voi ở biển\nCăn cứ Nghị định số 45/2012/NĐ-CP về khuyến công;\nCá ở ao"
    )
    assert [w.encoding for w in warnings] == [TCVN3]


def test_phrase_pasted_into_unicode_line():
    value = "Căn cứ Luật Tổ chức chính quyền địa phương và NghÞ ®Þnh vÒ khuyÕn c«ng"
    cleaned, warnings = clean(value)
    assert cleaned == "Căn cứ Luật Tổ chức chính quyền địa phương và Nghị định về khuyến công"
    assert warnings and warnings[0].encoding == TCVN3
    value = "Ủy ban nhân dân tỉnh giao: Vieät Nam, Höôùng daãn"
    assert clean(value)[0] == "Ủy ban nhân dân tỉnh giao: Việt Nam, Hướng dẫn"


LEGACY_PHRASE = "H\u00ad\u00edng d\u00c9n c\u00abng t\u00b8c"  # "Hướng dẫn công tác" in TCVN3


@pytest.mark.parametrize("value, expected", [
    # Unicode words made of Latin-1 letters only: their TCVN3 reading is also a
    # syllable ("Phũng"), but only the Unicode one is a word in use.
    (f"Phòng {LEGACY_PHRASE}", "Phòng Hướng dẫn công tác"),
    (f"{LEGACY_PHRASE} của Phòng", "Hướng dẫn công tác của Phòng"),
    (f"Phòng Nông nghiệp {LEGACY_PHRASE}", "Phòng Nông nghiệp Hướng dẫn công tác"),
    # "Công" reads well both ways ("Cụng"); its Unicode neighbours decide.
    (f"Sở Công Thương {LEGACY_PHRASE}", "Sở Công Thương Hướng dẫn công tác"),
    # A typed Unicode line above a pasted legacy line stays as typed.
    (f"Phòng công tác\n{LEGACY_PHRASE}", "Phòng công tác\nHướng dẫn công tác"),
    ("Phòng Höôùng daãn", "Phòng Hướng dẫn"),  # VNI
])
def test_unicode_words_beside_legacy_words(value, expected):
    cleaned, warnings = clean(value)
    assert cleaned == expected
    assert [w.code for w in warnings] == [T.LEGACY_WARNING]


@pytest.mark.parametrize("phrase", [
    "có hướng dẫn công tác",  # cã, c«ng: "có" reads as "cã", a syllable in Unicode too
    "Sử dụng công cụ phù hợp",  # dông (dụng), c«ng, cô (cụ), phï, hîp
    "bộ phận một cửa của phòng",  # bé (bộ), mét (một), phßng
])
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_legacy_text_with_doubtful_words_is_converted_whole(phrase, encoding):
    legacy = T._encode_legacy(phrase, encoding)
    cleaned, warnings = clean(legacy)
    assert cleaned.lower() == phrase.lower()
    assert [w.code for w in warnings] == [T.LEGACY_WARNING]


def test_word_between_unicode_and_legacy_is_refused_not_guessed():
    # "Công" is a word as typed and as TCVN3 ("Cụng"); Unicode on its left, legacy on
    # its right: drafter cannot tell, leaves it as typed and says so.
    value = f"Phòng Công {LEGACY_PHRASE}"
    cleaned, warnings = clean(value)
    assert cleaned.startswith("Phòng Công ")
    assert [w.code for w in warnings] == [T.LEGACY_UNRESOLVED]
    message = warnings[0].message
    assert "“Công”" in message and "“Cụng”" in message and "TCVN3 (ABC)" in message
    assert "Chuyển mã" in message and "gõ lại" in message


def test_validate_gives_clean_warnings_as_problems():
    # A text drafter cannot read safely is an error; one it converted, a warning.
    (unresolved,) = T.validate(f"Phòng Công {LEGACY_PHRASE}")
    assert unresolved.severity == "error" and "“Cụng”" in unresolved.message
    (converted,) = T.validate(LEGACY_PHRASE)
    assert converted.severity == "warning" and "TCVN3 (ABC)" in converted.message
    assert T.format(LEGACY_PHRASE) == "Hướng dẫn công tác"
    assert T.validate("Hướng dẫn công tác") == [] and T.format("Hướng dẫn") == "Hướng dẫn"
    assert all(p.position.file is None and p.key is None for p in (unresolved, converted))


def test_known_syllables():
    from drafter.rules import syllables

    assert syllables.known("Phòng") and syllables.known("PHÒNG") and syllables.known("có")
    assert not syllables.known("Phũng") and not syllables.known("cã")
    assert all(T._is_syllable(w) and w == w.lower() and is_nfc(w) for w in syllables.KNOWN)


def test_convert_legacy_rejects_unknown_encoding():
    with pytest.raises(ValueError, match="TCVN3"):
        convert_legacy("abc", "VISCII")


# --- no false positives -----------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_no_false_positive_on_seed_lines(path):
    text = seed_text(path)
    assert detect_legacy(text) is None
    for line in text.splitlines():
        assert detect_legacy(line) is None, line
    cleaned, warnings = clean(text)
    assert cleaned == normalize(text).replace("\r\n", "\n")
    assert warnings == []


def test_seed_files_present():
    if not SEED_FILES:
        pytest.skip(f"no seeds at {SEEDS}")
    assert len(SEED_FILES) == 4


@pytest.mark.parametrize("value", PARAGRAPHS + NOT_LEGACY)
def test_no_false_positive(value):
    assert detect_legacy(value) is None
    cleaned, warnings = clean(value)
    assert cleaned == value
    assert warnings == []
    refuse_legacy(value)  # does not raise


# --- warnings and refusal ---------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, label", [(TCVN3, "TCVN3 (ABC)"), (VNI, "VNI Windows")]
)
def test_warning_names_the_encoding(encoding, label):
    legacy = T._encode_legacy("Quyết định phê duyệt Chương trình khuyến công", encoding)
    cleaned, warnings = clean(legacy)
    assert cleaned == "Quyết định phê duyệt Chương trình khuyến công"
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.code == T.LEGACY_WARNING
    assert warning.encoding == encoding
    assert label in warning.message
    assert "Quyết định phê duyệt" in warning.message  # shows what it became
    assert "Unikey" in warning.message and "Chuyển mã" in warning.message
    assert "Unicode dựng sẵn" in warning.message


@pytest.mark.parametrize(
    "encoding, label", [(TCVN3, "TCVN3 (ABC)"), (VNI, "VNI Windows")]
)
def test_refuse_legacy(encoding, label):
    legacy = T._encode_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam", encoding)
    with pytest.raises(LegacyEncodingError) as info:
        refuse_legacy(legacy)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.encoding == encoding
    message = str(error)
    assert label in message
    assert "Chuyển mã" in message and "Unicode dựng sẵn" in message
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in message


def test_refuse_legacy_passes_unicode_through_as_nfc():
    nfd = unicodedata.normalize("NFD", "Quyết định")
    assert refuse_legacy(nfd) == "Quyết định"


# --- invisible characters ---------------------------------------------------------------


def test_zero_width_and_format_characters_are_stripped():
    value = "\ufeffỦy\u200b ban\u200c nhân\u200d dân\u2060 tỉnh\u200e Hà\u00ad Tĩnh"
    cleaned, warnings = clean(value)
    assert cleaned == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    assert warnings == []


def test_controls_stripped_but_tab_newline_and_nbsp_kept():
    cleaned, _ = clean("a\tb\nc\x00d\x07e\x1bf\u00a0g")
    assert cleaned == "a\tb\ncdef\u00a0g"


def test_line_breaks_unified():
    cleaned, _ = clean("một\r\nhai\rba\x0bbốn\u2028năm")
    assert cleaned == "một\nhai\nba\nbốn\nnăm"


def test_c1_controls_read_as_windows_1252():
    # bytes 0x93 0x94 0x96 0x85 of a Windows-1252 file read as Latin-1
    cleaned, _ = clean("\x93Hà Nội\x94 \x96 v.v.\x85\x81")
    assert cleaned == "“Hà Nội” – v.v.…"


def test_eth_replaced_by_d_with_stroke():
    cleaned, warnings = clean("Ðiều 1. Ðà Nẵng")
    assert cleaned == "Điều 1. Đà Nẵng"
    assert [w.code for w in warnings] == [T.ETH_WARNING]
    assert clean("Ðorðe")[0] == "Ðorðe"  # not a Vietnamese word: left alone


# --- idempotence ------------------------------------------------------------------------

IDEMPOTENCE = (
    PARAGRAPHS
    + NOT_LEGACY
    + [T._encode_legacy(p, e) for p in PHRASES for e in (TCVN3, VNI)]
    + [
        unicodedata.normalize("NFD", "Nguyễn Minh Quang"),
        "a\u200bb\r\nc\x93d\x94",
        "Ðiều 1",
        "Cá voi\nC¨n cø NghÞ ®Þnh",
    ]
)


@pytest.mark.parametrize("value", IDEMPOTENCE)
def test_clean_is_idempotent(value):
    once, _ = clean(value)
    twice, warnings = clean(once)
    assert twice == once
    assert warnings == []
    assert is_nfc(once)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_clean_is_idempotent_on_converted_seeds(path, encoding):
    once, _ = clean(T._encode_legacy(seed_text(path), encoding))
    assert clean(once) == (once, [])


def test_module_source_is_nfc():
    source = Path(T.__file__).read_text(encoding="utf-8")
    assert is_nfc(source)


def test_invisible_characters_are_never_printable():
    """clean() skips its per-character pass for printable text: that is exact only if no
    control (Cc) or format (Cf) character counts as printable in this Python's Unicode."""
    import sys
    import unicodedata

    assert not [hex(c) for c in range(sys.maxunicode + 1)
                if unicodedata.category(chr(c)) in ("Cc", "Cf") and chr(c).isprintable()]
