"""Issue 20, point 3: `drafter so-di` lists the outgoing register and prints one year
as the register book of Phụ lục IV (.xlsx, .docx, .pdf; A4 landscape; header row
repeated; a cancelled number shown as cancelled)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.issue.book import COLUMNS, TITLE
from drafter.issue.model import RegisterFields
from drafter.issue.register import Register

HEADERS = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
           "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def reg(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sodi") / "so.sqlite3"
    with Register.open(path) as r:
        for i in range(30):
            cv = i % 2 == 0
            r.issue(series="chung", year=2026, fields=RegisterFields(
                ky_hieu="UBND-KT" if cv else "QĐ-UBND", ngay=dt.date(2026, 1, 2) + dt.timedelta(days=3 * i),
                ten_loai="Công văn" if cv else "Quyết định",
                trich_yeu=f"V/v triển khai nhiệm vụ số {i + 1}" if cv else f"Về việc giao chỉ tiêu đợt {i + 1}",
                nguoi_ky="Nguyễn Minh Quang" if i % 3 else "Lê Văn Đông",
                noi_nhan=["Sở Tài chính", "Sở Công Thương"], ban_luu=["VT", "KT"], so_luong_ban=8,
                loai="cong-van" if cv else "quyet-dinh"))
        r.issue(series="sao", year=2026, fields=RegisterFields(
            ky_hieu="SY-UBND", ngay=dt.date(2026, 2, 1), ten_loai="Bản sao y",
            trich_yeu="Quyết định số 02/QĐ-UBND", nguoi_ky="Trần Văn Bình", loai="sao-y"))
        r.issue(series="chung", year=2025, fields=RegisterFields(
            ky_hieu="UBND-KT", ngay=dt.date(2025, 12, 30), ten_loai="Công văn", trich_yeu="V/v năm cũ",
            nguoi_ky="Lê Văn Đông", loai="cong-van"))
        r.cancel(series="chung", year=2026, so=7, who="Lê Thị Hoa", why="cấp nhầm")
    return path


def test_list_and_filters(reg) -> None:
    code, out = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("2026 01/UBND-KT") and lines[-1] == "Có 31 số."
    assert any("07/UBND-KT" in ln and "ĐÃ HỦY SỐ (Lê Thị Hoa" in ln and "cấp nhầm" in ln for ln in lines)
    code, out = run("so-di", "--so-dang-ky", str(reg), "--loai", "quyet-dinh", "--json")
    rows = json.loads(out)["entries"]
    assert {r["loai"] for r in rows} == {"quyet-dinh"} and len(rows) == 15
    code, out = run("so-di", "--so-dang-ky", str(reg), "--nguoi-ky", "lê văn", "--json")
    assert {r["nguoi_ky"] for r in json.loads(out)["entries"]} == {"Lê Văn Đông"}
    code, out = run("so-di", "--so-dang-ky", str(reg), "--tim", "đợt 4", "--json")
    assert [r["so_ky_hieu"] for r in json.loads(out)["entries"]] == ["04/QĐ-UBND"]
    code, out = run("so-di", "--so-dang-ky", str(reg), "--tim", "không có chữ này")
    assert code == 0 and "không có số nào" in out


def test_xlsx_book(reg, tmp_path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "so-di-2026.xlsx"
    code, text = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026", "--preset", "ubnd-tinh-hung-yen",
                     "-o", str(out))
    assert code == 0, text
    assert "31 số, 1 số đã hủy" in text
    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "ỦY BAN NHÂN DÂN" and values[2][0] == TITLE and values[3][0] == "Năm 2026"
    header = next(i for i, r in enumerate(values) if r[0] == HEADERS[0])
    assert values[header] == HEADERS and values[header + 1] == [f"({i})" for i in range(1, 11)]
    assert ws.print_title_rows == f"${header + 1}:${header + 2}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    rows = [r for r in values[header + 2:] if r[1]]
    assert len(rows) == 31 and all("2025" not in (r[1] or "") for r in rows)
    cancelled = next(r for r in rows if r[0] == "07/UBND-KT")
    assert cancelled[9].startswith("ĐÃ HỦY SỐ (Lê Thị Hoa") and "cấp nhầm" in cancelled[9]
    assert ["01/SY-UBND"] == [r[0] for r in rows if "SY" in r[0]]
    # the replace rule
    code, text = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026", "-o", str(out))
    assert code == 1 and "--force" in text
    code, text = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026", "-o", str(out), "--force")
    assert code == 0, text


def test_one_year_per_book(reg, tmp_path) -> None:
    code, out = run("so-di", "--so-dang-ky", str(reg), "-o", str(tmp_path / "x.xlsx"))
    assert code == 1 and "nhiều năm (2025, 2026)" in out and "--nam 2026" in out
    assert not (tmp_path / "x.xlsx").exists()
    code, out = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026", "-o", str(tmp_path / "x.csv"))
    assert code == 1 and ".xlsx, .docx hoặc .pdf" in out


def test_missing_register_is_a_message(tmp_path) -> None:
    code, out = run("so-di", "--so-dang-ky", str(tmp_path / "none.sqlite3"))
    assert code == 1 and "Chưa có sổ đăng ký" in out


def test_docx_book_landscape_header_repeated(reg, tmp_path) -> None:
    from docx import Document

    out = tmp_path / "so-di-2026.docx"
    code, text = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026", "--preset", "ubnd-tinh-hung-yen",
                     "-o", str(out))
    assert code == 0, text
    doc = Document(str(out))
    sec = doc.sections[0]
    assert sec.page_width > sec.page_height and round(sec.page_width.mm) == 297
    paras = [p.text for p in doc.paragraphs if p.text]
    assert paras[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN", TITLE, "Năm 2026"]
    t = doc.tables[0]
    assert [c.text for c in t.rows[0].cells] == HEADERS
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader/>") == 2
    assert sum(w for _n, w, _c in COLUMNS) <= 297 - 30


@pytest.mark.slow
def test_pdf_book_pages(reg, tmp_path) -> None:
    """The PDF: A4 landscape pages, the header on every page of the table."""
    from drafter.pdf import pdf_pages, pdf_text

    out = tmp_path / "so-di-2026.pdf"
    code, text = run("so-di", "--so-dang-ky", str(reg), "--nam", "2026", "--preset", "ubnd-tinh-hung-yen",
                     "-o", str(out))
    assert code == 0, text
    pages = pdf_pages(out)
    assert len(pages) >= 3 and all(round(w) == 297 and round(h) == 210 for w, h in pages)  # mm
    texts = [" ".join(t.split()) for t in pdf_text(out)]
    assert TITLE in texts[0] and "Năm 2026" in texts[0]
    for t in texts[1:]:
        assert "Người ký" in t and "Ghi chú" in t and "(10)" in t  # the header rows, repeated
    assert any("ĐÃ HỦY SỐ" in t for t in texts)
