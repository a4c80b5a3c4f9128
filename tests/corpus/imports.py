"""`drafter import` over the corpus: per document, the keys recovered, the paragraphs left
as body, and whether the imported draft renders to a document `drafter check` finds no
error in (issue 18's closing table). Used by `python -m tests.corpus.report --import`.

Runs the real commands (click's runner, in this process): `drafter import --json`,
`drafter render`, then the checker on the rendered file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import builders as B
from . import departures as D

KIND_NAMES = {
    "cong-van": "công văn", "quyet-dinh": "quyết định", "chi-thi": "chỉ thị", "ke-hoach": "kế hoạch",
    "bao-cao": "báo cáo", "to-trinh": "tờ trình", "thong-bao": "thông báo", "giay-moi": "giấy mời",
    "chuong-trinh": "chương trình (Mẫu 1.3, tệp riêng)", "quy-che": "quy chế (Mẫu 1.3, tệp riêng)",
    "copy": "bản sao (SAO Y)", "appendix": "phụ lục (tệp riêng)", "party": "văn bản của Đảng",
}


@dataclass
class Imported:
    name: str
    kind: str
    refused: str | None = None  # the problem's key when drafter import refused the file
    loai: str = ""
    fields: list[str] = field(default_factory=list)
    left: list[tuple[int, str]] = field(default_factory=list)
    rendered: bool = False
    render_error: str = ""
    errors: list[str] = field(default_factory=list)  # check's error rule ids on the rendered file
    warnings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.rendered and not self.errors


def _cli(*args: str):
    from click.testing import CliRunner

    from drafter.cli.main import main

    return CliRunner().invoke(main, list(args))


def import_one(src: Path, folder: Path, name: str, kind: str) -> Imported:
    from drafter.check.api import check_file

    res = Imported(name, kind)
    draft = folder / f"{name}.yaml"
    r = _cli("import", str(src), "-o", str(draft), "--json", "--force")
    out = json.loads(r.output)
    if not out.get("ok"):
        res.refused = out["problems"][0].get("key") or "?"
        return res
    res.loai, res.fields = out["loai"], out["cac_khoa"]
    if "chi_phu_luc" in res.fields:  # appendices alone: the type is the document they are attached to's
        res.loai += " (chi_phu_luc)"
    res.left = [(x["doan"], x["chu"]) for x in out["doan_de_trong_noi_dung"]]
    docx = folder / f"{name}.docx"
    r = _cli("render", str(draft), "-o", str(docx), "--force")
    if r.exit_code != 0:
        res.render_error = " ".join(r.output.split())[:160]
        return res
    res.rendered = True
    findings = check_file(docx).findings
    res.errors = sorted({f.rule_id for f in findings if f.is_error})
    res.warnings = sorted({f.rule_id for f in findings if f.severity == "warning"})
    return res


def run_corpus(folder: Path) -> list[Imported]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in B.CORRECT:
        spec = B.spec(name)
        src = folder / f"{name}-source.docx"
        src.write_bytes(B.render(spec))
        out.append(import_one(src, folder, name, spec.kind))
    return out


def run_departures(folder: Path) -> dict[str, list[str]]:
    """Every departure imported and rendered: how many render with no error, keep their
    own rule (a mistake in the typed words), are refused by render, or give other errors."""
    folder.mkdir(parents=True, exist_ok=True)
    bases: dict[str, bytes] = {}
    counts: dict[str, list[str]] = {"clean": [], "own rule kept": [], "render refused": [], "import refused": [],
                                    "other errors": []}
    for name, dep in D.DEPARTURES.items():
        if dep.base not in bases:
            bases[dep.base] = B.render(B.spec(dep.base))
        src = folder / f"{name}-source.docx"
        src.write_bytes(dep.build(bases[dep.base]))
        got = import_one(src, folder, name, B.spec(dep.base).kind)
        if got.refused:
            counts["import refused"].append(name)
        elif not got.rendered:
            counts["render refused"].append(name)
        elif not got.errors:
            counts["clean"].append(name)
        elif got.errors == [dep.rule] and not dep.fixable:
            counts["own rule kept"].append(name)
        else:
            counts["other errors"].append(name)
    return counts


def format_table(rows: list[Imported]) -> str:
    head = ("document", "type", "imported as", "fields recovered", "left as body", "render → check")
    lines = [head]
    for r in rows:
        if r.refused:
            lines.append((r.name, KIND_NAMES.get(r.kind, r.kind), "refused", "—", "—", f"import refused [{r.refused}]"))
            continue
        left = "; ".join(f"đoạn {n} «{t[:30]}»" for n, t in r.left) or "none"
        if not r.rendered:
            result = f"render refused: {r.render_error}"
        else:
            result = ("0 lỗi" if not r.errors else f"lỗi {', '.join(r.errors)}") + (
                ", 0 cảnh báo" if not r.warnings else f", cảnh báo {', '.join(r.warnings)}")
        lines.append((r.name, KIND_NAMES.get(r.kind, r.kind), r.loai, ", ".join(r.fields), left, result))
    text = "\n".join("| " + " | ".join(c) + " |" for c in lines[:1])
    text += "\n|" + "|".join("---" for _ in head) + "|\n"
    text += "\n".join("| " + " | ".join(c) + " |" for c in lines[1:])
    clean = sum(r.clean for r in rows)
    refused = sum(bool(r.refused) for r in rows)
    text += (f"\n\nimport → render → check clean: {clean}/{len(rows)} corpus documents"
             f" ({refused} refused by drafter import with the reason)")
    return text
