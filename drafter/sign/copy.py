"""The electronic copy (bản sao điện tử; Nghị định 30 Điều 25–27, Phụ lục I phần II).

An electronic copy is a PDF (1.4 or later), in colour, at least 200 dpi, at 100 %,
with the copying agency's digital signature at the top right of page 1 — no image,
only text, Times New Roman 10 pt upright black: the copy form and the copy's number
(``SAO Y – Số: 05/SY-UBND``), the copying agency and the signing time (ISO 8601,
+07:00). The signature is made with the same machinery as a separately filed
attachment's (`signer._sign`, `appearance.text_only_style`).

Two kinds of original:

- an electronic original (a PDF with a text layer, signed or not): the copy is its
  pages — sao y and sao lục the whole file, signed as an incremental update so that
  the original's own signatures stay valid; trích sao only the pages named
  (``--trang 1-2``), a new file (the original's signatures cannot cover part of it);
- a paper original, scanned: a PNG or JPEG (made into a one-page PDF at 100 %: the
  page is the image's size at its own resolution; a JPEG's bytes are kept as they
  are) or a PDF whose pages are images. Every scanned page's image must be at least
  200 dpi at the page's size and in colour; a grey or black-and-white scan, or one
  below 200 dpi, is refused naming the page.

The copy's number comes from the caller (``--so-ban-sao``) or from the register's copy
series ``sao`` (SY, SL and TrS share it; drafter.issue.copies numbers paper copies
from the same series).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..errors import display_path
from ..rules import copies as rules
from . import appearance as A
from . import positions as P
from .signer import Signed, SignProblem, _sign, existing_signatures, open_pdf

FIELD = "ChuKyBanSao"
MIN_DPI = 200
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 80_000_000  # A3 at 600 dpi is 70 million
# A page whose images cover at least this share of it is a scanned page; an image of
# at least SCAN_IMAGE_SHARE of the page is one of its scanned images (a small logo is not).
SCAN_PAGE_SHARE = Decimal("0.5")
SCAN_IMAGE_SHARE = Decimal("0.1")
# Room between two signatures side by side at the top of page 1 (a sao lục of a sao y).
SIDE_GAP_PT = Decimal(6)
TEXT_MAX_WIDTH_MM = 100
MAX_PAGES_SPEC = 200
COLOUR_MODES = ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV")


@dataclass(frozen=True)
class PageImage:
    """One image drawn on a page, as ``pdfimages -list`` reports it (ppi at the size drawn)."""

    page: int  # 1-based
    width: int
    height: int
    color: str  # gray, rgb, cmyk, icc, index, …
    components: int
    bits: int
    x_ppi: int
    y_ppi: int

    @property
    def in_colour(self) -> bool:
        """Three or more components (RGB, CMYK, an ICC colour space), or a palette.

        >>> PageImage(1, 10, 10, "icc", 3, 8, 200, 200).in_colour, PageImage(1, 10, 10, "gray", 1, 8, 200, 200).in_colour
        (True, False)
        """
        return self.components >= 3 or self.color == "index"

    @property
    def area_sq_in(self) -> Decimal:
        if self.x_ppi <= 0 or self.y_ppi <= 0:
            return Decimal(0)
        return Decimal(self.width) / self.x_ppi * Decimal(self.height) / self.y_ppi


@dataclass
class Source:
    """The PDF to sign as the copy, and what was found of the original."""

    path: Path
    kind: str  # "dien-tu" (an electronic original) or "ban-giay" (a scan of paper)
    data: bytes
    pages: list[int]  # the original's pages kept, 1-based
    page_count: int
    so_ky_hieu: str | None  # the original's «Số: …» on its page 1, when it has one
    min_dpi: int | None = None  # the scan's lowest resolution
    incremental: bool = False  # the original's bytes kept, its signatures still valid
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- pure parts


def copy_lines(form_slug: str, agency: str, so_line: str, when: str) -> list[str]:
    """The text of the copy's signature: the form and number, the agency, the time.

    >>> copy_lines("sao-y", "Ủy ban nhân dân tỉnh Hưng Yên", "Số: 05/SY-UBND", "2026-12-01T22:31:05+07:00")
    ['SAO Y – Số: 05/SY-UBND', 'Ủy ban nhân dân tỉnh Hưng Yên', '2026-12-01T22:31:05+07:00']
    >>> copy_lines("trich-sao", "Sở Công Thương", "Số: 01/TrS-SCT", "t")[0]
    'TRÍCH SAO – Số: 01/TrS-SCT'
    """
    return [f"{rules.form(form_slug).caps} – {so_line}", agency, when]


def so_line(number: str, form_slug: str, issuer_abbr: str | None) -> str:
    """The copy's «Số: …» from ``--so-ban-sao``: a bare number with the agency's
    abbreviation, or the whole «05/SY-UBND» (its form's letters checked).

    >>> so_line("5", "sao-y", "UBND"), so_line("12/SL-SCT", "sao-luc", None)
    ('Số: 05/SY-UBND', 'Số: 12/SL-SCT')
    >>> so_line("05/SY-UBND", "sao-luc", None)
    Traceback (most recent call last):
    ...
    drafter.sign.signer.SignProblem: Bản sao lục đánh số theo ký hiệu 'SL' (ví dụ 'Số: 05/SL-UBND'), không phải 'SY'.
    """
    text = number.strip().removeprefix("Số:").strip()
    if re.fullmatch(r"\d{1,7}", text):
        if not issuer_abbr or not issuer_abbr.strip():
            raise SignProblem("Số bản sao cần chữ viết tắt tên cơ quan sao (ví dụ --viet-tat UBND) để ghi "
                              f"«Số: {int(text):02d}/{rules.form(form_slug).abbr}-…».",
                              hint="Hoặc ghi cả số và ký hiệu: --so-ban-sao 05/SY-UBND.")
        if int(text) < 1:
            raise SignProblem(f"Số bản sao «{text}» phải từ 1 trở lên.")
        return rules.format_so(int(text), form_slug, issuer_abbr)
    if not re.fullmatch(r"\d{1,7}/\S+", text):
        raise SignProblem(f"Số bản sao «{number}» không đúng dạng: ghi số (5) kèm --viet-tat, hoặc số và "
                          f"ký hiệu (05/{rules.form(form_slug).abbr}-UBND).")
    problems = rules.validate(form=form_slug, so_line=f"Số: {text}")
    if problems:
        raise SignProblem(problems[0].message)
    return f"Số: {text}"


def parse_pages(spec: str, count: int) -> list[int]:
    """``--trang``: «1-2», «1, 3», «2-4,6» → the pages (1-based, in order, each once).

    >>> parse_pages("2-3, 1", 5), parse_pages("4", 5)
    ([1, 2, 3], [4])
    >>> parse_pages("1-9", 3)
    Traceback (most recent call last):
    ...
    drafter.sign.signer.SignProblem: --trang «1-9»: văn bản chỉ có 3 trang.
    """
    pages: set[int] = set()
    parts = [p.strip() for p in spec.split(",")]
    if len(parts) > MAX_PAGES_SPEC or not all(re.fullmatch(r"\d{1,5}(\s*-\s*\d{1,5})?", p) for p in parts):
        raise SignProblem(f"--trang «{spec}» không đúng dạng; ví dụ --trang 1-2 hoặc --trang \"1, 3\".")
    for p in parts:
        a, _, b = p.partition("-")
        lo, hi = int(a), int(b or a)
        if lo < 1 or hi < lo:
            raise SignProblem(f"--trang «{spec}»: khoảng trang «{p}» không hợp lệ (trang đếm từ 1).")
        if hi > count:
            raise SignProblem(f"--trang «{spec}»: văn bản chỉ có {count} trang.")
        pages.update(range(lo, hi + 1))
    return sorted(pages)


def parse_pdfimages(listing: str) -> list[PageImage]:
    """The rows of ``pdfimages -list`` (poppler) that are images (masks left out).

    >>> rows = parse_pdfimages('''page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio
    ... --------------------------------------------------------------------------------------------
    ...    1     0 image    1653  2338  rgb     3   8  jpeg   no         5  0   200   200 64.2K 0.6%
    ...    2     1 smask    1653  2338  gray    1   8  image  no         9  0   200   200 1K 0.1%''')
    >>> [(r.page, r.color, r.x_ppi) for r in rows]
    [(1, 'rgb', 200)]
    """
    out = []
    for line in listing.splitlines():
        cols = line.split()
        if len(cols) < 14 or not cols[0].isdigit() or cols[2] != "image":
            continue
        try:
            out.append(PageImage(int(cols[0]), int(cols[3]), int(cols[4]), cols[5], int(cols[6]), int(cols[7]),
                                 int(cols[12]), int(cols[13])))
        except ValueError:
            continue
    return out


def scan_problems(images: list[PageImage], page_sizes: dict[int, tuple[Decimal, Decimal]]) -> tuple[
        list[int], list[str], int | None]:
    """The scanned pages (their images cover half the page or more), what is wrong with
    their images (below 200 dpi, not in colour), and the lowest resolution found.

    >>> a4 = {1: (Decimal(595), Decimal(842))}
    >>> scan_problems([PageImage(1, 1653, 2338, "rgb", 3, 8, 200, 200)], a4)
    ([1], [], 200)
    >>> scan_problems([PageImage(1, 1240, 1753, "gray", 1, 8, 150, 150)], a4)[1]
    ['trang 1: ảnh quét 150 dpi (cần từ 200 dpi)', 'trang 1: ảnh quét đen trắng hoặc thang xám (cần ảnh màu)']
    >>> scan_problems([PageImage(1, 100, 100, "gray", 1, 8, 300, 300)], a4)  # a small logo: no scan
    ([], [], None)
    """
    scanned, problems, lowest = [], [], None
    for page in sorted(page_sizes):
        w, h = page_sizes[page]
        area = w / 72 * h / 72
        if area <= 0:
            continue
        own = [im for im in images if im.page == page and im.area_sq_in >= area * SCAN_IMAGE_SHARE]
        if not own or sum(im.area_sq_in for im in own) < area * SCAN_PAGE_SHARE:
            continue
        scanned.append(page)
        dpi = min(min(im.x_ppi, im.y_ppi) for im in own)
        lowest = dpi if lowest is None else min(lowest, dpi)
        if dpi < MIN_DPI:
            problems.append(f"trang {page}: ảnh quét {dpi} dpi (cần từ {MIN_DPI} dpi)")
        if not all(im.in_colour for im in own):
            problems.append(f"trang {page}: ảnh quét đen trắng hoặc thang xám (cần ảnh màu)")
    return scanned, problems, lowest


def copy_box(page: P.Page, size: tuple[Decimal, Decimal], taken: list[P.Box]) -> P.Box:
    """The copy's signature: the top right of page 1 (where an attachment's goes); when
    a signature is already there (a sao lục of an electronic sao y), just left of it.

    >>> pg = P.Page(0, Decimal(595), Decimal(842), ())
    >>> b = copy_box(pg, (Decimal(150), Decimal(38)), [])
    >>> round(b.x1), b.y1
    (552, Decimal('834'))
    >>> c = copy_box(pg, (Decimal(150), Decimal(38)), [b])
    >>> c.x1 == b.x0 - SIDE_GAP_PT, c.y1
    (True, Decimal('834'))
    """
    box = P.attachment_box(page, size)
    top_band = [t for t in taken if t.page == 0 and t.y1 > box.y0 and t.y0 < box.y1]
    while any(t.x0 < box.x1 and t.x1 > box.x0 for t in top_band):
        right = min(t.x0 for t in top_band if t.x0 < box.x1 and t.x1 > box.x0) - SIDE_GAP_PT
        box = P.Box(0, right - size[0], box.y0, right, box.y1)
    return box


def _dpi(value) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- the original in


def _refuse_scan(shown: str, problems: list[str]) -> SignProblem:
    return SignProblem(
        f"{shown} là bản quét chưa đạt yêu cầu của bản sao điện tử: " + "; ".join(problems) + ".",
        hint=f"Nghị định 30/2020/NĐ-CP: bản sao điện tử từ bản giấy phải quét màu, độ phân giải tối thiểu "
             f"{MIN_DPI} dpi, tỷ lệ 100 %. Quét lại ở chế độ màu, {MIN_DPI}–300 dpi.")


def image_pdf(path: Path) -> tuple[bytes, int]:
    """A scanned PNG or JPEG as a one-page PDF at 100 % (the page is the image at its own
    resolution); refused below 200 dpi, not in colour, or when it says no resolution.
    Returns the PDF and the scan's resolution."""
    from PIL import Image, UnidentifiedImageError

    shown = display_path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SignProblem(f"Không tìm thấy tệp {shown}.") from None
    if path.is_dir():
        raise SignProblem(f"{shown} là một thư mục, không phải ảnh quét.")
    if size > MAX_IMAGE_BYTES:
        raise SignProblem(f"Ảnh quét {shown} quá lớn ({size // (1024 * 1024)} MB; tối đa "
                          f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB).", hint="Quét ở 200–300 dpi là đủ.")
    raw = path.read_bytes()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt, (w, h), mode, info = probe.format, probe.size, probe.mode, dict(probe.info)
            if w * h > MAX_IMAGE_PIXELS:
                raise SignProblem(f"Ảnh quét {shown} quá nhiều điểm ảnh ({w} × {h}).", hint="Quét ở 200–300 dpi là đủ.")
            passthrough = fmt == "JPEG" and mode in ("RGB", "YCbCr")
            img = None if passthrough else probe.copy()
            pal = (probe.getpalette() or []) if mode == "P" else []
            palette_colour = any(pal[i] != pal[i + 1] or pal[i + 1] != pal[i + 2] for i in range(0, len(pal) - 2, 3))
    except SignProblem:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise SignProblem(f"{shown} không phải ảnh PNG/JPEG đọc được.",
                          hint="Bản sao điện tử từ bản giấy: ảnh quét PNG hoặc JPEG, hoặc PDF quét.") from None
    if fmt not in ("PNG", "JPEG"):
        raise SignProblem(f"{shown} là ảnh {fmt}; chỉ nhận ảnh quét PNG hoặc JPEG (hoặc PDF).")
    dpi = info.get("dpi")
    if not dpi or not dpi[0] or not dpi[1] or _dpi(dpi[0]) <= 1:
        raise SignProblem(f"Ảnh quét {shown} không ghi độ phân giải (dpi): không biết được kích thước thật "
                          "của bản giấy.", hint=f"Quét lại và lưu ảnh kèm độ phân giải (màu, từ {MIN_DPI} dpi), "
                                                "hoặc dùng PDF do máy quét tạo.")
    dx, dy = _dpi(dpi[0]), _dpi(dpi[1])
    problems = []
    if min(dx, dy) < MIN_DPI:
        problems.append(f"ảnh {min(dx, dy)} dpi (cần từ {MIN_DPI} dpi)")
    if mode not in COLOUR_MODES and not palette_colour:
        problems.append("ảnh đen trắng hoặc thang xám (cần ảnh màu)")
    if problems:
        raise _refuse_scan(shown, problems)
    page_w = (Decimal(w) * 72 / Decimal(str(dpi[0]))).quantize(Decimal("0.01"))
    page_h = (Decimal(h) * 72 / Decimal(str(dpi[1]))).quantize(Decimal("0.01"))
    if passthrough:
        stream, colour, filt = raw, "/DeviceRGB", "/DCTDecode"
    else:
        if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:  # what is transparent is paper: white
            rgba = img.convert("RGBA")
            rgb = Image.new("RGB", rgba.size, "white")
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        else:
            rgb = img.convert("RGB")
        stream, colour, filt = zlib.compress(rgb.tobytes(), 6), "/DeviceRGB", "/FlateDecode"
    return _one_image_pdf(stream, w, h, colour, filt, page_w, page_h), min(dx, dy)


