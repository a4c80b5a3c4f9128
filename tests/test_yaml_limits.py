"""Issue 15, point 2: YAML bombs. Drafts and presets are read within bounds on size,
nesting and values once aliases are expanded (docs/limits.md); over one, the command
says so in Vietnamese with the file and line, exits 1, in about a second.

Before: a 662-byte draft of nested aliases took more than 8 GB and ended in a
traceback; nesting 1,000 deep gave "Lỗi nội bộ (RecursionError)".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.inputs import yamlfile, yamlread
from drafter.inputs.yamlfile import ENV_VARS, YamlLimits

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FAST = 10.0  # seconds, for every refusal through CliRunner: far below a blow-up (minutes), above a loaded CI machine


def laughs(levels: int = 9, width: int = 9) -> str:
    """The classic: each level a list of `width` aliases of the one below."""
    lines = ["loai: cong-van", "a0: &a0 [" + ",".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    lines.append(f"noi_dung: *a{levels - 1}")
    return "\n".join(lines) + "\n"


HOSTILE = {
    # name: (text, what the message says, the line it names)
    "billion-laughs": (laughs(), "quá nhiều giá trị", 6),
    "laughs-in-a-map": (
        "loai: cong-van\na: &a {x: 1, y: 2, z: 3}\n"
        + "".join(f"b{i}: &b{i} {{p: *{'a' if i == 0 else f'b{i - 1}'}, q: *{'a' if i == 0 else f'b{i - 1}'}}}\n"
                  for i in range(40))
        + "noi_dung: *b39\n",
        "quá nhiều giá trị",
        None,
    ),
    "deep-flow-1000": ("loai: cong-van\nx: " + "[" * 1000 + "]" * 1000 + "\n", "lồng nhau quá sâu", 2),
    "deep-flow-100000": ("loai: cong-van\nx: " + "[" * 100_000 + "]" * 100_000 + "\n", "lồng nhau quá sâu", 2),
    "deep-map-1000": ("loai: cong-van\nx: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", "lồng nhau quá sâu", 2),
    "deep-block-300": (
        "loai: cong-van\nx:\n" + "".join(" " * i + f"k{i}:\n" for i in range(300)), "lồng nhau quá sâu", None
    ),
    "deep-block-list-1000": ("loai: cong-van\nx:\n" + "- " * 1000 + "a\n", "lồng nhau quá sâu", 3),
    "many-items": ("loai: cong-van\nx:\n" + "- a\n" * 60_000, "quá nhiều giá trị", None),
    "many-flow-items": ("loai: cong-van\nx: [" + "a," * 120_000 + "]\n", "quá nhiều giá trị", 2),
    "too-big": ("loai: cong-van\nnoi_dung: |\n" + "  Một dòng chữ của bản thảo thử.\n" * 20_000, "quá lớn", None),
}


def run(args: list[str], env: dict | None = None):
    start = time.monotonic()
    result = CliRunner().invoke(main, args, env=env or {})
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result, elapsed


def placed(output: str, file: str) -> int:
    """The line the first message names for `file` (file:line[:column]: lỗi)."""
    m = re.search(re.escape(file) + r":(\d+)(?::\d+)?: lỗi", output)
    assert m, output
    return int(m.group(1))


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_draft_is_refused_with_file_and_line_fast(tmp_path, monkeypatch, kind):
    text, says, line = HOSTILE[kind]
    monkeypatch.chdir(tmp_path)
    Path("draft.yaml").write_text(text, encoding="utf-8")
    result, elapsed = run(["render", "draft.yaml", "-o", "out.docx"])
    assert result.exit_code == 1, result.output
    assert says in result.output, result.output
    named = placed(result.output, "draft.yaml")
    if line is not None:
        assert named == line, result.output
    assert "DRAFTER_MAX_YAML_" in result.output  # how to raise it
    assert not Path("out.docx").exists()
    assert elapsed < FAST, f"{kind}: {elapsed:.1f} s"


def test_the_billion_laughs_is_small_and_would_be_huge():
    text = laughs()
    assert len(text.encode()) < 700
    doc = yamlread._yaml().load(text)
    assert yamlread._expanded_size(doc, {}) > 400_000_000  # what expanding it would build


def test_a_bomb_in_a_real_process_costs_little_memory(tmp_path):
    (tmp_path / "draft.yaml").write_text(laughs(), encoding="utf-8")
    code = (
        "import resource, sys\n"
        "from drafter.cli import main\n"
        "try:\n"
        "    main(['render', 'draft.yaml', '-o', 'out.docx'])\n"
        "except SystemExit as e:\n"
        "    print('exit', e.code)\n"
        # VmHWM is this program's own peak; ru_maxrss would carry the forking pytest's over exec
        "try:\n"
        "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "    print('peak', int(hwm.split()[1]))\n"
        "except OSError:\n"
        "    print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "exit 1" in out, out
    peak_kib = int(re.search(r"peak (\d+)", out).group(1))
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib // 1024} MiB"
    assert elapsed < 10, f"{elapsed:.1f} s"  # a whole process, imports included


def test_a_bomb_in_a_preset_is_refused_naming_the_preset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "bom.yaml").write_text(laughs().replace("loai: cong-van\n", ""), encoding="utf-8")
    draft = (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")
    Path("draft.yaml").write_text("dung: [bom]\n" + re.sub(r"(?m)^dung:.*\n", "", draft), encoding="utf-8")
    result, elapsed = run(["render", "draft.yaml", "-o", "out.docx"])
    assert result.exit_code == 1, result.output
    assert "bom.yaml:5:" in result.output and "quá nhiều giá trị" in result.output, result.output
    assert elapsed < FAST


def test_a_bomb_draft_stops_a_batch_cleanly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("draft.yaml").write_text(laughs(), encoding="utf-8")
    Path("d.csv").write_text("so,ten\n1,Xã A\n", encoding="utf-8")
    result, elapsed = run(["batch", "draft.yaml", "d.csv", "-o", "out"])
    assert result.exit_code == 1, result.output
    assert "draft.yaml:6:" in result.output and "quá nhiều giá trị" in result.output, result.output
    assert elapsed < FAST


def test_limits_can_be_raised_for_a_trusted_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text, _, _ = HOSTILE["too-big"]
    Path("draft.yaml").write_text(text, encoding="utf-8")
    result, _ = run(["render", "draft.yaml", "-o", "out.docx"], env={"DRAFTER_MAX_YAML_KB": "2048"})
    assert "quá lớn" not in result.output and "co_quan" in result.output, result.output  # read, then validated
    Path("draft.yaml").write_text("loai: cong-van\nx: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    result, _ = run(["render", "draft.yaml", "-o", "out.docx"], env={"DRAFTER_MAX_YAML_DEPTH": "100"})
    assert "quá sâu" not in result.output, result.output
    Path("draft.yaml").write_text(laughs(4, 9), encoding="utf-8")  # 8,200 values: under the default
    result, _ = run(["render", "draft.yaml", "-o", "out.docx"], env={"DRAFTER_MAX_YAML_VALUES": "5000"})
    assert "quá nhiều giá trị" in result.output and "5.000" in result.output, result.output


def test_raising_the_depth_past_the_stack_is_still_a_clean_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "loai: cong-van\nx:\n" + "- " * 5000 + "a\n"  # past Python's stack once composed
    Path("draft.yaml").write_text(text, encoding="utf-8")
    result, elapsed = run(["render", "draft.yaml", "-o", "out.docx"], env={"DRAFTER_MAX_YAML_DEPTH": "1000000"})
    assert result.exit_code == 1 and "lồng nhau quá sâu" in result.output, result.output
    assert elapsed < 5


@pytest.mark.parametrize("var", [v for v, _ in ENV_VARS.values()])
def test_a_bad_limit_value_is_a_clean_error_naming_the_variable(tmp_path, monkeypatch, var):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", "draft.yaml")
    result, _ = run(["render", "draft.yaml", "-o", "out.docx"], env={var: "nhiều"})
    assert result.exit_code == 1 and f"{var}='nhiều'" in result.output, result.output


def test_aliases_within_the_limits_still_work():
    loaded = yamlfile.parse_text("loai: cong-van\na: &k {tm: X}\nb: *k\nc: [*k, *k]\n", "t.yaml")
    assert loaded.data["b"] == {"tm": "X"} and loaded.data["c"] == [{"tm": "X"}, {"tm": "X"}]
    assert loaded.position(("c",)).line == 4


def test_samples_are_far_inside_the_limits():
    limits = YamlLimits()
    for sample in SAMPLES.glob("*.yaml"):
        assert sample.stat().st_size * 4 < limits.max_bytes, sample
        doc = yamlread._yaml().load(sample.read_text(encoding="utf-8"))
        assert yamlread._expanded_size(doc, {}) * 10 < limits.max_values, sample


def test_yaml_limits_are_documented_with_the_code_defaults():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text(encoding="utf-8")
    defaults = YamlLimits()
    for field, (var, unit) in ENV_VARS.items():
        value = getattr(defaults, field) // unit
        shown = f"{value:,}".replace(",", ".") + (" KB" if unit == yamlfile.KiB else "")
        line = next((ln for ln in doc.splitlines() if ln.startswith("|") and f"`{var}`" in ln), None)
        assert line is not None, f"{var} missing from docs/limits.md"
        assert f"| {shown} |" in line, (var, shown, line)
    assert YamlLimits.from_env({}) == defaults
    assert YamlLimits.from_env({"DRAFTER_MAX_YAML_KB": "0,5"}).max_bytes == 512
