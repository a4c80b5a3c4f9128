"""Values that are allowed but probably a slip: warnings with a hint, never errors.

The bounds are data, documented for office staff in docs/khoa-ban-thao.md:

- a date (`ngay`, or the year `nam` when there is no date) before the founding of
  the State (2 September 1945), or more than :data:`FUTURE_DAYS` days after today
  (a date typed a century off, "2126" for "2026");
- a signer's name with a syllable in lower case ("nguyễn văn a"), or all in capitals
  (the name is printed as typed, in normal case: "Nguyễn Văn A");
- a trích yếu longer than :data:`MAX_TRICH_YEU` characters (a sentence of the body
  typed in the wrong place);
- more than :data:`MAX_KINH_GUI` recipients after "Kính gửi:" (a list that belongs
  in Nơi nhận, or a group name: "Các sở, ban, ngành tỉnh").

>>> import datetime as dt
>>> today = dt.date(2026, 12, 1)
>>> date(dt.date(2026, 12, 13), today)
[]
>>> [p.key for p in date(dt.date(2126, 12, 13), today)]
['ngay']
>>> date(dt.date(1930, 1, 5), today)[0].message
'Ngày ban hành 05/01/1930 ở trước năm 1945; kiểm tra lại năm.'
>>> year(2029, today)[0].key
'nam'
>>> [p.hint for p in signer_name("nguyễn văn a")]
["Viết hoa chữ cái đầu mỗi tiếng của họ tên: 'Nguyễn Văn A'."]
>>> signer_name("Nguyễn Văn A"), signer_name("Y Moan Niê")
([], [])
>>> signer_name("NGUYỄN VĂN A")[0].key
'ho_ten'
>>> trich_yeu("Về việc " + "x" * 300)[0].message
'Trích yếu dài 308 ký tự (quá 200); trích yếu chỉ tóm tắt nội dung chính trong một, hai dòng.'
>>> kinh_gui(["Sở Tài chính"] * 31)[0].key
'kinh_gui'
"""

from __future__ import annotations

import datetime as dt

from ..errors import Problem, warning

FOUNDED = dt.date(1945, 9, 2)  # Quốc khánh: no administrative document of the Republic before it
FUTURE_DAYS = 366  # a document is dated when it is signed: rarely planned a year ahead
MAX_TRICH_YEU = 200  # characters; the longest trích yếu of the samples and docs has 162
MAX_KINH_GUI = 30  # recipients after "Kính gửi:"; a longer list goes to Nơi nhận


def _dmy(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def date(value: dt.date | None, today: dt.date) -> list[Problem]:
    """A date of issue that is probably mistyped, at key `ngay`."""
    if value is None:
        return []
    if value < FOUNDED:
        return [warning(f"Ngày ban hành {_dmy(value)} ở trước năm 1945; kiểm tra lại năm.", key="ngay",
                        hint="Ghi ngày theo dạng năm-tháng-ngày, ví dụ 2026-01-05.")]
    if (value - today).days > FUTURE_DAYS:
        return [warning(f"Ngày ban hành {_dmy(value)} còn hơn một năm nữa mới đến (hôm nay {_dmy(today)}); "
                        "kiểm tra lại năm.", key="ngay",
                        hint="Bỏ trống 'ngay' nếu chưa biết ngày ký: văn thư ghi tay khi phát hành.")]
    return []


def year(value: int | None, today: dt.date) -> list[Problem]:
    """A year (`nam`, used when there is no date) more than a year ahead."""
    if value is None or value <= today.year + 1:
        return []
    return [warning(f"Năm {value} còn hơn một năm nữa mới đến; kiểm tra lại năm.", key="nam",
                    hint=f"Năm hiện tại là {today.year}.")]


def _title_case(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def signer_name(name: str | None) -> list[Problem]:
    """A signer's name not in normal case, at key `ho_ten` (relative to the `ky` group)."""
    name = " ".join((name or "").split())
    words = [w for w in name.split() if w[:1].isalpha()]
    if not words:
        return []
    if any(w[:1].islower() for w in words):
        state = "viết thường"
    elif len(name) > 3 and name.isupper() and any(len(w) > 1 for w in words):
        state = "viết toàn chữ in hoa"
    else:
        return []
    return [warning(f"Họ tên người ký '{name}' {state}; họ tên in đúng như gõ.", key="ho_ten",
                    hint=f"Viết hoa chữ cái đầu mỗi tiếng của họ tên: '{_title_case(name)}'.")]


def trich_yeu(text: str | None) -> list[Problem]:
    """A trích yếu too long to be one, at key `trich_yeu`."""
    if text is None or len(text) <= MAX_TRICH_YEU:  # its spaces collapsed it is no longer
        return []
    n = len(" ".join(text.split()))
    if n <= MAX_TRICH_YEU:
        return []
    return [warning(f"Trích yếu dài {n} ký tự (quá {MAX_TRICH_YEU}); trích yếu chỉ tóm tắt nội dung chính "
                    "trong một, hai dòng.", key="trich_yeu",
                    hint="Đưa phần giải thích xuống 'noi_dung'.")]


def kinh_gui(recipients: str | list[str] | None) -> list[Problem]:
    """More recipients after "Kính gửi:" than a document lists, at key `kinh_gui`."""
    items = [recipients] if isinstance(recipients, str) else [r for r in recipients or [] if r and str(r).strip()]
    if len(items) <= MAX_KINH_GUI:
        return []
    return [warning(f"Kính gửi có {len(items)} nơi (quá {MAX_KINH_GUI}).", key="kinh_gui",
                    hint="Gộp thành tên nhóm ('Các sở, ban, ngành tỉnh', 'UBND các xã, phường') "
                    "và liệt kê từng nơi ở 'noi_nhan'.")]
