"""What validation says once per batch still sees each row's own values.

validation.check keeps, for the parts a batch row shares with the loaded draft (the
same objects: rows are copies on write), what it found there: containers scanned
clean (XML characters, scaffold placeholders), the typed sub-models (model.parse),
the rules' problems of the signer and the issuer. A row that changes one of those
values has a copy of its own: here every such row gets its problem at its cell, and
the good row after it none.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from drafter import api, batch, model, validation
from drafter.inputs import rows as row_tpl
from drafter.inputs.yamlfile import Loaded

DRAFT = """\
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí cho {{ hang.ten }}
kinh_gui: Ủy ban nhân dân {{ hang.ten }}
noi_dung: |
  Tổng kinh phí: {{ phu_luc[0].tong.kinh_phi }} triệu đồng ({{ phu_luc[0].tong.kinh_phi.chu }}), chi tiết tại Phụ lục kèm theo.
noi_nhan: [Như trên]
luu: [VT, KT]
tuy_chon: {doc_so_linh: linh}
ky: {tm: ỦY BAN NHÂN DÂN, kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      dong:
        - {noi_dung: Đào tạo nghề, so_lieu: {kinh_phi: 3}}
        - {noi_dung: Tập huấn, so_lieu: {kinh_phi: "{{ hang.a }}"}}
      tong_cong: true
      bang_chu: kinh_phi
"""

COLUMNS = ["ten", "a", "so", "ky.ho_ten", "ky.chuc_vu", "co_quan.ten", "tuy_chon.doc_so_linh"]
# Each bad row between good ones: (row values, what its outcome must say or None).
ROWS = [
    ({"ten": "Xã Cẩm Xuyên", "a": "120"}, None),
    ({"ten": "Xã Kỳ Anh", "a": "121", "ky.ho_ten": "TS. Trần Văn B"},
     ("error", "cột «ky.ho_ten» (ô D3)", "học hàm, học vị")),
    ({"ten": "Xã Thạch Hà", "a": "122"}, None),
    ({"ten": "Xã Can Lộc", "a": "123", "so": "12a"}, ("error", "cột «so» (ô C5)", "'12a'")),
    ({"ten": "Xã Đức Thọ", "a": "124"}, None),
    ({"ten": "Xã Hương Sơn", "a": "125", "ky.chuc_vu": "CHỦ TỊCH"},
     ("error", "cột «ky.chuc_vu» (ô E7)", "Ký thay (KT.) chỉ dành cho cấp phó")),
    ({"ten": "Xã Nghi Xuân", "a": "126", "co_quan.ten": "ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN"},
     ("warning", "cột «co_quan.ten» (ô F8)", "đơn vị cấp huyện")),
    ({"ten": "Xã Vũ\ufffeQuang", "a": "127"}, ("warning", "cột «ten» (ô A9)", "U+FFFE")),
    ({"ten": "Xã Lộc Hà", "a": "128", "ky.ho_ten": "Họ và tên người ký"},
     ("warning", "cột «ky.ho_ten» (ô D10)", "Chữ mẫu của drafter new")),
    ({"ten": "Xã Hồng Lĩnh", "a": "129"}, None),
    ({"ten": "Xã Mới", "a": "130", "tuy_chon.doc_so_linh": "lẽo"},
     ("error", "cột «tuy_chon.doc_so_linh» (ô G12)", "'lẽo'")),
    ({"ten": "Xã Cuối", "a": "131"}, None),
]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memo")
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    with (folder / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(values for values, _ in ROWS)
    result = batch.run(folder / "draft.yaml", folder / "data.csv", folder / "out", name="{a}")
    return folder, {o.row: o for o in result.outcomes}


def test_each_row_is_checked_on_its_own_values(made):
    _, by_row = made
    for number, (values, said) in enumerate(ROWS, start=2):
        outcome = by_row[number]
        if said is None:
            assert (outcome.status, outcome.notes) == ("ok", []), (number, outcome.message, outcome.notes)
            continue
        severity, place, words = said
        assert outcome.status == ("loi" if severity == "error" else "ok"), (number, outcome.message)
        found = [n for n in outcome.notes if n[0] == severity]
        assert [n[1] for n in found] == [place], (number, outcome.notes)
        assert words in found[0][2], (number, found)


def test_each_document_quotes_its_own_total(made):
    folder, by_row = made
    for number, (values, said) in enumerate(ROWS, start=2):
        if by_row[number].status != "ok":
            continue
        with zipfile.ZipFile(folder / "out" / by_row[number].file) as z:
            text = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())
        assert f"Tổng kinh phí: {3 + int(values['a'])} triệu đồng" in text, number


def _rows(tmp_path: Path, rows: list[dict]) -> tuple[Loaded, list[Loaded]]:
    """The loaded draft and each row's, as a batch makes them (copy on write)."""
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    loaded = api.load(tmp_path / "draft.yaml")
    columns = sorted({c for r in rows for c in r})
    tpl = row_tpl.RowTemplate(loaded.data, columns, set(model.Draft.model_fields))
    return loaded, [Loaded(loaded.file, tpl.apply({c: r.get(c, "") for c in columns}), loaded.origins, [])
                    for r in rows]


def test_rows_share_the_typed_parts_they_do_not_change(tmp_path):
    _, (first, second, changed, after) = _rows(tmp_path, [
        {"ten": "Xã A", "a": "1"}, {"ten": "Xã B", "a": "2"},
        {"ten": "Xã C", "a": "3", "ky.chuc_vu": "PHÓ GIÁM ĐỐC"}, {"ten": "Xã D", "a": "4"}])
    drafts = [validation.validate(r).draft for r in (first, second, changed, after)]
    assert drafts[1].co_quan is drafts[0].co_quan and drafts[1].ky is drafts[0].ky
    # A row that changes the signer has its own, typed from its own values.
    assert drafts[2].ky is not drafts[0].ky and drafts[2].ky.chuc_vu == "PHÓ GIÁM ĐỐC"
    assert drafts[2].co_quan is drafts[0].co_quan
    assert drafts[3].ky is drafts[0].ky and drafts[3].ky.chuc_vu == "PHÓ CHỦ TỊCH"
    # Each the same as typing the row alone.
    for row, draft in zip((first, second, changed, after), drafts):
        assert draft == model.Draft.model_validate(row.data)


def test_a_row_is_typed_by_its_changed_keys_as_a_whole_parse_types_it(tmp_path):
    # model.parse types only the keys a row changes (each by its own field's
    # validator) and takes the rest from the draft before: the same draft as typing
    # the row alone, the same errors when a changed value is refused, and the next
    # good row typed again from the last accepted one.
    rows = [{"ten": "Xã A", "a": "1"}, {"ten": "  Xã B  ", "a": "2", "so": "13"},
            {"ten": "Xã E", "a": "5", "ngay": "20/01/2026"}, {"ten": "Xã C", "a": "3", "so": "12a"},
            {"ten": "Xã D", "a": "4", "ngay": "31/02/2026"}, {"ten": "Xã F", "a": "6", "do_khan": "khẩn"},
            {"ten": "Xã G", "a": "7", "do_khan": "gấp"}, {"ten": "Xã H", "a": "8"}]
    _, loaded = _rows(tmp_path, rows)
    typed_by_delta = []
    real = model._delta
    try:
        model._delta = lambda *a: typed_by_delta.append(real(*a)) or typed_by_delta[-1]
        got = [model.parse(r) for r in loaded]
    finally:
        model._delta = real
    for r, (draft, problems) in zip(loaded, got):
        model._PARSED_LAST[:] = [None, None, None]  # the row alone: the whole draft typed
        alone, alone_problems = model.parse(r)
        assert draft == alone and [(p.key, p.message, p.position) for p in problems] == \
            [(p.key, p.message, p.position) for p in alone_problems]
        if draft is not None:
            assert draft.model_fields_set == alone.model_fields_set
    said = [[p.key for p in problems] for _, problems in got]
    assert said == [[], [], [], ["so"], ["ngay"], [], ["do_khan"], []]
    assert got[1][0].kinh_gui == "Ủy ban nhân dân   Xã B" and got[1][0].so == 13
    assert got[2][0].ngay.isoformat() == "2026-01-20" and got[2][0].so == 12
    assert got[5][0].do_khan == "Khẩn"
    # Typed by their changes (a refused value, a row after a refused one, a key added:
    # typed whole), the rest shared.
    assert [d is not None for d in typed_by_delta] == [False, True, True, False, False, False, False, False]
    assert got[1][0].noi_nhan is got[0][0].noi_nhan and got[1][0].ky is got[0][0].ky


def test_a_row_changing_a_shared_part_gets_its_error_at_the_key(tmp_path):
    _, (good, bad, good_again) = _rows(tmp_path, [
        {"ten": "Xã A", "a": "1"}, {"ten": "Xã B", "a": "2", "tuy_chon.doc_so_linh": "lẽo"}, {"ten": "Xã C", "a": "3"}])
    assert validation.check(good)[0] is not None
    valid, problems = validation.check(bad)
    assert valid is None
    [error] = [p for p in problems if p.severity == "error"]
    assert error.key == "tuy_chon.doc_so_linh" and "'lẽo'" in error.message
    # At the draft's own place of the key the row changed (line 12, `tuy_chon: {doc_so_linh: linh}`).
    assert (Path(error.position.file).name, error.position.line, error.position.column) == ("draft.yaml", 12, 12)
    assert validation.check(good_again)[0] is not None


def test_a_row_with_a_placeholder_or_a_bad_character_is_warned_and_the_next_is_not(tmp_path):
    _, rows = _rows(tmp_path, [
        {"ten": "Xã A", "a": "1"}, {"ten": "Xã B", "a": "2"},  # the second walk keeps the shared parts
        {"ten": "Xã C", "a": "3", "ky.ho_ten": "Họ và tên người ký"}, {"ten": "Xã D", "a": "4"},
        {"ten": "Xã\ufffe E", "a": "5"}, {"ten": "Xã F", "a": "6"}])
    said = [[p.key for p in validation.check(r)[1]] for r in rows]
    assert said == [[], [], ["ky.ho_ten"], [], ["trich_yeu", "kinh_gui"], []]


def test_a_rows_own_containers_are_not_kept(tmp_path):
    # What the memos keep is the last row's (its mapping, each step's values and
    # result) and the typed parts the rows share: the copies each row makes (its
    # table rows, its top mapping) are forgotten with the next row, so a long batch
    # keeps no more than a short one.
    _, rows = _rows(tmp_path, [{"ten": f"Xã {i}", "a": str(i)} for i in range(1, 201)])
    for r in rows[:20]:
        validation.check(r)
    kept = len(validation._Last.steps), len(validation._LEFT_LAST[1]), len(model._TYPED)
    for r in rows[20:]:
        validation.check(r)
    assert (len(validation._Last.steps), len(validation._LEFT_LAST[1]), len(model._TYPED)) == kept
    last = rows[-1].data
    assert validation._XML_LAST[0] is last and validation._LEFT_LAST[0] is last and validation._Last.data is last
    # The typed appendix of the last row only (its table is the row's own).
    assert [key[0] for key in model._TYPED_LAST] == ["phu_luc"]


def test_a_signer_name_from_an_empty_cell_is_an_error_at_that_cell_only(tmp_path):
    # The signer's name from the row itself: a row whose cell is empty has no name
    # (said once, at its cell), the rows around it sign as usual.
    (tmp_path / "draft.yaml").write_text(DRAFT.replace("ho_ten: Dương Tất Thắng", 'ho_ten: "{{ hang.nguoi_ky }}"'),
                                         encoding="utf-8")
    with (tmp_path / "data.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerows([["ten", "a", "nguoi_ky"], ["Xã A", "1", "Trần Văn An"], ["Xã B", "2", ""],
                     ["Xã C", "3", "Lê Thị Bình"]])
    result = batch.run(tmp_path / "draft.yaml", tmp_path / "data.csv", tmp_path / "out", name="{a}")
    by_row = {o.row: o for o in result.outcomes}
    assert [by_row[n].status for n in (2, 3, 4)] == ["ok", "loi", "ok"]
    errors = [n for n in by_row[3].notes if n[0] == "error"]
    assert len(errors) == 1 and "ho_ten" in errors[0][2] and "nguoi_ky" in errors[0][1], by_row[3].notes
    assert by_row[2].notes == by_row[4].notes == []


