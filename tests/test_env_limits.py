"""Every limit variable of docs/limits.md is read the one way (drafter/env.py): a bad
value stops the command that reads it, naming the variable, exit 1, never "Lỗi nội
bộ"; a good one (with decimals for sizes, Vietnamese digit groups for counts) holds.
Run as a real process: some limits are read when their module is imported."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import drafter.env
from drafter.env import MiB, env_limit

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DOC = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")


def documented() -> set[str]:
    return set(re.findall(r"`(DRAFTER_(?:MAX|RATIO)_[A-Z_]+)`", DOC))


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    desk = tmp_path_factory.mktemp("desk")
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", desk / "cv.yaml")
    shutil.copy(SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml", desk / "lo.yaml")
    shutil.copy(SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv", desk / "xa.csv")
    made = subprocess.run([sys.executable, "-m", "drafter.cli", "render", "cv.yaml", "-o", "cv.docx"],
                          cwd=desk, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return desk


def command_for(var: str) -> list[str]:
    """A command that reads `var`."""
    if var in {"DRAFTER_MAX_ROWS", "DRAFTER_MAX_CELL_CHARS"}:
        return ["batch", "lo.yaml", "xa.csv", "-o", "ra"]
    if var == "DRAFTER_MAX_NAME_WIDTH":
        return ["batch", "lo.yaml", "xa.csv", "-o", "ra", "--name", "{ma:0>6}"]
    if var.startswith(("DRAFTER_MAX_YAML", "DRAFTER_MAX_TEMPLATE", "DRAFTER_MAX_NUMBER")):
        return ["render", "cv.yaml", "-o", "ra.docx"]
    return ["check", "cv.docx"]  # the package limits and the checker's own


def run(desk: Path, var: str, value: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_MAX")}
    env[var] = value
    out = subprocess.run([sys.executable, "-m", "drafter.cli", *command_for(var)], cwd=desk, env=env,
                         capture_output=True, text=True, timeout=120)
    shutil.rmtree(desk / "ra", ignore_errors=True)
    (desk / "ra.docx").unlink(missing_ok=True)
    return out


def test_every_documented_variable_is_covered():
    assert len(documented()) >= 18, sorted(documented())


@pytest.mark.parametrize("var, value", [(v, ("không", "0", "-3")[i % 3]) for i, v in enumerate(sorted(documented()))])
def test_a_bad_value_stops_the_command_naming_the_variable(desk, var, value):
    out = run(desk, var, value)
    said = out.stdout + out.stderr
    assert out.returncode == 1, (var, value, said)
    assert var in said and "không hợp lệ" in said, said
    assert "Lỗi nội bộ" not in said and "Traceback" not in said, said


@pytest.mark.parametrize("var, value", [
    ("DRAFTER_MAX_TEMPLATE_STEPS", "200.000"),  # grouped the Vietnamese way
    ("DRAFTER_MAX_TEMPLATE_TEXT_MB", "0,5"),  # a size with a decimal comma
    ("DRAFTER_MAX_YAML_KB", "300.5"),  # … or point
    ("DRAFTER_MAX_ROWS", "100_000"),
    ("DRAFTER_MAX_CHECK_MB", "12,25"),
])
def test_a_good_value_is_taken(desk, var, value):
    out = run(desk, var, value)
    assert out.returncode == 0, (var, value, out.stdout + out.stderr)


def test_a_count_is_a_whole_number_and_a_size_is_exact():
    assert env_limit("X", 5, {"X": "1.500"}) == 1500
    with pytest.raises(ValueError, match="số nguyên dương"):
        env_limit("X", 5, {"X": "1,5"})
    assert env_limit("X", 5, {"X": "0,1"}, unit=MiB) == 104857  # Decimal: 0.1 MiB, not 104857.6…
    for bad in ("inf", "nan", "1e999", "9" * 40, "٣"):
        with pytest.raises(ValueError):
            env_limit("X", 5, {"X": bad}, unit=MiB if bad != "٣" else 1)
    assert env_limit("X", 5, {"X": "  "}) == 5
    for bad in ("0", "-3", "không", "1e3"):
        with pytest.raises(ValueError, match="X="):
            env_limit("X", 5, {"X": bad})


def test_the_reader_shows_how_it_is_used():
    result = doctest.testmod(drafter.env)
    assert result.attempted >= 4 and result.failed == 0


def test_no_other_module_parses_a_limit_variable():
    """The variables are named in many modules, but only drafter/env.py turns one into a number."""
    pkg = ROOT / "drafter"
    offenders = []
    for path in pkg.rglob("*.py"):
        if path.name == "env.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"environ\.get\([^)]*MAX", text) or re.search(r"(?:float|int)\(raw", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
