"""Fuzzing every door data comes in by: drafts, presets, sheets and agency templates,
through the real commands (`render`, `batch`, `appendix`, `check`, `presets check`).

Whatever hypothesis makes, a command ends in success or in a clean Vietnamese
refusal: exit 0, 1 or 2 (click's usage errors), never "Lỗi nội bộ", never a traceback,
never an exception escaping the command. A document reported as made opens: its zip
reads and every XML part parses. (The structural fuzzing of received .docx packages is
in test_untrusted.py; this file fuzzes what users type and what sheets hold.)

Examples are derandomized and few per door so the suite stays quick; raise
`DRAFTER_FUZZ_EXAMPLES` for a long hunt.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from drafter import resources
from drafter.cli.main import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXAMPLES = int(os.environ.get("DRAFTER_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# ------------------------------------------------------------------- what hostile data looks like

# Texts that have hurt, or could hurt, some stage: expressions (costly, broken, reaching
# other values), characters XML cannot hold and the private-use marks drafter uses,
# YAML's own syntax, numbers YAML misreads, the body's own markers.
SNIPPETS = [
    "{{ 9**(9**9) }}", "{{ 'a' * 10**9 }}", "{{ x|center(3000000000) }}", "{{ range(10**9)|list }}",
    "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
    "{{", "}}", "{%", "%}", "{#", "{{ hang.ma }}", "{{ hang }}", "{{ phu_luc[0].tong.kinh_phi.chu }}",
    "{{ phu_luc[9].tong }}", "{{ ''.__class__.__mro__ }}", "{{ lipsum.__globals__ }}",
    "\ufffe", "\uffff", "\ufdd0", "\ue000", "\uf8ff", "\U0010fffd", "\x00", "\x0b", "\x1b", "\u202e",
    "\u200b", "\ufeff", "\t", "\r", "\n\n", "#", " # comment", "&a", "*a", "!!python/object:os.system",
    "./.", "**", "*", "_", "<w:p>", "&amp;", "]]>", "<!DOCTYPE x>", "1.500", "2.000", "-5", "1e400",
    "NaN", "9" * 400, "0x1F", "Điều 1.", "Chương I", "I.", "a)", "- ", "Như trên", "Lưu: VT",
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "V/v", "Kính gửi:", "Tổng cộng", "ngày 31 tháng 02 năm 2026",
    "x" * 5000, "Ư" * 300,
]
KEYS = ["loai", "dung", "so", "ky_hieu", "don_vi_soan", "ngay", "dia_danh", "trich_yeu", "kinh_gui",
        "noi_dung", "noi_nhan", "luu", "ky", "tm", "kt", "tl", "tuq", "chuc_vu", "ho_ten", "co_quan",
        "ten", "viet_tat", "co_quan_chu_quan", "can_cu", "dieu", "xet_de_nghi", "phu_luc", "bang",
        "dong", "chi_tieu", "muc", "so_lieu", "tieu_de", "don_vi_tinh", "van_ban_kem_theo", "do_mat",
        "do_khan", "tuy_chon", "ma", "cong", "bang_chu", "tep", "hang", "...", "__class__", ""]

texts = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(SNIPPETS), min_size=2, max_size=4).map("".join),
)
scalars = st.one_of(
    texts, st.none(), st.booleans(),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([0, -1, 10 ** 400, 1.5, float("inf"), float("nan")]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=6,
)

# YAML text the loader must survive: aliases, tags, directives, broken quoting and bytes.
YAML_SNIPPETS = [
    "&a [*a, *a]", "*nope", "<<: *a", "!!python/object/apply:os.system [ls]", "!!binary xx", "\t",
    "? ", "--- ", "...\n", "%YAML 1.1\n", "{", "[", "'", '"', "\ufeff", ": ", "- ", "|\n", ">-\n",
    "a: &x [" + ",".join(["*x"] * 3) + "]", "k: " + "[" * 200, "\\x", "\u0085", "\u2028",
]


def data_paths(node, prefix=()):
    """Every (path, node) in a YAML tree, root first."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from data_paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from data_paths(v, prefix + (i,))


def apply_edit(tree, edit):
    """One edit of the data: replace, delete, add a key or splice a text."""
    kind, pick, value, snippet, at = edit
    paths = list(data_paths(tree))
    path, node = paths[pick % len(paths)]
    if kind == "set" and path:
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = value
    elif kind == "delete" and path:
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        del parent[path[-1]]
    elif kind == "add" and isinstance(node, dict):
        node[snippet if snippet in KEYS else KEYS[at % len(KEYS)]] = value
    elif kind == "add" and isinstance(node, list):
        node.insert(at % (len(node) + 1), value)
    elif kind == "splice" and isinstance(node, str) and path:
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        cut = at % (len(node) + 1)
        parent[path[-1]] = node[:cut] + snippet + node[cut:]
    return tree


