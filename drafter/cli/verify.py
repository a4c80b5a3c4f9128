"""`drafter xac-minh VĂN_BẢN.pdf`: the digital signatures of a PDF, checked
(drafter.sign.verify prints nothing; this module prints its report)."""

from __future__ import annotations

import json
import sys

import click

from .output import CONTEXT, handle_errors, refuse


@click.command("xac-minh", context_settings=CONTEXT)
@click.argument("pdf", metavar="VĂN_BẢN.pdf", type=click.Path(dir_okay=False))
@click.option("--tin-cay", "roots", multiple=True, metavar="GỐC.pem", type=click.Path(dir_okay=False),
              help="Chứng thư gốc tin cậy (PEM hoặc DER) của tổ chức cung cấp dịch vụ chứng thực; "
                   "nhắc lại tùy ý: --tin-cay A.pem --tin-cay B.pem.")
@click.option("--tra-thu-hoi", "fetch", is_flag=True,
              help="Hỏi máy chủ OCSP/CRL của tổ chức chứng thực xem chứng thư có bị thu hồi không (cần mạng).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def verify_command(pdf: str, roots: tuple[str, ...], fetch: bool, as_json: bool) -> None:
    """Xác minh các chữ ký số trong VĂN_BẢN.pdf: người ký, thời gian, tin cậy, có bị sửa sau khi ký.

    Với mỗi chữ ký: người ký, thời gian ký (giờ Việt Nam), chữ ký có hợp lệ không,
    chứng thư có nối tới chứng thư gốc tin cậy (--tin-cay) không, chữ ký có phủ toàn
    bộ tệp không và tệp có bị sửa sau khi ký không. Mã thoát 0 chỉ khi mọi chữ ký
    đạt cả bốn điều đó; 1 trong mọi trường hợp khác.
    """
    from ..errors import DrafterError
    from ..sign import verify

    try:
        result = verify.verify(pdf, list(roots), fetch=fetch)
    except DrafterError as exc:  # not a PDF, unreadable, a root that is no certificate
        refuse(exc, as_json, "Chưa xác minh được chữ ký.")
    if as_json:
        click.echo(json.dumps(verify.as_json(result), ensure_ascii=False, indent=2))
    else:
        for line in verify.lines(result):
            click.echo(line)
    if not result.ok:
        sys.exit(1)
