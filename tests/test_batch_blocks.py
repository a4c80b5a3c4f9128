"""A batch takes its rows a block at a time, stage by stage (batch.Plan.render_rows):
the same outcomes, manifests and bytes as one row at a time, whatever ends a row and
at whichever stage."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from drafter import batch

from test_batch import DRAFT, ROWS


def _sheet(folder: Path) -> Path:
    """Rows that end at every stage: refused by the sheet (a formula), refused by the
    checks (30/02), kept (a folder where the document goes, not replaced even with
    --force: the writing stage), and made, with a warning or without, around them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(ROWS[0]))
    for i in range(14):
        row = dict(ROWS[i % 2], ma=f"{i:03d}", so=str(20 + i))
        if i == 3:
            row["ngay"] = "2026-02-30"
        if i == 6:
            row["kinh_gui"] = ""
        values = list(row.values())
        if i == 9:
            values[1] = '=HYPERLINK("http://evil","x")'
        ws.append(values)
    path = folder / "data.xlsx"
    wb.save(path)
    return path


def _run(folder: Path, out: str, block: int, monkeypatch, jobs: int = 1, force: bool = True, **kw) -> tuple[batch.BatchResult, list]:
    monkeypatch.setattr(batch, "BLOCK", block)
    sizes: list[int] = []
    real = batch.Plan.render_rows

    def counted(self, jobs_, *a, **k):
        sizes.append(len(jobs_))
        return real(self, jobs_, *a, **k)

    monkeypatch.setattr(batch.Plan, "render_rows", counted)
    (folder / out).mkdir(exist_ok=True)
    (folder / out / "012.docx").mkdir(exist_ok=True)  # the writing stage refuses it
    r = batch.run(folder / "draft.yaml", folder / "data.xlsx", folder / out, name="{ma}", jobs=jobs,
                  force=force, **kw)
    return r, sizes


def _seen(folder: Path, out: str, r: batch.BatchResult) -> tuple:
    outcomes = [(o.row, o.file, o.status, o.message, o.key, o.digest, o.notes) for o in r.outcomes]
    manifest = json.loads((folder / out / "manifest.json").read_text(encoding="utf-8"))
    docs = {p.name: p.read_bytes() for p in sorted((folder / out).glob("*.docx")) if p.is_file()}
    return outcomes, manifest["rows"], docs


@pytest.fixture
def desk(tmp_path):
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    _sheet(tmp_path)
    return tmp_path


def test_a_block_gives_what_one_row_at_a_time_gives(desk, monkeypatch):
    one, sizes_one = _run(desk, "one", 1, monkeypatch)
    assert set(sizes_one) == {1}
    whole, sizes = _run(desk, "block", 64, monkeypatch)
    assert sizes == [batch.FIRST_BLOCK, 14 - batch.FIRST_BLOCK]  # then the rest in one block
    statuses = {o.row: o.status for o in whole.outcomes}
    assert [statuses[n] for n in range(2, 16)] == (
        ["ok"] * 3 + ["loi"] + ["ok"] * 2 + ["loi"] + ["ok"] * 2 + ["loi"] + ["ok"] * 2 + ["loi", "ok"])
    by_row = {o.row: o for o in whole.outcomes}
    assert "30/02/2026" in by_row[5].message and "kinh_gui" in by_row[8].message
    assert "HYPERLINK" not in by_row[11].message and by_row[11].file is None
    assert "012.docx" in by_row[14].message  # a folder stands where the document goes
    assert (desk / "block" / "012.docx").is_dir()
    a, b = _seen(desk, "one", one), _seen(desk, "block", whole)
    assert a == b and len(a[2]) == 10
    # Blocks that split the rows anywhere (4 + 4 + 4 + 2), and two processes.
    split, sizes = _run(desk, "split", 4, monkeypatch)
    assert sizes == [4, 4, 4, 2] and _seen(desk, "split", split) == a
    two, _ = _run(desk, "two", 4, monkeypatch, jobs=2)
    assert _seen(desk, "two", two) == a


def test_large_documents_make_smaller_blocks(desk, monkeypatch):
    """The rows of a block are held from stage to stage: the first block is small,
    and after a block whose documents came to more than BLOCK_BYTES the next holds
    fewer rows."""
    monkeypatch.setattr(batch, "FIRST_BLOCK", 4)
    _run(desk, "probe", 8, monkeypatch)
    size = max(p.stat().st_size for p in (desk / "probe").glob("0*.docx") if p.is_file())
    monkeypatch.setattr(batch, "BLOCK_BYTES", int(2.5 * size))  # two documents and a half
    r, sizes = _run(desk, "sized", 8, monkeypatch)
    assert sizes[0] == 4 and 2 <= min(sizes[1:-1]) and max(sizes[1:]) <= 3 and sum(sizes) == 14
    monkeypatch.setattr(batch, "BLOCK_BYTES", 1)
    r2, sizes = _run(desk, "ones", 8, monkeypatch)
    assert sizes == [4, *[1] * 10]
    assert _seen(desk, "sized", r) == _seen(desk, "ones", r2)


def test_resume_skips_unchanged_rows_inside_a_block(desk, monkeypatch):
    first, _ = _run(desk, "out", 64, monkeypatch)
    again, sizes = _run(desk, "out", 64, monkeypatch, force=False, resume=True)
    assert sum(sizes) == 14 and len(sizes) == 2
    statuses = [o.status for o in again.outcomes]
    assert statuses.count("bo-qua") == 10 and statuses.count("loi") == 4
