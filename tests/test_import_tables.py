"""Appendix tables of an imported document (issue 18, point 1): each table as a CSV
sheet beside the draft, read back by drafter's own sheet reader and recomputed by its
table code, typed totals that disagree reported, and figures quoted in the text turned
into references that render back to the same figures.

The documents are independent renderings: tests/corpus/builders.py (python-docx, no
drafter code) for seed 004's quyết định with its landscape appendix, its TABLE-TOTAL
departure (3.696 typed for 3.646), and sample 004 rendered by ``drafter render``.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from drafter.check.locate import locate
from drafter.check.reader import read_docx
from drafter.cli import main
from drafter.importer.tables import TablesResult, extract, quote_figures
from drafter.inputs.table_sheets import read_table
from drafter.tables.compute import compute
from drafter.tables.model import parse_table
from tests.corpus import builders as B
from tests.corpus import departures as D

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "004-quyet-dinh-hung-yen.yaml"


def _extract(data: bytes, folder: Path, stem: str = "qd") -> tuple[TablesResult, object]:
    doc = folder / f"{stem}-nguon.docx"
    doc.write_bytes(data)
    view = read_docx(str(doc))
    return extract(view, locate(view), folder, stem, force=False), view


def _write(result: TablesResult) -> None:
    for path, data in result.csv_files.items():
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it as UTF-8
        path.write_bytes(data)


def _read_back(result: TablesResult, i: int = 0, unit: str | None = "triệu đồng"):
    """The sheet of phu_luc[i] as drafter reads it, computed."""
    entry = result.phu_luc[i]
    spec = dict(entry["bang"])
    path = next(p for p in result.csv_files if p.name == spec["tep"])
    from drafter.tables.model import BangTep

    bang = read_table(path, spec=BangTep.model_validate(spec))
    return compute(bang, unit=unit)


def _rows(computed) -> list[tuple]:
    keys = [g.ma for g in computed.groups] or [""]
    return [
        (line.label, line.text, line.dvt or "",
         tuple(line.value(g, m.ma) for g in keys for m in computed.measures),
         tuple(line.totals.get(m.ma) for m in computed.total_measures))
        for line in computed.lines
    ]


def _kinh_phi_totals(computed) -> dict[str, Decimal]:
    out = {g.ma: computed.total.value(g.ma, "kinh_phi") for g in computed.groups}
    out["tong"] = computed.grand["kinh_phi"]
    return out


# --------------------------------------------------------------------------- the corpus's quyết định


def test_corpus_appendix_to_csv_and_back(tmp_path):
    result, view = _extract(B.render(B.spec("qd-hung-yen")), tmp_path)
    assert result.problems == []
    assert len(result.phu_luc) == 1
    entry = result.phu_luc[0]
    assert entry["tieu_de"] == "DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHUYẾN CÔNG ĐỊA PHƯƠNG ĐẾN NĂM 2020"
    assert entry["don_vi_tinh"] == "triệu đồng"
    assert entry["huong"] == "ngang"  # the source's appendix is on a landscape page
    assert entry["bang"]["tep"] == "qd-phu-luc-1.csv"
    assert entry["bang"]["chi_tieu"] == [{"ten": "Kinh phí", "cong": True}]
    _write(result)
    computed = _read_back(result)
    # The same rows as the source table, in order (label, text, unit, figures, total column).
    source = B.APPENDIX_TABLE.rows[:-1]
    got = _rows(computed)
    assert [(r[0], r[1], r[2]) for r in got] == [(s[0], s[1], s[2]) for s in source]
    for r, s in zip(got, source):
        assert [B_amount(x) for x in s[3:6]] == list(r[3])
        assert [B_amount(s[6])] == list(r[4])
    assert _kinh_phi_totals(computed) == {
        "nam_2018": 1514, "nam_2019": 3214, "nam_2020": 3646, "tong": 8374}
    assert [g.ten for g in computed.groups] == ["Năm 2018", "Năm 2019", "Năm 2020"]
    assert computed.total_column == "Tổng cộng"
    # The appendix page's paragraphs (heading, title, Kèm theo, unit, table cells) are
    # consumed; the body's are not.
    texts = {view.paragraphs[i].text.strip() for i in result.consumed}
    assert {"Phụ lục", "Đơn vị tính: triệu đồng", "Tổng cộng", "1.514"} <= texts
    assert not any(view.paragraphs[i].text.startswith("Điều 1") for i in result.consumed)
    assert all(view.paragraphs[i].section == view.paragraphs[max(result.consumed)].section
               or not view.paragraphs[i].text.strip() for i in result.consumed)


def B_amount(text: str) -> Decimal | None:
    return Decimal(text.replace(".", "")) if text else None


def test_typed_total_that_disagrees_is_reported(tmp_path):
    data = D.DEPARTURES["table-total"].build()
    result, _ = _extract(data, tmp_path)
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    for part in ("Phụ lục", "Tổng cộng", "Năm 2020", "3.696", "3.646", "qd-phu-luc-1.csv"):
        assert part in problem
    _write(result)
    computed = _read_back(result)
    # The sheet carries the recomputed total, so the draft renders.
    assert _kinh_phi_totals(computed)["nam_2020"] == 3646
    assert "3.696" not in next(iter(result.csv_files.values())).decode("utf-8-sig")


def test_subtotal_that_disagrees_is_reported(tmp_path):
    result, _ = _extract(D.DEPARTURES["table-subtotal"].build(), tmp_path)
    joined = "\n".join(result.problems)
    assert "dòng “II" in joined and "100" in joined and "110" in joined, joined
    _write(result)
    assert _kinh_phi_totals(_read_back(result))["nam_2018"] == 1524


# --------------------------------------------------------------------------- figures quoted in the text

TEXT = B._plain(B._sample("004-quyet-dinh-hung-yen.yaml")["van_ban_kem_theo"][0]["noi_dung"])


def _quoted_lines() -> list[str]:
    return [ln.strip() for ln in TEXT.splitlines()
            if "triệu đồng" in ln and ("Tổng kinh phí" in ln or "Kinh phí sử dụng" in ln)]


def test_quote_figures(tmp_path):
    result, _ = _extract(B.render(B.spec("qd-hung-yen")), tmp_path)
    lines = _quoted_lines()
    assert len(lines) == 4 and "8.374 triệu đồng" in lines[0]
    quoted = [quote_figures(ln, result) for ln in lines]
    assert "{{ phu_luc[0].tong.kinh_phi.voi_dvt }}" in quoted[0]
    assert "(bằng chữ: {{ phu_luc[0].tong.kinh_phi.chu }})" in quoted[0]
    assert "8.374" not in quoted[0] and "Tám tỷ" not in quoted[0]
    for year, q in zip((2018, 2019, 2020), quoted[1:]):
        assert q == f"- Kinh phí sử dụng năm {year}: {{{{ phu_luc[0].tong.nhom.nam_{year}.kinh_phi.voi_dvt }}}}."
    # Figures that are not a table total, or not in the table's unit, stay as typed.
    other = "Hỗ trợ 420 lao động, 8.374 người và 1.500 triệu đồng; Quyết định số 3355/QĐ-UBND."
    assert quote_figures(other, result) == other
    # A reference already there is left alone.
    assert quote_figures(quoted[0], result) == quoted[0]


def _draft(folder: Path, result: TablesResult, dieu: list[str]) -> Path:
    draft = {
        "loai": "quyet-dinh", "dung": ["ubnd-tinh-hung-yen"], "so": 3355, "ngay": "2017-12-27",
        "trich_yeu": "Phê duyệt Chương trình khuyến công địa phương tỉnh Hưng Yên đến năm 2020",
        "can_cu": ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015"],
        "dieu": dieu, "noi_nhan": ["Như Điều 3"], "luu": ["VT", "KT2"],
        "ky": {"tm": "ỦY BAN NHÂN DÂN", "kt": "CHỦ TỊCH", "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "Nguyễn Minh Quang"},
        "phu_luc": result.phu_luc,
    }
    path = folder / "qd.yaml"
    path.write_text(json.dumps(draft, ensure_ascii=False, indent=2), encoding="utf-8")  # JSON is YAML
    _write(result)
    return path


def _render(draft: Path) -> object:
    out = draft.with_suffix(".docx")
    res = CliRunner().invoke(main, ["render", str(draft), "-o", str(out), "--force"])
    assert res.exit_code == 0, res.output
    return read_docx(str(out))


def test_quoted_text_renders_the_same_figures(tmp_path):
    data = D.DEPARTURES["table-total"].build()  # the typed 3.696 must not come back
    result, _ = _extract(data, tmp_path)
    lines = _quoted_lines()
    dieu = [quote_figures(" ".join(lines), result), "Quyết định này có hiệu lực kể từ ngày ký."]
    assert "{{" in dieu[0]
    view = _render(_draft(tmp_path, result, dieu))
    body = "\n".join(p.text for p in view.paragraphs)
    for figure in ("8.374 triệu đồng", "Tám tỷ ba trăm bảy mươi tư triệu đồng",
                   "năm 2018: 1.514 triệu đồng", "năm 2019: 3.214 triệu đồng", "năm 2020: 3.646 triệu đồng"):
        assert figure in body, figure
    assert "3.696" not in body
    # The appendix table is rendered from the sheet: its Tổng cộng row has the sums.
    table = view.tables[-1]
    total = [c.text for c in table.rows[-1]]
    assert total[0] == "Tổng cộng" and total[-4:] == ["1.514", "3.214", "3.646", "8.374"]


# --------------------------------------------------------------------------- a drafter-rendered document


def test_round_trip_of_drafter_rendered_sample(tmp_path):
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    rendered = tmp_path / "s004.docx"
    res = CliRunner().invoke(main, ["render", str(tmp_path / SAMPLE.name), "-o", str(rendered)])
    assert res.exit_code == 0, res.output
    result, view = _extract(rendered.read_bytes(), tmp_path, "s004")
    assert result.problems == []
    entry = result.phu_luc[0]
    draft = YAML(typ="safe", pure=True).load(SAMPLE.read_text(encoding="utf-8"))["phu_luc"][0]
    assert entry["tieu_de"] == draft["tieu_de"] and entry["don_vi_tinh"] == draft["don_vi_tinh"]
    spec = entry["bang"]
    assert spec["tieu_de_nhom"] == "Dự kiến kết quả đạt được"
    assert spec["bang_chu"] == "kinh_phi"
    assert {c["ten"]: c["cong"] for c in spec["chi_tieu"]} == {"Số lượng": False, "Kinh phí": True}
    _write(result)
    got = _read_back(result)
    want = compute(parse_table(draft["bang"]), unit=draft["don_vi_tinh"])
    assert _rows(got) == _rows(want)
    assert got.grand == want.grand and got.words == want.words
    assert _kinh_phi_totals(got) == _kinh_phi_totals(want)
    assert [(g.ma, g.ten) for g in got.groups] == [(g.ma, g.ten) for g in want.groups]
    assert [(m.ma, m.cong) for m in got.measures] == [(m.ma, m.cong) for m in want.measures]
    # The body's quoted figures, in the Chương trình issued with it, become references again.
    para = next(p.text for p in view.paragraphs if p.text.startswith("2. Tổng kinh phí"))
    q = quote_figures(para, result)
    assert "{{ phu_luc[0].tong.kinh_phi.voi_dvt }}" in q and "{{ phu_luc[0].tong.kinh_phi.chu }}" in q
    # Nothing of the appendix page stays for the body; the body's paragraphs do.
    assert "Bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng." in {view.paragraphs[i].text for i in result.consumed}
    assert not any(view.paragraphs[i].text.startswith("2. Tổng kinh phí") for i in result.consumed)


def test_existing_sheet_is_left_to_the_command(tmp_path):
    """extract never writes: a sheet already there changes nothing (drafter import
    refuses to overwrite it without --force, as for the draft)."""
    (tmp_path / "qd-phu-luc-1.csv").write_text("x", encoding="utf-8")
    result, view = _extract(B.render(B.spec("qd-hung-yen")), tmp_path)
    assert result.problems == [] and (tmp_path / "qd-phu-luc-1.csv").read_text(encoding="utf-8") == "x"
    forced = extract(view, locate(view), tmp_path, "qd", force=True)
    assert forced.csv_files == result.csv_files and forced.phu_luc == result.phu_luc


def test_document_without_appendix(tmp_path):
    result, _ = _extract(B.render(B.spec("cv-ha-tinh")), tmp_path)
    assert (result.phu_luc, result.csv_files, result.problems, result.consumed) == ([], {}, [], set())
    assert quote_figures("Tổng 8.374 triệu đồng.", result) == "Tổng 8.374 triệu đồng."


# --------------------------------------------------------------------------- other shapes offices type


def _two_appendices() -> bytes:
    """A document (python-docx) with two appendices: "PHỤ LỤC I" a table without groups
    (Số lượng, Đơn giá, Thành tiền; a "Cộng" row; a "Bằng chữ" line read wrongly),
    "PHỤ LỤC II" a two-row grouped header with a row numbering the columns and the
    "Tổng cộng" row merged over TT and Nội dung."""
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph("Điều 1. Phê duyệt dự toán tại Phụ lục I và Phụ lục II.")
    doc.add_paragraph("PHỤ LỤC I")
    doc.add_paragraph("DỰ TOÁN MUA SẮM")
    doc.add_paragraph("(Kèm theo Quyết định số 12/QĐ-UBND ngày 10/3/2025)")
    doc.add_paragraph("Đơn vị tính: đồng")
    rows = [["STT", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Thành tiền"],
            ["1", "Máy tính", "Bộ", "2", "15.000.000", "30.000.000"],
            ["2", "Máy in", "Chiếc", "1", "5.000.000", "5.000.000"],
            ["", "Cộng", "", "", "", "35.000.000"]]
    t = doc.add_table(rows=len(rows), cols=6)
    t.style = doc.styles["Table Grid"]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    doc.add_paragraph("Bằng chữ: Ba mươi lăm triệu năm trăm nghìn đồng.")
    doc.add_paragraph("PHỤ LỤC II")
    doc.add_paragraph("PHÂN BỔ KINH PHÍ THEO HUYỆN")
    doc.add_paragraph("Đơn vị tính: triệu đồng")
    t = doc.add_table(rows=6, cols=6)
    t.style = doc.styles["Table Grid"]
    head = [["TT", "Nội dung", "Huyện A", "", "Huyện B", ""],
            ["", "", "Số lớp", "Kinh phí", "Số lớp", "Kinh phí"],
            ["1", "2", "3", "4", "5", "6"],
            ["I", "Tập huấn", "", "30", "", "45"],
            ["1", "Lớp cơ bản", "2", "30", "3", "45"],
            ["Tổng cộng", "", "", "30", "", "40"]]
    for r, row in enumerate(head):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    t.cell(0, 2).merge(t.cell(0, 3))
    t.cell(0, 4).merge(t.cell(0, 5))
    t.cell(0, 0).merge(t.cell(1, 0))
    t.cell(0, 1).merge(t.cell(1, 1))
    t.cell(5, 0).merge(t.cell(5, 1))
    doc.add_paragraph("Nơi nhận:")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_two_appendices_of_other_shapes(tmp_path):
    result, view = _extract(_two_appendices(), tmp_path)
    assert [e["tieu_de"] for e in result.phu_luc] == ["DỰ TOÁN MUA SẮM", "PHÂN BỔ KINH PHÍ THEO HUYỆN"]
    first = result.phu_luc[0]
    assert first["don_vi_tinh"] == "đồng" and "huong" not in first
    assert first["bang"]["tong_cong"] == "Cộng" and first["bang"]["bang_chu"] == "thanh_tien"
    assert {c["ten"]: c["cong"] for c in first["bang"]["chi_tieu"]} == {
        "Số lượng": False, "Đơn giá": False, "Thành tiền": True}
    problems = "\n".join(result.problems)
    # The words typed under table I read 35.500.000; table II's total typed 40 for 45.
    assert "Ba mươi lăm triệu năm trăm nghìn đồng" in problems and "Ba mươi lăm triệu đồng" in problems
    assert "Phụ lục II" in problems and "Huyện B" in problems and "40" in problems and "45" in problems
    assert len(result.problems) == 2, result.problems
    _write(result)
    one = _read_back(result, 0, unit="đồng")
    assert one.grand == {"thanh_tien": Decimal(35_000_000)} and one.words == "Ba mươi lăm triệu đồng"
    assert [(ln.label, ln.text, ln.dvt) for ln in one.lines] == [("1", "Máy tính", "Bộ"), ("2", "Máy in", "Chiếc")]
    two = _read_back(result, 1)
    assert [g.ten for g in two.groups] == ["Huyện A", "Huyện B"]
    assert _kinh_phi_totals(two) == {"huyen_a": 30, "huyen_b": 45, "tong": 75}
    assert [ln.label for ln in two.lines] == ["I", "1"]
    # Both appendices' paragraphs are consumed, the body's and the Nơi nhận are not.
    kept = [p.text for p in view.paragraphs if p.index not in result.consumed and p.text]
    assert kept == ["Điều 1. Phê duyệt dự toán tại Phụ lục I và Phụ lục II.", "Nơi nhận:"]
    # A sentence quoting the total in đồng.
    assert quote_figures("Tổng cộng 35.000.000 đồng.", result) == "Tổng cộng {{ phu_luc[0].tong.thanh_tien.voi_dvt }}."
    assert quote_figures("Huyện B: 45 triệu đồng.", result) == "Huyện B: {{ phu_luc[1].tong.nhom.huyen_b.kinh_phi.voi_dvt }}."


def test_drafter_import_then_render_gives_back_the_appendix(tmp_path):
    """Through the commands: sample 004 rendered, imported (`drafter import`), rendered
    again: the appendix page reads the same, table cell by cell, and the Chương trình's
    quoted figures are references again."""
    from drafter.cli.main import LAZY_COMMANDS

    if "import" not in LAZY_COMMANDS:  # helper "import" registers the command beside this file
        pytest.skip("drafter import is not registered in this tree")
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    first = tmp_path / "s004.docx"
    runner = CliRunner()
    res = runner.invoke(main, ["render", str(tmp_path / SAMPLE.name), "-o", str(first)])
    assert res.exit_code == 0, res.output
    draft = tmp_path / "nhap.yaml"
    res = runner.invoke(main, ["import", str(first), "-o", str(draft)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "nhap-phu-luc-1.csv").is_file()
    text = draft.read_text(encoding="utf-8")
    assert "{{ phu_luc[0].tong.nhom.nam_2018.kinh_phi.voi_dvt }}" in text
    assert "{{ phu_luc[0].tong.kinh_phi.chu }}" in text
    second = tmp_path / "lai.docx"
    res = runner.invoke(main, ["render", str(draft), "-o", str(second)])
    assert res.exit_code == 0, res.output
    a, b = read_docx(str(first)), read_docx(str(second))

    def appendix(view):
        last = view.paragraphs[-1].section
        return [p.text for p in view.paragraphs if p.section == last]

    assert appendix(a) == appendix(b)
    assert [[c.text for c in r] for r in a.tables[-1].rows] == [[c.text for c in r] for r in b.tables[-1].rows]
    assert any(p.text.endswith("Kinh phí sử dụng năm 2020: 3.646 triệu đồng.") for p in b.paragraphs)


def _one_table(rows: list[list[str]], words: str) -> bytes:
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph("Phụ lục")
    doc.add_paragraph("KINH PHÍ")
    doc.add_paragraph("Đơn vị tính: nghìn đồng")
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    doc.add_paragraph(f"Bằng chữ: {words}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_english_separators_and_other_readings(tmp_path):
    """A table typed "1,505" throughout is read as one thousand five hundred and five,
    not 1 phẩy 505; words read with "lẻ" are the same total (no problem)."""
    rows = [["TT", "Nội dung", "Kinh phí"], ["1", "Hội nghị", "1,500"], ["2", "In ấn", "5"],
            ["", "Tổng cộng", "1,505"]]
    result, _ = _extract(_one_table(rows, "Một triệu năm trăm lẻ năm nghìn đồng."), tmp_path)
    assert result.problems == [], result.problems
    assert result.phu_luc[0]["bang"]["bang_chu"] == "kinh_phi"
    _write(result)
    computed = _read_back(result, unit="nghìn đồng")
    assert computed.grand == {"kinh_phi": Decimal(1505)}
    assert "1.505" in next(iter(result.csv_files.values())).decode("utf-8-sig")
    assert quote_figures("tổng 1.505 nghìn đồng", result) == "tổng {{ phu_luc[0].tong.kinh_phi.voi_dvt }}"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_document_saved_by_libreoffice(tmp_path):
    """The corpus's quyết định (TABLE-TOTAL) saved again by LibreOffice as .docx imports
    to the same sheet, entry, problem and paragraphs as the file itself."""
    import subprocess

    src = tmp_path / "qd.docx"
    src.write_bytes(D.DEPARTURES["table-total"].build())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"), str(src)],
                   check=True, capture_output=True, timeout=240)
    results = []
    for path in (src, tmp_path / "lo" / "qd.docx"):
        view = read_docx(str(path))
        result = extract(view, locate(view), tmp_path, "qd", force=False)
        results.append((result.phu_luc, result.csv_files, result.problems,
                        sorted(view.paragraphs[i].text for i in result.consumed)))
    assert results[0] == results[1]
    assert len(results[0][2]) == 1 and "3.696" in results[0][2][0]
