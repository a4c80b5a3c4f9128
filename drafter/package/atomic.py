"""Atomic output files: a reader never sees half a .docx, a failure never eats the old one.

Every output is written to a temporary file in the target's own folder (so the
final rename stays on one file system), flushed and fsync'ed, then moved into place
in one step. The temporary file is named ``.<name>.<8 hex digits>.tmp`` (hidden, and
easy to recognise if a crash ever leaves one; the digits counted from a random start
of each process, ``O_EXCL`` refusing one that exists). On any exception, including
KeyboardInterrupt, it is removed and the previous file is untouched.

Whether a target may be replaced is decided by one rule,
:func:`drafter.package.replace_policy.check_replace`: without ``force`` an existing
target is never replaced, and that holds even against another process creating the
target meanwhile: the final step is a hard link, which fails if the name exists (with
a checked rename as fallback where links are not supported). With ``force`` the
target is replaced and keeps its permission bits. A target open in Word or
LibreOffice (its lock file beside it), read-only or a folder is never replaced.
Files made by another program (LibreOffice's PDFs, pdftoppm's images) take their
place through :func:`publish_file`, under the same rule.
A new file gets the usual permissions (0666 minus the umask), not mkstemp's 0600.

Before the temporary file takes the target's place it is checked: its size on disk
must be what was written (a full disk or a network share that loses the tail shows
here), and a ``verify`` callable, given the temporary file's path, checks its
format (:func:`verify_docx` for a document, a manifest parses); a file failing either
is removed and the old one stays. A batch's documents are checked in memory instead
(:func:`verify_docx_bytes`, before anything is written) and their last bytes read back
from the file through the descriptor still open (``verify_bytes``), and written to an
unnamed temporary file where Linux offers one (``anonymous``: ``O_TMPFILE``, linked to
the target's name once checked; it leaves nothing behind however the process ends). A ``tag`` goes into the temporary name (``.<name>.<tag>-<random>.tmp``)
so a run can later remove the temporary files it made, and only those
(:func:`remove_tagged_temps`).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import struct
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import OutputExistsError, OutputWriteError, UnsafePathError
from .replace_policy import ReplaceRefused, check_replace

__all__ = [
    "atomic_write_bytes",
    "atomic_writer",
    "ensure_folder",
    "ensure_inside",
    "publish_file",
    "ensure_plain_name",
    "remove_tagged_temps",
    "verify_docx",
    "verify_docx_written",
    "verify_docx_bytes",
    "new_tag",
    "OutputExistsError",
    "OutputIncompleteError",
    "OutputWriteError",
    "UnsafePathError",
]



class OutputIncompleteError(OutputWriteError):
    """The file just written is not complete or does not open; the old one was kept."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        # ENOSPC: a file that does not read back whole is, in practice, a full disk
        OSError.__init__(self, errno.ENOSPC, why, os.fspath(path))
        self.path = os.fspath(path)
        self.why = why
        self.message = (f"Không ghi được tệp '{self.path}': tệp vừa ghi không đầy đủ ({why}), có thể ổ đĩa "
                        "đã đầy; tệp cũ (nếu có) được giữ nguyên. Hãy giải phóng dung lượng rồi thử lại.")

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (type(self), (self.path, self.why))


_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def new_tag() -> str:
    """A random tag for one run's temporary files (16 hex digits)."""
    return secrets.token_hex(8)


_TOKEN = [secrets.randbits(32), 0]  # a random start, and how many names taken since


def _new_token_start() -> None:
    _TOKEN[:] = [secrets.randbits(32), 0]


if hasattr(os, "register_at_fork"):  # a forked worker draws its own start
    os.register_at_fork(after_in_child=_new_token_start)


def _temp_token() -> str:
    """8 hex digits for a temporary name: a random start per process, then counted
    (an odd step, so 2**32 names before one repeats), so a batch's thousands of names
    cost no system call for randomness; ``O_EXCL`` still refuses a name that exists."""
    _TOKEN[1] += 1
    return f"{(_TOKEN[0] + _TOKEN[1] * 0x9E3779B1) & 0xFFFFFFFF:08x}"


