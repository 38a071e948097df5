"""Everything that makes text in a language: what to ask a lender for, in words.

>>> from lib.loans import make_loans
>>> from lib.negotiate.transform import apply
>>> loans = make_loans([{"lender": "A", "balance": 6000, "annual_rate": 0.12, "remaining_months": 6,
...                      "penalty": 100}])
>>> opt = Option("extension", extension_months=6)
>>> describe(opt, loans.iloc[0], apply(opt, loans)[0].iloc[0], "en")
'Extend by 6 months: the remaining ¥6,100.00 over 12 months at the contract rate 12%'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from lib.fmt import money
from lib.i18n import t
from lib.loans import ANNUITY, BULLET, FLAT_FEE, INTEREST_ONLY, PRIVATE
from lib.negotiate.kinds import KINDS
from lib.negotiate.options import BASELINE, EXTENSION, INSTALMENTS, SETTLEMENT, WAIVER, Option
from lib.negotiate.transform import _fen, _legal_change, _waived_parts, applies

if TYPE_CHECKING:
    from lib.negotiate.asks import Ask, Asks


# --- in words --------------------------------------------------------------------------------------
def _rate_text(rate: float) -> str:
    """``0.0 → '0%'``, ``0.18 → '18%'``, ``0.0725 → '7.25%'``."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _loan_rate_text(row: Mapping[str, Any], lang: str) -> str:
    """A loan's rate as its contract states it: a flat fee by the month (月费率 0.75%), never × 12.

    >>> _loan_rate_text({"annual_rate": 0.09, "method": "flat_fee"}, "zh"), _loan_rate_text({"annual_rate": 0.12}, "en")
    ('月费率 0.75%', '12%')
    """
    rate = float(row["annual_rate"])
    if row.get("method") == FLAT_FEE:
        return t("rate.flat_fee", lang, pct=_rate_text(rate / 12))
    return _rate_text(rate)


def _share_text(share: float, lang: str) -> str:
    return t("negotiate.item.all", lang) if share >= 1.0 else _rate_text(share)


def _waiver_words(option: Option, before: Mapping[str, Any], lang: str) -> tuple[str, float]:
    """(the waived items in words, CNY waived) for one loan row before the option."""
    parts = _waived_parts(option, *(_fen([float(before[c])]) for c in ("interest", "penalty", "fees")))
    items = [t(f"negotiate.item.{name}", lang, pct=_share_text(share, lang))
             for name, share, amount in (("penalty", option.waive_penalty_pct, parts[1][0]),
                                         ("fees", option.waive_fees_pct, parts[2][0]),
                                         ("interest", option.waive_interest_pct, parts[0][0]))
             if amount > 0]
    rate = float(before["annual_rate"])
    if option.waives and option.new_rate is not None and option.new_rate < rate:
        items.append(t("negotiate.item.rate", lang, rate=_rate_text(option.new_rate)))
    return t("negotiate.item.sep", lang).join(items), float(sum(p[0] for p in parts)) / 100.0


def _legal_words(before: Mapping[str, Any], line: float, private: bool, lang: str) -> tuple[str, dict[str, Any]]:
    """The legal step for one loan in words, and its row after that step."""
    col = {c: np.array([before.get(c, d)], dtype=object if c == "method" else None)
           for c, d in (("balance", 0.0), ("interest", 0.0), ("penalty", 0.0), ("fees", 0.0),
                        ("overdue_amount", 0.0), ("annual_rate", 0.0), ("method", ANNUITY),
                        ("remaining_months", 1), ("principal_amount", np.nan), ("received", np.nan),
                        ("term_months", np.nan), ("monthly_payment", np.nan))}
    col.update(_above=np.array([True]), _line=np.array([line]))
    new, waived, _ = _legal_change(col)
    row = {**dict(before), **{k: v[0] for k, v in new.items()}}
    cut = {"penalty": float(before["penalty"]), "fees": float(before["fees"]),
           "deducted": float(before["balance"]) - float(row["balance"]),
           "interest": float(before["interest"]) - float(row["interest"])}
    items = t("negotiate.item.sep", lang).join(t(f"negotiate.legal_item.{k}", lang, amount=money(v))
                                               for k, v in cut.items() if round(v, 2) > 0)
    rule = t("negotiate.legal_rule." + ("private" if private else "licensed"), lang, line=_rate_text(line))
    key = "negotiate.ask.legal" if items else "negotiate.ask.legal_rate"
    return t(key, lang, rule=rule, items=items, amount=money(float(waived[0]) / 100.0),
             rate=_rate_text(float(row["annual_rate"]))), row


