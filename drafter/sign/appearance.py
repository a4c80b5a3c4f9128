"""How the signatures look (Phụ lục I, mục II.8): pyHanko stamp styles.

- the competent person: the image of the handwritten signature (blue, PNG with a
  transparent background), nothing else;
- the agency: the image of the seal (red, PNG, transparent, at its real size: the
  PNG's own resolution says how many millimetres it is) with the agency's name and
  the signing time (ISO 8601, Vietnam time) beside it, Times New Roman 10 pt, upright,
  black — Liberation Serif, the metric twin of Times New Roman, embedded;
- an attachment filed on its own: the agency's text only (no image): its name, the
  main document's số và ký hiệu and the signing time, 10 pt.

The PNGs come from clerks: read under limits, with Vietnamese messages.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..errors import display_path
from .positions import PT_PER_MM

MAX_PNG_BYTES = 5 * 1024 * 1024
MAX_PNG_PIXELS = 25_000_000  # 5000 × 5000: a seal scanned at 1200 dpi is 2000 × 2000
SEAL_MIN_MM, SEAL_MAX_MM = 20, 60  # round seals are 30–45 mm
SEAL_DEFAULT_DPI = 300  # a PNG that says no resolution: read as scanned at 300 dpi
FONT_SIZE = 10
LEADING = 12
VIETNAM = dt.timezone(dt.timedelta(hours=7), "+07:00")
FONT_FILES = ("LiberationSerif-Regular.ttf", "Times New Roman.ttf", "times.ttf")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class AppearanceProblem(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


def signing_time(now: dt.datetime | None = None) -> str:
    """The signing time as the decree writes it: ISO 8601, seconds, Vietnam time.

    >>> signing_time(dt.datetime(2026, 12, 1, 15, 31, 5, 123, tzinfo=dt.timezone.utc))
    '2026-12-01T22:31:05+07:00'
    """
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(VIETNAM).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Png:
    """A PNG read under limits: the Pillow image (RGBA) and its size in points."""

    image: object  # PIL.Image.Image
    width_pt: Decimal
    height_pt: Decimal
    dpi_given: bool


def read_png(path: Path, what: str) -> Png:
    """A clerk's PNG (``what``: «ảnh chữ ký», «ảnh con dấu»): a real PNG, not huge,
    with a transparent background; or an AppearanceProblem naming the file."""
    from PIL import Image

    shown = display_path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise AppearanceProblem(f"{shown} là một thư mục, không phải {what} PNG.")
    except FileNotFoundError:
        raise AppearanceProblem(f"Không tìm thấy {what} {shown}.") from None
    if size > MAX_PNG_BYTES:
        raise AppearanceProblem(
            f"{what.capitalize()} {shown} quá lớn ({size // 1024:,} KB; tối đa {MAX_PNG_BYTES // 1024 // 1024} MB)."
            .replace(",", "."), hint="Thu nhỏ ảnh (300 dpi là đủ) rồi lưu lại dạng PNG.")
    with path.open("rb") as f:
        head = f.read(8)
    if head != PNG_MAGIC:
        raise AppearanceProblem(f"{what.capitalize()} {shown} không phải tệp PNG.",
                                hint="Lưu ảnh dạng PNG nền trong suốt (không dùng JPG, PDF hay ảnh chụp màn hình).")
    try:
        img = Image.open(path)
        w, h = img.size
        if w * h > MAX_PNG_PIXELS:
            raise AppearanceProblem(
                f"{what.capitalize()} {shown} quá nhiều điểm ảnh ({w} × {h}; tối đa 25 triệu điểm ảnh).",
                hint="Thu nhỏ ảnh (300 dpi là đủ) rồi lưu lại.")
        img.load()
    except AppearanceProblem:
        raise
    except Exception:
        raise AppearanceProblem(f"{what.capitalize()} {shown} là PNG hỏng, không đọc được.") from None
    if w < 16 or h < 16:
        raise AppearanceProblem(f"{what.capitalize()} {shown} quá nhỏ ({w} × {h} điểm ảnh).")
    transparent = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    if not transparent:
        raise AppearanceProblem(f"{what.capitalize()} {shown} không có nền trong suốt.",
                                hint="Nghị định 30 yêu cầu ảnh PNG nền trong suốt: xóa nền trắng rồi lưu lại.")
    img = img.convert("RGBA")
    if img.getchannel("A").getextrema()[0] == 255:
        raise AppearanceProblem(f"{what.capitalize()} {shown} không có nền trong suốt (mọi điểm ảnh đều đục).",
                                hint="Nghị định 30 yêu cầu ảnh PNG nền trong suốt: xóa nền trắng rồi lưu lại.")
    dpi = img.info.get("dpi") or Image.open(path).info.get("dpi")
    given = bool(dpi and dpi[0] and dpi[1] and round(dpi[0]) > 1)
    dx, dy = (Decimal(str(round(dpi[0], 2))), Decimal(str(round(dpi[1], 2)))) if given else (
        Decimal(SEAL_DEFAULT_DPI), Decimal(SEAL_DEFAULT_DPI))
    return Png(img, Decimal(w) * 72 / dx, Decimal(h) * 72 / dy, given)


def seal_size(png: Png, path: Path) -> tuple[Decimal, Decimal]:
    """The seal's real size in points, from the PNG's resolution; refused when the
    result is no seal's size (a PNG saved at the wrong resolution)."""
    w_mm, h_mm = png.width_pt / PT_PER_MM, png.height_pt / PT_PER_MM
    if not (SEAL_MIN_MM <= w_mm <= SEAL_MAX_MM and SEAL_MIN_MM <= h_mm <= SEAL_MAX_MM):
        dpi_note = "" if png.dpi_given else f" (ảnh không ghi độ phân giải; coi là {SEAL_DEFAULT_DPI} dpi)"
        raise AppearanceProblem(
            f"Ảnh con dấu {display_path(path)} có kích thước thực {w_mm:.0f} × {h_mm:.0f} mm{dpi_note}, "
            f"ngoài khoảng {SEAL_MIN_MM}–{SEAL_MAX_MM} mm của một con dấu.",
            hint="Quét con dấu ở độ phân giải đã biết (ví dụ 300 dpi) và lưu PNG kèm độ phân giải đó, "
                 "để ảnh đúng kích thước thật.")
    return png.width_pt, png.height_pt


