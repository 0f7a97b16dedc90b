"""A cooperative limit on the time and memory of one piece of work, such as checking one claim.

The front end grounds norms and quantifiers over finite domains, and a spec can make that work
explode (a 4-deep `some` over 25 values is 390,625 instances of its body, each with its read set).
The solver's limits do not reach Python code, so the loops that can run long call `tick()`, which
now and then compares the clock (and the memory the process holds) with the limits of the budget
that is active, and raises `LimitReached` past them. The caller that set the budget (the
verifier) turns that into a verdict of `unknown`. Without an active budget `tick()` does nothing.

The caches of `treaty_dsl.deontic.Structure` store a result only once it is complete, so work cut
short by `LimitReached` leaves nothing half-built behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

CHECK_EVERY = 256  # ticks between two looks at the clock
MEMORY_EVERY_S = 0.01  # seconds between two looks at the memory the process holds


class LimitReached(Exception):
    """The active budget ran out: `kind` is "time" or "memory"."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind} limit reached")
        self.kind = kind


def resident_bytes() -> int | None:
    """The memory this process holds now (its resident set), where the system says (Linux)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (AttributeError, ValueError, OSError):
    _PAGE = 4096


class Budget:
    """Work must end by `deadline` (a `time.monotonic()` value) and may make the process grow by at
    most `memory_mb` megabytes beyond what it held when the budget was made."""

    def __init__(self, deadline: float | None = None, memory_mb: float | None = None) -> None:
        self.deadline = deadline
        base = resident_bytes() if memory_mb is not None else None
        self.memory_ceiling = base + int(memory_mb * 1024 * 1024) if base is not None and memory_mb is not None else None
        self._countdown = CHECK_EVERY
        self._memory_checked = time.monotonic()

    def tick(self) -> None:
        self._countdown -= 1
        if self._countdown <= 0:
            self._countdown = CHECK_EVERY
            self.check()

    def check(self) -> None:
        now = time.monotonic()
        if self.deadline is not None and now > self.deadline:
            raise LimitReached("time")
        if self.memory_ceiling is not None and now - self._memory_checked >= MEMORY_EVERY_S:
            self._memory_checked = now
            held = resident_bytes()
            if held is not None and held > self.memory_ceiling:
                raise LimitReached("memory")


_active: ContextVar[Budget | None] = ContextVar("treaty_budget", default=None)


def tick() -> None:
    """A step of work under the active budget (if any): raises `LimitReached` past its limits."""
    budget = _active.get()
    if budget is not None:
        budget.tick()


def ticking(items: Iterable[T]) -> Iterator[T]:
    """`items`, with a `tick()` for each."""
    for item in items:
        tick()
        yield item


@contextmanager
def limited(budget: Budget) -> Iterator[Budget]:
    """Makes `budget` the active one for the block (budgets nest: the innermost applies)."""
    budget.check()
    token = _active.set(budget)
    try:
        yield budget
    finally:
        _active.reset(token)
