"""drafter.rules.geometry is the one source of the format's numbers: every value drafter
writes lies in the range the checker accepts — in the data module, and in the XML of
rendered documents (styles, page sizes, margins, run sizes), read back independently."""

from __future__ import annotations

import doctest
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import SAMPLES
from drafter.check import rules as check_rules
from drafter.check.reader import read_docx
from drafter.cli import main
from drafter.rules import geometry as G

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4

# Style → the element whose numbers it carries (the test's own map, not the builder's).
STYLE_ELEMENT = {
    "DrCoQuanChuQuan": "chu_quan", "DrCoQuan": "issuer", "DrQuocHieu": "quoc_hieu", "DrTieuNgu": "tieu_ngu",
    "DrRule": "rule", "DrRuleTitle": "rule_title", "DrSoKyHieu": "so", "DrDiaDanh": "date", "DrVv": "vv",
    "DrMark": "mark", "DrTenLoai": "ten_loai", "DrTrichYeu": "trich_yeu", "DrThamQuyen": "authority_line",
    "DrKemTheo": "kem_theo", "DrKinhGui": "kinh_gui", "DrKinhGuiItem": "kinh_gui", "DrKinhGuiLast": "kinh_gui",
    "DrBody": "body", "DrBodyLast": "body", "DrSection": "section", "DrChapter": "chapter", "DrCanCu": "can_cu",
    "DrChapterTitle": "chapter_title", "DrArticle": "article",
    "DrDecision": "decision_word", "DrNoiNhanLabel": "noi_nhan", "DrNoiNhan": "noi_nhan_items",
    "DrAuthority": "authority", "DrAuthorityFirst": "authority", "DrSigner": "signer",
    "DrPageNumber": "page_number", "DrPhuLuc": "phu_luc", "DrPhuLucTitle": "phu_luc_title",
    "DrDonViTinh": "don_vi_tinh", "DrBangChu": "bang_chu", "DrEmpty": "empty",
}
# Styles whose space above or below is not their element's own (a list's first and
# last line, the authority's first line, paragraphs that take the body's spacing).
OWN_SPACING = {"DrKinhGuiItem", "DrKinhGuiLast", "DrAuthorityFirst", "DrBody", "DrBodyLast", "DrSection", "DrArticle", "DrCanCu"}


def test_examples():
    result = doctest.testmod(G)
    assert result.attempted > 0 and result.failed == 0


# ------------------------------------------------------------------ the data module


def test_every_written_size_is_allowed():
    ranged = {k: e for k, e in G.ELEMENTS.items() if e.allowed is not None}
    assert {"body", "quoc_hieu", "tieu_ngu", "so", "noi_nhan_items", "page_number"} <= set(ranged)
    for key, e in ranged.items():
        assert e.pt in e.allowed, f"{key}: {e.pt} pt outside {e.allowed}"


def test_every_written_page_setting_is_allowed():
    assert set(G.MARGINS) == {"top", "bottom", "left", "right"}
    for side, m in G.MARGINS.items():
        assert m.value in m.allowed, side
    for s in (G.BODY_AFTER, G.BODY_LINE, G.BODY_INDENT_MM, G.ISSUER_RULE):
        assert s.value in s.allowed, s.name
    assert G.BODY.after == G.BODY_AFTER.value


def test_checker_ranges_are_the_geometry():
    # The checker's catalogue states the geometry's margins and paper.
    assert check_rules.RULES["PAGE-MARGIN"].title == "Lề trang: trên, dưới 20–25 mm; trái 30–35 mm; phải 15–20 mm"
    assert check_rules.RULES["PAGE-SIZE"].title == "Khổ giấy A4 (210 × 297 mm)"
    assert G.MARGINS["top"].allowed == G.MARGINS["bottom"].allowed  # the title names them together


def test_range_bounds_are_inclusive_and_tolerance_is_symmetric():
    r = G.Range(13, 14)
    assert 13 in r and 14 in r and 12.99 not in r and 14.01 not in r
    assert r.holds(12.995, 0.01) and r.holds(14.005, 0.01) and not r.holds(12.98, 0.01)


# ------------------------------------------------------------------ rendered documents


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[Path]:
    out_dir = tmp_path_factory.mktemp("geometry")
    paths = []
    for sample in sorted(SAMPLES.glob("*.yaml")):
        out = out_dir / (sample.stem + ".docx")
        r = CliRunner().invoke(main, ["render", str(sample), "-o", str(out)])
        assert r.exit_code == 0, r.output
        paths.append(out)
    assert len(paths) >= 3
    return paths


