"""`treaty check -j N`: the claims of one or more specs checked in N worker processes.

Each spec's claims are cut into contiguous chunks; a worker loads the spec itself (from its path and
reading: only those and two indices cross the process boundary) and checks one chunk with one
`Verifier`, as `-j 1` checks a whole spec. Results are plain dataclasses (`solver.results`), pickled
back and handed out in file and claim order, so a report is written in the same order as with `-j 1`.

Workers are started with the `spawn` method, so they share no Z3 state with the parent; what they
need of its settings travels in the environment (the memory limit, see `solver.z3env`).

What can differ from `-j 1`: the solver's model for a failing claim depends on the claims checked
before it in the same solver, so a failing claim that is not in the first chunk of its spec may be
shown with another (equally replayed) counterexample instance. Verdicts, cores, order and exit codes
are the same.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from treaty_dsl import ir

if TYPE_CHECKING:
    from solver.results import Result
    from treaty_dsl.loader import LoadedSpec

# Specs loaded by this worker process, by path and reading: the chunks of one spec share the parse and check.
_LOADED: dict[str, LoadedSpec] = {}


def default_jobs() -> int:
    """`-j 0`: one worker per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


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


def chunks(weights: list[int], parts: int) -> list[tuple[int, int]]:
    """`[start, stop)` ranges cutting the claims into at most `parts` contiguous chunks of similar weight."""
    parts = max(1, min(parts, len(weights)))
    out: list[tuple[int, int]] = []
    start, remaining = 0, sum(weights)
    for i in range(parts - 1):
        target = remaining / (parts - i)
        stop, acc = start, 0
        # take claims while the chunk stays nearer the target, leaving one claim for each later chunk
        while stop < len(weights) - (parts - 1 - i) and (acc == 0 or abs(acc + weights[stop] - target) <= abs(acc - target)):
            acc += weights[stop]
            stop += 1
        if stop > start:
            out.append((start, stop))
        start, remaining = stop, remaining - acc
    if start < len(weights):
        out.append((start, len(weights)))
    return out


def plan(specs: list[LoadedSpec], jobs: int) -> list[list[tuple[int, int]]]:
    """The chunks of each spec: a spec gets a share of the `jobs` workers by its weight (at least one).

    Fewer cuts keep more claims in the company they have with `-j 1` (see the module's note).
    """
    weights = [[claim_weight(s.spec, c) for c in s.spec.claims] for s in specs]
    total = sum(sum(w) for w in weights) or 1
    return [chunks(w, math.ceil(jobs * sum(w) / total)) if w else [] for w in weights]


def check_chunk(path: str, reading: str | None, all_claims: bool, start: int, stop: int, timeout_s: float) -> list[Result]:
    """In a worker: claims `start` to `stop` of the spec at `path` (under `reading`), in one fresh verifier."""
    from solver.verify import Verifier
    from treaty_dsl.loader import load_spec

    key = f"{path}\0{reading}\0{all_claims}"
    loaded = _LOADED.get(key)
    if loaded is None:
        loaded = _LOADED[key] = load_spec(path, reading=reading, all_claims=all_claims)
    verifier = Verifier(loaded.spec, timeout_s)
    return [verifier.check_claim(claim, reading) for claim in loaded.spec.claims[start:stop]]


def check_parallel(specs: list[LoadedSpec], timeout_s: float, jobs: int) -> Iterator[tuple[LoadedSpec, Iterator[Result]]]:
    """Each spec with its results in claim order; the results arrive as the workers finish them.

    The specs must have been loaded from `spec.path` relative to the current folder (as the CLI
    does), since the workers load them again from there.
    """
    import multiprocessing

    cuts = plan(specs, jobs)
    n_chunks = sum(len(c) for c in cuts)
    if jobs <= 1 or n_chunks <= 1:
        # One chunk at most: a worker would only add its start-up time.
        yield from _sequential(specs, timeout_s)
        return
    pool = ProcessPoolExecutor(max_workers=min(jobs, n_chunks), mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [
            [pool.submit(check_chunk, s.path, s.reading, s.all_claims, a, b, timeout_s) for a, b in c]
            for s, c in zip(specs, cuts, strict=True)
        ]
        for loaded, spec_futures in zip(specs, futures, strict=True):
            yield loaded, _in_order(spec_futures)
    except BaseException:
        # Ctrl-C (or any failure): stop the workers now instead of waiting for their claims.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(futures: list[Future[list[Result]]]) -> Iterator[Result]:
    for future in futures:
        yield from future.result()


def _sequential(specs: list[LoadedSpec], timeout_s: float) -> Iterator[tuple[LoadedSpec, Iterator[Result]]]:
    from solver.verify import check_spec

    for loaded in specs:
        yield loaded, check_spec(loaded.spec, timeout_s)
