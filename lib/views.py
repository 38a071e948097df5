"""Display tables: the loan table with localised headers, formatted money and flags.

Values stay plain text (never HTML); colours come from a pandas Styler, which
Streamlit renders as cell backgrounds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from lib.fmt import md_escape, money, month_label, pct
from lib.i18n import TEXT, t, tn
from lib.loans import field_set
from lib.negotiate import Asks, ask_text, gap_text
from lib.outcomes import GrantRate, rate_text

_BG = {"green": "#e6f4ea", "orange": "#fff1db", "red": "#fde2e1"}
OVERDUE_BG = "#fde2e1"


def flag_text(level: str, rule: str, threshold: float | None, basis_date: object, lang: str) -> str:
    """One line: the verdict and the yardstick it was measured against (the cell's colour
    carries the level).

    >>> flag_text("orange", "licensed_24", 0.24, None, "en")
    'above 24 %: courts may cut it'
    >>> flag_text("red", "private_4lpr", 0.134, "2024-07-22", "en")
    'above 4 × LPR (13.40%, LPR of 2024-07-22): not protected'
    """
    th = "" if threshold is None or (isinstance(threshold, float) and math.isnan(threshold)) else pct(threshold)
    date = "" if basis_date is None or pd.isna(basis_date) else str(pd.Timestamp(basis_date).date())
    key = f"flag.{rule}.{level}"
    if key not in TEXT and level in ("green", "orange", "red"):  # a line added to data/yardsticks.csv
        key = f"flag.generic.{level}"
    return t(key, lang, threshold=th, date=date)


def complaint_text(rule: str, threshold: float | None, since: object, channel: str, source: str,
                   confidence: str, lang: str) -> str:
    """The complaint point of a loan above a regulator's cap on new loans ('' when it is not one).

    >>> print(complaint_text("consumer_finance_2026", 0.24, "2026-04-01", "12378", "窗口指导", "reported", "zh"))
    2026-04-01 起新发放的此类贷款综合成本上限为 24.00%（据报道，未见公开文件）：可向国家金融监督管理总局 12378 热线或金融消费者保护服务平台投诉。依据：窗口指导
    >>> complaint_text("", float("nan"), None, "", "", "", "zh")
    ''
    """
    if not rule or pd.isna(rule):
        return ""
    th = "" if threshold is None or (isinstance(threshold, float) and math.isnan(threshold)) else pct(threshold)
    day = "" if since is None or pd.isna(since) else str(pd.Timestamp(since).date())
    return t("flag.complaint", lang, since=day, threshold=th, confidence=t(f"flag.confidence.{confidence}", lang),
             channel=t(f"flag.channel.{channel}", lang), source=source)


def field_names(cell: object, lang: str) -> str:
    """The fields of a ``derived`` / ``assumed`` cell, in words, in the table's order.

    >>> field_names("remaining_months,method", "zh"), field_names("monthly_payment", "en"), field_names("", "en")
    ('剩余期数、还款方式', 'Monthly payment', '')
    """
    names = [t(f"field.{x}", lang) for x in str(cell or "").split(",") if x]
    return ("、" if lang == "zh" else ", ").join(names)


def check_mark(assumed: object, lang: str) -> str:
    """The breakdown's "check" cell: a ⚠ and the assumed fields, or nothing.

    >>> check_mark("remaining_months,method", "en"), check_mark("", "en")
    ('⚠ Remaining months, Method', '')
    """
    return f"⚠ {field_names(assumed, lang)}" if field_set(assumed) else ""


def loan_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-loan table as shown on the breakdown page (strings, localised headers); a loan
    that carries an assumption is marked ⚠ in the "check" column, next to its lender."""
    def h(key: str) -> str:
        return t(f"col.{key}", lang)

    derived = table["derived"].fillna("").map(lambda d: field_names(d, lang))
    flags = [flag_text(lv, ru, th, bd, lang) for lv, ru, th, bd in zip(
        table["flag_level"], table["flag_rule"], table["flag_threshold"], table["flag_basis_date"], strict=True)]
    complaints = [complaint_text(*c, lang) for c in zip(
        table["complaint_rule"], table["complaint_threshold"], table["complaint_since"], table["complaint_channel"],
        table["complaint_source"], table["complaint_confidence"], strict=True)]
    return pd.DataFrame({
        h("lender"): table["lender"].astype(str),
        h("check"): table["assumed"].map(lambda a: check_mark(a, lang)),
        h("kind"): table["kind"].map(lambda k: t(f"kind.{k}", lang)),
        h("owed"): table["owed"].map(money),
        h("apr_nominal"): table["apr_nominal"].map(pct),
        h("flag"): flags,
        t("flag.complaint_col", lang): complaints,
        h("monthly_payment"): table["monthly_payment"].map(money),
        h("remaining_months"): table["remaining_months"].astype(int),
        h("overdue_days"): table["overdue_days"].astype(int),
        h("overdue_amount"): table["overdue_amount"].map(money),
        h("balance"): table["balance"].map(money),
        h("contract_rate"): [stated_rate(r, m, lang) for r, m in zip(table["annual_rate"], table["method"],
                                                                     strict=True)],
        h("apr_effective"): table["apr_effective"].map(pct),
        h("source"): table["flag_source"].astype(str),
        h("derived"): derived,
    })


