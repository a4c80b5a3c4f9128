"""Phụ lục: the label of each appendix, and the body's mention of them.

One appendix is "Phụ lục"; several are numbered in Roman numerals, "Phụ lục I",
"Phụ lục II"…; the text of the document must say that each is attached
(docs/the-thuc.md#phu-luc).

>>> format_label(0, 1), format_label(1, 3)
('Phụ lục', 'Phụ lục II')
>>> [p.message for p in validate("Kinh phí chi tiết tại Phụ lục I.", 2)]
['Nội dung văn bản chưa nhắc đến Phụ lục II.']
>>> validate("Chi tiết tại Phụ lục kèm theo.", 1)
[]
"""

from __future__ import annotations

from ..errors import Problem, warning
from .numbering import roman


def format_label(index: int, count: int) -> str:
    """The label of appendix `index` (from 0) of `count`."""
    return "Phụ lục" if count == 1 else f"Phụ lục {roman(index + 1)}"


def validate(text: str, count: int) -> list[Problem]:
    """Warnings when the document's text (every body text joined) does not mention
    its `count` appendices, or one of several by its label."""
    if not count:
        return []
    if count == 1 and ("Phụ lục" in text or "phụ lục" in text):  # nearly always: no copy in lower case
        return []
    lowered = text.lower()
    if "phụ lục" not in lowered:
        return [warning("Nội dung văn bản chưa nhắc đến phụ lục nào; hãy ghi rõ, ví dụ "
                        "'(chi tiết tại Phụ lục kèm theo)'.")]
    if count == 1:
        return []
    labels = [format_label(i, count) for i in range(count)]
    # "Phụ lục I" is inside "Phụ lục II": a label counts when no letter of a longer
    # numeral follows it.
    return [warning(f"Nội dung văn bản chưa nhắc đến {label}.") for label in labels
            if not _mentions(lowered, label.lower())]


def _mentions(text: str, label: str) -> bool:
    start = text.find(label)
    while start >= 0:
        end = start + len(label)
        if end >= len(text) or text[end] not in "ivxlcdm":
            return True
        start = text.find(label, start + 1)
    return False