def _one_image_pdf(stream: bytes, w: int, h: int, colour: str, filt: str, page_w: Decimal,
                   page_h: Decimal) -> bytes:
    """A PDF 1.4 of one page holding one image that fills it."""
    content = f"q {page_w} 0 0 {page_h} 0 0 cm /Im0 Do Q".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w} {page_h}] "
        f"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode("ascii"),
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {colour} /BitsPerComponent 8 "
        f"/Filter {filt} /Length {len(stream)} >>\nstream\n".encode("ascii") + stream + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise SignProblem(f"Không tìm thấy chương trình {tool} (poppler) để làm bản sao điện tử.",
                          hint="Debian/Ubuntu: sudo apt-get install poppler-utils")
    return found


def _run(cmd: list[str], what: str) -> bytes:
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        raise SignProblem(f"{what} quá 120 giây; PDF quá lớn hoặc hỏng.") from None
    if out.returncode != 0:
        raise SignProblem(f"{what} không được (PDF hỏng hoặc có mật khẩu).")
    return out.stdout


# Page keys a page may inherit from its parents in the page tree (ISO 32000-1, 7.7.3.4).
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
# Page keys a trích sao leaves out: the tree, the annotations (the original's signature
# widgets and form fields would point at bytes that are no longer there), the
# structure tree's back-references.
DROPPED = ("/Parent", "/Annots", "/StructParents", "/B", "/Tabs")


