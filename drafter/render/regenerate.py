"""Splice freshly rendered appendices into a document a person has edited.

This is the XML half of `drafter appendix`: given the edited document's main part
and a fresh render of the same draft, it replaces

* the content of every block-level content control tagged ``drafter:phu-luc:N``
  (label, title, "(Kèm theo …)" line, "Đơn vị tính" line, table, "Bằng chữ" lines)
  with the content of the fresh render's control of the same number;
* the text of every inline content control tagged ``drafter:so-lieu:REF`` (a figure
  quoted in the body) with the value the caller computes for REF;
* the page size of the section that holds appendix N, when the fresh render turns
  that section the other way (portrait / landscape);

and nothing else. Controls are matched by tag only: Word adds ``w:id``,
``w:showingPlcHdr``, ``w:rPr``… to ``w:sdtPr`` and those stay (but
``w:showingPlcHdr``, which would make Word treat real content as placeholder text).
Styles the new content uses and the edited styles part lacks (Word or a person may
have removed or renamed them) are copied from the fresh render's styles part.

Every problem (a control deleted, duplicated, more or fewer appendices than the
draft has, a figure that cannot be computed) is collected; if there is any, nothing
is changed and :class:`SpliceError` carries them all, in Vietnamese.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from drafter.oxml import (
    ALIAS_PREFIX,
    APPENDIX_ALIAS,
    APPENDIX_BOOKMARK,
    APPENDIX_TAG,
    appendix_number,
    appendix_tag,
    bookmark_appendix_number,
    figure_reference,
    is_figure_bookmark,
    local_name,
    qn,
)

class SpliceError(Exception):
    """Problems that stop the regeneration; nothing has been changed."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class SpliceResult:
    appendices: int = 0
    figures: int = 0
    turned: list[int] = field(default_factory=list)  # appendices whose page was turned
    moved_breaks: list[int] = field(default_factory=list)  # section breaks moved out of a control
    by_bookmark: list[int] = field(default_factory=list)  # appendices found by their bookmark only
    missing_figures: list[str] = field(default_factory=list)  # quoted figures with neither marker left
    unknown_figures: list[str] = field(default_factory=list)  # figure bookmarks the draft no longer quotes


# --------------------------------------------------------------------------- finding controls


def _tag(sdt: etree._Element) -> str | None:
    el = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
    if el is None:
        return None
    value = el.get(qn("w:val"))
    return value.strip() if value is not None else None


def appendix_controls(root: etree._Element) -> dict[int, list[etree._Element]]:
    """Appendix content controls by number (a list, to see duplicates)."""
    found: dict[int, list[etree._Element]] = {}
    for sdt in root.iter(qn("w:sdt")):
        tag = _tag(sdt)
        if not tag:
            continue
        number = appendix_number(tag)
        if number is not None:
            found.setdefault(number, []).append(sdt)
    return found


