"""Presets that office staff edit themselves: the search path and the `drafter presets`
commands, merging, errors people can act on, text hygiene, the built-in presets, the
2025 district-level warning, and drafts that keep their comments."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from conftest import REPO
from drafter import api, newdraft, resources, units
from drafter.cli import main
from drafter.errors import DrafterError, WARNING
from drafter import preset_check
from drafter.inputs import presets, yamlfile
from drafter.rules import doctypes, reform2025, text as text_rules

BUILTINS = sorted(p.stem for p in resources.presets_dir().glob("*.yaml"))
EXISTING = ["demo", "ubnd-tinh-ha-tinh", "ubnd-tinh-quang-ngai", "ubnd-tinh-vinh-long",
            "ubnd-tinh-hung-yen", "bo-cong-thuong"]
COMMUNE = "ubnd-xa-tien-dien"
DEPARTMENT = "so-tai-chinh-ha-tinh"
GROUPS = ["nhan-lanh-dao-tinh", "nhan-so-nganh", "nhan-lanh-dao-xa"]

# A draft that needs only an issuer and a signer from its presets.
DRAFT = """\
loai: cong-van
dung: [{dung}]
so: 12
don_vi_soan: VP
ngay: 2025-08-15
trich_yeu: tổ chức Tết Trung thu cho thiếu nhi
kinh_gui: Các thôn, tổ dân phố
noi_dung: |
  Nội dung.
"""

AGENCY = """\
# Cơ quan thử
co_quan:
  ten: [ỦY BAN NHÂN DÂN, XÃ THỬ]
  viet_tat: UBND
  dia_danh: Thử
ky:
  tm: ỦY BAN NHÂN DÂN
  chuc_vu: CHỦ TỊCH
  ho_ten: Nguyễn Văn A
"""

ENGLISH = ("expected", "found", "not allowed", "mapping", "token", "stream", "scalar")


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run `drafter …` in tmp_path (the current folder), as a person would."""
    monkeypatch.chdir(tmp_path)

    def _run(*args: str):
        return CliRunner().invoke(main, list(args))

    return _run


def draft(write, dung: str, extra: str = "", name: str = "draft.yaml") -> Path:
    return write(name, DRAFT.format(dung=dung) + textwrap.dedent(extra))


def noi_nhan(prepared) -> list[str]:
    return list(prepared.document.signing.noi_nhan)


# --- the search path and `drafter presets` ------------------------------------------


def test_search_path_order(tmp_path, monkeypatch):
    labels = [s.label for s in presets.search_path(tmp_path)]
    assert labels == ["cạnh bản thảo", "của người dùng", "có sẵn"]
    assert presets.search_path(tmp_path)[0].folder == tmp_path / "presets"
    monkeypatch.setenv("DRAFTER_USER_DIR", str(tmp_path / "u"))
    assert presets.user_folder() == tmp_path / "u" / "presets"


def test_list_names_sources_descriptions_and_shadows(cli, write):
    user = presets.user_folder()
    user.mkdir(parents=True)
    (user / "cua-toi.yaml").write_text("# Mẫu của tôi\nluu: [VT]\n", encoding="utf-8")
    (user / "demo.yaml").write_text("# Demo của người dùng\nluu: [VT]\n", encoding="utf-8")
    write(f"presets/{COMMUNE}.yaml", AGENCY)
    write("presets/demo.yml", "# Demo cạnh bản thảo\nluu: [VT]\n")

    r = cli("presets", "--json")
    assert r.exit_code == 0, r.output
    rows = {row["name"]: row for row in json.loads(r.output)}
    assert set(BUILTINS) <= set(rows) and "cua-toi" in rows

    assert rows["cua-toi"]["source"] == "của người dùng"
    assert rows["cua-toi"]["description"] == "Mẫu của tôi"
    assert rows["cua-toi"]["shadows"] == []

    demo = rows["demo"]
    assert (demo["source"], demo["path"], demo["description"]) == (
        "cạnh bản thảo", os.path.join("presets", "demo.yml"), "Demo cạnh bản thảo")
    assert [s["source"] for s in demo["shadows"]] == ["của người dùng", "có sẵn"]
    assert demo["shadows"][1]["path"] == str(resources.presets_dir() / "demo.yaml")

    commune = rows[COMMUNE]
    assert commune["source"] == "cạnh bản thảo" and commune["description"] == "Cơ quan thử"
    assert [s["source"] for s in commune["shadows"]] == ["có sẵn"]

    builtin = rows["bo-cong-thuong"]
    assert (builtin["source"], builtin["description"], builtin["shadows"]) == ("có sẵn", "Bộ Công Thương", [])

    text = cli("presets")
    assert text.exit_code == 0
    assert "che mẫu cùng tên (có sẵn)" in text.output
    line = next(ln for ln in text.output.splitlines() if ln.startswith(COMMUNE))
    assert "cạnh bản thảo" in line and "Cơ quan thử" in line


def test_list_from_the_source_tree_does_not_shadow_itself(monkeypatch):
    # Run from the repository top, ./presets *is* the built-in folder.
    monkeypatch.chdir(REPO)
    rows = json.loads(CliRunner().invoke(main, ["presets", "--json"]).output)
    assert all(r["shadows"] == [] for r in rows)
    assert {r["source"] for r in rows} == {"có sẵn"}


def test_presets_appear_in_help(cli):
    assert "presets" in cli("--help").output
    r = cli("presets", "--help")
    assert r.exit_code == 0
    for sub in ("show", "check", "copy"):
        assert sub in r.output