def _pages_only(data: bytes, pages: list[int]) -> bytes:
    """A new PDF of the pages named, holding only what those pages draw (nothing of
    the pages left out; no form, no signature, no outline of the original)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import PdfFileWriter, _ObjectImporter

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fresh = []
        for n in pages:
            page = reader.find_page_for_modification(n - 1)[0].get_object()
            own = generic.DictionaryObject()
            for k in page:
                if k not in DROPPED:
                    own[generic.NameObject(k)] = page.raw_get(k)
            node = page
            while "/Parent" in node and any(k not in own for k in INHERITED):
                node = node["/Parent"]
                for k in INHERITED:
                    if k not in own and k in node:
                        own[generic.NameObject(k)] = node.raw_get(k)
            fresh.append(own)
        writer = PdfFileWriter(stream_xrefs=False)
        # one import for all the pages: the fonts and images they share are copied once
        imported = _ObjectImporter(source=reader, target=writer, reference_map={}, obj_stream=None) \
            .import_object(generic.ArrayObject(fresh))
        for page in imported:
            writer.insert_page(page)
        out = io.BytesIO()
        writer.write(out)
    except Exception:  # noqa: BLE001 - pyHanko raises many kinds on a malformed PDF
        raise SignProblem("Không tách được các trang trích sao (PDF hỏng hoặc có cấu trúc lạ).",
                          hint="Tạo lại PDF của bản gốc (drafter pdf) rồi trích sao.") from None
    return out.getvalue()


def prepare(path: Path, form_slug: str, pages_spec: str | None) -> Source:
    """The PDF the copy is (see the module's text), or a SignProblem in Vietnamese."""
    shown = display_path(path)
    f = rules.form(form_slug)
    if f.slug == "trich-sao" and not pages_spec:
        raise SignProblem("Trích sao cần các trang được trích: thêm --trang (ví dụ --trang 1-2).")
    if f.slug != "trich-sao" and pages_spec:
        raise SignProblem(f"--trang chỉ dùng cho trích sao; {f.caps.lower()} sao toàn bộ văn bản.",
                          hint="Dùng --ban-sao trich-sao --trang ….")
    if path.suffix.lower() in IMAGE_SUFFIXES:
        data, dpi = image_pdf(path)
        if pages_spec:
            parse_pages(pages_spec, 1)
        return Source(path, "ban-giay", data, [1], 1, None, min_dpi=dpi)
    data, reader = open_pdf(path)
    count = int(reader.root["/Pages"]["/Count"])
    try:
        pages = P.read_pages(path)
    except P.PositionError as exc:
        raise SignProblem(f"{shown}: {exc}") from None
    sizes = {p.index + 1: (p.width, p.height) for p in pages}
    images = parse_pdfimages(_run([_poppler("pdfimages"), "-list", str(path)], "Đọc ảnh trong PDF")
                             .decode("utf-8", "replace"))
    kept = parse_pages(pages_spec, count) if pages_spec else list(range(1, count + 1))
    scanned, problems, lowest = scan_problems(images, {n: sizes[n] for n in kept if n in sizes})
    if problems:
        raise _refuse_scan(shown, problems)
    kind = "ban-giay" if scanned else "dien-tu"
    number = P.so_ky_hieu(pages[0]) if pages else None
    if pages_spec:
        return Source(path, kind, _pages_only(data, kept), kept, count, number, min_dpi=lowest)
    return Source(path, kind, data, kept, count, number, min_dpi=lowest, incremental=True)


# --------------------------------------------------------------------------- signing


def sign_copy(source: Source, key, *, form_slug: str, agency: str | None, so: str, tsa_url: str | None = None,
              when: dt.datetime | None = None) -> tuple[bytes, Signed]:
    """The copying agency's signature on the copy: top right of page 1, text only."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    when = when or dt.datetime.now(A.VIETNAM).replace(microsecond=0)
    reader = PdfFileReader(io.BytesIO(source.data), strict=False)
    fields_ = existing_signatures(reader)
    name = FIELD
    n = 1
    while name in fields_:
        n += 1
        name = f"{FIELD}{n}"
    taken = [P.Box(pg, min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))
             for pg, r in fields_.values() if len(r) == 4 and r[0] != r[2]]
    with tempfile.TemporaryDirectory(prefix="drafter-sao-") as work:
        tmp = Path(work) / "ban-sao.pdf"
        tmp.write_bytes(source.data)
        try:
            first = P.read_pages(tmp, first=1, last=1)
        except P.PositionError as exc:
            raise SignProblem(f"{display_path(source.path)}: {exc}") from None
    if not first:
        raise SignProblem(f"{display_path(source.path)}: PDF không có trang nào.")
    lines = A.fit_lines(copy_lines(form_slug, agency or key.subject_name, so, A.signing_time(when)),
                        P.PT_PER_MM * TEXT_MAX_WIDTH_MM)
    box = copy_box(first[0], A.text_size(lines), taken)
    out = _sign(source.data, key, field_name=name, page=0, box=box, style=A.text_only_style(lines),
                tsa_url=tsa_url, when=when)
    return out, Signed(Path(), "ban-sao", key.subject_name, 1, box.rounded(), A.signing_time(when),
                       bool(tsa_url), lines)


def register_fields(source: Source, form_slug: str, agency: str, issuer_abbr: str, when: dt.datetime):
    """The register's row of an electronic copy (series ``sao``)."""
    from ..issue.model import RegisterFields

    f = rules.form(form_slug)
    what = f"{f.name} điện tử của " + (f"văn bản số {source.so_ky_hieu}" if source.so_ky_hieu
                                        else f"tệp {source.path.name}")
    if source.kind == "ban-giay":
        what += " (từ bản giấy quét)"
    if f.slug == "trich-sao":
        what += " (trích trang " + ", ".join(str(p) for p in source.pages) + ")"
    return RegisterFields(ky_hieu=rules.symbol(f.slug, issuer_abbr), ngay=when.date(), ten_loai=f.name,
                          trich_yeu=what, nguoi_ky=agency, ghi_chu="bản sao điện tử", loai=f.slug)


def default_output(path: Path, form_slug: str) -> Path:
    """``qd.pdf`` → ``qd-sao-y.pdf`` beside it (a scan ``qd.jpg`` too).

    >>> default_output(Path("vb/qd.jpg"), "trich-sao").as_posix()
    'vb/qd-trich-sao.pdf'
    """
    return path.with_name(f"{path.stem}-{form_slug}.pdf")


__all__ = [
    "FIELD",
    "PageImage",
    "Source",
    "copy_box",
    "copy_lines",
    "default_output",
    "image_pdf",
    "parse_pages",
    "prepare",
    "register_fields",
    "sign_copy",
    "so_line",
]
