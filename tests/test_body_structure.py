"""The structure of a body as printed (issue 16, point 4): Phần / Chương / Mục headings
and their titles, Điều headings, the I. / A. sections of plans and reports, each in
its style (centred or bold, kept with the next paragraph); agency names written for
a sentence with Phụ lục II's capitals; a Lưu line naming each unit once; one "./."
at the end of the body. Drafts go through the real command and the .docx (and, with
LibreOffice, the PDF) is read back."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from docx_view import W, DocView, Para, q
from drafter import pdf
from drafter.cli import main

SIGNER = """\
ky:
  tm: ỦY BAN NHÂN DÂN
  kt: CHỦ TỊCH
  chuc_vu: PHÓ CHỦ TỊCH
  ho_ten: Dương Tất Thắng
"""

PLAN = """\
loai: ke-hoach
dung: [ubnd-tinh-ha-tinh]
so: 12
ngay: 2024-03-05
trich_yeu: Triển khai chương trình khuyến công năm 2024
noi_dung: |
  Thực hiện Quyết định số 1881/QĐ-TTg của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
  Phần thứ nhất
  Đánh giá kết quả thực hiện năm 2023
  I. KẾT QUẢ ĐẠT ĐƯỢC
  Các sở, ngành đã triển khai kịp thời các nhiệm vụ được giao./.
  II. TỒN TẠI, HẠN CHẾ
  Một số nhiệm vụ còn chậm./. Cần khắc phục ngay.
  PHẦN THỨ HAI: NHIỆM VỤ NĂM 2024
  Chương I
  QUY ĐỊNH CHUNG
  Mục 1. Phạm vi áp dụng
  Điều 1. Phạm vi điều chỉnh
  Kế hoạch này áp dụng trên địa bàn tỉnh.
  Điều 2. Kế hoạch này có hiệu lực kể từ ngày ký.
  A. MỤC TIÊU
  Hoàn thành các chỉ tiêu được giao.
  Chương I của Kế hoạch năm trước đã nêu các chỉ tiêu.
  B. GIẢI PHÁP
  Tăng cường kiểm tra, giám sát./.
noi_nhan: [Bộ Công Thương]
luu: [VT, KHTC, Vụ KHTC, khtc (02b)]
""" + SIGNER


def _render(tmp_path: Path, text: str, name: str = "draft.yaml", *extra: str):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / (src.stem + ".docx")
    result = CliRunner().invoke(main, ["render", str(src), "-o", str(out), "--force", *extra])
    assert result.exit_code == 0, result.output
    return DocView(out), result.output


def _keep_next(view: DocView, p: Para) -> bool:
    """keepNext on the paragraph or along its style chain."""
    ppr = p.element.find(q("pPr"))
    if ppr is not None and ppr.find(q("keepNext")) is not None:
        return True
    return any(st.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None for st in view._style_chain(p.style))


def _body(view: DocView) -> list[Para]:
    return [p for p in view.paragraphs() if p.text and not p.in_table]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("plan"), PLAN, "ke-hoach.yaml")


# ------------------------------------------------------------------ headings


def test_chapter_lines_are_centred_bold_with_their_title_below_in_capitals(plan):
    view, _ = plan
    texts = [p.text for p in _body(view)]
    for label, title in [("Phần thứ nhất", "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2023"),
                         ("Phần thứ hai", "NHIỆM VỤ NĂM 2024"),  # typed "PHẦN THỨ HAI: …" on one line
                         ("Chương I", "QUY ĐỊNH CHUNG"),
                         ("Mục 1", "PHẠM VI ÁP DỤNG")]:
        i = texts.index(label)
        assert texts[i + 1] == title, texts[i:i + 2]
        for p in (view.find(label), view.find(title)):
            assert (p.align, p.bold, p.first_line) == ("center", True, None), p
            assert p.size == 14
            assert _keep_next(view, p), p.text
        assert view.find(label).style == "DrChapter"
        assert view.find(title).style == "DrChapterTitle"


def test_sections_and_articles_are_bold_and_kept_with_the_next_paragraph(plan):
    view, _ = plan
    for heading in ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ", "A. MỤC TIÊU", "B. GIẢI PHÁP",
                    "Điều 1. Phạm vi điều chỉnh"]:
        p = view.find(heading)
        assert p.bold and _keep_next(view, p), heading
        assert p.align == "both" and p.first_line == 720, heading  # at the body's indent
    assert view.find("Điều 1. Phạm vi điều chỉnh").style == "DrArticle"
    body = view.find("Kế hoạch này áp dụng trên địa bàn tỉnh.")
    assert (body.style, body.bold, body.align) == ("DrBody", False, "both")
    assert not _keep_next(view, body)


def test_sentences_that_start_like_headings_stay_body_text(plan):
    view, _ = plan
    p = view.find("Chương I của Kế hoạch năm trước đã nêu các chỉ tiêu.")
    assert (p.style, p.bold, p.align) == ("DrBody", False, "both")
    article = view.find("Điều 2. Kế hoạch này có hiệu lực kể từ ngày ký.")
    assert article.style == "DrBody"
    runs = [(r.findtext(q("t")), view._run_prop(r, article.style, "b"))
            for r in article.element.iter(q("r")) if r.find(q("t")) is not None]
    assert runs[0] == ("Điều 2.", True)  # the label bold, the sentence not
    assert all(not bold for _, bold in runs[1:])


def test_quy_che_typed_with_chapter_and_title_on_one_line(tmp_path):
    text = """\
    loai: quy-che
    dung: [ubnd-tinh-ha-tinh]
    trich_yeu: Làm việc của Ủy ban nhân dân tỉnh
    noi_dung: |
      CHƯƠNG I. Những quy định chung
      Điều 1. Phạm vi điều chỉnh
      Quy chế này quy định nguyên tắc làm việc.
      Chương II: Trách nhiệm giải quyết công việc
      Điều 2. Trách nhiệm của Chủ tịch
      Chủ tịch lãnh đạo, điều hành mọi hoạt động.
    """
    view, _ = _render(tmp_path, textwrap.dedent(text) + SIGNER)
    texts = [p.text for p in _body(view)]
    assert texts[texts.index("Chương I") + 1] == "NHỮNG QUY ĐỊNH CHUNG"
    assert texts[texts.index("Chương II") + 1] == "TRÁCH NHIỆM GIẢI QUYẾT CÔNG VIỆC"
    assert view.find("Chương II").style == "DrChapter"
    assert view.find("Điều 2. Trách nhiệm của Chủ tịch").style == "DrArticle"


# ------------------------------------------------------------------ names in running text


QD_WITH_ATTACHED = """\
loai: quyet-dinh
dung: [{preset}]
so: 5
ngay: 2024-03-05
trich_yeu: Ban hành Quy chế làm việc
can_cu: [Căn cứ Luật Tổ chức chính quyền địa phương]
dieu:
  - Ban hành kèm theo Quyết định này Quy chế làm việc./.
  - Quyết định này có hiệu lực kể từ ngày ký.
  - Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này.
