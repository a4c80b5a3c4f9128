"""The warm command server (`drafter nen`, drafter/server/): a command through it is the
command run on its own — the same stdout, stderr, exit code and output bytes — and
anything off about the server (stale, killed, idle, refused) runs the command in the
client's own process.

The server of these tests has its own socket folder (its own DRAFTER_CACHE_DIR) and
runs a copy of the package taken when the module starts (PYTHONPATH): the server
rightly refuses once drafter's files change, and a developer's tree may change while
the suite runs. The console script is the installed one's text, pointed at
drafter.server.client (pyproject's [project.scripts]).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_batch import DRAFT, ROWS, write_csv

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "000-cong-van-ha-tinh.yaml"
posix_only = pytest.mark.skipif(os.name != "posix" or not hasattr(os, "fork"), reason="Unix sockets and fork")
pytestmark = posix_only

BAD_DRAFT = """\
loai: cong-van
dung: [ubnd-tinh-ha-tinh]
so: 12
ngay: 2026-02-30
trich_yeu: về việc thử
noi_dung: Nội dung.
noi_nhan: [Như trên]
"""


class Desk:
    """A copy of drafter, a console script, a server folder, and two identical work
    folders: one for commands through the server, one for the same commands run alone."""

    def __init__(self, tmp: Path, src: Path | None = None, pycache: Path | None = None):
        """``src``: a copy made before (shared by several desks); ``pycache``: its
        bytecode written there and read again (PYTHONPYCACHEPREFIX), not compiled anew
        by every process."""
        self.tmp = tmp
        if src is None:
            src = tmp / "src"
            for name in ("drafter", "templates", "presets"):
                shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        self.src = src
        script = tmp / "bin" / "drafter"
        script.parent.mkdir(exist_ok=True)
        script.write_text(f"#!{sys.executable}\nimport sys\nfrom drafter.server.client import entry\n"
                          "if __name__ == '__main__':\n    sys.exit(entry())\n", encoding="utf-8")
        script.chmod(0o755)
        self.script = str(script)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DRAFTER_NEN", "DRAFTER_NEN_CHO", "PYTHONPATH") and not k.startswith("DRAFTER_MAX")}
        self.env.update(PYTHONPATH=str(src), DRAFTER_CACHE_DIR=str(tmp / "cache"), DRAFTER_USER_DIR=str(tmp / "user"),
                        DRAFTER_SO_DANG_KY=str(tmp / "so.sqlite3"))
        if pycache is not None:
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(pycache)
        for side in ("served", "alone"):
            (tmp / side).mkdir()
            shutil.copy(SAMPLE, tmp / side / "cv.yaml")
            (tmp / side / "hong.yaml").write_text(BAD_DRAFT, encoding="utf-8")

    def run(self, *args: str, side: str = "served", env: dict | None = None, **kw) -> subprocess.CompletedProcess:
        e = dict(self.env, **(env or {}))
        if side == "alone":
            e["DRAFTER_NEN"] = "0"
        return subprocess.run([self.script, *args], cwd=self.tmp / side, env=e, capture_output=True, timeout=120, **kw)

    def status(self) -> dict:
        """The server's own account, asked directly (a `drafter nen --json` is a whole process)."""
        from drafter.server import client

        return client.ask({"op": "status"}, self.env) or {"running": False}

    def nen_json(self) -> dict:
        done = self.run("nen", "--json")
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)

    def start(self, **env) -> dict:
        done = self.run("nen", "bat", "--json", env=env)
        assert done.returncode == 0, done.stderr.decode()
        st = json.loads(done.stdout)
        assert st["running"] and st["fresh"], st
        return st

    def stop(self) -> None:
        self.run("nen", "tat")


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    d = Desk(tmp_path_factory.mktemp("nen"))
    d.start()
    yield d
    d.stop()


