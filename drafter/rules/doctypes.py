"""Document types of Nghị định 30/2020 (Phụ lục III): one table, read by everything else.

Each type says its name, its abbreviation inside số ký hiệu, which layout (Mẫu) it
uses, and whether it usually carries "Kính gửi". Nothing else in the code branches
on a type's slug: it asks this table.

>>> format("quyet-dinh")
'QUYẾT ĐỊNH'
>>> format("cong-van")  # a công văn has no tên loại
''
>>> get("to-trinh").abbr
'TTr'
>>> validate("ke-hoach")
[]
>>> (problem,) = validate("ke-hoac")
>>> problem.message, problem.key
("Loại văn bản 'ke-hoac' không có trong danh mục.", 'loai')
>>> problem.hint
'Có phải ý bạn là: ke-hoach, de-an? Xem danh sách bằng lệnh: drafter types'
>>> sorted(a for a in SYMBOL_ABBREVIATIONS if a.startswith("T"))
['TB', 'TC', 'TTr', 'TrS']
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem


@dataclass(frozen=True)
class DocType:
    slug: str
    name: str  # normal case, as written in sentences ("Quyết định")
    abbr: str | None  # None for công văn, which has no tên loại
    layout: str  # "cong-van" (Mẫu 1.5), "van-ban" (Mẫu 1.4), "quyet-dinh" (Mẫu 1.1-1.3)
    kinh_gui: bool = False  # the type usually addresses a recipient ("Kính gửi:")
    decision_word: str | None = None  # "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" for the quyet-dinh layout

    @property
    def caps_name(self) -> str:
        return self.name.upper()

    @property
    def has_type_name(self) -> bool:
        return self.abbr is not None


_T = DocType
TYPES: tuple[DocType, ...] = (
    _T("cong-van", "Công văn", None, "cong-van", kinh_gui=True),
    _T("nghi-quyet", "Nghị quyết", "NQ", "quyet-dinh", decision_word="QUYẾT NGHỊ:"),
    _T("quyet-dinh", "Quyết định", "QĐ", "quyet-dinh", decision_word="QUYẾT ĐỊNH:"),
    _T("chi-thi", "Chỉ thị", "CT", "van-ban"),
    _T("quy-che", "Quy chế", "QC", "van-ban"),
    _T("quy-dinh", "Quy định", "QyĐ", "van-ban"),
    _T("thong-cao", "Thông cáo", "TC", "van-ban"),
    _T("thong-bao", "Thông báo", "TB", "van-ban"),
    _T("huong-dan", "Hướng dẫn", "HD", "van-ban"),
    _T("chuong-trinh", "Chương trình", "CTr", "van-ban"),
    _T("ke-hoach", "Kế hoạch", "KH", "van-ban"),
    _T("phuong-an", "Phương án", "PA", "van-ban"),
    _T("de-an", "Đề án", "ĐA", "van-ban"),
    _T("du-an", "Dự án", "DA", "van-ban"),
    _T("bao-cao", "Báo cáo", "BC", "van-ban", kinh_gui=True),
    _T("bien-ban", "Biên bản", "BB", "van-ban"),
    _T("to-trinh", "Tờ trình", "TTr", "van-ban", kinh_gui=True),
    _T("hop-dong", "Hợp đồng", "HĐ", "van-ban"),
    _T("cong-dien", "Công điện", "CĐ", "van-ban", kinh_gui=True),
    _T("ban-ghi-nho", "Bản ghi nhớ", "BGN", "van-ban"),
    _T("ban-thoa-thuan", "Bản thỏa thuận", "BTT", "van-ban"),
    _T("giay-uy-quyen", "Giấy ủy quyền", "GUQ", "van-ban"),
    _T("giay-moi", "Giấy mời", "GM", "van-ban", kinh_gui=True),
    _T("giay-gioi-thieu", "Giấy giới thiệu", "GGT", "van-ban", kinh_gui=True),
    _T("giay-nghi-phep", "Giấy nghỉ phép", "GNP", "van-ban"),
    _T("phieu-gui", "Phiếu gửi", "PG", "van-ban", kinh_gui=True),
    _T("phieu-chuyen", "Phiếu chuyển", "PC", "van-ban", kinh_gui=True),
    _T("phieu-bao", "Phiếu báo", "PB", "van-ban", kinh_gui=True),
)

BY_SLUG: dict[str, DocType] = {t.slug: t for t in TYPES}
ABBREVIATIONS: frozenset[str] = frozenset(t.abbr for t in TYPES if t.abbr)
# Copies (Bản sao y / trích sao / sao lục) are not drafted from scratch, but their
# abbreviations are valid in a số ký hiệu that the checker reads.
COPY_ABBREVIATIONS: frozenset[str] = frozenset({"SY", "TrS", "SL"})
# Every abbreviation a số ký hiệu may open with (writer and checker alike).
SYMBOL_ABBREVIATIONS: frozenset[str] = ABBREVIATIONS | COPY_ABBREVIATIONS


class UnknownTypeError(ValueError):
    pass


def get(slug: str) -> DocType:
    """The type for `slug`, or UnknownTypeError with the near slugs suggested."""
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise UnknownTypeError(" ".join(_unknown(slug))) from None


def _unknown(slug: str) -> tuple[str, str]:
    """What is wrong with an unknown slug, and the hint (near slugs, the types command)."""
    from difflib import get_close_matches  # only for a mistyped slug: no part of a command's start-up

    near = get_close_matches(slug, list(BY_SLUG), n=3, cutoff=0.5)
    hint = f"Có phải ý bạn là: {', '.join(near)}? " if near else ""
    return f"Loại văn bản '{slug}' không có trong danh mục.", f"{hint}Xem danh sách bằng lệnh: drafter types"


def format(slug: str) -> str:
    """The tên loại line (ô 5a) of a type, in capitals; "" for a công văn, which has none."""
    t = get(slug)
    return t.caps_name if t.has_type_name else ""


def by_abbr(abbr: str) -> DocType | None:
    for t in TYPES:
        if t.abbr == abbr:
            return t
    return None


def validate(slug: str) -> list[Problem]:
    """A slug not in the table, at the draft key `loai`, with the near slugs as hint."""
    if slug in BY_SLUG:
        return []
    message, hint = _unknown(slug)
    return [Problem(message, key="loai", hint=hint)]
