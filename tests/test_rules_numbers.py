"""Vietnamese number formatting and parsing: thousands ".", decimal ","."""

from decimal import Decimal

import pytest

from drafter.errors import ERROR, Position
from drafter.rules import numbers
from drafter.rules.numbers import format_number, parse_number, validate


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (5, "5"),
        (999, "999"),
        (1000, "1.000"),
        (8374, "8.374"),
        (1514, "1.514"),
        (8_374_000_000, "8.374.000.000"),
        (-1234, "-1.234"),
        (-5, "-5"),
        (10**18, "1.000.000.000.000.000.000"),
        (Decimal("1234567.89"), "1.234.567,89"),
        (Decimal("-1234567.89"), "-1.234.567,89"),
        (Decimal("12.5"), "12,5"),
        (Decimal("1.50"), "1,50"),
        (Decimal("0.05"), "0,05"),
        (Decimal("1E+3"), "1.000"),
        (Decimal("8.374E+9"), "8.374.000.000"),
        (Decimal("1E-3"), "0,001"),
        (Decimal("-0"), "0"),
        (Decimal("-0.00"), "0,00"),
        (Decimal("123456789012345678901234567890"), "123.456.789.012.345.678.901.234.567.890"),
    ],
)
def test_format_number_keeps_own_digits(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (8374, 0, "8.374"),
        (8374, 2, "8.374,00"),
        (Decimal("2.345"), 2, "2,35"),
        (Decimal("2.344"), 2, "2,34"),
        (Decimal("-2.345"), 2, "-2,35"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("999.995"), 2, "1.000,00"),
        (Decimal("1E+3"), 1, "1.000,0"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("123456789012345678901234567890.5"), 0, "123.456.789.012.345.678.901.234.567.891"),
    ],
)
def test_format_number_rounds_half_up(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("value", [1.5, True, "8374", None])
def test_format_number_refuses_floats_and_others(value):
    with pytest.raises(TypeError, match="int"):
        format_number(value)


@pytest.mark.parametrize("decimals", [-1, 1.5, True])
def test_format_number_bad_decimals(decimals):
    with pytest.raises(ValueError):
        format_number(5, decimals)


def test_format_number_refuses_nan():
    with pytest.raises(ValueError):
        format_number(Decimal("NaN"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8374000000", Decimal("8374000000")),
        ("8.374.000.000", Decimal("8374000000")),
        ("8.374", Decimal("8374")),
        ("1.500", Decimal("1500")),
        ("12,5", Decimal("12.5")),
        ("1,50", Decimal("1.50")),
        ("0,05", Decimal("0.05")),
        ("-5", Decimal("-5")),
        ("\u22125", Decimal("-5")),  # unicode minus sign
        ("- 5", Decimal("-5")),
        ("-1.234", Decimal("-1234")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("  1.234.567,89 ", Decimal("1234567.89")),
        ("\u00a08.374\t", Decimal("8374")),
        ("0", Decimal("0")),
        ("-0", Decimal("0")),
        ("007", Decimal("7")),
    ],
)
def test_parse_number(text, expected):
    result = parse_number(text)
    assert result == expected
    assert str(result) == str(expected)  # same scale, not just equal value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1.23.4", "1.23.4"),
        ("abc", "abc"),
        ("1,2,3", "1,2,3"),
        ("", "bỏ trống"),
        ("   ", "bỏ trống"),
        ("12.5", '"12,5"'),
        ("-12.5", '"-12,5"'),
        ("0.500", '"0,500"'),
        ("1.2345", '"1,2345"'),
        ("1234.567", "1234.567"),
        ("1.234.56", "1.234.56"),
        (",5", '"0,5"'),
        ("5,", "5,"),
        ("1.234,5.6", "1.234,5.6"),
        ("1 234", '"1.234"'),
        ("1 234,5", '"1.234,5"'),
        ("8\u00a0374\u202f000", '"8.374.000"'),
        ("--5", "--5"),
        ("+5", "+5"),
        ("١٢", "١٢"),  # non-ASCII digits
        ("1e3", "1e3"),
    ],
)
def test_parse_number_rejects(text, fragment):
    with pytest.raises(ValueError) as error:
        parse_number(text)
    message = str(error.value)
    assert fragment in message
    assert message.startswith("Số")  # the message is in Vietnamese


def test_parse_number_ambiguous_dot_suggests_comma():
    with pytest.raises(ValueError, match=r'hãy viết "12,5"'):
        parse_number("12.5")


def test_parse_number_refuses_non_string():
    with pytest.raises(TypeError):
        parse_number(12)


@pytest.mark.parametrize(
    "value",
    [0, 7, 8374, -1234, 8_374_000_000, Decimal("1234567.89"), Decimal("-0.05"), Decimal("1.50")],
)
def test_round_trip(value):
    assert parse_number(format_number(value)) == value
    assert format_number(parse_number(format_number(value))) == format_number(value)


def test_validate_number():
    assert validate("8.374") == []
    assert validate("1.234.567,89") == []
    problems = validate("12.5")
    assert len(problems) == 1 and "12,5" in problems[0].message
    assert problems[0].severity == ERROR and problems[0].position == Position()
    assert validate("abc") and "abc" in validate("abc")[0].message
    assert validate(None)


def test_format_is_format_number():
    assert numbers.format(Decimal("1234567.891"), 2) == format_number(Decimal("1234567.891"), 2) == "1.234.567,89"
