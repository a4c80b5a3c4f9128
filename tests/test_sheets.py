"""drafter.inputs.sheets: CSV / Excel tables read safely. Every file is built here."""

from __future__ import annotations

import datetime
import pickle
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from drafter.inputs import sheets
from drafter.inputs.sheets import Row, SheetData, SheetError, SheetIssue, read_rows

# --------------------------------------------------------------------------- helpers

from sheet_files import to_cp1258  # noqa: E402  (Windows' cp1258: tones after their letter)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def write_xlsx(path: Path, rows: list[list], title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def all_values(data: SheetData) -> list:
    return [v for row in data.rows for v in row.values.values()]


def codes(data: SheetData) -> list[tuple[int | None, str]]:
    return [(w.row, w.code) for w in data.warnings]


# --------------------------------------------------------------------------- CSV


def test_csv_utf8_bom_is_stripped(tmp_path):
    p = tmp_path / "xa.csv"
    p.write_bytes("Mã,Tên xã\n18673,Xã Cẩm Xuyên\n".encode("utf-8-sig"))
    data = read_rows(p)
    assert data.columns == ["Mã", "Tên xã"]
    assert data.rows == [Row(2, {"Mã": "18673", "Tên xã": "Xã Cẩm Xuyên"})]
    assert data.warnings == []
    assert data.path == p


def test_csv_plain_utf8(tmp_path):
    p = tmp_path / "xa.csv"
    p.write_text("Tên\nPhường Thành Sen\n", encoding="utf-8")
    assert read_rows(p).rows[0].values == {"Tên": "Phường Thành Sen"}


def test_csv_cp1258_is_decoded_and_nfc_normalised(tmp_path):
    text = "Tên xã;Người ký\r\nXã Cẩm Xuyên;Dương Tất Thắng\r\nPhường Hà Huy Tập;Đặng Quốc Vinh\r\n"
    raw = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    p = tmp_path / "ansi.csv"
    p.write_bytes(raw)
    data = read_rows(p)
    assert data.columns == [nfc("Tên xã"), nfc("Người ký")]
    assert [r.values[nfc("Tên xã")] for r in data.rows] == [nfc("Xã Cẩm Xuyên"), nfc("Phường Hà Huy Tập")]
    assert data.rows[1].values["Người ký"] == "Đặng Quốc Vinh"
    for value in all_values(data):
        assert unicodedata.is_normalized("NFC", value)
    assert [w.code for w in data.warnings] == ["encoding"]
    assert "UTF-8" in data.warnings[0].message


def test_csv_utf8_with_one_damaged_byte_is_not_reread_as_cp1258(tmp_path):
    good = ("Tên,Số\n" + "".join(f"Xã Cẩm Xuyên {i},{i}\n" for i in range(3000))).encode("utf-8")
    cut = good.index(b"\n", 50_000) + 1
    p = tmp_path / "hong.csv"
    p.write_bytes(good[:cut] + b"\xff" + good[cut:])
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert err.value.row == good[:cut].count(b"\n") + 1
    assert "UTF-8" in err.value.message


