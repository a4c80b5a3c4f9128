"""A test certificate authority made in the test, for signing and verifying.

`make_test_pki(tmp_path)` makes a root CA and, under it, an agency certificate
(the organisation's seal key) and a person certificate (the competent person's key),
each written as a PKCS#12 file with one password; `softhsm_token(tmp_path, p12)`
initialises a SoftHSM2 token in a temporary directory (SOFTHSM2_CONF pointing at a
temporary config) and imports that key and certificate into it.

Nothing here reaches the network; the keys are small (2048-bit RSA) and made fresh
each time. Used by tests/test_sign.py, tests/test_sign_pkcs11.py and the verifier's
tests.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mat-khau-thu"
SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "drafter-test"
KEY_LABEL = "nguoi-ky"
USER_PIN = "123456"
SO_PIN = "12345678"

AGENCY_NAME = "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"
PERSON_NAME = "Nguyễn Văn A"


@dataclass(frozen=True)
class TestPKI:
    root_pem: Path
    root_cert: x509.Certificate
    agency_p12: Path
    person_p12: Path
    password: str
    tsa_p12: Path


def _name(common: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if org:
        attrs.insert(1, x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(subject, subject_key, issuer, issuer_key, *, ca: bool, eku=None, serial: int):
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                          crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                          crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_p12(path: Path, label: str, key, cert, root, password: str) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        label.encode(), key, cert, [root],
        serialization.BestAvailableEncryption(password.encode()))
    path.write_bytes(data)
    return path


def make_test_pki(tmp_path: Path, password: str = PASSWORD) -> TestPKI:
    """Root CA → agency and person certificates (and a timestamp authority), as files.

    Returns the root's PEM path, the two PKCS#12 files and the password (a
    `TestPKI`, which unpacks by attribute).
    """
    tmp_path = Path(tmp_path)
    tmp_path.mkdir(parents=True, exist_ok=True)
    root_key = _key()
    root_name = _name("Drafter Test Root CA", "Drafter Test")
    root = _cert(root_name, root_key, root_name, root_key, ca=True, serial=1)
    agency_key, person_key, tsa_key = _key(), _key(), _key()
    agency = _cert(_name(AGENCY_NAME, AGENCY_NAME), agency_key, root_name, root_key, ca=False, serial=2)
    person = _cert(_name(PERSON_NAME, AGENCY_NAME), person_key, root_name, root_key, ca=False, serial=3)
    tsa = _cert(_name("Drafter Test TSA"), tsa_key, root_name, root_key, ca=False,
                eku=[ExtendedKeyUsageOID.TIME_STAMPING], serial=4)
    root_pem = tmp_path / "root-ca.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return TestPKI(
        root_pem=root_pem,
        root_cert=root,
        agency_p12=_write_p12(tmp_path / "co-quan.p12", "co-quan", agency_key, agency, root, password),
        person_p12=_write_p12(tmp_path / "nguoi-ky.p12", "nguoi-ky", person_key, person, root, password),
        password=password,
        tsa_p12=_write_p12(tmp_path / "tsa.p12", "tsa", tsa_key, tsa, root, password),
    )


def softhsm_available() -> bool:
    return Path(SOFTHSM_LIB).exists() and shutil.which("softhsm2-util") is not None


@dataclass(frozen=True)
class Token:
    lib: str
    conf: Path
    label: str
    key_label: str
    pin: str

    def env(self) -> dict[str, str]:
        return {**os.environ, "SOFTHSM2_CONF": str(self.conf)}


def softhsm_token(tmp_path: Path, p12: Path, password: str = PASSWORD,
                  label: str = TOKEN_LABEL, key_label: str = KEY_LABEL) -> Token:
    """A SoftHSM2 token in `tmp_path`, holding the key and certificate of `p12`.

    Sets SOFTHSM2_CONF in this process's environment (SoftHSM reads it when the
    library is loaded) and returns the token's description. Key and certificate are
    imported with python-pkcs11 under `key_label` (one CKA_ID for both).
    """
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass
    from pkcs11.util.rsa import encode_rsa_public_key  # noqa: F401 (import check)

    tmp_path = Path(tmp_path)
    tokens = tmp_path / "softhsm-tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", USER_PIN, "--so-pin", SO_PIN],
        check=True, capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(conf)})

    key, cert, _extra = pkcs12.load_key_and_certificates(p12.read_bytes(), password.encode())
    numbers = key.private_numbers()
    pub = numbers.public_numbers

    def _b(n: int) -> bytes:
        return n.to_bytes((n.bit_length() + 7) // 8, "big")

    lib = pkcs11.lib(SOFTHSM_LIB)
    tok = lib.get_token(token_label=label)
    cka_id = b"\x01"
    with tok.open(rw=True, user_pin=USER_PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.PRIVATE_KEY,
            Attribute.KEY_TYPE: KeyType.RSA,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.SIGN: True,
            Attribute.LABEL: key_label,
            Attribute.ID: cka_id,
            Attribute.MODULUS: _b(pub.n),
            Attribute.PUBLIC_EXPONENT: _b(pub.e),
            Attribute.PRIVATE_EXPONENT: _b(numbers.d),
            Attribute.PRIME_1: _b(numbers.p),
            Attribute.PRIME_2: _b(numbers.q),
            Attribute.EXPONENT_1: _b(numbers.dmp1),
            Attribute.EXPONENT_2: _b(numbers.dmq1),
            Attribute.COEFFICIENT: _b(numbers.iqmp),
        })
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.LABEL: key_label,
            Attribute.ID: cka_id,
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        })
    return Token(lib=SOFTHSM_LIB, conf=conf, label=label, key_label=key_label, pin=USER_PIN)


# --------------------------------------------------------------------------- images, a PDF, a TSA


def signature_png(path: Path) -> Path:
    """A blue handwritten-looking signature, 600 × 240 px, transparent background."""
    import math

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.line([(30 + i * 2, 120 + 60 * math.sin(i / 12) * math.cos(i / 31)) for i in range(270)],
           fill=(20, 40, 200, 255), width=7)
    d.line([(60, 200), (540, 170)], fill=(20, 40, 200, 255), width=5)
    img.save(path)
    return path


def seal_png(path: Path, px: int = 450, dpi: int = 300) -> Path:
    """A red round seal, ``px`` square at ``dpi`` (450 px at 300 dpi: 38.1 mm), transparent."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((5, 5, px - 5, px - 5), outline=(220, 0, 0, 230), width=max(2, px // 32))
    d.ellipse((px // 7, px // 7, px - px // 7, px - px // 7), outline=(220, 0, 0, 230), width=max(1, px // 75))
    d.regular_polygon((px // 2, px // 2, px // 6), 5, fill=(220, 0, 0, 230))
    img.save(path, dpi=(dpi, dpi))
    return path


def simple_pdf(path: Path, lines: list[tuple[int, int, int, str]] | None = None) -> Path:
    """A one-page A4 PDF with Helvetica text lines (x, y, size, ASCII text), written by
    hand; by default a signer's block (title, blank, name) and a Số line, so that it can
    be signed without LibreOffice."""
    if lines is None:
        lines = [(60, 780, 13, "So: 12/UBND-VP"), (72, 700, 14, "Noi dung van ban."),
                 (340, 600, 14, "TM. UY BAN NHAN DAN"), (360, 583, 14, "CHU TICH"),
                 (350, 460, 14, "Nguyen Van Binh")]
    ops = []
    for x, y, size, text in lines:
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"BT /F1 {size} Tf {x} {y} Td ({esc}) Tj ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


class LocalTSA:
    """An RFC 3161 timestamp server on 127.0.0.1 (pyHanko's DummyTimeStamper behind
    http.server), signing with the test PKI's TSA certificate. A context manager;
    ``url`` is its address."""

    def __init__(self, pki: TestPKI):
        from pyhanko.sign.general import load_cert_from_pemder  # noqa: F401 (pyHanko present)
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko.sign.timestamps import DummyTimeStamper

        tsa = SimpleSigner.load_pkcs12(str(pki.tsa_p12), passphrase=pki.password.encode())
        self.stamper = DummyTimeStamper(tsa_cert=tsa.signing_cert, tsa_key=tsa.signing_key)
        self.requests = 0

    def __enter__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from asn1crypto import tsp

        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                resp = owner.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                owner.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(resp)))
                self.end_headers()
                self.wfile.write(resp)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
