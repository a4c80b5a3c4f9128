"""Where the signatures go, found from the PDF's own text (Phụ lục I, mục II.8).

The signer's block of a drafter document (and of any document laid out as the decree
says) is a column of title lines in capitals — ``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ
TỊCH`` / ``PHÓ CHỦ TỊCH`` — then a blank, then the signer's name. The blank holds the
competent person's signature image, centred; the agency's seal covers about the left
third of that image, its name and the signing time beside the seal. An attachment
filed on its own gets the agency's signature at the top right of its first page.

The text and its coordinates come from ``pdftotext -bbox-layout`` (poppler, the same
tool `drafter preview` uses). Everything after the reading is pure arithmetic on
points (1/72 inch), in ``Decimal``, in the PDF's own coordinates (origin at the bottom
left of the page, y upwards).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..rules import geometry as G

PT_PER_MM = Decimal(72) / Decimal("25.4")

# The blank between title and name is at least this high (a paper document leaves
# about 78 pt, an electronic one 119 pt; body lines are never this far apart).
MIN_GAP_PT = Decimal(40)
# The title and the name of one block share a column: their centres this close.
SAME_COLUMN_PT = Decimal(40)
# The signature image, fitted into the blank: never taller than this (a handwritten
# signature is about 15–25 mm high) nor wider than the column or this.
SIGNATURE_MAX_HEIGHT_MM = 25
SIGNATURE_MAX_WIDTH_MM = 60
# Room kept free above and below the image inside the blank, for the agency's two
# lines of 10 pt text under the image when the blank is tall enough.
TEXT_LINE_PT = Decimal(12)  # 10 pt type, its leading
TEXT_GAP_PT = Decimal(2)
# The attachment's signature: at the top right of page 1, inside the top margin.
ATTACHMENT_TOP_PT = Decimal(8)
ATTACHMENT_RIGHT_MM = G.MARGINS["right"].value  # the right margin drafter writes (the decree: 15–20 mm)
AUTHORITY_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


@dataclass(frozen=True)
class Box:
    """A rectangle on a page (0-based page index), x0 < x1 and y0 < y1, PDF points."""

    page: int
    x0: Decimal
    y0: Decimal
    x1: Decimal
    y1: Decimal

    @property
    def width(self) -> Decimal:
        return self.x1 - self.x0

    @property
    def height(self) -> Decimal:
        return self.y1 - self.y0

    @property
    def centre_x(self) -> Decimal:
        return (self.x0 + self.x1) / 2

    def rounded(self) -> tuple[int, int, int, int]:
        """Whole points, for a form field's /Rect (outward, never smaller).

        >>> Box(0, Decimal("10.4"), Decimal("20.6"), Decimal("30.5"), Decimal("40.2")).rounded()
        (10, 20, 31, 41)
        """
        from math import ceil, floor

        return floor(self.x0), floor(self.y0), ceil(self.x1), ceil(self.y1)


@dataclass(frozen=True)
class Line:
    """One line of text: its box (PDF coordinates) and its words."""

    box: Box
    text: str


@dataclass(frozen=True)
class Page:
    index: int
    width: Decimal
    height: Decimal
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class SignatureBlock:
    """The signer's block: the title lines (top to bottom), the name, the blank between."""

    titles: tuple[Line, ...]
    name: Line

    @property
    def page(self) -> int:
        return self.name.box.page

    @property
    def blank(self) -> Box:
        """The blank between the last title line and the name, as wide as the block."""
        lines = (*self.titles, self.name)
        return Box(self.page, min(ln.box.x0 for ln in lines), self.name.box.y1,
                   max(ln.box.x1 for ln in lines), self.titles[-1].box.y0)


class PositionError(Exception):
    """The PDF's text could not be read, or holds no signer's block (Vietnamese message)."""


# --------------------------------------------------------------------------- reading

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.DOTALL)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.DOTALL)


def parse_bbox_layout(xhtml: str, *, origin: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))) -> list[Page]:
    """pdftotext's ``-bbox-layout`` page/line/word boxes → pages of lines in PDF coordinates.

    pdftotext measures from the top left of the page; the PDF from the bottom left
    (``origin`` is the crop box's lower-left corner when it is not 0, 0).

    >>> pages = parse_bbox_layout('<page width="595" height="842"><line xMin="344" yMin="130" '
    ...     'xMax="505" yMax="148"><word xMin="344" yMin="130" xMax="370" yMax="148">TM.</word>'
    ...     '<word xMin="372" yMin="130" xMax="505" yMax="148">ỦY&#160;BAN</word></line></page>')
    >>> line = pages[0].lines[0]
    >>> line.text, line.box.y0, line.box.y1
    ('TM. ỦY BAN', Decimal('694'), Decimal('712'))
    """
    ox, oy = origin
    pages = []
    for index, m in enumerate(_PAGE.finditer(xhtml)):
        width, height = Decimal(m.group(1)), Decimal(m.group(2))
        lines = []
        for lm in _LINE.finditer(m.group(3)):
            x0, y0, x1, y1 = (Decimal(v) for v in lm.groups()[:4])
            words = [html.unescape(w).replace("\xa0", " ").strip() for w in _WORD.findall(lm.group(5))]
            text = " ".join(w for w in words if w)
            if text:
                lines.append(Line(Box(index, ox + x0, oy + height - y1, ox + x1, oy + height - y0), text))
        pages.append(Page(index, width, height, tuple(lines)))
    return pages


