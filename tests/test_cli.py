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
    assert r.exit_code == 0 and "Usage: " in r.output


def test_help_lists_every_command_without_importing_them():
    code = (
        "import sys\n"
        "from drafter.cli import main\n"
        "sys.argv = ['drafter', '--help']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('docxtpl', 'docx', 'lxml', 'pydantic', 'openpyxl',"
        " 'jinja2', 'ruamel') or m in ('drafter.api', 'drafter.batch', 'drafter.pdf', 'drafter.appendix',"
        " 'drafter.check.command', 'drafter.presets_cli')]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("new", "render", "types", "words", *LAZY_COMMANDS):
        assert f"\n  {name} " in out
    assert "HEAVY []" in out


def test_unknown_command_exits_2_with_click_message():
    r = CliRunner().invoke(main, ["renderr"])
    assert r.exit_code == 2 and "No such command" in r.output
