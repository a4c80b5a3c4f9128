"""The typed draft: the keys of docs/khoa-ban-thao.md in code. `parse` turns a merged
YAML mapping into a Draft, or into problems that carry the file, line and key of each
offending value. An appendix's `bang` stays as written here (an inline mapping, or the
table read from its sheet while loading): drafter.validation types and computes it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from difflib import get_close_matches
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError, SchemaValidator
from pydantic_core.core_schema import ErrorType

from .errors import Problem
from .inputs.yamlfile import Loaded, found_words, key_name, typed_text
from .rules import cells, date_line, doctypes, marks, words


def _as_text(value: Any) -> Any:
    # A batch row's typed cell (an Excel number or date) where a text is wanted,
    # written as a Vietnamese reader sees it in the sheet.
    return cells.format(value) if isinstance(value, (Decimal, dt.date)) else value


Text = Annotated[str, BeforeValidator(_as_text)]
StrList = Union[Text, list[Text]]


class _Model(BaseModel):
    # cache_strings="keys": with str_strip_whitespace, pydantic-core otherwise keeps the
    # values it strips in its global string cache (16,384 entries, ~120 bytes each): a
    # batch's every distinct text, 2 MB that a 33,210-row run never gives back.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True,
                              cache_strings="keys")


class CoQuan(_Model):
    chu_quan: Text | None = None
    ten: StrList
    viet_tat: Text
    dia_danh: Text

    @property
    def lines(self) -> list[Text]:
        return [self.ten] if isinstance(self.ten, str) else list(self.ten)


class Ky(_Model):
    tm: Text | None = None
    kt: Text | None = None
    q: Text | None = None
    tl: Text | None = None
    tuq: Text | None = None
    chuc_vu: StrList | None = None
    ho_ten: Text


class NguoiKyBienBan(_Model):
    """A signer of minutes (biên bản): the chair or the secretary."""

    chuc_vu: Text | None = None  # printed above the signature; default CHỦ TRÌ / THƯ KÝ
    ho_ten: Text


class BenHopDong(_Model):
    """A party of a contract (hợp đồng): Bên A, Bên B."""

    ten: Text | None = None  # Bên A: the issuer's name when absent
    dai_dien: Text | None = None  # the representative; Bên A: the signer (ky) when absent
    chuc_vu: Text | None = None
    dia_chi: Text | None = None
    dien_thoai: Text | None = None
    ma_so_thue: Text | None = None
    tai_khoan: Text | None = None


class BenB(BenHopDong):
    """The other party: its name and representative must be written."""

    ten: Text
    dai_dien: Text


class TuyChon(_Model):
    """Options a preset or draft may set (reading of numbers in words)."""

    doc_so_linh: Literal["linh", "lẻ"] = "linh"
    doc_so_tu: Literal["tư", "bốn"] = "tư"


class SoDangKy(_Model):
    """The office's outgoing register (drafter cap-so; drafter/issue/config.py reads it)."""

    thu_muc: Text | None = None  # the register's folder or .sqlite3 file
    theo_loai: bool | list[Text] | None = None  # true: a series per type; or the types kept apart
    hoi_dong: list[Text] | None = None  # councils/boards issuing under their own name: their abbreviations

    @field_validator("theo_loai")
    @classmethod
    def _known_types(cls, v: Any) -> Any:
        return [_check_type(x) for x in v] if isinstance(v, list) else v


class VanBanKemTheo(_Model):
    loai: Text
    ten_loai: Text | None = None
    trich_yeu: Text
    noi_dung: Text | None = None
    ky: Ky | None = None

    @field_validator("loai")
    @classmethod
    def _known_type(cls, v: str) -> str:
        return _check_type(v)


class PhuLuc(_Model):
    """One appendix: its title, unit and table (inline, or a .csv/.xlsx file)."""

    tieu_de: Text
    don_vi_tinh: Text | None = None
    # An inline mapping, a sheet's name, or the table read from that sheet while
    # loading: typed (and its sums checked) by drafter.validation.
    bang: Any = None
    huong: Literal["doc", "ngang"] | None = None  # page orientation; default: by width


