"""`drafter fix VĂN_BẢN.docx -o RA.docx`: the repairs of drafter.fix on the command line.

Prints each change (rule id, place, what was done) and then what still needs a
person (the findings `drafter check` reports on the repaired document). ``--dry-run``
writes nothing; ``--json`` prints ``{file, output, dry_run, written, changes,
needs_person}``. Exit code 1 when an error finding is left for a person, 0 otherwise.
"""

from __future__ import annotations

import json

import click

from .output import CONTEXT, handle_errors


def _where(loc) -> str:
    where = loc.describe()
    if loc.text:
        where += f" «{loc.text}»"
    return where


@click.command("fix", context_settings=CONTEXT)
@click.argument("file", metavar="VĂN_BẢN.docx")
@click.option("-o", "--output", "output", metavar="RA.docx", default=None,
              help="Ghi văn bản đã sửa ra tệp này (không có -o thì phải có --force để sửa ngay trên tệp gốc).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp đã có, kể cả sửa ngay trên tệp gốc.")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê những gì sẽ sửa, không ghi tệp nào.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def fix_command(file: str, output: str | None, force: bool, dry_run: bool, as_json: bool) -> None:
    """Sửa tự động các sai sót thể thức sửa được trong VĂN_BẢN.docx, không đổi chữ của nội dung.

    Sửa khổ giấy, lề, phông, cỡ chữ, in đậm/nghiêng, căn lề, thụt đầu dòng,
    khoảng cách, giãn dòng, màu chữ, số trang, số 0 của ngày tháng, chữ của
    quốc hiệu, tiêu ngữ, dấu câu của Kính gửi, Nơi nhận, dòng «- Lưu:» và dấu
    «./.» cuối nội dung. Mỗi chỗ sửa được in kèm mã quy tắc và vị trí; những gì
    cần người sửa (thiếu thành phần, sai thẩm quyền ký…) được liệt kê sau.
    Ghi ra tệp khác bằng -o RA.docx; sửa ngay trên tệp gốc chỉ khi có --force.
    """
    from ..check.model import SEVERITY_LABELS
    from ..fix.api import fix_file

    report = fix_file(file, output, force=force, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        verb = "Sẽ sửa" if dry_run else "Đã sửa"
        for c in report.changes:
            click.echo(f"{report.file}: {verb.lower()} [{c.rule_id}] {_where(c.location)}: {c.what}")
        for f in report.after:
            if f.severity == "info":  # e.g. DOC-PARTY: what the file is, nothing to mend
                click.echo(f"{report.file}: {SEVERITY_LABELS[f.severity]} [{f.rule_id}] {f.message}")
        person = [f for f in report.after if f.severity != "info"]
        if person:
            click.echo(f"Cần người sửa ({len(person)}):")
            for f in person:
                click.echo(f"{report.file}: {SEVERITY_LABELS[f.severity]} [{f.rule_id}] {_where(f.location)}: "
                           f"{f.message}")
        if not report.changes:
            summary = "Không có gì cần sửa tự động"
            summary += f"; đã chép nguyên văn bản ra {report.output}" if report.written else "; tệp được giữ nguyên"
        else:
            summary = f"{verb} {len(report.changes)} chỗ"
            if report.written:
                summary += f", đã ghi {report.output}"
            elif dry_run:
                summary += " (--dry-run: không ghi tệp nào)"
        errors = sum(1 for f in report.after if f.is_error)
        summary += f"; còn {errors} lỗi, {len(person) - errors} cảnh báo cần người sửa."
        click.echo(summary)
    if any(f.is_error for f in report.after):
        raise SystemExit(1)
