"""The checker's reading of a .docx, with the XML elements behind it.

:class:`ElementReader` is the checker's own reader (drafter.check.reader) that also
remembers, for every paragraph it reads, the ``w:p`` element, the ``w:r`` elements
whose text it kept (in the order of ``Paragraph.runs``) and, for every section, its
``w:sectPr``: so a repair edits exactly the paragraph, run or section the checker
located, in the tree that will be written back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from drafter.check.reader import DocView, Paragraph, _Reader
from drafter.check.locate import Segment
from drafter.package.reader import Package


class ElementReader(_Reader):
    def __init__(self, pkg: Package, label: str | None):
        self.root = None
        super().__init__(pkg, label)
        self.p_elements: list[etree._Element] = []
        self.r_elements: dict[int, list[etree._Element]] = {}
        self.sect_elements: list[etree._Element | None] = []
        self._run_sink: list[etree._Element] | None = None

    def _xml(self, name: str) -> etree._Element:
        root = super()._xml(name)
        if name == self.main and getattr(self, "root", None) is None:
            self.root = root
        return root

    def _paragraph(self, p, ctx) -> None:
        index = len(self.paragraphs)
        outer = self._run_sink
        self._run_sink = sink = []
        self.p_elements.append(p)  # placeholder order: fixed below once appended
        slot = len(self.p_elements) - 1
        try:
            super()._paragraph(p, ctx)
        finally:
            self._run_sink = outer
        # super() appends this paragraph at `index`, then the paragraphs of its text
        # boxes (which appended their own elements after `slot`).
        self.r_elements[index] = sink
        assert self.p_elements[slot] is p

    def _run(self, r, pstyle, tstyle, runs, nested) -> None:
        before = len(runs)
        super()._run(r, pstyle, tstyle, runs, nested)
        if len(runs) > before and self._run_sink is not None:
            self._run_sink.append(r)

    def _close_section(self, sect) -> None:
        self.sect_elements.append(sect)
        super()._close_section(sect)


@dataclass
class View:
    doc: DocView
    root: etree._Element
    paragraphs: list[etree._Element]
    runs: dict[int, list[etree._Element]]
    sections: list[etree._Element | None]
    main: str
    rels: dict = field(default_factory=dict)

    def p(self, para: Paragraph) -> etree._Element:
        return self.paragraphs[para.index]

    def seg_runs(self, seg: Segment) -> list[etree._Element]:
        """The w:r elements holding a segment's text (same split as locate.segments_of)."""
        para = seg.para
        elements = self.runs.get(para.index, [])
        lines: list[list[list[int]]] = [[[]]]
        texts: list[list[list[str]]] = [[[]]]
        for i, run in enumerate(para.runs):
            for piece in re.split(r"(\n|\t)", run.text):
                if piece == "\n":
                    lines.append([[]])
                    texts.append([[]])
                elif piece == "\t":
                    lines[-1].append([])
                    texts[-1].append([])
                elif piece:
                    lines[-1][-1].append(i)
                    texts[-1][-1].append(piece)
        if seg.line >= len(lines):
            return []
        real = [idx for idx, tx in zip(lines[seg.line], texts[seg.line])
                if "".join(tx).replace("\u00a0", " ").strip()]
        if seg.seg >= len(real):
            return []
        out, seen = [], set()
        for i in real[seg.seg]:
            if i < len(elements) and i not in seen:
                seen.add(i)
                out.append(elements[i])
        return out


def read_view(pkg: Package, label: str | None) -> View:
    reader = ElementReader(pkg, label)
    doc = reader.read()
    return View(doc, reader.root, reader.p_elements, reader.r_elements, reader.sect_elements, reader.main)
