"""Batch speed: drafter's compiled path against plain docxtpl, in one run.

    python bench/bench_batch.py [--rows 3321] [--jobs 2] [--baseline-rows N] [--repeat 3] [--out DIR]
                                [--against TREE]

Renders one công văn per commune (all 3,321 communes of the 2025 reorganisation,
from vietnam-provinces), each with a 10-row appendix table taking its figures from
the row, with `drafter batch` (the compiled template, untouched package parts
copied) and then the same documents with plain docxtpl as users write it (a new
DocxTemplate per row, render, save). Prints ms/document, documents/s and peak
memory for both, and the ratio of their medians over --repeat alternating runs (the
machine is shared and noisy); also peak memory at 300 rows for the flatness check.
With --against TREE (a checkout of another commit, e.g. `git worktree add /tmp/base
HEAD~5`), that tree's drafter renders the same documents in the same alternation,
and the ratio of the two drafters' medians is printed.
Each measurement runs in a fresh subprocess so peak memory is its own, reading bytecode
from the bench's folder (child_env), written by an untimed first run of each side.
Each side imports its modules before the clock starts (drafter's: drafter.batch and
what its batch loads on the first row); a command's start-up is bench_startup.py's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

ITEMS = ["Đào tạo nghề", "Tập huấn khởi sự doanh nghiệp", "Hỗ trợ máy móc thiết bị", "Mô hình trình diễn",
         "Sản xuất sạch hơn", "Sản phẩm tiêu biểu", "Hội chợ triển lãm", "Bản tin khuyến công",
         "Tư vấn đầu tư", "Tham quan học tập"]

DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 120
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí khuyến công năm 2026 cho {{ hang.ten_day_du }}
kinh_gui: Ủy ban nhân dân {{ hang.ten_day_du }}
noi_dung: |
  Căn cứ dự toán ngân sách năm 2026, Ủy ban nhân dân tỉnh phân bổ kinh phí khuyến công cho {{ hang.ten_day_du }} ({{ hang.tinh }}) như Phụ lục kèm theo.
  Tổng kinh phí: {{ phu_luc[0].tong.kinh_phi }} triệu đồng ({{ phu_luc[0].tong.kinh_phi.chu }}).
  1. Ủy ban nhân dân {{ hang.ten_day_du }} sử dụng kinh phí đúng mục đích, thanh quyết toán theo quy định.
  2. Sở Tài chính, Sở Công Thương hướng dẫn, kiểm tra việc thực hiện.
noi_nhan: [Như trên, Sở Tài chính, Sở Công Thương]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ KHUYẾN CÔNG NĂM 2026
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
{rows}
      tong_cong: true
      bang_chu: kinh_phi
"""


def draft_text() -> str:
    rows = "\n".join(
        f"        - {{noi_dung: {name}, dvt: Đề án, so_lieu: {{kinh_phi: \"{{{{ hang.kp{i} }}}}\"}}}}"
        for i, name in enumerate(ITEMS))
    return DRAFT.replace("{rows}", rows)


