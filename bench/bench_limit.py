"""The raw limit of a batch, and drafter's batch measured against it, in one run.

    python bench/bench_limit.py [--rows 3321] [--repeat 3] [--docxtpl-rows 300] [--check 40]

The raw limit renders the documents of bench/bench_batch.py (one công văn per commune,
a 10-row appendix whose figures come from the row) with nothing but what a row cannot
do without: one compiled Jinja template of word/document.xml, made once from the bytes
drafter writes for a first row, in which only what a row changes is a value (the
commune's name and province, the V/v lines as drafter breaks them, the ten figures,
their total and its words, the widths of the figure column); per row the sheet's row
is read, those values computed with drafter's own pure functions (line breaking,
Vietnamese numbers and words, text widths), the template rendered, the part
compressed (zlib level 1 and memory level package.writer.MEM_LEVEL, like drafter),
and the package written with every other part copied as its stored compressed bytes.
No validation, no derivation of what no
row changes, no atomic write: what is left when everything that can be done once is.

Before any timing, the limit's output is checked BYTE-IDENTICAL to drafter's own
documents for a sample of rows (--check; the first row, the last and evenly between).
Then, alternating --repeat times, each in a fresh interpreter: the limit on 1 and 2
processes, `drafter batch -j 1` and `-j 2`, and plain docxtpl (a new DocxTemplate per
row, as bench_batch.py; on --docxtpl-rows rows, it is slow). Medians of the time per
document are compared, and of the CPU seconds per document (user + system, the
workers' included: what other work on a shared machine adds less to), and so is the
median of each round's own ratio (the sides of a round run one after another: on a
shared machine whose speed drifts, the steadier figure). Before the rounds, each side
runs once untimed on the sampled rows: the children read bytecode from a folder of the
bench's own, written then (as an installed drafter has it, even where
PYTHONDONTWRITEBYTECODE is set: bench_batch.child_env).
Everything is written under one temporary folder, removed at the end; each run writes into
a folder of its own, and nothing is deleted between runs (bench_batch.fresh_out: on ext4,
files made just after thousands were deleted cost several times more, both sides alike).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_batch  # noqa: E402  (the same draft, data and docxtpl baseline)

MAIN = "word/document.xml"


# --- the raw template, made once from drafter's own document for a first row ----------

class Limit:
    """Everything a row does not change, prepared once; :meth:`render` makes one package."""

    def __init__(self, docx: bytes, row: dict):
        from jinja2 import Environment

        from drafter.render.context import lines_markup
        from drafter.rules import geometry as G
        from drafter.rules import layout, linebreak
        from drafter.rules.numbers import format_number
        from drafter.rules.textwidth import width_twips
        from drafter.tables import grid as table_grid
        from drafter.tables.compute import words_for

        self._lines_markup, self._title_lines = lines_markup, linebreak.title_lines
        self._vv = (G.VV.pt, layout.HEADER_LEFT_INNER)
        self._format, self._words, self._width = format_number, words_for, width_twips
        from drafter.package.writer import MEM_LEVEL

        self._mem_level = MEM_LEVEL  # drafter's compressor, for the same bytes
        self._zip(docx)
        xml = self.main_xml
        values = self.values(row)
        # The appendix's table: the only DrTable of the part.
        start = xml.index('<w:tbl><w:tblPr><w:tblStyle w:val="DrTable"/>')
        end = xml.index("</w:tbl>", start) + len("</w:tbl>")
        head, table, tail = xml[:start], xml[start:end], xml[end:]
        # Its columns: drafter's grid for this table, the figure column made per row.
        self._size = table_grid.TABLE_FONT_PT
        self._pad = 2 * table_grid.CELL_MARGIN + table_grid._SLACK
        self._head_w = max(width_twips(w, self._size, bold=True) for w in "Kinh phí".split())
        self._head_line = width_twips("Kinh phí", self._size, bold=True)
        widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
        self._grid = table_grid
        self._widths_memo: dict = {}
        assert self.widths(values["f"]) == widths, "the figure column is not made as drafter makes it"
        table = self._table_template(table)
        parts = []
        for text, count, name in (
            (self._lines_markup_of(values), 1, "vv"),
            (_esc(values["name"]), 3, "name"),
            (_esc(values["province"]), 1, "province"),
            (f'<w:t xml:space="preserve">{values["f"][-1]}</w:t>', 1, "total_run"),
            (_esc(values["bang_chu"]), 1, "bang_chu"),  # holds the words: replaced first
            (_esc(values["chu"]), 1, "chu"),
        ):
            parts.append((text, count, name))
        source = head + "\x00TABLE\x00" + tail
        for text, count, name in parts:
            found = source.count(text)
            if found != count:
                raise SystemExit(f"bench_limit: '{name}' ({text[:60]}) found {found} times in drafter's part, "
                                 f"expected {count}: the document's shape changed, adapt the limit")
            repl = '<w:t xml:space="preserve">{{ f[-1] }}</w:t>' if name == "total_run" else "{{ %s }}" % name
            source = source.replace(text, repl)
        source = source.replace("\x00TABLE\x00", table)
        literal = re.sub(r"\{\{ [^{}]* \}\}", "", source)
        if any(t in literal for t in ("{{", "{%", "{#")):
            raise SystemExit("bench_limit: drafter's part holds Jinja syntax; the limit cannot template it")
        self.template = Environment(autoescape=True).from_string(source)

    # The table: the widths of the grid and of every cell, and each row's figure.
    def _table_template(self, table: str) -> str:
        table = re.sub(r'(<w:gridCol w:w=")\d+("/>)',
                       lambda m, c=iter(range(99)): f"{m.group(1)}{{{{ w[{next(c)}] }}}}{m.group(2)}", table)
        rows = table.split("<w:tr>")
        out = [rows[0]]
        for r, row in enumerate(rows[1:]):
            cells = row.split("<w:tc>")
            col, done = 0, [cells[0]]
            for c, cell in enumerate(cells[1:]):
                span = int(m.group(1)) if (m := re.search(r'<w:gridSpan w:val="(\d+)"/>', cell)) else 1
                cell = re.sub(r'<w:tcW w:w="\d+"', '<w:tcW w:w="{{ w[%d:%d]|sum }}"' % (col, col + span), cell, count=1)
                if r > 0 and c == len(cells) - 2:  # a body row's figure, the last cell
                    cell, n = re.subn(r'(<w:t xml:space="preserve">)[^<]*(</w:t>)', r"\1{{ f[%d] }}\2" % (r - 1), cell)
                    assert n == 1, "a figure cell without its figure"
                col += span
                done.append(cell)
            out.append("<w:tc>".join(done))
        return "<w:tr>".join(out)

    def widths(self, figures: list[str]) -> list[int]:
        low = max(max(self._width(t, self._size, bold=True) for t in figures), self._head_w) + self._pad
        want = max(low, self._head_line + self._pad)
        if want > low * 1.6:
            want = low
        found = self._widths_memo.get((low, want))
        if found is None:
            g = self._grid
            grid = g.Grid([], [*self._base_columns(), g.Column("so", low, want)], 1)
            found = self._widths_memo[(low, want)] = grid.column_widths()
        return found

    def _base_columns(self):
        """The grid's fixed columns (TT, Nội dung, ĐVT) as drafter lays them out (once)."""
        g = self._grid
        if getattr(self, "_base", None) is None:
            from drafter.tables.compute import compute
            from drafter.tables.model import parse_table

            table = {"chi_tieu": [{"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}],
                     "dong": [{"noi_dung": n, "dvt": "Đề án", "so_lieu": {"kinh_phi": 1}} for n in bench_batch.ITEMS],
                     "tong_cong": True}
            self._base = g.build_grid(compute(parse_table(table), unit="triệu đồng")).columns[:3]
        return self._base

    def _lines_markup_of(self, values: dict) -> str:
        return values["vv"].xml

    def values(self, row: dict) -> dict:
        """What the row changes, computed from its cells."""
        name = row["ten_day_du"]
        kp = [int(row[f"kp{k}"]) for k in range(len(bench_batch.ITEMS))]
        total = sum(kp)
        f = [self._format(Decimal(k)) for k in kp] + [self._format(Decimal(total))]
        chu = self._words(Decimal(total), "triệu đồng")
        vv = f"V/v phân bổ kinh phí khuyến công năm 2026 cho {name}"
        return {"name": name, "province": row["tinh"], "f": f, "chu": chu, "bang_chu": f"Bằng chữ: {chu}.",
                "vv": self._lines_markup(self._title_lines(vv, *self._vv, bold=False))}

    def render(self, row: dict) -> bytes:
        v = self.values(row)
        v["w"] = self.widths(v["f"])
        return self.package(self.template.render(v).encode("utf-8"))

    # The package: every part but the main one copied as stored (compressed) bytes.
    def _zip(self, docx: bytes) -> None:
        end = docx.rindex(b"PK\x05\x06")
        count, cd_size, cd_offset = struct.unpack_from("<HII", docx, end + 10)
        blocks, central, pos = [], [], cd_offset
        for _ in range(count):
            n, e, c = struct.unpack_from("<HHH", docx, pos + 28)
            record = docx[pos:pos + 46 + n + e + c]
            name = record[46:46 + n].decode("utf-8")
            offset, = struct.unpack_from("<I", record, 42)
            ln, le = struct.unpack_from("<HH", docx, offset + 26)
            size, = struct.unpack_from("<I", record, 20)
            local = docx[offset:offset + 30 + ln + le + size]
            blocks.append((name, local, record))
            pos += len(record)
        self._blocks = blocks
        main = next(i for i, b in enumerate(blocks) if b[0] == MAIN)
        name, local, record = blocks[main]
        ln, le = struct.unpack_from("<HH", local, 26)
        self._main_index, self._main_head, self._main_record = main, local[:30 + ln + le], record
        self.before = b"".join(b[1] for b in blocks[:main])
        self.after = b"".join(b[1] for b in blocks[main + 1:])
        self._offsets = [struct.unpack_from("<I", b[2], 42)[0] for b in blocks]
        self.main_xml = zlib.decompress(local[30 + ln + le:], -15).decode("utf-8")
        self._eocd = docx[end:end + 22]

    def package(self, data: bytes) -> bytes:
        c = zlib.compressobj(1, zlib.DEFLATED, -15, self._mem_level)
        packed = c.compress(data) + c.flush()
        crc = zlib.crc32(data)
        head = bytearray(self._main_head)
        struct.pack_into("<III", head, 14, crc, len(packed), len(data))
        shift = len(head) + len(packed) - (self._offsets[self._main_index + 1] - self._offsets[self._main_index]
                                            if self._main_index + 1 < len(self._offsets) else 0)
        records = []
        for i, (_, _, record) in enumerate(self._blocks):
            if i == self._main_index:
                record = bytearray(record)
                struct.pack_into("<III", record, 16, crc, len(packed), len(data))
            elif i > self._main_index:
                record = bytearray(record)
                struct.pack_into("<I", record, 42, self._offsets[i] + shift)
            records.append(record)
        cd = b"".join(records)
        offset = len(self.before) + len(head) + len(packed) + len(self.after)
        eocd = bytearray(self._eocd)
        struct.pack_into("<II", eocd, 12, len(cd), offset)
        return b"".join((self.before, head, packed, self.after, cd, eocd))


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


# --- what runs in a fresh interpreter --------------------------------------------------

def _sample_docx(folder: Path) -> tuple[bytes, dict]:
    """drafter's document for the data's first row, and that row."""
    with open(folder / "data.csv", encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    return (folder / "sample" / f"{row['ma']}.docx").read_bytes(), row


def child_limit(folder: str, data: str, processes: int) -> dict:
    # Imported before the clock starts, as bench_batch's drafter child imports drafter.batch
    # and the modules its batch loads on the first row.
    import jinja2  # noqa: F401

    from drafter.render import context  # noqa: F401
    from drafter.tables import compute, grid, model  # noqa: F401

    folder_p = Path(folder)
    out = bench_batch.fresh_out(folder_p, f"limit-{processes}")
    os.sync()  # (nothing deleted before a run: bench_batch.fresh_out)
    t, c = time.perf_counter(), bench_batch.cpu_seconds()
    limit = Limit(*_sample_docx(folder_p))  # compiled once per batch, like drafter's plan
    out.mkdir()
    with open(data, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))

    def work(chunk: list[dict]) -> int:
        for row in chunk:
            with open(out / f"{row['ma']}.docx", "wb") as w:
                w.write(limit.render(row))
        return len(chunk)

    if processes <= 1:
        done = work(rows)
    else:
        pids = []
        for k in range(processes):
            pid = os.fork()
            if pid == 0:
                try:
                    work(rows[k::processes])
                finally:
                    os._exit(0)
            pids.append(pid)
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            assert status == 0, "a limit process failed"
        done = len(rows)
    return {"docs": done, "seconds": time.perf_counter() - t, "cpu_timed": bench_batch.cpu_seconds() - c}


def measure(args: list[str]) -> dict:
    r = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                       env=bench_batch.child_env(args[2]))
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def check_identical(folder: Path, data: Path, n: int) -> int:
    """drafter's documents for a sample of rows, and the limit's: byte for byte."""
    from drafter import batch

    with open(data, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    step = max(1, (len(rows) - 1) // max(1, n - 1))
    picked = [rows[0], *rows[step::step][: n - 2], rows[-1]] if len(rows) > 1 else rows
    picked = list({r["ma"]: r for r in picked}.values())
    sample = folder / "sample.csv"
    with open(sample, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(picked)
    shutil.copy(data, folder / "data.csv")
    r = batch.run(folder / "draft.yaml", sample, folder / "sample", name="{ma}", jobs=1)
    assert r.failed == 0, [o.message for o in r.outcomes if o.status != "ok"][:3]
    limit = Limit(*_sample_docx(folder))
    bad = [row["ma"] for row in picked if limit.render(row) != (folder / "sample" / f"{row['ma']}.docx").read_bytes()]
    if bad:
        raise SystemExit(f"bench_limit: the limit's documents differ from drafter's for rows {bad[:10]}")
    return len(picked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3321)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--docxtpl-rows", type=int, default=300, help="rows for plain docxtpl (it is slow)")
    ap.add_argument("--check", type=int, default=40, help="rows checked byte-identical to drafter's")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, folder, data, n = args.child
        child = {"limit": child_limit, "drafter": bench_batch.child_drafter,
                 "docxtpl": bench_batch.child_docxtpl}[kind]
        print(json.dumps(child(folder, data, int(n))))
        return
    folder = Path(tempfile.mkdtemp(prefix="drafter-limit-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args, folder: Path) -> None:
    (folder / "draft.yaml").write_text(bench_batch.draft_text(), encoding="utf-8")
    data = bench_batch.make_data(folder, args.rows)
    checked = check_identical(folder, data, args.check)
    print(f"machine: {os.cpu_count()} cores; {args.rows} rows; the limit's documents byte-identical to "
          f"drafter's for {checked} sampled rows")
    sides = [
        ("raw limit, 1 process", ["limit", str(folder), str(data), "1"]),
        ("raw limit, 2 processes", ["limit", str(folder), str(data), "2"]),
        ("drafter batch -j 1", ["drafter", str(folder), str(data), "1"]),
        ("drafter batch -j 2", ["drafter", str(folder), str(data), "2"]),
        (f"plain docxtpl, {args.docxtpl_rows} rows", ["docxtpl", str(folder), str(data), str(args.docxtpl_rows)]),
    ]
    for _, child in sides:  # untimed, on the sampled rows: bytecode and caches written (bench_batch.child_env)
        measure(["--child", child[0], str(folder), str(folder / "sample.csv"), "5" if child[0] == "docxtpl" else child[3]])
    runs: dict[str, list[float]] = {label: [] for label, _ in sides}
    cpus: dict[str, list[float]] = {label: [] for label, _ in sides}
    for _ in range(args.repeat):  # a shared, noisy machine: the sides alternate
        for label, child in sides:
            r = measure(["--child", *child])
            s = r["seconds"] / r["docs"]
            runs[label].append(s)
            cpu = r.get("cpu_timed")
            if cpu is not None:
                cpus[label].append(cpu / r["docs"])
            print(f"{label:<28} {r['docs']:>5} docs  {r['seconds']:7.2f} s  {1000 * s:7.3f} ms/doc  "
                  f"{1 / s:8.1f} docs/s" + (f"  CPU {1000 * cpu / r['docs']:6.3f} ms/doc" if cpu is not None else ""))
    med = {label: statistics.median(v) for label, v in runs.items()}
    print(f"medians of {args.repeat} (ms/doc, docs/s):")
    for label, s in med.items():
        print(f"  {label:<28} {1000 * s:7.3f} ms/doc  {1 / s:8.1f} docs/s")
    lim1, lim2 = med["raw limit, 1 process"], med["raw limit, 2 processes"]
    j1, j2 = med["drafter batch -j 1"], med["drafter batch -j 2"]
    plain = med[f"plain docxtpl, {args.docxtpl_rows} rows"]
    # Each round runs the sides one after the other: a ratio within a round is less
    # shaken by the machine's slower and faster minutes than the ratio of the medians.
    rounds = {name: statistics.median(a / b for a, b in zip(runs[num], runs[den]))
              for name, num, den in (("j1", "drafter batch -j 1", "raw limit, 1 process"),
                                     ("j2", "drafter batch -j 2", "raw limit, 2 processes"))}
    print(f"drafter -j 1 vs raw limit on 1 process: {j1 / lim1:.2f}x the time (target <= 2); "
          f"median of the rounds' ratios {rounds['j1']:.2f}x")
    print(f"drafter -j 2 vs raw limit on 2 processes: {j2 / lim2:.2f}x the time (target <= 2); "
          f"median of the rounds' ratios {rounds['j2']:.2f}x")
    # CPU seconds (user + system, the workers' included) of the timed part: what a busy
    # machine's other work does not add to, unlike the wall time.
    cpu = {label: statistics.median(v) for label, v in cpus.items() if v}
    if all(k in cpu for k in ("raw limit, 1 process", "raw limit, 2 processes", "drafter batch -j 1",
                              "drafter batch -j 2")):
        print(f"CPU per document, drafter vs raw limit: -j 1 {cpu['drafter batch -j 1'] / cpu['raw limit, 1 process']:.2f}x, "
              f"-j 2 {cpu['drafter batch -j 2'] / cpu['raw limit, 2 processes']:.2f}x")
    print(f"drafter -j 2 vs plain docxtpl: {plain / j2:.1f}x faster (target >= 30)")
    scale = {name: statistics.median(a / b for a, b in zip(runs[num], runs[den]))
             for name, num, den in (("drafter", "drafter batch -j 1", "drafter batch -j 2"),
                                    ("limit", "raw limit, 1 process", "raw limit, 2 processes"))}
    print(f"drafter -j 2 vs -j 1: {j1 / j2:.2f}x faster (target >= 1.7), median of the rounds' ratios "
          f"{scale['drafter']:.2f}x; raw limit 2 vs 1: {lim1 / lim2:.2f}x, rounds {scale['limit']:.2f}x")


if __name__ == "__main__":
    main()
