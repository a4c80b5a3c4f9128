"""The electronic layout's one change to a template's parts (render --dien-tu).

The signer's name paragraph (style ``DrSigner``) is set ``rules.electronic.SIGNATURE_SPACE_TWIPS``
below the title, room for the signature image and the seal at its real size. The
style is changed in ``word/styles.xml``, so every signature of the document (the main
one, each attached document's, both of a pair) gets the space; the document part is
untouched. A template with no such style (an agency's own) is left as it is.
"""

from __future__ import annotations

import re
import weakref

from ..rules import electronic

STYLES_PART = "word/styles.xml"
SIGNER_STYLE = "DrSigner"

_STYLE = re.compile(rb'<w:style\b[^>]*w:styleId="' + SIGNER_STYLE.encode() + rb'"[^>]*>.*?</w:style>', re.DOTALL)
_BEFORE = re.compile(rb'(<w:spacing\b[^>]*?\bw:before=")[0-9]+(")')
_cache: weakref.WeakKeyDictionary[object, dict[str, bytes]] = weakref.WeakKeyDictionary()


def signer_space(styles: bytes, twips: int = electronic.SIGNATURE_SPACE_TWIPS) -> bytes:
    """``styles.xml`` with the DrSigner style's space before set to ``twips``.

    >>> xml = b'<w:style w:type="paragraph" w:styleId="DrSigner"><w:pPr><w:spacing w:before="1560" w:after="0"/></w:pPr></w:style>'
    >>> signer_space(xml, 2380)
    b'<w:style w:type="paragraph" w:styleId="DrSigner"><w:pPr><w:spacing w:before="2380" w:after="0"/></w:pPr></w:style>'
    >>> signer_space(b'<w:style w:styleId="Other"/>', 2380)
    b'<w:style w:styleId="Other"/>'
    """
    m = _STYLE.search(styles)
    if m is None:
        return styles
    style = m.group(0)
    if _BEFORE.search(style):
        new = _BEFORE.sub(rb"\g<1>" + str(twips).encode() + rb"\g<2>", style, count=1)
    elif b"<w:pPr>" in style:
        new = style.replace(b"<w:pPr>", b'<w:pPr><w:spacing w:before="' + str(twips).encode() + b'"/>', 1)
    else:
        return styles
    return styles[:m.start()] + new + styles[m.end():]


def styles_part(package) -> dict[str, bytes]:
    """The replaced styles part of ``package`` (a template's), computed once per template."""
    found = _cache.get(package)
    if found is None:
        if not package.has(STYLES_PART):
            found = {}
        else:
            original = package.read(STYLES_PART)
            changed = signer_space(original)
            found = {STYLES_PART: changed} if changed != original else {}
        _cache[package] = found
    return found
