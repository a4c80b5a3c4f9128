"""Print the corpus table: caught / false alarms / fixed per rule.

    python -m tests.corpus.report [FOLDER]
    python -m tests.corpus.report --import [--departures] [FOLDER]

builds the corpus into FOLDER (a temporary folder by default), runs the real
`drafter check --json` on every document (and `drafter fix` when it exists), and
prints one row per rule, then the totals. With --import: `drafter import` of every
correct document instead (fields recovered, paragraphs left as body, render → check:
tests/corpus/imports.py), and with --departures the departures' import results too.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from . import run


def main_import(argv: list[str]) -> int:
    from . import imports

    departures = "--departures" in argv
    argv = [a for a in argv if a != "--departures"]
    with tempfile.TemporaryDirectory(prefix="drafter-import-") as tmp:
        folder = Path(argv[0]) if argv else Path(tmp)
        print(imports.format_table(imports.run_corpus(folder / "correct")))
        if departures:
            counts = imports.run_departures(folder / "departures")
            print(f"\ndepartures ({sum(map(len, counts.values()))}) imported and rendered: "
                  + ", ".join(f"{k} {len(v)}" for k, v in counts.items()))
            for k in ("own rule kept", "render refused", "import refused", "other errors"):
                if counts[k]:
                    print(f"- {k}: {', '.join(counts[k])}")
    return 0


def main(argv: list[str]) -> int:
    if "--import" in argv:
        return main_import([a for a in argv if a != "--import"])
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
