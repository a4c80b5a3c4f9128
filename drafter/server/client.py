"""The `drafter` console script: the command through the warm server when one runs,
else in this process.

Only the standard library's C modules _socket, marshal, array, zlib and resource
(and os, sys, signal) are imported before the server is asked: a few milliseconds
(socket.py and json would cost ~100 M instructions, more than all the rest). The
command line, the current folder, the whole environment, the umask, the ulimits and
the standard streams' encodings go to the server with fds 0, 1 and 2 (SCM_RIGHTS);
a child of it becomes this process (drafter/server/daemon.py) and runs the command;
its exit status comes back and this process exits with it. Ctrl-C, SIGTERM and
SIGHUP received here go to the child, Ctrl-Z stops it with this process. When no server answers, or anything about it is off (no socket, refused, a
protocol error, a different drafter, changed source files, another interpreter), the
command runs here, silently: the server only ever saves time.

``DRAFTER_NEN=0`` never asks a server (the test suite sets it).

As chg starts hg's server: a command typed in a terminal (stdin and stdout TTYs)
that no server answered runs here as before and then, once it has ended, starts the
server in the background (``start_after``: detached, its own session, fds 0-2 on
/dev/null, no fd of the caller's), so the next command is served warm. Not in a
script, a pipe or cron (no terminal), not with ``DRAFTER_NEN=0``, not after
`drafter nen tat` (the file ``off`` in the server's folder, until `drafter nen bat`),
never two at once (the server's own lock, taken here and handed to it), and never at
the command's cost: any error, and the server is simply not started.
"""

from __future__ import annotations

import os
import signal
import sys

# _socket and array are imported once a server's folder is found: without a
# server the console script costs a stat more than drafter.cli's entry.

PROTOCOL = 2  # messages: a 4-byte length, then marshal (the same Python on both ends: the fingerprint)
OFF_ENV = "DRAFTER_NEN"  # "0": never use the server
SOCKET_NAME = "s"
LOCK_FILE = "lock"  # held by the server for its whole life (flock): one server per folder
OFF_FILE = "off"  # `drafter nen tat` writes it, `drafter nen bat` removes it: no automatic start meanwhile
FAILED_FILE = "failed"  # an automatic start that failed before serving: none again for FAILED_PAUSE_S
FAILED_PAUSE_S = 600
DAEMON_CODE = "from drafter.server.daemon import main; import sys; sys.exit(main())"
_HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(_HERE)  # drafter/
_FLAGS = ("debug", "inspect", "interactive", "optimize", "dont_write_bytecode", "no_user_site", "no_site",
          "ignore_environment", "verbose", "bytes_warning", "quiet", "hash_randomization", "isolated",
          "dev_mode", "utf8_mode", "warn_default_encoding", "int_max_str_digits")  # all but safe_path


def cache_folder(environ=None) -> str | None:
    """drafter's cache folder, as drafter/cache_dir.folder() finds it (and
    platformdirs.user_cache_dir), without importing platformdirs: DRAFTER_CACHE_DIR,
    else $XDG_CACHE_HOME/drafter or ~/.cache/drafter (~/Library/Caches/drafter on a
    Mac). None when the cache is off (DRAFTER_CACHE_DIR empty) or on Windows."""
    env = os.environ if environ is None else environ
    override = env.get("DRAFTER_CACHE_DIR")
    if override is not None:
        return os.path.abspath(override) if override.strip() else None
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/drafter")
    if sys.platform.startswith(("win", "cygwin")):
        return None
    base = env.get("XDG_CACHE_HOME", "")
    if not base.strip():
        base = os.path.expanduser("~/.cache")
    return os.path.join(base, "drafter")


def socket_folder(environ=None) -> str | None:
    """The server's folder (mode 0700, the user's own): ``<cache>/nen``."""
    base = cache_folder(environ)
    return None if base is None else os.path.join(base, "nen")


def socket_path(environ=None) -> str | None:
    folder = socket_folder(environ)
    return None if folder is None else os.path.join(folder, SOCKET_NAME)


def _resource_dir(name: str) -> str:
    installed = os.path.join(PACKAGE, name)  # as drafter/resources.py finds them
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(PACKAGE), name)


def _walk(folder: str, out: list) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            if e.name != "__pycache__":
                _walk(e.path, out)
        elif e.name.endswith((".py", ".docx", ".yaml")):
            try:
                st = e.stat()
            except OSError:
                continue
            out.append(f"{e.path}:{st.st_mtime_ns}:{st.st_size}")


