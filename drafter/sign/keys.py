"""The signing key: a PKCS#12 file (.p12/.pfx) or a PKCS#11 token (the USB tokens
Vietnamese certificate authorities issue), opened as a pyHanko signer.

Every failure a clerk can cause — a wrong password or PIN, a file that is no
PKCS#12, a token not plugged in, a key label that is not on it — is a `KeyError_`
with a Vietnamese message; the password and PIN are never printed.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import display_path

MAX_P12_BYTES = 1024 * 1024  # a PKCS#12 file holds a key and a few certificates: a few KB


class KeyProblem(Exception):
    """A key that cannot be used, in Vietnamese (the CLI prints it, exit 1)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class OpenedKey:
    """A pyHanko signer and what the appearance shows of its certificate."""

    signer: object  # pyhanko.sign.signers.Signer
    subject_name: str  # the certificate's CN (an agency's name, a person's name)
    organisation: str | None


def _names(cert) -> tuple[str, str | None]:
    """The CN and O of an asn1crypto certificate's subject."""
    native = cert.subject.native
    cn = native.get("common_name") or cert.subject.human_friendly
    org = native.get("organization_name")
    if isinstance(cn, list):
        cn = cn[0]
    if isinstance(org, list):
        org = org[0]
    return str(cn), (str(org) if org else None)


def _is_pfx(data: bytes) -> bool:
    """Whether ``data`` parses as a PKCS#12 (PFX) structure at all.

    >>> _is_pfx(b"not a pfx")
    False
    """
    from asn1crypto import pkcs12

    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        pfx["auth_safe"]["content_type"].native  # noqa: B018 (forces the parse)
        return True
    except Exception:
        return False


def open_p12(path: Path, password: str) -> OpenedKey:
    """The key and certificate of a PKCS#12 file, or a KeyProblem."""
    from pyhanko.sign import signers

    shown = display_path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise KeyProblem(f"Không tìm thấy tệp khóa {shown}.") from None
    except OSError as exc:
        raise KeyProblem(f"Không đọc được tệp khóa {shown} ({exc.strerror}).") from None
    if path.is_dir():
        raise KeyProblem(f"{shown} là một thư mục, không phải tệp khóa .p12.")
    if size > MAX_P12_BYTES:
        raise KeyProblem(f"Tệp khóa {shown} quá lớn ({size:,} byte; tệp .p12 chỉ vài KB, tối đa 1 MB)."
                         .replace(",", "."), hint="Kiểm tra lại: đây có đúng là tệp chứng thư số .p12/.pfx?")
    data = path.read_bytes()
    if not _is_pfx(data):
        raise KeyProblem(f"Tệp {shown} không phải tệp khóa PKCS#12 (.p12/.pfx).",
                         hint="Dùng tệp chứng thư số do tổ chức chứng thực cấp, dạng .p12 hoặc .pfx.")
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=password.encode("utf-8") or None)
    except ValueError:
        raise KeyProblem(f"Sai mật khẩu của tệp khóa {shown} (hoặc tệp hỏng).",
                         hint="Nhập lại mật khẩu (biến DRAFTER_MAT_KHAU hoặc khi được hỏi).") from None
    if signer.signing_cert is None or signer.signing_key is None:
        raise KeyProblem(f"Tệp {shown} không chứa khóa bí mật kèm chứng thư số để ký.")
    cn, org = _names(signer.signing_cert)
    return OpenedKey(signer, cn, org)