def test_module_imports_fast():
    code = (
        "import sys, drafter.cli.presets, drafter.inputs.preset_files\n"
        "heavy = [m for m in ('pydantic', 'ruamel.yaml', 'docxtpl', 'lxml', 'openpyxl', 'drafter.model')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_show_prints_merged_yaml_with_origin_comments(cli, write):
    write("presets/co-quan.yaml", AGENCY + "luu: [VT]\n")
    write("presets/nguoi-ky.yaml", """\
        # Phó Chủ tịch ký thay
        dung: [co-quan]
        ky:
          kt: CHỦ TỊCH
          chuc_vu: PHÓ CHỦ TỊCH
          ho_ten: Trần Thị B
        noi_nhan: [..., Chủ tịch UBND xã]
        """)
    write("presets/co-quan.yaml", AGENCY + "luu: [VT]\nnoi_nhan: [Thường trực Đảng ủy xã]\n")
    r = cli("presets", "show", "nguoi-ky")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "# Đã gộp: co-quan" in out
    co_quan = os.path.join("presets", "co-quan.yaml")
    nguoi_ky = os.path.join("presets", "nguoi-ky.yaml")
    assert f"# co_quan: từ {co_quan}\n" in out
    assert f"# ky: từ {nguoi_ky}, {co_quan}\n" in out  # tm comes from co-quan.yaml
    assert f"# noi_nhan: từ {nguoi_ky}, {co_quan}\n" in out
    assert f"# luu: từ {co_quan}\n" in out
    data = YAML(typ="safe").load(out)
    assert "dung" not in data
    assert data["ky"] == {"tm": "ỦY BAN NHÂN DÂN", "kt": "CHỦ TỊCH", "chuc_vu": "PHÓ CHỦ TỊCH",
                          "ho_ten": "Trần Thị B"}
    assert data["noi_nhan"] == ["Thường trực Đảng ủy xã", "Chủ tịch UBND xã"]
    assert data["co_quan"]["ten"] == ["ỦY BAN NHÂN DÂN", "XÃ THỬ"]


def test_show_keeps_multiline_text_and_colons(cli, write):
    write("presets/van-ban.yaml", """\
        trich_yeu: "Kế hoạch: năm 2026"
        noi_dung: |
          Dòng một.
          Dòng hai: có dấu hai chấm.
        """)
    r = cli("presets", "show", "van-ban")
    assert r.exit_code == 0, r.output
    data = YAML(typ="safe").load(r.output)
    assert data == {"trich_yeu": "Kế hoạch: năm 2026",
                    "noi_dung": "Dòng một.\nDòng hai: có dấu hai chấm.\n"}
    assert "noi_dung: |" in r.output


def test_show_builtin_and_unknown_name(cli):
    r = cli("presets", "show", COMMUNE)
    assert r.exit_code == 0 and "XÃ TIÊN ĐIỀN" in r.output
    r = cli("presets", "show", "ubnd-xa-tien-dein")
    assert r.exit_code == 1
    assert "Không tìm thấy mẫu 'ubnd-xa-tien-dein'" in r.output and COMMUNE in r.output
    assert "Traceback" not in r.output


def test_check_all_visible_presets_are_fine(cli):
    r = cli("presets", "check")
    assert r.exit_code == 0, r.output
    assert f"Đã kiểm tra {len(BUILTINS)} tệp mẫu: không có lỗi." in r.output


def test_check_ignores_missing_keys_of_a_partial_draft(cli, write):
    write("presets/chi-noi-nhan.yaml", "noi_nhan: [Sở Tài chính]\n")
    write("presets/chi-mot-nua.yaml", "co_quan:\n  ten: SỞ X\nky:\n  kt: GIÁM ĐỐC\n")
    r = cli("presets", "check", "presets")
    assert r.exit_code == 0, r.output
    assert "Đã kiểm tra 2 tệp mẫu: không có lỗi." in r.output


def test_check_reports_every_problem_of_every_file(cli, write):
    write("presets/a.yaml", """\
        # Nhiều lỗi một lúc
        co_quan:
          ten: SỞ X
          viet_tatt: SX
        ky:
          chuc_vuu: GIÁM ĐỐC
          ho_ten: [Nguyễn, Văn A]
        so: mười
        loai: cong-vn
        dung: [khong-co-mau-nay]
        """)
    write("presets/b.yaml", "ky:\n\tho_ten: A\n")
    write("presets/c.yaml", "noi_nhan:\n  - Các Sở: Tài chính, Xây dựng\n")
    write("presets/d.yaml", "luu: [VT]\n")
    r = cli("presets", "check", "presets")
    assert r.exit_code == 1
    a = os.path.join("presets", "a.yaml")
    for needle in (
        f"{a}:4:3: lỗi [co_quan.viet_tatt]", "'viet_tat'",
        f"{a}:6:3: lỗi [ky.chuc_vuu]", "'chuc_vu'",
        f"{a}:7:3: lỗi [ky.ho_ten]", "sai kiểu",
        f"{a}:8:1: lỗi [so]",
        f"{a}:9:1: lỗi [loai]",
        f"{a}:10:8: lỗi [dung[0]]", "khong-co-mau-nay",
        f"{os.path.join('presets', 'b.yaml')}:2:1: lỗi", "Tab",
        f"{os.path.join('presets', 'c.yaml')}:2:5: lỗi [noi_nhan[0]]", "ngoặc kép",
        "Đã kiểm tra 4 tệp mẫu: 8 lỗi.",
    ):
        assert needle in r.output, (needle, r.output)
    # By file, then by line.
    lines = [ln for ln in r.output.splitlines() if ln.startswith(a)]
    assert [int(ln.split(":")[1]) for ln in lines] == [4, 6, 7, 8, 9, 10]


def test_check_json_and_single_file(cli, write):
    write("presets/a.yaml", "ky:\n  chuc_vuu: X\n")
    r = cli("presets", "check", "presets/a.yaml", "--json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["ok"] is False and data["files"] == ["presets/a.yaml"]
    (p,) = data["problems"]
    assert (p["line"], p["column"], p["key"], p["hint"]) == (2, 3, "ky.chuc_vuu", "Có phải ý bạn là 'chuc_vu'?")


def test_check_missing_path(cli):
    r = cli("presets", "check", "khong-co.yaml")
    assert r.exit_code == 1 and "khong-co.yaml" in r.output and "Không tìm thấy" in r.output


def test_check_warns_but_passes_on_legacy_text(cli, write):
    write("presets/cu.yaml", "noi_nhan:\n  - \"H\u00ad\u00edng d\u00c9n c\u00abng t\u00b8c\"\n")
    r = cli("presets", "check", "presets")
    assert r.exit_code == 0, r.output
    assert "cảnh báo" in r.output and "TCVN3" in r.output and "1 cảnh báo" in r.output


def test_copy_builtin_for_editing(cli, tmp_path):
    r = cli("presets", "copy", COMMUNE, "ubnd-xa-cua-toi")
    assert r.exit_code == 0, r.output
    target = tmp_path / "presets" / "ubnd-xa-cua-toi.yaml"
    assert target.read_bytes() == (resources.presets_dir() / f"{COMMUNE}.yaml").read_bytes()
    assert "dung: [ubnd-xa-cua-toi]" in r.output
    # Never overwrites without --force.
    target.write_text("# đã sửa\nluu: [VT]\n", encoding="utf-8")
    r = cli("presets", "copy", COMMUNE, "ubnd-xa-cua-toi")
    assert r.exit_code == 1 and "--force" in r.output
    assert target.read_text(encoding="utf-8") == "# đã sửa\nluu: [VT]\n"
    r = cli("presets", "copy", COMMUNE, "ubnd-xa-cua-toi", "--force")
    assert r.exit_code == 0 and "XÃ TIÊN ĐIỀN" in target.read_text(encoding="utf-8")


def test_copy_same_name_shadows_builtin(cli, tmp_path):
    r = cli("presets", "copy", COMMUNE)
    assert r.exit_code == 0, r.output
    assert "thay cho mẫu có sẵn cùng tên" in r.output
    assert presets.find(COMMUNE, tmp_path) == tmp_path / "presets" / f"{COMMUNE}.yaml"
    # Copying again with --force takes the built-in, not the copy itself.
    (tmp_path / "presets" / f"{COMMUNE}.yaml").write_text("luu: [VT]\n", encoding="utf-8")
    assert cli("presets", "copy", COMMUNE, "--force").exit_code == 0
    assert "XÃ TIÊN ĐIỀN" in (tmp_path / "presets" / f"{COMMUNE}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args,needle", [
    (["copy", "ubnd-xa-tien-dein"], COMMUNE),
    (["copy", COMMUNE, "../ra-ngoai"], "không hợp lệ"),
    (["copy", COMMUNE, "a/b"], "không hợp lệ"),
])
def test_copy_refuses_bad_names(cli, tmp_path, args, needle):
    r = cli("presets", *args)
    assert r.exit_code == 1 and needle in r.output and "Traceback" not in r.output
    assert not (tmp_path / "presets").exists() or not any((tmp_path / "presets").iterdir())


# --- merging --------------------------------------------------------------------------


def test_preset_using_another_preset(write):
    write("presets/co-quan.yaml", AGENCY)
    write("presets/pho-chu-tich.yaml", """\
        dung: co-quan
        ky:
          kt: CHỦ TỊCH
          chuc_vu: PHÓ CHỦ TỊCH
          ho_ten: Trần Thị B
        """)
    p = api.prepare(draft(write, "pho-chu-tich"))
    assert p.document.header.co_quan == ("ỦY BAN NHÂN DÂN", "XÃ THỬ")
    assert p.document.signing.authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert p.document.signing.name == "Trần Thị B"


def test_three_file_cycle_names_every_file(cli, write):
    write("presets/mot.yaml", "dung: [hai]\n")
    write("presets/hai.yaml", "dung: [ba]\n")
    write("presets/ba.yaml", "dung: [mot]\nluu: [VT]\n")
    draft(write, "mot")
    r = cli("render", "draft.yaml")
    assert r.exit_code == 1
    assert "thành vòng" in r.output
    for name in ("mot.yaml", "hai.yaml", "ba.yaml"):
        assert name in r.output
    # The error points at the `dung` line that closes the loop.
    assert f"{os.path.join('presets', 'ba.yaml')}:1:8" in r.output


def test_preset_naming_itself(write):
    write("presets/tu-than.yaml", "dung: [tu-than]\n")
    with pytest.raises(DrafterError) as e:
        api.prepare(draft(write, "tu-than"))  # loading goes on; validation refuses
    assert "thành vòng" in str(e.value) and "tu-than.yaml" in str(e.value)


@pytest.mark.parametrize("items,expected", [
    ("[..., Sở Tài chính]", ["A", "B", "Sở Tài chính"]),
    ("[Như trên, ...]", ["Như trên", "A", "B"]),
    ("[Như trên, ..., Sở Tài chính]", ["Như trên", "A", "B", "Sở Tài chính"]),
    ("[Sở Tài chính]", ["Sở Tài chính"]),  # no `...`: the draft's list replaces the preset's
    ("\n  - Như trên\n  - ...\n  - Sở Tài chính", ["Như trên", "A", "B", "Sở Tài chính"]),
])
def test_list_extension(write, items, expected):
    write("presets/co-quan.yaml", AGENCY + "noi_nhan: [A, B]\n")
    p = api.prepare(draft(write, "co-quan", f"noi_nhan: {items}\n"))
    assert p.draft.noi_nhan == expected
    # A công văn's Nơi nhận starts with "Như trên" whether typed or not.
    lines = ["Như trên", *[x for x in expected if x != "Như trên"]]
    assert noi_nhan(p) == [f"- {x};" for x in lines] + ["- Lưu: VT, VP."]


def test_list_extension_positions_follow_the_items(write):
    write("presets/co-quan.yaml", AGENCY + "noi_nhan: [A, B]\n")
    path = draft(write, "co-quan", "noi_nhan: [X, ..., Y]\n")
    loaded = api.load(path)
    assert loaded.data["noi_nhan"] == ["X", "A", "B", "Y"]
    files = [Path(loaded.position(("noi_nhan", i)).file).name for i in range(4)]
    assert files == ["draft.yaml", "co-quan.yaml", "co-quan.yaml", "draft.yaml"]


def test_nested_mappings_merge_key_by_key(write):
    write("presets/co-quan.yaml", AGENCY)
    p = api.prepare(draft(write, "co-quan", """\
        co_quan:
          dia_danh: Nghi Xuân
        ky:
          ho_ten: Lê Văn C
        """))
    assert p.draft.co_quan.ten == ["ỦY BAN NHÂN DÂN", "XÃ THỬ"]  # from the preset
    assert p.draft.co_quan.viet_tat == "UBND"
    assert p.document.header.date_line.startswith("Nghi Xuân, ngày 15")
    assert p.document.signing.authority == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert p.document.signing.name == "Lê Văn C"


def test_draft_overrides_preset_scalars(write):
    write("presets/co-quan.yaml", AGENCY + "luu: [VT]\ndon_vi_soan: TP\n")
    p = api.prepare(draft(write, "co-quan", "co_quan:\n  viet_tat: UBNDX\n"))
    # don_vi_soan: VP in the draft wins over TP in the preset.
    assert p.document.header.so_ky_hieu == "Số: 12/UBNDX-VP"


def test_draft_can_cancel_an_inherited_key(write):
    # A deputy's preset, a draft signed by the chair himself: an empty `kt:` removes KT.
    write("presets/co-quan.yaml", AGENCY.replace("  chuc_vu: CHỦ TỊCH", "  kt: CHỦ TỊCH\n  chuc_vu: PHÓ CHỦ TỊCH"))
    p = api.prepare(draft(write, "co-quan", "ky:\n  kt:\n  chuc_vu: CHỦ TỊCH\n  ho_ten: D\n"))
    assert p.document.signing.authority == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_later_preset_wins(write):
    write("presets/mot.yaml", AGENCY + "luu: [VT, A]\n")
    write("presets/hai.yaml", "luu: [VT, B]\n")
    p = api.prepare(draft(write, "mot, hai"))
    assert p.draft.luu == ["VT", "B"]
    assert p.draft.co_quan.ten == ["ỦY BAN NHÂN DÂN", "XÃ THỬ"]


def test_a_group_extends_another_through_its_own_dung(write):
    write("presets/nhan-cac-thon.yaml", "dung: [nhan-lanh-dao-xa]\nnoi_nhan: [..., Trưởng các thôn]\n")
    p = api.prepare(draft(write, f"{COMMUNE}, nhan-cac-thon", "noi_nhan: [Như trên, ...]\n"))
    group = yamlfile.load(resources.presets_dir() / "nhan-lanh-dao-xa.yaml").data["noi_nhan"]
    assert p.draft.noi_nhan == ["Như trên", *group, "Trưởng các thôn"]


def test_two_groups_in_one_dung_the_later_replaces(write):
    write("presets/g1.yaml", "noi_nhan: [A, B]\n")
    write("presets/g2.yaml", "noi_nhan: [C]\n")
    assert api.prepare(draft(write, f"{COMMUNE}, g1, g2")).draft.noi_nhan == ["C"]


def test_a_later_group_extends_an_earlier_one_with_dots(write):
    write("presets/g1.yaml", "noi_nhan: [A, B]\n")
    write("presets/g2.yaml", "noi_nhan: [..., C]\n")
    assert api.prepare(draft(write, f"{COMMUNE}, g1, g2")).draft.noi_nhan == ["A", "B", "C"]


def test_the_draft_dots_splice_everything_merged_from_its_dung(write):
    write("presets/g1.yaml", "noi_nhan: [A, B]\n")
    write("presets/g2.yaml", "noi_nhan: [..., C]\n")
    path = draft(write, f"{COMMUNE}, g1, g2", "noi_nhan: [Như trên, ..., D]\n")
    loaded = api.load(path)
    assert loaded.data["noi_nhan"] == ["Như trên", "A", "B", "C", "D"]
    files = [Path(loaded.position(("noi_nhan", i)).file).name for i in range(5)]
    assert files == ["draft.yaml", "g1.yaml", "g1.yaml", "g2.yaml", "draft.yaml"]


def test_a_presets_own_dung_is_expanded_in_place(write):
    # [g1, g2] where g2 uses x reads as g1, x, g2: each `...` splices what lies beneath.
    write("presets/g1.yaml", "noi_nhan: [A]\n")
    write("presets/x.yaml", "noi_nhan: [..., X]\n")
    write("presets/g2.yaml", "dung: [x]\nnoi_nhan: [..., C]\n")
    assert api.prepare(draft(write, f"{COMMUNE}, g1, g2")).draft.noi_nhan == ["A", "X", "C"]
    # Without `...`, x replaces g1's list and g2 extends x's.
    write("presets/x.yaml", "noi_nhan: [X]\n")
    assert api.prepare(draft(write, f"{COMMUNE}, g1, g2")).draft.noi_nhan == ["X", "C"]


def test_dots_with_nothing_beneath_are_dropped(cli, write):
    write("presets/g2.yaml", "# Nhóm\nnoi_nhan: [..., C]\n")
    assert api.prepare(draft(write, f"{COMMUNE}, g2")).draft.noi_nhan == ["C"]
    r = cli("presets", "show", "g2")
    assert r.exit_code == 0, r.output
    assert YAML(typ="safe").load(r.output) == {"noi_nhan": ["C"]}


def test_dots_extend_an_inherited_single_text(write):
    write("presets/g1.yaml", "kinh_gui: Các sở, ban, ngành\n")
    path = write("d.yaml", DRAFT.format(dung=f"{COMMUNE}, g1").replace(
        "kinh_gui: Các thôn, tổ dân phố", "kinh_gui: [..., Các thôn]"))
    loaded = api.load(path)
    assert loaded.data["kinh_gui"] == ["Các sở, ban, ngành", "Các thôn"]
    assert Path(loaded.position(("kinh_gui", 0)).file).name == "g1.yaml"
    assert loaded.position(("kinh_gui", 0)).line == 1


def test_error_from_a_preset_points_into_the_preset(cli, write):
    write("presets/co-quan.yaml", AGENCY.replace("  ho_ten: Nguyễn Văn A", "  ho_ten: [a, b]"))
    draft(write, "co-quan")
    r = cli("render", "draft.yaml")
    assert r.exit_code == 1
    assert f"{os.path.join('presets', 'co-quan.yaml')}:9:3: lỗi [ky.ho_ten]" in r.output


def test_search_order_beside_draft_then_user_then_builtin(write):
    user = presets.user_folder()
    user.mkdir(parents=True)
    (user / "demo.yaml").write_text(AGENCY.replace("XÃ THỬ", "XÃ NGƯỜI DÙNG"), encoding="utf-8")
    path = draft(write, "demo")
    assert api.prepare(path).document.header.co_quan[1] == "XÃ NGƯỜI DÙNG"
    write("presets/demo.yaml", AGENCY.replace("XÃ THỬ", "XÃ CẠNH BẢN THẢO"))
    assert api.prepare(path).document.header.co_quan[1] == "XÃ CẠNH BẢN THẢO"


# --- errors people can act on ---------------------------------------------------------

PRESET_ERRORS = [
    # id, preset text (or bytes), position, words in the render message, words in check
    ("malformed", "co_quan:\n  ten: [ỦY BAN NHÂN DÂN, XÃ THỬ\n  viet_tat: UBND\n",
     ":3:11", ["sai cú pháp"], ["thiếu dấu ']'"]),
    ("unknown-key", AGENCY.replace("  chuc_vu:", "  chuc_vuu:"),
     ":8:3", ["[ky.chuc_vuu]", "Có phải ý bạn là 'chuc_vu'?"], ["'chuc_vu'"]),
    ("wrong-type", AGENCY.replace("  viet_tat: UBND", "  viet_tat: [UBND, X]"),
     ":4:3", ["[co_quan.viet_tat]", "sai kiểu", "cần một đoạn văn bản"], ["sai kiểu"]),
    ("tab", "co_quan:\n\tten: SỞ X\n", ":2:1", ["Tab"], ["gặp ký tự Tab"]),
    ("duplicate", AGENCY + "co_quan:\n  ten: SỞ X\n", ":10:1", ["hai lần"], ["hai lần"]),
    ("colon-value", AGENCY + "trich_yeu: V/v: tổ chức hội nghị\n",
     ":10:15", ["ngoặc kép"], ["dấu ':' ở chỗ không được phép"]),
    ("colon-item", AGENCY + "noi_nhan:\n  - Các Sở: Tài chính, Xây dựng\n",
     ":11:5", ["[noi_nhan[0]]", "sai kiểu"], ["ngoặc kép"]),
    ("not-utf8", b"# Co quan (Latin-1)\nco_quan:\n  ten: S\xd4 C\xd4NG TH\xc6\xd4NG\n",
     ":3", ["UTF-8", "Notepad++"], ["UTF-8"]),
]


@pytest.mark.parametrize("case", PRESET_ERRORS, ids=[c[0] for c in PRESET_ERRORS])
def test_error_in_a_preset(cli, write, tmp_path, case):
    _, content, where, render_words, check_words = case
    preset = tmp_path / "presets" / "loi.yaml"
    preset.parent.mkdir()
    if isinstance(content, bytes):
        preset.write_bytes(content)
    else:
        preset.write_text(content, encoding="utf-8")
    draft(write, "loi")
    shown = os.path.join("presets", "loi.yaml") + where

    r = cli("render", "draft.yaml")
    assert r.exit_code == 1
    assert "Traceback" not in r.output and not (tmp_path / "draft.docx").exists()
    assert shown in r.output, r.output
    for w in render_words:
        assert w in r.output, (w, r.output)

    r = cli("presets", "check", "presets/loi.yaml")
    assert r.exit_code == 1
    assert shown in r.output and "lỗi" in r.output
    for w in check_words:
        assert w in r.output, (w, r.output)
    message = r.output.split(shown, 1)[1].split("\n")[0]
    assert not [w for w in ENGLISH if w in message.lower()], message  # said in Vietnamese


def test_markup_characters_from_a_preset_are_printed_as_typed(cli, write, tmp_path):
    # Not markup, not template code: `&`, `<`, `{{` reach the document as typed.
    write("presets/co-quan.yaml", AGENCY.replace("XÃ THỬ", "XÃ R&D <THỬ>")
          + 'noi_nhan: ["Ban {{ hang.ten }} & <Tổ> 100%"]\n')
    draft(write, "co-quan", "noi_nhan: [..., \"a < b && c > {% if %}\"]\n")
    r = cli("render", "draft.yaml")
    assert r.exit_code == 0, r.output
    from docx_view import DocView

    doc = DocView(tmp_path / "draft.docx")
    assert "XÃ R&D <THỬ>" in doc.texts()
    recipients = doc.cell_texts(doc.tables()[-1], 0, 0)
    assert "- Ban {{ hang.ten }} & <Tổ> 100%;" in recipients
    assert "- a < b && c > {% if %};" in recipients


def test_several_errors_in_one_preset_reported_together(cli, write, tmp_path):
    write("presets/loi.yaml", """\
        co_quan:
          ten: [ỦY BAN NHÂN DÂN, XÃ THỬ]
          viet_tatt: UBND
          dia_danh: Thử
        ky:
          tm: ỦY BAN NHÂN DÂN
          chuc_vuu: CHỦ TỊCH
          ho_ten: [Nguyễn, Văn A]
        luu: {VT: 1}
        """)
    draft(write, "loi")
    r = cli("render", "draft.yaml")
    assert r.exit_code == 1
    p = os.path.join("presets", "loi.yaml")
    for needle in (f"{p}:3:3: lỗi [co_quan.viet_tatt]", f"{p}:7:3: lỗi [ky.chuc_vuu]",
                   f"{p}:8:3: lỗi [ky.ho_ten]", f"{p}:9:1: lỗi [luu]", "Có "):
        assert needle in r.output, (needle, r.output)
    r = cli("presets", "check")
    assert r.exit_code == 1
    assert r.output.count(f"{p}:") >= 4


def test_syntax_messages_in_vietnamese():
    cases = {
        "a: [x\n": "thiếu dấu ']'",
        "a: {x\n": "thiếu dấu '}'",
        "a: 'x\n": "dấu nháy",
        "a:\n  b: 1\n c: 2\n": "thụt lề",
        "a: @x\n": "ký tự '@'",
        "a: *x\n": "ngoặc kép",
        "a: |\n b\nc\n": "thiếu dấu ':'",
    }
    for text, words in cases.items():
        with pytest.raises(DrafterError) as e:
            yamlfile.parse_text(text, "x.yaml")
        message = preset_check.vietnamese_syntax_message(e.value.problems[0].message)
        assert message.startswith("Tệp YAML viết sai cú pháp: ") and words in message, message
        assert not [w for w in ENGLISH if w in message.lower()], message
    assert preset_check.vietnamese_syntax_message("Khác.") == "Khác."


def test_validate_partial_directly(tmp_path):
    loaded = yamlfile.parse_text("ky:\n  chuc_vuu: X\nnoi_nhan: [A, ..., B]\n", "p.yaml")
    (problem,) = preset_check.validate_partial(loaded)
    assert (str(problem.position), problem.key) == ("p.yaml:2:3", "ky.chuc_vuu")
    assert preset_check.validate_partial(yamlfile.parse_text("loai: cong-van\n", "p.yaml")) == []
    # A complete công văn minus Kính gửi is still a fine preset: the draft gives it.
    full = yamlfile.parse_text(AGENCY + "loai: cong-van\ntrich_yeu: x\n", "p.yaml")
    assert preset_check.validate_partial(full) == []


# --- text hygiene -----------------------------------------------------------------------


def test_tcvn3_text_in_a_preset_is_converted_with_a_warning(write):
    legacy = "H\u00ad\u00edng d\u00c9n c\u00abng t\u00b8c"  # "Hướng dẫn công tác" typed in TCVN3
    assert text_rules.convert_legacy(legacy, text_rules.TCVN3) == "Hướng dẫn công tác"
    write("presets/cu.yaml", AGENCY + f"noi_nhan:\n  - \"Sở Tư pháp\"\n  - \"{legacy}\"\n")
    p = api.prepare(draft(write, "cu", "noi_nhan: [Như trên, ...]\n"))
    assert noi_nhan(p)[:3] == ["- Như trên;", "- Sở Tư pháp;", "- Hướng dẫn công tác;"]
    warns = [w for w in p.warnings if w.severity == WARNING and "TCVN3" in w.message]
    assert len(warns) == 1
    w = warns[0]
    assert w.position.file.endswith(os.path.join("presets", "cu.yaml")) and w.position.line == 12
    assert w.key == "noi_nhan[1]"
    assert "Unikey" in w.message  # says how to fix the source file


def test_tcvn3_words_beside_one_unicode_word():
    legacy = "H\u00ad\u00edng d\u00c9n c\u00abng t\u00b8c"
    assert text_rules.clean(f"Phòng {legacy}")[0] == "Phòng Hướng dẫn công tác"


def test_mixed_line_that_cannot_be_read_safely_is_refused(cli, write, tmp_path):
    # "Công" reads as Unicode and as TCVN3 ("Cụng"), between a Unicode word and a
    # pasted TCVN3 phrase: refused with its place, together with the file's other errors.
    write("presets/cu.yaml", AGENCY.replace("  chuc_vu:", "  chuc_vuu:")
          + "noi_nhan:\n  - \"Phòng Công H\u00ad\u00edng d\u00c9n\"\n")
    draft(write, "cu")
    r = cli("render", "draft.yaml")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert not (tmp_path / "draft.docx").exists()
    cu = os.path.join("presets", "cu.yaml")
    assert f"{cu}:11:5: lỗi [noi_nhan[0]]" in r.output
    assert "“Công”" in r.output and "TCVN3 (ABC)" in r.output and "Chuyển mã" in r.output
    assert f"{cu}:8:3: lỗi [ky.chuc_vuu]" in r.output  # reported in the same run
    r = cli("presets", "check", "presets/cu.yaml")
    assert r.exit_code == 1 and f"{cu}:11:5: lỗi [noi_nhan[0]]" in r.output
    assert "2 lỗi" in r.output


def test_tcvn3_brief_example_in_a_value(write):
    write("presets/cu.yaml", AGENCY.replace("ho_ten: Nguyễn Văn A", "ho_ten: \"H\u00ad\u00edng d\u00c9n\""))
    p = api.prepare(draft(write, "cu"))
    assert p.document.signing.name == "Hướng dẫn"
    assert any("TCVN3" in w.message for w in p.warnings)


def test_nfd_text_in_a_preset_renders_precomposed(write, tmp_path):
    nfd = unicodedata.normalize("NFD", "XÃ TIÊN ĐIỀN")
    assert nfd != "XÃ TIÊN ĐIỀN"
    write("presets/nfd.yaml", AGENCY.replace("XÃ THỬ", nfd).replace("dia_danh: Thử",
          "dia_danh: " + unicodedata.normalize("NFD", "Tiên Điền")))
    path = draft(write, "nfd")
    p = api.prepare(path)
    assert p.document.header.co_quan == ("ỦY BAN NHÂN DÂN", "XÃ TIÊN ĐIỀN")
    assert p.document.header.date_line.startswith("Tiên Điền, ngày")
    assert all(unicodedata.is_normalized("NFC", s) for s in p.document.header.co_quan)
    # Precomposing is lossless, so it is silent: no legacy-encoding warning.
    assert not [w for w in p.warnings if "bảng mã" in w.message]
    out = tmp_path / "nfd.docx"
    api.render_file(path, out)
    from docx_view import DocView

    texts = DocView(out).texts()
    assert "XÃ TIÊN ĐIỀN" in texts and nfd not in texts


# --- built-in presets ------------------------------------------------------------------


def test_builtins_present():
    assert set(EXISTING) <= set(BUILTINS)
    assert {COMMUNE, DEPARTMENT, *GROUPS} <= set(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_is_a_valid_partial_draft(name):
    path = resources.presets_dir() / f"{name}.yaml"
    assert preset_check.check_file(path) == []
    assert path.read_text(encoding="utf-8").startswith("# ")  # a one-line description


def _standalone(name: str) -> bool:
    """A preset that gives a whole issuer and signer, as `drafter new` needs."""
    data = presets.resolve(yamlfile.load(resources.presets_dir() / f"{name}.yaml"), None).data
    return "co_quan" in data and "ky" in data


@pytest.mark.parametrize("name", BUILTINS)
def test_new_works_with_every_builtin(tmp_path, name):
    """`drafter new <type> --preset NAME --no-input`, for every type and every preset.
    A preset that lacks the issuer or the signer (a recipient group) still gives a
    draft that renders: the scaffold writes those blocks for the user to fill in."""
    for t in doctypes.TYPES:
        created = newdraft.create(t.slug, preset=name, folder=tmp_path, name=f"{t.slug}-{name}")
        assert created.draft.is_file() and created.output.is_file()
        text = created.draft.read_text(encoding="utf-8")
        assert f"dung: [{name}]" in text
        if not _standalone(name):
            assert "\nco_quan:" in text or "\nky:" in text


def test_new_through_the_cli_with_the_commune_preset(cli, tmp_path):
    r = cli("new", "cong-van", "--preset", COMMUNE, "--no-input")
    assert r.exit_code == 0, r.output
    p = api.prepare(tmp_path / "cong-van.yaml")
    assert p.document.header.co_quan == ("ỦY BAN NHÂN DÂN", "XÃ TIÊN ĐIỀN")
    assert p.document.header.chu_quan is None


def test_commune_preset_is_a_real_commune():
    data = yamlfile.load(resources.presets_dir() / f"{COMMUNE}.yaml").data
    names = {c.name: c for c in units.communes("Hà Tĩnh")}
    commune = names[data["co_quan"]["dia_danh"]]
    assert commune.kind == "xã"
    assert data["co_quan"]["ten"] == ["ỦY BAN NHÂN DÂN", f"XÃ {commune.name.upper()}"]
    assert data["co_quan"]["viet_tat"] == "UBND"
    assert "chu_quan" not in data["co_quan"]


def test_department_preset():
    data = yamlfile.load(resources.presets_dir() / f"{DEPARTMENT}.yaml").data
    assert data["co_quan"]["chu_quan"] == "UBND TỈNH HÀ TĨNH"
    assert data["co_quan"]["ten"].startswith("SỞ ")


@pytest.mark.parametrize("name", GROUPS)
def test_recipient_groups_hold_only_noi_nhan(name):
    data = yamlfile.load(resources.presets_dir() / f"{name}.yaml").data
    assert set(data) == {"noi_nhan"} and len(data["noi_nhan"]) >= 2


def test_no_builtin_issuer_is_district_level():
    for name in BUILTINS:
        co_quan = yamlfile.load(resources.presets_dir() / f"{name}.yaml").data.get("co_quan")
        if co_quan:
            lines = co_quan["ten"] if isinstance(co_quan["ten"], list) else [co_quan["ten"]]
            assert reform2025.district_warnings(
                issuer_lines=lines, parent=co_quan.get("chu_quan"), date=dt.date(2026, 1, 5), year=2026
            ) == [], name


def test_agency_with_recipient_group(render, write):
    path_text = """\
        loai: cong-van
        dung: [ubnd-tinh-ha-tinh, nhan-lanh-dao-tinh]
        so: 15
        don_vi_soan: KT
        ngay: 2025-09-10
        trich_yeu: tăng cường công tác khuyến công
        kinh_gui: [Sở Công Thương, Sở Tài chính]
        noi_dung: |
          Nội dung.
        noi_nhan: [Như trên, ..., Lưu hồ sơ dự án]
        luu: [VT, KT]
        ky:
          tm: ỦY BAN NHÂN DÂN
          kt: CHỦ TỊCH
          chuc_vu: PHÓ CHỦ TỊCH
          ho_ten: Nguyễn Văn B
        """
    doc = render(textwrap.dedent(path_text))
    group = yamlfile.load(resources.presets_dir() / "nhan-lanh-dao-tinh.yaml").data["noi_nhan"]
    sig = doc.tables()[-1]
    assert doc.cell_texts(sig, 0, 0) == [
        "Nơi nhận:", "- Như trên;", *[f"- {g};" for g in group], "- Lưu hồ sơ dự án;", "- Lưu: VT, KT.",
    ]
    assert "ỦY BAN NHÂN DÂN" in doc.texts() and "TỈNH HÀ TĨNH" in doc.texts()


def test_commune_with_its_group_and_a_department_group(write):
    p = api.prepare(draft(write, f"{COMMUNE}, nhan-lanh-dao-xa", "noi_nhan: [Như trên, ...]\n"))
    group = yamlfile.load(resources.presets_dir() / "nhan-lanh-dao-xa.yaml").data["noi_nhan"]
    assert noi_nhan(p) == ["- Như trên;", *[f"- {g};" for g in group], "- Lưu: VT, VP."]
    assert p.document.signing.authority == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert p.document.header.date_line == "Tiên Điền, ngày 15 tháng 8 năm 2025"
    assert p.document.header.so_ky_hieu == "Số: 12/UBND-VP"


# --- the 2025 district-level warning -----------------------------------------------------

AFTER = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 6, 30)


def warn(lines, parent=None, date=AFTER, year=None):
    return reform2025.district_warnings(
        issuer_lines=lines, parent=parent, date=date, year=year or (date.year if date else 2026))


@pytest.mark.parametrize("lines,parent", [
    (["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"], None),
    (["ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN"], None),
    (["Ủy ban nhân dân huyện Cẩm Xuyên"], None),  # as typed, not in capitals
    (["ỦY BAN NHÂN DÂN", "QUẬN BA ĐÌNH"], None),
    (["ỦY BAN NHÂN DÂN", "THỊ XÃ HỒNG LĨNH"], None),
    (["UBND TX. KỲ ANH"], None),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ TĨNH"], None),  # a provincial city: district level
    (["ỦY BAN NHÂN DÂN THÀNH PHỐ", "THỦ ĐỨC"], None),  # the name broken over two lines
    (["UBND TP. VINH"], None),
    (["PHÒNG TÀI CHÍNH - KẾ HOẠCH"], "UBND HUYỆN CẨM XUYÊN"),
    (["PHÒNG NỘI VỤ"], "ỦY BAN NHÂN DÂN CẤP HUYỆN"),
    (["VĂN PHÒNG"], "UBND THÀNH PHỐ HÀ TĨNH"),
])
def test_district_issuer_or_parent_warns(lines, parent):
    (w,) = warn(lines, parent)
    assert "cấp huyện" in w and "01/7/2025" in w and "ngày 01/7/2025" in w
    assert ("Cơ quan chủ quản" if parent else "Cơ quan ban hành") in w


@pytest.mark.parametrize("lines,parent", [
    (["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"], None),
    (["ỦY BAN NHÂN DÂN", "XÃ TIÊN ĐIỀN"], None),
    (["ỦY BAN NHÂN DÂN", "PHƯỜNG THÀNH SEN"], None),
    (["ỦY BAN NHÂN DÂN", "ĐẶC KHU PHÚ QUỐC"], None),
    (["SỞ TÀI CHÍNH"], "UBND TỈNH HÀ TĨNH"),
    (["BỘ CÔNG THƯƠNG"], None),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"], None),  # centrally-run: province level
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"], None),
    (["SỞ XÂY DỰNG"], "UBND THÀNH PHỐ ĐÀ NẴNG"),
    (["UBND TP.HCM"], None),
    (["ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"], None),
    (["CÔNG AN THÀNH PHỐ"], None),  # no name: nothing to judge
    (["BỘ CHỈ HUY QUÂN SỰ"], "UBND TỈNH HÀ TĨNH"),  # QUÂN, not QUẬN
])
def test_province_and_commune_issuers_do_not_warn(lines, parent):
    assert warn(lines, parent) == []


def test_every_central_city_and_commune_is_quiet():
    for p in units.provinces():
        kind = "THÀNH PHỐ" if p.kind == "thành phố" else "TỈNH"
        assert warn(["ỦY BAN NHÂN DÂN", f"{kind} {p.name.upper()}"]) == [], p
    for c in units.all_communes():
        assert warn(["ỦY BAN NHÂN DÂN", c.full_name.upper()], f"UBND TỈNH {c.province_name.upper()}") == [], c


@pytest.mark.parametrize("date,year,warns", [
    (dt.date(2025, 7, 1), 2025, True),
    (dt.date(2025, 6, 30), 2025, False),
    (dt.date(2019, 12, 13), 2019, False),
    (dt.date(2026, 2, 3), 2026, True),
    (None, 2026, True),
    (None, 2025, False),  # undated 2025: may still be signed before July
    (None, 2024, False),
])
def test_district_warning_dates(date, year, warns):
    out = reform2025.district_warnings(
        issuer_lines=["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"], parent=None, date=date, year=year)
    assert bool(out) is warns
    if out and date is None:
        assert f"năm {year}" in out[0]
    if out and date is not None:
        assert date.strftime("%d") in out[0]


def test_issuer_and_parent_both_district():
    out = warn(["PHÒNG VĂN HÓA"], "ỦY BAN NHÂN DÂN HUYỆN X")
    assert len(out) == 1
    out = warn(["ỦY BAN NHÂN DÂN", "QUẬN 1"], "UBND HUYỆN X")
    assert len(out) == 2 and out[0].startswith("Cơ quan ban hành") and out[1].startswith("Cơ quan chủ quản")


def test_district_unit_kinds():
    assert reform2025.district_unit("HUYỆN ỦY CẨM XUYÊN") == "HUYỆN"
    assert reform2025.district_unit("THỊ ỦY KỲ ANH") == "THỊ XÃ"
    assert reform2025.district_unit("UBND TX. KỲ ANH") == "THỊ XÃ"
    assert reform2025.district_unit("UBND THÀNH PHỐ HÀ TĨNH") == "THÀNH PHỐ"
    assert reform2025.district_unit("UBND CẤP HUYỆN") == "CẤP HUYỆN"
    assert reform2025.district_unit("UBND TỈNH HÀ TĨNH") is None
    assert reform2025.district_unit("") is None


DISTRICT_DRAFT = """\
loai: cong-van
so: 7
don_vi_soan: VP
ngay: {ngay}
trich_yeu: kiểm tra công tác phòng cháy
kinh_gui: Các phòng, ban chuyên môn
co_quan:
  ten: {ten}
  viet_tat: UBND
  dia_danh: Can Lộc
noi_dung: |
  Nội dung.
ky:
  tm: ỦY BAN NHÂN DÂN
  chuc_vu: CHỦ TỊCH
  ho_ten: Nguyễn Văn A
"""


@pytest.mark.parametrize("ten,ngay,warns", [
    ("[ỦY BAN NHÂN DÂN, HUYỆN CAN LỘC]", "2025-08-01", True),
    ("[ỦY BAN NHÂN DÂN, HUYỆN CAN LỘC]", "2025-06-30", False),
    ("[ỦY BAN NHÂN DÂN, XÃ CAN LỘC]", "2025-08-01", False),
])
def test_district_warning_in_render_output(cli, write, tmp_path, ten, ngay, warns):
    write("d.yaml", DISTRICT_DRAFT.format(ten=ten, ngay=ngay))
    r = cli("render", "d.yaml")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "d.docx").is_file()  # a warning never blocks the document
    lines = [ln for ln in r.stderr.splitlines() if "cấp huyện" in ln]
    if warns:
        (line,) = lines
        assert line.startswith("d.yaml:8:3: cảnh báo [co_quan.ten]"), line  # the name it is about
        assert "01/7/2025" in line
        assert "cảnh báo" not in r.stdout
    else:
        assert lines == [] and "cảnh báo" not in r.output


def test_body_text_is_not_the_issuer():
    # "UBND các huyện" appears in Kính gửi and body text of seed documents; the rule only
    # reads what it is given, and the caller gives it the header lines.
    assert warn(["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"]) == []
    p = api.prepare(REPO / "samples" / "000-cong-van-ha-tinh.yaml")
    assert reform2025.district_warnings(
        issuer_lines=p.draft.co_quan.lines, parent=p.draft.co_quan.chu_quan, date=dt.date(2026, 1, 5),
        year=2026) == []


# --- round trip: the draft is the user's, render never rewrites it ---------------------


def _edit_like_a_person(text: str) -> str:
    lines = text.split("\n")
    out = []
    for ln in lines:
        if ln.startswith("trich_yeu:"):
            out.append("# Sửa ngày 05/01: đổi trích yếu theo ý kiến lãnh đạo")
            out.append('trich_yeu: "tổ chức Tết Trung thu năm 2025"  # ghi chú cuối dòng')
            continue
        out.append(ln)
        if ln.strip() == '- "Như trên"':
            out.append("  - Phòng Văn hóa - Xã hội  # thêm nơi nhận")
    return "\n".join(out)


def test_hand_edits_survive_render(cli, tmp_path):
    created = newdraft.create("cong-van", preset=COMMUNE, folder=tmp_path, name="cv")
    original = created.draft.read_text(encoding="utf-8")
    comments = [ln for ln in original.splitlines() if ln.lstrip().startswith("#")]
    assert len(comments) >= 8 and '- "Như trên"' in original

    edited = _edit_like_a_person(original)
    assert edited != original
    created.draft.write_text(edited, encoding="utf-8")
    before = created.draft.stat().st_mtime_ns

    r = cli("render", "cv.yaml", "--force")
    assert r.exit_code == 0, r.output
    assert created.draft.read_text(encoding="utf-8") == edited  # byte for byte: every comment kept
    assert created.draft.stat().st_mtime_ns == before
    p = api.prepare(created.draft)
    assert p.document.vv == "V/v tổ chức Tết Trung thu năm 2025"
    assert "- Phòng Văn hóa - Xã hội;" in noi_nhan(p)
    from docx_view import DocView

    assert "V/v tổ chức Tết Trung thu năm 2025" in DocView(tmp_path / "cv.docx").texts()

    r = cli("render", "cv.yaml")  # without --force the old .docx is kept, the draft too
    assert r.exit_code == 1 and created.draft.read_text(encoding="utf-8") == edited


def test_new_then_plain_text_edits_then_render_force(cli, tmp_path):
    """`drafter new cong-van --no-input`, a person's edits in a text editor, then
    `drafter render --force`: the comments stay, the .docx shows the edits."""
    r = cli("new", "cong-van", "--no-input")
    assert r.exit_code == 0, r.output
    path = tmp_path / "cong-van.yaml"
    original = path.read_text(encoding="utf-8")
    comments = [ln for ln in original.splitlines() if ln.lstrip().startswith("#")]
    assert len(comments) >= 5

    lines = original.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("trich_yeu:"))
    lines[i] = "trich_yeu: tổ chức Tết Trung thu cho thiếu nhi năm 2025  # sửa theo ý kiến lãnh đạo"
    j = next(k for k, ln in enumerate(lines) if ln.startswith("noi_nhan:"))
    k = j + 1
    while k < len(lines) and lines[k].startswith("  "):
        k += 1
    lines[k:k] = ["  - Đoàn Thanh niên xã  # thêm nơi nhận"]
    edited = "\n".join(lines)
    path.write_text(edited, encoding="utf-8")

    r = cli("render", "cong-van.yaml", "--force")
    assert r.exit_code == 0, r.output
    after = path.read_text(encoding="utf-8")
    assert after == edited
    for c in comments + ["# sửa theo ý kiến lãnh đạo", "# thêm nơi nhận"]:
        assert c.strip() in after
    from docx_view import DocView

    doc = DocView(tmp_path / "cong-van.docx")
    texts = doc.texts()
    assert "V/v tổ chức Tết Trung thu cho thiếu nhi năm 2025" in texts
    recipients = doc.cell_texts(doc.tables()[-1], 0, 0)
    assert "- Đoàn Thanh niên xã;" in recipients
    assert recipients[-1].startswith("- Lưu: VT")