def code_fingerprint() -> str:
    """drafter's version and every source file, template and built-in preset (path,
    modification time, size), and the site-packages folders (a pip install or
    upgrade changes them): a server started before any of these changed is stale."""
    from zlib import crc32

    from .. import __version__

    out = [str(PROTOCOL), __version__, PACKAGE]
    for folder in (PACKAGE, _resource_dir("templates"), _resource_dir("presets")):
        _walk(folder, out)
    for entry in sys.path:
        if entry.endswith("-packages"):
            try:
                out.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
            except OSError:
                pass
    text = "\n".join(out).encode("utf-8", "surrogateescape")
    return f"{__version__}-{len(out)}-{crc32(text):08x}"


def interpreter_fingerprint() -> str:
    """What makes this interpreter what it is: the executable, its flags (-P aside),
    sys.path after its first entry (the script's folder), the PYTHON* variables and
    PYDANTIC_* (read once, when drafter.cli is imported: whether pydantic's plugins load)."""
    from zlib import crc32

    flags = [getattr(sys.flags, n, None) for n in _FLAGS]
    python_env = sorted((k, v) for k, v in os.environ.items() if k.startswith(("PYTHON", "PYDANTIC")))
    text = repr((sys.executable, sys.version, flags, sys.path[1:], sys.warnoptions, sys._xoptions, python_env))
    return f"{crc32(text.encode('utf-8', 'surrogateescape')):08x}"


def _stream_info(stream) -> list | None:
    if stream is None:
        return None
    buffer = getattr(stream, "buffer", None)
    return [getattr(stream, "encoding", None), getattr(stream, "errors", None),
            bool(getattr(stream, "line_buffering", False)), bool(getattr(stream, "write_through", False)),
            type(buffer).__name__ == "FileIO"]  # python -u, PYTHONUNBUFFERED: no buffer under the text


_RLIMITS = ("RLIMIT_AS", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CPU", "RLIMIT_STACK", "RLIMIT_CORE",
            "RLIMIT_NPROC", "RLIMIT_RSS")


def _limits() -> dict:
    """This process's resource limits (ulimit): the child takes them."""
    import resource

    return {n: list(resource.getrlimit(getattr(resource, n))) for n in _RLIMITS if hasattr(resource, n)}


def connect(path: str, *, timeout: float = 1.0):
    """A connection to the server at ``path``, or None: no socket, refused, a folder
    not the user's own (0700), or a server of another user (SO_PEERCRED)."""
    try:
        st = os.lstat(os.path.dirname(path))
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    try:
        if os.lstat(path).st_uid != os.getuid():
            return None
    except OSError:  # no socket: no server
        return None
    import _socket as socket  # the C module: socket.py builds its enums at import (~8 ms)

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
        if hasattr(socket, "SO_PEERCRED"):
            cred = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)  # pid, uid, gid
            uid = int.from_bytes(cred[4:8], sys.byteorder, signed=True)
            if uid != os.getuid():
                sock.close()
                return None
        sock.settimeout(None)
        return sock
    except OSError:
        sock.close()
        return None


def send_request(sock, request: dict, fds: list[int] | None = None) -> None:
    import _socket as socket

    data = frame(request)
    if fds:
        import array

        sent = sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
    else:
        sent = sock.send(data)
    if sent < len(data):
        sock.sendall(data[sent:])


def frame(obj: dict) -> bytes:
    """A message: its length (4 bytes), then the object in marshal's format."""
    import marshal

    body = marshal.dumps(obj)
    return len(body).to_bytes(4, "big") + body


