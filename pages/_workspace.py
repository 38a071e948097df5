"""The coach workspace in the app: is it on, who is signed in, the database, the open client.

Off unless configured (``lib.workspace.config``), always off in demo mode; when off nothing here
touches a disk. When on and the app is reached from beyond this computer (or ``sign_in`` is set),
nothing is shown until a coach signs in: through ``st.login`` when an OIDC provider is configured,
else with a coach's passphrase checked against its argon2 hash in ``secrets.toml``. A coach's
identity is the owner of every row they see (``lib.workspace.Workspace`` filters by it).

What is open — the client and the scenario loaded from the database, and the version it had —
lives in the session (``ws_open``); saving checks that version so that two windows never silently
overwrite each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import streamlit as st

from lib.fmt import md_escape
from lib.i18n import t
from lib.outcomes import Case, Cases, cases
from lib.scenario import ScenarioError
from lib.views import scenario_error_text
from lib.workspace import Conflict, ScenarioSummary, Workspace, WorkspaceError
from lib.workspace.auth import needs_sign_in
from lib.workspace.config import WorkspaceConfig, workspace_config
from pages._state import demo_mode, revision, scenario

LOCAL = "local"  # the owner on a coach's own computer, where no sign-in is asked
COACH, _OPEN = "ws_coach", "ws_open"  # session keys: the signed-in coach (pages/_sign_in.py), the open client


def config() -> WorkspaceConfig:
    """The workspace settings from secrets.toml and the environment (off in demo mode)."""
    try:
        secrets = st.secrets.to_dict()
    except Exception:  # no secrets file
        secrets = {}
    return workspace_config(secrets, os.environ, demo=demo_mode())


def enabled() -> bool:
    return config().enabled


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Workspace:
    return Workspace.open(url)


def workspace() -> Workspace:
    """The database (one engine per server process), migrated to the latest schema."""
    return _open(config().url)


def sign_in_needed() -> bool:
    """Nothing is visible without signing in: when served beyond this computer, or when asked for."""
    cfg = config()
    address = str(st.get_option("server.address") or "")
    return cfg.sign_in or needs_sign_in(address, dict(st.context.headers or {}))


def coach() -> str | None:
    """Who is signed in (the owner of the rows shown), or None."""
    if not sign_in_needed():
        return LOCAL
    if config().oidc and getattr(st.user, "is_logged_in", False):
        return str(st.user.get("email") or st.user.get("sub"))
    return st.session_state.get(COACH)


# ---- the client and scenario open in this session -------------------------------------------------
@dataclass(frozen=True)
class Open:
    """The scenario loaded from (or last saved to) the workspace, and the revision it matched."""

    client_id: int
    client: str
    scenario_id: int
    name: str
    version: int
    rev: int  # the session's scenario revision when it was loaded or saved

    @property
    def dirty(self) -> bool:
        return revision() != self.rev


def opened() -> Open | None:
    return st.session_state.get(_OPEN)


def mark_open(client_id: int, client: str, scenario_id: int, name: str, version: int) -> None:
    st.session_state[_OPEN] = Open(client_id, client, scenario_id, name, version, revision())


def renamed(row: ScenarioSummary) -> None:
    """The open scenario was renamed here: its new name and version (its content is unchanged)."""
    cur = opened()
    if cur is not None and cur.scenario_id == row.id:
        st.session_state[_OPEN] = replace(cur, name=row.name, version=row.version)


def close() -> None:
    st.session_state.pop(_OPEN, None)


def save_open(owner: str) -> str:
    """Save the session's scenario over the open one, if nobody else saved it meanwhile.
    Returns an i18n key: ``ws.saved`` or ``ws.conflict`` (nothing written)."""
    cur = opened()
    assert cur is not None
    try:
        row = workspace().save(owner, cur.client_id, scenario(), name=cur.name, scenario_id=cur.scenario_id,
                               version=cur.version)
    except Conflict as err:
        st.session_state["ws_conflict"] = err
        return "ws.conflict"
    mark_open(cur.client_id, cur.client, row.id, row.name, row.version)
    return "ws.saved"


def error_text(err: WorkspaceError, lg: str) -> str:
    """A workspace error in the user's language, naming the place; whatever came from a file is escaped."""
    params = {k: md_escape(v) if isinstance(v, str) else v for k, v in err.params.items()
              if isinstance(v, str | int | float)}
    text = t(f"ws.err.{err.code}", lg, **params)
    detail = err.params.get("detail")
    if err.code == "bad_scenario" and isinstance(detail, dict):  # why the plan inside could not be read
        text += " " + scenario_error_text(ScenarioError(detail["code"], **detail["params"]), lg)
    return text


def sidebar_panel(lg: str) -> None:
    """In the sidebar: which client is open, unsaved changes, save (with the version check)."""
    owner, cur = coach(), opened()
    if owner is None:
        return
    box = st.sidebar.container(border=True)
    if cur is None:
        box.caption(t("ws.none_open", lg))
        return
    box.markdown(t("ws.open_line", lg, client=md_escape(cur.client), scenario=md_escape(cur.name)))
    if said := st.session_state.pop("ws_said", None):  # what the save button did (before this run)
        (st.toast if said == "ws.saved" else box.error)(t(said, lg))
    if cur.dirty:
        box.caption(t("ws.unsaved", lg))
        box.button(t("ws.save", lg), icon=":material/cloud_upload:", key="ws_save_sidebar", width="stretch",
                   on_click=lambda: st.session_state.update(ws_said=save_open(owner)))
    else:
        box.caption(t("ws.all_saved", lg, v=cur.version))


# ---- the outcome book: what lenders granted, over the coach's clients ----------------------------------
@st.cache_data(ttl=30, show_spinner=False, max_entries=64)
def _recorded(url: str, owner: str, skip_client: int | None) -> list[Case]:
    """The cases in the latest scenario of each of ``owner``'s clients (but the one open here,
    whose current state the session holds). Cached for half a minute."""
    stored = [s for c, s in _open(url).latest_scenarios(owner) if c.id != skip_client]
    return cases(stored).cases


def outcome_cases() -> Cases:
    """The cases the outcome book counts: this session's scenario, and with the workspace on the
    coach's other clients too."""
    here = cases([scenario()])
    owner = coach() if enabled() else None
    if owner is None:
        return here
    cur = opened()
    return Cases((*here.cases, *_recorded(config().url, owner, cur.client_id if cur else None)), here.skipped)
