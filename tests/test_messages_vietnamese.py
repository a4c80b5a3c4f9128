"""Every message a command prints is Vietnamese (issue 16, point 2).

Two parts:

* click's own messages: every string click's installed source passes to gettext
  (read from the source, so a click upgrade that adds one fails here) has its
  Vietnamese in drafter/cli/vietnamese.py, and click's modules use it;
* every command's error paths through the real CLI: ``--help``, an unknown option,
  a missing argument, an option without its value, a bad option value, an extra
  argument (all generated from the commands themselves, so a new command or option
  is walked too), then the file cases (missing file, folder, bad YAML, a key of the
  wrong type, an empty value, a misread number, a '#' that cuts a value, a file not
  in UTF-8, a document that is no .docx). Each: the exit code, no English word of
  click's catalogue nor any Python, pydantic or YAML internal, and the file named.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import string
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from drafter.cli import main, vietnamese

CLICK_DIR = Path(click.__file__).parent
REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "000-cong-van-ha-tinh.yaml"


# --------------------------------------------------------------------------- click's catalogue


def click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal click's modules pass to gettext's _() and ngettext()."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for path in sorted(CLICK_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and literals:
                singles.add(literals[0])
            elif node.func.id == "ngettext" and len(literals) >= 2:
                plurals.add((literals[0], literals[1]))
    return singles, plurals


def test_the_source_is_read():
    singles, plurals = click_messages()
    assert {"Usage:", "Options", "Missing argument", "Show this message and exit."} <= singles
    assert len(singles) > 50 and len(plurals) >= 5


def test_every_click_message_has_its_vietnamese():
    singles, plurals = click_messages()
    assert sorted(singles - set(vietnamese.CATALOGUE)) == []
    assert sorted(plurals - set(vietnamese.PLURALS)) == []
    # and nothing stale: each entry is still one of click's (or named as not a literal)
    assert sorted(set(vietnamese.CATALOGUE) - singles - set(vietnamese.NOT_IN_GETTEXT)) == []


@pytest.mark.parametrize("english, words", sorted(vietnamese.CATALOGUE.items()))
def test_a_translation_keeps_only_the_placeholders_click_fills(english, words):
    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert fields(words) <= fields(english)
    assert words != english


def test_click_modules_use_the_vietnamese_catalogue():
    import importlib

    for name in ("core", "exceptions", "formatting", "types", "decorators", "parser", "termui"):
        module = importlib.import_module(f"click.{name}")
        assert module._("Usage:") == "Cách dùng:", name
        if hasattr(module, "ngettext"):
            assert module.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1) \
                == "Có phải ý bạn là {possibility}?"


# --------------------------------------------------------------------------- the deny-list

_ALLOWED = {"help", "true", "false"}  # "--help" is typed; true/false are YAML's own words


def _deny_words() -> set[str]:
    words: set[str] = set()
    singles, plurals = click_messages()
    for text in [*singles, *(w for pair in plurals for w in pair)]:
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}
    return words - _ALLOWED


DENY_WORDS = _deny_words()
DENY_EXACT = ["Usage", "Error", "Options", "Commands", "Traceback", "None", "float", "str", "int", "dict",
              "list", "bool", "constrained", "Permission denied", "SCHEMA", "Input should", "pydantic",
              "ruamel", "found character", "Exception", "NoneType", "Decimal", "ScalarFloat"]
DENY_ANYWHERE = ["<?>", "Lỗi nội bộ", "'None'", "(float)", "Abort"]


def english(output: str, typed: list[str]) -> list[str]:
    """The English words and internals in ``output`` (what the user typed removed)."""
    text = output
    for arg in sorted(typed, key=len, reverse=True):
        if len(arg) > 2:
            text = text.replace(arg, " ")
    text = re.sub(r"(?<![\w])--?[a-z][a-z0-9-]*", " ", text)  # option names: --help, -o
    found = [w for w in DENY_ANYWHERE if w in text]
    found += [w for w in DENY_EXACT if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", text)]
    found += sorted({w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() in DENY_WORDS})
    return found


def test_the_deny_list_catches_clicks_english():
    assert english("Usage: drafter render [OPTIONS] FILE\nError: Missing argument 'FILE'.", [])
    assert english("Giá trị của 'so' sai kiểu: nhưng gặp 'None'.", [])
    assert english("x.yaml:2:1: lỗi: found character '\\t' that cannot start any token", [])
    assert english("lỗi [kinh_gui.constrained-str]: x", [])
    assert english("Không ghi được a.docx: Permission denied.", [])
    assert english("Lỗi nội bộ của drafter (Abort)", [])
    assert not english("Cách dùng: drafter render [TÙY_CHỌN] BẢN_THẢO.yaml\n"
                       "Lỗi: Thiếu tham số 'BẢN_THẢO.yaml'. Xem hướng dẫn: drafter render --help", [])


# --------------------------------------------------------------------------- the commands


def _commands(group: click.Group = main, path: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*path, name))


COMMANDS = dict(_commands())
FILL = {"LOẠI": "cong-van", "SỐ": "5", "TÊN": "demo", "BẢN_THẢO.yaml": "ban-thao.yaml",
        "VĂN_BẢN.docx": "van-ban.docx", "TỆP.docx…": "van-ban.docx"}


def _required_args(cmd: click.Command) -> list[str]:
    """Values for the required arguments, then each required option with a value."""
    ctx = click.Context(cmd)
    args = [FILL.get(p.make_metavar(ctx).strip("[]."), "x") for p in cmd.params
            if isinstance(p, click.Argument) and p.required]
    for p in cmd.params:
        if isinstance(p, click.Option) and p.required:
            args += [max(p.opts, key=len), _fill_value(p)]
    return args


def _fill_value(p: click.Option) -> str:
    """A value the option takes: a choice's first, else a name."""
    return p.type.choices[0] if isinstance(p.type, click.Choice) else "ra"