class Draft(_Model):
    loai: Text
    dung: StrList | None = None
    co_quan: CoQuan
    so: int | None = None
    don_vi_soan: Text | None = None
    so_ky_hieu: Text | None = None
    ngay: dt.date | None = None
    nam: int | None = Field(default=None, ge=1945, le=2200)
    trich_yeu: Text
    kinh_gui: StrList | None = None
    can_cu: list[Text] | None = None
    xet_de_nghi: Text | None = None
    tham_quyen: Text | None = None
    noi_dung: Text | None = None
    dieu: list[Text] | None = None
    noi_nhan: list[Text] | None = None
    luu: StrList | None = None
    ky: Ky
    do_khan: Literal["Khẩn", "Thượng khẩn", "Hỏa tốc"] | None = None
    do_mat: Literal["Mật", "Tối mật", "Tuyệt mật"] | None = None
    # ô 11, chỉ dẫn phạm vi lưu hành (rules/marks.CIRCULATION), printed in capitals.
    luu_hanh: Literal["LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "KHÔNG PHỔ BIẾN", "TÀI LIỆU HỘI NGHỊ"] | None = None
    # A document issued with another in a file of its own (Mẫu 1.3 alone): the parent
    # as its "(Ban hành kèm theo …)" line names it; no số, date or Nơi nhận of its own.
    ban_hanh_kem_theo: Text | None = None
    # Appendices in a file of their own (rules/kem_theo.APPENDIX_KEY): the document they
    # are attached to, as their "(Kèm theo …)" line names it; only `phu_luc` is printed.
    chi_phu_luc: Text | None = None
    van_ban_kem_theo: list[VanBanKemTheo] | None = None
    phu_luc: list[PhuLuc] | None = None
    tuy_chon: TuyChon = Field(default_factory=TuyChon)
    so_dang_ky: SoDangKy | None = None
    # Giấy mời, biên bản: the meeting's time, place and participants; biên bản: its
    # chair and secretary (two signatures); hợp đồng: the two parties.
    thoi_gian: Text | None = None
    dia_diem: Text | None = None
    thanh_phan: StrList | None = None
    chu_tri: NguoiKyBienBan | None = None
    thu_ky: NguoiKyBienBan | None = None
    ben_a: BenHopDong | None = None
    ben_b: BenB | None = None

    @field_validator("loai")
    @classmethod
    def _known_type(cls, v: str) -> str:
        return _check_type(v)

    @field_validator("so", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        if isinstance(v, float):
            raise PydanticCustomError("so", "{msg}", {"msg": _whole_number("Số văn bản", "8287", v)})
        if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())):
            raise PydanticCustomError("so", "Số văn bản phải là một số nguyên dương, ví dụ 8287, không phải '{v}'.",
                                      {"v": typed_text(v)})
        n = int(v)
        if n < 1:
            raise PydanticCustomError("so", "Số văn bản phải lớn hơn 0.")
        return n

    @field_validator("nam", mode="before")
    @classmethod
    def _year(cls, v: Any) -> Any:
        if isinstance(v, float):
            raise PydanticCustomError("nam", "{msg}", {"msg": _whole_number("Năm", "2025", v)})
        return v

    @field_validator("ngay", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        if v is None or v == "" or isinstance(v, dt.date):
            return v or None
        found = _date_of(str(v))
        if isinstance(found, str):
            raise PydanticCustomError("ngay", found)
        return found

    @field_validator("do_khan", "do_mat", mode="before")
    @classmethod
    def _mark(cls, v: Any) -> Any:
        # Accept any case: "KHẨN", "khẩn" → "Khẩn".
        return v.strip().capitalize() if isinstance(v, str) else v

    @field_validator("luu_hanh", mode="before")
    @classmethod
    def _circulation(cls, v: Any) -> Any:
        # Any case, spaces as typed: "Lưu hành nội bộ" → "LƯU HÀNH NỘI BỘ"; another value
        # stays as typed, so that its error shows what the user wrote.
        if not isinstance(v, str):
            return v
        up = " ".join(v.split()).upper()
        return None if not up else up if up in marks.CIRCULATION else v

    @property
    def doc_type(self) -> doctypes.DocType:
        return doctypes.get(self.loai)


@functools.lru_cache(maxsize=256)
def _date_of(text: str) -> dt.date | str:
    """The date a text writes, or why it is none (a batch's rows share their date)."""
    try:
        return date_line.parse_date(text)
    except ValueError as exc:
        return str(exc)


class _AppendixOnlyDraft(Draft):
    """A draft with `chi_phu_luc`: appendices alone, without the header, text and
    signature of a document (no quốc hiệu, no signer), so those keys are not needed."""

    co_quan: CoQuan | None = None  # type: ignore[assignment]
    trich_yeu: Text | None = None  # type: ignore[assignment]
    ky: Ky | None = None  # type: ignore[assignment]


def appendix_only(data: Any) -> bool:
    """Does the draft's mapping name the document its appendices are attached to?"""
    if type(data) is not dict and not isinstance(data, Mapping):  # a plain dict: no ABC test
        return False
    value = data.get("chi_phu_luc")
    return isinstance(value, str) and bool(value.strip())


def _whole_number(what: str, example: str, v: float) -> str:
    """Why a YAML float is no whole number, in the user's text: ``1.500`` gets both
    readings (YAML's 1,5 and the Vietnamese 1500)."""
    typed = typed_text(v)
    readings = words.misread(typed)
    if readings is None:
        return f"{what} phải là một số nguyên, ví dụ {example}, không phải '{typed}'."
    whole, whole_words, _, decimal_words = readings
    return (f"{typed} đọc là {whole_words} hay {decimal_words}? {what} là số nguyên: "
            f"viết {whole} (không có dấu chấm).")


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
    "int_from_float": "cần một số nguyên",
    "bool_type": "cần true hoặc false",
    "bool_parsing": "cần true hoặc false",
    "float_type": "cần một số",
    "float_parsing": "cần một số",
    "decimal_type": "cần một số",
    "decimal_parsing": "cần một số",
    "date_parsing": "cần một ngày, ví dụ 2019-12-13",
    "date_from_datetime_parsing": "cần một ngày, ví dụ 2019-12-13",
    "date_from_datetime_inexact": "cần một ngày, ví dụ 2019-12-13",
    "list_type": "cần một danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "dict_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "model_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "model_attributes_type": "cần một nhóm khóa con (thụt lề bên dưới)",
    "date_type": "cần một ngày, ví dụ 2019-12-13",
    "literal_error": "giá trị không nằm trong các giá trị cho phép",
}

