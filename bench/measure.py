"""How a figure is taken: medians of repeated runs, query counts, and peak memory."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext


class ServiceUnavailable(RuntimeError):
    """The server answered 503 or a measuring process failed: worth another try."""


@dataclass
class Timed:
    median: float  # seconds
    runs: list[float]
    queries: int  # of the last run
    result: object  # of the last run


def timed(run: Callable[[], object], *, repeat: int, warmup: int = 1) -> Timed:
    """The median of `repeat` runs after `warmup` unmeasured ones (which fill the database's
    cache, as a live server's would be); the machine is shared, so a median, not a mean."""
    for _ in range(warmup):
        run()
    runs, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = run()
            runs.append(time.perf_counter() - started)
        queries = len(captured)
    return Timed(statistics.median(runs), runs, queries, result)


def timed_pair(
    first: Callable[[], object], second: Callable[[], object], *, repeat: int, warmup: int = 1
) -> tuple[Timed, Timed]:
    """Two things to be compared, run in turns (first, second, first, second...), so that the
    machine's drift during the measurement (another process, a checkpoint) falls on both."""
    for _ in range(warmup):
        first()
        second()
    pairs = [
        (timed(first, repeat=1, warmup=0), timed(second, repeat=1, warmup=0)) for _ in range(repeat)
    ]
    return _merged([a for a, _ in pairs]), _merged([b for _, b in pairs])


def _merged(singles: list[Timed]) -> Timed:
    runs = [single.runs[0] for single in singles]
    last = singles[-1]
    return Timed(statistics.median(runs), runs, last.queries, last.result)


def peak_memory_mb() -> float:
    """The process's peak resident size, as the kernel counts it (tracemalloc would slow Python
    several times over and miss memory held by C libraries). VmHWM, not getrusage's ru_maxrss:
    Linux carries ru_maxrss across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_subprocess(module: str, *args: str) -> dict:
    """Run `python -m <module> args` and read the JSON line it prints last: measurements of
    peak memory need a process of their own."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ServiceUnavailable(f"{module} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