def _required_options(cmd: click.Command) -> list[str]:
    return [a for p in cmd.params if isinstance(p, click.Option) and p.required
            for a in (max(p.opts, key=len), _fill_value(p))]


def _generic_cases():
    """(args, exit code, what must be said) for every command and option."""
    for path, cmd in COMMANDS.items():
        args = list(path)
        yield args + ["--help"], 0, ["Cách dùng:", "Tùy chọn:", "In hướng dẫn này rồi thoát."]
        yield args + ["--khong-co"], 2, ["Không có tùy chọn '--khong-co'", "Xem hướng dẫn:"]
        if isinstance(cmd, click.Group):
            yield args + ["khong-co"], 2, ["Không có lệnh 'khong-co'"]
            continue
        fill = _required_args(cmd)
        if any(isinstance(p, click.Argument) and p.required for p in cmd.params):
            yield args, 2, ["Thiếu tham số"]
        if _required_options(cmd):
            yield args + [a for a in fill if a not in _required_options(cmd)], 2, ["Thiếu tùy chọn"]
        params = [p for p in cmd.params if isinstance(p, click.Argument)]
        if params and all(p.nargs == 1 for p in params):
            extra = [FILL.get(p.make_metavar(click.Context(cmd)).strip("[]."), "x") for p in params]
            extra += _required_options(cmd)
            yield args + extra + ["thua", "--force"] if any(o.name == "force" for o in cmd.params) \
                else args + extra + ["thua"], 2, ["Thừa tham số"]
        for opt in cmd.params:
            if not isinstance(opt, click.Option) or opt.is_flag or opt.count:
                continue
            name = max(opt.opts, key=len)
            yield args + fill + [name], 2, [f"Tùy chọn '{name}' cần một giá trị."]
            if isinstance(opt.type, (click.IntRange, click.FloatRange)):
                yield args + fill + [name, "abc"], 2, ["không hợp lệ", "'abc' không phải số"]
                if opt.type.min is not None:
                    yield args + fill + [name, "-1000"], 2, ["không hợp lệ", "cần một số từ"]


GENERIC = list(_generic_cases())


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, tmp_path / "ban-thao.yaml")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="drafter")


COMMAND_NAMES = sorted({name for path in COMMANDS for name in path})


def _check(r, args: list[str], code: int, needles: list[str]):
    out = r.output
    assert (r.exit_code == 0) if code == 0 else (r.exit_code == code), (args, r.exit_code, out)
    flat = " ".join(out.split())  # help text wraps where the terminal width says
    for needle in needles:
        assert needle in out or " ".join(needle.split()) in flat, (args, needle, out)
    typed = args + [f"  {name} " for name in COMMAND_NAMES]  # a command's name in a command list
    assert english(out, typed) == [], (args, english(out, typed), out)
    assert "Traceback" not in out


def test_every_command_and_option_is_walked():
    names = {" ".join(p) for p in COMMANDS}
    assert {"new", "render", "types", "words", "presets", "presets check", "check", "pdf", "preview",
            "batch", "appendix"} <= names
    assert len(GENERIC) > 60


@pytest.mark.parametrize("args, code, needles", GENERIC, ids=[" ".join(a) for a, _, _ in GENERIC])
def test_command_line_mistakes_are_said_in_vietnamese(here, args, code, needles):
    _check(run(*args), args, code, needles)