class Replies:
    """The server's replies, one message each."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self, n: int) -> bool:
        while len(self.buf) < n:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return False
            if not chunk:
                return False
            self.buf += chunk
        return True

    def next(self) -> dict | None:
        """The next reply, or None at the end of the connection (or a broken one)."""
        import marshal

        if not self._fill(4):
            return None
        size = int.from_bytes(self.buf[:4], "big")
        if size > 1 << 20 or not self._fill(4 + size):
            return None
        body, self.buf = self.buf[4:4 + size], self.buf[4 + size:]
        try:
            reply = marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None
        return reply if isinstance(reply, dict) else None


def ask(request: dict, environ=None, *, timeout: float = 5.0) -> dict | None:
    """One request that is not a command (status, stop) and its one reply, or None."""
    path = socket_path(environ)
    sock = connect(path) if path else None
    if sock is None:
        return None
    try:
        sock.settimeout(timeout)
        send_request(sock, {"protocol": PROTOCOL, **request})
        return Replies(sock).next()
    except OSError:
        return None
    finally:
        sock.close()


_STOPPED = "\nĐã dừng theo yêu cầu.\n"


def _served() -> int | None:
    """The command run by the server: its exit status; None when it was not run
    there (nothing of it ran: the caller runs it)."""
    if os.environ.get(OFF_ENV, "").strip() == "0" or sys.argv[1:2] == ["nen"]:
        return None
    path = socket_path()
    if path is None or len(path.encode("utf-8", "surrogateescape")) > 100:  # sun_path holds ~104 bytes
        return None
    try:
        cwd = os.getcwd()
    except OSError:  # the current folder was removed: the command itself says so
        return None
    sock = connect(path)
    if sock is None:
        return None
    child: list[int] = []
    pending: list[int] = []

    def forward(signum, frame):  # noqa: ARG001
        if not child:
            pending.append(signum)
            return
        _forward(child[0], signum)

    def suspend(signum, frame):  # noqa: ARG001 (Ctrl-Z: the child's group stops with us, and goes on with us)
        if child:  # (its group has no parent in this session: SIGTSTP would be dropped, SIGSTOP is not)
            _to_group(child[0], signal.SIGSTOP)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stopped here until fg / bg
        signal.signal(signal.SIGTSTP, suspend)
        if child:
            _to_group(child[0], signal.SIGCONT)

    old = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            old[sig] = signal.signal(sig, forward)
    if hasattr(signal, "SIGTSTP"):
        old[signal.SIGTSTP] = signal.signal(signal.SIGTSTP, suspend)

    def give_back() -> None:  # the command runs here after all
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if pending:  # Ctrl-C before the command started: as while starting
            os.write(2, _STOPPED.encode("utf-8"))
            os._exit(1)

    try:
        umask = os.umask(0o022)
        os.umask(umask)
        request = {
            "op": "run", "protocol": PROTOCOL, "code": code_fingerprint(), "interpreter": interpreter_fingerprint(),
            "argv": sys.argv, "cwd": cwd, "env": dict(os.environ), "umask": umask, "path0": sys.path[0],
            "stdio": [_stream_info(sys.stdin), _stream_info(sys.stdout), _stream_info(sys.stderr)],
            "limits": _limits(), "nice": os.getpriority(os.PRIO_PROCESS, 0),
        }
        try:
            send_request(sock, request, [0, 1, 2])
        except OSError:  # a closed fd 0-2 (EBADF), a server gone
            give_back()
            return None
        replies = Replies(sock)
        while True:
            reply = replies.next()
            if reply is None or "refused" in reply or (not child and ("exit" in reply or "signal" in reply)):
                # (an end before the pid: the child never started, for the command starts only on our go)
                # Refused, even after the pid: the child failed to become this process
                # before the command started. An end without a word once it started: not rerun.
                if child and reply is None:
                    os.write(2, "drafter: máy chủ nền (drafter nen) dừng giữa chừng; lệnh có thể chưa xong.\n"
                             .encode("utf-8"))
                    return 1
                give_back()
                return None
            if "pid" in reply and not child:
                child.append(int(reply["pid"]))
                try:
                    sock.sendall(b"g")  # go: only now does the child start the command
                except OSError:
                    pass
                for sig in pending:
                    _forward(child[0], sig)
                pending.clear()
            elif "exit" in reply:
                return int(reply["exit"])
            elif "signal" in reply:  # the child was killed by a signal: so is this process, as a shell shows it
                sig = int(reply["signal"])
                try:
                    signal.signal(sig, signal.SIG_DFL)
                    os.kill(os.getpid(), sig)
                except (OSError, ValueError):
                    pass
                return 128 + sig
    finally:
        sock.close()


def own_folder(folder: str) -> None:
    """The server's folder, made 0700; refused (PermissionError) when it is not a
    folder of this user's."""
    import stat

    os.makedirs(folder, mode=0o700, exist_ok=True)
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise PermissionError(folder)
    if st.st_mode & 0o077:
        os.chmod(folder, 0o700)


def auto_start_folder() -> str | None:
    """The server's folder when this command, once it has run here, should start the
    server (chg's way): a terminal's command (stdin and stdout TTYs), not ``nen``'s,
    DRAFTER_NEN not 0, not niced below its shell, a cache folder with room for the
    socket's path, a Unix that can spawn. Else None. (Whether `drafter nen tat`
    turned it off is asked at the end: start_in_background.)"""
    if os.name != "posix" or not (hasattr(os, "posix_spawn") or hasattr(os, "fork")):
        return None
    if os.environ.get(OFF_ENV, "").strip() == "0" or sys.argv[1:2] == ["nen"]:
        return None
    try:
        if not (os.isatty(0) and os.isatty(1)):
            return None
    except OSError:
        return None
    try:  # `nice drafter …`: a server at that priority could not run the shell's later commands (no raising it back)
        if os.getpriority(os.PRIO_PROCESS, 0) > os.getpriority(os.PRIO_PROCESS, os.getppid()):
            return None
    except OSError:
        return None
    folder = socket_folder()
    if folder is None or len(os.path.join(folder, SOCKET_NAME).encode("utf-8", "surrogateescape")) > 100:
        return None
    return folder


