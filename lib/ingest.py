"""Read a borrower's loan file (CSV or Excel, Chinese or English) into the loan table.

Every data row becomes either a loan or a named :class:`Problem` (spreadsheet row,
column, message in the UI language); good rows are never dropped because of bad ones.
Values a person would understand are understood (see :mod:`lib.values`); missing
optional values are derived where the contract allows and listed in ``derived``.

>>> book = read_loans("平台,剩余本金,年化利率,剩余期数\\n借呗,12000,18%,12\\n花呗,abc,18%,6\\n".encode())
>>> book.loans[["lender", "balance", "annual_rate", "monthly_payment"]].values.tolist()
[['借呗', 12000.0, 0.18, 1100.16]]
>>> [(p.row, p.column, p.message) for p in book.problems]
[(3, '剩余本金', '无法识别的金额：“abc”')]
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import numpy_financial as npf
import pandas as pd

from lib import values as v
from lib.fields import FIELD_BY_NAME, FIELDS, HeaderMatch, fold, match_header
from lib.i18n import t
from lib.loans import ANNUITY, FLAT_FEE, conform, empty_loans
from lib.schedules import contract_payment

MAX_BYTES = 5 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml
MAX_ROWS = 2000
HEADER_SCAN_ROWS = 15
MAX_MONTHS = 600  # 50 years; also the bound for months derived from a payment
MAX_DAYS = 36500  # 100 years overdue
# A total row starts with one of these words; an English one must end there ("Summit Bank" is a lender).
_SUMMARY = re.compile(r"(?:合计|总计|小计|汇总|total|sum|subtotal)(?![a-z])")


@dataclass(frozen=True)
class Problem:
    """Something wrong with one cell or row (``row`` 0 = the whole file).

    ``severity`` is "error" when the row could not become a loan, "warning" when the
    loan was kept without that value.
    """

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"
    lang: str = "zh"

    @property
    def message(self) -> str:
        return self.text(self.lang)

    def text(self, lang: str) -> str:
        return t(f"problem.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Note:
    """Information about how the file was read (encoding, ignored columns …)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(f"note.{self.code}", lang, **self.params)


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


def _excel_sheets(data: bytes, old: bool) -> list[tuple[str, list[list[Any]]]]:
    """All sheets as lists of rows, row 1 of the sheet first."""
    if old:
        import xlrd  # .xls (Excel 97–2003, still exported by many banks)

        book = xlrd.open_workbook(file_contents=data)
        sheets = []
        for sh in book.sheets():
            rows = []
            for i in range(sh.nrows):
                row = []
                for cell in sh.row(i):
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

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [(ws.title, [[value(c) for c in r] for r in ws.iter_rows(min_row=1)]) for ws in wb.worksheets]
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


_EXACT_HEADERS = frozenset(fold(s) for f in FIELDS for s in (*f.synonyms, *f.fallback))


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
    if f == "overdue_days":
        return _at_most(v.parse_days(cell), MAX_DAYS, cell)
    if f == "start_date":
        return v.parse_date(cell)
    return v.parse_money(cell, scale=m.scale)


