"""Issue 20, point 4: `drafter sao` writes copies (sao y, sao lục, trích sao) that
`drafter check` accepts, numbered in the register's one copy series; `check` flags a
wrong copy (COPY-STYLE, COPY-SO, COPY-LINE)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.issue.register import Register

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "004-quyet-dinh-hung-yen.yaml"

INFO = """\
dung: [ubnd-tinh-hung-yen]
ky:
  tl: CHỦ TỊCH
  kt: CHÁNH VĂN PHÒNG
  chuc_vu: PHÓ CHÁNH VĂN PHÒNG
  ho_ten: Trần Văn Bình
noi_nhan:
  - Sở Công Thương
  - Trung tâm Khuyến công và Xúc tiến thương mại
luu: [VT]
ngay: 2026-01-05
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    return result.exit_code, result.output


def check_json(path: Path) -> list[dict]:
    _code, out = run("check", "--json", str(path))
    return json.loads(out)[0]["findings"]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("sao")
    qd = d / "qd004.docx"
    code, out = run("render", str(SAMPLE), "-o", str(qd))
    assert code == 0, out
    (d / "sao.yaml").write_text(INFO, "utf-8")
    reg = d / "so.sqlite3"
    files = {"dir": d, "qd": qd, "reg": reg, "info": d / "sao.yaml"}
    for name, args in (("sy", ["--hinh-thuc", "sao-y"]),
                       ("trs", ["--hinh-thuc", "trich-sao", "--trich", "Điều 1, 3"]),
                       ("sl", ["--hinh-thuc", "sao-luc", "--so-ban", "5"])):
        out_path = d / f"{name}.docx"
        code, out = run("sao", str(qd), *args, "--thong-tin", str(files["info"]), "--so-dang-ky", str(reg),
                        "-o", str(out_path))
        assert code == 0, out
        files[name] = out_path
        files[name + "_out"] = out
    return files


def texts(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_sao_y_of_seed_004_checks_clean(made) -> None:
    """The copy has exactly the original's findings (two NUM-DIEM warnings of the
    seed's text), no QH-MISSING nor any other finding caused by the copy block."""
    original = {(f["rule"], f["message"]) for f in check_json(made["qd"])}
    copy = {(f["rule"], f["message"]) for f in check_json(made["sy"])}
    assert copy == original
    assert all(rule == "NUM-DIEM" for rule, _ in copy)
    assert "Số: 01/SY-UBND" in made["sy_out"]
    text = texts(made["sy"])
    assert "SAO Y" in text and "Số: 01/SY-UBND" in text and "Hưng Yên, ngày 05 tháng 01 năm 2026" in text
    assert text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == texts(made["qd"]).count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert "Phụ lục" in text  # the whole document, appendix included


def test_copy_block_layout(made) -> None:
    from drafter.check.locate import locate
    from drafter.check.reader import read_docx

    lay = locate(read_docx(made["sy"]))
    assert lay.kind == "copy" and lay.copy_form.text == "SAO Y" and lay.copy_form.bold
    assert set(lay.copy_form.sizes) == {14}
    assert [s.text for s in lay.copy.issuer] == ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"]
    assert not lay.copy.quoc_hieu
    assert [[s.text for s in sb.authority] for sb in lay.copy.signatures] == [
        ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]]
    assert [it.text for it in lay.copy.noi_nhan_items][-1] == "- Lưu: VT."
    # the seed ends with a landscape appendix: the block is on a portrait page of its own
    doc = read_docx(made["sy"])
    last = doc.sections[-1]
    assert last.page_w_mm < last.page_h_mm
    before = doc.paragraphs[lay.copy.segments[0].para.index - 1]
    assert before.border_bottom and not before.text.strip()


def test_trich_sao_keeps_head_articles_and_signature(made) -> None:
    text = texts(made["trs"])
    assert "Điều 1." in text and "Điều 3." in text and "Điều 2." not in text
    assert "CHƯƠNG TRÌNH" not in text and "Nguyễn Minh Quang" in text and "Căn cứ" in text and "QUYẾT ĐỊNH:" in text
    assert "TRÍCH SAO" in text and "Số: 02/TrS-UBND" in text
    assert check_json(made["trs"]) == []  # the gap Điều 1 → 3 is the excerpt's, not a fault


