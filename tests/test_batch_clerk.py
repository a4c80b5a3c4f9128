"""drafter batch speaks in the sheet's terms (issue 16, point 5), through the real CLI:
a bad cell is named by its row, its column header and its cell; a row's own warnings
are shown for that row; a rerun without --force keeps the documents there and the
manifest still lists them; the --units columns are listed by --help and in the docs,
read correctly inside a sentence, and --max-rows bounds them too."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO
from docx_view import DocView
from sheet_files import write_csv, write_xlsx

from drafter import units
from drafter.cli import main

DRAFT = """\
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
don_vi_soan: KT
trich_yeu: phân bổ kinh phí năm 2026 cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Kinh phí phân bổ cho {{ hang.ten }} là {{ phu_luc[0].tong.kinh_phi }} triệu đồng, chi tiết tại Phụ lục kèm theo.
noi_nhan: [Như trên]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
        - {noi_dung: Đào tạo nghề, so_lieu: {kinh_phi: "{{ hang['Số liệu'] }}"}}
      tong_cong: true
"""

HEADER = ["ten", "ngay", "Số liệu"]
GOOD = [["Xã Cẩm Xuyên", "2026-01-10", "120"], ["Xã Kỳ Anh", "2026-01-11", "35"],
        ["Xã Thạch Hà", "2026-01-12", "7"], ["Xã Can Lộc", "2026-01-13", "8"],
        ["Xã Nghi Xuân", "2026-01-14", "9"]]


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["batch", *args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output and "Lỗi nội bộ" not in r.output, r.output
    return r.exit_code, r.output


def manifest(out: Path) -> list[dict]:
    with (out / "manifest.csv").open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("cong-van.yaml").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def rows_with(bad: dict[int, tuple[int, object]]) -> list[list]:
    """HEADER and GOOD, with a cell changed: {sheet row: (column index, value)}."""
    rows = [HEADER] + [list(r) for r in GOOD]
    for number, (col, value) in bad.items():
        rows[number - 1][col] = value
    return rows


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_bad_cell_is_named_by_row_column_and_cell(desk, kind):
    # Row 6 holds a figure that is not a number, row 4 a date that does not exist.
    # `ngay` is a column named like a draft key: it sets the date.
    rows = rows_with({6: (2, "mười hai"), 4: (1, "2026-02-30")})
    data = write_xlsx(desk / "danh-sach.xlsx", rows) if kind == "xlsx" else write_csv(desk / "danh-sach.csv", rows)
    code, out = run("cong-van.yaml", data.name, "-o", "ket-qua")
    assert code == 1
    assert f"{data.name}, dòng 6, cột «Số liệu» (ô C6): lỗi: Phụ lục 1: Số \"mười hai\" không hợp lệ" in out, out
    assert f"{data.name}, dòng 4, cột «ngay» (ô B4): lỗi: Ngày 30/02/2026 không có thật" in out, out
    # the draft's key path is not the clerk's to read
    for internal in ("phu_luc[0]", "dong[0]", "so_lieu", "“kinh_phi”", "<?>"):
        assert internal not in out, (internal, out)
    assert "Xong: 3 văn bản, 2 hàng lỗi" in out
    by_row = {int(r["hang"]): r for r in manifest(desk / "ket-qua")}
    assert by_row[6]["trang_thai"] == "loi" and by_row[6]["thong_bao"].startswith("cột «Số liệu» (ô C6): ")
    assert by_row[4]["thong_bao"].startswith("cột «ngay» (ô B4): Ngày 30/02/2026")
    rows_json = {r["row"]: r for r in json.loads((desk / "ket-qua" / "manifest.json").read_text("utf-8"))["rows"]}
    assert rows_json[6]["notes"] == [["error", "cột «Số liệu» (ô C6)", rows_json[6]["notes"][0][2]]]


def test_the_drafts_own_mistake_is_said_once_with_its_line_and_an_empty_key_cell_by_its_cell(desk):
    Path("cong-van.yaml").write_text(DRAFT.replace("kinh_gui: Ủy ban nhân dân {{ hang.ten }}\n", "")
                                     + "noi_dungg: x\n", encoding="utf-8")
    rows = [HEADER + ["kinh_gui"]] + [r + ["UBND xã"] for r in GOOD[:3]]
    rows[2][3] = None  # row 3: no Kính gửi in the cell, none in the draft
    write_xlsx(desk / "danh-sach.xlsx", rows)
    code, out = run("cong-van.yaml", "danh-sach.xlsx", "-o", "ket-qua")
    assert code == 1
    lines = [ln for ln in out.splitlines() if "noi_dungg" in ln]
    assert len(lines) == 1 and lines[0].startswith("danh-sach.xlsx, 3 dòng (2, 3, 4), noi_dungg (cong-van.yaml:")
    assert "danh-sach.xlsx, dòng 3, cột «kinh_gui» (ô D3, trống): lỗi: Công văn cần Kính gửi" in out, out
    assert "→ Điền ô này trong bảng" in out


def test_a_missing_column_lists_the_columns_there_are(desk):
    Path("cong-van.yaml").write_text(DRAFT.replace("{{ hang.ten }} là", "{{ hang.ten_xa }} là"), encoding="utf-8")
    write_csv(desk / "danh-sach.csv", [HEADER] + GOOD[:2])
    code, out = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua")
    assert code == 1
    assert "danh-sach.csv, 2 dòng (2, 3), noi_dung (cong-van.yaml:7:1): lỗi:" in out, out
    assert "không có cột 'ten_xa'" in out and "Các cột có: ten, ngay, Số liệu." in out


def test_a_rows_own_warnings_are_shown_for_that_row(desk):
    # Row 3's name holds U+FFFE (a character no document can hold: removed, with a
    # warning); the CSV keeps it as typed.
    write_csv(desk / "danh-sach.csv", rows_with({3: (0, "Xã Kỳ\ufffe Anh")}))
    code, out = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua")
    assert code == 0, out
    assert "danh-sach.csv, dòng 3, cột «ten» (ô A3): cảnh báo: Giá trị có ký tự không lưu được" in out, out
    assert "U+FFFE" in out
    # one cell used in three values (trích yếu, Kính gửi, nội dung) is told once
    assert sum("dòng 3, cột «ten»" in ln for ln in out.splitlines()) == 1
    by_row = {int(r["hang"]): r for r in manifest(desk / "ket-qua")}
    assert by_row[3]["trang_thai"] == "ok" and by_row[3]["thong_bao"].startswith("cảnh báo: cột «ten» (ô A3): ")
    assert by_row[2]["thong_bao"] == ""
    DocView(desk / "ket-qua" / by_row[3]["tep"]).find("Kính gửi: Ủy ban nhân dân Xã Kỳ Anh.")
    assert "\ufffe" not in by_row[3]["tep"]  # nor in the file's name


def test_the_sheets_notes_on_a_rows_cells_are_shown_for_that_row(desk):
    # Row 2's date has a time of day: the sheet keeps the date only, and says so.
    rows = rows_with({})
    rows[1][1] = dt.datetime(2026, 1, 10, 9, 30)
    write_xlsx(desk / "danh-sach.xlsx", rows)
    code, out = run("cong-van.yaml", "danh-sach.xlsx", "-o", "ket-qua")
    assert code == 0, out
    assert "danh-sach.xlsx, dòng 2, cột «ngay» (ô B2): cảnh báo: ô có cả giờ (09:30); chỉ lấy ngày." in out, out
    by_row = {int(r["hang"]): r for r in manifest(desk / "ket-qua")}
    assert by_row[2]["thong_bao"] == "cảnh báo: cột «ngay» (ô B2): ô có cả giờ (09:30); chỉ lấy ngày."
    assert by_row[3]["thong_bao"] == ""
    DocView(desk / "ket-qua" / by_row[2]["tep"]).find("Hà Tĩnh, ngày 10 tháng 01 năm 2026")


def test_a_formula_cell_is_refused_by_its_cell(desk):
    write_xlsx(desk / "danh-sach.xlsx", rows_with({5: (2, "=100+20")}))
    code, out = run("cong-van.yaml", "danh-sach.xlsx", "-o", "ket-qua")
    assert code == 1
    assert "danh-sach.xlsx, dòng 5, cột «Số liệu» (ô C5): lỗi: ô chứa công thức" in out, out
    assert "Hàng này không được tạo văn bản" in out


def test_a_rerun_keeps_the_documents_and_the_manifest_lists_them(desk):
    write_csv(desk / "danh-sach.csv", rows_with({4: (2, "abc")}))
    code, first = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua")
    assert code == 1 and "Xong: 4 văn bản, 1 hàng lỗi" in first
    out_dir = desk / "ket-qua"
    stamps = {p.name: p.stat().st_mtime_ns for p in out_dir.glob("*.docx")}
    assert len(stamps) == 4
    # The same run again, nothing changed: every document kept, none rewritten.
    code, again = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua")
    assert code == 1  # row 4 still fails
    assert "danh-sach.csv, 4 dòng (2, 3, 5, 6): Tệp đã có, giữ nguyên; thêm --force để ghi đè" in again, again
    assert "Xong: 0 văn bản, 1 hàng lỗi, 4 giữ nguyên, 0 bỏ qua" in again
    listed = {int(r["hang"]): r for r in manifest(out_dir)}
    assert {n: r["trang_thai"] for n, r in listed.items()} == {2: "giu-nguyen", 3: "giu-nguyen", 4: "loi",
                                                                5: "giu-nguyen", 6: "giu-nguyen"}
    assert {r["tep"] for r in listed.values() if r["tep"]} == set(stamps)
    assert {p.name: p.stat().st_mtime_ns for p in out_dir.glob("*.docx")} == stamps
    head = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    assert (head["ok"], head["failed"], head["kept"]) == (0, 1, 4)
    # The clerk fixes row 4 and runs the same command: row 4 is made, the rest kept.
    write_csv(desk / "danh-sach.csv", rows_with({}))
    code, fixed = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua")
    assert code == 0 and "Xong: 1 văn bản, 0 hàng lỗi, 4 giữ nguyên" in fixed, fixed
    assert {r["trang_thai"] for r in manifest(out_dir)} == {"ok", "giu-nguyen"}
    # The kept documents keep their record: --resume still knows them unchanged.
    code, resumed = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua", "--resume")
    assert code == 0 and "Xong: 0 văn bản, 0 hàng lỗi, 5 bỏ qua" in resumed, resumed
    code, forced = run("cong-van.yaml", "danh-sach.csv", "-o", "ket-qua", "--force", "--json")
    assert code == 0 and json.loads(forced)["done"] == 5 and json.loads(forced)["kept"] == 0


def test_help_lists_the_units_columns():
    code, out = run("--help")
    assert code == 0
    for name, meaning, example in units.UNIT_COLUMNS:
        line = next((ln for ln in out.splitlines() if ln.split()[:1] == [name]), None)
        assert line is not None and meaning in line and f"«{example}»" in line, (name, out)
    assert "--units" in out and "cả với --units" in out


@pytest.mark.parametrize("doc", ["khoa-ban-thao.md", "huong-dan-van-thu.md"])
def test_docs_list_the_units_columns(doc):
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    for name, _, example in units.UNIT_COLUMNS:
        assert f"`{name}`" in text and example in text, (doc, name)


def test_max_rows_bounds_units_too(desk):
    Path("units.yaml").write_text(DRAFT.split("phu_luc:")[0].replace("{{ phu_luc[0].tong.kinh_phi }}", "10")
                                  .replace(", chi tiết tại Phụ lục kèm theo", "")
                                  .replace("{{ hang.ten }}", "{{ hang.ten_day_du }}"), encoding="utf-8")
    code, out = run("units.yaml", "--units", "Hà Tĩnh", "-o", "ket-qua", "--max-rows", "10")
    assert code == 1
    assert "--units Hà Tĩnh: lỗi [--max-rows]: Tỉnh Hà Tĩnh có 69 đơn vị hành chính cấp xã, nhiều hơn giới " \
           "hạn 10 dòng (--max-rows)." in out, out
    assert "--max-rows 69" in out
    assert not (desk / "ket-qua").exists() or not list((desk / "ket-qua").glob("*.docx"))
    code, out = run("units.yaml", "--units", "Hà Tĩnh", "-o", "ket-qua", "--max-rows", "69", "-j", "2")
    assert code == 0 and "Xong: 69 văn bản" in out, out
    # and the sentence form of the names, in the documents
    listed = {r["tep"] for r in manifest(desk / "ket-qua")}
    texts = [t for name in sorted(listed) for t in DocView(desk / "ket-qua" / name).texts()]
    assert "Kính gửi: Ủy ban nhân dân phường Thành Sen." in texts
    assert "V/v phân bổ kinh phí năm 2026 cho xã Cẩm Xuyên" in texts
    assert not [t for t in texts if " Xã " in t or " Phường " in t or "cho Xã" in t], "a unit type capitalised"
    code, out = run("units.yaml", "--units", "Ha Tinhh", "-o", "ket-qua")
    assert code == 1 and out.startswith("--units Ha Tinhh: lỗi [--units]: Không tìm thấy tỉnh") and "<?>" not in out


def test_unit_names_inside_a_sentence():
    assert doctest.testmod(units, optionflags=doctest.ELLIPSIS).failed == 0
    ben_thanh = next(r for r in units.unit_rows("Hồ Chí Minh") if r["ten"] == "Bến Thành")
    assert (ben_thanh["ten_day_du"], ben_thanh["ten_in_hoa"]) == ("phường Bến Thành", "PHƯỜNG BẾN THÀNH")
    assert ben_thanh["tinh_day_du"] == "Thành phố Hồ Chí Minh"  # written so (Phụ lục II)
    assert units.unit_rows("Hà Nội")[0]["tinh_day_du"] == "thành phố Hà Nội"
    tien_dien = next(r for r in units.unit_rows("Hà Tĩnh") if r["ten"] == "Tiên Điền")
    assert (tien_dien["ten_day_du"], tien_dien["ten_dau_cau"]) == ("xã Tiên Điền", "Xã Tiên Điền")
    numbered = next(c for c in units.all_communes() if c.name[:1].isdigit())
    assert units.in_sentence(numbered.kind, numbered.name) == numbered.full_name  # "Phường 1 Bảo Lộc"
    assert all(w[:1].isupper() for c in units.all_communes() for w in c.name.split() if w[:1].isalpha())


def test_unit_names_agree_with_the_agency_name_rule():
    """The same Phụ lục II rule as rules/proper_names writes a commune's committee with."""
    from drafter.rules.proper_names import running

    prefix = "Ủy ban nhân dân "
    for c in units.all_communes():
        written = running("ỦY BAN NHÂN DÂN " + c.full_name.upper(), place=c.name)
        assert written == prefix + units.in_sentence(c.kind, c.name), c
    for p in units.provinces():
        written = running("ỦY BAN NHÂN DÂN " + p.full_name.upper(), place=p.name)
        assert written == prefix + units.in_sentence(p.kind, p.name), p
