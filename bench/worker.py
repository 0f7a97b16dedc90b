"""One measurement in a fresh process: `python -m bench.worker TASK ARGS...`.

Writes one JSON object per line to standard output, flushed as it goes, so that what was measured
before the runner's time cap ended the process is kept. Tasks:

  tool SPEC TIMEOUT             treaty-dsl, phase by phase (imports, parse, check, verifier, each claim)
  z3-collective N TIMEOUT       hand-written z3py, generated treaty of N parties
  z3-nato TIMEOUT               hand-written z3py, bench/specs/nato_untimed.treaty
  z3-horizon YEARS TIMEOUT      hand-written z3py, withdrawal clause over YEARS years
  deolingo-collective N TIMEOUT Deolingo, generated treaty of N parties
  deolingo-nato TIMEOUT         Deolingo, NATO Articles 4-6
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.generate import HORIZON_PARTIES


def emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


class Phases:
    """Time spent inside some functions of solver.verify, wrapped from outside (verify.py has no hooks)."""

    # (owner attribute path, bucket): the solver's checks, the fresh-solver re-check of a core, and the
    # work on a counterexample (replay in the evaluator, minimization, explanation, scenario).
    HOOKS = [
        ("Verifier._check", "solve"),
        ("Verifier._recheck", "recheck"),
        ("Verifier._minimize", "counterexample"),
        ("Verifier._scenario", "counterexample"),
        ("_replay", "counterexample"),
        ("explain", "counterexample"),
    ]

    def __init__(self) -> None:
        import solver.verify as verify

        self.times: dict[str, float] = {}
        self.missing: list[str] = []
        self._depth = 0
        for path, bucket in self.HOOKS:
            owner: Any = verify
            *parents, name = path.split(".")
            for p in parents:
                owner = getattr(owner, p, None)
            original = getattr(owner, name, None) if owner is not None else None
            if original is None:
                self.missing.append(path)
                continue
            setattr(owner, name, self._wrap(original, bucket))

    def _wrap(self, fn: Callable[..., Any], bucket: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # nested hooks count once, in the outer bucket
                return fn(*args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.times[bucket] = self.times.get(bucket, 0.0) + time.perf_counter() - started
                self._depth -= 1

        return timed

    def take(self) -> dict[str, float]:
        out, self.times = self.times, {}
        return out


def tool(spec_path: str, timeout_s: float) -> Iterator[dict[str, Any]]:
    t0 = time.perf_counter()
    import solver.verify  # noqa: F401  (z3 and the encoder)
    from treaty_dsl import parser as treaty_parser
    from treaty_dsl.checker import check
    from treaty_dsl.loader import load_spec

    t1 = time.perf_counter()
    build = getattr(treaty_parser, "_parser", None)
    if build is not None:
        build()  # the LALR parser, built once per process
    t2 = time.perf_counter()
    text = Path(spec_path).read_text(encoding="utf-8")
    module = treaty_parser.parse_module(text, spec_path)
    t3 = time.perf_counter()
    check([module])
    t4 = time.perf_counter()
    loaded = load_spec(spec_path)  # what the CLI checks (readings, `use`): not timed again
    phases = Phases()
    from solver.verify import Verifier, claim_groups

    t5 = time.perf_counter()
    # One verifier per group of claims, as `treaty check` uses them (solver.verify.claim_groups).
    verifiers = [(start, stop, Verifier(loaded.spec, timeout_s)) for start, stop in claim_groups(loaded.spec)]
    t6 = time.perf_counter()
    yield {
        "kind": "phases",
        "import_s": t1 - t0,
        "parser_build_s": t2 - t1,
        "parse_s": t3 - t2,
        "check_s": t4 - t3,
        "verifier_s": t6 - t5,
        "claims": len(loaded.spec.claims),
        "hooks_missing": phases.missing,
    }
    phases.take()
    for index, claim in enumerate(loaded.spec.claims):
        verifier = next(v for start, stop, v in verifiers if start <= index < stop)
        started = time.perf_counter()
        result = verifier.check_claim(claim)
        total = time.perf_counter() - started
        spent = phases.take()
        other = sum(spent.values())
        yield {
            "kind": "claim",
            "name": claim.name,
            "expected": claim.expected,
            "verdict": result.verdict,
            "total_s": total,
            "encode_s": max(0.0, total - other),  # the rest: encoding (also of the vacuity premise), bookkeeping
            "solve_s": spent.get("solve", 0.0),
            "recheck_s": spent.get("recheck", 0.0),
            "counterexample_s": spent.get("counterexample", 0.0),
        }


def _claims(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {"kind": "claim", **row}


def main(argv: list[str]) -> int:
    task, *args = argv
    if task == "tool":
        records = tool(args[0], float(args[1]))
    elif task == "z3-collective":
        from bench.baselines import z3_collective
        from bench.generate import COLLECTIVE_CLAIMS

        records = _claims(z3_collective.check(int(args[0]), name, float(args[1])) for name in COLLECTIVE_CLAIMS)
    elif task == "z3-nato":
        from bench.baselines import z3_nato

        records = _claims(z3_nato.check_all(float(args[0])))
    elif task == "z3-horizon":
        from bench.baselines import z3_horizon

        records = _claims(z3_horizon.check_all(int(args[0]), HORIZON_PARTIES, float(args[1])))
    elif task in ("deolingo-collective", "deolingo-nato"):
        from bench.baselines import deolingo_programs as deo

        if task == "deolingo-nato":
            timeout = float(args[0])
            records = _claims({"name": q, **deo.solve(deo.nato_program(q), timeout)} for q in deo.NATO_QUESTIONS)
        else:
            n, timeout = int(args[0]), float(args[1])
            records = _claims({"name": q, **deo.solve(deo.collective_program(n, q), timeout)} for q in deo.COLLECTIVE_QUESTIONS)
    else:
        sys.stderr.write(f"unknown task {task}\n")
        return 2
    for record in records:
        emit(record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
