"""`drafter sao VĂN_BẢN.docx --hinh-thuc sao-y|sao-luc|trich-sao -o BAN_SAO.docx`."""

from __future__ import annotations

import datetime as dt
import json

import click

from .output import CONTEXT, handle_errors, refuse, shown


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' không phải ngày dạng NĂM-THÁNG-NGÀY (ví dụ 2026-01-05).") from None


@click.command("sao", context_settings=CONTEXT)
@click.argument("source", metavar="VĂN_BẢN.docx", type=click.Path(dir_okay=True))
@click.option("--hinh-thuc", "form", required=True, type=click.Choice(["sao-y", "sao-luc", "trich-sao"]),
              help="Hình thức sao: sao-y (từ bản gốc, bản chính), sao-luc (từ bản sao y), trich-sao (một phần).")
@click.option("--trich", "excerpt", default=None, metavar="PHẦN",
              help="Phần trích sao: \"Điều 1-2\", \"Điều 1, 3\" hoặc \"đoạn 14-20\" (số đoạn như drafter check đếm).")
@click.option("--thong-tin", "info_file", default=None, metavar="SAO.yaml", type=click.Path(dir_okay=True),
              help="Tệp YAML của phần sao: co_quan, ky, noi_nhan, luu, ngay (và dung: các mẫu dùng chung).")
@click.option("--preset", "presets", multiple=True, metavar="TÊN",
              help="Mẫu dùng chung cho cơ quan sao, người ký, nơi nhận (lặp lại được).")
@click.option("--ngay", "ngay", default=None, metavar="NĂM-THÁNG-NGÀY", callback=_date,
              help="Ngày sao (mặc định: hôm nay).")
@click.option("--so-ban", "so_ban", type=click.IntRange(1, 100000), default=None,
              help="Số lượng bản, ghi vào sổ đăng ký.")
@click.option("--ghi-chu", "ghi_chu", default="", metavar="TEXT", help="Ghi chú vào sổ đăng ký.")
@click.option("--so-dang-ky", "register", default=None, metavar="ĐƯỜNG_DẪN", type=click.Path(),
              help="Tệp (hoặc thư mục) sổ đăng ký; mặc định: khóa so_dang_ky.thu_muc của mẫu, "
                   "hoặc sổ trong thư mục dữ liệu của người dùng.")
@click.option("-o", "--output", "output", default=None, metavar="BAN_SAO.docx", type=click.Path(dir_okay=False),
              help="Tệp bản sao ghi ra (mặc định: cạnh văn bản, thêm -sao-y, -sao-luc, -trich-sao vào tên).")
@click.option("--force", is_flag=True, help="Ghi đè tệp bản sao đã có.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def sao_command(source, form, excerpt, info_file, presets, ngay, so_ban, ghi_chu, register, output, force,
                as_json) -> None:
    """Tạo bản sao (sao y, sao lục, trích sao) của VĂN_BẢN.docx theo Nghị định 30/2020/NĐ-CP.

    Giữ nguyên văn bản được sao (trích sao: phần đầu, các điều hoặc đoạn được trích
    và chữ ký), rồi sau một đường kẻ ngang hết dòng là phần sao: tên cơ quan sao,
    «SAO Y» / «SAO LỤC» / «TRÍCH SAO», số bản sao (một dãy số bản sao mỗi năm, chung cho
    SY, SL, TrS), địa danh và ngày sao, chữ ký, nơi nhận. Bản sao được ghi vào sổ
    đăng ký (dãy «sao»). Hướng dẫn: docs/ban-sao.md.
    """
    from pathlib import Path

    from ..errors import DrafterError
    from ..issue.copies import load_info, make_copy

    try:
        info = load_info(info_file, list(presets), ngay=ngay, base_dir=Path.cwd())
        result = make_copy(source, output, form=form, info=info, excerpt=excerpt, register=register, force=force,
                           so_ban=so_ban, ghi_chu=ghi_chu)
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa tạo được bản sao; chưa lấy số nào trong sổ.")
    if as_json:
        click.echo(json.dumps({"ok": True, **result.as_json()}, ensure_ascii=False, indent=2))
        return
    e = result.entry
    what = {"sao-y": "bản sao y", "sao-luc": "bản sao lục", "trich-sao": "bản trích sao"}[result.form]
    click.echo(f"Đã tạo {what}: {shown(result.output)} ({result.so_ky_hieu}"
               + (f"; trích {result.excerpt}" if result.excerpt else "") + ")")
    if e is not None:
        click.echo(f"Đã ghi vào sổ đăng ký (dãy số bản sao năm {e.year}): số {e.so_ky_hieu}, "
                   f"ngày {e.ngay:%d/%m/%Y}, người ký {e.nguoi_ky}.")
        click.echo(f"Trích yếu trong sổ: {e.trich_yeu}")
