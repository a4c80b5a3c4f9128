"""Reading produced .docx files back for assertions: paragraphs with their effective
formatting (run → paragraph style chain → document defaults), tables, sections."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Para:
    text: str
    style: str | None
    size: float | None  # points
    bold: bool
    italic: bool
    align: str | None
    first_line: int | None
    after: int | None
    element: etree._Element
    in_table: bool


def para_text(p) -> str:
    """A paragraph's text as read: a line break drafter chose (rules/linebreak) between
    two words is a space."""
    out = []
    for el in p.iter(q("t"), q("br")):
        if el.tag == q("t"):
            out.append(el.text or "")
        elif el.get(q("type")) in (None, "textWrapping"):
            out.append(" ")
    return "".join(out)


class DocView:
    def __init__(self, data: bytes | Path | str):
        raw = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
        self.zip = zipfile.ZipFile(io.BytesIO(raw))
        self.doc = etree.fromstring(self.zip.read("word/document.xml"))
        self.styles = etree.fromstring(self.zip.read("word/styles.xml"))
        self._style = {s.get(q("styleId")): s for s in self.styles.iter(q("style"))}
        self.body = self.doc.find(q("body"))

    # --- properties ----------------------------------------------------------
    def _style_chain(self, sid):
        chain = []
        while sid and sid in self._style:
            st = self._style[sid]
            chain.append(st)
            based = st.find(q("basedOn"))
            sid = based.get(q("val")) if based is not None else None
        return chain

    def _defaults_rpr(self):
        return self.styles.find(".//w:docDefaults/w:rPrDefault/w:rPr", NS)

    @staticmethod
    def _flag(rpr, tag):
        if rpr is None:
            return None
        el = rpr.find(q(tag))
        if el is None:
            return None
        return el.get(q("val"), "true") not in ("0", "false")

    def _run_prop(self, run, para_style, tag):
        rpr = run.find(q("rPr")) if run is not None else None
        v = self._flag(rpr, tag)
        if v is not None:
            return v
        for st in self._style_chain(para_style):
            v = self._flag(st.find(q("rPr")), tag)
            if v is not None:
                return v
        return bool(self._flag(self._defaults_rpr(), tag))

    def _run_size(self, run, para_style):
        for rpr in [run.find(q("rPr")) if run is not None else None,
                    *[st.find(q("rPr")) for st in self._style_chain(para_style)], self._defaults_rpr()]:
            if rpr is not None and rpr.find(q("sz")) is not None:
                return int(rpr.find(q("sz")).get(q("val"))) / 2
        return None

    def _ppr_val(self, p, style, path, attr):
        for ppr in [p.find(q("pPr")), *[st.find(q("pPr")) for st in self._style_chain(style)]]:
            if ppr is None:
                continue
            el = ppr.find(path, NS)
            if el is not None and el.get(q(attr)) is not None:
                return el.get(q(attr))
        return None

    def para(self, p, in_table=False) -> Para:
        ppr = p.find(q("pPr"))
        ps = ppr.find(q("pStyle")) if ppr is not None else None
        style = ps.get(q("val")) if ps is not None else None
        runs = [r for r in p.iter(q("r")) if r.find(q("t")) is not None]
        text = para_text(p)
        first = runs[0] if runs else None
        bold = all(self._run_prop(r, style, "b") for r in runs) if runs else False
        italic = all(self._run_prop(r, style, "i") for r in runs) if runs else False
        fl = self._ppr_val(p, style, "w:ind", "firstLine")
        after = self._ppr_val(p, style, "w:spacing", "after")
        return Para(text, style, self._run_size(first, style), bold, italic,
                    self._ppr_val(p, style, "w:jc", "val"), int(fl) if fl else None,
                    int(after) if after else None, p, in_table)

    def paragraphs(self) -> list[Para]:
        out = []
        for p in self.body.iter(q("p")):
            in_table = any(a.tag == q("tbl") for a in p.iterancestors())
            out.append(self.para(p, in_table))
        return out

    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs() if p.text]

    def find(self, text: str) -> Para:
        for p in self.paragraphs():
            if p.text == text:
                return p
        raise AssertionError(f"no paragraph {text!r} in {self.texts()}")

    def starting(self, prefix: str) -> Para:
        for p in self.paragraphs():
            if p.text.startswith(prefix):
                return p
        raise AssertionError(f"no paragraph starting {prefix!r} in {self.texts()}")

    def tables(self):
        return self.body.findall(q("tbl"))

    def cell_texts(self, tbl, row: int, col: int) -> list[str]:
        tr = tbl.findall(q("tr"))[row]
        tc = tr.findall(q("tc"))[col]
        return [para_text(p) for p in tc.findall(q("p")) if para_text(p)]

    def sect(self):
        return self.body.find(q("sectPr"))

    def part(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))
