"""Kính gửi (ô 9a) and Nơi nhận (ô 9b): the punctuation people keep getting wrong.

Each item is stored bare; its leading "- " and its ending ";" or "." are derived, so
a typed "- Sở Tài chính;" and a typed "Sở Tài chính" give the same line.

>>> format("Sở Tài chính;")
'- Sở Tài chính;'
>>> format("- Sở Nội vụ", last=True)
'- Sở Nội vụ.'
>>> kinh_gui(["Sở Tài chính", "Sở Nội vụ."]).all_lines
('Kính gửi:', '- Sở Tài chính;', '- Sở Nội vụ.')
>>> noi_nhan_lines(["Bộ Công Thương"], ["KT1"], first="Như trên")
['- Như trên;', '- Bộ Công Thương;', '- Lưu: VT, KT1.']

:func:`validate` reads the lists of a document (the checker's Kính gửi and Nơi nhận):

>>> validate(kinh_gui=["- Sở Tài chính;", "- Sở Nội vụ."], noi_nhan=["- Như trên;", "- Lưu: VT, KT1."])
[]
>>> [p.message for p in validate(noi_nhan=["- Như trên", "- Lưu: KT1."])]
["Dòng nơi nhận phải kết thúc bằng ';': '- Như trên'.", "Dòng cuối của nơi nhận phải là '- Lưu: VT, …': '- Lưu: KT1.'."]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem, warning

_LEAD = re.compile(r"^\s*[-–—+•]\s*")
_TRAIL = re.compile(r"\s*[;,.:]\s*$")


def bare(item: str) -> str:
    """An item without the list marker and end punctuation that the rules add back.

    >>> [bare(i) for i in ["- Sở Tài chính;", "  • Sở Nội vụ . ", "Sở Y tế", "Các xã...", "-", "–  UBND xã:"]]
    ['Sở Tài chính', 'Sở Nội vụ', 'Sở Y tế', 'Các xã...', '', 'UBND xã']
    """
    text = item.strip()
    # The expressions only where they can match (a batch row's item has nothing to remove).
    if text[:1] in _LEADS:
        text = _LEAD.sub("", text)
    if text.endswith(("...", "…")):
        return text  # an ellipsis is content, not end punctuation
    if text[-1:] in _TRAILS:
        return _TRAIL.sub("", text).strip()
    return text


_LEADS = frozenset("-–—+•")  # what _LEAD removes starts with one of these (after the spaces)
_TRAILS = frozenset(";,.:")  # what _TRAIL removes ends with one of these, or a space (stripped already)


def format(item: str, *, last: bool = False) -> str:
    """One line of a recipient list: `- …;`, or `- ….` for the last line of Kính gửi."""
    return _line(bare(item), last)


def _line(bare_item: str, last: bool = False) -> str:
    # Items already bare are not stripped twice: "Sở X.;" keeps its "." as typed.
    return f"- {bare_item}{'.' if last else ';'}"


@dataclass(frozen=True)
class KinhGui:
    inline: str | None  # one recipient: on the "Kính gửi:" line itself
    lines: tuple[str, ...]  # several: one per line, "- …;" and the last "- ….".

    @property
    def all_lines(self) -> tuple[str, ...]:
        return (f"Kính gửi: {self.inline}",) if self.inline else ("Kính gửi:", *self.lines)


def kinh_gui(recipients: str | list[str] | None) -> KinhGui | None:
    if recipients is None:
        return None
    if type(recipients) is str:  # one recipient (a batch row's, nearly always)
        item = bare(recipients)
        return KinhGui(inline=f"{item}.", lines=()) if item else None
    items = [recipients] if isinstance(recipients, str) else list(recipients)
    items = [b for b in (bare(i) for i in items) if b]
    if not items:
        return None
    if len(items) == 1:
        return KinhGui(inline=f"{items[0]}.", lines=())
    lines = tuple(_line(b) for b in items[:-1]) + (_line(items[-1], last=True),)
    return KinhGui(inline=None, lines=lines)


LUU_FIRST = "VT"  # văn thư keeps the first copy

# Words naming the kind of unit before its abbreviation: "Vụ KHTC" is the unit KHTC.
_UNIT_KIND = re.compile(r"^(?:văn phòng|chi cục|tổng cục|trung tâm|bộ phận|phòng|ban|vụ|cục|sở|tổ|đội)\s+(?=\S)",
                        re.IGNORECASE)
_COPIES = re.compile(r"\s*\(.*?\)\s*$")  # "KT1 (02b)", "PL.(300)": a copy count


def unit_key(part: str) -> str:
    """What names the same unit in a Lưu line: the abbreviation, without the kind of
    unit before it, a copy count after it, case or spacing.

    >>> [unit_key(p) for p in ["KHTC", "Vụ KHTC", "vụ khtc", "Phòng KT1 (02b)", "PL.(300)", "Văn phòng UBND"]]
    ['KHTC', 'KHTC', 'KHTC', 'KT1', 'PL', 'UBND']
    """
    text = _COPIES.sub("", part.strip()).rstrip(". ")
    text = _UNIT_KIND.sub("", text)
    return "".join(text.split()).upper()


def _luu_parts(luu: str | list[str] | None) -> list[str]:
    """The items typed after "Lưu:", bare, in order (VT and repeats included)."""
    if luu is None:
        parts: list[str] = []
    elif isinstance(luu, str):
        parts = [p.strip() for p in luu.split(",")]
    else:
        parts = [str(p).strip() for p in luu]
    return [bare(re.sub(r"^\s*Lưu\s*:\s*", "", p)) for p in parts]


def luu_line(luu: str | list[str] | None, *, unit: str | None = None) -> str:
    """`Lưu: VT, KT1.`: VT always first, then the drafting unit (added from `unit`
    when not typed), then anything else as typed (copy counts, initials). A unit is
    written once: "KHTC" and "Vụ KHTC" are the same unit (:func:`unit_key`), the first
    typed is kept.

    >>> luu_line(["VT", "KHTC", "Vụ KHTC"])
    'Lưu: VT, KHTC.'
    >>> luu_line("VT, Phòng KT1, PL.(300)", unit="KT1")
    'Lưu: VT, Phòng KT1, PL.(300).'
    """
    seen = {LUU_FIRST}
    parts = []
    for p in _luu_parts(luu):
        key = unit_key(p)
        if p and key not in seen:
            seen.add(key)
            parts.append(p)
    if unit and unit_key(unit) and unit_key(unit) not in seen:
        unit = unit.strip()
        parts.insert(0, unit)
    return f"Lưu: {', '.join([LUU_FIRST, *parts])}."


def validate_luu(luu: str | list[str] | None, *, unit: str | None = None) -> list[Problem]:
    """A warning for each unit of `luu` already written before it (VT once is as
    expected: it is always first), with the key of the item (`luu[2]`, or `luu` for
    a text).

    >>> [(p.key, p.message) for p in validate_luu(["VT", "KHTC", "Vụ KHTC"])]
    [('luu[2]', 'Dòng "Lưu" đã có đơn vị "KHTC"; "Vụ KHTC" là cùng đơn vị nên drafter chỉ ghi một lần: "Lưu: VT, KHTC."')]
    >>> validate_luu("VT, KT1, PL.(300)")
    []
    """
    first: dict[str, str] = {}
    problems = []
    vt_seen = False
    for i, p in enumerate(_luu_parts(luu)):
        key = unit_key(p)
        if not p:
            continue
        if key == LUU_FIRST and not vt_seen:
            vt_seen = True
            first.setdefault(key, p)
            continue
        if key in first or key == LUU_FIRST:
            shown = first.get(key, LUU_FIRST)
            problems.append(warning(
                f'Dòng "Lưu" đã có đơn vị "{shown}"; "{p}" là cùng đơn vị nên drafter chỉ ghi một lần: '
                f'"{luu_line(luu, unit=unit)}"',
                key=f"luu[{i}]" if isinstance(luu, list) else "luu",
                hint=f'Xóa "{p}" khỏi khóa luu.',
            ))
        else:
            first[key] = p
    return problems


def noi_nhan_lines(
    items: list[str] | None,
    luu: str | list[str] | None,
    *,
    first: str | None = None,
    unit: str | None = None,
) -> list[str]:
    """The lines under "Nơi nhận:", each `- …;`, the last `- Lưu: VT, ….`.

    `first` is the item the layout requires on top ("Như trên" for a công văn with
    Kính gửi); it is moved there if typed elsewhere and added if missing.
    """
    bares = [b for b in (bare(i) for i in (items or [])) if b]
    bares = [b for b in bares if not b.startswith("Lưu:")]
    if first:
        bares = [b for b in bares if b.casefold() != first.casefold()]
        bares.insert(0, first)
    return [_line(b) for b in bares] + [f"- {luu_line(luu, unit=unit)}"]


def validate(*, kinh_gui: list[str] | None = None, noi_nhan: list[str] | None = None) -> list[Problem]:
    """Problems of the lists as read from a document: a multi-line Kính gửi (each line
    `- …;`, the last `- ….`) and the Nơi nhận lines (the last `- Lưu: VT, ….`).
    A list not given is not checked."""
    problems: list[Problem] = []
    if kinh_gui is not None:
        problems += _kinh_gui_problems(kinh_gui)
    if noi_nhan is not None:
        problems += _noi_nhan_problems(noi_nhan)
    return problems


def _noi_nhan_problems(lines: list[str]) -> list[Problem]:
    real = [ln.strip() for ln in lines if ln.strip()]
    if not real:
        return [Problem("Thiếu danh sách nơi nhận.")]
    problems = []
    for ln in real[:-1]:
        if not ln.startswith("-"):
            problems.append(Problem(f"Dòng nơi nhận phải bắt đầu bằng '- ': '{ln}'."))
        elif not ln.endswith(";"):
            problems.append(Problem(f"Dòng nơi nhận phải kết thúc bằng ';': '{ln}'."))
    last = real[-1]
    if not re.match(r"^-\s*Lưu\s*:\s*VT\b", last):
        problems.append(Problem(f"Dòng cuối của nơi nhận phải là '- Lưu: VT, …': '{last}'."))
    elif not last.rstrip().endswith("."):
        problems.append(Problem(f"Dòng '- Lưu: …' phải kết thúc bằng dấu chấm: '{last}'."))
    return problems


def _kinh_gui_problems(lines: list[str]) -> list[Problem]:
    problems = []
    items = [ln.strip() for ln in lines if ln.strip()]
    for i, ln in enumerate(items):
        if not ln.startswith("-"):
            problems.append(Problem(f"Dòng kính gửi phải bắt đầu bằng '- ': '{ln}'."))
        end = "." if i == len(items) - 1 else ";"
        if not ln.endswith(end):
            problems.append(Problem(f"Dòng kính gửi phải kết thúc bằng '{end}': '{ln}'."))
    return problems
