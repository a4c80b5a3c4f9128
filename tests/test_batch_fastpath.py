"""A batch row's shortcuts give what the plain path gives.

- rows.apply_made hands validation the texts it put into the row's copy of the draft
  (Loaded.made): a row's problems and document are those of the same row without it,
  and those `drafter render` makes of the row as a draft of its own;
- the output folder listed once when the batch starts (no look-up per row in a new
  folder): a document there before, or made there after the listing, is kept;
- a template value whose markup is a str subclass carrying its UTF-8 (a planned
  table's XML) is printed as it is, the same bytes as the text path.

Rows: ASCII and Vietnamese cells, a line break in a cell, a control character in a
cell, a row that fails and the next that succeeds.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from drafter import api, batch
from drafter.inputs import yamlfile

DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 7
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Ủy ban nhân dân tỉnh phân bổ kinh phí cho {{ hang.ten }} như Phụ lục kèm theo.
  Tổng kinh phí: {{ phu_luc[0].tong.kinh_phi }} triệu đồng ({{ phu_luc[0].tong.kinh_phi.chu }}).
  Ghi chú: {{ hang.ghi_chu }}
noi_nhan: [Như trên, Sở Tài chính]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
        - {noi_dung: Đào tạo nghề, dvt: Đề án, so_lieu: {kinh_phi: "{{ hang.a }}"}}
        - {noi_dung: Tập huấn, dvt: Đề án, so_lieu: {kinh_phi: "{{ hang.b }}"}}
      tong_cong: true
      bang_chu: kinh_phi
"""

ROWS = [
    {"ten": "Xa Cam Xuyen", "a": "120", "b": "7", "ghi_chu": "none"},  # ASCII only
    {"ten": "Phường Thành Sen", "a": "1.250", "b": "30", "ghi_chu": "đã duyệt"},
    {"ten": "Xã Kỳ Anh", "a": "mười", "b": "7", "ghi_chu": "không"},  # not a number: fails
    {"ten": "Xã Can Lộc", "a": "5", "b": "9", "ghi_chu": "dòng một\ndòng hai"},  # a line break in a cell
    {"ten": "Xã Thạch Hà", "a": "6", "b": "2", "ghi_chu": "x\ufffe y"},  # a non-character in a cell
    {"ten": "Xã Đức Thọ", "a": "15", "b": "8", "ghi_chu": "sau hàng lỗi"},
]


def _write(folder: Path) -> None:
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    with (folder / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(ROWS[0]))
        w.writeheader()
        w.writerows(ROWS)


def _outcomes(result) -> dict[int, tuple]:
    return {o.row: (o.status, o.file, o.message, o.key, o.digest, o.notes) for o in result.outcomes}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fastpath")
    _write(folder)
    fast = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "fast", name="{ten}")
    # The same batch with the rows' Loaded made without `made`: validation walks each copy.
    mp = pytest.MonkeyPatch()
    mp.setattr(batch, "Loaded", lambda file, data, origins, problems, made=None:
               yamlfile.Loaded(file, data, origins, problems))
    try:
        plain = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "plain", name="{ten}")
    finally:
        mp.undo()
    return folder, _outcomes(fast), _outcomes(plain)


def test_rows_with_made_are_the_rows_without_it(made):
    folder, fast, plain = made
    assert fast == plain
    statuses = [fast[n][0] for n in sorted(fast)]
    assert statuses[2] == batch.FAILED and statuses[3] == batch.OK and statuses[5] == batch.OK, statuses
    assert "«a»" in fast[4][2]  # the failing row's problem at its cell
    for number, (status, file, *_rest) in fast.items():
        if status == batch.OK:
            assert (folder / "fast" / file).read_bytes() == (folder / "plain" / file).read_bytes(), number


