"""Thẩm quyền ký (ô 7a/7b): the authority lines above the signature space.

Lines stack TM. → TL./TUQ. → KT./Q. → chức vụ, each upper-case and bold; the name
follows the space for signature and seal. Combinations the format rules forbid are
refused with the rule named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ERROR, Problem, warning

PREFIXES = ("TM.", "TL.", "TUQ.", "KT.", "Q.")

# Words that open a deputy's title: KT. is only for a deputy signing for the head.
_DEPUTY = re.compile(r"^(PHÓ\b|THỨ TRƯỞNG\b)")
# Academic and professional titles that never stand before a signer's name.
_ACADEMIC = re.compile(
    r"^(GS|PGS|TS|TSKH|ThS|KS|BS|CN|Th\.S|NCS|Giáo sư|Phó giáo sư|Tiến sĩ|Thạc sĩ|Kỹ sư|Bác sĩ)\.?\s",
    re.IGNORECASE,
)
# Heads of titles seen in practice; a title with none of them is likely a typing slip
# (the seed's "ĐIỀU CHỨC" where "PHÓ CHỦ TỊCH" belonged).
_TITLE_WORDS = (
    "CHỦ TỊCH", "TRƯỞNG", "GIÁM ĐỐC", "CHÁNH", "PHÓ", "TỔNG", "BÍ THƯ", "THỦ TƯỚNG",
    "CHỦ NHIỆM", "ỦY VIÊN", "KẾ TOÁN", "THƯ KÝ", "TỔNG CỤC", "CỤC", "VỤ", "CHỈ HUY",
    "TƯ LỆNH", "CHÍNH ỦY", "HIỆU", "VIỆN", "THANH TRA", "KIỂM TOÁN", "ĐẠI DIỆN",
    "QUYỀN", "NGƯỜI", "ĐỒNG", "THƯỜNG TRỰC", "CHỦ TRÌ", "CHỦ TỌA",
)


class SignatureError(ValueError):
    """A forbidden combination; `key` names the ky.* key to fix."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Signature:
    authority: tuple[str, ...]  # bold upper-case lines, top to bottom
    name: str


def _up(value: str) -> str:
    return " ".join(value.split()).upper()


def _titles(chuc_vu: str | list[str] | None) -> list[str]:
    if chuc_vu is None:
        return []
    items = [chuc_vu] if isinstance(chuc_vu, str) else chuc_vu
    return [_up(v) for v in items if v and v.strip()]


def validate(
    *,
    ho_ten: str | None,
    chuc_vu: str | list[str] | None = None,
    tm: str | None = None,
    kt: str | None = None,
    q: str | None = None,
    tl: str | None = None,
    tuq: str | None = None,
) -> list[Problem]:
    """Every forbidden combination of a signer's keys, each at its key (relative to
    the `ky` mapping), then the titles that look like typing slips (warnings).

    >>> [p.key for p in validate(ho_ten="Nguyễn Văn A", kt="CHỦ TỊCH", q="CHỦ TỊCH", chuc_vu="PHÓ CHỦ TỊCH")]
    ['q']
    >>> [(p.key, p.severity) for p in validate(ho_ten="TS. Trần B", chuc_vu="ĐIỀU CHỨC")]
    [('ho_ten', 'error'), ('chuc_vu', 'warning')]
    >>> validate(ho_ten="Nguyễn Văn A", tm="Ủy ban nhân dân", kt="Chủ tịch", chuc_vu="Phó Chủ tịch")
    []
    >>> title_warnings(["CHỦ TRÌ", "CHỦ TỌA", "THƯ KÝ"])  # the signers of a biên bản
    []
    """
    titles = _titles(chuc_vu)
    out: list[Problem] = []
    if tl and tuq:
        out.append(Problem("Không dùng cùng lúc TL. (thừa lệnh) và TUQ. (thừa ủy quyền).", key="tuq"))
    if kt and q:
        out.append(Problem("Không dùng cùng lúc KT. (ký thay) và Q. (quyền).", key="q"))
    if kt and not titles:
        out.append(Problem("Ký thay (KT.) cần chức vụ của cấp phó đứng dưới, ví dụ 'PHÓ CHỦ TỊCH'.", key="chuc_vu"))
    elif kt and not _DEPUTY.match(titles[-1]):
        out.append(Problem(
            f"Ký thay (KT.) chỉ dành cho cấp phó: chức vụ '{titles[-1]}' phải là chức vụ cấp phó "
            "(PHÓ …, THỨ TRƯỞNG).", key="chuc_vu"))
    elif not titles and not q:
        out.append(Problem("Thiếu chức vụ của người ký (ky.chuc_vu).", key="chuc_vu"))
    name = " ".join((ho_ten or "").split())
    if not name:
        out.append(Problem("Thiếu họ tên người ký (ky.ho_ten).", key="ho_ten"))
    elif _ACADEMIC.match(name):
        out.append(Problem(f"Không ghi học hàm, học vị trước tên người ký: '{name}'.", key="ho_ten"))
    out += [warning(w, key="chuc_vu") for w in title_warnings(chuc_vu)]
    return out


