"""Amounts in words, checked against FORMAT.md's reading rules (expected text written out)."""

import re
import unicodedata
from decimal import Decimal

import pytest
from num2words import num2words

from drafter.rules.words import (
    FOUR_CHOICES,
    ZERO_TENS_CHOICES,
    amount_in_words,
    read_number,
)

DEFAULT_READINGS = [
    # 0–21: digits, mười for tens 1, lăm after tens 1, 14 is always mười bốn
    (0, "không"),
    (1, "một"),
    (2, "hai"),
    (3, "ba"),
    (4, "bốn"),
    (5, "năm"),
    (6, "sáu"),
    (7, "bảy"),
    (8, "tám"),
    (9, "chín"),
    (10, "mười"),
    (11, "mười một"),
    (12, "mười hai"),
    (13, "mười ba"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (16, "mười sáu"),
    (17, "mười bảy"),
    (18, "mười tám"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    # mươi, mốt, tư, lăm after tens >= 2
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (30, "ba mươi"),
    (31, "ba mươi mốt"),
    (44, "bốn mươi tư"),
    (54, "năm mươi tư"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    # hundreds: linh for zero tens; no mốt/lăm/tư after linh
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (114, "một trăm mười bốn"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (124, "một trăm hai mươi tư"),
    (125, "một trăm hai mươi lăm"),
    (500, "năm trăm"),
    (905, "chín trăm linh năm"),
    # inner groups keep "không trăm"
    (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"),
    (1015, "một nghìn không trăm mười lăm"),
    (1050, "một nghìn không trăm năm mươi"),
    (1100, "một nghìn một trăm"),
    (1514, "một nghìn năm trăm mười bốn"),
    (2025, "hai nghìn không trăm hai mươi lăm"),
    (3696, "ba nghìn sáu trăm chín mươi sáu"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (100_000, "một trăm nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (1_000_000, "một triệu"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    # an empty group is skipped with its scale word; the last group keeps "không trăm"
    (1_000_005, "một triệu không trăm linh năm"),
    (1_001_000, "một triệu không trăm linh một nghìn"),
    (145_001_000, "một trăm bốn mươi lăm triệu không trăm linh một nghìn"),
    (8_374_000_000, "tám tỷ ba trăm bảy mươi tư triệu"),
    (10**9, "một tỷ"),
    (10**9 + 5, "một tỷ không trăm linh năm"),
    (1_000_000_050, "một tỷ không trăm năm mươi"),
    (25_000_000_000, "hai mươi lăm tỷ"),
    # the number of tỷ is read as a number
    (10**12, "một nghìn tỷ"),
    (10**15, "một triệu tỷ"),
    (10**15 + 5, "một triệu tỷ không trăm linh năm"),
    (1_000_005_000_000_000, "một triệu không trăm linh năm tỷ"),
    (
        999_999_999_999_999_999,
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ "
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
    # negatives
    (-5, "âm năm"),
    (-1005, "âm một nghìn không trăm linh năm"),
    (-21, "âm hai mươi mốt"),
    # Decimal values: integral ones, then phẩy
    (Decimal("8374"), "tám nghìn ba trăm bảy mươi tư"),
    (Decimal("1E+3"), "một nghìn"),
    (Decimal("-0"), "không"),
    (Decimal("12.00"), "mười hai"),
    (Decimal("12.5"), "mười hai phẩy năm"),
    (Decimal("12.50"), "mười hai phẩy năm"),
    (Decimal("0.05"), "không phẩy không năm"),
    (Decimal("1.25"), "một phẩy hai mươi lăm"),
    (Decimal("3.14"), "ba phẩy mười bốn"),
    (Decimal("2.024"), "hai phẩy không hai mươi tư"),
    (Decimal("0.001"), "không phẩy không không một"),
    (Decimal("-0.5"), "âm không phẩy năm"),
    (Decimal("-1234567.89"), "âm một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy phẩy tám mươi chín"),
]


@pytest.mark.parametrize(("number", "expected"), DEFAULT_READINGS)
def test_read_number_default(number, expected):
    assert read_number(number) == expected


def test_enough_cases():
    assert len(DEFAULT_READINGS) >= 70


@pytest.mark.parametrize(
    ("number", "zero_tens", "four", "expected"),
    [
        (104_024, "linh", "tư", "một trăm linh bốn nghìn không trăm hai mươi tư"),
        (104_024, "linh", "bốn", "một trăm linh bốn nghìn không trăm hai mươi bốn"),
        (104_024, "lẻ", "tư", "một trăm lẻ bốn nghìn không trăm hai mươi tư"),
        (104_024, "lẻ", "bốn", "một trăm lẻ bốn nghìn không trăm hai mươi bốn"),
        (1_004_344, "linh", "tư", "một triệu không trăm linh bốn nghìn ba trăm bốn mươi tư"),
        (1_004_344, "linh", "bốn", "một triệu không trăm linh bốn nghìn ba trăm bốn mươi bốn"),
        (1_004_344, "lẻ", "tư", "một triệu không trăm lẻ bốn nghìn ba trăm bốn mươi tư"),
        (1_004_344, "lẻ", "bốn", "một triệu không trăm lẻ bốn nghìn ba trăm bốn mươi bốn"),
        # 14 is always mười bốn, and 4 after linh/lẻ is always bốn
        (14, "linh", "tư", "mười bốn"),
        (114, "lẻ", "tư", "một trăm mười bốn"),
        (204, "lẻ", "tư", "hai trăm lẻ bốn"),
        (1005, "lẻ", "bốn", "một nghìn không trăm lẻ năm"),
        (101, "lẻ", "tư", "một trăm lẻ một"),
        (Decimal("0.05"), "lẻ", "bốn", "không phẩy không năm"),
        (Decimal("1.24"), "lẻ", "bốn", "một phẩy hai mươi bốn"),
    ],
)
def test_read_number_options(number, zero_tens, four, expected):
    assert read_number(number, zero_tens=zero_tens, four=four) == expected


def test_options_accept_decomposed_unicode():
    # Options typed on some keyboards arrive decomposed (NFD).
    assert read_number(105, zero_tens=unicodedata.normalize("NFD", "lẻ")) == "một trăm lẻ năm"
    assert read_number(24, four=unicodedata.normalize("NFD", "bốn")) == "hai mươi bốn"


def test_choices_constants():
    assert ZERO_TENS_CHOICES == ("linh", "lẻ")
    assert FOUR_CHOICES == ("tư", "bốn")


@pytest.mark.parametrize("options", [{"zero_tens": "le"}, {"zero_tens": "lẽ"}, {"four": "four"}, {"four": "tu"}])
def test_invalid_options(options):
    with pytest.raises(ValueError, match="không hợp lệ"):
        read_number(104, **options)
    with pytest.raises(ValueError, match="không hợp lệ"):
        amount_in_words(104, **options)


@pytest.mark.parametrize("number", [10**18, -(10**18), Decimal("1E+18"), 10**30])
def test_out_of_range(number):
    with pytest.raises(ValueError, match="quá lớn"):
        read_number(number)


@pytest.mark.parametrize("number", [0.5, 1.0, True, "12", None])
def test_rejects_non_int_non_decimal(number):
    with pytest.raises(TypeError):
        read_number(number)


@pytest.mark.parametrize("number", [Decimal("NaN"), Decimal("Infinity")])
def test_rejects_non_finite(number):
    with pytest.raises(ValueError):
        read_number(number)


def test_output_is_nfc():
    for number, _ in DEFAULT_READINGS:
        text = read_number(number)
        assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"n": 8_374_000_000}, "Tám tỷ ba trăm bảy mươi tư triệu đồng"),
        ({"n": 8_374_000_000, "four": "bốn"}, "Tám tỷ ba trăm bảy mươi bốn triệu đồng"),
        ({"n": 8_374_000_000, "chan": True}, "Tám tỷ ba trăm bảy mươi tư triệu đồng chẵn"),
        ({"n": 1005, "zero_tens": "lẻ"}, "Một nghìn không trăm lẻ năm đồng"),
        ({"n": 0}, "Không đồng"),
        ({"n": -5}, "Âm năm đồng"),
        ({"n": 15, "currency": "đô la Mỹ"}, "Mười lăm đô la Mỹ"),
        ({"n": 15, "currency": ""}, "Mười lăm"),
        ({"n": Decimal("12.5")}, "Mười hai phẩy năm đồng"),
        ({"n": Decimal("12.5"), "chan": True}, "Mười hai phẩy năm đồng"),
        ({"n": Decimal("12.00"), "chan": True}, "Mười hai đồng chẵn"),
        ({"n": 3_696_000_000, "chan": False}, "Ba tỷ sáu trăm chín mươi sáu triệu đồng"),
    ],
)
def test_amount_in_words(kwargs, expected):
    assert amount_in_words(**kwargs) == expected


def test_amount_in_words_has_no_full_stop():
    assert not amount_in_words(1005).endswith(".")
    assert f"Bằng chữ: {amount_in_words(8_374_000_000)}." == "Bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng."


def test_num2words_is_wrong_for_vietnamese():
    """Why words.py computes the reading itself: num2words 0.5.14 drops "không trăm"."""
    assert num2words(1005, lang="vi") == "một nghìn lẻ năm"
    assert read_number(1005) == "một nghìn không trăm linh năm"
    # Also measured: a negative read as another number, the wrong scale at 10^15.
    assert num2words(-5, lang="vi") == "mười lăm"
    assert num2words(10**15, lang="vi") == "một trăm nghìn tỷ"


def test_fraction_too_long():
    with pytest.raises(ValueError, match="quá dài"):
        read_number(Decimal("0." + "1" * 19))


def test_format_and_validate():
    from drafter.rules import words

    assert words.format(1005, zero_tens="lẻ") == read_number(1005, zero_tens="lẻ") == "một nghìn không trăm lẻ năm"
    assert words.validate(10**18 - 1) == [] and words.validate(Decimal("-0.05")) == []
    for bad in (10**18, -(10**18), 1.5, "5"):
        (problem,) = words.validate(bad)
        assert problem.severity == "error" and problem.position.file is None
        with pytest.raises((ValueError, TypeError), match=re.escape(problem.message)):
            read_number(bad)
    assert "tư, bốn" in words.validate(24, four="four")[0].message


def test_digit_words_are_num2words_own_without_its_package_import():
    """The ten digit words come from num2words' Vietnamese converter run alone: the same
    words as num2words(k, lang="vi"), and reading a number does not import the package
    (its __init__ imports every language: ~25 ms a command)."""
    import subprocess
    import sys

    from num2words import num2words

    from drafter.rules.words import _num2words_digits

    assert _num2words_digits() == [num2words(k, lang="vi") for k in range(10)]
    code = ("import sys; from drafter.rules import words; print(words.format(2025)); "
            "print('num2words' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["hai nghìn không trăm hai mươi lăm", "False"]
