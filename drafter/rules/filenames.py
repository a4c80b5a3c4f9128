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

import hashlib
import os
import re
import string
import unicodedata
from functools import lru_cache

from ..env import env_limit
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


MAX_WIDTH_ENV = "DRAFTER_MAX_NAME_WIDTH"
DEFAULT_MAX_WIDTH = MAX_BYTES  # a stem is cut at MAX_BYTES anyway
# What a name needs of a format spec, for text: [[fill]align][0][width][.precision][s].
# No nested fields, no sign, grouping or number types (every value is text here).
_SPEC = re.compile(r"(?:[^{}]?[<>^])?0?(?P<width>\d*)(?:\.(?P<precision>\d+))?s?", re.S)


def max_width(environ: dict[str, str] | None = None) -> int:
    """The largest width or precision a `--name` field may ask: DRAFTER_MAX_NAME_WIDTH or 120."""
    try:
        return env_limit(MAX_WIDTH_ENV, DEFAULT_MAX_WIDTH, environ)
    except ValueError as exc:
        raise PatternError(str(exc)) from None


def _check_spec(name: str, spec: str) -> None:
    """A field's format spec: plain text padding or cutting only, bounded in size.

    >>> _check_spec("ma", ">5")
    >>> _check_spec("ma", ">999999999")
    Traceback (most recent call last):
    ...
    drafter.rules.filenames.PatternError: Mẫu tên tệp: độ rộng 999999999 trong '{ma:>999999999}' quá lớn (tối đa 120).
    """
    shown = "{" + name + ":" + spec + "}"
    m = _SPEC.fullmatch(spec)
    if m is None or len(spec) > 24:
        raise PatternError(
            f"Mẫu tên tệp: '{shown}' không dùng được; sau dấu ':' chỉ được căn lề và độ rộng, "
            f"như {{ma:0>3}} hoặc {{ten:.30}} (cắt còn 30 ký tự)."
        )
    bound = max_width()
    for part in ("width", "precision"):
        if m.group(part) and int(m.group(part)) > bound:
            word = "độ rộng" if part == "width" else "độ dài"
            raise PatternError(
                f"Mẫu tên tệp: {word} {int(m.group(part))} trong '{shown}' quá lớn (tối đa {bound})."
            )


@lru_cache(maxsize=64)  # a batch fills the same pattern for every row
def _fields(pattern: str) -> tuple[str, ...]:
    return tuple(fields(pattern))


def fields(pattern: str) -> list[str]:
    """Column names a `{ma}-{ten}` pattern uses; only plain names are allowed."""
    names = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise PatternError(
            f"Mẫu tên tệp '{pattern}' viết sai: mỗi '{{' cần một '}}' (muốn có dấu ngoặc nhọn trong tên thì "
            "viết '{{' hoặc '}}')."
        ) from None
    for _, name, spec, conv in parsed:
        if name is None:
            continue
        if not name or not re.fullmatch(r"[\w]+", name):
            raise PatternError(
                f"Mẫu tên tệp chỉ dùng tên cột trong ngoặc nhọn, như {{ma}}-{{ten}}; '{{{name}}}' không dùng được."
            )
        if conv:
            raise PatternError(f"Mẫu tên tệp không dùng '!{conv}'.")
        if spec:
            _check_spec(name, spec)
        names.append(name)
    return names


def fill(pattern: str, values: dict) -> str:
    _fields(pattern)
    return string.Formatter().vformat(pattern, (), {k: "" if v is None else v for k, v in values.items()})


def _truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


# Anything one of format's steps changes: a bad character, white space other than one
# space between words, "..", "--", a space, dot or dash at either end.
_CHANGED = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]|[^\S ]|\s\s|\.\.|--|^[ .-]|[ .-]$')


def _kept_as_is(s: str) -> bool:
    """``s`` goes through every step of :func:`format` unchanged (a batch's names,
    nearly always): one scan instead of seven."""
    return bool(s) and _CHANGED.search(s) is None and unicodedata.is_normalized("NFC", s) \
        and len(s.encode("utf-8")) <= MAX_BYTES


