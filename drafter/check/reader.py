"""A .docx read into a small, exact view for the checker.

What it gives (:class:`DocView`):

* sections: page size and orientation, margins in mm, ``titlePg``, the header and
  footer parts each section uses (inherited from the previous section when not
  named, as Word does) and whether they hold a PAGE field;
* paragraphs in reading order: body paragraphs, paragraphs inside tables (with
  table, row and cell coordinates; nested tables too), inside text boxes
  (``w:txbxContent``, placed right after the paragraph that anchors them) and
  framed paragraphs (``w:framePr``); each with its runs and each run's *effective*
  properties — fonts of the four script slots, size, bold, italic, caps, hidden —
  resolved run → character style chain → paragraph style chain (``basedOn``) →
  table style → ``docDefaults``, theme fonts looked up in the theme part;
* tables as grids of cell texts, for the sums check.

Text is as Word shows it: ``w:tab`` → ``\\t``, ``w:br``/``w:cr`` → ``\\n``, caps
formatting applied, hidden and deleted text left out, field codes left out (their
results kept), ``mc:Fallback`` copies skipped. Parts are opened only through
:func:`drafter.package.reader.open_package` and :func:`parse_xml` (hardened); any
problem with the package raises :class:`~drafter.package.errors.PackageError`.

Toggle properties (bold, italic, caps) follow Word: the nearest level that sets them
wins, except that a character style setting one *toggles* the value of the
paragraph's style (ECMA-376 §17.7.3); direct formatting is absolute.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from lxml import etree

from drafter.oxml import MC, NS, W, internal_rels, is_rel_type, pt_from_half_points, qn, rels_part_name, to_mm
from drafter.oxml import local_name as _local
from drafter.oxml import namespace as _ns
from drafter.env import MiB, env_limit
from drafter.package.reader import Package, open_package, parse_xml

qn = functools.lru_cache(maxsize=None)(qn)  # the same few names, asked for per element

DEFAULT_MAX_ELEMENTS = 200_000
MAX_ELEMENTS_ENV = "DRAFTER_MAX_CHECK_ELEMENTS"


class TooLarge(Exception):
    """A document with more XML elements than the checker's bound; ``message`` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_elements(environ: dict[str, str] | None = None) -> int:
    """The element bound of one check: ``DRAFTER_MAX_CHECK_ELEMENTS`` if set, else 200,000.

    The checker's time and memory grow with the number of XML elements it reads
    (every part it parses together); they are counted in the raw bytes before
    anything is parsed, so a document over the bound costs one pass over its bytes.
    """
    try:
        return env_limit(MAX_ELEMENTS_ENV, DEFAULT_MAX_ELEMENTS, environ)
    except ValueError as exc:
        raise TooLarge(str(exc)) from None


DEFAULT_MAX_XML_MB = 10
MAX_XML_ENV = "DRAFTER_MAX_CHECK_MB"


def max_xml_bytes(environ: dict[str, str] | None = None) -> int:
    """The XML bound of one check, in bytes: ``DRAFTER_MAX_CHECK_MB`` (mebibytes, decimals
    allowed) if set, else 10 MiB. Text costs the checker about a second per MiB (each
    paragraph is normalised, folded and searched), so elements alone do not bound it."""
    try:
        return env_limit(MAX_XML_ENV, DEFAULT_MAX_XML_MB * MiB, environ, unit=MiB)
    except ValueError as exc:
        raise TooLarge(str(exc)) from None


def count_elements(data: bytes) -> int:
    """XML elements in a part, from its bytes: every start or empty tag (a raw '<' can
    only open markup in well-formed XML; end tags, declarations, comments and
    processing instructions are not elements). Over-counts only inside comments/CDATA.

    >>> count_elements(b'<?xml version="1.0"?><a><b/><c>x</c><!-- n --></a>')
    3
    """
    return data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")

SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "cs": "cstheme", "eastAsia": "eastAsiaTheme"}

DEFAULT_SIZE_PT = 10.0  # Word's size when nothing sets w:sz


def _wval(el: etree._Element | None, attr: str = "val") -> str | None:
    return None if el is None else el.get(qn("w:" + attr))


def _flag(el: etree._Element | None) -> bool | None:
    """An OOXML on/off element: absent → None, present → True unless val is false/0/off."""
    if el is None:
        return None
    return (el.get(qn("w:val")) or "true").lower() not in ("0", "false", "off")


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def mm(twips: int | None) -> float | None:
    return None if twips is None else round(to_mm(twips), 2)


# ------------------------------------------------------------------------ model


@dataclass(frozen=True)
class RunProps:
    """The formatting a run ends up with (its style chain and direct formatting resolved)."""

    fonts: tuple[tuple[str, str | None], ...]  # (slot, font name or None) for SLOTS
    size: float  # points
    bold: bool
    italic: bool
    caps: bool
    hidden: bool
    color: str | None = None  # w:color w:val ("auto", "FF0000") or None when unset

    def font(self, slot: str) -> str | None:
        return dict(self.fonts)[slot]


