"""Jinja's messages in Vietnamese, for every ``{{ … }}`` a user writes: a quoted figure
in a draft (figures.py), a batch row's expression (inputs/rows.py), an agency's template
(render/engine.py). Jinja words its errors in English and with Python's names ("'dict
object' has no attribute 'so'"); :func:`words` says the common ones as a clerk reads
them and never passes the English on.

>>> from jinja2 import Environment, StrictUndefined
>>> env = Environment(undefined=StrictUndefined)
>>> def said(text, **values):
...     try:
...         env.from_string(text).render(**values)
...     except Exception as exc:
...         return words(exc)
>>> said("{{ hang.ten }")
"thiếu dấu '}}' đóng biểu thức (hoặc thừa dấu '}')"
>>> said("{{ a.so }}", a={})
"không có 'so'"
>>> said("{{ b }}")
"không có giá trị 'b'"
>>> said("{{ a | khong }}", a=1)
"không có bộ lọc 'khong'"
"""

from __future__ import annotations

import re

__all__ = ["words"]

_WORDS: list[tuple[re.Pattern, str]] = [(re.compile(p), w) for p, w in [
    (r"'([^']+)' is undefined", "không có giá trị '{0}'"),
    (r"'[^']+ object' has no attribute '([^']+)'", "không có '{0}'"),
    (r"[\w.]+ object has no element (.+)", "không có mục {0}"),
    (r"'[^']+ object' has no element (.+)", "không có mục {0}"),
    (r"access to attribute '([^']+)' of '\w+' object is unsafe\.?", "không được phép đọc '{0}'"),
    (r"No filter named '([^']+)'\.?", "không có bộ lọc '{0}'"),
    (r"No test named '([^']+)'\.?", "không có phép thử '{0}'"),
    (r"Encountered unknown tag '([^']+)'\..*", "không có thẻ '{% {0} %}'"),
    (r"unexpected end of template, expected 'end of print statement'\.?",
     "thiếu dấu '}}' đóng biểu thức"),
    (r"[Uu]nexpected end of template.*", "biểu thức chưa được đóng (thiếu '}}' hoặc '{% end… %}')"),
    (r"unexpected '\}'", "thiếu dấu '}}' đóng biểu thức (hoặc thừa dấu '}')"),
    (r"unexpected '\}', expected '([\]\)])'", "thiếu dấu '{0}' trước '}}'"),
    (r"unexpected char '(.)' at \d+", "ký tự '{0}' không dùng được trong biểu thức"),
    (r"expected token 'end of print statement', got '([^']+)'", "thừa '{0}' trong biểu thức (thiếu dấu '.' hoặc '|'?)"),
    (r"Expected an expression, got 'end of print statement'", "biểu thức '{{ }}' để trống"),
    (r"unexpected 'end of print statement'", "biểu thức viết chưa hết"),
    (r"unsupported operand type\(s\).*|can only concatenate.*|.*not supported between instances.*",
     "không tính được: phép tính giữa số và chữ"),
    (r"division by zero|.*division or modulo by zero", "chia cho 0"),
]]
_OTHER = "biểu thức viết sai hoặc đọc giá trị không có"


def words(exc: BaseException) -> str:
    """Jinja's (or the expression's) error in Vietnamese, with the names from the text
    the user wrote; a message already in Vietnamese is kept; anything else is said
    generally, never in English."""
    if isinstance(exc, RecursionError):
        return "biểu thức gọi lại chính nó quá nhiều lần"
    if isinstance(exc, ZeroDivisionError):
        return "chia cho 0"
    if isinstance(exc, (OverflowError, MemoryError)):
        return "số hoặc văn bản quá lớn"
    message = str(getattr(exc, "message", None) or exc).strip()
    for pattern, said in _WORDS:
        m = pattern.fullmatch(message)
        if m:
            return said.replace("{0}", m.group(1)) if m.groups() else said
    if _vietnamese(message):
        return message.rstrip(".")
    return _OTHER


def _vietnamese(text: str) -> bool:
    """Whether drafter wrote ``text`` (its messages are Vietnamese, with letters
    ASCII lacks), not a library."""
    return any(ord(c) > 0x7F and c.isalpha() for c in text)
