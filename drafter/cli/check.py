"""`drafter check FILE.docx…`: the format checker on the command line.

Human output, one line per finding, grouped per file::

    cv.docx: lỗi [SO-SLASH] đoạn 5 «Số: 953UBND-CNXD»: Số ký hiệu … thiếu dấu '/' …
    Có 1 lỗi, 0 cảnh báo.

``--json`` prints a list of ``{file, findings: [...]}`` (or ``{file, error}`` for a
file that cannot be read). Exit code 1 when any finding is an error or any file is
unreadable, 0 otherwise.
"""

from __future__ import annotations

import click

from ..errors import DrafterError
from .output import CONTEXT, handle_errors, import_paused_gc, refuse


def _line(file: str, finding) -> str:
    from ..check.model import SEVERITY_LABELS

    loc = finding.location
    where = loc.describe()
    if loc.text:
        where += f" «{loc.text}»"
    return f"{file}: {SEVERITY_LABELS[finding.severity]} [{finding.rule_id}] {where}: {finding.message}"


@click.command("check", context_settings=CONTEXT)
@click.argument("files", metavar="TỆP.docx…", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình kiểm tra song song khi có nhiều tệp (mặc định: mỗi lõi CPU một tiến trình).")
@handle_errors
def check(files: tuple[str, ...], as_json: bool, jobs: int | None) -> None:
    """Kiểm tra thể thức các văn bản Word (.docx) theo Nghị định 30/2020/NĐ-CP.

    Báo từng chỗ sai: khổ giấy, lề, phông và cỡ chữ, quốc hiệu, tiêu ngữ, số ký
    hiệu, ngày tháng, V/v, Kính gửi, Nơi nhận, thẩm quyền ký, số trang, số tổng
    trong bảng, số và ngày của văn bản được trích dẫn. Mã thoát 1 khi có lỗi.
    Danh mục quy tắc: docs/check-rules.md.
    """
    check_files = import_paused_gc("drafter.check.api", freeze=True).check_files

    results: list[dict] = []
    errors = warnings = unreadable = 0
    try:
        for path, (status, report) in zip(files, check_files(files, jobs)):
            if status == "unreadable":
                unreadable += 1
                problem = report
                label = problem.position.file or path
                results.append({"file": label, "error": {"reason": problem.key, "message": problem.message}})
                if not as_json:
                    click.echo(f"{label}: lỗi: không đọc được tệp: {problem.message}")
                continue
            errors += report.errors
            warnings += report.warnings
            results.append({"file": report.file, "findings": [f.as_dict() for f in report.findings]})
            if as_json:
                continue
            for f in report.findings:
                click.echo(_line(report.file, f))
            if not report.findings:
                click.echo(f"{report.file}: không thấy sai sót nào về thể thức.")
    except DrafterError as exc:  # the checking itself stopped (a worker process lost)
        refuse(exc, as_json, f"Đã kiểm tra {len(results)} trong {len(files)} tệp; "
                             "các tệp còn lại chưa được kiểm tra.")
    if as_json:
        import json

        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        summary = f"Có {errors} lỗi, {warnings} cảnh báo"
        if len(files) > 1:
            summary += f" trong {len(files)} tệp"
        if unreadable:
            summary += f"; {unreadable} tệp không đọc được"
        click.echo(summary + ".")
    if errors or unreadable:
        raise SystemExit(1)
