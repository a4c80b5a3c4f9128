"""PDF through LibreOffice: `.docx` → `.pdf` (and PNG previews through poppler).

One LibreOffice per core converts a list (each takes ≈ 1.5–2.5 s to start, then
≈ 0.08–0.1 s per document): the files are split between the instances, each with its
own profile folder, kept in the user's cache folder and reused by later calls, and
locked while in use, so parallel calls never share one, nor with a LibreOffice the
user has open (see "the pool" below). Each stays running after the call, for the next
one (DRAFTER_PDF_IDLE seconds, see "kept instances"). A document LibreOffice is stuck
on (``timeout`` seconds per document) or dies on fails alone; the files after it go to
a fresh run.
PDFs appear whole or not at all: LibreOffice writes into a hidden temporary folder
inside the target folder and each finished PDF is checked (it starts with ``%PDF-``
and ends with ``%%EOF``: a PDF cut short by a full disk does not) before it is moved
into place in one step; one that fails the check is not published and the old PDF of
the same name stays. Page images are checked the same way (PNG signature, final IEND
chunk), all pages before any replaces an old one.

An existing PDF or page image is replaced only with ``force``, and never while it is
open in another program (its lock file beside it): the rule of every output,
:func:`drafter.package.replace_policy.check_replace`, checked before LibreOffice
runs and again when each file takes its place.

Fonts: documents ask for Times New Roman. On Linux LibreOffice substitutes the
metric-compatible Liberation Serif (Debian package ``fonts-liberation2``) through
fontconfig; any other substitute breaks lines differently from Word
(:func:`font_report`).

This module must import quickly: the CLI loads it lazily for ``drafter pdf`` and
``drafter preview``. Heavy imports (pypdf, the rendering API) live inside functions.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .env import env_limit
from .errors import read_refusal

ENV_SOFFICE = "DRAFTER_SOFFICE"

INSTALL_HINT = (
    "Cài LibreOffice rồi chạy lại:\n"
    "  • Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-liberation2\n"
    "  • Windows: tải và cài LibreOffice từ https://www.libreoffice.org/download/, "
    "rồi đặt biến môi trường DRAFTER_SOFFICE=C:\\Program Files\\LibreOffice\\program\\soffice.exe "
    "nếu drafter vẫn không tìm thấy.\n"
    "  • macOS: cài LibreOffice từ https://www.libreoffice.org/download/ (hoặc brew install --cask libreoffice)."
)

POPPLER_HINT = (
    "Cài poppler rồi chạy lại:\n"
    "  • Debian/Ubuntu: sudo apt-get install poppler-utils\n"
    "  • Windows: tải poppler cho Windows, thêm thư mục bin của nó vào PATH.\n"
    "  • macOS: brew install poppler"
)

# Where LibreOffice usually lives when it is not on PATH.
_COMMON_PATHS = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/usr/lib64/libreoffice/program/soffice",
    "/opt/libreoffice*/program/soffice",
    "/snap/bin/libreoffice",
    "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

# Fonts that lay Vietnamese text out like Word's Times New Roman.
_GOOD_FONTS = ("times new roman", "liberation serif")
# A few Vietnamese letters outside Latin-1 (ạ ệ ờ ỹ): a font without them makes
# LibreOffice mix in a fallback font.
_VI_CHARSET = "1ea1 1ec7 1edd 1ef9"

# Command lines have limits (Windows: 32,767 characters): longer lists are split
# into several runs of the same private LibreOffice profile.
_MAX_ARGS_CHARS = 30_000 if os.name == "nt" else 1_000_000


# --------------------------------------------------------------------------- errors


class PdfError(Exception):
    """A conversion problem; the message is Vietnamese and ready to print."""


class LibreOfficeMissing(PdfError):
    def __init__(self, detail: str | None = None):
        env = os.environ.get(ENV_SOFFICE)
        lines = ["Không tìm thấy LibreOffice (soffice), cần có để tạo PDF."]
        if detail:
            lines.append(detail)
        elif env:
            lines.append(f"Biến môi trường {ENV_SOFFICE}={env} không trỏ tới tệp soffice chạy được.")
        lines.append(INSTALL_HINT)
        super().__init__("\n".join(lines))


class PopplerMissing(PdfError):
    def __init__(self, tool: str = "pdftoppm"):
        super().__init__(f"Không tìm thấy {tool} (bộ công cụ poppler), cần có để tạo ảnh xem trước.\n"
                         + POPPLER_HINT)


class ConversionFailed(PdfError):
    """Some files were not converted. The PDFs of the others are written."""

    def __init__(self, failed: dict[Path, str], written: list[Path]):
        self.failed = dict(failed)
        self.written = list(written)
        lines = [f"Không tạo được PDF cho {len(failed)} tệp:"]
        lines += [f"  - {p}: {why}" for p, why in failed.items()]
        super().__init__("\n".join(lines))


class ConversionTimeout(ConversionFailed):
    """LibreOffice was stopped on some files (``files``) after ``seconds`` each; the
    other files were converted (``written``) or failed for their own reasons."""

    def __init__(self, seconds: float, files: list[Path], failed: dict[Path, str] | None = None,
                 written: list[Path] | None = None):
        self.seconds = seconds
        self.files = list(files)
        PdfError.__init__(self)
        self.failed = dict(failed) if failed is not None else {f: _timeout_reason(seconds) for f in files}
        self.written = list(written or [])
        lines = [(f"LibreOffice chưa chuyển xong {len(self.files)} tệp sau {seconds:g} giây mỗi tệp nên đã bị "
                  "dừng; PDF của các tệp khác vẫn được ghi. Kiểm tra xem tệp .docx có quá lớn hay bị hỏng "
                  "không, hoặc chạy lại với --timeout lớn hơn:")]
        lines += [f"  - {p}" for p in self.files]
        others = {p: why for p, why in self.failed.items() if p not in self.files}
        lines += [f"  - {p}: {why}" for p, why in others.items()]
        self.args = ("\n".join(lines),)


@dataclass
class ConversionResult:
    written: list[Path] = field(default_factory=list)  # in the order of the input
    failed: dict[Path, str] = field(default_factory=dict)  # docx → Vietnamese reason
    seconds: float = 0.0
    timed_out: list[Path] = field(default_factory=list)  # failed because LibreOffice was stopped on them

    @property
    def ok(self) -> bool:
        return not self.failed


# --------------------------------------------------------------------------- finding tools


def _executable(path: str | os.PathLike[str]) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def _soffice_in(folder: Path) -> str | None:
    for name in ("soffice", "soffice.exe", "program/soffice", "program/soffice.exe",
                 "Contents/MacOS/soffice"):
        if _executable(folder / name):
            return str(folder / name)
    return None


def find_soffice() -> str | None:
    """The LibreOffice executable: $DRAFTER_SOFFICE (a file, a folder holding it, or a
    command name), then `soffice` / `libreoffice` on PATH, then the usual install
    places. None when there is none; a wrong $DRAFTER_SOFFICE is not silently
    replaced by another LibreOffice."""
    env = os.environ.get(ENV_SOFFICE, "").strip().strip('"')
    if env:
        p = Path(env).expanduser()
        if p.is_dir():
            return _soffice_in(p)
        if _executable(p):
            return str(p)
        return shutil.which(env)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    import glob

    for pattern in _COMMON_PATHS:
        for candidate in sorted(glob.glob(pattern), reverse=True):  # newest /opt version first
            if _executable(candidate):
                return candidate
    return None


def font_report() -> dict:
    """Which font fontconfig gives LibreOffice for "Times New Roman".

    ``{"requested", "resolved", "style", "file", "vietnamese", "ok", "warning"}``:
    ``resolved`` None where fontconfig is absent (Windows and macOS have Times New
    Roman itself); ``warning`` a Vietnamese sentence or None.
    """
    report = {"requested": "Times New Roman", "resolved": None, "style": None, "file": None,
              "vietnamese": None, "ok": True, "warning": None}
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return report
    try:
        out = subprocess.run([fc_match, "-f", "%{family[0]}|%{style[0]}|%{file}", "Times New Roman"],
                             capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return report
    family, _, rest = out.strip().partition("|")
    style, _, file = rest.partition("|")
    report.update(resolved=family or None, style=style or None, file=file or None)
    if family.lower() not in _GOOD_FONTS:
        report["ok"] = False
        report["warning"] = (
            f"Phông Times New Roman được thay bằng '{family or '?'}', không cùng số đo: "
            "dòng chữ trong PDF sẽ ngắt khác bản Word (quốc hiệu có thể xuống dòng). "
            "Cài phông Liberation Serif: sudo apt-get install fonts-liberation2."
        )
        return report
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            covered = subprocess.run([fc_list, f":family={family}:charset={_VI_CHARSET}", "file"],
                                     capture_output=True, text=True, timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            covered = None
        if covered is not None:
            report["vietnamese"] = bool(covered.strip())
            if not covered.strip():
                report["ok"] = False
                report["warning"] = (
                    f"Phông '{family}' đã cài thiếu nhiều chữ tiếng Việt (ạ, ệ, ờ, ỹ…): PDF sẽ "
                    "trộn phông khác, cỡ chữ lệch. Cài bản mới: sudo apt-get install fonts-liberation2."
                )
    return report


# --------------------------------------------------------------------------- conversion


def _check_input(p: Path) -> str | None:
    """Why ``p`` cannot be converted, or None."""
    import zipfile

    if not p.exists():
        return "không có tệp này"
    if not p.is_file():
        return "không phải là tệp"
    if p.suffix.lower() not in (".docx", ".docm", ".doc", ".odt", ".rtf"):
        return "không phải tệp văn bản Word (.docx)"
    if p.suffix.lower() in (".docx", ".docm") and not zipfile.is_zipfile(p):
        return "tệp .docx bị hỏng (không phải gói zip)"
    return None


def _ends(path: Path, head: int, tail: int) -> tuple[bytes, int, bytes]:
    """The first `head` bytes of a file, its size and its last `tail` bytes."""
    with open(path, "rb") as f:
        first = f.read(head)
        size = f.seek(0, os.SEEK_END)
        f.seek(max(0, size - tail))
        return first, size, f.read()


def pdf_incomplete(path: Path) -> str | None:
    """Why the PDF at ``path`` is not whole (Vietnamese), or None."""
    try:
        head, size, tail = _ends(path, 5, 2048)
    except OSError as exc:
        return f"không đọc lại được PDF: {read_refusal(exc)}"
    if size == 0:
        return "PDF rỗng"
    if head != b"%PDF-":
        return "không phải tệp PDF"
    if b"%%EOF" not in tail:
        return "PDF bị cắt cụt (thiếu phần kết %%EOF), có thể ổ đĩa đã đầy"
    return None


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def png_incomplete(path: Path) -> str | None:
    """Why the PNG at ``path`` is not whole (Vietnamese), or None."""
    try:
        head, _, tail = _ends(path, 8, 8)
    except OSError as exc:
        return f"không đọc lại được ảnh: {read_refusal(exc)}"
    if head != _PNG_SIGNATURE:
        return "không phải ảnh PNG"
    if tail != _PNG_END:
        return "ảnh PNG bị cắt cụt, có thể ổ đĩa đã đầy"
    return None


def _kill_tree(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        if os.name == "nt":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           capture_output=True, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


# render --dien-tu: PDF/A-2b (LibreOffice 7.4+ reads the export filter's options as JSON)
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def soffice_command(soffice: str, profile: Path, outdir: Path, files: list[Path], *,
                    pdfa: bool = False) -> list[str]:
    """THE LibreOffice command line of every conversion (the one place to add an
    export filter's options): headless, its own profile, PDFs into ``outdir``."""
    return [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", PDFA_FILTER if pdfa else "pdf", "--outdir", str(outdir), *map(str, files)]


# --------------------------------------------------------------------------- the pool
#
# One LibreOffice per core, each with its own profile (-env:UserInstallation): two
# instances sharing a profile would fight over it. The profiles are kept in the user's
# cache folder (``<cache>/libreoffice/profile-N``) and reused, so only the first call
# pays for building one. A profile is used by one instance at a time: its lock file
# (``profile-N.lock``, an OS lock that dies with the process) is held while drafter uses
# it, and a second drafter command running at the same time takes the next free ones.

ENV_JOBS = "DRAFTER_PDF_JOBS"
MIN_PER_RUN = 4      # fewer documents than this are not worth another LibreOffice start
MAX_PER_RUN = 200    # a long list is converted in runs of at most this many per start: LibreOffice
                     # 7.4 silently converts only the first 243 files named on one command line
TAIL_RUN = 20        # the last runs shrink down to this many: the LibreOffices end together
MAX_PROFILES = 64    # profile-0 … profile-63; beyond (all busy) a temporary one
_POLL = 0.2          # seconds between looks at the PDFs a run has made


def default_jobs() -> int:
    """How many LibreOffice instances to run: $DRAFTER_PDF_JOBS, else the cores this
    process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        return env_limit(ENV_JOBS, max(1, cores))
    except ValueError as exc:  # a bad value is said, naming the variable, never ignored
        raise PdfError(str(exc)) from None


def profiles_folder() -> Path | None:
    """Where the kept profiles live: ``$DRAFTER_CACHE_DIR/libreoffice`` (an empty value
    turns keeping off: a temporary profile per call), else the user's cache folder."""
    override = os.environ.get("DRAFTER_CACHE_DIR")
    if override is not None:
        return Path(override).expanduser().absolute() / "libreoffice" if override.strip() else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("drafter")) / "libreoffice"


class _Profile:
    """A LibreOffice profile folder held by this process (lock) or temporary (removed)."""

    def __init__(self, path: Path, lock_file=None):
        self.path = path
        self._lock = lock_file

    @property
    def kept(self) -> bool:
        return self._lock is not None

    def reset(self) -> None:
        """After a killed run: LibreOffice may have left it half written (a LibreOffice
        kept on it is stopped first)."""
        stop_instance(self.path)
        shutil.rmtree(self.path, ignore_errors=True)

    def release(self) -> None:
        if self._lock is None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        try:
            _Kept(self.path).used.touch()  # the kept LibreOffice's idle time starts now
        except OSError:
            pass
        try:
            _unlock(self._lock)
        finally:
            self._lock.close()
            self._lock = None


def _try_lock(path: Path):
    """The open lock file, locked for this process; None when another holds it."""
    f = open(path, "a+b")  # noqa: SIM115 - kept open while the lock is held
    try:
        if os.name == "nt":
            import msvcrt

            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    return f


def _unlock(f) -> None:
    if os.name == "nt":
        import msvcrt

        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def take_profiles(n: int) -> list[_Profile]:
    """``n`` profiles free for this process: kept ones not in use by another drafter,
    else (no cache folder, or all busy) temporary ones."""
    taken: list[_Profile] = []
    folder = profiles_folder()
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for k in range(MAX_PROFILES):
                if len(taken) == n:
                    break
                lock = _try_lock(folder / f"profile-{k}.lock")
                if lock is not None:
                    taken.append(_Profile(folder / f"profile-{k}", lock))
        except OSError:
            pass  # an unwritable cache: temporary profiles, as before
    while len(taken) < n:
        taken.append(_Profile(Path(tempfile.mkdtemp(prefix="drafter-lo-profile-"))))
    return taken


# --------------------------------------------------------------------------- kept instances
#
# A LibreOffice stays running between calls, one per kept profile: its start-up (1.5–2.5 s,
# more on a busy machine) is paid once, not on every call. It is started by a small keeper
# process (:func:`_keeper`; detached, a session of its own) with one small document open
# (``profile-N.keep/giu-mo.txt``): LibreOffice quits by itself once a conversion ends with
# no document open. A later call runs the very same command line as ever
# (:func:`soffice_command`): that ``soffice`` finds the running one through LibreOffice's
# own pipe (one per profile), hands it the files and returns when they are converted
# (0.1–0.3 s more than the conversion itself). Should the instance be gone (killed,
# crashed, stopped for idleness just now) the command converts the files itself, as
# before. The keeper stops its LibreOffice after $DRAFTER_PDF_IDLE seconds (default 600)
# without a call, and only while no drafter holds the profile's lock; ``0`` keeps none.
# A kept instance stuck on a file is killed with the run (the per-document timeout) and
# the next run starts a fresh one. POSIX only (Windows: one LibreOffice per call).
#
# Beside ``profile-N`` in the cache folder: ``profile-N.json`` (the running instance:
# its process id, its soffice), ``profile-N.log`` (its output: LibreOffice's messages on
# a file are written there, not by the command that handed it the file),
# ``profile-N.used`` (touched when a call lets the profile go: the idle clock).

ENV_IDLE = "DRAFTER_PDF_IDLE"
DEFAULT_IDLE = 600  # seconds a kept LibreOffice waits for the next call
START_TIMEOUT = 60  # seconds a kept LibreOffice may take to be ready; past that, a plain run
_KEEP_DOC = "giu-mo.txt"
_LOG_MAX = 1 << 20  # the instance's log is emptied when a call finds it bigger
RECYCLE_AFTER = 200  # documents a kept LibreOffice converts before a fresh one takes over: a
                     # long-lived one grows slower per document (LibreOffice 7.4, 2 cores: 60 ms
                     # for its first 200, 75 ms past 400), a fresh one is ready in 0.2 s (a slow
                     # machine's 2 s start is about what 200 slower documents would cost)


def idle_seconds() -> int:
    """How long a kept LibreOffice waits for the next call: $DRAFTER_PDF_IDLE seconds
    (default 600); 0 keeps none (each call its own LibreOffice), as on Windows."""
    if os.name == "nt":
        return 0
    if os.environ.get(ENV_IDLE, "").strip() == "0":
        return 0
    try:
        return env_limit(ENV_IDLE, DEFAULT_IDLE)
    except ValueError as exc:  # a bad value is said, naming the variable, never ignored
        raise PdfError(str(exc).replace("cần một số nguyên dương", "cần một số giây (số nguyên, 0 để tắt)")) \
            from None


class _Kept:
    """The files of the instance kept on ``profile`` (a folder ``…/profile-N``)."""

    def __init__(self, profile: Path):
        self.profile = profile
        self.record = profile.with_name(profile.name + ".json")
        self.log = profile.with_name(profile.name + ".log")
        self.used = profile.with_name(profile.name + ".used")
        self.lock = profile.with_name(profile.name + ".lock")
        self.keep = profile.with_name(profile.name + ".keep")  # holds the document kept open
        self.ready = self.keep / f".~lock.{_KEEP_DOC}#"  # LibreOffice's lock of it: it is loaded

    def read(self) -> dict | None:
        import json

        try:
            rec = json.loads(self.record.read_text(encoding="utf-8"))
            rec["pid"] = int(rec["pid"])
            return rec
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, pid: int, soffice: str) -> None:
        import json

        tmp = self.record.with_name(self.record.name + f".{os.getpid()}")
        tmp.write_text(json.dumps({"pid": pid, "soffice": soffice, "keeper": os.getpid(),
                                   "started": time.time()}), encoding="utf-8")
        os.replace(tmp, self.record)

    def count(self, pid: int, n: int) -> int:
        """Add ``n`` documents to those the instance ``pid`` converted; the total (0 when
        the record names another instance). Called by the drafter holding the lock."""
        import json

        rec = self.read()
        if rec is None or rec["pid"] != pid:
            return 0
        rec["documents"] = int(rec.get("documents", 0)) + n
        tmp = self.record.with_name(self.record.name + f".{os.getpid()}")
        try:
            tmp.write_text(json.dumps(rec), encoding="utf-8")
            os.replace(tmp, self.record)
        except OSError:
            pass
        return rec["documents"]

    def forget(self, pid: int | None = None) -> None:
        """Remove the record (only if it names ``pid``, when given) and the ready mark."""
        rec = self.read()
        if pid is not None and rec is not None and rec["pid"] != pid:
            return
        for f in (self.record, self.ready):
            try:
                f.unlink()
            except OSError:
                pass


