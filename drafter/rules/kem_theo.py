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

Appendices in a file of their own (Nghị định 30/2020: an attachment may be a separate
file): the key `chi_phu_luc` names the document they are attached to, as their
"(Kèm theo …)" line reads; the file has only the appendices (no quốc hiệu, no
signature), so only `phu_luc` is printed and keys of the document's text are refused.

>>> format(APPENDIX_EXAMPLE, verb="Kèm theo")
'(Kèm theo Quyết định số 3355/QĐ-UBND ngày 27 tháng 12 năm 2017 của UBND tỉnh Hưng Yên)'
>>> validate_appendix_only(APPENDIX_EXAMPLE, {"phu_luc": [{}]})
[]
>>> [(p.key, p.message[:48]) for p in validate_appendix_only("theo đề nghị", {"noi_dung": "Kính gửi"})]
[('chi_phu_luc', 'chi_phu_luc ghi văn bản có các phụ lục này, ví d'), ('phu_luc', 'Tệp chỉ có phụ lục (chi_phu_luc) cần ít nhất một'), ('noi_dung', 'Tệp chỉ có phụ lục (chi_phu_luc) không in khóa n')]
>>> parent_type_name("(Kèm theo Kế hoạch số 12/KH-UBND ngày 5/3/2024 của UBND tỉnh)")
'Kế hoạch'
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


APPENDIX_KEY = "chi_phu_luc"
APPENDIX_LAYOUT = "phu-luc"  # the template of an appendix file (templates/phu-luc.docx)
APPENDIX_EXAMPLE = "Quyết định số 3355/QĐ-UBND ngày 27 tháng 12 năm 2017 của UBND tỉnh Hưng Yên"
# What an appendix file does not print: the text of a document (its header, signer and
# Nơi nhận are only not needed: a preset may bring them, they are not printed).
APPENDIX_REFUSED = ("kinh_gui", "can_cu", "xet_de_nghi", "tham_quyen", "noi_dung", "dieu", "van_ban_kem_theo",
                    "ban_hanh_kem_theo", "luu_hanh")


def bare(text: str) -> str:
    """The parent's words, without "(", ")" or "Ban hành kèm theo"."""
    t = " ".join(text.split())
    t = _WRAP.sub("", t, count=1)
    return t[:-1].rstrip() if t.endswith(")") else t


def format(text: str, *, verb: str = VERB) -> str:
    """The line under the trích yếu; an appendix of the document reads "(Kèm theo …)"
    the same parent (it has no number of its own to be cited by)."""
    return f"({verb} {bare(text)})"


def parent_type_name(text: str) -> str | None:
    """The parent's type name as written before "số" ("Quyết định", "Kế hoạch")."""
    m = re.match(r"^(.+?)\s+số\s", bare(text))
    return m.group(1) if m else None


def validate_appendix_only(text: str, data) -> list[Problem]:
    """An appendix file's draft (`data`: its mapping): the parent named, appendices
    given, no text of a document."""
    out = []
    if not _NAMED.match(bare(text)):
        out.append(Problem(f"{APPENDIX_KEY} ghi văn bản có các phụ lục này, ví dụ «{APPENDIX_EXAMPLE}» "
                           "(như dòng «(Kèm theo …)» của phụ lục).", key=APPENDIX_KEY))
    if not data.get("phu_luc"):
        out.append(Problem(f"Tệp chỉ có phụ lục ({APPENDIX_KEY}) cần ít nhất một phụ lục trong khóa phu_luc.",
                           key="phu_luc", hint="Thêm khóa phu_luc (xem «Phụ lục», docs/khoa-ban-thao.md)."))
    for key in APPENDIX_REFUSED:
        if data.get(key):
            out.append(Problem(f"Tệp chỉ có phụ lục ({APPENDIX_KEY}) không in khóa {key}: tệp này không có phần "
                               "đầu, nội dung và chữ ký của văn bản.", key=key,
                               hint=f"Xóa khóa {key}, hoặc xóa {APPENDIX_KEY} để soạn cả văn bản cùng phụ lục."))
    return out


def validate(text: str, *, layout: str = "van-ban") -> list[Problem]:
    """`layout`: the draft type's (rules/doctypes): only Mẫu 1.4 types are issued with another."""
    if layout in ("cong-van", "quyet-dinh"):
        return [Problem("Chỉ văn bản có tên loại (chương trình, quy chế, quy định…) mới được ban hành kèm theo "
                        f"một văn bản khác; công văn, quyết định không dùng khóa {KEY}.", key=KEY)]
    if _NAMED.match(bare(text)):
        return []
    return [Problem(f"{KEY} ghi văn bản ban hành kèm theo, ví dụ «{EXAMPLE}».", key=KEY)]


__all__ = ["APPENDIX_EXAMPLE", "APPENDIX_KEY", "APPENDIX_LAYOUT", "APPENDIX_REFUSED", "KEY", "VERB", "bare", "format",
           "parent_type_name", "validate", "validate_appendix_only"]
