"""`fix_file`: one .docx in, the repaired .docx out, and a report of what was done.

Reading goes through the checker's reader (bounded, hardened package reading); the
repairs of :mod:`drafter.fix.repairs` edit the main part's tree; the package is
rebuilt by :class:`drafter.package.PackageTemplate` (untouched parts copied byte for
byte, compressed data included) and checked again, then written atomically under the
replace rule of every output (drafter.package.replace_policy: never over a file Word
or LibreOffice holds open; over the input itself or another existing file only with
``force``).
"""

from __future__ import annotations

import os
import posixpath
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from drafter.check.locate import locate
from drafter.check.model import Finding
from drafter.check.reader import TooLarge, read_docx
from drafter.check import rules as check_rules
from drafter.check.rules import check_document, check_layout
from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.oxml import CT, NS, RT, half_points, qn, rels_part_name
from drafter.output_problems import check_outputs, write_problem
from drafter.package import Limits, PackageError, PackageTemplate, atomic_write_bytes, open_package, parse_xml
from drafter.package.atomic import ensure_folder, verify_docx
from drafter.render.regenerate import serialise
from drafter.rules import geometry as G
from drafter.rules import layout as L

from . import edit
from .repairs import REPAIRS, Change, Fixer
from .view import read_view

HEADER_TYPE = RT.HEADER
HEADER_CONTENT = CT.HEADER
CT_NS = NS["ct"]
REL_NS = NS["pr"]


@dataclass
class FixReport:
    file: str
    output: str | None
    changes: list[Change] = field(default_factory=list)
    before: list[Finding] = field(default_factory=list)
    after: list[Finding] = field(default_factory=list)  # what a person must still see to
    written: bool = False
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def fixed_rules(self) -> list[str]:
        left = {f.rule_id for f in self.after}
        return sorted({c.rule_id for c in self.changes} - left)

    @property
    def for_person(self) -> list[Finding]:
        return self.after

    def as_dict(self) -> dict:
        return {"file": self.file, "output": self.output, "dry_run": self.dry_run, "written": self.written,
                "changes": [c.as_dict() for c in self.changes],
                "needs_person": [f.as_dict() for f in self.after]}


def _fail(message: str, where, hint: str | None = None) -> DrafterError:
    return DrafterError(Problem(message, Position(display_path(where)), hint=hint))


def _limits() -> Limits:
    try:
        return Limits.from_env()
    except ValueError as exc:
        raise DrafterError(Problem(str(exc))) from None


def _page_paragraph() -> etree._Element:
    """A centred PAGE field paragraph in the page number's size (rules/geometry)."""
    w = NS["w"]
    hp = str(half_points(G.PAGE_NUMBER.pt))
    p = etree.Element(qn("w:p"), nsmap={"w": w})
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), "center")

    def run() -> etree._Element:
        r = etree.SubElement(p, qn("w:r"))
        rpr = etree.SubElement(r, qn("w:rPr"))
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
        for slot in ("ascii", "hAnsi", "cs"):
            fonts.set(qn("w:" + slot), G.FONT)
        etree.SubElement(rpr, qn("w:sz")).set(qn("w:val"), hp)
        etree.SubElement(rpr, qn("w:szCs")).set(qn("w:val"), hp)
        return r

    etree.SubElement(run(), qn("w:fldChar")).set(qn("w:fldCharType"), "begin")
    instr = etree.SubElement(run(), qn("w:instrText"))
    instr.text = " PAGE "
    instr.set(edit.XML_SPACE, "preserve")
    etree.SubElement(run(), qn("w:fldChar")).set(qn("w:fldCharType"), "separate")
    etree.SubElement(run(), qn("w:t")).text = "2"
    etree.SubElement(run(), qn("w:fldChar")).set(qn("w:fldCharType"), "end")
    return p


def _header_part() -> bytes:
    hdr = etree.Element(qn("w:hdr"), nsmap={"w": NS["w"], "r": NS["r"]})
    hdr.append(_page_paragraph())
    return serialise(hdr, b"")


def _restyle_page_header(root: etree._Element) -> None:
    hp = half_points(G.PAGE_NUMBER.pt)
    for p in root.iter(qn("w:p")):
        codes = " ".join([e.get(qn("w:instr")) or "" for e in p.iter(qn("w:fldSimple"))]
                         + [e.text or "" for e in p.iter(qn("w:instrText"))])
        if "PAGE" not in codes.upper().split():
            continue
        edit.set_para(p, jc="center")
        for r in p.iter(qn("w:r")):
            edit.set_run(r, size_half_points=hp)
        return


