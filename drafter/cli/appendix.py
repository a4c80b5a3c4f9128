"""`drafter appendix DRAFT.yaml DOC.docx [-o OUT.docx]`: the appendix tables of an
edited document rebuilt (drafter.appendix.regenerate), and what was done printed."""

from __future__ import annotations

import json

import click

from .output import CONTEXT, handle_errors


@click.command("appendix", context_settings=CONTEXT)
@click.argument("draft", metavar="BẢN_THẢO.yaml", type=click.Path(dir_okay=False))
@click.argument("docx", metavar="VĂN_BẢN.docx", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=None, metavar="TỆP.docx",
              help="Ghi ra tệp này (mặc định: thay chính VĂN_BẢN.docx, an toàn: hoặc thay xong, hoặc giữ nguyên).")
@click.option("--force", is_flag=True, help="Ghi đè tệp -o đã có.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def appendix_command(draft: str, docx: str, output: str | None, force: bool, as_json: bool) -> None:
    """Tạo lại các bảng phụ lục trong VĂN_BẢN.docx (do drafter tạo, đã sửa bằng Word) theo số liệu mới của BẢN_THẢO.yaml.

    Chỉ thay nội dung các vùng phụ lục (tên, dòng "Kèm theo", "Đơn vị tính", bảng, "Bằng
    chữ") và các con số trích từ bảng trong nội dung; mọi đoạn văn khác giữ nguyên như
    người sửa đã để. Số phụ lục phải như cũ; khi thêm hay bớt phụ lục, dùng drafter render.
    """
    from ..appendix import regenerate
    from ..errors import display_path

    result = regenerate(draft, docx, output, force=force)
    if as_json:
        click.echo(json.dumps({
            "ok": True, "docx": str(result.output), "phu_luc": result.appendices, "so_lieu": result.figures,
            "kieu_da_chep": result.styles_copied, "xoay_trang": result.turned,
            "warnings": [w.as_dict() for w in result.warnings],
        }, ensure_ascii=False, indent=2))
        return
    for w in result.warnings:
        click.echo(w.format(), err=True)
    figures = f" và {result.figures} số liệu trích trong nội dung" if result.figures else ""
    click.echo(f"Đã tạo lại {result.appendices} phụ lục{figures}: {display_path(result.output)}")
    if result.turned:
        click.echo("Đã xoay trang phụ lục " + ", ".join(map(str, result.turned)) + " theo bản thảo.")
    if result.styles_copied:
        click.echo("Đã bổ sung kiểu trình bày còn thiếu: " + ", ".join(result.styles_copied) + ".")
