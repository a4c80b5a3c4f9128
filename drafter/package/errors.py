"""Errors of the package (zip) layer, with Vietnamese messages for office staff.

Each error is a value: a machine-readable ``reason_code``, the file and part it is
about, an English ``detail`` for logs, and a Vietnamese ``message`` (``str(error)``)
that says what is wrong *and what to do*. All errors pickle, so batch workers can
send them back to the parent process.
"""

from __future__ import annotations

import errno as _errno
import os
from typing import Any

__all__ = [
    "PackageError",
    "REASON_CODES",
    "OutputExistsError",
    "OutputWriteError",
    "UnsafePathError",
]

_RESAVE = (
    "Hãy mở tệp bằng Microsoft Word rồi chọn «Lưu thành» (Save As), "
    "kiểu «Tài liệu Word (*.docx)», và dùng tệp vừa lưu."
)

# reason code -> (default clause, default advice)
REASON_CODES: dict[str, tuple[str, str]] = {
    "not-zip": (
        "không phải là tệp Word (.docx) hợp lệ: không đọc được dạng nén zip",
        _RESAVE,
    ),
    "truncated": (
        "bị cắt cụt hoặc chưa tải/sao chép xong: thiếu phần cuối của dạng nén zip",
        "Hãy tải hoặc sao chép lại tệp từ bản gốc; nếu vẫn lỗi, mở bằng Word "
        "rồi «Lưu thành» (Save As) một tệp .docx mới.",
    ),
    "corrupt": (
        "bị hỏng: cấu trúc nén zip không nhất quán",
        "Hãy mở tệp bằng Word (Word sẽ đề nghị khôi phục nếu có thể) rồi "
        "«Lưu thành» (Save As) một tệp .docx mới.",
    ),
    "too-large": (
        "quá lớn để xử lý an toàn",
        "Nếu tệp có nguồn gốc tin cậy, có thể nâng giới hạn bằng biến môi trường "
        "đã nêu (DRAFTER_MAX_...); nếu không rõ nguồn gốc, đừng dùng tệp này.",
    ),
    "too-many-parts": (
        "chứa quá nhiều phần bên trong (tài liệu Word thông thường chỉ có vài chục phần)",
        "Hãy kiểm tra nguồn gốc tệp; nếu tệp tin cậy, có thể nâng giới hạn bằng "
        "biến môi trường DRAFTER_MAX_PARTS.",
    ),
    "unsafe-name": (
        "chứa phần có tên không an toàn",
        "drafter từ chối xử lý tệp này. Nếu tệp có nguồn gốc tin cậy, hãy mở bằng "
        "Word rồi «Lưu thành» (Save As) một tệp .docx mới.",
    ),
    "missing-part": (
        "thiếu phần bắt buộc nên không phải là tài liệu Word hợp lệ",
        _RESAVE,
    ),
    "bad-xml": (
        "không phải XML hợp lệ",
        _RESAVE,
    ),
    "entity": (
        "chứa khai báo DOCTYPE/ENTITY. Word không bao giờ ghi loại khai báo này, "
        "và nó có thể bị lợi dụng để đọc trộm tệp trên máy hoặc làm treo chương trình",
        "drafter từ chối xử lý; hãy dùng bản gốc do Word tạo ra, hoặc mở bằng Word "
        "rồi «Lưu thành» (Save As) một tệp .docx mới.",
    ),
    "encrypted": (
        "được đặt mật khẩu (mã hóa) nên không đọc được nội dung",
        "Hãy mở tệp bằng Word, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ tài liệu → "
        "Mã hóa bằng mật khẩu, để trống rồi OK) và lưu lại.",
    ),
    "unsupported": (
        "dùng kiểu nén mà drafter không hỗ trợ",
        _RESAVE,
    ),
    "bad-limit": (
        "chưa được mở vì một giới hạn đặt bằng biến môi trường không hợp lệ",
        "Hãy sửa hoặc xóa biến môi trường DRAFTER_MAX_... đó rồi chạy lại "
        "(xem docs/limits.md).",
    ),
    "unreadable": (
        "không mở được để đọc",
        "Hãy kiểm tra lại tên và đường dẫn tệp, và quyền đọc tệp.",
    ),
}


# Reasons about the package as a whole: the message names the file, not the part.
_FILE_SUBJECT = {"unsafe-name", "missing-part", "too-many-parts", "encrypted", "not-zip",
                 "truncated", "unreadable", "bad-limit"}


