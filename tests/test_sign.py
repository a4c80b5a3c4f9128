"""`drafter ky`: PAdES signatures where Nghị định 30 puts them, with a test CA made here.

One drafter công văn is rendered for electronic issuance (render --dien-tu, one
LibreOffice run for the module), signed by the competent person, then by the agency
with a separately filed attachment; every assertion reads what was written: pyHanko's
validation (intact, trusted, the first signature not invalidated by the second), the
widgets' rectangles against the text's coordinates, the appearance streams' font and
size, the pixels of the signed page (pdftoppm), a tampered copy caught.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import sign_ca
from click.testing import CliRunner

from drafter import pdf
from drafter.cli.main import main
from drafter.sign import positions as P
from drafter.sign import signer as S

REPO = Path(__file__).resolve().parent.parent
SOFFICE = pdf.find_soffice()
_needs = pytest.mark.skipif(not SOFFICE or not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
                                 reason="needs LibreOffice and poppler-utils (CI installs them)")


def needs_tools(fn):
    return pytest.mark.libreoffice(_needs(fn))
ISO_VN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")


def run(args, env=None, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, input=input, catch_exceptions=False)


def no_trace(result):
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out and "Lỗi nội bộ" not in out, out
    return out


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return sign_ca.make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def desk(tmp_path_factory, pki):
    """The công văn's PDF (electronic layout), the images, an attachment."""
    if not SOFFICE:
        pytest.skip("LibreOffice is not installed")
    d = tmp_path_factory.mktemp("desk")
    shutil.copy(REPO / "samples" / "000-cong-van-ha-tinh.yaml", d / "cv.yaml")
    r = subprocess.run(["drafter", "render", str(d / "cv.yaml"), "-o", str(d / "cv.docx"), "--dien-tu"],
                       capture_output=True, text=True, cwd=d, check=False)
    assert r.returncode == 0, r.stderr
    assert (d / "cv.pdf").is_file()
    sign_ca.signature_png(d / "ck.png")
    sign_ca.seal_png(d / "dau.png")
    sign_ca.simple_pdf(d / "phu-luc.pdf", [(60, 780, 14, "PHU LUC"), (60, 750, 13, "Bang so lieu kem theo.")])
    return d


@pytest.fixture(scope="module")
def signed(desk, pki):
    """Person, then agency with the attachment: the files and what each command printed."""
    env = {"DRAFTER_MAT_KHAU": pki.password}
    r1 = run(["ky", desk / "cv.pdf", "-o", desk / "cv-1.pdf", "--p12", pki.person_p12,
              "--anh-chu-ky", desk / "ck.png", "--json"], env=env)
    assert r1.exit_code == 0, r1.output
    r2 = run(["ky", desk / "cv-1.pdf", "-o", desk / "cv-2.pdf", "--p12", pki.agency_p12, "--co-quan",
              "--anh-dau", desk / "dau.png", "--dinh-kem", desk / "phu-luc.pdf", "--json"], env=env)
    assert r2.exit_code == 0, r2.output
    import json

    return {"person": json.loads(r1.output)["signed"], "agency": json.loads(r2.output)["signed"],
            "one": desk / "cv-1.pdf", "two": desk / "cv-2.pdf", "attachment": desk / "phu-luc-da-ky.pdf"}


def validate(path: Path, pki):
    """pyHanko's validation of every signature, trusting only the test root."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(pki.root_pem))
    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    out = {}
    for emb in reader.embedded_signatures:
        vc = ValidationContext(trust_roots=[root], allow_fetching=False)
        out[emb.field_name] = (emb, validate_pdf_signature(emb, vc))
    return out


def widgets(path: Path) -> dict:
    """Each signature field's /Rect, its page and its normal appearance stream."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    out = {}
    for name, _value, ref in enumerate_sig_fields(reader):
        w = ref.get_object()
        out[name] = {"rect": [Decimal(str(v)) for v in w["/Rect"]], "ap": w["/AP"]["/N"]}
    return out


