"""Parsers for single spreadsheet cells, as generous as a person reading the file.

Every ``parse_*`` function takes one cell as it comes out of a spreadsheet or CSV
(``str``, ``int``, ``float``, ``datetime``/``date``/``pandas.Timestamp`` or ``None``)
and either

* returns ``None`` for an empty cell or a missing-value marker
  (``""``, ``"-"``, ``"--"``, ``"—"``, ``"/"``, ``"无"``, ``"暂无"``, ``"空"``, ``"N/A"``,
  ``"NA"``, ``"null"``, ``"nan"``, ``"none"``, ``"未知"`` …, NaN, ``pd.NA``, ``NaT``);
* returns the value in the unit of the loan table (:mod:`lib.loans`): CNY, a nominal
  annual fraction, whole months, days, a ``Timestamp``, a method or kind code;
* or raises :class:`ValueProblem`, whose ``code`` names a ``problem.*`` message in
  :mod:`lib.i18n` and whose ``params`` fill it. Nothing else is ever raised.

>>> parse_money("1.2万")
12000.0
>>> parse_rate("日息万五")
0.18
>>> parse_months("剩余12期")
12
>>> try:
...     parse_money("abc")
... except ValueProblem as p:
...     print(p.code, p.params, p.message("en"))
bad_number {'value': 'abc'} Not an amount: “abc”

Rate idioms (docs/model.md): platforms convert a daily rate to a year with 360 days
(日息万五 = 0.05 %/day = 18.00 %/year; 365 on request); 月息2分 = 2 %/month = 24 %/year.
厘 and 分 depend on the period they are quoted for: 1 厘 = 1 % a year, 0.1 % a month,
0.01 % a day; 1 分 = 10 厘 (so 年息1分 = 10 %, 月息2分 = 2 %, 日息5厘 = 0.05 %).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, TypeAlias

import numpy as np
import pandas as pd

from lib.i18n import t
from lib.loans import (
    ANNUITY,
    BANK,
    BULLET,
    CONSUMER_FINANCE,
    CREDIT_CARD,
    EQUAL_PRINCIPAL,
    FLAT_FEE,
    INTEREST_ONLY,
    ONLINE,
    OTHER,
    PRIVATE,
)

__all__ = [
    "COMMON_SURNAMES",
    "KIND_ALIASES",
    "KIND_KEYWORDS",
    "METHOD_ALIASES",
    "PROBLEM_CODES",
    "Cell",
    "RateUnit",
    "ValueProblem",
    "guess_kind",
    "normalise_text",
    "parse_date",
    "parse_days",
    "parse_int",
    "parse_kind",
    "parse_method",
    "parse_money",
    "parse_months",
    "parse_rate",
]

Cell: TypeAlias = str | int | float | datetime | date | pd.Timestamp | None
RateUnit: TypeAlias = Literal["annual", "monthly", "daily"]

# The codes a ValueProblem may carry: each is a "problem.<code>" key of lib.i18n.TEXT.
PROBLEM_CODES: Final = (
    "bad_number",
    "negative",
    "bad_rate",
    "rate_out_of_range",
    "bad_integer",
    "bad_date",
    "bad_method",
    "bad_kind",
    "too_large",  # raised by lib.ingest: an amount above what a loan holds
)


class ValueProblem(ValueError):
    """A cell that cannot be read; ``code`` and ``params`` fill ``problem.<code>``.

    ``params["value"]`` is always the original cell as text.

    >>> p = ValueProblem("rate_out_of_range", value="日息5%", annual="1825.00%")
    >>> p.code, p.params["annual"]
    ('rate_out_of_range', '1825.00%')
    >>> p.message("zh")
    '利率“日息5%”折合年化 1825.00%，超出合理范围（0–1000%）'
    >>> isinstance(p, ValueError)
    True
    """

    def __init__(self, code: str, **params: str) -> None:
        if code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {code!r}")
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __reduce__(self) -> tuple[object, ...]:  # keep pickling/copying working
        return _rebuild_problem, (self.code, self.params)

    def __str__(self) -> str:
        return self.message("en")

    def message(self, lang: str = "zh") -> str:
        """The user-facing message in ``lang`` ("zh" or "en")."""
        return t(f"problem.{self.code}", lang, **self.params)


def _rebuild_problem(code: str, params: dict[str, str]) -> ValueProblem:
    return ValueProblem(code, **params)


# --- text ---------------------------------------------------------------------------

_INVISIBLE: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise_text(s: str) -> str:
    """NFKC-normalise (full-width digits and punctuation become ASCII), drop
    zero-width characters, strip, and collapse runs of whitespace to one space.

    >>> normalise_text("  １２，３４５　元 ")
    '12,345 元'
    >>> normalise_text("等额\\u200b本息\\n（按月）")
    '等额本息 (按月)'
    """
    text = unicodedata.normalize("NFKC", str(s)).translate(_INVISIBLE)
    return " ".join(text.split())


# Missing-value markers, compared after normalise_text + lower().
_MISSING: Final = frozenset(
    {
        "", "无", "暂无", "空", "n/a", "na", "#n/a", "null", "nan", "none", "nil",
        "未知", "不详", "不清楚",
    }
)
_DASHES_ONLY: Final = re.compile(r"[-‐‑‒–—―−~/\\ ]+")
# Longer cells are not a number, a rate or a date a person typed.
_MAX_LEN: Final = 100


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _is_date(value: object) -> bool:
    return isinstance(value, date | np.datetime64)


def _shown(value: object) -> str:
    """The cell as the user would see it (for messages)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _text(value: object) -> str | None:
    """Normalised, lower-cased cell text; None when it is a missing marker."""
    text = normalise_text(value if isinstance(value, str) else _shown(value)).lower()
    if text in _MISSING or _DASHES_ONLY.fullmatch(text):
        return None
    return text


