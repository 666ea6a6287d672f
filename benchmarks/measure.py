"""Timing helpers for the benchmarks: each figure is the median of repeated runs, with spread.

A ``Figure`` keeps every run's value so that a line can show the median and the min–max
range; rates (documents/s) are computed per run, then summarised, so that the spread is the
spread of the rate and not of its inverse.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

LABEL_WIDTH = 34  # column of the figures; wide enough for the longest label


@dataclass(frozen=True, slots=True)
class Figure:
    """Values of one figure, one per run."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        """The median of the runs."""
        return statistics.median(self.values)

    def spread(self, digits: int) -> str:
        """``(min–max, n=R)`` with ``digits`` decimals."""
        low, high = min(self.values), max(self.values)
        return f"({low:.{digits}f}–{high:.{digits}f}, n={len(self.values)})"

    def show(self, digits: int, unit: str) -> str:
        """``median unit (min–max, n=R)``."""
        return f"{self.median:.{digits}f} {unit} {self.spread(digits)}"


def line(label: str, text: str) -> str:
    """One output line: the label in a fixed-width column, then the figure."""
    return f"{label:<{LABEL_WIDTH}}{text}"


def timed(run: Callable[[], Any], repeat: int) -> tuple[Figure, Any]:
    """Seconds of ``repeat`` calls of ``run``, and the last call's result."""
    times, result = [], None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return Figure(tuple(times)), result


def rate(count: float, seconds: Figure) -> Figure:
    """``count`` per second for each run."""
    return Figure(tuple(count / max(s, 1e-9) for s in seconds.values))


def ratio(first: Figure, second: Figure) -> Figure:
    """Run-by-run ratio ``first / second`` (runs paired in order)."""
    return Figure(
        tuple(a / max(b, 1e-9) for a, b in zip(first.values, second.values, strict=False))
    )


def command_time(args: Sequence[str], repeat: int) -> Figure:
    """Wall seconds of a fresh process running ``args``, ``repeat`` times."""

    def run() -> None:
        subprocess.run(list(args), check=True, capture_output=True)

    return timed(run, repeat)[0]


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (Linux reports ``ru_maxrss`` in KiB); for
    ``RUSAGE_CHILDREN`` it is the largest of the waited-for children."""
    return resource.getrusage(who).ru_maxrss / 1024
