"""Issue #16, point 3: a document that lacks what its type needs is refused at the key;
text left as `drafter new` wrote it, and implausible values, are warnings at their key
and line. Each test runs the real command and opens what it wrote (or finds nothing
written)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SAMPLES
from docx_view import DocView
from drafter import placeholders
from drafter.cli.main import main
from drafter.rules import completeness, doctypes

ISSUER = """\
co_quan:
  ten: [ỦY BAN NHÂN DÂN, TỈNH HÀ TĨNH]
  viet_tat: UBND
  dia_danh: Hà Tĩnh
"""
SIGNER = """\
ky:
  chuc_vu: CHỦ TỊCH
  ho_ten: Võ Trọng Hải
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def _run(*args: str):
        return CliRunner().invoke(main, list(args))

    return _run


def put(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def lines_of(output: str, kind: str) -> list[str]:
    return [ln for ln in output.splitlines() if f": {kind} [" in ln]


def texts(path: Path) -> list[str]:
    return DocView(path).texts()


# ------------------------------------------------------------------ refused: what a type needs


def test_a_decision_without_articles_is_refused_at_dieu(run, tmp_path):
    put(tmp_path, "qd.yaml", "loai: quyet-dinh\nso: 15\nngay: 2026-01-05\n"
        "trich_yeu: Ban hành Quy chế làm việc\nnoi_nhan: [Như Điều 3]\n" + ISSUER + SIGNER)
    r = run("render", "qd.yaml")
    assert r.exit_code == 1, r.output
    (line,) = lines_of(r.output, "lỗi")
    assert line.startswith("qd.yaml:1:1: lỗi [dieu]: Quyết định cần các điều: khóa 'dieu' chưa có."), line
    assert "drafter tự đánh 'Điều 1.'" in r.output  # the hint says how
    assert not (tmp_path / "qd.docx").exists()


def test_a_resolution_with_an_empty_article_is_refused_at_that_article(run, tmp_path):
    put(tmp_path, "nq.yaml", "loai: nghi-quyet\ntrich_yeu: Về việc A\n" + ISSUER +
        'dieu:\n  - Thông qua kế hoạch.\n  - ""\n  - Nghị quyết có hiệu lực kể từ ngày ký.\n' + SIGNER)
    r = run("render", "nq.yaml")
    assert r.exit_code == 1, r.output
    (line,) = lines_of(r.output, "lỗi")
    assert line.startswith("nq.yaml:9:5: lỗi [dieu[1]]: Điều 2"), line
    assert not (tmp_path / "nq.docx").exists()


@pytest.mark.parametrize("missing,key,words", [
    ("noi_dung", "noi_dung", "Công văn cần nội dung: khóa 'noi_dung' chưa có."),
    ("kinh_gui", "kinh_gui", "Công văn cần Kính gửi: khóa 'kinh_gui' chưa có."),
])
def test_a_letter_without_body_or_recipient_is_refused(run, tmp_path, missing, key, words):
    parts = {"kinh_gui": "kinh_gui: Sở Tài chính\n", "noi_dung": "noi_dung: |\n  Đề nghị Sở báo cáo.\n"}
    del parts[missing]
    put(tmp_path, "cv.yaml", "loai: cong-van\ntrich_yeu: báo cáo kinh phí\n" + ISSUER + "".join(parts.values()) + SIGNER)
    r = run("render", "cv.yaml")
    assert r.exit_code == 1, r.output
    (line,) = lines_of(r.output, "lỗi")
    assert line == f"cv.yaml:1:1: lỗi [{key}]: {words}", line  # at the type that needs it
    assert not (tmp_path / "cv.docx").exists()


def test_an_empty_value_is_refused_at_its_own_line(run, tmp_path):
    put(tmp_path, "bc.yaml", 'loai: bao-cao\ntrich_yeu: "  "\nnoi_dung: ""\n' + ISSUER + SIGNER)
    r = run("render", "bc.yaml")
    assert r.exit_code == 1, r.output
    assert [ln.split(": ", 2)[:2] for ln in lines_of(r.output, "lỗi")] == [
        ["bc.yaml:2:1", "lỗi [trich_yeu]"], ["bc.yaml:3:1", "lỗi [noi_dung]"]]
    assert "Báo cáo cần nội dung: khóa 'noi_dung' để trống." in r.output


def test_an_attached_document_without_a_body_is_refused_at_its_type(run, tmp_path):
    put(tmp_path, "qd.yaml", "loai: quyet-dinh\ntrich_yeu: Ban hành Quy chế\n" + ISSUER +
        "dieu: [Ban hành kèm theo Quyết định này Quy chế làm việc.]\n" + SIGNER +
        "van_ban_kem_theo:\n  - loai: quy-che\n    trich_yeu: Làm việc\n")
    r = run("render", "qd.yaml")
    assert r.exit_code == 1, r.output
    (line,) = lines_of(r.output, "lỗi")
    assert line == ("qd.yaml:12:5: lỗi [van_ban_kem_theo[0].noi_dung]: "
                    "Quy chế cần nội dung: khóa 'noi_dung' chưa có."), line
    assert not (tmp_path / "qd.docx").exists()


def test_a_missing_signer_name_is_said_once(run, tmp_path):
    put(tmp_path, "tb.yaml", "loai: thong-bao\ntrich_yeu: Kết quả\nnoi_dung: Nội dung thông báo.\n" + ISSUER +
        'ky:\n  chuc_vu: CHỦ TỊCH\n  ho_ten: ""\n')
    r = run("render", "tb.yaml")
    assert r.exit_code == 1
    errors = lines_of(r.output, "lỗi")
    assert len(errors) == 1 and "[ky.ho_ten]" in errors[0], errors


def test_types_without_a_summary_need_none():
    # Nghị định 30's giấy giới thiệu has no trích yếu: an empty one is not refused.
    data = {"trich_yeu": "", "noi_dung": "Giới thiệu ông A đến liên hệ công tác.", "ky": {"ho_ten": "B"}}
    assert completeness.validate("giay-gioi-thieu", data) == []
    assert [p.key for p in completeness.validate("giay-moi", data)] == ["trich_yeu"]


def test_every_type_has_its_needs_and_the_docs_list_them():
    """The table of docs/khoa-ban-thao.md#van-ban-can-co-gi is the table of the code."""
    assert set(completeness.NEEDS) == set(doctypes.BY_SLUG)
    text = (REPO / "docs" / "khoa-ban-thao.md").read_text("utf-8")
    section = text.split('<a id="van-ban-can-co-gi">')[1].split("\n## ")[0]
    rows = [ln.split("|")[1:3] for ln in section.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    listed: dict[str, list[str]] = {}
    rest = None
    for types, needs in rows:
        keys = re.findall(r"`([a-z_.]+)`", needs)
        if "các loại khác" in types:
            rest = keys
        for slug in re.findall(r"`([a-z-]+)`", types):
            listed[slug] = keys
    for slug, needs in completeness.NEEDS.items():
        expected = [k for n in needs for k in (n.key, *n.or_keys)]
        assert listed.get(slug, rest) == expected, slug


# ------------------------------------------------------------------ warned: left as the scaffold made it


@pytest.mark.parametrize("loai", [t.slug for t in doctypes.TYPES])
def test_a_fresh_new_draft_is_written_and_warns_at_each_placeholder(run, tmp_path, loai):
    r = run("new", loai, "--no-input", "--preset", "ubnd-tinh-ha-tinh")
    assert r.exit_code == 0, r.output
    draft, docx = tmp_path / f"{loai}.yaml", tmp_path / f"{loai}.docx"
    assert draft.is_file() and docx.is_file()
    warned = lines_of(r.output, "cảnh báo")
    assert not lines_of(r.output, "lỗi")
    # Every line of the draft that the scaffold wrote to be replaced is warned about,
    # at that line, with its key: the placeholders are those of the scaffold itself.
    source = draft.read_text("utf-8").splitlines()
    left = {(int(m.group(1)), m.group(2)) for ln in warned
            if (m := re.match(rf"{loai}\.yaml:(\d+)(?::\d+)?: cảnh báo \[(.+?)\]: Chữ mẫu", ln))}
    assert left, r.output
    for n, key in left:
        assert any(line in source[n - 1] for lines in placeholders.of_type(loai).values() for line in lines), (n, key)
    keys = {key for _, key in left}
    assert "ky.ho_ten" in keys  # the preset has no signer: the scaffold wrote "Họ và tên người ký"
    assert ("dieu[0]" if doctypes.get(loai).layout == "quyet-dinh" else "noi_dung") in keys or \
        any(k in keys for k in completeness.BODY_KEYS.get(loai, ())), keys
    # The document was written anyway, and drafter check sees the same leftovers.
    r = run("check", docx.name)
    assert r.exit_code == 0, r.output
    assert "[SCAFFOLD-LEFT]" in r.output and "«Họ và tên " in r.output  # (a biên bản: its chair and secretary)


def test_the_body_placeholders_are_placed_at_their_lines(run, tmp_path):
    r = run("new", "cong-van", "--no-input")
    assert r.exit_code == 0, r.output
    source = (tmp_path / "cong-van.yaml").read_text("utf-8").splitlines()
    for ln in lines_of(r.output, "cảnh báo"):
        m = re.match(r"cong-van\.yaml:(\d+)(?::\d+)?: cảnh báo \[noi_dung\]: Chữ mẫu của drafter new chưa được sửa: '(.+)'\.", ln)
        if m:
            assert source[int(m.group(1)) - 1].strip() == m.group(2)
    assert "[dung]" in r.output and "mẫu minh họa 'demo'" in r.output  # the demo preset's issuer is made up


def test_a_finished_draft_has_no_leftover_warning(run, tmp_path):
    r = run("new", "to-trinh", "--no-input", "--preset", "ubnd-tinh-ha-tinh")
    assert r.exit_code == 0
    path = tmp_path / "to-trinh.yaml"
    text = path.read_text("utf-8")
    for lines in placeholders.of_type("to-trinh").values():
        for line in sorted(lines, key=len, reverse=True):
            text = text.replace(line, f"Phần đã viết {len(line)}")
    text = text.replace("ho_ten: Phần đã viết", "ho_ten: Trần Văn Bình #")
    path.write_text(text, "utf-8")
    r = run("render", "to-trinh.yaml", "--force")
    assert r.exit_code == 0, r.output
    assert "Chữ mẫu" not in r.output, r.output
    r = run("check", "to-trinh.docx")
    assert "SCAFFOLD-LEFT" not in r.output, r.output


def test_a_placeholder_from_another_types_scaffold_is_found(run, tmp_path):
    # `drafter new cong-van`, then the type changed to a tờ trình: the công văn's
    # trích yếu placeholder is still recognised.
    put(tmp_path, "tt.yaml", 'loai: to-trinh\ntrich_yeu: "nội dung chính của công văn …"\n'
        "kinh_gui: Hội đồng nhân dân tỉnh\nnoi_dung: Đề nghị phê duyệt.\n" + ISSUER + SIGNER)
    r = run("render", "tt.yaml")
    assert r.exit_code == 0, r.output
    (line,) = lines_of(r.output, "cảnh báo")
    assert line.startswith("tt.yaml:2:1: cảnh báo [trich_yeu]: Chữ mẫu"), line


# ------------------------------------------------------------------ warned: implausible values


def test_implausible_values_are_warnings_with_hints_and_the_document_is_written(run, tmp_path):
    many = "".join(f"\n  - Ủy ban nhân dân xã {i}" for i in range(1, 33))
    put(tmp_path, "cv.yaml", "loai: cong-van\nngay: 2126-01-05\ntrich_yeu: " + "tăng cường công tác " * 12 + "\n"
        "kinh_gui:" + many + "\nnoi_dung: Nội dung.\n" + ISSUER + "ky:\n  chuc_vu: CHỦ TỊCH\n  ho_ten: nguyễn văn a\n")
    r = run("render", "cv.yaml")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "cv.docx").is_file()
    warned = {re.match(r"cv\.yaml:(\d+):\d+: cảnh báo \[([^\]]+)\]", ln).groups() for ln in lines_of(r.output, "cảnh báo")}
    assert warned == {("2", "ngay"), ("3", "trich_yeu"), ("4", "kinh_gui"), ("44", "ky.ho_ten")}, r.output
    assert "05/01/2126 còn hơn một năm nữa" in r.output
    assert "Kính gửi có 32 nơi (quá 30)" in r.output
    assert "→ Viết hoa chữ cái đầu mỗi tiếng của họ tên: 'Nguyễn Văn A'." in r.output
    assert "Trích yếu dài 239 ký tự (quá 200)" in r.output
    assert "nguyễn văn a" in texts(tmp_path / "cv.docx")  # printed as typed: only a warning


def test_a_date_before_1945_and_a_year_far_ahead_are_warned(run, tmp_path):
    base = "loai: thong-bao\ntrich_yeu: Kết quả\nnoi_dung: Nội dung.\n" + ISSUER + SIGNER
    put(tmp_path, "a.yaml", base + "ngay: 1930-01-05\n")
    put(tmp_path, "b.yaml", base + "nam: 2199\n")
    r = run("render", "a.yaml")
    assert r.exit_code == 0 and "[ngay]: Ngày ban hành 05/01/1930 ở trước năm 1945" in r.output, r.output
    r = run("render", "b.yaml")
    assert r.exit_code == 0 and "[nam]: Năm 2199 còn hơn một năm nữa" in r.output, r.output


# ------------------------------------------------------------------ what already worked keeps working


@pytest.mark.parametrize("sample", sorted(p for p in SAMPLES.glob("*.yaml") if "\nloai:" in "\n" + p.read_text("utf-8")),
                         ids=lambda p: p.stem)
def test_the_samples_still_render(run, tmp_path, sample):
    r = run("render", str(sample), "-o", str(tmp_path / "out.docx"))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out.docx").is_file()
    if "ho_ten: Họ và tên người ký" in sample.read_text("utf-8"):  # seed 003 has lost its signer's name
        assert lines_of(r.output, "cảnh báo") and all("[ky.ho_ten]" in ln for ln in lines_of(r.output, "cảnh báo"))
    else:
        assert not lines_of(r.output, "cảnh báo"), r.output


def test_a_batch_row_without_a_recipient_is_refused_and_the_others_written(run, tmp_path):
    put(tmp_path, "d.yaml", 'loai: cong-van\nso: "{{ hang.so }}"\ntrich_yeu: thử\nkinh_gui: "{{ hang.kg }}"\n'
        "noi_dung: Nội dung.\n" + ISSUER + SIGNER)
    (tmp_path / "r.csv").write_text("so,kg\n1,Sở Tài chính\n2,\n", "utf-8")
    r = run("batch", "d.yaml", "r.csv", "-o", "out")
    assert r.exit_code == 1
    assert "Công văn cần Kính gửi" in r.output, r.output
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1
