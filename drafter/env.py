"""The one reader of limits set by environment variables (``DRAFTER_MAX_*``).

Every bound drafter puts on what it reads (docs/limits.md) can be raised for a
trusted run, or lowered, by a variable; each is read here, the same way: unset or
empty is the default, anything but a positive number is refused naming the variable.
A leaf module, so every layer (rules included) reads its variables alike.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

__all__ = ["KiB", "MiB", "env_limit"]

KiB = 1 << 10
MiB = 1 << 20
_LARGEST = 10 ** 15  # a petabyte, a million billion rows: past any machine, so surely a slip


def env_limit(name: str, default: int, environ: Mapping[str, str] | None = None, *, unit: int = 1) -> int:
    """The one reader of a limit set by an environment variable: `default` when unset.

    A count (`unit` 1: rows, characters, values) is a positive whole number; its digits
    may be grouped the Vietnamese way or with `_` (``50.000``, ``50_000``). A size
    (`unit` the bytes of a KB or MB) may take decimals, written with ``,`` or ``.``
    (``0,5``, ``1.5``), read exactly (Decimal). Anything else raises ValueError with a
    Vietnamese message naming the variable.

    >>> env_limit("DRAFTER_MAX_ROWS", 50_000, {"DRAFTER_MAX_ROWS": "100.000"})
    100000
    >>> env_limit("DRAFTER_MAX_ROWS", 50_000, {})
    50000
    >>> env_limit("DRAFTER_MAX_PART_MB", 64 * MiB, {"DRAFTER_MAX_PART_MB": "0,5"}, unit=MiB)
    524288
    >>> env_limit("DRAFTER_MAX_ROWS", 50_000, {"DRAFTER_MAX_ROWS": "1,5"})
    Traceback (most recent call last):
    ...
    ValueError: Biến môi trường DRAFTER_MAX_ROWS='1,5' không hợp lệ: cần một số nguyên dương.
    """
    env = os.environ if environ is None else environ
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if unit == 1:
        digits = raw.replace("_", "").replace(".", "")
        value = int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 19 else 0
        value = 0 if value > _LARGEST else value
        if value <= 0:
            raise ValueError(f"Biến môi trường {name}={raw!r} không hợp lệ: cần một số nguyên dương.")
        return value
    try:
        number = Decimal(raw.replace(",", ".")) if len(raw) < 30 else Decimal(0)
    except InvalidOperation:
        number = Decimal(0)
    if not number.is_finite() or number <= 0 or number * unit > _LARGEST:
        what = "MB" if unit == MiB else "KB"
        raise ValueError(f"Biến môi trường {name}={raw!r} không hợp lệ: cần một số dương (đơn vị {what}).")
    return max(1, int(number * unit))
