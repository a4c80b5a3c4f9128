"""drafter's cache folder, where what only saves time is kept (prepared templates, YAML
files read once, the start-up cache): ``DRAFTER_CACHE_DIR``, or the user's cache folder
(platformdirs); set to an empty value, None: nothing is kept. A leaf module, so every
layer that keeps something finds the folder alike."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "DRAFTER_CACHE_DIR"


def folder() -> Path | None:
    override = os.environ.get(ENV)
    if override is not None:
        return Path(override) if override.strip() else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("drafter"))


def files_digest(version: int, files: list[Path]) -> bytes:
    """The SHA-256 of an entry layout's ``version`` and of the bytes of ``files`` (the
    code whose output a cache keeps: any change to it, a new key); a file that cannot
    be read counts as "?"."""
    import hashlib

    h = hashlib.sha256(b"%d" % version)
    for f in files:
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"?")
    return h.digest()
