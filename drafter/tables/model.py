"""Budget tables as office staff write them: the keys of ``phu_luc[i].bang``.

A table has hierarchical rows (sections ``I, II…`` → items ``1, 2…`` → sub-items
``a, b…``), an optional unit column (ĐVT), column groups (``Năm 2018``…) each holding
the same measures (``Số lượng``, ``Kinh phí``), an optional total column group across
the groups, and a ``Tổng cộng`` row. Every figure that can be derived is derived by
:mod:`drafter.tables.compute`; a derivable figure the user types anyway is *checked*
against the derivation and a disagreement is an error.

This module only checks the *shape* of what was typed (keys, types, numbers). Names
in ``so_lieu`` (group and measure names) are resolved later, in ``compute``, where
every problem gets the key path of the value that caused it.

Numbers: ``int`` or text written the Vietnamese way (``"1.234,5"``), parsed by
:func:`drafter.rules.numbers.parse_number` into ``Decimal``. A YAML float
(``12.5``, and ``1.514`` — which YAML reads as one and a half!) is refused: money is
never carried in binary floating point.

Errors: a pydantic ``ValidationError`` is turned into a :class:`TableError` by
:func:`parse_table`; each :class:`TableProblem` carries ``path``, the key path
inside the ``bang`` mapping, so the caller can point at ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from typing import Annotated, Any, Union, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ErrorType

from drafter.rules import cells
from drafter.rules.numbers import format_number, parse_number
from drafter.rules.words import misread

__all__ = [
    "DEFAULT_TOTAL_LABEL",
    "Bang",
    "BangTep",
    "ChiTieu",
    "CotDau",
    "Dong",
    "Muc",
    "Nhom",
    "TableError",
    "TableProblem",
    "default_measures",
    "is_money_name",
    "norm_name",
    "parse_table",
    "slug",
    "to_amount",
]

DEFAULT_TOTAL_LABEL = "Tổng cộng"

# Names a measure may not take as `ma`: they are attributes of the figures objects
# that templates read (see compute.Figures), so a measure called "nhom" would hide them.
RESERVED_MEASURE_KEYS = frozenset({"nhom", "ten", "tt", "dvt", "so", "chu"})

# A measure is summed down the rows by default when its name says it is money: sums of
# amounts are what a budget table is for, while quantities of different units
# (Lớp, DN, Cơ sở) must never be added together.
_MONEY_PREFIXES = (
    "kinh phí", "thành tiền", "số tiền", "tổng tiền", "tiền", "dự toán", "giá trị",
    "chi phí", "vốn", "ngân sách", "nguồn vốn", "tổng mức",
)  # fmt: skip

# Values that mean "no figure" in a cell, as people type them.
_EMPTY_MARKS = frozenset({"", "-", "\u2013", "\u2014", "x"})


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class TableProblem:
    """One problem in a table, with where it is.

    ``path`` is the key path inside the ``bang`` mapping (``("dong", 1, "so_lieu",
    "Năm 2020")``); the caller prefixes ``("phu_luc", i, "bang")`` to find the line.
    For a table read from a sheet, ``file`` and ``line`` (the row number Excel shows)
    are set instead. ``row`` is the row as printed (``"II"``, ``"III.2"``,
    ``"Tổng cộng"``), ``key`` the column (``"Năm 2020 – Kinh phí"``); ``expected`` is
    the derived figure and ``found`` the typed one when a total disagrees.
    """

    message: str
    path: tuple = ()
    row: str | None = None
    key: str | None = None
    expected: Decimal | None = None
    found: Decimal | None = None
    file: str | None = None
    line: int | None = None
    column: str | None = None  # sheet column name, for sheet input

    def __str__(self) -> str:
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        else:
            where = f"{_path_text(self.path)}: " if self.path else ""
        return where + self.message


class TableError(ValueError):
    """A table that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[TableProblem] | TableProblem):
        self.problems = [problems] if isinstance(problems, TableProblem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _path_text(path: tuple) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


# --------------------------------------------------------------------------- values


def norm_name(text: str) -> str:
    """Compare names as people see them: NFC, case-folded, single spaces, one dash."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[\u2013\u2014]", "-", text)
    return " ".join(text.split())


def slug(text: str) -> str:
    """A reference name from Vietnamese text: "Năm 2018" → "nam_2018", "Kinh phí" →
    "kinh_phi", "Kinh phí (triệu đồng)" → "kinh_phi" (a unit in brackets is dropped).
    Used where the user gave no ``ma``; digits first get an ``n_`` prefix so the name
    works as a template attribute."""
    text = unicodedata.normalize("NFC", str(text))
    text = re.sub(r"\([^()]*\)", " ", text) if re.sub(r"\([^()]*\)", "", text).strip() else text
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not text:
        return "cot"
    return f"n_{text}" if text[0].isdigit() else text


def is_money_name(name: str) -> bool:
    """True when a measure name reads as an amount of money (summed by default)."""
    n = norm_name(name)
    return any(n == p or n.startswith(p + " ") or n.startswith(p + "(") for p in _MONEY_PREFIXES)


def _float_message(value: float) -> str:
    # The number as typed (inputs/yamlfile.TypedFloat keeps it): "1.500", never 1.5.
    shown = str(value) if type(value) is not float else repr(value)
    readings = misread(shown)
    if readings is not None:
        whole, whole_words, decimal, decimal_words = readings
        other = f'"{decimal}" (trong ngoặc kép)' if "," in decimal else decimal
        return (f'{shown} đọc là {whole_words} hay {decimal_words}? Viết {whole} nếu là {whole_words}, '
                f'hoặc {other} nếu là {decimal_words}; viết như {shown}, YAML đọc thành số thực, '
                f'drafter không dùng số thực cho số liệu.')
    integer, dot, fraction = shown.partition(".")
    if not dot or not integer.lstrip("-+").isdigit() or not fraction.isdigit():
        return f'Số {shown} không đọc được; hãy ghi số dạng văn bản trong ngoặc kép, ví dụ "12,5".'
    return (
        f"Số {shown} được YAML đọc thành số thực; drafter không dùng số thực cho số liệu vì làm sai "
        f'lệch số tiền. Dấu phẩy là dấu thập phân: hãy ghi "{integer},{fraction}" trong ngoặc kép.'
    )


def to_amount(value: Any) -> Decimal | None:
    """One figure as typed → Decimal, or None for an empty cell.

    Accepts int, Decimal and Vietnamese text (``"8.374"``, ``"1.234,5"``); empty
    text and ``-`` mean no figure. Raises ValueError (Vietnamese message) for a
    float, a bool or text that is not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"Cần một số, không phải giá trị đúng/sai ({'true' if value else 'false'}).")
    if isinstance(value, float):
        raise ValueError(_float_message(value))
    if isinstance(value, int):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Số không hợp lệ: {value}.")
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).strip()
        if text.casefold() in _EMPTY_MARKS:
            return None
        return parse_number(text)
    from drafter.errors import found_words

    raise ValueError(f"Cần một số (ví dụ 8.374 hoặc \"12,5\"), nhưng {found_words(value)}.")