@needs_tools
def test_two_signatures_valid_in_order(signed, pki):
    sigs = validate(signed["two"], pki)
    assert list(sigs) == [S.PERSON_FIELD, S.AGENCY_FIELD]
    for name, (emb, status) in sigs.items():
        assert status.intact and status.valid, name
        assert status.trusted, name
        assert emb.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    person, agency = sigs[S.PERSON_FIELD][1], sigs[S.AGENCY_FIELD][1]
    assert agency.coverage.name == "ENTIRE_FILE"
    assert person.coverage.name == "ENTIRE_REVISION"
    # the agency's signature added only a signature: the person's still holds
    assert person.modification_level is not None and person.modification_level.name in ("LTA_UPDATES",
                                                                                          "FORM_FILLING")
    assert person.docmdp_ok is not False
    # incremental: the once-signed file is the start of the twice-signed one, byte for byte
    assert signed["two"].read_bytes().startswith(signed["one"].read_bytes())
    assert signed["person"][0]["signer"] == sign_ca.PERSON_NAME
    assert signed["agency"][0]["signer"] == sign_ca.AGENCY_NAME


@needs_tools
def test_signature_image_between_title_and_name(desk, signed):
    block = P.main_block(P.read_pages(desk / "cv.pdf"))
    assert [t.text for t in block.titles] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert block.name.text == "Dương Tất Thắng"
    x0, y0, x1, y1 = widgets(signed["two"])[S.PERSON_FIELD]["rect"]
    title_bottom, name_top = block.titles[-1].box.y0, block.name.box.y1
    assert name_top < y0 < y1 < title_bottom  # in the blank, touching neither line
    middle = (title_bottom + name_top) / 2
    assert abs((y0 + y1) / 2 - middle) <= 1  # centred vertically
    column = (block.name.box.centre_x + block.titles[-1].box.centre_x) / 2
    assert abs((x0 + x1) / 2 - column) <= 6  # and horizontally, under the title
    assert signed["person"][0]["page"] == block.page + 1


@needs_tools
def test_seal_over_left_third_at_real_size(signed):
    w = widgets(signed["two"])
    sx0, sy0, sx1, sy1 = w[S.PERSON_FIELD]["rect"]
    ax0, ay0, _ax1, ay1 = w[S.AGENCY_FIELD]["rect"]
    seal = Decimal(450) * 72 / 300  # 450 px at 300 dpi: 108 pt, 38.1 mm
    assert abs((ay1 - ay0) - seal) <= 2  # the widget is as high as the seal
    # the seal is drawn at the widget's left edge, seal × seal points
    ap = w[S.AGENCY_FIELD]["ap"].data.decode("latin-1")
    assert re.search(r"\b108(\.\d+)? 0 0 108(\.\d+)? 0 0 cm /Img", ap), ap[:200]
    seal_right = ax0 + seal
    overlap = min(seal_right, sx1) - max(ax0, sx0)
    third = (sx1 - sx0) / 3
    assert abs(overlap - third) <= 2, (overlap, third)  # covers about the left third
    assert ax0 < sx0  # the rest of the seal lies left of the image
    assert ay0 < (sy0 + sy1) / 2 < ay1  # level with the image


@needs_tools
def test_agency_text_font_size_and_time(signed):
    ap = widgets(signed["two"])[S.AGENCY_FIELD]["ap"]
    data = ap.data.decode("latin-1")
    assert "/F1 10 Tf" in data and "0 0 0 rg" in data  # 10 pt, black
    font = ap["/Resources"]["/Font"]["/F1"].get_object()
    descendant = font["/DescendantFonts"][0].get_object()
    assert "LiberationSerif" in str(font["/BaseFont"])  # Times New Roman's metrics, regular (upright)
    assert "Bold" not in str(font["/BaseFont"]) and "Italic" not in str(font["/BaseFont"])
    assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    # widths in thousandths of an em: an 'N' of Times is about 0.72 em, not 1.44
    widths = [v for v in descendant["/W"] if isinstance(v, list) for v in v]
    assert max(widths) <= 1000
    text = signed["agency"][0]["text"]
    assert " ".join(text[:-1]) == sign_ca.AGENCY_NAME
    assert ISO_VN.fullmatch(text[-1]) and text[-1] == signed["agency"][0]["time"]


