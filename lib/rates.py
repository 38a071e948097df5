"""Rates: unit conversions, the real APR (IRR method), the LPR table and legal yardsticks.

Everything here is informational, not legal advice; every flag carries its source.

Real APR (实际年化利率)
    中国人民银行公告〔2021〕第3号 (2021-03-31): the annualised rate shown to borrowers must
    count all interest and fees over the principal actually in use, computed with the
    IRR method. Cash flow 0 = money actually received (loan minus fees deducted up
    front, 砍头息), then every payment. With the monthly IRR ``r`` we report the nominal
    rate ``12·r`` (the announcement's annualisation, and what the yardsticks compare)
    and the effective rate ``(1 + r)**12 − 1``. Irregular dates: :func:`xirr`.

Loan Prime Rate (LPR, 贷款市场报价利率)
    The one-year LPR is published by the National Interbank Funding Center, authorised
    by the People's Bank of China, on the 20th of each month (next business day on a
    holiday) since 2019-08-20. ``data/lpr.csv`` keeps the dates it *changed* (header
    ``date,lpr_1y``, percent); users append new rows from the monthly announcements at
    www.chinamoney.com.cn or www.pbc.gov.cn. See :func:`load_lpr`.

Legal yardsticks (:func:`yardstick`, :func:`complaint_point`, :func:`legal_caps`)
    Kept as data in ``data/yardsticks.csv`` (:func:`load_yardsticks`), one line per rule with
    its document number and date and how firm it is:

    * Licensed lenders (banks, consumer-finance and microloan companies, card issuers,
      online platforms): 最高人民法院《关于进一步加强金融审判工作的若干意见》法发〔2017〕22号
      (2017-08-04) — courts cut total cost above 24 %/year when the borrower objects;
      《关于规范整顿"现金贷"业务的通知》整治办函〔2017〕141号 (2017-12-01), keeping the 36 %
      line of 法释〔2015〕18号 (2015-08-06) — above 36 % is beyond any protection.
      法释〔2020〕27号 (2020-12-29) says licensed financial institutions are outside the
      private-lending 4 × LPR rule.
    * Private lending (民间借贷): 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》
      法释〔2020〕17号 (2020-12-29 revision; the 4 × LPR cap has applied since 2020-08-20,
      法释〔2020〕6号) — art. 25: protected interest is capped at 4 × the one-year LPR when the
      contract was made; art. 31: for contracts made before 2020-08-20, interest up to
      2020-08-19 follows the 2015 rule (法释〔2015〕18号: ≤ 24 % protected, 24–36 % not
      enforced but not refunded, > 36 % void) and interest from 2020-08-20 on the rule at
      filing, i.e. 4 × the LPR then (here: on the day judged, ``as_of``).
    * Caps on *new* loans set by regulators, above which a loan is a complaint point:
      bank internet-assisted lending (金规〔2025〕9号, in force 2025-10-01: credit-enhancement
      fees count in the total cost; 24 % by its reading with 法发〔2017〕22号), microloan
      companies (《小额贷款公司综合融资成本管理工作指引》, reported 2025-12-24: 24 %, towards
      4 × LPR by the end of 2027), consumer-finance companies (window guidance reported for
      new loans after Q1 2026). Their confidence is in the file.

>>> round(daily_to_annual(0.0005), 4)  # 日息万五
0.18
>>> nominal, effective = irr_apr(99000, [8833.3] * 12)  # 100,000 less a 1,000 fee up front
>>> f"{nominal:.2%} {effective:.2%}"
'12.80% 13.58%'
>>> yardstick("online", nominal).level
'green'
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy_financial as npf
import pandas as pd

from lib.datafile import cached, read_checked, stamp
from lib.loans import KINDS, OTHER
from lib.schedules import loan_cashflows

# --- the court lines' figures (the lines themselves, with their sources, are data/yardsticks.csv) ---
LIMIT_24: Final = 0.24  # 法发〔2017〕22号 / 法释〔2015〕18号 art. 26
LIMIT_36: Final = 0.36  # 整治办函〔2017〕141号 / 法释〔2015〕18号 art. 26
LPR_MULTIPLE: Final = 4  # 法释〔2020〕17号 art. 25
LPR_START: Final = date(2019, 8, 20)  # first reformed one-year LPR
LEVELS: Final = ("green", "orange", "red", "unknown")

DEFAULT_LPR_PATH: Final = Path(__file__).resolve().parents[1] / "data" / "lpr.csv"
DEFAULT_YARDSTICKS_PATH: Final = Path(__file__).resolve().parents[1] / "data" / "yardsticks.csv"

_EPS: Final = 1e-12  # float noise only; 0.2400001 is above 24 %
# npf.irr finds the roots of a degree-n polynomial (O(n³)): ~1 ms at 60 months, ~0.3 s at
# 360. Beyond this many payments bisection alone is used (same root, ~1 ms).
_NPF_IRR_MAX: Final = 120


# --- conversions ---------------------------------------------------------------------
def daily_to_annual(d: float, day_basis: int = 360) -> float:
    """Daily rate → nominal annual rate. Platforms use a 360-day year.

    >>> round(daily_to_annual(0.0005), 4)  # 日息万五 = 18 % a year
    0.18
    >>> round(daily_to_annual(0.0005, day_basis=365), 4)
    0.1825
    """
    if day_basis <= 0:
        raise ValueError(f"day_basis must be positive, got {day_basis!r}")
    return d * day_basis


def annual_to_daily(a: float, day_basis: int = 360) -> float:
    """Nominal annual rate → daily rate (360-day year unless told otherwise).

    >>> round(annual_to_daily(0.18), 6)  # 18 % a year = 万五 a day
    0.0005
    """
    if day_basis <= 0:
        raise ValueError(f"day_basis must be positive, got {day_basis!r}")
    return a / day_basis


def monthly_to_annual(m: float) -> float:
    """Monthly rate → nominal annual rate.

    >>> round(monthly_to_annual(0.02), 4)  # 月息2分 = 24 % a year
    0.24
    """
    return m * 12


def nominal_to_effective(a: float) -> float:
    """Nominal annual rate compounded monthly → effective annual rate, ``(1 + a/12)**12 − 1``.

    >>> round(nominal_to_effective(0.12), 6)
    0.126825
    """
    return (1 + a / 12) ** 12 - 1


# --- root finding --------------------------------------------------------------------
def _bisect(f: Callable[[float], float], lo: float, hi: float, *, tol: float = 1e-15) -> float:
    """A root of ``f`` in ``[lo, hi]``, where ``f(lo)`` and ``f(hi)`` differ in sign."""
    flo, fhi = f(lo), f(hi)
    if flo == 0:
        return lo
    if fhi == 0:
        return hi
    if (flo > 0) == (fhi > 0) or math.isnan(flo) or math.isnan(fhi):
        raise ValueError(f"no rate in [{lo}, {hi}] makes the cash flows balance")
    for _ in range(400):
        mid = (lo + hi) / 2
        fm = f(mid)
        if fm == 0 or hi - lo <= tol * max(1.0, abs(mid)):
            return mid
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def _npv_sign(rate: float, flows: np.ndarray, times: np.ndarray) -> float:
    """``Σ flows·(1+rate)**-times`` up to a positive factor, safe from overflow.

    For ``rate < 0`` the sum is multiplied by ``(1+rate)**max(times)`` so that no
    power exceeds 1.
    """
    base = 1.0 + rate
    if rate >= 0:
        return float(np.sum(flows * base ** (-times)))
    return float(np.sum(flows * base ** (times.max() - times)))


def irr_apr(received: float, payments: Sequence[float]) -> tuple[float, float]:
    """Real APR of a loan paid monthly: ``(12·r, (1+r)**12 − 1)``, ``r`` the monthly IRR.

    ``r`` solves ``−received + Σ payments[k]/(1+r)**(k+1) = 0`` (PBoC 〔2021〕第3号, IRR
    method). Solved with ``numpy_financial.irr``; when it finds no root (or for more
    than 120 payments, where it is slow), by bisection over ``r ∈ (−0.99, 10)``.
    Raises ``ValueError`` when nothing was received, no payment is positive, or the
    rate lies outside that bracket.

    Worked checks (docs/model.md): 100,000 borrowed with 1,000 deducted up front and
    12 × 8,833.3 repaid; 12,000 in 12 instalments with a flat fee of 1 %/month
    (12 × 1,120) and of 0.6 %/month (12 × 1,072).

    >>> [f"{x:.2%}" for x in irr_apr(99000, [8833.3] * 12)]
    ['12.80%', '13.58%']
    >>> [f"{x:.2%}" for x in irr_apr(12000, [1120] * 12)]
    ['21.46%', '23.70%']
    >>> [f"{x:.2%}" for x in irr_apr(12000, [1072] * 12)]
    ['13.03%', '13.84%']
    """
    flows = np.asarray(payments, dtype="float64")
    if not received > 0:
        raise ValueError(f"the money received must be positive, got {received!r}")
    if flows.size == 0 or np.isnan(flows).any() or not (flows > 0).any():
        raise ValueError("the payments must be numbers, at least one of them positive")
    values = np.concatenate([[-float(received)], flows])
    times = np.arange(values.size, dtype="float64")
    r = math.nan
    if flows.size <= _NPF_IRR_MAX:
        with np.errstate(all="ignore"):
            r = float(npf.irr(values))
    scale = float(np.abs(values).sum())
    ok = math.isfinite(r) and -0.99 < r < 10
    if ok:
        with np.errstate(all="ignore"):
            ok = abs(float(np.sum(values * (1 + r) ** (-times)))) <= 1e-9 * scale
    if not ok:
        r = _bisect(lambda x: _npv_sign(x, values, times), -0.99, 10.0)
    return 12 * r, (1 + r) ** 12 - 1


def level_irr(pv: np.ndarray, pay: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The monthly rate at which ``n`` payments of ``pay`` are worth ``pv`` (vectorised bisection
    on [0, 10]; NaN where even 0 % does not repay it). ``numpy_financial.rate`` on arrays gives up
    on every loan when one does not converge.

    >>> level_irr(np.array([12000.0, 100.0]), np.array([1120.0, 1.0]), np.array([12.0, 12.0])).round(6).tolist()
    [0.017881, nan]
    """
    def value(r: np.ndarray) -> np.ndarray:  # what the payments are worth at r, less pv
        return pay * -np.expm1(-n * np.log1p(r)) / r - pv

    lo, hi = np.full(len(pv), 1e-12), np.full(len(pv), 10.0)
    ok = value(lo) >= 0
    for _ in range(42):  # 10 / 2**42 ≈ 2e-12 a month: far below a fen's worth
        mid = (lo + hi) / 2
        up = value(mid) > 0
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    return np.where(ok, (lo + hi) / 2, np.nan)