def figure_controls(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """Quoted-figure content controls in document order, with their references."""
    out = []
    for sdt in root.iter(qn("w:sdt")):
        ref = figure_reference(_tag(sdt) or "")
        if ref is not None:
            out.append((ref, sdt))
    return out


# --------------------------------------------------------------------------- finding bookmarks
#
# LibreOffice keeps bookmarks but writes one that spans paragraphs oddly: a start with no
# end in the first paragraph, then a start and an end of the same name at the end of the
# last one. So a region runs from the body-level element holding the FIRST start of the
# name to the one holding the LAST end whose id is any of that name's starts.


def _body_child(el: etree._Element, body: etree._Element) -> etree._Element | None:
    while el is not None and el.getparent() is not body:
        el = el.getparent()
    return el


def bookmark_regions(root: etree._Element) -> dict[int, list[etree._Element] | None]:
    """Appendix regions found by their bookmark `_drafter_pl_N`: the body-level
    paragraphs and tables from its start to its end; None when the pair is broken
    (no end, or an end before the start)."""
    body = root.find(qn("w:body"))
    if body is None:
        return {}
    starts: dict[int, list[etree._Element]] = {}
    ends: dict[str, etree._Element] = {}
    for el in root.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        if el.tag == qn("w:bookmarkStart"):
            n = bookmark_appendix_number(el.get(qn("w:name")) or "")
            if n is not None:
                starts.setdefault(n, []).append(el)
        else:
            ends[el.get(qn("w:id")) or ""] = el  # the last end of each id
    children = list(body)
    out: dict[int, list[etree._Element] | None] = {}
    for n, bs in starts.items():
        ids = {b.get(qn("w:id")) or "" for b in bs}
        last_ends = [ends[i] for i in ids if i in ends]
        first = _body_child(bs[0], body)
        tops = [_body_child(e, body) for e in last_ends]
        if first is None or not tops or any(t is None for t in tops):
            out[n] = None
            continue
        i, j = children.index(first), max(children.index(t) for t in tops)
        region = [c for c in children[i:j + 1] if c.tag in (qn("w:p"), qn("w:tbl"), qn("w:sdt"))]
        out[n] = region if j >= i and region else None
    return out


def _wrap(region: list[etree._Element], number: int) -> etree._Element:
    """Put a region found by its bookmark into a tagged control again (in place)."""
    sdt = etree.Element(qn("w:sdt"))
    pr = etree.SubElement(sdt, qn("w:sdtPr"))
    etree.SubElement(pr, qn("w:alias")).set(qn("w:val"), APPENDIX_ALIAS)
    etree.SubElement(pr, qn("w:tag")).set(qn("w:val"), appendix_tag(number))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    region[0].addprevious(sdt)
    for el in region:
        content.append(el)
    return sdt


def _fresh_figure_names(fresh: etree._Element) -> dict[str, str]:
    """Figure bookmark name → reference, from a fresh render (whose figures carry both)."""
    names = {}
    for ref, sdt in figure_controls(fresh):
        prev = sdt.getprevious()
        if prev is not None and prev.tag == qn("w:bookmarkStart") and is_figure_bookmark(prev.get(qn("w:name")) or ""):
            names[prev.get(qn("w:name"))] = ref
    return names


def _figure_span_texts(start: etree._Element) -> list[etree._Element] | None:
    """The w:t between a figure bookmark's start and its end, in its paragraph; None
    when the span holds (or sits in) a tagged figure control, which is used instead."""
    for anc in start.iterancestors(qn("w:sdt")):
        if figure_reference(_tag(anc) or "") is not None:
            return None
    para = next(start.iterancestors(qn("w:p")), None)
    if para is None:
        return None
    bid = start.get(qn("w:id"))
    texts, inside = [], False
    for el in para.iter():
        if el is start:
            inside = True
        elif not inside:
            continue
        elif el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) == bid:
            return texts
        elif el.tag == qn("w:sdt") and figure_reference(_tag(el) or "") is not None:
            return None
        elif el.tag == qn("w:t"):
            texts.append(el)
    return texts  # an end outside the paragraph: the texts to its end


def figure_bookmarks(root: etree._Element) -> list[tuple[str, list[etree._Element]]]:
    """Quoted figures found by their bookmark only (their control lost its tag), with
    the bookmark name and the texts it spans."""
    out = []
    for start in root.iter(qn("w:bookmarkStart")):
        name = start.get(qn("w:name")) or ""
        if is_figure_bookmark(name):
            texts = _figure_span_texts(start)
            if texts is not None:
                out.append((name, texts))
    return out


def _set_texts(texts: list[etree._Element], value: str) -> None:
    if not texts:
        return
    texts[0].text = value
    texts[0].set(qn("xml:space"), "preserve")
    for t in texts[1:]:
        t.getparent().remove(t)


def has_drafter_alias(root: etree._Element) -> bool:
    """A control that still carries drafter's alias but lost its tag (LibreOffice does that)."""
    for alias in root.iter(qn("w:alias")):
        if (alias.get(qn("w:val")) or "").startswith(ALIAS_PREFIX):
            return True
    return False


# --------------------------------------------------------------------------- sections


def _section_after(sdt: etree._Element, following: etree._Element | None) -> etree._Element | None:
    """The sectPr that closes the section holding `sdt`: the first one after its start
    in document order, provided it comes before the next appendix control."""
    root = sdt.getroottree().getroot()
    started = False
    for el in root.iter():
        if el is sdt:
            started = True
        elif el is following:
            return None
        elif started and el.tag == qn("w:sectPr"):
            parent = el.getparent()
            if parent is not None and parent.tag == qn("w:sectPrChange"):
                continue  # a tracked change's old properties: history, not the section
            return el
    return None


def _is_landscape(sect: etree._Element) -> bool | None:
    pg = sect.find(qn("w:pgSz"))
    if pg is None:
        return None
    if pg.get(qn("w:orient")) == "landscape":
        return True
    try:
        return int(pg.get(qn("w:w"), "0")) > int(pg.get(qn("w:h"), "0"))
    except ValueError:
        return None


