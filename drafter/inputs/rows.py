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

from operator import itemgetter
from typing import Any

import re

from jinja2 import StrictUndefined, TemplateError, meta, nodes
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
    if type(value) is str and "{" not in value:  # the common cell: cells.format gives it as it is
        return value
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


def _columns_read(text: str) -> tuple[str, ...]:
    """The columns a value's `{{ … }}` read (`hang.ten`, `hang["Tên cột"]`), in order."""
    found: list[str] = []
    for piece in _TOKEN.findall(text):
        try:
            tree = _ENV.parse(piece)
        except TemplateError:
            continue
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if not (isinstance(node.node, nodes.Name) and node.node.name == ROW_VAR):
                continue
            if isinstance(node, nodes.Getattr):
                found.append(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                found.append(node.arg.value)
    return tuple(dict.fromkeys(found))


def _related(a: tuple, b: tuple) -> bool:
    """One key path inside the other (or the same)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


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


def _find(data, path) -> Any:
    """The value at `path`, or None."""
    for k in path:
        if not isinstance(data, dict) or k not in data:
            return None
        data = data[k]
    return data


def _alone(parts: list) -> bool:
    """A value that is one `{{ hang.COT }}` alone (the cell's own value)."""
    return len(parts) == 1 and isinstance(parts[0], _Column)


class Filled(tuple):
    """The texts a row put into its copy of the draft (the tuple itself: each filled
    value that is a ``str``, a key column's cell or each line of it), and every value
    it placed, in the order of its template's :attr:`RowTemplate.placed` paths
    (:attr:`values`; None when key columns may set other keys too). What validation
    reads of a row instead of walking its copy (Loaded.made)."""

    def __new__(cls, texts: list[str], values: tuple | None, template: RowTemplate):
        self = super().__new__(cls, texts)
        self.values = values
        self.template = template
        return self


class RowTemplate:
    """The draft's data compiled once; `apply(row)` gives that row's draft data."""

    def __init__(self, data: dict, columns: list[str], draft_keys: set[str]):
        self.data = data
        self.paths = _templated_paths(data)
        self.compiled: dict[tuple, list] = {}
        self.sources: dict[tuple, tuple[tuple[str, ...], bool]] = {}
        for p in self.paths:
            try:
                parts = _compile_parts(_get(data, p))
            except TemplateError as exc:
                from ..template_words import words

                raise RowError(f"Biểu thức '{{{{ … }}}}' viết sai: {words(exc)}.", key=_key(p)) from None
            if any(not isinstance(x, str) for x in parts):
                self.compiled[p] = parts
                # Where each cell goes, for naming a cell in a problem of its value:
                # the columns read, and whether the value is one cell alone.
                alone = len(parts) == 1 and isinstance(parts[0], _Column)
                self.sources[p] = (_columns_read(_get(data, p)), alone)
        # Columns that set draft keys: top-level keys, or dotted paths into mappings.
        self.key_columns = [c for c in columns if c.split(".")[0] in draft_keys]
        self.columns = list(columns)
        # The templated paths as a tree (key -> subtree, or None for a value), walked in
        # the paths' own order: each container on the way copied once per row.
        self._tree: dict = {}
        for p in self.compiled:
            node = self._tree
            for k in p[:-1]:
                node = node.setdefault(k, {})
            node[p[-1]] = None
        # The same tree compiled for apply: each node a tuple of (key, child node or
        # None, the value's path, its parts, the column it is alone), so a row's walk
        # builds no path and looks nothing up by path.
        placed: list[tuple] = []
        self._nodes = self._compile_tree(self._tree, (), placed)
        # Every path a row places a value at, in the order apply places them.
        self.placed: tuple[tuple, ...] = tuple(placed)
        # The same walk flattened for apply (no call per container): each container on
        # the way, its maker and the draft's own object (a row's source is always the
        # draft's: nothing mutates it), each link child → parent, each value in order.
        self._sources: list[tuple[type, Any]] = []
        self._links: list[tuple[int, Any, int]] = []
        self._leaves: list[tuple[int, Any, tuple, list, str | None, bool]] = []
        self._flatten(self._nodes, data)
        self._under: dict[tuple, Any] = {}
        # The columns a row's text is needed of: those inside a longer text; every
        # column when a value runs a template of its own (it may read any).
        runs = any(not isinstance(x, (str, _Column)) for parts in self.compiled.values() for x in parts)
        self._text_columns: tuple[str, ...] | None = None if runs else tuple(dict.fromkeys(
            x.name for parts in self.compiled.values() if not _alone(parts) for x in parts
            if isinstance(x, _Column)))

    def _compile_tree(self, tree: dict, path: tuple, placed: list[tuple]) -> tuple:
        nodes = []
        for k, sub in tree.items():
            p = path + (k,)
            if sub is None:
                parts = self.compiled[p]
                nodes.append((k, None, p, parts, parts[0].name if _alone(parts) else None))
                placed.append(p)
            else:
                nodes.append((k, self._compile_tree(sub, p, placed), p, None, None))
        return tuple(nodes)

    def _flatten(self, nodes: tuple, source: Any) -> int:
        """:attr:`_sources`, :attr:`_links` and :attr:`_leaves` of the container
        `source` and the values under `nodes` (depth first, as apply places them);
        its index in :attr:`_sources`."""
        me = len(self._sources)
        self._sources.append((dict if isinstance(source, dict) else list, source))
        for k, sub, p, parts, column in nodes:
            if sub is not None:
                self._links.append((me, k, self._flatten(sub, source[k])))
            else:
                # A text of literal pieces and plain columns only: joined at once.
                joined = column is None and all(type(x) is str or type(x) is _Column for x in parts)
                self._leaves.append((me, k, p, parts, column, joined))
        return me

    def under(self, prefix: tuple) -> tuple[Any, tuple[tuple, ...], Any] | None:
        """The values a row places inside the value at `prefix` (a key path of the
        draft): what picks them from :attr:`Filled.values` (a tuple, in order), their
        paths relative to `prefix`, and the draft's own value there (which a row's is a
        copy of, those values placed). None when a row places the value at `prefix`
        itself or one holding it, when key columns may set keys, or when the draft has
        no container there. Worked out once per prefix."""
        found = self._under.get(prefix, self)
        if found is self:
            found = self._under[prefix] = self._find_under(prefix)
        return found

    def _find_under(self, prefix: tuple) -> tuple[Any, tuple[tuple, ...], Any] | None:
        n = len(prefix)
        if self.key_columns or any(p[:n] == prefix[:len(p)] for p in self.placed if len(p) <= n):
            return None
        value: Any = self.data
        for k in prefix:
            if not isinstance(value, (dict, list)) or (k not in value if isinstance(value, dict)
                                                      else not (type(k) is int and 0 <= k < len(value))):
                return None
            value = value[k]
        if not isinstance(value, (dict, list)):
            return None
        at = [i for i, p in enumerate(self.placed) if p[:n] == prefix]
        pick = itemgetter(*at) if len(at) > 1 else (lambda values, i=at[0]: (values[i],)) if at else (lambda values: ())
        return pick, tuple(self.placed[i][n:] for i in at), value

    def apply(self, values: dict[str, Any]) -> dict:
        return self.apply_made(values)[0]

    def apply_made(self, values: dict[str, Any]) -> tuple[dict, tuple[str, ...]]:
        """:meth:`apply`, and every text it put into the row's copy of :attr:`data` (each
        filled value that is a ``str``; a key column's cell, or each line of a list
        key's cell): the row's data is :attr:`data` with only those values placed (the
        containers on the way copied, a missing one on a key column's way made),
        what validation then scans instead of walking the copy (Loaded.made)."""
        # Copy on write: only the containers on the way to a value that changes are
        # copied; the rest of the draft is shared with every row (nothing mutates it).
        if self._text_columns is None:
            row = Row({k: cell_text(v) for k, v in values.items()})
        else:
            row = Row({k: cell_text(values[k]) for k in self._text_columns if k in values})
        texts: list[str] = []
        placed: list[Any] = []
        # Each container on the way copied once (the draft's own containers), linked
        # into its parent, then each value placed in order: what a walk of the
        # templated paths does, without a call per container.
        copies = [make(source) for make, source in self._sources]
        for parent, k, child in self._links:
            copies[parent][k] = copies[child]
        context = {ROW_VAR: row}
        for at, k, p, parts, column, joined in self._leaves:
            if column is not None and type(v := values.get(column)) is str and "{" not in v:
                copies[at][k] = v  # `{{ hang.COT }}` alone, a plain text: the cell_value of it, as it is
                texts.append(v)
                placed.append(v)
            elif joined:
                try:  # what each _Column renders: the row's cell text
                    v = "".join([x if type(x) is str else row[x.name] for x in parts])
                except KeyError:  # a column the sheet lacks: the error _value words
                    v = self._value(p, values, context, parts)
                copies[at][k] = v
                texts.append(v)
                placed.append(v)
            else:
                copies[at][k] = v = self._value(p, values, context, parts)
                if isinstance(v, str):
                    texts.append(v)
                placed.append(v)
        data = copies[0]
        if self.key_columns:  # the containers copied for this row (by id) matter only to them
            self._set_key_columns(data, values, set(map(id, copies)), texts)
            return data, Filled(texts, None, self)
        return data, Filled(texts, tuple(placed), self)

    def _value(self, p: tuple, values: dict, context: dict, parts: list | None = None) -> Any:
        if parts is None:
            parts = self.compiled[p]
        try:
            if _alone(parts):
                # `{{ hang.COT }}` alone is the cell's value itself (a number stays a
                # number): never written out as text to be parsed back.
                return cell_value(parts[0].value(values))
            return "".join([x if isinstance(x, str) else x.render(context) for x in parts])
        except BudgetError as exc:
            raise RowError(f"Biểu thức của giá trị {_key(p)} quá tốn ({str(exc).rstrip('.')}); "
                           "hàng này không được tạo văn bản.", key=_key(p)) from None
        except (TemplateError, TypeError, ValueError) as exc:
            known = f" Các cột có: {', '.join(self.columns)}." if "không có cột" in str(exc) else ""
            raise RowError(
                f"Không điền được giá trị ({_words(exc)}). Kiểm tra tên cột sau 'hang.'.{known}",
                key=_key(p)) from None

    def _set_key_columns(self, data: dict, values: dict[str, Any], copied: set[int], texts: list[str]) -> None:
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
            target[parts[-1]] = v = _column_value(parts[-1], value)
            if isinstance(v, str):
                texts.append(v)
            elif isinstance(v, list):
                texts += [x for x in v if isinstance(x, str)]

    def cells_of(self, path: tuple, values: dict[str, Any], message: str = "") -> tuple[list[str], bool]:
        """The columns whose cells in the row `values` made the value at `path` (a
        problem's key path), and whether that value is the cell alone (a column named
        like the key, or `{{ hang.COT }}` by itself). No column when the value is the
        draft's own, or when several columns could have made it (`message` naming a
        measure, “kinh_phi”, picks the one)."""
        if not path:
            return [], False
        for col in self.key_columns:  # a key column's non-empty cell sets the value itself
            if _related(path, tuple(col.split("."))):
                if values.get(col) not in (None, ""):
                    return [col], True
                if _find(self.data, tuple(col.split("."))) is None:  # empty, and nothing in the draft
                    return [col], True
        found = [(p, cols, alone) for p, (cols, alone) in self.sources.items() if cols and _related(path, p)]
        if len(found) > 1 and message:
            named = [f for f in found if isinstance(f[0][-1], str) and f"“{f[0][-1]}”" in message]
            found = named or found
        columns = list(dict.fromkeys(c for _, cols, _ in found for c in cols))
        if len(columns) != 1:
            return [], False
        return columns, all(alone for _, _, alone in found)


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


def _words(exc: BaseException) -> str:
    from ..template_words import words

    return words(exc)
