"""The reference docs stay true to the code.

- docs/khoa-ban-thao.md has a key-table row for every field of every model class of
  drafter/model.py and drafter/tables/model.py, and what the row says about a key
  being required agrees with the model; no row names a key the models do not have.
- Its examples run (docs/the-thuc.md's too), in document order, in one folder:
  ```yaml title=PATH           written there; a whole draft (has `loai:`) is rendered
                               with api.render_file to PATH.docx, without warnings,
                               unless `batch=DATA` says a `drafter batch` block runs it;
  ```yaml                      a whole draft is rendered likewise; any other block is a
                               fragment: a mapping of draft keys;
  ```csv title=PATH            written there;
  ```console                   each `$ drafter …` runs; the lines after it must appear in
                               its output, in order (as in test_docs_guide);
  ```text docx=FILE.docx       the lines appear, in order, among the document's lines.
- Every `docs/NAME.md#anchor` cited in drafter/, README.md or docs/ (and every
  `NAME.md#anchor` or `#anchor` link inside docs/) names an existing file and a
  heading of it: GitHub's slug of the heading text (`số-ký-hiệu`), or an id the file
  declares (`<a id="so-ky-hieu"></a>`). Each heading of the two references declares
  its slug without diacritics, the stable ASCII anchor code cites
  (docs/the-thuc.md#so-ky-hieu); GitHub resolves both.
"""

from __future__ import annotations

import re
import typing
import unicodedata
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pydantic import BaseModel
from ruamel.yaml import YAML

from conftest import REPO
from test_docs_guide import assert_lines_in_order, commands

DOCS = REPO / "docs"
KEYS_DOC = DOCS / "khoa-ban-thao.md"
FORMAT_DOC = DOCS / "the-thuc.md"


def _parse(path: Path) -> list:
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the models


def _models_in(annotation) -> list[tuple[type[BaseModel], bool]]:
    """Model classes inside a field's annotation, each with whether it sits in a list."""
    found: list[tuple[type[BaseModel], bool]] = []

    def walk(a, in_list: bool) -> None:
        if isinstance(a, type) and issubclass(a, BaseModel):
            found.append((a, in_list))
            return
        origin, args = typing.get_origin(a), typing.get_args(a)
        if origin is typing.Annotated:
            walk(args[0], in_list)
            return
        for x in args:
            walk(x, in_list or origin in (list, tuple, set))

    walk(annotation, False)
    return found


@dataclass(frozen=True)
class Key:
    cls: type[BaseModel]
    name: str
    required: bool


def model_keys() -> dict[str, list[Key]]:
    """Documented path → the model fields it names. A nested model's keys are written
    under their parent key: `co_quan.ten`, `van_ban_kem_theo[].loai` (list items),
    and a table's under `bang.` (phu_luc[].bang is a mapping the table model reads)."""
    from drafter import model
    from drafter.tables import model as tables

    keys: dict[str, list[Key]] = {}
    todo = [(model.Draft, ""), (tables.Bang, "bang."), (tables.BangTep, "bang.")]
    seen: set = set()
    while todo:
        cls, prefix = todo.pop()
        if (cls, prefix) in seen:
            continue
        seen.add((cls, prefix))
        for name, field in cls.model_fields.items():
            keys.setdefault(prefix + name, []).append(Key(cls, name, field.is_required()))
            for sub, in_list in _models_in(field.annotation):
                todo.append((sub, f"{name}[]." if in_list else f"{name}."))
    return keys


def test_walk_reaches_every_model_class():
    """A model class the walk misses would have its keys go unchecked."""
    from drafter import model
    from drafter.tables import model as tables

    reached = {k.cls for ks in model_keys().values() for k in ks}
    for module in (model, tables):
        public = {
            v for n, v in vars(module).items()
            if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == module.__name__
            and not n.startswith("_")
        }
        assert public - reached == set(), f"{module.__name__}: classes no draft key leads to"


@dataclass(frozen=True)
class Row:
    path: str
    required: str  # the "bắt buộc" cell: có / không / tùy …
    line: int


