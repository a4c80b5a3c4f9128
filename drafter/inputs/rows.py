"""One draft per row: a row's columns fill `{{ hang.COT }}` in string values, and a
column named like a draft key (`so`, `ngay`, `kinh_gui`, `ky.ho_ten`…) sets that key.

Templating is sandboxed: a row's text is data, never code or markup. Only the
columns of `hang` can be read — no attribute access, no imports, no filters with
side effects — and whatever a cell says is inserted as text (the document renderer
escapes it later).

A row is typed data: a value that is `{{ hang.COT }}` alone, and a column named like
a key, take the cell's own value (an Excel number stays a number, a date a date),
which the model validates like any value of the draft; only a cell inside a longer
text is written out, the Vietnamese way (`1.234,5`, `13/12/2019`).
"""

from __future__ import annotations

from typing import Any

import re

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..rules import cells
from ..sandbox import BoundedSandbox, BudgetError

ROW_VAR = "hang"


class Row(dict):
    """A row's cells by column name; the only thing a value's template can read."""


class _Env(BoundedSandbox, ImmutableSandboxedEnvironment):
    # BoundedSandbox: no constant folding, sizes and loops bounded (drafter/sandbox.py).
    text_share = 64  # one value, not a whole document
    def getattr(self, obj, attribute):
        # `hang.ten` reads the column "ten", even one named like a dict method ("items").
        if isinstance(obj, Row):
            if attribute in obj:
                return obj[attribute]
            return self.undefined(hint=f"bảng dữ liệu không có cột '{attribute}'", obj=obj, name=attribute)
        return self.unsafe_undefined(obj, attribute)

    def is_safe_attribute(self, obj, attr, value):  # noqa: D401
        return False  # nothing but a row's columns is reachable

    def is_safe_callable(self, obj):
        return False


_ENV = _Env(autoescape=False, undefined=StrictUndefined)


class RowError(ValueError):
    def __init__(self, message: str, key: str | None = None, column: str | None = None):
        super().__init__(message)
        self.key = key
        self.column = column


def cell_text(value: Any) -> str:
    """A cell inside a text (Vietnamese numbers and dates); a cell's own `{{` stays text."""
    text = cells.format(value)
    if "{" not in text:
        return text
    from ..figures import neutralise

    return neutralise(text, edges=True)  # nor joins with its neighbours into one


def cell_value(value: Any) -> Any:
    """A cell standing for a whole value: typed (int, Decimal, date) as the sheet gave
    it, so the model reads the number or date itself; text as in :func:`cell_text`."""
    return cell_text(value) if isinstance(value, str) or value is None else value


_TOKEN = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)


_PLAIN_COLUMN = re.compile(r"\{\{\s*" + ROW_VAR + r"\.([A-Za-z_]\w*)\s*\}\}")


