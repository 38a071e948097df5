"""Loans from screenshots of lenders' apps (借款详情, 待还账单, 分期明细, 信用卡账单 pages).

Optional: it needs ``pip install -r requirements-ocr.txt`` (RapidOCR and onnxruntime, with
the PP-OCRv4 Chinese models inside the wheel: nothing is downloaded when it runs).
:func:`available` says whether it is installed; :func:`lib.ingest.read_loans` sends a PNG,
JPEG or WebP to :func:`read_screenshot` when it is.

* :mod:`lib.ocr.engine` — the OCR, in a worker process of its own (its memory is given back);
* :mod:`lib.ocr.layout` — which lines are labels and values, and which loan they belong to;
* :mod:`lib.ocr.read` — the loans, through the file reader (:func:`lib.ingest.read_frame`).

Importing this package imports nothing heavy (the OCR is loaded in the worker only).

>>> isinstance(available(), bool)
True
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from lib.ocr.engine import available

if TYPE_CHECKING:
    from lib.ocr.read import ScreenshotBook

__all__ = ["available", "read_screenshot"]


def read_screenshot(data: bytes, source: str = "", *, day_basis: int = 360,
                    as_of: date | None = None) -> ScreenshotBook:
    """The loans on a screenshot: see :func:`lib.ocr.read.read_screenshot`."""
    from lib.ocr.read import read_screenshot as read

    return read(data, source, day_basis=day_basis, as_of=as_of)
