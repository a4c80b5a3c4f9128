"""`drafter ky --ban-sao`: the electronic copy (PDF ≥ 1.4, colour, ≥ 200 dpi, the copying
agency's signature at the top right of page 1, no image, form and number, agency, time).

One drafter công văn rendered for electronic issuance (one LibreOffice run for the
module) is copied (sao y, numbered from the register's series «sao»), the sao y copied
again (sao lục: both signatures valid, side by side), one page of it excerpted (trích
sao); a 200 dpi colour scan made here with Pillow is copied too. Every assertion reads
what was written: pyHanko's validation with the test CA, `drafter xac-minh`, the
widget's rectangle and appearance stream, the pixels of page 1, the register's rows.
Scans below 200 dpi or not in colour are refused, with no number taken.
"""

from __future__ import annotations

import datetime as dt
import io
import json
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
from drafter.issue.register import Register
from drafter.sign import copy as C
from drafter.sign import positions as P

REPO = Path(__file__).resolve().parent.parent
SOFFICE = pdf.find_soffice()
POPPLER = all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdfimages", "pdfseparate", "pdfunite"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="needs poppler-utils (CI installs them)")
_office = pytest.mark.skipif(not SOFFICE or not POPPLER, reason="needs LibreOffice and poppler-utils")


def needs_office(fn):
    return pytest.mark.libreoffice(_office(fn))


YEAR = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).year  # the copies' year: signed now, Vietnam time
ISO_VN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")
pytestmark = needs_poppler


