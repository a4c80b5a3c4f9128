"""The YAML text of an imported draft (and of a preset), commented the way `drafter new`
writes drafts: a comment over each group of keys saying what drafter derives from it.

Strings are written as JSON strings (YAML reads them as written); bodies as `|` blocks.

>>> print(draft_text({"loai": "cong-van", "so": 5, "trich_yeu": "thử", "noi_dung": "a\\nb\\n"}, source="x.docx"), end="")
# Bản thảo công văn nhập từ x.docx (drafter import) — đọc lại, sửa nếu cần, rồi chạy: drafter render <tên tệp>.yaml
# Mỗi dòng 'khóa: giá trị'. Thụt lề bằng dấu cách. Dòng bắt đầu bằng '#' là ghi chú.
<BLANKLINE>
loai: cong-van  # loại văn bản (xem: drafter types)
<BLANKLINE>
so: 5
<BLANKLINE>
# Trích yếu: nội dung chính của công văn (drafter tự thêm 'V/v').
trich_yeu: "thử"
<BLANKLINE>
# Nội dung: mỗi dòng là một đoạn; số mục giữ như đã gõ; **chữ đậm**, *chữ nghiêng*. drafter tự thêm './.' ở cuối.
noi_dung: |
  a
  b
"""

from __future__ import annotations

import datetime as dt
import json

from drafter.rules import doctypes

PRESET_KEYS = ("co_quan", "ky", "noi_nhan", "luu")


