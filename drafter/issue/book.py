"""The outgoing register printed as a book (sổ đăng ký văn bản đi, Nghị định 30 Phụ lục IV).

One year per book. The columns of Phụ lục IV, in order: số, ký hiệu; ngày tháng;
tên loại và trích yếu nội dung; người ký; nơi nhận; đơn vị, người nhận bản lưu; số
lượng bản; ngày chuyển; ký nhận; ghi chú. A cancelled number stays in its row, marked
in the ghi chú column with who cancelled it and why.

Three forms: .xlsx (openpyxl: A4 landscape, the header rows printed on every page),
.docx (python-docx: a title page, then the table, A4 landscape, the header row
repeated on every page) and .pdf (the .docx through LibreOffice, :mod:`drafter.pdf`).
Every file is written atomically under the replace rule (``--force``).

>>> import datetime as dt
>>> from drafter.issue.model import Entry
>>> e = Entry(so=5, series="chung", year=2026, ky_hieu="QĐ-UBND", ngay=dt.date(2026, 3, 5),
...           ten_loai="Quyết định", trich_yeu="Về việc giao chỉ tiêu", nguoi_ky="Nguyễn Văn A",
...           noi_nhan=["Sở Tài chính", "Sở Nội vụ"], ban_luu=["VT", "KT"], so_luong_ban=10)
>>> row_cells(e)[:4]
['05/QĐ-UBND', '05/03/2026', 'Quyết định Về việc giao chỉ tiêu', 'Nguyễn Văn A']
>>> row_cells(e)[4:7]
['Sở Tài chính; Sở Nội vụ', 'VT, KT', '10']
>>> from dataclasses import replace
>>> row_cells(replace(e, status="da-huy", huy_boi="Lê B", huy_ly_do="ghi nhầm", huy_luc="2026-03-06T09:00:00+07:00"))[9]
'ĐÃ HỦY SỐ (Lê B, 06/03/2026: ghi nhầm)'
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.rules import geometry as G

from .model import Entry

TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"

# Phụ lục IV's columns, in order, with their width in the printed book (mm of the
# 267 mm of an A4 landscape page's text) and in Excel (characters).
COLUMNS: tuple[tuple[str, int, int], ...] = (
    ("Số, ký hiệu văn bản", 31, 16),
    ("Ngày tháng văn bản", 23, 11),
    ("Tên loại và trích yếu nội dung văn bản", 56, 40),
    ("Người ký", 24, 16),
    ("Nơi nhận văn bản", 34, 24),
    ("Đơn vị, người nhận bản lưu", 23, 15),
    ("Số lượng bản", 15, 8),
    ("Ngày chuyển", 19, 11),
    ("Ký nhận", 17, 10),
    ("Ghi chú", 25, 18),
)
FORMATS = (".xlsx", ".docx", ".pdf")
# Margins of the printed book (mm): A4 landscape, the binding on the left.
MARGINS_MM = {"top": 20, "bottom": 15, "left": 20, "right": 10}


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _cancel_note(e: Entry) -> str:
    when = ""
    if e.huy_luc:
        try:
            when = _d(dt.datetime.fromisoformat(e.huy_luc).date())
        except ValueError:
            when = e.huy_luc[:10]
    who = ", ".join(p for p in (e.huy_boi, when) if p)
    why = f": {e.huy_ly_do}" if e.huy_ly_do else ""
    return f"ĐÃ HỦY SỐ ({who}{why})" if who or why else "ĐÃ HỦY SỐ"


def row_cells(e: Entry) -> list[str]:
    """The ten cells of an entry's row, as the book prints them."""
    note = e.ghi_chu
    if e.cancelled:
        note = _cancel_note(e) + (f"; {e.ghi_chu}" if e.ghi_chu else "")
    return [e.so_ky_hieu, _d(e.ngay), e.ten_loai_trich_yeu, e.nguoi_ky, "; ".join(e.noi_nhan),
            ", ".join(e.ban_luu), str(e.so_luong_ban) if e.so_luong_ban is not None else "",
            _d(e.ngay_chuyen), e.ky_nhan, note]