def _derive(rec: dict[str, Any]) -> tuple[dict[str, Any], list[str], str | None]:
    """Fill what the contract allows; return (record, derived fields, missing-field code)."""
    derived: list[str] = []
    if rec.get("kind") is None:  # first: a card's default method depends on it
        rec["kind"] = v.guess_kind(rec.get("lender") or "")
        derived.append("kind")
    method = rec.get("method")
    if method is None:
        rec["method"] = FLAT_FEE if rec.get("kind") == "credit_card" else ANNUITY
        derived.append("method")
    if rec.get("balance") is None and rec.get("principal_amount") is not None:
        rec["balance"] = rec["principal_amount"]
        derived.append("balance")
    if rec.get("balance") is None:
        return rec, derived, "balance"
    bal, pay = rec["balance"], rec.get("monthly_payment")
    n = rec.get("remaining_months")
    if n is None and rec.get("term_months") and rec.get("start_date") is not None:
        pass  # elapsed months are not knowable without the as-of date; keep it explicit
    if rec.get("annual_rate") is None and pay and n and rec["method"] == ANNUITY and pay * n >= bal > 0:
        rate = float(npf.rate(n, -pay, bal, 0)) * 12
        if math.isfinite(rate) and 0 <= rate <= 10:
            rec["annual_rate"] = round(rate, 6)
            derived.append("annual_rate")
    if rec.get("annual_rate") is None:
        return rec, derived, "annual_rate"
    r = rec["annual_rate"] / 12
    if n is None and pay and rec["method"] == ANNUITY and bal > 0 and pay > bal * r:
        nper = float(npf.nper(r, -pay, bal)) if r > 0 else bal / pay
        if math.isfinite(nper) and 0 < nper <= MAX_MONTHS:
            rec["remaining_months"] = max(1, math.ceil(nper - 1e-9))
            derived.append("remaining_months")
    if rec.get("remaining_months") is None:
        if bal == 0:
            rec["remaining_months"] = 1
            derived.append("remaining_months")
        else:
            return rec, derived, "remaining_months"
    if rec["remaining_months"] == 0:
        rec["remaining_months"] = 1  # due now
        derived.append("remaining_months")
    if pay is None:
        rec["monthly_payment"] = contract_payment(
            bal, rec["annual_rate"], rec["remaining_months"], rec["method"],
            principal_amount=rec.get("principal_amount"), term_months=rec.get("term_months"))
        derived.append("monthly_payment")
    if rec.get("overdue_days") and rec.get("overdue_amount") is None:
        months = math.ceil(rec["overdue_days"] / 30)
        owed = bal + (rec.get("interest") or 0) + (rec.get("penalty") or 0) + (rec.get("fees") or 0)
        rec["overdue_amount"] = round(min(owed, months * rec["monthly_payment"]), 2)
        derived.append("overdue_amount")
    return rec, derived, None


def _rows_to_book(rows: list[list[Any]], layout: _Layout, *, first_row: int, lang: str,
                  day_basis: int, source: str, notes: list[Note]) -> LoanBook:
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    label = {j: (layout.headers[j] or FIELD_BY_NAME[m.field].zh) for j, m in layout.columns.items()}
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
        rec: dict[str, Any] = {}
        row_problems: list[Problem] = []
        for j, m in layout.columns.items():
            if _blank(cells[j]):
                continue
            try:
                rec[m.field] = _parse_cell(m, cells[j], day_basis)
            except v.ValueProblem as exc:
                row_problems.append(Problem(rownum, label[j], exc.code, dict(exc.params), "warning", lang))
        if rec.get("lender") is None:
            rec["lender"] = t("loan.unnamed", lang, row=rownum)
        rec, derived, missing = _derive(rec)
        if missing is not None:
            col = next((label[j] for j, m in layout.columns.items() if m.field == missing),
                       t(f"field.{missing}", lang))
            bad_here = [p for p in row_problems if p.column == col]
            row_problems = [p for p in row_problems if p.column != col]
            params = bad_here[0].params if bad_here else {}
            code = bad_here[0].code if bad_here else f"missing_{missing}"
            row_problems.append(Problem(rownum, col, code, params, "error", lang))
            problems.extend(row_problems)
            continue
        if rec["balance"] == 0 and not any(rec.get(k) for k in ("interest", "penalty", "fees")):
            problems.extend(row_problems)
            col = label[lender_col] if lender_col is not None else ""
            problems.append(Problem(rownum, col, "repaid", {"lender": rec["lender"]}, "error", lang))
            continue
        problems.extend(row_problems)
        rec["derived"] = ",".join(derived)
        rec["source_row"] = rownum
        records.append(rec)
    loans = conform(pd.DataFrame(records)) if records else empty_loans()
    if layout.ignored:
        notes.append(Note("ignored_columns", {"columns": "、".join(layout.ignored)}))
    if layout.duplicates:
        notes.append(Note("duplicate_columns", {"columns": "、".join(layout.duplicates)}))
    return LoanBook(loans, problems, notes, source)