edits = st.tuples(
    st.sampled_from(["set", "delete", "add", "splice", "splice"]),
    st.integers(min_value=0, max_value=10 ** 6),
    values,
    st.one_of(st.sampled_from(SNIPPETS), st.sampled_from(KEYS)),
    st.integers(min_value=0, max_value=10 ** 6),
)
text_edits = st.tuples(
    st.sampled_from(["insert", "delete", "truncate"]),
    st.integers(min_value=0, max_value=10 ** 6),
    st.integers(min_value=1, max_value=40),
    st.one_of(st.sampled_from(YAML_SNIPPETS), st.sampled_from(SNIPPETS)),
)


def dump(tree) -> str:
    def default(obj):  # the odd float/bigint: written as YAML would read them back
        return str(obj)

    out = io.StringIO()
    try:
        _yaml().dump(tree, out)
    except Exception:  # noqa: BLE001 - a value ruamel cannot write: JSON is YAML too
        return json.dumps(tree, ensure_ascii=False, default=default)
    return out.getvalue()


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.allow_unicode = True
    y.width = 10 ** 6
    return y


def load(text: str):
    return _yaml().load(text)


def edit_text(text: str, steps) -> str:
    for kind, pos, n, snippet in steps:
        at = pos % (len(text) + 1)
        if kind == "insert":
            text = text[:at] + snippet + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + n:]
        else:
            text = text[:at]
    return text


def mutated_yaml(source: Path, data_steps, text_steps) -> str:
    tree = load(source.read_text(encoding="utf-8"))
    for step in data_steps:
        tree = apply_edit(tree, copy.deepcopy(step))
    return edit_text(dump(tree), text_steps)


# ------------------------------------------------------------------------------ the outcome

def run(folder: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)


def assert_clean(result) -> None:
    out = result.output
    event(f"exit {result.exit_code}")
    assert result.exit_code in (0, 1, 2), (result.exit_code, out)
    assert "Lỗi nội bộ" not in out, out
    assert "Traceback" not in out, out
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        assert out.strip(), "a refusal that says nothing"


def assert_opens(docx: Path) -> None:
    with zipfile.ZipFile(docx) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False))


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


# ---------------------------------------------------------------------------------- drafts

@FUZZ
@given(sample=st.sampled_from(["000-cong-van-ha-tinh.yaml", "004-quyet-dinh-hung-yen.yaml"]),
       data_steps=st.lists(edits, min_size=1, max_size=4),
       text_steps=st.lists(text_edits, max_size=2))
def test_fuzzed_draft_renders_or_is_refused_cleanly(tmp_path, sample, data_steps, text_steps):
    room = fresh(tmp_path / "room")
    (room / "draft.yaml").write_text(mutated_yaml(SAMPLES / sample, data_steps, text_steps), encoding="utf-8")
    result = run(room, "render", "draft.yaml", "-o", "ra.docx")
    assert_clean(result)
    if result.exit_code == 0:
        assert_opens(room / "ra.docx")
    else:
        assert not (room / "ra.docx").exists()
    assert not [p for p in room.iterdir() if p.name.endswith(".tmp")]


@FUZZ
@given(raw=st.binary(max_size=300), prefix=st.sampled_from([b"", b"loai: cong-van\n", b"\xef\xbb\xbf"]))
def test_draft_bytes_of_any_kind_are_refused_cleanly(tmp_path, raw, prefix):
    room = fresh(tmp_path / "room")
    (room / "draft.yaml").write_bytes(prefix + raw)
    assert_clean(run(room, "render", "draft.yaml", "-o", "ra.docx"))


# --------------------------------------------------------------------------------- presets

@FUZZ
@given(preset=st.sampled_from(["ubnd-tinh-ha-tinh", "nhan-lanh-dao-tinh", "demo"]),
       data_steps=st.lists(edits, min_size=1, max_size=4),
       text_steps=st.lists(text_edits, max_size=2))
