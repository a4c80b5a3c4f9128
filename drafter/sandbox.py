"""Template expressions at a bounded cost: one Jinja sandbox for every place drafter
evaluates `{{ … }}` (an agency's template, a quoted figure, a batch row's value).

Jinja's own sandbox stops unsafe *access*, not cost: `9**(9**9)` is folded while the
template compiles, `"x"|center(3000000000)` allocates gigabytes, nested `range` loops
run for hours. :class:`BoundedSandbox` (mixed into each environment) adds:

- no constant folding (``optimized=False``; and the operators below are intercepted,
  which also keeps Jinja's introspection from folding them);
- numbers: ``**`` and ``*`` refuse a result over :data:`MAX_NUMBER_DIGITS` digits;
- text: every repeat (``*``), join (``+``, ``~``), padding (``center``, ``indent``,
  ``ljust``…), ``replace``, ``format`` and ``%`` checks the size of its result before
  making it; with the output itself they share one budget of :data:`MAX_TEXT_CHARS`
  characters per render of a document (1/64 of it for one value: a quoted figure, a
  batch row's value);
- steps: each loop iteration and each call counts; one render may take
  :data:`MAX_STEPS` of them.

Over a bound the expression raises :class:`BudgetError` (a ``TemplateError``) with a
Vietnamese message naming the bound and its environment variable, before any cost
is paid. The bounds are read once, from ``DRAFTER_MAX_TEMPLATE_STEPS``,
``DRAFTER_MAX_TEMPLATE_TEXT_MB`` and ``DRAFTER_MAX_NUMBER_DIGITS`` (docs/limits.md).
"""

from __future__ import annotations

import contextvars
import re
from collections import ChainMap
from typing import Any

from jinja2 import TemplateError, nodes, pass_eval_context
from jinja2.environment import Template
from jinja2.runtime import markup_join, str_join
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

try:  # markupsafe's own str → escaped str (private: every failure falls back to escape)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    try:
        from markupsafe._native import _escape_inner
    except ImportError:
        def _escape_inner(s: str, /) -> str:
            return str(escape(s))

from .env import MiB, env_limit

__all__ = ["BoundedSandbox", "BudgetError", "MAX_STEPS", "MAX_TEXT_CHARS", "MAX_NUMBER_DIGITS", "ENV_VARS"]

# name -> (environment variable, default, unit)
ENV_VARS = {
    "MAX_STEPS": ("DRAFTER_MAX_TEMPLATE_STEPS", 100_000, 1),
    "MAX_TEXT_CHARS": ("DRAFTER_MAX_TEMPLATE_TEXT_MB", 64, MiB),
    "MAX_NUMBER_DIGITS": ("DRAFTER_MAX_NUMBER_DIGITS", 1_000, 1),
}


def _read_limits() -> tuple[tuple[int, int, int], tuple[str, ...]]:
    """The three bounds, and a message for each variable set to something that is not
    a limit. Such a value is the validation stage's error (ENV_PROBLEMS), so the
    command stops and says which variable; the defaults hold meanwhile, so nothing is
    ever unbounded."""
    values, problems = [], []
    for name in ("MAX_STEPS", "MAX_TEXT_CHARS", "MAX_NUMBER_DIGITS"):
        var, default, unit = ENV_VARS[name]
        try:
            values.append(env_limit(var, default * unit, unit=unit))
        except ValueError as exc:
            values.append(default * unit)
            problems.append(str(exc))
    return (values[0], values[1], values[2]), tuple(problems)


(MAX_STEPS, MAX_TEXT_CHARS, MAX_NUMBER_DIGITS), ENV_PROBLEMS = _read_limits()


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class BudgetError(TemplateError):
    """An expression that would cost more than a bound; nothing was computed."""


