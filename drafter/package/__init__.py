"""Package (zip) I/O for .docx files: bounded reading, fast writing, atomic output.

This layer knows zip records and part names, nothing of Word semantics beyond
finding the main document part through ``_rels/.rels``:

* :func:`open_package` / :class:`Package`: validate an untrusted .docx without
  inflating it, then read parts under :class:`Limits` (zip bombs, lying headers,
  unsafe names, encryption are refused with a :class:`PackageError`).
* :func:`parse_xml`: the hardened XML parser every layer above must use for parts.
* :class:`PackageTemplate`: read a template once; :meth:`PackageTemplate.build`
  writes a new package copying untouched parts' compressed bytes verbatim.
* :func:`atomic_write_bytes`, :func:`atomic_writer`, :func:`ensure_inside`: output
  files that are complete or absent, never overwritten without ``force``.
"""

from .atomic import atomic_write_bytes, atomic_writer, ensure_inside
from .errors import (
    REASON_CODES,
    OutputExistsError,
    OutputWriteError,
    PackageError,
    UnsafePathError,
)
from .limits import DEFAULT_LIMITS, Limits
from .reader import Package, ZipEntry, open_package, parse_xml
from .writer import PackageTemplate

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Package",
    "PackageError",
    "PackageTemplate",
    "REASON_CODES",
    "OutputExistsError",
    "OutputWriteError",
    "UnsafePathError",
    "ZipEntry",
    "atomic_write_bytes",
    "atomic_writer",
    "ensure_inside",
    "open_package",
    "parse_xml",
]
