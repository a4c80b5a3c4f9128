"""Reading .docx packages (zip files) that may be hostile.

:func:`open_package` parses the zip structure itself (end record, central
directory, local headers) instead of trusting :mod:`zipfile`, so that every bound of
:class:`~drafter.package.limits.Limits` is checked *before* anything is inflated or
any per-entry object is built:

* file size, then the entry count of the end record (before the directory is read),
* each name (absolute, drive letter, backslash, ``..``, NUL, control characters,
  duplicates), encryption flags, compression method,
* declared sizes per part, in total, and the compression ratio,
* that each local header agrees with the directory and that no two entries overlap
  (the trick of "non-recursive" zip bombs).

:meth:`Package.read` then inflates a part in bounded steps and stops as soon as the
output exceeds the declared size or the per-part limit, so a header that lies costs
at most a few hundred kilobytes. Nothing is ever extracted to disk.

:func:`parse_xml` is the only XML entry point of the package layer: a hardened lxml
parser that refuses any DOCTYPE (Word never writes one) before parsing.
"""

from __future__ import annotations

import os
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from ..errors import read_refusal
from ..oxml import internal_rels, is_rel_type
from .errors import PackageError
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "Package",
    "ZipEntry",
    "open_package",
    "parse_xml",
    "is_xml_part",
    "STORED",
    "DEFLATED",
]

STORED = 0
DEFLATED = 8

# Zip record layouts (APPNOTE.TXT 4.3).
LOCAL_SIG = b"PK\x03\x04"
CENTRAL_SIG = b"PK\x01\x02"
END_SIG = b"PK\x05\x06"
ZIP64_END_SIG = b"PK\x06\x06"
ZIP64_LOCATOR_SIG = b"PK\x06\x07"
LOCAL_STRUCT = struct.Struct("<4sHHHHHIIIHH")  # 30 bytes
CENTRAL_STRUCT = struct.Struct("<4sBBHHHHHIIIHHHHHII")  # 46 bytes
END_STRUCT = struct.Struct("<4sHHHHIIH")  # 22 bytes
ZIP64_LOCATOR_STRUCT = struct.Struct("<4sIQI")  # 20 bytes
ZIP64_END_STRUCT = struct.Struct("<4sQHHIIQQQQ")  # 56 bytes

FLAG_ENCRYPTED = 0x0001
FLAG_STRONG_ENCRYPTION = 0x0040
FLAG_UTF8 = 0x0800

_CHUNK = 64 * 1024  # compressed bytes read at a time
_STEP = 256 * 1024  # most bytes one inflate call may produce
_MAX_NAME_BYTES = 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file (.doc, encrypted .docx)
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")



def _mb(n: float) -> str:
    """A size for messages: '64 MB', '1,5 MB', '300 KB' (Vietnamese decimal comma)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
            return text.replace(".", ",") + " " + unit
    return f"{int(n)} byte"


# --------------------------------------------------------------------------- names

_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_name_reason(name: str) -> str | None:
    """Why a zip entry name is refused (Vietnamese clause), or None if it is safe."""
    if not name:
        return "có phần mang tên rỗng"
    if "\x00" in name:
        return f"có phần mang tên chứa ký tự NUL ({name!r})"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return f"có phần mang tên chứa ký tự điều khiển ({name!r})"
    if "\\" in name:
        return f"có phần mang tên chứa dấu '\\' kiểu đường dẫn Windows ('{name}')"
    if name.startswith("/"):
        return f"có phần mang tên là đường dẫn tuyệt đối ('{name}')"
    if _DRIVE.match(name):
        return f"có phần mang tên bắt đầu bằng ổ đĩa ('{name}')"
    segments = name.split("/")
    if segments[-1] == "":  # a directory entry "dir/"
        segments = segments[:-1]
    if any(s in ("..", ".") for s in segments):
        return f"có phần mang tên chứa đoạn '..' hoặc '.' ('{name}')"
    if any(s == "" for s in segments):
        return f"có phần mang tên chứa '//' ('{name}')"
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        return "có phần mang tên quá dài"
    return None


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One entry of the central directory, checked against its local header."""

    name: str
    raw_name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compress_size: int
    file_size: int
    create_version: int
    create_system: int
    extract_version: int
    internal_attr: int
    external_attr: int
    header_offset: int
    data_offset: int

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")


# --------------------------------------------------------------------------- sources


