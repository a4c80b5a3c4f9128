"""A Word document (as the checker reads and locates it) turned into draft data.

Pure over :func:`drafter.check.reader.read_docx` and :func:`drafter.check.locate.locate`
(plus the list labels of numbering.xml, :mod:`.numbering`): nothing is written here.
:func:`prepare` makes the view ready (Word's list labels put into the text, TCVN3 /
VNI text converted as the YAML loader converts it); :func:`extract` reads the located
elements into the keys of a draft (SCHEMA.md), in the order a draft lists them, and
says which paragraphs it could not place (kept in the body).

>>> strip_vv("V/v tăng cường hoạt động"), strip_vv("Về việc đề nghị bổ sung")
('tăng cường hoạt động', 'đề nghị bổ sung')
>>> item_text("- Bộ Công Thương (để biết);"), item_text("– UBND các huyện.")
('Bộ Công Thương (để biết)', 'UBND các huyện')
>>> split_authority(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])
{'tm': 'ỦY BAN NHÂN DÂN', 'kt': 'CHỦ TỊCH', 'chuc_vu': 'PHÓ CHỦ TỊCH'}
>>> luu_items("Lưu: VT, KT1.")
['VT', 'KT1']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.check import locate as L
from drafter.check.reader import DocView, Run
from drafter.rules import doctypes, kem_theo
from drafter.rules import marks as mark_rules
from drafter.rules import text as text_rules

from .numbering import Numbering


@dataclass
class Extracted:
    data: dict  # the draft's keys, in a draft's order
    left: list[tuple[int, str]] = field(default_factory=list)  # (paragraph number, text) kept in the body
    notes: list[str] = field(default_factory=list)  # other things said (legacy text converted…)
    legacy: str | None = None  # "TCVN3" / "VNI" when the text was converted
    body_paragraphs: set[int] = field(default_factory=set)  # paragraph indexes read as body
    block_paragraphs: set[int] = field(default_factory=set)  # paragraphs of the main document


# ------------------------------------------------------------------------ preparing the view


def prepare(view: DocView, numbering: Numbering | None) -> list[str]:
    """Put Word's list labels into the paragraphs' text and convert legacy-encoded text,
    in place, before locating. Returns notes (Vietnamese)."""
    notes: list[str] = []
    converted: dict[str, int] = {}
    # The document's encoding, from all its text: a short line ("Sè: 8287/…") says too
    # little on its own, and a VNI line in capitals may read as TCVN3. Each paragraph is
    # converted with the document's encoding, else the one it shows on its own (a legacy
    # phrase pasted into a Unicode document); convert_legacy leaves Unicode words as typed.
    doc_enc = text_rules.detect_legacy("\n".join(p.text for p in view.paragraphs if not p.text.isascii()))
    for p in view.paragraphs:
        if not p.runs:
            continue
        joined = "".join(r.text for r in p.runs)
        if joined.isascii():
            pass
        else:
            enc = doc_enc or next((w.encoding for w in text_rules.clean(joined)[1] if w.encoding), None)
            new_runs = []
            for r in _merge_runs(p.runs):
                text = r.text
                if enc is not None and not text.isascii():
                    text = text_rules.convert_legacy(text, enc)
                text = text_rules.clean(text)[0]
                new_runs.append(Run(text, r.props) if text != r.text else r)
            if enc is not None and "".join(r.text for r in new_runs) != joined:
                converted[enc] = converted.get(enc, 0) + 1
            p.runs = new_runs
        if numbering is not None and p.num is not None:
            label = numbering.label(*p.num)
            if label and p.runs:
                p.runs.insert(0, Run(label + " ", p.runs[0].props))
    for enc, n in converted.items():
        notes.append(f"{n} đoạn gõ bằng bảng mã {text_rules.ENCODING_LABELS.get(enc, enc)} cũ "
                     "đã được chuyển sang Unicode; hãy đọc lại các đoạn đó trong bản thảo.")
    for t in view.tables:
        for row in t.rows:
            for c in row:
                c.text = "\n".join(view.paragraphs[i].text for i in c.paragraphs)
    return notes


def _merge_runs(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of the same look as one (a legacy word is often cut in runs)."""
    out: list[Run] = []
    for r in runs:
        if out and out[-1].props == r.props:
            out[-1] = Run(out[-1].text + r.text, r.props)
        else:
            out.append(r)
    return out


# ------------------------------------------------------------------------ small text helpers

