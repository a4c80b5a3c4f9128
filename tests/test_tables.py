"""Budget tables of appendices: keys, derived sums, sheets, grid and WordprocessingML.

The reference is seed 004's appendix (samples/004-quyet-dinh-hung-yen.yaml, key phu_luc): its year totals as
printed in the seed are wrong by hand; the rows add up to 1.514, 3.214, 3.646 and a
grand total of 8.374 triệu đồng.
"""

from __future__ import annotations

import csv
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from drafter.inputs.yamlfile import load, parse_text
from drafter.rules.layout import TEXT_W, TEXT_W_LANDSCAPE
from drafter.render.table_xml import table_markup
from drafter.tables.compute import ComputedTable, compute, words_for
from drafter.tables.grid import build_grid
from drafter.tables.model import TableError, parse_table, to_amount
from drafter.inputs.table_sheets import load_table, read_table

import sheet_files

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "004-quyet-dinh-hung-yen.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORDS_8374 = "Tám tỷ ba trăm bảy mươi tư triệu đồng"

# Seed 004, row by row: (ref, ĐVT, {year: (Số lượng, Kinh phí)}, total (Số lượng, Kinh phí)).
SEED_ITEMS = [
    ("I.1", "Người", {2018: (105, 126), 2019: (105, 126), 2020: (210, 252)}, (420, 504)),
    ("II.1", "Lớp", {2018: (1, 50), 2019: (1, 50), 2020: (1, 50)}, (3, 150)),
    ("II.2", "DN", {2018: (10, 50), 2019: (10, 50), 2020: (10, 50)}, (30, 150)),
    ("III.1", "Cơ sở", {2020: (1, 350)}, (1, 350)),
    ("III.2", "Cơ sở", {2018: (7, 1050), 2019: (7, 1050), 2020: (7, 1050)}, (21, 3150)),
    ("III.3", "Cơ sở", {2018: (1, 50), 2019: (2, 100), 2020: (2, 100)}, (5, 250)),
    ("IV.1", "Lần", {2019: (1, 80)}, (1, 80)),
    ("IV.2", "Cơ sở", {2018: (4, 40), 2019: (4, 40), 2020: (4, 40)}, (12, 120)),
    ("IV.3", "Nhãn hiệu", {2018: (2, 60), 2019: (2, 60), 2020: (2, 60)}, (6, 180)),
    ("V.1", "Cơ sở", {2018: (1, 30), 2019: (2, 60), 2020: (2, 60)}, (5, 150)),
    ("VI.1", "Tin, bài, phóng sự", {2018: (None, 30), 2019: (None, 30), 2020: (None, 30)}, (None, 90)),
    ("VII.1", "Lần", {2019: (1, 20), 2020: (1, 20)}, (2, 40)),
    ("VII.2", "Cơ sở", {2019: (1, 200), 2020: (1, 200)}, (2, 400)),
    ("VII.3", "Cụm", {2019: (1, 300), 2020: (1, 300)}, (2, 600)),
    ("VII.4", "Cụm", {2019: (1, 1000), 2020: (1, 1000)}, (2, 2000)),
    ("VIII.1", "Hội nghị", {2020: (1, 30)}, (1, 30)),
    ("VIII.2", None, {2018: (None, 28), 2019: (None, 48), 2020: (None, 54)}, (None, 130)),
]
# Sections: Kinh phí by year and in the total column (the seed's own section rows).
SEED_SECTIONS = {
    "I": (126, 126, 252, 504),
    "II": (100, 100, 100, 300),
    "III": (1100, 1150, 1500, 3750),
    "IV": (100, 180, 100, 380),
    "V": (30, 60, 60, 150),
    "VI": (30, 30, 30, 90),
    "VII": (None, 1520, 1520, 3040),
    "VIII": (28, 48, 84, 160),
}


def _dec(v):
    return None if v is None else Decimal(v)


@pytest.fixture(scope="module")
def sample():
    loaded = load(SAMPLE)
    return loaded, loaded.data["phu_luc"][0]


@pytest.fixture(scope="module")
def seed(sample) -> ComputedTable:
    _, phu_luc = sample
    return compute(parse_table(phu_luc["bang"]), unit=phu_luc["don_vi_tinh"])


def _table(yaml_text: str, unit: str | None = "triệu đồng") -> ComputedTable:
    data = parse_text(textwrap.dedent(yaml_text), "t.yaml").data
    return compute(parse_table(data), unit=unit)


def _errors(yaml_text: str, unit: str | None = "triệu đồng") -> list:
    with pytest.raises(TableError) as info:
        _table(yaml_text, unit)
    return info.value.problems


def _by_ref(table: ComputedTable) -> dict:
    return {line.ref: line for line in table.lines}