def stated_rate(rate: float, method: str, lang: str) -> str:
    """A loan's contract rate as its contract states it: a flat fee by the month, on the amount
    borrowed (月费率 0.75 %), never as 12 × the fee a year; any other rate a year. (The real
    cost of either is the APR column, from the cash flows.)

    >>> stated_rate(0.09, "flat_fee", "zh"), stated_rate(0.09, "flat_fee", "en"), stated_rate(0.18, "annuity", "en")
    ('月费率 0.75%', '0.75% a month (flat fee)', '18.00%')
    """
    if method == "flat_fee":
        return t("rate.flat_fee", lang, pct=pct(rate / 12))
    return pct(rate)


def style_loan_view(view: pd.DataFrame, table: pd.DataFrame, lang: str) -> Styler:
    """Overdue rows tinted red; the flag cell coloured by its level."""
    flag_col = t("col.flag", lang)
    overdue = table["is_overdue"].to_numpy()
    levels = table["flag_level"].to_numpy()

    def row_style(row: pd.Series) -> list[str]:
        i = row.name
        base = f"background-color: {OVERDUE_BG}" if overdue[i] else ""
        return [f"background-color: {_BG.get(levels[i], '')}" if c == flag_col and levels[i] in _BG else base
                for c in view.columns]

    return view.style.apply(row_style, axis=1)


def import_summary(loans: int, skipped: int, ignored: int, lang: str, *, source: str | None = None,
                   file_error: bool = False) -> str:
    """What the import page says after a read: how many loans, from where (``source``; None:
    typed in), and only the trouble there was — rows not imported, values ignored.

    >>> import_summary(1, 0, 0, "en", source="a.csv")
    'Read 1 loan from a.csv.'
    >>> import_summary(3, 1, 2, "en", source="a.csv")
    'Read 3 loans from a.csv; 1 row could not be imported, 2 values were ignored (see below).'
    >>> import_summary(2, 0, 1, "zh")
    '已录入 2 笔借款；1 个值无法识别，已忽略。原因见下方。'
    """
    read = (tn("loans.read_typed", loans, lang) if source is None
            else tn("loans.read_file", loans, lang, name=source))
    issues = [t("loans.file_problem", lang)] if file_error else []
    issues += [tn(key, n, lang) for key, n in (("loans.skipped", skipped), ("loans.ignored", ignored)) if n]
    if not issues:
        return t("loans.summary_clean", lang, read=read)
    return t("loans.summary_issues", lang, read=read, issues=("；" if lang == "zh" else ", ").join(issues))


def problem_view(problems: list, lang: str) -> pd.DataFrame:
    """Problems as a table: row, column, what is wrong, and what happened to the row."""
    return pd.DataFrame({
        t("col.row", lang): [p.row or "—" for p in problems],
        t("col.column", lang): [p.column_text(lang) or "—" for p in problems],
        t("col.problem", lang): [p.text(lang) for p in problems],
        t("col.outcome", lang): [t(f"outcome.{p.severity}", lang) for p in problems],
    })


