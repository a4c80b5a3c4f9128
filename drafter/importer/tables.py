"""The appendix tables of an imported Word document, as CSV sheets beside the draft.

:func:`extract` finds each appendix of a document read by
:func:`drafter.check.reader.read_docx` — a "PHỤ LỤC" / "Phụ lục I" heading, its title,
the "(Kèm theo …)" line, "Đơn vị tính: …", the table, "Bằng chữ: …" — and turns its
table into a sheet in the layout docs/tables.md §2 describes (one header row, value
columns "Nhóm - Chỉ tiêu", numbers the Vietnamese way), which
:func:`drafter.inputs.table_sheets.read_table` reads back.

Nothing is added up here: the typed sheet is read and computed by drafter's own table
code (:mod:`drafter.inputs.table_sheets`, :mod:`drafter.tables.compute`), whose
problems name every typed total that disagrees; the sheet written out carries the
figures that code derives (the typed leaf figures, the recomputed totals).

:func:`quote_figures` turns a figure of the body text that equals a table total
("8.374 triệu đồng", "năm 2018: 1.514 triệu đồng", "bằng chữ: Tám tỷ …") into the
reference a draft uses (``{{ phu_luc[0].tong.kinh_phi.voi_dvt }}``, docs/tables.md §3).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from drafter.inputs.table_sheets import row_level
from drafter.rules.numbers import format_number
from drafter.tables.model import TableError, is_money_name, norm_name, shown, to_amount

__all__ = ["TablesResult", "extract", "quote_figures"]

_HEADING = re.compile(
    r"^\s*(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:số\s+)?(?P<num>[IVXLC]+|\d+[a-zA-Z]?))?\s*(?:[:.\-–—]\s*(?P<rest>.*))?$",
)
_KEM_THEO = re.compile(r"^\s*\(?\s*(?:Ban hành\s+)?kèm\s+theo\b", re.IGNORECASE)
_UNIT = re.compile(r"^\s*\(?\s*(?:Đơn\s+vị\s+tính|ĐVT|Đơn\s+vị)\s*:\s*(?P<unit>.+?)\s*\)?\s*$", re.IGNORECASE)
_WORDS = re.compile(r"^\s*\(?\s*Bằng\s+chữ\s*:\s*(?P<words>.+?)\s*\)?\s*[.;]?\s*$", re.IGNORECASE)
_TT_NAMES = {"tt", "stt", "số tt", "số thứ tự", "thứ tự"}
_DVT_NAMES = {"đvt", "dvt", "đơn vị tính", "đơn vị", "đv tính"}
_TOTAL_NAMES = {"tổng cộng", "tổng", "cộng", "tổng số", "cộng chung", "tổng cộng chung"}
_NOTE_NAMES = {"ghi chú"}
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[A-Z])\s*\)?$")
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014/|]\s+")


@dataclass
class TablesResult:
    """What :func:`extract` found: draft entries, sheet bytes, problems, used paragraphs."""

    phu_luc: list[dict] = field(default_factory=list)
    csv_files: dict[Path, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    # The computed table of each phu_luc entry (drafter.tables.compute.ComputedTable),
    # in the same order: what quote_figures matches figures against.
    computed: list[Any] = field(default_factory=list)


# --------------------------------------------------------------------------- text helpers


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").replace("\u00a0", " ").split())


def _para_text(view, index: int) -> str:
    return _clean(view.paragraphs[index].text)


# --------------------------------------------------------------------------- finding appendices


@dataclass
class _Appendix:
    heading: int  # paragraph index
    number: str | None
    title: list[str]
    unit: str | None
    table: Any  # reader.Table
    words: str | None
    first: int
    last: int
    landscape: bool


def _table_span(table) -> tuple[int, int]:
    paras = [i for row in table.rows for c in row for i in c.paragraphs]
    return (min(paras), max(paras)) if paras else (-1, -1)


def _find(view) -> list[_Appendix]:
    paras = view.paragraphs
    headings = [p.index for p in paras if p.container == "body" and not p.in_table
                and _HEADING.match(_clean(p.text)) and _clean(p.text)]
    tables = sorted(((t, *_table_span(t)) for t in view.tables if t.nested_in is None and t.rows),
                    key=lambda x: x[1])
    out: list[_Appendix] = []
    for k, h in enumerate(headings):
        stop = headings[k + 1] if k + 1 < len(headings) else len(paras)
        table = next(((t, a, b) for t, a, b in tables if h < a < stop), None)
        if table is None:
            continue
        t, start, end = table
        m = _HEADING.match(_clean(paras[h].text))
        title: list[str] = []
        if m and m.group("rest"):
            title.append(m.group("rest").strip())
        unit = None
        for i in range(h + 1, start):
            text = _para_text(view, i)
            if not text or paras[i].in_table:
                continue
            um = _UNIT.match(text)
            if um:
                unit = um.group("unit").strip().rstrip(".")
            elif _KEM_THEO.match(text):
                pass
            elif unit is None and len(title) < 4:
                title.append(text)
        words = None
        last = end
        for i in range(end + 1, stop):
            text = _para_text(view, i)
            if paras[i].in_table:
                break
            if not text:
                continue
            wm = _WORDS.match(text)
            if wm:
                words, last = wm.group("words").strip(), i
            break
        first = h
        # The empty paragraph carrying the section break before the appendix page.
        while first > 0 and not _para_text(view, first - 1) and not paras[first - 1].in_table \
                and paras[first - 1].section != paras[h].section:
            first -= 1
        while last + 1 < stop and not _para_text(view, last + 1) and not paras[last + 1].in_table \
                and paras[last + 1].section == paras[h].section:
            last += 1
        section = view.sections[paras[h].section] if paras[h].section < len(view.sections) else None
        out.append(_Appendix(h, m.group("num") if m else None, title, unit, t, words, first, last,
                             bool(section and section.orientation == "landscape")))
    return out


# --------------------------------------------------------------------------- the table's grid


class _Skip(Exception):
    """This table cannot be read as a budget table (message in Vietnamese)."""


def _grid(table) -> list[list[tuple[str, bool]]]:
    """Rows of (text, covered) by grid column; covered: a horizontal or vertical merge."""
    width = table.ncols
    rows = []
    for row in table.rows:
        cells: list[tuple[str, bool]] = [("", True)] * width
        for c in row:
            text = _clean(c.text)
            if c.grid_col < width:
                cells[c.grid_col] = ("" if c.continues_merge else text, c.continues_merge)
            for k in range(c.grid_col + 1, min(c.grid_col + c.span, width)):
                cells[k] = (text if not c.continues_merge else "", True)
        rows.append(cells)
    return rows


def _number(text: str) -> bool:
    try:
        return to_amount(text) is not None
    except (ValueError, ArithmeticError):
        return False


@dataclass
class _Sheet:
    lead: list[str]  # TT, Nội dung[, ĐVT] names
    columns: list[tuple[str | None, str]]  # (group or None, measure)
    title: str | None  # header over all groups
    rows: list[list[str]]  # [tt, text, (dvt), values…]
    total: list[str] | None  # values of the typed total row
    total_name: str | None
    words: str | None
    measures: list[str]
    total_group: str | None


def _sheet(app: _Appendix) -> _Sheet:
    grid = _grid(app.table)
    if not grid or len(grid[0]) < 3:
        raise _Skip("bảng có ít hơn ba cột")
    names = [t for t, _ in grid[0]]
    if norm_name(names[0]) not in _TT_NAMES:
        raise _Skip("cột đầu của bảng không phải cột TT/STT")
    has_dvt = norm_name(names[2]) in _DVT_NAMES
    start = 3 if has_dvt else 2
    # Header rows: until the first row with a TT label, a text in Nội dung, or a number.
    count = 1
    while count < min(3, len(grid)):
        lead = [t for t, cov in grid[count][:start] if t and not cov]
        if lead or any(_number(t) for t, cov in grid[count][start:] if not cov):
            break
        count += 1
    header = [[t for t, _ in row] for row in grid[:count]]
    body = grid[count:]
    # A row numbering the columns, "(1) (2) (3)…" or "1 2 3…", under the header.
    if body and all(_COLUMN_NUMBER.match(t) for t, _ in body[0] if t) and \
            sum(1 for t, _ in body[0] if t) >= len(body[0]) - 1 and \
            [t for t, _ in body[0][:2]] in (["1", "2"], ["(1)", "(2)"], ["A", "B"], ["(A)", "(B)"]):
        body = body[1:]
    width = len(names)
    data_cols = [i for i in range(start, width) if any(r[i] for r in header)]
    if data_cols and norm_name(header[0][data_cols[-1]]) in _NOTE_NAMES:
        data_cols.pop()  # Ghi chú: not a figure (kept out, reported below if filled)
    if not data_cols:
        raise _Skip("bảng không có cột số liệu")
    title = None
    levels = header
    if len(header) >= 2:
        tops = {header[0][i] for i in data_cols}
        over_three = len(header) == 3 and all(header[1][i] for i in data_cols)
        # Two rows, the top one a single title over distinct column names.
        over_two = len(header) == 2 and len(data_cols) > 1 and \
            len({header[1][i] for i in data_cols}) == len(data_cols)
        if len(tops) == 1 and (over_three or over_two):
            title, levels = tops.pop(), header[1:]
    columns: list[tuple[str | None, str]] = []
    for i in data_cols:
        texts: list[str] = []
        for r in levels:
            if r[i] and (not texts or texts[-1] != r[i]):
                texts.append(r[i])
        if len(texts) >= 2:
            columns.append((" ".join(texts[:-1]), texts[-1]))
        elif texts and len(levels) == 1 and len(_SEPARATOR.split(texts[0])) >= 2:
            parts = _SEPARATOR.split(texts[0])
            columns.append((" - ".join(parts[:-1]), parts[-1]))
        else:
            columns.append((None, texts[0] if texts else ""))
    grouped = [g is not None for g, _ in columns]
    money = bool(app.unit) and _money_unit(app.unit)
    if not any(grouped):
        totals = [m for _, m in columns if norm_name(m) in _TOTAL_NAMES]
        if totals and len(columns) > 2 and not any(is_money_name(m) or norm_name(m) in
                                                   ("số lượng", "đơn giá") for _, m in columns):
            # "Năm 2018 | Năm 2019 | Tổng cộng": each column a group of one measure.
            measure = "Kinh phí" if money else "Số liệu"
            columns = [(m, measure) for _, m in columns]
    elif not all(grouped):
        measures = [m for g, m in columns if g is not None]
        fixed = []
        for g, m in columns:
            if g is None and norm_name(m) in _TOTAL_NAMES and len(set(measures)) >= 1:
                summed = [x for x in dict.fromkeys(measures) if is_money_name(x)] or list(dict.fromkeys(measures))
                fixed.append((m, summed[-1]))
            elif g is None:
                raise _Skip(f"cột “{m}” không có nhóm trong khi các cột khác có")
            else:
                fixed.append((g, m))
        columns = fixed
    total_group = next((g for g, _ in columns if g is not None and norm_name(g) in _TOTAL_NAMES), None)
    measures = list(dict.fromkeys(m for g, m in columns if g is None or norm_name(g) not in _TOTAL_NAMES))
    rows: list[list[str]] = []
    total = None
    total_name = None
    words = app.words
    for cells in body:
        # A merged cell's text counts once, in its first column ("Tổng cộng" over TT and
        # Nội dung; a section title over the whole row).
        texts = [t if not cov else "" for t, cov in cells]
        tt, text = texts[0], texts[1]
        if not tt and not text and not any(texts[i] for i in data_cols):
            continue
        wm = _WORDS.match(tt) or _WORDS.match(text)
        if wm:
            words = words or wm.group("words")
            continue
        if norm_name(tt) in _TOTAL_NAMES or (not tt and norm_name(text) in _TOTAL_NAMES):
            total = [_figure(texts[i]) for i in data_cols]
            total_name = tt if norm_name(tt) in _TOTAL_NAMES else text
            continue
        if row_level(tt) is None:
            raise _Skip(f"không nhận ra số thứ tự “{tt}”")
        rows.append([tt, text] + ([texts[2]] if has_dvt else []) + [_figure(texts[i]) for i in data_cols])
    if not rows:
        raise _Skip("bảng không có dòng số liệu")
    _english_separators(rows, len(rows[0]) - len(data_cols), total)
    return _Sheet([names[0], names[1]] + ([names[2]] if has_dvt else []), columns, title, rows, total,
                  total_name, words, measures, total_group)


_VN_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def _english_separators(rows: list[list[str]], lead: int, total: list[str] | None) -> None:
    """A table typed "1,514" / "12.5" throughout (no "1.514" anywhere) is rewritten the
    Vietnamese way in place, so that the sheet reader does not read 1,514 as 1 phẩy 514."""
    places = [(r, k) for r in rows for k in range(lead, len(r))] + [(total, k) for k in range(len(total or []))]
    figures = [row[k] for row, k in places if row[k]]
    if not any(_EN_THOUSANDS.match(v) for v in figures) or any(_VN_THOUSANDS.match(v) for v in figures):
        return
    for row, k in places:
        v = row[k]
        if v and re.fullmatch(r"-?[\d,]+(?:\.\d+)?", v):
            row[k] = v.replace(",", "").replace(".", ",")


def _money_unit(unit: str) -> bool:
    from drafter.tables.compute import money_factor

    return money_factor(unit) is not None


def _figure(text: str) -> str:
    t = text.replace(" ", "")
    return "" if t in ("-", "–", "—") else t


# --------------------------------------------------------------------------- sheets and computing


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buf.getvalue().encode("utf-8-sig")


def _typed_rows(sheet: _Sheet, *, blank_derived: bool, summed: set[str]) -> list[list[str]]:
    """The sheet as typed; ``blank_derived`` leaves out what drafter derives (the totals
    of summed measures, the total column, the Tổng cộng row) so that it computes them."""
    lead = len(sheet.lead)
    head = sheet.lead + [m if g is None else f"{g} - {m}" for g, m in sheet.columns]
    out = [head]
    levels = [row_level(r[0]) for r in sheet.rows]
    for k, row in enumerate(sheet.rows):
        row = list(row)
        if blank_derived:
            has_children = k + 1 < len(sheet.rows) and (levels[k + 1] or 0) > (levels[k] or 0)
            for j, (g, m) in enumerate(sheet.columns):
                if (g is not None and norm_name(g) in _TOTAL_NAMES) or (has_children and m in summed):
                    row[lead + j] = ""
        out.append(row)
    if sheet.total is not None and not blank_derived:
        out.append([""] + [sheet.total_name or "Tổng cộng"] + [""] * (lead - 2) + list(sheet.total))
    return out


def _summed(sheet: _Sheet) -> set[str]:
    """Measures added down the rows: those the typed Tổng cộng row (or column) gives."""
    if sheet.total is None:
        return {m for m in sheet.measures if is_money_name(m)}
    return {m for (g, m), v in zip(sheet.columns, sheet.total) if v}


def _spec(sheet: _Sheet, summed: set[str], words_measure: str | None, name: str) -> dict:
    spec: dict[str, Any] = {"tep": name}
    spec["chi_tieu"] = [{"ten": m, "cong": m in summed} for m in sheet.measures]
    if sheet.title:
        spec["tieu_de_nhom"] = sheet.title
    if sheet.total is None:
        spec["tong_cong"] = False
    elif sheet.total_name and norm_name(sheet.total_name) != norm_name("Tổng cộng"):
        spec["tong_cong"] = sheet.total_name
    if words_measure:
        spec["bang_chu"] = words_measure
    return spec


def _read(data: bytes, spec: dict, unit: str | None, folder: str):
    """The CSV bytes read and computed by drafter (TableError when they disagree)."""
    from drafter.inputs.table_sheets import load_table
    from drafter.tables.compute import compute

    path = Path(folder) / spec["tep"]
    path.write_bytes(data)
    bang = load_table(dict(spec), base_dir=folder)
    try:
        return compute(bang, unit=unit)
    except TableError as exc:  # with the sheet's line of each figure that disagrees
        raise TableError([
            replace(p, line=bang.source_line(p.path)[0]) if p.line is None and p.path else p
            for p in exc.problems
        ]) from None


def _final_rows(computed) -> list[list[str]]:
    """The computed table as a sheet (layout 1 of docs/tables.md §2)."""
    h = computed.headers
    lead = [h.tt, h.noi_dung] + ([h.dvt] if h.dvt else [])
    cols: list[tuple[str | None, Any]] = []
    head = list(lead)
    for g in computed.groups or [None]:
        for m in computed.measures:
            cols.append((g.ma if g else "", m.ma))
            head.append(f"{g.ten} - {m.ten}" if g else m.ten)
    if computed.total_column:
        for m in computed.total_measures:
            cols.append((None, m.ma))
            head.append(f"{computed.total_column} - {m.ten}")

    def cells(line) -> list[str]:
        out = []
        for g, m in cols:
            v = line.totals.get(m) if g is None else line.value(g, m)
            out.append("" if v is None else format_number(v))
        return out

    rows = [head]
    for line in computed.lines:
        rows.append([line.label, line.text] + ([line.dvt or ""] if h.dvt else []) + cells(line))
    if computed.show_total:
        total = computed.total
        rows.append(["", total.text] + ([""] if h.dvt else []) + cells(total))
    return rows


def _words_match(typed: str, computed: str | None) -> bool:
    return bool(computed) and norm_name(typed.rstrip(". ")) == norm_name(computed.rstrip(". "))


def _words_agree(typed: str, computed) -> bool:
    """The typed "Bằng chữ" reads the recomputed total, in any of the readings drafter
    knows ("linh"/"lẻ", "tư"/"bốn": ``tuy_chon`` of the draft)."""
    from drafter.tables.compute import words_for

    if _words_match(typed, computed.words):
        return True
    value = computed.grand.get(computed.words_measure or "")
    if value is None:
        return False
    measure = next((m for m in computed.measures if m.ma == computed.words_measure), None)
    unit = (measure.dvt if measure is not None and measure.dvt else None) or computed.unit
    return any(_words_match(typed, words_for(value, unit, zero_tens=z, four=f))
               for z in ("linh", "lẻ") for f in ("tư", "bốn"))


def extract(view, layout, folder: Path, stem: str, *, force: bool) -> TablesResult:
    """Each appendix table of ``view`` as a CSV sheet ``<stem>-phu-luc-N.csv`` in ``folder``.

    The sheets are returned as bytes (``csv_files``), not written: the caller writes
    them, refusing to overwrite an existing file unless ``force`` (which changes nothing
    here) is set, as it does for the draft.
    """
    result = TablesResult()
    folder = Path(folder)
    for app in _find(view):
        n = len(result.phu_luc) + 1
        name = f"{stem}-phu-luc-{n}.csv"
        label = f"Phụ lục {app.number or n}" + (f" «{' '.join(app.title)}»" if app.title else "")
        where = f"đoạn {app.heading + 1}"
        try:
            sheet = _sheet(app)
        except _Skip as exc:
            result.problems.append(
                f"{label} ({where}): không đọc được bảng thành bảng số liệu ({exc}); "
                "bảng được giữ nguyên trong nội dung, hãy nhập bảng vào tệp CSV bằng tay.")
            continue
        summed = _summed(sheet)
        with tempfile.TemporaryDirectory(prefix="drafter-import-") as tmp:
            try:
                computed, problems = _compute(sheet, summed, app, name, tmp, label)
            except TableError as exc:
                result.problems.append(
                    f"{label} ({where}): drafter không đọc được bảng: "
                    + "; ".join(_strip_file(str(p), tmp) for p in exc.problems)
                    + ". Bảng được giữ nguyên trong nội dung.")
                continue
        result.problems.extend(problems)
        words_measure = computed.words_measure
        spec = _spec(sheet, summed, words_measure, name)
        entry: dict[str, Any] = {"tieu_de": " ".join(app.title) or f"PHỤ LỤC {n}"}
        if app.unit:
            entry["don_vi_tinh"] = app.unit
        entry["bang"] = spec
        if app.landscape:
            entry["huong"] = "ngang"
        if sheet.words and computed.words and not _words_agree(sheet.words, computed):
            result.problems.append(
                f"{label}, dòng “Bằng chữ”: bảng ghi “{sheet.words}” nhưng tổng cộng lại đọc là "
                f"“{computed.words}”; bản thảo dùng số cộng lại.")
        result.csv_files[folder / name] = _csv_bytes(_final_rows(computed))
        result.phu_luc.append(entry)
        result.computed.append(computed)
        result.consumed.update(p.index for p in view.paragraphs[app.first:app.last + 1])
    return result


def _strip_file(message: str, tmp: str) -> str:
    return message.replace(str(Path(tmp)) + "/", "").replace(str(Path(tmp)), "")


def _compute(sheet: _Sheet, summed: set[str], app: _Appendix, name: str, tmp: str, label: str):
    """→ (computed table, problems): the typed sheet checked by drafter, then computed
    from its leaf figures; every typed total that disagrees becomes one problem."""
    problems: list[str] = []
    words_measure = None
    if sheet.words:
        cands = [m for m in sheet.measures if m in summed]
        words_measure = cands[0] if len(cands) == 1 else None
        if len(cands) > 1:
            words_measure = next((m for m in cands if is_money_name(m)), cands[0])
    from drafter.tables.model import slug

    spec = _spec(sheet, summed, slug(words_measure) if words_measure else None, name)
    try:
        _read(_csv_bytes(_typed_rows(sheet, blank_derived=False, summed=summed)), spec, app.unit, tmp)
    except TableError as exc:
        for p in exc.problems:
            if p.expected is not None or p.found is not None:
                at = f" ({name}:{p.line})" if p.line else ""
                problems.append(
                    f"{label}, dòng “{p.row or ''}”, cột “{p.key or p.column or ''}”{at}: bảng ghi "
                    f"{shown(p.found)} nhưng cộng lại được {shown(p.expected)}; tệp {name} ghi số "
                    "cộng lại, hãy xem lại số liệu.")
            else:
                problems.append(f"{label}: {_strip_file(str(p), tmp)}")
    computed = _read(_csv_bytes(_typed_rows(sheet, blank_derived=True, summed=summed)), spec, app.unit, tmp)
    # The sheet written out must read back to the same table.
    _read(_csv_bytes(_final_rows(computed)), spec, app.unit, tmp)
    return computed, problems


# --------------------------------------------------------------------------- quoting figures

_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/]|[.,]\d)")
_WORDS_IN_TEXT = re.compile(r"(bằng\s+chữ\s*:\s*)([^()\n{}]+?)(?=\s*[).;]|\s*$)", re.IGNORECASE)
_REF = re.compile(r"\{\{.*?\}\}")


def _candidates(result: TablesResult) -> list[tuple[Decimal, str, str, str | None, str]]:
    """(value, reference, unit, group name or None, words) of every total a text may quote."""
    out = []
    for i, computed in enumerate(result.computed):
        fig = computed.figures
        for m in computed.measures:
            if not m.cong:
                continue
            amount = _figure_of(fig.tong, m.ma)
            if amount is not None:
                out.append((amount.so, f"phu_luc[{i}].tong.{m.ma}", _unit_of(computed, m), None, amount.chu))
            for g in computed.groups:
                ga = fig.tong.nhom[g.ma]
                a = _figure_of(ga, m.ma)
                if a is not None:
                    out.append((a.so, f"phu_luc[{i}].tong.nhom.{g.ma}.{m.ma}", _unit_of(computed, m), g.ten, a.chu))
    return out


def _figure_of(figures, ma: str):
    """A measure's amount in a row's figures (compute's views have no ``get``)."""
    if ma in figures:  # compute's views have no .get
        return figures[ma]
    return None


def _unit_of(computed, measure) -> str:
    return measure.dvt or computed.unit or ""


def quote_figures(text: str, result: TablesResult) -> str:
    """Figures of ``text`` equal to a table total → the draft's references to it.

    A number followed by the table's unit ("8.374 triệu đồng") equal to the grand total
    of a summed measure, or to one group's total (the group named just before it wins:
    "năm 2018: 1.514 triệu đồng"), becomes ``{{ phu_luc[i].tong….voi_dvt }}``; the
    words after "bằng chữ:" equal to a total read in words become ``….chu``. A bare
    number without the unit is left as typed (too many figures of a text are not totals).
    """
    cands = _candidates(result)
    if not cands or not text:
        return text
    pieces = _REF.split(text)
    refs = _REF.findall(text)
    out = []
    for k, piece in enumerate(pieces):
        out.append(_quote_piece(piece, cands))
        if k < len(refs):
            out.append(refs[k])
    return "".join(out)


def _quote_piece(text: str, cands) -> str:
    def number(m: re.Match) -> str:
        try:
            value = to_amount(m.group(1))
        except (ValueError, ArithmeticError):
            return m.group(0)
        rest = text[m.end():]
        matches = []
        for v, ref, unit, group, _ in cands:
            if v != value or not unit:
                continue
            um = re.match(r"\s+" + r"\s+".join(re.escape(w) for w in unit.split()) + r"(?!\w)", rest,
                          re.IGNORECASE)
            if um:
                matches.append((ref, group, um.end()))
        if not matches:
            return m.group(0)
        before = norm_name(text[max(0, m.start() - 80):m.start()])
        named = [x for x in matches if x[1] and norm_name(x[1]) in before]
        if named:  # the group named last before the figure
            ref, _, length = max(named, key=lambda x: before.rfind(norm_name(x[1])))
        else:
            ref, _, length = next((x for x in matches if x[1] is None), matches[0])
        spans.append((m.start(), m.end() + length, f"{{{{ {ref}.voi_dvt }}}}"))
        return m.group(0)

    spans: list[tuple[int, int, str]] = []
    for m in _WORDS_IN_TEXT.finditer(text):
        words = m.group(2)
        hit = next((ref for _, ref, _, _, chu in cands if _words_match(words, chu)), None)
        if hit:
            spans.append((m.start(2), m.end(2), f"{{{{ {hit}.chu }}}}"))
    taken = list(spans)
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b, _ in taken):
            continue
        number(m)
    spans.sort()
    out, pos = [], 0
    for a, b, rep in spans:
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(rep)
        pos = b
    out.append(text[pos:])
    return "".join(out)
