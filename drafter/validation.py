"""The validation stage: a loaded draft becomes a `ValidDraft`, or every problem at once.

The typed model (pydantic) checks types, keys and values; then each rule of the
format checks the part of the draft it is about: the keys a type has, the số ký
hiệu typed by hand, each signer's combination of TM./KT./Q./TL./TUQ., each appendix
table (typed and its typed totals checked against the derived sums), each figure
quoted in the text, and the warnings the rules give (a title that looks like a slip,
an appendix the text does not mention, a district issuer after the 2025 reform).

Every check runs whatever the others found: when the model refuses the draft, the
rules still check the parts that are valid on their own (the signer, a table), so
one run reports every mistake. Each problem is placed at its file, line, column and
key, errors first, then by position. This stage and loading are the only ones that
fail; what follows (derive, render) takes a ValidDraft and cannot.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from itertools import compress
from operator import is_not
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from . import model, placeholders, sandbox, scaffold
from .errors import ERROR, WARNING, DrafterError, Position, Problem, ordered
from .inputs.yamlfile import KeyPath, Loaded, key_name, key_path
from .rules import (appendices, body, completeness, date_line, doctypes, fit, kem_theo, periods, plausible,
                    recipients, reform2025, signature, so_ky_hieu, xmlchars)

if TYPE_CHECKING:  # tables and figures load only for drafts that have them
    from .tables.compute import ComputedTable


@dataclass(frozen=True)
class ValidDraft:
    """A draft every check accepted: the typed draft, each appendix's typed and
    computed table (None for an appendix without one), the warnings, placed, and each
    text that quotes figures with the figures filled in (by its key path)."""

    draft: model.Draft
    tables: tuple[ComputedTable | None, ...]
    warnings: tuple[Problem, ...]
    quoted: Mapping[KeyPath, str] = field(default_factory=dict)  # texts with their figures filled


# Keys only the quyết định layout (quyết định, nghị quyết) has.
DECISION_KEYS = ("can_cu", "xet_de_nghi", "tham_quyen", "dieu")


def validate(loaded: Loaded, *, today: dt.date | None = None) -> ValidDraft:
    """The valid draft, or DrafterError carrying every problem, in order."""
    valid, problems = check(loaded, today=today)
    if valid is None:
        raise DrafterError(problems)
    return valid


def check(loaded: Loaded, *, today: dt.date | None = None) -> tuple[ValidDraft | None, list[Problem]]:
    """Every problem of `loaded`, and the valid draft when none is an error."""
    loaded, xml_problems = _xml_chars(loaded)
    data = loaded.data
    problems = list(loaded.problems) + xml_problems + [Problem(m) for m in sandbox.ENV_PROBLEMS]
    step = _Steps(loaded)
    draft, model_problems = model.parse(loaded, (step.before, step.changed) if step.changed is not None else None)
    step.typed(draft)
    problems += model_problems
    parts = _Parts(draft, data)
    at = _Placer(loaded)

    problems += step("type_keys", _TYPE_KEYS, lambda: at.all(_type_keys(data)))
    if isinstance(data.get("so_ky_hieu"), str) and data["so_ky_hieu"].strip():
        problems += at.all(so_ky_hieu.validate_override(data["so_ky_hieu"]))
    if isinstance(data.get("ban_hanh_kem_theo"), str) and data["ban_hanh_kem_theo"].strip():
        t = _doc_type(data)
        problems += at.all(kem_theo.validate(data["ban_hanh_kem_theo"], layout=t.layout if t else "van-ban"))
    if parts.only:  # appendices in a file of their own (the rule reads the whole draft)
        problems += at.all(kem_theo.validate_appendix_only(data["chi_phu_luc"], data))
    problems += step("signers", _SIGNERS_KEYS, lambda: _signers(at, parts))
    tables, table_problems, failed = step("tables", _TABLE_KEYS, lambda: _tables(loaded, parts))
    problems += table_problems
    texts = parts.texts()
    # The figures quoted: the texts that may quote them and the tables (the same tables
    # when their keys did not change: the step above gives the same objects).
    quoted, figure_problems = step("figures", _FIGURE_KEYS, lambda: _figures(at, texts, tables, failed))
    problems += figure_problems
    problems += step("texts", _TEXTS_KEYS, lambda: _texts(at, parts, texts))
    problems += step("luu", _LUU_KEYS, lambda: _luu(at, parts))
    today = today or _today()  # once: both rules below need it
    problems += step("district", _DISTRICT_KEYS, lambda: _district(at, parts, today), today)
    reported = frozenset(p.key for p in problems if p.severity == ERROR and p.key) if problems else frozenset()
    problems += step("complete", _COMPLETE_KEYS, lambda: _complete(at, data, reported, parts.only), reported)
    left = _left_as_made(loaded, step)
    problems += left
    problems += step("demo", ("dung",), lambda: _demo_preset(loaded))
    # A value left as the scaffold wrote it is said once (not also "in lower case").
    plausible = _plausible(at, parts, today, step)
    if left:
        problems += [p for p in plausible if p.key not in {q.key for q in left}]
    else:
        problems += plausible

    problems = ordered(problems, [loaded.file]) if problems else problems
    if draft is None or any(p.severity == ERROR for p in problems):
        return None, problems
    return ValidDraft(draft, tuple(tables), tuple(problems), quoted), problems


# The draft's own keys each step reads (a rule reading two parts is found again when
# either changes).
_TYPE_KEYS = frozenset(("loai",) + DECISION_KEYS)
_SIGNERS_KEYS = frozenset({"ky", "van_ban_kem_theo"})
_TABLE_KEYS = frozenset({"phu_luc", "tuy_chon"})
_TEXT_KEYS = frozenset({"noi_dung", "dieu", "van_ban_kem_theo"})  # the texts that may quote figures
_FIGURE_KEYS = _TEXT_KEYS | _TABLE_KEYS
_TEXTS_KEYS = _TEXT_KEYS | {"trich_yeu", "loai", "phu_luc", "chi_phu_luc"}
_LUU_KEYS = frozenset({"luu", "don_vi_soan"})
_DISTRICT_KEYS = frozenset({"co_quan", "ngay"})
_COMPLETE_KEYS = frozenset({"loai", "chi_phu_luc", "van_ban_kem_theo"} | {
    k for needs in completeness.NEEDS.values() for n in needs for k in (n.key.split(".")[0],) + n.or_keys})


class _Last:
    """The check before, for the next to reuse what it found where the draft is the
    same: its mapping (kept alive), where its problems were placed, whether the model
    accepted it, and the result of each step it reached (by name: what else it
    depended on, the result)."""

    data: Any = None
    origins: Any = None
    file: str | None = None
    refused = False
    steps: dict[str, tuple[Any, Any]] = {}


_NO_STEPS: dict[str, tuple[Any, Any]] = {}  # nothing to reuse (never written)


class _Steps:
    """The check's steps, each found again only when one of the draft's own keys it
    reads holds another object than in the check before (a batch row shares every
    value it does not change with the row before: copy on write), else what it found
    then. Nothing is reused when there is no check before to compare with, when the
    same mapping is checked again (it may have been changed in place), or when the
    problems would be placed elsewhere (another file, other origins) or the typed
    parts come from elsewhere (the model accepted one draft, not the other)."""

    def __init__(self, loaded: Loaded):
        data, last = loaded.data, _Last
        self.changed: set | None = None  # the draft's own keys holding other objects than in `before`
        self.before = last.data
        before = last.data
        if type(data) is dict and type(before) is dict and before is not data:
            if len(data) == len(before) and list(data) == list(before):  # a batch row: the same keys in order
                self.changed = set(compress(data, map(is_not, data.values(), before.values())))
            else:
                get = before.get
                self.changed = {k for k, v in data.items() if v is not get(k, _NONE)} | (data.keys() ^ before.keys())
        self.same_place = last.origins is loaded.origins and last.file == loaded.file
        last.data, last.origins, last.file = data, loaded.origins, loaded.file
        # What the check before reached, and this check's own (a step this check does
        # not reach is not there for the next).
        self.last = last.steps if self.changed is not None else _NO_STEPS
        self.steps = last.steps = {}

    def typed(self, draft: model.Draft | None) -> None:
        """What the model made of the draft: steps are reused only when it accepted
        both this draft and the one before, or refused both, and their problems are
        placed in the same file by the same origins."""
        last = _Last
        if not self.same_place or last.refused != (draft is None):
            self.last = _NO_STEPS
        last.refused = draft is None

    def __call__(self, name: str, keys: frozenset[str], compute, same: Any = None) -> Any:
        """`compute()` (a list, or a tuple of results), or what it gave the check before
        when none of `keys` changed and `same` is equal."""
        hit = self.last.get(name)
        if hit is not None and hit[0] == same and self.changed.isdisjoint(keys):  # type: ignore[union-attr]
            result = hit[1]
        else:
            result = compute()
            if isinstance(result, list):
                result = tuple(result)
        self.steps[name] = (same, result)
        return result


_TODAY: list[Any] = [None, None]  # [the second of time.time() it was read at, that day]


def _today() -> dt.date:
    """dt.date.today(), read once per second of the clock (a batch checks many rows a
    second; the day of a whole second is the day of each instant in it)."""
    now = int(time.time())
    if now != _TODAY[0]:
        _TODAY[:] = [now, dt.date.fromtimestamp(now)]
    return _TODAY[1]


def _signers(at: _Placer, parts: _Parts) -> list[Problem]:
    """Each signer's combination of TM./KT./Q./TL./TUQ. (rules/signature)."""
    out: list[Problem] = []
    for path, ky in parts.signers():
        out += at.all(_of_part(ky, signature.validate,
                               lambda ky=ky: _once(signature.validate, **ky.model_dump(include=_SIGNER_KEYS))), path)
    return out


