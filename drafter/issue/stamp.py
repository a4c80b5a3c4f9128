"""Numbering a .docx: the register's next number and the issuing date written into it.

The document is read with the checker's reader and locator (``drafter.fix.view``
keeps the XML element behind every paragraph and run): the ``Số: …/…`` line and the
date line (``…, ngày … tháng … năm …``) are found where ``drafter check`` finds them,
and only the text of those two lines changes — in the ``w:t`` elements that hold
them, in their own runs' formatting. Every other part is copied byte for byte
(``drafter.package.PackageTemplate``), so hand edits made in Word stay as they are.

The number is taken inside the register's write transaction and the document is
written (atomically, verified) before the transaction commits: a document that
could not be written gives its number back; a number that was recorded is in the
document. The register row holds every column of Phụ lục IV, read from the
document itself (ký hiệu, tên loại and trích yếu, người ký, nơi nhận, bản lưu).

>>> blank_number("Số:\\u00a0\\u00a0\\u00a0/UBND-KT"), blank_number("Số: 05/UBND-KT")
('', '05')
>>> blank_number("Số: ....../QĐ-UBND"), blank_number("Số: 1234 /QĐ-UBND")
('', '1234')
>>> luu_items("Lưu: VT, KT1 (02b)."), luu_items("- Lưu VT.")
(['VT', 'KT1 (02b)'], ['VT'])
>>> recipient("- Như trên;"), recipient("- Bộ Công Thương (để biết);")
('Như trên', 'Bộ Công Thương (để biết)')
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.issue import series as series_mod
from drafter.issue.model import Entry, RegisterFields
from drafter.issue.register import Register
from drafter.oxml import qn
from drafter.rules import date_line, document_kind, so_ky_hieu
from drafter.rules import marks as mark_rules

KEY_SO = "SỐ"
KEY_DATE = "NGÀY"

_BLANK = r"[\s\u00a0._…·]"
_SO_SPAN = re.compile(rf"S[ốỐ]\s*:(?P<gap>{_BLANK}*?)(?P<num>\d*)(?P<tail>{_BLANK}*)/")
_DATE_SPAN = re.compile(
    rf"ngày{_BLANK}*(?P<d>\d{{1,2}})?{_BLANK}*tháng{_BLANK}*(?P<m>\d{{1,2}})?{_BLANK}*"
    rf"năm{_BLANK}*(?P<y>\d{{1,4}})?[._…]*", re.IGNORECASE)
_REF_HEAD = re.compile(r"^\(\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
_REF_DATE = (rf"(?:{_BLANK}*(?P<sd>\d{{1,2}})?{_BLANK}*/{_BLANK}*(?P<sm>\d{{1,2}})?{_BLANK}*/{_BLANK}*(?P<sy>\d{{4}})"
             rf"|{_BLANK}*(?P<ld>\d{{1,2}})?{_BLANK}*tháng{_BLANK}*(?P<lm>\d{{1,2}})?{_BLANK}*năm{_BLANK}*(?P<ly>\d{{4}}))")
_LUU = re.compile(r"^[-–—+•\s]*Lưu\s*:?\s*", re.IGNORECASE)


def blank_number(so_line: str) -> str:
    """The number already written on a Số line ('' when it is left blank)."""
    m = _SO_SPAN.search(so_line)
    return m.group("num") if m else ""


def recipient(text: str) -> str:
    """A Nơi nhận item without its dash and end punctuation."""
    t = " ".join(text.replace("\u00a0", " ").split())
    t = re.sub(r"^[-–—+•]\s*", "", t)
    return t.rstrip(";.,: ").strip()


def luu_items(text: str) -> list[str]:
    """The units after "Lưu:" (bản lưu): ``['VT', 'KT1']``."""
    t = _LUU.sub("", " ".join(text.replace("\u00a0", " ").split())).rstrip(". ;")
    return [p.strip() for p in t.split(",") if p.strip()]


@dataclass
class Read:
    """What the document says, for the register and the series."""

    so_line: str
    number: str  # the number already written, '' when blank
    ky_hieu: str
    date: dt.date | None
    year: int | None
    loai: str
    ten_loai: str
    trich_yeu: str
    nguoi_ky: str
    noi_nhan: list[str]
    ban_luu: list[str]
    do_mat: str | None


@dataclass
class Numbered:
    """The result of :func:`number_document`."""

    entry: Entry
    file: str
    register: str
    kept_date: bool = False  # the document's own date was kept (no --ngay)
    old_number: str = ""  # the number --force replaced
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "file": self.file, "register": self.register, "kept_date": self.kept_date,
                "old_number": self.old_number or None, "notes": self.notes, "entry": self.entry.to_json()}


def _fail(where: str | Path, message: str, hint: str | None = None, key: str | None = None) -> DrafterError:
    return DrafterError(Problem(message, Position(display_path(where)), key=key, hint=hint))


# ------------------------------------------------------------------------ reading


def _texts(seg_list) -> str:
    return " ".join(s.text for s in seg_list).strip()


def read_layout(lay) -> Read:
    """The register's fields from a located document (``drafter.check.locate``)."""
    so_line = lay.so.text if lay.so is not None else ""
    ky_hieu = (lay.symbol or "").strip()
    if lay.doc_type is not None:
        loai, ten_loai = lay.doc_type.slug, lay.doc_type.name
    elif lay.is_cong_van:
        loai, ten_loai = "cong-van", "Công văn"
    else:
        from drafter.rules import doctypes

        first = ky_hieu.split("-")[0] if ky_hieu else ""
        t = doctypes.by_abbr(first) if first else None
        loai, ten_loai = (t.slug, t.name) if t is not None else ("", "")
    trich = ""
    if lay.trich_yeu is not None:
        end = lay.blocks[0].header_end if lay.blocks else lay.trich_yeu.order
        trich = _texts(lay.segments[lay.trich_yeu.order: max(end, lay.trich_yeu.order) + 1])
    elif lay.vv:
        trich = _texts(lay.vv)
    signers = []
    main_sigs = lay.blocks[0].signatures if lay.blocks else lay.signatures
    for sig in main_sigs or lay.signatures:
        if sig.signer is not None and sig.signer.text not in signers:
            signers.append(sig.signer.text)
    noi_nhan, ban_luu = [], []
    for item in lay.noi_nhan_items:
        if _LUU.match(item.text) and "lưu" in item.text[:8].lower():
            ban_luu.extend(luu_items(item.text))
        else:
            r = recipient(item.text)
            if r:
                noi_nhan.append(r)
    do_mat = None
    header_end = lay.blocks[0].header_end if lay.blocks else -1
    for s in lay.segments[: max(header_end, 0) + 1]:
        c = mark_rules.classify(s.text)
        if c is not None and c[0] == "secrecy":
            do_mat = c[1]
            break
    return Read(so_line=so_line, number=blank_number(so_line), ky_hieu=ky_hieu,
                date=lay.date_value, year=lay.date_year, loai=loai, ten_loai=ten_loai,
                trich_yeu=" ".join(trich.split()), nguoi_ky=", ".join(signers), noi_nhan=noi_nhan,
                ban_luu=ban_luu, do_mat=do_mat)


