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

from . import vietnamese

vietnamese.install()

from .main import LAZY_COMMANDS, entry, main  # noqa: E402 (after install: --version takes its help here)

__all__ = ["LAZY_COMMANDS", "entry", "main"]
