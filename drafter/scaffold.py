"""The YAML text of a new draft: pre-filled, commented in Vietnamese for office staff.

Values are written as YAML double-quoted scalars (JSON strings are valid ones), so
any text typed at the prompt, with ':' or '#' or quotes, stays what it was.
"""

from __future__ import annotations

import json

from .rules import doctypes

DEMO_PRESET = "demo"
# Texts written to be replaced hold "…"; those that cannot (a name) are listed here.
# A draft still holding one gets a warning at its key (rules/completeness, placeholders).
SIGNER_NAME = "Họ và tên người ký"
PLACEHOLDERS: tuple[str, ...] = (SIGNER_NAME,)


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _list(items: list[str], indent: str = "  ") -> str:
    return "".join(f"\n{indent}- {q(i)}" for i in items)


def draft_text(
    slug: str,
    *,
    preset: str = DEMO_PRESET,
    trich_yeu: str | None = None,
    kinh_gui: list[str] | None = None,
    preset_keys: frozenset[str] | set[str] = frozenset({"co_quan", "ky", "noi_nhan", "luu"}),
) -> str:
    """The draft's text; keys the preset does not give are written out to fill in."""
    t = doctypes.get(slug)
    name = t.name.lower()
    lines = [
        f"# Bản thảo {name} — sửa các dòng dưới đây rồi chạy: drafter render <tên tệp>.yaml",
        "# Mỗi dòng 'khóa: giá trị'. Thụt lề bằng dấu cách. Dòng bắt đầu bằng '#' là ghi chú.",
        "",
        f"loai: {t.slug}  # loại văn bản (xem: drafter types)",
        f"dung: [{preset}]  # các mẫu dùng chung: cơ quan, người ký, nơi nhận (xem: drafter presets)",
        "",
        "# Số văn bản: để trống để văn thư điền tay khi phát hành.",
        "so:",
    ]
    if "co_quan" not in preset_keys:
        lines += [
            "# Cơ quan ban hành (mẫu dùng chung chưa có): sửa cho đúng cơ quan của mình.",
            "co_quan:",
            "  ten: [ỦY BAN NHÂN DÂN, XÃ …]   # tên cơ quan, mỗi dòng một mục",
            "  viet_tat: UBND                 # chữ viết tắt trong số ký hiệu",
            "  dia_danh: …                    # địa danh ở dòng ngày tháng",
            "",
        ]
    if t.layout == "cong-van":
        lines.append('don_vi_soan: "VP"  # ký hiệu đơn vị soạn thảo, đứng sau ký hiệu cơ quan: Số: …/UBND-VP')
    lines += [
        "# Ngày ban hành (năm-tháng-ngày, ví dụ 2026-01-05); để trống thì chừa chỗ ghi ngày ký.",
        "ngay:",
        "",
    ]
    if t.layout == "cong-van":
        lines.append("# Trích yếu: nội dung chính của công văn (drafter tự thêm 'V/v').")
    else:
        lines.append(f"# Trích yếu: dòng tóm tắt in đậm dưới chữ {t.caps_name}.")
    lines.append(f"trich_yeu: {q(trich_yeu or _default_trich_yeu(t))}")
    lines.append("")
    if t.kinh_gui:
        lines.append("# Kính gửi: một nơi thì ghi trên một dòng; nhiều nơi thì mỗi nơi một dòng '- …'.")
        lines.append("# Không cần gõ dấu ';' hay '.' cuối dòng: drafter tự thêm.")
        recipients = kinh_gui or ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"]
        lines.append("kinh_gui:" + _list(recipients))
        lines.append("")
    if t.layout == "quyet-dinh":
        lines += [
            "# Căn cứ ban hành: mỗi căn cứ một dòng, gõ đầy đủ 'Căn cứ …'; dấu ';' và '.' cuối do drafter thêm.",
            "can_cu:" + _list([
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
                "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
            ]),
            "xet_de_nghi: \"Theo đề nghị của Chánh Văn phòng\"",
            "",
            "# Các điều: mỗi mục là một Điều; drafter tự đánh 'Điều 1.', 'Điều 2.'…",
            "dieu:" + _list([
                "Ban hành kèm theo Quyết định này …",
                "Quyết định này có hiệu lực kể từ ngày ký.",
                "Chánh Văn phòng và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này.",
            ]),
            "",
        ]
    else:
        lines += [
            "# Nội dung: mỗi dòng là một đoạn. Gõ số mục như '1.', 'a)', '-' như thường lệ;",
            "# **chữ đậm**, *chữ nghiêng*. drafter tự thêm './.' ở cuối.",
            "noi_dung: |",
            "  Nội dung văn bản …",
            "  1. Nhiệm vụ thứ nhất …",
            "  2. Nhiệm vụ thứ hai …",
            "",
        ]
    first = "Như Điều 3" if t.layout == "quyet-dinh" else ("Như trên" if t.kinh_gui else None)
    lines += [
        "# Nơi nhận: '...' là danh sách lấy từ mẫu dùng chung; thêm nơi nhận trước hoặc sau nó.",
        "# Dòng 'Lưu: VT, …' do drafter tự thêm từ khóa 'luu'.",
        "noi_nhan:" + _list([first] if first else []) + "\n  - \"...\"",
        "",
    ]
    if "ky" in preset_keys:
        lines += [
            "# Người ký lấy từ mẫu dùng chung; muốn đổi người ký cho văn bản này thì bỏ dấu '#':",
            "# ky:",
            "#   tm: ỦY BAN NHÂN DÂN",
            "#   kt: CHỦ TỊCH",
            "#   chuc_vu: PHÓ CHỦ TỊCH",
            "#   ho_ten: Nguyễn Văn A",
            "",
        ]
    else:
        lines += [
            "# Người ký (mẫu dùng chung chưa có): tm = thay mặt tập thể, kt = ký thay, chuc_vu, ho_ten.",
            "ky:",
            "  tm: ỦY BAN NHÂN DÂN",
            "  chuc_vu: CHỦ TỊCH",
            f"  ho_ten: {SIGNER_NAME}",
            "",
        ]
    return "\n".join(lines)


def _default_trich_yeu(t: doctypes.DocType) -> str:
    if t.layout == "cong-van":
        return "nội dung chính của công văn …"
    return "Về việc …"