def _figures(table: ComputedTable) -> list:
    """Everything printed, as comparable data (for inline vs sheet comparisons)."""
    rows = [(ln.kind, ln.ref, ln.text, ln.dvt, sorted(ln.values.items()), sorted(ln.totals.items()))
            for ln in table.lines]
    return rows + [sorted(table.total.values.items()), sorted(table.total.totals.items()), table.grand, table.words]


# --------------------------------------------------------------------------- seed 004


def test_seed_every_item_row(seed):
    rows = _by_ref(seed)
    for ref, dvt, years, (qty, cost) in SEED_ITEMS:
        line = rows[ref]
        assert line.kind == "dong" and line.dvt == dvt, ref
        for year in (2018, 2019, 2020):
            q, k = years.get(year, (None, None))
            assert line.value(f"nam_{year}", "so_luong") == _dec(q), (ref, year)
            assert line.value(f"nam_{year}", "kinh_phi") == _dec(k), (ref, year)
        assert line.totals == {"so_luong": _dec(qty), "kinh_phi": _dec(cost)}, ref


def test_seed_sections_are_sums_of_their_items(seed):
    rows = _by_ref(seed)
    assert [ln.ref for ln in seed.lines if ln.kind == "muc"] == list(SEED_SECTIONS)
    for ref, (k18, k19, k20, total) in SEED_SECTIONS.items():
        line = rows[ref]
        assert [line.value(f"nam_{y}", "kinh_phi") for y in (2018, 2019, 2020)] == [_dec(k18), _dec(k19), _dec(k20)]
        assert line.totals["kinh_phi"] == Decimal(total)
        # Số lượng of different units is never summed down the rows.
        assert all(line.value(f"nam_{y}", "so_luong") is None for y in (2018, 2019, 2020))
        assert line.totals["so_luong"] is None


def test_seed_year_totals_grand_total_and_words(seed):
    totals = [seed.total.value(f"nam_{y}", "kinh_phi") for y in (2018, 2019, 2020)]
    assert totals == [Decimal(1514), Decimal(3214), Decimal(3646)]
    assert seed.total.totals["kinh_phi"] == Decimal(8374)
    assert seed.grand == {"kinh_phi": Decimal(8374)}
    assert seed.words == WORDS_8374
    assert seed.bang_chu_line == f"Bằng chữ: {WORDS_8374}."
    f = seed.figures
    assert [str(f.nhom[y].kinh_phi) for y in ("nam_2018", "nam_2019", "nam_2020")] == ["1.514", "3.214", "3.646"]
    assert str(f.tong.kinh_phi) == "8.374"
    assert f.tong.kinh_phi.so == Decimal(8374)


def test_figures_reference_names(seed):
    f = seed.figures
    assert f.tong.kinh_phi.chu == WORDS_8374
    assert f.tong.kinh_phi.voi_dvt == "8.374 triệu đồng"
    assert str(f.tong.nhom.nam_2020.kinh_phi) == "3.646"
    assert str(f.tong.nhom["Năm 2020"].kinh_phi) == "3.646"
    assert str(f.nhom[1].kinh_phi) == "3.214"
    assert str(f.dong["III.2"].so_luong) == "21"  # "hỗ trợ 21 cơ sở" in the seed's body
    assert f.dong["III.2"].so_luong.chu == "Hai mươi mốt cơ sở"
    assert str(f.dong["VII"].nhom.nam_2019.kinh_phi) == "1.520"
    assert f.dong["III.2"].ten.startswith("Hỗ trợ ứng dụng máy móc")
    assert f.bang_chu == WORDS_8374 and f.don_vi_tinh == "triệu đồng"
    refs = f.references()
    assert refs["tong.kinh_phi"] == "8.374"
    assert refs["tong.nhom.nam_2020.kinh_phi"] == "3.646"
    assert refs['dong["I.1"].so_luong'] == "420"
    with pytest.raises(AttributeError, match="kinh_phi"):
        f.tong.kinh_phii
    with pytest.raises(AttributeError, match="nam_2020"):
        f.nhom.nam_2021


def test_figures_in_a_jinja_template(seed):
    jinja2 = pytest.importorskip("jinja2")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    text = env.from_string(
        "Tổng kinh phí {{ phu_luc[0].tong.kinh_phi }} {{ phu_luc[0].don_vi_tinh }}; năm 2020: "
        "{{ phu_luc[0].tong.nhom.nam_2020.kinh_phi }}; {{ phu_luc[0].tong.kinh_phi.chu }}."
    ).render(phu_luc=[seed.figures])
    assert text == f"Tổng kinh phí 8.374 triệu đồng; năm 2020: 3.646; {WORDS_8374}."


# --------------------------------------------------------------------------- typed totals

