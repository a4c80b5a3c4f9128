"""`drafter import` of the corpus kinds that are not a whole administrative document, and
the circulation note (issue 18, what kept it open).

- A Chương trình or Quy chế issued with a quyết định but kept in its own file (Mẫu 1.3
  alone: no số, date or Nơi nhận) becomes a draft with `ban_hanh_kem_theo`, which
  `drafter render` lays out as Mẫu 1.3: the same texts, no number or date row, the
  "(Ban hành kèm theo …)" line under the trích yếu, no Nơi nhận; `drafter check` finds
  no error in it.
- A Party document is refused with the reason, in Vietnamese, and nothing is written.
- A file holding appendices alone (pl-hung-yen: the seed 004 quyết định's appendix in a
  file of its own) becomes a draft with `chi_phu_luc` and the table as a CSV; `drafter
  render` lays it out as the quyết định's own appendix (same texts, no quốc hiệu, no
  signature), `drafter check` finds no error in it, the APPX-STYLE departure imports
  clean too, and its `render --dien-tu` PDF is what `drafter ky --co-quan --dinh-kem` signs.
- «LƯU HÀNH NỘI BỘ» and the other circulation notes (ô 11) are the key `luu_hanh`:
  imported, rendered after the signature block (capitals, bold, 13 pt, at the left, no
  «./.» after it), known to the checker.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from click.testing import CliRunner
from docx import Document
from ruamel.yaml import YAML

from drafter.check.api import check_file
from drafter.cli.main import main
from drafter.model import Draft
from drafter.rules import kem_theo
from drafter.rules import marks as mark_rules
from tests.corpus import builders as B

ALONE = ["chtr-hung-yen", "qc-hung-yen"]


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def load(path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def paragraphs(doc):
    """Every paragraph in document order, those of table cells included."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for el in doc.element.body.iterchildren():
        if el.tag.endswith("}p"):
            yield Paragraph(el, doc)
        elif el.tag.endswith("}tbl"):
            for row in Table(el, doc).rows:
                for c in row.cells:
                    yield from c.paragraphs


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """name → (spec, draft data, --json report, rendered Document, its path)."""
    folder = tmp_path_factory.mktemp("alone")
    out = {}
    for name in ALONE:
        spec = B.spec(name)
        src = folder / f"{name}-source.docx"
        src.write_bytes(B.render(spec))
        draft = folder / f"{name}.yaml"
        r = run("import", str(src), "-o", str(draft), "--json")
        assert r.exit_code == 0, (name, r.output)
        report = json.loads(r.output)
        r = run("render", str(draft))
        assert r.exit_code == 0, (name, r.output)
        rendered = folder / f"{name}.docx"
        out[name] = (spec, load(draft), report, Document(str(rendered)), rendered)
    return out


@pytest.mark.parametrize("name", ALONE)
def test_mau_1_3_alone_imports_with_its_parent(alone, name):
    spec, data, report, _, _ = alone[name]
    assert data["loai"] == {"chtr-hung-yen": "chuong-trinh", "qc-hung-yen": "quy-che"}[name]
    assert data["ban_hanh_kem_theo"] == kem_theo.bare(spec.kem_theo)
    assert data["trich_yeu"] == norm(" ".join(spec.trich_yeu))
    assert data["co_quan"] == {"ten": spec.issuer, "viet_tat": "UBND", "dia_danh": "Hưng Yên"}
    assert not {"so", "ngay", "noi_nhan", "luu", "kinh_gui"} & set(data)
    lines = [f"{k.upper()}. {v}" for k, v in data["ky"].items() if k in ("tm", "kt")] + [data["ky"]["chuc_vu"]]
    assert lines == spec.sig.authority and data["ky"]["ho_ten"] == spec.sig.name
    assert report["doan_de_trong_noi_dung"] == []
    assert any("Mẫu 1.3" in n for n in report["ghi_chu"])


