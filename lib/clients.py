"""What the clients page (``pages/clients.py``) shows of the coach's workspace: the clients and
one client's saved scenarios as tables with headers in the UI language, and which client is shown.

The rows are :mod:`lib.workspace`'s summaries; nothing here reads the database. Times are shown
to the minute in this computer's zone unless a ``tz`` is given (:func:`lib.fmt.stamp`).

>>> import datetime as dt
>>> from lib.workspace import ScenarioSummary
>>> at = dt.datetime(2031, 1, 5, 9, 30, tzinfo=dt.UTC)
>>> row = ScenarioSummary(id=3, client_id=1, name="first call", n_loans=2, owed=18190.4, n_agreements=1,
...                       created_at=at, updated_at=at, version=4)
>>> scenario_view([row], "en", dt.UTC).to_dict("records")
[{'Scenario': 'first call', 'Last saved': '2031-01-05 09:30', 'Loans': 2, 'Owed': '¥18,190', 'Agreements': 1, 'Version': 4}]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from lib.fmt import money, stamp
from lib.i18n import t

if TYPE_CHECKING:  # (the workspace's database layer is not needed to make a table)
    from lib.workspace import ClientSummary, ScenarioSummary

__all__ = ["client_view", "picked_client", "scenario_view"]


def client_view(clients: Sequence[ClientSummary], lang: str, tz: dt.tzinfo | None = None) -> pd.DataFrame:
    """The client list: name, note, how many scenarios, the latest one's loans and what they owe
    (whole yuan; blank for a client with no scenario yet), when last saved, archived or not.

    >>> import datetime as dt
    >>> from lib.workspace import ClientSummary
    >>> at = dt.datetime(2031, 1, 5, 9, 30, tzinfo=dt.UTC)
    >>> view = client_view([ClientSummary(1, "张三", "two loans", False, at, at, 1, 2, 3, 2, 18190.4),
    ...                     ClientSummary(2, "李四", "", True, at, at, 1, 0, None, None, None)], "en", dt.UTC)
    >>> first, new = view.to_dict("records")
    >>> first  # doctest: +NORMALIZE_WHITESPACE
    {'Client': '张三', 'Note': 'two loans', 'Scenarios': 2, 'Loans': 2.0, 'Owed': '¥18,190',
     'Last saved': '2031-01-05 09:30', 'Archived': False}
    >>> new["Loans"], new["Owed"], new["Archived"]
    (nan, '', True)
    """
    return pd.DataFrame({
        t("ws.col.name", lang): [x.name for x in clients],
        t("ws.col.note", lang): [x.note for x in clients],
        t("ws.col.scenarios", lang): [x.n_scenarios for x in clients],
        t("ws.col.loans", lang): [x.n_loans for x in clients],
        t("ws.col.owed", lang): [money(x.owed, 0) if x.owed is not None else "" for x in clients],
        t("ws.col.updated", lang): [stamp(x.updated_at, tz) for x in clients],
        t("ws.col.archived", lang): [x.archived for x in clients]})


def scenario_view(rows: Sequence[ScenarioSummary], lang: str, tz: dt.tzinfo | None = None) -> pd.DataFrame:
    """One client's saved scenarios: name, when last saved, loans, what they owe (whole yuan),
    agreements recorded, version (the example is the module's)."""
    return pd.DataFrame({
        t("ws.col.scenario", lang): [r.name for r in rows],
        t("ws.col.updated", lang): [stamp(r.updated_at, tz) for r in rows],
        t("ws.col.loans", lang): [r.n_loans for r in rows],
        t("ws.col.owed", lang): [money(r.owed, 0) for r in rows],
        t("ws.col.agreements", lang): [r.n_agreements for r in rows],
        t("ws.col.version", lang): [r.version for r in rows]})


def picked_client(ids: Sequence[int], *, wanted: object, picked: object, open_id: int | None) -> int:
    """The client to show of those listed (``ids``, not empty): the one just added or duplicated
    (``wanted``), else the one picked before (``picked``), else the open scenario's client
    (``open_id``), else the first — each only when it is listed (a search or an archive hides it).

    >>> picked_client([4, 7, 9], wanted=None, picked=7, open_id=9), picked_client([4, 7, 9], wanted=9, picked=7, open_id=4)
    (7, 9)
    >>> picked_client([4, 7], wanted=12, picked=3, open_id=7), picked_client([4, 7], wanted=None, picked=None, open_id=3)
    (7, 4)
    """
    return next((x for x in (wanted, picked, open_id) if x in ids), ids[0])
