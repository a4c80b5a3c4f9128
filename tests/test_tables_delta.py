"""A batch row's document made from what the rows before it left (issue 19): the same
document as the row rendered alone, for the values the row changes.

Per row, derive and render/context reuse each section whose inputs are the same objects
(derive.section, context's markup keyed on those sections), and a table's figures go the
plan's direct way (tables/plan: the row's table matched against the last row's, a simple
plan's lines and grid rows made only when read, the row XML filled from the figure texts).
Each is checked here on a real batch whose rows change one figure, a row's label through
``{{ hang.x }}``, the signer through a column, a figure's width, and then on a draft
whose table has one row more, rendered after the batch in the same process: every
document is the one `drafter render`'s path makes with every cache emptied.
"""

from __future__ import annotations

import copy
import csv
import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from drafter import api, batch
from drafter.rules import linebreak
from drafter.tables import plan

DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí khuyến công năm 2026 cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Tổng kinh phí: {{ phu_luc[0].tong.kinh_phi }} triệu đồng ({{ phu_luc[0].tong.kinh_phi.chu }}).
  Ủy ban nhân dân {{ hang.ten }} sử dụng kinh phí đúng mục đích.
  I. TỔ CHỨC THỰC HIỆN
  Sở Tài chính hướng dẫn, kiểm tra việc thực hiện.
noi_nhan: [Như trên, Sở Tài chính]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
        - {noi_dung: Đào tạo nghề, dvt: Lớp, so_lieu: {kinh_phi: "{{ hang.a }}"}}
        - {noi_dung: "{{ hang.nhan }}", dvt: Đề án, so_lieu: {kinh_phi: "{{ hang.b }}"}}
        - {noi_dung: Hội chợ triển lãm, dvt: Đề án, so_lieu: {kinh_phi: 5}}
      tong_cong: true
      bang_chu: kinh_phi
"""

BASE = {"ma": "r1", "ten": "Xã Cẩm Xuyên", "a": "120", "b": "7", "nhan": "Tập huấn", "ky.ho_ten": ""}
ROWS = [
    BASE,
    {**BASE, "ma": "r2", "a": "121"},  # one figure
    {**BASE, "ma": "r3", "nhan": "Tư vấn khởi nghiệp"},  # a row's label
    {**BASE, "ma": "r4", "ky.ho_ten": "Trần Thị Bình"},  # the signer, through a column
    {**BASE, "ma": "r5", "a": "125.000"},  # a wider figure: other column widths
    {**BASE, "ma": "r6"},  # the first row again
    {**BASE, "ma": "r7", "ten": "Phường Thành Sen"},  # the title and recipient only
    {**BASE, "ma": "r8", "ten": "Xã Cẩm Hưng"},  # the title: one word other than r1's
    # a long word at the title's end: its line breaks move (and the V/v line's)
    {**BASE, "ma": "r9", "ten": "Xã Quảngđôngnamthượnghảibắcxuyên"},
    {**BASE, "ma": "r10", "ten": "Phường Nam Hồng Lĩnh Thượng Đông", "a": "0"},  # more words, a blank figure
]
# (total, its words, the label of row 2, the signer) each row's document must show
EXPECTED = {
    "r1": ("132", "Một trăm ba mươi hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r2": ("133", "Một trăm ba mươi ba triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r3": ("132", "Một trăm ba mươi hai triệu đồng", "Tư vấn khởi nghiệp", "Dương Tất Thắng"),
    "r4": ("132", "Một trăm ba mươi hai triệu đồng", "Tập huấn", "Trần Thị Bình"),
    "r5": ("125.012", "Một trăm hai mươi lăm tỷ không trăm mười hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r6": ("132", "Một trăm ba mươi hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r7": ("132", "Một trăm ba mươi hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r8": ("132", "Một trăm ba mươi hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r9": ("132", "Một trăm ba mươi hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
    "r10": ("12", "Mười hai triệu đồng", "Tập huấn", "Dương Tất Thắng"),
}


def _forget() -> None:
    """Every cache a batch row may read from, emptied: what follows is `render`'s way."""
    from drafter import derive, validation
    from drafter.render import context, table_xml
    from drafter.tables import grid

    validation._RULE_MEMO.clear()
    plan.clear()
    derive._MEMO.clear()
    derive._SECTIONS.clear()
    derive._LAST.clear()
    derive._APPENDICES.clear()
    derive._LINES.clear()
    derive._FINAL.clear()
    context._BY_OBJECT.clear()
    context._TABLES.clear()
    context._PARAS.clear()
    context._header.cache_clear()
    context._signing.cache_clear()
    context._title_markup.cache_clear()
    linebreak.title_lines.cache_clear()
    linebreak._KNOWN.clear()
    table_xml._free_row_xml.cache_clear()
    table_xml._FIGURE_CELLS.clear()
    table_xml._cell.cache_clear()
    grid._SHARED.clear()


