"""frozen.made: a frozen dataclass made in one __dict__ update is the one its __init__
makes (equal, same hash, same fields), defaults included."""

from __future__ import annotations

from dataclasses import dataclass, fields

from drafter import frozen
from drafter.derive import Appendix
from drafter.render.ooxml import Markup
from drafter.rules.body import Paragraph
from drafter.rules.inline import Span


@dataclass(frozen=True)
class _Sample:
    a: int
    b: str = "x"
    c: tuple = ()


def test_made_is_the_init():
    for cls, values in ((_Sample, {"a": 1}), (_Sample, {"a": 2, "c": (1,)}), (Span, {"text": "Một", "bold": True}),
                        (Paragraph, {"kind": "text", "spans": (Span("a"),)}), (Markup, {"xml": "<w:r/>"})):
        got, want = frozen.made(cls, **values), cls(**values)
        assert got == want and hash(got) == hash(want) and got.__dict__ == want.__dict__


def test_a_field_left_to_its_default_is_set():
    values = dict(number=1, label="Phụ lục", title="T", reference="(Kèm theo)", unit_line=None, table=None,
                  grid=None, words=(), landscape=False)  # head left out: its default, None
    got = frozen.made(Appendix, **values)
    assert set(got.__dict__) == {f.name for f in fields(Appendix)} and got.head is None
    assert got == Appendix(**values)
