"""Whole-command times: `drafter --help` and `drafter render` of the samples.

    python bench/bench_render.py [--runs 9]

Each command runs as a user runs it (a new interpreter, the installed `drafter`
script), --runs times, interleaved so the machine's drift falls on all alike; prints
the median, the fastest and the slowest. `render` is timed with the prepared-template
cache warm (the usual case), cold (the first command after installing or changing a
template) and off.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"


def drafter_script() -> str:
    # The script beside this interpreter: a version manager's shim adds its own start-up.
    local = Path(sys.executable).with_name("drafter")
    return str(local) if local.exists() else (shutil.which("drafter") or "drafter")


def timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    r = subprocess.run(args, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{r.stderr.decode()}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    exe = drafter_script()
    work = Path(tempfile.mkdtemp(prefix="drafter-bench-render-"))
    for name in ("000-cong-van-ha-tinh.yaml", "004-quyet-dinh-hung-yen.yaml"):
        shutil.copy(SAMPLES / name, work / name)
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    warm = {**base, "DRAFTER_CACHE_DIR": str(work / "cache")}
    cold = {**base, "DRAFTER_CACHE_DIR": str(work / "cold")}  # emptied before each of its runs
    off = {**base, "DRAFTER_CACHE_DIR": ""}
    cases = {
        "drafter --help": ([exe, "--help"], warm, None),
        "render công văn (cache warm)": ([exe, "render", "000-cong-van-ha-tinh.yaml", "--force", "-o", "a.docx"], warm, None),
        "render seed 004 (cache warm)": ([exe, "render", "004-quyet-dinh-hung-yen.yaml", "--force", "-o", "b.docx"], warm, None),
        "render seed 004 (cache cold)": ([exe, "render", "004-quyet-dinh-hung-yen.yaml", "--force", "-o", "c.docx"], cold,
                                         work / "cold"),
        "render seed 004 (cache off)": ([exe, "render", "004-quyet-dinh-hung-yen.yaml", "--force", "-o", "d.docx"], off, None),
    }
    for label in ("render công văn (cache warm)", "render seed 004 (cache warm)"):
        timed(cases[label][0], warm, work)  # fill the cache and the OS's file cache
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for label, (cmd, env, clear) in cases.items():
            if clear is not None:
                shutil.rmtree(clear, ignore_errors=True)
            times[label].append(timed(cmd, env, work))
    print(f"{exe}; {os.cpu_count()} cores; {args.runs} runs each, interleaved")
    for label, ts in times.items():
        print(f"{label:<30} median {statistics.median(ts):5.2f} s   fastest {min(ts):5.2f} s   slowest {max(ts):5.2f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