def test_a_step_reused_from_the_row_before_still_sees_a_changed_value(tmp_path):
    # Each step of the check is reused from the row before only while the keys it
    # reads hold the same objects: a row that changes one (through a column or a
    # cell in a text) gets that value's problem at its key, the next good row none.
    draft = DRAFT.replace("noi_nhan: [Như trên]", "noi_nhan: [Như trên]\nso_ky_hieu: \"{{ hang.skh }}\"").replace(
        "({{ phu_luc[0].tong.kinh_phi.chu }})", "({{ phu_luc[0].tong.kinh_phi.chu }}) {{ hang.ref }}")
    (tmp_path / "draft.yaml").write_text(draft, encoding="utf-8")
    loaded = api.load(tmp_path / "draft.yaml")
    columns = ["ten", "a", "skh", "ref", "trich_yeu", "ky.ho_ten", "luu"]
    tpl = row_tpl.RowTemplate(loaded.data, columns, set(model.Draft.model_fields))
    good = {"ten": "Xã A", "a": "1", "skh": "12/UBND-KT", "ref": ""}
    rows = [
        (good, []),
        (dict(good, ten="Xã B"), []),
        (dict(good, ten="Xã\x07C"), ["kinh_gui", "trich_yeu"]),  # a control character
        (dict(good, ten="Xã D"), []),
        (dict(good, skh="12 UBND"), ["so_ky_hieu"]),  # a số ký hiệu typed wrong
        (dict(good, ten="Xã E"), []),
        (dict(good, trich_yeu=" "), ["trich_yeu"]),  # a required key emptied by its column
        (dict(good, ten="Xã F"), []),
        (dict(good, **{"ky.ho_ten": "Họ và tên người ký"}), ["ky.ho_ten"]),  # left as drafter new writes it
        (dict(good, ten="Xã G"), []),
        (dict(good, ref="{{ phu_luc[3].tong }}"), []),  # a cell's braces stay text: no reference
        (dict(good, ten="Xã H"), []),
        (dict(good, luu="VT\nKT\nPhòng KT"), ["luu[2]"]),  # a unit twice after "Lưu:"
        (dict(good, ten="Xã I"), []),
    ]
    for values, keys in rows:
        row = Loaded(loaded.file, tpl.apply({c: values.get(c, "") for c in columns}), loaded.origins, [])
        valid, problems = validation.check(row)
        alone = validation.check(Loaded(loaded.file, _fresh(row.data), loaded.origins, []))[1]
        assert [(p.key, p.message, p.position) for p in problems] == \
            [(p.key, p.message, p.position) for p in alone], values
        found = sorted({p.key for p in problems})
        assert found == sorted(keys), (values, [(p.key, p.message) for p in problems])


