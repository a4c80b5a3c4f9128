"""frozen.whole: a Document (or an Appendix) whose state dict becomes its __dict__ is
the one its __init__ makes: equal, every field set, nothing else."""

from __future__ import annotations

import random
from dataclasses import fields
from pathlib import Path

import pytest

from drafter import api, derive, frozen, validation

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "samples").glob("*.yaml"))  # (the batch sample is a template: its rows are tests/test_batch*)


def _as_init(obj):
    cls = type(obj)
    return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("electronic", [False, True])
def test_document_is_its_init(path, electronic):
    doc = derive.document(validation.validate(api.load(path)), electronic=electronic)
    assert list(doc.__dict__) == [f.name for f in fields(derive.Document)]
    assert doc == _as_init(doc) and doc.__dict__ == _as_init(doc).__dict__
    for app in doc.appendices:
        assert set(app.__dict__) == {f.name for f in fields(derive.Appendix)}
        assert app == _as_init(app) and app.__dict__ == _as_init(app).__dict__


def test_whole_takes_the_dict_and_stays_frozen():
    rng = random.Random(3)
    for _ in range(200):
        state = {f.name: rng.choice([None, "x", (), 1]) for f in fields(derive.Appendix)}
        got = frozen.whole(derive.Appendix, dict(state))
        assert got == derive.Appendix(**state) and got.__dict__ == state
        with pytest.raises(Exception):
            got.number = 2
