"""The same budget table from a CSV or Excel sheet, as offices keep them.

``bang: kinh-phi.xlsx`` (path relative to the draft), or
``bang: {tep: kinh-phi.xlsx, trang: Sheet1, chi_tieu: [...], bang_chu: kinh_phi}``.

Layouts read (docs/tables.md shows both):

1. **One header row**: ``TT | Nội dung | ĐVT | Năm 2018 - Số lượng | Năm 2018 - Kinh phí |
   … | Tổng cộng - Kinh phí``. The group and the measure are joined by `` - `` (or
   `` – ``, `` / ``). Without groups: ``TT | Nội dung | ĐVT | Số lượng | Kinh phí``.
2. **Two or three header rows with merged cells**: ``Năm 2018`` merged over its
   measures, ``Số lượng`` / ``Kinh phí`` under it; TT, Nội dung, ĐVT merged down. A
   third row on top, one title over all groups ("Dự kiến kết quả đạt được"), becomes
   ``tieu_de_nhom``.

Rows: the TT column says the level — ``I, II…`` a section, ``1, 2…`` an item, ``a, b…`` a
sub-item (an empty TT is an item). Numbers are re-derived, not copied. A row whose
Nội dung is ``Tổng cộng`` is the total row; its figures, the total columns and the
figures of sections are *checked* against the sums, never kept. A "Bằng chữ" line is
skipped (derived). Excel formulas are never evaluated: a formula where drafter
derives the figure anyway is ignored (with a note); a formula in a figure that only
the sheet knows is an error asking to paste the value.

The sheet is read by :func:`drafter.inputs.sheets.read_records` (imported lazily), the
reader of ``drafter batch`` data too: the same encodings, old fonts, cell types, limits and
refused formulas. This module only interprets its rows, header rows included, into the
typed table of :mod:`drafter.tables.model`; it runs while a draft is loaded
(:mod:`drafter.inputs.appendix_sheets`), so nothing after loading opens a sheet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drafter.rules.numbering import VIETNAMESE_LETTERS

from ..tables.model import (
    Bang,
    BangTep,
    TableError,
    TableProblem,
    norm_name,
    parse_table,
    problems_from_validation,
    slug,
)

__all__ = ["SHEET_SUFFIXES", "load_table", "read_table"]

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")

_TT_NAMES = {"tt", "stt", "số tt", "số thứ tự", "thứ tự"}
_DVT_NAMES = {"đvt", "dvt", "đơn vị tính", "đơn vị", "đv tính"}
_TOTAL_NAMES = {"tổng cộng", "tổng", "cộng", "tổng số", "cộng chung", "tổng cộng chung"}
_NOTE_NAMES = {"ghi chú"}
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014/|]\s+")
_ROMAN = re.compile(r"[IVXLCDM]+")
_MAX_HEADER_ROWS = 3


# --------------------------------------------------------------------------- entry points


def load_table(value: Any, *, base_dir: str | Path | None = None, max_rows: int | None = None) -> Bang:
    """The table of ``phu_luc[i].bang``: inline mapping, a file name, or ``{tep: …}``.

    Raises TableError (problems carry ``path`` inside ``bang`` for inline input,
    ``file``/``line`` for a sheet).
    """
    if isinstance(value, str):
        spec = _spec({"tep": value})
    elif isinstance(value, Mapping) and "tep" in value:
        spec = _spec(value)
    else:
        return parse_table(value)
    path = Path(spec.tep)
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return read_table(path, spec=spec, max_rows=max_rows)


def _spec(value: Mapping) -> BangTep:
    name = str(value.get("tep", ""))
    if not name.lower().endswith(SHEET_SUFFIXES):
        raise TableError(TableProblem(
            f"Tệp bảng '{name}' phải là bảng tính .xlsx hoặc .csv; hoặc viết bảng trực tiếp "
            "với các khóa nhom, chi_tieu, dong.",
            path=("tep",) if "tep" in value and not isinstance(value, str) else (),
        ))
    try:
        return BangTep.model_validate(dict(value))
    except ValidationError as exc:
        raise TableError(problems_from_validation(exc, model=BangTep)) from None


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    spec: BangTep | None = None,
    max_rows: int | None = None,
) -> Bang:
    """Read a budget table from a CSV/XLSX file (layouts in the module docstring)."""
    from .sheets import SheetError, default_max_rows, read_records

    path = Path(path)
    spec = spec or BangTep(tep=str(path))
    sheet = sheet or spec.trang
    file = str(path)
    try:
        limit = max_rows or default_max_rows()  # DRAFTER_MAX_ROWS, as for drafter batch
    except ValueError as exc:
        raise TableError(TableProblem(str(exc), file=file)) from None
    try:
        data = read_records(path, sheet=sheet, max_rows=limit, header_rows=_MAX_HEADER_ROWS)
    except SheetError as exc:
        raise _table_error(exc, file) from None
    notes = [str(issue) for issue in data.warnings]
    formulas: set[tuple[int, int]] = set()  # (row, column index) of formula cells
    header = data.records[0].cells
    for record in data.records:
        for issue in record.issues:
            if issue.code in ("formula", "error-value"):
                formulas.add((record.number, issue.index))
            else:
                notes.append(str(record.sheet_issue(issue, _header_name(header, issue.index))))

    def check_rows(header_rows: int) -> None:
        # The row limit counts data rows: known once the interpreter has found the header.
        try:
            data.check_data_rows(header_rows)
        except SheetError as exc:
            raise _table_error(exc, file) from None

    records = [(r.number, r.cells) for r in data.records]
    return _Interpreter(file, spec, records, notes, formulas, check_rows=check_rows).run()


def _table_error(exc: Any, file: str) -> TableError:
    return TableError(TableProblem(exc.message, file=file, line=exc.row))


def _header_name(cells: list[Any], index: int) -> str | None:
    """The first row's text over a column, to name the cell in a note (as drafter batch does)."""
    value = cells[index] if index < len(cells) else None
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).strip() or None


