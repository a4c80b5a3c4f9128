"""`drafter check` of many files uses every core and says exactly what one process says,
in the order the files were given, unreadable files included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_many_files_on_every_core_give_the_one_process_report(tmp_path):
    made = subprocess.run([sys.executable, "-m", "drafter.cli", "batch", str(SAMPLES / "batch" / "phan-bo-kinh-phi-xa.yaml"),
                           str(SAMPLES / "batch" / "kinh-phi-khuyen-cong-ha-tinh.csv"), "-o", str(tmp_path / "ra"),
                           "--max-rows", "100"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    docs = sorted(str(p) for p in (tmp_path / "ra").glob("*.docx"))[:12]
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"not a zip")
    odd = tmp_path / "sai.docx"
    shutil.copy(docs[0], odd)
    files = [docs[0], str(broken), *docs[1:], str(odd)]

    def check(*extra):
        return subprocess.run([sys.executable, "-m", "drafter.cli", "check", *extra, *files],
                              capture_output=True, text=True, timeout=120)

    one, many = check("-j", "1"), check("-j", "2")
    assert one.returncode == many.returncode == 1  # the unreadable file
    assert one.stdout == many.stdout
    lines = many.stdout.splitlines()
    assert lines[1].startswith(f"{broken}: lỗi: không đọc được tệp")
    assert lines[-1] == "Có 0 lỗi, 0 cảnh báo trong 14 tệp; 1 tệp không đọc được."


def test_a_worker_killed_on_its_own_ends_the_check_with_a_message(tmp_path):
    """One of check's workers killed by something else than Ctrl-C (the system out of
    memory): the files it held never come back; the command says so and ends (exit 1)
    instead of waiting for them for ever."""
    import os
    import signal
    import time

    made = subprocess.run([sys.executable, "-m", "drafter.cli", "new", "cong-van", "--no-input", "-o", "vb"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    files = [str(shutil.copy(tmp_path / "vb.docx", tmp_path / f"vb-{i:04d}.docx")) for i in range(3000)]
    proc = subprocess.Popen([sys.executable, "-m", "drafter.cli", "check", "-j", "2", *files],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    children: list[str] = []
    deadline = time.monotonic() + 60
    while len(children) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert len(children) == 2, children
    time.sleep(0.3)
    killed = time.monotonic()
    os.kill(int(children[0]), signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    err = err.decode("utf-8")
    assert proc.returncode == 1 and time.monotonic() - killed < 10, (proc.returncode, err[-500:])
    assert "bị dừng đột ngột" in err and "Traceback" not in err and "Lỗi nội bộ" not in err
