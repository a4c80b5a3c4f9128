"""Layout of a computed table as an abstract grid: cells, spans, emphasis, widths.

Nothing here knows XML: :mod:`drafter.render.table_xml` turns a :class:`Grid` into
WordprocessingML. Spans follow HTML's rules: a cell with ``colspan``/``rowspan``
covers the positions to its right/below, and covered positions are simply absent
from the rows that follow.

Layout decisions (docs/the-thuc.md#phu-luc, and practice):

* header: TT, Nội dung, ĐVT span all header rows; each group spans its measures; the
  total column group ("Tổng cộng") spans the measures summed across groups; an
  optional title row over all groups (``tieu_de_nhom``); all bold, centred; the
  header rows repeat on every page;
* section rows bold, numbered I, II…; item rows 1, 2…; sub-item rows a, b…;
* the Tổng cộng row bold, its label over the TT and Nội dung columns;
* figures right-aligned, ``8.374`` / ``1.234,5``; a zero or absent figure is a blank
  cell, as in the seed tables (the figure is still 0 for the body text);
* widths: TT, ĐVT and figure columns as wide as their widest content (words may wrap
  at spaces), Nội dung takes the rest; landscape when the table has more than
  ``MAX_PORTRAIT_COLUMNS`` columns or does not fit the portrait text width.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from decimal import Decimal
from typing import Any, NamedTuple

from drafter.rules.layout import CELL_MARGIN, TEXT_W, TEXT_W_LANDSCAPE
from drafter.rules import geometry
from drafter.rules.textwidth import width_twips

from .compute import ComputedTable, Line, formatted, made_when_read

__all__ = [
    "Cell",
    "Column",
    "Grid",
    "GridRow",
    "MAX_PORTRAIT_COLUMNS",
    "TABLE_FONT_PT",
    "build_grid",
    "figure_text",
]

TABLE_FONT_PT = geometry.TABLE.pt
MAX_PORTRAIT_COLUMNS = 8
CONTENT_MIN = 2835  # Nội dung keeps at least 5 cm, or it becomes a column of single words
CONTENT_SHARE = 0.4  # Nội dung first grows to this share of the width
CONTENT_MAX_SHARE = 0.5  # beyond half the width, give the surplus to the figure columns
_SLACK = 40  # rounding of the width estimate; Word and LibreOffice differ by a few twips


# Named tuples, not frozen dataclasses: a table makes one per cell, and a batch makes
# tables by the thousand (a frozen dataclass's __init__ costs several times more).
class Cell(NamedTuple):
    text: str = ""
    align: str = "left"  # "left" | "center" | "right"
    bold: bool = False
    italic: bool = False
    colspan: int = 1
    rowspan: int = 1


class GridRow(NamedTuple):
    cells: tuple[Cell, ...]
    kind: str  # "header" | "muc" | "dong" | "tong"
    header: bool = False  # repeated at the top of every page
    keep_next: bool = False  # stay on the page of the next row (the Tổng cộng row is never alone)


@dataclass(frozen=True)
class Column:
    kind: str  # "tt" | "noi_dung" | "dvt" | "so"
    min_width: int  # twips, cell margins included
    pref_width: int


@dataclass
class Grid:
    rows: list[GridRow]
    columns: list[Column]
    header_rows: int
    size_pt: float = TABLE_FONT_PT
    bang_chu: str | None = None  # "Bằng chữ: … đồng." under the table, when asked
    # The table's compiled structure (tables/plan) when the grid was filled from it:
    # render/table_xml then fills only the figure cells of fragments made once.
    plan: Any = field(repr=False, compare=False, default=None)

    def __getattr__(self, name: str) -> Any:
        # A grid filled from a plan (tables/plan) makes its rows when first read:
        # render/table_xml fills the plan's fragments from the figure texts alone.
        return made_when_read(self, name, "rows", "_make_rows")

    @property
    def ncols(self) -> int:
        return len(self.columns)

    @property
    def min_width(self) -> int:
        """Estimated width below which the figures or headers no longer fit."""
        return sum(c.min_width if c.kind == "noi_dung" else c.pref_width for c in self.columns)

    @property
    def needs_landscape(self) -> bool:
        key = self.__dict__.get("widths_key")  # a grid filled from a plan: its columns follow from the key
        if key is not None:
            memo = self.plan.layout.landscape
            found = memo.get(key)
            if found is None:
                if len(memo) >= 64:
                    memo.clear()
                found = memo[key] = self.ncols > MAX_PORTRAIT_COLUMNS or self.min_width > TEXT_W
            return found
        return self.ncols > MAX_PORTRAIT_COLUMNS or self.min_width > TEXT_W

    @property
    def width(self) -> int:
        """The text width of the page the table goes on."""
        return TEXT_W_LANDSCAPE if self.needs_landscape else TEXT_W

    def column_widths(self, width_twips: int | None = None) -> list[int]:
        """Column widths in twips, summing exactly to ``width_twips`` (default: ``width``).

        Every column first gets its minimum; Nội dung gets the rest up to
        ``CONTENT_SHARE`` of the width; what is left lets the other columns grow to
        their preferred width (a unit or a header on one line); what is still left
        goes to Nội dung, and beyond ``CONTENT_MAX_SHARE`` to the figure columns.
        """
        total = self.width if width_twips is None else int(width_twips)
        key = getattr(self, "widths_key", None)  # a grid filled from a plan (tables/plan)
        if key is not None:
            memo = self.plan.layout.widths
            found = memo.get((key, total))
            if found is None:
                found = memo[(key, total)] = tuple(self._column_widths(total))
                if len(memo) > 64:
                    memo.clear()
                    memo[(key, total)] = found
            return list(found)
        return self._column_widths(total)

    def _column_widths(self, total: int) -> list[int]:
        content = next(i for i, c in enumerate(self.columns) if c.kind == "noi_dung")
        others = [i for i in range(self.ncols) if i != content]
        content_min = self.columns[content].min_width
        widths = [float(c.min_width) for c in self.columns]
        low = sum(widths[i] for i in others)
        room = total - low  # for Nội dung and for growth of the others
        if room < content_min:
            # Does not fit: Nội dung keeps its minimum if it can, the others shrink alike.
            if total - content_min >= low / 2:
                scale = (total - content_min) / low
                widths = [w * scale for w in widths]
                widths[content] = content_min
            else:
                scale = total / (low + content_min)
                widths = [w * scale for w in widths]
                widths[content] = content_min * scale
        else:
            target = max(content_min, total * CONTENT_SHARE)
            spare = max(0.0, room - target)
            growth = [self.columns[i].pref_width - self.columns[i].min_width for i in others]
            wanted = sum(growth)
            if wanted > 0 and spare > 0:
                share = min(1.0, spare / wanted)
                for i, g in zip(others, growth):
                    widths[i] += g * share
            widths[content] = total - sum(widths[i] for i in others)
            cap = max(content_min, total * CONTENT_MAX_SHARE)
            figures = [i for i in others if self.columns[i].kind == "so"]
            if widths[content] > cap and figures:
                surplus = widths[content] - cap
                widths[content] = cap
                for i in figures:
                    widths[i] += surplus / len(figures)
        out = [max(1, int(w)) for w in widths]
        out[content] += total - sum(out)  # the rounding remainder goes to the widest column
        return out


def figure_text(value: Decimal | None) -> str:
    """A figure as printed in a cell: blank for zero or absent."""
    if value is None or value == 0:
        return ""
    return _figure_text(str(value))


# Keyed by the Decimal's own text, not the Decimal: 5 == 5.0, but 5.0 prints "5,0"; the
# cache the quoted figures share (tables/compute.Amount).
_figure_text = formatted


@lru_cache(maxsize=2048)  # a batch lays out the same item texts in every document
def _widest_word(text: str, size: float, bold: bool) -> int:
    return max((width_twips(w, size, bold=bold) for w in text.split()), default=0)


def _longest_word(texts, size: float, bold: bool) -> int:
    return max((_widest_word(t, size, bold) for t in texts), default=0)


@lru_cache(maxsize=2048)  # labels, units and figures recur across a batch's tables
def _line_width(text: str, size: float, bold: bool) -> int:
    return width_twips(text, size, bold=bold)


def _longest_line(texts, size: float, bold: bool) -> int:
    return max((_line_width(t, size, bold) for t in texts), default=0)


def build_grid(table: ComputedTable, *, size_pt: float = TABLE_FONT_PT) -> Grid:
    """Lay ``table`` out: header rows, one row per line, the Tổng cộng row, widths."""
    plan = table.plan
    if plan is not None and plan.layout is not False:
        if plan.layout is None:
            plan.layout = _Layout.make(table, size_pt)
        layout = plan.layout
        if layout is not False and layout.size_pt == size_pt:
            return layout.grid(table)
    # A table shared by a batch's rows (read from a sheet: tables/plan.computed keeps it
    # by identity) is laid out once; kept with its table, so its id stays its own.
    found = _SHARED.get(id(table))
    if found is not None and found[0] is table and found[1] == size_pt:
        return found[2]
    grid = _build_grid(table, size_pt)
    if len(_SHARED) >= 64:
        _SHARED.clear()
    _SHARED[id(table)] = (table, size_pt, grid)
    return grid


_SHARED: dict[int, tuple] = {}


_BLANK = ("", 0)  # a blank figure's cell text and width
_TEXT, _WIDTH = itemgetter(0), itemgetter(1)


class _Layout:
    """What a table's grid keeps from one row of a batch to the next (the same plan:
    the same rows, labels, units and headers): the header rows, each row's leading
    cells, the fixed columns and the figure columns' header widths."""

    __slots__ = ("size_pt", "header", "leads", "total_lead", "fixed", "figure_columns", "plan", "widths", "rows",
                 "printed", "columns", "landscape")

    @classmethod
    def make(cls, table: ComputedTable, size_pt: float) -> "_Layout | bool":
        grid = _build_grid(table, size_pt)
        self = cls()
        self.size_pt = size_pt
        self.plan = table.plan
        self.widths: dict = {}  # (figure columns' widths, page width) → column widths
        self.rows: dict = {}  # (row index, figure text) → GridRow (immutable, shared; bounded)
        self.printed: dict = {}  # a figure's own text → (its cell's text, that text's width); bounded
        self.columns: dict = {}  # (low, want) → Column (immutable, shared; bounded)
        self.landscape: dict = {}  # widths key → the grid's needs_landscape (bounded)
        hr = grid.header_rows
        self.header = tuple(grid.rows[:hr])
        nlead = 3 if table.headers.dvt is not None else 2
        body = grid.rows[hr:]
        self.leads = tuple((row.cells[:nlead], row.kind, row.cells[0].bold) for row in body[:len(table.lines)])
        self.total_lead = body[len(table.lines)].cells[:nlead - 1] if table.show_total else None
        self.fixed = tuple(grid.columns[:nlead])
        pad = 2 * CELL_MARGIN + _SLACK
        self.figure_columns = tuple(
            (g, m.ma, _longest_word([m.ten], size_pt, True), _longest_line([m.ten], size_pt, True) + pad)
            for g, m in [(g, m) for g in table.group_keys for m in table.measures]
            + [(None, m) for m in table.total_measures])
        # The plan's grid must be the grid: checked once, else always the whole way.
        if self.grid(table) != grid:
            return False
        return self

    def grid(self, table: ComputedTable) -> Grid:
        size = self.size_pt
        pad = 2 * CELL_MARGIN + _SLACK
        with_total = self.total_lead is not None
        texts = []  # per figure column, the text of each line (the Tổng cộng row last)
        figs = table.__dict__.get("_figs")
        if figs is not None:  # a simple plan's table (tables/plan): each figure by its index
            return self._simple_grid(table, figs, with_total)
        else:
            lines = table.lines
            every = lines + [table.total] if with_total else lines
            for g, ma, _, _ in self.figure_columns:
                if g is None:
                    texts.append([figure_text(ln.totals.get(ma)) for ln in every])
                else:
                    key = (g, ma)
                    texts.append([figure_text(ln.values.get(key)) for ln in every])
        columns = list(self.fixed)
        shape = []
        for (_, _, word, line_w), col_texts in zip(self.figure_columns, texts):
            low = max(max([_line_width(t, size, True) for t in col_texts], default=0), word) + pad
            want = max(low, line_w)
            if want > low * 1.6:
                want = low
            shape.append((low, want))
            columns.append(Column("so", low, want))
        grid = Grid.__new__(Grid)
        # The rows are made when read (render/table_xml fills the plan's fragments from
        # the figure texts; the widths key says which column widths these figures give).
        grid.__dict__.update(columns=columns, header_rows=len(self.header), size_pt=size,
                             bang_chu=table.bang_chu_line, plan=self.plan, widths_key=tuple(shape),
                             figure_texts=texts, _make_rows=lambda: self._rows(texts, with_total, bool(self.leads)))
        return grid

    def _simple_grid(self, table: ComputedTable, figs: list, with_total: bool) -> Grid:
        """:meth:`grid` of a simple plan's table: each figure's printed text and its
        width looked up by the figure's own text (the same figures recur across a
        batch), the columns' widths from those; the same grid."""
        size = self.size_pt
        pad = 2 * CELL_MARGIN + _SLACK
        slots = self.plan.column_slots
        total = table.total
        printed = self.printed
        if len(printed) > 1024:
            printed.clear()
        made = self.columns
        if len(made) > 256:
            made.clear()
        texts = []
        columns = list(self.fixed)
        shape = []
        for g, ma, word, line_w in self.figure_columns:
            every = [figs[s] if s is not None else None for s in slots[(g, ma)]]
            if with_total:
                every.append(total.values.get((g, ma)))
            # figure_text: blank for an absent or zero figure (a zero Decimal is false)
            found = [printed.get(str(v)) if v else _BLANK for v in every]
            if None in found:
                for k, v in enumerate(every):
                    if found[k] is None:
                        text = _figure_text(str(v))
                        found[k] = printed[str(v)] = (text, _line_width(text, size, True))
            texts.append(list(map(_TEXT, found)))
            widest = max(map(_WIDTH, found), default=0)
            low = max(widest, word) + pad
            want = max(low, line_w)
            if want > low * 1.6:
                want = low
            shape.append((low, want))
            column = made.get((low, want))
            if column is None:
                column = made[(low, want)] = Column("so", low, want)
            columns.append(column)
        grid = Grid.__new__(Grid)
        grid.__dict__.update(columns=columns, header_rows=len(self.header), size_pt=size,
                             bang_chu=table.bang_chu_line, plan=self.plan, widths_key=tuple(shape),
                             figure_texts=texts, _make_rows=lambda: self._rows(texts, with_total, bool(self.leads)))
        return grid

    def _rows(self, texts: list, with_total: bool, any_lines: bool) -> list[GridRow]:
        rows = list(self.header)
        if len(texts) == 1:  # one figure column: a row is a function of its place and its text
            (only,) = texts
            made = self.rows
            if len(made) > 4096:
                made.clear()
            for i, (lead, kind, bold) in enumerate(self.leads):
                row = made.get((i, only[i]))
                if row is None:
                    row = made[(i, only[i])] = GridRow(lead + (_figure_cell(only[i], bold),), kind)
                rows.append(row)
        else:
            rows += [GridRow(lead + tuple([_figure_cell(t[i], bold) for t in texts]), kind)
                     for i, (lead, kind, bold) in enumerate(self.leads)]
        if with_total:
            if any_lines:
                last = rows[-1]
                rows[-1] = GridRow(last.cells, last.kind, last.header, keep_next=True)
            rows.append(GridRow(self.total_lead + tuple([_figure_cell(t[-1], True) for t in texts]), "tong"))
        return rows


