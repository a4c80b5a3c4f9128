"""`drafter nen`: the warm command server (drafter/server/).

    drafter nen          whether it runs, and whether it starts on its own (--json)
    drafter nen bat      start it: later commands start in milliseconds
    drafter nen tat      stop it, and start it no more on its own until `nen bat`

A command typed in a terminal starts the server after it has run, when none runs
(drafter/server/client.py): `nen tat` turns that off.
"""

from __future__ import annotations

import json

import click

from .output import CONTEXT, handle_errors


def _minutes(seconds: int) -> str:
    if seconds % 60 == 0:
        return f"{seconds // 60} phút"
    return f"{seconds} giây"


def _describe(st: dict) -> str:
    return (f"Máy chủ nền đang chạy (pid {st['pid']}; đã chạy {st.get('served', 0)} lệnh; tự tắt sau "
            f"{_minutes(int(st['idle_s']))} không dùng). Ổ cắm: {st['socket']}")


@click.group("nen", invoke_without_command=True, context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In trạng thái dạng JSON.")
@click.pass_context
@handle_errors
def nen_command(ctx: click.Context, as_json: bool) -> None:
    """Máy chủ nền giữ drafter sẵn trong bộ nhớ để mỗi lệnh chạy nhanh hơn: xem, bật (bat), tắt (tat).

    Không có lệnh con: cho biết máy chủ nền có đang chạy không. Khi nó chạy, mỗi
    lệnh drafter được chạy trong một tiến trình con của nó (đã nạp sẵn drafter và
    các mẫu), với cùng thư mục, biến môi trường, đầu vào và đầu ra: kết quả giống
    hệt khi chạy không có máy chủ nền. Một lệnh gõ trong cửa sổ lệnh (terminal) tự
    bật máy chủ nền sau khi chạy xong nếu nó chưa chạy; tắt hẳn bằng drafter nen tat
    (cho đến khi drafter nen bat). Nó tự tắt sau DRAFTER_NEN_CHO giây không dùng
    (mặc định 30 phút). DRAFTER_NEN=0 tắt việc dùng máy chủ nền cho một lệnh.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..server import control

    st = control.status()
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    if not st["running"]:
        if st.get("off"):
            click.echo("Máy chủ nền không chạy và đã được tắt bằng drafter nen tat: không tự bật lại cho đến khi "
                       "chạy drafter nen bat.")
        else:
            click.echo("Máy chủ nền không chạy. Nó tự bật sau lệnh drafter kế tiếp gõ trong cửa sổ lệnh "
                       "(terminal); bật ngay: drafter nen bat")
        return
    line = _describe(st)
    if not st.get("fresh"):
        line += "\nMáy chủ nền này đã cũ (drafter đã được cập nhật): các lệnh không dùng nó. Chạy lại: drafter nen bat"
    if st.get("off"):
        line += "\nĐã tắt tự bật (drafter nen tat): khi máy chủ này tự tắt, nó không tự bật lại cho đến khi chạy drafter nen bat."
    click.echo(line)


@nen_command.command("bat", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def bat_command(as_json: bool) -> None:
    """Bật máy chủ nền (chạy ngầm, tự tắt khi lâu không dùng)."""
    from ..errors import DrafterError
    from ..server import control
    from .output import refuse

    try:
        st = control.start()
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa bật máy chủ nền; các lệnh vẫn chạy bình thường, không có nó.")
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    if st.get("already"):
        click.echo("Máy chủ nền đã chạy sẵn. " + _describe(st))
    else:
        after = f"{st['ready_after_s']:.2f}".replace(".", ",")
        click.echo(f"Đã bật máy chủ nền, sẵn sàng sau {after} giây. " + _describe(st))


@nen_command.command("tat", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def tat_command(as_json: bool) -> None:
    """Tắt máy chủ nền (các lệnh đang chạy vẫn chạy xong) và không cho nó tự bật lại cho đến khi drafter nen bat."""
    from ..server import control

    st = control.turn_off()
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    said = f"Đã tắt máy chủ nền (pid {st['pid']})." if st["stopped"] else "Máy chủ nền không chạy."
    if st.get("off"):
        said += " Nó không tự bật lại sau các lệnh cho đến khi chạy drafter nen bat."
    click.echo(said)