def _text_for(row: dict, draft: str = DRAFT) -> str:
    text = draft
    for col in ("ten", "a", "b", "nhan"):
        text = text.replace(f"{{{{ hang.{col} }}}}", row[col])
    if row["ky.ho_ten"]:
        text = text.replace("ho_ten: Dương Tất Thắng", f"ho_ten: {row['ky.ho_ten']}")
    return text


def _alone(folder: Path, text: str, name: str) -> bytes:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    _forget()
    return api.render_bytes(api.prepare(path), folder)


def _xml(data: bytes | Path) -> str:
    import io

    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
        return z.read("word/document.xml").decode()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("delta")
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    with (folder / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(BASE))
        w.writeheader()
        w.writerows(ROWS * 2)  # twice: the second time every section is a cached one
    _forget()
    result = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "out", name="{ma}", force=True)
    assert result.failed == 0, [o.message for o in result.outcomes if o.status != "ok"]
    files = {o.row: o.file for o in result.outcomes}
    assert len(set(files.values())) == 2 * len(ROWS)
    alone = {row["ma"]: _alone(folder, _text_for(row), f"alone-{row['ma']}") for row in ROWS}
    return folder, alone, files


def test_each_row_is_the_document_render_makes_of_it(made):
    folder, alone, files = made
    for number, file in files.items():  # sheet rows from 2, each row twice
        row = ROWS[(number - 2) % len(ROWS)]
        assert (folder / "out" / file).read_bytes() == alone[row["ma"]], (number, file)


def test_each_row_shows_its_own_totals_words_label_and_signer(made):
    folder, _, _ = made
    for ma, (total, words, label, signer) in EXPECTED.items():
        xml = _xml(folder / "out" / f"{ma}.docx")
        assert f"Bằng chữ: {words}." in xml, ma  # the whole table's words, under it
        text = re.sub(r"<[^>]+>", "", xml)
        assert f"Tổng kinh phí: {total} triệu đồng ({words})" in text, ma  # quoted in the text
        assert f">{total}</w:t>" in xml, ma  # the Tổng cộng cell
        assert f">{label}</w:t>" in xml, ma
        assert signer in xml, ma
        others = {e[2] for e in EXPECTED.values()} - {label}
        assert not any(f">{o}</w:t>" in xml for o in others), ma  # no label of another row


def test_a_wider_figure_widens_its_column(made):
    from drafter.tables import grid as table_grid
    from drafter.tables.compute import compute
    from drafter.tables.model import parse_table

    folder, _, _ = made
    grids = {}
    for ma in ("r1", "r1", "r1", "r2", "r5"):  # planned from the second on
        path = folder / f"alone-{ma}.yaml"
        prepared = api.prepare(path)
        grids[ma] = prepared.document.appendices[0].grid
        whole = table_grid._build_grid(compute(parse_table(prepared.draft.phu_luc[0].bang), unit="triệu đồng"),
                                       table_grid.TABLE_FONT_PT)
        assert grids[ma].columns == whole.columns, ma
        assert grids[ma].rows == whole.rows, ma
        assert grids[ma].column_widths(9000) == whole.column_widths(9000), ma
    assert "figure_texts" in grids["r5"].__dict__  # the plan's way, not the whole way
    assert grids["r2"].columns == grids["r1"].columns  # 121 is as wide as 120
    assert grids["r5"].columns[-1].min_width > grids["r1"].columns[-1].min_width  # "125.000", "125.012"


def test_a_table_with_one_row_more_after_the_batch(made):
    folder, _, _ = made
    # Rendered in the batch's process, its caches full of the three-row table's plan.
    more = _text_for(BASE).replace(
        "      tong_cong: true",
        "        - {noi_dung: Tham quan học tập, dvt: Đoàn, so_lieu: {kinh_phi: 40}}\n      tong_cong: true")
    path = folder / "more.yaml"
    path.write_text(more, encoding="utf-8")
    for _ in range(3):  # the third time its own plan is made and used
        warm = api.render_bytes(api.prepare(path), folder)
        xml = _xml(warm)
        assert "Bằng chữ: Một trăm bảy mươi hai triệu đồng." in xml
        assert ">Tham quan học tập</w:t>" in xml and ">172</w:t>" in xml
    assert warm == _alone(folder, more, "more-alone")


