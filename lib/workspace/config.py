"""Where the workspace keeps its data and who may use it, from the environment and Streamlit's
secrets (``.streamlit/secrets.toml``).

* On with ``LOAN_PLANNER_WORKSPACE=1`` (``true``, ``on``, ``yes``) or ``[workspace] enabled = true``;
  always off in the public demo.
* The database: ``LOAN_PLANNER_DB_URL`` or ``workspace.url`` (PostgreSQL; ``postgres://`` and
  ``postgresql://`` become ``postgresql+psycopg://``), else a SQLite file at ``LOAN_PLANNER_DB_PATH``,
  ``workspace.path`` or ``<the user's data folder>/loan-planner/workspace.sqlite3``.
* The coaches who sign in with a passphrase: ``[workspace.coaches]``, ``name = "$argon2id$..."``
  (``python -m lib.workspace.auth NAME`` makes the line); ``oidc`` when ``[auth]`` configures
  Streamlit's ``st.login``. A sign-in is asked whenever the app is reached from another computer
  (:func:`lib.workspace.auth.needs_sign_in`), and on this one too with ``LOAN_PLANNER_SIGN_IN=1`` or
  ``workspace.sign_in = true`` (a shared laptop).

A URL's password never shows: not in ``path`` (what the page shows), not in the repr.

>>> c = workspace_config({"workspace": {"url": "postgres://coach:s3cret@db.example:5432/plans"}},
...                      {"LOAN_PLANNER_WORKSPACE": "1"}, demo=False)
>>> c.enabled, c.kind, c.url
(True, 'postgresql', 'postgresql+psycopg://coach:s3cret@db.example:5432/plans')
>>> c.path, "s3cret" in repr(c) + str(c)
('postgresql+psycopg://coach:***@db.example:5432/plans', False)
>>> on_file = {"LOAN_PLANNER_WORKSPACE": "1", "LOAN_PLANNER_DB_PATH": "/srv/ws.db"}
>>> workspace_config({}, on_file, demo=False).url
'sqlite:////srv/ws.db'
>>> workspace_config({"workspace": {"enabled": True}}, {}, demo=True).enabled
False
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from lib.workspace.errors import WorkspaceError

ENV_ON = "LOAN_PLANNER_WORKSPACE"
ENV_URL = "LOAN_PLANNER_DB_URL"
ENV_PATH = "LOAN_PLANNER_DB_PATH"
ENV_SIGN_IN = "LOAN_PLANNER_SIGN_IN"
FILE_NAME = "workspace.sqlite3"
_YES = {"1", "true", "on", "yes"}


@dataclass(frozen=True)
class WorkspaceConfig:
    """The workspace's settings. ``url`` is what SQLAlchemy connects to (it may hold a password:
    never show it); ``path`` is what the page shows (the SQLite file, or the URL without its
    password). ``coaches``: sign-in name → argon2 hash."""

    enabled: bool
    url: str = field(repr=False)
    path: str = ""
    kind: Literal["sqlite", "postgresql"] = "sqlite"
    coaches: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    oidc: bool = False
    sign_in: bool = False  # ask a sign-in even on this computer (else only when reached from elsewhere)

    def __repr__(self) -> str:
        return (f"WorkspaceConfig(enabled={self.enabled}, path={self.path!r}, kind={self.kind!r}, "
                f"coaches={sorted(self.coaches)!r}, oidc={self.oidc}, sign_in={self.sign_in})")

    __str__ = __repr__


def _section(secrets: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = secrets.get(name) if isinstance(secrets, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _yes(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in _YES)


def _sqlite(path: str | Path) -> URL:
    return URL.create("sqlite", database=str(Path(os.path.expanduser(str(path))).absolute()))


def normalise_url(url: str | URL) -> URL:
    """The URL to connect with: PostgreSQL through psycopg 3; SQLite as given.
    Anything else raises ``WorkspaceError("bad_url")`` / ``("unsupported_database", scheme)``.

    >>> normalise_url("postgres://u@h/db").render_as_string(), normalise_url("sqlite:///x.db").drivername
    ('postgresql+psycopg://u@h/db', 'sqlite')
    """
    try:
        u = make_url(url)
    except (ArgumentError, ValueError):
        raise WorkspaceError("bad_url") from None  # (never the URL itself: it may hold a password)
    if u.drivername in ("postgres", "postgresql"):
        u = u.set(drivername="postgresql+psycopg")
    backend = u.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise WorkspaceError("unsupported_database", {"scheme": backend[:40]})
    return u


def shown(url: URL) -> str:
    """What the page shows of a URL: the SQLite file, or the URL with its password hidden."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _oidc(auth: Mapping[str, Any]) -> bool:
    providers = (v for v in auth.values() if isinstance(v, Mapping))  # [auth.google], [auth.microsoft] …
    return bool(auth.get("client_id")) or any(v.get("client_id") for v in providers)


def workspace_config(secrets: Mapping[str, Any], environ: Mapping[str, str], *,
                     demo: bool) -> WorkspaceConfig:
    """The settings from Streamlit's secrets and the environment (pass ``{}`` where there are none)."""
    ws = _section(secrets, "workspace")
    enabled = not demo and (_yes(environ.get(ENV_ON, "")) or _yes(ws.get("enabled")))
    raw = environ.get(ENV_URL) or ws.get("url")
    if raw:
        url = normalise_url(str(raw))
    else:
        default = Path(platformdirs.user_data_dir("loan-planner")) / FILE_NAME
        path = environ.get(ENV_PATH) or ws.get("path") or default
        url = _sqlite(path)
    coaches = {str(k): str(v) for k, v in _section(ws, "coaches").items() if isinstance(v, str)}
    return WorkspaceConfig(enabled=enabled, url=url.render_as_string(hide_password=False), path=shown(url),
                           kind="postgresql" if url.get_backend_name() == "postgresql" else "sqlite",
                           coaches=MappingProxyType(coaches), oidc=_oidc(_section(secrets, "auth")),
                           sign_in=_yes(environ.get(ENV_SIGN_IN, "")) or _yes(ws.get("sign_in")))


__all__ = ["ENV_ON", "ENV_PATH", "ENV_SIGN_IN", "ENV_URL", "WorkspaceConfig", "normalise_url", "shown", "workspace_config"]