@pytest.mark.parametrize("name", ALONE)
def test_mau_1_3_alone_renders_the_same_texts(alone, name):
    spec, _, _, doc, path = alone[name]
    assert [f"{f.rule_id}: {f.message}" for f in check_file(path).findings if f.is_error] == []
    texts = [norm(p.text) for p in paragraphs(doc)]
    texts = [t.replace("*", "") for t in texts if t]
    # the header's issuer and national lines, then the title block as the source has it
    at = texts.index(spec.ten_loai)
    assert texts[at: at + 3] == [spec.ten_loai, norm(" ".join(spec.trich_yeu)), spec.kem_theo]
    assert not any(t.startswith("Số") for t in texts[:at]), texts[:at]  # no số, no date row
    assert not any(re.search(r"ngày .* tháng .* năm", t) for t in texts[:at])
    assert "Nơi nhận:" not in texts
    # every body paragraph of the source, in order (labels and texts as typed)
    want = [norm(f"{p.label} {p.text}").replace("*", "") for p in spec.body]  # the source's marks
    pos = at + 3
    for w in want:
        assert w in texts[pos:], (name, w[:60])
        pos = texts.index(w, pos) + 1
    assert texts[-len(spec.sig.authority) - 1:] == spec.sig.authority + [spec.sig.name]


def test_party_document_is_refused(tmp_path):
    for name, key, words in (("dang-hung-yen", "van-ban-dang", "Hướng dẫn 36-HD/VPTW"),):
        src = tmp_path / f"{name}.docx"
        src.write_bytes(B.render(B.spec(name)))
        r = run("import", str(src), "-o", str(tmp_path / f"{name}.yaml"))
        assert r.exit_code == 1, r.output
        assert f"lỗi [{key}]" in r.output and words in r.output and "Chưa tạo được bản thảo." in r.output
        assert "Traceback" not in r.output
        r = run("import", str(src), "-o", str(tmp_path / f"{name}.yaml"), "--json")
        got = json.loads(r.output)
        assert r.exit_code == 1 and got["ok"] is False and got["problems"][0]["key"] == key
        assert [p.name for p in tmp_path.iterdir() if p.suffix != ".docx"] == []  # no draft, no CSV


def test_the_key_takes_the_notes_the_rules_know():
    assert set(Draft.model_fields["luu_hanh"].annotation.__args__[0].__args__) == set(mark_rules.CIRCULATION)


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    """The thông báo with each circulation note, imported and rendered."""
    folder = tmp_path_factory.mktemp("scope")
    out = {}
    for note in ("LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TÀI LIỆU HỘI NGHỊ"):
        spec = B.spec("tb-ha-tinh")
        spec.scope = note
        slug = note.lower().replace(" ", "-")
        src = folder / f"{slug}-source.docx"
        src.write_bytes(B.render(spec))
        r = run("import", str(src), "-o", str(folder / f"{slug}.yaml"))
        assert r.exit_code == 0 and "chưa xếp được" not in r.output, r.output
        data = load(folder / f"{slug}.yaml")
        r = run("render", str(folder / f"{slug}.yaml"))
        assert r.exit_code == 0, r.output
        out[note] = (data, folder / f"{slug}.docx")
    return out


@pytest.mark.parametrize("note", ["LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TÀI LIỆU HỘI NGHỊ"])
def test_circulation_note_imported_and_rendered_after_the_signature(scoped, note):
    data, path = scoped[note]
    assert data["luu_hanh"] == note
    assert not data["noi_dung"].rstrip().endswith(note)
    doc = Document(str(path))
    body = [el for el in doc.element.body.iterchildren() if not el.tag.endswith("sectPr")]
    assert body[-2].tag.endswith("}tbl")  # the signature block, then the note
    last = doc.paragraphs[-1]
    assert last.text == note and last.alignment in (None, 0)  # left
    assert all(r.bold and not r.italic and r.font.size.pt == 13 for r in last.runs)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[-2].endswith("./.") and not note.endswith("./.")
    assert [f.rule_id for f in check_file(path).findings if f.is_error or f.severity == "warning"] == []


def test_luu_hanh_typed_in_any_case_and_a_wrong_one(tmp_path):
    sample = B.SAMPLES / "000-cong-van-ha-tinh.yaml"
    text = sample.read_text(encoding="utf-8")
    good = tmp_path / "a.yaml"
    good.write_text(text + "\nluu_hanh: xem xong  trả lại\n", encoding="utf-8")
    r = run("render", str(good))
    assert r.exit_code == 0, r.output
    doc = Document(str(tmp_path / "a.docx"))
    assert doc.paragraphs[-1].text == "XEM XONG TRẢ LẠI"
    bad = tmp_path / "b.yaml"
    bad.write_text(text + "\nluu_hanh: Nội bộ\n", encoding="utf-8")
    r = run("render", str(bad))
    assert r.exit_code == 1 and "lỗi [luu_hanh]" in r.output and "LƯU HÀNH NỘI BỘ" in r.output, r.output
    assert "'Nội bộ'" in r.output  # the value as typed
    assert "Traceback" not in r.output


