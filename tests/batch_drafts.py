"""Drafts the batch tests share (one công văn a row fills: its commune's name and figure)."""

ONE_ROW_CONG_VAN = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
don_vi_soan: KT
trich_yeu: phân bổ kinh phí năm 2026 cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Kinh phí phân bổ cho {{ hang.ten }} là {{ hang.kinh_phi }} triệu đồng.
noi_nhan: [Như trên]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
"""