def _parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


def _val(el, attr="val"):
    return None if el is None else el.get(W + attr)


def _pt(sz: str) -> float:
    return int(sz) / 2


def test_styles_written_carry_the_geometry(rendered):
    for path in rendered:
        styles = _parts(path)["word/styles.xml"]
        default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
        assert _pt(_val(default)) in G.BODY.allowed
        seen = set()
        for style in styles.iter(W + "style"):
            sid = style.get(W + "styleId")
            if not sid.startswith("Dr") or style.get(W + "type") != "paragraph":
                continue
            assert sid in STYLE_ELEMENT, f"style {sid} has no element in the geometry"
            seen.add(sid)
            e = G.ELEMENTS[STYLE_ELEMENT[sid]]
            size = _pt(_val(style.find(f"{W}rPr/{W}sz")))
            assert size == e.pt, (sid, size)
            if e.allowed is not None:
                assert size in e.allowed, (sid, size)
            spacing = style.find(f"{W}pPr/{W}spacing")
            if sid not in OWN_SPACING:
                assert int(_val(spacing, "before")) == round(e.before * 20), sid
                assert int(_val(spacing, "after")) == round(e.after * 20), sid
        assert seen == set(STYLE_ELEMENT)
        body = styles.find(f".//{W}style[@{W}styleId='DrBody']/{W}pPr")
        spacing = body.find(W + "spacing")
        assert int(_val(spacing, "after")) / 20 in G.BODY_AFTER.allowed
        assert int(_val(spacing, "line")) / 240 in G.BODY_LINE.allowed
        assert round(int(_val(body.find(W + "ind"), "firstLine")) / TWIPS_PER_MM, 2) in G.BODY_INDENT_MM.allowed


def test_pages_and_direct_sizes_written_are_allowed(rendered):
    saw_landscape = False
    for path in rendered:
        parts = _parts(path)
        document = parts["word/document.xml"]
        sects = list(document.iter(W + "sectPr"))
        assert sects
        for sect in sects:
            w, h = int(_val(sect.find(W + "pgSz"), "w")), int(_val(sect.find(W + "pgSz"), "h"))
            saw_landscape |= w > h
            dims = sorted((w / TWIPS_PER_MM, h / TWIPS_PER_MM))
            assert all(abs(a - b) <= G.PAPER_TOLERANCE_MM for a, b in zip(dims, G.PAPER_MM))
            mar = sect.find(W + "pgMar")
            for side, m in G.MARGINS.items():
                mm = int(_val(mar, side)) / TWIPS_PER_MM
                assert m.allowed.holds(mm, G.MARGIN_TOLERANCE_MM), (path.name, side, mm)
                assert abs(mm - m.value) < 0.05
        # Sizes set directly on runs outside tables (tables are the appendices' own, smaller).
        for r in document.iter(W + "r"):
            sz = r.find(f"{W}rPr/{W}sz")
            if sz is not None and not any(a.tag == W + "tbl" for a in r.iterancestors()):
                assert _pt(_val(sz)) in G.BODY.allowed, path.name
        for name, root in parts.items():
            if name.startswith("word/header"):
                for sz in root.iter(W + "sz"):
                    assert _pt(_val(sz)) in G.PAGE_NUMBER.allowed, name
    assert saw_landscape  # an appendix page turned: its margins were checked too


def test_the_checker_accepts_what_drafter_wrote(rendered):
    for path in rendered:
        findings = check_rules.check_document(read_docx(path))
        wrong = [f for f in findings if f.rule_id in ("FONT-SIZE", "PAGE-SIZE", "PAGE-MARGIN", "FONT-NAME")]
        assert not wrong, (path.name, [f.message for f in wrong])


def test_the_checker_refuses_a_size_outside_the_geometry(rendered, tmp_path):
    # The acceptance above is not vacuous: the same document with its body at 12 pt fails.
    path = rendered[0]
    changed = tmp_path / "small.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(changed, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/styles.xml":
                root = etree.fromstring(data)
                for sz in root.findall(f".//{W}style[@{W}styleId='DrBody']/{W}rPr/*"):
                    sz.set(W + "val", "24")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    findings = check_rules.check_document(read_docx(changed))
    assert any(f.rule_id == "FONT-SIZE" and "nội dung văn bản" in f.message and "12 pt" in f.message for f in findings)
