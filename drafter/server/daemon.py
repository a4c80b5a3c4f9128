"""The warm command server: drafter imported once, a forked child per command.

Started by `drafter nen bat` (control.start), or by a terminal's command once it has
run (client.start_in_background, which takes the lock and hands it over as a third
argument), as its own session with ``python -P -c`` (no folder of anyone's put on
sys.path), in ``/``. It takes the lock of its folder (one server per cache folder), notes its fingerprints (before importing: a file changed while it
imports makes it stale at once), imports every drafter module and compiles the
built-in templates, then listens on ``<folder>/s`` (the folder 0700, the socket 0600;
a peer of another uid is refused by SO_PEERCRED).

A command (client.py's request: argv, cwd, environment, umask, the streams'
encodings, fds 0-2) is checked (protocol, interpreter, code: a server whose own files
changed since it started answers "stale" and stops), then forked. The child leaves
the server behind (its sockets, lock and signal handlers), takes the client's fds as
0, 1 and 2 and its own process group, says its pid, waits for the client's go, then
becomes a fresh process of the client's: folder, umask, os.environ, time zone,
locale, sys.argv and sys.path[0], sys.stdin/stdout/stderr rebuilt on the fds as
Python makes them, the state drafter's modules read from the environment when they
were imported read again (``refresh_environment``), Python's signal handlers; and
runs the console script's ``entry``. Its exit status goes to the client from the
child (just before it exits) and from the server when it reaps it (a child killed by
a signal). The server exits after ``DRAFTER_NEN_CHO`` seconds without a command
(30 minutes), on SIGTERM, or on `drafter nen tat`.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys
import time

from . import client

IDLE_ENV = "DRAFTER_NEN_CHO"
DEFAULT_IDLE_S = 30 * 60
LOCK_FILE = client.LOCK_FILE
PID_FILE = "pid.json"
LOG_FILE = "nen.log"
_SKIP = ("drafter.server", "drafter.templates", "drafter.presets")


def idle_seconds(environ=None) -> int:
    """DRAFTER_NEN_CHO: seconds without a command before the server exits (1800).

    >>> idle_seconds({"DRAFTER_NEN_CHO": "5"}), idle_seconds({})
    (5, 1800)
    """
    from ..env import env_limit

    return env_limit(IDLE_ENV, DEFAULT_IDLE_S, environ)


prepare_folder = client.own_folder  # the folder made 0700, refused when not this user's


def preload() -> int:
    """Every drafter module imported (the command line's too), the built-in templates
    compiled: what each command would otherwise do first. The number of modules."""
    import importlib
    import pkgutil

    import drafter

    importlib.import_module("drafter.cli")
    for info in pkgutil.walk_packages(drafter.__path__, "drafter."):
        if info.name.startswith(_SKIP) or info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 (an optional dependency missing: the command imports it itself)
            pass
    for name in ("platformdirs",):  # imported by the commands when they first need them
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    from .. import resources
    from ..render import engine

    for path in sorted(resources.templates_dir().glob("*.docx")):
        try:
            engine.compiled(path)
        except Exception:  # noqa: BLE001 (a broken template: the command says so itself)
            pass
    return len(sys.modules)


def warm_up() -> None:
    """A công văn made, rendered and checked once, in a folder of its own, its output
    thrown away: what a first run compiles and caches (the regular expressions of the
    YAML reader and of the rules, the YAML loader's tables) is then ready in every
    child. Only pure caches fill here; nothing a command's environment or folder
    decides is kept (refresh_environment reads that again in each child)."""
    import contextlib
    import io
    import tempfile

    cli_main = sys.modules["drafter.cli.main"]
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="drafter-nen-") as tmp:
        os.chdir(tmp)
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                for args in (["new", "cong-van", "--no-input"], ["render", "cong-van.yaml", "--force"],
                             ["check", "cong-van.docx"], ["--help"]):
                    try:
                        cli_main.main.main(args, prog_name="drafter", standalone_mode=False)
                    except (Exception, SystemExit):  # noqa: BLE001 (a warm-up only)
                        pass
        finally:
            os.chdir(here)
    try:  # the YAML reader's regular expressions for every kind of scalar (compiled on first sight)
        from ..inputs import yamlfile

        yamlfile.parse_text("a: 1\nb: 1.5\nc: 2025-01-02\nd: true\ne: null\nf: 0x1F\ng: 1_000\n"
                            "h: [x, 'y', \"z\"]\ni: |\n  t\nj: 12:30:00\nk: .inf\n", "warm-up.yaml")
    except Exception:  # noqa: BLE001
        pass


def refresh_environment() -> None:
    """What drafter's modules read from the environment when imported, read again
    from this process's (the client's) environment, as a fresh process would have.
    tests/test_server.py finds every module-level read of the environment and fails
    until it is refreshed here."""
    import tempfile

    tempfile.tempdir = None  # gettempdir() caches TMPDIR
    rich = sys.modules.get("rich")
    if rich is not None and hasattr(rich, "_console"):
        rich._console = None  # rich's global console keeps the terminal it was made for
    sandbox = sys.modules.get("drafter.sandbox")
    if sandbox is not None:
        (sandbox.MAX_STEPS, sandbox.MAX_TEXT_CHARS, sandbox.MAX_NUMBER_DIGITS), sandbox.ENV_PROBLEMS = \
            sandbox._read_limits()
        figures = sys.modules.get("drafter.figures")
        if figures is not None:
            figures.MAX_TEXT_CHARS = sandbox.MAX_TEXT_CHARS
            figures._TEXT_LIMIT = max(1, sandbox.MAX_TEXT_CHARS // figures._Env.text_share)


def _reply(conn: socket.socket, obj: dict) -> None:
    try:
        conn.sendall(client.frame(obj))
    except OSError:
        pass


def _read_request(conn: socket.socket) -> tuple[dict | None, list[int]]:
    """The request and the fds that came with it (the caller closes them)."""
    fds: list[int] = []
    data, ancillary, flags, _ = conn.recvmsg(65536, socket.CMSG_SPACE(4 * 4))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            n = len(payload) - len(payload) % 4
            fds.extend(int.from_bytes(payload[i:i + 4], sys.byteorder, signed=True) for i in range(0, n, 4))
    if flags & getattr(socket, "MSG_CTRUNC", 0) or len(data) < 4:
        return None, fds
    size = int.from_bytes(data[:4], "big")
    if size > 64 << 20:
        return None, fds
    body = bytearray(data[4:])
    while len(body) < size:
        chunk = conn.recv(min(1 << 20, size - len(body)))
        if not chunk:
            return None, fds
        body += chunk
    import marshal

    try:
        request = marshal.loads(bytes(body[:size]))
    except (ValueError, EOFError, TypeError):
        return None, fds
    return (request if isinstance(request, dict) else None), fds


def _peer_uid(conn: socket.socket) -> int | None:
    if not hasattr(socket, "SO_PEERCRED"):
        return os.getuid()  # the 0700 folder is the guard
    import struct

    _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    return uid


class Server:
    def __init__(self, folder: str, idle: int, path0: str):
        self.folder = folder
        self.path = os.path.join(folder, client.SOCKET_NAME)
        self.idle = idle
        self.path0 = path0
        self.code = client.code_fingerprint()
        self.interpreter = client.interpreter_fingerprint()
        self.children: dict[int, socket.socket] = {}
        self.spare: tuple[int, socket.socket] | None = None  # a child forked ahead, and our end of its pair
        self.orphans: set[int] = set()  # children whose client is gone
        self.suspects: dict[int, float] = {}  # children whose client's end was seen closed, and when
        self.served = 0
        self.cpu_s = 0.0
        self.started = time.time()
        self.last = time.monotonic()
        self.stopping = False
        self.lock_fd = -1
        self.inode: int | None = None  # the socket's, once listening
        self.listener: socket.socket | None = None
        self.selector: selectors.BaseSelector | None = None
        self.wake: tuple[socket.socket, socket.socket] | None = None

    # -- life
    def lock(self, inherited: int | None = None) -> bool:
        """The folder's lock taken, or the one the starting client took and handed
        down (``inherited``: its fd, checked to be the folder's lock file)."""
        import fcntl

        path = os.path.join(self.folder, LOCK_FILE)
        if inherited is not None:
            try:
                held, named = os.fstat(inherited), os.stat(path)
            except OSError:
                return False
            if (held.st_dev, held.st_ino) != (named.st_dev, named.st_ino):
                return False
            os.set_inheritable(inherited, False)
            self.lock_fd = inherited
        else:
            self.lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.lock_fd)
            self.lock_fd = -1
            return False
        return True

    def listen(self) -> None:
        try:
            os.unlink(self.path)  # a server killed without cleaning up (we hold the lock)
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(self.path)
        finally:
            os.umask(old)
        listener.listen(64)
        listener.setblocking(False)
        self.listener = listener
        self.inode = os.stat(self.path).st_ino
        info = {"pid": os.getpid(), "started": self.started, "idle_s": self.idle, "socket": self.path}
        tmp = os.path.join(self.folder, f".{PID_FILE}.{os.getpid()}")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(info, f)
        os.replace(tmp, os.path.join(self.folder, PID_FILE))

    def close(self) -> None:
        try:
            if os.stat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        except OSError:
            pass
        try:
            with open(os.path.join(self.folder, PID_FILE), encoding="utf-8") as f:
                if json.load(f).get("pid") == os.getpid():
                    os.unlink(os.path.join(self.folder, PID_FILE))
        except (OSError, ValueError):
            pass
        if self.listener is not None:
            self.listener.close()
        if self.spare is not None:  # the spare child reads the end of its pair and exits
            self.spare[1].close()
            self.spare = None
        if self.lock_fd >= 0:
            os.close(self.lock_fd)

    def _stop(self, signum, frame) -> None:  # noqa: ARG002
        self.stopping = True

    def serve(self) -> None:
        assert self.listener is not None
        self.selector = selectors.DefaultSelector()
        self.wake = socket.socketpair()
        for s in self.wake:
            s.setblocking(False)
        signal.set_wakeup_fd(self.wake[1].fileno(), warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, self._stop)
        self.last = time.monotonic()  # idle from now, not from before the imports
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.selector.register(self.wake[0], selectors.EVENT_READ)
        self.make_spare()
        while not self.stopping:
            timeout = 1.0  # while commands run: a look each second at whether their clients are still there
            if not self.children:
                timeout = self.last + self.idle - time.monotonic()
                if timeout <= 0:
                    break
            for key, _ in self.selector.select(timeout):
                if key.fileobj is self.listener:
                    self._accept()
                else:
                    try:
                        while self.wake[0].recv(512):
                            pass
                    except OSError:
                        pass
            self._reap()
            self._watch_clients()
            self.make_spare()
        # Stopping: the commands running finish on their own and report to their clients.

    def _reap(self) -> None:
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            self.cpu_s += usage.ru_utime + usage.ru_stime  # the commands' CPU time (bench_startup --nen)
            if self.spare is not None and self.spare[0] == pid:  # the spare died: another is made
                self.spare[1].close()
                self.spare = None
            conn = self.children.pop(pid, None)
            self.orphans.discard(pid)
            self.suspects.pop(pid, None)
            self.last = time.monotonic()
            if conn is None:
                continue
            if os.WIFSIGNALED(status):
                _reply(conn, {"signal": os.WTERMSIG(status)})
            else:
                _reply(conn, {"exit": os.waitstatus_to_exitcode(status)})
            conn.close()

    def _watch_clients(self) -> None:
        """A client gone (killed -9, its terminal closed) while its command runs: the
        command is stopped (SIGTERM to its group), as it would have died with it."""
        for pid, conn in list(self.children.items()):
            if pid in self.orphans:
                continue
            try:
                gone = conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
            except (BlockingIOError, InterruptedError):
                continue  # there, and quiet
            except OSError:
                gone = True
            if gone and pid not in self.suspects:
                # Seen once: a command that has just reported its end closes this way too
                # (its client exits at once); one still here a second later has lost its client.
                self.suspects[pid] = time.monotonic()
            elif gone and time.monotonic() - self.suspects[pid] >= 0.5:
                self.orphans.add(pid)
                try:  # not reaped yet: the pid (and its group) are still this child's
                    os.killpg(pid, signal.SIGTERM)
                except OSError:
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except OSError:
                        pass

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        fds: list[int] = []
        try:
            conn.setblocking(True)
            conn.settimeout(5)
            if _peer_uid(conn) != os.getuid():
                conn.close()
                return
            request, fds = _read_request(conn)
            self.last = time.monotonic()
            if request is None or request.get("protocol") != client.PROTOCOL:
                _reply(conn, {"refused": "protocol"})
            elif request.get("op") == "status":
                _reply(conn, self.status(request))
            elif request.get("op") == "stop":
                _reply(conn, {"stopping": True, "pid": os.getpid()})
                self.stopping = True
            elif request.get("op") == "run":
                refused = self._refusal(request, fds)
                if refused:
                    _reply(conn, {"refused": refused})
                else:
                    conn.settimeout(None)
                    self._fork(conn, fds, request)
                    return  # the connection stays open for the exit status
            else:
                _reply(conn, {"refused": "protocol"})
        except (OSError, ValueError, TypeError):
            pass
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        conn.close()

    def fresh(self) -> bool:
        return client.code_fingerprint() == self.code

    def status(self, request: dict) -> dict:
        return {"running": True, "pid": os.getpid(), "started": self.started, "idle_s": self.idle,
                "idle_for_s": round(time.monotonic() - self.last, 1), "served": self.served, "cpu_s": round(self.cpu_s, 4),
                "own_cpu_s": round(os.times().user + os.times().system, 4),
                "running_commands": len(self.children), "socket": self.path,
                "fresh": request.get("code") == self.code and self.fresh(),
                "same_interpreter": request.get("interpreter") == self.interpreter}

    def _refusal(self, request: dict, fds: list[int]) -> str | None:
        if len(fds) != 3:
            return "protocol"
        if request.get("interpreter") != self.interpreter:
            return "interpreter"
        if request.get("code") != self.code:
            if not self.fresh():  # our own files changed: no use any more
                self.stopping = True
                return "stale"
            return "code"
        return None

    def _fork(self, conn: socket.socket, fds: list[int], request: dict) -> None:
        """The command to the spare child (forked in advance: no fork on the command's
        path), or to a child forked now when there is none."""
        pid = self._hand_to_spare(conn, fds, request)
        if pid is None:
            pid = os.fork()
            if pid == 0:
                self._leave_server()
                self._child(conn, fds, request)  # never returns
        self.served += 1
        self.children[pid] = conn
        for fd in fds:
            os.close(fd)
        fds.clear()

    def make_spare(self) -> None:
        """A child forked ahead of the next command, waiting for it on a socket pair."""
        if self.spare is not None or self.stopping:
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            self._leave_server()
            try:
                data, ancillary, flags, _ = theirs.recvmsg(256 << 10, socket.CMSG_SPACE(4 * 4))
                got = [int.from_bytes(p[i:i + 4], sys.byteorder, signed=True)
                       for level, kind, p in ancillary if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS
                       for i in range(0, len(p) - len(p) % 4, 4)]
                if not data or len(got) != 4:
                    os._exit(0)  # the server is gone (or stopped): no command will come
                while not data.endswith(b"\n"):
                    more = theirs.recv(1 << 20)
                    if not more:
                        os._exit(0)
                    data += more
                theirs.close()
                request = json.loads(data)
                conn = socket.socket(fileno=got[0])
            except BaseException:  # noqa: BLE001
                os._exit(0)
            self._child(conn, got[1:], request)  # never returns
        theirs.close()
        self.spare = (pid, ours)

    def _hand_to_spare(self, conn: socket.socket, fds: list[int], request: dict) -> int | None:
        if self.spare is None:
            return None
        pid, ours = self.spare
        self.spare = None
        try:
            import array

            data = json.dumps(request, ensure_ascii=True).encode("ascii") + b"\n"
            sent = ours.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                          array.array("i", [conn.fileno(), *fds]))])
            if sent < len(data):
                ours.sendall(data[sent:])
        except OSError:  # the spare died: it is reaped as any child
            pid = None
        ours.close()
        return pid

    def _leave_server(self) -> None:
        """In a child: the server's sockets, lock and signal handlers left behind."""
        from ..cli import _stopped_while_starting

        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, _stopped_while_starting)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        self.selector.close()
        for s in (self.listener, *self.wake, *self.children.values()):
            s.close()
        if self.spare is not None:
            self.spare[1].close()
        os.close(self.lock_fd)

    def _child(self, conn: socket.socket, fds: list[int], request: dict) -> None:
        code = 1
        try:
            self._become(conn, fds, request)  # runs the command; never returns
        except BaseException:  # noqa: BLE001
            _reply(conn, {"refused": "setup"})  # nothing of the command ran: the client runs it
        os._exit(code)

    # -- the child
    def _become(self, conn: socket.socket, fds: list[int], request: dict) -> None:
        os.setpgid(0, 0)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        me = os.getpid()
        _reply(conn, {"pid": me})
        if conn.recv(1) != b"g":  # the client gave up: run nothing
            os._exit(0)
        self._as_client(request)
        cli_main = sys.modules["drafter.cli.main"]  # (drafter.cli's own `main` is the click group)

        real_exit = os._exit

        def report_and_exit(code: int) -> None:
            if os.getpid() == me:  # not a worker forked by the command (their exits are theirs)
                _reply(conn, {"exit": code})
            real_exit(code)

        os._exit = report_and_exit
        try:
            cli_main.entry()
        except BaseException:  # noqa: BLE001 (as the interpreter ends on an uncaught exception)
            import traceback

            traceback.print_exc()
            try:
                sys.stderr.flush()
            except Exception:  # noqa: BLE001
                pass
            report_and_exit(1)
        report_and_exit(0)

    def _as_client(self, request: dict) -> None:
        import io
        import locale

        import resource

        for name, wanted in (request.get("limits") or {}).items():  # the client's ulimits (lowering is allowed;
            which = getattr(resource, name, None)                   # one above ours: refused, it runs alone)
            if which is not None and list(resource.getrlimit(which)) != list(wanted):
                resource.setrlimit(which, (int(wanted[0]), int(wanted[1])))
        nice = request.get("nice")
        if isinstance(nice, int) and nice != os.getpriority(os.PRIO_PROCESS, 0):
            os.setpriority(os.PRIO_PROCESS, 0, nice)  # `nice drafter …`
        os.chdir(request["cwd"])
        os.umask(int(request["umask"]))
        env = {str(k): str(v) for k, v in request["env"].items()}
        for key in [k for k in os.environ if k not in env]:  # only what differs: the rest is already so
            del os.environ[key]
        for key, value in env.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        time.tzset()
        try:
            locale.setlocale(locale.LC_CTYPE, "")  # as Python does at start
        except locale.Error:
            pass
        sys.argv[:] = [str(a) for a in request["argv"]]
        path0 = request.get("path0")
        if isinstance(path0, str) and sys.path:
            sys.path[0] = path0
        streams = []
        for fd, info, name in zip((0, 1, 2), request["stdio"], ("<stdin>", "<stdout>", "<stderr>")):
            encoding, errors, line_buffering, write_through, unbuffered = (
                list(info or []) + [None, None, False, False, False][len(info or []):])[:5]
            raw = io.FileIO(fd, "rb" if fd == 0 else "wb", closefd=False)
            raw.name = name
            if unbuffered:  # as Python makes them under -u (PYTHONUNBUFFERED)
                buffered = raw
            else:
                buffered = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
            text = io.TextIOWrapper(buffered, encoding=encoding or "utf-8", errors=errors or "strict",
                                    newline="\n", line_buffering=bool(line_buffering),
                                    write_through=bool(write_through))
            text.mode = "r" if fd == 0 else "w"
            streams.append(text)
        sys.stdin = sys.__stdin__ = streams[0]
        sys.stdout = sys.__stdout__ = streams[1]
        sys.stderr = sys.__stderr__ = streams[2]
        refresh_environment()