def _turn(sect: etree._Element, fresh: etree._Element) -> bool:
    """Give `sect` the orientation of `fresh`, keeping its paper size. True if turned."""
    want = _is_landscape(fresh)
    have = _is_landscape(sect)
    if want is None or have == want:
        return False
    pg = sect.find(qn("w:pgSz"))
    if pg is None or have is None:
        new = copy.deepcopy(fresh.find(qn("w:pgSz")))
        if pg is None:
            # pgSz goes after the header/footer references and footnote/endnote props.
            anchor = None
            for child in sect:
                if local_name(child) in ("headerReference", "footerReference", "footnotePr",
                                                     "endnotePr", "type"):
                    anchor = child
            if anchor is None:
                sect.insert(0, new)
            else:
                anchor.addnext(new)
        else:
            sect.replace(pg, new)
        return True
    width, height = pg.get(qn("w:w")), pg.get(qn("w:h"))
    pg.set(qn("w:w"), height)
    pg.set(qn("w:h"), width)
    if want:
        pg.set(qn("w:orient"), "landscape")
    elif qn("w:orient") in pg.attrib:
        del pg.attrib[qn("w:orient")]
    return True


# --------------------------------------------------------------------------- splicing


def _inside_paragraph(el: etree._Element) -> bool:
    return any(a.tag == qn("w:p") for a in el.iterancestors())


def _content(sdt: etree._Element) -> etree._Element:
    content = sdt.find(qn("w:sdtContent"))
    if content is None:
        content = etree.SubElement(sdt, qn("w:sdtContent"))
    return content


def _replace_appendix(sdt: etree._Element, fresh: etree._Element) -> bool:
    """Put the fresh control's content into `sdt`; True if a section break had to be
    moved out of it (it then follows the control, as a paragraph of its own)."""
    content = _content(sdt)
    breaks = [copy.deepcopy(s) for s in content.iter(qn("w:sectPr"))
              if s.getparent() is not None and s.getparent().tag == qn("w:pPr")]
    for child in list(content):
        content.remove(child)
    for child in _content(fresh):
        content.append(copy.deepcopy(child))
    sdt_pr = sdt.find(qn("w:sdtPr"))
    if sdt_pr is not None:
        for ph in sdt_pr.findall(qn("w:showingPlcHdr")):
            sdt_pr.remove(ph)
    anchor = sdt
    for sect in breaks:
        p = etree.Element(qn("w:p"))
        ppr = etree.SubElement(p, qn("w:pPr"))
        ppr.append(sect)
        anchor.addnext(p)
        anchor = p
    return bool(breaks)


def _set_figure(sdt: etree._Element, value: str) -> None:
    content = _content(sdt)
    texts = [t for t in content.iter(qn("w:t"))]
    if texts:
        first = texts[0]
        first.text = value
        first.set(qn("xml:space"), "preserve")
        for t in texts[1:]:
            t.getparent().remove(t)
    else:
        for child in list(content):
            content.remove(child)
        r = etree.SubElement(content, qn("w:r"))
        t = etree.SubElement(r, qn("w:t"))
        t.text = value
        t.set(qn("xml:space"), "preserve")
    sdt_pr = sdt.find(qn("w:sdtPr"))
    if sdt_pr is not None:
        for ph in sdt_pr.findall(qn("w:showingPlcHdr")):
            sdt_pr.remove(ph)


_BOTH_LOST = ("có lẽ văn bản đã được lưu bằng một chương trình bỏ cả thẻ vùng nội dung lẫn dấu trang "
              "(bookmark), hoặc vùng đó đã bị xóa khi sửa")


