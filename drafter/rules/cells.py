"""A value from a sheet cell as the text a clerk reads in it.

Batch rows and sheets carry typed values (int, Decimal, date, text); where a text is
wanted (a name, a line of the body, `{{ hang.COT }}` inside a sentence), the value is
written the Vietnamese way, as Excel shows it to a Vietnamese user: `1.234,5`,
`13/12/2019`. A figure or a date key takes the typed value itself, unconverted.

>>> import datetime as dt
>>> from decimal import Decimal
>>> format(Decimal("1234.5")), format(dt.date(2019, 12, 13)), format(8287), format(True)
('1.234,5', '13/12/2019', '8287', 'TRUE')
>>> validate(float("nan"))[0].message
'Ô có giá trị không phải số, ngày hay chữ: nan.'
>>> validate(Decimal("12.5"))
[]
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..errors import Problem
from .numbers import format_number


def format(value: Any) -> str:
    """The cell's text ("" for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def validate(value: Any) -> list[Problem]:
    """A value a sheet reader should never give: a float (Excel's doubles are read
    as exact Decimals), or a number that is not finite."""
    if isinstance(value, float) or (isinstance(value, Decimal) and not value.is_finite()):
        return [Problem(f"Ô có giá trị không phải số, ngày hay chữ: {value}.")]
    return []
