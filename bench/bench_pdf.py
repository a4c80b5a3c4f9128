"""PDF speed: one LibreOffice call against `drafter pdf` (one LibreOffice per core, kept
running between calls), and a whole `batch --pdf`.

    python bench/bench_pdf.py [--docs 40] [--runs 5] [--type cong-van] [--batch-rows 3321] [-j 2]

--docs copies of the same document (what `drafter new <type> --no-input` writes) are
converted --runs times each way, the ways taking turns so that a busy machine weighs
on all of them alike; medians, whole commands (a process each):

(a) one LibreOffice call: `soffice --headless --convert-to pdf` on the whole list, its
    profile already built (the fair baseline: what a user who scripts LibreOffice
    gets); also on ONE document, which gives LibreOffice's own start-up S and time per
    document c (c = (a − a1) / (docs − 1));
(b) `drafter pdf` cold: its profiles kept but no LibreOffice running (the first call
    after DRAFTER_PDF_IDLE, or after a reboot): the instances start in the call;
(c) `drafter pdf` warm: the LibreOffices kept running by the previous call take the
    files (a later call within DRAFTER_PDF_IDLE).

It prints each median, (b)/(a) and (c)/(a), and the median of the rounds' ratios.
Then (--batch-rows, 0 to skip) `drafter batch -j <cores> --pdf` of that many communes
(the công văn of bench_batch.py, a 10-row appendix each), once without --pdf and once
with: its time per document against what LibreOffice itself needs per document on
the cores at hand (as many plain LibreOffice calls as cores at once, over the batch's
own documents, start-up taken out, measured before and after the batch), and the CPU
its kept LibreOffices used per document against a plain call's. Needs LibreOffice.
drafter's commands read their bytecode from the bench's folder, written by the first
(untimed) ones, as an installed drafter has it.
"""

from __future__ import annotations

import argparse
import json
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

# (a tree from before kept LibreOffices, measured with this script, has no instances to stop)
stop_instances = getattr(pdf, "stop_instances", lambda folder=None: 0)


def env_for(folder: Path, cache: Path) -> dict:
    # Bytecode in a folder of the bench's own (written by the first, untimed drafter
    # call), as an installed drafter has it even where PYTHONDONTWRITEBYTECODE is set:
    # otherwise every timed `drafter` command compiled its imports from source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(HERE.parent), "DRAFTER_USER_DIR": str(folder / "user"),
            "DRAFTER_CACHE_DIR": str(cache), "PYTHONPYCACHEPREFIX": str(folder / "pyc")}


def make_document(folder: Path, doc_type: str, env: dict) -> Path:
    subprocess.run([sys.executable, "-m", "drafter.cli", "new", doc_type, "--no-input", "-o", "mau"],
                   cwd=folder, env=env, check=True, capture_output=True)
    return folder / "mau.docx"


def clear(docs: list[Path], outdir: Path | None = None) -> None:
    for d in docs:
        (outdir / (d.stem + ".pdf") if outdir else d.with_suffix(".pdf")).unlink(missing_ok=True)


def one_call(soffice: str, profile: Path, docs: list[Path], outdir: Path) -> float:
    """(a): one plain LibreOffice call over ``docs``, its profile already built."""
    clear(docs, outdir)
    cmd = pdf.soffice_command(soffice, profile, outdir, docs)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, start_new_session=True)
    seconds = time.perf_counter() - t
    made = [d for d in docs if (outdir / (d.stem + ".pdf")).is_file()]
    assert len(made) == len(docs), f"LibreOffice made {len(made)} of {len(docs)} PDFs"
    return seconds


def drafter_pdf(docs: list[Path], env: dict, jobs: int) -> float:
    """(b)/(c): the whole `drafter pdf` command."""
    clear(docs)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "drafter.cli", "pdf", "-j", str(jobs), "--json",
                           *map(str, docs)], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    out = json.loads(done.stdout)
    assert done.returncode == 0 and len(out["pdf"]) == len(docs), (done.returncode, out["failed"][:3])
    return seconds


