"""Read a borrower's loan file (CSV or Excel, Chinese or English) into the loan table.

Every data row becomes either a loan or a named :class:`Problem` (spreadsheet row,
column, a code and language-neutral params); good rows are never dropped because of bad
ones. What is read carries no UI language: a problem or note is put in words by its
``.text(lang)`` when shown, and a loan with no lender keeps a blank lender (its
``source_row`` names it; see :func:`lib.loans.named`). The same file gives the same
loans and the same problems whatever the language of the page.
Values a person would understand are understood (see :mod:`lib.values`); missing
optional values are derived where the contract allows and listed in ``derived``. A row
that names what is owed is a loan even when its remaining term cannot be known: then
the term is assumed as a person would (see :func:`lib.loans.assume_term`) and listed in
``assumed``, for the borrower to check.

>>> book = read_loans("平台,剩余本金,年化利率,剩余期数\\n借呗,12000,18%,12\\n花呗,abc,18%,6\\n".encode())
>>> book.loans[["lender", "balance", "annual_rate", "monthly_payment"]].values.tolist()
[['借呗', 12000.0, 0.18, 1100.17]]
>>> [(p.row, p.column, p.code, p.params) for p in book.problems]
[(3, '剩余本金', 'bad_number', {'value': 'abc'})]
>>> book.problems[0].text("zh"), book.problems[0].text("en")
('无法识别的金额：“abc”', 'Not an amount: “abc”')
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import io
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import numpy_financial as npf
import pandas as pd

from lib import values as v
from lib.fields import ALL_FIELDS, HeaderMatch, fold, match_header
from lib.i18n import LANGS, t
from lib.loans import ANNUITY, CREDIT_CARD, FLAT_FEE, assume_term, check_label, conform, empty_loans
from lib.schedules import contract_payment, contract_schedule

MAX_BYTES = 5 * 1024 * 1024  # (server.maxUploadSize in .streamlit/config.toml is larger: this is said here)
MAX_ROWS = 2000
# An .xlsx is a zip: it may unpack to at most this (its directory says how much before anything
# is unpacked; a "zip bomb" of a few hundred KB would unpack to gigabytes) …
MAX_UNZIPPED = 30 * 1024 * 1024
# … and at most this many cells are read from its sheets (2000 rows of 60 columns; empty cells
# count: a sheet may place one cell in row 1,000,000), columns after MAX_COLUMNS not at all.
MAX_CELLS = 120_000
MAX_COLUMNS = 256
HEADER_SCAN_ROWS = 15
MAX_MONTHS = 600  # 50 years; also the bound for months derived from a payment
MAX_DAYS = 36500  # 100 years overdue
# What a loan can hold, as lib.scenario.Loan does (it would refuse more): amounts in yuan, lender characters
MAX_MONEY = 1e10
MAX_LENDER = 200
_MONEY_FIELDS = ("balance", "monthly_payment", "overdue_amount", "interest", "penalty", "fees",
                 "principal_amount", "received")
# A total row starts with one of these words; an English one must end there ("Summit Bank" is a lender).
_SUMMARY = re.compile(r"(?:合计|总计|小计|汇总|total|sum|subtotal)(?![a-z])")
# Problems about the file as a whole, though reported on a row (the header's)
_FILE_CODES = frozenset({"no_balance_column"})


def _words(key: str, lang: str, params: dict[str, Any], row: int = 0) -> str:
    """``t(key, lang, **params)``, the language-dependent params put in words first: a param
    whose name ends in ``_field`` holds a field code (``"balance"``) and is shown as that
    field's label; a tuple (of the user's column names …) is listed as the language lists;
    a blank ``lender`` is the placeholder of an unnamed loan on ``row``.

    >>> _words("problem.repaid", "en", {"lender": ""}, row=4)
    '“Loan in row 4” owes nothing; not counted'
    >>> _words("note.ignored_columns", "zh", {"columns": ("序号", "备注")})
    '未使用的列：序号、备注'
    >>> _words("note.ignored_columns", "en", {"columns": ("序号", "备注")})
    'Columns not used: 序号, 备注'
    """
    sep = "、" if lang == "zh" else ", "
    shown = {k: (t(f"field.{x}", lang) if k.endswith("_field") else sep.join(map(str, x))
                 if isinstance(x, tuple | list) else x) for k, x in params.items()}
    if shown.get("lender") == "":
        shown["lender"] = t("loan.unnamed", lang, row=row)
    return t(key, lang, **shown)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one cell or row (``row`` 0 = the whole file).

    Only codes and language-neutral values: ``column`` is the header as written in the
    file ("" when the file has no column for it), ``field`` the code of the field concerned
    ("" when none), ``params`` numbers and the user's own cell text. :meth:`text` and
    :meth:`column_text` put it in words in the language of the page.
    ``severity`` is "error" when the row could not become a loan, "warning" when the
    loan was kept without that value.

    >>> p = Problem(5, "", "missing_annual_rate", field="annual_rate")
    >>> p.column_text("zh"), p.column_text("en"), p.text("en")[:15]
    ('年化利率', 'Annual rate', 'Rate is missing')
    """

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"
    field: str = ""

    def text(self, lang: str) -> str:
        """What is wrong, in ``lang``."""
        return _words(f"problem.{self.code}", lang, self.params, self.row)

    def column_text(self, lang: str) -> str:
        """The column as the file names it, else the field's label in ``lang`` ("" for none)."""
        return self.column or (t(f"field.{self.field}", lang) if self.field else "")


