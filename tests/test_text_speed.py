"""Issue 15, point 3: cleaning text costs time linear in its length.

`drafter.rules.text.clean` runs on every cell of a sheet and every value of a draft.
A pattern that rescans what it already read (the Eth pattern did: one 131,000-letter
cell took about two minutes) turns a single cell into a hang. Each shape below is
cleaned at two lengths, 13,100 and 131,000 characters: ten times the text may take
at most twenty times as long; 131,000 letters take well under a second, any other
shape of that length a few seconds at most (the slowest, tens of thousands of short
TCVN3 lines, about 1.5 s: each line is scored on its own). The CSV cell that once
hung a batch goes through `drafter batch` itself.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.rules import text
from drafter.rules.text import TCVN3, VNI, _encode_legacy

SHORT, LONG = 13_100, 131_000
RATIO = 20  # ten times the text; linear would be 10
LETTERS_BUDGET = 0.5  # seconds for a cell of 131,000 letters
LONG_BUDGET = 3.0  # seconds for 131,000 characters of any shape (43,000 TCVN3 lines: ~1.5 s)


def _repeat(piece: str, n: int) -> str:
    return (piece * (n // len(piece) + 1))[:n]


_TCVN3_LINE = _encode_legacy("Đề nghị thực hiện xã hội ", TCVN3)
_VNI_LINE = _encode_legacy("Hướng dẫn công việc ", VNI)

SHAPES = {
    "one run of letters": lambda n: "á" * n,
    "letters with an accent": lambda n: _repeat("aé", n),
    "letters and Eth": lambda n: _repeat("aÐ", n),
    "ascii with one control character": lambda n: "a" * (n - 1) + "\x01",
    "TCVN3 words": lambda n: _repeat(_TCVN3_LINE, n),
    "VNI words": lambda n: _repeat(_VNI_LINE, n),
    "VNI marks": lambda n: _repeat("aù", n),
    "Unicode letter then doubtful words": lambda n: "ư " + _repeat("cã ", n - 2),
    "TCVN3 sentences": lambda n: _repeat("1. ®Ò nghÞ. ", n),
    "TCVN3 capitals": lambda n: _repeat("CéNG X· ", n),
    "a long list marker": lambda n: _repeat("1.", n) + " ®Ò",
    "dots and spaces": lambda n: _repeat(". ", n) + "®Ò",
    "decomposed letters": lambda n: _repeat("a\u0301", n),
    "soft hyphens": lambda n: "\xad" * n,
    "C1 controls": lambda n: "\x96" * n,
    "TCVN3 lines": lambda n: _repeat("®Ò\n", n),
}


def _seconds(value: str) -> float:
    # CPU time, not wall time: other processes on a busy machine do not count. The
    # garbage collector's passes depend on what else the process holds: off while
    # timing, so that the ratio measures the algorithm.
    text._scores.cache_clear()
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        text.clean(value)
        return time.process_time() - start
    finally:
        gc.enable()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_cleaning_is_linear_in_the_length_of_the_text(shape):
    make = SHAPES[shape]
    short_text, long_text = make(SHORT), make(LONG)
    # The best of three, taken in turns, so that a busy machine slows both alike.
    short = long = float("inf")
    for _ in range(3):
        short = min(short, _seconds(short_text))
        long = min(long, _seconds(long_text))
    budget = LETTERS_BUDGET if make(20).isalpha() else LONG_BUDGET
    assert long < budget, f"{shape}: {long:.2f} s for {LONG:,} characters"
    # A floor for the short time: a few milliseconds are mostly noise.
    assert long <= RATIO * max(short, 0.005), f"{shape}: {short:.4f} s -> {long:.4f} s"


def test_the_speedups_keep_what_clean_gives():
    """The linear code paths give what the old patterns gave (these inputs hit each)."""
    assert text.format("ÐÔNG Ðà ÐX") == "ĐÔNG Đà ÐX"  # a word that stays no syllable keeps Eth
    assert text.format("aÐ" * 3) == "aÐ" * 3
    assert text.convert_legacy("1. ®Ò nghÞ. ®Ò nghÞ ! ®Ò", TCVN3) == "1. Đề nghị. Đề nghị ! Đề"
    assert text.convert_legacy("a) ®Ò nghÞ ®Ò", TCVN3) == "a) Đề nghị đề"
    assert text.convert_legacy("- ®Ò nghÞ", TCVN3) == "- Đề nghị"
    assert text.convert_legacy("x - ®Ò", TCVN3) == "x - đề"  # a marker only opens the line
    assert not text._is_syllable("a" * 40) and text._is_syllable("nghiêng")


def test_a_131000_letter_cell_goes_through_batch_in_well_under_a_second(tmp_path, monkeypatch):
    from test_batch import DRAFT

    monkeypatch.chdir(tmp_path)
    Path("draft.yaml").write_text(DRAFT, encoding="utf-8")
    cell = "á" * LONG
    Path("d.csv").write_text(
        "so,ngay,ten,kinh_gui,kinh_phi\n12,2026-01-15," + cell + ",UBND xã A,5\n", encoding="utf-8"
    )
    start = time.monotonic()
    result = CliRunner().invoke(main, ["batch", "draft.yaml", "d.csv", "-o", "out"])
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    assert result.exit_code == 0, result.output
    assert len(list(Path("out").glob("*.docx"))) == 1
    assert elapsed < 2.0, f"{elapsed:.1f} s"
