"""The generated collective-defence treaty (bench/generate.py) written directly in z3py, as a user would.

One Bool per ground input (`agrees[p][v]` for every pair of parties, `takes[p][m][v]` for every
party, means and victim); definitions as Python functions; `obliged(p, F)` written out by hand
over the compliant alternatives: the 2^5 choices of p's means towards v, each compliant when it
satisfies the active obligation `assist(p, v)`. (That only these acts matter, because p's other
obligations concern other acts, is the user's own reasoning, the same grouping the tool does.)
A claim holds when its negation is unsatisfiable.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import z3

from bench.generate import COLLECTIVE_CLAIMS, MEANS

ARMED_FORCE = MEANS.index("armed_force")


def fold_and(parts: list[Any]) -> Any:
    """`And` of z3 terms and Python bools, the bools folded away."""
    if any(p is False for p in parts):
        return False
    terms = [p for p in parts if p is not True]
    return True if not terms else terms[0] if len(terms) == 1 else z3.And(terms)


def fold_or(parts: list[Any]) -> Any:
    if any(p is True for p in parts):
        return True
    terms = [p for p in parts if p is not False]
    return False if not terms else terms[0] if len(terms) == 1 else z3.Or(terms)


def negate(x: Any) -> Any:
    return (not x) if isinstance(x, bool) else z3.Not(x)


class Treaty:
    def __init__(self, n: int) -> None:
        self.n = n
        self.attack = [z3.Bool(f"armed_attack({v})") for v in range(n)]
        self.agrees = [[z3.Bool(f"agrees_to_invoke({p},{v})") for v in range(n)] for p in range(n)]
        self.alternatives = list(itertools.product([False, True], repeat=len(MEANS)))
        self._invoked = [z3.And([self.agrees[p][v] for p in range(n)]) for v in range(n)]
        self._attacked_and_invoked = [z3.And(self.attack[v], self._invoked[v]) for v in range(n)]

    def invoked(self, v: int) -> z3.BoolRef:
        return self._invoked[v]

    def active(self, p: int, v: int) -> z3.BoolRef:
        return self._attacked_and_invoked[v] if p != v else z3.BoolVal(False)

    def obliged(self, p: int, v: int, formula: Callable[[tuple[bool, ...]], bool]) -> Any:
        """obliged(p, F): some compliant alternative exists, and F holds in every one.

        The alternatives are concrete, so Python folds what it can (`fold_and`/`fold_or`); written
        without folding, the same loop builds 32 terms per pair and takes 90 s at 193 parties."""
        active = self.active(p, v)
        compliant = [True if any(alt) else z3.Not(active) for alt in self.alternatives]
        exists = fold_or(compliant)
        every = fold_and([True if formula(alt) else negate(c) for c, alt in zip(compliant, self.alternatives, strict=True)])
        return fold_and([exists, every])

    def negated_claim(self, name: str) -> Iterator[z3.BoolRef]:
        """The disjuncts of the claim's negation, one per pair of parties."""
        for p in range(self.n):
            for v in range(self.n):
                if name == COLLECTIVE_CLAIMS[0]:  # every p, v: obliged(p, assists(p, v)) implies invoked(v)
                    term = fold_and([self.obliged(p, v, any), z3.Not(self.invoked(v))])
                else:  # every p, v: not obliged(p, takes(p, armed_force, v))
                    term = self.obliged(p, v, lambda alt: alt[ARMED_FORCE])
                if term is not False:
                    yield z3.BoolVal(True) if term is True else term


def verdict_of(result: z3.CheckSatResult) -> str:
    """The claim's verdict from the check of its negation."""
    if result == z3.unsat:
        return "holds"
    return "fails" if result == z3.sat else "unknown"


def check(n: int, name: str, timeout_s: float) -> dict[str, Any]:
    started = time.perf_counter()
    treaty = Treaty(n)
    negation = z3.Or(list(treaty.negated_claim(name)) or [z3.BoolVal(False)])
    solver = z3.Solver()
    solver.set("timeout", int(timeout_s * 1000))
    solver.add(negation)
    encoded = time.perf_counter()
    result = solver.check()
    done = time.perf_counter()
    verdict = verdict_of(result)
    return {"name": name, "verdict": verdict, "encode_s": encoded - started, "solve_s": done - encoded, "total_s": done - started}
