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
    now = dt.datetime.now(dt.timezone.utc)
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