def test_one_copy_series_shared_by_sy_tr_sl(made) -> None:
    with Register.open(made["reg"], create=False) as reg:
        rows = reg.entries(series="sao", year=2026)
    assert [(e.so, e.ky_hieu, e.loai) for e in rows] == [
        (1, "SY-UBND", "sao-y"), (2, "TrS-UBND", "trich-sao"), (3, "SL-UBND", "sao-luc")]
    assert rows[0].ten_loai == "Bản sao y" and rows[0].nguoi_ky == "Trần Văn Bình"
    assert rows[0].trich_yeu.startswith("Quyết định số 3355/QĐ-UBND ngày 27/12/2017")
    assert "Phê duyệt Chương trình khuyến công địa phương tỉnh Hưng Yên đến năm 2020" in rows[0].trich_yeu
    assert rows[1].trich_yeu.endswith("(trích Điều 1, 3)")
    assert rows[2].so_luong_ban == 5 and rows[0].ban_luu == ["VT"]
    assert rows[0].noi_nhan == ["Sở Công Thương", "Trung tâm Khuyến công và Xúc tiến thương mại"]


def _edited(src: Path, dst: Path, *pairs: tuple[bytes, bytes]) -> Path:
    z = zipfile.ZipFile(src)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/document.xml":
                for a, b in pairs:
                    assert a in data, a
                    data = data.replace(a, b)
            out.writestr(item, data)
    return dst


