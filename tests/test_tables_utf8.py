"""A planned table's XML with its UTF-8 made from fragments encoded once
(render/table_xml.EncodedXml, issue 19): for row after row of changing figures
(blank, zero, wide, with decimals, negative) and labels, the table's text is the one
the whole way makes (parser, computer, grid, every cell's XML), and its bytes are that
text's UTF-8; a document rendered with the engine taking those bytes is byte for byte
the one made the text's way."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from drafter import api, sandbox
from drafter.render import context, engine, table_xml
from drafter.render.table_xml import EncodedXml, table_markup
from drafter.tables import grid as table_grid
from drafter.tables import plan
from drafter.tables.compute import compute
from drafter.tables.model import parse_table

LABELS = ["Đào tạo nghề", "Tập huấn khởi sự doanh nghiệp", "Hỗ trợ máy móc thiết bị", "Mô hình trình diễn",
          "Sản xuất sạch hơn", "Hội chợ triển lãm"]


def _table(figures: list, labels: list[str], *, words: bool = True) -> dict:
    return {
        "chi_tieu": [{"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}],
        "dong": [{"noi_dung": t, "dvt": "Đề án", "so_lieu": {"kinh_phi": v}} for t, v in zip(labels, figures)],
        "tong_cong": True,
        **({"bang_chu": "kinh_phi"} if words else {}),
    }


def _figure(rng: random.Random):
    kind = rng.random()
    if kind < 0.1:
        return None  # a blank cell
    if kind < 0.15:
        return "0"  # printed blank too
    if kind < 0.25:
        return f"{rng.randint(1, 99)},{rng.randint(1, 9)}"  # a decimal: "12,5"
    if kind < 0.35:
        return str(rng.randint(10_000, 9_999_999))  # wide: the column's widths change
    return str(rng.randint(1, 400))


def _whole_markup(data: dict) -> str:
    """The table's XML the whole way: no plan, no fragments, every cell made."""
    grid = table_grid._build_grid(compute(parse_table(data), unit="triệu đồng"), table_grid.TABLE_FONT_PT)
    return table_xml._rows(grid, tuple(grid.column_widths()))


def test_planned_tables_text_and_bytes_are_the_whole_ways():
    plan.clear()
    rng = random.Random(19)
    encoded = 0
    for n in range(400):
        labels = LABELS if n % 50 else [*LABELS[:-1], f"Nội dung {n}"]  # now and then another label
        data = _table([_figure(rng) for _ in labels], labels)
        got = table_markup(table_grid.build_grid(plan.computed(data, unit="triệu đồng"))).xml
        want = table_xml._opening("DrTable", tuple(
            table_grid._build_grid(compute(parse_table(data), unit="triệu đồng"),
                                   table_grid.TABLE_FONT_PT).column_widths())) + _whole_markup(data) + "</w:tbl>"
        assert str.__str__(got) == want
        assert got.encode() == want.encode("utf-8")
        encoded += type(got) is EncodedXml
    assert encoded > 300  # the planned rows took the fragments' way, not only the whole way


def test_encoded_xml_is_its_text():
    x = EncodedXml("<w:t>Đề án</w:t>")
    x.utf8 = "<w:t>Đề án</w:t>".encode()
    assert x == "<w:t>Đề án</w:t>" and x.encode() == x.encode("utf-8") == str.encode(x)
    assert x.encode("utf-16") == "<w:t>Đề án</w:t>".encode("utf-16")  # another codec: the text's
    assert type(x + "a") is str and type(x[1:]) is str  # anything made of it is plain text
    assert EncodedXml("abc").encode() == b"abc"  # no bytes of its own: the text's


DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí cho {ten}
kinh_gui: Ủy ban nhân dân {ten}
noi_dung: |
  Tổng kinh phí: {{{{ phu_luc[0].tong.kinh_phi }}}} triệu đồng.
noi_nhan: [Như trên]
luu: [VT]
ky: {{tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{{ma: kinh_phi, ten: Kinh phí, cong: true}}]
      dong:
        - {{noi_dung: Đào tạo nghề, dvt: Đề án, so_lieu: {{kinh_phi: "{a}"}}}}
        - {{noi_dung: Hội chợ triển lãm, dvt: Đề án, so_lieu: {{kinh_phi: "{b}"}}}}
      tong_cong: true
"""


def _isinstance_escape(s, /):
    """sandbox._output_escape taking a str subclass from __html__ as it is (the engine
    then encodes the chunk with the chunk's own encode())."""
    if type(s) is str:
        return sandbox._escape_inner(s)
    html = getattr(s, "__html__", None)
    if html is not None:
        out = html()
        if isinstance(out, str):
            return out
    return sandbox.escape(s)


@pytest.mark.parametrize("bytes_way", [False, True])
def test_documents_with_the_tables_bytes_are_the_texts(tmp_path: Path, monkeypatch, bytes_way: bool):
    if bytes_way:
        monkeypatch.setattr(sandbox, "_output_escape", _isinstance_escape)
    engine._compiled.cache_clear()  # the template compiled with this escape
    plan.clear()
    rows = [("Xã Cẩm Xuyên", "120", "7"), ("Xã Cẩm Hưng", "121", "8"), ("Phường Thành Sen", "9.500", ""),
            ("Xã Kỳ Anh", "0", "3,5"), ("Xã Cẩm Xuyên", "120", "7")]
    tables = 0
    try:
        for i, (ten, a, b) in enumerate(rows * 2):  # each twice: the second time planned
            draft = tmp_path / f"d{i}.yaml"
            draft.write_text(DRAFT.format(ten=ten, a=a, b=b), encoding="utf-8")
            prepared = api.prepare(draft)
            compiled = engine.compiled(api.find_template(prepared.document.doc_type.layout, tmp_path))
            ctx = context.build(prepared.document, compiled.sections)
            chunks = compiled._chunks(ctx)
            tables += any(type(c) is EncodedXml for c in chunks)
            data, _ = compiled._render_bytes(ctx, ctx.get("final_sect_pr"))
            assert data == compiled._render(ctx, ctx.get("final_sect_pr"))[0].encode("utf-8")
            with zipfile.ZipFile(io.BytesIO(api.render_bytes(prepared, tmp_path))) as z:
                assert z.read("word/document.xml") == data
    finally:
        engine._compiled.cache_clear()
    if bytes_way:  # the planned rows' tables reached the engine as EncodedXml
        assert tables > 0