def _temp_suffix_matches(name: str, tag: str) -> bool:
    # ".<name>.<tag>-<8 hex>.tmp"
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    core = name[:-4]
    marker = f".{tag}-"
    at = core.rfind(marker)
    rest = core[at + len(marker):] if at > 0 else ""
    return len(rest) == 8 and all(c in "0123456789abcdef" for c in rest)


def remove_tagged_temps(directory: str | os.PathLike[str], tag: str) -> int:
    """Remove the temporary files named with ``tag`` in ``directory``; nothing else.
    Returns how many were removed."""
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        if _temp_suffix_matches(entry.name, tag):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def _create_temp(directory: str, name: str, tag: str | None = None) -> tuple[int, str]:
    """Like ``tempfile.mkstemp(dir=directory, prefix='.'+name+'.', suffix='.tmp')``,
    but with mode 0666 so the umask decides the final permissions."""
    # Read and write: what was written is read back through the same descriptor.
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_CLOEXEC
    prefix = f"{tag}-" if tag else ""
    for _ in range(100):
        tmp = os.path.join(directory, f".{name}.{prefix}{_temp_token()}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no usable temporary file name", directory)


def _fsync_dir(directory: str) -> None:
    """Make the rename durable (POSIX); silently skipped where unsupported."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: str, target: str, *, force: bool, asked: str | None = None, follow_link: bool = False) -> None:
    """Move the finished temporary file into place."""
    if force:
        # Word may have opened the file while it was being made: asked again, at the last moment.
        check_replace(asked or target, force=True, follow_link=follow_link)
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails atomically if the target exists
    except FileExistsError:
        raise OutputExistsError(target) from None
    except (OSError, NotImplementedError, AttributeError):
        # file systems without hard links (FAT, some network shares)
        if os.path.lexists(target):
            raise OutputExistsError(target) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


_O_TMPFILE = getattr(os, "O_TMPFILE", 0) if os.path.isdir("/proc/self/fd") else 0
# link() of /proc/self/fd/N failing for these: the system gives an unnamed file no name
# that way (no /proc, a file system or sandbox that refuses it); the named way then.
_NO_LINK = {errno.EPERM, errno.EXDEV, errno.ENOENT, errno.EOPNOTSUPP, errno.EACCES, errno.EINVAL, errno.ENOTDIR}


class _NoAnonymousName(Exception):
    """The unnamed temporary file could not be given the target's name (nothing written)."""


def _create_anonymous(directory: str, name: str) -> int | None:
    """An unnamed file in ``directory`` open for reading and writing, or None where the
    system makes none there (``name`` is the target's, for those who follow writes)."""
    if not _O_TMPFILE:
        return None
    try:
        return os.open(directory, _O_TMPFILE | os.O_RDWR | _O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):  # not on this file system
            return None
        raise


def _link_anonymous(fd: int, dest: str) -> None:
    try:
        # linkat(…, AT_SYMLINK_FOLLOW) of the descriptor's /proc entry (the dir fd given
        # only so that Python calls linkat; an absolute path ignores it)
        os.link(f"/proc/self/fd/{fd}", dest, src_dir_fd=fd, follow_symlinks=True)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno in _NO_LINK:
            raise _NoAnonymousName() from exc
        raise


