"""Making a copy (bản sao: sao y, sao lục, trích sao — Nghị định 30/2020 Điều 25–27).

:func:`make_copy` reads a .docx (drafter's own or any other, through the checker's
reader), keeps the copied text — the whole document for sao y and sao lục, for
trích sao the head of the document, the excerpt named (``Điều 1-2`` or ``đoạn
14-20``) and its signature block — and writes after it a full-width line and the
copy block of Phụ lục I, phần II: the copying agency, ``SAO Y`` (13–14 pt bold),
``Số: 05/SY-UBND``, place and date, the signer's block and Nơi nhận. The number
comes from the register's copy series (``sao``: SY, SL and TrS share it) inside the
register's write transaction, so a copy that is not written takes no number.

Every part of the source package is copied byte for byte but the main document
(:class:`drafter.package.PackageTemplate`); the copied text keeps its own quốc hiệu,
the block has none. The copy block's words come from a small YAML (``--thong-tin``)
and the presets it or ``--preset`` names: ``co_quan`` (as a draft's), ``ky``,
``noi_nhan``, ``luu``, ``ngay``.
"""

from __future__ import annotations

import copy as _copy
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.oxml import half_points, qn, twips_from_pt
from drafter.rules import copies as rules
from drafter.rules import date_line, recipients, signature
from drafter.rules import geometry as G
from drafter.rules import layout as L

from .model import Entry, RegisterFields

# Keys of the copy's information file (and what it takes from presets).
INFO_KEYS = ("dung", "co_quan", "ky", "noi_nhan", "luu", "ngay", "so_dang_ky")


@dataclass(frozen=True)
class CopyInfo:
    """What the copy block says that the source document does not."""

    chu_quan: str | None
    ten: list[str]
    viet_tat: str
    dia_danh: str
    ky: signature.Signature
    noi_nhan: list[str]
    luu: list[str] | str | None
    ngay: dt.date
    register: str | None = None  # so_dang_ky.thu_muc of the information file or a preset


@dataclass
class CopyResult:
    source: str
    output: str
    form: str
    so_ky_hieu: str
    entry: Entry | None
    excerpt: str | None = None
    kept_paragraphs: int = 0
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "output": self.output, "hinh_thuc": self.form,
                "so_ky_hieu": self.so_ky_hieu, "trich": self.excerpt,
                "entry": self.entry.to_json() if self.entry else None}


def _fail(message: str, where: str | os.PathLike[str] | None = None, *, key: str | None = None,
          hint: str | None = None) -> DrafterError:
    return DrafterError(Problem(message, Position(display_path(where)) if where else Position(), key=key, hint=hint))


# ----------------------------------------------------------------- the copy block's information


