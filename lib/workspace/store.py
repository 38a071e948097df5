"""The coach's workspace: clients and their saved scenarios in a database (SQLite or PostgreSQL).

Every method takes the ``owner`` (the coach) first and sees only that owner's rows: another
owner's id is :class:`NotFound`, exactly like an id that does not exist. Every method is one
transaction: when it fails half-way (an error, a lost connection) the database is as it was.

A save names the version it read (``version``); when someone saved since, the save raises
:class:`Conflict` with the version and time now stored, and changes nothing.

>>> from lib.scenario import Scenario
>>> ws = Workspace.open("sqlite://")
>>> li = ws.add_client("coach@example.org", "李四", "two online loans")
>>> saved = ws.save("coach@example.org", li.id, Scenario().with_capacity(income=9000.0), name="first call")
>>> ws.load("coach@example.org", saved.id).scenario.capacity.income, saved.version
(9000.0, 1)
>>> [(c.name, c.n_scenarios) for c in ws.clients("coach@example.org", search="ONLINE")]
[('李四', 1)]
>>> ws.clients("someone-else")
[]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, delete, event, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from lib.breakdown import totals
from lib.scenario import MAX_FILE_BYTES, Scenario, ScenarioError, from_json
from lib.workspace import files
from lib.workspace.config import normalise_url, shown
from lib.workspace.errors import Conflict, NotFound, WorkspaceError
from lib.workspace.migrate import upgrade
from lib.workspace.models import NAME_MAX, NOTE_MAX, OWNER_MAX, ClientRow, ScenarioRow

BUSY_TIMEOUT_MS = 15_000  # SQLite: how long a write waits for another to finish


# ---- what the methods give back -----------------------------------------------------------------------
@dataclass(frozen=True)
class ClientSummary:
    """A client as the client list shows it. ``n_loans`` and ``owed`` are those of the most
    recently saved scenario (``latest_id``); all three are None while the client has none."""

    id: int
    name: str
    note: str
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    n_scenarios: int
    latest_id: int | None
    n_loans: int | None
    owed: float | None


@dataclass(frozen=True)
class ScenarioSummary:
    """A saved scenario as a list shows it: the figures worked out when it was saved."""

    id: int
    client_id: int
    name: str
    n_loans: int
    owed: float
    n_agreements: int
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


@dataclass(frozen=True)
class Stored:
    """A scenario read back, with what a later save of it needs (``id``, ``version``)."""

    id: int
    client_id: int
    name: str
    version: int
    updated_at: dt.datetime
    scenario: Scenario


@dataclass(frozen=True)
class Figures:
    """What a scenario's row keeps beside its JSON: how many loans, what they owe now (as the
    breakdown page counts it: balance + interest + penalty + fees), how many agreements."""

    n_loans: int
    owed: float
    n_agreements: int


def figures(scenario: Scenario) -> Figures:
    """The figures saved with ``scenario``.

    >>> from lib.loans import make_loans
    >>> s = Scenario().with_loans(make_loans([
    ...     {"lender": "甲", "balance": 1000, "annual_rate": 0.1, "remaining_months": 10, "interest": 20,
    ...      "fees": 3},
    ...     {"lender": "乙", "balance": 500, "annual_rate": 0.0, "remaining_months": 5, "penalty": 5.5}]))
    >>> figures(s)
    Figures(n_loans=2, owed=1528.5, n_agreements=0)
    """
    t = totals(scenario.loans_frame)
    return Figures(n_loans=t.loans, owed=t.owed, n_agreements=len(scenario.agreements))


def unique_name(name: str, taken: Collection[str]) -> str:
    """``name``, or with the first free `` (n)`` suffix when it is taken (no words: any language).

    >>> unique_name("张三", {"王五"}), unique_name("张三", {"张三", "张三 (2)"})
    ('张三', '张三 (3)')
    >>> unique_name("张三 (2)", {"张三 (2)"})
    '张三 (3)'
    >>> unique_name("名" * 120, {"名" * 120})[-6:]  # never longer than a name may be
    '名名 (2)'
    """
    if name not in taken:
        return name
    m = re.fullmatch(r"(.*) \((\d+)\)", name, flags=re.DOTALL)
    base, n = (m.group(1), int(m.group(2)) + 1) if m else (name, 2)
    while True:
        suffix = f" ({n})"
        candidate = base[:NAME_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


# ---- checks of what the caller passes ------------------------------------------------------------------
def _owner(owner: str) -> str:
    if not isinstance(owner, str) or not owner.strip() or len(owner) > OWNER_MAX:
        raise WorkspaceError("bad_owner", {"limit": OWNER_MAX})
    return owner


def _text(value: str, field: str, limit: int, *, required: bool) -> str:
    value = str(value).strip()
    if required and not value:
        raise WorkspaceError("name_empty", {"field": field})
    if len(value) > limit:
        raise WorkspaceError("too_long", {"field": field, "limit": limit, "length": len(value)})
    return value


def _name(value: str) -> str:
    return _text(value, "name", NAME_MAX, required=True)


def _note(value: str) -> str:
    return _text(value, "note", NOTE_MAX, required=False)


def _body(scenario: Scenario) -> str:
    body = scenario.to_json()
    if len(body) > MAX_FILE_BYTES:  # what lib.scenario.from_json would refuse to read back
        raise WorkspaceError("too_big", files.size_params(len(body)))
    return body


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _row(client_id: int, name: str, body: str, figs: Figures, created_at: dt.datetime,
         updated_at: dt.datetime) -> ScenarioRow:
    """A new scenario row (every insert goes through here)."""
    return ScenarioRow(client_id=client_id, name=name, body=body, n_loans=figs.n_loans, owed=figs.owed,
                       n_agreements=figs.n_agreements, created_at=created_at, updated_at=updated_at,
                       version=1)


def _parse(scenario_id: int, body: str) -> Scenario:
    try:
        return from_json(body)
    except ScenarioError as exc:  # a row changed by hand, or written by a newer version of the app
        raise WorkspaceError("bad_stored", {"scenario": scenario_id,
                                            "detail": {"code": exc.code, "params": exc.params}}) from None


# ---- the engine -------------------------------------------------------------------------------------------
def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN (below), not the sqlite3 module
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")  # readers do not wait for a writer (":memory:" stays "memory")
    cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a power cut loses at most the last commits
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # a write takes the lock at BEGIN: a transaction that read first and wrote later could not wait
    # for another writer (SQLite refuses it at once: "database is locked")
    write = conn.get_execution_options().get("workspace_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def create_workspace_engine(url: str | URL) -> Engine:
    """An engine for the workspace: SQLite with its folder made, WAL, a busy timeout and foreign
    keys on (``sqlite://``: in memory, one connection shared); PostgreSQL through psycopg 3."""
    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        memory = u.database in (None, "", ":memory:")
        if memory:
            engine = create_engine(u, poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            Path(u.database).expanduser().absolute().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(u)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(u, pool_pre_ping=True)


@contextmanager
def _unavailable(engine: Engine) -> Iterator[None]:
    """The database cannot be reached, or stayed busy past the timeout: ``unavailable`` (the
    driver's error is chained, for the log)."""
    try:
        yield
    except OperationalError as exc:
        raise WorkspaceError("unavailable", {"database": engine.url.get_backend_name(),
                                             "detail": type(exc.orig).__name__}) from exc


# ---- the workspace -------------------------------------------------------------------------------------
_S = ScenarioRow
_C = ClientRow


class Workspace:
    """A coach's clients and scenarios in the database behind ``engine`` (thread-safe: every
    call has its own session). Make one with :meth:`open`; an engine passed in directly must be
    one of :func:`create_workspace_engine` (SQLite: foreign keys on, writes that lock at BEGIN)
    on a migrated database.

    Beside the codes of each method, any call raises ``WorkspaceError("unavailable")`` when the
    database cannot be reached (or stays locked past :data:`BUSY_TIMEOUT_MS`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(engine.execution_options(workspace_write=True), expire_on_commit=False)

    @classmethod
    def open(cls, url: str | URL) -> Workspace:
        """The workspace at ``url``, its schema migrated to the newest."""
        engine = create_workspace_engine(url)
        try:
            with _unavailable(engine):
                upgrade(engine.execution_options(workspace_write=True))
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({shown(self.engine.url)!r})"

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with _unavailable(self.engine), self._reads() as s, s.begin():
            yield s

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with _unavailable(self.engine), self._writes() as s, s.begin():
            yield s

    # ---- clients ----------------------------------------------------------------------------------------
    def _summaries(self, s: Session, owner: str, *, ids: Collection[int] | None = None,
                   archived: bool | None = None) -> list[ClientSummary]:
        ranked = select(
            _S.client_id, _S.id, _S.n_loans, _S.owed,
            func.row_number().over(partition_by=_S.client_id, order_by=(_S.updated_at.desc(), _S.id.desc()))
            .label("rank"),
            func.count().over(partition_by=_S.client_id).label("n"),
        ).join(_C, _C.id == _S.client_id).where(_C.owner == owner).subquery()
        q = (select(_C.id, _C.name, _C.note, _C.archived, _C.created_at, _C.updated_at, _C.version,
                    ranked.c.n, ranked.c.id, ranked.c.n_loans, ranked.c.owed)
             .outerjoin(ranked, (ranked.c.client_id == _C.id) & (ranked.c.rank == 1))
             .where(_C.owner == owner).order_by(_C.updated_at.desc(), _C.id.desc()))
        if ids is not None:
            q = q.where(_C.id.in_(list(ids)))
        if archived is not None:
            q = q.where(_C.archived == archived)
        return [ClientSummary(id=r[0], name=r[1], note=r[2], archived=r[3], created_at=r[4], updated_at=r[5],
                              version=r[6], n_scenarios=r[7] or 0, latest_id=r[8], n_loans=r[9], owed=r[10])
                for r in s.execute(q)]

    def _summary(self, s: Session, owner: str, client_id: int) -> ClientSummary:
        found = self._summaries(s, owner, ids=[client_id])
        if not found:
            raise NotFound("client", client_id)
        return found[0]

    def _has_client(self, s: Session, owner: str, client_id: int) -> None:
        if s.scalar(select(_C.id).where(_C.id == client_id, _C.owner == owner)) is None:
            raise NotFound("client", client_id)

    def _taken(self, s: Session, owner: str) -> set[str]:
        return set(s.scalars(select(_C.name).where(_C.owner == owner)))

    def clients(self, owner: str, *, search: str = "", archived: bool | None = False) -> list[ClientSummary]:
        """The owner's clients, the most recently changed first. ``search``: a piece of the name or
        note, in any case; ``archived``: False the active ones, True the archived ones, None all."""
        owner = _owner(owner)
        with self._read() as s:
            found = self._summaries(s, owner, archived=archived)
        needle = search.strip().casefold()
        if not needle:
            return found
        return [c for c in found if needle in c.name.casefold() or needle in c.note.casefold()]

    def add_client(self, owner: str, name: str, note: str = "") -> ClientSummary:
        """A new client (a name already used is allowed: two people may share one)."""
        owner, name, note = _owner(owner), _name(name), _note(note)
        now = _now()
        with self._write() as s:
            row = ClientRow(owner=owner, name=name, note=note, archived=False, created_at=now, updated_at=now,
                            version=1)
            s.add(row)
            s.flush()
            return self._summary(s, owner, row.id)

    def _change_client(self, owner: str, client_id: int, version: int, **values: Any) -> ClientSummary:
        with self._write() as s:
            done = s.execute(update(_C).where(_C.id == client_id, _C.owner == owner, _C.version == version)
                             .values(**values, version=_C.version + 1, updated_at=_now())
                             .execution_options(synchronize_session=False))
            if done.rowcount != 1:
                now = s.execute(select(_C.version, _C.updated_at)
                                .where(_C.id == client_id, _C.owner == owner)).first()
                if now is None:
                    raise NotFound("client", client_id)
                raise Conflict(now.version, now.updated_at, kind="client")
            return self._summary(s, owner, client_id)

    def rename_client(self, owner: str, client_id: int, name: str, note: str | None = None, *,
                      version: int) -> ClientSummary:
        """A new name (and note, unless None) for the client at ``version``."""
        values: dict[str, Any] = {"name": _name(name)}
        if note is not None:
            values["note"] = _note(note)
        return self._change_client(_owner(owner), client_id, version, **values)

    def archive_client(self, owner: str, client_id: int, archived: bool = True, *,
                       version: int) -> ClientSummary:
        """Archive the client at ``version`` (``archived=False``: bring it back)."""
        return self._change_client(_owner(owner), client_id, version, archived=bool(archived))

    def delete_client(self, owner: str, client_id: int) -> None:
        """Delete the client and every scenario of it."""
        owner = _owner(owner)
        with self._write() as s:
            self._has_client(s, owner, client_id)
            s.execute(delete(_S).where(_S.client_id == client_id))  # (the foreign key cascades too)
            s.execute(delete(_C).where(_C.id == client_id, _C.owner == owner))

    def duplicate_client(self, owner: str, client_id: int, name: str | None = None) -> ClientSummary:
        """A copy of the client with a copy of each of its scenarios (new ids, version 1, not
        archived). ``name`` None: the client's name with the first free `` (n)`` suffix."""
        owner = _owner(owner)
        with self._write() as s:
            src = s.execute(select(_C.name, _C.note).where(_C.id == client_id, _C.owner == owner)).first()
            if src is None:
                raise NotFound("client", client_id)
            now = _now()
            new_name = unique_name(src.name, self._taken(s, owner)) if name is None else _name(name)
            copy = ClientRow(owner=owner, name=new_name, note=src.note, archived=False, created_at=now,
                             updated_at=now, version=1)
            s.add(copy)
            s.flush()
            for sid in s.scalars(select(_S.id).where(_S.client_id == client_id).order_by(_S.id)).all():
                r = s.execute(select(_S).where(_S.id == sid)).scalar_one()
                s.add(_row(copy.id, r.name, r.body, Figures(r.n_loans, r.owed, r.n_agreements),
                           r.created_at, r.updated_at))
                s.flush()
            return self._summary(s, owner, copy.id)

    # ---- scenarios -------------------------------------------------------------------------------------
    @staticmethod
    def _scenario_summary(r: Any) -> ScenarioSummary:
        return ScenarioSummary(id=r.id, client_id=r.client_id, name=r.name, n_loans=r.n_loans, owed=r.owed,
                               n_agreements=r.n_agreements, created_at=r.created_at, updated_at=r.updated_at,
                               version=r.version)

    _SUMMARY_COLUMNS = (_S.id, _S.client_id, _S.name, _S.n_loans, _S.owed, _S.n_agreements, _S.created_at,
                        _S.updated_at, _S.version)

    def _owned(self, owner: str):
        return _S.client_id.in_(select(_C.id).where(_C.owner == owner))

    def scenarios(self, owner: str, client_id: int) -> list[ScenarioSummary]:
        """The client's scenarios, the most recently saved first."""
        owner = _owner(owner)
        with self._read() as s:
            self._has_client(s, owner, client_id)
            rows = s.execute(select(*self._SUMMARY_COLUMNS).where(_S.client_id == client_id)
                             .order_by(_S.updated_at.desc(), _S.id.desc()))
            return [self._scenario_summary(r) for r in rows]

    def load(self, owner: str, scenario_id: int) -> Stored:
        """A saved scenario, read back."""
        owner = _owner(owner)
        with self._read() as s:
            r = s.execute(select(_S.id, _S.client_id, _S.name, _S.version, _S.updated_at, _S.body)
                          .where(_S.id == scenario_id, self._owned(owner))).first()
        if r is None:
            raise NotFound("scenario", scenario_id)
        return Stored(id=r.id, client_id=r.client_id, name=r.name, version=r.version, updated_at=r.updated_at,
                      scenario=_parse(r.id, r.body))

    def _touch(self, s: Session, client_id: int, now: dt.datetime) -> None:
        s.execute(update(_C).where(_C.id == client_id).values(updated_at=now)
                  .execution_options(synchronize_session=False))

    def _refuse(self, s: Session, owner: str, scenario_id: int, client_id: int | None) -> None:
        """Why an update of a scenario matched no row: it is not there (for this owner and
        client), or it was saved since (its version moved on)."""
        where = [_S.id == scenario_id, self._owned(owner)]
        if client_id is not None:
            where.append(_S.client_id == client_id)
        now = s.execute(select(_S.version, _S.updated_at).where(*where)).first()
        if now is None:
            raise NotFound("scenario", scenario_id)
        raise Conflict(now.version, now.updated_at, kind="scenario")

    def save(self, owner: str, client_id: int, scenario: Scenario, *, name: str,
             scenario_id: int | None = None, version: int | None = None) -> ScenarioSummary:
        """Save ``scenario`` for the client: a new one when ``scenario_id`` is None, else over the
        saved one read at ``version`` (:class:`Conflict` when it was saved since: nothing changes)."""
        owner, name = _owner(owner), _name(name)
        if scenario_id is not None and version is None:
            raise ValueError("saving over a saved scenario needs the version it was read at")
        body, figs = _body(scenario), figures(scenario)
        with self._write() as s:
            self._has_client(s, owner, client_id)
            now = _now()
            if scenario_id is None:
                row = _row(client_id, name, body, figs, now, now)
                s.add(row)
                s.flush()
                scenario_id = row.id
            else:
                done = s.execute(
                    update(_S).where(_S.id == scenario_id, _S.client_id == client_id, _S.version == version)
                    .values(name=name, body=body, n_loans=figs.n_loans, owed=figs.owed,
                            n_agreements=figs.n_agreements, updated_at=now, version=_S.version + 1)
                    .execution_options(synchronize_session=False))
                if done.rowcount != 1:
                    self._refuse(s, owner, scenario_id, client_id)
            self._touch(s, client_id, now)
            r = s.execute(select(*self._SUMMARY_COLUMNS).where(_S.id == scenario_id)).one()
            return self._scenario_summary(r)

    def rename_scenario(self, owner: str, scenario_id: int, name: str, *, version: int) -> ScenarioSummary:
        """A new name for the saved scenario at ``version``."""
        owner, name = _owner(owner), _name(name)
        with self._write() as s:
            now = _now()
            done = s.execute(update(_S).where(_S.id == scenario_id, self._owned(owner), _S.version == version)
                             .values(name=name, updated_at=now, version=_S.version + 1)
                             .execution_options(synchronize_session=False))
            if done.rowcount != 1:
                self._refuse(s, owner, scenario_id, None)
            r = s.execute(select(*self._SUMMARY_COLUMNS).where(_S.id == scenario_id)).one()
            self._touch(s, r.client_id, now)
            return self._scenario_summary(r)

    def delete_scenario(self, owner: str, scenario_id: int) -> None:
        """Delete one saved scenario."""
        owner = _owner(owner)
        with self._write() as s:
            client_id = s.scalar(select(_S.client_id).where(_S.id == scenario_id, self._owned(owner)))
            if client_id is None:
                raise NotFound("scenario", scenario_id)
            s.execute(delete(_S).where(_S.id == scenario_id))
            self._touch(s, client_id, _now())

    def latest_scenarios(self, owner: str) -> list[tuple[ClientSummary, Scenario]]:
        """Each client's most recently saved scenario (archived clients too; a client with none
        is left out), the most recently changed client first: the outcome book across clients."""
        owner = _owner(owner)
        with self._read() as s:
            found = [c for c in self._summaries(s, owner, archived=None) if c.latest_id is not None]
            latest = [c.latest_id for c in found]
            bodies = dict(s.execute(select(_S.id, _S.body).where(_S.id.in_(latest))).all())
        return [(c, _parse(c.latest_id, bodies[c.latest_id])) for c in found]  # type: ignore[index]

    # ---- files -------------------------------------------------------------------------------------------
    def _client_doc(self, s: Session, client: Any) -> dict[str, Any]:
        rows = s.execute(select(_S.name, _S.created_at, _S.updated_at, _S.body)
                         .where(_S.client_id == client.id).order_by(_S.created_at, _S.id)).all()
        return files.client_doc(client.name, client.note, client.archived, client.created_at, rows)

    _CLIENT_COLUMNS = (_C.id, _C.name, _C.note, _C.archived, _C.created_at)

    def export_client(self, owner: str, client_id: int) -> bytes:
        """The client and all its scenarios as a file (UTF-8 JSON, :mod:`lib.workspace.files`)."""
        owner = _owner(owner)
        with self._read() as s:
            client = s.execute(select(*self._CLIENT_COLUMNS)
                               .where(_C.id == client_id, _C.owner == owner)).first()
            if client is None:
                raise NotFound("client", client_id)
            return files.client_file(self._client_doc(s, client))

    def backup(self, owner: str) -> bytes:
        """All the owner's clients (archived too) with their scenarios, as one file."""
        owner = _owner(owner)
        with self._read() as s:
            clients = s.execute(select(*self._CLIENT_COLUMNS).where(_C.owner == owner)
                                .order_by(_C.created_at, _C.id)).all()
            return files.workspace_file([self._client_doc(s, c) for c in clients])

    def import_file(self, owner: str, data: bytes) -> list[ClientSummary]:
        """Add the clients of a client file or a backup, as new clients (a name already used gets
        a `` (n)`` suffix). The whole file is checked first, and either all of it is added or
        nothing (:class:`WorkspaceError` says what is wrong, see :mod:`lib.workspace.files`)."""
        owner = _owner(owner)
        entries = files.read_file(data)
        with self._write() as s:
            taken = self._taken(s, owner)
            ids: list[int] = []
            for c in entries:
                now = _now()
                name = unique_name(c.name, taken)
                taken.add(name)
                row = ClientRow(owner=owner, name=name, note=c.note, archived=c.archived,
                                created_at=c.created_at or now, updated_at=now, version=1)
                s.add(row)
                s.flush()
                ids.append(row.id)
                for sc in c.scenarios:
                    s.add(_row(row.id, sc.name, sc.body, figures(sc.scenario), sc.created_at or now,
                               sc.updated_at or now))
                    s.flush()
            by_id = {c.id: c for c in self._summaries(s, owner, ids=ids)} if ids else {}
            return [by_id[i] for i in ids]


__all__ = ["BUSY_TIMEOUT_MS", "ClientSummary", "Figures", "ScenarioSummary", "Stored", "Workspace",
           "create_workspace_engine", "figures", "unique_name"]