def make_data(folder: Path, n: int) -> Path:
    from drafter import units

    rng = random.Random(2026)
    communes = units.all_communes()
    rows = []
    for i in range(n):
        c = communes[i % len(communes)]
        row = {"ma": c.code, "ten": c.name, "ten_day_du": c.full_name, "tinh": c.province_name}
        row.update({f"kp{k}": str(rng.randint(5, 400)) for k in range(len(ITEMS))})
        rows.append(row)
    path = folder / f"data-{n}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def cpu_seconds() -> float:
    """User + system CPU of this process and of its children waited for (a batch's
    workers once joined): read with the clock, the CPU of the timed part alone."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def child_drafter(folder: str, data: str, jobs: int) -> dict:
    from drafter import batch

    # Imported before the clock starts, as bench_limit's limit imports jinja2 and
    # drafter's table modules before its own: drafter's modules that a batch of this
    # draft loads on its first row (the sheet reader, the appendix's table). What a
    # command costs to start is measured apart (bench_startup.py).
    from drafter import figures, output_problems  # noqa: F401
    from drafter.inputs import sheets  # noqa: F401
    from drafter.render import table_xml  # noqa: F401
    from drafter.tables import grid, plan  # noqa: F401

    out = fresh_out(folder, f"drafter-{Path(data).stem}-j{jobs}")
    os.sync()  # the previous run's files on disk before the clock starts, not during the run
    t, c = time.perf_counter(), cpu_seconds()
    r = batch.run(Path(folder) / "draft.yaml", data, out, name="{ma}-{ten}", jobs=jobs)
    dt, dc = time.perf_counter() - t, cpu_seconds() - c
    assert r.failed == 0, [o.message for o in r.outcomes if o.status != "ok"][:3]
    return {"docs": r.ok, "seconds": dt, "cpu_timed": dc}


def child_docxtpl(folder: str, data: str, limit: int) -> dict:
    """Plain docxtpl as users write it: a new DocxTemplate per row, render, save."""
    from docxtpl import DocxTemplate

    from drafter import api
    from drafter.inputs import rows as row_tpl
    from drafter.inputs.sheets import read_rows
    from drafter.inputs.yamlfile import Loaded
    from drafter.render import context as ctx_mod
    from drafter import model

    loaded = api.load(Path(folder) / "draft.yaml")
    sheet = read_rows(data)
    tpl_rows = row_tpl.RowTemplate(loaded.data, sheet.columns, set(model.Draft.model_fields))
    out = fresh_out(folder, "docxtpl")
    os.sync()
    out.mkdir()
    template = None
    rows = sheet.rows[:limit]
    t = time.perf_counter()
    for row in rows:
        prepared = api.prepare_loaded(Loaded(loaded.file, tpl_rows.apply(row.values), loaded.origins, []))
        template = template or api.find_template(prepared.document.doc_type.layout, Path(folder))
        doc = DocxTemplate(str(template))
        doc.render(ctx_mod.build(prepared.document), autoescape=True)
        doc.save(out / f"{row.values['ma']}.docx")
    return {"docs": len(rows), "seconds": time.perf_counter() - t}


def fresh_out(folder: str | Path, label: str) -> Path:
    """A folder no run wrote to, for one measured run's documents (not made: the batch
    makes its own). Nothing is deleted before a run: on ext4, creating a file within a
    minute or so of deleting thousands costs ten times more (the inode allocator reads
    and skips each recently deleted inode, `recently_deleted` in perf), for drafter and
    for the run it is measured against alike, varying with what ran before. The whole
    bench folder is removed at the end instead."""
    for n in range(1, 10_000):
        out = Path(folder) / f"out-{label}-{n}"
        if not out.exists():
            return out
    raise SystemExit(f"bench: no free folder name for {label} in {folder}")


def child_env(folder: Path | str) -> dict[str, str]:
    """The environment of a measured child: bytecode read from and written to a folder of
    the bench's own (PYTHONPYCACHEPREFIX), as an installed drafter has it (pip compiles it),
    even where PYTHONDONTWRITEBYTECODE is set: a module a batch imports on its first row is
    otherwise compiled from source inside the timed part, in every child. The first child
    (:func:`warm_up`) writes it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pyc")
    return env


def warm_up(folder: Path, data: Path, scripts: list, kinds: tuple[str, ...] = ("drafter", "docxtpl")) -> None:
    """One untimed child of each kind on a few rows: the bytecode written (child_env),
    the template cache filled, before any measured run."""
    for script in dict.fromkeys(scripts):
        for kind in kinds:
            measure(["--child", kind, str(folder), str(data), "5" if kind == "docxtpl" else "1"], script)


