"""Every user-facing string, in Simplified Chinese (default) and English.

Pages never hard-code text: they call :func:`t`. Keys are grouped by where they are
used; ``{name}`` placeholders are filled with ``str.format``.

>>> t("app.title", "en")
'Loan negotiation planner'
>>> t("problem.bad_number", "zh", value="abc")
'无法识别的金额：“abc”'
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("zh", "en")
DEFAULT_LANG: Final = "zh"

# key -> (zh, en)
TEXT: Final[dict[str, tuple[str, str]]] = {
    # --- app shell -------------------------------------------------------------------
    "app.title": ("网贷协商还款规划器", "Loan negotiation planner"),
    "app.language": ("语言 / Language", "Language / 语言"),
    # --- value problems (lib.values raises ValueProblem(code, **params)) ---------------
    "problem.bad_number": ("无法识别的金额：“{value}”", "Not an amount: “{value}”"),
    "problem.negative": ("不能为负数：“{value}”", "Must not be negative: “{value}”"),
    "problem.bad_rate": ("无法识别的利率：“{value}”", "Not a rate: “{value}”"),
    "problem.rate_out_of_range": (
        "利率“{value}”折合年化 {annual}，超出合理范围（0–1000%）",
        "Rate “{value}” is {annual} a year, outside 0–1000 %",
    ),
    "problem.bad_integer": ("无法识别的整数：“{value}”", "Not a whole number: “{value}”"),
    "problem.bad_date": ("无法识别的日期：“{value}”", "Not a date: “{value}”"),
    "problem.bad_method": (
        "无法识别的还款方式：“{value}”（可填：等额本息、等额本金、先息后本、一次性还本付息、等本等息/手续费分期）",
        "Unknown repayment method: “{value}” (use annuity, equal principal, interest only, "
        "bullet or flat fee)",
    ),
    "problem.bad_kind": (
        "无法识别的类型：“{value}”（可填：网贷、消费金融、信用卡、银行、民间借贷、其他）",
        "Unknown kind: “{value}” (use online, consumer finance, credit card, bank, private, other)",
    ),
}


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """Look up ``key`` in ``lang`` (falls back to Chinese, then to the key itself)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text
