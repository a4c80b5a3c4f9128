"""One surface for the rules: validate() returns Problem values with no position.

Each rules module (but signature and so_ky_hieu, tested with the lead's work) is asked
what its validate() says on a right and a wrong value, and the checker is shown to ask
the same rule the writer uses.
"""

from __future__ import annotations

import datetime as dt

import pytest

from drafter.errors import ERROR, WARNING, Position, Problem, warning
from drafter.rules import (
    body,
    date_line,
    doctypes,
    filenames,
    inline,
    numbering,
    numbers,
    recipients,
    reform2025,
    text,
    textwidth,
    words,
)

# (module, arguments of a right value, arguments of a wrong value, severity expected)
CASES = [
    (body, ("1. A\na) x\nb) y",), ("1. A\na) x\nc) y",), WARNING),
    (date_line, ("Hà Nội, ngày 05 tháng 01 năm 2020",), ("Hà Nội, ngày 5 tháng 01 năm 2020",), ERROR),
    (doctypes, ("quyet-dinh",), ("quyet-dinhh",), ERROR),
    (filenames, ("bao-cao",), ("bao/cao",), ERROR),
    (inline, ("**đậm**",), ("**đậm",), WARNING),
    (numbering, (["a)", "b)"],), (["a)", "f)"],), ERROR),
    (numbers, ("1.234,5",), ("1,234.5",), ERROR),
    (text, ("Hướng dẫn",), ("H\u00ad\u00edng d\u00c9n c\u00abng t\u00b8c",), WARNING),
    (textwidth, ("Hà Nội", 13, 2000), ("Hà Nội", 13, 500), WARNING),
    (words, (5,), (10**18,), ERROR),
]


@pytest.mark.parametrize("module,right,wrong,severity", CASES, ids=lambda c: getattr(c, "__name__", None))
def test_validate_returns_unplaced_problems(module, right, wrong, severity):
    assert module.validate(*right) == []
    problems = module.validate(*wrong)
    assert problems and all(isinstance(p, Problem) for p in problems)
    assert {p.severity for p in problems} == {severity}
    # The validation stage places them: the rule knows no file, line or column.
    assert all(p.position == Position() for p in problems)
    assert all(p.message.strip() for p in problems)
    placed = problems[0].at(Position("d.yaml", 3, 1), key="x")
    assert placed.position.line == 3 and placed.message == problems[0].message


def test_keyword_validators():
    assert recipients.validate(kinh_gui=["- A;", "- B."], noi_nhan=["- A;", "- Lưu: VT."]) == []
    assert [p.severity for p in recipients.validate(noi_nhan=["- A", "- Lưu: VT"])] == [ERROR, ERROR]
    args = dict(issuer_lines=["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"], parent="HUYỆN CẨM XUYÊN", year=2025)
    assert reform2025.validate(**args, date=dt.date(2025, 6, 30)) == []
    (p,) = reform2025.validate(**args, date=dt.date(2025, 7, 1))
    assert p.severity == WARNING and p.key == "co_quan.chu_quan" and p.position == Position()
    assert reform2025.district_warnings(**args, date=dt.date(2025, 7, 1)) == [p.message]


def test_keys_where_the_rule_knows_them():
    (p,) = doctypes.validate("cong-vn")
    assert p.key == "loai" and "cong-van" in p.hint and "drafter types" in p.hint
    # The exception model.py shows is the same text, message then hint.
    with pytest.raises(doctypes.UnknownTypeError) as exc:
        doctypes.get("cong-vn")
    assert str(exc.value) == f"{p.message} {p.hint}"
    (q,) = reform2025.validate(issuer_lines=["ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN"], parent=None,
                               date=None, year=2026)
    assert q.key == "co_quan.ten" and "năm 2026 (chưa ghi ngày)" in q.message


@pytest.mark.parametrize("n,level", [(1, "I"), (9, "I"), (1, "1"), (12, "1"), (1, "a"), (23, "a")])
def test_body_generates_labels_through_numbering_format(n, level):
    lines = "\n".join(f"[{level}] x" for _ in range(n))
    assert body.paragraphs(lines)[-1].text == f"{numbering.format(n, level)} x"