def _same(desk: Desk, *args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """The command through the server and alone: the same stdout, stderr and exit code."""
    before = desk.status()["served"]
    served = desk.run(*args, env=env, **kw)
    assert desk.status()["served"] == before + 1, "the command did not go through the server"
    alone = desk.run(*args, side="alone", env=env, **kw)
    assert (served.returncode, served.stdout.decode(), served.stderr.decode()) == (
        alone.returncode, alone.stdout.decode(), alone.stderr.decode())
    return served


def test_render_check_and_failures_are_the_same_through_the_server(desk):
    st = desk.nen_json()
    assert st["running"] and st["fresh"] and st["same_interpreter"] and st["idle_s"] == 1800
    folder = Path(st["socket"]).parent
    assert folder == desk.tmp / "cache" / "nen"
    assert folder.stat().st_mode & 0o777 == 0o700 and Path(st["socket"]).stat().st_mode & 0o077 == 0

    r = _same(desk, "render", "cv.yaml", "-o", "cv.docx", "--force")
    assert r.returncode == 0 and "cv.docx" in r.stdout.decode()
    assert (desk.tmp / "served" / "cv.docx").read_bytes() == (desk.tmp / "alone" / "cv.docx").read_bytes()

    r = _same(desk, "check", "cv.docx")
    assert r.returncode == 0 and "không thấy sai sót" in r.stdout.decode()
    r = _same(desk, "check", "cv.docx", "--json")
    assert json.loads(r.stdout)

    r = _same(desk, "render", "hong.yaml")  # a bad draft: the Vietnamese problems, exit 1
    assert r.returncode == 1 and "hong.yaml" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
    assert not (desk.tmp / "served" / "hong.docx").exists()

    r = _same(desk, "--help")
    assert r.returncode == 0 and "Cách dùng" in r.stdout.decode()
    r = _same(desk, "render", "--khong-co")  # an unknown option: click's words in Vietnamese, exit 2
    assert r.returncode == 2 and "khong-co" in r.stderr.decode()


def test_the_child_has_the_clients_environment_folder_and_stdin(desk):
    # A limit drafter reads when its module is imported (drafter/sandbox.py), set only
    # in the client: the child reads it again (daemon.refresh_environment).
    r = _same(desk, "render", "cv.yaml", "-o", "x.docx", env={"DRAFTER_MAX_TEMPLATE_STEPS": "nhiều"})
    assert r.returncode == 1 and "DRAFTER_MAX_TEMPLATE_STEPS" in r.stderr.decode()
    r = _same(desk, "render", "cv.yaml", "-o", "x.docx", "--force", env={"DRAFTER_MAX_YAML_KB": "1"})
    assert r.returncode == 1 and "DRAFTER_MAX_YAML_KB" in r.stderr.decode()
    # The client's folder (a relative path), umask and standard input.
    (desk.tmp / "served" / "con").mkdir(exist_ok=True)
    shutil.copy(SAMPLE, desk.tmp / "served" / "con" / "cv.yaml")
    done = subprocess.run(["sh", "-c", f"umask 077 && cd con && exec {desk.script} render cv.yaml -o ra.docx --force"],
                          cwd=desk.tmp / "served", env=desk.env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (desk.tmp / "served" / "con" / "ra.docx").stat().st_mode & 0o777 == 0o600
    r = _same(desk, "new", "cong-van", "-o", "hoi", input="V/v thử\n\n".encode() * 5)  # stdin: not a terminal, no question
    assert r.returncode == 0 and (desk.tmp / "served" / "hoi.docx").read_bytes() == (
        desk.tmp / "alone" / "hoi.docx").read_bytes()


def test_ctrl_c_stops_a_batch_through_the_server_as_without(desk):
    folder = desk.tmp / "served"
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    write_csv(folder / "data.csv", [dict(ROWS[0], ma=f"{i:04d}", so=str(i + 1)) for i in range(3000)])
    out = folder / "ra-lo"
    before = desk.status()["served"]
    proc = subprocess.Popen([desk.script, "batch", "draft.yaml", "data.csv", "-o", str(out), "--name", "{ma}",
                             "-j", "2"], cwd=folder, env=desk.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the client's group; the client forwards it
    _, err = proc.communicate(timeout=60)
    assert desk.status()["served"] == before + 1
    assert proc.returncode == 1, err.decode()  # as tests/test_outputs_safe.py has it without the server
    assert "Traceback" not in err.decode() and time.monotonic() - sent < 10
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {p.name for p in out.glob("*.docx")}
    assert manifest["interrupted"] and 0 < len(on_disk) < 3000
    assert {r["file"] for r in manifest["rows"] if r["file"]} == on_disk


def _spares(server_pid: int) -> list[int]:
    """The server's children (idle: its spare)."""
    try:
        return [int(p) for p in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()]
    except OSError:
        pytest.skip("no /proc children list")


def test_a_dead_spare_child_costs_nothing(desk):
    st = desk.status()
    deadline = time.monotonic() + 10
    # The child forked ahead of the next command; the previous test's command child may
    # still be ending for a moment (seen once in a full run: two children).
    while len(_spares(st["pid"])) != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    spares = _spares(st["pid"])
    assert len(spares) == 1
    os.kill(spares[0], signal.SIGKILL)
    r = _same(desk, "render", "cv.yaml", "-o", "tu.docx", "--force")  # handed to a new one, or forked now
    assert r.returncode == 0
    assert (desk.tmp / "served" / "tu.docx").read_bytes() == (desk.tmp / "alone" / "tu.docx").read_bytes()


def test_the_clients_ulimits_hold_in_the_child(desk):
    # `ulimit -f 2`: no file over 2 KiB; the document is larger, so its write fails the same way both ways.
    runs = {}
    for side in ("served", "alone"):
        env = dict(desk.env, **({"DRAFTER_NEN": "0"} if side == "alone" else {}))
        before = desk.status()["served"]
        runs[side] = subprocess.run(["sh", "-c", f"ulimit -f 2 && exec {desk.script} render cv.yaml -o nho.docx"],
                                    cwd=desk.tmp / side, env=env, capture_output=True, timeout=120)
        assert desk.status()["served"] == before + (side == "served")
    served, alone = runs["served"], runs["alone"]
    assert (served.returncode, served.stdout, served.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert served.returncode == 1 and not (desk.tmp / "served" / "nho.docx").exists()


def test_a_command_whose_client_is_killed_is_stopped(desk):
    folder = desk.tmp / "served"
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    # The server sees a client gone within about two seconds (a look each second, then
    # again half a second later): rows enough that a batch at full speed (~1,000
    # documents a second) is still running then.
    rows = 20_000
    write_csv(folder / "data2.csv", [dict(ROWS[0], ma=f"{i:05d}", so=str(i + 1)) for i in range(rows)])
    out = folder / "ra-lo-2"
    proc = subprocess.Popen([desk.script, "batch", "draft.yaml", "data2.csv", "-o", str(out), "--name", "{ma}"],
                            cwd=folder, env=desk.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 20  # the server looks each second; the batch stops between documents
    while not (out / "manifest.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] and len(list(out.glob("*.docx"))) < rows
    deadline = time.monotonic() + 10  # the manifest written, the child ends
    while desk.status()["running_commands"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert desk.status()["running_commands"] == 0


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to be another user")
def test_a_client_of_another_user_is_refused(desk):
    """SO_PEERCRED: with the folder and socket opened to all for the test, a client of
    another uid sending a whole request gets no answer (the connection is closed)."""
    import socket

    folder = desk.tmp / "cache" / "nen"
    modes = {p: p.stat().st_mode & 0o777 for p in (folder, folder / "s")}
    r, w = os.pipe()
    try:
        for p in modes:
            p.chmod(0o777)
        pid = os.fork()
        if pid == 0:  # another user (nobody) from here on
            try:
                os.chdir(folder)
                os.setgid(65534)
                os.setuid(65534)
                s = socket.socket(socket.AF_UNIX)
                s.settimeout(20)
                s.connect("s")
                body = json.dumps({"op": "status", "protocol": 1}).encode()
                s.sendall(len(body).to_bytes(4, "big") + body)
                os.write(w, repr(s.recv(100)).encode())
            except BaseException as exc:  # noqa: BLE001
                os.write(w, repr(exc).encode())
            os._exit(0)
        os.close(w)
        os.waitpid(pid, 0)
        with os.fdopen(r, "rb") as f:
            said = f.read().decode()
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    assert said in ("b''", "BrokenPipeError(32, 'Broken pipe')", "ConnectionResetError(104, 'Connection reset by peer')")
    assert desk.status()["running"]  # and the server serves its own user still


SHELL = r"""
import json, os, signal, subprocess, sys, time
from pathlib import Path
# A job-control shell in its own session: the client in a group of its own, not orphaned.
script, folder = sys.argv[1], Path(sys.argv[2])
p = subprocess.Popen([script, "batch", "draft.yaml", "data3.csv", "-o", "ra-3", "--name", "{ma}"], cwd=folder,
                     preexec_fn=os.setpgrp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
state = lambda pid: Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
docs = lambda: len(list((folder / "ra-3").glob("*.docx")))
deadline = time.monotonic() + 60
while docs() < 5 and time.monotonic() < deadline:
    time.sleep(0.02)
os.kill(p.pid, signal.SIGTSTP)  # Ctrl-Z
time.sleep(0.5)
stopped, before = state(p.pid), docs()
time.sleep(1)
during = docs() - before
os.kill(p.pid, signal.SIGCONT)  # fg
time.sleep(1)
resumed, after = state(p.pid), docs() - before
os.kill(p.pid, signal.SIGINT)
p.wait(timeout=60)
print(json.dumps({"stopped": stopped, "during": during, "resumed": resumed, "after": after, "code": p.returncode}))
"""


def test_ctrl_z_stops_the_command_with_its_client(desk):
    folder = desk.tmp / "served"
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    # Enough rows that the batch is still running a second after it is resumed (3,000 were
    # done within that second once a batch made them in about two).
    write_csv(folder / "data3.csv", [dict(ROWS[0], ma=f"{i:05d}", so=str(i + 1)) for i in range(20_000)])
    done = subprocess.run([sys.executable, "-c", SHELL, desk.script, str(folder)], env=desk.env, capture_output=True,
                          text=True, timeout=120, start_new_session=True)
    seen = json.loads(done.stdout)
    assert seen["stopped"] == "T" and seen["during"] == 0, seen  # no document made while suspended
    assert seen["resumed"] in ("S", "R") and seen["after"] > 0 and seen["code"] == 1, seen


def test_module_level_environment_reads_are_all_refreshed_in_the_child():
    """Module-level code of drafter/ that reads the environment or the current folder
    (directly, or through a function of its module) holds the server's values in a
    child: each such module must be refreshed by daemon.refresh_environment."""
    from drafter.server import client as client_module
    from drafter.server import daemon

    reads = ("environ", "getenv", "getcwd", "cwd", "env_limit", "from_env")

    def reading(node) -> bool:
        return any(isinstance(n, ast.Attribute) and n.attr in reads or isinstance(n, ast.Name) and n.id in reads
                   for n in ast.walk(node))

    found = set()
    for path in sorted((REPO / "drafter").rglob("*.py")):
        if "server" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                continue
            if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test):
                continue
            called = {n.func.id for n in ast.walk(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            if reading(stmt) or any(reading(functions[c]) for c in called & functions.keys()):
                parts = path.relative_to(REPO).with_suffix("").parts
                found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    # drafter.figures derives its bound from drafter.sandbox's at import (from-import).
    refreshed = {"drafter.sandbox", "drafter.figures"}
    source = Path(daemon.__file__).read_text(encoding="utf-8")
    assert all(f'"{m}"' in source for m in refreshed)
    # drafter.cli reads PYDANTIC_DISABLE_PLUGINS when imported: not refreshed but part
    # of the interpreter's fingerprint (a client with another value runs alone).
    assert found - {"drafter.cli"} == {"drafter.sandbox"}, sorted(found)
    assert '"PYDANTIC"' in Path(client_module.__file__).read_text(encoding="utf-8")


@pytest.mark.slow
def test_stale_killed_and_idle_servers_fall_back(tmp_path):
    d = Desk(tmp_path)
    try:
        alone = d.run("render", "cv.yaml", "-o", "cv.docx", side="alone")
        assert alone.returncode == 0
        # A source file changed after the server started: it answers "stale" and stops;
        # the command runs in the client.
        d.start()
        errors = d.src / "drafter" / "errors.py"
        os.utime(errors, ns=(time.time_ns(), time.time_ns()))
        r = d.run("render", "cv.yaml", "-o", "cv.docx")
        assert (r.returncode, r.stdout, r.stderr) == (alone.returncode, alone.stdout, alone.stderr)
        assert (d.tmp / "served" / "cv.docx").read_bytes() == (d.tmp / "alone" / "cv.docx").read_bytes()
        deadline = time.monotonic() + 10
        while d.status()["running"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not d.status()["running"]

        # A server killed -9 leaves its socket behind: refused, the command runs here,
        # and `drafter nen bat` starts a new one over it.
        pid = d.start()["pid"]
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (d.tmp / "cache" / "nen" / "s").exists()
        r = d.run("render", "cv.yaml", "-o", "cv.docx", "--force")
        assert r.returncode == 0 and r.stderr == b"", r.stderr
        assert (d.tmp / "served" / "cv.docx").read_bytes() == (d.tmp / "alone" / "cv.docx").read_bytes()
        assert not d.status()["running"]
        assert d.start()["pid"] != pid
        d.stop()
        assert not d.status()["running"]

        # DRAFTER_NEN_CHO: seconds without a command, then it exits by itself.
        bad = d.run("nen", "bat", env={"DRAFTER_NEN_CHO": "nửa giờ"})
        assert bad.returncode == 1 and "DRAFTER_NEN_CHO" in bad.stderr.decode()
        pid = d.start(DRAFTER_NEN_CHO="2")["pid"]
        assert d.status()["idle_s"] == 2
        deadline = time.monotonic() + 20
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{pid}").exists() and not d.status()["running"]
        assert not (d.tmp / "cache" / "nen" / "s").exists()
    finally:
        d.stop()


def test_no_server_and_drafter_nen_0_run_in_the_client(tmp_path):
    d = Desk(tmp_path)
    assert d.nen_json() == {"running": False, "socket": str(tmp_path / "cache" / "nen" / "s"), "off": False}
    r = d.run("nen")
    assert r.returncode == 0 and "không chạy" in r.stdout.decode()
    r = d.run("render", "cv.yaml")
    assert r.returncode == 0 and (tmp_path / "served" / "cv.docx").stat().st_size > 3000
    r = d.run("nen", "tat")
    assert r.returncode == 0 and "không chạy" in r.stdout.decode()


def test_the_cache_folder_is_found_as_platformdirs_finds_it(monkeypatch):
    import platformdirs

    from drafter.server import client

    env = {k: v for k, v in os.environ.items() if k != "DRAFTER_CACHE_DIR"}
    assert client.cache_folder(env) == platformdirs.user_cache_dir("drafter")
    assert client.cache_folder({**env, "DRAFTER_CACHE_DIR": ""}) is None
    assert client.socket_path({"DRAFTER_CACHE_DIR": "/tmp/x"}) == "/tmp/x/nen/s"
