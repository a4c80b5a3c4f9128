"""Bad input gets one clear Vietnamese message with file, line and key, exit code 1,
no traceback, and no partial file."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from drafter.cli import main

GOOD = (SAMPLES / "001-cong-van-quang-ngai.yaml").read_text(encoding="utf-8")


def run(tmp_path, text: str, *args: str):
    draft = tmp_path / "draft.yaml"
    draft.write_text(text, encoding="utf-8")
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["render", "draft.yaml", *args])
    finally:
        os.chdir(cwd)
    return result


def assert_clean_failure(tmp_path, result, *needles):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for n in needles:
        assert n in result.output, result.output
    assert not (tmp_path / "draft.docx").exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_malformed_yaml(tmp_path):
    r = run(tmp_path, "loai: cong-van\nco_quan: [a\n")
    assert_clean_failure(tmp_path, r, "draft.yaml:3:1", "sai cú pháp")


def test_tab_indentation(tmp_path):
    r = run(tmp_path, "loai: cong-van\nky:\n\tho_ten: A\n")
    assert_clean_failure(tmp_path, r, "draft.yaml:3", "Tab")


def test_unknown_key_suggests_near_key(tmp_path):
    r = run(tmp_path, GOOD.replace("\ntrich_yeu:", "\ntrich_yue:"))
    line = GOOD.split("\n").index(next(ln for ln in GOOD.split("\n") if ln.startswith("trich_yeu:"))) + 1
    assert_clean_failure(tmp_path, r, f"draft.yaml:{line}:1", "[trich_yue]", "'trich_yeu'")


def test_unknown_nested_key(tmp_path):
    r = run(tmp_path, GOOD.replace("  chuc_vu: PHÓ CHỦ TỊCH", "  chuc_vuu: PHÓ CHỦ TỊCH"))
    assert_clean_failure(tmp_path, r, "[ky.chuc_vuu]", "'chuc_vu'")


def test_missing_required_key(tmp_path):
    text = "\n".join(ln for ln in GOOD.split("\n") if not ln.startswith("trich_yeu:"))
    r = run(tmp_path, text)
    assert_clean_failure(tmp_path, r, "draft.yaml:", "[trich_yeu]", "Thiếu khóa bắt buộc")


def test_wrong_type(tmp_path):
    r = run(tmp_path, GOOD.replace("  ho_ten: Trần Phước Hiền", "  ho_ten: [Trần, Hiền]"))
    assert_clean_failure(tmp_path, r, "[ky.ho_ten]", "sai kiểu")


def test_wrong_number(tmp_path):
    r = run(tmp_path, GOOD.replace("so: 953", "so: chín"))
    assert_clean_failure(tmp_path, r, "draft.yaml:5:1", "[so]")


@pytest.mark.parametrize("bad", ["2021-02-30", "2021-13-01", "31/04/2021", "hôm nay"])
def test_impossible_date(tmp_path, bad):
    r = run(tmp_path, GOOD.replace("ngay: 2021-03-10", f"ngay: {bad}"))
    assert_clean_failure(tmp_path, r, "draft.yaml:7:1", "[ngay]")


def test_missing_preset(tmp_path):
    r = run(tmp_path, GOOD.replace("[ubnd-tinh-quang-ngai]", "[ubnd-tinh-quang-ngia]"))
    assert_clean_failure(tmp_path, r, "draft.yaml:4:8", "ubnd-tinh-quang-ngia", "ubnd-tinh-quang-ngai")


def test_forbidden_signature(tmp_path):
    r = run(tmp_path, GOOD.replace("  chuc_vu: PHÓ CHỦ TỊCH", "  chuc_vu: GIÁM ĐỐC"))
    assert_clean_failure(tmp_path, r, "[ky.chuc_vu]", "cấp phó")


def test_several_problems_reported_together(tmp_path):
    text = GOOD.replace("so: 953", "so: x").replace("ngay: 2021-03-10", "ngay: 2021-02-31").replace(
        "\ntrich_yeu:", "\ntrichyeu:")
    r = run(tmp_path, text)
    assert_clean_failure(tmp_path, r, "[so]", "[ngay]", "[trichyeu]", "Có ")


def test_not_utf8(tmp_path):
    (tmp_path / "draft.yaml").write_bytes(GOOD.encode("cp1258", errors="replace"))
    r = CliRunner().invoke(main, ["render", str(tmp_path / "draft.yaml")])
    assert r.exit_code == 1 and "UTF-8" in r.output and "Traceback" not in r.output


def test_existing_output_needs_force(tmp_path):
    assert run(tmp_path, GOOD).exit_code == 0
    before = (tmp_path / "draft.docx").read_bytes()
    r = run(tmp_path, GOOD.replace("so: 953", "so: 954"))
    assert r.exit_code == 1 and "--force" in r.output
    assert (tmp_path / "draft.docx").read_bytes() == before
    assert run(tmp_path, GOOD.replace("so: 953", "so: 954"), "--force").exit_code == 0
    assert (tmp_path / "draft.docx").read_bytes() != before


def test_failed_render_keeps_existing_file(tmp_path):
    assert run(tmp_path, GOOD).exit_code == 0
    before = (tmp_path / "draft.docx").read_bytes()
    r = run(tmp_path, GOOD.replace("so: 953", "so: x"), "--force")
    assert r.exit_code == 1
    assert (tmp_path / "draft.docx").read_bytes() == before


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    import drafter.package.atomic as atomic

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", boom)
    monkeypatch.setattr(atomic.os, "link", boom)
    r = run(tmp_path, GOOD)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.yaml"]


def test_unknown_type(tmp_path):
    r = run(tmp_path, GOOD.replace("loai: cong-van", "loai: cong-vn"))
    assert_clean_failure(tmp_path, r, "[loai]", "cong-van")


def test_json_errors(tmp_path):
    import json

    r = run(tmp_path, GOOD.replace("so: 953", "so: x"), "--json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["ok"] is False and data["problems"][0]["key"] == "so" and data["problems"][0]["line"] == 5


def agency_template(tmp_path, old: bytes, new: bytes) -> None:
    """An agency's own cong-van.docx beside the draft: the built-in one, edited."""
    import zipfile

    from drafter import resources

    own = tmp_path / "templates" / "cong-van.docx"
    own.parent.mkdir()
    with zipfile.ZipFile(resources.templates_dir() / "cong-van.docx") as src, zipfile.ZipFile(own, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                # an agency's template made from the built-in one, its V/v printed as plain
                # text (the built-in one places drafter's line breaks: `{{r doc.vv_lines }}`)
                data = data.replace(b"{{r doc.vv_lines }}", b"{{ doc.vv }}")
                assert old in data
                data = data.replace(old, new)
            dst.writestr(item, data)


def test_broken_xml_from_a_template_is_never_written(tmp_path):
    """An agency's own template that prints a value unescaped (`|safe`) cannot be
    proven well-formed, so each document is parsed: `<` in the subject makes broken
    XML, and the result is a clear message and no file."""
    agency_template(tmp_path, b"{{ doc.vv }}", b"{{ doc.vv|safe }}")
    text = (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("trich_yeu:"))
    result = run(tmp_path, text.replace(line, "trich_yeu: chỉ số PM2.5 <25 µg/m3"))
    assert_clean_failure(tmp_path, result, "XML hỏng", "cong-van.docx")


@pytest.mark.parametrize("tag, needle", [
    (b"{{ doc.vv ", "có thẻ viết sai"),  # a tag left open
    (b"{{ doc.vv.so.trang }}", "dùng giá trị không có"),  # reads what is not there
    (b"{{ doc.vv.__class__.__mro__ }}", "dùng giá trị không có"),  # the sandbox refuses
    (b"{{ doc.vv }}{{ 1 + 'a' }}", "không tính được"),  # a number added to a text
    (b"{{ doc.vv | wordwrap(0) }}", "không tính được"),  # a filter refusing its argument
])
def test_agency_template_mistakes_are_named(tmp_path, tag, needle):
    agency_template(tmp_path, b"{{ doc.vv }}", tag)
    result = run(tmp_path, (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8"))
    assert_clean_failure(tmp_path, result, needle, "cong-van.docx")
    assert "Lỗi nội bộ" not in result.output


@pytest.mark.parametrize("options, words", [
    ("", "một trăm linh bốn; hai mươi tư"),
    ("tuy_chon: {doc_so_linh: lẻ, doc_so_tu: bốn}\n", "một trăm lẻ bốn; hai mươi bốn"),
])
def test_agency_template_filters_follow_the_drafts_reading(tmp_path, options, words):
    agency_template(tmp_path, b"{{ doc.vv }}", b"{{ doc.vv }} {{ 104 | doc_so }}; {{ 24 | doc_so }}")
    result = run(tmp_path, (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8") + options)
    assert result.exit_code == 0, result.output
    from docx_view import DocView

    assert any(words in t for t in DocView(tmp_path / "draft.docx").texts())