def _alive(pid: int, profile: Path) -> bool:
    """Whether ``pid`` runs, and (where /proc tells) is a LibreOffice on ``profile``."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    mark = f"-env:UserInstallation={profile.as_uri()}".encode()
    if Path("/proc/self/cmdline").exists():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            return state not in ("Z", "X") and mark in Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, IndexError):
            return False
    try:  # no /proc (macOS): ask ps, never take a reused process id for ours
        return mark in subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True,
                                      timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False


def kept_instance(profile: Path | str, soffice: str | None = None) -> int | None:
    """The process id of the LibreOffice kept running on ``profile`` (the process group
    it leads), or None. One started from another ``soffice`` is stopped, not used."""
    kept = _Kept(Path(profile))
    rec = kept.read()
    if rec is None or not _alive(rec["pid"], kept.profile):
        return None
    if soffice is not None and rec.get("soffice") not in (None, soffice):
        stop_instance(kept.profile)
        return None
    return rec["pid"]


def _kill_group(pid: int, sig: int | None = None) -> None:
    """Signal (default: kill) the process group ``pid`` leads (POSIX)."""
    try:
        os.killpg(pid, signal.SIGKILL if sig is None else sig)
    except (OSError, AttributeError):
        pass


def stop_instance(profile: Path | str) -> None:
    """Stop the LibreOffice kept on ``profile`` (if any), at once."""
    kept = _Kept(Path(profile))
    rec = kept.read()
    if rec is not None and _alive(rec["pid"], kept.profile):
        _kill_group(rec["pid"])
    kept.forget()


def stop_instances(folder: Path | str | None = None) -> int:
    """Stop every LibreOffice kept in ``folder`` (default: :func:`profiles_folder`);
    how many there were. The test suite calls it when it ends."""
    folder = Path(folder) if folder is not None else profiles_folder()
    if folder is None or not folder.is_dir():
        return 0
    stopped = 0
    for record in sorted(folder.glob("profile-*.json")):
        profile = record.with_suffix("")
        if kept_instance(profile) is not None:
            stopped += 1
        stop_instance(profile)
    return stopped


_UNKEPT: set[str] = set()  # soffice commands that would not stay running (this process tries no more)


def _start_instance(soffice: str, profile: Path, idle: int) -> int | None:
    """Start a kept LibreOffice on ``profile`` (through its keeper) and wait until it
    is ready; its process id, or None when it did not come up (then nothing is left).
    One that ends at once is tried once more (a LibreOffice just killed on the same
    profile may still hold its pipe for a moment: the new one then hands it its document
    and ends), then no more in this process."""
    if soffice in _UNKEPT:
        return None
    for attempt in range(2):
        pid = _start_once(soffice, profile, idle)
        if pid is not None or soffice not in _UNKEPT:
            return pid
        if attempt == 0:
            _UNKEPT.discard(soffice)
            time.sleep(0.5)
    return None


def _start_once(soffice: str, profile: Path, idle: int) -> int | None:
    import sys

    kept = _Kept(profile)
    kept.forget()
    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        keeper = subprocess.Popen(
            [sys.executable, "-c", "import sys; from drafter.pdf import _keeper; _keeper(sys.argv[1:])",
             soffice, str(profile), str(idle)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, cwd=str(profile.parent), env=env)
    except OSError:
        return None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        rec = kept.read()
        if rec is not None and kept.ready.exists() and _alive(rec["pid"], profile):
            return rec["pid"]
        if keeper.poll() is not None:  # (not the pid's command line: blank for a moment at exec)
            _UNKEPT.add(soffice)  # its LibreOffice ended by itself: not one to keep
            break
        time.sleep(0.05)
    stop_instance(profile)
    if keeper.poll() is None:
        _kill_group(keeper.pid, signal.SIGTERM)
    return None


def _keeper(argv: list[str]) -> None:
    """The keeper of one kept LibreOffice (run as ``python -c``, detached): starts it on
    the profile with its document open, records it, and stops it after ``idle`` seconds
    with no call (the profile's lock free, so no drafter is using it), or when the
    cache folder is gone. Exits when its LibreOffice does."""
    soffice, profile, idle = argv[0], Path(argv[1]), float(argv[2])
    kept = _Kept(profile)
    kept.keep.mkdir(parents=True, exist_ok=True)
    doc = kept.keep / _KEEP_DOC
    doc.write_text("drafter: LibreOffice được giữ chạy sẵn để lần sau tạo PDF nhanh hơn.\n", encoding="utf-8")
    kept.ready.unlink(missing_ok=True)
    cmd = [soffice, "--headless", "--norestore", "--nolockcheck", "--nologo",
           f"-env:UserInstallation={profile.as_uri()}", str(doc)]
    with open(kept.log, "ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=str(kept.keep))
    kept.write(proc.pid, soffice)
    started = time.time()

    def stop(*_):
        _kill_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()

    def on_signal(*_):
        stop()
        kept.forget(proc.pid)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    step = max(0.2, min(5.0, idle / 5))
    while True:
        # (not proc.wait(step): that polls twenty times a second); often at first, so
        # that a LibreOffice ending at once is seen at once by the call starting it
        time.sleep(min(step, 0.05 + (time.time() - started) / 10))
        if proc.poll() is not None:
            break  # it ended (crashed, killed by a timed-out call)
        if not profile.parent.is_dir():  # the cache folder was removed
            stop()
            return
        try:
            last = max(started, kept.used.stat().st_mtime)
        except OSError:
            last = started
        if time.time() - last < idle:
            continue
        lock = _try_lock(kept.lock)
        if lock is None:
            continue  # a drafter command is using it right now
        try:
            stop()
            kept.forget(proc.pid)
        finally:
            _unlock(lock)
            lock.close()
        return
    lock = _try_lock(kept.lock)  # ended by itself: its record goes unless a call is replacing it
    if lock is not None:
        try:
            kept.forget(proc.pid)
        finally:
            _unlock(lock)
            lock.close()


# --------------------------------------------------------------------------- one run


_LIVE: set[subprocess.Popen] = set()  # running LibreOffice processes, killed on Ctrl-C
_LIVE_INSTANCES: set[int] = set()  # kept LibreOffices working for a run right now (likewise)


@dataclass
class _Run:
    log: str
    returncode: int | None
    stalled: Path | None  # the file LibreOffice was stuck on when it was stopped


def _made(outdir: Path, files: list[Path]) -> int:
    """How many of ``files`` have a PDF in ``outdir`` (they are made in order)."""
    try:
        names = set(os.listdir(outdir))
    except OSError:
        return 0
    return sum(1 for f in files if f.stem + ".pdf" in names)


def _run_soffice(soffice: str, profile: Path, outdir: Path, files: list[Path], *,
                 timeout: float, pdfa: bool = False, on_made=None, instance: int | None = None) -> _Run:
    """One LibreOffice run over ``files``. ``timeout`` is per document: a run that
    makes no new PDF for that long is stopped (its process group killed) and the file
    it was on named in ``stalled``. ``on_made(n)`` is told of each new PDF. With
    ``instance`` (a LibreOffice kept running on ``profile``, which does the work), that
    one's messages are part of the log, and it is killed too when the run is stopped."""
    cmd = soffice_command(soffice, profile, outdir, files, pdfa=pdfa)
    kept_log = _Kept(profile).log if instance is not None else None
    offset = 0
    if kept_log is not None:
        try:
            offset = kept_log.stat().st_size
            if offset > _LOG_MAX:  # the instance writes with O_APPEND: it goes on at the new end
                os.truncate(kept_log, 0)
                offset = 0
        except OSError:
            offset = 0
    kwargs: dict = {}
    if os.name == "nt":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(subprocess, "CREATE_NO_WINDOW", 0)
    else:
        kwargs["start_new_session"] = True  # its own process group, killed as one
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: a long run's output never blocks it
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, **kwargs)
        _LIVE.add(proc)
        if instance is not None:
            _LIVE_INSTANCES.add(instance)
        stalled = None
        ended = False
        try:
            done, last = 0, time.monotonic()
            while True:
                try:
                    proc.wait(timeout=_POLL)
                    finished = True
                except subprocess.TimeoutExpired:
                    finished = False
                now_done = _made(outdir, files)
                if now_done > done:
                    if on_made is not None:
                        on_made(now_done - done)
                    done, last = now_done, time.monotonic()
                if finished:
                    ended = True
                    break
                if time.monotonic() - last > timeout:
                    stalled = files[min(done, len(files) - 1)]  # a guess; the caller looks at the PDFs
                    _kill_tree(proc)
                    break
        finally:
            _kill_tree(proc)  # a no-op once it has exited; also on KeyboardInterrupt
            _LIVE.discard(proc)
            if instance is not None:
                _LIVE_INSTANCES.discard(instance)
                if not ended:  # stopped (timeout, Ctrl-C): the kept one was working on these files
                    _kill_group(instance)
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    if kept_log is not None:
        try:
            with open(kept_log, "rb") as f:
                f.seek(offset)
                log = f.read().decode("utf-8", "replace") + log
        except OSError:
            pass
    return _Run(log, proc.returncode, stalled)


