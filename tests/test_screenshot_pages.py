"""AppTest: the loans page's screenshot step — pictures in, the borrower checks and corrects, then adds.

The pictures are the phone pages of tests/test_ocr.py (invented lenders, drawn by headless
Chromium at 1080 × 2340), and the OCR really runs. Every expected value comes from the values
written into those pages (tests.test_ocr's DETAIL and LIST) or from a hand calculation here.
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_ocr import DETAIL, LIST, draw, yuan
from tests.test_pages import frames, run_app, texts

pytestmark = pytest.mark.browser  # the pictures are drawn by Chromium

OWN = "平台,剩余本金,年化利率,剩余期数\n北辰小贷,6600,18%,6\n南岭分期,4200,12%,4\n".encode()  # the user's own two loans
CORRECTED = "12,500.00"  # the borrower's correction of the detail page's balance (13,731.51 on the picture)


@pytest.fixture(scope="module")
def pictures() -> dict[str, bytes]:
    from tests.browser.server import launch_browser

    with launch_browser() as browser:
        return {name: draw(browser, name) for name in ("detail", "list", "chat")}


def upload_pictures(at: AppTest, files: dict[str, bytes]) -> AppTest:
    at.switch_page("pages/loans.py").run()
    shots = next(u for u in at.file_uploader if u.accept_multiple_files)
    shots.set_value([(name, data, "image/png") for name, data in files.items()]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card_keys(at: AppTest) -> list[str]:
    state = at.session_state._state._state  # the widgets' keys (AppTest has no list of them)
    return sorted(k for k in state.filtered_state if str(k).startswith("shot_"))


def edit(at: AppTest, key: str, row: int, value: str, lang: str = "English") -> AppTest:
    """Type ``value`` into a card's value column (its second) on ``row``."""
    column = "Value" if lang == "English" else "内容"
    at.session_state[key] = {"edited_rows": {row: {column: value}}, "added_rows": [], "deleted_rows": []}
    return at.run()


def confirm(at: AppTest) -> AppTest:
    at.button(key="shots_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_nothing_counts_until_added_and_the_breakdown_shows_the_correction(pictures: dict[str, bytes],
                                                                          lang: str) -> None:
    at = upload_pictures(run_app(lang), {"detail.png": pictures["detail"]})
    assert at.session_state["scenario"].source.origin == "sample"  # read, shown, not yet taken
    assert len(at.session_state["scenario"].loans) == 8
    (key,) = card_keys(at)
    # the card: one row per field, in the order of lib.ocr.check.SHOWN: lender, balance, rate …
    card = next(d for d in at.dataframe if d.proto.editing_mode and len(d.value) > 5).value
    assert card.iloc[0, 1] == DETAIL["lender"] and card.iloc[1, 1] == DETAIL["balance"]
    assert card.iloc[1, 2].startswith("✓")  # read on the picture
    at = edit(at, key, 1, CORRECTED, lang)
    card = next(d for d in at.dataframe if d.proto.editing_mode and len(d.value) > 5).value
    assert card.iloc[1, 2] == {"中文": "✎ 已由你更正", "English": "✎ Corrected by you"}[lang]  # no longer "read"
    assert card.iloc[0, 2].startswith("✓")  # the lender as read
    at = confirm(at)
    loans = at.session_state["scenario"].loans_frame
    assert loans["lender"].tolist() == [DETAIL["lender"]]  # the sample replaced by the borrower's loan
    assert loans.loc[0, "balance"] == yuan(CORRECTED)
    assert loans.loc[0, "annual_rate"] == pytest.approx(float(DETAIL["apr"]) / 100)
    assert loans.loc[0, "remaining_months"] == DETAIL["term"] - DETAIL["paid"]  # 已还 4/12 期
    assert loans.loc[0, "monthly_payment"] == yuan(DETAIL["payment"])
    assert not card_keys(at) and "shots_read" not in at.session_state  # the pictures are forgotten
    at.switch_page("pages/breakdown.py").run()
    assert not at.exception
    assert "¥12,500" in [m.value for m in at.metric]  # what is owed (whole yuan): the corrected balance
    assert DETAIL["lender"] in frames(at)