def best_options(table: pd.DataFrame) -> tuple[str | None, str | None]:
    """(cheapest that fits, fastest that fits) among ``compare_options`` rows, by label; ties go
    to the faster (for the cheapest), the cheaper (for the fastest), then the earlier row.

    >>> best_options(pd.DataFrame({"option": ["a", "b", "c"], "fits": [False, True, True],
    ...                            "total_cost": [1.0, 3.0, 2.0], "months": [5, 10, 20]}))
    ('c', 'b')
    """
    ok = [(float(cost), math.inf if pd.isna(m) else float(m), i, opt)
          for i, (opt, fits, cost, m) in enumerate(zip(table["option"], table["fits"], table["total_cost"],
                                                       table["months"], strict=True)) if fits]
    if not ok:
        return None, None
    cheapest = min(ok)[3]
    fastest = min(ok, key=lambda r: (r[1], r[0], r[2]))[3]
    return cheapest, fastest


def compare_headers(window: int, lang: str, start: object = None) -> dict[str, str]:
    """The comparison's column headers, each saying what it counts (the saving names its window)."""
    end = month_label(start or pd.Timestamp.today(), window)  # (month 1 is next month, as in the charts)
    keys = ("best", "option", "fits", "monthly_payment", "months", "total_paid", "saving", "apr", "waived",
            "likelihood", "credit")
    return {k: t(f"compare.col.{k}", lang, w=window, end=end) for k in keys}


def best_marks(table: pd.DataFrame, lang: str):
    """A function: an option's marks in the comparison (★ the cheapest that fits, ⚡ the fastest)."""
    cheapest, fastest = best_options(table)

    def mark(option: str) -> str:
        return " ".join(t(f"compare.mark.{k}", lang) for k, o in (("cheapest", cheapest), ("fastest", fastest))
                        if o == option)

    return mark


def likelihood_text(label: str, likelihood: str, lang: str, rates: Mapping[str, GrantRate] | None = None) -> str:
    """How often lenders grant an option: the recorded rate when ``rates`` has one for its label
    (:func:`lib.outcomes.grant_rates`), else the general word (``negotiate.likelihood.*``).

    >>> from lib.outcomes import GrantRate
    >>> rates = {"waiver": GrantRate("waiver", 9, 14, 9 / 14)}
    >>> likelihood_text("waiver", "common", "zh", rates), likelihood_text("settlement", "rare", "en", rates)
    ('9/14 次同意 (64%)', 'Rare')
    """
    rate = rates.get(label) if rates else None
    if rate is not None:
        return rate_text(rate, lang)
    return t(f"negotiate.likelihood.{likelihood}", lang)