@lru_cache(maxsize=1)
def font_file() -> str:
    """Times New Roman's metrics: Liberation Serif (fonts-liberation2), or Times itself."""
    fc = shutil.which("fc-match")
    if fc:
        try:
            out = subprocess.run([fc, "-f", "%{file}", "Liberation Serif:style=Regular"], capture_output=True,
                                 text=True, timeout=20, check=False).stdout.strip()
            if out and Path(out).name in FONT_FILES and Path(out).is_file():
                return out
        except (OSError, subprocess.SubprocessError):
            pass
    for folder in FONT_DIRS:
        base = Path(folder)
        if base.is_dir():
            for name in FONT_FILES:
                for hit in base.rglob(name):
                    return str(hit)
    raise AppearanceProblem("Không tìm thấy phông Liberation Serif (hoặc Times New Roman) để viết chữ của chữ ký số.",
                            hint="Debian/Ubuntu: sudo apt-get install fonts-liberation2")


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    """The font at 1000 units per em. pyHanko 0.38 writes glyph widths (/W) and TJ
    adjustments in the font's own units, which PDF reads as thousandths of an em: a
    TrueType font of 2048 units (Liberation Serif, Times New Roman) would come out
    twice as wide. Scaled once, in memory; the outlines are the same."""
    import io

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(font_file())
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    for table in ("FFTM", "DSIG"):  # neither survives subsetting; pyHanko would warn about them
        if table in font:
            del font[table]
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _font_factory():
    import io

    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class _Factory(FontEngineFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(_font_bytes()), font_size=FONT_SIZE,
                                    obj_stream=obj_stream)

    return _Factory()