def test_the_group_itself(here):
    _check(run(), [], 2, ["Cách dùng: drafter [TÙY_CHỌN] LỆNH [THAM_SỐ]...", "Lệnh:", "Tùy chọn:"])
    _check(run("--version"), [], 0, ["drafter, phiên bản"])
    _check(run("renderr"), ["renderr"], 2, ["Không có lệnh 'renderr'"])


def test_option_help_and_defaults_in_vietnamese(here):
    r = run("batch", "--help")
    _check(r, ["batch", "--help"], 0, ["[bắt buộc]", "mặc định: 1", "từ 1 đến 64", "SỐ_NGUYÊN"])
    r = run("pdf", "--help")
    _check(r, ["pdf", "--help"], 0, ["mặc định: 300;", "từ 1 trở lên"])


# --------------------------------------------------------------------------- files


TAB = "loai: cong-van\ntrich_yeu: x\nky:\n\tho_ten: A\n"


def _draft(here: Path, name: str, text: str) -> str:
    (here / name).write_text(text, encoding="utf-8")
    return name


def _sample_with(here: Path, name: str, old: str, new: str) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    return _draft(here, name, text.replace(old, new, 1))


YAML_COMMANDS = [
    ["render", "{f}"],
    ["preview", "{f}"],
    ["batch", "{f}", "du-lieu.csv", "-o", "ra"],
    ["appendix", "{f}", "van-ban.docx"],
    ["presets", "check", "{f}"],
]


def _with(cmd: list[str], f: str) -> list[str]:
    return [a.replace("{f}", f) for a in cmd]


@pytest.mark.parametrize("cmd", YAML_COMMANDS, ids=[c[0] + (" " + c[1] if c[0] == "presets" else "") for c in YAML_COMMANDS])
def test_yaml_syntax_errors_are_vietnamese_with_file_line_and_column(here, cmd):
    (here / "du-lieu.csv").write_text("ma,ten\n1,A\n", encoding="utf-8")
    if cmd[0] == "appendix":
        assert run("render", "ban-thao.yaml", "-o", "van-ban.docx").exit_code == 0
    f = _draft(here, "tab.yaml", TAB)
    args = _with(cmd, f)
    r = run(*args)
    _check(r, args, 1, ["tab.yaml:4:1: lỗi: Tệp YAML viết sai cú pháp: gặp ký tự Tab"])


def test_new_names_the_preset_file_with_a_syntax_error(here):
    (here / "presets").mkdir()
    (here / "presets" / "hong.yaml").write_text("co_quan:\n\tten: A\n", encoding="utf-8")
    args = ["new", "cong-van", "--preset", "hong", "--no-input"]
    r = run(*args)
    _check(r, args, 1, [os.path.join("presets", "hong.yaml") + ":2:1:", "gặp ký tự Tab"])


