"""`drafter ky`: digital signatures on a document's PDF where Nghị định 30 puts them.

The work is drafter.sign (positions, appearance, keys, signer); this module reads the
options, asks for the password or PIN when no variable gives it, and prints.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .output import CONTEXT, handle_errors, refuse, shown

ROLE_WORDS = {
    "nguoi-ky": "chữ ký số của người có thẩm quyền",
    "co-quan": "chữ ký số của cơ quan",
    "dinh-kem": "chữ ký số của cơ quan trên văn bản kèm theo",
}


def _refuse(message: str, hint: str | None, as_json: bool, where: str | None = None) -> None:
    from ..errors import Position, Problem

    problem = Problem(message, Position(where) if where else Position(), hint=hint)
    if as_json:
        click.echo(json.dumps({"ok": False, "problems": [problem.as_dict()]}, ensure_ascii=False, indent=2))
    else:
        click.echo(problem.format(), err=True)
        click.echo("Chưa ký văn bản nào.", err=True)
    sys.exit(1)


def _secret(variable: str, prompt: str, what: str, as_json: bool) -> str:
    """The password or PIN: the variable's value, else asked without echo."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    stdin = sys.stdin
    try:
        if stdin.isatty():
            return click.prompt(prompt, hide_input=True, default="", show_default=False, err=True)
        # piped in (echo … | drafter ky …): one line, never echoed back
        click.echo(f"{prompt}: ", err=True, nl=False)
        line = stdin.readline()
        click.echo("", err=True)
        if line:
            return line.rstrip("\r\n")
        raise click.exceptions.Abort()
    except click.exceptions.Abort:  # nothing to read (stdin closed), or Ctrl-C at the prompt
        _refuse(f"Không nhận được {what}.", f"Đặt biến môi trường {variable}, hoặc chạy lệnh trong cửa sổ dòng lệnh "
                                           f"để nhập.", as_json)


@click.command("ky", context_settings=CONTEXT)
@click.argument("pdf_file", metavar="VĂN_BẢN.pdf", type=click.Path(dir_okay=True))
@click.option("-o", "--output", default=None, metavar="RA.pdf", type=click.Path(dir_okay=False),
              help="PDF đã ký (mặc định: <tên>-da-ky.pdf cạnh VĂN_BẢN.pdf).")
@click.option("--p12", "p12", default=None, metavar="KHÓA.p12", type=click.Path(dir_okay=True),
              help="Tệp chứng thư số PKCS#12 (.p12/.pfx); mật khẩu lấy từ biến DRAFTER_MAT_KHAU hoặc được hỏi.")
@click.option("--pkcs11", "pkcs11_lib", default=None, metavar="THƯ_VIỆN.so",
              help="Ký bằng USB token: thư viện PKCS#11 của token (ví dụ /usr/lib/…/libxxx.so); "
                   "mã PIN lấy từ biến DRAFTER_MA_PIN hoặc được hỏi.")
@click.option("--token", default=None, metavar="TÊN", help="Tên (label) của token, khi cắm nhiều token.")
@click.option("--khoa", default=None, metavar="TÊN", help="Tên (label) của khóa trên token, khi token có nhiều khóa.")
@click.option("--anh-chu-ky", "anh_chu_ky", default=None, metavar="CK.png", type=click.Path(dir_okay=True),
              help="Ảnh chữ ký tay của người có thẩm quyền: PNG nền trong suốt, màu xanh.")
@click.option("--anh-dau", "anh_dau", default=None, metavar="DAU.png", type=click.Path(dir_okay=True),
              help="Ảnh con dấu của cơ quan (với --co-quan): PNG nền trong suốt, màu đỏ, "
                   "ghi độ phân giải để đúng kích thước thật.")
@click.option("--co-quan", "co_quan", is_flag=True,
              help="Ký số của cơ quan (văn thư ký sau người có thẩm quyền): ảnh dấu trùm 1/3 ảnh chữ ký bên trái, "
                   "tên cơ quan và thời gian ký.")
