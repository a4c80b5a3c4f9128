"""The `drafter` command: click commands only — arguments in, one library call, output
and exit code out. No module outside this package imports click or drafter.cli.

    vietnamese.py  click's own words (usage, help headings, option errors) in Vietnamese,
                 installed here, before any command is declared
    main.py      the group, the lazily loaded commands, the console script `entry`
    output.py    context settings, printing problems, errors → messages and exit codes
    render.py    new, render, types, words (loaded with the group)
    presets.py, check.py, pdf.py (pdf, preview), batch.py, appendix.py: loaded when named
"""

from __future__ import annotations

import gc
import os
import signal
import sys


def _stopped_while_starting(signum, frame) -> None:  # noqa: ARG001
    """Ctrl-C while the console script is still importing: the plain message, exit 1
    (never an import traceback). `entry` puts Python's own handler back."""
    os.write(2, "\nĐã dừng theo yêu cầu.\n".encode("utf-8"))
    os._exit(1)


# Only for the console script (its name is drafter), and only over Python's own
# handler: an embedding program (a test runner) keeps its Ctrl-C.
if (os.path.basename(sys.argv[0] if sys.argv else "").startswith("drafter")
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
    signal.signal(signal.SIGINT, _stopped_while_starting)


def _is_console_script() -> bool:
    """`drafter …` or `python -m drafter.cli …` (not a program importing drafter.cli)."""
    if os.path.basename(sys.argv[0] if sys.argv else "").startswith("drafter"):
        return True
    orig = getattr(sys, "orig_argv", [])
    return any(orig[i] == "-m" and orig[i + 1] == "drafter.cli" for i in range(len(orig) - 1))


_CONSOLE = _is_console_script()
# The console script imports click and this package with the cycle collector paused,
# then freezes what that made (gc.freeze): a command's collections never walk it
# (2-4% of a command's instructions, --help's too). An embedding program keeps its own.
_PAUSED_GC = _CONSOLE and gc.isenabled()
if _PAUSED_GC:
    gc.disable()

if _CONSOLE:  # regexes and data classes compiled in an earlier run (cli/startup_cache.py)
    from . import startup_cache

    startup_cache.install(sys.argv[1:])


class _NoPydanticPlugins:
    """drafter's commands use no pydantic plugin, but pydantic looks for them when it
    builds the draft's model: importing importlib.metadata (with email, socket,
    zipfile…) and reading every installed package's entry points, some 40 ms of a
    render's start-up. This import hook gives pydantic an empty plugin loader instead,
    the first time (and only time) pydantic asks for it; commands that build no model
    (check, --help) never meet it. Not installed when pydantic is already loaded or
    PYDANTIC_DISABLE_PLUGINS names plugins to leave out (then some are wanted)."""

    NAME = "pydantic.plugin._loader"

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != cls.NAME:
            return None
        sys.meta_path.remove(cls)
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, cls)

    @staticmethod
    def create_module(spec):
        return None  # the default module

    @staticmethod
    def exec_module(module) -> None:
        module.get_plugins = lambda: ()


if "pydantic" not in sys.modules and os.environ.get("PYDANTIC_DISABLE_PLUGINS", "1") in ("1", "true", "__all__"):
    sys.meta_path.insert(0, _NoPydanticPlugins)

from . import vietnamese  # noqa: E402

vietnamese.install()

from .main import LAZY_COMMANDS, entry, main  # noqa: E402 (after install: --version takes its help here)

if _PAUSED_GC:
    gc.freeze()
    gc.enable()

__all__ = ["LAZY_COMMANDS", "entry", "main"]