def key_rows(path: Path | None = None) -> list[Row]:
    """Rows of the key tables: tables whose first header is "khóa" and that have a
    "bắt buộc" column; the first code span of a row's first cell is the key."""
    path = path or KEYS_DOC
    rows: list[Row] = []
    toks = _parse(path)
    i = 0
    while i < len(toks):
        if toks[i].type != "table_open":
            i += 1
            continue
        end = next(j for j in range(i, len(toks)) if toks[j].type == "table_close")
        cells: list[list] = []  # per row: inline tokens of its cells
        for t in toks[i:end]:
            if t.type == "tr_open":
                cells.append([])
            elif t.type == "inline":
                cells[-1].append(t)
        header = [c.content.strip().lower() for c in cells[0]]
        if header and header[0] == "khóa" and "bắt buộc" in header:
            col = header.index("bắt buộc")
            for r in cells[1:]:
                code = [c.content for c in r[0].children or [] if c.type == "code_inline"]
                assert code, f"{path.name}:{r[0].map[0] + 1 if r[0].map else '?'}: a key row without `key`"
                line = toks[i].map[0] + 1 if toks[i].map else 0
                rows.append(Row(code[0], r[col].content.strip().lower(), line))
        i = end + 1
    return rows


def test_every_model_key_has_a_row():
    documented = {r.path for r in key_rows()}
    missing = sorted(p for p in model_keys() if p not in documented)
    assert not missing, f"keys of the models without a row in {KEYS_DOC.name}: {missing}"


def test_rows_name_model_keys_and_say_whether_required():
    keys = model_keys()
    by_prefix: dict[str, set] = {}
    for path, ks in keys.items():
        prefix = path.rpartition(".")[0]
        by_prefix.setdefault(prefix, set()).update(k.cls for k in ks)
    seen = set()
    for row in key_rows():
        where = f"{KEYS_DOC.name} (table at line {row.line}) `{row.path}`"
        assert row.path in keys, f"{where}: no such key in the models"
        assert row.path not in seen, f"{where}: two rows"
        seen.add(row.path)
        # Several models can sit at one place (a table row is a Muc or a Dong): a key
        # is required there only if every one of them requires it.
        holders = by_prefix[row.path.rpartition(".")[0]]
        required = {k.cls for k in keys[row.path] if k.required}
        always, sometimes = required == holders, bool(required)
        word = row.required.split()[0] if row.required else ""
        if word == "có":
            assert always, f"{where}: said required, the model does not require it"
        elif word == "không":
            assert not sometimes, f"{where}: said optional, the model requires it"
        elif word == "tùy":
            assert not always, f"{where}: said conditional, the model always requires it"
        else:
            pytest.fail(f"{where}: 'bắt buộc' must start with có, không or tùy, not {row.required!r}")


def test_every_document_type_is_listed_with_its_abbreviation():
    from drafter.rules import doctypes

    listed: dict[str, str] = {}
    toks = _parse(KEYS_DOC)
    for i, t in enumerate(toks):
        if t.type == "tr_open":
            cells = [x for x in toks[i:] if x.type in ("inline", "tr_close")]
            cells = cells[: next(j for j, x in enumerate(cells) if x.type == "tr_close")]
            if len(cells) >= 3 and cells[0].content.strip("`") in doctypes.BY_SLUG:
                listed[cells[0].content.strip("`")] = cells[2].content.strip()
    for t in doctypes.TYPES:
        assert t.slug in listed, f"loai '{t.slug}' is not in the type table of {KEYS_DOC.name}"
        assert listed[t.slug] == (t.abbr or "(không có)"), (t.slug, listed[t.slug])


# --------------------------------------------------------------------------- the examples


@dataclass
class Block:
    lang: str
    attrs: dict
    body: str
    where: str


def fences(path: Path) -> list[Block]:
    out = []
    for tok in _parse(path):
        if tok.type == "fence":
            lang, *rest = tok.info.split() or [""]
            attrs = dict(part.split("=", 1) for part in rest if "=" in part)
            out.append(Block(lang, attrs, tok.content, f"{path.name}:{tok.map[0] + 1}"))
    return out


