"""render --dien-tu / batch --dien-tu: the layout for electronic issuance (the
signature space for the signature image and the seal, the decree's dots in the
"(Kèm theo …)" lines), the PDF written as PDF/A, and drafter check taking the
electronic document as it takes the paper one."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from drafter.cli import main
from drafter.rules import electronic

SAMPLE = SAMPLES / "004-quyet-dinh-hung-yen.yaml"  # a quyết định with an attached programme and an appendix
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def _part(docx, name: str) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(name).decode("utf-8")


def _signer_before(docx) -> int:
    style = re.search(r'<w:style [^>]*w:styleId="DrSigner".*?</w:style>', _part(docx, "word/styles.xml"), re.DOTALL)
    return int(re.search(r'w:before="(\d+)"', style.group(0)).group(1))


def _text(docx) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", _part(docx, "word/document.xml")))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The sample rendered on paper (.docx) and electronically (.docx and PDF/A): one conversion."""
    d = tmp_path_factory.mktemp("dien-tu")
    shutil.copy(SAMPLE, d / SAMPLE.name)
    for sheet in SAMPLES.glob("004-*.csv"):
        shutil.copy(sheet, d / sheet.name)
    for extra in SAMPLES.glob("004-*"):
        if extra.is_dir():
            shutil.copytree(extra, d / extra.name)
    paper = CliRunner().invoke(main, ["render", str(d / SAMPLE.name), "-o", str(d / "giay.docx")])
    assert paper.exit_code == 0, paper.output
    result = None
    if shutil.which("soffice"):
        result = CliRunner().invoke(main, ["render", str(d / SAMPLE.name), "-o", str(d / "dien-tu.docx"),
                                           "--dien-tu", "--json"])
    else:  # the layout alone (the .docx is written before the PDF)
        CliRunner().invoke(main, ["render", str(d / SAMPLE.name), "-o", str(d / "dien-tu.docx"), "--dien-tu"])
    return d, result


def test_signature_space_holds_signature_and_seal(rendered):
    d, _ = rendered
    assert _signer_before(d / "giay.docx") == 1560  # paper: 78 pt
    assert _signer_before(d / "dien-tu.docx") == electronic.SIGNATURE_SPACE_TWIPS == 2380  # 119 pt, 42 mm
    # only the style changes: the document part's paragraphs are the paper ones
    assert _part(d / "giay.docx", "word/document.xml").count("DrSigner") == \
        _part(d / "dien-tu.docx", "word/document.xml").count("DrSigner") >= 2


def test_kem_theo_lines_keep_the_decrees_dots(rendered):
    d, _ = rendered
    paper, e = _text(d / "giay.docx"), _text(d / "dien-tu.docx")
    assert "(Kèm theo Quyết định số 3355/QĐ-UBND ngày 27 tháng 12 năm 2017 của" in paper
    assert "(Ban hành kèm theo Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của" in paper
    assert "(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân tỉnh Hưng Yên)" in e
    assert "(Ban hành kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân tỉnh Hưng Yên)" in e
    # the document's own number and date stay as the draft has them
    assert "Số: 3355/QĐ-UBND" in e and "ngày 27 tháng 12 năm 2017" in e


def test_check_does_not_flag_the_electronic_layout(rendered):
    d, _ = rendered
    runs = {}
    for name in ("giay", "dien-tu"):
        r = CliRunner().invoke(main, ["check", str(d / f"{name}.docx"), "--json"])
        runs[name] = (r.exit_code, json.loads(r.output))
    assert runs["dien-tu"][0] == runs["giay"][0] == 0, runs

    def findings(data):
        items = data if isinstance(data, list) else data.get("files", data.get("findings", []))
        text = json.dumps(items, ensure_ascii=False)
        return sorted(re.findall(r'"(?:rule|id)": "([A-Z0-9-]+)"', text))

    assert findings(runs["dien-tu"][1]) == findings(runs["giay"][1])
    assert '"severity": "error"' not in json.dumps(runs["dien-tu"][1], ensure_ascii=False)


@needs_soffice
def test_pdf_is_pdf_a_and_keeps_the_space(rendered):
    from pypdf import PdfReader

    from drafter.electronic import identity

    d, result = rendered
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True and data["pdf"] == [str(d / "dien-tu.pdf")] and data["pdf_errors"] == []
    version, part = identity(d / "dien-tu.pdf")
    assert part == electronic.PDFA_PART and tuple(map(int, version.split("."))) >= (1, 4)
    # the blank between the title's last line and the name, measured on the page
    reader = PdfReader(str(d / "dien-tu.pdf"))
    found = {}

    def visit(text, cm, tm, font, size):
        t = text.strip()
        if t in ("PHÓ CHỦ TỊCH", "Nguyễn Minh Quang") and t not in found:
            found[t] = tm[5] * cm[3] + cm[5]

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
        if len(found) == 2:
            break
    gap = found["PHÓ CHỦ TỊCH"] - found["Nguyễn Minh Quang"]  # baselines, pt
    assert gap >= electronic.SIGNATURE_SPACE_PT + 10, found  # 119 pt of space plus the name's line


def test_a_pdf_that_is_not_pdf_a_is_refused_in_vietnamese(tmp_path):
    from pypdf import PdfWriter

    from drafter.electronic import pdf_problems

    w = PdfWriter()
    w.add_blank_page(595, 842)
    out = io.BytesIO()
    w.write(out)
    (tmp_path / "thuong.pdf").write_bytes(out.getvalue())
    problems = pdf_problems([tmp_path / "thuong.pdf"])
    # pypdf writes PDF 1.3 without PDF/A metadata: both said, each naming the file
    assert len(problems) == 2 and all("thuong.pdf" in p for p in problems)
    assert "PDF phiên bản 1.3 cũ hơn PDF 1.4" in problems[0] and "PDF chưa ở dạng PDF/A" in problems[1]


@needs_soffice
@pytest.mark.slow
def test_batch_dien_tu_writes_electronic_docx_and_pdf_a(tmp_path):
    from drafter.electronic import identity

    src = SAMPLES / "batch"
    for f in src.iterdir():
        shutil.copy(f, tmp_path / f.name)
    rows = (tmp_path / "kinh-phi-khuyen-cong-ha-tinh.csv").read_text(encoding="utf-8").splitlines()[:3]
    (tmp_path / "hai-xa.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "phan-bo-kinh-phi-xa.yaml"), str(tmp_path / "hai-xa.csv"),
                                  "-o", str(tmp_path / "ra"), "--dien-tu", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["done"] == 2 and len(data["pdf"]) == 2 and data["pdf_errors"] == []
    for pdf in data["pdf"]:
        assert identity(pdf)[1] == electronic.PDFA_PART
    docs = sorted((tmp_path / "ra").glob("*.docx"))
    assert len(docs) == 2 and all(_signer_before(p) == electronic.SIGNATURE_SPACE_TWIPS for p in docs)
