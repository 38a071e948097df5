"""Display formats: CNY with thousands separators, percents, months as YYYY-MM, moments to the minute.

>>> money(1234567.891), money(-50), money(float("nan"))
('¥1,234,567.89', '-¥50.00', '—')
>>> money(12345.6, decimals=0)
'¥12,346'
>>> pct(0.18), pct(0.13575, 2)
('18.00%', '13.58%')
>>> month_label("2026-11-28", 3)
'2027-02'
>>> print(md_escape("[click](http://x) <b>"))
\\[click\\]\\(http\\://x\\) \\<b\\>
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def money(x: float | None, decimals: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    sign = "-" if x < 0 else ""
    return f"{sign}¥{abs(x):,.{decimals}f}"


def pct(x: float | None, decimals: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{decimals}f}%"


def month_label(start: str | pd.Timestamp, offset: int) -> str:
    """The calendar month ``offset`` months after ``start``, as YYYY-MM."""
    return (pd.Timestamp(start).to_period("M") + offset).strftime("%Y-%m")


def stamp(when: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """A moment (an aware datetime) as YYYY-MM-DD HH:MM in ``tz``, by default this computer's zone.

    >>> stamp(dt.datetime(2031, 1, 5, 9, 30, tzinfo=dt.UTC), dt.timezone(dt.timedelta(hours=8)))
    '2031-01-05 17:30'
    """
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def md_escape(text: object) -> str:
    """Escape user text for Streamlit markdown so it shows literally: no links, no HTML."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