def compare_view(table: pd.DataFrame, lang: str, start: object = None,
                 rates: Mapping[str, GrantRate] | None = None) -> pd.DataFrame:
    """The options side by side, localised, the columns that decide first (fits, first-month due,
    months until every debt is clear, total paid, the saving over the common window); the
    cheapest and the fastest that fit marked in the first column (a mark, not a colour: cheap to
    draw on every rerun, and readable without colour). A plan that pays back less than is owed
    has no meaningful APR: it says so, and by how much less. ``rates``: the recorded grant rates
    by option label (:func:`lib.outcomes.grant_rates`); an option with one shows it in the "how
    often granted" column instead of the general word (:func:`likelihood_text`).

    >>> v = compare_view(pd.DataFrame({"option": ["baseline", "instalments"], "monthly_payment": [900.0, 300.0],
    ...     "months": pd.array([None, 36], dtype="Int64"), "total_paid": [1.0, 2.0], "saving": [0.0, 1.0],
    ...     "window": [36, 36], "waived": [0.0, 50.0], "apr": [0.2, -0.01], "repaid_less": [0.0, 50.0],
    ...     "fits": [False, True], "total_cost": [9.0, 2.0], "grant_likelihood": ["common", "common"],
    ...     "credit_note_key": ["negotiate.credit.baseline"] * 2}), "en", "2026-12-01")
    >>> v.iloc[:, :5].values.tolist()
    [['', 'Keep the contract', '✗ no', '¥900.00', 'never'], ['★ ⚡', 'Instalment plan', '✓ yes', '¥300.00', '36']]
    >>> list(v.columns)[6], v.iloc[1, 7]
    ('Saving over 36 months (to 2029-12)', 'n/a: ¥50.00 less than owed is repaid')
    """
    window = int(table["window"].iloc[0]) if len(table) else 0
    h = compare_headers(window, lang, start)
    mark = best_marks(table, lang)

    def each(col: str, fmt) -> list[str]:  # plain lists: Series.map costs more than the formatting
        return [fmt(x) for x in table[col].tolist()]

    aprs = [t("compare.apr_na", lang, amount=money(less)) if less > 0.005 else pct(apr)
            for apr, less in zip(table["apr"].tolist(), table["repaid_less"].tolist(), strict=True)]
    return pd.DataFrame({
        h["best"]: each("option", mark),
        h["option"]: each("option", lambda o: t(f"negotiate.option.{o}", lang)),
        h["fits"]: each("fits", lambda f: ("✓ " + t("compare.yes", lang)) if f else ("✗ " + t("compare.no", lang))),
        h["monthly_payment"]: each("monthly_payment", money),
        h["months"]: each("months", lambda n: t("capacity.never", lang) if pd.isna(n) else str(int(n))),
        h["total_paid"]: each("total_paid", money),
        h["saving"]: each("saving", money),
        h["apr"]: aprs,
        h["waived"]: each("waived", money),
        h["likelihood"]: [likelihood_text(o, k, lang, rates)
                          for o, k in zip(table["option"].tolist(), table["grant_likelihood"].tolist(), strict=True)],
        h["credit"]: each("credit_note_key", lambda k: t(k, lang)),
    }, dtype=object)  # (plain text: a third of the time of pandas' own string columns)


def what_changed(before: pd.DataFrame | None, after: pd.DataFrame, key: str, lang: str,
                 limit: int = 4) -> str | None:
    """After a parameter moved: which shown figures changed, in words — "Instalment plan: Total
    paid ¥48,000.00 → ¥49,100.00" —, so that a move no chart shows is still seen. Rows are matched
    by their ``key`` column (e.g. the option's name); a row or column that came or went is not
    listed. None when nothing changed or there is nothing to compare with (same columns needed).

    >>> a = pd.DataFrame({"Option": ["Keep", "Instalments"], "Months": ["never", "36"], "Total": ["¥9", "¥5"]})
    >>> b = a.assign(Months=["never", "48"], Total=["¥9", "¥6"])
    >>> what_changed(a, b, "Option", "en")
    'Changed: Instalments — Months 36 → 48, Total ¥5 → ¥6'
    >>> what_changed(a, a, "Option", "en") is None, what_changed(None, a, "Option", "en") is None
    (True, True)
    """
    if before is None or list(before.columns) != list(after.columns) or key not in after.columns:
        return None
    old = {str(r[key]): r for r in before.to_dict("records")}
    parts = []
    for row in after.to_dict("records"):
        prev = old.get(str(row[key]))
        if prev is None:
            continue
        diffs = [f"{c} {prev[c]} → {row[c]}" for c in after.columns if c != key and str(prev[c]) != str(row[c])]
        if diffs:
            parts.append(f"{row[key]} — {', '.join(diffs)}")
    if not parts:
        return None
    more = len(parts) - limit
    text = t("views.changed", lang, what="; ".join(parts[:limit]))
    return text + (t("views.changed_more", lang, n=more) if more > 0 else "")


