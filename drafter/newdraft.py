"""`drafter new`: write a commented draft from a preset, then render it at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import api, scaffold
from .errors import DrafterError, Problem, display_path
from .inputs import presets
from .rules import doctypes
from .package.atomic import atomic_write_bytes


@dataclass
class Created:
    draft: Path
    output: Path
    warnings: list


CANCELLED = "Đã hủy, không tạo tệp nào."  # Ctrl-C or Ctrl-D at a prompt (said by the CLI)


def ask(slug: str, prompt: Callable[..., str]) -> dict:
    """Ask on a terminal (Enter keeps the placeholder): trích yếu, Kính gửi where the
    type has it, and the time, place and participants of a giấy mời or biên bản.
    Nothing is written while asking: a prompt cancelled leaves no file."""
    t = doctypes.get(slug)
    answers: dict = {}

    def one(label: str) -> str:
        return prompt(label, default="", show_default=False).strip()

    def several(label: str, which: str = "thứ") -> list[str]:
        items: list[str] = []
        while True:
            item = one(f"{label} ({which} {len(items) + 1}; Enter để kết thúc)")
            if not item:
                return items
            items.append(item)

    trich = one("Trích yếu (nội dung chính)")
    if trich:
        answers["trich_yeu"] = trich
    if t.kinh_gui:
        items = several("Kính gửi", "nơi thứ")
        if items:
            answers["kinh_gui"] = items
    if slug in scaffold.MEETING:
        meeting = {}
        for key, label in (("thoi_gian", "Thời gian (ví dụ: 08 giờ 00 phút, ngày 05 tháng 01 năm 2026)"),
                           ("dia_diem", "Địa điểm")):
            value = one(label)
            if value:
                meeting[key] = value
        people = several("Thành phần")
        if people:
            meeting["thanh_phan"] = people
        if meeting:
            answers["meeting"] = meeting
    return answers


def create(
    slug: str,
    *,
    preset: str | None = None,
    name: str | None = None,
    force: bool = False,
    trich_yeu: str | None = None,
    kinh_gui: list[str] | None = None,
    meeting: dict | None = None,
    folder: Path | None = None,
) -> Created:
    try:
        doctypes.get(slug)
    except doctypes.UnknownTypeError as exc:
        raise DrafterError(Problem(str(exc), key="LOẠI")) from None
    folder = folder or Path.cwd()
    preset = preset or scaffold.DEMO_PRESET
    if presets.find(preset, folder) is None:
        names = [n for n, _, _ in presets.available(folder)]
        raise DrafterError(
            Problem(f"Không tìm thấy mẫu dùng chung '{preset}'.", key="--preset",
                    hint="Các mẫu có: " + ", ".join(names))
        )
    stem = name or slug
    if Path(stem).name != stem or stem in ("", ".", ".."):
        raise DrafterError(Problem(f"Tên '{stem}' không được chứa thư mục hay ký tự '/'.", key="-o"))
    from .rules.filenames import path_problem

    problem = path_problem(f"{stem.removesuffix('.yaml')}.yaml")
    if problem is not None:
        raise DrafterError(problem)
    draft_path = folder / f"{stem.removesuffix('.yaml')}.yaml"
    out = draft_path.with_suffix(".docx")
    from .output_problems import check_outputs

    check_outputs((draft_path, out), force=force)  # both, before either is written
    from .inputs import yamlfile

    chosen = presets.resolve(yamlfile.parse_text(f"dung: [{preset}]\n", "preset"), folder)
    if chosen.problems:
        raise DrafterError(chosen.problems)
    given = chosen.data
    text = scaffold.draft_text(slug, preset=preset, trich_yeu=trich_yeu, kinh_gui=kinh_gui,
                               preset_keys=set(given), preset_data=given, meeting=meeting)
    # Render from the text before writing anything, so a failure leaves no file behind.
    loaded = presets.resolve(yamlfile.parse_text(text, display_path(draft_path)), folder)
    prepared = api.prepare_loaded(loaded)
    data = api.render_bytes(prepared, folder)
    atomic_write_bytes(draft_path, text.encode("utf-8"), force=force)
    api.write_output(out, data, force=force)
    return Created(draft_path, out, prepared.warnings)
