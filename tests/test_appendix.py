"""`drafter appendix`: rebuild the appendix tables of a document edited in Word.

A document is rendered, edited as a person would (python-docx for paragraphs added
and text changed, raw XML for a total overwritten by hand and the w:sdtPr children
Word adds), then regenerated with changed figures; everything outside the appendix
content controls and the quoted figures must come back exactly as edited.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --------------------------------------------------------------------------- the draft

SECOND = """
  - tieu_de: Danh sách lớp được hỗ trợ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [Kinh phí]
      bang_chu: true
      dong:
        - {noi_dung: Lớp ở xã A, so_lieu: 5}
        - {noi_dung: Lớp ở xã B, so_lieu: %(second)d}
"""


def draft_text(cost: int = 150, *, huong: str | None = None, second: int | None = None,
               appendices: int = 1) -> str:
    """A quyết định with one appendix (a budget table, 9 columns: landscape by width)
    whose total is 210 + cost triệu đồng, quoted three times in Điều 1."""
    orient = f"\n    huong: {huong}" if huong else ""
    text = f"""\
loai: quyet-dinh
dung: [ubnd-tinh-hung-yen]
so: 12
ngay: 2025-03-10
trich_yeu: Phê duyệt dự toán kinh phí tập huấn năm 2024 - 2025
can_cu:
  - Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/02/2025
xet_de_nghi: Xét đề nghị của Giám đốc Sở Công Thương
dieu:
  - "Phê duyệt dự toán kinh phí tập huấn {{{{ phu_luc[0].tong.kinh_phi }}}} triệu đồng (bằng chữ: {{{{ phu_luc[0].tong.kinh_phi.chu }}}}), trong đó năm 2025: {{{{ phu_luc[0].tong.nhom.nam_2025.kinh_phi }}}} triệu đồng (chi tiết tại Phụ lục)."
  - Quyết định này có hiệu lực kể từ ngày ký.
  - Chánh Văn phòng UBND tỉnh, Giám đốc Sở Công Thương chịu trách nhiệm thi hành Quyết định này.
noi_nhan: [Như Điều 3, Bộ Công Thương]
luu: [VT, KT]
ky:
  tm: ỦY BAN NHÂN DÂN
  kt: CHỦ TỊCH
  chuc_vu: PHÓ CHỦ TỊCH
  ho_ten: Nguyễn Văn A
phu_luc:
  - tieu_de: Dự toán kinh phí tập huấn
    don_vi_tinh: triệu đồng{orient}
    bang:
      nhom: [Năm 2024, Năm 2025]
      chi_tieu:
        - {{ma: so_luong, ten: Số lượng}}
        - {{ma: kinh_phi, ten: Kinh phí, cong: true}}
      tong_cot: Tổng cộng
      bang_chu: kinh_phi
      dong:
        - muc: Tổ chức tập huấn
          dong:
            - noi_dung: Lớp cơ bản
              dvt: Lớp
              so_lieu: {{Năm 2024: [2, 100], Năm 2025: [3, {cost}]}}
            - noi_dung: Lớp nâng cao
              dvt: Lớp
              so_lieu: {{Năm 2024: [1, 50], Năm 2025: [1, 60]}}
"""
    if appendices >= 2:
        text += SECOND % {"second": second if second is not None else 7}
    return text


def write_draft(folder: Path, name: str = "qd.yaml", **kw) -> Path:
    path = folder / name
    path.write_text(draft_text(**kw), encoding="utf-8")
    return path


def cli(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def render(folder: Path, name: str = "qd", **kw) -> tuple[Path, Path]:
    draft = write_draft(folder, f"{name}.yaml", **kw)
    out = folder / f"{name}.docx"
    r = cli("render", str(draft), "-o", str(out), "--force")
    assert r.exit_code == 0, r.output
    return draft, out


# --------------------------------------------------------------------------- package helpers (test side)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def rewrite(path: Path, changes: dict[str, bytes]) -> None:
    """Write the package again with some parts changed (as another tool would)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, changes.get(i.filename, z.read(i.filename))) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def document(path: Path) -> etree._Element:
    return etree.fromstring(parts(path)["word/document.xml"])


