"""Page layout as LibreOffice lays it out (issue 16, point 4), read back from the PDF.

Drafts with real long data — a công văn of Thành phố Hồ Chí Minh to 69 communes, with
HỎA TỐC and MẬT; a quyết định of a Sở Nông nghiệp và Phát triển nông thôn with its
parent agency and a long title; a kế hoạch of Hà Nội; a blank date — are rendered by
`drafter render` and converted in ONE LibreOffice run; the assertions read the PDF's
text (pdftotext -layout): the date line and the quốc hiệu on one line, the agency's
lines exactly as drafter broke them (between whole units), title lines never one word,
the urgency and secrecy marks where the format puts them, no nearly empty page before
the last, and the signature block whole on one page with the end of the body.
Skipped without LibreOffice.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import api, pdf
from drafter.cli import main
from drafter.render.context import issuer_rule_length
from drafter.rules import geometry as G
from drafter.rules import layout, linebreak

REPO = Path(__file__).resolve().parent.parent
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SOFFICE = pdf.find_soffice()
MIN_LINES = 20  # a page before the last holds at least this many lines of text

pytestmark = pytest.mark.libreoffice

COMMUNES = [r["ten_day_du"] for r in csv.DictReader(
    (REPO / "samples" / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv").open(encoding="utf-8"))]
BODY = "\n".join([
    "Thực hiện chỉ đạo của Ủy ban nhân dân Thành phố về việc triển khai nhiệm vụ năm 2027, đề nghị "
    "các đơn vị khẩn trương rà soát, tổng hợp và báo cáo kết quả thực hiện các chỉ tiêu kinh tế - xã hội.",
    "Báo cáo gửi về Văn phòng Ủy ban nhân dân Thành phố trước ngày 15 tháng 01 năm 2027 để tổng hợp, "
    "báo cáo Thường trực Thành ủy theo quy định.",
])
HCM = {"ten": "Ủy ban nhân dân Thành phố Hồ Chí Minh", "viet_tat": "UBND", "dia_danh": "Thành phố Hồ Chí Minh"}
DRAFTS = {
    "cv-hcm-69": {
        "loai": "cong-van", "co_quan": HCM, "so": 125, "don_vi_soan": "KT", "ngay": "2026-12-28",
        "do_khan": "Hỏa tốc", "do_mat": "Mật",
        "trich_yeu": "triển khai thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn "
                     "2021 - 2025 và định hướng đến năm 2030",
        "kinh_gui": ["Ủy ban nhân dân các xã, phường, đặc khu"], "noi_dung": BODY,
        # 69 lines under "Nơi nhận:" with Như trên and Lưu
        "noi_nhan": ["Như trên", "Thường trực Thành ủy"] + [f"UBND {n}" for n in COMMUNES[:66]],
        "luu": ["VT", "KT"], "ky": {"kt": "CHỦ TỊCH", "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "Nguyễn Văn Được"},
    },
    "qd-snn": {
        "loai": "quyet-dinh",
        "co_quan": {"chu_quan": "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
                    "ten": "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bà Rịa - Vũng Tàu",
                    "viet_tat": "SNN", "dia_danh": "Bà Rịa - Vũng Tàu"},
        "so": 15, "ngay": "2026-02-05", "do_khan": "Thượng khẩn", "do_mat": "Tối mật",
        "trich_yeu": "Về việc phê duyệt Kế hoạch phát triển ngành nông nghiệp và kinh tế nông thôn tỉnh "
                     "giai đoạn 2016 - 2020 và tầm nhìn đến năm 2020",
        "can_cu": ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"],
        "dieu": ["Phê duyệt Kế hoạch kèm theo Quyết định này.", "Quyết định này có hiệu lực kể từ ngày ký.",
                 "Chánh Văn phòng Sở, Trưởng các phòng, đơn vị thuộc Sở chịu trách nhiệm thi hành Quyết định này."],
        "noi_nhan": ["Như Điều 3", "UBND tỉnh (để báo cáo)"], "luu": ["VT", "KHTC"],
        "ky": {"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Trần Văn Bình"},
    },
    "kh-hn": {
        "loai": "ke-hoach",
        "co_quan": {"ten": "Ủy ban nhân dân Thành phố Hà Nội", "viet_tat": "UBND", "dia_danh": "Hà Nội"},
        "so": 7, "ngay": "2026-03-09", "do_khan": "Khẩn",
        "trich_yeu": "Triển khai công tác chuyển đổi số trong các cơ quan hành chính nhà nước của Thành phố "
                     "năm 2026 đến năm 2030",
        "noi_dung": BODY, "noi_nhan": ["Các sở, ban, ngành Thành phố"], "luu": ["VT", "KT"],
        "ky": {"tm": "Ủy ban nhân dân", "chuc_vu": "CHỦ TỊCH", "ho_ten": "Trần Sỹ Thanh"},
    },
    "tb-hcm-blank-date": {  # no date yet: the blanks of the day and month, same long place
        "loai": "thong-bao", "co_quan": HCM,
        "trich_yeu": "Kết luận của Chủ tịch Ủy ban nhân dân Thành phố tại cuộc họp về công tác phòng, "
                     "chống thiên tai năm 2026",
        "noi_dung": BODY, "noi_nhan": ["Các sở, ban, ngành Thành phố"], "luu": ["VT"],
        "ky": {"tl": "CHỦ TỊCH", "chuc_vu": "CHÁNH VĂN PHÒNG", "ho_ten": "Lê Thị Mai"},
    },
}


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text.replace("\xa0", " "))).strip()


def _left(line: str) -> str:
    """The left column's piece of a pdftotext -layout line (columns are 2+ spaces apart)."""
    return _one_line(re.split(r"\s{2,}", line.strip())[0]) if line.startswith(" " * 0) else ""


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path_factory.mktemp("layout")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRAFTER_USER_DIR", str(tmp_path_factory.mktemp("user")))
        for name, data in DRAFTS.items():
            src = work / f"{name}.yaml"
            src.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
            r = CliRunner().invoke(main, ["render", str(src), "-o", str(work / f"{name}.docx")])
            assert r.exit_code == 0, r.output
            out[name] = {"doc": api.prepare(src).document, "docx": work / f"{name}.docx"}
        written = pdf.convert([d["docx"] for d in out.values()])  # one LibreOffice run
    for d, p in zip(out.values(), written):
        d["pages"] = [[ln for ln in page.splitlines() if ln.strip()] for page in pdf.pdf_text(p)]
    return out


