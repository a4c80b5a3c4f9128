"""click's own words in Vietnamese: usage lines, help headings, option and argument
errors, the --help and --version option help.

click words every message through gettext: each of its modules does
``from gettext import gettext as _`` (and ``ngettext``) and calls ``_("Usage:")``
when it prints. A gettext catalogue on disk would need the process's locale set to
Vietnamese (``LANGUAGE=vi``) and would then apply to every library in the process;
instead :func:`install` points each click module's ``_`` and ``ngettext`` at
:data:`CATALOGUE` and :data:`PLURALS`, which hold every message click can print
(``tests/test_messages_vietnamese.py`` reads click's source and fails on any message
missing here). A few words click prints without gettext are set here too: the usage
placeholders ``[OPTIONS]`` / ``COMMAND [ARGS]...``, the names of its value types
(``integer``, ``float``: the metavar ``INTEGER RANGE`` and "is not a valid
integer"), the description of a number range (``1<=x<=64``) and a whole float shown
as a default (``300.0``).

:func:`install` runs when ``drafter.cli`` is imported, before any command is built
(the ``--version`` option takes its help text when it is declared).
"""

from __future__ import annotations

import gettext
import importlib
import re
import sys

import click

__all__ = ["CATALOGUE", "PLURALS", "NOT_IN_GETTEXT", "USAGE_WORDS", "TYPE_NAMES", "install"]

# Every message click's modules pass to gettext's ``_()`` (click 8.x), in Vietnamese.
# Placeholders may be dropped (str.format ignores unused names) but none may be added.
CATALOGUE: dict[str, str] = {
    # core.py
    "Aborted!": "Đã dừng theo yêu cầu.",  # Ctrl-C or Ctrl-D outside a command's own handling
    "deprecated": "không còn dùng",
    "Missing command.": "Thiếu tên lệnh.",
    "Options": "Tùy chọn",
    "Positional arguments": "Tham số",
    "Commands": "Lệnh",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Cảnh báo: lệnh {name!r} không còn được dùng.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Cảnh báo: {name!r} không còn được dùng.{extra_message}",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "Could not determine name for option with declarations {decls!r}":
        "Không xác định được tên của tùy chọn {decls!r}.",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?":
        "Chưa khai báo tùy chọn nào mà đã có tên ({name}); có phải ý là '--{name}'?",
    "env var: {var}": "biến môi trường: {var}",
    "default: {default}": "mặc định: {default}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Mỗi tham số chỉ có đúng một tên, nhưng có {length}: {decls}.",
    "(dynamic)": "(tính khi chạy)",
    "Name '{name}' defined twice": "Tên '{name}' được khai báo hai lần",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "Tùy chọn bật/tắt {decl!r} không dùng được một tên cho cả bật và tắt.",
    # decorators.py
    "Do you want to continue?": "Tiếp tục?",
    "Confirm the action without prompting.": "Đồng ý luôn, không hỏi lại.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Show the version and exit.": "In số phiên bản rồi thoát.",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    # exceptions.py
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: {command} {option}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị của {param_hint} không hợp lệ: {message}",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "unknown error": "lỗi không rõ nguyên nhân",
    "Could not open file {filename!r}: {message}": "Không mở được tệp '{filename}': {message}",
    # formatting.py
    "Usage:": "Cách dùng:",
    # parser.py
    "Invalid start character for option ({option})": "Tên tùy chọn bắt đầu bằng ký tự không hợp lệ ({option})",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    # shell_completion.py
    "Couldn't detect Bash version, shell completion is not supported.":
        "Không xác định được phiên bản Bash; không hỗ trợ tự hoàn thành lệnh.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Tự hoàn thành lệnh cần Bash 4.4 trở lên.",
    # termui.py, _termui_impl.py
    "Press any key to continue...": "Nhấn phím bất kỳ để tiếp tục…",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai giá trị vừa nhập không giống nhau.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Unknown color {colour!r}": "Không có màu {colour!r}",
    "{editor}: Editing failed": "{editor}: không sửa được",
    "{editor}: Editing failed: {e}": "{editor}: không sửa được: {e}",
    "d": " ngày",  # a progress bar's days: "2 ngày 03:04:05"
    # _winconsole.py
    "Windows error: {error}": "Lỗi của Windows: {error}",
    # types.py
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Choice({choices})": "Lựa chọn({choices})",
    "{value} is not in the range {range}.": "cần một số {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "'{value}' không phải có/không. Các giá trị nhận: {states}",
    "{value!r} is not a valid {number_type}.": "'{value}' không phải {number_type}.",
    "{value!r} is not a valid UUID.": "'{value}' không phải mã UUID.",
    "{name} {filename!r} does not exist.": "Không tìm thấy '{filename}'.",
    "{name} {filename!r} is a file.": "'{filename}' là một tệp, cần một thư mục.",
    "{name} {filename!r} is a directory.": "'{filename}' là một thư mục, cần một tệp.",
    "{name} {filename!r} is not readable.": "Không có quyền đọc '{filename}'.",
    "{name} {filename!r} is not writable.": "Không có quyền ghi '{filename}'.",
    "{name} {filename!r} is not executable.": "Không có quyền chạy '{filename}'.",
    # utils.py
    "Unknown standard stream '{name}'": "Không có luồng chuẩn '{name}'",
    # not a literal in click's source: core.py passes extra["required"] ("required") to _()
    "required": "bắt buộc",
}

