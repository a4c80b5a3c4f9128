"""Resource limits for reading untrusted .docx packages.

A .docx is a zip file, and a zip file can lie: a few hundred kilobytes can inflate
to gigabytes ("zip bomb"), the central directory can list thousands of entries, and
headers can state sizes that the data does not honour. Every reader in
:mod:`drafter.package` checks a :class:`Limits` before and while it inflates.

The defaults are generous for real administrative documents (a typical công văn is
20-60 KiB, a report with photos a few MiB) and small enough that a hostile file
cannot exhaust memory.

Environment overrides (:meth:`Limits.from_env`) let a *trusted* run raise them, e.g.
for a template full of scanned images::

    DRAFTER_MAX_PACKAGE_MB   compressed size of the .docx file        (default 50)
    DRAFTER_MAX_PART_MB      uncompressed size of one part            (default 64)
    DRAFTER_MAX_TOTAL_MB     uncompressed size of all parts together  (default 256)
    DRAFTER_MAX_PARTS        number of entries in the zip             (default 2000)
    DRAFTER_MAX_RATIO        compression ratio bound per large part   (default 200)
    DRAFTER_RATIO_MIN_MB     the ratio bound applies above this size  (default 1)
    DRAFTER_MAX_XML_DEPTH    extra bound on XML element nesting       (default: none)

Sizes in MB are mebibytes (2**20 bytes) and may be decimals ("0.5"). An empty
variable is ignored. An invalid value raises :class:`ValueError` with a Vietnamese
message naming the variable.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..env import KiB, MiB, env_limit

__all__ = ["Limits", "DEFAULT_LIMITS", "MiB", "KiB", "ENV_VARS", "env_limit"]


# Limits field -> (environment variable, unit in bytes; 1 for plain counts)
ENV_VARS: dict[str, tuple[str, int]] = {
    "max_package_bytes": ("DRAFTER_MAX_PACKAGE_MB", MiB),
    "max_part_bytes": ("DRAFTER_MAX_PART_MB", MiB),
    "max_total_bytes": ("DRAFTER_MAX_TOTAL_MB", MiB),
    "max_parts": ("DRAFTER_MAX_PARTS", 1),
    "max_ratio": ("DRAFTER_MAX_RATIO", 1),
    "ratio_min_bytes": ("DRAFTER_RATIO_MIN_MB", MiB),
    "max_xml_depth": ("DRAFTER_MAX_XML_DEPTH", 1),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied when opening and reading a package.

    Attributes:
        max_package_bytes: size of the .docx file on disk (compressed). 50 MiB.
        max_part_bytes: uncompressed size of any single part, checked against the
            declared size when the package is opened *and* against the bytes
            actually inflated when a part is read. 64 MiB.
        max_total_bytes: sum of the declared uncompressed sizes of all parts.
            256 MiB.
        max_parts: number of entries in the zip central directory, checked before
            the directory is parsed. 2000 (a Word document has 10-60).
        max_ratio: bound on uncompressed/compressed size of one part, applied only
            to parts larger than ``ratio_min_bytes`` (small XML parts compress far
            better than 200:1 without being hostile). 200. Real document.xml parts
            compress about 5-15:1; 300 MB of zeros compress about 1000:1.
        ratio_min_bytes: the ratio bound applies above this uncompressed size.
            1 MiB.
        max_xml_depth: optional bound on element nesting in parsed XML parts.
            ``None`` (the default) leaves only libxml2's own limit of 256 levels,
            which applies because the parser never enables ``huge_tree``.
    """

    max_package_bytes: int = 50 * MiB
    max_part_bytes: int = 64 * MiB
    max_total_bytes: int = 256 * MiB
    max_parts: int = 2000
    max_ratio: int = 200
    ratio_min_bytes: int = 1 * MiB
    max_xml_depth: int | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is None and field.name == "max_xml_depth":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(
                    f"Giới hạn '{field.name}' phải là một số dương, nhận được {value!r}."
                )

    def replace(self, **changes: object) -> "Limits":
        """A copy with some fields changed, e.g. ``DEFAULT_LIMITS.replace(max_parts=50)``."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, base: "Limits | None" = None
    ) -> "Limits":
        """Limits from ``DRAFTER_*`` environment variables over ``base`` (the defaults).

        See the module docstring for the variables. Only a trusted run should raise
        them; lowering them is always safe.
        """
        env = os.environ if environ is None else environ
        base = base or cls()
        changes: dict[str, object] = {}
        for field, (var, unit) in ENV_VARS.items():
            raw = env.get(var)
            if raw is None or not raw.strip():
                continue
            changes[field] = env_limit(var, getattr(base, field), env, unit=unit)
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


DEFAULT_LIMITS = Limits()