# ------------------------------------------------------------------------ editing


def _replace_span(ts: list[etree._Element], start: int, end: int, new: str) -> None:
    """Replace characters [start, end) of the joined text of ``ts`` by ``new``, written
    into the w:t where the span begins (its run's formatting)."""
    pos, placed = 0, False
    for t in ts:
        text = t.text or ""
        lo, hi = pos, pos + len(text)
        pos = hi
        if hi <= start and not (hi == lo == start == end):
            continue
        if placed and lo >= end:
            break
        a, b = max(start, lo) - lo, min(end, hi) - lo
        value = text[:a] + (new if not placed else "") + text[b:]
        placed = True
        t.text = value
        if value != value.strip() or "  " in value or "\u00a0" in value:
            t.set(qn("xml:space"), "preserve")


def _edit(runs: list[etree._Element], pattern: re.Pattern, make) -> bool:
    ts = [t for r in runs for t in r.iter(qn("w:t"))]
    joined = "".join(t.text or "" for t in ts)
    m = pattern.search(joined)
    if m is None:
        return False
    start, end, new = make(m)
    _replace_span(ts, start, end, new)
    return True


def reference_pattern(ky_hieu: str) -> re.Pattern:
    """A "(Ban hành) kèm theo … số …/KÝ-HIỆU ngày …" reference to this document, its
    number and date blank or written (short ``ngày 27/12/2017`` or long form).

    >>> m = reference_pattern("QĐ-UBND").search("(Kèm theo Quyết định số \u00a0 /QĐ-UBND ngày \u00a0 / \u00a0 /2026 của UBND)")
    >>> m.group("num"), m.group("sy")
    ('', '2026')
    """
    return re.compile(rf"số(?P<gap>{_BLANK}*?)(?P<num>\d*)(?P<tail>{_BLANK}*)/{re.escape(ky_hieu)}"
                      rf"(?P<sp>\s+)ngày(?P<date>{_REF_DATE})")