class _Budget:
    __slots__ = ("steps", "text", "limit")

    def __init__(self, share: int = 1) -> None:
        self.steps = MAX_STEPS
        self.text = self.limit = max(1, MAX_TEXT_CHARS // share)

    def step(self, n: int = 1) -> None:
        self.steps -= n
        if self.steps < 0:
            raise BudgetError(
                f"biểu thức chạy quá {_vn(MAX_STEPS)} bước (vòng lặp, lời gọi); giới hạn "
                f"DRAFTER_MAX_TEMPLATE_STEPS")

    def chars(self, n: int, what: str) -> None:
        if n > self.text:
            so_far = "" if n > self.limit else " (cùng những gì đã tạo trước đó)"
            raise BudgetError(
                f"{what} tạo ra {_vn(n)} ký tự{so_far}, quá giới hạn {_vn(self.limit)} ký tự "
                + ("của một văn bản" if self.limit == MAX_TEXT_CHARS else "của một giá trị")
                + " (DRAFTER_MAX_TEMPLATE_TEXT_MB)")
        self.text -= n


_CURRENT: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("drafter_budget", default=None)


def _budget() -> _Budget:
    # Outside a render (Jinja evaluating a constant while compiling): a budget of its own.
    return _CURRENT.get() or _Budget()


def _digits_of_bits(bits: int) -> int:
    return bits * 30103 // 100000 + 1


def _too_many_digits(digits: int, what: str) -> BudgetError:
    return BudgetError(f"{what} cho một số có khoảng {_vn(digits)} chữ số, quá giới hạn "
                       f"{_vn(MAX_NUMBER_DIGITS)} chữ số (DRAFTER_MAX_NUMBER_DIGITS)")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int_arg(value: Any) -> int | None:
    if _is_int(value):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 30:
        return int(value)
    return None


_WIDTHS = re.compile(r"\d+")


def _format_widths(fmt: str, args: Any) -> int:
    """The largest width or precision a `%`/`format` string could pad to (over-estimated:
    any number in the string counts; `*` takes the largest integer argument)."""
    widest = max((int(d) for d in _WIDTHS.findall(fmt) if len(d) < 30), default=0)
    if any(len(d) >= 30 for d in _WIDTHS.findall(fmt)):
        return 10 ** 30
    if "*" in fmt:
        values = args if isinstance(args, (tuple, list)) else (args,)
        widest = max([widest] + [abs(v) for v in values if _is_int(v)])
    return widest


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _output_escape(s: Any, /) -> Any:
    """Jinja's ``escape`` for what a template prints (``{{ … }}``, autoescaped): the same
    text, as a plain ``str`` where markupsafe makes a ``Markup`` copy of it. The name
    ``escape`` in a compiled template's module is used for its output only (yielded,
    or put in a buffer that is joined and made ``Markup`` after), so the copy buys
    nothing; markupsafe's escape is a Python function whose ``Markup(…)`` call is
    most of its cost (a document prints about 30 values). Anything but a ``str``, a
    ``Markup`` or an object whose ``__html__`` gives a ``str`` goes through
    markupsafe's own.

    >>> _output_escape('a < "b"'), _output_escape(Markup("<w:br/>"))
    ('a &lt; &#34;b&#34;', Markup('<w:br/>'))
    """
    t = type(s)
    if t is str:
        return _escape_inner(s)
    if t is Markup:
        return s
    html = getattr(s, "__html__", None)
    if html is not None:
        out = html()
        # Any text: a str subclass as it is (markupsafe's escape would copy it into a
        # Markup of the same text), so what it carries stays with it (a planned table's
        # XML with its UTF-8 made once: render/ooxml.EncodedXml).
        if isinstance(out, str):
            return out
    return escape(s)


def _printed_as_is(s: Any, /) -> Any:
    """What a template prints straight into its output (not into a block, a macro or a
    ``set``, whose text is joined: render/engine's code generator tells them apart): an
    object whose class says ``print_as_is`` (render/ooxml.SealedXml, a table kept as its
    UTF-8) is printed as itself, for the caller of :meth:`BoundedTemplate.render_chunks`
    to copy its bytes (it is at least :data:`LARGE_PIECE` long: noted among the large
    pieces); anything else as :func:`_output_escape` (its steps here: one call a value)."""
    t = type(s)
    if t is Markup:
        return s
    html = getattr(s, "__html__", None)
    if html is not None:
        if getattr(t, "print_as_is", False):
            return s
        out = html()
        if isinstance(out, str):
            return out
    return _output_escape(s)


LARGE_PIECE = 4096  # characters: a printed piece this long is one render/engine may copy without looking


class Printed(list):
    """What a render printed, piece by piece; ``large``: the indexes of its pieces of
    :data:`LARGE_PIECE` characters or more (noted as they are counted), among them
    any printed as itself (:func:`_printed_as_is`)."""

    __slots__ = ("large",)


def printed_text(chunks: list) -> str:
    """The text of what a render printed: its pieces joined, one printed as itself
    (:func:`_printed_as_is`) as its text."""
    try:
        return "".join(chunks)
    except TypeError:  # a piece printed as itself
        return "".join([c if isinstance(c, str) else str(c) for c in chunks])


class BoundedTemplate(Template):
    """A template whose every render has its own budget (output counted too)."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # type: ignore[override]
        namespace["escape"] = _output_escape  # what the template's code prints with
        # What _output_escape does to a str, for code that asks the type itself
        # (render/engine's code generator prints a str value without the call).
        namespace["_escape_str"] = _escape_inner
        # What it prints straight into its output (render/engine's code generator).
        namespace["_print_top"] = _printed_as_is
        return super()._from_namespace(environment, namespace, globals)

    def new_context(self, vars=None, shared=False, locals=None):  # type: ignore[override]
        """Jinja's context, its globals (a ChainMap: iterated in Python, twice, ~10 µs)
        flattened with dict.update; the same context otherwise."""
        if shared or locals:
            return super().new_context(vars, shared, locals)
        flat: dict = {}
        for m in reversed(self.globals.maps) if isinstance(self.globals, ChainMap) else (self.globals,):
            flat.update(m)
        return self.environment.context_class(self.environment, dict(flat, **(vars or {})), self.name,
                                              self.blocks, globals=flat)

    def render(self, *args: Any, **kwargs: Any) -> str:
        return printed_text(self.render_chunks(*args, **kwargs))

    def render_chunks(self, *args: Any, **kwargs: Any) -> Printed:
        """:meth:`render`'s output as the pieces the template printed, not yet joined
        (a caller that encodes them, or joins them with more)."""
        ctx = self.new_context(args[0] if len(args) == 1 and not kwargs and type(args[0]) is dict
                               else dict(*args, **kwargs))
        budget = _Budget(self.environment.text_share)
        token = _CURRENT.set(budget)
        try:
            out = Printed()
            out.large = large = []
            append = out.append
            for chunk in self.root_render_func(ctx):
                n = len(chunk)
                if n > budget.text:  # over the budget: the error, said by chars()
                    budget.chars(n, "Văn bản")
                budget.text -= n
                if n >= LARGE_PIECE:
                    large.append(len(out))
                append(chunk)
            return out
        except BudgetError:
            raise
        except (RecursionError, OverflowError, ArithmeticError, MemoryError) as exc:
            from .template_words import words

            raise BudgetError(f"biểu thức không tính được ({words(exc)})") from None
        except Exception:
            self.environment.handle_exception()
        finally:
            _CURRENT.reset(token)


class _Guard(NodeTransformer):
    """Every loop iterates through `_drafter_loop` (steps counted) and every `~`
    through `_drafter_concat` (its size checked)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_drafter_loop", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "_drafter_concat", [], [], None, None,
                            lineno=node.lineno)


