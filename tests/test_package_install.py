"""The shipped templates match their script, and the installed command runs anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO


def test_templates_are_reproducible(tmp_path):
    subprocess.run([sys.executable, str(REPO / "templates" / "build_templates.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for built in sorted(tmp_path.glob("*.docx")):
        assert built.read_bytes() == (REPO / "templates" / built.name).read_bytes(), (
            f"templates/{built.name} differs from what templates/build_templates.py makes: rebuild it")


@pytest.mark.skipif(shutil.which("drafter") is None, reason="drafter is not installed on PATH")
def test_installed_command_runs_from_any_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["DRAFTER_USER_DIR"] = str(tmp_path / "user")
    r = subprocess.run(["drafter", "new", "cong-van", "--no-input"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cong-van.docx").stat().st_size > 3000
    assert (tmp_path / "cong-van.yaml").read_text(encoding="utf-8").startswith("# Bản thảo công văn")
    r = subprocess.run(["drafter", "render", "cong-van.yaml", "-o", "b.docx"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_every_subpackage_is_shipped():
    """Each folder of drafter/ with an __init__.py is listed in pyproject's packages: a
    package left out installs without it (`pip install .` gave 'No module named drafter.fix')."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {"drafter." + p.parent.relative_to(REPO / "drafter").as_posix().replace("/", ".")
             for p in (REPO / "drafter").rglob("__init__.py") if p.parent != REPO / "drafter"}
    assert found - listed == set(), sorted(found - listed)