def run_examples(path: Path, folder: Path) -> dict[str, int]:
    """Run the examples of one doc in `folder` (the current directory); counts by kind."""
    from click.testing import CliRunner
    from docx_view import DocView

    from drafter import api, model

    counts = {"rendered": 0, "fragments": 0, "commands": 0, "checked": 0}
    batch_drafts: dict[str, str] = {}
    batch_args: list[list[str]] = []
    for n, b in enumerate(fences(path)):
        if b.lang in ("yaml", "csv") and "title" in b.attrs:
            target = folder / b.attrs["title"]
            assert folder in target.resolve().parents, b.where
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(b.body, encoding="utf-8")
        if b.lang == "yaml":
            data = YAML(typ="safe", pure=True).load(b.body)
            assert isinstance(data, dict), f"{b.where}: a YAML example is a mapping of keys"
            if "loai" not in data:  # a fragment, or a preset: keys of a draft
                unknown = set(data) - set(model.Draft.model_fields)
                assert not unknown, f"{b.where}: not draft keys: {sorted(unknown)}"
                counts["fragments"] += 1
                continue
            if "batch" in b.attrs:
                batch_drafts[b.attrs["title"]] = b.where
                continue
            draft = folder / b.attrs.get("title", f"vi-du-{n}.yaml")
            draft.write_text(b.body, encoding="utf-8")
            result = api.render_file(draft, draft.with_suffix(".docx"), force=True)
            assert not result.warnings, f"{b.where}: {[str(w) for w in result.warnings]}"
            counts["rendered"] += 1
        elif b.lang == "console":
            from drafter.cli import main

            for cmd in commands(b.body):
                r = CliRunner().invoke(main, cmd.args)
                where = f"{b.where} `drafter {' '.join(cmd.args)}`"
                assert r.exit_code == 0, f"{where}: exit {r.exit_code}\n{r.output}"
                assert_lines_in_order(cmd.expected, r.output, where)
                batch_args.append(cmd.args)
                counts["commands"] += 1
        elif b.lang == "text" and "docx" in b.attrs:
            lines = "\n".join(DocView(folder / b.attrs["docx"]).texts())
            assert_lines_in_order(b.body.splitlines(), lines, b.where)
            counts["checked"] += 1
    for title, where in batch_drafts.items():
        assert any(a[:1] == ["batch"] and title in a for a in batch_args), f"{where}: no `drafter batch {title}` runs it"
    return counts


def test_key_reference_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    counts = run_examples(KEYS_DOC, tmp_path)
    # a công văn, a tờ trình, a quyết định, a kế hoạch with its appendix, a thông báo on presets
    assert counts["rendered"] >= 5 and counts["checked"] >= 5 and counts["fragments"] >= 10, counts
    assert counts["commands"] >= 1, counts  # the batch example


def test_format_reference_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_examples(FORMAT_DOC, tmp_path)["commands"] >= 2


def test_a_fragment_with_a_misspelt_key_is_refused(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("```yaml\nkinh_guii: Sở Tài chính\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="kinh_guii"):
        run_examples(doc, tmp_path)


# --------------------------------------------------------------------------- the anchors

_DROP = set("PSCZ")  # punctuation, symbols, controls, separators: GitHub drops them


def slug(text: str) -> str:
    """GitHub's anchor for a heading's text (github-slugger): lower case, punctuation
    and symbols dropped (but `-` and `_`), each space a `-`; letters keep their marks."""
    text = unicodedata.normalize("NFC", text.strip().lower())
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] not in _DROP)
    return kept.replace(" ", "-")


@pytest.mark.parametrize("heading,expected", [
    ("Số, ký hiệu", "số-ký-hiệu"),
    ("Chính quyền hai cấp (từ 2025)", "chính-quyền-hai-cấp-từ-2025"),
    ("Trang giấy, lề, phông chữ", "trang-giấy-lề-phông-chữ"),
    ("Từ 01/7/2025: hai cấp", "từ-0172025-hai-cấp"),
    ("A -- B", "a----b"),
    ("Phụ lục phu_luc", "phụ-lục-phu_luc"),
])
def test_slug_is_githubs(heading, expected):
    assert slug(heading) == expected


def test_ascii_anchor():
    assert ascii_anchor("địa-danh-ngày-tháng-năm") == "dia-danh-ngay-thang-nam"
    assert ascii_anchor(slug("Đánh số trong nội dung")) == "danh-so-trong-noi-dung"


def ascii_anchor(anchor: str) -> str:
    """A slug without Vietnamese diacritics: "số-ký-hiệu" → "so-ky-hieu"."""
    anchor = anchor.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", anchor) if not unicodedata.combining(ch))


_ID = re.compile(r'<a\s+(?:id|name)="([^"]+)"\s*>')


@dataclass(frozen=True)
class Heading:
    slug: str
    ids: tuple[str, ...]  # ids declared inside the heading
    line: int


