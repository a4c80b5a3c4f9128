"""A document issued with another, in a file of its own (Mẫu 1.3 alone): the key
`ban_hanh_kem_theo` names the parent as the "(Ban hành kèm theo …)" line reads.

A Chương trình, Quy chế, Quy định… that a quyết định issues carries no số, date or Nơi
nhận of its own (Nghị định 30/2020, Phụ lục III, Mẫu 1.3): under its tên loại and
trích yếu stands the line naming the quyết định. Inside a quyết định's draft that line
is derived from the parent's own number and date (derive.reference_line); a document
kept in its own file has no parent in its draft, so the line is typed, and
:func:`format` only puts the parentheses and the verb round it, once.

>>> format("Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh")
'(Ban hành kèm theo Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh)'
>>> format("(Ban hành kèm theo Quyết định số 19/2014/QĐ-UBND ngày 21/11/2014 của UBND tỉnh)")
'(Ban hành kèm theo Quyết định số 19/2014/QĐ-UBND ngày 21/11/2014 của UBND tỉnh)'
>>> format("Quyết định số 5/QĐ-UBND ngày 05/01/2020 của UBND tỉnh", verb="Kèm theo")
'(Kèm theo Quyết định số 5/QĐ-UBND ngày 05/01/2020 của UBND tỉnh)'
>>> bare("(Kèm theo Quyết định số 5/QĐ-UBND)")
'Quyết định số 5/QĐ-UBND'
>>> [p.message for p in validate("theo đề nghị của Sở")]
['ban_hanh_kem_theo ghi văn bản ban hành kèm theo, ví dụ «Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh».']
>>> validate("Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh")
[]
>>> [p.message for p in validate(EXAMPLE, layout="cong-van")]
['Chỉ văn bản có tên loại (chương trình, quy chế, quy định…) mới được ban hành kèm theo một văn bản khác; công văn, quyết định không dùng khóa ban_hanh_kem_theo.']
"""

from __future__ import annotations

import re

from drafter.errors import Problem

VERB = "Ban hành kèm theo"
KEY = "ban_hanh_kem_theo"
EXAMPLE = "Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh"

_WRAP = re.compile(r"^\(?\s*(?:Ban hành\s+)?(?:kèm theo\s+)?", re.IGNORECASE)
# The parent is a named document with its number: "Quyết định số …", "Nghị quyết số …".
_NAMED = re.compile(r"^[A-ZĐ][^\s]*(?:\s+\S+){0,3}\s+số\s+\S", re.UNICODE)


def bare(text: str) -> str:
    """The parent's words, without "(", ")" or "Ban hành kèm theo"."""
    t = " ".join(text.split())
    t = _WRAP.sub("", t, count=1)
    return t[:-1].rstrip() if t.endswith(")") else t


def format(text: str, *, verb: str = VERB) -> str:
    """The line under the trích yếu; an appendix of the document reads "(Kèm theo …)"
    the same parent (it has no number of its own to be cited by)."""
    return f"({verb} {bare(text)})"


def validate(text: str, *, layout: str = "van-ban") -> list[Problem]:
    """`layout`: the draft type's (rules/doctypes): only Mẫu 1.4 types are issued with another."""
    if layout in ("cong-van", "quyet-dinh"):
        return [Problem("Chỉ văn bản có tên loại (chương trình, quy chế, quy định…) mới được ban hành kèm theo "
                        f"một văn bản khác; công văn, quyết định không dùng khóa {KEY}.", key=KEY)]
    if _NAMED.match(bare(text)):
        return []
    return [Problem(f"{KEY} ghi văn bản ban hành kèm theo, ví dụ «{EXAMPLE}».", key=KEY)]


__all__ = ["KEY", "VERB", "bare", "format", "validate"]
