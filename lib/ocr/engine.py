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

Long scrolling screenshots. RapidOCR scales a picture down until its long side is
``max_side_len`` (2000 px in rapidocr-onnxruntime 1.4.4's config.yaml) before it looks for text,
so a 1080 × 6000 capture would be read 360 px wide, its letters a third of their size. A picture
more than :data:`TALL` widths tall (a phone's screen is at most ~2.3: 21:9) is therefore read in
horizontal tiles (:func:`tile_spans`) no taller than ``max_side_len``, each at full size; the
tiles overlap, so a line cut by one tile's edge is whole in the next, and :func:`merge_tiles`
puts the lines back in the whole picture's coordinates, once each.

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
import math
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from lib import spawn

IDLE_SECONDS = 30.0  # the worker ends after this long without a read (and gives its memory back)
READ_TIMEOUT = 120.0  # seconds for one read, model loading included
MAX_SIDE = 2000  # RapidOCR's max_side_len (its config.yaml): a longer side is scaled down to this
TALL = 2.5  # a picture more than this many widths tall (and over MAX_SIDE) is read in tiles
TILE = 1.6  # a tile is this many widths tall, at most MAX_SIDE (so it is read at full size)
OVERLAP = 0.2  # tiles overlap by at least this many widths (216 px of a 1080 px picture)
EDGE = 8  # pixels: a line whose box reaches a tile's inner edge within this was cut by it
SAME_PLACE = 0.5  # IoU of two tiles' boxes from which the same text is one line read twice
SAME_BOX = 0.8  # IoU from which two tiles' boxes are one line whatever they read (¥ / ￥)
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

    def shifted(self, dy: float) -> Box:
        """The box ``dy`` pixels lower."""
        return Box(self.x0, self.y0 + dy, self.x1, self.y1 + dy)

    def iou(self, other: Box) -> float:
        """Intersection over union of the two boxes' areas (1 for the same box, 0 if apart).

        >>> Box(0, 0, 10, 10).iou(Box(0, 0, 10, 10)), Box(0, 0, 10, 10).iou(Box(5, 0, 15, 10))
        (1.0, 0.3333333333333333)
        """
        inter = self.overlap_x(other) * self.overlap_y(other)
        union = self.width * self.height + other.width * other.height - inter
        return inter / union if union > 0 else 0.0


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
    tiles: int = 1  # how many pieces it was read in (more than one: a long screenshot, see tile_spans)


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
    return _top_down(lines)


def _top_down(lines: Sequence[OcrLine]) -> tuple[OcrLine, ...]:
    return tuple(sorted(lines, key=lambda ln: (ln.box.cy, ln.box.x0)))


def tile_spans(width: int, height: int, max_side: int = MAX_SIDE) -> tuple[tuple[int, int], ...]:
    """The rows ``(top, bottom)`` of the pieces a picture is read in, top to bottom.

    The whole picture, unless it is more than :data:`TALL` widths tall and taller than
    ``max_side`` (RapidOCR would scale it down). Then tiles :data:`TILE` widths tall but no
    taller than ``max_side`` (nor than the width, if that is over ``max_side`` already), so
    that none is scaled down further than the picture's width requires; as few as overlap by
    at least :data:`OVERLAP` widths, spread evenly from the top to the bottom.

    >>> tile_spans(1080, 2340)  # a phone's screen: read whole
    ((0, 2340),)
    >>> tile_spans(1080, 5000)  # tiles of 1728 px, overlapping by 1728 - 1091 = 637 px
    ((0, 1728), (1091, 2819), (2181, 3909), (3272, 5000))
    >>> tile_spans(540, 1600)  # tall, but 1600 px is read at full size anyway
    ((0, 1600),)
    """
    tile = min(round(TILE * width), max(max_side, width))
    if height <= TALL * width or height <= max_side or tile >= height:
        return ((0, height),)
    overlap = math.ceil(OVERLAP * width)
    n = math.ceil((height - overlap) / (tile - overlap))
    step = (height - tile) / (n - 1)
    return tuple((round(i * step), round(i * step) + tile) for i in range(n))


def merge_tiles(tiles: Sequence[tuple[int, int, Sequence[OcrLine]]]) -> tuple[OcrLine, ...]:
    """The lines of a picture read in tiles, in the picture's coordinates, each line once.

    ``tiles`` are ``(top, bottom, lines)``: a tile's rows on the picture (:func:`tile_spans`)
    and the lines read on it, in the tile's own coordinates. A line that reaches a tile's inner
    edge (within :data:`EDGE` px) was cut there and is dropped: the overlap shows it whole in
    the next tile. A line read in both of two tiles is kept once, as the more confident read:
    the same text (NFKC, spaces aside) with boxes of IoU at least :data:`SAME_PLACE`, or boxes
    of IoU at least :data:`SAME_BOX` whatever the texts (one tile may read ¥ where the other
    reads ￥: no two lines of a picture cover the same pixels).

    Worked example: a 1000 px picture read as tiles 0–600 and 400–1000. 剩余本金 (y 450–490)
    and the amount (520–560) are in both tiles; the amount is read ¥3,150.00 in one and
    ￥3,150.00 in the other. ¥6,800.00 at 580–620 is cut by the first tile's bottom (read
    there as "¥6,8", its box reaching y 599) and whole in the second (180–220 there).

    >>> a = [OcrLine("北辰金条", Box(40, 100, 200, 140), 0.99), OcrLine("剩余本金", Box(40, 450, 160, 490), 0.97),
    ...      OcrLine("¥3,150.00", Box(800, 520, 1000, 560), 0.95), OcrLine("¥6,8", Box(800, 580, 880, 599), 0.71)]
    >>> b = [OcrLine("剩余本金", Box(40, 51, 160, 90), 0.99), OcrLine("￥3,150.00", Box(798, 119, 1000, 160), 0.96),
    ...      OcrLine("¥6,800.00", Box(800, 180, 1000, 220), 0.98), OcrLine("日利率", Box(40, 300, 130, 340), 0.99)]
    >>> for ln in merge_tiles([(0, 600, a), (400, 1000, b)]):
    ...     print(ln.text, ln.box.y0, ln.box.y1, ln.confidence)
    北辰金条 100 140 0.99
    剩余本金 451 490 0.99
    ￥3,150.00 519 560 0.96
    ¥6,800.00 580 620 0.98
    日利率 700 740 0.99
    """
    kept: list[tuple[int, OcrLine]] = []  # (tile, line), in the picture's coordinates
    last = len(tiles) - 1
    for i, (top, bottom, lines) in enumerate(tiles):
        for ln in lines:
            if (i > 0 and ln.box.y0 <= EDGE) or (i < last and ln.box.y1 >= bottom - top - EDGE):
                continue  # cut by this tile's edge: whole in its neighbour
            line = OcrLine(ln.text, ln.box.shifted(top), ln.confidence)
            same = next((k for k, (j, old) in enumerate(kept) if j != i and _same_line(old, line)), None)
            if same is None:
                kept.append((i, line))
            elif line.confidence > kept[same][1].confidence:
                kept[same] = (i, line)
    return _top_down([ln for _, ln in kept])


def _same_line(a: OcrLine, b: OcrLine) -> bool:
    """One line read twice (by two tiles): the same text in about the same place, or the same box.

    >>> at = Box(784, 1520, 995, 1561)
    >>> _same_line(OcrLine("¥15,240.50", at, 0.95), OcrLine("￥15,240.50", Box(783, 1517, 997, 1561), 0.96))
    True
    >>> _same_line(OcrLine("剩余本金", at, 0.99), OcrLine("剩余本金", at.shifted(120), 0.99))  # the next card's
    False
    """
    iou = a.box.iou(b.box)
    return iou >= SAME_BOX or (iou >= SAME_PLACE and _folded(a.text) == _folded(b.text))


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def read_in_worker(data: bytes) -> OcrPage:
    """Decode and read one picture (runs in the worker process); a long one in tiles."""
    import time

    import numpy as np

    start = time.perf_counter()
    img = _decode(data)
    height, width = img.shape[:2]
    engine = _engine()
    spans = tile_spans(int(width), int(height), int(getattr(engine, "max_side_len", MAX_SIDE)))
    # a screenshot is upright: no orientation model (use_cls=False)
    if len(spans) == 1:
        lines = to_lines(engine(img, use_cls=False)[0])
    else:
        lines = merge_tiles([(top, bottom, to_lines(engine(np.ascontiguousarray(img[top:bottom]), use_cls=False)[0]))
                             for top, bottom in spans])
    return OcrPage(int(width), int(height), lines, round(time.perf_counter() - start, 3), tiles=len(spans))


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
