"""Issue #18, point 4: `drafter appendix` survives a document saved by LibreOffice.

LibreOffice drops the content-control tags (drafter:phu-luc:N, drafter:so-lieu:REF) on
saving .docx but keeps bookmarks; every appendix region and quoted figure also sits in a
bookmark (_drafter_pl_N, _drafter_sl_HASH_K), and `appendix` finds them by either.

The round trip is real: sample 004 rendered, saved again by the installed LibreOffice
(`soffice --convert-to docx:"MS Word 2007 XML"`, a private profile), hand-edited here
with lxml, the draft's table changed, `drafter appendix` run, and the result opened by
LibreOffice once more (converted to PDF). Skipped where soffice is absent (CI has it).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import main
from drafter.oxml import qn

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "004-quyet-dinh-hung-yen.yaml"
HAND_EDIT = "1. Về công tác quản lý nhà nước (đoạn này sửa tay sau LibreOffice)"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def rewrite(path: Path, root: etree._Element) -> None:
    """Replace the main part of `path`, every other part copied as it is."""
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == "word/document.xml" else zin.read(item.filename))
    tmp.replace(path)


def text_of(root: etree._Element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in root.iter(qn("w:p")))


def soffice(profile: Path, outdir: Path, src: Path, to: str) -> Path:
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
         "--outdir", str(outdir), str(src)],
        capture_output=True, timeout=240)
    out = outdir / (src.stem + "." + to.split(":")[0])
    assert proc.returncode == 0 and out.exists(), proc.stderr[-500:]
    return out


def draft_copy(folder: Path) -> Path:
    draft = folder / "qd.yaml"
    draft.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return draft


def change_table(draft: Path) -> None:
    """Năm 2018, first line: kinh phí 126 → 1126 (total 8.374 → 9.374, 2018: 1.514 → 2.514)."""
    text = draft.read_text(encoding="utf-8")
    old = "so_lieu: {Năm 2018: [105, 126], Năm 2019: [105, 126], Năm 2020: [210, 252]}"
    assert text.count(old) == 1
    draft.write_text(text.replace(old, old.replace("[105, 126], Năm 2019", "[105, 1126], Năm 2019")),
                     encoding="utf-8")


def strip(root: etree._Element, *, tags: bool, bookmarks: bool) -> None:
    for sdt in list(root.iter(qn("w:sdt"))) if tags else []:
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        if tag is not None:
            tag.getparent().remove(tag)
    for bm in list(root.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))) if bookmarks else []:
        bm.getparent().remove(bm)


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory):
    """Sample 004 rendered by drafter, then saved as .docx by LibreOffice."""
    folder = tmp_path_factory.mktemp("lo")
    draft = draft_copy(folder)
    r = cli("render", str(draft), "-o", str(folder / "qd.docx"))
    assert r.exit_code == 0, r.output
    saved = soffice(folder / "profile", folder / "saved", folder / "qd.docx", 'docx:MS Word 2007 XML')
    return folder, saved


@needs_soffice
def test_libreoffice_drops_the_tags_and_keeps_the_bookmarks(saved_by_libreoffice):
    _, saved = saved_by_libreoffice
    root = document(saved)
    tags = [t.get(qn("w:val")) for t in root.iter(qn("w:tag"))]
    names = {b.get(qn("w:name")) for b in root.iter(qn("w:bookmarkStart"))}
    assert not [t for t in tags if t and t.startswith("drafter:")]  # what the issue is about
    assert "_drafter_pl_1" in names
    assert len([n for n in names if n.startswith("_drafter_sl_")]) == 5


@needs_soffice
def test_round_trip_hand_edit_then_appendix(saved_by_libreoffice, tmp_path):
    folder, saved = saved_by_libreoffice
    doc = tmp_path / "saved.docx"
    shutil.copyfile(saved, doc)
    root = document(doc)
    para = next(p for p in root.iter(qn("w:p"))
                if "".join(t.text or "" for t in p.iter(qn("w:t"))) == "1. Về công tác quản lý nhà nước")
    texts = list(para.iter(qn("w:t")))
    texts[0].text = HAND_EDIT
    for t in texts[1:]:
        t.text = ""
    rewrite(doc, root)

    draft = draft_copy(tmp_path)
    change_table(draft)
    r = cli("appendix", str(draft), str(doc), "-o", str(tmp_path / "new.docx"))
    assert r.exit_code == 0, r.output
    assert "Đã tạo lại 1 phụ lục và 5 số liệu trích" in r.output

    new = document(tmp_path / "new.docx")
    text = text_of(new)
    assert HAND_EDIT in text  # the edit outside the regions kept
    assert "là 9.374 triệu đồng" in text and "8.374" not in text  # the figure in the body
    assert "Kinh phí sử dụng năm 2018: 2.514 triệu đồng." in text
    assert "bằng chữ: Chín tỷ ba trăm bảy mươi tư triệu đồng" in text
    assert "Bằng chữ: Chín tỷ ba trăm bảy mươi tư triệu đồng." in text  # the appendix's own line
    assert "1.126" in text  # the changed cell of the table
    # Both markers are back on the appendix, so the next round trip works the same way.
    tags = [t.get(qn("w:val")) for t in new.iter(qn("w:tag"))]
    assert "drafter:phu-luc:1" in tags
    assert "_drafter_pl_1" in {b.get(qn("w:name")) for b in new.iter(qn("w:bookmarkStart"))}
    # LibreOffice renamed drafter's styles after their names; no second "Phụ lục" style.
    with zipfile.ZipFile(tmp_path / "new.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    names = [n.get(qn("w:val")) for n in styles.iter(qn("w:name"))]
    assert names.count("Phụ lục") == 1 and names.count("Bằng chữ") == 1

    pdf = soffice(folder / "profile", tmp_path / "pdf", tmp_path / "new.docx", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000

    # And once more through LibreOffice: still regenerates (back to the sample's figures).
    again = soffice(folder / "profile", tmp_path / "again", tmp_path / "new.docx", 'docx:MS Word 2007 XML')
    r = cli("appendix", str(draft_copy(tmp_path / "again")), str(again))
    assert r.exit_code == 0, r.output
    text = text_of(document(again))
    assert "là 8.374 triệu đồng" in text and HAND_EDIT in text


@needs_soffice
def test_libreoffice_document_with_both_markers_lost(saved_by_libreoffice, tmp_path):
    _, saved = saved_by_libreoffice
    doc = tmp_path / "saved.docx"
    shutil.copyfile(saved, doc)
    root = document(doc)
    strip(root, tags=True, bookmarks=True)
    rewrite(doc, root)
    before = doc.read_bytes()
    r = cli("appendix", str(draft_copy(tmp_path)), str(doc))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "Không tìm thấy vùng phụ lục nào" in r.output
    assert "drafter:phu-luc:N" in r.output and "_drafter_pl_N" in r.output
    assert "chương trình bỏ cả thẻ vùng nội dung lẫn dấu trang" in r.output
    assert doc.read_bytes() == before


# --------------------------------------------------------------------------- without LibreOffice


@pytest.fixture
def rendered(tmp_path):
    draft = draft_copy(tmp_path)
    doc = tmp_path / "qd.docx"
    r = cli("render", str(draft), "-o", str(doc))
    assert r.exit_code == 0, r.output
    return draft, doc


def test_render_writes_both_markers(rendered):
    _, doc = rendered
    root = document(doc)
    starts = {b.get(qn("w:name")): b.get(qn("w:id")) for b in root.iter(qn("w:bookmarkStart"))}
    ends = {b.get(qn("w:id")) for b in root.iter(qn("w:bookmarkEnd"))}
    assert "_drafter_pl_1" in starts
    figures = sorted(n for n in starts if n.startswith("_drafter_sl_"))
    assert len(figures) == 5 and all(len(n) <= 40 and " " not in n for n in figures)
    assert set(starts.values()) == ends and len(set(starts.values())) == len(starts)  # paired, ids unique


def test_tags_stripped_bookmarks_kept_regenerates(rendered):
    """What LibreOffice does to the tags, without LibreOffice: the bookmarks suffice."""
    draft, doc = rendered
    root = document(doc)
    strip(root, tags=True, bookmarks=False)
    rewrite(doc, root)
    change_table(draft)
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    text = text_of(document(doc))
    assert "là 9.374 triệu đồng" in text and "Bằng chữ: Chín tỷ ba trăm bảy mươi tư triệu đồng." in text


def test_one_figure_with_both_markers_lost_is_named(rendered):
    draft, doc = rendered
    root = document(doc)
    sdt = next(s for s in root.iter(qn("w:sdt"))
               if (s.findtext(f".//{qn('w:t')}") or "") == "1.514 triệu đồng")
    sdt.getprevious().getparent().remove(sdt.getprevious())  # its bookmark
    sdt.getnext().getparent().remove(sdt.getnext())
    sdt.find(qn("w:sdtPr")).clear()  # and its tag
    rewrite(doc, root)
    change_table(draft)
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 0, r.output
    assert "phu_luc[0].tong.nhom.nam_2018.kinh_phi.voi_dvt" in r.output
    assert "không còn trong tệp" in r.output
    text = text_of(document(doc))
    assert "là 9.374 triệu đồng" in text and "năm 2018: 1.514 triệu đồng" in text  # the other figures updated


def test_both_markers_stripped_says_which(rendered):
    draft, doc = rendered
    root = document(doc)
    strip(root, tags=True, bookmarks=True)
    rewrite(doc, root)
    before = doc.read_bytes()
    r = cli("appendix", str(draft), str(doc))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "Không tìm thấy vùng phụ lục nào" in r.output and "_drafter_pl_N" in r.output
    assert doc.read_bytes() == before
