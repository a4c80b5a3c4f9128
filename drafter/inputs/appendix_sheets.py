"""Appendix tables kept in sheets (`phu_luc[i].bang: kinh-phi.xlsx`), read while the
draft is loaded, as presets are.

The typed table (`tables.model.Bang`, each row with the sheet row it came from) takes
the file name's place in the loaded data, so nothing downstream opens a file. A sheet
that cannot be used keeps its name there (validation then knows the table failed) and
adds its problems, at the sheet's file and row, to the loaded draft's problems. A batch passes one cache for all its rows: every
sheet is read once per batch, even when a row's column names the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Position, Problem, WARNING
from .yamlfile import Loaded, key_name

Cache = dict  # (resolved path, spec) → Bang or list of TableProblem


def is_sheet_reference(value: Any) -> bool:
    """`bang: kp.csv` or `bang: {tep: kp.xlsx, trang: …}`: a table kept in a file."""
    return isinstance(value, str) or (isinstance(value, Mapping) and "tep" in value)


def read(loaded: Loaded, base_dir: Path | None, cache: Cache | None = None) -> Loaded:
    """`loaded` with every sheet its appendices name read into a typed table.

    A file name still holding `{{ … }}` (filled per batch row) is left for the row.
    """
    items = loaded.data.get("phu_luc")
    if not isinstance(items, list) or not any(
        isinstance(pl, Mapping) and _readable(pl.get("bang")) for pl in items
    ):
        return loaded
    cache = {} if cache is None else cache
    problems: list[Problem] = []
    new_items = list(items)
    for i, pl in enumerate(items):
        if not (isinstance(pl, Mapping) and _readable(pl.get("bang"))):
            continue
        table, table_problems = _read_one(pl["bang"], base_dir, cache)
        problems += [place(loaded, i, p) for p in table_problems]
        if table is not None:
            new_items[i] = {**pl, "bang": table}
            problems += [Problem(f"Phụ lục {i + 1}: {note}", Position(table.source_file), severity=WARNING)
                         for note in table.warnings]
    data = dict(loaded.data)
    data["phu_luc"] = new_items
    return Loaded(loaded.file, data, loaded.origins, [*loaded.problems, *problems])


def _readable(value: Any) -> bool:
    if not is_sheet_reference(value):
        return False
    name = value if isinstance(value, str) else value.get("tep")
    return not (isinstance(name, str) and "{{" in name)


def _read_one(value: Any, base_dir: Path | None, cache: Cache):
    from . import table_sheets as readers
    from ..tables.model import TableError

    name = value if isinstance(value, str) else str(value.get("tep"))
    path = Path(name)
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    key = (str(path.resolve()), repr(sorted(value.items())) if isinstance(value, Mapping) else "")
    if key not in cache:
        try:
            cache[key] = readers.load_table(value, base_dir=base_dir)
        except TableError as exc:
            cache[key] = exc.problems
    found = cache[key]
    return (None, found) if isinstance(found, list) else (found, [])


def place(loaded: Loaded, index: int, p) -> Problem:
    """A table problem at its place: a line of the draft, or a row of the sheet."""
    where = f"Phụ lục {index + 1}"
    detail = p.message
    if p.row:
        detail = f"dòng {p.row}: {detail}"
    if p.expected is not None and p.found is not None:
        from ..rules.numbers import format_number

        detail += f" (đúng là {format_number(p.expected)}, bảng ghi {format_number(p.found)})"
    if p.file and p.line:
        return Problem(f"{where}: {detail}", Position(p.file, p.line), key=p.column or p.key)
    if p.file:  # the sheet as a whole (missing, unreadable): fixed where the draft names it
        path = ("phu_luc", index, "bang")
        return Problem(f"{where}: {p.file}: {detail}", loaded.position(path), key=key_name(path))
    path = ("phu_luc", index, "bang", *p.path)
    return Problem(f"{where}: {detail}", loaded.position(path), key=key_name(path))