def check_controls(edited: etree._Element, fresh_count: int, *, doc_name: str) -> list[str]:
    """Problems with the edited document's appendix regions against the draft's count.
    A region is found by its control's tag first, else by its bookmark (LibreOffice
    keeps the bookmark when it drops the tag)."""
    found = appendix_controls(edited)
    marks = bookmark_regions(edited)
    problems = []
    if fresh_count == 0:
        if found or marks:
            problems.append(
                f"Bản thảo không có phụ lục nào (khóa phu_luc) nhưng tệp '{doc_name}' có "
                f"{len(set(found) | set(marks))} vùng phụ lục. Hãy dùng đúng bản thảo của văn bản này.")
        else:
            problems.append("Bản thảo không có phụ lục nào (khóa phu_luc) nên không có bảng nào để tạo lại.")
        return problems
    if not found and not marks:
        msg = (f"Không tìm thấy vùng phụ lục nào trong tệp '{doc_name}': không còn vùng nội dung gắn thẻ "
               f"{APPENDIX_TAG}N, cũng không còn dấu trang (bookmark) {APPENDIX_BOOKMARK}N; {_BOTH_LOST}.")
        if has_drafter_alias(edited):
            msg += " Tệp còn vùng nội dung mang tên của drafter nhưng đã mất thẻ."
        msg += (" drafter tạo lại được bảng trong văn bản do drafter tạo ra rồi sửa bằng Microsoft Word hoặc "
                "LibreOffice; hãy tạo lại văn bản bằng drafter render, hoặc dùng một bản .docx trước đó.")
        return [msg]
    for n in range(1, fresh_count + 1):
        sdts = found.get(n, [])
        if not sdts:
            if n in marks and marks[n] is not None:
                continue  # found by its bookmark
            if n in marks:
                problems.append(
                    f"Dấu trang (bookmark) {APPENDIX_BOOKMARK}{n} của vùng phụ lục {n} trong tệp '{doc_name}' "
                    "không còn đủ điểm đầu và điểm cuối (có lẽ một phần vùng đã bị xóa), và vùng cũng đã mất thẻ "
                    f"{APPENDIX_TAG}{n}. Hãy tạo lại văn bản bằng drafter render.")
                continue
            problems.append(
                f"Không tìm thấy vùng phụ lục {n} trong tệp '{doc_name}': mất cả thẻ {APPENDIX_TAG}{n} lẫn dấu "
                f"trang {APPENDIX_BOOKMARK}{n}; {_BOTH_LOST}. Hãy tạo lại văn bản bằng drafter render, hoặc chép "
                "vùng phụ lục từ một bản mới tạo vào đúng chỗ.")
        elif len(sdts) > 1:
            problems.append(
                f"Vùng phụ lục {n} (thẻ {APPENDIX_TAG}{n}) có {len(sdts)} lần trong tệp '{doc_name}' "
                "(có lẽ đã bị sao chép). Hãy xóa bản thừa, chỉ giữ một vùng cho mỗi phụ lục.")
        elif _inside_paragraph(sdts[0]):
            problems.append(
                f"Vùng phụ lục {n} (thẻ {APPENDIX_TAG}{n}) trong tệp '{doc_name}' nằm bên trong một đoạn "
                "văn, không còn là một khối riêng. Hãy tạo lại văn bản bằng drafter render.")
    extra = sorted(n for n in set(found) | set(marks) if n > fresh_count or n < 1)
    if extra:
        names = ", ".join(str(n) for n in extra)
        problems.append(
            f"Tệp '{doc_name}' có vùng phụ lục {names} nhưng bản thảo chỉ có {fresh_count} phụ lục. "
            "drafter appendix chỉ tạo lại các phụ lục đã có, không thêm hay bớt phụ lục: khi số phụ lục "
            "thay đổi, hãy tạo lại văn bản bằng drafter render.")
    # Regions found by bookmark must not overlap each other nor a tagged control.
    seen: dict[int, int] = {}
    for n, region in sorted(marks.items()):
        if region is None or found.get(n) or not 1 <= n <= fresh_count:
            continue
        for el in region:
            other = seen.setdefault(id(el), n)
            if other != n:
                problems.append(
                    f"Vùng phụ lục {other} và {n} trong tệp '{doc_name}' (tìm theo dấu trang) chồng lên nhau. "
                    "Hãy tạo lại văn bản bằng drafter render.")
                break
    return problems


def splice(
    edited: etree._Element,
    fresh: etree._Element,
    figure_value: Callable[[str], str],
    *,
    doc_name: str,
) -> SpliceResult:
    """Change `edited` (the main part's root) in place; SpliceError leaves it untouched."""
    fresh_found = appendix_controls(fresh)
    fresh_count = len(fresh_found)
    problems = check_controls(edited, fresh_count, doc_name=doc_name)
    values: list[tuple[etree._Element, str]] = []
    tagged_refs = []
    for ref, sdt in figure_controls(edited):
        tagged_refs.append(ref)
        try:
            values.append((sdt, figure_value(ref)))
        except ValueError as exc:
            problems.append(f"Số liệu trích “{ref}” trong tệp '{doc_name}' không tính lại được: {exc}")
    names = _fresh_figure_names(fresh)
    marked: list[tuple[list[etree._Element], str]] = []
    result = SpliceResult()
    found_refs = list(tagged_refs)
    for name, texts in figure_bookmarks(edited):
        ref = names.get(name)
        if ref is None:
            result.unknown_figures.append(name)
            continue
        found_refs.append(ref)
        try:
            marked.append((texts, figure_value(ref)))
        except ValueError as exc:
            problems.append(f"Số liệu trích “{ref}” trong tệp '{doc_name}' không tính lại được: {exc}")
    if problems:
        raise SpliceError(problems)
    for ref, _sdt in figure_controls(fresh):
        if ref in found_refs:
            found_refs.remove(ref)
        else:
            result.missing_figures.append(ref)

    found = appendix_controls(edited)
    marks = bookmark_regions(edited)
    numbers = sorted(fresh_found)
    for n in numbers:
        if not found.get(n):
            found[n] = [_wrap(marks[n], n)]  # the fresh content brings the bookmark again
            result.by_bookmark.append(n)
    fresh_sections = {}
    for i, n in enumerate(numbers):
        nxt = fresh_found[numbers[i + 1]][0] if i + 1 < len(numbers) else None
        fresh_sections[n] = _section_after(fresh_found[n][0], nxt)
    for n in numbers:
        if _replace_appendix(found[n][0], fresh_found[n][0]):
            result.moved_breaks.append(n)
        result.appendices += 1
    for i, n in enumerate(numbers):
        nxt = found[numbers[i + 1]][0] if i + 1 < len(numbers) else None
        sect = _section_after(found[n][0], nxt)
        if sect is not None and fresh_sections[n] is not None and _turn(sect, fresh_sections[n]):
            result.turned.append(n)
    for sdt, value in values:
        _set_figure(sdt, value)
        result.figures += 1
    for texts, value in marked:
        _set_texts(texts, value)
        result.figures += 1
    return result