def main(argv: list[str] | None = None) -> int:
    """``python -P -c 'from drafter.server.daemon import main; main()' FOLDER SCRIPT_DIR [LOCK_FD]``

    LOCK_FD: the folder's lock, taken by the client that started this server on its
    own (client.start_in_background). Such a start that fails before serving leaves
    the file ``failed``: terminals' commands start none again for a while."""
    args = sys.argv[1:] if argv is None else argv
    folder, path0 = os.path.abspath(args[0]), args[1] if len(args) > 1 else os.path.dirname(sys.executable)
    inherited = int(args[2]) if len(args) > 2 else None
    try:
        code = _run(folder, path0, inherited)
    except BaseException:
        if inherited is not None:
            _note_failure(folder)
        raise
    if inherited is not None and code not in (0, 3):
        _note_failure(folder)
    return code


def _note_failure(folder: str) -> None:
    try:
        with open(os.path.join(folder, client.FAILED_FILE), "w", encoding="utf-8") as f:
            f.write(f"{time.time():.0f}\n")
    except OSError:
        pass


def _run(folder: str, path0: str, inherited: int | None) -> int:
    try:
        os.chdir("/")  # no folder of the caller's kept busy
    except OSError:
        pass
    sys.path.insert(0, path0)  # the console script's folder, first on its sys.path
    prepare_folder(folder)
    try:
        idle = idle_seconds()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    server = Server(folder, idle, path0)
    if not server.lock(inherited):
        print("Máy chủ nền đã chạy (thư mục đang bị khóa).", file=sys.stderr)
        return 3
    try:
        preload()
        warm_up()
        import gc

        gc.collect()
        gc.freeze()  # what the server made stays put: a child's collections do not walk (and copy) it
        if client.is_off(folder):  # `drafter nen tat` while this server was starting
            return 0
        server.code = server.code if server.fresh() else ""  # a file changed while importing: stale
        server.listen()
        server.serve()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
