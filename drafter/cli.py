"""The `drafter` command: click commands only — arguments in, one API call, output
and exit code out. Heavy modules are imported inside commands so `--help` is quick.

Exit codes: 0 success; 1 a problem in the user's input or files (printed in
Vietnamese with file, line and key); 2 wrong command-line usage (click's own).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from functools import wraps
from pathlib import Path

import click

from . import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _print_problems(problems, *, as_json: bool = False) -> None:
    if as_json:
        return
    for p in problems:
        click.echo(p.format(), err=True)


def handle_errors(fn):
    """Turn DrafterError into its Vietnamese messages and exit code 1, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from .errors import DrafterError

        try:
            return fn(*args, **kwargs)
        except DrafterError as exc:
            if kwargs.get("as_json"):
                click.echo(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]},
                                      ensure_ascii=False, indent=2))
            else:
                _print_problems(exc.problems)
                n = len(exc.errors)
                click.echo(f"Có {n} lỗi; chưa tạo được văn bản." if n > 1 else "Chưa tạo được văn bản.", err=True)
            sys.exit(1)
        except BrokenPipeError:  # output piped into `head` and the like: not an error of ours
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("Đã dừng theo yêu cầu.", err=True)
            sys.exit(130)
        except click.exceptions.ClickException:
            raise
        except Exception as exc:  # an unexpected fault: say so plainly, keep the detail for us
            if os.environ.get("DRAFTER_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"Lỗi nội bộ của drafter ({type(exc).__name__}: {exc}). "
                "Hãy gửi tệp bản thảo cho người quản trị; chạy lại với DRAFTER_DEBUG=1 để xem chi tiết.",
                err=True,
            )
            sys.exit(1)

    return wrapper


def _warn(problems) -> None:
    for p in problems:
        click.echo(p.format(), err=True)


