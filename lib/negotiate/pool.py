"""Heavy searches run where they do not hold the server's interpreter lock.

A Streamlit server runs every session's script in one process: pure-Python work (the engine's
month loop, :func:`lib.negotiate.find_plan`'s hundreds of trial runs on a large book) holds the
interpreter lock, so ten sessions searching at once take turns on one core while the other idles,
and every other session's page waits behind them. :func:`submit` runs such a search in a process
pool shared by the whole server instead: as many worker processes as the machine has cores
(created on first use, with the ``spawn`` start method: nothing of the server's state is copied
into them, and no thread of it is forked), each at a lower scheduling priority than the server
(``nice``), so drawing pages comes first. A small book is not worth it: sending it there and
back costs more than the search, so :func:`worth_a_worker` says when to use it.

The work given to it must be a pure, picklable function of picklable arguments (lib functions
on DataFrames and dataclasses). Nothing here imports Streamlit.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import multiprocessing as mp
import os
import threading
from collections.abc import Callable
from typing import Any, Final, TypeVar

T = TypeVar("T")

MIN_LOANS: Final = 40  # from this many loans on, a search goes to the pool
WORKER_NICE: Final = 5  # how much lower the workers' priority is than the server's
TASKS_PER_WORKER: Final = 200  # then the worker is replaced: whatever memory it grew is given back

_lock = threading.Lock()
_pool: cf.ProcessPoolExecutor | None = None


def worth_a_worker(n_loans: int) -> bool:
    """Whether a search on ``n_loans`` loans should run in the pool (:data:`MIN_LOANS`)."""
    return n_loans >= MIN_LOANS


def _init_worker() -> None:
    with contextlib.suppress(OSError):  # (not allowed here: run at the same priority)
        os.nice(WORKER_NICE)


def _shutdown() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def pool() -> cf.ProcessPoolExecutor:
    """The server's pool (made on first use): one worker per core."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = cf.ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=mp.get_context("spawn"),
                                           initializer=_init_worker, max_tasks_per_child=TASKS_PER_WORKER)
            atexit.register(_shutdown)
        return _pool


def submit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> cf.Future[T]:
    """``fn(*args, **kwargs)`` in the pool; a pool that broke (a worker killed) is replaced once."""
    global _pool
    try:
        return pool().submit(fn, *args, **kwargs)
    except (cf.BrokenExecutor, RuntimeError):
        with _lock:
            _pool = None
        return pool().submit(fn, *args, **kwargs)