@dataclass(frozen=True)
class Book:
    """One year's book: the agency's name lines (may be empty), the year, the rows."""

    year: int
    agency: tuple[str, ...]
    entries: tuple[Entry, ...]
    series_names: dict[str, str]

    @property
    def groups(self) -> list[tuple[str, list[Entry]]]:
        """The rows by series (the agency's one series first), each in number order."""
        order: dict[str, list[Entry]] = {}
        for e in sorted(self.entries, key=lambda e: (e.series != "chung", e.series, e.so)):
            order.setdefault(e.series, []).append(e)
        return list(order.items())

    def heading(self, series: str) -> str:
        return self.series_names.get(series, series)


def make_book(entries: list[Entry], *, year: int | None, agency: list[str] | tuple[str, ...] = ()) -> Book:
    """The book of one year; DrafterError when the rows span years and none was named."""
    years = sorted({e.year for e in entries})
    if year is None:
        if len(years) > 1:
            raise DrafterError(Problem(
                f"Sổ có văn bản của nhiều năm ({', '.join(map(str, years))}); mỗi sổ in một năm.",
                key="--nam", hint=f"Thêm --nam {years[-1]}."))
        year = years[0] if years else dt.date.today().year
    rows = tuple(e for e in entries if e.year == year)
    from . import series as S

    names = {e.series: S.describe(e.series) for e in rows}
    return Book(year, tuple(a for a in agency if a), rows, names)


# ----------------------------------------------------------------------- .xlsx


