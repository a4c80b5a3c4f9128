"""Safe, unique output file names made from a row's columns.

A name must be valid on Windows and Linux: no separators or reserved characters,
no `..`, no reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9), no trailing
dot or space, bounded length; and unique case-insensitively within a batch (Windows
and macOS file systems ignore case).

>>> format("Báo cáo 12/2025?")
'Báo cáo 12-2025'
>>> format("CON")
'_CON'
>>> validate("bao-cao-2025")
[]
>>> [p.message for p in validate("a/b")]
["Tên tệp 'a/b' không an toàn; dùng 'a-b'."]
>>> fill("{ma}-{ten}", {"ma": "01", "ten": "Sở Y tế"})
'01-Sở Y tế'
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

from ..errors import Problem

MAX_BYTES = 120  # the stem, in UTF-8; leaves room for suffixes and the folder path
_BAD = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")
_DASHES = re.compile(r"-{2,}")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
FALLBACK = "van-ban"


class PatternError(ValueError):
    pass


@lru_cache(maxsize=64)  # a batch fills the same pattern for every row
def _fields(pattern: str) -> tuple[str, ...]:
    return tuple(fields(pattern))


def fields(pattern: str) -> list[str]:
    """Column names a `{ma}-{ten}` pattern uses; only plain names are allowed."""
    names = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise PatternError(f"Mẫu tên tệp '{pattern}' viết sai: {exc}.") from None
    for _, name, spec, conv in parsed:
        if name is None:
            continue
        if not name or not re.fullmatch(r"[\w]+", name):
            raise PatternError(
                f"Mẫu tên tệp chỉ dùng tên cột trong ngoặc nhọn, như {{ma}}-{{ten}}; '{{{name}}}' không dùng được."
            )
        if conv:
            raise PatternError(f"Mẫu tên tệp không dùng '!{conv}'.")
        names.append(name)
        del spec
    return names


def fill(pattern: str, values: dict) -> str:
    _fields(pattern)
    return string.Formatter().vformat(pattern, (), {k: "" if v is None else v for k, v in values.items()})


def _truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def format(name: str) -> str:
    """A safe file stem for `name` (no extension)."""
    s = unicodedata.normalize("NFC", str(name))
    s = _BAD.sub("-", s)
    s = _SPACES.sub(" ", s).strip()
    s = _DOTS.sub(".", s)
    s = _DASHES.sub("-", s)
    s = _truncate_utf8(s, MAX_BYTES)
    s = s.strip(" .-")
    if not s:
        s = FALLBACK
    if s.split(".")[0].strip().upper() in _RESERVED:
        s = f"_{s}"
    return s


def validate(name: str) -> list[Problem]:
    """A name that :func:`format` would change is not safe as it is."""
    safe = format(name)
    return [] if safe == name else [Problem(f"Tên tệp '{name}' không an toàn; dùng '{safe}'.")]


class UniqueNames:
    """Hands out names unique case-insensitively, adding -2, -3… to repeats."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, stem: str, suffix: str = "") -> str:
        base, n = stem, 1
        while True:
            candidate = base if n == 1 else f"{_truncate_utf8(base, MAX_BYTES - 6)}-{n}"
            key = unicodedata.normalize("NFC", candidate + suffix).casefold()
            if key not in self._taken:
                self._taken.add(key)
                return candidate
            n += 1