@dataclass(frozen=True)
class Run:
    """A run's text and its resolved formatting."""

    text: str
    props: RunProps


@dataclass
class Paragraph:
    """A paragraph of the body, a cell or a text box, as the rules see it: runs, style, layout."""

    index: int
    runs: list[Run]
    style_id: str | None
    style_name: str | None
    align: str | None  # "left", "center", "right", "both", "distribute" or None
    ind_left: int  # twips
    ind_first: int  # twips (negative for hanging)
    container: str  # "body", "cell", "textbox"
    section: int
    table: int | None = None
    row: int | None = None
    col: int | None = None
    ncols: int | None = None  # cells in this paragraph's row
    framed: bool = False
    frame_x_align: str | None = None
    frame_x: int | None = None
    numbered: bool = False  # w:numPr: Word numbering draws a label not in the text
    num: tuple[str, int] | None = None  # (w:numId, w:ilvl) of that numbering, for drafter import
    space_before: int | None = None  # twips (w:spacing w:before), None when unset
    space_after: int | None = None  # twips (w:spacing w:after)
    line: int | None = None  # w:spacing w:line (240ths of a line when line_rule is "auto")
    line_rule: str | None = None  # "auto", "exact", "atLeast"
    revisions: int = 0  # tracked-change elements (w:ins, w:del, w:moveFrom…) inside it
    comments: int = 0  # comment anchors (commentRangeStart / commentReference)
    hidden_text: str = ""  # text hidden with w:vanish (left out of `runs`)
    rule_pt: float | None = None  # a horizontal rule it draws: a bottom border under no text, or a line shape
    rule_lengths: tuple[float, ...] = ()  # every such rule, in document order (a tab layout draws two)
    border_bottom: bool = False  # a bottom border (the full-width line above a copy's block)
    # Custom tab stops (styles and direct, "clear" applied): (position in twips from the
    # text's left edge, "left"/"center"/"right"/"decimal"/"bar"), sorted by position.
    tab_stops: tuple[tuple[int, str], ...] = ()

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def in_table(self) -> bool:
        return self.table is not None


@dataclass
class Cell:
    """A table cell: its place in the row and the grid, its span and merge, its paragraphs and text."""

    row: int
    col: int  # ordinal of the cell in its row
    grid_col: int
    span: int
    continues_merge: bool  # w:vMerge without restart: the cell above continues here
    paragraphs: list[int]
    text: str = ""


@dataclass
class Table:
    """A table of the body (or nested in a cell): its rows of cells."""

    index: int
    rows: list[list[Cell]]
    nested_in: int | None  # the table holding this one
    borderless: bool

    @property
    def ncols(self) -> int:
        return max((c.grid_col + c.span for row in self.rows for c in row), default=0)


@dataclass
class HeaderPart:
    """A header or footer part: its text and whether it holds a PAGE field."""

    name: str
    text: str
    has_page_field: bool
    page_align: str | None = None  # alignment of the paragraph holding the PAGE field
    page_sizes: tuple[float, ...] = ()  # sizes (pt) of that paragraph's runs


@dataclass
class Section:
    """A section's page: size, orientation, margins, headers."""

    index: int
    page_w_mm: float | None
    page_h_mm: float | None
    orientation: str  # "portrait" or "landscape" (from the sizes; w:orient as a fallback)
    margins: dict[str, float | None]  # top, bottom, left, right in mm
    title_pg: bool
    headers: dict[str, HeaderPart | None] = field(default_factory=dict)  # default/first/even
    footers: dict[str, HeaderPart | None] = field(default_factory=dict)
    first_paragraph: int = 0
    last_paragraph: int = -1
    page_start: int | None = None  # w:pgNumType w:start

    def page_parts(self, page: str) -> tuple[HeaderPart | None, HeaderPart | None]:
        """Header and footer shown on this section's first page ("first") or later pages."""
        kind = "first" if page == "first" and self.title_pg else "default"
        return self.headers.get(kind), self.footers.get(kind)


@dataclass
class DocView:
    """The document as the checker reads it: paragraphs, tables, sections, its properties."""

    path: str | None
    paragraphs: list[Paragraph]
    tables: list[Table]
    sections: list[Section]
    comments_part: bool = False  # a comments part is related to the document
    core: dict[str, str] = field(default_factory=dict)  # docProps/core.xml: creator, lastModifiedBy
    pages: int | None = None  # docProps/app.xml <Pages>, as Word last counted them

    def paragraph(self, index: int) -> Paragraph:
        return self.paragraphs[index]


# ------------------------------------------------------------------------ styles


@dataclass
class _Style:
    """A style of styles.xml, before its chain is resolved."""

    sid: str
    kind: str
    name: str | None
    based_on: str | None
    ppr: etree._Element | None
    rpr: etree._Element | None


_PROPS_BY_STYLES: dict[bytes, dict] = {}


