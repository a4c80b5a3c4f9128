"""WordprocessingML snippets: runs, rule paragraphs, framed marks.

This is the XML layer. It knows element names and units (from :mod:`drafter.oxml`), not
the format rules: callers pass lengths and texts the rules already derived. Objects
returned implement `__html__`, so Jinja's autoescaping inserts them as markup while
every plain string value is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drafter.oxml import (
    APPENDIX_BOOKMARK_ID,
    FIGURE_BOOKMARK,
    FIGURE_BOOKMARK_ID,
    FIGURE_CLOSE,
    FIGURE_MID,
    FIGURE_OPEN,
    appendix_bookmark,
    figure_hash,
    figure_tag,
    half_points,
)

from ..xmltext import escape


@dataclass(frozen=True)
class Markup:
    xml: str

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml


class EncodedXml(str):
    """XML text that carries its own UTF-8, made from pieces encoded once (a planned
    table's fixed fragments and its figures' ASCII: render/table_xml): ``encode()``
    gives those bytes, the same as ``str.encode`` of the text, without encoding its
    ~20,000 characters (two bytes each once one Vietnamese letter is in them) one at a
    time per row. Anything made from it (slices, concatenation) is a plain ``str``."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        utf8 = self.__dict__.get("utf8")
        if utf8 is not None and encoding in ("utf-8", "utf8", "UTF-8"):
            return utf8
        return str.encode(self, encoding, errors)


class SealedXml:
    """A planned table's XML kept as its UTF-8 and the text pieces it is made of, its
    text joined only when something reads it (``xml``, ``str()``, ``__html__``: a
    template's filter, a ``~``, a block or macro that prints it). Printed straight into
    a document (sandbox: ``print_as_is``), it reaches render/engine as itself, and
    its bytes are copied into the part: a batch row's table is then never made as
    text (~20,000 characters, 40 KB once one Vietnamese letter is in them, and as
    much again to make a str subclass of it: the row's largest fresh memory after
    the part itself, which evicted what the next stages read).

    Made only when true of its text (render/table_xml): it begins with ``<w:tbl>``
    and ends with ``</w:tbl>``; it holds no line break, tab, ``\a`` or ``\f`` and
    no ``<w:bookmarkStart`` or ``</w:sdt>`` (nothing render/engine looks for in a
    rendered part); and it is at least sandbox.LARGE_PIECE characters long, so the
    render notes it among the large pieces it printed. ``len()`` is its text's."""

    __slots__ = ("utf8", "_pieces", "_length", "_text")
    print_as_is = True  # sandbox: printed as this object, not as its text

    def __init__(self, pieces: list[str], length: int, utf8: bytes):
        self.utf8 = utf8
        self._pieces = pieces
        self._length = length
        self._text: str | None = None

    @property
    def xml(self) -> str:
        if self._text is None:
            self._text = "".join(self._pieces)
        return self._text

    def __len__(self) -> int:
        return self._length

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml

    def __repr__(self) -> str:
        return f"SealedXml({self._length} characters)"


