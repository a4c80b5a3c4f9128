"""drafter batch reads its rows as a stream (issue 19 point 3): the same rows, checks and
messages as reading the whole sheet, and whatever the sheet refuses stops the batch
before its first document."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sheet_files import to_cp1258, write_xlsx

from drafter import batch
from drafter.errors import DrafterError
from drafter.inputs import sheets
from tests.batch_drafts import ONE_ROW_CONG_VAN

DRAFT = ONE_ROW_CONG_VAN

HEADER = ["ma", "ten", "kinh_phi"]


def rows(n: int) -> list[list]:
    return [[f"{i:03d}", f"Xã Số {i}", str(100 + i)] for i in range(1, n + 1)]


def write_csv(path: Path, table: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    return path


@pytest.fixture
def desk(tmp_path):
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def streamed(path: Path, **kw) -> tuple[sheets.SheetData, list[sheets.Row], int]:
    got: list[sheets.Row] = []
    restarts = []

    def restart():
        restarts.append(1)
        got.clear()

    data = sheets.stream_rows(path, got.append, on_restart=restart, **kw)
    return data, got, len(restarts)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_streamed_rows_are_the_rows_read_whole(desk, kind):
    table = [HEADER + ["ghi_chu"]] + [r + ["x"] for r in rows(30)]
    table[5] = table[5] + ["thừa"]  # a cell beyond the header
    if kind == "csv":
        path = write_csv(desk / "d.csv", table)
    else:
        table[9][2] = "=SUM(1,2)"  # a formula: refused, noted
        path = write_xlsx(desk / "d.xlsx", table)
    whole = sheets.read_rows(path)
    data, got, restarts = streamed(path)
    assert data.rows == [] and data.row_count == len(got) == len(whole.rows) == 30 == whole.row_count
    assert data.columns == whole.columns
    assert [(r.number, r.values) for r in got] == [(r.number, r.values) for r in whole.rows]
    assert data.warnings == whole.warnings and data.warnings  # the extra cell (and the formula)
    assert restarts == 0


def test_a_late_byte_of_another_encoding_reads_the_file_again_from_its_start(desk):
    """A Windows-1258 file whose first non-UTF-8 byte comes late: the rows given so far
    are forgotten and the file read again; the result is the whole reading's."""
    table = [HEADER] + [[f"{i:04d}", "Xa So", "5"] for i in range(1, 3000)] + [["9999", "Xã Cẩm Xuyên", "7"]]
    path = desk / "cp.csv"
    path.write_bytes(to_cp1258("\r\n".join(",".join(r) for r in table) + "\r\n"))
    whole = sheets.read_rows(path)
    data, got, restarts = streamed(path)
    assert restarts == 1 and len(got) == len(whole.rows) == 3000
    assert got[-1].values["ten"] == whole.rows[-1].values["ten"] == "Xã Cẩm Xuyên"
    assert data.warnings == whole.warnings and data.warnings[0].code == "encoding"


@pytest.mark.parametrize("case", ["too-many", "bad-quote", "header-only"])
def test_what_the_sheet_refuses_stops_the_batch_before_any_document(desk, case):
    table = [HEADER] + rows(40)
    if case == "header-only":
        table = [HEADER]
    path = write_csv(desk / "d.csv", table)
    if case == "bad-quote":  # the syntax error is in the last row
        path.write_text(path.read_text(encoding="utf-8") + '041,"Xã Không Đóng,5\n', encoding="utf-8")
    limit = 30 if case == "too-many" else 1000
    whole_error = None
    try:
        sheets.read_rows(path, max_rows=limit)
    except sheets.SheetError as exc:
        whole_error = exc.message
    with pytest.raises(DrafterError) as info:
        batch.run(desk / "draft.yaml", path, desk / "out", max_rows=limit)
    assert whole_error is not None and info.value.problems[0].message.startswith(whole_error[:40])
    assert not list((desk / "out").glob("*.docx")) if (desk / "out").exists() else True


def test_outcomes_and_manifest_in_row_order_with_two_workers_and_resume(desk):
    path = write_csv(desk / "d.csv", [HEADER] + rows(48))
    out = desk / "out"
    r = batch.run(desk / "draft.yaml", path, out, name="{ma}", jobs=2)
    assert r.ok == 48 and len(r.outcomes) == 48
    assert [o.row for o in r.outcomes] == list(range(2, 50))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["row"] for e in manifest["rows"]] == list(range(2, 50)) and manifest["ok"] == 48
    lines = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 49 and lines[1].startswith("2,001.docx,ok")
    # the earlier manifest, read line by line, lets --resume skip every row
    previous = batch.read_manifest(out)
    assert len(previous) == 48 and previous[2]["file"] == "001.docx" and len(previous[2]["digest"]) == 32
    r = batch.run(desk / "draft.yaml", path, out, name="{ma}", jobs=2, resume=True)
    assert r.skipped == 48 and r.ok == 0
    # one row changed: only it is made again
    table = [HEADER] + rows(48)
    table[7][2] = "999"
    write_csv(path, table)
    r = batch.run(desk / "draft.yaml", path, out, name="{ma}", resume=True)
    assert (r.ok, r.skipped) == (1, 47) and [o.row for o in r.outcomes if o.status == "ok"] == [8]


def test_a_manifest_in_another_json_layout_is_still_read(desk):
    out = desk / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(
        {"rows": [{"row": 3, "file": "b.docx", "digest": "d3"}, {"row": 2, "file": "a.docx", "digest": "d2"}]}),
        encoding="utf-8")
    previous = batch.read_manifest(out)
    assert dict(previous) == {3: {"file": "b.docx", "digest": "d3"}, 2: {"file": "a.docx", "digest": "d2"}}
    (out / "manifest.json").write_text('{"draft": "x",\n "rows": [\n  {"row": 2, "file": "a.docx"},\n',
                                       encoding="utf-8")  # cut short: not trusted
    assert len(batch.read_manifest(out)) == 0


def test_the_spool_reads_back_what_it_was_given_in_order_even_while_written(tmp_path):
    spool = batch.Spool()
    items = [(i, "x" * (i % 3000), {"k": i}) for i in range(2000)]  # items across read blocks
    for it in items[:1000]:
        spool.append(it)
    reader = iter(spool)
    first = [next(reader) for _ in range(10)]
    for it in items[1000:]:
        spool.append(it)
    assert first + list(reader) == items[:1000]  # a reader sees what was there when it began
    assert list(spool) == items and len(spool) == 2000


def test_the_spool_reads_any_run_of_items_from_its_offsets():
    """items_from(offset, count) gives exactly those items, at their offsets, for runs
    of any length (none, one, past the end) and items larger than a read block."""
    import random

    spool = batch.Spool()
    rng = random.Random(5)
    items = [(i, "ư" * rng.choice([0, 1, 50, 3000, batch.Spool._BLOCK + 7])) for i in range(300)]
    for it in items:
        spool.append(it)
    offsets = [at for at, _ in spool.items_from(0)]
    assert len(offsets) == 300 and [x for _, x in spool.items_from(0)] == items
    for start in list(range(0, 300, 17)) + [299]:
        for count in (0, 1, 2, 63, 65, 400, None):
            got = list(spool.items_from(offsets[start], count))
            want = items[start:] if count is None else items[start:start + count]
            assert [x for _, x in got] == want and [at for at, _ in got] == offsets[start:start + len(want)]
    assert list(spool.items_from(spool.end)) == [] and list(spool.items_from(spool.end, 3)) == []
    spool.close()
