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

Legal yardsticks (:func:`yardstick`)
    * Licensed lenders (banks, consumer-finance and microloan companies, card issuers,
      online platforms): 最高人民法院《关于进一步加强金融审判工作的若干意见》法发〔2017〕22号
      (2017-08-04) — courts cut total cost above 24 %/year when the borrower objects;
      《关于规范整顿"现金贷"业务的通知》整治办函〔2017〕141号 (2017-12-01) — above 36 % is
      beyond any protection. 法释〔2020〕27号 (2020-12-29) says licensed financial
      institutions are outside the private-lending 4 × LPR rule.
    * Private lending (民间借贷): 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》
      法释〔2020〕17号 (2020-12-29 revision; the 4 × LPR cap has applied since 2020-08-20,
      法释〔2020〕6号) — protected interest is capped at 4 × the one-year LPR at the time
      the contract was made. Before the LPR existed (contracts before 2019-08-20) the
      2015 rule 法释〔2015〕18号 (2015-08-06) is used: ≤ 24 % protected, 24–36 % not
      enforceable but not refundable, > 36 % void. Simplification: the 2020 rules apply
      the old rule to interest up to 2020-08-19 for contracts made before 2020-08-20
      (article 31); we judge every contract from 2019-08-20 on by 4 × LPR at its start.

>>> round(daily_to_annual(0.0005), 4)  # 日息万五
0.18
>>> nominal, effective = irr_apr(99000, [8833.3] * 12)  # 100,000 less a 1,000 fee up front
>>> f"{nominal:.2%} {effective:.2%}"
'12.80% 13.58%'
>>> yardstick("online", nominal).level
'green'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy_financial as npf
import pandas as pd

from lib.loans import PRIVATE
from lib.schedules import loan_cashflows

# --- sources (short citations shown with every flag) ---------------------------------
SOURCE_24: Final = "最高人民法院《关于进一步加强金融审判工作的若干意见》法发〔2017〕22号 (2017-08-04)"
SOURCE_36: Final = "《关于规范整顿“现金贷”业务的通知》整治办函〔2017〕141号 (2017-12-01)"
SOURCE_4LPR: Final = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》法释〔2020〕17号 (2020-12-29)"
SOURCE_OLD: Final = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》法释〔2015〕18号 (2015-08-06)"

LIMIT_24: Final = 0.24  # 法发〔2017〕22号 / 法释〔2015〕18号 art. 26
LIMIT_36: Final = 0.36  # 整治办函〔2017〕141号 / 法释〔2015〕18号 art. 26
LPR_MULTIPLE: Final = 4  # 法释〔2020〕17号 art. 25
LPR_START: Final = date(2019, 8, 20)  # first reformed one-year LPR
LEVELS: Final = ("green", "orange", "red", "unknown")

DEFAULT_LPR_PATH: Final = Path(__file__).resolve().parents[1] / "data" / "lpr.csv"

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

    Worked checks (DESIGN.md §3): 100,000 borrowed with 1,000 deducted up front and
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
@dataclass(frozen=True)
class Flag:
    """How a rate compares with the legal yardstick for its kind of lender.

    ``level``: green / orange / red (or unknown); ``rule``: which rule judged it;
    ``threshold``: the annual fraction the rate was compared with (0.24, 0.36 or
    4 × LPR); ``source``: short citation with date; ``basis_date``: the LPR's
    effective date used for a private loan.
    """

    level: str
    rule: str
    threshold: float | None
    source: str
    basis_date: date | None = None


UNKNOWN_FLAG: Final = Flag("unknown", "unknown", None, "", None)


def _band_24_36(apr: float, rule_24: str, rule_36: str, source_24: str, source_36: str) -> Flag:
    if apr <= LIMIT_24 + _EPS:
        return Flag("green", rule_24, LIMIT_24, source_24)
    if apr <= LIMIT_36 + _EPS:
        return Flag("orange", rule_24, LIMIT_24, source_24)
    return Flag("red", rule_36, LIMIT_36, source_36)


def yardstick(kind: str, apr: float, start_date: Any = None, lpr_table: pd.DataFrame | None = None) -> Flag:
    """Compare a nominal annual rate with the legal yardstick for the lender's kind.

    Informational, not legal advice.

    * Licensed lenders (every kind but ``"private"``): ≤ 24 % green, ≤ 36 % orange,
      above red — 法发〔2017〕22号 (2017-08-04), 整治办函〔2017〕141号 (2017-12-01); the
      4 × LPR rule does not apply to them (法释〔2020〕27号, 2020-12-29).
    * Private loans from 2019-08-20 on: ≤ 4 × the one-year LPR in force at
      ``start_date`` green, above red — 法释〔2020〕17号. Unknown start date (or one the
      table does not cover): the latest LPR, rule ``"private_4lpr_latest"``.
    * Private loans before 2019-08-20: the 2015 rule, 24 % / 36 % (法释〔2015〕18号).

    A NaN rate gives level and rule ``"unknown"``.

    >>> yardstick("online", 0.24).level, yardstick("online", 0.30).level, yardstick("bank", 0.40).rule
    ('green', 'orange', 'licensed_36')
    >>> f = yardstick("private", 0.15, "2024-09-01", load_lpr())
    >>> f.level, round(f.threshold, 4), f.basis_date
    ('red', 0.134, datetime.date(2024, 7, 22))
    >>> yardstick("private", 0.30, "2018-01-01").level
    'orange'
    """
    if apr is None or (isinstance(apr, float) and math.isnan(apr)):
        return UNKNOWN_FLAG
    apr = float(apr)
    if kind != PRIVATE:
        return _band_24_36(apr, "licensed_24", "licensed_36", SOURCE_24, SOURCE_36)
    start = _as_date(start_date)
    if start is not None and start < LPR_START:
        return _band_24_36(apr, "private_old_24_36", "private_old_24_36", SOURCE_OLD, SOURCE_OLD)
    table = load_lpr() if lpr_table is None else lpr_table
    entry, rule = (lpr_entry(start, table), "private_4lpr") if start is not None else (None, "")
    if entry is None:
        if table.empty:
            return UNKNOWN_FLAG
        last = table.sort_values("date").iloc[-1]
        entry, rule = (last["date"].date(), round(float(last["lpr_1y"]) / 100, 10)), "private_4lpr_latest"
    basis, lpr = entry
    threshold = round(LPR_MULTIPLE * lpr, 10)
    level = "green" if apr <= threshold + _EPS else "red"
    return Flag(level, rule, threshold, SOURCE_4LPR, basis)


