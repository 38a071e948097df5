"""Fuzz the loan-file reader: N hostile files (tests/fuzz_files.py), each read with a time limit.

    python bench/fuzz_ingest.py --files 10000 --seed 1

Prints the files per family, every failure (family, seed, what is wrong), and the time per
file (median, p99, max; on the clock and of processor time: the limit is on the latter, since on
a shared machine the clock also counts other programs' work). Exit status 1 when any file failed. A file that hangs is stopped
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
    cpus: list[float] = []
    by_family: dict[str, list[float]] = defaultdict(list)
    cpu_family: dict[str, list[float]] = defaultdict(list)
    failures: list[tuple[str, int, list[str]]] = []
    start = time.perf_counter()
    for f in generate(args.files, args.seed, tuple(args.family) if args.family else None):
        counts[f.family] += 1
        signal.alarm(30)
        try:
            bad, took, cpu = check(f, args.limit)
        except Hang:
            bad, took, cpu = ["hung (> 30 s)"], 30.0, 30.0
        finally:
            signal.alarm(0)
        times.append(took)
        cpus.append(cpu)
        by_family[f.family].append(took)
        cpu_family[f.family].append(cpu)
        if bad:
            failures.append((f.family, f.seed, bad))
            print(f"FAIL {f.family} seed={f.seed}: {'; '.join(bad)}", flush=True)
    wall = time.perf_counter() - start
    def p99(xs: list[float]) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(len(xs) * 0.99))]

    print(f"\n{'family':<12} {'files':>6} {'max s':>7} {'p99 s':>7} {'max cpu':>8} {'p99 cpu':>8}")
    for fam in sorted(counts):
        ts, cs = by_family[fam], cpu_family[fam]
        print(f"{fam:<12} {counts[fam]:>6} {max(ts):>7.3f} {p99(ts):>7.3f} {max(cs):>8.3f} {p99(cs):>8.3f}")
    print(f"\n{len(times)} files in {wall:.0f} s ({len(times) / wall:.0f} files/s), seed {args.seed}: "
          f"{len(failures)} failed; per file median {statistics.median(times) * 1000:.0f} ms, "
          f"p99 {p99(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms on the clock; "
          f"processor time p99 {p99(cpus) * 1000:.0f} ms, max {max(cpus) * 1000:.0f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
