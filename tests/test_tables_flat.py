"""tables/plan._FlatRows: a plain table's rows compiled once, a batch row's rows
compared with them object for object in one pass. Wherever it answers, the same
figures as the row-by-row walk (_match_rows); wherever the walk says "not this
skeleton", it does not answer either; and a plan matching through it gives every
row the same figures as the skeleton's."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest

from drafter.tables import plan
from tests.test_tables_delta import _paths  # every path into a nested dict/list

ROWS = [{"noi_dung": "Đào tạo nghề", "dvt": "Đề án", "so_lieu": {"kinh_phi": "65"}},
        {"noi_dung": "Tập huấn", "dvt": "Đề án", "so_lieu": {"kinh_phi": 168, "so_luong": "2"}},
        {"noi_dung": "Hỗ trợ", "so_lieu": {}},
        {"noi_dung": "Phần hai"},
        {"noi_dung": "Mô hình", "dvt": "Đề án", "so_lieu": {"kinh_phi": ""}}]
TABLE = {"chi_tieu": [{"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}, {"ma": "so_luong", "ten": "Số lượng"}],
         "dong": ROWS, "tong_cong": True, "bang_chu": "kinh_phi"}
VALUES = [0, 1, True, 1.0, "1", "1.200", "", None, "abc", [1], {"a": 1}, Decimal("1.0"), "2,5", -3, "65", "Đề án"]


@pytest.fixture(autouse=True)
def _fresh():
    plan.clear()
    yield
    plan.clear()


def _row_of(rng: random.Random) -> list:
    """The base's rows as a batch row leaves them (copy on write: the containers on
    the way to a changed value copied, the rest the base's very objects), a value or
    two changed, added or removed, now and then a value equal to the base's but
    another object (or the same text another object)."""
    rows = copy.deepcopy(ROWS)
    for _ in range(rng.randint(0, 2)):
        p = rng.choice([p for p in _paths(rows) if p])
        parent = rows
        for k in p[:-1]:
            parent = parent[k]
        r = rng.random()
        if r < 0.75:
            parent[p[-1]] = copy.deepcopy(rng.choice(VALUES))
        elif r < 0.85 and isinstance(parent, dict):
            del parent[p[-1]]
        elif r < 0.9 and isinstance(parent, dict):  # a key renamed in place, its value kept
            old = p[-1]
            new = rng.choice(["so_lieu", "dvt", "noi_dung", "x", "kinh_phi", "so_luong"])
            if new not in parent:
                renamed = {new if k == old else k: v for k, v in parent.items()}
                parent.clear()
                parent.update(renamed)
        elif isinstance(parent, dict):
            parent[rng.choice(["so_lieu", "dvt", "x", "dong"])] = copy.deepcopy(rng.choice(VALUES + [[{"noi_dung": "a"}]]))
        else:
            parent.append(copy.deepcopy(rng.choice(VALUES)))

    def shared(base, now):
        if now == base and type(now) is type(base) and rng.random() < 0.9:
            if not isinstance(base, (dict, list)) or rng.random() < 0.5:
                return base
        if isinstance(now, dict) and isinstance(base, dict):
            return {k: shared(base[k], v) if k in base else v for k, v in now.items()}
        if isinstance(now, list) and isinstance(base, list):
            return [shared(b, v) for b, v in zip(base, now)] + now[len(base):]
        if isinstance(now, str) and now == base and rng.random() < 0.5:
            return "".join(list(now))  # equal, another object (a text written again)
        return now

    return shared(ROWS, rows)


def _walk(rows):
    figs: list = []
    try:
        return figs if plan._match_rows(ROWS, rows, figs) else None
    except Exception:  # noqa: BLE001 - a figure that does not parse: no match either way
        return "raises"


def _typed(figs):
    return [(type(x), str(x)) for x in figs]


def test_the_flat_rows_answer_as_the_walk_does():
    flat = plan._FlatRows(ROWS)
    rng = random.Random(1919)
    answered = 0
    for _ in range(5000):
        rows = _row_of(rng)
        walked = _walk(rows)
        try:
            found = flat.figures(rows)
        except Exception:  # noqa: BLE001
            found = "raises"
        if found is None:  # not answered: the walk decides
            continue
        answered += 1
        assert found == "raises" if walked == "raises" else _typed(found) == _typed(walked), rows
    assert answered > 500


def test_a_plan_matching_through_its_flat_rows_gives_each_row_the_skeletons_figures():
    p = plan.Plan(copy.deepcopy(TABLE), "triệu đồng", ("linh", "tư"))
    p.base = TABLE
    key = plan.skeleton(TABLE)[0]
    rng = random.Random(2026)
    matched = flat_used = 0
    for _ in range(5000):
        table = {**TABLE, "dong": _row_of(rng)}
        try:
            k, figs = plan.skeleton(table)
        except Exception:  # noqa: BLE001 - the whole way
            k, figs = None, None
        flat_used += p.flat is not None and p.flat is not False
        found = plan._match(p.base, table, p.match_rows)
        assert (found is not None) == (k == key), table
        walked = plan._match(TABLE, table)  # the walk alone, against the first base
        assert (walked is None) == (found is None) and (found is None or _typed(found) == _typed(walked))
        if found is not None:
            matched += 1
            assert _typed(found) == _typed(figs)
            p.base = table  # as computed() does
    assert matched > 500 and flat_used > 500


@pytest.mark.parametrize("rows", [
    [{"noi_dung": "A", "dong": [{"noi_dung": "A1", "so_lieu": {"kinh_phi": 1}}]}],  # rows of its own
    [{"noi_dung": "A", "so_lieu": [1, 2]}],  # figures by position
    [{"noi_dung": "A", "so_lieu": {"Năm 2025": [1, 2]}}],  # by group
    [{"noi_dung": "A", "so_lieu": "7"}],  # one figure alone
    ["a row of text"],
])
def test_other_tables_are_not_compiled(rows):
    with pytest.raises(ValueError):
        plan._FlatRows(rows)


def test_a_batch_of_rows_matches_through_the_flat_rows():
    """Rows made from one draft (the base's objects but their figures) are answered
    by the compiled rows, row after row: it is compiled once."""
    for i in range(3):  # the second time, a plan
        table = {**TABLE, "dong": [{**r, "so_lieu": {k: str(i) for k in r["so_lieu"]}} if "so_lieu" in r else r
                                   for r in ROWS]}
        plan.computed(table, unit="triệu đồng")
    p = next(iter(plan._RECENT.values()))[0]
    flat = p.flat
    assert flat
    for i in range(3, 50):
        table = {**TABLE, "dong": [{**r, "so_lieu": {k: str(i) for k in r["so_lieu"]}} if "so_lieu" in r else r
                                   for r in ROWS]}
        t = plan.computed(table, unit="triệu đồng")
        assert t.grand["kinh_phi"] == 3 * i
        assert p.flat is flat