def load_info(info_file: str | os.PathLike[str] | None, presets: list[str] | tuple[str, ...] = (), *,
              ngay: dt.date | None = None, base_dir: Path | None = None) -> CopyInfo:
    """The copying agency, signer and Nơi nhận from ``info_file`` over ``presets``
    (found as a draft's are: beside the file, the user's folder, built in). Every
    problem at once, each at its file, line and key."""
    from pydantic import ValidationError

    from drafter.inputs import presets as preset_search
    from drafter.inputs.yamlfile import Loaded
    from drafter.inputs.yamlfile import load as load_file
    from drafter.model import CoQuan, Ky, _problems

    problems: list[Problem] = []
    if info_file is not None:
        path = Path(info_file)
        if not path.is_file():
            raise _fail("Không tìm thấy tệp thông tin bản sao." if not path.exists()
                        else "Tệp thông tin bản sao phải là một tệp YAML, đây là một thư mục.", path, key="--thong-tin")
        loaded = load_file(path)
        if not isinstance(loaded.data, dict):
            raise _fail("Tệp thông tin bản sao phải là các khóa co_quan, ky, noi_nhan…", path)
        for k in loaded.data:
            if k not in INFO_KEYS:
                problems.append(Problem(f"Khóa '{k}' không dùng cho bản sao; các khóa được dùng: "
                                        + ", ".join(INFO_KEYS) + ".", loaded.position((k,)), key=str(k)))
        draft_dir = path.parent
    else:
        loaded = Loaded("--preset " + ", ".join(presets) if presets else "--thong-tin", {})
        draft_dir = base_dir or Path.cwd()
    if presets:
        names = loaded.data.get("dung") or []
        names = [names] if isinstance(names, str) else list(names)
        loaded.data["dung"] = [*presets, *names]
    merged = preset_search.resolve(loaded, draft_dir)
    problems += [p for p in merged.problems if p.severity == "error"]
    data = merged.data or {}
    if "co_quan" not in data:
        problems.append(Problem("Thiếu cơ quan sao văn bản (khóa co_quan, như của bản thảo).", merged.position(()),
                                key="co_quan", hint="Thêm --preset TÊN_CƠ_QUAN (ví dụ ubnd-tinh-hung-yen) "
                                                    "hoặc khóa co_quan trong --thong-tin."))
    if "ky" not in data:
        problems.append(Problem("Thiếu người ký bản sao (khóa ky: chức vụ, họ tên; TL./KT. nếu có).",
                                merged.position(()), key="ky",
                                hint="Thêm khóa ky vào tệp --thong-tin, hoặc một preset có khóa ky."))
    co_quan = ky = None
    for key, model in (("co_quan", CoQuan), ("ky", Ky)):
        if key not in data:
            continue
        try:
            value = model.model_validate(data[key])
        except ValidationError as exc:
            for p in _problems(exc, merged):
                problems.append(Problem(p.message, p.position, key=f"{key}.{p.key}" if p.key else key, hint=p.hint))
            continue
        if key == "co_quan":
            co_quan = value
        else:
            ky = value
    sig = None
    if ky is not None:
        values = ky.model_dump()
        errs = [p for p in signature.validate(**values) if p.severity == "error"]
        for p in errs:
            problems.append(Problem(p.message, merged.position(("ky", p.key)), key=f"ky.{p.key}", hint=p.hint))
        if not errs:
            sig = signature.format(**values)
    noi_nhan = data.get("noi_nhan") or []
    if isinstance(noi_nhan, str):
        noi_nhan = [noi_nhan]
    if not isinstance(noi_nhan, list) or not all(isinstance(x, str) for x in noi_nhan):
        problems.append(Problem("noi_nhan là danh sách nơi nhận, mỗi dòng một nơi.", merged.position(("noi_nhan",)),
                                key="noi_nhan"))
        noi_nhan = []
    luu = data.get("luu")
    if luu is not None and not isinstance(luu, (str, list)):
        problems.append(Problem("luu là các đơn vị lưu, ví dụ [VT, VP].", merged.position(("luu",)), key="luu"))
        luu = None
    when = ngay
    if when is None and data.get("ngay") not in (None, ""):
        try:
            when = date_line.parse_date(str(data["ngay"]))
        except ValueError as exc:
            problems.append(Problem(str(exc), merged.position(("ngay",)), key="ngay"))
    reg_path = None
    if data.get("so_dang_ky") is not None:  # the office's register folder (drafter/issue/config.py)
        from .config import settings_from

        named_in = merged.position(("so_dang_ky", "thu_muc")).file
        settings = settings_from(data, Path(named_in) if named_in and named_in != merged.file else
                                 (Path(info_file) if info_file is not None else None), merged)
        problems += settings.problems
        reg_path = str(settings.register) if settings.register is not None else None
    if problems:
        raise DrafterError(problems)
    assert co_quan is not None and sig is not None
    return CopyInfo(co_quan.chu_quan, co_quan.lines, co_quan.viet_tat, co_quan.dia_danh, sig,
                    [str(x) for x in noi_nhan], luu, when or dt.date.today(), reg_path)


# ----------------------------------------------------------------- reading the source


@dataclass
class _Source:
    label: str
    template: Any  # PackageTemplate
    main: str
    main_bytes: bytes
    root: etree._Element
    body: etree._Element
    tops: list[etree._Element]  # the body's children, the final sectPr left out
    final_sect: etree._Element | None
    para_top: list[int]  # the checker's paragraph i → index in tops
    lay: Any  # drafter.check.locate.Layout
    texts: list[str]  # each top element's text


