"""Drafts and presets read once per content, the way templates are prepared once
(render/template_cache).

Reading a YAML file with its positions (ruamel.yaml's round trip, every text cleaned
and placed) is the longest step of loading a draft: about 15 ms for a công văn and
its agency's preset, in every `drafter render`, `check` and `batch`. What it makes
(``Loaded``: the plain data, where each key was written, the problems noted while
reading) is kept in the user's cache folder under a key made of the file's bytes, its
name as messages show it, the reading limits, and the code that reads it (this
package's reader and text cleaning, ruamel.yaml's version), so any change to one of
them reads the file afresh. A file that cannot be read (a syntax error, a limit) is
never kept: its error is found again, in the same words.

The folder is the template cache's (``DRAFTER_CACHE_DIR``; empty: off). The cache only
saves time: a folder that cannot be read or written, or an entry that does not read
back as a ``Loaded``, is passed over silently and the file read as before. Entries are
few KB; past MAX_ENTRIES the oldest are removed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import cache_dir

FORMAT = 1  # bump when an entry's layout changes
MAX_ENTRIES = 512  # a clerk's drafts and presets of several months; each a few KB
_SUFFIX = ".pickle"


def _folder() -> Path | None:
    base = cache_dir.folder()
    return None if base is None else base / "yaml"


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """The code whose output is kept: drafter's YAML reader and text cleaning, the
    error and position types an entry holds, and ruamel.yaml (its version is in its
    package's first file)."""
    here = Path(__file__).resolve().parent
    files = [here / "yamlfile.py", here / "yamlread.py", here.parent / "rules" / "text.py",
             here.parent / "rules" / "syllables.py", here.parent / "errors.py", here.parent / "env.py"]
    try:
        spec = importlib.util.find_spec("ruamel.yaml")  # found, not imported
    except (ImportError, ValueError):
        spec = None
    if spec and spec.origin:
        files.append(Path(spec.origin))
    return cache_dir.files_digest(FORMAT, files)


def key(file: str, raw: bytes, limits: Any) -> str:
    """The entry's name for the bytes ``raw`` read as ``file`` within ``limits``."""
    h = hashlib.sha256(_code_digest())
    h.update(repr(limits).encode("utf-8", "backslashreplace"))
    h.update(b"\0" + file.encode("utf-8", "backslashreplace") + b"\0")
    h.update(raw)
    return h.hexdigest()[:40]


def get(name: str):
    """The ``Loaded`` kept under ``name`` (a fresh copy: the caller may change it), or None."""
    from .yamlfile import Loaded

    base = _folder()
    if base is None:
        return None
    try:
        entry = pickle.loads((base / (name + _SUFFIX)).read_bytes())
    except Exception:  # missing, unreadable, damaged, of another layout: read the file instead
        return None
    if not (isinstance(entry, Loaded) and isinstance(entry.data, dict) and isinstance(entry.origins, dict)
            and isinstance(entry.problems, list) and entry.made is None):
        return None
    return entry


def put(name: str, loaded) -> None:
    """``loaded`` kept under ``name`` (silently not, where the folder refuses it)."""
    from ..package.atomic import atomic_write_bytes

    base = _folder()
    if base is None:
        return
    try:
        data = pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a value pickle cannot write: not kept
        return
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_bytes(base / (name + _SUFFIX), data, force=True, durable=False)
        _prune(base)
    except OSError:
        pass


def _prune(base: Path) -> None:
    """The oldest entries removed past MAX_ENTRIES (looked at when an entry is added)."""
    with os.scandir(base) as it:
        entries = [e for e in it if e.name.endswith(_SUFFIX)]
    if len(entries) <= MAX_ENTRIES:
        return
    def age(e: os.DirEntry) -> int:
        try:
            return e.stat().st_mtime_ns
        except OSError:  # removed meanwhile (another drafter pruning)
            return 0

    by_age = sorted(entries, key=age)
    for e in by_age[: len(entries) - MAX_ENTRIES]:
        try:
            os.unlink(e.path)
        except OSError:
            pass