# --------------------------------------------------------------------------- units

TABLE = {"chi_tieu": [{"ma": "kinh_phi", "ten": "Kinh phí", "cong": True}, {"ma": "so_luong", "ten": "Số lượng"}],
         "dong": [{"noi_dung": "A", "dong": [{"noi_dung": "A1", "so_lieu": {"kinh_phi": 5, "so_luong": "2"}},
                                             {"noi_dung": "A2", "so_lieu": [1, 2]}]},
                  {"noi_dung": "B", "dvt": "Đề án", "so_lieu": {"kinh_phi": {"x": 1, "y": "2"}}},
                  {"noi_dung": "C", "so_lieu": "7"},
                  {"noi_dung": "D", "so_lieu": None},
                  "a row of text"],
         "tong": {"kinh_phi": 100}, "tong_cong": True, "bang_chu": "kinh_phi"}
VALUES = [0, 1, True, 1.0, "1", "1.200", "", None, "abc", [1], {"a": 1}, Decimal("1.0"), "2,5", -3]


def _paths(d, p=()):
    yield p
    items = d.items() if isinstance(d, dict) else enumerate(d) if isinstance(d, list) else ()
    for k, v in items:
        yield from _paths(v, p + (k,))


def _mutated(rng: random.Random) -> dict:
    d = copy.deepcopy(TABLE)
    for _ in range(rng.randint(1, 2)):
        p = rng.choice([p for p in _paths(d) if p])
        parent = d
        for k in p[:-1]:
            parent = parent[k]
        if rng.random() < 0.8:
            parent[p[-1]] = rng.choice(VALUES)
        elif isinstance(parent, dict):
            del parent[p[-1]]
        else:
            parent.append(rng.choice(VALUES))
    for k in TABLE:  # what the row did not change: the base's very object
        if k in d and d[k] == TABLE[k] and rng.random() < 0.5:
            d[k] = TABLE[k]
    return d


def test_a_row_is_matched_only_when_its_skeleton_is_the_plans():
    rng = random.Random(19)
    base_key = plan.skeleton(TABLE)[0]
    matched = 0
    for _ in range(3000):
        table = _mutated(rng)
        try:
            key, figs = plan.skeleton(table)
        except Exception:  # noqa: BLE001 - the whole way
            key, figs = None, None
        found = plan._match(TABLE, table)
        if key == base_key:
            assert found is not None  # the same skeleton is always matched
        if found is not None:
            matched += 1
            assert key == base_key, table
            assert [(type(x), str(x)) for x in found] == [(type(x), str(x)) for x in figs]
    assert matched > 100


def _copied_on_write(base, changed, rng: random.Random):
    """``changed`` with every value equal to ``base``'s at its place made ``base``'s
    very object, as inputs/rows.RowTemplate.apply leaves a row's table (copy on write),
    now and then only equal (a value the row wrote again)."""
    if changed == base and type(changed) is type(base) and rng.random() < 0.9 and (
            not isinstance(base, (dict, list)) or rng.random() < 0.7):
        return base
    if isinstance(changed, dict) and isinstance(base, dict):
        return {k: _copied_on_write(base[k], v, rng) if k in base else v for k, v in changed.items()}
    if isinstance(changed, list) and isinstance(base, list):
        return [_copied_on_write(b, v, rng) for b, v in zip(base, changed)] + changed[len(base):]
    return changed


def test_a_row_sharing_the_bases_objects_is_matched_as_its_skeleton_says():
    """tables/plan._match_rows (each row's mapping matched in line): on rows whose
    unchanged values are the base's very objects, the same answer and the same
    figures as the skeleton's."""
    rng = random.Random(2019)
    base_key = plan.skeleton(TABLE)[0]
    matched = 0
    for _ in range(3000):
        table = _copied_on_write(TABLE, _mutated(rng), rng)
        try:
            key, figs = plan.skeleton(table)
        except Exception:  # noqa: BLE001 - the whole way
            key, figs = None, None
        found = plan._match(TABLE, table)
        assert (found is not None) == (key == base_key), table
        if found is not None:
            matched += 1
            assert [(type(x), str(x)) for x in found] == [(type(x), str(x)) for x in figs]
    assert matched > 100