def _references(lay, ky_hieu: str, old: str) -> list:
    """The segments of the lines naming this document ("(Kèm theo Quyết định số …)"
    of its attached documents and appendices) whose number is blank (or ``old``)."""
    if not ky_hieu:
        return []
    pat = reference_pattern(ky_hieu)
    out = []
    for s in lay.segments:
        if s is lay.so or not _REF_HEAD.match(s.text):
            continue
        m = pat.search(s.text)
        if m is not None and m.group("num") in ("", old):
            out.append(s)
    return out


def _stamp_reference(runs, pat: re.Pattern, so: int, ngay: dt.date) -> bool:
    ts = [t for r in runs for t in r.iter(qn("w:t"))]
    joined = "".join(t.text or "" for t in ts)
    m = pat.search(joined)
    if m is None:
        return False
    if m.group("sy") is not None:
        when = f" {date_line.day(ngay.day)}/{date_line.month(ngay.month)}/{ngay.year}"
    else:
        when = " " + date_line.date_phrase(ngay).removeprefix("ngày ")
    _replace_span(ts, m.start("date"), m.end("date"), when)  # the later span first
    _replace_span(ts, m.start("gap"), m.start("tail") + len(m.group("tail")), " " + so_ky_hieu.format_number(so))
    return True


def _stamp_tree(view, lay, so: int, ngay: dt.date | None, refs=(), ref_date: dt.date | None = None,
                ky_hieu: str = "") -> None:
    """Write the number (and the date, unless None) into the main part's tree, and
    the same number and date into the references ``refs`` to this document."""
    number = so_ky_hieu.format_number(so)
    if not _edit(view.seg_runs(lay.so), _SO_SPAN,
                 lambda m: (m.start("gap"), m.end() - 1, " " + number)):
        raise ValueError("số")
    if ngay is not None and not _edit(view.seg_runs(lay.date), _DATE_SPAN,
                                      lambda m: (m.start(), m.end(), date_line.date_phrase(ngay))):
        raise ValueError("ngày")
    if refs:
        pat = reference_pattern(ky_hieu)
        for seg in refs:
            if not _stamp_reference(view.seg_runs(seg), pat, so, ref_date or ngay):
                raise ValueError("số vào dòng «kèm theo»")


# ------------------------------------------------------------------------ the command's work


def _limits():
    from drafter.package import Limits

    try:
        return Limits.from_env()
    except ValueError as exc:
        raise DrafterError(Problem(str(exc))) from None


def _read_bytes(src: Path) -> bytes:
    from drafter.errors import read_refusal

    limits = _limits()
    try:
        size = src.stat().st_size
        if size > limits.max_package_bytes:
            raise _fail(src, f"Tệp quá lớn để cấp số ({size / (1024 * 1024):.1f} MB, tối đa "
                             f"{limits.max_package_bytes // (1024 * 1024)} MB).",
                        "Xem docs/limits.md (DRAFTER_MAX_PACKAGE_MB).", key="too-large")
        return src.read_bytes()
    except OSError as exc:
        raise _fail(src, f"Không đọc được tệp: {read_refusal(exc)}.") from None


