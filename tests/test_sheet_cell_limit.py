"""Issue 15, point 3: an Excel cell has the limit a CSV cell has (131,072 characters,
`DRAFTER_MAX_CELL_CHARS`), through `drafter batch` itself.

openpyxl cuts a string to Excel's 32,767 characters when it writes one, so the long
cell is put into the sheet's XML by hand, as any other program may write it.
"""

from __future__ import annotations

import csv
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.inputs import sheets

HEADER = ["so", "ngay", "ten", "kinh_gui", "kinh_phi"]
LIMIT = sheets.DEFAULT_MAX_CELL_CHARS


@pytest.fixture
def desk(tmp_path, monkeypatch):
    from test_batch import DRAFT

    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def xlsx_with_cell(path: Path, text: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["12", "2026-01-15", "PLACEHOLDER", "UBND xã A", 5])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, data.replace(b"PLACEHOLDER", text.encode("utf-8")))
    plain.unlink()
    return path


def csv_with_cell(path: Path, text: str) -> Path:
    path.write_text(",".join(HEADER) + "\n12,2026-01-15," + text + ",UBND xã A,5\n", encoding="utf-8")
    return path


def batch(*args: str, env: dict | None = None):
    start = time.monotonic()
    result = CliRunner().invoke(main, ["batch", "draft.yaml", *args], env=env or {})
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result, elapsed


def test_the_xlsx_really_holds_the_long_cell(desk):
    xlsx_with_cell(desk / "d.xlsx", "á" * 200_000)
    xml = zipfile.ZipFile(desk / "d.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert max(len(m) for m in re.findall("á+", xml)) == 200_000
    wb = openpyxl.load_workbook(desk / "d.xlsx", read_only=True)
    assert len(list(wb.worksheets[0].iter_rows(min_row=2))[0][2].value) == 200_000


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_over_the_limit_is_refused_with_its_row_fast(desk, kind):
    make = xlsx_with_cell if kind == "xlsx" else csv_with_cell
    make(desk / f"d.{kind}", "á" * (LIMIT + 1))
    result, elapsed = batch(f"d.{kind}", "-o", "out")
    assert result.exit_code == 1, result.output
    assert f"d.{kind}:2:" in result.output  # file and row
    assert "131.072 ký tự" in result.output and "DRAFTER_MAX_CELL_CHARS" in result.output
    if kind == "xlsx":
        assert "Ô C2 dài 131.073 ký tự" in result.output
    assert not list((desk / "out").glob("*.docx")) if (desk / "out").exists() else True
    assert elapsed < 2.0, f"{elapsed:.1f} s"
    assert csv.field_size_limit() == LIMIT  # the csv module's own limit is given back


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_at_the_limit_makes_its_document(desk, kind):
    make = xlsx_with_cell if kind == "xlsx" else csv_with_cell
    make(desk / f"d.{kind}", "á" * LIMIT)
    result, elapsed = batch(f"d.{kind}", "-o", "out")
    assert result.exit_code == 0, result.output
    assert len(list((desk / "out").glob("*.docx"))) == 1
    assert elapsed < 3.0, f"{elapsed:.1f} s"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_cell_limit_can_be_raised_and_a_bad_value_is_a_clean_error(desk, kind):
    make = xlsx_with_cell if kind == "xlsx" else csv_with_cell
    make(desk / f"d.{kind}", "á" * (LIMIT + 10))
    result, _ = batch(f"d.{kind}", "-o", "out", env={"DRAFTER_MAX_CELL_CHARS": str(LIMIT * 2)})
    assert result.exit_code == 0, result.output
    assert csv.field_size_limit() == LIMIT
    result, _ = batch(f"d.{kind}", "-o", "out2", env={"DRAFTER_MAX_CELL_CHARS": "nhiều"})
    assert result.exit_code == 1 and "DRAFTER_MAX_CELL_CHARS='nhiều'" in result.output, result.output


def test_the_cell_limit_is_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text(encoding="utf-8")
    line = next(ln for ln in doc.splitlines() if ln.startswith("|") and f"`{sheets.MAX_CELL_CHARS_ENV}`" in ln)
    assert "131.072" in line and "Excel" in line and "CSV" in line
    assert LIMIT == 131_072


def test_xlsx_with_a_doctype_is_refused_by_name(tmp_path):
    import time
    import zipfile

    import openpyxl
    from click.testing import CliRunner

    from drafter.cli import main

    wb = openpyxl.Workbook()
    wb.active.append(["ten", "kinh_phi"])
    wb.active.append(["Xã A", 5])
    wb.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as src, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
            dst.writestr(item, data)
    (tmp_path / "d.yaml").write_text(
        "loai: cong-van\nco_quan: {ten: SỞ X, viet_tat: SX, dia_danh: Hà Tĩnh}\ntrich_yeu: x {{ hang.ten }}\n"
        "kinh_gui: A\nky: {chuc_vu: GIÁM ĐỐC, ho_ten: A}\n", encoding="utf-8")
    started = time.perf_counter()
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "d.yaml"), str(tmp_path / "bad.xlsx"), "-o", str(tmp_path / "o")])
    assert time.perf_counter() - started < 2
    assert r.exit_code == 1 and "Lỗi nội bộ" not in r.output and "Traceback" not in r.output
    assert "DOCTYPE" in r.output and "bad.xlsx" in r.output
    assert not list((tmp_path / "o").glob("*.docx")) if (tmp_path / "o").exists() else True
