"""Merging presets and drafts: later wins, mappings merge key by key.

A list replaces the inherited list, unless it contains the item `...`, which stands
for the inherited items at that place: `noi_nhan: [..., Sở Tài chính]` appends,
`[Như trên, ...]` prepends; an inherited single text counts as a list of one.
Positions follow the values they belong to. `...` is kept through the merges of
presets, so that a later preset can extend an earlier one's list, and dropped at the
end (see `presets.resolve`).
"""

from __future__ import annotations

from typing import Any

from ..errors import Position
from .yamlfile import KeyPath, Loaded

INHERIT = "..."


def _copy_prefix(src: dict, prefix: KeyPath, dst: dict, new_prefix: KeyPath | None = None) -> None:
    n = len(prefix)
    for path, pos in src.items():
        if path[:n] == prefix:
            dst[(new_prefix if new_prefix is not None else prefix) + path[n:]] = pos


def _merge(b: Any, o: Any, path: KeyPath, bo: dict, oo: dict, out: dict) -> Any:
    if isinstance(b, dict) and isinstance(o, dict):
        result = {}
        for k, v in b.items():
            if k not in o:
                result[k] = v
                _copy_prefix(bo, path + (k,), out)
        for k, v in o.items():
            if k in b:
                result[k] = _merge(b[k], v, path + (k,), bo, oo, out)
            else:
                result[k] = v
                _copy_prefix(oo, path + (k,), out)
        if path in oo:
            out[path] = oo[path]
        elif path in bo:
            out[path] = bo[path]
        return result
    if isinstance(o, list) and INHERIT in o:
        # A single inherited text (`kinh_gui: Các Sở`) is a list of one item.
        single = isinstance(b, str)
        inherited = [b] if single else (b if isinstance(b, list) else [])
        result = []
        for i, item in enumerate(o):
            if item == INHERIT:
                for j, bi in enumerate(inherited):
                    if single and path in bo:
                        out[path + (len(result),)] = bo[path]
                    else:
                        _copy_prefix(bo, path + (j,), out, path + (len(result),))
                    result.append(bi)
            else:
                _copy_prefix(oo, path + (i,), out, path + (len(result),))
                result.append(item)
        if path in oo:
            out[path] = oo[path]
        return result
    _copy_prefix(oo, path, out)
    return o


def merge(base: Loaded, over: Loaded) -> Loaded:
    origins: dict[KeyPath, Position] = {}
    data = _merge(base.data, over.data, (), base.origins, over.origins, origins)
    origins[()] = over.origins.get((), Position(over.file))
    return Loaded(over.file, data, origins, [*base.problems, *over.problems])


def strip_inherit(data: Any) -> Any:
    """Drop `...` markers left with nothing to inherit (a draft without presets)."""
    if isinstance(data, dict):
        return {k: strip_inherit(v) for k, v in data.items()}
    if isinstance(data, list):
        return [strip_inherit(v) for v in data if v != INHERIT]
    return data
