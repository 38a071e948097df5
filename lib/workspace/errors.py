"""What can go wrong in the workspace, as codes with params (the pages word them, as for
:class:`lib.scenario.ScenarioError`).

>>> e = Conflict(3, dt.datetime(2031, 1, 5, 9, 30, tzinfo=dt.UTC), kind="scenario")
>>> e.code, e.params["current_version"], e.kind
('conflict', 3, 'scenario')
>>> isinstance(NotFound("client", 7), WorkspaceError), NotFound("client", 7).params
(True, {'kind': 'client', 'id': 7})
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

Kind = Literal["client", "scenario"]


class WorkspaceError(ValueError):
    """Anything the workspace refuses. ``code`` names the kind of problem, ``params`` the details.

    Codes: ``not_found`` (kind, id), ``conflict`` (kind, current_version, updated_at),
    ``bad_owner``, ``name_empty`` (field), ``too_long`` (field, limit), ``too_big`` (size, limit
    in MB), and those of an import file (:mod:`lib.workspace.files`).
    """

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        self.code, self.params = code, dict(params or {})
        super().__init__(code, self.params)


class NotFound(WorkspaceError):
    """No such client or scenario for this owner (it may be another owner's, or deleted)."""

    def __init__(self, kind: Kind, id: int) -> None:
        super().__init__("not_found", {"kind": kind, "id": id})
        self.kind, self.id = kind, id


class Conflict(WorkspaceError):
    """Someone saved this client or scenario since it was read: it is now at ``current_version``
    (saved at ``updated_at``); nothing was changed. Load it again, then save."""

    def __init__(self, current_version: int, updated_at: dt.datetime, kind: Kind = "scenario") -> None:
        super().__init__("conflict", {"kind": kind, "current_version": current_version,
                                      "updated_at": updated_at})
        self.current_version, self.updated_at, self.kind = current_version, updated_at, kind