def _balance_by_tuples(units, width, room, penalty=None):
    """linebreak.balance as first written (a tuple per choice): the reference."""
    n = len(units)
    if n == 0:
        return ()
    space = width(" ")
    edge = [0]
    for u in units:
        edge.append(edge[-1] + width(u))
    if edge[n] + space * (n - 1) <= room:
        return (" ".join(units),)
    best: list = [None] * (n + 1)
    best[n] = (0, 0, 0, 0)
    nxt = [0] * n
    for i in range(n - 1, -1, -1):
        choice, chosen = None, 0
        for j in range(i + 1, n + 1):
            w = edge[j] - edge[i] + space * (j - i - 1)
            if w > room and j > i + 1:
                break
            rest = best[j]
            lone = rest[1] + 1 if j == n and j - i == 1 and i > 0 else rest[1]
            cost = (rest[0] + 1, lone, rest[2] + penalty(j) if penalty is not None and j < n else rest[2],
                    max(rest[3], w))
            if choice is None or cost < choice:
                choice, chosen = cost, j
        best[i], nxt[i] = choice, chosen
    out, i = [], 0
    while i < n:
        out.append(" ".join(units[i:nxt[i]]))
        i = nxt[i]
    return tuple(out)


def test_balance_breaks_where_the_tuple_comparison_did():
    rng = random.Random(2026)
    for _ in range(4000):
        units = ["x" * rng.randint(1, 12) for _ in range(rng.randint(0, 14))]
        room = rng.randint(1, 40)
        cuts = [rng.randint(0, 3) for _ in range(len(units) + 1)]
        penalty = cuts.__getitem__ if rng.random() < 0.5 else None
        assert linebreak.balance(units, len, room, penalty) == _balance_by_tuples(units, len, room, penalty)


def test_titles_seen_once_break_as_measured_one_by_one():
    from drafter import units
    from drafter.rules import layout, textwidth

    for c in units.all_communes()[:400]:
        text = f"V/v phân bổ kinh phí khuyến công năm 2026 cho {c.full_name}"
        parts = linebreak._title_units(text)
        expected = _balance_by_tuples(parts, lambda s: textwidth.width_twips(s, 13, bold=False),
                                      int(layout.HEADER_LEFT_INNER * linebreak.SAFETY))
        assert linebreak.title_lines.__wrapped__(text, 13, layout.HEADER_LEFT_INNER, bold=False) == expected


def _glue_word_by_word(words, phrases):
    """linebreak._glue as first written (every word looked at): the reference."""
    by_first: dict = {}
    for ph in sorted((p.split() for p in phrases), key=len, reverse=True):
        by_first.setdefault(ph[0], []).append(ph)
    upper = [w.upper() for w in words]
    out, i = [], 0
    while i < len(words):
        for ph in by_first.get(upper[i], ()):
            if upper[i:i + len(ph)] == ph:
                out.append(" ".join(words[i:i + len(ph)]))
                i += len(ph)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def test_compounds_glued_as_word_by_word():
    rng = random.Random(30)
    vocab = sorted({w for p in linebreak.COMPOUNDS + linebreak.LEVELS for w in p.split()}) + ["và", "-", "2020"]
    for _ in range(3000):
        words = [w if rng.random() < 0.7 else w.lower() for w in rng.choices(vocab, k=rng.randint(0, 12))]
        for phrases in (linebreak.COMPOUNDS, linebreak.COMPOUNDS + linebreak.LEVELS):
            assert linebreak._glue(list(words), phrases) == _glue_word_by_word(words, phrases), words


def test_a_body_line_by_line_is_the_whole_bodys_paragraphs():
    from drafter import derive
    from drafter.rules import body

    rng = random.Random(31)
    pieces = ["Chương I", "Chương II. QUY ĐỊNH CHUNG", "QUY ĐỊNH CHUNG", "Phần thứ nhất", "Mục 1", "I. MỤC TIÊU",
              "Điều 1. Phạm vi", "1. Ủy ban nhân dân", "a) nội dung", "- gạch đầu dòng", "./.", "Văn bản./.",
              "*nhấn mạnh* chữ", "[1] đánh số", "[a] điểm", "", "   ", "Tổng: 1.234 triệu đồng.", "mục 2"]
    for _ in range(3000):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert derive._body_paragraphs(text) == body.paragraphs(text), text
