"""What the benchmarks print about the machine, so figures from different moments can be compared.

This machine's speed varies over minutes (a shared host): the same pure-Python loop has taken from 0.65 s to
1.2 s within one minute. Each benchmark prints the reference loop's time next to its figures.
"""

from __future__ import annotations

import os
import time


def speed_reference_ms(repeats: int = 3) -> float:
    """Best time in ms of a fixed pure-Python loop (10 million additions): lower is a faster moment."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1000


def describe(moment: str) -> str:
    return (
        f"{moment}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, "
        f"speed reference {speed_reference_ms():.0f} ms (a fixed Python loop; lower is faster)"
    )
