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

# Loaded when first asked for (PEP 562): `drafter check` needs the reader and the
# errors, not the atomic writer (secrets, hmac) nor the template writer.
_WHERE = {
    "atomic_write_bytes": "atomic", "atomic_writer": "atomic", "ensure_inside": "atomic",
    "REASON_CODES": "errors", "OutputExistsError": "errors", "OutputWriteError": "errors",
    "PackageError": "errors", "UnsafePathError": "errors",
    "DEFAULT_LIMITS": "limits", "Limits": "limits",
    "Package": "reader", "ZipEntry": "reader", "open_package": "reader", "parse_xml": "reader",
    "PackageTemplate": "writer",
}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