def describe(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], lang: str = "zh",
             line: float | None = None) -> str:
    """What to ask a lender for, in words: ``option`` for the loan row ``before``, which became
    the row ``after`` (:func:`apply`). ``line``: the loan's legal line when its real APR is above
    it (:func:`legal_lines`): a lawful option then asks for that first, citing the rule.

    >>> from lib.loans import make_loans
    >>> from lib.negotiate.transform import apply
    >>> loans = make_loans([{"lender": "A", "balance": 9000, "annual_rate": 0.18, "remaining_months": 6,
    ...                      "penalty": 300, "interest": 200, "overdue_amount": 1800}])
    >>> opt = Option("instalments", with_waiver=True, waive_interest_pct=0.0)
    >>> new, _ = apply(opt, loans)
    >>> describe(opt, loans.iloc[0], new.iloc[0])
    '免除全部罚息（共 ¥300.00），剩余 ¥9,200.00 分 36 期、0% 利率（停息分期）'
    >>> describe(opt, loans.iloc[0], new.iloc[0], "en")
    'Waive all of the penalty interest (¥300.00), then the remaining ¥9,200.00 in 36 monthly instalments at 0% (interest frozen)'
    >>> dear = make_loans([{"lender": "B", "balance": 15000, "annual_rate": 0.359, "remaining_months": 18}])
    >>> describe(Option("legal"), dear.iloc[0], apply(Option("legal"), dear)[0].iloc[0], "en", line=0.24)
    'First, the law: courts cut total cost above 24% a year when the borrower objects (法发〔2017〕22号, 2017-08-04) — so from now on 24% a year'
    """
    owed = sum(float(before[c]) for c in ("balance", "interest", "penalty", "fees"))
    if round(owed, 2) <= 0:
        return t("negotiate.ask.nothing_owed", lang)
    if option.lawful and line is not None:
        legal, row = _legal_words(before, line, str(before.get("kind")) == PRIVATE, lang)
        if option.own.kind == BASELINE or not applies(option.own, row):
            return legal
        rest = _describe(option.own, row, after, lang)
        return legal + t("negotiate.ask.then", lang) + rest[:1].lower() + rest[1:] if lang == "en" else \
            legal + t("negotiate.ask.then", lang) + rest
    return _describe(option.own if option.lawful else option, before, after, lang)


def _describe(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], lang: str) -> str:
    """:func:`describe` of an option's own concession (no legal step): the words of its kind
    (:data:`_WORDS`, else the template ``negotiate.ask.<kind>``), after the waiver's."""
    if KINDS[option.kind].change is None or not applies(option, before):
        return t("negotiate.ask.keep", lang)
    waived = _waiver_words(option, before, lang)
    text = _WORDS.get(option.kind, _template)(option, before, after, waived, lang)
    return text[:1].upper() + text[1:]


def _prefix(waived: tuple[str, float], lang: str) -> str:
    """The waiver ahead of a combination's own words ('' when it forgives nothing here)."""
    items, amount = waived
    return t("negotiate.ask.waive_prefix", lang, items=items, amount=money(amount)) if items else ""


def _template(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], waived: tuple[str, float],
              lang: str) -> str:
    """A kind without words of its own here: ``negotiate.ask.<kind>`` in ``lib.i18n``, filled with
    ``waive`` (the waiver's prefix), ``balance``, ``n`` (months), ``rate`` and ``pay`` (month-1
    instalment) of the loan after the option."""
    return t(f"negotiate.ask.{option.kind}", lang, waive=_prefix(waived, lang), balance=money(float(after["balance"])),
             n=int(after["remaining_months"]), rate=_loan_rate_text(after, lang),
             pay=money(float(after["monthly_payment"])))


def _waiver(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], waived: tuple[str, float],
            lang: str) -> str:
    items, amount = waived
    return t("negotiate.ask.waiver", lang, items=items, amount=money(amount))


def _extension(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], waived: tuple[str, float],
               lang: str) -> str:
    months = int(after["remaining_months"]) - option.grace_months
    balloon = str(before["method"]) in (INTEREST_ONLY, BULLET)  # the maturity moves, not a re-spread
    text = t("negotiate.ask.extension_maturity" if balloon else "negotiate.ask.extension", lang,
             waive=_prefix(waived, lang), k=option.extension_months, n=months,
             balance=money(float(after["balance"])), rate=_loan_rate_text(after, lang))
    if option.grace_months > 0:
        text += t(f"negotiate.ask.grace.{option.grace_mode}", lang, g=option.grace_months)
    return text


def _instalments(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], waived: tuple[str, float],
                 lang: str) -> str:
    freeze = t("negotiate.ask.freeze", lang) if option.plan_rate == 0 < float(before["annual_rate"]) else ""
    return t("negotiate.ask.instalments", lang, waive=_prefix(waived, lang), balance=money(float(after["balance"])),
             n=option.instalments_months, rate=_rate_text(option.plan_rate), freeze=freeze)


def _settlement(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], waived: tuple[str, float],
                lang: str) -> str:
    owed = sum(float(before[c]) for c in ("balance", "interest", "penalty", "fees"))
    balance = float(after["balance"])
    key = "negotiate.ask.settlement" if option.settle_months == 1 else "negotiate.ask.settlement_over"
    return t(key, lang, amount=money(balance), pct=_rate_text(option.settle_pct), forgiven=money(owed - balance),
             m=option.settle_months, pay=money(float(after["monthly_payment"])))


# Each kind's words, by name (a kind not here: :func:`_template`).
_WORDS: Final[dict[str, Callable[..., str]]] = {WAIVER: _waiver, EXTENSION: _extension, INSTALMENTS: _instalments,
                                                SETTLEMENT: _settlement}


def ask_text(ask: Ask, lang: str) -> str:
    """What to ask one lender for (:class:`lib.negotiate.asks.Ask`), in words, in ``lang``
    (:func:`describe` of its option on its loan, the legal line cited when it is above it).

    >>> from lib.capacity import Capacity
    >>> from lib.loans import make_loans
    >>> from lib.negotiate.asks import what_to_ask
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0, "remaining_months": 6}])
    >>> [ask_text(a, "zh") for a in what_to_ask(loans, Capacity(income=2000)).asks]
    ['按原合同还款，无需让步']
    """
    return describe(ask.option, ask.before, ask.after, lang, line=ask.line)


def gap_text(asks: Asks, lang: str) -> str | None:
    """When even the largest concessions do not fit, by how much a month, in words (None when the
    plan fits)."""
    return None if asks.fits else t("negotiate.ask.gap", lang, gap=money(asks.gap))
