"""Tables that office staff keep: CSV and Excel (.xlsx) sheets, read safely.

Used for batch drafting (one document per row) and for appendix tables. One reader
serves both: :func:`read_records` gives every non-empty row as read (its row number,
its typed cells, the problems of its cells), for a caller that interprets the header
itself (appendix tables, whose header may span merged rows); :func:`read_rows` builds
on it the header row and one named row per data row (batch data).

What this module promises:

* **Nothing is ever evaluated.** drafter does not compute spreadsheet formulas and
  does not pass them on. An Excel cell holding a formula is reported as an issue
  (code ``"formula"``) and its value becomes ``None``; the value Excel cached for it
  is not read either (the workbook is opened with ``data_only=False``), so a
  ``=HYPERLINK("http://…", "x")`` or ``=cmd|' /C calc'!A0`` can never reach a
  document. In a CSV file every cell is plain text: a value starting with ``=``,
  ``+``, ``-`` or ``@`` is data (a phone number, a bullet, a negative amount) and is
  kept exactly as typed.
* **Numbers in CSV stay strings.** ``1.234,5`` means different things in different
  locales; the caller parses it with the Vietnamese rules. Excel cells already carry
  a type: integers stay ``int``, whole floats become ``int``, other floats become
  ``Decimal``; dates become ``datetime.date``.
* **Row numbers are the ones a person sees** in Excel or LibreOffice: the header is
  row 1 (or the first non-empty row), the first data row is usually 2.
* **Bounded memory.** Excel files are streamed (openpyxl ``read_only=True``), CSV is
  parsed as it is read, and reading stops with an error as soon as the sheet has
  more than ``max_rows`` data rows.
* Text is stripped of surrounding white space and cleaned by
  ``drafter.rules.text.clean`` (NFC; TCVN3/VNI legacy text converted, with a
  warning); an empty cell is ``None``. Header names are stripped and NFC only.

Errors that make the sheet unusable raise :class:`SheetError` (message in
Vietnamese, with the file and row); problems confined to one cell are collected in
:attr:`SheetData.warnings` and reading goes on.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import datetime
import functools
import io
import os
import unicodedata
import warnings as _warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from drafter.env import env_limit
from drafter.rules import text as text_rules
from drafter.rules.text import TextWarning
from drafter.rules.text import clean as clean_text

__all__ = [
    "CellIssue",
    "CellValue",
    "DEFAULT_MAX_ROWS",
    "MAX_ROWS_ENV",
    "Record",
    "Row",
    "SheetData",
    "SheetError",
    "SheetIssue",
    "SheetRecords",
    "default_max_rows",
    "read_records",
    "read_rows",
    "stream_rows",
]

CellValue = str | int | Decimal | datetime.date | None

DEFAULT_MAX_ROWS = 50_000
MAX_ROWS_ENV = "DRAFTER_MAX_ROWS"

# One cell, CSV or Excel: Python's own CSV field limit, which Excel cells now share
# (Excel itself stops at 32,767 characters; other programs write more).
DEFAULT_MAX_CELL_CHARS = 131_072
MAX_CELL_CHARS_ENV = "DRAFTER_MAX_CELL_CHARS"

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

_CSV_DELIMITERS = (",", ";", "\t")
_SNIFF_BYTES = 64 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx

_SAVE_AS_HINT = "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx hoặc CSV UTF-8."


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class SheetIssue:
    """A problem confined to one row or cell; the sheet is still usable."""

    row: int | None
    column: str | None  # the header name, or the column letter beyond the header
    # "formula", "error-value", "time-dropped", "extra-cells", "encoding",
    # "sheet-ignored", or a drafter.rules.text code ("legacy-encoding", "eth-for-d")
    code: str
    message: str  # Vietnamese, for the user

    def __str__(self) -> str:
        where = f"dòng {self.row}: " if self.row is not None else ""
        return f"{where}{self.message}"


@dataclass(slots=True)
class Row:
    """One data row. ``number`` is the row number shown by Excel/LibreOffice."""

    number: int
    values: dict[str, CellValue]


@dataclass
class SheetData:
    path: Path
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    warnings: list[SheetIssue] = field(default_factory=list)
    row_count: int = 0  # data rows read (those in ``rows``, or given one by one by stream_rows)


class CellIssue(NamedTuple):
    """A problem with one cell of a :class:`Record`. A refused cell ("formula",
    "error-value") holds ``None``; a converted one ("time-dropped", a text code) holds
    the converted value."""

    index: int  # 0-based column
    code: str
    message: str  # Vietnamese, without the cell's name (the caller knows the column)

    @property
    def letter(self) -> str:
        return _column_letter(self.index)


@dataclass(slots=True)
class Record:
    """One non-empty sheet row as read: the row number Excel/LibreOffice shows and the
    typed cells left to right (``None`` for an empty cell; a short row is not padded)."""

    number: int
    cells: list[CellValue]
    issues: tuple[CellIssue, ...] = ()

    def sheet_issue(self, issue: CellIssue, name: str | None = None) -> SheetIssue:
        """``issue`` as the user reads it: "Ô C4 (name): …", ``column`` the name (or the
        column letter when the caller has no name for it)."""
        cell = f"Ô {issue.letter}{self.number}"
        if name:
            cell += f" ({name})"
        return SheetIssue(self.number, name or issue.letter, issue.code, f"{cell}: {issue.message}")


@dataclass
class SheetRecords:
    """Every non-empty row of a sheet (:func:`read_records`); ``warnings`` are about the
    whole file (encoding, an ignored sheet name), cell problems sit in their record."""

    path: Path
    records: list[Record]
    warnings: list[SheetIssue]
    max_rows: int

    def check_data_rows(self, header_rows: int) -> None:
        """Once the caller knows its header is the first ``header_rows`` records: no data
        row after it, or more than ``max_rows``, is the error :func:`read_rows` gives."""
        data = len(self.records) - header_rows
        if data > self.max_rows:
            raise _too_many_rows(self.path, self.max_rows, self.records[header_rows + self.max_rows].number)
        if data <= 0:
            raise SheetError(
                self.path,
                "Bảng chỉ có dòng tiêu đề, không có dòng dữ liệu nào.",
                row=self.records[-1].number,
            )


class SheetError(Exception):
    """The sheet cannot be used. ``message`` is in Vietnamese."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):
        # picklable across batch worker processes (args hold only the text)
        return _rebuild_sheet_error, (self.path, self.message, self.row, self.column)

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.path}:{self.row}: {self.message}"
        return f"{self.path}: {self.message}"


