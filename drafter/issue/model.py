"""The outgoing register's rows (sổ đăng ký văn bản đi, Nghị định 30 Phụ lục IV).

``RegisterFields`` holds what the clerk (or the document) gives: the columns of
Phụ lục IV. ``Entry`` is a row as stored: those columns plus the series, the year,
the status and who cancelled it. Plain frozen dataclasses, no I/O.

>>> f = RegisterFields(ky_hieu="UBND-KT", ngay=dt.date(2026, 3, 5), ten_loai="Quyết định",
...                    trich_yeu="Về việc giao chỉ tiêu", nguoi_ky="Nguyễn Văn A")
>>> f.noi_nhan, f.so_luong_ban
([], None)
>>> e = Entry.from_fields(f, so=5, series="chung", year=2026, issued_at="2026-03-05T08:00:00+07:00")
>>> e.so_hien_thi, e.so_ky_hieu, e.status
('05', '05/UBND-KT', 'da-cap')
>>> e.cancelled
False
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["da-cap", "da-huy"]
ISSUED: Status = "da-cap"
CANCELLED: Status = "da-huy"


def shown_number(so: int) -> str:
    """The number as the document prints it: two digits at least (FORMAT.md).

    >>> shown_number(5), shown_number(12), shown_number(1234)
    ('05', '12', '1234')
    """
    return f"{so:02d}"


@dataclass(frozen=True)
class RegisterFields:
    """The columns of Phụ lục IV that the clerk or the document gives.

    ``so`` is filled by the register when it issues (``None`` before). ``ngay`` is
    the issuing date. ``loai`` is drafter's doctype slug (``quyet-dinh``, ``cong-van``…)
    when known; ``ten_loai`` the type's name as the document shows it.
    """

    ky_hieu: str = ""
    ngay: dt.date | None = None
    ten_loai: str = ""
    trich_yeu: str = ""
    nguoi_ky: str = ""
    noi_nhan: list[str] = field(default_factory=list)
    ban_luu: list[str] = field(default_factory=list)
    so_luong_ban: int | None = None
    ngay_chuyen: dt.date | None = None
    ky_nhan: str = ""
    ghi_chu: str = ""
    loai: str = ""
    so: int | None = None


@dataclass(frozen=True)
class Entry:
    """One row of the register as stored."""

    so: int
    series: str
    year: int
    ky_hieu: str = ""
    ngay: dt.date | None = None
    ten_loai: str = ""
    trich_yeu: str = ""
    nguoi_ky: str = ""
    noi_nhan: list[str] = field(default_factory=list)
    ban_luu: list[str] = field(default_factory=list)
    so_luong_ban: int | None = None
    ngay_chuyen: dt.date | None = None
    ky_nhan: str = ""
    ghi_chu: str = ""
    loai: str = ""
    status: Status = ISSUED
    huy_boi: str = ""
    huy_ly_do: str = ""
    huy_luc: str = ""
    file: str | None = None
    issued_at: str = ""

    @classmethod
    def from_fields(cls, fields: RegisterFields, *, so: int, series: str, year: int,
                    issued_at: str, file: str | None = None) -> Entry:
        values = {f.name: getattr(fields, f.name) for f in dataclasses.fields(RegisterFields)
                  if f.name != "so"}
        return cls(so=so, series=series, year=year, issued_at=issued_at, file=file, **values)

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def so_hien_thi(self) -> str:
        """The number two digits at least: ``05``."""
        return shown_number(self.so)

    @property
    def so_ky_hieu(self) -> str:
        """``05/UBND-KT`` (the number alone when there is no ký hiệu)."""
        return f"{self.so_hien_thi}/{self.ky_hieu}" if self.ky_hieu else self.so_hien_thi

    @property
    def ten_loai_trich_yeu(self) -> str:
        """Phụ lục IV's column 'Tên loại và trích yếu nội dung'."""
        return " ".join(p for p in (self.ten_loai, self.trich_yeu) if p)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO strings) for ``--json``."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.isoformat() if isinstance(v, dt.date) else (list(v) if isinstance(v, list) else v)
        out["so_hien_thi"] = self.so_hien_thi
        out["so_ky_hieu"] = self.so_ky_hieu
        return out
