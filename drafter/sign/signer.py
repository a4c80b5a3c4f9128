"""PAdES signatures on a document's PDF, where and as Nghị định 30 says (pyHanko).

`sign_document` adds one signature, as an incremental update that leaves every
earlier signature valid:

- the competent person's (``agency=False``): the handwritten-signature image,
  centred in the blank between the title lines and the name (positions.main_block);
- the agency's (``agency=True``), after the person's: the seal over the left third of
  the person's signature image, with the agency's name and the signing time beside it;
  and, with it, each attachment filed on its own gets the agency's signature at the
  top right of its first page (text only: the main document's số và ký hiệu, time).

Signatures are PAdES baseline (ETSI.CAdES.detached, SHA-256), B-B, or B-T with a
timestamp server (``tsa_url``). Inputs come from clerks: the PDF is read under
limits; every refusal is a `SignProblem` with a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import display_path
from . import appearance as A
from . import positions as P
from .keys import KeyProblem, OpenedKey

MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 2000
PERSON_FIELD = "ChuKyNguoiCoThamQuyen"
AGENCY_FIELD = "ChuKyCoQuan"
TSA_TIMEOUT = 20


class SignProblem(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Signed:
    """One signature made: the file written, whose, where, when."""

    path: Path
    role: str  # "nguoi-ky", "co-quan", "dinh-kem"
    signer: str
    page: int  # 1-based
    rect: tuple[int, int, int, int]
    time: str
    timestamped: bool
    text: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file": str(self.path), "role": self.role, "signer": self.signer, "page": self.page,
                "rect": list(self.rect), "time": self.time, "timestamp": self.timestamped, "text": self.text}


# --------------------------------------------------------------------------- the PDF in


def open_pdf(path: Path):
    """The PDF's bytes and pyHanko reader: a real, readable, unencrypted PDF under the limits."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    shown = display_path(path)
    try:
        if path.is_dir():
            raise SignProblem(f"{shown} là một thư mục, không phải tệp PDF.")
        size = path.stat().st_size
    except FileNotFoundError:
        raise SignProblem(f"Không tìm thấy tệp {shown}.") from None
    if size > MAX_PDF_BYTES:
        raise SignProblem(f"Tệp {shown} quá lớn ({size // (1024 * 1024)} MB; tối đa "
                          f"{MAX_PDF_BYTES // (1024 * 1024)} MB).",
                          hint="Văn bản hành chính chỉ vài MB; kiểm tra lại tệp, hoặc giảm độ phân giải ảnh trong đó.")
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise SignProblem(f"Tệp {shown} không phải tệp PDF.",
                          hint="Chỉ ký được PDF (tạo bằng drafter render --dien-tu, hoặc drafter pdf).")
    if b"%%EOF" not in data[-2048:]:
        raise SignProblem(f"Tệp PDF {shown} bị cắt cụt (thiếu phần cuối tệp).",
                          hint="Tạo lại PDF rồi ký.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        pages = int(reader.root["/Pages"]["/Count"])
    except Exception:
        raise SignProblem(f"Tệp PDF {shown} hỏng, không đọc được.", hint="Tạo lại PDF rồi ký.") from None
    if encrypted:
        raise SignProblem(f"Tệp PDF {shown} có mật khẩu; không ký được.", hint="Dùng bản PDF không đặt mật khẩu.")
    if pages > MAX_PDF_PAGES:
        raise SignProblem(f"Tệp PDF {shown} có {pages} trang (tối đa {MAX_PDF_PAGES}).")
    return data, reader


def existing_signatures(reader) -> dict[str, tuple[int, tuple[Decimal, ...]]]:
    """The signed signature fields: name → (0-based page, /Rect)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    page_refs = []
    try:
        for i in range(int(reader.root["/Pages"]["/Count"])):
            page_refs.append(reader.find_page_for_modification(i)[0])
    except Exception:
        page_refs = []
    found = {}
    for name, value, ref in enumerate_sig_fields(reader, filled_status=True):
        widget = ref.get_object()
        try:
            rect = tuple(Decimal(str(v)) for v in widget["/Rect"])
        except KeyError:
            kids = widget.get("/Kids")
            rect = tuple(Decimal(str(v)) for v in kids[0].get_object()["/Rect"]) if kids else ()
        page = -1
        p = widget.get_value_as_reference("/P", optional=True) if hasattr(widget, "get_value_as_reference") else None
        if p is not None:
            for i, pr in enumerate(page_refs):
                if pr.idnum == p.idnum:
                    page = i
        found[name] = (page, rect)
    return found


# --------------------------------------------------------------------------- signing


def _timestamper(tsa_url: str | None):
    if not tsa_url:
        return None
    if not tsa_url.startswith(("http://", "https://")):
        raise SignProblem(f"Địa chỉ máy chủ dấu thời gian «{tsa_url}» phải bắt đầu bằng http:// hoặc https://.")
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT)


def _sign(data: bytes, key: OpenedKey, *, field_name: str, page: int, box: P.Box, style,
          tsa_url: str | None, when: dt.datetime) -> bytes:
    """pyHanko: one PAdES signature in a new field, as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    class _AtTime(signers.PdfSigner):
        # the signing time the appearance shows is the signature's own (/M, CMS signingTime)
        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when
            return session

    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        use_pades_lta=False)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box.rounded())
    pdf_signer = _AtTime(meta, signer=key.signer, timestamper=_timestamper(tsa_url), stamp_style=style,
                         new_field_spec=spec)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out)
    except Exception as exc:
        raise _signing_failure(exc, tsa_url) from None
    return out.getvalue()