def _rebuild_sheet_error(path: Path, message: str, row: int | None, column: str | None) -> SheetError:
    return SheetError(path, message, row=row, column=column)


# --------------------------------------------------------------------------- API


def default_max_rows(environ: dict[str, str] | None = None) -> int:
    """The row limit the CLI should use: ``DRAFTER_MAX_ROWS`` if set, else 50,000."""
    return env_limit(MAX_ROWS_ENV, DEFAULT_MAX_ROWS, environ)


def max_cell_chars(environ: dict[str, str] | None = None) -> int:
    """The cell length limit: ``DRAFTER_MAX_CELL_CHARS`` if set, else 131,072."""
    return env_limit(MAX_CELL_CHARS_ENV, DEFAULT_MAX_CELL_CHARS, environ)


# The limit for the Excel sheet being read (set by _read_xlsx for _xlsx_cell).
_CELL_LIMIT: contextvars.ContextVar[int] = contextvars.ContextVar("cell_limit", default=DEFAULT_MAX_CELL_CHARS)


class _CellTooLong(Exception):
    """An Excel cell over the limit; _read_xlsx turns it into a SheetError."""

    def __init__(self, index: int, length: int, row: int | None = None):
        super().__init__(index, length, row)
        self.index, self.length, self.row = index, length, row


def _cell_too_long(path: Path, row: int, letter: str, length: int | None, limit: int) -> SheetError:
    size = f"dài {_fmt_int(length)} ký tự, " if length is not None else ""
    return SheetError(
        path,
        f"Ô {letter}{row} {size}vượt giới hạn {_fmt_int(limit)} ký tự một ô. Một ô dài như vậy "
        "thường là dữ liệu dán nhầm. Nếu đúng là cần, hãy tăng giới hạn bằng biến môi trường "
        f"{MAX_CELL_CHARS_ENV} (ví dụ {MAX_CELL_CHARS_ENV}={limit * 2}).",
        row=row, column=letter,
    )


