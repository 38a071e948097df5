"""The coach's workspace: many clients, each with saved scenarios, in a database.

A coach who helps several borrowers keeps each one as a *client* (a name and a note) with any
number of saved :class:`lib.scenario.Scenario` (each stored as its JSON, with the figures the
client list shows: loans, what they owe, agreements). SQLite on the coach's own computer, or
PostgreSQL for a shared server; the schema is migrated by Alembic on opening.

* :class:`Workspace` (:mod:`.store`) — clients, scenarios, export / backup / import; every
  method takes the ``owner`` (the signed-in coach) first and sees only that owner's rows;
  each is one transaction; a save over a scenario someone saved since raises :class:`Conflict`.
* :func:`workspace_config` (:mod:`.config`) — on or off, the database URL and the coaches,
  from the environment and Streamlit's secrets.
* :func:`check_passphrase`, :func:`needs_sign_in` (:mod:`.auth`) — a coach's sign-in, and
  whether one is needed (not on the coach's own computer).
* :mod:`.files` — the client and backup files (versioned JSON), checked before anything is written.

Nothing here makes words: errors are :class:`WorkspaceError` with a ``code`` and ``params``.

Example
-------
In memory (``sqlite://``: one connection shared by every session), two coaches:

>>> from lib.loans import make_loans
>>> from lib.scenario import Scenario
>>> ws = Workspace.open("sqlite://")
>>> zhang = ws.add_client("li", "张三", "referred by the community centre")
>>> loans = make_loans([{"lender": "借呗", "balance": 18000, "annual_rate": 0.18, "remaining_months": 10,
...                      "interest": 150, "penalty": 40}])
>>> first = ws.save("li", zhang.id, Scenario().with_loans(loans), name="before the calls")
>>> first.n_loans, first.owed, first.version
(1, 18190.0, 1)
>>> mine = ws.load("li", first.id)
>>> _ = ws.save("li", zhang.id, mine.scenario.with_capacity(income=7000.0), name="after",
...             scenario_id=mine.id, version=mine.version)
>>> try:  # a second tab still holding version 1
...     ws.save("li", zhang.id, mine.scenario, name="stale", scenario_id=mine.id, version=1)
... except Conflict as e:
...     print(e.code, e.current_version)
conflict 2
>>> try:  # another coach cannot reach it
...     ws.load("wang", first.id)
... except NotFound as e:
...     print(e.code, e.params)
not_found {'kind': 'scenario', 'id': 1}
>>> [c.name for c in ws.import_file("wang", ws.export_client("li", zhang.id))]
['张三']
>>> ws.close()
"""

from lib.workspace.auth import check_passphrase, hash_passphrase, needs_sign_in
from lib.workspace.config import WorkspaceConfig, workspace_config
from lib.workspace.errors import Conflict, NotFound, WorkspaceError
from lib.workspace.files import MAX_IMPORT_BYTES
from lib.workspace.migrate import upgrade
from lib.workspace.store import (
           ClientSummary,
           Figures,
           ScenarioSummary,
           Stored,
           Workspace,
           figures,
           unique_name,
)

__all__ = ["ClientSummary", "Conflict", "Figures", "MAX_IMPORT_BYTES", "NotFound", "ScenarioSummary",
           "Stored", "Workspace", "WorkspaceConfig", "WorkspaceError", "check_passphrase", "figures",
           "hash_passphrase", "needs_sign_in", "unique_name", "upgrade", "workspace_config"]