def test_body_validate_runs():
    # A new run starts at each khoản, section, article or chapter.
    assert body.validate("I. A\na) x\nII. B\na) y\nĐiều 2. C\na) z\nChương II\na) t\n1.2. D\na) u") == []
    typed = body.validate("1. A\na) x\nb) y\nc) z\nd) t\ne) u")
    assert [p.message for p in typed] == [m.message for m in numbering.validate(["a)", "b)", "c)", "d)", "e)"])]
    # A generated 24th điểm has no letter: paragraphs() refuses it, validate says why.
    too_many = "\n".join(["[1] K"] + ["[a] x"] * 24)
    with pytest.raises(ValueError):
        body.paragraphs(too_many)
    (p,) = body.validate(too_many)
    assert p.severity == ERROR and "23" in p.message
    # Capital letters and words are not điểm labels.
    assert body.validate("1. A\nA) x\nB) y") == [] and body.validate("") == [] and body.validate(None) == []


def test_body_format_is_paragraphs_with_end_mark():
    assert [p.text for p in body.format("[1] Một;\n[1] Hai;")] == ["1. Một;", "2. Hai./."]


def test_inline_format_and_validate():
    assert inline.format("**Điều 1.** *nghiêng* 5 * 3 (*)") == "Điều 1. nghiêng 5 * 3 (*)"
    assert inline.validate("5 * 3 (*) ghi chú") == []  # a single * is literal
    (p,) = inline.validate("x" * 70 + " **")
    assert "…" in p.message and len(p.message) < 200


def test_checker_asks_the_writers_rules(monkeypatch):
    # The checker's date and district findings are the rules modules' problems, quoted
    # the checker's way: a change of the rule reaches the checker.
    from types import SimpleNamespace

    from drafter.check import rules as check

    lay = SimpleNamespace(date=SimpleNamespace(text="Hà Nội, ngày 5 tháng 1 năm 2020"))
    zeros = [m.message for m in date_line.validate_zeros(lay.date.text)]
    assert len(zeros) == 2
    assert [f.message for f in check.RULES["DATE-ZERO"].check(lay)] == [check._quotes(m) for m in zeros]
    monkeypatch.setattr(date_line, "validate_zeros", lambda text: [Problem("zero 'rule'")])
    monkeypatch.setattr(date_line, "validate_pattern", lambda text: [Problem("pattern 'rule'")])
    assert [f.message for f in check.RULES["DATE-ZERO"].check(lay)] == ["zero «rule»"]
    assert [f.message for f in check.RULES["DATE-FORMAT"].check(lay)] == ["pattern «rule»"]
    issuer = [SimpleNamespace(text="ỦY BAN NHÂN DÂN", bold=True), SimpleNamespace(text="HUYỆN X", bold=True)]
    lay = SimpleNamespace(issuer=issuer, date_year=2026, date_value=dt.date(2026, 1, 5))
    monkeypatch.setattr(reform2025, "validate", lambda **kw: [warning("district")])
    assert [f.message for f in check.RULES["DISTRICT-2025"].check(lay)] == ["district"]


def test_what_the_writer_writes_its_rules_accept():
    for d in (dt.date(2020, 1, 5), dt.date(2020, 2, 29), dt.date(2020, 3, 1), dt.date(2021, 12, 31)):
        assert date_line.validate(date_line.format("Hà Nội", d)) == []
    for t in doctypes.TYPES:
        assert t.abbr is None or t.abbr in doctypes.SYMBOL_ABBREVIATIONS
    assert recipients.validate(kinh_gui=list(recipients.kinh_gui(["A", "B", "C"]).lines),
                               noi_nhan=recipients.noi_nhan_lines(["A"], ["KT"])) == []
    assert body.validate("\n".join(["[1] K"] + ["[a] x"] * 23 + ["[1] L", "[a] y"])) == []
