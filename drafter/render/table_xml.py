"""A laid-out table (:class:`drafter.tables.grid.Grid`) as a WordprocessingML ``<w:tbl>``.

* Style ``DrTable`` (defined by the shipped templates: single black borders), so a
  user who restyles the table in Word restyles every generated table.
* Widths twice: ``w:tblGrid`` *and* every cell's ``w:tcW``, both from the same
  numbers — LibreOffice lays a table out by its grid, Word by the cells — with a
  fixed layout, so neither program re-balances the columns from the text.
* Merges: ``w:gridSpan`` across, ``w:vMerge`` down (a ``restart`` cell, then an
  empty continuation cell in each row below, as WordprocessingML requires).
* Header rows are ``w:tblHeader`` (repeated on each page); every row is
  ``w:cantSplit`` (a row never breaks across pages); a row marked ``keep_next``
  (the one above Tổng cộng) keeps its paragraphs with the next row.
* Font size is set on every run and paragraph mark: the document default is the
  body's 14 pt. Fonts come from the document defaults (all four script slots).
* Text is always escaped; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from drafter.oxml import half_points
from drafter.tables.grid import Cell, Grid

from ..sandbox import LARGE_PIECE
from ..xmltext import escape, quoteattr
from .ooxml import EncodedXml, Markup, SealedXml, run_xml

__all__ = ["table_markup"]

_JC = {"left": "left", "center": "center", "right": "right"}
# XML 1.0 forbids most C0 controls; a stray one (pasted text) would corrupt the part.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CELL_SPACING = 'w:before="20" w:after="20" w:line="240" w:lineRule="auto"'


def _paragraph(cell: Cell | None, size_pt: float, keep_next: bool = False) -> str:
    if cell is None:
        return _paragraph_xml("", False, False, None, size_pt, keep_next)
    return _paragraph_xml(cell.text or "", cell.bold, cell.italic, cell.align, size_pt, keep_next)


@lru_cache(maxsize=1024)  # headers, labels and units repeat across a batch's documents (figures: _FIGURE_CELLS)
def _paragraph_xml(text: str, bold: bool, italic: bool, align: str | None, size_pt: float, keep_next: bool) -> str:
    hp = half_points(size_pt)
    jc = _JC.get(align, "left") if align else "left"
    mark = f'<w:rPr><w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/></w:rPr>'
    ppr = (
        f"<w:pPr>{'<w:keepNext/>' if keep_next else ''}<w:spacing {_CELL_SPACING}/>"
        '<w:ind w:left="0" w:right="0" w:firstLine="0"/>'
        f'<w:jc w:val="{jc}"/>{mark}</w:pPr>'
    )
    runs = ""
    if text:
        parts = _XML_INVALID.sub("", text).split("\n")
        for i, part in enumerate(parts):
            if i:
                runs += "<w:r><w:br/></w:r>"
            if part:
                runs += run_xml(part, bold=bold, italic=italic, size_pt=size_pt)
    return f"<w:p>{ppr}{runs}</w:p>"


@lru_cache(maxsize=1024)  # widths settle: a batch's fixed cells recur (a plan's figure cells: _FIGURE_CELLS)
def _cell(width: int, span: int, merge: str | None, cell: Cell | None, size_pt: float,
          keep_next: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_paragraph(cell, size_pt, keep_next)}</w:tc>"


def _row_xml(row, widths: tuple[int, ...], size: float,
             covered: dict[int, tuple[int, int]]) -> tuple[str, dict[int, tuple[int, int]]]:
    """One ``<w:tr>``, and the columns its cells with a rowspan cover below (start →
    (rows left, span)); ``covered`` (what the rows above still cover) is updated."""
    ncols = len(widths)
    cells_xml: list[str] = []
    opened: dict[int, tuple[int, int]] = {}
    queue = list(row.cells)
    keep = row.keep_next
    col = 0
    while col < ncols:
        if col in covered:
            left, span = covered.pop(col)
            if left > 1:
                covered[col] = (left - 1, span)
            cells_xml.append(_cell(sum(widths[col : col + span]), span, "continue", None, size, keep))
            col += span
            continue
        # A short row is padded with empty cells: Word repairs ragged rows, not all readers do.
        cell = queue.pop(0) if queue else Cell()
        span = max(1, min(cell.colspan, ncols - col))
        merge = "restart" if cell.rowspan > 1 else None
        cells_xml.append(_cell(sum(widths[col : col + span]), span, merge, cell, size, keep))
        if cell.rowspan > 1:
            opened[col] = (cell.rowspan - 1, span)  # covers the rows below, not this one
        col += span
    if queue:
        raise ValueError(f"grid row has more cells than the {ncols} columns of the grid")
    trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if row.header else "")
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells_xml)}</w:tr>", opened


class _SharedRows:
    """:func:`_row_xml` of a row that no cell above covers, kept only for rows seen
    twice: a batch's tables repeat their header rows, labels and Tổng cộng rows in
    every document, while a row holding that row's own figures comes once and is not
    kept (an LRU of every row filled with those, 2,048 rows of XML, ~6 MiB, evicting
    as it went). Seen rows are remembered by hash only; both bounded."""

    def __init__(self, maxsize: int, seen_max: int) -> None:
        self.maxsize, self.seen_max = maxsize, seen_max
        self._kept: dict[int, tuple[Any, tuple[str, tuple]]] = {}
        self._seen: set[int] = set()
        self.hits = self.misses = 0

    def __call__(self, row, widths: tuple[int, ...], size: float) -> tuple[str, tuple]:
        key = (row, widths, size)
        h = hash(key)
        found = self._kept.get(h)
        if found is not None and found[0] == key:
            self.hits += 1
            return found[1]
        self.misses += 1
        xml, opened = _row_xml(row, widths, size, {})
        value = (xml, tuple(opened.items()))
        if h in self._seen:
            if len(self._kept) >= self.maxsize:  # the oldest out (a dict keeps its order)
                del self._kept[next(iter(self._kept))]
            self._kept[h] = (key, value)
            self._seen.discard(h)
        else:
            if len(self._seen) >= self.seen_max:
                self._seen.clear()
            self._seen.add(h)
        return value

    def cache_clear(self) -> None:
        self._kept.clear()
        self._seen.clear()
        self.hits = self.misses = 0

    def cache_info(self) -> tuple[int, int, int, int]:
        """(hits, misses, rows kept, rows seen once), as functools' caches tell theirs."""
        return self.hits, self.misses, len(self._kept), len(self._seen)


