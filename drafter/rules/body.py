r"""Body paragraphs (ô 6): one non-empty line is one paragraph.

Markers typed by the author (`I.`, `1.`, `1.1.`, `a)`, `-`, `+`) are kept as typed;
the rules only say how each kind is set (section headings in bold). A draft may also
ask for numbers to be generated: `[I]` a section (Roman), `[1]` a khoản, `[a]` a điểm
(Vietnamese alphabet, no f, j, w, z). Counters restart below each higher level.

>>> [p.text for p in format("[I] Mục tiêu\n[1] Chung\n[a] Một\n[a] Hai;")]
['I. Mục tiêu', '1. Chung', 'a) Một', 'b) Hai./.']
>>> format("I. KẾT QUẢ")[0].kind
'section'

:func:`validate` reads the điểm of each khoản as they will be printed (typed or
generated) against the Vietnamese alphabet:

>>> validate("1. Nhiệm vụ\na) Một\nb) Hai\n2. Giải pháp\na) Ba")
[]
>>> [(p.severity, p.message) for p in validate("1. Nhiệm vụ\na) Một\nb) Hai\nc) Ba\nd) Bốn\ne) Năm")]
[('warning', 'Điểm thứ 5 "e)": bỏ sót "đ)"; ở vị trí này cần "đ)".')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem, warning
from . import inline, numbering

# Kinds of paragraph, each with its own paragraph style in the templates.
TEXT = "text"
SECTION = "section"  # "I. MỤC TIÊU": bold
CHAPTER = "chapter"  # "Chương I", "Phần thứ nhất": centred, bold

_SECTION = re.compile(r"^(?=[IVXLC]+\.\s)[IVXLC]+\.\s")
_CHAPTER = re.compile(r"^(Chương|Phần|Mục)\s+([IVXLC]+|\d+|thứ\s+\S+)\s*$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(Điều\s+\d+\.)\s*")
_AUTO = re.compile(r"^\[(I|1|a)\]\s*")


@dataclass(frozen=True)
class Paragraph:
    kind: str
    spans: tuple[inline.Span, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def _auto_number(lines: list[str]) -> list[str]:
    section = khoan = diem = 0
    out = []
    for ln in lines:
        m = _AUTO.match(ln)
        if not m:
            out.append(ln)
            continue
        rest = ln[m.end():]
        level = m.group(1)
        if level == "I":
            section += 1
            khoan = diem = 0
            out.append(f"{numbering.format(section, level)} {rest}")
        elif level == "1":
            khoan += 1
            diem = 0
            out.append(f"{numbering.format(khoan, level)} {rest}")
        else:
            diem += 1
            out.append(f"{numbering.format(diem, level)} {rest}")
    return out


def paragraphs(text: str | None) -> list[Paragraph]:
    if not text:
        return []
    lines = [ln.strip() for ln in text.splitlines()]
    lines = _auto_number([ln for ln in lines if ln])
    result = []
    for ln in lines:
        spans = inline.parse(ln)
        if _CHAPTER.match(ln):
            kind = CHAPTER
        elif _SECTION.match(ln):
            kind = SECTION
        else:
            kind = TEXT
        result.append(Paragraph(kind, spans))
    return result


def ensure_final_mark(paras: list[Paragraph], mark: str = "./.") -> list[Paragraph]:
    """End the body with `./.` (the end-of-text mark), replacing typed end punctuation."""
    if not paras:
        return paras
    last = paras[-1]
    spans = list(last.spans)
    s = spans[-1]
    text = re.sub(r"\s*(\./\.|[./;,:]+)\s*$", "", s.text)
    spans[-1] = inline.Span(text + mark, s.bold, s.italic)
    return [*paras[:-1], Paragraph(last.kind, tuple(spans))]


def format(text: str | None, mark: str = "./.") -> list[Paragraph]:
    """The paragraphs of a body as printed: numbers generated, the end mark added."""
    return ensure_final_mark(paragraphs(text), mark)


# A line that opens a new run of điểm: a khoản (`2.`, `1.2.`), a section, an article,
# a chapter.
_KHOAN = re.compile(r"^\d+(?:\.\d+)*\.\s")
# A line that looks like a điểm: one letter and ")" (any lower-case letter, so that a
# typed f) is caught).
_DIEM = re.compile(r"^([^\W\d_])\)\s")


def validate(text: str | None) -> list[Problem]:
    """Problems of the điểm labels, run by run (each khoản, section, article or chapter
    starts a new run), as :func:`paragraphs` prints them.

    A generated 24th điểm has no letter: an error. A typed label out of the alphabet's
    order is a warning, since which lines belong together is inferred from the text.
    """
    lines = [ln.strip() for ln in (text or "").splitlines()]
    try:
        lines = _auto_number([ln for ln in lines if ln])
    except ValueError as exc:
        return [Problem(str(exc))]
    problems: list[Problem] = []
    run: list[str] = []

    def close() -> None:
        problems.extend(warning(p.message) for p in numbering.validate(run))
        run.clear()

    for ln in lines:
        m = _DIEM.match(ln)
        if m and m.group(1).islower():
            run.append(ln[: m.end()].strip())
        elif _KHOAN.match(ln) or _SECTION.match(ln) or _ARTICLE.match(ln) or _CHAPTER.match(ln):
            close()
    close()
    return problems
