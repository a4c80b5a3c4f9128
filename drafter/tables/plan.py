"""A table's structure compiled once, its figures filled per batch row.

A batch row typically changes a table's figures (``so_lieu: {kinh_phi: "{{ hang.kp3 }}"}``)
and nothing else of it: the rows, their labels and numbering, the groups, measures and
units, which columns sum, the header rows and the fixed columns' widths are the same
for every row. :func:`computed` takes the table as written (the mapping under ``bang``,
or a table read from a sheet) and returns the same :class:`ComputedTable` as
``compute(parse_table(data))`` — or raises the same :class:`TableError` — doing per row
only what depends on the figures:

* the **skeleton** of the mapping: every value but the figures (with their types), and
  the figures parsed to Decimal in order (:func:`skeleton`). Two tables with the same
  skeleton differ only in their figures;
* a :class:`Plan` per skeleton (with the unit and the reading), made the second time a
  skeleton is seen, from a run of the real parser and computer on the table with a
  unique marker for each figure: where each figure goes (row, group, measure), which
  rows sum which, the headers, the fixed cells of the grid and its fixed columns;
* per row: the sums, the checks of typed subtotals, the words, then (in
  :mod:`drafter.tables.grid` and :mod:`drafter.render.table_xml`, through the plan the
  computed table carries) the figure cells, the figure columns' widths and the row XML
  from fragments made once per set of column widths.

Anything the plan does not cover goes the whole way (the parser and the computer): a
figure that does not parse, a typed subtotal that disagrees (the full run words the
problem), a structure with problems. A table read from a sheet is the same object for
every row of a batch and is computed once, by identity.

Caches are bounded (a plan per skeleton, fragments per set of widths) and keyed on
values (the skeleton) or on objects they keep alive (a sheet's table).

>>> data = {"chi_tieu": [{"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}],
...         "dong": [{"noi_dung": "Đào tạo", "so_lieu": {"kinh_phi": 5}},
...                  {"noi_dung": "Tập huấn", "so_lieu": {"kinh_phi": "1.200"}}],
...         "bang_chu": "kinh_phi"}
>>> key, figs = skeleton(data)
>>> figs
[Decimal('5'), Decimal('1200')]
>>> skeleton({**data, "dong": [{"noi_dung": "Đào tạo", "so_lieu": {"kinh_phi": 7}},
...                            {"noi_dung": "Tập huấn", "so_lieu": {"kinh_phi": 8}}]})[0] == key
True
>>> [computed(data, unit="triệu đồng").words for _ in range(3)]
['Một tỷ hai trăm linh năm triệu đồng', 'Một tỷ hai trăm linh năm triệu đồng', 'Một tỷ hai trăm linh năm triệu đồng']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from itertools import chain, repeat
from operator import is_, is_not, itemgetter
from typing import Any

from .compute import (
    NO_GROUP,
    ComputedTable,
    Line,
    _Computer,
    _sum,
    compute,
    words_for,
)
from .model import Bang, TableError, parse_table, to_amount

__all__ = ["Plan", "clear", "computed", "skeleton"]


class _Unplannable(Exception):
    """The table (or this row's figures) goes the whole way."""


class _Leaf:
    """The place of one figure in a skeleton (one object: equal only to itself)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FIG"


LEAF = _Leaf()
_NONE = ("none",)  # a single figure left blank at the top of `so_lieu` / `tong`


def _frozen(v: Any) -> Any:
    """A hashable value equal for two values only when the table reads them alike:
    types kept (1, True and 1.0 are equal in Python, not in a table), Decimals by text."""
    t = type(v)
    if t is str:
        return v
    if t is dict:
        return (dict, tuple((_frozen(k), _frozen(x)) for k, x in v.items()))
    if t is list:
        return (list, tuple(map(_frozen, v)))
    if v is None or t is int or t is bool or t is dt.date:
        return (t, v)
    if t is Decimal:
        return (t, str(v))
    raise _Unplannable  # anything else (a float, a date-time, another mapping) goes the whole way


class _Walk:
    """One walk of a table mapping: its skeleton, and its figures (parsed, or replaced
    by markers when ``markers`` is given, with the rebuilt mapping)."""

    __slots__ = ("figs", "markers")

    def __init__(self, markers: list | None = None):
        self.figs: list = []
        self.markers = markers

    def leaf(self, x: Any) -> tuple[Any, Any]:
        if isinstance(x, (list, Mapping)):
            raise _Unplannable  # not a number: the parser words it
        if self.markers is not None:
            m = Decimal(len(self.markers) + 1)  # a distinct object (and value) per figure
            self.markers.append(m)
            return LEAF, m
        self.figs.append(to_amount(x))  # raises: the whole way, which words the problem
        return LEAF, None

    def figures(self, v: Any) -> tuple[Any, Any]:
        """`so_lieu` / `tong` (model._figures' shapes)."""
        if v is None:
            return _NONE, None
        if type(v) is dict:
            keys, out = [], {}
            for k, x in v.items():
                if type(x) is list or type(x) is dict:
                    key, new = self.inner(x)
                else:
                    key, new = self.leaf(x)
                keys.append((_frozen(k), key))
                out[k] = new
            return ("map", tuple(keys)), out
        if type(v) is list:
            return self.inner(v)
        if isinstance(v, Mapping):
            raise _Unplannable
        # One figure alone: blank or not changes how the computer reads it.
        if self.markers is None:
            value = to_amount(v)
            if value is None:
                return _NONE, None
            self.figs.append(value)
            return LEAF, None
        if to_amount(v) is None:
            return _NONE, None
        return self.leaf(v)

    def inner(self, v: Any) -> tuple[Any, Any]:
        if type(v) is list:
            pairs = [self.leaf(x) for x in v]
            return ("list", tuple(k for k, _ in pairs)), [n for _, n in pairs]
        keys, out = [], {}
        for k, x in v.items():
            key, new = self.leaf(x)
            keys.append((_frozen(k), key))
            out[k] = new
        return ("dict", tuple(keys)), out

    def rows(self, rows: list) -> tuple[Any, Any]:
        keys, out = [], []
        for r in rows:
            if type(r) is not dict:
                keys.append(_frozen(r))
                out.append(r)
                continue
            key, new = self.mapping(r, "so_lieu")
            keys.append(("row", key))
            out.append(new)
        return tuple(keys), out

    def table(self, data: dict) -> tuple[Any, Any]:
        return self.mapping(data, "tong")

    def mapping(self, data: dict, figures_key: str) -> tuple[Any, Any]:
        """A row (its figures under so_lieu) or the table (its typed totals under tong):
        the figures abstracted, the children rows walked, every other value kept."""
        keys, out = [], {}
        for k, v in data.items():
            if k == figures_key:
                key, nv = self.figures(v)
            elif k == "dong" and type(v) is list:
                key, nv = self.rows(v)
                key = ("rows", key)
            else:
                key, nv = _frozen(v), v
            keys.append((_frozen(k), key))
            out[k] = nv
        return tuple(keys), out


# The per-row walk: _Walk's skeleton without the rebuilding (what every row pays).

_AMOUNTS: dict[str, Decimal | None] = {}  # a figure's text → its Decimal (immutable, shared)
_AMOUNTS_MAX = 8192


def _amount(x: Any) -> Decimal | None:
    if type(x) is str:
        found = _AMOUNTS.get(x, _AMOUNTS)
        if found is not _AMOUNTS:
            return found  # type: ignore[return-value]
        value = to_amount(x)  # raises: not kept
        if len(_AMOUNTS) >= _AMOUNTS_MAX:
            _AMOUNTS.clear()
        _AMOUNTS[x] = value
        return value
    if type(x) is list or type(x) is dict or isinstance(x, Mapping):
        raise _Unplannable
    return to_amount(x)


def _leaves(v: Any, figs: list) -> tuple:
    if type(v) is list:
        for x in v:
            figs.append(_amount(x))
        return ("list", len(v))
    keys = []
    for k, x in v.items():
        figs.append(_amount(x))
        keys.append((k if type(k) is str else _frozen(k), LEAF))
    return ("dict", tuple(keys))


def _figures_key(v: Any, figs: list) -> Any:
    if v is None:
        return _NONE
    t = type(v)
    if t is dict:
        keys = []
        for k, x in v.items():
            tx = type(x)
            if tx is list or tx is dict:
                key = _leaves(x, figs)
            else:
                figs.append(_amount(x))
                key = LEAF
            keys.append((k if type(k) is str else _frozen(k), key))
        return ("map", tuple(keys))
    if t is list:
        return _leaves(v, figs)
    value = _amount(v)
    if value is None:
        return _NONE
    figs.append(value)
    return LEAF


def _rows_key(rows: list, figs: list) -> tuple:
    keys = []
    for r in rows:
        if type(r) is not dict:
            keys.append(_frozen(r))
            continue
        rk = []
        for k, v in r.items():
            if k == "so_lieu":
                key = _figures_key(v, figs)
            elif type(v) is str:
                key = v
            elif k == "dong" and type(v) is list:
                key = ("rows", _rows_key(v, figs))
            else:
                key = _frozen(v)
            rk.append((k if type(k) is str else _frozen(k), key))
        keys.append(("row", tuple(rk)))
    return tuple(keys)


def skeleton(data: dict) -> tuple[Any, list]:
    """The table's structure without its figures (hashable), and its figures parsed,
    in order. Raises _Unplannable (or the parser's error) for a value the plan does
    not read."""
    figs: list = []
    keys = []
    for k, v in data.items():
        if k == "tong":
            key = _figures_key(v, figs)
        elif k == "dong" and type(v) is list:
            key = ("rows", _rows_key(v, figs))
        else:
            key = _frozen(v)
        keys.append((k if type(k) is str else _frozen(k), key))
    return tuple(keys), figs


# The per-row match: a row's table against the mapping its plan was made from (what
# the row did not change is the very object: compared by identity first), the figures
# read on the way. It answers only "the same skeleton, these figures" — exactly when
# :func:`skeleton` would give the plan's key and these figures —, or None (then the
# skeleton decides, as before: a changed structure, a figure that does not parse).


def _same(a: Any, b: Any) -> bool:
    """``_frozen(a) == _frozen(b)``, the identical object first."""
    if a is b:
        return True
    if type(a) is str:
        return type(b) is str and a == b
    try:
        return _frozen(a) == _frozen(b)
    except _Unplannable:
        return False


def _match_leaves(base: Any, v: Any, figs: list) -> bool:
    """`_leaves`: a list or mapping of figures."""
    tb = type(base)
    if type(v) is not tb or len(v) != len(base):
        return False
    if tb is list:
        for x in v:
            figs.append(_amount(x))
        return True
    for (k0, _), (k, x) in zip(base.items(), v.items()):
        if k is not k0 and not _same(k0, k):
            return False
        figs.append(_amount(x))
    return True


def _match_figures(base: Any, v: Any, figs: list) -> bool:
    """`_figures_key`: so_lieu or tong."""
    tb = type(base)
    if tb is dict:
        if type(v) is not dict or len(v) != len(base):
            return False
        for (k0, x0), (k, x) in zip(base.items(), v.items()):
            if k is not k0 and not _same(k0, k):
                return False
            t0, tx = type(x0), type(x)
            if t0 is list or t0 is dict:
                if not _match_leaves(x0, x, figs):
                    return False
            elif tx is list or tx is dict:
                return False
            else:
                figs.append(_amount(x))
        return True
    if tb is list:
        return _match_leaves(base, v, figs)
    # None or one figure alone: blank (the base's None or a blank text) or a figure
    tv = type(v)
    if tv is list or tv is dict:
        return False
    was = None if base is None else _amount(base)
    now = None if v is None else _amount(v)
    if was is None or now is None:
        return was is None and now is None
    figs.append(now)
    return True


def _match_rows(base: list, rows: Any, figs: list) -> bool:
    if type(rows) is not list or len(rows) != len(base):
        return False
    for r0, r in zip(base, rows):
        if r is r0 and type(r0) is not dict:
            continue
        if type(r0) is not dict:
            if type(r) is dict or not _same(r0, r):
                return False
        elif type(r) is not dict or not _match_mapping(r0, r, "so_lieu", figs):
            return False
    return True


def _match_mapping(base: dict, data: dict, figures_key: str, figs: list, rows: Any = None) -> bool:
    """`rows`: what matches the mapping's children rows (`_match_rows` unless given)."""
    if len(data) != len(base):
        return False
    for (k0, v0), (k, v) in zip(base.items(), data.items()):
        if k is not k0 and not _same(k0, k):
            return False
        if k0 == figures_key:
            if type(v0) is dict and type(v) is dict and len(v) == 1 == len(v0):
                # the common so_lieu: one figure by its measure (_match_figures' first case)
                ((m0, x0),), ((m, x),) = v0.items(), v.items()
                if (m is not m0 and not _same(m0, m)) or type(x0) in _CONTAINERS or type(x) in _CONTAINERS:
                    if not _match_figures(v0, v, figs):
                        return False
                    continue
                if type(x) is str:
                    found = _AMOUNTS.get(x, _AMOUNTS)
                    figs.append(found if found is not _AMOUNTS else _amount(x))
                else:
                    figs.append(_amount(x))
            elif not _match_figures(v0, v, figs):
                return False
        elif k0 == "dong" and type(v0) is list:
            if not (rows or _match_rows)(v0, v, figs):
                return False
        elif v is not v0 and not _same(v0, v):
            return False
    return True


_CONTAINERS = (list, dict)


def _match(base: dict, data: dict, rows: Any = None) -> list | None:
    """The figures of ``data`` when its skeleton is ``base``'s, else None (`rows`: what
    matches the table's rows, as _match_mapping)."""
    figs: list = []
    try:
        if _match_mapping(base, data, "tong", figs, rows):
            return figs
    except Exception:  # noqa: BLE001 - a figure that does not parse: the skeleton's way words it
        return None
    return None


_MISSING = object()  # a figure's text not in _AMOUNTS yet


def _picker(indices: list[int]) -> Any:
    """The values at `indices` of a list, as a tuple (itemgetter's loop, in C)."""
    if len(indices) > 1:
        return itemgetter(*indices)
    if indices:
        i = indices[0]
        return lambda values: (values[i],)
    return lambda values: ()


class _FlatRows:
    """A table's rows compiled for the per-row match: every row a mapping whose
    figures, if any, are a mapping of plain figures under ``so_lieu`` (the common
    table; ValueError for any other). A batch row's rows are the base's very objects
    but their figures (copy on write): :meth:`figures` compares all the rows' keys and
    values with the base's at once, object for object (loops in C, not a walk per
    row), and reads the figures. It answers only when everything but the figures is
    the base's very object; None leaves the question to :func:`_match_rows`."""

    __slots__ = ("fig_keys", "fig_lens", "fig_types", "fixed", "keys", "lens", "pick_fixed", "pick_figs", "types")

    def __init__(self, rows: list):
        if any(type(r) is not dict for r in rows):
            raise ValueError("a row that is not a mapping")
        items = [item for r in rows for item in r.items()]
        if any(k == "dong" and type(v) is list for k, v in items):
            raise ValueError("a row with rows of its own")
        values = [v for _, v in items]
        at = [i for i, (k, _) in enumerate(items) if k == "so_lieu"]  # as _match_mapping finds them
        figures = [values[i] for i in at]
        if any(type(f) is not dict or any(type(x) in _CONTAINERS for x in f.values()) for f in figures):
            raise ValueError("figures that are not a mapping of plain figures")
        fixed = sorted(set(range(len(values))) - set(at))
        self.types = [dict] * len(rows)
        self.lens = [len(r) for r in rows]
        self.keys = [k for r in rows for k in r]
        self.pick_fixed, self.pick_figs = _picker(fixed), _picker(at)
        self.fixed = self.pick_fixed(values)
        self.fig_types = [dict] * len(figures)
        self.fig_lens = [len(f) for f in figures]
        self.fig_keys = [k for f in figures for k in f]

    def figures(self, rows: Any) -> list | None:
        """``_match_rows(base, rows, figs)``'s figures when every value of `rows` but
        the figures is the base rows' very object (the same keys too), else None."""
        if type(rows) is not list or list(map(type, rows)) != self.types or list(map(len, rows)) != self.lens:
            return None
        if not all(map(is_, chain.from_iterable(rows), self.keys)):  # the lengths are the base's: aligned
            return None
        values = list(chain.from_iterable(map(dict.values, rows)))
        if not all(map(is_, self.pick_fixed(values), self.fixed)):
            return None
        figures = self.pick_figs(values)
        if list(map(type, figures)) != self.fig_types or list(map(len, figures)) != self.fig_lens \
                or not all(map(is_, chain.from_iterable(figures), self.fig_keys)):
            return None
        leaves = chain.from_iterable(map(dict.values, figures))
        try:
            found = list(map(_AMOUNTS.get, leaves, repeat(_MISSING)))
        except TypeError:  # a value that cannot be a key (a list, a mapping): the walk decides
            return None
        if not all(map(is_not, found, repeat(_MISSING))):  # by identity (a Decimal's == asks numbers' ABCs)
            leaves = chain.from_iterable(map(dict.values, figures))
            found = [_amount(x) if f is _MISSING else f for f, x in zip(found, leaves)]  # raises as the walk
        return found


# --------------------------------------------------------------------------- plans


class _Recorder(_Computer):
    """The real computer on a table of markers, writing down where each figure goes."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.resolved: dict[tuple, tuple[dict, dict]] = {}

    def resolve(self, raw, path, row, subtotal, ref=""):
        values, totals = super().resolve(raw, path, row, subtotal, ref)
        self.resolved[path[:-1] if path != ("tong",) else ("tong",)] = (dict(values), dict(totals))
        return values, totals

    def check(self, typed, derived, **kw) -> None:  # markers never add up: checked per row
        return None


class _LineSpec:
    __slots__ = ("children", "dvt", "kind", "label", "leaf", "level", "path", "ref", "text", "typed", "typed_totals")

    def __init__(self, line: Line, typed, typed_totals, children):
        self.kind, self.level, self.label, self.ref = line.kind, line.level, line.label, line.ref
        self.text, self.dvt, self.path = line.text, line.dvt, line.path
        self.typed = typed  # ((group, measure), figure index)…
        self.typed_totals = typed_totals  # (measure, figure index)…
        self.children = children  # indices of the direct children's lines


class Plan:
    """One table structure compiled: figures in, a ComputedTable out (None when the
    row must go the whole way). Also holds the grid's and the XML's fixed parts, made
    on first use by :mod:`drafter.tables.grid` and :mod:`drafter.render.table_xml`."""

    def __init__(self, data: dict, unit: str | None, reading: tuple[str, str]):
        self.base = data  # the mapping a row's table is matched against (_match)
        self.flat: Any = None  # its rows compiled (_FlatRows; False: not a plain table), made on first use
        markers: list = []
        walk = _Walk(markers)
        _, marked = walk.table(data)
        bang = parse_table(marked)  # TableError: a structure with problems is never planned
        rec = _Recorder(bang, unit, reading)
        lines = rec.build_rows()
        total = rec.build_total(lines)
        grand = {m.ma: Decimal(1) for m in rec.measures if m.cong and (not rec.groups or m.cong_ngang)}
        words_measure, sample_words = rec.words(grand)
        if rec.problems:
            raise _Unplannable
        index = {id(m): i for i, m in enumerate(markers)}

        def slots(d: dict) -> tuple:
            out = []
            for k, v in d.items():
                if v is None:
                    continue
                if id(v) not in index:
                    raise _Unplannable
                out.append((k, index[id(v)]))
            return tuple(out)

        by_path = {ln.path: i for i, ln in enumerate(lines)}
        specs = []
        for ln in lines:
            values, totals = rec.resolved.get(ln.path, ({}, {}))
            children = tuple(i for i, c in enumerate(lines) if len(c.path) == len(ln.path) + 2
                             and c.path[:len(ln.path)] == ln.path)
            specs.append(_LineSpec(ln, slots(values), slots(totals), children))
        if len(by_path) != len(lines):
            raise _Unplannable
        tv, tt = rec.resolved.get(("tong",), ({}, {}))
        self.total_typed, self.total_typed_totals = slots(tv), slots(tt)
        self.total_text = total.text
        self.specs = tuple(specs)
        self.tops = tuple(i for i, ln in enumerate(lines) if ln.path and len(ln.path) == 2)
        self.nfigs = len(markers)
        self.groups, self.measures, self.keys = rec.groups, rec.measures, rec.keys
        self.total_column = rec.total_column
        self.all_keys = tuple((g, m.ma) for g in rec.keys for m in rec.measures)
        self.blank = dict.fromkeys(self.all_keys)  # every (group, measure) of a row, blank
        for spec in specs:  # a row with no children whose typed keys are all of the table's
            spec.leaf = not spec.children and all(k in self.blank for k, _ in spec.typed)
        self.summed = tuple((g, m.ma) for g in rec.keys for m in rec.measures if m.cong)
        self.across = tuple(m.ma for m in rec.measures if m.cong_ngang) if rec.total_column else ()
        self.total_across = tuple(m.ma for m in rec.measures if m.cong_ngang and m.cong) if rec.total_column else ()
        self.grand_keys = tuple((m.ma, not rec.groups) for m in rec.measures
                                if m.cong and (not rec.groups or m.cong_ngang))
        self.words_measure = words_measure
        self.words_unit = None
        if words_measure is not None and sample_words is not None:
            measure = next(m for m in rec.measures if m.ma == words_measure)
            self.words_unit = measure.dvt or rec.unit
        t = bang
        headers = t.cot_dau
        if "cot_dau" not in t.model_fields_set and not any(ln.dvt for ln in lines):
            headers = headers.model_copy(update={"dvt": None})
        self.headers = headers
        self.group_title = t.tieu_de_nhom if rec.groups else None
        self.show_total = t.tong_cong is not None and any(m.cong for m in rec.measures)
        self.unit = rec.unit
        self.reading = reading
        # Every line a top row of its own figures, nothing summed across: a row's table
        # is its figures, the totals' sums and the words (compute's first branch); its
        # lines are made only when read, and the grid reads each figure column's
        # figures by their index (column_slots: per line, or None for a blank cell).
        n = len(self.specs)
        self.simple = (not self.across and self.tops == tuple(range(n))
                       and all(spec.leaf for spec in self.specs))
        if self.simple:
            typed = [dict(spec.typed) for spec in self.specs]
            # (measure, the figures summed into its total, picked in C: their slots in order)
            self.sum_slots = tuple((k, _picker([t[k] for t in typed if k in t])) for k in self.summed)
            self.column_slots = {k: tuple(t.get(k) for t in typed) for k in self.all_keys}
        self.layout: Any = None  # tables/grid's fixed parts, made there on first use
        self.xml: Any = None  # render/table_xml's fixed parts, made there on first use

    def match_rows(self, base: list, rows: Any, figs: list) -> bool:
        """_match_rows for the base's rows, by their compiled form when it answers: a
        batch row's rows are the base's objects but their figures. Rows that match
        only by value (another load of the same draft) have the next base's rows
        compiled again."""
        flat = self.flat
        if flat is None:
            try:
                flat = self.flat = _FlatRows(base)
            except ValueError:
                flat = self.flat = False
        if flat:
            found = flat.figures(rows)
            if found is not None:
                figs += found
                return True
        if not _match_rows(base, rows, figs):
            return False
        if flat:
            self.flat = None
        return True

    def _lines(self, figs: list) -> list[Line]:
        """A simple plan's lines (as :meth:`compute`'s first branch makes them)."""
        blank = self.blank
        out = []
        for spec in self.specs:
            values = dict(blank)
            for k, s in spec.typed:
                values[k] = figs[s]
            out.append(Line(spec.kind, spec.level, spec.label, spec.ref, spec.text, spec.dvt, values, {}, spec.path))
        return out

    def _grand(self, total: Line, keys) -> tuple[dict[str, Decimal], str | None] | None:
        """The grand totals of each measure and the words of the one read out (None
        when the words cannot be said: the row then takes the full path)."""
        grand: dict[str, Decimal] = {}
        for ma, alone in self.grand_keys:
            if alone:
                grand[ma] = total.values[(NO_GROUP, ma)] or Decimal(0)
            else:
                grand[ma] = _sum(total.values[(g, ma)] for g in keys) or Decimal(0)
        words = None
        if self.words_unit is not None:
            try:
                words = words_for(grand[self.words_measure], self.words_unit, zero_tens=self.reading[0],
                                  four=self.reading[1])
            except ValueError:
                return None
        return grand, words

    def _simple(self, figs: list) -> ComputedTable | None:
        """:meth:`compute` of a simple plan, its lines left to be made when read."""
        typed = {k: figs[s] for k, s in self.total_typed}
        values = {}
        for k, pick in self.sum_slots:  # the lines in order, those with k typed
            derived = _sum(pick(figs))
            if not _agrees(typed.get(k), derived):
                return None
            values[k] = derived
        total = Line("tong", 0, "", "tong", self.total_text, None, {}, {}, ("tong",))
        total.values = {k: values.get(k) for k in self.all_keys}
        found = self._grand(total, self.keys)
        if found is None:
            return None
        grand, words = found
        result = ComputedTable.__new__(ComputedTable)
        result.__dict__.update(
            headers=self.headers, groups=self.groups, measures=self.measures, group_title=self.group_title,
            total_column=self.total_column, total=total, show_total=self.show_total, unit=self.unit,
            grand=grand, words_measure=self.words_measure, words=words, warnings=[], plan=self,
            reading=self.reading, _make_lines=lambda: self._lines(figs), _figs=figs)
        return result

    def compute(self, figs: list) -> ComputedTable | None:
        """The computed table of these figures; None when a check fails (the whole way
        then words the problem)."""
        if self.simple:
            return self._simple(figs)
        keys, all_keys, summed = self.keys, self.all_keys, self.summed
        specs = self.specs
        n = len(specs)
        built: list = [None] * n
        across = self.across
        blank = self.blank
        for i in range(n - 1, -1, -1):  # children before their parent
            spec = specs[i]
            if spec.leaf and not across:  # the common row: its own figures, nothing derived
                values = dict(blank)
                for k, s in spec.typed:
                    values[k] = figs[s]
                built[i] = Line(spec.kind, spec.level, spec.label, spec.ref, spec.text, spec.dvt, values, {},
                                spec.path)
                continue
            typed = {k: figs[s] for k, s in spec.typed}
            if spec.children:
                kids = [built[c].values for c in spec.children]
                for k in summed:
                    derived = _sum(v[k] for v in kids)
                    if not _agrees(typed.get(k), derived):
                        return None
                    typed[k] = derived
            line = Line(spec.kind, spec.level, spec.label, spec.ref, spec.text, spec.dvt,
                        {k: typed.get(k) for k in all_keys}, {}, spec.path)
            if self.across:
                tt = {m: figs[s] for m, s in spec.typed_totals}
                values = line.values
                for m in self.across:
                    derived = _sum(values[(g, m)] for g in keys)
                    if not _agrees(tt.get(m), derived):
                        return None
                    line.totals[m] = derived
            built[i] = line
        total = Line("tong", 0, "", "tong", self.total_text, None, {}, {}, ("tong",))
        typed = {k: figs[s] for k, s in self.total_typed}
        tops = [built[i].values for i in self.tops]
        values = {}
        for k in summed:
            derived = _sum(v[k] for v in tops)
            if not _agrees(typed.get(k), derived):
                return None
            values[k] = derived
        total.values = {k: values.get(k) for k in all_keys}
        if self.total_across:
            tt = {m: figs[s] for m, s in self.total_typed_totals}
            for m in self.total_across:
                derived = _sum(total.values[(g, m)] for g in keys)
                if not _agrees(tt.get(m), derived):
                    return None
                total.totals[m] = derived
        found = self._grand(total, keys)
        if found is None:
            return None
        grand, words = found
        result = ComputedTable(
            headers=self.headers, groups=self.groups, measures=self.measures, group_title=self.group_title,
            total_column=self.total_column, lines=built, total=total, show_total=self.show_total,
            unit=self.unit, grand=grand, words_measure=self.words_measure, words=words, warnings=[],
            reading=self.reading,
        )
        result.plan = self
        return result


def _agrees(typed: Decimal | None, derived: Decimal | None) -> bool:
    """compute._Computer.check's test: a typed figure that can be derived equals it."""
    if typed is None:
        return True
    if derived is None:
        return typed == 0
    return typed == derived


# --------------------------------------------------------------------------- caches

_PLANS: dict = {}  # (skeleton, unit, reading) → Plan, or None: goes the whole way
_PLANS_MAX = 32  # each holds its grid rows and XML fragments (bounded): a few hundred KiB at most
_SEEN: set[int] = set()  # hashes of keys seen once (a plan is made the second time)
_SEEN_MAX = 4096
_SHEETS: dict[int, tuple] = {}  # id(Bang) → (Bang, unit, reading, ComputedTable): kept alive
_SHEETS_MAX = 64


_RECENT: dict[tuple, list] = {}  # (unit, reading) → the plans used last, the latest first
_RECENT_MAX = 4


def _remember(plan: Plan, unit: str | None, reading: tuple[str, str]) -> None:
    recent = _RECENT.get((unit, reading))
    if recent is None:
        if len(_RECENT) >= 8:
            _RECENT.clear()
        recent = _RECENT[(unit, reading)] = []
    elif recent[0] is plan:
        return
    if plan in recent:
        recent.remove(plan)
    recent.insert(0, plan)
    del recent[_RECENT_MAX:]


def clear() -> None:
    """Forget every plan (tests)."""
    _RECENT.clear()
    _PLANS.clear()
    _SEEN.clear()
    _SHEETS.clear()
    _PLACED.clear()


# Batch rows' tables made from one draft's table by placing values at the same paths
# (inputs/rows.RowTemplate.under), by that table (kept alive), the paths and the
# reading: the plan of their structure, which figure each placed value is and the
# figures no row places, or no plan when the values placed are not all figures that
# leave the structure as it is (each row is then matched as any other).
_PLACED: dict[tuple, tuple] = {}
_PLACED_MAX = 64


def _placed_figures(table: dict, unit: str | None, reading: tuple[str, str], base: Any, paths: tuple,
                    values: tuple) -> tuple[Plan, list] | None:
    """The plan and the figures of `table`, a copy of `base` with `values` placed at
    `paths` (relative to the table), as :func:`_match` would find them; None when not
    known so (the match then decides)."""
    key = (id(base), id(paths), unit, reading)  # the paths are the template's own tuple: not hashed per row
    entry = _PLACED.get(key)
    if entry is None or entry[0] is not base or entry[1] is not paths:
        entry = _placed_entry(table, base, paths, unit, reading)
        if entry is None:
            return None
        if len(_PLACED) >= _PLACED_MAX:
            _PLACED.clear()
        _PLACED[key] = entry
    _, _, plan, slots, fixed = entry
    if plan is None:
        return None
    try:
        if fixed is None:  # every figure placed: `slots` picks them in the figures' order
            placed = slots(values)
            figs = list(map(_AMOUNTS.get, placed, repeat(_MISSING)))  # as _amount, in C for the texts seen
            if not all(map(is_not, figs, repeat(_MISSING))):  # by identity, as _FlatRows.figures
                figs = list(map(_amount, placed))
            return plan, figs
        figs = list(fixed)
        for slot, x in zip(slots, values):
            figs[slot] = _amount(x)
    except Exception:  # noqa: BLE001 - a value that is not a figure: the match's way words it
        return None
    return plan, figs


def _placed_entry(table: dict, base: Any, paths: tuple, unit: str | None, reading: tuple[str, str]) -> tuple | None:
    """`_PLACED`'s entry, from a row's table; None when this row cannot tell (a
    figure of its own that does not parse, no plan made yet for the structure)."""
    try:
        key, figs = skeleton(table)
        markers: list = []
        _, marked = _Walk(markers).table(table)
    except Exception:  # noqa: BLE001 - this row's own value: the next row may tell
        return None
    plan = _PLANS.get((key, unit, reading), False)
    if plan is False:
        return None
    slot_at: dict[tuple, int] = {}
    _marker_paths(marked, (), {id(m): i for i, m in enumerate(markers)}, slot_at)
    slots = [slot_at.get(p) for p in paths]
    # A figure alone under so_lieu or tong reads a blank as no figure at all (another
    # structure); any other value placed changes the structure itself.
    if plan is None or plan.nfigs != len(markers) or None in slots or any(map(_alone_figure, paths)):
        return (base, paths, None, None, None)
    if sorted(slots) == list(range(len(figs))):
        return (base, paths, plan, _picker(sorted(range(len(slots)), key=slots.__getitem__)), None)
    fixed = [None if i in slots else f for i, f in enumerate(figs)]
    return (base, paths, plan, tuple(slots), fixed)


def _marker_paths(value: Any, path: tuple, index: dict[int, int], out: dict[tuple, int]) -> None:
    """The path of each marker inside `value` (a table walked with markers)."""
    if id(value) in index:
        out[path] = index[id(value)]
    elif type(value) is dict:
        for k, v in value.items():
            _marker_paths(v, path + (k,), index, out)
    elif type(value) is list:
        for i, v in enumerate(value):
            _marker_paths(v, path + (i,), index, out)


def _alone_figure(path: tuple) -> bool:
    """Is the figure at `path` the table's or a row's only one (``tong: 5``,
    ``so_lieu: 5``), not one of a mapping or list of figures?"""
    return path == ("tong",) or (len(path) >= 3 and path[-1] == "so_lieu" and type(path[-2]) is int
                                 and path[-3] == "dong")


def computed(table: Any, *, unit: str | None = None, zero_tens: str = "linh", four: str = "tư",
             placed: tuple[Any, tuple, tuple] | None = None) -> ComputedTable:
    """``compute(parse_table(table))`` (or ``compute(table)`` for a typed table): the
    same result, the same TableError, the structure compiled once per batch.
    `placed`: for a batch row's table, (the draft's table it is a copy of, the paths
    of the values the row placed in it, relative to the table, and those values).

    The result may be shared with other rows (a sheet's table): read it, never change it.
    """
    reading = (zero_tens, four)
    if isinstance(table, Bang):  # a sheet's table: the same object for every row
        found = _SHEETS.get(id(table))
        if found is not None and found[0] is table and found[1] == unit and found[2] == reading:
            return found[3]
        result = compute(table, unit=unit, zero_tens=zero_tens, four=four)
        if len(_SHEETS) >= _SHEETS_MAX:
            _SHEETS.clear()
        _SHEETS[id(table)] = (table, unit, reading, result)
        return result
    if type(table) is not dict:
        return compute(parse_table(table), unit=unit, zero_tens=zero_tens, four=four)
    if placed is not None:  # a batch row: its figures are the values it placed
        found = _placed_figures(table, unit, reading, *placed)
        if found is not None:
            plan, figs = found
            plan.base = table  # as after a match: the next row without `placed` is matched against this one
            result = plan.compute(figs)
            if result is not None:
                return result
    recent = _RECENT.get((unit, reading))
    if recent:
        for plan in recent:  # a batch row: the table of a plan just used, with its own figures
            figs = _match(plan.base, table, plan.match_rows)
            if figs is not None and len(figs) == plan.nfigs:
                # The next row is made from the same draft as this one: its unchanged
                # values are this table's very objects (matched by identity then).
                plan.base = table
                result = plan.compute(figs)
                if result is not None:
                    return result
                return compute(parse_table(table), unit=unit, zero_tens=zero_tens, four=four)
    try:
        key, figs = skeleton(table)
    except Exception:  # noqa: BLE001 - a value the plan does not read: the parser words it
        return compute(parse_table(table), unit=unit, zero_tens=zero_tens, four=four)
    key = (key, unit, reading)
    plan = _PLANS.get(key, False)
    if plan is False:
        h = hash(key)
        if h not in _SEEN:
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            _SEEN.add(h)
            return compute(parse_table(table), unit=unit, zero_tens=zero_tens, four=four)
        _SEEN.discard(h)
        try:
            plan = Plan(table, unit, reading)
        except (_Unplannable, TableError):
            plan = None
        except Exception:  # noqa: BLE001 - never let the plan fail where the whole way does not
            plan = None
        if len(_PLANS) >= _PLANS_MAX:
            del _PLANS[next(iter(_PLANS))]
        _PLANS[key] = plan
    if plan is not None and len(figs) == plan.nfigs:
        _remember(plan, unit, reading)
        plan.base = table  # the same skeleton: the next row is matched against this one
        result = plan.compute(figs)
        if result is not None:
            return result
    return compute(parse_table(table), unit=unit, zero_tens=zero_tens, four=four)
