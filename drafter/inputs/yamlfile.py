"""YAML files with positions: every value keeps the file, line and column it came from.

ruamel.yaml's round-trip loader keeps positions (and comments, for files drafter
writes and people edit). Dates are left as text here so that an impossible date
("2019-02-30") reaches validation and gets a message, not a loader traceback.

Drafts and presets may come from anyone, so reading one is bounded
(:class:`YamlLimits`, docs/limits.md): the file's size, how deep its values nest
(checked while scanning, before ruamel's recursive composer and its look-ahead over
nested brackets can cost seconds or the stack), and how many values it holds once
its aliases (``*x``) are expanded, so that a few hundred bytes of nested aliases
("billion laughs") cannot fill the memory. Over a limit: a :class:`DrafterError`
with the file and line and the variable that raises the limit.

The reader itself (ruamel.yaml and what drafter adds to it) is in yamlread, loaded only
when a file is read: one read before comes back from the cache (parse_cache).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from ..errors import DrafterError, Position, Problem, display_path, read_refusal
from ..errors import found_words, typed_text  # noqa: F401  (model reads them from here)
from ..env import KiB, env_limit
from . import parse_cache

KeyPath = tuple  # of str keys and int list indices


# YamlLimits field -> (environment variable, unit in bytes; 1 for plain counts)
ENV_VARS: dict[str, tuple[str, int]] = {
    "max_bytes": ("DRAFTER_MAX_YAML_KB", KiB),
    "max_depth": ("DRAFTER_MAX_YAML_DEPTH", 1),
    "max_values": ("DRAFTER_MAX_YAML_VALUES", 1),
}


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """Bounds on reading one draft or preset file (docs/limits.md).

    Attributes:
        max_bytes: size of the file. 256 KiB (a draft is a few KiB, the largest
            sample, with its appendix table, 33 KiB).
        max_depth: nesting of lists and groups of keys. 50 (a draft nests 5 deep).
        max_values: lists, groups of keys and values once aliases are expanded.
            10,000 (the largest sample has under 300). ruamel reads some 15,000
            values a second, so both bounds keep a refusal within about a second.
    """

    max_bytes: int = 256 * KiB
    max_depth: int = 50
    max_values: int = 10_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "YamlLimits":
        """The defaults, raised or lowered by ``DRAFTER_MAX_YAML_*`` variables.

        An invalid value raises :class:`ValueError` with a Vietnamese message naming
        the variable (callers turn it into a problem of the file being read).
        """
        env = os.environ if environ is None else environ
        defaults = cls()
        changes: dict[str, int] = {}
        for name, (var, unit) in ENV_VARS.items():
            changes[name] = env_limit(var, getattr(defaults, name), env, unit=unit)
        return dataclasses.replace(cls(), **changes)


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class _LimitExceeded(Exception):
    """Raised inside the loader; parse_text turns it into a DrafterError."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _depth_problem(file: str, line: int | None, column: int | None, limit: int) -> Problem:
    return Problem(
        f"Tệp YAML lồng nhau quá sâu: hơn {_vn(limit)} tầng danh sách hoặc nhóm khóa "
        f"lồng trong nhau (giới hạn {_vn(limit)} tầng; bản thảo thường chỉ 5 tầng).",
        Position(file, line, column),
        hint="Kiểm tra các dấu '[' '{' và thụt lề; nếu tệp tin cậy và đúng là cần sâu hơn, "
        f"đặt biến môi trường {ENV_VARS['max_depth'][0]} (ví dụ {ENV_VARS['max_depth'][0]}={limit * 2}).",
    )


def _limits_or_problem(limits: YamlLimits | None, file: str) -> YamlLimits:
    if limits is not None:
        return limits
    try:
        return YamlLimits.from_env()
    except ValueError as exc:
        raise DrafterError(Problem(str(exc), Position(file))) from None


