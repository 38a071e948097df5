"""From OCR lines to loans: which words are labels, which are values, which belong together.

A lender's app shows a loan as labelled values: the label left and its value on the same row
to the right (``剩余本金 ………… ¥12,345.67``), or a small caption with its value just below
(``借款期限`` over ``12个月``), or both in one text box (``罚息 63.75元``). A few lines say it
all themselves (``已逾期 15 天``, ``已还 4/12 期``). A list page stacks one card per loan, each
under its lender's name; a summary above or below the cards (``待还总额``, ``合计``) is not a
loan.

The words are the file reader's (:func:`lib.fields.match_header`), plus the few that only
pages use (:data:`PAGE_LABELS`); a value is accepted for a label only if that field's parser
(:mod:`lib.values`) reads it. Advertising on the page (``分期日息万分之三起``, ``低至``,
``立即申请``) is never read.

>>> from lib.ocr.engine import Box, OcrLine
>>> page = [OcrLine("青禾贷", Box(40, 100, 160, 140), 0.99),
...         OcrLine("剩余本金", Box(40, 200, 160, 230), 0.99),
...         OcrLine("¥12,345.67", Box(800, 198, 1040, 232), 0.98),
...         OcrLine("借款期限", Box(40, 300, 160, 330), 0.97),
...         OcrLine("12个月", Box(40, 345, 130, 375), 0.96),
...         OcrLine("日息万分之三起，立即申请", Box(40, 500, 600, 530), 0.99)]
>>> (card,) = find_loans(page)
>>> card.lender.text, {f: r.text for f, r in card.fields.items()}
('青禾贷', {'balance': '¥12,345.67', 'term_months': '12个月'})
>>> card.fields["term_months"].label, card.fields["term_months"].confidence
('借款期限', 0.96)
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from lib import values as v
from lib.fields import ALL_FIELDS, HeaderMatch, fold, match_header
from lib.ingest import parse_paid
from lib.loans import CREDIT_CARD, FLAT_FEE
from lib.ocr.engine import Box, OcrLine

# Words only app pages use, not file headers (lib.fields): label -> field.
PAGE_LABELS: Final[dict[str, str]] = {
    "剩余待还": "balance", "待还本息": "balance", "剩余未还": "balance",
    "最低还款": "monthly_payment", "最低还款额": "monthly_payment", "最低应还": "monthly_payment",
    "本期最低还款": "monthly_payment", "最低还款金额": "monthly_payment",
    "透支利率": "annual_rate", "循环利率": "annual_rate", "循环利息利率": "annual_rate",
}
# On a credit-card bill "本期应还" is the whole bill (what is owed), not an instalment.
CARD_LABELS: Final[dict[str, str]] = {
    "本期应还": "balance", "本期应还金额": "balance", "本期账单": "balance", "本期账单金额": "balance",
    "账单金额": "balance", "应还金额": "balance", "本期待还": "balance", "本期应还款": "balance",
}
# A card bill: these words anywhere on the page.
_CARD_PAGE: Final = re.compile(r"信用卡|最低还款")
# Advertising and buttons: never a value of the loan shown.
_PROMO: Final = re.compile(r"起$|起[，,。!！\s]|低至|优惠|限时|专享|立享|立即申请|申请|领取|活动|推荐|福利|提额|"
                           r"可借|最高可|最高|免息券|新人|秒到|马上拿钱|去借钱|再借")
# A summary of the page, not one loan.
_TOTAL: Final = re.compile(r"合计|总计|小计|汇总|共计|总额|全部待还|待还总|总待还|^共\d+笔|^total|^sum")
# Titles of pages and buttons, never a lender.
_TITLE: Final = re.compile(r"(详情|明细|计划|记录|账单|列表|中心|首页|设置|客服|说明|协议|合同|还款|借款|贷款)$|^我的|^全部")
# A lender's name ends like one of these (青禾贷, 远山金条, 星河消费金融, 云帆银行信用卡 …).
_BRAND: Final = re.compile(r"(贷|借呗|借条|金条|白条|花呗|分期|银行|信用卡|消费金融|消金|小贷|金融|借钱|钱包|钱花|钱庄|"
                           r"易借|快借|e借|速借|金融公司|有限公司)$")
# Lines that say what they are: (pattern, field, the cell text to read).
_STATEMENTS: Final[tuple[tuple[re.Pattern[str], str, str], ...]] = (
    (re.compile(r"已?逾期\s*(\d+)\s*天"), "overdue_days", r"\1"),
    (re.compile(r"已还\s*(\d+)\s*/\s*(\d+)\s*期"), "paid_months", r"\1/\2"),
    (re.compile(r"(?:剩余|还剩|剩)\s*(\d+)\s*期"), "remaining_months", r"\1"),
    (re.compile(r"^共\s*(\d+)\s*期$"), "term_months", r"\1"),
)
_FALLBACKS: Final = frozenset(fold(w) for f in ALL_FIELDS for w in f.fallback)  # weak labels, taken only as written
MAX_LABEL: Final = 10  # characters: a longer line is a sentence, not a label
_ARROWS: Final = re.compile(r"[>›〉»]+$")
_SENTENCE: Final = re.compile(r"[将按请您你的如若了吗呢,。!?]")  # words of a sentence, never of a label
_DIGIT: Final = re.compile(r"[0-9]")
_INLINE: Final = re.compile(r"^(?P<label>[^0-9¥$:]{2,12}?)\s*[:]?\s*(?P<value>(?:[¥$+]|[0-9]|万分之|千分之).*)$")
_PERIODS: Final = {"daily": "日", "monthly": "月", "annual": "年"}


@dataclass(frozen=True)
class ReadField:
    """One value of a loan as it was read from the picture.

    ``label`` is the label as seen ("" for a line that says what it is, like 已逾期15天),
    ``text`` the value as seen, ``confidence`` the OCR's (the lower of label and value),
    ``box`` where the value is. ``how`` is "read", or "implied" for a value the page's words
    imply without stating it (a 月费率 is a flat-fee loan; a credit-card bill is a card).
    """

    field: str
    label: str
    text: str
    confidence: float
    box: Box
    how: str = "read"
    strong: bool = True  # a strong label (剩余本金), not a fallback one (余额)


@dataclass
class Card:
    """The lines of one loan: its lender (if seen) and its fields by name."""

    lender: ReadField | None = None
    fields: dict[str, ReadField] = field(default_factory=dict)

    def add(self, rf: ReadField) -> None:
        """Keep the first value of a field, unless a stronger label comes later."""
        old = self.fields.get(rf.field)
        if old is None or (rf.strong and not old.strong):
            self.fields[rf.field] = rf


@dataclass(frozen=True)
class _Label:
    line: OcrLine
    match: HeaderMatch | None  # None: a total (its value is taken and dropped)


# --------------------------------------------------------------------------- words
def clean(text: str) -> str:
    """The text as a cell: NFKC (full-width ￥ and digits), no arrows, no spaces inside numbers.

    >>> clean("￥ 12, 345.67 >"), clean("日利率："), clean("1.2 万")
    ('¥12,345.67', '日利率', '1.2万')
    """
    text = v.normalise_text(unicodedata.normalize("NFKC", text))
    text = _ARROWS.sub("", text).strip().rstrip(":").strip()
    text = re.sub(r"(?<=[0-9¥,.])\s+(?=[0-9,.万元%])", "", text)
    return re.sub(r"^¥\s+", "¥", text)


def is_promo(text: str) -> bool:
    """Advertising or a call to action, not the loan's own value.

    >>> is_promo("账单分期 日息万分之三起"), is_promo("最高可借20万"), is_promo("日利率")
    (True, True, False)
    """
    return bool(_PROMO.search(clean(text)))


def label_of(text: str, card_page: bool = False) -> _Label | None:
    """The field a label names (a :class:`_Label` whose match is None for a total), else None.

    >>> label_of("年化利率(单利)").match.unit, label_of("最低还款").match.field
    ('annual', 'monthly_payment')
    >>> label_of("本期应还").match.field, label_of("本期应还", card_page=True).match.field
    ('monthly_payment', 'balance')
    >>> label_of("待还总额").match is None, label_of("逾期将影响您的个人征信记录") is None
    (True, True)
    >>> label_of("每期手续费率").match.unit, label_of("日息万分之五") is None
    ('monthly', True)
    """
    t = clean(text)
    core = re.sub(r"[(\[【].*?[)\]】]", "", t)
    if not core or len(core) > MAX_LABEL or _DIGIT.search(core) or _SENTENCE.search(core) or is_promo(t):
        return None
    if _is_value(t) and not core.endswith("率"):  # 每期手续费率 names a rate; 每期手续费 alone is a method
        return None
    line = OcrLine(t, Box(0, 0, 0, 0), 1.0)
    if _TOTAL.search(fold(core)):
        return _Label(line, None)
    key = fold(core)
    name = (CARD_LABELS.get(key) if card_page else None) or PAGE_LABELS.get(key)
    if name is not None:
        m = match_header(t) if name == "annual_rate" else None
        return _Label(line, m if m is not None and m.field == name else HeaderMatch(name, "", 1.0, False))
    m = match_header(t)
    if m is None or (not m.strong and key not in _FALLBACKS):  # 云帆银行信用卡 is a name, not the label 银行
        return None
    return _Label(line, m)


def _is_value(text: str) -> bool:
    """A rate, method, days … by itself (日息万分之五 contains header words but is a value)."""
    for parse in (v.parse_rate, v.parse_method, v.parse_days, v.parse_money):
        with contextlib.suppress(v.ValueProblem):
            if parse(text) is not None:
                return True
    return False


# --------------------------------------------------------------------------- values
def rate_cell(m: HeaderMatch, text: str) -> str:
    """A rate as a cell that states its own period, from its label's (the label is not kept).

    >>> from lib.fields import match_header as mh
    >>> rate_cell(mh("日利率"), "0.05%"), rate_cell(mh("日息"), "万分之五"), rate_cell(mh("年化利率(单利)"), "18.25%")
    ('日0.05%', '日万分之五', '年18.25%')
    >>> rate_cell(mh("月费率"), "0.75%"), rate_cell(mh("利率"), "日0.05%"), rate_cell(mh("日利率(%)"), "0.05")
    ('月0.75%', '日0.05%', '日0.05%')
    """
    t = clean(text)
    if m.percent and re.fullmatch(r"[0-9.]+", t):
        t += "%"
    prefix = _PERIODS.get(m.unit, "")
    if prefix and not re.search(r"[日天月年]|/\s*[dmy]", t):
        t = prefix + t
    return t


def money_cell(m: HeaderMatch, text: str) -> str:
    """An amount as a cell; a label in 万元 makes a bare number 万.

    >>> from lib.fields import match_header as mh
    >>> money_cell(mh("剩余本金(万元)"), "1.2"), money_cell(mh("剩余本金"), "¥12,000.00")
    ('1.2万', '¥12,000.00')
    """
    t = clean(text)
    if m.scale == 10000 and re.fullmatch(r"[0-9.,]+", t):
        t += "万"
    return t


def cell_text(m: HeaderMatch, text: str) -> str:
    """The cell the file reader is given for a value read under label ``m``."""
    if m.field == "annual_rate":
        return rate_cell(m, text)
    if m.field in ("lender", "kind", "method"):
        return clean(text)
    return money_cell(m, text)


def fits(m: HeaderMatch, text: str) -> bool:
    """Whether ``text`` reads as a value of the label's field.

    >>> from lib.fields import match_header as mh
    >>> fits(mh("剩余本金"), "¥12,345.67"), fits(mh("剩余本金"), "12个月"), fits(mh("借款期限"), "12个月")
    (True, False, True)
    >>> fits(mh("已还期数"), "4/12"), fits(mh("借款日期"), "2026-03-15"), fits(mh("平台"), "青禾贷")
    (True, True, True)
    """
    cell = cell_text(m, text)
    f = m.field
    if f == "lender":
        return bool(cell) and not _DIGIT.fullmatch(cell) and not _is_value(cell)
    parse = {"kind": v.parse_kind, "method": v.parse_method, "annual_rate": v.parse_rate,
             "remaining_months": v.parse_months, "term_months": v.parse_months,
             "overdue_days": v.parse_days, "start_date": v.parse_date}.get(f, v.parse_money)
    try:
        if f == "paid_months":
            return parse_paid(cell)[0] is not None
        return parse(cell) is not None
    except v.ValueProblem:
        return False


def statement(line: OcrLine) -> ReadField | None:
    """A line that says what it is: 已逾期 15 天, 已还 4/12 期, 剩余 8 期, 共 12 期.

    >>> statement(OcrLine("您已逾期 15 天，请尽快还款", Box(0, 0, 1, 1), 0.9)).text
    '15'
    >>> statement(OcrLine("已还 4/12 期", Box(0, 0, 1, 1), 0.9)).field
    'paid_months'
    """
    t = clean(line.text)
    if is_promo(t):
        return None
    for pattern, name, cell in _STATEMENTS:
        if m := pattern.search(t):
            return ReadField(name, "", m.expand(cell), line.confidence, line.box)
    return None


def inline(line: OcrLine, card_page: bool) -> tuple[_Label, str] | None:
    """A label and its value in one text box: ``罚息 63.75元``, ``日利率：0.05%``.

    >>> lab, value = inline(OcrLine("罚息 63.75元", Box(0, 0, 1, 1), 0.9), False)
    >>> lab.match.field, value
    ('penalty', '63.75元')
    """
    t = clean(line.text)
    parts = re.split(r"[:]", t, maxsplit=1)
    candidates = [(parts[0], parts[1])] if len(parts) == 2 else []
    if m := _INLINE.match(t):
        candidates.append((m["label"], m["value"]))
    for label, value in candidates:
        lab = label_of(label, card_page)
        if lab is not None and value.strip() and (lab.match is None or fits(lab.match, value)):
            return lab, value.strip()
    return None


def is_lender(text: str) -> bool:
    """A lender's name as an app shows it over its card.

    >>> [is_lender(s) for s in ("青禾贷", "远山金条", "云帆银行信用卡", "借款详情", "信用卡账单", "合计")]
    [True, True, True, False, False, False]
    """
    t = clean(text)
    return (2 <= len(t) <= 16 and not _DIGIT.search(t) and bool(_BRAND.search(t)) and not _TITLE.search(t)
            and not is_promo(t) and not _TOTAL.search(t) and label_of(t) is None and not _is_value(t))


# --------------------------------------------------------------------------- geometry
def _same_row(a: Box, b: Box) -> bool:
    return a.overlap_y(b) >= 0.5 * min(a.height, b.height)


def _right_of(label: Box, value: Box) -> float | None:
    """How far ``value`` is to the right of ``label`` on the same row, else None."""
    if not _same_row(label, value) or value.x0 < label.x1 - 0.5 * label.height:
        return None
    return value.x0 - label.x1


def _below(label: Box, value: Box) -> float | None:
    """How far ``value`` is under ``label``, in the same column, else None."""
    gap = value.y0 - label.y1
    tall = max(label.height, value.height)
    if value.cy <= label.cy or gap > 1.2 * tall or gap < -0.3 * label.height:
        return None
    aligned = (label.overlap_x(value) > 0 or abs(value.x0 - label.x0) <= 2 * label.height
               or abs(value.cx - label.cx) <= 2 * label.height)
    return gap if aligned else None


def _between(a: Box, b: Box, others: Iterable[Box]) -> bool:
    """Whether another label's box stands between a label and a value."""
    for o in others:
        if o in (a, b):
            continue
        if _same_row(a, b) and _same_row(a, o) and a.x1 <= o.cx <= b.x0:
            return True
        if not _same_row(a, b) and a.cy < o.cy < b.cy and (o.overlap_x(a) > 0 and o.overlap_x(b) > 0):
            return True
    return False


