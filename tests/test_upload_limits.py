"""Upload limits on the import page (AppTest): a loan file above lib.ingest.MAX_BYTES or with more
than MAX_ROWS data rows is answered in the user's language with the limit and what was seen.
Streamlit's own server.maxUploadSize is above every reader's limit, so a file reaches the reader
and is refused in words the user reads; only a file above it gets Streamlit's English message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.ingest import MAX_BYTES, MAX_ROWS
from lib.scenario import MAX_FILE_BYTES
from lib.workspace import MAX_IMPORT_BYTES

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
HEADER = "平台,剩余本金,年化利率,剩余期数\n"


def upload(lang: str, name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/loans.py").run()
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.caption]
    parts += [df.value.to_string() for df in at.dataframe if hasattr(df.value, "to_string")]
    return "\n".join(map(str, parts))


def test_streamlit_lets_every_file_a_reader_refuses_itself_through() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    mb = config["server"]["maxUploadSize"] * 1024 * 1024  # Streamlit counts 1024 × 1024 bytes a MB
    assert mb == MAX_IMPORT_BYTES >= max(MAX_BYTES, MAX_FILE_BYTES)


@pytest.mark.parametrize(("lang", "words"), [("English", "The file is 6.0 MB, above the 5 MB limit"),
                                             ("中文", "文件有 6.0 MB，超过上限 5 MB")])
def test_a_file_above_the_size_limit_is_refused_in_the_users_language(lang: str, words: str) -> None:
    data = (HEADER + "借呗,100,18%,12\n").encode() + b" " * (6 * 1024 * 1024 - 40)
    at = upload(lang, "big.csv", data)
    assert words in shown(at)
    assert at.session_state["scenario"].source.origin == "file"
    assert at.session_state["scenario"].loans == ()  # nothing read; the sample is gone, undo can bring it back


@pytest.mark.parametrize(("lang", "words"), [
    ("English", f"The file has {MAX_ROWS + 1} data rows, above the {MAX_ROWS}-row limit; keep only the loans"),
    ("中文", f"文件有 {MAX_ROWS + 1} 行数据，超过上限 {MAX_ROWS} 行；请只保留借款明细")])
def test_a_file_with_too_many_rows_is_refused_in_the_users_language(lang: str, words: str) -> None:
    data = (HEADER + "借呗,100,18%,12\n" * (MAX_ROWS + 1)).encode()
    assert len(data) < MAX_BYTES
    assert words in shown(upload(lang, "many.csv", data))


def test_a_file_at_the_row_limit_is_read() -> None:
    at = upload("English", "many.csv", (HEADER + "借呗,100,18%,12\n" * MAX_ROWS).encode())
    assert len(at.session_state["scenario"].loans) == MAX_ROWS


@pytest.mark.parametrize(("row", "words"), [
    ("借" * 10_000 + ",1000,18%,12,", "The name has 10000 characters; only the first 200 are kept"),
    ("A,1e12,18%,12,", "The amount “1e12” is above the 10,000,000,000 yuan limit; check the unit"),
    ("A,1000,18%,12,1920-01-01", "Not a date: “1920-01-01”"),
])
def test_values_the_plan_cannot_hold_are_named_not_a_crash(row: str, words: str) -> None:
    # before: the page stopped with pydantic's ValidationError (lender ≤ 200 characters, amounts
    # ≤ 10 billion, loan dates 1950–2100 in lib.scenario)
    at = upload("English", "x.csv", ("平台,剩余本金,年化利率,剩余期数,借款日期\n" + row + "\n").encode())
    assert words in shown(at)
