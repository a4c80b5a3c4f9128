"""The user-facing API: draft files in, documents out. The CLI is a thin shell on it.

read inputs → merge presets → validate → derive → render → write, one way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import derive, model, resources, validation
from .errors import DrafterError, Position, Problem, display_path
from .inputs import appendix_sheets, presets, yamlfile
from .inputs.yamlfile import Loaded
from .package.atomic import atomic_write_bytes, ensure_folder, verify_docx
from .render import context as render_context
from .render import engine


@dataclass
class Prepared:
    """A draft read, merged and validated, with the document it derives and the
    warnings found on the way (placed, in order)."""

    loaded: Loaded
    draft: model.Draft
    document: derive.Document
    warnings: list[Problem] = field(default_factory=list)


def template_search_path(draft_dir: Path | None) -> list[Path]:
    dirs = []
    if draft_dir is not None:
        dirs.append(Path(draft_dir) / "templates")
    dirs.append(presets.user_folder().parent / "templates")
    dirs.append(resources.templates_dir())
    return dirs


def find_template(layout_name: str, draft_dir: Path | None) -> Path:
    name = f"{layout_name}.docx"
    for d in template_search_path(draft_dir):
        if (d / name).is_file():
            return d / name
    raise DrafterError(Problem(f"Không tìm thấy mẫu trình bày '{name}'.", Position(name)))


def load(path: str | Path) -> Loaded:
    """Read a draft, merge the presets it names (draft wins) and read the sheets its
    appendices name: every file the document needs, read once."""
    folder = Path(path).resolve().parent
    return appendix_sheets.read(presets.resolve(yamlfile.load(path), folder), folder)


def prepare_loaded(loaded: Loaded, *, today: dt.date | None = None, electronic: bool = False) -> Prepared:
    """Validate (every problem at once, or DrafterError) and derive the document
    (``electronic``: laid out for digital signing, render --dien-tu)."""
    valid = validation.validate(loaded, today=today)
    return Prepared(loaded, valid.draft, derive.document(valid, today=today, electronic=electronic),
                    list(valid.warnings))


def prepare(path: str | Path, *, today: dt.date | None = None, electronic: bool = False) -> Prepared:
    return prepare_loaded(load(path), today=today, electronic=electronic)


def render_bytes(prepared: Prepared, draft_dir: Path | None = None) -> bytes:
    template = engine.compiled(find_template(prepared.document.doc_type.layout, draft_dir))
    return template.render(render_context.build(prepared.document, template.sections))


def default_output(draft_path: str | Path) -> Path:
    return Path(draft_path).with_suffix(".docx")


@dataclass
class RenderResult:
    output: Path
    warnings: list[Problem]


def render_file(
    draft_path: str | Path, output: str | Path | None = None, *, force: bool = False,
    also: tuple[Path, ...] = (), electronic: bool = False,
) -> RenderResult:
    """Render a draft to ``output`` (default: beside it). ``also``: other files the
    command will write after it (the PDF of ``--pdf``), checked by the same replace
    rule before anything is written."""
    out = Path(output) if output else default_output(draft_path)
    if out.suffix.lower() != ".docx":
        raise DrafterError(Problem("Tệp kết quả phải có đuôi .docx.", Position(display_path(out))))
    from .output_problems import check_outputs

    check_outputs([out, *also], force=force)  # the replace rule, before anything is read or written
    prepared = prepare(draft_path, electronic=electronic)
    data = render_bytes(prepared, Path(draft_path).resolve().parent)
    write_output(out, data, force=force)
    return RenderResult(out, prepared.warnings)


def write_output(out: Path, data: bytes, *, force: bool) -> None:
    from .rules.filenames import path_problem

    problem = path_problem(out)
    if problem is not None:
        raise DrafterError(problem)
    from .output_problems import write_problem

    try:
        ensure_folder(out.parent)
        # The document must read back whole before it takes the place of an old one.
        atomic_write_bytes(out, data, force=force, verify=verify_docx)
    except OSError as exc:  # refused by the replace rule, or the system could not write it
        raise DrafterError(write_problem(exc, out)) from None
