"""drafter.oxml: the one OOXML vocabulary (names, relationships, units, drafter's tags)."""

from __future__ import annotations

import doctest
import re

import pytest
from lxml import etree

from conftest import REPO
from drafter import figures, oxml
from drafter.rules import layout
from drafter.render.ooxml import figure_xml


def test_examples():
    result = doctest.testmod(oxml)
    assert result.attempted > 0 and result.failed == 0


def test_qualified_names():
    assert oxml.qn("w:sdt") == "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sdt"
    assert oxml.qn("r:id") == "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    assert oxml.qn("xml:space") == "{http://www.w3.org/XML/1998/namespace}space"
    with pytest.raises(KeyError):
        oxml.qn("zz:p")
    el = etree.fromstring(f'<w:p xmlns:w="{oxml.W}"><!-- c --><w:r/></w:p>')
    assert (oxml.local_name(el), oxml.namespace(el)) == ("p", oxml.W)
    assert oxml.local_name(el[0]) == "" and oxml.local_name(el[1]) == "r"
    assert oxml.namespace(etree.fromstring("<plain/>")) == ""


@pytest.mark.parametrize("source, target, part", [
    ("word/document.xml", "styles.xml", "word/styles.xml"),
    ("word/document.xml", "/word/styles.xml", "word/styles.xml"),
    ("word/document.xml", "./media/../theme/theme1.xml", "word/theme/theme1.xml"),
    ("word/document.xml", "../../../evil.xml", "evil.xml"),  # never above the root
    ("", "word/document.xml", "word/document.xml"),
    ("", "/word/document.xml", "word/document.xml"),
    ("word/sub/part.xml", "../header1.xml", "word/header1.xml"),
])
def test_relationship_targets(source, target, part):
    assert oxml.resolve_target(source, target) == part


def test_rels_part_names():
    assert oxml.rels_part_name("word/document.xml") == "word/_rels/document.xml.rels"
    assert oxml.rels_part_name("") == "_rels/.rels"
    assert oxml.rels_part_name("doc.xml") == "_rels/doc.xml.rels"


def test_internal_relationships_only():
    root = etree.fromstring(
        f'<Relationships xmlns="{oxml.PR}">'
        f'<Relationship Id="rId1" Type="{oxml.RT.STYLES}" Target="styles.xml"/>'
        '<Relationship Id="rId2" Type="x/hyperlink" Target="https://example.org" TargetMode="External"/>'
        "<!-- a comment -->"
        f'<Relationship Id="rId3" Type="{oxml.RT.HEADER}" Target="/word/header1.xml" TargetMode="Internal"/>'
        "</Relationships>")
    rels = oxml.internal_rels(root, "word/document.xml")
    assert [(r.rid, r.part) for r in rels] == [("rId1", "word/styles.xml"), ("rId3", "word/header1.xml")]
    assert oxml.is_rel_type(rels[0].type, "styles") and not oxml.is_rel_type(rels[0].type, "header")
    assert oxml.is_rel_type("http://purl.oclc.org/ooxml/officeDocument/relationships/header", "header")
    assert not oxml.is_rel_type("http://example.org/styles", "styles")


def test_units():
    assert oxml.twips(210) == layout.PAGE_W == 11906 and oxml.twips(297) == layout.PAGE_H == 16838
    assert oxml.twips(15) == 850 and round(oxml.to_mm(850), 2) == 14.99
    assert oxml.twips(12.7) == 720 and oxml.twips_from_pt(78) == 1560
    assert oxml.half_points(13) == 26 and oxml.half_points(10.5) == 21 and oxml.pt_from_half_points(21) == 10.5
    assert oxml.line_value(1) == 240 and oxml.line_value(1.15) == 276


def test_drafter_tags():
    assert oxml.appendix_tag(3) == "drafter:phu-luc:3"
    assert oxml.appendix_number("drafter:phu-luc:12") == 12
    for bad in ("drafter:phu-luc:", "drafter:phu-luc:12345", "drafter:phu-luc:1a", "drafter:so-lieu:1"):
        assert oxml.appendix_number(bad) is None, bad
    assert oxml.figure_reference(oxml.figure_tag("phu_luc[0].tong")) == "phu_luc[0].tong"
    assert oxml.figure_reference("drafter:so-lieu: phu_luc[1] ") == "phu_luc[1]"
    assert oxml.figure_reference("drafter:phu-luc:1") is None


def test_figure_marks_are_the_figures_module_marks():
    # figures.py marks a quoted value in text; the XML layer must split on the same characters.
    assert (figures.OPEN, figures.MID, figures.CLOSE) == (oxml.FIGURE_OPEN, oxml.FIGURE_MID, oxml.FIGURE_CLOSE)
    xml = figure_xml('phu_luc[0]["a"]', "8.374")
    root = etree.fromstring(f'<w:p xmlns:w="{oxml.W}">{xml}</w:p>')
    tag = root.find(f"{oxml.qn('w:sdt')}/{oxml.qn('w:sdtPr')}/{oxml.qn('w:tag')}").get(oxml.qn("w:val"))
    assert oxml.figure_reference(tag) == 'phu_luc[0]["a"]'


def test_the_templates_tag_appendices_as_the_splicer_reads_them():
    import zipfile
    with zipfile.ZipFile(REPO / "templates" / "quyet-dinh.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert f'<w:alias w:val="{oxml.APPENDIX_ALIAS}"/>' in document
    assert oxml.APPENDIX_ALIAS.startswith(oxml.ALIAS_PREFIX)
    assert f'<w:tag w:val="{oxml.APPENDIX_TAG}{{{{ pl.number|int }}}}"/>' in document


def test_no_second_vocabulary():
    """Namespace URIs, relationship types and drafter's tags are spelled only in drafter/oxml.py."""
    literal = re.compile(r"""schemas\.openxmlformats\.org|purl\.oclc\.org|w3\.org/XML/1998|["']drafter:(phu-luc|so-lieu)""")
    sources = [p for p in (REPO / "drafter").rglob("*.py") if p.name != "oxml.py"]
    sources.append(REPO / "templates" / "build_templates.py")
    offenders = [f"{p.relative_to(REPO)}:{i}" for p in sources
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert len(sources) > 20
    assert offenders == []
