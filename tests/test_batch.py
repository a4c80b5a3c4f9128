"""Batch drafting: one document per row, safely, with failures contained."""

from __future__ import annotations

import csv
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_view import NS, DocView

from drafter import api, batch
from drafter.cli import main

DRAFT = """
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
don_vi_soan: KT
trich_yeu: phân bổ kinh phí năm 2026 cho {{ hang.ten }}
noi_dung: |
  Kinh phí phân bổ cho {{ hang.ten }} là {{ hang.kinh_phi }} triệu đồng.
noi_nhan: [Như trên]
luu: [VT, KT]
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
"""

ROWS = [
    {"ma": "001", "ten": "Xã Cẩm Xuyên", "so": "12", "ngay": "2026-01-15", "kinh_gui": "UBND xã Cẩm Xuyên", "kinh_phi": "120"},
    {"ma": "002", "ten": "Phường Thành Sen", "so": "13", "ngay": "2026-01-16", "kinh_gui": "UBND phường Thành Sen", "kinh_phi": "1.250,5"},
    {"ma": "003", "ten": "Xã <R&D> {{ 7*7 }}", "so": "14", "ngay": "2026-02-30", "kinh_gui": "UBND xã X", "kinh_phi": "5"},
    {"ma": "004", "ten": "Xã Kỳ Anh", "so": "15", "ngay": "2026-01-17", "kinh_gui": "", "kinh_phi": "7"},
]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    write_csv(tmp_path / "data.csv", ROWS)
    return tmp_path