def read_pages(pdf_path: Path, *, first: int | None = None, last: int | None = None,
               timeout: float = 120) -> list[Page]:
    """The lines of each page of ``pdf_path`` with their boxes (pdftotext -bbox-layout)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise PositionError("Không tìm thấy chương trình pdftotext (poppler) để tìm vị trí chữ ký trong PDF. "
                            "Debian/Ubuntu: sudo apt-get install poppler-utils")
    cmd = [tool, "-bbox-layout", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    try:
        out = subprocess.run([*cmd, str(pdf_path), "-"], capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PositionError(f"Đọc chữ của PDF quá {int(timeout)} giây; PDF quá lớn hoặc hỏng.") from None
    if out.returncode != 0:
        raise PositionError("Không đọc được chữ trong PDF (pdftotext báo lỗi); PDF hỏng hoặc có mật khẩu.")
    pages = parse_bbox_layout(out.stdout.decode("utf-8", "replace"))
    if first:  # pdftotext numbers the pages it printed from 0
        pages = [Page(p.index + first - 1, p.width, p.height,
                      tuple(Line(Box(p.index + first - 1, ln.box.x0, ln.box.y0, ln.box.x1, ln.box.y1), ln.text)
                            for ln in p.lines)) for p in pages]
    return pages


# --------------------------------------------------------------------------- finding the block


def _capitals(text: str) -> bool:
    """A title line: letters, all capitals (``PHÓ CHỦ TỊCH``), not a name.

    >>> _capitals("KT. CHỦ TỊCH"), _capitals("Nguyễn Minh Quang"), _capitals("2")
    (True, False, False)
    """
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _name_like(text: str) -> bool:
    """A signer's name: a few words, each starting with a capital, not all capitals.

    >>> _name_like("Nguyễn Minh Quang"), _name_like("- Như Điều 3;"), _name_like("PHÓ CHỦ TỊCH")
    (True, False, False)
    """
    words = text.split()
    if not 2 <= len(words) <= 6 or _capitals(text):
        return False
    return all(w[0].isupper() and w.replace("-", "").isalpha() for w in words)


def _block_above(page: Page, name: Line) -> SignatureBlock | None:
    """The title lines above ``name`` in its column, with a blank between, or None."""
    above = [ln for ln in page.lines
             if ln.box.y0 >= name.box.y1 and abs(ln.box.centre_x - name.box.centre_x) <= SAME_COLUMN_PT]
    if not above:
        return None
    above.sort(key=lambda ln: ln.box.y0)  # nearest first
    first = above[0]
    if first.box.y0 - name.box.y1 < MIN_GAP_PT or not _capitals(first.text):
        return None
    # nothing else (in any column) may sit inside the blank over the name's width
    for ln in page.lines:
        if ln is name or ln is first:
            continue
        if ln.box.y1 > name.box.y1 and ln.box.y0 < first.box.y0 and ln.box.x1 > name.box.x0 \
                and ln.box.x0 < name.box.x1:
            return None
    titles = [first]
    for ln in above[1:]:  # the title lines run upwards without another blank
        if ln.box.y0 - titles[-1].box.y1 > ln.box.height or not _capitals(ln.text):
            break
        titles.append(ln)
    return SignatureBlock(tuple(reversed(titles)), name)


def find_blocks(pages: list[Page]) -> list[SignatureBlock]:
    """Every signer's block, in page order, then top to bottom, then right to left."""
    found = []
    for page in pages:
        blocks = [b for b in (_block_above(page, ln) for ln in page.lines if _name_like(ln.text)) if b]
        blocks.sort(key=lambda b: (-b.name.box.y1, -b.name.box.x0))
        found.extend(blocks)
    return found


def main_block(pages: list[Page]) -> SignatureBlock:
    """The main document's signer's block: the first one (an attachment in the same file
    is not signed separately); a block with an authority line (TM., KT. …) preferred on
    its page."""
    blocks = find_blocks(pages)
    if not blocks:
        raise PositionError(
            "Không tìm thấy khối chữ ký trong PDF (chức vụ người ký viết hoa, khoảng trống, rồi họ tên).",
        )
    first_page = blocks[0].page
    same_page = [b for b in blocks if b.page == first_page]
    with_authority = [b for b in same_page if b.titles[0].text.startswith(AUTHORITY_PREFIXES)]
    return (with_authority or same_page)[0]


# --------------------------------------------------------------------------- the boxes


def _mm(v) -> Decimal:
    return Decimal(v) * PT_PER_MM