@click.option("--dinh-kem", "dinh_kem", multiple=True, metavar="PHU_LUC.pdf", type=click.Path(dir_okay=True),
              help="Văn bản kèm theo là tệp riêng (với --co-quan; ghi nhiều lần được): ký số của cơ quan ở góc "
                   "trên bên phải trang đầu, ghi số và ký hiệu của văn bản chính. Ghi ra <tên>-da-ky.pdf cạnh RA.pdf.")
@click.option("--tsa", default=None, metavar="URL", help="Máy chủ dấu thời gian (RFC 3161), ví dụ http://tsa.example.vn.")
@click.option("--cap-so", "cap_so", is_flag=True,
              help="Cấp số cho văn bản (tệp .docx cùng tên cạnh PDF, hoặc --docx), ghi sổ đăng ký, tạo lại PDF "
                   "(PDF/A) rồi mới ký.")
@click.option("--docx", "docx", default=None, metavar="VĂN_BẢN.docx", type=click.Path(dir_okay=True),
              help="Với --cap-so: tệp Word của văn bản (mặc định: cùng tên với PDF).")
@click.option("--so-dang-ky", "so_dang_ky", default=None, metavar="ĐƯỜNG_DẪN",
              help="Với --cap-so: sổ đăng ký (như drafter cap-so).")
@click.option("--mau", default=None, metavar="TÊN", help="Với --cap-so: mẫu dùng chung có khóa so_dang_ky.")
@click.option("--ban-sao", "ban_sao", default=None, metavar="sao-y|sao-luc|trich-sao",
              help="Bản sao điện tử: VĂN_BẢN là bản gốc (PDF, hoặc bản giấy quét: PDF, PNG, JPEG màu từ 200 dpi); "
                   "văn thư ký số của cơ quan sao ở góc trên bên phải trang 1 (hình thức sao, số, cơ quan, "
                   "thời gian). Xem docs/ban-sao.md.")
@click.option("--trang", default=None, metavar="1-2", help="Với --ban-sao trich-sao: các trang được trích.")
@click.option("--so-ban-sao", "so_ban_sao", default=None, metavar="N|05/SY-UBND",
              help="Với --ban-sao: số bản sao (kèm --viet-tat), hoặc cả số và ký hiệu; hoặc dùng --cap-so.")
@click.option("--viet-tat", "viet_tat", default=None, metavar="UBND",
              help="Với --ban-sao: chữ viết tắt tên cơ quan sao, trong ký hiệu «05/SY-UBND».")
@click.option("--co-quan-sao", "co_quan_sao", default=None, metavar="TÊN",
              help="Với --ban-sao: tên cơ quan sao hiện trên chữ ký (mặc định: tên trên chứng thư số).")
