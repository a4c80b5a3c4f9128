"""The README's layout section and docs/architecture.md name the code as it is."""

from __future__ import annotations

import re

from conftest import REPO

PACKAGE = REPO / "drafter"


def _layout_block() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def _top_level() -> set[str]:
    """The package's modules and subpackages, as the layout names them."""
    names = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    names = {f"{n}/" for n in names}
    names |= {p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    return names


def test_readme_layout_names_every_module_and_only_real_ones():
    block = _layout_block()
    named = set(re.findall(r"^  ([a-z_]+(?:\.py|/))", block, re.M))
    named |= set(re.findall(r"\b([a-z_]+\.py)\b", block)) - {"build_templates.py", "bench_batch.py",
                                                             "bench_render.py", "bench_pdf.py"}
    top = _top_level()
    assert top - named == set(), "modules the layout does not name"
    inner = {n for n in named if n.endswith(".py") and not (PACKAGE / n).exists()}
    # names of modules inside subpackages (main.py, geometry.py…) must exist there
    missing = {n for n in inner if not list(PACKAGE.rglob(n))}
    assert missing == set()
    assert {n for n in named if n.endswith("/")} <= top


def test_architecture_names_real_modules():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", text)):
        assert (PACKAGE / path).exists() or (REPO / path).exists(), path
    # `module.name` (validation.check, sheets.read_records, doctypes.TYPES): the module
    # exists and defines the name.
    for module, name in set(re.findall(r"`(?:[a-z_]+/)*([a-z_]+)\.([A-Za-z_]+)(?:\(\))?`", text)):
        if name in ("md", "py", "docx", "yaml"):
            continue
        files = list(PACKAGE.rglob(f"{module}.py")) or list(PACKAGE.rglob(f"{module}/__init__.py"))
        assert files, module
        assert any(re.search(rf"^(?:def|class) {name}\b|^{name}\b", f.read_text(encoding="utf-8"), re.M)
                   for f in files), (module, name)
