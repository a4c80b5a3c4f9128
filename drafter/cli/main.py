"""The `drafter` group: its command list, the lazily loaded commands, and the console
script. Only click and the eager commands' module (which imports nothing heavy at
its top) are loaded here, so `drafter --help` is quick."""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from . import render, vietnamese
from .output import CONTEXT

# Commands loaded only when named. Their one-line help is kept here so that
# `drafter --help` imports none of them (a test keeps the two in step with each
# command's own docstring).
LAZY_COMMANDS = {
    "presets": ("drafter.cli.presets:presets",
                "Các mẫu dùng chung (cơ quan, người ký, nhóm nơi nhận): xem, kiểm tra, sao chép."),
    "check": ("drafter.cli.check:check",
              "Kiểm tra thể thức các văn bản Word (.docx) theo Nghị định 30/2020/NĐ-CP."),
    "fix": ("drafter.cli.fix:fix_command",
            "Sửa tự động các sai sót thể thức sửa được trong VĂN_BẢN.docx, không đổi chữ của nội dung."),
    "pdf": ("drafter.cli.pdf:pdf_command", "Chuyển văn bản Word (.docx) sang PDF bằng LibreOffice."),
    "preview": ("drafter.cli.pdf:preview_command", "Xem trước BẢN_THẢO.yaml: mỗi trang văn bản thành một ảnh PNG."),
    "batch": ("drafter.cli.batch:batch_command",
              "Tạo một văn bản cho mỗi hàng của DỮ_LIỆU (hoặc mỗi xã, phường với --units)."),
    "import": ("drafter.cli.import_:import_command",
               "Nhập văn bản Word (.docx) có sẵn thành bản thảo YAML."),
    "sao": ("drafter.cli.sao:sao_command",
            "Tạo bản sao (sao y, sao lục, trích sao) của VĂN_BẢN.docx theo Nghị định 30/2020/NĐ-CP."),
    "so-di": ("drafter.cli.so_di:so_di_command",
              "Xem sổ đăng ký văn bản đi và in ra thành sổ (Phụ lục IV): .xlsx, .docx, .pdf."),
    "cap-so": ("drafter.cli.issue:cap_so_command",
               "Cấp số và ngày ban hành cho văn bản, ghi vào sổ đăng ký văn bản đi."),
    "huy-so": ("drafter.cli.issue:huy_so_command",
               "Hủy một số đã cấp trong sổ đăng ký (ghi người hủy, lý do)."),
    "sao-luu-so": ("drafter.cli.issue:sao_luu_so_command",
                   "Sao lưu sổ đăng ký ra ĐÍCH (một tệp mới, hoặc thư mục: tên theo ngày giờ)."),
    "ky": ("drafter.cli.sign:ky_command", "Ký số văn bản PDF theo Nghị định 30/2020/NĐ-CP (chữ ký số PAdES)."),
    "xac-minh": ("drafter.cli.verify:verify_command",
                 "Xác minh các chữ ký số trong VĂN_BẢN.pdf: người ký, thời gian, tin cậy, có bị sửa sau khi ký."),
    "nen": ("drafter.cli.nen:nen_command",
            "Máy chủ nền giữ drafter sẵn trong bộ nhớ để mỗi lệnh chạy nhanh hơn: xem, bật (bat), tắt (tat)."),
    "appendix": ("drafter.cli.appendix:appendix_command",
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
        with formatter.section(vietnamese.CATALOGUE["Commands"]):
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


for _command in (render.new, render.render, render.types, render.words):
    main.add_command(_command)


def entry() -> None:
    """The `drafter` console script: the command, then a quick exit.

    A finished command leaves the interpreter to free every object it made (pydantic
    schemas, templates, documents), about a tenth of a second nobody waits for
    usefully. Output is flushed and exit handlers run; then the process ends.
    """
    import atexit
    import signal

    from . import _stopped_while_starting

    if signal.getsignal(signal.SIGINT) is _stopped_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the commands' own Ctrl-C handling
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
