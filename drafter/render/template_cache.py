"""Templates prepared once per machine, the way Python keeps .pyc files.

Preparing a template means importing docxtpl and python-docx, patching its XML,
proving it well-formed and compiling it with Jinja: about a third of a single
`drafter render`. What that makes (the Jinja source, the proof's verdict, Jinja's
compiled code) is kept in the user's cache folder, under a key made of the template's
document part and of the code that prepares it (this package's engine and proof,
docxtpl's patching), so any change to either prepares it afresh.

``DRAFTER_CACHE_DIR`` moves the folder; set to an empty value it turns the cache off.
The cache only saves time: a folder that cannot be read or written, or an entry that
does not read back, is passed over silently and the template prepared as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..package.atomic import atomic_write_bytes

from ..cache_dir import ENV, files_digest, folder  # noqa: F401  (ENV: what callers read from here)

FORMAT = 1  # bump when an entry's layout changes


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """The code whose output is cached: drafter's engine and proof, the sandbox whose
    names the compiled code calls, docxtpl's patching."""
    here = Path(__file__).resolve().parent
    files = [here / "engine.py", here / "wellformed.py", here.parent / "sandbox.py"]
    spec = importlib.util.find_spec("docxtpl")  # found, not imported
    if spec and spec.origin:
        files.append(Path(spec.origin).parent / "template.py")
    return files_digest(FORMAT, files)


def key(document_xml: bytes) -> str:
    return hashlib.sha256(_code_digest() + document_xml).hexdigest()[:40]


def load(name: str) -> dict[str, Any] | None:
    base = folder()
    if base is None:
        return None
    try:
        entry = json.loads((base / "templates" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(entry, dict) and isinstance(entry.get("source"), str) and isinstance(entry.get("proven"), bool)):
        return None
    return entry


def store(name: str, entry: dict[str, Any]) -> None:
    base = folder()
    if base is None:
        return
    try:
        (base / "templates").mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(base / "templates" / f"{name}.json",
                           json.dumps(entry, ensure_ascii=False).encode("utf-8"), force=True, durable=False)
    except OSError:
        pass


def bytecode_cache():
    """Jinja's own cache of compiled template code, beside the entries (or None)."""
    base = folder()
    if base is None:
        return None
    try:
        (base / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(base / "jinja", os.W_OK | os.X_OK):
        return None
    from jinja2 import FileSystemBytecodeCache

    return FileSystemBytecodeCache(str(base / "jinja"))
