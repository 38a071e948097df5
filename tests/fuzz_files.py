"""Seeded generators of hostile loan files, and the invariant every one of them must keep.

Each generator takes a :class:`random.Random` and returns a :class:`Fuzzed`: the bytes, a
file name, and — when the file was built as a table — the spreadsheet rows that hold
data. :func:`check` reads the file with :func:`lib.ingest.read_loans` and returns what is
wrong (an empty list when nothing is):

* it never raises (read_loans documents "never raises for bad content"),
* it answers within :data:`TIME_LIMIT` seconds of processor time (the wall clock is returned),
* every data row is a loan (its ``source_row``), or a problem names it, or a note says it
  is a total row; or a problem about the whole file says why nothing was read — and no
  loan or problem names a row that holds no data,
* every problem and note is worded in both languages,
* the scenario (what the import page keeps) holds what was read.

Used by ``tests/test_fuzz_ingest.py`` (a short run in CI) and ``bench/fuzz_ingest.py``
(the long run). Nothing here is personal: names and numbers are invented.
"""

from __future__ import annotations

import csv
import io
import json
import random
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lib.i18n import TEXT

TIME_LIMIT = 2.0  # seconds per file, as the issue asks

# --------------------------------------------------------------------------- cells
HEADERS = {  # a few spellings per field, zh and en, with units
    "lender": ["平台", "借款平台", "Lender", "机构名称", "银行"],
    "balance": ["剩余本金", "待还本金", "Balance", "剩余本金（万元）", "Outstanding principal"],
    "annual_rate": ["年化利率", "年利率(%)", "APR", "日利率", "月利率", "Annual rate"],
    "remaining_months": ["剩余期数", "Remaining months", "剩余期限"],
    "monthly_payment": ["每期应还", "月供", "Monthly payment"],
    "overdue_days": ["逾期天数", "Days overdue"],
    "method": ["还款方式", "Method"],
    "kind": ["类型", "Kind"],
    "start_date": ["借款日期", "Loan date"],
    "term_months": ["总期数", "Term (months)"],
    "paid_months": ["已还期数", "Months paid"],
    "interest": ["未还利息"], "penalty": ["罚息"], "fees": ["手续费"],
    "principal_amount": ["借款金额"],
}
UNKNOWN_HEADERS = ["备注", "序号", "Notes", "<b>列</b>", "=SUM(A1:A9)", "🙂", "\u202eevil", "", "x" * 300,
                   "<script>alert(1)</script>", "col\u200b", "NULL"]
GOOD = {
    "lender": ["借呗", "招联金融", "Ant Jiebei", "王某", "CMB 信用卡"],
    "balance": ["12,000", "￥8,000.50", "3万", "1.2万元", "0", "500"],
    "annual_rate": ["18%", "日息万五", "月息2分", "0.05%/天", "24", "0.18"],
    "remaining_months": ["12", "6期", "24", "1"],
    "monthly_payment": ["1,100", "500"],
    "overdue_days": ["0", "逾期30天", "无"],
    "method": ["等额本息", "等额本金", "先息后本", "flat fee"],
    "kind": ["网贷", "信用卡", "bank"],
    "start_date": ["2024-03-15", "2024/3/15", "45366"],
    "term_months": ["12", "36"], "paid_months": ["4", "已还 4/12 期"],
    "interest": ["100"], "penalty": ["20"], "fees": ["15"], "principal_amount": ["10000"],
}
HOSTILE = [
    "<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "**bold** [link](javascript:alert(3))",
    "=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "=cmd|' /C calc'!A0", "{{7*7}}", "${7*7}",
    "\u202eevil", "مرحبا بالعالم", "שלום", "🙂💸", "👨‍👩‍👧‍👦" * 20, "\u200b\u200b", "\u3000", "　１２，０００　",
    "1e308", "-1e308", "1e-320", "9" * 400, "1" + "0" * 30, "NaN", "inf", "-inf", "-0", "0x1F", "1_000",
    "１２０００", "壹万贰仟", "1.2.3", "12,,000", "%", "%%18", "18%%", "/天", "万", "期", "逾期-5天", "999999999999期",
    "9999-99-99", "0000-00-00", "1e5000", "١٢٣", "Ⅻ", "½", "2**1000", "1" * 100, "1" * 101,
    "\"", "\"\"", "'", "\\", ",", ";", "\t", "\r", "\n", "a\nb", "a\r\nb", "\x00", "\x01\x02", "\x7f",
    "合计", "总计：", "Total", "subtotal", "Summit Bank", "sum", "TOTAL 12000",
    "null", "None", "undefined", "true", "False", "[]", "{}", "<!--", "]]>", "&amp;", "&#0;", "\ufeff",
    "\ud7ff", "\U0010ffff", "\ufffd", "𠀀𪚥", "䶮", "㐀",
]


