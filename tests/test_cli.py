"""The command line as a whole: the command list, and that `drafter --help` stays fast
by importing none of the lazily loaded commands."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

from drafter.cli import LAZY_COMMANDS, main


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_static_help_is_the_commands_own(name):
    module, _, attr = LAZY_COMMANDS[name][0].partition(":")
    cmd = getattr(importlib.import_module(module), attr)
    assert cmd.get_short_help_str(limit=1000) == LAZY_COMMANDS[name][1]
    r = CliRunner().invoke(main, [name, "--help"])
    assert r.exit_code == 0 and "Cách dùng: " in r.output


def test_help_lists_every_command_without_importing_them():
    code = (
        "import sys\n"
        "from drafter.cli import main\n"
        "sys.argv = ['drafter', '--help']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('docxtpl', 'docx', 'lxml', 'pydantic', 'openpyxl',"
        " 'jinja2', 'ruamel') or m in ('drafter.api', 'drafter.batch', 'drafter.pdf', 'drafter.appendix',"
        " 'drafter.inputs.preset_files', 'drafter.cli.batch', 'drafter.cli.pdf', 'drafter.cli.appendix',"
        " 'drafter.cli.check', 'drafter.cli.presets')]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("new", "render", "types", "words", *LAZY_COMMANDS):
        assert f"\n  {name} " in out
    assert "HEAVY []" in out


def test_unknown_command_exits_2_with_click_message():
    r = CliRunner().invoke(main, ["renderr"])
    assert r.exit_code == 2 and "Không có lệnh 'renderr'" in r.output


@pytest.mark.parametrize("args, code, out, err", [
    (["words", "1005"], 0, "một nghìn không trăm linh năm\n", ""),
    (["render", "khong-co.yaml"], 1, "", "Không tìm thấy tệp"),
    (["khong-co-lenh"], 2, "", "Không có lệnh"),
    (["--version"], 0, "drafter", ""),
])
def test_console_script_exit_codes_and_output(tmp_path, args, code, out, err):
    """`entry` (the installed script) ends with os._exit: the exit code and every line
    written must still come out whole."""
    r = subprocess.run([sys.executable, "-c", "from drafter.cli import entry; entry()", *args],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == code, r.stderr
    assert out in r.stdout and err in r.stderr


def test_console_script_writes_the_document_before_leaving(tmp_path):
    from conftest import SAMPLES

    draft = tmp_path / "d.yaml"
    draft.write_text((SAMPLES / "000-cong-van-ha-tinh.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", "from drafter.cli import entry; entry()", "render", "d.yaml"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and "d.docx" in r.stdout
    import zipfile

    with zipfile.ZipFile(tmp_path / "d.docx") as z:
        assert z.testzip() is None and "word/document.xml" in z.namelist()