def _open(data: bytes, label: str):
    """(package, view, layout) of the bytes, every refusal a Vietnamese DrafterError."""
    from drafter.check.locate import locate
    from drafter.check.reader import TooLarge
    from drafter.fix.view import read_view
    from drafter.package import PackageError, open_package

    try:
        pkg = open_package(data, _limits(), name=label)
    except PackageError as exc:
        raise DrafterError(Problem(f"{exc.message} Tệp được giữ nguyên.", Position(label), key=exc.reason_code)) from None
    try:
        view = read_view(pkg, label)
        lay = locate(view.doc)
    except PackageError as exc:
        pkg.close()
        raise DrafterError(Problem(f"{exc.message} Tệp được giữ nguyên.", Position(label), key=exc.reason_code)) from None
    except TooLarge as exc:
        pkg.close()
        raise DrafterError(Problem(exc.message, Position(label), key="too-large")) from None
    except RecursionError:
        pkg.close()
        raise DrafterError(Problem("Tệp có cấu trúc lồng nhau quá sâu nên drafter không đọc được. Hãy mở bằng "
                                   "Word rồi «Lưu thành» (Save As) một tệp .docx mới.", Position(label))) from None
    return pkg, view, lay


def read_document(path: str | os.PathLike[str]) -> Read:
    """The register's fields as the document at ``path`` gives them (nothing written)."""
    src = Path(path)
    label = display_path(src)
    pkg, _view, lay = _open(_read_bytes(src), label)
    pkg.close()
    return read_layout(lay)