def text_size(lines: list[str]) -> tuple[Decimal, Decimal]:
    """The width and height the lines take at 10 pt (leading 12 pt), as pyHanko sets them."""
    from pyhanko.pdf_utils.writer import PdfFileWriter

    engine = _font_factory().create_font_engine(PdfFileWriter())
    engine.font_size = FONT_SIZE
    width = max(abs(engine.shape(line).x_advance) * FONT_SIZE for line in lines)
    return Decimal(round(width)) + 1, Decimal(LEADING * len(lines)) + 2


def fit_lines(lines: list[str], max_width: Decimal) -> list[str]:
    """Each line no wider than ``max_width`` at 10 pt: a longer one broken between words
    (an agency's long name on two lines); a single word wider than that stays whole."""
    out = []
    for line in lines:
        words, current = line.split(), ""
        for word in words:
            trial = f"{current} {word}".strip()
            if current and text_size([trial])[0] > max_width:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out


def _text_style(stamp_text: str, *, background=None, background_layout=None, left: Decimal = Decimal(0),
                bottom: Decimal = Decimal(0)):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    exact = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MIN,
                                       y_align=layout.AxisAlignment.ALIGN_MIN,
                                       inner_content_scaling=layout.InnerScaling.NO_SCALING)
    kwargs = {}
    if background is not None:
        kwargs = {"background": background, "background_layout": background_layout, "background_opacity": 1.0}
    return TextStampStyle(
        stamp_text=stamp_text.replace("%", "%%"),
        text_box_style=TextBoxStyle(font=_font_factory(), font_size=FONT_SIZE, leading=LEADING, border_width=0,
                                    box_layout_rule=exact, text_color=(0, 0, 0)),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(left=float(left), bottom=float(bottom)),
            inner_content_scaling=layout.InnerScaling.NO_SCALING),
        border_width=0,
        **kwargs,
    )


def person_style(png: Png, size: tuple[Decimal, Decimal]):
    """The person's signature: the handwritten-signature image filling the widget."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    w, h = size
    image = PdfImage(png.image, box=layout.BoxConstraints(float(w), float(h)))
    return StaticStampStyle(
        background=image, background_opacity=1.0, border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.NO_SCALING))


def agency_lines(agency: str, when: str) -> list[str]:
    """The agency's text beside the seal.

    >>> agency_lines("Ủy ban nhân dân tỉnh Hưng Yên", "2026-12-01T22:31:05+07:00")
    ['Ủy ban nhân dân tỉnh Hưng Yên', '2026-12-01T22:31:05+07:00']
    """
    return [agency, when]


def attachment_lines(agency: str, so_ky_hieu: str, when: str) -> list[str]:
    """The agency's text on a separately filed attachment (no image).

    >>> attachment_lines("Ủy ban nhân dân tỉnh Hưng Yên", "3355/QĐ-UBND", "2026-12-01T22:31:05+07:00")[1]
    'Kèm theo văn bản số 3355/QĐ-UBND'
    """
    return [agency, f"Kèm theo văn bản số {so_ky_hieu}", when]


def agency_style(png: Png, seal: tuple[Decimal, Decimal], lines: list[str], *, text_left: Decimal,
                 text_bottom: Decimal):
    """The agency's signature: the seal at the left of the widget at its real size, the
    text at (text_left, text_bottom) inside the widget."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage

    w, h = seal
    image = PdfImage(png.image, box=layout.BoxConstraints(float(w), float(h)))
    rule = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MIN,
                                      y_align=layout.AxisAlignment.ALIGN_MIN,
                                      inner_content_scaling=layout.InnerScaling.NO_SCALING)
    return _text_style("\n".join(lines), background=image, background_layout=rule,
                       left=text_left, bottom=text_bottom)


def text_only_style(lines: list[str]):
    """The attachment's signature: text only."""
    return _text_style("\n".join(lines))
