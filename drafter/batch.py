"""Batch drafting: one document per row of a sheet (or per administrative unit).

The draft and its presets are read, merged and compiled once; each row is then a
dictionary substitution, a validation, a derivation and one render of the compiled
template, written atomically. A failing row is recorded and the others go on. Work
is spread over processes (fork): each inherits the compiled plan, none re-reads or
re-compiles anything. A manifest (CSV and JSON) in the output folder lists every
row's file, status and message, and lets `--resume` skip unchanged rows.

A row's digest covers everything its document depends on: the loaded draft (presets
merged, appendix sheets read into typed tables), the template's bytes, the bytes of
every sheet the row's appendices were read from, and the row's values. `--resume`
redoes a row whose digest changed or whose document on disk no longer opens.

Every document is checked (a whole zip package that reads back) before it takes the
place of an old one. Ctrl-C, SIGTERM and SIGHUP stop the batch between documents: the
documents already made stay and are all in the manifest (rows an earlier run made and
this one did not reach keep their entries), and only the temporary files this run
made (tagged with the run's own random tag) are removed.
"""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import heapq
import json
import os
import pickle
import re
import signal
import tempfile
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, NamedTuple

from . import api, model, workpool
from .errors import ERROR, WARNING, DrafterError, Position, Problem, display_path, ordered
from .inputs import appendix_sheets
from .inputs import rows as row_tpl
from .inputs.yamlfile import Loaded, key_path
from .package.atomic import (
    OutputIncompleteError,
    atomic_write_bytes,
    atomic_writer,
    ensure_plain_name,
    new_tag,
    remove_tagged_temps,
    verify_docx,
    verify_docx_bytes,
)
from .package.replace_policy import ReplaceRefused, write_failure_reason
from .render import context as render_context
from .render import engine
from .rules import filenames, xmlchars

MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
OK, FAILED, SKIPPED, KEPT = "ok", "loi", "bo-qua", "giu-nguyen"
KEPT_MESSAGE = "Tệp đã có, giữ nguyên; thêm --force để ghi đè, hoặc --resume để chỉ làm lại hàng đã đổi."
SHOWN_FAILURES = 20
LOST_WORKER = ("Một tiến trình tạo văn bản (-j) bị dừng đột ngột giữa chừng, thường do máy hết bộ nhớ; "
               "lệnh dừng lại, các văn bản đã tạo vẫn nguyên vẹn và có trong danh sách.")
LOST_WORKER_HINT = "Chạy lại đúng lệnh đó với --resume để làm tiếp; nếu máy thiếu bộ nhớ, dùng -j nhỏ hơn."
STOP_GRACE = 1.5  # seconds without any result from the workers, once stopping, before they are ended
GC_EVERY = 200  # lxml trees in reference cycles: collect now and then, memory stays flat
# While rows are made the collector runs only between blocks of rows: every GC_EVERY rows, or
# sooner once this many objects it tracks were made and not freed since the last run
# (a row that leaves much in cycles is collected after fewer rows). Its own runs in
# the middle of a row walked the row's live objects again and again (0.2 ms a row).
GC_OBJECTS = 200_000
GC_FULL_EVERY = 10  # of those collections, every 10th walks the oldest generation too (the caches)
# Rows taken a stage at a time (Plan.render_rows): 64 keeps each stage's code and data
# in the processor's cache across rows (16: 0.74×, 64: 0.69× the time of one by one).
# A block's rows are held from stage to stage: the first block is FIRST_BLOCK rows,
# each next one as many as keep its documents within BLOCK_BYTES (compressed; a row's
# objects on the way are some tens of times its document's bytes).
BLOCK = 64
FIRST_BLOCK = 8
BLOCK_BYTES = 1 << 20


@dataclass
class Job:
    number: int  # the row number as the sheet shows it (header = 1)
    values: dict[str, Any]
    stem: str
    refused: str = ""  # why the row gets no document (e.g. a formula cell), Vietnamese
    refused_key: str | None = None
    notes: list = field(default_factory=list)  # the sheet's own notes on the row's cells (see Outcome)


@dataclass
class Outcome:
    row: int
    file: str | None
    status: str
    message: str = ""
    key: str | None = None
    digest: str = ""  # inputs of the file now on disk for this row (what --resume compares)
    # The row's problems as the sheet's user reads them: [severity, place, text], place
    # naming the cell ("cột «Số liệu» (ô C7)") or the draft's key, "" for the row.
    notes: list = field(default_factory=list)

    def __reduce__(self):  # pickled as its fields (to the parent, into the spool): a third of the default's cost
        return (Outcome, (self.row, self.file, self.status, self.message, self.key, self.digest, self.notes))


class Spool:
    """Items pickled one after another into an anonymous temporary file (gone when the
    process ends, however it ends): written once, read back in order as often as
    needed, never all in memory. A batch's rows and outcomes live here."""

    _BLOCK = 1 << 18

    def __init__(self) -> None:
        self._f = tempfile.TemporaryFile()
        self._size = 0
        self.count = 0

    def append(self, item: Any) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        # The file's offset is always the end: readers read at positions (os.pread), never
        # through the file object (its tell() was a system call per item).
        self._f.write(len(data).to_bytes(4, "little") + data)
        self._size += 4 + len(data)
        self.count += 1

    def append_packed(self, blob: bytes, count: int) -> None:
        """``count`` items already in the spool's own record layout (:func:`pack_records`,
        made by a worker): written as they are, nothing unpickled here."""
        self._f.write(blob)
        self._size += len(blob)
        self.count += count

    def clear(self) -> None:
        self._f.seek(0)
        self._f.truncate()
        self._size = self.count = 0

    def close(self) -> None:
        self._f.close()

    def __len__(self) -> int:
        return self.count

    @property
    def end(self) -> int:
        """The offset the next item will be written at."""
        return self._size

    def flush(self) -> None:
        """Everything appended on the file itself (before a fork: workers read it)."""
        self._f.flush()

    def __iter__(self) -> Iterator[Any]:
        return (item for _, item in self.items_from(0))

    def items_from(self, start: int, count: int | None = None) -> Iterator[tuple[int, Any]]:
        """(offset, item) from the item at offset ``start`` on (``count`` of them, or
        to the end). Each reader keeps its own place (several may run at once, in
        this process or in a forked worker: positional reads, never the file's shared
        offset), read in blocks."""
        self._f.flush()
        fd, pos, end = self._f.fileno(), start, self._size
        loads, length = pickle.loads, int.from_bytes
        buf, i, base = b"", 0, start  # base: the offset of buf[0]
        view = memoryview(buf)  # each item unpickled from the block, not from a copy of its bytes
        while True:
            size = len(buf)
            while size - i >= 4:
                need = 4 + length(buf[i:i + 4], "little")
                if size - i < need:
                    break
                if count is not None:
                    if count <= 0:
                        return
                    count -= 1
                yield base + i, loads(view[i + 4:i + need])
                i += need
            if pos >= end or count is not None and count <= 0:
                return
            need = 4 + length(buf[i:i + 4], "little") if size - i >= 4 else 4
            chunk = os.pread(fd, min(max(self._BLOCK if count is None or count > 64 else 4096, need), end - pos), pos)
            if not chunk:
                return
            pos += len(chunk)
            base += i
            view.release()
            buf, i = buf[i:] + chunk, 0
            view = memoryview(buf)


