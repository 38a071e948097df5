"""One walk over the whole app with hostile names loaded, shared by the hostile-input, downloads
and privacy tests (each walk, with every download clicked, takes about a minute)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from lib.ingest import MAX_LENDER
from tests.browser.server import app_server
from tests.browser.walk import HOSTILE, Walk, invented_names, loan_csv, server_env, walk

collect_ignore = ["store_app.py"]  # a Streamlit script, not a module to import


@dataclasses.dataclass
class HostileWalk(Walk):
    names: list[str] = dataclasses.field(default_factory=list)  # as uploaded: HOSTILE, then the invented
    invented: list[str] = dataclasses.field(default_factory=list)
    server_places: list[Path] = dataclasses.field(default_factory=list)  # its folders and its log
    started: float = 0.0  # (time.time() before the server started)

    @property
    def shown(self) -> list[str]:
        return [n[:MAX_LENDER] for n in self.names]


@pytest.fixture(scope="session")
def hostile_walk(tmp_path_factory) -> HostileWalk:
    """The app served with fresh folders, the HOSTILE names and three invented ones uploaded, every
    page visited, every download clicked; the server stopped before this returns."""
    tmp = tmp_path_factory.mktemp("hostile_walk")
    invented = invented_names(int(time.time()))
    names = HOSTILE + invented
    csv = tmp / "借款.csv"
    csv.write_bytes(loan_csv(names))
    env, log = server_env(tmp / "server"), tmp / "streamlit.log"
    started = time.time() - 1
    with app_server(env=env, log=log) as url:
        seen = walk(url, csv)
    return HostileWalk(seen.pages, seen.files, names=names, invented=invented,
                       server_places=[Path(p) for p in env.values()] + [log], started=started)
