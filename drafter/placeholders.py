"""The texts `drafter new` writes to be replaced, taken from the scaffold itself.

Nothing is copied from drafter.scaffold: the values of a type's scaffold (with every
key a preset could give, so that none is left out) are those its text is written from
(scaffold.draft_values: what the YAML loader reads back, a test compares), and each
line of them that holds "…", or is one of `scaffold.PLACEHOLDERS`, is a placeholder
of its key (rules/completeness.py compares a draft with them). No YAML is read: the
checker of a document with a "…" in it does not load a YAML parser and read every
type's scaffold (about a tenth of a second). Made once per process, and only for a
draft or document that has a line that could be one.

>>> "Họ và tên người ký" in of_type("cong-van")["ky.ho_ten"]
True
>>> any("…" in line for line in of_type("quyet-dinh")["dieu[]"])
True
>>> "ban hành kèm theo quyết định này …" in rendered()
True
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from . import scaffold
from .rules import completeness, doctypes

EXTRA: tuple[str, ...] = tuple(getattr(scaffold, "PLACEHOLDERS", ()))


@lru_cache(maxsize=None)
def of_type(slug: str) -> Mapping[str, frozenset[str]]:
    """Key pattern (`dieu[]`, `ky.ho_ten`) → the placeholder lines the scaffold of
    `slug` writes there."""
    out: dict[str, set[str]] = {}
    data = scaffold.draft_values(slug, preset_keys=frozenset())
    for pattern, line in completeness.placeholder_lines(data, EXTRA):
        out.setdefault(pattern, set()).add(line)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def of_all_types() -> Mapping[str, frozenset[str]]:
    """The same for every type at once (a draft whose `loai` was changed after `new`)."""
    out: dict[str, set[str]] = {}
    for t in doctypes.TYPES:
        for k, v in of_type(t.slug).items():
            out.setdefault(k, set()).update(v)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def rendered() -> frozenset[str]:
    """Every placeholder line of every type as it reads in a document
    (completeness.rendered_form), for the checker; a lone "…" is left out."""
    out = set()
    for lines in of_all_types().values():
        for line in lines:
            form = completeness.rendered_form(line)
            if form.replace("…", "").strip():
                out.add(form)
    return frozenset(out)