def text_xml(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def _run_start(bold: bool, italic: bool, size_pt: float | None) -> str:
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if size_pt:
        hp = half_points(size_pt)
        props += f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">'


_RUN_STARTS: dict[tuple, str] = {}  # (bold, italic, size) -> the run's start: a handful, made once


def run_xml(text: str, *, bold: bool = False, italic: bool = False, size_pt: float | None = None) -> str:
    """One run of ``text`` (escaped) with its emphasis.

    >>> run_xml("a < b", bold=True)
    '<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">a &lt; b</w:t></w:r>'
    """
    key = (bold, italic, size_pt)
    start = _RUN_STARTS.get(key)
    if start is None:
        start = _RUN_STARTS[key] = _run_start(bold, italic, size_pt)
    return f"{start}{escape(text)}</w:t></w:r>"


@lru_cache(maxsize=256)  # a batch quotes the same references in every row
def _figure_start(reference: str) -> str:
    name = f"{FIGURE_BOOKMARK}{figure_hash(reference)}_0"
    return (f'<w:bookmarkStart w:id="0" w:name="{name}"/><w:sdt><w:sdtPr><w:tag w:val="'
            f'{escape(figure_tag(reference), {chr(34): "&quot;"})}"/></w:sdtPr><w:sdtContent>')


def figure_xml(reference: str, value: str, *, bold: bool = False, italic: bool = False) -> str:
    """A quoted figure as an inline content control tagged with its reference, inside a
    bookmark (the marker LibreOffice keeps) whose id and occurrence number
    :func:`number_figure_bookmarks` gives once the whole part is rendered."""
    return (f"{_figure_start(reference)}{run_xml(value, bold=bold, italic=italic)}</w:sdtContent></w:sdt>"
            '<w:bookmarkEnd w:id="0"/>')


_FIGURE_MARK = re.compile(
    r'<w:bookmarkStart w:id="0" w:name="' + re.escape(FIGURE_BOOKMARK) + r'([0-9a-f]{10})_0"/>'
    r'(<w:sdt>.*?</w:sdt>)<w:bookmarkEnd w:id="0"/>', re.DOTALL)


def number_figure_bookmarks(xml: str) -> str:
    """Give the figure bookmarks of a rendered part their ids (unique in the part) and
    their occurrence numbers (1, 2… for the same reference quoted again).

    >>> x = figure_xml("phu_luc[0].tong", "5") + figure_xml("phu_luc[0].tong", "5")
    >>> import re; re.findall(r'w:id="(\\d+)" w:name="(\\w+)"', number_figure_bookmarks(x))
    [('1100001', '_drafter_sl_6c225298b1_1'), ('1100002', '_drafter_sl_6c225298b1_2')]
    """
    pieces = figure_bookmark_pieces(xml)
    return xml if pieces is None else "".join(pieces)


def figure_bookmark_pieces(xml: str) -> list[str] | None:
    """:func:`number_figure_bookmarks` as the pieces its result joins (None: no
    figure mark, the part as it is), for a caller that joins them with more.

    >>> figure_bookmark_pieces("<w:p/>") is None
    True
    """
    return _bookmark_pieces(xml, _STR_MARKS)


def figure_bookmark_pieces_bytes(data: bytes, view: memoryview | None = None) -> list | None:
    """:func:`figure_bookmark_pieces` of a part's UTF-8 bytes: the pieces of the same
    part, encoded (what is looked for is ASCII, which UTF-8 never holds inside a
    letter's bytes). With ``view`` (``memoryview(data)``) the part's pieces are slices
    of it, not copies, for a caller that joins them (bytes.join takes them as they are).

    >>> x = figure_xml("phu_luc[0].tong", "5") + "đ" + figure_xml("phu_luc[0].tong", "5")
    >>> b"".join(figure_bookmark_pieces_bytes(x.encode())) == number_figure_bookmarks(x).encode()
    True
    >>> figure_bookmark_pieces_bytes(b"<w:p/>") is None
    True
    """
    return _bookmark_pieces(data, _BYTES_MARKS, view)


def figure_bookmark_pieces_parts(parts: list) -> list | None:
    """:func:`figure_bookmark_pieces_bytes` of ``b"".join(parts)`` where each part is
    bytes (looked through; never two in a row) or a :class:`SealedXml`'s UTF-8
    (``(utf8,)``, a 1-tuple: taken as it is, never looked through): the pieces of the same part,
    the last one cut from the last part; None when that cannot be told from the
    bytes parts alone (a control left open at a part's end, whose end
    mark the whole part's search would look for further on): then the whole way.

    A sealed part holds no start or end mark and begins with ``<w:tbl>``: no mark
    overlaps it, and a mark or control before it that would read into it is refused
    both ways (its hash or control's start is not there)."""
    state = [0, {}]
    out: list = []
    for part in parts:
        if type(part) is tuple:
            out.append(part[0])
            continue
        pieces = _bookmark_pieces(part, _BYTES_MARKS, memoryview(part), state)
        if pieces is None:
            out.append(part)
        elif pieces is False:
            return None
        else:
            out += pieces
    return out


def _bookmark_pieces(xml, marks, view=None, state=None):
    """What _FIGURE_MARK.sub would do, found with find (the lazy `.*?` stepped through
    each control's XML a character at a time): each start mark, its hash, the control
    and the first end mark after it; a start mark without them is text. ``xml`` a str
    or its bytes, with ``marks`` of the same kind; the part's own pieces cut from
    ``view`` when given (a memoryview of the bytes). With ``state`` (the count of
    marks so far and each hash's occurrences, carried from part to part:
    :func:`figure_bookmark_pieces_parts`), a control with no end mark in ``xml`` is
    False (not told here) instead of text.

    The start marks are found from the end (rfind): forward, ``find`` of this needle
    stepped through a part's XML nearly a byte at a time (its letters are the XML's
    own), from the last mark to the end of the part, ~8 us a document; backward it
    skips. A start mark holds one ``<``, its first character: two never overlap, so
    the ones found backward are the ones found forward; those inside a control already
    taken are passed over, as the forward search from its end did."""
    start, hash_end, sdt, sdt_end, end_mark, hex10, made = marks
    found = []
    at = xml.rfind(start)
    while at >= 0:
        found.append(at)
        at = xml.rfind(start, 0, at)
    if not found:
        return None
    cut = xml if view is None else view
    count, seen = state if state is not None else (0, {})
    out: list = []
    done = 0
    for at in reversed(found):
        if at < done:
            continue
        h = at + len(start)
        digest = xml[h:h + 10]
        body = h + 10 + len(hash_end)
        if not (len(digest) == 10 and hex10.fullmatch(digest) and xml.startswith(hash_end, h + 10)
                and xml.startswith(sdt, body)):
            continue
        end = xml.find(end_mark, body + len(sdt))
        if end < 0:
            if state is not None:
                return False
            continue
        count += 1
        seen[digest] = k = seen.get(digest, 0) + 1
        bid = FIGURE_BOOKMARK_ID + count
        opening, closing = made(bid, digest, k)
        out += (cut[done:at], opening, cut[body:end + len(sdt_end)], closing)
        done = end + len(end_mark)
    out.append(cut[done:])
    if state is not None:
        state[0] = count
    return out


_MARK_START = f'<w:bookmarkStart w:id="0" w:name="{FIGURE_BOOKMARK}'
_MARK_HASH_END = '_0"/>'
_MARK_END = '</w:sdt><w:bookmarkEnd w:id="0"/>'
_B_BOOKMARK = FIGURE_BOOKMARK.encode()
# (a mark's start, its hash's end, the control's start and end, the mark's end, a
# 10-digit hash, the numbered bookmark's start and end): as str, as bytes
_STR_MARKS = (_MARK_START, _MARK_HASH_END, "<w:sdt>", "</w:sdt>", _MARK_END,
              re.compile(r"[0-9a-f]{10}"),
              lambda bid, digest, k: (f'<w:bookmarkStart w:id="{bid}" w:name="{FIGURE_BOOKMARK}{digest}_{k}"/>',
                                      f'<w:bookmarkEnd w:id="{bid}"/>'))
_BYTES_MARKS = (_MARK_START.encode(), _MARK_HASH_END.encode(), b"<w:sdt>", b"</w:sdt>",
                _MARK_END.encode(), re.compile(rb"[0-9a-f]{10}"),
                lambda bid, digest, k: (b'<w:bookmarkStart w:id="%d" w:name="%s%s_%d"/>' % (bid, _B_BOOKMARK, digest, k),
                                        b'<w:bookmarkEnd w:id="%d"/>' % bid))


def appendix_marks(number: int) -> tuple[Markup, Markup]:
    """The bookmark's start and end around appendix `number`'s region (body level).

    >>> appendix_marks(2)[0].xml
    '<w:bookmarkStart w:id="1000002" w:name="_drafter_pl_2"/>'
    """
    bid = APPENDIX_BOOKMARK_ID + int(number)
    return (Markup(f'<w:bookmarkStart w:id="{bid}" w:name="{appendix_bookmark(int(number))}"/>'),
            Markup(f'<w:bookmarkEnd w:id="{bid}"/>'))


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