_SIGNER_KEYS = {"ho_ten", "chuc_vu", "tm", "kt", "q", "tl", "tuq"}

# What a rule said of values a batch's rows share (the issuer, the signer, the date),
# said once per batch: the rules are pure functions of their arguments, so the same
# arguments give the same problems. Arguments that cannot be hashed are not kept.
_RULE_MEMO: dict = {}
_RULE_MEMO_MAX = 1024


def _once(rule, *args, **kwargs) -> list[Problem]:
    try:
        key = (rule, args, tuple(sorted(kwargs.items())))
        found = _RULE_MEMO.get(key)
    except TypeError:  # a list among the arguments
        return rule(*args, **kwargs)
    if found is None:
        if len(_RULE_MEMO) >= _RULE_MEMO_MAX:
            _RULE_MEMO.clear()
        found = _RULE_MEMO[key] = tuple(rule(*args, **kwargs))
    return list(found)


# What a rule said of a typed part every row of a batch shares (the signer, the
# issuer: model.parse gives the rows the same instance, typed once), by the part's
# identity and the rule's other arguments: the arguments are not even made again.
# Bounded; each part is kept so its id stays its own (no typed part is changed).
_PART_MEMO: dict[tuple, tuple[Any, tuple[Problem, ...]]] = {}


def _of_part(part: Any, key: Any, compute) -> list[Problem]:
    memo_key = (key, id(part))
    hit = _PART_MEMO.get(memo_key)
    if hit is not None and hit[0] is part:
        return list(hit[1])
    found = tuple(compute())
    if len(_PART_MEMO) >= _RULE_MEMO_MAX:
        _PART_MEMO.clear()
    _PART_MEMO[memo_key] = (part, found)
    return list(found)


