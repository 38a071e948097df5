"""Plotly figures. Each takes plain tables from ``lib`` and the UI language, returns a Figure.

Lenders are labelled by the ``lender`` column as given: pages pass tables made from
:func:`lib.loans.named` loans, so an unnamed loan shows as "第3行借款" and two of them stay two
bars and two series (see :mod:`lib.loans`).

Colours are fixed per meaning across the app: principal blue, interest amber,
penalty red, fees grey; yardstick flags green / orange / red.

>>> import pandas as pd
>>> fig = lender_bars(pd.DataFrame({"lender": ["A"], "principal": [100.0], "interest": [5.0],
...                                 "penalty": [1.0], "fees": [0.0], "owed": [106.0]}), "en")
>>> [tr.name for tr in fig.data]
['Principal', 'Interest', 'Penalty interest', 'Fees']
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.breakdown import Totals
from lib.i18n import t

PARTS = ("principal", "interest", "penalty", "fees")
PART_COLORS = {"principal": "#3b6fb6", "interest": "#f0a030", "penalty": "#d64541", "fees": "#8c8c8c"}
FLAG_COLORS = {"green": "#2e9d5b", "orange": "#f08c00", "red": "#d64541", "unknown": "#9e9e9e"}
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def labels(names: pd.Series) -> list[str]:
    """User text for Plotly, which reads a few HTML tags (<b>, <a href>) in labels: escape it.

    >>> labels(pd.Series(["<b>x</b>", "借呗"]))
    ['&lt;b&gt;x&lt;/b&gt;', '借呗']
    """
    return [html.escape(str(n), quote=False) for n in names]


# Streamlit's theme styles every chart; Plotly's default template under it would only be
# copied into every figure (most of a small figure's bytes) and sent on every rerun.
_TEMPLATE = {"data": {}, "layout": {"xaxis": {"automargin": True}, "yaxis": {"automargin": True}}}


def _base_layout(height: int) -> dict:
    return {
        "template": _TEMPLATE,
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        # small (on a phone a full-size legend took half the chart); above the plot, clear of the dates
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0,
                   "font": {"size": 11}, "itemwidth": 30, "tracegroupgap": 0},
        "font": {"family": FONT},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT}},
    }


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(_base_layout(height))
    return fig


def lender_bars(per_lender: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal stacked bars: what each lender is owed, split into its parts."""
    df = per_lender.iloc[::-1]  # largest at the top
    fig = go.Figure()
    for part in PARTS:
        fig.add_bar(
            y=labels(df["lender"]), x=df[part], name=t(f"part.{part}", lang), orientation="h",
            marker_color=PART_COLORS[part],
            hovertemplate="%{y}<br>" + t(f"part.{part}", lang) + ": ¥%{x:,.2f}<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal", xaxis={"tickprefix": "¥", "tickformat": ",.0f"},
                      yaxis={"automargin": True})
    return _layout(fig, 120 + 34 * len(df))


def composition(tot: Totals, lang: str) -> go.Figure:
    """Donut of the whole debt: principal, interest, penalty, fees."""
    labels = [t(f"part.{p}", lang) for p in PARTS]
    vals = [tot.principal, tot.interest, tot.penalty, tot.fees]
    fig = go.Figure(go.Pie(
        labels=labels, values=vals, hole=0.55, sort=False, direction="clockwise",
        marker={"colors": [PART_COLORS[p] for p in PARTS]},
        texttemplate="%{percent:.1%}", textposition="inside", hovertemplate="%{label}: ¥%{value:,.2f}<extra></extra>",
    ))
    fig.update_layout(annotations=[{"text": f"¥{tot.owed:,.0f}", "showarrow": False, "font": {"size": 16}}],
                      uniformtext={"minsize": 10, "mode": "hide"})
    return _layout(fig, 320)


