"""One clean flow: read and validate once (every problem at once, each at its key),
derive purely, and a batch row as typed data through the same validation."""

from __future__ import annotations

import ast
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import api, batch, validation
from drafter.cli import main
from drafter.errors import ERROR, WARNING, DrafterError
from drafter.inputs.rows import RowTemplate

REPO = Path(__file__).resolve().parent.parent

AGENCY = """\
co_quan:
  chu_quan: UBND TỈNH HÀ TĨNH
  ten: SỞ CÔNG THƯƠNG
  viet_tat: SCT
  dia_danh: Hà Tĩnh
"""

TABLE = """\
phu_luc:
  - tieu_de: Kinh phí
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [Kinh phí]
      dong:
        - {noi_dung: Xã A, so_lieu: 100}
        - {noi_dung: Xã B, so_lieu: 200}
"""

# The five independent mistakes: a misspelt key, an impossible date, can_cu in
# a công văn, ky with both kt and q, a body quoting phu_luc[2] that does not exist.
FIVE = AGENCY + """\
loai: cong-van
so: 12
ngay: 2024-02-30
trich_yeu: Về việc báo cáo kinh phí
kinh_gui: Ủy ban nhân dân các xã
can_cu:
  - Luật Ngân sách nhà nước
noi_dungg: sai tên khóa
noi_dung: |
  Tổng kinh phí là {{ phu_luc[2].tong.kinh_phi }} (chi tiết tại Phụ lục kèm theo).
""" + TABLE + """\
ky:
  kt: GIÁM ĐỐC
  q: GIÁM ĐỐC
  chuc_vu: PHÓ GIÁM ĐỐC
  ho_ten: Nguyễn Văn A
noi_nhan: [Như trên]
"""


def problems_of(write, text: str, name: str = "d.yaml") -> list:
    path = write(name, text)
    with pytest.raises(DrafterError) as e:
        api.prepare(path)
    return e.value.problems


def test_five_independent_mistakes_in_one_run(write):
    problems = problems_of(write, FIVE)
    assert [(p.severity, p.key, p.position.line) for p in problems] == [
        (ERROR, "ngay", 8),
        (ERROR, "can_cu", 11),
        (ERROR, "noi_dungg", 13),
        (ERROR, "noi_dung", 14),
        (ERROR, "ky.q", 26),
    ]
    assert all(p.position.file.endswith("d.yaml") and p.position.column for p in problems)
    assert "phu_luc[2]" in problems[3].message and "chỉ có 1 phụ lục" in problems[3].message


def test_five_mistakes_on_the_command_line(write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write("d.yaml", FIVE)
    r = CliRunner().invoke(main, ["render", "d.yaml"])
    assert r.exit_code == 1 and "Có 5 lỗi" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "d.docx").exists()
    assert "d.yaml:11:1: lỗi [can_cu]" in r.output  # at its key, not at 1:1


# One mistake of every kind loading, the model and the rules find. Each entry: the
# key, the line, the severity and a word of the message.
EVERY = """\
loai: cong-van
dung: [khong-co-mau-nay]
co_quan:
  chu_quan: UBND TỈNH HÀ TĨNH
  ten: [ỦY BAN NHÂN DÂN, HUYỆN CAN LỘC]
  viet_tat: UBND
  dia_danh: Can Lộc
so: mười hai
so_ky_hieu: 953UBND-CNXD
do_khan: Gấp
can_cu: [Luật Ngân sách nhà nước]
noi_dungg: tên khóa gõ sai
noi_dung: |
  Tổng kinh phí là {{ phu_luc[0].tong.kinh_phi }}, trong đó {{ phu_luc[5].tong.kinh_phi }}
  và {{ phu_luc[0].tong. }}; số của bảng lỗi {{ phu_luc[1].tong.kinh_phi }} không nói lại.
noi_nhan:
  - "Phòng Công H\\u00ad\\u00edng d\\u00c9n"
  - "H\\u00ad\\u00edng d\\u00c9n c\\u00abng t\\u00b8c"
luu: {VT: 1}
phu_luc:
  - tieu_de: Kinh phí
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [Kinh phí]
      dong:
        - {noi_dung: Xã A, so_lieu: 100}
        - {noi_dung: Xã B, so_lieu: 200}
      tong: 999
  - tieu_de: Bảng sai khóa
    bang:
      chi_tieu: [Kinh phí]
      dong:
        - {noi_dung: Xã A, so_lieuu: 1}
  - tieu_de: Bảng ở tệp không có
    bang: khong-co.csv
van_ban_kem_theo:
  - loai: ke-hoachh
    trich_yeu: Kế hoạch
  - loai: ke-hoach
    trich_yeu: Kế hoạch thực hiện
    ky: {tl: CHỦ TỊCH, tuq: CHỦ TỊCH, chuc_vu: ĐIỀU CHỨC, ho_ten: Trần Văn B}
ky:
  kt: CHỦ TỊCH
  q: CHỦ TỊCH
  chuc_vu: PHÓ CHỦ TỊCH
  ho_ten: TS. Nguyễn Văn A
"""