def _of_value(key: Any, compute) -> list[Problem]:
    """What a rule said, by a hashable key made of its arguments (as _once, when the
    arguments must be made hashable first)."""
    found = _RULE_MEMO.get(key)
    if found is None:
        if len(_RULE_MEMO) >= _RULE_MEMO_MAX:
            _RULE_MEMO.clear()
        found = _RULE_MEMO[key] = tuple(compute())
    return list(found)


def _xml_chars(loaded: Loaded) -> tuple[Loaded, list[Problem]]:
    """`loaded` without the characters a document cannot hold nor drafter's figure
    marks, in every text value (the draft's, its presets', a batch row's, an appendix
    sheet's cells), and each value's problems (rules/xmlchars), placed: the rest of
    the stage, and the document, never see them."""
    if _made_clean(loaded) or not _suspect(loaded.data):  # nearly always: one quick pass, nothing rebuilt
        return loaded, []
    data, found = _scrubbed(loaded.data)
    if data is loaded.data:
        return loaded, []
    at = _Placer(loaded)
    placed = []
    for path, ps in found:
        placed += [_at_sheet_row(loaded.data, path, q) for q in at.all(ps, path)]
    return Loaded(loaded.file, data, loaded.origins, loaded.problems), placed


def _at_sheet_row(data: Any, path: KeyPath, problem: Problem) -> Problem:
    """A problem of a cell of a table read from a sheet, at the sheet's row."""
    items = data.get("phu_luc") if isinstance(data, Mapping) else None
    if len(path) < 4 or path[0] != "phu_luc" or not isinstance(items, list) or not isinstance(path[1], int):
        return problem
    pl = items[path[1]] if path[1] < len(items) else None
    table = pl.get("bang") if isinstance(pl, Mapping) else None
    if not (isinstance(table, BaseModel) and getattr(table, "source_file", None)):
        return problem
    line, _ = table.source_line(path[3:])
    return problem.at(Position(table.source_file, line)) if line else problem


# Containers already scrubbed, by identity (a sheet's table, shared by every row, and
# the containers of a draft that holds something to remove). Bounded; the object is
# kept so its id stays its own.
_SCRUBBED: dict[int, tuple[Any, Any, list]] = {}
_SCRUBBED_MAX = 4096

# The last draft found clean whole, kept alive: a batch row shares every mapping,
# list and text it does not change with the loaded draft (copy on write), so with the
# row before too. What is the same object there, at the same key, was found clean
# there: only the rest (the row's own values) is scanned.
_XML_LAST: list[Any] = [None]
_NONE = object()  # no value at that key in the draft before


# The mapping batch rows are made from (Loaded.made), found clean whole, kept alive.
_XML_BASE: list[Any] = [None]


def _made_clean(loaded: Loaded) -> bool:
    """Is a batch row clean by what it put in the mapping it was made from
    (Loaded.made: that mapping, found clean once per batch, and the row's texts,
    scanned at once)? False when not known so (the whole walk then decides)."""
    made = loaded.made
    if made is None:
        return False
    base, texts = made
    if base is not _XML_BASE[0]:
        found: list[str] = []
        if base is loaded.data or _gather(base, None, found) or (found and xmlchars.suspect(" ".join(found))):
            return False
        _XML_BASE[0] = base
    if texts and xmlchars.suspect(" ".join(texts)):
        return False
    _XML_LAST[0] = loaded.data  # clean whole: a row without `made` compares with it
    return True


