"""`drafter ky BẢN_GỐC.pdf --ban-sao sao-y|sao-luc|trich-sao`: the electronic copy.

Called by `drafter ky` (drafter/cli/sign.py) when --ban-sao is given; the work is
drafter.sign.copy. The number: --so-ban-sao N (with --viet-tat) or the whole
«05/SY-UBND», or --cap-so: the next number of the register's copy series «sao»,
taken in the register's write transaction, so that a copy not written takes none.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .output import refuse, shown

FORM_WORDS = {"sao-y": "bản sao y", "sao-luc": "bản sao lục", "trich-sao": "bản trích sao"}


def run_copy(*, source, form, pages, agency, number, issuer_abbr, cap_so, so_dang_ky, mau, output, p12,
             pkcs11_lib, token, khoa, tsa, force, as_json, refuse, secret) -> None:
    """The whole command: check, open the key, sign (number in the register), write, print."""
    import datetime as dt

    from ..errors import DrafterError
    from ..issue.config import load_settings
    from ..issue.register import Register
    from ..package.atomic import atomic_write_bytes
    from ..rules import copies as rules
    from ..sign import appearance as A
    from ..sign import copy as C
    from ..sign import keys as K
    from ..sign import signer as S

    if form not in rules.FORMS:
        refuse(f"--ban-sao «{form}» không có; chọn sao-y, sao-luc hoặc trich-sao.", None, as_json)
    if bool(number) == bool(cap_so):
        refuse("Bản sao điện tử cần số bản sao: --so-ban-sao N (kèm --viet-tat) hoặc --cap-so (lấy số tiếp theo "
               "của dãy số bản sao trong sổ đăng ký), không dùng cả hai.", None, as_json)
    if cap_so and not (issuer_abbr or "").strip():
        refuse("--cap-so cần chữ viết tắt tên cơ quan sao để ghi «Số: 05/SY-…»: thêm --viet-tat (ví dụ UBND).",
               None, as_json)
    if (so_dang_ky or mau) and not cap_so:
        refuse("--so-dang-ky và --mau chỉ dùng với --cap-so.", None, as_json)
    source = Path(source)
    out_path = Path(output) if output else C.default_output(source, form)
    if out_path.suffix.lower() != ".pdf":
        refuse(f"Bản sao điện tử ghi ra tệp .pdf, không phải {shown(out_path)}.", None, as_json)
    if out_path.exists() and source.exists() and out_path.resolve() == source.resolve():
        refuse("Bản sao không được ghi đè lên văn bản được sao.", "Chọn tên khác bằng -o BAN_SAO.pdf.", as_json)
    if out_path.exists() and not force:
        refuse(f"Đã có tệp {shown(out_path)}.", "Thêm --force để ghi đè, hoặc chọn tên khác bằng -o.", as_json)

    entry = None
    numbered: dict[str, str] = {}
    try:
        prepared = C.prepare(source, form, pages)
        so_text = C.so_line(number, form, issuer_abbr) if number else None

        def sign_and_write(key, so: str):
            content, signed = C.sign_copy(prepared, key, form_slug=form, agency=agency, so=so, tsa_url=tsa)
            signed.path = out_path
            numbered["so"] = so.removeprefix("Số:").strip()
            atomic_write_bytes(out_path, content, force=force)
            return signed

        def with_number(key):
            nonlocal entry
            if not cap_so:
                return sign_and_write(key, so_text)
            when = dt.datetime.now(A.VIETNAM)
            made = {}
            try:
                settings = load_settings(mau)
                with Register.open(so_dang_ky or settings.register) as reg:
                    entry = reg.issue(
                        series=rules.SERIES, year=when.year,
                        fields=C.register_fields(prepared, form, agency or key.subject_name, issuer_abbr, when),
                        file=str(out_path.resolve()),
                        before_commit=lambda e: made.setdefault(
                            "signed", sign_and_write(key, rules.format_so(e.so, form, issuer_abbr))))
            except DrafterError as exc:
                _print_problems(exc, as_json)
            return made["signed"]

        if p12:
            key = K.open_p12(Path(p12), secret("DRAFTER_MAT_KHAU", "Mật khẩu của tệp khóa", "mật khẩu của tệp khóa",
                                               as_json))
            signed = with_number(key)
        else:
            pin = secret("DRAFTER_MA_PIN", "Mã PIN của token", "mã PIN của token", as_json)
            with K.open_pkcs11(pkcs11_lib, token, khoa, pin or None) as key:
                signed = with_number(key)
    except (S.SignProblem, K.KeyProblem, A.AppearanceProblem) as exc:
        refuse(exc.message, exc.hint, as_json)
    except OSError as exc:
        from ..output_problems import write_problem

        _print_problems(DrafterError(write_problem(exc, out_path)), as_json)

    kind = "bản giấy (ảnh quét" + (f" {prepared.min_dpi} dpi" if prepared.min_dpi else "") + ")" \
        if prepared.kind == "ban-giay" else "văn bản điện tử"
    if as_json:
        click.echo(json.dumps({"ok": True, "ban_sao": {
            "hinh_thuc": form, "so_ky_hieu": numbered["so"], "ban_goc": str(source),
            "loai_ban_goc": prepared.kind, "trang": prepared.pages, "dpi": prepared.min_dpi,
            "giu_chu_ky_ban_goc": prepared.incremental,
            "entry": entry.to_json() if entry is not None else None}, "signed": [signed.as_dict()]},
            ensure_ascii=False, indent=2))
        return
    pages_note = f", trang {', '.join(str(p) for p in prepared.pages)} của bản gốc" if form == "trich-sao" else ""
    click.echo(f"Đã ký số {FORM_WORDS[form]} điện tử: {shown(out_path)} — từ {kind}{pages_note}; "
               f"chữ ký số của cơ quan sao ({signed.signer}) ở góc trên bên phải trang 1: "
               + " / ".join(signed.text) + ".")
    if entry is not None:
        click.echo(f"Đã ghi vào sổ đăng ký (dãy số bản sao năm {entry.year}): số {entry.so_ky_hieu}.")
    if prepared.incremental and prepared.kind == "dien-tu":
        click.echo("Các chữ ký số của bản gốc (nếu có) vẫn còn nguyên trong bản sao.")
    click.echo(f"Kiểm tra: drafter xac-minh {shown(out_path)} --tin-cay GỐC.pem (chứng thư gốc của tổ chức chứng thực)")


def _print_problems(exc, as_json: bool) -> None:
    refuse(exc, as_json, "Chưa ký, chưa cấp số bản sao nào.")
