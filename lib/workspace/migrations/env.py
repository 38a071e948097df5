"""Alembic's environment for the workspace: run by :func:`lib.workspace.migrate.upgrade`, which
passes the connection (in a transaction) through ``config.attributes["connection"]``; there is
no alembic.ini and no URL here."""

from __future__ import annotations

from alembic import context

from lib.workspace.models import Base

VERSION_TABLE = "workspace_alembic_version"  # not alembic_version: the database may hold other apps' tables


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run by lib.workspace.migrate.upgrade, which passes the connection (no URL here)")
    context.configure(connection=connection, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                      render_as_batch=True)  # SQLite: ALTER TABLE by copying the table
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "config", None) is not None:  # not when imported outside Alembic (pytest's doctests)
    run_migrations()