def format(name: str) -> str:
    """A safe file stem for `name` (no extension)."""
    s = str(name)
    if not _kept_as_is(s):
        s = unicodedata.normalize("NFC", s)
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


MAX_NAME_BYTES = 255  # one file or folder name, in UTF-8: the file systems' own bound
MAX_PATH_BYTES = 4095  # a whole path, in UTF-8 (Linux's PATH_MAX less the final NUL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 21] + "…" + text[-20:]


def path_problem(path, key: str | None = "-o") -> Problem | None:  # key None: a path read, not written
    """Why an output path cannot be written as given (too long, bad characters), or None.

    The one message every command gives for such a path (render, new, batch, pdf,
    preview, appendix); checked before anything is read or written.

    >>> path_problem("ket-qua/van-ban.docx") is None
    True
    >>> print(path_problem("a" * 300 + ".docx").message)
    Không dùng được đường dẫn này để ghi: tên 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…aaaaaaaaaaaaaaa.docx' dài 305 byte, quá 255 byte (giới hạn của hệ thống tệp).
    """
    from ..errors import Position

    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    reason = None
    bad = _CONTROL.search(text)
    if bad:
        reason = f"có ký tự điều khiển (mã U+{ord(bad.group()):04X}) không dùng được trong tên tệp"
    elif any("\ud800" <= ch <= "\udfff" for ch in text):
        reason = "có ký tự không đọc được (tên không theo bảng mã UTF-8)"
    else:
        for part in re.split(r"[/\\]", text):
            size = len(part.encode("utf-8"))
            if size > MAX_NAME_BYTES:
                reason = (f"tên '{_short(part)}' dài {size} byte, quá {MAX_NAME_BYTES} byte "
                          "(giới hạn của hệ thống tệp)")
                break
        else:
            full = len(text.encode("utf-8"))  # the string the system is given, as typed
            if full > MAX_PATH_BYTES:
                reason = f"đường dẫn dài {full} byte, quá {MAX_PATH_BYTES} byte (giới hạn của hệ thống tệp)"
    if reason is None:
        return None
    safe = _short(text.encode("utf-8", "backslashreplace").decode("utf-8"))
    safe = _CONTROL.sub("?", safe)
    return Problem(f"Không dùng được đường dẫn này{' để ghi' if key else ''}: {reason}.", Position(safe), key=key,
                   hint="Chọn tên tệp, tên thư mục ngắn hơn, chỉ gồm chữ, số, dấu cách, '-' hoặc '_'.")


def refused_path_problem(path, key: str | None = None) -> Problem:
    """The path message for a path the file system refused (ENAMETOOLONG, EILSEQ);
    ``key`` "-o" when the path is known to be one the command writes."""
    problem = path_problem(path, key) if path is not None else None
    if problem is not None:
        return problem
    from ..errors import Position

    safe = _CONTROL.sub("?", _short(str(path))) if path is not None else None
    return Problem(
        f"Không dùng được đường dẫn này{' để ghi' if key else ''}: hệ thống tệp không nhận tên này "
        "(quá dài hoặc có ký tự không hợp lệ).", Position(safe) if safe else Position(), key=key,
        hint="Chọn tên tệp, tên thư mục ngắn hơn, chỉ gồm chữ, số, dấu cách, '-' hoặc '_'.")


class UniqueNames:
    """Hands out names unique case-insensitively, adding -2, -3… to repeats."""

    def __init__(self) -> None:
        # Each name taken is kept as a 64-bit digest, not as text: a batch's 33,210 names
        # were 6 MiB of the run's memory; two names meeting by chance, 1 in 10^10.
        self._taken: set[int] = set()

    def take(self, stem: str, suffix: str = "") -> str:
        base, n = stem, 1
        while True:
            candidate = base if n == 1 else f"{_truncate_utf8(base, MAX_BYTES - 6)}-{n}"
            key = unicodedata.normalize("NFC", candidate + suffix).casefold().encode("utf-8", "surrogatepass")
            digest = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")
            if digest not in self._taken:
                self._taken.add(digest)
                return candidate
            n += 1
