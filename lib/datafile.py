"""The project's own data files (``data/*.csv``) that a user may edit: read, checked row by row,
and kept until the file changes.

A bad row never stops the reading of the others: every problem is collected, and one
``ValueError`` names each bad line and what is wrong with it (the header is line 1).

>>> import tempfile, os
>>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
...     _ = f.write("name,n\\na,1\\n\\nb,x\\nc\\n")
>>> read_checked(f.name, ("name", "n"), "a test table", lambda row, line: (row["name"], int(row["n"])))
Traceback (most recent call last):
...
ValueError: ...: line 4: invalid literal for int() with base 10: 'x'; line 5: want 2 fields (name,n)
>>> os.remove(f.name)
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def stamp(path: str | Path) -> tuple[str, tuple[int, int]]:
    """``(path, (modification time, size))``: a cache key that changes when the file does."""
    st = Path(path).stat()
    return str(path), (st.st_mtime_ns, st.st_size)


def read_checked(path: str | Path, columns: Sequence[str], what: str,
                 parse: Callable[[dict[str, str], int], T]) -> list[T]:
    """Every non-blank row of the CSV at ``path`` (UTF-8, with or without BOM) as ``parse(row,
    line)`` gives it, ``row`` holding exactly ``columns``, stripped. ``parse`` raises
    ``ValueError`` for a bad row; all of them are reported together, each with its line."""
    out: list[T] = []
    problems: list[str] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, skipinitialspace=True)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: {what} lacks columns {missing} (want {','.join(columns)})")
        for row in reader:
            where = reader.line_num  # the line this row ended on (header = 1)
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # a blank line
            if None in row or any(row.get(c) is None for c in columns):
                problems.append(f"line {where}: want {len(columns)} fields ({','.join(columns)})")
                continue
            try:
                out.append(parse({c: row[c].strip() for c in columns}, where))
            except ValueError as e:
                problems.append(f"line {where}: {e}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return out


cached = functools.lru_cache(maxsize=8)  # for the readers keyed by stamp(): kept until the file changes
