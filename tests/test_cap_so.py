"""`drafter cap-so VĂN_BẢN.docx` and `drafter batch --cap-so` (issue 20, point 2).

The numbered document is, part for part and byte for byte, what `drafter render`
writes for the same draft with `so` and `ngay` (the seeds 000 and 004: a công văn,
and a quyết định whose attached programme and appendix cite it); hand edits stay;
every column of Phụ lục IV is read from the document; a numbered document checks
clean; refusals take no number and leave the file as it was."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from drafter import api
from drafter.cli.main import main
from drafter.issue.register import Register
from drafter.issue.stamp import read_document

SEEDS = {
    "000": ("000-cong-van-ha-tinh.yaml", 8287, dt.date(2019, 12, 13)),
    "004": ("004-quyet-dinh-hung-yen.yaml", 3355, dt.date(2017, 12, 27)),
}


def _blank(text: str, *, drop_date: bool = True) -> str:
    text = re.sub(r"(?m)^so: .*$", "so:", text)
    return re.sub(r"(?m)^ngay: .*$", "ngay:", text) if drop_date else text


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each seed rendered twice: blank (no so, no ngay) and full (the seed's own)."""
    d = tmp_path_factory.mktemp("cap-so")
    out = {}
    for key, (name, _so, _ngay) in SEEDS.items():
        text = (SAMPLES / name).read_text(encoding="utf-8")
        (d / f"{key}-full.yaml").write_text(text, encoding="utf-8")
        (d / f"{key}-blank.yaml").write_text(_blank(text), encoding="utf-8")
        for kind in ("full", "blank"):
            api.render_file(d / f"{key}-{kind}.yaml", d / f"{key}-{kind}.docx")
        out[key] = (d / f"{key}-blank.docx", d / f"{key}-full.docx")
    secret = _blank((SAMPLES / SEEDS["000"][0]).read_text(encoding="utf-8")) + "do_mat: Mật\n"
    (d / "mat.yaml").write_text(secret, encoding="utf-8")
    api.render_file(d / "mat.yaml", d / "mat.docx")
    out["mat"] = d / "mat.docx"
    dated = _blank((SAMPLES / SEEDS["000"][0]).read_text(encoding="utf-8"), drop_date=False)
    (d / "dated.yaml").write_text(dated, encoding="utf-8")
    api.render_file(d / "dated.yaml", d / "dated.docx")
    out["dated"] = d / "dated.docx"
    return out