def _real(value: object) -> float | None:
    """The float of a numeric (non-bool) cell, else None. Overflow becomes ±inf."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _integer_cell(value: object) -> int | float | None:
    """An int (exact) or float for numeric cells, else None."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    return _real(value)


# --- numbers ------------------------------------------------------------------------

_PLAIN_NUMBER: Final = re.compile(
    r"(?P<sign>[+-])?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<exp>e[+-]?[0-9]{1,2})?"
)
_SPACE_GROUP: Final = re.compile(r"(?<=[0-9]) (?=[0-9]{3}(?![0-9]))")



def _count_start(value: Cell) -> tuple[str, int | None]:
    """The cell as shown, and its whole number when it already is one (a date is no count)."""
    shown = _shown(value)
    number = _integer_cell(value)
    if number is not None:
        return shown, _whole(number, shown)
    if _is_date(value):
        raise ValueProblem("bad_integer", value=shown)
    return shown, None


def _count_text(value: Cell, shown: str) -> str | None:
    """The cell's text for a count (None when blank); garbage-long text is a problem."""
    text = _text(value)
    if text is not None and len(text) > _MAX_LEN:
        raise ValueProblem("bad_integer", value=shown)
    return text

def _plain_number(text: str) -> Decimal | None:
    """An Arabic number with optional sign, thousands separators (``,`` or a space
    between groups of three) and exponent; None if ``text`` is anything else."""
    text = _SPACE_GROUP.sub(",", text.strip().replace("−", "-"))
    m = _PLAIN_NUMBER.fullmatch(text)
    if m is None:
        return None
    try:
        number = Decimal(m["num"].replace(",", "") + (m["exp"] or ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None
    return -number if m["sign"] == "-" else number


_CN_DIGITS: Final = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_UNITS: Final = {"十": 10, "百": 100, "千": 1000}


def _cn_integer(text: str) -> int | None:
    """十二 → 12, 一百零五 → 105, 二〇二四 → 2024; None if not a Chinese numeral."""
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    if not any(c in _CN_UNITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        else:
            total += (current or 1) * _CN_UNITS[c]
            current = 0
    return total + current


def _number(token: str) -> float | None:
    """An Arabic number or a Chinese numeral (一点五 = 1.5) as float, else None."""
    arabic = _plain_number(token)
    if arabic is not None:
        return float(arabic)
    whole, dot, frac = token.partition("点")
    integer = _cn_integer(whole)
    if integer is None:
        return None
    if not dot:
        return float(integer)
    if not frac or any(c not in _CN_DIGITS for c in frac):
        return None
    return float(f"{integer}.{''.join(str(_CN_DIGITS[c]) for c in frac)}")


# A number token inside a longer text: Arabic or Chinese numerals.
_NUM: Final = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[零〇一二两三四五六七八九十百点]+)"


# --- money --------------------------------------------------------------------------

_CURRENCY: Final = re.compile(r"人民币|rmb|cny|¥|\$")
_YUAN: Final = re.compile(r"元整?|块钱|块|圆|yuan")
_ABOUT: Final = re.compile(r"^(?:约|大约|about|approx\.?|~|≈)")
_MULTIPLIERS: Final = {"亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "w": 1e4, "千": 1e3, "k": 1e3, "百": 1e2}
_MULTIPLIER: Final = re.compile(
    "(" + "|".join(sorted(_MULTIPLIERS, key=len, reverse=True)) + r")$"
)


def parse_money(value: Cell, scale: float = 1.0) -> float | None:
    """An amount in CNY, rounded to the fen.

    ``scale`` multiplies plain numbers (the caller passes 10000 when the column header
    says 万元); a cell that states its own magnitude (万, 千, 亿, k, w) or 元 ignores it.
    Currency marks (¥, RMB, CNY, 人民币), thousands separators and full-width digits are
    accepted; ``(1,234)`` is read as negative, and negatives are refused.

    >>> parse_money("¥1,234.50"), parse_money("1234元"), parse_money("１２，３４５")
    (1234.5, 1234.0, 12345.0)
    >>> parse_money("1.2万"), parse_money("1.2w"), parse_money("3千"), parse_money("1.5k")
    (12000.0, 12000.0, 3000.0, 1500.0)
    >>> parse_money("2亿"), parse_money("12 345"), parse_money("RMB 100")
    (200000000.0, 12345.0, 100.0)
    >>> parse_money(1.2, scale=10000), parse_money("1.2万", scale=10000)
    (12000.0, 12000.0)
    >>> parse_money(12.345), parse_money("--"), parse_money(None)
    (12.35, None, None)
    >>> parse_money("-100")
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Must not be negative: “-100”
    """
    if _is_missing(value):
        return None
    shown = _shown(value)
    number = _real(value)
    if number is not None:
        return _money(number * scale, shown)
    if _is_date(value):
        raise ValueProblem("bad_number", value=shown)
    text = _text(value)
    if text is None:
        return None
    if len(text) > _MAX_LEN:
        raise ValueProblem("bad_number", value=shown)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    text = _ABOUT.sub("", _CURRENCY.sub("", text).strip()).strip()
    explicit = _YUAN.search(text) is not None
    text = _YUAN.sub("", text).strip()
    factor = 1.0
    m = _MULTIPLIER.search(text)
    if m is not None:
        factor, explicit, text = _MULTIPLIERS[m[1]], True, text[: m.start()]
    amount = _plain_number(text)
    if amount is None:
        raise ValueProblem("bad_number", value=shown)
    if negative and amount > 0:
        amount = -amount
    return _money(float(amount) * factor * (1.0 if explicit else scale), shown)


def _money(amount: float, shown: str) -> float:
    if math.isnan(amount) or math.isinf(amount):
        raise ValueProblem("bad_number", value=shown)
    if amount < 0:
        raise ValueProblem("negative", value=shown)
    return round(amount, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


# --- rates --------------------------------------------------------------------------

_NOT_LATIN: Final = r"(?<![a-z])"
_END_LATIN: Final = r"(?![a-z])"
# The period a rate is quoted for, as the text states it.
_PERIOD_WORDS: Final[dict[str, re.Pattern[str]]] = {
    "daily": re.compile(
        rf"日|天|/\s*d(?:ay)?{_END_LATIN}|{_NOT_LATIN}(?:daily|per\s*day|a\s*day|days?|p\.\s*d\.?){_END_LATIN}"
    ),
    "monthly": re.compile(
        rf"月|/\s*m(?:o|th|onth)?{_END_LATIN}"
        rf"|{_NOT_LATIN}(?:monthly|per\s*month|a\s*month|months?|p\.\s*m\.?){_END_LATIN}"
    ),
    "annual": re.compile(
        rf"年|/\s*y(?:r|ear)?{_END_LATIN}|{_NOT_LATIN}(?:annual(?:ly|ised|ized)?|yearly|per\s*(?:year|annum)"
        rf"|a\s*year|years?|apr|apy|p\.?\s*a\.?){_END_LATIN}"
    ),
}
_RATE_FILLER: Final = re.compile(
    r"利率|利息|息费|费率|左右|大约|约|化|率|息|利|每|按|为|是|的|[:=,()\[\]/~≈]|\s+"
    rf"|{_NOT_LATIN}(?:interest|rate|nominal|per|an?|the|at|of|is|about|approx\.?){_END_LATIN}"
)
_ZERO_RATE: Final = frozenset({"免息", "无息", "零息", "不计息", "免费", "interestfree", "interest-free", "free"})
_PERCENT: Final = re.compile(r"(?P<n>[+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(?P<sign>[%‰])")
_OF: Final = re.compile(rf"(?P<base>百|千|万)分之(?P<n>{_NUM})")
_WAN: Final = re.compile(rf"(?P<base>万|千)(?P<n>{_NUM})")
_FEN: Final = re.compile(rf"(?P<fen>{_NUM})分(?:(?P<li>{_NUM})厘|(?P<tail>[0-9零〇一二两三四五六七八九半]))?")
_LI: Final = re.compile(rf"(?P<li>{_NUM})厘")
# One 厘 per period (docs/model.md): 1 % a year, 0.1 % a month, 0.01 % a day; 分 = 10 厘.
_LI_VALUE: Final = {"annual": 0.01, "monthly": 0.001, "daily": 0.0001}


def parse_rate(value: Cell, unit: RateUnit | None = None, day_basis: int = 360) -> float | None:
    """A nominal annual rate as a fraction (0.18 for 18 % a year).

    ``unit`` is the column header's hint ("annual", "monthly", "daily"); the cell's own
    words (年/月/日/天, APR, p.a., /day …) win over it. Daily rates × ``day_basis``
    (360 as platforms quote, 日息万五 = 18 %; or 365), monthly × 12.

    Without any period, ``%`` and bare numbers are annual, 分/厘 are monthly (两分利 =
    月息2分) and 万五 / 万分之五 / 千分之一 are daily (日息万五), unless ``unit`` says
    otherwise. Bare numbers are percentages above a threshold and fractions below it:
    annual > 1, monthly ≥ 0.1, daily ≥ 0.01 (so 18 → 18 %, 0.18 → 18 %).

    >>> parse_rate("18%"), parse_rate("18"), parse_rate(0.18), parse_rate("年化18%")
    (0.18, 0.18, 0.18, 0.18)
    >>> parse_rate("日息万五"), parse_rate("万五", day_basis=365), parse_rate("0.05%/天")
    (0.18, 0.1825, 0.18)
    >>> parse_rate("月息2分"), parse_rate("月息1厘"), parse_rate("一分五"), parse_rate("年息8厘")
    (0.24, 0.012, 0.18, 0.08)
    >>> parse_rate(1.5, unit="monthly"), parse_rate(0.0005, unit="daily")
    (0.18, 0.18)
    >>> parse_rate("日息5%", day_basis=365)
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Rate “日息5%” is 1825.00% a year, outside 0–1000 %
    """
    if unit not in (None, "annual", "monthly", "daily"):
        raise ValueError(f"unit must be annual, monthly, daily or None, not {unit!r}")
    if _is_missing(value):
        return None
    shown = _shown(value)
    number = _real(value)
    if number is not None:
        period = unit or "annual"
        return _annualise(_bare(number, period), period, day_basis, shown)
    if _is_date(value):
        raise ValueProblem("bad_rate", value=shown)
    text = _text(value)
    if text is None:
        return None
    if len(text) > _MAX_LEN:
        raise ValueProblem("bad_rate", value=shown)
    stated: set[str] = set()
    for period, pattern in _PERIOD_WORDS.items():
        if pattern.search(text):
            stated.add(period)
            text = pattern.sub(" ", text)
    if len(stated) > 1:
        raise ValueProblem("bad_rate", value=shown)
    given = stated.pop() if stated else unit
    if re.sub(r"\s+", "", text) in _ZERO_RATE:
        return 0.0
    quantity = _RATE_FILLER.sub("", text)
    found = _rate_quantity(quantity, given)
    if found is None:
        raise ValueProblem("bad_rate", value=shown)
    fraction, period = found
    return _annualise(fraction, period, day_basis, shown)


def _rate_quantity(q: str, given: str | None) -> tuple[float, str] | None:
    """(fraction per period, period) of a rate text stripped of its period words."""
    if m := _PERCENT.fullmatch(q):
        period = given or "annual"
        return float(m["n"]) / (100 if m["sign"] == "%" else 1000), period
    if m := _OF.fullmatch(q):
        n = _number(m["n"])
        base = {"百": 100, "千": 1000, "万": 10000}[m["base"]]
        period = given or ("annual" if base == 100 else "daily")
        return (None if n is None else (n / base, period))
    if m := _WAN.fullmatch(q):
        n = _number(m["n"])
        return None if n is None else (n / (10000 if m["base"] == "万" else 1000), given or "daily")
    if m := _FEN.fullmatch(q):
        period = given or "monthly"
        fen = _number(m["fen"])
        li = _number(m["li"] or ("5" if m["tail"] == "半" else m["tail"]) or "0")
        if fen is None or li is None:
            return None
        return (fen * 10 + li) * _LI_VALUE[period], period
    if m := _LI.fullmatch(q):
        period = given or "monthly"
        li = _number(m["li"])
        return None if li is None else (li * _LI_VALUE[period], period)
    bare = _plain_number(q) if q else None
    if bare is None:
        bare_cn = _number(q) if q and q[0] not in "+-" else None
        if bare_cn is None:
            return None
        bare = Decimal(str(bare_cn))
    period = given or "annual"
    return _bare(float(bare), period), period


def _bare(n: float, period: str) -> float:
    """A number without % sign: a percentage at or above the period's threshold."""
    size = abs(n)
    percent = size > 1 if period == "annual" else size >= (0.1 if period == "monthly" else 0.01)
    return n / 100 if percent else n


def _annualise(fraction: float, period: str, day_basis: int, shown: str) -> float:
    per_year = {"annual": 1, "monthly": 12, "daily": day_basis}[period]
    annual = fraction * per_year
    if math.isnan(annual):
        raise ValueProblem("bad_rate", value=shown)
    if not 0 <= annual <= 10:
        raise ValueProblem("rate_out_of_range", value=shown, annual=f"{annual * 100:.2f}%")
    return round(annual, 10) + 0.0


# --- whole numbers ------------------------------------------------------------------


def _whole(number: int | float | Decimal, shown: str) -> int:
    """``number`` as a non-negative int, or the right ValueProblem."""
    if isinstance(number, float) and math.isnan(number):
        raise ValueProblem("bad_integer", value=shown)
    if number < 0:
        raise ValueProblem("negative", value=shown)
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        raise ValueProblem("bad_integer", value=shown)
    if isinstance(number, Decimal) and number != number.to_integral_value():
        raise ValueProblem("bad_integer", value=shown)
    return int(number)


def parse_int(value: Cell) -> int | None:
    """A count: a non-negative whole number.

    >>> parse_int("12"), parse_int("12.0"), parse_int(12.0), parse_int("１２"), parse_int("十二")
    (12, 12, 12, 12, 12)
    >>> parse_int("12.5")
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Not a whole number: “12.5”
    """
    if _is_missing(value):
        return None
    shown, whole = _count_start(value)
    if whole is not None:
        return whole
    text = _count_text(value, shown)
    if text is None:
        return None
    parsed = _plain_number(text)
    if parsed is None:
        cn = _cn_integer(text)
        if cn is None:
            raise ValueProblem("bad_integer", value=shown)
        return cn
    return _whole(parsed, shown)


def _sum_units(text: str, units: Mapping[str, float], default: float) -> float | None:
    """Add up ``<number><unit>`` parts (1年6个月); a bare number (``default`` unit)
    may only come last. None if ``text`` is anything else."""
    pattern = re.compile(
        rf"({_NUM})\s*(" + "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True)) + ")?\\s*"
    )
    pos, total = 0, 0.0
    while pos < len(text):
        m = pattern.match(text, pos)
        if m is None or (m[2] is None and m.end() != len(text)):
            return None
        n = _number(m[1])
        if n is None:
            return None
        total += n * (units[m[2]] if m[2] else default)
        pos = m.end()
    return total if text else None


def _signed_units(text: str, units: Mapping[str, float], default: float, shown: str) -> int | None:
    """:func:`_sum_units` with a leading sign, as a whole number (None: not understood)."""
    negative = text[:1] in ("-", "−")
    body = text[1:].strip() if text[:1] in ("-", "−", "+") else text
    total = _sum_units(body, units, default)
    if total is None:
        return None
    if negative and total > 0:
        raise ValueProblem("negative", value=shown)
    if not math.isfinite(total) or abs(total - round(total)) > 1e-9:
        raise ValueProblem("bad_integer", value=shown)
    return int(round(total))


_MONTH_UNITS: Final = {
    "年": 12, "years": 12, "year": 12, "yrs": 12, "yr": 12, "y": 12,
    "个月": 1, "月": 1, "期": 1, "months": 1, "month": 1, "mos": 1, "mo": 1, "m": 1,
}
_MONTH_FILLER: Final = re.compile(
    r"剩余|剩下|还剩|尚余|还有|剩|余|共计|总共|共|总计|总|合计|大约|约|还款期数|还款期|期数|期限|[:()]|\s+"
    rf"|{_NOT_LATIN}(?:remaining|left|about|approx\.?|total){_END_LATIN}"
)


def parse_months(value: Cell) -> int | None:
    """A number of months: 12, 12期, 12个月, 剩余12期, 1年 (12), 1.5年 / 一年半 (18),
    1年6个月 (18), 2 years, 36 months; "3/12" (3 of 12 left) → 3.

    >>> parse_months("12期"), parse_months("剩余12个月"), parse_months("1.5年"), parse_months("一年半")
    (12, 12, 18, 18)
    >>> parse_months("2 years"), parse_months("36 months"), parse_months("3/12"), parse_months(12.0)
    (24, 36, 3, 12)
    >>> parse_months("1.3年")
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Not a whole number: “1.3年”
    """
    if _is_missing(value):
        return None
    shown, whole = _count_start(value)
    if whole is not None:
        return whole
    text = _count_text(value, shown)
    if text is None:
        return None
    text = _MONTH_FILLER.sub("", re.sub(rf"{_NOT_LATIN}of{_END_LATIN}", "/", text))
    text = re.sub(r"^半年", "6个月", text.replace("年半", "年6个月"))
    left, slash, total = text.partition("/")
    if slash:
        part = _signed_units(left, _MONTH_UNITS, 1, shown)
        whole = _signed_units(total, _MONTH_UNITS, 1, shown)
        if part is None or whole is None or part > whole:
            raise ValueProblem("bad_integer", value=shown)
        return part
    months = _signed_units(text, _MONTH_UNITS, 1, shown)
    if months is None:
        raise ValueProblem("bad_integer", value=shown)
    return months


_NOT_OVERDUE: Final = frozenset(
    {
        "否", "无", "没有", "未", "未逾期", "没逾期", "无逾期", "不逾期", "正常", "正常还款", "按时还款",
        "no", "none", "n", "false", "not overdue", "current",
    }
)
_DAY_UNITS: Final = {
    "天": 1, "日": 1, "days": 1, "day": 1, "d": 1,
    "周": 7, "星期": 7, "weeks": 7, "week": 7, "w": 7,
    "个月": 30, "月": 30, "months": 30, "month": 30,
    "年": 365, "years": 365, "year": 365,
}
_DAY_FILLER: Final = re.compile(
    r"已经|已逾期|逾期|已超期|超期|已|拖欠|欠款|大约|约|以上|多|[:()+]|\s+"
    rf"|{_NOT_LATIN}(?:overdue|late|past\s*due|about|approx\.?|more|than|over){_END_LATIN}"
)
# Collection-industry buckets: M1 = 1–30 days overdue, M2 = 31–60, M3 = 61–90, M3+ = over 90.
# A bucket is read as its upper bound (M1 → 30, M2 → 60, M3 → 90) and an open bucket
# (M3+) as its lower bound, 90. M0 means not overdue.
_BUCKET: Final = re.compile(r"m([0-9]{1,2})\+?")


def parse_days(value: Cell) -> int | None:
    """Days overdue: 30, 30天, 逾期30天, 45 days, 否/无/未逾期/正常/no/none → 0.

    Collection buckets read as their upper bound — M1 → 30, M2 → 60, M3 → 90 — and the
    open bucket M3+ as 90 (its lower bound). 2个月 counts 30 days a month, 1年 365 days;
    "90天以上" / "30+" count the stated bound.

    >>> parse_days("逾期30天"), parse_days("45 days"), parse_days("未逾期"), parse_days("无")
    (30, 45, 0, 0)
    >>> parse_days("M1"), parse_days("M2"), parse_days("M3+"), parse_days(30.0)
    (30, 60, 90, 30)
    """
    if _is_missing(value):
        return None
    shown, whole = _count_start(value)
    if whole is not None:
        return whole
    raw = normalise_text(value if isinstance(value, str) else shown).lower()
    if raw in _NOT_OVERDUE:
        return 0
    text = _count_text(value, shown)
    if text is None:
        return None
    text = _DAY_FILLER.sub("", text)
    if text in _NOT_OVERDUE:
        return 0
    if m := _BUCKET.fullmatch(text):
        return 30 * int(m[1])
    days = _signed_units(text, _DAY_UNITS, 1, shown)
    if days is None:
        raise ValueProblem("bad_integer", value=shown)
    return days


# --- dates --------------------------------------------------------------------------

_EXCEL_EPOCH: Final = pd.Timestamp("1899-12-30")
_SERIAL_RANGE: Final = (20000, 73415)  # 1954-10-03 … 2100-12-31
_YEAR_RANGE: Final = (1950, 2100)  # as lib.scenario.Loan.start_date (a loan date outside is a typo)
_TIME: Final = r"(?:[ t]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_YMD: Final = re.compile(
    r"(?P<y>[0-9]{4}) ?[-/.年] ?(?P<m>[0-9]{1,2}) ?[-/.月] ?(?P<d>[0-9]{1,2}) ?[日号]?" + _TIME
)
_YM: Final = re.compile(r"(?P<y>[0-9]{4}) ?[-/.年] ?(?P<m>[0-9]{1,2}) ?月?")
_COMPACT: Final = re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})?")
_NUMERIC_DMY: Final = re.compile(r"(?P<a>[0-9]{1,2}) ?[-/.] ?(?P<b>[0-9]{1,2}) ?[-/.] ?(?P<y>[0-9]{4})" + _TIME)
_SERIAL: Final = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_WORD_MONTH_FORMATS: Final = ("%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y")


