"""`drafter import`: a Word document read by the checker's reader and locator, turned into
a draft (and its appendix tables into CSV files beside it), written atomically under the
replace rule (nothing replaced without --force)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from drafter.check.locate import locate
from drafter.check.reader import TooLarge, read_docx
from drafter.errors import DrafterError, Position, Problem, display_path
from drafter.output_problems import check_outputs
from drafter.package.atomic import atomic_write_bytes
from drafter.package.errors import PackageError
from drafter.rules import doctypes, kem_theo

from . import extract as X
from . import write as Wr
from .numbering import read_numbering

OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class ImportReport:
    source: str
    draft: Path | None
    preset: Path | None
    loai: str
    fields: list[str]
    left: list[tuple[int, str]]
    table_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    csv_files: list[Path] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def left_messages(self) -> list[str]:
        return [f"đoạn {n} «{_short(t)}»: chưa xếp được, để trong noi_dung" for n, t in self.left]

    def as_json(self) -> dict:
        return {
            "nguon": self.source,
            "ban_thao": str(self.draft) if self.draft else None,
            "mau_dung_chung": str(self.preset) if self.preset else None,
            "loai": self.loai,
            "cac_khoa": self.fields,
            "doan_de_trong_noi_dung": [{"doan": n, "chu": t} for n, t in self.left],
            "bang": [str(p) for p in self.csv_files],
            "loi_bang": self.table_problems,
            "ghi_chu": self.notes,
        }


def _short(text: str, n: int = 60) -> str:
    text = text.replace("*", "")
    return text if len(text) <= n else text[: n - 1] + "…"


def _read(path: Path):
    label = display_path(path)
    if not path.is_file():
        raise DrafterError(Problem("Không thấy tệp Word này." if not path.exists()
                                   else "Đây là một thư mục, không phải tệp Word (.docx).", Position(label)))
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise DrafterError(Problem(
            "Đây là tệp Word cũ (.doc), drafter chỉ nhập được tệp .docx.", Position(label),
            hint=f"Chuyển sang .docx bằng LibreOffice: soffice --headless --convert-to docx {path.name} "
                 "(hoặc mở bằng Word, «Lưu thành» Word Document .docx), rồi nhập tệp .docx đó."))
    try:
        view = read_docx(path, name=label)
        numbering = read_numbering(path)
    except PackageError as exc:
        raise DrafterError(Problem(exc.message, Position(label), key=exc.reason_code)) from None
    except TooLarge as exc:
        raise DrafterError(Problem(exc.message, Position(label), key="too-large")) from None
    return view, numbering


def _tables():
    try:
        from . import tables  # written by the import-tables helper
    except ImportError:
        return None
    return tables


def _quote(data: dict, tables, result) -> None:
    def q(text: str) -> str:
        return tables.quote_figures(text, result)
    if isinstance(data.get("noi_dung"), str):
        data["noi_dung"] = q(data["noi_dung"])
    if isinstance(data.get("dieu"), list):
        data["dieu"] = [q(d) for d in data["dieu"]]
    for v in data.get("van_ban_kem_theo") or []:
        if isinstance(v.get("noi_dung"), str):
            v["noi_dung"] = q(v["noi_dung"])


def _refuse_kind(lay, label: str) -> None:
    """A Party document or an appendix alone gives no draft drafter can render: said
    with the reason and what to do instead, nothing written (docs/huong-dan-van-thu.md §11)."""
    if lay.kind == "party":
        raise DrafterError(Problem(
            "Đây là văn bản của Đảng (tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM», số dạng «Số 05-CT/TU»): thể thức theo "
            "Hướng dẫn 36-HD/VPTW, khác thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP) mà drafter soạn. "
            "Bản thảo nhập từ tệp này sẽ được in theo thể thức hành chính, tức là sai thể thức của văn bản Đảng, "
            "nên drafter không nhập.", Position(label), key="van-ban-dang",
            hint="Soạn văn bản của Đảng theo mẫu của cơ quan đảng; 'drafter check' vẫn kiểm tra được "
                 "phông, cỡ chữ, lề của tệp này."))
    if lay.kind == "appendix" and not lay.kem_theo:
        raise DrafterError(Problem(
            "Tệp này chỉ có phụ lục (dòng «Phụ lục», tên, dòng «(Kèm theo …)» và bảng), không có phần đầu, "
            "nội dung và chữ ký của văn bản: bản thảo của drafter là cả văn bản cùng các phụ lục của nó, "
            "nên không nhập riêng một phụ lục được.", Position(label), key="chi-co-phu-luc",
            hint="Nhập tệp của văn bản chính có phụ lục này (phụ lục đặt ở cuối tệp, sau dấu ngắt trang): "
                 "mỗi bảng thành một tệp CSV cạnh bản thảo, khóa phu_luc trỏ tới nó."))


def _appendix_file(lay, result, label: str) -> dict:
    """A file of appendices alone: the document they are attached to, from their
    "(Kèm theo …)" line (its type the draft's loai), and each table as a CSV."""
    parent = kem_theo.bare(lay.kem_theo[0].text)
    if result is None or not result.phu_luc:
        raise DrafterError(Problem(
            "Tệp này chỉ có phụ lục nhưng drafter không đọc được bảng nào của nó: không có gì để nhập.",
            Position(label), key="chi-co-phu-luc",
            hint="Mỗi phụ lục cần một bảng Word (Chèn → Bảng), dưới dòng «Phụ lục», tên và dòng «(Kèm theo …)»."))
    name = (kem_theo.parent_type_name(parent) or "").lower()
    t = next((t for t in doctypes.TYPES if t.name.lower() == name), None)
    if t is None:
        m = re.search(r"số\s+\d+(?:/\d{4})?/([^-\s]+)-", parent)
        t = (doctypes.by_abbr(m.group(1)) if m else None) or doctypes.get("cong-van")
    return {"loai": t.slug, "chi_phu_luc": parent, "phu_luc": result.phu_luc}


def import_file(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                force: bool = False, preset_out: str | None = None, write_draft: bool = True) -> ImportReport:
    """Import `path` as the draft `out` (default: beside it, same name, .yaml)."""
    path = Path(path)
    out = Path(out) if out is not None else path.with_suffix(".yaml")
    view, numbering = _read(path)
    notes = X.prepare(view, numbering)
    lay = locate(view)
    _refuse_kind(lay, display_path(path))
    tables = _tables()
    result = None
    if tables is not None:
        result = tables.extract(view, lay, out.parent, out.stem, force=force)
    consumed = set(result.consumed) if result is not None else set()
    if lay.kind == "appendix":  # appendices in a file of their own: chi_phu_luc
        ex = X.Extracted(_appendix_file(lay, result, display_path(path)))
    else:
        ex = X.extract(view, lay, consumed=consumed)
    data = ex.data
    if result is not None and result.phu_luc:
        data["phu_luc"] = result.phu_luc
        _quote(data, tables, result)
    elif tables is None:
        # without the tables module, paragraphs after the main document's signature are
        # an appendix this version cannot import: said, not put in the body
        pass
    if "trich_yeu" not in data and "chi_phu_luc" not in data:
        notes.append("Không tìm thấy trích yếu: đã để trống khóa trich_yeu, hãy gõ vào bản thảo.")
        data["trich_yeu"] = ""
    if "ky" not in data and "chi_phu_luc" not in data:
        notes.append("Không tìm thấy người ký: hãy gõ khóa ky vào bản thảo.")
    preset_path = None
    preset_body = None
    source = path.name
    if preset_out:
        preset_path = out.parent / "presets" / f"{preset_out}.yaml"
        preset_body = Wr.preset_text(data, source=source, name=preset_out).encode("utf-8")
        data = {"loai": data["loai"], "dung": [preset_out],
                **{k: v for k, v in data.items() if k not in (*Wr.PRESET_KEYS, "loai")}}
    text = Wr.draft_text(data, source=source)
    csv_files = dict(result.csv_files) if result is not None else {}
    targets = ([out] if write_draft else []) + list(csv_files) + ([preset_path] if preset_path else [])
    check_outputs(targets, force=force)
    for p, body in csv_files.items():
        atomic_write_bytes(p, body, force=force)
    if preset_path is not None:
        preset_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(preset_path, preset_body, force=force)
    if write_draft:
        atomic_write_bytes(out, text.encode("utf-8"), force=force)
    fields = [k for k in data if data[k] not in (None, "", [], {})]
    return ImportReport(display_path(path), out if write_draft else None, preset_path, data["loai"], fields,
                        ex.left, list(result.problems) if result is not None else [], notes + ex.notes,
                        list(csv_files), data)