class _Source:
    """Random access to the package bytes, from a file or from memory."""

    size: int

    def read_at(self, offset: int, n: int) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class _FileSource(_Source):
    def __init__(self, path: str) -> None:
        self._f = open(path, "rb")  # noqa: SIM115 - closed by Package.close
        self._lock = threading.Lock()
        self.size = os.fstat(self._f.fileno()).st_size

    def read_at(self, offset: int, n: int) -> bytes:
        with self._lock:
            self._f.seek(offset)
            return self._f.read(n)

    def close(self) -> None:
        self._f.close()


class _BytesSource(_Source):
    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self._data = bytes(data)
        self.size = len(self._data)

    def read_at(self, offset: int, n: int) -> bytes:
        return self._data[offset : offset + n]


# --------------------------------------------------------------------------- package


class Package:
    """An opened, validated .docx package. Use :func:`open_package` to make one.

    Part names compare case-insensitively (as OPC requires) when the exact name is
    not found. A Package holds the file open until :meth:`close` (or the end of a
    ``with`` block); reads are serialised by a lock, so one Package may be shared
    between threads.
    """

    def __init__(
        self, source: _Source, entries: list[ZipEntry], limits: Limits, path: str | None
    ) -> None:
        self._src = source
        self._entries = tuple(entries)
        self._by_name = {e.name: e for e in entries}
        self._by_folded = {e.name.lower(): e for e in entries}
        self.limits = limits
        self.path = path
        self.closed = False

    # -- context manager
    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._src.close()

    def __repr__(self) -> str:
        return f"<Package {self.path!r} parts={len(self.names())}>"

    # -- listing
    def entries(self) -> tuple[ZipEntry, ...]:
        """All entries in archive order, directory entries included."""
        return self._entries

    def names(self) -> list[str]:
        """Part names in archive order (directory entries left out)."""
        return [e.name for e in self._entries if not e.is_dir]

    def _lookup(self, name: str) -> ZipEntry | None:
        entry = self._by_name.get(name)
        if entry is None:
            entry = self._by_folded.get(name.lstrip("/").lower())
        return entry

    def has(self, name: str) -> bool:
        entry = self._lookup(name)
        return entry is not None and not entry.is_dir

    __contains__ = has

    def entry(self, name: str) -> ZipEntry:
        """The entry of a part; a missing part raises ``missing-part``."""
        entry = self._lookup(name)
        if entry is None or entry.is_dir:
            raise PackageError(
                "missing-part",
                path=self.path,
                part=name,
                why=f"thiếu phần bắt buộc '{name}' nên không phải là tài liệu Word hợp lệ",
                detail=f"no part named {name!r}",
            )
        return entry

    # -- reading
    def read_raw(self, name: str) -> bytes:
        """The bytes of a part exactly as stored (the raw deflate stream, or stored data)."""
        entry = self.entry(name)
        self._check_open()
        data = self._src.read_at(entry.data_offset, entry.compress_size)
        if len(data) != entry.compress_size:
            raise self._error("truncated", entry, "short read of compressed data")
        return data

    def read(self, name: str) -> bytes:
        """The uncompressed bytes of a part, inflated under the limits.

        Inflation runs in bounded steps and stops with ``too-large`` as soon as the
        output exceeds the declared size (a lying header) or ``max_part_bytes``; a
        wrong CRC or a short stream raises ``corrupt``.
        """
        entry = self.entry(name)
        self._check_open()
        try:
            return _inflate(self._iter_raw(entry), entry, self.limits, self.path)
        except zlib.error as exc:  # a damaged deflate stream: bad block type, distance too far…
            raise PackageError(
                "corrupt", path=self.path, part=entry.name,
                why="bị hỏng: dữ liệu nén sai, không giải nén được", detail=f"zlib: {exc}",
            ) from None

    def read_xml(self, name: str) -> etree._Element:
        """A part parsed with :func:`parse_xml`."""
        return parse_xml(self.read(name), name=self.entry(name).name, path=self.path, limits=self.limits)

    def main_document_name(self) -> str:
        """The main document part (usually ``word/document.xml``) from ``_rels/.rels``."""
        if not self.has("_rels/.rels"):
            raise PackageError(
                "missing-part",
                path=self.path,
                part="_rels/.rels",
                why="thiếu phần bắt buộc '_rels/.rels' (danh mục quan hệ của gói) "
                "nên không phải là tài liệu Word hợp lệ",
                detail="no _rels/.rels",
            )
        return _main_document_from_rels(self.read_xml("_rels/.rels"), self.has, self.path)

    # -- internals
    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("Package is closed")

    def _iter_raw(self, entry: ZipEntry) -> Iterator[bytes]:
        pos, end = entry.data_offset, entry.data_offset + entry.compress_size
        while pos < end:
            chunk = self._src.read_at(pos, min(_CHUNK, end - pos))
            if not chunk:
                raise self._error("truncated", entry, "short read of compressed data")
            pos += len(chunk)
            yield chunk

    def _error(self, reason: str, entry: ZipEntry, detail: str) -> PackageError:
        return PackageError(reason, path=self.path, part=entry.name, detail=detail)


