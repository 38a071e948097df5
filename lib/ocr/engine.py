"""Text lines from a picture: RapidOCR (PP-OCRv4, the models ship inside the wheel) in a
worker process of its own.

Why a worker process, and why one that stays a little. The OCR models and onnxruntime take
about 0.7 GB once loaded, and a Python process does not give memory back to the system when
the objects holding it are freed. So the models are loaded in a separate process and never
in the app's: when that process ends, all of it goes back. One process per read would give
it back at once, but every read would then pay ~2 s to start Python, import onnxruntime and
load the models, and borrowers send several screenshots one after another. So there is one
worker (``max_workers=1``: reads from every session queue up for it, at most one copy of the
models is ever in memory), started on the first read and ended after :data:`IDLE_SECONDS`
without one. The worker is started with ``spawn``: a fresh interpreter that inherits none of
the app's memory or threads (``fork`` would copy the app and its locks), and, through
:func:`lib.spawn.context`, does not import the app's ``__main__`` either (under a Streamlit
server that is Streamlit itself or the page being run: ~60 MB and ~0.8 s more per start).

Privacy: the picture is sent to the worker as bytes and decoded there in memory
(``cv2.imdecode``); it is never written to a file. onnxruntime's telemetry is switched off
(``ORT_DISABLE_TELEMETRY=1``) before it is imported, and the models are read from the
installed package: nothing is downloaded, no network connection is made.

>>> Box(10, 20, 110, 60).height, Box(10, 20, 110, 60).cy
(40.0, 40.0)
>>> OcrLine("剩余本金", Box(0, 0, 80, 20), 0.98).text
'剩余本金'
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from lib import spawn

IDLE_SECONDS = 30.0  # the worker ends after this long without a read (and gives its memory back)
READ_TIMEOUT = 120.0  # seconds for one read, model loading included
_PACKAGES = ("rapidocr_onnxruntime", "onnxruntime", "cv2")

T = TypeVar("T")


@dataclass(frozen=True)
class Box:
    """An upright rectangle on the picture, in pixels (x to the right, y down).

    >>> b = Box(100, 40, 300, 80)
    >>> b.width, b.cx, b.overlap_y(Box(0, 50, 10, 90))
    (200.0, 200.0, 30.0)
    """

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return float(self.x1 - self.x0)

    @property
    def height(self) -> float:
        return float(self.y1 - self.y0)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def overlap_y(self, other: Box) -> float:
        """How many pixels of height the two boxes share (0 if none)."""
        return float(max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0)))

    def overlap_x(self, other: Box) -> float:
        """How many pixels of width the two boxes share (0 if none)."""
        return float(max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0)))

    def scaled(self, k: float) -> Box:
        return Box(self.x0 * k, self.y0 * k, self.x1 * k, self.y1 * k)


@dataclass(frozen=True)
class OcrLine:
    """One line of text as the OCR saw it: the text, where it is, how sure the OCR is (0–1)."""

    text: str
    box: Box
    confidence: float


@dataclass(frozen=True)
class OcrPage:
    """All the lines of one picture, top to bottom, and the picture's size in pixels."""

    width: int
    height: int
    lines: tuple[OcrLine, ...]
    seconds: float = 0.0  # time the worker spent decoding and reading


@dataclass(frozen=True)
class WorkerInfo:
    """What the worker process reports about itself (for tests and measurements)."""

    pid: int
    peak_rss_mb: float  # the most memory it has held so far
    rss_mb: float  # what it holds now
    onnxruntime_loaded: bool
    telemetry_off: bool


class ImageUnreadable(Exception):
    """The bytes do not decode as a picture."""


class OcrFailed(Exception):
    """The worker crashed or took too long."""


def available() -> bool:
    """Whether screenshot reading is installed (``pip install -r requirements-ocr.txt``).

    Only looks the packages up; imports nothing heavy.
    """
    return all(importlib.util.find_spec(p) is not None for p in _PACKAGES)


# --------------------------------------------------------------------------- in the worker
_ENGINE: Any = None


def _engine() -> Any:
    """The RapidOCR engine of this (worker) process, loaded once."""
    global _ENGINE
    if _ENGINE is None:
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime is imported
        import onnxruntime

        if hasattr(onnxruntime, "disable_telemetry_events"):  # (Windows' event log; nothing is sent on Linux)
            onnxruntime.disable_telemetry_events()
        from rapidocr_onnxruntime import RapidOCR

        _ENGINE = RapidOCR()
    return _ENGINE


def _decode(data: bytes) -> Any:
    """The picture as a BGR array, decoded in memory."""
    import cv2
    import numpy as np

    img = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if img is None or img.size == 0:
        raise ImageUnreadable("not a picture")
    return img