_SMALL = """
nhom: [Năm 2018, Năm 2019]
chi_tieu: [Số lượng, Kinh phí]
tong_cot: Tổng cộng
bang_chu: kinh_phi
dong:
  - muc: Đào tạo
    dong:
      - noi_dung: Lớp A
        dvt: Lớp
        so_lieu: {{Năm 2018: [1, 50], Năm 2019: [2, 100]{item_total}}}
      - noi_dung: Lớp B
        dvt: Người
        so_lieu: {{Năm 2018: [10, 5], Năm 2019: [10, "7,5"]}}
  - muc: Tuyên truyền
    so_lieu: {{Năm 2018: [~, 30]{section_typed}}}
{tong}
"""


def small(item_total="", section_typed="", tong=""):
    return _SMALL.format(item_total=item_total, section_typed=section_typed, tong=tong)


def test_typed_totals_that_agree_pass():
    table = _table(small(
        item_total=", Tổng cộng: [3, 150]",
        tong="tong: {Năm 2018: 85, Năm 2019: \"107,5\", Tổng cộng: \"192,5\"}",
    ))
    assert table.grand["kinh_phi"] == Decimal("192.5")
    assert str(table.figures.tong.kinh_phi) == "192,5"
    assert table.words == "Một trăm chín mươi hai triệu năm trăm nghìn đồng"
    # Default options by name: Kinh phí is summed, Số lượng is not.
    assert [(m.ma, m.cong) for m in table.measures] == [("so_luong", False), ("kinh_phi", True)]


def test_typed_wrong_totals_are_reported_with_row_expected_found():
    problems = _errors(small(
        item_total=", Tổng cộng: [3, 160]",
        tong="tong: {Năm 2018: 85, Năm 2019: 3696}",
    ))
    by_row = {p.row: p for p in problems}
    assert set(by_row) == {"I.1", "Tổng cộng"}  # every problem at once
    item = by_row["I.1"]
    assert (item.expected, item.found) == (Decimal(150), Decimal(160))
    assert item.key == "Tổng cộng – Kinh phí"
    assert item.path == ("dong", 0, "dong", 0, "so_lieu", "Tổng cộng")
    total = by_row["Tổng cộng"]
    assert (total.expected, total.found) == (Decimal("107.5"), Decimal(3696))
    assert total.key == "Năm 2019 – Kinh phí"
    assert total.path == ("tong", "Năm 2019")
    assert "3.696" in total.message and "107,5" in total.message


def test_seed_wrong_2020_total_is_caught(sample):
    _, phu_luc = sample
    data = dict(phu_luc["bang"], tong={"Năm 2018": 1514, "Năm 2019": 3214, "Năm 2020": 3696, "Tổng cộng": 8374})
    with pytest.raises(TableError) as info:
        compute(parse_table(data), unit="triệu đồng")
    [problem] = info.value.problems
    assert (problem.row, problem.key) == ("Tổng cộng", "Năm 2020 – Kinh phí")
    assert (problem.expected, problem.found) == (Decimal(3646), Decimal(3696))


def test_typed_section_subtotal_is_checked_and_positions_map_to_lines(sample):
    loaded, _ = sample
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "          dvt: Người\n          dong:",
        "          dvt: Người\n          so_lieu: {Năm 2018: [~, 126], Năm 2019: [~, 127]}\n          dong:",
    )
    loaded = parse_text(text, "phu-luc.yaml")
    with pytest.raises(TableError) as info:
        compute(parse_table(loaded.data["phu_luc"][0]["bang"]), unit="triệu đồng")
    [problem] = info.value.problems
    assert (problem.row, problem.expected, problem.found) == ("I", Decimal(126), Decimal(127))
    # The lead prefixes the appendix's own key path to find file:line.
    position = loaded.position(("phu_luc", 0, "bang") + problem.path)
    line = text.splitlines()[position.line - 1]
    assert "so_lieu" in line and "127" in line


def test_typed_figure_of_an_unsummed_measure_in_the_total_row_is_refused():
    problems = _errors(small(tong="tong: {Năm 2018: [11, 85]}"))
    assert any("Số lượng" in p.message and "không cộng" in p.message for p in problems)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("12.5", '"12,5"'), ("1.514", "1514"), ("0.5", '"0,5"')],
)
def test_floats_are_refused_with_a_vietnamese_message(typed, hint):
    with pytest.raises(TableError) as info:
        parse_table(parse_text(f"dong:\n  - noi_dung: A\n    so_lieu: [1, {typed}]\n", "t.yaml").data)
    problems = info.value.problems
    assert len(problems) == 1
    assert problems[0].path == ("dong", 0, "so_lieu")
    assert "số thực" in problems[0].message and hint in problems[0].message


def test_numbers_as_vietnamese_text():
    assert to_amount("8.374") == Decimal(8374)
    assert to_amount("1.234,5") == Decimal("1234.5")
    assert to_amount(" - ") is None and to_amount("") is None and to_amount(None) is None
    with pytest.raises(ValueError):
        to_amount("12.5")
    with pytest.raises(ValueError):
        to_amount(True)


