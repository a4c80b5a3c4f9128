"""The batch's manifest, written in one pass over the outcomes: manifest.json is the
layout --resume reads line by line and what json.dumps gives of each part,
manifest.csv what csv.writer gives; each file is read back and compared with what
was written (CRC-32 and size) before it replaces the earlier one."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict

import pytest
from lying_files import LyingWriter, one_bit_flipped

from drafter import batch
from drafter.package import atomic
from drafter.package.atomic import OutputIncompleteError

TEXTS = ["", "không đổi", 'dấu "ngoặc" và \\ gạch', "dòng một\ndòng hai\r\nba", "tab\tở giữa, phẩy; chấm",
         "\u00a0cách\u2028dòng", "emoji 🙂 và ký tự \u0001", "Ủy ban nhân dân xã Thạch Hà"]


def _outcomes(n: int) -> list[batch.Outcome]:
    out = []
    for i in range(n):
        text = TEXTS[i % len(TEXTS)]
        notes = [] if i % 3 else [[batch.WARNING, f"cột «ten» (ô B{i + 2})", text or "ghi chú"],
                                   [batch.ERROR, "", "lỗi " + text]][: 1 + i % 2]
        status = (batch.OK, batch.FAILED, batch.SKIPPED, batch.KEPT)[i % 4]
        out.append(batch.Outcome(i + 2, None if status == batch.FAILED else f"{i:05d}-{text[:5]}.docx", status,
                                 message=text if i % 5 else "", key=None if i % 2 else "trich_yeu",
                                 digest="" if i % 7 == 0 else f"{i:032x}", notes=notes))
    return out


def _expected(result: batch.BatchResult, draft: str, data: str) -> tuple[str, bytes]:
    """manifest.json and manifest.csv as json.dumps and csv.writer write them."""
    head = {"draft": draft, "data": data, "ok": result.ok, "failed": result.failed, "skipped": result.skipped,
            "kept": result.kept, "interrupted": result.interrupted}
    rows = [json.dumps(asdict(o), ensure_ascii=False) for o in result.outcomes]
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "rows": [' + \
        ",".join("\n  " + r for r in rows) + "\n ]\n}"
    f = io.StringIO(newline="")
    w = csv.writer(f)
    w.writerow(["hang", "tep", "trang_thai", "thong_bao"])
    for o in result.outcomes:
        warnings = " | ".join(f"cảnh báo: {p}: {t}" if p else f"cảnh báo: {t}"
                              for s, p, t in o.notes if s == batch.WARNING)
        w.writerow([o.row, o.file or "", o.status, o.message or warnings])
    return text, "\ufeff".encode() + f.getvalue().encode()


@pytest.mark.parametrize("n", [0, 1, 7, batch.MANIFEST_BLOCK, 2 * batch.MANIFEST_BLOCK + 5])
@pytest.mark.parametrize("spooled", [True, False])
def test_the_manifest_is_jsons_and_csvs_own_text(tmp_path, n, spooled):
    made = _outcomes(n)
    outcomes = batch.Outcomes(made) if spooled else made
    result = batch.BatchResult(outcomes, tmp_path, 1.0, interrupted=n % 2 == 1)
    batch.write_manifest(result, "nháp “một”.yaml", "dữ-liệu.csv")
    text, table = _expected(result, "nháp “một”.yaml", "dữ-liệu.csv")
    assert (tmp_path / batch.MANIFEST_JSON).read_text(encoding="utf-8") == text
    assert (tmp_path / batch.MANIFEST_CSV).read_bytes() == table
    assert json.loads(text)["rows"] == [asdict(o) for o in made]
    assert list(batch.manifest_entries(tmp_path)) == [asdict(o) for o in made]  # --resume's reading


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_manifest_not_read_back_as_written_replaces_nothing(tmp_path, monkeypatch, suffix):
    """A byte changed on its way to the disk (the size is right, the tail too): the
    file written is refused when read back and the earlier one stays whole (manifest.json
    is published first: a refused one leaves the earlier manifest.csv too)."""
    result = batch.BatchResult(batch.Outcomes(_outcomes(50)), tmp_path, 1.0)
    batch.write_manifest(result, "d.yaml", "x.csv")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_fdopen, real_create, names = os.fdopen, atomic._create_temp, {}

    def create(directory, name, tag=None):
        fd, tmp = real_create(directory, name, tag)
        names[fd] = name
        return fd, tmp

    def fdopen(fd, *a, **k):
        f = real_fdopen(fd, *a, **k)
        return LyingWriter(f, one_bit_flipped) if names.get(fd, "").endswith(suffix) else f

    monkeypatch.setattr(atomic, "_create_temp", create)
    monkeypatch.setattr(atomic.os, "fdopen", fdopen)
    changed = batch.BatchResult(batch.Outcomes(_outcomes(60)), tmp_path, 1.0)
    with pytest.raises(OutputIncompleteError) as err:
        batch.write_manifest(changed, "d.yaml", "x.csv")
    assert "đọc lại khác" in err.value.message and err.value.path.endswith(suffix)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after.keys() == before.keys()  # no temporary file left
    assert after[f"manifest{suffix}"] == before[f"manifest{suffix}"]
    if suffix == ".json":
        assert after == before
    monkeypatch.undo()
    batch.write_manifest(changed, "d.yaml", "x.csv")
    assert len(json.loads((tmp_path / batch.MANIFEST_JSON).read_text("utf-8"))["rows"]) == 60


def test_the_check_reads_what_is_on_disk(tmp_path):
    """_Written.verify: the same bytes pass; one byte changed, one missing or one more do not."""
    written = batch._Written()
    with open(tmp_path / "f", "wb") as f:
        for part in (b"x" * 100, "chữ Việt".encode(), b"y" * (3 << 20)):
            written.write(f, part)
    data = (tmp_path / "f").read_bytes()
    written.verify(str(tmp_path / "f"))
    for bad in (data[:-1], data + b"\n", data[:50] + b"z" + data[51:]):
        (tmp_path / "f").write_bytes(bad)
        with pytest.raises(ValueError):
            written.verify(str(tmp_path / "f"))


def test_a_manifest_row_is_json_dumps_of_its_entry():
    """_manifest_row writes the usual fields itself: json.dumps' text for those and for
    anything else an earlier manifest carried over (numbers as text, None, objects)."""
    import itertools

    values = {
        "row": [2, 10**20, -1, True, "7", 3.5],
        "file": [None, "a.docx", 'b "c".docx', 5],
        "status": ["ok", "loi", None],
        "message": ["", "dòng\nmột \\ “hai” \u2028 \x7f", None, ["x"]],
        "key": [None, "phu_luc[0].bang", 1],
        "digest": ["", "0" * 32, None],
        "notes": [[], [["canh-bao", "cột «ten» (ô B2)", "chữ \"lạ\""]], [[1, None, 2.5]], {"a": 1}, None],
    }
    for combo in itertools.product(*values.values()):
        entry = dict(zip(values, combo))
        assert batch._manifest_row(tuple(combo)) == json.dumps(entry, ensure_ascii=False), combo
