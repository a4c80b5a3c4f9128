"""The PDF of an electronic document (render --dien-tu, batch --dien-tu): read back
what LibreOffice wrote and say, in Vietnamese, when it is not the PDF/A the signing
needs (rules/electronic.validate)."""

from __future__ import annotations

from pathlib import Path

from .rules import electronic as rules

PDFA_NS = "http://www.aiim.org/pdfa/ns/id/"


def identity(path: Path | str) -> tuple[str, str | None]:
    """The PDF's version (``"1.7"``) and its PDF/A part (``"2"``), None when its XMP
    metadata names none. A file pypdf cannot read gives ``("?", None)``."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        version = reader.pdf_header.removeprefix("%PDF-")
        xmp = reader.xmp_metadata
    except (PyPdfError, OSError, ValueError, KeyError):
        return "?", None
    if xmp is None:
        return version, None
    for node in xmp.get_nodes_in_namespace("", PDFA_NS):
        if node.localName == "part":
            text = node.firstChild.data if node.firstChild is not None else node.getAttributeNS(PDFA_NS, "part")
            return version, (text or "").strip() or None
    for desc in xmp.rdf_root.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"):
        part = desc.getAttributeNS(PDFA_NS, "part")
        if part:
            return version, part.strip()
    return version, None


def pdf_problems(paths: list[Path]) -> list[str]:
    """One Vietnamese sentence per PDF that is not fit for signing, naming it."""
    from .errors import display_path

    out = []
    for p in paths:
        version, part = identity(p)
        for problem in rules.validate(version, part):
            hint = f" {problem.hint}" if problem.hint else ""
            out.append(f"{display_path(p)}: {problem.message}{hint}")
    return out