@needs_tools
def test_signed_page_looks_right(signed, tmp_path):
    """The page as pixels: blue strokes only inside the blank, red seal over the left third."""
    from PIL import Image

    page = signed["person"][0]["page"]
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", str(page), "-l", str(page), str(signed["two"]),
                    str(tmp_path / "p")], check=True)
    img = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    h = img.height
    w = widgets(signed["two"])
    sx0, sy0, sx1, sy1 = (int(v) for v in w[S.PERSON_FIELD]["rect"])

    def count(box, test):
        x0, y0, x1, y1 = box  # PDF points, 72 dpi: one pixel a point, y from the bottom
        crop = img.crop((x0, h - y1, x1, h - y0))
        raw = crop.tobytes()
        return sum(1 for k in range(0, len(raw), 3) if test(raw[k:k + 3]))

    blue = lambda p: p[2] > 150 and p[0] < 100 and p[1] < 120
    red = lambda p: p[0] > 180 and p[1] < 90 and p[2] < 90
    assert count((sx0, sy0, sx1, sy1), blue) > 200
    block = P.main_block(P.read_pages(signed["two"].with_name("cv.pdf")))
    for ln in (*block.titles, block.name):  # no blue over the title or the name
        b = ln.box
        assert count((int(b.x0), int(b.y0), int(b.x1) + 1, int(b.y1) + 1), blue) == 0, ln.text
    ax0, ay0, _ax1, ay1 = (int(v) for v in w[S.AGENCY_FIELD]["rect"])
    assert count((ax0, ay0, ax0 + 108, ay1), red) > 300
    assert count((sx0 + (sx1 - sx0) // 2, sy0, sx1, sy1), red) == 0  # the seal stays on the left


@needs_tools
def test_attachment_signed_top_right_with_number(desk, signed, pki):
    att = signed["attachment"]
    sigs = validate(att, pki)
    assert list(sigs) == [S.AGENCY_FIELD]
    _emb, status = sigs[S.AGENCY_FIELD]
    assert status.intact and status.valid and status.trusted
    x0, y0, x1, y1 = widgets(att)[S.AGENCY_FIELD]["rect"]
    first = P.read_pages(desk / "phu-luc.pdf")[0]
    top_text = max(ln.box.y1 for ln in first.lines)
    assert y0 > top_text and y1 <= first.height  # above the text, inside the page
    right_margin = first.width - Decimal(15) * 72 / Decimal("25.4")
    assert abs(x1 - right_margin) <= 1 and x0 > first.width / 2  # at the right margin
    ap = widgets(att)[S.AGENCY_FIELD]["ap"]
    assert "/XObject" not in ap["/Resources"]  # no image
    assert "/F1 10 Tf" in ap.data.decode("latin-1")
    info = signed["agency"][1]
    assert info["role"] == "dinh-kem" and info["page"] == 1
    assert info["text"][1] == "Kèm theo văn bản số 8287/UBND-KT1"
    assert ISO_VN.fullmatch(info["text"][-1])


@needs_tools
def test_tampered_file_caught(signed, pki, tmp_path):
    data = bytearray(signed["two"].read_bytes())
    # change one letter inside the first revision (signed by both), same length
    at = data.index(b"LibreOffice")
    data[at:at + 11] = b"LibreOfficX"
    bad = tmp_path / "sua.pdf"
    bad.write_bytes(bytes(data))
    sigs = validate(bad, pki)
    assert not any(status.intact for _, status in sigs.values())
    r = run(["xac-minh", bad, "--tin-cay", pki.root_pem])
    assert r.exit_code != 0
    out = no_trace(r)
    assert "ĐẠT — mọi chữ ký" not in out
    good = run(["xac-minh", signed["two"], "--tin-cay", pki.root_pem])
    assert good.exit_code == 0, good.output


@needs_tools
def test_timestamp_server(desk, pki, tmp_path):
    with sign_ca.LocalTSA(pki) as tsa:
        r = run(["ky", desk / "cv.pdf", "-o", tmp_path / "ts.pdf", "--p12", pki.person_p12,
                 "--anh-chu-ky", desk / "ck.png", "--tsa", tsa.url], env={"DRAFTER_MAT_KHAU": pki.password})
        assert r.exit_code == 0, r.output
        assert tsa.requests >= 1  # (pyHanko asks once more to size the token)
    assert "có dấu thời gian" in r.output
    (_emb, status), = validate(tmp_path / "ts.pdf", pki).values()
    assert status.intact and status.valid
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    # a server that does not answer: a Vietnamese refusal, nothing written
    r = run(["ky", desk / "cv.pdf", "-o", tmp_path / "ts2.pdf", "--p12", pki.person_p12,
             "--anh-chu-ky", desk / "ck.png", "--tsa", "http://127.0.0.1:9/tsa"],
            env={"DRAFTER_MAT_KHAU": pki.password})
    assert r.exit_code == 1 and "dấu thời gian" in no_trace(r)
    assert not (tmp_path / "ts2.pdf").exists()


# --------------------------------------------------------------------------- refusals


@pytest.fixture(scope="module")
def plain(tmp_path_factory, pki):
    """A hand-made one-page PDF with a signer's block (no LibreOffice needed) and images."""
    d = tmp_path_factory.mktemp("plain")
    sign_ca.simple_pdf(d / "vb.pdf")
    sign_ca.signature_png(d / "ck.png")
    sign_ca.seal_png(d / "dau.png")
    return d


def refused(args, pki, *, env=None, expect: str, input=None):
    r = run(args, env={"DRAFTER_MAT_KHAU": pki.password, **(env or {})}, input=input)
    out = no_trace(r)
    assert r.exit_code == 1, out
    assert expect in out, out
    return out


def test_wrong_password(plain, pki):
    out = refused(["ky", plain / "vb.pdf", "-o", plain / "x.pdf", "--p12", pki.person_p12,
                   "--anh-chu-ky", plain / "ck.png"], pki, env={"DRAFTER_MAT_KHAU": "sai"},
                  expect="Sai mật khẩu của tệp khóa")
    assert "sai" not in out.replace("Sai", "")  # the password is never printed
    assert not (plain / "x.pdf").exists()


def test_password_prompted(plain, pki, monkeypatch):
    monkeypatch.delenv("DRAFTER_MAT_KHAU", raising=False)
    r = CliRunner().invoke(main, ["ky", str(plain / "vb.pdf"), "-o", str(plain / "hoi.pdf"), "--p12",
                                  str(pki.person_p12), "--anh-chu-ky", str(plain / "ck.png")],
                           input=pki.password + "\n")
    assert r.exit_code == 0, r.output
    assert "Mật khẩu của tệp khóa" in r.output and pki.password not in r.output
    assert (plain / "hoi.pdf").read_bytes().startswith((plain / "vb.pdf").read_bytes())


def test_not_a_p12(plain, pki):
    (plain / "gia.p12").write_bytes(b"-----BEGIN CERTIFICATE-----\nabc\n")
    refused(["ky", plain / "vb.pdf", "--p12", plain / "gia.p12", "--anh-chu-ky", plain / "ck.png"], pki,
            expect="không phải tệp khóa PKCS#12")


def test_png_not_png(plain, pki):
    (plain / "anh.png").write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 100)  # a JPEG's start
    refused(["ky", plain / "vb.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "anh.png"], pki,
            expect="không phải tệp PNG")


def test_png_huge(plain, pki):
    from PIL import Image

    Image.new("LA", (6000, 5000), (0, 0)).save(plain / "to.png")  # 30 million pixels, a small file
    refused(["ky", plain / "vb.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "to.png"], pki,
            expect="quá nhiều điểm ảnh")


def test_png_without_transparency(plain, pki):
    from PIL import Image

    Image.new("RGB", (300, 120), (255, 255, 255)).save(plain / "trang.png")
    refused(["ky", plain / "vb.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "trang.png"], pki,
            expect="không có nền trong suốt")


def test_seal_of_no_real_size(plain, pki):
    sign_ca.seal_png(plain / "dau-nho.png", px=100, dpi=300)  # 8.5 mm: no seal is that small
    run(["ky", plain / "vb.pdf", "-o", plain / "p1.pdf", "--p12", pki.person_p12, "--anh-chu-ky",
         plain / "ck.png", "--force"], env={"DRAFTER_MAT_KHAU": pki.password})
    refused(["ky", plain / "p1.pdf", "-o", plain / "p2.pdf", "--p12", pki.agency_p12, "--co-quan",
             "--anh-dau", plain / "dau-nho.png"], pki, expect="ngoài khoảng 20–60 mm")


def test_not_a_pdf(plain, pki):
    (plain / "vb.docx.pdf").write_bytes(b"PK\x03\x04 this is a zip")
    refused(["ky", plain / "vb.docx.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "ck.png"], pki,
            expect="không phải tệp PDF")


def test_truncated_pdf(plain, pki):
    (plain / "cut.pdf").write_bytes((plain / "vb.pdf").read_bytes()[:300])
    refused(["ky", plain / "cut.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "ck.png"], pki,
            expect="bị cắt cụt")


def test_pdf_too_big(plain, pki, monkeypatch):
    monkeypatch.setattr(S, "MAX_PDF_BYTES", 200)
    refused(["ky", plain / "vb.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "ck.png"], pki,
            expect="quá lớn")


def test_pdf_without_signer_block(plain, pki):
    sign_ca.simple_pdf(plain / "khong-ky.pdf", [(60, 780, 13, "Chi co mot dong chu.")])
    refused(["ky", plain / "khong-ky.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "ck.png"], pki,
            expect="Không tìm thấy khối chữ ký")


def test_agency_before_person_and_twice(plain, pki):
    refused(["ky", plain / "vb.pdf", "--p12", pki.agency_p12, "--co-quan", "--anh-dau", plain / "dau.png"], pki,
            expect="chưa có chữ ký số của người có thẩm quyền")
    run(["ky", plain / "vb.pdf", "-o", plain / "lan1.pdf", "--p12", pki.person_p12, "--anh-chu-ky",
         plain / "ck.png", "--force"], env={"DRAFTER_MAT_KHAU": pki.password})
    refused(["ky", plain / "lan1.pdf", "-o", plain / "lan2.pdf", "--p12", pki.person_p12, "--anh-chu-ky",
             plain / "ck.png"], pki, expect="đã có chữ ký số của người có thẩm quyền")


def test_options_checked_before_anything(plain, pki):
    refused(["ky", plain / "vb.pdf", "--anh-chu-ky", plain / "ck.png"], pki, expect="Cần đúng một nguồn khóa")
    refused(["ky", plain / "vb.pdf", "--p12", pki.agency_p12, "--co-quan"], pki, expect="--anh-dau")
    refused(["ky", plain / "vb.pdf", "--p12", pki.person_p12, "--anh-chu-ky", plain / "ck.png",
             "--dinh-kem", plain / "vb.pdf"], pki, expect="thêm --co-quan")
    (plain / "co-san.pdf").write_bytes(b"%PDF-1.4 keep")
    refused(["ky", plain / "vb.pdf", "-o", plain / "co-san.pdf", "--p12", pki.person_p12, "--anh-chu-ky",
             plain / "ck.png"], pki, expect="--force")
    assert (plain / "co-san.pdf").read_bytes() == b"%PDF-1.4 keep"


def test_help_is_vietnamese():
    r = run(["ky", "--help"])
    assert r.exit_code == 0 and "Ký số văn bản PDF" in r.output and "--co-quan" in r.output


@needs_tools
@pytest.mark.slow
def test_cap_so_numbers_then_signs(pki, tmp_path):
    """--cap-so: the .docx beside the PDF numbered in the register, the PDF made again, then signed."""
    text = (REPO / "samples" / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")
    (tmp_path / "cv.yaml").write_text(re.sub(r"(?m)^so: .*$", "", text), encoding="utf-8")
    r = subprocess.run(["drafter", "render", "cv.yaml", "--dien-tu"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert r.returncode == 0, r.stderr
    assert P.so_ky_hieu(P.read_pages(tmp_path / "cv.pdf")[0]) is None  # no number yet
    sign_ca.signature_png(tmp_path / "ck.png")
    r = run(["ky", tmp_path / "cv.pdf", "--p12", pki.person_p12, "--anh-chu-ky", tmp_path / "ck.png", "--cap-so",
             "--so-dang-ky", tmp_path / "so.sqlite3"], env={"DRAFTER_MAT_KHAU": pki.password})
    assert r.exit_code == 0, r.output
    assert "Đã cấp số: " in r.output and "01/UBND-KT1" in r.output
    signed_pdf = tmp_path / "cv-da-ky.pdf"
    assert P.so_ky_hieu(P.read_pages(signed_pdf)[0]) == "01/UBND-KT1"
    (_emb, status), = validate(signed_pdf, pki).values()
    assert status.intact and status.valid
    # a signed PDF is never numbered again: that would break the signature
    r = run(["ky", signed_pdf, "-o", tmp_path / "lai.pdf", "--p12", pki.person_p12, "--anh-chu-ky",
             tmp_path / "ck.png", "--cap-so", "--docx", tmp_path / "cv.docx", "--so-dang-ky", tmp_path / "so.sqlite3"],
            env={"DRAFTER_MAT_KHAU": pki.password})
    assert r.exit_code == 1 and "đã có chữ ký số" in no_trace(r)


def test_no_password_to_read(plain, pki, monkeypatch):
    monkeypatch.delenv("DRAFTER_MAT_KHAU", raising=False)
    r = CliRunner().invoke(main, ["ky", str(plain / "vb.pdf"), "-o", str(plain / "khong.pdf"), "--p12",
                                  str(pki.person_p12), "--anh-chu-ky", str(plain / "ck.png")], input="")
    out = no_trace(r)
    assert r.exit_code == 1 and "Không nhận được mật khẩu của tệp khóa" in out and "DRAFTER_MAT_KHAU" in out
    assert not (plain / "khong.pdf").exists()


def test_image_checked_before_the_password(plain, pki, monkeypatch):
    monkeypatch.delenv("DRAFTER_MAT_KHAU", raising=False)
    (plain / "hong.png").write_bytes(b"not a png at all")
    r = CliRunner().invoke(main, ["ky", str(plain / "vb.pdf"), "--p12", str(pki.person_p12), "--anh-chu-ky",
                                  str(plain / "hong.png")], input="")
    out = no_trace(r)
    assert r.exit_code == 1 and "không phải tệp PNG" in out and "Mật khẩu" not in out


def test_attachment_needs_the_main_number_and_json_refusal(plain, pki):
    import json

    run(["ky", plain / "vb.pdf", "-o", plain / "so1.pdf", "--p12", pki.person_p12, "--anh-chu-ky",
         plain / "ck.png", "--force"], env={"DRAFTER_MAT_KHAU": pki.password})
    sign_ca.simple_pdf(plain / "pl.pdf", [(60, 780, 14, "PHU LUC")])
    r = run(["ky", plain / "so1.pdf", "-o", plain / "so2.pdf", "--p12", pki.agency_p12, "--co-quan", "--anh-dau",
             plain / "dau.png", "--dinh-kem", plain / "pl.pdf", "--json"], env={"DRAFTER_MAT_KHAU": pki.password})
    assert r.exit_code == 1
    answer = json.loads(r.output)
    assert answer["ok"] is False and "Không tìm thấy số và ký hiệu" in answer["problems"][0]["message"]
    assert not (plain / "so2.pdf").exists() and not (plain / "pl-da-ky.pdf").exists()
