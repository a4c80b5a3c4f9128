"""One table saved every way an office saves it: CSV in each encoding and delimiter
drafter reads, and .xlsx. Shared by tests/test_sheets.py and tests/test_tables.py."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from pathlib import Path

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# name → bytes of the CSV text
ENCODINGS = ("utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1258", "tcvn3")
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def to_cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: cp1258 has the base letters (â, ơ, ư, đ…)
    but only combining tone marks, so tones follow their letter."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-8-bom":
        return text.encode("utf-8-sig")
    if encoding == "utf-16-le-bom":  # Excel's "Unicode Text"
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if encoding == "cp1258":  # Excel's "CSV (Comma delimited)" on Vietnamese Windows
        return to_cp1258(text)
    if encoding == "tcvn3":  # typed with the .VnTime font: the font's letter codes
        from drafter.rules.text import TCVN3, _encode_legacy

        return _encode_legacy(text, TCVN3).encode("latin-1")
    raise ValueError(encoding)


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    path.write_bytes(encode(csv_text(rows, delimiter), encoding))
    return path


def write_xlsx(path: Path, rows: list[list], merges: list[str] = (), title: str | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def variants() -> list[tuple[str, str | None, str | None]]:
    """(id, encoding, delimiter) of every CSV way, then ("xlsx", None, None)."""
    out = [(f"{enc}-{name}", enc, d) for enc in ENCODINGS for name, d in DELIMITERS.items()]
    return out + [("xlsx", None, None)]


def save(folder: Path, rows: list[list], encoding: str | None, delimiter: str | None,
         merges: list[str] = ()) -> Path:
    """``rows`` as a CSV in ``encoding`` with ``delimiter``, or (encoding None) as .xlsx."""
    if encoding is None:
        return write_xlsx(folder / "bang.xlsx", rows, merges)
    return write_csv(folder / "bang.csv", rows, encoding, delimiter)
