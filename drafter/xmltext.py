"""Escaping text for XML, as :mod:`xml.sax.saxutils` does it, without its import cost.

``xml.sax.saxutils`` imports ``urllib.request`` (and with it ``http.client``, ``ssl``
and ``email``): about 40 ms of every `drafter render` for two small functions. These
give the same strings.

>>> escape('a < b & "c"')
'a &lt; b &amp; "c"'
>>> quoteattr('x "y"')
'\\'x "y"\\''
>>> quoteattr("a\\nb")
'"a&#10;b"'
"""

from __future__ import annotations


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` as entities (then each of ``entities``)."""
    if not entities:
        # Most texts have none of the three: three ``in`` tests cost less than three
        # replace calls (and the loop over no entities).
        if "&" in data or ">" in data or "<" in data:
            return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
        return data
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in entities.items():
        data = data.replace(key, value)
    return data


def quoteattr(data: str, entities: dict[str, str] | None = None) -> str:
    """``data`` escaped and quoted as an attribute value (saxutils.quoteattr)."""
    data = escape(data, {**(entities or {}), "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    if '"' in data:
        if "'" in data:
            return '"%s"' % data.replace('"', "&quot;")
        return "'%s'" % data
    return '"%s"' % data
