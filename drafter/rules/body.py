r"""Body paragraphs (ô 6): one non-empty line is one paragraph.

Markers typed by the author (`I.`, `1.`, `1.1.`, `a)`, `-`, `+`) are kept as typed;
the rules only say how each kind is set (section headings in bold). A draft may also
ask for numbers to be generated: `[I]` a section (Roman), `[1]` a khoản, `[a]` a điểm
(Vietnamese alphabet, no f, j, w, z). Counters restart below each higher level.

>>> [p.text for p in format("[I] Mục tiêu\n[1] Chung\n[a] Một\n[a] Hai;")]
['I. Mục tiêu', '1. Chung', 'a) Một', 'b) Hai./.']
>>> format("I. KẾT QUẢ")[0].kind
'section'

:func:`validate` reads the điểm of each khoản as they will be printed (typed or
generated) against the Vietnamese alphabet:

>>> validate("1. Nhiệm vụ\na) Một\nb) Hai\n2. Giải pháp\na) Ba")
[]
>>> [(p.severity, p.message) for p in validate("1. Nhiệm vụ\na) Một\nb) Hai\nc) Ba\nd) Bốn\ne) Năm")]
[('warning', 'Điểm thứ 5 "e)": bỏ sót "đ)"; ở vị trí này cần "đ)".')]

Headings of a body (Phụ lục I, mục II.6): "Phần", "Chương", "Mục", "Tiểu mục" and their
number on a line of their own (centred, bold, the word in normal case), their title
on the next line (centred, bold, in capitals); a title typed on the same line after
".", ":" or "-" is moved below. "Điều N." with a title is a heading (bold); the
section headings of plans and reports ("I.", "II.", "A.") are bold. Every heading is
kept with the paragraph after it (the templates' styles).

>>> [(p.kind, p.text) for p in paragraphs("CHƯƠNG I. Quy định chung\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định...")]
[('chapter', 'Chương I'), ('chapter_title', 'QUY ĐỊNH CHUNG'), ('article', 'Điều 1. Phạm vi điều chỉnh'), ('text', 'Quy chế này quy định...')]
>>> [(p.kind, p.text) for p in paragraphs("Phần thứ nhất\nKết quả thực hiện\nA. MỤC TIÊU\nMục tiêu chung là...")]
[('chapter', 'Phần thứ nhất'), ('chapter_title', 'KẾT QUẢ THỰC HIỆN'), ('section', 'A. MỤC TIÊU'), ('text', 'Mục tiêu chung là...')]

The end-of-text mark "./." stands once, at the end of the body: one typed elsewhere
is dropped (:func:`end_mark_problems` warns about it) and :func:`ensure_final_mark`
adds the end one.

>>> [p.text for p in format("Đã giao xong./.\nCòn lại một việc./.")]
['Đã giao xong.', 'Còn lại một việc./.']
>>> [p.text for p in format("Còn lại một việc.\n./.")]
['Còn lại một việc./.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem, warning
from ..frozen import made
from ..oxml import FIGURE_OPEN
from . import inline, numbering

# Kinds of paragraph, each with its own paragraph style in the templates.
TEXT = "text"
SECTION = "section"  # "I. MỤC TIÊU", "A. GIẢI PHÁP": bold, kept with the next
CHAPTER = "chapter"  # "Chương I", "Phần thứ nhất", "Mục 1": centred, bold
CHAPTER_TITLE = "chapter_title"  # the title under it: centred, bold, capitals
ARTICLE = "article"  # "Điều 1. Phạm vi điều chỉnh": bold, kept with the next
HEADINGS = (SECTION, CHAPTER, CHAPTER_TITLE, ARTICLE)

END_MARK = "./."

_SECTION = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.\s+\S")
# The word and its number, then the end of the line or a title after a separator
# (or a title in capitals after a space).
_CHAPTER = re.compile(
    r"^(?P<word>Tiểu\s+mục|Chương|Phần|Mục)\s+(?P<num>thứ\s+\w+|[IVXLC]+|\d+)\b"
    r"(?:\s*[.:]?\s*$|\s*[.:\-–—]\s*(?P<title>\S.*)$|\s+(?P<caps>\S.*)$)",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(Điều\s+\d+[a-zđ]?\.)\s*")
_AUTO = re.compile(r"^\[(I|1|a)\]\s*")
# Lines that are never a chapter's title: list markers and other headings.
_MARKER = re.compile(r"^(?:\d+(?:\.\d+)*\.|[^\W\d_]\)|[-+–•])\s")
# Compiled once (re's cache of patterns by text is shared with every module).
_SENTENCE_MARK = re.compile(r"[.;:]\s")
_TRAILING_MARKS = re.compile(r"\s*(\./\.|[./;,:]+)\s*$")
_TITLE_MAX = 200  # characters: a longer line under "Chương I" is body text, not its title
_SENTENCE_END = (".", ";", ":", ",")


@dataclass(frozen=True)
class Paragraph:
    kind: str
    spans: tuple[inline.Span, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def _auto_number(lines: list[str]) -> list[str]:
    section = khoan = diem = 0
    out = []
    for ln in lines:
        m = _AUTO.match(ln)
        if not m:
            out.append(ln)
            continue
        rest = ln[m.end():]
        level = m.group(1)
        if level == "I":
            section += 1
            khoan = diem = 0
            out.append(f"{numbering.format(section, level)} {rest}")
        elif level == "1":
            khoan += 1
            diem = 0
            out.append(f"{numbering.format(khoan, level)} {rest}")
        else:
            diem += 1
            out.append(f"{numbering.format(diem, level)} {rest}")
    return out


def _upper(text: str) -> str:
    """A title in capitals; a quoted figure (its marks carry a key path) stays as is."""
    return text if FIGURE_OPEN in text else text.upper()


def _chapter_label(word: str, num: str) -> str:
    """"CHƯƠNG I", "chương i" → "Chương I"; "PHẦN THỨ NHẤT" → "Phần thứ nhất"."""
    word = " ".join(word.split()).capitalize()
    num = " ".join(num.split())
    num = num.lower() if num[:3].lower() == "thứ" else num.upper()
    return f"{word} {num}"


def _is_title(line: str) -> bool:
    """The line under a bare "Chương I" is its title unless it reads as body text: a
    list item, another heading, a long line or a sentence."""
    if _MARKER.match(line) or _SECTION.match(line) or _CHAPTER.match(line) or _ARTICLE.match(line):
        return False
    if line.isupper():
        return True
    return len(line) <= _TITLE_MAX and not line.rstrip().endswith(_SENTENCE_END)


def _article(plain: str, spans: tuple[inline.Span, ...]) -> Paragraph:
    """"Điều 2. Hiệu lực" (a title) is a heading; "Điều 2. Quyết định này có hiệu lực
    từ ngày ký." is body text with its label bold."""
    m = _ARTICLE.match(plain)
    assert m is not None
    rest = plain[m.end():].strip()
    if not rest or (len(rest) <= _TITLE_MAX and not rest.endswith(_SENTENCE_END) and not _SENTENCE_MARK.search(rest)):
        return Paragraph(ARTICLE, (inline.Span(" ".join(plain.split())),))
    label = m.group(1)
    first = spans[0]
    if first.text.startswith(label) and not first.bold:
        head = (inline.Span(label, True, first.italic), inline.Span(first.text[len(label):], False, first.italic))
        return Paragraph(TEXT, tuple(s for s in head if s.text) + spans[1:])
    return Paragraph(TEXT, spans)