def tag_of(sdt) -> str | None:
    t = sdt.find(f"{q('sdtPr')}/{q('tag')}")
    return None if t is None else t.get(q("val"))


def appendix_sdt(root, n: int = 1):
    found = [s for s in root.iter(q("sdt")) if tag_of(s) == f"drafter:phu-luc:{n}"]
    assert len(found) == 1, f"{len(found)} controls drafter:phu-luc:{n}"
    return found[0]


def figure_sdts(root) -> list:
    return [s for s in root.iter(q("sdt")) if (tag_of(s) or "").startswith("drafter:so-lieu:")]


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(q("t")))


def table_rows(sdt) -> list[list[str]]:
    tbl = sdt.find(f"{q('sdtContent')}/{q('tbl')}")
    return [[text_of(tc) for tc in tr.findall(q("tc"))] for tr in tbl.findall(q("tr"))]


def paragraphs_text(sdt) -> list[str]:
    return [text_of(p) for p in sdt.find(q("sdtContent")).findall(q("p"))]


def outside(root) -> list[bytes]:
    """Every body child as canonical XML, with what drafter owns blanked: the content of
    appendix controls (their w:sdtPr kept, less w:showingPlcHdr) and the text of quoted
    figures."""
    root = etree.fromstring(etree.tostring(root))
    for sdt in root.iter(q("sdt")):
        tag = tag_of(sdt) or ""
        if tag.startswith("drafter:phu-luc:"):
            content = sdt.find(q("sdtContent"))
            for child in list(content):
                content.remove(child)
            for ph in sdt.find(q("sdtPr")).findall(q("showingPlcHdr")):
                ph.getparent().remove(ph)
        elif tag.startswith("drafter:so-lieu:"):
            for t in sdt.iter(q("t")):
                t.text = "#"
            for ph in sdt.find(q("sdtPr")).findall(q("showingPlcHdr")):
                ph.getparent().remove(ph)
    body = root.find(q("body"))
    return [etree.tostring(child, method="c14n") for child in body]


# --------------------------------------------------------------------------- edits a person makes


NOTE_BEFORE = "Ghi chú của chuyên viên: trình lãnh đạo trước ngày 15/3."
NOTE_AFTER = "Đoạn văn thêm sau phụ lục, không do drafter tạo."
DATE_EDIT = "Hưng Yên, ngày 11 tháng 3 năm 2025 (đã sửa tay)"


def edit_like_a_person(path: Path) -> None:
    import docx

    d = docx.Document(str(path))
    paras = d.paragraphs
    article2 = next(p for p in paras if text_of(p._p).startswith("Điều 2."))
    article2.insert_paragraph_before(NOTE_BEFORE)
    article2.runs[-1].text = article2.runs[-1].text.replace("kể từ ngày ký", "kể từ ngày 01/4/2025")
    d.add_paragraph(NOTE_AFTER)  # after the appendix, before the final section properties
    # A header line: the date line in the right column of the header table.
    header = d.tables[0]
    for cell in header._cells:
        for p in cell.paragraphs:
            if p.text.startswith("Hưng Yên, ngày"):
                for r in p.runs[1:]:
                    r.text = ""
                p.runs[0].text = DATE_EDIT
    d.sections[0].header.paragraphs[0].add_run(" (bản dự thảo)")
    d.save(str(path))

    # What python-docx cannot reach: inside the content controls, as Word would leave them.
    root = document(path)
    sdt = appendix_sdt(root)
    pr = sdt.find(q("sdtPr"))
    etree.SubElement(pr, q("rPr")).append(etree.Element(q("b")))
    etree.SubElement(pr, q("id")).set(q("val"), "-1804457325")
    etree.SubElement(pr, q("showingPlcHdr"))
    last_cell = sdt.find(f"{q('sdtContent')}/{q('tbl')}").findall(q("tr"))[-1].findall(q("tc"))[-1]
    last_cell.find(f".//{q('t')}").text = "9.999"  # a total overwritten by hand
    figure = figure_sdts(root)[0]
    etree.SubElement(figure.find(q("sdtPr")), q("id")).set(q("val"), "77")
    figure.find(f".//{q('t')}").text = "8.000"  # a quoted figure typed over
    rewrite(path, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                        standalone=True)})