# Messages click passes to gettext's ``ngettext(singular, plural, n)``: Vietnamese has
# one form, but click's two English forms differ in more than the noun.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Thừa tham số: {args}.", "Thừa các tham số: {args}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Cần {nargs} giá trị nhưng chỉ có 1.", "Cần {nargs} giá trị nhưng có {len}."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Có phải ý bạn là {possibility}?", "(Có phải ý bạn là một trong: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Tùy chọn {name!r} cần một giá trị.", "Tùy chọn {name!r} cần {nargs} giá trị."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("'{value}' không phải {choice}.", "'{value}' không phải một trong: {choices}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("'{value}' không đúng dạng {format}.", "'{value}' không đúng dạng nào trong: {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("Cần {len_type} giá trị, nhưng có {len_value}.", "Cần {len_type} giá trị, nhưng có {len_value}."),
}

# Strings in CATALOGUE that click's source does not pass to _() as a literal.
NOT_IN_GETTEXT = ("required",)

# The usage line's placeholders, which click writes without gettext.
USAGE_WORDS = {
    "[OPTIONS]": "[TÙY_CHỌN]",
    "COMMAND [ARGS]...": "LỆNH [THAM_SỐ]...",
    "[COMMAND] [ARGS]...": "[LỆNH] [THAM_SỐ]...",
    "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...": "LỆNH1 [THAM_SỐ]... [LỆNH2 [THAM_SỐ]...]...",
    "[COMMAND1] [ARGS]... [COMMAND2 [ARGS]...]...": "[LỆNH1] [THAM_SỐ]... [LỆNH2 [THAM_SỐ]...]...",
}

# click's value types by their ``name`` (shown in "'x' không phải số nguyên." and, in
# capitals, as the metavar of an option without one: ``--jobs SỐ_NGUYÊN``).
TYPE_NAMES = {
    "StringParamType": "văn bản",
    "IntParamType": "số nguyên",
    "IntRange": "số nguyên",
    "FloatParamType": "số",
    "FloatRange": "số",
    "BoolParamType": "có/không",
    "UUIDParameterType": "mã UUID",
    "DateTime": "ngày giờ",
    "File": "tệp",
    "Choice": "lựa chọn",
    "UnprocessedParamType": "văn bản",
}

_MODULES = ("core", "exceptions", "formatting", "types", "decorators", "parser", "termui", "utils")
# click's modules that its others import only when used (shell completion; progress
# bars, pagers, the editor): given the catalogue as they are imported, not imported
# for it (shlex, tty, termios… are no part of a command's start-up).
_LATER_MODULES = ("shell_completion", "_termui_impl")


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    vi = PLURALS.get((singular, plural))
    if vi is None:
        return singular if n == 1 else plural
    return vi[0] if n == 1 else vi[1]


