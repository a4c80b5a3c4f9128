"""What the checker reports: a finding is a rule id, a severity, a place and a message.

A :class:`Location` names a place a văn thư can find in Word: a paragraph (by its
number in reading order, counting paragraphs inside tables and text boxes), a table
cell, a section (page settings) or the document as a whole, with an excerpt of the
text so the place is recognisable even when numbering differs from Word's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

# Vietnamese names of the severities, for human output.
SEVERITY_LABELS = {ERROR: "lỗi", WARNING: "cảnh báo", INFO: "thông tin"}

KINDS = ("paragraph", "cell", "section", "document")

EXCERPT_CHARS = 60


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most `limit` characters: spaces collapsed, '…' when cut."""
    flat = " ".join((text or "").replace("\u00a0", " ").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Location:
    """Where a finding is.

    kind: "paragraph" (index = paragraph number, 0-based, in reading order),
    "cell" (a paragraph inside a table: index as for a paragraph, plus table, row
    and col, 0-based), "section" (index = section number, 0-based) or "document".
    """

    kind: str
    index: int | None = None
    text: str = ""
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown location kind {self.kind!r}")
        object.__setattr__(self, "text", excerpt(self.text))

    def describe(self) -> str:
        """The place in Vietnamese, 1-based as people count: 'đoạn 12', 'bảng 1, hàng 2, ô 3'."""
        if self.kind == "document":
            return "toàn văn bản"
        if self.kind == "section":
            return f"phần trang (section) {self._n(self.index)}"
        para = f"đoạn {self._n(self.index)}"
        if self.kind == "cell":
            return f"bảng {self._n(self.table)}, hàng {self._n(self.row)}, ô {self._n(self.col)} ({para})"
        return para

    @staticmethod
    def _n(value: int | None) -> str:
        return "?" if value is None else str(value + 1)

    def as_dict(self) -> dict:
        """0-based numbers, as in the model; `table`, `row`, `col` are null outside tables."""
        return {"kind": self.kind, "index": self.index, "table": self.table,
                "row": self.row, "col": self.col, "text": self.text}


DOCUMENT = Location("document")


@dataclass(frozen=True)
class Finding:
    """One way a document departs from the format (docs/the-thuc.md). `message` is Vietnamese."""

    rule_id: str
    severity: str
    location: Location = field(default=DOCUMENT)
    message: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        """`[id] mức độ — vị trí: "text…" — message`."""
        where = self.location.describe()
        if self.location.text:
            where += f': "{self.location.text}"'
        return f"[{self.rule_id}] {SEVERITY_LABELS[self.severity]} — {where} — {self.message}"

    def as_dict(self) -> dict:
        return {
            "rule": self.rule_id,
            "severity": self.severity,
            "location": self.location.as_dict(),
            "message": self.message,
        }