@dataclass(frozen=True)
class Note:
    """Information about how the file was read (encoding, ignored columns …): a code and
    language-neutral params, put in words by :meth:`text`."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return _words(f"note.{self.code}", lang, self.params)


@dataclass
class LoanBook:
    """The result of reading: the loans, the problems, and notes on how it was read."""

    loans: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    source: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def skipped_rows(self) -> list[int]:
        """The rows that did not become a loan (each has an error naming it), in order.

        >>> read_loans("平台,剩余本金,年化利率\\n甲,1000,\\n乙,abc,18%\\n甲,1,18%\\n".encode()).skipped_rows
        [2, 3]
        """
        return sorted({p.row for p in self.errors if p.row > 0 and p.code not in _FILE_CODES})

    @property
    def file_errors(self) -> list[Problem]:
        """Errors about the whole file (not a table, no balance column …): no row was read."""
        return [p for p in self.errors if p.row == 0 or p.code in _FILE_CODES]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


# --------------------------------------------------------------------------- bytes → rows
def _load_bytes(source: str | Path | bytes | IO[bytes] | IO[str], filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), filename or ""
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), filename or path.name
    data = source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, filename or str(getattr(source, "name", ""))


def decode(data: bytes) -> tuple[str, str]:
    """Decode a text file the way Excel and WPS in China save it.

    UTF-8 (with or without BOM) and UTF-16 with BOM are recognised directly, then
    GB18030 (a superset of GBK/GB2312) whenever the bytes are valid GB18030 — a short
    GBK table is also valid Korean CP949, and charset-normalizer may guess only that;
    anything else goes to charset-normalizer.

    >>> decode("平台,余额".encode("gbk"))
    ('平台,余额', 'gb18030')
    >>> decode("\\ufeffa,b".encode("utf-8"))
    ('a,b', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for enc in ("utf-8", "gb18030"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(enc), enc
    guesses = [m.encoding for m in charset_normalizer.from_bytes(data)]
    for enc in guesses:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace"), "gb18030"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently.

    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n"), sniff_delimiter("a,b\\n")
    (';', '\\t', ',')
    """
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    best, best_score = ",", -1.0
    for delim in (",", "\t", ";", "|", "，"):
        counts = [ln.count(delim) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        score = freq / len(counts) * (1 if mode else 0) + min(mode, 20) / 100
        if score > best_score:
            best, best_score = delim, score
    return best


def _split(text: str, delim: str) -> list[list[Any]]:
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    except csv.Error:  # e.g. a NUL byte or an unterminated quote: fall back to plain splitting
        return [ln.split(delim) for ln in text.splitlines()]


def _csv_rows(text: str) -> list[list[Any]]:
    """The rows, split by the delimiter under which the header names the most fields
    (the sniffed one on a tie: ragged rows or "12,000" in a ;-file can fool the counts)."""
    sniffed = sniff_delimiter(text)
    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    best, best_score = sniffed, -1
    for delim in dict.fromkeys((sniffed, ",", "\t", ";", "|", "，")):
        if delim in head:
            layout = _layout(_split(head, delim))
            score = len({m.field for m in layout.columns.values()}) if layout else 0
            if score > best_score:
                best, best_score = delim, score
    return _split(text, best)


class _TooLarge(Exception):
    """A workbook past a limit while being read: ``code`` and ``params`` of the file problem."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _check_unzipped(data: bytes, limit: int = MAX_UNZIPPED) -> None:
    """Refuse an .xlsx whose parts would unpack to more than ``limit`` bytes, by the sizes its
    zip directory states (nothing is unpacked; a part whose directory understates its size is
    cut off there by :mod:`zipfile` and fails its checksum).

    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 1_000_000)
    >>> len(buf.getvalue()) < 20_000
    True
    >>> _check_unzipped(buf.getvalue(), limit=5_000_000)
    Traceback (most recent call last):
    ...
    lib.ingest._TooLarge: unzipped_too_big
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        size = sum(max(0, i.file_size) for i in z.infolist())
    if size > limit:
        raise _TooLarge("unzipped_too_big", size=f"{size / 1048576:,.0f}", limit=f"{limit / 1048576:.0f}")


def _cell_budget(limit: int) -> Any:
    """A counter of cells read; raises :class:`_TooLarge` past ``limit``."""
    left = [limit]

    def spend(n: int) -> None:
        left[0] -= n
        if left[0] < 0:
            raise _TooLarge("too_many_cells", limit=f"{limit:,}", rows=MAX_ROWS)
    return spend


def _excel_sheets(data: bytes, old: bool, max_cells: int = MAX_CELLS) -> list[tuple[str, list[list[Any]]]]:
    """All sheets as lists of rows, row 1 of the sheet first; at most ``max_cells`` cells in all
    (:class:`_TooLarge` past it) and :data:`MAX_COLUMNS` columns."""
    spend = _cell_budget(max_cells)
    if old:
        import xlrd  # .xls (Excel 97–2003, still exported by many banks)

        # (its warnings about a damaged file go nowhere: not into the server's log)
        book = xlrd.open_workbook(file_contents=data, logfile=io.StringIO())
        sheets = []
        for sh in book.sheets():
            rows = []
            spend(sh.nrows * min(sh.ncols, MAX_COLUMNS))
            for i in range(sh.nrows):
                row = []
                for cell in sh.row(i)[:MAX_COLUMNS]:
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    else:
                        row.append(cell.value)
                rows.append(row)
            sheets.append((sh.name, rows))
        return sheets
    import openpyxl

    def value(cell: Any) -> Any:
        # A cell formatted as a percent holds the fraction (18 % is 0.18): keep what it shows
        v = cell.value
        if isinstance(v, int | float) and not isinstance(v, bool) and "%" in (cell.number_format or ""):
            return f"{v * 100:.10g}%"
        return v

    def rows(ws: Any) -> list[list[Any]]:
        out = []
        for r in ws.iter_rows(min_row=1, max_col=MAX_COLUMNS):  # (a gap of rows comes as empty rows)
            spend(max(1, len(r)))
            out.append([value(c) for c in r])
        return out

    _check_unzipped(data)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            ws.reset_dimensions()  # not the size the sheet claims (A1:XFD1048576): the cells it has
            sheets.append((ws.title, rows(ws)))
        return sheets
    finally:
        wb.close()


def _kind_of_bytes(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "unknown_binary"
        return "xlsx" if any(n.startswith("xl/") for n in names) else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    for magic, kind in ((b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"),
                        (b"BM", "image"), (b"RIFF", "image"), (b"%PDF", "pdf")):
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown_binary"
    return "text"


def _is_screenshot(data: bytes) -> bool:
    """A PNG, JPEG or WebP picture: what a phone's screenshot is (lib.ocr reads it)."""
    return data.startswith((b"\x89PNG", b"\xff\xd8\xff")) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _is_html_table(data: bytes) -> bool:
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff")) and b"<table" in data[:1_000_000].lower()


def _html_tables(text: str) -> list[list[list[Any]]]:
    """Every <table> of an HTML page as rows of cells (header rows included, as text)."""
    try:
        frames = pd.read_html(io.StringIO(text), header=None, thousands=None, keep_default_na=False,
                              flavor="lxml")
    except Exception:  # no table, or markup lxml cannot make sense of: the same to the user
        return []
    tables = []
    for df in frames:
        head = [] if isinstance(df.columns, pd.RangeIndex) else [[str(c) for c in df.columns]]
        tables.append(head + df.astype(object).values.tolist())
    return tables


# --------------------------------------------------------------------------- header → columns
@dataclass
class _Layout:
    header_row: int  # index into rows
    columns: dict[int, HeaderMatch]  # column index -> match
    headers: list[str]
    ignored: list[str]
    duplicates: list[str]


_EXACT_HEADERS = frozenset(fold(s) for f in ALL_FIELDS for s in (*f.synonyms, *f.fallback))
_CHECK_HEADERS = frozenset(fold(check_label(lg)) for lg in LANGS)  # the editor's own, read-only column


def _is_value(cell: Any) -> bool:
    """A cell that reads as a rate, method, kind or days: data (日息万五, 等额本金, 逾期30天
    contain header words), not a header, so a data row never outscores the real header."""
    if fold(str(cell)) in _EXACT_HEADERS:  # 银行, EMI: a header spelled exactly wins
        return False
    for parse in (v.parse_rate, v.parse_method, v.parse_kind, v.parse_days):
        with contextlib.suppress(v.ValueProblem):
            if parse(cell) is not None:
                return True
    return False


def _layout(rows: list[list[Any]]) -> _Layout | None:
    """Find the header row (the one naming the most known fields) among the first rows."""
    best: tuple[int, int] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        fields = {m.field for c in row if (m := match_header(c)) and not _is_value(c)}
        score = len(fields)
        if score >= 2 and (best is None or score > best[1]):
            best = (i, score)
    if best is None:
        return None
    idx = best[0]
    headers = ["" if h is None else str(h).strip() for h in rows[idx]]
    taken: dict[str, int] = {}
    columns: dict[int, HeaderMatch] = {}
    ignored, duplicates = [], []

    def rank(m: HeaderMatch) -> tuple[int, int]:  # prefer strong synonyms, annual rates
        return (1 if m.strong else 0, 1 if m.unit in ("", "annual") else 0)

    for j, h in enumerate(headers):
        if fold(h) in _CHECK_HEADERS:
            continue
        m = match_header(h)
        if m is None:
            if h:
                ignored.append(h)
            continue
        if m.field in taken:
            k = taken[m.field]
            if rank(m) > rank(columns[k]):
                duplicates.append(headers[k])
                del columns[k]
            else:
                duplicates.append(h)
                continue
        taken[m.field] = j
        columns[j] = m
    return _Layout(idx, columns, headers, ignored, duplicates)


# --------------------------------------------------------------------------- one row → loan
def _blank(cell: Any) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


def _at_most(n: int | None, limit: int, cell: Any) -> int | None:
    """A count no larger than ``limit`` (a typo like 100000000 would overflow the arithmetic)."""
    if n is not None and n > limit:
        raise v.ValueProblem("bad_integer", value=str(cell))
    return n


def _parse_cell(m: HeaderMatch, cell: Any, day_basis: int) -> Any:
    f = m.field
    if f in ("lender",):
        return None if _blank(cell) else " ".join(str(cell).split())  # the user's own spelling
    if f == "kind":
        return v.parse_kind(cell)
    if f == "method":
        return v.parse_method(cell)
    if f == "annual_rate":
        if m.percent and isinstance(cell, int | float) and not isinstance(cell, bool):
            cell = f"{cell}%"
        elif m.percent and isinstance(cell, str) and cell.strip() and "%" not in cell:
            with contextlib.suppress(ValueError):
                cell = f"{float(v.normalise_text(cell))}%"
        return v.parse_rate(cell, unit=m.unit or None, day_basis=day_basis)
    if f in ("remaining_months", "term_months"):
        return _at_most(v.parse_months(cell), MAX_MONTHS, cell)
    if f == "paid_months":
        return parse_paid(cell)
    if f == "overdue_days":
        return _at_most(v.parse_days(cell), MAX_DAYS, cell)
    if f == "start_date":
        return v.parse_date(cell)
    amount = v.parse_money(cell, scale=m.scale)
    if amount is not None and amount > MAX_MONEY:
        raise v.ValueProblem("too_large", value=str(cell), limit=f"{MAX_MONEY:,.0f}")
    return amount


_PAID_WORDS = re.compile(r"已还款|已还|已付|paid|of", re.I)


def parse_paid(cell: Any) -> tuple[int | None, int | None]:
    """Months already paid, and the term when the cell states it ("已还 4/12 期": 4 of 12).

    >>> parse_paid("4"), parse_paid("已还 4/12 期"), parse_paid("4 of 12"), parse_paid("已还4期")
    ((4, None), (4, 12), (4, 12), (4, None))
    >>> parse_paid("13/12")
    Traceback (most recent call last):
    ...
    lib.values.ValueProblem: Not a whole number: “13/12”
    """
    text = _PAID_WORDS.sub(lambda m: "/" if m.group().lower() == "of" else "", v.normalise_text(str(cell)))
    left, slash, right = text.partition("/")
    paid = _at_most(v.parse_months(left), MAX_MONTHS, cell)
    term = _at_most(v.parse_months(right), MAX_MONTHS, cell) if slash else None
    if slash and (paid is None or term is None or paid > term):
        raise v.ValueProblem("bad_integer", value=str(cell))
    return paid, term


def months_elapsed(start: Any, as_of: date) -> int:
    """Whole months from ``start`` to ``as_of``: how many monthly instalments have fallen due
    (each on the start's day of the month, or the month's last day when it is shorter).

    >>> d = pd.Timestamp("2024-03-15")
    >>> months_elapsed(d, date(2025, 1, 14)), months_elapsed(d, date(2025, 1, 15)), months_elapsed(d, date(2024, 3, 1))
    (9, 10, -1)
    >>> months_elapsed(pd.Timestamp("2024-01-31"), date(2024, 2, 29))
    1
    """
    start = pd.Timestamp(start)
    n = (as_of.year - start.year) * 12 + as_of.month - start.month
    due_day = min(start.day, calendar.monthrange(as_of.year, as_of.month)[1])
    return n - (1 if as_of.day < due_day else 0)


def _months_from_payment(rec: dict[str, Any]) -> int | None:
    """等额本息 months from balance, rate and payment (``nper``, rounded up); None if it cannot be."""
    bal, pay, rate = rec["balance"], rec.get("monthly_payment"), rec.get("annual_rate")
    if rate is None or not pay or rec["method"] != ANNUITY or not bal > 0 or not pay > bal * rate / 12:
        return None
    r = rate / 12
    nper = float(npf.nper(r, -pay, bal)) if r > 0 else bal / pay
    return max(1, math.ceil(nper - 1e-9)) if math.isfinite(nper) and 0 < nper <= MAX_MONTHS else None


def _months_from_term(rec: dict[str, Any], paid: int | None, as_of: date) -> int | None:
    """The term less the months paid (or, failing that, the months run since the loan date);
    a term that has run out is due now (1 month)."""
    term = rec.get("term_months")
    if not term:
        return None
    if paid is None and rec.get("start_date") is not None:
        paid = max(0, months_elapsed(rec["start_date"], as_of))
    return None if paid is None else max(1, int(term) - paid)


def _rate_from_payment(rec: dict[str, Any]) -> float | None:
    """等额本息 rate from balance, months and payment (``rate`` × 12); None if it cannot be."""
    bal, pay, n = rec["balance"], rec.get("monthly_payment"), rec.get("remaining_months")
    if not (pay and n and rec["method"] == ANNUITY and pay * n >= bal > 0):
        return None
    rate = float(npf.rate(n, -pay, bal, 0)) * 12
    return round(rate, 6) if math.isfinite(rate) and 0 <= rate <= 10 else None


def _default_kind_and_method(rec: dict[str, Any]) -> list[str]:
    derived = []
    if rec.get("kind") is None:  # first: a card's default method depends on it
        rec["kind"] = v.guess_kind(rec.get("lender") or "")
        derived.append("kind")
    if rec.get("method") is None:
        rec["method"] = FLAT_FEE if rec["kind"] == CREDIT_CARD else ANNUITY
        derived.append("method")
    return derived


def _balance_from_amount(rec: dict[str, Any], paid: int | None) -> float | None:
    """What is left of the amount borrowed after the instalments paid, by the contract's own plan
    (:func:`lib.schedules.contract_schedule` of the amount over the term): the amount itself when
    nothing is known to be paid; None when the months paid are known but not the rate or term.

    >>> _balance_from_amount({"principal_amount": 12000.0, "method": "equal_principal"}, None)
    12000.0
    >>> _balance_from_amount({"principal_amount": 12000.0, "method": "equal_principal", "term_months": 12,
    ...                       "annual_rate": 0.12}, 4)  # 4 of 12 equal parts of 1,000 paid
    8000.0
    """
    amount = rec.get("principal_amount")
    if amount is None or not paid:
        return amount
    term, rate = rec.get("term_months"), rec.get("annual_rate")
    if not term or rate is None:
        return None
    if paid >= term:
        return 0.0
    plan = contract_schedule(amount, rate, int(term), rec["method"], principal_amount=amount)
    return float(plan["balance"].iloc[paid - 1])


def _assume_months(rec: dict[str, Any], derived: list[str]) -> list[str]:
    """Assume the remaining months (and the method that goes with it, unless one was given)."""
    guess = assume_term(rec["kind"], rec.get("term_months"))
    rec["remaining_months"] = guess.months
    assumed = ["remaining_months"]
    if guess.method is not None and "method" in derived:  # only a method the reader chose itself
        rec["method"] = guess.method
        derived.remove("method")
        assumed.append("method")
    return assumed


def _derive(rec: dict[str, Any], unreadable: set[str], as_of: date
            ) -> tuple[dict[str, Any], list[str], list[str], str | None]:
    """Fill what the contract allows and assume what only a person could; return (record,
    derived fields, assumed fields, the missing field that keeps the row from being a loan).

    The remaining months come from the file, else from the payment (等额本息), else from
    the term less the months paid or run since the loan date, else they are assumed
    (:func:`lib.loans.assume_term`) — but never in place of a value the borrower wrote
    and the reader could not read (``unreadable``): that row stays an error to fix.

    A missing rate is never assumed. It decides the interest and the legal yardstick: a
    kind's typical rate, or its legal line, would be a guess hiding exactly what the
    borrower must know, and would make an unlawful rate look lawful. Such a row stays an
    error naming its row and the rate column, and every page says that rows were not taken.
    """
    paid, term = rec.pop("paid_months", None) or (None, None)
    if rec.get("term_months") is None and term is not None:
        rec["term_months"] = term
    derived = _default_kind_and_method(rec)
    if rec.get("balance") is None and "balance" not in unreadable:  # never in place of what was written
        rec["balance"] = _balance_from_amount(rec, paid)
        if rec["balance"] is not None:
            derived.append("balance")
    if rec.get("balance") is None:
        return rec, derived, [], "balance"
    if rec.get("remaining_months") is None and "remaining_months" not in unreadable:
        n = _months_from_payment(rec) or _months_from_term(rec, paid, as_of)
        if n is not None:
            rec["remaining_months"] = n
            derived.append("remaining_months")
    if rec.get("annual_rate") is None and (rate := _rate_from_payment(rec)) is not None:
        rec["annual_rate"] = rate
        derived.append("annual_rate")
    if rec.get("annual_rate") is None:
        return rec, derived, [], "annual_rate"
    assumed: list[str] = []
    if rec.get("remaining_months") is None:
        if "remaining_months" in unreadable:
            return rec, derived, [], "remaining_months"
        if rec["balance"] == 0:
            rec["remaining_months"] = 1
            derived.append("remaining_months")
        else:
            assumed = _assume_months(rec, derived)
    if rec["remaining_months"] == 0:
        rec["remaining_months"] = 1  # due now
        derived.append("remaining_months")
    derived += _derive_payments(rec)
    return rec, derived, assumed, None


def _derive_payments(rec: dict[str, Any]) -> list[str]:
    """The monthly payment (from the contract) and the overdue amount (one instalment per
    30 days overdue), when missing."""
    derived = []
    bal = rec["balance"]
    if rec.get("monthly_payment") is None:
        rec["monthly_payment"] = contract_payment(
            bal, rec["annual_rate"], rec["remaining_months"], rec["method"],
            principal_amount=rec.get("principal_amount"), term_months=rec.get("term_months"))
        derived.append("monthly_payment")
    if rec.get("overdue_days") and rec.get("overdue_amount") is None:
        months = math.ceil(rec["overdue_days"] / 30)
        owed = bal + (rec.get("interest") or 0) + (rec.get("penalty") or 0) + (rec.get("fees") or 0)
        rec["overdue_amount"] = round(min(owed, months * rec["monthly_payment"]), 2)
        derived.append("overdue_amount")
    return derived


def _parse_row(cells: dict[int, Any], layout: _Layout, label: dict[int, str], rownum: int,
               day_basis: int) -> tuple[dict[str, Any], list[Problem], set[str]]:
    """The row's readable values, a warning per unreadable one, and the unreadable fields."""
    rec: dict[str, Any] = {}
    problems: list[Problem] = []
    unreadable: set[str] = set()
    for j, m in layout.columns.items():
        if _blank(cells[j]):
            continue
        try:
            rec[m.field] = _parse_cell(m, cells[j], day_basis)
        except v.ValueProblem as exc:
            problems.append(Problem(rownum, label[j], exc.code, dict(exc.params), "warning", m.field))
            unreadable.add(m.field)
    if rec.get("lender") is None:
        rec["lender"] = ""  # unnamed: shown by its row (lib.loans.named), never a name made up here
    elif len(rec["lender"]) > MAX_LENDER:  # kept, shortened, and said so
        j = next(j for j, m in layout.columns.items() if m.field == "lender")
        problems.append(Problem(rownum, label[j], "lender_too_long",
                                {"length": len(rec["lender"]), "limit": MAX_LENDER}, "warning", "lender"))
        rec["lender"] = rec["lender"][:MAX_LENDER]
    return rec, problems, unreadable


def _rows_to_book(rows: list[list[Any]], layout: _Layout, *, first_row: int,
                  day_basis: int, source: str, notes: list[Note], as_of: date | None = None) -> LoanBook:
    as_of = as_of or date.today()
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    label = {j: layout.headers[j] for j in layout.columns}
    lender_col = next((j for j, m in layout.columns.items() if m.field == "lender"), None)
    for i in range(layout.header_row + 1, len(rows)):
        row = rows[i]
        rownum = first_row + i
        cells = {j: (row[j] if j < len(row) else None) for j in layout.columns}
        if all(_blank(c) for c in row):
            continue
        first = next((str(c).strip().lower() for c in row if not _blank(c)), "")
        if _SUMMARY.match(first):
            notes.append(Note("summary_row", {"row": rownum}))
            continue
        rec, row_problems, unreadable = _parse_row(cells, layout, label, rownum, day_basis)
        rec, derived, assumed, missing = _derive(rec, unreadable, as_of)
        if missing is not None:
            col = next((label[j] for j, m in layout.columns.items() if m.field == missing), "")
            bad_here = [p for p in row_problems if p.field == missing]
            row_problems = [p for p in row_problems if p.field != missing]
            params = bad_here[0].params if bad_here else {}
            code = bad_here[0].code if bad_here else f"missing_{missing}"
            row_problems.append(Problem(rownum, col, code, params, "error", missing))
            problems.extend(row_problems)
            continue
        if (big := next((f for f in _MONEY_FIELDS if (rec.get(f) or 0) > MAX_MONEY), None)) is not None:
            # worked out from the file (a payment of 90 % a month on 10 billion): more than a loan holds
            problems.extend(row_problems)
            col = next((label[j] for j, m in layout.columns.items() if m.field == big), "")
            problems.append(Problem(rownum, col, "too_large", {"value": f"{rec[big]:,.2f}",
                                                               "limit": f"{MAX_MONEY:,.0f}"}, "error", big))
            continue
        if rec["balance"] == 0 and not any(rec.get(k) for k in ("interest", "penalty", "fees")):
            problems.extend(row_problems)
            col = label[lender_col] if lender_col is not None else ""
            problems.append(Problem(rownum, col, "repaid", {"lender": rec["lender"]}, "error"))
            continue
        problems.extend(row_problems)
        rec["derived"] = ",".join(derived)
        rec["assumed"] = ",".join(assumed)
        rec["source_row"] = rownum
        records.append(rec)
    loans = conform(pd.DataFrame(records)) if records else empty_loans()
    if layout.ignored:
        notes.append(Note("ignored_columns", {"columns": tuple(layout.ignored)}))
    if layout.duplicates:
        notes.append(Note("duplicate_columns", {"columns": tuple(layout.duplicates)}))
    return LoanBook(loans, problems, notes, source)


def _file_problem(code: str, source: str, **params: Any) -> LoanBook:
    return LoanBook(empty_loans(), [Problem(0, "", code, params, "error")], [], source)


# --------------------------------------------------------------------------- public API
def read_loans(source: str | Path | bytes | IO[bytes] | IO[str], filename: str | None = None, *,
               day_basis: int = 360, max_bytes: int = MAX_BYTES,
               max_rows: int = MAX_ROWS, as_of: date | None = None) -> LoanBook:
    """Read a CSV/TSV or Excel (.xlsx, .xls) loan file into a :class:`LoanBook`.

    A screenshot of a lender's app (PNG, JPEG, WebP) is read by :func:`lib.ocr.read_screenshot`
    when screenshot reading is installed (``lib.ocr.available()``), else it is ``not_table_image``.

    ``source`` is a path, bytes or a file object. Never raises for bad content: a file
    that is not a loan table comes back with no loans and one problem at row 0.
    ``as_of`` (default today) is the date the months run since a loan date are counted to.
    Below: 甲 has run 5 whole months of 12 (Apr 15 … Aug 15), 7 left, 12,000 at 1.5 % a month
    over 7 = 1,818.67; 乙, a card with no term, pays 10 % of 5,000 plus a month's 1.5 %.

    >>> book = read_loans("平台,剩余本金,年化利率,总期数,借款日期,类型\\n"
    ...                   "甲,12000,18%,12,2024-03-15,网贷\\n乙,5000,0.05%/天,,,信用卡\\n".encode(),
    ...                   as_of=date(2024, 9, 1))
    >>> book.loans[["remaining_months", "method", "monthly_payment", "derived", "assumed"]].values.tolist()
    [[7, 'annuity', 1818.68, 'method,remaining_months,monthly_payment', ''], [10, 'equal_principal', 575.0, 'monthly_payment', 'remaining_months,method']]
    """
    try:
        data, name = _load_bytes(source, filename)
    except (OSError, ValueError) as exc:  # e.g. a missing path, or a path with a NUL byte
        return _file_problem("unreadable", str(source), error=str(exc))
    if len(data) > max_bytes:
        return _file_problem("too_big", name, size=f"{len(data) / 1048576:.1f}",
                             limit=f"{max_bytes / 1048576:.0f}")
    if not data.strip():
        return _file_problem("empty", name)
    kind = _kind_of_bytes(data)
    notes: list[Note] = []
    if kind == "image" and _is_screenshot(data):
        from lib import ocr  # optional: pip install -r requirements-ocr.txt

        if ocr.available():
            return ocr.read_screenshot(data, name, day_basis=day_basis, as_of=as_of)
    if kind in ("image", "pdf", "zip", "unknown_binary"):
        return _file_problem(f"not_table_{kind}", name)
    if kind in ("xlsx", "xls"):
        try:
            sheets = _excel_sheets(data, old=kind == "xls")
        except _TooLarge as exc:
            return _file_problem(exc.code, name, **exc.params)
        except Exception as exc:  # a corrupt workbook: any reader error means the same to the user
            return _file_problem("bad_excel", name, error=type(exc).__name__)
        found = [(sname, rows, lay) for sname, rows in sheets if (lay := _layout(rows))]
        if not found:
            return _file_problem("no_columns", name)
        sname, rows, layout = max(found, key=lambda x: len(x[2].columns))
        if len(sheets) > 1:
            notes.append(Note("sheet_used", {"sheet": sname}))
    elif _is_html_table(data):
        # an "Excel" export that is really a web page (many bank and platform downloads)
        text, encoding = decode(data)
        tables = _html_tables(text)
        found = [(i, rows, lay) for i, rows in enumerate(tables) if (lay := _layout(rows))]
        if not found:
            return _file_problem("no_columns", name)
        i, rows, layout = max(found, key=lambda x: len(x[2].columns))
        notes.append(Note("html_table", {"n": i + 1, "of": len(tables)}))
    else:
        text, encoding = decode(data)
        rows = _csv_rows(text)
        layout = _layout(rows)
        if encoding == "utf-8" and not data.isascii():  # a little GBK text (平台) can be valid UTF-8 too
            with contextlib.suppress(UnicodeDecodeError):
                alt_rows = _csv_rows(data.decode("gb18030"))
                alt = _layout(alt_rows)
                if alt is not None and (layout is None or len(alt.columns) > len(layout.columns)):
                    encoding, rows, layout = "gb18030", alt_rows, alt
        notes.append(Note("encoding", {"encoding": encoding.upper().replace("_", "-")}))
        if layout is None:
            return _file_problem("no_columns", name)
    data_rows = sum(1 for r in rows[layout.header_row + 1:] if not all(_blank(c) for c in r))
    if data_rows > max_rows:
        return _file_problem("too_many_rows", name, rows=data_rows, limit=max_rows)
    if layout.header_row:
        notes.append(Note("header_row", {"row": layout.header_row + 1}))
    fields = {m.field for m in layout.columns.values()}
    if "balance" not in fields and "principal_amount" not in fields:
        return LoanBook(empty_loans(), [Problem(layout.header_row + 1, "", "no_balance_column", {}, "error")],
                       notes, name)
    return _rows_to_book(rows, layout, first_row=1, day_basis=day_basis, source=name, notes=notes,
                         as_of=as_of)


def read_frame(frame: pd.DataFrame, *, day_basis: int = 360, first_row: int = 2,
               source: str = "", as_of: date | None = None) -> LoanBook:
    """Read a table whose headers are field labels (zh/en) or canonical names — the editor.

    Goes through exactly the same header matching, parsing and derivation as a file;
    ``first_row`` is the row number reported for the frame's first data row. The editor's
    read-only "please check" column is not read: a value typed where one was assumed is
    the borrower's own.
    """
    rows: list[list[Any]] = [list(map(str, frame.columns))]
    for rec in frame.itertuples(index=False):
        rows.append([None if pd.api.types.is_scalar(c) and pd.isna(c) else c for c in rec])
    layout = _layout(rows)
    if layout is None:
        return LoanBook(empty_loans(), [], [], source)
    return _rows_to_book(rows, layout, first_row=first_row - 1, day_basis=day_basis,
                         source=source, notes=[], as_of=as_of)