def test_a_list_page_comes_after_the_users_own_loans_and_can_be_undone(pictures: dict[str, bytes]) -> None:
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    at.file_uploader[0].set_value(("mine.csv", OWN, "text/csv")).run()
    own = at.session_state["scenario"].loans_frame[["loan_id", "lender"]].values.tolist()
    assert own == [["L1", "北辰小贷"], ["L2", "南岭分期"]]
    at = upload_pictures(at, {"list.png": pictures["list"]})
    assert len(card_keys(at)) == len(LIST["loans"])  # a card per loan on the page, none for its total line
    assert "Once added, these loans come after your other loans." in texts(at)
    next(r for r in at.radio if "365" in map(str, r.options)).set_value(365).run()  # the year of the page
    at = confirm(at)
    loans = at.session_state["scenario"].loans_frame
    assert loans[["loan_id", "lender"]].values.tolist()[:2] == own  # the user's loans keep their ids
    assert loans["lender"].tolist()[2:] == [ln["lender"] for ln in LIST["loans"]]
    assert loans.iloc[2]["annual_rate"] == pytest.approx(0.05 / 100 * 365)  # 日利率 0.05 % over a 365-day year
    flat = loans.iloc[3]  # 星河消费金融: 月费率 0.75 % on 15,000 borrowed
    assert (flat["method"], flat["annual_rate"]) == ("flat_fee", pytest.approx(0.0075 * 12))
    at.switch_page("pages/breakdown.py").run()
    assert "0.75% a month (flat fee)" in frames(at)  # never shown as 9 % a year
    undo = next(b for b in at.button if b.label == "Undo")
    undo.click().run()
    assert at.session_state["scenario"].loans_frame["lender"].tolist() == ["北辰小贷", "南岭分期"]


def test_a_card_left_incomplete_goes_to_the_editor_not_lost(pictures: dict[str, bytes]) -> None:
    at = upload_pictures(run_app("English"), {"detail.png": pictures["detail"]})
    (key,) = card_keys(at)
    at = edit(at, key, 1, "13.731.51")  # a typo in the balance: this card is no loan yet
    assert at.button(key="shots_confirm").label == "Checked: add 0 loans"
    assert "1 row still lacks a value: it goes into the loan table below and counts once completed." in texts(at)
    at = confirm(at)
    scn = at.session_state["scenario"]
    assert scn.loans == () and [r.cells.get("balance") for r in scn.source.typed] == ["13.731.51"]
    base = at.session_state["editor_base"]
    assert base[["Lender", "Balance"]].values.tolist() == [[DETAIL["lender"], "13.731.51"]]
    assert base["Amount borrowed"].tolist() == [DETAIL["principal"]]  # the rest of what was read is there too


def test_discarding_forgets_the_pictures(pictures: dict[str, bytes]) -> None:
    at = upload_pictures(run_app("English"), {"detail.png": pictures["detail"], "list.png": pictures["list"]})
    assert len(card_keys(at)) == 1 + len(LIST["loans"])
    at.button(key="shots_discard").click().run()
    assert not at.exception
    assert "shots_read" not in at.session_state and not card_keys(at)
    assert at.session_state["scenario"].source.origin == "sample"


@pytest.mark.parametrize(("lang", "said"), [("中文", "这张图片里没有找到借款"), ("English", "No loan found in this picture")])
def test_a_chat_screenshot_is_no_loan(pictures: dict[str, bytes], lang: str, said: str) -> None:
    at = upload_pictures(run_app(lang), {"chat.png": pictures["chat"]})
    assert any(e.value.startswith(said) for e in at.error), [e.value for e in at.error]
    assert not card_keys(at) and not [b for b in at.button if b.key == "shots_confirm"]


def test_without_the_reader_the_page_says_how_to_turn_it_on(monkeypatch: Any) -> None:
    monkeypatch.setattr("lib.ocr.available", lambda: False)
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    assert not [u for u in at.file_uploader if u.accept_multiple_files]
    assert any("pip install -r requirements-ocr.txt" in c.value for c in at.caption)
