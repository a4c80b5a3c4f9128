"""Scaffolds that fit their type, a cancelled prompt, and the user's preset folder
(issue 16, points 7 and 8), through the real commands.

- `drafter new giay-moi` lays out (and, on a terminal, asks for) the time, place and
  participants; `bien-ban` and `hop-dong` sign with two blocks side by side;
  `to-trinh` is addressed to the preset's parent agency; a commune's scaffold never
  pre-fills the province's recipients.
- Ctrl-C or Ctrl-D at a prompt of `drafter new`: a plain message, exit 1, no file.
- `drafter presets` shows the user's folder; `drafter presets copy NAME --user`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from docx_view import DocView
from drafter.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args, input=None):
    r = CliRunner().invoke(main, list(args), input=input)
    assert "Traceback" not in r.output and "Lỗi nội bộ" not in r.output, r.output
    return r


def new(*args, input=None):
    r = run("new", *args, input=input)
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture
def terminal(monkeypatch):
    """`drafter new` asks as on a terminal (CliRunner's stdin is no tty)."""
    import drafter.cli.render as render_cli

    monkeypatch.setattr(render_cli, "_stdin_is_terminal", lambda: True)


def index_of(texts: list[str], prefix: str) -> int:
    for i, t in enumerate(texts):
        if t.startswith(prefix):
            return i
    raise AssertionError(f"no line starting {prefix!r} in {texts}")


def first_run_bold(doc: DocView, para) -> bool:
    from docx_view import q

    runs = [r for r in para.element.iter(q("r")) if r.find(q("t")) is not None]
    return doc._run_prop(runs[0], para.style, "b") and not doc._run_prop(runs[-1], para.style, "b")


def read_yaml(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def signature_pair(doc: DocView):
    """The borderless table of two signatures: (left lines, right lines) of its cells."""
    for tbl in doc.tables():
        from docx_view import q

        rows = tbl.findall(q("tr"))
        if len(rows[0].findall(q("tc"))) != 2:
            continue
        left = [t for r in range(len(rows)) for t in doc.cell_texts(tbl, r, 0)]
        right = [t for r in range(len(rows)) for t in doc.cell_texts(tbl, r, 1)]
        if any("ĐẠI DIỆN" in t or t in ("THƯ KÝ", "CHỦ TRÌ") for t in left + right):
            return left, right
    raise AssertionError("no table of two signatures")


# --------------------------------------------------------------------------- giấy mời


def test_giay_moi_lays_out_time_place_participants(here):
    new("giay-moi", "--no-input")
    data = read_yaml(here / "giay-moi.yaml")
    assert {"thoi_gian", "dia_diem", "thanh_phan"} <= set(data)
    doc = DocView(here / "giay-moi.docx")
    texts = doc.texts()
    k, t, d, p = (index_of(texts, s) for s in ("Kính gửi", "Thời gian:", "Địa điểm:", "Thành phần:"))
    assert k < t < d < p, texts  # Mẫu 1.7: after the invitation, in this order
    assert index_of(texts, "Nội dung khác") > p
    for label in ("Thời gian:", "Địa điểm:", "Thành phần:"):
        para = doc.starting(label)
        assert para.style == "DrBody" and not para.in_table
        assert first_run_bold(doc, para), label  # the label bold, the value not


def test_giay_moi_asks_on_a_terminal(here, terminal):
    answers = "\n".join([
        "Dự họp giao ban tháng 01",  # trích yếu
        "Sở Tài chính", "",  # Kính gửi, one then Enter
        "08 giờ 00 phút, ngày 12 tháng 01 năm 2026",  # thời gian
        "Hội trường A",  # địa điểm
        "Lãnh đạo các phòng", "Công chức văn thư", "",  # thành phần
    ]) + "\n"
    r = new("giay-moi", input=answers)
    assert "Thời gian" in r.output and "Thành phần" in r.output  # the prompts
    data = read_yaml(here / "giay-moi.yaml")
    assert data["thoi_gian"] == "08 giờ 00 phút, ngày 12 tháng 01 năm 2026"
    assert data["dia_diem"] == "Hội trường A"
    assert data["thanh_phan"] == ["Lãnh đạo các phòng", "Công chức văn thư"]
    texts = DocView(here / "giay-moi.docx").texts()
    want = ["Dự họp giao ban tháng 01", "Kính gửi: Sở Tài chính.",
            "Thời gian: 08 giờ 00 phút, ngày 12 tháng 01 năm 2026", "Địa điểm: Hội trường A",
            "Thành phần:", "- Lãnh đạo các phòng;", "- Công chức văn thư."]
    positions = [texts.index(w) for w in want]
    assert positions == sorted(positions), texts


def test_other_types_are_not_asked_for_a_meeting(here, terminal):
    r = new("cong-van", input="Về việc thử\n\n")
    assert "Thời gian" not in r.output
    assert "thoi_gian" not in (here / "cong-van.yaml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- biên bản, hợp đồng


def test_bien_ban_two_signatures_side_by_side(here):
    new("bien-ban", "--no-input")
    data = read_yaml(here / "bien-ban.yaml")
    assert data["thu_ky"]["ho_ten"] and data["chu_tri"]["ho_ten"] == "Nguyễn Văn An"  # the demo signer
    doc = DocView(here / "bien-ban.docx")
    left, right = signature_pair(doc)
    assert left == ["THƯ KÝ", "Họ và tên thư ký"]
    assert right == ["CHỦ TRÌ", "Nguyễn Văn An"]
    texts = doc.texts()
    assert index_of(texts, "Chủ trì: Nguyễn Văn An") < index_of(texts, "Thư ký: Họ và tên thư ký")
    # Nơi nhận below the two signatures, not beside them
    assert index_of(texts, "Nơi nhận:") > texts.index("Nguyễn Văn An")
    assert not doc.starting("Nơi nhận:").in_table


def test_bien_ban_written_in_full(here):
    (here / "bb.yaml").write_text(
        "loai: bien-ban\ndung: [ubnd-tinh-ha-tinh]\ntrich_yeu: Cuộc họp giao ban\n"
        "thoi_gian: 08 giờ 00 phút, ngày 12 tháng 01 năm 2026\ndia_diem: Hội trường\n"
        "thanh_phan: Lãnh đạo các sở\nthu_ky:\n  ho_ten: Lê Thị Hoa\n"
        "noi_dung: Cuộc họp kết thúc vào 11 giờ 00 phút.\n"
        "ky:\n  tm: ỦY BAN NHÂN DÂN\n  chuc_vu: CHỦ TỊCH\n  ho_ten: Võ Trọng Hải\n",
        encoding="utf-8")
    r = run("render", "bb.yaml")
    assert r.exit_code == 0, r.output
    doc = DocView(here / "bb.docx")
    left, right = signature_pair(doc)
    # no chu_tri: the signer `ky` signs on the right, with its authority
    assert left == ["THƯ KÝ", "Lê Thị Hoa"]
    assert right == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Võ Trọng Hải"]
    assert "Chủ trì: Võ Trọng Hải" in doc.texts()


def test_hop_dong_two_parties_two_signatures(here):
    new("hop-dong", "--no-input")
    doc = DocView(here / "hop-dong.docx")
    texts = doc.texts()
    a, b = index_of(texts, "Bên A:"), index_of(texts, "Bên B:")
    assert a < index_of(texts, "Đại diện: Ông (bà) Nguyễn Văn An") < b  # Bên A's representative: the demo signer
    assert b < index_of(texts, "Đại diện: Ông (bà) Họ và tên người đại diện bên B")
    assert first_run_bold(doc, doc.starting("Bên A:"))
    left, right = signature_pair(doc)
    assert left[0] == "ĐẠI DIỆN BÊN A" and left[-1] == "Nguyễn Văn An"
    assert "KT. GIÁM ĐỐC" in left  # the demo signer's authority
    assert right == ["ĐẠI DIỆN BÊN B", "GIÁM ĐỐC", "Họ và tên người đại diện bên B"]


def test_two_names_on_one_line(here):
    """Titles in one row, names in the next: the names stand level however many title
    lines each side has (Bên A's 'KT.' has two, Bên B's one)."""
    from docx_view import q

    new("hop-dong", "--no-input")
    doc = DocView(here / "hop-dong.docx")
    for tbl in doc.tables():
        rows = tbl.findall(q("tr"))
        if doc.cell_texts(tbl, 0, 0)[:1] == ["ĐẠI DIỆN BÊN A"]:
            assert len(rows) == 2
            assert doc.cell_texts(tbl, 1, 0) == ["Nguyễn Văn An"]
            assert doc.cell_texts(tbl, 1, 1) == ["Họ và tên người đại diện bên B"]
            assert all(r.find(q("trPr")).find(q("cantSplit")) is not None for r in rows)
            return
    raise AssertionError("no signature table")


def test_ben_b_needs_name_and_representative(here):
    (here / "hd.yaml").write_text(
        "loai: hop-dong\ndung: [demo]\ntrich_yeu: Về việc in\nben_b:\n  chuc_vu: Giám đốc\n", encoding="utf-8")
    r = run("render", "hd.yaml")
    assert r.exit_code == 1
    assert "Thiếu khóa bắt buộc 'ten'" in r.output and "Thiếu khóa bắt buộc 'dai_dien'" in r.output
    assert "ben_b" in r.output


def test_one_signer_types_keep_one_signature(here):
    new("cong-van", "--no-input")
    doc = DocView(here / "cong-van.docx")
    with pytest.raises(AssertionError):
        signature_pair(doc)


# --------------------------------------------------------------------------- tờ trình, commune


@pytest.mark.parametrize("preset,kinh_gui", [
    ("demo", "Kính gửi: Ủy ban nhân dân tỉnh An Hòa."),  # its co_quan.chu_quan
    ("ubnd-xa-tien-dien", "Kính gửi: Ủy ban nhân dân tỉnh …."),
    ("ubnd-tinh-ha-tinh", "Kính gửi: Tên cơ quan cấp trên …."),
])
def test_to_trinh_addressed_to_the_superior(here, preset, kinh_gui):
    new("to-trinh", "--preset", preset, "--no-input")
    assert kinh_gui in DocView(here / "to-trinh.docx").texts()


PROVINCIAL = re.compile(r"\btỉnh\b|\bsở\b|Tỉnh ủy|UBND tỉnh", re.IGNORECASE)


@pytest.mark.parametrize("loai", ["cong-van", "giay-moi", "bao-cao", "to-trinh", "bien-ban"])
def test_commune_scaffold_has_no_provincial_recipients(here, loai):
    new(loai, "--preset", "ubnd-xa-tien-dien", "--no-input")
    data = read_yaml(here / f"{loai}.yaml")
    texts = DocView(here / f"{loai}.docx").texts()
    kinh_gui = data.get("kinh_gui") or []
    if loai != "to-trinh":  # a tờ trình goes up, to the province, by design
        assert kinh_gui == [] or not any(PROVINCIAL.search(k) for k in kinh_gui), kinh_gui
        assert not any(PROVINCIAL.search(t) for t in texts if t.startswith("- ")), texts
    start = texts.index("Nơi nhận:")
    noi_nhan = [t for t in texts[start + 1:] if t.startswith("- ")]
    assert noi_nhan and not any(PROVINCIAL.search(t) for t in noi_nhan), noi_nhan
    if loai in ("cong-van", "giay-moi", "bao-cao"):
        assert kinh_gui == ["Các ban, ngành, đoàn thể xã", "Trưởng các thôn, tổ dân phố"]


def test_province_scaffold_unchanged(here):
    new("cong-van", "--no-input")
    assert read_yaml(here / "cong-van.yaml")["kinh_gui"] == ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"]


# --------------------------------------------------------------------------- Ctrl-C, Ctrl-D


class _InterruptAfter(io.BytesIO):
    """An input that answers the first lines, then is interrupted (Ctrl-C)."""

    def __init__(self, lines: int):
        super().__init__(b"x\n" * lines)
        self.left = lines

    def readline(self, *args):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().readline(*args)

    read1 = readline


@pytest.mark.parametrize("loai,answered", [("cong-van", 0), ("giay-moi", 3), ("to-trinh", 1)])
def test_ctrl_d_at_a_prompt(here, terminal, loai, answered):
    """Ctrl-D: the input ends while drafter still asks (CliRunner raises Abort)."""
    r = run("new", loai, input="Họp\n" * answered)
    assert r.exit_code == 1, r.output
    assert "Đã hủy, không tạo tệp nào." in r.output
    assert "Abort" not in r.output and "Aborted" not in r.output
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("answered", [0, 2])
def test_ctrl_c_at_a_prompt(here, terminal, answered):
    r = run("new", "giay-moi", input=_InterruptAfter(answered))
    assert r.exit_code == 1, r.output
    assert r.stderr.strip() == "Đã hủy, không tạo tệp nào."  # alone on its line, nothing else
    assert "Abort" not in r.output and "Đã dừng" not in r.output
    assert list(here.iterdir()) == []


# --------------------------------------------------------------------------- the user's folder


def test_presets_shows_the_user_folder(here, monkeypatch):
    user = here / "u"
    monkeypatch.setenv("DRAFTER_USER_DIR", str(user))
    r = run("presets")
    assert r.exit_code == 0
    assert "Thư mục mẫu của người dùng (dùng cho mọi bản thảo): u/presets (chưa có thư mục này)" in r.output
    assert "drafter presets copy TÊN --user" in r.output
    (user / "presets").mkdir(parents=True)
    assert "u/presets (chưa có mẫu nào)" in run("presets").output


def test_presets_shows_the_xdg_folder(here, monkeypatch, tmp_path_factory):
    config = tmp_path_factory.mktemp("xdg")
    monkeypatch.delenv("DRAFTER_USER_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    r = run("presets")
    assert f"{config}/drafter/presets (chưa có thư mục này)" in r.output


def test_presets_copy_user(here, monkeypatch, tmp_path_factory):
    user = tmp_path_factory.mktemp("home") / "cfg"
    monkeypatch.setenv("DRAFTER_USER_DIR", str(user))
    target = user / "presets" / "ubnd-xa-tien-dien.yaml"
    r = run("presets", "copy", "ubnd-xa-tien-dien", "--user")
    assert r.exit_code == 0, r.output
    assert f"thành {target}." in r.output
    assert "Mọi bản thảo giờ dùng" in r.output
    assert target.read_bytes() == (REPO / "presets" / "ubnd-xa-tien-dien.yaml").read_bytes()

    # listed as the user's, hiding the built-in, and counted in the folder line
    out = run("presets").output
    assert re.search(r"ubnd-xa-tien-dien\s+của người dùng", out)
    assert "(1 mẫu: ubnd-xa-tien-dien)" in out

    # never replaced without --force
    target.write_text(target.read_text(encoding="utf-8").replace("XÃ TIÊN ĐIỀN", "XÃ THỬ NGHIỆM"), encoding="utf-8")
    r = run("presets", "copy", "ubnd-xa-tien-dien", "--user")
    assert r.exit_code == 1
    assert f"{target}: lỗi: Tệp mẫu đã có; drafter không ghi đè." in r.output
    assert "--force" in r.output
    assert "XÃ THỬ NGHIỆM" in target.read_text(encoding="utf-8")

    # found by --preset from any folder, before the built-in one
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    new("cong-van", "--preset", "ubnd-xa-tien-dien", "--no-input")
    assert "XÃ THỬ NGHIỆM" in DocView(elsewhere / "cong-van.docx").texts()
    # ... but ./presets/ beside the draft comes first
    (elsewhere / "presets").mkdir()
    (elsewhere / "presets" / "ubnd-xa-tien-dien.yaml").write_bytes(
        (REPO / "presets" / "ubnd-xa-tien-dien.yaml").read_bytes())
    new("cong-van", "--preset", "ubnd-xa-tien-dien", "--no-input", "-o", "beside")
    assert "XÃ TIÊN ĐIỀN" in DocView(elsewhere / "beside.docx").texts()

    # --force replaces it
    monkeypatch.chdir(here)
    r = run("presets", "copy", "ubnd-xa-tien-dien", "--user", "--force")
    assert r.exit_code == 0, r.output
    assert "XÃ TIÊN ĐIỀN" in target.read_text(encoding="utf-8")


def test_presets_copy_user_folder_not_writable(here, monkeypatch):
    import os

    blocked = here / "blocked"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_USER_DIR", str(blocked))
    r = run("presets", "copy", "demo", "--user")
    assert r.exit_code == 1
    assert "Không ghi được tệp: một phần của đường dẫn là tệp" in r.output and "Chưa sao chép được mẫu." in r.output
    assert not re.search(r"[A-Z][a-z]+ [a-z]+ (denied|exists|directory)", r.output), r.output
    assert os.path.isfile(blocked)


# --- the values a scaffold is written from are what its text reads back as ----------

_PRESET_KEYS = [frozenset(), frozenset({"co_quan", "ky", "noi_nhan", "luu"}), frozenset({"ky"}),
                frozenset({"co_quan"})]


def test_scaffold_values_are_what_its_text_reads_as():
    """placeholders.py takes the texts `drafter new` leaves to replace from the values
    the scaffold is written from, without reading the text back: for every type and
    every set of keys a preset gives, and with typed answers and a preset's own names,
    the YAML loader reads the text as exactly those values."""
    from drafter import scaffold
    from drafter.rules import doctypes

    yaml = YAML(typ="safe", pure=True)
    cases = 0
    for t in doctypes.TYPES:
        for keys in _PRESET_KEYS:
            made = scaffold._scaffold(t.slug, preset="demo", trich_yeu=None, kinh_gui=None, preset_keys=keys,
                                      preset_data=None, meeting=None)
            assert yaml.load("\n".join(made.lines)) == made.data, (t.slug, keys)
            assert "\n".join(made.lines) == scaffold.draft_text(t.slug, preset_keys=keys)
            cases += 1
        made = scaffold._scaffold(
            t.slug, preset="so-x", trich_yeu='a: "b" # c', kinh_gui=["X: y", "Z #1"], preset_keys=frozenset(),
            preset_data={"ky": {"ho_ten": "Lê Văn B"}}, meeting={"thoi_gian": "8 giờ", "dia_diem": "Phòng 1",
                                                                 "thanh_phan": ["A", "B"]})
        assert yaml.load("\n".join(made.lines)) == made.data, t.slug
        cases += 1
    assert cases == 5 * len(doctypes.TYPES)
    assert scaffold.draft_values("cong-van") == yaml.load(scaffold.draft_text("cong-van", preset_keys=frozenset()))


def test_checking_a_new_documents_placeholders_reads_no_yaml(here):
    """`drafter check` of a document made by `drafter new` (its "…" texts flagged)
    loads no YAML parser: in a fresh interpreter, ruamel is not imported."""
    import subprocess
    import sys

    assert new("cong-van", "--no-input").exit_code == 0
    code = ("import sys\nfrom drafter.cli import main\n"
            "try:\n    main(['check', 'cong-van.docx'])\nexcept SystemExit:\n    pass\n"
            "print('RUAMEL' if any(m.startswith('ruamel') for m in sys.modules) else 'NO-YAML')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=here, capture_output=True, text=True,
                          env={**__import__("os").environ, "DRAFTER_NEN": "0"})
    assert "SCAFFOLD-LEFT" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().endswith("NO-YAML"), done.stdout + done.stderr