def test_ban_hanh_kem_theo_only_on_a_named_type(tmp_path):
    sample = B.SAMPLES / "000-cong-van-ha-tinh.yaml"
    bad = tmp_path / "c.yaml"
    bad.write_text(sample.read_text(encoding="utf-8") + f"\nban_hanh_kem_theo: {kem_theo.EXAMPLE}\n",
                   encoding="utf-8")
    r = run("render", str(bad))
    assert r.exit_code == 1 and "lỗi [ban_hanh_kem_theo]" in r.output and "công văn" in r.output, r.output



def test_secrecy_and_urgency_marks_keep_their_keys(tmp_path):
    """The marks that already had keys (do_mat, do_khan) come back through them, rendered
    in their frames under the số, and nothing is left in the body."""
    spec = B.spec("kh-quang-ngai")
    spec.marks = ["TỐI MẬT", "HỎA TỐC"]
    src = tmp_path / "kh-source.docx"
    src.write_bytes(B.render(spec))
    r = run("import", str(src), "-o", str(tmp_path / "kh.yaml"))
    assert r.exit_code == 0 and "chưa xếp được" not in r.output, r.output
    data = load(tmp_path / "kh.yaml")
    assert (data["do_mat"], data["do_khan"]) == ("Tối mật", "Hỏa tốc") and "luu_hanh" not in data
    assert run("render", str(tmp_path / "kh.yaml")).exit_code == 0
    texts = [norm(p.text) for p in paragraphs(Document(str(tmp_path / "kh.docx")))]
    assert texts.index("TỐI MẬT") < texts.index("HỎA TỐC") < texts.index("KẾ HOẠCH")
    assert [f.rule_id for f in check_file(tmp_path / "kh.docx").findings if f.is_error] == []


