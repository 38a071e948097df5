"""The workspace's files: one client (``loan-planner-client``) or a whole workspace backup
(``loan-planner-workspace``), as versioned UTF-8 JSON.

A client file::

    {"format": "loan-planner-client", "version": 1,
     "client": {"name": ..., "note": ..., "archived": false, "created_at": "2031-01-05T09:30:00+00:00",
                "scenarios": [{"name": ..., "created_at": ..., "updated_at": ...,
                               "scenario": {<the scenario's JSON, lib.scenario>}}]}}

A backup has ``"clients": [...]`` (each as ``"client"`` above) in place of ``"client"``.

:func:`read_file` checks everything before anything is written: the size, the JSON, the format
and its version, each client's fields and each scenario (through :func:`lib.scenario.from_json`,
which also brings an older scenario up to date). A file it refuses raises
:class:`lib.workspace.WorkspaceError` whose code names what is wrong and whose params say
where: ``too_big`` (size, limit in MB), ``not_json`` (detail), ``scenario_file`` (a single
scenario's file, not a client's), ``unknown_format`` (format), ``bad_version`` (version),
``future_version`` (version, supported), ``bad_file`` (where, what), ``bad_scenario`` (client,
scenario: its place from 1, name, detail: the :class:`lib.scenario.ScenarioError`'s code and params,
or ``too_big`` when the scenario written out in full would be more than lib.scenario reads back).

>>> from lib.scenario import Scenario
>>> data = client_file(client_doc("张三", "", False, AT, [("first", AT, AT, Scenario().to_json())]))
>>> [c] = read_file(data)
>>> c.name, c.created_at, [(s.name, s.scenario == Scenario()) for s in c.scenarios]
('张三', datetime.datetime(2031, 1, 5, 9, 30, tzinfo=datetime.timezone.utc), [('first', True)])
>>> doc = json.loads(data)
>>> doc["client"]["scenarios"][0]["scenario"]["loans"] = [
...     {"loan_id": "L1", "balance": -1, "annual_rate": 0.1, "remaining_months": 3}]
>>> try:
...     read_file(json.dumps(doc).encode())
... except WorkspaceError as e:
...     print(e.code, e.params["client"], e.params["scenario"], e.params["detail"]["code"])
bad_scenario 张三 1 invalid
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from lib.scenario import MAX_FILE_BYTES, Scenario, ScenarioError, from_json
from lib.workspace.errors import WorkspaceError
from lib.workspace.models import NAME_MAX, NOTE_MAX

CLIENT_FORMAT = "loan-planner-client"
WORKSPACE_FORMAT = "loan-planner-workspace"
FILE_VERSION = 1
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a backup of many clients; each scenario is at most lib.scenario's 2 MB
AT = dt.datetime(2031, 1, 5, 9, 30, tzinfo=dt.UTC)  # (for the examples)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ScenarioDoc(_Doc):
    name: Name
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    scenario: dict[str, Any]


class _ClientDoc(_Doc):
    name: Name
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)] = ""
    archived: bool = False
    created_at: dt.datetime | None = None
    scenarios: list[_ScenarioDoc] = Field(default=[], max_length=10_000)


class _ClientFile(_Doc):
    format: Literal["loan-planner-client"]
    version: int
    client: _ClientDoc


class _WorkspaceFile(_Doc):
    format: Literal["loan-planner-workspace"]
    version: int
    clients: list[_ClientDoc] = Field(max_length=100_000)


@dataclass(frozen=True)
class ScenarioEntry:
    """A checked scenario of a file: its name, times (None: the file gives none), the scenario
    and its JSON as it is stored (:meth:`Scenario.to_json`)."""

    name: str
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    scenario: Scenario
    body: str


@dataclass(frozen=True)
class ClientEntry:
    """A checked client of a file, with its scenarios in the file's order."""

    name: str
    note: str
    archived: bool
    created_at: dt.datetime | None
    scenarios: tuple[ScenarioEntry, ...]


def _time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


def client_doc(name: str, note: str, archived: bool, created_at: dt.datetime,
               scenarios: Iterable[tuple[str, dt.datetime, dt.datetime, str]]) -> dict[str, Any]:
    """A client as the files hold it; ``scenarios``: (name, created_at, updated_at, the scenario's JSON)."""
    return {"name": name, "note": note, "archived": archived, "created_at": _time(created_at),
            "scenarios": [{"name": n, "created_at": _time(c), "updated_at": _time(u),
                           "scenario": json.loads(body)} for n, c, u, body in scenarios]}