_free_row_xml = _SharedRows(maxsize=2048, seen_max=16384)


def _rows(grid: Grid, shape: tuple[int, ...]) -> str:
    """Every ``<w:tr>`` of ``grid`` at column widths ``shape``."""
    size = grid.size_pt
    # Columns still covered by a cell with rowspan from a row above: start → (rows left, span).
    covered: dict[int, tuple[int, int]] = {}
    rows_xml: list[str] = []
    for row in grid.rows:
        if covered or not isinstance(row.cells, tuple):
            xml, opened = _row_xml(row, shape, size, covered)
        else:  # nothing from the rows above: the row's XML is a function of itself (cached)
            xml, opened_items = _free_row_xml(row, shape, size)
            opened = dict(opened_items)
        covered.update(opened)
        rows_xml.append(xml)
    return "".join(rows_xml)


class _Fragments:
    """The XML of a planned grid's rows at one set of column widths, but the figure
    cells: the header rows whole, and each body row's opening with its leading cells."""

    __slots__ = ("bolds", "cells", "figure_widths", "glued", "header", "header_utf8", "nlead", "openings", "sealed")

    def __init__(self, grid: Grid, shape: tuple[int, ...]):
        size = grid.size_pt
        hr = grid.header_rows
        covered: dict[int, tuple[int, int]] = {}
        header = []
        for row in grid.rows[:hr]:
            xml, opened = _row_xml(row, shape, size, covered)
            covered.update(opened)
            header.append(xml)
        if covered:
            raise ValueError("a header cell spans into the body")
        self.header = "".join(header)
        layout = grid.plan.layout
        nfig = len(layout.figure_columns)
        first = len(shape) - nfig  # the figure columns come last
        self.figure_widths = shape[first:]
        self.nlead = []
        self.openings = []
        self.bolds = []  # each body row's figure cells: bold or not (tables/grid's _figure_cell)
        for row in grid.rows[hr:]:
            lead = row.cells[: len(row.cells) - nfig]
            figures = row.cells[len(row.cells) - nfig:]
            if any(c != _figure(c.text, figures[0].bold) for c in figures):
                raise ValueError("a figure cell is not the plan's")
            self.bolds.append(figures[0].bold if figures else False)
            cells, col = [], 0
            for cell in lead:
                if cell.rowspan != 1:
                    raise ValueError("a body cell spans rows")
                span = max(1, min(cell.colspan, len(shape) - col))
                cells.append(_cell(sum(shape[col: col + span]), span, None, cell, size, row.keep_next))
                col += span
            if col != first:
                raise ValueError("leading cells do not end where the figures begin")
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if row.header else "")
            self.openings.append((f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}", row.keep_next, len(lead)))
        # Each body row's figure cells as (before, after, blank): a figure's cell is the
        # text between the two (a figure's text is digits and marks: nothing to escape),
        # a blank figure the cell without a run; made once per set of widths, so a row's
        # figures are filled in without a cell made or looked up per figure.
        self.cells = [tuple(_figure_template(w, bold, keep, size) for w in self.figure_widths)
                      for (_, keep, _), bold in zip(self.openings, self.bolds)]
        # One figure column (the common table): each body row as the text before its
        # figure (the row's opening and the cell's start), the text after (the cell's
        # end and the row's), and the row with a blank figure, each also in UTF-8:
        # a row's XML is then three pieces, its bytes the figure's ASCII between two
        # fixed ones (the table's text is never encoded a character at a time).
        self.header_utf8 = self.header.encode()
        self.glued = None
        self.sealed = False
        if len(self.figure_widths) == 1:
            glued = []
            for (opening, _, _), ((before, after, blank),) in zip(self.openings, self.cells):
                head, tail, empty = opening + before, after + "</w:tr>", opening + blank + "</w:tr>"
                glued.append((head, tail, empty, head.encode(), tail.encode(), empty.encode()))
            self.glued = tuple(glued)
            self.sealed = _inert(self.header) and all(_inert(g) for row in glued for g in row[:3])


_FRAGMENTS_MAX = 32  # sets of widths kept per plan (they follow the figures' digits)


def _planned_fragments(grid: Grid, shape: tuple[int, ...]) -> _Fragments | None:
    """The fragments of a grid filled from a plan at these widths (made once per set
    of widths, checked once per plan against the grid's own XML); None to go the
    whole way."""
    plan = grid.plan
    if plan.xml is False or plan.layout is None or plan.layout is False:
        return None
    if plan.xml is None:
        plan.xml = {}
    frags = plan.xml.get(shape)
    if frags is None:
        try:
            frags = _Fragments(grid, shape)
        except ValueError:
            plan.xml = False
            return None
        checked = plan.xml.get("checked")
        if len(plan.xml) >= _FRAGMENTS_MAX:
            plan.xml.clear()
        plan.xml[shape] = frags
        if not checked:  # the fragments must give the grid's own XML: checked once per plan
            own = _rows(grid, shape)
            glued = _fill_utf8(grid, frags, "", "")
            if _fill(grid, frags) != own or (glued is not None and (
                    glued != own or glued.utf8 != own.encode())):
                plan.xml = False
                return None
            plan.xml["checked"] = True
    texts = getattr(grid, "figure_texts", None)  # a grid's rows are made only when read
    body = len(texts[0]) if texts else len(grid.rows) - grid.header_rows
    if len(frags.openings) != body:
        return None
    return frags


def _figure(text: str, bold: bool) -> Cell:
    return Cell(text, "right", bold=bold)


_MARK = "\ue000"  # a private-use character: escaped as itself, dropped by nothing
_FIGURE_CHARS = "0123456789.,-"  # what a figure's text is made of (tables/grid.figure_text)


def _figure_template(width: int, bold: bool, keep: bool, size: float) -> tuple[str, str, str]:
    """A figure cell's XML around its text, and the blank cell's: ``_cell`` of a
    marker text split at the marker (the same function, so the same XML)."""
    make = _cell.__wrapped__  # not kept in _cell's cache
    before, after = make(width, 1, None, _figure(_MARK, bold), size, keep).split(_MARK)
    return before, after, make(width, 1, None, _figure("", bold), size, keep)


_FIGURE_CELLS: dict = {}  # (width, text, bold, keep, size) → a figure cell's XML (bounded)
_FIGURE_CELLS_MAX = 256  # figures of other characters only (the rest: _Fragments.cells)


def _fill(grid: Grid, frags: _Fragments) -> str:
    size = grid.size_pt
    out = [frags.header]
    widths = frags.figure_widths
    texts = getattr(grid, "figure_texts", None)
    if texts is not None and len(texts) == len(widths):
        # From the figures' texts (tables/grid): each row's opening, its figure cells
        # (the text put in its cell's template, or the blank cell), its end; no cell of
        # the grid read. A text of other characters (none so far) takes the cell's way.
        made = _FIGURE_CELLS
        chars = _FIGURE_CHARS
        if len(texts) == 1:
            (col,) = texts
            for (opening, keep, _), ((before, after, blank),), bold, t in zip(
                    frags.openings, frags.cells, frags.bolds, col):
                if not t:
                    out += (opening, blank, "</w:tr>")
                elif not t.strip(chars):
                    out += (opening, before, t, after, "</w:tr>")
                else:
                    out += (opening, _figure_cell_xml(made, widths[0], t, bold, keep, size), "</w:tr>")
            return "".join(out)
        for i, (opening, keep, _) in enumerate(frags.openings):
            out.append(opening)
            bold = frags.bolds[i]
            for (before, after, blank), w, col in zip(frags.cells[i], widths, texts):
                t = col[i]
                if not t:
                    out.append(blank)
                elif not t.strip(chars):
                    out += (before, t, after)
                else:
                    out.append(_figure_cell_xml(made, w, t, bold, keep, size))
            out.append("</w:tr>")
        return "".join(out)
    for row, (opening, keep, nlead) in zip(grid.rows[grid.header_rows:], frags.openings):
        out.append(opening)
        for w, cell in zip(widths, row.cells[nlead:]):
            out.append(_cell(w, 1, None, cell, size, keep))
        out.append("</w:tr>")
    return "".join(out)


def _fill_utf8(grid: Grid, frags: _Fragments, start: str, end: str) -> EncodedXml | SealedXml | None:
    """``start + _fill(grid, frags) + end`` with its UTF-8 made from the fragments' own
    and each figure's ASCII, for a grid of one figure column whose figures are all of
    figure characters; None otherwise (then :func:`_fill`). A whole table that is
    sealed (:class:`SealedXml`: nothing looked for in it, long enough to be a large
    piece) is kept as its pieces, never joined as text; else :class:`EncodedXml`."""
    glued = frags.glued
    texts = getattr(grid, "figure_texts", None)
    if glued is None or texts is None or len(texts) != 1:
        return None
    (col,) = texts
    if len(col) != len(glued):
        return None
    chars = _FIGURE_CHARS
    out = [start, frags.header]
    opening, sealed = _EDGES.get(start) or _edge(start)
    utf8 = [opening, frags.header_utf8]
    for (head, tail, empty, head_b, tail_b, empty_b), t in zip(glued, col):
        if not t:
            out.append(empty)
            utf8.append(empty_b)
        elif not t.strip(chars):  # digits and marks: ASCII
            out += (head, t, tail)
            utf8 += (head_b, t.encode("ascii"), tail_b)
        else:
            return None
    out.append(end)
    utf8.append((_EDGES.get(end) or _edge(end))[0])
    if sealed and frags.sealed and end == "</w:tbl>":
        length = sum(map(len, out))
        if length >= LARGE_PIECE:
            return SealedXml(out, length, b"".join(utf8))
    xml = EncodedXml("".join(out))
    xml.utf8 = b"".join(utf8)
    return xml


# What render/engine looks for in a rendered part (SealedXml). Those of several
# characters begin with "<" and hold ">" at most as their last character, and a figure's
# characters are in none: an occurrence across two fragments that each begin with "<"
# and end with ">" (or a figure between them) would have to hold the ">" ending the first.
_LOOKED_FOR = ("\n", "\t", "\a", "\f", "<w:bookmarkStart", "</w:sdt>")


def _inert(text: str) -> bool:
    """No fragment of a table put next to others like it shows what :data:`_LOOKED_FOR` lists."""
    return not text or (text[0] == "<" and text[-1] == ">" and not any(p in text for p in _LOOKED_FOR))


# A table's opening and end (a few per batch) → their UTF-8, and whether it is an
# opening a sealed table may begin with (a <w:tbl> element's start, _inert).
_EDGES: dict[str, tuple[bytes, bool]] = {}


def _edge(text: str) -> tuple[bytes, bool]:
    if len(_EDGES) >= 64:
        _EDGES.clear()
    out = _EDGES[text] = (text.encode(), text.startswith("<w:tbl>") and _inert(text))
    return out


def _figure_cell_xml(made: dict, w: int, text: str, bold: bool, keep: bool, size: float) -> str:
    key = (w, text, bold, keep, size)
    xml = made.get(key)
    if xml is None:
        if len(made) >= _FIGURE_CELLS_MAX:
            made.clear()
        xml = made[key] = _cell(w, 1, None, _figure(text, bold), size, keep)
    return xml


@lru_cache(maxsize=256)  # a batch's tables come in a few sets of widths
def _opening(style: str, widths: tuple[int, ...]) -> str:
    """A table's XML up to its first row: its properties and its grid."""
    grid_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f"<w:tbl><w:tblPr><w:tblStyle w:val={quoteattr(style)}/>"
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid_xml}</w:tblGrid>"
    )