def test_fuzzed_preset_is_used_or_refused_cleanly(tmp_path, preset, data_steps, text_steps):
    room = fresh(tmp_path / "room")
    (room / "presets").mkdir()
    text = mutated_yaml(resources.presets_dir() / f"{preset}.yaml", data_steps, text_steps)
    (room / "presets" / f"{preset}.yaml").write_text(text, encoding="utf-8")
    draft = (SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8")
    draft = draft.replace("dung: [ubnd-tinh-ha-tinh]", f"dung: [ubnd-tinh-ha-tinh, {preset}]")
    (room / "draft.yaml").write_text(draft, encoding="utf-8")
    result = run(room, "render", "draft.yaml", "-o", "ra.docx")
    assert_clean(result)
    if result.exit_code == 0:
        assert_opens(room / "ra.docx")
    assert_clean(run(room, "presets", "check", f"presets/{preset}.yaml"))
    assert_clean(run(room, "presets", "check", "--json", f"presets/{preset}.yaml"))


# ---------------------------------------------------------------------------------- sheets

BATCH_DRAFT = SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml"
BATCH_SHEET = SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv"
COLUMNS = ["ma", "ten", "ten_day_du", "dao_tao", "tap_huan", "may_moc", "mo_hinh", "tuyen_truyen"]
cells = st.one_of(texts, st.integers(min_value=-(10 ** 20), max_value=10 ** 20).map(str),
                  st.sampled_from(["", "=1+1", "=HYPERLINK(\"x\")", "1.500,5", "-0", "1e5", " 60 "]))
xlsx_cells = st.one_of(texts, st.none(), st.booleans(), st.integers(min_value=-(10 ** 15), max_value=10 ** 15),
                       st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 1, 1)),
                       st.sampled_from(["=1+1", "=A1&B1", "=SUM(D2:D9)"]))
headers = st.lists(st.one_of(st.sampled_from(COLUMNS + KEYS), texts), min_size=0, max_size=3)
NAMES = st.one_of(st.none(), st.sampled_from(["{ma}-{ten}", "{ten}", "{ma:>999999999}", "{ma:{ten}}",
                                              "{nope}", "{", "}", "../{ma}", "{ma}/{ten}", "{0}", "{ma!r}",
                                              "{ma.__class__}", "x" * 300, "{ten:.3}", ""]), texts)


def original_rows() -> list[list[str]]:
    with BATCH_SHEET.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:4]


@FUZZ
@given(extra=headers, rows=st.lists(st.tuples(st.integers(min_value=0, max_value=20), cells), max_size=6),
       drop=st.lists(st.integers(min_value=0, max_value=10), max_size=2), name=NAMES,
       ragged=st.booleans())
def test_fuzzed_csv_sheet_gives_documents_or_clean_row_errors(tmp_path, extra, rows, drop, name, ragged):
    room = fresh(tmp_path / "room")
    shutil.copy(BATCH_DRAFT, room / "draft.yaml")
    header = COLUMNS + extra
    body = [r + [""] * len(extra) for r in original_rows()]
    for at, value in rows:  # hostile cells, anywhere
        r = body[at % len(body)]
        r[at % len(r)] = value
    for d in drop:  # a ragged sheet: cells missing from a row
        r = body[d % len(body)]
        if ragged and r:
            del r[d % len(r):]
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *body])
    (room / "data.csv").write_text(buf.getvalue(), encoding="utf-8")
    args = ["batch", "draft.yaml", "data.csv", "-o", "ra"] + ([] if name is None else ["--name", name])
    result = run(room, *args)
    assert_clean(result)
    out = room / "ra"
    if out.is_dir():
        for docx in out.rglob("*.docx"):
            assert_opens(docx)
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@FUZZ
@given(values_=st.lists(st.tuples(st.integers(min_value=0, max_value=40), xlsx_cells), max_size=8),
       extra=headers)
def test_fuzzed_xlsx_sheet_gives_documents_or_clean_row_errors(tmp_path, values_, extra):
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def storable(v):  # openpyxl cannot write control characters (Excel cannot hold them either)
        return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v

    room = fresh(tmp_path / "room")
    shutil.copy(BATCH_DRAFT, room / "draft.yaml")
    wb = openpyxl.Workbook()
    ws = wb.active
    header = COLUMNS + [h for h in extra if isinstance(h, str)]
    ws.append([storable(h) for h in header])
    body = [[int(c) if c.isdigit() and i > 2 else c for i, c in enumerate(r)] + [None] * (len(header) - len(r))
            for r in original_rows()]
    for at, value in values_:
        r = body[at % len(body)]
        r[at % len(r)] = value
    for r in body:
        ws.append([storable(v) for v in r])
    try:
        wb.save(room / "data.xlsx")
    except (ValueError, TypeError):
        return
    result = run(room, "batch", "draft.yaml", "data.xlsx", "-o", "ra")
    assert_clean(result)
    if (room / "ra").is_dir():
        for docx in (room / "ra").rglob("*.docx"):
            assert_opens(docx)