def _dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def client_file(client: dict[str, Any]) -> bytes:
    """One client's file (``client``: from :func:`client_doc`)."""
    return _dump({"format": CLIENT_FORMAT, "version": FILE_VERSION, "client": client})


def workspace_file(clients: Sequence[dict[str, Any]]) -> bytes:
    """A backup of many clients (each from :func:`client_doc`)."""
    return _dump({"format": WORKSPACE_FORMAT, "version": FILE_VERSION, "clients": list(clients)})


def size_params(size: int, limit: int = MAX_FILE_BYTES) -> dict[str, float | int]:
    """``too_big``'s params: the size and the limit in MB.

    >>> size_params(3_100_648)
    {'size': 3.0, 'limit': 2}
    """
    return {"size": round(size / 1048576, 1), "limit": limit // 1048576}


def _reject_constant(name: str) -> Any:
    raise WorkspaceError("not_json", {"detail": f"{name} is not a number JSON allows"})


def _where(loc: tuple) -> str:
    return " → ".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc)


def _utc(at: dt.datetime | None) -> dt.datetime | None:
    if at is None:
        return None
    if at.utcoffset() is None:  # naive: taken as UTC
        return at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC)


def _head(data: bytes) -> dict[str, Any]:
    """The file's JSON object, with a format and version this reader takes."""
    if len(data) > MAX_IMPORT_BYTES:
        raise WorkspaceError("too_big", size_params(len(data), MAX_IMPORT_BYTES))
    try:
        doc = json.loads(data, parse_constant=_reject_constant)
    except WorkspaceError:
        raise
    except (ValueError, RecursionError) as exc:  # (UnicodeDecodeError is a ValueError)
        raise WorkspaceError("not_json", {"detail": type(exc).__name__}) from None
    if not isinstance(doc, dict):
        raise WorkspaceError("unknown_format", {"format": ""})
    fmt = doc.get("format")
    if fmt not in (CLIENT_FORMAT, WORKSPACE_FORMAT):
        if fmt is None and ("loans" in doc or "capacity" in doc):
            raise WorkspaceError("scenario_file")
        raise WorkspaceError("unknown_format", {"format": str(fmt)[:40] if fmt is not None else ""})
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise WorkspaceError("bad_version", {"version": str(version)[:20]})
    if version > FILE_VERSION:
        raise WorkspaceError("future_version", {"version": version, "supported": FILE_VERSION})
    return doc


def _scenario(client: str, i: int, doc: _ScenarioDoc) -> ScenarioEntry:
    def refused(code: str, params: dict[str, Any]) -> WorkspaceError:
        return WorkspaceError("bad_scenario", {"client": client, "scenario": i + 1, "name": doc.name,
                                               "detail": {"code": code, "params": params}})

    try:
        scenario = from_json(json.dumps(doc.scenario, ensure_ascii=False))
    except ScenarioError as exc:
        raise refused(exc.code, exc.params) from None
    except (ValueError, RecursionError) as exc:  # too deep to write back as JSON
        raise refused("not_json", {"detail": type(exc).__name__}) from None
    body = scenario.to_json()
    if len(body) > MAX_FILE_BYTES:  # written out in full, too big for lib.scenario to read back
        raise refused("too_big", size_params(len(body)))
    created = _utc(doc.created_at)
    return ScenarioEntry(doc.name, created, _utc(doc.updated_at) or created, scenario, body)


def read_file(data: bytes) -> list[ClientEntry]:
    """The clients of a client file or a backup, each checked, or raise :class:`WorkspaceError`."""
    doc = _head(data)
    try:
        if doc["format"] == CLIENT_FORMAT:
            clients = [_ClientFile.model_validate(doc).client]
        else:
            clients = _WorkspaceFile.model_validate(doc).clients
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = _where(err["loc"]) or "—"
        raise WorkspaceError("bad_file", {"where": where, "what": err["msg"][:200]}) from None
    except RecursionError:
        raise WorkspaceError("not_json", {"detail": "RecursionError"}) from None
    return [ClientEntry(c.name, c.note, c.archived, _utc(c.created_at),
                        tuple(_scenario(c.name, i, s) for i, s in enumerate(c.scenarios)))
            for c in clients]


__all__ = ["CLIENT_FORMAT", "ClientEntry", "FILE_VERSION", "MAX_IMPORT_BYTES", "ScenarioEntry",
           "WORKSPACE_FORMAT", "client_doc", "client_file", "read_file", "size_params", "workspace_file"]