def test_rows_rendered_failures_contained(setup):
    r = batch.run(setup / "draft.yaml", setup / "data.csv", setup / "out", name="{ma}-{ten}")
    by_row = {o.row: o for o in r.outcomes}
    assert [by_row[n].status for n in (2, 3, 4, 5)] == ["ok", "ok", "loi", "loi"]
    assert "cột «ngay» (ô D4)" in by_row[4].message and "30/02/2026" in by_row[4].message
    assert "kinh_gui" in by_row[5].message
    assert by_row[2].file == "001-Xã Cẩm Xuyên.docx"
    doc = DocView(setup / "out" / "001-Xã Cẩm Xuyên.docx")
    doc.find("Số: 12/UBND-KT")
    doc.find("Hà Tĩnh, ngày 15 tháng 01 năm 2026")
    doc.find("V/v phân bổ kinh phí năm 2026 cho Xã Cẩm Xuyên")
    doc.find("Kính gửi: UBND xã Cẩm Xuyên.")
    doc.find("Kinh phí phân bổ cho Xã Cẩm Xuyên là 120 triệu đồng./.")
    doc = DocView(setup / "out" / "002-Phường Thành Sen.docx")
    doc.find("Kinh phí phân bổ cho Phường Thành Sen là 1.250,5 triệu đồng./.")
    # manifest in CSV and JSON
    data = json.loads((setup / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert (data["ok"], data["failed"]) == (2, 2)
    assert [row["status"] for row in data["rows"]] == ["ok", "ok", "loi", "loi"]
    with (setup / "out" / "manifest.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"hang": "2", "tep": "001-Xã Cẩm Xuyên.docx", "trang_thai": "ok", "thong_bao": ""}
    assert rows[2]["trang_thai"] == "loi" and rows[2]["tep"] == ""
    assert sorted(p.name for p in (setup / "out").iterdir()) == [
        "001-Xã Cẩm Xuyên.docx", "002-Phường Thành Sen.docx", "manifest.csv", "manifest.json"]


def test_row_text_is_data_never_markup(setup):
    rows = [dict(ROWS[2], ngay="2026-02-03")]
    write_csv(setup / "d2.csv", rows)
    r = batch.run(setup / "draft.yaml", setup / "d2.csv", setup / "out")
    assert r.ok == 1
    doc = DocView(setup / "out" / r.outcomes[0].file)
    doc.find("V/v phân bổ kinh phí năm 2026 cho Xã <R&D> {{ 7*7 }}")


@pytest.mark.parametrize("expr", ["{{ hang.__class__ }}", "{{ hang.ten.upper() }}", "{{ hang.ten.__init__.__globals__ }}",
                                  "{% import 'os' as os %}", "{{ hang.khong_co }}"])
def test_templating_is_sandboxed(setup, expr):
    (setup / "draft.yaml").write_text(DRAFT.replace("cho {{ hang.ten }}", f"cho {expr}", 1), encoding="utf-8")
    r = batch.run(setup / "draft.yaml", setup / "data.csv", setup / "out")
    assert all(o.status == "loi" for o in r.outcomes)
    assert "trich_yeu" in (r.outcomes[0].key or "") or "trich_yeu" in r.outcomes[0].message


def test_other_braces_are_text(setup):
    """`{{ … }}` that names no column is printed as typed, never evaluated."""
    (setup / "draft.yaml").write_text(DRAFT.replace("cho {{ hang.ten }}", "cho {{ cycler.__init__ }} {{ 7*7 }}", 1),
                                      encoding="utf-8")
    write_csv(setup / "good.csv", ROWS[:1])
    r = batch.run(setup / "draft.yaml", setup / "good.csv", setup / "out")
    assert r.ok == 1
    DocView(setup / "out" / r.outcomes[0].file).find("V/v phân bổ kinh phí năm 2026 cho {{ cycler.__init__ }} {{ 7*7 }}")


def test_cli_exit_codes_and_summary(setup):
    runner = CliRunner()
    r = runner.invoke(main, ["batch", str(setup / "draft.yaml"), str(setup / "data.csv"), "-o", str(setup / "out")])
    assert r.exit_code == 1
    assert "dòng 4, cột «ngay» (ô D4): lỗi" in r.output and "Xong: 2 văn bản, 2 hàng lỗi" in r.output
    write_csv(setup / "good.csv", ROWS[:2])
    r = runner.invoke(main, ["batch", str(setup / "draft.yaml"), str(setup / "good.csv"), "-o", str(setup / "o2"), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["ok"] and data["done"] == 2


def test_a_draft_mistake_is_reported_once_for_all_rows(setup):
    (setup / "draft.yaml").write_text(DRAFT.replace("luu: [VT, KT]", "luu: [VT, KT]\nnoi_dungg: x"), encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(setup / "draft.yaml"), str(setup / "data.csv"), "-o", str(setup / "out")])
    assert r.exit_code == 1
    lines = [ln for ln in r.output.splitlines() if "noi_dungg" in ln]
    # Every row shares the draft's mistake: one line; row 4's impossible date and row 5's
    # missing Kính gửi (every problem of a row is told at once) have lines of their own.
    assert len(lines) == 1 and "4 dòng (2, 3, 4, 5)" in lines[0]
    assert "dòng 4, cột «ngay» (ô D4): lỗi:" in r.output
    assert "dòng 5, cột «kinh_gui» (ô E5, trống): lỗi:" in r.output and "Kính gửi" in r.output
    assert "Xong: 0 văn bản, 4 hàng lỗi" in r.output and "văn bản/giây" not in r.output


def test_names_are_safe_and_unique(setup):
    rows = [dict(ROWS[0], ten=t) for t in ["../../etc/passwd", "CON", "a/b\\c:d*e?f", "Xã A", "XÃ A", "xã a", " . ", "x" * 300]]
    write_csv(setup / "names.csv", rows)
    r = batch.run(setup / "draft.yaml", setup / "names.csv", setup / "out", name="{ten}")
    names = [o.file for o in sorted(r.outcomes, key=lambda o: o.row)]
    assert names[:7] == ["-etc-passwd.docx"[1:], "_CON.docx", "a-b-c-d-e-f.docx", "Xã A.docx", "XÃ A-2.docx",
                         "xã a-3.docx", "van-ban.docx"]
    assert len(names[7].encode()) <= 130
    out = (setup / "out").resolve()
    assert all(p.resolve().parent == out for p in out.iterdir())
    assert not (setup / "etc").exists()


def test_name_pattern_errors(setup):
    from drafter.errors import DrafterError

    for pattern, needle in [("{khong_co}", "khong_co"), ("{ten.__class__}", "ngoặc nhọn"), ("{ten!r}", "!r")]:
        with pytest.raises(DrafterError, match=needle):
            batch.run(setup / "draft.yaml", setup / "data.csv", setup / "out", name=pattern)


def test_default_name_row_number_and_first_text_column(setup):
    write_csv(setup / "good.csv", ROWS[:2])
    r = batch.run(setup / "draft.yaml", setup / "good.csv", setup / "out")
    assert sorted(o.file for o in r.outcomes) == ["2-001.docx", "3-002.docx"]


def test_existing_outputs_need_force_and_resume_skips_unchanged(setup):
    write_csv(setup / "good.csv", ROWS[:2])
    out = setup / "out"
    r = batch.run(setup / "draft.yaml", setup / "good.csv", out)
    assert r.ok == 2
    stamp = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    r = batch.run(setup / "draft.yaml", setup / "good.csv", out)
    assert r.failed == 0 and r.kept == 2 and "--force" in r.outcomes[0].message
    r = batch.run(setup / "draft.yaml", setup / "good.csv", out, resume=True)
    assert (r.skipped, r.ok) == (2, 0)
    changed = [dict(ROWS[0], kinh_phi="999"), ROWS[1]]
    write_csv(setup / "good.csv", changed)
    r = batch.run(setup / "draft.yaml", setup / "good.csv", out, resume=True)
    assert (r.skipped, r.ok) == (1, 1)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}["3-002.docx"] == stamp["3-002.docx"]
    assert any("999 triệu" in t for t in DocView(out / "2-001.docx").texts())
    r = batch.run(setup / "draft.yaml", setup / "good.csv", out, force=True)
    assert r.ok == 2


def test_interrupt_leaves_only_whole_files(setup, monkeypatch):
    for name in ("BLOCK", "FIRST_BLOCK"):  # blocks of 16 rows
        monkeypatch.setattr(batch, name, 16)
    rows = [dict(ROWS[0], ma=f"{i:03d}", so=str(i + 1)) for i in range(3 * batch.BLOCK)]
    write_csv(setup / "many.csv", rows)

    def progress(done, total):
        if done == 10:
            raise KeyboardInterrupt

    r = batch.run(setup / "draft.yaml", setup / "many.csv", setup / "out", progress=progress)
    # Stopped within the first block (its rows are written stage by stage: those after
    # the tenth were on disk already, and are listed as found there).
    assert r.interrupted and r.ok == batch.BLOCK
    assert [o.row for o in r.outcomes if o.status == batch.OK] == list(range(2, batch.BLOCK + 2))
    files = list((setup / "out").iterdir())
    assert not [p for p in files if p.name.endswith(".tmp")]
    docs = [p for p in files if p.suffix == ".docx"]
    assert len(docs) == batch.BLOCK
    for p in docs:
        assert zipfile.ZipFile(p).testzip() is None
    data = json.loads((setup / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert data["interrupted"] and data["ok"] == batch.BLOCK


def test_parallel_gives_the_same_files(setup):
    rows = [dict(ROWS[0], ma=f"{i:03d}", so=str(i + 1)) for i in range(60)]
    write_csv(setup / "many.csv", rows)
    a = batch.run(setup / "draft.yaml", setup / "many.csv", setup / "j1", jobs=1)
    b = batch.run(setup / "draft.yaml", setup / "many.csv", setup / "j2", jobs=2)
    assert a.ok == b.ok == 60
    for p in (setup / "j1").glob("*.docx"):
        assert p.read_bytes() == (setup / "j2" / p.name).read_bytes()


def test_fast_path_equals_drafter_render(setup):
    """A batch row's document is byte-identical to `drafter render` of that row's draft."""
    write_csv(setup / "good.csv", ROWS[:1])
    r = batch.run(setup / "draft.yaml", setup / "good.csv", setup / "out")
    row = ROWS[0]
    text = (DRAFT.replace("{{ hang.ten }}", row["ten"]).replace("{{ hang.kinh_phi }}", row["kinh_phi"])
            + f"so: {row['so']}\nngay: {row['ngay']}\nkinh_gui: {row['kinh_gui']}\n")
    (setup / "one.yaml").write_text(text, encoding="utf-8")
    api.render_file(setup / "one.yaml", setup / "one.docx")
    assert (setup / "out" / r.outcomes[0].file).read_bytes() == (setup / "one.docx").read_bytes()


def test_compiled_template_matches_plain_docxtpl(tmp_path):
    """The compiled path renders what docxtpl itself renders from the same template."""
    from docxtpl import DocxTemplate

    from conftest import SAMPLES
    from drafter.render import context as ctx_mod

    for sample in ("000-cong-van-ha-tinh.yaml", "004-quyet-dinh-hung-yen.yaml"):
        prepared = api.prepare(SAMPLES / sample)
        ours = DocView(api.render_bytes(prepared, SAMPLES))
        tpl = DocxTemplate(str(api.find_template(prepared.document.doc_type.layout, SAMPLES)))
        tpl.render(ctx_mod.build(prepared.document), autoescape=True)
        tpl.save(tmp_path / "plain.docx")
        plain = DocView(tmp_path / "plain.docx")
        assert ours.texts() == plain.texts()
        # The empty paragraphs that end a section (attached document, appendix) are the
        # engine's own: docxtpl has no notion of sections and gets a page break there.
        def shape(doc):
            return [(p.style, p.bold, p.italic, p.size) for p in doc.paragraphs()
                    if p.text or (p.element.find("w:pPr/w:sectPr", NS) is None
                                  and p.element.find("w:r/w:br[@w:type='page']", NS) is None)]
        assert shape(ours) == shape(plain)


def test_units_option(tmp_path):
    (tmp_path / "draft.yaml").write_text(DRAFT.replace("{{ hang.kinh_phi }}", "{{ hang.ma }}")
                                         + "kinh_gui: Ủy ban nhân dân {{ hang.ten_day_du }}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "draft.yaml"), "--units", "Hà Tĩnh", "-o", str(tmp_path / "o"),
                                  "--name", "{ma}-{ten}", "-j", "2"])
    assert r.exit_code == 0, r.output
    assert "vietnam-provinces" in r.output  # the data's version is shown
    docs = list((tmp_path / "o").glob("*.docx"))
    from drafter import units

    assert len(docs) == len(units.communes("Hà Tĩnh")) > 50
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "draft.yaml"), "--units", "Hà Tĩn", "-o", str(tmp_path / "o")])
    assert r.exit_code == 1 and "Hà Tĩnh" in r.output


def test_xlsx_input_and_formulas_never_evaluated(setup):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(ROWS[0]))
    ws.append([*list(ROWS[0].values())[:-1], 120])
    ws.append(["002", '=HYPERLINK("http://evil","x")', "13", "2026-01-16", "UBND", 5])
    wb.save(setup / "data.xlsx")
    r = batch.run(setup / "draft.yaml", setup / "data.xlsx", setup / "out")
    assert r.ok >= 1
    for p in (setup / "out").glob("*.docx"):
        assert "HYPERLINK" not in " ".join(DocView(p).texts())
    os.environ.pop("X", None)


