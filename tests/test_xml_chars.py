"""Issue 15, points 4 and 5, through the real command.

4. Characters XML cannot hold (U+FFFE, a lone surrogate, other non-characters) are
   removed with a warning naming the key, and the document made opens; drafter's own
   figure marks (U+E000–U+E002) in a value — a draft, a preset, a batch row's cell,
   an appendix sheet's cell — are removed too, with a warning naming the key: no
   value forges a figure (a content control).
5. An agency's template whose XML parts carry a DOCTYPE or entity declaration is
   refused by name before it is prepared; nothing is written.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
# A bound that says "not quadratic" (a hostile value runs in well under a second on a
# quiet machine), wide enough for a shared, busy CI machine.
TIME_LIMIT = 10.0
FORGED = "\ue000phu_luc[0].tong.kinh_phi\ue001999 TỶ\ue002"

AGENCY = """\
co_quan:
  chu_quan: UBND TỈNH HÀ TĨNH
  ten: SỞ CÔNG THƯƠNG
  viet_tat: SCT
  dia_danh: Hà Tĩnh
"""

DRAFT = AGENCY + """\
loai: cong-van
so: 12
ngay: 2026-01-15
trich_yeu: "{trich_yeu}"
kinh_gui: Ủy ban nhân dân các xã
noi_dung: Tổng là {{{{ phu_luc[0].tong.kinh_phi }}}} (chi tiết tại Phụ lục).
phu_luc:
  - {{tieu_de: Kinh phí, don_vi_tinh: triệu đồng, bang: kp.csv}}
