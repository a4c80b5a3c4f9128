"""`check_file`: one .docx in, its findings out; a file drafter cannot read is a DrafterError.

The package is opened only through :mod:`drafter.package` (bounded zip reading,
hardened XML parsing), so a hostile file ends as a Vietnamese message, never as a
crash, a hang or a read of some other file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.package.errors import PackageError

from .model import Finding
from .reader import TooLarge, read_docx
from .rules import check_document


@dataclass
class FileReport:
    """One checked file's findings."""

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


# Below this many files a second process costs more than it saves (about 20 ms a file).
_PARALLEL_FROM = 8


def _checked(path: str) -> tuple[str, FileReport | Problem]:
    try:
        return "ok", check_file(path)
    except DrafterError as exc:
        return "unreadable", exc.problems[0]


def _checked_chunk(paths: list[str]) -> list[tuple[str, FileReport | Problem]]:
    return [_checked(p) for p in paths]


def check_files(paths: Sequence[str], jobs: int | None = None) -> Iterator[tuple[str, FileReport | Problem]]:
    """Each file's report (or the problem that kept it unread), in the order given.

    Many files are checked on every core (``jobs``: processes; None for one per core):
    each file is read and checked on its own, so workers share nothing but the code,
    forked once. Where fork is not available the files are checked one by one."""
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(paths) < _PARALLEL_FROM:
        yield from map(_checked, paths)
        return
    import multiprocessing as mp  # only for many files: its import costs a one-file check ~10 ms

    if "fork" not in mp.get_all_start_methods():
        yield from map(_checked, paths)
        return
    from .. import workpool

    pool = workpool.fork_pool(min(jobs, len(paths)))
    try:
        # The files in chunks of our own: imap's chunksize wraps its results in a generator,
        # which gives no way to wait for the next one with a timeout (workpool.watched).
        size = max(1, len(paths) // (jobs * 4))
        chunks = [list(paths[i:i + size]) for i in range(0, len(paths), size)]
        for done in workpool.watched(pool, pool.imap(_checked_chunk, chunks)):
            yield from done
    except workpool.WorkerLost:
        workpool.abandon(pool)
        raise DrafterError(Problem(
            "Một tiến trình kiểm tra (-j) bị dừng đột ngột giữa chừng, thường do máy hết bộ nhớ; các tệp "
            "sau đó chưa được kiểm tra.", hint="Chạy lại lệnh, với -j nhỏ hơn nếu máy thiếu bộ nhớ.")) from None
    except BaseException:  # Ctrl-C reaches the workers too: see workpool.abandon
        workpool.abandon(pool)
        raise
    pool.close()
    pool.join()
