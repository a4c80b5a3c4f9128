"""Section properties for appendix pages, made from the template's own final sectPr.

An appendix starts a new section: a new page, portrait or landscape, page numbers
restarting at 1 (none on its first page). In WordprocessingML a section's
properties sit in the last paragraph of that section, and the body's final sectPr
describes the last section; so each appendix is preceded by a paragraph carrying
the previous section's properties, and the final sectPr is replaced by the last
section's. Starting from the template's sectPr keeps its header references and
whatever a person restyled (margins) in Word.
"""

from __future__ import annotations

import re

from ..rules.layout import PAGE_H, PAGE_W
from .ooxml import Markup

_PGSZ = re.compile(r"<w:pgSz\b[^>]*/>")
_PGNUM = re.compile(r"<w:pgNumType\b[^>]*/>")


class Sections:
    def __init__(self, template_sect_pr: str):
        self.base = template_sect_pr
        m = _PGSZ.search(template_sect_pr)
        w = int(re.search(r'w:w="(\d+)"', m.group(0)).group(1)) if m else PAGE_W
        h = int(re.search(r'w:h="(\d+)"', m.group(0)).group(1)) if m else PAGE_H
        self.short, self.long = min(w, h), max(w, h)
        self._made: dict[tuple, str] = {}  # what a batch's documents ask again and again (4 kinds)

    def sect_pr(self, *, landscape: bool, restart: bool) -> str:
        key = ("sect", landscape, restart)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._sect_pr(landscape=landscape, restart=restart)
        return found

    def _sect_pr(self, *, landscape: bool, restart: bool) -> str:
        size = (
            f'<w:pgSz w:w="{self.long}" w:h="{self.short}" w:orient="landscape"/>'
            if landscape else f'<w:pgSz w:w="{self.short}" w:h="{self.long}"/>'
        )
        xml = _PGSZ.sub(size, self.base, count=1)
        num = '<w:pgNumType w:start="1"/>' if restart else "<w:pgNumType/>"
        xml = _PGNUM.sub(num, xml, count=1) if _PGNUM.search(xml) else xml.replace("</w:sectPr>", num + "</w:sectPr>")
        if "<w:titlePg/>" not in xml:
            xml = xml.replace("</w:sectPr>", "<w:titlePg/></w:sectPr>")
        return xml

    def break_before(self, *, previous_landscape: bool, previous_is_main: bool) -> Markup:
        """The paragraph that ends the previous section (the main text or an appendix)."""
        key = ("break", previous_landscape, previous_is_main)
        found = self._made.get(key)
        if found is None:
            sect = self.base if previous_is_main else self.sect_pr(landscape=previous_landscape, restart=True)
            found = self._made[key] = Markup(f'<w:p><w:pPr><w:pStyle w:val="DrEmpty"/>{sect}</w:pPr></w:p>')
        return found
