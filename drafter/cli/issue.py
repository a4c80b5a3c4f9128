"""`drafter cap-so`, `drafter huy-so`, `drafter sao-luu-so`: the outgoing register.

The work is drafter.issue (stamp.number_document, register.Register); this module
reads the options, prints the register's row and chooses the exit code.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from .output import CONTEXT, handle_errors, print_problems, refuse, shown

_REGISTER_HELP = ("Sổ đăng ký: tệp .sqlite3 hoặc thư mục chứa nó (mặc định: khóa so_dang_ky.thu_muc của "
                  "--mau, biến DRAFTER_SO_DANG_KY, rồi thư mục dữ liệu của người dùng).")
_MAU_HELP = ("Mẫu dùng chung (hoặc bản thảo .yaml) có khóa so_dang_ky: thư mục sổ, sổ riêng theo loại, "
             "sổ của hội đồng.")


def _date(ctx, param, value):
    if value is None:
        return None
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise click.BadParameter(f"'{value}' không phải một ngày; viết năm-tháng-ngày (2026-03-05) hoặc 05/03/2026.")


def _register_path(so_dang_ky, settings):
    return so_dang_ky if so_dang_ky else settings.register


def entry_lines(e) -> list[str]:
    """A register row in the clerk's words, one column of Phụ lục IV a line."""
    from drafter.issue import series as series_mod

    dash = "—"
    ngay = e.ngay.strftime("%d/%m/%Y") if e.ngay else dash
    lines = [
        f"Số, ký hiệu: {e.so_ky_hieu}" + (" (ĐÃ HỦY)" if e.cancelled else ""),
        f"Ngày tháng: {ngay}",
        f"Tên loại và trích yếu: {e.ten_loai_trich_yeu or dash}",
        f"Người ký: {e.nguoi_ky or dash}",
        f"Nơi nhận: {'; '.join(e.noi_nhan) or dash}",
        f"Đơn vị, người nhận bản lưu: {', '.join(e.ban_luu) or dash}",
        f"Số lượng bản: {e.so_luong_ban if e.so_luong_ban is not None else dash}",
        f"Ghi chú: {e.ghi_chu or dash}",
        f"Sổ: {series_mod.describe(e.series)} ({e.series}), năm {e.year}",
    ]
    if e.cancelled:
        lines.append(f"Hủy bởi: {e.huy_boi}; lý do: {e.huy_ly_do}" + (f"; lúc {e.huy_luc}" if e.huy_luc else ""))
    return lines


@click.command("cap-so", context_settings=CONTEXT)
@click.argument("files", metavar="VĂN_BẢN.docx…", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--ngay", default=None, metavar="NGÀY", callback=_date,
              help="Ngày ban hành (2026-03-05 hoặc 05/03/2026). Mặc định: ngày đã ghi trong văn bản, "
                   "nếu để trống thì hôm nay.")
@click.option("--so-ban", "so_ban", default=None, type=click.IntRange(1, 100000), metavar="N",
              help="Số lượng bản phát hành (cột «Số lượng bản» của sổ).")
@click.option("--ghi-chu", "ghi_chu", default="", metavar="CHỮ", help="Ghi chú của sổ đăng ký.")
@click.option("--so", "series", default=None, metavar="SỔ",
              help="Chọn hẳn sổ lấy số: chung, mat, loai:quyet-dinh, hoi-dong:HĐTĐKT… (mặc định: theo văn bản "
                   "và mẫu).")
