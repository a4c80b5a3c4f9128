"""What each document type must have before it is a document, and the texts a new draft
leaves to be replaced.

:data:`NEEDS` is the table: for each type slug, the parts it cannot go without, each
naming the draft key that holds it (a body in `noi_dung`, the articles of a quyết
định in `dieu`, the Kính gửi of a công văn, a trích yếu, the signer's name). A part
whose key is missing or holds only empty text is refused, at that key
(:func:`validate`). The table is built from :mod:`drafter.rules.doctypes` by layout,
with the exceptions written out; docs/khoa-ban-thao.md lists it for office staff
(tests/test_completeness.py compares the two).

The second half is about a draft left as `drafter new` wrote it: :func:`left_as_made`
finds, in any text of a draft, a line equal to one the scaffold writes to be replaced
(`Nội dung văn bản …`, `Họ và tên người ký`). The placeholder lines are not copied
here: the caller reads them from the scaffold itself (drafter.placeholders) and
passes them in, by key pattern (`dieu[]` for any article). :func:`rendered_form` is the
same comparison for a line of a finished document (the checker's rule SCAFFOLD-LEFT).

>>> [n.key for n in NEEDS["quyet-dinh"]]
['trich_yeu', 'dieu', 'ky.ho_ten']
>>> [n.key for n in NEEDS["cong-van"]]
['trich_yeu', 'kinh_gui', 'noi_dung', 'ky.ho_ten']
>>> [n.key for n in NEEDS["giay-gioi-thieu"]]
['noi_dung', 'ky.ho_ten']
>>> format("cong-van")
'trích yếu (trich_yeu), Kính gửi (kinh_gui), nội dung (noi_dung), họ tên người ký (ky.ho_ten)'
>>> [(p.key, p.severity) for p in validate("quyet-dinh", {"trich_yeu": "Về việc A", "ky": {"ho_ten": "Võ Văn B"}})]
[('dieu', 'error')]
>>> [p.key for p in validate("quyet-dinh", {"trich_yeu": "A", "dieu": ["Điều một.", "  "], "ky": {"ho_ten": "B"}})]
['dieu[1]']
>>> format("giay-moi")
'trích yếu (trich_yeu), nội dung (noi_dung hoặc thoi_gian hoặc dia_diem hoặc thanh_phan), họ tên người ký (ky.ho_ten)'
>>> validate("cong-van", {"trich_yeu": "A", "kinh_gui": "Sở Tài chính", "noi_dung": "Nội dung.", "ky": {"ho_ten": "B"}})
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..errors import Problem, warning
from . import doctypes


@dataclass(frozen=True)
class Need:
    """A part a document cannot go without: its draft key, what it is called in a
    sentence, and how to add it."""

    key: str  # the draft key (a dotted path: "ky.ho_ten")
    what: str  # the part, as office staff call it
    hint: str
    each_item: bool = False  # a list whose every item must hold text (the articles)
    or_keys: tuple[str, ...] = ()  # other keys that hold the same part (a giấy mời's time and place)


TRICH_YEU = Need("trich_yeu", "trích yếu", "Ghi 'trich_yeu: …': một dòng tóm tắt nội dung chính của văn bản.")
KINH_GUI = Need("kinh_gui", "Kính gửi", "Thêm dòng 'kinh_gui: …' (một nơi nhận, hoặc danh sách mỗi nơi một dòng '- …').")
NOI_DUNG = Need("noi_dung", "nội dung", "Thêm khối 'noi_dung: |' rồi gõ nội dung bên dưới, mỗi đoạn một dòng, thụt lề hai dấu cách.")
DIEU = Need("dieu", "các điều", "Thêm 'dieu:' rồi mỗi điều một dòng '- …' bên dưới; drafter tự đánh 'Điều 1.', 'Điều 2.'…",
            each_item=True)
HO_TEN = Need("ky.ho_ten", "họ tên người ký", "Ghi họ tên người ký ở 'ky: ho_ten: …' (hoặc trong mẫu dùng chung của cơ quan).")

# Types whose form (Nghị định 30, Phụ lục III) has no trích yếu under the tên loại.
NO_TRICH_YEU = frozenset({"giay-gioi-thieu", "giay-nghi-phep", "giay-uy-quyen", "phieu-gui", "phieu-chuyen",
                          "phieu-bao"})


# Types whose body may be written in keys of their own instead of `noi_dung`.
BODY_KEYS: dict[str, tuple[str, ...]] = {
    "giay-moi": ("thoi_gian", "dia_diem", "thanh_phan"),
}


def _needs(t: doctypes.DocType) -> tuple[Need, ...]:
    out = [] if t.slug in NO_TRICH_YEU else [TRICH_YEU]
    if t.layout == "cong-van":
        out.append(KINH_GUI)
    if t.layout == "quyet-dinh":
        out.append(DIEU)
    else:
        out.append(replace(NOI_DUNG, or_keys=BODY_KEYS.get(t.slug, ())))
    out.append(HO_TEN)
    return tuple(out)


NEEDS: dict[str, tuple[Need, ...]] = {t.slug: _needs(t) for t in doctypes.TYPES}
# A document issued with a quyết định (van_ban_kem_theo[]): its trích yếu the model
# requires, its signer is the decision's unless it has its own; its body it must have.
ATTACHED_NEEDS: tuple[Need, ...] = (NOI_DUNG,)


def format(slug: str) -> str:
    """What a type must have, as a sentence part (docs and messages)."""
    return ", ".join(f"{n.what} ({' hoặc '.join((n.key, *n.or_keys))})" for n in NEEDS[slug])


def _text(value: Any) -> bool:
    """Does `value` hold any text (a text, a number, or a list with one)?"""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value) and not value.isspace()  # bool(value.strip()), without the copy
    if isinstance(value, (list, tuple)):
        return any(_text(v) for v in value)
    if isinstance(value, Mapping):
        return any(_text(v) for v in value.values())
    return True


def _get(data: Any, key: str) -> tuple[bool, Any]:
    """Whether the dotted `key` is written in `data`, and its value."""
    for part in _parts(key):
        if type(data) is not dict and not isinstance(data, Mapping):  # a plain dict: no ABC test
            return False, None
        if part not in data:
            return False, None
        data = data[part]
    return True, data


@lru_cache(maxsize=64)
def _parts(key: str) -> tuple[str, ...]:
    return tuple(key.split("."))


def validate(slug: str, data: Mapping, needs: tuple[Need, ...] | None = None) -> list[Problem]:
    """Each part type `slug` needs (`needs`: of an attached document) that `data` (the
    merged draft, as read) lacks, as an error at its key; an empty item of a list whose
    every item must hold text (an article) at that item.

    >>> [(p.key, p.message) for p in validate("quy-che", {"trich_yeu": "Làm việc"}, ATTACHED_NEEDS)]
    [('noi_dung', "Quy chế cần nội dung: khóa 'noi_dung' chưa có.")]
    """
    t = doctypes.get(slug)
    out: list[Problem] = []
    plain = type(data) is dict
    for need in NEEDS[slug] if needs is None else needs:
        key = need.key
        if plain and "." not in key:  # a key of the draft itself (_get without the calls)
            written = key in data
            value = data[key] if written else None
        else:
            written, value = _get(data, key)
        if need.or_keys and any(_text(_get(data, k)[1]) for k in need.or_keys):
            continue
        if not (bool(value) and not value.isspace() if type(value) is str else _text(value)):
            state = "để trống" if written else "chưa có"
            out.append(Problem(f"{t.name} cần {need.what}: khóa '{need.key}' {state}.", key=need.key, hint=need.hint))
        elif need.each_item and isinstance(value, list):
            out += [Problem(f"Điều {i + 1} ('{need.key}[{i}]') để trống.", key=f"{need.key}[{i}]",
                            hint="Gõ nội dung của điều, hoặc xóa dòng này.")
                    for i, item in enumerate(value) if not _text(item)]
    return out


# ------------------------------------------------------------------ left as the scaffold made it

_ELLIPSIS = "…"


def _norm(line: str) -> str:
    return " ".join(line.split())


def key_pattern(path: tuple) -> str:
    """A key path with its list indices left out: the key of every item.

    >>> key_pattern(("van_ban_kem_theo", 0, "ky", "ho_ten")), key_pattern(("dieu", 2))
    ('van_ban_kem_theo[].ky.ho_ten', 'dieu[]')
    """
    out = ""
    for k in path:
        out += "[]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def is_placeholder(line: str, extra: tuple[str, ...] | frozenset[str] = ()) -> bool:
    """Is a line of a scaffold one to be replaced: it holds '…', or it is one of the
    scaffold's fill-in texts without one (`extra`)?

    >>> is_placeholder("Nhiệm vụ thứ nhất …"), is_placeholder("Căn cứ Luật Tổ chức chính quyền địa phương")
    (True, False)
    >>> is_placeholder("Họ và tên người ký", ("Họ và tên người ký",))
    True
    """
    line = _norm(line)
    return bool(line) and (_ELLIPSIS in line or line in extra)


def placeholder_lines(data: Any, extra: tuple[str, ...] | frozenset[str] = (), path: tuple = ()) -> Iterator[tuple[str, str]]:
    """(key pattern, line) of every placeholder line in `data` (a scaffold as read)."""
    if isinstance(data, Mapping):
        for k, v in data.items():
            yield from placeholder_lines(v, extra, path + (str(k),))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from placeholder_lines(v, extra, path + (i,))
    elif isinstance(data, str):
        for line in data.splitlines():
            if is_placeholder(line, extra):
                yield key_pattern(path), _norm(line)


def may_be_left(text: str, extra: tuple[str, ...] | frozenset[str] = ()) -> bool:
    """Can a line of `text` be one :func:`candidates` finds? (The test of each text.)

    >>> may_be_left("Nhiệm vụ thứ nhất …"), may_be_left(" Họ  và tên ", ("Họ và tên",)), may_be_left("Lê Văn A")
    (True, True, False)
    >>> may_be_left("Ông Họ và tên", ("Họ và tên",)), may_be_left("\\n Họ và\\ttên\\n", ("Họ và tên",))
    (False, True)
    """
    if _ELLIPSIS in text:
        return True
    if not extra:
        return False
    # A text equal to one of `extra` but for its spaces starts (after its leading
    # spaces) with that one's first word: tested first, before the text is split.
    firsts = _first_words(extra)
    if firsts is not None and not (text.startswith(firsts) or (text[:1].isspace() and text.lstrip().startswith(firsts))):
        return False
    return _norm(text) in extra


@lru_cache(maxsize=64)
def _first_words(extra: tuple[str, ...] | frozenset[str]) -> tuple[str, ...] | None:
    """The first word of each of `extra` (None when one of them has no word)."""
    words = [e.split()[:1] for e in extra]
    return None if any(not w for w in words) else tuple(w[0] for w in words)


def candidates(data: Any, extra: tuple[str, ...] | frozenset[str] = (), path: tuple = ()) -> Iterator[tuple[tuple, int, str]]:
    """(key path, line index, line) of each line of a draft's texts that may have been
    left from a scaffold: it holds '…' or is one of `extra` (the cheap test, before the
    scaffold is read)."""
    if isinstance(data, Mapping):
        for k, v in data.items():
            yield from candidates(v, extra, path + (k,))
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            yield from candidates(v, extra, path + (i,))
    elif isinstance(data, str) and may_be_left(data, extra):
        for n, line in enumerate(data.splitlines()):
            if is_placeholder(line, extra):
                yield path, n, _norm(line)


def left_as_made(found: list[tuple[tuple, int, str]], scaffold: Mapping[str, frozenset[str]]) -> list[tuple[tuple, int, Problem]]:
    """Of the `candidates`, those equal to a line the scaffold writes at the same key
    (`scaffold`: key pattern → lines): a warning each, with its key path and line index.

    >>> found = [(("ky", "ho_ten"), 0, "Họ và tên người ký"), (("noi_dung",), 2, "Việc khác …")]
    >>> [(path, n, p.severity) for path, n, p in left_as_made(found, {"ky.ho_ten": frozenset({"Họ và tên người ký"})})]
    [(('ky', 'ho_ten'), 0, 'warning')]
    """
    out = []
    for path, n, line in found:
        if line in scaffold.get(key_pattern(path), ()):
            out.append((path, n, warning(
                f"Chữ mẫu của drafter new chưa được sửa: '{line}'.",
                hint="Thay bằng chữ thật của văn bản này.")))
    return out


_DECORATION = re.compile(
    r"^(?:[-+]\s+|V/v\s+|Điều\s+\d+\.\s*|\[\w+\]\s*|[IVXLC]+\.\s+|\d+(?:\.\d+)*\.\s+|[a-zđ]\)\s+)",
    re.IGNORECASE)


def rendered_form(line: str) -> str:
    """A line of a document as compared with the scaffold's placeholders: without what
    drafter adds around a text ('- ', 'V/v ', 'Điều 1. ', the closing './.' or ';') and
    without a leading label ('1.', 'a)', '[1]'), case folded.

    >>> rendered_form("Điều 1. Ban hành kèm theo Quyết định này …./.")
    'ban hành kèm theo quyết định này …'
    >>> rendered_form("2. Nhiệm vụ thứ hai …/.") == rendered_form("[1] Nhiệm vụ thứ hai …")
    True
    >>> rendered_form("- Các sở, ban, ngành tỉnh;"), rendered_form("V/v nội dung chính …")
    ('các sở, ban, ngành tỉnh', 'nội dung chính …')
    """
    text = _norm(line)
    text = _DECORATION.sub("", text, count=1)
    text = re.sub(r"(?:\.?/\.|[.;,])$", "", text)
    return text.casefold().strip()
