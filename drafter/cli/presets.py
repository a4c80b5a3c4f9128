"""`drafter presets`: the presets office staff see, read, check and copy to edit.

    drafter presets                   list every preset visible from this folder
    drafter presets show TÊN          the preset after its own `dung`, as YAML
    drafter presets check [ĐƯỜNG_DẪN…] check files, folders, or every visible preset
    drafter presets copy TÊN [TÊN_MỚI] copy a preset into ./presets/ to edit it
    drafter presets copy TÊN --user    … or into the user's own preset folder

The work is drafter.inputs.preset_files (listing, showing, copying) and
drafter.preset_check; this module prints their results and chooses exit codes.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..inputs import preset_files
from .output import CONTEXT, handle_errors


@contextmanager
def _or_say(summary: str):
    """Problems of the user's input: print them and `summary`, exit 1 (handle_errors
    would end with "Chưa tạo được văn bản.", which is not what failed here)."""
    from ..errors import DrafterError

    try:
        yield
    except DrafterError as exc:
        for p in exc.problems:
            click.echo(p.format(), err=True)
        click.echo(summary, err=True)
        sys.exit(1)


@click.group(invoke_without_command=True, context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In danh sách dạng JSON.")
@click.pass_context
@handle_errors
def presets(ctx: click.Context, as_json: bool) -> None:
    """Các mẫu dùng chung (cơ quan, người ký, nhóm nơi nhận): xem, kiểm tra, sao chép.

    Không có lệnh con: liệt kê mọi mẫu dùng được từ thư mục hiện tại, theo thứ tự
    tìm: cạnh bản thảo (./presets/), của người dùng, có sẵn. Mẫu tìm thấy trước
    che mẫu cùng tên tìm thấy sau.
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = preset_files.catalogue(Path.cwd())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Không có mẫu nào.")
        _user_folder()
        return
    width = max(len(r["name"]) for r in rows)
    lwidth = max(len(r["source"]) for r in rows)
    for r in rows:
        click.echo(f"{r['name']:<{width}}  {r['source']:<{lwidth}}  {r['description']}")
        click.echo(f"{'':<{width}}  {'':<{lwidth}}  {r['path']}")
        for s in r["shadows"]:
            click.echo(f"{'':<{width}}  {'':<{lwidth}}  che mẫu cùng tên ({s['source']}): {s['path']}")
    _user_folder()
    click.echo("Xem một mẫu: drafter presets show TÊN · sao chép để sửa: drafter presets copy TÊN")


def _user_folder() -> None:
    """Where the user's own presets are (found from every draft), whether the folder
    exists, and how to put one there."""
    info = preset_files.user_folder_info()
    click.echo("")
    if not info["exists"]:
        state = "chưa có thư mục này"
    elif info["presets"]:
        state = f"{len(info['presets'])} mẫu: {', '.join(info['presets'])}"
    else:
        state = "chưa có mẫu nào"
    click.echo(f"Thư mục mẫu của người dùng (dùng cho mọi bản thảo): {info['path']} ({state})")
    click.echo("Thêm mẫu vào đó: drafter presets copy TÊN --user (thư mục được tạo nếu chưa có)")


@presets.command(context_settings=CONTEXT)
@click.argument("name", metavar="TÊN")
@handle_errors
def show(name: str) -> None:
    """In mẫu TÊN sau khi gộp các mẫu nó dùng ('dung'), dạng YAML, mỗi khóa ghi rõ lấy từ tệp nào."""
    cwd = Path.cwd()
    with _or_say("Chưa xem được mẫu."):
        text = preset_files.show_text(preset_files.locate(name, cwd), cwd)
    click.echo(text, nl=False)


@presets.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[ĐƯỜNG_DẪN]...")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def check(paths: tuple[str, ...], as_json: bool) -> None:
    """Kiểm tra tệp mẫu: một tệp, một thư mục, hoặc (không ghi gì) mọi mẫu dùng được.

    Mẫu là một phần bản thảo: khóa thiếu không phải lỗi; khóa sai tên, sai kiểu,
    sai cú pháp thì báo hết một lần, kèm tệp:dòng:cột. Có lỗi thì mã thoát là 1.
    """
    from ..errors import ERROR
    from .. import preset_check

    with _or_say("Chưa kiểm tra được."):
        files = preset_check.targets(list(paths), Path.cwd())
    problems = preset_check.check_files(files, Path.cwd())
    errors = [p for p in problems if p.severity == ERROR]
    if as_json:
        click.echo(json.dumps({"ok": not errors, "files": [str(f) for f in files],
                               "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(p.format(), err=True)
        n_warn = len(problems) - len(errors)
        summary = f"Đã kiểm tra {len(files)} tệp mẫu: "
        summary += f"{len(errors)} lỗi" if errors else "không có lỗi"
        summary += f", {n_warn} cảnh báo." if n_warn else "."
        click.echo(summary, err=bool(errors))
    if errors:
        sys.exit(1)


@presets.command(context_settings=CONTEXT)
@click.argument("name", metavar="TÊN")
@click.argument("new_name", metavar="[TÊN_MỚI]", required=False)
@click.option("--force", is_flag=True, help="Ghi đè tệp mẫu đã có.")
@click.option("--user", "to_user", is_flag=True,
              help="Chép vào thư mục mẫu của người dùng (dùng cho mọi bản thảo), không vào ./presets/.")
@handle_errors
def copy(name: str, new_name: str | None, force: bool, to_user: bool) -> None:
    """Sao chép mẫu TÊN (thường là mẫu có sẵn) thành ./presets/TÊN_MỚI.yaml để sửa.

    Không ghi TÊN_MỚI thì giữ tên cũ: bản sao trong thư mục này sẽ được dùng thay
    cho mẫu có sẵn cùng tên. Với --user, bản sao vào thư mục mẫu của người dùng
    (xem: drafter presets) và được dùng cho mọi bản thảo trên máy.
    """
    from ..errors import display_path

    with _or_say("Chưa sao chép được mẫu."):
        label, source, target = preset_files.copy_preset(name, new_name, Path.cwd(), force=force,
                                                         to_user=to_user)
    click.echo(f"Đã sao chép mẫu '{name}' ({label}: {display_path(source)}) thành {display_path(target)}.")
    if target.stem == name:
        where = "Mọi bản thảo" if to_user else "Bản thảo trong thư mục này"
        click.echo(f"{where} giờ dùng {display_path(target)} thay cho mẫu {label} cùng tên"
                   + (" (trừ bản thảo có presets/ cạnh nó chứa mẫu cùng tên)." if to_user else "."))
    click.echo(f"Sửa {display_path(target)}, rồi ghi trong bản thảo: dung: [{target.stem}]")