def test_unknown_keys_and_names_are_reported():
    problems = _errors(small().replace("dvt: Lớp", "dvtt: Lớp"))
    assert problems[0].path == ("dong", 0, "dong", 0, "dvtt") and "'dvt'" in problems[0].message
    problems = _errors(small().replace("Năm 2019: [2, 100]", "Nam 2019: [2, 100]"))
    assert problems[0].key == "Nam 2019" and "Năm 2019" in problems[0].message
    problems = _errors(small().replace("[1, 50]", "[1, 50, 3]"))
    assert "cần 2 số" in problems[0].message


# --------------------------------------------------------------------------- structure


def test_three_levels_and_vietnamese_letters():
    subs = "\n".join(f"          - {{noi_dung: Việc {i}, so_lieu: {i}}}" for i in range(1, 8))
    table = _table(f"""
        chi_tieu: [{{ten: Kinh phí, cong: true}}]
        dong:
          - muc: Mục một
            dong:
              - noi_dung: Dòng có dòng con
                dong:
{textwrap.indent(subs, "      ")}
              - noi_dung: Dòng thường
                so_lieu: 100
          - muc: Mục hai
            so_lieu: 5
        bang_chu: true
        """)
    assert [ln.label for ln in table.lines] == ["I", "1", "a", "b", "c", "d", "đ", "e", "g", "2", "II"]
    refs = _by_ref(table)
    assert refs["I.1"].value("", "kinh_phi") == Decimal(28)  # 1 + … + 7
    assert refs["I"].value("", "kinh_phi") == Decimal(128)
    assert refs["I.1.đ"].level == 2
    assert table.grand == {"kinh_phi": Decimal(133)}
    assert table.words == "Một trăm ba mươi ba triệu đồng"


def test_depth_and_mixing_are_refused():
    problems = _errors("""
        dong:
          - noi_dung: A
            dong:
              - noi_dung: a
                dong: [{noi_dung: quá sâu}]
        """)
    assert "tối đa ba cấp" in problems[0].message
    problems = _errors("""
        dong:
          - muc: Mục
          - noi_dung: Dòng lạc
        """)
    assert problems[0].path == ("dong", 1) and "mục" in problems[0].message


def test_words_with_units():
    assert words_for(Decimal(8374), "triệu đồng") == WORDS_8374
    assert words_for(Decimal("1234.5"), "nghìn đồng") == "Một triệu hai trăm ba mươi tư nghìn năm trăm đồng"
    assert words_for(Decimal(2), "tỷ đồng") == "Hai tỷ đồng"
    assert words_for(Decimal(1005), "đồng") == "Một nghìn không trăm linh năm đồng"
    assert words_for(Decimal(21), "Người") == "Hai mươi mốt người"
    assert words_for(Decimal(2), "CCN") == "Hai CCN"


def test_bang_chu_needs_a_unit():
    problems = _errors(small(), unit=None)
    assert problems[0].path == ("bang_chu",) and "don_vi_tinh" in problems[0].message


# --------------------------------------------------------------------------- sheets


def _sheet_rows(phu_luc: dict, *, with_totals: bool) -> tuple[list[str], list[list], list[str], list[str]]:
    """Seed 004 as an office keeps it in a sheet: (groups, rows, measures, header names)."""
    bang = parse_table(phu_luc["bang"])
    table = compute(bang, unit="triệu đồng")
    groups = [g.ten for g in bang.nhom]
    measures = [m.ten for m in bang.chi_tieu]
    rows: list[list] = []
    for line in table.lines:
        figures = []
        for g in bang.nhom:
            for m in bang.chi_tieu:
                v = line.value(g.ma, m.ma)
                figures.append(None if v is None or line.kind == "muc" and not with_totals else int(v))
        if with_totals:
            figures += [None if line.totals[m.ma] is None else int(line.totals[m.ma]) for m in bang.chi_tieu]
        rows.append([line.label, line.text, line.dvt] + figures)
    total = [None, "Tổng cộng", None]
    for g in bang.nhom:
        total += [None, int(table.total.value(g.ma, "kinh_phi"))]
    if with_totals:
        total += [None, 8374]
    rows.append(total)
    return groups + (["Tổng cộng"] if with_totals else []), rows, measures, ["TT", "Nội dung", "ĐVT"]


def _write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def test_csv_one_header_row_gives_the_same_figures(tmp_path, sample, seed):
    _, phu_luc = sample
    groups, rows, measures, lead = _sheet_rows(phu_luc, with_totals=False)
    header = lead + [f"{g} - {m}" for g in groups for m in measures]
    path = _write_csv(tmp_path / "kinh-phi.csv", header, rows, delimiter=";")
    spec = {"tep": "kinh-phi.csv", "tong_cot": "Tổng cộng", "bang_chu": "kinh_phi",
            "tieu_de_nhom": "Dự kiến kết quả đạt được"}
    bang = load_table(spec, base_dir=tmp_path)
    assert bang.source_file == str(path)
    assert _figures(compute(bang, unit="triệu đồng")) == _figures(seed)