def _strip_marks(spans: tuple[inline.Span, ...]) -> tuple[inline.Span, ...]:
    """The spans without any typed "./." (a "." stays where it ended a sentence)."""
    if not any(END_MARK in s.text for s in spans):
        return spans
    out = tuple(inline.Span(s.text.replace(END_MARK, "."), s.bold, s.italic) for s in spans)
    return tuple(s for s in out if s.text)


def paragraphs(text: str | None) -> list[Paragraph]:
    """The paragraphs of a body, each with its kind (the style it is printed in);
    any typed "./." is dropped (:func:`ensure_final_mark` adds the one at the end)."""
    if not text:
        return []
    lines = [ln for ln in (ln.strip() for ln in text.splitlines()) if ln]
    if any(ln[0] == "[" for ln in lines):  # only a line starting "[I]", "[1]" or "[a]" is numbered
        lines = _auto_number(lines)
    result: list[Paragraph] = []
    title_next = False
    for ln in lines:
        spans = _strip_marks(inline.parse(ln))
        plain = "".join(s.text for s in spans).strip()
        if not plain or (plain == "." and END_MARK in ln):  # a "./." on a line of its own
            continue
        if title_next and _is_title(plain):
            result.append(Paragraph(CHAPTER_TITLE, (inline.Span(_upper(" ".join(plain.split()))),)))
            title_next = False
            continue
        title_next = False
        m = _CHAPTER.match(plain)
        if m and (m.group("title") or not m.group("caps") or m.group("caps").isupper()):
            result.append(Paragraph(CHAPTER, (inline.Span(_chapter_label(m.group("word"), m.group("num"))),)))
            title = (m.group("title") or m.group("caps") or "").strip()
            if title:
                result.append(Paragraph(CHAPTER_TITLE, (inline.Span(_upper(" ".join(title.split()))),)))
            else:
                title_next = True
        elif _SECTION.match(plain):
            result.append(Paragraph(SECTION, spans))
        elif _ARTICLE.match(plain):
            result.append(_article(plain, spans))
        else:
            result.append(Paragraph(TEXT, spans))
    return result


