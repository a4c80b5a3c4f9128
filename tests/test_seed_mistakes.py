"""FORMAT.md's last list, the mistakes of the seeds, as drafter meets them in a draft:
the two that live in the words a clerk types (a backwards period, a narrative total
against its parts) are refused or found, at their line."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from drafter.cli.main import main
from drafter.rules import figure_sums, periods

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def render(tmp_path: Path, text: str):
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, ["render", "d.yaml", "-o", "d.docx"])
    finally:
        os.chdir(cwd)


def test_a_backwards_period_in_a_draft_is_refused_at_its_line(tmp_path):
    text = (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")
    assert text.count("giai đoạn 2021-2025") == 2
    bad = text.replace("giai đoạn 2021-2025", "giai đoạn 2021-2020")
    lines = [i for i, ln in enumerate(bad.splitlines(), 1) if "2021-2020" in ln and not ln.startswith("#")]
    result = render(tmp_path, bad)
    assert result.exit_code == 1, result.output
    for line in lines:
        assert f"d.yaml:{line}: lỗi [noi_dung]: Giai đoạn '2021-2020' có năm cuối (2020) trước năm đầu (2021)" \
            in result.output, result.output
    assert not (tmp_path / "d.docx").exists()


def test_a_period_in_the_trich_yeu_and_the_same_year_twice(tmp_path):
    text = (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("trich_yeu:"))
    result = render(tmp_path, text.replace(line, "trich_yeu: kế hoạch giai đoạn 2026-2026"))
    assert result.exit_code == 0, result.output
    assert "cảnh báo [trich_yeu]: Giai đoạn '2026-2026' bắt đầu và kết thúc cùng một năm" in result.output


def test_the_samples_have_no_backwards_period_nor_a_sum_that_disagrees():
    for sample in SAMPLES.glob("*.yaml"):
        text = sample.read_text(encoding="utf-8")
        body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
        assert periods.validate(body) == [], sample.name
        assert [p for p in figure_sums.validate(body) if p.severity == "error"] == [], sample.name


def test_the_seed_004_sentence_as_the_seed_wrote_it():
    seed = ("Tổng kinh phí thực hiện Chương trình dự kiến là 8.374 triệu đồng. Trong đó:",
            "- Kinh phí sử dụng năm 2018: 1.514 triệu đồng.",
            "- Kinh phí sử dụng năm 2019: 3.214 triệu đồng.",
            "- Kinh phí sử dụng năm 2020: 3.696 triệu đồng.")
    [(first, text)] = figure_sums.with_lists(list(seed))
    assert first == 0
    [problem] = figure_sums.validate(text)
    assert problem.severity == "error" and "1.514 + 3.214 + 3.696 = 8.424 triệu đồng" in problem.message
    assert figure_sums.validate(figure_sums.with_lists([*seed[:3], seed[3].replace("3.696", "3.646")])[0][1]) == []
