"""The one module that sets up Z3: seeds, limits, solver construction."""

from __future__ import annotations

import z3

SEED = 0


def configure() -> None:
    """Fixed seeds so that models, cores and timings are reproducible run to run."""
    z3.set_param("smt.random_seed", SEED)
    z3.set_param("sat.random_seed", SEED)
    z3.set_param("nlsat.seed", SEED)


def new_solver(timeout_ms: int | None = None, memory_mb: int | None = None) -> z3.Solver:
    configure()
    solver = z3.Solver()
    solver.set("random_seed", SEED)
    solver.set("unsat_core", True)
    solver.set("core.minimize", True)
    if timeout_ms is not None:
        solver.set("timeout", max(1, int(timeout_ms)))
    if memory_mb is not None:
        solver.set("max_memory", int(memory_mb))
    return solver


def set_timeout(solver: z3.Solver, timeout_ms: int) -> None:
    solver.set("timeout", max(1, int(timeout_ms)))