def _day(year: int, month: int, day: int, shown: str) -> pd.Timestamp:
    if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
        raise ValueProblem("bad_date", value=shown)
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        raise ValueProblem("bad_date", value=shown) from None


def _serial(number: float, shown: str) -> pd.Timestamp:
    if not (math.isfinite(number) and _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]):
        raise ValueProblem("bad_date", value=shown)
    return _EXCEL_EPOCH + pd.Timedelta(days=math.floor(number))


def parse_date(value: Cell) -> pd.Timestamp | None:
    """A calendar day (time of day and time zone are dropped).

    Text is read year first, as Chinese files write it: 2024-03-15, 2024/3/15,
    2024.3.15, 2024年3月15日, 20240315; 2024-03, 2024年3月 and 202403 mean the 1st.
    Day-month orders are accepted only when unambiguous (3/15/2024, 15/3/2024), and
    English month names (15 Mar 2024). Numbers between 20000 and 73415 (1954 … 2100) are Excel
    serial days (epoch 1899-12-30); 8-digit numbers are yyyymmdd.

    >>> parse_date("2024年3月15日")
    Timestamp('2024-03-15 00:00:00')
    >>> parse_date(45366) == parse_date("2024/3/15") == parse_date("3/15/2024") == pd.Timestamp("2024-03-15")
    True
    >>> parse_date("2024-03")
    Timestamp('2024-03-01 00:00:00')
    >>> parse_date("3/4/2024")
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Not a date: “3/4/2024”
    """
    if _is_missing(value):
        return None
    shown = _shown(value)
    if _is_date(value):
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, OverflowError):
            raise ValueProblem("bad_date", value=shown) from None
        return _day(stamp.year, stamp.month, stamp.day, shown)
    number = _real(value)
    if number is not None:
        if math.isfinite(number) and number.is_integer() and (
            100_000 <= number <= 999_999 or 10_000_000 <= number <= 99_999_999
        ):  # yyyymm, yyyymmdd
            return _date_text(str(int(number)), shown)
        return _serial(number, shown)
    text = _text(value)
    if text is None:
        return None
    return _date_text(text, shown)


