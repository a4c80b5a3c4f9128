"""Print the corpus table: caught / false alarms / fixed per rule.

    python -m tests.corpus.report [FOLDER]

builds the corpus into FOLDER (a temporary folder by default), runs the real
`drafter check --json` on every document (and `drafter fix` when it exists), and
prints one row per rule, then the totals.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from . import run


def main(argv: list[str]) -> int:
    if argv:
        res = run.run_all(Path(argv[0]))
    else:
        with tempfile.TemporaryDirectory(prefix="drafter-corpus-") as tmp:
            res = run.run_all(Path(tmp))
    print(run.format_table(res))
    for name, ids in res.false_alarms().items():
        if ids:
            print(f"false alarm: {name}: {', '.join(ids)}")
    for name, dep in run.D.DEPARTURES.items():
        base = {f["rule"] for f in res.found[res.corpus.correct[dep.base].name]}
        extra = sorted({f["rule"] for f in res.found[res.corpus.departures[name].name]} - base - {dep.rule})
        if extra:
            print(f"also reported on departure {name} ({dep.rule}): {', '.join(extra)}")
    missed = [n for n in run.D.DEPARTURES if not res.caught(n)]
    if missed:
        print("not caught: " + ", ".join(f"{n} ({run.D.DEPARTURES[n].rule})" for n in missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
