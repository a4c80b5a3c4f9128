"""Batch memory: peak RSS of `drafter batch` at 300 rows and at a country's worth.

    python bench/bench_memory.py [--rows 33210] [--small 300] [--jobs 2] [--out DIR]

The same documents as bench/bench_batch.py (a công văn with a 10-row appendix taking
its figures from the row, one per commune, the 3,321 communes repeated to --rows),
each size in a fresh process (bench_batch's child: batch.run, then the peak of the
process and of its workers). Prints both peaks and their ratio (issue 19 point 3:
within 1.2x).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_batch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=33210)
    ap.add_argument("--small", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="drafter-bench-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "draft.yaml").write_text(bench_batch.draft_text(), encoding="utf-8")
    results = {}
    for n in (args.small, args.rows):
        # The sheet is made in a process of its own: a child's ru_maxrss starts from its
        # parent's (kept over fork and exec), so 33,210 rows built here were measured as
        # the batch's peak (77 MiB whatever the batch did).
        made = subprocess.run([sys.executable, "-c", "import sys, bench_batch; from pathlib import Path; "
                               "print(bench_batch.make_data(Path(sys.argv[1]), int(sys.argv[2])))", str(folder), str(n)],
                              cwd=Path(bench_batch.__file__).parent, capture_output=True, text=True, check=True)
        data = Path(made.stdout.strip().splitlines()[-1])
        r = results[n] = bench_batch.measure(["--child", "drafter", str(folder), str(data), str(args.jobs)],
                                             bench_batch.__file__)
        print(f"drafter -j {args.jobs}, {n:>6} rows: {r['docs']:>6} docs in {r['seconds']:7.1f} s, "
              f"peak {r['peak_mib']:6.1f} MiB", flush=True)
    ratio = results[args.rows]["peak_mib"] / results[args.small]["peak_mib"]
    print(f"peak memory {args.rows} rows / {args.small} rows: {ratio:.2f} (target: at most 1.20)")
    if args.out is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
