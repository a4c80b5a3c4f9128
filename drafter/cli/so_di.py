"""`drafter so-di`: list the outgoing register, or print it as the book of Phụ lục IV."""

from __future__ import annotations

import json

import click

from .output import CONTEXT, handle_errors, shown


@click.command("so-di", context_settings=CONTEXT)
@click.option("--nam", "year", type=click.IntRange(1900, 9999), default=None, metavar="NĂM",
              help="Chỉ năm này (sổ in ra: mỗi sổ một năm).")
@click.option("--loai", "loai", default=None, metavar="LOẠI",
              help="Chỉ loại văn bản này (quyet-dinh, cong-van…; bản sao: sao-y, sao-luc, trich-sao).")
@click.option("--nguoi-ky", "nguoi_ky", default=None, metavar="TÊN", help="Chỉ văn bản người này ký (một phần tên).")
@click.option("--tim", "text", default=None, metavar="CHỮ",
              help="Chỉ văn bản có CHỮ trong ký hiệu, trích yếu, nơi nhận, bản lưu hoặc ghi chú.")
@click.option("--day-so", "series", default=None, metavar="DÃY",
              help="Chỉ một dãy số: chung, mat, sao, loai:…, hoi-dong:….")
@click.option("--so-dang-ky", "register", default=None, metavar="ĐƯỜNG_DẪN", type=click.Path(),
              help="Tệp (hoặc thư mục) sổ đăng ký; mặc định: khóa so_dang_ky.thu_muc của --preset, "
                   "hoặc sổ trong thư mục dữ liệu của người dùng.")
@click.option("--preset", "preset", default=None, metavar="TÊN",
              help="Mẫu dùng chung của cơ quan: tên cơ quan in ở trang bìa của sổ, thư mục sổ (so_dang_ky.thu_muc).")
@click.option("-o", "--output", "output", default=None, metavar="SỔ.xlsx|.docx|.pdf", type=click.Path(dir_okay=False),
              help="In sổ ra tệp (đuôi tệp chọn dạng: .xlsx, .docx, .pdf khổ A4 ngang).")
@click.option("--force", is_flag=True, help="Ghi đè tệp sổ đã có.")
@click.option("--json", "as_json", is_flag=True, help="In các dòng của sổ dạng JSON.")
@handle_errors
def so_di_command(year, loai, nguoi_ky, text, series, register, preset, output, force, as_json) -> None:
    """Xem sổ đăng ký văn bản đi và in ra thành sổ (Phụ lục IV): .xlsx, .docx, .pdf.

    Không có -o: liệt kê các số đã cấp (lọc theo --nam, --loai, --nguoi-ky, --tim).
    Có -o: in sổ của một năm theo mẫu Phụ lục IV Nghị định 30/2020/NĐ-CP (số, ký
    hiệu; ngày tháng; tên loại và trích yếu; người ký; nơi nhận; đơn vị, người nhận
    bản lưu; số lượng bản; ngày chuyển; ký nhận; ghi chú), khổ A4 ngang, dòng tiêu đề
    lặp lại ở mỗi trang; số đã hủy ghi rõ ở cột ghi chú. Hướng dẫn: docs/so-dang-ky.md.
    """
    from ..issue.register import Register

    if register is None and preset:
        from ..issue.config import load_settings

        register = load_settings(preset).register  # the office's so_dang_ky.thu_muc
    with Register.open(register, create=False) as reg:
        entries = reg.entries(year=year, series=series, loai=loai, nguoi_ky=nguoi_ky, text=text)
    if output is not None:
        from ..issue.book import export, make_book

        book = make_book(entries, year=year, agency=_agency(preset))
        path = export(book, output, force=force)
        if as_json:
            click.echo(json.dumps({"ok": True, "output": shown(path), "year": book.year,
                                   "rows": len(book.entries)}, ensure_ascii=False, indent=2))
        else:
            cancelled = sum(1 for e in book.entries if e.cancelled)
            click.echo(f"Đã in sổ đăng ký văn bản đi năm {book.year}: {shown(path)} "
                       f"({len(book.entries)} số" + (f", {cancelled} số đã hủy" if cancelled else "") + ").")
        return
    if as_json:
        click.echo(json.dumps({"ok": True, "entries": [e.to_json() for e in entries]}, ensure_ascii=False, indent=2))
        return
    from ..issue.book import row_cells

    if not entries:
        click.echo("Sổ không có số nào khớp.")
        return
    for e in entries:
        cells = row_cells(e)
        line = f"{e.year} {cells[0]:<16} {cells[1]:<10} {cells[2]}"
        if cells[3]:
            line += f" — {cells[3]}"
        if e.cancelled:
            line += f" — {cells[9]}"
        click.echo(line)
    click.echo(f"Có {len(entries)} số.")


def _agency(preset: str | None) -> list[str]:
    """The agency's lines (cơ quan chủ quản, tên) of a preset, for the book's title page."""
    if not preset:
        return []
    from pathlib import Path

    from ..errors import DrafterError, Problem
    from ..inputs import presets as search
    from ..inputs.yamlfile import load

    path = search.find(preset, Path.cwd())
    if path is None:
        raise DrafterError(Problem(f"Không tìm thấy mẫu '{preset}'.", key="--preset",
                                   hint="Xem các mẫu có sẵn bằng lệnh: drafter presets"))
    data = search.resolve(load(path), path.parent.parent).data or {}
    co_quan = data.get("co_quan") or {}
    ten = co_quan.get("ten") or []
    lines = [co_quan["chu_quan"]] if co_quan.get("chu_quan") else []
    lines += [ten] if isinstance(ten, str) else [str(x) for x in ten]
    return [str(x) for x in lines]
