"""The flow goes one way: each area of the package imports only what comes before it
(imports under `if TYPE_CHECKING:` are for annotations and do not count)."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

PACKAGE = REPO / "drafter"

# area → areas it must never import (at run time)
FORBIDDEN = {
    "rules": {"inputs", "model", "validation", "derive", "render", "tables", "package", "check", "cli", "api",
              "batch", "figures"},
    "tables": {"inputs", "model", "validation", "derive", "render", "check", "cli", "api", "batch"},
    "inputs": {"model", "validation", "derive", "render", "check", "cli", "api", "batch"},
    "model": {"validation", "derive", "render", "check", "cli", "api", "batch"},
    "validation": {"derive", "render", "check", "cli", "api", "batch"},
    "derive": {"inputs", "validation", "render", "package", "check", "cli", "api", "batch"},
    "render": {"inputs", "model", "validation", "check", "cli", "api", "batch"},
    "oxml": {"rules", "inputs", "model", "validation", "derive", "render", "tables", "package", "check", "cli"},
    "package": {"rules", "inputs", "model", "validation", "derive", "render", "tables", "check", "cli", "api"},
    "check": {"inputs", "validation", "derive", "render", "cli", "api", "batch"},
}


def _area(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _imports(path) -> set[str]:
    """drafter modules imported at run time by the file at `path`."""
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    package = parts if path.name == "__init__.py" else parts[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("drafter")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("drafter"):
                out |= {f"{name}.{a.name}" for a in node.names} if name == "drafter" else {name}
    return out


FILES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(PACKAGE)) for p in FILES])
def test_each_area_imports_only_what_comes_before_it(path):
    area = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    bad = {m for m in _imports(path) if _area(m) in FORBIDDEN.get(area, set())}
    assert not bad, f"{path.relative_to(REPO)} imports {sorted(bad)}"


def test_the_rule_catches_a_backward_import(tmp_path):
    # The test itself: a module of rules/ importing render is caught.
    fake = PACKAGE / "rules" / "_probe_backward.py"
    fake.write_text("from ..render import engine\n", encoding="utf-8")
    try:
        assert {_area(m) for m in _imports(fake)} == {"render"}
    finally:
        fake.unlink()