def _signing_failure(exc: Exception, tsa_url: str | None) -> SignProblem:
    from pyhanko.sign.timestamps import TimestampRequestError

    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TimestampRequestError) or (tsa_url and ("imestamp" in text or "aiohttp" in text
                                                              or "Connect" in text)):
        return SignProblem(f"Không lấy được dấu thời gian từ máy chủ {tsa_url}.",
                           hint="Kiểm tra địa chỉ --tsa và kết nối mạng, hoặc ký không có --tsa.")
    if "PKCS11" in text or "pkcs11" in text:
        return SignProblem(f"USB token từ chối ký ({type(exc).__name__}).",
                           hint="Cắm lại token, kiểm tra mã PIN và thử lại.")
    return SignProblem(f"Không ký được văn bản ({text}).")


def _now() -> dt.datetime:
    return dt.datetime.now(A.VIETNAM).replace(microsecond=0)


def person_signature(data: bytes, reader, pdf_path: Path, key: OpenedKey, signature_png: Path, *,
                     tsa_url: str | None = None) -> tuple[bytes, Signed]:
    """The competent person's signature on the main document."""
    shown = display_path(pdf_path)
    if PERSON_FIELD in existing_signatures(reader):
        raise SignProblem(f"{shown} đã có chữ ký số của người có thẩm quyền.",
                          hint="Văn thư ký tiếp bằng --co-quan (chữ ký số của cơ quan).")
    png = A.read_png(signature_png, "ảnh chữ ký")
    try:
        pages = P.read_pages(pdf_path)
        block = P.main_block(pages)
    except P.PositionError as exc:
        raise SignProblem(f"{shown}: {exc}",
                          hint="Ký PDF của văn bản tạo bằng drafter render --dien-tu (khối chữ ký: chức vụ, "
                               "khoảng trống, họ tên).") from None
    box = P.signature_box(block, png.image.size)
    when = _now()
    style = A.person_style(png, (Decimal(box.rounded()[2] - box.rounded()[0]),
                                 Decimal(box.rounded()[3] - box.rounded()[1])))
    out = _sign(data, key, field_name=PERSON_FIELD, page=block.page, box=box, style=style,
                tsa_url=tsa_url, when=when)
    return out, Signed(Path(), "nguoi-ky", key.subject_name, block.page + 1, box.rounded(),
                       A.signing_time(when), bool(tsa_url))


