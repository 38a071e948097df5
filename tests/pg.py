"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temporary folder, started on a
free port on 127.0.0.1 (trust authentication, no fsync), stopped and removed after the session.

Fixtures (imported by ``tests/conftest.py``):

* ``postgres`` (session) — the running :class:`Cluster`;
* ``postgres_url`` (function) — a ``postgresql+psycopg://`` URL of a database made for the one
  test (``CREATE DATABASE``), dropped after it, so that tests never see each other's rows.

When PostgreSQL is not installed the fixtures fail (they do not skip): ``scripts/test.sh``
installs Debian's ``postgresql`` package.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

SUPERUSER = "postgres"


def binaries() -> Path | None:
    """The folder of the newest installed PostgreSQL's ``initdb`` and ``pg_ctl`` (Debian's
    /usr/lib/postgresql/<version>/bin, else the PATH)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", Path(path).parent.parent.name))

    if found:
        return Path(max(found, key=version)).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _as_server_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: then as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(cmd), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


@dataclass
class Cluster:
    """A running server: its folder, port, and the admin connection string."""

    root: Path
    bin: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                               autocommit=True)

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        stop = [str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"]
        subprocess.run(_as_server_user(stop), capture_output=True, timeout=60)


def start() -> Cluster:
    """A new server (raises RuntimeError saying what failed)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on "
                           "the PATH): scripts/test.sh installs Debian's postgresql package")
    root = Path(tempfile.mkdtemp(prefix="loan-planner-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        cluster = Cluster(root=root, bin=bin_dir, port=0)
        _run([str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"], "initdb")
        for attempt in range(3):  # the free port may be taken between looking and binding
            cluster.port = _free_port()
            options = f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -F"
            try:
                _run([str(bin_dir / "pg_ctl"), "start", "-D", str(cluster.data), "-w", "-t", "60", "-l",
                      str(root / "server.log"), "-o", options], "pg_ctl start")
                return cluster
            except RuntimeError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
    except BaseException:
        log = root / "server.log"
        if log.exists():
            print(log.read_text(errors="replace")[-4000:])
        Cluster(root=root, bin=bin_dir, port=0).stop()
        shutil.rmtree(root, ignore_errors=True)
        raise


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    try:
        cluster = start()
    except RuntimeError as exc:
        pytest.fail(f"cannot start the test PostgreSQL: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres: Cluster) -> Iterator[str]:
    name = postgres.create_database()
    try:
        yield postgres.url(name)
    finally:
        postgres.drop_database(name)