def _box(points: Sequence[Sequence[float]]) -> Box:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


def to_lines(result: Sequence[Sequence[Any]] | None) -> tuple[OcrLine, ...]:
    """RapidOCR's ``[[points, text, score], …]`` as :class:`OcrLine` s, top to bottom.

    >>> to_lines([[[[5, 40], [90, 40], [90, 60], [5, 60]], "日利率", 0.99],
    ...           [[[5, 2], [50, 2], [50, 20], [5, 20]], " 青禾贷 ", "0.97"]])
    (OcrLine(text='青禾贷', box=Box(x0=5.0, y0=2.0, x1=50.0, y1=20.0), confidence=0.97), OcrLine(text='日利率', box=Box(x0=5.0, y0=40.0, x1=90.0, y1=60.0), confidence=0.99))
    >>> to_lines(None)
    ()
    """
    lines = [OcrLine(str(text).strip(), _box(points), round(float(score), 4))
             for points, text, score in (result or []) if str(text).strip()]
    return tuple(sorted(lines, key=lambda ln: (ln.box.cy, ln.box.x0)))


def read_in_worker(data: bytes) -> OcrPage:
    """Decode and read one picture (runs in the worker process)."""
    import time

    start = time.perf_counter()
    img = _decode(data)
    result, _ = _engine()(img, use_cls=False)  # a screenshot is upright: no orientation model
    height, width = img.shape[:2]
    return OcrPage(int(width), int(height), to_lines(result), round(time.perf_counter() - start, 3))


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux
        return 0.0


def info_in_worker() -> WorkerInfo:
    """The worker's pid and memory (runs in the worker process)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return WorkerInfo(os.getpid(), round(peak, 1), round(_rss_mb(), 1), "onnxruntime" in sys.modules,
                      os.environ.get("ORT_DISABLE_TELEMETRY") == "1")


def _start_worker() -> None:
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"


# --------------------------------------------------------------------------- in the app
class Worker:
    """One OCR worker process, started on first use and ended after ``idle`` seconds unused.

    Thread-safe: the app's sessions may call :meth:`run` at once; their reads queue up.
    """

    def __init__(self, idle: float = IDLE_SECONDS) -> None:
        self.idle = idle
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._timer: threading.Timer | None = None
        self._busy = 0

    def run(self, fn: Callable[..., T], *args: Any, timeout: float = READ_TIMEOUT) -> T:
        """``fn(*args)`` in the worker process (started if need be)."""
        pool = self._acquire()
        try:
            return pool.submit(fn, *args).result(timeout=timeout)
        except ImageUnreadable:
            raise
        except (BrokenProcessPool, TimeoutError) as exc:  # the worker died or hangs: a new one next time
            self._discard(pool)
            raise OcrFailed(type(exc).__name__) from exc
        except Exception as exc:  # e.g. cv2 installed without Debian's libgl1: the worker says why
            raise OcrFailed(f"{type(exc).__name__}: {exc}") from exc
        finally:
            self._release(pool)

    def _acquire(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn.context(),
                                                 initializer=_start_worker)
            self._busy += 1
            return self._pool

    def _release(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            self._busy -= 1
            if self._busy == 0 and self._pool is pool:
                self._timer = threading.Timer(self.idle, self._stop_if_idle, args=(pool,))
                self._timer.daemon = True
                self._timer.start()

    def _stop_if_idle(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._busy or self._pool is not pool:
                return
            self._pool, self._timer = None, None
        pool.shutdown(wait=True)

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken or stuck pool (its process is ended); the next read starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for proc in list(getattr(pool, "_processes", {}).values()):  # a stuck read: end it
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """End the worker now (the next read starts a new one)."""
        with self._lock:
            pool, self._pool = self._pool, None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if pool is not None:
            pool.shutdown(wait=True)

    @property
    def running(self) -> bool:
        return self._pool is not None


WORKER = Worker()
atexit.register(WORKER.shutdown)


def read_lines(data: bytes) -> OcrPage:
    """The text lines of a picture (PNG, JPEG, WebP bytes), read in the worker process.

    Raises :class:`ImageUnreadable` for bytes that are not a picture, :class:`OcrFailed` when
    the worker crashed, timed out or could not load the OCR.
    """
    return WORKER.run(read_in_worker, bytes(data))


def worker_info() -> WorkerInfo:
    """The worker's pid and memory (starts it if it is not running)."""
    return WORKER.run(info_in_worker)


def shutdown() -> None:
    """End the worker process now."""
    WORKER.shutdown()