def _subject(path: str | None, part: str | None) -> str:
    if part is not None and path is not None:
        return f"Phần '{part}' trong tệp '{path}'"
    if part is not None:
        return f"Phần '{part}'"
    if path is not None:
        return f"Tệp '{path}'"
    return "Tệp"


class PackageError(Exception):
    """A .docx package that drafter refuses to read or write.

    Attributes:
        reason_code: one of :data:`REASON_CODES` ("not-zip", "truncated", "corrupt",
            "too-large", "too-many-parts", "unsafe-name", "missing-part", "bad-xml",
            "entity", "encrypted", "unsupported", "unreadable", "bad-limit").
        path: the package file as the caller named it (``None`` for bytes).
        part: the part name concerned, if any (e.g. ``word/document.xml``).
        message: the Vietnamese message shown to the user (also ``str(error)``).
        detail: an English technical detail for logs; never shown as the message.
    """

    def __init__(
        self,
        reason_code: str,
        *,
        path: str | os.PathLike[str] | None = None,
        part: str | None = None,
        why: str | None = None,
        advice: str | None = None,
        detail: str | None = None,
        message: str | None = None,
    ) -> None:
        if reason_code not in REASON_CODES:
            raise ValueError(f"unknown reason code {reason_code!r}")
        self.reason_code = reason_code
        self.path = None if path is None else os.fspath(path)
        self.part = part
        self.detail = detail
        if message is None:
            clause, default_advice = REASON_CODES[reason_code]
            message = (
                f"{_subject(self.path, None if reason_code in _FILE_SUBJECT else part)} "
                f"{why or clause}. "
                f"{advice or default_advice}"
            )
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"PackageError({self.reason_code!r}, path={self.path!r}, part={self.part!r}, "
            f"detail={self.detail!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_package_error,
            (self.reason_code, self.path, self.part, self.detail, self.message),
        )


def _rebuild_package_error(
    reason_code: str, path: str | None, part: str | None, detail: str | None, message: str
) -> PackageError:
    return PackageError(reason_code, path=path, part=part, detail=detail, message=message)


class OutputExistsError(FileExistsError):
    """The output file exists and the caller did not ask to overwrite it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.message = (
            f"Tệp '{self.path}' đã có sẵn nên drafter không ghi đè. "
            "Hãy chọn tên tệp khác, hoặc thêm tùy chọn --force để ghi đè lên tệp cũ."
        )
        super().__init__(_errno.EEXIST, self.message, self.path)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path,))


class OutputWriteError(OSError):
    """Writing an output file failed (permissions, missing folder, full disk...).

    ``errno`` is the one of the underlying :class:`OSError`; ``__cause__`` is it.
    """

    def __init__(self, path: str | os.PathLike[str], err: OSError) -> None:
        self.path = os.fspath(path)
        folder = os.path.dirname(self.path) or "."
        code = err.errno
        if code in (_errno.EACCES, _errno.EPERM, _errno.EROFS):
            why = (
                f"thư mục '{folder}' không cho phép ghi. Hãy chọn thư mục khác "
                "(ví dụ trong Tài liệu của bạn) hoặc xin quyền ghi vào thư mục này."
            )
        elif code == _errno.ENOENT:
            why = f"thư mục '{folder}' không tồn tại. Hãy tạo thư mục trước hoặc chọn thư mục khác."
        elif code == _errno.ENOSPC:
            why = "ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại."
        else:  # the system's own words are English: a Vietnamese clause for each errno
            from .replace_policy import write_failure_hint, write_failure_reason

            why = f"{write_failure_reason(err)}. {write_failure_hint(err)}"
        self.message = f"Không ghi được tệp '{self.path}': {why}"
        super().__init__(code, self.message, self.path)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_output_write_error, (self.path, self.errno, self.message))


def _rebuild_output_write_error(path: str, code: int | None, message: str) -> OutputWriteError:
    err = OutputWriteError(path, OSError(code, message))
    err.message = message
    return err


class UnsafePathError(ValueError):
    """A computed output path would land outside the folder it must stay in."""

    def __init__(self, base_dir: str | os.PathLike[str], candidate: str | os.PathLike[str]) -> None:
        self.base_dir = os.fspath(base_dir)
        self.candidate = os.fspath(candidate)
        self.message = (
            f"Đường dẫn '{self.candidate}' nằm ngoài thư mục '{self.base_dir}' nên "
            "drafter không ghi vào đó. Hãy dùng tên tệp đơn giản (không có '..', "
            "không bắt đầu bằng '/' hay ổ đĩa như 'C:')."
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.base_dir, self.candidate))
