"""The YAML reader itself: ruamel.yaml's round trip, bounded, made plain data with
positions (yamlfile.parse_text's work). Apart from yamlfile so that ruamel.yaml, a
tenth of a command's start-up, loads only when a file is read: a draft or preset read
before comes from the cache (parse_cache) as plain data.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scanner import RoundTripScanner

from ..errors import WARNING, DrafterError, Position, Problem, typed_text
from .yamlfile import (SYNTAX_HINT, SYNTAX_PREFIX, KeyPath, Loaded, TypedFloat, YamlLimits, _Budget, _LimitExceeded,
                       _depth_problem, _values_problem, find_position, key_name, syntax_words)


class _Scanner(RoundTripScanner):
    # Nested '[' and '{' are counted as they are scanned: ruamel looks ahead over
    # up to 1,024 of them for a possible key, at a cost that grows with the square
    # of their number, before its composer could count them.
    def fetch_flow_collection_start(self, TokenClass: Any, to_push: Any) -> None:
        limit = getattr(self.loader, "max_depth", None)
        if limit and len(self.flow_context) >= limit:
            mark = self.reader.get_mark()
            raise _LimitExceeded(
                _depth_problem(getattr(self.loader, "drafter_file", ""), mark.line + 1, mark.column + 1, limit)
            )
        super().fetch_flow_collection_start(TokenClass, to_push)


class _Composer(Composer):
    # Every node is counted as it is composed: ruamel reads some 15,000 values a
    # second, so a file of small values stops here, not once fully read.
    def compose_node(self, parent: Any, index: Any) -> Any:
        limit = getattr(self.loader, "max_values", None)
        if limit:
            self.drafter_nodes = getattr(self, "drafter_nodes", 0) + 1
            if self.drafter_nodes > limit:
                mark = self.parser.peek_event().start_mark
                file = getattr(self.loader, "drafter_file", "")
                raise _LimitExceeded(_values_problem(Position(file, mark.line + 1, mark.column + 1), limit))
        return super().compose_node(parent, index)


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node, values=None):  # noqa: D401
        # Keep "2019-12-13" as text; the model parses it with a Vietnamese message.
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml(limits: YamlLimits | None = None, file: str = "") -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    y.Scanner = _Scanner
    y.Composer = _Composer
    y.allow_duplicate_keys = False
    y.max_depth = (limits or YamlLimits()).max_depth
    y.max_values = (limits or YamlLimits()).max_values
    y.drafter_file = file
    return y


def _children(node: Any) -> list[tuple[Any, tuple[int, int] | None]]:
    """A node's values with the (line, column) each is written at, when known."""
    out = []
    if isinstance(node, CommentedMap):
        for k, v in node.items():
            try:
                out.append((v, tuple(node.lc.key(k))))
            except (KeyError, TypeError):
                out.append((v, None))
    elif isinstance(node, CommentedSeq):
        for i, v in enumerate(node):
            try:
                out.append((v, tuple(node.lc.item(i))))
            except (KeyError, TypeError, IndexError):
                out.append((v, None))
    return out


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values ``node`` becomes once its aliases are expanded, counting each
    node once (an alias is the same object as its anchor): linear in the file."""
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        return 1
    key = id(node)
    if key not in memo:
        memo[key] = 1 + sum(_expanded_size(v, memo) for v, _ in _children(node))
    return memo[key]


def _check_expansion(doc: Any, file: str, limit: int) -> None:
    """Refuse ``doc`` before expanding it if it holds more than ``limit`` values, at
    the line of the value (often an alias) whose expansion crosses the limit."""
    memo: dict[int, int] = {}
    total = _expanded_size(doc, memo)
    if total <= limit:
        return
    where: tuple[int, int] | None = None
    node, left = doc, limit
    while isinstance(node, (CommentedMap, CommentedSeq)):
        left -= 1
        for child, at in _children(node):
            size = _expanded_size(child, memo)
            if size > left:
                where = where or at  # the outermost: the line that set it off
                node = child
                break
            left -= size
        else:
            break
    position = Position(file, where[0] + 1, where[1] + 1) if where else Position(file, 1, 1)
    raise _LimitExceeded(_values_problem(position, limit))


_FLOAT_TEXT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


def _typed(value: Any, lines: list[str] | None, at: tuple[int, int] | None) -> Any:
    """A YAML float as a :class:`TypedFloat` holding its text from the file."""
    if not isinstance(value, float) or isinstance(value, TypedFloat):
        return value
    text = None
    if lines is not None and at is not None and 0 <= at[0] < len(lines):
        m = _FLOAT_TEXT.match(lines[at[0]], at[1])
        text = m.group(0) if m else None
    return TypedFloat(value, text or repr(float(value)))


def _cut_by_comment(value: Any, comment: Any, at: tuple[int, int] | None, key_line: int | None,
                    lines: list[str] | None) -> str | None:
    """The text a ``#`` cut from a value on its own line (``số #12`` → ``#12``), or None.

    A comment is a note when a space follows its ``#`` (``loai: cong-van  # loại``), as
    drafter's own scaffolds write them; ``#12`` right after a value is text that YAML
    took for a comment. Quoted values cannot be cut; lists and groups are not values.
    """
    if comment is None or isinstance(value, (dict, list)) or lines is None:
        return None
    text = getattr(comment, "value", "") or ""
    first = text.split("\n", 1)[0]
    if len(first) < 2 or not first.startswith("#") or first[1].isspace():
        return None
    line = getattr(getattr(comment, "start_mark", None), "line", None)
    if value is None:
        if line is None or line != key_line:
            return None
    else:
        if at is None or line != at[0] or not (0 <= at[0] < len(lines)):
            return None
        start = lines[at[0]][at[1]:at[1] + 1]
        if start in ("'", '"', "|", ">"):
            return None
    return first.rstrip()


def _cut_problem(file: str, comment: Any, key: str, value: Any, cut: str, item: bool) -> Problem:
    mark = comment.start_mark
    kept = "" if value is None else typed_text(value)
    whole = f"{kept} {cut}".strip()
    example = f'- "{whole}"' if item else f'{key.rsplit(".", 1)[-1]}: "{whole}"'
    said = (f"giá trị của '{key}' chỉ còn '{kept}'" if kept else f"giá trị của '{key}' bị để trống")
    return Problem(
        f"Dấu '#' bắt đầu một ghi chú: phần '{cut}' bị bỏ, {said}.",
        Position(file, mark.line + 1, mark.column + 1), key=key,
        hint=f"Nếu '{cut}' là một phần của giá trị, đặt cả giá trị trong ngoặc kép: {example}",
        severity=WARNING,
    )


def _plain(node: Any, path: KeyPath, file: str, origins: dict, problems: list,
           budget: _Budget | None = None, lines: list[str] | None = None) -> Any:
    from ..rules import text as text_rules

    if budget is not None:
        budget.left -= 1
        if budget.left < 0:
            raise _LimitExceeded(_values_problem(find_position(origins, path, file), budget.limit))
    if isinstance(node, CommentedMap):
        out = {}
        comments = getattr(node.ca, "items", {})
        for k, v in node.items():
            kp = path + (str(k),)
            key_line = None
            try:
                line, col = node.lc.key(k)
                origins[kp] = Position(file, line + 1, col + 1)
                key_line = line
            except (KeyError, TypeError):
                pass
            try:
                at = tuple(node.lc.value(k))
            except (KeyError, TypeError):
                at = None
            v = _typed(v, lines, at)
            entry = comments.get(k)
            comment = entry[2] if entry and len(entry) > 2 else None
            cut = _cut_by_comment(v, comment, at, key_line, lines)
            if cut:
                problems.append(_cut_problem(file, comment, key_name(kp), v, cut, item=False))
            out[str(k)] = _plain(v, kp, file, origins, problems, budget, lines)
        return out
    if isinstance(node, CommentedSeq):
        out = []
        comments = getattr(node.ca, "items", {})
        for i, v in enumerate(node):
            kp = path + (i,)
            at = None
            try:
                line, col = node.lc.item(i)
                origins[kp] = Position(file, line + 1, col + 1)
                at = (line, col)
            except (KeyError, TypeError, IndexError):
                pass
            v = _typed(v, lines, at)
            entry = comments.get(i)
            comment = entry[0] if entry else None
            cut = _cut_by_comment(v, comment, at, at[0] if at else None, lines)
            if cut:
                problems.append(_cut_problem(file, comment, key_name(kp), v, cut, item=True))
            out.append(_plain(v, kp, file, origins, problems, budget, lines))
        return out
    if isinstance(node, str):
        cleaned, notes = text_rules.clean(str(node))
        # A mixed line drafter cannot read safely is an error: kept with the problems
        # so that validation reports it with every other problem.
        problems += [note.as_problem().at(find_position(origins, path, file), key_name(path)) for note in notes]
        return cleaned
    return node


def parse(text: str, file: str, limits: YamlLimits) -> Loaded:
    """``text`` read as YAML within ``limits`` (yamlfile.parse_text: its size checked)."""
    try:
        doc = _yaml(limits, file).load(text)
    except _LimitExceeded as exc:
        raise DrafterError(exc.problem) from None
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        raise DrafterError(
            _depth_problem(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None, limits.max_depth)
        ) from None
    except RecursionError:
        # Only when DRAFTER_MAX_YAML_DEPTH was raised past what Python's stack holds.
        raise DrafterError(_depth_problem(file, None, None, limits.max_depth)) from None
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
                SYNTAX_PREFIX + syntax_words(exc.problem, exc.context) + ".",
                Position(file, mark.line + 1, mark.column + 1) if mark else Position(file),
                hint=SYNTAX_HINT,
            )
        ) from None
    except YAMLError as exc:  # the reader's refusal of a control character
        where = getattr(exc, "position", None)
        line = text[:where].count("\n") + 1 if isinstance(where, int) else None
        raise DrafterError(Problem(SYNTAX_PREFIX + syntax_words(getattr(exc, "reason", None), None) + ".",
                                   Position(file, line), hint=SYNTAX_HINT)) from None
    origins: dict[KeyPath, Position] = {(): Position(file, 1, 1)}
    problems: list[Problem] = []
    try:
        _check_expansion(doc, file, limits.max_values)
        data = _plain(doc, (), file, origins, problems, _Budget(limits.max_values), text.split("\n"))
    except _LimitExceeded as exc:
        raise DrafterError(exc.problem) from None
    except RecursionError:
        raise DrafterError(_depth_problem(file, None, None, limits.max_depth)) from None
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