def _suspect(value: Any) -> bool:
    """Does any text inside `value` hold what rules/xmlchars removes? (The cheap test
    that runs for every batch row: what the row shares with the draft checked before
    is skipped, the other texts joined and scanned at once.)"""
    last = _XML_LAST[0]
    if last is value:  # the same mapping again (it may have been changed in place): all of it
        last = None
    texts: list[str] = []
    found = _gather(value, last, texts) or (bool(texts) and xmlchars.suspect(" ".join(texts)))
    if not found:
        _XML_LAST[0] = value
    return found


def _gather(value: Any, last: Any, texts: list[str]) -> bool:
    """The texts inside `value` but those that are objects of `last` (a draft found
    clean, or None), into `texts` (joined by a space, which xmlchars keeps); True at
    once for a sheet's table that holds something to remove. A mapping or list is
    compared with the one at its place in `last`, by key or index: a value that is the
    same object there was found clean there. (A loop over a stack, not a call per
    container; a text is taken where it is met.)"""
    stack = [(value, last)]
    pop, push, text = stack.pop, stack.append, texts.append
    leaves = _LEAVES
    while stack:
        value, last = pop()
        kind = type(value)  # plain dicts, lists and texts first: nearly every value of a draft
        if kind is dict:
            if type(last) is dict:  # only what is not the same object as before
                get = last.get
                for k, v in value.items():
                    if v is not get(k, _NONE):
                        t = type(v)
                        if t is str:
                            text(v)
                        elif t not in leaves:
                            push((v, get(k, _NONE)))
                continue
            items: Any = value.values()
        elif kind is list:
            if type(last) is list and len(last) == len(value):
                for v, w in zip(value, last):
                    if v is not w:
                        t = type(v)
                        if t is str:
                            text(v)
                        elif t not in leaves:
                            push((v, w))
                continue
            items = value
        elif isinstance(value, str):
            text(value)
            continue
        elif isinstance(value, Mapping):
            items = value.values()
        elif isinstance(value, (list, tuple)):
            items = value
        elif isinstance(value, BaseModel):  # a sheet's table, shared by every row: scrubbed once
            if _scrubbed(value)[0] is not value or _scrubbed(value)[1]:
                return True
            continue
        else:
            continue
        for v in items:
            t = type(v)
            if t is str:
                text(v)
            elif t not in leaves:
                push((v, None))
    return False


# Values that hold no text: not walked.
_LEAVES = frozenset({int, bool, float, Decimal, type(None), dt.date, dt.datetime})


def _scrubbed(value: Any) -> tuple[Any, list[tuple[KeyPath, list[Problem]]]]:
    """`value` without what rules/xmlchars removes (the same object when nothing is),
    and the problems of each text by its key path relative to `value`."""
    if isinstance(value, str):
        if not xmlchars.suspect(value):
            return value, []
        return xmlchars.format(value), [((), xmlchars.validate(value))]
    if not isinstance(value, (Mapping, list, tuple, BaseModel)):
        return value, []
    known = _SCRUBBED.get(id(value))
    if known is not None and known[0] is value:
        return known[1], known[2]
    out, found = _scrub_container(value)
    if len(_SCRUBBED) >= _SCRUBBED_MAX:
        _SCRUBBED.clear()
    _SCRUBBED[id(value)] = (value, out, found)
    return out, found


def _scrub_container(value: Any) -> tuple[Any, list[tuple[KeyPath, list[Problem]]]]:
    found: list[tuple[KeyPath, list[Problem]]] = []

    def each(pairs) -> dict:
        changed = {}
        for k, v in pairs:
            n, f = _scrubbed(v)
            found.extend(((k,) + path, ps) for path, ps in f)
            if n is not v:
                changed[k] = n
        return changed

    if isinstance(value, Mapping):
        changed = each(value.items())
        return ({k: changed.get(k, v) for k, v in value.items()} if changed else value), found
    if isinstance(value, (list, tuple)):
        changed = each(enumerate(value))
        rebuilt = [changed.get(i, v) for i, v in enumerate(value)]
        return ((rebuilt if isinstance(value, list) else tuple(rebuilt)) if changed else value), found
    # a table read from a sheet
    changed = each((name, getattr(value, name)) for name in type(value).model_fields)
    return (value.model_copy(update=changed) if changed else value), found


