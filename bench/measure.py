"""Timing and memory helpers: the median of a few runs (a shared machine's noise is in
the spread, not the median), the statements a request runs, and a process's resident
memory sampled while a download streams."""
import gc
import statistics
import threading
import time
import tracemalloc
from contextlib import contextmanager

from sqlalchemy import event

PAGE = 4096
_STATM = "/proc/self/statm"


def median_seconds(action, repeats: int) -> float:
    """`action()` once to warm caches, then the median of `repeats` timed runs."""
    action()
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def once_seconds(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


@contextmanager
def captured_statements(engine):
    """The (SQL, parameters) each cursor execution of `engine` ran inside the block."""
    found = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        found.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def resident_bytes() -> int:
    with open(_STATM) as statm:
        return int(statm.read().split()[1]) * PAGE


class PeakMemory:
    """The resident set's highest point over its starting point, sampled every few
    milliseconds by a thread while the block runs, and, with `traced`, tracemalloc's peak
    of Python allocations: the resident set misses memory a previous request freed and
    this one reuses, tracemalloc what C libraries allocate; the larger counts."""

    def __init__(self, interval: float = 0.005, traced: bool = True):
        self.interval = interval
        self.traced = traced
        self.growth = self.resident_growth = self.traced_peak = 0
        self._stop = threading.Event()

    def __enter__(self):
        gc.collect()
        if self.traced:
            tracemalloc.start()
        self.start = self.peak = resident_bytes()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_bytes())
            time.sleep(self.interval)

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, resident_bytes())
        self.resident_growth = self.peak - self.start
        if self.traced:
            self.traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        self.growth = max(self.resident_growth, self.traced_peak)
        return False