def _pairs(labels: Sequence[_Label], values: Sequence[OcrLine]) -> list[tuple[_Label, OcrLine]]:
    """Labels matched with values: on the same row to the right first, else just below; the
    nearest fitting pair first, each line used once."""
    label_boxes = [lab.line.box for lab in labels]
    scored = []
    for i, lab in enumerate(labels):
        for j, val in enumerate(values):
            if lab.match is not None and not fits(lab.match, val.text):
                continue
            right = _right_of(lab.line.box, val.box)
            below = None if right is not None else _below(lab.line.box, val.box)
            if (right is None and below is None) or _between(lab.line.box, val.box, label_boxes):
                continue
            dist = right if right is not None else below
            scored.append((0 if right is not None else 1, dist, i, j))
    taken_l: set[int] = set()
    taken_v: set[int] = set()
    out = []
    for _, _, i, j in sorted(scored):
        if i in taken_l or j in taken_v:
            continue
        taken_l.add(i)
        taken_v.add(j)
        out.append((labels[i], values[j]))
    return out


def _placed(lab: _Label, line: OcrLine) -> _Label:
    """The label (its own words) where ``line`` stands on the page, as sure as the OCR was of it."""
    return _Label(OcrLine(lab.line.text, line.box, line.confidence), lab.match)


