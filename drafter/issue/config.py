"""An office's register settings: the ``so_dang_ky`` key of its preset (or draft).

.. code-block:: yaml

    so_dang_ky:
      thu_muc: D:/VanThu/SoDangKy     # the register's folder (or its .sqlite3 file)
      theo_loai: [quyet-dinh]         # types kept in a series of their own (or true: every type)
      hoi_dong: [HĐTĐKT]              # councils/boards issuing under their own name

The register file is, first to last: the command's ``--so-dang-ky``, ``thu_muc`` here
(relative to the file that names it), ``DRAFTER_SO_DANG_KY``, the user's data folder.

>>> c = settings_from({"so_dang_ky": {"theo_loai": ["quyet-dinh"], "hoi_dong": ["BCĐ"]}}, Path("/x/p.yaml"))
>>> c.rules.hoi_dong, c.register is None, c.problems
(('BCĐ',), True, [])
>>> c = settings_from({"so_dang_ky": {"thu_muc": "so", "theo_loai": ["quyet-dinhh"]}}, Path("/x/p.yaml"))
>>> str(c.register), [p.message for p in c.problems]
('/x/so/so-dang-ky.sqlite3', ["Loại văn bản 'quyet-dinhh' trong so_dang_ky.theo_loai không có trong danh mục."])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.issue.series import SeriesRules

KEY = "so_dang_ky"
KNOWN = ("thu_muc", "theo_loai", "hoi_dong")


@dataclass
class Settings:
    rules: SeriesRules = field(default_factory=SeriesRules)
    register: Path | None = None
    source: str | None = None  # the preset or draft read
    problems: list[Problem] = field(default_factory=list)


def settings_from(data: Any, file: Path | None, loaded=None) -> Settings:
    """Settings from a merged draft or preset mapping (its ``so_dang_ky``), with the
    problems of that key (file, line and key of each)."""
    label = display_path(file) if file is not None else None
    out = Settings(source=label)
    raw = data.get(KEY) if isinstance(data, dict) else None
    if raw is None:
        return out

    def where(*path) -> Position:
        if loaded is not None:
            return loaded.position((KEY, *path))
        return Position(label)

    if not isinstance(raw, dict):
        out.problems.append(Problem("so_dang_ky phải là một nhóm khóa (thu_muc, theo_loai, hoi_dong).",
                                    where(), key=KEY))
        return out
    for k in raw:
        if k not in KNOWN:
            from difflib import get_close_matches

            near = get_close_matches(str(k), KNOWN, n=1)
            out.problems.append(Problem(f"Khóa '{KEY}.{k}' không có.", where(k), key=f"{KEY}.{k}",
                                        hint=f"Có phải ý bạn là: {near[0]}?" if near else
                                        f"Các khóa của {KEY}: {', '.join(KNOWN)}."))
    folder = raw.get("thu_muc")
    if folder is not None:
        if not isinstance(folder, str) or not folder.strip():
            out.problems.append(Problem("so_dang_ky.thu_muc phải là đường dẫn thư mục (hoặc tệp .sqlite3) của sổ.",
                                        where("thu_muc"), key=f"{KEY}.thu_muc"))
        else:
            p = Path(folder.strip()).expanduser()
            declared = where("thu_muc").file if loaded is not None else None
            base = Path(declared).resolve().parent if declared else (file.parent if file is not None else None)
            if not p.is_absolute() and base is not None:
                p = base / p  # relative to the preset (or draft) that names it
            # A folder (made on the first number) unless it names the register's file.
            out.register = p if p.suffix.lower() in (".sqlite3", ".sqlite", ".db") else p / "so-dang-ky.sqlite3"
    theo = raw.get("theo_loai", False)
    if not isinstance(theo, (bool, str, list)) or (isinstance(theo, list) and not all(isinstance(x, str) for x in theo)):
        out.problems.append(Problem("so_dang_ky.theo_loai là true (mỗi loại một sổ) hoặc danh sách loại "
                                    "văn bản, ví dụ [quyet-dinh].", where("theo_loai"), key=f"{KEY}.theo_loai"))
        theo = False
    if isinstance(theo, (str, list)):
        from drafter.rules import doctypes

        slugs = [theo] if isinstance(theo, str) else theo
        known = {t.slug for t in doctypes.TYPES}
        for i, slug in enumerate(slugs):
            if slug.strip() not in known:
                out.problems.append(Problem(f"Loại văn bản '{slug}' trong so_dang_ky.theo_loai không có trong danh mục.",
                                            where("theo_loai", i), key=f"{KEY}.theo_loai[{i}]",
                                            hint="Xem danh sách bằng lệnh: drafter types"))
    councils = raw.get("hoi_dong")
    if councils is not None and not (isinstance(councils, (str, list))
                                     and all(isinstance(x, (str, dict)) for x in
                                             ([councils] if isinstance(councils, str) else councils))):
        out.problems.append(Problem("so_dang_ky.hoi_dong là danh sách chữ viết tắt của hội đồng, ban, ví dụ "
                                    "[HĐTĐKT, BCĐ].", where("hoi_dong"), key=f"{KEY}.hoi_dong"))
        councils = None
    out.rules = SeriesRules.from_mapping({"theo_loai": theo, "hoi_dong": councils})
    return out


def load_settings(name: str | None, cwd: Path | None = None) -> Settings:
    """The settings of the preset (or draft) ``name`` — a preset's name found as a
    draft's ``dung`` finds it, or a path to a .yaml — with its own ``dung`` merged;
    empty settings for ``None``. DrafterError for a file that cannot be read or whose
    ``so_dang_ky`` is wrong (every problem at once)."""
    if not name:
        return Settings()
    from drafter.inputs import preset_files

    cwd = cwd or Path.cwd()
    path = preset_files.locate(name, cwd)
    loaded = preset_files.merged(path, path.parent if path.parent.name != "presets" else path.parent.parent)
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors:
        raise DrafterError(errors)
    settings = settings_from(loaded.data, path, loaded)
    if settings.problems:
        raise DrafterError(settings.problems)
    return settings
