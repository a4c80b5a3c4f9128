"""WordprocessingML snippets: runs, rule paragraphs, framed marks.

This is the XML layer. It knows element names and units (from :mod:`drafter.oxml`), not
the format rules: callers pass lengths and texts the rules already derived. Objects
returned implement `__html__`, so Jinja's autoescaping inserts them as markup while
every plain string value is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from drafter.oxml import FIGURE_CLOSE, FIGURE_MID, FIGURE_OPEN, figure_tag, half_points


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
        hp = half_points(size_pt)
        props += f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{text_xml(text)}</w:r>"


def figure_xml(reference: str, value: str, *, bold: bool = False, italic: bool = False) -> str:
    """A quoted figure as an inline content control tagged with its reference."""
    return (
        f'<w:sdt><w:sdtPr><w:tag w:val="{escape(figure_tag(reference), {chr(34): "&quot;"})}"/></w:sdtPr>'
        f"<w:sdtContent>{run_xml(value, bold=bold, italic=italic)}</w:sdtContent></w:sdt>"
    )


def _span_xml(text: str, bold: bool, italic: bool) -> str:
    if FIGURE_OPEN not in text:
        return run_xml(text, bold=bold, italic=italic)
    out = []
    for piece in text.split(FIGURE_OPEN):
        if FIGURE_CLOSE in piece:
            marked, rest = piece.split(FIGURE_CLOSE, 1)
            ref, _, value = marked.partition(FIGURE_MID)
            out.append(figure_xml(ref, value, bold=bold, italic=italic))
            piece = rest
        if piece:
            out.append(run_xml(piece, bold=bold, italic=italic))
    return "".join(out)


def runs(spans, *, bold: bool = False) -> Markup:
    """Runs for inline spans (objects with text/bold/italic). Fonts come from the
    paragraph style; runs carry only emphasis, so restyling a template in Word holds.
    Quoted figures (marked by drafter.figures) become tagged content controls."""
    return Markup("".join(_span_xml(s.text, bold or s.bold, s.italic) for s in spans))


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