def _page_of(pages, text: str) -> int:
    found = [i for i, page in enumerate(pages) if any(text in _one_line(ln) for ln in page)]
    assert found, f"{text!r} is in no page"
    return found[0]


@pytest.mark.parametrize("name", list(DRAFTS))
def test_date_line_and_quoc_hieu_on_one_line(laid_out, name):
    d = laid_out[name]
    first = [_one_line(ln) for ln in d["pages"][0]]
    date = _one_line(d["doc"].header.date_line)
    assert any(date in ln for ln in first), f"{date!r} wraps:\n" + "\n".join(first[:8])
    assert QUOC_HIEU in first[0], first[:2]


@pytest.mark.parametrize("name", list(DRAFTS))
def test_agency_lines_are_drafters_own_between_whole_units(laid_out, name):
    d = laid_out[name]
    h = d["doc"].header
    lines = list(h.co_quan)
    if h.chu_quan:
        lines = list(linebreak.agency_lines(h.chu_quan, layout.HEADER_LEFT_INNER, size_pt=G.CHU_QUAN.pt,
                                            bold=False)) + lines
    left = [_left(ln) for ln in d["pages"][0][:len(lines)]]
    assert left == lines, "LibreOffice broke the agency's name itself"
    for a, b in zip(lines, lines[1:]):  # never inside a compound or a place name
        pair = f"{a.split()[-1]} {b.split()[0]}"
        assert pair not in ("THÀNH PHỐ", "THỊ XÃ", "NHÂN DÂN", "ỦY BAN", "BÀ RỊA", "HỒ CHÍ"), (a, b)
        assert not b.startswith("PHỐ ") and not a.endswith(" TỈNH"), (a, b)
    if name == "cv-hcm-69":
        assert lines == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]