EVERY_KIND = [
    # model: a required key missing (at the mapping that lacks it)
    ("trich_yeu", 1, ERROR, "Thiếu khóa bắt buộc"),
    # rules: the Kính gửi a công văn needs (its key, at the type that needs it)
    ("kinh_gui", 1, ERROR, "Kính gửi"),
    # loading: a preset that cannot be found does not hide the rest
    ("dung[0]", 2, ERROR, "Không tìm thấy mẫu"),
    # model: a value that is not a number
    ("so", 8, ERROR, "số nguyên dương"),
    # rules: a số ký hiệu typed by hand without its slash
    ("so_ky_hieu", 9, ERROR, "thiếu dấu '/'"),
    # model: a value outside the allowed ones (the message lists them in Vietnamese)
    ("do_khan", 10, ERROR, "'Thượng khẩn' hoặc 'Hỏa tốc'"),
    # rules: a key the type does not have
    ("can_cu", 11, ERROR, "chỉ dùng cho quyết định"),
    # model: a misspelt key, with the near one suggested
    ("noi_dungg", 12, ERROR, "không có trong mẫu"),
    # rules: a figure quoted from an appendix that does not exist
    ("noi_dung", 13, ERROR, "chỉ có 3 phụ lục"),
    # rules: a figure reference written wrong
    ("noi_dung", 13, ERROR, "viết sai"),
    # loading: a line mixing Unicode with pasted TCVN3 that cannot be read safely
    ("noi_nhan[0]", 17, ERROR, "trộn chữ Unicode"),
    # model: a value of the wrong type (text or list, said once)
    ("luu", 19, ERROR, "cần một đoạn văn bản hoặc một danh sách"),
    # rules: a typed total that is not the sum of its rows
    ("phu_luc[0].bang.tong", 28, ERROR, "đúng là 300, bảng ghi 999"),
    # tables: a key an appendix table does not have
    ("phu_luc[1].bang.dong[0].so_lieuu", 33, ERROR, "không dùng trong bảng"),
    # loading: an appendix sheet that cannot be read (at the draft line naming it)
    ("phu_luc[2].bang", 35, ERROR, "Không tìm thấy tệp"),
    # model: an unknown document type (of an attached document)
    ("van_ban_kem_theo[0].loai", 37, ERROR, "không có trong danh mục"),
    # rules: what an attached document's type needs (its body), at its type
    ("van_ban_kem_theo[1].noi_dung", 39, ERROR, "Kế hoạch cần nội dung"),
    # rules: a forbidden signer combination, in an attached document
    ("van_ban_kem_theo[1].ky.tuq", 41, ERROR, "TL. (thừa lệnh) và TUQ."),
    # rules: KT. and Q. together
    ("ky.q", 44, ERROR, "KT. (ký thay) và Q. (quyền)"),
    # rules: an academic title before the signer's name
    ("ky.ho_ten", 46, ERROR, "học hàm"),
    # rules (warning): the text does not mention the appendices
    ("noi_dung", 13, WARNING, "chưa nhắc đến phụ lục"),
    # loading (warning): TCVN3 text converted
    ("noi_nhan[1]", 18, WARNING, "Hướng dẫn công tác"),
    # rules (warning): a title that looks like a typing slip
    ("van_ban_kem_theo[1].ky.chuc_vu", 41, WARNING, "ĐIỀU CHỨC"),
    # rules (warning): a district issuer after the 2025 reform
    ("co_quan.ten", 5, WARNING, "cấp huyện"),
]


