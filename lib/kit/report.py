"""The plan on paper: one self-contained HTML report (opens offline, prints on A4, reads on a
phone) and the same as a PDF.

The HTML carries live Plotly charts (plotly.js inlined once, in the first chart) and, for the
PDF, a static SVG of each (WeasyPrint runs no JavaScript): :func:`report_pdf` drops the
scripts and the live charts and draws the SVGs. Every piece of user text (lender names, the
loans' file name, the writer's name) goes through the template's autoescape, or
:func:`html.escape` inside chart labels (Plotly's JSON escapes ``<`` as ``\\u003c`` on top).

>>> import datetime as dt
>>> from lib.loans import make_loans
>>> from lib.negotiate import compare_options
>>> from lib.plan import chosen_plan
>>> from lib.scenario import Scenario
>>> s = Scenario().with_loans(make_loans([{"lender": "甲", "balance": 1200, "annual_rate": 0.0,
...                                        "remaining_months": 6}])).with_capacity(income=800, essentials=0)
>>> page = report_html(s, chosen_plan(s), compare_options(s.loans_frame, s.capacity.to_capacity()), "en",
...                    dt.date(2026, 12, 1))
>>> page.count("<section"), "¥1,200.00" in page, 'src="http' in page
(7, True, False)
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from lib import charts
from lib.breakdown import by_lender, loan_table, totals
from lib.fmt import money, pct
from lib.i18n import t
from lib.kit import svg
from lib.loans import named
from lib.negotiate import apply, ask_text, describe, gap_text
from lib.plan import Chosen
from lib.scenario import Scenario
from lib.views import compare_headers, compare_view, flag_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
DECIDING = ("best", "option", "fits", "monthly_payment", "months", "total_paid", "saving")  # compare_view's first
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True, "displaylogo": False}


class PdfUnavailable(RuntimeError):
    """The PDF engine (WeasyPrint and the Pango library under it) cannot run here."""


@functools.cache
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html", "j2", "html.j2")),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["t"] = t
    return env


def _steps(lang: str) -> list[Markup]:
    """The guide's five steps (our own markdown: ``1. **bold**: text``) as list items."""
    out = []
    for line in t("guide.steps", lang).splitlines():
        text = str(escape(re.sub(r"^\s*\d+\.\s*", "", line)))
        out.append(Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)))
    return out


class _Charts:
    """The report's figures as HTML: plotly.js goes with the first one only."""

    def __init__(self) -> None:
        self.first = True

    def __call__(self, fig: go.Figure, static: Markup) -> Markup:
        fig.update_layout(autosize=True, width=None, paper_bgcolor="white", plot_bgcolor="white")
        live = fig.to_html(full_html=False, include_plotlyjs=self.first, include_mathjax=False,
                           config=PLOTLY_CONFIG, default_width="100%")
        self.first = False
        return Markup('<figure class="chart"><div class="chart-live">') + Markup(live) + Markup(
            '</div><div class="chart-static">') + static + Markup("</figure>")


