"""`drafter batch`: one document per row, with a progress bar, a summary of the failed
rows and optional PDFs. The work is drafter.batch.run; this module prints its result."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import click

from .output import CONTEXT, handle_errors, import_paused_gc, print_problems


def _units_help() -> str:
    """The columns `--units` gives each row (drafter.units.UNIT_COLUMNS), for --help."""
    from ..units import UNIT_COLUMNS

    width = max(len(name) for name, _, _ in UNIT_COLUMNS)
    lines = [f"  {name:<{width}}  {meaning} («{example}»)" for name, meaning, example in UNIT_COLUMNS]
    return ("Với --units TỈNH, mỗi xã, phường, đặc khu của tỉnh là một hàng, với các cột "
            "(dùng {{ hang.ten_day_du }} giữa câu):\n\n\b\n" + "\n".join(lines))


@click.command("batch", context_settings=CONTEXT, epilog=_units_help())
@click.argument("draft", metavar="BẢN_THẢO.yaml", type=click.Path(dir_okay=False))
@click.argument("data", metavar="[DỮ_LIỆU.csv|.xlsx]", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, metavar="THƯ_MỤC", help="Thư mục ghi các văn bản.")
@click.option("--name", default=None, metavar="MẪU",
              help="Tên tệp từ các cột, ví dụ \"{ma}-{ten}\" (mặc định: số hàng và cột chữ đầu tiên).")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Số tiến trình chạy song song.")
@click.option("--resume", is_flag=True, help="Bỏ qua các hàng đã có tệp và không đổi dữ liệu.")
@click.option("--force", is_flag=True, help="Ghi đè các tệp đã có.")
@click.option("--units", default=None, metavar="TỈNH", help="Chạy cho mọi xã, phường, đặc khu của tỉnh (không cần tệp dữ liệu; các cột: xem cuối).")
@click.option("--max-rows", default=None, type=click.IntRange(min=1), metavar="N", help="Số hàng tối đa của dữ liệu, cả với --units (mặc định 50.000; hoặc DRAFTER_MAX_ROWS).")
@click.option("--pdf", is_flag=True, help="Tạo thêm tệp PDF cạnh mỗi văn bản (cần LibreOffice).")
@click.option("--dien-tu", "electronic", is_flag=True,
              help="Trình bày để ban hành điện tử (ký số) và ghi cả PDF dạng PDF/A cạnh mỗi văn bản. Xem docs/ky-so.md.")
@click.option("--cap-so", "cap_so", is_flag=True,
              help="Cấp số và ngày ban hành cho văn bản của từng hàng, theo thứ tự hàng, ghi vào sổ đăng ký "
                   "(như drafter cap-so; sổ theo khóa so_dang_ky của bản thảo, mẫu).")
@click.option("--so-dang-ky", "so_dang_ky", default=None, metavar="ĐƯỜNG_DẪN",
              help="Sổ đăng ký cho --cap-so: tệp .sqlite3 hoặc thư mục chứa nó.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def batch_command(draft, data, out_dir, name, jobs, resume, force, units, max_rows, pdf, electronic, as_json,
                  cap_so=False, so_dang_ky=None):
    """Tạo một văn bản cho mỗi hàng của DỮ_LIỆU (hoặc mỗi xã, phường với --units).

    Trong bản thảo, {{ hang.TEN_COT }} lấy giá trị của cột; cột trùng tên khóa
    (so, ngay, kinh_gui…) đặt khóa đó cho hàng. Hàng lỗi được ghi lại, các hàng
    khác vẫn chạy; manifest.csv và manifest.json trong THƯ_MỤC liệt kê kết quả.
    """
    batch = import_paused_gc("drafter.batch")
    from ..errors import display_path

    show = sys.stderr.isatty() and not as_json
    bar = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("Đang tạo văn bản"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("còn"), TimeRemainingColumn(), transient=False)
    task = None

    def progress(done, total):
        nonlocal task
        if bar is None:
            return
        if task is None:
            bar.start()
            task = bar.add_task("batch", total=total)
        bar.update(task, completed=done)

    try:
        result = batch.run(draft, data, out_dir, name=name, jobs=jobs, resume=resume, force=force, units=units,
                           max_rows=max_rows, progress=progress, electronic=electronic)
    finally:
        if bar is not None and task is not None:
            bar.stop()
    numbered = None
    if cap_so:  # in the main process, in row order, before any PDF is made
        from ..issue.stamp import number_batch

        numbered = number_batch(result, register=so_dang_ky, settings_file=draft)
    pdf_errors: list[str] = []
    if (pdf or electronic) and result.ok:  # an electronic document is issued as its PDF
        from .. import pdf as pdf_mod

        docs = [result.out_dir / o.file for o in result.outcomes
                if o.status == batch.OK and o.file]
        from .pdf import progress_bar

        with progress_bar(quiet=as_json) as pdf_bar:  # a PDF already there only with --force
            beside = pdf_mod.pdfs_beside(docs, force=force, pdfa=electronic, progress=pdf_bar)
        result.pdfs, pdf_errors = beside.written, beside.errors
        if electronic:
            from ..electronic import pdf_problems

            pdf_errors += pdf_problems(result.pdfs)
    if as_json:
        # The rows are written one at a time, as they are read back from disk (the same
        # text json.dumps of the whole would give): a country's rows never in memory.
        mark = f"rows-{os.getpid()}-{id(result)}"
        head, tail = json.dumps({
            "ok": result.failed == 0 and not result.interrupted and not pdf_errors and result.manifest_problem is None,
            "manifest_problem": None if result.manifest_problem is None else result.manifest_problem.as_dict(),
            "done": result.ok, "failed": result.failed,
            "skipped": result.skipped, "kept": result.kept, "seconds": round(result.seconds, 3),
            "out_dir": str(result.out_dir),
            "note": result.data_note, "rows": mark,
            "pdf": [str(p) for p in result.pdfs], "pdf_errors": pdf_errors,
            "warnings": [p.as_dict() for p in result.warnings],
            **({"cap_so": numbered.as_dict()} if numbered is not None else {}),
        }, ensure_ascii=False, indent=1).split(json.dumps(mark), 1)
        click.echo(head + "[", nl=False)
        count = 0
        for o in result.outcomes:
            row = json.dumps(asdict(o), ensure_ascii=False, indent=1).replace("\n", "\n  ")
            click.echo(("," if count else "") + "\n  " + row, nl=False)
            count += 1
        click.echo(("\n ]" if count else "]") + tail)
    else:
        print_problems(result.warnings)  # the draft's own (text drafter converted…), once
        if result.data_note:
            click.echo(result.data_note, err=True)
        _print_rows(result)
        rate = f" ({result.ok / result.seconds:.0f} văn bản/giây)" if result.ok and result.seconds else ""
        kept = f"{result.kept} giữ nguyên, " if result.kept else ""
        listed = (f"Danh sách: {display_path(result.out_dir / batch.MANIFEST_CSV)}" if result.manifest_problem is None
                  else "Chưa ghi được danh sách (manifest).")
        click.echo(
            f"Xong: {result.ok} văn bản, {result.failed} hàng lỗi, {kept}{result.skipped} bỏ qua "
            f"trong {result.seconds:.1f} giây{rate}. {listed}"
        )
        if result.manifest_problem is not None:
            print_problems([result.manifest_problem])
        if numbered is not None:
            _print_numbered(numbered)
        if result.pdfs:
            click.echo(f"Đã tạo {len(result.pdfs)} tệp PDF cạnh các văn bản.")
        for e in pdf_errors:
            click.echo(e, err=True)
        if result.interrupted:
            click.echo("Đã dừng giữa chừng: các tệp đã xong vẫn nguyên vẹn và có trong danh sách; "
                       "chạy lại với --resume để làm tiếp.", err=True)
    if result.interrupted:
        # An ordinary event, said plainly: exit 1 like every command's Ctrl-C (the manifest
        # and --json say "interrupted" for a script that needs to tell it apart).
        sys.exit(1)
    if result.failed or pdf_errors or result.manifest_problem is not None or (numbered and numbered.problems):
        sys.exit(1)


def _print_numbered(numbered) -> None:
    """What --cap-so did: the numbers given (first to last), those left as they were."""
    done = numbered.numbered
    if done:
        first, last = done[0].entry, done[-1].entry
        span = first.so_ky_hieu if len(done) == 1 else f"{first.so_ky_hieu} đến {last.so_ky_hieu}"
        click.echo(f"Đã cấp số cho {len(done)} văn bản theo thứ tự hàng: {span} (sổ {numbered.register}).")
    if numbered.already:
        click.echo(f"{len(numbered.already)} văn bản đã có số nên giữ nguyên.", err=True)
    print_problems(numbered.problems)


_LABELS = {"error": "lỗi", "warning": "cảnh báo"}


def _print_rows(result) -> None:
    """Each row's errors, then its warnings, then the documents kept, in the sheet's
    terms: "danh-sach.xlsx, dòng 7, cột «Số liệu» (ô C7): lỗi: …". A line that holds
    for several rows (one mistake in the draft fails every row alike) is said once."""
    from .. import batch

    groups: dict[tuple[str, str, str], list[int]] = {}
    for o in result.outcomes:
        if o.status == batch.KEPT:
            notes = [["kept", "", o.message]]
        else:
            notes = o.notes or ([["error", "", o.message]] if o.status == batch.FAILED else [])
        for severity, place, text in notes:
            groups.setdefault((severity, place, text), []).append(o.row)
    for severity, other in (("error", "lỗi khác"), ("warning", "cảnh báo khác"), ("kept", "")):
        lines = [(k, rows) for k, rows in groups.items() if k[0] == severity]
        for (_, place, text), rows in lines[:batch.SHOWN_FAILURES]:
            where = f"dòng {rows[0]}" if len(rows) == 1 else f"{len(rows)} dòng ({_row_list(rows)})"
            label = f"{_LABELS[severity]}: " if severity in _LABELS else ""
            click.echo(f"{result.data_name}, {where}{', ' + place if place else ''}: {label}{text}", err=True)
        if len(lines) > batch.SHOWN_FAILURES:
            rest = {r for _, rows in lines[batch.SHOWN_FAILURES:] for r in rows}
            click.echo(f"… và {len(rest)} dòng có {other} (xem manifest.csv).", err=True)


def _row_list(rows: list[int], limit: int = 6) -> str:
    head = ", ".join(map(str, rows[:limit]))
    return head + (", …" if len(rows) > limit else "")
