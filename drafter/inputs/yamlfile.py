"""YAML files with positions: every value keeps the file, line and column it came from.

ruamel.yaml's round-trip loader keeps positions (and comments, for files drafter
writes and people edit). Dates are left as text here so that an impossible date
("2019-02-30") reaches validation and gets a message, not a loader traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import DrafterError, Position, Problem, display_path

KeyPath = tuple  # of str keys and int list indices


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node, values=None):  # noqa: D401
        # Keep "2019-12-13" as text; the model parses it with a Vietnamese message.
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    y.allow_duplicate_keys = False
    return y


@dataclass
class Loaded:
    """Plain data (dict/list/str/int…) plus where each key path was written, and the
    problems found while reading it (text drafter cleaned or refused), each placed."""

    file: str
    data: Any
    origins: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: KeyPath) -> Position:
        return find_position(self.origins, path, self.file)


def find_position(origins: dict[KeyPath, Position], path: KeyPath, file: str | None) -> Position:
    """The position of the longest prefix of `path` that has one."""
    p = tuple(path)
    while p:
        if p in origins:
            return origins[p]
        p = p[:-1]
    return origins.get((), Position(file))


def key_name(path: KeyPath) -> str:
    """The key path as users read it: `phu_luc[0].bang`.

    >>> key_name(("phu_luc", 0, "bang"))
    'phu_luc[0].bang'
    """
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def key_path(name: str) -> KeyPath:
    """The inverse of :func:`key_name`.

    >>> key_path("van_ban_kem_theo[1].ky.chuc_vu")
    ('van_ban_kem_theo', 1, 'ky', 'chuc_vu')
    """
    return tuple(int(part) if part.isdigit() else part
                 for part in name.replace("[", ".").replace("]", "").split(".") if part)


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DrafterError(
            Problem(
                "Tệp không được lưu theo bảng mã UTF-8.",
                Position(file, line),
                hint="Mở tệp bằng Notepad++ hoặc VS Code và lưu lại với bảng mã UTF-8.",
            )
        ) from None


def _plain(node: Any, path: KeyPath, file: str, origins: dict, problems: list) -> Any:
    from ..rules import text as text_rules

    if isinstance(node, CommentedMap):
        out = {}
        for k, v in node.items():
            kp = path + (str(k),)
            try:
                line, col = node.lc.key(k)
                origins[kp] = Position(file, line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            out[str(k)] = _plain(v, kp, file, origins, problems)
        return out
    if isinstance(node, CommentedSeq):
        out = []
        for i, v in enumerate(node):
            kp = path + (i,)
            try:
                line, col = node.lc.item(i)
                origins[kp] = Position(file, line + 1, col + 1)
            except (KeyError, TypeError, IndexError):
                pass
            out.append(_plain(v, kp, file, origins, problems))
        return out
    if isinstance(node, str):
        cleaned, notes = text_rules.clean(str(node))
        # A mixed line drafter cannot read safely is an error: kept with the problems
        # so that validation reports it with every other problem.
        problems += [note.as_problem().at(find_position(origins, path, file), key_name(path)) for note in notes]
        return cleaned
    return node


def parse_text(text: str, file: str) -> Loaded:
    try:
        doc = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        raise DrafterError(
            Problem(
                "Một khóa được viết hai lần trong cùng một nhóm.",
                Position(file, mark.line + 1, mark.column + 1) if mark else Position(file),
                hint="Xóa một trong hai dòng trùng nhau.",
            )
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DrafterError(
            Problem(
                f"Tệp YAML viết sai cú pháp: {exc.problem or exc.context}.",
                Position(file, mark.line + 1, mark.column + 1) if mark else Position(file),
                hint="Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu ':' sau mỗi khóa, "
                "và đặt văn bản có dấu ':' hoặc '#' trong ngoặc kép.",
            )
        ) from None
    except YAMLError as exc:
        raise DrafterError(Problem(f"Tệp YAML viết sai cú pháp: {exc}.", Position(file))) from None
    origins: dict[KeyPath, Position] = {(): Position(file, 1, 1)}
    problems: list[Problem] = []
    data = _plain(doc, (), file, origins, problems)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DrafterError(
            Problem(
                "Tệp phải là một danh sách các khóa (ví dụ 'loai: cong-van'), không phải một giá trị đơn.",
                Position(file, 1, 1),
            )
        )
    return Loaded(file, data, origins, problems)


def load(path: str | Path) -> Loaded:
    file = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DrafterError(Problem("Không tìm thấy tệp.", Position(file))) from None
    except IsADirectoryError:
        raise DrafterError(Problem("Đây là một thư mục, không phải tệp YAML.", Position(file))) from None
    except OSError as exc:
        raise DrafterError(Problem(f"Không đọc được tệp: {exc.strerror}.", Position(file))) from None
    return parse_text(_decode(raw, file), file)
