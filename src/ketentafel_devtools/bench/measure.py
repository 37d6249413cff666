# SPDX-License-Identifier: EUPL-1.2
"""Timing calls: latency percentiles and throughput, reported in milliseconds and per second."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (no interpolation): a value that was really measured."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Timing:
    seconds: tuple[float, ...]
    target_p95_ms: float | None = None

    @property
    def n(self) -> int:
        return len(self.seconds)

    def as_dict(self) -> dict[str, Any]:
        ms = [s * 1000 for s in self.seconds]
        p95 = percentile(ms, 0.95)
        out: dict[str, Any] = {
            "n": self.n,
            "mean_ms": round(statistics.fmean(ms), 3),
            "p50_ms": round(percentile(ms, 0.50), 3),
            "p95_ms": round(p95, 3),
            "max_ms": round(max(ms), 3),
        }
        if self.target_p95_ms is not None:
            out["target_p95_ms"] = self.target_p95_ms
            out["meets_target"] = p95 <= self.target_p95_ms
        return out


def timed(
    call: Callable[[int], object],
    *,
    repeat: int,
    warmup: int = 3,
    target_p95_ms: float | None = None,
) -> Timing:
    """Call `call(i)` `warmup` times unmeasured, then `repeat` times measured one by one."""
    for i in range(warmup):
        call(i)
    seconds = []
    for i in range(repeat):
        started = time.perf_counter()
        call(warmup + i)
        seconds.append(time.perf_counter() - started)
    return Timing(tuple(seconds), target_p95_ms)


def rate(count: int, seconds: float) -> float:
    """Events per second, rounded for a table."""
    return round(count / seconds, 1) if seconds > 0 else 0.0