def test_csv_typed_totals_are_checked_with_file_and_line(tmp_path, sample):
    _, phu_luc = sample
    groups, rows, measures, lead = _sheet_rows(phu_luc, with_totals=True)
    header = lead + [f"{g} – {m}" for g in groups for m in measures]
    rows[-1][lead.__len__() + 5] = 3696  # the seed's wrong 2020 total
    path = _write_csv(tmp_path / "kinh-phi.csv", header, rows)
    bang = read_table(path)
    assert bang.tong_cot == "Tổng cộng"
    with pytest.raises(TableError) as info:
        compute(bang, unit="triệu đồng")
    [problem] = info.value.problems
    assert (problem.file, problem.line) == (str(path), len(rows) + 1)
    assert (problem.expected, problem.found) == (Decimal(3646), Decimal(3696))
    assert str(problem).startswith(f"{path}:{len(rows) + 1}: ")


def _xlsx(path: Path, header_rows: list[list], rows: list[list], merges: list[str] = ()) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kinh phí"
    for row in header_rows + rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_xlsx_one_header_row(tmp_path, sample, seed):
    _, phu_luc = sample
    groups, rows, measures, lead = _sheet_rows(phu_luc, with_totals=True)
    header = lead + [f"{g} - {m}" for g in groups for m in measures]
    path = _xlsx(tmp_path / "kinh-phi.xlsx", [header], rows)
    bang = load_table({"tep": "kinh-phi.xlsx", "trang": "Kinh phí", "bang_chu": "kinh_phi",
                       "tieu_de_nhom": "Dự kiến kết quả đạt được"}, base_dir=tmp_path)
    assert _figures(compute(bang, unit="triệu đồng")) == _figures(seed)
    assert path.exists()


def test_xlsx_merged_header_rows_with_a_title(tmp_path, sample, seed):
    _, phu_luc = sample
    groups, rows, measures, lead = _sheet_rows(phu_luc, with_totals=True)
    title = ["TT", "Nội dung", "ĐVT", "Dự kiến kết quả đạt được"] + [None] * 7
    group_row = [None, None, None]
    measure_row = [None, None, None]
    for g in groups:
        group_row += [g, None]
        measure_row += measures
    merges = ["A1:A3", "B1:B3", "C1:C3", "D1:K1", "D2:E2", "F2:G2", "H2:I2", "J2:K2"]
    # A formula where drafter derives the figure anyway (a section row) is only noted.
    rows[0][4] = "=SUM(E5:E5)"
    _xlsx(tmp_path / "kinh-phi.xlsx", [title, group_row, measure_row], rows, merges)
    bang = load_table("kinh-phi.xlsx", base_dir=tmp_path)
    assert bang.tieu_de_nhom == "Dự kiến kết quả đạt được"
    assert any("công thức" in note for note in bang.warnings)
    table = compute(parse_table(dict(bang.model_dump(), bang_chu="kinh_phi")), unit="triệu đồng")
    assert _figures(table) == _figures(seed)
    grid = build_grid(compute(bang, unit="triệu đồng"))
    assert grid.header_rows == 3


def test_xlsx_two_header_rows_and_a_formula_in_a_leaf_figure(tmp_path, sample):
    _, phu_luc = sample
    groups, rows, measures, lead = _sheet_rows(phu_luc, with_totals=False)
    group_row = lead + sum(([g, None] for g in groups), [])
    measure_row = [None, None, None] + measures * len(groups)
    rows[1][4] = "=2*63"  # I.1, Năm 2018 – Kinh phí: only the sheet knows it
    _xlsx(tmp_path / "kp.xlsx", [group_row, measure_row], rows, ["A1:A2", "B1:B2", "C1:C2", "D1:E1"])
    with pytest.raises(TableError) as info:
        read_table(tmp_path / "kp.xlsx")
    [problem] = info.value.problems
    assert problem.line == 4 and "công thức" in problem.message


def _seed_sheet(phu_luc: dict, header_rows: int) -> tuple[list[list], list[str]]:
    """Seed 004 with its typed totals, under one header row ("Năm 2018 - Kinh phí") or
    two (groups merged over their measures): (rows, the .xlsx merges)."""
    groups, rows, measures, lead = _sheet_rows(phu_luc, with_totals=True)
    if header_rows == 1:
        return [lead + [f"{g} - {m}" for g in groups for m in measures]] + rows, []
    top = lead + sum(([g] + [None] * (len(measures) - 1) for g in groups), [])
    below = [None] * len(lead) + measures * len(groups)
    merges = ["A1:A2", "B1:B2", "C1:C2"]
    for i in range(len(groups)):
        first = 4 + i * len(measures)
        merges.append(f"{_col(first)}1:{_col(first + len(measures) - 1)}1")
    return [top, below] + rows, merges


