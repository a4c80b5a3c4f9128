"""Every module of drafter.rules shows how it is used: its examples run here.

Modules are found with pkgutil, so a new rules module is covered without editing this
file; a module with no example fails, as does any example that does not hold.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import drafter.rules

MODULES = sorted(m.name for m in pkgutil.iter_modules(drafter.rules.__path__, "drafter.rules."))


def test_modules_found():
    # A broken discovery (a wrong path) would otherwise pass with nothing to run.
    assert {"drafter.rules.date_line", "drafter.rules.numbering", "drafter.rules.text"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted > 0, f"{name} has no examples (>>>) in its docstrings"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed (see above)"
