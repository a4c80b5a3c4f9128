"""The warm server started by a terminal's command (drafter/server/client.py, chg's
way): a `drafter` command typed in a terminal (stdin and stdout TTYs: a pty here)
that no server answered runs in its own process, as before, and then starts the
server detached, so the next command is served. Never without a terminal, with
DRAFTER_NEN=0 or after `drafter nen tat` (until `drafter nen bat`); never two servers;
the command's exit code and output unchanged; a stale server replaced.

Each test has its own cache folder (test_server.Desk; one copy of drafter for the
module, its bytecode kept), and stops its server at the end.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_server import Desk

pytestmark = pytest.mark.skipif(os.name != "posix" or not hasattr(os, "fork") or not Path("/proc/self/fd").is_dir(),
                                reason="Unix sockets, fork and /proc")

HELD_AFTER_EXIT_S = 5  # a terminal or pipe still open this long after the command ended: held by the server


class Term:
    """A command in a terminal of its own (a pty: stdin, stdout and, unless given,
    stderr), read to its end: the terminal's end comes when no process holds it."""

    def __init__(self, desk: Desk, *args: str, side: str = "served", env: dict | None = None,
                 stdin=None, stdout=None, stderr=None, prefix: tuple = ()):
        e = dict(desk.env, **(env or {}))
        if side == "alone":
            e["DRAFTER_NEN"] = "0"
        self.master, slave = pty.openpty()
        self.tty = os.ttyname(slave)
        self.proc = subprocess.Popen([*prefix, desk.script, *args], cwd=desk.tmp / side, env=e,
                                     stdin=slave if stdin is None else stdin,
                                     stdout=slave if stdout is None else stdout,
                                     stderr=slave if stderr is None else stderr, start_new_session=True)
        os.close(slave)

    def finish(self) -> tuple[int, bytes, bytes]:
        """The exit code, what the terminal showed (\\r\\n as a terminal has it) and
        what came through a stderr pipe, each read to its end; fails when the terminal
        or a pipe stays open after the command has ended (someone else holds it)."""
        reading = {self.master: "the terminal"}
        for name in ("stdout", "stderr"):
            if getattr(self.proc, name) is not None:
                reading[getattr(self.proc, name).fileno()] = f"its {name} pipe"
        got = {fd: b"" for fd in reading}
        ended = None
        deadline = time.monotonic() + 120
        try:
            while reading:
                if ended is None and self.proc.poll() is not None:
                    ended = time.monotonic()
                if ended is not None and time.monotonic() - ended > HELD_AFTER_EXIT_S:
                    pytest.fail(f"{', '.join(reading.values())} still open {HELD_AFTER_EXIT_S} s after the command ended")
                assert time.monotonic() < deadline, "the command did not end"
                for fd in select.select(list(reading), [], [], 0.1)[0]:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:  # EIO: the pty's last holder closed it
                        chunk = b""
                    if chunk:
                        got[fd] += chunk
                    else:
                        del reading[fd]
        finally:
            os.close(self.master)
        piped = got[self.proc.stderr.fileno()] if self.proc.stderr is not None else b""
        return self.proc.wait(timeout=10), got[self.master], piped


def terminal(desk: Desk, *args: str, **kw) -> tuple[int, bytes]:
    return Term(desk, *args, **kw).finish()[:2]


def daemons(desk: Desk) -> list[int]:
    """The servers of this desk's folder (their command line names it)."""
    folder = str(desk.tmp / "cache" / "nen").encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if b"drafter.server.daemon" in cmdline and folder in cmdline.split(b"\0") and fields[0] != "Z":
                found[int(entry.name)] = int(fields[1])
    return sorted(pid for pid, parent in found.items() if parent not in found)  # not a server's own child


