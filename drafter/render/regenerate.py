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

from drafter.oxml import ALIAS_PREFIX, APPENDIX_TAG, appendix_number, figure_reference, local_name, qn

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


def check_controls(edited: etree._Element, fresh_count: int, *, doc_name: str) -> list[str]:
    """Problems with the edited document's appendix controls against the draft's count."""
    found = appendix_controls(edited)
    problems = []
    if fresh_count == 0:
        if found:
            problems.append(
                f"Bản thảo không có phụ lục nào (khóa phu_luc) nhưng tệp '{doc_name}' có "
                f"{len(found)} vùng phụ lục. Hãy dùng đúng bản thảo của văn bản này.")
        else:
            problems.append("Bản thảo không có phụ lục nào (khóa phu_luc) nên không có bảng nào để tạo lại.")
        return problems
    if not found:
        msg = (f"Không tìm thấy vùng phụ lục nào (vùng nội dung gắn thẻ {APPENDIX_TAG}N) trong tệp "
               f"'{doc_name}'.")
        if has_drafter_alias(edited):
            msg += (" Tệp có vùng nội dung mang tên của drafter nhưng đã mất thẻ: thường do tệp được lưu "
                    "lại bằng LibreOffice (LibreOffice bỏ thẻ của vùng nội dung).")
        msg += (" drafter chỉ tạo lại được bảng trong văn bản do drafter tạo ra và sửa bằng Microsoft Word; "
                "hãy tạo lại văn bản bằng drafter render, hoặc dùng bản .docx trước khi lưu bằng LibreOffice.")
        return [msg]
    for n in range(1, fresh_count + 1):
        sdts = found.get(n, [])
        if not sdts:
            problems.append(
                f"Không tìm thấy vùng phụ lục {n} (thẻ {APPENDIX_TAG}{n}) trong tệp '{doc_name}': có lẽ vùng "
                "này đã bị xóa khi sửa văn bản. Hãy tạo lại văn bản bằng drafter render, hoặc chép vùng phụ "
                "lục từ một bản mới tạo vào đúng chỗ.")
        elif len(sdts) > 1:
            problems.append(
                f"Vùng phụ lục {n} (thẻ {APPENDIX_TAG}{n}) có {len(sdts)} lần trong tệp '{doc_name}' "
                "(có lẽ đã bị sao chép). Hãy xóa bản thừa, chỉ giữ một vùng cho mỗi phụ lục.")
        elif _inside_paragraph(sdts[0]):
            problems.append(
                f"Vùng phụ lục {n} (thẻ {APPENDIX_TAG}{n}) trong tệp '{doc_name}' nằm bên trong một đoạn "
                "văn, không còn là một khối riêng. Hãy tạo lại văn bản bằng drafter render.")
    extra = sorted(n for n in found if n > fresh_count or n < 1)
    if extra:
        names = ", ".join(str(n) for n in extra)
        problems.append(
            f"Tệp '{doc_name}' có vùng phụ lục {names} nhưng bản thảo chỉ có {fresh_count} phụ lục. "
            "drafter appendix chỉ tạo lại các phụ lục đã có, không thêm hay bớt phụ lục: khi số phụ lục "
            "thay đổi, hãy tạo lại văn bản bằng drafter render.")
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
    for ref, sdt in figure_controls(edited):
        try:
            values.append((sdt, figure_value(ref)))
        except ValueError as exc:
            problems.append(f"Số liệu trích “{ref}” trong tệp '{doc_name}' không tính lại được: {exc}")
    if problems:
        raise SpliceError(problems)

    found = appendix_controls(edited)
    result = SpliceResult()
    numbers = sorted(fresh_found)
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