def capacity_status(pos, arrears, lang: str, start: object = None) -> list[tuple[str, str]]:
    """What this month's money does, as (level, text) lines: success / warning / error. It speaks
    of the arrears too: what this month's dues need (instalments plus what is already overdue),
    how long the arrears last at this budget and what they cost — never "enough" while arrears
    go on for months.

    >>> from lib.capacity import Arrears, Position
    >>> pos = Position(capacity=6500.0, due_now=5610.0, arrears=8700.0, gap=890.0, debt_to_income=0.47)
    >>> for level, text in capacity_status(pos, Arrears(8700.0, 16500.0, 28, 11659.0, 9800.0), "en", "2026-12-01"):
    ...     print(level, "|", text)
    warning | This month needs ¥16,500: the contracts' ¥5,610 plus ¥8,700 already overdue (with the interest and penalty on it). You have ¥6,500 a month for debts.
    warning | At this budget the arrears last 28 months (until 2029-04) and cost ¥11,659 in penalty interest on the way; at most ¥9,800 is overdue. Negotiating early stops that.
    """
    lines: list[tuple[str, str]] = []
    if arrears.now > 0.005:
        lines.append(("warning" if arrears.months != 0 else "success", t(
            "capacity.status.need", lang, need=money(arrears.need_now, 0), due=money(pos.due_now, 0),
            overdue=money(arrears.now, 0), capacity=money(pos.capacity, 0))))
    if arrears.months is None:
        lines.append(("error", t("capacity.status.never", lang, penalty=money(arrears.penalty, 0))))
    elif arrears.months > 0:
        lines.append(("warning", t("capacity.status.lasts", lang, n=arrears.months,
                                    end=month_label(start or pd.Timestamp.today(), arrears.months),
                                    penalty=money(arrears.penalty, 0), peak=money(arrears.peak, 0))))
    elif arrears.now > 0.005:
        lines.append(("success", t("capacity.status.caught_up", lang)))
    else:
        lines.append(("success", t("capacity.status.enough", lang, spare=money(max(pos.gap, 0.0), 0))))
    return lines


def strategy_view(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, bool]:
    """:func:`lib.capacity.strategy_table` for the page, indexed by the strategy's name, and whether
    every strategy comes to the same (then the order does not matter on this budget). Months are
    text, never a mix of numbers and words (Arrow would convert the column on every rerun).

    >>> table = pd.DataFrame({"strategy": ["avalanche", "snowball"], "months": [14, None],
    ...                       "interest": [820.5, 990.0], "penalty": [0.0, 12.0], "total_paid": [10820.5, 11002.0]})
    >>> view, same = strategy_view(table, "en")
    >>> list(view.index), list(view.columns)
    (['Dearest first', 'Smallest balance first'], ['Months', 'Interest', 'Penalty interest', 'Total paid'])
    >>> view.iloc[1].tolist()
    ['never', '¥990.00', '¥12.00', '¥11,002.00']
    >>> same
    False
    """
    months = [t("capacity.never", lang) if pd.isna(n) else str(int(n)) for n in table["months"]]
    view = pd.DataFrame({
        t("col.strategy", lang): [t(f"strategy.{s}", lang) for s in table["strategy"]],
        t("col.months", lang): months,
        t("part.interest", lang): [money(v) for v in table["interest"]],
        t("part.penalty", lang): [money(v) for v in table["penalty"]],
        t("capacity.total_paid", lang): [money(v) for v in table["total_paid"]],
    }).set_index(t("col.strategy", lang))
    same = len(set(zip(months, table["interest"], table["penalty"], strict=True))) == 1
    return view, same


def refusable_text(enforceable: float, contractual: float, months: int, basis: str, lang: str) -> str | None:
    """Where the lender's contractual claim and what can be enforced differ, the difference named
    as something the borrower can refuse to pay (None when they do not differ).

    >>> print(refusable_text(12400.0, 14257.61, 12, "enforceable", "en"))  # doctest: +ELLIPSIS
    Over these 12 months the contracts would charge ¥14,258 in interest, penalty and fees; what can be enforced is ¥12,400. The other ¥1,858 you can refuse to pay: ...
    """
    extra = round(contractual - enforceable, 2)
    if extra < 0.5:
        return None
    return t(f"capacity.refusable.{basis}", lang, n=months, contract=money(contractual, 0),
             enforceable=money(enforceable, 0), extra=money(extra, 0))


