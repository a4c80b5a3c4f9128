"""Expressions cost nothing (issue 15, point 1): whatever `{{ … }}` a sheet, a draft,
a preset or an agency's template holds, the real command ends in well under a second
with a clean outcome: a cell's text stays text, and an expression that would cost too
much (constant folding, huge powers, repeats, paddings, ranges) is refused with a
Vietnamese message naming the key or the template."""

from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SAMPLES
from docx_view import DocView
from drafter import sandbox
from drafter.cli import main

BATCH = SAMPLES / "batch"
BATCH_DRAFT = BATCH / "phan-bo-kinh-phi-xa.yaml"
BATCH_CSV = BATCH / "kinh-phi-khuyen-cong-ha-tinh.csv"
QD_SAMPLE = SAMPLES / "004-quyet-dinh-hung-yen.yaml"  # quotes its appendix's figures
CV_SAMPLE = SAMPLES / "000-cong-van-ha-tinh.yaml"
FAST = 10.0  # seconds, CliRunner in this process: far below a blow-up (minutes), above a loaded CI machine

BOMB = "{{ phu_luc ~ 9**(9**9) }}"


def invoke(folder: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        start = time.monotonic()
        result = CliRunner().invoke(main, list(args))
        elapsed = time.monotonic() - start
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result, elapsed


def texts(path: Path) -> str:
    return "\n".join(DocView(path).texts())


def visible(text: str) -> str:
    return text.replace("\u2060", "")


# --------------------------------------------------------------------------- batch: cells are text


def sheet(tmp_path: Path, extra: dict[str, list[str]], draft_text: str | None = None) -> None:
    """The batch sample's first rows, with `extra` columns (one value per row)."""
    rows = list(csv.reader(BATCH_CSV.open(encoding="utf-8")))[: 1 + len(next(iter(extra.values())))]
    for name, values in extra.items():
        rows[0].append(name)
        for row, value in zip(rows[1:], values):
            row.append(value)
    with (tmp_path / "data.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    (tmp_path / "draft.yaml").write_text(draft_text or BATCH_DRAFT.read_text(encoding="utf-8"), encoding="utf-8")


def test_a_key_column_holding_an_expression_is_text(tmp_path):
    """`noi_dung` set by a column to the bomb (or to a real reference): printed as typed."""
    sheet(tmp_path, {"noi_dung": [BOMB, "Tổng: {{ phu_luc[0].tong.kinh_phi }}"]})
    result, elapsed = invoke(tmp_path, "batch", "draft.yaml", "data.csv", "-o", "out")
    assert result.exit_code == 0, result.output
    assert elapsed < FAST, elapsed
    docs = sorted((tmp_path / "out").glob("*.docx"))
    assert len(docs) == 2
    assert "{{ phu_luc ~ 9**(9**9) }}" in visible(texts(docs[0]))
    assert "Tổng: {{ phu_luc[0].tong.kinh_phi }}" in visible(texts(docs[1]))


@pytest.mark.parametrize("left, right", [
    ("{", "{ phu_luc ~ 9**(9**9) }}"),  # one brace each
    ("x {{", " phu_luc ~ 9**(9**9) }}"),  # `{{` ends a cell
    ("{{ phu_luc ~", " 9**(9**9) }}"),  # the reference split in two
])
def test_adjacent_cells_never_join_into_an_expression(tmp_path, left, right):
    draft = BATCH_DRAFT.read_text(encoding="utf-8").replace(
        "trich_yeu: phân bổ kinh phí khuyến công năm 2026 cho {{ hang.ten_day_du }}",
        "trich_yeu: phân bổ kinh phí khuyến công {{ hang.a }}{{ hang.b }}")
    assert "{{ hang.a }}" in draft
    sheet(tmp_path, {"a": [left], "b": [right]}, draft)
    result, elapsed = invoke(tmp_path, "batch", "draft.yaml", "data.csv", "-o", "out")
    assert result.exit_code == 0, result.output
    assert elapsed < FAST, elapsed
    (doc,) = (tmp_path / "out").glob("*.docx")
    # printed as typed (the sheet reader trims the spaces around a cell)
    assert re.sub(r"\s", "", left + right) in re.sub(r"\s", "", visible(texts(doc)))


def test_a_draft_expression_on_row_values_is_bounded(tmp_path):
    """The draft's own `{{ hang… }}` expression that would repeat a cell 10**9 times."""
    draft = BATCH_DRAFT.read_text(encoding="utf-8").replace(
        "trich_yeu: phân bổ kinh phí khuyến công năm 2026 cho {{ hang.ten_day_du }}",
        "trich_yeu: phân bổ {{ hang.ten_day_du * 1000000000 }}")
    sheet(tmp_path, {"z": ["1", "2"]}, draft)
    result, elapsed = invoke(tmp_path, "batch", "draft.yaml", "data.csv", "-o", "out")
    assert result.exit_code == 1, result.output
    assert elapsed < FAST, elapsed
    assert "trich_yeu" in result.output and "quá tốn" in result.output, result.output
    assert not list((tmp_path / "out").glob("*.docx"))


# --------------------------------------------------------------------------- render: a draft's references


@pytest.mark.parametrize("reference, needle", [
    (BOMB, "DRAFTER_MAX_NUMBER_DIGITS"),  # folded while compiling, before: hung
    ("{{ phu_luc[0].tong.kinh_phi.chu | center(3000000000) }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),  # 2.9 GB before
    ("{{ phu_luc[0].tong.kinh_phi.chu * 3000000000 }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    ("{{ phu_luc[0].tong.kinh_phi.chu ~ 'x' * 3000000000 }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    ("{{ phu_luc[0].tong.kinh_phi.chu ~ (phu_luc|list) * 3000000000 }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    ("{{ phu_luc | length * 99999999 ** 99999999 }}", "DRAFTER_MAX_NUMBER_DIGITS"),
    ("{{ phu_luc[0].tong.kinh_phi.chu | indent(3000000000) }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    ("{{ phu_luc[0].tong.kinh_phi.chu | replace('', 'x' * 10000000) }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    ("{{ phu_luc | length / 0 }}", "không thực hiện được"),
])
def test_a_costly_reference_in_a_draft_is_refused_by_key(tmp_path, reference, needle):
    text = QD_SAMPLE.read_text(encoding="utf-8")
    old = "{{ phu_luc[0].tong.kinh_phi.voi_dvt }}"
    assert old in text
    (tmp_path / "draft.yaml").write_text(text.replace(old, reference, 1), encoding="utf-8")
    result, elapsed = invoke(tmp_path, "render", "draft.yaml")
    assert result.exit_code == 1, result.output
    assert elapsed < FAST, elapsed
    assert needle in result.output, result.output
    assert re.search(r"draft\.yaml:\d+", result.output) and "noi_dung" in result.output, result.output
    assert not (tmp_path / "draft.docx").exists()


def test_a_costly_reference_in_a_preset_is_refused_by_file_and_key(tmp_path):
    """The same bomb in a preset's `dieu` (the draft takes its articles from it)."""
    text = QD_SAMPLE.read_text(encoding="utf-8")
    text = text.replace("dung: [ubnd-tinh-hung-yen]", "dung: [ubnd-tinh-hung-yen, bom]")
    text = re.sub(r"(?ms)^dieu:\n.*?(?=^noi_nhan:)", "", text)
    assert "dung: [ubnd-tinh-hung-yen, bom]" in text and "\ndieu:" not in text
    (tmp_path / "draft.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "bom.yaml").write_text(f'dieu:\n  - "Tổng {BOMB}"\n  - Điều hai.\n', encoding="utf-8")
    result, elapsed = invoke(tmp_path, "render", "draft.yaml")
    assert result.exit_code == 1, result.output
    assert elapsed < FAST, elapsed
    assert "bom.yaml:2" in result.output and "dieu[0]" in result.output, result.output
    assert "DRAFTER_MAX_NUMBER_DIGITS" in result.output, result.output
    assert not (tmp_path / "draft.docx").exists()


# --------------------------------------------------------------------------- an agency's own template


from test_bad_input import agency_template  # noqa: E402  (an agency's edited cong-van.docx)


@pytest.mark.parametrize("tag, needle", [
    (b"{{ doc.vv ~ 9**(9**9) }}", "DRAFTER_MAX_NUMBER_DIGITS"),
    (b"{{ doc.vv | center(3000000000) }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    (b"{{ 'x' * 3000000000 }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    (b"{{ doc.vv.center(3000000000) }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    (b"{{ '%3000000000d' % 1 }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    (b"{{ '{:>3000000000}'.format(1) }}", "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    # nested loops (3.7 GB before): bounded in steps, or in text when each step prints much
    (b"{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "DRAFTER_MAX_TEMPLATE_STEPS"),
    (b"{% for i in range(100000) %}{% for j in range(100000) %}{{ doc.vv }}{% endfor %}{% endfor %}",
     "DRAFTER_MAX_TEMPLATE_"),
    # doubling a text: 2**40 characters in 40 steps
    (b"{% set ns = namespace(a='xxxxxxxx') %}{% for i in range(40) %}{% set ns.a = ns.a ~ ns.a %}{% endfor %}",
     "DRAFTER_MAX_TEMPLATE_TEXT_MB"),
    (b"{% set ns = namespace(a=9) %}{% for i in range(40) %}{% set ns.a = ns.a * ns.a %}{% endfor %}",
     "DRAFTER_MAX_NUMBER_DIGITS"),
    # a macro calling itself twice: exponential
    (b"{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}", "quá tốn"),
])
def test_a_costly_agency_template_is_refused_by_name(tmp_path, tag, needle):
    agency_template(tmp_path, b"{{ doc.vv }}", tag)
    (tmp_path / "draft.yaml").write_text(CV_SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result, elapsed = invoke(tmp_path, "render", "draft.yaml")
    assert result.exit_code == 1, result.output
    assert elapsed < FAST, elapsed
    assert "cong-van.docx" in result.output and "quá tốn" in result.output and needle in result.output, result.output
    assert not (tmp_path / "draft.docx").exists()


@pytest.mark.parametrize("tag", [b"{{ (10 ** 20) | bang_chu }}", b"{{ doc.vv | so }}", b"{{ (9 ** 999) | doc_so }}"])
def test_a_number_a_template_filter_cannot_read_is_named(tmp_path, tag):
    """bang_chu/doc_so/so on what they cannot read: the template named, not 'Lỗi nội bộ'."""
    agency_template(tmp_path, b"{{ doc.vv }}", tag)
    (tmp_path / "draft.yaml").write_text(CV_SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result, elapsed = invoke(tmp_path, "render", "draft.yaml")
    assert result.exit_code == 1, result.output
    assert elapsed < FAST, elapsed
    assert "cong-van.docx" in result.output and "không đọc được" in result.output, result.output
    assert not (tmp_path / "draft.docx").exists()


def test_a_modest_agency_template_still_renders(tmp_path):
    """The bounds leave real templates alone: loops, padding and arithmetic of normal size."""
    agency_template(tmp_path, b"{{ doc.vv }}",
                    b"{{ doc.vv }}{% for i in range(3) %}[{{ i * 2 ** 10 }}]{% endfor %}{{ 'ab' | center(6) }}")
    (tmp_path / "draft.yaml").write_text(CV_SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result, elapsed = invoke(tmp_path, "render", "draft.yaml")
    assert result.exit_code == 0, result.output
    assert "[0][1024][2048]  ab  " in texts(tmp_path / "draft.docx")


# --------------------------------------------------------------------------- the limits themselves


def test_the_limits_are_documented_with_their_defaults():
    doc = (REPO / "docs" / "limits.md").read_text(encoding="utf-8")
    for name, (var, default, _unit) in sandbox.ENV_VARS.items():
        line = next((ln for ln in doc.splitlines() if ln.startswith("|") and f"`{var}`" in ln), None)
        assert line is not None, f"{var} missing from docs/limits.md"
        shown = f"{default:,}".replace(",", ".")
        assert shown in line, (var, shown, line)
        assert getattr(sandbox, name) == default * _unit  # the test runs without the variables


def test_a_limit_can_be_raised_by_its_variable(tmp_path):
    """DRAFTER_MAX_NUMBER_DIGITS=4000 lets 9**4000 through (3,817 digits)."""
    import subprocess
    import sys

    code = ("from drafter import sandbox, figures; print(sandbox.MAX_NUMBER_DIGITS); "
            "print(len(figures._ENV.from_string('{{ 9**4000 }}').render()))")
    env = dict(os.environ, DRAFTER_MAX_NUMBER_DIGITS="4000")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["4000", "3817"], out.stderr
    env["DRAFTER_MAX_NUMBER_DIGITS"] = ""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "DRAFTER_MAX_NUMBER_DIGITS" in out.stderr and "Traceback" in out.stderr  # refused at the default