def _file_problem(code: str, lang: str, source: str, **params: Any) -> LoanBook:
    return LoanBook(empty_loans(), [Problem(0, "", code, params, "error", lang)], [], source)


# --------------------------------------------------------------------------- public API
def read_loans(source: str | Path | bytes | IO[bytes] | IO[str], filename: str | None = None, *,
               lang: str = "zh", day_basis: int = 360, max_bytes: int = MAX_BYTES,
               max_rows: int = MAX_ROWS) -> LoanBook:
    """Read a CSV/TSV or Excel (.xlsx, .xls) loan file into a :class:`LoanBook`.

    ``source`` is a path, bytes or a file object. Never raises for bad content: a file
    that is not a loan table comes back with no loans and one problem at row 0.
    """
    try:
        data, name = _load_bytes(source, filename)
    except (OSError, ValueError) as exc:  # e.g. a missing path, or a path with a NUL byte
        return _file_problem("unreadable", lang, str(source), error=str(exc))
    if len(data) > max_bytes:
        return _file_problem("too_big", lang, name, size=f"{len(data) / 1048576:.1f}",
                             limit=f"{max_bytes / 1048576:.0f}")
    if not data.strip():
        return _file_problem("empty", lang, name)
    kind = _kind_of_bytes(data)
    notes: list[Note] = []
    if kind in ("image", "pdf", "zip", "unknown_binary"):
        return _file_problem(f"not_table_{kind}", lang, name)
    if kind in ("xlsx", "xls"):
        try:
            sheets = _excel_sheets(data, old=kind == "xls")
        except Exception as exc:  # a corrupt workbook: any reader error means the same to the user
            return _file_problem("bad_excel", lang, name, error=type(exc).__name__)
        found = [(sname, rows, lay) for sname, rows in sheets if (lay := _layout(rows))]
        if not found:
            return _file_problem("no_columns", lang, name)
        sname, rows, layout = max(found, key=lambda x: len(x[2].columns))
        if len(sheets) > 1:
            notes.append(Note("sheet_used", {"sheet": sname}))
    elif _is_html_table(data):
        # an "Excel" export that is really a web page (many bank and platform downloads)
        text, encoding = decode(data)
        tables = _html_tables(text)
        found = [(i, rows, lay) for i, rows in enumerate(tables) if (lay := _layout(rows))]
        if not found:
            return _file_problem("no_columns", lang, name)
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
            return _file_problem("no_columns", lang, name)
    data_rows = sum(1 for r in rows[layout.header_row + 1:] if not all(_blank(c) for c in r))
    if data_rows > max_rows:
        return _file_problem("too_many_rows", lang, name, rows=data_rows, limit=max_rows)
    if layout.header_row:
        notes.append(Note("header_row", {"row": layout.header_row + 1}))
    fields = {m.field for m in layout.columns.values()}
    if "balance" not in fields and "principal_amount" not in fields:
        return LoanBook(empty_loans(), [Problem(layout.header_row + 1, "", "no_balance_column", {}, "error",
                                                lang)], notes, name)
    return _rows_to_book(rows, layout, first_row=1, lang=lang, day_basis=day_basis, source=name, notes=notes)


def read_frame(frame: pd.DataFrame, *, lang: str = "zh", day_basis: int = 360, first_row: int = 2,
               source: str = "") -> LoanBook:
    """Read a table whose headers are field labels (zh/en) or canonical names — the editor.

    Goes through exactly the same header matching, parsing and derivation as a file;
    ``first_row`` is the row number reported for the frame's first data row.
    """
    rows: list[list[Any]] = [list(map(str, frame.columns))]
    for rec in frame.itertuples(index=False):
        rows.append([None if pd.api.types.is_scalar(c) and pd.isna(c) else c for c in rec])
    layout = _layout(rows)
    if layout is None:
        return LoanBook(empty_loans(), [], [], source)
    return _rows_to_book(rows, layout, first_row=first_row - 1, lang=lang, day_basis=day_basis,
                         source=source, notes=[])
