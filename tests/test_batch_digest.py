"""A row's digest is the one earlier versions wrote in the manifest (so --resume after
an upgrade still skips the unchanged rows): sha256 of the draft's and template's
digests, the row's values as sorted JSON, the sheets read and the layout."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from drafter import batch

from tests.batch_drafts import ONE_ROW_CONG_VAN as DRAFT


def _expected(plan: batch.Plan, values: dict, template: Path, electronic: bool = False) -> str:
    base = hashlib.sha256(json.dumps(plan.loaded.data, sort_keys=True, ensure_ascii=False, default=str).encode()
                          ).hexdigest()
    t = hashlib.sha256(template.read_bytes()).hexdigest()
    row = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    layout = "|dien-tu" if electronic else ""
    return hashlib.sha256(f"{base}|{t}|{row}|{layout}".encode()).hexdigest()[:32]


def test_digest_is_the_earlier_formula(tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text(DRAFT, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("ten,kinh_phi\nXã A,1\n\"Phường \"\"B\"\"\",2\n", encoding="utf-8")
    result = batch.run(draft, data, tmp_path / "out", jobs=1)
    assert result.ok == 2
    loaded = batch.api.load(draft)
    plan = batch.Plan(loaded, ["ten"], tmp_path, tmp_path, "d.csv", False)
    template = batch.api.find_template("cong-van", tmp_path)
    rows = [{"ten": "Xã A", "kinh_phi": "1"}, {"ten": 'Phường "B"', "kinh_phi": "2"},
            {"ten": "Đ\n\\\u2028", "n": 3, "x": Decimal("1.50"), "d": dt.date(2026, 1, 2), "f": 0.1, "e": None}]
    for values in rows:
        assert plan.digest(values, template) == _expected(plan, values, template)
    plan.electronic = True
    assert plan.digest(rows[0], template) == _expected(plan, rows[0], template, electronic=True)
    # The manifest holds these very digests: a resume skips both rows.
    written = {e["row"]: e["digest"] for e in batch.manifest_entries(tmp_path / "out")}
    plan.electronic = False
    assert written[2] == plan.digest(rows[0], template) and written[3] == plan.digest(rows[1], template)
    again = batch.run(draft, data, tmp_path / "out", jobs=1, resume=True)
    assert again.skipped == 2


def test_row_json_is_jsons_own():
    import random

    ref = lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)  # noqa: E731
    row_json = batch._RowJson()
    names = ["ma", "ten", "Tên cột", "b", "a", "é", "Z", 'k"q', "x\ny"]
    cols: list[str] = []
    for i in range(3000):
        r = random.Random(i)
        if i % 300 == 0:  # another sheet's columns, in another order
            cols = r.sample(names, r.randint(0, 7))
        values = {c: r.choice([None, "", 'Hà "Nội"\n\\', "".join(chr(r.randint(0, 0x2FFF)) for _ in range(6)),
                               r.randint(-5, 5), 1.5, Decimal("2.50"), dt.date(2026, 1, 2), True]) for c in cols}
        assert row_json(values) == ref(values), values
    assert row_json({1: "a", 2: "b"}) == ref({1: "a", 2: "b"})
