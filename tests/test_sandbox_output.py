"""The bounded sandbox prints what Jinja's own autoescaping prints (its faster output
escape and context), and still stops a costly template with its Vietnamese message."""

from __future__ import annotations

import pytest
from jinja2 import Environment, StrictUndefined
from jinja2.exceptions import UndefinedError
from markupsafe import Markup

from drafter.render.engine import jinja_env
from drafter.render.ooxml import Markup as XmlMarkup
from drafter.sandbox import BudgetError


class _Html:
    def __init__(self, out):
        self.out = out

    def __html__(self):
        return self.out


SOURCE = ("{{ a }}|{{ m }}|{{ x }}|{{ n }}|{{ h }}|{{ h2 }}|{{ missing }}|{% for i in items %}{{ i }},{% endfor %}"
          "{% set s %}{{ a }}{{ x }}{% endset %}{{ s }}|{{ a ~ x }}|{% macro f(v) %}<{{ v }}>{% endmacro %}"
          "{{ f(a) }}|{% filter upper %}{{ a }}{% endfilter %}|{{ a if n else x }}")
VALUES = {"a": 'Hà <Nội> & "x" \'y\'', "m": Markup("<w:br/>"), "x": XmlMarkup('<w:t>"a"&</w:t>'), "n": 12.5,
          "h": _Html("<b>"), "h2": _Html(Markup("<i>")), "items": ["<", 3, None, Markup("&amp;")]}


def test_output_is_jinjas_own():
    plain = Environment(autoescape=True).from_string(SOURCE).render(VALUES)
    assert jinja_env().from_string(SOURCE).render(VALUES) == plain
    assert "Hà &lt;Nội&gt; &amp; &#34;x&#34; &#39;y&#39;" in plain and '<w:t>"a"&</w:t>' in plain


def test_context_has_the_globals_and_the_values():
    env = jinja_env()
    env.globals["agency"] = "UBND"
    out = env.from_string("{{ agency }} {{ range(3)|list }} {{ doc }}").render({"doc": "<d>"})
    assert out == "UBND [0, 1, 2] &lt;d&gt;"
    assert env.from_string("{{ a }}{{ b }}").render(a=1, b=2) == "12"


def test_undefined_still_fails_when_strict():
    env = jinja_env()
    env.undefined = StrictUndefined
    with pytest.raises(UndefinedError):
        env.from_string("{{ nothing }}").render({})


def test_a_costly_template_is_still_stopped():
    with pytest.raises(BudgetError, match="quá giới hạn"):
        jinja_env().from_string("{% for i in range(10) %}{{ 'x' * 100000000 }}{% endfor %}").render({})
    with pytest.raises(BudgetError, match="DRAFTER_MAX_TEMPLATE_STEPS"):
        jinja_env().from_string("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
                                ).render({})


def test_part_made_as_bytes_is_the_text_part_encoded():
    """engine's bytes path (pieces encoded one by one, bookmarks and the last sectPr
    found in the bytes) gives the text path's part, encoded, for every sample; and a
    part with a line break or a tab goes the text way."""
    from conftest import SAMPLES

    from drafter import api
    from drafter.render import context as render_context
    from drafter.render import engine

    samples = sorted(SAMPLES.glob("*.yaml"))
    assert samples
    for path in samples:
        loaded = api.load(path)
        prepared = api.prepare_loaded(loaded)
        compiled = engine.compiled(api.find_template(prepared.document.doc_type.layout, path.parent))
        ctx = render_context.build(prepared.document, compiled.sections)
        for final in (ctx.get("final_sect_pr"), '<w:sectPr><w:pgSz w:w="16838" w:h="11906"/></w:sectPr>'):
            text, unproven = compiled._render(ctx, final)
            data, unproven_b = compiled._render_bytes(ctx, final)
            assert data == text.encode("utf-8") and unproven == unproven_b, path.name
    env = jinja_env()
    t = engine.CompiledTemplate.__new__(engine.CompiledTemplate)
    t._template = env.from_string("<w:body><w:p>{{ a }}</w:p><w:sectPr/></w:body>")
    t._prefix = t._suffix = ""
    t._prefix_bytes = t._suffix_bytes = b""
    t.path = SAMPLES
    for value in ("một\thai", "một\nhai", "Hà Nội"):
        assert t._render_bytes({"a": value}, None)[0] == t._render({"a": value}, None)[0].encode()
