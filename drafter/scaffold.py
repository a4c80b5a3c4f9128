"""The YAML text of a new draft: pre-filled, commented in Vietnamese for office staff.

Values are written as YAML double-quoted scalars (JSON strings are valid ones), so
any text typed at the prompt, with ':' or '#' or quotes, stays what it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .rules import doctypes

DEMO_PRESET = "demo"
# Texts written to be replaced hold "…"; those that cannot (a name) are listed here.
# A draft still holding one gets a warning at its key (rules/completeness, placeholders).
SIGNER_NAME = "Họ và tên người ký"
CHAIR_NAME = "Họ và tên người chủ trì"
SECRETARY_NAME = "Họ và tên thư ký"
PARTY_B_NAME = "Họ và tên người đại diện bên B"
PLACEHOLDERS: tuple[str, ...] = (SIGNER_NAME, CHAIR_NAME, SECRETARY_NAME, PARTY_B_NAME)

# Types whose scaffold has its own parts (Nghị định 30, Phụ lục III): giấy mời (Mẫu
# 1.7: time, place, participants), biên bản (Mẫu 1.9: the same, chair and secretary
# signing side by side), hợp đồng (two parties, two signatures), tờ trình (Kính gửi
# the superior). Other types share the plain scaffold.
MEETING = frozenset({"giay-moi", "bien-ban"})
MINUTES = frozenset({"bien-ban"})
CONTRACT = frozenset({"hop-dong"})
TO_SUPERIOR = frozenset({"to-trinh"})

# An issuer of commune level: its name has XÃ, PHƯỜNG or ĐẶC KHU (not "XÃ HỘI").
_COMMUNE = re.compile(r"(?<!\w)(XÃ|PHƯỜNG|ĐẶC KHU)(?!\w)(?! HỘI)")


def commune_word(preset: Mapping | None) -> str | None:
    """'xã', 'phường' or 'đặc khu' when the preset's issuer is a commune, else None.

    >>> commune_word({"co_quan": {"ten": ["ỦY BAN NHÂN DÂN", "XÃ TIÊN ĐIỀN"]}})
    'xã'
    >>> commune_word({"co_quan": {"ten": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"}}) is None
    True
    """
    co_quan = (preset or {}).get("co_quan")
    ten = co_quan.get("ten") if isinstance(co_quan, Mapping) else None
    lines = [ten] if isinstance(ten, str) else [x for x in ten or [] if isinstance(x, str)]
    m = _COMMUNE.search(" ".join(lines).upper())
    return m.group(1).lower() if m else None


_ABBREVIATED = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}
_UNIT_WORDS = ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ", "ĐẶC KHU", "TỈNH", "XÃ", "PHƯỜNG")


def running_name(caps: str) -> str:
    """An agency's name typed in capitals, as it reads in running text: abbreviations
    spelled out, unit words in lower case, the proper name in title case.

    >>> running_name("UBND TỈNH AN HÒA")
    'Ủy ban nhân dân tỉnh An Hòa'
    >>> running_name("BỘ CÔNG THƯƠNG")
    'Bộ Công Thương'
    """
    text = " ".join(caps.split())
    for short, full in _ABBREVIATED.items():
        text = re.sub(rf"(?<!\w){short}(?!\w)", full.upper(), text)
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for unit in _UNIT_WORDS:
            n = len(unit.split())
            if " ".join(words[i:i + n]).upper() == unit:
                out.append(unit.lower())
                i += n
                break
        else:
            out.append(words[i][:1].upper() + words[i][1:].lower())
            i += 1
    joined = " ".join(out)
    return joined[:1].upper() + joined[1:]


def default_kinh_gui(slug: str, preset: Mapping | None = None) -> list[str]:
    """What the scaffold pre-fills after Kính gửi: a tờ trình's superior (the preset's
    parent agency when it has one), else recipients of the issuer's own level (a
    commune never gets the province's departments).

    >>> default_kinh_gui("to-trinh", {"co_quan": {"chu_quan": "UBND TỈNH AN HÒA", "ten": "SỞ CÔNG THƯƠNG"}})
    ['Ủy ban nhân dân tỉnh An Hòa']
    >>> default_kinh_gui("cong-van", {"co_quan": {"ten": ["ỦY BAN NHÂN DÂN", "XÃ TIÊN ĐIỀN"]}})
    ['Các ban, ngành, đoàn thể xã', 'Trưởng các thôn, tổ dân phố']
    >>> default_kinh_gui("to-trinh", {"co_quan": {"ten": ["ỦY BAN NHÂN DÂN", "XÃ TIÊN ĐIỀN"]}})
    ['Ủy ban nhân dân tỉnh …']
    """
    commune = commune_word(preset)
    if slug in TO_SUPERIOR:
        co_quan = (preset or {}).get("co_quan")
        parent = co_quan.get("chu_quan") if isinstance(co_quan, Mapping) else None
        if isinstance(parent, str) and parent.strip():
            return [running_name(parent)]
        return ["Ủy ban nhân dân tỉnh …" if commune else "Tên cơ quan cấp trên …"]
    if commune:
        return [f"Các ban, ngành, đoàn thể {commune}", "Trưởng các thôn, tổ dân phố"]
    return ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"]


def _signer_name(preset: Mapping | None) -> str | None:
    ky = (preset or {}).get("ky")
    name = ky.get("ho_ten") if isinstance(ky, Mapping) else None
    return name if isinstance(name, str) and name.strip() and name != SIGNER_NAME else None


def q(text: str) -> str:
    import json  # here: `drafter check` loads this module, not json

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
    preset_data: Mapping | None = None,
    meeting: Mapping | None = None,
) -> str:
    """The draft's text; keys the preset does not give are written out to fill in.
    `preset_data` (the preset as merged) pre-fills what depends on the issuer;
    `meeting` holds answers typed at the prompt (thoi_gian, dia_diem, thanh_phan)."""
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
        recipients = kinh_gui or default_kinh_gui(t.slug, preset_data)
        lines.append("kinh_gui:" + _list(recipients))
        lines.append("")
    if t.slug in MEETING:
        lines += _meeting_lines(t, meeting or {})
    if t.slug in MINUTES:
        lines += _minutes_lines(preset_data)
    if t.slug in CONTRACT:
        lines += _contract_lines()
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
            *(f"  {line}" for line in _BODIES.get(t.slug, _BODY)),
            "",
        ]
    first = "Như Điều 3" if t.layout == "quyet-dinh" else ("Như trên" if t.kinh_gui else None)
    lines += [
        "# Nơi nhận: '...' là danh sách lấy từ mẫu dùng chung; thêm nơi nhận trước hoặc sau nó.",
        "# Dòng 'Lưu: VT, …' do drafter tự thêm từ khóa 'luu'.",
        "noi_nhan:" + _list([first] if first else []) + "\n  - \"...\"",
        "",
    ]
    if t.slug in MINUTES and "ky" in preset_keys:
        lines += [
            "# Biên bản do người chủ trì và thư ký ký (chu_tri, thu_ky ở trên): người ký của",
            "# mẫu dùng chung (khóa 'ky') không in ra; bỏ chu_tri thì người đó ký bên phải.",
            "",
        ]
    elif "ky" in preset_keys:
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


_BODY = ("Nội dung văn bản …", "1. Nhiệm vụ thứ nhất …", "2. Nhiệm vụ thứ hai …")
_BODIES = {
    "giay-moi": ("Nội dung khác (nếu có): tài liệu, việc cần chuẩn bị …",),
    "bien-ban": (
        "Nội dung (theo diễn biến cuộc họp): …",
        "1. Ý kiến phát biểu …",
        "2. Kết luận của người chủ trì …",
        "Cuộc họp kết thúc vào … giờ … cùng ngày.",
    ),
    "hop-dong": (
        "Hai bên thống nhất ký kết hợp đồng với các điều khoản sau:",
        "Điều 1. Nội dung công việc …",
        "Điều 2. Giá trị hợp đồng và phương thức thanh toán …",
        "Điều 3. Quyền và nghĩa vụ của các bên …",
        "Hợp đồng được lập thành … bản, mỗi bên giữ … bản có giá trị như nhau.",
    ),
}

# Written when nothing was typed at the prompt.
MEETING_DEFAULTS = {
    "thoi_gian": "… giờ … phút, ngày … tháng … năm …",
    "dia_diem": "Hội trường …",
    "thanh_phan": ["…"],
}


def _meeting_lines(t: doctypes.DocType, answers: Mapping) -> list[str]:
    thoi_gian = answers.get("thoi_gian") or MEETING_DEFAULTS["thoi_gian"]
    dia_diem = answers.get("dia_diem") or MEETING_DEFAULTS["dia_diem"]
    thanh_phan = answers.get("thanh_phan") or MEETING_DEFAULTS["thanh_phan"]
    where = "dưới Kính gửi" if t.kinh_gui else "dưới trích yếu"
    return [
        f"# Thời gian, địa điểm, thành phần: in {where}, mỗi khóa một dòng, trước phần nội dung.",
        f"thoi_gian: {q(thoi_gian)}",
        f"dia_diem: {q(dia_diem)}",
        "# Thành phần: một dòng, hoặc mỗi thành phần một dòng '- …'.",
        "thanh_phan:" + _list(list(thanh_phan)),
        "",
    ]


def _minutes_lines(preset: Mapping | None) -> list[str]:
    chair = _signer_name(preset) or CHAIR_NAME
    return [
        "# Người chủ trì (chủ tọa) và thư ký (người ghi biên bản): cùng ký ở cuối biên bản,",
        "# thư ký bên trái, người chủ trì bên phải; tên của họ in trong phần mở đầu.",
        "chu_tri:",
        "  chuc_vu: CHỦ TRÌ",
        f"  ho_ten: {q(chair)}",
        "thu_ky:",
        "  chuc_vu: THƯ KÝ",
        f"  ho_ten: {q(SECRETARY_NAME)}",
        "",
    ]


def _contract_lines() -> list[str]:
    return [
        "# Bên A: cơ quan mình. Tên, người đại diện và chức vụ bỏ trống thì lấy tên cơ quan",
        "# và người ký (khóa 'ky') từ mẫu dùng chung.",
        "ben_a:",
        f"  dia_chi: {q('Địa chỉ của bên A …')}",
        f"  dien_thoai: {q('…')}",
        "# Bên B: tên và người đại diện là bắt buộc; các dòng khác bỏ được.",
        "ben_b:",
        f"  ten: {q('Tên bên B …')}",
        f"  dia_chi: {q('Địa chỉ của bên B …')}",
        f"  dien_thoai: {q('…')}",
        f"  ma_so_thue: {q('…')}",
        f"  tai_khoan: {q('Số tài khoản …, tại Ngân hàng …')}",
        f"  dai_dien: {q(PARTY_B_NAME)}",
        "  chuc_vu: Giám đốc",
        "",
    ]


def _default_trich_yeu(t: doctypes.DocType) -> str:
    if t.layout == "cong-van":
        return "nội dung chính của công văn …"
    if t.slug in MEETING and t.slug not in MINUTES:
        return "Dự cuộc họp …"
    if t.slug in MINUTES:
        return "Cuộc họp …"
    return "Về việc …"
