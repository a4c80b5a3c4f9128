"""`drafter presets`: the presets office staff see, read, check and copy to edit.

    drafter presets                   list every preset visible from this folder
    drafter presets show TÊN          the preset after its own `dung`, as YAML
    drafter presets check [ĐƯỜNG_DẪN…] check files, folders, or every visible preset
    drafter presets copy TÊN [TÊN_MỚI] copy a preset into ./presets/ to edit it

Only click is imported at module level: the work is imported inside the commands, so
`drafter --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from .cli import CONTEXT, handle_errors

# ---------------------------------------------------------------------------
# The work, as plain functions (no click): tested directly and used by the commands.


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
    from .inputs import presets

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
    from .errors import display_path
    from .inputs import presets

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


def locate(name: str, draft_dir: Path | None) -> Path:
    """The file of preset `name` (or `name` itself when it is a path to a file)."""
    from difflib import get_close_matches

    from .errors import DrafterError, Problem
    from .inputs import presets

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
    from .inputs import presets, yamlfile

    return presets.resolve(yamlfile.load(path), draft_dir, (str(path.resolve()),))


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

    from .errors import display_path

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


def copy_preset(name: str, new_name: str | None, folder: Path, *, force: bool = False):
    """Copy preset `name` (the first one found that is not the target itself: normally
    the built-in) to `folder/presets/NEW_NAME.yaml`, byte for byte, comments and all.
    Returns (source label, source path, target path)."""
    import re

    from .errors import DrafterError, Position, Problem, display_path
    from .inputs import presets
    from .package.atomic import atomic_write_bytes

    new = (new_name or name).removesuffix(".yaml").removesuffix(".yml")
    if not re.match(r"^[\w][\w.-]*$", new) or ".." in new:
        raise DrafterError(Problem(
            f"Tên mẫu mới '{new}' không hợp lệ.", key="TÊN_MỚI",
            hint="Chỉ dùng chữ, số, '-' và '_', ví dụ: ubnd-xa-tien-dien.",
        ))
    target = folder / "presets" / f"{new}.yaml"
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
                 f"{name} <tên-mới>.",
        ))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, source[1].read_bytes(), force=force)
    except FileExistsError:
        raise DrafterError(Problem("Tệp mẫu đã có; drafter không ghi đè.",
                                   Position(display_path(target)), hint="Thêm --force để ghi đè.")) from None
    except OSError as exc:
        raise DrafterError(Problem(f"Không ghi được tệp: {exc.strerror or exc}.",
                                   Position(display_path(target)))) from None
    return source[0], source[1], target


# ---------------------------------------------------------------------------
# The commands.


@contextmanager
def _or_say(summary: str):
    """Problems of the user's input: print them and `summary`, exit 1 (handle_errors
    would end with "Chưa tạo được văn bản.", which is not what failed here)."""
    from .errors import DrafterError

    try:
        yield
    except DrafterError as exc:
        for p in exc.problems:
            click.echo(p.format(), err=True)
        click.echo(summary, err=True)
        sys.exit(1)


@click.group(invoke_without_command=True, context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="In danh sách dạng JSON.")
@click.pass_context
@handle_errors
def presets(ctx: click.Context, as_json: bool) -> None:
    """Các mẫu dùng chung (cơ quan, người ký, nhóm nơi nhận): xem, kiểm tra, sao chép.

    Không có lệnh con: liệt kê mọi mẫu dùng được từ thư mục hiện tại, theo thứ tự
    tìm: cạnh bản thảo (./presets/), của người dùng, có sẵn. Mẫu tìm thấy trước
    che mẫu cùng tên tìm thấy sau.
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = catalogue(Path.cwd())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Không có mẫu nào.")
        return
    width = max(len(r["name"]) for r in rows)
    lwidth = max(len(r["source"]) for r in rows)
    for r in rows:
        click.echo(f"{r['name']:<{width}}  {r['source']:<{lwidth}}  {r['description']}")
        click.echo(f"{'':<{width}}  {'':<{lwidth}}  {r['path']}")
        for s in r["shadows"]:
            click.echo(f"{'':<{width}}  {'':<{lwidth}}  che mẫu cùng tên ({s['source']}): {s['path']}")
    click.echo("")
    click.echo("Xem một mẫu: drafter presets show TÊN · sao chép để sửa: drafter presets copy TÊN")


@presets.command(context_settings=CONTEXT)
@click.argument("name", metavar="TÊN")
@handle_errors
def show(name: str) -> None:
    """In mẫu TÊN sau khi gộp các mẫu nó dùng ('dung'), dạng YAML, mỗi khóa ghi rõ lấy từ tệp nào."""
    cwd = Path.cwd()
    with _or_say("Chưa xem được mẫu."):
        text = show_text(locate(name, cwd), cwd)
    click.echo(text, nl=False)


@presets.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[ĐƯỜNG_DẪN]...")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@handle_errors
def check(paths: tuple[str, ...], as_json: bool) -> None:
    """Kiểm tra tệp mẫu: một tệp, một thư mục, hoặc (không ghi gì) mọi mẫu dùng được.

    Mẫu là một phần bản thảo: khóa thiếu không phải lỗi; khóa sai tên, sai kiểu,
    sai cú pháp thì báo hết một lần, kèm tệp:dòng:cột. Có lỗi thì mã thoát là 1.
    """
    from .errors import ERROR
    from .inputs import preset_check

    with _or_say("Chưa kiểm tra được."):
        files = preset_check.targets(list(paths), Path.cwd())
    problems = preset_check.check_files(files, Path.cwd())
    errors = [p for p in problems if p.severity == ERROR]
    if as_json:
        click.echo(json.dumps({"ok": not errors, "files": [str(f) for f in files],
                               "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(p.format(), err=True)
        n_warn = len(problems) - len(errors)
        summary = f"Đã kiểm tra {len(files)} tệp mẫu: "
        summary += f"{len(errors)} lỗi" if errors else "không có lỗi"
        summary += f", {n_warn} cảnh báo." if n_warn else "."
        click.echo(summary, err=bool(errors))
    if errors:
        sys.exit(1)


@presets.command(context_settings=CONTEXT)
@click.argument("name", metavar="TÊN")
@click.argument("new_name", metavar="[TÊN_MỚI]", required=False)
@click.option("--force", is_flag=True, help="Ghi đè tệp mẫu đã có.")
@handle_errors
def copy(name: str, new_name: str | None, force: bool) -> None:
    """Sao chép mẫu TÊN (thường là mẫu có sẵn) thành ./presets/TÊN_MỚI.yaml để sửa.

    Không ghi TÊN_MỚI thì giữ tên cũ: bản sao trong thư mục này sẽ được dùng thay
    cho mẫu có sẵn cùng tên.
    """
    from .errors import display_path

    with _or_say("Chưa sao chép được mẫu."):
        label, source, target = copy_preset(name, new_name, Path.cwd(), force=force)
    click.echo(f"Đã sao chép mẫu '{name}' ({label}: {display_path(source)}) thành {display_path(target)}.")
    if target.stem == name:
        click.echo(f"Bản thảo trong thư mục này giờ dùng {display_path(target)} thay cho mẫu {label} cùng tên.")
    click.echo(f"Sửa {display_path(target)}, rồi ghi trong bản thảo: dung: [{target.stem}]")