# --------------------------------------------------------------------------- interpretation


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def row_level(tt: str) -> int | None:
    """A row's level from its TT cell: 0 a mục (I, II…), 1 a dòng (1, 2… or none), 2 a
    dòng con (a, b…), None for what no level reads."""
    t = tt.strip().rstrip(".)").strip()
    if not t:
        return 1
    if _ROMAN.fullmatch(t):
        return 0
    if t.isdigit():
        return 1
    if t in VIETNAMESE_LETTERS:
        return 2
    return None


class _Interpreter:
    """Sheet records → the mapping an inline table would be → :class:`Bang`."""

    def __init__(self, file: str, spec: BangTep, records: list[tuple[int, list[Any]]],
                 notes: list[str], formulas: set[tuple[int, int]],
                 check_rows: Callable[[int], None] | None = None):
        self.file = file
        self.check_rows = check_rows  # called with the number of header rows, once known
        self.spec = spec
        self.records = [(n, list(c)) for n, c in records if any(x is not None and x != "" for x in c)
                        or any(r == n for r, _ in formulas)]
        self.notes = notes
        self.formulas = formulas
        self.problems: list[TableProblem] = []
        self.lines: dict[tuple, int] = {}
        self.columns: dict[tuple, str] = {}

    def fail(self, message: str, line: int | None = None, column: str | None = None) -> None:
        self.problems.append(TableProblem(message, file=self.file, line=line, column=column))

    def stop(self) -> None:
        if self.problems:
            raise TableError(self.problems)

    # ---- header

    def header(self) -> tuple[int, int | None, list[int], list[tuple[str | None, str]], str | None, int]:
        """→ (number of header rows, dvt column, data columns, [(group, measure)], group title,
        note column or -1)."""
        if not self.records:
            raise TableError(TableProblem("Bảng trống.", file=self.file))
        line, first = self.records[0]
        names = [_text(c) for c in first]
        if not names or norm_name(names[0]) not in _TT_NAMES:
            raise TableError(TableProblem(
                "Cột đầu tiên của bảng phải là cột số thứ tự (TT hoặc STT), cột thứ hai là Nội dung.",
                file=self.file, line=line,
            ))
        dvt_col = 2 if len(names) > 2 and norm_name(names[2]) in _DVT_NAMES else None
        start = 3 if dvt_col is not None else 2
        # Header rows: the rows before the first one holding a TT label or a number.
        count = 1
        while count < min(_MAX_HEADER_ROWS, len(self.records)):
            _, cells = self.records[count]
            lead = [c for c in cells[:start] if c is not None and _text(c)]
            numbers = [c for c in cells[start:] if isinstance(c, (int, Decimal))]
            if lead or numbers:
                break
            count += 1
        width = max(len(c) for _, c in self.records[:count])
        rows = [[_text(c) for c in cells] + [""] * (width - len(cells)) for _, cells in self.records[:count]]
        data_cols = [i for i in range(start, width) if any(r[i] for r in rows)]
        # The sheet's own names of the leading columns.
        self.lead_names = names[:start]
        note_col = -1
        if data_cols and norm_name(rows[0][data_cols[-1]]) in _NOTE_NAMES:
            note_col = data_cols.pop()
        title: str | None = None
        if count == 3:
            title_row = rows[0]
            titles = {title_row[i] for i in data_cols if title_row[i]}
            if len(titles) == 1:
                title = titles.pop()
            rows = rows[1:]
        pairs: list[tuple[str | None, str]] = []
        if len(rows) == 1:
            split = [_SEPARATOR.split(rows[0][i]) for i in data_cols]
            grouped = [len(s) >= 2 for s in split]
            if any(grouped) and not all(grouped):
                bad = [rows[0][i] for i, g in zip(data_cols, grouped) if not g]
                self.fail(
                    f"Cột “{bad[0]}” không ghi nhóm: khi bảng có nhóm cột, mỗi cột số liệu ghi "
                    "“Nhóm - Chỉ tiêu”, ví dụ “Năm 2018 - Kinh phí”.",
                    line, bad[0],
                )
            for s, g in zip(split, grouped):
                if g:
                    pairs.append((" - ".join(s[:-1]), s[-1]))
                else:
                    pairs.append((None, s[0]))
        else:
            group = ""
            for i in data_cols:
                if rows[0][i]:
                    group = rows[0][i]
                measure = rows[1][i]
                if not group or not measure:
                    self.fail(
                        "Hai dòng tiêu đề: dòng trên ghi nhóm cột (gộp ô trên các chỉ tiêu của "
                        "nhóm), dòng dưới ghi chỉ tiêu; có cột thiếu tên.",
                        self.records[count - 1][0],
                    )
                    break
                pairs.append((group, measure))
        return count, dvt_col, data_cols, pairs, title, note_col

    # ---- rows

    def run(self) -> Bang:
        count, dvt_col, data_cols, pairs, title, note_col = self.header()
        if self.check_rows is not None:
            self.check_rows(count)
        self.stop()
        spec = self.spec
        given = spec.model_fields_set
        total_names = set(_TOTAL_NAMES)
        if spec.tong_cot:
            total_names.add(norm_name(spec.tong_cot))
        grouped = bool(pairs) and pairs[0][0] is not None
        groups: list[str] = []
        measures: list[str] = []
        total_group: str | None = None
        for g, m in pairs:
            if g is not None and norm_name(g) in total_names:
                total_group = total_group or g
                continue
            if g is not None and norm_name(g) not in [norm_name(x) for x in groups]:
                groups.append(g)
            if norm_name(m) not in [norm_name(x) for x in measures]:
                measures.append(m)
        header_line = self.records[count - 1][0]
        if not pairs:
            self.fail("Bảng không có cột số liệu nào sau các cột TT, Nội dung, ĐVT.", header_line)
        if grouped:
            for g in groups:
                have = [norm_name(m) for gg, m in pairs if gg == g]
                if have != [norm_name(m) for m in measures]:
                    self.fail(
                        f"Nhóm cột “{g}” phải có đủ các chỉ tiêu theo cùng thứ tự: {', '.join(measures)}.",
                        header_line, g,
                    )
        self.stop()

        # Measures: names from the sheet, options from the draft (matched by name or ma).
        chi_tieu = [{"ten": m} for m in measures]
        for item in spec.chi_tieu or []:
            # "Kinh phí" in the draft names the sheet's "Kinh phí (triệu đồng)" too.
            target = next((c for c in chi_tieu if norm_name(c["ten"]) == norm_name(item.ten)
                           or slug(c["ten"]) == item.ma), None) or next(
                (c for c in chi_tieu if norm_name(c["ten"]).startswith(norm_name(item.ten) + " ")), None)
            if target is None:
                self.fail(
                    f"chi_tieu: bảng tính không có chỉ tiêu “{item.ten}”. Các chỉ tiêu trong bảng: "
                    f"{', '.join(measures)}."
                )
                continue
            target.update(item.model_dump(include=item.model_fields_set | {"ma", "cong"}))
            target["ten"] = next(m for m in measures if norm_name(m) == norm_name(target["ten"]))
        self.stop()

        table: dict[str, Any] = {
            "nhom": groups,
            "chi_tieu": chi_tieu,
            "tong_cong": spec.tong_cong,
            "bang_chu": spec.bang_chu,
        }
        cot_dau = {"tt": self.lead_names[0] or "TT", "noi_dung": self.lead_names[1] or "Nội dung",
                   "dvt": self.lead_names[2] if dvt_col is not None else False}
        if "cot_dau" in given:
            cot_dau = spec.cot_dau.model_dump()
            cot_dau["dvt"] = cot_dau["dvt"] or False
        table["cot_dau"] = cot_dau
        if "tieu_de_nhom" in given or title:
            table["tieu_de_nhom"] = spec.tieu_de_nhom if "tieu_de_nhom" in given else title
        table["tong_cot"] = total_group or (spec.tong_cot if grouped else None)

        rows: list[dict] = []
        current_section: dict | None = None
        current_item: dict | None = None
        item_path: tuple = ()
        totals_seen = False
        leaf_formula: list[tuple[int, int, tuple]] = []
        for number, cells in self.records[count:]:
            cells = cells + [None] * (max(data_cols + [2]) + 1 - len(cells))
            tt = _text(cells[0])
            text = _text(cells[1])
            dvt = _text(cells[dvt_col]) if dvt_col is not None else ""
            values = {i: cells[i] for i in data_cols}
            if note_col >= 0 and cells[note_col] is not None:
                self.notes.append(f"dòng {number}: cột Ghi chú chưa được đưa vào phụ lục; nội dung bị bỏ qua.")
            if norm_name(text).startswith("bằng chữ") or norm_name(tt).startswith("bằng chữ"):
                continue  # the words are derived
            is_total = (not tt and norm_name(text) in _TOTAL_NAMES | {norm_name(spec.tong_cong or "")}) or (
                norm_name(tt) in _TOTAL_NAMES
            )
            if is_total:
                table["tong"] = self.figures(values, data_cols, pairs)
                self.lines[("tong",)] = number
                totals_seen = True
                continue
            if totals_seen:
                self.fail("Có dòng số liệu sau dòng Tổng cộng; dòng Tổng cộng phải là dòng cuối.", number)
                continue
            if not tt and not text and all(v is None for v in values.values()):
                continue
            level = row_level(tt)
            if level is None:
                self.fail(
                    f"Không nhận ra số thứ tự “{tt}”: dùng I, II… cho mục, 1, 2… cho dòng, a, b… "
                    "cho dòng con.",
                    number, self.lead_names[0],
                )
                continue
            if not text:
                self.fail("Dòng thiếu nội dung.", number, self.lead_names[1])
                continue
            row: dict[str, Any] = {"muc" if level == 0 else "noi_dung": text}
            if dvt:
                row["dvt"] = dvt
            figures = self.figures(values, data_cols, pairs)
            if figures:
                row["so_lieu"] = figures
            if level == 0:
                rows.append(row)
                current_section, current_item = row, None
                path = ("dong", len(rows) - 1)
            elif level == 1:
                if current_section is not None:
                    parent = current_section.setdefault("dong", [])
                    base: tuple = ("dong", len(rows) - 1)  # the section is the last top row
                else:
                    parent, base = rows, ()
                parent.append(row)
                path = base + ("dong", len(parent) - 1)
                current_item, item_path = row, path
            else:
                if current_item is None:
                    self.fail(f"Dòng con “{tt}” phải đứng sau một dòng 1, 2…", number, self.lead_names[0])
                    continue
                current_item.setdefault("dong", []).append(row)
                path = item_path + ("dong", len(current_item["dong"]) - 1)
            self.lines[path] = number
            for (line, col) in self.formulas:
                if line == number and col in values:
                    leaf_formula.append((number, col, path))
        self.stop()
        if not rows:
            raise TableError(TableProblem("Bảng không có dòng số liệu nào.", file=self.file))
        table["dong"] = rows
        self.check_formulas(leaf_formula, rows, pairs, data_cols)
        self.stop()
        try:
            bang = Bang.model_validate(table)
        except ValidationError as exc:
            problems = []
            for p in problems_from_validation(exc):
                # The key path means nothing to someone looking at a sheet: the line does.
                message = re.sub(r"^[\w\[\].]+: ", "", p.message)
                problems.append(TableProblem(message, path=p.path, file=self.file, line=self.line_of(p.path)))
            raise TableError(problems) from None
        bang._source_file = self.file
        bang._source_lines = dict(self.lines)
        bang._warnings = list(self.notes)
        return bang

    def line_of(self, path: tuple) -> int | None:
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None

    def figures(self, values: dict[int, Any], data_cols: list[int], pairs: list) -> dict:
        """Cells of one row → ``so_lieu`` ({group: {measure: value}} or {measure: value})."""
        out: dict[str, Any] = {}
        for i, (g, m) in zip(data_cols, pairs):
            v = values.get(i)
            if v is None:
                continue
            if g is None:
                out[m] = v
            else:
                out.setdefault(g, {})[m] = v
        return out

    def check_formulas(self, cells: list[tuple[int, int, tuple]], rows: list[dict], pairs: list,
                       data_cols: list[int]) -> None:
        """A formula where drafter derives the figure is harmless; elsewhere it hides a figure."""
        total_names = set(_TOTAL_NAMES)
        for number, col, path in cells:
            node: Any = {"dong": rows}
            for k in path:
                node = node[k]
            g, m = pairs[data_cols.index(col)]
            derived = bool(node.get("dong")) or (g is not None and norm_name(g) in total_names)
            name = f"{g} - {m}" if g else m
            if derived:
                self.notes.append(
                    f"dòng {number}, cột “{name}”: ô công thức được bỏ qua; drafter tự cộng số này."
                )
            else:
                self.fail(
                    f"Ô ở cột “{name}” chứa công thức; drafter không tính công thức. Hãy dán giá trị "
                    "(Paste Special → Values) thay cho công thức.",
                    number, name,
                )