def _figures(value: Any) -> Any:
    """Validate a ``so_lieu`` / ``tong`` structure: numbers become Decimal, names text.

    Shapes (resolved against groups and measures later, in compute):
    a number; a list of numbers (one per measure, in order); a mapping of measure
    names to numbers; or a mapping of group names to any of those.
    """

    def number(v: Any, where: str) -> Decimal | None:
        try:
            return to_amount(v)
        except (ValueError, TypeError) as exc:
            prefix = f"tại “{where}”: " if where else ""
            raise PydanticCustomError("so_lieu", "{msg}", {"msg": prefix + str(exc)}) from None

    def inner(v: Any, where: str) -> Any:
        if isinstance(v, list):
            return [number(x, f"{where}, số thứ {i + 1}" if where else f"số thứ {i + 1}") for i, x in enumerate(v)]
        if isinstance(v, Mapping):
            return {_text_value(k): number(x, f"{where} / {k}" if where else str(k)) for k, x in v.items()}
        return number(v, where)

    if value is None:
        return None
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if isinstance(v, (list, Mapping)):
                out[_text_value(k)] = inner(v, str(k))
            else:
                out[_text_value(k)] = number(v, str(k))
        return out
    return inner(value, "")


def _text_value(value: Any) -> str:
    if value is None:
        raise PydanticCustomError("text", "Đang để trống: cần một đoạn văn bản.")
    if isinstance(value, bool):
        raise PydanticCustomError("text", "Cần một đoạn văn bản, không phải '{v}'.", {"v": "true" if value else "false"})
    if isinstance(value, float):
        raise PydanticCustomError("text", "Cần một đoạn văn bản; hãy đặt '{v}' trong ngoặc kép.", {"v": value})
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, (Decimal, dt.date)):  # a batch row's typed cell, as the sheet shows it
        value = cells.format(value)
    if not isinstance(value, str):
        raise PydanticCustomError("text", "Cần một đoạn văn bản.")
    return " ".join(unicodedata.normalize("NFC", value).split())