_VV = re.compile(r"^(V/v|V/V|Về việc)\s*:?\s*", re.IGNORECASE)
_ITEM_LEAD = re.compile(rf"^[{L.DASHES}+•]\s*")
_DIEU = re.compile(r"^Điều\s+(\d+)\s*[.:]\s*")
_LUU = re.compile(r"^Lưu\s*:?\s*", re.IGNORECASE)
_PREFIX = re.compile(r"^(T/M|K/T|T/L|T/UQ|TM|KT|TL|TUQ|Q)\s*\.?\s+")
_PREFIX_KEY = {"T/M": "tm", "TM": "tm", "K/T": "kt", "KT": "kt", "T/L": "tl", "TL": "tl",
               "T/UQ": "tuq", "TUQ": "tuq", "Q": "q"}
_END = re.compile(r"\s*(\./\.|/\.)\s*$")
# A line the renderer lays out as a heading by itself: bold is not to be marked.
_HEADING = re.compile(r"^(Chương|Phần|Mục|Điều)\s+\S+|^[IVXLC]+\.\s|^[A-Z]\.\s")
_LABEL = re.compile(r"^((?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z])\.|[a-zđ]\)|[-+•–])\s+")


def strip_vv(text: str) -> str:
    return _VV.sub("", text, count=1).strip()


def item_text(text: str) -> str:
    return _ITEM_LEAD.sub("", text).strip().rstrip(";.,").strip()


def luu_items(text: str) -> list[str]:
    rest = _LUU.sub("", item_text(text) if _ITEM_LEAD.match(text) else text.strip()).strip().rstrip(".;")
    return [x.strip() for x in rest.split(",") if x.strip()]


def split_authority(lines: list[str]) -> dict:
    ky: dict = {}
    titles: list[str] = []
    for line in lines:
        m = _PREFIX.match(line)
        if m and not titles:
            key = _PREFIX_KEY[m.group(1)]
            if key not in ky:
                ky[key] = line[m.end():].strip()
                continue
        titles.append(line.strip())
    if titles:
        ky["chuc_vu"] = titles[0] if len(titles) == 1 else titles
    order = ("tm", "tl", "tuq", "kt", "q", "chuc_vu")
    return {k: ky[k] for k in order if k in ky}


def _marked(seg: L.Segment) -> str:
    """The segment's text with **bold** / *italic* kept as the draft writes them."""
    chunks = [(t, pr) for t, pr in seg.chunks]
    plain = L.norm(seg.raw)
    if not any(pr.bold or pr.italic for t, pr in chunks if t.strip()):
        return plain
    all_bold = all(pr.bold for t, pr in chunks if t.strip())
    all_italic = all(pr.italic for t, pr in chunks if t.strip())
    if (all_bold or all_italic) and (_HEADING.match(plain) or L.is_caps(plain)):
        return plain  # the renderer makes headings bold itself
    # Group the text into spans of the same (bold, italic); spaces join the neighbours.
    spans: list[list] = []
    for t, pr in chunks:
        key = (bool(pr.bold), bool(pr.italic))
        if spans and (spans[-1][0] == key or not t.strip()):
            spans[-1][1] += t
        else:
            spans.append([key, t])
    out = []
    for (bold, italic), t in spans:
        lead = t[: len(t) - len(t.lstrip())]
        trail = t[len(t.rstrip()):]
        core = t.strip()
        if not core:
            out.append(t)
            continue
        if core.count("*"):
            bold = italic = False  # an asterisk typed in the text: leave the span plain
        mark = "***" if bold and italic else "**" if bold else "*" if italic else ""
        if mark and not out:
            # a label typed before a bold lead stays outside the marks ("1. **Tên**")
            m = _LABEL.match(core)
            if m and m.end() < len(core):
                out.append(lead + m.group(0))
                lead, core = "", core[m.end():]
        out.append(f"{lead}{mark}{core}{mark}{trail}")
    return " ".join("".join(out).split())


def _lines(segs: list[L.Segment]) -> list[tuple[int, str]]:
    """One (paragraph index, text) per line: the pieces of a line (tabs) joined by a space."""
    out: list[tuple[int, str]] = []
    key = None
    for s in segs:
        k = (s.para.index, s.line)
        text = _marked(s)
        if not text:
            continue
        if k == key and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + text)
        else:
            out.append((s.para.index, text))
        key = k
    return out


def _drop_end(lines: list[str]) -> list[str]:
    if lines:
        lines[-1] = _END.sub("", lines[-1]).rstrip()
        if not lines[-1]:
            lines.pop()
    return lines


def _block(text_lines: list[str]) -> str:
    return "\n".join(text_lines) + ("\n" if text_lines else "")


# ------------------------------------------------------------------------ the draft


