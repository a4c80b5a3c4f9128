"""`drafter import VĂN_BẢN.docx -o BẢN_THẢO.yaml`."""

from __future__ import annotations

import json

import click

from .output import CONTEXT, handle_errors, refuse, shown


@click.command("import", context_settings=CONTEXT)
@click.argument("source", metavar="VĂN_BẢN.docx", type=click.Path(dir_okay=True))
@click.option("-o", "--output", "output", default=None, metavar="BẢN_THẢO.yaml", type=click.Path(dir_okay=False),
              help="Tệp bản thảo ghi ra (mặc định: cạnh văn bản, cùng tên, đuôi .yaml).")
@click.option("--preset-out", "preset_out", default=None, metavar="TÊN",
              help="Ghi cơ quan, người ký, nơi nhận thành mẫu dùng chung presets/TÊN.yaml cạnh bản thảo; "
                   "bản thảo dùng mẫu đó (dung: [TÊN]).")
@click.option("--force", is_flag=True, help="Ghi đè bản thảo, bảng CSV, mẫu dùng chung đã có.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def import_command(source: str, output: str | None, preset_out: str | None, force: bool, as_json: bool) -> None:
    """Nhập văn bản Word (.docx) có sẵn thành bản thảo YAML.

    Đọc loại văn bản, cơ quan, số ký hiệu, ngày tháng, trích yếu, Kính gửi, căn cứ,
    các điều hoặc nội dung (giữ số mục, chữ đậm, nghiêng), Nơi nhận, Lưu, người ký,
    chỉ dẫn phạm vi lưu hành, văn bản kèm theo và các bảng phụ lục (mỗi bảng một tệp
    CSV cạnh bản thảo); tệp chỉ có phụ lục thành bản thảo có khóa chi_phu_luc. Văn
    bản của Đảng không nhập được. Đoạn
    nào không xếp được thì để trong noi_dung và được liệt kê. Tệp .doc cũ phải chuyển
    sang .docx trước. Bản thảo có sẵn chỉ được thay khi có --force.
    """
    from drafter.errors import DrafterError
    from drafter.importer.api import import_file

    try:
        report = import_file(source, output, force=force, preset_out=preset_out)
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa tạo được bản thảo.")
    if as_json:
        click.echo(json.dumps({"ok": True, **report.as_json()}, ensure_ascii=False, indent=2))
        return
    click.echo(f"Đã tạo bản thảo: {shown(report.draft)} ({report.loai}; các khóa: {', '.join(report.fields)})")
    if report.preset:
        click.echo(f"Đã tạo mẫu dùng chung: {shown(report.preset)}")
    for p in report.csv_files:
        click.echo(f"Đã tạo bảng phụ lục: {shown(p)}")
    for m in report.left_messages():
        click.echo(f"cảnh báo: {report.source}: {m}", err=True)
    for m in report.table_problems:
        click.echo(f"cảnh báo: {report.source}: {m}", err=True)
    for m in report.notes:
        click.echo(f"ghi chú: {m}", err=True)
    click.echo(f"Xem lại bản thảo rồi chạy: drafter render {shown(report.draft)}")
