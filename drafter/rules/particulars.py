"""The particulars that open the body of a giấy mời, a biên bản and a hợp đồng.

Giấy mời (Nghị định 30, Phụ lục III, Mẫu 1.7): after the invitation, the time,
the place and who takes part, each on its own line led by its label. Biên bản
(Mẫu 1.9): time, place, participants, who chairs and who keeps the minutes, then
the proceedings. Hợp đồng: each party (Bên A, Bên B) with its address and its
representative, then the terms. Labels are bold, values as typed (no end mark
added); a list of participants is one line per item (`- …;`, the last `- ….`).

>>> [l.text for l in meeting(thoi_gian="08 giờ 00, ngày 05 tháng 01 năm 2026", dia_diem="Hội trường")]
['Thời gian: 08 giờ 00, ngày 05 tháng 01 năm 2026', 'Địa điểm: Hội trường']
>>> [l.text for l in meeting(thanh_phan=["Lãnh đạo các phòng;", "Trưởng các thôn"])]
['Thành phần:', '- Lãnh đạo các phòng;', '- Trưởng các thôn.']
>>> [l.text for l in meeting(thanh_phan="Lãnh đạo các phòng", chu_tri="Nguyễn Văn An", thu_ky="Lê Thị Bình")]
['Thành phần: Lãnh đạo các phòng', 'Chủ trì: Nguyễn Văn An', 'Thư ký: Lê Thị Bình']
>>> meeting()
[]
>>> [l.text for l in party("Bên A", ten="Ủy ban nhân dân xã Tiên Điền", dai_dien="Nguyễn Văn An",
...                         chuc_vu="Chủ tịch", dia_chi="Thôn 1, xã Tiên Điền")]
['Bên A: Ủy ban nhân dân xã Tiên Điền', 'Địa chỉ: Thôn 1, xã Tiên Điền', 'Đại diện: Ông (bà) Nguyễn Văn An, chức vụ: Chủ tịch']
>>> party("Bên B", ten="Công ty X", dai_dien="Trần C")[0].spans[0]
Span(text='Bên B: ', bold=True, italic=False)
>>> sign_block("Bên A", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), "Nguyễn Văn An")
Signature(authority=('ĐẠI DIỆN BÊN A', 'KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'), name='Nguyễn Văn An')
>>> minutes_block("thư ký", None, " Lê  Thị Bình ")
Signature(authority=('THƯ KÝ',), name='Lê Thị Bình')
>>> sentence_case("PHÓ GIÁM ĐỐC")
'Phó giám đốc'
"""

from __future__ import annotations

from dataclasses import dataclass

from . import recipients
from .inline import Span
from .signature import Signature


@dataclass(frozen=True)
class Line:
    """One paragraph of the particulars: its spans (the label bold)."""

    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def _one(value: str) -> str:
    return " ".join(value.split())


def _labelled(label: str, value: str, end: str = "") -> Line:
    return Line((Span(f"{label}: ", bold=True), Span(f"{recipients.bare(_one(value))}{end}")))


def _listed(label: str, value: str | list[str]) -> list[Line]:
    items = [value] if isinstance(value, str) else list(value)
    items = [b for b in (recipients.bare(_one(i)) for i in items) if b]
    if not items:
        return []
    if len(items) == 1:
        return [_labelled(label, items[0])]
    lines = [Line((Span(f"{label}:", bold=True),))]
    lines += [Line((Span(f"- {b}{'.' if i == len(items) - 1 else ';'}"),)) for i, b in enumerate(items)]
    return lines


def meeting(
    *,
    thoi_gian: str | None = None,
    dia_diem: str | None = None,
    thanh_phan: str | list[str] | None = None,
    chu_tri: str | None = None,
    thu_ky: str | None = None,
) -> list[Line]:
    """Time, place, participants (and, for minutes, chair and secretary), in the
    order of Mẫu 1.7 and 1.9; keys left empty are left out."""
    out: list[Line] = []
    if thoi_gian and thoi_gian.strip():
        out.append(_labelled("Thời gian", thoi_gian))
    if dia_diem and dia_diem.strip():
        out.append(_labelled("Địa điểm", dia_diem))
    if thanh_phan:
        out += _listed("Thành phần", thanh_phan)
    if chu_tri and chu_tri.strip():
        out.append(_labelled("Chủ trì", chu_tri))
    if thu_ky and thu_ky.strip():
        out.append(_labelled("Thư ký", thu_ky))
    return out


def party(
    label: str,
    *,
    ten: str,
    dai_dien: str,
    chuc_vu: str | None = None,
    dia_chi: str | None = None,
    dien_thoai: str | None = None,
    ma_so_thue: str | None = None,
    tai_khoan: str | None = None,
) -> list[Line]:
    """A party of a contract: `Bên A: name`, its details, then its representative."""
    out = [Line((Span(f"{label}: ", bold=True), Span(recipients.bare(_one(ten)))))]
    for word, value in (("Địa chỉ", dia_chi), ("Điện thoại", dien_thoai),
                        ("Mã số thuế", ma_so_thue), ("Tài khoản", tai_khoan)):
        if value and value.strip():
            out.append(_labelled(word, value))
    who = f"Ông (bà) {_one(dai_dien)}"
    if chuc_vu and chuc_vu.strip():
        who += f", chức vụ: {recipients.bare(_one(chuc_vu))}"
    out.append(Line((Span("Đại diện: ", bold=True), Span(who))))
    return out


def sign_block(label: str, authority: tuple[str, ...], name: str) -> Signature:
    """A party's signature: `ĐẠI DIỆN BÊN A`, then its signer's lines, then the name."""
    return Signature(authority=(f"ĐẠI DIỆN {_one(label).upper()}", *authority), name=_one(name))


def minutes_block(default_title: str, chuc_vu: str | None, name: str) -> Signature:
    """A signer of minutes: the title (`THƯ KÝ`, `CHỦ TRÌ` unless typed), the name."""
    title = _one(chuc_vu) if chuc_vu and chuc_vu.strip() else default_title
    return Signature(authority=(title.upper(),), name=_one(name))


def sentence_case(title: str) -> str:
    """A title typed in capitals, for running text: first letter capital only."""
    t = _one(title).lower()
    return t[:1].upper() + t[1:]
