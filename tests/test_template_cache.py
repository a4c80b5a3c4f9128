"""Prepared templates kept in the user's cache (render/template_cache.py): a later
command skips docxtpl and recompiling, makes the same bytes, and a cache that is
damaged or cannot be written is passed over."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import SAMPLES
from drafter import api, resources
from drafter.render import context, engine, template_cache

QD = resources.templates_dir() / "quyet-dinh.docx"


def _render(path, prepared) -> bytes:
    tpl = engine.CompiledTemplate(path)  # a fresh instance: no in-process cache
    return tpl.render(context.build(prepared.document, tpl.sections))


@pytest.fixture
def seed004():
    return api.prepare(SAMPLES / "004-quyet-dinh-hung-yen.yaml")


def test_a_second_command_reads_the_cache_and_does_not_import_docxtpl(tmp_path):
    script = (
        "import sys\n"
        "from drafter.render import engine\n"
        f"t = engine.CompiledTemplate({str(QD)!r})\n"
        "print('docxtpl' in sys.modules, t.proven)\n"
    )
    env = {**os.environ, template_cache.ENV: str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs == ["True True\n", "False True\n"]
    assert len(list((tmp_path / "templates").glob("*.json"))) == 1
    assert list((tmp_path / "jinja").iterdir())


def test_cached_and_fresh_templates_make_the_same_bytes(tmp_path, monkeypatch, seed004):
    monkeypatch.setenv(template_cache.ENV, "")  # off
    fresh = _render(QD, seed004)
    monkeypatch.setenv(template_cache.ENV, str(tmp_path))
    first, second = _render(QD, seed004), _render(QD, seed004)
    assert fresh == first == second


def test_a_damaged_cache_is_passed_over(tmp_path, monkeypatch, seed004):
    monkeypatch.setenv(template_cache.ENV, str(tmp_path))
    good = _render(QD, seed004)
    for f in (tmp_path / "templates").iterdir():
        f.write_text('{"source": 1}')
    for f in (tmp_path / "jinja").iterdir():
        f.write_bytes(f.read_bytes()[:40] + b"\x00garbage")
    assert _render(QD, seed004) == good
    for f in (tmp_path / "templates").iterdir():
        f.write_bytes(b"\xff\xfe not json")
    assert _render(QD, seed004) == good


def test_a_cache_folder_that_cannot_be_made_is_not_used(tmp_path, monkeypatch, seed004):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(template_cache.ENV, str(blocker / "cache"))
    assert template_cache.bytecode_cache() is None
    assert _render(QD, seed004)[:2] == b"PK"


def test_the_key_follows_the_template_and_the_code(monkeypatch):
    a, b = template_cache.key(b"<w:document/>"), template_cache.key(b"<w:document />")
    assert a != b and len(a) == 40
    template_cache._code_digest.cache_clear()
    monkeypatch.setattr(template_cache, "FORMAT", template_cache.FORMAT + 1)
    try:
        assert template_cache.key(b"<w:document/>") != a
    finally:
        template_cache._code_digest.cache_clear()


def test_an_unproven_agency_template_is_cached_as_unproven(tmp_path, monkeypatch):
    import zipfile

    monkeypatch.setenv(template_cache.ENV, str(tmp_path / "cache"))
    own = tmp_path / "cong-van.docx"
    with zipfile.ZipFile(resources.templates_dir() / "cong-van.docx") as src, zipfile.ZipFile(own, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{r doc.vv_lines }}", b"{{ doc.vv|safe }}")
            dst.writestr(item, data)
    assert engine.CompiledTemplate(own).proven is False
    assert engine.CompiledTemplate(own).proven is False  # read back from the cache