def run(args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def no_trace(result) -> str:
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out and "Lỗi nội bộ" not in out, out
    return out


def scan_png(path: Path, dpi: int, mode: str = "RGB", *, fmt: str = "PNG") -> Path:
    """An A4 page 'scanned' at ``dpi``: white, a red stamp-like block, dark text-like bars."""
    from PIL import Image, ImageDraw

    w, h = 210 * dpi * 100 // 2540, 297 * dpi * 100 // 2540
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((w // 8, h // 3, w // 3, h // 3 + w // 5), fill=(200, 20, 20))
    for k in range(8):
        d.rectangle((w // 8, h // 2 + k * dpi // 5, w * 7 // 8, h // 2 + k * dpi // 5 + dpi // 20), fill=(30, 30, 30))
    img.convert(mode).save(path, fmt, dpi=(dpi, dpi))
    return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return sign_ca.make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def env(pki):
    return {"DRAFTER_MAT_KHAU": pki.password}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    return tmp_path_factory.mktemp("sao")


@pytest.fixture(scope="module")
def original(desk):
    """The công văn's PDF (render --dien-tu): a drafter electronic original, 3 pages."""
    if not SOFFICE:
        pytest.skip("LibreOffice is not installed")
    shutil.copy(REPO / "samples" / "000-cong-van-ha-tinh.yaml", desk / "cv.yaml")
    r = subprocess.run(["drafter", "render", str(desk / "cv.yaml"), "-o", str(desk / "cv.docx"), "--dien-tu"],
                       capture_output=True, text=True, cwd=desk, check=False)
    assert r.returncode == 0, r.stderr
    return desk / "cv.pdf"


@pytest.fixture(scope="module")
def copies(original, desk, pki, env):
    """sao y (--cap-so), then sao lục of it (--so-ban-sao), then trích sao of page 2."""
    reg = desk / "so" / "so-dang-ky.sqlite3"
    r1 = run(["ky", original, "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--cap-so", "--viet-tat", "UBND",
              "--so-dang-ky", reg, "--json"], env=env)
    assert r1.exit_code == 0, r1.output
    r2 = run(["ky", desk / "cv-sao-y.pdf", "--ban-sao", "sao-luc", "--p12", pki.agency_p12, "--so-ban-sao",
              "06/SL-UBND", "--co-quan-sao", "Văn phòng Ủy ban nhân dân tỉnh Thử Nghiệm", "--json"], env=env)
    assert r2.exit_code == 0, r2.output
    r3 = run(["ky", original, "--ban-sao", "trich-sao", "--trang", "2", "--p12", pki.agency_p12,
              "--so-ban-sao", "7", "--viet-tat", "UBND"], env=env)
    assert r3.exit_code == 0, r3.output
    return {"sy": desk / "cv-sao-y.pdf", "sy_out": json.loads(r1.output), "sl": desk / "cv-sao-y-sao-luc.pdf",
            "sl_out": json.loads(r2.output), "trs": desk / "cv-trich-sao.pdf", "trs_text": no_trace(r3),
            "register": reg}


@pytest.fixture(scope="module")
def scanned(desk, pki, env, copies):
    """A 200 dpi colour PNG scan, copied with the next number of the same register."""
    scan = scan_png(desk / "giay.png", 200)
    r = run(["ky", scan, "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--cap-so", "--viet-tat", "UBND",
             "--so-dang-ky", copies["register"]], env=env)
    assert r.exit_code == 0, r.output
    return {"pdf": desk / "giay-sao-y.pdf", "text": no_trace(r)}


def validate(path: Path, pki):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(pki.root_pem))
    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    return {emb.field_name: validate_pdf_signature(emb, ValidationContext(trust_roots=[root], allow_fetching=False))
            for emb in reader.embedded_signatures}


def widgets(path: Path) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    out = {}
    for name, _value, ref in enumerate_sig_fields(reader):
        w = ref.get_object()
        page = reader.find_page_for_modification(0)[0]
        out[name] = {"rect": [Decimal(str(v)) for v in w["/Rect"]], "ap": w["/AP"]["/N"],
                     "page1": w.raw_get("/P").idnum == page.idnum}
    return out


def pdf_version(path: Path) -> tuple[int, int]:
    """The effective version: the header's, or the catalog's /Version when higher."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = path.read_bytes()
    head = tuple(int(x) for x in re.match(rb"%PDF-(\d)\.(\d)", data).groups())
    cat = PdfFileReader(io.BytesIO(data), strict=False).root.get("/Version")
    return max(head, tuple(int(x) for x in str(cat).lstrip("/").split("."))) if cat else head


def assert_top_right_text_only(path: Path, field: str, *, beside: bool = False):
    """The widget on page 1 at its top right, the appearance 10 pt Liberation Serif, black, no image."""
    w = widgets(path)[field]
    x0, y0, x1, y1 = w["rect"]
    first = P.read_pages(path, first=1, last=1)[0]
    assert w["page1"]
    assert y1 <= first.height and y0 > first.height * Decimal("0.9")  # in the top margin
    right = first.width - P.PT_PER_MM * P.ATTACHMENT_RIGHT_MM
    assert x1 <= right + 1 and (beside or x0 > first.width / 3)
    ap = w["ap"]
    assert "/XObject" not in ap["/Resources"]  # no image
    data = ap.data.decode("latin-1")
    assert "/F1 10 Tf" in data and "0 0 0 rg" in data
    font = ap["/Resources"]["/Font"]["/F1"].get_object()
    assert "LiberationSerif" in str(font["/BaseFont"])
    assert "Bold" not in str(font["/BaseFont"]) and "Italic" not in str(font["/BaseFont"])
    assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return w["rect"], first


def dark_pixels(path: Path, rect, tmp_path: Path) -> tuple[int, int]:
    """Dark pixels of page 1 (72 dpi) inside ``rect`` and in the rest of the top band."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
                   check=True)
    img = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    h = img.height
    x0, y0, x1, y1 = (int(v) for v in rect)
    inside = sum(1 for v in img.crop((x0, h - y1, x1, h - y0)).tobytes() if v < 100)
    return inside, h


# --------------------------------------------------------------------------- electronic originals


@needs_office
def test_sao_y_of_a_drafter_pdf(copies, original, pki, tmp_path):
    out = copies["sy_out"]
    assert out["ok"] and out["ban_sao"]["loai_ban_goc"] == "dien-tu" and out["ban_sao"]["so_ky_hieu"] == "01/SY-UBND"
    signed = out["signed"][0]
    assert signed["role"] == "ban-sao" and signed["page"] == 1 and signed["signer"] == sign_ca.AGENCY_NAME
    assert signed["text"][:2] == ["SAO Y – Số: 01/SY-UBND", sign_ca.AGENCY_NAME]
    assert ISO_VN.fullmatch(signed["text"][2]) and signed["text"][2] == signed["time"]
    sigs = validate(copies["sy"], pki)
    assert list(sigs) == [C.FIELD]
    st = sigs[C.FIELD]
    assert st.intact and st.valid and st.trusted and st.coverage.name == "ENTIRE_FILE"
    # the copy is the original's pages: the original's bytes, then the signature
    assert copies["sy"].read_bytes().startswith(original.read_bytes())
    assert pdf_version(copies["sy"]) >= (1, 4)
    rect, first = assert_top_right_text_only(copies["sy"], C.FIELD)
    top_text = max(ln.box.y1 for ln in first.lines if ln.text not in signed["text"])
    assert rect[1] >= top_text - 1  # above the quốc hiệu, not over it
    inside, _h = dark_pixels(copies["sy"], rect, tmp_path)
    assert inside > 150  # the text is drawn, black


@needs_office
def test_xac_minh_and_tampered_copy(copies, pki, tmp_path):
    r = run(["xac-minh", copies["sy"], "--tin-cay", pki.root_pem, "--json"])
    assert r.exit_code == 0, r.output
    bad = tmp_path / "sua.pdf"
    data = bytearray(copies["sy"].read_bytes())
    data[len(data) // 3] ^= 0x01
    bad.write_bytes(bytes(data))
    r = run(["xac-minh", bad, "--tin-cay", pki.root_pem])
    assert r.exit_code == 1
    assert "ĐẠT — mọi chữ ký" not in no_trace(r)


@needs_office
def test_sao_luc_of_the_sao_y_keeps_both(copies, pki):
    sigs = validate(copies["sl"], pki)
    assert list(sigs) == [C.FIELD, C.FIELD + "2"]
    for st in sigs.values():
        assert st.intact and st.valid and st.trusted
    assert copies["sl_out"]["signed"][0]["text"][:2] == ["SAO LỤC – Số: 06/SL-UBND",
                                                       "Văn phòng Ủy ban nhân dân tỉnh Thử Nghiệm"]
    first_rect, _ = assert_top_right_text_only(copies["sl"], C.FIELD)
    second_rect, _ = assert_top_right_text_only(copies["sl"], C.FIELD + "2", beside=True)
    assert second_rect[2] <= first_rect[0]  # side by side, not over the sao y's
    assert second_rect[3] == first_rect[3]


@needs_office
def test_trich_sao_takes_the_pages_named(copies, pki):
    assert "trang 2 của bản gốc" in copies["trs_text"] and "TRÍCH SAO – Số: 07/TrS-UBND" in copies["trs_text"]
    r = subprocess.run(["pdfinfo", str(copies["trs"])], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+1\n", r.stdout)
    st = validate(copies["trs"], pki)[C.FIELD]
    assert st.intact and st.valid and st.trusted
    assert pdf_version(copies["trs"]) >= (1, 4)
    assert_top_right_text_only(copies["trs"], C.FIELD)
    page2 = [ln.text for ln in P.read_pages(copies["trs"].with_name("cv.pdf"), first=2, last=2)[0].lines]
    copied = [ln.text for ln in P.read_pages(copies["trs"])[0].lines]
    assert len(page2) > 10 and set(page2) <= set(copied)  # page 2's text, all of it
    page1 = [ln.text for ln in P.read_pages(copies["trs"].with_name("cv.pdf"), first=1, last=1)[0].lines]
    assert not {t for t in page1 if len(t) > 20} & set(copied)  # nothing of page 1


@needs_office
def test_copy_numbers_in_the_register(copies, scanned):
    with Register.open(copies["register"], create=False) as reg:
        rows = reg.entries(series="sao")
    assert [(e.so, e.ky_hieu, e.loai) for e in rows] == [(1, "SY-UBND", "sao-y"), (2, "SY-UBND", "sao-y")]
    assert "8287/UBND-KT1" in rows[0].trich_yeu and "bản giấy" in rows[1].trich_yeu
    assert rows[0].file.endswith("cv-sao-y.pdf")
    assert "Số: 02/SY-UBND" in scanned["text"] and "số 02/SY-UBND" in scanned["text"]


# --------------------------------------------------------------------------- paper originals


@needs_office
def test_colour_scan_copied_at_100_percent(scanned, pki, tmp_path):
    path = scanned["pdf"]
    st = validate(path, pki)[C.FIELD]
    assert st.intact and st.valid and st.trusted
    assert "ảnh quét 200 dpi" in scanned["text"]
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    images = C.parse_pdfimages(listing)
    assert len(images) == 1 and images[0].color == "rgb" and (images[0].x_ppi, images[0].y_ppi) == (200, 200)
    rect, first = assert_top_right_text_only(path, C.FIELD)
    assert abs(first.width - Decimal("595.3")) < 2 and abs(first.height - Decimal("841.9")) < 2  # A4, 100 %
    inside, _ = dark_pixels(path, rect, tmp_path)
    assert inside > 150


def test_scanned_pdf_is_a_paper_original(tmp_path):
    from PIL import Image

    scan_png(tmp_path / "a.png", 200)
    Image.open(tmp_path / "a.png").save(tmp_path / "quet.pdf", "PDF", resolution=200)
    src = C.prepare(tmp_path / "quet.pdf", "sao-y", None)
    assert src.kind == "ban-giay" and src.min_dpi == 200 and src.incremental
    jpg = scan_png(tmp_path / "b.jpg", 300, fmt="JPEG")
    src = C.prepare(jpg, "sao-y", None)
    assert src.kind == "ban-giay" and src.min_dpi == 300
    assert jpg.read_bytes() in src.data  # the JPEG kept as it is, not recompressed


@pytest.mark.parametrize(("name", "dpi", "mode", "words"), [
    ("thap.png", 150, "RGB", "150 dpi (cần từ 200 dpi)"),
    ("xam.png", 300, "L", "thang xám (cần ảnh màu)"),
    ("den-trang.png", 200, "1", "đen trắng"),
    ("xam.jpg", 200, "L", "thang xám"),
])
def test_poor_scans_refused(tmp_path, pki, env, name, dpi, mode, words):
    scan = scan_png(tmp_path / name, dpi, mode, fmt="JPEG" if name.endswith(".jpg") else "PNG")
    reg = tmp_path / "so.sqlite3"
    r = run(["ky", scan, "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--cap-so", "--viet-tat", "UBND",
             "--so-dang-ky", reg], env=env)
    out = no_trace(r)
    assert r.exit_code == 1
    assert words in out and "Nghị định 30" in out and "200 dpi" in out
    assert not list(tmp_path.glob("*.pdf"))
    if reg.exists():
        with Register.open(reg) as book:
            assert book.last_number(series="sao", year=YEAR) == 0


def test_poor_scanned_pdf_refused_naming_the_page(tmp_path, pki, env):
    from PIL import Image

    good = scan_png(tmp_path / "a.png", 200)
    grey = scan_png(tmp_path / "b.png", 200, "L")
    Image.open(good).save(tmp_path / "quet.pdf", "PDF", resolution=200, save_all=True,
                          append_images=[Image.open(grey)])
    r = run(["ky", tmp_path / "quet.pdf", "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--so-ban-sao", "1",
             "--viet-tat", "UBND", "--json"], env=env)
    assert r.exit_code == 1
    problem = json.loads(r.output)["problems"][0]
    assert "trang 2: ảnh quét đen trắng hoặc thang xám" in problem["message"]
    assert "trang 1" not in problem["message"]
    assert not (tmp_path / "quet-sao-y.pdf").exists()


def test_png_without_resolution_refused(tmp_path, pki, env):
    from PIL import Image

    Image.new("RGB", (1654, 2339), "white").save(tmp_path / "khong-dpi.png")
    r = run(["ky", tmp_path / "khong-dpi.png", "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--so-ban-sao", "1",
             "--viet-tat", "UBND"], env=env)
    assert r.exit_code == 1 and "không ghi độ phân giải" in no_trace(r)


@pytest.mark.parametrize(("extra", "words"), [
    (["--ban-sao", "trich-sao", "--so-ban-sao", "1", "--viet-tat", "UBND"], "--trang"),
    (["--ban-sao", "sao-y", "--trang", "1", "--so-ban-sao", "1", "--viet-tat", "UBND"], "chỉ dùng cho trích sao"),
    (["--ban-sao", "sao-luc", "--so-ban-sao", "05/SY-UBND"], "ký hiệu 'SL'"),
    (["--ban-sao", "sao-y", "--so-ban-sao", "5"], "--viet-tat"),
    (["--ban-sao", "sao-y"], "số bản sao"),
    (["--ban-sao", "sao-y", "--cap-so"], "--viet-tat"),
    (["--ban-sao", "sao-y", "--so-ban-sao", "1", "--viet-tat", "UBND", "--anh-dau", "x.png"], "không có ảnh"),
    (["--ban-sao", "ban-sao-y", "--so-ban-sao", "1"], "sao-y, sao-luc hoặc trich-sao"),
    (["--so-ban-sao", "1", "--anh-chu-ky", "x.png"], "chỉ dùng với --ban-sao"),
])
def test_wrong_options_refused(tmp_path, pki, env, extra, words):
    src = sign_ca.simple_pdf(tmp_path / "vb.pdf")
    r = run(["ky", src, "--p12", pki.agency_p12, *extra], env=env)
    out = no_trace(r)
    assert r.exit_code == 1 and words in out, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vb.pdf"]


def test_write_failure_takes_no_number(tmp_path, pki, env):
    src = sign_ca.simple_pdf(tmp_path / "vb.pdf")
    (tmp_path / "tep").write_text("x")
    reg = tmp_path / "so.sqlite3"
    r = run(["ky", src, "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--cap-so", "--viet-tat", "UBND",
             "--so-dang-ky", reg, "-o", tmp_path / "tep" / "ban-sao.pdf"], env=env)
    assert r.exit_code == 1
    no_trace(r)
    with Register.open(reg) as book:
        assert book.last_number(series="sao", year=YEAR) == 0
    # and the same command, written where it can be, takes 01
    r = run(["ky", src, "--ban-sao", "sao-y", "--p12", pki.agency_p12, "--cap-so", "--viet-tat", "UBND",
             "--so-dang-ky", reg], env=env)
    assert r.exit_code == 0, r.output
    assert "Số: 01/SY-UBND" in r.output
    with Register.open(reg) as book:
        assert book.last_number(series="sao", year=YEAR) == 1


def test_module_examples():
    import doctest

    result = doctest.testmod(C, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 15 and result.failed == 0
