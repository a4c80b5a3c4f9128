"""Figures quoted in the text: `{{ phu_luc[0].tong.kinh_phi }}` in a body line prints
the table's derived total, so the narrative can never disagree with the table.

References are read in a sandbox that reaches only the tables' figure objects
(public names; see docs/tables.md for the names). Each quoted value is marked with
private-use characters carrying its reference; the XML layer turns the mark into an
inline content control, so `drafter appendix` can refresh the figure later too.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import Problem
from .oxml import FIGURE_CLOSE as CLOSE
from .oxml import FIGURE_MID as MID
from .oxml import FIGURE_OPEN as OPEN
from .render import filters
from .sandbox import MAX_TEXT_CHARS, BoundedSandbox
from .tables import compute

MARK = re.compile(f"{OPEN}([^{MID}]*){MID}([^{CLOSE}]*){CLOSE}")
# Only `{{ phu_luc… }}` is a reference; any other `{{` is text, printed as typed.
_TOKEN = re.compile(r"\{\{(\s*phu_luc\b.*?)\}\}", re.S)
_SAFE_TYPES = tuple(
    t for t in (getattr(compute, n, None) for n in (
        "Figures", "Amount", "LineFigures", "GroupsView", "RowsView", "_MeasureFigures"))
    if isinstance(t, type)
)


class FigureError(ValueError):
    pass


class _Env(BoundedSandbox, ImmutableSandboxedEnvironment):
    # BoundedSandbox: no constant folding, sizes and loops bounded (drafter/sandbox.py).
    text_share = 64  # one value, not a whole document
    def is_safe_attribute(self, obj, attr, value):
        return isinstance(obj, _SAFE_TYPES) and not attr.startswith("_")

    def is_safe_callable(self, obj):
        return False


_ENV = _Env(autoescape=False, undefined=StrictUndefined)
filters.install(_ENV)  # `{{ phu_luc[0].tong.kinh_phi | bang_chu }}`


_BRACES = re.compile(r"\{\{(?=\s*(?:phu_luc\b|$))")


def neutralise(text: str, *, edges: bool = False) -> str:
    """Row data that happens to contain `{{ phu_luc…` stays text: a word joiner between
    the braces keeps it from being read as a reference (batch rows are data).

    With ``edges`` (a cell's text placed among other text), a `{` at either end of the
    text and a `{{` ending it get a word joiner too, so that two cells side by side, or
    a cell and the draft's text around it, can never join into one reference."""
    if "{{" in text:
        text = _BRACES.sub("{\u2060{", text)
    if edges and text:
        if text[0] == "{":
            text = "\u2060" + text
        if text[-1] == "{":
            text += "\u2060"
    return text


@functools.lru_cache(maxsize=512)
def _compile(source: str):
    """A reference compiled once: a batch quotes the same references in every row."""
    try:
        ast = _ENV.parse(source)
        names = meta.find_undeclared_variables(ast)
    except TemplateError:
        # Jinja's own words are English: say what a reference looks like instead.
        raise FigureError(f"Tham chiếu số liệu '{source}' viết sai; viết như "
                          "{{ phu_luc[0].tong.kinh_phi }} (xem docs/tables.md).") from None
    if names - {"phu_luc"}:
        raise FigureError(f"'{source}' không phải tham chiếu số liệu; chỉ dùng được phu_luc[…] (xem docs/tables.md).")
    return _ENV.from_string(source)


_INDEX = re.compile(r"\s*phu_luc\s*\[\s*(\d+)\s*\]")
_ATTRIBUTES = re.compile(r"\{\{\s*phu_luc\s*\[\s*(\d+)\s*\]((?:\s*\.\s*[a-z][a-z0-9_]*)+)\s*\}\}")


def _attributes(source: str, figures: list[Any]) -> str | None:
    """What the sandbox prints for `{{ phu_luc[N].a.b }}` (the common reference: names
    only, no filter, no index but the table's), read without a template render; None
    whenever anything is not that plain (a missing name, an unsafe attribute, a value
    that is not printed as it is, a text over the budget): the template then says it,
    in its words. A batch quotes the same references in every row."""
    return _printed(_plain(source), figures)


def _printed(plain: tuple[int, tuple[str, ...]] | None, figures: list[Any]) -> str | None:
    """:func:`_attributes` of a reference read by :func:`_plain` already."""
    if plain is None:
        return None
    index, attrs = plain
    if index >= len(figures) or figures[index] is None:
        return None
    obj: Any = figures[index]
    for attr in attrs:
        # _Env.is_safe_attribute, whose name test every name of a plain reference passes
        # ([a-z][a-z0-9_]*: none starts with "_"); the object's type tested first.
        if not isinstance(obj, _SAFE_TYPES):
            return None
        try:
            value = getattr(obj, attr)
        except Exception:  # the sandbox then tries obj[attr], or says what is missing
            return None
        obj = value
    if not isinstance(obj, (str, compute.Amount)):
        return None
    text = str(obj)
    return text if len(text) <= _TEXT_LIMIT else None


_TEXT_LIMIT = max(1, MAX_TEXT_CHARS // _Env.text_share)


@functools.lru_cache(maxsize=512)
def _plain(source: str) -> tuple[int, tuple[str, ...]] | None:
    """The table's index and the names of a plain reference, or None (read once per
    reference: a batch quotes the same ones in every row)."""
    m = _ATTRIBUTES.fullmatch(source)
    if m is None:
        return None
    return int(m.group(1)), tuple(a.strip() for a in m.group(2).split(".") if a.strip())


@functools.lru_cache(maxsize=512)
def _reference(inner: str) -> tuple[str, int | None]:
    """A reference's expression as its mark carries it (spaces collapsed), and the
    index of the table it names first (None when it names none)."""
    index = _INDEX.match(inner)
    return " ".join(inner.split()), int(index.group(1)) if index else None


def resolve(text: str, figures: list[Any], unknown: frozenset[int] | set[int] = frozenset()) -> tuple[str, list[Problem]]:
    """`text` with its references filled, and the problems of those that cannot be:
    one pass for the validation stage, which keeps the filled text for derive."""
    if "{{" not in text:
        return text, []
    filled, problems = _resolve(text, figures, unknown)
    return filled, [Problem(m, hint=_HINT) for m in problems]


_HINT = "Xem cách trích số liệu trong docs/tables.md."


def _resolve(text: str, figures: list[Any], unknown: frozenset[int] | set[int]) -> tuple[str, list[str]]:
    """`text` with each reference replaced by its marked figure, and what went wrong
    (every reference, not only the first). A reference into a table in `unknown`
    (one that failed validation) is skipped: the table's own problems say enough."""
    problems: list[str] = []
    refs = _KNOWN

    def one(m: re.Match) -> str:
        try:
            hit = refs.get(m.group(0))
            if hit is None:
                hit = _known(m.group(0), m.group(1))
            expr, index, template, plain = hit
            if index is not None and index in unknown:
                return m.group(0)
            if not figures:
                raise FigureError(f"'{m.group(0)}' trích số liệu nhưng văn bản không có phụ lục (phu_luc).")
            if index is not None and index >= len(figures):
                known = "phu_luc[0]" if len(figures) == 1 else f"phu_luc[0]…phu_luc[{len(figures) - 1}]"
                raise FigureError(f"'{m.group(0)}' trích phụ lục thứ {index + 1}, nhưng văn bản "
                                  f"chỉ có {len(figures)} phụ lục ({known}).")
            if index is not None and figures[index] is None:
                raise FigureError(f"'{m.group(0)}' trích số liệu của phụ lục thứ {index + 1}, "
                                  "nhưng phụ lục này không có bảng (bang).")
            try:
                value = _printed(plain, figures)
                if value is None:
                    value = template.render(phu_luc=figures)
            except (TemplateError, AttributeError, KeyError, IndexError, TypeError, filters.FilterError) as exc:
                from .template_words import words

                raise FigureError(f"Không trích được số liệu '{m.group(0)}': {words(exc)}.") from None
        except FigureError as exc:
            problems.append(str(exc))
            return m.group(0)
        return f"{OPEN}{expr}{MID}{value}{CLOSE}"

    return _TOKEN.sub(one, text), problems


# Each reference read before (the whole `{{ … }}`): its expression as the mark carries
# it, the table it names, its template and its plain names (a batch quotes the same
# references in every row: one look-up each). Bounded; only references that compile.
_KNOWN: dict[str, tuple[str, int | None, Any, tuple[int, tuple[str, ...]] | None]] = {}
_KNOWN_MAX = 512


def _known(source: str, inner: str) -> tuple[str, int | None, Any, tuple[int, tuple[str, ...]] | None]:
    """What :func:`_resolve` reads of a reference (FigureError when it does not compile)."""
    expr, index = _reference(inner)
    found = (expr, index, _compile(source), _plain(source))
    if len(_KNOWN) >= _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN[source] = found
    return found


def validate(text: str, figures: list[Any], *, unknown: frozenset[int] | set[int] = frozenset()) -> list[Problem]:
    """Every reference in `text` that cannot be resolved against the tables' figures
    (None for an appendix without a table)."""
    return resolve(text, figures, unknown)[1]


def fill(text: str, figures: list[Any]) -> str:
    """`text` with every `{{ … }}` replaced by the figure it names, marked; for a
    text :func:`validate` accepted (FigureError otherwise)."""
    if "{{" not in text:
        return text
    filled, problems = _resolve(text, figures, frozenset())
    if problems:
        raise FigureError(problems[0])
    return filled


def plain(text: str) -> str:
    """The text as printed, marks removed."""
    return MARK.sub(lambda m: m.group(2), text)