def number_document(
    path: str | os.PathLike[str],
    *,
    register: Register | str | os.PathLike[str] | None = None,
    ngay: dt.date | None = None,
    force: bool = False,
    so_ban: int | None = None,
    ghi_chu: str = "",
    series: str | None = None,
    rules: series_mod.SeriesRules | None = None,
    today: dt.date | None = None,
) -> Numbered:
    """Give the document at ``path`` the next number of its series and the issuing
    date, in place, and record it in the register.

    ``ngay`` is the issuing date; without it a date already written in the document
    is kept, and a blank one takes ``today``. ``series`` names the series outright
    (``--so``); otherwise ``rules`` (the preset's ``so_dang_ky``) and the document
    decide (:func:`drafter.issue.series.resolve`). Refused (DrafterError, nothing
    written, no number taken): a file that is not a .docx drafter can read, a
    document without a ``Số: …/…`` line or a date line, a copy, a document that
    already has a number unless ``force``.
    """
    src = Path(path)
    label = display_path(src)
    if src.exists() and not src.is_file():
        raise _fail(src, "Đây là một thư mục, không phải tệp Word (.docx).")
    if not src.exists():
        raise _fail(src, "Không tìm thấy tệp.")
    if src.suffix.lower() != ".docx":
        raise _fail(src, "drafter cap-so cấp số cho văn bản Word (.docx).",
                    "Cấp số trên tệp .docx rồi mới chuyển sang PDF.")
    data = _read_bytes(src)
    st = src.stat()
    fingerprint = (st.st_mtime_ns, st.st_size)
    pkg, view, lay = _open(data, label)
    try:
        if getattr(lay, "kind", document_kind.ADMINISTRATIVE) == document_kind.COPY:
            raise _fail(src, "Văn bản này là bản sao (có khối SAO Y/SAO LỤC/TRÍCH SAO); bản sao lấy số "
                             "của sổ bản sao khi tạo bằng drafter sao.", key=KEY_SO)
        if lay.so is None:
            raise _fail(src, "Không tìm thấy dòng «Số: …/…» của văn bản nên không biết ghi số vào đâu.",
                        "Văn bản cần dòng số ký hiệu như «Số:      /UBND-VP» (xem drafter check).", key=KEY_SO)
        m = _SO_SPAN.search(lay.so.text)
        if m is None:
            raise _fail(src, f"Dòng số ký hiệu «{lay.so.text}» không có dấu «/» giữa số và ký hiệu.",
                        "Sửa dòng thành «Số:      /UBND-VP» rồi cấp số.", key=KEY_SO)
        if lay.date is None:
            raise _fail(src, "Không tìm thấy dòng địa danh, ngày tháng («…, ngày … tháng … năm …»).",
                        "Văn bản cần dòng ngày tháng để ghi ngày ban hành (xem drafter check).", key=KEY_DATE)
        if _DATE_SPAN.search(lay.date.text) is None:
            raise _fail(src, f"Dòng ngày tháng «{lay.date.text}» không có dạng «ngày … tháng … năm …».",
                        key=KEY_DATE)
        read = read_layout(lay)
        if read.number and not force:
            raise _fail(src, f"Văn bản đã có số ({read.so_line}); drafter không cấp số thứ hai.",
                        "Nếu đúng là cần cấp lại số mới, thêm --force (số cũ, nếu do sổ này cấp cho tệp này, "
                        "được đánh dấu hủy trong sổ).", key=KEY_SO)
        kept_date = False
        if ngay is not None:
            issue_date = ngay
        elif read.date is not None:
            issue_date, kept_date = read.date, True
        else:
            issue_date = today or dt.date.today()
        write_date = None if kept_date else issue_date
        refs = _references(lay, read.ky_hieu, read.number)
        chosen = series_mod.resolve(rules or series_mod.SeriesRules(), loai=read.loai, ky_hieu=read.ky_hieu,
                                    do_mat=read.do_mat, explicit=series)
        fields = RegisterFields(ky_hieu=read.ky_hieu, ngay=issue_date, ten_loai=read.ten_loai,
                                trich_yeu=read.trich_yeu, nguoi_ky=read.nguoi_ky, noi_nhan=read.noi_nhan,
                                ban_luu=read.ban_luu, so_luong_ban=so_ban, ghi_chu=ghi_chu, loai=read.loai)
        from drafter.package import PackageTemplate

        template = PackageTemplate.from_package(pkg)
        main_name = view.main
        main_bytes = pkg.read(main_name)
    finally:
        pkg.close()

    def write(entry: Entry) -> None:
        from drafter.output_problems import check_outputs, write_problem
        from drafter.package.atomic import atomic_write_bytes, verify_docx
        from drafter.render.regenerate import serialise

        try:
            _stamp_tree(view, lay, entry.so, write_date, refs, issue_date, read.ky_hieu)
        except ValueError as what:
            raise _fail(src, f"Không ghi được {what} vào văn bản (không nhận ra chữ của dòng đó).",
                        key=KEY_SO if str(what) == "số" else KEY_DATE) from None
        new = template.build({main_name: serialise(view.root, main_bytes)})
        _confirm(new, label, entry, write_date, read.ky_hieu, len(refs))
        check_outputs([src], force=True, follow_link=True)
        now = src.stat()
        if (now.st_mtime_ns, now.st_size) != fingerprint:
            raise _fail(src, "Tệp vừa bị thay đổi (có lẽ được lưu từ Word) trong khi drafter cấp số; "
                             "drafter không ghi đè và chưa cấp số nào.", "Đóng tệp trong Word rồi chạy lại lệnh.")
        try:
            atomic_write_bytes(src, new, force=True, follow_link=True, verify=verify_docx)
        except OSError as exc:
            raise DrafterError(write_problem(exc, src, kept="Tệp gốc được giữ nguyên; chưa cấp số nào.")) from None

    own = not isinstance(register, Register)
    reg = Register.open(register) if own else register
    try:
        entry = reg.issue(series=chosen, year=issue_date.year, fields=fields, file=str(src.resolve()),
                          before_commit=write)
        reg_path = display_path(reg.path)
        notes = []
        if kept_date:
            notes.append(f"Giữ ngày đã ghi trong văn bản ({issue_date.strftime('%d/%m/%Y')}); "
                         "muốn ghi ngày khác dùng --ngay.")
        if read.number:
            notes.append(_retire_old(reg, read, entry, src))
    finally:
        if own:
            reg.close()
    return Numbered(entry=entry, file=label, register=reg_path, kept_date=kept_date,
                    old_number=read.number, notes=notes)


def _retire_old(reg: Register, read: Read, entry: Entry, src: Path) -> str:
    """With --force, the number the document had is cancelled in the register when the
    register gave it to this same file; otherwise the clerk is told what to do."""
    import getpass

    old = int(read.number)
    year = read.year or entry.year
    prev = reg.get(series=entry.series, year=year, so=old)
    if prev is not None and not prev.cancelled and prev.file == str(src.resolve()):
        try:
            who = getpass.getuser()
        except (KeyError, OSError, ImportError):  # no user name on this system: say it was the command
            who = "drafter cap-so"
        reg.cancel(series=entry.series, year=year, so=old, who=who,
                   why=f"Cấp lại số (--force): văn bản nhận số {entry.so_ky_hieu}")
        return f"Số cũ {prev.so_ky_hieu} đã được đánh dấu hủy trong sổ (cấp lại số)."
    return (f"Số cũ {read.number} trong văn bản đã được thay; số đó không do sổ này cấp cho tệp này, "
            "nếu có trong sổ hãy hủy bằng drafter huy-so.")