def test_wrong_copies_are_flagged(made, tmp_path) -> None:
    sy = made["sy"]
    no_line = _edited(sy, tmp_path / "a.docx", ((b'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                                               b'w:color="000000"/></w:pBdr>'), b""))
    assert [f["rule"] for f in check_json(no_line) if f["rule"].startswith("COPY")] == ["COPY-LINE"]
    wrong_so = _edited(sy, tmp_path / "b.docx", (b"01/SY-UBND", b"01/SL-UBND"))
    found = [f for f in check_json(wrong_so) if f["rule"] == "COPY-SO"]
    assert len(found) == 1 and "«SY»" in found[0]["message"] and "«SL»" in found[0]["message"]
    xml = zipfile.ZipFile(sy).read("word/document.xml")
    form_run = re.search(rb'<w:r><w:rPr>(?:(?!</w:r>).)*?<w:t xml:space="preserve">SAO Y</w:t></w:r>', xml).group(0)
    not_bold = _edited(sy, tmp_path / "c.docx",
                       (form_run, form_run.replace(b'<w:b w:val="1"/><w:bCs w:val="1"/>',
                                                   b'<w:b w:val="0"/><w:bCs w:val="0"/>')))
    assert "COPY-STYLE" in [f["rule"] for f in check_json(not_bold)]
    lower = _edited(sy, tmp_path / "d.docx", (form_run, form_run.replace(b">SAO Y<", b">Sao y<")))
    assert "COPY-STYLE" in [f["rule"] for f in check_json(lower)]


def test_bad_input_is_refused_in_vietnamese_and_takes_no_number(made, tmp_path) -> None:
    reg = tmp_path / "so.sqlite3"
    base = ["sao", str(made["qd"]), "--thong-tin", str(made["info"]), "--so-dang-ky", str(reg)]
    code, out = run(*base, "--hinh-thuc", "trich-sao", "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "--trich" in out
    code, out = run(*base, "--hinh-thuc", "trich-sao", "--trich", "Điều 9", "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "không có Điều 9" in out and "Điều 1–3" in out
    code, out = run(*base, "--hinh-thuc", "trich-sao", "--trich", "Chương 2", "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "Không đọc được phần trích" in out
    code, out = run(*base, "--hinh-thuc", "sao-y", "--trich", "Điều 1", "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "chỉ dùng cho trích sao" in out
    code, out = run("sao", str(made["qd"]), "--hinh-thuc", "sao-y", "--preset", "ubnd-tinh-hung-yen",
                    "--so-dang-ky", str(reg), "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "Thiếu người ký bản sao" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(INFO.replace("ho_ten: Trần Văn Bình", "ho_ten: TS. Trần Văn Bình") + "ky_ten: x\n", "utf-8")
    code, out = run("sao", str(made["qd"]), "--hinh-thuc", "sao-y", "--thong-tin", str(bad),
                    "--so-dang-ky", str(reg), "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "ky_ten" in out and "học hàm" in out and "bad.yaml:" in out
    existing = tmp_path / "exists.docx"
    existing.write_bytes(b"old")
    code, out = run(*base, "--hinh-thuc", "sao-y", "-o", str(existing))
    assert code == 1 and "--force" in out and existing.read_bytes() == b"old"
    assert not (tmp_path / "x.docx").exists()
    if reg.exists():
        with Register.open(reg, create=False) as r:
            assert r.entries() == []


def test_json_output(made, tmp_path) -> None:
    code, out = run("sao", str(made["qd"]), "--hinh-thuc", "sao-y", "--thong-tin", str(made["info"]),
                    "--so-dang-ky", str(tmp_path / "so.sqlite3"), "-o", str(tmp_path / "j.docx"), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["ok"] and data["so_ky_hieu"] == "Số: 01/SY-UBND" and data["entry"]["series"] == "sao"


def test_sao_luc_of_a_sao_y_is_checked_by_its_own_block(made, tmp_path) -> None:
    """A sao lục made from the sao y carries the sao y's block in its copied text; the
    checker judges the last block (SAO LỤC) as the copy's."""
    sl = tmp_path / "sl-of-sy.docx"
    code, out = run("sao", str(made["sy"]), "--hinh-thuc", "sao-luc", "--thong-tin", str(made["info"]),
                    "--so-dang-ky", str(tmp_path / "so.sqlite3"), "-o", str(sl))
    assert code == 0, out
    assert {f["rule"] for f in check_json(sl)} == {"NUM-DIEM"}
    bad = _edited(sl, tmp_path / "bad.docx", (b"01/SL-UBND", b"01/SY-UBND"))
    found = [f for f in check_json(bad) if f["rule"] == "COPY-SO"]
    assert len(found) == 1 and "Bản sao lục" in found[0]["message"]


def test_register_folder_from_the_information_file(made, tmp_path) -> None:
    """so_dang_ky.thu_muc (relative to the file naming it) when no --so-dang-ky is given."""
    info = tmp_path / "sao.yaml"
    info.write_text(INFO + "so_dang_ky:\n  thu_muc: so-van-thu\n", "utf-8")
    code, out = run("sao", str(made["qd"]), "--hinh-thuc", "sao-y", "--thong-tin", str(info),
                    "-o", str(tmp_path / "t.docx"))
    assert code == 0, out
    with Register.open(tmp_path / "so-van-thu", create=False) as reg:
        assert [(e.so, e.ky_hieu) for e in reg.entries()] == [(1, "SY-UBND")]


@pytest.mark.slow
def test_copy_pdf_page(made, tmp_path) -> None:
    """The copy through LibreOffice: the block on the last page, portrait, with the form and number."""
    from drafter.pdf import convert, pdf_pages, pdf_text

    pdf = convert([made["sy"]], tmp_path)[0]
    pages = pdf_text(pdf)
    w, h = pdf_pages(pdf)[-1]
    assert w < h
    last = " ".join(pages[-1].split())
    assert "SAO Y" in last and "Số: 01/SY-UBND" in last and "Trần Văn Bình" in last
    assert "CỘNG HÒA" not in last


# The rules of this file, each with the test that makes it fire (tests/test_check.py
# counts them in test_every_rule_has_a_failing_example).
COPY_CASES = (
    ("COPY-LINE", test_wrong_copies_are_flagged),
)