@click.option("--force", is_flag=True, help="Ghi đè PDF đã ký đã có.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def ky_command(pdf_file, output, p12, pkcs11_lib, token, khoa, anh_chu_ky, anh_dau, co_quan, dinh_kem, tsa,
               cap_so, docx, so_dang_ky, mau, ban_sao, trang, so_ban_sao, viet_tat, co_quan_sao, force, as_json):
    """Ký số văn bản PDF theo Nghị định 30/2020/NĐ-CP (chữ ký số PAdES).

    Không có --co-quan: chữ ký số của người có thẩm quyền, hiện ảnh chữ ký tay
    (--anh-chu-ky) ở giữa dòng chức vụ và họ tên. Có --co-quan (văn thư, sau khi người
    có thẩm quyền đã ký): chữ ký số của cơ quan, hiện ảnh dấu (--anh-dau) trùm khoảng
    1/3 ảnh chữ ký bên trái, kèm tên cơ quan và thời gian ký (Times New Roman 10).
    Vị trí được tìm từ chính văn bản, không phải nhập. Chữ ký sau không làm mất hiệu
    lực chữ ký trước. Khóa: tệp .p12 (--p12) hoặc USB token (--pkcs11).
    Có --ban-sao: bản sao điện tử (docs/ban-sao.md), chữ ký số của cơ quan sao ở góc
    trên bên phải trang 1. Xem docs/ky-so.md; kiểm tra lại bằng drafter xac-minh.
    """
    from ..package.atomic import atomic_write_bytes
    from ..sign import appearance as A
    from ..sign import keys as K
    from ..sign import signer as S

    pdf_path = Path(pdf_file)
    if bool(p12) == bool(pkcs11_lib):
        _refuse("Cần đúng một nguồn khóa: --p12 KHÓA.p12 hoặc --pkcs11 THƯ_VIỆN.so.", None, as_json)
    if (token or khoa) and not pkcs11_lib:
        _refuse("--token và --khoa chỉ dùng với --pkcs11.", None, as_json)
    if ban_sao:  # the electronic copy: drafter/cli/sign_copy.py
        if anh_chu_ky or anh_dau or co_quan or dinh_kem or docx:
            _refuse("Bản sao điện tử (--ban-sao) chỉ có chữ ký số của cơ quan sao, không có ảnh: bỏ --anh-chu-ky, "
                    "--anh-dau, --co-quan, --dinh-kem, --docx.", None, as_json)
        from .sign_copy import run_copy

        run_copy(source=pdf_path, form=ban_sao, pages=trang, agency=co_quan_sao, number=so_ban_sao,
                 issuer_abbr=viet_tat, cap_so=cap_so, so_dang_ky=so_dang_ky, mau=mau, output=output, p12=p12,
                 pkcs11_lib=pkcs11_lib, token=token, khoa=khoa, tsa=tsa, force=force, as_json=as_json,
                 refuse=_refuse, secret=_secret)
        return
    if trang or so_ban_sao or viet_tat or co_quan_sao:
        _refuse("--trang, --so-ban-sao, --viet-tat và --co-quan-sao chỉ dùng với --ban-sao.", None, as_json)
    if co_quan and not anh_dau:
        _refuse("Ký số của cơ quan (--co-quan) cần ảnh con dấu: --anh-dau DAU.png.", None, as_json)
    if not co_quan and not anh_chu_ky:
        _refuse("Ký số của người có thẩm quyền cần ảnh chữ ký: --anh-chu-ky CK.png.",
                "Văn thư ký số của cơ quan thì thêm --co-quan và --anh-dau.", as_json)
    if dinh_kem and not co_quan:
        _refuse("Văn bản kèm theo (--dinh-kem) do văn thư ký bằng chữ ký số của cơ quan: thêm --co-quan.", None,
                as_json)
    if (docx or so_dang_ky or mau) and not cap_so:
        _refuse("--docx, --so-dang-ky và --mau chỉ dùng với --cap-so.", None, as_json)
    out_path = Path(output) if output else S.default_output(pdf_path)
    outputs = [out_path, *(S.attachment_output(out_path, Path(a)) for a in dinh_kem)]
    if len({p.resolve() for p in outputs}) != len(outputs):
        _refuse("Hai văn bản kèm theo cùng tên: tệp đã ký sẽ trùng nhau.", None, as_json)
    for target in outputs:
        if target.exists() and not force:
            _refuse(f"Đã có tệp {shown(target)}.", "Thêm --force để ghi đè, hoặc chọn tên khác bằng -o.", as_json)

    try:
        data, reader = S.open_pdf(pdf_path)
        if cap_so:
            pdf_path, data, reader = _number_and_remake(pdf_path, data, reader, docx, so_dang_ky, mau, as_json)
        attachments = [(Path(a), *S.open_pdf(Path(a))) for a in dinh_kem]
        # the images checked before the password or PIN is asked for
        if co_quan:
            A.seal_size(A.read_png(Path(anh_dau), "ảnh con dấu"), Path(anh_dau))
        else:
            A.read_png(Path(anh_chu_ky), "ảnh chữ ký")
        so_ky_hieu = S.main_so_ky_hieu(pdf_path) if dinh_kem else None
        if p12:
            key = K.open_p12(Path(p12), _secret("DRAFTER_MAT_KHAU", "Mật khẩu của tệp khóa", "mật khẩu của tệp khóa",
                                                as_json))
            made = _sign_all(S, key, pdf_path, data, reader, co_quan, anh_chu_ky, anh_dau, attachments,
                             so_ky_hieu, tsa, out_path)
        else:
            pin = _secret("DRAFTER_MA_PIN", "Mã PIN của token", "mã PIN của token", as_json)
            with K.open_pkcs11(pkcs11_lib, token, khoa, pin or None) as key:
                made = _sign_all(S, key, pdf_path, data, reader, co_quan, anh_chu_ky, anh_dau, attachments,
                                 so_ky_hieu, tsa, out_path)
    except (S.SignProblem, K.KeyProblem, A.AppearanceProblem) as exc:
        _refuse(exc.message, exc.hint, as_json)

    for content, signed in made:  # everything signed: now written, each file atomically
        atomic_write_bytes(signed.path, content, force=force)
    if as_json:
        click.echo(json.dumps({"ok": True, "signed": [s.as_dict() for _, s in made]}, ensure_ascii=False, indent=2))
        return
    for _, s in made:
        click.echo(f"Đã ký số: {shown(s.path)} — {ROLE_WORDS[s.role]} ({s.signer}), trang {s.page}, "
                   f"lúc {s.time}" + (", có dấu thời gian" if s.timestamped else "") + ".")
    click.echo(f"Kiểm tra: drafter xac-minh {shown(out_path)} --tin-cay GỐC.pem (chứng thư gốc của tổ chức chứng thực)")


