"""Kính gửi (ô 9a) and Nơi nhận (ô 9b): the punctuation people keep getting wrong.

Each item is stored bare; its leading "- " and its ending ";" or "." are derived, so
a typed "- Sở Tài chính;" and a typed "Sở Tài chính" give the same line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEAD = re.compile(r"^\s*[-–—+•]\s*")
_TRAIL = re.compile(r"\s*[;,.:]\s*$")


def bare(item: str) -> str:
    """An item without the list marker and end punctuation that the rules add back."""
    text = _LEAD.sub("", item.strip())
    if text.endswith(("...", "…")):
        return text  # an ellipsis is content, not end punctuation
    return _TRAIL.sub("", text).strip()


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
    items = [recipients] if isinstance(recipients, str) else list(recipients)
    items = [b for b in (bare(i) for i in items) if b]
    if not items:
        return None
    if len(items) == 1:
        return KinhGui(inline=f"{items[0]}.", lines=())
    lines = tuple(f"- {b};" for b in items[:-1]) + (f"- {items[-1]}.",)
    return KinhGui(inline=None, lines=lines)


LUU_FIRST = "VT"  # văn thư keeps the first copy


def luu_line(luu: str | list[str] | None, *, unit: str | None = None) -> str:
    """`Lưu: VT, KT1.`: VT always first, then the drafting unit (added from `unit`
    when not typed), then anything else as typed (copy counts, initials)."""
    if luu is None:
        parts: list[str] = []
    elif isinstance(luu, str):
        parts = [p.strip() for p in luu.split(",")]
    else:
        parts = [str(p).strip() for p in luu]
    parts = [bare(re.sub(r"^\s*Lưu\s*:\s*", "", p)) for p in parts]
    parts = [p for p in parts if p and p.upper() != LUU_FIRST]
    if unit and not any(p.split("(")[0].split(".")[0].strip().upper() == unit.upper() for p in parts):
        parts.insert(0, unit)
    return f"Lưu: {', '.join([LUU_FIRST, *parts])}."


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
    return [f"- {b};" for b in bares] + [f"- {luu_line(luu, unit=unit)}"]


def validate_noi_nhan(lines: list[str]) -> list[str]:
    """Problems in Nơi nhận lines as read from a document (for the checker)."""
    problems = []
    real = [ln.strip() for ln in lines if ln.strip()]
    if not real:
        return ["Thiếu danh sách nơi nhận."]
    for ln in real[:-1]:
        if not ln.startswith("-"):
            problems.append(f"Dòng nơi nhận phải bắt đầu bằng '- ': '{ln}'.")
        elif not ln.endswith(";"):
            problems.append(f"Dòng nơi nhận phải kết thúc bằng ';': '{ln}'.")
    last = real[-1]
    if not re.match(r"^-\s*Lưu\s*:\s*VT\b", last):
        problems.append(f"Dòng cuối của nơi nhận phải là '- Lưu: VT, …': '{last}'.")
    elif not last.rstrip().endswith("."):
        problems.append(f"Dòng '- Lưu: …' phải kết thúc bằng dấu chấm: '{last}'.")
    return problems


def validate_kinh_gui(lines: list[str]) -> list[str]:
    """Problems in a multi-line Kính gửi list as read from a document."""
    problems = []
    items = [ln.strip() for ln in lines if ln.strip()]
    for i, ln in enumerate(items):
        last = i == len(items) - 1
        if not ln.startswith("-"):
            problems.append(f"Dòng kính gửi phải bắt đầu bằng '- ': '{ln}'.")
        end = "." if last else ";"
        if not ln.endswith(end):
            problems.append(f"Dòng kính gửi phải kết thúc bằng '{end}': '{ln}'.")
    return problems