def xlsx_bytes(book: Book) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"So di {book.year}"
    font = G.FONT
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    r = 1
    for line in book.agency:
        ws.cell(r, 1, line.upper()).font = Font(name=font, size=12, bold=True)
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(r, 1).alignment = Alignment(horizontal="left")
        r += 1
    ws.cell(r, 1, TITLE).font = Font(name=font, size=14, bold=True)
    ws.merge_cells(f"A{r}:{last}{r}")
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    r += 1
    ws.cell(r, 1, f"Năm {book.year}").font = Font(name=font, size=13, bold=True)
    ws.merge_cells(f"A{r}:{last}{r}")
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    r += 2
    header = r
    for c, (name, _mm, chars) in enumerate(COLUMNS, start=1):
        cell = ws.cell(r, c, name)
        cell.font = Font(name=font, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        ws.column_dimensions[get_column_letter(c)].width = chars
        num = ws.cell(r + 1, c, f"({c})")
        num.font = Font(name=font, size=10, italic=True)
        num.alignment = Alignment(horizontal="center")
        num.border = box
    ws.row_dimensions[r].height = 45
    r += 2
    ws.print_title_rows = f"{header}:{header + 1}"
    ws.freeze_panes = ws.cell(r, 1)
    several = len(book.groups) > 1
    for series, rows in book.groups:
        if several:
            cell = ws.cell(r, 1, book.heading(series).capitalize())
            cell.font = Font(name=font, size=11, bold=True, italic=True)
            ws.merge_cells(f"A{r}:{last}{r}")
            r += 1
        for e in rows:
            for c, value in enumerate(row_cells(e), start=1):
                cell = ws.cell(r, c, value)
                cell.font = Font(name=font, size=11, strike=e.cancelled and c == 1)
                cell.alignment = Alignment(vertical="top", wrap_text=True,
                                           horizontal="center" if c in (1, 2, 7, 8) else "left")
                cell.border = box
            r += 1
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    mm = 1 / 25.4
    ws.page_margins.left, ws.page_margins.right = MARGINS_MM["left"] * mm, MARGINS_MM["right"] * mm
    ws.page_margins.top, ws.page_margins.bottom = MARGINS_MM["top"] * mm, MARGINS_MM["bottom"] * mm
    ws.oddFooter.center.text = "Trang &P/&N"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ----------------------------------------------------------------------- .docx


def docx_bytes(book: Book) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = G.FONT
    style.font.size = Pt(12)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), G.FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(G.PAPER_MM[1]), Mm(G.PAPER_MM[0])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])

    def para(text: str, size: float, *, bold: bool = False, italic: bool = False, before: float = 0,
             align=WD_ALIGN_PARAGRAPH.CENTER):
        p = doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_before = Pt(before)
        run = p.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
        return p

    # The title page.
    first = True
    for line in book.agency:
        para(line.upper(), 14, bold=True, before=40 if first else 0)
        first = False
    para(TITLE, 22, bold=True, before=120)
    para(f"Năm {book.year}", 16, bold=True, before=18)
    numbers = [e.so for e in book.entries if e.series == "chung"] or [e.so for e in book.entries]
    if numbers:
        para(f"Từ số {min(numbers):02d} đến số {max(numbers):02d}", 14, italic=True, before=18)
    p = para("", 12, before=0)
    p.add_run().add_break(WD_BREAK.PAGE)

    widths = [Mm(w) for _n, w, _c in COLUMNS]
    table = doc.add_table(rows=2, cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.style = doc.styles["Table Grid"]
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for i, w in enumerate(widths):
        table._tbl.tblGrid.gridCol_lst[i].w = w

    def fill(cell, text: str, size: float, *, bold=False, italic=False, strike=False, align=WD_ALIGN_PARAGRAPH.LEFT):
        p = cell.paragraphs[0]
        p.alignment = align
        run = p.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
        if strike:
            run.font.strike = True

    for row_i in range(2):
        tr = table.rows[row_i]._tr
        trpr = tr.get_or_add_trPr()
        head = OxmlElement("w:tblHeader")  # repeated at the top of every page
        trpr.append(head)
        cant = OxmlElement("w:cantSplit")
        trpr.append(cant)
    for c, (name, _mm, _chars) in enumerate(COLUMNS):
        fill(table.cell(0, c), name, 11, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        fill(table.cell(1, c), f"({c + 1})", 10, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    several = len(book.groups) > 1
    centred = {0, 1, 6, 7}
    for series, rows in book.groups:
        if several:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            fill(merged, book.heading(series).capitalize(), 11, bold=True, italic=True)
        for e in rows:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for c, value in enumerate(row_cells(e)):
                fill(row.cells[c], value, 11, strike=e.cancelled and c == 0,
                     align=WD_ALIGN_PARAGRAPH.CENTER if c in centred else WD_ALIGN_PARAGRAPH.LEFT)
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[min(c, len(widths) - 1)]
    _page_numbers(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _page_numbers(doc) -> None:
    """'Trang N' centred in the footer of every page but the title page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("Trang ")
    run.font.size = Pt(11)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        r = p.add_run()
        r.font.size = Pt(11)
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)
        else:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r._r.append(it)


# ----------------------------------------------------------------------- writing


def export(book: Book, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the book to ``path`` (.xlsx, .docx or .pdf by its extension), atomically."""
    from drafter.output_problems import check_outputs, write_problem
    from drafter.package.atomic import atomic_write_bytes, ensure_folder, publish_file

    out = Path(path)
    ext = out.suffix.lower()
    if ext not in FORMATS:
        raise DrafterError(Problem(f"Sổ in ra tệp .xlsx, .docx hoặc .pdf, không phải '{out.suffix or out.name}'.",
                                   Position(display_path(out)), key="-o"))
    check_outputs([out], force=force, key="-o")
    ensure_folder(out.parent if str(out.parent) else ".")
    try:
        if ext == ".xlsx":
            atomic_write_bytes(out, xlsx_bytes(book), force=force)
        elif ext == ".docx":
            from drafter.package.atomic import verify_docx

            atomic_write_bytes(out, docx_bytes(book), force=force, verify=verify_docx)
        else:
            from drafter import pdf

            work = Path(tempfile.mkdtemp(prefix=".drafter-so-di-", dir=out.parent if str(out.parent) else "."))
            try:
                src = work / (out.stem + ".docx")
                src.write_bytes(docx_bytes(book))
                try:
                    made = pdf.convert([src], work, timeout=300)
                except pdf.PdfError as exc:
                    raise DrafterError(Problem(f"Chưa tạo được PDF của sổ: {exc}", Position(display_path(out)))) from None
                publish_file(made[0], out, force=force)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except OSError as exc:
        raise DrafterError(write_problem(exc, out)) from None
    return out