# pydantic's own error types (its messages are English): each said in Vietnamese
# below; one it may add later gets _OTHER. A type not among them is one of drafter's
# own PydanticCustomError, whose message is already the user's.
_PYDANTIC_TYPES = frozenset(get_args(ErrorType))
_RANGE_WORDS = {"greater_than_equal": "từ {ge} trở lên", "less_than_equal": "không quá {le}",
                "greater_than": "lớn hơn {gt}", "less_than": "nhỏ hơn {lt}"}
_OTHER = "Giá trị của '{key}' không hợp lệ."


_found_words = found_words


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


_BRANCH = re.compile(r"[a-z][a-z-]*\[.*\]|str|int|bool|date|decimal|function-(after|before|wrap|plain)"
                     r"|constrained-[a-z]+|lax-or-strict|json-or-python|nullable")


def _plain_loc(loc: tuple) -> tuple:
    """pydantic's location without the names of union branches and validators
    (``list[str]``, ``function-after[…]``); a key the user typed is kept, whatever it holds."""
    return tuple(p for p in loc if not (isinstance(p, str) and _BRANCH.fullmatch(p)))


def _problems(exc: ValidationError, loaded: Loaded) -> list[Problem]:
    # A text-or-list key fails once per branch of its type: one problem names both.
    wanted: dict[tuple, tuple[list[str], Any]] = {}  # loc → (what was wanted, what was found)
    found_at: list[Problem | tuple] = []  # problems, and the locs of wrong types in order
    errors = [(err, _plain_loc(err["loc"])) for err in exc.errors()]
    item_locs = {loc[:-1] for _, loc in errors if loc and isinstance(loc[-1], int)}
    for err, loc in errors:
        key = key_name(loc)
        kind = err["type"]
        found = err.get("input")
        if kind == "string_type" and isinstance(found, list) and loc in item_locs:
            continue  # a text-or-list key written as a list: its items' own errors say what is wrong
        hint = None
        if kind in _TYPE_WORDS and kind != "literal_error":
            words, _ = wanted.setdefault(loc, ([], found))
            if not words:
                found_at.append(loc)
            if _TYPE_WORDS[kind] not in words:
                words.append(_TYPE_WORDS[kind])
            continue
        if kind == "extra_forbidden":
            allowed = _allowed_keys(Draft, loc)
            near = get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            msg = f"Khóa '{loc[-1]}' không có trong mẫu văn bản."
            hint = f"Có phải ý bạn là '{near[0]}'?" if near else (
                "Các khóa được dùng ở đây: " + ", ".join(allowed) if allowed else None
            )
        elif kind == "missing":
            msg = f"Thiếu khóa bắt buộc '{loc[-1]}'."
            hint = f"Thêm dòng '{loc[-1]}: …' (xem «Các khóa của bản thảo», docs/khoa-ban-thao.md)."
            # Position of the parent mapping: the key itself is not in the file.
        elif kind == "literal_error":
            allowed = str(err.get("ctx", {}).get("expected", "")).replace(" or ", " hoặc ")
            msg = (f"Giá trị của '{key}' đang để trống; chỉ nhận: {allowed}." if found is None else
                   f"Giá trị '{typed_text(found)}' của '{key}' không hợp lệ; chỉ nhận: {allowed}.")
        elif kind in _RANGE_WORDS:
            bound = _RANGE_WORDS[kind].format(**{k: typed_text(v) for k, v in (err.get("ctx") or {}).items()})
            msg = f"Giá trị của '{key}' phải {bound}, không phải '{typed_text(found)}'."
        elif kind in ("value_error", "assertion_error") or kind not in _PYDANTIC_TYPES:
            msg = err["msg"]  # drafter's own message (a validator's ValueError or custom error)
            for prefix in ("Value error, ", "Assertion failed, "):
                msg = msg.removeprefix(prefix)
        elif kind in ("string_too_long", "too_long"):
            msg = f"Giá trị của '{key}' quá dài."
        elif kind in ("string_too_short", "too_short"):
            msg = f"Giá trị của '{key}' đang để trống."
        else:
            msg = _OTHER.format(key=key)
        found_at.append(Problem(msg, loaded.position(loc), key=key or None, hint=hint))
    out, seen = [], set()
    for item in found_at:
        if isinstance(item, tuple):
            wanted_words, found = wanted[item]
            wants = " hoặc ".join([wanted_words[0], *(w.removeprefix("cần ") for w in wanted_words[1:])])
            item = Problem(f"Giá trị của '{key_name(item)}' sai kiểu: {wants}, nhưng {_found_words(found)}.",
                           loaded.position(item), key=key_name(item) or None)
        if (item.key, item.message) not in seen:
            seen.add((item.key, item.message))
            out.append(item)
    return out