def table_markup(
    grid: Grid,
    width_twips: int | None = None,
    *,
    style: str = "DrTable",
    bookmark: str | None = None,
    bookmark_id: int = 0,
) -> Markup | SealedXml:
    """The ``<w:tbl>`` of ``grid``, ``width_twips`` wide (default: the grid's page width);
    its text is ``.xml`` either way.

    ``bookmark`` wraps the table in a named bookmark, a stable marker to find and
    replace it later (round trip with Word).
    """
    widths = grid.column_widths(width_twips)
    shape = tuple(widths)
    rows_xml = None
    if grid.plan is not None:
        frags = _planned_fragments(grid, shape)
        if frags is not None:
            if not bookmark:
                xml = _fill_utf8(grid, frags, _opening(style, shape), "</w:tbl>")
                if type(xml) is SealedXml:
                    return xml
                if xml is not None:
                    return Markup(xml)
            rows_xml = _fill(grid, frags)
    if rows_xml is None:
        rows_xml = _rows(grid, shape)
    tbl = f"{_opening(style, shape)}{rows_xml}</w:tbl>"
    if bookmark:
        name = escape(bookmark[:40])  # Word keeps bookmark names to 40 characters
        tbl = (
            f'<w:bookmarkStart w:id="{int(bookmark_id)}" w:name="{name}"/>{tbl}'
            f'<w:bookmarkEnd w:id="{int(bookmark_id)}"/>'
        )
    return Markup(tbl)