def _inflate(
    chunks: Iterator[bytes], entry: ZipEntry, limits: Limits, path: str | None
) -> bytes:
    """Inflate (or copy) a part's data, bounded by its declared size and the limits."""
    bound = min(entry.file_size, limits.max_part_bytes)
    parts: list[bytes] = []
    produced = 0
    crc = 0

    def overflow() -> PackageError:
        if produced > limits.max_part_bytes:
            why = (
                f"giải nén ra hơn {_mb(limits.max_part_bytes)}, vượt giới hạn cho một phần "
                "(DRAFTER_MAX_PART_MB)"
            )
        else:
            why = (
                f"giải nén ra nhiều hơn kích thước khai báo ({entry.file_size} byte): tiêu đề "
                "nén khai man, dấu hiệu của «bom nén» (zip bomb)"
            )
        return PackageError(
            "too-large",
            path=path,
            part=entry.name,
            why=why,
            advice="drafter đã dừng giải nén. Đừng dùng tệp này; hãy xin bản gốc do Word tạo ra.",
            detail=f"inflated more than {bound} bytes (declared {entry.file_size})",
        )

    if entry.method == STORED:
        for chunk in chunks:
            produced += len(chunk)
            if produced > bound:
                raise overflow()
            crc = zlib.crc32(chunk, crc)
            parts.append(chunk)
    else:
        d = zlib.decompressobj(-15)
        for chunk in chunks:
            data = chunk
            while data and not d.eof:
                piece = d.decompress(data, _STEP)
                produced += len(piece)
                if produced > bound:
                    raise overflow()
                crc = zlib.crc32(piece, crc)
                parts.append(piece)
                data = d.unconsumed_tail
            if d.eof:
                break
        while not d.eof:  # output still buffered inside zlib
            piece = d.decompress(b"", _STEP)
            if not piece:
                break
            produced += len(piece)
            if produced > bound:
                raise overflow()
            crc = zlib.crc32(piece, crc)
            parts.append(piece)
        if not d.eof:
            raise PackageError(
                "corrupt",
                path=path,
                part=entry.name,
                why="bị hỏng: dữ liệu nén kết thúc giữa chừng",
                detail="deflate stream did not reach its end",
            )
    if produced != entry.file_size:
        raise PackageError(
            "corrupt",
            path=path,
            part=entry.name,
            why="bị hỏng: kích thước sau giải nén không khớp với khai báo",
            detail=f"inflated {produced} bytes, declared {entry.file_size}",
        )
    if crc != entry.crc:
        raise PackageError(
            "corrupt",
            path=path,
            part=entry.name,
            why="bị hỏng: sai mã kiểm tra (CRC) của dữ liệu",
            detail=f"crc {crc:08x} != declared {entry.crc:08x}",
        )
    return b"".join(parts)


def _main_document_from_rels(root: etree._Element, has: object, path: str | None) -> str:
    """Resolve the officeDocument relationship of a package-level .rels tree."""
    for rel in internal_rels(root, ""):
        if not is_rel_type(rel.type, "officeDocument"):
            continue
        target, resolved = rel.target, rel.part
        candidates = [resolved]
        unquoted = unquote(resolved)
        if unquoted != resolved:
            candidates.append(unquoted)
        for name in candidates:
            if has(name):  # type: ignore[operator]
                return name
        raise PackageError(
            "missing-part",
            path=path,
            part=resolved,
            why=f"thiếu phần nội dung chính '{resolved}' nên không phải là tài liệu Word hợp lệ",
            detail=f"officeDocument target {target!r} not in package",
        )
    raise PackageError(
        "missing-part",
        path=path,
        part="word/document.xml",
        why="không khai báo phần nội dung chính (quan hệ officeDocument trong '_rels/.rels') "
        "nên không phải là tài liệu Word hợp lệ",
        detail="no officeDocument relationship in _rels/.rels",
    )


