"""Small edits of WordprocessingML elements, in schema order (ECMA-376 §17.3).

Direct formatting set here is absolute in Word (a run's ``w:b w:val="0"`` is upright
whatever its style says), so a repair never needs to touch styles.

>>> from lxml import etree
>>> r = etree.fromstring('<w:r xmlns:w="%s"><w:rPr><w:sz w:val="24"/></w:rPr><w:t>x</w:t></w:r>' % W)
>>> set_run(r, bold=True, size_half_points=28)
>>> [c.tag.split('}')[1] for c in r.find(qn('w:rPr'))]
['b', 'bCs', 'sz', 'szCs']
"""

from __future__ import annotations

from lxml import etree

from drafter.oxml import W, qn

XML_SPACE = qn("xml:space")

RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
             "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
             "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
             "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
             "specVanish", "oMath")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
             "rPr", "sectPr", "pPrChange")
SECT_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
              "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
              "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
              "sectPrChange")


def child(parent: etree._Element, name: str, order: tuple[str, ...]) -> etree._Element:
    """The `w:name` child of `parent`, created in its schema place when absent."""
    found = parent.find(qn("w:" + name))
    if found is not None:
        return found
    new = etree.Element(qn("w:" + name))
    rank = order.index(name) if name in order else len(order)
    for i, c in enumerate(parent):
        if not isinstance(c.tag, str) or c.tag.split("}")[0][1:] != W:
            continue
        local = c.tag.split("}")[1]
        if (order.index(local) if local in order else len(order)) > rank:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


def _first(parent: etree._Element, name: str) -> etree._Element:
    """`w:name` as the first child (w:pPr of a paragraph, w:rPr of a run)."""
    found = parent.find(qn("w:" + name))
    if found is None:
        found = etree.Element(qn("w:" + name))
        parent.insert(0, found)
    return found


def rpr(r: etree._Element) -> etree._Element:
    return _first(r, "rPr")


def ppr(p: etree._Element) -> etree._Element:
    return _first(p, "pPr")


def _toggle(props: etree._Element, name: str, on: bool) -> None:
    for n in (name, name + "Cs"):
        el = child(props, n, RPR_ORDER)
        if on:
            el.attrib.pop(qn("w:val"), None)
        else:
            el.set(qn("w:val"), "0")


def set_run(r: etree._Element, *, bold: bool | None = None, italic: bool | None = None,
            size_half_points: int | None = None, font: str | None = None, black: bool = False) -> None:
    props = rpr(r)
    if font is not None:
        fonts = child(props, "rFonts", RPR_ORDER)
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn("w:" + slot), font)
        for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
            fonts.attrib.pop(qn("w:" + theme), None)
    if bold is not None:
        _toggle(props, "b", bold)
    if italic is not None:
        _toggle(props, "i", italic)
    if size_half_points is not None:
        for n in ("sz", "szCs"):
            child(props, n, RPR_ORDER).set(qn("w:val"), str(size_half_points))
    if black:
        col = child(props, "color", RPR_ORDER)
        col.set(qn("w:val"), "000000")
        for a in ("themeColor", "themeTint", "themeShade"):
            col.attrib.pop(qn("w:" + a), None)


def set_para(p: etree._Element, *, jc: str | None = None, first_line: int | None = None,
             before: int | None = None, after: int | None = None, line: int | None = None) -> None:
    props = ppr(p)
    if jc is not None:
        child(props, "jc", PPR_ORDER).set(qn("w:val"), jc)
    if first_line is not None:
        ind = child(props, "ind", PPR_ORDER)
        ind.attrib.pop(qn("w:hanging"), None)
        ind.attrib.pop(qn("w:hangingChars"), None)
        ind.attrib.pop(qn("w:firstLineChars"), None)
        ind.set(qn("w:firstLine"), str(first_line))
    if before is not None or after is not None or line is not None:
        sp = child(props, "spacing", PPR_ORDER)
        if before is not None:
            sp.set(qn("w:before"), str(before))
            sp.attrib.pop(qn("w:beforeAutospacing"), None)
            sp.attrib.pop(qn("w:beforeLines"), None)
        if after is not None:
            sp.set(qn("w:after"), str(after))
            sp.attrib.pop(qn("w:afterAutospacing"), None)
            sp.attrib.pop(qn("w:afterLines"), None)
        if line is not None:
            sp.set(qn("w:line"), str(line))
            sp.set(qn("w:lineRule"), "auto")


def texts(runs: list[etree._Element]) -> list[etree._Element]:
    """The w:t elements of these runs, in order."""
    return [t for r in runs for t in r.iter(qn("w:t"))]


def _set_text(t: etree._Element, value: str) -> None:
    t.text = value
    if value != value.strip():
        t.set(XML_SPACE, "preserve")


def replace_text(runs: list[etree._Element], old: str, new: str, *, fold: bool = False) -> bool:
    """Replace the first `old` in the joined text of the runs' w:t elements by `new`
    (the new text goes where `old` began, in that run's formatting). False when absent."""
    ts = texts(runs)
    joined = "".join(t.text or "" for t in ts)
    hay, needle = (joined.casefold(), old.casefold()) if fold else (joined, old)
    at = hay.find(needle)
    if at < 0 or not old:
        return False
    end = at + len(old)
    pos = 0
    placed = False
    for t in ts:
        text = t.text or ""
        lo, hi = pos, pos + len(text)
        pos = hi
        if hi <= at:
            continue
        if lo >= end:
            break
        a, b = max(at, lo) - lo, min(end, hi) - lo
        if not placed:
            _set_text(t, text[:a] + new + text[b:])
            placed = True
        else:
            _set_text(t, text[:a] + text[b:])
    return placed


def append_text(runs: list[etree._Element], suffix: str) -> bool:
    """Add `suffix` after the last non-blank character of the runs' text."""
    ts = [t for t in texts(runs) if (t.text or "").strip()]
    if not ts:
        return False
    t = ts[-1]
    text = t.text or ""
    stripped = text.rstrip()
    _set_text(t, stripped + suffix + text[len(stripped):])
    return True


def strip_end(runs: list[etree._Element], chars: str) -> str:
    """Remove trailing `chars` (and spaces between them) from the end of the runs' text;
    what was removed."""
    removed = ""
    for t in reversed(texts(runs)):
        text = t.text or ""
        kept = text.rstrip(chars + " ")
        removed = text[len(kept):] + removed
        _set_text(t, kept)
        if kept.strip():
            break
    return removed.strip()


def prepend_text(runs: list[etree._Element], prefix: str) -> bool:
    ts = [t for t in texts(runs) if (t.text or "").strip()]
    if not ts:
        return False
    t = ts[0]
    text = t.text or ""
    lead = len(text) - len(text.lstrip())
    _set_text(t, text[:lead] + prefix + text[lead:])
    return True


def split_run(r: etree._Element, at: int) -> etree._Element:
    """Split a run holding one w:t at character `at`: `r` keeps the head, a copy with the
    same formatting (inserted after it) the tail; the copy is returned."""
    import copy

    t = r.find(qn("w:t"))
    text = t.text or ""
    tail = copy.deepcopy(r)
    _set_text(t, text[:at])
    _set_text(tail.find(qn("w:t")), text[at:])
    r.addnext(tail)
    return tail
