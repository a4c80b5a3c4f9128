"""Numbers and amounts in Vietnamese words (docs/the-thuc.md#so-va-so-tien-bang-chu).

Built on num2words for the vocabulary only: the ten digit words (không, một …
chín) come from ``num2words(d, lang="vi")``. The reading itself is computed here,
because num2words 0.5.14's Vietnamese breaks the format's rules (measured):

* inner groups lose "không trăm": 1005 -> "một nghìn lẻ năm",
  1.050.000 -> "một triệu năm mươi nghìn", 145.001.000 -> "… triệu một nghìn";
* 1015 -> "một nghìn lẻ mười lăm", 2025 -> "hai nghìn lẻ hai mươi lăm";
* 10^15 -> "một trăm nghìn tỷ" (it is "một triệu tỷ");
* −5 -> "mười lăm"; 0,05 -> "không phẩy năm"; large ints go through float;
* no choice of "linh"/"lẻ" or "tư"/"bốn".

So the group logic (mười/mươi, mốt, lăm, tư, linh, không trăm), the scale words
(nghìn — never ngàn —, triệu, tỷ) and the signs and decimals follow docs/the-thuc.md#so-va-so-tien-bang-chu
here. Reading decisions:

* Numbers are read in groups of three digits. The leading group is read short
  (5 "năm", 15 "mười lăm"); every later group reads its hundreds, keeping
  "không trăm" (1.005 "một nghìn không trăm linh năm").
* Groups that are entirely zero are skipped with their scale word:
  1.000.005 "một triệu không trăm linh năm", 10^9 + 5 "một tỷ không trăm linh năm".
* Above 10^9 the count of tỷ is read recursively: 10^12 "một nghìn tỷ",
  10^15 "một triệu tỷ". Readable range: |n| < 10^18.
* Negatives: "âm …". Decimals: integer part, "phẩy", then the fractional digits
  read as a number, each leading zero read "không" (0,05 "không phẩy không
  năm", 1,25 "một phẩy hai mươi lăm"). Trailing zeros of the fraction do not
  change the value and are not read (12,50 "mười hai phẩy năm"; 12,00 "mười hai").

>>> format(1005)
'một nghìn không trăm linh năm'
>>> format(24, four="bốn")
'hai mươi bốn'
>>> amount_in_words(8374000000)
'Tám tỷ ba trăm bảy mươi tư triệu đồng'
>>> read_number(-5)
'âm năm'
>>> amount_in_words(-1500000)
'Âm một triệu năm trăm nghìn đồng'
>>> read_number(Decimal("-12.5"))
'âm mười hai phẩy năm'
>>> validate(145001000)
[]
>>> [p.message for p in validate(10**18)]
['Số quá lớn để đọc thành chữ (giới hạn dưới 10^18): 1000000000000000000.']
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from drafter.errors import Problem
from drafter.rules.numbers import to_decimal

__all__ = [
    "misread",
    "misread_question",
    "ZERO_TENS_CHOICES",
    "FOUR_CHOICES",
    "LIMIT",
    "read_number",
    "amount_in_words",
    "format",
    "validate",
]

ZERO_TENS_CHOICES = ("linh", "lẻ")
FOUR_CHOICES = ("tư", "bốn")
LIMIT = 10**18  # numbers must satisfy |n| < LIMIT

# num2words gets the digit vocabulary right; NFC because it is compared and
# joined with the project's own precomposed text.
class _Digits:
    """The ten digit words, asked of num2words the first time a number is read."""

    _words: tuple[str, ...] | None = None

    def __getitem__(self, d: int) -> str:
        if self._words is None:
            type(self)._words = tuple(unicodedata.normalize("NFC", w) for w in _num2words_digits())
        return self._words[d]


def _num2words_digits() -> list[str]:
    """``num2words(k, lang="vi")`` for k in 0..9. The package's ``__init__`` imports
    the converters of all its languages (~25 ms, paid by every command that reads a
    number: a batch, a render); its Vietnamese converter is a module of its own that
    imports nothing, so it is run alone from the installed package, not registered
    as imported. Where that cannot be done, the package is imported as usual."""
    try:
        spec = importlib.util.find_spec("num2words")  # finds the package, does not import it
        path = Path(spec.origin).with_name("lang_VI.py") if spec and spec.origin else None
        alone = importlib.util.spec_from_file_location("drafter._num2words_vi", path) if path else None
        if alone is not None and alone.loader is not None:
            module = importlib.util.module_from_spec(alone)
            alone.loader.exec_module(module)
            converter = module.Num2Word_VI()
            return [converter.to_cardinal(k) for k in range(10)]
    except (ImportError, OSError, AttributeError, SyntaxError, ValueError):
        pass
    from num2words import num2words

    return [num2words(k, lang="vi") for k in range(10)]


_DIGITS = _Digits()

_HUNDRED = "trăm"
_TEN = "mười"  # tens digit 1
_TENS = "mươi"  # tens digit 2–9
_ONE_AFTER_TENS = "mốt"  # units 1 after tens >= 2
_FIVE_AFTER_TENS = "lăm"  # units 5 after a non-zero tens
_THOUSAND = "nghìn"
_MILLION = "triệu"
_BILLION = "tỷ"
_POINT = "phẩy"
_MINUS = "âm"
_BILLION_VALUE = 10**9


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    normalised = unicodedata.normalize("NFC", value) if isinstance(value, str) else value
    if normalised not in choices:
        raise ValueError(f'{what} "{value}" không hợp lệ; chọn một trong: {", ".join(choices)}.')
    return normalised


def _units_word(units: int, tens: int, four: str) -> str:
    """The word for the units digit, which depends on the tens digit before it."""
    if units == 1 and tens >= 2:
        return _ONE_AFTER_TENS
    if units == 5 and tens >= 1:
        return _FIVE_AFTER_TENS
    if units == 4 and tens >= 2:
        return four
    return _DIGITS[units]


def _read_group(group: int, *, full: bool, zero_tens: str, four: str) -> list[str]:
    """Read 1..999; ``full`` reads the hundreds even when zero ("không trăm")."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], _HUNDRED]
    if tens == 0:
        if units:
            if words:  # "linh" only bridges hundreds and units: 5 is plain "năm"
                words.append(zero_tens)
            words.append(_DIGITS[units])
        return words
    words += [_TEN] if tens == 1 else [_DIGITS[tens], _TENS]
    if units:
        words.append(_units_word(units, tens, four))
    return words


