"""Chỉ thị, quyết định and every other named type, read back from the .docx."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from docx_view import DocView, NS, q
from conftest import SAMPLES

from drafter import api, newdraft
from drafter.cli import main
from drafter.rules import doctypes

NAMED = [t for t in doctypes.TYPES if t.has_type_name]


@pytest.mark.parametrize("t", NAMED, ids=lambda t: t.slug)
def test_every_named_type(tmp_path, t):
    created = newdraft.create(t.slug, folder=tmp_path, name="x", trich_yeu="Về việc thử nghiệm")
    doc = DocView(created.output)
    name = doc.find(t.name.upper())
    assert (name.bold, name.size, name.align, name.italic) == (True, 14, "center", False)
    trich = doc.find("Về việc thử nghiệm")
    assert (trich.bold, trich.size, trich.align) == (True, 14, "center")
    texts = doc.texts()
    assert texts.index(t.name.upper()) + 1 == texts.index("Về việc thử nghiệm")
    doc.find(f"Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/{t.abbr}-SCT")
    # one recipient stands on the Kính gửi line itself (a tờ trình's superior)
    assert any(x.startswith("Kính gửi:") for x in texts) == t.kinh_gui
    assert "V/v" not in " ".join(texts)


def test_types_command_lists_every_type():
    r = CliRunner().invoke(main, ["types"])
    assert r.exit_code == 0
    for t in doctypes.TYPES:
        assert re.search(rf"^{re.escape(t.slug)}\s+{re.escape(t.abbr or '—')}\s+{t.name}$", r.output, re.M)
    r = CliRunner().invoke(main, ["types", "--json"])
    assert '"loai": "quyet-dinh"' in r.output and '"viet_tat": "QĐ"' in r.output


QD = """
loai: quyet-dinh
co_quan: {ten: [ỦY BAN NHÂN DÂN, TỈNH TUYÊN QUANG], viet_tat: UBND, dia_danh: Tuyên Quang}
so: 7
ngay: 2024-02-01
trich_yeu: Về việc thành lập Tổ công tác
can_cu:
  - Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
  - Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ.
xet_de_nghi: Theo đề nghị của Giám đốc Sở Nội vụ;
dieu:
  - "Thành lập Tổ công tác gồm:"
  - |
    Tổ công tác có nhiệm vụ:
    1. Rà soát hồ sơ.
    2. Báo cáo kết quả.
  - Chánh Văn phòng, Giám đốc Sở Nội vụ chịu trách nhiệm thi hành Quyết định này.
