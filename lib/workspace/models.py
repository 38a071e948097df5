"""The workspace's tables: a coach's clients, and each client's saved scenarios.

A client belongs to one ``owner`` (the coach's identity: a sign-in name or an e-mail); a
scenario is the text of :meth:`lib.scenario.Scenario.to_json` with a few figures worked out
when it is saved (how many loans, what they owe, how many agreements), so that a list of
clients needs no scenario to be read. ``version`` counts the saves of a row: a save names the
version it read, and is refused when the row has moved on (see :class:`lib.workspace.Conflict`).

Times are aware datetimes in UTC, on every database (:class:`UTCDateTime`):

>>> import datetime as dt
>>> from sqlalchemy import create_engine, insert, select
>>> engine = create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> with engine.begin() as conn:
...     at = dt.datetime(2031, 1, 5, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
...     _ = conn.execute(insert(ClientRow).values(owner="coach", name="张三", created_at=at, updated_at=at))
...     conn.execute(select(ClientRow.created_at, ClientRow.note, ClientRow.version)).one()
(datetime.datetime(2031, 1, 5, 9, 30, tzinfo=datetime.timezone.utc), '', 1)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAME_MAX = 120
NOTE_MAX = 500
OWNER_MAX = 200


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored in UTC and always read back aware (SQLite keeps no offset:
    it stores the UTC wall time, and the offset is put back on reading). A naive datetime is
    refused: it names no point in time."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a naive datetime ({value}) names no point in time")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Money(TypeDecorator[float]):
    """An amount in CNY to the fen: exact on PostgreSQL (NUMERIC(18, 2)), and a float when read
    back on every database (SQLite's NUMERIC gives a whole amount back as an int)."""

    impl = Numeric(18, 2, asdecimal=False)
    cache_ok = True

    def process_bind_param(self, value: float | None, dialect: Dialect) -> float | None:
        return None if value is None else round(float(value), 2)

    def process_result_value(self, value: Any, dialect: Dialect) -> float | None:
        return None if value is None else round(float(value), 2)


class Base(DeclarativeBase):
    # constraint names that are the same on every database (what a later migration names to drop)
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class ClientRow(Base):
    """A coach's client: a person whose loans the coach helps with."""

    __tablename__ = "clients"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: a stale page cannot reach a newer row

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(OWNER_MAX), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ScenarioRow(Base):
    """One saved scenario of a client: its JSON, and the figures the client list shows."""

    __tablename__ = "scenarios"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    body: Mapped[str] = mapped_column(Text)  # Scenario.to_json()
    n_loans: Mapped[int] = mapped_column(Integer)
    owed: Mapped[float] = mapped_column(Money)  # lib.breakdown.totals(...).owed
    n_agreements: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


__all__ = ["Base", "ClientRow", "Money", "NAME_MAX", "NOTE_MAX", "OWNER_MAX", "ScenarioRow", "UTCDateTime"]
