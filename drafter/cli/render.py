"""The commands loaded with the group: new, render, types, words. Their library
modules are imported inside each command so that `drafter --help` stays quick."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from .output import CONTEXT, handle_errors, import_paused_gc, print_problems, shown


@click.command(context_settings=CONTEXT)
@click.argument("loai", metavar="LOẠI")
@click.option("--preset", "-p", default=None, metavar="TÊN",
              help="Mẫu dùng chung của cơ quan (mặc định: mẫu minh họa 'demo'). Xem: drafter presets.")
@click.option("-o", "--output", "name", default=None, metavar="TÊN",
              help="Tên tệp (không đuôi): ghi TÊN.yaml và TÊN.docx. Mặc định: tên loại văn bản.")
@click.option("--no-input", is_flag=True, help="Không hỏi gì (dùng trong kịch bản tự động).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def new(loai: str, preset: str | None, name: str | None, no_input: bool, force: bool, as_json: bool) -> None:
    """Tạo bản thảo mới LOẠI (cong-van, quyet-dinh, chi-thi…) và văn bản Word của nó.

    Ghi TÊN.yaml (bản thảo có sẵn ghi chú từng khóa) và TÊN.docx. Trên màn hình
    lệnh, drafter hỏi trích yếu và nơi nhận (giấy mời, biên bản: cả thời gian,
    địa điểm, thành phần); --no-input để không hỏi. Ctrl-C khi đang hỏi: hủy, không tạo tệp.
    """
    from .. import newdraft
    from ..errors import display_path

    _check_new_outputs(loai, name, force)
    interactive = not no_input and _stdin_is_terminal() and not as_json
    try:
        answers = newdraft.ask(loai, click.prompt) if interactive else {}
    except click.exceptions.Abort:  # Ctrl-C or Ctrl-D at a prompt: nothing was written
        click.echo("", err=True)
        click.echo(newdraft.CANCELLED, err=True)
        sys.exit(1)
    result = newdraft.create(loai, preset=preset, name=name, force=force, **answers)
    if as_json:
        import json

        click.echo(json.dumps({"ok": True, "draft": str(result.draft), "docx": str(result.output),
                               "warnings": [w.as_dict() for w in result.warnings]}, ensure_ascii=False, indent=2))
        return
    print_problems(result.warnings)
    click.echo(f"Đã tạo bản thảo: {display_path(result.draft)}")
    click.echo(f"Đã tạo văn bản: {display_path(result.output)}")
    click.echo(f"Sửa {display_path(result.draft)} rồi chạy: drafter render {display_path(result.draft)} --force")


def _check_new_outputs(loai: str, name: str | None, force: bool) -> None:
    """The replace rule for the two files `drafter new` writes (TÊN.yaml, TÊN.docx), before
    it asks anything or writes either: neither is written when one may not be (a
    .docx open in Word would otherwise leave the .yaml written alone)."""
    from ..output_problems import check_outputs

    stem = (name or loai).removesuffix(".yaml")
    if not stem or Path(stem).name != stem or stem in (".", ".."):
        return  # a name drafter new refuses itself, with its own message
    draft = Path.cwd() / f"{stem}.yaml"
    try:
        check_outputs([draft, draft.with_suffix(".docx")], force=force)
    except OSError:
        return  # a name the system refuses (too long): drafter new says so, naming -o


def _stdin_is_terminal() -> bool:
    """Whether `drafter new` may ask (a terminal types its answers; tests set this)."""
    return sys.stdin.isatty()


@click.command(context_settings=CONTEXT)
@click.argument("draft", metavar="BẢN_THẢO.yaml", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=None, metavar="TỆP.docx", help="Tệp kết quả (mặc định: cạnh bản thảo, đuôi .docx).")
@click.option("--force", is_flag=True, help="Ghi đè tệp kết quả đã có.")
@click.option("--pdf", is_flag=True, help="Tạo thêm tệp PDF cạnh văn bản (cần LibreOffice).")
@click.option("--dien-tu", "electronic", is_flag=True,
              help="Trình bày để ban hành điện tử (ký số): chừa chỗ cho ảnh chữ ký và dấu, dòng «Kèm theo» "
                   "theo mẫu điện tử; ghi cả PDF dạng PDF/A để ký bằng drafter ky. Xem docs/ky-so.md.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def render(draft: str, output: str | None, force: bool, pdf: bool, electronic: bool, as_json: bool) -> None:
    """Tạo văn bản Word từ BẢN_THẢO.yaml (sau khi sửa bản thảo)."""
    api = import_paused_gc("drafter.api", freeze=True)

    pdf = pdf or electronic  # an electronic document is issued as its PDF
    also = ()
    if pdf:
        from .. import pdf as pdf_mod

        # the PDF falls under the same replace rule as the .docx, checked before either is written
        also = (pdf_mod.pdf_path_for(Path(output) if output else api.default_output(draft)),)
    result = api.render_file(draft, output, force=force, also=also, electronic=electronic)
    pdfs, pdf_errors = [], []
    if pdf:
        beside = pdf_mod.pdfs_beside([result.output], force=force, pdfa=electronic)
        pdfs, pdf_errors = beside.written, beside.errors
        if electronic:
            from ..electronic import pdf_problems

            pdf_errors += pdf_problems(pdfs)
    if as_json:
        import json

        click.echo(json.dumps({"ok": not pdf_errors, "docx": str(result.output), "pdf": [str(p) for p in pdfs],
                               "pdf_errors": pdf_errors,
                               "warnings": [w.as_dict() for w in result.warnings]}, ensure_ascii=False, indent=2))
    else:
        print_problems(result.warnings)
        click.echo(f"Đã tạo văn bản: {shown(result.output)}")
        for p in pdfs:
            click.echo(f"Đã tạo PDF: {shown(p)}")
        for e in pdf_errors:
            click.echo(e, err=True)
    if pdf_errors:
        sys.exit(1)


@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In danh sách dạng JSON.")
def types(as_json: bool) -> None:
    """Liệt kê các loại văn bản: mã dùng trong bản thảo, tên loại, chữ viết tắt."""
    from ..rules import doctypes

    rows = [{"loai": t.slug, "ten": t.name, "viet_tat": t.abbr or "", "mau": t.layout} for t in doctypes.TYPES]
    if as_json:
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r["loai"]) for r in rows)
    for r in rows:
        click.echo(f"{r['loai']:<{width}}  {r['viet_tat'] or '—':<4}  {r['ten']}")


class _SignedNumberCommand(click.Command):
    """`drafter words -5`, `drafter words -1.500.000 --dong`: a negative number is the
    argument SỐ, not an option."""

    def parse_args(self, ctx, args):
        negative = [a for a in args if _NEGATIVE.fullmatch(a)]
        if negative and "--" not in args:
            args = [a for a in args if not _NEGATIVE.fullmatch(a)] + ["--", *negative]
        return super().parse_args(ctx, args)


_NEGATIVE = re.compile(r"-[0-9].*")  # "-5x" too: the number parser says why it is no number


@click.command(cls=_SignedNumberCommand, context_settings=CONTEXT)
@click.argument("number", metavar="SỐ")
@click.option("--dong/--no-dong", default=False, help="Đọc thành số tiền: 'Bằng chữ: … đồng.'")
@click.option("--le", "zero_tens", flag_value="lẻ", default=None, help="Đọc số 0 hàng chục là 'lẻ' (mặc định 'linh').")
@click.option("--bon", "four", flag_value="bốn", default=None, help="Đọc số 4 hàng đơn vị là 'bốn' (mặc định 'tư').")
@handle_errors
def words(number: str, dong: bool, zero_tens: str | None, four: str | None) -> None:
    """In cách đọc SỐ bằng chữ: 8374000000, 8.374.000.000, 12,5, -5."""
    from ..errors import Problem
    from ..rules import numbers, words as w

    opts = {"zero_tens": zero_tens or "linh", "four": four or "tư"}
    try:
        value = numbers.parse_number(number)
        text = w.amount_in_words(value, **opts) + "." if dong else w.read_number(value, **opts)
    except ValueError as exc:  # no document is made here: the problem alone, exit 1
        print_problems([Problem(str(exc), key="SỐ")])
        sys.exit(1)
    click.echo(f"Bằng chữ: {text}" if dong else text)
