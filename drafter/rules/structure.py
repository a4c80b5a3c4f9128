"""The structure of a finished body, line by line: Phần/Chương/Mục, Điều, khoản, điểm.

The checker reads a document drafter may not have written; it asks the same patterns
and the same sequence rules the writer uses (:mod:`drafter.rules.body` splits a typed
body into paragraphs of these kinds, :mod:`drafter.rules.numbering` says which điểm
letters follow which), so a body drafter writes cannot fail them.

>>> [kind(x) for x in ("Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "1. Mục tiêu", "a) Một", "I. MỤC TIÊU", "Nội dung.")]
['chapter', 'text', 'article', 'khoan', 'diem', 'section', 'text']
>>> [(i, p.message[:30]) for i, p in diem_problems(["1. Mục tiêu", "a) Một;", "b) Hai;", "f) Ba."])]
[(3, 'Điểm thứ 3 "f)": chữ "f" không'), (3, 'Dãy điểm có vẻ đánh theo bảng ')]
>>> diem_problems(["a) Một;", "b) Hai.", "2. Khoản hai", "a) Lại từ đầu."])
[]
>>> [(i, m) for i, m in sequence_problems(["Điều 1. A", "Điều 3. B"])]
[(1, 'Sau «Điều 1.» là «Điều 3.»; cần «Điều 2.» (các điều đánh số liên tục).')]
>>> sequence_problems(["Chương I", "Điều 1. A", "1. Một", "2. Hai", "Chương II", "Điều 2. B", "1. Một"])
[]
>>> sequence_problems(["Điều 1. A", "1. Một", "3. Ba"])
[(2, 'Sau khoản «1.» là «3.»; cần «2.» (các khoản trong một điều đánh số liên tục).')]
"""

from __future__ import annotations

import re

from ..errors import Problem
from . import body, numbering

CHAPTER = "chapter"
ARTICLE = "article"
SECTION = "section"
KHOAN = "khoan"
DIEM = "diem"
TEXT = "text"

_KHOAN_NUMBER = re.compile(r"^(\d+)\.\s")
_ARTICLE_NUMBER = re.compile(r"^Điều\s+(\d+)\.")
_ROMAN_CHAPTER = re.compile(r"^(Chương|Phần|Mục)\s+([IVXLC]+|\d+)\b", re.IGNORECASE)


def kind(line: str) -> str:
    """What a body line is, by the writer's own patterns (rules/body)."""
    t = line.strip()
    if body._CHAPTER.match(t):
        return CHAPTER
    if body._ARTICLE.match(t):
        return ARTICLE
    m = body._DIEM.match(t)
    if m and m.group(1).islower():
        return DIEM
    if _KHOAN_NUMBER.match(t):
        return KHOAN
    if body._SECTION.match(t):
        return SECTION
    return TEXT


def diem_runs(lines: list[str]) -> list[list[int]]:
    """Indices of the điểm lines, in runs as rules/body.validate groups them: each khoản,
    section, article or chapter starts a new run (a dotted khoản `1.2.` too)."""
    runs: list[list[int]] = [[]]
    for i, ln in enumerate(lines):
        k = kind(ln)
        if k == DIEM:
            runs[-1].append(i)
        elif k in (CHAPTER, ARTICLE, SECTION, KHOAN) or body._KHOAN.match(ln.strip()):
            if runs[-1]:
                runs.append([])
    return [r for r in runs if r]


def diem_problems(lines: list[str]) -> list[tuple[int, Problem]]:
    """numbering.validate on each run of điểm, each problem at the line that raised it."""
    out: list[tuple[int, Problem]] = []
    for run in diem_runs(lines):
        labels = [body._DIEM.match(lines[i].strip()).group(0).strip() for i in run]
        seen: list[str] = []
        for k in range(1, len(labels) + 1):
            now = [p.message for p in numbering.validate(labels[:k])]
            for message in now:
                if message in seen:
                    seen.remove(message)
                else:
                    out.append((run[k - 1], Problem(message)))
            seen = now
    # the one hint of a Latin-alphabet run is kept once, at the line that first needed it
    kept: list[tuple[int, Problem]] = []
    messages: set[str] = set()
    for i, p in out:
        if p.message not in messages:
            messages.add(p.message)
            kept.append((i, p))
    return kept


def is_forbidden_letter(line: str) -> bool:
    """A điểm lettered f), j), w) or z) (absent from the Vietnamese alphabet)."""
    m = body._DIEM.match(line.strip())
    return bool(m) and m.group(1) in numbering.FORBIDDEN_LETTERS


def _roman_value(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    for n in range(1, 60):
        if numbering.roman(n) == text.upper():
            return n
    return None


def sequence_problems(lines: list[str]) -> list[tuple[int, str]]:
    """Điều numbered on from 1, chapters (Chương/Phần/Mục) on from I, khoản on from 1
    inside each article or section (messages in Vietnamese, each at its line)."""
    out: list[tuple[int, str]] = []
    last_article: int | None = None
    last_chapter: dict[str, int] = {}
    last_khoan: int | None = None
    for i, ln in enumerate(lines):
        t = ln.strip()
        k = kind(t)
        if k == ARTICLE:
            n = int(_ARTICLE_NUMBER.match(t).group(1)) if _ARTICLE_NUMBER.match(t) else None
            if n is not None:
                want = 1 if last_article is None else last_article + 1
                if n != want and last_article is not None:
                    out.append((i, f"Sau «Điều {last_article}.» là «Điều {n}.»; cần «Điều {want}.» "
                                   "(các điều đánh số liên tục)."))
                last_article = n
            last_khoan = None
        elif k == CHAPTER:
            m = _ROMAN_CHAPTER.match(t)
            if m:
                word = m.group(1).capitalize()
                n = _roman_value(m.group(2))
                prev = last_chapter.get(word)
                if n is not None and prev is not None and n != prev + 1:
                    shown = m.group(2)
                    want = numbering.roman(prev + 1) if not shown.isdigit() else str(prev + 1)
                    out.append((i, f"«{word} {shown}» đứng sau {word.lower()} thứ {prev}; cần "
                                   f"«{word} {want}» (đánh số liên tục)."))
                if n is not None:
                    last_chapter[word] = n
                    if word == "Chương":
                        last_chapter.pop("Mục", None)
            last_khoan = None
        elif k == SECTION:
            last_khoan = None
        elif k == KHOAN:
            n = int(_KHOAN_NUMBER.match(t).group(1))
            if last_khoan is not None and n != last_khoan + 1:
                out.append((i, f"Sau khoản «{last_khoan}.» là «{n}.»; cần «{last_khoan + 1}.» "
                               "(các khoản trong một điều đánh số liên tục)."))
            last_khoan = n
    return out


__all__ = ["kind", "diem_runs", "diem_problems", "is_forbidden_letter", "sequence_problems",
           "CHAPTER", "ARTICLE", "SECTION", "KHOAN", "DIEM", "TEXT"]