def format(
    *,
    ho_ten: str,
    chuc_vu: str | list[str] | None = None,
    tm: str | None = None,
    kt: str | None = None,
    q: str | None = None,
    tl: str | None = None,
    tuq: str | None = None,
) -> Signature:
    """The authority lines and the name; SignatureError for a combination
    :func:`validate` refuses (the drafting flow validates first, so never raises).

    >>> format(ho_ten=" Nguyễn  Văn A ", tm="ủy ban nhân dân", kt="chủ tịch", chuc_vu="phó chủ tịch")
    Signature(authority=('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'), name='Nguyễn Văn A')
    """
    errors = [p for p in validate(ho_ten=ho_ten, chuc_vu=chuc_vu, tm=tm, kt=kt, q=q, tl=tl, tuq=tuq)
              if p.severity == ERROR]
    if errors:
        raise SignatureError(errors[0].message, f"ky.{errors[0].key}")
    lines: list[str] = []
    if tm:
        lines.append(f"TM. {_up(tm)}")
    if tl:
        lines.append(f"TL. {_up(tl)}")
    if tuq:
        lines.append(f"TUQ. {_up(tuq)}")
    if kt:
        lines.append(f"KT. {_up(kt)}")
    if q:
        lines.append(f"Q. {_up(q)}")
    lines.extend(_titles(chuc_vu))
    return Signature(authority=tuple(lines), name=" ".join(ho_ten.split()))


def title_warnings(chuc_vu: str | list[str] | None) -> list[str]:
    """Titles that look like typing slips (not errors: titles vary)."""
    return [
        f"Chức vụ '{t}' không giống một chức danh quen thuộc; kiểm tra lại chính tả."
        for t in _titles(chuc_vu)
        if not any(w in t for w in _TITLE_WORDS)
    ]


_SIGNS_FOR = re.compile(r"^(KT|K/T|Q|TL|T/L|TUQ|T/UQ)(\.|\s|$)")  # someone signs for the head


def missing_kt(authority: list[str]) -> str | None:
    """A deputy's title signed without ``KT.`` (only the head signs with no prefix): the
    message, or None. The lines are the authority lines as written, top to bottom.

    >>> missing_kt(["PHÓ CHỦ TỊCH"])
    "Cấp phó ký thay cấp trưởng: thêm dòng 'KT. ‹CHỨC VỤ CẤP TRƯỞNG›' (ví dụ 'KT. CHỦ TỊCH') trên dòng 'PHÓ CHỦ TỊCH'."
    >>> missing_kt(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]) is None
    True
    >>> missing_kt(["CHỦ TỊCH"]) is None
    True
    """
    lines = [_up(a) for a in authority if a and a.strip()]
    if not lines or any(_SIGNS_FOR.match(ln) for ln in lines):
        return None
    if _DEPUTY.match(lines[-1]):
        return (f"Cấp phó ký thay cấp trưởng: thêm dòng 'KT. ‹CHỨC VỤ CẤP TRƯỞNG›' (ví dụ 'KT. "
                f"{_DEPUTY.sub('', lines[-1]).strip() or 'CHỦ TỊCH'}') trên dòng '{lines[-1]}'.")
    return None


def head_title(kt: str | None, q: str | None, chuc_vu: str | list[str] | None) -> str | None:
    """The title of the head of the issuer, for a quyết định's authority line."""
    if kt:
        return _up(kt)
    if q:
        return _up(q)
    titles = _titles(chuc_vu)
    return titles[-1] if titles else None