@pytest.fixture(autouse=True)
def _own_register(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_SO_DANG_KY", str(tmp_path / "default-register.sqlite3"))


def cap_so(*args: str):
    return CliRunner().invoke(main, ["cap-so", *map(str, args)])


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def copy(src: Path, tmp_path: Path, name: str | None = None) -> Path:
    dst = tmp_path / (name or src.name)
    shutil.copy(src, dst)
    return dst


def counter_at(register: Path, series: str, year: int, last: int) -> None:
    """The register as an office's that has already given `last` numbers this year."""
    Register.open(register).close()
    c = sqlite3.connect(register)
    c.execute("INSERT OR REPLACE INTO counters VALUES (?, ?, ?)", (series, year, last))
    c.commit()
    c.close()


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_the_numbered_document_is_what_render_writes_with_so_and_ngay(made, tmp_path, key):
    blank, full = made[key]
    _name, so, ngay = SEEDS[key]
    doc = copy(blank, tmp_path)
    reg = tmp_path / "so.sqlite3"
    counter_at(reg, "chung", ngay.year, so - 1)
    r = cap_so(doc, "--ngay", ngay.isoformat(), "--so-dang-ky", reg, "--json")
    assert r.exit_code == 0, r.output
    assert parts(doc) == parts(full)  # every part, byte for byte: the kèm theo lines of 004 too
    (done,) = json.loads(r.output)["numbered"]
    assert done["entry"]["so"] == so and done["entry"]["ngay"] == ngay.isoformat()


def test_every_column_of_phu_luc_iv_from_the_document(made, tmp_path):
    doc = copy(made["000"][0], tmp_path)
    reg = tmp_path / "so.sqlite3"
    r = cap_so(doc, "--ngay", "05/03/2026", "--so-ban", "12", "--ghi-chu", "Gửi kèm bản điện tử", "--so-dang-ky", reg)
    assert r.exit_code == 0, r.output
    assert "Số: 01/UBND-KT1, ngày 05/03/2026" in r.output  # two digits at least (FORMAT.md)
    for line in ("Tên loại và trích yếu: Công văn V/v tăng cường hoạt động khuyến công",
                 "Người ký: Dương Tất Thắng", "Đơn vị, người nhận bản lưu: VT, KT1", "Số lượng bản: 12",
                 "Ghi chú: Gửi kèm bản điện tử", "Sổ: sổ chung của cơ quan (chung), năm 2026"):
        assert line in r.output
    with Register.open(reg) as book:
        (e,) = book.entries()
    assert (e.so, e.ky_hieu, e.ngay, e.ten_loai, e.loai) == (1, "UBND-KT1", dt.date(2026, 3, 5), "Công văn", "cong-van")
    assert e.trich_yeu.startswith("V/v tăng cường hoạt động khuyến công, phát triển công nghiệp nông thôn")
    assert e.noi_nhan == ["Như trên", "Bộ Công Thương (để biết)", "Chủ tịch, các PCT UBND tỉnh",
                          "Chánh, Phó VP/ UBND tỉnh", "Trung tâm TT-CB-TH tỉnh"]
    assert e.ban_luu == ["VT", "KT1"] and e.so_luong_ban == 12 and e.ghi_chu == "Gửi kèm bản điện tử"
    assert e.file == str(doc.resolve()) and e.series == "chung"
    found = read_document(doc)
    assert found.so_line == "Số: 01/UBND-KT1" and found.date == dt.date(2026, 3, 5)


def test_a_numbered_document_checks_clean(made, tmp_path):
    doc = copy(made["004"][0], tmp_path)
    assert cap_so(doc, "--so-dang-ky", tmp_path / "so.sqlite3").exit_code == 0
    checked = CliRunner().invoke(main, ["check", str(doc), "--json"])
    assert checked.exit_code == 0, checked.output
    before = CliRunner().invoke(main, ["check", str(made["004"][0]), "--json"])
    after_found = json.loads(checked.output)[0]["findings"]
    before_found = json.loads(before.output)[0]["findings"]
    assert not [f for f in after_found if f["severity"] == "error"]
    # numbering adds no finding (the seed's own warnings stay what they were)
    assert sorted(f["rule"] for f in after_found) == sorted(f["rule"] for f in before_found)


def test_a_document_with_a_number_is_refused_unless_force(made, tmp_path):
    doc = copy(made["000"][0], tmp_path)
    reg = tmp_path / "so.sqlite3"
    assert cap_so(doc, "--ngay", "2026-03-05", "--so-dang-ky", reg).exit_code == 0
    kept = doc.read_bytes()
    again = cap_so(doc, "--so-dang-ky", reg)
    assert again.exit_code == 1
    assert "Văn bản đã có số (Số: 01/UBND-KT1)" in again.output and "--force" in again.output
    assert "Chưa cấp số cho" in again.output
    assert doc.read_bytes() == kept
    with Register.open(reg) as book:
        assert book.last_number(series="chung", year=2026) == 1
    forced = cap_so(doc, "--force", "--so-dang-ky", reg)
    assert forced.exit_code == 0, forced.output
    assert "Số: 02/UBND-KT1, ngày 05/03/2026" in forced.output  # the date written is kept
    assert "Số cũ 01/UBND-KT1 đã được đánh dấu hủy" in forced.output
    with Register.open(reg) as book:
        old, new = book.entries()
    assert old.cancelled and "02/UBND-KT1" in old.huy_ly_do and not new.cancelled
    assert read_document(doc).number == "02"


def test_hand_edits_are_kept(made, tmp_path):
    """A document edited in Word after drafter made it: only the number and date change."""
    doc = copy(made["000"][0], tmp_path)
    src = parts(doc)
    xml = src["word/document.xml"].decode()
    assert "Thời gian qua" in xml
    edited = xml.replace("Thời gian qua", "Thời gian vừa qua (văn thư sửa tay)")
    src["word/document.xml"] = edited.encode()
    src["customXml/item9.xml"] = b"<?xml version='1.0'?><ghi-chu>tay</ghi-chu>"
    with zipfile.ZipFile(doc, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in src.items():
            z.writestr(n, b)
    assert cap_so(doc, "--ngay", "2026-11-06", "--so-dang-ky", tmp_path / "so.sqlite3").exit_code == 0
    after = parts(doc)
    assert {n: b for n, b in after.items() if n != "word/document.xml"} == {
        n: b for n, b in src.items() if n != "word/document.xml"}
    want, n = re.subn("Số:[ \u00a0]+/UBND-KT1", "Số: 01/UBND-KT1", edited)
    want, m = re.subn("ngày[ \u00a0]+tháng[ \u00a0]+năm [0-9]{4}", "ngày 06 tháng 11 năm 2026", want)
    assert (n, m) == (1, 1)
    assert after["word/document.xml"].decode() == want


def test_the_secret_series_and_a_date_already_written(made, tmp_path):
    reg = tmp_path / "so.sqlite3"
    r = cap_so(copy(made["mat"], tmp_path), "--so-dang-ky", reg, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["numbered"][0]["entry"]["series"] == "mat"
    dated = copy(made["dated"], tmp_path)
    r = cap_so(dated, "--so-dang-ky", reg)
    assert r.exit_code == 0, r.output
    assert "Số: 01/UBND-KT1, ngày 13/12/2019" in r.output  # the 2019 series: the document's own date
    assert "Giữ ngày đã ghi trong văn bản (13/12/2019)" in r.output


def test_series_from_the_preset(made, tmp_path):
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "van-thu.yaml").write_text(
        "so_dang_ky:\n  thu_muc: so-cua-van-thu\n  theo_loai: [quyet-dinh]\n", encoding="utf-8")
    doc = copy(made["004"][0], tmp_path)
    r = CliRunner().invoke(main, ["cap-so", str(doc), "--mau", str(tmp_path / "presets" / "van-thu.yaml"), "--json"])
    assert r.exit_code == 0, r.output
    done = json.loads(r.output)["numbered"][0]
    assert done["entry"]["series"] == "loai:quyet-dinh" and done["entry"]["so"] == 1
    assert (tmp_path / "presets" / "so-cua-van-thu" / "so-dang-ky.sqlite3").is_file()
    # Through a draft that uses the preset: the folder is still the preset's own.
    (tmp_path / "ban-thao.yaml").write_text("dung: [van-thu]\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["cap-so", str(copy(made["004"][0], tmp_path, "qd2.docx")),
                                  "--mau", str(tmp_path / "ban-thao.yaml"), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["numbered"][0]["entry"]["so"] == 2
    (tmp_path / "presets" / "sai.yaml").write_text("so_dang_ky:\n  theo_loai: [quyet-dinhh]\n  thu_mucc: x\n",
                                                   encoding="utf-8")
    bad = CliRunner().invoke(main, ["cap-so", str(copy(made["000"][0], tmp_path)),
                                    "--mau", str(tmp_path / "presets" / "sai.yaml")])
    assert bad.exit_code == 1
    assert "sai.yaml" in bad.output and "so_dang_ky.thu_mucc" in bad.output and "quyet-dinhh" in bad.output


def test_refusals_take_no_number(made, tmp_path, monkeypatch):
    reg = tmp_path / "so.sqlite3"
    no_so = copy(made["000"][0], tmp_path, "khong-so.docx")
    p = parts(no_so)
    p["word/document.xml"] = p["word/document.xml"].replace("Số:".encode(), b"So")
    with zipfile.ZipFile(no_so, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in p.items():
            z.writestr(n, b)
    r = cap_so(no_so, "--so-dang-ky", reg)
    assert r.exit_code == 1 and "Không tìm thấy dòng «Số: …/…»" in r.output and "khong-so.docx" in r.output
    text = tmp_path / "chu.docx"
    text.write_text("không phải Word", encoding="utf-8")
    r = cap_so(text, "--so-dang-ky", reg)
    assert r.exit_code == 1 and "chu.docx" in r.output
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert "(.docx)" in cap_so(pdf, "--so-dang-ky", reg).output
    big = copy(made["000"][0], tmp_path, "lon.docx")
    monkeypatch.setenv("DRAFTER_MAX_PACKAGE_MB", "0.001")
    r = cap_so(big, "--so-dang-ky", reg)
    assert r.exit_code == 1 and "quá lớn" in r.output and "DRAFTER_MAX_PACKAGE_MB" in r.output
    monkeypatch.delenv("DRAFTER_MAX_PACKAGE_MB")
    for out in (r.output,):
        assert "Traceback" not in out and "Lỗi nội bộ" not in out
    with Register.open(reg) as book:
        assert book.entries() == [] and book.series_list() == []
    assert big.read_bytes() == made["000"][0].read_bytes()


def test_a_back_dated_number_is_refused_and_the_file_kept(made, tmp_path):
    reg = tmp_path / "so.sqlite3"
    first, second = copy(made["000"][0], tmp_path, "a.docx"), copy(made["000"][0], tmp_path, "b.docx")
    assert cap_so(first, "--so-dang-ky", reg, "--ngay", "10/03/2026").exit_code == 0
    r = cap_so(second, "--so-dang-ky", reg, "--ngay", "05/03/2026")
    assert r.exit_code == 1 and "sớm hơn ngày 10/03/2026 của số 01" in r.output and "b.docx" in r.output
    assert "Traceback" not in r.output and "Lỗi nội bộ" not in r.output
    assert second.read_bytes() == made["000"][0].read_bytes()
    with Register.open(reg) as book:
        assert [e.so for e in book.entries()] == [1]


def test_batch_numbers_in_row_order(tmp_path):
    rows = (SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "xa.csv").write_text("\n".join(rows[:9]) + "\n", encoding="utf-8")
    shutil.copy(SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml", tmp_path / "lo.yaml")
    reg = tmp_path / "so.sqlite3"
    args = ["batch", str(tmp_path / "lo.yaml"), str(tmp_path / "xa.csv"), "-o", str(tmp_path / "ra"),
            "-j", "2", "--cap-so", "--so-dang-ky", str(reg)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "Đã cấp số cho 8 văn bản theo thứ tự hàng: 01/UBND-KT đến 08/UBND-KT" in r.output
    with open(tmp_path / "ra" / "manifest.csv", encoding="utf-8-sig") as f:
        files = [row["tep"] for row in sorted(csv.DictReader(f), key=lambda row: int(row["hang"]))]
    with Register.open(reg) as book:
        entries = book.entries()
    assert [Path(e.file).name for e in entries] == files  # row 2 first, in the sheet's order
    assert [e.so for e in entries] == list(range(1, 9))
    for e in entries:
        assert read_document(e.file).so_line == f"Số: {e.so:02d}/UBND-KT"
    again = CliRunner().invoke(main, [*args, "--resume", "--json"])
    assert again.exit_code == 0, again.output
    out = json.loads(again.output)["cap_so"]
    assert out["numbered"] == [] and len(out["already_numbered"]) == 8


def test_a_document_that_cannot_be_written_takes_no_number(made, tmp_path, monkeypatch):
    from drafter.errors import DrafterError
    from drafter.issue import stamp
    from drafter.package import atomic

    doc = copy(made["000"][0], tmp_path)
    kept = doc.read_bytes()
    reg = tmp_path / "so.sqlite3"

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "atomic_write_bytes", full_disk)
    with pytest.raises(DrafterError) as e:
        stamp.number_document(doc, register=reg)
    assert "chưa cấp số nào" in e.value.problems[0].format()
    assert doc.read_bytes() == kept
    monkeypatch.undo()
    with Register.open(reg) as book:
        assert book.entries() == []
        assert stamp.number_document(doc, register=book).entry.so == 1  # the number was given back


def test_the_electronic_references_keep_the_decree_dots(made, tmp_path):
    """An electronic document's (Kèm theo …) lines show the number and date by the
    agency's signature (rules/electronic): cap-so fills the Số and date lines only."""
    draft = tmp_path / "e.yaml"
    draft.write_text(_blank((SAMPLES / SEEDS["004"][0]).read_text(encoding="utf-8")), encoding="utf-8")
    api.render_file(draft, tmp_path / "e.docx", electronic=True)
    before = parts(tmp_path / "e.docx")["word/document.xml"].decode()
    assert cap_so(tmp_path / "e.docx", "--so-dang-ky", tmp_path / "so.sqlite3").exit_code == 0
    after = parts(tmp_path / "e.docx")["word/document.xml"].decode()
    refs = re.findall(r"\((?:Ban hành kèm theo|Kèm theo)[^<]*", after)
    assert len(refs) == 2 and all("số …/QĐ-UBND ngày … tháng … năm …" in r for r in refs)
    assert refs == re.findall(r"\((?:Ban hành kèm theo|Kèm theo)[^<]*", before)
    assert "Số: 01/QĐ-UBND" in after


# Documents drafter did not write (tests/corpus: python-docx, the layouts Word users
# make), with their own number: --force gives each the register's, the checker finds
# no new error; Mẫu 1.3 alone, an appendix file, a copy are refused.
CORPUS = {"cv-quang-ngai-tabs": True, "ct-vinh-long-textbox": True, "bc-hung-yen-wps": True,
          "qd-hung-yen": True, "chtr-hung-yen": False, "pl-hung-yen": False, "sy-vinh-long": False}


@pytest.mark.slow
def test_documents_drafter_did_not_write(tmp_path):
    from drafter.check.api import check_file
    from drafter.errors import DrafterError
    from drafter.issue import stamp
    from tests.corpus import builders as B

    reg = tmp_path / "so.sqlite3"
    counter_at(reg, "chung", 2026, 0)
    for name, numbered in CORPUS.items():
        doc = tmp_path / f"{name}.docx"
        doc.write_bytes(B.render(B.spec(name)))
        errors_before = sorted(f.rule_id for f in check_file(doc).findings if f.is_error)
        if not numbered:
            with pytest.raises(DrafterError):
                stamp.number_document(doc, register=reg, force=True)
            continue
        with Register.open(reg) as book:
            counter = book.last_number(series="chung", year=2026)
        done = stamp.number_document(doc, register=reg, force=True, ngay=dt.date(2026, 3, 5))
        assert done.entry.so == counter + 1 and done.old_number
        assert read_document(doc).number == f"{counter + 1:02d}" and read_document(doc).date == dt.date(2026, 3, 5)
        assert done.entry.nguoi_ky and done.entry.ban_luu[0] == "VT" and done.entry.noi_nhan
        assert sorted(f.rule_id for f in check_file(doc).findings if f.is_error) == errors_before