def _shared_props(styles: bytes) -> dict:
    """The run-properties cache of documents whose theme and styles parts are `styles`
    (RunProps are immutable, so documents can share them); a few style sets are kept."""
    try:  # hashlib's own blake2b, without the OpenSSL hashes hashlib loads first (~4 ms of a check)
        from _blake2 import blake2b
    except ImportError:  # a Python built without it
        from hashlib import blake2b

    key = blake2b(styles, digest_size=16).digest()
    cache = _PROPS_BY_STYLES.pop(key, None)
    if cache is None:
        cache = {}
        while len(_PROPS_BY_STYLES) >= 8:
            _PROPS_BY_STYLES.pop(next(iter(_PROPS_BY_STYLES)))
    _PROPS_BY_STYLES[key] = cache  # most recently used last
    return cache


class _Styles:
    def __init__(self, root: etree._Element | None, theme: dict[str, str | None]):
        self.by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_rpr = None
        self.default_ppr = None
        self.theme = theme
        if root is None:
            return
        self.default_rpr = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.default_ppr = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
        for st in root.iter(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            if not sid:
                continue
            kind = st.get(qn("w:type")) or "paragraph"
            self.by_id[sid] = _Style(
                sid, kind, _wval(st.find(qn("w:name"))), _wval(st.find(qn("w:basedOn"))),
                st.find(qn("w:pPr")), st.find(qn("w:rPr")),
            )
            if kind == "paragraph" and _flag_attr(st.get(qn("w:default"))):
                self.default_para = sid

    def chain(self, sid: str | None) -> list[_Style]:
        """The style and its basedOn ancestors, root first (cycles cut)."""
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            sid = st.based_on
        return out[::-1]


def _flag_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _theme_fonts(root: etree._Element | None) -> dict[str, str | None]:
    """minorHAnsi → the minor latin typeface, etc. Empty typefaces are None."""
    out: dict[str, str | None] = {}
    if root is None:
        return out
    for group, prefix in (("majorFont", "major"), ("minorFont", "minor")):
        el = next(root.iter(qn("a:" + group)), None)
        if el is None:
            continue
        faces = {}
        for tag in ("latin", "ea", "cs"):
            f = el.find(qn("a:" + tag))
            faces[tag] = (f.get("typeface") or None) if f is not None else None
        out[prefix + "HAnsi"] = out[prefix + "Ascii"] = faces["latin"]
        out[prefix + "EastAsia"] = faces["ea"]
        out[prefix + "Bidi"] = faces["cs"]
    return out


# ------------------------------------------------------------------------ reading


class _Reader:
    def __init__(self, pkg: Package, label: str | None):
        self.pkg = pkg
        self.label = label
        self.limit = max_elements()
        self.elements = 0  # XML elements of the parts read so far, against self.limit
        self.byte_limit = max_xml_bytes()
        self.xml_bytes = 0  # and their bytes, against self.byte_limit
        self.main = pkg.main_document_name()
        self.rels = self._rels(self.main)
        theme_root = self._part_by_type("theme")
        theme_bytes = self._last_bytes if theme_root is not None else b""
        styles_root = self._part_by_type("styles")
        self.styles = _Styles(styles_root, _theme_fonts(theme_root))
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.sections: list[Section] = []
        self._section = 0
        # Documents made from one template (a batch, a folder of letters) share their
        # styles: their runs' resolved properties are shared too, keyed by the styles' bytes.
        self._props_cache = _shared_props(theme_bytes + (self._last_bytes if styles_root is not None else b""))
        self._hidden: list[str] = []  # hidden text of the paragraph being read
        self._lines: list[float] = []  # lengths (pt) of the line shapes drawn in it
        self._ppr_cache: dict = {}
        self._last_bytes = b""
        self._package_rels: list | None = None
        self._revision_tags: tuple = ()
        self._comment_tags: tuple = ()

    # -- parts
    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (type, part name) of a part's internal relationships."""
        rels_name = rels_part_name(part)
        if not self.pkg.has(rels_name):
            return {}
        return {rel.rid: (rel.type, rel.part) for rel in internal_rels(self._xml(rels_name), part)}

    def _xml(self, name: str) -> etree._Element:
        """A part parsed, after its elements are counted against the bound of the whole check."""
        data = self.pkg.read(name)
        self._last_bytes = data
        self.xml_bytes += len(data)
        if self.xml_bytes > self.byte_limit:
            mb = f"{round(self.byte_limit / (1 << 20), 2):g}".replace(".", ",")
            raise TooLarge(
                f"Tệp có quá nhiều nội dung XML (hơn {mb} MB khi đọc tới phần '{name}'), vượt giới hạn "
                f"của drafter check. Văn bản hành chính thật ít khi quá 5 MB; nếu tệp tin cậy, có thể "
                f"nâng giới hạn bằng biến môi trường " + MAX_XML_ENV + ".")
        self.elements += count_elements(data)
        limit = self.limit
        if self.elements > limit:
            raise TooLarge(
                f"Tệp có quá nhiều phần tử XML (hơn {limit:_} khi đọc tới phần '{name}'), vượt giới hạn "
                f"của drafter check. Văn bản hành chính thật ít khi quá 100.000; nếu tệp tin cậy, có thể "
                f"nâng giới hạn bằng biến môi trường ".replace("_", ".") + MAX_ELEMENTS_ENV + ".")
        return parse_xml(data, name=self.pkg.entry(name).name, path=self.pkg.path, limits=self.pkg.limits)

    def _part(self, name: str) -> etree._Element | None:
        if not self.pkg.has(name):
            return None
        return self._xml(name)

    def _part_by_type(self, rel_name: str) -> etree._Element | None:
        for typ, name in self.rels.values():
            if is_rel_type(typ, rel_name):
                return self._part(name)
        return None

    # -- properties
    def run_props(self, rpr, rstyle: str | None, pstyle: str | None, tstyle: str | None) -> RunProps:
        # Keyed by the rPr's content: the same formatting in many runs is resolved once.
        key = (etree.tostring(rpr, with_tail=False) if rpr is not None else None, rstyle, pstyle, tstyle)
        cached = self._props_cache.get(key)
        if cached is not None:
            return cached
        st = self.styles
        base_levels = [st.default_rpr]
        base_levels += [s.rpr for s in st.chain(tstyle)]
        para_levels = [s.rpr for s in st.chain(pstyle)]
        char_levels = [s.rpr for s in st.chain(rstyle)]
        levels = [lv for lv in base_levels + para_levels + char_levels if lv is not None]

        fonts = []
        for slot in SLOTS:
            value = None
            for lv in reversed(levels if rpr is None else levels + [rpr]):
                rf = lv.find(qn("w:rFonts"))
                if rf is None:
                    continue
                theme = rf.get(qn("w:" + _THEME_ATTR[slot]))
                if theme:
                    value = st.theme.get(theme) or None
                    break
                name = rf.get(qn("w:" + slot))
                if name:
                    value = name
                    break
            fonts.append((slot, value))

        size = None
        for lv in reversed(levels if rpr is None else levels + [rpr]):
            v = _int(_wval(lv.find(qn("w:sz"))))
            if v is not None:
                size = pt_from_half_points(v)
                break

        def toggle(tag: str) -> bool:
            direct = _flag(rpr.find(qn("w:" + tag))) if rpr is not None else None
            if direct is not None:
                return direct
            value = False
            for lv in [x for x in base_levels + para_levels if x is not None]:
                f = _flag(lv.find(qn("w:" + tag)))
                if f is not None:
                    value = f
            char = None
            for lv in [x for x in char_levels if x is not None]:
                f = _flag(lv.find(qn("w:" + tag)))
                if f is not None:
                    char = f
            return (not value) if char else value

        color = None
        for lv in reversed(levels if rpr is None else levels + [rpr]):
            v = _wval(lv.find(qn("w:color")))
            if v is not None:
                color = v
                break

        props = RunProps(
            fonts=tuple(fonts),
            size=size if size is not None else DEFAULT_SIZE_PT,
            bold=toggle("b"),
            italic=toggle("i"),
            caps=toggle("caps"),
            hidden=toggle("vanish"),
            color=color,
        )
        self._props_cache[key] = props
        return props

    def _para_prop(self, ppr, pstyle: str | None, tstyle: str | None, tag: str):
        """The nearest pPr child `tag`: direct, paragraph style chain, table style, defaults."""
        if ppr is not None:
            el = ppr.find(qn("w:" + tag))
            if el is not None:
                return el
        key = (pstyle, tstyle, tag)
        if key in self._ppr_cache:
            return self._ppr_cache[key]
        found = None
        for lv in self._style_pprs(pstyle, tstyle):
            el = lv.find(qn("w:" + tag))
            if el is not None:
                found = el
                break
        self._ppr_cache[key] = found
        return found

    def _style_pprs(self, pstyle: str | None, tstyle: str | None) -> list:
        """The pPr of the paragraph style chain, the table style and the defaults, nearest first."""
        key = (pstyle, tstyle)
        got = self._ppr_cache.get(key)
        if got is None:
            levels = [self.styles.default_ppr] + [s.ppr for s in self.styles.chain(tstyle)]
            levels += [s.ppr for s in self.styles.chain(pstyle)]
            got = self._ppr_cache[key] = [lv for lv in reversed(levels) if lv is not None]
        return got

    def _has_bottom_border(self, ppr, pstyle, tstyle) -> bool:
        bdr = self._para_prop(ppr, pstyle, tstyle, "pBdr")
        bottom = bdr.find(qn("w:bottom")) if bdr is not None else None
        return bottom is not None and (bottom.get(qn("w:val")) or "none") not in ("nil", "none")

    def _rule_length(self, ppr, pstyle, tstyle, runs, ind_left: int, ctx: dict) -> float | None:
        """The length (pt) of the horizontal rule the paragraph draws, if any: a line shape
        in it, or its bottom border when it holds no text (drafter's rules: a tiny
        paragraph narrowed with indents inside the header cell)."""
        if self._lines:
            return max(self._lines)
        if any(r.text.strip() for r in runs):
            return None
        bdr = self._para_prop(ppr, pstyle, tstyle, "pBdr")
        bottom = bdr.find(qn("w:bottom")) if bdr is not None else None
        if bottom is None or (bottom.get(qn("w:val")) or "none") in ("nil", "none"):
            return None
        width = ctx.get("cell_width")
        if width is None:
            return None
        ind = self._para_prop(ppr, pstyle, tstyle, "ind")
        right = (_int(_wval(ind, "right") or _wval(ind, "end")) or 0) if ind is not None else 0
        length = width - 2 * _CELL_MARGIN - ind_left - right
        return round(length / 20, 1) if length > 0 else None

    def _spacing(self, ppr, pstyle: str | None, tstyle: str | None) -> dict[str, int | str | None]:
        """w:spacing's before, after, line and lineRule, each from the nearest level that sets it
        (a style may set the line and the paragraph only the space after)."""
        key = ("spacing", pstyle, tstyle)
        styled = self._ppr_cache.get(key)
        if styled is None:
            styled = self._ppr_cache[key] = self._spacing_of(self._style_pprs(pstyle, tstyle))
        if ppr is None or ppr.find(qn("w:spacing")) is None:
            return styled
        out = self._spacing_of([ppr])
        for attr, v in styled.items():
            if out[attr] is None:
                out[attr] = v
        if out["line"] is not None and out["lineRule"] is None:
            out["lineRule"] = "auto"
        return out

    @staticmethod
    def _spacing_of(levels: list) -> dict[str, int | str | None]:
        out: dict[str, int | str | None] = {"before": None, "after": None, "line": None, "lineRule": None}
        for lv in levels:
            el = lv.find(qn("w:spacing")) if lv is not None else None
            if el is None:
                continue
            for attr in out:
                if out[attr] is None and (v := el.get(qn("w:" + attr))) is not None:
                    out[attr] = v if attr == "lineRule" else _int(v)
        if out["line"] is not None and out["lineRule"] is None:
            out["lineRule"] = "auto"
        return out

    def _tab_stops(self, ppr, pstyle: str | None) -> tuple[tuple[int, str], ...]:
        """w:tabs merged down the style chain to the paragraph (w:val="clear" removes a stop)."""
        stops: dict[int, str] = {}
        levels = [self.styles.default_ppr] + [s.ppr for s in self.styles.chain(pstyle)] + [ppr]
        for lv in levels:
            tabs = lv.find(qn("w:tabs")) if lv is not None else None
            if tabs is None:
                continue
            for tab in tabs.findall(qn("w:tab")):
                pos = _int(tab.get(qn("w:pos")))
                val = tab.get(qn("w:val")) or "left"
                if pos is None:
                    continue
                if val == "clear":
                    stops.pop(pos, None)
                else:
                    stops[pos] = {"start": "left", "end": "right"}.get(val, val)
        return tuple(sorted(stops.items()))

    # -- walking
    def read(self) -> DocView:
        root = self._xml(self.main)
        raw = self._last_bytes
        # looked for in each paragraph only when the part holds any (most files hold none)
        self._revision_tags = _REVISION_TAGS if any(t in raw for t in _REVISION_BYTES) else ()
        self._comment_tags = _COMMENT_TAGS if b"comment" in raw else ()
        body = root.find(qn("w:body"))
        if body is None:
            body = etree.Element(qn("w:body"))
        self._sect_start = 0
        self._blocks(body, ctx={"container": "body", "tstyle": None})
        final = body.find(qn("w:sectPr"))
        self._close_section(final)
        for t in self.tables:
            for row in t.rows:
                for c in row:
                    c.text = "\n".join(self.paragraphs[i].text for i in c.paragraphs)
        comments = any(is_rel_type(typ, "comments") for typ, _ in self.rels.values())
        return DocView(self.label, self.paragraphs, self.tables, self.sections,
                       comments_part=comments, core=self._core(), pages=self._pages_if_needed())

    def _package_part(self, rel_name: str) -> etree._Element | None:
        """A part the package itself relates (docProps/core.xml, docProps/app.xml)."""
        rels_name = rels_part_name("")
        if not self.pkg.has(rels_name):
            return None
        if self._package_rels is None:
            self._package_rels = internal_rels(self._xml(rels_name), "")
        for rel in self._package_rels:
            if rel.type.endswith("/" + rel_name):
                return self._part(rel.part)
        return None

    def _core(self) -> dict[str, str]:
        root = self._package_part("core-properties")
        out: dict[str, str] = {}
        if root is not None:
            for el in root:
                name = _local(el) if isinstance(el.tag, str) else ""
                if name in ("creator", "lastModifiedBy") and (el.text or "").strip():
                    out[name] = el.text.strip()
        return out

    def _pages_if_needed(self) -> int | None:
        """Word's page count, asked for only by a document without page numbers (the
        checker's PAGE-NUM-MISSING), so most files are spared reading one more part."""
        if any(part is not None and part.has_page_field for sec in self.sections
               for part in (*sec.headers.values(), *sec.footers.values())):
            return None
        root = self._package_part("extended-properties")
        if root is None:
            return None
        el = next((e for e in root if isinstance(e.tag, str) and _local(e) == "Pages"), None)
        return _int(el.text) if el is not None and el.text else None

    def _blocks(self, parent: etree._Element, ctx: dict) -> None:
        for child in parent:
            name, ns = _local(child), _ns(child)
            if ns == MC and name == "AlternateContent":
                choice = child.find(qn("mc:Choice"))
                if choice is not None:
                    self._blocks(choice, ctx)
                continue
            if ns != W:
                continue
            if name == "p":
                self._paragraph(child, ctx)
            elif name == "tbl":
                self._table(child, ctx)
            elif name == "sdt":
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self._blocks(content, ctx)
            elif name in ("customXml", "ins", "moveTo"):
                self._blocks(child, ctx)

    def _table(self, tbl: etree._Element, ctx: dict) -> None:
        tpr = tbl.find(qn("w:tblPr"))
        tstyle = _wval(tpr.find(qn("w:tblStyle"))) if tpr is not None else None
        borders = tpr.find(qn("w:tblBorders")) if tpr is not None else None
        borderless = borders is not None and all(
            (b.get(qn("w:val")) or "") in ("nil", "none") for b in borders
        ) or (borders is None and tstyle is None)
        table = Table(len(self.tables), [], ctx.get("table"), borderless)
        self.tables.append(table)
        rows = [tr for tr in _children(tbl, "tr")]
        for r_i, tr in enumerate(rows):
            trpr = tr.find(qn("w:trPr"))
            grid = _int(_wval(trpr.find(qn("w:gridBefore")))) if trpr is not None else None
            grid = grid or 0
            cells = list(_children(tr, "tc"))
            row_cells: list[Cell] = []
            for c_i, tc in enumerate(cells):
                tcpr = tc.find(qn("w:tcPr"))
                span = (_int(_wval(tcpr.find(qn("w:gridSpan")))) if tcpr is not None else None) or 1
                vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                cont = vm is not None and (vm.get(qn("w:val")) or "continue") == "continue"
                cell = Cell(r_i, c_i, grid, span, cont, [])
                grid += span
                start = len(self.paragraphs)
                tcw = tcpr.find(qn("w:tcW")) if tcpr is not None else None
                cell_width = _int(_wval(tcw, "w")) if tcw is not None and _wval(tcw, "type") in (None, "dxa") else None
                sub = dict(ctx, container="cell", table=table.index, row=r_i, col=c_i,
                           ncols=len(cells), tstyle=tstyle or ctx.get("tstyle"), cell_width=cell_width)
                self._blocks(tc, sub)
                cell.paragraphs = [
                    i for i in range(start, len(self.paragraphs))
                    if self.paragraphs[i].table == table.index
                    and self.paragraphs[i].row == r_i and self.paragraphs[i].col == c_i
                ]
                row_cells.append(cell)
            table.rows.append(row_cells)

    def _paragraph(self, p: etree._Element, ctx: dict) -> None:
        ppr = p.find(qn("w:pPr"))
        pstyle = _wval(ppr.find(qn("w:pStyle"))) if ppr is not None else None
        if pstyle is None or pstyle not in self.styles.by_id:
            pstyle = self.styles.default_para
        tstyle = ctx.get("tstyle")
        runs: list[Run] = []
        nested: list[etree._Element] = []
        self._inline(p, pstyle, tstyle, runs, nested)
        jc = _wval(self._para_prop(ppr, pstyle, tstyle, "jc"))
        align = {"start": "left", "end": "right", "justify": "both"}.get(jc or "", jc)
        ind = self._para_prop(ppr, pstyle, tstyle, "ind")
        ind_left = _int(_wval(ind, "left") or _wval(ind, "start")) or 0 if ind is not None else 0
        first = 0
        if ind is not None:
            first = _int(_wval(ind, "firstLine")) or 0
            hanging = _int(_wval(ind, "hanging"))
            if hanging:
                first = -hanging
        sp = self._spacing(ppr, pstyle, tstyle)
        rule = self._rule_length(ppr, pstyle, tstyle, runs, ind_left, ctx)
        tab_stops = self._tab_stops(ppr, pstyle) if "\t" in "".join(r.text for r in runs) else ()
        frame = self._para_prop(ppr, pstyle, None, "framePr")
        num_pr = self._para_prop(ppr, pstyle, None, "numPr")
        numbered = num_pr is not None
        num = None
        if num_pr is not None:
            num_id = _wval(num_pr.find(qn("w:numId")))
            if num_id and num_id != "0":
                num = (num_id, _int(_wval(num_pr.find(qn("w:ilvl")))) or 0)
        style = self.styles.by_id.get(pstyle or "")
        para = Paragraph(
            index=len(self.paragraphs), runs=runs, style_id=pstyle,
            style_name=style.name if style else None, align=align,
            ind_left=ind_left, ind_first=first, container=ctx["container"],
            section=self._section, table=ctx.get("table"), row=ctx.get("row"),
            col=ctx.get("col"), ncols=ctx.get("ncols"), framed=frame is not None,
            frame_x_align=_wval(frame, "xAlign"), frame_x=_int(_wval(frame, "x")),
            numbered=numbered, num=num,
            space_before=sp["before"], space_after=sp["after"], line=sp["line"], line_rule=sp["lineRule"],
            revisions=sum(1 for _ in p.iter(*self._revision_tags)) if self._revision_tags else 0,
            comments=sum(1 for _ in p.iter(*self._comment_tags)) if self._comment_tags else 0,
            hidden_text="".join(self._hidden),
            rule_pt=rule,
            rule_lengths=tuple(self._lines) or ((rule,) if rule else ()),
            border_bottom=self._has_bottom_border(ppr, pstyle, tstyle),
            tab_stops=tab_stops,
        )
        self._hidden = []
        self._lines = []
        self.paragraphs.append(para)
        for box in nested:
            self._blocks(box, dict(ctx, container="textbox"))
        if ctx["container"] == "body" and ppr is not None:
            sect = ppr.find(qn("w:sectPr"))
            if sect is not None:
                self._close_section(sect)

    def _inline(self, parent, pstyle, tstyle, runs: list[Run], nested: list) -> None:
        for child in parent:
            name, ns = _local(child), _ns(child)
            if ns == MC and name == "AlternateContent":
                choice = child.find(qn("mc:Choice"))
                if choice is not None:
                    self._inline(choice, pstyle, tstyle, runs, nested)
                continue
            if ns != W:
                continue
            if name == "r":
                self._run(child, pstyle, tstyle, runs, nested)
            elif name in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo",
                          "dir", "bdo"):
                self._inline(child, pstyle, tstyle, runs, nested)
            elif name == "sdt":
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self._inline(content, pstyle, tstyle, runs, nested)

    def _run(self, r, pstyle, tstyle, runs: list[Run], nested: list) -> None:
        rpr = r.find(qn("w:rPr"))
        rstyle = _wval(rpr.find(qn("w:rStyle"))) if rpr is not None else None
        props = self.run_props(rpr, rstyle, pstyle, tstyle)
        parts: list[str] = []
        for child in r:
            name, ns = _local(child), _ns(child)
            if ns == W:
                if name == "t":
                    parts.append(child.text or "")
                elif name in ("tab", "ptab"):
                    parts.append("\t")
                elif name in ("br", "cr"):
                    parts.append("\n")
                elif name == "noBreakHyphen":
                    parts.append("-")
                elif name in ("drawing", "pict", "object"):
                    nested.extend(_text_boxes(child))
                    self._lines.extend(_line_lengths(child))
            elif ns == MC and name == "AlternateContent":
                nested.extend(_text_boxes(child))
        text = "".join(parts)
        if props.hidden and text:
            self._hidden.append(text)
        if props.hidden or not text:
            return
        if props.caps:
            text = text.upper()
        runs.append(Run(text, props))

    # -- sections
    def _close_section(self, sect: etree._Element | None) -> None:
        index = len(self.sections)
        prev = self.sections[-1] if self.sections else None
        sz = sect.find(qn("w:pgSz")) if sect is not None else None
        mar = sect.find(qn("w:pgMar")) if sect is not None else None
        pw, ph = _int(_wval(sz, "w")), _int(_wval(sz, "h"))
        if pw and ph:
            orientation = "landscape" if pw > ph else "portrait"
        else:
            orientation = "landscape" if _wval(sz, "orient") == "landscape" else "portrait"
        margins = {
            side: (to_mm(abs(v)) if (v := _int(_wval(mar, side))) is not None else None)
            for side in ("top", "bottom", "left", "right")
        }
        margins = {k: (round(v, 2) if v is not None else None) for k, v in margins.items()}
        title_pg = bool(_flag(sect.find(qn("w:titlePg")))) if sect is not None else False
        headers = dict(prev.headers) if prev else {}
        footers = dict(prev.footers) if prev else {}
        if sect is not None:
            for ref in sect.findall(qn("w:headerReference")):
                headers[ref.get(qn("w:type")) or "default"] = self._header(ref.get(qn("r:id")))
            for ref in sect.findall(qn("w:footerReference")):
                footers[ref.get(qn("w:type")) or "default"] = self._header(ref.get(qn("r:id")))
        pg = sect.find(qn("w:pgNumType")) if sect is not None else None
        self.sections.append(Section(
            index=index, page_w_mm=mm(pw), page_h_mm=mm(ph), orientation=orientation,
            margins=margins, title_pg=title_pg, headers=headers, footers=footers,
            first_paragraph=self._sect_start, last_paragraph=len(self.paragraphs) - 1,
            page_start=_int(_wval(pg, "start")),
        ))
        self._sect_start = len(self.paragraphs)
        self._section = index + 1

    def _header(self, rid: str | None) -> HeaderPart | None:
        typ, name = self.rels.get(rid or "", ("", ""))
        if not name:
            return None
        root = self._part(name)
        if root is None:
            return None
        instr = " ".join(
            [el.get(qn("w:instr")) or "" for el in root.iter(qn("w:fldSimple"))]
            + [el.text or "" for el in root.iter(qn("w:instrText"))]
        )
        text = "".join(t.text or "" for t in root.iter(qn("w:t")))
        has_page = bool(re.search(r"\bPAGE\b", instr.upper()))
        align, sizes = None, ()
        if has_page:
            for p in root.iter(qn("w:p")):
                codes = [el.get(qn("w:instr")) or "" for el in p.iter(qn("w:fldSimple"))]
                codes += [el.text or "" for el in p.iter(qn("w:instrText"))]
                if not re.search(r"\bPAGE\b", " ".join(codes).upper()):
                    continue
                ppr = p.find(qn("w:pPr"))
                pstyle = _wval(ppr.find(qn("w:pStyle"))) if ppr is not None else None
                if pstyle is None or pstyle not in self.styles.by_id:
                    pstyle = self.styles.default_para
                jc = _wval(self._para_prop(ppr, pstyle, None, "jc"))
                align = {"start": "left", "end": "right", "justify": "both"}.get(jc or "", jc)
                found = set()
                for r in p.iter(qn("w:r")):
                    rpr = r.find(qn("w:rPr"))
                    rstyle = _wval(rpr.find(qn("w:rStyle"))) if rpr is not None else None
                    found.add(self.run_props(rpr, rstyle, pstyle, None).size)
                sizes = tuple(sorted(found))
                break
        return HeaderPart(name, text, has_page, align, sizes)


