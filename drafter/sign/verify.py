"""Verifying the digital signatures of a PDF (`drafter xac-minh`), with pyHanko.

For each signature, in the order they were made: who signed (the certificate's
subject CN and O), when (the signer's claimed time or the timestamp's, in Vietnam
time, ISO 8601), whether the signed bytes are intact and the signature
cryptographically valid, whether the certificate chains to one of the trust roots
the office provides (``--tin-cay ROOT.pem``: the root certificates of the Vietnamese
CAs, e.g. the national root of the Bộ Khoa học và Công nghệ's NEAC), how much of the
file the signature covers and whether the file was changed after it.

A document signed by the person, then by the agency, is two revisions: the person's
signature covers its revision, and the only later change is the agency's signature
(pyHanko's difference analysis: form filling at most). Anything else appended after
a signature (text drawn on a page, an object replaced) is a change after signing.

Nothing here raises for a PDF it cannot read: `verify` raises DrafterError with a
Vietnamese message naming the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import DrafterError, Position, Problem, display_path, read_refusal

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
MAX_PDF_BYTES = 100 * 1024 * 1024  # as drafter ky (sign/signer.py): larger is refused (docs/limits.md)
MAX_ROOT_BYTES = 1024 * 1024  # a trust-roots file: a few certificates, a few KB each (docs/limits.md)


@dataclass
class SignatureReport:
    number: int  # 1, 2 … in signing order
    field: str
    signer_cn: str
    signer_o: str
    signing_time: str | None  # ISO 8601, +07:00
    time_source: str  # "dấu thời gian" (a TSA's) or "máy người ký" (the signer's claim)
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str | None  # Vietnamese, when not trusted
    chain: list[str]  # subject CNs from the signer's certificate to the trust root
    covers_whole_file: bool
    coverage: str  # Vietnamese
    changed_after: bool
    modification: str  # Vietnamese
    ok: bool

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class VerifyResult:
    file: str
    signatures: list[SignatureReport] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # the trust roots given, by CN

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)


def _problem(path: Path, message: str, hint: str | None = None) -> DrafterError:
    return DrafterError(Problem(message, Position(display_path(path)), hint=hint))


def _subject(cert) -> tuple[str, str]:
    """CN and O of an asn1crypto certificate (pyHanko's type)."""
    native = cert.subject.native
    cn = native.get("common_name", "")
    org = native.get("organization_name", "")
    join = (lambda v: ", ".join(v) if isinstance(v, list) else str(v))
    return join(cn), join(org)


def load_roots(paths: list[Path]) -> list:
    """The trust roots (PEM or DER certificates, several in one PEM file allowed)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for p in paths:
        p = Path(p)
        try:
            if p.stat().st_size > MAX_ROOT_BYTES:
                raise _problem(p, f"Tệp chứng thư gốc lớn hơn {MAX_ROOT_BYTES // 1024} KB: không phải tệp "
                                  "chứng thư (.pem, .cer, .crt).")
            data = p.read_bytes()
        except OSError as exc:
            raise _problem(p, f"Không đọc được tệp chứng thư gốc: {read_refusal(exc)}.") from None
        try:
            if pem.detect(data):
                found = [asn1_x509.Certificate.load(der) for kind, _h, der in pem.unarmor(data, multiple=True)
                         if kind == "CERTIFICATE"]
            else:
                found = [asn1_x509.Certificate.load(data)]
            for c in found:
                _ = c.native  # parse now: a broken file is refused here, not inside the validator
        except (ValueError, TypeError, KeyError) as exc:  # noqa: F841
            raise _problem(p, "Tệp chứng thư gốc không đọc được (cần chứng thư X.509 dạng PEM hoặc DER).",
                           "Lấy lại tệp chứng thư gốc (.pem, .cer, .crt) từ trang của tổ chức cung cấp dịch vụ "
                           "chứng thực.") from None
        if not found:
            raise _problem(p, "Tệp không chứa chứng thư nào (không có khối BEGIN CERTIFICATE).")
        roots += found
    return roots


_TRUST = {
    "NO_CERTIFICATE_CHAIN_FOUND": "không nối được tới chứng thư gốc tin cậy nào đã cho",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "chuỗi chứng thư không hợp lệ",
    "CHAIN_CONSTRAINTS_FAILURE": "chuỗi chứng thư không đáp ứng ràng buộc",
    "EXPIRED": "chứng thư đã hết hạn",
    "NOT_YET_VALID": "chứng thư chưa có hiệu lực",
    "REVOKED": "chứng thư đã bị thu hồi",
    "REVOKED_NO_POE": "chứng thư đã bị thu hồi",
    "REVOKED_CA_NO_POE": "chứng thư của tổ chức cấp đã bị thu hồi",
    "TRY_LATER": "chưa kiểm tra được tình trạng thu hồi",
}


def _trust_problem(status, roots_given: bool) -> str | None:
    if status.trusted:
        return None
    if not (status.intact and status.valid):
        return "không kiểm tra được vì chữ ký không hợp lệ"
    if not roots_given:
        return "chưa cho chứng thư gốc tin cậy (--tin-cay GỐC.pem)"
    indic = status.trust_problem_indic
    name = getattr(indic, "name", None) or ""
    return _TRUST.get(name, "chứng thư không được xác nhận tin cậy" + (f" ({name})" if name else ""))


def _chain(status) -> list[str]:
    path = status.validation_path
    if path is None:
        return []
    try:
        certs = list(path.iter_certs(include_root=True))
    except Exception:  # noqa: BLE001 (a path pyHanko describes differently: no chain shown)
        return []
    return [_subject(c)[0] for c in reversed(certs)]


def _time(status) -> tuple[str | None, str]:
    ts = status.timestamp_validity
    if ts is not None and getattr(ts, "timestamp", None) is not None:
        return ts.timestamp.astimezone(VIETNAM).isoformat(timespec="seconds"), "dấu thời gian"
    when = status.signer_reported_dt
    if when is None:
        return None, "không ghi"
    return when.astimezone(VIETNAM).isoformat(timespec="seconds"), "máy người ký"


def _modification(status, last: bool) -> tuple[bool, str]:
    """Whether the file changed after this signature, and how it is said."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    if level is None:
        return True, "không xác định được phần thêm vào sau chữ ký"
    if level == ModificationLevel.NONE:
        return False, "không có gì thay đổi sau khi ký"
    if level == ModificationLevel.LTA_UPDATES:
        return False, "sau khi ký chỉ thêm thông tin kiểm tra chứng thư hoặc dấu thời gian"
    if level == ModificationLevel.FORM_FILLING and status.docmdp_ok is not False and not last:
        return False, "sau khi ký chỉ thêm chữ ký số khác"
    if level == ModificationLevel.FORM_FILLING:
        return True, "sau chữ ký cuối cùng tệp có thêm trường biểu mẫu hoặc chữ ký chưa ký"
    return True, "tệp đã bị sửa nội dung sau khi ký"


_COVERAGE = {
    "ENTIRE_FILE": "toàn bộ tệp",
    "ENTIRE_REVISION": "toàn bộ tệp tới lúc ký (phần sau là bổ sung)",
    "CONTIGUOUS_BLOCK_FROM_START": "một phần tệp",
    "UNCLEAR": "không rõ phần nào của tệp",
}


def verify(path: Path | str, roots: list[Path] | None = None, *, fetch: bool = False) -> VerifyResult:
    """Verify every signature of the PDF ``path`` against the trust roots ``roots``
    (none given: no signature is trusted). ``fetch``: ask the CA's OCSP/CRL servers
    about revocation (network); else revocation is not checked."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    path = Path(path)
    trust = load_roots([Path(r) for r in roots or []])
    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise _problem(path, f"Tệp PDF lớn {size // (1024 * 1024)} MB, quá giới hạn "
                                 f"{MAX_PDF_BYTES // (1024 * 1024)} MB của drafter xac-minh.")
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(path, f"Không đọc được tệp PDF: {read_refusal(exc)}.") from None
    if not data.lstrip()[:5] == b"%PDF-":
        raise _problem(path, "Tệp không phải PDF (không bắt đầu bằng %PDF-).")
    import io

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:  # noqa: F841
        raise _problem(path, "Tệp PDF hỏng, không đọc được để xác minh chữ ký.") from None
    result = VerifyResult(display_path(path), roots=[_subject(c)[0] for c in trust])
    usage = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)
    with _quiet():
        _each(result, sigs, trust, usage, fetch)
    return result


def _each(result: VerifyResult, sigs: list, trust: list, usage, fetch: bool) -> None:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    for i, emb in enumerate(sigs, start=1):
        vc = ValidationContext(trust_roots=trust, allow_fetching=fetch, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(emb, vc, key_usage_settings=usage)
        except Exception as exc:  # pyHanko's own refusals of a malformed signature  # noqa: BLE001
            result.signatures.append(_broken(i, emb, exc))
            continue
        cn, org = _subject(status.signing_cert)
        when, source = _time(status)
        changed, how = _modification(status, last=i == len(sigs))
        coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
        trusted = bool(status.trusted) and bool(trust)
        rep = SignatureReport(
            number=i, field=emb.field_name or "", signer_cn=cn, signer_o=org,
            signing_time=when, time_source=source,
            intact=bool(status.intact), valid=bool(status.valid),
            trusted=trusted, trust_problem=None if trusted else _trust_problem(status, bool(trust)),
            chain=_chain(status) if trusted else [],
            covers_whole_file=coverage == "ENTIRE_FILE",
            coverage=_COVERAGE.get(coverage, coverage),
            changed_after=changed, modification=how, ok=False,
        )
        rep.ok = rep.intact and rep.valid and rep.trusted and not rep.changed_after
        result.signatures.append(rep)


class _quiet:
    """pyHanko logs each failed check with its English traceback (a signature that does
    not chain to the roots given is an ordinary finding here): silenced while verifying."""

    NAMES = ("pyhanko", "pyhanko_certvalidator")

    def __enter__(self):
        import logging

        self._levels = [(logging.getLogger(n), logging.getLogger(n).level) for n in self.NAMES]
        for logger, _ in self._levels:
            logger.setLevel(logging.CRITICAL + 1)
        return self

    def __exit__(self, *exc):
        for logger, level in self._levels:
            logger.setLevel(level)
        return False


def _broken(i: int, emb, exc: Exception) -> SignatureReport:
    return SignatureReport(
        number=i, field=getattr(emb, "field_name", "") or "", signer_cn="", signer_o="",
        signing_time=None, time_source="không ghi", intact=False, valid=False, trusted=False,
        trust_problem="không đọc được chữ ký", chain=[], covers_whole_file=False,
        coverage="không rõ phần nào của tệp", changed_after=True,
        modification="không kiểm tra được", ok=False)


def lines(result: VerifyResult) -> list[str]:
    """The report, in Vietnamese, one line each."""
    out = []
    n = len(result.signatures)
    if not n:
        return [f"{result.file}: không có chữ ký số nào.", "Kết luận: KHÔNG đạt — tệp chưa được ký số."]
    out.append(f"{result.file}: {n} chữ ký số.")
    for s in result.signatures:
        who = " — ".join(dict.fromkeys(x for x in (s.signer_cn, s.signer_o) if x)) or "(không đọc được)"
        out.append(f"Chữ ký {s.number}{f' (trường {s.field})' if s.field else ''}: {'ĐẠT' if s.ok else 'KHÔNG ĐẠT'}")
        out.append(f"  Người ký: {who}")
        out.append(f"  Thời gian ký: {s.signing_time or 'không ghi'}"
                   + (f" (theo {s.time_source})" if s.signing_time else ""))
        if s.intact and s.valid:
            out.append("  Chữ ký: hợp lệ, phần được ký còn nguyên vẹn")
        elif not s.intact:
            out.append("  Chữ ký: KHÔNG hợp lệ — phần được ký đã bị thay đổi")
        else:
            out.append("  Chữ ký: KHÔNG hợp lệ — chữ ký hoặc chứng thư không đúng")
        if s.trusted:
            out.append("  Chứng thư: tin cậy — " + " → ".join(s.chain))
        else:
            out.append(f"  Chứng thư: CHƯA tin cậy — {s.trust_problem}")
        out.append(f"  Phạm vi ký: {s.coverage}")
        out.append(f"  Sau khi ký: {s.modification}" if not s.changed_after
                   else f"  Sau khi ký: ĐÃ THAY ĐỔI — {s.modification}")
    if result.ok:
        out.append("Kết luận: ĐẠT — mọi chữ ký hợp lệ, chứng thư tin cậy, tệp không bị sửa sau khi ký.")
    else:
        bad = [str(s.number) for s in result.signatures if not s.ok]
        out.append(f"Kết luận: KHÔNG ĐẠT — chữ ký {', '.join(bad)} không đạt (xem trên).")
    return out


def as_json(result: VerifyResult) -> dict:
    return {"ok": result.ok, "file": result.file, "roots": result.roots,
            "signatures": [s.as_dict() for s in result.signatures]}
