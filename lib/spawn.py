"""A ``spawn`` start method whose new processes do not import the parent's ``__main__``.

A plain ``spawn`` child first re-imports the parent's main module (as ``__mp_main__``), so that
functions defined there can be unpickled. In a Streamlit server that module is Streamlit's own
command line or the page script being run (Streamlit installs it as ``__main__`` for each run):
every new worker would import Streamlit and the whole app — about 60 MB and 0.8 s more per
worker — or run the page. The work this project sends to a worker is always an importable
``lib`` function, never one of ``__main__``, so :func:`context` leaves the main module out of
what the child is told to prepare: the child imports only what the pickled work names.

Used by the search pool (:mod:`lib.negotiate.pool`) and the OCR worker (:mod:`lib.ocr.engine`).

>>> ctx = context()
>>> ctx.get_start_method(), ctx.Process.__name__
('spawn', 'SpawnProcessWithoutMain')
>>> data = without_main("demo")
>>> "init_main_from_path" in data or "init_main_from_name" in data
False
"""

from __future__ import annotations

import multiprocessing.context
import threading
from multiprocessing import popen_spawn_posix, spawn
from typing import Any

__all__ = ["context", "without_main"]

_preparation_data = spawn.get_preparation_data
_spawning = threading.Lock()  # one launch at a time swaps multiprocessing's function


def without_main(name: str) -> dict[str, Any]:
    """multiprocessing's preparation data for a child named ``name``, without the main module."""
    data = _preparation_data(name)
    data.pop("init_main_from_path", None)
    data.pop("init_main_from_name", None)
    return data


class _Popen(popen_spawn_posix.Popen):
    """A spawned child that is not told to import the parent's ``__main__``."""

    def _launch(self, process_obj: Any) -> None:
        with _spawning:
            spawn.get_preparation_data = without_main
            try:
                super()._launch(process_obj)
            finally:
                spawn.get_preparation_data = _preparation_data


class SpawnProcessWithoutMain(multiprocessing.context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:  # noqa: N802 (multiprocessing's name)
        return _Popen(process_obj)


class _Context(multiprocessing.context.SpawnContext):
    Process = SpawnProcessWithoutMain


def context() -> multiprocessing.context.SpawnContext:
    """A ``spawn`` context (for ``ProcessPoolExecutor(mp_context=…)``) whose processes skip ``__main__``."""
    return _Context()