def lock_free(desk: Desk) -> bool:
    """No server holds (or is starting with) the folder's lock."""
    import fcntl

    path = desk.tmp / "cache" / "nen" / "lock"
    if not path.exists():
        return True
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def no_server_started(desk: Desk) -> bool:
    # The client spawns the server before it exits and hands it the lock: a server
    # started by the command holds it already when the command has ended.
    return lock_free(desk) and not daemons(desk)


def wait_running(desk: Desk, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = desk.status()
        if st.get("running"):
            return st
        time.sleep(0.05)
    pytest.fail("the server started by the command never answered (nen.log: "
                f"{(desk.tmp / 'cache' / 'nen' / 'nen.log').read_text() if (desk.tmp / 'cache' / 'nen' / 'nen.log').exists() else '-'})")


def wait_gone(pid: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except OSError:
            return
        time.sleep(0.02)
    assert not Path(f"/proc/{pid}").exists()


def detached(pid: int, tty: str) -> None:
    """The server: a session of its own without a terminal, fds 0-2 on /dev/null, no
    fd on the command's terminal or a pipe."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    assert int(fields[3]) == pid and int(fields[4]) == 0, fields[:5]  # session leader, no controlling terminal
    targets = {}
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets[int(fd.name)] = os.readlink(fd)
        except OSError:
            pass
    assert [targets.get(n) for n in (0, 1, 2)] == ["/dev/null"] * 3, targets
    assert not [t for t in targets.values() if t == tty or t.startswith(("pipe:", "/dev/pts/", "/dev/tty"))], targets


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """One copy of drafter for the module's desks, compiled once (its bytecode kept)."""
    base = tmp_path_factory.mktemp("nen-src")
    d = Desk(base)
    pycache = base / "pyc"
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(d.src / "drafter")], check=True,
                   env={**d.env, "PYTHONPYCACHEPREFIX": str(pycache)}, capture_output=True)
    return d.src, pycache


@pytest.fixture
def desk(tmp_path, source):
    d = Desk(tmp_path, *source)
    yield d
    d.stop()  # `nen tat`: the server stopped, whichever started it
    for pid in daemons(d):  # one still starting (it would see `off` and end)
        os.kill(pid, signal.SIGTERM)


def test_a_terminals_command_starts_the_server_and_the_next_is_served(desk):
    alone = Term(desk, "render", "cv.yaml", "--force", side="alone", stderr=subprocess.PIPE).finish()
    assert alone[0] == 0 and "cv.docx" in alone[1].decode()
    assert no_server_started(desk)  # DRAFTER_NEN=0

    # Three commands ending about together: one server, whichever started it.
    helps = [Term(desk, "--help") for _ in range(3)]
    for t in helps:
        code, shown, _ = t.finish()
        assert code == 0 and "Cách dùng" in shown.decode()
    servers = daemons(desk)
    assert len(servers) == 1, servers
    detached(servers[0], helps[0].tty)
    os.kill(servers[0], signal.SIGTERM)  # (still starting: it ends at once)
    wait_gone(servers[0])

    # A render in a terminal, its stderr read through a pipe: its own exit code and
    # output, the terminal's and the pipe's end as soon as it ends (Term.finish), and
    # the server started after it.
    first = Term(desk, "render", "cv.yaml", "--force", stderr=subprocess.PIPE)
    assert first.finish() == alone
    assert (desk.tmp / "served" / "cv.docx").read_bytes() == (desk.tmp / "alone" / "cv.docx").read_bytes()
    servers = daemons(desk)
    assert len(servers) == 1, servers
    detached(servers[0], first.tty)

    st = wait_running(desk)
    assert st["pid"] == servers[0] and st["served"] == 0
    assert (desk.tmp / "cache" / "nen").stat().st_mode & 0o777 == 0o700
    served = terminal(desk, "check", "cv.docx")  # the second command of the session: served warm
    assert desk.status()["served"] == 1
    assert served == terminal(desk, "check", "cv.docx", side="alone")
    assert served[0] == 0 and "không thấy sai sót" in served[1].decode()
    assert daemons(desk) == servers

    # `drafter nen tat`: stopped, and not started again by a terminal's command.
    done = desk.run("nen", "tat")
    assert done.returncode == 0 and f"pid {servers[0]}" in done.stdout.decode()
    assert "không tự bật lại" in done.stdout.decode() and (desk.tmp / "cache" / "nen" / "off").exists()
    wait_gone(servers[0])
    assert terminal(desk, "check", "cv.docx") == served
    assert no_server_started(desk)
    done = desk.run("nen")
    assert "đã được tắt bằng drafter nen tat" in done.stdout.decode() and "drafter nen bat" in done.stdout.decode()


