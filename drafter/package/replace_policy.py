"""The one rule for replacing a file, for every output of every command.

* A file that is not there: written.
* A file that is there: replaced only with ``force`` (``--force``); otherwise
  :class:`OutputExistsError` and the file stays byte for byte.
* A file open in Word or LibreOffice (its lock file beside it), read-only, or not a
  plain file (a folder of that name): never replaced, ``force`` or not.

Word keeps ``~$`` + the name beside a document it holds open, with the name's first
two characters dropped for a long name (``~$ng-van.docx`` for ``cong-van.docx``), one
character for a name of seven, none for a short one; Excel keeps ``~$`` + the whole
name; LibreOffice keeps ``.~lock.`` + the name + ``#``. All of these are looked for.
A lock file matters only while the file it guards exists: a new file is written even
beside a stale lock (nothing can be lost).

Pure library code (no click): :func:`check_replace` is called by the atomic writer
(:mod:`drafter.package.atomic`) and by the publishing step of PDFs and page images,
so no command keeps a check of its own. :func:`write_failure_reason` words an
:class:`OSError` of writing (no permission, full disk, a path too long, a part of the
path that is a file) as a Vietnamese clause.

>>> sorted(lock_names("cong-van.docx"))
['.~lock.cong-van.docx#', '~$cong-van.docx', '~$ng-van.docx', '~$ong-van.docx']
>>> sorted(lock_names("a.pdf"))
['.~lock.a.pdf#', '~$.pdf', '~$a.pdf', '~$pdf']
>>> import errno
>>> write_failure_reason(OSError(errno.ENOSPC, "No space left on device"))
'ổ đĩa đã đầy (hoặc hết hạn mức dung lượng)'
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import OutputExistsError

__all__ = [
    "OutputExistsError",
    "OutputLockedError",
    "OutputNotFileError",
    "OutputReadOnlyError",
    "ReplaceRefused",
    "check_replace",
    "lock_files",
    "lock_names",
    "refusal_parts",
    "write_failure_reason",
]

EXISTS_REASON = "Tệp đã có; drafter không ghi đè."
EXISTS_HINT = "Thêm --force để ghi đè, hoặc chọn tên khác (-o)."


def lock_names(name: str) -> set[str]:
    """The names of the lock files Word, Excel or LibreOffice keep beside ``name``."""
    return {f".~lock.{name}#", f"~${name}", f"~${name[1:]}", f"~${name[2:]}"}


def lock_files(path: str | os.PathLike[str]) -> list[Path]:
    """The lock files present beside ``path`` (sorted; empty when none)."""
    p = Path(path)
    found = []
    for candidate in sorted(lock_names(p.name)):
        lock = p.parent / candidate
        if candidate != p.name and os.path.lexists(lock):
            found.append(lock)
    return found


class ReplaceRefused(OSError):
    """A file that is not replaced whatever the options (open elsewhere, read-only,
    a folder). ``reason`` and ``hint`` are Vietnamese, without the path; ``message``
    (``str()``) is the whole sentence with it."""

    code = errno.EBUSY

    def __init__(self, path: str | os.PathLike[str], reason: str, hint: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        self.hint = hint
        self.message = f"'{self.path}': {reason} {hint}"
        super().__init__(self.code, self.message, self.path)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (_rebuild, (type(self), self.path, self.reason, self.hint))


def _rebuild(cls, path, reason, hint):
    err = ReplaceRefused.__new__(cls)
    ReplaceRefused.__init__(err, path, reason, hint)
    return err


class OutputLockedError(ReplaceRefused):
    """The file is open in Word or LibreOffice (a lock file is beside it)."""

    def __init__(self, path: str | os.PathLike[str], lock: str | os.PathLike[str]) -> None:
        self.lock = os.fspath(lock)
        name = os.path.basename(self.lock)
        super().__init__(
            path,
            f"Tệp đang được mở trong Word hoặc LibreOffice (có tệp khóa '{name}' bên cạnh) nên drafter "
            "không ghi đè, kể cả khi có --force; tệp được giữ nguyên.",
            f"Hãy đóng tệp trong Word/LibreOffice rồi chạy lại (nếu đã đóng mà tệp khóa '{name}' vẫn còn, "
            "hãy xóa tệp khóa đó), hoặc ghi ra tên khác (-o).")

    def __reduce__(self):
        return (type(self), (self.path, self.lock))


class OutputReadOnlyError(ReplaceRefused):
    """The file is marked read-only."""

    code = errno.EACCES

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            path, "Tệp chỉ cho phép đọc (read-only) nên drafter không ghi đè, kể cả khi có --force; "
                  "tệp được giữ nguyên.",
            "Bỏ thuộc tính chỉ đọc của tệp nếu muốn thay nó, hoặc ghi ra tên khác (-o).")

    def __reduce__(self):
        return (type(self), (self.path,))


class OutputNotFileError(ReplaceRefused):
    """A folder (or another non-file) has the output's name."""

    code = errno.EISDIR

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path, "Đây là một thư mục (không phải tệp) nên drafter không ghi vào đó.",
                         "Chọn tên tệp khác (-o).")

    def __reduce__(self):
        return (type(self), (self.path,))