def _sign_all(S, key, pdf_path, data, reader, co_quan, anh_chu_ky, anh_dau, attachments, so_ky_hieu, tsa, out_path):
    """The main document's signature, then each attachment's: (bytes, Signed) for each file."""
    made = []
    if co_quan:
        content, signed = S.agency_signature(data, reader, pdf_path, key, Path(anh_dau), tsa_url=tsa)
    else:
        content, signed = S.person_signature(data, reader, pdf_path, key, Path(anh_chu_ky), tsa_url=tsa)
    signed.path = out_path
    made.append((content, signed))
    for path, a_data, a_reader in attachments:
        content, signed = S.attachment_signature(a_data, a_reader, path, key, so_ky_hieu, tsa_url=tsa)
        signed.path = S.attachment_output(out_path, path)
        made.append((content, signed))
    return made


def _number_and_remake(pdf_path: Path, data: bytes, reader, docx, so_dang_ky, mau, as_json):
    """--cap-so: number the .docx (drafter cap-so's library), make its PDF again (PDF/A), read it."""
    from .. import pdf
    from ..errors import DrafterError
    from ..issue.config import load_settings
    from ..issue.register import Register
    from ..issue.stamp import number_document
    from ..sign import signer as S

    if S.existing_signatures(reader):
        _refuse(f"{shown(pdf_path)} đã có chữ ký số: cấp số bây giờ sẽ làm mất hiệu lực chữ ký đó.",
                "Cấp số (drafter cap-so hoặc --cap-so) trước khi người có thẩm quyền ký.", as_json)
    docx_path = Path(docx) if docx else pdf_path.with_suffix(".docx")
    if not docx_path.is_file():
        _refuse(f"Không tìm thấy tệp Word {shown(docx_path)} để cấp số.",
                "Đặt tệp .docx cùng tên cạnh PDF, hoặc chỉ rõ bằng --docx.", as_json)
    try:
        settings = load_settings(mau)
        with Register.open(so_dang_ky or settings.register) as reg:
            numbered = number_document(docx_path, register=reg, rules=settings.rules)
    except DrafterError as exc:
        refuse(exc, as_json, "Chưa cấp số, chưa ký văn bản nào.")
    if not as_json:
        click.echo(f"Đã cấp số: {shown(docx_path)} — Số: {numbered.entry.so_ky_hieu}")
    try:
        result = pdf.convert_result([docx_path], pdf_path.parent, force=True, pdfa=True)
    except pdf.PdfError as exc:
        _refuse(f"Đã cấp số nhưng chưa tạo lại được PDF: {exc}", "Chạy drafter pdf rồi ký lại (không --cap-so).",
                as_json)
    if not result.written:
        why = "; ".join(result.failed.values())
        _refuse(f"Đã cấp số nhưng chưa tạo lại được PDF ({why}).", "Chạy drafter pdf rồi ký lại (không --cap-so).",
                as_json)
    new_pdf = result.written[0]
    data, reader = S.open_pdf(new_pdf)
    return new_pdf, data, reader