def test_an_appendix_of_a_mau_1_3_document_alone_cites_its_parent(alone, tmp_path):
    """The appendix of a document kept in its own file has no number of that document to
    cite: its "(Kèm theo …)" line names the same parent as the "(Ban hành kèm theo …)"."""
    qd = tmp_path / "qd-source.docx"
    qd.write_bytes(B.render(B.spec("qd-hung-yen")))
    assert run("import", str(qd), "-o", str(tmp_path / "qd.yaml")).exit_code == 0
    phu_luc = load(tmp_path / "qd.yaml")["phu_luc"]
    _, data, _, _, _ = alone["chtr-hung-yen"]
    from drafter.importer.write import draft_text

    (tmp_path / "chtr.yaml").write_text(draft_text({**data, "phu_luc": phu_luc}, source="x.docx"), encoding="utf-8")
    r = run("render", str(tmp_path / "chtr.yaml"))
    assert r.exit_code == 0, r.output
    from docx.oxml.ns import qn

    body = Document(str(tmp_path / "chtr.docx")).element.body  # the appendix is inside its content control
    texts = [norm("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in body.iter(qn("w:p"))]
    assert f"(Kèm theo {data['ban_hanh_kem_theo']})" in texts
    assert f"(Ban hành kèm theo {data['ban_hanh_kem_theo']})" in texts


# ------------------------------------------------------------------ appendices in a file of their own


def texts_of(path) -> list[str]:
    """Every non-empty paragraph's text in document order, those inside content controls
    and table cells included (each merged cell once)."""
    from docx.oxml.ns import qn

    body = Document(str(path)).element.body
    out = [norm("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in body.iter(qn("w:p"))]
    return [t for t in out if t]


@pytest.fixture(scope="module")
def appendix_file(tmp_path_factory):
    """pl-hung-yen imported and rendered; qd-hung-yen (the same appendix inside its
    quyết định) imported and rendered beside it."""
    folder = tmp_path_factory.mktemp("pl")
    out = {}
    for name in ("pl-hung-yen", "qd-hung-yen"):
        src = folder / f"{name}-source.docx"
        src.write_bytes(B.render(B.spec(name)))
        r = run("import", str(src), "-o", str(folder / f"{name}.yaml"), "--json")
        assert r.exit_code == 0, (name, r.output)
        report = json.loads(r.output)
        r = run("render", str(folder / f"{name}.yaml"))
        assert r.exit_code == 0 and ("cảnh báo" not in r.output or name == "qd-hung-yen"), (name, r.output)
        out[name] = (src, load(folder / f"{name}.yaml"), report, folder / f"{name}.docx")
    return folder, out


def test_appendix_file_imports_as_chi_phu_luc_with_its_csv(appendix_file):
    folder, got = appendix_file
    spec = B.spec("pl-hung-yen")
    _, data, report, _ = got["pl-hung-yen"]
    assert list(data) == ["loai", "chi_phu_luc", "phu_luc"]
    assert data["loai"] == "quyet-dinh"
    assert data["chi_phu_luc"] == kem_theo.bare(spec.appendix_head[2])
    (pl,) = data["phu_luc"]
    assert pl["tieu_de"] == spec.appendix_head[1] and pl["don_vi_tinh"] == "triệu đồng"
    csv = folder / pl["bang"]["tep"]
    assert report["bang"] == [str(csv)] and csv.is_file() and report["loi_bang"] == []
    assert "Mô hình trình diễn kỹ thuật" in csv.read_text(encoding="utf-8")
    assert report["doan_de_trong_noi_dung"] == [] and report["ghi_chu"] == []
    text = (folder / "pl-hung-yen.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Bản thảo các phụ lục của quyết định") and "# Tệp chỉ có phụ lục" in text


def test_appendix_file_renders_the_same_texts_as_the_appendix_inside_its_document(appendix_file):
    _, got = appendix_file
    src, _, _, rendered = got["pl-hung-yen"]
    texts = texts_of(rendered)
    # drafter's own table heads each group with its chi_tieu (Kinh phí): the rest is the source's
    assert [t for t in texts if t != "Kinh phí"] == texts_of(src)
    # the same texts as the quyết định's appendix drafter renders, from its «Phụ lục» on, but
    # the (Kèm theo …) line: as typed here, made from the quyết định's own number and issuer there
    inside = texts_of(got["qd-hung-yen"][3])
    inside = inside[len(inside) - 1 - inside[::-1].index("Phụ lục"):]
    assert texts[:2] + texts[3:] == inside[:2] + inside[3:]
    assert inside[2] == texts[2].replace("UBND tỉnh", "Ủy ban nhân dân tỉnh")
    assert not any(t.startswith(("CỘNG HÒA", "Số:", "Nơi nhận")) for t in texts)
    assert [f"{f.rule_id}: {f.message}" for f in check_file(rendered).findings if f.is_error] == []
    doc = Document(str(rendered))
    from docx.oxml.ns import qn

    assert len(doc.sections) == 1  # the appendix opens the file: no empty page before it
    assert len(list(doc.element.body.iter(qn("w:tbl")))) == 1  # no header or signature table
    reference = next(p for p in paragraphs_all(doc) if p.text.startswith("(Kèm theo"))
    assert reference.style.style_id == "DrKemTheo" and reference.style.font.italic  # the appendices' own style


def paragraphs_all(doc):
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))]


def test_appendix_departure_imports_clean(tmp_path):
    from tests.corpus import departures as D
    from tests.corpus import imports as I

    dep = D.DEPARTURES["appx-style"]
    assert dep.rule == "APPX-STYLE" and dep.base == "pl-hung-yen"
    src = tmp_path / "appx-style-source.docx"
    src.write_bytes(dep.build(B.render(B.spec(dep.base))))
    assert any(f.is_error for f in check_file(src).findings)  # the departure is there
    got = I.import_one(src, tmp_path, "appx-style", "appendix")
    assert got.refused is None and got.rendered and got.errors == [], got
    assert "chi_phu_luc" in got.fields


def test_appendix_file_draft_rules(tmp_path):
    draft = tmp_path / "pl.yaml"
    draft.write_text("loai: quyet-dinh\nchi_phu_luc: theo đề nghị của Sở\nnoi_dung: Kính gửi các sở.\n",
                     encoding="utf-8")
    r = run("render", str(draft))
    assert r.exit_code == 1 and "Traceback" not in r.output
    for words in ("chi_phu_luc ghi văn bản có các phụ lục này", "cần ít nhất một phụ lục",
                  "không in khóa noi_dung"):
        assert words in r.output, r.output
    assert "Thiếu khóa bắt buộc" not in r.output  # co_quan, trich_yeu, ky are not needed
    assert not (tmp_path / "pl.docx").exists()
    # without chi_phu_luc, a draft still needs them (a key absent leaves no trace)
    draft.write_text("loai: quyet-dinh\nphu_luc: [{tieu_de: A}]\n", encoding="utf-8")
    r = run("render", str(draft))
    assert r.exit_code == 1 and "Thiếu khóa bắt buộc 'co_quan'" in r.output and "'ky'" in r.output


@pytest.mark.slow
@pytest.mark.libreoffice
def test_appendix_file_electronic_pdf_is_signed_as_attachment(appendix_file):
    """render --dien-tu of the appendix file makes the PDF `ky --co-quan --dinh-kem` signs."""
    import shutil
    from pathlib import Path

    import sign_ca

    from drafter import pdf

    if not pdf.find_soffice():
        pytest.skip("LibreOffice is not installed")
    folder, _ = appendix_file
    repo = Path(__file__).resolve().parent.parent
    shutil.copy(repo / "samples" / "000-cong-van-ha-tinh.yaml", folder / "cv.yaml")
    # what `drafter render --dien-tu` does (render_file, then the PDF/A beside it), for the
    # main document and the appendix file in one LibreOffice run
    from drafter import api

    docs = [api.render_file(folder / f"{name}.yaml", folder / f"{name}-dt.docx", force=True, electronic=True).output
            for name in ("cv", "pl-hung-yen")]
    made = pdf.pdfs_beside(docs, force=True, pdfa=True)
    assert made.errors == [] and len(made.written) == 2
    pki = sign_ca.make_test_pki(folder / "pki")
    sign_ca.signature_png(folder / "ck.png")
    sign_ca.seal_png(folder / "dau.png")
    env = {"DRAFTER_MAT_KHAU": pki.password}
    r = CliRunner().invoke(main, ["ky", str(folder / "cv-dt.pdf"), "-o", str(folder / "cv-1.pdf"), "--p12",
                                  str(pki.person_p12), "--anh-chu-ky", str(folder / "ck.png")], env=env)
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["ky", str(folder / "cv-1.pdf"), "-o", str(folder / "cv-2.pdf"), "--p12",
                                  str(pki.agency_p12), "--co-quan", "--anh-dau", str(folder / "dau.png"),
                                  "--dinh-kem", str(folder / "pl-hung-yen-dt.pdf"), "--json"], env=env)
    assert r.exit_code == 0, r.output
    signed = json.loads(r.output)["signed"]
    attachment = next(s for s in signed if s["role"] == "dinh-kem")
    assert attachment["page"] == 1 and attachment["text"][1] == "Kèm theo văn bản số 8287/UBND-KT1"
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(folder / "pl-hung-yen-dt-da-ky.pdf", "rb") as fh:
        assert len(PdfFileReader(fh, strict=False).embedded_signatures) == 1