# --------------------------------------------------------------------------- opening


def open_package(
    source: str | os.PathLike[str] | bytes | bytearray | memoryview,
    limits: Limits | None = None,
    *,
    name: str | None = None,
) -> Package:
    """Open and validate a .docx package without inflating any part.

    ``source`` is a file path or the package bytes. ``name`` is how messages call
    the package (defaults to the path). ``limits`` defaults to the built-in limits as
    raised or lowered by the ``DRAFTER_MAX_*`` environment variables
    (:meth:`Limits.from_env`), so every command honours them; an invalid variable
    raises ``bad-limit``. Raises :class:`PackageError` with reason ``unreadable``,
    ``not-zip``, ``truncated``, ``corrupt``, ``too-large``, ``too-many-parts``,
    ``unsafe-name``, ``encrypted`` or ``unsupported``.
    """
    in_memory = isinstance(source, (bytes, bytearray, memoryview))
    if limits is None:
        try:
            limits = Limits.from_env()
        except ValueError as exc:
            label = name if name is not None or in_memory else os.fspath(source)  # type: ignore[arg-type]
            raise PackageError("bad-limit", path=label, why=f"chưa được mở: {str(exc).rstrip('.')}",
                               detail=str(exc)) from None
    if in_memory:
        label = name
        src: _Source = _BytesSource(source)
    else:
        label = name if name is not None else os.fspath(source)
        try:
            src = _FileSource(os.fspath(source))
        except OSError as exc:
            why = {
                "FileNotFoundError": "không tồn tại",
                "IsADirectoryError": "là một thư mục, không phải tệp",
                "PermissionError": "không có quyền đọc",
            }.get(type(exc).__name__, f"không mở được để đọc ({read_refusal(exc)})")
            raise PackageError(
                "unreadable", path=label, why=why, detail=repr(exc)
            ) from exc
    try:
        entries = _scan(src, limits, label)
    except BaseException:
        src.close()
        raise
    return Package(src, entries, limits, label)


