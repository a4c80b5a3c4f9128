"""`drafter appendix DRAFT.yaml DOC.docx [-o OUT.docx]`: rebuild the appendix tables of
a document drafter produced and a person then edited in Word.

The draft is rendered afresh in memory; from that render come the contents of the
content controls tagged ``drafter:phu-luc:N`` (or, in a document LibreOffice saved,
which drops the tags, of the bookmarks ``_drafter_pl_N`` / ``_drafter_sl_…``) (everything derived: label, title,
"(Kèm theo …)" and "Đơn vị tính" lines, table, "Bằng chữ" lines) and the values of
the figures quoted in the body (controls tagged ``drafter:so-lieu:REF``, recomputed
from REF). They are spliced into the edited document's main part
(drafter.render.regenerate); every other part is copied byte for byte, the styles
part changes only when a style the new content needs is missing from it.

The edited .docx is read through the bounded package reader (it may be hostile), and
the output is written atomically: in place (when -o is absent) the original is
replaced in one step or left exactly as it was, and only by a package that reads back
whole; a symbolic link stays in place and the document it points to is updated. A file that is read-only, that Word or
LibreOffice holds open (their lock file is beside it: the replace rule of every output,
drafter.package.replace_policy), or that changed while drafter worked, is refused
before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import figures as figure_refs
from .errors import DrafterError, Position, Problem, display_path
from .oxml import FIGURE_BOOKMARK, FIGURE_TAG, internal_rels, is_rel_type, rels_part_name
from .output_problems import check_outputs, write_problem
from .package import (
    Limits,
    PackageError,
    PackageTemplate,
    atomic_write_bytes,
    open_package,
    parse_xml,
)
from .package.atomic import ensure_folder, verify_docx
from .render import regenerate as splice_xml


# The documented reference forms (docs/tables.md §3), and nothing else: a reference read
# from a document someone else saved must not be able to run arbitrary expressions.
_INDEX = r"""\[\s*(?:\d{1,4}|"[^"\\{}%]{0,100}"|'[^'\\{}%]{0,100}')\s*\]"""
_REF = re.compile(
    rf"phu_luc\s*\[\s*\d{{1,3}}\s*\](?:\s*\.\s*[A-Za-z_]\w{{0,63}}|\s*{_INDEX})*(?:\s*\|\s*[A-Za-z_]\w{{0,30}})*"
)


@dataclass
class AppendixResult:
    output: Path
    appendices: int
    figures: int
    styles_copied: list[str] = field(default_factory=list)
    turned: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _fail(message: str, where: str | Path, hint: str | None = None) -> DrafterError:
    return DrafterError(Problem(message, Position(display_path(where)), hint=hint))


def figure_value(ref: str, figures: list) -> str:
    """The printed value of a quoted-figure reference (`phu_luc[0].tong.kinh_phi`).
    ValueError (Vietnamese) when the reference is malformed or names nothing."""
    if len(ref) > 300 or not _REF.fullmatch(ref):
        raise ValueError("tham chiếu không đúng dạng phu_luc[…]… (xem docs/tables.md, mục 3).")
    try:
        marked = figure_refs.fill("{{ " + ref + " }}", figures)
    except figure_refs.FigureError as exc:
        raise ValueError(str(exc)) from None
    m = figure_refs.MARK.fullmatch(marked)
    if m is None:  # pragma: no cover - fill always marks a reference it accepted
        raise ValueError("không đọc được giá trị.")
    return m.group(2)


# --------------------------------------------------------------------------- target checks


def _fingerprint(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


# --------------------------------------------------------------------------- reading


def _styles_part(package, main: str) -> str | None:
    """The styles part named by the main part's relationships, if any."""
    rels = rels_part_name(main)
    if not package.has(rels):
        return None
    for rel in internal_rels(package.read_xml(rels), main):
        if is_rel_type(rel.type, "styles") and package.has(rel.part):
            return rel.part
    return None


@dataclass
class _Doc:
    main: str
    main_bytes: bytes
    root: object
    styles: str | None
    styles_bytes: bytes | None
    template: PackageTemplate | None


def _read(source, limits: Limits, name: str, *, keep: bool) -> _Doc:
    with open_package(source, limits, name=name) as package:
        main = package.main_document_name()
        data = package.read(main)
        root = parse_xml(data, name=main, path=name, limits=limits)
        styles = _styles_part(package, main)
        styles_bytes = package.read(styles) if styles else None
        template = PackageTemplate.from_package(package) if keep else None
    return _Doc(main, data, root, styles, styles_bytes, template)


def _limits() -> Limits:
    try:
        return Limits.from_env()
    except ValueError as exc:
        raise DrafterError(Problem(str(exc))) from None


# --------------------------------------------------------------------------- the API


def regenerate(
    draft_path: str | Path,
    doc_path: str | Path,
    out_path: str | Path | None = None,
    *,
    force: bool = False,
) -> AppendixResult:
    """Rebuild the appendices of `doc_path` from `draft_path`; write `out_path`, or
    replace `doc_path` atomically when it is None. DrafterError on any problem, with
    nothing written."""
    from . import api

    doc = Path(doc_path)
    out = Path(out_path) if out_path is not None else doc
    in_place = out_path is None or (out.exists() and doc.exists() and out.resolve() == doc.resolve())
    if out.suffix.lower() != ".docx":
        raise _fail("Tệp kết quả phải có đuôi .docx.", out)
    # The replace rule of every output: in place is what the command is for (no --force
    # needed), another existing file only with --force; neither while open in Word or
    # LibreOffice, nor read-only. Through a link, the file it points to is checked too.
    check_outputs([out], force=in_place or force, follow_link=True)

    limits = _limits()
    shown = display_path(doc)
    try:
        before = _fingerprint(doc) if doc.is_file() else None
        edited = _read(doc, limits, shown, keep=True)
    except PackageError as exc:
        raise _fail(f"{exc} Tệp được giữ nguyên.", doc) from None

    prepared = api.prepare(draft_path)
    fresh_bytes = api.render_bytes(prepared, Path(draft_path).resolve().parent)
    fresh = _read(fresh_bytes, limits, "bản vừa tạo", keep=False)

    figs = [a.table.figures if a.table else None for a in prepared.document.appendices]
    try:
        spliced = splice_xml.splice(edited.root, fresh.root, lambda ref: figure_value(ref, figs), doc_name=shown)
    except splice_xml.SpliceError as exc:
        raise DrafterError([Problem(p, Position(shown)) for p in exc.problems]) from None

    replacements = {edited.main: splice_xml.serialise(edited.root, edited.main_bytes)}
    copied: list[str] = []
    warnings = list(prepared.warnings)
    for ref in spliced.missing_figures:
        warnings.append(Problem(
            f"Số liệu trích “{ref}” của bản thảo không còn trong tệp (mất cả thẻ {FIGURE_TAG}… lẫn dấu trang "
            f"{FIGURE_BOOKMARK}…: câu chứa nó đã bị xóa, hoặc tệp được lưu bằng một chương trình bỏ cả hai dấu); "
            "số đó không được cập nhật. Nếu câu vẫn còn, hãy sửa số trong câu bằng tay.",
            Position(shown), severity="warning"))
    for name in spliced.unknown_figures:
        warnings.append(Problem(
            f"Dấu trang {name} đánh dấu một số liệu trích mà bản thảo không còn trích nữa; số đó không được cập nhật.",
            Position(shown), severity="warning"))
    needed = splice_xml.used_styles(splice_xml.appendix_elements(edited.root))
    if edited.styles and fresh.styles:
        try:
            styles_root = parse_xml(edited.styles_bytes, name=edited.styles, path=shown, limits=limits)
        except PackageError as exc:
            raise _fail(f"{exc} Tệp được giữ nguyên.", doc) from None
        fresh_styles = parse_xml(fresh.styles_bytes, name=fresh.styles, limits=limits)
        if splice_xml.rename_to_edited_styles(styles_root, fresh_styles, splice_xml.appendix_elements(edited.root)):
            # the main part changed again: references now name the edited styles
            replacements[edited.main] = splice_xml.serialise(edited.root, edited.main_bytes)
            needed = splice_xml.used_styles(splice_xml.appendix_elements(edited.root))
        copied = splice_xml.copy_missing_styles(styles_root, fresh_styles, needed)
        if copied:
            replacements[edited.styles] = splice_xml.serialise(styles_root, edited.styles_bytes)
    elif needed:
        warnings.append(Problem(
            "Văn bản không có phần kiểu trình bày (styles); bảng phụ lục sẽ hiện theo kiểu mặc định của Word.",
            Position(shown), severity="warning"))
    try:
        data = edited.template.build(replacements)
    except PackageError as exc:
        raise _fail(str(exc), out) from None

    if in_place and before is not None and doc.is_file() and _fingerprint(doc) != before:
        raise _fail("Tệp vừa bị thay đổi (có lẽ được lưu từ Word) trong khi drafter làm việc; "
                    "drafter không ghi đè. Tệp được giữ nguyên.", doc, hint="Chạy lại lệnh.")
    try:
        ensure_folder(out.parent)
        # A link stays a link: the document it points to is replaced (after the new
        # package reads back whole).
        atomic_write_bytes(out, data, force=in_place or force, follow_link=True, verify=verify_docx)
    except OSError as exc:  # refused by the replace rule, or the system could not write it
        raise DrafterError(write_problem(exc, out, kept="Tệp gốc được giữ nguyên." if in_place else None)) from None
    return AppendixResult(out, spliced.appendices, spliced.figures, copied, spliced.turned, warnings)