def pack_records(items: Iterable[Any]) -> bytes:
    """Items in a :class:`Spool`'s record layout (length, then the pickle), joined."""
    dumps, out = pickle.dumps, []
    for item in items:
        data = dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        out.append(len(data).to_bytes(4, "little"))
        out.append(data)
    return b"".join(out)


class Outcomes(Sequence):
    """A batch's outcomes in row order, kept on disk (a :class:`Spool`), with the count
    of each status: a whole country's rows without holding them."""

    def __init__(self, items: Iterable[Outcome] = ()) -> None:
        self._spool = Spool()
        self.counts = {OK: 0, FAILED: 0, SKIPPED: 0, KEPT: 0}
        for o in items:
            self.append(o)

    def append(self, o: Outcome) -> None:
        # Kept as a tuple of its fields: pickled and read back in a fifth of the time.
        self._spool.append(_fields(o))
        self.counts[o.status] = self.counts.get(o.status, 0) + 1

    @staticmethod
    def pack(items: Iterable[Outcome | None]) -> "PackedOutcomes":
        """A worker's outcomes as :meth:`extend_packed` takes them: the spool's records
        made in the worker, so the parent (which shares the cores with the workers)
        only writes bytes, unpickling no outcome. None (a row not started) is left out."""
        made = [o for o in items if o is not None]
        counts: dict[str, int] = {}
        for o in made:
            counts[o.status] = counts.get(o.status, 0) + 1
        return PackedOutcomes(pack_records(map(_fields, made)), len(made), counts)

    def extend_packed(self, packed: "PackedOutcomes") -> None:
        self._spool.append_packed(packed.records, packed.count)
        for status, n in packed.counts.items():
            self.counts[status] = self.counts.get(status, 0) + n

    def __len__(self) -> int:
        return self._spool.count

    def __iter__(self) -> Iterator[Outcome]:
        return (Outcome(*fields) for fields in self._spool)

    def fields(self) -> Iterator[tuple]:
        """Each outcome as the tuple of its fields (:func:`_fields`), not made into an Outcome."""
        return iter(self._spool)

    def __getitem__(self, index):  # a few rows' look-up (tests); iteration is the way
        return list(self)[index]

    def close(self) -> None:
        self._spool.close()


def _fields(o: Outcome) -> tuple:
    return (o.row, o.file, o.status, o.message, o.key, o.digest, o.notes)


_FIELD_NAMES = tuple(Outcome.__dataclass_fields__)  # in _fields' order


class PackedOutcomes(NamedTuple):
    """Outcomes of a worker's chunk: their spool records, how many, the count of each status."""

    records: bytes
    count: int
    counts: dict


@dataclass
class BatchResult:
    outcomes: Sequence[Outcome]  # in row order (an :class:`Outcomes` after run)
    out_dir: Path
    seconds: float
    data_note: str = ""
    pdfs: list[Path] = field(default_factory=list)
    interrupted: bool = False
    signal: int = 0  # the signal that stopped the batch (SIGINT for Ctrl-C), 0 if none
    warnings: list[Problem] = field(default_factory=list)  # the draft's own, shown once
    data_name: str = ""  # the data as the user names it: "danh-sach.xlsx", "--units Hà Tĩnh"
    # The manifest could not be written (a full disk): the documents made are still on
    # disk and counted; the command says both.
    manifest_problem: Problem | None = None

    def _count(self, status: str) -> int:
        counts = getattr(self.outcomes, "counts", None)
        return counts.get(status, 0) if counts is not None else sum(o.status == status for o in self.outcomes)

    @property
    def ok(self) -> int:
        return self._count(OK)

    @property
    def failed(self) -> int:
        return self._count(FAILED)

    @property
    def skipped(self) -> int:
        return self._count(SKIPPED)

    @property
    def kept(self) -> int:
        return self._count(KEPT)