@click.option("--so-dang-ky", "so_dang_ky", default=None, metavar="ĐƯỜNG_DẪN", help=_REGISTER_HELP)
@click.option("--mau", default=None, metavar="TÊN", help=_MAU_HELP)
@click.option("--force", is_flag=True, help="Cấp số mới cả cho văn bản đã có số (số cũ do sổ cấp thì được đánh dấu hủy).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def cap_so_command(files, ngay, so_ban, ghi_chu, series, so_dang_ky, mau, force, as_json):
    """Cấp số và ngày ban hành cho văn bản, ghi vào sổ đăng ký văn bản đi.

    Tìm dòng «Số: …/…» và dòng «…, ngày … tháng … năm …» trong văn bản (do drafter
    tạo hoặc nhập), ghi số tiếp theo của sổ (01, 02… từ ngày 01 tháng 01) và ngày
    ban hành ngay trên tệp, không đổi gì khác; các dòng «(Kèm theo Quyết định số …)»
    của chính văn bản cũng được ghi số, ngày. Sổ ghi đủ các cột của Phụ lục IV đọc
    từ văn bản: số, ký hiệu, ngày, tên loại và trích yếu, người ký, nơi nhận, bản
    lưu. Nhiều tệp thì cấp số lần lượt theo thứ tự đã ghi. Văn bản đã có số chỉ được
    cấp lại với --force.
    """
    from drafter.errors import DrafterError
    from drafter.issue.config import load_settings
    from drafter.issue.register import Register
    from drafter.issue.stamp import number_document

    results, failed = [], []
    try:
        settings = load_settings(mau)
        reg = Register.open(_register_path(so_dang_ky, settings))
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa cấp số nào.")
    with reg:
        for f in files:
            try:
                r = number_document(f, register=reg, ngay=ngay, force=force, so_ban=so_ban, ghi_chu=ghi_chu,
                                    series=series, rules=settings.rules)
            except DrafterError as exc:
                failed.append((f, exc.problems))
                if not as_json:
                    print_problems(exc.problems)
                    click.echo(f"Chưa cấp số cho {shown(f)}.", err=True)
                continue
            results.append(r)
            if not as_json:
                e = r.entry
                ngay_text = e.ngay.strftime("%d/%m/%Y") if e.ngay else ""
                click.echo(f"Đã cấp số: {shown(r.file)} — Số: {e.so_ky_hieu}, ngày {ngay_text}")
                for line in entry_lines(e):
                    click.echo(f"  {line}")
                click.echo(f"  Sổ đăng ký: {r.register}")
                for n in r.notes:
                    click.echo(f"ghi chú: {n}", err=True)
    if as_json:
        click.echo(json.dumps({
            "ok": not failed,
            "numbered": [r.as_dict() for r in results],
            "problems": [p.as_dict() for _, ps in failed for p in ps],
        }, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@click.command("huy-so", context_settings=CONTEXT)
@click.argument("so", metavar="SỐ", type=click.IntRange(1))
@click.option("--nam", type=click.IntRange(1900, 9999), default=None, metavar="NĂM",
              help="Năm của số (mặc định: năm nay).")
@click.option("--so", "series", default="chung", show_default=True, metavar="SỔ",
              help="Sổ của số: chung, mat, sao, loai:quyet-dinh, hoi-dong:…")
@click.option("--nguoi-huy", "who", required=True, metavar="HỌ_TÊN", help="Người hủy số (ghi vào sổ).")
@click.option("--ly-do", "why", required=True, metavar="LÝ_DO", help="Lý do hủy (ghi vào sổ).")
@click.option("--so-dang-ky", "so_dang_ky", default=None, metavar="ĐƯỜNG_DẪN", help=_REGISTER_HELP)
@click.option("--mau", default=None, metavar="TÊN", help=_MAU_HELP)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def huy_so_command(so, nam, series, who, why, so_dang_ky, mau, as_json):
    """Hủy một số đã cấp trong sổ đăng ký (ghi người hủy, lý do).

    Số đã hủy vẫn ở trong sổ, đánh dấu «đã hủy», và không bao giờ được cấp lại:
    văn bản sau vẫn lấy số tiếp theo.
    """
    from drafter.errors import DrafterError
    from drafter.issue.config import load_settings
    from drafter.issue.register import Register

    year = nam or dt.date.today().year
    try:
        settings = load_settings(mau)
        with Register.open(_register_path(so_dang_ky, settings), create=False) as reg:
            e = reg.cancel(series=series, year=year, so=so, who=who, why=why)
            path = shown(reg.path)
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa hủy số nào.")
    if as_json:
        click.echo(json.dumps({"ok": True, "register": path, "entry": e.to_json()}, ensure_ascii=False, indent=2))
        return
    click.echo(f"Đã hủy số {e.so_ky_hieu} năm {e.year} trong sổ {path}.")
    for line in entry_lines(e):
        click.echo(f"  {line}")


@click.command("sao-luu-so", context_settings=CONTEXT)
@click.argument("dest", metavar="ĐÍCH", type=click.Path())
@click.option("--so-dang-ky", "so_dang_ky", default=None, metavar="ĐƯỜNG_DẪN", help=_REGISTER_HELP)
@click.option("--mau", default=None, metavar="TÊN", help=_MAU_HELP)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def sao_luu_so_command(dest, so_dang_ky, mau, as_json):
    """Sao lưu sổ đăng ký ra ĐÍCH (một tệp mới, hoặc thư mục: tên theo ngày giờ).

    Dùng cơ chế sao lưu của SQLite (an toàn cả khi đang có người cấp số), rồi mở bản
    sao để kiểm tra toàn vẹn và đủ các dòng. Không ghi đè tệp đã có.
    """
    from drafter.errors import DrafterError
    from drafter.issue.config import load_settings
    from drafter.issue.register import Register

    try:
        settings = load_settings(mau)
        with Register.open(_register_path(so_dang_ky, settings), create=False) as reg:
            out = reg.backup(dest)
            count = len(reg.entries())
            path = shown(reg.path)
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa sao lưu được sổ đăng ký.")
    if as_json:
        click.echo(json.dumps({"ok": True, "register": path, "backup": shown(out), "entries": count},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"Đã sao lưu sổ đăng ký {path} ({count} số) ra {shown(out)}; bản sao đã được kiểm tra.")