def _date_text(text: str, shown: str) -> pd.Timestamp:
    if len(text) > _MAX_LEN:
        raise ValueProblem("bad_date", value=shown)
    for pattern in (_YMD, _COMPACT):
        if m := pattern.fullmatch(text):
            return _day(int(m["y"]), int(m["m"]), int(m["d"] or 1), shown)
    if m := _YM.fullmatch(text):
        return _day(int(m["y"]), int(m["m"]), 1, shown)
    if m := _NUMERIC_DMY.fullmatch(text):
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b:
            return _day(int(m["y"]), b, a, shown)
        if b > 12 >= a:
            return _day(int(m["y"]), a, b, shown)
        raise ValueProblem("bad_date", value=shown)
    if _SERIAL.fullmatch(text):
        return _serial(float(text), shown)
    for fmt in _WORD_MONTH_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _day(parsed.year, parsed.month, parsed.day, shown)
    raise ValueProblem("bad_date", value=shown)


# --- methods and kinds --------------------------------------------------------------

METHOD_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    ANNUITY: (
        "等额本息", "等额还款", "按月等额", "等额", "等额本息还款", "annuity", "emi",
        "equal instalment", "equal instalments", "equal installment", "equal installments",
        "equal payment", "equal payments", "equal monthly payment", "equal monthly payments",
        "equal principal and interest", "equal principal & interest",
    ),
    EQUAL_PRINCIPAL: ("等额本金", "等本", "等额本金还款", "equal principal", "equal_principal"),
    INTEREST_ONLY: (
        "先息后本", "按月付息到期还本", "按月付息", "每月付息到期还本", "每月付息", "付息还本",
        "按月还息", "每月还息", "interest only", "interest-only", "interest_only",
    ),
    BULLET: (
        "一次性还本付息", "到期一次还本付息", "到期还本付息", "一次性还款", "到期一次性还款", "利随本清",
        "bullet", "lump sum", "lump-sum", "balloon", "pay at maturity", "at maturity",
    ),
    FLAT_FEE: (
        "等本等息", "手续费分期", "分期手续费", "每期手续费", "固定手续费", "账单分期", "信用卡分期",
        "flat", "flat fee", "flat rate", "fixed fee", "flat_fee",
    ),
}

