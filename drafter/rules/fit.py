"""Whether the header's one-line elements fit their column (docs/the-thuc.md#xuong-dong).

drafter keeps the date line on one line and breaks the agency's name only between
whole units; a place name or a unit too long for any line of its column cannot be
laid out so, and the clerk is warned, naming the key, before the document looks wrong.

>>> validate("Hà Nội", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"])
[]
>>> [p.key for p in validate("Thành phố Hồ Chí Minh thuộc vùng Đông Nam Bộ", ["ỦY BAN NHÂN DÂN"])]
['co_quan.dia_danh']
>>> [p.key for p in validate("Hà Nội", ["BAN QUẢN LÝ CÁC KHU CHẾ XUẤT VÀ CÔNG NGHIỆP THÀNH PHỐ HỒ CHÍ MINH"])]
[]
>>> [p.key for p in validate("Hà Nội", ["ỦY BAN NHÂN DÂN XÃ SƠN KIM THƯỢNG NGUỒN PHÍA BẮC SÔNG NGÀN PHỐ"])]
['co_quan.ten']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..errors import Problem, warning
from ..oxml import to_mm
from . import date_line, geometry, layout, linebreak, textwidth

__all__ = ["validate"]

_WIDEST_DATE = dt.date(2028, 12, 28)  # every digit is as wide as another: any day stands for all


def _cm(twips: float) -> str:
    return f"{to_mm(twips) / 10:.1f}".replace(".", ",")


def validate(dia_danh: str, co_quan: Sequence[str]) -> list[Problem]:
    """Warnings for a date line wider than the national column, and for a unit of the
    agency's name (an administrative level with its place name) wider than a line of
    the issuer's column."""
    out: list[Problem] = []
    line = date_line.format(dia_danh, _WIDEST_DATE)
    width = textwidth.width_twips(line, geometry.DATE_LINE.pt, italic=True)
    if width > layout.HEADER_RIGHT_INNER:
        out.append(warning(
            f"Địa danh «{dia_danh}» quá dài: dòng địa danh, ngày tháng rộng khoảng {_cm(width)} cm, "
            f"quá chỗ ở cột phải ({_cm(layout.HEADER_RIGHT_INNER)} cm), sẽ bị xuống dòng.",
            key="co_quan.dia_danh",
            hint="Địa danh là tên đơn vị hành chính nơi cơ quan đóng trụ sở (ví dụ «Hà Tĩnh», "
                 "«Thành phố Hồ Chí Minh»), không kèm địa chỉ."))
    room = layout.HEADER_LEFT_INNER
    for name in co_quan:
        for unit in linebreak.agency_units(" ".join(name.upper().split())):
            w = textwidth.width_twips(unit, geometry.ISSUER.pt, bold=True)
            if " " in unit and w > room:
                out.append(warning(
                    f"Cụm «{unit}» trong tên cơ quan rộng khoảng {_cm(w)} cm, quá một dòng của cột "
                    f"trái ({_cm(room)} cm): drafter phải ngắt giữa cụm này.",
                    key="co_quan.ten",
                    hint="Ghi tên cơ quan thành từng dòng vừa cột trong co_quan.ten, ví dụ "
                         "[ỦY BAN NHÂN DÂN, XÃ …, …]."))
    return out