def _loop(iterable: Any):
    budget = _budget()
    for item in iterable:
        budget.steps -= 1  # budget.step() without its call, each iteration of every loop
        if budget.steps < 0:
            budget.step(0)  # over the bound: its error
        yield item


@pass_eval_context
def _concat(eval_ctx, parts: list) -> str:
    _budget().chars(sum(len(p) if isinstance(p, str) else 16 for p in parts), "Phép nối ~")
    return (markup_join if eval_ctx.autoescape else str_join)(parts)


_STR_PADS = {"center", "ljust", "rjust", "zfill"}


class BoundedSandbox:
    """Mixin for a ``SandboxedEnvironment`` subclass: see the module docstring."""

    intercepted_binops = frozenset({"**", "*", "+", "%", "/", "//"})
    template_class = BoundedTemplate
    #: a render may make MAX_TEXT_CHARS // text_share characters: a whole document for
    #: an agency's template, 1/64 of that for one value (a quoted figure, a row's value).
    text_share = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["optimized"] = False  # no constant folding: nothing is computed while compiling
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # lipsum(n) makes text of any size
        self.filters["_drafter_loop"] = _loop
        self.filters["_drafter_concat"] = _concat
        for name in ("center", "indent", "format", "replace", "join", "batch", "slice", "tojson",
                     "wordwrap", "truncate", "list", "string"):
            if name in self.filters:
                self.filters[name] = _guarded_filter(name, self.filters[name])

    def _generate(self, source, name, filename, defer_init=False):  # type: ignore[override]
        if isinstance(source, nodes.Template):
            source = _Guard().visit(source)
        return super()._generate(source, name, filename, defer_init)

    def call_binop(self, context, operator, left, right):  # type: ignore[override]
        budget = _budget()
        budget.step()
        if operator == "**" and _is_int(left) and _is_int(right):
            if right > 0 and abs(left) > 1:
                digits = _digits_of_bits((abs(left).bit_length() - 1) * right + 1) if right < 10 ** 12 else 10 ** 12
                if digits > MAX_NUMBER_DIGITS:
                    raise _too_many_digits(digits, f"Phép lũy thừa {left}**{right}")
        elif operator == "*":
            if _is_int(left) and _is_int(right):
                digits = _digits_of_bits(left.bit_length() + right.bit_length())
                if digits > MAX_NUMBER_DIGITS:
                    raise _too_many_digits(digits, "Phép nhân")
            elif _is_int(right) and _sized(left) or _is_int(left) and _sized(right):
                n, seq = (right, left) if _is_int(right) else (left, right)
                budget.chars(max(0, n) * len(seq), "Phép lặp *")
        elif operator == "+" and _sized(left) and _sized(right):
            budget.chars(len(left) + len(right), "Phép cộng chuỗi")
        elif operator == "%" and isinstance(left, str):
            width = _format_widths(left, right)
            budget.chars(width + len(left), "Định dạng %")
        try:
            return super().call_binop(context, operator, left, right)
        except (ArithmeticError, OverflowError) as exc:
            raise BudgetError(f"phép tính {operator} không thực hiện được ({exc})") from None

    def call(__self, __context, __obj, *args, **kwargs):  # type: ignore[override]  # noqa: N805
        budget = _budget()
        budget.step()
        # str.format comes wrapped by the sandbox (its formatter): look at what it wraps.
        method = getattr(__obj, "__wrapped__", __obj)
        target = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(target, str):
            _check_str_method(budget, target, name, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _check_str_method(budget: _Budget, s: str, name: str, args: tuple, kwargs: dict) -> None:
    if name in _STR_PADS:
        width = _int_arg(args[0] if args else kwargs.get("width", 0)) or 0
        budget.chars(max(width, len(s)), f"Hàm {name}")
    elif name == "expandtabs":
        size = _int_arg(args[0] if args else kwargs.get("tabsize", 8)) or 8
        budget.chars(len(s) + s.count("\t") * max(0, size), "Hàm expandtabs")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        _check_replace(budget, s, args[0], args[1])
    elif name in ("format", "format_map"):
        values = list(args) + list(kwargs.values())
        width = _format_widths(s, tuple(values))
        if "{" in s and any(_is_int(v) for v in values):
            width = max([width] + [abs(v) for v in values if _is_int(v)])
        budget.chars(width + len(s), f"Hàm {name}")
    elif name == "join" and args and isinstance(args[0], (list, tuple)):
        budget.chars(sum(_sized(x) for x in args[0]) + len(s) * len(args[0]), "Hàm join")


def _check_replace(budget: _Budget, s: str, old: str, new: str) -> None:
    count = len(s) + 1 if old == "" else s.count(old)
    budget.chars(len(s) + count * max(0, len(new) - len(old)), "Hàm replace")


def _guarded_filter(name: str, func: Any) -> Any:
    """A built-in filter that checks the size of what it would make first."""
    import functools

    def check(args: tuple, kwargs: dict) -> None:
        budget = _budget()
        budget.step()
        value = args[0] if args else None
        rest = args[1:]
        if name == "center":
            width = _int_arg(rest[0] if rest else kwargs.get("width", 80)) or 0
            budget.chars(max(width, _sized(value)), "Bộ lọc center")
        elif name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            per_line = len(width) if isinstance(width, str) else (_int_arg(width) or 0)
            lines = str(value).count("\n") + 1 if value is not None else 1
            budget.chars(len(str(value)) + lines * max(0, per_line), "Bộ lọc indent")
        elif name == "format" and isinstance(value, str):
            budget.chars(_format_widths(value, rest or tuple(kwargs.values())) + len(value), "Bộ lọc format")
        elif name == "replace" and len(rest) >= 2:
            _check_replace(budget, str(value), str(rest[0]), str(rest[1]))
        elif name in ("batch", "slice"):
            n = _int_arg(rest[0] if rest else kwargs.get("linecount", kwargs.get("slices", 1))) or 0
            budget.step(max(0, n) if name == "slice" else 0)
            if name == "batch" and (len(rest) > 1 or "fill_with" in kwargs):
                budget.chars(max(0, n), "Bộ lọc batch")
        elif name == "tojson":
            indent = rest[0] if rest else kwargs.get("indent")
            if _int_arg(indent):
                budget.chars(_int_arg(indent) * 100, "Bộ lọc tojson")
        elif name == "wordwrap":
            wrapstring = rest[2] if len(rest) > 2 else kwargs.get("wrapstring")
            if isinstance(wrapstring, str):
                budget.chars(len(str(value)) * (1 + len(wrapstring)), "Bộ lọc wordwrap")

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        # pass_* filters get the context first: the value is the next argument.
        skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        check(args[skip:], kwargs)
        result = func(*args, **kwargs)
        if isinstance(result, str):
            _budget().chars(len(result), f"Bộ lọc {name}")
        return result

    return guarded
