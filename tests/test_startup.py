"""Start-up: each command imports only what it needs (issue 19, point 5).

Which modules a whole command loads, not how long it takes (times are for
bench/bench_startup.py): a fresh interpreter runs the command as the console script
does and writes the names in ``sys.modules`` to a file. `drafter check` must not load
the drafting side (pydantic, the draft model, Jinja, docxtpl, YAML), `drafter render`
not the checker nor python-docx/docxtpl once its template is cached, and neither of
them the network stack that ``xml.sax.saxutils`` used to drag in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "000-cong-van-ha-tinh.yaml"

RUN = """
import sys
from drafter.cli.main import main
out, args = sys.argv[1], sys.argv[2:]
try:
    main(args)
except SystemExit:
    pass
names = sorted(sys.modules)  # before json, which this script needs and the command may not
import json
with open(out, "w", encoding="utf-8") as f:
    json.dump(names, f)
"""


def _loaded(tmp: Path, *args: str) -> set[str]:
    """The modules a fresh `drafter ARGS…` process has loaded when it ends."""
    out = tmp / "modules.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", RUN, str(out), *args], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert out.exists(), done.stderr
    return set(json.loads(out.read_text(encoding="utf-8")))


def _any(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` loaded (a package counts when any module under it is)."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in loaded))


NETWORK = ("urllib.request", "http.client", "ssl", "xml.sax", "socket", "email")
# pydantic's plugin search (cli/__init__.py gives it an empty loader): metadata of every installed package
PLUGIN_SEARCH = ("importlib.metadata", "email", "socket", "zipfile", "csv")
DRAFTING = ("pydantic", "jinja2", "docxtpl", "docx", "ruamel", "yaml", "drafter.model", "drafter.validation",
            "drafter.derive", "drafter.api", "drafter.render", "drafter.sandbox")
# click's modules for shell completion and terminal helpers (progress bar, pager, editor), and what
# they bring: given the Vietnamese catalogue when imported (cli/vietnamese.py), not imported for it
CLICK_LATER = ("click.shell_completion", "click._termui_impl", "shlex", "tty", "termios")
# only for a mistyped name (doctypes, presets, the model's unknown key): a correct draft never asks
NEAR_NAMES = ("difflib",)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A công văn draft and its rendered .docx, and the modules of three commands."""
    tmp = tmp_path_factory.mktemp("startup")
    shutil.copy(SAMPLE, tmp / "cv.yaml")
    first = _loaded(tmp, "render", "cv.yaml")  # fills the template cache
    assert (tmp / "cv.docx").is_file()
    return {
        "tmp": tmp,
        "first_render": first,
        "render": _loaded(tmp, "render", "cv.yaml", "--force"),
        "check": _loaded(tmp, "check", "cv.docx"),
        "help": _loaded(tmp, "--help"),
        "pdf_help": _loaded(tmp, "pdf", "--help"),
    }


def test_check_loads_no_drafting_side(work):
    loaded = work["check"]
    assert "drafter.check.rules" in loaded  # it did check
    assert _any(loaded, DRAFTING) == []
    assert _any(loaded, NETWORK) == []
    # nor what only other commands use: writing packages, processes for many files, sheets, PDFs, bars
    assert _any(loaded, ("drafter.package.atomic", "drafter.package.writer", "multiprocessing", "openpyxl",
                         "pypdf", "rich", "drafter.pdf", "drafter.batch", "sqlite3")) == []
    # nor what the checker does without: an output path's rules, JSON (only --json), hashlib's OpenSSL,
    # the cache folder's library, pydantic's plugin search
    assert _any(loaded, ("drafter.rules.filenames", "json", "hashlib", "_hashlib", "platformdirs",
                         "traceback", *PLUGIN_SEARCH)) == []
    assert _any(loaded, CLICK_LATER) == [], "click's completion and terminal helpers are imported only when used"
    # nor what the drafting side's libraries would bring along (pydantic's, Jinja's, zipfile's)
    assert _any(loaded, ("secrets", "hmac", "zoneinfo", "tempfile", "shutil", "pickle", "bz2", "lzma",
                         "markupsafe", "annotated_types", "typing_extensions", "zipfile")) == []


