"""WordprocessingML snippets: runs, rule paragraphs, framed marks.

This is the XML layer. It knows element names and units (twips, half-points), not
the format rules: callers pass lengths and texts the rules already derived. Objects
returned implement `__html__`, so Jinja's autoescaping inserts them as markup while
every plain string value is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# A4 and the default margins of FORMAT.md, in twips (1/20 pt; 1 mm = 56.7 twips).
MM = 56.6929


def mm(v: float) -> int:
    return round(v * MM)


PAGE_W, PAGE_H = mm(210), mm(297)


@dataclass(frozen=True)
class Markup:
    xml: str

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml


def text_xml(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run_xml(text: str, *, bold: bool = False, italic: bool = False, size_pt: float | None = None) -> str:
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if size_pt:
        hp = round(size_pt * 2)
        props += f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{text_xml(text)}</w:r>"


def runs(spans, *, bold: bool = False) -> Markup:
    """Runs for inline spans (objects with text/bold/italic). Fonts come from the
    paragraph style; runs carry only emphasis, so restyling a template in Word holds."""
    return Markup("".join(run_xml(s.text, bold=bold or s.bold, italic=s.italic) for s in spans))


def rule_paragraph(length_twips: int, container_twips: int, *, style: str = "DrRule") -> Markup:
    """A centred horizontal rule of the given length: the bottom border of a tiny
    paragraph of its own, narrowed with indents (never the text's own paragraph)."""
    side = max(0, (container_twips - length_twips) // 2)
    return Markup(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:ind w:left="{side}" w:right="{side}"/></w:pPr></w:p>'
    )


def framed_paragraph(text: str, width_twips: int, container_twips: int, *, style: str = "DrMark") -> Markup:
    """Text in a single box (urgency and secrecy marks), the box as wide as the text."""
    side = max(0, (container_twips - width_twips) // 2)
    return Markup(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:ind w:left="{side}" w:right="{side}"/></w:pPr>'
        f"{run_xml(text)}</w:p>"
    )
