"""A draft or preset read once per content (inputs/parse_cache): the same Loaded as
reading it, read again when anything it depends on changes, never an error kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.inputs import parse_cache, yamlfile

DRAFT = """loai: cong-van
so: 12
ngay: 2026-01-15
ty_le: 1.500
trich_yeu: về việc #12 tháng   trước
noi_dung: |
  Đoạn một.
  Đoạn hai.
noi_nhan: [Như trên, VT]
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(folder))
    return folder / "yaml"


def _same(a: yamlfile.Loaded, b: yamlfile.Loaded) -> None:
    assert (a.file, a.data, a.origins, a.problems, a.made) == (b.file, b.data, b.origins, b.problems, b.made)
    assert [type(v) for v in a.data.values()] == [type(v) for v in b.data.values()]
    assert str(a.data["ty_le"]) == str(b.data["ty_le"]) == "1.500"  # the typed text kept


def _read_only_cache(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlfile, "parse_text", refuse)


def test_second_load_is_the_first_without_parsing(cache, tmp_path, monkeypatch):
    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    first = yamlfile.load(path)
    assert first.problems, "the '#12' cut by a comment is a warning kept with the entry"
    assert len(list(cache.iterdir())) == 1
    _read_only_cache(monkeypatch)
    second = yamlfile.load(path)
    _same(first, second)
    second.data["so"] = 99  # a fresh copy each time: changing one changes no later load
    second.origins.clear()
    _same(first, yamlfile.load(path))


def test_changed_bytes_or_name_read_afresh(cache, tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    yamlfile.load(path)
    path.write_text(DRAFT.replace("so: 12", "so: 13"), encoding="utf-8")
    assert yamlfile.load(path).data["so"] == 13
    other = tmp_path / "khac.yaml"
    other.write_text(DRAFT, encoding="utf-8")
    loaded = yamlfile.load(other)  # the same bytes under another name: its own positions
    assert loaded.origins[("so",)].file.endswith("khac.yaml")
    assert len(list(cache.iterdir())) == 3


def test_the_limits_hold_whatever_was_kept(cache, tmp_path, monkeypatch):
    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT + "ghi_chu: " + "x" * 2000 + "\n", encoding="utf-8")
    yamlfile.load(path)
    monkeypatch.setenv("DRAFTER_MAX_YAML_KB", "1")
    with pytest.raises(DrafterError) as exc:
        yamlfile.load(path)
    assert "DRAFTER_MAX_YAML_KB" in str(exc.value.problems[0].hint)
    monkeypatch.setenv("DRAFTER_MAX_YAML_VALUES", "3")  # another limit: another entry, read afresh
    monkeypatch.delenv("DRAFTER_MAX_YAML_KB")
    with pytest.raises(DrafterError):
        yamlfile.load(path)


def test_an_error_is_never_kept(cache, tmp_path):
    path = tmp_path / "sai.yaml"
    path.write_text("loai: cong-van\n  so: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DrafterError) as exc:
            yamlfile.load(path)
        assert "cú pháp" in str(exc.value)
    assert not cache.exists() or not list(cache.iterdir())


def test_a_damaged_entry_is_passed_over_and_written_again(cache, tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    first = yamlfile.load(path)
    (entry,) = cache.iterdir()
    for damaged in (b"", b"not a pickle", entry.read_bytes()[:-7]):
        entry.write_bytes(damaged)
        _same(first, yamlfile.load(path))
    _same(first, yamlfile.load(path))
    assert entry.read_bytes() != b""


def test_an_entry_of_another_kind_is_passed_over(cache, tmp_path):
    import pickle

    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    first = yamlfile.load(path)
    (entry,) = cache.iterdir()
    entry.write_bytes(pickle.dumps({"data": {"loai": "quyet-dinh"}}))
    _same(first, yamlfile.load(path))


def test_off_when_the_cache_folder_is_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_CACHE_DIR", "")
    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    assert yamlfile.load(path).data["so"] == 12
    assert parse_cache.get(parse_cache.key("cv.yaml", b"", None)) is None
    assert [p.name for p in tmp_path.iterdir()] == ["cv.yaml"]


def test_a_folder_that_refuses_writes_only_costs_the_time(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(blocker))
    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    assert yamlfile.load(path).data["so"] == 12
    assert yamlfile.load(path).data["so"] == 12


def test_the_oldest_entries_go_past_the_bound(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(parse_cache, "MAX_ENTRIES", 3)
    paths = []
    for i in range(5):
        p = tmp_path / f"cv{i}.yaml"
        p.write_text(DRAFT.replace("so: 12", f"so: {i}"), encoding="utf-8")
        yamlfile.load(p)
        newest = max(cache.iterdir(), key=lambda e: e.stat().st_mtime_ns)
        os.utime(newest, ns=(i * 10**9, i * 10**9))  # ages apart, whatever the clock's grain
        paths.append(p)
    assert len(list(cache.iterdir())) == 3
    _read_only_cache(monkeypatch)
    for p in paths[-3:]:  # the three newest are still there; the older two were removed
        assert yamlfile.load(p).data["so"] == int(p.stem[2:])


def test_a_kept_file_is_read_without_ruamel(cache, tmp_path):
    """ruamel.yaml (a tenth of a command's start-up) loads only when a file is read."""
    import subprocess
    import sys

    path = tmp_path / "cv.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    code = ("import sys; from drafter.inputs import yamlfile; l = yamlfile.load(sys.argv[1]); "
            "print(l.data['so'], 'ruamel.yaml' in sys.modules)")
    env = {**os.environ, "DRAFTER_CACHE_DIR": str(cache.parent)}
    runs = [subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env,
                           cwd=tmp_path, check=True).stdout.split() for _ in range(2)]
    assert runs == [["12", "True"], ["12", "False"]]