# ------------------------------------------------------------------- appendix tables and sheets

APPENDIX_DRAFT = """\
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
don_vi_soan: KT
ngay: 2026-01-15
trich_yeu: phân bổ kinh phí
kinh_gui: Sở Tài chính
noi_dung: |
  Tổng kinh phí là {{ phu_luc[0].tong.kinh_phi.voi_dvt }} ({{ phu_luc[0].tong.kinh_phi.chu }}), chi tiết tại Phụ lục kèm theo.
noi_nhan: [Như trên]
luu: [VT, KT]
ky: {kt: CHỦ TỊCH, chuc_vu: PHÓ CHỦ TỊCH, ho_ten: Dương Tất Thắng}
phu_luc:
  - tieu_de: PHÂN BỔ KINH PHÍ
    don_vi_tinh: triệu đồng
    bang:
      chi_tieu: [{ma: kinh_phi, ten: Kinh phí, cong: true}]
      bang_chu: kinh_phi
      tep: bang.csv
"""
APPENDIX_SHEET = [["TT", "Nội dung", "ĐVT", "Kinh phí"], ["I", "Đào tạo", "", ""], ["1", "Đào tạo nghề", "Lớp", "60"],
                  ["2", "Tập huấn", "Lớp", "30"], ["II", "Tuyên truyền", "", "10"], ["", "Tổng cộng", "", "100"]]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A document with an appendix, rendered once: `appendix` is fuzzed against it."""
    room = tmp_path_factory.mktemp("appendix")
    (room / "draft.yaml").write_text(APPENDIX_DRAFT, encoding="utf-8")
    with (room / "bang.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(APPENDIX_SHEET)
    result = run(room, "render", "draft.yaml", "-o", "vb.docx")
    if result.exit_code != 0:
        pytest.fail(f"the appendix base does not render: {result.output}")
    return (room / "vb.docx").read_bytes()


@FUZZ
@given(cell_edits=st.lists(st.tuples(st.integers(min_value=0, max_value=30), cells), max_size=6),
       extra_rows=st.lists(st.lists(cells, max_size=5), max_size=3),
       data_steps=st.lists(edits, max_size=2))
def test_fuzzed_appendix_data_regenerates_or_is_refused_cleanly(tmp_path, made, cell_edits, extra_rows, data_steps):
    room = fresh(tmp_path / "room")
    tree = load(APPENDIX_DRAFT)
    for step in data_steps:
        tree = apply_edit(tree, copy.deepcopy(step))
    (room / "draft.yaml").write_text(dump(tree), encoding="utf-8")
    sheet = [list(r) for r in APPENDIX_SHEET] + [list(r) for r in extra_rows]
    for at, value in cell_edits:
        r = sheet[1 + at % (len(sheet) - 1)] if len(sheet) > 1 else sheet[0]
        if r:
            r[at % len(r)] = value
    with (room / "bang.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(sheet)
    (room / "vb.docx").write_bytes(made)
    result = run(room, "appendix", "draft.yaml", "vb.docx", "-o", "moi.docx")
    assert_clean(result)
    if result.exit_code == 0:
        assert_opens(room / "moi.docx")
    else:
        assert not (room / "moi.docx").exists()
    assert (room / "vb.docx").read_bytes() == made  # -o given: the edited document is untouched


# ------------------------------------------------------------------------- agency templates

TEMPLATE_SNIPPETS = [
    "{{ doc.vv }}", "{{ doc }}", "{{ doc.vv|upper }}", "{{ doc.vv|safe }}", "{{ 9**99 }}", "{{ 9**(9**9) }}",
    "{% for i in range(10**8) %}{% endfor %}", "{{ doc.vv * 99999999 }}", "{{ '%s'|format(doc) }}",
    "{{ doc.vv|center(3000000000) }}", "{{ doc.vv|wordwrap(0) }}", "{% set x = 1 %}", "{% if %}", "{% endif %}",
    "{{ doc.__class__ }}", "{{ cycler.__init__.__globals__ }}", "{{ 104|doc_so }}", "{%p if doc.vv %}",
    "{%tr for r in doc %}", "{{r doc.vv }}", "{{ ", " }}", "{%", "<", "&", "\ufffe", "\ue000",
    "{{ doc.vv|replace('', 'x'*999) }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% include 'x' %}", "{% import 'x' as y %}", "{% extends 'x' %}", "{{ self }}", "{{ namespace() }}",
]


def agency_template(room: Path, edits_: list[tuple[int, str]], raw: list[tuple[int, bytes]]) -> None:
    """The built-in cong-van.docx, with snippets put into its text and bytes into its XML."""
    own = room / "templates" / "cong-van.docx"
    own.parent.mkdir()
    with zipfile.ZipFile(resources.templates_dir() / "cong-van.docx") as src, zipfile.ZipFile(own, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                starts = [i + 1 for i, ch in enumerate(text) if ch == ">" and text.startswith("<w:t", text.rfind("<", 0, i))]
                for pick, snippet in edits_:
                    if starts:
                        at = starts[pick % len(starts)]
                        escaped = snippet.replace("&", "&amp;").replace("<", "&lt;")
                        text = text[:at] + escaped + text[at:]
                data = text.encode("utf-8")
                for pick, blob in raw:
                    at = pick % (len(data) + 1)
                    data = data[:at] + blob + data[at:]
            dst.writestr(item, data)


@FUZZ
@given(edits_=st.lists(st.tuples(st.integers(min_value=0, max_value=10 ** 6),
                                 st.one_of(st.sampled_from(TEMPLATE_SNIPPETS), st.sampled_from(SNIPPETS))),
                       min_size=1, max_size=3),
       raw=st.lists(st.tuples(st.integers(min_value=0, max_value=10 ** 7),
                              st.sampled_from([b"<", b"</w:p>", b"<!DOCTYPE x>", b"&e;", b"\x00", b"{{"])),
                    max_size=1))
def test_fuzzed_agency_template_renders_or_is_refused_cleanly(tmp_path, edits_, raw):
    room = fresh(tmp_path / "room")
    agency_template(room, edits_, raw)
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", room / "draft.yaml")
    result = run(room, "render", "draft.yaml", "-o", "ra.docx")
    assert_clean(result)
    if result.exit_code == 0:
        assert_opens(room / "ra.docx")
    else:
        assert not (room / "ra.docx").exists()


# ------------------------------------------------------------------ received documents' text

@pytest.fixture(scope="module")
def received(tmp_path_factory):
    room = tmp_path_factory.mktemp("received")
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", room / "draft.yaml")
    result = run(room, "render", "draft.yaml", "-o", "vb.docx")
    if result.exit_code != 0:
        pytest.fail(f"the check base does not render: {result.output}")
    return (room / "vb.docx").read_bytes()


@FUZZ
@given(edits_=st.lists(st.tuples(st.integers(min_value=0, max_value=10 ** 6), texts), min_size=1, max_size=5),
       as_json=st.booleans())
def test_check_of_any_text_in_a_document_is_clean(tmp_path, received, edits_, as_json):
    """What a received document says is the sender's: any text in any run."""
    room = fresh(tmp_path / "room")
    with zipfile.ZipFile(io.BytesIO(received)) as src:
        root = etree.fromstring(src.read("word/document.xml"))
        runs = root.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
        for pick, text in edits_:
            clean = "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch and ch not in "\ufffe\uffff"))
            runs[pick % len(runs)].text = clean
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "word/document.xml":
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                dst.writestr(item, data)
    (room / "vb.docx").write_bytes(out.getvalue())
    result = run(room, "check", *(["--json"] if as_json else []), "vb.docx")
    assert_clean(result)
    if as_json:
        json.loads(result.stdout)


def test_the_fuzz_bases_are_sound(made, received, tmp_path):
    """Every fuzzed door starts from input that works: a fuzz test whose base already fails
    proves nothing."""
    room = fresh(tmp_path / "room")
    shutil.copy(BATCH_DRAFT, room / "draft.yaml")
    shutil.copy(BATCH_SHEET, room / "data.csv")
    result = run(room, "batch", "draft.yaml", "data.csv", "-o", "ra", "--max-rows", "100")
    assert result.exit_code == 0, result.output
    assert len(list((room / "ra").glob("*.docx"))) == 69
    for sample in ("000-cong-van-ha-tinh.yaml", "004-quyet-dinh-hung-yen.yaml"):
        r = run(SAMPLES, "render", sample, "-o", str(room / f"{sample}.docx"))
        assert r.exit_code == 0, r.output
    room2 = fresh(tmp_path / "tpl")
    agency_template(room2, [(0, "")], [])
    shutil.copy(SAMPLES / "000-cong-van-ha-tinh.yaml", room2 / "draft.yaml")
    assert run(room2, "render", "draft.yaml", "-o", "ra.docx").exit_code == 0
    assert run(room, "check", str(room / "000-cong-van-ha-tinh.yaml.docx")).exit_code == 0
