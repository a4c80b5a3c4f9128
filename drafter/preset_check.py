"""Checking preset files: a preset is a PARTIAL draft.

A preset holds some keys of a draft (usually `co_quan`, `ky`, `noi_nhan`, `luu`), so
it is validated with the draft model while "missing key" errors are ignored: every
other problem (a misspelt key, a wrong type, an unknown document type, a preset named
in `dung` that does not exist, a cycle) is reported with the file, line, column and
key, in Vietnamese, all of them at once.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from .errors import DrafterError, Position, Problem, display_path
from .inputs import merge as merging
from .inputs import presets, yamlfile
from .inputs.yamlfile import Loaded, key_name

__all__ = ["IGNORED_IN_PRESETS", "validate_partial", "vietnamese_syntax_message", "check_file", "check_files", "preset_files"]

# Error types of the draft model that only say "a key the draft must have is absent".
# `kinh_gui` is the công văn's "needs Kính gửi" rule: the draft supplies it.
IGNORED_IN_PRESETS = frozenset({"missing", "kinh_gui"})

_QUOTE_HINT = (
    "Nếu đây là một dòng văn bản có dấu ':' (ví dụ 'Các Sở: Tài chính, Xây dựng'), "
    "hãy đặt cả dòng trong ngoặc kép: - \"Các Sở: Tài chính, Xây dựng\"."
)


def vietnamese_syntax_message(message: str) -> str:
    """`message` with a ruamel.yaml problem still in English said in Vietnamese. The
    loader (inputs/yamlfile.syntax_words) now words every syntax error itself, for
    every command; this stays for messages made elsewhere."""
    prefix = yamlfile.SYNTAX_PREFIX
    if not message.startswith(prefix):
        return message
    problem = message[len(prefix):].rstrip(".")
    if any(pattern.fullmatch(problem) for pattern, _ in yamlfile._SYNTAX):
        return prefix + yamlfile.syntax_words(problem) + "."
    return message


class _Errors:
    """The part of a ValidationError that `model._problems` reads: `errors()`."""

    def __init__(self, errors: list[dict]):
        self._errors = errors

    def errors(self) -> list[dict]:
        return self._errors


def validate_partial(loaded: Loaded) -> list[Problem]:
    """Problems of `loaded` read as a partial draft (absent keys are no problem).

    `...` items (which extend an inherited list) are allowed anywhere a list is.
    """
    from . import model

    data = merging.strip_inherit(loaded.data)
    try:
        model.Draft.model_validate(data)
    except ValidationError as exc:
        kept = [e for e in exc.errors() if e["type"] not in IGNORED_IN_PRESETS]
        problems = model._problems(_Errors(kept), loaded)
        return _with_quote_hints(problems, kept)
    return []


def _with_quote_hints(problems: list[Problem], errors: list[dict]) -> list[Problem]:
    """`- Các Sở: Tài chính` is read by YAML as a mapping: say how to keep it text."""
    from . import model

    keys = set()
    for e in errors:
        found = e.get("input")
        if e["type"] == "string_type" and isinstance(found, dict) and len(found) == 1:
            loc = model._plain_loc(tuple(e["loc"]))
            keys.add(key_name(loc))
    return [dataclasses.replace(p, hint=_QUOTE_HINT) if p.key in keys and not p.hint else p for p in problems]


def _draft_dir_for(path: Path, default: Path | None) -> Path | None:
    """The folder a preset's own `dung` names resolve from: the folder holding its
    `presets/` folder when it sits in one, else `default` (the current folder)."""
    parent = path.resolve().parent
    if parent.name == "presets":
        return parent.parent
    return default


def check_file(path: str | Path, draft_dir: Path | None = None) -> list[Problem]:
    """Every problem of one preset file (errors and warnings), never raising."""
    path = Path(path)
    try:
        loaded = yamlfile.load(path)
    except DrafterError as exc:
        return [dataclasses.replace(p, message=vietnamese_syntax_message(p.message)) for p in exc.problems]
    problems = list(loaded.problems)
    problems += validate_partial(loaded)
    # The presets it names: they must exist and must not loop back to this file.
    own = Loaded(loaded.file, loaded.data, dict(loaded.origins), [])
    try:
        resolved = presets.resolve(own, _draft_dir_for(path, draft_dir), (str(path.resolve()),))
        # The presets' own text is reported when those files are checked; here, only
        # what resolving `dung` found (a preset missing, or a loop).
        found = [p for p in resolved.problems if (p.key or "").startswith("dung")]
    except DrafterError as exc:  # a preset it names cannot be read
        found = exc.problems
    problems += [dataclasses.replace(p, message=vietnamese_syntax_message(p.message)) for p in found]
    return problems


def preset_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in presets.SUFFIXES)


def check_files(paths: Iterable[Path], draft_dir: Path | None = None) -> list[Problem]:
    """The problems of several files, each reported once, by file then line."""
    seen: set[Any] = set()
    out: list[Problem] = []
    for path in paths:
        for p in check_file(path, draft_dir):
            sig = (p.position, p.key, p.message, p.severity)
            if sig not in seen:
                seen.add(sig)
                out.append(p)
    order: dict[str | None, int] = {}
    for p in out:
        order.setdefault(p.position.file, len(order))
    return sorted(out, key=lambda p: (order[p.position.file], p.position.line or 0, p.position.column or 0))


def targets(args: list[str], draft_dir: Path) -> list[Path]:
    """Files to check: each file named, every preset in each folder named, or (none
    named) every preset visible from `draft_dir`."""
    if not args:
        return [p for _, _, p in presets.available(draft_dir)]
    out: list[Path] = []
    problems = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            out += preset_files(p)
        elif p.is_file():
            out.append(p)
        else:
            problems.append(Problem("Không tìm thấy tệp hay thư mục.", Position(display_path(p))))
    if problems:
        raise DrafterError(problems)
    return out
