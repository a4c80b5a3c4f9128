"""What every command shares: click's context settings, printing problems, and turning
errors into Vietnamese messages and exit codes.

Exit codes: 0 success; 1 a problem in the user's input or files (printed in
Vietnamese with file, line and key), or Ctrl-C ("Đã dừng theo yêu cầu."); 2 wrong
command-line usage (click's own, in Vietnamese: cli/vietnamese.py). `drafter batch`
stopped by a signal: 128 + its number (130 for Ctrl-C), as a shell reports it.
"""

from __future__ import annotations

import os
import sys
from functools import wraps

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def import_paused_gc(module: str, *, freeze: bool = False):
    """``importlib.import_module(module)`` with Python's cycle collector paused: the
    imports of a command (pydantic building the draft's model, above all) make many
    objects and hardly any garbage, and collecting while they grow is some 6% of a
    render. Only the import: a long command (batch) collects as usual.

    ``freeze``: what the import made is then moved out of the collector's sight
    (``gc.freeze``) instead of being walked by its first collections once it runs
    again (all of it young, the collector paused): for a command that ends after its
    document or files (render: 1.7% of its instructions; check). The import's own
    garbage cycles (some thousands of objects) are kept until the process ends."""
    import gc
    import importlib

    if not gc.isenabled():
        return importlib.import_module(module)
    gc.disable()
    try:
        found = importlib.import_module(module)
        if freeze:
            gc.freeze()
        return found
    finally:
        gc.enable()


def print_problems(problems) -> None:
    """Each problem on its own line(s) of stderr, as Problem.format() words it."""
    for p in problems:
        click.echo(p.format(), err=True)


def handle_errors(fn):
    """Turn DrafterError into its Vietnamese messages and exit code 1, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        # drafter.errors is imported here, not at the top: `drafter --help` loads no library module.
        from ..errors import DrafterError

        try:
            _check_output_paths(kwargs)
            return fn(*args, **kwargs)
        except DrafterError as exc:
            _report(exc, kwargs.get("as_json"))
        except BrokenPipeError:  # output piped into `head` and the like: not an error of ours
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:  # Ctrl-C: an ordinary event, not a fault
            click.echo("\nĐã dừng theo yêu cầu.", err=True)
            sys.exit(1)
        except click.exceptions.ClickException:
            raise
        except Exception as exc:  # an unexpected fault: say so plainly, keep the detail for us
            problem = _path_error(exc)
            if problem is None and isinstance(exc, OSError):
                # an ordinary event of files (refused replacement, no permission, a folder
                # that is a file…): the one plain message, with the path; never "Lỗi nội bộ"
                from ..output_problems import os_problem

                problem = os_problem(exc)
            if problem is not None:  # a path the file system refused: the one path message
                _report(DrafterError(problem), kwargs.get("as_json"))
            if os.environ.get("DRAFTER_DEBUG"):
                import traceback

                traceback.print_exc()
            click.echo(
                f"Lỗi nội bộ của drafter ({type(exc).__name__}: {exc}). "
                "Hãy gửi tệp bản thảo cho người quản trị; chạy lại với DRAFTER_DEBUG=1 để xem chi tiết.",
                err=True,
            )
            sys.exit(1)

    return wrapper


def refuse(exc, as_json, closing: str) -> None:
    """A DrafterError's problems (JSON, or stderr followed by the command's own closing
    line: what was not done), then exit 1."""
    if as_json:
        import json

        click.echo(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]},
                              ensure_ascii=False, indent=2))
    else:
        print_problems(exc.problems)
        click.echo(closing, err=True)
    sys.exit(1)


def _report(exc, as_json) -> None:
    """A DrafterError of a command making a document: its problems, then exit 1."""
    n = len(exc.errors)
    refuse(exc, as_json, f"Có {n} lỗi; chưa tạo được văn bản." if n > 1 else "Chưa tạo được văn bản.")


_OUTPUT_OPTIONS = ("output", "out_dir")  # the -o of render, appendix, batch, pdf, preview


def _check_output_paths(kwargs: dict) -> None:
    """A -o path too long or with bad characters: the same message for every command,
    before anything is read or written (``drafter new -o`` checks its name itself).
    Its modules are imported only for a command given one (`drafter check` needs neither)."""
    for option in _OUTPUT_OPTIONS:
        value = kwargs.get(option)
        if isinstance(value, str):
            from ..errors import DrafterError
            from ..rules.filenames import path_problem

            problem = path_problem(value)
            if problem is not None:
                raise DrafterError(problem)


def _path_error(exc: BaseException):
    """The path message for an OSError the file system raised for a path (name too
    long, illegal byte sequence), the full-disk message (a manifest, a folder: any
    write that meets a full disk outside the writers that say so themselves), or None."""
    import errno

    from ..rules.filenames import refused_path_problem

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        from ..errors import Position, Problem

        where = Position(shown(getattr(exc, "path", None) or exc.filename)) if exc.filename else Position()
        return Problem("Không ghi được tệp: ổ đĩa đã đầy (hoặc hết hạn mức dung lượng).", where,
                       hint="Giải phóng chỗ trống rồi chạy lại; với drafter batch, thêm --resume để "
                            "không tạo lại các văn bản đã có.")
    if not isinstance(exc, OSError) or exc.errno not in (errno.ENAMETOOLONG, errno.EILSEQ):
        return None
    return refused_path_problem(exc.filename)


def fail(message: str, as_json: bool) -> None:
    """A failure that is no DrafterError (a PdfError, say): its message as one problem
    without position, in JSON or on stderr; exit 1."""
    if as_json:
        import json

        problem = {"severity": "error", "file": None, "line": None, "column": None,
                   "key": None, "message": message, "hint": None}
        click.echo(json.dumps({"ok": False, "problems": [problem]}, ensure_ascii=False, indent=2))
    else:
        click.echo(message, err=True)
    sys.exit(1)


def shown(path) -> str:
    """A path as the user would type it (relative to the current folder when inside it)."""
    from ..errors import display_path

    return display_path(path)
