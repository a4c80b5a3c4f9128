"""Derived figures of a budget table: numbering, subtotals, totals, words.

Pure: a validated :class:`~drafter.tables.model.Bang` in, a :class:`ComputedTable`
out, or a :class:`~drafter.tables.model.TableError` listing *every* problem.

What is derived (never typed, and checked when typed anyway):

* row numbers: sections ``I, II…`` (Roman), items ``1, 2…``, sub-items ``a, b…`` in
  the Vietnamese alphabet (no f, j, w, z);
* for each **summed** measure (``cong``): an item's figures from its sub-items, a
  section's from its items, and the ``Tổng cộng`` row from the top rows;
* for each measure summed **across** groups (``cong_ngang``): the total column group
  of every row (``Tổng cộng`` of Số lượng of one row is meaningful: one unit);
* the grand total of each summed measure, and its reading in words with the unit
  ("triệu đồng" × 10⁶ → "Tám tỷ ba trăm bảy mươi tư triệu đồng").

A measure that is not summed (Số lượng: rows have different units) stays as typed on
every row; the Tổng cộng row leaves it blank.

Quoting figures in the body: :class:`Figures` (``computed.figures``) — see its
docstring and docs/tables.md for the reference names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from difflib import get_close_matches
from typing import Any

from drafter.rules.numbering import diem_letter, roman
from drafter.rules.numbers import format_number
from drafter.rules.words import amount_in_words, read_number

from .model import (
    DEFAULT_TOTAL_LABEL,
    Bang,
    CotDau,
    Dong,
    Muc,
    TableError,
    TableProblem,
    norm_name,
    shown,
)

__all__ = [
    "Amount",
    "ComputedTable",
    "Figures",
    "Group",
    "Line",
    "Measure",
    "compute",
    "money_factor",
    "words_for",
]

# Units of money and their value in đồng: a table kept in "triệu đồng" reads its
# total 8.374 as 8.374.000.000 đồng in words.
_MONEY_UNITS = {
    "đồng": 1, "đ": 1, "vnđ": 1, "vnd": 1, "việt nam đồng": 1,
    "nghìn đồng": 10**3, "ngàn đồng": 10**3, "1.000 đồng": 10**3, "1000 đồng": 10**3,
    "triệu đồng": 10**6, "tr.đ": 10**6, "trđ": 10**6, "tr đồng": 10**6,
    "tỷ đồng": 10**9, "tỉ đồng": 10**9,
}  # fmt: skip


@lru_cache(maxsize=256)  # a batch's tables have a unit or two
def money_factor(unit: str | None) -> int | None:
    """Value of one ``unit`` in đồng, or None when ``unit`` is not money."""
    if not unit:
        return None
    return _MONEY_UNITS.get(norm_name(unit))


def words_for(value: Decimal, unit: str | None, *, zero_tens: str = "linh", four: str = "tư") -> str:
    """An amount in words, capitalised, no full stop.

    Money units are converted to đồng first ("triệu đồng": 8.374 → "Tám tỷ ba trăm bảy
    mươi tư triệu đồng"); any other unit is read after the number ("Hai mươi mốt cơ sở").
    """
    # Keyed by the Decimal's text (5 == 5.0, but they are read differently); a total is
    # read twice per document (the words under the table, `….chu` in the text).
    return _words_for(str(value), unit, zero_tens, four)


@lru_cache(maxsize=1024)
def _words_for(text: str, unit: str | None, zero_tens: str, four: str) -> str:
    value = Decimal(text)
    factor = money_factor(unit)
    if factor is not None:
        return amount_in_words(value * factor, currency="đồng", zero_tens=zero_tens, four=four)
    text = read_number(value, zero_tens=zero_tens, four=four)
    if unit:
        unit = unicodedata.normalize("NFC", unit).strip()
        # A unit capitalised as a column label reads in lower case ("Cơ sở" → "cơ sở");
        # an abbreviation keeps its capitals ("DN", "CCN").
        if len(unit) > 1 and unit[1].islower():
            unit = unit[0].lower() + unit[1:]
        text = f"{text} {unit}"
    return text[0].upper() + text[1:]


# --------------------------------------------------------------------------- results


def made_when_read(obj: Any, name: str, wanted: str, maker: str) -> Any:
    """``obj.<wanted>`` made by the callable kept in ``obj.__dict__[maker]`` the first
    time it is read (a plan's table and grid: their rows only when something reads
    them); AttributeError for any other missing name. For ``__getattr__``."""
    if name == wanted:
        make = obj.__dict__.get(maker)
        if make is not None:
            value = obj.__dict__[wanted] = make()
            return value
    raise AttributeError(name)


@dataclass(frozen=True)
class Group:
    ma: str
    ten: str


@dataclass(frozen=True)
class Measure:
    ma: str
    ten: str
    cong: bool  # summed down the rows
    cong_ngang: bool  # summed across groups into the total column
    dvt: str | None = None


NO_GROUP = ""  # the group key of every figure when the table has no column groups


@dataclass
class Line:
    """One printed row with all its figures (typed or derived)."""

    kind: str  # "muc" (section), "dong" (item or sub-item), "tong" (the Tổng cộng row)
    level: int  # 0 section, 1 item, 2 sub-item; the Tổng cộng row is 0
    label: str  # the TT cell: "II", "3", "a"; "" for the Tổng cộng row
    ref: str  # reference name: "II", "II.3", "II.3.a" ("3", "3.a" without sections); "tong"
    text: str
    dvt: str | None
    values: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)  # (group ma, measure ma)
    totals: dict[str, Decimal | None] = field(default_factory=dict)  # total column, by measure ma
    path: tuple = ()  # key path inside the table mapping

    def value(self, group: str, measure: str) -> Decimal | None:
        return self.values.get((group, measure))


@dataclass
class ComputedTable:
    """Everything a layout or a template needs; no further arithmetic downstream."""

    headers: CotDau  # labels of TT / Nội dung / ĐVT (dvt None: no unit column)
    groups: list[Group]  # [] when the table has no column groups
    measures: list[Measure]
    group_title: str | None  # header row over all groups (tieu_de_nhom)
    total_column: str | None  # label of the total column group, None when absent
    lines: list[Line]  # printed rows, in order, without the Tổng cộng row
    total: Line  # the Tổng cộng row (always computed)
    show_total: bool  # print the Tổng cộng row
    unit: str | None  # the table's unit (Đơn vị tính)
    grand: dict[str, Decimal]  # grand total of each summed measure (across groups)
    words_measure: str | None
    words: str | None  # "Tám tỷ ba trăm bảy mươi tư triệu đồng"
    warnings: list[str] = field(default_factory=list)
    reading: tuple[str, str] = field(repr=False, default=("linh", "tư"))  # tuy_chon's reading of the words
    # The compiled structure it was made from (tables/plan), for the grid and its XML
    # to fill only the figures; None for a table computed the whole way.
    plan: Any = field(repr=False, compare=False, default=None)

    def __getattr__(self, name: str) -> Any:
        # A table filled from its plan (tables/plan) makes its lines when first read:
        # a batch row's document needs only the figures' sums, texts and widths.
        return made_when_read(self, name, "lines", "_make_lines")

    @property
    def figures(self) -> Figures:
        """What the body text may quote from this table, made anew when asked (each
        caller reads it once): kept in the table, it would hold the table back, a
        reference cycle left for the collector in every row of a batch."""
        return Figures(self)

    @property
    def group_keys(self) -> list[str]:
        return [g.ma for g in self.groups] or [NO_GROUP]

    @property
    def total_measures(self) -> list[Measure]:
        """Measures shown in the total column group."""
        return [m for m in self.measures if m.cong_ngang] if self.total_column else []

    @property
    def bang_chu_line(self) -> str | None:
        """The whole line under the table: "Bằng chữ: Tám tỷ … đồng."."""
        return f"Bằng chữ: {self.words}." if self.words else None


# --------------------------------------------------------------------------- figures


@lru_cache(maxsize=2048)  # the same amounts recur across a batch's rows (a total: its cell and its quote); more kept only memory
def formatted(text: str) -> str:
    """``format_number`` of a Decimal given by its own text (5 == 5.0, but 5.0 prints "5,0")."""
    return format_number(Decimal(text))


class Amount:
    """A derived figure for templates: ``{{ x }}`` prints ``8.374``.

    ``x.so`` is the Decimal, ``x.chu`` the words ("Tám tỷ ba trăm bảy mươi tư triệu
    đồng"), ``x.voi_dvt`` the number with its unit ("8.374 triệu đồng"), ``x.dvt`` the unit.
    """

    __slots__ = ("so", "dvt", "_reading")

    def __init__(self, value: Decimal, unit: str | None, reading: tuple[str, str] = ("linh", "tư")):
        self.so = value
        self.dvt = unit
        self._reading = reading

    def __str__(self) -> str:
        return formatted(str(self.so))

    def __repr__(self) -> str:
        return f"Amount({format_number(self.so)!r}, {self.dvt!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Amount):
            return self.so == other.so and self.dvt == other.dvt
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.so, self.dvt))

    @property
    def chu(self) -> str:
        return words_for(self.so, self.dvt, zero_tens=self._reading[0], four=self._reading[1])

    @property
    def voi_dvt(self) -> str:
        return f"{self} {self.dvt}" if self.dvt else str(self)


def _missing(what: str, name: str, known: list[str]) -> AttributeError:
    near = get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" Có phải ý bạn là '{near[0]}'?" if near else (f" Các tên có: {', '.join(known)}." if known else "")
    return AttributeError(f"Bảng không có {what} '{name}'.{hint}")


class _MeasureFigures:
    """Figures of one line (or one group of a line), by measure ``ma``."""

    def __init__(self, amounts: dict[str, Amount | None], measures: list[Measure], reserved: tuple[str, ...] = ()):
        self._amounts = amounts
        self._measures = measures
        # Each figure also an attribute by its measure's ma (what __getitem__ gives for
        # it), but the names the object's own attributes hold (`reserved`): `.kinh_phi`
        # read at once, where a missing attribute reaches __getattr__ through an
        # exception. A figure left blank stays a look-up (its message).
        own = self.__dict__
        for ma, amount in amounts.items():
            if amount is not None and ma not in own and ma not in reserved and not ma.startswith("_"):
                own[ma] = amount

    def __getattr__(self, name: str) -> Amount:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> Amount:
        measure = _find(self._measures, name)
        if measure is None:
            raise _missing("chỉ tiêu", name, [m.ma for m in self._measures])
        amount = self._amounts.get(measure.ma)
        if amount is None:
            raise AttributeError(f"Chỉ tiêu '{measure.ten}' không có số liệu ở đây.")
        return amount

    def __contains__(self, name: str) -> bool:
        m = _find(self._measures, name)
        return m is not None and self._amounts.get(m.ma) is not None


class GroupsView:
    """The groups of a line: ``nhom.nam_2018``, ``nhom["Năm 2018"]`` or ``nhom[0]``."""

    def __init__(self, groups: list[Group], by_group: dict[str, _MeasureFigures]):
        self._groups = groups
        self._by_group = by_group

    def __getattr__(self, name: str) -> _MeasureFigures:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, key: int | str) -> _MeasureFigures:
        if isinstance(key, int):
            if not -len(self._groups) <= key < len(self._groups):
                raise IndexError(f"Bảng chỉ có {len(self._groups)} nhóm cột.")
            return self._by_group[self._groups[key].ma]
        group = _find(self._groups, key)
        if group is None:
            raise _missing("nhóm cột", str(key), [g.ma for g in self._groups])
        return self._by_group[group.ma]

    def __iter__(self) -> Iterator[_MeasureFigures]:
        return (self._by_group[g.ma] for g in self._groups)

    def __len__(self) -> int:
        return len(self._groups)


_LINE_NAMES = ("tt", "ten", "dvt", "nhom")  # a line's own attributes: a measure of that ma is read by [ma]


class LineFigures(_MeasureFigures):
    """One row's figures: ``.kinh_phi`` (its total across groups — or its only value
    without groups), ``.nhom.<group>.<measure>``, and ``.tt``, ``.ten``, ``.dvt``."""

    def __init__(self, line: Line, amounts: dict[str, Amount | None], measures: list[Measure],
                 nhom: GroupsView | Callable[[], GroupsView]):
        super().__init__(amounts, measures, _LINE_NAMES)
        self.tt = line.label
        self.ten = line.text
        self.dvt = line.dvt
        if isinstance(nhom, GroupsView):
            self.nhom = nhom
        else:
            self._make_nhom = nhom

    def __getattr__(self, name: str) -> Any:
        # The groups' figures made when first read (given as their maker): a text
        # quotes a row's or the totals' figures, seldom one group's.
        if name == "nhom" and "_make_nhom" in self.__dict__:
            return made_when_read(self, name, "nhom", "_make_nhom")
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]


class _LazyRows(dict):
    """Reference → :class:`LineFigures`, each made on first use from its line (by
    ``make``); the same mapping as making them all at once (a later line with the same
    reference wins, as in a dict built in order)."""

    __slots__ = ("_make",)

    def __init__(self, lines: list[Line], make):
        super().__init__((line.ref, line) for line in lines)
        self._make = make

    def __getitem__(self, key: str) -> LineFigures:
        value = dict.__getitem__(self, key)
        if isinstance(value, Line):
            value = self._make(value)
            dict.__setitem__(self, key, value)
        return value


class RowsView:
    """Rows by reference: ``dong["III.2"]``, ``dong["I"]``."""

    def __init__(self, rows: dict[str, LineFigures]):
        self._rows = rows

    def __getitem__(self, ref: str) -> LineFigures:
        key = str(ref).strip().rstrip(".")
        if key not in self._rows:
            raise _missing("dòng", key, list(self._rows))
        return self._rows[key]

    def __contains__(self, ref: str) -> bool:
        return str(ref).strip().rstrip(".") in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class Figures:
    """What the body text may quote from a table (``phu_luc[i]`` in templates).

    ================================  ==========================================
    ``tong.kinh_phi``                 grand total of a measure, "8.374"
    ``tong.kinh_phi.so``              the same as Decimal('8374')
    ``tong.kinh_phi.chu``             "Tám tỷ ba trăm bảy mươi tư triệu đồng"
    ``tong.kinh_phi.voi_dvt``         "8.374 triệu đồng"
    ``tong.nhom.nam_2018.kinh_phi``   one group's total (also ``nhom["Năm 2018"]``,
                                      ``nhom[0]``); ``nhom`` alone = ``tong.nhom``
    ``dong["III.2"].so_luong``        a row's figure across groups ("21"), and
                                      ``dong["III.2"].nhom.nam_2020.kinh_phi``
    ``bang_chu``                      words of the ``bang_chu`` measure's total
    ``don_vi_tinh``                   the table's unit ("triệu đồng")
    ================================  ==========================================

    Measure and group names are their ``ma`` (derived from the name when not typed:
    "Kinh phí" → ``kinh_phi``, "Năm 2018" → ``nam_2018``). Asking for a name that does
    not exist raises AttributeError with a Vietnamese message naming the near one.
    """

    def __init__(self, table: ComputedTable):
        self._made = made = _Made(table)
        self._line = made.line  # (kept bound: read for every row quoted)
        self.don_vi_tinh = table.unit
        self.bang_chu = table.words

    # The rows (each made when first quoted: a text quotes few rows, most only the
    # totals), the totals and their groups, each made when first read and kept: a batch
    # makes this object for every document, and most texts quote nothing, or only the
    # totals. (Read through __getattr__, called only for a name not kept yet: a
    # cached_property takes a lock on each first read.)
    def __getattr__(self, name: str) -> Any:
        if name == "tong":
            table = self._made.table
            value: Any = self._line(table.total, grand=table.grand)
        elif name == "dong":
            value = RowsView(_LazyRows(self._made.table.lines, self._line))
        elif name == "nhom":
            value = self.tong.nhom
        else:
            raise AttributeError(name)
        self.__dict__[name] = value
        return value

    def references(self) -> dict[str, str]:
        """Every reference name with the text it prints (for docs and checks)."""
        out: dict[str, str] = {}
        t = self._made.table

        def add_line(prefix: str, fig: LineFigures, words: bool) -> None:
            for m in t.measures:
                if m.ma in fig:
                    out[f"{prefix}.{m.ma}"] = str(fig[m.ma])
                    if words:
                        out[f"{prefix}.{m.ma}.chu"] = fig[m.ma].chu
            for g in t.groups:
                for m in t.measures:
                    if m.ma in fig.nhom[g.ma]:
                        out[f"{prefix}.nhom.{g.ma}.{m.ma}"] = str(fig.nhom[g.ma][m.ma])

        add_line("tong", self.tong, True)
        for ref in self.dong:
            add_line(f'dong["{ref}"]', self.dong[ref], False)
        if self.bang_chu:
            out["bang_chu"] = self.bang_chu
        if self.don_vi_tinh:
            out["don_vi_tinh"] = self.don_vi_tinh
        return out


class _Made:
    """What :class:`Figures` makes its figures with (the table and its reading), apart
    from it: the makers a figure keeps for later (a row's groups, the rows) hold this,
    not the Figures holding them — no reference cycle, so a batch row's table and
    figures are freed the moment the row is done, not at the next collection (the
    memory reused while still in the cache)."""

    __slots__ = ("table", "reading")

    def __init__(self, table: ComputedTable):
        self.table = table
        self.reading = table.reading

    def unit(self, measure: Measure, line: Line) -> str | None:
        if measure.dvt:
            return measure.dvt
        return self.table.unit if measure.cong else line.dvt

    def amount(self, value: Decimal | None, measure: Measure, line: Line, zero: bool) -> Amount | None:
        if value is None:
            if not zero:
                return None
            value = Decimal(0)
        return Amount(value, self.unit(measure, line), self.reading)

    def groups(self, line: Line) -> GroupsView:
        """The figures of each group of `line` (``.nhom``)."""
        t = self.table
        measures = t.measures
        # Summed measures of the Tổng cộng row are 0, not missing, when nothing was typed.
        zero = line.kind == "tong"
        by_group = {}
        for g in t.group_keys:
            by_group[g] = _MeasureFigures(
                {m.ma: self.amount(line.value(g, m.ma), m, line, zero and m.cong) for m in measures},
                measures,
            )
        return GroupsView(t.groups, by_group)

    def line(self, line: Line, grand: dict[str, Decimal] | None = None) -> LineFigures:
        t = self.table
        measures = t.measures
        across: dict[str, Amount | None] = {}
        for m in measures:
            if grand is not None:
                value = grand.get(m.ma)
                across[m.ma] = self.amount(value, m, line, False) if value is not None else None
            elif not t.groups:
                across[m.ma] = self.amount(line.value(NO_GROUP, m.ma), m, line, False)
            elif m.cong_ngang:
                across[m.ma] = self.amount(_sum(line.value(g, m.ma) for g in t.group_keys), m, line, False)
            else:
                across[m.ma] = None
        return LineFigures(line, across, measures, lambda: self.groups(line))


def _find(items: list, name: Any) -> Any:
    """An item (group or measure) by its ``ma`` or its name as shown."""
    key = str(name)
    for item in items:
        if item.ma == key:
            return item
    wanted = norm_name(key)
    for item in items:
        if norm_name(item.ten) == wanted:
            return item
    return None


def _sum(values) -> Decimal | None:
    """Sum of the figures present; None when there is none (a blank stays blank)."""
    total: Decimal | None = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
    return total


# --------------------------------------------------------------------------- compute


class _Computer:
    def __init__(self, table: Bang, unit: str | None, reading: tuple[str, str]):
        self.table = table
        self.unit = unicodedata.normalize("NFC", unit).strip() if unit else None
        self.reading = reading
        self.problems: list[TableProblem] = []
        self.groups = [Group(g.ma, g.ten) for g in table.nhom]
        self.measures = [Measure(m.ma, m.ten, bool(m.cong), m.cong_ngang, m.dvt) for m in table.chi_tieu]
        self.total_column = table.tong_cot if self.groups else None
        self.keys = [g.ma for g in self.groups] or [NO_GROUP]
        summed = [m for m in self.measures if m.cong]
        self.only_summed = summed[0] if len(summed) == 1 else None

    # ---- problems

    def problem(self, message: str, path: tuple, **kw: Any) -> None:
        file = line = column = None
        if self.table.source_file:
            file = self.table.source_file
            line, column = self.table.source_line(path)
        self.problems.append(TableProblem(message, path=path, file=file, line=line, column=column, **kw))

    def column_name(self, group: str, measure: Measure | str) -> str:
        mname = measure.ten if isinstance(measure, Measure) else measure
        if group == NO_GROUP:
            return mname
        gname = next((g.ten for g in self.groups if g.ma == group), group)
        return f"{gname} – {mname}"

    # ---- typed figures

    def resolve(self, raw: Any, path: tuple, row: str, subtotal: bool, ref: str = "") -> tuple[dict, dict]:
        """Typed figures → ({(group, measure): value}, {measure: typed total column})."""
        values: dict[tuple[str, str], Decimal | None] = {}
        totals: dict[str, Decimal | None] = {}
        if raw is None:
            return values, totals
        if not self.groups:
            for m, v in self.measure_values(raw, path, row, self.measures, subtotal, ref).items():
                values[(NO_GROUP, m)] = v
            return values, totals
        if not isinstance(raw, dict):
            names = ", ".join(g.ten for g in self.groups)
            self.problem(
                f"Dòng {row}: số liệu phải ghi theo từng nhóm cột ({names}), ví dụ "
                f"so_lieu: {{{self.groups[0].ten}: [..]}}.",
                path, row=ref or row,
            )
            return values, totals
        for key, v in raw.items():
            group = _find(self.groups, key)
            if group is None and self.total_column and norm_name(key) == norm_name(self.total_column):
                total_measures = [m for m in self.measures if m.cong_ngang]
                totals.update(self.measure_values(v, path + (key,), row, total_measures, True, ref))
                continue
            if group is None:
                known = [g.ten for g in self.groups] + ([self.total_column] if self.total_column else [])
                near = get_close_matches(norm_name(key), [norm_name(k) for k in known], n=1, cutoff=0.6)
                hint = ""
                if near:
                    hint = f" Có phải ý bạn là '{known[[norm_name(k) for k in known].index(near[0])]}'?"
                self.problem(
                    f"Dòng {row}: không có nhóm cột '{key}'. Các nhóm cột: {', '.join(known)}.{hint}",
                    path + (key,), row=ref or row, key=str(key),
                )
                continue
            for m, value in self.measure_values(v, path + (key,), row, self.measures, subtotal, ref).items():
                values[(group.ma, m)] = value
        return values, totals

    def measure_values(self, raw: Any, path: tuple, row: str, measures: list[Measure], subtotal: bool,
                       ref: str = "") -> dict:
        names = ", ".join(m.ten for m in measures)
        if isinstance(raw, list):
            if len(raw) != len(measures):
                self.problem(
                    f"Dòng {row}: cần {len(measures)} số theo thứ tự [{names}] (để trống ô không có "
                    f"số bằng ~), nhưng gặp {len(raw)} số.",
                    path, row=ref or row,
                )
                return {}
            return {m.ma: v for m, v in zip(measures, raw)}
        if isinstance(raw, dict):
            out = {}
            for key, v in raw.items():
                m = _find(measures, key)
                if m is None:
                    self.problem(
                        f"Dòng {row}: không có chỉ tiêu '{key}' ở đây. Các chỉ tiêu: {names}.",
                        path + (key,), row=ref or row, key=str(key),
                    )
                    continue
                out[m.ma] = v
            return out
        # A single number: the only measure, or on a subtotal the only summed one.
        if len(measures) == 1:
            return {measures[0].ma: raw}
        if subtotal and self.only_summed is not None and self.only_summed in measures:
            return {self.only_summed.ma: raw}
        self.problem(
            f"Dòng {row}: một số đơn lẻ không rõ thuộc chỉ tiêu nào; hãy ghi [{names}] "
            f"hoặc {{{measures[0].ma}: …}}.",
            path, row=ref or row,
        )
        return {}

    # ---- checks

    def check(self, typed: Decimal | None, derived: Decimal | None, *, path: tuple, name: str, ref: str,
              column: str, source: str) -> None:
        """A typed figure that can be derived must equal the derivation."""
        if typed is None:
            return
        if derived is None and typed == 0:
            return
        if derived is not None and typed == derived:
            return
        expected = derived if derived is not None else Decimal(0)
        self.problem(
            f"Dòng {name}, cột “{column}”: số ghi là {shown(typed)} nhưng {source} được "
            f"{shown(expected)}. Hãy sửa số ghi, hoặc bỏ nó đi để drafter tự cộng.",
            path, row=ref, key=column, expected=expected, found=typed,
        )

    # ---- rows

    def row_name(self, ref: str, text: str) -> str:
        short = text if len(text) <= 40 else text[:39].rstrip() + "…"
        return f"{ref} ({short})"

    def build_rows(self) -> list[Line]:
        top = self.table.dong
        sections = [isinstance(r, Muc) for r in top]
        if any(sections) and not all(sections):
            first_item = sections.index(False)
            self.problem(
                "Cấp ngoài cùng của bảng phải đều là mục (khóa muc: I, II…) hoặc đều là dòng "
                f"(khóa noi_dung: 1, 2…); dòng thứ {first_item + 1} là dòng nội dung giữa các mục. "
                "Hãy đưa nó vào một mục, hoặc bỏ các mục.",
                ("dong", first_item),
            )
        lines: list[Line] = []
        for i, row in enumerate(top):
            path = ("dong", i)
            if isinstance(row, Muc):
                label = roman(i + 1)
                lines += self.node(row, row.muc, path, "muc", 0, label, label)
            else:
                label = str(i + 1)
                lines += self.node(row, row.noi_dung, path, "dong", 1, label, label)
        return lines

    def node(self, row: Muc | Dong, text: str, path: tuple, kind: str, level: int, label: str,
             ref: str) -> list[Line]:
        children = row.dong or []
        name = self.row_name(ref, text)
        if children and level >= 2:
            self.problem(
                f"Dòng {name}: bảng có tối đa ba cấp (mục I, II… – dòng 1, 2… – dòng a, b…); "
                "dòng a, b… không có dòng con.",
                path + ("dong",), row=ref,
            )
            children = []
        values, typed_totals = self.resolve(row.so_lieu, path + ("so_lieu",), name, bool(children), ref)
        below: list[Line] = []
        direct: list[Line] = []
        for j, child in enumerate(children):
            child_path = path + ("dong", j)
            if level == 0:
                child_label = str(j + 1)
            else:
                try:
                    child_label = diem_letter(j + 1)
                except ValueError:
                    self.problem(
                        f"Dòng {name} có hơn 23 dòng con a, b… (hết chữ cái tiếng Việt); hãy tách dòng.",
                        child_path, row=ref,
                    )
                    break
            child_lines = self.node(child, child.noi_dung, child_path, "dong", level + 1, child_label,
                                    f"{ref}.{child_label}")
            direct.append(child_lines[0])
            below += child_lines
        if children:
            for g in self.keys:
                for m in self.measures:
                    if not m.cong:
                        continue
                    derived = _sum(c.value(g, m.ma) for c in direct)
                    self.check(values.get((g, m.ma)), derived, path=path + ("so_lieu", self.group_name(g)),
                               name=name, ref=ref, column=self.column_name(g, m), source="cộng các dòng con")
                    values[(g, m.ma)] = derived
        # Every (group, measure) present, None for a blank: one shape whatever the input.
        values = {(g, m.ma): values.get((g, m.ma)) for g in self.keys for m in self.measures}
        line = Line(kind, level, label, ref, text, row.dvt, values, {}, path)
        self.fill_totals(line, typed_totals, name)
        return [line] + below

    def group_name(self, key: str) -> str:
        return next((g.ten for g in self.groups if g.ma == key), key)

    def fill_totals(self, line: Line, typed: dict, name: str) -> None:
        if not self.total_column:
            return
        for m in self.measures:
            if not m.cong_ngang:
                continue
            derived = _sum(line.value(g, m.ma) for g in self.keys)
            self.check(typed.get(m.ma), derived, path=line.path + ("so_lieu", self.total_column),
                       name=name, ref=line.ref, column=f"{self.total_column} – {m.ten}",
                       source="cộng các nhóm cột")
            line.totals[m.ma] = derived

    def build_total(self, lines: list[Line]) -> Line:
        label = self.table.tong_cong or DEFAULT_TOTAL_LABEL
        top = [ln for ln in lines if ln.path and len(ln.path) == 2]
        typed, typed_totals = self.resolve(self.table.tong, ("tong",), f"“{label}”", True, label)
        total = Line("tong", 0, "", "tong", label, None, {}, {}, ("tong",))
        for (g, m_ma), v in typed.items():
            m = _find(self.measures, m_ma)
            if v is not None and not m.cong:
                self.problem(
                    f"Dòng “{label}”, cột “{self.column_name(g, m)}”: chỉ tiêu '{m.ten}' không cộng "
                    "dọc (các dòng có đơn vị khác nhau) nên dòng tổng để trống; bỏ số này, hoặc ghi "
                    f"cong: true cho chỉ tiêu '{m.ten}'.",
                    ("tong", self.group_name(g)) if g else ("tong",),
                    row=label, key=self.column_name(g, m), found=v,
                )
        for g in self.keys:
            for m in self.measures:
                if not m.cong:
                    continue
                derived = _sum(ln.value(g, m.ma) for ln in top)
                self.check(typed.get((g, m.ma)), derived, path=("tong", self.group_name(g)) if g else ("tong",),
                           name=f"“{label}”", ref=label, column=self.column_name(g, m), source="cộng các mục")
                total.values[(g, m.ma)] = derived
        total.values = {(g, m.ma): total.values.get((g, m.ma)) for g in self.keys for m in self.measures}
        if self.total_column:
            for m in self.measures:
                if m.cong_ngang and m.cong:
                    derived = _sum(total.value(g, m.ma) for g in self.keys)
                    self.check(typed_totals.get(m.ma), derived, path=("tong", self.total_column),
                               name=f"“{label}”", ref=label, column=f"{self.total_column} – {m.ten}",
                               source="cộng các nhóm cột")
                    total.totals[m.ma] = derived
                elif typed_totals.get(m.ma) is not None and not m.cong:
                    self.problem(
                        f"Dòng “{label}”, cột “{self.total_column} – {m.ten}”: chỉ tiêu '{m.ten}' "
                        "không cộng dọc nên dòng tổng để trống; bỏ số này.",
                        ("tong", self.total_column), row=label, found=typed_totals.get(m.ma),
                    )
        return total

    def words(self, grand: dict[str, Decimal]) -> tuple[str | None, str | None]:
        choice = self.table.bang_chu
        if choice is None or choice is False:
            return None, None
        if choice is True:
            if self.only_summed is None:
                self.problem(
                    "bang_chu: true chỉ dùng khi bảng có đúng một chỉ tiêu được cộng; hãy ghi mã "
                    "chỉ tiêu, ví dụ bang_chu: kinh_phi.",
                    ("bang_chu",),
                )
                return None, None
            measure = self.only_summed
        else:
            measure = _find(self.measures, choice)
            if measure is None:
                self.problem(
                    f"bang_chu: không có chỉ tiêu '{choice}'. Các chỉ tiêu: "
                    f"{', '.join(m.ma for m in self.measures)}.",
                    ("bang_chu",),
                )
                return None, None
        if measure.ma not in grand:
            self.problem(
                f"bang_chu: chỉ tiêu '{measure.ten}' không được cộng nên không có tổng để đọc "
                "thành chữ; ghi cong: true cho chỉ tiêu này nếu nó là tiền.",
                ("bang_chu",),
            )
            return measure.ma, None
        unit = measure.dvt or self.unit
        if not unit:
            self.problem(
                "bang_chu: cần đơn vị tính (don_vi_tinh, ví dụ triệu đồng) để đọc đúng số tiền "
                "thành chữ.",
                ("bang_chu",),
            )
            return measure.ma, None
        try:
            return measure.ma, words_for(grand[measure.ma], unit, zero_tens=self.reading[0],
                                         four=self.reading[1])
        except ValueError as exc:
            self.problem(f"bang_chu: {exc}", ("bang_chu",))
            return measure.ma, None

    def run(self) -> ComputedTable:
        lines = self.build_rows()
        total = self.build_total(lines)
        grand: dict[str, Decimal] = {}
        for m in self.measures:
            if not m.cong:
                continue
            if not self.groups:
                grand[m.ma] = total.value(NO_GROUP, m.ma) or Decimal(0)
            elif m.cong_ngang:
                grand[m.ma] = _sum(total.value(g, m.ma) for g in self.keys) or Decimal(0)
        words_measure, words = self.words(grand)
        if self.problems:
            raise TableError(self.problems)
        t = self.table
        headers = t.cot_dau
        if "cot_dau" not in t.model_fields_set and not any(ln.dvt for ln in lines):
            headers = headers.model_copy(update={"dvt": None})  # no unit anywhere: no empty column
        result = ComputedTable(
            headers=headers,
            groups=self.groups,
            measures=self.measures,
            group_title=t.tieu_de_nhom if self.groups else None,
            total_column=self.total_column,
            lines=lines,
            total=total,
            show_total=t.tong_cong is not None and any(m.cong for m in self.measures),
            unit=self.unit,
            grand=grand,
            words_measure=words_measure,
            words=words,
            warnings=t.warnings,
            reading=self.reading,
        )
        return result


def compute(table: Bang, *, unit: str | None = None, zero_tens: str = "linh", four: str = "tư") -> ComputedTable:
    """Derive every figure of ``table``; raise TableError listing all problems.

    ``unit`` is the table's unit (``phu_luc[i].don_vi_tinh``), used for the words;
    ``zero_tens`` / ``four`` are the reading options of ``tuy_chon`` ("linh"/"lẻ",
    "tư"/"bốn").
    """
    return _Computer(table, unit, (zero_tens, four)).run()