def _read_below_billion(n: int, *, leading: bool, zero_tens: str, four: str) -> list[str]:
    """Read 0 < n < 10^9; ``leading`` reads the first non-zero group short."""
    words: list[str] = []
    short = leading
    for group, scale in ((n // 10**6, _MILLION), (n // 1000 % 1000, _THOUSAND), (n % 1000, "")):
        if group == 0:  # an empty group is skipped together with its scale word
            continue
        words += _read_group(group, full=not short, zero_tens=zero_tens, four=four)
        if scale:
            words.append(scale)
        short = False
    return words


def _read_positive(n: int, *, zero_tens: str, four: str) -> list[str]:
    """Read 0 < n < LIMIT; the number of tỷ is itself read as a number."""
    if n < _BILLION_VALUE:
        return _read_below_billion(n, leading=True, zero_tens=zero_tens, four=four)
    billions, rest = divmod(n, _BILLION_VALUE)
    words = _read_positive(billions, zero_tens=zero_tens, four=four) + [_BILLION]
    if rest:
        words += _read_below_billion(rest, leading=False, zero_tens=zero_tens, four=four)
    return words


def _read_integer(n: int, *, zero_tens: str, four: str) -> list[str]:
    if n == 0:
        return [_DIGITS[0]]
    return _read_positive(n, zero_tens=zero_tens, four=four)


def _read_fraction(digits: str, *, zero_tens: str, four: str) -> list[str]:
    """Read the digits after the comma: leading zeros one by one, then a number."""
    significant = digits.lstrip("0")
    if len(digits) > 18:
        raise ValueError(f"Phần thập phân quá dài để đọc thành chữ ({len(digits)} chữ số, tối đa 18).")
    words = [_DIGITS[0]] * (len(digits) - len(significant))
    if significant:
        words += _read_integer(int(significant), zero_tens=zero_tens, four=four)
    return words


def read_number(n: int | Decimal, *, zero_tens: str = "linh", four: str = "tư") -> str:
    """Read ``n`` in Vietnamese words, lowercase: 1005 -> "một nghìn không trăm linh năm".

    ``zero_tens`` ("linh" or "lẻ") bridges a zero tens digit; ``four`` ("tư" or
    "bốn") is the units 4 after a tens digit of 2–9. Decimals are read with
    "phẩy". Raises ValueError when |n| >= 10^18 or an option is unknown.
    """
    zero_tens = _check_choice(zero_tens, ZERO_TENS_CHOICES, "Cách đọc hàng chục bằng 0")
    four = _check_choice(four, FOUR_CHOICES, "Cách đọc chữ số 4 ở hàng đơn vị")
    number = to_decimal(n)
    magnitude = number.copy_abs()
    if magnitude >= LIMIT:
        raise ValueError(f"Số quá lớn để đọc thành chữ (giới hạn dưới 10^18): {n}.")
    integer_text, _, fraction_text = f"{magnitude:f}".partition(".")  # not the builtin format(), shadowed here
    fraction_text = fraction_text.rstrip("0")  # 12,50 has the value of 12,5
    words = _read_integer(int(integer_text), zero_tens=zero_tens, four=four)
    if fraction_text:
        words += [_POINT] + _read_fraction(fraction_text, zero_tens=zero_tens, four=four)
    if number < 0:  # -0 and -0,00 read "không"
        words.insert(0, _MINUS)
    return " ".join(words)


def amount_in_words(
    n: int | Decimal,
    *,
    currency: str = "đồng",
    zero_tens: str = "linh",
    four: str = "tư",
    chan: bool = False,
) -> str:
    """The "Bằng chữ" text of an amount: "Tám tỷ ba trăm bảy mươi tư triệu đồng".

    Capitalised, ending with ``currency`` (and " chẵn" when ``chan`` and the
    amount is whole); no full stop — the caller writes "Bằng chữ: …." around it.
    """
    words = read_number(n, zero_tens=zero_tens, four=four)
    currency = unicodedata.normalize("NFC", currency or "").strip()
    if currency:
        words = f"{words} {currency}"
    if chan and to_decimal(n) == to_decimal(n).to_integral_value():
        words = f"{words} chẵn"
    return words[0].upper() + words[1:]


_GROUPED = re.compile(r"([-+]?)([0-9]{1,3})\.([0-9]{3})")


def misread(typed: str) -> tuple[str, str, str, str] | None:
    """The two readings of a number written ``1.500``, which YAML reads as 1,5 but a
    Vietnamese reader as 1500 (a dot groups thousands), or None for any other text:
    (the whole number, its words, the decimal as written with a comma, its words).

    >>> misread("1.500")
    ('1500', 'một nghìn năm trăm', '1,5', 'một phẩy năm')
    >>> misread("2.000")
    ('2000', 'hai nghìn', '2', 'hai')
    >>> misread("-1.514")[0], misread("-1.514")[2]
    ('-1514', '-1,514')
    >>> misread("12.5") is None and misread("1.234.567") is None
    True
    """
    m = _GROUPED.fullmatch(typed.strip())
    if not m:
        return None
    sign, head, tail = m.groups()
    sign = "-" if sign == "-" else ""
    whole = f"{sign}{int(head + tail)}"
    fraction = tail.rstrip("0")
    decimal = f"{sign}{head},{fraction}" if fraction else f"{sign}{head}"
    return (whole, read_number(int(whole)), decimal,
            read_number(Decimal(decimal.replace(",", "."))))


def misread_question(typed: str) -> str | None:
    """What to ask about a number YAML misreads, or None.

    >>> misread_question("1.500")
    '1.500 đọc là một nghìn năm trăm hay một phẩy năm? Viết "1500" hoặc "1,5".'
    """
    readings = misread(typed)
    if readings is None:
        return None
    whole, whole_words, decimal, decimal_words = readings
    return f'{typed.strip()} đọc là {whole_words} hay {decimal_words}? Viết "{whole}" hoặc "{decimal}".'


# The module's surface, as in every rules module; read_number stays for its callers.
format = read_number


def validate(n: int | Decimal, *, zero_tens: str = "linh", four: str = "tư") -> list[Problem]:
    """Why ``n`` cannot be read in words (a float, |n| >= 10^18, an unknown option)."""
    try:
        read_number(n, zero_tens=zero_tens, four=four)
    except (ValueError, TypeError) as error:
        return [Problem(str(error))]
    return []
