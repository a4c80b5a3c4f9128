"""What a batch computes once for all its rows gives what computing it per row gives.

The batch's per-document savings are caches of pure functions (the rules' problems
for the same arguments, the header and signature markup, table rows, text widths)
and two shortcuts (a plain figure reference read without a template render, a
table's row figures made when first quoted). Each is checked here against the
general path, on real drafts and a real batch whose rows differ where the cached
values would show it.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from drafter import api, batch, figures
from drafter.render import table_xml

DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Tổng kinh phí: {{ phu_luc[0].tong.kinh_phi }} triệu đồng ({{ phu_luc[0].tong.kinh_phi.chu }}); dòng 2: {{ phu_luc[0].dong["2"].kinh_phi }}.
noi_nhan: [Như trên]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      nhom: [Năm 2025, Năm 2026]
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
        - {noi_dung: Đào tạo nghề, so_lieu: {Năm 2025: {kinh_phi: 3}, Năm 2026: {kinh_phi: "{{ hang.a }}"}}}
        - {noi_dung: Tập huấn, so_lieu: {Năm 2025: {kinh_phi: 4}, Năm 2026: {kinh_phi: "{{ hang.b }}"}}}
      tong_cong: true
      bang_chu: kinh_phi
"""

ROWS = [
    {"ten": "Xã Cẩm Xuyên", "a": "120", "b": "7", "ky.ho_ten": ""},
    {"ten": "Phường Thành Sen", "a": "1.250", "b": "30", "ky.ho_ten": "nguyễn văn an"},  # a signer in lower case
    {"ten": "Xã Kỳ Anh", "a": "120", "b": "7", "ky.ho_ten": ""},
    {"ten": "Xã Thạch Hà", "a": "mười", "b": "7", "ky.ho_ten": ""},  # not a number
    {"ten": "Xã Can Lộc", "a": "5", "b": "9", "ky.ho_ten": "Trần Thị Bình"},
]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    with (folder / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(ROWS[0]))
        w.writeheader()
        w.writerows(ROWS)
    result = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "out", name="{ten}")
    _draft_for(folder, ROWS[0], "single-2")
    return folder, {o.row: o for o in result.outcomes}


def _draft_for(folder: Path, row: dict, name: str) -> Path:
    """The draft a row stands for, written as a draft of its own."""
    text = DRAFT.replace("{{ hang.ten }}", row["ten"]).replace("{{ hang.a }}", row["a"]).replace(
        "{{ hang.b }}", row["b"])
    if row["ky.ho_ten"]:
        text = text.replace("ho_ten: Dương Tất Thắng", f"ho_ten: {row['ky.ho_ten']}")
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _single(folder: Path, row: dict, name: str) -> bytes:
    """The same row as a draft of its own, rendered by `drafter render`'s path with
    every batch cache emptied first."""
    from drafter import validation
    from drafter.render import context

    validation._RULE_MEMO.clear()
    context._header.cache_clear()
    context._signing.cache_clear()
    table_xml._free_row_xml.cache_clear()
    prepared = api.prepare(_draft_for(folder, row, name))
    return api.render_bytes(prepared, folder), prepared.warnings


def test_each_row_is_what_render_makes_of_it(made):
    folder, by_row = made
    for number, row in enumerate(ROWS, start=2):
        if by_row[number].status != "ok":
            continue
        alone, _ = _single(folder, row, f"single-{number}")
        made_doc = (folder / "out" / by_row[number].file).read_bytes()
        with zipfile.ZipFile(folder / "out" / by_row[number].file) as z:
            assert "Năm 2026" in z.read("word/document.xml").decode()
        assert made_doc == alone, number


def test_shared_checks_still_see_each_rows_values(made):
    _, by_row = made
    # Only the row whose signer is in lower case is warned about it: the memo of the
    # signer's rules is keyed by the name, not kept from the first row.
    warned = [n for n, o in by_row.items() if any("viết thường" in note[2] for note in o.notes)]
    assert warned == [3]
    assert ["warning", "cột «ky.ho_ten» (ô D3)"] == by_row[3].notes[-1][:2]
    # A figure that is not a number fails at its cell, with the same words as ever.
    bad = by_row[5]
    assert bad.status == "loi" and "cột «a» (ô B5)" in bad.message and "mười" in bad.message
    assert [by_row[n].status for n in (2, 3, 4, 6)] == ["ok", "ok", "ok", "ok"]


def test_plain_references_read_as_the_sandbox_reads_them(made):
    folder, _ = made
    prepared = api.prepare(folder / "single-2.yaml")
    figs = [a.table.figures for a in prepared.document.appendices]
    for source in ("{{ phu_luc[0].tong.kinh_phi }}", "{{ phu_luc[0].tong.kinh_phi.chu }}",
                   "{{phu_luc[0] . tong.kinh_phi.voi_dvt}}", "{{ phu_luc[0].bang_chu }}",
                   "{{ phu_luc[0].don_vi_tinh }}", "{{ phu_luc[0].nhom.nam_2026.kinh_phi }}",
                   "{{ phu_luc[0].tong.nhom.nam_2025.kinh_phi }}"):
        fast = figures._attributes(source, figs)
        assert fast is not None, source
        assert fast == figures._compile(source).render(phu_luc=figs), source
    # Anything else is left to the sandbox, which says what is wrong in Vietnamese.
    for source in ("{{ phu_luc[0].tong.khong_co }}", "{{ phu_luc[0].tong.kinh_phi.so }}",
                   "{{ phu_luc[0].dong['2'].kinh_phi }}", "{{ phu_luc[0]._table }}", "{{ phu_luc[1].tong }}"):
        assert figures._attributes(source, figs) is None, source
    text, problems = figures.resolve("{{ phu_luc[0].tong.khong_co }}", figs)
    assert problems and "khong_co" in problems[0].message and "Bảng không có" in problems[0].message


def test_a_table_row_under_a_rowspan_is_not_taken_from_the_cache(made):
    folder, _ = made
    prepared = api.prepare(folder / "single-2.yaml")
    grid = prepared.document.appendices[0].grid
    first = table_xml.table_markup(grid).xml
    again = table_xml.table_markup(grid).xml  # every free row from the cache now
    assert first == again
    # The groups' header: TT, Nội dung span two rows, so the second header row starts
    # with their continuation cells.
    second_row = first.split("<w:tr>")[2]
    assert second_row.count("<w:vMerge/>") == 2
