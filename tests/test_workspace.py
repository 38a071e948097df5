"""The coach workspace (lib.workspace): the same suite on SQLite (a file) and PostgreSQL (a
throwaway server, tests/pg.py): clients and scenarios, owners kept apart, files in and out,
refused files, concurrent saves, a failure half-way, and the migrations."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, func, inspect, select, text

import lib.workspace.store as store
from lib.ingest import read_loans
from lib.loans import make_loans
from lib.scenario import MAX_FILE_BYTES, KitSettings, Scenario, source_of
from lib.tracker import Agreement, Instalment, Payment
from lib.workspace import Conflict, NotFound, Workspace, WorkspaceError
from lib.workspace.files import CLIENT_FORMAT, WORKSPACE_FORMAT
from lib.workspace.migrate import VERSION_TABLE, current, head, upgrade
from lib.workspace.models import Base, ClientRow, ScenarioRow
from lib.workspace.store import create_workspace_engine

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_loans.csv"
# data/sample_loans.csv by hand: balances 18,000 + 12,500 + 9,800 + 8,000 + 30,000 (3万) + 15,000 + 20,000
# + 20,000 = 133,300; interest 186.20 + 542.80 + 1,200 = 1,929; penalty 126.50 + 380 = 506.50; fees 150
SAMPLE_OWED = 133_300 + 1_929 + 506.50 + 150  # 135,885.50

HAND = [  # (overdue_amount is part of what is owed, never added again)
    {"lender": "借呗", "balance": 12_000, "annual_rate": 0.18, "remaining_months": 12, "interest": 180.50},
    {"lender": "微粒贷", "balance": 8_000, "annual_rate": 0.162, "remaining_months": 6, "interest": 96,
     "penalty": 45.30, "fees": 20, "overdue_days": 40, "overdue_amount": 2_800},
    {"lender": "朋友", "balance": 5_000, "annual_rate": 0.0, "remaining_months": 1},
]
HAND_OWED = 25_341.80  # 12,000 + 180.50 + 8,000 + 96 + 45.30 + 20 + 5,000

A, B = "coach-a@example.org", "coach-b@example.org"


def sample() -> Scenario:
    book = read_loans(SAMPLE)
    return Scenario().with_loans(book.loans, source_of(book, "file")).with_capacity(income=11_000.0)


def hand(income: float = 9_000.0) -> Scenario:
    """The hand-made table, with an agreement and a payment (records kept inside the scenario)."""
    s = Scenario().with_loans(make_loans(HAND)).with_capacity(income=income)
    wei = s.loans[1].loan_id
    agreement = Agreement(loan_id=wei, option="instalments", agreed_on=dt.date(2031, 1, 5),
                          instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1_500),
                                       Instalment(due=dt.date(2031, 3, 10), amount=1_500)))
    return s.evolve(agreements=(agreement,),
                    payments=(Payment(loan_id=wei, paid_on=dt.date(2031, 2, 9), amount=1_500),))


# ---- backends --------------------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> Callable[[], str]:
    """Makes the URL of a new, empty database of the backend (each call another one)."""
    made: list[int] = []

    def make() -> str:
        made.append(1)
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / f'coach{len(made)}' / 'workspace.sqlite3'}"  # (the folder is made on open)
        cluster = request.getfixturevalue("postgres")
        name = cluster.create_database()
        request.addfinalizer(lambda: cluster.drop_database(name))
        return cluster.url(name)

    return make


@pytest.fixture
def url(fresh_url) -> str:
    return fresh_url()


@pytest.fixture
def workspace(url) -> Iterator[Workspace]:
    ws = Workspace.open(url)
    yield ws
    ws.close()


def counts(ws: Workspace) -> tuple[int, int]:
    with ws.engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(ClientRow)),
                conn.scalar(select(func.count()).select_from(ScenarioRow)))


def aware(*times: dt.datetime) -> bool:
    return all(t.tzinfo is not None and t.utcoffset() == dt.timedelta(0) for t in times)


# ---- migrations -------------------------------------------------------------------------------------------
def test_migrating_an_empty_database_makes_the_tables_once_and_they_match_the_models(url):
    engine = create_workspace_engine(url)
    try:
        assert inspect(engine).get_table_names() == [] and current(engine) is None
        upgrade(engine)
        assert sorted(inspect(engine).get_table_names()) == ["clients", "scenarios", VERSION_TABLE]
        assert current(engine) == head() == "0001"
        upgrade(engine)  # again: nothing to do
        assert current(engine) == "0001"
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
            # and the comparison does see a difference when there is one
            other = MetaData()
            for table in Base.metadata.tables.values():
                table.to_metadata(other)
            Table("clients", other, Column("extra", Integer), extend_existing=True)
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}), other)
            assert [(d[0], d[3].name) for d in diffs] == [("add_column", "extra")]
    finally:
        engine.dispose()


def test_sqlite_opens_in_a_new_folder_with_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "not" / "yet" / "there.sqlite3"
    with Workspace.open(f"sqlite:///{path}") as ws, ws.engine.connect() as conn:
        assert path.exists()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.BUSY_TIMEOUT_MS


# ---- clients ----------------------------------------------------------------------------------------------
def test_clients_added_renamed_archived_and_deleted(workspace):
    zhang = workspace.add_client(A, "  张三 ", "two online loans")
    assert (zhang.name, zhang.note, zhang.archived, zhang.version, zhang.n_scenarios) == \
        ("张三", "two online loans", False, 1, 0)
    assert (zhang.latest_id, zhang.n_loans, zhang.owed) == (None, None, None)
    assert aware(zhang.created_at, zhang.updated_at)
    li = workspace.add_client(A, "李四")
    assert [c.name for c in workspace.clients(A)] == ["李四", "张三"]  # the most recently changed first

    renamed = workspace.rename_client(A, zhang.id, "张三丰", version=1)
    assert (renamed.name, renamed.note, renamed.version) == ("张三丰", "two online loans", 2)
    assert renamed.updated_at > zhang.updated_at and renamed.created_at == zhang.created_at
    assert workspace.rename_client(A, zhang.id, "张三丰", note="", version=2).note == ""
    with pytest.raises(Conflict) as stale:
        workspace.rename_client(A, zhang.id, "old tab", version=1)
    assert (stale.value.kind, stale.value.current_version, stale.value.code) == ("client", 3, "conflict")
    assert [c.name for c in workspace.clients(A)] == ["张三丰", "李四"]

    archived = workspace.archive_client(A, li.id, version=1)
    assert archived.archived and archived.version == 2
    assert [c.name for c in workspace.clients(A)] == ["张三丰"]
    assert [c.name for c in workspace.clients(A, archived=True)] == ["李四"]
    assert {c.name for c in workspace.clients(A, archived=None)} == {"张三丰", "李四"}
    assert not workspace.archive_client(A, li.id, archived=False, version=2).archived

    workspace.delete_client(A, li.id)
    assert [c.id for c in workspace.clients(A, archived=None)] == [zhang.id]
    with pytest.raises(NotFound) as gone:
        workspace.rename_client(A, li.id, "x", version=3)
    assert gone.value.params == {"kind": "client", "id": li.id}
    with pytest.raises(NotFound):
        workspace.delete_client(A, li.id)
    assert workspace.add_client(A, "王五").id > li.id  # ids are never given again


def test_names_and_owners_are_checked(workspace):
    for name, code, params in [("", "name_empty", {"field": "name"}), ("   ", "name_empty", {"field": "name"}),
                               ("名" * 121, "too_long", {"field": "name", "limit": 120, "length": 121})]:
        with pytest.raises(WorkspaceError) as e:
            workspace.add_client(A, name)
        assert (e.value.code, e.value.params) == (code, params)
    with pytest.raises(WorkspaceError) as e:
        workspace.add_client(A, "张三", "x" * 501)
    assert (e.value.code, e.value.params["field"]) == ("too_long", "note")
    for owner in ("", "  ", "o" * 201):
        with pytest.raises(WorkspaceError) as e:
            workspace.clients(owner)
        assert e.value.code == "bad_owner"
    assert workspace.add_client(A, "名" * 120).name == "名" * 120
    assert counts(workspace) == (1, 0)


def test_search_is_over_name_and_note_in_any_case(workspace):
    workspace.add_client(A, "Zhang Wei", "met at the Community Centre")
    workspace.add_client(A, "李四", "微粒贷 overdue")
    gone = workspace.add_client(A, "Old Zhang", "")
    workspace.archive_client(A, gone.id, version=1)
    assert [c.name for c in workspace.clients(A, search="zhang")] == ["Zhang Wei"]
    assert {c.name for c in workspace.clients(A, search="ZHANG", archived=None)} == {"Zhang Wei", "Old Zhang"}
    assert [c.name for c in workspace.clients(A, search="community centre")] == ["Zhang Wei"]
    assert [c.name for c in workspace.clients(A, search="粒贷")] == ["李四"]
    assert workspace.clients(A, search="%") == [] and workspace.clients(A, search="nobody") == []
    assert len(workspace.clients(A, search="  ")) == 2


# ---- scenarios --------------------------------------------------------------------------------------------
def test_scenarios_saved_with_their_figures_and_read_back_equal(workspace):
    zhang = workspace.add_client(A, "张三")
    first = workspace.save(A, zhang.id, sample(), name="the sample")
    assert (first.n_loans, first.owed, first.n_agreements, first.version) == (8, SAMPLE_OWED, 0, 1)
    second = workspace.save(A, zhang.id, hand(), name="by hand")
    assert (second.n_loans, second.owed, second.n_agreements) == (3, HAND_OWED, 1)
    assert aware(second.created_at, second.updated_at)

    back = workspace.load(A, second.id)
    assert back.scenario == hand() and back.scenario.payments == hand().payments
    assert (back.id, back.client_id, back.name, back.version) == (second.id, zhang.id, "by hand", 1)
    assert aware(back.updated_at) and back.updated_at == second.updated_at
    assert workspace.load(A, first.id).scenario == sample()

    summary = workspace.clients(A)[0]
    assert (summary.n_scenarios, summary.latest_id, summary.n_loans, summary.owed) == (2, second.id, 3, HAND_OWED)
    assert summary.updated_at == second.updated_at  # a save is a change of the client
    assert [s.name for s in workspace.scenarios(A, zhang.id)] == ["by hand", "the sample"]

    again = workspace.save(A, zhang.id, sample().with_capacity(income=12_345.0), name="the sample, later",
                           scenario_id=first.id, version=1)
    assert (again.id, again.version, again.name, again.owed) == (first.id, 2, "the sample, later", SAMPLE_OWED)
    assert workspace.load(A, first.id).scenario.capacity.income == 12_345.0
    assert workspace.clients(A)[0].latest_id == first.id  # the most recently saved
    assert [s.id for s in workspace.scenarios(A, zhang.id)] == [first.id, second.id]

    renamed = workspace.rename_scenario(A, second.id, "by hand (checked)", version=1)
    assert (renamed.name, renamed.version) == ("by hand (checked)", 2)
    with pytest.raises(Conflict):
        workspace.rename_scenario(A, second.id, "stale", version=1)
    workspace.delete_scenario(A, first.id)
    assert [s.id for s in workspace.scenarios(A, zhang.id)] == [second.id]
    with pytest.raises(NotFound):
        workspace.load(A, first.id)
    with pytest.raises(NotFound):
        workspace.save(A, zhang.id, hand(), name="x", scenario_id=first.id, version=2)
    with pytest.raises(ValueError, match="version"):
        workspace.save(A, zhang.id, hand(), name="x", scenario_id=second.id)


def test_a_scenario_is_saved_only_over_its_own_client(workspace):
    zhang, li = workspace.add_client(A, "张三"), workspace.add_client(A, "李四")
    s = workspace.save(A, zhang.id, hand(), name="x")
    with pytest.raises(NotFound) as e:
        workspace.save(A, li.id, sample(), name="y", scenario_id=s.id, version=1)
    assert e.value.params == {"kind": "scenario", "id": s.id}
    with pytest.raises(NotFound):
        workspace.save(A, 10_000, hand(), name="nobody's")
    assert workspace.load(A, s.id).scenario == hand() and counts(workspace) == (2, 1)


def test_a_scenario_too_big_to_read_back_is_not_saved(workspace):
    zhang = workspace.add_client(A, "张三")
    huge = hand().evolve(kit=KitSettings(edited={f"L{i}.letter": "字" * 20_000 for i in range(110)}))
    assert len(huge.to_json()) > MAX_FILE_BYTES
    with pytest.raises(WorkspaceError) as e:
        workspace.save(A, zhang.id, huge, name="huge")
    assert (e.value.code, e.value.params["limit"]) == ("too_big", 2)
    assert counts(workspace) == (1, 0)


def test_duplicate_is_a_deep_copy(workspace):
    zhang = workspace.add_client(A, "张三", "the note")
    one = workspace.save(A, zhang.id, sample(), name="one")
    two = workspace.save(A, zhang.id, hand(), name="two")
    copy = workspace.duplicate_client(A, zhang.id)
    assert (copy.name, copy.note, copy.archived, copy.n_scenarios, copy.n_loans, copy.owed) == \
        ("张三 (2)", "the note", False, 2, 3, HAND_OWED)
    assert workspace.duplicate_client(A, zhang.id).name == "张三 (3)"
    assert workspace.duplicate_client(A, copy.id).name == "张三 (4)"
    assert workspace.duplicate_client(A, zhang.id, name="张三 again").name == "张三 again"

    copies = {s.name: s for s in workspace.scenarios(A, copy.id)}
    assert {n: workspace.load(A, s.id).scenario for n, s in copies.items()} == {"one": sample(), "two": hand()}
    assert {s.id for s in copies.values()}.isdisjoint({one.id, two.id})
    assert all(s.version == 1 for s in copies.values())

    workspace.save(A, copy.id, hand(income=1.0), name="two", scenario_id=copies["two"].id, version=1)
    workspace.rename_client(A, copy.id, "张三的副本", version=1)
    assert workspace.load(A, two.id).scenario == hand()  # the original is as it was
    assert workspace.load(A, two.id).version == 1
    workspace.delete_client(A, zhang.id)
    assert workspace.load(A, copies["one"].id).scenario == sample()  # and the copy outlives it


def test_deleting_a_client_deletes_its_scenarios_and_no_others(workspace):
    zhang, li = workspace.add_client(A, "张三"), workspace.add_client(A, "李四")
    mine = [workspace.save(A, zhang.id, hand(), name=f"s{i}").id for i in range(3)]
    kept = workspace.save(A, li.id, sample(), name="kept")
    workspace.delete_client(A, zhang.id)
    for sid in mine:
        with pytest.raises(NotFound):
            workspace.load(A, sid)
    assert counts(workspace) == (1, 1) and workspace.load(A, kept.id).scenario == sample()
    # and the database cascades on its own (SQLite: the connection turned foreign keys on)
    with workspace.engine.begin() as conn:
        conn.execute(text("DELETE FROM clients WHERE id = :id"), {"id": li.id})
    assert counts(workspace) == (0, 0)


def test_owners_see_only_their_own(workspace):
    zhang = workspace.add_client(A, "张三")
    s = workspace.save(A, zhang.id, hand(), name="a's")
    mine = workspace.add_client(B, "B's own")
    assert [c.name for c in workspace.clients(B, archived=None)] == ["B's own"]
    assert workspace.latest_scenarios(B) == []
    assert json.loads(workspace.backup(B))["clients"][0]["name"] == "B's own"
    refused = [
        lambda: workspace.scenarios(B, zhang.id),
        lambda: workspace.load(B, s.id),
        lambda: workspace.rename_client(B, zhang.id, "taken", version=1),
        lambda: workspace.archive_client(B, zhang.id, version=1),
        lambda: workspace.delete_client(B, zhang.id),
        lambda: workspace.duplicate_client(B, zhang.id),
        lambda: workspace.export_client(B, zhang.id),
        lambda: workspace.save(B, zhang.id, sample(), name="into a's client"),
        lambda: workspace.save(B, mine.id, sample(), name="over a's", scenario_id=s.id, version=1),
        lambda: workspace.rename_scenario(B, s.id, "taken", version=1),
        lambda: workspace.delete_scenario(B, s.id),
    ]
    for attempt in refused:
        with pytest.raises(NotFound):
            attempt()
    a_client = workspace.clients(A)[0]
    assert (a_client.name, a_client.version, a_client.n_scenarios) == ("张三", 1, 1)
    back = workspace.load(A, s.id)
    assert (back.scenario, back.name, back.version) == (hand(), "a's", 1)
    assert counts(workspace) == (2, 1)


def test_latest_scenarios_one_per_client_archived_too(workspace):
    zhang, li, wang = (workspace.add_client(A, n) for n in ("张三", "李四", "王五"))
    old = workspace.save(A, zhang.id, sample(), name="old")
    workspace.save(A, zhang.id, hand(), name="new")
    only = workspace.save(A, li.id, hand(income=5_000.0), name="only")
    workspace.archive_client(A, li.id, version=1)
    workspace.save(A, zhang.id, sample().with_capacity(income=1_000.0), name="old, again", scenario_id=old.id,
                   version=1)
    book = workspace.latest_scenarios(A)
    assert [(c.name, c.archived, c.latest_id) for c, _ in book] == [("张三", False, old.id), ("李四", True, only.id)]
    assert [s.capacity.income for _, s in book] == [1_000.0, 5_000.0]
    assert wang.id not in [c.id for c, _ in book]  # no scenario yet


# ---- files -----------------------------------------------------------------------------------------------
def test_export_and_import_give_the_same_scenarios(workspace):
    zhang = workspace.add_client(A, "张三", "the note")
    workspace.save(A, zhang.id, sample(), name="one")
    workspace.save(A, zhang.id, hand(), name="two")
    data = workspace.export_client(A, zhang.id)
    doc = json.loads(data.decode("utf-8"))
    assert (doc["format"], doc["version"], doc["client"]["name"]) == (CLIENT_FORMAT, 1, "张三")
    assert [s["name"] for s in doc["client"]["scenarios"]] == ["one", "two"]
    assert Scenario.model_validate(doc["client"]["scenarios"][1]["scenario"]) == hand()

    [back] = workspace.import_file(A, data)
    assert (back.name, back.note, back.n_scenarios, back.version) == ("张三 (2)", "the note", 2, 1)
    assert back.id != zhang.id
    before = {s.name: s for s in workspace.scenarios(A, zhang.id)}
    after = {s.name: s for s in workspace.scenarios(A, back.id)}
    assert {n: workspace.load(A, s.id).scenario for n, s in after.items()} == {"one": sample(), "two": hand()}
    assert [(s.created_at, s.updated_at, s.owed) for s in after.values()] == \
        [(s.created_at, s.updated_at, s.owed) for s in before.values()]
    [theirs] = workspace.import_file(B, data)
    assert theirs.name == "张三" and [c.name for c in workspace.clients(B)] == ["张三"]


def test_a_backup_of_three_clients_fills_an_empty_workspace(workspace, fresh_url):
    zhang = workspace.add_client(A, "张三", "first")
    workspace.save(A, zhang.id, sample(), name="sample")
    workspace.save(A, zhang.id, hand(), name="hand")
    li = workspace.add_client(A, "李四")
    workspace.save(A, li.id, hand(income=4_000.0), name="only")
    workspace.archive_client(A, li.id, version=1)
    workspace.add_client(A, "王五", "no scenario yet")
    workspace.add_client(B, "not A's")
    data = workspace.backup(A)
    assert json.loads(data)["format"] == WORKSPACE_FORMAT

    with Workspace.open(fresh_url()) as empty:
        made = empty.import_file(A, data)
        assert [(c.name, c.note, c.archived, c.n_scenarios) for c in made] == [
            ("张三", "first", False, 2), ("李四", "", True, 1), ("王五", "no scenario yet", False, 0)]
        assert counts(empty) == (3, 3)
        loaded = {(c.name, s.name): empty.load(A, s.id).scenario for c in made for s in empty.scenarios(A, c.id)}
        assert loaded == {("张三", "sample"): sample(), ("张三", "hand"): hand(),
                          ("李四", "only"): hand(income=4_000.0)}
        assert [c.created_at for c in made] == [c.created_at for c in sorted(
            workspace.clients(A, archived=None), key=lambda c: c.id)]
        again = empty.import_file(A, data)  # names already used get a suffix
        assert [c.name for c in again] == ["张三 (2)", "李四 (2)", "王五 (2)"]


def _file(scenarios: list) -> dict:
    return {"format": CLIENT_FORMAT, "version": 1,
            "client": {"name": "张三", "note": "", "archived": False, "created_at": "2031-01-05T09:30:00+00:00",
                       "scenarios": [{"name": f"s{i}", "created_at": "2031-01-05T09:30:00+00:00",
                                      "updated_at": "2031-01-05T09:30:00+00:00", "scenario": s}
                                     for i, s in enumerate(scenarios)]}}


GOOD = json.loads(Scenario().with_loans(make_loans(HAND)).to_json())
NEGATIVE = {**GOOD, "loans": [{**GOOD["loans"][0], "balance": -100.0}, *GOOD["loans"][1:]]}
HOSTILE = [  # (the file, its code, params it must carry)
    (json.dumps(_file([GOOD])).encode()[:-40], "not_json", {"detail": "JSONDecodeError"}),
    (b"\xff\xfe\x00garbage", "not_json", {}),
    (b'{"format": "loan-planner-client", "version": 1, "client": NaN}', "not_json", {}),
    (json.dumps({**_file([GOOD]), "format": "something-else"}).encode(), "unknown_format",
     {"format": "something-else"}),
    (b"[1, 2, 3]", "unknown_format", {"format": ""}),
    (json.dumps(GOOD).encode(), "scenario_file", {}),
    (json.dumps({**_file([GOOD]), "version": 2}).encode(), "future_version", {"version": 2, "supported": 1}),
    (json.dumps({**_file([GOOD]), "version": "1"}).encode(), "bad_version", {"version": "1"}),
    (json.dumps(_file([GOOD, NEGATIVE])).encode(), "bad_scenario",
     {"client": "张三", "scenario": 2, "name": "s1",
      "detail": {"code": "invalid", "params": {"where": "loans → 1 → balance",
                                               "what": "Input should be greater than or equal to 0",
                                               "type": "greater_than_equal"}}}),
    (json.dumps(_file([GOOD, {"version": 7}])).encode(), "bad_scenario",
     {"scenario": 2, "detail": {"code": "future_version", "params": {"version": 7, "supported": 1}}}),
    (json.dumps({**_file([GOOD]), "client": {**_file([GOOD])["client"], "name": "x" * 121}}).encode(), "bad_file",
     {"where": "client → name"}),
    (json.dumps({**_file([]), "client": {**_file([])["client"], "scenarios": [{"name": "s"}]}}).encode(),
     "bad_file", {"where": "client → scenarios → 1 → scenario", "what": "Field required"}),
    (json.dumps({"format": WORKSPACE_FORMAT, "version": 1, "clients": [_file([GOOD])["client"], {"note": "x"}]})
     .encode(), "bad_file", {"where": "clients → 2 → name"}),
    (json.dumps(_file([GOOD, {"version": 1, "contacts": [{"loan_id": "L1", "when": "2031-01-05T10:00:00"}] * 10_000}]))
     .encode(), "bad_scenario",  # 0.5 MB here, 3 MB written out in full: more than a scenario file may be
     {"scenario": 2, "detail": {"code": "too_big", "params": {"size": 3.0, "limit": 2}}}),
    (b"[" * 100_000 + b"]" * 100_000, "not_json", {}),
    (b" " * (25 * 1024 * 1024), "too_big", {"size": 25.0, "limit": 20}),
]


@pytest.mark.parametrize("data, code, params", HOSTILE, ids=[f"{i}-{c}" for i, (_, c, _) in enumerate(HOSTILE)])
def test_damaged_or_hostile_files_are_refused_and_nothing_is_written(workspace, data, code, params):
    zhang = workspace.add_client(A, "张三")
    workspace.save(A, zhang.id, hand(), name="kept")
    before = workspace.clients(A, archived=None), counts(workspace)
    with pytest.raises(WorkspaceError) as e:
        workspace.import_file(A, data)
    assert e.value.code == code
    assert {k: e.value.params[k] for k in params} == params
    assert (workspace.clients(A, archived=None), counts(workspace)) == before


def test_a_database_that_cannot_be_reached_is_unavailable(postgres):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # (closed again: nothing listens there)
    with pytest.raises(WorkspaceError) as e:
        Workspace.open(f"postgresql://postgres@127.0.0.1:{port}/nothing")
    assert (e.value.code, e.value.params["database"]) == ("unavailable", "postgresql")
    name = postgres.create_database()
    try:
        ws = Workspace.open(postgres.url(name))
        zhang = ws.add_client(A, "张三")
        postgres.drop_database(name)  # (WITH FORCE: the pool's connections are cut)
        with pytest.raises(WorkspaceError) as e:
            ws.clients(A)
        assert e.value.code == "unavailable" and zhang.id == 1
        ws.close()
    finally:
        postgres.drop_database(name)


# ---- concurrent edits -----------------------------------------------------------------------------------
def test_a_save_over_a_newer_version_is_refused_and_the_newer_kept(url):
    with Workspace.open(url) as first, Workspace.open(url) as second:  # two servers, two engines
        zhang = first.add_client(A, "张三")
        saved = first.save(A, zhang.id, hand(), name="v1")
        mine, theirs = first.load(A, saved.id), second.load(A, saved.id)
        assert mine.version == theirs.version == 1
        done = first.save(A, zhang.id, mine.scenario.with_capacity(income=7_777.0), name="A's",
                          scenario_id=mine.id, version=mine.version)
        client_after = first.clients(A)[0]
        with pytest.raises(Conflict) as e:
            second.save(A, zhang.id, theirs.scenario.with_capacity(income=1.0), name="B's",
                        scenario_id=theirs.id, version=theirs.version)
        assert (e.value.current_version, e.value.updated_at, e.value.kind) == (2, done.updated_at, "scenario")
        for ws in (first, second):
            back = ws.load(A, saved.id)
            assert (back.name, back.version, back.scenario.capacity.income) == ("A's", 2, 7_777.0)
        assert second.clients(A)[0] == client_after  # the refused save did not touch the client either
        with pytest.raises(Conflict) as e:
            second.rename_client(A, zhang.id, "x", version=0)
        assert (e.value.kind, e.value.current_version) == ("client", 1)


def test_eight_saves_of_one_version_at_once_only_one_wins(workspace):
    zhang = workspace.add_client(A, "张三")
    saved = workspace.save(A, zhang.id, hand(), name="v1")
    start = threading.Barrier(8)
    results: dict[int, object] = {}
    mine = [hand(income=1_000.0 + i) for i in range(8)]

    def save(i: int) -> None:
        start.wait()
        try:
            results[i] = workspace.save(A, zhang.id, mine[i], name=f"by {i}", scenario_id=saved.id, version=1)
        except Exception as exc:  # every outcome is looked at below
            results[i] = exc

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    won = [i for i, r in results.items() if isinstance(r, store.ScenarioSummary)]
    lost = [r for r in results.values() if isinstance(r, Conflict)]
    assert len(results) == 8 and len(won) == 1 and len(lost) == 7, results
    assert all(c.current_version == 2 for c in lost)
    back = workspace.load(A, saved.id)
    assert (back.version, back.name, back.scenario) == (2, f"by {won[0]}", hand(income=1_000.0 + won[0]))


def test_a_save_held_up_between_its_read_and_its_write_ends_in_a_conflict_not_an_error(workspace, monkeypatch):
    """SQLite: a write transaction takes the lock at BEGIN (IMMEDIATE); one that read first and
    wrote after another's commit would be refused at once ("database is locked")."""
    zhang = workspace.add_client(A, "张三")
    saved = workspace.save(A, zhang.id, hand(), name="v1")
    paused, go = threading.Event(), threading.Event()
    real = Workspace._has_client

    def slow(self, s, owner, client_id):
        real(self, s, owner, client_id)
        if threading.current_thread().name == "first":
            paused.set()
            go.wait(5)

    monkeypatch.setattr(Workspace, "_has_client", slow)
    results: dict[str, object] = {}

    def save(who: str, income: float) -> None:
        try:
            results[who] = workspace.save(A, zhang.id, hand(income), name=who, scenario_id=saved.id, version=1)
        except Exception as exc:  # every outcome is looked at below
            results[who] = exc

    first = threading.Thread(target=save, args=("first", 1.0), name="first")
    first.start()
    assert paused.wait(10)
    second = threading.Thread(target=save, args=("second", 2.0), name="second")
    second.start()
    second.join(0.5)  # PostgreSQL: the second saves meanwhile; SQLite: it waits for the first's lock
    go.set()
    first.join(30)
    second.join(30)
    kinds = sorted(type(r).__name__ for r in results.values())
    assert kinds == ["Conflict", "ScenarioSummary"], results
    winner = next(w for w, r in results.items() if isinstance(r, store.ScenarioSummary))
    assert workspace.load(A, saved.id).name == winner


