"""engine's code generator writes a dot on a plain dict holding the key as the key's
read, and a printed str's escape, with no call: every template prints what it
printed through the sandbox's getattr and the template's escape (the same text, the
same errors), whatever the object, the key, the attribute name or the value printed;
unsafe attributes are still refused."""

from __future__ import annotations

import random

import pytest
from jinja2 import StrictUndefined
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, UndefinedError
from markupsafe import Markup

from drafter.render import engine


class _Plain(engine._Sandbox):
    code_generator_class = CodeGenerator  # every dot through environment.getattr


def _envs(**kw):
    new, old = engine._Sandbox(autoescape=True, **kw), _Plain(autoescape=True, **kw)
    for env in (new, old):
        engine.filters.install(env)
    return new, old


class _Obj:
    a = "thuộc tính"

    def __init__(self):
        self.b = {"c": "<c>"}


class _Sub(dict):
    pass


def _outcome(env, source, ctx):
    try:
        return "ok", env.from_string(source).render(ctx)
    except Exception as exc:  # the same kind of error, said the same way
        return type(exc).__name__, str(exc)


_NAMES = ["a", "b", "c", "items", "keys", "get", "x", "__class__", "mro", "index", "last", "upper"]
_CTX = {
    "d": {"a": {"b": {"c": "<đ>"}}, "items": "mục", "x": 1, "get": "g", "__class__": "k"},
    "o": _Obj(),
    "s": _Sub(a="sub", items="i"),
    "t": "text & more",
    "n": None,
    "l": [{"a": 1, "b": {"c": 2}}, {"a": 3}],
}


def _expr(r: random.Random, depth: int = 0) -> str:
    base = r.choice(["d", "o", "s", "t", "n", "l[0]", "missing", "(d if x else o)", "d['a']"])
    if depth < 2 and r.random() < 0.3:
        base = "(" + _expr(r, depth + 1) + ")"
    return base + "".join("." + r.choice(_NAMES) for _ in range(r.randrange(0, 4)))


def test_random_dots_print_what_the_sandboxs_getattr_prints():
    r = random.Random(19)
    for strict in (False, True):
        kw = {"undefined": StrictUndefined} if strict else {}
        new, old = _envs(**kw)
        for _ in range(600):
            source = "".join(r.choice([
                "{{ %s }}|" % _expr(r),
                "{%% if %s %%}y{%% endif %%}|" % _expr(r),
                "{%% for v in l %%}{{ v.a }}{{ v.b.c }}{{ loop.index }}{{ loop.last }}{%% endfor %%}|",
                "{%% set z = %s %%}{{ z.a }}|" % _expr(r),
                "{{ %s ~ %s }}|" % (_expr(r), _expr(r)),
            ]) for _ in range(r.randrange(1, 5)))
            assert _outcome(new, source, _CTX) == _outcome(old, source, _CTX), source


def test_a_plain_dicts_key_is_read_and_dict_methods_are_not_shadowed():
    new, _ = _envs()
    assert new.from_string("{{ d.a.b.c }}|{{ d.x }}").render(_CTX) == "&lt;đ&gt;|1"
    assert new.from_string("{{ d.items }}").render(_CTX).startswith("&lt;built-in method items")
    assert "_dga" in new.compile("{{ d.a }}", raw=True)
    assert "_dga" not in new.compile("{{ d.items }}", raw=True)  # dict's own name: the sandbox's way
    with pytest.raises(UndefinedError):
        _envs(undefined=StrictUndefined)[0].from_string("{{ d.nothing }}").render(_CTX)


def test_unsafe_attributes_are_still_refused():
    new, _ = _envs()
    with pytest.raises(SecurityError):
        new.from_string("{{ o.__class__.__subclasses__() }}").render(_CTX)
    assert new.from_string("{{ o.__class__ }}").render(_CTX) == ""  # undefined, as the sandbox says


class _Html:
    def __html__(self):
        return "<html-đ>"


class _Text(str):
    pass


def test_printed_values_are_escaped_as_the_templates_escape_escapes_them():
    values = {"v": ['a < "b" & \'c\'', "Hà Nội", "", Markup("<w:br/>"), _Html(), _Text("<t>"), 12, 1.5, None,
                    ["<"], {"k": "<"}, True]}
    new, old = _envs()
    sources = ["{% for x in v %}{{ x }}|{% endfor %}",
               "{% macro m(x) %}<{{ x }}>{% endmacro %}{% for x in v %}{{ m(x) }}{% endfor %}",
               "{% for x in v %}{% set s %}{{ x }}{% endset %}{{ s }}{{ x ~ x }}{% endfor %}",
               "{% for x in v %}{% autoescape false %}{{ x }}{% endautoescape %}{{ x|string }}{% endfor %}",
               "{% for x in v %}{% filter upper %}{{ x }}{% endfilter %}{{ x if x else 'không' }}{% endfor %}",
               "{{ missing }}|{{ v[0] }}{{ v[3] }}"]
    for source in sources:
        assert _outcome(new, source, values) == _outcome(old, source, values), source
        assert _outcome(new, source, values)[0] == "ok"
    assert "_escape_str" in new.compile("{{ a }}", raw=True)