def _scan(src: _Source, limits: Limits, path: str | None) -> list[ZipEntry]:
    def fail(reason: str, detail: str, why: str | None = None, part: str | None = None,
             advice: str | None = None) -> PackageError:
        return PackageError(reason, path=path, part=part, why=why, detail=detail, advice=advice)

    size = src.size
    if size > limits.max_package_bytes:
        raise fail(
            "too-large",
            f"file is {size} bytes > max_package_bytes {limits.max_package_bytes}",
            why=f"có dung lượng {_mb(size)}, vượt giới hạn {_mb(limits.max_package_bytes)}",
            advice="Nếu tệp có nguồn gốc tin cậy, có thể nâng giới hạn bằng biến môi "
            "trường DRAFTER_MAX_PACKAGE_MB; hoặc nén bớt ảnh trong Word (Định dạng ảnh → "
            "Nén ảnh) rồi lưu lại.",
        )
    if size == 0:
        raise fail("not-zip", "empty file",
                   why="là tệp rỗng (0 byte), không phải là tệp Word (.docx) hợp lệ")
    head = src.read_at(0, 8)
    if head.startswith(_CFB_MAGIC):
        if _cfb_is_encrypted(src):
            raise fail("encrypted", "OLE compound file with EncryptionInfo stream")
        raise fail(
            "not-zip",
            "OLE compound file (legacy .doc?)",
            why="là tệp Word kiểu cũ (.doc) hoặc tệp Office dạng cũ, không phải .docx",
        )
    if head.startswith(b"%PDF"):
        raise fail("not-zip", "PDF file", why="là tệp PDF, không phải tệp Word (.docx)",
                   advice="Hãy dùng bản .docx gốc của văn bản (drafter không đọc PDF).")
    if head.startswith(b"{\\rtf"):
        raise fail("not-zip", "RTF file", why="là tệp RTF, không phải tệp Word (.docx)")

    # End of central directory record: the last 22 bytes plus up to 64 KiB comment.
    tail_len = min(size, END_STRUCT.size + 0xFFFF)
    tail = src.read_at(size - tail_len, tail_len)
    pos = tail.rfind(END_SIG)
    while pos >= 0 and pos + END_STRUCT.size > len(tail):
        pos = tail.rfind(END_SIG, 0, pos)
    if pos < 0:
        if head.startswith(LOCAL_SIG):
            raise fail("truncated", "no end of central directory record")
        raise fail("not-zip", "no zip signature")
    end_offset = size - tail_len + pos
    (_, disk_no, cd_disk, n_disk, n_total, cd_size, cd_offset, _) = END_STRUCT.unpack_from(tail, pos)
    cd_end_expected = end_offset

    locator_offset = end_offset - ZIP64_LOCATOR_STRUCT.size
    if locator_offset >= 0 and src.read_at(locator_offset, 4) == ZIP64_LOCATOR_SIG:
        _, _, z64_offset, _ = ZIP64_LOCATOR_STRUCT.unpack(
            src.read_at(locator_offset, ZIP64_LOCATOR_STRUCT.size)
        )
        rec = src.read_at(z64_offset, ZIP64_END_STRUCT.size)
        if len(rec) != ZIP64_END_STRUCT.size or not rec.startswith(ZIP64_END_SIG):
            raise fail("corrupt", "bad zip64 end record")
        (_, _, _, _, disk_no, cd_disk, n_disk, n_total, cd_size, cd_offset) = (
            ZIP64_END_STRUCT.unpack(rec)
        )
        cd_end_expected = z64_offset

    if disk_no != 0 or cd_disk != 0 or n_disk != n_total:
        raise fail("unsupported", "multi-disk archive",
                   why="là tệp nén chia thành nhiều phần (multi-volume), drafter không hỗ trợ")
    if n_total > limits.max_parts:
        raise fail(
            "too-many-parts",
            f"{n_total} entries > max_parts {limits.max_parts}",
            why=f"chứa {n_total} phần bên trong, nhiều hơn giới hạn {limits.max_parts} "
            "(tài liệu Word thông thường chỉ có vài chục phần)",
        )
    if cd_offset + cd_size > cd_end_expected:
        if cd_offset + cd_size > size:
            raise fail("truncated", "central directory beyond end of file")
        raise fail("corrupt", "central directory overlaps end record")
    if cd_offset + cd_size != cd_end_expected:
        raise fail("corrupt", "data between central directory and end record, or prefix data")

    cd = src.read_at(cd_offset, cd_size)
    if len(cd) != cd_size:
        raise fail("truncated", "short central directory")

    entries: list[ZipEntry] = []
    seen: set[str] = set()
    total = 0
    p = 0
    for _ in range(n_total):
        if p + CENTRAL_STRUCT.size > cd_size:
            raise fail("corrupt", "central directory shorter than its entry count")
        (sig, create_version, create_system, extract_version, flags, method, dos_time,
         dos_date, crc, csize, usize, nlen, xlen, clen, disk_start, internal_attr,
         external_attr, header_offset) = CENTRAL_STRUCT.unpack_from(cd, p)
        if sig != CENTRAL_SIG:
            raise fail("corrupt", f"bad central directory signature at {cd_offset + p}")
        p += CENTRAL_STRUCT.size
        raw_name = cd[p : p + nlen]
        extra = cd[p + nlen : p + nlen + xlen]
        p += nlen + xlen + clen
        if p > cd_size:
            raise fail("corrupt", "central directory entry runs past its end")

        try:
            name = raw_name.decode("utf-8" if flags & FLAG_UTF8 else "cp437")
        except UnicodeDecodeError:
            raise fail("unsafe-name", f"undecodable name {raw_name!r}",
                       why="có phần mang tên không đọc được (sai mã UTF-8)") from None
        reason = _unsafe_name_reason(name)
        if reason is not None:
            raise fail("unsafe-name", f"unsafe entry name {name!r}", why=reason, part=name)
        folded = name.lower()
        if folded in seen:
            raise fail("unsafe-name", f"duplicate entry name {name!r}", part=name,
                       why=f"có hai phần trùng tên '{name}' (không rõ nên đọc phần nào)")
        seen.add(folded)

        if usize == 0xFFFFFFFF or csize == 0xFFFFFFFF or header_offset == 0xFFFFFFFF \
                or disk_start == 0xFFFF:
            usize, csize, header_offset = _zip64_extra(extra, usize, csize, header_offset,
                                                       lambda d: fail("corrupt", d, part=name))
        if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION):
            raise fail("encrypted", f"entry {name!r} is encrypted", part=None)
        if method not in (STORED, DEFLATED):
            raise fail("unsupported", f"compression method {method} for {name!r}", part=name,
                       why=f"dùng kiểu nén số {method} mà drafter không hỗ trợ "
                       "(Word chỉ dùng kiểu nén deflate)")
        if method == STORED and csize != usize:
            raise fail("corrupt", f"stored entry {name!r} with csize {csize} != usize {usize}",
                       part=name)
        if usize > limits.max_part_bytes:
            raise fail(
                "too-large", f"{name!r} declares {usize} bytes > max_part_bytes", part=name,
                why=f"có kích thước giải nén {_mb(usize)}, vượt giới hạn "
                f"{_mb(limits.max_part_bytes)} cho một phần (DRAFTER_MAX_PART_MB)",
            )
        total += usize
        if total > limits.max_total_bytes:
            raise fail(
                "too-large", f"declared total > max_total_bytes {limits.max_total_bytes}",
                why=f"có tổng kích thước giải nén hơn {_mb(limits.max_total_bytes)}, vượt giới "
                "hạn (DRAFTER_MAX_TOTAL_MB)",
            )
        if usize > limits.ratio_min_bytes and usize > limits.max_ratio * max(csize, 1):
            ratio = usize / max(csize, 1)
            raise fail(
                "too-large", f"{name!r} ratio {ratio:.0f}:1 > max_ratio {limits.max_ratio}",
                part=name,
                why=f"giải nén ra {_mb(usize)} từ {_mb(csize)} dữ liệu nén (gấp {ratio:.0f} lần), "
                "dấu hiệu của «bom nén» (zip bomb)",
                advice="drafter không giải nén phần này. Đừng dùng tệp này; nếu tệp tin cậy, "
                "có thể nâng giới hạn bằng DRAFTER_MAX_RATIO.",
            )
        entries.append(ZipEntry(
            name=name, raw_name=raw_name, flags=flags, method=method, dos_time=dos_time,
            dos_date=dos_date, crc=crc, compress_size=csize, file_size=usize,
            create_version=create_version, create_system=create_system,
            extract_version=extract_version, internal_attr=internal_attr,
            external_attr=external_attr, header_offset=header_offset, data_offset=-1,
        ))
    if p != cd_size:
        raise fail("corrupt", f"central directory has {cd_size - p} bytes beyond its entries")

    # Local headers: must agree with the directory, lie before it, and not overlap.
    checked: list[ZipEntry] = []
    for e in entries:
        if e.header_offset + LOCAL_STRUCT.size > cd_offset:
            raise fail("corrupt", f"local header of {e.name!r} beyond data area", part=e.name)
        (sig, _, lflags, _, _, _, _, _, _, lnlen, lxlen) = LOCAL_STRUCT.unpack(
            src.read_at(e.header_offset, LOCAL_STRUCT.size)
        )
        if sig != LOCAL_SIG:
            raise fail("corrupt", f"bad local header signature for {e.name!r}", part=e.name)
        if lflags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION):
            raise fail("encrypted", f"local header of {e.name!r} says encrypted")
        if src.read_at(e.header_offset + LOCAL_STRUCT.size, lnlen) != e.raw_name:
            raise fail("corrupt", f"local name differs from directory for {e.name!r}",
                       part=e.name)
        data_offset = e.header_offset + LOCAL_STRUCT.size + lnlen + lxlen
        if data_offset + e.compress_size > cd_offset:
            raise fail("corrupt", f"data of {e.name!r} runs into the central directory",
                       part=e.name)
        checked.append(_with_data_offset(e, data_offset))
    spans = sorted((e.header_offset, e.data_offset + e.compress_size, e.name) for e in checked)
    for (_, end, first), (start, _, second) in zip(spans, spans[1:]):
        if start < end:
            raise fail(
                "corrupt", f"entries {first!r} and {second!r} overlap", part=second,
                why="bị hỏng hoặc bị làm giả: các phần nén chồng lên nhau (kiểu «bom nén»)",
                advice="Đừng dùng tệp này; hãy xin bản gốc do Word tạo ra.",
            )
    return checked


