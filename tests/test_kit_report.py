"""The report (lib.kit.report): one self-contained HTML file and the same as a PDF.

Markers not in data/sample_loans.csv: lender 晨曦小贷 owing 7,777, a lender whose name is an
HTML injection, a file name and a writer's name of our own."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from lib.fmt import money
from lib.kit.report import PdfUnavailable, report_html, report_pdf
from lib.loans import make_loans
from lib.negotiate import compare_options
from lib.plan import chosen_plan
from lib.scenario import Scenario, Source

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
HOSTILE = "<img src=x onerror=alert(1)>"
TODAY = dt.date(2026, 12, 1)
ROWS = [
    {"lender": "晨曦小贷", "kind": "online", "balance": 7777, "annual_rate": 0.18, "remaining_months": 10,
     "interest": 55.5, "penalty": 20, "fees": 4.5, "overdue_days": 40, "overdue_amount": 900},
    {"lender": HOSTILE, "kind": "consumer_finance", "balance": 5000, "annual_rate": 0.30, "remaining_months": 12},
    {"lender": "远山信用卡", "kind": "credit_card", "balance": 3333, "annual_rate": 0.12, "remaining_months": 6,
     "fees": 66},
]
# owed = balance + interest + penalty + fees, by hand
OWED = 7777 + 55.5 + 20 + 4.5 + 5000 + 3333 + 66  # 16,256.00


@pytest.fixture(scope="module")
def case():
    loans = make_loans(ROWS)
    s = (Scenario().with_loans(loans, Source(origin="file", name="我的借款<b>.csv"))
         .with_capacity(income=6000, essentials=3500, cash=0, reserve=0)
         .evolve(kit={"name": "李四<script>"}))
    chosen = chosen_plan(s)
    table = compare_options(s.loans_frame, s.capacity.to_capacity(), basis=s.basis, **s.options.values())
    return s, chosen, table


@pytest.fixture(scope="module")
def pages(case):
    s, chosen, table = case
    return {lang: report_html(s, chosen, table, lang, TODAY) for lang in ("zh", "en")}


class _Refs(HTMLParser):
    """Every src/href of the document's tags, each script's own text, and the text outside scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.refs += [(tag, k, v or "") for k, v in attrs if k in ("src", "href", "srcset", "data", "poster")]
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)


def _parse(page: str) -> _Refs:
    p = _Refs()
    p.feed(page)
    return p


def _outside_scripts(page: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script\s*>", "", page, flags=re.S | re.I)


def test_plotly_inline_once_and_the_figures(pages):
    for page in pages.values():
        p = _parse(page)
        library = [s for s in p.scripts if "plotly.js v" in s[:2000] or "Plotly=" in s[:5000]]
        assert len([s for s in p.scripts if len(s) > 1_000_000]) == 1  # plotly.js source, once
        assert library, "plotly.js is inlined"
        assert page.count("Plotly.newPlot(") == 3  # the lenders, the APRs, the plan's timeline
        assert page.count('class="chart-static"') == 3  # and their static SVGs for the PDF
        assert 'src="http' not in page and "cdn.plot.ly/plotly" not in _outside_scripts(page)


def test_no_external_url(pages):
    for page in pages.values():
        p = _parse(page)
        assert not [r for r in p.refs if r[0] in ("script", "link", "img", "iframe", "source", "embed", "object")]
        assert not [r for r in p.refs if re.match(r"\s*(https?:)?//", r[2])]
        css = "\n".join(p.styles)
        assert "@import" not in css and "@font-face" not in css
        assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", css)
        outside = _outside_scripts(page)
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", outside)
        # the only URL left outside scripts is the SVG namespace, which loads nothing
        assert set(re.findall(r"https?://[^\s\"'<>)]+", outside)) <= {"http://www.w3.org/2000/svg"}
        assert '<meta name="viewport"' in page and "@page { size: A4; margin: 15mm" in page


def test_user_text_escaped_everywhere(pages):
    for page in pages.values():
        assert "<img src=x" not in page  # not in the HTML, not in a chart's JSON, not in an SVG
        assert "<script>\n" not in page.split("李四")[1][:20]
        outside = _outside_scripts(page)
        assert "&lt;img src=x onerror=alert(1)&gt;" in outside  # shown as text (tables and SVG labels)
        assert "我的借款&lt;b&gt;.csv" in outside and "李四&lt;script&gt;" in outside
        assert "<b>.csv" not in page and "李四<script>" not in page
        charts = [s for s in _parse(page).scripts if "Plotly.newPlot(" in s]
        assert charts and all("<img" not in s for s in charts)
        assert any("\\u003cimg" in s or "&lt;img" in s for s in charts)
        text = "".join(_parse(page).text)
        assert HOSTILE in text  # what a reader sees: the name, literally


def test_the_figures(case, pages):
    _, chosen, _ = case
    r = chosen.result
    assert round(OWED, 2) == 16256.0
    for lang, page in pages.items():
        assert money(OWED) in page  # ¥16,256.00, the total owed
        assert money(7777) in page  # 晨曦小贷's principal
        assert money(r.total_paid) in page
        months = f"{r.months_to_debt_free} 个月" if lang == "zh" else f"{r.months_to_debt_free} months"
        assert r.finishes and months in page
        for a in chosen.asks.asks:
            assert money(a.monthly_payment) in page
        assert page.count("<section") == 7


def test_both_languages(pages):
    zh, en = pages["zh"], pages["en"]
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en
    assert "还款协商方案" in zh and "不构成法律意见" in zh and "签订正式协议" in zh
    assert "Repayment negotiation plan" in en and "not legal advice" in en and "Sign a written agreement" in en
    assert "What to ask each lender" in en and "向每家提什么" in zh
    assert "<li><strong>" in zh and zh.count("<li><strong>") == 5  # the article's five steps
    assert "**" not in _outside_scripts(zh)


def test_unnamed_loan_named_in_the_language():
    s = Scenario().with_loans(make_loans([{"lender": "", "balance": 1000, "annual_rate": 0.0,
                                           "remaining_months": 4, "source_row": 3}]))
    s = s.with_capacity(income=1000, essentials=0)
    page = report_html(s, chosen_plan(s), compare_options(s.loans_frame, s.capacity.to_capacity()), "en", TODAY)
    assert "Loan in row 3" in page and "Prepared for" not in page


@pytest.fixture(scope="module")
def pdf(pages):
    return report_pdf(pages["zh"])  # (scripts/test.sh installs Pango: a missing one fails, never skips)


def test_pdf_text(case, pdf):
    _, chosen, _ = case
    assert pdf[:5] == b"%PDF-"
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in ("晨曦小贷", "远山信用卡", HOSTILE):
        assert name in text
    assert money(OWED) in text
    assert money(chosen.result.total_paid) in text
    assert "李四<script>" in text and "不构成法律意见" in text
    assert 3 <= len(reader.pages) <= 12
    first = reader.pages[0].extract_text()
    assert "欠了谁多少" in first and "晨曦小贷" in first  # the debts begin under the cover's figures
    box = reader.pages[0].mediabox  # A4: 595 × 842 pt
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


def test_pdf_page_as_png(pdf, tmp_path):
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is installed by scripts/test.sh"
    src = tmp_path / "report.pdf"
    src.write_bytes(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    for first in (1, 2):
        out = ARTIFACTS / f"report-page-{first}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(first), "-singlefile",
                        str(src), str(out)], check=True, timeout=60)
        png = out.with_suffix(".png")
        assert png.stat().st_size > 5000 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pdf_unavailable_says_what_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(PdfUnavailable, match="weasyprint.*pango"):
        report_pdf("<html></html>")