def measure(args: list[str], script: Path | str = __file__) -> dict:
    """Run one measurement in a fresh interpreter; add its peak RSS (children included).
    `script` is this file, or the same benchmark in another checkout (its own drafter).
    The folder the child works in (args[1]) keeps the bytecode (:func:`child_env`)."""
    r = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=child_env(args[2]))
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3321)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline-rows", type=int, default=None, help="rows for plain docxtpl (default: all)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="alternating runs of each side (medians are compared)")
    ap.add_argument("--against", type=Path, default=None,
                    help="another checkout whose drafter runs the same batch, alternating")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, folder, data, n = args.child
        res = child_drafter(folder, data, int(n)) if kind == "drafter" else child_docxtpl(folder, data, int(n))
        rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        res["peak_mib"] = round(max(rss_self, rss_children) / 1024, 1)
        # CPU seconds of the whole batch (this process and its workers): the same for -j 1
        # and -j 2 when the workers share the work without doing any of it twice.
        usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        res["cpu_s"] = round(sum(u.ru_utime + u.ru_stime for u in usage), 2)
        print(json.dumps(res))
        return
    folder = args.out or Path(tempfile.mkdtemp(prefix="drafter-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "draft.yaml").write_text(draft_text(), encoding="utf-8")
    big = make_data(folder, args.rows)
    small = make_data(folder, min(300, args.rows))
    base_rows = args.baseline_rows or args.rows
    print(f"machine: {os.cpu_count()} cores; folder {folder}")
    big_args = ["drafter", str(folder), str(big), str(args.jobs)]
    plain_args = ["docxtpl", str(folder), str(big), str(base_rows)]
    fast_label, plain_label = f"drafter -j {args.jobs}, {args.rows} rows", f"plain docxtpl, {base_rows} rows"

    def show(label: str, r: dict) -> None:
        ms = 1000 * r["seconds"] / r["docs"]
        print(f"{label:<34} {r['docs']:>5} docs  {r['seconds']:7.2f} s  {ms:7.2f} ms/doc  "
              f"{r['docs'] / r['seconds']:8.1f} docs/s  peak {r['peak_mib']:7.1f} MiB")

    # The machine is shared and noisy: the two sides alternate, and medians are compared.
    fast_runs, plain_runs, other_runs = [], [], []
    sides = [(fast_label, big_args, fast_runs, __file__)]
    if args.against:
        other = args.against / "bench" / "bench_batch.py"
        sides.append((f"drafter at {args.against.name} -j {args.jobs}", big_args, other_runs, other))
    sides.append((plain_label, plain_args, plain_runs, __file__))
    warm_up(folder, small, [script for _, _, _, script in sides])
    for _ in range(args.repeat):
        for label, child, runs, script in sides:
            r = measure(["--child", *child], script)
            runs.append(r)
            show(label, r)
    one = measure(["--child", "drafter", str(folder), str(big), "1"])
    show("drafter -j 1", one)
    small_r = measure(["--child", "drafter", str(folder), str(small), str(args.jobs)])
    show(f"drafter -j {args.jobs}, 300 rows", small_r)

    def per_doc(r: dict) -> float:
        return r["seconds"] / r["docs"]

    fast_s = statistics.median(per_doc(r) for r in fast_runs)
    plain_s = statistics.median(per_doc(r) for r in plain_runs)
    peak = max(r["peak_mib"] for r in fast_runs)
    print(f"medians of {args.repeat}: drafter -j {args.jobs} {1000 * fast_s:.2f} ms/doc ({1 / fast_s:.0f} docs/s, "
          f"{args.rows} documents in {fast_s * args.rows:.2f} s); plain docxtpl {1000 * plain_s:.2f} ms/doc")
    print(f"speed-up vs plain docxtpl: {plain_s / fast_s:.1f}x with -j {args.jobs}, "
          f"{plain_s / per_doc(one):.1f}x on one core")
    print(f"peak memory {args.rows} rows / 300 rows: {peak / small_r['peak_mib']:.2f}")
    if other_runs:
        other_s = statistics.median(per_doc(r) for r in other_runs)
        print(f"against {args.against}: {1000 * other_s:.2f} ms/doc there, {1000 * fast_s:.2f} here: "
              f"this tree takes {fast_s / other_s:.2f}x the time")
    if args.out is None:
        # Tens of thousands of files left behind slow every later file creation on the
        # same file system (measured: 1 ms instead of 0.1 ms per file): remove them.
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