@dataclass
class Loaded:
    """Plain data (dict/list/str/int…) plus where each key path was written, and the
    problems found while reading it (text drafter cleaned or refused), each placed."""

    file: str
    data: Any
    origins: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # A batch row (inputs/rows.RowTemplate.apply_made): (the mapping it was made from,
    # every text inside each value the row put in its copy — a rows.Filled, which also
    # holds the values placed and their paths). The row's data is that mapping with only
    # those values placed (the containers on the way copied, nothing else changed), so
    # the XML-character check scans those texts alone, and a table's figures are read
    # from the values placed in it. None: unknown.
    made: tuple[Any, tuple[str, ...]] | None = None

    def position(self, path: KeyPath) -> Position:
        return find_position(self.origins, path, self.file)


def find_position(origins: dict[KeyPath, Position], path: KeyPath, file: str | None) -> Position:
    """The position of the longest prefix of `path` that has one."""
    p = tuple(path)
    while p:
        if p in origins:
            return origins[p]
        p = p[:-1]
    return origins.get((), Position(file))


def key_name(path: KeyPath) -> str:
    """The key path as users read it: `phu_luc[0].bang`.

    >>> key_name(("phu_luc", 0, "bang"))
    'phu_luc[0].bang'
    """
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def key_path(name: str) -> KeyPath:
    """The inverse of :func:`key_name`.

    >>> key_path("van_ban_kem_theo[1].ky.chuc_vu")
    ('van_ban_kem_theo', 1, 'ky', 'chuc_vu')
    """
    return tuple(int(part) if part.isdigit() else part
                 for part in name.replace("[", ".").replace("]", "").split(".") if part)


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DrafterError(
            Problem(
                "Tệp không được lưu theo bảng mã UTF-8.",
                Position(file, line),
                hint="Mở tệp bằng Notepad++ hoặc VS Code và lưu lại với bảng mã UTF-8.",
            )
        ) from None


class _Budget:
    """Values left to expand (aliases make one node count each time it is used)."""

    __slots__ = ("left", "limit")

    def __init__(self, limit: int):
        self.left = self.limit = limit


def _values_problem(position: Position, limit: int) -> Problem:
    var = ENV_VARS["max_values"][0]
    return Problem(
        f"Tệp YAML có quá nhiều giá trị: hơn {_vn(limit)} khóa, mục danh sách và giá trị, "
        "kể cả những phần được lặp lại bằng bí danh (alias, '*tên' trỏ tới '&tên'). "
        "Vài dòng bí danh lồng nhau có thể lặp một phần hàng tỉ lần.",
        position,
        hint="Bỏ các bí danh lồng nhau và viết thẳng giá trị; nếu tệp tin cậy và đúng là cần "
        f"nhiều hơn, đặt biến môi trường {var} (ví dụ {var}={limit * 2}).",
    )


class TypedFloat(float):
    """A number YAML read as a float, with the text as typed: ``1.500`` (which YAML
    reads as 1,5 and a Vietnamese reader as 1500). ``str()`` gives the typed text, so
    a text key keeps what was written and every message shows it, never Python's
    ``1.5``; the number stays a float, which drafter refuses wherever it wants one."""

    typed: str

    def __new__(cls, value: float, typed: str) -> "TypedFloat":
        obj = super().__new__(cls, value)
        obj.typed = typed
        return obj

    def __reduce__(self):  # batch workers receive the loaded draft pickled
        return (TypedFloat, (float(self), self.typed))

    def __str__(self) -> str:
        return self.typed


SYNTAX_PREFIX = "Tệp YAML viết sai cú pháp: "
SYNTAX_HINT = ("Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu ':' sau mỗi khóa, "
               "và đặt văn bản có dấu ':' hoặc '#' trong ngoặc kép.")

