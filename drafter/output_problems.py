"""Writing outputs, as problems a clerk reads: the replace rule checked for a command's
outputs before any is written, and any failure of writing (a refused replacement, no
permission, a full disk, a path too long) as one Vietnamese :class:`Problem` naming
the file.

The rule itself is :func:`drafter.package.replace_policy.check_replace`; this module
only words its refusals (and the writers' errors) in the shape every command prints.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from .errors import DrafterError, Position, Problem, display_path
from .package.atomic import FolderWriteError, OutputIncompleteError
from .package.replace_policy import (
    ReplaceRefused,
    check_replace,
    refusal_parts,
    write_failure_hint,
    write_failure_reason,
)

__all__ = ["check_outputs", "os_problem", "refusal_text", "write_problem"]


def write_problem(exc: OSError, path: str | os.PathLike[str] | None = None, *, key: str | None = None,
                  kept: str | None = None) -> Problem:
    """The one message for an output that was not written. ``path`` is the output
    when the exception does not name it; ``kept`` is added to the message (for
    example "Tệp gốc được giữ nguyên.")."""
    from .rules.filenames import refused_path_problem

    where = getattr(exc, "path", None) or exc.filename or path
    tail = f" {kept}" if kept else ""
    parts = refusal_parts(exc)
    if parts is not None:
        reason, hint = parts
        return Problem(reason + tail, Position(display_path(where)) if where else Position(), key=key, hint=hint)
    if isinstance(exc, OutputIncompleteError):
        return Problem(exc.message + tail, Position(display_path(where)) if where else Position(), key=key)
    if exc.errno in (errno.ENAMETOOLONG, errno.EILSEQ):
        return refused_path_problem(where or "", key or "-o")
    position = Position(display_path(where)) if where else Position()
    if isinstance(exc, FolderWriteError):
        return Problem(f"Không tạo được thư mục: {write_failure_reason(exc)}.{tail}", position, key=key,
                       hint=write_failure_hint(exc))
    folder = None
    if where:
        parent = os.path.dirname(os.path.abspath(os.fspath(where)))
        folder = display_path(parent)
        folder = parent if folder in (".", "") else folder  # "thư mục '.'" says nothing to a clerk
    reason = write_failure_reason(exc, folder)
    return Problem(f"Không ghi được tệp: {reason}.{tail}", position, key=key, hint=write_failure_hint(exc))


def refusal_text(exc: OSError) -> str:
    """A write failure as one sentence naming the file (for lists of failures such as
    a batch's rows or the PDFs of many documents)."""
    p = write_problem(exc)
    where = f"{p.position.file}: " if p.position.file else ""
    return f"{where}{p.message}" + (f" {p.hint}" if p.hint else "")


def check_outputs(paths: Iterable[str | os.PathLike[str]], *, force: bool, key: str | None = None,
                  follow_link: bool = False) -> None:
    """Every output a command is about to write may be written (the replace rule),
    checked before anything is: DrafterError naming each one that may not."""
    problems = []
    for path in paths:
        try:
            check_replace(Path(path), force=force, follow_link=follow_link)
        except (ReplaceRefused, FileExistsError) as exc:
            problems.append(write_problem(exc, path, key=key))
    if problems:
        raise DrafterError(problems)


def os_problem(exc: OSError) -> Problem:
    """Any OSError that reached a command: a write the writers did not word themselves
    (:func:`write_problem`), or another file operation, in plain Vietnamese with the
    path; never an internal error."""
    from .package.errors import OutputWriteError

    if (isinstance(exc, (OutputWriteError, ReplaceRefused, FileExistsError))
            or exc.errno in (errno.ENOSPC, errno.EROFS, errno.ENAMETOOLONG, errno.EILSEQ)
            or (hasattr(errno, "EDQUOT") and exc.errno == errno.EDQUOT)):
        return write_problem(exc)
    where = exc.filename
    position = Position(display_path(where)) if where else Position()
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Problem("drafter không có quyền đọc hoặc ghi tệp, thư mục này.", position,
                       hint="Xin quyền truy cập, hoặc chép tệp vào thư mục của bạn (ví dụ Tài liệu) rồi chạy lại.")
    return Problem(f"Không đọc hoặc ghi được tệp: {write_failure_reason(exc)}.", position,
                   hint=write_failure_hint(exc))