def _with_data_offset(e: ZipEntry, data_offset: int) -> ZipEntry:
    return ZipEntry(
        name=e.name, raw_name=e.raw_name, flags=e.flags, method=e.method,
        dos_time=e.dos_time, dos_date=e.dos_date, crc=e.crc, compress_size=e.compress_size,
        file_size=e.file_size, create_version=e.create_version,
        create_system=e.create_system, extract_version=e.extract_version,
        internal_attr=e.internal_attr, external_attr=e.external_attr,
        header_offset=e.header_offset, data_offset=data_offset,
    )


def _zip64_extra(extra: bytes, usize: int, csize: int, offset: int, fail) -> tuple[int, int, int]:
    """Read the sizes/offset that a zip64 extra field (id 1) carries for a central entry."""
    i = 0
    while i + 4 <= len(extra):
        tag, ln = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + ln]
        if tag == 0x0001:
            values = list(struct.unpack_from(f"<{len(body) // 8}Q", body))
            try:
                if usize == 0xFFFFFFFF:
                    usize = values.pop(0)
                if csize == 0xFFFFFFFF:
                    csize = values.pop(0)
                if offset == 0xFFFFFFFF:
                    offset = values.pop(0)
            except IndexError:
                raise fail("zip64 extra field too short") from None
            return usize, csize, offset
        i += 4 + ln
    raise fail("zip64 sizes without zip64 extra field")