class _Placer:
    """Problems from rules (no position; a key relative to `path`) at their place."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded

    def in_text(self, problem: Problem, path: KeyPath, text: str, offset: int) -> Problem:
        """A problem found at `offset` of the text at `path`: at its own line when the
        text is a block (``noi_dung: |``), else at the key."""
        placed = self.all([problem], path)[0]
        pos = placed.position
        if "\n" in text and pos.line:
            placed = replace(placed, position=Position(pos.file, pos.line + 1 + text.count("\n", 0, offset)))
        return placed

    def all(self, problems: list[Problem], path: KeyPath = (), key: str | None = None) -> list[Problem]:
        out = []
        for p in problems:
            full = path + tuple(_split(key or p.key))
            out.append(p.at(self.loaded.position(full), key_name(full) or None))
        return out


def _split(key: str | None) -> KeyPath:
    return key_path(key) if key else ()


class _Parts:
    """The parts of a draft the rules check: from the typed draft when the model
    accepted it, else each part typed on its own (None where it is not valid)."""

    def __init__(self, draft: model.Draft | None, data: Mapping):
        self.draft = draft
        self.data = data
        self.only = model.appendix_only(data)  # appendices in a file of their own
        if draft is not None:
            self.co_quan = draft.co_quan
            self.ky = draft.ky
            self.attached = draft.van_ban_kem_theo or []
            self.phu_luc = draft.phu_luc
            self.tuy_chon = draft.tuy_chon
        else:
            self.co_quan = _alone(model.CoQuan, data.get("co_quan"))
            self.ky = _alone(model.Ky, data.get("ky"))
            attached = data.get("van_ban_kem_theo")
            self.attached = [_alone(model.VanBanKemTheo, a) for a in attached] if isinstance(attached, list) else []
            items = data.get("phu_luc")
            self.phu_luc = [_alone(model.PhuLuc, pl) for pl in items] if isinstance(items, list) and items else None
            self.tuy_chon = _alone(model.TuyChon, data.get("tuy_chon", {})) or model.TuyChon()

    def signers(self) -> list[tuple[KeyPath, model.Ky]]:
        out = [(("ky",), self.ky)] if self.ky is not None else []
        out += [(("van_ban_kem_theo", i, "ky"), a.ky) for i, a in enumerate(self.attached) if a is not None and a.ky]
        return out

    def texts(self) -> list[tuple[KeyPath, str]]:
        """The texts that may quote figures, with their key paths: as the model typed
        them when it accepted the draft (what derive reads), else as written."""
        if self.draft is not None:
            d = self.draft
            out = [(("noi_dung",), d.noi_dung)] if d.noi_dung else []
            out += [(("dieu", i), t) for i, t in enumerate(d.dieu or []) if t]
            out += [(("van_ban_kem_theo", i, "noi_dung"), a.noi_dung)
                    for i, a in enumerate(d.van_ban_kem_theo or []) if a.noi_dung]
            return out
        d = self.data
        out: list[tuple[KeyPath, str]] = []
        if isinstance(d.get("noi_dung"), str):
            out.append((("noi_dung",), d["noi_dung"]))
        if isinstance(d.get("dieu"), list):
            out += [(("dieu", i), t) for i, t in enumerate(d["dieu"]) if isinstance(t, str)]
        if isinstance(d.get("van_ban_kem_theo"), list):
            out += [(("van_ban_kem_theo", i, "noi_dung"), a["noi_dung"]) for i, a in enumerate(d["van_ban_kem_theo"])
                    if isinstance(a, Mapping) and isinstance(a.get("noi_dung"), str)]
        return out


def _alone(cls: type[BaseModel], value: Any) -> Any:
    """`value` typed as `cls`, or None: its problems are the whole draft's already."""
    if value is None:
        return None
    try:
        return cls.model_validate(value)
    except ValidationError:
        return None


def _doc_type(data: Mapping) -> doctypes.DocType | None:
    try:
        return doctypes.get(data.get("loai")) if isinstance(data.get("loai"), str) else None
    except doctypes.UnknownTypeError:
        return None  # the model reports the type itself


def _type_keys(data: Mapping) -> list[Problem]:
    """Keys the document type does not have."""
    t = _doc_type(data)
    if t is None or t.layout == "quyet-dinh":
        return []
    return [Problem(f"Khóa '{key}' chỉ dùng cho quyết định, nghị quyết; loại '{t.slug}' không có phần này.",
                    key=key, hint="Xóa khóa này, hoặc đổi 'loai' nếu văn bản là quyết định.")
            for key in DECISION_KEYS if data.get(key)]


def _complete(at: _Placer, data: Mapping, keys: frozenset[str], only: bool | None = None) -> list[Problem]:
    """The parts the type needs that the draft lacks (rules/completeness), but for a
    key already reported as an error (`keys`: the model's missing key, the signer
    rule's missing name)."""
    t = _doc_type(data)
    if t is None or (only if only is not None else model.appendix_only(data)):  # an appendix file needs only its appendices
        return []

    def reported(key: str) -> bool:
        return any(k == key or key.startswith(f"{k}.") or k.startswith(f"{key}.") for k in keys)

    found = [((), t.slug, p) for p in completeness.validate(t.slug, data)]
    attached = data.get("van_ban_kem_theo")
    for i, a in enumerate(attached if isinstance(attached, list) else []):
        slug = a.get("loai") if isinstance(a, Mapping) else None
        if isinstance(slug, str) and slug in doctypes.BY_SLUG:
            found += [(("van_ban_kem_theo", i), slug, p)
                      for p in completeness.validate(slug, a, completeness.ATTACHED_NEEDS)]
    out = []
    for base, _, p in found:
        path = base + key_path(p.key)
        if reported(key_name(path)):
            continue
        # A key not written at all is shown at the type that needs it.
        written = any(path[:i] in at.loaded.origins for i in range(len(base) + 1, len(path) + 1))
        out.append(p.at(at.loaded.position(path if written else base + ("loai",)), key_name(path)))
    return out


