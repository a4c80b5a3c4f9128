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
from drafter.render.ooxml import SealedXml
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
        markup = table_markup(table_grid.build_grid(plan.computed(data, unit="triệu đồng")))
        want = table_xml._opening("DrTable", tuple(
            table_grid._build_grid(compute(parse_table(data), unit="triệu đồng"),
                                   table_grid.TABLE_FONT_PT).column_widths())) + _whole_markup(data) + "</w:tbl>"
        got = markup.xml
        assert str.__str__(got) == want == str(markup) == markup.__html__()
        if type(markup) is SealedXml:  # kept as its bytes, its text joined only when read
            assert markup.utf8 == want.encode("utf-8") and len(markup) == len(want)
        else:
            assert got.encode() == want.encode("utf-8")
        encoded += type(markup) is SealedXml or type(got) is EncodedXml
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


@pytest.mark.parametrize("as_is", [False, True])
def test_documents_with_the_tables_bytes_are_the_texts(tmp_path: Path, monkeypatch, as_is: bool):
    if not as_is:  # every value printed as its text: no table reaches the engine as its bytes
        monkeypatch.setattr(sandbox, "_printed_as_is", sandbox._output_escape)
    engine._compiled.cache_clear()  # the template compiled with this print
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
            tables += any(type(c) is SealedXml for c in chunks)
            data, _ = compiled._render_bytes(ctx, ctx.get("final_sect_pr"))
            assert data == compiled._render(ctx, ctx.get("final_sect_pr"))[0].encode("utf-8")
            with zipfile.ZipFile(io.BytesIO(api.render_bytes(prepared, tmp_path))) as z:
                assert z.read("word/document.xml") == data
    finally:
        engine._compiled.cache_clear()
    # the planned rows' tables reached the engine as their bytes, or never
    assert tables > 0 if as_is else tables == 0


_SOURCES = [
    "{{ t }}",
    "<a>{{ t }}</a>{{ t }}",
    "{% if t %}{{ t }}{% endif %}",
    "{% for i in [1, 2] %}{{ t }}{% endfor %}",
    "{% set x %}{{ t }}{% endset %}{{ x }}",
    "{% macro m() %}<m>{{ t }}</m>{% endmacro %}{{ m() }}",
    "{% filter upper %}{{ t }}{% endfilter %}",
    "{{ t|safe }}", "{{ t|string }}", "{{ t ~ '!' }}", "{{ t|e }}", "{{ [t]|join }}",
]


def test_a_table_kept_as_its_bytes_prints_as_its_text_in_every_template_form():
    """A table printed straight into the output reaches the engine as itself (its bytes
    copied); in a block, a macro, a filter or an expression it is its text, as the
    same table as plain markup would print."""
    from drafter.render.ooxml import Markup

    pieces = ['<w:tbl><w:tblPr/>', *['<w:tr><w:tc><w:p><w:r><w:t>Đề án &amp; 5</w:t></w:r></w:p></w:tc></w:tr>'] * 80,
              "</w:tbl>"]
    text = "".join(pieces)
    sealed = SealedXml(pieces, len(text), text.encode())
    assert len(sealed) == len(text) >= sandbox.LARGE_PIECE and sealed.xml == str(sealed) == sealed.__html__() == text
    env = engine.jinja_env()
    as_itself = 0
    for source in _SOURCES:
        template = env.from_string(source)
        want = template.render(t=Markup(text))
        chunks = template.render_chunks(t=sealed)
        assert sandbox.printed_text(chunks) == template.render(t=sealed) == want, source
        itself = [i for i, c in enumerate(chunks) if c is sealed]
        assert all(i in chunks.large for i in itself)  # noted among the large pieces
        as_itself += bool(itself)
    assert as_itself == 4  # the four that print it straight into the output