# --------------------------------------------------------------------------- the main round trip


WORDS_360 = "Bằng chữ: Ba trăm sáu mươi triệu đồng."
WORDS_1240 = "Bằng chữ: Một tỷ hai trăm bốn mươi triệu đồng."


def test_fresh_render_is_as_expected(tmp_path):
    """The starting point the other tests rely on: totals 360, quoted thrice, landscape."""
    _, doc = render(tmp_path, cost=150)
    root = document(doc)
    sdt = appendix_sdt(root)
    assert table_rows(sdt)[-1] == ["Tổng cộng", "", "", "150", "", "210", "", "360"]
    assert paragraphs_text(sdt)[-1] == WORDS_360
    assert [text_of(s) for s in figure_sdts(root)] == ["360", "Ba trăm sáu mươi triệu đồng", "210"]
    assert root.find(f"{q('body')}/{q('sectPr')}/{q('pgSz')}").get(q("orient")) == "landscape"


def test_regenerate_in_place_after_word_like_edits(tmp_path):
    draft, doc = render(tmp_path, cost=150)
    rendered_root = document(doc)
    edit_like_a_person(doc)
    edited = parts(doc)
    edited_root = document(doc)
    assert outside(edited_root) != outside(rendered_root)  # the comparison below sees edits
    assert NOTE_BEFORE in text_of(edited_root) and table_rows(appendix_sdt(edited_root))[-1][-1] == "9.999"

    write_draft(tmp_path, "qd.yaml", cost=1030)  # the figures change: total 1.240
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    assert "Đã tạo lại 1 phụ lục và 3 số liệu" in r.output

    root = document(doc)
    sdt = appendix_sdt(root)
    rows = table_rows(sdt)
    assert rows[-1] == ["Tổng cộng", "", "", "150", "", "1.090", "", "1.240"]
    assert rows[3] == ["1", "Lớp cơ bản", "Lớp", "2", "100", "3", "1.030", "5", "1.130"]
    assert paragraphs_text(sdt)[-1] == WORDS_1240
    assert [text_of(s) for s in figure_sdts(root)] == [
        "1.240", "Một tỷ hai trăm bốn mươi triệu đồng", "1.090"]
    # Word's additions to w:sdtPr stay, except the placeholder flag.
    pr = sdt.find(q("sdtPr"))
    assert pr.find(q("id")).get(q("val")) == "-1804457325" and pr.find(q("rPr")) is not None
    assert pr.find(q("showingPlcHdr")) is None
    assert figure_sdts(root)[0].find(f"{q('sdtPr')}/{q('id')}").get(q("val")) == "77"
    # Everything outside drafter's controls is exactly as the person left it.
    assert outside(root) == outside(edited_root)
    body = text_of(root)
    assert NOTE_BEFORE in body and NOTE_AFTER in body and DATE_EDIT in body and "ngày 01/4/2025" in body
    # Every other part is the edited one, untouched (the page header edit included).
    after = parts(doc)
    assert set(after) == set(edited)
    assert {n for n in after if after[n] != edited[n]} == {"word/document.xml"}
    assert "(bản dự thảo)" in after["word/header1.xml"].decode("utf-8") + after["word/header2.xml"].decode("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_regenerate_to_new_file_keeps_original_and_needs_force(tmp_path):
    draft, doc = render(tmp_path, cost=150)
    edit_like_a_person(doc)
    original = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", cost=1030)
    out = tmp_path / "moi.docx"
    r = cli("appendix", "qd.yaml", "qd.docx", "-o", "moi.docx", cwd=tmp_path)
    assert r.exit_code == 0, r.output and "moi.docx" in r.output
    assert doc.read_bytes() == original
    assert table_rows(appendix_sdt(document(out)))[-1][-1] == "1.240"
    assert outside(document(out)) == outside(document(doc))
    first = out.read_bytes()

    write_draft(tmp_path, "qd.yaml", cost=150)
    r = cli("appendix", "qd.yaml", "qd.docx", "-o", "moi.docx", cwd=tmp_path)
    assert r.exit_code == 1 and "--force" in r.output and "Traceback" not in r.output
    assert out.read_bytes() == first
    r = cli("appendix", "qd.yaml", "qd.docx", "-o", "moi.docx", "--force", cwd=tmp_path)
    assert r.exit_code == 0, r.output
    assert table_rows(appendix_sdt(document(out)))[-1][-1] == "360"
    assert doc.read_bytes() == original


def test_same_figures_give_the_same_bytes(tmp_path):
    """Regenerating a fresh render from its own draft changes nothing, byte for byte:
    the main part is re-serialised, but lexically as it was."""
    draft, doc = render(tmp_path, cost=150, appendices=2)
    out = tmp_path / "lai.docx"
    r = cli("appendix", str(draft), str(doc), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert parts(out) == parts(doc)


def test_json_output(tmp_path):
    import json

    draft, doc = render(tmp_path)
    r = cli("appendix", str(draft), str(doc), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["ok"] and data["phu_luc"] == 1 and data["so_lieu"] == 3 and data["kieu_da_chep"] == []


def test_help_and_usage():
    r = cli("appendix", "--help")
    assert r.exit_code == 0
    assert "BẢN_THẢO.yaml VĂN_BẢN.docx" in r.output and "-o, --output" in r.output and "--force" in r.output
    assert "appendix" in cli("--help").output
    r = cli("appendix", "chi-mot-tep.yaml")
    assert r.exit_code == 2


# --------------------------------------------------------------------------- styles, sections


def test_missing_styles_are_copied_from_the_fresh_render(tmp_path):
    draft, doc = render(tmp_path)
    fresh_styles = etree.fromstring(parts(doc)["word/styles.xml"])
    styles = etree.fromstring(parts(doc)["word/styles.xml"])
    for style in list(styles.iter(q("style"))):
        if style.get(q("styleId")) in ("DrBangChu", "DrTable", "DrPhuLucTitle"):
            styles.remove(style)
    rewrite(doc, {"word/styles.xml": etree.tostring(styles, xml_declaration=True, encoding="UTF-8")})
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    assert "DrBangChu" in r.output
    after = etree.fromstring(parts(doc)["word/styles.xml"])
    by_id = {s.get(q("styleId")): s for s in after.iter(q("style"))}
    for sid in ("DrBangChu", "DrTable", "DrPhuLucTitle"):
        expected = next(s for s in fresh_styles.iter(q("style")) if s.get(q("styleId")) == sid)
        assert etree.tostring(by_id[sid], method="c14n") == etree.tostring(expected, method="c14n")
    # The styles the person kept are untouched, in their order.
    kept = [s.get(q("styleId")) for s in styles.iter(q("style"))]
    assert [s.get(q("styleId")) for s in after.iter(q("style"))][: len(kept)] == kept


def _pg(sect) -> tuple[str, str, str | None]:
    pg = sect.find(q("pgSz"))
    return pg.get(q("w")), pg.get(q("h")), pg.get(q("orient"))


def test_page_orientation_follows_the_draft(tmp_path):
    draft, doc = render(tmp_path, appendices=2)  # appendix 1 landscape (9 columns), 2 portrait
    root = document(doc)
    breaks = [p for p in root.find(q("body")).findall(q("p")) if p.find(f"{q('pPr')}/{q('sectPr')}") is not None]
    assert len(breaks) == 2  # the main text's, then appendix 1's
    main_sect = etree.tostring(breaks[0], method="c14n")
    assert _pg(breaks[1].find(f"{q('pPr')}/{q('sectPr')}"))[2] == "landscape"
    write_draft(tmp_path, "qd.yaml", appendices=2, huong="doc")
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    assert "Đã xoay trang phụ lục 1" in r.output
    root = document(doc)
    breaks = [p for p in root.find(q("body")).findall(q("p")) if p.find(f"{q('pPr')}/{q('sectPr')}") is not None]
    assert etree.tostring(breaks[0], method="c14n") == main_sect
    assert _pg(breaks[1].find(f"{q('pPr')}/{q('sectPr')}")) == ("11906", "16838", None)
    assert _pg(root.find(f"{q('body')}/{q('sectPr')}")) == ("11906", "16838", None)

    write_draft(tmp_path, "qd.yaml", appendices=2, huong="ngang")  # appendix 1 back to landscape
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    root = document(doc)
    breaks = [p for p in root.find(q("body")).findall(q("p")) if p.find(f"{q('pPr')}/{q('sectPr')}") is not None]
    assert _pg(breaks[1].find(f"{q('pPr')}/{q('sectPr')}")) == ("16838", "11906", "landscape")
    assert _pg(root.find(f"{q('body')}/{q('sectPr')}")) == ("11906", "16838", None)
    assert etree.tostring(breaks[0], method="c14n") == main_sect


def test_section_break_moved_inside_a_control_is_kept(tmp_path):
    draft, doc = render(tmp_path, appendices=2)
    root = document(doc)
    second = appendix_sdt(root, 2)
    brk = second.getprevious()
    assert brk.find(f"{q('pPr')}/{q('sectPr')}") is not None
    appendix_sdt(root, 1).find(q("sdtContent")).append(brk)  # the break now ends control 1
    rewrite(doc, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8")})
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    root = document(doc)
    first = appendix_sdt(root, 1)
    assert first.find(f".//{q('sectPr')}") is None
    assert first.getnext().find(f"{q('pPr')}/{q('sectPr')}") is not None
    assert tag_of(first.getnext().getnext()) == "drafter:phu-luc:2"
    assert len(root.find(q("body")).findall(f"{q('p')}/{q('pPr')}/{q('sectPr')}")) == 2


def test_fresh_appendix_blocks_carry_no_relationships_or_numbering(tmp_path):
    """Only document.xml (and styles.xml) are carried over: that holds as long as the
    appendix content references no other part (images, hyperlinks) and no numbering."""
    _, doc = render(tmp_path, appendices=2)
    root = document(doc)
    R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    for n in (1, 2):
        sdt = appendix_sdt(root, n)
        assert not [a for el in sdt.iter() for a in el.attrib if a.startswith(f"{{{R}}}")]
        assert sdt.find(f".//{q('numPr')}") is None


# --------------------------------------------------------------------------- controls missing, extra


def test_deleted_control_is_reported_and_nothing_changes(tmp_path):
    draft, doc = render(tmp_path, appendices=2)
    root = document(doc)
    sdt = appendix_sdt(root, 2)
    parent = sdt.getparent()
    at = parent.index(sdt)
    for i, child in enumerate(list(sdt.find(q("sdtContent")))):
        parent.insert(at + i, child)  # the control removed, its content left (Word: "Remove content control")
    parent.remove(sdt)
    for bm in list(root.iter(q("bookmarkStart"))):  # and the second marker too (tests/test_libreoffice_roundtrip.py
        if bm.get(q("name")) == "_drafter_pl_2":       # has the control removed, the bookmark kept)
            for end in list(root.iter(q("bookmarkEnd"))):
                if end.get(q("id")) == bm.get(q("id")):
                    end.getparent().remove(end)
            bm.getparent().remove(bm)
    rewrite(doc, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8")})
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", appendices=2, cost=1030)
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "Không tìm thấy vùng phụ lục 2 trong tệp" in r.output
    assert "mất cả thẻ drafter:phu-luc:2 lẫn dấu trang _drafter_pl_2" in r.output
    assert doc.read_bytes() == before


def test_more_appendices_in_the_draft_than_in_the_document(tmp_path):
    draft, doc = render(tmp_path)
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", appendices=2)
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "Không tìm thấy vùng phụ lục 2" in r.output
    assert doc.read_bytes() == before


def test_fewer_appendices_in_the_draft_than_in_the_document(tmp_path):
    draft, doc = render(tmp_path, appendices=2)
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", appendices=1)
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1
    assert "có vùng phụ lục 2 nhưng bản thảo chỉ có 1 phụ lục" in r.output and "drafter render" in r.output
    assert doc.read_bytes() == before


def test_draft_without_appendices(tmp_path):
    draft, doc = render(tmp_path)
    before = doc.read_bytes()
    text = draft_text()
    text = text[: text.index("phu_luc:")].replace(
        "{{ phu_luc[0].tong.kinh_phi }}", "360").replace("{{ phu_luc[0].tong.kinh_phi.chu }}", "ba trăm sáu mươi") \
        .replace("{{ phu_luc[0].tong.nhom.nam_2025.kinh_phi }}", "210")
    draft.write_text(text, encoding="utf-8")
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "Bản thảo không có phụ lục nào" in r.output
    assert doc.read_bytes() == before


def test_duplicated_control_is_reported(tmp_path):
    import copy

    draft, doc = render(tmp_path)
    root = document(doc)
    sdt = appendix_sdt(root)
    sdt.addnext(copy.deepcopy(sdt))
    rewrite(doc, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8")})
    before = doc.read_bytes()
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "có 2 lần" in r.output
    assert doc.read_bytes() == before


def test_figure_reference_that_no_longer_resolves(tmp_path):
    draft, doc = render(tmp_path)
    root = document(doc)
    fig = figure_sdts(root)[2]
    fig.find(f"{q('sdtPr')}/{q('tag')}").set(q("val"), 'drafter:so-lieu:phu_luc[0].dong["IX.9"].kinh_phi')
    rewrite(doc, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8")})
    before = doc.read_bytes()
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and 'phu_luc[0].dong["IX.9"].kinh_phi' in r.output and "không tính lại được" in r.output
    assert doc.read_bytes() == before


def test_hostile_figure_reference_is_not_evaluated(tmp_path):
    draft, doc = render(tmp_path)
    root = document(doc)
    fig = figure_sdts(root)[0]
    fig.find(f"{q('sdtPr')}/{q('tag')}").set(
        q("val"), "drafter:so-lieu:phu_luc[0].tong.kinh_phi if 9**9**9**9 else 1")
    rewrite(doc, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8")})
    before = doc.read_bytes()
    start = time.monotonic()
    r = cli("appendix", str(draft), str(doc))
    assert time.monotonic() - start < 10
    assert r.exit_code == 1 and "không đúng dạng" in r.output
    assert doc.read_bytes() == before


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_round_trip_loses_the_tags(tmp_path):
    """LibreOffice (7.4 here) keeps w:alias but drops w:tag of every content control on
    saving .docx, and turns the block control into an inline one; the appendices are
    found by their bookmark then (issue #18; the full round trip with a hand edit is in
    tests/test_libreoffice_roundtrip.py)."""
    draft, doc = render(tmp_path)
    outdir = tmp_path / "lo"
    profile = tmp_path / "profile"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
         "--outdir", str(outdir), str(doc)],
        capture_output=True, timeout=180)
    converted = outdir / "qd.docx"
    if proc.returncode != 0 or not converted.exists():
        pytest.skip(f"LibreOffice conversion failed: {proc.stderr[-300:]!r}")
    root = document(converted)
    tags = [tag_of(s) for s in root.iter(q("sdt"))]
    if any(t and t.startswith("drafter:phu-luc:") for t in tags):
        # A LibreOffice that keeps the tags: regeneration must then simply work.
        r = cli("appendix", str(draft), str(converted))
        assert r.exit_code == 0, r.output
        return
    r = cli("appendix", str(draft), str(converted))
    assert r.exit_code == 0, r.output
    assert tag_of(appendix_sdt(document(converted), 1)) == "drafter:phu-luc:1"  # the tag is back


# --------------------------------------------------------------------------- the file on disk


def _assert_untouched(folder: Path, doc: Path, before: bytes) -> None:
    assert doc.read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_read_only_file_is_left_as_it_was(tmp_path):
    draft, doc = render(tmp_path)
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", cost=1030)
    doc.chmod(0o444)
    try:
        r = cli("appendix", str(draft), str(doc))
        assert r.exit_code == 1 and "chỉ cho phép đọc" in r.output and "Traceback" not in r.output
        _assert_untouched(tmp_path, doc, before)
        assert stat.S_IMODE(doc.stat().st_mode) == 0o444
    finally:
        doc.chmod(0o644)
    r = cli("appendix", str(draft), str(doc), "-o", str(tmp_path / "khac.docx"))
    assert r.exit_code == 0, r.output  # the read-only original can still be the source


@pytest.mark.parametrize("lock", [".~lock.qd.docx#", "~$qd.docx"])
def test_file_open_elsewhere_is_left_as_it_was(tmp_path, lock):
    draft, doc = render(tmp_path)
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", cost=1030)
    (tmp_path / lock).write_text("người sửa,máy,01/01/2025", encoding="utf-8")
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "đang được mở" in r.output and lock in r.output
    _assert_untouched(tmp_path, doc, before)


def test_full_disk_leaves_the_original(tmp_path, monkeypatch):
    import drafter.package.atomic as atomic

    draft, doc = render(tmp_path)
    before = doc.read_bytes()
    write_draft(tmp_path, "qd.yaml", cost=1030)
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, f):
            self.f = f

        def write(self, data):
            self.f.write(bytes(data[: len(data) // 2]))  # half of it lands, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self):
            return self.f.fileno()

        def close(self):
            self.f.close()
            super().close()

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "ổ đĩa đã đầy" in r.output and "Traceback" not in r.output
    _assert_untouched(tmp_path, doc, before)


def test_file_changed_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    from drafter import api

    draft, doc = render(tmp_path)
    real = api.render_bytes

    def slow_render(*a, **k):  # Word saves the document while drafter renders
        data = real(*a, **k)
        with open(doc, "ab") as f:
            f.write(b"\0")
        return data

    monkeypatch.setattr(api, "render_bytes", slow_render)
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "vừa bị thay đổi" in r.output
    assert doc.read_bytes().endswith(b"\0")


# --------------------------------------------------------------------------- hostile packages

CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOC = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="' + W.encode() + b'"><w:body>'
       b'<w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>')


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _base(document: bytes = DOC, extra=()) -> bytes:
    return _zip([("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("word/document.xml", document), *extra])


def _hostile(kind: str, good: bytes) -> bytes:
    if kind == "not-zip":
        return b"Day khong phai la tep Word.\n" * 20
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "zip-bomb":
        return _base(extra=[("word/media/bom.xml", bytes(40 << 20))])
    if kind == "thousands-of-parts":
        return _base(extra=[(f"word/p{i}.xml", b"<a/>") for i in range(2500)])
    if kind == "dotdot-name":
        return _base(extra=[("../../etc/evil.xml", b"<a/>")])
    if kind == "xxe":
        return _base(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
                     b"</w:body></w:document>")
    if kind == "billion-laughs":
        ents = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
        return _base(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "ha">{ents}]>'
                     f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body>'
                     "</w:document>".encode())
    if kind == "main-part-missing":
        return _zip([("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("word/styles.xml", b"<a/>")])
    if kind == "bad-xml":
        return _base(DOC[:-30])
    raise AssertionError(kind)


HOSTILE = {
    "not-zip": "không phải là tệp Word",
    "truncated": "bị cắt cụt",
    "zip-bomb": "bom nén",
    "thousands-of-parts": "nhiều hơn giới hạn 2000",
    "dotdot-name": "chứa đoạn '..'",
    "xxe": "DOCTYPE/ENTITY",
    "billion-laughs": "DOCTYPE/ENTITY",
    "main-part-missing": "thiếu phần",
    "bad-xml": "không phải XML hợp lệ",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "-o"])
def test_hostile_docx_is_refused_and_left_as_it_was(tmp_path, kind, in_place):
    draft, good = render(tmp_path)
    doc = tmp_path / "la.docx"
    doc.write_bytes(_hostile(kind, good.read_bytes()))
    before = doc.read_bytes()
    args = ["appendix", str(draft), str(doc)] + ([] if in_place else ["-o", str(tmp_path / "ra.docx")])
    start = time.monotonic()
    r = cli(*args)
    elapsed = time.monotonic() - start
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and "Lỗi nội bộ" not in r.output
    assert HOSTILE[kind] in r.output, r.output
    assert elapsed < 5, elapsed
    _assert_untouched(tmp_path, doc, before)
    assert not (tmp_path / "ra.docx").exists()


def test_missing_docx(tmp_path):
    draft, _ = render(tmp_path)
    r = cli("appendix", str(draft), str(tmp_path / "khong-co.docx"))
    assert r.exit_code == 1 and "không tồn tại" in r.output
    assert not (tmp_path / "khong-co.docx").exists()


def test_output_must_be_docx(tmp_path):
    draft, doc = render(tmp_path)
    r = cli("appendix", str(draft), str(doc), "-o", str(tmp_path / "ra.pdf"))
    assert r.exit_code == 1 and ".docx" in r.output
