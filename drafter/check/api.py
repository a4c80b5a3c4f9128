"""`check_file`: one .docx in, its findings out; a file drafter cannot read is a DrafterError.

The package is opened only through :mod:`drafter.package` (bounded zip reading,
hardened XML parsing), so a hostile file ends as a Vietnamese message, never as a
crash, a hang or a read of some other file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.package.errors import PackageError

from .model import Finding
from .reader import TooLarge, read_docx
from .rules import check_document


@dataclass
class FileReport:
    file: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)


def check_file(path: str | os.PathLike[str]) -> FileReport:
    """Read and check one .docx. Raises DrafterError (Vietnamese) when it cannot be read."""
    label = display_path(path)
    if not Path(path).is_file() and Path(path).exists():
        raise DrafterError(Problem("Đây là một thư mục, không phải tệp Word (.docx).", Position(label)))
    try:
        doc = read_docx(Path(path), name=label)
    except PackageError as exc:
        raise DrafterError(Problem(exc.message, Position(label), key=exc.reason_code)) from None
    except TooLarge as exc:
        raise DrafterError(Problem(exc.message, Position(label), key="too-large")) from None
    except RecursionError:
        raise DrafterError(Problem(
            "Tệp có cấu trúc lồng nhau quá sâu (bảng trong bảng…) nên drafter không đọc được. "
            "Hãy mở bằng Word rồi «Lưu thành» (Save As) một tệp .docx mới.", Position(label))) from None
    return FileReport(label, check_document(doc))
