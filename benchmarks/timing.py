"""Timing helpers: medians of repetitions, tools interleaved so they share the machine's mood.

These machines are noisy (2 cores, other work running), so absolute times drift from run
to run; what the benchmarks report are medians of several repetitions and ratios of
tools timed side by side in the same loop.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sympy.core.cache import clear_cache


@dataclass
class Timing:
    """The seconds of every repetition of one measurement."""

    runs: list[float] = field(default_factory=list)
    skipped: str = ""  # why it was not (or no longer) measured

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def minimum(self) -> float | None:
        return min(self.runs) if self.runs else None

    @property
    def n(self) -> int:
        return len(self.runs)


def cold() -> None:
    """Before every timed run: empty SymPy's global cache and collect garbage, so no tool
    reuses what an earlier run (its own or another tool's) computed."""
    clear_cache()
    gc.collect()


def once(fn: Callable, setup: Callable[[], object] | None = None) -> tuple[float, object]:
    """Seconds of one call of ``fn(setup())`` (``setup`` is not timed), and its result."""
    argument = setup() if setup is not None else None
    cold()
    start = time.perf_counter()
    result = fn(argument) if setup is not None else fn()
    return time.perf_counter() - start, result


def side_by_side(
    tools: dict[str, tuple[Callable, Callable | None]],
    *,
    reps: int = 5,
    long_run: float = 5.0,
    skip: dict[str, str] | None = None,
) -> tuple[dict[str, Timing], dict[str, object]]:
    """Time several tools in turn, ``reps`` rounds, each round running every tool once.

    ``tools`` maps a name to ``(fn, setup)``.  A tool whose run took more than
    ``long_run`` seconds is not repeated (its noise is small next to its time).
    ``skip`` names tools not to run at all, with the reason.
    """
    timings = {name: Timing() for name in tools}
    results: dict[str, object] = {}
    for name, reason in (skip or {}).items():
        timings[name].skipped = reason
    for _ in range(reps):
        for name, (fn, setup) in tools.items():
            timing = timings[name]
            if timing.skipped or (timing.runs and timing.runs[0] > long_run):
                continue
            seconds, result = once(fn, setup)
            timing.runs.append(seconds)
            results.setdefault(name, result)
    return timings, results


def ratio(slow: Timing, fast: Timing) -> float | None:
    """median(slow) / median(fast), or None if either is missing."""
    if slow.median is None or fast.median is None or fast.median == 0:
        return None
    return slow.median / fast.median
