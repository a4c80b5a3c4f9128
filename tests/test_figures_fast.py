"""A table's figures for quoting (tables/compute.Figures) made when first read: the
same as made at once, made once, and no other name."""

from __future__ import annotations

from decimal import Decimal

from drafter.tables.compute import GroupsView, LineFigures, compute
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
    eager = [LineFigures(table.total, {}, table.measures, fig._groups(table.total))] + \
        [LineFigures(line, {}, table.measures, fig._groups(line)) for line in table.lines]
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