def signature_box(block: SignatureBlock, image_size: tuple[int, int]) -> Box:
    """The handwritten-signature image's box: centred in the blank between title and
    name, its proportions kept, as large as fits (at most 25 × 60 mm, and leaving
    room for two lines of 10 pt text above and below when the blank is tall).

    >>> t = Line(Box(0, Decimal(372), Decimal(662), Decimal(476), Decimal(680)), "PHÓ CHỦ TỊCH")
    >>> n = Line(Box(0, Decimal(361), Decimal(520), Decimal(487), Decimal(539)), "Nguyễn Minh Quang")
    >>> b = signature_box(SignatureBlock((t,), n), (600, 240))
    >>> b.centre_x == (361 + 487) / Decimal(2), (b.y0 + b.y1) / 2 == (539 + 662) / Decimal(2)
    (True, True)
    >>> b.y0 > 539 and b.y1 < 662 and b.x0 >= 361 and b.x1 <= 487
    True
    """
    blank = block.blank
    text_room = 2 * (2 * TEXT_LINE_PT + TEXT_GAP_PT)
    max_h = min(_mm(SIGNATURE_MAX_HEIGHT_MM), max(blank.height - text_room, blank.height * Decimal("0.6")))
    max_w = min(_mm(SIGNATURE_MAX_WIDTH_MM), blank.width)
    w_px, h_px = image_size
    scale = min(max_h / h_px, max_w / w_px)
    w, h = w_px * scale, h_px * scale
    cx, cy = blank.centre_x, (blank.y0 + blank.y1) / 2
    return Box(block.page, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def seal_box(signature: Box, seal_pt: tuple[Decimal, Decimal]) -> Box:
    """The seal's box at its real size: over the left third of the signature image
    (its right edge a third of the way into the image), centred on it vertically.

    >>> s = seal_box(Box(0, Decimal(300), Decimal(100), Decimal(450), Decimal(160)), (Decimal(108), Decimal(108)))
    >>> s.x1 - 300 == Decimal(150) / 3, s.width, (s.y0 + s.y1) / 2
    (True, Decimal('108'), Decimal('130'))
    """
    w, h = seal_pt
    right = signature.x0 + signature.width / 3
    cy = (signature.y0 + signature.y1) / 2
    return Box(signature.page, right - w, cy - h / 2, right, cy + h / 2)


def seal_text_box(seal: Box, signature: Box, text_size: tuple[Decimal, Decimal],
                  floor: Decimal | None = None) -> Box:
    """The agency's name and signing time: right of the seal, under the signature image
    (its top just below the image), never below the seal's bottom edge nor below
    ``floor`` (the top of the signer's name): when the room under the image is too
    low, the text rises over the image's lower edge rather than cover the name.

    >>> sig = Box(0, Decimal(300), Decimal(100), Decimal(450), Decimal(160))
    >>> seal = seal_box(sig, (Decimal(120), Decimal(120)))
    >>> t = seal_text_box(seal, sig, (Decimal(120), Decimal(24)))
    >>> t.x0 == seal.x1 + TEXT_GAP_PT, t.y1 == sig.y0 - TEXT_GAP_PT
    (True, True)
    >>> seal_text_box(seal, sig, (Decimal(120), Decimal(38)), floor=Decimal(80)).y0
    Decimal('80')
    """
    w, h = text_size
    x0 = seal.x1 + TEXT_GAP_PT
    y1 = max(signature.y0 - TEXT_GAP_PT, seal.y0 + h)
    if floor is not None and y1 - h < floor:
        y1 = floor + h
    return Box(seal.page, x0, y1 - h, x0 + w, y1)


def attachment_box(page: Page, text_size: tuple[Decimal, Decimal]) -> Box:
    """The agency's signature on a separately filed attachment: the top right of page 1,
    its right edge at the right margin, in the top margin above the first line.

    >>> p = Page(0, Decimal(595), Decimal(842), (Line(Box(0, Decimal(85), Decimal(760), Decimal(552),
    ...     Decimal(778)), "PHỤ LỤC"),))
    >>> b = attachment_box(p, (Decimal(150), Decimal(36)))
    >>> round(b.x1), b.y1, b.y0 >= 778
    (552, Decimal('834'), True)
    """
    w, h = text_size
    right = page.width - _mm(ATTACHMENT_RIGHT_MM)
    top = page.height - ATTACHMENT_TOP_PT
    return Box(page.index, right - w, top - h, right, top)


_SO = re.compile(r"^Số\s*:\s*(\d+/\S+)")


def so_ky_hieu(page: Page) -> str | None:
    """The document's số và ký hiệu on its first page (``Số: 3355/QĐ-UBND``), or None.

    >>> p = Page(0, Decimal(595), Decimal(842), (Line(Box(0, Decimal(60), Decimal(700), Decimal(200),
    ...     Decimal(715)), "Số: 3355/QĐ-UBND"),))
    >>> so_ky_hieu(p)
    '3355/QĐ-UBND'
    >>> so_ky_hieu(Page(0, Decimal(595), Decimal(842), (Line(p.lines[0].box, "Số: /QĐ-UBND"),))) is None
    True
    """
    for ln in page.lines:
        m = _SO.match(ln.text)
        if m:
            return m.group(1).rstrip(".,;")
    return None
