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


class _Scaffold:
    """The draft's lines, and the values they hold as YAML reads them (`data`): each
    value is given once and written from it, so the texts `drafter new` leaves to be
    replaced are known without reading the text back (placeholders.py; a test reads
    every scaffold with the YAML loader and compares)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.data: dict = {}

    def note(self, *lines: str) -> None:
        """Comments and blank lines: no value."""
        self.lines.extend(lines)

    def put(self, path: str, value, line: str | None = None) -> None:
        """A value at `path` (dotted), written as ``key: "value"`` unless `line` gives
        the text (a bare or flow value, with its comment)."""
        *parents, key = path.split(".")
        where = self.data
        for name in parents:
            where = where.setdefault(name, {})
        where[key] = value
        if line is None:
            line = f"{'  ' * len(parents)}{key}:" + ("" if value is None else f" {q(value)}")
        self.lines.append(line)

    def mapping(self, key: str) -> None:
        """``key:`` opening a mapping (its values put under ``key.…``)."""
        self.data.setdefault(key, {})
        self.lines.append(f"{key}:")

    def items(self, key: str, values: list[str]) -> None:
        """``key:`` then one ``- "value"`` line each."""
        self.data[key] = list(values)
        self.lines.append(f"{key}:" + "".join(f"\n  - {q(v)}" for v in values))

    def block(self, key: str, lines: tuple[str, ...]) -> None:
        """``key: |`` then the lines (a literal block: the text ends with a newline)."""
        self.data[key] = "".join(f"{line}\n" for line in lines)
        self.lines += [f"{key}: |", *(f"  {line}" for line in lines)]


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
    return "\n".join(_scaffold(slug, preset=preset, trich_yeu=trich_yeu, kinh_gui=kinh_gui,
                               preset_keys=preset_keys, preset_data=preset_data, meeting=meeting).lines)


def draft_values(slug: str, *, preset_keys: frozenset[str] | set[str] = frozenset()) -> dict:
    """What :func:`draft_text` (same arguments) holds, as the YAML loader reads it.

    >>> draft_values("cong-van")["ky"]["ho_ten"] == SIGNER_NAME
    True
    >>> draft_values("cong-van")["noi_dung"].splitlines()[0]
    'Nội dung văn bản …'
    """
    return _scaffold(slug, preset=DEMO_PRESET, trich_yeu=None, kinh_gui=None, preset_keys=preset_keys,
                     preset_data=None, meeting=None).data


def _scaffold(slug: str, *, preset: str, trich_yeu: str | None, kinh_gui: list[str] | None,
              preset_keys: frozenset[str] | set[str], preset_data: Mapping | None,
              meeting: Mapping | None) -> _Scaffold:
    t = doctypes.get(slug)
    name = t.name.lower()
    out = _Scaffold()
    out.note(
        f"# Bản thảo {name} — sửa các dòng dưới đây rồi chạy: drafter render <tên tệp>.yaml",
        "# Mỗi dòng 'khóa: giá trị'. Thụt lề bằng dấu cách. Dòng bắt đầu bằng '#' là ghi chú.",
        "",
    )
    out.put("loai", t.slug, f"loai: {t.slug}  # loại văn bản (xem: drafter types)")
    out.put("dung", [preset], f"dung: [{preset}]  # các mẫu dùng chung: cơ quan, người ký, nơi nhận (xem: drafter presets)")
    out.note("", "# Số văn bản: để trống để văn thư điền tay khi phát hành.")
    out.put("so", None)
    if "co_quan" not in preset_keys:
        out.note("# Cơ quan ban hành (mẫu dùng chung chưa có): sửa cho đúng cơ quan của mình.")
        out.mapping("co_quan")
        out.put("co_quan.ten", ["ỦY BAN NHÂN DÂN", "XÃ …"], "  ten: [ỦY BAN NHÂN DÂN, XÃ …]   # tên cơ quan, mỗi dòng một mục")
        out.put("co_quan.viet_tat", "UBND", "  viet_tat: UBND                 # chữ viết tắt trong số ký hiệu")
        out.put("co_quan.dia_danh", "…", "  dia_danh: …                    # địa danh ở dòng ngày tháng")
        out.note("")
    if t.layout == "cong-van":
        out.put("don_vi_soan", "VP", 'don_vi_soan: "VP"  # ký hiệu đơn vị soạn thảo, đứng sau ký hiệu cơ quan: Số: …/UBND-VP')
    out.note("# Ngày ban hành (năm-tháng-ngày, ví dụ 2026-01-05); để trống thì chừa chỗ ghi ngày ký.")
    out.put("ngay", None)
    out.note("")
    if t.layout == "cong-van":
        out.note("# Trích yếu: nội dung chính của công văn (drafter tự thêm 'V/v').")
    else:
        out.note(f"# Trích yếu: dòng tóm tắt in đậm dưới chữ {t.caps_name}.")
    out.put("trich_yeu", trich_yeu or _default_trich_yeu(t))
    out.note("")
    if t.kinh_gui:
        out.note("# Kính gửi: một nơi thì ghi trên một dòng; nhiều nơi thì mỗi nơi một dòng '- …'.",
                 "# Không cần gõ dấu ';' hay '.' cuối dòng: drafter tự thêm.")
        out.items("kinh_gui", kinh_gui or default_kinh_gui(t.slug, preset_data))
        out.note("")
    if t.slug in MEETING:
        _meeting(out, t, meeting or {})
    if t.slug in MINUTES:
        _minutes(out, preset_data)
    if t.slug in CONTRACT:
        _contract(out)
    if t.layout == "quyet-dinh":
        out.note("# Căn cứ ban hành: mỗi căn cứ một dòng, gõ đầy đủ 'Căn cứ …'; dấu ';' và '.' cuối do drafter thêm.")
        out.items("can_cu", [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
        ])
        out.put("xet_de_nghi", "Theo đề nghị của Chánh Văn phòng")
        out.note("", "# Các điều: mỗi mục là một Điều; drafter tự đánh 'Điều 1.', 'Điều 2.'…")
        out.items("dieu", [
            "Ban hành kèm theo Quyết định này …",
            "Quyết định này có hiệu lực kể từ ngày ký.",
            "Chánh Văn phòng và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này.",
        ])
        out.note("")
    else:
        out.note("# Nội dung: mỗi dòng là một đoạn. Gõ số mục như '1.', 'a)', '-' như thường lệ;",
                 "# **chữ đậm**, *chữ nghiêng*. drafter tự thêm './.' ở cuối.")
        out.block("noi_dung", _BODIES.get(t.slug, _BODY))
        out.note("")
    first = "Như Điều 3" if t.layout == "quyet-dinh" else ("Như trên" if t.kinh_gui else None)
    out.note("# Nơi nhận: '...' là danh sách lấy từ mẫu dùng chung; thêm nơi nhận trước hoặc sau nó.",
             "# Dòng 'Lưu: VT, …' do drafter tự thêm từ khóa 'luu'.")
    out.items("noi_nhan", [first, "..."] if first else ["..."])
    out.note("")
    if t.slug in MINUTES and "ky" in preset_keys:
        out.note(
            "# Biên bản do người chủ trì và thư ký ký (chu_tri, thu_ky ở trên): người ký của",
            "# mẫu dùng chung (khóa 'ky') không in ra; bỏ chu_tri thì người đó ký bên phải.",
            "",
        )
    elif "ky" in preset_keys:
        out.note(
            "# Người ký lấy từ mẫu dùng chung; muốn đổi người ký cho văn bản này thì bỏ dấu '#':",
            "# ky:",
            "#   tm: ỦY BAN NHÂN DÂN",
            "#   kt: CHỦ TỊCH",
            "#   chuc_vu: PHÓ CHỦ TỊCH",
            "#   ho_ten: Nguyễn Văn A",
            "",
        )
    else:
        out.note("# Người ký (mẫu dùng chung chưa có): tm = thay mặt tập thể, kt = ký thay, chuc_vu, ho_ten.")
        out.mapping("ky")
        out.put("ky.tm", "ỦY BAN NHÂN DÂN", "  tm: ỦY BAN NHÂN DÂN")
        out.put("ky.chuc_vu", "CHỦ TỊCH", "  chuc_vu: CHỦ TỊCH")
        out.put("ky.ho_ten", SIGNER_NAME, f"  ho_ten: {SIGNER_NAME}")
        out.note("")
    return out


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


def _meeting(out: _Scaffold, t: doctypes.DocType, answers: Mapping) -> None:
    thoi_gian = answers.get("thoi_gian") or MEETING_DEFAULTS["thoi_gian"]
    dia_diem = answers.get("dia_diem") or MEETING_DEFAULTS["dia_diem"]
    thanh_phan = answers.get("thanh_phan") or MEETING_DEFAULTS["thanh_phan"]
    where = "dưới Kính gửi" if t.kinh_gui else "dưới trích yếu"
    out.note(f"# Thời gian, địa điểm, thành phần: in {where}, mỗi khóa một dòng, trước phần nội dung.")
    out.put("thoi_gian", thoi_gian)
    out.put("dia_diem", dia_diem)
    out.note("# Thành phần: một dòng, hoặc mỗi thành phần một dòng '- …'.")
    out.items("thanh_phan", list(thanh_phan))
    out.note("")


def _minutes(out: _Scaffold, preset: Mapping | None) -> None:
    out.note(
        "# Người chủ trì (chủ tọa) và thư ký (người ghi biên bản): cùng ký ở cuối biên bản,",
        "# thư ký bên trái, người chủ trì bên phải; tên của họ in trong phần mở đầu.",
    )
    out.mapping("chu_tri")
    out.put("chu_tri.chuc_vu", "CHỦ TRÌ", "  chuc_vu: CHỦ TRÌ")
    out.put("chu_tri.ho_ten", _signer_name(preset) or CHAIR_NAME)
    out.mapping("thu_ky")
    out.put("thu_ky.chuc_vu", "THƯ KÝ", "  chuc_vu: THƯ KÝ")
    out.put("thu_ky.ho_ten", SECRETARY_NAME)
    out.note("")


def _contract(out: _Scaffold) -> None:
    out.note(
        "# Bên A: cơ quan mình. Tên, người đại diện và chức vụ bỏ trống thì lấy tên cơ quan",
        "# và người ký (khóa 'ky') từ mẫu dùng chung.",
    )
    out.mapping("ben_a")
    out.put("ben_a.dia_chi", "Địa chỉ của bên A …")
    out.put("ben_a.dien_thoai", "…")
    out.note("# Bên B: tên và người đại diện là bắt buộc; các dòng khác bỏ được.")
    out.mapping("ben_b")
    out.put("ben_b.ten", "Tên bên B …")
    out.put("ben_b.dia_chi", "Địa chỉ của bên B …")
    out.put("ben_b.dien_thoai", "…")
    out.put("ben_b.ma_so_thue", "…")
    out.put("ben_b.tai_khoan", "Số tài khoản …, tại Ngân hàng …")
    out.put("ben_b.dai_dien", PARTY_B_NAME)
    out.put("ben_b.chuc_vu", "Giám đốc", "  chuc_vu: Giám đốc")
    out.note("")


def _default_trich_yeu(t: doctypes.DocType) -> str:
    if t.layout == "cong-van":
        return "nội dung chính của công văn …"
    if t.slug in MEETING and t.slug not in MINUTES:
        return "Dự cuộc họp …"
    if t.slug in MINUTES:
        return "Cuộc họp …"
    return "Về việc …"