FILE_CASES = [
    # (name, command with {f}, file text or None, exit code, what must be said)
    ("missing draft", ["render", "khong-co.yaml"], None, 1, ["khong-co.yaml", "Không tìm thấy tệp"]),
    ("missing draft, preview", ["preview", "khong-co.yaml"], None, 1, ["khong-co.yaml"]),
    ("missing draft, batch", ["batch", "khong-co.yaml", "du-lieu.csv", "-o", "ra"], None, 1, ["khong-co.yaml"]),
    ("no data for batch", ["batch", "ban-thao.yaml", "-o", "ra"], None, 1, ["Lỗi [DỮ_LIỆU]: Cần đúng một nguồn"]),
    ("missing sheet", ["batch", "ban-thao.yaml", "khong-co.csv", "-o", "ra"], None, 1, ["khong-co.csv"]),
    ("missing document, check", ["check", "khong-co.docx"], None, 1, ["khong-co.docx"]),
    ("missing document, pdf", ["pdf", "khong-co.docx"], None, 1, ["khong-co.docx"]),
    ("missing document, appendix", ["appendix", "ban-thao.yaml", "khong-co.docx"], None, 1, ["khong-co.docx"]),
    ("missing preset file", ["presets", "check", "khong-co.yaml"], None, 1, ["khong-co.yaml"]),
    ("a folder for a draft", ["render", "thu-muc"], "DIR", 2, ["'thu-muc' là một thư mục, cần một tệp."]),
    ("not UTF-8", ["render", "{f}"], b"loai: cong-van\ntrich_yeu: V\xe8 vi\xeac\n", 1,
     ["{f}:2:", "UTF-8"]),
    ("not a .docx", ["check", "{f}"], b"loai: cong-van\n", 1, ["{f}"]),
    ("unknown key", ["render", "{f}"], ("ky:", "kyy:"), 1, ["{f}:", "Khóa 'kyy' không có"]),
    ("a group where a text is wanted", ["render", "{f}"], ("  - UBND các huyện, thành phố, thị xã", "  - {a: 1}"),
     1, ["{f}:", "[kinh_gui[1]]", "cần một đoạn văn bản, nhưng gặp một nhóm khóa con"]),
    ("a list where a text is wanted", ["render", "{f}"], ("trich_yeu: tăng", "trich_yeu: [a, b]\nx_: tăng"),
     1, ["{f}:", "[trich_yeu]", "gặp một danh sách"]),
    ("an empty value", ["render", "{f}"], ("  ho_ten: Dương Tất Thắng", "  ho_ten:"),
     1, ["{f}:", "[ky.ho_ten]", "để trống"]),
    ("an empty choice", ["render", "{f}"], ("don_vi_soan: KT1", "don_vi_soan: KT1\ndo_khan:"), 0, []),
    ("a wrong choice", ["render", "{f}"], ("don_vi_soan: KT1", "don_vi_soan: KT1\ndo_khan: 1.5"),
     1, ["{f}:", "[do_khan]", "'1.5'"]),
    ("so misread", ["render", "{f}"], ("so: 8287", "so: 1.500"),
     1, ["{f}:5:1: lỗi [so]: 1.500 đọc là một nghìn năm trăm hay một phẩy năm?", "viết 1500"]),
    ("nam misread", ["render", "{f}"], ("so: 8287", "so: 8287\nnam: 2.000"),
     1, ["{f}:6:1: lỗi [nam]: 2.000 đọc là hai nghìn hay hai?"]),
    ("nam out of range", ["render", "{f}"], ("so: 8287", "so: 8287\nnam: 1800"),
     1, ["[nam]", "phải từ 1945 trở lên, không phải '1800'"]),
    ("a '#' that cuts a value", ["render", "{f}", "--force"],
     ("trich_yeu: tăng cường hoạt động", "trich_yeu: tăng cường hoạt động số #12"), 0,
     ["{f}:8:", "cảnh báo [trich_yeu]", "Dấu '#' bắt đầu một ghi chú: phần '#12"]),
    ("a misread number in a preset", ["presets", "check", "{f}"], "co_quan:\n  ten: [A]\n  viet_tat: 1.500\n",
     0, []),
    ("a preset with a type error", ["presets", "check", "{f}"], "ky:\n  ho_ten: [A, B]\n", 1,
     ["{f}:2:", "[ky.ho_ten]", "gặp một danh sách"]),
]