noi_nhan: [Như Điều 3, Bộ Nội vụ]
luu: [VT, NC]
ky: {chuc_vu: CHỦ TỊCH, ho_ten: Lê Thị Kim Dung}
"""


def test_quyet_dinh_layout(render):
    doc = render(QD)
    doc.find("Số: 07/QĐ-UBND")
    doc.find("Tuyên Quang, ngày 01 tháng 02 năm 2024")
    # the chair decides alone: the head's title + the issuer
    auth = doc.find("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG")
    assert (auth.bold, auth.align, auth.size) == (True, "center", 14)
    texts = doc.texts()
    i = texts.index("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG")
    assert texts[i + 1: i + 5] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
        "QUYẾT ĐỊNH:",
    ]
    for t in texts[i + 1: i + 4]:
        p = doc.find(t)
        assert p.italic and not p.bold and p.align == "both"
    dec = doc.find("QUYẾT ĐỊNH:")
    assert (dec.bold, dec.align) == (True, "center")
    assert texts[i + 5: i + 10] == [
        "Điều 1. Thành lập Tổ công tác gồm:",
        "Điều 2. Tổ công tác có nhiệm vụ:",
        "1. Rà soát hồ sơ.",
        "2. Báo cáo kết quả.",
        "Điều 3. Chánh Văn phòng, Giám đốc Sở Nội vụ chịu trách nhiệm thi hành Quyết định này./.",
    ]
    art = doc.starting("Điều 2.")
    runs = art.element.findall(q("r"))
    assert "".join(runs[0].itertext()) == "Điều 2." and runs[0].find(".//w:b", NS) is not None
    assert runs[-1].find(".//w:b", NS) is None
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 0) == ["Nơi nhận:", "- Như Điều 3;", "- Bộ Nội vụ;", "- Lưu: VT, NC."]
    assert doc.cell_texts(sig, 0, 1) == ["CHỦ TỊCH", "Lê Thị Kim Dung"]


def test_quyet_dinh_collective_and_typed_authority(render):
    import yaml_edit

    doc = render(yaml_edit.replace_keys(QD, {"ky": {"tm": "ỦY BAN NHÂN DÂN", "kt": "CHỦ TỊCH",
                                                  "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "A"}}))
    doc.find("ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG")
    doc = render(yaml_edit.replace_keys(QD, {"ky": {"kt": "CHỦ TỊCH", "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "A"}}))
    doc.find("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG")
    doc = render(yaml_edit.replace_keys(QD, {"tham_quyen": "Bộ trưởng Bộ Công Thương"}))
    doc.find("BỘ TRƯỞNG BỘ CÔNG THƯƠNG")


def test_qd_keys_refused_in_other_types(tmp_path, write):
    from drafter.errors import DrafterError

    p = write("d.yaml", QD.replace("loai: quyet-dinh", "loai: chi-thi"))
    with pytest.raises(DrafterError, match="chỉ dùng cho quyết định"):
        api.prepare(p)


def test_seed_003_chi_thi(tmp_path):
    out = tmp_path / "003.docx"
    api.render_file(SAMPLES / "003-chi-thi-vinh-long.yaml", out)
    doc = DocView(out)
    doc.find("Số: 14/CT-UBND")
    doc.find("Vĩnh Long, ngày 06 tháng 11 năm 2023")
    doc.find("CHỈ THỊ")
    doc.find("Về việc tăng cường công tác khuyến công trên địa bàn tỉnh Vĩnh Long")
    texts = doc.texts()
    assert "1. Sở Công Thương" in texts and "6. Ủy ban nhân dân các huyện, thị xã và thành phố" in texts
    assert texts[texts.index("Nơi nhận:") - 1].endswith("xem xét, quyết định./.")
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 0)[-1] == "- Lưu: VT, 5.01.05."
    assert doc.cell_texts(sig, 0, 1)[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


REF = re.compile(r"Quyết định số (\d+/QĐ-UBND) ngày (\d+/\d+/\d{4}|\d+ tháng \d+ năm \d{4})")


def _citations(text: str) -> set[tuple[str, str]]:
    """Each citation as (số ký hiệu, dd/mm/yyyy): the appendix line writes the long form
    "ngày 27 tháng 12 năm 2017" (FORMAT.md, Appendices), the attached documents the short."""
    out = set()
    for sym, when in REF.findall(text):
        m = re.fullmatch(r"(\d+) tháng (\d+) năm (\d{4})", when)
        out.add((sym, f"{int(m[1]):02d}/{int(m[2]):02d}/{m[3]}" if m else when))
    return out


def _seed_004(tmp_path, **changes):
    import yaml_edit

    text = (SAMPLES / "004-quyet-dinh-hung-yen.yaml").read_text(encoding="utf-8")
    if changes:
        text = yaml_edit.replace_keys(text, changes)
    p = tmp_path / "004.yaml"
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "004.docx"
    api.render_file(p, out, force=True)
    return DocView(out)


def test_seed_004_quyet_dinh_with_programme(tmp_path):
    doc = _seed_004(tmp_path)
    doc.find("Số: 3355/QĐ-UBND")
    doc.find("Hưng Yên, ngày 27 tháng 12 năm 2017")
    doc.find("ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN")  # collective decision, signed TM.
    sig = doc.tables()[1]
    assert doc.cell_texts(sig, 0, 1) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Minh Quang"]
    # the attached programme: new page, header again, its name, trích yếu, reference line
    texts = doc.texts()
    i = texts.index("CHƯƠNG TRÌNH")
    assert texts[i + 1] == "Khuyến công địa phương tỉnh Hưng Yên đến năm 2020"
    ref = doc.find(texts[i + 2])
    assert ref.text == "(Ban hành kèm theo Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của Ủy ban nhân dân tỉnh Hưng Yên)"
    assert ref.italic and ref.align == "center"
    assert len(doc.tables()) == 4  # header, signature, header again, signature again
    assert doc.cell_texts(doc.tables()[2], 0, 0) == ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"]
    assert doc.cell_texts(doc.tables()[3], 0, 1)[-1] == "Nguyễn Minh Quang"
    # The programme is a section of its own: new page, numbered from 1, no number on
    # its first page (the decision's section ends on the paragraph before it).
    sects = list(doc.body.iter(q("sectPr")))
    assert len(sects) == 3  # decision | programme | appendix
    ended = sects[1]
    assert ended.find("w:pgNumType", NS).get(q("start")) == "1" and ended.find("w:titlePg", NS) is not None
    assert not doc.body.findall(".//w:br[@w:type='page']", NS)
    assert texts[texts.index("I. MỤC TIÊU")] and doc.find("I. MỤC TIÊU").bold


def test_seed_004_citations_cannot_disagree(tmp_path):
    """Seed 004 cites one decision as 3355 (27/12/2017), 33 (29/11/2017) and 335 (25/7/2017).
    Here every citation is made from the one `so` and `ngay`: change them and all follow."""
    for so, ngay, short in [(3355, "2017-12-27", "27/12/2017"), (33, "2017-11-29", "29/11/2017")]:
        doc = _seed_004(tmp_path, so=so, ngay=ngay)
        cites = _citations(" ".join(doc.texts()))
        assert cites == {(f"{so}/QĐ-UBND", short)}
    # No key exists to type a citation by hand.
    from drafter.errors import DrafterError
    import yaml_edit

    text = (SAMPLES / "004-quyet-dinh-hung-yen.yaml").read_text(encoding="utf-8")
    text = text.replace("    trich_yeu: Khuyến công", "    kem_theo: \"(Ban hành kèm theo Quyết định số 33/QĐ-UBND)\"\n    trich_yeu: Khuyến công")
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DrafterError, match="kem_theo"):
        api.prepare(p)
    del yaml_edit


def test_reference_line_blank_when_parent_blank(tmp_path):
    doc = _seed_004(tmp_path, so=None, ngay=None, nam=2026)
    ref = next(t for t in doc.texts() if t.startswith("(Ban hành kèm theo"))
    nb = "\u00a0"
    assert ref == (f"(Ban hành kèm theo Quyết định số {nb * 7}/QĐ-UBND ngày{nb * 6}/{nb * 6}/2026 "
                   "của Ủy ban nhân dân tỉnh Hưng Yên)")


def test_generated_numbering(render):
    doc = render("""
loai: ke-hoach
co_quan: {ten: ỦY BAN NHÂN DÂN XÃ AN PHÚ, viet_tat: UBND, dia_danh: An Phú}
trich_yeu: Triển khai nhiệm vụ năm 2026
noi_dung: |
  [I] MỤC ĐÍCH, YÊU CẦU
  [1] Mục đích
  [a] một
  [a] hai
  [a] ba
  [a] bốn
  [a] năm
  [a] sáu
  [a] bảy
  [1] Yêu cầu
  [I] NỘI DUNG
  [1] Nhiệm vụ
  3. Typed stays typed
ky: {chuc_vu: CHỦ TỊCH, ho_ten: A}
""")
    texts = doc.texts()
    i = texts.index("I. MỤC ĐÍCH, YÊU CẦU")
    assert texts[i:i + 13] == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) một", "b) hai", "c) ba", "d) bốn",
                               "đ) năm", "e) sáu", "g) bảy", "2. Yêu cầu", "II. NỘI DUNG", "1. Nhiệm vụ",
                               "3. Typed stays typed./."]
    assert doc.find("II. NỘI DUNG").bold and not doc.find("1. Nhiệm vụ").bold