def test_csv_cp1252_fallback(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("Tên;Ghi chú\nŠkoda;café\n".encode("cp1252"))  # Š is not in cp1258
    data = read_rows(p)
    assert data.rows[0].values == {"Tên": "Škoda", "Ghi chú": "café"}
    assert "1252" in data.warnings[0].message


def test_csv_utf16_with_bom_tab_delimited(tmp_path):
    # Excel's "Unicode Text" export: UTF-16 LE with BOM, tab-separated.
    p = tmp_path / "unicode.txt"
    p.write_bytes("Tên\tSố tiền\r\nXã Kỳ Anh\t1.500\r\n".encode("utf-16"))
    data = read_rows(p)
    assert data.columns == ["Tên", "Số tiền"]
    assert data.rows[0].values == {"Tên": "Xã Kỳ Anh", "Số tiền": "1.500"}


def test_csv_semicolon_delimiter_and_numbers_stay_strings(tmp_path):
    p = tmp_path / "kinh-phi.csv"
    p.write_text(
        "Nội dung;Năm 2019;Năm 2020\n"
        "Hỗ trợ máy móc, thiết bị;1.514,5;3.214\n"
        "Đào tạo nghề;12;0,5\n",
        encoding="utf-8",
    )
    data = read_rows(p)
    assert data.columns == ["Nội dung", "Năm 2019", "Năm 2020"]
    assert data.rows[0].values == {
        "Nội dung": "Hỗ trợ máy móc, thiết bị",
        "Năm 2019": "1.514,5",
        "Năm 2020": "3.214",
    }
    assert data.rows[1].values["Năm 2019"] == "12"  # not guessed into an int


def test_csv_excel_sep_hint_line(tmp_path):
    p = tmp_path / "sep.csv"
    p.write_text("sep=;\nA;B\n1,5;2\n", encoding="utf-8")
    data = read_rows(p)
    assert data.columns == ["A", "B"]
    # Excel hides the sep= line, so the header is row 1 and the data row 2.
    assert data.rows == [Row(2, {"A": "1,5", "B": "2"})]


def test_csv_formula_like_text_is_plain_data(tmp_path):
    p = tmp_path / "text.csv"
    p.write_text(
        'Ghi chú,Điện thoại\n=1+1,+84 912 345 678\n"=HYPERLINK(""http://x"",""y"")",-5\n@SUM(A1),x\n',
        encoding="utf-8",
    )
    data = read_rows(p)
    assert [r.values for r in data.rows] == [
        {"Ghi chú": "=1+1", "Điện thoại": "+84 912 345 678"},
        {"Ghi chú": '=HYPERLINK("http://x","y")', "Điện thoại": "-5"},
        {"Ghi chú": "@SUM(A1)", "Điện thoại": "x"},
    ]
    assert data.warnings == []


def test_csv_ragged_rows_and_blank_lines(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text(
        "Mã,Tên,Ghi chú\n"
        "1,Xã A,ok\n"
        "\n"
        "2,Xã B\n"  # short: missing value is None
        "3,Xã C,,\n"  # a trailing empty cell is not "extra"
        "4,Xã D,x,thừa,thừa nữa\n"
        " , , \n",  # only blanks: skipped
        encoding="utf-8",
    )
    data = read_rows(p)
    assert [r.number for r in data.rows] == [2, 4, 5, 6]
    assert data.rows[1].values == {"Mã": "2", "Tên": "Xã B", "Ghi chú": None}
    assert data.rows[2].values == {"Mã": "3", "Tên": "Xã C", "Ghi chú": None}
    assert data.rows[3].values == {"Mã": "4", "Tên": "Xã D", "Ghi chú": "x"}
    assert codes(data) == [(6, "extra-cells")]
    issue = data.warnings[0]
    assert issue.column == "D"
    assert "D, E" in issue.message


def test_csv_multiline_cell_counts_as_one_row(tmp_path):
    p = tmp_path / "multi.csv"
    p.write_text('Tên,Địa chỉ\nXã A,"Thôn 1\nThôn 2"\nXã B,x\n', encoding="utf-8")
    data = read_rows(p)
    assert [r.number for r in data.rows] == [2, 3]
    assert data.rows[0].values["Địa chỉ"] == "Thôn 1\nThôn 2"


def test_csv_unclosed_quote_is_an_error_not_a_swallowed_file(tmp_path):
    p = tmp_path / "broken.csv"
    p.write_text('Tên,Số\n"Xã A,1\nXã B,2\nXã C,3\n', encoding="utf-8")
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert err.value.row == 2
    assert "ngoặc kép" in err.value.message


def test_csv_header_is_stripped_and_nfc(tmp_path):
    p = tmp_path / "nfd.csv"
    p.write_text(unicodedata.normalize("NFD", "  Tên xã ,Mã\nXã Kỳ Anh,1\n"), encoding="utf-8")
    data = read_rows(p)
    assert data.columns == ["Tên xã", "Mã"]
    assert data.rows[0].values["Tên xã"] == "Xã Kỳ Anh"


def test_csv_sheet_argument_is_ignored_with_a_warning(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("A\n1\n", encoding="utf-8")
    data = read_rows(p, sheet="Sheet1")
    assert codes(data) == [(None, "sheet-ignored")]


def test_xlsx_renamed_to_csv_is_explained(tmp_path):
    p = write_xlsx(tmp_path / "a.xlsx", [["A"], [1]]).rename(tmp_path / "a.csv")
    with pytest.raises(SheetError, match=r"\.xlsx"):
        read_rows(p)


# --------------------------------------------------------------------------- Excel values


def test_xlsx_numbers_and_dates(tmp_path):
    p = write_xlsx(
        tmp_path / "so.xlsx",
        [
            ["Tên", "Số lượng", "Kinh phí", "Ngày"],
            ["Xã A", 3, 3.0, datetime.date(2025, 7, 1)],
            ["Xã B", 10**15, 12.5, datetime.datetime(2019, 12, 13, 0, 0)],
            ["Xã C", -4.0, 1514.35, datetime.datetime(2019, 12, 13, 9, 30)],
            ["Xã D", 0, 0.1, None],
        ],
    )
    data = read_rows(p)
    v = [r.values for r in data.rows]
    assert v[0] == {"Tên": "Xã A", "Số lượng": 3, "Kinh phí": 3, "Ngày": datetime.date(2025, 7, 1)}
    assert type(v[0]["Kinh phí"]) is int  # a whole float becomes int
    assert v[1]["Số lượng"] == 10**15 and type(v[1]["Số lượng"]) is int
    assert v[1]["Kinh phí"] == Decimal("12.5") and isinstance(v[1]["Kinh phí"], Decimal)
    assert v[1]["Ngày"] == datetime.date(2019, 12, 13)
    assert type(v[1]["Ngày"]) is datetime.date
    assert v[2]["Số lượng"] == -4 and type(v[2]["Số lượng"]) is int
    assert v[2]["Kinh phí"] == Decimal("1514.35")  # shortest repr, not the binary expansion
    assert v[3]["Kinh phí"] == Decimal("0.1")
    assert v[3]["Ngày"] is None
    # a date with a time of day keeps the date and says the time was dropped
    assert v[2]["Ngày"] == datetime.date(2019, 12, 13)
    assert codes(data) == [(4, "time-dropped")]


def test_xlsx_text_is_stripped_nfc_and_empty_is_none(tmp_path):
    p = write_xlsx(
        tmp_path / "t.xlsx",
        [["Tên", "Ghi chú"], [unicodedata.normalize("NFD", "  Xã Cẩm Xuyên "), "   "]],
    )
    data = read_rows(p)
    assert data.rows[0].values == {"Tên": "Xã Cẩm Xuyên", "Ghi chú": None}


def test_xlsx_numeric_header_becomes_text(tmp_path):
    p = write_xlsx(tmp_path / "nam.xlsx", [["Nội dung", 2019, 2020], ["A", 1, 2]])
    assert read_rows(p).columns == ["Nội dung", "2019", "2020"]


def _inject_cached_values(path: Path, cached: str) -> None:
    """Give every formula a cached result, as Excel saves it: the reader must not use it."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode("utf-8")
    xml, n = re.subn(
        r"<c ([^>]*)><f>(.*?)</f><v\s*(?:/>|></v>)",
        lambda m: f'<c {m[1]} t="str"><f>{m[2]}</f><v>{cached}</v>',
        xml,
    )
    assert n > 0
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)


def test_xlsx_formulas_are_never_evaluated_nor_passed_on(tmp_path):
    p = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên", "Liên kết", "Tổng"])
    ws.append(["Xã A", '=HYPERLINK("http://evil.example","bấm vào đây")', "=1+1"])
    ws.append(["Xã B", "=cmd|' /C calc'!A0", 5])
    ws.append(["Xã C", "an toàn", "=SUM(C2:C3)"])
    ws["B5"] = "=1+1"
    ws["B5"].data_type = "s"  # text that merely starts with "=": treated as a formula too
    ws["A5"] = "Xã D"
    wb.save(p)
    _inject_cached_values(p, "LEAKED")

    data = read_rows(p)
    for value in all_values(data):
        if isinstance(value, str):
            assert not value.startswith("=")
            assert "LEAKED" not in value and "evil" not in value and "calc" not in value
    assert [r.values for r in data.rows] == [
        {"Tên": "Xã A", "Liên kết": None, "Tổng": None},
        {"Tên": "Xã B", "Liên kết": None, "Tổng": 5},
        {"Tên": "Xã C", "Liên kết": "an toàn", "Tổng": None},
        {"Tên": "Xã D", "Liên kết": None, "Tổng": None},
    ]
    formula_issues = [(w.row, w.column) for w in data.warnings if w.code == "formula"]
    assert formula_issues == [(2, "Liên kết"), (2, "Tổng"), (3, "Liên kết"), (4, "Tổng"), (5, "Liên kết")]
    assert "B2" in data.warnings[0].message


def test_xlsx_row_with_only_a_formula_is_kept_and_reported(tmp_path):
    p = write_xlsx(tmp_path / "f.xlsx", [["A", "B"], [None, "=1+1"], ["x", "y"]])
    data = read_rows(p)
    assert [r.number for r in data.rows] == [2, 3]
    assert data.rows[0].values == {"A": None, "B": None}
    assert codes(data) == [(2, "formula")]


def test_xlsx_formula_in_header_is_an_error(tmp_path):
    p = write_xlsx(tmp_path / "h.xlsx", [["Tên", "=A1&\"x\""], ["a", "b"]])
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert err.value.row == 1 and err.value.column == "B"


def test_xlsx_ragged_rows_and_empty_rows(tmp_path):
    p = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã", "Tên"])
    ws.append([1, "Xã A", "thừa"])
    ws.append([])
    ws.append([2])
    ws["A7"] = 3
    ws["B7"] = "Xã C"
    ws["E7"] = "xa"
    ws["C9"] = "   "  # only white space: an empty row
    wb.save(p)
    data = read_rows(p)
    assert [r.number for r in data.rows] == [2, 4, 7]
    assert data.rows[1].values == {"Mã": 2, "Tên": None}
    assert [(w.row, w.code, w.column) for w in data.warnings] == [
        (2, "extra-cells", "C"),
        (7, "extra-cells", "E"),
    ]


def test_xlsx_header_below_blank_rows_keeps_sheet_numbers(tmp_path):
    p = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"] = "Tên"
    ws["A4"] = "Xã A"
    wb.save(p)
    data = read_rows(p)
    assert data.columns == ["Tên"]
    assert data.rows == [Row(4, {"Tên": "Xã A"})]


def test_xlsx_sheet_by_name(tmp_path):
    p = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Khác"])
    wb.active.append(["x"])
    ws = wb.create_sheet("Phụ lục I")
    ws.append(["Nội dung"])
    ws.append(["Hỗ trợ"])
    wb.save(p)
    assert read_rows(p).columns == ["Khác"]  # the first sheet by default
    assert read_rows(p, sheet="Phụ lục I").rows[0].values == {"Nội dung": "Hỗ trợ"}
    assert read_rows(p, sheet="phụ lục i").columns == ["Nội dung"]
    with pytest.raises(SheetError, match="Phụ lục I"):
        read_rows(p, sheet="Phụ lục II")


# --------------------------------------------------------------------------- sheet errors


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_empty_sheet(tmp_path, kind):
    if kind == "csv":
        p = tmp_path / "empty.csv"
        p.write_text("\n \n", encoding="utf-8")
    else:
        p = write_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert "trống" in err.value.message
    assert err.value.path == p


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_header_only_sheet(tmp_path, kind):
    if kind == "csv":
        p = tmp_path / "h.csv"
        p.write_text("Mã,Tên\n\n", encoding="utf-8")
    else:
        p = write_xlsx(tmp_path / "h.xlsx", [["Mã", "Tên"], [], [None, "  "]])
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert err.value.row == 1
    assert "tiêu đề" in err.value.message
    assert str(err.value) == f"{p}:1: {err.value.message}"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_duplicate_headers_name_the_columns(tmp_path, kind):
    header = ["Mã", "Tên", "Ghi chú", "tên"]
    if kind == "csv":
        p = tmp_path / "d.csv"
        p.write_text(",".join(header) + "\n1,2,3,4\n", encoding="utf-8")
    else:
        p = write_xlsx(tmp_path / "d.xlsx", [header, [1, 2, 3, 4]])
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert "B và D" in err.value.message
    assert err.value.row == 1


def test_empty_header_cell_names_the_column(tmp_path):
    p = write_xlsx(tmp_path / "e.xlsx", [["Mã", None, "Tên", "  "  , "Ghi chú"], [1, 2, 3, 4, 5]])
    with pytest.raises(SheetError) as err:
        read_rows(p)
    assert "B, D" in err.value.message
    assert err.value.column == "B"


def test_old_xls_and_unknown_extensions(tmp_path):
    for name in ("bang.xls", "bang.ods", "bang.docx", "bang"):
        p = tmp_path / name
        p.write_bytes(b"whatever")
        with pytest.raises(SheetError) as err:
            read_rows(p)
        assert ".xlsx" in err.value.message and "CSV UTF-8" in err.value.message


def test_xls_saved_with_xlsx_extension(tmp_path):
    p = tmp_path / "cu.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(SheetError, match=r"\.xls"):
        read_rows(p)


def test_not_a_zip_with_xlsx_extension(tmp_path):
    p = tmp_path / "gia.xlsx"
    p.write_text("Tên,Mã\nA,1\n", encoding="utf-8")
    with pytest.raises(SheetError, match="không phải"):
        read_rows(p)


def test_damaged_sheet_xml_is_a_sheet_error(tmp_path):
    p = write_xlsx(tmp_path / "hong.xlsx", [["Tên"], ["Xã A"]])
    with zipfile.ZipFile(p) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(b"</sheetData>", b"<row><c><v>1</v></sheetData>")
    with zipfile.ZipFile(p, "w") as z:
        for part, content in parts.items():
            z.writestr(part, content)
    with pytest.raises(SheetError, match="hỏng"):
        read_rows(p)


def test_missing_file(tmp_path):
    with pytest.raises(SheetError, match="Không tìm thấy"):
        read_rows(tmp_path / "khong-co.csv")


def test_sheet_error_str():
    err = SheetError("a/b.xlsx", "Lỗi gì đó.", row=7, column="C")
    assert str(err) == "a/b.xlsx:7: Lỗi gì đó."
    assert (err.row, err.column, err.message) == (7, "C", "Lỗi gì đó.")
    assert str(SheetError("a.csv", "Trống.")) == "a.csv: Trống."
    again = pickle.loads(pickle.dumps(err))
    assert (str(again), again.row, again.column, again.message) == (str(err), 7, "C", "Lỗi gì đó.")


# --------------------------------------------------------------------------- limits


def test_max_rows_exactly_at_the_limit_is_fine(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("A\n" + "".join(f"{i}\n" for i in range(10)), encoding="utf-8")
    assert len(read_rows(p, max_rows=10).rows) == 10
    with pytest.raises(SheetError) as err:
        read_rows(p, max_rows=9)
    assert err.value.row == 11
    assert "--max-rows" in err.value.message and "DRAFTER_MAX_ROWS" in err.value.message


def test_max_rows_must_be_positive(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("A\n1\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_rows(p, max_rows=0)


def test_100k_row_xlsx_fails_fast_at_the_limit(tmp_path, monkeypatch):
    p = tmp_path / "lon.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Mã"])
    for i in range(100_000):
        ws.append([i])
    wb.save(p)

    consumed = 0
    real_records = sheets._xlsx_records

    def counting(ws):
        nonlocal consumed
        for record in real_records(ws):
            consumed += 1
            yield record

    monkeypatch.setattr(sheets, "_xlsx_records", counting)
    with pytest.raises(SheetError) as err:
        read_rows(p, max_rows=50_000)
    assert err.value.row == 50_002  # header + 50,000 rows read, stopped at the next one
    assert consumed == 50_002  # the other 49,999 rows were never read
    assert "50.000" in err.value.message
    assert "--max-rows" in err.value.message and "DRAFTER_MAX_ROWS" in err.value.message


def test_default_max_rows_from_environment():
    assert sheets.default_max_rows({}) == 50_000
    assert sheets.default_max_rows({"DRAFTER_MAX_ROWS": "200000"}) == 200_000
    assert sheets.default_max_rows({"DRAFTER_MAX_ROWS": "200_000"}) == 200_000
    with pytest.raises(ValueError, match="DRAFTER_MAX_ROWS"):
        sheets.default_max_rows({"DRAFTER_MAX_ROWS": "nhiều"})
    with pytest.raises(ValueError):
        sheets.default_max_rows({"DRAFTER_MAX_ROWS": "-1"})


# --------------------------------------------------------------------------- legacy text


def test_legacy_tcvn3_text_is_converted_with_a_warning(tmp_path):
    p = tmp_path / "legacy.csv"
    # "Hướng dẫn" typed with a TCVN3 (.VnTime) font, as it arrives once read as cp1252
    p.write_text("Tên,Ghi chú\nH\u00adíng dÉn,Bình thường\n", encoding="utf-8")
    data = read_rows(p)
    assert data.rows[0].values == {"Tên": "Hướng dẫn", "Ghi chú": "Bình thường"}
    assert [(w.row, w.code, w.column) for w in data.warnings] == [(2, "legacy-encoding", "Tên")]
    assert "TCVN3" in data.warnings[0].message


def test_clean_text_fast_path_matches_clean():
    from drafter.rules.text import clean

    for text in ["Xã 12", "R&D <b> {{ x }} 100%", "=1+1", unicodedata.normalize("NFD", "Hà Tĩnh")]:
        cleaned, notes = sheets._clean_text(text)
        assert (cleaned, list(notes)) == clean(text)


def test_issue_str():
    assert str(SheetIssue(5, "Tên", "formula", "Ô B5 (Tên): …")) == "dòng 5: Ô B5 (Tên): …"


def test_xlsx_zip_bomb_is_refused_before_openpyxl(tmp_path, monkeypatch):
    """An .xlsx is a zip: its parts are inflated through drafter's bounded reader first
    (docs/limits.md), so a sheet part that inflates past the part limit is refused."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["ma", "ten"])
    wb.active.append(["1", "Xã A"])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (3 * 1024 * 1024))
            dst.writestr(item.filename, data)
    monkeypatch.setenv("DRAFTER_MAX_PART_MB", "1")
    assert sheets.read_rows(good).rows  # a normal sheet still reads under the lowered limit
    with pytest.raises(sheets.SheetError) as err:
        sheets.read_rows(bomb)
    assert "xl/worksheets/sheet1.xml" in str(err.value) or "giải nén" in str(err.value)
    monkeypatch.setenv("DRAFTER_MAX_PART_MB", "8")
    monkeypatch.setenv("DRAFTER_MAX_RATIO", "2000")
    assert sheets.read_rows(bomb).rows[0].values["ten"] == "Xã A"  # raised for a trusted file


COMMUNES = ["Xã Kỳ Anh", "Phường Thành Sen", "Xã Cẩm Xuyên", "Phường Hà Huy Tập", "Xã Đức Thọ", "Xã Nghi Xuân"]


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_csv_saved_in_an_old_fonts_bytes_is_read_through_its_table(tmp_path, encoding):
    """A sheet typed with .VnTime (TCVN3) or VNI fonts, saved as CSV: its bytes are the
    fonts' letter codes. Every cell is converted (not garbled through Windows-1258:
    "Kỳ" once came out "Kú"), with one note naming the encoding."""
    from drafter.rules.text import _encode_legacy

    text = "ma,ten,kinh_phi\n" + "".join(f"{i},{n},{i * 5}\n" for i, n in enumerate(COMMUNES, 1))
    p = tmp_path / "old.csv"
    p.write_bytes(_encode_legacy(text, encoding).encode("latin-1"))
    data = read_rows(p)
    assert [r.values["ten"] for r in data.rows] == COMMUNES
    assert data.columns == ["ma", "ten", "kinh_phi"]
    assert [w.code for w in data.warnings] == ["encoding"]
    assert {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI Windows"}[encoding] in data.warnings[0].message


def test_a_windows_1258_csv_is_not_taken_for_an_old_font(tmp_path):
    text = "ma,ten\n" + "".join(f"{i},{n}\n" for i, n in enumerate(COMMUNES, 1))
    p = tmp_path / "ansi.csv"
    p.write_bytes(to_cp1258(text))
    data = read_rows(p)
    assert [r.values["ten"] for r in data.rows] == COMMUNES
    assert "Windows-1258" in data.warnings[0].message


# --------------------------------------------------------------------------- one reader, every file

import sheet_files  # noqa: E402  (tests/ is on sys.path, as for conftest)

BATCH_ROWS = [
    ["ma", "ten", "kinh_phi", "ghi_chu"],
    ["1", "Xã Kỳ Anh", "1.514,5", "đợt 1; hỗ trợ nghề"],
    ["2", "Phường Thành Sen", "3.214", None],
    [None, None, None, None],  # a blank row: skipped, numbers kept
    ["3", "Xã Đức Thọ", "-5", '"trích" dẫn, có dấu phẩy'],
]


@pytest.mark.parametrize("encoding, delimiter", [v[1:] for v in sheet_files.variants()],
                         ids=[v[0] for v in sheet_files.variants()])
def test_the_same_batch_rows_saved_every_way_read_the_same(tmp_path, encoding, delimiter):
    path = sheet_files.save(tmp_path, BATCH_ROWS, encoding, delimiter)
    data = read_rows(path)
    assert data.columns == ["ma", "ten", "kinh_phi", "ghi_chu"]
    assert data.rows == [
        Row(2, {"ma": "1", "ten": "Xã Kỳ Anh", "kinh_phi": "1.514,5", "ghi_chu": "đợt 1; hỗ trợ nghề"}),
        Row(3, {"ma": "2", "ten": "Phường Thành Sen", "kinh_phi": "3.214", "ghi_chu": None}),
        Row(5, {"ma": "3", "ten": "Xã Đức Thọ", "kinh_phi": "-5", "ghi_chu": '"trích" dẫn, có dấu phẩy'}),
    ]
    records = sheets.read_records(path)
    # Every non-empty row as read (an .xlsx row ends at its last cell written).
    padded = [(r.number, r.cells + [None] * (4 - len(r.cells)), r.issues) for r in records.records]
    assert padded == [(n, BATCH_ROWS[n - 1], ()) for n in (1, 2, 3, 5)]
    notes = {"cp1258": "Windows-1258", "tcvn3": "TCVN3"}
    assert [w.code for w in data.warnings] == (["encoding"] if encoding in notes else [])
    assert [w.message for w in records.warnings] == [w.message for w in data.warnings]
    if encoding in notes:
        assert notes[encoding] in data.warnings[0].message


def test_read_records_keeps_types_numbers_and_cell_problems(tmp_path):
    p = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["TT", "Nội dung", "Năm 2018", None])
    ws.append([None, None, "Số lượng", "Kinh phí"])
    ws.append([])
    ws.append(["1", "Việc A", 3, 12.5])
    ws.append([2, "Việc B", "=1+1", datetime.datetime(2019, 12, 13, 9, 30)])
    ws.append([None, None, None, "#N/A"])
    wb.save(p)
    data = sheets.read_records(p, header_rows=2)
    assert [r.number for r in data.records] == [1, 2, 4, 5, 6]
    assert data.records[2].cells == ["1", "Việc A", 3, Decimal("12.5")]
    assert type(data.records[3].cells[0]) is int
    assert data.records[3].cells == [2, "Việc B", None, datetime.date(2019, 12, 13)]
    assert [(i.index, i.letter, i.code) for i in data.records[3].issues] == [(2, "C", "formula"), (3, "D", "time-dropped")]
    assert data.records[4].cells == [None, None, None, None]  # only an error value: kept, reported
    assert [(i.letter, i.code) for i in data.records[4].issues] == [("D", "error-value")]
    assert data.warnings == []
    # A cell problem as drafter batch words it, with or without the column's name.
    issue = data.records[3].issues[0]
    assert str(data.records[3].sheet_issue(issue, "Số lượng")) == f"dòng 5: Ô C5 (Số lượng): {issue.message}"
    assert data.records[3].sheet_issue(issue).column == "C"
    # read_rows on the same sheet words its problems the same way.
    rows = read_rows(p)
    assert [w.message for w in rows.warnings if w.code == "formula"] == [
        data.records[3].sheet_issue(issue, "Năm 2018").message
    ]


def test_read_records_limit_counts_rows_after_the_header(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("A\nB\n" + "".join(f"{i}\n" for i in range(5)), encoding="utf-8")
    data = sheets.read_records(p, max_rows=5, header_rows=3)  # 7 records: within 5 + 3
    data.check_data_rows(2)  # a two-row header: 5 data rows, at the limit
    with pytest.raises(SheetError) as err:
        data.check_data_rows(1)  # one header row: 6 data rows
    assert err.value.row == 7 and "vượt giới hạn 5 dòng" in err.value.message
    with pytest.raises(SheetError) as err:
        sheets.read_records(p, max_rows=3, header_rows=2)  # stops at the 6th record
    assert err.value.row == 6
    with pytest.raises(SheetError) as err:
        data.check_data_rows(7)
    assert err.value.row == 7 and "chỉ có dòng tiêu đề" in err.value.message
    with pytest.raises(ValueError):
        sheets.read_records(p, header_rows=0)
    (tmp_path / "e.csv").write_text("\n\n", encoding="utf-8")
    with pytest.raises(SheetError, match="trống"):
        sheets.read_records(tmp_path / "e.csv")


def test_utf16_csv_reads_like_its_utf8_twin_through_read_records(tmp_path):
    rows = [["TT", "Nội dung", "Năm 2018", None], [None, None, "Số lượng", "Kinh phí"], ["1", "Việc A", "3", "12,5"]]
    a = sheets.read_records(sheet_files.write_csv(tmp_path / "a.csv", rows, "utf-8"), header_rows=2)
    b = sheets.read_records(sheet_files.write_csv(tmp_path / "b.csv", rows, "utf-16-le-bom", "\t"), header_rows=2)
    assert a.records == b.records
    assert a.records[1].cells == [None, None, "Số lượng", "Kinh phí"]