class _Column:
    """`{{ hang.COLUMN }}` without filters: the cell's text, or the same error as Jinja's."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def render(self, context: dict) -> str:
        return self.value(context[ROW_VAR])

    def value(self, row: dict) -> Any:
        if self.name not in row:
            raise TemplateError(f"bảng dữ liệu không có cột '{self.name}'")
        return row[self.name]


def _compile_parts(text: str) -> list:
    """Literal text and compiled `{{ … }}` tokens that read the row. Tokens naming
    anything else (a table's figures: `{{ phu_luc[0].tong… }}`) are left for the
    later pass that knows those figures."""
    parts: list = []
    for piece in _TOKEN.split(text):
        if not piece:
            continue
        if _TOKEN.fullmatch(piece):
            plain = _PLAIN_COLUMN.fullmatch(piece)
            if plain:  # the common `{{ hang.ten }}`: a lookup, no template to run per row
                parts.append(_Column(plain.group(1)))
                continue
            names = meta.find_undeclared_variables(_ENV.parse(piece))
            if names and names <= {ROW_VAR} or piece.startswith("{%"):
                parts.append(_ENV.from_string(piece))
                continue
        parts.append(piece)
    return parts


def _templated_paths(data: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _templated_paths(v, path + (k,))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _templated_paths(v, path + (i,))]
    if isinstance(data, str) and ("{{" in data or "{%" in data):
        return [path]
    return []


def _get(data, path):
    for k in path:
        data = data[k]
    return data


def _set_cow(data, path, value, copied: set[int]):
    """Set `value` at `path`, copying each container on the way once (ids in `copied`)."""
    for k in path[:-1]:
        child = data[k]
        if id(child) not in copied:
            child = dict(child) if isinstance(child, dict) else list(child)
            copied.add(id(child))
            data[k] = child
        data = child
    data[path[-1]] = value


class RowTemplate:
    """The draft's data compiled once; `apply(row)` gives that row's draft data."""

    def __init__(self, data: dict, columns: list[str], draft_keys: set[str]):
        self.data = data
        self.paths = _templated_paths(data)
        self.compiled: dict[tuple, list] = {}
        for p in self.paths:
            try:
                parts = _compile_parts(_get(data, p))
            except TemplateError as exc:
                raise RowError(f"Biểu thức '{{{{ … }}}}' viết sai: {exc}.", key=_key(p)) from None
            if any(not isinstance(x, str) for x in parts):
                self.compiled[p] = parts
        # Columns that set draft keys: top-level keys, or dotted paths into mappings.
        self.key_columns = [c for c in columns if c.split(".")[0] in draft_keys]

    def apply(self, values: dict[str, Any]) -> dict:
        # Copy on write: only the containers on the way to a value that changes are
        # copied; the rest of the draft is shared with every row (nothing mutates it).
        data = dict(self.data)
        copied: set[int] = {id(data)}
        row = Row({k: cell_text(v) for k, v in values.items()})
        context = {ROW_VAR: row}
        for p, parts in self.compiled.items():
            try:
                if len(parts) == 1 and isinstance(parts[0], _Column):
                    # `{{ hang.COT }}` alone is the cell's value itself (a number stays a
                    # number): never written out as text to be parsed back.
                    _set_cow(data, p, cell_value(parts[0].value(values)), copied)
                    continue
                _set_cow(data, p, "".join(x if isinstance(x, str) else x.render(context) for x in parts), copied)
            except BudgetError as exc:
                raise RowError(f"Biểu thức của giá trị {_key(p)} quá tốn ({str(exc).rstrip('.')}); "
                               "hàng này không được tạo văn bản.", key=_key(p)) from None
            except (TemplateError, TypeError, ValueError) as exc:
                raise RowError(
                    f"Không điền được giá trị ({str(exc).rstrip('.')}). Kiểm tra tên cột sau 'hang.'.", key=_key(p)
                ) from None
        for col in self.key_columns:
            value = values.get(col)
            if value is None or value == "":
                continue
            parts = col.split(".")
            target = data
            for k in parts[:-1]:
                child = target.get(k)
                if child is None:
                    child = {}
                if not isinstance(child, dict):
                    raise RowError(f"Cột '{col}' không khớp với cấu trúc bản thảo.", key=col, column=col)
                if id(child) not in copied:
                    child = dict(child)
                    copied.add(id(child))
                target[k] = child
                target = child
            target[parts[-1]] = _column_value(parts[-1], value)
        return data


LIST_KEYS = {"kinh_gui", "noi_nhan", "luu", "can_cu", "dieu", "dung"}


def _column_value(key: str, value: Any) -> Any:
    """A column named like a key sets it to the cell's value, typed as the sheet gave
    it; a list key takes one item per line of the cell. Its text stays text, like a
    cell's in a value (:func:`cell_value`): `{{ phu_luc… }}` in it is never read."""
    if isinstance(value, str) and key in LIST_KEYS and "\n" in value:
        return [cell_value(ln.strip()) for ln in value.splitlines() if ln.strip()]
    return cell_value(value)


def _key(path: tuple) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out