def _col(n: int) -> str:
    return chr(64 + n)


@pytest.mark.parametrize("header_rows", [1, 2])
@pytest.mark.parametrize("encoding, delimiter", [v[1:] for v in sheet_files.variants()],
                         ids=[v[0] for v in sheet_files.variants()])
def test_the_same_table_saved_every_way_reads_the_same(tmp_path, sample, seed, header_rows, encoding, delimiter):
    """One reader for every file: UTF-8 (with or without BOM), UTF-16 LE/BE, Windows-1258,
    TCVN3 font bytes, with any delimiter, or .xlsx; one header row or two merged ones.
    (A UTF-16 CSV with two header rows once failed while its UTF-8 twin read.)"""
    _, phu_luc = sample
    rows, merges = _seed_sheet(phu_luc, header_rows)
    path = sheet_files.save(tmp_path, rows, encoding, delimiter, merges)
    bang = load_table({"tep": path.name, "bang_chu": "kinh_phi", "tieu_de_nhom": "Dự kiến kết quả đạt được"},
                      base_dir=tmp_path)
    assert bang.source_file == str(path)
    assert _figures(compute(bang, unit="triệu đồng")) == _figures(seed)
    assert bang.tong_cot == "Tổng cộng"
    # Rows keep the sheet's row numbers, whatever the file type.
    assert bang.source_line(("dong", 0)) == (header_rows + 1, None)
    assert bang.source_line(("tong",))[0] == len(rows)
    expected_notes = {"cp1258": "Windows-1258", "tcvn3": "TCVN3"}
    if encoding in expected_notes:
        [note] = bang.warnings
        assert expected_notes[encoding] in note
    else:
        assert bang.warnings == []


def test_a_two_row_header_table_counts_only_its_data_rows_against_the_limit(tmp_path, sample):
    """docs/limits.md: the limit is on data rows, header rows not counted, for tables too."""
    _, phu_luc = sample
    rows, _ = _seed_sheet(phu_luc, 2)
    data = len(rows) - 2
    path = sheet_files.write_csv(tmp_path / "kp.csv", rows, "utf-16-le-bom", "\t")
    assert _figures(compute(read_table(path, max_rows=data), unit="triệu đồng"))
    with pytest.raises(TableError) as info:
        read_table(path, max_rows=data - 1)
    [problem] = info.value.problems
    assert problem.file == str(path) and problem.line == len(rows)  # the first row past the limit
    assert f"vượt giới hạn {data - 1} dòng" in problem.message
    with pytest.raises(TableError) as info:
        read_table(sheet_files.write_csv(tmp_path / "h.csv", rows[:2]))
    [problem] = info.value.problems
    assert problem.line == 2 and "chỉ có dòng tiêu đề" in problem.message


def test_xlsx_two_header_rows_formula_and_error_cells_name_their_cell(tmp_path, sample):
    """Formulas and error values refused by the sheet reader, under merged header rows:
    a leaf figure is an error at its row and column; a derived figure only a note."""
    _, phu_luc = sample
    rows, merges = _seed_sheet(phu_luc, 2)
    rows[3][4] = "=2*63"  # I.1, Năm 2018 - Kinh phí: only the sheet knows it
    rows[5][5] = "#DIV/0!"  # II.1, Năm 2019 - Số lượng
    rows[2][4] = "=SUM(E4:E4)"  # section I, Năm 2018 - Kinh phí: derived anyway
    path = sheet_files.write_xlsx(tmp_path / "kp.xlsx", rows, merges)
    with pytest.raises(TableError) as info:
        read_table(path)
    found = sorted((p.line, p.column) for p in info.value.problems)
    assert found == [(4, "Năm 2018 - Kinh phí"), (6, "Năm 2019 - Số lượng")]
    assert all("công thức" in p.message and str(p).startswith(f"{path}:") for p in info.value.problems)
    rows[3][4], rows[5][5] = 126, 1
    bang = read_table(sheet_files.write_xlsx(tmp_path / "kp2.xlsx", rows, merges))
    assert bang.warnings == ["dòng 3, cột “Năm 2018 - Kinh phí”: ô công thức được bỏ qua; drafter tự cộng số này."]


def test_sheet_problems_name_the_row(tmp_path):
    path = _write_csv(tmp_path / "t.csv", ["STT", "Nội dung", "Kinh phí"],
                      [["I", "Mục", None], ["1", "Việc", "12.5"], ["x.1", "Lạ", 1]])
    with pytest.raises(TableError) as info:
        read_table(path)
    [problem] = info.value.problems
    assert problem.line == 4 and "x.1" in problem.message
    path = _write_csv(tmp_path / "t.csv", ["STT", "Nội dung", "Kinh phí"],
                      [["I", "Mục", None], ["1", "Việc", "12.5"]])
    with pytest.raises(TableError) as info:
        read_table(path)
    [problem] = info.value.problems
    assert problem.line == 3 and '"12,5"' in problem.message