def line_paragraphs(line: str) -> list[Paragraph]:
    """``paragraphs(line)`` of one line (stripped, not empty, not numbered by the rule
    "[1]"), with less work for a line of plain text: no emphasis and no typed "./."
    (a batch row's own lines).

    >>> line_paragraphs("I. KẾT QUẢ") == paragraphs("I. KẾT QUẢ")
    True
    >>> [p.text for p in line_paragraphs("Chương I. Quy định chung")]
    ['Chương I', 'QUY ĐỊNH CHUNG']
    """
    if line[:1] in ("[", "") or line.strip() != line or len(line.splitlines()) != 1:
        return paragraphs(line)
    p = split_line_paragraph(line)
    return paragraphs(line) if p is None else [p]


def split_line_paragraph(line: str) -> Paragraph | None:
    """The one paragraph of a line of ``text.splitlines()``, stripped, not empty and
    not numbered by the rule ("[1]"), when it is plain text, a section heading or an
    article (what :func:`line_paragraphs` makes of it); None for a line with emphasis,
    a typed "./." or a chapter heading (then :func:`paragraphs`' way). The line is
    looked at by one expression (the three headings' in the order they are tried).

    >>> split_line_paragraph("I. KẾT QUẢ") == paragraphs("I. KẾT QUẢ")[0]
    True
    >>> split_line_paragraph("Chương I. Quy định chung") is None
    True
    """
    if "*" in line or END_MARK in line:
        return None
    m = _HEADING.match(line)
    kind = m.lastgroup if m is not None else None
    if kind is None:
        return _paragraph(TEXT, (inline.plain(line),))
    if kind == "chapter":
        return None
    if kind == "section":
        return _paragraph(SECTION, (inline.plain(line),))
    return _article(line, (inline.plain(line),))


def _paragraph(kind: str, spans: tuple[inline.Span, ...]) -> Paragraph:
    """``Paragraph(kind, spans)``, made by :func:`drafter.frozen.made` (a batch makes
    one for each line a row changed)."""
    return made(Paragraph, kind=kind, spans=spans)


def ensure_final_mark(paras: list[Paragraph], mark: str = END_MARK) -> list[Paragraph]:
    """End the body with `./.` (the end-of-text mark), replacing typed end punctuation."""
    if not paras:
        return paras
    last = paras[-1]
    spans = list(last.spans)
    s = spans[-1]
    text = _TRAILING_MARKS.sub("", s.text)
    spans[-1] = inline.Span(text + mark, s.bold, s.italic)
    return [*paras[:-1], Paragraph(last.kind, tuple(spans))]


