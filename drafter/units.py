"""Current Vietnamese administrative units, offline.

Data come from the maintained PyPI package ``vietnam-provinces`` (Nguyễn Hồng Quân),
which tracks the two-tier local government in force since 1 July 2025: 34 provinces
and centrally-run cities, 3,321 commune-level units (xã, phường, đặc khu). drafter
keeps no copy of its own: updating the package updates the units.

Codes are the Tổng cục Thống kê codes as strings with their leading zeros
(province ``"01"``, commune ``"00070"``), the way the official lists print them.
Lists come sorted by code.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "UNIT_COLUMNS",
    "Commune",
    "Province",
    "UnknownUnitError",
    "all_communes",
    "communes",
    "data_version",
    "find_province",
    "in_sentence",
    "provinces",
    "unit_rows",
]

_PACKAGE = "vietnam-provinces"


@dataclass(frozen=True)
class Province:
    code: str  # "42"
    name: str  # "Hà Tĩnh", "Hồ Chí Minh"
    full_name: str  # "Tỉnh Hà Tĩnh", "Thành phố Hồ Chí Minh"
    kind: str  # "tỉnh" or "thành phố" (trực thuộc trung ương)


@dataclass(frozen=True)
class Commune:
    code: str  # "18616"
    name: str  # "Cẩm Xuyên"
    full_name: str  # "Xã Cẩm Xuyên"
    kind: str  # "xã", "phường" or "đặc khu"
    province_code: str  # "42"
    province_name: str  # "Hà Tĩnh" (the province's short name)


class UnknownUnitError(LookupError):
    """No unit matches the name; ``suggestions`` holds the nearest names."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        if suggestions:
            near = ", ".join(f"“{s}”" for s in suggestions)
            hint = f" Có phải: {near}?"
        else:
            hint = ""
        self.message = (
            f"Không tìm thấy tỉnh, thành phố “{query}” trong danh sách 34 tỉnh, thành phố "
            f"hiện hành.{hint}"
        )
        super().__init__(self.message)

    def __reduce__(self):
        return type(self), (self.query, self.suggestions)

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- data

_KIND = {
    "tỉnh": ("tỉnh", "Tỉnh"),
    "thành phố trung ương": ("thành phố", "Thành phố"),
}
_COMMUNE_PREFIX = {"xã": "Xã", "phường": "Phường", "đặc khu": "Đặc khu"}


def _strip_prefix(full_name: str, prefix: str) -> str:
    if full_name.casefold().startswith(prefix.casefold() + " "):
        return full_name[len(prefix) + 1 :].strip()
    return full_name


@functools.cache
def _load() -> tuple[tuple[Province, ...], dict[str, tuple[Commune, ...]]]:
    from vietnam_provinces import Province as VPProvince
    from vietnam_provinces import Ward as VPWard

    provinces: list[Province] = []
    for p in VPProvince.iter_all():
        kind, prefix = _KIND[p.division_type.value]
        # The package names cities in full ("Thành phố Hà Nội") and provinces
        # without their prefix ("Hà Tĩnh"); normalise both ways.
        name = _nfc(_strip_prefix(p.name, prefix))
        provinces.append(Province(f"{int(p.code):02d}", name, f"{prefix} {name}", kind))
    provinces.sort(key=lambda p: p.code)
    by_code = {p.code: p for p in provinces}

    communes: dict[str, list[Commune]] = {p.code: [] for p in provinces}
    for w in VPWard.iter_all():
        kind = w.division_type.value
        prefix = _COMMUNE_PREFIX[kind]
        name = _proper(_strip_prefix(_nfc(w.name), prefix))
        province = by_code[f"{int(w.province_code):02d}"]
        communes[province.code].append(
            Commune(f"{int(w.code):05d}", name, f"{prefix} {name}", kind, province.code, province.name)
        )
    frozen = {code: tuple(sorted(items, key=lambda c: c.code)) for code, items in communes.items()}
    return tuple(provinces), frozen


def _nfc(text: str) -> str:
    # NFC, and single spaces: the package has a few names with a doubled space
    # ("Xã  Xuân Giang" in 2025.10.1).
    return " ".join(unicodedata.normalize("NFC", text).split())


def _proper(name: str) -> str:
    # Every syllable of a proper name starts with a capital (Nghị định 30/2020, Phụ lục
    # II): the package has "Đắk song" (2025.10.1).
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


# --------------------------------------------------------------------------- lookup

_PROVINCE_PREFIXES = ("thanh pho ", "tp ", "tinh ")
# Common ways of writing a name that no spelling rule reaches.
_ALIASES = {
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "sai gon": "ho chi minh",
    "hn": "ha noi",
    "tphn": "ha noi",
}


def _key(text: str) -> str:
    """Compare names without case, diacritics, punctuation or prefixes."""
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("đ", "d")
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return text


def _province_key(text: str) -> str:
    key = _key(text)
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return _ALIASES.get(key, key)


@functools.cache
def _province_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for p in _load()[0]:
        key = _province_key(p.name)
        assert key not in index, f"two provinces share the key {key!r}"
        index[key] = p
    return index