def test_load_table_refuses_other_files():
    with pytest.raises(TableError, match=".xlsx"):
        load_table("kinh-phi.docx")


# --------------------------------------------------------------------------- grid


def test_grid_header_spans(seed):
    grid = build_grid(seed)
    assert grid.header_rows == 3 and all(r.header for r in grid.rows[:3])
    assert not any(r.header for r in grid.rows[3:])
    title, groups, measures = (r.cells for r in grid.rows[:3])
    assert [(c.text, c.rowspan) for c in title[:3]] == [("TT", 3), ("Nội dung", 3), ("ĐVT", 3)]
    assert (title[3].text, title[3].colspan) == ("Dự kiến kết quả đạt được", 8)
    assert [(c.text, c.colspan) for c in groups] == [
        ("Năm 2018", 2), ("Năm 2019", 2), ("Năm 2020", 2), ("Tổng cộng", 2)]
    assert [c.text for c in measures] == ["Số lượng", "Kinh phí"] * 4
    assert all(c.bold and c.align == "center" for r in grid.rows[:3] for c in r.cells)


def test_grid_two_row_header_without_title(seed):
    from dataclasses import replace

    grid = build_grid(replace(seed, group_title=None))
    assert grid.header_rows == 2
    assert [(c.text, c.rowspan) for c in grid.rows[0].cells[:3]] == [("TT", 2), ("Nội dung", 2), ("ĐVT", 2)]
    assert [c.colspan for c in grid.rows[0].cells[3:]] == [2, 2, 2, 2]


def test_grid_body_rows(seed):
    grid = build_grid(seed)
    section = grid.rows[3]
    assert section.kind == "muc" and section.cells[0].text == "I" and all(c.bold for c in section.cells)
    assert [c.text for c in section.cells[3:]] == ["", "126", "", "126", "", "252", "", "504"]
    item = grid.rows[4]
    assert item.kind == "dong" and not any(c.bold for c in item.cells)
    assert all(c.align == "right" for c in item.cells[3:])
    total = grid.rows[-1]
    assert total.kind == "tong" and total.cells[0].text == "Tổng cộng" and total.cells[0].colspan == 2
    assert [c.text for c in total.cells[1:]] == ["", "", "1.514", "", "3.214", "", "3.646", "", "8.374"]
    assert sum(c.colspan for c in total.cells) == grid.ncols == 11
    assert grid.bang_chu == f"Bằng chữ: {WORDS_8374}."


def test_landscape_decision(seed):
    wide = build_grid(seed)
    assert wide.needs_landscape and wide.width == TEXT_W_LANDSCAPE
    narrow = build_grid(_table("""
        nhom: [Năm 2018, Năm 2019]
        chi_tieu: [Kinh phí]
        tong_cot: true
        dong:
          - noi_dung: Tổ chức lớp tập huấn cho cán bộ
            dvt: Lớp
            so_lieu: {Năm 2018: 50, Năm 2019: 100}
        """))
    assert narrow.ncols == 6 and not narrow.needs_landscape and narrow.width == TEXT_W
    for grid in (wide, narrow):
        for width in (TEXT_W, TEXT_W_LANDSCAPE, 5000):
            widths = grid.column_widths(width)
            assert sum(widths) == width and min(widths) > 0
    widths = wide.column_widths()
    assert widths[1] == max(widths)  # Nội dung gets the room


# --------------------------------------------------------------------------- WordprocessingML


def _parse(markup) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W}">{markup}</w:body>'.encode())


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def test_table_markup_structure(seed):
    grid = build_grid(seed)
    width = TEXT_W_LANDSCAPE
    body = _parse(table_markup(grid, width))
    tbl = body.find(_w("tbl"))
    assert tbl.find(f"{_w('tblPr')}/{_w('tblStyle')}").get(_w("val")) == "DrTable"
    assert tbl.find(f"{_w('tblPr')}/{_w('tblW')}").get(_w("w")) == str(width)
    cols = [int(c.get(_w("w"))) for c in tbl.find(_w("tblGrid"))]
    assert sum(cols) == width and cols == grid.column_widths(width)
    rows = tbl.findall(_w("tr"))
    assert len(rows) == len(grid.rows)
    for i, tr in enumerate(rows):
        assert tr.find(f"{_w('trPr')}/{_w('cantSplit')}") is not None
        assert (tr.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None) == (i < grid.header_rows)
        position = 0
        for tc in tr.findall(_w("tc")):
            span_el = tc.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            span = int(span_el.get(_w("val"))) if span_el is not None else 1
            width_el = tc.find(f"{_w('tcPr')}/{_w('tcW')}")
            assert int(width_el.get(_w("w"))) == sum(cols[position : position + span])
            position += span
        assert position == len(cols), f"row {i} covers {position} of {len(cols)} columns"
    # TT, Nội dung, ĐVT: merged down the three header rows.
    merges = [[tc.find(f"{_w('tcPr')}/{_w('vMerge')}") for tc in tr.findall(_w("tc"))[:3]] for tr in rows[:3]]
    assert all(m is not None and m.get(_w("val")) == "restart" for m in merges[0])
    assert all(m is not None and m.get(_w("val")) is None for row in merges[1:] for m in row)
    sizes = {sz.get(_w("val")) for sz in tbl.iter(_w("sz"))}
    assert sizes == {"24"}  # 12 pt on every run and paragraph mark
    first_header_run = rows[0].find(f".//{_w('r')}")
    assert first_header_run.find(f"{_w('rPr')}/{_w('b')}") is not None
    jc = rows[0].find(f".//{_w('jc')}").get(_w("val"))
    assert jc == "center"
    texts = "".join(tbl.itertext())
    assert "8.374" in texts and "Tổng cộng" in texts