def check_replace(path: str | os.PathLike[str], *, force: bool, follow_link: bool = False) -> None:
    """Whether ``path`` may be written: returns when it may, raises otherwise.

    Raises :class:`OutputLockedError`, :class:`OutputReadOnlyError`,
    :class:`OutputNotFileError` (whatever ``force``), :class:`OutputExistsError`
    (without ``force``). A symlink at ``path`` counts as an existing file; with
    ``follow_link`` the file it points to is checked as well. A name the system
    refuses (too long) raises its OSError, as the writer would.
    """
    target = os.fspath(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        return  # a part of the path is a file: the writer says so
    if stat.S_ISLNK(st.st_mode):
        real = os.path.realpath(target)
        _check_existing(target, None, force)
        if follow_link and real != target and os.path.lexists(real):
            _check_existing(real, os.stat(real), force)
        return
    _check_existing(target, st, force)


def _check_existing(target: str, st: os.stat_result | None, force: bool) -> None:
    locks = lock_files(target)
    if locks:
        raise OutputLockedError(target, locks[0])
    if st is not None:
        if stat.S_ISDIR(st.st_mode) or not stat.S_ISREG(st.st_mode):
            raise OutputNotFileError(target)
        if force and (not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
                      or not os.access(target, os.W_OK)):
            raise OutputReadOnlyError(target)
    if not force:
        raise OutputExistsError(target)


def refusal_parts(exc: BaseException) -> tuple[str, str] | None:
    """(reason, hint) in Vietnamese, without the path, for a refused replacement."""
    if isinstance(exc, ReplaceRefused):
        return exc.reason, exc.hint
    if isinstance(exc, OutputExistsError):
        return EXISTS_REASON, EXISTS_HINT
    return None


_REASONS = {
    errno.EACCES: "không có quyền ghi vào thư mục này",
    errno.EPERM: "không có quyền ghi vào thư mục này",
    errno.EROFS: "ổ đĩa hoặc thư mục chỉ cho phép đọc",
    errno.ENOSPC: "ổ đĩa đã đầy (hoặc hết hạn mức dung lượng)",
    errno.ENOENT: "thư mục không tồn tại",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.EBUSY: "tệp đang được chương trình khác dùng",
    errno.EEXIST: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EIO: "lỗi đọc ghi của ổ đĩa",
    errno.EILSEQ: "tên có ký tự hệ thống tệp không nhận",
    errno.EINVAL: "tên có ký tự hệ thống tệp không nhận",
}
for _name in ("EDQUOT", "ETXTBSY"):
    if hasattr(errno, _name):
        _REASONS[getattr(errno, _name)] = _REASONS[errno.ENOSPC] if _name == "EDQUOT" else _REASONS[errno.EBUSY]

_HINTS = {
    errno.EACCES: "Chọn thư mục khác (ví dụ trong Tài liệu của bạn) hoặc xin quyền ghi vào thư mục này.",
    errno.EROFS: "Chọn thư mục khác (ví dụ trong Tài liệu của bạn).",
    errno.ENOSPC: "Giải phóng chỗ trống trên ổ đĩa rồi chạy lại.",
    errno.ENOENT: "Tạo thư mục trước, hoặc chọn thư mục khác.",
    errno.ENOTDIR: "Kiểm tra lại đường dẫn: tên thư mục trùng với một tệp đã có.",
    errno.ENAMETOOLONG: "Chọn tên tệp, tên thư mục ngắn hơn.",
}
_HINTS[errno.EPERM] = _HINTS[errno.EACCES]
_HINTS[errno.EEXIST] = _HINTS[errno.ENOTDIR]
if hasattr(errno, "EDQUOT"):
    _HINTS[errno.EDQUOT] = _HINTS[errno.ENOSPC]


_IN_FOLDER = {
    errno.EACCES: "không có quyền ghi vào thư mục '{}'",
    errno.EPERM: "không có quyền ghi vào thư mục '{}'",
    errno.EROFS: "thư mục '{}' nằm trên ổ đĩa chỉ cho phép đọc",
    errno.ENOENT: "thư mục '{}' không tồn tại",
}


def write_failure_reason(exc: OSError, folder: str | None = None) -> str:
    """Why a write failed, as a Vietnamese clause (no English system text); ``folder``
    is named where the folder is the cause.

    >>> write_failure_reason(PermissionError(errno.EACCES, "Permission denied"), "ket-qua")
    "không có quyền ghi vào thư mục 'ket-qua'"
    """
    if folder is not None and exc.errno in _IN_FOLDER:
        return _IN_FOLDER[exc.errno].format(folder)
    return _REASONS.get(exc.errno, f"lỗi hệ thống (mã {exc.errno})" if exc.errno else "lỗi hệ thống")


def write_failure_hint(exc: OSError) -> str:
    """What to do about it (Vietnamese)."""
    return _HINTS.get(exc.errno, "Kiểm tra thư mục đích rồi chạy lại.")
