"""Problems found in user files, as values with positions until the CLI prints them.

Every message is in Vietnamese and says where (file:line:column), which key, what
was expected and what was found, and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Position:
    """Where a problem is: file, line and column (1-based), as an editor shows them."""

    file: str | None = None
    line: int | None = None  # 1-based, as editors show it
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        """``file:line:column``; empty when there is no file (a command-line value)."""
        if not self.file:
            return ""
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One mistake or warning, in Vietnamese, at its position and key, with a hint."""

    message: str
    position: Position = field(default_factory=Position)
    key: str | None = None
    hint: str | None = None
    severity: str = ERROR

    def format(self) -> str:
        label = "lỗi" if self.severity == ERROR else "cảnh báo"
        key = f" [{self.key}]" if self.key else ""
        hint = f"\n    → {self.hint}" if self.hint else ""
        where = str(self.position)
        if not where:  # the line starts with the label: "Lỗi [SỐ]: …"
            return f"{label.capitalize()}{key}: {self.message}{hint}"
        return f"{where}: {label}{key}: {self.message}{hint}"

    def at(self, position: Position, key: str | None = None) -> "Problem":
        """The same problem, placed. Rules and derive say what is wrong (and at which
        key of the draft); the validation stage, which knows the files, says where."""
        return replace(self, position=position, key=self.key if key is None else key)

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "file": self.position.file,
            "line": self.position.line,
            "column": self.position.column,
            "key": self.key,
            "message": self.message,
            "hint": self.hint,
        }


def warning(message: str, key: str | None = None, hint: str | None = None) -> Problem:
    return Problem(message, key=key, hint=hint, severity=WARNING)


def ordered(problems: list[Problem], files: list[str] | None = None) -> list[Problem]:
    """Errors before warnings, each group by position: the files in the order given
    (the draft, then its presets and sheets), then line and column."""
    rank = {f: i for i, f in enumerate(files or [])}

    def key(p: Problem):
        pos = p.position
        return (p.severity != ERROR, rank.get(pos.file, len(rank)), pos.file or "", pos.line or 0, pos.column or 0)

    return sorted(problems, key=key)


class DrafterError(Exception):
    """One or more problems that stop the work; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def read_refusal(exc: OSError) -> str:
    """Why a file could not be read, in Vietnamese (never the system's English
    strerror, "Permission denied").

    >>> import errno
    >>> read_refusal(PermissionError(errno.EACCES, "Permission denied"))
    'không có quyền đọc tệp này'
    >>> read_refusal(OSError(errno.EIO, "Input/output error"))
    'hệ thống tệp từ chối (mã lỗi 5)'
    """
    import errno

    return {
        errno.EACCES: "không có quyền đọc tệp này",
        errno.EPERM: "không có quyền đọc tệp này",
        errno.ENOENT: "không tìm thấy tệp",
        errno.EISDIR: "đây là một thư mục, không phải tệp",
        errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
        errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
        errno.ELOOP: "đường dẫn là một vòng liên kết (symlink)",
        errno.EIO: "hệ thống tệp từ chối (mã lỗi 5)",
    }.get(exc.errno, f"hệ thống tệp từ chối (mã lỗi {exc.errno})")


def typed_text(value) -> str:
    """A value as the user typed it, for messages: ``1.500`` for a YAML float, ``true``
    for a YAML boolean.

    >>> from drafter.inputs.yamlfile import TypedFloat
    >>> typed_text(TypedFloat(1.5, "1.500")), typed_text(True), typed_text(8287)
    ('1.500', 'true', '8287')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def found_words(found) -> str:
    """What was found where another kind of value was wanted, in a clerk's words.

    >>> found_words(None), found_words({"a": 1}), found_words([1]), found_words(8287)
    ('đang để trống', 'gặp một nhóm khóa con', 'gặp một danh sách', "gặp '8287'")
    """
    if found is None or (isinstance(found, str) and not found.strip()):
        return "đang để trống"
    if isinstance(found, dict):
        return "gặp một nhóm khóa con"
    if isinstance(found, list):
        return "gặp một danh sách"
    return f"gặp '{typed_text(found)}'"


def display_path(path: str | Path) -> str:
    """A path as the user typed it if relative to the current folder, else absolute."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
