"""AppTest: the coach workspace in the app — nothing without signing in, each coach their own
clients, a scenario opened, changed and saved back, a save that would overwrite another window's
refused, and the clients kept tidy from the page.

AppTest sends no request headers, so to the app it is a browser on another computer: sign-in is
required, as it is when the app is served beyond 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.ingest import read_loans
from lib.scenario import Scenario, source_of
from lib.workspace import Workspace
from lib.workspace.auth import hash_passphrase

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# markers that occur in no data file
MESSY = ("借款机构,待还本金,日利率,剩余期数,逾期天数,罚息\n"
         "白鹭小额贷款,\"6,420.50\",0.05%,10,12,38.20\n河谷信用卡,2990,万五,8,,\n").encode("gbk")
MINE, THEIRS = "测试客户·林某", "测试客户·赵某"
PASS = {"王教练": "correct horse 甲乙丙", "李教练": "battery staple 丁戊"}


def client_scenario(income: float = 8800.0) -> Scenario:
    book = read_loans(MESSY, "clients.csv")
    return Scenario().with_loans(book.loans, source_of(book, "file")).with_capacity(income=income, essentials=3900.0)


@pytest.fixture(scope="module")
def hashes() -> dict[str, str]:
    return {name: hash_passphrase(p) for name, p in PASS.items()}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    path = tmp_path / "ws.sqlite3"
    monkeypatch.setenv("LOAN_PLANNER_WORKSPACE", "1")
    monkeypatch.setenv("LOAN_PLANNER_DB_PATH", str(path))
    monkeypatch.delenv("LOAN_PLANNER_DB_URL", raising=False)
    ws = Workspace.open(f"sqlite:///{path}")
    mine = ws.add_client("王教练", MINE, "first visit in November")
    ws.save("王教练", mine.id, client_scenario(), name="首次咨询")
    theirs = ws.add_client("李教练", THEIRS)
    ws.save("李教练", theirs.id, client_scenario(5000.0), name="first")
    return ws


def app(hashes: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["workspace"] = {"coaches": hashes}
    at.query_params["lang"] = "English"
    return at.run()


def everything(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("title", "markdown", "caption", "info", "error", "warning", "success")
             for e in getattr(at, kind)]
    parts += [df.value.to_string() for df in at.dataframe]
    parts += [str(s.options) for s in at.selectbox]
    return "\n".join(parts)


def sign_in(at: AppTest, name: str, passphrase: str) -> AppTest:
    next(x for x in at.text_input if x.label == "Coach name").input(name)
    next(x for x in at.text_input if x.label == "Passphrase").input(passphrase)
    next(b for b in at.button if b.label == "Sign in").click().run()
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_nothing_is_visible_without_signing_in(db: Workspace, hashes: dict[str, str]) -> None:
    at = app(hashes)
    assert not at.exception
    assert [x.value for x in at.title] == ["Please sign in"]
    shown = everything(at)
    assert MINE not in shown and THEIRS not in shown and "白鹭小额贷款" not in shown
    for page in ("pages/clients.py", "pages/track.py", "pages/breakdown.py"):  # the sign-in is the only page
        with pytest.raises(ValueError, match=r"Known pages: \['Please sign in'\]"):
            at.switch_page(page)
    assert "ws_coach" not in at.session_state


def test_a_wrong_passphrase_is_refused_and_each_coach_sees_only_their_clients(
        db: Workspace, hashes: dict[str, str]) -> None:
    at = sign_in(app(hashes), "王教练", PASS["李教练"])  # another coach's passphrase
    assert any("wrong" in e.value for e in at.error)
    assert MINE not in everything(at)
    at = sign_in(at, "王教练", PASS["王教练"])
    assert not at.exception
    shown = everything(at)
    assert MINE in shown and THEIRS not in shown
    assert [x.value for x in at.title] == ["Clients"]


def test_signing_out_forgets_the_client_shown(db: Workspace, hashes: dict[str, str]) -> None:
    at = sign_in(app(hashes), "王教练", PASS["王教练"])
    click(at, "Open")
    assert at.session_state["scenario"] == client_scenario()
    click(at, "Sign out")
    assert [x.value for x in at.title] == ["Please sign in"]
    assert "ws_open" not in at.session_state and "ws_coach" not in at.session_state
    assert "scenario" not in at.session_state or at.session_state["scenario"].source.origin == "sample"
    assert MINE not in everything(at)


def test_a_client_opened_changed_and_saved_and_an_overwrite_refused(db: Workspace, hashes: dict[str, str]) -> None:
    at = sign_in(app(hashes), "王教练", PASS["王教练"])
    click(at, "Open")
    assert at.session_state["scenario"] == client_scenario()
    at.switch_page("pages/breakdown.py").run()
    # owed: the two balances and the penalty, by hand
    assert next(m.value for m in at.metric if m.label == "Total owed") == f"¥{6420.50 + 2990 + 38.20:,.0f}"
    at.switch_page("pages/capacity.py").run()
    income = next(n for n in at.number_input if n.key and n.key.startswith("cap_income"))
    income.set_value(9100.0).run()
    assert any("Unsaved changes" in c.value for c in at.sidebar.caption)
    click(at, "Save to the client")
    (client,) = db.clients("王教练")
    (row,) = db.scenarios("王教练", client.id)
    assert row.version == 2 and db.load("王教练", row.id).scenario.capacity.income == 9100.0

    # another window saves the same scenario meanwhile
    other = db.load("王教练", row.id)
    db.save("王教练", client.id, other.scenario.with_capacity(income=7700.0), name=row.name, scenario_id=row.id,
            version=other.version)
    income = next(n for n in at.number_input if n.key and n.key.startswith("cap_income"))
    income.set_value(9500.0).run()
    click(at, "Save to the client")
    at.switch_page("pages/clients.py").run()
    assert any("another window saved this scenario" in e.value for e in at.error), [e.value for e in at.error]
    assert db.load("王教练", row.id).scenario.capacity.income == 7700.0  # theirs kept
    click(at, "Save my changes as a new scenario")
    rows = db.scenarios("王教练", client.id)
    assert sorted(db.load("王教练", r.id).scenario.capacity.income for r in rows) == [7700.0, 9500.0]


def test_clients_are_added_renamed_archived_duplicated_and_deleted_from_the_page(
        db: Workspace, hashes: dict[str, str]) -> None:
    at = sign_in(app(hashes), "王教练", PASS["王教练"])
    next(x for x in at.text_input if x.label == "Client" and x.form_id == "ws_new_client").input("测试客户·周某")
    click(at, "Add")
    names = {c.name for c in db.clients("王教练")}
    assert names == {MINE, "测试客户·周某"}
    new = next(c for c in db.clients("王教练") if c.name == "测试客户·周某")
    assert len(db.scenarios("王教练", new.id)) == 1  # the work here, kept as their first scenario
    assert at.selectbox(key="ws_pick").value == new.id
    rename = next(x for x in at.text_input if x.label == "Client" and x.form_id == f"ws_rename_{new.id}")
    rename.input("测试客户·周先生")
    click(at, "Save the name")
    assert {c.name for c in db.clients("王教练")} == {MINE, "测试客户·周先生"}
    click(at, "Duplicate")
    assert len(db.clients("王教练")) == 3
    click(at, "Archive")
    assert len(db.clients("王教练")) == 2 and len(db.clients("王教练", archived=None)) == 3
    at.toggle(key="ws_archived").set_value(True).run()
    assert at.selectbox(key="ws_pick").options.__len__() == 3
    (copy,) = [c for c in db.clients("王教练", archived=True)]
    assert copy.name == "测试客户·周先生 (2)"
    at.selectbox(key="ws_pick").set_value(copy.id).run()
    click(at, "Delete this client for good")
    assert len(db.clients("王教练", archived=None)) == 2
    assert {c.name for c in db.clients("王教练", archived=None)} == {MINE, "测试客户·周先生"}
    assert {c.name for c in db.clients("李教练")} == {THEIRS}  # another coach's untouched


def test_a_client_file_imported_from_the_page(db: Workspace, hashes: dict[str, str]) -> None:
    (theirs,) = db.clients("李教练")
    data = db.export_client("李教练", theirs.id)
    at = sign_in(app(hashes), "王教练", PASS["王教练"])
    at.file_uploader(key="ws_import").set_value(("client.json", data, "application/json")).run()
    assert not at.exception
    assert {c.name for c in db.clients("王教练")} == {MINE, THEIRS}
    at.file_uploader(key="ws_import").set_value(("broken.json", data[: len(data) // 2], "application/json")).run()
    assert any("could not be imported" in e.value for e in at.error)
    assert len(db.clients("王教练")) == 2
    doc = json.loads(data)
    doc["client"]["scenarios"][0]["scenario"]["loans"][1]["balance"] = -5  # the second loan
    at.file_uploader(key="ws_import").set_value(("hostile.json", json.dumps(doc).encode(), "application/json")).run()
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Scenario 1" in said and THEIRS in said and "loans → 2 → Balance" in said and "too small" in said, said
    assert len(db.clients("王教练")) == 2


def test_every_workspace_error_has_words_in_both_languages() -> None:
    import re

    from lib.i18n import TEXT
    from lib.workspace import errors, files, store

    codes = set()
    for module in (errors, files, store):
        codes |= set(re.findall(r'WorkspaceError\("([a-z_]+)"', Path(module.__file__).read_text()))
        codes |= set(re.findall(r'refused\("([a-z_]+)"', Path(module.__file__).read_text())) - {"not_json", "too_big"}
    codes |= {"not_found", "conflict"}
    assert len(codes) >= 15, codes
    missing = sorted(c for c in codes if f"ws.err.{c}" not in TEXT)
    assert not missing, missing


@pytest.mark.parametrize("page", ["pages/clients.py", "pages/breakdown.py", "pages/loans.py", "pages/capacity.py",
                                  "pages/compare.py", "pages/kit.py", "pages/track.py", "pages/guide.py"])
@pytest.mark.parametrize("lang", ["中文", "English"])
def test_every_page_runs_with_the_workspace_on(db: Workspace, hashes: dict[str, str], page: str, lang: str) -> None:
    at = sign_in(app(hashes), "王教练", PASS["王教练"])
    at.query_params["lang"] = lang
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title


def test_the_compare_page_uses_the_outcomes_recorded_across_clients(db: Workspace, hashes: dict[str, str]) -> None:
    import datetime as dt

    from lib.tracker import Agreement, Instalment, Refusal

    day = dt.date(2026, 10, 5)

    def agreed(granted: str) -> Agreement:
        return Agreement(loan_id="L1", option=granted, asked="waiver+instalments", lender="白鹭小额贷款",
                         agreed_on=day, instalments=(Instalment(due=day + dt.timedelta(days=30), amount=600.0),))

    # another client: 3 asks for waiver+instalments, 2 granted as asked, 1 granted instalments only
    other = db.add_client("王教练", "测试客户·孙某")
    db.save("王教练", other.id, client_scenario().evolve(
        agreements=(agreed("waiver+instalments"), agreed("waiver+instalments"), agreed("instalments"))), name="x")
    # another coach's records never count for this one
    (theirs,) = db.clients("李教练")
    db.save("李教练", theirs.id, client_scenario().evolve(agreements=(agreed("waiver+instalments"),) * 9), name="y")
    at = sign_in(app(hashes), "王教练", PASS["王教练"])
    mine = next(c for c in db.clients("王教练") if c.name == MINE)
    at.selectbox(key="ws_pick").set_value(mine.id).run()
    click(at, "Open")  # 测试客户·林某: nothing recorded yet
    at.switch_page("pages/compare.py").run()
    column = at.dataframe[0].value.set_index("Option")["How often granted"]
    assert "recorded" not in " ".join(column)  # 3 cases: fewer than 5, the general words
    # this client: one more granted as asked and a refusal → 5 asks, 3 granted: 60 %
    refusal = Refusal(loan_id="L2", lender="河谷信用卡", asked="waiver+instalments", on=day)
    s = at.session_state["scenario"]
    at.session_state["scenario"] = s.evolve(agreements=(agreed("waiver+instalments"),), refusals=(refusal,))
    at.run()
    column = at.dataframe[0].value.set_index("Option")["How often granted"]
    assert column["Waiver + instalments"] == "granted 3 of 5 recorded (60%)", column.to_dict()
    assert "recorded" not in column["Term extension"]


def test_with_an_oidc_provider_the_sign_in_is_streamlits_login(db: Workspace, hashes: dict[str, str]) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["workspace"] = {"coaches": hashes}
    at.secrets["auth"] = {"redirect_uri": "https://planner.example/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "planner", "client_secret": "s",
                          "server_metadata_url": "https://id.example/.well-known/openid-configuration"}
    at.query_params["lang"] = "English"
    at.run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Please sign in"]
    assert [b.label for b in at.button] == ["Sign in"]  # st.login's button, no passphrase form
    assert not at.text_input
    assert MINE not in everything(at)