def _cfb_is_encrypted(src: _Source) -> bool:
    """Does an OLE compound file hold an EncryptionInfo stream (password-protected .docx)?"""
    overlap = len(_ENCRYPTION_INFO)
    pos, prev = 0, b""
    while pos < src.size:
        chunk = src.read_at(pos, 1 << 20)
        if not chunk:
            break
        if _ENCRYPTION_INFO in prev + chunk:
            return True
        prev = chunk[-overlap:]
        pos += len(chunk)
    return False


# --------------------------------------------------------------------------- XML

# The parts of an Office package that are XML, by name: the document's parts and
# relationships, legacy VML drawings and SVG images (an SVG can declare entities too).
XML_PART_SUFFIXES = (".xml", ".rels", ".vml", ".svg")


def is_xml_part(name: str) -> bool:
    """Is the part `name` XML, to be parsed (and refused with a declaration) as such?"""
    return name.lower().endswith(XML_PART_SUFFIXES)


_DECL_BYTES = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECL_TEXT = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_local = threading.local()


def _parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            dtd_validation=False,
        )
        _local.parser = parser
    return parser


def _has_declaration(data: bytes) -> bool:
    """Does the document contain a DOCTYPE or ENTITY declaration (in any encoding)?"""
    if _DECL_BYTES.search(data):
        return True
    head = data[:4]
    encoding = None
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head.startswith(b"<\x00\x00\x00"):
        encoding = "utf-32-le"
    elif head.startswith(b"\x00\x00\x00<"):
        encoding = "utf-32-be"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    if encoding is None:
        return False
    return bool(_DECL_TEXT.search(data.decode(encoding, errors="replace")))


def parse_xml(
    data: bytes,
    *,
    name: str,
    path: str | os.PathLike[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> etree._Element:
    """Parse one XML part with a hardened parser and return its root element.

    Any DOCTYPE or ENTITY declaration is refused with ``entity`` *before* parsing
    (Word never writes one; this rules out XXE and entity expansion bombs), and
    checked again after parsing for encodings the byte scan cannot see. The parser
    resolves no entities, loads no DTD, uses no network and keeps libxml2's size and
    depth limits (no ``huge_tree``). Malformed XML raises ``bad-xml`` naming the part.
    """
    label = None if path is None else os.fspath(path)
    if _has_declaration(data):
        raise PackageError("entity", path=label, part=name, detail="DOCTYPE/ENTITY declaration")
    if not data.strip():
        raise PackageError("bad-xml", path=label, part=name, why="rỗng, không phải XML hợp lệ",
                           detail="empty part")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        where = f" (lỗi ở dòng {line})" if line else ""
        raise PackageError(
            "bad-xml", path=label, part=name, why=f"không phải XML hợp lệ{where}",
            detail=str(exc),
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise PackageError("entity", path=label, part=name, detail="DOCTYPE found after parsing")
    if limits.max_xml_depth is not None:
        _check_depth(root, limits.max_xml_depth, name, label)
    return root


def _check_depth(root: etree._Element, max_depth: int, name: str, path: str | None) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise PackageError(
                "too-large", path=path, part=name,
                why=f"có các phần tử XML lồng nhau quá {max_depth} tầng (DRAFTER_MAX_XML_DEPTH)",
                detail=f"XML depth > {max_depth}",
            )
        stack.extend((child, depth + 1) for child in element)