_REVISION_TAGS = tuple(qn("w:" + t) for t in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
    "trPrChange", "tcPrChange", "numberingChange"))
_COMMENT_TAGS = (qn("w:commentRangeStart"), qn("w:commentReference"))
_REVISION_BYTES = (b":ins ", b":ins>", b":del ", b":del>", b"<ins", b"<del", b"moveFrom", b"moveTo",
                   b"PrChange", b"numberingChange")


def _children(parent: etree._Element, tag: str):
    """Direct `w:tag` children, looking through w:sdt / w:customXml wrappers."""
    for child in parent:
        if _ns(child) != W:
            continue
        name = _local(child)
        if name == tag:
            yield child
        elif name == "sdt":
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif name == "customXml":
            yield from _children(child, tag)


_CELL_MARGIN = 108  # twips: Word's default left and right cell margin
_VML = "urn:schemas-microsoft-com:vml"
_EMU_PER_PT = 12700
_WP = NS["wp"]
_LINE_GEOMETRIES = ("line", "straightConnector1")


def _vml_pt(value: str) -> float | None:
    """A VML coordinate ("12pt", "3.5in", "40" px) in points."""
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*(pt|in|cm|mm|px)?\s*", value or "")
    if not m:
        return None
    n = float(m.group(1))
    return n * {"pt": 1, "in": 72, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, None: 0.75}[m.group(2)]


