"""The office staff's guide (docs/huong-dan-van-thu.md) stays true: its examples run.

Fenced blocks, in the order they appear, in one temporary folder:

- ```yaml title=PATH        the file is written (replacing any earlier version; so is
                            ```csv title=PATH, a batch's data);
- ```console [exit=N]       each `$ drafter …` line runs through click's CliRunner against
                            drafter.cli.main; the lines after it must appear in its
                            output, in order (whitespace runs count as one space, `…`
                            stands for any text, a line of just `…` for lines left out);
                            the exit code must be N (default 0);
- ```text docx=FILE.docx    the lines must appear, in order, among the document's lines;
- any other block is an illustration and is not run.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from conftest import REPO

GUIDE = REPO / "docs" / "huong-dan-van-thu.md"


@dataclass
class Block:
    lang: str
    attrs: dict
    body: str
    line: int  # 1-based line of the opening fence

    def where(self) -> str:
        return f"{GUIDE.name}:{self.line}"


@dataclass
class Command:
    args: list[str]
    expected: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    out = []
    for tok in MarkdownIt("commonmark").parse(text):
        if tok.type != "fence":
            continue
        lang, *rest = (tok.info.split() or [""])
        attrs = dict(part.split("=", 1) for part in rest if "=" in part)
        out.append(Block(lang, attrs, tok.content, tok.map[0] + 1))
    return out


def commands(body: str) -> list[Command]:
    out: list[Command] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            args = shlex.split(line[2:])
            assert args[0] == "drafter", line
            out.append(Command(args[1:]))
        elif line.strip():
            assert out, f"output before any command: {line!r}"
            out[-1].expected.append(line)
    return out


def _norm(s: str) -> str:
    return " ".join(s.split())


def _pattern(expected: str) -> re.Pattern:
    parts = [re.escape(p) for p in _norm(expected).split("…")]
    return re.compile(".*".join(parts))


def assert_lines_in_order(expected: list[str], actual: str, where: str) -> None:
    lines = [_norm(ln) for ln in actual.splitlines()]
    i = 0
    for exp in expected:
        if _norm(exp) in ("", "…"):
            continue
        pat = _pattern(exp)
        while i < len(lines) and not pat.search(lines[i]):
            i += 1
        assert i < len(lines), f"{where}: line not found (in order): {exp!r}\n--- output:\n{actual}"
        i += 1


def test_guide_has_runnable_examples():
    bs = blocks(GUIDE.read_text(encoding="utf-8"))
    kinds = {(b.lang, "title" in b.attrs) for b in bs}
    assert ("yaml", True) in kinds and ("console", False) in kinds
    titles = [b.attrs["title"] for b in bs if "title" in b.attrs]
    assert any(t.startswith("presets/") for t in titles)
    run = [c.args[:2] for b in bs if b.lang == "console" for c in commands(b.body)]
    # copy a preset, change the signer, add a recipient group, render, read an error
    for needed in (["presets", "copy"], ["presets", "show"], ["presets", "check"], ["new", "cong-van"],
                   ["render", "trung-thu.yaml"]):
        assert needed in run, needed
    assert any(b.attrs.get("exit") == "1" for b in bs)


def test_guide_examples_run(tmp_path, monkeypatch):
    from docx_view import DocView

    from drafter.cli import main

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    ran = 0
    for b in blocks(GUIDE.read_text(encoding="utf-8")):
        if b.lang in ("yaml", "csv") and "title" in b.attrs:
            path = tmp_path / b.attrs["title"]
            assert tmp_path in path.resolve().parents, b.where()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(b.body, encoding="utf-8")
        elif b.lang == "console":
            want = int(b.attrs.get("exit", "0"))
            for cmd in commands(b.body):
                r = runner.invoke(main, cmd.args)
                where = f"{b.where()} `drafter {' '.join(cmd.args)}`"
                assert r.exception is None or isinstance(r.exception, SystemExit), (where, r.exception)
                assert r.exit_code == want, f"{where}: exit {r.exit_code}, expected {want}\n{r.output}"
                assert "Traceback" not in r.output
                assert_lines_in_order(cmd.expected, r.output, where)
                ran += 1
        elif b.lang == "text" and "docx" in b.attrs:
            doc = DocView(tmp_path / b.attrs["docx"])
            actual = "\n".join(doc.texts())  # table cells included
            assert_lines_in_order(b.body.splitlines(), actual, b.where())
    assert ran >= 8


@pytest.mark.parametrize("expected,actual,ok", [
    (["a  b"], "x\na b\n", True),
    (["b", "a"], "a\nb\n", False),
    (["Đã … thành x."], "Đã sao chép (có sẵn: /p/q) thành x.", True),
    (["…", "b"], "a\nb", True),
])
def test_matcher(expected, actual, ok):
    if ok:
        assert_lines_in_order(expected, actual, "t")
    else:
        with pytest.raises(AssertionError):
            assert_lines_in_order(expected, actual, "t")