noi_nhan: [Như Điều 3]
luu: [VT, VP]
ky:
  chuc_vu: GIÁM ĐỐC
  ho_ten: Nguyễn Văn Bình
van_ban_kem_theo:
  - loai: quy-che
    trich_yeu: Làm việc
    noi_dung: |
      Chương I
      Quy định chung
      Điều 1. Phạm vi điều chỉnh
      Quy chế này quy định nguyên tắc làm việc.
"""


@pytest.mark.parametrize("preset, name", [
    ("so-tai-chinh-ha-tinh", "Sở Tài chính"),
    ("ubnd-tinh-ha-tinh", "Ủy ban nhân dân tỉnh Hà Tĩnh"),
    ("ubnd-xa-tien-dien", "Ủy ban nhân dân xã Tiên Điền"),
    ("bo-cong-thuong", "Bộ Công Thương"),
])
def test_issuer_in_running_text_keeps_the_capitals_of_phu_luc_ii(tmp_path, preset, name):
    view, _ = _render(tmp_path, QD_WITH_ATTACHED.format(preset=preset))
    ref = view.starting("(Ban hành kèm theo Quyết định số")
    assert ref.text.endswith(f" của {name})"), ref.text


EVERY_PRESET = {  # every built-in agency preset, its name as a sentence writes it
    "bo-cong-thuong": "Bộ Công Thương",
    "demo": "Sở Công Thương",
    "so-tai-chinh-ha-tinh": "Sở Tài chính",
    "ubnd-tinh-ha-tinh": "Ủy ban nhân dân tỉnh Hà Tĩnh",
    "ubnd-tinh-hung-yen": "Ủy ban nhân dân tỉnh Hưng Yên",
    "ubnd-tinh-quang-ngai": "Ủy ban nhân dân tỉnh Quảng Ngãi",
    "ubnd-tinh-vinh-long": "Ủy ban nhân dân tỉnh Vĩnh Long",
    "ubnd-xa-tien-dien": "Ủy ban nhân dân xã Tiên Điền",
}


def test_every_built_in_agency_preset_reads_right_in_a_sentence():
    from drafter import resources
    from drafter.inputs.yamlfile import load
    from drafter.rules import proper_names

    folder = resources.presets_dir()
    agencies = {f.stem for f in folder.glob("*.yaml") if "co_quan" in f.read_text(encoding="utf-8")}
    assert agencies == set(EVERY_PRESET)
    for stem, name in EVERY_PRESET.items():
        co_quan = load(folder / f"{stem}.yaml").data["co_quan"]
        ten = co_quan["ten"] if isinstance(co_quan["ten"], str) else " ".join(co_quan["ten"])
        assert proper_names.running(ten, place=co_quan["dia_danh"]) == name, stem


# ------------------------------------------------------------------ Lưu


def test_luu_names_each_unit_once_and_warns_at_the_repeat(plan):
    view, output = plan
    assert "- Lưu: VT, KHTC." in view.texts()
    assert not any("Vụ KHTC" in t for t in view.texts())
    warnings = [ln for ln in output.splitlines() if "[luu[" in ln]
    assert len(warnings) == 2, output  # "Vụ KHTC" and "khtc (02b)"
    assert re.match(r"^.*ke-hoach\.yaml:\d+:\d+: cảnh báo \[luu\[2\]\]: .*\"Vụ KHTC\"", warnings[0]), warnings[0]
    assert "Lưu: VT, KHTC." in warnings[0]


def test_luu_written_as_text_and_the_drafting_unit_not_added_twice(tmp_path):
    text = """\
    loai: cong-van
    dung: [so-tai-chinh-ha-tinh]
    don_vi_soan: KHTC
    trich_yeu: kế hoạch tài chính năm 2025
    kinh_gui: Sở Nội vụ
    noi_dung: Đề nghị Sở Nội vụ phối hợp.
    luu: VT, Phòng KHTC, KHTC
    ky:
      chuc_vu: GIÁM ĐỐC
      ho_ten: Nguyễn Văn Bình
    """
    view, output = _render(tmp_path, textwrap.dedent(text))
    assert "- Lưu: VT, Phòng KHTC." in view.texts()
    assert "cảnh báo [luu]:" in output and '"KHTC" là cùng đơn vị' in output


# ------------------------------------------------------------------ ./.


def test_end_mark_once_at_the_end_of_the_body(plan):
    view, output = plan
    body = [p.text for p in _body(view)]
    assert sum(t.count("./.") for t in view.texts()) == 1
    assert body[body.index("B. GIẢI PHÁP") + 1] == "Tăng cường kiểm tra, giám sát./."
    assert "Các sở, ngành đã triển khai kịp thời các nhiệm vụ được giao." in body
    assert "Một số nhiệm vụ còn chậm. Cần khắc phục ngay." in body
    marks = [ln for ln in output.splitlines() if "cảnh báo [noi_dung]" in ln and '"./."' in ln]
    assert len(marks) == 2, output
    assert any("không phải đoạn cuối" in ln for ln in marks) and any("ở giữa đoạn" in ln for ln in marks)


def test_end_mark_of_a_quyet_dinh_is_on_its_last_article(tmp_path):
    view, output = _render(tmp_path, QD_WITH_ATTACHED.format(preset="so-tai-chinh-ha-tinh"))
    texts = view.texts()
    assert "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc." in texts
    assert "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này./." in texts
    assert "Quy chế này quy định nguyên tắc làm việc./." in texts  # the attached document ends its own
    assert sum(t.count("./.") for t in texts) == 2
    assert "cảnh báo [dieu[0]]" in output


def test_a_body_without_typed_marks_gets_no_warning(tmp_path):
    text = PLAN.replace("./.", "").replace("Vụ KHTC, khtc (02b)", "PL")
    _, output = _render(tmp_path, text)
    assert '"./."' not in output and "[luu" not in output


# ------------------------------------------------------------------ as LibreOffice lays it out


@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_chapter_heading_is_centred_on_the_pdf_page(tmp_path):
    _render(tmp_path, PLAN, "ke-hoach.yaml", "--pdf")
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "ke-hoach.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = [(float(a), float(b), float(c), w) for a, b, c, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]
    page_w = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    mm = 72 / 25.4
    centre = (30 * mm + page_w - 15 * mm) / 2  # of the text between the margins

    def line_of(*seq: str) -> tuple[float, float]:
        """Left of the first word and right of the last of `seq`, found on one line."""
        for i in range(len(words) - len(seq) + 1):
            run = words[i:i + len(seq)]
            if tuple(w for *_, w in run) == seq and all(abs(r[1] - run[0][1]) < 1 for r in run):
                return run[0][0], run[-1][2]
        raise AssertionError(f"no line {seq} in {[w for *_, w in words]}")

    for seq in [("Chương", "I"), ("Phần", "thứ", "nhất"), ("QUY", "ĐỊNH", "CHUNG")]:
        x0, x1 = line_of(*seq)
        assert abs((x0 + x1) / 2 - centre) < 3, (seq, x0, x1, centre)
    # A body paragraph starts at the first-line indent, a section heading too.
    for seq in [("Kế", "hoạch", "này", "áp", "dụng"), ("A.", "MỤC", "TIÊU")]:
        x0, _ = line_of(*seq)
        assert abs(x0 - (30 * mm + 12.7 * mm)) < 2, (seq, x0)
