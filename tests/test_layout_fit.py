"""A place name or an agency's unit too long for its column is a warning naming the key
(rules/fit), from `drafter render` itself; real names of every length are not."""

from __future__ import annotations

import json

from click.testing import CliRunner

from drafter.cli import main


def _draft(tmp_path, co_quan: dict) -> str:
    data = {"loai": "cong-van", "co_quan": {"viet_tat": "UBND", **co_quan}, "trich_yeu": "thử nghiệm",
            "kinh_gui": "Các sở", "noi_dung": "Nội dung văn bản thử.", "luu": ["VT"],
            "ky": {"chuc_vu": "CHỦ TỊCH", "ho_ten": "Nguyễn Văn An"}}
    src = tmp_path / "d.yaml"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    r = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "d.docx")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "d.docx").exists()
    return r.output + (r.stderr if r.stderr_bytes is not None else "")


def test_too_long_place_and_unit_are_warned_by_key(tmp_path):
    out = _draft(tmp_path, {"ten": "Ủy ban nhân dân xã Sơn Kim Thượng Nguồn Phía Bắc Sông Ngàn Phố",
                            "dia_danh": "Thành phố Hồ Chí Minh thuộc vùng Đông Nam Bộ"})
    assert "d.yaml:" in out
    assert "cảnh báo [co_quan.dia_danh]" in out and "sẽ bị xuống dòng" in out
    assert "cảnh báo [co_quan.ten]" in out and "«XÃ SƠN KIM THƯỢNG NGUỒN PHÍA BẮC SÔNG NGÀN PHỐ»" in out
    assert "Traceback" not in out and "Lỗi nội bộ" not in out


def test_long_real_names_fit(tmp_path):
    out = _draft(tmp_path, {"ten": "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bà Rịa - Vũng Tàu",
                            "dia_danh": "Thành phố Hồ Chí Minh"})
    assert "co_quan.dia_danh" not in out and "co_quan.ten" not in out, out