def _publish_anonymous(fd: int, directory: str, name: str, target: str, *, force: bool, asked: str,
                       follow_link: bool, tag: str | None) -> None:
    """The finished unnamed file takes ``target``'s name: a link that fails if the name
    exists; with ``force``, a temporary name first, then replaced in one step."""
    if not force:
        try:
            _link_anonymous(fd, target)
        except FileExistsError:
            raise OutputExistsError(target) from None
        return
    check_replace(asked or target, force=True, follow_link=follow_link)
    try:
        os.fchmod(fd, stat.S_IMODE(os.stat(target).st_mode))
    except FileNotFoundError:
        pass
    prefix = f"{tag}-" if tag else ""
    for _ in range(100):
        tmp = os.path.join(directory, f".{name}.{prefix}{_temp_token()}.tmp")
        try:
            _link_anonymous(fd, tmp)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no usable temporary file name", directory)
    try:
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def atomic_writer(
    path: str | os.PathLike[str], *, force: bool = False, durable: bool = True,
    verify: Callable[[str], None] | None = None, tag: str | None = None,
    follow_link: bool = False, expect_tail: bytes | None = None, anonymous: bool = False,
) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``path`` only if the block succeeds.

    Raises :class:`OutputExistsError` if ``path`` exists and ``force`` is false
    (checked before writing and again when publishing), a
    :class:`~drafter.package.replace_policy.ReplaceRefused` for a target open in Word
    or LibreOffice, read-only or a folder (whatever ``force``), :class:`OutputWriteError`
    (an :class:`OSError`, Vietnamese message) when the folder cannot be written.
    A symlink at ``path`` is replaced by the new file, not followed.
    ``durable=False`` skips the fsyncs: the rename still makes the file appear whole
    or not at all, which is what a batch of thousands needs (it syncs once at the end).
    ``verify(tmp_path)`` raises (any exception, ideally :class:`OutputIncompleteError`)
    when the written file is not usable; the old file then stays.
    ``follow_link``: a symlink at ``path`` is kept and the file it points to replaced.
    ``expect_tail``: the bytes the file must end with, read back from the file just
    written (through the same descriptor) before it takes the target's place.
    ``anonymous``: where the system offers it (Linux's ``O_TMPFILE``), the temporary
    file has no name at all until it takes the target's (one entry made in the folder,
    not three: two workers of a batch writing into one folder wait on it less); raises
    :class:`_NoAnonymousName` when the finished file cannot be given a name that way.
    """
    target = asked = os.fspath(path)
    if follow_link and os.path.islink(target):
        target = os.path.realpath(target)
    directory = os.path.dirname(target) or "."
    name = os.path.basename(target)
    if not name:
        raise IsADirectoryError(errno.EISDIR, "output path names a folder", target)
    check_replace(asked, force=force, follow_link=follow_link)
    try:
        unnamed = _create_anonymous(directory, name) if anonymous else None
        fd, tmp = (unnamed, None) if unnamed is not None else _create_temp(directory, name, tag)
    except OSError as exc:
        raise OutputWriteError(target, exc) from exc
    in_body = True
    try:
        with (os.fdopen(fd, "wb") if tmp is not None else os.fdopen(fd, "wb", closefd=False)) as f:
            yield f  # type: ignore[misc]
            in_body = False
            f.flush()
            if durable:
                os.fsync(f.fileno())
            written = f.tell()
            # The size on disk, and the tail read back, through the descriptor still open.
            if os.fstat(f.fileno()).st_size != written:
                raise OutputIncompleteError(target, "kích thước trên đĩa khác số byte đã ghi")
            if expect_tail and os.pread(f.fileno(), len(expect_tail), written - len(expect_tail)) != expect_tail:
                raise OutputIncompleteError(target, "phần cuối của tệp đọc lại khác với phần đã ghi")
        if verify is not None:
            try:
                verify(tmp if tmp is not None else f"/proc/self/fd/{fd}")
            except OutputIncompleteError:
                raise
            except Exception as exc:
                raise OutputIncompleteError(target, str(exc) or type(exc).__name__) from exc
        if tmp is None:
            _publish_anonymous(fd, directory, name, target, force=force, asked=asked, follow_link=follow_link,
                               tag=tag)
        else:
            if force:
                try:
                    os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
                except FileNotFoundError:
                    pass
            _publish(tmp, target, force=force, asked=asked, follow_link=follow_link)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if (
            isinstance(exc, OSError)
            and not isinstance(exc, (OutputExistsError, OutputWriteError, OutputIncompleteError, ReplaceRefused))
            and (not in_body or exc.errno == errno.ENOSPC)
        ):
            raise OutputWriteError(target, exc) from exc
        raise
    finally:
        if tmp is None:
            os.close(fd)  # an unnamed file not linked into the folder is gone with it
    if durable:
        _fsync_dir(directory)


def ensure_folder(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` (and its parents) if needed; :class:`OutputWriteError` naming
    it when it cannot be (no permission, a part of the path that is a file, a full disk)."""
    target = os.fspath(folder)
    try:
        os.makedirs(target, exist_ok=True)
    except FileExistsError as exc:  # a file has the folder's name
        raise FolderWriteError(target, OSError(errno.ENOTDIR, exc.strerror, target)) from None
    except OSError as exc:
        raise FolderWriteError(target, exc) from None