@pytest.mark.parametrize("slug", ["cong-van", "quyet-dinh", "ke-hoach"])
def test_written_draft_round_trips_through_ruamel(tmp_path, slug):
    created = newdraft.create(slug, preset=COMMUNE, folder=tmp_path, name="d")
    text = created.draft.read_text(encoding="utf-8")
    y = YAML(typ="rt")
    y.width = 4096
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)  # the layout drafter writes: "  - item"
    data = y.load(text)
    buf = io.StringIO()
    y.dump(data, buf)
    again = buf.getvalue()
    assert again.rstrip("\n") == text.rstrip("\n")
    # And a programmatic edit keeps the comments too.
    data["trich_yeu"] = "nội dung mới"
    buf = io.StringIO()
    y.dump(data, buf)
    edited = buf.getvalue()
    for ln in text.splitlines():
        if ln.lstrip().startswith("#"):
            assert ln in edited
    assert yamlfile.parse_text(edited, "d.yaml").data["trich_yeu"] == "nội dung mới"


def test_presets_naming_each_other_many_times_load_once_each(write, monkeypatch):
    # Six levels of two presets, each naming the next two eight times: 16^5 paths, 12 files.
    for level in range(1, 6):
        for side in "ab":
            names = ", ".join([f"p{level + 1}a", f"p{level + 1}b"] * 8)
            write(f"presets/p{level}{side}.yaml", f"dung: [{names}]\n")
    write("presets/p6a.yaml", "luu: [VT]\n")
    write("presets/p6b.yaml", "luu: [VT, KT]\n")
    loads = []
    real = yamlfile.load
    monkeypatch.setattr(yamlfile, "load", lambda p: loads.append(str(p)) or real(p))
    import time

    started = time.perf_counter()
    loaded = api.load(write("d.yaml", "loai: cong-van\ndung: [p1a, p1b, p1a]\n"))
    assert time.perf_counter() - started < 10  # was minutes: one load per path through them
    assert len(loads) == len(set(loads)) == 13  # the draft and each of the 12 presets, once
    assert loaded.data["luu"] == ["VT", "KT"]  # later wins, as before
