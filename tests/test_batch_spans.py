"""The batch's own overhead kept small: every row named once (the names spooled beside
the rows), a worker sent where its chunk's rows are in the spools instead of the rows,
outcomes pickled as their fields, rows.apply copying each container on the way once.
The documents and the manifest stay what they were: -j 2 gives -j 1's bytes."""

from __future__ import annotations

import copy
import csv
import json
import os
import pickle
from dataclasses import asdict
from pathlib import Path

import pytest

from drafter import batch, model
from drafter.inputs import rows as row_tpl
from tests.batch_drafts import ONE_ROW_CONG_VAN

DRAFT = ONE_ROW_CONG_VAN


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """70 rows (35 chunks of 2 for two workers), names that repeat across chunks, and
    rows that fail: one batch with -j 1, one with -j 2."""
    folder = tmp_path_factory.mktemp("spans")
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    rows = [{"ten": f"Xã Số {i % 30}", "kinh_phi": str(100 + i), "so": str(i + 1),
             "ngay": "2026-02-30" if i % 17 == 5 else "2026-01-15"} for i in range(70)]
    with (folder / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    a = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "j1", name="{ten}", jobs=1)
    b = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "j2", name="{ten}", jobs=2)
    return folder, a, b


def test_two_workers_give_one_workers_documents_and_manifest(two_runs):
    folder, a, b = two_runs
    assert (a.ok, a.failed) == (b.ok, b.failed) and a.ok > 60 and a.failed > 0
    one = sorted(p.name for p in (folder / "j1").glob("*.docx"))
    assert one == sorted(p.name for p in (folder / "j2").glob("*.docx")) and len(one) == a.ok
    assert "Xã Số 3-2.docx" in one and "Xã Số 3-3.docx" in one  # repeats named -2, -3 across chunks
    for name in one:
        assert (folder / "j1" / name).read_bytes() == (folder / "j2" / name).read_bytes()
    rows = [json.loads((folder / d / "manifest.json").read_text(encoding="utf-8"))["rows"] for d in ("j1", "j2")]
    assert rows[0] == rows[1] and [r["row"] for r in rows[0]] == list(range(2, 72))
    assert {r["status"] for r in rows[0] if r["file"] is None} == {"loi"}
    assert [o.row for o in b.outcomes] == list(range(2, 72))


def test_the_manifest_row_is_asdict(two_runs):
    _, a, _ = two_runs
    for o in a.outcomes:
        assert batch._entry(batch._fields(o)) == asdict(o)
        assert pickle.loads(pickle.dumps(o)) == o


def test_a_chunk_is_read_from_its_offsets_in_a_forked_child(tmp_path):
    """Positional reads: a forked worker reading a chunk neither sees nor moves the
    parent's place in the same file."""
    todo = batch._Todo(batch.Rows(["a", "b"]), {3: ("a", "bị từ chối")}, {4: [["canh-bao", "", "ghi chú"]]})
    marks = {}
    for i in range(1, 400):
        if i % 50 == 0:
            marks[i] = (todo.rows._spool.end, todo.names.end)
        todo.rows.add(i, {"a": f"hàng {i}", "b": i * 7})
        todo.names.append(f"ten-{i}")
    todo.flush()
    parent = todo.jobs()
    first = [next(parent) for _ in range(3)]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            got = [(j.number, j.values, j.stem) for j in todo.jobs(*marks[150], 5)]
            os.write(write, pickle.dumps(got))
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    assert pickle.loads(data) == [(n, {"a": f"hàng {n}", "b": n * 7}, f"ten-{n}") for n in range(150, 155)]
    rest = list(parent)  # the parent's own reader goes on where it was
    assert [j.number for j in first + rest] == list(range(1, 400))
    assert first[2].refused == "bị từ chối" and first[2].refused_key == "a" and rest[0].notes
    assert [j.number for j in todo.jobs(*marks[350])] == list(range(350, 400))


def _reference_apply(t: row_tpl.RowTemplate, values: dict) -> dict:
    """What apply gives, the slow way: the whole draft copied, each value set."""
    data = copy.deepcopy(t.data)
    row = row_tpl.Row({k: row_tpl.cell_text(v) for k, v in values.items()})
    for p, parts in t.compiled.items():
        target = data
        for k in p[:-1]:
            target = target[k]
        if row_tpl._alone(parts):
            target[p[-1]] = row_tpl.cell_value(parts[0].value(values))
        else:
            target[p[-1]] = "".join(x if isinstance(x, str) else x.render({"hang": row}) for x in parts)
    return data


