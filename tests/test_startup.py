"""Start-up: each command imports only what it needs (issue 19, point 5).

Which modules a whole command loads, not how long it takes (times are for
bench/bench_startup.py): a fresh interpreter runs the command as the console script
does and writes the names in ``sys.modules`` to a file. `drafter check` must not load
the drafting side (pydantic, the draft model, Jinja, docxtpl, YAML), `drafter render`
not the checker nor python-docx/docxtpl once its template is cached, and neither of
them the network stack that ``xml.sax.saxutils`` used to drag in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "000-cong-van-ha-tinh.yaml"

RUN = """
import json, sys
from drafter.cli.main import main
out, args = sys.argv[1], sys.argv[2:]
try:
    main(args)
except SystemExit:
    pass
with open(out, "w", encoding="utf-8") as f:
    json.dump(sorted(sys.modules), f)
"""


def _loaded(tmp: Path, *args: str) -> set[str]:
    """The modules a fresh `drafter ARGS…` process has loaded when it ends."""
    out = tmp / "modules.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", RUN, str(out), *args], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert out.exists(), done.stderr
    return set(json.loads(out.read_text(encoding="utf-8")))


def _any(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` loaded (a package counts when any module under it is)."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in loaded))


NETWORK = ("urllib.request", "http.client", "ssl", "xml.sax")
DRAFTING = ("pydantic", "jinja2", "docxtpl", "docx", "ruamel", "yaml", "drafter.model", "drafter.validation",
            "drafter.derive", "drafter.api", "drafter.render", "drafter.sandbox")


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A công văn draft and its rendered .docx, and the modules of three commands."""
    tmp = tmp_path_factory.mktemp("startup")
    shutil.copy(SAMPLE, tmp / "cv.yaml")
    first = _loaded(tmp, "render", "cv.yaml")  # fills the template cache
    assert (tmp / "cv.docx").is_file()
    return {
        "first_render": first,
        "render": _loaded(tmp, "render", "cv.yaml", "--force"),
        "check": _loaded(tmp, "check", "cv.docx"),
        "help": _loaded(tmp, "--help"),
        "pdf_help": _loaded(tmp, "pdf", "--help"),
    }


def test_check_loads_no_drafting_side(work):
    loaded = work["check"]
    assert "drafter.check.rules" in loaded  # it did check
    assert _any(loaded, DRAFTING) == []
    assert _any(loaded, NETWORK) == []
    # nor what only other commands use: writing packages, processes for many files, sheets, PDFs, bars
    assert _any(loaded, ("drafter.package.atomic", "drafter.package.writer", "multiprocessing", "openpyxl",
                         "pypdf", "rich", "drafter.pdf", "drafter.batch", "sqlite3")) == []


def test_render_loads_no_checker_and_no_docxtpl_once_cached(work):
    loaded = work["render"]
    assert "drafter.api" in loaded and "drafter.render.engine" in loaded  # it did render
    assert _any(loaded, ("docxtpl", "docx")) == [], "the cached template needs neither docxtpl nor python-docx"
    assert _any(loaded, ("num2words",)) == [], "no number is read in words in this công văn"
    assert _any(loaded, ("drafter.check", "drafter.fix", "drafter.importer", "drafter.batch", "drafter.pdf",
                         "openpyxl", "pypdf", "rich", "multiprocessing", "sqlite3")) == []
    assert _any(loaded, NETWORK) == []
    assert _any(work["first_render"], NETWORK) == []


def test_help_loads_no_command(work):
    for key in ("help", "pdf_help"):
        loaded = work[key]
        assert _any(loaded, ("drafter.api", "drafter.check", "drafter.render", "drafter.batch", "lxml",
                             "pydantic", "jinja2", "pypdf", "rich")) == [], key