@pytest.mark.parametrize("name, cmd, content, code, needles", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_file_mistakes_are_vietnamese_and_name_the_file(here, name, cmd, content, code, needles):
    f = "loi.yaml"
    (here / "du-lieu.csv").write_text("ma,ten\n1,A\n", encoding="utf-8")
    if content == "DIR":
        (here / "thu-muc").mkdir()
    elif isinstance(content, bytes):
        (here / f).write_bytes(content)
    elif isinstance(content, tuple):
        _sample_with(here, f, *content)
    elif isinstance(content, str):
        _draft(here, f, content)
    args = _with(cmd, f)
    r = run(*args)
    _check(r, args, code, [n.replace("{f}", f) for n in needles])


def test_a_misread_number_in_a_text_key_keeps_what_was_typed(here):
    from docx_view import DocView

    f = _sample_with(here, "so.yaml", "trich_yeu: tăng cường", "trich_yeu: 2.000 tăng cường")
    r = run("render", f)
    assert r.exit_code == 0, r.output
    f = _sample_with(here, "so2.yaml", "  - Như trên\n", "  - Như trên\n  - 1.500\n")
    r = run("render", f)
    assert r.exit_code == 0, r.output
    assert any(t.startswith("- 1.500") for t in DocView(here / "so2.docx").texts())


def test_words_reads_negative_amounts_as_its_help_shows(here):
    r = run("words", "--help")
    assert "-5" in r.output
    _check(run("words", "-5"), ["words", "-5"], 0, ["âm năm"])
    r = run("words", "-1.500.000", "--dong")
    _check(r, ["words"], 0, ["Bằng chữ: Âm một triệu năm trăm nghìn đồng."])
    _check(run("words", "--dong", "-12,5"), ["words"], 0, ["Bằng chữ: Âm mười hai phẩy năm đồng."])
    r = run("words", "abc")
    _check(r, ["words", "abc"], 1, ["Lỗi [SỐ]: Số \"abc\" không hợp lệ"])


def test_problems_without_a_file_have_no_placeholder(here):
    r = run("new", "khong-co-loai", "--no-input")
    _check(r, ["new", "khong-co-loai"], 1, ["Lỗi [LOẠI]: Loại văn bản 'khong-co-loai'"])
    r = run("presets", "show", "khong-co")
    _check(r, ["presets", "show", "khong-co"], 1, ["'khong-co'"])


# --------------------------------------------------------------------------- Ctrl-C


DRAFTER = shutil.which("drafter") or str(Path(sys.executable).parent / "drafter")


def _wait_opening(proc, fifo: Path, limit: float = 30.0) -> None:
    """Until the command is blocked opening the pipe (its open() shows in /proc), so a
    loaded machine's slow imports do not decide where the Ctrl-C lands."""
    deadline = time.monotonic() + limit
    syscall = Path(f"/proc/{proc.pid}/syscall")
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            fields = syscall.read_text().split()
        except OSError:
            break  # no /proc: fall back to a fixed wait
        # in openat (257 on x86_64, 56 on arm64) at two looks 0.2 s apart: blocked in
        # it (a module's file opens in microseconds)
        if fields and fields[0] in ("257", "56", "2"):
            seen += 1
            if seen == 2:
                return
        else:
            seen = 0
        time.sleep(0.2)
    time.sleep(2.0)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
@pytest.mark.parametrize("cmd", [["render"], ["preview"], ["batch", "du-lieu.csv", "-o", "ra"]])
def test_ctrl_c_during_a_command_is_a_plain_message_and_exit_1(tmp_path, cmd):
    # A draft that is a named pipe: the command waits on it, certainly inside its work.
    fifo = tmp_path / "cho.yaml"
    os.mkfifo(fifo)
    (tmp_path / "du-lieu.csv").write_text("ma,ten\n1,A\n", encoding="utf-8")
    # Ctrl-C as a terminal sends it: a test run started in the background of a
    # non-interactive shell has SIGINT ignored, and a child inherits that.
    proc = subprocess.Popen([DRAFTER, cmd[0], str(fifo), *cmd[1:]], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_opening(proc, fifo)  # imports done, blocked opening the pipe
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    text = (out + err).decode("utf-8")
    assert proc.returncode == 1, text
    if cmd[0] != "batch":
        assert proc.returncode == 1, text
    assert "Đã dừng" in text and english(text, [str(fifo)]) == [], text


def test_a_draft_that_cannot_be_read_is_said_in_vietnamese(here, monkeypatch):
    import errno

    real = Path.read_bytes

    def refuse(self):
        if self.name == "ban-thao.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    args = ["render", "ban-thao.yaml"]
    _check(run(*args), args, 1, ["ban-thao.yaml: lỗi: Không đọc được tệp: không có quyền đọc tệp này."])


@pytest.mark.parametrize("old, new, needle", [
    ("{{ phu_luc[0].tong.kinh_phi.voi_dvt }}", "{{ phu_luc[0].tong.kinh_phi.khong_co }}", "không có 'khong_co'"),
    ("{{ phu_luc[0].tong.kinh_phi.voi_dvt }}", "{{ phu_luc[0].tong.kinh_phi | khong_co }}", "viết sai"),
])
def test_a_quoted_figure_that_cannot_be_read_is_said_in_vietnamese(here, old, new, needle):
    text = (REPO / "samples" / "004-quyet-dinh-hung-yen.yaml").read_text(encoding="utf-8")
    assert old in text
    (here / "qd.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    args = ["render", "qd.yaml"]
    _check(run(*args), args, 1, ["qd.yaml:", needle])


@pytest.mark.parametrize("expression, needle", [
    ("{{ hang.ten | khong_co }}", "không có bộ lọc 'khong_co'"),
    ("{{ hang.ten[ }}", "thiếu dấu ']'"),
    ("{{ hang.ten hang.ma }}", "thừa 'hang'"),
    ("{{ 1 + hang.ten }}", "không tính được"),
])
def test_a_batch_expression_mistake_is_said_in_vietnamese(here, expression, needle):
    text = re.sub(r"(?m)^trich_yeu: .*$", f"trich_yeu: \"tăng cường {expression}\"",
                  SAMPLE.read_text(encoding="utf-8"), count=1)
    (here / "lo.yaml").write_text(text, encoding="utf-8")
    (here / "du-lieu.csv").write_text("ma,ten\n1,A\n", encoding="utf-8")
    args = ["batch", "lo.yaml", "du-lieu.csv", "-o", "ra"]
    _check(run(*args), args, 1, [needle])