def xirr(cashflows: Sequence[tuple[Any, float]]) -> float:
    """Annual effective rate of dated cash flows, as spreadsheets' ``XIRR``.

    Solves ``Σ cf / (1+x)**(days/365) = 0``, ``days`` counted from the earliest date,
    by bisection (the bracket grows up to 10**9 for short, costly loans). Raises
    ``ValueError`` unless there is money both ways.

    >>> round(xirr([("2024-01-01", -10000), ("2024-12-31", 10500)]), 10)  # 365 days
    0.05
    >>> round(xirr([("2023-01-01", -100), ("2025-01-01", 121)]), 4)  # 731 days
    0.0999
    """
    if len(cashflows) < 2:
        raise ValueError("xirr needs at least two cash flows")
    when = pd.to_datetime([d for d, _ in cashflows])
    if when.isna().any():
        raise ValueError("every cash flow needs a date")
    flows = np.asarray([float(cf) for _, cf in cashflows], dtype="float64")
    if np.isnan(flows).any() or not ((flows > 0).any() and (flows < 0).any()):
        raise ValueError("xirr needs money going both ways")
    times = np.asarray((when - when.min()).days, dtype="float64") / 365.0

    def f(x: float) -> float:
        return _npv_sign(x, flows, times)

    lo, hi = -1 + 1e-9, 1.0
    while (f(lo) > 0) == (f(hi) > 0) and hi < 1e9:
        hi *= 10
    return _bisect(f, lo, hi)