def first_short_month(result, lang: str, start: object = None) -> str | None:
    """The first month a plan asks more than there is, in words: which month, how much is due
    and missing, and the lender asking most that month (None when every month fits).

    >>> from lib.loans import make_loans
    >>> from lib.payoff import simulate
    >>> r = simulate(make_loans([{"lender": "甲贷", "balance": 1200, "annual_rate": 0.0, "remaining_months": 2},
    ...                          {"lender": "乙贷", "balance": 300, "annual_rate": 0.0, "remaining_months": 3}]), 650)
    >>> first_short_month(r, "en", "2026-12-01")
    'Month 1 (2027-01) asks ¥700.00 of the ¥650.00 you have: ¥50.00 short; most of it for 甲贷 (¥600.00).'
    """
    m = result.monthly
    over = (m["due"] - m["budget"]).round(2)
    bad = over[over > 0]
    if bad.empty:
        return None
    i = int(bad.index[0])
    month = int(m["month"].iloc[i])
    s = result.schedule
    that = s[s["month"] == month]
    top = that.loc[that["due"].idxmax()] if len(that) else None
    return t("compare.short_month", lang, m=month, ym=month_label(start or pd.Timestamp.today(), month),
             due=money(float(m["due"].iloc[i])), budget=money(float(m["budget"].iloc[i])),
             gap=money(float(over.iloc[i])), lender=md_escape(top["lender"]) if top is not None else "",
             amount=money(float(top["due"])) if top is not None else "")


def ask_lines(asks: Asks, lang: str) -> list[str]:
    """What to ask each lender (:func:`lib.negotiate.what_to_ask`) as markdown lines that wrap on a
    phone, and a last line when nothing reasonable fits; user text escaped.

    >>> from lib.capacity import Capacity
    >>> from lib.loans import make_loans
    >>> from lib.negotiate import what_to_ask
    >>> loans = make_loans([{"lender": "[x](y)", "balance": 12000, "annual_rate": 0.0, "remaining_months": 6}])
    >>> print(ask_lines(what_to_ask(loans, Capacity(income=2000)), "en")[0])
    **\\[x\\]\\(y\\)** · ¥2,000\\.00 in month 1 — Keep the contract\\: nothing to ask
    >>> print("\\n".join(ask_lines(what_to_ask(loans, Capacity(income=100)), "en")))
    **\\[x\\]\\(y\\)** · ¥200\\.00 in month 1 — The remaining ¥12,000\\.00 in 60 monthly instalments at 0%
    **Even with the largest concessions above, ¥100\\.00 a month is missing**
    """
    lines = [f"**{md_escape(a.lender)}** · " + md_escape(t("compare.ask_pay", lang, amount=money(a.monthly_payment)))
             + f" — {md_escape(ask_text(a, lang))}" for a in asks.asks]
    gap = gap_text(asks, lang)
    if gap is not None:
        lines.append(f"**{md_escape(gap)}**")
    return lines


def _part(name: str, lang: str) -> str:
    for key in (f"field.{name}", f"store.part.{name}"):
        if key in TEXT:
            return t(key, lang)
    return name


def scenario_error_text(err, lang: str) -> str:
    """Why a plan file or link could not be opened (a :class:`lib.scenario.ScenarioError`), in
    ``lang``, naming the place in words; whatever came from the file is escaped.

    >>> from lib.scenario import ScenarioError
    >>> print(scenario_error_text(ScenarioError("invalid", where="loans → 2 → balance", what="…",
    ...                                         type="greater_than_equal"), "en"))
    Something is wrong at “loans → 2 → Balance”: the value is too small \\(must not be negative\\).
    >>> print(scenario_error_text(ScenarioError("invalid", where="[x](y)", what="bad", type="?"), "zh"))
    “\\[x\\]\\(y\\)”处的内容有误：bad。
    """
    p = {k: md_escape(v) for k, v in err.params.items()}
    if err.code == "invalid":
        p["where"] = " → ".join(md_escape(_part(x, lang)) for x in str(err.params["where"]).split(" → "))
        why = f"store.why.{err.params.get('type')}"
        p["why"] = md_escape(t(why, lang)) if why in TEXT else p.get("what", "")
    return t(f"store.err.{err.code}", lang, **p)
