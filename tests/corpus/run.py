"""Build the corpus into a folder, run the real `drafter check` / `drafter fix` on it,
and sum the results up per rule (used by tests/test_corpus.py and tests/corpus/report.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import builders as B
from . import departures as D


def drafter_cmd() -> list[str]:
    exe = shutil.which("drafter")
    return [exe] if exe else [sys.executable, "-m", "drafter.cli"]


@dataclass
class Corpus:
    folder: Path
    correct: dict[str, Path] = field(default_factory=dict)
    departures: dict[str, Path] = field(default_factory=dict)
    base_bytes: dict[str, bytes] = field(default_factory=dict)


def build(folder: Path) -> Corpus:
    c = Corpus(folder)
    (folder / "correct").mkdir(parents=True, exist_ok=True)
    (folder / "departures").mkdir(parents=True, exist_ok=True)
    for name in B.CORRECT:
        data = B.render(B.spec(name))
        c.base_bytes[name] = data
        path = folder / "correct" / f"{name}.docx"
        path.write_bytes(data)
        c.correct[name] = path
    for name, dep in D.DEPARTURES.items():
        path = folder / "departures" / f"{name}.docx"
        path.write_bytes(dep.build(c.base_bytes[dep.base]))
        c.departures[name] = path
    return c


def check(paths: list[Path]) -> dict[str, list[dict]]:
    """`drafter check --json` on all files in one process: file name → findings."""
    proc = subprocess.run(drafter_cmd() + ["check", "--json", *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"drafter check exited {proc.returncode}: {proc.stderr[-2000:]}")
    out: dict[str, list[dict]] = {}
    for entry in json.loads(proc.stdout):
        if "error" in entry:
            raise RuntimeError(f"drafter check could not read {entry['file']}: {entry['error']}")
        out[Path(entry["file"]).name] = entry["findings"]
    return out


def errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


def fix_available() -> bool:
    proc = subprocess.run(drafter_cmd() + ["fix", "--help"], capture_output=True, text=True, timeout=60)
    return proc.returncode == 0


def fix(src: Path, dst: Path) -> subprocess.CompletedProcess:
    return subprocess.run(drafter_cmd() + ["fix", str(src), "-o", str(dst)], capture_output=True, text=True,
                          timeout=120)


def known_rules() -> set[str]:
    """The rule ids the installed checker has (the catalogue drafter check reads)."""
    from drafter.check.rules import RULES

    return set(RULES)


@dataclass
class Results:
    corpus: Corpus
    found: dict[str, list[dict]]  # file name → findings (correct and departures)
    fixed: dict[str, bool | None] = field(default_factory=dict)  # departure → repaired (None: not tried)

    def false_alarms(self) -> dict[str, list[str]]:
        """Correct document → the rule ids of its error findings."""
        return {n: sorted({f["rule"] for f in errors(self.found[p.name])}) for n, p in self.corpus.correct.items()}

    def caught(self, name: str) -> bool:
        dep = D.DEPARTURES[name]
        return any(f["rule"] == dep.rule for f in self.found[self.corpus.departures[name].name])


def run_all(folder: Path, *, with_fix: bool = True) -> Results:
    c = build(folder)
    found = check(list(c.correct.values()) + list(c.departures.values()))
    res = Results(c, found)
    if with_fix and fix_available():
        for name, dep in D.DEPARTURES.items():
            if dep.fixable:
                res.fixed[name] = fixed_ok(c, name)
    return res


def fixed_ok(c: Corpus, name: str) -> tuple[bool, str]:
    """Run `drafter fix` on a departure; (repaired, why not)."""
    import io

    from docx import Document

    dep = D.DEPARTURES[name]
    src = c.departures[name]
    dst = c.folder / "fixed" / src.name
    dst.parent.mkdir(exist_ok=True)
    proc = fix(src, dst)
    if proc.returncode not in (0, 1) or not dst.exists():
        return False, f"drafter fix exited {proc.returncode}: {proc.stderr[-500:]}"
    after = check([dst])[dst.name]
    if any(f["rule"] == dep.rule for f in after):
        return False, f"{dep.rule} still reported after fix"
    data = dst.read_bytes()
    if D.texts(data) != D.texts(c.base_bytes[dep.base]):
        return False, "paragraph text differs from the correct document"
    if dep.fixed is not None and not dep.fixed(Document(io.BytesIO(data))):
        return False, "the repaired property is not as the format wants"
    return True, ""


def table(res: Results) -> list[tuple[str, str, str, str, str]]:
    """Per rule: rule, status (existing/new), caught a/b, false alarms (documents), fixed a/b."""
    rules = known_rules()
    fa: dict[str, list[str]] = {}
    for doc, ids in res.false_alarms().items():
        for r in ids:
            fa.setdefault(r, []).append(doc)
    rows = []
    all_ids = sorted(set(D.by_rule()) | set(fa))
    for rid in all_ids:
        deps = D.by_rule().get(rid, [])
        caught = sum(res.caught(d.name) for d in deps)
        fixable = [d for d in deps if d.fixable]
        if not fixable:
            fx = "—"
        elif not res.fixed:
            fx = f"0/{len(fixable)} (no fix)"
        else:
            fx = f"{sum(bool(res.fixed.get(d.name) and res.fixed[d.name][0]) for d in fixable)}/{len(fixable)}"
        rows.append((rid, "exists" if rid in rules else "to write", f"{caught}/{len(deps)}" if deps else "—",
                     ", ".join(fa.get(rid, [])) or "0", fx))
    return rows


def format_table(res: Results) -> str:
    head = ("rule", "checker", "caught", "false alarms (correct docs)", "fixed")
    rows = [head] + table(res)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    n_dep = len(D.DEPARTURES)
    caught = sum(res.caught(n) for n in D.DEPARTURES)
    clean = sum(1 for ids in res.false_alarms().values() if not ids)
    fixable = [n for n, d in D.DEPARTURES.items() if d.fixable]
    fixed = sum(1 for n in fixable if res.fixed.get(n) and res.fixed[n][0])
    lines.append("")
    lines.append(f"Corpus: {len(res.corpus.correct)} correct documents ({clean} with no error finding), "
                 f"{n_dep} departures ({caught} caught by their rule), {len(fixable)} fixable "
                 f"({fixed} repaired by drafter fix{'' if res.fixed else ': drafter fix does not exist yet'}).")
    return "\n".join(lines)
