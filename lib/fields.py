"""The columns a loan file may have: canonical name, labels, header synonyms, units, examples.

One typed table drives the file reader (header matching), the editor (labels), the
template download and the README's file-format section.

Header matching (see :func:`match_header`) is as generous as a person reading the file:
case, spaces, full-width characters and a trailing unit in brackets are ignored, and a
header that merely *contains* a synonym (``逾期罚息金额`` contains ``罚息``) still matches,
the longest synonym winning.

>>> match_header("剩余本金（万元）")
HeaderMatch(field='balance', unit='', scale=10000.0, percent=False)
>>> match_header("日利率(%)")
HeaderMatch(field='annual_rate', unit='daily', scale=1.0, percent=True)
>>> match_header("备注") is None
True
>>> match_header("已还期数").field, match_header("期数").field
('paid_months', 'term_months')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Field:
    name: str  # canonical column of lib.loans.COLUMNS
    zh: str  # label in the editor and template
    en: str
    unit_zh: str
    unit_en: str
    example_zh: str
    example_en: str
    synonyms: tuple[str, ...]  # header spellings (any case; full-width is folded)
    fallback: tuple[str, ...] = ()  # weaker spellings, used only when no strong one is present


FIELDS: Final[tuple[Field, ...]] = (
    Field("lender", "平台", "Lender", "文字", "text", "借呗", "Ant Jiebei",
          ("平台", "借款平台", "贷款平台", "平台名称", "机构", "机构名称", "贷款机构", "金融机构", "放款机构",
           "出借人", "债权人", "贷款产品", "借款产品", "产品名称", "lender", "platform", "creditor",
           "institution", "provider"),
          ("产品", "名称", "来源", "银行", "name", "product", "bank", "loan")),
    Field("kind", "类型", "Kind", "网贷 / 消费金融 / 信用卡 / 银行 / 民间借贷 / 其他",
          "online / consumer finance / credit card / bank / private / other", "网贷", "online",
          ("类型", "贷款类型", "借款类型", "债务类型", "类别", "种类", "kind", "type", "loan type", "category")),
    Field("balance", "剩余本金", "Balance", "元（可写 ¥、千分位、1.2万）", "CNY (¥, 12,000, 1.2万 all accepted)",
          "12,000", "12000",
          ("剩余本金", "待还本金", "未还本金", "本金余额", "贷款余额", "借款余额", "欠款本金", "剩余未还本金",
           "balance", "outstanding principal", "remaining principal", "principal balance", "outstanding",
           "principal outstanding"),
          ("本金", "余额", "欠款", "欠款金额", "待还金额", "剩余应还", "未还金额", "剩余金额", "amount owed",
           "owed", "debt", "amount")),
    Field("annual_rate", "年化利率", "Annual rate",
          "18% / 日息万五 / 0.05%/天 / 月息2分（日利率按360天折算）",
          "18% / 0.05%/day / 1.5%/month (daily × 360)", "18%", "18%",
          ("年化利率", "年利率", "年化", "综合年化", "利率", "费率", "apr", "annual rate", "interest rate", "rate",
           "日利率", "日息", "日费率", "daily rate", "月利率", "月息", "月费率", "每期费率", "分期费率", "手续费率",
           "monthly rate", "fee rate")),
    Field("method", "还款方式", "Method", "等额本息 / 等额本金 / 先息后本 / 一次性还本付息 / 等本等息",
          "annuity / equal principal / interest only / bullet / flat fee", "等额本息", "annuity",
          ("还款方式", "还款类型", "方式", "method", "repayment method", "repayment type", "repayment")),
    Field("remaining_months", "剩余期数", "Remaining months", "月（12、12期）", "months (12)", "12", "12",
          ("剩余期数", "剩余期限", "剩余月数", "待还期数", "未还期数", "remaining months", "remaining term",
           "months left", "months remaining", "remaining periods", "remaining instalments",
           "remaining installments")),
    Field("monthly_payment", "每期应还", "Monthly payment", "元；空着会按利率推算", "CNY; derived when blank",
          "1,100", "1100",
          ("每期应还", "月供", "每月还款", "每月应还", "月还款额", "月还款", "每期还款", "期供", "本期应还",
           "monthly payment", "instalment", "installment", "payment", "emi", "monthly")),
    Field("overdue_days", "逾期天数", "Days overdue", "天（0 = 未逾期）", "days (0 = current)", "0", "0",
          ("逾期天数", "逾期时长", "逾期", "days overdue", "overdue days", "dpd", "days past due")),
    Field("overdue_amount", "逾期金额", "Overdue amount", "元（已含在欠款里）", "CNY (already part of what is owed)",
          "0", "0",
          ("逾期金额", "逾期本息", "逾期应还", "已逾期金额", "逾期欠款", "overdue amount", "amount overdue",
           "past due", "arrears")),
    Field("interest", "未还利息", "Accrued interest", "元", "CNY", "0", "0",
          ("未还利息", "应还利息", "欠息", "应付利息", "已产生利息", "利息", "accrued interest", "unpaid interest",
           "interest")),
    Field("penalty", "罚息", "Penalty interest", "元", "CNY", "0", "0",
          ("罚息", "逾期罚息", "复利", "penalty", "penalty interest", "default interest", "late interest")),
    Field("fees", "费用", "Fees", "元（服务费、违约金、滞纳金等）", "CNY (service, late and other fees)", "0", "0",
          ("费用", "服务费", "手续费", "违约金", "滞纳金", "其他费用", "逾期管理费", "担保费", "会员费",
           "fees", "fee", "charges", "late fee", "service fee")),
    Field("principal_amount", "借款金额", "Amount borrowed", "元（合同本金）", "CNY (contract principal)",
          "20,000", "20000",
          ("借款金额", "贷款金额", "合同金额", "借款本金", "分期金额", "原始本金", "初始本金", "loan amount",
           "amount borrowed", "original principal", "principal")),
    Field("received", "到手金额", "Amount received", "元（扣除砍头息后实际到账）", "CNY (cash actually received)",
          "19,000", "19000",
          ("到手金额", "实际到账", "到账金额", "实际到手", "实收金额", "放款金额", "amount received", "received",
           "net disbursed", "disbursed")),
    Field("start_date", "借款日期", "Loan date", "YYYY-MM-DD", "YYYY-MM-DD", "2024-03-15", "2024-03-15",
          ("借款日期", "放款日期", "借款时间", "贷款日期", "起始日期", "开始日期", "合同日期", "签约日期",
           "loan date", "start date", "disbursed on", "opened", "date")),
    Field("term_months", "总期数", "Term (months)", "月", "months", "24", "24",
          ("总期数", "借款期数", "分期期数", "贷款期限", "借款期限", "期数", "期限", "term", "term months",
           "total months", "tenor", "periods", "instalments", "installments")),
)

# Columns a file may have that are read but not kept: they only help derive a loan column.
# 已还期数 (or "已还 4/12 期"): the remaining months are the term minus the months paid.
INPUT_FIELDS: Final[tuple[Field, ...]] = (
    Field("paid_months", "已还期数", "Months paid", "月（4，或 4/12 表示共 12 期已还 4 期）",
          "months (4, or 4/12: 4 of 12 paid)", "4", "4",
          ("已还期数", "已还期", "已还款期数", "已还期次", "已还/总期数", "还款进度", "paid months", "months paid",
           "paid instalments", "instalments paid", "paid installments", "installments paid", "periods paid")),
)
ALL_FIELDS: Final = FIELDS + INPUT_FIELDS
FIELD_BY_NAME: Final = {f.name: f for f in ALL_FIELDS}


@dataclass(frozen=True)
class HeaderMatch:
    field: str
    unit: str  # "daily" | "monthly" | "annual" | "" — for rate columns
    scale: float  # 10000 when the header says 万元
    percent: bool  # the header says the numbers are percents
    strong: bool = True  # matched a strong synonym (not a fallback)

    def __repr__(self) -> str:  # keep doctests short
        return (f"HeaderMatch(field={self.field!r}, unit={self.unit!r}, scale={self.scale}, "
                f"percent={self.percent})")


def fold(text: str) -> str:
    """Fold a header for comparison: NFKC, lower case, no spaces or separators.

    >>> fold("  Remaining  Principal ")
    'remainingprincipal'
    >>> fold("剩余本金（元）")
    '剩余本金(元)'
    """
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s_\-:：*#·.]+", "", text)


_BRACKETS = re.compile(r"[(\[【{](.*?)[)\]】}]")
_SYNONYMS: Final = sorted(
    ((fold(s), f.name, strong) for f in ALL_FIELDS
     for strong, group in ((True, f.synonyms), (False, f.fallback)) for s in group),
    key=lambda x: -len(x[0]),
)
MAX_HEADER: Final = 100  # characters
_DAILY = ("日", "天", "daily", "day", "/d")
_MONTHLY = ("月", "每期", "分期", "手续费", "monthly", "month", "/m")
_ANNUAL = ("年", "annual", "apr", "year", "/y")


def match_header(header: object) -> HeaderMatch | None:
    """Which field a column header names, with the unit it announces; None if unknown."""
    if header is None or len(text := str(header)) > MAX_HEADER:  # a long cell is data, never a header
        return None
    folded = fold(text)
    if not folded:
        return None
    units = " ".join(_BRACKETS.findall(folded))
    core = _BRACKETS.sub("", folded) or folded
    hit = next(((name, strong) for syn, name, strong in _SYNONYMS if syn == core), None)
    if hit is None:
        hit = next(((name, strong) for syn, name, strong in _SYNONYMS if len(syn) >= 2 and syn in core), None)
    if hit is None:
        return None
    name, strong = hit
    scale = 10000.0 if "万" in units or "wan" in units or "10k" in units else 1.0
    percent = "%" in folded
    unit = ""
    if name == "annual_rate":
        if any(k in core or k in units for k in _DAILY):
            unit = "daily"
        elif any(k in core or k in units for k in _MONTHLY):
            unit = "monthly"
        elif any(k in core or k in units for k in _ANNUAL):
            unit = "annual"  # a bare 利率 / rate states no period: 万五 stays daily, 2分 monthly
    return HeaderMatch(name, unit, scale, percent, strong)