def long_name(rng: random.Random) -> str:
    return rng.choice("借呗平台银行AB🙂\u202e<") * rng.choice((300, 1000, 10_000))


def hostile_cell(rng: random.Random, field: str | None) -> object:
    """A cell for ``field``: usually a good value, often a hostile one, sometimes blank."""
    r = rng.random()
    if r < 0.15:
        return ""
    if r < 0.55 and field in GOOD:
        return rng.choice(GOOD[field])
    if r < 0.6:
        return long_name(rng)
    if r < 0.7:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 30)))
    return rng.choice(HOSTILE)


# --------------------------------------------------------------------------- the file
@dataclass
class Fuzzed:
    family: str
    name: str
    data: bytes
    # the spreadsheet rows holding data (1 = the first line or sheet row); None: not known
    rows: tuple[int, ...] | None = None
    seed: int = 0


def _table(rng: random.Random, *, n: int | None = None, title: bool | None = None
           ) -> tuple[list[list[object]], int]:
    """A table as rows of cells (title rows, a header of shuffled known and unknown
    columns, data rows, blank rows); returns it and the index of the header row."""
    fields = rng.sample(sorted(HEADERS), rng.randrange(2, len(HEADERS)))
    if rng.random() < 0.9 and "balance" not in fields:
        fields.append("balance")
    if rng.random() < 0.8 and "lender" not in fields:
        fields.append("lender")
    rng.shuffle(fields)
    cols: list[str | None] = list(fields)
    for _ in range(rng.randrange(0, 4)):
        cols.insert(rng.randrange(len(cols) + 1), None)
    header = [rng.choice(HEADERS[c]) if c else rng.choice(UNKNOWN_HEADERS) for c in cols]
    rows: list[list[object]] = []
    if title if title is not None else rng.random() < 0.3:
        rows += [["我的借款明细 " + rng.choice(HOSTILE)]] + [[]] * rng.randrange(0, 3)
    head = len(rows)
    rows.append(header)
    for _ in range(n if n is not None else rng.choice((0, 1, 2, 5, 10, 30, 100))):
        if rng.random() < 0.05:
            rows.append([""] * rng.randrange(0, len(cols) + 1))  # a blank row
            continue
        row = [hostile_cell(rng, c) for c in cols]
        if rng.random() < 0.1:  # ragged: too short or too long
            row = row[: rng.randrange(len(row) + 1)] if rng.random() < 0.5 else row + ["extra", "🙂"]
        rows.append(row)
    if rng.random() < 0.2:
        rows.append([rng.choice(("合计", "Total", "小计")), "99999", "", ""])
    return rows, head


def _blank(c: object) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())


def data_rows(rows: list[list[object]], head: int, first: int = 1) -> tuple[int, ...]:
    """The spreadsheet row numbers below the header that hold something."""
    return tuple(first + i for i in range(head + 1, len(rows)) if not all(_blank(c) for c in rows[i]))


