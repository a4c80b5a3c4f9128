"""What Python compiles afresh in every `drafter` process, kept between runs, the way
it keeps .pyc files: the regular expressions (of drafter's rules, click, Jinja, ruamel)
the methods `dataclasses` writes for each data class, and the annotations typing reads
from text. All are compiled from text every time a module is imported (re's parser and
compiler are Python code; a data class is a few `exec`s of generated source; pydantic
evaluates each field's annotation), about a quarter of a `drafter check` or
`drafter render` before this. With the cache, a pattern is rebuilt from its stored
compiled form (the same `_sre.compile` call the re module ends with), and a data class
method, or an annotation written as text (typing.ForwardRef: pydantic's fields), from its
stored code object: the same objects, without parsing.

Only the console script installs it (`drafter …`, `python -m drafter.cli`), never an
embedding program. One file per command under the cache folder's ``startup/``
(``DRAFTER_CACHE_DIR``, as for templates; set to an empty value it turns this off too,
and so does ``DRAFTER_STARTUP_CACHE=0``), tagged with the exact Python build and re's
code format: any other Python reads nothing from it. A file that is missing, unreadable
or from another Python is passed over silently and rewritten; it is written (atomically)
only when a run compiled something it did not hold, and holds at most
``MAX_ENTRIES`` (past that, only what the last run used); a run keeps at most
``MAX_NEW`` new entries (patterns made from a batch's data are not worth keeping).

This module must not use ``from __future__ import annotations``: `compile` would pass
that flag on to the data classes' generated methods (``dont_inherit`` guards it too).
"""

import os
import sys

FORMAT = 1  # bump when the file's layout changes
MAX_ENTRIES = 4000
MAX_NEW = 1500  # compiled afresh in one process and kept: past that (patterns made from data), not kept
ENV = "DRAFTER_STARTUP_CACHE"

_cache: dict = {}
_used: set = set()
_state = {"file": None, "command": "_", "new": 0, "installed": False, "pid": None}


def _tag() -> str:
    import _sre

    return f"{FORMAT}|{sys.version}|{getattr(_sre, 'MAGIC', '?')}|{getattr(_sre, 'CODESIZE', '?')}"


def cache_folder() -> str | None:
    """The folder of drafter's caches (the template cache's, see render/template_cache.py),
    found without importing platformdirs on Linux; None when caching is off."""
    override = os.environ.get("DRAFTER_CACHE_DIR")
    if override is not None:
        return override if override.strip() else None
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return os.path.join(base, "drafter")
    import platformdirs

    return platformdirs.user_cache_dir("drafter")


def command_name(argv: list[str]) -> str:
    """The command a console-script run names (its first word that is no option), or
    ``_`` for none: each command keeps a file of its own, of what it compiles."""
    for word in argv:
        if not word.startswith("-"):
            return word if word.replace("-", "").isalpha() and word.isascii() and len(word) <= 20 else "_"
        if word == "--":
            break
    return "_"


def _load(path: str) -> None:
    import marshal

    try:
        with open(path, "rb") as f:
            data = marshal.loads(f.read())
    except (OSError, ValueError, EOFError, TypeError):
        return
    if isinstance(data, tuple) and len(data) == 2 and data[0] == _tag() and isinstance(data[1], dict):
        _cache.update(data[1])


def save() -> None:
    """Write the file when this run compiled something it did not hold (at exit)."""
    path = _state["file"]
    if not path or not _state["new"] or os.getpid() != _state["pid"]:
        return  # nothing new, or a forked child (a worker, the server's command): the parent writes
    if not _known_command(_state["command"]):
        return  # a mistyped command keeps no file of its own
    import marshal

    entries = _cache if len(_cache) <= MAX_ENTRIES else {k: v for k, v in _cache.items() if k in _used}
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(marshal.dumps((_tag(), entries)))
        os.replace(tmp, path)
        _state["new"] = 0
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _known_command(name: str) -> bool:
    """``_`` (no command: --help, --version) or a command of the group."""
    if name == "_":
        return True
    main = sys.modules.get("drafter.cli.main")
    if main is None:
        return False
    return name in getattr(main, "LAZY_COMMANDS", {}) or name in getattr(getattr(main, "main", None), "commands", {})


def install(argv: list[str]) -> bool:
    """Put the cache in front of re's compiler, dataclasses' exec and typing's compile
    (of annotations written as text); False when it is off or this Python has neither
    hook where 3.11–3.13 have them."""
    if _state["installed"]:
        return True
    if os.environ.get(ENV, "1").strip() in ("0", "", "false", "no"):
        return False
    folder = cache_folder()
    if folder is None:
        return False
    try:
        import _sre
        import dataclasses
        import typing
        from re import _compiler, _parser

        compile_pattern, code_of, sre_compile = _compiler.compile, _compiler._code, _sre.compile
        if not callable(getattr(dataclasses, "_process_class", None)):
            return False
    except (ImportError, AttributeError):
        return False
    command = command_name(argv)
    path = os.path.join(folder, "startup", f"{command}.{sys.implementation.cache_tag}.marshal")
    _state["file"], _state["command"] = path, command
    _state["pid"] = os.getpid()
    _load(path)
    debug = 128  # re.DEBUG and re.LOCALE (4): never cached
    code_type = type(install.__code__)

    def compile_cached(p, flags=0):
        if flags & (debug | 4) or type(p) not in (str, bytes):
            return compile_pattern(p, flags)
        key = ("s" if type(p) is str else "b", p, flags)
        hit = _cache.get(key)
        if hit is not None:
            try:
                pattern = sre_compile(p, *hit)
            except (TypeError, ValueError, RuntimeError, OverflowError):
                del _cache[key]  # an entry that does not read back (_sre checks the code): compiled as before
            else:
                _used.add(key)
                return pattern
        if _state["new"] >= MAX_NEW:
            return compile_pattern(p, flags)
        parsed = _parser.parse(p, flags)
        code = code_of(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        hit = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex,
               tuple(indexgroup))
        pattern = sre_compile(p, *hit)
        _cache[key] = hit
        _used.add(key)
        _state["new"] += 1
        return pattern

    builtin_exec = exec

    def exec_cached(source, globals=None, locals=None, /, **kwargs):  # exec's own parameters
        if type(source) is str and (_state["new"] < MAX_NEW or ("x", source) in _cache):
            key = ("x", source)
            code = _cache.get(key)
            if type(code) is not code_type:
                code = compile(source, "<string>", "exec", dont_inherit=True)
                _cache[key] = code
                _state["new"] += 1
            _used.add(key)
            source = code
        return builtin_exec(source, globals, locals, **kwargs)

    builtin_compile = compile

    def compile_expression_cached(source, filename, mode, *args, **kwargs):  # compile's own parameters
        # typing.ForwardRef compiles each annotation written as text (pydantic's fields,
        # pydantic-core's typed dicts: ~900 in a render): the code object is kept.
        if type(source) is not str or mode != "eval" or args or kwargs:
            return builtin_compile(source, filename, mode, *args, **kwargs)
        key = ("e", source, filename)
        code = _cache.get(key)
        if type(code) is not code_type:
            if _state["new"] >= MAX_NEW:
                return builtin_compile(source, filename, mode, dont_inherit=True)
            code = builtin_compile(source, filename, mode, dont_inherit=True)
            _cache[key] = code
            _state["new"] += 1
        _used.add(key)
        return code

    _compiler.compile = compile_cached
    dataclasses.exec = exec_cached
    typing.compile = compile_expression_cached
    import atexit

    atexit.register(save)
    _state["installed"] = True
    return True
