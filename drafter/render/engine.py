"""Compile a template once, render many documents.

docxtpl prepares the template (its tag clean-up, `{%p %}`/`{{r }}` handling), and
the prepared XML is compiled by Jinja once per template, with autoescaping and a
sandbox; what that makes is kept in the user's cache (template_cache), so a later
command neither imports docxtpl nor prepares the template again. Each document is
then one Jinja render plus a zip write that copies the untouched parts' compressed
bytes as they are. `drafter render` and `drafter batch`
share this path, so what a batch writes is what a single render writes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.parsers import expat

from jinja2 import FunctionLoader, TemplateError
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

from ..errors import DrafterError, Position, Problem, display_path
from ..sandbox import LARGE_PIECE, BoundedSandbox, BudgetError, printed_text
from ..template_words import words
from ..package import PackageError, PackageTemplate, parse_xml
from ..package.writer import Pieces
from ..package.reader import is_xml_part
from . import filters, template_cache, wellformed
from .ooxml import (SealedXml, figure_bookmark_pieces, figure_bookmark_pieces_bytes,
                    figure_bookmark_pieces_parts, number_figure_bookmarks)
from .sections import Sections

MAIN_PART = "word/document.xml"


class TemplateRenderError(DrafterError):
    """A template produced XML that Word could not open; nothing is written."""


_DICT_ATTRIBUTES = frozenset(dir(dict))
_LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length",
                              "depth", "depth0", "previtem", "nextitem"})


class _CodeGenerator(CodeGenerator):
    """Jinja's code, a dot read without a call where ``_Sandbox.getattr`` would read
    a plain dict's key: ``doc.header`` is written
    ``(_dga['header'] if type(_dga := doc) is dict and 'header' in _dga else
    environment.getattr(_dga, 'header'))``, the same value, ~70 method calls a
    document fewer. Anything else (another object, a missing key, a name of dict's
    own attributes, which is never written this way) goes through
    ``environment.getattr`` as before. ``_dga`` is set only once its object is
    computed, and read at once: a dot inside the object's own expression sets it
    first, never in between. A value printed in an autoescaped template that is a
    str is escaped the same way without the call to the template's ``escape``
    (sandbox._output_escape): ``(_escape_str(_dge) if type(_dge := value) is str else
    escape(_dge))``; printed straight into the output (no block, macro or ``set``
    collecting it), anything else goes through ``_print_top`` (sandbox._printed_as_is:
    a sealed table reaches :func:`_encoded_parts` as itself, its bytes copied)."""

    def _output_child_pre(self, node, frame, finalize) -> None:  # type: ignore[override]
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape or finalize.src is not None:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("(_escape_str(_dge) if type(_dge := ")

    def _output_child_post(self, node, frame, finalize) -> None:  # type: ignore[override]
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape or finalize.src is not None:
            super()._output_child_post(node, frame, finalize)
            return
        self.write(") is str else _print_top(_dge))" if frame.buffer is None else ") is str else escape(_dge))")

    def visit_Getattr(self, node, frame) -> None:  # type: ignore[override]
        if self.environment.is_async or node.attr in _DICT_ATTRIBUTES or self.optimizer is not None:
            super().visit_Getattr(node, frame)
            return
        key = repr(node.attr)
        self.write(f"(_dga[{key}] if type(_dga := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {key} in _dga else environment.getattr(_dga, {key}))")


class _Sandbox(BoundedSandbox, SandboxedEnvironment):
    # BoundedSandbox: no constant folding, every size and loop bounded (drafter/sandbox.py).
    code_generator_class = _CodeGenerator

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context is plain dicts: `doc.header` reads a key. Jinja would first try
        # the attribute and fail (an exception per dot, ~60 per document); read the
        # key straight away when no dict attribute of that name could shadow it (a
        # set of names: hasattr(dict, name) raised and caught an exception per dot).
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        elif type(obj) is LoopContext and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)  # `loop.last`: what the sandbox allows, without its checks
        return super().getattr(obj, attribute)


def jinja_env() -> SandboxedEnvironment:
    env = _Sandbox(autoescape=True, keep_trailing_newline=True)
    filters.install(env)  # bang_chu, doc_so, so: for agencies' own templates
    return env


class CompiledTemplate:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        # docxtpl renders the <w:body> element only; keep the document's own start and
        # end tags (with their namespace declarations) to wrap each rendered body.
        self.package = _template_package(self.path)
        raw = self.package.read(MAIN_PART)
        whole = raw.decode("utf-8")
        start, end = whole.index("<w:body"), whole.rindex("</w:body>") + len("</w:body>")
        self._prefix, self._suffix = whole[:start], whole[end:]
        self._prefix_bytes, self._suffix_bytes = self._prefix.encode(), self._suffix.encode()
        body = whole[start:end]
        last = body.rfind("<w:sectPr")
        self.sections = Sections(body[last:body.index("</w:sectPr>", last) + len("</w:sectPr>")])
        env = jinja_env()
        name = template_cache.key(raw)
        entry = template_cache.load(name)
        if entry is None:
            from docxtpl import DocxTemplate  # only when the template is not prepared yet

            tpl = DocxTemplate(str(self.path))
            tpl.init_docx()
            source = _once_for_all(tpl.patch_xml(tpl.get_xml()))
            self._template = self._compile(env, source, name)
            # Judged once: a proven template cannot print broken XML, whatever the data.
            entry = {"source": source, "proven": wellformed.proven(env, source)}
            template_cache.store(name, entry)
        else:
            self._template = self._compile(env, entry["source"], name)
        self.proven: bool = entry["proven"]

    def _compile(self, env: SandboxedEnvironment, source: str, name: str):
        try:
            return _jinja_template(env, source, name)
        except TemplateError as exc:
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} có thẻ viết sai ({words(exc)}); chưa tạo được văn bản nào. "
                "Hãy sửa các thẻ {{ … }} và {% … %} trong mẫu.", Position(display_path(self.path)))) from None

    def render_xml(self, context: dict[str, Any], final_sect_pr: str | None = None) -> str:
        return self._render(context, final_sect_pr)[0]

    def _render(self, context: dict[str, Any], final_sect_pr: str | None) -> tuple[str, bool]:
        """The document part, and whether the proof does not cover it: a value with \\a
        or \\f (which drafter's text cleaning removes) makes docxtpl's listing step close
        and open paragraphs the proof never saw."""
        return self._finish(printed_text(self._chunks(context)), final_sect_pr)

    def _render_bytes(self, context: dict[str, Any], final_sect_pr: str | None) -> tuple[bytes, bool]:
        """:meth:`_render` encoded (UTF-8): the same bytes as ``_render(…)[0].encode()``
        (:meth:`_part_pieces`)."""
        return self._part_bytes(self._chunks(context), final_sect_pr)

    def _part_bytes(self, chunks: list[str], final_sect_pr: str | None) -> tuple[bytes, bool]:
        """:meth:`_part_pieces` joined."""
        data, unproven = self._part_pieces(chunks, final_sect_pr)
        return _joined(data), unproven

    def _part_pieces(self, chunks: list[str], final_sect_pr: str | None) -> tuple[bytes | Pieces, bool]:
        """The part made from the template's printed pieces, each encoded by itself: most
        are ASCII (a copy), and the document is not joined as text once and copied twice
        more (a part of Vietnamese text is stored two bytes a character, and encoded one
        character at a time). UTF-8 of the pieces joined is the pieces' UTF-8 joined, and
        what is looked for after (the line breaks and tabs, the quoted figures'
        bookmarks, the last sectPr) is ASCII: the same bytes as the text's way. A part
        with a line break or a tab, or a final sectPr with no sectPr to take the place
        of, goes the text way. A sealed table (ooxml.SealedXml) holds none of
        what is looked for: its bytes are not looked through (:meth:`_sealed_part_pieces`).
        The part is its pieces (package.writer.Pieces), compressed in turn, never
        joined."""
        parts = _encoded_parts(chunks)
        if len(parts) > 1 or type(parts[0]) is tuple:
            made = self._sealed_part_pieces(chunks, parts, final_sect_pr)
            if made is not None:
                return made
            data = b"".join([p if type(p) is bytes else p[0] for p in parts])
        else:
            data = parts[0]
        if _controls(data):
            return self._text_part_bytes(chunks, final_sect_pr)
        # The part's pieces are slices of one view of ``data``, not copied out (~30k
        # instructions a document, cachegrind).
        view = memoryview(data)
        pieces = figure_bookmark_pieces_bytes(data, view) or [view]
        if final_sect_pr:
            done = len(data) - len(pieces[-1])  # the body's last sectPr ends the part: in its last piece
            i = data.rfind(b"<w:sectPr", done)
            j = data.find(b"</w:sectPr>", i) if i >= 0 else -1
            if j < 0:
                return self._text_part_bytes(chunks, final_sect_pr)
            pieces[-1:] = (view[done:i], final_sect_pr.encode(), view[j + len(b"</w:sectPr>"):])
        return Pieces([self._prefix_bytes, *pieces, self._suffix_bytes]), False

    def _sealed_part_pieces(self, chunks: list[str], parts: list,
                            final_sect_pr: str | None) -> tuple[bytes | Pieces, bool] | None:
        """:meth:`_part_pieces` of ``parts`` (:func:`_encoded_parts`), the runs of bytes
        between sealed tables each looked through by itself (no mark or sectPr is found
        across a sealed table: ooxml.figure_bookmark_pieces_parts); None for the whole
        way when a sealed table ends the part, or when a control or the last sectPr is
        not told apart from the bytes around."""
        last = parts[-1]
        if type(last) is not bytes:
            return None
        for part in parts:
            if type(part) is bytes and _controls(part):
                return self._text_part_bytes(chunks, final_sect_pr)
        pieces = figure_bookmark_pieces_parts(parts)
        if pieces is None:
            return None
        if final_sect_pr:
            done = len(last) - len(pieces[-1])  # the body's last sectPr ends the part: in its last piece
            i = last.rfind(b"<w:sectPr", done)
            j = last.find(b"</w:sectPr>", i) if i >= 0 else -1
            if j < 0:
                return None
            view = memoryview(last)
            pieces[-1:] = (view[done:i], final_sect_pr.encode(), view[j + len(b"</w:sectPr>"):])
        return Pieces([self._prefix_bytes, *pieces, self._suffix_bytes]), False

    def _text_part_bytes(self, chunks: list[str], final_sect_pr: str | None) -> tuple[bytes, bool]:
        xml, unproven = self._finish(printed_text(chunks), final_sect_pr)
        return xml.encode("utf-8"), unproven

    def _chunks(self, context: dict[str, Any]) -> list[str]:
        """The template rendered with ``context``, as the pieces it printed; what the
        template cannot do said in Vietnamese (TemplateRenderError)."""
        try:
            return self._template.render_chunks(context)
        except BudgetError as exc:  # an expression of the template that would cost too much
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} có biểu thức quá tốn ({exc.message or exc}); văn bản không được tạo. "
                "Hãy sửa các thẻ {{ … }} và {% … %} trong mẫu.", Position(display_path(self.path)))) from None
        except filters.FilterError as exc:  # bang_chu/doc_so/so given what is not a number it reads
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} đọc một số không đọc được ({exc}); văn bản không được tạo. "
                "Hãy kiểm tra các thẻ {{ … | bang_chu }}, doc_so, so trong mẫu.", Position(display_path(self.path)))) from None
        except TemplateError as exc:  # an agency's template reading what is not there
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} dùng giá trị không có ({words(exc)}); văn bản không được tạo. "
                "Hãy kiểm tra các thẻ {{ … }} trong mẫu.", Position(display_path(self.path)))) from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError):
            # An expression of the agency's template that cannot be computed (adding a
            # number to a text, a filter given a value it refuses…): Python's words for
            # it are English, so the message says what to look at instead.
            raise TemplateRenderError(Problem(
                f"Mẫu trình bày {self.path.name} có một biểu thức không tính được (phép tính, so sánh hay "
                "bộ lọc dùng trên giá trị không hợp); văn bản không được tạo. Hãy kiểm tra các thẻ "
                "{{ … }} và {% … %} trong mẫu.", Position(display_path(self.path)))) from None

    def _finish(self, xml: str, final_sect_pr: str | None) -> tuple[str, bool]:
        """The rendered body made the whole part (see :meth:`_render`)."""
        # Line breaks and tabs inside values become <w:br/>/<w:tab/> (docxtpl's listing
        # step); skip its whole-document regex pass when no value carries one. (The
        # figure bookmarks below change digits of attributes only: looked for before.)
        unproven = "\a" in xml or "\f" in xml
        if not (unproven or "\n" in xml or "\t" in xml):  # memchr: far faster than a regex
            # The common case: the bookmarks' pieces (ids and occurrences of the quoted
            # figures' bookmarks) and the final sectPr joined once with the document's
            # own start and end: the part is not copied whole once more in between.
            pieces = figure_bookmark_pieces(xml) or [xml]
            if not final_sect_pr:
                return "".join([self._prefix, *pieces, self._suffix]), False
            last = pieces[-1]  # the body's last sectPr ends the part: in its last piece
            i = last.rfind("<w:sectPr")
            j = last.find("</w:sectPr>", i) if i >= 0 else -1
            if j >= 0:
                pieces[-1:] = (last[:i], final_sect_pr, last[j + len("</w:sectPr>"):])
                return "".join([self._prefix, *pieces, self._suffix]), False
        xml = number_figure_bookmarks(xml)
        if unproven or "\n" in xml or "\t" in xml:
            xml = _resolve_listing(xml)
        if final_sect_pr:
            # The body's last sectPr describes the last section (a landscape appendix).
            i = xml.rfind("<w:sectPr")
            j = xml.index("</w:sectPr>", i) + len("</w:sectPr>")
            return "".join((self._prefix, xml[:i], final_sect_pr, xml[j:], self._suffix)), unproven
        return "".join((self._prefix, xml, self._suffix)), unproven

    def render(self, context: dict[str, Any], *, check: bool = True) -> bytes:
        data, unproven = self._part_pieces(self._chunks(context), context.get("final_sect_pr"))
        if check and (unproven or not self.proven):
            # A document Word cannot open is never written: parse before packaging.
            # expat only checks well-formedness (no tree): half the time of lxml here.
            parser = expat.ParserCreate()
            try:
                parser.Parse(_joined(data), True)
            except expat.ExpatError as exc:
                raise TemplateRenderError(Problem(
                    f"Mẫu trình bày {self.path.name} sinh ra XML hỏng (dòng {exc.lineno}, cột {exc.offset + 1} của XML); "
                    "văn bản không được tạo. "
                    "Hãy kiểm tra các thẻ {{ … }} trong mẫu.", Position(display_path(self.path)))) from None
        # zlib level 1: a third of level 6's time for a few hundred more bytes per document.
        parts = {MAIN_PART: data}
        if context.get("dien_tu"):  # render --dien-tu: the template's styles with the signature space
            from .electronic import styles_part

            parts.update(styles_part(self.package))
        return self.package.build(parts, level=1)


class _Utf8(dict):
    """A printed piece's UTF-8 by its text: most pieces recur from document to document
    (the template's own text, the values no row of a batch changes), and a Vietnamese
    text is encoded a character at a time. Equal texts have the same UTF-8 (str.encode
    of the text, whatever its type); only pieces shorter than LARGE_PIECE are kept,
    and at most ~1 M characters of them (then all are dropped)."""

    __slots__ = ("chars",)

    def __init__(self) -> None:
        super().__init__()
        self.chars = 0  # of the texts kept

    def __missing__(self, text: str) -> bytes:
        data = str.encode(text)
        if len(text) < LARGE_PIECE:
            self.chars = chars = self.chars + len(text)
            if chars > 1 << 20:
                self.clear()
                self.chars = len(text)
            self[text] = data
        return data


_PIECE_UTF8 = _Utf8()


def _encoded_parts(chunks: list[str]) -> list:
    """The printed pieces' UTF-8 as runs of bytes, a sealed table's own bytes between
    them as ``(utf8,)``. A large piece (sandbox.Printed.large) is never looked up by its
    text (its hash alone would cost as much as encoding a short one)."""
    large = getattr(chunks, "large", None)  # sandbox.Printed: the indexes of its large pieces
    if large is None:
        large = [i for i, c in enumerate(chunks) if len(c) >= LARGE_PIECE]
    utf8 = _PIECE_UTF8.__getitem__
    if not large:
        return [b"".join(map(utf8, chunks))]
    parts: list = []
    run: list = []
    start = 0
    for at in large:
        chunk = chunks[at]
        run += map(utf8, chunks[start:at])
        if type(chunk) is SealedXml:
            if run:
                parts.append(b"".join(run))
                run = []
            parts.append((chunk.utf8,))
        else:
            run.append(chunk.encode())
        start = at + 1
    run += map(utf8, chunks[start:])
    if run or not parts:
        parts.append(b"".join(run))
    return parts


def _joined(data: bytes | Pieces) -> bytes:
    return data.joined() if type(data) is Pieces else data


def _controls(data: bytes) -> bool:
    """Whether ``data`` holds a line break, a tab, \\a or \\f (what the text way's
    listing step changes). ``find``, not ``in``: bytes' ``in`` first tries its operand
    as an int, and makes and drops a TypeError each time (~2,500 instructions)."""
    return data.find(b"\n") >= 0 or data.find(b"\t") >= 0 or data.find(b"\a") >= 0 or data.find(b"\f") >= 0


def _template_package(path: Path) -> PackageTemplate:
    """The template's package, read under the limits of a hostile .docx; a template
    whose XML parts carry a DOCTYPE or an entity declaration (or are not XML) is
    refused by name, like a hostile .docx, before anything of it is prepared or
    copied into a document."""
    shown = display_path(path)
    try:
        package = PackageTemplate.from_file(shown)
        for part in package.names():
            if is_xml_part(part):
                parse_xml(package.read(part), name=part, path=shown)
    except PackageError as exc:
        raise TemplateRenderError(Problem(
            f"Mẫu trình bày không dùng được: {exc.message} Chưa tạo văn bản nào.", Position(shown))) from None
    return package


def _jinja_template(env: SandboxedEnvironment, source: str, name: str):
    """``source`` compiled; through a loader when there is a cache folder, so Jinja keeps
    the compiled code in its bytecode cache."""
    bcc = template_cache.bytecode_cache()
    if bcc is not None:
        env.bytecode_cache = bcc
        env.loader = FunctionLoader(lambda n: (source, None, lambda: True) if n == name else None)
        try:
            return env.get_template(name)
        except TemplateError:
            raise
        except Exception:  # a damaged cache file: compile without it
            env.bytecode_cache = None
    return env.from_string(source)


def _resolve_listing(xml: str) -> str:
    from docxtpl import DocxTemplate  # loaded only when a value holds a line break or tab

    return DocxTemplate.resolve_listing(None, xml)  # uses nothing of the instance


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