def read_rows(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SheetData:
    """Read a CSV or .xlsx table: header row, then one :class:`Row` per data row.

    ``sheet`` names the Excel worksheet (default: the first one); it is ignored,
    with a warning, for CSV. More than ``max_rows`` data rows is an error.
    """
    path = Path(path)
    # The header is checked as soon as it is read: a bad one stops before the rest.
    header: list[list[str]] = []
    data = _read_records(path, sheet, max_rows, 1, lambda record: header.append(_build_header(path, record)))
    data.check_data_rows(1)
    columns = header[-1]
    issues = data.warnings
    rows = [_data_row(record, columns, issues) for record in data.records[1:]]
    return SheetData(path=data.path, columns=columns, rows=rows, warnings=issues, row_count=len(rows))


def stream_rows(
    path: str | os.PathLike[str],
    on_row: Callable[[Row], object],
    *,
    sheet: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    on_restart: Callable[[], object] | None = None,
) -> SheetData:
    """:func:`read_rows` without holding the rows: each data row is given to ``on_row``
    as it is read, and the :class:`SheetData` returned has the columns, the warnings
    and :attr:`SheetData.row_count`, with ``rows`` empty. Same values, warnings and
    errors as :func:`read_rows`, the whole sheet read before it returns.

    A CSV file found not to be in the encoding first tried is read again from its
    start in the next one: ``on_restart`` is called first, and the rows given so far
    are to be forgotten.
    """
    path = Path(path)
    header: list[list[str]] = []
    sent = [0]

    def first(record: Record) -> None:
        if header and on_restart is not None:
            on_restart()
        header.append(_build_header(path, record))
        sent[0] = 0

    def sink(record: Record, issues: list[SheetIssue]) -> None:
        sent[0] += 1
        on_row(_data_row(record, header[-1], issues))

    data = _read_records(path, sheet, max_rows, 1, first, sink)
    if not sent[0]:
        data.check_data_rows(1)  # only the header: the same error as read_rows
    return SheetData(path=data.path, columns=header[-1], rows=[], warnings=data.warnings, row_count=sent[0])


def _data_row(record: Record, columns: list[str], issues: list[SheetIssue]) -> Row:
    """One data record named by the header's ``columns``; its cells' problems (and cells
    beyond the header) appended to ``issues``."""
    width = len(columns)
    cells = record.cells
    if len(cells) < width:
        cells = cells + [None] * (width - len(cells))
    for issue in record.issues:
        if issue.index < width:
            issues.append(record.sheet_issue(issue, columns[issue.index]))
    if len(cells) > width:
        refused = {issue.index for issue in record.issues}
        extra = [_column_letter(i) for i in range(width, len(cells)) if cells[i] is not None or i in refused]
        if extra:
            issues.append(
                SheetIssue(
                    record.number, extra[0], "extra-cells",
                    f"Dòng có dữ liệu ngoài các cột có tiêu đề (ô {', '.join(extra)}); "
                    "phần này bị bỏ qua. Hãy thêm tên cột hoặc xóa các ô đó.",
                )
            )
    return Row(record.number, dict(zip(columns, cells)))


def read_records(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    header_rows: int = 1,
) -> SheetRecords:
    """Read a CSV or .xlsx sheet as it is: every non-empty row, in order, as a :class:`Record`.

    Same decoding, cell values and refusals as :func:`read_rows`, with no header
    interpreted. The caller's header is at most ``header_rows`` rows: more than
    ``max_rows`` records after them stops the reading with the row-limit error (once
    the header is known, :meth:`SheetRecords.check_data_rows` applies the exact limit).
    A sheet with no non-empty row is an error.
    """
    return _read_records(Path(path), sheet, max_rows, header_rows)


def _read_records(
    path: Path,
    sheet: str | None,
    max_rows: int,
    header_rows: int,
    on_first: Callable[[Record], object] | None = None,
    sink: Callable[[Record, list[SheetIssue]], object] | None = None,
) -> SheetRecords:
    for name, value in (("max_rows", max_rows), ("header_rows", header_rows)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    collect = functools.partial(_collect, path, max_rows=max_rows, header_rows=header_rows, on_first=on_first,
                                sink=sink)
    try:
        cell_limit = max_cell_chars()
    except ValueError as exc:
        raise SheetError(path, str(exc)) from None
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise SheetError(path, f"Tệp .xls (Excel 97–2003) không được hỗ trợ. {_SAVE_AS_HINT}")
    if suffix not in CSV_SUFFIXES and suffix not in XLSX_SUFFIXES:
        shown = suffix or "(không có phần mở rộng)"
        raise SheetError(
            path,
            f"Không đọc được loại tệp {shown}: drafter chỉ đọc bảng .xlsx và .csv. {_SAVE_AS_HINT}",
        )
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise SheetError(path, "Không tìm thấy tệp.") from None
    except IsADirectoryError:
        raise SheetError(path, "Đây là một thư mục, không phải tệp bảng tính.") from None
    except OSError as exc:
        from ..errors import read_refusal

        raise SheetError(path, f"Không mở được tệp: {read_refusal(exc)}.") from None

    if head.startswith(_OLE_MAGIC):
        raise SheetError(
            path,
            "Tệp này là bảng Excel định dạng cũ (.xls) hoặc được đặt mật khẩu; drafter không "
            f"đọc được. {_SAVE_AS_HINT} (bỏ mật khẩu nếu có)",
        )
    if suffix in XLSX_SUFFIXES:
        if not head.startswith(_ZIP_MAGIC):
            raise SheetError(path, f"Tệp không phải bảng Excel .xlsx hợp lệ. {_SAVE_AS_HINT}")
        return _read_xlsx(path, sheet, collect, cell_limit)
    if head.startswith(_ZIP_MAGIC):
        raise SheetError(
            path,
            f"Tệp mang đuôi {suffix} nhưng thực ra là bảng Excel (.xlsx): hãy đổi đuôi tệp "
            "thành .xlsx hoặc lưu lại dạng CSV UTF-8.",
        )
    previous = csv.field_size_limit(cell_limit)
    try:
        data = _read_csv(path, head, collect)
    finally:
        csv.field_size_limit(previous)
    if sheet is not None:
        data.warnings.insert(
            0,
            SheetIssue(
                None, None, "sheet-ignored",
                f"Tệp CSV chỉ có một bảng; tên trang tính “{sheet}” được bỏ qua.",
            ),
        )
    return data


# --------------------------------------------------------------------------- text


_CACHED_CELL_CHARS = 80  # longer texts seldom repeat: cleaned each time, never held


def _clean_text(value: str) -> tuple[str, tuple[TextWarning, ...]]:
    """Text hygiene for one cell: NFC, invisible/control characters, and legacy
    TCVN3/VNI text converted to Unicode (``drafter.rules.text.clean``).

    Plain printable ASCII cannot change — no legacy table remaps ASCII, NFC leaves
    it alone — so it skips the work. Short texts are cached: sheets repeat values
    (unit types, province names, units of measure), and ``clean`` scores every word
    for legacy encodings (≈0.1 ms a call). A long one (a note, a paragraph) is not:
    a cache of thousands of distinct long cells would grow with the sheet.
    """
    if value.isascii() and value.isprintable():
        return value, ()
    if len(value) > _CACHED_CELL_CHARS:
        return _clean_uncached(value)
    return _clean_cached(value)


def _clean_uncached(value: str) -> tuple[str, tuple[TextWarning, ...]]:
    text, notes = clean_text(value)
    return text, tuple(notes)


_clean_cached = functools.lru_cache(maxsize=1024)(_clean_uncached)


def _header_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


# --------------------------------------------------------------------------- core

# A cell as the CSV and Excel readers see it: its value and, when the value was
# refused or converted, a (code, message) pair. Empty cell: (None, None).
_Cell = tuple[CellValue, "tuple[str, str] | None"]
_EMPTY: _Cell = (None, None)


def _column_letter(index: int) -> str:
    """0-based index → Excel column letters (A, …, Z, AA, …)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _record(number: int, cells: list[_Cell]) -> Record | None:
    """One row's cells → a :class:`Record`, or None for a row with nothing in it (a
    refused formula is something: the row is kept so the refusal is reported)."""
    values = [value for value, _ in cells]
    problems = [problem for _, problem in cells]
    if problems.count(None) == len(problems):  # the usual row: counted in C, no Python loop
        return Record(number, values) if values.count(None) != len(values) else None
    return Record(number, values, tuple(CellIssue(i, *p) for i, p in enumerate(problems) if p is not None))


def _fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_many_rows(path: Path, max_rows: int, number: int) -> SheetError:
    return SheetError(
        path,
        f"Bảng có hơn {_fmt_int(max_rows)} dòng dữ liệu, vượt giới hạn "
        f"{_fmt_int(max_rows)} dòng. Nếu đúng là cần nhiều hơn, hãy tăng giới hạn bằng "
        f"tùy chọn --max-rows hoặc biến môi trường {MAX_ROWS_ENV} "
        f"(ví dụ {MAX_ROWS_ENV}={max_rows * 2}).",
        row=number,
    )


def _build_header(path: Path, record: Record) -> list[str]:
    number, cells = record.number, record.cells
    if record.issues:
        # The first refused or converted cell, left to right: names must be typed text.
        issue = record.issues[0]
        raise SheetError(
            path,
            f"Ô tiêu đề {issue.letter}{number}: {issue.message} Tên cột phải là chữ gõ trực tiếp.",
            row=number, column=issue.letter,
        )
    width = max(i for i, value in enumerate(cells) if value is not None) + 1
    names: list[str] = []
    empty: list[str] = []
    for i, value in enumerate(cells[:width]):
        letter = _column_letter(i)
        if value is None:
            empty.append(letter)
            names.append("")
            continue
        if isinstance(value, datetime.date):
            text = value.isoformat()
        else:
            text = str(value)
        text = _header_text(text)
        if not text:
            empty.append(letter)
        names.append(text)
    if empty:
        raise SheetError(
            path,
            f"Dòng tiêu đề có cột không tên: {', '.join(empty)}. Hãy đặt tên cho mọi cột, "
            "hoặc xóa cột thừa.",
            row=number, column=empty[0],
        )
    seen: dict[str, int] = {}
    duplicates: list[tuple[str, str, str]] = []
    for i, name in enumerate(names):
        key = name.casefold()
        if key in seen:
            first = seen[key]
            duplicates.append((_column_letter(first), _column_letter(i), names[first]))
        else:
            seen[key] = i
    if duplicates:
        listed = "; ".join(f"{a} và {b} (“{name}”)" for a, b, name in duplicates)
        raise SheetError(
            path,
            f"Dòng tiêu đề có tên cột trùng nhau: {listed}. Mỗi cột cần một tên riêng.",
            row=number, column=duplicates[0][1],
        )
    return names


def _collect(
    path: Path,
    records: Iterable[Record],
    issues: list[SheetIssue],
    *,
    max_rows: int,
    header_rows: int,
    on_first: Callable[[Record], object] | None,
    sink: Callable[[Record, list[SheetIssue]], object] | None = None,
) -> SheetRecords:
    """The non-empty records, stopping at the one past the limit; shared by CSV and Excel.
    With ``sink``, the records after the first ``header_rows`` are given to it (with
    ``issues``) as they are read instead of being kept: memory stays flat."""
    limit = max_rows + header_rows
    out: list[Record] = []
    count = 0
    for record in records:
        if not count and on_first is not None:
            on_first(record)
        if count >= limit:
            raise _too_many_rows(path, max_rows, record.number)
        count += 1
        if sink is not None and count > header_rows:
            sink(record, issues)
        else:
            out.append(record)
    if not count:
        raise SheetError(path, "Bảng trống: không có dòng tiêu đề và dữ liệu.")
    return SheetRecords(path=path, records=out, warnings=issues, max_rows=max_rows)


# --------------------------------------------------------------------------- CSV

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf8(head: bytes) -> bool:
    """Mostly valid multi-byte UTF-8: the file is UTF-8, even if a few bytes are not.

    Vietnamese text in cp1258 practically never forms valid UTF-8 sequences, so
    valid non-ASCII characters outnumbering the invalid bytes is a safe sign.
    """
    text = head.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good > bad


def _bad_line(path: Path, encoding: str) -> int | None:
    """The line (as a text editor counts) holding the first byte invalid in ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as f:
        while chunk := f.read(1 << 16):
            try:
                line += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as exc:
                before = exc.object[: exc.start]
                return line + before.decode(encoding, errors="replace").count("\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line
    return None


def _bad_bytes_error(path: Path, encoding: str) -> SheetError:
    line = _bad_line(path, encoding)
    where = f" ở dòng thứ {line} của tệp" if line is not None else ""
    return SheetError(
        path,
        f"Tệp là văn bản {encoding.upper()} nhưng có byte sai bảng mã{where} (có thể do dán "
        "chữ từ nguồn khác vào). Hãy mở bằng Excel hoặc LibreOffice, sửa dòng đó rồi lưu "
        "lại dạng CSV UTF-8.",
        row=line,
    )


def _read_csv(path: Path, head: bytes, collect: Callable[..., SheetRecords]) -> SheetRecords:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            # The codec consumes the BOM. A file that is not valid in the encoding
            # its own BOM announces is damaged, not "legacy": no guessing.
            try:
                return _read_csv_as(path, head, encoding, collect, [])
            except UnicodeDecodeError:
                raise _bad_bytes_error(path, encoding) from None
    if b"\x00" in head:
        raise SheetError(
            path,
            "Tệp có byte NUL: đây không phải tệp văn bản CSV (hoặc là UTF-16 không có BOM). "
            + _SAVE_AS_HINT,
        )
    try:
        return _read_csv_as(path, head, "utf-8", collect, [])
    except UnicodeDecodeError:
        if _looks_utf8(head):
            # UTF-8 Vietnamese with a damaged byte somewhere: re-reading the whole
            # file as cp1258 would garble every accented letter. Say where instead.
            raise _bad_bytes_error(path, "utf-8") from None
    # Not UTF-8. A sheet typed with the old .VnTime (TCVN3) or VNI fonts holds those
    # fonts' codes, one byte a letter: read every cell through that table.
    legacy = _legacy_font_bytes(head)
    if legacy:
        note = SheetIssue(
            None, None, "encoding",
            f"Tệp không phải UTF-8 mà gõ bằng bảng mã cũ {text_rules.ENCODING_LABELS[legacy]}; drafter đã chuyển mọi ô sang "
            "Unicode. Hãy kiểm tra chữ có dấu (nhất là chữ hoa), và nên lưu lại dạng “CSV UTF-8”.",
        )
        return _read_csv_as(path, head, "latin-1", collect, [note], legacy=legacy)
    # Otherwise a file saved by Excel on Vietnamese Windows ("CSV (Comma delimited)")
    # is in the ANSI code page, cp1258, whose tone marks are combining characters
    # (NFC composes them). cp1252 is the fallback for the few bytes cp1258 lacks.
    for encoding, label in (("cp1258", "Windows-1258 (tiếng Việt)"), ("cp1252", "Windows-1252")):
        note = SheetIssue(
            None, None, "encoding",
            f"Tệp không phải UTF-8; đã đọc theo bảng mã {label}. Hãy kiểm tra chữ có dấu, "
            "và nên lưu lại dạng “CSV UTF-8”.",
        )
        try:
            return _read_csv_as(path, head, encoding, collect, [note])
        except UnicodeDecodeError:
            continue
    raise SheetError(path, "Không nhận ra bảng mã của tệp. Hãy lưu lại dạng CSV UTF-8.")


def _legacy_font_bytes(head: bytes) -> str | None:
    """TCVN3 or VNI when the file's bytes are an old font's letter codes, else None.

    Their codes sit in the Latin-1 range; read that way, the text is detected as
    legacy, and its conversion must make more Vietnamese words than the Windows-1258
    reading of the same bytes (so a real cp1258 file is never taken for TCVN3).
    """
    as_latin1 = head.decode("latin-1")
    encoding = text_rules.detect_legacy(as_latin1)
    if encoding is None:
        return None
    converted = text_rules.convert_legacy(as_latin1, encoding)
    native = head.decode("cp1258", errors="replace")
    return encoding if text_rules.syllable_count(converted) > text_rules.syllable_count(native) else None


def _sniff_delimiter(sample: str, complete: bool) -> str:
    """Pick ``,`` ``;`` or tab: the one that splits the header into the most
    consistent rows. A ``sep=`` first line (Excel's hint) is handled by the caller."""
    best, best_score = ",", (0.0, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        if not complete and records:
            records.pop()  # possibly cut in the middle
        records = [r for r in records if any(c.strip() for c in r)]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rest = records[1:]
        consistency = sum(len(r) == width for r in rest) / len(rest) if rest else 1.0
        score = (consistency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv_as(
    path: Path,
    head: bytes,
    encoding: str,
    collect: Callable[..., SheetRecords],
    issues: list[SheetIssue],
    legacy: str | None = None,
) -> SheetRecords:
    """Parse with one encoding (and, for an old font's file, its letter table);
    UnicodeDecodeError propagates so the caller can decide."""
    # Sniff from the first bytes already read; strict decoding happens while parsing.
    sample = head.decode(encoding, errors="replace")
    complete = len(head) < _SNIFF_BYTES
    with path.open("r", encoding=encoding, errors="strict", newline="") as f:
        skip_first = False
        first_line = sample.split("\n", 1)[0].rstrip("\r")
        if len(first_line) == 5 and first_line.lower().startswith("sep="):
            # Excel's "sep=;" hint line: Excel hides it, so rows count from the next line.
            delimiter = first_line[4]
            skip_first = True
        else:
            delimiter = _sniff_delimiter(sample, complete)
        # strict: an unclosed quote is an error, not a cell that silently swallows
        # the rest of the file.
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        if skip_first:
            next(reader, None)
        return collect(_csv_records(path, reader, legacy), issues)


def _csv_records(path: Path, reader, legacy: str | None = None) -> Iterator[Record]:
    # One CSV record is one spreadsheet row, even when a quoted field spans lines;
    # a blank line is an (empty) row too, so counting records gives Excel's numbers.
    number = 0
    while True:
        start_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                # csv gives neither the cell nor its length: the row is enough to find it.
                limit = csv.field_size_limit()
                raise SheetError(
                    path,
                    f"Một ô ở dòng {number + 1} (dòng thứ {start_line} trong tệp văn bản) vượt giới hạn "
                    f"{_fmt_int(limit)} ký tự một ô. Một ô dài như vậy thường là dữ liệu dán nhầm, hoặc "
                    "một dấu ngoặc kép (\") không đóng. Nếu đúng là cần, hãy tăng giới hạn bằng biến môi "
                    f"trường {MAX_CELL_CHARS_ENV} (ví dụ {MAX_CELL_CHARS_ENV}={limit * 2}).",
                    row=number + 1,
                ) from None
            raise SheetError(
                path,
                f"Tệp CSV sai cú pháp ở dòng {number + 1} (dòng thứ {start_line} trong tệp văn "
                f"bản): {exc}. Thường do một dấu ngoặc kép (\") không đóng hoặc thừa. "
                + _SAVE_AS_HINT,
                row=number + 1,
            ) from None
        number += 1
        values: list[CellValue] = []
        issues: list[CellIssue] | None = None
        for raw in record:
            text = raw.strip()
            if not text:
                values.append(None)
                continue
            if legacy:
                text = text_rules.convert_legacy(text, legacy)
            elif text.isascii() and text.isprintable():
                values.append(text)  # what _text_cell gives it: nothing to clean (a number, a code)
                continue
            # Deliberately no formula check: "=1+1", "+84 912…", "-5", "@x" are data here.
            value, problem = _text_cell(text)
            if problem is not None:
                issues = issues or []
                issues.append(CellIssue(len(values), *problem))
            values.append(value)
        if issues:
            yield Record(number, values, tuple(issues))
        elif values.count(None) != len(values):
            yield Record(number, values)


def _text_cell(text: str) -> _Cell:
    cleaned, notes = _clean_text(text)
    cleaned = cleaned.strip()
    if notes:
        # One issue per cell: the first warning's code, every message.
        return (cleaned or None, (notes[0].code, " ".join(n.message for n in notes)))
    return (cleaned or None, None)


# --------------------------------------------------------------------------- Excel


def _vet_package(path: Path) -> None:
    """An .xlsx is a zip like a .docx: inflate every part once through drafter's bounded
    reader (part size, total size, number of parts, names: docs/limits.md) before
    openpyxl, which has no such bounds, opens it. A zip bomb stops here, and so does
    an XML part with a DOCTYPE or entity declaration (Excel never writes one), through
    the same hardened parser as a .docx part."""
    from ..package import PackageError
    from ..package.reader import is_xml_part, open_package, parse_xml

    try:
        with open_package(path) as pkg:
            for name in pkg.names():
                if not name.endswith("/"):
                    data = pkg.read(name)
                    if is_xml_part(name):
                        _refuse_declarations(data, name, path, pkg.limits, parse_xml, PackageError)
    except PackageError as exc:
        raise SheetError(path, f"{exc.message} {_SAVE_AS_HINT}") from None


def _refuse_declarations(data: bytes, name: str, path: Path, limits, parse_xml, PackageError) -> None:
    """A DOCTYPE or entity declaration in a part refuses the sheet; other damage is left
    to openpyxl, which words it for a sheet.

    A declaration can only stand before the root element: the part is parsed (by lxml,
    no entity resolved, nothing fetched, in whatever encoding the part declares) up
    to its root's start tag, never built whole: a sheet of 50,000 rows is a tree of
    millions of elements, as large as the rest of the batch together."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
    step = 1 << 16
    for i in range(0, len(data), step):
        try:
            parser.feed(data[i:i + step])
        except etree.XMLSyntaxError:
            return
        for _, element in parser.read_events():
            info = element.getroottree().docinfo
            if info.doctype or info.internalDTD is not None:
                raise SheetError(path, f"Phần '{name}' của bảng tính chứa khai báo DOCTYPE/ENTITY, điều Excel "
                                       f"không bao giờ ghi; drafter không đọc tệp này. {_SAVE_AS_HINT}")
            return


def _read_xlsx(
    path: Path, sheet: str | None, collect: Callable[..., SheetRecords], cell_limit: int = DEFAULT_MAX_CELL_CHARS
) -> SheetRecords:
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _vet_package(path)
    with _warnings.catch_warnings():
        # openpyxl warns about workbook features it ignores (data validation,
        # conditional formatting extensions…); none of them matter for values.
        _warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
            raise SheetError(
                path, f"Không đọc được tệp Excel ({type(exc).__name__}: {exc}). {_SAVE_AS_HINT}"
            ) from None
        try:
            worksheets = workbook.worksheets
            if not worksheets:
                raise SheetError(path, "Tệp Excel không có trang tính nào.")
            ws = _pick_sheet(path, worksheets, sheet)
            # Do not trust the <dimension> recorded in the file: some programs write
            # A1:XFD1048576, which would pad every row to 16,384 cells.
            ws.reset_dimensions()
            token = _CELL_LIMIT.set(cell_limit)
            try:
                return collect(_xlsx_records(ws), [])
            except _CellTooLong as exc:
                raise _cell_too_long(path, exc.row or 0, _column_letter(exc.index), exc.length, cell_limit) from None
            except (ParseError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
                # The sheet's XML is parsed lazily, so a damaged file fails here.
                raise SheetError(
                    path,
                    f"Trang tính “{ws.title}” bị hỏng, không đọc hết được "
                    f"({type(exc).__name__}: {exc}). {_SAVE_AS_HINT}",
                ) from None
            finally:
                _CELL_LIMIT.reset(token)
        finally:
            workbook.close()


def _pick_sheet(path: Path, worksheets: list, name: str | None):
    if name is None:
        return worksheets[0]
    for ws in worksheets:
        if ws.title == name:
            return ws
    wanted = _header_text(name).casefold()
    for ws in worksheets:
        if _header_text(ws.title).casefold() == wanted:
            return ws
    names = ", ".join(f"“{ws.title}”" for ws in worksheets)
    raise SheetError(path, f"Không có trang tính “{name}”. Các trang tính có trong tệp: {names}.")


def _xlsx_records(ws) -> Iterator[Record]:
    # Missing rows come back as empty tuples, so counting keeps Excel's numbers.
    for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
        try:
            cells = [_xlsx_cell(cell) for cell in row]
        except _CellTooLong as exc:
            exc.row = number
            raise
        record = _record(number, cells)
        if record is not None:
            yield record


def _xlsx_cell(cell) -> _Cell:
    value = cell.value
    if value is None:
        return _EMPTY
    data_type = getattr(cell, "data_type", None)
    # A formula is never evaluated, never passed on, and its cached result is not
    # read (data_only=False). A text cell starting with "=" is treated the same way:
    # whoever reads the sheet cannot tell it from a formula.
    if data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return (None, ("formula", "ô chứa công thức; drafter không tính công thức nên bỏ giá trị "
                       "ô này. Hãy dán giá trị (Paste Special → Values) thay cho công thức."))
    if data_type == "e":
        return (None, ("error-value", f"ô báo lỗi {value}; giá trị bị bỏ."))
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE", None)
    if isinstance(value, int):
        return (value, None)
    if isinstance(value, float):
        # Excel stores every number as a binary double. Whole values (3.0) are the
        # integers the user typed. For the rest, Python's repr is the shortest
        # decimal string that round-trips to the same double, which is what was
        # typed for anything entered by hand (Excel keeps 15 significant digits):
        # 12.5 -> Decimal("12.5"), never Decimal(12.4999999…).
        if value.is_integer():
            return (int(value), None)
        return (Decimal(repr(value)), None)
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            return (value.date(), ("time-dropped", f"ô có cả giờ ({value:%H:%M}); chỉ lấy ngày."))
        return (value.date(), None)
    if isinstance(value, datetime.date):
        return (value, None)
    if isinstance(value, datetime.time):
        return (value.isoformat(timespec="minutes" if not value.second else "seconds"), None)
    if isinstance(value, datetime.timedelta):
        return (str(value), None)
    if isinstance(value, str):
        if len(value) > _CELL_LIMIT.get():
            # The limit CSV cells have (checked before any cleaning).
            raise _CellTooLong(getattr(cell, "column", 1) - 1, len(value))
        text = value.strip()
        if not text:
            return _EMPTY
        return _text_cell(text)
    return (_header_text(str(value)) or None, None)
