"""Whether a template can only ever print well-formed XML, decided once per template.

A document Word cannot open must never be written. Parsing every rendered document
to make sure costs as much as rendering it; instead the compiled template is judged
once, and it is *proven* when:

* every value it prints is escaped text or a fragment the XML layer built (runs,
  rules, tables: balanced by construction): it only reads names, attributes, keys and
  constants, through filters that keep that so — no calls, no indexes or slices (one
  character of a fragment is not balanced), no `safe`;
* a value that may be such a fragment stands where an element may stand; inside a
  tag only provably plain text is printed (a constant, a number);
* the body of every `if` branch and `for` loop is balanced on its own, so whichever
  way the data goes, the tags still match.

The proof replaces each printed value by a marker only legal where that value is
(an empty element, or an entity reference for plain text), each checked block by a
marker of its own, and lets expat judge every block and the whole. Whatever it cannot
judge (macros, calls, `|safe`, `{% autoescape %}`…) is not proven, and the engine
parses each document instead. The post-steps of rendering keep balance: docxtpl's
line-break step swaps text inside `<w:t>` for closed-and-reopened runs, and the
final section properties are one balanced element swapped for another.
"""

from __future__ import annotations

from xml.parsers import expat

from jinja2 import Environment, nodes

# Filters whose result is plain text whatever they are given: safe inside a tag too.
TEXT_FILTERS = frozenset({"int", "length", "count", "striptags", "bang_chu", "doc_so", "so"})
# Filters that hand back escaped text or the fragment they were given, uncut.
KEEPING_FILTERS = frozenset({"e", "escape", "forceescape", "default", "d"})

_SLOT = "\x00"  # a value that may be a fragment; must stand where an element may
_TEXT = "\x01"  # a value that is plain text
_MARKERS = ({_SLOT: "<drafter-slot/>", _TEXT: "&amp;"}, {_SLOT: "", _TEXT: ""})


class _NotProven(Exception):
    pass


def proven(env: Environment, source: str) -> bool:
    """True when every document rendered from ``source`` is well-formed XML."""
    if _SLOT in source or _TEXT in source:
        return False  # never in XML; the markers must not be mistaken for them
    try:
        _require_balanced(_skeleton(env.parse(source).body))
    except _NotProven:
        return False
    return True


def _require_balanced(skeleton: str) -> None:
    """The skeleton is element content: with values as markers and as nothing."""
    for markers in _MARKERS:
        text = skeleton.replace(_SLOT, markers[_SLOT]).replace(_TEXT, markers[_TEXT])
        try:
            expat.ParserCreate().Parse(f"<r>{text}</r>", True)
        except expat.ExpatError:
            raise _NotProven from None


def _skeleton(body: list[nodes.Node]) -> str:
    parts: list[str] = []
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    parts.append(child.data)
                else:
                    parts.append(_TEXT if _plain_text(child) else _SLOT if _keeps(child) else _fail())
        elif isinstance(node, nodes.If):
            _condition(node.test)
            _require_balanced(_skeleton(node.body))
            for branch in node.elif_:
                _condition(branch.test)
                _require_balanced(_skeleton(branch.body))
            _require_balanced(_skeleton(node.else_))
            parts.append(_SLOT)
        elif isinstance(node, nodes.For):
            if node.recursive or node.test is not None or not _keeps(node.iter):
                _fail()
            _require_balanced(_skeleton(node.body))
            _require_balanced(_skeleton(node.else_))
            parts.append(_SLOT)
        elif isinstance(node, nodes.Assign):
            if not (isinstance(node.target, nodes.Name) and _keeps(node.node)):
                _fail()
        else:
            _fail()  # macros, calls, includes, autoescape blocks, block sets…
    return "".join(parts)


def _fail() -> bool:
    raise _NotProven


def _plain_text(expr: nodes.Expr) -> bool:
    """Prints as text whatever the data (escaped): safe inside a tag too."""
    if isinstance(expr, nodes.Const):
        return isinstance(expr.value, (str, int)) or expr.value is None
    return _composed(expr, TEXT_FILTERS, _plain_text)


def _keeps(expr: nodes.Expr) -> bool:
    """Reads a value as it is (text, number, or a fragment built by drafter)."""
    if _plain_text(expr) or isinstance(expr, nodes.Name):
        return True
    if isinstance(expr, nodes.Getattr):
        return _keeps(expr.node)
    if isinstance(expr, nodes.Getitem):
        # A key, not an index: an index into a fragment is one character of it (`<`).
        return isinstance(expr.arg, nodes.Const) and isinstance(expr.arg.value, str) and _keeps(expr.node)
    return _composed(expr, KEEPING_FILTERS, _keeps)


def _composed(expr: nodes.Expr, filters: frozenset[str], judge) -> bool:
    """A choice between two values, or a filter on one: as good as its parts."""
    if isinstance(expr, nodes.CondExpr):
        _condition(expr.test)
        return judge(expr.expr1) and (expr.expr2 is None or judge(expr.expr2))
    if isinstance(expr, nodes.Filter):
        return expr.name in filters and expr.node is not None and _keeps(expr.node) and _literal_args(expr)
    return False


def _literal_args(f: nodes.Filter) -> bool:
    return (all(isinstance(a, nodes.Const) for a in f.args) and not f.kwargs
            and f.dyn_args is None and f.dyn_kwargs is None)


def _condition(test: nodes.Expr) -> None:
    """A test prints nothing; it must not call anything either (a call could change
    what a later value holds)."""
    if isinstance(test, nodes.Call) or any(True for _ in test.find_all(nodes.Call)):
        _fail()
