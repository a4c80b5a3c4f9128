"""What differs when a document is issued electronically (``render --dien-tu``).

Nghị định 30/2020, Phụ lục I, mục II.7–8 and III.1 (docs/ky-so.md): the document is
a PDF the competent person, then the agency, sign digitally. Its layout differs from
the paper one in two places only:

- the blank between the signer's title and name holds the image of the handwritten
  signature and, over its left third, the seal at its real size: the space is
  ``SIGNATURE_SPACE_PT`` (geometry.SIGNATURE_SPACE_ELECTRONIC_MM) instead of the
  paper's 78 pt;
- the ``(Kèm theo … số … ngày …)`` line of an appendix or attached document keeps the
  decree's sample's dots for the number and the date: the agency's digital signature
  shows them (the number and the signing time), nobody writes them in by hand.

And the PDF is written as PDF/A (PDF/A-2b, LibreOffice's export), a PDF 1.4 or later,
so that signing adds to the file without changing its layout.

>>> SIGNATURE_SPACE_PT, SIGNATURE_SPACE_TWIPS
(119, 2380)
>>> format("Kèm theo", "Quyết định", "/QĐ-UBND", "Ủy ban nhân dân tỉnh Hưng Yên")
'(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân tỉnh Hưng Yên)'
>>> validate("1.6", "2")
[]
>>> [p.message[:30] for p in validate("1.6", None)]
['PDF chưa ở dạng PDF/A (LibreOf']
"""

from __future__ import annotations

from ..errors import Problem
from . import geometry as G

# The room between title and name, in points (whole points: the template's twips are 20 a point).
SIGNATURE_SPACE_PT = round(G.SIGNATURE_SPACE_ELECTRONIC_MM * 72 / 25.4)
SIGNATURE_SPACE_TWIPS = SIGNATURE_SPACE_PT * 20

# What the decree's sample prints where the signature supplies the value.
BY_SIGNATURE = "…"

# The PDF: PDF/A-2 (ISO 19005-2, level B), written by LibreOffice's export filter.
PDFA_PART = "2"
PDFA_CONFORMANCE = "B"
MIN_PDF_VERSION = (1, 4)  # an electronic copy: PDF 1.4 or later (Phụ lục I, phần II)


def format(verb: str, type_name: str, symbol: str, issuer: str) -> str:
    """The ``(Kèm theo …)`` / ``(Ban hành kèm theo …)`` line of an electronic document:
    the ký hiệu after the slash (``/QĐ-UBND``) and the issuer are written, the number
    and the date are the sample's dots.

    >>> format("Ban hành kèm theo", "Quyết định", "QĐ-UBND", "Sở Tài chính")
    '(Ban hành kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Sở Tài chính)'
    """
    sym = symbol.strip().lstrip("/")
    b = BY_SIGNATURE
    return f"({verb} {type_name} số {b}/{sym} ngày {b} tháng {b} năm {b} của {issuer})"


def _version(text: str) -> tuple[int, int] | None:
    """``"1.7"`` → (1, 7); None for what is not a version.

    >>> _version("1.4"), _version("%PDF-1.7".removeprefix("%PDF-")), _version("x")
    ((1, 4), (1, 7), None)
    """
    major, _, minor = text.strip().partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def validate(pdf_version: str, pdfa_part: str | None) -> list[Problem]:
    """The PDF of an electronic document: PDF 1.4 or later and PDF/A (its XMP metadata
    says ``pdfaid:part``). Unplaced problems, for the command to name the file.

    >>> [p.message[:24] for p in validate("1.3", "2")]
    ['PDF phiên bản 1.3 cũ hơn']
    """
    out = []
    v = _version(pdf_version)
    if v is None or v < MIN_PDF_VERSION:
        out.append(Problem(f"PDF phiên bản {pdf_version} cũ hơn PDF 1.4, không dùng để ký số được.",
                           hint="Cập nhật LibreOffice rồi tạo lại PDF."))
    if not pdfa_part:
        out.append(Problem("PDF chưa ở dạng PDF/A (LibreOffice không ghi thông tin PDF/A vào tệp).",
                           hint="Cập nhật LibreOffice (bản 7.4 trở lên) rồi chạy lại với --dien-tu."))
    return out