def q(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def _block(key: str, text: str, indent: str) -> list[str]:
    lines = [f"{indent}{key}: |"] if key else []
    lines += [f"{indent}  {line}" for line in text.rstrip("\n").split("\n")]
    return lines


def _value(key: str, value, indent: str = "") -> list[str]:
    """One key and its value, at `indent`."""
    if isinstance(value, dict):
        out = [f"{indent}{key}:"]
        for k, v in value.items():
            out += _value(k, v, indent + "  ")
        return out
    if isinstance(value, list):
        if all(isinstance(v, str) and "\n" not in v for v in value):
            return [f"{indent}{key}:"] + [f"{indent}  - {q(v)}" for v in value]
        out = [f"{indent}{key}:"]
        for v in value:
            if isinstance(v, dict):
                first = True
                for k, vv in v.items():
                    sub = _value(k, vv, indent + "    ")
                    sub[0] = (indent + "  - " + sub[0].lstrip()) if first else sub[0]
                    out += sub
                    first = False
            elif "\n" in v:
                out.append(f"{indent}  - |")
                out += [f"{indent}    {line}" for line in v.rstrip("\n").split("\n")]
            else:
                out.append(f"{indent}  - {q(v)}")
        return out
    if isinstance(value, str) and "\n" in value:
        return _block(key, value, indent)
    return [f"{indent}{key}: {q(value)}"]


_COMMENTS = {
    "co_quan": "# Cơ quan ban hành: tên (mỗi dòng một mục), chữ viết tắt trong số ký hiệu, địa danh ở dòng ngày tháng.",
    "so": None,
    "so_ky_hieu": "# Số ký hiệu gõ đủ (văn bản gốc có đơn vị soạn sau ký hiệu cơ quan).",
    "ngay": "# Ngày ban hành (năm-tháng-ngày); bỏ dòng này thì chừa chỗ ghi ngày ký.",
    "nam": "# Năm ban hành (văn bản gốc để trống ngày, tháng).",
    "kinh_gui": "# Kính gửi: mỗi nơi một dòng '- …'; dấu ';' và '.' cuối dòng do drafter thêm.",
    "can_cu": "# Căn cứ ban hành: mỗi căn cứ một dòng; dấu ';' và '.' cuối do drafter thêm.",
    "dieu": "# Các điều: mỗi mục là một Điều; drafter tự đánh 'Điều 1.', 'Điều 2.'…",
    "noi_dung": "# Nội dung: mỗi dòng là một đoạn; số mục giữ như đã gõ; **chữ đậm**, *chữ nghiêng*. drafter tự thêm './.' ở cuối.",
    "noi_nhan": "# Nơi nhận: mỗi nơi một mục; dòng 'Lưu: VT, …' do drafter tự thêm từ khóa 'luu'.",
    "ky": "# Người ký: tm = thay mặt tập thể, kt = ký thay, tl = thừa lệnh, tuq = thừa ủy quyền, q = quyền; chuc_vu, ho_ten.",
    "van_ban_kem_theo": "# Văn bản ban hành kèm theo (sau dấu ngắt trang của tệp gốc).",
    "luu_hanh": "# Chỉ dẫn phạm vi lưu hành (ô 11): drafter in chữ hoa, đậm, dưới phần chữ ký.",
    "ban_hanh_kem_theo": "# Văn bản này ban hành kèm theo văn bản dưới đây (Mẫu 1.3, tệp riêng): không có số, ngày, "
                         "Nơi nhận riêng; drafter in dòng '(Ban hành kèm theo …)'.",
    "chi_phu_luc": "# Tệp chỉ có phụ lục: văn bản có các phụ lục này, như dòng '(Kèm theo …)' ghi; drafter không in "
                   "phần đầu, nội dung, chữ ký (loai là loại của văn bản đó).",
    "phu_luc": "# Phụ lục: mỗi bảng là một tệp CSV cạnh bản thảo; tổng cộng do drafter tính lại.",
}

_ORDER = ("loai", "dung", "co_quan", "so", "don_vi_soan", "so_ky_hieu", "ngay", "nam", "do_khan", "do_mat",
          "luu_hanh", "trich_yeu", "ban_hanh_kem_theo", "chi_phu_luc", "kinh_gui", "tham_quyen", "can_cu", "xet_de_nghi", "noi_dung", "dieu",
          "noi_nhan", "luu", "ky", "van_ban_kem_theo", "phu_luc")


def draft_text(data: dict, *, source: str) -> str:
    t = doctypes.get(data["loai"])
    lines = [
        f"# Bản thảo {'các phụ lục của ' if data.get('chi_phu_luc') else ''}{t.name.lower()} nhập từ {source} "
        "(drafter import) — đọc lại, sửa nếu cần, "
        "rồi chạy: drafter render <tên tệp>.yaml",
        "# Mỗi dòng 'khóa: giá trị'. Thụt lề bằng dấu cách. Dòng bắt đầu bằng '#' là ghi chú.",
        "",
    ]
    keys = [k for k in _ORDER if k in data] + [k for k in data if k not in _ORDER]
    for key in keys:
        value = data[key]
        if key == "loai":
            lines += [f"loai: {value}  # loại văn bản (xem: drafter types)", ""]
            continue
        if key == "dung":
            lines += [f"dung: [{', '.join(value)}]  # các mẫu dùng chung (xem: drafter presets)", ""]
            continue
        if key == "trich_yeu":
            if t.layout == "cong-van":
                lines.append("# Trích yếu: nội dung chính của công văn (drafter tự thêm 'V/v').")
            else:
                lines.append(f"# Trích yếu: dòng tóm tắt in đậm dưới chữ {t.caps_name}.")
        elif _COMMENTS.get(key):
            lines.append(_COMMENTS[key])
        lines += _value(key, value)
        lines.append("")
    return "\n".join(lines)


def preset_text(data: dict, *, source: str, name: str) -> str:
    lines = [
        f"# Mẫu dùng chung «{name}» lấy từ {source} (drafter import --preset-out):",
        "# cơ quan, người ký và nơi nhận. Bản thảo dùng nó bằng dòng: dung: [" + name + "]",
        "",
    ]
    for key in PRESET_KEYS:
        if key in data:
            if _COMMENTS.get(key):
                lines.append(_COMMENTS[key])
            lines += _value(key, data[key])
            lines.append("")
    return "\n".join(lines)