class FolderWriteError(OutputWriteError):
    """An output folder that cannot be created."""

    def __init__(self, path: str | os.PathLike[str], err: OSError) -> None:
        from .replace_policy import write_failure_hint, write_failure_reason

        super().__init__(path, err)
        self.message = (f"Không tạo được thư mục '{self.path}': {write_failure_reason(err)}. "
                        f"{write_failure_hint(err)}")
        self.args = (err.errno, self.message)
        self.strerror = self.message

    def __reduce__(self):
        return (_rebuild_folder_error, (self.path, self.errno, self.message))


def _rebuild_folder_error(path, code, message):
    err = FolderWriteError(path, OSError(code, message))
    err.message = message
    return err


def publish_file(made: str | os.PathLike[str], path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Move a finished file (made by another program in a folder beside ``path``, on
    the same file system) to ``path``, under the same rule as :func:`atomic_writer`:
    an existing file only with ``force``, never one open in Word or LibreOffice.
    Raises as :func:`atomic_writer`; ``made`` is left where it is when refused."""
    target = os.fspath(path)
    check_replace(target, force=force)
    try:
        if force:
            try:
                os.chmod(made, stat.S_IMODE(os.stat(target).st_mode))
            except FileNotFoundError:
                pass
        _publish(os.fspath(made), target, force=force)
    except (OutputExistsError, ReplaceRefused):
        raise
    except OSError as exc:
        raise OutputWriteError(target, exc) from exc


def _write_unnamed(path: str | os.PathLike[str], data: bytes, tail: bytes | None, *, absent: bool) -> bool:
    """:func:`atomic_writer` with ``anonymous=True`` and no ``force`` for bytes in
    memory, in system calls: the unnamed file made, written (every byte, or the error),
    its last bytes read back with one byte more asked for (so the read proves the size
    on disk too: a shorter file gives fewer, a longer one more), then linked to the
    target's name, which fails if the name exists. False (nothing made) where the
    system makes no unnamed file there or cannot give it a name; the caller then
    writes the named way. Raises as :func:`atomic_writer`."""
    target = os.fspath(path)
    directory = os.path.dirname(target) or "."
    name = os.path.basename(target)
    if not name:
        raise IsADirectoryError(errno.EISDIR, "output path names a folder", target)
    if not absent:
        check_replace(target, force=False)
    try:
        fd = _create_anonymous(directory, name)
    except OSError as exc:
        raise OutputWriteError(target, exc) from exc
    if fd is None:
        return False
    try:
        size = len(data)
        done = os.write(fd, data)
        if done < size:  # a short write (a signal, a nearly full disk): the rest, until an error
            view = memoryview(data)
            while done < size:
                n = os.write(fd, view[done:])
                if n <= 0:
                    raise OutputIncompleteError(target, "kích thước trên đĩa khác số byte đã ghi")
                done += n
        expect = tail if tail else data[-_TAIL:]
        back = os.pread(fd, len(expect) + 1, size - len(expect))
        if len(back) != len(expect):
            raise OutputIncompleteError(target, "kích thước trên đĩa khác số byte đã ghi")
        if back != expect:
            raise OutputIncompleteError(target, "phần cuối của tệp đọc lại khác với phần đã ghi")
        try:
            _link_anonymous(fd, target)
        except FileExistsError:
            raise OutputExistsError(target) from None
        except _NoAnonymousName:
            return False
    except (OutputExistsError, OutputIncompleteError):
        raise
    except OSError as exc:
        raise OutputWriteError(target, exc) from exc
    finally:
        os.close(fd)  # an unnamed file not linked into the folder is gone with it
    return True


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes | bytearray | memoryview | Iterable[bytes],
    *,
    force: bool = False,
    durable: bool = True,
    verify: Callable[[str], None] | None = None,
    tag: str | None = None,
    follow_link: bool = False,
    verify_bytes: Callable[[bytes], None] | None = None,
    anonymous: bool = False,
    absent: bool = False,
) -> None:
    """Write ``data`` (bytes, or an iterable of byte chunks) to ``path`` atomically.

    Same guarantees and errors as :func:`atomic_writer`. ``verify_bytes(data)`` checks
    the bytes in memory before anything is written (raising as ``verify`` does: the
    old file stays, no temporary file is made); the file written must then have
    their size and end with their last bytes, read back from it (a batch's check of
    each document without opening it again: :func:`verify_docx_bytes`). ``anonymous``:
    as :func:`atomic_writer`'s, and written again the named way where the system cannot
    name an unnamed file. ``absent`` (with ``anonymous``, without ``force``): the
    caller has just looked and found nothing at ``path`` (a batch row, before its
    work), so the writer does not look again before writing; the final link still
    refuses a file made there meanwhile (:class:`OutputExistsError`).
    """
    tail = None
    if verify_bytes is not None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("verify_bytes needs the data as bytes")
        try:
            verify_bytes(bytes(data) if not isinstance(data, bytes) else data)
        except OutputIncompleteError:
            raise
        except Exception as exc:
            raise OutputIncompleteError(os.fspath(path), str(exc) or type(exc).__name__) from exc
        tail = bytes(data[-_TAIL:])
    if anonymous and not force and not follow_link and verify is None and isinstance(data, bytes):
        # A batch's new document: straight system calls on the unnamed file (no file
        # object, no context manager), the same checks (see _write_unnamed).
        if _write_unnamed(path, data, tail, absent=absent):
            return
    elif absent:
        raise ValueError("absent: only for a new document written the unnamed way without force")
    if anonymous and isinstance(data, (bytes, bytearray, memoryview)):
        try:
            with atomic_writer(path, force=force, durable=durable, verify=verify, tag=tag,
                               follow_link=follow_link, expect_tail=tail, anonymous=True) as f:
                f.write(data)
            return
        except _NoAnonymousName:
            pass  # nothing took the target's name: the named way below
    with atomic_writer(path, force=force, durable=durable, verify=verify, tag=tag,
                       follow_link=follow_link, expect_tail=tail) as f:
        if isinstance(data, (bytes, bytearray, memoryview)):
            f.write(data)
        else:
            for chunk in data:
                f.write(chunk)


def verify_docx(path: str | os.PathLike[str], *, thorough: bool = True) -> None:
    """The file is a whole zip package whose members all read back (CRC checked) and
    that holds ``[Content_Types].xml``; raises :class:`ValueError` (Vietnamese) otherwise.
    Used before a .docx takes the place of an old one, and by ``--resume``.
    ``thorough=False`` looks only for the zip's end record where a package without a
    comment has it, the last 22 bytes (a file cut short has none there), and otherwise
    reads the central directory: for bytes just written whose size on disk was checked."""
    import zipfile

    if not thorough:
        try:
            with open(path, "rb") as f:
                f.seek(-22, os.SEEK_END)
                if f.read(4) == b"PK\x05\x06":
                    return
        except OSError:
            pass
    try:
        with zipfile.ZipFile(path) as z:
            if "[Content_Types].xml" not in z.NameToInfo:
                raise ValueError("thiếu [Content_Types].xml")
            bad = z.testzip() if thorough else None
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
        raise ValueError(f"không mở được gói .docx: {exc}") from None
    if bad is not None:
        raise ValueError(f"phần {bad} bị hỏng")


def verify_docx_written(path: str | os.PathLike[str]) -> None:
    """:func:`verify_docx` without reading every part back (a batch's thousands)."""
    verify_docx(path, thorough=False)


_TAIL = 64  # bytes read back from a file written with verify_bytes
_EOCD = struct.Struct("<4sHHHHIIH")  # the zip's end record (22 bytes)
_CENTRAL = struct.Struct("<4s24xHHH8xI")  # a central record: name, extra, comment lengths; offset


def verify_docx_bytes(data: bytes) -> None:
    """A package in memory is whole: its end record at the very end, the central
    directory right before it with as many records as it says, each pointing at a
    local header inside the data, and ``[Content_Types].xml`` among the names; raises
    :class:`ValueError` (Vietnamese) otherwise. No part is inflated: for the bytes
    drafter's own writer just built, before they are written.

    >>> verify_docx_bytes(b"PK")
    Traceback (most recent call last):
    ...
    ValueError: không mở được gói .docx: không có bản ghi kết thúc
    """
    size = len(data)
    if size < 22 or data[size - 22:size - 18] != b"PK\x05\x06":
        raise ValueError("không mở được gói .docx: không có bản ghi kết thúc")
    _, disk, cd_disk, here, count, cd_size, cd_offset, comment = _EOCD.unpack_from(data, size - 22)
    if disk or cd_disk or here != count or comment or cd_offset + cd_size != size - 22:
        raise ValueError("không mở được gói .docx: bản ghi kết thúc không khớp")
    pos, found, cd_end = cd_offset, False, cd_offset + cd_size
    unpack, starts = _CENTRAL.unpack_from, data.startswith  # (no slice made per record)
    for _ in range(count):
        if pos + 46 > cd_end:
            raise ValueError("không mở được gói .docx: thư mục trung tâm bị cắt")
        sig, n, e, c, local = unpack(data, pos)
        if sig != b"PK\x01\x02" or local + 30 > cd_offset or not starts(b"PK\x03\x04", local):
            raise ValueError("không mở được gói .docx: thư mục trung tâm hỏng")
        if n == 19 and starts(b"[Content_Types].xml", pos + 46):
            found = True
        pos += 46 + n + e + c
    if pos != cd_offset + cd_size:
        raise ValueError("không mở được gói .docx: thư mục trung tâm không khớp")
    if not found:
        raise ValueError("thiếu [Content_Types].xml")


def ensure_inside(base_dir: str | os.PathLike[str], candidate: str | os.PathLike[str]) -> Path:
    """The resolved ``candidate`` (relative to ``base_dir`` unless absolute), if inside it.

    Symlinks are resolved first, so a link pointing out of ``base_dir`` is caught.
    ``base_dir`` itself does not count as inside. Raises :class:`UnsafePathError`.
    """
    raw = os.fspath(candidate)
    if "\x00" in raw or not raw.strip():
        raise UnsafePathError(base_dir, candidate)
    base = Path(base_dir).resolve()
    path = Path(raw)
    if not path.is_absolute():
        path = base / path
    resolved = path.resolve()
    norm_base = os.path.normcase(str(base))
    norm_res = os.path.normcase(str(resolved))
    try:
        common = os.path.commonpath([norm_base, norm_res])
    except ValueError:  # different drives (Windows)
        common = None
    if norm_res == norm_base or common != norm_base:
        raise UnsafePathError(base_dir, candidate)
    return resolved


def ensure_plain_name(base_dir: str | os.PathLike[str], name: str) -> None:
    """``name`` names an entry directly inside ``base_dir``: no separator, no drive,
    not ``.`` or ``..``. Raises :class:`UnsafePathError`.

    A string test, no file system look-ups, for a batch's thousands of names: a
    symlink already at such an entry is replaced by the writer, never followed, so
    nothing resolved could lead elsewhere.
    """
    if (not name.strip() or name in (".", "..") or "\x00" in name or "/" in name or os.sep in name
            or (os.altsep and os.altsep in name) or os.path.splitdrive(name)[0]):
        raise UnsafePathError(base_dir, name)
