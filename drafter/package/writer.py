"""The fast package writer behind "compile once, render many".

:class:`PackageTemplate` reads a template package once and keeps, for every entry,
its name, metadata (date/time, attributes), CRC-32, sizes and the compressed bytes
exactly as stored. :meth:`PackageTemplate.build` then writes a new package by hand
(local headers, data, central directory, end record): parts that are not replaced
are copied as pre-assembled byte blocks, *never re-compressed*; only replaced or
added parts go through zlib. :mod:`zipfile` has no public API to copy raw
compressed data, hence the hand-written records.

The writer knows nothing of Word beyond part names: it does not touch
``[Content_Types].xml`` or relationships when parts are added or removed; the
caller supplies those parts too.

Output: classic zip (no zip64; refused beyond 4 GiB or 65,535 entries), method 8
(deflate) or 0 (stored), no data descriptors, no extra fields, entry order as in the
template with ``[Content_Types].xml`` first, new parts appended in the order given.
New parts get the timestamp Word itself writes (1980-01-01 00:00), so a build is a
pure function of template and replacements: same input, same bytes.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterable, Mapping

from .errors import PackageError
from .limits import DEFAULT_LIMITS, Limits
from .reader import (
    CENTRAL_SIG,
    CENTRAL_STRUCT,
    DEFLATED,
    END_SIG,
    END_STRUCT,
    FLAG_UTF8,
    LOCAL_SIG,
    LOCAL_STRUCT,
    STORED,
    Package,
    ZipEntry,
    _inflate,
    _main_document_from_rels,
    _unsafe_name_reason,
    open_package,
    parse_xml,
)

__all__ = ["MEM_LEVEL", "PackageTemplate", "Pieces"]


class Pieces(list):
    """A part's content as byte pieces (bytes, memoryviews) one after another, never
    joined: :meth:`PackageTemplate.build` takes their CRC-32 and compresses them in
    turn, the same bytes as for the pieces joined (zlib's output does not depend on how
    its input is cut when nothing is flushed in between: tests/test_package.py). A
    batch row's main part is ~28 KB made of a few pieces: joined, it was one more
    copy of that size, into fresh memory, per document."""

    __slots__ = ()

    def joined(self) -> bytes:
        return b"".join(self)


_CONTENT = (bytes, bytearray, memoryview, Pieces)  # what a replaced part may be

# zlib's memory for a part's compressor: level 6 of 9 (a 16 KB hash table, blocks of
# 4,096 symbols) rather than zlib's default 8 (64 KB and 16,384). A Word part is a few
# tens of KB: the larger tables find a few more matches (a batch's document.xml, 28 KB,
# compresses 0 to 18 bytes larger, 0.5%) and cost 96 KB more memory, zeroed and written
# per part, which a batch row then reads back from further away than its other data
# (cachegrind, a 1 MiB cache: 1,400 misses a row fewer, 35k instructions fewer).
MEM_LEVEL = 6

_U32 = struct.Struct("<I")
_MAX_U32 = 0xFFFFFFFF
_MAX_ENTRIES = 0xFFFF
_KEEP_FLAGS = 0x0006 | FLAG_UTF8  # deflate option bits and the UTF-8 name flag
_DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME_0 = 0
_CONTENT_TYPES = "[content_types].xml"


class _Part:
    """One template entry, pre-assembled for copying."""

    __slots__ = (
        "name", "entry", "data_start", "local_block", "central_head", "name_bytes",
        "create_system", "internal_attr", "external_attr", "dos_time", "dos_date",
        "name_flags",
    )

    def __init__(self, entry: ZipEntry, raw: bytes) -> None:
        self.name = entry.name
        self.entry = entry
        self.name_bytes = entry.raw_name
        self.name_flags = entry.flags & FLAG_UTF8
        self.create_system = entry.create_system
        self.internal_attr = entry.internal_attr
        self.external_attr = entry.external_attr
        self.dos_time = entry.dos_time
        self.dos_date = entry.dos_date
        flags = entry.flags & _KEEP_FLAGS
        self.local_block, self.central_head = _records(
            name_bytes=self.name_bytes, flags=flags, method=entry.method,
            dos_time=entry.dos_time, dos_date=entry.dos_date, crc=entry.crc,
            csize=entry.compress_size, usize=entry.file_size,
            create_system=entry.create_system, internal_attr=entry.internal_attr,
            external_attr=entry.external_attr, data=raw,
        )
        self.data_start = len(self.local_block) - len(raw)

    @property
    def raw(self) -> bytes:
        """The compressed data as stored in the template."""
        return self.local_block[self.data_start :]


def _records(
    *, name_bytes: bytes, flags: int, method: int, dos_time: int, dos_date: int,
    crc: int, csize: int, usize: int, create_system: int, internal_attr: int,
    external_attr: int, data: bytes,
) -> tuple[bytes, bytes]:
    """(local header + name + data, central record without its last 4 offset bytes + name)."""
    version = 20 if method == DEFLATED else 10
    local = LOCAL_STRUCT.pack(
        LOCAL_SIG, version, flags, method, dos_time, dos_date, crc, csize, usize,
        len(name_bytes), 0,
    )
    central = CENTRAL_STRUCT.pack(
        CENTRAL_SIG, 20, create_system, version, flags, method, dos_time, dos_date, crc,
        csize, usize, len(name_bytes), 0, 0, 0, internal_attr, external_attr, 0,
    )
    return local + name_bytes + data, central[:-4]


class PackageTemplate:
    """A template package held in memory, ready to build many outputs quickly.

    Build one with :meth:`from_file`, :meth:`from_bytes` or :meth:`from_package`;
    then call :meth:`build` once per document. Instances are immutable after
    construction and safe to share between threads (and cheap to pickle to worker
    processes: they hold only bytes).
    """

    def __init__(self, parts: list[_Part], *, path: str | None, limits: Limits) -> None:
        self._parts = parts
        self._by_folded = {p.name.lower(): p for p in parts}
        self.path = path
        self.limits = limits
        self._one: dict[str, tuple] = {}  # part name -> what build() of that part alone reuses

    # -- construction
    @classmethod
    def from_package(cls, package: Package, *, verify: bool = True) -> "PackageTemplate":
        """Take every entry of an opened package.

        With ``verify`` (the default) every part is inflated once under the
        package's limits and its CRC checked, so a damaged template is refused now
        instead of being copied into every output.
        """
        parts: list[_Part] = []
        for entry in package.entries():
            if verify and not entry.is_dir:
                package.read(entry.name)
            parts.append(_Part(entry, package.read_raw(entry.name) if not entry.is_dir else b""))
        parts.sort(key=lambda p: p.name.lower() != _CONTENT_TYPES)  # stable: only moves it first
        return cls(parts, path=package.path, limits=package.limits)

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS, verify: bool = True
    ) -> "PackageTemplate":
        """Read a template .docx once (validated by :func:`open_package`)."""
        with open_package(path, limits) as package:
            return cls.from_package(package, verify=verify)

    @classmethod
    def from_bytes(
        cls, data: bytes, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None,
        verify: bool = True,
    ) -> "PackageTemplate":
        """Like :meth:`from_file` for package bytes already in memory."""
        with open_package(data, limits, name=name) as package:
            return cls.from_package(package, verify=verify)

    # -- inspection
    def names(self) -> list[str]:
        """Part names in output order (directory entries left out)."""
        return [p.name for p in self._parts if not p.entry.is_dir]

    def has(self, name: str) -> bool:
        part = self._by_folded.get(name.lstrip("/").lower())
        return part is not None and not part.entry.is_dir

    __contains__ = has

    def read(self, name: str) -> bytes:
        """The uncompressed bytes of a template part (e.g. to compile word/document.xml)."""
        part = self._by_folded.get(name.lstrip("/").lower())
        if part is None or part.entry.is_dir:
            raise PackageError(
                "missing-part", path=self.path, part=name,
                why=f"thiếu phần '{name}'", detail=f"no part named {name!r} in template",
            )
        return _inflate(iter((part.raw,)), part.entry, self.limits, self.path)

    def raw(self, name: str) -> bytes:
        """The compressed bytes of a template part exactly as stored."""
        part = self._by_folded.get(name.lstrip("/").lower())
        if part is None:
            raise KeyError(name)
        return part.raw

    def main_document_name(self) -> str:
        """The main document part named by ``_rels/.rels`` (usually word/document.xml)."""
        if not self.has("_rels/.rels"):
            raise PackageError(
                "missing-part", path=self.path, part="_rels/.rels",
                why="thiếu phần bắt buộc '_rels/.rels' nên không phải là tài liệu Word hợp lệ",
                detail="no _rels/.rels",
            )
        root = parse_xml(self.read("_rels/.rels"), name="_rels/.rels", path=self.path,
                         limits=self.limits)
        return _main_document_from_rels(root, self.has, self.path)

    # -- building
    def build(
        self,
        replacements: Mapping[str, bytes | bytearray | memoryview | Pieces],
        *,
        level: int = 6,
        remove: Iterable[str] = (),
    ) -> bytes:
        """The complete new package as bytes.

        ``replacements`` maps part names to their new uncompressed content; a name
        the template lacks adds a part at the end (names compare case-insensitively
        with the template's, whose spelling is kept). ``level`` is the zlib level
        for replaced parts (0 stores them uncompressed). ``remove`` drops template
        parts. Untouched parts are copied byte for byte, compressed data included.
        """
        if not -1 <= level <= 9:
            raise ValueError(f"compression level must be -1..9, got {level}")
        if len(replacements) == 1 and not remove:
            ((name, data),) = replacements.items()
            part = self._by_folded.get(name.lower()) if isinstance(data, _CONTENT) else None
            if part is not None and not part.entry.is_dir:
                return self._build_one(part, data, level)
        replaced: dict[str, bytes | bytearray | memoryview | Pieces] = {}
        added: list[tuple[str, bytes | bytearray | memoryview | Pieces]] = []
        for name, data in replacements.items():
            if not isinstance(data, _CONTENT):
                raise TypeError(f"replacement for {name!r} must be bytes, not {type(data).__name__}")
            part = self._by_folded.get(name.lower())
            if part is not None and not part.entry.is_dir:
                replaced[part.name] = data
                continue
            reason = _unsafe_name_reason(name)
            if reason is None and name.endswith("/"):
                reason = f"có phần mang tên thư mục ('{name}')"
            if reason is not None:
                raise PackageError("unsafe-name", path=self.path, part=name, why=reason,
                                   detail=f"refusing to add part {name!r}")
            if any(n.lower() == name.lower() for n, _ in added):
                raise PackageError("unsafe-name", path=self.path, part=name,
                                   why=f"có hai phần trùng tên '{name}'",
                                   detail=f"duplicate new part {name!r}")
            added.append((name, data))
        removed: set[str] = set()
        for name in remove:
            part = self._by_folded.get(name.lower())
            if part is None:
                raise PackageError("missing-part", path=self.path, part=name,
                                   why=f"không có phần '{name}' để bỏ đi",
                                   detail=f"cannot remove missing part {name!r}")
            removed.add(part.name)

        blocks: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        u32 = _U32.pack
        for part in self._parts:
            if part.name in removed:
                continue
            data = replaced.get(part.name)
            if data is None:
                block, head = part.local_block, part.central_head
            else:
                block, head = _compress(
                    part.name_bytes, part.name_flags, data, level,
                    dos_time=part.dos_time, dos_date=part.dos_date,
                    create_system=part.create_system, internal_attr=part.internal_attr,
                    external_attr=part.external_attr, path=self.path, name=part.name,
                )
            central.append(head)
            central.append(u32(offset))
            central.append(part.name_bytes)
            blocks.append(block)
            offset += len(block)
            if offset > _MAX_U32:
                raise _too_big(self.path)
        for name, data in added:
            try:
                name_bytes, name_flags = name.encode("ascii"), 0
            except UnicodeEncodeError:
                name_bytes, name_flags = name.encode("utf-8"), FLAG_UTF8
            block, head = _compress(
                name_bytes, name_flags, data, level, dos_time=_DOS_TIME_0,
                dos_date=_DOS_DATE_1980, create_system=0, internal_attr=0, external_attr=0,
                path=self.path, name=name,
            )
            central.append(head)
            central.append(u32(offset))
            central.append(name_bytes)
            blocks.append(block)
            offset += len(block)
            if offset > _MAX_U32:
                raise _too_big(self.path)

        count = len(central) // 3
        if count > _MAX_ENTRIES:
            raise PackageError("too-many-parts", path=self.path,
                               why=f"sẽ có {count} phần, vượt giới hạn {_MAX_ENTRIES} của định dạng zip",
                               detail="more than 65535 entries needs zip64")
        cd_size = sum(map(len, central))
        if offset + cd_size > _MAX_U32:
            raise _too_big(self.path)
        blocks.extend(central)
        blocks.append(END_STRUCT.pack(END_SIG, 0, 0, count, count, cd_size, offset, 0))
        return b"".join(blocks)


    def _build_one(self, part: _Part, data: bytes | bytearray | memoryview | Pieces, level: int) -> bytes:
        """:meth:`build` of one replaced part (a batch's every document): the parts
        before and after it copied as two blocks joined once, their central records
        too; only the records after it get their offsets moved. The same bytes as the
        general path (tests/test_package.py compares them)."""
        plan = self._one.get(part.name)
        if plan is None:
            i = self._parts.index(part)
            before, after = self._parts[:i], self._parts[i + 1:]
            start = sum(len(p.local_block) for p in before)
            central_before, offset = [], 0
            for p in before:
                central_before += [p.central_head, _U32.pack(offset), p.name_bytes]
                offset += len(p.local_block)
            rel, after_records = 0, []  # each later part: its offset after the replaced one
            for p in after:
                after_records.append((p.central_head, rel, p.name_bytes))
                rel += len(p.local_block)
            plan = self._one[part.name] = (
                b"".join(p.local_block for p in before), start, b"".join(p.local_block for p in after), rel,
                b"".join(central_before), tuple(after_records))
        head_blocks, start, tail_blocks, tail_size, central_before, after_records = plan
        block, head = _compress(
            part.name_bytes, part.name_flags, data, level,
            dos_time=part.dos_time, dos_date=part.dos_date,
            create_system=part.create_system, internal_attr=part.internal_attr,
            external_attr=part.external_attr, path=self.path, name=part.name,
        )
        moved = start + len(block)
        offset = moved + tail_size
        if offset > _MAX_U32:
            raise _too_big(self.path)
        u32 = _U32.pack
        central = [central_before, head, u32(start), part.name_bytes]
        for record, rel, name_bytes in after_records:
            central += (record, u32(moved + rel), name_bytes)
        cd = b"".join(central)
        if offset + len(cd) > _MAX_U32:
            raise _too_big(self.path)
        count = len(self._parts)
        if count > _MAX_ENTRIES:
            raise PackageError("too-many-parts", path=self.path,
                               why=f"sẽ có {count} phần, vượt giới hạn {_MAX_ENTRIES} của định dạng zip",
                               detail="more than 65535 entries needs zip64")
        return b"".join((head_blocks, block, tail_blocks, cd,
                         END_STRUCT.pack(END_SIG, 0, 0, count, count, len(cd), offset, 0)))


def _compress(
    name_bytes: bytes, name_flags: int, data: bytes | bytearray | memoryview | Pieces, level: int, *,
    dos_time: int, dos_date: int, create_system: int, internal_attr: int,
    external_attr: int, path: str | None, name: str,
) -> tuple[bytes, bytes]:
    pieces = data if type(data) is Pieces else (data,)
    usize = sum(map(len, pieces))  # (a memoryview's len: its bytes, the pieces being bytes)
    if usize >= _MAX_U32:
        raise _too_big(path, name)
    crc32, crc = zlib.crc32, 0
    if level == 0:
        for piece in pieces:
            crc = crc32(piece, crc)
        method, packed = STORED, b"".join(pieces)
    else:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15, MEM_LEVEL)
        out = []
        for piece in pieces:  # each piece's CRC and compression while it is in the cache
            crc = crc32(piece, crc)
            out.append(compressor.compress(piece))
        out.append(compressor.flush())
        method, packed = DEFLATED, b"".join(out)
    return _records(
        name_bytes=name_bytes, flags=name_flags, method=method, dos_time=dos_time,
        dos_date=dos_date, crc=crc, csize=len(packed), usize=usize,
        create_system=create_system, internal_attr=internal_attr,
        external_attr=external_attr, data=packed,
    )


def _too_big(path: str | None, name: str | None = None) -> PackageError:
    return PackageError(
        "too-large", path=path, part=name,
        why="sẽ vượt 4 GB, giới hạn của định dạng zip mà drafter ghi",
        advice="Hãy giảm dung lượng nội dung (ví dụ nén bớt ảnh) rồi thử lại.",
        detail="output would need zip64",
    )
