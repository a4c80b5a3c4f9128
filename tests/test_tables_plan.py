"""A table's structure compiled once per batch (drafter/tables/plan.py): each row gets
its own figures, totals, words and widths, never another row's; the same result and
the same problems as parsing and computing the table the whole way."""

from __future__ import annotations

import csv
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx_view import W, DocView

from drafter import api, batch
from drafter.render import table_xml
from drafter.render.table_xml import table_markup
from drafter.tables import grid as table_grid
from drafter.tables import plan
from drafter.tables.compute import compute, words_for
from drafter.tables.model import TableError, parse_table


def _whole(data, unit="triệu đồng"):
    """The table computed the whole way (parser and computer), or its problems."""
    try:
        return compute(parse_table(data), unit=unit), None
    except TableError as exc:
        return None, [str(p) for p in exc.problems]


def _planned(data, unit="triệu đồng"):
    try:
        return plan.computed(data, unit=unit), None
    except TableError as exc:
        return None, [str(p) for p in exc.problems]


def _same(a, b) -> None:
    assert (a.lines, a.total, a.grand, a.words, a.headers, a.show_total) == \
        (b.lines, b.total, b.grand, b.words, b.headers, b.show_total)
    assert a.figures.references() == b.figures.references()
    ga, gb = table_grid.build_grid(a), table_grid.build_grid(b)
    assert ga == gb and ga.column_widths() == gb.column_widths()
    assert str(table_markup(ga)) == str(table_markup(gb))