def extract(view: DocView, lay: L.Layout, *, consumed: set[int] | None = None) -> Extracted:
    consumed = consumed or set()
    data: dict = {}
    res = Extracted(data)
    main = lay.blocks[0] if lay.blocks else L.Block(0, len(lay.segments) - 1)
    res.block_paragraphs = {s.para.index for s in lay.segments[main.start: main.end + 1]}

    # type
    t = lay.doc_type
    if t is None and lay.symbol:
        t = doctypes.by_abbr(lay.symbol.split("-")[0].strip())
    if t is None:
        t = doctypes.get("cong-van")
    data["loai"] = t.slug

    # agency
    co_quan: dict = {}
    issuer = [s for s in lay.issuer if s.text]
    names = [s for s in issuer if s.bold]
    parents = [s for s in issuer if not s.bold and (not names or s.order < names[0].order)]
    if not names:
        names, parents = issuer[len(issuer) // 2:] if len(issuer) > 2 else issuer, (
            issuer[: len(issuer) // 2] if len(issuer) > 2 else [])
    if parents:
        co_quan["chu_quan"] = " ".join(s.text for s in parents)
    if names:
        ten = [s.text for s in names]
        co_quan["ten"] = ten if len(ten) > 1 else ten[0]
    sym = lay.symbol or ""
    if not sym and lay.so is not None:
        # "Số: 953UBND-CNXD": the slash forgotten, the ký hiệu still after the number
        m = re.match(r"^S[ốỐ]\s*:?\s*\d*\s*([A-ZĐ][\wĐđ-]*)", lay.so.text)
        sym = m.group(1) if m else ""
    groups = [g.strip() for g in sym.split("-") if g.strip()]
    unit = None
    if groups:
        if groups[0] in doctypes.SYMBOL_ABBREVIATIONS and (t.abbr or len(groups) > 1):
            if t.abbr and groups[0] != t.abbr:
                res.notes.append(f"Số ký hiệu «{lay.so.text}» có chữ viết tắt «{groups[0]}» không phải của "
                                 f"{t.name.lower()} («{t.abbr}»): bản thảo dùng «{t.abbr}».")
            groups = groups[1:]
        if groups:
            co_quan["viet_tat"] = groups[0]
            if len(groups) > 1:
                unit = "-".join(groups[1:])
    if lay.date is not None:
        place = lay.date.text.split(",", 1)[0].strip()
        if place:
            co_quan["dia_danh"] = place
    data["co_quan"] = co_quan
    if lay.kind != "administrative":
        res.notes.append(_KIND_NOTES.get(lay.kind, ""))

    # số, date
    if lay.so is not None:
        m = re.match(r"^S[ốỐ]\s*:?\s*(\d+)", lay.so.text)
        if m:
            data["so"] = int(m.group(1))
    if unit:
        data["don_vi_soan"] = unit
        if t.abbr and "so" in data:
            # drafter writes a named type's ký hiệu as type-issuer: the unit after them
            # (15/KH-SCT-QLCN) is kept by typing the whole số ký hiệu
            data["so_ky_hieu"] = f"{data['so']:02d}/{t.abbr}-{co_quan['viet_tat']}-{unit}"
    if lay.date_value is not None:
        data["ngay"] = lay.date_value
    elif lay.date_year:
        data["nam"] = lay.date_year

    # marks (under the số / V/v)
    header_segs = lay.segments[main.start: main.header_end + 1]
    for s in lay.segments[main.start: main.header_end + 4]:
        c = mark_rules.classify(s.text)
        if c and c[0] == "urgency" and "do_khan" not in data:
            data["do_khan"] = c[1].capitalize() if c[1] != "HỎA TỐC" else "Hỏa tốc"
            if c[1] == "THƯỢNG KHẨN":
                data["do_khan"] = "Thượng khẩn"
        elif c and c[0] == "secrecy" and "do_mat" not in data:
            data["do_mat"] = {"MẬT": "Mật", "TỐI MẬT": "Tối mật", "TUYỆT MẬT": "Tuyệt mật"}[c[1]]

    # ô 11, the circulation note (LƯU HÀNH NỘI BỘ, XEM XONG TRẢ LẠI…), wherever it stands
    placed: set[int] = set()  # segment orders read into a key
    for s in lay.segments[main.start: main.end + 1]:
        c = mark_rules.classify(s.text)
        if c and c[0] == "circulation":
            data.setdefault("luu_hanh", c[1])
            placed.add(s.order)

    # a Mẫu 1.3 document in a file of its own: its "(Ban hành kèm theo …)" line
    if lay.attached and lay.kem_theo:
        ref = lay.kem_theo[0]
        data["ban_hanh_kem_theo"] = kem_theo.bare(ref.text)
        placed.add(ref.order)
        _parent_agency(co_quan, data["ban_hanh_kem_theo"], res)

    # trích yếu
    if lay.ten_loai is not None:
        placed.add(lay.ten_loai.order)
        ty = [s for s in lay.segments[lay.ten_loai.order + 1: main.header_end + 1] if s.order not in placed]
        if ty:
            data["trich_yeu"] = " ".join(s.text for s in ty)
            placed.update(s.order for s in ty)
    elif lay.vv:
        data["trich_yeu"] = strip_vv(" ".join(s.text for s in lay.vv))
        placed.update(s.order for s in lay.vv)

    # Kính gửi
    if lay.kinh_gui is not None:
        placed.add(lay.kinh_gui.order)
        rest = lay.kinh_gui.text.split(":", 1)[1].strip() if ":" in lay.kinh_gui.text else ""
        if rest:
            data["kinh_gui"] = item_text(rest)
        elif lay.kinh_gui_items:
            items = [item_text(i.text) for i in lay.kinh_gui_items]
            data["kinh_gui"] = items if len(items) > 1 else items[0]
            placed.update(s.order for i in lay.kinh_gui_items for s in i.segs)

    # quyết định: căn cứ, đề nghị, articles
    body = [s for s in main.body if s.para.index not in consumed]
    if lay.decision_word is not None and t.layout == "quyet-dinh":
        pre = [s for s in body if s.order < lay.decision_word.order and s.order not in placed]
        post = [s for s in body if s.order > lay.decision_word.order and s.order not in placed]
        can_cu, xet = [], None
        for s in pre:
            if s is lay.authority_line:
                tq = s.text
                derived = " ".join([co_quan.get("ten")] if isinstance(co_quan.get("ten"), str)
                                   else co_quan.get("ten", []))
                if tq != derived:
                    data["tham_quyen"] = tq
                placed.add(s.order)
            elif s.text.startswith("Căn cứ"):
                can_cu.append(s.text.rstrip(";.").strip())
                placed.add(s.order)
            elif L._CAN_CU.match(s.text) and xet is None:
                xet = s.text.rstrip(";.").strip()
                placed.add(s.order)
        if can_cu:
            data["can_cu"] = can_cu
        if xet:
            data["xet_de_nghi"] = xet
        placed.add(lay.decision_word.order)
        articles: list[list[str]] = []
        before: list[tuple[int, str]] = []
        for pi, text in _lines(post):
            plain = text.replace("*", "")
            m = _DIEU.match(plain)
            if m:
                rest = _DIEU.sub("", text.replace("**Điều", "Điều", 1), count=1)
                rest = rest[2:].lstrip() if rest.startswith("**") else rest
                articles.append([rest.strip()])
            elif articles:
                articles[-1].append(text)
            else:
                before.append((pi, text))
        placed.update(s.order for s in post)
        for a in articles:
            while a and not a[0]:
                a.pop(0)
        if articles:
            _drop_end(articles[-1])
            data["dieu"] = ["\n".join(a) + ("\n" if len(a) > 1 else "") if len(a) > 1 else a[0]
                            for a in articles]
        for pi, text in before:
            res.left.append((pi + 1, text))
        if before:
            data["noi_dung"] = _block([tx for _, tx in before])
        res.body_paragraphs = {s.para.index for s in post}
    else:
        lines = _lines([s for s in body if s.order not in placed])
        texts = _drop_end([tx for _, tx in lines])
        if texts:
            data["noi_dung"] = _block(texts)
        placed.update(s.order for s in body)
        res.body_paragraphs = {s.para.index for s in body}

    # Nơi nhận, Lưu
    if lay.noi_nhan is not None:
        placed.add(lay.noi_nhan.order)
        items, luu = [], None
        for it in lay.noi_nhan_items:
            placed.update(s.order for s in it.segs)
            text = item_text(it.text)
            if _LUU.match(text):
                luu = luu_items(text)
            elif text:
                items.append(text)
        if items:
            data["noi_nhan"] = items
        if luu:
            data["luu"] = luu

    # signature
    sigs = main.signatures or lay.signatures[:1]
    if sigs:
        sig = sigs[0]
        ky = split_authority([s.text for s in sig.authority])
        if sig.signer is not None:
            ky["ho_ten"] = sig.signer.text
            placed.add(sig.signer.order)
        placed.update(s.order for s in sig.authority)
        data["ky"] = ky

    # documents issued with it (Mẫu 1.3)
    kem: list[dict] = []
    for b in lay.blocks[1:]:
        entry = _attached(lay, b, consumed, data.get("ky"))
        if entry is not None:
            kem.append(entry)
    if kem:
        data["van_ban_kem_theo"] = kem

    # What is left of the main document: not placed, not the header, not marks.
    header_orders = {s.order for s in header_segs}
    for s in lay.segments[main.start: main.end + 1]:
        if s.order in placed or s.order in header_orders or s.para.index in consumed:
            continue
        if L.classify_quoc_hieu(s.text) or L.is_tieu_ngu(s.text) or L.is_mark(s.text):
            if mark_rules.classify(s.text) and mark_rules.classify(s.text)[0] == "circulation":
                res.left.append((s.para.index + 1, s.text))
            continue
        if any(s.order == k.order for k in lay.kem_theo):
            continue
        res.left.append((s.para.index + 1, s.text))
    for key, what in (("ten", "tên cơ quan"), ("viet_tat", "chữ viết tắt của cơ quan"), ("dia_danh", "địa danh")):
        if key not in co_quan:
            res.notes.append(f"Không tìm thấy {what} trong văn bản: hãy gõ khóa co_quan.{key} vào bản thảo.")
    extra = [tx for pi, tx in res.left if pi - 1 not in res.body_paragraphs]
    if extra:
        nd = data.get("noi_dung", "")
        data["noi_dung"] = nd + _block(extra)
    return res


_KIND_NOTES = {
    "copy": "Tệp là một bản sao (SAO Y, TRÍCH SAO…): chỉ nhập văn bản được sao; phần sao không được nhập.",
    "appendix": "Tệp chỉ có phụ lục, không có phần đầu của văn bản: hãy nhập văn bản có phụ lục này.",
    "party": "Văn bản của Đảng (Hướng dẫn 36-HD/VPTW): drafter chưa soạn loại văn bản này; "
             "bản thảo là văn bản hành chính gần nhất, cần sửa lại.",
}


_PLACE = re.compile(r"^(?:TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ)\s+(.+)$")


def _parent_agency(co_quan: dict, reference: str, res: Extracted) -> None:
    """A Mẫu 1.3 document has no số or date line: the agency's abbreviation is taken
    from the quyết định it is issued with ("… số 3355/QĐ-UBND …": UBND), the place
    from the agency's name ("TỈNH HƯNG YÊN": Hưng Yên). Neither is printed on it.

    >>> c = {"ten": ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"]}
    >>> _parent_agency(c, "Quyết định số 3355/QĐ-UBND ngày 27/12/2017 của UBND tỉnh", Extracted({}))
    >>> c["viet_tat"], c["dia_danh"]
    ('UBND', 'Hưng Yên')
    """
    m = re.search(r"số\s+\d+(?:/\d{4})?/([A-ZĐa-zđ]+)-([A-ZĐ][\wĐđ]*)", reference)
    if m and "viet_tat" not in co_quan:
        co_quan["viet_tat"] = m.group(2)
    ten = co_quan.get("ten")
    lines = [ten] if isinstance(ten, str) else list(ten or [])
    place = next((pm.group(1) for ln in reversed(lines) if (pm := _PLACE.match(ln.strip()))), None)
    if place and "dia_danh" not in co_quan:
        co_quan["dia_danh"] = " ".join(w.capitalize() for w in place.split())
        res.notes.append(f"Văn bản ban hành kèm theo {reference}: không có số, ngày riêng (Mẫu 1.3). "
                         f"Chữ viết tắt «{co_quan.get('viet_tat', '')}» lấy từ số ký hiệu của văn bản đó, "
                         f"địa danh «{co_quan['dia_danh']}» từ tên cơ quan (không in trên văn bản).")


def _attached(lay: L.Layout, b: L.Block, consumed: set[int], parent_ky: dict | None) -> dict | None:
    name = next(((s, t) for s, t in lay.ten_loai_all if b.start <= s.order <= b.header_end + 1), None)
    if name is None:
        return None
    s0, t = name
    entry: dict = {"loai": t.slug}
    ty = [s for s in lay.segments[s0.order + 1: b.header_end + 1] if not L._KEM_THEO.match(s.text)]
    if ty:
        entry["trich_yeu"] = " ".join(s.text for s in ty)
    body = [s for s in b.body if s.para.index not in consumed]
    texts = _drop_end([tx for _, tx in _lines(body)])
    if texts:
        entry["noi_dung"] = _block(texts)
    if b.signatures:
        sig = b.signatures[0]
        ky = split_authority([s.text for s in sig.authority])
        if sig.signer is not None:
            ky["ho_ten"] = sig.signer.text
        if ky != parent_ky:
            entry["ky"] = ky
    return entry