# ---- a failure half-way ----------------------------------------------------------------------------------
def fail_on_second(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = store._row

    def row(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the connection broke")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "_row", row)
    return calls


def test_a_failure_in_the_middle_of_a_duplicate_leaves_no_copy(workspace, monkeypatch):
    zhang = workspace.add_client(A, "张三")
    for name in ("one", "two", "three"):
        workspace.save(A, zhang.id, hand(), name=name)
    before = workspace.clients(A, archived=None), counts(workspace)
    calls = fail_on_second(monkeypatch)
    with pytest.raises(RuntimeError, match="broke"):
        workspace.duplicate_client(A, zhang.id)
    assert len(calls) == 2
    assert (workspace.clients(A, archived=None), counts(workspace)) == before == (before[0], (1, 3))
    monkeypatch.undo()
    assert workspace.duplicate_client(A, zhang.id).n_scenarios == 3


def test_a_failure_in_the_middle_of_an_import_leaves_nothing(workspace, monkeypatch):
    zhang = workspace.add_client(A, "张三")
    workspace.save(A, zhang.id, hand(), name="one")
    li = workspace.add_client(A, "李四")
    workspace.save(A, li.id, sample(), name="two")
    data = workspace.backup(A)
    before = workspace.clients(A, archived=None), counts(workspace)
    calls = fail_on_second(monkeypatch)  # the second client's scenario: the first client is in by then
    with pytest.raises(RuntimeError, match="broke"):
        workspace.import_file(A, data)
    assert len(calls) == 2
    assert (workspace.clients(A, archived=None), counts(workspace)) == before
    monkeypatch.undo()
    assert [c.name for c in workspace.import_file(A, data)] == ["张三 (2)", "李四 (2)"]