# --- the enforceable line (what the payoff engine caps charges at) ------------------
LIMIT_ENFORCEABLE_LICENSED: Final = LIMIT_24  # 法发〔2017〕22号: total cost above 24 %/year is cut on objection
ART31_DATE: Final = date(2020, 8, 20)  # 法释〔2020〕17号 art. 31: older contracts, rule at filing for later interest


def legal_caps(kinds: Sequence[Any] | np.ndarray, start_dates: Sequence[Any] | np.ndarray, *,
               lpr_table: pd.DataFrame | None = None, as_of: Any = None) -> np.ndarray:
    """The enforceable line of each loan: the yearly total cost — interest, penalty, compound
    interest and fees together, on the principal in use — that a court upholds when the borrower
    objects (an annual fraction; informational, not legal advice).

    * licensed lenders (every kind but ``"private"``): 24 % (法发〔2017〕22号, 2017-08-04);
    * private loans made on or after 2020-08-20: 4 × the one-year LPR in force at the loan date
      (法释〔2020〕17号 art. 25, 29);
    * private loans made before 2020-08-20 or of unknown date: 4 × the LPR in force at ``as_of``
      (today by default) — art. 31 judges interest from 2020-08-20 on by the rule at filing.

    Vectorised over loans (one ``searchsorted`` on the LPR table, loaded only for private loans).

    >>> legal_caps(["online", "private", "private"], ["2024-01-01", "2025-05-01", "2018-01-01"],
    ...            as_of="2026-12-01").round(4).tolist()
    [0.24, 0.124, 0.12]
    """
    kind = np.asarray([str(k) for k in kinds], dtype=object)
    caps = np.full(len(kind), LIMIT_ENFORCEABLE_LICENSED)
    private = kind == PRIVATE
    if not private.any():
        return caps
    table = load_lpr() if lpr_table is None else lpr_table
    if table.empty:
        return caps
    days = table["date"].to_numpy(dtype="datetime64[D]")
    rates = table["lpr_1y"].to_numpy(dtype=np.float64) / 100.0
    start = pd.to_datetime(pd.Series(list(start_dates), dtype=object), errors="coerce").to_numpy(dtype="datetime64[D]")
    now = np.datetime64(_as_date(as_of) or date.today(), "D")
    when = np.where(np.isnat(start) | (start < np.datetime64(ART31_DATE, "D")), now, start)
    pos = np.searchsorted(days, when, side="right") - 1
    lpr = np.where(pos >= 0, rates[np.maximum(pos, 0)], rates[0])
    return np.where(private, np.round(LPR_MULTIPLE * lpr, 10), caps)


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
)


def apr_table(loans: pd.DataFrame, lpr_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Real APR and legal flag of every loan, index aligned with ``loans``.

    Columns: :data:`APR_COLUMNS`. The flag judges the nominal APR rounded to 0.01 %
    (what the app shows), so a 24 % contract whose fen-rounded instalments come to
    24.0004 % stays green. A loan whose cash flows cannot give a rate (no payment,
    nothing received) gets NaN and level/rule ``"unknown"``. The LPR table is loaded
    once, and only if a private loan needs it.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([
    ...     {"lender": "A", "balance": 12000, "annual_rate": 0.12, "remaining_months": 12,
    ...      "method": "flat_fee"},
    ...     {"lender": "B", "balance": 0, "annual_rate": 0.1, "remaining_months": 6}])
    >>> t = apr_table(loans)
    >>> t["apr_nominal"].round(4).tolist(), t["flag_level"].tolist()
    ([0.2146, nan], ['green', 'unknown'])
    """
    lpr: pd.DataFrame | None = lpr_table
    rows: list[dict[str, Any]] = []
    for _, row in loans.iterrows():
        try:
            nominal, effective = loan_apr(row)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, KeyError):
            nominal = effective = math.nan
        kind = row.get("kind")
        kind = "" if kind is None or pd.isna(kind) else str(kind)
        if kind == PRIVATE and lpr is None and not math.isnan(nominal):
            lpr = load_lpr()
        judged = nominal if math.isnan(nominal) else round(nominal, 4)
        flag = yardstick(kind, judged, row.get("start_date"), lpr)
        rows.append(
            {
                "apr_nominal": nominal,
                "apr_effective": effective,
                "flag_level": flag.level,
                "flag_rule": flag.rule,
                "flag_threshold": math.nan if flag.threshold is None else flag.threshold,
                "flag_source": flag.source,
                "flag_basis_date": pd.NaT if flag.basis_date is None else pd.Timestamp(flag.basis_date),
            }
        )
    out = pd.DataFrame(rows, index=loans.index, columns=list(APR_COLUMNS))
    return out.astype(
        {
            "apr_nominal": "float64",
            "apr_effective": "float64",
            "flag_level": "string",
            "flag_rule": "string",
            "flag_threshold": "float64",
            "flag_source": "string",
            "flag_basis_date": "datetime64[ns]",
        }
    )