def test_render_loads_no_checker_and_no_docxtpl_once_cached(work):
    loaded = work["render"]
    assert "drafter.api" in loaded and "drafter.render.engine" in loaded  # it did render
    assert _any(loaded, ("docxtpl", "docx")) == [], "the cached template needs neither docxtpl nor python-docx"
    assert _any(loaded, ("num2words",)) == [], "no number is read in words in this công văn"
    assert _any(loaded, ("drafter.check", "drafter.fix", "drafter.importer", "drafter.batch", "drafter.pdf",
                         "openpyxl", "pypdf", "rich", "multiprocessing", "sqlite3")) == []
    assert _any(loaded, NETWORK) == []
    assert _any(work["first_render"], NETWORK) == []
    assert _any(loaded, ("importlib.metadata", "email", "socket", "csv", "traceback")) == [], \
        "pydantic looks for no plugins (cli/__init__.py), and nothing failed"
    assert _any(loaded, CLICK_LATER) == []
    # the draft has no mistyped name; the presets' folder is DRAFTER_USER_DIR (conftest), so no
    # platformdirs from inputs/presets.py
    assert _any(loaded, ("drafter.inputs.preset_files", "drafter.preset_check", "drafter.newdraft")) == []
    # what the compiled template engine needs and nothing of docxtpl's preparing: no lxml-based
    # python-docx, and the template's well-formedness proof (wellformed.py) read from the cache
    assert _any(loaded, ("drafter.render.regenerate", "drafter.appendix", "drafter.units")) == []


def test_help_loads_no_command(work):
    for key in ("help", "pdf_help"):
        loaded = work[key]
        assert _any(loaded, ("drafter.api", "drafter.check", "drafter.render", "drafter.batch", "lxml",
                             "pydantic", "jinja2", "pypdf", "rich")) == [], key
        assert _any(loaded, ("ruamel", "docxtpl", "docx", "drafter.model", "hashlib", *PLUGIN_SEARCH)) == [], key
    for key in ("help", "pdf_help"):
        assert _any(work[key], (*CLICK_LATER, *NEAR_NAMES)) == [], key
    # the group's own help: click and the command list, no library module at all
    assert _any(work["help"], ("drafter.errors", "drafter.rules", "drafter.pdf", "drafter.env", "json",
                               "traceback", "decimal")) == []


# ------------------------------------------------------------------ the start-up cache (cli/startup_cache.py)