def parse(loaded: Loaded, changed: tuple[Any, set[str]] | None = None) -> tuple[Draft | None, list[Problem]]:
    """The typed draft, or None and every problem the model finds, each at its key.
    (The rules' checks run on top of this, in drafter.validation.) `changed`: a
    mapping and the keys of `loaded.data` that hold other objects than there, when
    the caller knows them (validation's steps do)."""
    global _TYPED_LAST
    cls = _AppendixOnlyDraft if appendix_only(loaded.data) else Draft
    draft = _delta(loaded.data, cls, changed)
    if draft is not None:
        return draft, []
    data, fresh = _with_typed(loaded.data)
    try:
        draft = cls.model_validate(data)
    except ValidationError as exc:
        _TYPED_LAST = {}
        _PARSED_LAST[:] = [None, None, None]
        return None, _problems(exc, loaded)
    _TYPED_LAST = {}
    _remember_fresh(draft, fresh)
    _PARSED_LAST[:] = [loaded.data, draft, cls]
    return draft, []


def _remember_fresh(draft: Draft, fresh: list[tuple[tuple[str, int], Any, int | None]]) -> None:
    for key, value, index in fresh:
        typed = getattr(draft, key[0])
        typed = typed[index] if index is not None else typed
        if isinstance(typed, BaseModel):
            _TYPED_LAST[key] = (value, typed)