def _fresh(value):
    """A deep copy: no container shared with any row checked before."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value



def _put(value, base):
    """The texts a row put into its copy of `base` (what rows.apply hands over as
    Loaded.made): every str inside a value that is not `base`'s own object there."""
    if value is base:
        return []
    if isinstance(value, dict) and isinstance(base, dict):
        return [t for k, v in value.items() for t in _put(v, base.get(k))]
    if isinstance(value, list) and isinstance(base, list) and len(value) == len(base):
        return [t for v, w in zip(value, base) for t in _put(v, w)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, (dict, list)):
        return [t for v in (value.values() if isinstance(value, dict) else value) for t in _put(v, None)]
    return []


@pytest.mark.parametrize("bad_draft", [False, True])
def test_a_row_made_from_the_draft_is_scanned_by_the_texts_it_put_in(tmp_path, bad_draft):
    # A batch row may say what it put into its copy of the draft (Loaded.made): the
    # XML-character check then scans those texts (the draft's own once per batch), and
    # says the same as the whole walk: a control character in a cell at its keys,
    # nothing for the next good row, and a character in the draft itself every row.
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    loaded = api.load(tmp_path / "draft.yaml")
    if bad_draft:  # as a preset's text could bring it (the YAML reader refuses it in a file)
        loaded.data["noi_nhan"] = ["Như\ufffetrên"]
    columns = ["ten", "a", "ky.ho_ten"]
    tpl = row_tpl.RowTemplate(loaded.data, columns, set(model.Draft.model_fields))
    rows = [({"ten": "Xã A", "a": "1"}, []), ({"ten": "Xã B", "a": "2"}, []),
            ({"ten": "Xã\x07C", "a": "3"}, ["kinh_gui", "trich_yeu"]), ({"ten": "Xã D", "a": "4"}, []),
            ({"ten": "Xã E", "a": "5", "ky.ho_ten": "Trần\ufffeVăn"}, ["ky.ho_ten"]), ({"ten": "Xã F", "a": "6"}, []),
            ({"ten": "Xã G", "a": "1\x0b2"}, ["phu_luc[0].bang.dong[1].so_lieu.kinh_phi"]),
            ({"ten": "Xã H", "a": "8"}, [])]
    scans = []
    real = validation._gather
    try:
        validation._gather = lambda *a: scans.append(a[0]) or real(*a)
        for values, keys in rows:
            data = tpl.apply({c: values.get(c, "") for c in columns})
            row = Loaded(loaded.file, data, loaded.origins, [], made=(tpl.data, tuple(_put(data, tpl.data))))
            problems = validation.check(row)[1]
            walked = any(s is data for s in scans)
            alone = validation.check(Loaded(loaded.file, _fresh(data), loaded.origins, []))[1]
            assert [(p.key, p.message, p.position) for p in problems] == \
                [(p.key, p.message, p.position) for p in alone], values
            xml = sorted({p.key for p in problems if "U+" in p.message})
            assert xml == sorted(keys + (["noi_nhan[0]"] if bad_draft else [])), (values, problems)
            # A good row of a clean draft is not walked (its texts said enough).
            assert walked == bool(keys or bad_draft), values
    finally:
        validation._gather = real