def _left_as_made(loaded: Loaded, step: _Steps | None = None) -> list[Problem]:
    """A warning at each line still as `drafter new` wrote it to be replaced (the
    scaffold of the draft's type first, then of any type: `loai` may have changed),
    placed at its line inside a block of text."""
    data = loaded.data
    found = _candidates(data, step)
    if not found:  # nearly always for a finished draft: the scaffold is not read
        return []
    t = _doc_type(data)
    hits = completeness.left_as_made(found, placeholders.of_type(t.slug)) if t is not None else []
    seen = {(path, n) for path, n, _ in hits}
    rest = [c for c in found if (c[0], c[1]) not in seen]
    if rest:
        hits += completeness.left_as_made(rest, placeholders.of_all_types())
    out = []
    for path, n, problem in hits:
        pos = loaded.position(path)
        value = _value_at(data, path)
        if isinstance(value, str) and "\n" in value and pos.line:
            pos = Position(pos.file, pos.line + 1 + n)  # a line of a block (noi_dung: |)
        out.append(problem.at(pos, key_name(path)))
    return out


# What the last check found under each of the draft's own keys: (the value, kept
# alive, its candidates). A batch row shares most of them with the row before (the
# same objects): theirs are taken as they are; a key whose value the row changed is
# walked again, but for what it shares with the value before when that held none.
_LEFT_LAST: list[Any] = [None, {}, frozenset()]  # [the draft's mapping, {key: (value, candidates)}, keys with some]


def _candidates(data: Mapping, step: _Steps | None = None) -> list[tuple[KeyPath, int, str]]:
    """completeness.candidates of the draft but its appendices, the same list in the
    same order; what a batch row shares with the draft checked before is not walked
    again (by identity). With the check's steps (`step`) relative to that draft, only
    the keys the row changed are looked at."""
    last_data, last, with_some = _LEFT_LAST
    changed = step.changed if step is not None and step.before is last_data else None
    if changed is not None and last_data is not data:
        now = dict(last) if changed else last
        for k in changed:
            v = data.get(k, _NONE)
            if k == "phu_luc" or v is _NONE or type(v) in _LEAVES:
                now.pop(k, None)
                own = None
            else:
                own = _own(k, v, last.get(k))
                now[k] = (v, own)
            if own:
                if k not in with_some:
                    with_some = with_some | {k}
            elif k in with_some:
                with_some = with_some - {k}
        _LEFT_LAST[:] = [data, now, with_some]
        if not with_some:  # nearly always: no candidate anywhere
            return []
        return [c for k in data if k in with_some for c in now[k][1]]
    found: list[tuple[KeyPath, int, str]] = []
    if last_data is data:  # the same mapping again: all of it
        last = {}
    now = {}
    for k, v in data.items():  # the draft's own keys: texts and shared parts seen here, at once
        if k == "phu_luc" or type(v) in _LEAVES:
            continue
        hit = last.get(k)
        own = hit[1] if hit is not None and hit[0] is v else _own(k, v, hit)
        now[k] = (v, own)
        found += own
    _LEFT_LAST[:] = [data, now, frozenset(k for k, (_, own) in now.items() if own)]
    return found


def _own(k: Any, v: Any, hit: tuple[Any, list] | None) -> list:
    """The candidates under the draft's key `k` (its value `v`), walked but for what
    it shares with the value there before (`hit`) when that held none."""
    own: list = []
    if type(v) is str:
        if completeness.may_be_left(v, placeholders.EXTRA):
            own.extend(completeness.candidates(v, placeholders.EXTRA, (k,)))
    else:
        _candidates_in(v, hit[0] if hit is not None and not hit[1] else _NONE, (k,), own)
    return own


def _candidates_in(value: Any, last: Any, path: KeyPath, found: list) -> None:
    """The candidates inside `value` into `found`, but under what is the same object,
    at the same key, in `last` (a value that held none, or _NONE)."""
    kind = type(value)
    if kind is str or (kind not in _LEAVES and isinstance(value, str)):
        if completeness.may_be_left(value, placeholders.EXTRA):
            found.extend(completeness.candidates(value, placeholders.EXTRA, path))
        return
    if kind is dict or (kind not in _LEAVES and isinstance(value, Mapping)):
        before = last.get if isinstance(last, Mapping) else None
        for k, v in value.items():
            w = before(k, _NONE) if before is not None else _NONE
            if v is not w and type(v) not in _LEAVES:
                _candidates_in(v, w, path + (k,), found)
    elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
        n = len(last) if isinstance(last, (list, tuple)) else 0
        for i, v in enumerate(value):
            w = last[i] if i < n else _NONE
            if v is not w and type(v) not in _LEAVES:
                _candidates_in(v, w, path + (i,), found)