# The last draft the model accepted and the mapping it was typed from (kept alive):
# a batch row shares every value it does not change with the row before (copy on
# write), so only the keys whose value is another object are typed again, each by
# its own field's validator (the model's schema and config for that field: the same
# value as typed within the whole draft), the rest taken from the draft before. Any
# doubt (another key set, an unknown key, a value the field refuses, the same mapping
# again: it may have been changed in place) and the whole draft is typed, so its
# errors are the model's own.
_PARSED_LAST: list[Any] = [None, None, None]  # [mapping, draft, model class]
_DELTA_MAX = 12  # more changed keys than this: the whole draft at once
_FIELD_VALIDATORS: dict[tuple[type, str], Any] = {}


def _field_validator(cls: type[BaseModel], name: str) -> Any:
    """The validator of `cls`'s field `name` alone (False when its schema is not the
    plain model-fields one this reads)."""
    found = _FIELD_VALIDATORS.get((cls, name))
    if found is None:
        found = False
        schema = cls.__pydantic_core_schema__
        defs = schema.get("definitions") if schema.get("type") == "definitions" else None
        model_schema = schema["schema"] if defs is not None else schema
        fields = model_schema.get("schema", {}) if model_schema.get("type") == "model" else {}
        field = fields.get("fields", {}).get(name) if fields.get("type") == "model-fields" else None
        if field is not None and field.get("type") == "model-field" and not fields.get("computed_fields"):
            inner = field["schema"]
            if defs:
                inner = {"type": "definitions", "schema": inner, "definitions": defs}
            found = SchemaValidator(inner, model_schema.get("config"))
        _FIELD_VALIDATORS[(cls, name)] = found
    return found


def _delta(data: Any, cls: type[Draft], known: tuple[Any, set[str]] | None = None) -> Draft | None:
    """The draft typed from `data` by its changes from the last accepted one, or None
    (then the whole draft is typed). `known`: a mapping and the keys of `data` whose
    values are other objects than there (used when that mapping is the last one)."""
    global _TYPED_LAST
    last_data, last_draft, last_cls = _PARSED_LAST
    if (last_cls is not cls or type(data) is not dict or type(last_data) is not dict or data is last_data
            or len(data) != len(last_data)):
        return None
    if known is not None and known[0] is last_data:
        changed: Any = known[1]
    else:
        get = last_data.get
        changed = [k for k, v in data.items() if v is not get(k, _NO_VALUE)]
    if len(changed) > _DELTA_MAX:
        return None
    fields = _MODEL_FIELDS.get(cls)
    if fields is None:  # read once per class: pydantic's model_fields is a property with a check per read
        fields = _MODEL_FIELDS[cls] = dict(cls.model_fields)
    values: dict[str, Any] = {}
    fresh: list[tuple[tuple[str, int], Any, int | None]] = []
    for name in changed:
        if name not in fields or name not in last_data or name not in data:
            return None
        validator = _field_validator(cls, name)
        if validator is False:
            return None
        value = data[name]
        if name in _SUB_MODEL_SET:
            value = _typed_one(name, value, fresh)
        elif name in _SUB_MODEL_LIST_SET:
            value = _typed_items(name, value, fresh)
        try:
            values[name] = validator.validate_python(value)
        except ValidationError:
            return None
    draft = cls.__new__(cls)
    typed = dict(last_draft.__dict__)
    typed.update(values)
    _set = object.__setattr__
    _set(draft, "__dict__", typed)
    _set(draft, "__pydantic_fields_set__", set(last_draft.__pydantic_fields_set__))
    _set(draft, "__pydantic_extra__", None)
    _set(draft, "__pydantic_private__", None)
    if _TYPED_LAST:  # what the draft before typed under a key this one keeps is met again: shared
        names = set(changed)  # (what this one typed is remembered until the next, as a whole parse does)
        for key, hit in _TYPED_LAST.items():
            if key[0] not in names and key not in _TYPED:
                if len(_TYPED) >= _TYPED_MAX:
                    _TYPED.clear()
                _TYPED[key] = hit
        _TYPED_LAST = {}
    _remember_fresh(draft, fresh)
    _PARSED_LAST[:] = [data, draft, cls]
    return draft


