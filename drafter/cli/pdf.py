"""`drafter pdf` and `drafter preview`: LibreOffice conversion and page images, printed.

drafter.pdf imports quickly (its heavy imports live inside functions), so it is
imported here at the top; the tests' stand-ins for its functions are seen because
every call goes through the module.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import pdf
from .output import CONTEXT, fail, handle_errors, shown


class progress_bar:
    """A progress bar on the terminal (rich) for PDFs being made, as a ``progress(done,
    total)`` callback; nothing when stderr is not a terminal or ``quiet``. Use as a
    context manager: the bar is stopped on leaving, whatever happened."""

    def __init__(self, label: str = "Đang tạo PDF", *, quiet: bool = False):
        self.label, self.bar, self.task = label, None, None
        self.show = not quiet and sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.show:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                                TextColumn("còn"), TimeRemainingColumn(), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("pdf", total=total)
        self.bar.update(self.task, completed=done)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command("pdf", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="TỆP.docx…")
@click.option("-o", "--output-dir", "out_dir", default=None, metavar="THƯ_MỤC",
              type=click.Path(file_okay=False), help="Ghi PDF vào THƯ_MỤC (mặc định: cạnh từng tệp .docx).")
@click.option("--timeout", default=300.0, show_default=True, metavar="GIÂY", type=click.FloatRange(min=1),
              help="Dừng LibreOffice nếu một tệp chuyển quá số giây này (tệp đó báo lỗi, các tệp khác vẫn chuyển).")
@click.option("-j", "--jobs", default=None, type=click.IntRange(1, 64), metavar="N",
              help="Số LibreOffice chạy song song (mặc định: mỗi lõi CPU một).")
@click.option("--force", is_flag=True, help="Ghi đè PDF đã có (trừ PDF đang mở trong chương trình khác).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def pdf_command(files: tuple[str, ...], out_dir: str | None, timeout: float, jobs: int | None, force: bool,
                as_json: bool) -> None:
    """Chuyển văn bản Word (.docx) sang PDF bằng LibreOffice.

    Các tệp được chia cho nhiều LibreOffice chạy cùng lúc, mỗi lõi CPU một (-j để
    đổi), mỗi LibreOffice có hồ sơ riêng được giữ lại cho lần sau; sau lệnh chúng vẫn
    chạy sẵn (10 phút, biến DRAFTER_PDF_IDLE) để lệnh sau khỏi chờ khởi động. Tệp nào
    lỗi thì báo tệp đó, các tệp khác vẫn được chuyển. PDF nằm cạnh tệp .docx, cùng tên. PDF cũ cùng tên (có thể là bản đã ký)
    chỉ được thay khi có --force, và chỉ bằng một PDF mới đầy đủ (PDF bị cắt cụt, ví
    dụ khi ổ đĩa đầy, không thay PDF cũ).
    Cần LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-liberation2).
    """
    try:
        with progress_bar(quiet=as_json or len(files) < 2) as bar:
            result = pdf.convert_result([Path(f) for f in files], out_dir, timeout=timeout, force=force, jobs=jobs,
                                        progress=bar)
    except pdf.PdfError as exc:
        fail(str(exc), as_json)
    fonts = pdf.font_report() if result.written else None
    if as_json:
        click.echo(json.dumps({
            "ok": result.ok,
            "pdf": [str(p) for p in result.written],
            "failed": [{"docx": str(p), "reason": why} for p, why in result.failed.items()],
            "seconds": round(result.seconds, 2),
            "font": fonts,
        }, ensure_ascii=False, indent=2))
    else:
        if fonts and fonts["warning"]:
            click.echo(f"cảnh báo: {fonts['warning']}", err=True)
        for p in result.written:
            click.echo(f"Đã tạo PDF: {shown(p)}")
        for p, why in result.failed.items():
            click.echo(f"Không tạo được PDF cho {shown(p)}: {why}", err=True)
        if result.failed:
            click.echo(f"{len(result.failed)}/{len(result.failed) + len(result.written)} tệp chưa chuyển được.",
                       err=True)
    if result.failed:
        sys.exit(1)


@click.command("preview", context_settings=CONTEXT)
@click.argument("draft", metavar="BẢN_THẢO.yaml", type=click.Path(dir_okay=False))
@click.option("-o", "--output-dir", "out_dir", default=None, metavar="THƯ_MỤC", type=click.Path(file_okay=False),
              help="Thư mục ghi ảnh (mặc định: thư mục <tên>-xem-truoc cạnh bản thảo).")
@click.option("--dpi", default=80, show_default=True, type=click.IntRange(20, 600),
              help="Độ phân giải ảnh (điểm ảnh mỗi inch).")
@click.option("--force", is_flag=True, help="Ghi đè ảnh xem trước đã có của bản thảo này.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def preview_command(draft: str, out_dir: str | None, dpi: int, force: bool, as_json: bool) -> None:
    """Xem trước BẢN_THẢO.yaml: mỗi trang văn bản thành một ảnh PNG.

    Không ghi tệp .docx hay .pdf nào cạnh bản thảo; ảnh là <tên>-1.png, <tên>-2.png…
    Ảnh của lần xem trước được thay khi có --force.
    Cần LibreOffice và pdftoppm (Debian/Ubuntu: sudo apt-get install
    libreoffice-writer-nogui fonts-liberation2 poppler-utils).
    """
    try:
        result = pdf.preview(draft, out_dir, dpi=dpi, force=force)
    except pdf.PdfError as exc:
        fail(str(exc), as_json)
    if as_json:
        click.echo(json.dumps({"ok": True, "folder": str(result.folder),
                               "images": [str(p) for p in result.images],
                               "warnings": [w.as_dict() for w in result.warnings]},
                              ensure_ascii=False, indent=2))
        return
    for w in result.warnings:
        click.echo(w.format(), err=True)
    fonts = pdf.font_report()
    if fonts["warning"]:
        click.echo(f"cảnh báo: {fonts['warning']}", err=True)
    click.echo(f"Đã tạo {len(result.images)} ảnh xem trước trong {shown(result.folder)}:")
    for p in result.images:
        click.echo(f"  {shown(p)}")