def _remove_page_fields(root: etree._Element) -> None:
    """Take the PAGE fields out of a footer (the number moves to the header)."""
    for fld in list(root.iter(qn("w:fldSimple"))):
        if "PAGE" in (fld.get(qn("w:instr")) or "").upper().split():
            fld.getparent().remove(fld)
    for p in root.iter(qn("w:p")):
        runs = list(p.iter(qn("w:r")))
        i = 0
        while i < len(runs):
            begin = runs[i].find(qn("w:fldChar"))
            if begin is None or begin.get(qn("w:fldCharType")) != "begin":
                i += 1
                continue
            j, depth, instr = i, 0, ""
            while j < len(runs):
                for el in runs[j]:
                    if el.tag == qn("w:fldChar"):
                        t = el.get(qn("w:fldCharType"))
                        depth += t == "begin"
                        depth -= t == "end"
                    elif el.tag == qn("w:instrText"):
                        instr += el.text or ""
                if depth == 0:
                    break
                j += 1
            if "PAGE" in instr.upper().split() and "NUMPAGES" not in instr.upper():
                for r in runs[i:j + 1]:
                    r.getparent().remove(r)
            i = j + 1


def _headers(pkg, view, fx: Fixer, replacements: dict[str, bytes], label: str) -> None:
    """Add or restyle the page-number header parts the repairs asked for."""
    req = fx.header_request
    restyle = set(req.get("restyle", ()))
    if req.get("add"):
        sec0 = view.doc.sections[0]
        existing = sec0.headers.get("default")
        if existing is not None:
            root = parse_xml(pkg.read(existing.name), name=existing.name, path=label)
            root.insert(0, _page_paragraph())
            replacements[existing.name] = serialise(root, pkg.read(existing.name))
        else:
            folder = posixpath.dirname(view.main)
            names = {n.lower() for n in pkg.names()}
            n = 1
            while posixpath.join(folder, f"header{n}.xml").lower() in names:
                n += 1
            part = posixpath.join(folder, f"header{n}.xml")
            replacements[part] = _header_part()
            rels_name = rels_part_name(view.main)
            if pkg.has(rels_name):
                rels_bytes = pkg.read(rels_name)
                rels = parse_xml(rels_bytes, name=rels_name, path=label)
            else:
                rels_bytes = b""
                rels = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
            ids = {r.get("Id") for r in rels}
            k = 1
            while f"rIdDrafterPage{k}" in ids:
                k += 1
            rid = f"rIdDrafterPage{k}"
            rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
            rel.set("Id", rid)
            rel.set("Type", HEADER_TYPE)
            rel.set("Target", posixpath.relpath(part, folder or "."))
            replacements[rels_name] = serialise(rels, rels_bytes)
            ct_name = next(nm for nm in pkg.names() if nm.lower() == "[content_types].xml")
            ct_bytes = pkg.read(ct_name)
            ct = parse_xml(ct_bytes, name=ct_name, path=label)
            o = etree.SubElement(ct, f"{{{CT_NS}}}Override")
            o.set("PartName", "/" + part)
            o.set("ContentType", HEADER_CONTENT)
            replacements[ct_name] = serialise(ct, ct_bytes)
            sect = view.sections[0]
            ref = etree.Element(qn("w:headerReference"))
            ref.set(qn("w:type"), "default")
            ref.set(qn("r:id"), rid)
            sect.insert(0, ref)
            mar = sect.find(qn("w:pgMar"))
            if mar is not None and mar.get(qn("w:header")) is None:
                mar.set(qn("w:header"), str(L.HEADER_DISTANCE))
    for name in sorted(req.get("unfoot", ())):
        data = pkg.read(name)
        root = parse_xml(data, name=name, path=label)
        _remove_page_fields(root)
        replacements[name] = serialise(root, data)
    for name in sorted(restyle):
        data = replacements.get(name) or pkg.read(name)
        root = parse_xml(data, name=name, path=label)
        _restyle_page_header(root)
        replacements[name] = serialise(root, data)


