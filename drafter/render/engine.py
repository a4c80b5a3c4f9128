"""Compile a template once, render many documents.

docxtpl prepares the template (its tag clean-up, `{%p %}`/`{{r }}` handling), and
the prepared XML is compiled by Jinja once per template, with autoescaping and a
sandbox. Each document is then one Jinja render plus a zip write that copies the
untouched parts' compressed bytes as they are. `drafter render` and `drafter batch`
share this path, so what a batch writes is what a single render writes.
"""

from __future__ import annotations

import re
from xml.parsers import expat
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import DrafterError, Position, Problem, display_path
from ..package import PackageTemplate
from . import filters, wellformed
from .sections import Sections

MAIN_PART = "word/document.xml"


class TemplateRenderError(DrafterError):
    """A template produced XML that Word could not open; nothing is written."""


class _Sandbox(SandboxedEnvironment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context is plain dicts: `doc.header` reads a key. Jinja would first try
        # the attribute and fail (an exception per dot, ~60 per document); read the
        # key straight away when no dict attribute of that name could shadow it.
        if type(obj) is dict and attribute in obj and not hasattr(dict, attribute):
            return obj[attribute]
        return super().getattr(obj, attribute)


def jinja_env() -> SandboxedEnvironment:
    env = _Sandbox(autoescape=True, keep_trailing_newline=True)
    filters.install(env)  # bang_chu, doc_so, so: for agencies' own templates
    return env


class CompiledTemplate:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        tpl = DocxTemplate(str(self.path))
        tpl.init_docx()
        # docxtpl renders the <w:body> element only; keep the document's own start and
        # end tags (with their namespace declarations) to wrap each rendered body.
        self.package = PackageTemplate.from_file(self.path)
        whole = self.package.read(MAIN_PART).decode("utf-8")
        start, end = whole.index("<w:body"), whole.rindex("</w:body>") + len("</w:body>")
        self._prefix, self._suffix = whole[:start], whole[end:]
        body = whole[start:end]
        last = body.rfind("<w:sectPr")
        self.sections = Sections(body[last:body.index("</w:sectPr>", last) + len("</w:sectPr>")])
        source = _once_for_all(tpl.patch_xml(tpl.get_xml()))
        env = jinja_env()
        try:
            self._template = env.from_string(source)
        except TemplateError as exc:
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} có thẻ viết sai ({exc.message or exc}); chưa tạo được văn bản nào. "
                "Hãy sửa các thẻ {{ … }} và {% … %} trong mẫu.", Position(display_path(self.path)))) from None
        # Judged once: a proven template cannot print broken XML, whatever the data.
        self.proven = wellformed.proven(env, source)
        self._resolve_listing = tpl.resolve_listing

    def render_xml(self, context: dict[str, Any], final_sect_pr: str | None = None) -> str:
        try:
            xml = self._template.render(context)
        except TemplateError as exc:  # an agency's template reading what is not there
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} dùng giá trị không có ({exc.message or exc}); văn bản không được tạo. "
                "Hãy kiểm tra các thẻ {{ … }} trong mẫu.", Position(display_path(self.path)))) from None
        # Line breaks and tabs inside values become <w:br/>/<w:tab/> (docxtpl's listing
        # step); skip its whole-document regex pass when no value carries one.
        if "\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml:  # memchr: far faster than a regex
            xml = self._resolve_listing(xml)
        if final_sect_pr:
            # The body's last sectPr describes the last section (a landscape appendix).
            i = xml.rfind("<w:sectPr")
            j = xml.index("</w:sectPr>", i) + len("</w:sectPr>")
            xml = xml[:i] + final_sect_pr + xml[j:]
        return self._prefix + xml + self._suffix

    def render(self, context: dict[str, Any], *, check: bool = True) -> bytes:
        data = self.render_xml(context, context.get("final_sect_pr")).encode("utf-8")
        if check and not self.proven:
            # A document Word cannot open is never written: parse before packaging.
            # expat only checks well-formedness (no tree): half the time of lxml here.
            parser = expat.ParserCreate()
            try:
                parser.Parse(data, True)
            except expat.ExpatError as exc:
                raise TemplateRenderError(Problem(
                    f"Mẫu trình bày {self.path.name} sinh ra XML hỏng ({exc}); văn bản không được tạo. "
                    "Hãy kiểm tra các thẻ {{ … }} trong mẫu.", Position(display_path(self.path)))) from None
        # zlib level 1: a third of level 6's time for a few hundred more bytes per document.
        return self.package.build({MAIN_PART: data}, level=1)


_BRACES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))
_EMPTY_RUNS = ('<w:r><w:t xml:space="preserve"></w:t></w:r>', "<w:r><w:t></w:t></w:r>")


def _once_for_all(patched: str) -> str:
    """What docxtpl does to each rendered document, done to the template once.

    Its escaped braces (`{_{` for a literal `{{`…) become constants Jinja prints as
    they are, and the empty runs its `{{r …}}` tags leave behind are dropped. (docxtpl
    also puts a line break before each `<w:p` for its error messages' line numbers
    and takes it out again after rendering: not needed here.)
    """
    for empty in _EMPTY_RUNS:
        patched = patched.replace(empty, "")
    for escaped, literal in _BRACES:
        patched = patched.replace(escaped, "{{ %r }}" % literal)
    return patched


@lru_cache(maxsize=32)
def _compiled(path: str, mtime_ns: int) -> CompiledTemplate:
    return CompiledTemplate(path)


def compiled(path: str | Path) -> CompiledTemplate:
    """A compiled template, cached per file and modification time."""
    p = Path(path).resolve()
    return _compiled(str(p), p.stat().st_mtime_ns)