def _demo_preset(loaded: Loaded) -> list[Problem]:
    dung = loaded.data.get("dung")
    names = [dung] if isinstance(dung, str) else dung if isinstance(dung, list) else []
    if scaffold.DEMO_PRESET not in names:
        return []
    return [Problem(f"Bản thảo dùng mẫu minh họa '{scaffold.DEMO_PRESET}': cơ quan ban hành và người ký "
                    "trong đó là giả định.", loaded.position(("dung",)), key="dung", severity=WARNING,
                    hint="Ghi tên mẫu dùng chung của cơ quan mình vào 'dung' (xem: drafter presets).")]


def _value_at(data: Any, path: KeyPath) -> Any:
    for k in path:
        try:
            data = data[k]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _plausible(at: _Placer, parts: _Parts, today: dt.date, step: _Steps) -> list[Problem]:
    """Values allowed but probably mistyped (rules/plausible): a date far off, a
    signer's name not in normal case, a trích yếu too long, too many Kính gửi. The
    date's, the signers' and the issuer's are steps of their own (`step`: a row
    that changes its trích yếu or Kính gửi shares them)."""
    data = parts.data
    out: list[Problem] = list(step("plausible_dates", _PLAUSIBLE_DATE_KEYS, lambda: _plausible_dates(at, parts, today),
                                   today))
    if isinstance(data.get("trich_yeu"), str):
        out += at.all(plausible.trich_yeu(data["trich_yeu"]))
    co_quan = parts.draft.co_quan if parts.draft is not None else None
    if co_quan is not None:  # a place or a unit too wide (rules/fit)
        out += step("plausible_fit", _DISTRICT_KEYS, lambda: at.all(_of_part(co_quan, fit.validate,
                    lambda: _once(fit.validate, co_quan.dia_danh, tuple(co_quan.lines)))))
    kinh_gui = data.get("kinh_gui")
    if isinstance(kinh_gui, (str, list)):
        out += at.all(plausible.kinh_gui(kinh_gui))
    return out


_PLAUSIBLE_DATE_KEYS = frozenset({"ngay", "nam", "ky", "van_ban_kem_theo"})


def _plausible_dates(at: _Placer, parts: _Parts, today: dt.date) -> list[Problem]:
    """The date far off (or the year), each signer's name not in normal case."""
    data = parts.data
    out: list[Problem] = []
    date = parts.draft.ngay if parts.draft is not None else _alone_date(data.get("ngay")) if data.get("ngay") else None
    out += at.all(_once(plausible.date, date, today))
    if isinstance(data.get("nam"), int) and not data.get("ngay"):
        out += at.all(plausible.year(data["nam"], today))
    for path, ky in parts.signers():
        out += at.all(_once(plausible.signer_name, ky.ho_ten), path)
    return out


def _tables(loaded: Loaded, parts: _Parts) -> tuple[list, list[Problem], set[int]]:
    """Each appendix's table typed and computed; the problems and indices of those
    that fail (or whose appendix is not valid)."""
    if not parts.phu_luc:
        return [], [], set()
    is_sheet_reference, place, computed, TableError = _TABLE_TOOLS or _table_tools()
    zero_tens, four = parts.tuy_chon.doc_so_linh, parts.tuy_chon.doc_so_tu
    tables: list = []
    problems: list[Problem] = []
    failed: set[int] = set()
    for i, pl in enumerate(parts.phu_luc):
        table = None
        if pl is None or is_sheet_reference(pl.bang):
            failed.add(i)  # not valid, or a sheet that could not be read (reported when loading)
        elif pl.bang is not None:
            try:
                # compute(parse_table(bang)), the table's structure compiled once per batch
                table = computed(pl.bang, unit=pl.don_vi_tinh, zero_tens=zero_tens, four=four,
                                 placed=_placed(loaded, i, pl.bang))
            except TableError as exc:
                problems += [place(loaded, i, p) for p in exc.problems]
                failed.add(i)
        tables.append(table)
    return tables, problems, failed


def _placed(loaded: Loaded, i: int, bang: Any) -> tuple | None:
    """For a batch row's table (Loaded.made): the draft's table it is a copy of, the
    paths of the values the row placed in it and those values (plan.computed's
    `placed`), or None."""
    made = loaded.made
    values = getattr(made[1], "values", None) if made is not None else None
    if values is None:
        return None
    template = made[1].template
    found = template.under(("phu_luc", i, "bang"))
    if found is None or made[0] is not template.data:
        return None
    pick, paths, base = found
    # The typed appendix holds the row's own mapping (bang is typed as it is).
    items = loaded.data.get("phu_luc")
    if not (type(items) is list and i < len(items) and type(items[i]) is dict and items[i].get("bang") is bang):
        return None
    return base, paths, pick(values)