def _number(value) -> str:
    """A bound or default as Vietnamese write it: 300.0 → 300, 0.5 → 0,5."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    return str(value)


def _describe_range(self) -> str:
    """A number range in words: "từ 1 đến 64", "từ 1 trở lên", "nhỏ hơn 5"."""
    low, high = self.min, self.max
    if low is not None and high is not None and not self.min_open and not self.max_open:
        return f"từ {_number(low)} đến {_number(high)}"
    parts = []
    if low is not None:
        parts.append(f"lớn hơn {_number(low)}" if self.min_open else f"từ {_number(low)} trở lên")
    if high is not None:
        parts.append(f"nhỏ hơn {_number(high)}" if self.max_open else f"không quá {_number(high)}")
    return " và ".join(parts)


def _usage_pieces(original):
    def collect_usage_pieces(self, ctx):
        return [USAGE_WORDS.get(piece, piece) for piece in original(self, ctx)]

    collect_usage_pieces.drafter_vietnamese = True
    return collect_usage_pieces


def _metavar(original):
    def make_metavar(self, ctx):
        # A type's name has spaces ("số nguyên"); a metavar the command sets is kept.
        metavar = original(self, ctx)
        return metavar if self.metavar is not None else metavar.replace(" ", "_")

    make_metavar.drafter_vietnamese = True
    return make_metavar


def _help_extra(original):
    def get_help_extra(self, ctx):
        extra = original(self, ctx)
        default = extra.get("default")
        if isinstance(default, str) and re.fullmatch(r"\d+\.\d+", default):
            extra["default"] = _number(float(default))  # "300.0" → "300"
        return extra

    get_help_extra.drafter_vietnamese = True
    return get_help_extra


def _translate(module) -> None:
    if getattr(module, "_", None) in (gettext.gettext, _gettext):
        module._ = _gettext
    if getattr(module, "ngettext", None) in (gettext.ngettext, _ngettext):
        module.ngettext = _ngettext


class _TranslateOnImport:
    """An import hook (a finder on ``sys.meta_path``) for click's modules imported only
    when used (:data:`_LATER_MODULES`): the module is found and loaded by the finder that
    would load it anyway, then given the catalogue, before the importer sees it."""

    NAMES = frozenset(f"click.{name}" for name in _LATER_MODULES)

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in cls.NAMES:
            return None
        for finder in sys.meta_path:
            if finder is cls or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _TranslatingLoader(spec.loader)
        return spec


class _TranslatingLoader:
    """The module's own loader (its other methods passed on), and the catalogue after it ran."""

    def __init__(self, loader) -> None:
        self._loader = loader

    def create_module(self, spec):
        create = getattr(self._loader, "create_module", None)
        return None if create is None else create(spec)

    def exec_module(self, module) -> None:
        self._loader.exec_module(module)
        _translate(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def install() -> None:
    """Point click's gettext calls at the Vietnamese catalogue, and set the few words
    it prints without gettext. Idempotent."""
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a platform's own module
            continue
        _translate(module)
    for name in _LATER_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is not None:
            _translate(module)
        elif _TranslateOnImport not in sys.meta_path:
            sys.meta_path.insert(0, _TranslateOnImport)
    types = click.types
    for cls_name, words in TYPE_NAMES.items():
        cls = getattr(types, cls_name, None)
        if cls is not None:
            cls.name = words
    types._NumberRangeBase._describe_range = _describe_range
    for cls in (click.Command, click.Group):
        method = cls.__dict__.get("collect_usage_pieces")
        if method is not None and not getattr(method, "drafter_vietnamese", False):
            cls.collect_usage_pieces = _usage_pieces(method)
    for cls in (click.Parameter, click.Option, click.Argument):
        method = cls.__dict__.get("make_metavar")
        if method is not None and not getattr(method, "drafter_vietnamese", False):
            cls.make_metavar = _metavar(method)
    method = click.Option.__dict__["get_help_extra"]
    if not getattr(method, "drafter_vietnamese", False):
        click.Option.get_help_extra = _help_extra(method)
