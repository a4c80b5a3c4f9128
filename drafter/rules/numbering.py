"""Numbering inside a body (docs/the-thuc.md#danh-so-trong-noi-dung).

Khoản are ``1.``, ``2.``; điểm are ``a)``, ``b)`` in the Vietnamese alphabet
(a, b, c, d, đ, e, g, … y — no f, j, w, z); report sections are Roman ``I.``.

Decision: there are only 23 điểm letters. Nothing in Nghị định 30 or in practice
continues past ``y)`` (``aa)`` would be an invention), so asking for a 24th điểm
raises ValueError telling the drafter to split the khoản.

>>> [format(n, "a") for n in (1, 4, 5, 6, 7)]
['a)', 'd)', 'đ)', 'e)', 'g)']
>>> format(4, "I"), format(12, "1")
('IV.', '12.')
>>> validate(["a)", "b)", "c)", "d)", "đ)", "e)", "g)"])
[]
>>> [p.message for p in validate(["a)", "c)"])]
['Điểm thứ 2 "c)": bỏ sót "b)"; ở vị trí này cần "b)".']
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import Problem

__all__ = [
    "VIETNAMESE_LETTERS",
    "FORBIDDEN_LETTERS",
    "diem_letter",
    "diem_label",
    "roman",
    "khoan_label",
    "section_label",
    "LEVELS",
    "format",
    "validate",
]

VIETNAMESE_LETTERS = (
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
)  # fmt: skip
FORBIDDEN_LETTERS = ("f", "j", "w", "z")  # Latin letters absent from Vietnamese

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip

_DIEM_LABEL = re.compile(r"([a-zđ])\)")


def _check_positive(n: int, what: str) -> int:
    # bool is an int subclass; a True index is a bug upstream.
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} phải là số nguyên từ 1 trở lên: {n!r}.")
    return n


def diem_letter(index: int) -> str:
    """The 1-based điểm letter: 1 -> "a", 5 -> "đ", 6 -> "e", 7 -> "g"."""
    _check_positive(index, "Số thứ tự điểm")
    if index > len(VIETNAMESE_LETTERS):
        raise ValueError(
            f"Không có điểm thứ {index}: một khoản chỉ đánh số được 23 điểm (a) đến y)); "
            "hãy tách thành nhiều khoản."
        )
    return VIETNAMESE_LETTERS[index - 1]


def diem_label(index: int) -> str:
    """The 1-based điểm label: 1 -> "a)", 5 -> "đ)", 7 -> "g)"."""
    return f"{diem_letter(index)})"


def roman(n: int) -> str:
    """Roman numeral for 1..3999: 4 -> "IV", 14 -> "XIV", 40 -> "XL"."""
    _check_positive(n, "Số La Mã")
    if n > 3999:
        raise ValueError(f"Số La Mã chỉ viết được từ 1 đến 3999: {n}.")
    parts = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        parts.append(symbol * count)
    return "".join(parts)


def khoan_label(n: int) -> str:
    """Khoản label: 1 -> "1."."""
    return f"{_check_positive(n, 'Số thứ tự khoản')}."


def section_label(n: int) -> str:
    """Report/plan section label: 1 -> "I.", 4 -> "IV."."""
    return f"{roman(n)}."


# The markers a draft uses to ask for a generated number (`[I]`, `[1]`, `[a]`), each
# with its label: a section (Roman), a khoản, a điểm.
LEVELS = {"I": section_label, "1": khoan_label, "a": diem_label}


def format(n: int, level: str = "1") -> str:
    """The label of the n-th item of a level: "I" section, "1" khoản, "a" điểm."""
    try:
        label = LEVELS[level]
    except KeyError:
        raise ValueError(f"Cấp đánh số '{level}' không có; dùng một trong: {', '.join(LEVELS)}.") from None
    return label(n)


def validate(labels: list[str]) -> list[Problem]:
    """Problems of a typed sequence of điểm labels (empty when right).

    Each label is checked against the letter expected at its place. After a
    skipped or repeated valid letter the check continues from the letter typed,
    so one skip gives one message rather than one per following điểm.
    """
    messages: list[str] = []
    expected = 0  # index into VIETNAMESE_LETTERS of the letter due next
    latin = False  # a forbidden letter was typed
    for place, raw in enumerate(labels, start=1):
        label = unicodedata.normalize("NFC", str(raw)).strip()
        if expected >= len(VIETNAMESE_LETTERS):
            messages.append(
                f'Điểm thứ {place} "{label}": sau "y)" không còn chữ cái để đánh số điểm '
                "(một khoản có tối đa 23 điểm); hãy tách thành nhiều khoản."
            )
            break
        want = f"{VIETNAMESE_LETTERS[expected]})"
        match = _DIEM_LABEL.fullmatch(label)
        letter = match.group(1) if match else None
        if letter == VIETNAMESE_LETTERS[expected]:
            expected += 1
        elif letter in FORBIDDEN_LETTERS:
            messages.append(
                f'Điểm thứ {place} "{label}": chữ "{letter}" không dùng để đánh số điểm '
                f'(bảng chữ cái tiếng Việt không có f, j, w, z); cần "{want}".'
            )
            expected += 1  # the label stands in the expected place
            latin = True
        elif letter is None:
            messages.append(
                f'Điểm thứ {place} "{label}" không đúng dạng nhãn điểm '
                f'(một chữ cái thường và dấu ")", ví dụ "a)"); cần "{want}".'
            )
            expected += 1
        else:
            typed = VIETNAMESE_LETTERS.index(letter)
            if typed > expected:
                missing = ", ".join(f'"{c})"' for c in VIETNAMESE_LETTERS[expected:typed])
                messages.append(
                    f'Điểm thứ {place} "{label}": bỏ sót {missing}; ở vị trí này cần "{want}".'
                )
            else:
                messages.append(
                    f'Điểm thứ {place} "{label}" bị lặp hoặc sai thứ tự; cần "{want}".'
                )
            expected = typed + 1  # resume from the letter typed
    if latin:
        # One hint for the usual cause, so the messages above read as one mistake.
        messages.append(
            "Dãy điểm có vẻ đánh theo bảng chữ cái tiếng Anh; thứ tự đúng là "
            "a), b), c), d), đ), e), g), h), i), k)… (không có f), j), w), z))."
        )
    return [Problem(message) for message in messages]