_TABLE_TOOLS: tuple = ()  # what _tables uses, imported on first use (drafts without tables never load them)


def _table_tools() -> tuple:
    global _TABLE_TOOLS
    from .inputs.appendix_sheets import is_sheet_reference, place
    from .tables import plan
    from .tables.model import TableError

    _TABLE_TOOLS = (is_sheet_reference, place, plan.computed, TableError)
    return _TABLE_TOOLS


def _figures(at: _Placer, texts: list[tuple[KeyPath, str]], tables: list,
             failed: set[int]) -> tuple[dict[KeyPath, str], list[Problem]]:
    """Each text's quoted figures resolved (the filled texts kept for derive); a
    reference into a table that failed is not reported again (the table's own
    problems say what to fix)."""
    quoting = [(path, text) for path, text in texts if "{{" in text]
    if not quoting:
        return {}, []
    resolve = _RESOLVE or _resolve_tool()
    figs = [t.figures if t is not None else None for t in tables]
    quoted: dict[KeyPath, str] = {}
    problems: list[Problem] = []
    for path, text in quoting:
        quoted[path], found = resolve(text, figs, failed)
        if found:
            problems += at.all(found, path)
    return quoted, problems


_RESOLVE: Any = None  # figures.resolve, imported on first use (drafts that quote no figure never load it)


def _resolve_tool() -> Any:
    global _RESOLVE
    from .figures import resolve

    _RESOLVE = resolve
    return resolve


def _texts(at: _Placer, parts: _Parts, texts: list[tuple[KeyPath, str]]) -> list[Problem]:
    """The body rule's errors (a generated điểm past the alphabet would stop derive;
    its warnings on typed labels are the checker's, not shown on drafts yet), and
    whether the text mentions the appendices."""
    out = [p for path, text in texts for p in at.all(body.validate(text), path) if p.severity == ERROR]
    out += _end_marks(at, parts, texts)
    titled = [(("trich_yeu",), parts.data["trich_yeu"])] if isinstance(parts.data.get("trich_yeu"), str) else []
    out += [at.in_text(p, path, text, period.start)  # "giai đoạn 2021-2020"
            for path, text in texts + titled for period, p in periods.checked(text)]
    if parts.phu_luc is not None and not parts.only:  # the text mentions them
        data = parts.data
        key = "dieu" if isinstance(data.get("dieu"), list) and data["dieu"] else "noi_dung"
        out += at.all(appendices.validate(" ".join(t for _, t in texts), len(parts.phu_luc)),
                      key=key if key in data else "phu_luc")
    return out


def _luu(at: _Placer, parts: _Parts) -> list[Problem]:
    """A unit written twice after "Lưu:" (rules/recipients)."""
    d = parts.draft
    if d is None:
        return []
    unit = d.don_vi_soan.upper() if d.don_vi_soan else None
    luu = tuple(d.luu) if isinstance(d.luu, list) else d.luu  # the key of the memo: a list is no key
    return at.all(_of_value((recipients.validate_luu, type(d.luu), luu, unit),
                            lambda: recipients.validate_luu(d.luu, unit=unit)))


def _end_marks(at: _Placer, parts: _Parts, texts: list[tuple[KeyPath, str]]) -> list[Problem]:
    """A "./." typed where the document's body does not end: its end is the last
    article of a quyết định, else `noi_dung`; each attached document ends its own."""
    d = parts.draft
    if d is None:
        return []
    last = ("dieu", len(d.dieu) - 1) if d.doc_type.layout == "quyet-dinh" and d.dieu else ("noi_dung",)
    return [p for path, text in texts
            for p in at.all(body.end_mark_problems(text, final=path == last or path[0] == "van_ban_kem_theo"), path)]


def _district(at: _Placer, parts: _Parts, today: dt.date | None) -> list[Problem]:
    """A district-level issuer after the 2025 reform; needs the issuer and the date
    (an impossible date is its own error: then nothing is said here)."""
    co_quan, ngay = parts.co_quan, parts.data.get("ngay")
    if co_quan is None:
        return []
    date = parts.draft.ngay if parts.draft is not None else None
    if parts.draft is None and ngay not in (None, ""):
        date = _alone_date(ngay)
        if date is None:
            return []
    year = (today or dt.date.today()).year
    return at.all(_of_part(co_quan, (reform2025.validate, date, year), lambda: _once(reform2025.validate,
        issuer_lines=tuple(" ".join(line.split()).upper() for line in co_quan.lines),
        parent=" ".join(co_quan.chu_quan.split()).upper() if co_quan.chu_quan else None,
        date=date, year=year,
    )))


def _alone_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return date_line.parse_date(str(value))
    except ValueError:
        return None
