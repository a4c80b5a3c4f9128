"""File objects that report every write as done while the disk keeps something else
(a full network share, a flaky disk): what drafter's read-back checks must catch."""

from __future__ import annotations

from typing import Callable


class LyingWriter:
    """Wraps a file: each write's bytes go through ``damage`` on their way to the disk,
    while the write reports them all written and tell() counts what was given."""

    def __init__(self, f, damage: Callable[[bytes], bytes]):
        self._f, self._damage, self._told = f, damage, 0

    def write(self, data):
        self._f.write(self._damage(bytes(data)))
        self._told += len(data)
        return len(data)

    def tell(self):
        return self._told

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)


def half(data: bytes) -> bytes:
    """Only the first half kept."""
    return data[: len(data) // 2]


def one_bit_flipped(data: bytes) -> bytes:
    """The size right, one bit of the sixth byte changed (in writes longer than 10 bytes)."""
    return data[:5] + bytes([data[5] ^ 1]) + data[6:] if len(data) > 10 else data


def no_space(data: bytes) -> bytes:
    """A full disk: every write refused."""
    import errno

    raise OSError(errno.ENOSPC, "No space left on device")