def headings(path: Path) -> list[Heading]:
    out = []
    counts: dict[str, int] = {}
    toks = _parse(path)
    for i, t in enumerate(toks):
        if t.type != "heading_open":
            continue
        children = toks[i + 1].children or []
        text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        ids = tuple(m for c in children if c.type == "html_inline" for m in _ID.findall(c.content))
        s = slug(text)
        n = counts.get(s, 0)
        counts[s] = n + 1
        out.append(Heading(s if n == 0 else f"{s}-{n}", ids, t.map[0] + 1))  # GitHub numbers repeats
    return out


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {h.slug for h in headings(path)} | set(_ID.findall(text))


@pytest.mark.parametrize("doc", [KEYS_DOC, FORMAT_DOC], ids=lambda p: p.name)
def test_reference_headings_have_ascii_anchors(doc):
    seen: set[str] = set()
    for h in headings(doc):
        if h.line == 1:
            continue  # the title
        want = ascii_anchor(h.slug)
        assert h.ids == (want,), f"{doc.name}:{h.line}: the heading should start with <a id=\"{want}\"></a>"
        assert want not in seen, f"{doc.name}:{h.line}: two headings share the anchor {want}"
        seen.add(want)


_ROOT_CITE = re.compile(r"(?<![\w/.-])docs/([\w.-]+\.md)#([\w%-]+)")
_DOC_LINK = re.compile(r"(?<![\w/.-])([\w.-]+\.md)#([\w%-]+)")
_SELF_LINK = re.compile(r"\]\(#([\w%-]+)\)")


def citations(text: str, *, doc: Path | None = None) -> list[tuple[str, str]]:
    """(file name in docs/, anchor) of every citation in `text`; `doc` is the file's
    own path when it is one of the docs (its links are relative to docs/)."""
    found = [(f, a) for f, a in _ROOT_CITE.findall(text)]
    if doc is not None:
        found += _DOC_LINK.findall(text)
        found += [(doc.name, a) for a in _SELF_LINK.findall(text)]
    return [(f, urllib.parse.unquote(a)) for f, a in found]


def broken(text: str, *, doc: Path | None = None, docs: Path = DOCS) -> list[str]:
    out = []
    for name, anchor in citations(text, doc=doc):
        target = docs / name
        if not target.is_file():
            out.append(f"docs/{name} does not exist")
        elif anchor not in anchors(target):
            out.append(f"docs/{name}#{anchor}: no such heading")
    return out


def _cited_in() -> list[tuple[Path, bool]]:
    files = [(p, False) for p in sorted((REPO / "drafter").rglob("*")) if p.suffix in (".py", ".md", ".txt")]
    files += [(REPO / "README.md", False)] if (REPO / "README.md").is_file() else []
    files += [(p, True) for p in sorted(DOCS.glob("*.md"))]
    return files


def test_cited_anchors_exist():
    problems = []
    for path, in_docs in _cited_in():
        text = path.read_text(encoding="utf-8", errors="replace")
        problems += [f"{path.relative_to(REPO)}: {p}" for p in broken(text, doc=path if in_docs else None)]
    assert not problems, "\n".join(problems)


def test_the_docs_link_to_each_other():
    """The two references cite each other's headings, so the check above has work."""
    keys = citations(KEYS_DOC.read_text(encoding="utf-8"), doc=KEYS_DOC)
    fmt = citations(FORMAT_DOC.read_text(encoding="utf-8"), doc=FORMAT_DOC)
    assert any(f == FORMAT_DOC.name for f, _ in keys) and any(f == KEYS_DOC.name for f, _ in fmt)


def test_a_broken_citation_is_reported():
    code = "# see docs/the-thuc.md#so-ky-hieu, docs/the-thuc.md#khong-co-muc-nay and docs/khong-co.md#x\n"
    assert broken(code) == ["docs/the-thuc.md#khong-co-muc-nay: no such heading", "docs/khong-co.md does not exist"]
    link = "[a](#không-có) [b](the-thuc.md#s%E1%BB%91-k%C3%BD-hi%E1%BB%87u) [c](tables.md#nothing)"
    assert broken(link, doc=KEYS_DOC) == ["docs/tables.md#nothing: no such heading", "docs/khoa-ban-thao.md#không-có: no such heading"]