@pytest.mark.parametrize("extra", ["", "{{ hang.ten | upper }}"])
def test_apply_copies_what_a_row_changes_and_shares_the_rest(extra):
    data = {"trich_yeu": "cho {{ hang.ten }} " + extra, "so": "{{ hang.so }}",
            "noi_nhan": ["Như trên", "Lưu"], "ky": {"ho_ten": "A", "chuc_vu": "B"},
            "phu_luc": [{"tieu_de": "X", "bang": {"dong": [{"so_lieu": {"kp": "{{ hang.kp }}"}}, {"so_lieu": {"kp": 1}}]}}]}
    t = row_tpl.RowTemplate(data, ["ten", "so", "kp", "ky.ho_ten"], set(model.Draft.model_fields))
    assert (t._text_columns is None) == bool(extra)  # a template of its own reads every column
    for values in ({"ten": "Xã <Một>", "so": 12, "kp": "7", "ky.ho_ten": ""},
                   {"ten": "Xã Hai", "so": "13", "kp": 8, "ky.ho_ten": "Nguyễn Văn B"}):
        got = t.apply(values)
        want = _reference_apply(t, values)
        if values["ky.ho_ten"]:
            want["ky"]["ho_ten"] = values["ky.ho_ten"]
        assert got == want
        assert got["noi_nhan"] is data["noi_nhan"]  # untouched: shared with the draft
        assert got["phu_luc"][0]["bang"]["dong"][1] is data["phu_luc"][0]["bang"]["dong"][1]
        assert (got["ky"] is data["ky"]) == (not values["ky.ho_ten"])
    assert data["so"] == "{{ hang.so }}" and data["ky"]["ho_ten"] == "A"  # the draft itself unchanged
    with pytest.raises(row_tpl.RowError) as ei:
        t.apply({"so": 1, "kp": 2})  # no column "ten": the same error as before
    assert "không có cột 'ten'" in str(ei.value) and ei.value.key == "trich_yeu"


def test_packed_outcomes_are_the_outcomes_appended():
    """A worker's chunk sent as the spool's own records (Outcomes.pack): the parent's
    outcomes, counts and order are those of appending each outcome."""
    made = [batch.Outcome(2, "a.docx", batch.OK, digest="d1"),
            None,  # a row not started (a stop): left out
            batch.Outcome(3, None, batch.FAILED, "Lỗi", key="ngay", notes=[["loi", "cột «ngay»", "sai"]]),
            batch.Outcome(4, "b.docx", batch.KEPT, batch.KEPT_MESSAGE)]
    one, packed = batch.Outcomes(), batch.Outcomes()
    for o in made:
        if o is not None:
            one.append(o)
    packed.extend_packed(batch.Outcomes.pack(made[:2]))
    packed.extend_packed(batch.Outcomes.pack([]))
    packed.extend_packed(batch.Outcomes.pack(made[2:]))
    assert list(packed) == list(one) and len(packed) == 3
    assert packed.counts == one.counts and packed.counts[batch.FAILED] == 1
    assert pickle.loads(pickle.dumps(batch.Outcomes.pack(made))).count == 3  # what the pool sends


def test_the_pool_is_not_woken_by_each_chunk(tmp_path, monkeypatch):
    """The worker-handler thread of the batch's pool wakes when a worker ends or the
    pool's state changes, not for every chunk a worker sends back (Python's own Pool
    does, looping until the chunk is read: CPU taken from the workers)."""
    from multiprocessing.pool import Pool

    calls = []
    stock = Pool._maintain_pool  # a staticmethod, called by the handler as Pool's own

    def counted(*args):
        calls.append(1)
        return stock(*args)

    monkeypatch.setattr(Pool, "_maintain_pool", staticmethod(counted))
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    with (tmp_path / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ten", "kinh_phi", "so", "ngay"])
        w.writerows([[f"Xã {i}", str(100 + i), str(i + 1), "2026-01-15"] for i in range(80)])
    r = batch.run(tmp_path / "draft.yaml", tmp_path / "data.csv", tmp_path / "out", name="{ten}", jobs=2)
    assert r.ok == 80
    # 80 rows go out as 40 chunks of 2; the handler woke a few times, not once a chunk.
    assert 1 <= len(calls) < 10, len(calls)


def test_chunks_shrink_towards_the_end():
    """The last chunks are smaller (the workers finish together), never below 4 rows
    but for what is left, and small batches keep their size."""

    def sizes(total: int, jobs: int) -> list[int]:
        chunk = max(1, min(32, total // (jobs * 16)))
        out: list[int] = []
        size = 0
        for i in range(1, total):
            if not out or out[-1] >= size:
                size = batch.span_size(chunk, total - i, jobs)
                out.append(0)
            out[-1] += 1
        return out

    big = sizes(3321, 2)
    assert sum(big) == 3320 and big[0] == 32 and big.count(32) > 90
    assert big[:-1] == sorted(big[:-1], reverse=True)  # never larger again (the last: what is left)
    assert 4 in big and min(big[:-1]) == 4 and len(big) < 3320 / 32 + 12
    assert sizes(70, 2) == [2] * 34 + [1]  # as before: a chunk of 2 is not split
