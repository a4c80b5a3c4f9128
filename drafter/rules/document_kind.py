"""What kind of document a file holds, from the texts of its lines (for ``drafter check``).

* **copy** — a bản sao (Nghị định 30/2020, Điều 25–27; Phụ lục I, phần II): its own
  block follows the copied text: the copying agency, the form ``SAO Y`` / ``SAO LỤC`` /
  ``TRÍCH SAO`` in capitals, ``Số: 05/SY-UBND``, place and date, signature, Nơi nhận;
  the block carries no quốc hiệu of its own;
* **appendix** — a phụ lục in a file of its own: a ``Phụ lục`` heading first, its title,
  a ``(Kèm theo …)`` line; no header, số or signature of its own;
* **party** — a document of the Communist Party (Hướng dẫn 36-HD/VPTW):
  ``ĐẢNG CỘNG SẢN VIỆT NAM`` in the header instead of the quốc hiệu; Nghị định 30 does
  not govern it;
* **administrative** — everything else (judged by Nghị định 30).

Pure functions of texts; :mod:`drafter.check.locate` gives them the lines it reads.
"""

from __future__ import annotations

import re
import unicodedata

COPY = "copy"
APPENDIX = "appendix"
PARTY = "party"
ADMINISTRATIVE = "administrative"
KINDS = (COPY, APPENDIX, PARTY, ADMINISTRATIVE)

# Copy forms (Điều 25) → the abbreviation their số ký hiệu opens with (Phụ lục III).
COPY_FORMS = {"SAO Y": "SY", "SAO LỤC": "SL", "TRÍCH SAO": "TrS"}
# "SAO Y BẢN CHÍNH" is the form of the old rules (Nghị định 110/2004), still typed.
_COPY_LINE = re.compile(r"^(SAO Y|SAO LỤC|TRÍCH SAO)(\s+BẢN\s+CHÍNH)?\s*$")
PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
_APPENDIX = re.compile(r"^phụ\s+lục(\s+(số\s+)?[IVXLC\d]+[a-z]?)?\s*[.:]?$", re.IGNORECASE)
_KEM_THEO = re.compile(r"^\(\s*(ban hành\s+)?kèm theo\b", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").replace("\u00a0", " ").split())


def copy_form(text: str) -> str | None:
    """The copy form a line names, in capitals as Nghị định 30 writes it; None otherwise.
    Only a line that is the form alone counts (a sentence about copies does not).

    >>> copy_form("SAO Y"), copy_form(" Sao  lục "), copy_form("TRÍCH SAO")
    ('SAO Y', 'SAO LỤC', 'TRÍCH SAO')
    >>> copy_form("SAO Y BẢN CHÍNH")
    'SAO Y'
    >>> copy_form("Sao y các văn bản đến") is None
    True
    """
    m = _COPY_LINE.match(_norm(text).upper())
    return m.group(1) if m else None


def copy_form_problem(text: str) -> str | None:
    """What is wrong with how a copy form is written (Vietnamese), or None.

    >>> copy_form_problem("SAO Y") is None
    True
    >>> copy_form_problem("Sao y")
    'Hình thức sao «SAO Y» viết chữ in hoa.'
    >>> copy_form_problem("SAO Y BẢN CHÍNH")
    'Nghị định 30/2020 ghi hình thức sao là «SAO Y» (không còn «SAO Y BẢN CHÍNH»).'
    """
    form = copy_form(text)
    if form is None:
        return None
    t = _norm(text)
    if t.upper() != form:
        if "BẢN CHÍNH" in t.upper():
            return f"Nghị định 30/2020 ghi hình thức sao là «{form}» (không còn «{form} BẢN CHÍNH»)."
    if t != t.upper():
        return f"Hình thức sao «{form}» viết chữ in hoa."
    return None


def is_party_header(text: str) -> bool:
    """The Party's heading, which stands where the quốc hiệu would.

    >>> is_party_header("ĐẢNG CỘNG SẢN VIỆT NAM"), is_party_header("Đảng Cộng sản Việt Nam")
    (True, True)
    >>> is_party_header("BAN CHẤP HÀNH ĐẢNG BỘ TỈNH")
    False
    """
    return _norm(text).upper() == PARTY_HEADER


def is_appendix_heading(text: str) -> bool:
    """A ``Phụ lục`` heading line (``Phụ lục``, ``Phụ lục II``, ``PHỤ LỤC SỐ 2``).

    >>> [is_appendix_heading(t) for t in ("Phụ lục", "PHỤ LỤC II", "Phụ lục số 2", "Phụ lục kèm theo")]
    [True, True, True, False]
    """
    return bool(_APPENDIX.match(_norm(text)))


def is_kem_theo(text: str) -> bool:
    """A ``(Kèm theo …)`` / ``(Ban hành kèm theo …)`` line.

    >>> is_kem_theo("(Kèm theo Quyết định số 12/QĐ-UBND)"), is_kem_theo("Kèm theo đây là …")
    (True, False)
    """
    return bool(_KEM_THEO.match(_norm(text)))


def kind(lines: list[str], *, has_quoc_hieu: bool) -> str:
    """The kind of a document from its first lines (in reading order) and whether a quốc
    hiệu was found anywhere.

    A Party heading among the header lines with no quốc hiệu → party; a copy form line
    anywhere → copy (the copy's block is at the end, after the copied text); no quốc
    hiệu and a Phụ lục heading as the first line (its title and a Kèm theo line within
    the next three) → appendix.

    >>> kind(["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 25-TB/HU"], has_quoc_hieu=False)
    'party'
    >>> kind(["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "SAO Y", "Số: 05/SY-UBND"], has_quoc_hieu=False)
    'copy'
    >>> kind(["Phụ lục", "DANH SÁCH", "(Kèm theo Quyết định số 12/QĐ-UBND …)"], has_quoc_hieu=False)
    'appendix'
    >>> kind(["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], has_quoc_hieu=True)
    'administrative'
    """
    head = lines[:12]
    if not has_quoc_hieu and any(is_party_header(t) for t in head):
        return PARTY
    if any(copy_form(t) for t in lines):
        return COPY
    if not has_quoc_hieu and lines and is_appendix_heading(lines[0]) \
            and any(is_kem_theo(t) for t in lines[1:4]):
        return APPENDIX
    return ADMINISTRATIVE
