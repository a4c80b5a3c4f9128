"""The OOXML vocabulary drafter writes and reads, in one place.

Namespaces and the qualified-name helper (as python-docx keeps ``oxml/ns.py``),
relationship types and how a relationship's target names a part (as its
``opc/packuri.py``), the units WordprocessingML measures in, and drafter's own
content-control tags. Nothing here knows a format rule: the numbers of Nghị định 30
are in :mod:`drafter.rules.geometry`.

>>> qn("w:p")
'{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p'
>>> twips(20), round(to_mm(1134), 2), half_points(13), twips_from_pt(6), line_value(1.15)
(1134, 20.0, 26, 120, 276)
>>> rels_part_name("word/document.xml")
'word/_rels/document.xml.rels'
>>> resolve_target("word/document.xml", "../customXml/item1.xml")
'customXml/item1.xml'
>>> appendix_tag(2), appendix_number("drafter:phu-luc:2"), figure_reference("drafter:so-lieu:phu_luc[0].tong")
('drafter:phu-luc:2', 2, 'phu_luc[0].tong')
>>> appendix_bookmark(2), bookmark_appendix_number("_drafter_pl_2"), figure_bookmark("phu_luc[0].tong", 1)
('_drafter_pl_2', 2, '_drafter_sl_6c225298b1_1')
>>> is_figure_bookmark("_drafter_sl_6c225298b1_1"), is_figure_bookmark("_drafter_pl_2")
(True, False)
"""

from __future__ import annotations

import functools
import posixpath
import re
from typing import Any, NamedTuple

# --------------------------------------------------------------------------- namespaces

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
W, R, MC, A, PR = NS["w"], NS["r"], NS["mc"], NS["a"], NS["pr"]

# The compatibility-setting URI Word writes in settings.xml (not a namespace).
WORD_COMPAT_URI = "http://schemas.microsoft.com/office/word"


@functools.cache
def qn(tag: str) -> str:
    """Clark notation of a prefixed name: ``qn("w:p")`` → ``{…/main}p``."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


# Elements are lxml's, read by their Clark-notation tag; lxml is not imported here, so
# the writing side (templates, runs) loads without it.


def local_name(el: Any) -> str:
    """An element's name without its namespace; "" for comments and processing instructions."""
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def namespace(el: Any) -> str:
    tag = el.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


# --------------------------------------------------------------------------- relationships and parts

_RT_TRANSITIONAL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships/"


class RT:
    """Relationship types drafter writes (the transitional form Word writes)."""

    OFFICE_DOCUMENT = _RT_TRANSITIONAL + "officeDocument"
    STYLES = _RT_TRANSITIONAL + "styles"
    SETTINGS = _RT_TRANSITIONAL + "settings"
    HEADER = _RT_TRANSITIONAL + "header"
    EXTENDED_PROPERTIES = _RT_TRANSITIONAL + "extended-properties"
    CORE_PROPERTIES = PR + "/metadata/core-properties"


def is_rel_type(rel_type: str, name: str) -> bool:
    """Whether ``rel_type`` is the office relationship ``name`` ("styles", "header"…),
    transitional or strict (ISO 29500 Strict writes the purl.oclc.org form).

    >>> is_rel_type("http://purl.oclc.org/ooxml/officeDocument/relationships/styles", "styles")
    True
    >>> is_rel_type(RT.STYLES, "header")
    False
    """
    return rel_type in (_RT_TRANSITIONAL + name, _RT_STRICT + name)


class CT:
    """Content types of the parts the shipped templates hold."""

    RELS = "application/vnd.openxmlformats-package.relationships+xml"
    XML = "application/xml"
    MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
    SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
    HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
    CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
    EXTENDED_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"


class Rel(NamedTuple):
    rid: str
    type: str
    part: str  # the target's part name, resolved against the source part
    target: str  # the Target attribute as written