KIND_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    ONLINE: (
        "网贷", "网络贷款", "网络借贷", "互联网贷款", "小贷", "小额贷款", "网贷平台", "网络小贷",
        "online", "online loan", "app", "p2p",
    ),
    CONSUMER_FINANCE: ("消费金融", "消金", "消费金融公司", "consumer finance", "consumer_finance"),
    CREDIT_CARD: ("信用卡", "信用卡分期", "卡", "credit card", "card", "credit_card"),
    BANK: ("银行", "银行贷款", "信用贷", "经营贷", "消费贷", "房贷", "抵押贷", "bank", "bank loan"),
    PRIVATE: (
        "民间借贷", "民间", "私人", "个人借款", "个人", "亲友", "朋友", "借条",
        "private", "private loan", "personal", "family", "friend", "friends", "family/friend",
    ),
    OTHER: ("其他", "其它", "other", "others"),
}
# When a cell names two kinds (银行信用卡), the first of these wins.
_KIND_PRIORITY: Final = (CREDIT_CARD, CONSUMER_FINANCE, BANK, PRIVATE, ONLINE, OTHER)


def _key(text: str) -> str:
    """Case-, width-, space- and punctuation-insensitive form for alias lookup."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PSZC")


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def _alias_table(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): code for code, names in aliases.items() for alias in names}


_METHOD_TABLE: Final = _alias_table(METHOD_ALIASES)
_KIND_TABLE: Final = _alias_table(KIND_ALIASES)


def _lookup(value: Cell, table: Mapping[str, str], code: str) -> set[str] | None:
    """The codes whose aliases the cell names: an exact alias, or failing that every
    alias it contains (CJK of 2+ characters or 4+ letters) that is not part of a
    longer alias it also contains. None for a missing cell."""
    if _is_missing(value):
        return None
    shown = _shown(value)
    if len(shown) > 4 * _MAX_LEN and shown.strip():  # (before the work below, which grows with it)
        raise ValueProblem(code, value=shown)
    if _text(value) is None:
        return None
    key = _key(shown)
    if key in table:
        return {table[key]}
    found = [a for a in table if (len(a) >= 4 or (_has_cjk(a) and len(a) >= 2)) and a in key]
    found = [a for a in found if not any(a != b and a in b for b in found)]
    if not found or len(shown) > _MAX_LEN:
        raise ValueProblem(code, value=shown)
    return {table[a] for a in found}


def parse_method(value: Cell) -> str | None:
    """A repayment method code of :data:`lib.loans.METHODS`.

    Case, width, space and punctuation do not matter; a longer text is understood if
    it names exactly one method (等额本息（按月） → annuity).

    >>> parse_method("等额本息"), parse_method("Equal Principal"), parse_method("先息后本")
    ('annuity', 'equal_principal', 'interest_only')
    >>> parse_method("到期一次还本付息"), parse_method("信用卡分期"), parse_method(" EMI ")
    ('bullet', 'flat_fee', 'annuity')
    >>> parse_method("等额本息/等额本金")
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Unknown repayment method: “等额本息/等额本金” (use annuity, equal principal, interest only, bullet or flat fee)
    """
    codes = _lookup(value, _METHOD_TABLE, "bad_method")
    if codes is None:
        return None
    if len(codes) > 1:
        raise ValueProblem("bad_method", value=_shown(value))
    return codes.pop()


def parse_kind(value: Cell) -> str | None:
    """A lender kind code of :data:`lib.loans.KINDS`.

    When a text names two kinds the more specific wins, in the order credit card,
    consumer finance, bank, private, online, other (银行信用卡 → credit_card).

    >>> parse_kind("网贷"), parse_kind("消金"), parse_kind("卡"), parse_kind("Bank Loan")
    ('online', 'consumer_finance', 'credit_card', 'bank')
    >>> parse_kind("亲友"), parse_kind("其他"), parse_kind("银行信用卡")
    ('private', 'other', 'credit_card')
    """
    codes = _lookup(value, _KIND_TABLE, "bad_kind")
    if codes is None:
        return None
    return next(k for k in _KIND_PRIORITY if k in codes)


# Lender name keywords → kind, tried in this order (credit cards before banks, the
# 360借条 brand before the private 借条). A name matching nothing is a 网贷 platform.
KIND_KEYWORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (CREDIT_CARD, ("信用卡", "credit card", "creditcard", "card")),
    (
        ONLINE,
        (
            "借呗", "花呗", "微粒贷", "金条", "白条", "美团", "360借条", "奇富", "分期乐", "安逸花",
            "度小满", "有钱花", "省呗", "拍拍贷", "小赢", "宜人", "洋钱罐", "众安", "平安普惠",
        ),
    ),
    (
        CONSUMER_FINANCE,
        (
            "招联", "马上消费", "中银消费", "兴业消费", "捷信", "中邮消费", "苏宁消费", "哈银消费",
            "海尔消费", "杭银消费", "尚诚", "湖北消费", "锦程", "长银", "消费金融", "消金",
        ),
    ),
    (BANK, ("银行", "bank")),
    (PRIVATE, ("个人", "朋友", "亲戚", "同事", "老乡", "借条", "同学", "家人", "先生", "女士")),
)
# The ~30 most common Chinese surnames: a 2–3 character name starting with one is a person.
COMMON_SURNAMES: Final = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹"
_PERSON_NAME: Final = re.compile(r"[\u4e00-\u9fff]{2,3}")


def guess_kind(lender: str) -> str:
    """The likely kind of a lender from its name (the caller marks it derived).

    >>> guess_kind("蚂蚁借呗"), guess_kind("招联金融"), guess_kind("招商银行信用卡")
    ('online', 'consumer_finance', 'credit_card')
    >>> guess_kind("工商银行"), guess_kind("张三"), guess_kind("360借条"), guess_kind("某某贷")
    ('bank', 'private', 'online', 'online')
    """
    if not isinstance(lender, str):
        return ONLINE
    name = normalise_text(lender).lower()
    for kind, keywords in KIND_KEYWORDS:
        if any(k in name for k in keywords):
            return kind
    if _PERSON_NAME.fullmatch(name) and name[0] in COMMON_SURNAMES:
        return PRIVATE
    return ONLINE