def test_sample_batch_every_commune_of_ha_tinh(tmp_path):
    """samples/batch: a công văn to every commune of Hà Tĩnh, each with its allocation table."""
    import csv
    from decimal import Decimal

    from conftest import SAMPLES

    draft, data = SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml", SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv"
    r = CliRunner().invoke(main, ["batch", str(draft), str(data), "-o", str(tmp_path / "ra"),
                                  "--name", "{ma}-{ten}", "-j", "2", "--json"])
    assert r.exit_code == 0, r.output
    with data.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    from drafter import units

    assert len(rows) == len(units.communes("Hà Tĩnh"))
    docs = sorted((tmp_path / "ra").glob("*.docx"))
    assert len(docs) == len(rows)
    row = rows[1]
    doc = DocView(tmp_path / "ra" / f"{row['ma']}-{row['ten']}.docx")
    texts = doc.texts()
    total = sum(Decimal(row[k]) for k in ("dao_tao", "tap_huan", "may_moc", "mo_hinh", "tuyen_truyen"))
    from drafter.rules.numbers import format_number

    assert f"Kính gửi: Ủy ban nhân dân {row['ten_day_du']}." in texts
    assert any(f"là {format_number(total)} triệu đồng (bằng chữ:" in t for t in texts)
    cells = [t for t in texts if t == format_number(total)]
    assert cells, "the table's Tổng cộng row shows the row's total"
    assert any(t.startswith("PHÂN BỔ KINH PHÍ KHUYẾN CÔNG NĂM 2026 CHO " + row["ten_day_du"].upper()) for t in texts)