# --------------------------------------------------------------------------- loans
@dataclass(frozen=True)
class _Entry:
    y: float
    rf: ReadField | None  # None: a lender's name starts here
    lender: ReadField | None = None


def _read_field(lab: _Label, val_text: str, val: OcrLine, conf: float) -> ReadField | None:
    if lab.match is None:
        return None
    return ReadField(lab.match.field, lab.line.text, val_text, round(min(conf, val.confidence), 4), val.box,
                     strong=lab.match.strong)


def _entries(lines: Sequence[OcrLine], card_page: bool) -> list[_Entry]:
    """Every field and lender name on the page, with the height it stands at."""
    entries: list[_Entry] = []
    labels: list[_Label] = []
    values: list[OcrLine] = []
    for ln in lines:
        t = clean(ln.text)
        if not t or is_promo(t):
            continue
        if (rf := statement(ln)) is not None:
            entries.append(_Entry(ln.box.cy, rf))
        elif (lab := label_of(t, card_page)) is not None:
            labels.append(_placed(lab, ln))
        elif (pair := inline(ln, card_page)) is not None:
            rf = _read_field(_placed(pair[0], ln), pair[1], ln, ln.confidence)
            if rf is not None:
                entries.append(_Entry(ln.box.cy, rf))
        elif is_lender(t):
            entries.append(_Entry(ln.box.cy, None, ReadField("lender", "", t, ln.confidence, ln.box)))
        else:
            values.append(OcrLine(t, ln.box, ln.confidence))
    for lab, val in _pairs(labels, values):
        rf = _read_field(lab, val.text, val, lab.line.confidence)
        if rf is not None:
            entries.append(_Entry(lab.line.box.cy, rf))
    return sorted(entries, key=lambda e: e.y)


