"""The coach's workspace: many clients, each with saved scenarios, in a database.

* :func:`workspace_config` (:mod:`.config`) — on or off, the database URL and the coaches,
  from the environment and Streamlit's secrets.
* :func:`check_passphrase`, :func:`needs_sign_in` (:mod:`.auth`) — a coach's sign-in, and
  whether one is needed (not on the coach's own computer).

Nothing here makes words: errors are :class:`WorkspaceError` with a ``code`` and ``params``.

>>> workspace_config({}, {"LOAN_PLANNER_WORKSPACE": "1", "LOAN_PLANNER_DB_PATH": "/srv/ws.db"}, demo=False).path
'/srv/ws.db'
"""

from lib.workspace.auth import check_passphrase, hash_passphrase, needs_sign_in
from lib.workspace.config import WorkspaceConfig, workspace_config
from lib.workspace.errors import Conflict, NotFound, WorkspaceError

__all__ = ["Conflict", "NotFound", "WorkspaceConfig", "WorkspaceError", "check_passphrase", "hash_passphrase",
           "needs_sign_in", "workspace_config"]
