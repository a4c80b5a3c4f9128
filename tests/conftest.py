from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
REPO = HERE.parent
SAMPLES = REPO / "samples"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache_dir(tmp_path_factory):
    # Prepared templates go to a cache of the test session's own, never the user's.
    import os

    os.environ["DRAFTER_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    # Every `drafter` run by a test runs in its own process, never through a warm
    # server (drafter nen); tests/test_server.py starts its own and compares.
    os.environ["DRAFTER_NEN"] = "0"
    yield
    from drafter import pdf

    pdf.stop_instances()  # the LibreOffices kept running by this session's conversions


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path_factory, monkeypatch):
    # A user's own presets folder must not leak into tests.
    monkeypatch.setenv("DRAFTER_USER_DIR", str(tmp_path_factory.mktemp("user")))
    # Nor the user's outgoing register: a test that numbers without --so-dang-ky
    # writes to a register of its own.
    monkeypatch.setenv("DRAFTER_SO_DANG_KY", str(tmp_path_factory.mktemp("register") / "so-dang-ky.sqlite3"))


@pytest.fixture
def write(tmp_path):
    """Write a dedented text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    return _write


@pytest.fixture
def render(tmp_path, write):
    """Render YAML text to a DocView (through the public API, as `drafter render`)."""
    from docx_view import DocView

    from drafter import api

    def _render(text: str, name: str = "draft.yaml") -> DocView:
        path = write(name, text)
        out = tmp_path / (Path(name).stem + ".docx")
        api.render_file(path, out, force=True)
        return DocView(out)

    return _render
