"""Commands live in drafter/cli alone: no other module of the package imports click or
drafter.cli (library code returns results and problems; only the CLI prints and exits)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "drafter"
FORBIDDEN = ("click", "drafter.cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, relative ones resolved;
    `from X import y` counts as X and X.y (y may be a submodule), and
    importlib.import_module("…") / __import__("…") with a literal name count too."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", None)
            if name in ("import_module", "__import__"):
                found.append((node.lineno, node.args[0].value.partition(":")[0]))
    return found


def _forbidden(names: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(line, n) for line, n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_outside_cli_imports_click_or_the_cli():
    offenders = []
    for path in _modules():
        module = _module_name(path)
        if module == "drafter.cli" or module.startswith("drafter.cli."):
            continue
        source = path.read_text(encoding="utf-8")
        found = _forbidden(_imported(source, module, path.name == "__init__.py"))
        if module.startswith("drafter.server"):
            # The console script's front and the warm server run the CLI (drafter.cli's
            # entry, in-process or in the server's child): they may name drafter.cli, never click.
            found = [(line, n) for line, n in found if not (n == "drafter.cli" or n.startswith("drafter.cli."))]
        for line, name in found:
            offenders.append(f"{path.relative_to(REPO)}:{line}: {name}")
    assert not offenders, "click / drafter.cli imported outside drafter/cli:\n" + "\n".join(offenders)


def test_the_scan_covers_the_library_and_sees_the_cli_imports():
    names = {_module_name(p) for p in _modules()}
    assert {"drafter.batch", "drafter.pdf", "drafter.appendix", "drafter.check.api",
            "drafter.inputs.preset_files", "drafter.cli.output"} <= names
    # Inside the package the same scan does find click, so the resolver works on real files.
    output = PACKAGE / "cli" / "output.py"
    assert _forbidden(_imported(output.read_text(encoding="utf-8"), "drafter.cli.output", False))


@pytest.mark.parametrize("source, module, is_package", [
    ("import click\n", "drafter.pdf", False),
    ("from click.testing import CliRunner\n", "drafter.batch", False),
    ("from .cli import CONTEXT\n", "drafter.appendix", False),
    ("from ..cli.output import handle_errors\n", "drafter.check.command", False),
    ("from . import cli\n", "drafter", True),
    ("from drafter import cli\n", "drafter.batch", False),
    ("import importlib\nimportlib.import_module('drafter.cli.batch')\n", "drafter.api", False),
])
def test_the_scan_flags_each_form_of_import(source, module, is_package):
    assert _forbidden(_imported(source, module, is_package))


@pytest.mark.parametrize("source, module", [
    ("from .clients import x\n", "drafter.pdf"),
    ("import clickhouse\n", "drafter.pdf"),
    ("from ..check import api\n", "drafter.inputs.preset_files"),
])
def test_the_scan_leaves_lookalike_names_alone(source, module):
    assert not _forbidden(_imported(source, module, False))
