"""PDF speed: one LibreOffice call against the pool (one LibreOffice per core).

    python bench/bench_pdf.py [--docs 40] [--runs 5] [--type cong-van] [--jobs N]

--docs copies of the same document (what `drafter new <type> --no-input` writes) are
converted, --runs times each way, the ways taking turns so that a busy machine weighs
on all of them alike; medians:

(a) one call: ONE LibreOffice process converting the whole list on a fresh private
    profile (what `drafter pdf` did before the pool: `jobs=1`, no kept profile);
(b) one call, kept profile: the same, its profile reused from the previous run;
(c) the pool: the list split between --jobs LibreOffice instances (default: one per
    core), each on its own kept profile (`drafter pdf`, `render --pdf`, `batch --pdf`).

It prints each median, the pool's share of (a) and of (b), and documents per second.
Needs LibreOffice.
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
sys.path.insert(0, str(HERE.parent))

from drafter import pdf  # noqa: E402


def make_document(folder: Path, doc_type: str) -> Path:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "DRAFTER_USER_DIR": str(folder / "user")}
    subprocess.run([sys.executable, "-m", "drafter.cli", "new", doc_type, "--no-input", "-o", "mau"],
                   cwd=folder, env=env, check=True, capture_output=True)
    return folder / "mau.docx"


def timed(docs: list[Path], *, jobs: int, cache: str) -> float:
    """Seconds to convert ``docs`` (old PDFs removed first) with DRAFTER_CACHE_DIR=cache."""
    for d in docs:
        d.with_suffix(".pdf").unlink(missing_ok=True)
    os.environ["DRAFTER_CACHE_DIR"] = cache
    t = time.perf_counter()
    written = pdf.convert(docs, jobs=jobs, timeout=300)
    seconds = time.perf_counter() - t
    assert len(written) == len(docs), written
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--type", default="cong-van")
    ap.add_argument("--jobs", type=int, default=pdf.default_jobs())
    args = ap.parse_args()

    soffice = pdf.find_soffice()
    if not soffice:
        sys.exit(str(pdf.LibreOfficeMissing()))
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    fonts = pdf.font_report()
    print(f"LibreOffice: {version or soffice}")
    print(f"Times New Roman → {fonts['resolved']} ({fonts['file']})")
    print(f"cores: {pdf.default_jobs()}, pool: {args.jobs} instances, load average: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    with tempfile.TemporaryDirectory(prefix="drafter-bench-pdf-") as tmp:
        tmp = Path(tmp)
        source = make_document(tmp, args.type)
        print(f"document: drafter new {args.type} --no-input ({source.stat().st_size / 1024:.1f} KiB), "
              f"{args.docs} copies, {args.runs} runs each way")
        many = tmp / "many"
        many.mkdir()
        docs = [Path(shutil.copy(source, many / f"vb-{i:03d}.docx")) for i in range(args.docs)]
        kept = str(tmp / "cache")
        timed(docs[: args.jobs * pdf.MIN_PER_RUN], jobs=args.jobs, cache=kept)  # the kept profiles built once
        ways = {"a": ([], dict(jobs=1, cache="")), "b": ([], dict(jobs=1, cache=kept)),
                "c": ([], dict(jobs=args.jobs, cache=kept))}
        for _ in range(args.runs):
            for times, kw in ways.values():
                times.append(timed(docs, **kw))
        med = {k: statistics.median(v[0]) for k, v in ways.items()}

        def line(key: str, label: str) -> str:
            runs = ", ".join(f"{s:.2f}" for s in ways[key][0])
            return (f"({key}) {label}: median {med[key]:.2f} s, {args.docs / med[key]:.1f} documents/s "
                    f"(runs: {runs})")

        print(line("a", "one LibreOffice call, fresh profile (before)"))
        print(line("b", "one LibreOffice call, kept profile"))
        print(line("c", f"pool of {args.jobs}, kept profiles (now)"))
        print(f"pool / one call: {med['c'] / med['a']:.2f}× (a), {med['c'] / med['b']:.2f}× (b); "
              f"per core: {args.docs / med['c'] / args.jobs:.1f} documents/s")
        # each round's ways ran one after the other: their ratio sees the same load
        pairs = {k: statistics.median(c / o for c, o in zip(ways["c"][0], ways[k][0], strict=True))
                 for k in ("a", "b")}
        print(f"median of the rounds' ratios: {pairs['a']:.2f}× (a), {pairs['b']:.2f}× (b); "
              "load average now: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