# ruamel.yaml's words for a syntax error (its `problem`, or its `context` when the
# problem says nothing a clerk can use), in Vietnamese. The first match wins; a
# problem matched by none is said by the context's entry, else by the last line.
_SYNTAX: list[tuple[re.Pattern, str]] = [(re.compile(pattern), words) for pattern, words in [
    (r"found character '\\t' that cannot start any token", "gặp ký tự Tab; YAML chỉ thụt lề bằng dấu cách"),
    (r"found character '(.)' that cannot start any token",
     "giá trị không được bắt đầu bằng ký tự '{0}'; hãy đặt giá trị trong ngoặc kép"),
    (r"mapping values are not allowed here",
     "gặp dấu ':' ở chỗ không được phép; văn bản có dấu ':' phải đặt trong ngoặc kép "
     "(hoặc dòng này thụt lề sai)"),
    (r"expected ',' or '\]', but got .*", "thiếu dấu ']' đóng danh sách (hoặc dấu ',' giữa hai mục)"),
    (r"expected ',' or '\}', but got .*", "thiếu dấu '}' đóng nhóm (hoặc dấu ',' giữa hai mục)"),
    (r"found unexpected end of stream", "tệp kết thúc khi dấu nháy (' hoặc \") còn chưa đóng"),
    (r"found unexpected document separator", "dấu nháy (' hoặc \") chưa được đóng"),
    (r"while scanning a quoted scalar", "dấu nháy (' hoặc \") chưa được đóng"),
    (r"expected <block end>, but found .*",
     "dòng này thụt lề không thẳng hàng với các dòng cùng nhóm (hoặc trộn dòng '- …' với dòng 'khóa: …')"),
    (r"could not find expected ':'", "thiếu dấu ':' sau tên khóa (hoặc thụt lề sai)"),
    (r"found undefined alias '(.*)'",
     "giá trị bắt đầu bằng '*' bị hiểu là tham chiếu YAML; hãy đặt giá trị trong ngoặc kép"),
    (r"sequence entries are not allowed here",
     "gặp dòng '- …' ở chỗ không được phép: mục danh sách phải thụt lề dưới khóa của nó, "
     "thẳng hàng với các mục khác"),
    (r"mapping keys are not allowed here", "gặp dấu '?' ở chỗ không được phép; hãy đặt giá trị trong ngoặc kép"),
    (r"found unexpected ':'", "dấu ':' trong ngoặc vuông hoặc ngoặc nhọn phải đặt trong ngoặc kép"),
    (r"found unknown escape character .*|expected escape sequence of .*",
     "trong ngoặc kép, dấu '\\' phải viết hai lần ('\\\\'); hoặc dùng ngoặc đơn '…' thay cho ngoặc kép"),
    (r"expected the node content, but found .*",
     "thiếu giá trị ở đây (dấu '-', ',' hoặc ngoặc đặt sai chỗ)"),
    (r"expected chomping or indentation indicators, but found .*|expected a comment or a line break, but found .*"
     r"|expected indentation indicator in the range 1-9, but found 0",
     "sau dấu '|' hoặc '>' không được viết gì trên cùng dòng; văn bản bắt đầu ở dòng dưới, thụt lề"),
    (r"more indented follow up line than first in a block scalar",
     "dòng đầu của đoạn văn bản (sau '|' hoặc '>') phải thụt lề ít nhất bằng các dòng sau"),
    (r"expected a single document in the stream|but found another document",
     "tệp có hai phần cách nhau bằng dòng '---'; bản thảo chỉ có một phần"),
    (r"found non-comment content after document end marker.*|expected '<document start>', but found .*",
     "có nội dung sau dòng '---' hoặc '...' ở chỗ không được phép"),
    (r"found unhashable key", "tên khóa phải là một chữ, không phải danh sách hay nhóm"),
    (r"while scanning an (anchor|alias)",
     "sau dấu '&' hoặc '*' cần một tên; văn bản bắt đầu bằng '&' hoặc '*' phải đặt trong ngoặc kép"),
    (r"while scanning a (directive|tag)|while parsing a tag|found undefined tag handle .*|found duplicate YAML "
     r"directive|found incompatible YAML document.*|duplicate tag handle .*|could not determine a constructor .*",
     "giá trị bắt đầu bằng '%' hoặc '!' phải đặt trong ngoặc kép"),
    (r"special characters are not allowed",
     "tệp có ký tự điều khiển không được phép (thường do chép từ phần mềm khác); hãy xóa ký tự đó"),
    (r".*merging.*", "khóa '<<' (gộp nhóm của YAML) chỉ nhận một nhóm khóa"),
]]
_SYNTAX_UNKNOWN = "có chỗ viết sai ở dòng này (thụt lề, dấu ':' hoặc dấu ngoặc)"


