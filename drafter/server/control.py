"""Starting, stopping and asking about the warm server (`drafter nen bat|tat`, `drafter nen`).

`drafter nen tat` also turns the automatic start off (client.OFF_FILE in the server's
folder: a terminal's command no longer starts the server after it has run) until
`drafter nen bat`, which removes it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from ..errors import DrafterError, Problem
from . import client, daemon

START_WAIT_S = 120  # a loaded machine imports slowly


class NenError(DrafterError):
    """The server cannot be started here (no cache folder, a path too long, a bad DRAFTER_NEN_CHO)."""


def _folder() -> str:
    folder = client.socket_folder()
    if folder is None:
        raise NenError(Problem(
            "Không bật được máy chủ nền: không có thư mục đệm (DRAFTER_CACHE_DIR để trống, hoặc hệ điều hành "
            "không hỗ trợ).", key="DRAFTER_CACHE_DIR"))
    if len(os.path.join(folder, client.SOCKET_NAME).encode("utf-8", "surrogateescape")) > 100:
        raise NenError(Problem(
            f"Không bật được máy chủ nền: đường dẫn thư mục đệm {folder} quá dài cho một ổ cắm Unix "
            "(tối đa khoảng 100 byte). Đặt DRAFTER_CACHE_DIR sang thư mục có đường dẫn ngắn hơn.",
            key="DRAFTER_CACHE_DIR"))
    return folder


def status() -> dict:
    """The server's own account ({"running": True, pid, served, fresh…}), or {"running": False},
    with ``off``: whether `drafter nen tat` turned the automatic start off."""
    folder = client.socket_folder()
    off = folder is not None and client.is_off(folder)
    reply = client.ask({"op": "status", "code": client.code_fingerprint(),
                        "interpreter": client.interpreter_fingerprint()})
    if not reply or not reply.get("running"):
        return {"running": False, "socket": client.socket_path(), "off": off}
    return {**reply, "off": off}


def _remove(folder: str, name: str) -> None:
    try:
        os.unlink(os.path.join(folder, name))
    except FileNotFoundError:
        pass


def _script_dir() -> str:
    """The folder of the `drafter` console script (its sys.path[0]): where this
    process's script is when it is drafter's, else the one beside the interpreter."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0).startswith("drafter") and os.path.isfile(argv0):
        return os.path.dirname(os.path.realpath(argv0)) if not os.path.islink(argv0) else os.path.dirname(
            os.path.abspath(argv0))
    found = shutil.which("drafter", path=os.path.dirname(sys.executable))
    return os.path.dirname(found) if found else os.path.dirname(sys.executable)


def start() -> dict:
    """The server started (or the one running, when it is up to date): its status,
    with ``already`` and the seconds it took to be ready."""
    folder = _folder()
    try:
        daemon.idle_seconds()
    except ValueError as exc:
        raise NenError(Problem(str(exc), key=daemon.IDLE_ENV)) from None
    for name in (client.OFF_FILE, client.FAILED_FILE):  # started automatically again from now on
        try:
            _remove(folder, name)
        except OSError:
            pass
    now = status()
    if now["running"] and now.get("fresh") and now.get("same_interpreter"):
        return {**now, "already": True}
    if now["running"]:  # an older drafter, or another interpreter: replaced
        stop()
    try:
        daemon.prepare_folder(folder)
    except OSError:
        raise NenError(Problem(f"Không bật được máy chủ nền: thư mục {folder} không phải của người dùng này "
                               "hoặc không tạo được.", key="DRAFTER_CACHE_DIR")) from None
    began = time.monotonic()
    log_path = os.path.join(folder, daemon.LOG_FILE)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-P", "-c", client.DAEMON_CODE, folder, _script_dir()],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd="/", start_new_session=True, close_fds=True)
    deadline = began + START_WAIT_S
    while time.monotonic() < deadline:
        now = status()
        if now["running"]:
            return {**now, "already": False, "ready_after_s": round(time.monotonic() - began, 2)}
        if proc.poll() is not None and proc.returncode != 3:  # 3: the lock held, by a server starting
            break                                               # on its own (a terminal's command): waited for
        time.sleep(0.05)
    if proc.poll() is None:
        proc.terminate()
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            tail = f.read()[-600:].strip()
    except OSError:
        tail = ""
    raise NenError(Problem("Không bật được máy chủ nền." + (f" Nhật ký ({log_path}): {tail}" if tail else "")))


def turn_off() -> dict:
    """`drafter nen tat`: the automatic start turned off (the file ``off``), then the
    server stopped (a server still starting sees the file and does not serve)."""
    folder = client.socket_folder()
    off = False
    if folder is not None:
        try:
            daemon.prepare_folder(folder)
            with open(os.path.join(folder, client.OFF_FILE), "w", encoding="utf-8") as f:
                f.write("drafter nen tat: máy chủ nền không tự bật lại cho đến khi chạy drafter nen bat\n")
            off = True
        except OSError:
            pass
    return {**stop(), "off": off}


def stop() -> dict:
    """The server asked to stop ({"stopped": True, "pid"}), or {"stopped": False} when none ran."""
    reply = client.ask({"op": "stop"})
    pid = reply.get("pid") if reply else None
    if pid is None:
        pid = _pid_from_file()
        if pid is None:
            return {"stopped": False}
        try:
            os.kill(pid, 15)
        except OSError:
            return {"stopped": False}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.02)
    return {"stopped": True, "pid": pid}


def _pid_from_file() -> int | None:
    """The pid of a server that no longer answers, when it is still a drafter server of ours."""
    folder = client.socket_folder()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, daemon.PID_FILE), encoding="utf-8") as f:
            pid = int(json.load(f)["pid"])
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"drafter.server.daemon" not in f.read():
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie of ours (not reaped yet) counts as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
