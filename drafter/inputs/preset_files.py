"""Preset files as office staff meet them: listed with the files they hide, found by
name, shown merged with the presets of their `dung`, copied into ./presets/ to edit.
`drafter presets` (drafter.cli.presets) prints what these return.

Only the standard library is imported at module level, so the command's group and
its help stay fast; the work imports what it needs inside each function.
"""

from __future__ import annotations

from pathlib import Path


def description(path: Path) -> str:
    """The first comment line of a preset file, without its '#'; '' when none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            return s.lstrip("#").strip()
    return ""


def _sources(draft_dir: Path | None):
    """The search path without a folder searched twice (e.g. run from the source tree,
    where ./presets is the built-in folder): a folder keeps its last, widest label."""
    from . import presets

    srcs = presets.search_path(draft_dir)
    out = []
    for i, s in enumerate(srcs):
        later = {_real(t.folder) for t in srcs[i + 1:]}
        if _real(s.folder) not in later:
            out.append(s)
    return out


def _real(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p


def catalogue(draft_dir: Path | None) -> list[dict]:
    """Every preset name visible from `draft_dir`, in search order: the file used and
    the files of the same name that it hides (shadows)."""
    from ..errors import display_path
    from . import presets

    found: dict[str, list[tuple[str, Path]]] = {}
    for src in _sources(draft_dir):
        if not src.folder.is_dir():
            continue
        for p in sorted(src.folder.iterdir()):
            if p.is_file() and p.suffix in presets.SUFFIXES:
                found.setdefault(p.stem, []).append((src.label, p))
    rows = []
    for name, hits in found.items():
        (label, path), hidden = hits[0], hits[1:]
        rows.append({
            "name": name,
            "source": label,
            "path": display_path(path),
            "description": description(path),
            "shadows": [{"source": lb, "path": display_path(p)} for lb, p in hidden],
        })
    return rows


def user_folder_info() -> dict:
    """The user's own preset folder (searched after ./presets/, before the built-in
    ones): its path, whether it exists, and the presets in it."""
    from ..errors import display_path
    from . import presets

    folder = presets.user_folder()
    exists = folder.is_dir()
    names = sorted(p.stem for p in folder.iterdir()
                   if p.is_file() and p.suffix in presets.SUFFIXES) if exists else []
    return {"path": display_path(folder), "exists": exists, "presets": names}


def locate(name: str, draft_dir: Path | None) -> Path:
    """The file of preset `name` (or `name` itself when it is a path to a file)."""
    from difflib import get_close_matches

    from ..errors import DrafterError, Problem
    from . import presets

    as_path = Path(name)
    if as_path.suffix in presets.SUFFIXES and as_path.is_file():
        return as_path
    path = presets.find(name, draft_dir)
    if path is not None:
        return path
    names = [r["name"] for r in catalogue(draft_dir)]
    near = get_close_matches(name, names, n=3, cutoff=0.5)
    raise DrafterError(Problem(
        f"Không tìm thấy mẫu '{name}'.", key="TÊN",
        hint=(f"Có phải ý bạn là: {', '.join(near)}?" if near else "Xem các mẫu bằng lệnh: drafter presets"),
    ))


def merged(path: Path, draft_dir: Path | None):
    """The preset at `path` with the presets of its own `dung` merged underneath."""
    from ..errors import DrafterError
    from . import presets, yamlfile

    resolved = presets.resolve(yamlfile.load(path), draft_dir, (str(path.resolve()),))
    missing = [p for p in resolved.problems if (p.key or "").startswith("dung")]
    if missing:
        raise DrafterError(missing)
    return resolved


def _yaml_value(value):
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        return {k: _yaml_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_value(v) for v in value]
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    return value


def show_text(path: Path, draft_dir: Path | None) -> str:
    """YAML of the merged preset, each top-level key under a comment naming its file(s)."""
    import io

    from ruamel.yaml import YAML

    from ..errors import display_path

    loaded = merged(path, draft_dir)
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    out = [f"# Mẫu {path.stem} ({display_path(path)}), sau khi gộp các mẫu trong 'dung'."]
    names = loaded.data.get("dung")
    if names:
        names = [names] if isinstance(names, str) else names
        out.append(f"# Đã gộp: {', '.join(map(str, names))} (mẫu sau thắng mẫu trước, tệp này thắng tất cả).")
    for key, value in loaded.data.items():
        if key == "dung":
            continue
        files: list[str] = []
        first = loaded.origins.get((key,))
        if first is not None and first.file:
            files.append(first.file)
        for kp, pos in loaded.origins.items():
            if kp[:1] == (key,) and pos.file and pos.file not in files:
                files.append(pos.file)
        buf = io.StringIO()
        y.dump({key: _yaml_value(value)}, buf)
        out.append("")
        out.append(f"# {key}: từ {', '.join(files) or '?'}")
        out.append(buf.getvalue().rstrip("\n"))
    return "\n".join(out) + "\n"


def copy_preset(name: str, new_name: str | None, folder: Path, *, force: bool = False,
                to_user: bool = False):
    """Copy preset `name` (the first one found that is not the target itself: normally
    the built-in) to `folder/presets/NEW_NAME.yaml` — or, `to_user`, into the user's
    own preset folder, found from every draft — byte for byte, comments and all.
    Returns (source label, source path, target path)."""
    import re

    from ..errors import DrafterError, Position, Problem, display_path
    from ..package.atomic import atomic_write_bytes
    from . import presets

    new = (new_name or name).removesuffix(".yaml").removesuffix(".yml")
    if not re.match(r"^[\w][\w.-]*$", new) or ".." in new:
        raise DrafterError(Problem(
            f"Tên mẫu mới '{new}' không hợp lệ.", key="TÊN_MỚI",
            hint="Chỉ dùng chữ, số, '-' và '_', ví dụ: ubnd-xa-tien-dien.",
        ))
    target = (presets.user_folder() if to_user else folder / "presets") / f"{new}.yaml"
    source = None
    for src in _sources(folder):
        for suffix in presets.SUFFIXES:
            p = src.folder / f"{name}{suffix}"
            if p.is_file() and _real(p) != _real(target):
                source = (src.label, p)
                break
        if source:
            break
    if source is None:
        locate(name, folder)  # raises with the near names
        raise DrafterError(Problem(f"Không có mẫu '{name}' nào khác tệp đích để sao chép.", key="TÊN"))
    others = [target.with_suffix(s) for s in presets.SUFFIXES]
    existing = [p for p in others if p.exists()]
    if existing and not force:
        raise DrafterError(Problem(
            "Tệp mẫu đã có; drafter không ghi đè.", Position(display_path(existing[0])),
            hint="Thêm --force để ghi đè, hoặc đặt tên khác: drafter presets copy "
                 f"{name} <tên-mới>{' --user' if to_user else ''}.",
        ))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, source[1].read_bytes(), force=force)
    except OSError as exc:  # refused by the replace rule, or by the file system: the one wording
        from ..output_problems import write_problem

        raise DrafterError(write_problem(exc, target)) from None
    return source[0], source[1], target