Text = Annotated[str, BeforeValidator(_text_value)]
Figures = Annotated[Any, BeforeValidator(_figures)]


def _label_or_flag(value: Any) -> Any:
    """``true`` → the default label "Tổng cộng"; ``false``/empty → None; text kept."""
    if value is True:
        return DEFAULT_TOTAL_LABEL
    if value is False or value is None or value == "":
        return None
    return _text_value(value)


LabelOrFlag = Annotated[str | None, BeforeValidator(_label_or_flag)]


# --------------------------------------------------------------------------- models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


_MA = re.compile(r"[a-z_][a-z0-9_]*")


def _check_ma(value: str | None) -> str | None:
    if value is None:
        return None
    if not _MA.fullmatch(value):
        raise PydanticCustomError(
            "ma",
            "Mã '{v}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới, "
            "ví dụ kinh_phi, nam_2018.",
            {"v": value},
        )
    return value


class CotDau(_Model):
    """Headers of the leading text columns; ``dvt: false`` drops the unit column."""

    tt: Text = "TT"
    noi_dung: Text = "Nội dung"
    dvt: LabelOrFlag = "ĐVT"

    @field_validator("dvt", mode="before")
    @classmethod
    def _dvt(cls, v: Any) -> Any:
        return "ĐVT" if v is True else v


class _Named(_Model):
    """A name shown in the table and a code to refer to it (derived from the name)."""

    ten: Text
    ma: str | None = None

    @field_validator("ma")
    @classmethod
    def _ma(cls, v: str | None) -> str | None:
        return _check_ma(v)

    def model_post_init(self, __context: Any) -> None:
        if self.ma is None:
            self.ma = slug(self.ten)


class Nhom(_Named):
    """A column group (a year, a district). Written as text or ``{ma, ten}``."""


class ChiTieu(_Named):
    """A measure shown in every group (Số lượng, Kinh phí).

    ``cong``: summed down the rows (section subtotals, the Tổng cộng row). Default:
    summed when the name reads as money (Kinh phí, Thành tiền, Số tiền, Dự toán…).
    ``cong_ngang``: summed across the groups into the total column (default true;
    false for a unit price). ``dvt``: its unit, for reading it in words (default:
    the table's unit for a summed measure, the row's ĐVT otherwise).
    """

    cong: bool | None = None
    cong_ngang: bool = True
    dvt: Text | None = None

    def model_post_init(self, __context: Any) -> None:
        super().model_post_init(__context)  # ma from ten
        if self.cong is None:
            self.cong = is_money_name(self.ten)


def _group_or_text(value: Any) -> Any:
    return {"ten": value} if not isinstance(value, Mapping) else value


def default_measures() -> list[ChiTieu]:
    return [ChiTieu(ten="Số lượng", ma="so_luong"), ChiTieu(ten="Kinh phí", ma="kinh_phi")]


class Dong(_Model):
    """An item (``1, 2…``) or, under an item, a sub-item (``a, b…``)."""

    noi_dung: Text
    dvt: Text | None = None
    so_lieu: Figures = None
    dong: list[Dong] | None = None


class Muc(_Model):
    """A section (``I, II…``): its figures are derived from its items, if it has any."""

    muc: Text
    dvt: Text | None = None
    so_lieu: Figures = None
    dong: list[Dong] | None = None