def _confirm(data: bytes, label: str, entry: Entry, ngay: dt.date | None, ky_hieu: str = "",
             refs: int = 0) -> None:
    """Read the numbered package back as the checker would: the number and the date
    are where they belong, or nothing is written."""
    pkg, _view, lay = _open(data, label)
    pkg.close()
    ok = lay.so is not None and blank_number(lay.so.text) == so_ky_hieu.format_number(entry.so)
    if ngay is not None:
        ok = ok and lay.date_value == ngay
    if refs:
        pat = reference_pattern(ky_hieu)
        want = so_ky_hieu.format_number(entry.so)
        found = [m for s in lay.segments if _REF_HEAD.match(s.text) and (m := pat.search(s.text))]
        ok = ok and sum(1 for m in found if m.group("num") == want) >= refs
    if not ok:
        raise _fail(label, "Văn bản sau khi ghi số đọc lại không thấy số hoặc ngày vừa ghi; "
                           "drafter không ghi đè và chưa cấp số nào.", key=KEY_SO)


@dataclass
class ManyNumbered:
    """What :func:`number_files` did: the numbered documents in order, the ones that
    already had a number (left alone), the refusals (each a Problem with its file)."""

    numbered: list[Numbered] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    register: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"register": self.register, "numbered": [n.as_dict() for n in self.numbered],
                "already_numbered": self.already, "problems": [p.as_dict() for p in self.problems]}


def number_files(paths, *, register: str | os.PathLike[str] | None = None, settings_file: str | None = None,
                 ngay: dt.date | None = None) -> ManyNumbered:
    """Number the documents ``paths`` one after another, in the order given (a batch's
    rows), from one register: ``drafter batch --cap-so``. A document that already has
    a number (a row whose data gave ``so``, or a run resumed) is left as it is. The
    register and the series come from ``register`` or the ``so_dang_ky`` of
    ``settings_file`` (the batch's draft, with its presets)."""
    from drafter.issue.config import load_settings

    out = ManyNumbered()
    try:
        settings = load_settings(settings_file)
        reg = Register.open(register if register else settings.register)
    except DrafterError as exc:
        out.problems.extend(exc.problems)
        return out
    with reg:
        out.register = display_path(reg.path)
        for p in paths:
            try:
                if read_document(p).number:
                    out.already.append(display_path(p))
                    continue
                out.numbered.append(number_document(p, register=reg, ngay=ngay, rules=settings.rules))
            except DrafterError as exc:
                out.problems.extend(exc.problems)
    return out


def number_batch(result, *, register=None, settings_file: str | None = None) -> ManyNumbered:
    """``drafter batch --cap-so``: the rows' documents numbered in row order (made now,
    or kept from an earlier run by ``--resume``), once every row is made. A run that
    stopped or has failed rows numbers nothing: numbering the rest now and the failed
    row later would break the row order; the clerk fixes the rows and runs again with
    ``--resume --cap-so``."""
    from drafter import batch

    if result.interrupted or result.failed:
        why = "lần chạy bị dừng giữa chừng" if result.interrupted else f"có {result.failed} hàng lỗi"
        return ManyNumbered(problems=[Problem(
            f"Chưa cấp số cho văn bản nào: {why}, mà số phải cấp theo đúng thứ tự hàng.",
            Position(display_path(result.out_dir)), key="cap-so",
            hint="Sửa các hàng lỗi rồi chạy lại lệnh với --resume --cap-so.")])
    # The outcomes are in row order already (read back from disk one at a time): the
    # paths are made as they are numbered, never a list of every row.
    paths = (result.out_dir / o.file for o in _in_row_order(result.outcomes)
             if o.status in (batch.OK, batch.SKIPPED) and o.file)
    return number_files(paths, register=register, settings_file=settings_file)


def _in_row_order(outcomes):
    """``outcomes`` as they come, checked to be in row order (a batch's always are)."""
    last = None
    for o in outcomes:
        if last is not None and o.row < last:
            raise ValueError(f"batch outcomes out of row order: row {o.row} after {last}")
        last = o.row
        yield o