def _last_error(log: str) -> str:
    errors = [ln.strip() for ln in log.splitlines() if ln.strip().lower().startswith("error")]
    return f" (LibreOffice: {errors[-1]})" if errors else ""


def pdf_path_for(docx: Path | str, out_dir: Path | str | None = None) -> Path:
    """Where the PDF of ``docx`` goes: beside it, or in ``out_dir``; same name, ``.pdf``."""
    p = Path(docx)
    folder = Path(out_dir).expanduser() if out_dir is not None else p.parent
    return folder / (p.stem + ".pdf")


_FULL_BELOW = 1 << 20  # bytes free under which a failed write is put down to a full disk


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _FULL_BELOW
    except OSError:
        return False


def _folder_problem(folder: Path, exc: OSError) -> str:
    """Why nothing can be written in ``folder`` (Vietnamese, naming it)."""
    from .package.replace_policy import write_failure_hint, write_failure_reason

    return (f"không ghi được vào thư mục '{folder}': {write_failure_reason(exc)}. "
            f"{write_failure_hint(exc)}")


_FULL_DISK = "ổ đĩa đã đầy (hoặc hết hạn mức dung lượng); PDF cũ cùng tên (nếu có) được giữ nguyên. " \
             "Giải phóng chỗ trống rồi chạy lại."


