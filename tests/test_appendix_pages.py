"""Appendix pages in the rendered document (issue #4, points 1, 4, 5 and 7): seed 004's
quyết định with its budget appendix, read back from the .docx."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from docx_view import NS, DocView, q

from drafter import api
from drafter.errors import DrafterError
from drafter.render import filters

from conftest import SAMPLES

SAMPLE = SAMPLES / "004-quyet-dinh-hung-yen.yaml"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "004.docx"
    api.render_file(SAMPLE, out, force=True)
    return DocView(out)


def _appendix(doc: DocView):
    sdts = [s for s in doc.body.iter(q("sdt"))
            if (t := s.find("w:sdtPr/w:tag", NS)) is not None and t.get(q("val")).startswith("drafter:phu-luc:")]
    assert len(sdts) == 1
    return sdts[0]


def _texts(el) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(q("t"))) for p in el.iter(q("p"))]


def _rows(tbl) -> list[list[str]]:
    return [["".join(t.text or "" for t in tc.iter(q("t"))) for tc in tr.findall(q("tc"))]
            for tr in tbl.findall(q("tr"))]


def test_appendix_lines_in_order(seed):
    block = _appendix(seed)
    texts = [t for t in _texts(block) if t]
    assert texts[0] == "Phụ lục"  # one appendix: no numeral
    assert texts[1] == "DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHUYẾN CÔNG ĐỊA PHƯƠNG ĐẾN NĂM 2020"
    assert texts[2] == ("(Kèm theo Quyết định số 3355/QĐ-UBND ngày 27 tháng 12 năm 2017 "
                        "của Ủy ban nhân dân tỉnh Hưng Yên)")
    assert texts[3] == "Đơn vị tính: triệu đồng"
    label, title, ref, unit = (seed.find(t) for t in texts[:4])
    assert label.bold and label.align == "center" and label.size == 14
    assert title.bold and title.align == "center"
    assert ref.italic and ref.align == "center"
    assert unit.italic and unit.align in ("right", "end")


def test_appendix_is_its_own_landscape_section_with_page_numbers_restarting(seed):
    sects = list(seed.body.iter(q("sectPr")))
    assert len(sects) == 3  # the decision, its programme, the appendix
    first, last = sects[1], sects[2]
    # The section before the appendix ends on the paragraph just before it.
    assert first.find("w:pgSz", NS).get(q("orient")) in (None, "portrait")
    size = last.find("w:pgSz", NS)
    assert size.get(q("orient")) == "landscape"
    assert int(size.get(q("w"))) == 16838 and int(size.get(q("h"))) == 11906  # A4 turned
    assert last.find("w:type", NS) is None or last.find("w:type", NS).get(q("val")) == "nextPage"
    assert last.find("w:pgNumType", NS).get(q("start")) == "1"
    assert last.find("w:titlePg", NS) is not None  # no number on the appendix's first page


def test_appendix_table_shows_derived_year_totals(seed):
    tbl = _appendix(seed).find(".//w:tbl", NS)
    rows = _rows(tbl)
    header = rows[0]
    assert header[:3] == ["TT", "Nội dung", "ĐVT"]
    total = next(r for r in rows if "Tổng cộng" in r[:2])
    # [.., Năm 2018 SL, KP, Năm 2019 SL, KP, Năm 2020 SL, KP, Tổng SL, KP]
    money = [c for c in total if re.fullmatch(r"[\d.]+", c)]
    assert money == ["1.514", "3.214", "3.646", "8.374"]
    assert "3.696" not in " ".join(" ".join(r) for r in rows)
    words = [t for t in _texts(_appendix(seed)) if t.startswith("Bằng chữ")]
    assert words == ["Bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng."]


def test_narrative_quotes_the_table(seed):
    texts = seed.texts()
    assert any("dự kiến là 8.374 triệu đồng (bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng)" in t
               for t in texts)
    assert "- Kinh phí sử dụng năm 2018: 1.514 triệu đồng." in texts
    assert "- Kinh phí sử dụng năm 2019: 3.214 triệu đồng." in texts
    assert "- Kinh phí sử dụng năm 2020: 3.646 triệu đồng." in texts
    # Each quoted figure is a content control naming its reference, for `drafter appendix`.
    tags = [t.get(q("val")) for t in seed.body.iter(q("tag"))]
    assert "drafter:so-lieu:phu_luc[0].tong.nhom.nam_2020.kinh_phi.voi_dvt" in tags


def test_seed_2020_figure_3696_cannot_be_produced(tmp_path):
    """The seed's narrative says 3.696 for 2020; its rows add up to 3.646. Quoting the
    table gives 3.646 whatever is typed elsewhere; typing 3.696 as the table's 2020
    total is refused with the expected and found figures."""
    text = SAMPLE.read_text(encoding="utf-8")
    # Typing the seed's totals into the table: refused, nothing written.
    typed = text.replace(
        "      tong_cot: Tổng cộng\n",
        "      tong_cot: Tổng cộng\n      tong: {Năm 2018: 1514, Năm 2019: 3214, Năm 2020: 3696, Tổng cộng: 8374}\n",
    )
    assert typed != text
    p = tmp_path / "typed.yaml"
    p.write_text(typed, encoding="utf-8")
    with pytest.raises(DrafterError) as err:
        api.render_file(p, tmp_path / "typed.docx")
    msg = str(err.value)
    assert "3.696" in msg and "3.646" in msg and "typed.yaml:" in msg
    assert not (tmp_path / "typed.docx").exists()
    # Every figure in the rendered narrative comes from the rows: 3.696 appears nowhere.
    out = tmp_path / "ok.docx"
    api.render_file(SAMPLE, out)
    assert "3.696" not in " ".join(DocView(out).texts())


def test_unknown_reference_is_an_error_with_its_line(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("tong.nhom.nam_2020.kinh_phi", "tong.nhom.nam_2021.kinh_phi")
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DrafterError) as err:
        api.render_file(p, tmp_path / "bad.docx")
    assert re.search(r"bad\.yaml:\d+", str(err.value)) and "nam_2021" in str(err.value)


# --- the words filter: one function for `drafter words`, templates and quoted figures ---


@pytest.mark.parametrize("value, expected", [
    (8374000000, "Tám tỷ ba trăm bảy mươi tư triệu đồng"),
    ("8.374.000.000", "Tám tỷ ba trăm bảy mươi tư triệu đồng"),
    (Decimal("1005"), "Một nghìn không trăm linh năm đồng"),
    ("145.001.000", "Một trăm bốn mươi lăm triệu không trăm linh một nghìn đồng"),
    ("-5", "Âm năm đồng"),
])
def test_bang_chu_filter(value, expected):
    from drafter.render.engine import jinja_env
    from drafter.rules import words

    out = jinja_env().from_string("{{ v | bang_chu }}").render(v=value)
    assert out == expected
    assert out == words.amount_in_words(filters._value(value)[0])


def test_filters_follow_the_drafts_reading_options():
    from drafter.render.engine import jinja_env

    tpl = jinja_env().from_string("{{ v | doc_so }}")
    assert tpl.render(v=1005) == "một nghìn không trăm linh năm"
    assert tpl.render(v=1005, tuy_chon={"doc_so_linh": "lẻ", "doc_so_tu": "bốn"}) == "một nghìn không trăm lẻ năm"
    assert tpl.render(v=24, tuy_chon={"doc_so_linh": "lẻ", "doc_so_tu": "bốn"}) == "hai mươi bốn"


@pytest.mark.parametrize("bad", [12.5, True, "12.5.3", "abc"])
def test_filters_refuse_floats_and_non_numbers(bad):
    with pytest.raises(filters.FilterError):
        filters.amount_words(bad)


def test_bang_chu_filter_in_the_body_reads_the_table_unit(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "(bằng chữ: {{ phu_luc[0].tong.kinh_phi.chu }})", "(bằng chữ: {{ phu_luc[0].tong.kinh_phi | bang_chu }})")
    p = tmp_path / "f.yaml"
    p.write_text(text, encoding="utf-8")
    api.render_file(p, tmp_path / "f.docx")
    assert any("(bằng chữ: Tám tỷ ba trăm bảy mươi tư triệu đồng)" in t for t in DocView(tmp_path / "f.docx").texts())


def test_a_preset_chooses_le_and_bon_for_every_reading(tmp_path):
    """`tuy_chon` in a preset (linh/lẻ, tư/bốn) reaches the Bằng chữ lines and the
    quoted words; without it the defaults (linh, tư) apply."""
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "doc-so.yaml").write_text(
        "tuy_chon: {doc_so_linh: lẻ, doc_so_tu: bốn}\n", encoding="utf-8")
    table = """
  - tieu_de: Bảng {n}
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{{ma: kinh_phi, ten: Kinh phí, cong: true}}]
      bang_chu: kinh_phi
      dong:
        - {{noi_dung: Một, so_lieu: 1000}}
        - {{noi_dung: Hai, so_lieu: {b}}}
"""
    draft = ("loai: cong-van\ndung: [demo@EXTRA]\ntrich_yeu: thử\nkinh_gui: Sở Tài chính\n"
             "noi_dung: |\n  Tổng: {{ phu_luc[0].tong.kinh_phi.chu }}; {{ phu_luc[1].tong.kinh_phi.chu }}.\n"
             "phu_luc:" + table.format(n=1, b=24) + table.format(n=2, b=5))
    for extra, four, zero in ((", doc-so", "bốn", "lẻ"), ("", "tư", "linh")):
        p = tmp_path / f"d{len(extra)}.yaml"
        p.write_text(draft.replace("@EXTRA", extra), encoding="utf-8")
        out = tmp_path / f"d{len(extra)}.docx"
        api.render_file(p, out)
        texts = DocView(out).texts()
        assert f"Bằng chữ: Một tỷ không trăm hai mươi {four} triệu đồng." in texts
        assert f"Bằng chữ: Một tỷ không trăm {zero} năm triệu đồng." in texts
        assert any(t.startswith(f"Tổng: Một tỷ không trăm hai mươi {four} triệu đồng; Một tỷ không trăm {zero} năm")
                   for t in texts)
