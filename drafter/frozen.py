"""Frozen dataclasses made per batch row, fast: ``made(cls, **values)`` is ``cls(**values)``
with its fields set as the instance's ``__dict__`` at once (the generated
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
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _defaults(cls)
    # The call's own keyword dict (a new dict every call) becomes the instance's state:
    # not copied in. With defaults, one dict: them first, then the values given.
    return whole(cls, {**defaults, **values} if defaults else values)


def whole(cls: type[T], state: dict[str, Any]) -> T:
    """``cls(**state)`` where ``state``, a dict of the caller's own naming every field in
    the fields' order, becomes the instance's ``__dict__`` as it is (no copy)."""
    obj = _new(cls)
    _set(obj, "__dict__", state)
    return obj


_new, _set = object.__new__, object.__setattr__