# --------------------------------------------------------------------------- styles


_STYLE_REFS = ("pStyle", "rStyle", "tblStyle")


def used_styles(elements) -> set[str]:
    ids = set()
    for el in elements:
        for name in _STYLE_REFS:
            for ref in el.iter(qn("w:" + name)):
                if ref.get(qn("w:val")):
                    ids.add(ref.get(qn("w:val")))
    return ids


def appendix_elements(root: etree._Element) -> list[etree._Element]:
    return [sdt for sdts in appendix_controls(root).values() for sdt in sdts]


def rename_to_edited_styles(edited_styles: etree._Element, fresh_styles: etree._Element, elements) -> dict[str, str]:
    """Point the new content's style references that the edited styles lack at the
    edited style of the same name and type, when there is one: LibreOffice renames
    style ids after their names (DrPhuLuc → Phlc for "Phụ lục"), and a copied
    DrPhuLuc would be a second style of the same name. Returns old id → new id."""
    have = {s.get(qn("w:styleId")) for s in edited_styles.iter(qn("w:style"))}

    def key(style):
        name = style.find(qn("w:name"))
        return (style.get(qn("w:type")), name.get(qn("w:val")) if name is not None else None)

    by_name = {key(s): s.get(qn("w:styleId")) for s in edited_styles.iter(qn("w:style"))}
    mapping = {}
    for style in fresh_styles.iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        k = key(style)
        if sid not in have and k[1] and by_name.get(k):
            mapping[sid] = by_name[k]
    if mapping:
        for el in elements:
            for name in _STYLE_REFS:
                for ref in el.iter(qn("w:" + name)):
                    if ref.get(qn("w:val")) in mapping:
                        ref.set(qn("w:val"), mapping[ref.get(qn("w:val"))])
    return mapping


def copy_missing_styles(edited_styles: etree._Element, fresh_styles: etree._Element, ids: set[str]) -> list[str]:
    """Copy into `edited_styles` the definitions of `ids` it lacks (with the styles they
    are based on, link to or are followed by, if also missing). Returns the ids copied."""
    have = {s.get(qn("w:styleId")) for s in edited_styles.iter(qn("w:style"))}
    fresh_by_id = {s.get(qn("w:styleId")): s for s in fresh_styles.iter(qn("w:style"))}
    copied: list[str] = []
    todo = sorted(ids)
    while todo:
        sid = todo.pop(0)
        if sid in have or sid not in fresh_by_id:
            continue
        style = copy.deepcopy(fresh_by_id[sid])
        edited_styles.append(style)
        have.add(sid)
        copied.append(sid)
        for name in ("basedOn", "link", "next"):
            ref = style.find(qn("w:" + name))
            if ref is not None and ref.get(qn("w:val")) and ref.get(qn("w:val")) not in have:
                todo.append(ref.get(qn("w:val")))
    return copied


# --------------------------------------------------------------------------- serialising


_DECL = re.compile(rb"<\?xml[^>]*\?>\s*")


def serialise(root: etree._Element, original: bytes) -> bytes:
    """The tree as UTF-8, behind the original XML declaration when it says UTF-8."""
    body = etree.tostring(root.getroottree(), encoding="UTF-8", xml_declaration=False)
    m = _DECL.match(original)
    if m and re.search(rb"encoding\s*=\s*['\"](?!utf-8['\"])", m.group(0), re.I) is None:
        return m.group(0) + body
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body