def test_no_terminal_no_server(desk):
    done = desk.run("--help")  # a script's command: pipes
    assert done.returncode == 0
    assert no_server_started(desk)
    for kw in ({"stdout": subprocess.PIPE},  # stdin a terminal, stdout a pipe (drafter … | less)
               {"stdin": subprocess.DEVNULL},  # stdout a terminal, stdin not (cron with a terminal's output, < file)
               {"env": {"DRAFTER_NEN": "0"}},  # the test suite's setting
               {"env": {"DRAFTER_CACHE_DIR": ""}},  # no cache folder: no server
               {"prefix": ("nice", "-n", "5")}):  # a server that low could not serve the shell's later commands
        code, _, _ = Term(desk, "--help", **kw).finish()
        assert code == 0, kw
        assert no_server_started(desk), kw
    # A server that cannot start (here a bad DRAFTER_NEN_CHO): the command as ever,
    # and no other start tried for a while (the file `failed`).
    assert terminal(desk, "--help", env={"DRAFTER_NEN_CHO": "nửa giờ"})[0] == 0
    failed = desk.tmp / "cache" / "nen" / "failed"
    deadline = time.monotonic() + 30
    while not failed.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert failed.exists()
    for pid in daemons(desk):  # the failed one, ending
        wait_gone(pid)
    assert terminal(desk, "--help")[0] == 0
    assert no_server_started(desk)
    code, shown = terminal(desk, "nen")  # drafter nen's own commands never start it
    assert code == 0 and "không chạy" in shown.decode() and "tự bật sau lệnh drafter kế tiếp" in shown.decode()
    assert no_server_started(desk)


def test_on_again_after_nen_bat_and_a_stale_server_replaced(desk):
    done = desk.run("nen", "tat")  # no server: still recorded
    assert done.returncode == 0 and "không chạy" in done.stdout.decode() and "không tự bật lại" in done.stdout.decode()
    off = desk.tmp / "cache" / "nen" / "off"
    assert off.exists() and desk.nen_json()["off"] is True
    assert terminal(desk, "--help")[0] == 0
    assert no_server_started(desk)

    st = desk.start()  # `nen bat`: on again
    old = st["pid"]
    assert not off.exists() and st["off"] is False

    # drafter updated under the running server: it refuses (stale) and ends, the
    # command runs here (a failing one: its exit code and messages as alone), then
    # starts a fresh server.
    errors = desk.src / "drafter" / "errors.py"
    os.utime(errors, ns=(time.time_ns(), time.time_ns()))
    alone = Term(desk, "render", "hong.yaml", side="alone", stderr=subprocess.PIPE).finish()
    got = Term(desk, "render", "hong.yaml", stderr=subprocess.PIPE).finish()
    assert got == alone and got[0] == 1 and "hong.yaml" in got[2].decode() and "Traceback" not in got[2].decode()
    wait_gone(old)
    servers = daemons(desk)
    assert len(servers) == 1 and servers[0] != old
    st = wait_running(desk)
    assert st["pid"] == servers[0] and st["served"] == 0
    now = desk.nen_json()  # asked with this copy's fingerprints
    assert now["fresh"] and now["same_interpreter"] and not now["off"]
    assert terminal(desk, "render", "cv.yaml", "--force")[0] == 0
    assert desk.status()["served"] == 1
