"""validation.check per batch row: CPU time (this process only) on bench_batch's draft.

    python bench/bench_validation.py [--rows 1000] [--repeat 5]

The rows are made as `drafter batch` makes them (the loaded draft, each row's cells
substituted copy on write by inputs/rows.RowTemplate), then validation.check runs on
each in turn, --repeat times after one warm pass; prints the median and every run in
ms per row, and the share of the appendix tables (validation._tables) measured alone.
CPU time, not wall time: less shaken by a busy machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    import bench_batch

    from drafter import api, model, validation
    from drafter.inputs import rows as row_tpl
    from drafter.inputs.sheets import read_rows
    from drafter.inputs.yamlfile import Loaded

    folder = Path(tempfile.mkdtemp(prefix="bench-validation-"))
    try:
        (folder / "draft.yaml").write_text(bench_batch.draft_text(), encoding="utf-8")
        loaded = api.load(folder / "draft.yaml")
        sheet = read_rows(bench_batch.make_data(folder, a.rows))
        tpl = row_tpl.RowTemplate(loaded.data, sheet.columns, set(model.Draft.model_fields))
        rows = [Loaded(loaded.file, tpl.apply(r.values), loaded.origins, []) for r in sheet.rows]
        parts = [validation._Parts(model.parse(r)[0], r.data) for r in rows]

        def check() -> float:
            t = time.process_time()
            for r in rows:
                valid, problems = validation.check(r)
                assert valid is not None, problems
            return (time.process_time() - t) / len(rows) * 1000

        def tables() -> float:
            t = time.process_time()
            for r, p in zip(rows, parts):
                validation._tables(r, p)
            return (time.process_time() - t) / len(rows) * 1000

        check()  # warm: the batch's first rows fill what the rows share
        runs = [check() for _ in range(a.repeat)]
        table_runs = [tables() for _ in range(a.repeat)]
        print(f"validation.check CPU {statistics.median(runs):.3f} ms/row (median of {a.repeat}, {len(rows)} rows), "
              f"of which tables {statistics.median(table_runs):.3f}; runs {[round(x, 3) for x in runs]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
