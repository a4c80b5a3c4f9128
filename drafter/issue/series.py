"""Which series (sổ) of the register a document's number comes from.

Nghị định 30 Điều 15: one series per agency and year for every type, shared by
paper and electronic documents; secret documents have their own; a council or
board that issues under its own name has its own; copies (sao y, sao lục, trích
sao) share one copy series. An agency whose own rules keep a series per type names
those types in its preset (``so_dang_ky.theo_loai``).

The series names stored in the register:

- ``chung`` — the agency's one series (the rule);
- ``mat`` — secret documents (a document with ``do_mat``);
- ``sao`` — copies, SY/SL/TrS alike;
- ``loai:<slug>`` — a type kept in its own series (``loai:quyet-dinh``);
- ``hoi-dong:<VIẾT TẮT>`` — a council's or board's own (``hoi-dong:HĐTĐKT``).

>>> rules = SeriesRules.from_mapping({"theo_loai": ["quyet-dinh"], "hoi_dong": ["HĐTĐKT"]})
>>> resolve(rules, loai="cong-van", ky_hieu="UBND-KT")
'chung'
>>> resolve(rules, loai="quyet-dinh", ky_hieu="QĐ-UBND")
'loai:quyet-dinh'
>>> resolve(rules, loai="quyet-dinh", ky_hieu="QĐ-HĐTĐKT")
'hoi-dong:HĐTĐKT'
>>> resolve(rules, loai="cong-van", ky_hieu="UBND-KT", do_mat="Mật")
'mat'
>>> resolve(rules, loai="quyet-dinh", ky_hieu="SY-UBND", copy=True)
'sao'
>>> resolve(SeriesRules(), loai="quyet-dinh", ky_hieu="QĐ-UBND")
'chung'
>>> resolve(SeriesRules(theo_loai=True), loai="to-trinh", ky_hieu="TTr-UBND")
'loai:to-trinh'
>>> describe("loai:quyet-dinh"), describe("hoi-dong:HĐTĐKT"), describe("chung")
('sổ riêng của loại Quyết định', 'sổ riêng của HĐTĐKT', 'sổ chung của cơ quan')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT = "chung"
SECRET = "mat"
COPIES = "sao"
TYPE_PREFIX = "loai:"
COUNCIL_PREFIX = "hoi-dong:"


@dataclass(frozen=True)
class SeriesRules:
    """An agency's series, from the ``so_dang_ky`` key of its preset.

    ``theo_loai``: ``True`` for a series per type, or the slugs kept in their own
    series (the rest share ``chung``). ``hoi_dong``: abbreviations of councils and
    boards that issue under their own name; a document whose ký hiệu carries one
    takes that body's series.
    """

    theo_loai: bool | frozenset[str] = False
    hoi_dong: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> SeriesRules:
        if not data:
            return cls()
        raw = data.get("theo_loai", False)
        theo_loai: bool | frozenset[str]
        if isinstance(raw, bool):
            theo_loai = raw
        elif isinstance(raw, str):
            theo_loai = frozenset({raw.strip()})
        else:
            theo_loai = frozenset(str(s).strip() for s in (raw or ()))
        councils = data.get("hoi_dong") or ()
        if isinstance(councils, str):
            councils = [councils]
        names = []
        for c in councils:
            if isinstance(c, Mapping):  # {ten: …, viet_tat: …}
                c = c.get("viet_tat", "")
            c = _nfc(str(c).strip())
            if c:
                names.append(c)
        return cls(theo_loai=theo_loai, hoi_dong=tuple(names))

    def own_type_series(self, loai: str) -> bool:
        if isinstance(self.theo_loai, bool):
            return self.theo_loai
        return loai in self.theo_loai


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def council_of(rules: SeriesRules, ky_hieu: str) -> str | None:
    """The council or board of ``rules.hoi_dong`` named in a ký hiệu, if any.

    >>> council_of(SeriesRules(hoi_dong=("BCĐ",)), "KH-BCĐ")
    'BCĐ'
    >>> council_of(SeriesRules(hoi_dong=("BCĐ",)), "KH-UBND") is None
    True
    """
    parts = {_nfc(p).casefold() for p in ky_hieu.replace("/", "-").split("-") if p}
    for c in rules.hoi_dong:
        if c.casefold() in parts:
            return c
    return None


def resolve(rules: SeriesRules, *, loai: str, ky_hieu: str = "", do_mat: str | None = None,
            copy: bool = False, explicit: str | None = None) -> str:
    """The series a document takes: ``explicit`` (the clerk's ``--so``) first, then a
    copy's, the secret series, a council's, a type's own, else the agency's one."""
    if explicit:
        return explicit.strip()
    if copy:
        return COPIES
    if do_mat:
        return SECRET
    council = council_of(rules, ky_hieu)
    if council:
        return COUNCIL_PREFIX + council
    if loai and rules.own_type_series(loai):
        return TYPE_PREFIX + loai
    return DEFAULT


def describe(series: str) -> str:
    """The series in a clerk's words, for messages and the register book."""
    if series == DEFAULT:
        return "sổ chung của cơ quan"
    if series == SECRET:
        return "sổ văn bản mật"
    if series == COPIES:
        return "sổ bản sao"
    if series.startswith(TYPE_PREFIX):
        slug = series[len(TYPE_PREFIX):]
        try:
            from drafter.rules import doctypes

            name = doctypes.get(slug).name
        except (KeyError, ValueError, LookupError):  # an unknown slug kept by an older preset
            name = slug
        return f"sổ riêng của loại {name}"
    if series.startswith(COUNCIL_PREFIX):
        return f"sổ riêng của {series[len(COUNCIL_PREFIX):]}"
    return f"sổ '{series}'"
