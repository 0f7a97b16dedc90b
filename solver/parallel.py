"""`treaty check -j N`: specs checked in N worker processes, with the report `-j 1` gives.

The unit of work is one group of claims of one spec under one reading: what `-j 1` checks with
one `Verifier` (`solver.verify.claim_groups`; the groups depend on the spec alone). A group is
never cut: a claim's counterexample depends on the claims checked before it in the same solver,
and each verifier has its own Z3 context (see `solver.encode`), so a group gives the same results
in a worker as in the main process, whatever else ran there. Results are plain dataclasses
(`solver.results`), pickled back and handed out in file and claim order, so the report is the
same as with `-j 1`, byte for byte apart from the timings.

Workers are forked when the process is single-threaded (Linux, and no Z3 check has run yet: Z3
keeps a timer thread once it has run one, and a forked child must not inherit it half-alive).
A forked worker starts at once and finds the specs already loaded. Otherwise workers are spawned:
they import the tool and load their specs again (from `spec.path`), which costs a few hundred
milliseconds; `-j` without a number (the default) then checks in this process instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from treaty_dsl import ir

if TYPE_CHECKING:
    from solver.results import Result
    from treaty_dsl.loader import LoadedSpec

# The units of the current run, set before the workers are forked (a forked worker reads them
# from here); spawned workers load their unit from its path and reading instead.
_UNITS: list[LoadedSpec] = []
# Specs a spawned worker has loaded, by path and reading: the groups of one spec share the parse.
_LOADED: dict[str, LoadedSpec] = {}


def default_jobs() -> int:
    """One worker per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether worker processes can be forked safely: on Linux, from a single-threaded process."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def claim_weight(spec: ir.Spec, claim: ir.Claim) -> int:
    """A rough cost: the number of instances of the claim's leading `every` (one without)."""
    from treaty_dsl.grounding import values_of

    weight = 1
    body = claim.body
    while isinstance(body, ir.Quant) and body.kind == "every":
        for var in body.vars:
            with contextlib.suppress(ValueError):  # an unbounded type: count it once
                weight *= len(values_of(spec, var.type))
        body = body.body
    return weight


def check_unit(
    index: int, path: str, reading: str | None, all_claims: bool, start: int, stop: int, timeout_s: float, certify: bool = False
) -> list[Result]:
    """In a worker: claims `start` to `stop` (one group) of spec `index`, in one fresh verifier."""
    from solver.verify import check_claims

    if index < len(_UNITS) and _UNITS[index].path == path and _UNITS[index].reading == reading:
        spec = _UNITS[index].spec  # forked: loaded by the parent
    else:
        from treaty_dsl.loader import load_spec

        key = f"{path}\0{reading}\0{all_claims}"
        if key not in _LOADED:
            _LOADED[key] = load_spec(path, reading=reading, all_claims=all_claims)
        spec = _LOADED[key].spec
    return list(check_claims(spec, start, stop, timeout_s, certify))


def check_parallel(
    specs: list[LoadedSpec], timeout_s: float, jobs: int | None, certify: bool = False
) -> Iterator[tuple[LoadedSpec, Iterator[Result]]]:
    """Each spec with its results in claim order; a spec's results arrive when its worker is done.

    `jobs` None is the default: one worker per CPU when they can be forked, else none. A larger
    `jobs` than the CPUs this process may run on is cut down to them. The specs
    must have been loaded from `spec.path` relative to the current folder (as the CLI does), since
    spawned workers load them again from there.
    """
    import multiprocessing

    fork = can_fork()
    if jobs is None:
        jobs = default_jobs() if fork else 1
    from solver.verify import claim_groups

    groups = {i: claim_groups(s.spec) for i, s in enumerate(specs)}
    units = [(i, start, stop) for i, cut in groups.items() for start, stop in cut]
    # More workers than CPUs only compete for them (and each holds a copy of the specs and a Z3).
    workers = min(jobs, len(units), default_jobs())
    if workers <= 1:
        # One unit at most, or one worker: a worker would only add its start-up time.
        yield from _sequential(specs, timeout_s, certify)
        return
    _UNITS[:] = specs
    if fork:
        # A forked worker flushes its copy of the standard streams when it ends: empty them first.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_signals)
    try:
        # The heaviest groups first, so that the last to finish is a light one.
        futures: dict[tuple[int, int, int], Future[list[Result]]] = {}
        try:
            for i, start, stop in sorted(units, key=lambda u: -_group_weight(specs[u[0]].spec, u[1], u[2])):
                s = specs[i]
                futures[(i, start, stop)] = pool.submit(check_unit, i, s.path, s.reading, s.all_claims, start, stop, timeout_s, certify)
        except (OSError, BrokenProcessPool):
            # No worker could be started (a limit on processes, say): check in this process instead.
            _stop(pool)
            yield from _sequential(specs, timeout_s, certify)
            return
        for i, loaded in enumerate(specs):
            yield loaded, _results(loaded, [(start, stop, futures[(i, start, stop)]) for start, stop in groups[i]])
    except BaseException:
        # Ctrl-C (or any failure): stop the workers now instead of waiting for their claims.
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _UNITS.clear()


def _worker_signals() -> None:
    """In a worker: SIGTERM and SIGHUP end it at once, even inside a Z3 check. A forked worker
    inherits the handlers of the `treaty` process, which turn them into an exception, and Python
    runs a handler only once Z3 returns (after the claim's time limit, or never for a worker
    waiting for work that will not come)."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _stop(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _group_weight(spec: ir.Spec, start: int, stop: int) -> int:
    return sum(claim_weight(spec, c) for c in spec.claims[start:stop])


def _results(loaded: LoadedSpec, futures: list[tuple[int, int, Future[list[Result]]]]) -> Iterator[Result]:
    from solver.results import ClaimInfo, InternalError

    for start, stop, future in futures:
        try:
            yield from future.result()
        except BrokenProcessPool:
            # A worker died (killed, or a crash inside Z3): its claims have no verdict.
            for claim in loaded.spec.claims[start:stop]:
                info = ClaimInfo(claim.name, claim.span.file, claim.span.line, claim.text, claim.expected, loaded.reading)
                yield InternalError(info, "the worker process checking this claim stopped unexpectedly", [], 0.0)


def _sequential(specs: list[LoadedSpec], timeout_s: float, certify: bool = False) -> Iterator[tuple[LoadedSpec, Iterator[Result]]]:
    from solver.verify import check_spec

    for loaded in specs:
        yield loaded, check_spec(loaded.spec, timeout_s, certify)
