"""The coach workspace (lib.workspace) on SQLite (a file) and PostgreSQL (a throwaway server,
tests/pg.py): the migrations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect

from lib.workspace.config import normalise_url
from lib.workspace.migrate import VERSION_TABLE, current, head, upgrade
from lib.workspace.models import Base


# ---- backends --------------------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> Callable[[], str]:
    """Makes the URL of a new, empty database of the backend (each call another one)."""
    made: list[int] = []

    def make() -> str:
        made.append(1)
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / f'coach{len(made)}.sqlite3'}"
        cluster = request.getfixturevalue("postgres")
        name = cluster.create_database()
        request.addfinalizer(lambda: cluster.drop_database(name))
        return cluster.url(name)

    return make


@pytest.fixture
def url(fresh_url) -> str:
    return fresh_url()


# ---- migrations -------------------------------------------------------------------------------------------
def test_migrating_an_empty_database_makes_the_tables_once_and_they_match_the_models(url):
    engine = create_engine(normalise_url(url))
    try:
        assert inspect(engine).get_table_names() == [] and current(engine) is None
        upgrade(engine)
        assert sorted(inspect(engine).get_table_names()) == ["clients", "scenarios", VERSION_TABLE]
        assert current(engine) == head() == "0001"
        upgrade(engine)  # again: nothing to do
        assert current(engine) == "0001"
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
            # and the comparison does see a difference when there is one
            other = MetaData()
            for table in Base.metadata.tables.values():
                table.to_metadata(other)
            Table("clients", other, Column("extra", Integer), extend_existing=True)
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}), other)
            assert [(d[0], d[3].name) for d in diffs] == [("add_column", "extra")]
    finally:
        engine.dispose()