def apr_ranking(table: pd.DataFrame, lang: str) -> go.Figure:
    """Loans ranked by real APR (IRR, nominal), coloured by their legal-yardstick flag."""
    df = table.dropna(subset=["apr_nominal"]).sort_values("apr_nominal")
    fig = go.Figure(go.Bar(
        y=labels(df["lender"]), x=df["apr_nominal"], orientation="h",
        marker_color=[FLAG_COLORS.get(lv, FLAG_COLORS["unknown"]) for lv in df["flag_level"]],
        text=[f"{x:.1%}" for x in df["apr_nominal"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.2%}<extra></extra>",
    ))
    for line in (0.24, 0.36):
        fig.add_vline(x=line, line_dash="dot", line_color="#555",
                      annotation_text=f"{line:.0%}", annotation_position="top")
    top = max(0.4, float(df["apr_nominal"].max()) * 1.25 if len(df) else 0.4)
    fig.update_layout(xaxis={"tickformat": ".0%", "range": [0, top],
                             "title": {"text": t("chart.apr_axis", lang)}},
                      yaxis={"automargin": True}, showlegend=False)
    return _layout(fig, 120 + 34 * len(df))


# --------------------------------------------------------------------------- payoff timelines
# These figures are built from plain dict specs (not validated: st.plotly_chart takes a Figure
# as it is, and tests/test_charts.py validates every spec) and numpy sums: the capacity page
# redraws them on every slider move.
MAX_SERIES = 10  # more lenders than this: the smallest are drawn together as "others"
PALETTE = ("#3b6fb6", "#f0a030", "#2e9d5b", "#8e5cc4", "#d64541", "#17a2b8", "#b5651d", "#e377c2",
           "#7f7f7f", "#bcbd22", "#9e9e9e")
# months as labels ("2026-12"), at most 6 of them and upright (6 fit a phone): 30 labels turned on
# their side took a third of a phone's chart, and measuring them for the angle was browser work on
# every redraw
_MONTH_AXIS = {"type": "category", "nticks": 6, "tickangle": 0}
_MONEY_AXIS = {"tickprefix": "¥", "tickformat": ",.0f"}


_SHORT = 150  # up to this many values a trace gets a list, beyond it an array (see _values)


class _Shared(list):
    """A trace's values, which Plotly may share instead of copying.

    Plotly deep-copies every trace twice on every rerun (building the Figure, then
    ``Figure.to_dict`` in ``st.plotly_chart``), value by value for a list: a third of the
    capacity page's chart time. The values are never changed once a figure is built (Plotly
    hands them out as tuples), so a copy can be the list itself.
    """

    def __deepcopy__(self, memo: dict) -> _Shared:
        return self


def _values(a: np.ndarray | pd.Series) -> list[float] | np.ndarray:
    """Amounts for a trace, rounded to the fen: a (:class:`_Shared`) list when short, else an array.

    Plotly copies and walks a list value by value before sending it, but checks an array for
    dataframe types and base64-encodes it, a fixed cost that only pays off beyond about
    :data:`_SHORT` values (timed: 8 traces × 40 months 30 % cheaper as lists).

    >>> _values(np.array([1.004, 2.5]))
    [1.0, 2.5]
    """
    a = np.round(np.asarray(a, dtype=np.float64), 2)
    return _Shared(a.tolist()) if len(a) <= _SHORT else a


def _months(n: np.ndarray | pd.Series, start: pd.Timestamp) -> list[str]:
    """Labels ("YYYY-MM") of months 1, 2, … after ``start``'s month.

    >>> _months(np.array([1, 2, 14]), pd.Timestamp("2026-11-28"))
    ['2026-12', '2027-01', '2028-01']
    """
    y, m = pd.Timestamp(start).year, pd.Timestamp(start).month - 1
    return _Shared(f"{y + (m + k) // 12}-{(m + k) % 12 + 1:02d}" for k in np.asarray(n, dtype=int).tolist())


def lender_series(schedule: pd.DataFrame, values: tuple[str, ...], lang: str
                  ) -> tuple[np.ndarray, list[str], list[np.ndarray]]:
    """Sum schedule columns per month and per lender, largest lenders first.

    Returns ``(months, series names, [months × series matrix per value])``; beyond
    :data:`MAX_SERIES` lenders the smallest are summed into one "others" series.

    >>> sch = pd.DataFrame({"month": [1, 1, 2], "lender": ["A", "B", "A"], "owed": [5.0, 9.0, 2.0],
    ...                     "payment": [1.0, 1.0, 5.0]})
    >>> m, names, (owed,) = lender_series(sch, ("owed",), "en")
    >>> m.tolist(), names, owed.tolist()
    ([1, 2], ['B', 'A'], [[9.0, 5.0], [0.0, 2.0]])
    """
    lender = schedule["lender"]
    if isinstance(lender.dtype, pd.CategoricalDtype):  # the engine's schedule: codes are there already
        codes, uniques = lender.cat.codes.to_numpy(), lender.cat.categories.astype(str)
    else:
        codes, uniques = pd.factorize(lender.astype(str), sort=False)
    month = schedule["month"].to_numpy()
    months = np.arange(1, int(month.max()) + 1) if len(month) else np.array([], dtype=int)
    first = month == month.min() if len(month) else month.astype(bool)
    size = np.bincount(codes[first], (schedule["owed"].to_numpy() + schedule["payment"].to_numpy())[first],
                       minlength=len(uniques))
    order = np.argsort(-size, kind="stable")
    names = [str(uniques[i]) for i in order]
    slot = np.empty(len(uniques), dtype=int)
    slot[order] = np.arange(len(uniques))
    if len(uniques) > MAX_SERIES:
        slot = np.minimum(slot, MAX_SERIES - 1)
        names = names[: MAX_SERIES - 1] + [t("chart.others", lang, n=len(uniques) - MAX_SERIES + 1)]
    mats = []
    for v in values:
        mat = np.zeros((len(months), len(names)))
        np.add.at(mat, (month - 1, slot[codes]), schedule[v].to_numpy())
        mats.append(mat)
    return months, names, mats


def _figure(data: list[dict], layout: dict, height: int) -> go.Figure:
    return go.Figure({"data": data, "layout": {**_base_layout(height), **layout}}, _validate=False)


def _with_legend(plot: int, traces: int) -> int:
    """A chart's height: ``plot`` for the plot and a line per legend entry beyond the third. On a
    phone the legend (one small row above the plot) takes one line per entry, and a fixed height
    would leave the plot a sliver; on a wide screen the plot gets the room.

    >>> _with_legend(300, 2), _with_legend(300, 8)
    (300, 400)
    """
    return plot + 20 * max(traces - 3, 0)


def balance_over_time(schedule: pd.DataFrame, lang: str, start: pd.Timestamp) -> go.Figure:
    """Everything still owed after each month, stacked by lender."""
    months, names, (owed,) = lender_series(schedule, ("owed",), lang)
    return _balance(names, owed, _months(months, start))


def _balance(names: list[str], owed: np.ndarray, x: list[str]) -> go.Figure:
    data = [{"type": "scatter", "x": x, "y": _values(owed[:, i]), "name": html.escape(n, quote=False),
             "stackgroup": "owed", "mode": "lines", "line": {"width": 0.5, "color": PALETTE[i % len(PALETTE)]},
             "hovertemplate": "%{x} · %{fullData.name}: ¥%{y:,.0f}<extra></extra>"}
            for i, n in enumerate(names)]
    return _figure(data, {"yaxis": _MONEY_AXIS, "xaxis": _MONTH_AXIS}, _with_legend(340, len(data)))


def payments_vs_capacity(schedule: pd.DataFrame, monthly: pd.DataFrame, lang: str,
                         start: pd.Timestamp) -> go.Figure:
    """What the plan pays each month (the hover names the lenders paid), with the capacity line and
    what was due."""
    months, names, (pay,) = lender_series(schedule, ("payment",), lang)
    return _payments(names, pay, _months(months, start), monthly, lang, start)


HOVER_LENDERS = 4  # lenders named in a payment bar's hover; the rest summed


def _paid_to(names: list[str], pay: np.ndarray, lang: str) -> list[str]:
    """Per month, who the payment went to, largest first (hover text; the names are escaped).

    >>> _paid_to(["A", "B"], np.array([[10.0, 0.0], [4.0, 6.0]]), "en")
    ['A ¥10', 'B ¥6<br>A ¥4']
    """
    out = []
    for row in pay:
        order = [i for i in np.argsort(-row, kind="stable") if row[i] > 0.005]
        lines = [f"{html.escape(names[i], quote=False)} ¥{row[i]:,.0f}" for i in order[:HOVER_LENDERS]]
        if len(order) > HOVER_LENDERS:
            rest = order[HOVER_LENDERS:]
            lines.append(f"{t('chart.others', lang, n=len(rest))} ¥{row[rest].sum():,.0f}")
        out.append("<br>".join(lines))
    return out


def _payments(names: list[str], pay: np.ndarray, x: list[str], monthly: pd.DataFrame, lang: str,
              start: pd.Timestamp) -> go.Figure:
    # One bar a month, what the plan pays, against what can be paid: who gets it is in the hover
    # (and by lender in the balance chart). A bar series per lender cost the browser ~30 ms a
    # series on every redraw: ten of them were the capacity slider's slowest part (README).
    paid = pay.sum(axis=1)
    data = [{"type": "bar", "x": x, "y": _values(paid), "name": t("chart.paid", lang),
             "marker": {"color": PART_COLORS["principal"]}, "customdata": _paid_to(names, pay, lang),
             "hovertemplate": "%{x} · " + t("chart.paid", lang) + ": ¥%{y:,.2f}<br>%{customdata}<extra></extra>"}]
    mx = x if len(monthly) == len(x) else _months(monthly["month"], start)  # the same months, mostly
    budget = monthly["budget"].to_numpy()
    for key, y, line in (("chart.due", monthly["due"].to_numpy(), {"color": "#d64541", "dash": "dot", "width": 2}),
                         ("chart.capacity", budget, {"color": "#111", "width": 2, "shape": "hv"})):
        data.append({"type": "scatter", "x": mx, "y": _values(y), "name": t(key, lang),
                     "mode": "lines", "line": line,
                     "hovertemplate": "%{x} · " + t(key, lang) + ": ¥%{y:,.0f}<extra></extra>"})
    # arrears pile up in "due" when the budget is short; keep the payments readable and let that
    # line run off the top (its hover still tells the amount)
    top = max(float(budget.max(initial=0)), float(paid.max(initial=0))) * 1.6 or 1.0
    layout = {"bargap": 0.1, "xaxis": _MONTH_AXIS, "yaxis": {**_MONEY_AXIS, "range": [0, top]}}
    return _figure(data, layout, _with_legend(340, len(data)))


def payoff_gantt(schedule: pd.DataFrame, lang: str, start: pd.Timestamp) -> go.Figure:
    """One bar per loan from now to the month it is cleared; red where it is in arrears."""
    loan = schedule["loan"].to_numpy()
    month = schedule["month"].to_numpy()
    n = int(loan.max()) + 1 if len(loan) else 0
    end = np.zeros(n, dtype=int)
    np.maximum.at(end, loan, month)
    behind = schedule["overdue"].to_numpy() > 0
    lo = np.full(n, np.iinfo(np.int64).max)
    hi = np.zeros(n, dtype=int)
    np.minimum.at(lo, loan[behind], month[behind])
    np.maximum.at(hi, loan[behind], month[behind])
    present, first_row = np.unique(loan, return_index=True)
    lender = dict(zip(present.tolist(), schedule["lender"].to_numpy()[first_row].tolist(), strict=True))
    ids = np.array(sorted(lender, key=lambda i: (end[i], i)), dtype=int)
    names = [html.escape(f"{lender[i]} #{i + 1}", quote=False) for i in ids.tolist()]  # see labels()
    data = [{"type": "bar", "orientation": "h", "y": names, "x": end[ids].tolist(), "base": 0,
             "name": t("chart.open", lang), "marker": {"color": "#3b6fb6"},
             "customdata": _months(end[ids], start),
             "hovertemplate": "%{y}: " + t("chart.cleared_in", lang) + " %{customdata}<extra></extra>"}]
    late = hi[ids] > 0
    if late.any():
        data.append({"type": "bar", "orientation": "h", "y": [nm for nm, b in zip(names, late, strict=True) if b],
                     "x": (hi[ids] - lo[ids] + 1)[late].tolist(), "base": (lo[ids] - 1)[late].tolist(),
                     "name": t("chart.in_arrears", lang), "marker": {"color": "#d64541"}, "opacity": 0.85,
                     "hovertemplate": "%{y}: " + t("chart.in_arrears", lang) + "<extra></extra>"})
    layout = {"barmode": "overlay", "yaxis": {"automargin": True, "autorange": "reversed"},
              "xaxis": {"title": {"text": t("chart.months_from_now", lang)}}}
    return _figure(data, layout, 120 + 26 * len(ids))


def penalty_growth(monthly: pd.DataFrame, lang: str, start: pd.Timestamp,
                   x: list[str] | None = None) -> go.Figure:
    """Penalty interest piling up while payments fall short, and the shortfall behind it.
    ``x``: the month labels of ``monthly``, when the caller has them."""
    x = _months(monthly["month"], start) if x is None or len(x) != len(monthly) else x
    data = [{"type": "scatter", "x": x, "y": _values(np.cumsum(monthly["penalty_accrued"].to_numpy())),
             "name": t("chart.penalty_cum", lang), "mode": "lines", "line": {"color": "#d64541", "width": 3},
             "hovertemplate": "%{x}: ¥%{y:,.2f}<extra></extra>"},
            {"type": "bar", "x": x, "y": _values(monthly["shortfall"]), "name": t("chart.shortfall", lang),
             "marker": {"color": "#f0a030"}, "opacity": 0.6, "hovertemplate": "%{x}: ¥%{y:,.0f}<extra></extra>"}]
    return _figure(data, {"yaxis": _MONEY_AXIS, "xaxis": _MONTH_AXIS}, 320)


def plan_charts(schedule: pd.DataFrame, monthly: pd.DataFrame, lang: str, start: pd.Timestamp
                ) -> tuple[go.Figure, go.Figure, go.Figure, go.Figure]:
    """The capacity page's four figures of one plan — :func:`balance_over_time`,
    :func:`payments_vs_capacity`, :func:`payoff_gantt`, :func:`penalty_growth` — with the
    schedule summed per lender and the month labels made once for all of them."""
    months, names, (owed, pay) = lender_series(schedule, ("owed", "payment"), lang)
    x = _months(months, start)
    return (_balance(names, owed, x), _payments(names, pay, x, monthly, lang, start),
            payoff_gantt(schedule, lang, start), penalty_growth(monthly, lang, start, x))


# --------------------------------------------------------------------------- options side by side
def option_timelines(monthly: dict[str, pd.DataFrame], capacity: pd.Series | None, lang: str,
                     start: pd.Timestamp) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Three overlaid timelines, one line per option: what is owed, what has been paid, and
    the monthly payment against the capacity line. ``monthly`` maps an option's label to
    its engine ``monthly`` table; ``capacity`` is the budget per month (index = month).

    >>> m = pd.DataFrame({"month": [1, 2], "owed": [50.0, 0.0], "paid": [50.0, 50.0]})
    >>> owed, paid, pay = option_timelines({"A": m}, pd.Series([60.0, 60.0], index=[1, 2]), "en",
    ...                                    pd.Timestamp("2026-11-28"))
    >>> owed.data[0].y, paid.data[0].y, pay.data[-1].name
    ((50.0, 0.0), (50.0, 100.0), 'Capacity')
    """
    # each option's columns read once (a pandas column read costs more than the sums)
    series = {label: {"owed": m["owed"].to_numpy(), "paid": m["paid"].to_numpy()} for label, m in monthly.items()}
    for s in series.values():
        s["paid_cum"] = np.cumsum(s["paid"])
    horizon = max((len(s["paid"]) for s in series.values()), default=1)
    x_all = _months(np.arange(1, horizon + 1), start)
    figs = []
    for what in ("owed", "paid_cum", "paid"):
        data = []
        for i, (label, s) in enumerate(series.items()):
            data.append({"type": "scatter", "mode": "lines", "x": _Shared(x_all[: len(s[what])]), "y": _values(s[what]),
                         "name": html.escape(label, quote=False),
                         "line": {"color": PALETTE[i % len(PALETTE)], "width": 2.5 if i == 0 else 2,
                                  "dash": "dot" if i == 0 else "solid",
                                  "shape": "hv" if what == "paid" else "linear"},
                         "hovertemplate": "%{x} · %{fullData.name}: ¥%{y:,.0f}<extra></extra>"})
        if what == "paid" and capacity is not None:
            data.append({"type": "scatter", "mode": "lines", "x": _months(capacity.index, start),
                         "y": _values(capacity), "name": t("chart.capacity", lang),
                         "line": {"color": "#111", "width": 3, "shape": "hv"},
                         "hovertemplate": "%{x} · " + t("chart.capacity", lang) + ": ¥%{y:,.0f}<extra></extra>"})
        figs.append(_figure(data, {"yaxis": _MONEY_AXIS, "xaxis": _MONTH_AXIS}, _with_legend(320, len(data))))
    return figs[0], figs[1], figs[2]


def agreed_vs_paid_chart(table: pd.DataFrame, lang: str) -> go.Figure:
    """What an agreement asked and what was paid, both cumulated, month by month
    (:func:`lib.tracker.agreed_vs_paid`'s table).

    >>> import datetime as dt
    >>> table = pd.DataFrame({"month": [dt.date(2031, 2, 1), dt.date(2031, 3, 1)], "cum_due": [1000.0, 2000.0],
    ...                       "cum_paid": [700.0, 1700.0]})
    >>> [(tr.name, tr.y.tolist()) for tr in agreed_vs_paid_chart(table, "en").data]
    [('Agreed, cumulative', [1000.0, 2000.0]), ('Paid, cumulative', [700.0, 1700.0])]
    """
    fig = go.Figure([go.Scatter(x=table["month"], y=table["cum_due"], name=t("track.cum_due", lang)),
                     go.Scatter(x=table["month"], y=table["cum_paid"], name=t("track.cum_paid", lang))])
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h"))
    return fig
