"""A table's figures for quoting (tables/compute.Figures) made when first read: the
same as made at once, made once, and no other name; each figure an attribute of its
own, read as its look-up gives it (the object's own names first)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from drafter.tables.compute import Amount, GroupsView, Line, LineFigures, Measure, _MeasureFigures, compute
from drafter.tables.model import parse_table

TABLE = {"nhom": ["Năm 2025", "Năm 2026"],
         "chi_tieu": [{"ma": "so_luong", "ten": "Số lượng"}, {"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}],
         "dong": [{"noi_dung": "A", "so_lieu": {"Năm 2025": [1, 5], "Năm 2026": [2, "7"]}},
                  {"noi_dung": "B", "so_lieu": {"Năm 2025": [None, 3], "Năm 2026": [4, None]}}],
         "tong_cot": True, "tong_cong": True, "bang_chu": "kinh_phi"}


def _read(fig):
    """Everything a reference can print of a row's or the totals' figures."""
    out: dict = {"tt": fig.tt, "ten": fig.ten, "dvt": fig.dvt, "groups": len(list(fig.nhom))}
    for i in range(len(fig.nhom)):
        for m in ("so_luong", "kinh_phi"):
            try:
                a = fig.nhom[i][m]
                out[(i, m)] = (str(a), a.chu, a.voi_dvt)
            except AttributeError as exc:
                out[(i, m)] = str(exc)
    return out


def test_a_lines_groups_made_when_read_are_the_ones_made_at_once():
    table = compute(parse_table(TABLE), unit="triệu đồng")
    fig = table.figures
    lazy = [fig.tong] + [fig.dong[ref] for ref in fig.dong]
    assert all("nhom" not in f.__dict__ for f in lazy)  # not made until read
    eager = [LineFigures(table.total, {}, table.measures, fig._made.groups(table.total))] + \
        [LineFigures(line, {}, table.measures, fig._made.groups(line)) for line in table.lines]
    assert all(isinstance(f.__dict__["nhom"], GroupsView) for f in eager)
    assert [_read(f) for f in lazy] == [_read(f) for f in eager]
    assert fig.tong.nhom is fig.tong.nhom and fig.nhom is fig.tong.nhom  # made once
    assert fig.tong.kinh_phi.so == Decimal(15)
    assert fig.references()["tong.nhom.nam_2026.kinh_phi"] == "7"


def test_the_figures_names_are_made_once_and_others_are_missing():
    fig = compute(parse_table(TABLE), unit="triệu đồng").figures
    assert fig.tong is fig.tong and fig.dong is fig.dong
    for name in ("tongx", "_table_x", "__deepcopy__"):
        assert not hasattr(fig, name)


# Measures named as a line's own attributes (the table model refuses the reserved ones;
# the figures' objects do not rely on it), one starting with '_', one left blank.
MEASURES = [Measure("tt", "Thứ tự", False, False), Measure("nhom", "Nhóm", False, False),
            Measure("_rieng", "Riêng", False, False), Measure("kinh_phi", "Kinh phí", True, False),
            Measure("so_luong", "Số lượng", False, False), Measure("trong", "Trống", False, False)]
NAMES = ["tt", "ten", "dvt", "nhom", "_rieng", "kinh_phi", "so_luong", "trong", "Kinh phí", "Số lượng", "khong_co",
         "_amounts"]


def _amounts():
    return {m.ma: (Amount(Decimal(i + 1), "triệu đồng") if m.ma != "trong" else None) for i, m in enumerate(MEASURES)}


def _as_before(fig, name, line=None):
    """An attribute as read before each figure was an attribute of its own: the
    object's own attributes, else __getattr__ (no name starting with '_', else [name])."""
    if line is not None and name in ("tt", "ten", "dvt"):
        return getattr(line, {"tt": "label", "ten": "text", "dvt": "dvt"}[name])
    if line is not None and name == "nhom":
        return "groups"
    if name == "_amounts":
        return "amounts"
    if name.startswith("_"):
        return AttributeError
    try:
        return str(fig[name])
    except AttributeError as exc:
        return str(exc)


def _now(fig, name):
    try:
        value = getattr(fig, name)
    except AttributeError as exc:
        return AttributeError if name.startswith("_") else str(exc)
    if isinstance(value, GroupsView):
        return "groups"
    if isinstance(value, dict):
        return "amounts"
    return value if isinstance(value, str) or value is None else str(value)


@pytest.mark.parametrize("lazy", [True, False])
def test_each_figure_read_as_an_attribute_is_what_its_lookup_gives(lazy):
    line = Line("dong", 1, "1", "1", "Đào tạo", "Đề án")
    groups = GroupsView([], {"": _MeasureFigures(_amounts(), MEASURES)})
    fig = LineFigures(line, _amounts(), MEASURES, (lambda: groups) if lazy else groups)
    for name in NAMES:
        assert _now(fig, name) == _as_before(fig, name, line), name
    group = _MeasureFigures(_amounts(), MEASURES)
    for name in NAMES:
        assert _now(group, name) == _as_before(group, name), name
    assert fig.kinh_phi.so == Decimal(4) and fig.tt == "1" and "trong" not in vars(fig)


def test_a_table_and_its_figures_are_freed_without_the_collector():
    # A batch makes a table for every row: one held in a reference cycle (its figures
    # pointing back at it, a figure's maker at the figures) waits for the next
    # collection, and its memory is not reused while still in the cache.
    import copy
    import gc
    import weakref

    from drafter.tables.plan import computed

    def quoted(table):
        fig = table.figures
        text = [str(fig.tong.kinh_phi), fig.tong.nhom[0].kinh_phi.chu, str(fig.dong["1"].nhom[1].so_luong),
                str(fig.nhom[1].kinh_phi), fig.bang_chu]
        return weakref.ref(table), weakref.ref(fig), text

    collecting = gc.isenabled()
    gc.disable()
    try:
        for make in (lambda: compute(parse_table(TABLE), unit="triệu đồng"),
                     lambda: computed(copy.deepcopy(TABLE), unit="triệu đồng")):
            for _ in range(3):  # the third: a plan's table (tables/plan, made the second time)
                table_ref, fig_ref, text = quoted(make())
                assert text[0] == "15" and text[-1]
                assert table_ref() is None and fig_ref() is None
    finally:
        if collecting:
            gc.enable()