def _row_kind(value: Any) -> str:
    if isinstance(value, Mapping) and "muc" in value:
        return "[muc]"
    if isinstance(value, BaseModel):
        return "[muc]" if isinstance(value, Muc) else "[dong]"
    return "[dong]"


# Tags in brackets: pydantic puts the tag in an error's location, and the bracket
# tells a location reader it is not a key of the file (drafter.model drops those).
TopRow = Annotated[
    Union[Annotated[Muc, Tag("[muc]")], Annotated[Dong, Tag("[dong]")]],
    Discriminator(_row_kind),
]


class _Columns(_Model):
    """Column settings shared by inline tables and tables read from a file."""

    cot_dau: CotDau = Field(default_factory=CotDau)
    tieu_de_nhom: Text | None = None  # a header row over all groups ("Dự kiến kết quả")
    tong_cot: LabelOrFlag = None  # the total column group across the groups
    tong_cong: LabelOrFlag = DEFAULT_TOTAL_LABEL  # the Tổng cộng row (false: none)
    bang_chu: str | bool | None = None  # measure whose grand total is read in words

    @field_validator("cot_dau", mode="before")
    @classmethod
    def _cot_dau(cls, v: Any) -> Any:
        # The list form [{ma: tt, ten: TT}, …] is accepted too.
        if isinstance(v, list):
            out: dict[str, Any] = {"dvt": False}
            for item in v:
                if not isinstance(item, Mapping) or set(item) - {"ma", "ten"} or "ma" not in item:
                    raise PydanticCustomError(
                        "cot_dau", "Mỗi cột đầu ghi {{ma: tt|noi_dung|dvt, ten: …}}, hoặc dùng "
                        "dạng cot_dau: {{tt: TT, noi_dung: Nội dung, dvt: ĐVT}}."
                    )
                out[str(item["ma"])] = item.get("ten", True)
            return out
        return v


class Bang(_Columns):
    """A table written inline under ``phu_luc[i].bang``."""

    nhom: list[Annotated[Nhom, BeforeValidator(_group_or_text)]] = Field(default_factory=list)
    chi_tieu: list[Annotated[ChiTieu, BeforeValidator(_group_or_text)]] = Field(default_factory=default_measures)
    dong: list[TopRow] = Field(min_length=1)
    tong: Figures = None  # figures of the Tổng cộng row as typed: checked, never kept

    # Where each row came from when the table was read from a sheet: key path → line.
    _source_file: str | None = PrivateAttr(default=None)
    _source_lines: dict = PrivateAttr(default={})  # not a factory: pydantic inspects factories per instance
    _source_columns: dict = PrivateAttr(default={})
    _warnings: list = PrivateAttr(default=[])

    @field_validator("nhom")
    @classmethod
    def _groups(cls, v: list[Nhom]) -> list[Nhom]:
        _unique(v, "nhóm cột (nhom)")
        return v

    @field_validator("chi_tieu")
    @classmethod
    def _measures(cls, v: list[ChiTieu]) -> list[ChiTieu]:
        if not v:
            raise PydanticCustomError("chi_tieu", "Bảng cần ít nhất một chỉ tiêu (chi_tieu), ví dụ Kinh phí.")
        _unique(v, "chỉ tiêu (chi_tieu)")
        for m in v:
            if m.ma in RESERVED_MEASURE_KEYS:
                raise PydanticCustomError(
                    "chi_tieu", "Mã chỉ tiêu '{ma}' trùng tên dành riêng; hãy đặt mã khác (ví dụ {ma}_1).",
                    {"ma": m.ma},
                )
        return v

    @property
    def source_file(self) -> str | None:
        return self._source_file

    @property
    def warnings(self) -> list[str]:
        """Notes from reading a sheet (formulas ignored in derived cells, encodings)."""
        return list(self._warnings)

    def source_line(self, path: tuple) -> tuple[int | None, str | None]:
        """The sheet row (and column) of a key path, for tables read from a file."""
        p = tuple(path)
        column = self._source_columns.get(p)
        while p:
            if p in self._source_lines:
                return self._source_lines[p], column
            p = p[:-1]
        return None, column


