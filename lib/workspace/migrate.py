"""The workspace's schema, migrated by Alembic from inside the program (no alembic.ini).

:func:`upgrade` brings a database to the newest schema (``head``); it is safe to run on every
start: a database already at head is left as it is. On PostgreSQL two servers starting at once
take turns (an advisory lock), on SQLite the write lock does the same.

>>> from sqlalchemy import create_engine, inspect
>>> engine = create_engine("sqlite://")
>>> upgrade(engine); upgrade(engine)
>>> sorted(inspect(engine).get_table_names()), current(engine) == head()
(['clients', 'scenarios', 'workspace_alembic_version'], True)
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

SCRIPTS = Path(__file__).parent / "migrations"
VERSION_TABLE = "workspace_alembic_version"  # as migrations/env.py
_LOCK = 0x4C50_5753  # "LPWS": the advisory lock PostgreSQL servers take turns on while migrating


def config() -> Config:
    """Alembic's configuration: the scripts in this package (``migrations/``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema, in one transaction."""
    cfg = config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def head() -> str | None:
    """The newest revision of the scripts."""
    return ScriptDirectory.from_config(config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


__all__ = ["SCRIPTS", "VERSION_TABLE", "config", "current", "head", "upgrade"]
