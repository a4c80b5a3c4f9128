"""Body numbering: điểm letters of the Vietnamese alphabet, khoản, Roman sections."""

import pytest

from drafter.errors import ERROR, Position

from drafter.rules.numbering import (
    VIETNAMESE_LETTERS,
    diem_label,
    diem_letter,
    khoan_label,
    roman,
    section_label,
    validate,
)
from drafter.rules import numbering


def validate_diem_sequence(labels):
    """The messages of the problems, which carry no position and are errors."""
    problems = validate(labels)
    assert all(p.severity == ERROR and p.position == Position() for p in problems)
    return [p.message for p in problems]


@pytest.mark.parametrize("n,level,label", [(1, "a", "a)"), (5, "a", "đ)"), (7, "a", "g)"),
                                           (3, "1", "3."), (14, "I", "XIV."), (2, "I", "II.")])
def test_format(n, level, label):
    assert numbering.format(n, level) == label


def test_format_unknown_level():
    with pytest.raises(ValueError, match="Cấp đánh số"):
        numbering.format(1, "A")


def test_letters():
    assert VIETNAMESE_LETTERS == (
        "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
        "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
    )  # fmt: skip
    assert len(VIETNAMESE_LETTERS) == 23
    assert not {"f", "j", "w", "z"} & set(VIETNAMESE_LETTERS)
    assert "\u0111" in VIETNAMESE_LETTERS  # precomposed đ


@pytest.mark.parametrize(
    ("index", "label"),
    [(1, "a)"), (2, "b)"), (4, "d)"), (5, "đ)"), (6, "e)"), (7, "g)"), (8, "h)"),
     (9, "i)"), (10, "k)"), (21, "v)"), (22, "x)"), (23, "y)")],
)  # fmt: skip
def test_diem_label(index, label):
    assert diem_label(index) == label
    assert diem_letter(index) == label[:-1]


@pytest.mark.parametrize("index", [0, -1, 24, 100, True, 1.0, "1"])
def test_diem_out_of_range(index):
    with pytest.raises(ValueError):
        diem_label(index)


def test_diem_beyond_y_says_split():
    with pytest.raises(ValueError, match="tách thành nhiều khoản"):
        diem_letter(24)


@pytest.mark.parametrize(
    ("n", "numeral"),
    [(1, "I"), (2, "II"), (3, "III"), (4, "IV"), (5, "V"), (6, "VI"), (9, "IX"), (10, "X"),
     (14, "XIV"), (19, "XIX"), (40, "XL"), (44, "XLIV"), (49, "XLIX"), (90, "XC"),
     (400, "CD"), (1994, "MCMXCIV"), (2024, "MMXXIV"), (3999, "MMMCMXCIX")],
)  # fmt: skip
def test_roman(n, numeral):
    assert roman(n) == numeral


@pytest.mark.parametrize("n", [0, -1, 4000, True, 2.0])
def test_roman_out_of_range(n):
    with pytest.raises(ValueError):
        roman(n)


def test_labels():
    assert khoan_label(1) == "1."
    assert khoan_label(12) == "12."
    assert section_label(1) == "I."
    assert section_label(4) == "IV."
    with pytest.raises(ValueError):
        khoan_label(0)
    with pytest.raises(ValueError):
        section_label(0)


def test_valid_sequences():
    assert validate_diem_sequence([]) == []
    assert validate_diem_sequence(["a)"]) == []
    # seed 001: e) is followed by g)
    assert validate_diem_sequence(["a)", "b)", "c)", "d)", "đ)", "e)", "g)"]) == []
    assert validate_diem_sequence([diem_label(i) for i in range(1, 24)]) == []
    assert validate_diem_sequence([" a) ", "b)"]) == []


def test_forbidden_letter():
    problems = validate_diem_sequence(["a)", "b)", "f)"])
    assert problems[0] == (
        'Điểm thứ 3 "f)": chữ "f" không dùng để đánh số điểm '
        '(bảng chữ cái tiếng Việt không có f, j, w, z); cần "c)".'
    )
    assert "bảng chữ cái tiếng Anh" in problems[-1]


def test_f_after_e():
    problems = validate_diem_sequence(["a)", "b)", "c)", "d)", "đ)", "e)", "f)"])
    assert len(problems) == 2
    assert '"f)"' in problems[0] and 'cần "g)"' in problems[0]


def test_latin_alphabet_sequence():
    problems = validate_diem_sequence(["a)", "b)", "c)", "d)", "e)", "f)", "g)"])
    assert problems[0] == 'Điểm thứ 5 "e)": bỏ sót "đ)"; ở vị trí này cần "đ)".'
    assert 'cần "g)"' in problems[1]
    assert "bảng chữ cái tiếng Anh" in problems[-1]


def test_single_skip_gives_one_message():
    assert validate_diem_sequence(["a)", "c)", "d)", "đ)"]) == [
        'Điểm thứ 2 "c)": bỏ sót "b)"; ở vị trí này cần "b)".'
    ]


def test_repeat():
    assert validate_diem_sequence(["a)", "b)", "b)", "c)"]) == [
        'Điểm thứ 3 "b)" bị lặp hoặc sai thứ tự; cần "c)".'
    ]


@pytest.mark.parametrize("bad", ["A)", "a.", "a", "(a)", "1)", "aa)", ""])
def test_malformed_label(bad):
    problems = validate_diem_sequence(["a)", bad])
    assert len(problems) == 1
    assert "không đúng dạng" in problems[0] and 'cần "b)"' in problems[0]


def test_too_many():
    problems = validate_diem_sequence([diem_label(i) for i in range(1, 24)] + ["z)"])
    assert len(problems) == 1 and "tách thành nhiều khoản" in problems[0]