def _cards(entries: Sequence[_Entry]) -> list[Card]:
    """Entries grouped into cards: a lender's name starts a new card once the current one
    has fields (so a title repeated over its own card is one loan)."""
    head = Card()
    cards: list[Card] = []
    current = head
    for e in entries:
        if e.lender is not None:
            if current is head or current.fields:
                current = Card(lender=e.lender)
                cards.append(current)
            elif current.lender is None or current.lender.text != e.lender.text:
                current.lender = e.lender
        elif e.rf is not None:
            current.add(e.rf)
    cards = [c for c in cards if c.fields]
    if len(cards) <= 1 and head.fields:  # one loan: what stood above its name is its own
        one = cards[0] if cards else Card()
        for rf in head.fields.values():
            if rf.field not in one.fields:
                one.add(rf)
        cards = [one]
    return cards


def _implied(card: Card, card_page: bool) -> None:
    """What the page's words imply: a card bill is a credit card; a 月费率 a flat fee."""
    anchor = card.lender or next(iter(card.fields.values()))
    if card_page and "kind" not in card.fields:
        card.add(ReadField("kind", "", CREDIT_CARD, anchor.confidence, anchor.box, how="implied"))
    rate = card.fields.get("annual_rate")
    if rate is not None and "method" not in card.fields and _is_fee(rate.label):
        card.add(ReadField("method", rate.label, FLAT_FEE, rate.confidence, rate.box, how="implied"))


