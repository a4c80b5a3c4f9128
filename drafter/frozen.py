"""Frozen dataclasses made per batch row, fast: ``made(cls, **values)`` is ``cls(**values)``
with its fields set in one update of the instance's ``__dict__`` (the generated
``__init__`` of a frozen dataclass sets them one ``object.__setattr__`` at a time, ~2-3k
instructions for a few fields), the defaults first, in the fields' order. Only for
dataclasses without ``__post_init__``, slots or default factories (what these are)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


_DEFAULTS: dict[type, dict[str, Any]] = {}  # a class → its fields' defaults (a few classes)


def _defaults(cls: type) -> dict[str, Any]:
    found = _DEFAULTS[cls] = {f.name: f.default for f in dataclasses.fields(cls)
                              if f.default is not dataclasses.MISSING}
    return found


def made(cls: type[T], **values: Any) -> T:
    """``cls(**values)`` (see the module docstring)."""
    obj = object.__new__(cls)
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _defaults(cls)
    if defaults:
        state = obj.__dict__
        state.update(defaults)
        state.update(values)
    else:
        obj.__dict__.update(values)
    return obj