def _read_source(path: Path) -> _Source:
    from drafter.check.locate import locate
    from drafter.check.reader import TooLarge
    from drafter.fix.view import read_view
    from drafter.package import PackageError, PackageTemplate, open_package

    label = display_path(path)
    if path.exists() and not path.is_file():
        raise _fail("Đây là một thư mục, không phải tệp Word (.docx).", path)
    if not path.exists():
        raise _fail("Không tìm thấy văn bản cần sao.", path)
    try:
        with open_package(path, name=label) as pkg:
            view = read_view(pkg, label)
            lay = locate(view.doc)
            template = PackageTemplate.from_package(pkg)
            main_bytes = pkg.read(view.main)
    except PackageError as exc:
        raise DrafterError(Problem(exc.message, Position(label), key=exc.reason_code)) from None
    except TooLarge as exc:
        raise DrafterError(Problem(exc.message, Position(label), key="too-large")) from None
    except RecursionError:
        raise _fail("Tệp có cấu trúc lồng nhau quá sâu (bảng trong bảng…) nên drafter không đọc được. "
                    "Hãy mở bằng Word rồi «Lưu thành» (Save As) một tệp .docx mới.", path) from None
    root = view.root
    body = root.find(qn("w:body"))
    if body is None:
        raise _fail("Văn bản không có phần nội dung (w:body).", path)
    children = [c for c in body if isinstance(c.tag, str)]
    final = children[-1] if children and children[-1].tag == qn("w:sectPr") else None
    tops = children[:-1] if final is not None else children
    where = {id(el): i for i, el in enumerate(tops)}
    para_top = []
    for p in view.paragraphs:
        node, top = p, None
        while node is not None:
            if id(node) in where:
                top = where[id(node)]
                break
            node = node.getparent()
        para_top.append(top if top is not None else -1)
    texts = ["".join(t for t in el.itertext()) for el in tops]
    return _Source(label, template, view.main, main_bytes, root, body, tops, final, para_top, lay, texts)


# ----------------------------------------------------------------- what a trích sao keeps

_ARTICLE = re.compile(r"^\s*Điều\s+(\d{1,4})\s*\.")


def _top_of(src: _Source, seg) -> int:
    return src.para_top[seg.para.index] if seg is not None else -1


def _select(src: _Source, excerpt: rules.Excerpt | None) -> tuple[list[int], int]:
    """The indices (in ``src.tops``) of what the copy keeps, and the number of
    paragraphs of the excerpt. Whole copy: everything."""
    if excerpt is None:
        return list(range(len(src.tops))), 0
    lay = src.lay
    block = lay.blocks[0] if lay.blocks else None
    body = block.body if block is not None else []
    sigs = (block.signatures if block is not None else []) or lay.signatures
    if not body:
        raise _fail("Không tìm thấy phần nội dung của văn bản để trích sao.", src.label, key="--trich",
                    hint="Dùng --hinh-thuc sao-y để sao cả văn bản.")
    body_start = _top_of(src, body[0])
    # The head kept with any excerpt: header, tên loại, trích yếu, authority line, căn cứ,
    # "QUYẾT ĐỊNH:", Kính gửi (the locator may count some of them as body).
    marks = [lay.so, lay.date, lay.ten_loai, lay.trich_yeu, lay.authority_line, lay.decision_word,
             lay.kinh_gui, *lay.can_cu, *lay.vv, *(s for it in lay.kinh_gui_items for s in it.segs)]
    body_start = max([body_start, *(_top_of(src, s) + 1 for s in marks if s is not None)])
    tail: list[int] = []
    for sb in sigs[:1]:
        tail += [_top_of(src, s) for s in [*sb.authority, sb.signer] if s is not None]
    if lay.noi_nhan is not None:
        tail.append(_top_of(src, lay.noi_nhan))
    tail = sorted({t for t in tail if t >= body_start})
    body_end = tail[0] if tail else max(_top_of(src, s) for s in body) + 1
    head = list(range(body_start))
    chosen: list[int] = []
    wanted = excerpt.numbers()
    if excerpt.kind == "dieu":
        starts: dict[int, int] = {}
        for i in range(body_start, body_end):
            m = _ARTICLE.match(src.texts[i]) if src.tops[i].tag == qn("w:p") else None
            if m and int(m.group(1)) not in starts:
                starts[int(m.group(1))] = i
        if not starts:
            raise _fail("Văn bản không có điều nào («Điều 1.», «Điều 2.»…) để trích; hãy trích theo đoạn, "
                        "ví dụ --trich \"đoạn 14-20\" (số đoạn như drafter check đếm).", src.label, key="--trich")
        missing = [n for n in wanted if n not in starts]
        if missing:
            have = sorted(starts)
            raise _fail(f"Văn bản không có Điều {', '.join(map(str, missing))}; văn bản có Điều "
                        f"{have[0]}–{have[-1]}.", src.label, key="--trich")
        order = sorted(starts.items(), key=lambda kv: kv[1])
        for k, (n, i) in enumerate(order):
            if n in wanted:
                end = order[k + 1][1] if k + 1 < len(order) else body_end
                chosen += range(i, end)
    else:
        count = len(src.para_top)
        over = [n for n in wanted if n > count]
        if over:
            raise _fail(f"Văn bản chỉ có {count} đoạn (đếm như drafter check), không có đoạn {over[0]}.",
                        src.label, key="--trich")
        for n in wanted:
            t = src.para_top[n - 1]
            if t >= 0 and t not in chosen:
                chosen.append(t)
    keep = sorted(set(head) | set(chosen) | set(tail))
    return keep, len(chosen)