def _timeout_reason(seconds: float) -> str:
    return (f"LibreOffice chuyển tệp này quá {seconds:g} giây nên đã bị dừng (các tệp khác vẫn được "
            "chuyển); kiểm tra xem tệp .docx có quá lớn hay bị hỏng không, hoặc chạy lại với --timeout lớn hơn.")


def _split(files: list[Path], instances: int) -> list[list[Path]]:
    """``files`` in runs for ``instances`` LibreOffices: as even as it goes, at least
    MIN_PER_RUN and at most MAX_PER_RUN documents a run (and within the command line's
    length limit), in order. With more runs than instances, towards the end a run is
    what is left shared between them, down to TAIL_RUN: taken from one queue, the last
    runs end together (with runs of 200 to the end, one LibreOffice was idle for up to
    a whole run)."""
    instances = max(1, instances)
    per = max(MIN_PER_RUN, -(-len(files) // instances))
    per = min(per, MAX_PER_RUN)
    guided = instances > 1 and len(files) > instances * per  # more runs than instances
    out: list[list[Path]] = []
    size = want = 0
    for i, f in enumerate(files):
        n = len(str(f)) + 3
        if not out or len(out[-1]) >= want or (out[-1] and size + n > _MAX_ARGS_CHARS):
            want = min(per, max(TAIL_RUN, -(-(len(files) - i) // instances))) if guided else per
            out.append([])
            size = 0
        out[-1].append(f)
        size += n
    return out


class _Work:
    """The queue of runs shared by the pool's threads, and what they found."""

    def __init__(self, targets: dict[Path, Path], result: ConversionResult, *, soffice: str, timeout: float,
                 force: bool, pdfa: bool, progress, total: int, idle: int = 0):
        import collections
        import threading

        self.targets, self.result = targets, result
        self.idle = idle  # > 0: LibreOffices kept running between calls (that many seconds idle)
        self.soffice, self.timeout, self.force, self.pdfa = soffice, timeout, force, pdfa
        self.queue: collections.deque = collections.deque()
        self.lock = threading.Lock()
        self.written: set[Path] = set()
        self.stop = threading.Event()
        self.progress, self.total, self.done = progress, total, 0
        self.crash: BaseException | None = None

    def tell(self, n: int) -> None:
        """``n`` more files done (fewer when negative: a run's files queued again)."""
        if self.progress is None or n == 0:
            return
        with self.lock:
            self.done = max(0, min(self.total, self.done + n))
            self.progress(self.done, self.total)

    def fail(self, src: Path, why: str, *, timed_out: bool = False) -> None:
        with self.lock:
            self.result.failed[src] = why
            if timed_out:
                self.result.timed_out.append(src)

    def next(self):
        with self.lock:
            return self.queue.popleft() if self.queue and not self.stop.is_set() else None

    def worker(self, profile: _Profile) -> None:
        try:
            while (task := self.next()) is not None:
                self.convert(profile, *task)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, raised there
            self.crash = exc
            self.stop.set()

    def instance(self, profile: _Profile) -> tuple[int | None, bool]:
        """The LibreOffice kept on ``profile`` for the next run (started if need be) and
        whether it was already running; (None, False) when none is kept."""
        if not self.idle or not profile.kept:
            return None, False
        pid = kept_instance(profile.path, self.soffice)
        if pid is not None:
            return pid, True
        return _start_instance(self.soffice, profile.path, self.idle), False

    def convert(self, profile: _Profile, folder: Path, files: list[Path], retry: bool = True) -> None:
        """One run of LibreOffice over ``files`` (all bound for ``folder``): whole PDFs
        published; the file it was stopped on (timeout) or died on (crash) failed, the
        files after it queued again for a fresh run."""
        from .output_problems import refusal_text
        from .package.atomic import publish_file

        try:
            staging = Path(tempfile.mkdtemp(prefix=".drafter-pdf-", dir=folder))
        except OSError as exc:
            for f in files:
                self.fail(f, _folder_problem(folder, exc))
            self.tell(len(files))
            return
        reported = 0

        def made(n: int) -> None:
            nonlocal reported
            reported += n
            self.tell(n)

        try:
            instance, reused = self.instance(profile)
            run = _run_soffice(self.soffice, profile.path, staging, files, timeout=self.timeout,
                               pdfa=self.pdfa, on_made=made, instance=instance)
            if run.stalled is not None and profile.kept:
                profile.reset()  # killed mid-way: built afresh on its next start
            if instance is not None and run.stalled is None \
                    and _Kept(profile.path).count(instance, len(files)) >= RECYCLE_AFTER:
                stop_instance(profile.path)  # idle now: the next run starts a fresh one
            if run.stalled is not None and reused and retry and reported == 0:
                # a kept LibreOffice that made nothing at all may have hung before this call:
                # the files go once more, to a fresh one, before any is failed
                with self.lock:
                    self.queue.appendleft((folder, files, False))
                return
            broke = run.stalled is not None or run.returncode not in (0, None)
            requeue: list[Path] = []
            tail = self._unmade_tail(staging, files)
            if not broke and retry and len(tail) > 1:
                # LibreOffice ended well but left the last files untouched (it stops short of a
                # long list): they go to a fresh run once, where a missing PDF is that file's own
                files, requeue = files[: len(files) - len(tail)], tail
            again: list[Path] = []
            culprit = None  # the first file without a whole PDF when the run did not end well
            for src in files:
                if culprit is not None:
                    again.append(src)
                    continue
                made_pdf = staging / (src.stem + ".pdf")
                missing = not made_pdf.is_file() or made_pdf.stat().st_size == 0
                broken = None if missing else pdf_incomplete(made_pdf)
                if broke and (missing or broken):
                    culprit = src
                    if run.stalled is not None:
                        self.fail(src, _timeout_reason(self.timeout), timed_out=True)
                    else:
                        self.fail(src, f"LibreOffice dừng đột ngột khi chuyển tệp này (mã {run.returncode})"
                                       + _last_error(run.log) + "; các tệp khác vẫn được chuyển.")
                    continue
                if missing:
                    self.fail(src, f"không ghi được {self.targets[src]}: {_FULL_DISK}" if _disk_full(folder)
                              else "LibreOffice không tạo được PDF" + _last_error(run.log))
                    continue
                if broken:
                    kept = " PDF cũ cùng tên được giữ nguyên." if self.targets[src].exists() else ""
                    self.fail(src, f"LibreOffice tạo ra PDF không đầy đủ: {broken}.{kept}")
                    continue
                try:
                    publish_file(made_pdf, self.targets[src], force=self.force)
                except OSError as exc:  # refused by the rule, or the system would not
                    self.fail(src, refusal_text(exc))
                    continue
                with self.lock:
                    self.written.add(src)
            if again:  # a fresh run for the files after the culprit (which is out of it)
                with self.lock:
                    self.queue.appendleft((folder, again))
            if requeue:
                with self.lock:
                    self.queue.appendleft((folder, requeue, False))
            self.tell(len(files) - len(again) - reported)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _unmade_tail(staging: Path, files: list[Path]) -> list[Path]:
        """The files at the end of ``files`` with no PDF in ``staging``."""
        tail: list[Path] = []
        for src in reversed(files):
            if (staging / (src.stem + ".pdf")).is_file():
                break
            tail.append(src)
        return tail[::-1]


def convert_result(docx_paths: list[Path] | list[str], out_dir: Path | str | None = None, *,
                   timeout: float = 300, force: bool = False, pdfa: bool = False, jobs: int | None = None,
                   progress=None) -> ConversionResult:
    """Convert every file; never raises for a single bad file (see ``failed``).

    The files are shared between ``jobs`` LibreOffice instances (default: one per
    core, :func:`default_jobs`), each with its own kept profile. ``timeout`` is per
    document: LibreOffice stuck on one file that long is stopped, that file failed
    (also listed in ``timed_out``) and the files after it converted by a fresh run; a
    crashed LibreOffice likewise fails the file it was on, the others go on.
    ``progress(done, total)`` is called (from the pool's threads) as PDFs are made.
    An existing PDF is replaced only with ``force``, never while open elsewhere (the
    replace rule): such a file is in ``failed`` and LibreOffice does not convert it.
    Raises LibreOfficeMissing, PdfError for two inputs that would write the same PDF.
    """
    from .output_problems import refusal_text
    from .package.replace_policy import check_replace

    started = time.monotonic()
    result = ConversionResult()
    # Unique inputs, in order; each with its target folder.
    seen: set[Path] = set()
    targets: dict[Path, Path] = {}  # docx → final pdf
    for raw in docx_paths:
        p = Path(raw).expanduser().absolute()
        if p in seen:
            continue
        seen.add(p)
        why = _check_input(p)
        if why:
            result.failed[p] = why
            continue
        folder = Path(out_dir).expanduser().absolute() if out_dir is not None else p.parent
        targets[p] = folder / (p.stem + ".pdf")
    clashes: dict[Path, list[Path]] = {}
    for src, pdf in targets.items():
        clashes.setdefault(pdf, []).append(src)
    clashes = {pdf: srcs for pdf, srcs in clashes.items() if len(srcs) > 1}
    if clashes:
        lines = ["Nhiều tệp sẽ ghi vào cùng một PDF; hãy đổi tên, hoặc bỏ -o để mỗi PDF nằm cạnh tệp của nó:"]
        lines += [f"  - {pdf}: " + ", ".join(map(str, srcs)) for pdf, srcs in clashes.items()]
        raise PdfError("\n".join(lines))
    for src, pdf in list(targets.items()):  # the replace rule, before LibreOffice spends time on it
        try:
            check_replace(pdf, force=force)
        except OSError as exc:
            result.failed[src] = refusal_text(exc)
            del targets[src]
    if not targets:
        result.seconds = time.monotonic() - started
        return result
    soffice = find_soffice()
    if not soffice:
        raise LibreOfficeMissing()

    groups: dict[Path, list[Path]] = {}
    for src, pdf in targets.items():
        groups.setdefault(pdf.parent, []).append(src)
    jobs = max(1, jobs or default_jobs())
    work = _Work(targets, result, soffice=soffice, timeout=timeout, force=force, pdfa=pdfa,
                 progress=progress, total=len(targets) + len(result.failed), idle=idle_seconds())
    work.tell(len(result.failed))
    for folder, files in groups.items():
        try:
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(20, "not a folder", str(folder))
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            for f in files:
                work.fail(f, _folder_problem(folder, exc))
            work.tell(len(files))
            continue
        share = max(1, round(jobs * len(files) / len(targets)))  # a folder's share of the instances
        work.queue.extend((folder, chunk) for chunk in _split(files, share))
    _pool(work, min(jobs, len(work.queue)))
    result.written = [targets[s] for s in targets if s in work.written]
    result.seconds = time.monotonic() - started
    return result


def _pool(work: _Work, n: int) -> None:
    """Run ``work`` on ``n`` threads, one LibreOffice profile each; Ctrl-C stops them all."""
    import threading

    if n <= 0:
        return
    profiles = take_profiles(n)
    try:
        if n == 1:
            work.worker(profiles[0])
        else:
            threads = [threading.Thread(target=work.worker, args=(p,), daemon=True) for p in profiles]
            for t in threads:
                t.start()
            try:
                for t in threads:
                    while t.is_alive():
                        t.join(0.5)
            except BaseException:
                work.stop.set()
                for proc in list(_LIVE):
                    _kill_tree(proc)
                for pid in list(_LIVE_INSTANCES):
                    _kill_group(pid)
                for t in threads:
                    t.join(15)
                raise
        if work.crash is not None:
            raise work.crash
    finally:
        for p in profiles:
            p.release()


def convert(docx_paths: list[Path] | list[str], out_dir: Path | str | None = None, *,
            timeout: float = 300, force: bool = False, pdfa: bool = False, jobs: int | None = None) -> list[Path]:
    """Convert .docx files to PDF with one LibreOffice per core (:func:`convert_result`).

    Each PDF goes beside its .docx (same name, ``.pdf``) unless ``out_dir`` is given;
    an existing PDF is replaced only with ``force``. Returns the PDFs in input order.
    Raises LibreOfficeMissing, ConversionTimeout (a file took longer than ``timeout``
    seconds), or ConversionFailed (naming each file that failed, with ``.written``
    holding the PDFs that were made).
    """
    result = convert_result(docx_paths, out_dir, timeout=timeout, force=force, pdfa=pdfa, jobs=jobs)
    if result.timed_out:
        raise ConversionTimeout(timeout, result.timed_out, result.failed, result.written)
    if result.failed:
        raise ConversionFailed(result.failed, result.written)
    return result.written


def render_pdf_beside(docx_paths: list[Path] | list[str], *, timeout: float | None = None,
                      force: bool = False, pdfa: bool = False, progress=None) -> ConversionResult:
    """For `drafter render --pdf` / `drafter batch --pdf`: a PDF beside each .docx, the
    files shared between one LibreOffice per core. Returns written and failed files
    rather than raising for them; raises LibreOfficeMissing. ``timeout`` is per
    document (default 300 s)."""
    return convert_result(docx_paths, None, timeout=300.0 if timeout is None else timeout, force=force,
                          pdfa=pdfa, progress=progress)


@dataclass
class BesideResult:
    written: list[Path]
    errors: list[str]  # one Vietnamese sentence per failure, ready to print


def pdfs_beside(docx_paths: list[Path] | list[str], *, force: bool = False, pdfa: bool = False,
                progress=None) -> BesideResult:
    """`render_pdf_beside` for documents just written: raises nothing for the PDFs
    (the .docx files stay whatever happens to them), every failure is a sentence.
    An existing PDF (often the signed scan) is replaced only with ``force``."""
    from .errors import display_path

    try:
        conv = render_pdf_beside(docx_paths, force=force, pdfa=pdfa, progress=progress)
    except PdfError as exc:
        return BesideResult([], [f"Văn bản Word đã tạo, nhưng chưa tạo được PDF: {exc}"])
    return BesideResult(conv.written, [f"Không tạo được PDF cho {display_path(p)}: {why}"
                                       for p, why in conv.failed.items()])


# --------------------------------------------------------------------------- reading PDFs


def pdf_text(pdf_path: Path | str) -> list[str]:
    """The text of each page, laid out (pdftotext -layout; pypdf if poppler is absent)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        out = subprocess.run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf_path), "-"],
                             capture_output=True, check=True, timeout=120).stdout.decode("utf-8", "replace")
        pages = out.split("\f")
        if pages and pages[-1] == "":
            pages.pop()  # pdftotext ends every page with a form feed
        return pages
    from pypdf import PdfReader

    return [page.extract_text(extraction_mode="layout") or "" for page in PdfReader(str(pdf_path)).pages]


def pdf_pages(pdf_path: Path | str) -> list[tuple[float, float]]:
    """Each page's (width, height) in millimetres as shown (rotation applied)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return _pdfinfo_pages(pdf_path)
    sizes = []
    for page in PdfReader(str(pdf_path)).pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        if (page.get("/Rotate") or 0) % 180:
            w, h = h, w
        sizes.append((round(w * 25.4 / 72, 2), round(h * 25.4 / 72, 2)))
    return sizes


def _pdfinfo_pages(pdf_path: Path | str) -> list[tuple[float, float]]:
    import re

    pdfinfo = shutil.which("pdfinfo")
    if not pdfinfo:
        raise PopplerMissing("pdfinfo")
    out = subprocess.run([pdfinfo, "-f", "1", "-l", "100000", str(pdf_path)],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    sizes: dict[int, list[float]] = {}
    for m in re.finditer(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", out, re.M):
        sizes[int(m[1])] = [float(m[2]), float(m[3])]
    for m in re.finditer(r"^Page\s+(\d+) rot:\s+(\d+)", out, re.M):
        if int(m[2]) % 180 and int(m[1]) in sizes:
            sizes[int(m[1])].reverse()
    return [(round(w * 25.4 / 72, 2), round(h * 25.4 / 72, 2)) for _, (w, h) in sorted(sizes.items())]


# --------------------------------------------------------------------------- images


def existing_pages(out_dir: Path | str, stem: str) -> list[Path]:
    """The page images ``<stem>-N.png`` already in ``out_dir``, by page number."""
    import re

    pattern = re.compile(re.escape(stem) + r"-(\d+)\.png")
    try:
        entries = list(Path(out_dir).iterdir())
    except OSError:
        return []
    found = [(int(m[1]), p) for p in entries if (m := pattern.fullmatch(p.name))]
    return [p for _, p in sorted(found)]


def check_pages(out_dir: Path | str, stem: str, *, force: bool) -> None:
    """The replace rule for a preview's images: without ``force`` no earlier image of
    the same name is replaced (nor removed); none open elsewhere either way."""
    from .package.replace_policy import check_replace

    for page in existing_pages(out_dir, stem):
        check_replace(page, force=force)


def to_png(pdf_path: Path | str, out_dir: Path | str, stem: str, *, dpi: int = 80,
           timeout: float = 300, force: bool = False) -> list[Path]:
    """Each page as ``out_dir/<stem>-1.png``, ``-2.png`` … (pdftoppm); with ``force``,
    earlier images of the same name are replaced and stale pages of an earlier,
    longer preview removed; without it an earlier image refuses the whole preview
    (:func:`check_pages`, raising as the atomic writer). OutputWriteError when the
    folder cannot be written."""
    from .package.atomic import ensure_folder

    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise PopplerMissing()
    out_dir = Path(out_dir)
    made_folder = not out_dir.exists()
    ensure_folder(out_dir)
    try:
        return _to_png(pdftoppm, pdf_path, out_dir, stem, dpi=dpi, timeout=timeout, force=force)
    except BaseException:
        if made_folder:  # a failed preview leaves no empty folder behind
            try:
                out_dir.rmdir()
            except OSError:
                pass
        raise


def _to_png(pdftoppm: str, pdf_path: Path | str, out_dir: Path, stem: str, *, dpi: int, timeout: float,
            force: bool) -> list[Path]:
    import re

    from .package.atomic import publish_file
    from .package.errors import OutputWriteError

    check_pages(out_dir, stem, force=force)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".drafter-png-", dir=out_dir))
    except OSError as exc:
        raise OutputWriteError(out_dir / f"{stem}-1.png", exc) from None
    try:
        try:
            done = subprocess.run([pdftoppm, "-png", "-r", str(int(dpi)), str(pdf_path), str(staging / "p")],
                                  capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"pdftoppm chưa xong sau {timeout:g} giây nên đã bị dừng.") from None
        pages = sorted(((int(m[1]), f) for f in staging.iterdir()
                        if (m := re.fullmatch(r"p-(\d+)\.png", f.name))), key=lambda t: t[0])
        if done.returncode != 0 or not pages:
            detail = done.stderr.decode("utf-8", "replace").strip()
            if _disk_full(out_dir) or "write error" in detail.lower():
                raise PdfError(f"Không ghi được ảnh xem trước vào thư mục '{out_dir}': ổ đĩa đã đầy (hoặc hết "
                               "hạn mức dung lượng); các ảnh cũ được giữ nguyên. Giải phóng chỗ trống rồi chạy lại.")
            raise PdfError("pdftoppm không tạo được ảnh từ PDF" + (f": {detail}" if detail else "."))
        for n, f in pages:
            broken = png_incomplete(f)
            if broken:
                raise PdfError(f"Ảnh trang {n} do pdftoppm tạo ra không đầy đủ: {broken}; "
                               "các ảnh cũ được giữ nguyên.")
        images = []
        for n, f in pages:
            target = out_dir / f"{stem}-{n}.png"
            publish_file(f, target, force=force)
            images.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pattern = re.compile(re.escape(stem) + r"-(\d+)\.png")
    for old in out_dir.iterdir():
        m = pattern.fullmatch(old.name)
        if m and int(m[1]) > len(images):
            try:
                old.unlink()
            except OSError:
                pass
    return images


@dataclass
class Preview:
    folder: Path
    images: list[Path]
    warnings: list  # drafter.errors.Problem


def preview_dir(draft_path: Path | str) -> Path:
    p = Path(draft_path)
    return p.parent / f"{p.stem}-xem-truoc"


def preview(draft_path: Path | str, out_dir: Path | str | None = None, *, dpi: int = 80,
            timeout: float = 300, force: bool = False) -> Preview:
    """Render a draft to page images without leaving a .docx or .pdf anywhere.
    Earlier images of the same draft are replaced only with ``force``."""
    from . import api

    draft_path = Path(draft_path)
    if not shutil.which("pdftoppm"):
        raise PopplerMissing()
    folder = Path(out_dir) if out_dir is not None else preview_dir(draft_path)
    check_pages(folder, draft_path.stem, force=force)  # before the draft is read or LibreOffice run
    prepared = api.prepare(draft_path)
    data = api.render_bytes(prepared, draft_path.resolve().parent)
    with tempfile.TemporaryDirectory(prefix="drafter-preview-") as tmp:
        docx = Path(tmp) / "xem-truoc.docx"  # a short name: LibreOffice's own temporary names stay short
        docx.write_bytes(data)
        (pdf,) = convert([docx], timeout=timeout)
        images = to_png(pdf, folder, draft_path.stem, dpi=dpi, timeout=timeout, force=force)
    return Preview(folder, images, prepared.warnings)

