"""`drafter ky --pkcs11`: signing with a key on a token, a SoftHSM2 token made in the test.

The token lives in a temporary folder (SOFTHSM2_CONF points at a temporary config);
the test CA's person and agency keys and certificates are imported into it. The PDF
is hand-made (no LibreOffice): a signer's block the positions are found from.
"""

from __future__ import annotations

import io
import json

import pytest
import sign_ca
from click.testing import CliRunner

from drafter.cli.main import main
from drafter.sign import signer as S

pytestmark = pytest.mark.skipif(not sign_ca.softhsm_available(),
                                reason="SoftHSM2 is not installed (apt-get install softhsm2; CI does)")


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    d = tmp_path_factory.mktemp("hsm")
    pki = sign_ca.make_test_pki(d / "pki")
    tok = sign_ca.softhsm_token(d, pki.person_p12)
    sign_ca.signature_png(d / "ck.png")
    sign_ca.seal_png(d / "dau.png")
    sign_ca.simple_pdf(d / "vb.pdf")
    return d, pki, tok


def ky(args, pin):
    r = CliRunner().invoke(main, ["ky", *map(str, args)], env={"DRAFTER_MA_PIN": pin}, catch_exceptions=False)
    out = r.output + (r.stderr if r.stderr_bytes is not None else "")
    assert "Traceback" not in out and "Lỗi nội bộ" not in out, out
    return r, out


def test_signs_with_the_token_key(token):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    d, pki, tok = token
    r, out = ky([d / "vb.pdf", "-o", d / "token.pdf", "--pkcs11", tok.lib, "--token", tok.label,
                 "--khoa", tok.key_label, "--anh-chu-ky", d / "ck.png", "--json"], tok.pin)
    assert r.exit_code == 0, out
    signed = json.loads(r.output)["signed"][0]
    assert signed["signer"] == sign_ca.PERSON_NAME and signed["role"] == "nguoi-ky"
    reader = PdfFileReader(io.BytesIO((d / "token.pdf").read_bytes()), strict=False)
    (emb,) = reader.embedded_signatures
    assert emb.field_name == S.PERSON_FIELD
    status = validate_pdf_signature(emb, ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.root_pem))],
                                                           allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    # the widget sits in the blank between "CHU TICH" (baseline 583) and the name (baseline 460)
    _x0, y0, _x1, y1 = signed["rect"]
    assert 460 + 14 < y0 < y1 < 583


def test_only_key_found_without_label(token):
    d, _pki, tok = token
    r, out = ky([d / "vb.pdf", "-o", d / "token2.pdf", "--pkcs11", tok.lib, "--anh-chu-ky", d / "ck.png"], tok.pin)
    assert r.exit_code == 0, out
    assert "Đã ký số" in out and sign_ca.PERSON_NAME in out


def test_wrong_pin(token):
    d, _pki, tok = token
    r, out = ky([d / "vb.pdf", "-o", d / "sai.pdf", "--pkcs11", tok.lib, "--token", tok.label,
                 "--anh-chu-ky", d / "ck.png"], "000000")
    assert r.exit_code == 1 and "Sai mã PIN" in out and "000000" not in out
    assert not (d / "sai.pdf").exists()


def test_unknown_token_and_key(token):
    d, _pki, tok = token
    r, out = ky([d / "vb.pdf", "--pkcs11", tok.lib, "--token", "khong-co", "--anh-chu-ky", d / "ck.png"], tok.pin)
    assert r.exit_code == 1 and "Không có token tên «khong-co»" in out and tok.label in out
    r, out = ky([d / "vb.pdf", "--pkcs11", tok.lib, "--khoa", "khong-co", "--anh-chu-ky", d / "ck.png"], tok.pin)
    assert r.exit_code == 1 and "không có khóa «khong-co»" in out


def test_library_missing_or_not_pkcs11(token, tmp_path):
    d, _pki, tok = token
    r, out = ky([d / "vb.pdf", "--pkcs11", tmp_path / "khong-co.so", "--anh-chu-ky", d / "ck.png"], tok.pin)
    assert r.exit_code == 1 and "Không tìm thấy thư viện PKCS#11" in out
    (tmp_path / "gia.so").write_bytes(b"not a library")
    r, out = ky([d / "vb.pdf", "--pkcs11", tmp_path / "gia.so", "--anh-chu-ky", d / "ck.png"], tok.pin)
    assert r.exit_code == 1 and "Không nạp được thư viện PKCS#11" in out