# ----------------------------------------------------------------- the copy block's XML

_FONT = G.FONT


def _el(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(qn(tag))
    for k, v in attrs.items():
        el.set(qn("w:" + k), str(v))
    return el


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = _el(tag, **attrs)
    parent.append(el)
    return el


def _run(text: str, size: float, *, bold: bool = False, italic: bool = False) -> etree._Element:
    r = _el("w:r")
    rpr = _sub(r, "w:rPr")
    _sub(rpr, "w:rFonts", ascii=_FONT, hAnsi=_FONT, cs=_FONT, eastAsia=_FONT)
    for on, tags in ((bold, ("w:b", "w:bCs")), (italic, ("w:i", "w:iCs"))):
        for t in tags:
            _sub(rpr, t, val="1" if on else "0")
    _sub(rpr, "w:color", val="000000")
    _sub(rpr, "w:sz", val=str(half_points(size)))
    _sub(rpr, "w:szCs", val=str(half_points(size)))
    t = _sub(r, "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    return r


def _para(runs: list[etree._Element], *, align: str = "center", before: float = 0, after: float = 0,
          keep_next: bool = False, size: float = 12, border: bool = False) -> etree._Element:
    p = _el("w:p")
    ppr = _sub(p, "w:pPr")
    if keep_next:
        _sub(ppr, "w:keepNext")
    if border:
        bdr = _sub(ppr, "w:pBdr")
        _sub(bdr, "w:bottom", val="single", sz="6", space="1", color="000000")
    _sub(ppr, "w:spacing", before=str(twips_from_pt(before)), after=str(twips_from_pt(after)),
         line="240", lineRule="auto")
    _sub(ppr, "w:ind", left="0", right="0", firstLine="0")
    _sub(ppr, "w:jc", val=align)
    rpr = _sub(ppr, "w:rPr")
    _sub(rpr, "w:rFonts", ascii=_FONT, hAnsi=_FONT, cs=_FONT, eastAsia=_FONT)
    _sub(rpr, "w:sz", val=str(half_points(size)))
    _sub(rpr, "w:szCs", val=str(half_points(size)))
    for r in runs:
        p.append(r)
    return p


def _table(widths: list[int], rows: list[list[list[etree._Element]]]) -> etree._Element:
    tbl = _el("w:tbl")
    tpr = _sub(tbl, "w:tblPr")
    _sub(tpr, "w:tblW", w=str(sum(widths)), type="dxa")
    _sub(tpr, "w:jc", val="center")
    borders = _sub(tpr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _sub(borders, "w:" + side, val="nil")
    _sub(tpr, "w:tblLayout", type="fixed")
    grid = _sub(tbl, "w:tblGrid")
    for w in widths:
        _sub(grid, "w:gridCol", w=str(w))
    for cells in rows:
        tr = _sub(tbl, "w:tr")
        trpr = _sub(tr, "w:trPr")
        _sub(trpr, "w:cantSplit")
        for w, paras in zip(widths, cells):
            tc = _sub(tr, "w:tc")
            tcpr = _sub(tc, "w:tcPr")
            _sub(tcpr, "w:tcW", w=str(w), type="dxa")
            _sub(tcpr, "w:vAlign", val="top")
            for p in paras or [_para([], size=G.EMPTY.pt)]:
                tc.append(p)
    return tbl


def block_elements(info: CopyInfo, form: rules.Form, so: int | None, text_width: int) -> list[etree._Element]:
    """The full-width line, the copy block's header (agency · form / số · date) and
    its signature row (Nơi nhận · signer), as w:p and w:tbl elements."""
    line = _para([], size=G.RULE.pt, before=12, after=0, keep_next=True, border=True)
    right = round(text_width * G.HEADER_RIGHT_SHARE)
    left = text_width - right
    agency = []
    if info.chu_quan:
        agency.append(_para([_run(info.chu_quan.upper(), G.CHU_QUAN.pt)], before=6, keep_next=True))
    for i, ln in enumerate(info.ten):
        agency.append(_para([_run(ln.upper(), G.ISSUER.pt, bold=True)],
                            before=6 if i == 0 and not info.chu_quan else 0, keep_next=True))
    form_p = [_para([_run(form.caps, G.TEN_LOAI.pt, bold=True)], before=6, keep_next=True)]
    so_p = [_para([_run(rules.format_so(so, form.slug, info.viet_tat), G.SO_KY_HIEU.pt)],
                  before=G.SO_KY_HIEU.before, keep_next=True)]
    date_p = [_para([_run(date_line.format(info.dia_danh, info.ngay), G.DATE_LINE.pt, italic=True)],
                    before=G.DATE_LINE.before, keep_next=True)]
    head = _table([left, right], [[agency, form_p], [so_p, date_p]])
    s_left = round(text_width * G.SIGN_LEFT_SHARE)
    s_right = text_width - s_left
    nn = [_para([_run("Nơi nhận:", G.NOI_NHAN.pt, bold=True, italic=True)], align="left",
                before=G.NOI_NHAN.before, size=G.NOI_NHAN.pt)]
    for ln in recipients.noi_nhan_lines(info.noi_nhan, info.luu or ["VT"]):
        nn.append(_para([_run(ln, G.NOI_NHAN_ITEMS.pt)], align="left", size=G.NOI_NHAN_ITEMS.pt))
    auth = []
    for i, ln in enumerate(info.ky.authority):
        auth.append(_para([_run(ln, G.AUTHORITY.pt, bold=True)], before=G.AUTHORITY_FIRST_BEFORE_PT if i == 0 else 0,
                          keep_next=True, size=G.AUTHORITY.pt))
    auth.append(_para([_run(info.ky.name, G.SIGNER.pt, bold=True)], before=G.SIGNER.before, size=G.SIGNER.pt))
    sign = _table([s_left, s_right], [[nn, auth]])
    return [line, head, sign]


# ----------------------------------------------------------------- sections


def _sect_size(sect: etree._Element | None) -> tuple[int, int, int, int]:
    """(page width, page height, left margin, right margin) in twips; A4 and drafter's
    margins for what the section does not say."""
    w, h, left, right = round(L.PAGE_W), round(L.PAGE_H), round(L.MARGIN_LEFT), round(L.MARGIN_RIGHT)
    if sect is not None:
        sz = sect.find(qn("w:pgSz"))
        mar = sect.find(qn("w:pgMar"))

        def num(el, attr, default):
            try:
                return int(float(el.get(qn("w:" + attr)))) if el is not None and el.get(qn("w:" + attr)) else default
            except ValueError:
                return default
        w, h = num(sz, "w", w), num(sz, "h", h)
        left, right = num(mar, "left", left), num(mar, "right", right)
    return w, h, left, right


def _portrait(sect: etree._Element | None) -> etree._Element:
    """A portrait A4 section like ``sect`` (its headers kept), drafter's margins."""
    new = _copy.deepcopy(sect) if sect is not None else _el("w:sectPr")
    for child in list(new):
        if child.tag in (qn("w:pgSz"), qn("w:pgMar"), qn("w:pgNumType"), qn("w:type")):
            new.remove(child)
    at = sum(1 for c in new if c.tag in (qn("w:headerReference"), qn("w:footerReference")))
    sz = _el("w:pgSz", w=str(round(L.PAGE_W)), h=str(round(L.PAGE_H)))
    mar = _el("w:pgMar", top=str(round(L.MARGIN_TOP)), right=str(round(L.MARGIN_RIGHT)),
              bottom=str(round(L.MARGIN_BOTTOM)), left=str(round(L.MARGIN_LEFT)),
              header=str(round(L.HEADER_DISTANCE)), footer=str(round(L.FOOTER_DISTANCE)), gutter="0")
    new.insert(at, sz)
    new.insert(at + 1, mar)
    return new


def _closing_sect(src: _Source, last_kept: int) -> etree._Element | None:
    """The sectPr of the section that holds the last element kept."""
    for el in src.tops[last_kept:]:
        s = el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if el.tag == qn("w:p") else None
        if s is not None:
            return s
    return src.final_sect


def build(src: _Source, keep: list[int], info: CopyInfo, form: rules.Form, so: int | None) -> bytes:
    """The copy's package bytes."""
    from drafter.render.regenerate import serialise

    body = src.body
    kept = [src.tops[i] for i in keep]
    closing = _closing_sect(src, keep[-1]) if keep else src.final_sect
    for child in list(body):
        body.remove(child)
    try:
        for el in kept:
            body.append(_copy.deepcopy(el))
        last = body[-1] if len(body) else None
        if last is not None and last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            # the copied text ends with a section break: its sectPr closes it (deep-copied above)
            last.find(qn("w:pPr")).remove(last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}"))
        w, h, left, right = _sect_size(closing)
        final = _copy.deepcopy(closing) if closing is not None else _portrait(None)
        if w > h:  # a landscape appendix closes the text: the block gets a portrait page of its own
            brk = _para([], size=G.EMPTY.pt)
            brk.find(qn("w:pPr")).append(_copy.deepcopy(final))
            body.append(brk)
            final = _portrait(closing)
            w, h, left, right = _sect_size(final)
        for el in block_elements(info, form, so, w - left - right):
            body.append(el)
        body.append(final)
        data = serialise(src.root, src.main_bytes)
    finally:
        for child in list(body):
            body.remove(child)
        for el in src.tops:
            body.append(el)
        if src.final_sect is not None:
            body.append(src.final_sect)
    return src.template.build({src.main: data})


# ----------------------------------------------------------------- the register's row


def _original(src: _Source) -> str:
    """'Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của Ủy ban nhân dân tỉnh Hưng Yên: Phê duyệt …'."""
    lay = src.lay
    parts = []
    if lay.doc_type is not None:
        parts.append(lay.doc_type.name)
    elif lay.vv:
        parts.append("Công văn")
    if lay.so is not None:
        so = re.sub(r"^\s*Số\s*:?\s*", "", lay.so.text).strip()
        parts.append(f"số {so}")
    if lay.date_value is not None:
        parts.append(f"ngày {lay.date_value:%d/%m/%Y}")
    if lay.issuer:
        name = " ".join(s.text for s in lay.issuer if s.bold) or " ".join(s.text for s in lay.issuer)
        parts.append(f"của {name.strip()}")
    text = " ".join(parts) or display_path(src.label)
    what = " ".join(lay.trich_yeu.para.text.split()) if lay.trich_yeu is not None else " ".join(s.text for s in lay.vv)
    return f"{text}: {what.strip()}" if what.strip() else text


def fields_of(src: _Source, info: CopyInfo, form: rules.Form, excerpt: rules.Excerpt | None, *,
              so_ban: int | None, ghi_chu: str) -> RegisterFields:
    trich = _original(src)
    if excerpt is not None:
        trich = f"{trich} (trích {excerpt.describe()})"
    luu = recipients.luu_line(info.luu or ["VT"]).removeprefix("Lưu:").strip().rstrip(".")
    return RegisterFields(
        ky_hieu=rules.symbol(form.slug, info.viet_tat), ngay=info.ngay, ten_loai=form.name, trich_yeu=trich,
        nguoi_ky=info.ky.name, noi_nhan=[recipients.bare(x) for x in info.noi_nhan if recipients.bare(x)],
        ban_luu=[p.strip() for p in luu.split(",") if p.strip()], so_luong_ban=so_ban, ghi_chu=ghi_chu,
        loai=form.slug)


# ----------------------------------------------------------------- the command's function


def default_output(source: Path, form_slug: str) -> Path:
    """``QD-3355.docx`` → ``QD-3355-sao-y.docx`` beside it."""
    return source.with_name(f"{source.stem}-{form_slug}.docx")


def make_copy(source: str | os.PathLike[str], output: str | os.PathLike[str] | None, *, form: str,
              info: CopyInfo, excerpt: str | None = None, register: str | os.PathLike[str] | None = None,
              force: bool = False, so_ban: int | None = None, ghi_chu: str = "") -> CopyResult:
    """Write the copy of ``source`` and record it in the register's copy series.
    DrafterError (Vietnamese, with file and key) for bad input; nothing is written or
    numbered then."""
    from drafter.output_problems import check_outputs, write_problem
    from drafter.package.atomic import atomic_write_bytes, ensure_folder, verify_docx

    from .register import Register

    try:
        f = rules.form(form)
    except KeyError:
        raise _fail(f"Hình thức sao '{form}' không có; chọn sao-y, sao-luc hoặc trich-sao.", key="--hinh-thuc") from None
    if f.slug == "trich-sao" and not excerpt:
        raise _fail("Trích sao cần phần trích: thêm --trich \"Điều 1-2\" (các điều) hoặc "
                    "--trich \"đoạn 14-20\" (các đoạn, đếm như drafter check).", key="--trich")
    if f.slug != "trich-sao" and excerpt:
        raise _fail(f"--trich chỉ dùng cho trích sao; {f.caps.lower()} sao toàn bộ văn bản.", key="--trich",
                    hint="Dùng --hinh-thuc trich-sao.")
    parsed = None
    if excerpt:
        try:
            parsed = rules.parse_excerpt(excerpt)
        except rules.ExcerptError as exc:
            raise _fail(str(exc), key="--trich") from None
    src_path = Path(source)
    out = Path(output) if output is not None else default_output(src_path, f.slug)
    if out.suffix.lower() != ".docx":
        raise _fail("Bản sao ghi ra tệp .docx.", out, key="-o")
    if out.exists() and src_path.exists() and out.resolve() == src_path.resolve():
        raise _fail("Bản sao không được ghi đè lên văn bản được sao.", out, key="-o",
                    hint="Chọn tên khác bằng -o BAN_SAO.docx.")
    src = _read_source(src_path)
    keep, n_excerpt = _select(src, parsed)
    build(src, keep, info, f, None)  # everything that can fail, before a number is taken
    check_outputs([out], force=force)
    ensure_folder(out.parent if str(out.parent) else ".")
    made: dict[str, str] = {}

    def write(entry: Entry) -> None:
        data = build(src, keep, info, f, entry.so)
        try:
            atomic_write_bytes(out, data, force=force, verify=verify_docx)
        except OSError as exc:
            raise DrafterError(write_problem(exc, out)) from None
        made["so"] = rules.format_so(entry.so, f.slug, info.viet_tat)

    reg_path = register if register is not None else info.register
    with Register.open(Path(reg_path) if reg_path else None) as reg:
        entry = reg.issue(series=rules.SERIES, year=info.ngay.year,
                          fields=fields_of(src, info, f, parsed, so_ban=so_ban, ghi_chu=ghi_chu),
                          file=str(out.resolve()), before_commit=write)
    return CopyResult(src.label, display_path(out), f.slug, made["so"], entry,
                      excerpt=parsed.describe() if parsed else None, kept_paragraphs=n_excerpt)