def _line_lengths(el: etree._Element) -> list[float]:
    """Lengths (pt) of the horizontal lines drawn under `el`: VML v:line, DrawingML line shapes."""
    out: list[float] = []
    for line in el.iter(f"{{{_VML}}}line"):
        a = [_vml_pt(x) for x in (line.get("from") or "0,0").split(",")[:2]]
        b = [_vml_pt(x) for x in (line.get("to") or "0,0").split(",")[:2]]
        if len(a) == 2 and len(b) == 2 and None not in a + b and abs(b[1] - a[1]) < 2:
            out.append(round(abs(b[0] - a[0]), 1))
    for geom in el.iter(qn("a:prstGeom")):
        if geom.get("prst") not in _LINE_GEOMETRIES:
            continue
        node = geom
        while node is not None and _local(node) not in ("inline", "anchor"):
            node = node.getparent()
        extent = node.find(f"{{{_WP}}}extent") if node is not None else None
        cx = _int(extent.get("cx")) if extent is not None else None
        if cx:
            out.append(round(cx / _EMU_PER_PT, 1))
    return out


def _text_boxes(el: etree._Element) -> list[etree._Element]:
    """w:txbxContent elements under `el`, skipping mc:Fallback duplicates."""
    out = []
    stack = [el]
    while stack:
        node = stack.pop()
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if _ns(child) == MC and _local(child) == "Fallback":
                continue
            if _ns(child) == W and _local(child) == "txbxContent":
                out.append(child)
                continue
            stack.append(child)
    return out[::-1] if len(out) > 1 else out


def read_docx(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> DocView:
    """Read a .docx (path or bytes) into a :class:`DocView`; PackageError on a bad file."""
    label = name if name is not None else (None if isinstance(source, (bytes, bytearray)) else os.fspath(source))
    with open_package(source, name=label) as pkg:
        return _Reader(pkg, label).read()