def test_every_kind_of_mistake_in_one_run(write):
    problems = problems_of(write, EVERY)
    found = [(p.key, p.position.line, p.severity, p.message) for p in problems]
    for key, line, severity, words in EVERY_KIND:
        assert any(k == key and ln == line and s == severity and words in m for k, ln, s, m in found), (
            key, line, words, found)
    assert len(problems) == len(EVERY_KIND), found
    # The figure quoted from the table that failed is not reported again.
    assert not any("phu_luc[1]" in m for *_, m in found)
    # Errors first, each group in the order of the file.
    severities = [p.severity for p in problems]
    assert severities == sorted(severities, key=lambda s: s != ERROR)
    errors = [p for p in problems if p.severity == ERROR]
    assert [p.position.line for p in errors] == sorted(p.position.line for p in errors)


def test_warnings_at_their_own_keys(write, tmp_path):
    draft = AGENCY.replace("SỞ CÔNG THƯƠNG", "[ỦY BAN NHÂN DÂN, HUYỆN CAN LỘC]") + """\
loai: cong-van
ngay: 2025-08-01
trich_yeu: Về việc báo cáo kinh phí
kinh_gui: Ủy ban nhân dân các xã
noi_dung: Báo cáo kinh phí năm 2025.
""" + TABLE + """\
ky: {chuc_vu: ĐIỀU CHỨC, ho_ten: Nguyễn Văn A}
"""
    path = write("w.yaml", draft)
    out = tmp_path / "w.docx"
    result = api.render_file(path, out)
    assert out.is_file()
    assert [(w.key, w.position.line, w.severity) for w in result.warnings] == [
        ("co_quan.ten", 3, WARNING),
        ("noi_dung", 10, WARNING),
        ("ky.chuc_vu", 19, WARNING),
    ]


def test_check_returns_problems_and_never_raises(write):
    from drafter.inputs import yamlfile

    valid, problems = validation.check(yamlfile.load(write("f.yaml", FIVE)))
    assert valid is None and len(problems) == 5


# --- derive: pure and total ---------------------------------------------------------------