def _console(tmp: Path, cache: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    """`python -m drafter.cli ARGS…` (the console script's own start-up) with its own cache folder."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "DRAFTER_CACHE_DIR": str(cache), **env_extra}
    if "DRAFTER_STARTUP_CACHE" not in env_extra:
        env.pop("DRAFTER_STARTUP_CACHE", None)
    return subprocess.run([sys.executable, "-m", "drafter.cli", *args], cwd=tmp, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_console_script_keeps_its_compiled_patterns_and_reads_them_back(work, tmp_path):
    """The first `drafter check` writes startup/check.<python>.marshal; the next reads it and
    writes nothing (its file unchanged), printing what a run without the cache prints."""
    tmp = work["tmp"]
    cache = tmp_path / "cache"
    off = _console(tmp, cache, "check", "cv.docx", DRAFTER_STARTUP_CACHE="0")
    assert off.returncode == 0, off.stderr
    assert not (cache / "startup").exists(), "DRAFTER_STARTUP_CACHE=0 writes nothing"
    first = _console(tmp, cache, "check", "cv.docx")
    files = sorted((cache / "startup").iterdir())
    assert [f.name for f in files] == [f"check.{sys.implementation.cache_tag}.marshal"]
    before = (files[0].read_bytes(), files[0].stat().st_mtime_ns)
    second = _console(tmp, cache, "check", "cv.docx")
    assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr) \
        == (off.returncode, off.stdout, off.stderr)
    assert (files[0].read_bytes(), files[0].stat().st_mtime_ns) == before, (
        "the second run compiled something the first did not keep: a pattern or data class built "
        "differently in each run (from a set's order, say: sort it)")
    # a file from another Python, or broken: passed over, the command the same, the file made anew
    files[0].write_bytes(before[0][: len(before[0]) // 3])
    third = _console(tmp, cache, "check", "cv.docx")
    assert (third.returncode, third.stdout) == (off.returncode, off.stdout)
    assert files[0].read_bytes() == before[0]
    # a mistyped command keeps no file of its own
    assert _console(tmp, cache, "chek", "cv.docx").returncode == 2
    assert [f.name for f in (cache / "startup").iterdir()] == [files[0].name]


SELFTEST = r'''
import dataclasses, json, re, sys
from re import _compiler
plain = _compiler.compile
from drafter.cli import startup_cache as sc
assert sc.install([])  # the file of no command (`_`)
PATTERNS = [r"^(?P<word>Chương|Mục)\s+(?P<num>[IVXLC]+|\d+)\b", r"(?i)đơn\s*vị\s*tính|đvt", r"[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]",
            r"^S[ốỐ]\s*:", r"(a)(b)?(?(2)c|d)", r"\d{1,2}/\d{1,2}/\d{4}"]
SAMPLES = ["Chương IV Quy định chung", "mục 12", "ĐVT: đồng", "Số: 12/UBND", "abc", "ad", "ngày 01/02/2025", "\x07", ""]
FLAGS = [0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.ASCII]
re.purge()
out = []
for p in PATTERNS:
    for f in FLAGS:
        a, b = re.compile(p, f), plain(p, f)
        assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex), p
        for s in SAMPLES:
            ma, mb = a.search(s), b.search(s)
            assert (ma and (ma.span(), ma.groups())) == (mb and (mb.span(), mb.groups())), (p, f, s)
assert re.compile(rb"\x00+[a-z]").match(b"\x00\x00q")

@dataclasses.dataclass(frozen=True, order=True)
class Point:
    x: int
    y: "str" = "a"
    z: tuple = dataclasses.field(default_factory=tuple)

p = Point(1)
assert p == Point(1, "a", ()) and p < Point(2) and repr(p) == "Point(x=1, y='a', z=())" and hash(p) == hash(Point(1))
try:
    p.x = 2
    raise AssertionError("frozen")
except dataclasses.FrozenInstanceError:
    pass
assert Point.__init__.__annotations__ == {"x": int, "y": "str", "z": tuple, "return": None}

import typing

class Hinted:  # annotations as text (pydantic reads its models' so): typing compiles each
    a: "list[dict[str, int]]"
    b: "typing.Optional[Point]"
    c: "typing.Literal['x', 'y'] | None"

assert typing.get_type_hints(Hinted) == {"a": list[dict[str, int]], "b": typing.Optional[Point],
                                         "c": typing.Optional[typing.Literal["x", "y"]]}
try:
    typing.ForwardRef("not an expression")
    raise AssertionError("a bad annotation is refused as before")
except SyntaxError:
    pass
print(json.dumps({"new": sc._state["new"], "used": len(sc._used),
                  "annotations": sum(1 for k in sc._used if k[0] == "e")}))
'''


def test_cached_patterns_and_data_classes_are_those_python_makes(tmp_path):
    """What the cache gives back, in a second process, behaves as what re, dataclasses and
    typing make themselves: the same pattern, flags, groups and matches; the same methods;
    the same types read from annotations written as text."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "DRAFTER_CACHE_DIR": str(tmp_path)}
    env.pop("DRAFTER_STARTUP_CACHE", None)
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", SELFTEST + "\nsc.save()\n"], env=env, capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert runs[0]["new"] > 20, "the first run compiled the patterns and methods itself"
    assert runs[1]["new"] == 0 and runs[1]["used"] >= runs[0]["new"], "the second read them all back"
    assert runs[0]["annotations"] >= 3 and runs[1]["annotations"] == runs[0]["annotations"], runs


def test_only_the_console_script_installs_it():
    import drafter.cli  # this test process imports the cli as a program would
    from drafter.cli import startup_cache

    assert drafter.cli.startup_cache is startup_cache
    assert not startup_cache._state["installed"], "a program importing drafter.cli keeps re and dataclasses as they are"
    assert startup_cache.command_name(["check", "a.docx"]) == "check"
    assert startup_cache.command_name(["--json", "render", "x.yaml"]) == "render"
    assert startup_cache.command_name(["--help"]) == "_"
    assert startup_cache.command_name(["../../etc", "x"]) == "_"
    assert startup_cache.command_name(["--", "check"]) == "_"


def test_imports_with_the_collector_paused_leave_it_as_it_was():
    import gc

    from drafter.cli.output import import_paused_gc

    assert gc.isenabled()
    assert import_paused_gc("drafter.errors") is sys.modules["drafter.errors"]
    assert gc.isenabled(), "collected as usual after the import"
    gc.disable()
    try:
        import_paused_gc("drafter.errors")
        assert not gc.isenabled(), "a caller's own pause is kept"
    finally:
        gc.enable()
    with pytest.raises(ModuleNotFoundError):
        import_paused_gc("drafter.no_such_module")
    assert gc.isenabled(), "a failed import leaves it on too"


LATER = r"""
import sys
sys.argv[0] = "drafter"
import drafter.cli
from drafter.cli import vietnamese
assert "click.shell_completion" not in sys.modules and "click._termui_impl" not in sys.modules
import click.shell_completion as completion, click._termui_impl as terminal
assert completion._ is vietnamese._gettext and terminal._ is vietnamese._gettext, "given the catalogue when imported"
said = completion._("Couldn't detect Bash version, shell completion is not supported.")
assert said == vietnamese.CATALOGUE["Couldn't detect Bash version, shell completion is not supported."], said
assert said != "Couldn't detect Bash version, shell completion is not supported."
assert completion.__loader__.get_source("click.shell_completion"), "the module's own loader answers the rest"
print("ok")
"""


def test_click_modules_imported_later_still_speak_vietnamese():
    """click.shell_completion and click._termui_impl, imported after drafter.cli (when a
    command completes or draws a bar), get the catalogue as they load (cli/vietnamese.py's
    import hook); one imported before drafter.cli gets it from install() itself."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", LATER], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    before = ("import click.shell_completion as c\nimport drafter.cli\nfrom drafter.cli import vietnamese as v\n"
              "assert c._ is v._gettext\nprint('ok')\n")
    done = subprocess.run([sys.executable, "-c", before], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_shell_completion_messages_in_vietnamese(tmp_path):
    """The console script asked for its bash completion where no bash answers with a
    version (a PATH holding only a silent ``bash``): click imports its completion module
    during the command, and the warning it prints is the catalogue's."""
    from drafter.cli.vietnamese import CATALOGUE

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "bash").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "bash").chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(REPO), "_DRAFTER_COMPLETE": "bash_source", "PATH": str(bin_dir)}
    done = subprocess.run([sys.executable, "-c", "import sys\nsys.argv[0] = 'drafter'\n"
                           "from drafter.cli.main import main\nmain(prog_name='drafter')"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert "_drafter_completion" in done.stdout, done.stderr  # the script itself
    message = CATALOGUE["Couldn't detect Bash version, shell completion is not supported."]
    assert message in done.stderr and "Couldn't detect" not in done.stderr, done.stderr


def test_render_freezes_what_its_import_made():
    """render's import_paused_gc(freeze=True): the import's objects out of the collector's
    sight (gc.freeze), the collector on again; without freeze nothing is frozen."""
    script = ("import gc, sys\nfrom drafter.cli.output import import_paused_gc\n"
              "import_paused_gc('drafter.errors')\nassert gc.isenabled() and gc.get_freeze_count() == 0\n"
              "import_paused_gc('drafter.rules.doctypes', freeze=True)\n"
              "assert gc.isenabled() and gc.get_freeze_count() > 1000, gc.get_freeze_count()\nprint('ok')\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    assert "import_paused_gc(\"drafter.api\", freeze=True)" in (REPO / "drafter" / "cli" / "render.py").read_text()


def test_console_script_freezes_its_start_up_and_collects_again(work):
    """The console script imports drafter.cli (click, the start-up cache, the group) with
    the collector paused and frozen after; the collector is on when the command runs. A
    program importing drafter.cli keeps its collector as it was (nothing frozen)."""
    script = ("import gc, sys\nsys.argv[0] = 'drafter'\nimport drafter.cli\n"
              "print(gc.isenabled(), gc.get_freeze_count() > 1000)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script, "check", "x.docx"], env=env, capture_output=True,
                          text=True, timeout=60, cwd=work["tmp"])
    assert done.stdout.split() == ["True", "True"], done.stderr
    done = subprocess.run([sys.executable, "-c", script.replace("sys.argv[0] = 'drafter'", "")], env=env,
                          capture_output=True, text=True, timeout=60, cwd=work["tmp"])
    assert done.stdout.split() == ["True", "False"], done.stderr
