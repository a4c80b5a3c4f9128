"""Finding presets by name: beside the draft, then the user's folder, then built in.

A preset is a partial draft. Presets may name other presets in `dung`; they are
merged first, in order, and a cycle is an error that names the files in it.

Merge order (documented for office staff in docs/huong-dan-van-thu.md, section 4):
a file's `dung` list is applied as layers, first to last, and the file itself goes
on top. A later layer overrides an earlier one key by key; a list replaces the
inherited list unless it holds the item `...`, which splices in the list inherited
from everything beneath it. So with `dung: [g1, g2]`, `noi_nhan: [..., C]` in g2
extends g1's list, and the draft's own `...` splices everything merged from its
`dung`. A preset's own `dung` is expanded in place (`[g1, g2]` where g2 uses x reads
as g1, x, g2), which is the same thing because merging is associative. A `...` is
therefore kept while layers are merged and dropped only once the outermost file is
resolved, where nothing is left to inherit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..errors import Problem
from . import merge as merging
from . import yamlfile
from .yamlfile import Loaded

_NAME = re.compile(r"^[\w][\w.-]*$")
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    label: str  # shown to users: where a preset comes from
    folder: Path


def user_folder() -> Path:
    override = os.environ.get("DRAFTER_USER_DIR")
    if override:
        return Path(override) / "presets"
    import platformdirs  # only without DRAFTER_USER_DIR: no part of start-up where it is set

    base = Path(platformdirs.user_config_dir("drafter"))
    return base / "presets"


def search_path(draft_dir: Path | None) -> list[Source]:
    sources = []
    if draft_dir is not None:
        sources.append(Source("cạnh bản thảo", Path(draft_dir) / "presets"))
    sources.append(Source("của người dùng", user_folder()))
    sources.append(Source("có sẵn", resources.presets_dir()))
    return sources


def available(draft_dir: Path | None) -> list[tuple[str, Source, Path]]:
    """Every preset name visible from `draft_dir`, first match wins, in search order."""
    seen: dict[str, tuple[str, Source, Path]] = {}
    for src in search_path(draft_dir):
        if not src.folder.is_dir():
            continue
        for p in sorted(src.folder.iterdir()):
            if p.suffix in SUFFIXES and p.is_file() and p.stem not in seen:
                seen[p.stem] = (p.stem, src, p)
    return list(seen.values())


def find(name: str, draft_dir: Path | None) -> Path | None:
    if not _NAME.match(name) or ".." in name:
        return None
    for src in search_path(draft_dir):
        for suffix in SUFFIXES:
            p = src.folder / f"{name}{suffix}"
            if p.is_file():
                return p
    return None


def _names(value, loaded: Loaded, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append(
            Problem(
                "'dung' phải là tên một mẫu hoặc danh sách tên mẫu, ví dụ: dung: [ubnd-tinh-ha-tinh].",
                loaded.position(("dung",)),
                key="dung",
            )
        )
        return []
    return names


def resolve(loaded: Loaded, draft_dir: Path | None, _stack: tuple[str, ...] = ()) -> Loaded:
    """`loaded` with the presets it names (recursively) merged underneath it, with
    every `...` that found nothing to inherit dropped."""
    merged = _layers(loaded, draft_dir, _stack, {})
    merged.data = merging.strip_inherit(merged.data)
    return merged


def _layers(loaded: Loaded, draft_dir: Path | None, _stack: tuple[str, ...],
            done: dict[str, Loaded]) -> Loaded:
    """`loaded` over its presets, `...` kept so that a layer above can still splice.
    A preset that cannot be found (or that names itself) is a problem of the draft;
    the others are merged, so validation still reports every other mistake.

    Each preset file is read and resolved once per draft (`done`), and a name listed
    twice in one `dung` is merged once: presets naming each other many times over
    cost one load each, never one per path through them."""
    problems: list[Problem] = []
    names = _names(loaded.data.get("dung"), loaded, problems)
    result: Loaded | None = None
    merged_here: set[str] = set()
    for i, name in enumerate(names):
        path = find(name, draft_dir)
        if path is None:
            from difflib import get_close_matches  # only for a preset not found

            near = get_close_matches(name, [n for n, _, _ in available(draft_dir)], n=3, cutoff=0.5)
            hint = f"Có phải ý bạn là: {', '.join(near)}?" if near else (
                "Xem các mẫu có sẵn bằng lệnh: drafter presets"
            )
            where = ", ".join(str(s.folder) for s in search_path(draft_dir))
            problems.append(
                Problem(
                    f"Không tìm thấy mẫu '{name}' (đã tìm trong: {where}).",
                    loaded.position(("dung", i)),
                    key=f"dung[{i}]",
                    hint=hint,
                )
            )
            continue
        key = str(path.resolve())
        if key in _stack:
            cycle = [*_stack[_stack.index(key):], key]
            problems.append(
                Problem(
                    "Các mẫu dùng lẫn nhau thành vòng: " + " → ".join(cycle) + ".",
                    loaded.position(("dung", i)),
                    key=f"dung[{i}]",
                    hint="Bỏ tên mẫu khỏi 'dung' ở một trong các tệp trên.",
                )
            )
            continue
        if key in merged_here:
            continue
        merged_here.add(key)
        if key not in done:
            done[key] = _layers(yamlfile.load(path), draft_dir, (*_stack, key), done)
        preset = done[key]
        result = preset if result is None else merging.merge(result, preset)
    if problems:
        loaded = Loaded(loaded.file, loaded.data, loaded.origins, [*loaded.problems, *problems])
    return loaded if result is None else merging.merge(result, loaded)
