"""The bounds of the per-claim limits, importable without Z3 (the command line checks them first)."""

from __future__ import annotations

import math

# Z3 takes its time limit as an unsigned 32-bit count of milliseconds and wraps a larger value
# around (2**32 + 1 ms is a limit of 1 ms): the longest limit it can be given, in whole seconds.
MAX_TIMEOUT_MS = 2**32 - 1
MAX_TIMEOUT_S = MAX_TIMEOUT_MS // 1000
MIN_MEMORY_MB, MAX_MEMORY_MB = 32, 1 << 30


def timeout_problem(seconds: float) -> str | None:
    """What is wrong with a time limit of `seconds` (None: nothing)."""
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT_S):  # also refuses nan
        return (
            f"must be a positive number of seconds, at most {MAX_TIMEOUT_S} (about {MAX_TIMEOUT_S // 86400} days): "
            "the solver counts its time limit in milliseconds, as a 32-bit number"
        )
    return None