def test_each_made_row_is_what_render_makes_of_it(made):
    folder, fast, _ = made
    checked = 0
    for number, row in enumerate(ROWS, start=2):
        status, file, *_rest = fast[number]
        if status != batch.OK or "\ufffe" in row["ghi_chu"]:  # (a YAML file cannot hold it)
            continue
        text = DRAFT
        for k, v in row.items():
            text = text.replace("{{ hang.%s }}" % k, v.replace("\n", " ") if k != "ghi_chu" else v)
        if "\n" in row["ghi_chu"]:  # a cell's line break is a line of noi_dung's block
            text = text.replace("Ghi chú: " + row["ghi_chu"], "Ghi chú: " + row["ghi_chu"].replace("\n", "\n  "))
        single = folder / f"single-{number}.yaml"
        single.write_text(text, encoding="utf-8")
        prepared = api.prepare(single)
        assert (folder / "fast" / file).read_bytes() == api.render_bytes(prepared, folder), number
        checked += 1
    assert checked >= 4
    with zipfile.ZipFile(folder / "fast" / fast[5][1]) as z:  # the line break made a paragraph
        assert "dòng hai" in z.read("word/document.xml").decode()


def test_a_non_character_in_a_cell_is_said_as_without_made(made):
    _, fast, plain = made
    assert fast[6] == plain[6]
    assert fast[6][5], fast[6]  # said, at the row (an error or a warning)


def test_a_document_there_before_or_made_after_the_listing_is_kept(tmp_path, monkeypatch):
    _write(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "Xã Đức Thọ.docx").write_bytes(b"old")  # there when the batch starts
    real = batch._names_in

    def listed_then_made(folder):
        names = real(folder)
        (Path(folder) / "Xã Can Lộc.docx").write_bytes(b"made meanwhile")  # after the listing
        return names

    monkeypatch.setattr(batch, "_names_in", listed_then_made)
    result = batch.run(tmp_path / "draft.yaml", tmp_path / "data.csv", out, name="{ten}")
    by_file = {o.file: o.status for o in result.outcomes}
    assert by_file["Xã Đức Thọ.docx"] == batch.KEPT
    assert by_file["Xã Can Lộc.docx"] == batch.KEPT
    assert (out / "Xã Đức Thọ.docx").read_bytes() == b"old"
    assert (out / "Xã Can Lộc.docx").read_bytes() == b"made meanwhile"
    assert by_file["Phường Thành Sen.docx"] == batch.OK


def test_a_large_folder_is_asked_each_row(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "PRESENT_NAMES", 2)
    for i in range(3):
        (tmp_path / f"x{i}").write_bytes(b"")
    assert batch._names_in(tmp_path) is None
    assert batch._names_in(tmp_path / "missing") is None
    (tmp_path / "few").mkdir()
    (tmp_path / "few" / "a.docx").write_bytes(b"")
    assert batch._names_in(tmp_path / "few") == {"a.docx"}


def test_spool_appends_after_reads_in_order():
    spool = batch.Spool()
    for i in range(5):
        spool.append(("row", i))
    assert [x for _, x in spool.items_from(0, 2)] == [("row", 0), ("row", 1)]
    spool.append(("row", 5))
    assert list(spool) == [("row", i) for i in range(6)]
    spool.clear()
    spool.append("again")
    assert list(spool) == ["again"]
    spool.close()


def test_a_str_subclass_markup_is_printed_as_it_is(tmp_path):
    from drafter.render import engine
    from drafter.sandbox import _output_escape

    class Carried(str):
        pass

    class Made:
        def __init__(self, text):
            self.text = text

        def __html__(self):
            return self.text

    xml = Carried('<w:r><w:t xml:space="preserve">Đào tạo nghề</w:t></w:r>')
    assert _output_escape(Made(xml)) is xml
    env = engine.jinja_env()
    tpl = env.from_string("<w:p>{{ a }}{{ b }}</w:p>")
    values = {"a": Made(xml), "b": "x < y"}
    assert tpl.render(values) == '<w:p>' + xml + 'x &lt; y</w:p>'
    assert b"".join(c.encode() for c in tpl.render_chunks(values)) == tpl.render(values).encode()
