"""Inline emphasis in body text: `**bold**` and `*italic*`, nothing else.

markdown-it-py with only its emphasis rule parses the markers, so `R&D`, `<`, `{{`,
`%`, `&amp;` and backslashes stay literal text. Underscore emphasis is not ours:
`_x_` is printed as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # loaded only for lines with *

    return MarkdownIt("zero").enable(["emphasis"])


@lru_cache(maxsize=256)  # a batch parses the same untemplated lines in every document
def parse(line: str) -> tuple[Span, ...]:
    """Spans of one paragraph, adjacent spans of equal style merged."""
    if "*" not in line:
        # Only `*` makes emphasis: a line without it is printed as typed (underscores
        # included), so markdown-it is not needed (quoted-figure marks carry `phu_luc`).
        return (Span(line),) if line else ()
    blocks = _parser().parseInline(line)
    bold = italic = 0
    spans: list[Span] = []

    def add(text: str) -> None:
        if not text:
            return
        b, i = bold > 0, italic > 0
        if spans and spans[-1].bold == b and spans[-1].italic == i:
            spans[-1] = Span(spans[-1].text + text, b, i)
        else:
            spans.append(Span(text, b, i))

    for tok in blocks[0].children or []:
        if tok.markup == "_" or tok.markup == "__":
            add(tok.markup)  # underscore is not emphasis here: keep it as typed
        elif tok.type == "strong_open":
            bold += 1
        elif tok.type == "strong_close":
            bold -= 1
        elif tok.type == "em_open":
            italic += 1
        elif tok.type == "em_close":
            italic -= 1
        elif tok.type == "softbreak":
            add(" ")
        else:
            add(tok.content)
    return tuple(spans)


def plain(line: str) -> str:
    return "".join(s.text for s in parse(line))