class BangTep(_Columns):
    """A table kept in a CSV or Excel file: ``bang: {tep: kinh-phi.xlsx, trang: …}``.

    Groups and measures come from the sheet's header; ``chi_tieu`` here only sets the
    options of measures found there (matched by name), e.g. ``cong``.
    """

    tep: Text
    trang: Text | None = None
    chi_tieu: list[Annotated[ChiTieu, BeforeValidator(_group_or_text)]] | None = None


def _unique(items: list, what: str) -> None:
    seen_ma: set[str] = set()
    seen_ten: set[str] = set()
    for item in items:
        if item.ma in seen_ma or norm_name(item.ten) in seen_ten:
            raise PydanticCustomError(
                "unique", "Có hai {what} trùng tên hoặc trùng mã: '{ten}'.", {"what": what, "ten": item.ten}
            )
        seen_ma.add(item.ma)
        seen_ten.add(norm_name(item.ten))


# --------------------------------------------------------------------------- parsing

_TYPE_WORDS = {
    "string_type": "cần một đoạn văn bản",
    "bool_type": "cần true hoặc false",
    "bool_parsing": "cần true hoặc false",
    "list_type": "cần một danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "dict_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "model_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "model_attributes_type": "cần một nhóm khóa con (thụt lề bên dưới)",
}


_PYDANTIC_TYPES = frozenset(get_args(ErrorType)) - {"value_error", "assertion_error"}


def _allowed_keys(loc: tuple) -> list[str]:
    """Keys allowed in the mapping that holds the key at ``loc`` (for suggestions)."""
    model: Any = Bang
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if part in ("[muc]", "[dong]"):
            model = Muc if part == "[muc]" else Dong
        elif part == "dong" and model in (Muc, Dong):
            model = Dong
        elif part == "dong" and model is Bang:
            continue  # the row's tag, next in the location, says Muc or Dong
        else:
            model = {"cot_dau": CotDau, "nhom": Nhom, "chi_tieu": ChiTieu}.get(part)
        if model is None:
            return []
    return list(model.model_fields)


def problems_from_validation(exc: ValidationError, *, model: type[BaseModel] = Bang) -> list[TableProblem]:
    """Vietnamese problems from a pydantic error, each with its key path."""
    out: list[TableProblem] = []
    seen: set[tuple] = set()
    for err in exc.errors():
        raw_loc = tuple(err["loc"])
        loc = tuple(p for p in raw_loc if not (isinstance(p, str) and p.startswith("[")))
        kind = err["type"]
        key = loc[-1] if loc else None
        if kind == "extra_forbidden":
            allowed = _allowed_keys(raw_loc) if model is Bang else list(model.model_fields)
            near = get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            msg = f"Khóa '{key}' không dùng trong bảng."
            if near:
                msg += f" Có phải ý bạn là '{near[0]}'?"
            elif allowed:
                msg += " Các khóa dùng được ở đây: " + ", ".join(allowed) + "."
        elif kind == "missing":
            msg = f"Thiếu khóa bắt buộc '{key}'."
        elif kind == "too_short":
            msg = f"Danh sách '{_path_text(loc)}' không được để trống."
        elif kind in _TYPE_WORDS:
            from drafter.errors import found_words

            msg = f"Giá trị của '{_path_text(loc)}' sai kiểu: {_TYPE_WORDS[kind]}, nhưng {found_words(err.get('input'))}."
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            elif kind in _PYDANTIC_TYPES:  # pydantic's own English: never shown
                msg = "giá trị không hợp lệ."
            if loc:
                msg = f"{_path_text(loc)}: {msg}"
        sig = (loc, msg)
        if sig in seen:
            continue
        seen.add(sig)
        out.append(TableProblem(msg, path=loc))
    return out


def parse_table(data: Any) -> Bang:
    """Validate an inline table (the mapping under ``bang``); raise TableError."""
    if not isinstance(data, Mapping):
        raise TableError(TableProblem(
            "Bảng (bang) phải là tên tệp .xlsx/.csv hoặc một nhóm khóa (nhom, chi_tieu, dong…)."
        ))
    try:
        return Bang.model_validate(dict(data))
    except ValidationError as exc:
        raise TableError(problems_from_validation(exc)) from None


def shown(value: Decimal | None) -> str:
    """A figure as printed in a message: Vietnamese format, or "(trống)"."""
    return "(trống)" if value is None else format_number(value)