def test_derive_reads_no_file_and_raises_nothing():
    source = (REPO / "drafter" / "derive.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Raise)]
    calls = {n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
             for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not calls & {"open", "read_bytes", "read_text", "load_table", "read_table", "read_rows", "load"}


def test_derive_after_the_sheet_is_gone(write, tmp_path):
    sheet = tmp_path / "kp.csv"
    sheet.write_text("TT,Nội dung,Kinh phí\n1,Xã A,100\n2,Xã B,200\n", encoding="utf-8")
    path = write("s.yaml", AGENCY + """\
loai: cong-van
trich_yeu: Về việc báo cáo kinh phí
kinh_gui: Ủy ban nhân dân các xã
noi_dung: Tổng là {{ phu_luc[0].tong.kinh_phi }} (chi tiết tại Phụ lục).
phu_luc:
  - {tieu_de: Kinh phí, don_vi_tinh: triệu đồng, bang: kp.csv}
ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
""")
    loaded = api.load(path)
    sheet.unlink()  # loading read it; nothing after loading opens it again
    prepared = api.prepare_loaded(loaded)
    assert prepared.document.appendices[0].table.grand["kinh_phi"] == Decimal(300)


# --- batch: rows are typed data, the draft's problems apply, sheets read once --------------


BATCH = AGENCY + """\
loai: cong-van
trich_yeu: Về việc phân bổ kinh phí cho {{ hang.ten }}
kinh_gui: "{{ hang.ten }}"
noi_dung: Kinh phí của {{ hang.ten }} là {{ hang.kinh_phi }} triệu đồng (chi tiết tại Phụ lục).
phu_luc:
  - tieu_de: Kinh phí
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [Kinh phí]
      dong:
        - {noi_dung: "{{ hang.ten }}", so_lieu: "{{ hang.kinh_phi }}"}
ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""


def test_row_values_stay_typed():
    tpl = RowTemplate({"so": "{{ hang.so }}", "noi_dung": "Số {{ hang.kp }} đồng",
                       "bang": {"so_lieu": "{{ hang.kp }}"}}, ["so", "kp", "ngay"], {"so", "ngay", "noi_dung"})
    data = tpl.apply({"so": 12, "kp": Decimal("1250.5"), "ngay": dt.date(2026, 1, 15)})
    assert data["so"] == 12 and data["ngay"] == dt.date(2026, 1, 15)
    assert data["bang"]["so_lieu"] == Decimal("1250.5")  # a figure, not its text
    assert data["noi_dung"] == "Số 1.250,5 đồng"  # inside a sentence: as the sheet shows it


def test_typed_excel_row_gives_the_document_render_gives(tmp_path):
    import openpyxl

    (tmp_path / "d.yaml").write_text(BATCH, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ten", "so", "ngay", "kinh_phi"])
    ws.append(["Xã Cẩm Xuyên", 12, dt.date(2026, 1, 15), 1250.5])
    wb.save(tmp_path / "data.xlsx")
    result = batch.run(tmp_path / "d.yaml", tmp_path / "data.xlsx", tmp_path / "out", name="{ten}")
    assert result.ok == 1, [o.message for o in result.outcomes]
    same = BATCH.replace("{{ hang.ten }}", "Xã Cẩm Xuyên").replace('"{{ hang.kinh_phi }}"', "1250.5") \
        .replace("{{ hang.kinh_phi }}", "1.250,5") + "so: 12\nngay: 2026-01-15\n"
    (tmp_path / "same.yaml").write_text(same.replace("so_lieu: 1250.5", 'so_lieu: "1.250,5"'), encoding="utf-8")
    api.render_file(tmp_path / "same.yaml", tmp_path / "same.docx")

    def body(p):
        with zipfile.ZipFile(p) as z:
            return z.read("word/document.xml")

    assert body(tmp_path / "out" / "Xã Cẩm Xuyên.docx") == body(tmp_path / "same.docx")


def test_batch_refuses_what_render_refuses(tmp_path):
    draft = BATCH.replace("ho_ten: Nguyễn Văn A", 'ho_ten: "Phòng Công H\\u00ad\\u00edng d\\u00c9n"')
    (tmp_path / "d.yaml").write_text(draft, encoding="utf-8")
    (tmp_path / "data.csv").write_text("ten,kinh_phi\nXã A,5\nXã B,7\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["render", str(tmp_path / "d.yaml")])
    assert r.exit_code == 1 and "trộn chữ Unicode" in r.output
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "d.yaml"), str(tmp_path / "data.csv"),
                                  "-o", str(tmp_path / "out")])
    assert r.exit_code == 1 and "trộn chữ Unicode" in r.output and "Traceback" not in r.output
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True


def test_every_sheet_read_once_per_batch(tmp_path, monkeypatch):
    from drafter.inputs import table_sheets as readers

    (tmp_path / "kp.csv").write_text("TT,Nội dung,Kinh phí\n1,Xã A,100\n2,Xã B,200\n", encoding="utf-8")
    draft = BATCH.split("phu_luc:")[0] + """\
phu_luc:
  - {tieu_de: Kinh phí, don_vi_tinh: triệu đồng, bang: kp.csv}
ky: {chuc_vu: GIÁM ĐỐC, ho_ten: Nguyễn Văn A}
"""
    (tmp_path / "d.yaml").write_text(draft, encoding="utf-8")
    rows = "".join(f"Xã số {i},{i}\n" for i in range(40))
    (tmp_path / "data.csv").write_text("ten,kinh_phi\n" + rows, encoding="utf-8")
    calls = []
    real = readers.load_table
    monkeypatch.setattr(readers, "load_table", lambda *a, **k: calls.append(a) or real(*a, **k))
    result = batch.run(tmp_path / "d.yaml", tmp_path / "data.csv", tmp_path / "out")
    assert result.ok == 40 and len(calls) == 1


def test_the_drafts_own_warnings_are_shown_once_in_a_batch(tmp_path):
    draft = BATCH.replace("ho_ten: Nguyễn Văn A", 'ho_ten: "H\\u00ad\\u00edng d\\u00c9n"')
    (tmp_path / "d.yaml").write_text(draft, encoding="utf-8")
    (tmp_path / "data.csv").write_text("ten,kinh_phi\nXã A,5\nXã B,7\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "d.yaml"), str(tmp_path / "data.csv"),
                                  "-o", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert r.output.count("cảnh báo [ky.ho_ten]") == 1  # once, not once per row
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "d.yaml"), str(tmp_path / "data.csv"),
                                  "-o", str(tmp_path / "out2"), "--json"])
    import json

    assert [w["key"] for w in json.loads(r.stdout)["warnings"]] == ["ky.ho_ten"]