def test_table_markup_escapes_text_and_adds_a_bookmark():
    table = _table("""
        chi_tieu: [Kinh phí]
        dong:
          - noi_dung: "R&D <b>đầu tư</b> & \\"khác\\""
            dvt: "m<sup>2</sup>"
            so_lieu: 5
        """)
    markup = table_markup(build_grid(table), TEXT_W, bookmark="PhuLuc_1", bookmark_id=7)
    body = _parse(markup)
    texts = [t.text for t in body.iter(_w("t"))]
    assert 'R&D <b>đầu tư</b> & "khác"' in texts and "m<sup>2</sup>" in texts
    assert body[0].tag == _w("bookmarkStart") and body[0].get(_w("name")) == "PhuLuc_1"
    assert body[-1].tag == _w("bookmarkEnd") and body[-1].get(_w("id")) == "7"


def test_sheet_measure_names_with_units_and_options_from_the_draft(tmp_path):
    header = ["STT", "Nội dung", "Đơn vị tính", "Năm 2024 - Số lượng", "Năm 2024 - Kinh phí (triệu đồng)",
              "Năm 2025 - Số lượng", "Năm 2025 - Kinh phí (triệu đồng)", "Ghi chú"]
    rows = [["I", "Tập huấn", None, None, None, None, None, None],
            ["1", "Lớp cơ bản", "Lớp", 2, "1.234,5", 3, 100, None],
            ["a", "Lớp ở xã A", "Lớp", 1, 1000, None, None, "đợt 1"],
            ["b", "Lớp ở xã B", "Lớp", 1, "234,5", 3, 100, None],
            ["", "Tổng cộng", None, None, "1.234,5", None, 100, None],
            ["", "Bằng chữ: một tỷ …", None, None, None, None, None, None]]
    path = _write_csv(tmp_path / "t.csv", header, rows)
    bang = load_table({"tep": str(path), "chi_tieu": [{"ten": "Số lượng", "cong": True}]})
    table = compute(bang, unit="triệu đồng")
    assert [m.ma for m in table.measures] == ["so_luong", "kinh_phi"]
    assert [(m.cong) for m in table.measures] == [True, True]
    assert table.headers.dvt == "Đơn vị tính" and table.headers.tt == "STT"
    assert [ln.ref for ln in table.lines] == ["I", "I.1", "I.1.a", "I.1.b"]
    assert str(table.figures.tong.nhom.nam_2024.so_luong) == "2"
    assert table.grand["kinh_phi"] == Decimal("1334.5")
    assert any("Ghi chú" in note for note in bang.warnings)


def test_no_unit_column_when_no_row_has_a_unit():
    table = _table("""
        chi_tieu: [Kinh phí]
        dong: [{noi_dung: Việc A, so_lieu: 5}, {noi_dung: Việc B, so_lieu: "2,5"}]
        """)
    grid = build_grid(table)
    assert table.headers.dvt is None and grid.ncols == 3
    assert [c.text for c in grid.rows[0].cells] == ["TT", "Nội dung", "Kinh phí"]
    assert [c.text for c in grid.rows[-1].cells] == ["Tổng cộng", "7,5"]
    assert not grid.needs_landscape


def test_figure_text_keeps_each_amounts_own_digits():
    """figure_text caches by the amount's text: 5 and 5.0 are equal Decimals but print
    differently, whichever comes first."""
    from decimal import Decimal

    from drafter.tables.grid import figure_text

    assert [figure_text(Decimal(t)) for t in ("5", "5.0", "5.00", "5")] == ["5", "5,0", "5,00", "5"]
    assert figure_text(Decimal("0.0")) == "" and figure_text(None) == ""
    assert figure_text(Decimal("1E+3")) == "1.000" and figure_text(Decimal("-1234.50")) == "-1.234,50"