def agency_signature(data: bytes, reader, pdf_path: Path, key: OpenedKey, seal_png: Path, *,
                     tsa_url: str | None = None, when: dt.datetime | None = None) -> tuple[bytes, Signed]:
    """The agency's signature on the main document, after the person's."""
    shown = display_path(pdf_path)
    fields_ = existing_signatures(reader)
    if AGENCY_FIELD in fields_:
        raise SignProblem(f"{shown} đã có chữ ký số của cơ quan.")
    # the person's signature: drafter's field, or the first visible one another program made
    visible = [name for name, (pg, r) in fields_.items() if pg >= 0 and len(r) == 4 and r[0] != r[2]]
    person = PERSON_FIELD if PERSON_FIELD in fields_ else (visible[0] if visible else None)
    if person is None:
        raise SignProblem(f"{shown} chưa có chữ ký số của người có thẩm quyền.",
                          hint="Người có thẩm quyền ký trước (drafter ky không có --co-quan), văn thư ký cơ quan sau.")
    page, rect = fields_[person]
    if page < 0 or len(rect) != 4:
        raise SignProblem(f"{shown}: không xác định được vị trí chữ ký của người có thẩm quyền.")
    x0, y0, x1, y1 = rect
    signature = P.Box(page, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    png = A.read_png(seal_png, "ảnh con dấu")
    seal_pt = A.seal_size(png, seal_png)
    when = when or _now()
    seal = P.seal_box(signature, seal_pt)
    room = _page_width(reader, page) - P.PT_PER_MM * P.ATTACHMENT_RIGHT_MM - (seal.x1 + P.TEXT_GAP_PT)
    lines = A.fit_lines(A.agency_lines(key.subject_name, A.signing_time(when)), room)
    size = A.text_size(lines)
    text = P.seal_text_box(seal, signature, size, floor=_name_top(pdf_path, signature))
    widget = P.Box(page, seal.x0, min(seal.y0, text.y0), max(seal.x1, text.x1), max(seal.y1, text.y1))
    r = widget.rounded()
    origin_x, origin_y = Decimal(r[0]), Decimal(r[1])
    style = A.agency_style(png, seal_pt, lines, text_left=text.x0 - origin_x, text_bottom=text.y0 - origin_y)
    out = _sign(data, key, field_name=AGENCY_FIELD, page=page, box=widget, style=style, tsa_url=tsa_url, when=when)
    return out, Signed(Path(), "co-quan", key.subject_name, page + 1, r, A.signing_time(when), bool(tsa_url), lines)


def attachment_signature(data: bytes, reader, pdf_path: Path, key: OpenedKey, so_ky_hieu: str, *,
                         tsa_url: str | None = None, when: dt.datetime | None = None) -> tuple[bytes, Signed]:
    """The agency's signature on an attachment filed on its own: top right of page 1, text only."""
    shown = display_path(pdf_path)
    if AGENCY_FIELD in existing_signatures(reader):
        raise SignProblem(f"{shown} đã có chữ ký số của cơ quan.")
    when = when or _now()
    lines = A.attachment_lines(key.subject_name, so_ky_hieu, A.signing_time(when))
    try:
        first = P.read_pages(pdf_path, first=1, last=1)
    except P.PositionError as exc:
        raise SignProblem(f"{shown}: {exc}") from None
    if not first:
        raise SignProblem(f"{shown}: PDF không có trang nào.")
    box = P.attachment_box(first[0], A.text_size(lines))
    style = A.text_only_style(lines)
    out = _sign(data, key, field_name=AGENCY_FIELD, page=0, box=box, style=style, tsa_url=tsa_url, when=when)
    return out, Signed(Path(), "dinh-kem", key.subject_name, 1, box.rounded(), A.signing_time(when),
                       bool(tsa_url), lines)


def _name_top(pdf_path: Path, signature: P.Box) -> Decimal | None:
    """The top of the signer's name under the person's signature image, or None."""
    try:
        pages = P.read_pages(pdf_path, first=signature.page + 1, last=signature.page + 1)
    except P.PositionError:
        return None
    for block in P.find_blocks(pages):
        if block.name.box.y1 <= signature.y0 and block.name.box.x0 < signature.x1 \
                and block.name.box.x1 > signature.x0:
            return block.name.box.y1 + 1
    return None


def _page_width(reader, page: int) -> Decimal:
    """The width of a page's media box, in points (A4 when it cannot be read)."""
    try:
        obj = reader.find_page_for_modification(page)[0].get_object()
        while "/MediaBox" not in obj and "/Parent" in obj:
            obj = obj["/Parent"].get_object()
        box = [Decimal(str(v)) for v in obj["/MediaBox"]]
        return box[2] - box[0]
    except Exception:
        return Decimal("595.3")


def main_so_ky_hieu(pdf_path: Path) -> str:
    """The main document's số và ký hiệu, read from its first page."""
    try:
        first = P.read_pages(pdf_path, first=1, last=1)
    except P.PositionError as exc:
        raise SignProblem(f"{display_path(pdf_path)}: {exc}") from None
    found = P.so_ky_hieu(first[0]) if first else None
    if not found:
        raise SignProblem(f"Không tìm thấy số và ký hiệu («Số: …/…») trên trang 1 của {display_path(pdf_path)}.",
                          hint="Văn bản kèm theo được ký với số và ký hiệu của văn bản chính: cấp số trước khi ký.")
    return found


def attachment_output(output: Path, attachment: Path) -> Path:
    """Where a signed attachment goes: beside the signed main document, «<tên>-da-ky.pdf».

    >>> attachment_output(Path("ra/qd-da-ky.pdf"), Path("vao/phu-luc.pdf")).as_posix()
    'ra/phu-luc-da-ky.pdf'
    """
    return output.parent / f"{attachment.stem}-da-ky.pdf"


def default_output(pdf_path: Path) -> Path:
    """The signed PDF when no -o is given: «<tên>-da-ky.pdf» beside the input.

    >>> default_output(Path("vb/qd.pdf")).as_posix()
    'vb/qd-da-ky.pdf'
    """
    return pdf_path.with_name(f"{pdf_path.stem}-da-ky.pdf")


__all__ = [
    "KeyProblem",
    "SignProblem",
    "Signed",
    "agency_signature",
    "attachment_output",
    "attachment_signature",
    "default_output",
    "main_so_ky_hieu",
    "open_pdf",
    "person_signature",
]
