"""The one module that sets up Z3: seeds, limits, solver construction."""

from __future__ import annotations

import os
import time

import z3

from solver.limits import MAX_TIMEOUT_MS

SEED = 0
# The memory Z3 may use, in megabytes. Kept in the environment so that worker processes
# (`treaty check -j N`) started after `set_memory_limit` apply it too.
MEMORY_ENV = "TREATY_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
_TIMER_SLACK_S = 0.05  # Z3's timer may fire this much before our clock's deadline


def memory_limit_mb() -> int:
    try:
        return max(1, int(os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_MEMORY_MB


def set_memory_limit(megabytes: int) -> None:
    """Past this much memory Z3 gives up: the claim being checked is `unknown` (memory limit reached)."""
    os.environ[MEMORY_ENV] = str(int(megabytes))
    configure()


def above_memory_limit() -> bool:
    """Whether Z3 holds more memory than the limit (to tell a memory-out from a time-out)."""
    return int(z3.Z3_get_estimated_alloc_size()) > memory_limit_mb() * 1024 * 1024


def interruptible(solver: z3.Solver, result: z3.CheckSatResult, deadline: float) -> z3.CheckSatResult:
    """Re-raise a Ctrl-C that Z3 swallowed.

    During a check Z3 answers SIGINT itself by cancelling the check, which returns `unknown`
    ("canceled", as after a time-out or a memory-out), and Python never sees the signal. A check
    cancelled with time to spare and memory below the limit was interrupted by the user.
    """
    if result != z3.unknown:
        return result
    reason = solver.reason_unknown()
    if reason == "interrupted from keyboard":
        raise KeyboardInterrupt
    if reason == "canceled" and time.monotonic() < deadline - _TIMER_SLACK_S and not above_memory_limit():
        raise KeyboardInterrupt
    return result


def configure() -> None:
    """Fixed seeds so that models, cores and timings are reproducible run to run."""
    z3.set_param("smt.random_seed", SEED)
    z3.set_param("sat.random_seed", SEED)
    z3.set_param("nlsat.seed", SEED)
    # A limit Z3's solvers check as they go, ending in `unknown` ("max. memory exceeded"). Not
    # `memory_max_size`: that one throws from inside Z3's allocator and can abort the process.
    z3.set_param("memory_high_watermark_mb", memory_limit_mb())


def new_solver(ctx: z3.Context | None = None, timeout_ms: int | None = None, memory_mb: int | None = None, cores: bool = True) -> z3.Solver:
    """A solver with fixed seeds and limits; `cores` for one whose unsat cores are read (the
    verifier minimizes them itself, see `Verifier._recheck`).

    Always Z3's incremental SMT core (`SimpleSolver`). The default `Solver()` runs a one-shot
    preprocessing tactic when checked without assumptions, which on our formulas (a fresh solver
    re-checking a proof's core) is 10 to 50 times slower than the SMT core, for the same answer.
    """
    configure()
    solver = z3.SimpleSolver(ctx=ctx)
    solver.set("random_seed", SEED)
    if cores:
        solver.set("unsat_core", True)
    if timeout_ms is not None:
        set_timeout(solver, timeout_ms)
    solver.set("max_memory", int(memory_mb if memory_mb is not None else memory_limit_mb()))
    return solver


def work_done(solver: z3.Solver) -> int:
    """Z3's resource count (`rlimit count`) for the solver's context: deterministic, unlike time."""
    stats = solver.statistics()
    return int(stats.get_key_value("rlimit count")) if "rlimit count" in stats.keys() else 0  # noqa: SIM118 (no __contains__)


def set_timeout(solver: z3.Solver, timeout_ms: float) -> None:
    """Z3 wraps a limit past 32 bits around (to a tiny one): it is clamped instead."""
    solver.set("timeout", min(MAX_TIMEOUT_MS, max(1, int(timeout_ms))))
