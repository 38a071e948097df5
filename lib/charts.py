"""Plotly figures. Each takes plain tables from ``lib`` and the UI language, returns a Figure.

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


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        font={"family": FONT},
        separators=".,",
        hoverlabel={"font": {"family": FONT}},
    )
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
