"""Inline emphasis in body text: `**bold**` and `*italic*`, nothing else.

markdown-it-py with only its emphasis rule parses the markers, so `R&D`, `<`, `{{`,
`%`, `&amp;` and backslashes stay literal text. Underscore emphasis is not ours:
`_x_` is printed as typed.

>>> parse("Kính gửi **Sở Tài chính** và *các huyện*")
(Span(text='Kính gửi ', bold=False, italic=False), Span(text='Sở Tài chính', bold=True, italic=False), Span(text=' và ', bold=False, italic=False), Span(text='các huyện', bold=False, italic=True))
>>> format("**Điều 1.** Ban hành kèm theo R&D_2025")
'Điều 1. Ban hành kèm theo R&D_2025'
>>> validate("**Điều 1.** Ban hành")
[]
>>> [p.message for p in validate("**Điều 1. Ban hành")]
["Dòng '**Điều 1. Ban hành' có dấu ** không thành cặp nên sẽ in ra nguyên dạng; chữ đậm viết giữa hai cặp dấu, như **Điều 1.**"]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from typing import TYPE_CHECKING

from ..errors import Problem, warning
from ..frozen import made

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


def plain(text: str) -> Span:
    """``Span(text)``, made by :func:`drafter.frozen.made` (a batch makes one for each
    line a row changed).

    >>> plain("Một") == Span("Một") and plain("Một").__dict__ == Span("Một").__dict__
    True
    """
    return made(Span, text=text)


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


def format(line: str) -> str:
    """The line as printed, without its emphasis markers."""
    return "".join(s.text for s in parse(line))


def validate(line: str) -> list[Problem]:
    """A bold marker left unpaired (`**` still in the printed text) is printed as typed.

    A single `*` is not judged: `(*)` and `5 * 3` are common literal uses.
    """
    if "**" not in format(line):
        return []
    shown = line if len(line) <= 60 else line[:59].rstrip() + "…"
    return [warning(f"Dòng '{shown}' có dấu ** không thành cặp nên sẽ in ra nguyên dạng; "
                    "chữ đậm viết giữa hai cặp dấu, như **Điều 1.**")]
