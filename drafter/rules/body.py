"""Body paragraphs (ô 6): one non-empty line is one paragraph.

Markers typed by the author (`I.`, `1.`, `1.1.`, `a)`, `-`, `+`) are kept as typed;
the rules only say how each kind is set (section headings in bold). A draft may also
ask for numbers to be generated: `[I]` a section (Roman), `[1]` a khoản, `[a]` a điểm
(Vietnamese alphabet, no f, j, w, z). Counters restart below each higher level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import inline, numbering

# Kinds of paragraph, each with its own paragraph style in the templates.
TEXT = "text"
SECTION = "section"  # "I. MỤC TIÊU": bold
CHAPTER = "chapter"  # "Chương I", "Phần thứ nhất": centred, bold
ARTICLE = "article"  # "Điều 5. …": the label bold

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
            out.append(f"{numbering.section_label(section)} {rest}")
        elif level == "1":
            khoan += 1
            diem = 0
            out.append(f"{numbering.khoan_label(khoan)} {rest}")
        else:
            diem += 1
            out.append(f"{numbering.diem_label(diem)} {rest}")
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