# --- LPR -----------------------------------------------------------------------------
def load_lpr(path: str | Path | None = None) -> pd.DataFrame:
    """The one-year LPR history: columns ``date`` (effective date) and ``lpr_1y`` (percent).

    Reads ``data/lpr.csv`` at the repository root unless ``path`` is given; the file is
    meant to be updated by the user (one row per change). Rows are sorted by date; a
    repeated date keeps its last row.

    >>> t = load_lpr()
    >>> str(t["date"].iloc[0].date()), float(t["lpr_1y"].iloc[0])
    ('2019-08-20', 4.25)
    """
    path = Path(path) if path is not None else DEFAULT_LPR_PATH
    raw = pd.read_csv(path, dtype=str, skipinitialspace=True)
    missing = {"date", "lpr_1y"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: the LPR table lacks columns {sorted(missing)}")
    dates = pd.to_datetime(raw["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    values = pd.to_numeric(raw["lpr_1y"], errors="coerce")
    bad = dates.isna() | values.isna() | (values <= 0) | (values >= 100)
    if bad.any():
        rows = (raw.index[bad] + 2).tolist()  # header = line 1
        raise ValueError(f"{path}: unreadable LPR rows on lines {rows} (want YYYY-MM-DD,percent)")
    if raw.empty:
        raise ValueError(f"{path}: the LPR table is empty")
    table = pd.DataFrame({"date": dates.astype("datetime64[ns]"), "lpr_1y": values.astype("float64")})
    table = table.sort_values("date", kind="stable").drop_duplicates("date", keep="last")
    return table.reset_index(drop=True)


def _as_date(when: Any) -> date | None:
    """A ``datetime.date`` from a date-like value; None for None/NaT/NaN/empty."""
    if when is None or (isinstance(when, str) and not when.strip()):
        return None
    ts = pd.Timestamp(when) if not isinstance(when, pd.Timestamp) else when
    if pd.isna(ts):
        return None
    return ts.date()


def lpr_entry(when: Any, table: pd.DataFrame | None = None) -> tuple[date, float] | None:
    """The LPR in force on ``when``: (its effective date, rate as a fraction); None before it.

    >>> lpr_entry("2024-09-01", load_lpr())
    (datetime.date(2024, 7, 22), 0.0335)
    """
    day = _as_date(when)
    if day is None:
        raise ValueError(f"not a date: {when!r}")
    table = load_lpr() if table is None else table
    known = table[table["date"] <= pd.Timestamp(day)]
    if known.empty:
        return None
    last = known.iloc[-1]
    return last["date"].date(), round(float(last["lpr_1y"]) / 100, 10)


def lpr_on(when: Any, table: pd.DataFrame | None = None) -> float | None:
    """The one-year LPR (a fraction) in force on ``when``: the latest row on or before it.

    None before the first row (2019-08-20, the first reformed LPR).

    >>> t = load_lpr()
    >>> lpr_on("2024-07-22", t), lpr_on("2024-07-21", t), lpr_on("2019-08-19", t)
    (0.0335, 0.0345, None)
    """
    entry = lpr_entry(when, table)
    return None if entry is None else entry[1]


# --- legal yardsticks ----------------------------------------------------------------
BANDS: Final = ("cut", "void", "complaint")  # what happens above a line (see :class:`Line`)
COURT_BANDS: Final = ("cut", "void")
SCOPES: Final = ("all", "new", "old", "unknown")  # which loans a line judges, by their start date
# how firm a source is: read in the official text; a reading of it; published, its content known from press
# summaries; reported in the press, no published document; not verified; a draft
CONFIDENCE: Final = ("official", "interpreted", "press_summary", "reported", "unverified", "draft")
CHANNELS: Final = ("12378", "local_bureau")  # where a complaint point is taken
YARDSTICK_COLUMNS: Final = ("rule", "kinds", "loans", "from_date", "to_date", "cap", "band", "channel",
                            "source", "confidence", "note")
_RULE_ID = re.compile(r"[a-z][a-z0-9_]*")
_CAP_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_CAP_LPR = re.compile(r"(\d+(?:\.\d+)?)\s*[x×]\s*LPR", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One line of ``data/yardsticks.csv``: a cap on the yearly total cost of some loans.

    ``kinds``: the lender kinds it applies to (:data:`lib.loans.KINDS`). ``loans``: which
    loans, by start date — ``all``; ``new`` (made on or after ``from_date``); ``old`` (made
    before it); ``unknown`` (no date). In force from ``from_date`` to ``to_date`` (blank: still),
    judged on the day a case would be heard (``as_of``). ``rate``: the cap as a fraction, or
    ``lpr_multiple``: that many times the one-year LPR — at the loan date for ``new`` loans
    (法释〔2020〕17号 art. 25), on the day judged otherwise (art. 31). ``band``: above it courts
    cut the excess on objection (``cut``, orange), it is not protected at all (``void``, red),
    or — for a regulator's cap on new loans — it is a complaint point (``complaint``), to be taken
    to ``channel``. ``confidence``: how firm the source is (:data:`CONFIDENCE`). ``line``: its
    line in the file (header = 1).

    >>> ln = Line("x", frozenset({"online"}), "new", date(2025, 10, 1), None, 0.24, None, "complaint",
    ...           "12378", "src", "official", "", 2)
    >>> ln.in_force(date(2025, 10, 1)), ln.covers("online", date(2025, 9, 30)), ln.covers("online", None)
    (True, False, False)
    """

    rule: str
    kinds: frozenset[str]
    loans: str
    from_date: date
    to_date: date | None
    rate: float | None
    lpr_multiple: float | None
    band: str
    channel: str
    source: str
    confidence: str
    note: str
    line: int

    def in_force(self, day: date) -> bool:
        return self.from_date <= day and (self.to_date is None or day <= self.to_date)

    def covers(self, kind: str, start: date | None) -> bool:
        if kind not in self.kinds:
            return False
        if self.loans == "all":
            return True
        if self.loans == "unknown":
            return start is None
        if start is None:
            return False
        return (start >= self.from_date) == (self.loans == "new")


def _parse_cap(text: str) -> tuple[float | None, float | None]:
    """``"24%"`` → (0.24, None); ``"4xLPR"`` → (None, 4.0); anything else raises ValueError.

    >>> _parse_cap("24%"), _parse_cap("4xLPR"), _parse_cap("4 × LPR")
    ((0.24, None), (None, 4.0), (None, 4.0))
    """
    if m := _CAP_PCT.fullmatch(text):
        value = round(float(m.group(1)) / 100, 10)
        if 0 < value < 10:
            return value, None
    if m := _CAP_LPR.fullmatch(text):
        multiple = float(m.group(1))
        if multiple > 0:
            return None, multiple
    raise ValueError(f"cap {text!r} is neither a percent (24%) nor a multiple of the LPR (4xLPR)")


def _parse_day(text: str, what: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a YYYY-MM-DD date") from None


def _yardstick_line(row: Mapping[str, str], line: int) -> Line:
    """One row of the file as a :class:`Line`; ValueError saying what is wrong with it."""
    rule = row["rule"]
    if not _RULE_ID.fullmatch(rule):
        raise ValueError(f"rule {rule!r} must be lower-case letters, digits and _")
    kinds = row["kinds"].replace(",", " ").replace("|", " ").split()
    bad = [k for k in kinds if k not in KINDS]
    if not kinds or bad:
        raise ValueError(f"kinds {row['kinds']!r}: want some of {', '.join(KINDS)} (space-separated)")
    if row["loans"] not in SCOPES:
        raise ValueError(f"loans {row['loans']!r}: want one of {', '.join(SCOPES)}")
    start = _parse_day(row["from_date"], "from_date")
    end = _parse_day(row["to_date"], "to_date") if row["to_date"] else None
    if end is not None and end < start:
        raise ValueError(f"to_date {end} is before from_date {start}")
    rate, multiple = _parse_cap(row["cap"])
    band = row["band"]
    if band not in BANDS:
        raise ValueError(f"band {band!r}: want one of {', '.join(BANDS)}")
    channel = row["channel"]
    if band == "complaint" and channel not in CHANNELS:
        raise ValueError(f"channel {channel!r}: a complaint line needs one of {', '.join(CHANNELS)}")
    if band != "complaint" and channel:
        raise ValueError(f"channel {channel!r}: only complaint lines have one")
    if not row["source"]:
        raise ValueError("source is empty: every line names its document and date")
    if row["confidence"] not in CONFIDENCE:
        raise ValueError(f"confidence {row['confidence']!r}: want one of {', '.join(CONFIDENCE)}")
    return Line(rule, frozenset(kinds), row["loans"], start, end, rate, multiple, band, channel,
                row["source"], row["confidence"], row["note"], line)


@cached
def _read_yardsticks(path: str, _stamp: tuple[int, int]) -> tuple[Line, ...]:
    lines = read_checked(path, YARDSTICK_COLUMNS, "the yardstick table", _yardstick_line)
    if not lines:
        raise ValueError(f"{path}: the yardstick table is empty")
    return tuple(lines)


def load_yardsticks(path: str | Path | None = None) -> tuple[Line, ...]:
    """The legal yardsticks: every line of ``data/yardsticks.csv`` (or ``path``), in file order.

    A user may edit the file (a new regulation, a corrected date): it is re-read when it changes
    and kept otherwise. Each row is checked; a bad one raises ``ValueError`` naming its line and
    what is wrong.

    >>> lines = load_yardsticks()
    >>> [(ln.rule, ln.rate, ln.band) for ln in lines[:2]]
    [('licensed_24', 0.24, 'cut'), ('licensed_36', 0.36, 'void')]
    >>> {ln.rule: ln.confidence for ln in lines if ln.band == "complaint"}["consumer_finance_2026"]
    'reported'
    """
    return _read_yardsticks(*stamp(path if path is not None else DEFAULT_YARDSTICKS_PATH))


@dataclass(frozen=True)
class Flag:
    """How a rate compares with a legal yardstick for its kind of lender.

    ``level``: green / orange / red (or unknown) for the court lines, ``"complaint"`` for a
    regulator's cap on new loans (:func:`complaint_point`); ``rule``: which line judged it;
    ``threshold``: the annual fraction the rate was compared with (0.24, 0.36 or 4 × LPR);
    ``source``: short citation with date; ``basis_date``: the effective date of the LPR used;
    ``confidence``: how firm the source is; ``channel``: where a complaint point is taken;
    ``since``: the date from which the line applies.
    """

    level: str
    rule: str
    threshold: float | None
    source: str
    basis_date: date | None = None
    confidence: str = ""
    channel: str = ""
    since: date | None = None


UNKNOWN_FLAG: Final = Flag("unknown", "unknown", None, "", None)
NO_LINE_FLAG: Final = Flag("unknown", "no_line", None, "", None)


def _judging_day(as_of: Any) -> date:
    return _as_date(as_of) or date.today()


def _kind(kind: Any) -> str:
    """A lender kind as the yardsticks know it: an unknown or missing kind counts as ``other``."""
    k = "" if kind is None or (not isinstance(kind, str) and pd.isna(kind)) else str(kind)
    return k if k in KINDS else OTHER


def _threshold(ln: Line, start: date | None, day: date, lpr: Callable[[], pd.DataFrame]
               ) -> tuple[float, date | None] | None:
    """(cap, LPR effective date) of line ``ln`` for a loan made on ``start``, judged on ``day``."""
    if ln.rate is not None:
        return ln.rate, None
    entry = lpr_entry(start if ln.loans == "new" and start is not None else day, lpr())
    if entry is None:
        return None
    return round(float(ln.lpr_multiple or 0) * entry[1], 10), entry[0]


def _lines_for(kind: Any, start_date: Any, bands: Sequence[str], day: date,
               lines: Sequence[Line] | None, lpr_table: pd.DataFrame | None
               ) -> list[tuple[Line, float, date | None]]:
    start = _as_date(start_date)
    k = _kind(kind)
    table: list[pd.DataFrame] = [] if lpr_table is None else [lpr_table]

    def lpr() -> pd.DataFrame:
        if not table:
            table.append(load_lpr())
        return table[0]

    out = []
    for ln in load_yardsticks() if lines is None else lines:
        if ln.band in bands and ln.in_force(day) and ln.covers(k, start):
            th = _threshold(ln, start, day, lpr)
            if th is not None:
                out.append((ln, *th))
    return out


def yardstick(kind: str, apr: float, start_date: Any = None, lpr_table: pd.DataFrame | None = None, *,
              as_of: Any = None, lines: Sequence[Line] | None = None) -> Flag:
    """Compare a nominal annual rate with the court lines for the lender's kind (informational,
    not legal advice).

    The lines come from ``data/yardsticks.csv`` (:func:`load_yardsticks`, or ``lines``): those in
    force on ``as_of`` (today by default) that cover the loan's kind and start date. At or below
    every one: green, judged by the lowest; above a ``void`` line: red; above a ``cut`` line
    only: orange (the highest line exceeded judges it).

    * Licensed lenders (every kind but ``"private"``): ≤ 24 % green, ≤ 36 % orange, above red —
      法发〔2017〕22号 (2017-08-04), 整治办函〔2017〕141号 (2017-12-01); 法释〔2020〕27号
      (2020-12-29) keeps them outside the 4 × LPR rule.
    * Private loans made on or after 2020-08-20: ≤ 4 × the one-year LPR in force at
      ``start_date`` green, above red — 法释〔2020〕17号 art. 25.
    * Private loans made before 2020-08-20: art. 31 judges interest from 2020-08-20 on by the rule
      at filing — 4 × the LPR on ``as_of`` (rule ``"private_art31"``); unknown date: the same
      line, rule ``"private_4lpr_latest"``. Judged before 2020-08-20: the 2015 rule, 24 % / 36 %
      (法释〔2015〕18号).

    A NaN rate gives level and rule ``"unknown"``; no line in force, rule ``"no_line"``.

    >>> yardstick("online", 0.24).level, yardstick("online", 0.30).level, yardstick("bank", 0.40).rule
    ('green', 'orange', 'licensed_36')
    >>> f = yardstick("private", 0.15, "2024-09-01", load_lpr())
    >>> f.level, round(f.threshold, 4), f.basis_date
    ('red', 0.134, datetime.date(2024, 7, 22))
    >>> f = yardstick("private", 0.20, "2018-01-01", as_of="2026-12-01")  # art. 31: 4 × 3.00 %
    >>> f.level, f.rule, round(f.threshold, 4), f.basis_date
    ('red', 'private_art31', 0.12, datetime.date(2025, 5, 20))
    >>> yardstick("private", 0.30, "2018-01-01", as_of="2020-01-01").level  # the 2015 rule
    'orange'
    """
    if apr is None or (isinstance(apr, float) and math.isnan(apr)):
        return UNKNOWN_FLAG
    apr = float(apr)
    judged = _lines_for(kind, start_date, COURT_BANDS, _judging_day(as_of), lines, lpr_table)
    if not judged:
        return NO_LINE_FLAG
    above = [j for j in judged if apr > j[1] + _EPS]
    void = [j for j in above if j[0].band == "void"]
    if void:
        level, (ln, th, basis) = "red", max(void, key=lambda j: j[1])
    elif above:
        level, (ln, th, basis) = "orange", max(above, key=lambda j: j[1])
    else:
        level, (ln, th, basis) = "green", min(judged, key=lambda j: j[1])
    return Flag(level, ln.rule, th, ln.source, basis, ln.confidence, "", ln.from_date)


def complaint_point(kind: str, apr: float, start_date: Any = None, lpr_table: pd.DataFrame | None = None, *,
                    as_of: Any = None, lines: Sequence[Line] | None = None) -> Flag | None:
    """The regulator's cap on new loans this loan is above, if any: a complaint point (to 12378 /
    the financial-consumer protection platform, or the local financial regulator for microloan
    companies). Informational, not legal advice.

    Complaint lines (band ``complaint`` in ``data/yardsticks.csv``) judge loans made on or after
    their date, once in force on ``as_of``. Above several: the lowest cap, then the most recent
    line. None when the rate is at or below every such line, unknown, or the loan's date is.

    >>> f = complaint_point("consumer_finance", 0.359, "2026-05-20", as_of="2026-12-01")
    >>> f.rule, f.threshold, f.channel, f.confidence, str(f.since)
    ('consumer_finance_2026', 0.24, '12378', 'reported', '2026-04-01')
    >>> complaint_point("consumer_finance", 0.359, "2026-03-31", as_of="2026-12-01") is None
    True
    """
    if apr is None or (isinstance(apr, float) and math.isnan(apr)):
        return None
    apr = float(apr)
    judged = _lines_for(kind, start_date, ("complaint",), _judging_day(as_of), lines, lpr_table)
    above = [j for j in judged if apr > j[1] + _EPS]
    if not above:
        return None
    ln, th, basis = min(above, key=lambda j: (j[1], -j[0].from_date.toordinal()))
    return Flag("complaint", ln.rule, th, ln.source, basis, ln.confidence, ln.channel, ln.from_date)


# --- the enforceable line (what the payoff engine caps charges at) ------------------
LIMIT_ENFORCEABLE_LICENSED: Final = LIMIT_24  # 法发〔2017〕22号: total cost above 24 %/year is cut on objection
ART31_DATE: Final = date(2020, 8, 20)  # 法释〔2020〕17号 art. 31: older contracts, rule at filing for later interest


def legal_caps(kinds: Sequence[Any] | np.ndarray, start_dates: Sequence[Any] | np.ndarray, *,
               lpr_table: pd.DataFrame | None = None, as_of: Any = None) -> np.ndarray:
    """The enforceable line of each loan: the yearly total cost — interest, penalty, compound
    interest and fees together, on the principal in use — that a court upholds when the borrower
    objects (an annual fraction; informational, not legal advice).

    The lowest court line (``cut`` or ``void``) of ``data/yardsticks.csv`` in force on ``as_of``
    (today by default) that covers the loan, as :func:`yardstick` judges it:

    * licensed lenders (every kind but ``"private"``): 24 % (法发〔2017〕22号, 2017-08-04);
    * private loans made on or after 2020-08-20: 4 × the one-year LPR in force at the loan date
      (法释〔2020〕17号 art. 25, 29);
    * private loans made before 2020-08-20 or of unknown date: 4 × the LPR in force at ``as_of``
      — art. 31 judges interest from 2020-08-20 on by the rule at filing.

    ``inf`` where no line applies. Vectorised over loans (one ``searchsorted`` on the LPR table per
    LPR line, the table loaded only when a loan needs it).

    >>> legal_caps(["online", "private", "private"], ["2024-01-01", "2025-05-01", "2018-01-01"],
    ...            as_of="2026-12-01").round(4).tolist()
    [0.24, 0.124, 0.12]
    """
    kind = tuple(_kind(k) for k in kinds)
    given = np.asarray(start_dates)
    if given.dtype.kind == "M":  # dates already (a loan table's column): no parsing
        start = given.astype("datetime64[D]")
    else:
        start = pd.to_datetime(pd.Series(list(start_dates), dtype=object), errors="coerce").to_numpy(dtype="datetime64[D]")
    day = _judging_day(as_of)
    if lpr_table is not None:
        return _caps(kind, start, day, lpr_table)
    # the same loans are judged again and again (every option priced): keep the last answers, for
    # these lines and this LPR table (a file edited is read again)
    stamp = DEFAULT_LPR_PATH.stat().st_mtime_ns if DEFAULT_LPR_PATH.exists() else 0
    return _caps_cached(kind, start.tobytes(), day, load_yardsticks(), stamp).copy()


@functools.lru_cache(maxsize=64)
def _caps_cached(kind: tuple[str, ...], start: bytes, day: date, lines: tuple[Line, ...], lpr_stamp: int) -> np.ndarray:
    del lpr_stamp  # (part of the key only)
    return _caps(kind, np.frombuffer(start, dtype="datetime64[D]"), day, None, lines)


def _caps(kinds: tuple[str, ...], start: np.ndarray, day: date, lpr_table: pd.DataFrame | None,
          lines: tuple[Line, ...] | None = None) -> np.ndarray:
    """:func:`legal_caps` on parsed input."""
    kind = np.asarray(kinds, dtype=object)
    caps = np.full(len(kind), np.inf)
    if not len(kind):
        return caps
    now = np.datetime64(day, "D")
    known = ~np.isnat(start)
    table = lpr_table
    for ln in (load_yardsticks() if lines is None else lines):
        if ln.band not in COURT_BANDS or not ln.in_force(day):
            continue
        mask = np.isin(kind, list(ln.kinds))
        since = np.datetime64(ln.from_date, "D")
        if ln.loans == "new":
            mask &= known & (start >= since)
        elif ln.loans == "old":
            mask &= known & (start < since)
        elif ln.loans == "unknown":
            mask &= ~known
        if not mask.any():
            continue
        if ln.rate is not None:
            caps = np.where(mask, np.fmin(caps, ln.rate), caps)
            continue
        table = load_lpr() if table is None else table
        if table.empty:
            continue
        days = table["date"].to_numpy(dtype="datetime64[D]")
        rates = table["lpr_1y"].to_numpy(dtype=np.float64) / 100.0
        when = np.where(known & (ln.loans == "new"), start, now)
        pos = np.searchsorted(days, when, side="right") - 1
        line_caps = np.where(pos >= 0, np.round(float(ln.lpr_multiple or 0) * rates[np.maximum(pos, 0)], 10), np.nan)
        caps = np.where(mask, np.fmin(caps, line_caps), caps)
    return caps


# --- per loan ------------------------------------------------------------------------
def loan_apr(row: Mapping[str, Any]) -> tuple[float, float]:
    """Real APR (nominal, effective) of one loan-table row; see :func:`lib.schedules.loan_cashflows`.

    >>> row = {"balance": 12000.0, "annual_rate": 0.12, "method": "flat_fee",
    ...        "remaining_months": 12, "monthly_payment": 1120.0}
    >>> [f"{x:.2%}" for x in loan_apr(row)]  # a 1 %/month fee is 21.46 % a year
    ['21.46%', '23.70%']
    """
    return irr_apr(*loan_cashflows(row))


APR_COLUMNS: Final = (
    "apr_nominal",
    "apr_effective",
    "flag_level",
    "flag_rule",
    "flag_threshold",
    "flag_source",
    "flag_basis_date",
    "complaint_rule",
    "complaint_threshold",
    "complaint_since",
    "complaint_channel",
    "complaint_source",
    "complaint_confidence",
)


def apr_table(loans: pd.DataFrame, lpr_table: pd.DataFrame | None = None, *, as_of: Any = None) -> pd.DataFrame:
    """Real APR, legal flag and complaint point of every loan, index aligned with ``loans``.

    Columns: :data:`APR_COLUMNS` — ``flag_*`` from :func:`yardstick`, ``complaint_*`` from
    :func:`complaint_point` (rule ``""`` when the loan is not one), both judged on ``as_of``
    (today by default). They judge the nominal APR rounded to 0.01 % (what the app shows), so a
    24 % contract whose fen-rounded instalments come to 24.0004 % stays green. A loan whose cash
    flows cannot give a rate (no payment, nothing received) gets NaN and level/rule
    ``"unknown"``. The yardsticks are read once; the LPR table is loaded once, and only if a line
    that needs it covers one of the loans' kinds.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([
    ...     {"lender": "A", "balance": 12000, "annual_rate": 0.12, "remaining_months": 12,
    ...      "method": "flat_fee"},
    ...     {"lender": "B", "balance": 0, "annual_rate": 0.1, "remaining_months": 6},
    ...     {"lender": "C", "kind": "consumer_finance", "balance": 10000, "annual_rate": 0.359,
    ...      "remaining_months": 12, "start_date": "2026-05-20"}])
    >>> t = apr_table(loans, as_of="2026-12-01")
    >>> t["apr_nominal"].round(4).tolist(), t["flag_level"].tolist(), t["complaint_rule"].tolist()
    ([0.2146, nan, 0.359], ['green', 'unknown', 'orange'], ['', '', 'consumer_finance_2026'])
    """
    day = _judging_day(as_of)
    lines = load_yardsticks()
    lpr: pd.DataFrame | None = lpr_table
    if lpr is None and len(loans):
        kinds = {_kind(k) for k in loans["kind"]} if "kind" in loans else {OTHER}
        if any(ln.lpr_multiple is not None and ln.in_force(day) and kinds & ln.kinds for ln in lines):
            lpr = load_lpr()
    rows: list[dict[str, Any]] = []
    for _, row in loans.iterrows():
        try:
            nominal, effective = loan_apr(row)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, KeyError):
            nominal = effective = math.nan
        kind, start = row.get("kind"), row.get("start_date")
        judged = nominal if math.isnan(nominal) else round(nominal, 4)
        flag = yardstick(kind, judged, start, lpr, as_of=day, lines=lines)
        point = complaint_point(kind, judged, start, lpr, as_of=day, lines=lines)
        rows.append(
            {
                "apr_nominal": nominal,
                "apr_effective": effective,
                "flag_level": flag.level,
                "flag_rule": flag.rule,
                "flag_threshold": math.nan if flag.threshold is None else flag.threshold,
                "flag_source": flag.source,
                "flag_basis_date": pd.NaT if flag.basis_date is None else pd.Timestamp(flag.basis_date),
                "complaint_rule": "" if point is None else point.rule,
                "complaint_threshold": math.nan if point is None or point.threshold is None else point.threshold,
                "complaint_since": pd.NaT if point is None or point.since is None else pd.Timestamp(point.since),
                "complaint_channel": "" if point is None else point.channel,
                "complaint_source": "" if point is None else point.source,
                "complaint_confidence": "" if point is None else point.confidence,
            }
        )
    out = pd.DataFrame(rows, index=loans.index, columns=list(APR_COLUMNS))
    text = dict.fromkeys(("flag_level", "flag_rule", "flag_source", "complaint_rule", "complaint_channel",
                          "complaint_source", "complaint_confidence"), "string")
    return out.astype(
        {
            "apr_nominal": "float64",
            "apr_effective": "float64",
            "flag_threshold": "float64",
            "flag_basis_date": "datetime64[ns]",
            "complaint_threshold": "float64",
            "complaint_since": "datetime64[ns]",
            **text,
        }
    )