def _csv_bytes(rows: list[list[object]], delim: str, encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def rng_line(rows: list[list[object]]) -> str:
    return "\r\n" if len(rows) % 2 else "\n"


def _clean_for(encoding: str, rows: list[list[object]]) -> list[list[object]]:
    """The cells as they survive ``encoding`` (unencodable characters become ?)."""
    return [[str(c).encode(encoding, errors="replace").decode(encoding) for c in r] for r in rows]


def gen_csv(encoding: str, family: str) -> Callable[[random.Random], Fuzzed]:
    def make(rng: random.Random) -> Fuzzed:
        rows, head = _table(rng)
        rows = [[str(c).replace("\x00", "") for c in r] for r in rows]  # NUL: binary, not text
        delim = rng.choice((",", ",", "\t", ";", "|")) if encoding != "utf-16" else "\t"
        rows = _clean_for(encoding, rows)
        data = _csv_bytes(rows, delim, encoding)
        if encoding == "utf-8" and rng.random() < 0.3:
            data = b"\xef\xbb\xbf" + data
        known = encoding != "big5"  # Big5 is read as GB18030: rows may be lost to a wrong header
        return Fuzzed(family, "借款.csv", data, data_rows(rows, head) if known else None)
    return make


def gen_garbage_encoding(rng: random.Random) -> Fuzzed:
    """A table whose lines are in different encodings, or cut mid-character."""
    rows, _ = _table(rng)
    lines = []
    for r in rows:
        line = ",".join(str(c).replace("\n", " ").replace("\r", " ").replace(",", " ") for c in r)
        enc = rng.choice(("utf-8", "gbk", "big5", "utf-16-le", "latin-1", "shift_jis", "cp1252"))
        b = line.encode(enc, errors="replace")
        if rng.random() < 0.2 and b:
            b = b[: rng.randrange(len(b))]
        lines.append(b)
    return Fuzzed("csv_garbage", "借款.csv", b"\n".join(lines))


def gen_xlsx(rng: random.Random) -> Fuzzed:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "借款" if rng.random() < 0.5 else "Sheet<1>"[: rng.randrange(1, 9)] or "S"
    rows, head = _table(rng)
    known: list[list[object]] = []
    for r in rows:
        out: list[object] = []
        for c in r:
            x: object = ILLEGAL_CHARACTERS_RE.sub("", str(c))[:32767]
            p = rng.random()
            if p < 0.1:
                x = rng.choice((12000, 0.18, 1e308, -1e308, 5e-324, 2**53, -0.0, 45366, True, 10**15))
            elif p < 0.15:
                x = "=" + rng.choice(("1/0", "A1*2", "SUM(B:B)", "HYPERLINK(\"http://x\")", "NOW()"))
            elif p < 0.17:
                x = "a" * 32767  # a cell as big as Excel allows
            out.append(x)
        known.append(out)
    for i, r in enumerate(known, 1):
        for j, c in enumerate(r, 1):
            cell = ws.cell(i, j, c if c != "" else None)
            if isinstance(c, float) and rng.random() < 0.3:
                cell.number_format = "0.00%"
    for k in range(rng.choice((0, 0, 1, 3, 30))):  # decoy sheets without a header
        extra = wb.create_sheet(f"S{k}")
        for i in range(rng.randrange(0, 5)):
            extra.cell(i + 1, 1, rng.choice(HOSTILE[:12]))
    buf = io.BytesIO()
    wb.save(buf)
    # formulas have no saved value (openpyxl writes none): read as blank, like an empty cell
    seen = [[None if isinstance(c, str) and c.startswith("=") else c for c in r] for r in known]
    return Fuzzed("xlsx", "借款.xlsx", buf.getvalue(), data_rows(seen, head))


# --------------------------------------------------------------------------- zip bombs
def _zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, deflated data, crc, true size, size written in the directory)."""
    out, central = b"", b""
    for name, comp, crc, _size, claimed in entries:
        n = name.encode()
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(comp), claimed, len(n), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(comp), claimed,
                               len(n), 0, 0, 0, 0, 0, len(out)) + n
        out += local + n + comp
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return out + central + end


def _deflate(chunks: list[bytes], repeat: int) -> tuple[bytes, int, int]:
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc, size, out = 0, 0, []
    head, body, tail = chunks
    for part in (head, *[body] * repeat, tail):
        out.append(z.compress(part))
        crc, size = zlib.crc32(part, crc), size + len(part)
    out.append(z.flush())
    return b"".join(out), crc, size


@lru_cache(maxsize=4)
def _bomb_sheet(kind: str) -> tuple[bytes, int, int]:
    """A sheet (or shared strings) that inflates to about 200 MB, deflated once per process."""
    if kind == "rows":  # ~400 MB of rows: 平台 | 剩余本金 header then the same row again and again
        row = b'<row><c t="inlineStr"><is><t>A</t></is></c><c><v>1</v></c></row>' * 1024
        return _deflate([b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                         b'spreadsheetml/2006/main"><sheetData>', row, b"</sheetData></worksheet>"], 3000)
    cell = b"<si><t>" + b"A" * 4096 + b"</t></si>"  # shared strings: one huge table of text
    return _deflate([b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     b'2006/main">', cell * 64, b"</sst>"], 800)


_CT = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       b'<Override PartName="/xl/worksheets/sheet1.xml" '
       b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_WB = (b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       b'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_ROOT_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def _plain(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = comp.compress(data) + comp.flush()
    return name, packed, zlib.crc32(data), len(data), len(data)


def gen_zip_bomb(rng: random.Random) -> Fuzzed:
    """A valid .xlsx-shaped zip whose sheet (or shared strings) inflates to hundreds of MB;
    sometimes its directory lies about the size."""
    kind = rng.choice(("rows", "strings"))
    packed, crc, size = _bomb_sheet(kind)
    claimed = size if rng.random() < 0.6 else rng.choice((1000, 2**32 - 1, 0))
    sheet = "xl/worksheets/sheet1.xml" if kind == "rows" else "xl/sharedStrings.xml"
    entries = [_plain("[Content_Types].xml", _CT), _plain("_rels/.rels", _ROOT_RELS), _plain("xl/workbook.xml", _WB),
               _plain("xl/_rels/workbook.xml.rels", _RELS)]
    if kind == "strings":
        entries.append(_plain("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                              b'openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'))
    entries.insert(rng.randrange(len(entries) + 1), (sheet, packed, crc, size, claimed))
    return Fuzzed("zip_bomb", rng.choice(("借款.xlsx", "bomb.xlsx")), _zip(entries))


# --------------------------------------------------------------------------- other families
def gen_xls_junk(rng: random.Random) -> Fuzzed:
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    body = bytearray(rng.randbytes(rng.choice((0, 100, 512, 4096, 20000))))
    if rng.random() < 0.5 and len(body) > 60:  # a plausible header: sector sizes, FAT counts
        body[16:24] = struct.pack("<HHHH", 0x3E, 3, 0xFFFE, rng.choice((9, 12, 0, 30)))
        body[36:44] = struct.pack("<ii", rng.randrange(-2, 2**20), rng.randrange(-2, 100))
    return Fuzzed("xls_junk", "借款.xls", head + bytes(body))


def gen_random(rng: random.Random) -> Fuzzed:
    prefix = rng.choice((b"", b"", b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xfe", b"\xfe\xff",
                         b"\xef\xbb\xbf", b"<", b"\xd0\xcf\x11\xe0", b"{", b"GIF8", b"BM"))
    n = rng.choice((1, 3, 17, 100, 1000, 10_000, 100_000))
    data = prefix + rng.randbytes(n)
    if rng.random() < 0.3:  # text-like: no NUL byte in the part that is sniffed
        data = data.replace(b"\x00", b" ")
    return Fuzzed("random", rng.choice(("x.csv", "x.xlsx", "x.xls", "x")), data)


def gen_html(rng: random.Random) -> Fuzzed:
    rows, head = _table(rng, title=False)

    def cell(c: object) -> str:
        s = str(c)
        return s if rng.random() < 0.3 else s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows)
    junk = rng.choice(("", "<script>alert(1)</script>", "<style>td{}</style>", "<table><tr><td>1</td></tr></table>",
                       "<!-- <table> -->", "<iframe src=javascript:alert(1)>"))
    page = f"<html><head><meta charset='utf-8'>{junk}</head><body><table>{body}</table>"
    if rng.random() < 0.2:
        page = page[: rng.randrange(len(page))]  # cut short
    enc = rng.choice(("utf-8", "utf-8", "gbk", "utf-16"))
    # rows are only known for a clean page: markup inside cells may make more or fewer
    return Fuzzed("html", rng.choice(("借款.xls", "借款.html")), page.encode(enc, errors="replace"))


def gen_json(rng: random.Random) -> Fuzzed:
    rows, _ = _table(rng)
    doc: object = rows if rng.random() < 0.5 else [dict(zip(map(str, rows[0]), map(str, r), strict=False))
                                                   for r in rows[1:]]
    return Fuzzed("json", rng.choice(("借款.json", "借款.csv")), json.dumps(doc, ensure_ascii=rng.random() < 0.5)
                  .encode())


def gen_empty(rng: random.Random) -> Fuzzed:
    data = rng.choice((b"", b" ", b"\n\n\n", b"\xef\xbb\xbf", b"\xff\xfe", "\ufeff\n".encode(), b"\r\n \t\r\n",
                       "平台,剩余本金\n".encode(), "平台,剩余本金,年化利率\n,,\n,,\n".encode(), b"\x00",
                       "\u3000\n".encode(), b",,,\n,,,\n"))
    return Fuzzed("empty", "借款.csv", data, ())  # no row holds data


def gen_limits(rng: random.Random) -> Fuzzed:
    """Just over (or at) the row limit, or over the size limit."""
    from lib.ingest import MAX_BYTES, MAX_ROWS

    if rng.random() < 0.2:
        filler = b"a,b\n" * (MAX_BYTES // 4 + rng.randrange(1, 1000))
        return Fuzzed("limits", "huge.csv", "平台,剩余本金\n".encode() + filler)
    n = MAX_ROWS + rng.choice((-1, 0, 1, 50))
    rows = [["平台", "剩余本金", "年化利率", "剩余期数"]] + [[f"L{i}", "100", "18%", "12"] for i in range(n)]
    return Fuzzed("limits", "many.csv", _csv_bytes(rows, ",", "utf-8"), data_rows(rows, 0))


FAMILIES: dict[str, tuple[Callable[[random.Random], Fuzzed], float]] = {  # generator, share of the files
    "csv_utf8": (gen_csv("utf-8", "csv_utf8"), 0.2),
    "csv_gbk": (gen_csv("gbk", "csv_gbk"), 0.12),
    "csv_utf16": (gen_csv("utf-16", "csv_utf16"), 0.08),
    "csv_big5": (gen_csv("big5", "csv_big5"), 0.05),
    "csv_garbage": (gen_garbage_encoding, 0.08),
    "xlsx": (gen_xlsx, 0.15),
    "zip_bomb": (gen_zip_bomb, 0.02),
    "xls_junk": (gen_xls_junk, 0.05),
    "random": (gen_random, 0.1),
    "html": (gen_html, 0.06),
    "json": (gen_json, 0.04),
    "empty": (gen_empty, 0.03),
    "limits": (gen_limits, 0.02),
}


def generate(n: int, seed: int, families: tuple[str, ...] | None = None):
    """``n`` files, each from its own seed (``seed`` + i), families in their shares
    (every family at least once when ``n`` allows); the same arguments give the same files."""
    names = list(families or FAMILIES)
    weights = [FAMILIES[f][1] for f in names]
    pick = random.Random(seed)
    order = names[:n] + pick.choices(names, weights, k=max(0, n - len(names)))
    for i, fam in enumerate(order):
        rng = random.Random(seed * 1_000_003 + i)
        f = FAMILIES[fam][0](rng)
        f.seed = seed * 1_000_003 + i
        yield f


# --------------------------------------------------------------------------- the invariant
def check(f: Fuzzed, time_limit: float = TIME_LIMIT) -> tuple[list[str], float, float]:
    """Read ``f`` and return (what is wrong, seconds on the clock, seconds of processor time)."""
    from lib.ingest import LoanBook, read_loans
    from lib.loans import COLUMNS
    from lib.scenario import Scenario, source_of

    start, cpu = time.perf_counter(), time.process_time()
    try:
        book = read_loans(f.data, f.name)
    except Exception as exc:  # noqa: BLE001 - any exception is a finding
        return ([f"raised {type(exc).__name__}: {str(exc)[:200]}"], time.perf_counter() - start,
                time.process_time() - cpu)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    bad: list[str] = []
    # the processor time: on a machine shared with others the wall clock also counts their work
    if cpu > time_limit:
        bad.append(f"took {cpu:.2f} s of processor time ({took:.2f} s on the clock)")
    if not isinstance(book, LoanBook) or list(book.loans.columns) != list(COLUMNS):
        return [*bad, "not a LoanBook of the loan columns"], took, cpu
    for item, kind in [(p, "problem") for p in book.problems] + [(n, "note") for n in book.notes]:
        if f"{kind}.{item.code}" not in TEXT:
            bad.append(f"no words for {kind}.{item.code}")
            continue
        for lang in ("zh", "en"):
            try:
                item.text(lang)
            except Exception as exc:  # noqa: BLE001
                bad.append(f"{kind}.{item.code} cannot be worded in {lang}: {exc!r}")
    try:  # what the import page does with it: the scenario must hold every loan read
        Scenario().with_loans(book.loans, source_of(book, "file"))
    except Exception as exc:  # noqa: BLE001
        bad.append(f"the scenario refuses it: {type(exc).__name__}: {str(exc)[:300]}")
    loan_rows = [int(r) for r in book.loans["source_row"]]
    if len(set(loan_rows)) != len(loan_rows):
        bad.append("two loans from one row")
    if book.file_errors:
        if len(book.loans):
            bad.append("loans despite a file error")
        return bad, took, cpu
    problem_rows = {p.row for p in book.problems}
    summary = {n.params.get("row") for n in book.notes if n.code == "summary_row"}
    if f.rows is not None:
        answered = set(loan_rows) | problem_rows | summary
        missing = [r for r in f.rows if r not in answered]
        extra = sorted(answered - set(f.rows))
        if missing:
            bad.append(f"data rows neither loan nor problem: {missing[:10]}")
        if extra:
            bad.append(f"rows named that hold no data: {extra[:10]}")
    return bad, took, cpu
