"""The `drafter` command: click commands only — arguments in, one library call, output
and exit code out. No module outside this package imports click or drafter.cli.

    main.py      the group, the lazily loaded commands, the console script `entry`
    output.py    context settings, printing problems, errors → messages and exit codes
    render.py    new, render, types, words (loaded with the group)
    presets.py, check.py, pdf.py (pdf, preview), batch.py, appendix.py: loaded when named
"""

from __future__ import annotations

from .main import LAZY_COMMANDS, entry, main

__all__ = ["LAZY_COMMANDS", "entry", "main"]