def batch(folder: Path, rows: int, jobs: int, env: dict, *, with_pdf: bool) -> float:
    """`drafter batch -j jobs [--pdf]` of ``rows`` communes: seconds, whole command."""
    import bench_batch

    (folder / "draft.yaml").write_text(bench_batch.draft_text(), encoding="utf-8")
    data = bench_batch.make_data(folder, rows) if not (folder / f"data-{rows}.csv").exists() \
        else folder / f"data-{rows}.csv"
    out = folder / ("out-pdf" if with_pdf else "out-docx")
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "drafter.cli", "batch", str(folder / "draft.yaml"), str(data), "-o", str(out),
           "--name", "{ma}", "-j", str(jobs), "--json", *(["--pdf"] if with_pdf else [])]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    made = len(list(out.glob("*.pdf"))) if with_pdf else len(list(out.glob("*.docx")))
    assert made == rows, f"{made} files of {rows}"
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--type", default="cong-van")
    ap.add_argument("--batch-rows", type=int, default=3321)
    ap.add_argument("-j", "--jobs", type=int, default=pdf.default_jobs())
    args = ap.parse_args()

    soffice = pdf.find_soffice()
    if not soffice:
        sys.exit(str(pdf.LibreOfficeMissing()))
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    fonts = pdf.font_report()
    print(f"LibreOffice: {version or soffice}")
    print(f"Times New Roman → {fonts['resolved']} ({fonts['file']})")
    print(f"cores: {pdf.default_jobs()}, drafter pdf -j {args.jobs}, load average: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)

    with tempfile.TemporaryDirectory(prefix="drafter-bench-pdf-") as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        env = env_for(tmp, cache)
        try:
            run(args, soffice, tmp, cache, env)
        finally:
            stop_instances(cache / "libreoffice")


def run(args, soffice: str, tmp: Path, cache: Path, env: dict) -> None:
    source = make_document(tmp, args.type, env)
    print(f"document: drafter new {args.type} --no-input ({source.stat().st_size / 1024:.1f} KiB), "
          f"{args.docs} copies, {args.runs} runs each way", flush=True)
    many = tmp / "many"
    many.mkdir()
    docs = [Path(shutil.copy(source, many / f"vb-{i:03d}.docx")) for i in range(args.docs)]
    plain_profile, plain_out = tmp / "plain-profile", tmp / "plain-out"
    plain_out.mkdir()
    one_call(soffice, plain_profile, docs[:2], plain_out)  # (a)'s profile built once
    drafter_pdf(docs, env, args.jobs)  # drafter's profiles built once
    ways: dict[str, list[float]] = {"a1": [], "a": [], "b": [], "c": []}
    for _ in range(args.runs):
        ways["a1"].append(one_call(soffice, plain_profile, docs[:1], plain_out))
        ways["a"].append(one_call(soffice, plain_profile, docs, plain_out))
        stop_instances(cache / "libreoffice")  # (b): no LibreOffice running
        ways["b"].append(drafter_pdf(docs, env, args.jobs))
        ways["c"].append(drafter_pdf(docs, env, args.jobs))  # (c): the ones (b) left running
    med = {k: statistics.median(v) for k, v in ways.items()}
    per_doc = max(1e-9, (med["a"] - med["a1"]) / max(1, args.docs - 1))
    start = med["a1"] - per_doc

    def line(key: str, label: str) -> str:
        runs = ", ".join(f"{s:.2f}" for s in ways[key])
        return f"({key}) {label}: median {med[key]:.2f} s, {args.docs / med[key]:.1f} documents/s (runs: {runs})"

    print(f"(a1) one LibreOffice call, 1 document: median {med['a1']:.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in ways['a1'])})")
    print(line("a", f"one LibreOffice call, {args.docs} documents, profile built (baseline)"))
    print(line("b", "drafter pdf cold (no LibreOffice running: they start in the call)"))
    print(line("c", "drafter pdf warm (the LibreOffices kept by the previous call)"))
    print(f"LibreOffice itself: start-up S ≈ {start:.2f} s, c ≈ {per_doc:.3f} s per document on one core")
    ratios = {k: statistics.median(x / a for x, a in zip(ways[k], ways["a"], strict=True)) for k in ("b", "c")}
    print(f"drafter pdf / one call: cold {med['b'] / med['a']:.2f}×, warm {med['c'] / med['a']:.2f}× "
          f"(medians); rounds' ratios: cold {ratios['b']:.2f}×, warm {ratios['c']:.2f}×; load average now: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    if args.batch_rows <= 0:
        return
    folder = tmp / "batch"
    folder.mkdir()
    n, cores = args.batch_rows, args.jobs
    docx_only = batch(folder, n, cores, env, with_pdf=False)
    # What LibreOffice itself needs on the cores at hand, on the batch's own documents (their
    # appendix makes them longer): `cores` plain calls at once, each over the same sample,
    # their profiles built; measured before and after the batch (the machine's load moves).
    sample = sorted((folder / "out-docx").glob("*.docx"))[: args.docs]
    profiles = [tmp / f"plain-profile-{k}" for k in range(cores)]
    outs = [tmp / f"plain-out-{k}" for k in range(cores)]
    parallel_calls(soffice, profiles, sample[:1], outs)  # profiles built
    lo = [lo_per_document(soffice, profiles, sample, outs)]
    before = kept_cpu(cache / "libreoffice")
    with_pdf = batch(folder, n, cores, env, with_pdf=True)
    after = kept_cpu(cache / "libreoffice")
    lo.append(lo_per_document(soffice, profiles, sample, outs))
    wall_doc = statistics.mean(w for w, _ in lo)
    cpu_doc = statistics.mean(c for _, c in lo)
    pdf_part = with_pdf - docx_only
    print(f"batch -j {cores} of {n} communes: .docx only {docx_only:.1f} s; with --pdf {with_pdf:.1f} s = "
          f"{with_pdf / n * 1000:.1f} ms per document ({pdf_part / n * 1000:.1f} ms of it PDF)")
    print(f"LibreOffice itself on {cores} cores ({cores} calls at once over {len(sample)} of the batch's "
          f"documents each, before and after the batch: "
          + ", ".join(f"{w * 1000:.1f}" for w, _ in lo) + f" ms per document): {wall_doc * n:.1f} s for {n}; "
          f"batch --pdf / that: {with_pdf / (wall_doc * n):.2f}× (PDF part {pdf_part / (wall_doc * n):.2f}×)")
    if before and after and before.keys() == after.keys():
        used = sum(after.values()) - sum(before.values())
        print(f"CPU per document: the batch's kept LibreOffices {used / n * 1000:.1f} ms, a plain LibreOffice call "
              f"{cpu_doc * 1000:.1f} ms ({used / n / cpu_doc:.2f}×)")
    elif before or after:
        print(f"CPU per document: not measured (the kept LibreOffices were replaced during the batch, a fresh one "
              f"every {getattr(pdf, 'RECYCLE_AFTER', '?')} documents); a plain LibreOffice call {cpu_doc * 1000:.1f} ms")
    print("load average now: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def parallel_calls(soffice: str, profiles: list[Path], docs: list[Path], outdirs: list[Path]) -> tuple[float, float]:
    """One plain LibreOffice call per profile, all at once, each over ``docs``: wall and
    CPU seconds (theirs, children's rusage)."""
    import resource

    for o in outdirs:
        o.mkdir(exist_ok=True)
        clear(docs, o)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    procs = [subprocess.Popen(pdf.soffice_command(soffice, p, o, docs), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True) for p, o in zip(profiles, outdirs)]
    for proc in procs:
        proc.wait()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for o in outdirs:
        made = sum(1 for d in docs if (o / (d.stem + ".pdf")).is_file())
        assert made == len(docs), f"LibreOffice made {made} of {len(docs)} PDFs"
    return wall, (after.ru_utime - ru.ru_utime) + (after.ru_stime - ru.ru_stime)


def lo_per_document(soffice: str, profiles: list[Path], docs: list[Path], outdirs: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds per document of LibreOffice itself on len(profiles) cores, its
    start-up taken out: (calls over ``docs`` − calls over one) ÷ documents."""
    w1, c1 = parallel_calls(soffice, profiles, docs[:1], outdirs)
    wn, cn = parallel_calls(soffice, profiles, docs, outdirs)
    count = (len(docs) - 1) * len(profiles)
    return max(1e-9, (wn - w1) / count), max(1e-9, (cn - c1) / count)


def kept_cpu(folder: Path) -> dict[int, float]:
    """CPU seconds used so far by each LibreOffice kept in ``folder`` (Linux /proc; {} elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    groups = set()
    for record in folder.glob("profile-*.json"):
        try:
            groups.add(int(json.loads(record.read_text(encoding="utf-8"))["pid"]))
        except (OSError, ValueError, KeyError):
            continue
    found: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):  # every process of those groups (soffice.bin)
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) in groups:
                found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, ValueError, IndexError):
            continue
    return found

if __name__ == "__main__":
    main()
