"""The once-per-template proof that every rendered document is well-formed XML
(render/wellformed.py): what it accepts, what it refuses, and that what it accepts
holds on hostile data."""

from __future__ import annotations

import json
from xml.parsers import expat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter import resources
from drafter.render import engine, wellformed

P = '<w:p><w:r><w:t>{}</w:t></w:r></w:p>'


def proven(source: str) -> bool:
    return wellformed.proven(engine.jinja_env(), f"<w:body>{source}</w:body>")


@pytest.mark.parametrize("name", ["cong-van", "quyet-dinh", "van-ban"])
def test_builtin_templates_are_proven(name):
    assert engine.CompiledTemplate(resources.templates_dir() / f"{name}.docx").proven


@pytest.mark.parametrize("source", [
    P.format("{{ doc.vv }}"),
    "{{ doc.table }}",  # a fragment where an element may stand
    "{% for p in doc.body %}<w:p>{{ p.runs }}</w:p>{% endfor %}",
    "{% if a %}<w:p/>{% elif b %}<w:p></w:p>{% else %}{% endif %}",
    '<w:pStyle w:val="{{ \'A\' if loop.last else \'B\' }}"/>',  # constants inside a tag
    '<w:tag w:val="drafter:phu-luc:{{ pl.number|int }}"/>',
    P.format("{{ x|bang_chu }} {{ y|default('') }} {{ doc['a']['b'] }}"),
    "{% set t = doc.title %}" + P.format("{{ t }}"),
])
def test_proven(source):
    assert proven(source)


@pytest.mark.parametrize("source, why", [
    (P.format("{{ doc.vv|safe }}"), "unescaped"),
    (P.format("{{ doc.table[:40] }}"), "a slice can cut a fragment"),
    ("{{ doc.table[0] }}", "an index into a fragment is one character of it"),
    (P.format("{{ doc.table.split('<')[0] }}"), "a call"),
    (P.format("{{ doc.vv|truncate(9) }}"), "a filter that cuts"),
    (P.format("{{ doc.vv|upper }}"), "upper turns &amp; into &AMP;"),
    ('<w:pStyle w:val="{{ doc.style }}"/>', "a value that may be a fragment, inside a tag"),
    ("<w:{{ 'p' }}/>", "text in a tag name"),
    ("{% if a %}<w:p>{% endif %}</w:p>", "a branch that opens what it does not close"),
    ("<w:p>{% for x in xs %}</w:p><w:p>{% endfor %}</w:p>", "a loop body that closes first"),
    ('<w:p {% if a %}w:x="1"{% endif %}/>', "a block inside a tag"),
    ("{% if doc.items.append(1) %}{% endif %}", "a call in a test"),
    ("{% macro m() %}<w:p/>{% endmacro %}{{ m() }}", "macros"),
    ("{% autoescape false %}{{ x }}{% endautoescape %}", "autoescape off"),
    ("{% set t %}<w:p>{% endset %}{{ t }}", "block set"),
    ("{% for x in xs recursive %}{{ loop(x) }}{% endfor %}", "recursive loop"),
    ("<w:p>&nbsp;</w:p>", "an entity Word does not know"),
    ("<w:t>]]{{ x }}></w:t>", "]]> when the value is empty"),
    ("<w:p>\x00</w:p>", "a marker character in the template"),
])
def test_not_proven(source, why):
    assert not proven(source), why


def _parse(xml: bytes) -> None:
    expat.ParserCreate().Parse(xml, True)


HOSTILE = st.lists(
    st.sampled_from(list("aăâđêôơư <>&\"'\n\t;{}%#*_\\]") + ["]]>", "{{ x }}", "{% if %}", "&amp;", "</w:t>",
                                                               "<w:p>", "\u00a0", "\u2028", "\x0b", "\ue000"]),
    min_size=1, max_size=30,
).map("".join).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(subject=HOSTILE, body=HOSTILE, recipient=HOSTILE, cell=HOSTILE)
def test_proven_templates_print_wellformed_xml_for_hostile_text(subject, body, recipient, cell, tmp_path_factory):
    """What the proof lets through without a parse is parsed here, on text built to
    break XML; each built-in template (công văn, quyết định, a named type), with an
    appendix table."""
    from drafter import api

    for kind, extra in (("cong-van", {"kinh_gui": [recipient, "Sở Tài chính"]}),
                        ("quyet-dinh", {"dieu": [body, "Điều khoản thi hành."], "can_cu": [recipient]}),
                        ("chi-thi", {})):
        data = {
            "loai": kind, "so": 12, "ngay": "2026-03-02", "trich_yeu": subject, "noi_dung": body,
            "co_quan": {"ten": "Ủy ban nhân dân tỉnh Hà Tĩnh", "viet_tat": "UBND", "dia_danh": "Hà Tĩnh"},
            "ky": {"tm": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Nguyễn Văn A"},
            "noi_nhan": [recipient], "luu": ["VT"],
            "phu_luc": [{"tieu_de": subject, "bang": {
                "chi_tieu": [{"ma": "kp", "ten": cell, "cong": True}],
                "dong": [{"noi_dung": cell, "dvt": cell, "so_lieu": {"kp": 5}}], "tong_cong": True}}],
            **extra,
        }
        folder = tmp_path_factory.mktemp("w")
        path = folder / "d.yaml"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
        prepared = api.prepare(path)
        template = engine.compiled(api.find_template(prepared.document.doc_type.layout, folder))
        assert template.proven
        xml = template.render_xml(*_ctx(template, prepared))
        _parse(xml.encode("utf-8"))


def _ctx(template, prepared):
    from drafter.render import context

    ctx = context.build(prepared.document, template.sections)
    return ctx, ctx.get("final_sect_pr")