def _around(line: str, at: int, width: int = 30) -> str:
    """The words of `line` about position `at`, with "…" where it was cut."""
    start, end = max(0, at - width), min(len(line), at + width)
    if start:  # cut between words
        start = line.find(" ", start) + 1 or start
    if end < len(line):
        end = line.rfind(" ", at + 1, end) if line.rfind(" ", at + 1, end) > at else end
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def end_mark_problems(text: str | None, *, final: bool) -> list[Problem]:
    r"""A warning for each "./." typed where the body does not end: inside a paragraph,
    or at the end of a paragraph that is not the last one of the document (`final`:
    this text is where the document's body ends). drafter drops them and writes the
    one mark at the end.

    >>> end_mark_problems("Một./.\nHai./.", final=True)[0].message
    'Dấu kết thúc "./." chỉ đặt một lần, ở cuối nội dung văn bản: đoạn "Một./." không phải đoạn cuối; drafter đã bỏ dấu này.'
    >>> end_mark_problems("Một.\nHai./.", final=True)
    []
    >>> len(end_mark_problems("Căn cứ Luật./.", final=False))
    1
    """
    if END_MARK not in (text or ""):  # nearly every text: no mark typed
        return []
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    out = []
    for i, ln in enumerate(lines):
        count = ln.count(END_MARK)
        at_end = ln.rstrip().endswith(END_MARK)
        if count > 1 or (count == 1 and not at_end):
            where = "ở giữa đoạn"
        elif count == 1 and (not final or i < len(lines) - 1):
            where = "không phải đoạn cuối"
        else:
            continue
        shown = _around(ln, ln.find(END_MARK) if where == "ở giữa đoạn" else len(ln))
        out.append(warning(
            f'Dấu kết thúc "{END_MARK}" chỉ đặt một lần, ở cuối nội dung văn bản: đoạn "{shown}" '
            f"{where}; drafter đã bỏ dấu này.",
            hint=f'Xóa "{END_MARK}" ở đoạn này; drafter tự thêm "{END_MARK}" sau đoạn cuối cùng.',
        ))
    return out


def format(text: str | None, mark: str = END_MARK) -> list[Paragraph]:
    """The paragraphs of a body as printed: numbers generated, the end mark added."""
    return ensure_final_mark(paragraphs(text), mark)


# A line that opens a new run of điểm: a khoản (`2.`, `1.2.`), a section, an article,
# a chapter.
_KHOAN = re.compile(r"^\d+(?:\.\d+)*\.\s")
# A line that looks like a điểm: one letter and ")" (any lower-case letter, so that a
# typed f) is caught).
_DIEM = re.compile(r"^([^\W\d_])\)\s")


def validate(text: str | None) -> list[Problem]:
    """Problems of the điểm labels, run by run (each khoản, section, article or chapter
    starts a new run), as :func:`paragraphs` prints them.

    A generated 24th điểm has no letter: an error. A typed label out of the alphabet's
    order is a warning, since which lines belong together is inferred from the text.
    """
    lines = [ln for ln in (ln.strip() for ln in (text or "").splitlines()) if ln]
    if any(ln[0] == "[" for ln in lines):  # only a line starting "[I]", "[1]" or "[a]" is numbered
        try:
            lines = _auto_number(lines)
        except ValueError as exc:
            return [Problem(str(exc))]
    problems: list[Problem] = []
    run: list[str] = []

    def close() -> None:
        if run:
            problems.extend(warning(p.message) for p in numbering.validate(run))
            run.clear()

    for ln in lines:
        m = _DIEM.match(ln)
        if m and m.group(1).islower():
            run.append(ln[: m.end()].strip())
        elif run and _RUN_BREAK.match(ln):  # a break closes a run: none open, nothing to close
            close()
    close()
    return problems


# A chapter, section or article heading at the start of a line, tried in that order
# (line_paragraphs' order), the one that matched named by its group.
_HEADING = re.compile("|".join(f"(?P<{name}>{p.pattern})" if not p.flags & re.IGNORECASE
                               else f"(?P<{name}>(?i:{p.pattern}))"
                               for name, p in (("chapter", _CHAPTER), ("section", _SECTION), ("article", _ARTICLE))))
# A khoản, section, article or chapter line: one expression for the four of them.
_RUN_BREAK = re.compile("|".join(f"(?:{p.pattern})" if not p.flags & re.IGNORECASE else f"(?i:{p.pattern})"
                                 for p in (_KHOAN, _SECTION, _ARTICLE, _CHAPTER)))