def repair_bytes(source: bytes | str | os.PathLike[str], label: str, limits: Limits | None = None
                 ) -> tuple[bytes | None, list[Change], list[Finding]]:
    """(new package bytes or None when nothing changed, changes, findings before)."""
    with open_package(source, limits, name=label) as pkg:
        view = read_view(pkg, label)
        lay = locate(view.doc)
        before = check_layout(lay)
        fx = Fixer(view, lay)
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        for f in before:
            by_rule[f.rule_id].append(f)
        kind = getattr(lay, "kind", "administrative")
        if kind == "administrative":
            plan = [(rid, fx) for rid in REPAIRS]
        elif kind == "copy":  # the copy's own block is checked (and repaired) as a document
            own = Fixer(view, lay.copy, fx.changes, fx.header_request) if lay.copy is not None else fx
            plan = [(rid, fx) for rid in ("PAGE-SIZE", "PAGE-MARGIN", "FONT-NAME", "COPY-STYLE")]
            plan += [(rid, own) for rid in getattr(check_rules, "COPY_BLOCK_RULES", ()) if rid in REPAIRS and rid not in
                     ("PAGE-SIZE", "PAGE-MARGIN", "FONT-NAME")]
        elif kind == "appendix":
            plan = [(rid, fx) for rid in getattr(check_rules, "APPENDIX_RULES", ()) if rid in REPAIRS]
        else:  # a Party document is not judged by Nghị định 30: nothing to repair
            plan = []
        for rid, who in plan:
            if rid in by_rule and rid in REPAIRS:
                REPAIRS[rid](who, by_rule[rid])
        if not fx.changes:
            return None, [], before
        replacements: dict[str, bytes] = {}
        _headers(pkg, view, fx, replacements, label)  # may add a headerReference to the main part
        main_bytes = pkg.read(view.main)
        replacements[view.main] = serialise(view.root, main_bytes)
        template = PackageTemplate.from_package(pkg)
    return template.build(replacements), fx.changes, before


def left_for_person(before: list[Finding], changes: list[Change]) -> list[Finding]:
    """The findings no change answered: a repair records each change at the place of
    the finding it mends (same rule, same paragraph or section); a finding for the
    whole document (the "… more like this" line) is answered by any change of its rule.
    tests/test_fix.py and tests/test_corpus.py check this against `check` run on the
    output."""
    placed = {(c.rule_id, c.location.kind == "section", c.location.index) for c in changes}
    rules = {c.rule_id for c in changes}
    out = []
    for f in before:
        loc = f.location
        if loc.kind == "document" and f.rule_id in rules:
            continue
        if (f.rule_id, loc.kind == "section", loc.index) in placed:
            continue
        out.append(f)
    return out


def fix_file(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
             force: bool = False, dry_run: bool = False, recheck: bool = False) -> FixReport:
    """Repair `path` into `out` (in place when `out` is None, which needs `force`).
    `recheck` runs the checker again on the result for the list left to a person
    (otherwise it is the findings no change answered: one reading instead of two).
    DrafterError (Vietnamese) on a file that cannot be read or written; nothing written then."""
    start = time.perf_counter()
    src = Path(path)
    label = display_path(src)
    if src.exists() and not src.is_file():
        raise _fail("Đây là một thư mục, không phải tệp Word (.docx).", src)
    if not src.exists():
        raise _fail("Không tìm thấy tệp.", src)
    target = Path(out) if out is not None else src
    in_place = out is None or (target.exists() and target.resolve() == src.resolve())
    if not dry_run:
        if target.suffix.lower() != ".docx":
            raise _fail("Tệp kết quả phải có đuôi .docx.", target)
        if in_place and not force:
            raise _fail("drafter fix không tự ghi đè lên văn bản gốc.", src,
                        hint="Ghi ra tệp khác bằng -o RA.docx, hoặc thêm --force để sửa ngay trên tệp này.")
        check_outputs([target], force=force, follow_link=True)
    limits = _limits()
    try:
        fingerprint = (src.stat().st_mtime_ns, src.stat().st_size)
        data, changes, before = repair_bytes(src, label, limits)
        if recheck and data is not None:
            after = check_document(read_docx(data, name=label))
        else:
            after = left_for_person(before, changes)
    except PackageError as exc:
        raise DrafterError(Problem(f"{exc.message} Tệp được giữ nguyên.", Position(label), key=exc.reason_code)) from None
    except TooLarge as exc:
        raise DrafterError(Problem(exc.message, Position(label), key="too-large")) from None
    except RecursionError:
        raise _fail("Tệp có cấu trúc lồng nhau quá sâu (bảng trong bảng…) nên drafter không đọc được. "
                    "Hãy mở bằng Word rồi «Lưu thành» (Save As) một tệp .docx mới.", src) from None
    report = FixReport(label, None if dry_run else display_path(target), changes, before, after, dry_run=dry_run)
    if dry_run or (data is None and in_place):
        report.seconds = time.perf_counter() - start
        return report
    if data is None:
        data = src.read_bytes()
    if in_place and (src.stat().st_mtime_ns, src.stat().st_size) != fingerprint:
        raise _fail("Tệp vừa bị thay đổi (có lẽ được lưu từ Word) trong khi drafter làm việc; "
                    "drafter không ghi đè. Tệp được giữ nguyên.", src, hint="Chạy lại lệnh.")
    try:
        ensure_folder(target.parent)
        atomic_write_bytes(target, data, force=force or in_place, follow_link=True, verify=verify_docx)
    except OSError as exc:
        raise DrafterError(write_problem(exc, target, kept="Tệp gốc được giữ nguyên." if in_place else None)) from None
    report.written = True
    report.seconds = time.perf_counter() - start
    return report