def test_appendix_file_template_is_proven_and_leaves_the_others_alone():
    """templates/phu-luc.docx is proven well-formed once, like the shipped three."""
    from drafter import resources
    from drafter.render import engine

    assert engine.CompiledTemplate(resources.templates_dir() / f"{kem_theo.APPENDIX_LAYOUT}.docx").proven


def test_wide_appendix_file_opens_landscape_and_checks_clean(tmp_path):
    """A wide table's appendix file starts on a landscape page: the checker accepts it
    (its first page is the appendix's, not a document's); the next appendix is portrait."""
    draft = tmp_path / "rong.yaml"
    groups = [f"Năm {y}" for y in range(2021, 2026)]
    figures = ", ".join(f"nam_{y}: [{y - 2015}, 1]" for y in range(2021, 2026))
    draft.write_text(
        "loai: ke-hoach\nchi_phu_luc: Kế hoạch số 12/KH-UBND ngày 05/3/2024 của UBND tỉnh Hà Tĩnh\nphu_luc:\n"
        "  - tieu_de: Kinh phí theo năm\n    don_vi_tinh: triệu đồng\n    bang:\n"
        f"      nhom: [{', '.join(groups)}]\n"
        "      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}, {ten: Số lớp}]\n"
        f"      dong:\n        - {{noi_dung: Đào tạo nghề, dvt: Lớp, so_lieu: {{{figures}}}}}\n"
        "  - tieu_de: Danh sách\n    bang:\n      dong:\n        - {noi_dung: Một, so_lieu: [1, 5]}\n",
        encoding="utf-8")
    r = run("render", str(draft))
    assert r.exit_code == 0, r.output
    doc = Document(str(tmp_path / "rong.docx"))
    assert [s.orientation for s in doc.sections] == [1, 0]  # WD_ORIENT.LANDSCAPE, then PORTRAIT
    assert [t for t in texts_of(tmp_path / "rong.docx") if t.startswith("Phụ lục")] == ["Phụ lục I", "Phụ lục II"]
    assert [f"{f.rule_id}: {f.message}" for f in check_file(tmp_path / "rong.docx").findings] == []
