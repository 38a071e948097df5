"""Fuzz the loan-file reader: N hostile files (tests/fuzz_files.py), each read with a time limit.

    python bench/fuzz_ingest.py --files 10000 --seed 1

Prints the files per family, every failure (family, seed, what is wrong), and the time per
file (median, p99, max). Exit status 1 when any file failed. A file that hangs is stopped
after 30 s and counted as a failure.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz_files import FAMILIES, TIME_LIMIT, check, generate  # noqa: E402


class Hang(BaseException):  # not an Exception: read_loans must not catch it
    pass


def _alarm(signum, frame):
    raise Hang


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these (repeatable)")
    ap.add_argument("--limit", type=float, default=TIME_LIMIT, help="seconds allowed per file")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    counts: Counter[str] = Counter()
    times: list[float] = []
    by_family: dict[str, list[float]] = defaultdict(list)
    failures: list[tuple[str, int, list[str]]] = []
    start = time.perf_counter()
    for f in generate(args.files, args.seed, tuple(args.family) if args.family else None):
        counts[f.family] += 1
        signal.alarm(30)
        try:
            bad, took = check(f, args.limit)
        except Hang:
            bad, took = ["hung (> 30 s)"], 30.0
        finally:
            signal.alarm(0)
        times.append(took)
        by_family[f.family].append(took)
        if bad:
            failures.append((f.family, f.seed, bad))
            print(f"FAIL {f.family} seed={f.seed}: {'; '.join(bad)}", flush=True)
    wall = time.perf_counter() - start
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"\n{'family':<12} {'files':>6} {'max s':>7} {'p99 s':>7}")
    for fam in sorted(counts):
        ts = sorted(by_family[fam])
        print(f"{fam:<12} {counts[fam]:>6} {ts[-1]:>7.3f} {ts[min(len(ts) - 1, int(len(ts) * 0.99))]:>7.3f}")
    print(f"\n{len(times)} files in {wall:.0f} s ({len(times) / wall:.0f} files/s), seed {args.seed}: "
          f"{len(failures)} failed; per file median {statistics.median(times) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
