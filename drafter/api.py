"""The user-facing API: draft files in, documents out. The CLI is a thin shell on it.

read inputs → merge presets → validate → derive → render → write, one way.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import derive, model, resources
from .errors import DrafterError, Position, Problem, WARNING, display_path
from .inputs import presets, yamlfile
from .inputs.yamlfile import Loaded
from .package.atomic import atomic_write_bytes
from .render import context as render_context
from .render import engine
from .rules import reform2025, signature


@dataclass
class Prepared:
    """A draft read, merged and validated, with the document it derives."""

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
    """Read a draft and merge the presets it names (draft wins)."""
    loaded = yamlfile.load(path)
    return presets.resolve(loaded, Path(path).resolve().parent)


def prepare_loaded(loaded: Loaded, *, today: dt.date | None = None, base_dir: Path | None = None) -> Prepared:
    draft = model.validate(loaded)
    try:
        doc = derive.document(draft, today=today, base_dir=base_dir)
    except derive.AppendixError as exc:
        raise DrafterError([_table_problem(loaded, exc.index, p) for p in exc.error.problems]) from None
    except derive.QuoteError as exc:
        raise DrafterError(Problem(str(exc), loaded.position(exc.path), key=yamlfile.key_name(exc.path))) from None
    except signature.SignatureError as exc:
        path = tuple(exc.key.split("."))
        raise DrafterError(Problem(str(exc), loaded.position(path), key=exc.key)) from None
    except ValueError as exc:
        key = "so_ky_hieu" if draft.so_ky_hieu else None
        pos = loaded.position((key,)) if key else loaded.position(())
        raise DrafterError(Problem(str(exc), pos, key=key)) from None
    warnings = list(loaded.warnings)
    warnings += [
        Problem(w, loaded.position(("ky", "chuc_vu")), key="ky.chuc_vu", severity=WARNING)
        for w in doc.warnings
    ]
    warnings += _district_warnings(loaded, draft, doc, today)
    return Prepared(loaded, draft, doc, warnings)


def _district_warnings(loaded: Loaded, draft: model.Draft, doc: derive.Document, today: dt.date | None) -> list[Problem]:
    """FORMAT.md "Since 2025": a district-level issuer on a two-tier-era draft."""
    year = (today or dt.date.today()).year
    texts = reform2025.district_warnings(
        issuer_lines=list(doc.header.co_quan), parent=doc.header.chu_quan, date=draft.ngay, year=year
    )
    return [Problem(t, loaded.position(("co_quan",)), key="co_quan", severity=WARNING) for t in texts]


def _table_problem(loaded: Loaded, index: int, p) -> Problem:
    """A table problem at its place: a line of the draft, or a row of the sheet."""
    where = f"Phụ lục {index + 1}"
    detail = p.message
    if p.row:
        detail = f"dòng {p.row}: {detail}"
    if p.expected is not None and p.found is not None:
        from .rules.numbers import format_number

        detail += f" (đúng là {format_number(p.expected)}, bảng ghi {format_number(p.found)})"
    if p.file:
        return Problem(f"{where}: {detail}", Position(p.file, p.line), key=p.column or p.key)
    path = ("phu_luc", index, "bang", *p.path)
    return Problem(f"{where}: {detail}", loaded.position(path), key=yamlfile.key_name(path))


def prepare(path: str | Path, *, today: dt.date | None = None) -> Prepared:
    return prepare_loaded(load(path), today=today, base_dir=Path(path).resolve().parent)


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
    draft_path: str | Path, output: str | Path | None = None, *, force: bool = False
) -> RenderResult:
    out = Path(output) if output else default_output(draft_path)
    if out.suffix.lower() != ".docx":
        raise DrafterError(Problem("Tệp kết quả phải có đuôi .docx.", Position(display_path(out))))
    if out.exists() and not force:
        raise DrafterError(
            Problem(
                "Tệp kết quả đã có; drafter không ghi đè.",
                Position(display_path(out)),
                hint="Thêm --force để ghi đè, hoặc chọn tên khác bằng -o.",
            )
        )
    prepared = prepare(draft_path)
    data = render_bytes(prepared, Path(draft_path).resolve().parent)
    write_output(out, data, force=force)
    return RenderResult(out, prepared.warnings)


def write_output(out: Path, data: bytes, *, force: bool) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out, data, force=force)
    except FileExistsError:
        raise DrafterError(
            Problem("Tệp kết quả đã có; drafter không ghi đè.", Position(display_path(out)),
                    hint="Thêm --force để ghi đè.")
        ) from None
    except OSError as exc:
        raise DrafterError(
            Problem(f"Không ghi được tệp: {exc.strerror or exc}.", Position(display_path(out)))
        ) from None


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false", "no")