def _table(figures: list, labels=None, *, groups=False, sections=False, total_column=False) -> dict:
    measures = [{"ma": "so_luong", "ten": "Số lượng"}, {"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}]
    labels = labels or [f"Nội dung {i}" for i in range(len(figures))]

    def so_lieu(v, i):
        if groups:
            return {"Năm 2025": [i, v], "Năm 2026": {"kinh_phi": v}}
        return [i or None, v]

    rows = [{"noi_dung": t, "dvt": "Đề án", "so_lieu": so_lieu(v, i)} for i, (t, v) in enumerate(zip(labels, figures))]
    if sections:
        rows = [{"muc": "Phần thứ nhất", "dong": rows[:2]},
                {"muc": "Phần thứ hai", "dong": [{"noi_dung": "Nhóm việc", "dong": rows[2:]}]}]
    data = {"chi_tieu": measures, "dong": rows, "tong_cong": True, "bang_chu": "kinh_phi"}
    if groups:
        data["nhom"] = ["Năm 2025", "Năm 2026"]
    if total_column:
        data["tong_cot"] = True
    return data


@pytest.fixture(autouse=True)
def _fresh():
    plan.clear()
    yield
    plan.clear()


@pytest.mark.parametrize("shape", [{}, {"groups": True}, {"sections": True},
                                   {"groups": True, "sections": True, "total_column": True},
                                   {"groups": True, "total_column": True}])
def test_planned_tables_are_the_whole_ways_tables(shape):
    rng = random.Random(19)
    planned = 0
    for _ in range(25):
        figures = [rng.choice([rng.randint(1, 4000), "", "1.234,5", None, "12.000.000"]) for _ in range(5)]
        data = _table(figures, **shape)
        whole, whole_problems = _whole(data)
        ours, our_problems = _planned(data)
        assert our_problems == whole_problems
        if whole is not None:
            _same(ours, whole)
            planned += ours.plan is not None
    assert planned >= 10  # the plan was used, not only the whole way


def test_one_figure_changed_gives_that_rows_totals_words_and_widths():
    for v in (5, 7, 9):  # the structure seen: a plan is made
        plan.computed(_table([v, 10, 20]), unit="triệu đồng")
    small = plan.computed(_table([5, 10, 20]), unit="triệu đồng")
    big = plan.computed(_table([12_345_678, 10, 20]), unit="triệu đồng")
    assert small.plan is not None and big.plan is small.plan
    assert small.grand == {"kinh_phi": Decimal(35)} and big.grand == {"kinh_phi": Decimal(12_345_708)}
    assert small.words == "Ba mươi lăm triệu đồng"
    assert big.words == ("Mười hai nghìn ba trăm bốn mươi lăm tỷ bảy trăm linh tám triệu đồng")
    assert big.bang_chu_line == f"Bằng chữ: {big.words}."
    assert str(big.figures.tong.kinh_phi) == "12.345.708" and big.figures.tong.kinh_phi.chu == big.words
    assert str(small.figures.dong["1"].kinh_phi) == "5"
    g_small, g_big = table_grid.build_grid(small), table_grid.build_grid(big)
    assert [c.text for c in g_big.rows[1].cells][-1] == "12.345.678"
    assert [c.text for c in g_big.rows[-1].cells][-1] == "12.345.708"
    assert g_big.columns[-1].min_width > g_small.columns[-1].min_width  # wider figures, wider column
    assert g_big.column_widths() != g_small.column_widths()
    for table in (small, big):
        _same(table, _whole(_table([table.lines[0].values[("", "kinh_phi")], 10, 20]))[0])


def test_a_changed_label_or_number_of_rows_is_not_taken_from_a_plan():
    for _ in range(3):
        plan.computed(_table([1, 2, 3]), unit="triệu đồng")
    renamed = plan.computed(_table([1, 2, 3], ["Tập huấn khởi sự doanh nghiệp", "B", "C"]), unit="triệu đồng")
    assert renamed.lines[0].text == "Tập huấn khởi sự doanh nghiệp"
    _same(renamed, _whole(_table([1, 2, 3], ["Tập huấn khởi sự doanh nghiệp", "B", "C"]))[0])
    longer = plan.computed(_table([1, 2, 3, 4]), unit="triệu đồng")
    assert [ln.label for ln in longer.lines] == ["1", "2", "3", "4"] and longer.grand["kinh_phi"] == 10
    assert len(table_grid.build_grid(longer).rows) == 1 + 4 + 1
    other_unit = plan.computed(_table([1, 2, 3]), unit="nghìn đồng")
    assert other_unit.words == "Sáu nghìn đồng"


def test_a_typed_total_that_disagrees_or_a_bad_figure_is_worded_as_the_whole_way():
    for _ in range(3):
        plan.computed(_table([1, 2, 3]), unit="triệu đồng")
    wrong = {**_table([1, 2, 3]), "tong": {"kinh_phi": 7}}
    for _ in range(3):
        assert _planned(wrong)[1] == _whole(wrong)[1] and "được 6" in _planned(wrong)[1][0]
    bad = _table([1, "mười", 3])
    assert _planned(bad)[1] == _whole(bad)[1]
    assert _planned(_table([1, 1.5, 3]))[1] == _whole(_table([1, 1.5, 3]))[1]
    assert plan.computed(_table([1, 2, 3]), unit="triệu đồng").words == "Sáu triệu đồng"


def test_types_are_part_of_the_structure():
    """1, True and 1.0 are equal in Python: not in a table (tong_cong: 1 labels the row "1")."""
    base = _table([1, 2, 3])
    for flag in (True, 1, True, 1, True, 1):
        table = plan.computed({**base, "tong_cong": flag}, unit="triệu đồng")
        assert table.total.text == ("Tổng cộng" if flag is True else "1")


def test_a_sheets_table_is_computed_once_by_identity(tmp_path):
    from drafter.inputs import table_sheets

    (tmp_path / "a.csv").write_text("TT,Nội dung,ĐVT,Kinh phí\n1,Đào tạo,Lớp,10\n2,Tập huấn,Lớp,20\n", encoding="utf-8")
    bang = table_sheets.load_table(str(tmp_path / "a.csv"), base_dir=tmp_path)
    first = plan.computed(bang, unit="triệu đồng")
    assert plan.computed(bang, unit="triệu đồng") is first
    assert plan.computed(bang, unit="nghìn đồng") is not first
    again = table_sheets.load_table(str(tmp_path / "a.csv"), base_dir=tmp_path)
    assert plan.computed(again, unit="triệu đồng") is not first


def test_caches_stay_bounded():
    for n in range(plan._PLANS_MAX * 3):
        for _ in range(2):
            plan.computed(_table([1, 2], [f"Dòng {n}", "B"]), unit="triệu đồng")
    assert len(plan._PLANS) <= plan._PLANS_MAX
    assert len(plan._SEEN) <= plan._SEEN_MAX


# --------------------------------------------------------------------------- batch

DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí năm 2026 cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Phân bổ kinh phí như Phụ lục kèm theo; tổng {{ phu_luc[0].tong.kinh_phi }} triệu đồng ({{ phu_luc[0].tong.kinh_phi.chu }}).
noi_nhan: [Như trên]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
        - {noi_dung: "{{ hang.muc }}", dvt: Lớp, so_lieu: {kinh_phi: "{{ hang.a }}"}}
        - {noi_dung: Tập huấn, dvt: Lớp, so_lieu: {kinh_phi: "{{ hang.b }}"}}
      bang_chu: kinh_phi
  - tieu_de: CHI TIẾT
    don_vi_tinh: triệu đồng
    bang: "{{ hang.tep }}"
"""

ROWS = [
    {"ma": "1", "ten": "xã Cẩm Xuyên", "muc": "Đào tạo nghề", "a": "10", "b": "20", "tep": "ngan.csv"},
    {"ma": "2", "ten": "xã Kỳ Anh", "muc": "Đào tạo nghề", "a": "11", "b": "20", "tep": "ngan.csv"},
    {"ma": "3", "ten": "xã Hương Sơn", "muc": "Đào tạo nghề", "a": "12", "b": "20", "tep": "dai.csv"},
    {"ma": "4", "ten": "xã Đức Thọ", "muc": "Đào tạo nghề", "a": "987.654.321.098", "b": "20", "tep": "ngan.csv"},
    {"ma": "5", "ten": "xã Nghi Xuân", "muc": "Hỗ trợ máy móc thiết bị", "a": "13", "b": "20", "tep": "dai.csv"},
]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan-batch")
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    (folder / "ngan.csv").write_text("TT,Nội dung,ĐVT,Kinh phí\n1,Đào tạo,Lớp,10\n2,Tập huấn,Lớp,20\n",
                                     encoding="utf-8")
    (folder / "dai.csv").write_text("TT,Nội dung,ĐVT,Kinh phí\n1,Đào tạo,Lớp,10\n2,Tập huấn,Lớp,20\n"
                                    "3,Hội chợ,Lần,300\n", encoding="utf-8")
    with (folder / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(ROWS[0]))
        w.writeheader()
        w.writerows(ROWS)
    plan.clear()
    r = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "out", name="{ma}")
    assert r.failed == 0, [o.message for o in r.outcomes if o.status != "ok"]
    import inspect

    from drafter import validation

    if "plan." in inspect.getsource(validation._tables):  # validation wired to the plans: they were used
        assert any(p is not None for p in plan._PLANS.values())
    return folder, {o.row - 1: DocView(folder / "out" / o.file) for o in r.outcomes}


def _appendix_tables(doc: DocView) -> list:
    """The appendices' tables (the header and signature are laid out in tables too)."""
    tc = f"{{{W}}}tc"
    return [t for t in doc.body.iter(f"{{{W}}}tbl")
            if [" ".join(doc.cell_texts(t, 0, c)) for c in range(len(t.find(f"{{{W}}}tr").findall(tc)))][:2]
            == ["TT", "Nội dung"]]


def _rows(doc: DocView, table: int) -> list[list[str]]:
    tbl = _appendix_tables(doc)[table]
    return [[" ".join(doc.cell_texts(tbl, r, c)) for c in range(len(tr.findall(f"{{{W}}}tc")))]
            for r, tr in enumerate(tbl.findall(f"{{{W}}}tr"))]


def _widths(doc: DocView, table: int) -> list[str]:
    return [g.get(f"{{{W}}}w") for g in _appendix_tables(doc)[table].iter(f"{{{W}}}gridCol")]


def test_batch_rows_get_their_own_figures_labels_words_and_widths(made):
    _, docs = made
    rows = {n: _rows(docs[n], 0) for n in docs}
    assert rows[1][1] == ["1", "Đào tạo nghề", "Lớp", "10"] and rows[1][-1] == ["Tổng cộng", "", "30"]
    assert rows[2][1][-1] == "11" and rows[2][-1][-1] == "31"
    assert rows[4][1][-1] == "987.654.321.098" and rows[4][-1][-1] == "987.654.321.118"
    assert rows[5][1][1] == "Hỗ trợ máy móc thiết bị" and rows[5][-1][-1] == "33"
    words = {n: [t for t in docs[n].texts() if t.startswith("Bằng chữ")] for n in docs}
    assert words[1] == ["Bằng chữ: Ba mươi triệu đồng."]
    assert words[4] == [f"Bằng chữ: {words_for(Decimal('987654321118'), 'triệu đồng')}."]
    assert words[4][0].startswith("Bằng chữ: Chín trăm tám mươi bảy") and words[4][0].endswith("triệu đồng.")
    assert words[5] == ["Bằng chữ: Ba mươi ba triệu đồng."]
    assert "tổng 31 triệu đồng (Ba mươi mốt triệu đồng)" in " ".join(docs[2].texts())
    # The widths of rows with figures alike are alike (each row's own: the byte-identity test below).
    assert _widths(docs[1], 0) == _widths(docs[2], 0)
    # The column-driven table: each row's own sheet, its own number of rows.
    assert [len(_rows(docs[n], 1)) for n in sorted(docs)] == [4, 4, 5, 4, 5]
    assert _rows(docs[3], 1)[-1][-1] == "330" and _rows(docs[1], 1)[-1][-1] == "30"


def test_batch_rows_are_what_render_makes_of_them(made):
    folder, _ = made
    from drafter import validation
    from drafter.render import context

    for n, row in enumerate(ROWS, start=1):
        text = DRAFT
        for key, value in row.items():
            text = text.replace(f"{{{{ hang.{key} }}}}", value)
        path = folder / f"alone-{n}.yaml"
        path.write_text(text, encoding="utf-8")
        plan.clear()  # the whole way, no plan made by the batch
        validation._RULE_MEMO.clear()
        context._header.cache_clear()
        context._signing.cache_clear()
        table_xml._free_row_xml.cache_clear()
        alone = api.render_bytes(api.prepare(path), folder)
        made_doc = (folder / "out" / f"{row['ma']}.docx").read_bytes()
        with zipfile.ZipFile(folder / "out" / f"{row['ma']}.docx") as z:
            assert row["muc"] in z.read("word/document.xml").decode()
        assert made_doc == alone, n


def test_a_rows_placed_figures_give_the_whole_ways_table():
    """plan.computed with `placed` (a batch row's table: the draft's table with values
    placed at known paths) is the whole way's table, or its problems, row after row."""
    base = _table(["{{ hang.a }}", "{{ hang.b }}", 7])
    paths = (("dong", 0, "so_lieu", 1), ("dong", 1, "so_lieu", 1))
    rng = random.Random(23)
    fast = 0
    for _ in range(60):
        values = (rng.choice([rng.randint(1, 4000), "", "1.234,5", None, "mười", str(rng.randint(1, 99))]),
                  rng.choice([rng.randint(1, 4000), "12.000.000", str(rng.randint(1, 99))]))
        data = {**base, "dong": [dict(r) for r in base["dong"]]}
        for (_, i, _, j), v in zip(paths, values):
            data["dong"][i] = {**data["dong"][i], "so_lieu": list(data["dong"][i]["so_lieu"])}
            data["dong"][i]["so_lieu"][j] = v
        whole, whole_problems = _whole(data)
        try:
            ours, our_problems = plan.computed(data, unit="triệu đồng", placed=(base, paths, values)), None
        except TableError as exc:
            ours, our_problems = None, [str(p) for p in exc.problems]
        assert our_problems == whole_problems
        if whole is not None:
            _same(ours, whole)
        fast += any(e[2] is not None for e in plan._PLACED.values())
    assert fast >= 50  # the placed values were read as the figures, not matched


def test_placed_values_that_change_the_structure_are_matched_as_any_row():
    base = {**_table([5, 6]), "tong": "{{ hang.t }}"}
    for v in ("11", "", "11", "11"):  # a figure alone: a blank one is another structure
        data = {**base, "tong": v}
        assert _planned(data) == _whole(data) or _same(_planned(data)[0], _whole(data)[0]) is None
        plan.computed(data, unit="triệu đồng", placed=(base, (("tong",),), (v,)))
    assert all(e[2] is None for e in plan._PLACED.values())