def _debt_rows(table: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    rows = []
    for r in table.to_dict("records"):
        charges = float(r["interest"]) + float(r["penalty"]) + float(r["fees"])
        rows.append({
            "lender": str(r["lender"]), "kind": t(f"kind.{r['kind']}", lang), "owed": money(r["owed"]),
            "principal": money(r["balance"]), "charges": money(charges), "apr": pct(r["apr_nominal"]),
            "level": str(r["flag_level"]),
            "flag": flag_text(r["flag_level"], r["flag_rule"], r["flag_threshold"], r["flag_basis_date"], lang),
            "rule": "" if pd.isna(r["flag_source"]) else str(r["flag_source"]),
            "overdue": bool(r["is_overdue"])})
    return rows


def _ask_rows(chosen: Chosen, loans: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """What to ask each lender: the plan's option in words (the user's row where they set one),
    what that lender is due in month 1, and the next smaller concession to fall back to."""
    s = chosen.result.schedule
    first = s[s["month"] == 1].groupby("loan")["due"].sum()
    after = chosen.outcome.loans.to_dict("records")
    by_id = {str(x): i for i, x in enumerate(loans["loan_id"].tolist())}
    applied: dict = {}  # each fallback option applied once to the whole table (the legal lines are by row)
    rows = []
    for a in chosen.asks.asks:
        opt = chosen.plan.get(a.loan_id, a.option)
        i = by_id.get(a.loan_id)
        if opt == a.option or i is None:
            words, due = ask_text(a, lang), a.monthly_payment
        else:
            words, due = describe(opt, a.before, after[i], lang, line=a.line), float(first.get(i, 0.0))
        back = ""
        if a.fallback is not None and i is not None:
            if a.fallback not in applied:
                applied[a.fallback] = apply(a.fallback, loans, legal=chosen.legal)[0].to_dict("records")
            back = describe(a.fallback, a.before, applied[a.fallback][i], lang, line=a.line)
        rows.append({"lender": a.lender, "ask": words, "month1": money(due), "fallback": back})
    return rows


def _capacity_rows(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    c = scenario.capacity
    rows = [(t("capacity.income", lang), money(c.income)), (t("capacity.essentials", lang), money(c.essentials)),
            (t("capacity.obligations", lang), money(c.obligations)), (t("capacity.share", lang), pct(c.share, 0)),
            (t("capacity.cash", lang), money(c.cash)), (t("capacity.reserve", lang), money(c.reserve))]
    if c.change:
        rows.append((t("report.change", lang), t("report.change_text", lang, m=c.change_month,
                                                  income=money(c.change_income))))
    rows += [(t("report.capacity_monthly", lang), money(c.to_capacity().monthly)),
             (t("capacity.basis", lang), t(f"capacity.basis.{scenario.basis}", lang))]
    return rows


def _static_lenders(per: pd.DataFrame, lang: str) -> Markup:
    rows = [(str(r["lender"]), [(float(r[p]), charts.PART_COLORS[p]) for p in charts.PARTS])
            for r in per.to_dict("records")]
    return svg.hbars(rows, money=True, legend_items=[(t(f"part.{p}", lang), charts.PART_COLORS[p]) for p in charts.PARTS],
                     value_text=[money(float(x), 0) for x in per["owed"]], label=t("report.chart_lenders", lang))


def _static_apr(table: pd.DataFrame, lang: str) -> Markup:
    df = table.dropna(subset=["apr_nominal"]).sort_values("apr_nominal", ascending=False)
    rows = [(str(r["lender"]), [(float(r["apr_nominal"]), charts.FLAG_COLORS.get(str(r["flag_level"]), "#9e9e9e"))])
            for r in df.to_dict("records")]
    top = max(0.4, float(df["apr_nominal"].max()) * 1.25 if len(df) else 0.4)
    return svg.hbars(rows, lines=(0.24, 0.36), pct_axis=True, top=top,
                     value_text=[f"{x:.1%}" for x in df["apr_nominal"]], label=t("chart.apr_axis", lang))


def _static_timeline(chosen: Chosen, lang: str, start: pd.Timestamp) -> Markup:
    r = chosen.result
    months, names, (pay,) = charts.lender_series(r.schedule, ("payment",), lang)
    x = charts._months(months, start)
    m = r.monthly
    budget = m["budget"].to_numpy()
    top = max(float(budget.max(initial=0)), float(pay.sum(axis=1).max(initial=0))) * 1.6 or 1.0
    stacks = [(n, charts.PALETTE[i % len(charts.PALETTE)], pay[:, i].tolist()) for i, n in enumerate(names)]
    lines = [(t("chart.due", lang), "#d64541", m["due"].tolist(), True),
             (t("chart.capacity", lang), "#111111", budget.tolist(), False)]
    return svg.month_bars(x, stacks, lines, top=top, label=t("compare.tab_monthly", lang))


def report_html(scenario: Scenario, chosen: Chosen, compare_table: pd.DataFrame, lang: str, today: dt.date, *,
                loans: pd.DataFrame | None = None) -> str:
    """The report as one HTML file. ``chosen``: :func:`lib.plan.chosen_plan` of the scenario;
    ``compare_table``: :func:`lib.negotiate.compare_options` of its loans; ``loans``: the loans
    as shown (default: the scenario's, unnamed ones named in ``lang``)."""
    loans = named(scenario.loans_frame, lang) if loans is None else loans
    start = pd.Timestamp(today)
    table = loan_table(loans)
    tot = totals(loans)
    per = by_lender(loans)
    result = chosen.result
    chart = _Charts()
    lender_chart = chart(charts.lender_bars(per, lang), _static_lenders(per, lang))
    apr_chart = chart(charts.apr_ranking(table, lang), _static_apr(table, lang))
    timeline = chart(charts.payments_vs_capacity(result.schedule, result.monthly, lang, start),
                     _static_timeline(chosen, lang, start))
    view = compare_view(compare_table, lang, start)
    heads = compare_headers(int(compare_table["window"].iloc[0]) if len(compare_table) else 0, lang, start)
    options = view[[heads[k] for k in DECIDING]]
    months = (t("capacity.months", lang, n=result.months_to_debt_free) if result.finishes
              else t("capacity.never", lang))
    page = _env().get_template("report.html.j2").render(
        lang=lang, html_lang="zh-CN" if lang == "zh" else "en", date=today.isoformat(),
        name=scenario.kit.name.strip(), source=scenario.source.name if scenario.source.origin == "file" else "",
        tot={"loans": tot.loans, "owed": money(tot.owed), "principal": money(tot.principal),
             "charges": money(tot.interest + tot.penalty + tot.fees), "monthly_due": money(tot.monthly_due)},
        debts=_debt_rows(table, lang), lender_chart=lender_chart, apr_chart=apr_chart,
        capacity=_capacity_rows(scenario, lang),
        option_heads=list(options.columns), option_rows=options.values.tolist(),
        plan={"months": months, "total_paid": money(result.total_paid), "fits": chosen.fits,
              "finishes": result.finishes},
        timeline=timeline, asks=_ask_rows(chosen, loans, lang), gap=gap_text(chosen.asks, lang),
        steps=_steps(lang))
    return page


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
PDF_CSS = ".chart-live { display: none !important } .chart-static { display: block !important }"


@functools.cache
def pdf_unavailable() -> str | None:
    """Why a PDF cannot be made on this machine (None: it can); checked once per process.

    >>> pdf_unavailable() is None  # (the test command installs WeasyPrint and Pango)
    True
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def report_pdf(html: str) -> bytes:
    """The report as a PDF (WeasyPrint): the static charts instead of the live ones, the scripts
    (plotly.js: 4.6 MB that would only be parsed) dropped. Raises :class:`PdfUnavailable` when
    WeasyPrint or Pango cannot be loaded."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: the Pango / GObject libraries are missing
        raise PdfUnavailable(
            "PDF needs WeasyPrint and Pango: pip install weasyprint==70.0; on Debian/Ubuntu "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk "
            f"(on macOS: brew install pango). ({type(exc).__name__}: {exc})") from None
    page = _SCRIPT.sub("", html)
    return HTML(string=page, base_url=str(TEMPLATES)).write_pdf(
        stylesheets=[CSS(string=PDF_CSS)], url_fetcher=URLFetcher(allowed_protocols=("data",)))


__all__ = ["PdfUnavailable", "pdf_unavailable", "report_html", "report_pdf"]