def _json_dumps(*, sort_keys: bool, default: Callable[[Any], Any] | None) -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, sort_keys=…, default=…)``, its encoder
    made once: json's C encoder where there is one (JSONEncoder.encode makes one, with
    its closures, per call: most of a row's digest, half of a manifest's line), the
    same text. No circular check (a row's cells, a manifest's entries: plain data)."""
    from json import encoder as _enc

    encoder = json.JSONEncoder(sort_keys=sort_keys, ensure_ascii=False, default=default)
    plain = encoder.encode
    make = getattr(_enc, "c_make_encoder", None)
    basestring = getattr(_enc, "c_encode_basestring", None)
    if make is None or basestring is None:
        return plain
    try:
        encode = make(None, encoder.default, basestring, None, ": ", ", ", sort_keys, False, True)
    except TypeError:  # another signature: the plain way
        return plain
    join = "".join

    def dumps(value: Any) -> str:
        return join(encode(value, 0))

    return dumps


# json.dumps(values, sort_keys=True, ensure_ascii=False, default=str), the encoder made once
_row_json_once = _json_dumps(sort_keys=True, default=str)
# A text as json writes it (ensure_ascii=False)
_quote = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


class _RowJson:
    """:data:`_row_json_once` of a batch's rows, whose keys are the sheet's columns in the
    same order every row: the keys sorted and written once (json sorts the items,
    tuples compared, for every row), a text cell or an empty one written by json's
    own string encoder; a row with another value (a number, a date) or other keys
    goes through the whole encoder. The same text (tests/test_batch_digest.py)."""

    def __init__(self) -> None:
        self._keys: tuple = ()
        self._sorted: list[tuple[str, str]] = []  # (key, its JSON and ': ') in json's order

    def __call__(self, values: dict) -> str:
        keys = tuple(values)
        if keys != self._keys:
            if not all(type(k) is str for k in keys):
                return _row_json_once(values)
            self._keys = keys
            self._sorted = [(k, _quote(k) + ": ") for k in sorted(keys)]
        quote, out = _quote, []
        for k, head in self._sorted:
            v = values[k]
            if type(v) is str:
                out.append(head + quote(v))
            elif v is None:
                out.append(head + "null")
            else:
                return _row_json_once(values)
        return "{" + ", ".join(out) + "}"


class Plan:
    """Everything rows share, prepared once before any row is rendered."""

    electronic = False  # batch --dien-tu: every row laid out for digital signing

    def __init__(self, loaded: Loaded, columns: list[str], out_dir: Path, draft_dir: Path,
                 data_file: str, force: bool, letters: dict[str, str] | None = None):
        self.loaded = loaded
        self.letters = letters or {}  # column -> its letter in the sheet ("C"); none for --units
        self.out_dir = out_dir
        self.draft_dir = draft_dir
        self.data_file = data_file
        self.force = force
        try:
            self.rows = row_tpl.RowTemplate(loaded.data, columns, set(model.Draft.model_fields))
        except row_tpl.RowError as exc:
            raise DrafterError(Problem(str(exc), loaded.position(tuple(exc.key.split("."))), key=exc.key)) from None
        base = json.dumps(loaded.data, sort_keys=True, ensure_ascii=False, default=str)
        self._base_digest = hashlib.sha256(base.encode()).hexdigest()
        self._template_digests: dict[Path, Any] = {}  # template -> the hash of the shared start
        self._row_json = _RowJson()
        self._file_digests: dict[str, str] = {}
        self.tag = new_tag()  # names this run's temporary files, and only them
        self.sheets: appendix_sheets.Cache = {}
        self._templates: dict[str, tuple[Path, engine.CompiledTemplate]] = {}
        self._out = os.path.join(os.fspath(out_dir), "")  # a row's path: this and its name
        self._present = None if force else _names_in(out_dir)
        self._block = min(BLOCK, FIRST_BLOCK)  # rows a stage takes in turn (render_rows), then sized
        self._block_docs = self._block_bytes = 0  # documents rendered since last sized, their bytes

    def template_for(self, layout: str) -> tuple[Path, engine.CompiledTemplate]:
        """Found and compiled once per layout for the whole batch (no look-up per row)."""
        found = self._templates.get(layout)
        if found is None:
            path = api.find_template(layout, self.draft_dir)
            found = self._templates[layout] = (path, engine.compiled(path))
        return found

    def _file_digest(self, path: str) -> str:
        d = self._file_digests.get(path)
        if d is None:
            try:
                d = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                d = "?"
            self._file_digests[path] = d
        return d

    def digest(self, values: dict, template: Path, loaded: Loaded | None = None) -> str:
        # sha256(f"{base}|{template}|{row}|{sheets}{layout}"): the hash of what every row
        # shares (the draft's and the template's digests) made once per template, copied.
        start = self._template_digests.get(template)
        if start is None:
            t = hashlib.sha256(template.read_bytes()).hexdigest()
            start = self._template_digests[template] = hashlib.sha256(f"{self._base_digest}|{t}|".encode())
        row = self._row_json(values)
        sheets = ""
        if loaded is not None:  # each sheet a row's appendices were read from, by content
            items = loaded.data.get("phu_luc")
            files = sorted({str(f) for pl in (items if isinstance(items, list) else [])
                            if hasattr(pl, "get") and (f := getattr(pl.get("bang"), "source_file", None))})
            sheets = ",".join(f"{f}={self._file_digest(f)}" for f in files)
        layout = "|dien-tu" if self.electronic else ""  # a paper document is not the electronic one
        h = start.copy()
        h.update(f"{row}|{sheets}{layout}".encode())
        return h.hexdigest()[:32]

    def render_rows(self, jobs: Sequence[Job], previous: Mapping[int, dict] | None = None,
                    resume: bool = False) -> list[Outcome]:
        """Each job's outcome, the rows taken a stage at a time (_STAGES): every row of
        the block read and checked, then each derived and laid out, then rendered, then
        written. A stage sees the row before at the same stage, as one row at a time
        does: the same outcomes and bytes. A row alone runs some 250 functions, more
        code and caches than a core's own cache holds, so each row found them pushed
        out by its own other stages; a stage run for many rows keeps them (a third less
        time a document: bench/bench_limit.py)."""
        outcomes: list[Outcome | None] = [None] * len(jobs)
        rows: list[_Row] = []
        for i, job in enumerate(jobs):
            row = _Row(i, job)
            outcomes[i] = self._start(row, previous, resume)
            if outcomes[i] is None:
                rows.append(row)
        for stage in _STAGES:
            left = []
            for row in rows:
                try:
                    done = stage(self, row, previous, resume)
                except _ROW_FAILURES as exc:
                    done = self._failure(row, exc, previous)
                if done is None:
                    left.append(row)
                else:
                    outcomes[row.i] = done
            rows = left
        self._sized()
        return outcomes  # type: ignore[return-value]  (every row ends at a stage)

    def block_size(self) -> int:
        """Rows taken stage by stage (render_rows): FIRST_BLOCK, then BLOCK, fewer when
        the documents are large (a block's rows are held from stage to stage: BLOCK_BYTES)."""
        return self._block

    def _sized(self) -> None:
        """The next block's size from the documents rendered since the last."""
        if self._block_docs:
            each = self._block_bytes // self._block_docs
            self._block = max(1, min(BLOCK, BLOCK_BYTES // max(1, each)))
            self._block_docs = self._block_bytes = 0

    def _start(self, row: "_Row", previous: Mapping[int, dict] | None, resume: bool) -> Outcome | None:
        """A row refused by the sheet, or whose document is there already without
        --force: its outcome now; else None."""
        job = row.job
        if job.refused:
            return Outcome(job.number, None, FAILED, job.refused, key=job.refused_key, notes=job.notes)
        row.name = name = f"{job.stem}.docx"
        row.path = path = self._out + name
        # Asked of the folder only for a name it held when the batch started (or for
        # every row in a large folder): a new folder costs no system call per row.
        if not (self.force or resume) and (self._present is None or name in self._present) \
                and os.path.lexists(path):
            return self._kept(job, name, previous)
        return None

    def _read(self, row: "_Row", previous, resume: bool) -> None:
        # The draft's own load problems were dealt with once for the whole batch;
        # a sheet a row's column names is read once too (the plan's cache).
        # What the row put into its copy of the draft goes with it (Loaded.made):
        # validation scans those texts, not the copy.
        data, texts = self.rows.apply_made(row.job.values)
        loaded = Loaded(self.loaded.file, data, self.loaded.origins, [], made=(self.rows.data, texts))
        loaded = appendix_sheets.read(loaded, self.draft_dir, self.sheets)
        errors = [p for p in loaded.problems if p.severity == ERROR]
        if errors:
            raise DrafterError(errors)
        row.loaded = loaded

    def _prepare(self, row: "_Row", previous, resume: bool) -> None:
        row.prepared = api.prepare_loaded(row.loaded, electronic=self.electronic)

    def _lay_out(self, row: "_Row", previous, resume: bool) -> Outcome | None:
        prepared, job = row.prepared, row.job
        template, row.compiled = self.template_for(prepared.document.doc_type.layout)
        row.digest = digest = self.digest(job.values, template, row.loaded)
        row.loaded = None
        if resume and previous and previous.get(job.number, {}).get("digest") == digest and _opens(row.path):
            return Outcome(job.number, row.name, SKIPPED, "không đổi", digest=digest)
        row.context = render_context.build(prepared.document, row.compiled.sections)
        row.prepared, row.warnings = None, prepared.warnings
        return None

    def _render(self, row: "_Row", previous, resume: bool) -> None:
        row.payload = row.compiled.render(row.context)
        row.context = None
        self._block_docs += 1
        self._block_bytes += len(row.payload)

    def _write(self, row: "_Row", previous, resume: bool) -> Outcome:
        job, name = row.job, row.name
        # The replace rule: an existing document only with --force, or with --resume
        # when the earlier run made it for this very row; never one open in Word.
        redo = resume and bool(previous) and previous.get(job.number, {}).get("file") == name
        # Checked whole in memory, then its size and last bytes read back from disk.
        # Without --force or --resume the name was just found free (_start): the
        # writer does not look again; its final link refuses a file made meanwhile.
        payload, row.payload = row.payload, None
        atomic_write_bytes(row.path, payload, force=self.force or redo, durable=False,
                           verify_bytes=verify_docx_bytes, tag=self.tag, anonymous=True,
                           absent=not (self.force or resume))
        warnings = row.warnings
        notes = job.notes + self._notes(warnings, job) if warnings else job.notes
        return Outcome(job.number, name, OK, digest=row.digest, notes=notes)

    def _failure(self, row: "_Row", exc: BaseException, previous: Mapping[int, dict] | None) -> Outcome:
        """The outcome of a row a stage refused (_ROW_FAILURES), in the words for each."""
        job, name = row.job, row.name
        if isinstance(exc, row_tpl.RowError):
            place = self._cell(exc.column, job.number) if exc.column else self._draft_place(exc.key)
            return _failed(job.number, [[ERROR, place, str(exc)]], key=exc.key)
        if isinstance(exc, DrafterError):
            return _failed(job.number, self._notes(exc.errors or exc.problems, job),
                           key=exc.problems[0].key)
        if isinstance(exc, OutputIncompleteError):
            return Outcome(job.number, None, FAILED,
                           f"Không ghi được {name}: tệp vừa ghi không đầy đủ ({exc.why}), có thể ổ đĩa đã đầy; "
                           "tệp cũ (nếu có) được giữ nguyên.")
        if isinstance(exc, ReplaceRefused):  # open in Word, read-only, a folder: not even with --force
            return Outcome(job.number, None, FAILED, f"Tệp {name}: {exc.reason} {exc.hint}")
        if isinstance(exc, FileExistsError):  # there before this row (or made meanwhile): it stays
            return self._kept(job, name, previous)
        assert isinstance(exc, OSError)
        return Outcome(job.number, None, FAILED, f"Không ghi được {name}: {write_failure_reason(exc)}.")

    def _kept(self, job: Job, name: str, previous: dict[int, dict] | None) -> Outcome:
        """A document already there without --force: kept, and listed as this row's."""
        before = (previous or {}).get(job.number) or {}
        digest = before.get("digest", "") if before.get("file") == name else ""
        return Outcome(job.number, name, KEPT, KEPT_MESSAGE, digest=digest)

    def _cell(self, column: str, number: int, values: dict | None = None) -> str:
        letter = self.letters.get(column)
        empty = ", trống" if values is not None and values.get(column) in (None, "") else ""
        return f"cột «{column}»" + (f" (ô {letter}{number}{empty})" if letter else f" ({empty[2:]})" if empty else "")

    def _draft_place(self, key: str | None, position: Position | None = None) -> str:
        if position is None and key:
            position = self.loaded.position(key_path(key))
        where = str(position) if position is not None and position.file else ""
        return f"{key} ({where})" if key and where else (key or where)

    def _note(self, p: Problem, job: Job) -> list[str]:
        """[severity, place, text]: a problem of a row's document as the sheet's user
        reads it. A value that came from a cell is named by the cell (its column and
        row, its letter in the sheet) and the draft's key path is left out of the text;
        the rest keep the draft's key and line."""
        text = p.message + (f" → {p.hint}" if p.hint else "")
        from_sheet = (p.position.file or "").lower().endswith((".csv", ".xlsx", ".xlsm"))
        columns, alone = ([], False) if from_sheet or not p.key else \
            self.rows.cells_of(key_path(p.key), job.values, p.message)
        if columns and not alone and not _from_cell(p.message, job.values.get(columns[0])):
            columns = []  # the draft's own text around the cell, as far as can be told
        if not columns:
            return [p.severity, self._draft_place(p.key, p.position), text]
        if job.values.get(columns[0]) in (None, ""):  # an empty cell: the clerk's fix is to fill it
            text = p.message + " → Điền ô này trong bảng (hoặc ghi giá trị trong bản thảo)."
        return [p.severity, self._cell(columns[0], job.number, job.values), _KEY_IN_TEXT.sub("", text)]

    def _notes(self, problems: list[Problem], job: Job) -> list[list[str]]:
        """Each problem's note once (a cell used in three values is told once)."""
        out: list[list[str]] = []
        for p in problems:
            note = self._note(p, job)
            if note not in out:
                out.append(note)
        return out


class _Row:
    """A row on its way through render_rows' stages: what each stage gives the next,
    let go of once used (a block holds its rows until written)."""

    __slots__ = ("i", "job", "name", "path", "loaded", "prepared", "compiled", "digest", "context", "payload",
                 "warnings")

    def __init__(self, i: int, job: Job) -> None:
        self.i, self.job = i, job
        self.name = self.path = ""
        self.loaded = self.prepared = self.compiled = self.context = self.payload = None
        self.digest = ""
        self.warnings: list = []


# render_rows' stages, in order: each is given a row and returns its outcome when the
# row ends there (None: on to the next stage).
_STAGES = (Plan._read, Plan._prepare, Plan._lay_out, Plan._render, Plan._write)
# What ends a row at a stage (Plan._failure words each); anything else stops the batch.
_ROW_FAILURES = (row_tpl.RowError, DrafterError, OSError)


# A key path inside a message ("dong[0].so_lieu: ", "tại “kinh_phi”: "): left out once
# the cell is named.
_KEY_IN_TEXT = re.compile(r"(?<![\w«“'])[a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)+: |tại “[^”]*”: ")


PRESENT_NAMES = 4096  # a folder with more entries than this is asked about each row's name


def _names_in(folder: Path) -> frozenset[str] | None:
    """The names in the output folder when the batch starts, if there are few (a new
    folder has none): a row's document is then known to be absent without a system
    call (a file made there meanwhile is still refused by the writer's final link, and
    the row's document kept). None (ask the folder each row) for a large folder or one
    that cannot be listed."""
    names: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                names.add(entry.name)
                if len(names) > PRESENT_NAMES:
                    return None
    except OSError:
        return None
    return frozenset(names)


def _from_cell(message: str, value: Any) -> bool:
    """Is a problem of a text that holds a cell among the draft's words the cell's?
    When the message quotes the cell, or names a character the cell holds (U+FFFE)."""
    shown = row_tpl.cell_text(value) if value is not None else ""
    if len(shown) >= 2 and shown in message:
        return True
    return isinstance(value, str) and any(chr(int(c, 16)) in value for c in _CODE_POINT.findall(message))


_CODE_POINT = re.compile(r"U\+([0-9A-F]{4,6})\b")


def _failed(number: int, notes: list[list[str]], key: str | None = None) -> Outcome:
    """A row with no document; its message (the manifest's) joins its errors."""
    message = " | ".join(f"{place}: {text}" if place else text for _, place, text in notes)
    return Outcome(number, None, FAILED, message, key=key, notes=notes)


# --- workers ------------------------------------------------------------------------

_PLAN: Plan | None = None
_STATE: dict = {}
# While a pool runs: a byte shared with the workers, set to stop (they take no new row).
# A plain shared value, no lock: a worker killed with its group cannot leave it held (an
# Event's lock could be, and the parent's signal handler then waited on it for ever).
_STOP = None
_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


def _opens(path: Path) -> bool:
    try:
        verify_docx(path)
    except ValueError:
        return False
    return True


def _worker_init() -> None:
    # The parent decides what Ctrl-C or a hang-up means (the terminal sends them to the
    # whole group); SIGTERM stays the way the pool ends a worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The parent collected and froze its objects before forking: a collection here would
    # write to every object's header and so copy every page of the parent's heap.
    gc.freeze()
    gc.disable()  # collected between blocks of rows only (_work)
    _STATE["count"] = _STATE["young"] = 0


def _work(jobs: Sequence[Job]) -> list[Outcome | None]:
    """A block of rows (Plan.render_rows); None for each when the batch is stopping."""
    assert _PLAN is not None
    if _STOP is not None and _STOP.value:
        return [None] * len(jobs)  # interrupted: these rows are not started
    out = _PLAN.render_rows(jobs, _STATE.get("previous"), _STATE.get("resume", False))
    before = _STATE.get("count", 0)
    _STATE["count"] = count = before + len(jobs)
    if count // GC_EVERY != before // GC_EVERY or gc.get_count()[0] > GC_OBJECTS:
        # The young generations: what the rows made since the last time (their cycles
        # freed). What survives is the batch's own (the plan, its bounded caches), in
        # the oldest generation, walked only every GC_FULL_EVERY-th time (10-30 ms).
        # Not frozen: what a cache lets go of later is often a cycle, and a frozen
        # cycle is never freed (memory grew ~260 bytes a row, 8 MB over 33,210 rows).
        gc.collect(1)
        young = _STATE["young"] = _STATE.get("young", 0) + 1
        if young % GC_FULL_EVERY == 0:
            gc.collect(2)  # not what was frozen before the rows (imports, the plan): never walked
    return out


def _blocks(jobs: Iterable[Job]) -> Iterator[list[Job]]:
    """The jobs in blocks of the plan's block size (read as the blocks are taken)."""
    assert _PLAN is not None
    block: list[Job] = []
    for job in jobs:
        block.append(job)
        if len(block) >= _PLAN.block_size():
            yield block
            block = []
    if block:
        yield block


def _work_span(span: list[int]) -> PackedOutcomes:
    """A chunk of rows, read by the worker from the spools it shares with the parent;
    their outcomes sent back packed (Outcomes.pack)."""
    return Outcomes.pack([o for block in _blocks(_STATE["todo"].jobs(*span)) for o in _work(block)])


class _Todo:
    """A batch's rows (:class:`Rows`, on disk) and their file names (a :class:`Spool`
    beside them, one name a row, made once), with what the sheet refused or noted of
    each row: the jobs, made as they are taken, by the parent or by a forked worker
    reading the same files."""

    def __init__(self, rows: "Rows", refused: dict[int, tuple[str, str]], row_notes: dict[int, list]) -> None:
        self.rows = rows
        self.names = Spool()
        self.refused = refused
        self.row_notes = row_notes

    def flush(self) -> None:
        self.rows.flush()
        self.names.flush()

    def jobs(self, row_at: int = 0, name_at: int = 0, count: int | None = None) -> Iterator[Job]:
        for (_, (n, v)), (_, stem) in zip(self.rows.items_from(row_at, count), self.names.items_from(name_at, count)):
            column, reason = self.refused.get(n, (None, ""))
            yield Job(n, v, stem, refused=reason, refused_key=column, notes=self.row_notes.get(n, []))


# --- inputs -------------------------------------------------------------------------

# Cell issues that leave a value out: a document made from that row would miss it.
REFUSING_ISSUES = {"formula", "error-value"}


def span_size(chunk: int, left: int, jobs: int) -> int:
    """The rows of the next chunk with ``left`` rows to go: ``chunk``, less towards the
    end (half of what is left a worker, at least 4), so the workers finish together."""
    return min(chunk, max(4, left // (jobs * 2)))


def read_data(data: Path | None, units: str | None, max_rows: int,
              refused: dict[int, tuple[str, str]] | None = None,
              row_notes: dict[int, list] | None = None,
              ) -> tuple[list[str], "Rows", str, str]:
    """Columns, the rows (:class:`Rows`: (row number, values) pairs, read back from
    disk, never all in memory), a display name and a note about the data.

    Rows with a cell whose value was left out (a formula, an error value) are put in
    ``refused`` (row number -> (column, Vietnamese reason)): they get no document.
    What the sheet says of a row's cells (a value converted, left out) goes to
    ``row_notes`` (row number -> [severity, place, text], as :class:`Outcome` notes).
    """
    if units:
        from . import units as unit_data

        shown = f"--units {units}"
        try:
            province = unit_data.find_province(units)
            rows = unit_data.unit_rows(province)
        except unit_data.UnknownUnitError as exc:
            raise DrafterError(Problem(str(exc), Position(shown), key="--units")) from None
        name = unit_data.in_sentence(province.kind, province.name)
        if len(rows) > max_rows:  # the same bound as a sheet's rows
            raise DrafterError(Problem(
                f"{name[:1].upper()}{name[1:]} có {_count(len(rows))} đơn vị hành chính cấp xã, nhiều hơn giới hạn "
                f"{_count(max_rows)} dòng (--max-rows).", Position(shown), key="--max-rows",
                hint=f"Bỏ --max-rows, hoặc đặt --max-rows {len(rows)} để tạo văn bản cho mọi đơn vị."))
        columns = list(rows[0]) if rows else []
        note = f"Dữ liệu đơn vị hành chính: {unit_data.data_version()}; {len(rows)} đơn vị của {name}."
        listed = Rows(columns)
        for i, r in enumerate(rows):
            listed.add(i + 1, r)
        return columns, listed, shown, note
    assert data is not None
    from .inputs import sheets

    spooled = Rows(None)
    try:
        # The whole sheet is read (and checked) before any document, one row at a time
        # into a spool on disk: what the sheet refuses stops the batch before it starts.
        sheet = sheets.stream_rows(data, spooled.add_row, max_rows=max_rows, on_restart=spooled.clear)
    except sheets.SheetError as exc:
        raise DrafterError(Problem(exc.message, Position(display_path(data), exc.row), key=exc.column)) from None
    notes = []
    for w in sheet.warnings:
        refusing = w.code in REFUSING_ISSUES and w.row is not None and refused is not None
        if refusing:
            column, reason = refused.get(w.row, (w.column or "", ""))
            refused[w.row] = (column, f"{reason} {w.message}".strip())
        if w.row is not None and row_notes is not None:  # the row's own, shown for that row
            row_notes.setdefault(w.row, []).append([ERROR if refusing else WARNING, *_sheet_place(w)])
        elif not refusing:
            notes.append(w)
    for number, (column, reason) in (refused or {}).items():
        refused[number] = (column, reason + REFUSED_ROW)
        if row_notes and number in row_notes:
            row_notes[number].append([ERROR, "", REFUSED_ROW.strip()])
    note = "; ".join(f"dòng {w.row}: {w.message}" if w.row else w.message for w in notes[:20])
    spooled.columns = sheet.columns
    return sheet.columns, spooled, display_path(data), note


class Rows:
    """A batch's data rows, (row number, values) in the sheet's order: kept in a
    :class:`Spool` on disk as they are read (only the values, in column order), with
    what naming the files needs of all of them (the largest row number, the columns
    that hold text)."""

    def __init__(self, columns: list[str] | None) -> None:
        self.columns = columns
        self._spool = Spool()
        self.last = 0
        self.with_text: set[str] = set()

    def add(self, number: int, values: dict) -> None:
        if self.columns is None:
            self.columns = list(values)
        self._spool.append((number, tuple(map(values.get, self.columns))))
        self.last = max(self.last, number)
        if len(self.with_text) < len(self.columns):
            for c in self.columns:
                if c not in self.with_text and isinstance(values.get(c), str) and values.get(c):
                    self.with_text.add(c)

    def add_row(self, row) -> None:  # a sheets.Row
        self.add(row.number, row.values)

    def clear(self) -> None:
        self._spool.clear()
        self.last = 0
        self.with_text.clear()

    def first_text(self) -> str | None:
        """The first column (left to right) with a text in some row."""
        return next((c for c in self.columns or () if c in self.with_text), None)

    def __len__(self) -> int:
        return self._spool.count

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        return (row for _, row in self.items_from(0))

    def items_from(self, start: int, count: int | None = None) -> Iterator[tuple[int, tuple[int, dict]]]:
        """(offset, (row number, values)) from the row at offset ``start`` on."""
        columns = self.columns or []
        for at, (number, values) in self._spool.items_from(start, count):
            yield at, (number, dict(zip(columns, values)))

    def flush(self) -> None:
        self._spool.flush()


REFUSED_ROW = (" Hàng này không được tạo văn bản để văn bản không bị thiếu giá trị; sửa ô rồi chạy lại "
               "(có thể dùng --resume).")
_SHEET_CELL = re.compile(r"Ô ([A-Z]+\d+)(?: \((.*?)\))?: (.*)", re.S)


def _sheet_place(w) -> list[str]:
    """[place, text] of the sheet reader's note on one cell ("Ô C7 (Số liệu): …")."""
    m = _SHEET_CELL.fullmatch(w.message)
    if not m:
        return ["", w.message]
    return [f"cột «{m.group(2) or w.column}» (ô {m.group(1)})", m.group(3)]


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def plan_names(pattern: str | None, columns: list[str], rows: Iterable[tuple[int, dict]]) -> list[str]:
    """Every row's file name (without .docx), in row order."""
    return [stem for _, _, stem in named_rows(*name_pattern(pattern, columns, rows), rows)]


def name_pattern(pattern: str | None, columns: list[str], rows: Iterable[tuple[int, dict]]
                 ) -> tuple[str, list[str], int]:
    """The file name pattern (by default the row number and the first column holding a
    text), the columns it uses and the width of its row numbers; a pattern naming no
    column of the data is refused here, before any row."""
    if pattern is None:
        if isinstance(rows, Rows):
            first_text = rows.first_text()
        else:
            first_text = next((c for c in columns if any(isinstance(v.get(c), str) and v.get(c) for _, v in rows)),
                              None)
        pattern = "{_hang}" + (f"-{{{first_text}}}" if first_text else "")
    try:
        used = filenames.fields(pattern)
    except filenames.PatternError as exc:
        raise DrafterError(Problem(str(exc), key="--name")) from None
    unknown = [f for f in used if f not in columns and f != "_hang"]
    if unknown:
        raise DrafterError(Problem(
            f"Mẫu tên tệp dùng cột không có trong dữ liệu: {', '.join(unknown)}.", key="--name",
            hint="Các cột có: " + ", ".join(columns)))
    last = rows.last if isinstance(rows, Rows) else max((n for n, _ in rows), default=1)
    return pattern, used, len(str(max(last, 1)))


def named_rows(pattern: str, used: list[str], width: int, rows: Iterable[tuple[int, dict]]
               ) -> Iterator[tuple[int, dict, str]]:
    """(row number, values, file name) in row order, each name unique (-2, -3… added to
    a repeat); the same names every time the rows are read."""
    take, safe, text_of, cell = filenames.UniqueNames().take, filenames.format, xmlchars.format, row_tpl.cell_text
    import string

    # A pattern of plain fields ({ma}-{ten}, no ':' spec) is filled by joining its
    # pieces, parsed once: what filenames.fill gives (each value its own text).
    parsed = list(string.Formatter().parse(pattern))
    plain = all(not spec and not conv for _, _, spec, conv in parsed)
    pieces = [(text, name) for text, name, _, _ in parsed]
    columns = [k for k in used if k != "_hang"]
    for number, values in rows:
        # what a document cannot hold (U+FFFE…) no file name holds either
        shown = {k: text_of(cell(values.get(k))) for k in columns}
        shown["_hang"] = str(number).zfill(width)
        if plain:
            filled = "".join([text if name is None else text + shown[name] for text, name in pieces])
        else:
            filled = filenames.fill(pattern, shown)
        yield number, values, take(safe(filled), ".docx")


class Previous(Mapping):
    """An earlier run's manifest as each row's ``{"file", "digest"}``: what --resume and
    the replace rule ask of it, kept small (the rest of an entry is read again from the
    manifest when an interrupted run carries it over)."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[str | None, str]] = {}

    def add(self, entry: dict) -> None:
        self._rows[int(entry["row"])] = (entry.get("file"), entry.get("digest", ""))

    def __getitem__(self, row: int) -> dict:
        file, digest = self._rows[row]
        return {"file": file, "digest": digest}

    def __contains__(self, row) -> bool:
        return row in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)


def read_manifest(out_dir: Path) -> Previous:
    previous = Previous()
    try:
        for entry in manifest_entries(out_dir):
            previous.add(entry)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Previous()
    return previous


def manifest_entries(out_dir: Path) -> Iterator[dict]:
    """The rows of the manifest.json in ``out_dir``, one at a time. drafter writes one
    row a line: read so, line by line; any other JSON layout is read whole."""
    path = out_dir / MANIFEST_JSON
    with open(path, encoding="utf-8") as f:
        head = f.read(4096)
        if not head.lstrip().startswith("{"):
            raise ValueError("not a manifest")
        f.seek(0)
        found, last = False, ""
        for line in f:
            text = line.strip().rstrip(",")
            if text.startswith('{"row":'):
                found = True
                yield json.loads(text)
            last = text or last
        if found and last != "}":  # cut short: read whole, it fails like any damaged JSON
            json.loads(path.read_text(encoding="utf-8"))
    if not found:  # not drafter's layout (written by hand, or empty): the whole file
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from data.get("rows", [])


def _is_manifest(path: Path) -> bool:
    """``path`` is a manifest an earlier batch wrote (so a rerun rewrites it)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    if path.name == MANIFEST_CSV:
        return head.removeprefix(b"\xef\xbb\xbf").startswith(b"hang,tep,trang_thai,thong_bao")
    return head.lstrip().startswith(b"{") and (b'"rows"' in head or b'"draft"' in head)


def check_manifests(out: Path, force: bool) -> None:
    """The replace rule for the manifest, before any row: drafter's own manifest is
    rewritten by every run (it lists every row, an earlier run's included), another
    file of that name only with --force, and none while open (Excel's lock file)."""
    from .output_problems import check_outputs

    for name in (MANIFEST_JSON, MANIFEST_CSV):
        path = out / name
        check_outputs([path], force=force or _is_manifest(path))


class _Written:
    """What was written to a file, as it was written (its CRC-32 and size): the file is
    read back and compared before it takes its name (``verify``, atomic_writer's), so
    bytes the disk lost or changed never replace a good manifest."""

    _BLOCK = 1 << 20

    def __init__(self) -> None:
        self.crc = self.size = 0

    def write(self, raw: BinaryIO, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        raw.write(data)

    def verify(self, path: str) -> None:
        crc = size = 0
        with open(path, "rb") as f:
            while block := f.read(self._BLOCK):
                crc = zlib.crc32(block, crc)
                size += len(block)
        if (crc, size) != (self.crc, self.size):
            raise ValueError("nội dung đọc lại khác với nội dung đã ghi")


MANIFEST_BLOCK = 1024  # rows encoded, joined and written at a time


def write_manifest(result: BatchResult, draft: str, data_name: str) -> None:
    """manifest.json and manifest.csv, streamed row by row from the outcomes kept on
    disk (already in row order), both in one pass: memory stays flat for a whole
    country's rows. Each is read back whole and compared with what was written before
    it replaces the earlier one (manifest.json first)."""
    head = {"draft": draft, "data": data_name, "ok": result.ok, "failed": result.failed,
            "skipped": result.skipped, "kept": result.kept, "interrupted": result.interrupted}
    outcomes = result.outcomes
    rows = outcomes.fields() if isinstance(outcomes, Outcomes) else map(_fields, outcomes)
    as_json, as_csv = _Written(), _Written()
    with atomic_writer(result.out_dir / MANIFEST_CSV, force=True, verify=as_csv.verify) as csv_raw, \
            atomic_writer(result.out_dir / MANIFEST_JSON, force=True, verify=as_json.verify) as json_raw:
        # The CSV is UTF-8 with BOM so Excel opens Vietnamese text correctly.
        as_json.write(json_raw, (json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "rows": [').encode())
        as_csv.write(csv_raw, codecs.BOM_UTF8)
        lines: list[str] = []
        w = csv.writer(_Lines(lines))  # what it writes, joined and encoded a block at a time
        w.writerow(["hang", "tep", "trang_thai", "thong_bao"])
        sep, texts = "\n  ", []
        for n, fields in enumerate(rows, start=1):
            row, file, status, message, _, _, notes = fields
            texts.append(sep + _manifest_row(fields))
            sep = ",\n  "
            w.writerow([row, file or "", status, message or _warning_text(notes)])
            if n % MANIFEST_BLOCK == 0:
                as_json.write(json_raw, "".join(texts).encode())
                as_csv.write(csv_raw, "".join(lines).encode())
                texts.clear()
                lines.clear()
        texts.append("\n ]\n}")
        as_json.write(json_raw, "".join(texts).encode())
        as_csv.write(csv_raw, "".join(lines).encode())


class _Lines:
    """A text file for csv.writer that keeps what it is given in a list."""

    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


_dumps = _json_dumps(sort_keys=False, default=None)  # json.dumps(…, ensure_ascii=False)


def _entry(fields: tuple) -> dict:
    """An outcome's manifest row from its fields (:func:`_fields`): ``asdict`` without
    its deep copy (only read, to be written out)."""
    return dict(zip(_FIELD_NAMES, fields))


def _manifest_row(fields: tuple) -> str:
    """``json.dumps(_entry(fields), ensure_ascii=False)``: written directly when the
    fields have the types a batch gives them (a row number, texts or None, a list of
    notes), each text by json's own string encoder (a third of the time json takes
    over the dict); other values (an earlier manifest's, carried over) through json."""
    row, file, status, message, key, digest, notes = fields
    if not (type(row) is int and type(status) is str and type(message) is str and type(digest) is str
            and (file is None or type(file) is str) and (key is None or type(key) is str) and type(notes) is list):
        return _dumps(_entry(fields))
    q = _quote
    return (f'{{"row": {row}, "file": {"null" if file is None else q(file)}, "status": {q(status)}, '
            f'"message": {q(message)}, "key": {"null" if key is None else q(key)}, "digest": {q(digest)}, '
            f'"notes": {_dumps(notes) if notes else "[]"}}}')


def _warning_text(notes: list) -> str:
    """A made row's warnings (its notes), for the manifest's message column."""
    if not notes:
        return ""
    return " | ".join(f"cảnh báo: {place}: {text}" if place else f"cảnh báo: {text}"
                      for severity, place, text in notes if severity == WARNING)


def _found_on_disk(jobs: Iterable[Job], out: Path) -> Iterator[tuple[int, Callable[[], Outcome | None]]]:
    """After an interruption: a document a killed worker made but could not report is
    listed too (with no digest, so --resume makes it again). Row by row, in row order,
    each looked at only when no other entry lists its row (:func:`_merged`)."""
    def found(job: Job) -> Outcome | None:
        path = out / f"{job.stem}.docx"
        if not job.refused and path.is_file() and _opens(path):
            return Outcome(job.number, path.name, OK, "có trên đĩa khi dừng; --resume sẽ tạo lại")
        return None

    for job in jobs:
        yield job.number, (lambda job=job: found(job))


def _carry_over(out: Path) -> Iterator[tuple[int, Callable[[], Outcome | None]]]:
    """After an interruption: rows an earlier run made and this one did not reach keep
    their entry while their document is still on disk (read again from the earlier
    manifest, in row order)."""
    names = set(Outcome.__dataclass_fields__)

    def carried(entry: dict) -> Outcome | None:
        if not entry.get("file") or not (out / str(entry["file"])).is_file():
            return None
        try:
            return Outcome(**{k: v for k, v in entry.items() if k in names})
        except TypeError:
            return None

    try:
        if not (out / MANIFEST_JSON).is_file():
            return
        entries: Iterable[dict] = manifest_entries(out)
        last = None
        for e in manifest_entries(out):  # drafter writes them in row order; another order is sorted
            if last is not None and int(e["row"]) < last:
                entries = sorted(entries, key=lambda e: int(e["row"]))
                break
            last = int(e["row"])
        for entry in entries:
            yield int(entry["row"]), (lambda entry=entry: carried(entry))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return


def _merged(this_run: Iterable[Outcome], *others: Iterable[tuple[int, Callable[[], Outcome | None]]]
            ) -> Iterator[Outcome]:
    """Each row once, in row order: this run's outcome, else the first of ``others``
    (each in row order) that gives one."""
    streams = [((o.row, 0, o) for o in this_run)]
    streams += [((n, i, f) for n, f in other) for i, other in enumerate(others, start=1)]
    last = None
    for row, rank, item in heapq.merge(*streams, key=lambda t: (t[0], t[1])):
        if row == last:
            continue
        o = item if rank == 0 else item()
        if o is not None:
            last = row
            yield o


def run(
    draft: str | Path,
    data: str | Path | None,
    out_dir: str | Path,
    *,
    name: str | None = None,
    jobs: int = 1,
    resume: bool = False,
    force: bool = False,
    units: str | None = None,
    max_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    electronic: bool = False,
) -> BatchResult:
    global _PLAN
    from .inputs import sheets

    started = time.perf_counter()
    if (data is None) == (units is None):
        raise DrafterError(Problem("Cần đúng một nguồn dữ liệu: tệp DỮ_LIỆU (.csv/.xlsx) hoặc --units \"Tên tỉnh\".",
                                   key="DỮ_LIỆU"))
    draft_path = Path(draft)
    loaded = api.load(draft_path)
    # What render refuses in the draft itself, batch refuses for every row, up front.
    if any(p.severity == ERROR for p in loaded.problems):
        raise DrafterError(ordered(loaded.problems, [loaded.file]))
    if max_rows is None:
        try:
            max_rows = sheets.default_max_rows()
        except ValueError as exc:
            raise DrafterError(Problem(str(exc), key=sheets.MAX_ROWS_ENV)) from None
    refused: dict[int, tuple[str, str]] = {}
    row_notes: dict[int, list] = {}
    columns, rows, data_name, note = read_data(Path(data) if data else None, units, max_rows, refused, row_notes)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if isinstance(exc, FileExistsError):  # a file has the folder's name
            exc = NotADirectoryError(20, exc.strerror, exc.filename)
        raise DrafterError(Problem(f"Không tạo được thư mục kết quả: {write_failure_reason(exc)}.",
                                   Position(display_path(out)))) from None
    check_manifests(out, force)
    naming = name_pattern(name, columns, rows)
    total = len(rows)
    parallel = jobs > 1 and total >= 2 * jobs
    # Chunks of a block (a worker takes its rows stage by stage), smaller towards the
    # end (span_size): the last ones end together, at a cost of one message a chunk.
    chunk = max(1, min(BLOCK, total // (jobs * 16))) if parallel else 0
    todo_rows = _Todo(rows, refused, row_notes)
    spans: list[list[int]] = []  # the workers' chunks: [rows offset, names offset, count]

    def chunked() -> Iterator[tuple[int, dict]]:
        # Where each chunk after the first row starts, in both spools (what a worker
        # is sent instead of the rows themselves: it reads them from the spools).
        size = 0
        for i, (at, row) in enumerate(rows.items_from(0)):
            if parallel and i >= 1:
                if not spans or spans[-1][2] >= size:
                    size = span_size(chunk, total - i, jobs)
                    spans.append([at, todo_rows.names.end, 0])
                spans[-1][2] += 1
            yield row

    # Every row named once, here: each name checked (belt and braces: nothing is ever
    # written outside DIR) and kept on disk beside the rows, read back with them.
    for _, _, stem in named_rows(*naming, chunked()):
        ensure_plain_name(out, f"{stem}.docx")
        todo_rows.names.append(stem)
    todo_rows.flush()
    letters = {c: sheets._column_letter(i) for i, c in enumerate(columns)} if data else None
    plan = Plan(loaded, columns, out.resolve(), draft_path.resolve().parent, data_name, force, letters)
    plan.electronic = electronic

    def job_list() -> Iterator[Job]:
        """The rows as jobs, made as they are taken (read back from the spools):
        never all at once."""
        return todo_rows.jobs()

    previous = read_manifest(out)
    _PLAN = plan
    _STATE.update(previous=previous, resume=resume, todo=todo_rows)
    outcomes = Outcomes()  # on disk as they come, in row order
    interrupted = False
    stopped: list[int] = []  # the signals received
    lost_worker = False  # a worker process killed by something else than a stop

    def on_signal(signum, frame):  # stop between blocks of rows; a second Ctrl-C stops now
        if stopped and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stopped.append(signum)
        if _STOP is not None:
            _STOP.value = 1

    handlers = _install(on_signal)
    collecting = gc.isenabled()
    try:
        _worker_state_reset()
        todo = job_list()
        if parallel:
            # The first row in this process, before the workers are forked: what a row
            # imports, compiles or caches on first use is then done once, not once per
            # worker, and the workers share those pages with this process.
            for job in todo:
                outcomes.append(_work([job])[0])
                if progress:
                    progress(len(outcomes), total)
                break
        if stopped:
            pass
        elif not parallel:
            for block in _blocks(todo):
                if stopped:
                    break
                for outcome in _work(block):
                    outcomes.append(outcome)
                    if progress:
                        progress(len(outcomes), total)
        else:
            import multiprocessing as mp

            global _STOP
            ctx = mp.get_context("fork")
            _STOP = ctx.RawValue("b", 0)
            # Before the fork, once: the workers never collect what they inherit (the
            # young generations only, as in _worker_state_reset: the rest is frozen).
            gc.collect(1)
            gc.freeze()
            pool = workpool.fork_pool(jobs, initializer=_worker_init)
            quiet_since: list[float] = []  # since when no chunk came back, once stopping

            def stopping() -> bool:
                # Stopping: the workers finish their row and take no new one. One that
                # gave no sign for a while was killed with the group (a SIGTERM to all):
                # its rows are found on disk below.
                if not stopped:
                    return False
                quiet_since[:] = quiet_since or [time.monotonic()]
                if time.monotonic() - quiet_since[0] > STOP_GRACE:
                    raise KeyboardInterrupt
                return True

            try:
                # In row order (imap, not imap_unordered): the outcomes reach the spool in
                # the manifest's order; the pool takes the next chunk as a worker is free.
                # A chunk is sent as where its rows are: three numbers, not the rows.
                for outcome in workpool.watched(pool, pool.imap(_work_span, spans), stopping=stopping):
                    quiet_since.clear()
                    outcomes.extend_packed(outcome)
                    if progress:
                        progress(len(outcomes), total)
                pool.close()
                pool.join()
            except BaseException:
                # Stopped: the workers may have been killed with the group, one of them
                # holding a queue's lock; terminate() would wait on it for ever.
                workpool.abandon(pool)
                raise
    except workpool.WorkerLost:
        # A worker was killed on its own (out of memory, say): the rows it held never
        # come back. Stopped as if interrupted: what was made is kept and listed, and
        # --resume makes the rest.
        interrupted = lost_worker = True
        stopped.append(signal.SIGINT)  # (what _finish goes by: this run's temporary files, the disk)
    except KeyboardInterrupt:
        interrupted = True
        stopped.append(signal.SIGINT)
    except BaseException:
        _restore(handlers)
        handlers = {}
        raise
    finally:
        if handlers:  # from here to the manifest written whole, a signal is only noted
            _install(lambda signum, frame: stopped.append(signum))
        _PLAN = None
        _STOP = None
        gc.unfreeze()
        if collecting:
            gc.enable()
    try:
        result = _finish(plan, out, outcomes, previous, job_list, stopped, interrupted, started, note, loaded)
        try:
            write_manifest(result, display_path(draft_path), data_name)
        except OSError as exc:
            from .output_problems import write_problem

            result.manifest_problem = write_problem(
                exc, out / MANIFEST_JSON, kept="Các văn bản đã tạo vẫn nguyên trên đĩa; khi có chỗ, chạy lại "
                                              "với --resume để làm tiếp và ghi danh sách.")
    finally:
        _restore(handlers)
    if stopped and not result.interrupted:
        result.interrupted, result.signal = True, int(stopped[0])
    if lost_worker:
        result.signal = 0  # no signal was sent to the batch
        result.warnings.append(Problem(LOST_WORKER, severity=ERROR, hint=LOST_WORKER_HINT))
    return result



def _finish(plan: Plan, out: Path, outcomes: Outcomes, previous: Mapping[int, dict],
            job_list: Callable[[], Iterable[Job]], stopped: list[int], interrupted: bool, started: float,
            note: str, loaded: Loaded) -> BatchResult:
    """After the rows: this run's temporary files gone, every document on disk listed,
    in row order, into the outcomes the manifest is written from."""
    merged: Iterable[Outcome] = outcomes
    if stopped:
        interrupted = True
        remove_tagged_temps(out, plan.tag)
        merged = _merged(outcomes, _carry_over(out), _found_on_disk(job_list(), out))
    try:
        fd = os.open(out, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    except OSError:
        pass
    if not stopped and not (outcomes.counts[FAILED] and previous):
        final = outcomes  # nothing to add or change: the outcomes as they came
    else:
        final = Outcomes()
        for o in merged:
            # A row that failed this time still has the file an earlier run made, if any.
            before = previous.get(o.row)
            if o.status == FAILED and before and before.get("digest") and (out / str(before.get("file"))).is_file():
                o.digest = before["digest"]
            final.append(o)
        outcomes.close()
    return BatchResult(final, out, time.perf_counter() - started, note, interrupted=interrupted,
                       signal=int(stopped[0]) if stopped else 0,
                       warnings=ordered(loaded.problems, [loaded.file]), data_name=plan.data_file)


def _install(handler) -> dict:
    """``handler`` for Ctrl-C, SIGTERM and SIGHUP while a batch runs (main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    old = {}
    for sig in _STOP_SIGNALS:
        try:
            old[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):
            pass
    return old


def _restore(handlers: dict) -> None:
    for sig, old in handlers.items():
        try:
            signal.signal(sig, old)
        except (ValueError, OSError, TypeError):
            pass


def _worker_state_reset() -> None:
    # The plan's objects live as long as the batch: move them out of the collector's
    # sight so the periodic collections only walk what each document made. Only the
    # young generations are collected first (what loading the draft left): a full
    # collection walked every object the imports made (40 ms, once a batch), and what
    # garbage the old ones hold is frozen with them, freed after the batch (unfreeze).
    gc.collect(1)
    gc.freeze()
    gc.disable()  # collected between rows only (_work); enabled again when the batch ends
    _STATE["count"] = _STATE["young"] = 0


def iter_failures(result: BatchResult) -> Iterable[Outcome]:
    return (o for o in result.outcomes if o.status == FAILED)

