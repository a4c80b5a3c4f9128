"""Golden documents: every sample, the seed-004 document with its appendix, the batch
sample and a new draft of every type render to exactly the parts recorded in
tests/golden/digests.json. A refactoring that changes any byte a user sees fails here.

The digest covers each part's name and uncompressed bytes in package order, so it
does not depend on the machine's zlib. To record anew after a deliberate change of
output: DRAFTER_GOLDEN_UPDATE=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from drafter.cli import main
from drafter.rules import doctypes

DIGESTS = Path(__file__).parent / "golden" / "digests.json"
UPDATE = bool(os.environ.get("DRAFTER_GOLDEN_UPDATE"))


def package_digest(path: Path) -> str:
    h = hashlib.sha256()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            h.update(info.filename.encode() + b"\0")
            h.update(z.read(info))
            h.update(b"\0")
    return h.hexdigest()


def _recorded() -> dict:
    return json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}


def _check(name: str, digest: str) -> None:
    if UPDATE:
        data = _recorded()
        data[name] = digest
        DIGESTS.write_text(json.dumps(dict(sorted(data.items())), indent=1) + "\n", encoding="utf-8")
        return
    assert _recorded().get(name) == digest, f"{name}: the document changed"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_samples_render_unchanged(tmp_path, sample):
    out = tmp_path / "out.docx"
    r = CliRunner().invoke(main, ["render", str(SAMPLES / sample), "-o", str(out)])
    assert r.exit_code == 0, r.output
    _check(f"render/{sample}", package_digest(out))


def test_batch_sample_unchanged(tmp_path):
    batch = SAMPLES / "batch"
    r = CliRunner().invoke(main, ["batch", str(batch / "phan-bo-kinh-phi-xa.yaml"),
                                  str(batch / "kinh-phi-khuyen-cong-ha-tinh.csv"), "-o", str(tmp_path / "ra")])
    assert r.exit_code == 0, r.output
    docs = sorted((tmp_path / "ra").glob("*.docx"))
    assert len(docs) == 69
    h = hashlib.sha256()
    for d in docs:
        h.update(d.name.encode() + b"\0" + package_digest(d).encode())
    _check("batch/kinh-phi-khuyen-cong-ha-tinh", h.hexdigest())


@pytest.mark.parametrize("loai", [t.slug for t in doctypes.TYPES])
def test_new_drafts_unchanged(tmp_path, loai, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["new", loai, "--no-input"])
    assert r.exit_code == 0, r.output
    yaml_text = (tmp_path / f"{loai}.yaml").read_text(encoding="utf-8")
    # A new draft leaves the date blank (filled when signed) and its number line takes
    # today's year, so the document's digest is taken of the draft pinned to a year.
    assert re.search(r"^ngay: *$", yaml_text, re.M) and not re.search(r"^nam:", yaml_text, re.M)
    pinned = tmp_path / "pinned.yaml"
    pinned.write_text(yaml_text + "\nnam: 2026\n", encoding="utf-8")
    out = tmp_path / "pinned.docx"
    r = CliRunner().invoke(main, ["render", str(pinned), "-o", str(out)])
    assert r.exit_code == 0, r.output
    _check(f"new/{loai}", hashlib.sha256(yaml_text.encode()).hexdigest() + ":" + package_digest(out))