@contextmanager
def open_pkcs11(lib: str, token: str | None, key_label: str | None, pin: str | None):
    """The key and certificate on a PKCS#11 token; the session is closed on leaving."""
    lib_path = Path(lib)
    shown = display_path(lib_path)
    if not lib_path.is_file():
        raise KeyProblem(f"Không tìm thấy thư viện PKCS#11 {shown}.",
                         hint="Cài phần mềm của USB token (nhà cung cấp chứng thư số) và chỉ đúng tệp .so/.dll.")
    try:
        import pkcs11
        from pkcs11 import exceptions as p11e
        from pyhanko.sign import pkcs11 as hpk
    except ImportError:  # pragma: no cover - a dependency of drafter
        raise KeyProblem("Thiếu thư viện python-pkcs11 để dùng USB token.",
                         hint="pip install 'pyhanko[pkcs11]'") from None
    try:
        lib_obj = pkcs11.lib(str(lib_path))
    except Exception:
        raise KeyProblem(f"Không nạp được thư viện PKCS#11 {shown} (không phải thư viện PKCS#11 hợp lệ).") from None
    try:
        slots = lib_obj.get_slots(token_present=True)
    except Exception:
        slots = []
    if not slots:
        raise KeyProblem("Không thấy USB token nào (chưa cắm, hoặc thư viện PKCS#11 không đúng loại token).")
    tokens = []
    for slot in slots:
        try:
            t = slot.get_token()
        except Exception:  # a slot that cannot answer: not a token to sign with
            continue
        if pkcs11.TokenFlag.TOKEN_INITIALIZED in t.flags:
            tokens.append(t)
    labels = ", ".join(f"«{t.label}»" for t in tokens) or "không có"
    if token:
        matching = [t for t in tokens if t.label == token]
        if not matching:
            raise KeyProblem(f"Không có token tên «{token}» (các token đang cắm: {labels}).")
    else:
        matching = tokens
        if len(matching) > 1:
            raise KeyProblem(f"Đang cắm nhiều token ({labels}): chọn một bằng --token TÊN.")
        if not matching:
            raise KeyProblem("Không thấy USB token nào đã khởi tạo (chưa cắm, hoặc thư viện PKCS#11 không đúng loại "
                             "token).")
    found = matching[0]
    try:
        session = found.open(user_pin=pin) if pin is not None else found.open()
    except p11e.PinIncorrect:
        raise KeyProblem(f"Sai mã PIN của token «{found.label}».",
                         hint="Nhập lại mã PIN (biến DRAFTER_MA_PIN hoặc khi được hỏi); nhập sai nhiều lần "
                              "token sẽ bị khóa.") from None
    except p11e.PinLocked:
        raise KeyProblem(f"Token «{found.label}» đã bị khóa mã PIN.",
                         hint="Liên hệ tổ chức cấp chứng thư số để mở khóa.") from None
    except p11e.PKCS11Error as exc:
        raise KeyProblem(f"Không mở được token «{found.label}» ({type(exc).__name__}).") from None
    try:
        signer, cert = None, None
        if key_label is not None:
            try:
                signer = hpk.PKCS11Signer(session, key_label=key_label, cert_label=key_label)
                cert = signer.signing_cert
            except Exception:  # no such key or certificate, two of them: said below
                cert = None
        else:
            signer, cert = _only_key(hpk, session)
        if cert is None:
            what = f"khóa «{key_label}»" if key_label else "đúng một khóa ký kèm chứng thư số"
            raise KeyProblem(f"Trên token «{found.label}» không có {what}.",
                             hint="Ghi đúng tên khóa bằng --khoa (xem bằng: pkcs11-tool -O).")
        cn, org = _names(cert)
        yield OpenedKey(signer, cn, org)
    finally:
        try:
            session.close()
        except Exception:
            pass


def _only_key(hpk, session):
    """The token's one certificate with its key (by CKA_ID), when no label is given."""
    from pkcs11 import Attribute, ObjectClass

    certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
    keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
    key_ids = {k[Attribute.ID] for k in keys}
    pairs = [c for c in certs if c[Attribute.ID] in key_ids]
    if len(pairs) != 1:
        return None, None
    cid = pairs[0][Attribute.ID]
    signer = hpk.PKCS11Signer(session, key_id=cid, cert_id=cid)
    try:
        return signer, signer.signing_cert
    except Exception:
        return None, None