# Commands that live beside the code they drive; loaded only when named. Their one-line
# help is kept here so that `drafter --help` imports none of them (a test keeps the two
# in step with each command's own docstring).
LAZY_COMMANDS = {
    "presets": ("drafter.presets_cli:presets",
                "Các mẫu dùng chung (cơ quan, người ký, nhóm nơi nhận): xem, kiểm tra, sao chép."),
    "check": ("drafter.check.command:check",
              "Kiểm tra thể thức các văn bản Word (.docx) theo Nghị định 30/2020/NĐ-CP."),
    "pdf": ("drafter.pdf:pdf_command", "Chuyển văn bản Word (.docx) sang PDF bằng LibreOffice."),
    "preview": ("drafter.pdf:preview_command", "Xem trước BẢN_THẢO.yaml: mỗi trang văn bản thành một ảnh PNG."),
    "batch": ("drafter.batch:batch_command",
              "Tạo một văn bản cho mỗi hàng của DỮ_LIỆU (hoặc mỗi xã, phường với --units)."),
    "appendix": ("drafter.appendix:appendix_command",
                 "Tạo lại các bảng phụ lục trong VĂN_BẢN.docx (do drafter tạo, đã sửa bằng Word) "
                 "theo số liệu mới của BẢN_THẢO.yaml."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx, name):
        cmd = super().get_command(ctx, name)
        if cmd is not None or name not in LAZY_COMMANDS:
            return cmd
        import importlib

        module, _, attr = LAZY_COMMANDS[name][0].partition(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        """click's command list, with the static one-line helps: no lazy module is imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            cmd = super().get_command(ctx, name)
            if cmd is not None:
                rows.append((name, cmd.get_short_help_str(limit)))
            else:
                # A stand-in command shortens the static help exactly as click shortens any.
                rows.append((name, click.Command(name, help=LAZY_COMMANDS[name][1]).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="drafter")
def main() -> None:
    """drafter — soạn thảo văn bản hành chính theo Nghị định 30/2020/NĐ-CP.

    Từ tệp bản thảo YAML và các mẫu dùng chung (cơ quan, người ký, nơi nhận),
    drafter tạo văn bản Word (.docx) đúng thể thức: quốc hiệu, số ký hiệu,
    ngày tháng, V/v, Kính gửi, Nơi nhận, chữ ký.

    Bắt đầu: drafter new cong-van   (rồi sửa cong-van.yaml và chạy drafter render cong-van.yaml)
    """


@main.command(context_settings=CONTEXT)
@click.argument("loai", metavar="LOẠI")
@click.option("--preset", "-p", default=None, metavar="TÊN",
              help="Mẫu dùng chung của cơ quan (mặc định: mẫu minh họa 'demo'). Xem: drafter presets.")
@click.option("-o", "--output", "name", default=None, metavar="TÊN",
              help="Tên tệp (không đuôi): ghi TÊN.yaml và TÊN.docx. Mặc định: tên loại văn bản.")
@click.option("--no-input", is_flag=True, help="Không hỏi gì (dùng trong kịch bản tự động).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def new(loai: str, preset: str | None, name: str | None, no_input: bool, force: bool, as_json: bool) -> None:
    """Tạo bản thảo mới LOẠI (cong-van, quyet-dinh, chi-thi…) và văn bản Word của nó.

    Ghi TÊN.yaml (bản thảo có sẵn ghi chú từng khóa) và TÊN.docx. Trên màn hình
    lệnh, drafter hỏi trích yếu và nơi nhận; --no-input để không hỏi.
    """
    from . import newdraft

    interactive = not no_input and sys.stdin.isatty() and not as_json
    answers = newdraft.ask(loai, click.prompt) if interactive else {}
    result = newdraft.create(loai, preset=preset, name=name, force=force, **answers)
    if as_json:
        click.echo(json.dumps({"ok": True, "draft": str(result.draft), "docx": str(result.output),
                               "warnings": [w.as_dict() for w in result.warnings]}, ensure_ascii=False, indent=2))
        return
    _warn(result.warnings)
    from .errors import display_path

    click.echo(f"Đã tạo bản thảo: {display_path(result.draft)}")
    click.echo(f"Đã tạo văn bản: {display_path(result.output)}")
    click.echo(f"Sửa {display_path(result.draft)} rồi chạy: drafter render {display_path(result.draft)} --force")


@main.command(context_settings=CONTEXT)
@click.argument("draft", metavar="BẢN_THẢO.yaml", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=None, metavar="TỆP.docx", help="Tệp kết quả (mặc định: cạnh bản thảo, đuôi .docx).")
@click.option("--force", is_flag=True, help="Ghi đè tệp kết quả đã có.")
@click.option("--pdf", is_flag=True, help="Tạo thêm tệp PDF cạnh văn bản (cần LibreOffice).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def render(draft: str, output: str | None, force: bool, pdf: bool, as_json: bool) -> None:
    """Tạo văn bản Word từ BẢN_THẢO.yaml (sau khi sửa bản thảo)."""
    from . import api

    result = api.render_file(draft, output, force=force)
    pdfs, pdf_errors = _pdf_beside([result.output]) if pdf else ([], [])
    if as_json:
        click.echo(json.dumps({"ok": not pdf_errors, "docx": str(result.output), "pdf": [str(p) for p in pdfs],
                               "pdf_errors": pdf_errors,
                               "warnings": [w.as_dict() for w in result.warnings]}, ensure_ascii=False, indent=2))
    else:
        _warn(result.warnings)
        click.echo(f"Đã tạo văn bản: {result.output}")
        for p in pdfs:
            click.echo(f"Đã tạo PDF: {p}")
        for e in pdf_errors:
            click.echo(e, err=True)
    if pdf_errors:
        sys.exit(1)


def _pdf_beside(docs: list) -> tuple[list, list[str]]:
    """PDFs beside the documents in one LibreOffice run: (written, Vietnamese errors).
    The .docx files stay whatever happens to their PDFs."""
    from . import pdf as pdf_mod

    try:
        conv = pdf_mod.render_pdf_beside(docs)
    except pdf_mod.PdfError as exc:
        return [], [f"Văn bản Word đã tạo, nhưng chưa tạo được PDF: {exc}"]
    return conv.written, [f"Không tạo được PDF cho {p}: {why}" for p, why in conv.failed.items()]


@main.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In danh sách dạng JSON.")
def types(as_json: bool) -> None:
    """Liệt kê các loại văn bản: mã dùng trong bản thảo, tên loại, chữ viết tắt."""
    from .rules import doctypes

    rows = [{"loai": t.slug, "ten": t.name, "viet_tat": t.abbr or "", "mau": t.layout} for t in doctypes.TYPES]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r["loai"]) for r in rows)
    for r in rows:
        click.echo(f"{r['loai']:<{width}}  {r['viet_tat'] or '—':<4}  {r['ten']}")


@main.command(context_settings=CONTEXT)
@click.argument("number", metavar="SỐ")
@click.option("--dong/--no-dong", default=False, help="Đọc thành số tiền: 'Bằng chữ: … đồng.'")
@click.option("--le", "zero_tens", flag_value="lẻ", default=None, help="Đọc số 0 hàng chục là 'lẻ' (mặc định 'linh').")
@click.option("--bon", "four", flag_value="bốn", default=None, help="Đọc số 4 hàng đơn vị là 'bốn' (mặc định 'tư').")
@handle_errors
def words(number: str, dong: bool, zero_tens: str | None, four: str | None) -> None:
    """In cách đọc SỐ bằng chữ: 8374000000, 8.374.000.000, 12,5, -5."""
    from .errors import DrafterError, Problem
    from .rules import numbers, words as w

    try:
        value = numbers.parse_number(number)
    except ValueError as exc:
        raise DrafterError(Problem(str(exc), key="SỐ")) from None
    opts = {"zero_tens": zero_tens or "linh", "four": four or "tư"}
    try:
        text = w.amount_in_words(value, **opts) + "." if dong else w.read_number(value, **opts)
    except ValueError as exc:
        raise DrafterError(Problem(str(exc), key="SỐ")) from None
    click.echo(f"Bằng chữ: {text}" if dong else text)


def entry() -> None:
    """The `drafter` console script: the command, then a quick exit.

    A finished command leaves the interpreter to free every object it made (pydantic
    schemas, templates, documents), about a tenth of a second nobody waits for
    usefully. Output is flushed and exit handlers run; then the process ends.
    """
    import atexit

    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): print it, as the interpreter would
            print(exc.code, file=sys.stderr)
            code = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe: the exit code still stands
        code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