@lru_cache(maxsize=4096)  # figures recur across a batch's rows
def _figure_cell(text: str, bold: bool) -> Cell:
    return Cell(text, "right", bold=bold)


def _build_grid(table: ComputedTable, size_pt: float) -> Grid:
    headers = table.headers
    has_dvt = headers.dvt is not None
    groups = table.groups
    measures = table.measures
    total_measures = table.total_measures
    lead = [headers.tt, headers.noi_dung] + ([headers.dvt] if has_dvt else [])

    # ---- header rows
    rows: list[GridRow] = []

    def head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
        return Cell(text, "center", bold=True, colspan=colspan, rowspan=rowspan)

    data_cols = len(groups) * len(measures) + len(total_measures)
    if not groups:
        rows.append(GridRow(tuple(head(t) for t in lead + [m.ten for m in measures]), "header", True))
    else:
        levels = 3 if table.group_title else 2
        first = [head(t, rowspan=levels) for t in lead]
        if table.group_title:
            rows.append(GridRow(tuple(first + [head(table.group_title, colspan=data_cols)]), "header", True))
            first = []
        group_cells = [head(g.ten, colspan=len(measures)) for g in groups]
        if total_measures:
            group_cells.append(head(table.total_column or "", colspan=len(total_measures)))
        rows.append(GridRow(tuple(first + group_cells), "header", True))
        measure_cells = [head(m.ten) for _ in groups for m in measures] + [head(m.ten) for m in total_measures]
        rows.append(GridRow(tuple(measure_cells), "header", True))
    header_rows = len(rows)

    # ---- body rows
    keys = table.group_keys

    def figures(line: Line, bold: bool) -> list[Cell]:
        cells = [Cell(figure_text(line.value(g, m.ma)), "right", bold=bold) for g in keys for m in measures]
        cells += [Cell(figure_text(line.totals.get(m.ma)), "right", bold=bold) for m in total_measures]
        return cells

    for line in table.lines:
        bold = line.kind == "muc"
        cells = [Cell(line.label, "center", bold=bold), Cell(line.text, "left", bold=bold)]
        if has_dvt:
            cells.append(Cell(line.dvt or "", "center", bold=bold))
        rows.append(GridRow(tuple(cells + figures(line, bold)), line.kind))
    if table.show_total:
        if len(rows) > header_rows:
            last = rows[-1]
            rows[-1] = GridRow(last.cells, last.kind, last.header, keep_next=True)
        cells = [Cell(table.total.text, "center", bold=True, colspan=2)]
        if has_dvt:
            cells.append(Cell("", "center", bold=True))
        rows.append(GridRow(tuple(cells + figures(table.total, True)), "tong"))

    # ---- column widths (twips, cell margins included)
    pad = 2 * CELL_MARGIN + _SLACK
    all_lines = table.lines + ([table.total] if table.show_total else [])
    tt_w = max(
        _longest_line([ln.label for ln in table.lines], size_pt, True),
        _longest_word([headers.tt], size_pt, True),
    ) + pad
    columns = [Column("tt", tt_w, tt_w)]
    content_words = _longest_word([ln.text for ln in all_lines] + [headers.noi_dung], size_pt, True) + pad
    columns.append(Column("noi_dung", max(CONTENT_MIN, content_words), max(CONTENT_MIN, content_words)))
    if has_dvt:
        units = [ln.dvt for ln in table.lines if ln.dvt]
        low = max(_longest_word(units, size_pt, False), _longest_word([headers.dvt], size_pt, True)) + pad
        # Prefer a unit on one line ("Nhãn hiệu"), up to about 2.5 cm; longer ones wrap.
        want = min(max(_longest_line(units, size_pt, False) + pad, low), 1420)
        columns.append(Column("dvt", low, max(low, want)))
    # One entry per figure column, in order: (group key or None for the total column, measure).
    figure_columns = [(g, m) for g in keys for m in measures] + [(None, m) for m in total_measures]
    for g, m in figure_columns:
        texts = [
            figure_text(line.totals.get(m.ma) if g is None else line.value(g, m.ma)) for line in all_lines
        ]
        low = max(_longest_line(texts, size_pt, True), _longest_word([m.ten], size_pt, True)) + pad
        want = max(low, _longest_line([m.ten], size_pt, True) + pad)
        # A header like "Kinh phí" reads better on one line, when that costs little.
        if want > low * 1.6:
            want = low
        columns.append(Column("so", low, want))
    words = table.bang_chu_line
    return Grid(rows, columns, header_rows, size_pt, words)