def syntax_words(problem: str | None, context: str | None = None) -> str:
    """ruamel's `problem` (and `context`) said in Vietnamese; never English.

    >>> syntax_words("found character '\\\\t' that cannot start any token")
    'gặp ký tự Tab; YAML chỉ thụt lề bằng dấu cách'
    >>> syntax_words("found character '@' that cannot start any token")
    "giá trị không được bắt đầu bằng ký tự '@'; hãy đặt giá trị trong ngoặc kép"
    >>> syntax_words("something ruamel says one day")
    "có chỗ viết sai ở dòng này (thụt lề, dấu ':' hoặc dấu ngoặc)"
    """
    for text in (problem, context):
        for pattern, words in _SYNTAX:
            m = pattern.fullmatch(text or "")
            if m:
                return words.replace("{0}", m.group(1)) if m.groups() and "{0}" in words else words
    return _SYNTAX_UNKNOWN


def parse_text(text: str, file: str, limits: YamlLimits | None = None) -> Loaded:
    """``text`` read as YAML, within ``limits`` (default: :meth:`YamlLimits.from_env`)."""
    limits = _limits_or_problem(limits, file)
    _check_size(len(text.encode("utf-8")), text, file, limits)
    from . import yamlread  # ruamel.yaml, loaded only when a file is read (parse_cache: seldom)

    return yamlread.parse(text, file, limits)


def _check_size(size: int, text: str | bytes, file: str, limits: YamlLimits) -> None:
    if size <= limits.max_bytes:
        return
    var = ENV_VARS["max_bytes"][0]
    kb = limits.max_bytes // KiB
    head = text[: limits.max_bytes + 1]
    line = head.count(b"\n" if isinstance(head, bytes) else "\n") + 1
    raise DrafterError(
        Problem(
            f"Tệp YAML quá lớn: {_vn(-(-size // KiB))} KB, vượt giới hạn {_vn(kb)} KB "
            f"(từ dòng {line} trở đi). Bản thảo và tệp mẫu thường chỉ vài KB.",
            Position(file, line),
            hint="Đưa bảng lớn ra tệp CSV/Excel riêng (phụ lục); nếu tệp tin cậy và đúng là cần "
            f"lớn hơn, đặt biến môi trường {var} (ví dụ {var}={kb * 2}).",
        )
    )


def load(path: str | Path, limits: YamlLimits | None = None) -> Loaded:
    file = display_path(path)
    limits = _limits_or_problem(limits, file)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # reading below says why
    if size > limits.max_bytes:
        # Read no more than needed to say where the limit falls.
        try:
            with Path(path).open("rb") as f:
                _check_size(size, f.read(limits.max_bytes + 1), file, limits)
        except OSError:
            pass
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DrafterError(Problem("Không tìm thấy tệp.", Position(file))) from None
    except IsADirectoryError:
        raise DrafterError(Problem("Đây là một thư mục, không phải tệp YAML.", Position(file))) from None
    except OSError as exc:
        raise DrafterError(Problem(f"Không đọc được tệp: {read_refusal(exc)}.", Position(file))) from None
    _check_size(len(raw), raw, file, limits)
    # Read once per content (parse_cache): the same bytes, name and limits give the same
    # Loaded; a file that cannot be read is never kept, so its error is said again.
    name = parse_cache.key(file, raw, limits)
    kept = parse_cache.get(name)
    if kept is not None:
        return kept
    loaded = parse_text(_decode(raw, file), file, limits)
    parse_cache.put(name, loaded)
    return loaded
