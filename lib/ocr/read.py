"""A screenshot of a lender's app → a :class:`ScreenshotBook`: the loans, as the file reader
makes them, and where on the picture each value was read.

The loans go through the file reader itself: the values read from the picture become a
table of text cells, one row per loan, headed by the fields' own labels, and
:func:`lib.ingest.read_frame` reads it. So a screenshot's loans are derived, checked and
worded exactly as a file's (月供 ↔ 期数 ↔ 利率, the problems, the "please check" marks).
A row number in a problem is the loan's place on the picture (1 = the top one).

>>> from lib.ocr.engine import Box, OcrLine, OcrPage
>>> def at(text, y, x=40, conf=0.99):
...     return OcrLine(text, Box(x, y, x + 24 * len(text), y + 40), conf)
>>> page = OcrPage(1080, 2340, (at("远山金条", 300), at("剩余本金", 400), at("¥8,000.00", 400, x=800),
...                             at("日利率", 480), at("0.05%", 480, x=900), at("剩余期数", 560),
...                             at("6期", 560, x=950, conf=0.62)))
>>> book = book_from_page(page, "bill.png", as_of=date(2026, 12, 1))
>>> book.loans[["lender", "balance", "annual_rate", "remaining_months"]].values.tolist()
[['远山金条', 8000.0, 0.18, 6]]
>>> book.reads[0].fields["annual_rate"].text, [(p.code, p.field) for p in book.problems]
('0.05%', [('screenshot_unsure', 'remaining_months')])
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lib.fields import FIELD_BY_NAME, HeaderMatch, match_header
from lib.ingest import LoanBook, Note, Problem, read_frame
from lib.loans import empty_loans
from lib.ocr import engine
from lib.ocr.layout import Card, ReadField, cell_text, find_loans

MIN_WIDTH = 540  # pixels: a narrower picture has too few pixels per character to read reliably
MAX_PIXELS = 40_000_000  # a longer picture than a phone's scrolling screenshot is not a loan page
MAX_TALL = 14  # widths: a longer scrolling screenshot would be ~10 tiles (≈15 s) or more; asked in parts
LOW_CONFIDENCE = 0.85  # an OCR confidence below this: the value is listed for the borrower to check
HEADER = {name: f.zh for name, f in FIELD_BY_NAME.items()} | {"annual_rate": "利率"}  # 利率 states no period
ORDER = ("lender", "kind", "balance", "annual_rate", "method", "remaining_months", "monthly_payment",
          "overdue_days", "overdue_amount", "interest", "penalty", "fees", "principal_amount", "received",
          "start_date", "term_months", "paid_months")


@dataclass(frozen=True)
class LoanRead:
    """Where one loan's values were read: ``row`` is its row in the book (its ``source_row``
    and the row its problems name), ``fields`` each value read, by field name."""

    row: int
    fields: dict[str, ReadField]

    @property
    def unsure(self) -> list[ReadField]:
        """The values the OCR was not sure of (confidence below :data:`LOW_CONFIDENCE`)."""
        return [rf for rf in self.fields.values() if rf.how == "read" and rf.confidence < LOW_CONFIDENCE]


@dataclass
class ScreenshotBook(LoanBook):
    """A :class:`lib.ingest.LoanBook` read from a picture, with where each value was read."""

    reads: list[LoanRead] = field(default_factory=list)
    page: engine.OcrPage | None = None

    @property
    def unsure(self) -> list[tuple[int, ReadField]]:
        """(row, value) of every value read with low confidence."""
        return [(r.row, rf) for r in self.reads for rf in r.unsure]


def _problem(code: str, source: str, **params: object) -> ScreenshotBook:
    return ScreenshotBook(empty_loans(), [Problem(0, "", code, dict(params), "error")], [], source)


def picture_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the picture's header (nothing decoded), None if it is no picture.

    >>> import io
    >>> from PIL import Image
    >>> buf = io.BytesIO()
    >>> Image.new("RGB", (400, 300), "white").save(buf, "PNG")
    >>> picture_size(buf.getvalue()), picture_size(b"\\x89PNG not really")
    ((400, 300), None)
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            return int(im.width), int(im.height)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def cells(reads: list[LoanRead]) -> pd.DataFrame:
    """The values read, as text cells: one row per loan, a column per field read on any of
    them (by field name, in the reader's order), None where a loan has none.

    >>> from lib.ocr.engine import Box
    >>> rf = lambda f, label, text: ReadField(f, label, text, 0.99, Box(0, 0, 1, 1))
    >>> cells([LoanRead(1, {"lender": rf("lender", "", "远山"), "annual_rate": rf("annual_rate", "日利率", "0.05%")}),
    ...        LoanRead(2, {"balance": rf("balance", "剩余本金", "¥800")})]).values.tolist()
    [['远山', None, '日0.05%'], [None, '¥800', None]]
    """
    names = [f for f in ORDER if any(f in r.fields for r in reads)]
    rows = [[_cell(r.fields[f]) if f in r.fields else None for f in names] for r in reads]
    return pd.DataFrame(rows, columns=names, dtype=object)


def as_file(table: pd.DataFrame) -> pd.DataFrame:
    """Field-named cells headed by the fields' own labels, as the file reader reads them."""
    return table.rename(columns=HEADER)


def _cell(rf: ReadField) -> str:
    """The cell for a read value: stated in the units its label gave it (日利率 0.05% → 日0.05%)."""
    if rf.how == "implied":
        return rf.text
    m = match_header(rf.label) if rf.label else None
    if m is None or m.field != rf.field:
        m = HeaderMatch(rf.field, "", 1.0, False)
    return cell_text(m, rf.text)


def _reads(cards: list[Card]) -> list[LoanRead]:
    out = []
    for i, c in enumerate(cards, start=1):
        fields = dict(c.fields)
        if c.lender is not None and "lender" not in fields:
            fields["lender"] = c.lender
        out.append(LoanRead(i, fields))
    return out


def _unsure_problems(reads: list[LoanRead]) -> list[Problem]:
    return [Problem(r.row, rf.label, "screenshot_unsure", {"value": rf.text, "confidence": f"{rf.confidence:.0%}"},
                    "warning", rf.field) for r in reads for rf in r.unsure]


def book_from_page(page: engine.OcrPage, source: str = "", *, day_basis: int = 360,
                   as_of: date | None = None) -> ScreenshotBook:
    """The loans of a page already read by the OCR (see :func:`read_screenshot`)."""
    cards = find_loans(page.lines)
    if not cards:
        book = _problem("screenshot_no_loan", source)
        book.page = page
        return book
    reads = _reads(cards)
    base = read_frame(as_file(cells(reads)), day_basis=day_basis, first_row=1, source=source, as_of=as_of)
    note = Note("screenshot", {"loans": len(base.loans), "seen": len(cards)})
    return ScreenshotBook(base.loans, base.problems + _unsure_problems(reads), [note, *base.notes], source,
                          reads=reads, page=page)


def read_screenshot(data: bytes, source: str = "", *, day_basis: int = 360,
                    as_of: date | None = None) -> ScreenshotBook:
    """Read the loans on a screenshot of a lender's app (PNG, JPEG or WebP bytes).

    Never raises for bad content: a picture that is not a readable loan page comes back
    with no loans and one problem at row 0 (``not_table_image`` for bytes that are no
    picture, ``screenshot_too_small``, ``screenshot_no_loan`` …).
    """
    size = picture_size(data)
    if size is None:
        return _problem("not_table_image", source)
    width, height = size
    if width < MIN_WIDTH:
        return _problem("screenshot_too_small", source, width=width, min=MIN_WIDTH)
    if width * height > MAX_PIXELS:
        return _problem("screenshot_too_large", source, width=width, height=height)
    if height > MAX_TALL * width:
        return _problem("screenshot_too_long", source, height=height)
    try:
        page = engine.read_lines(data)
    except engine.ImageUnreadable:
        return _problem("not_table_image", source)
    except engine.OcrFailed as exc:
        return _problem("screenshot_failed", source, error=str(exc))
    return book_from_page(page, source, day_basis=day_basis, as_of=as_of)