@pytest.mark.parametrize("name", list(DRAFTS))
def test_issuer_rule_is_a_third_to_a_half_of_the_longest_line(laid_out, name):
    h = laid_out[name]["doc"].header
    from drafter.rules import textwidth

    longest = max(textwidth.width_twips(ln, G.ISSUER.pt, bold=True) for ln in h.co_quan)
    assert longest <= layout.HEADER_LEFT_INNER  # each line fits the column: nothing re-wraps
    assert longest / 3 <= issuer_rule_length(h.co_quan) <= longest / 2


def _title_block(page: list[str], start: str, stop) -> list[str]:
    lines = [_one_line(ln) for ln in page]
    i = next(k for k, ln in enumerate(lines) if ln == start)
    out = []
    for ln in lines[i + 1:]:
        if stop(ln):
            break
        out.append(ln)
    return out


@pytest.mark.parametrize("name", ["qd-snn", "kh-hn", "tb-hcm-blank-date"])
def test_bold_title_in_balanced_lines(laid_out, name):
    d = laid_out[name]
    doc = d["doc"]
    lines = _title_block(d["pages"][0], doc.doc_type.caps_name,
                         lambda ln: ln.startswith(("Căn cứ", "Thực hiện", "GIÁM ĐỐC", "ỦY BAN")))
    expected = list(linebreak.title_lines(doc.trich_yeu, G.TRICH_YEU.pt, layout.TEXT_W))
    assert lines == expected, "the title's lines are drafter's own"
    assert len(lines) >= 2 and all(len(ln.split()) >= 2 for ln in lines), lines
    widths = [len(ln) for ln in lines]
    assert min(widths) >= max(widths) / 3, lines  # balanced, not a long line and a stub
    assert not lines[-1].endswith(" 2020") or len(lines[-1].split()) > 2


def test_vv_in_balanced_lines_and_marks_in_their_places(laid_out):
    d = laid_out["cv-hcm-69"]
    left = [_left(ln) for ln in d["pages"][0]]
    vv = list(linebreak.title_lines(d["doc"].vv, G.VV.pt, layout.HEADER_LEFT_INNER, bold=False))
    i = left.index(vv[0])
    assert left[i:i + len(vv)] == vv
    assert all(len(ln.split()) >= 2 for ln in vv)
    # ô 10a (secrecy) under the số; ô 10b (urgency) under the V/v line
    so = next(k for k, ln in enumerate(left) if ln.startswith("Số:"))
    assert left[so + 1] == "MẬT", left[:12]
    assert left[i + len(vv)] == "HỎA TỐC", left[:12]


def test_named_type_marks_secrecy_above_urgency(laid_out):
    left = [_left(ln) for ln in laid_out["qd-snn"]["pages"][0]]
    so = next(k for k, ln in enumerate(left) if ln.startswith("Số:"))
    assert left[so + 1: so + 3] == ["TỐI MẬT", "THƯỢNG KHẨN"], left[:12]


@pytest.mark.parametrize("name", list(DRAFTS))
def test_no_nearly_empty_page_and_signature_whole(laid_out, name):
    d = laid_out[name]
    pages, doc = d["pages"], d["doc"]
    for i, page in enumerate(pages[:-1], 1):
        assert len(page) >= MIN_LINES, f"page {i} of {len(pages)} holds {len(page)} lines:\n" + "\n".join(page)
    sig = _page_of(pages, doc.signing.name)
    for line in doc.signing.authority:
        assert _page_of(pages, line) == sig, f"{line!r} not on the signer's page"
    assert _page_of(pages, "Nơi nhận:") == sig  # the list starts beside the signature
    assert _page_of(pages, "./.") == sig  # kept with the end of the body


def test_long_noi_nhan_runs_on_after_the_signature(laid_out):
    d = laid_out["cv-hcm-69"]
    pages, doc = d["pages"], d["doc"]
    assert len(doc.signing.noi_nhan) == 69
    assert len(pages) == 2, [len(p) for p in pages]
    assert _page_of(pages, doc.signing.name) == 0  # with the body, on page 1
    assert _page_of(pages, "- Lưu: VT, KT.") == 1  # the list continues on page 2
    text = [_one_line(ln) for page in pages for ln in page]
    assert all(any(item in ln for ln in text) for item in doc.signing.noi_nhan)
