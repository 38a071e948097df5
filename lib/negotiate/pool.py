"""Heavy searches run where they do not hold the server's interpreter lock.

A Streamlit server runs every session's script in one process: pure-Python work (the engine's
month loop, :func:`lib.negotiate.find_plan`'s hundreds of trial runs on a large book) holds the
interpreter lock, so ten sessions searching at once take turns on one core while the other idles,
and every other session's page waits behind them. :func:`submit` runs such a search in a process
pool shared by the whole server instead: a worker process for each core but the one the server's
own process keeps busy drawing every session's pages (:func:`workers`), created on first use
with the ``spawn`` start method (nothing of the server's state is copied into them, no thread of
it is forked, and :func:`lib.spawn.context` keeps them from importing the server's ``__main__``).
They run at the server's own priority: on a machine shared with other work, lowered ones were
starved (a search took 50 s instead of a few). A small book is not worth it: sending it there and
back costs more than the search, so :func:`worth_a_worker` says when to use it.

The work given to it must be a pure, picklable function of picklable arguments (lib functions
on DataFrames and dataclasses). Nothing here imports Streamlit.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import threading
from collections.abc import Callable
from typing import Any, Final, TypeVar

from lib import spawn

T = TypeVar("T")

MIN_LOANS: Final = 40  # from this many loans on, a search goes to the pool
TASKS_PER_WORKER: Final = 200  # then the worker is replaced: whatever memory it grew is given back

IDLE_SECONDS: Final = 30.0  # a pool asked nothing for this long is shut down (see _idle)

_lock = threading.RLock()
_pool: cf.ProcessPoolExecutor | None = None
_pending = 0  # jobs submitted and not done
_timer: threading.Timer | None = None


def worth_a_worker(n_loans: int) -> bool:
    """Whether a search on ``n_loans`` loans should run in the pool (:data:`MIN_LOANS`)."""
    return n_loans >= MIN_LOANS


def _shutdown() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


atexit.register(_shutdown)


def workers(cpus: int | None = None) -> int:
    """How many worker processes the pool has on a machine with ``cpus`` cores (default: this
    one's): one core stays with the server's process, which draws every session's pages — at
    least one worker. Timed on 2 cores, ten 200-loan sessions at once: one worker finished the
    searches as soon as two (p95 12.7–13.8 s against 13.4 s) and the server's peak memory went
    from 551 to 413 MiB (RSS of the process tree).

    >>> workers(2), workers(8), workers(1)
    (1, 7, 1)
    """
    return max(1, (cpus or os.cpu_count() or 1) - 1)


def pool() -> cf.ProcessPoolExecutor:
    """The server's pool (made on first use), of :func:`workers` processes."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = cf.ProcessPoolExecutor(max_workers=workers(), mp_context=spawn.context(),
                                           max_tasks_per_child=TASKS_PER_WORKER)
        return _pool


def _idle() -> None:
    """The pool shut down when nothing was asked of it for :data:`IDLE_SECONDS`: its workers'
    memory goes back to the machine (a new pool is made on the next search)."""
    global _pool
    with _lock:
        if _pending or _pool is None:
            return
        pool, _pool = _pool, None
    pool.shutdown(wait=False)


def _done(_: cf.Future) -> None:
    global _pending, _timer
    with _lock:
        _pending -= 1
        if _pending == 0:
            _timer = threading.Timer(IDLE_SECONDS, _idle)
            _timer.daemon = True
            _timer.start()


def submit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> cf.Future[T]:
    """``fn(*args, **kwargs)`` in the pool; a pool that broke (a worker killed) is replaced once."""
    global _pool, _pending
    with _lock:
        if _timer is not None:
            _timer.cancel()
        try:
            job = pool().submit(fn, *args, **kwargs)
        except (cf.BrokenExecutor, RuntimeError):
            _pool = None
            job = pool().submit(fn, *args, **kwargs)
        _pending += 1
    job.add_done_callback(_done)
    return job
