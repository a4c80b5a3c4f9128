"""Start-up: whole `drafter` commands as a clerk runs them, medians of --runs.

    python bench/bench_startup.py [--runs 10] [--no-hyperfine] [--nen] [--terminal] [--instructions]

Times, as whole processes (the console script, a fresh interpreter each time):

    python -c pass                       the interpreter alone (the floor)
    drafter --help
    drafter render cv.yaml --force       a công văn (samples/000-cong-van-ha-tinh.yaml)
    drafter check cv.docx                that document checked

with hyperfine (`apt-get install hyperfine`) when it is there, else a loop here;
two warm-up runs each. Bytecode is written to a private folder
(PYTHONPYCACHEPREFIX), so the figures are those of an installed drafter even where
PYTHONDONTWRITEBYTECODE is set; the template cache is warm (a first render fills it).
With --nen, render and check are timed again with the warm server running
(`drafter nen bat`, its own socket in the bench's cache folder; drafter/server/), after
the figures without it, and the lines say so; the server's count of commands served
shows whether every run went through it (a stale server, say after an edit of
drafter's files, leaves the command to run alone). Then, as a clerk's terminal
session has them (a pty: stdin and stdout TTYs, what the console script checks before
it starts the server on its own; no server running, the automatic start not turned
off): render and check with DRAFTER_NEN=0 (cold, in the same harness), as the first
command of the session (run alone, then starting the server in the background: the
time until the command's process ends), and as the second and later commands
(served by the server the first one started); --terminal alone prints those lines
without the ones of `drafter nen bat`. Also prints, per command, the modules loaded and the import time Python reports
(-X importtime, summed over the top-level imports) and, with hyperfine, the CPU time
(user + system): on a shared machine the wall time waits for other work, the CPU
time much less. With --instructions, each command's instruction count (valgrind,
PYTHONHASHSEED=0), which no other work on the machine changes, and render's and
check's without the start-up cache (drafter/cli/startup_cache.py).
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLE = REPO / "samples" / "000-cong-van-ha-tinh.yaml"
TARGETS = {"render": 0.25, "check": 0.15}  # issue 19, point 5 (seconds)
CPU: dict[str, float] = {}  # hyperfine's mean user + system seconds: less shaken by a busy machine


def drafter_exe() -> list[str]:
    found = shutil.which("drafter", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "drafter.cli"]


def loop_times(cmd: list[str], runs: int, env: dict, cwd: Path) -> list[float]:
    for _ in range(2):
        subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return times


def hyperfine_times(cmd: list[str], runs: int, env: dict, cwd: Path) -> list[float]:
    import shlex

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    try:
        subprocess.run(["hyperfine", "-N", "-i", "-w", "2", "-r", str(runs), "--export-json", str(out),
                        shlex.join(cmd)], cwd=cwd, env=env, capture_output=True, check=True)
        res = json.loads(out.read_text())["results"][0]
        CPU[shlex.join(cmd)] = res["user"] + res["system"]
        return res["times"]
    finally:
        out.unlink(missing_ok=True)


def import_figures(cmd: list[str], env: dict, cwd: Path) -> tuple[int, float]:
    """Modules loaded and the summed top-level import time (s) of one run, as the console
    script imports (its name set first: drafter.cli then reads its start-up cache)."""
    script = ("import sys\nsys.argv[0] = 'drafter'\nfrom drafter.cli.main import main\ntry:\n    main(sys.argv[1:])\n"
              "except SystemExit:\n    pass\nprint(len(sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", script, *cmd], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    total = 0
    modules = 0
    for line in done.stderr.splitlines():
        if line.startswith("import time:"):
            parts = line.split("|")
            if len(parts) == 3 and parts[2].startswith(" ") and not parts[2].startswith("  "):
                try:
                    total += int(parts[1])
                except ValueError:
                    pass
        elif line.strip().isdigit():
            modules = int(line.strip())
    return modules, total / 1e6


def instructions(cmd: list[str], env: dict, cwd: Path) -> float | None:
    """Millions of instructions one run executes (valgrind's cachegrind, without cache
    simulation): the same figure on a quiet machine and a busy one, unlike any time."""
    if not shutil.which("valgrind"):
        return None
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *cmd], cwd=cwd, env={**env, "PYTHONHASHSEED": "0"}, capture_output=True, text=True,
                          check=False)
    for line in done.stderr.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.rsplit(":", 1)[1].strip().replace(",", "")) / 1e6
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-hyperfine", action="store_true")
    ap.add_argument("--nen", action="store_true", help="also time render and check with the warm server running")
    ap.add_argument("--terminal", action="store_true",
                    help="also time render and check in a terminal (pty): cold, first of a session, served (with --nen too)")
    ap.add_argument("--instructions", action="store_true",
                    help="also count each command's instructions (valgrind), and render's and check's "
                         "without the start-up cache (DRAFTER_STARTUP_CACHE=0)")
    args = ap.parse_args()
    use_hf = shutil.which("hyperfine") and not args.no_hyperfine

    with tempfile.TemporaryDirectory(prefix="drafter-bench-startup-") as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(tmp / "pyc"), DRAFTER_CACHE_DIR=str(tmp / "cache"),
                   DRAFTER_USER_DIR=str(tmp / "user"), PYTHONPATH=str(REPO))
        shutil.copy(SAMPLE, tmp / "cv.yaml")
        exe = drafter_exe()
        subprocess.run([*exe, "render", "cv.yaml", "--force"], cwd=tmp, env=env, capture_output=True, check=True)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "drafter --help": [*exe, "--help"],
            "render": [*exe, "render", "cv.yaml", "--force"],
            "check": [*exe, "check", "cv.docx"],
        }
        print(f"{'hyperfine' if use_hf else 'subprocess loop'}, {args.runs} runs, load average "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        for name, cmd in cases.items():
            times = (hyperfine_times if use_hf else loop_times)(cmd, args.runs, env, tmp)
            med = statistics.median(times)
            target = TARGETS.get(name)
            verdict = "" if target is None else f"  (target < {target:.2f} s: {'met' if med < target else 'NOT met'})"
            extra = ""
            if name != "python -c pass":
                modules, imports = import_figures(cmd[len(exe):], env, tmp)
                extra = f"; {modules} modules, imports {imports * 1000:.0f} ms"
            import shlex

            if shlex.join(cmd) in CPU:
                extra += f"; CPU {CPU[shlex.join(cmd)] * 1000:.0f} ms"
            label = name if name.startswith(("python", "drafter")) else f"drafter {' '.join(cmd[len(exe):])}"
            print(f"{label:<34} median {med * 1000:6.0f} ms (min {min(times) * 1000:.0f}, "
                  f"max {max(times) * 1000:.0f}){extra}{verdict}")
        if args.instructions:
            for name, cmd in cases.items():
                for label, extra_env in ((name, {}), (f"{name} without start-up cache", {"DRAFTER_STARTUP_CACHE": "0"})):
                    if extra_env and name not in ("render", "check"):
                        continue
                    n = instructions(cmd, {**env, **extra_env}, tmp)
                    shown = "valgrind not found" if n is None else f"{n:7.1f} M instructions"
                    print(f"{label:<34} {shown}")
        if args.nen:
            nen_figures(exe, cases, args.runs, env, tmp, use_hf)
        if args.nen or args.terminal:
            terminal_figures(exe, cases, args.runs, env, tmp)
        print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def nen_figures(exe: list[str], cases: dict, runs: int, env: dict, cwd: Path, use_hf) -> None:
    """render and check again with the warm server (drafter nen) running."""
    import shlex

    if exe[0] == sys.executable:
        print("--nen: no drafter console script beside this interpreter; the server is only used through it")
        return
    print("with the warm server (drafter nen bat, started afresh when it has stopped)")
    try:
        for name in ("render", "check"):
            cmd = cases[name]
            started = subprocess.run([*exe, "nen", "bat", "--json"], cwd=cwd, env=env, capture_output=True, text=True)
            if started.returncode != 0:
                print(f"--nen: the server did not start: {started.stderr.strip()}")
                return
            before = json.loads(started.stdout)
            times = (hyperfine_times if use_hf else loop_times)(cmd, runs, env, cwd)
            after = _status(exe, env, cwd)
            total = runs + 2  # and two warm-up runs
            child_cpu = None
            if after.get("pid") == before["pid"]:
                served = f"{after['served'] - before['served']} of {total} runs served"
                if after["served"] > before["served"]:
                    # the child's, and the server's own (accepting, forking, reaping; and its
                    # answers to the bench's status requests, so a little more than a command's)
                    child_cpu = (after["cpu_s"] - before["cpu_s"] + after["own_cpu_s"] - before["own_cpu_s"]) / (
                        after["served"] - before["served"])
            else:  # it stopped: drafter's files changed meanwhile (another editor of the tree)
                served = f"the server went stale during the runs: only some of {total} served"
            med = statistics.median(times)
            target = TARGETS[name]
            extra = ""
            if shlex.join(cmd) in CPU:  # the client's, hyperfine's figure, and the child's in the server
                extra = f"; CPU {CPU[shlex.join(cmd)] * 1000:.0f} ms in the client"
                if child_cpu is not None:
                    extra += (f" + {child_cpu * 1000:.0f} ms in the server and its child = "
                              f"{(CPU[shlex.join(cmd)] + child_cpu) * 1000:.0f} ms")
            label = f"drafter {' '.join(cmd[len(exe):])} [server]"
            print(f"{label:<34} median {med * 1000:6.0f} ms (min {min(times) * 1000:.0f}, "
                  f"max {max(times) * 1000:.0f}); {served}{extra}  "
                  f"(target < {target:.2f} s: {'met' if med < target else 'NOT met'})")
    finally:
        subprocess.run([*exe, "nen", "tat"], cwd=cwd, env=env, capture_output=True)


FIRSTS = 3  # first commands of a session timed (each needs the server it started stopped again)


def pty_time(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """One run with stdin, stdout and stderr a terminal of its own (a pty, read by a
    thread while it runs): the seconds until its process has ended, and its CPU
    seconds (user + system, its own and its waited-for children's)."""
    import threading

    master, slave = pty.openpty()

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:  # EIO: no holder of the terminal left
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        return wall, usage.ru_utime + usage.ru_stime
    finally:
        os.close(slave)
        reader.join(timeout=5)
        os.close(master)


def _shown(label: str, runs: list[tuple[float, float]], more: str = "") -> str:
    walls = [w for w, _ in runs]
    cpu = statistics.median(c for _, c in runs)
    return (f"{label:<56} median {statistics.median(walls) * 1000:6.0f} ms (min {min(walls) * 1000:.0f}, "
            f"max {max(walls) * 1000:.0f}); CPU {cpu * 1000:.0f} ms{more}")


def _no_server(exe: list[str], env: dict, cwd: Path) -> None:
    """No server running, and the automatic start on (nen tat writes `off`: removed)."""
    subprocess.run([*exe, "nen", "tat"], cwd=cwd, env=env, capture_output=True, check=False)
    (Path(env["DRAFTER_CACHE_DIR"]) / "nen" / "off").unlink(missing_ok=True)


def _lock_held(env: dict) -> bool:
    """A server holds its folder's lock (one started by the command holds it as soon as
    the command has ended)."""
    import fcntl

    try:
        fd = os.open(Path(env["DRAFTER_CACHE_DIR"]) / "nen" / "lock", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _wait_running(exe: list[str], env: dict, cwd: Path, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = _status(exe, env, cwd)
        if st.get("running"):
            return st
        time.sleep(0.1)
    return {}


def terminal_figures(exe: list[str], cases: dict, runs: int, env: dict, cwd: Path) -> None:
    """render and check in a terminal: cold (DRAFTER_NEN=0), the session's first command
    (which starts the server after it has run), and the second and later ones."""
    if exe[0] == sys.executable:
        print("terminal: no drafter console script beside this interpreter")
        return
    print("in a terminal (pty: stdin and stdout TTYs), no server running at first; a loop here, not hyperfine")
    try:
        for name in ("render", "check"):
            cmd = cases[name]
            label = f"drafter {' '.join(cmd[len(exe):])}"
            target = TARGETS[name]
            cold_env = {**env, "DRAFTER_NEN": "0"}
            for _ in range(2):
                pty_time(cmd, cold_env, cwd)
            cold = [pty_time(cmd, cold_env, cwd) for _ in range(runs)]
            print(_shown(f"{label} [terminal, DRAFTER_NEN=0]", cold))
            firsts, ready = [], []
            st: dict = {}
            for _ in range(FIRSTS):
                _no_server(exe, env, cwd)
                firsts.append(pty_time(cmd, env, cwd))
                began = time.monotonic()
                st = _wait_running(exe, env, cwd) if _lock_held(env) else {}
                if not st:  # a drafter without the automatic start: every command runs alone
                    break
                ready.append(time.monotonic() - began)
            started = (f"; {len(firsts)} sessions, the server ready {statistics.median(ready):.1f} s after" if st
                       else "; it started no server")
            print(_shown(f"{label} [terminal, 1st command]", firsts, started))
            before = st
            for _ in range(2):
                pty_time(cmd, env, cwd)
            times = [pty_time(cmd, env, cwd) for _ in range(runs)]
            after = _status(exe, env, cwd)
            total = runs + 2
            more = ""
            if after.get("pid") == before.get("pid") and after.get("served", 0) > before.get("served", 0):
                n = after["served"] - before["served"]
                served = f"{n} of {total} runs served"
                child_cpu = (after["cpu_s"] - before["cpu_s"] + after["own_cpu_s"] - before["own_cpu_s"]) / n
                more = f" in the client + {child_cpu * 1000:.0f} ms in the server and its child"
            elif not before:
                served = f"none of {total} runs served (no server)"
            else:
                served = f"the server went stale during the runs: only some of {total} served"
            med = statistics.median(w for w, _ in times)
            print(_shown(f"{label} [terminal, 2nd and later]", times,
                         f"{more}; {served}  (target < {target:.2f} s: {'met' if med < target else 'NOT met'})"))
    finally:
        _no_server(exe, env, cwd)


def _status(exe: list[str], env: dict, cwd: Path) -> dict:
    done = subprocess.run([*exe, "nen", "--json"], cwd=cwd, env=env, capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {}


if __name__ == "__main__":
    main()
