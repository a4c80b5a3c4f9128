"""`drafter words` reads negative amounts as its help shows; numbers YAML would misread
are reported as typed with both readings; a '#' that cuts a value is a warning
(issue 16, point 6)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.inputs import yamlfile
from drafter.rules import words


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="drafter")


@pytest.mark.parametrize("args, printed", [
    (["-5"], "âm năm"),
    (["-1.500.000", "--dong"], "Bằng chữ: Âm một triệu năm trăm nghìn đồng."),
    (["--dong", "-1.500.000"], "Bằng chữ: Âm một triệu năm trăm nghìn đồng."),
    (["-105", "--le", "--bon"], "âm một trăm lẻ năm"),
    (["-24", "--bon"], "âm hai mươi bốn"),
    (["-12,5"], "âm mười hai phẩy năm"),
    (["--", "-5"], "âm năm"),
    (["-0"], "không"),
    (["5"], "năm"),
])
def test_words_reads_negative_numbers(args, printed):
    r = run("words", *args)
    assert r.exit_code == 0, r.output
    assert r.output == printed + "\n"


def test_the_help_example_is_a_negative_number_that_works():
    r = run("words", "--help")
    assert "-5" in r.output
    assert run("words", "-5").exit_code == 0


def test_a_dash_that_is_no_number_is_still_an_unknown_option_or_a_bad_number():
    r = run("words", "-x")
    assert r.exit_code == 2 and "Không có tùy chọn '-x'" in r.output
    r = run("words", "-5x")
    assert r.exit_code == 1 and 'Số "-5x" không hợp lệ' in r.output


def test_the_console_script_reads_a_negative_number(tmp_path):
    r = subprocess.run([sys.executable, "-c", "from drafter.cli import entry; entry()", "words", "-1.500.000",
                        "--dong"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "Bằng chữ: Âm một triệu năm trăm nghìn đồng.\n", r.stderr


def test_negative_reading_rules():
    assert words.read_number(-5) == "âm năm"
    assert words.read_number(Decimal("-0.05")) == "âm không phẩy không năm"
    assert words.amount_in_words(-8374000000) == "Âm tám tỷ ba trăm bảy mươi tư triệu đồng"


# --------------------------------------------------------------------------- misread numbers


@pytest.mark.parametrize("typed, readings", [
    ("1.500", ("1500", "một nghìn năm trăm", "1,5", "một phẩy năm")),
    ("2.000", ("2000", "hai nghìn", "2", "hai")),
    ("12.050", ("12050", "mười hai nghìn không trăm năm mươi", "12,05", "mười hai phẩy không năm")),
    ("-1.514", ("-1514", "âm một nghìn năm trăm mười bốn", "-1,514", "âm một phẩy năm trăm mười bốn")),
])
def test_two_readings(typed, readings):
    assert words.misread(typed) == readings


@pytest.mark.parametrize("typed", ["12.5", "0.5", "1.5e3", "1234.500", "1.234.567", "1500", "abc"])
def test_not_misread(typed):
    assert words.misread(typed) is None


def test_the_loader_keeps_a_float_as_typed():
    loaded = yamlfile.parse_text("a: 1.500\nb: [2.000, 12.50]\nc: -1.5e3\n", "x.yaml")
    a, (b0, b1), c = loaded.data["a"], loaded.data["b"], loaded.data["c"]
    assert (str(a), str(b0), str(b1), str(c)) == ("1.500", "2.000", "12.50", "-1.5e3")
    assert isinstance(a, float) and a == 1.5  # still a float: refused wherever a number is wanted
    import pickle

    assert str(pickle.loads(pickle.dumps(a))) == "1.500"  # as a batch worker receives it


@pytest.fixture
def sample(tmp_path, monkeypatch):
    from conftest import SAMPLES

    monkeypatch.chdir(tmp_path)
    text = (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")

    def _with(old: str, new: str, name: str = "d.yaml") -> str:
        assert old in text
        (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        return name

    return _with


def test_so_as_typed_with_both_readings(sample):
    r = run("render", sample("so: 8287", "so: 1.500"))
    assert r.exit_code == 1
    assert "d.yaml:5:1: lỗi [so]: 1.500 đọc là một nghìn năm trăm hay một phẩy năm?" in r.output
    assert "1.5'" not in r.output and "'1.5" not in r.output


def test_a_table_figure_as_typed_with_both_readings(tmp_path, monkeypatch):
    from drafter.tables.model import TableError, parse_table

    with pytest.raises(TableError) as info:
        parse_table(yamlfile.parse_text("dong:\n  - noi_dung: A\n    so_lieu: [1, 2.000]\n", "t.yaml").data)
    message = info.value.problems[0].message
    assert "2.000 đọc là hai nghìn hay hai?" in message and "2.0 " not in message
    assert "(float)" not in message


# --------------------------------------------------------------------------- '#' in a value


def test_a_hash_that_cuts_a_value_is_a_warning_at_its_line(sample):
    f = sample("trich_yeu: tăng cường hoạt động", "trich_yeu: Về việc số #12 tăng cường hoạt động")
    r = run("render", f)
    assert r.exit_code == 0, r.output
    assert "d.yaml:8:" in r.output and "cảnh báo [trich_yeu]" in r.output
    assert "phần '#12 tăng cường hoạt động" in r.output and "chỉ còn 'Về việc số'" in r.output
    assert 'trich_yeu: "Về việc số #12 tăng cường hoạt động' in r.output  # how to keep it


def test_a_hash_in_a_list_item_and_after_an_empty_key(tmp_path):
    loaded = yamlfile.parse_text("kinh_gui:\n  - Sở A #B\n  - Sở C\nso: #12\n", "x.yaml")
    found = {(p.key, p.position.line, p.severity) for p in loaded.problems}
    assert ("kinh_gui[0]", 2, "warning") in found
    assert ("so", 4, "warning") in found
    assert any("bị để trống" in p.message for p in loaded.problems if p.key == "so")


@pytest.mark.parametrize("text", [
    "loai: cong-van  # loại văn bản\n",  # a note: a space after '#'
    'trich_yeu: "số #12"\n',  # quoted: nothing cut
    "trich_yeu: số#12\n",  # no space before '#': not a comment at all
    "noi_dung: |\n  số #12\n",  # a block keeps every '#'
    "# a whole line\nloai: cong-van\n",
])
def test_notes_and_quoted_values_are_no_warning(text):
    assert yamlfile.parse_text(text, "x.yaml").problems == []


def test_a_new_scaffold_renders_without_hash_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("new", "cong-van", "--no-input")
    assert r.exit_code == 0, r.output
    assert "Dấu '#'" not in r.output
    loaded = yamlfile.load(tmp_path / "cong-van.yaml")
    assert [p for p in loaded.problems if "Dấu '#'" in p.message] == []


def test_a_bad_number_is_one_plain_line_and_no_document_talk():
    r = run("words", "1.5.0")
    assert r.exit_code == 1
    assert r.output.startswith('Lỗi [SỐ]: Số "1.5.0" không hợp lệ')
    assert "văn bản" not in r.output.split("\n", 1)[1]  # no "Chưa tạo được văn bản": words makes none