ky: {{chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}}
"""


def run(*args: str, cwd: Path):
    runner = CliRunner()
    start = time.perf_counter()
    with _chdir(cwd):
        result = runner.invoke(main, list(args), catch_exceptions=False)
    elapsed = time.perf_counter() - start
    assert "Lỗi nội bộ" not in result.output and "Traceback" not in result.output
    assert elapsed < TIME_LIMIT, f"{elapsed:.2f} s"
    return result


class _chdir:
    def __init__(self, path: Path):
        self.path, self.old = path, None

    def __enter__(self):
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        os.chdir(self.old)


def document_xml(path: Path) -> str:
    data = zipfile.ZipFile(path).read("word/document.xml")
    etree.fromstring(data)  # opens: well-formed XML
    return data.decode("utf-8")


def draft(tmp_path: Path, trich_yeu: str = "Về việc báo cáo kinh phí", cell: str = "Xã A") -> Path:
    (tmp_path / "kp.csv").write_text(f"TT,Nội dung,Kinh phí\n1,{cell},100\n2,Xã B,200\n", encoding="utf-8")
    path = tmp_path / "d.yaml"
    path.write_text(DRAFT.format(trich_yeu=trich_yeu), encoding="utf-8")
    return path


# --- point 4 ------------------------------------------------------------------------------


@pytest.mark.parametrize("escape, code", [("\\uFFFE", "U+FFFE"), ("\\uFFFF", "U+FFFF"), ("\\uD800", "U+D800"),
                                          ("\\uFDD0", "U+FDD0"), ("\\U0001FFFE", "U+1FFFE")])
def test_a_character_xml_cannot_hold_is_removed_with_a_warning(tmp_path, escape, code):
    draft(tmp_path, trich_yeu=f"Về việc báo{escape} cáo kinh phí")
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "cảnh báo [trich_yeu]" in result.output and code in result.output
    assert "d.yaml:9:" in result.output  # the line of trich_yeu
    xml = document_xml(tmp_path / "d.docx")
    assert "báo cáo kinh phí".upper() in xml.upper() and chr(0xFFFE) not in xml


def test_a_forged_figure_in_a_draft_value_is_removed(tmp_path):
    draft(tmp_path, trich_yeu=f"Về việc báo cáo kinh phí {FORGED}".replace("\ue000", "\\uE000")
          .replace("\ue001", "\\uE001").replace("\ue002", "\\uE002"))
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "cảnh báo [trich_yeu]" in result.output and "U+E000" in result.output
    xml = document_xml(tmp_path / "d.docx")
    assert "\ue000" not in xml and "drafter:so-lieu:" not in xml.split("phu_luc[0].tong")[0]
    assert xml.count("drafter:so-lieu:") == 1  # the real figure of noi_dung only


def test_a_forged_figure_in_an_appendix_sheet_cell_is_removed(tmp_path):
    draft(tmp_path, cell=f"Xã A {FORGED}")
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "kp.csv:2: cảnh báo [phu_luc[0].bang.dong[0].noi_dung]" in result.output and "U+E001" in result.output
    xml = document_xml(tmp_path / "d.docx")
    assert "\ue000" not in xml and xml.count("drafter:so-lieu:") == 1


def test_a_noncharacter_in_an_appendix_sheet_cell_is_removed(tmp_path):
    draft(tmp_path, cell="Xã\ufffe A")
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "kp.csv:2: cảnh báo [phu_luc[0].bang.dong[0].noi_dung]" in result.output  # the sheet's row
    assert "Xã A" in document_xml(tmp_path / "d.docx")


def test_a_preset_value_is_checked_like_the_draft(tmp_path):
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "so-ct.yaml").write_text(AGENCY.replace("SỞ CÔNG THƯƠNG", "SỞ CÔNG\\uFFFE THƯƠNG")
                                                     .replace("ten: SỞ CÔNG\\uFFFE THƯƠNG", 'ten: "SỞ CÔNG\\uFFFE THƯƠNG"'),
                                                     encoding="utf-8")
    path = draft(tmp_path)
    path.write_text("dung: [so-ct]\n" + path.read_text(encoding="utf-8").replace(AGENCY, ""), encoding="utf-8")
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "cảnh báo [co_quan.ten]" in result.output and "U+FFFE" in result.output
    assert "SỞ CÔNG THƯƠNG" in document_xml(tmp_path / "d.docx")

    (tmp_path / "presets" / "so-ct.yaml").write_text(AGENCY.replace("SỞ CÔNG THƯƠNG", '"SỞ \\uE000CÔNG THƯƠNG"'),
                                                     encoding="utf-8")
    result = run("render", "d.yaml", "--force", cwd=tmp_path)
    assert result.exit_code == 0 and "cảnh báo [co_quan.ten]" in result.output and "U+E000" in result.output


def test_batch_row_cells_cannot_forge_a_figure_or_break_the_xml(tmp_path):
    shutil.copy(SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml", tmp_path / "d.yaml")
    rows = (SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv").read_text(encoding="utf-8").splitlines()[:4]
    rows[1] = rows[1].replace("phường Thành Sen", f"phường Thành Sen {FORGED}")
    rows[2] = rows[2].replace("phường Trần Phú", "phường Trần\ufffe Phú")
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("batch", "d.yaml", "rows.csv", "-o", "ra", "--name", "{ma}", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (tmp_path / "ra").glob("*.docx"))
    assert made == ["18073.docx", "18100.docx", "18115.docx"]
    for name in made:
        xml = document_xml(tmp_path / "ra" / name)
        assert "\ue000" not in xml and xml.count("drafter:so-lieu:") == 2  # noi_dung's two figures
    assert "phường Trần Phú" in document_xml(tmp_path / "ra" / "18100.docx")


# --- point 5 ------------------------------------------------------------------------------


def hostile_template(target: Path, part: str, declaration: bytes) -> None:
    source = REPO / "templates" / "cong-van.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == part:
                data = data.replace(b"?>", b"?>" + declaration, 1)
                assert declaration in data
            out.writestr(name, data)


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "_rels/.rels"])
@pytest.mark.parametrize("declaration", [b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>', b"<!DOCTYPE w>"])
def test_a_template_with_a_doctype_is_refused_by_name(tmp_path, part, declaration):
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", tmp_path / "d.yaml")
    hostile_template(tmp_path / "templates" / "cong-van.docx", part, declaration)
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 1
    assert "templates/cong-van.docx" in result.output and part in result.output
    assert "DOCTYPE" in result.output
    assert not (tmp_path / "d.docx").exists()


def test_a_batch_with_a_doctype_template_makes_nothing(tmp_path):
    shutil.copy(SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml", tmp_path / "d.yaml")
    shutil.copy(SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv", tmp_path / "rows.csv")
    hostile_template(tmp_path / "templates" / "cong-van.docx", "word/styles.xml", b"<!DOCTYPE w>")
    result = run("batch", "d.yaml", "rows.csv", "-o", "ra", "--name", "{ma}", cwd=tmp_path)
    assert result.exit_code == 1
    assert "word/styles.xml" in result.output and "DOCTYPE" in result.output
    assert not list(tmp_path.glob("ra/*.docx"))


def test_the_same_template_without_the_doctype_renders(tmp_path):
    # The control: the copy itself (same parts, rewritten) is a good template.
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", tmp_path / "d.yaml")
    hostile_template(tmp_path / "templates" / "cong-van.docx", "word/styles.xml", b"")
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    document_xml(tmp_path / "d.docx")


def test_a_sheet_table_is_scrubbed_once_for_every_batch_row(tmp_path):
    # A batch shares the tables read from sheets with every row: scrubbing one is
    # remembered, so a big shared sheet costs its scan once, not once per row.
    from drafter import api, validation

    rows = "\n".join(f"{i},Xã số {i},{i}" for i in range(2, 3001))
    draft(tmp_path, cell="Xã\ufffe A")
    (tmp_path / "kp.csv").write_text(f"TT,Nội dung,Kinh phí\n1,Xã\ufffe A,100\n{rows}\n", encoding="utf-8")
    loaded = api.load(tmp_path / "d.yaml")
    first, found = validation._xml_chars(loaded)
    start = time.perf_counter()
    again, found_again = validation._xml_chars(loaded)
    assert time.perf_counter() - start < 0.01
    assert again.data["phu_luc"][0]["bang"] is first.data["phu_luc"][0]["bang"]
    assert [p.key for p in found] == [p.key for p in found_again] == ["phu_luc[0].bang.dong[0].noi_dung"]


def test_c0_controls_never_reach_the_document(tmp_path):
    # Text cleaning drops them while loading (silently, as before); the document opens.
    draft(tmp_path, trich_yeu="Về việc\\x01 báo\\x1f cáo\\x08 kinh phí")
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    xml = document_xml(tmp_path / "d.docx")
    assert not any(chr(c) in xml for c in (1, 8, 0x1F))


def test_a_template_with_an_svg_declaring_entities_is_refused_by_name(tmp_path):
    """An SVG image is XML too: one inside an agency's template that declares an entity
    (which a viewer might resolve) is refused like any other part, by name."""
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", tmp_path / "d.yaml")
    target = tmp_path / "templates" / "cong-van.docx"
    target.parent.mkdir()
    svg = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
    with zipfile.ZipFile(REPO / "templates" / "cong-van.docx") as src, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            out.writestr(name, src.read(name))
        out.writestr("word/media/logo.svg", svg)
    result = run("render", "d.yaml", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "word/media/logo.svg" in result.output and "DOCTYPE" in result.output
    assert not (tmp_path / "d.docx").exists()