def rels_part_name(part: str) -> str:
    """The relationships part of ``part`` ("" for the package itself: ``_rels/.rels``)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source: str, target: str) -> str:
    """The part name a relationship of ``source`` points to (ECMA-376 Part 2 §9.3 with
    RFC 3986: relative to the source's folder, ``..`` never above the package root).
    ``source`` is "" for the package's own relationships."""
    return posixpath.normpath(posixpath.join("/", posixpath.dirname(source), target)).lstrip("/")


def internal_rels(rels_root: Any, source: str) -> list[Rel]:
    """The internal relationships of a parsed ``.rels`` part, targets resolved
    (external ones, such as hyperlinks, name no part of the package)."""
    out = []
    for rel in rels_root:
        if local_name(rel) != "Relationship" or (rel.get("TargetMode") or "Internal") == "External":
            continue
        target = rel.get("Target") or ""
        out.append(Rel(rel.get("Id") or "", rel.get("Type") or "", resolve_target(source, target), target))
    return out


# --------------------------------------------------------------------------- units

TWIPS_PER_PT = 20  # a twip is 1/20 pt
TWIPS_PER_MM = 1440 / 25.4  # 1440 twips to the inch
LINE = 240  # w:line of single spacing (lineRule auto): 240ths of a line


def twips(mm: float) -> int:
    """Millimetres → twips, rounded (20 mm → 1134)."""
    return round(mm * TWIPS_PER_MM)


def to_mm(tw: float) -> float:
    return tw / TWIPS_PER_MM


def twips_from_pt(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def half_points(pt: float) -> int:
    """w:sz is in half-points: 13 pt → 26."""
    return round(pt * 2)


def pt_from_half_points(hp: float) -> float:
    return hp / 2


def line_value(lines: float) -> int:
    """w:line for a multiple of single spacing (1.15 lines → 276)."""
    return round(lines * LINE)


# --------------------------------------------------------------------------- drafter's content controls

# Block-level controls around each appendix, tagged drafter:phu-luc:N (N from 1);
# inline controls around each quoted figure, tagged drafter:so-lieu:REF.
APPENDIX_TAG = "drafter:phu-luc:"
FIGURE_TAG = "drafter:so-lieu:"
# Word shows the alias as the control's title; LibreOffice keeps it when it drops the tag.
ALIAS_PREFIX = "drafter:"
APPENDIX_ALIAS = "drafter: phụ lục (tạo lại bằng drafter appendix)"
_APPENDIX_NUMBER = re.compile(re.escape(APPENDIX_TAG) + r"(\d{1,4})")

# A quoted figure inside a text, before the XML layer turns it into a control:
# OPEN reference MID printed value CLOSE (private-use characters no text holds).
FIGURE_OPEN, FIGURE_MID, FIGURE_CLOSE = "\ue000", "\ue001", "\ue002"


def appendix_tag(number: int | str) -> str:
    return f"{APPENDIX_TAG}{number}"


def appendix_number(tag: str) -> int | None:
    m = _APPENDIX_NUMBER.fullmatch(tag)
    return int(m.group(1)) if m else None


def figure_tag(reference: str) -> str:
    return FIGURE_TAG + reference


def figure_reference(tag: str) -> str | None:
    return tag[len(FIGURE_TAG):].strip() if tag.startswith(FIGURE_TAG) else None


# --------------------------------------------------------------------------- drafter's bookmarks

# The second marker, which LibreOffice keeps when it drops the content controls' tags:
# a bookmark around each appendix region (_drafter_pl_N) and around each quoted figure
# (_drafter_sl_HASH_K: HASH the first ten hex digits of the SHA-1 of the figure's
# reference, K its occurrence from 1, so the same figure quoted twice has two names).
# The reference is recovered from a fresh render of the draft, whose figures carry
# both markers. Word limits a bookmark name to 40 characters, without spaces.
APPENDIX_BOOKMARK = "_drafter_pl_"
FIGURE_BOOKMARK = "_drafter_sl_"
# w:id of the bookmarks drafter writes (unique in the document; far above what Word
# or LibreOffice number their own from).
APPENDIX_BOOKMARK_ID = 1_000_000
FIGURE_BOOKMARK_ID = 1_100_000
_APPENDIX_BOOKMARK_NUMBER = re.compile(re.escape(APPENDIX_BOOKMARK) + r"(\d{1,4})")
_FIGURE_BOOKMARK_NAME = re.compile(re.escape(FIGURE_BOOKMARK) + r"([0-9a-f]{10})_(\d{1,5})")


def appendix_bookmark(number: int | str) -> str:
    return f"{APPENDIX_BOOKMARK}{number}"


def bookmark_appendix_number(name: str) -> int | None:
    m = _APPENDIX_BOOKMARK_NUMBER.fullmatch(name or "")
    return int(m.group(1)) if m else None


def figure_hash(reference: str) -> str:
    import hashlib  # here: `drafter check` loads this module, not hashlib (OpenSSL)

    return hashlib.sha1(reference.encode("utf-8")).hexdigest()[:10]


def figure_bookmark(reference: str, occurrence: int) -> str:
    return f"{FIGURE_BOOKMARK}{figure_hash(reference)}_{occurrence}"


def is_figure_bookmark(name: str) -> bool:
    return _FIGURE_BOOKMARK_NAME.fullmatch(name or "") is not None
