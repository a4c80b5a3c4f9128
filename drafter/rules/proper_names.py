"""Agency names in running text: the capitals of Phụ lục II (Nghị định 30/2020/NĐ-CP).

A heading prints an agency's name in capitals ("SỞ TÀI CHÍNH"); inside a sentence
(the "(Ban hành kèm theo Quyết định số … của …)" line, a contract's Bên A) it is
written as Phụ lục II says:

- the word of the kind of agency takes a capital (Sở, Bộ, Cục, Ban, Trung tâm,
  Văn phòng…); "Ủy ban nhân dân" and "Hội đồng nhân dân" take one on their first word
  only;
- its specific name (function, field) takes a capital on the first word of each part
  joined by "và", "," or "-": "Nông nghiệp và Phát triển nông thôn", "Lao động -
  Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch";
- the word of an administrative unit is lower case and the place name is capitalised
  ("tỉnh Hà Tĩnh", "xã Tiên Điền"); with a number, the unit word too ("Phường 5");
  "Thành phố Hồ Chí Minh" and "Thủ đô Hà Nội" are written so;
- the names the appendix spells out keep their capitals (Công Thương, Nhà nước,
  Quốc hội, Chính phủ, Việt Nam, Trung ương, Mặt trận Tổ quốc); abbreviations
  (UBND, HĐND, KHTC) stay as typed.

>>> running("SỞ TÀI CHÍNH")
'Sở Tài chính'
>>> running("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH")
'Ủy ban nhân dân tỉnh Hà Tĩnh'
>>> running("ỦY BAN NHÂN DÂN XÃ TIÊN ĐIỀN")
'Ủy ban nhân dân xã Tiên Điền'
>>> running("BỘ CÔNG THƯƠNG")
'Bộ Công Thương'
>>> running("UBND TỈNH VĨNH LONG")
'UBND tỉnh Vĩnh Long'
>>> running("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN")
'Sở Nông nghiệp và Phát triển nông thôn'
>>> running("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH QUẢNG NGÃI")
'Sở Lao động - Thương binh và Xã hội tỉnh Quảng Ngãi'
>>> running("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
'Sở Văn hóa, Thể thao và Du lịch'
>>> running("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN")
'Văn phòng Ủy ban nhân dân tỉnh Hưng Yên'
>>> running("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH")
'Ủy ban nhân dân Thành phố Hồ Chí Minh'
>>> running("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")
'Ủy ban nhân dân thành phố Hà Nội'
>>> running("ỦY BAN NHÂN DÂN PHƯỜNG 5")
'Ủy ban nhân dân Phường 5'
>>> running("TRUNG TÂM KHUYẾN CÔNG VÀ XÚC TIẾN THƯƠNG MẠI QUẢNG NGÃI", place="Quảng Ngãi")
'Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi'
>>> running("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH")
'Ban Quản lý các khu công nghiệp tỉnh'
>>> running("KHO BẠC NHÀ NƯỚC HÀ TĨNH", place="Hà Tĩnh")
'Kho bạc Nhà nước Hà Tĩnh'
>>> running("SỞ KHOA HỌC VÀ CÔNG NGHỆ"), running("SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
('Sở Khoa học và Công nghệ', 'Sở Kế hoạch và Đầu tư')
>>> running("PHÒNG KINH TẾ VÀ HẠ TẦNG HUYỆN ĐỨC THỌ")
'Phòng Kinh tế và Hạ tầng huyện Đức Thọ'
>>> running("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH HÀ TĨNH")
'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Tĩnh'
>>> running("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"), running("BỘ TRƯỞNG BỘ CÔNG THƯƠNG")
('Chủ tịch Ủy ban nhân dân tỉnh Tuyên Quang', 'Bộ trưởng Bộ Công Thương')
>>> running("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH")
'Trung tâm Phục vụ hành chính công tỉnh'
>>> running("BỘ CHỈ HUY QUÂN SỰ TỈNH HÀ TĨNH"), running("CHI CỤC THUẾ KHU VỰC II")
('Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh', 'Chi cục Thuế khu vực II')
>>> running("ỦY BAN NHÂN DÂN HUYỆN ĐỨC THỌ, TỈNH HÀ TĨNH"), running("BAN TỔ CHỨC TỈNH ỦY")
('Ủy ban nhân dân huyện Đức Thọ, tỉnh Hà Tĩnh', 'Ban Tổ chức Tỉnh ủy')
>>> running("THANH TRA BỘ TÀI CHÍNH"), running("VĂN PHÒNG BỘ CÔNG THƯƠNG")
('Thanh tra Bộ Tài chính', 'Văn phòng Bộ Công Thương')
>>> running("UỶ BAN NHÂN DÂN TỈNH AN HÒA"), running("SỞ GIAO THÔNG VẬN TẢI")
('Ủy ban nhân dân tỉnh An Hòa', 'Sở Giao thông vận tải')
>>> running("Sở Tài chính")  # already written for a sentence: the same
'Sở Tài chính'

A name whose specific part holds a place or a person ("Ban Quản lý Khu kinh tế Dung
Quất") cannot be told from capitals alone: only the place given (`place`, the
draft's `co_quan.dia_danh`) is restored as typed there.

No validate(): nothing here is the user's to get wrong; the name is typed in
capitals as the heading prints it, and this only writes it for a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import _is_syllable

__all__ = ["running"]

# Kinds of agency (and the titles of those who head them), as words of the lowered
# name, longest first where one starts another. Each is written with a capital on
# its first word only, except where spelt out.
_KINDS = sorted([
    "ủy ban nhân dân", "hội đồng nhân dân", "ủy ban", "hội đồng", "văn phòng", "tổng cục", "chi cục",
    "cục", "sở", "bộ", "vụ", "phòng", "ban", "trung tâm", "viện", "trường", "thanh tra", "kho bạc",
    "công an", "bộ chỉ huy quân sự", "trường đại học", "đài", "báo", "đoàn", "liên đoàn", "hội", "ngân hàng",
    "chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "bộ trưởng", "thứ trưởng", "chánh văn phòng",
    "cục trưởng", "vụ trưởng", "trưởng ban", "trưởng phòng", "chánh thanh tra",
], key=lambda k: -len(k.split()))
# Kinds spelt with more than one capital.
_KIND_SPELLING = {"bộ chỉ huy quân sự": "Bộ Chỉ huy Quân sự", "trường đại học": "Trường Đại học"}
# Whole agencies: no specific name of their own follows.
_WHOLE = {"ủy ban nhân dân", "hội đồng nhân dân", "bộ chỉ huy quân sự", "công an"}
# Kinds that may open a name inside another's specific part ("Văn phòng Ủy ban nhân
# dân tỉnh"): any kind right after a kind, these two anywhere.
_NESTING = {"ủy ban nhân dân", "hội đồng nhân dân"}
_TITLES = {"chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "bộ trưởng", "thứ trưởng",
           "chánh văn phòng", "cục trưởng", "vụ trưởng", "trưởng ban", "trưởng phòng", "chánh thanh tra"}

# Words of administrative units: lower case, the place name after them capitalised.
_UNITS = sorted(["tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "xã", "phường", "đặc khu"],
                key=lambda k: -len(k.split()))
_SPECIAL_PLACES = {"thành phố hồ chí minh": "Thành phố Hồ Chí Minh", "thủ đô hà nội": "Thủ đô Hà Nội"}

# Names Phụ lục II spells with capitals wherever they stand.
_SPELT = {
    "công thương": "Công Thương", "nhà nước": "Nhà nước", "quốc hội": "Quốc hội", "chính phủ": "Chính phủ",
    "việt nam": "Việt Nam", "trung ương": "Trung ương", "mặt trận tổ quốc": "Mặt trận Tổ quốc",
    "tỉnh ủy": "Tỉnh ủy", "thành ủy": "Thành ủy", "huyện ủy": "Huyện ủy", "đảng ủy": "Đảng ủy",
}
_SPELT_KEYS = sorted(_SPELT, key=lambda k: -len(k.split()))

_NOT_UNITS = {"xã hội"}  # "Lao động - Thương binh và Xã hội": no commune


def _fold(word: str) -> str:
    """Lower case, the old tone placement "uỷ" as "ủy" (one word either way)."""
    return word.lower().replace("uỷ", "ủy")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _is_abbreviation(word: str) -> bool:
    """"UBND", "KHTC", "TT-CB-TH": capitals that are no Vietnamese syllable."""
    letters = word.strip(",.;:()")
    if re.fullmatch(r"[IVXLC]+", letters):  # a Roman number ("Khu vực I")
        return True
    return letters.isupper() and not all(_is_syllable(p) for p in re.split(r"[-/]", letters) if p)


def _match(words: list[str], i: int, phrases: list[str]) -> str | None:
    for ph in phrases:
        n = len(ph.split())
        if " ".join(_fold(w).rstrip(",") for w in words[i:i + n]) == ph:
            return ph
    return None


def _place_words(words: list[str], i: int) -> int:
    """Where the place name that starts at `i` ends: after a word ending with ",", or
    before the next unit word ("huyện Đức Thọ, tỉnh Hà Tĩnh")."""
    j = i
    while j < len(words):
        if j > i and _unit_at(words, j):
            break
        j += 1
        if words[j - 1].endswith(","):
            break
    return j


def _unit_at(words: list[str], i: int) -> str | None:
    unit = _match(words, i, _UNITS)
    if unit is None or i + len(unit.split()) >= len(words) or words[i + len(unit.split()) - 1].endswith(","):
        return None  # a unit word with no name after it ("… các khu công nghiệp tỉnh")
    if " ".join(_fold(w).rstrip(",") for w in words[i:i + 2]) in _NOT_UNITS:
        return None
    return unit


@lru_cache(maxsize=1024)  # a batch writes the same issuer in every document
def running(name: str, *, place: str | None = None) -> str:
    """`name` (typed in capitals, or already in running text) as written in a sentence."""
    words = name.split()
    if not words:
        return ""
    out: list[str] = []
    i = 0
    after_kind = False  # the previous words were a kind: another kind may follow (nesting)
    in_name = False  # inside a specific name: its parts start after "và", ",", "-"
    part_start = False
    while i < len(words):
        w = words[i]
        special = _match(words, i, list(_SPECIAL_PLACES))
        if special is not None:
            n = len(special.split())
            out.append(_SPECIAL_PLACES[special] + ("," if words[i + n - 1].endswith(",") else ""))
            i += n
            after_kind = in_name = part_start = False
            continue
        spelt = _spelt_at(words, i)
        if spelt:
            out.append(spelt[0])
            i += spelt[1]
            after_kind = part_start = False
            continue
        unit = _unit_at(words, i)
        if unit is not None:
            n = len(unit.split())
            end = _place_words(words, i + n)
            rest = words[i + n:end]
            numbered = rest[0][:1].isdigit()
            out += [_cap(unit) if numbered else unit] + [x if _is_abbreviation(x) else _cap(x.lower()) for x in rest]
            i = end
            after_kind = in_name = part_start = False
            continue
        kind = _match(words, i, _KINDS)
        if kind is not None and (i == 0 or after_kind or kind in _NESTING):
            n = len(kind.split())
            typed = [_fold(x) for x in words[i:i + n]]
            out += [_KIND_SPELLING[kind]] if kind in _KIND_SPELLING else [_cap(typed[0])] + typed[1:]
            i += n
            after_kind = True
            in_name = kind not in _WHOLE and kind not in _TITLES
            part_start = in_name
            continue
        after_kind = False
        if _is_abbreviation(w):
            out.append(w)
        elif part_start:
            out.append(_cap(_fold(w)))
        else:
            out.append(_fold(w))
        part_start = in_name and (w.endswith(",") or _fold(w) in ("và", "-", "–"))
        i += 1
    text = " ".join(out)
    if place:
        text = _restore(text, place)
    return _cap(text)


def _spelt_at(words: list[str], i: int) -> tuple[str, int] | None:
    ph = _match(words, i, _SPELT_KEYS)
    if ph is None:
        return None
    n = len(ph.split())
    tail = "," if words[i + n - 1].endswith(",") else ""
    return _SPELT[ph] + tail, n


def _restore(text: str, place: str) -> str:
    """The place name as typed (`co_quan.dia_danh`) wherever it stands in `text`."""
    place = " ".join(place.split())
    if not place:
        return text
    return re.sub(rf"(?<!\w){re.escape(place)}(?!\w)", lambda m: place, text, flags=re.IGNORECASE)
