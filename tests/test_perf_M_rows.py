"""RowTemplate.apply_made's flattened walk against the recursive walk it replaced:
the same data (values, containers copied, shared objects), the same texts and placed
values, the same errors, on random drafts and rows."""

import random

import pytest

from drafter.inputs import rows
from drafter.inputs.rows import ROW_VAR, Filled, Row, RowError, RowTemplate, cell_text


def _walk(t: RowTemplate, nodes, source, values, context, copied, texts, placed):
    """The walk apply_made did before (one call per container), kept as the reference."""
    data = dict(source) if isinstance(source, dict) else list(source)
    if copied is not None:
        copied.add(id(data))
    for k, sub, p, parts, column in nodes:
        if sub is not None:
            data[k] = _walk(t, sub, source[k], values, context, copied, texts, placed)
        elif column is not None and type(v := values.get(column)) is str and "{" not in v:
            data[k] = v
            texts.append(v)
            placed.append(v)
        else:
            data[k] = v = t._value(p, values, context, parts)
            if isinstance(v, str):
                texts.append(v)
            placed.append(v)
    return data


def _reference(t: RowTemplate, values):
    if t._text_columns is None:
        row = Row({k: cell_text(v) for k, v in values.items()})
    else:
        row = Row({k: cell_text(values[k]) for k in t._text_columns if k in values})
    copied = set() if t.key_columns else None
    texts, placed = [], []
    data = _walk(t, t._nodes, t.data, values, {ROW_VAR: row}, copied, texts, placed)
    if copied is not None:
        t._set_key_columns(data, values, copied, texts)
        return data, list(texts), None
    return data, list(texts), tuple(placed)


COLUMNS = ["a", "b", "c", "ky.ho_ten", "so"]
LEAVES = ["{{ hang.a }}", "{{ hang.b }}", "x {{ hang.a }} y {{ hang.c }}", "plain", 5, None,
          "{{ hang.a | upper }}", "{{ phu_luc[0].tong.x }} {{ hang.b }}", "{{ hang.missing }}", "{{ hang.c }}",
          "a {{ hang.missing }} b", "{{ hang.b }}{{ hang.c }}"]


def _draft(rng: random.Random, depth: int = 0, shared: list | None = None):
    shared = shared if shared is not None else []
    if depth > 3 or rng.random() < 0.3:
        if shared and rng.random() < 0.15:
            return rng.choice(shared)  # a YAML alias: the same object at two places
        return rng.choice(LEAVES)
    if rng.random() < 0.6:
        value = {f"k{i}": _draft(rng, depth + 1, shared) for i in range(rng.randint(0, 4))}
    else:
        value = [_draft(rng, depth + 1, shared) for _ in range(rng.randint(0, 4))]
    shared.append(value)
    return value


CELLS = ["x", "", "{{ phu_luc }}", "a{", 7, None, "dòng 1\ndòng 2"]


def _same_shape(a, b, ids_a: dict, ids_b: dict) -> bool:
    """Equal, and the same pattern of shared containers."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (dict, list)):
        if ids_a.setdefault(id(a), len(ids_a)) != ids_b.setdefault(id(b), len(ids_b)):
            return False
        pairs = zip(a.values(), b.values()) if isinstance(a, dict) else zip(a, b)
        if len(a) != len(b) or (isinstance(a, dict) and list(a) != list(b)):
            return False
        return all(_same_shape(x, y, ids_a, ids_b) for x, y in pairs)
    return a == b


@pytest.mark.parametrize("seed", range(300))
def test_flat_walk_is_the_recursive_walk(seed):
    rng = random.Random(seed)
    data = {"noi_dung": _draft(rng), "phu_luc": [_draft(rng)], "ky": {"ho_ten": "{{ hang.b }}", "tm": "T"}}
    if rng.random() < 0.3:
        data["trich_yeu"] = data["phu_luc"]  # shared at the top
    columns = rng.sample(COLUMNS, rng.randint(1, len(COLUMNS)))
    t = RowTemplate(data, columns, set(data) | {"so", "ky"})
    for _ in range(5):
        values = {c: rng.choice(CELLS) for c in columns}
        try:
            want = _reference(t, values)
        except RowError as exc:
            with pytest.raises(RowError) as got:
                t.apply_made(values)
            assert (str(got.value), got.value.key) == (str(exc), exc.key)
            continue
        got, filled = t.apply_made(values)
        assert isinstance(filled, Filled)
        assert _same_shape(got, want[0], {}, {})
        assert list(filled) == want[1] and filled.values == want[2]
        # The draft's own containers are never handed out, nor changed.
        assert got is not t.data
        assert _same_shape(t.data, data, {}, {})


def test_no_templated_value_copies_the_top():
    t = RowTemplate({"a": {"b": 1}}, ["x"], set())
    got, filled = t.apply_made({"x": "1"})
    assert got == {"a": {"b": 1}} and got is not t.data and got["a"] is t.data["a"]
    assert list(filled) == [] and filled.values == ()



def _cell_text_before(value):
    from drafter.figures import neutralise
    from drafter.rules import cells

    text = cells.format(value)
    return text if "{" not in text else neutralise(text, edges=True)


@pytest.mark.parametrize("value", ["", "x", "Phường Ba Đình", "{", "a{", "{{ phu_luc[0] }}", "}}", " {{ x", 0, 5,
                                   True, None, 1.5, "dòng\nhai"])
def test_cell_text_fast_path(value):
    assert cell_text(value) == _cell_text_before(value)
    if type(value) is str and "{" not in value:
        assert cell_text(value) is value
