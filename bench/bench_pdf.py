"""PDF speed: what one LibreOffice start costs, and what a document costs in a long list.

    python bench/bench_pdf.py [--docs 100] [--runs 3] [--type cong-van]

(a) cold start: one document, one `drafter.pdf.convert` call (a new LibreOffice
    process and a fresh private profile each time); the median of --runs runs.
(b) many: --docs copies of the same document converted in ONE call; seconds per
    document (total / docs), the start included.
The document is what `drafter new <type> --no-input` writes. Needs LibreOffice.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--type", default="cong-van")
    args = ap.parse_args()

    soffice = pdf.find_soffice()
    if not soffice:
        sys.exit(str(pdf.LibreOfficeMissing()))
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    fonts = pdf.font_report()
    print(f"LibreOffice: {version or soffice}")
    print(f"Times New Roman → {fonts['resolved']} ({fonts['file']})")

    with tempfile.TemporaryDirectory(prefix="drafter-bench-pdf-") as tmp:
        tmp = Path(tmp)
        source = make_document(tmp, args.type)
        print(f"document: drafter new {args.type} --no-input ({source.stat().st_size / 1024:.1f} KiB)")

        cold = []
        for i in range(args.runs):
            run = tmp / f"cold-{i}"
            run.mkdir()
            doc = shutil.copy(source, run / "vb.docx")
            t = time.perf_counter()
            pdf.convert([doc])
            cold.append(time.perf_counter() - t)
        print(f"(a) one document, cold start: median {statistics.median(cold):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in cold)})")

        many = tmp / "many"
        many.mkdir()
        docs = [Path(shutil.copy(source, many / f"vb-{i:03d}.docx")) for i in range(args.docs)]
        t = time.perf_counter()
        written = pdf.convert(docs, timeout=max(300, 10 * args.docs))
        total = time.perf_counter() - t
        assert len(written) == args.docs
        per_doc = total / args.docs
        start = statistics.median(cold)
        print(f"(b) {args.docs} documents in one call: {total:.2f} s total, {per_doc:.3f} s/document "
              f"({(total - start) / max(1, args.docs - 1):.3f} s/document after the start)")


if __name__ == "__main__":
    main()