def find_province(province: str | int | Province) -> Province:
    """The province named (forgivingly) or coded by ``province``.

    Case, diacritics and the "Tỉnh"/"Thành phố"/"TP" prefix are optional:
    "ha tinh", "Hà Tĩnh", "Tỉnh Hà Tĩnh", "TP Hồ Chí Minh", "Hồ Chí Minh", "42".
    """
    if isinstance(province, Province):
        return province
    if isinstance(province, bool):
        raise TypeError("province must be a name or a code, got bool")
    if isinstance(province, int) or (isinstance(province, str) and province.strip().isdigit()):
        code = f"{int(province):02d}"
        for p in _load()[0]:
            if p.code == code:
                return p
        raise UnknownUnitError(str(province), [])
    if not isinstance(province, str):
        raise TypeError(f"province must be a name or a code, got {type(province).__name__}")
    index = _province_index()
    found = index.get(_province_key(province))
    if found is not None:
        return found
    keys = list(index)
    near = difflib.get_close_matches(_province_key(province), keys, n=3, cutoff=0.0)
    raise UnknownUnitError(province.strip(), [index[k].name for k in near])


# --------------------------------------------------------------------------- API


def data_version() -> str:
    """E.g. ``"vietnam-provinces 2025.10.1 (dữ liệu ngày 2025-10-18)"``."""
    import vietnam_provinces

    version = getattr(vietnam_provinces, "__version__", None)
    if version is None:
        from importlib.metadata import version as _version

        version = _version(_PACKAGE)
    text = f"{_PACKAGE} {version}"
    data_date = getattr(vietnam_provinces, "__data_version__", None)
    if data_date:
        text += f" (dữ liệu ngày {data_date})"
    return text


def provinces() -> list[Province]:
    """The 34 provinces and centrally-run cities, by code."""
    return list(_load()[0])


def communes(province: str | int | Province) -> list[Commune]:
    """The commune-level units (xã, phường, đặc khu) of one province, by code."""
    p = find_province(province)
    return list(_load()[1][p.code])


def all_communes() -> list[Commune]:
    """Every commune-level unit of the country, by province code then code."""
    by_province = _load()[1]
    return [c for code in sorted(by_province) for c in by_province[code]]


# The names a unit is written with in a document (Nghị định 30/2020, Phụ lục II, mục
# II.3): inside a sentence the unit type is a common noun, in lower case, and only the
# proper name has capitals ("xã Tiên Điền", "phường Bến Nghé", "tỉnh Hà Tĩnh"); a
# name that is a number keeps the type's capital ("Phường 1 Bảo Lộc"), and so does
# "Thành phố Hồ Chí Minh", which the rule writes that way.
_CAPITAL_ALWAYS = {"thành phố hồ chí minh"}


def in_sentence(kind: str, name: str) -> str:
    """A unit's full name as written inside a sentence.

    >>> in_sentence("xã", "Tiên Điền"), in_sentence("phường", "Bến Nghé")
    ('xã Tiên Điền', 'phường Bến Nghé')
    >>> in_sentence("đặc khu", "Phú Quốc"), in_sentence("tỉnh", "Hà Tĩnh")
    ('đặc khu Phú Quốc', 'tỉnh Hà Tĩnh')
    >>> in_sentence("phường", "1 Bảo Lộc"), in_sentence("thành phố", "Hồ Chí Minh")
    ('Phường 1 Bảo Lộc', 'Thành phố Hồ Chí Minh')
    """
    kind = kind.lower()
    full = f"{kind} {name}"
    if name[:1].isdigit() or full.casefold() in _CAPITAL_ALWAYS:
        return full[:1].upper() + full[1:]
    return full


# The columns of `drafter batch --units`: (name, what it holds, an example). Shown by
# `drafter batch --help` and in docs/khoa-ban-thao.md.
UNIT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("ma", "mã đơn vị của Tổng cục Thống kê", "18673"),
    ("ten", "tên riêng", "Cẩm Xuyên"),
    ("ten_day_du", "tên đầy đủ, viết giữa câu", "xã Cẩm Xuyên"),
    ("ten_dau_cau", "tên đầy đủ, viết đầu câu, đầu dòng", "Xã Cẩm Xuyên"),
    ("ten_in_hoa", "tên đầy đủ in hoa", "XÃ CẨM XUYÊN"),
    ("loai_don_vi", "xã, phường hoặc đặc khu", "xã"),
    ("tinh", "tên riêng của tỉnh, thành phố", "Hà Tĩnh"),
    ("tinh_day_du", "tên đầy đủ của tỉnh, thành phố, viết giữa câu", "tỉnh Hà Tĩnh"),
)


def unit_rows(province: str | int | Province) -> list[dict[str, str]]:
    """One row per commune of ``province``, ready for batch drafting: the columns of
    :data:`UNIT_COLUMNS`.

    >>> row = next(r for r in unit_rows("Hà Tĩnh") if r["ten"] == "Cẩm Xuyên")
    >>> row["ten_day_du"], row["ten_dau_cau"], row["ten_in_hoa"], row["tinh_day_du"]
    ('xã Cẩm Xuyên', 'Xã Cẩm Xuyên', 'XÃ CẨM XUYÊN', 'tỉnh Hà Tĩnh')
    """
    p = find_province(province)
    province_name = in_sentence(p.kind, p.name)
    return [
        {
            "ma": c.code,
            "ten": c.name,
            "ten_day_du": in_sentence(c.kind, c.name),
            "ten_dau_cau": c.full_name,
            "ten_in_hoa": c.full_name.upper(),
            "loai_don_vi": c.kind,  # not "loai": that column would set the draft key
            "tinh": c.province_name,
            "tinh_day_du": province_name,
        }
        for c in communes(p)
    ]