def _is_fee(label: str) -> bool:
    """A rate that is a fee charged each month on the original principal (月费率, 每期手续费率).

    >>> _is_fee("月费率"), _is_fee("分期手续费率"), _is_fee("月利率"), _is_fee("日利率")
    (True, True, False, False)
    """
    m = match_header(label)
    return m is not None and m.unit == "monthly" and ("费" in label or "fee" in label.lower())


def is_card_page(lines: Sequence[OcrLine]) -> bool:
    """Whether the page is a credit-card bill (信用卡 or 最低还款 on it)."""
    return any(_CARD_PAGE.search(clean(ln.text)) and not is_promo(ln.text) for ln in lines)


def loan_like(card: Card) -> bool:
    """At least two fields, one of them an amount owed (a chat that mentions 5000元 is no loan)."""
    owed = {"balance", "principal_amount", "monthly_payment", "overdue_amount"}
    return len(card.fields) >= 2 and bool(owed & card.fields.keys())


def find_loans(lines: Sequence[OcrLine]) -> list[Card]:
    """The loans on a page: one :class:`Card` per loan, top to bottom."""
    card_page = is_card_page(lines)
    cards = [c for c in _cards(_entries(lines, card_page)) if loan_like(c)]
    for c in cards:
        _implied(c, card_page)
    return cards