def is_off(folder: str) -> bool:
    """`drafter nen tat` was the last word: no automatic start."""
    return os.path.lexists(os.path.join(folder, OFF_FILE))


def start_after(folder: str, path0: str) -> None:
    """Run at the command's end (atexit): the server started in the background, or,
    on any error, not."""
    try:
        start_in_background(folder, path0)
    except BaseException:  # noqa: BLE001 (never the command's concern; a Ctrl-C as it ends included)
        pass


def start_in_background(folder: str, path0: str) -> int | None:
    """The server started detached (its pid), or None: turned off, a start that
    failed a short while ago, or the server's lock held (a server runs or is
    starting). The lock is taken here and handed to the server (its fd, shared: the
    same open file), so two commands ending at once start one server."""
    if is_off(folder):
        return None
    try:
        failed_at = os.stat(os.path.join(folder, FAILED_FILE)).st_mtime
    except OSError:
        pass
    else:
        import time

        if 0 <= time.time() - failed_at < FAILED_PAUSE_S:
            return None
    own_folder(folder)
    fd = os.open(os.path.join(folder, LOCK_FILE), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    try:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: a server runs, or is starting
            return None
        return _spawn_detached([sys.executable, "-P", "-c", DAEMON_CODE, folder, path0, str(fd)], keep=fd)
    finally:
        os.close(fd)  # the server holds the lock through its own copy


def _spawn_detached(argv: list[str], *, keep: int) -> int:
    """``argv`` started in a session of its own with fds 0-2 on /dev/null and no fd
    of this process but ``keep``: no terminal, pipe or socket of the caller's is held
    open by it (a reader of this command's output sees its end when this process ends)."""
    os.set_inheritable(keep, True)
    inherited = []
    fd_dir = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    for name in os.listdir(fd_dir):
        fd = int(name)
        if fd > 2 and fd != keep:
            try:
                if os.get_inheritable(fd):  # an fd the caller handed down (Python's own are close-on-exec)
                    inherited.append(fd)
            except OSError:  # the listing's own, closed since
                pass
    defaults = [getattr(signal, n) for n in ("SIGPIPE", "SIGXFSZ", "SIGINT", "SIGTERM", "SIGHUP", "SIGCHLD", "SIGTSTP",
                                             "SIGTTIN", "SIGTTOU") if hasattr(signal, n)]
    env = dict(os.environ)
    if hasattr(os, "posix_spawn"):
        actions = [(os.POSIX_SPAWN_CLOSE, fd) for fd in inherited]
        actions += [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_DUP2, 1, 2)]
        try:
            return os.posix_spawn(sys.executable, argv, env, file_actions=actions, setsid=True, setsigdef=defaults,
                                  setsigmask=())
        except NotImplementedError:  # no POSIX_SPAWN_SETSID here: fork and exec
            pass
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child execs or ends at once)
        try:
            os.setsid()
            null = os.open(os.devnull, os.O_RDWR)
            for target in (0, 1, 2):
                os.dup2(null, target)
            for fd in [*inherited, null]:
                if fd > 2:
                    os.close(fd)
            for sig in defaults:
                signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, ())
            os.execve(sys.executable, argv, env)
        finally:
            os._exit(127)
    return pid


def _to_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except OSError:
        pass


def _forward(pid: int, sig: int) -> None:
    """Ctrl-C and a closed terminal reach the child's whole group (its own pool's
    workers too), as a terminal sends them to the foreground group; SIGTERM the child."""
    try:
        if sig in (signal.SIGINT, getattr(signal, "SIGHUP", None)):
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except OSError:
        pass


def _stopped_while_starting(signum, frame) -> None:  # noqa: ARG001
    os.write(2, _STOPPED.encode("utf-8"))
    os._exit(1)


def entry() -> None:
    """The `drafter` console script."""
    starting = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if starting:  # Ctrl-C now: the plain message, never a traceback (as drafter.cli does)
        signal.signal(signal.SIGINT, _stopped_while_starting)
    if os.name == "posix":
        try:
            code = _served()
        except Exception:  # anything unexpected of the server path: the command runs here
            code = None
        if code is not None:
            os._exit(code)
        try:
            folder = auto_start_folder()
            if folder is not None:  # after the command (drafter.cli's entry runs the exit functions)
                import atexit

                atexit.register(start_after, folder, sys.path[0] if sys.path else "")
        except Exception:  # noqa: BLE001
            pass
    if starting:  # drafter.cli installs its own while it imports
        signal.signal(signal.SIGINT, signal.default_int_handler)
    from ..cli import entry as run_here

    run_here()
