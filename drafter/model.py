"""The typed draft: the keys of docs/khoa-ban-thao.md in code. `parse` turns a merged
YAML mapping into a Draft, or into problems that carry the file, line and key of each
offending value. An appendix's `bang` stays as written here (an inline mapping, or the
table read from its sheet while loading): drafter.validation types and computes it."""

from __future__ import annotations

import datetime as dt
from difflib import get_close_matches
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .errors import Problem
from .inputs.yamlfile import Loaded, key_name
from .rules import date_line, doctypes

StrList = Union[str, list[str]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class CoQuan(_Model):
    chu_quan: str | None = None
    ten: StrList
    viet_tat: str
    dia_danh: str

    @property
    def lines(self) -> list[str]:
        return [self.ten] if isinstance(self.ten, str) else list(self.ten)


class Ky(_Model):
    tm: str | None = None
    kt: str | None = None
    q: str | None = None
    tl: str | None = None
    tuq: str | None = None
    chuc_vu: StrList | None = None
    ho_ten: str


class TuyChon(_Model):
    """Options a preset or draft may set (reading of numbers in words)."""

    doc_so_linh: Literal["linh", "lẻ"] = "linh"
    doc_so_tu: Literal["tư", "bốn"] = "tư"


class VanBanKemTheo(_Model):
    loai: str
    ten_loai: str | None = None
    trich_yeu: str
    noi_dung: str | None = None
    ky: Ky | None = None

    @field_validator("loai")
    @classmethod
    def _known_type(cls, v: str) -> str:
        return _check_type(v)


class PhuLuc(_Model):
    """One appendix: its title, unit and table (inline, or a .csv/.xlsx file)."""

    tieu_de: str
    don_vi_tinh: str | None = None
    # An inline mapping, a sheet's name, or the table read from that sheet while
    # loading: typed (and its sums checked) by drafter.validation.
    bang: Any = None
    huong: Literal["doc", "ngang"] | None = None  # page orientation; default: by width


class Draft(_Model):
    loai: str
    dung: StrList | None = None
    co_quan: CoQuan
    so: int | None = None
    don_vi_soan: str | None = None
    so_ky_hieu: str | None = None
    ngay: dt.date | None = None
    nam: int | None = Field(default=None, ge=1945, le=2200)
    trich_yeu: str
    kinh_gui: StrList | None = None
    can_cu: list[str] | None = None
    xet_de_nghi: str | None = None
    tham_quyen: str | None = None
    noi_dung: str | None = None
    dieu: list[str] | None = None
    noi_nhan: list[str] | None = None
    luu: StrList | None = None
    ky: Ky
    do_khan: Literal["Khẩn", "Thượng khẩn", "Hỏa tốc"] | None = None
    do_mat: Literal["Mật", "Tối mật", "Tuyệt mật"] | None = None
    van_ban_kem_theo: list[VanBanKemTheo] | None = None
    phu_luc: list[PhuLuc] | None = None
    tuy_chon: TuyChon = Field(default_factory=TuyChon)

    @field_validator("loai")
    @classmethod
    def _known_type(cls, v: str) -> str:
        return _check_type(v)

    @field_validator("so", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())):
            raise PydanticCustomError("so", "Số văn bản phải là một số nguyên dương, ví dụ 8287, không phải '{v}'.", {"v": v})
        n = int(v)
        if n < 1:
            raise PydanticCustomError("so", "Số văn bản phải lớn hơn 0.")
        return n

    @field_validator("ngay", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        if v is None or v == "" or isinstance(v, dt.date):
            return v or None
        try:
            return date_line.parse_date(str(v))
        except ValueError as exc:
            raise PydanticCustomError("ngay", str(exc)) from None

    @field_validator("do_khan", "do_mat", mode="before")
    @classmethod
    def _mark(cls, v: Any) -> Any:
        # Accept any case: "KHẨN", "khẩn" → "Khẩn".
        return v.strip().capitalize() if isinstance(v, str) else v

    @property
    def doc_type(self) -> doctypes.DocType:
        return doctypes.get(self.loai)


def _check_type(v: str) -> str:
    try:
        doctypes.get(v)
    except doctypes.UnknownTypeError as exc:
        raise PydanticCustomError("loai", str(exc)) from None
    return v


_TYPE_WORDS = {
    "string_type": "cần một đoạn văn bản",
    "int_type": "cần một số nguyên",
    "int_parsing": "cần một số nguyên",
    "list_type": "cần một danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "dict_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "model_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "model_attributes_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "date_type": "cần một ngày, ví dụ 2019-12-13",
    "literal_error": "giá trị không nằm trong các giá trị cho phép",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
}


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Keys allowed at the mapping that contains the unknown key at `loc`."""
    m: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or m is None:
            continue
        field = m.model_fields.get(part) if hasattr(m, "model_fields") else None
        if field is None:
            return []
        ann = field.annotation
        m = _model_in(ann)
    return list(m.model_fields) if m is not None and hasattr(m, "model_fields") else []


def _model_in(ann: Any) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for a in getattr(ann, "__args__", ()) or ():
        found = _model_in(a)
        if found is not None:
            return found
    return None


def _problems(exc: ValidationError, loaded: Loaded) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in ("str", "list[str]", "int", "date", "function-after", "function-before"))))
        key = key_name(loc)
        kind = err["type"]
        found = err.get("input")
        hint = None
        if kind == "extra_forbidden":
            allowed = _allowed_keys(Draft, loc)
            near = get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            msg = f"Khóa '{loc[-1]}' không có trong mẫu văn bản."
            hint = f"Có phải ý bạn là '{near[0]}'?" if near else (
                "Các khóa được dùng ở đây: " + ", ".join(allowed) if allowed else None
            )
        elif kind == "missing":
            msg = f"Thiếu khóa bắt buộc '{loc[-1]}'."
            hint = f"Thêm dòng '{loc[-1]}: …' (xem SCHEMA trong tài liệu hướng dẫn)."
            # Position of the parent mapping: the key itself is not in the file.
        elif kind in _TYPE_WORDS:
            shown = found if not isinstance(found, (dict, list)) else type(found).__name__
            msg = f"Giá trị của '{key}' sai kiểu: {_TYPE_WORDS[kind]}, nhưng gặp '{shown}'."
            if kind == "literal_error":
                msg = f"Giá trị '{found}' của '{key}' không hợp lệ; chỉ nhận: {err.get('ctx', {}).get('expected', '')}."
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
        problems.append(Problem(msg, loaded.position(loc), key=key or None, hint=hint))
    # Several union branches report the same place; keep one message per key and text.
    seen, unique = set(), []
    for p in problems:
        sig = (p.key, p.message)
        if sig not in seen:
            seen.add(sig)
            unique.append(p)
    return unique


def parse(loaded: Loaded) -> tuple[Draft | None, list[Problem]]:
    """The typed draft, or None and every problem the model finds, each at its key.
    (The rules' checks run on top of this, in drafter.validation.)"""
    try:
        return Draft.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, _problems(exc, loaded)