_NO_VALUE = object()
_MODEL_FIELDS: dict[type, dict[str, Any]] = {}


# The parts of a draft typed as a model of their own (the issuer, the signer, an
# attached document…), each typed once per batch: a batch row shares every mapping it
# does not change with the loaded draft (copy on write), and a mapping met again, by
# identity, is given to pydantic as the instance typed from it the time before, which
# pydantic takes as it is (revalidate_instances='never'; none of these models' checks
# reads another part of the draft). A row that changes one of its values has a copy
# of its own, typed in full, its errors at their keys. What the last parse typed is
# remembered until the next; what two parses in a row met is kept (bounded), so a
# row's own copies are forgotten with the next row. Each mapping is kept with its
# instance, so its id stays its own.
_SUB_MODELS = ("co_quan", "ky", "tuy_chon", "so_dang_ky", "chu_tri", "thu_ky", "ben_a", "ben_b")
_SUB_MODEL_LISTS = ("van_ban_kem_theo", "phu_luc")
_TYPED: dict[tuple[str, int], tuple[Any, BaseModel]] = {}
_TYPED_LAST: dict[tuple[str, int], tuple[Any, BaseModel]] = {}
_TYPED_MAX = 1024


def _typed_before(key: tuple[str, int], value: Any) -> BaseModel | None:
    hit = _TYPED.get(key)
    if hit is not None and hit[0] is value:
        return hit[1]
    hit = _TYPED_LAST.get(key)
    if hit is not None and hit[0] is value:  # met by the parse before too: shared
        if len(_TYPED) >= _TYPED_MAX:
            _TYPED.clear()
        _TYPED[key] = hit
        return hit[1]
    return None


def _with_typed(data: Any) -> tuple[Any, list[tuple[tuple[str, int], Any, int | None]]]:
    """`data` with each sub-mapping typed before (the same object) as its instance,
    and the sub-mappings not typed before (their key, the mapping, the list index)."""
    if type(data) is not dict:
        return data, []
    out = None
    fresh: list[tuple[tuple[str, int], Any, int | None]] = []
    for name in _SUB_MODELS:
        value = data.get(name)
        if type(value) is dict:
            typed = _typed_one(name, value, fresh)
            if typed is not value:
                out = out if out is not None else dict(data)
                out[name] = typed
    for name in _SUB_MODEL_LISTS:
        items = data.get(name)
        if type(items) is list and items:
            replaced = _typed_items(name, items, fresh)
            if replaced is not items:
                out = out if out is not None else dict(data)
                out[name] = replaced
    return (out if out is not None else data), fresh


_SUB_MODEL_SET = frozenset(_SUB_MODELS)
_SUB_MODEL_LIST_SET = frozenset(_SUB_MODEL_LISTS)


def _typed_one(name: str, value: Any, fresh: list) -> Any:
    """The instance typed before from the mapping `value` (the same object), else
    `value`, noted in `fresh`."""
    if type(value) is not dict:
        return value
    key = (name, id(value))
    typed = _typed_before(key, value)
    if typed is None:
        fresh.append((key, value, None))
        return value
    return typed


def _typed_items(name: str, items: Any, fresh: list) -> Any:
    """`items` with each mapping typed before as its instance (a copy; `items` itself
    when none was), the others noted in `fresh` with their index."""
    if type(items) is not list or not items:
        return items
    replaced = None
    for i, item in enumerate(items):
        if type(item) is not dict:
            continue
        key = (name, id(item))
        typed = _typed_before(key, item)
        if typed is None:
            fresh.append((key, item, i))
        else:
            replaced = replaced if replaced is not None else list(items)
            replaced[i] = typed
    return replaced if replaced is not None else items
