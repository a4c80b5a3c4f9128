"""Urgency and secrecy marks (ô 10a, 10b) and the circulation notes (ô 11), as data.

Nghị định 30/2020, Phụ lục I, mục II.9 (docs/the-thuc.md#do-khan-do-mat): độ khẩn is one
of KHẨN, THƯỢNG KHẨN, HỎA TỐC; độ mật one of MẬT, TỐI MẬT, TUYỆT MẬT; in capitals,
bold, in the left column under the số (secrecy) and under the V/v line or the secrecy
mark (urgency). The chỉ dẫn phạm vi lưu hành (ô 11: «XEM XONG TRẢ LẠI», «LƯU HÀNH NỘI
BỘ») is in capitals, upright, bold. drafter's draft keys `do_khan`, `do_mat` take the
same values (drafter/model.py), printed in capitals; `luu_hanh` takes a circulation
note, printed by :func:`scope_line` after the signature block, at the left *(practice:
where offices put it)*, 13 pt (geometry.SCOPE).

>>> classify("HỎA TỐC"), classify("Hỏa tốc"), classify("HOẢ TỐC"), classify("Căn cứ")
(('urgency', 'HỎA TỐC', 'exact'), ('urgency', 'HỎA TỐC', 'case'), ('urgency', 'HỎA TỐC', 'near'), None)
>>> classify("TỐI MẬT"), classify("LƯU HÀNH NỘI BỘ")
(('secrecy', 'TỐI MẬT', 'exact'), ('circulation', 'LƯU HÀNH NỘI BỘ', 'exact'))
>>> scope_line("Lưu hành  nội bộ"), scope_line(None)
('LƯU HÀNH NỘI BỘ', None)
"""

from __future__ import annotations

import unicodedata

URGENCY = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
SECRECY = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
CIRCULATION = ("XEM XONG TRẢ LẠI", "LƯU HÀNH NỘI BỘ", "KHÔNG PHỔ BIẾN", "TÀI LIỆU HỘI NGHỊ")

KINDS = {"urgency": URGENCY, "secrecy": SECRECY, "circulation": CIRCULATION}
NAMES = {"urgency": "độ khẩn", "secrecy": "độ mật", "circulation": "chỉ dẫn phạm vi lưu hành"}

# Forms seen in documents for an allowed value (old tone placement, additions).
_NEAR = {
    "HOẢ TỐC": "HỎA TỐC", "KHẨN CẤP": "KHẨN", "RẤT KHẨN": "THƯỢNG KHẨN", "THƯỢNG KHẨN CẤP": "THƯỢNG KHẨN",
    "TỐI KHẨN": "THƯỢNG KHẨN", "MẬT KHẨN": "MẬT", "TUYỆT MẬT.": "TUYỆT MẬT", "LƯU HÀNH NỘI BỘ.": "LƯU HÀNH NỘI BỘ",
}


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").replace("\u00a0", " ").split())


def classify(text: str) -> tuple[str, str, str] | None:
    """(kind, the right value, how it was written: "exact", "case" or "near"), or None
    when the line is no mark."""
    t = _norm(text)
    up = t.upper()
    for kind, values in KINDS.items():
        if t in values:
            return kind, t, "exact"
        if up in values:
            return kind, up, "case"
    right = _NEAR.get(up)
    if right is not None:
        kind = next(k for k, v in KINDS.items() if right in v)
        return kind, right, "near"
    return None


def scope_line(value: str | None) -> str | None:
    """The circulation note as printed (ô 11): capitals, one space between words."""
    return " ".join(_norm(value).upper().split()) or None if value else None


__all__ = ["URGENCY", "SECRECY", "CIRCULATION", "KINDS", "NAMES", "classify", "scope_line"]
