"""The claims of bench/specs/nato_untimed.treaty (NATO Articles 4, 5 and 6) written directly in z3py.

What a user without treaty-dsl would write: one Bool per ground input, the definitions as cached
Python functions, and each deontic query written out over the actor's compliant alternatives (the
2^k choices of the acts the queried formula reads; the actor's other obligations concern other acts
and can always be met, which the user works out by hand). Python folds the concrete alternatives
(`fold_and`/`fold_or`). Verdicts only: no unsat core, no counterexample, no re-check.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import z3

from bench.baselines.z3_collective import fold_and, fold_or, negate, verdict_of

PARTIES = [
    "BE",
    "CA",
    "DK",
    "FR",
    "IS",
    "IT",
    "LU",
    "NL",
    "NO",
    "PT",
    "GB",
    "US",
    "GR",
    "TR",
    "DE",
    "ES",
    "CZ",
    "HU",
    "PL",
    "BG",
    "EE",
    "LV",
    "LT",
    "RO",
    "SK",
    "SI",
    "AL",
    "HR",
    "ME",
    "MK",
    "FI",
    "SE",
]
TARGETS = ["territory", "forces"]
PLACES = [
    "europe",
    "north_america",
    "algerian_departments",
    "turkey",
    "north_atlantic_islands",
    "occupation_zone_1949",
    "mediterranean",
    "north_atlantic_sea",
    "elsewhere",
]
MEANS = ["armed_force", "military_aid", "economic_aid", "humanitarian_aid", "diplomatic_action"]
AF = MEANS.index("armed_force")
Alt = tuple[bool, ...]


def covered_place(target: str, place: str) -> bool:
    if place in ("europe", "north_america", "algerian_departments", "turkey", "north_atlantic_islands"):
        return True
    return target == "forces" and place in ("occupation_zone_1949", "mediterranean", "north_atlantic_sea")


def deontic(constraints: list[tuple[Any, Callable[[Alt], bool]]], width: int, formula: Callable[[Alt], Any], kind: str) -> Any:
    """obliged / permitted over the 2^width alternatives; `constraints` are (active, content) of the actor's
    norms on these acts."""
    alts = list(itertools.product([False, True], repeat=width))
    compliant = [fold_and([True if content(alt) else negate(active) for active, content in constraints]) for alt in alts]
    if kind == "permitted":
        return fold_or([fold_and([c, formula(alt)]) for c, alt in zip(compliant, alts, strict=True)])
    exists = fold_or(compliant)
    return fold_and([exists] + [fold_or([negate(c), formula(alt)]) for c, alt in zip(compliant, alts, strict=True)])


class Nato:
    def __init__(self) -> None:
        P = range(len(PARTIES))
        self.attack = [[[z3.Bool(f"armed_attack({v},{t},{x})") for x in PLACES] for t in TARGETS] for v in PARTIES]
        self.agrees = [[z3.Bool(f"agrees_to_invoke({p},{v})") for v in PARTIES] for p in PARTIES]
        self.takes = [[[z3.Bool(f"takes({p},{m},{v})") for v in PARTIES] for m in MEANS] for p in PARTIES]
        self.threatened = [[z3.Bool(f"considers_threatened({p},{q})") for q in PARTIES] for p in PARTIES]
        self.consults = [[z3.Bool(f"consults({p},{q})") for q in PARTIES] for p in PARTIES]
        self.reports = [[z3.Bool(f"reports_to_security_council({p},{v})") for v in PARTIES] for p in PARTIES]
        self.P = P

    @cache  # noqa: B019 (one Nato per run)
    def covered_attack(self, v: int) -> Any:
        return fold_or([self.attack[v][t][x] for t, tn in enumerate(TARGETS) for x, xn in enumerate(PLACES) if covered_place(tn, xn)])

    @cache  # noqa: B019
    def invoked(self, v: int) -> Any:
        return z3.And([self.agrees[p][v] for p in self.P])

    @cache  # noqa: B019
    def art5_case(self, v: int) -> Any:
        return z3.And(self.covered_attack(v), self.invoked(v))

    def assists(self, p: int, v: int) -> Any:
        return z3.Or([self.takes[p][m][v] for m in range(len(MEANS))])

    def active_assist(self, p: int, v: int) -> Any:
        return self.art5_case(v) if p != v else False

    @cache  # noqa: B019
    def someone_threatened(self, q: int) -> Any:
        return z3.Or([self.threatened[r][q] for r in self.P])

    # obliged / permitted on the acts `takes(p, *, v)`, under art5_assist(p, v)
    def on_assist(self, p: int, v: int, formula: Callable[[Alt], Any], kind: str = "obliged") -> Any:
        return deontic([(self.active_assist(p, v), any)], len(MEANS), formula, kind)

    def obliged_report(self, p: int, v: int) -> Any:
        active = z3.And(self.art5_case(v), self.assists(p, v))
        return deontic([(active, lambda alt: alt[0])], 1, lambda alt: alt[0], "obliged")

    def obliged_consult(self, p: int, q: int) -> Any:
        return deontic([(self.someone_threatened(q), lambda alt: alt[0])], 1, lambda alt: alt[0], "obliged")

    # ---- the claims, as the instances of their negation ----
    def pairs(self, distinct: bool = False) -> Iterator[tuple[int, int]]:
        return ((p, v) for p in self.P for v in self.P if not distinct or p != v)

    def negations(self) -> dict[str, Callable[[], list[Any]]]:
        ee, hu, us = PARTIES.index("EE"), PARTIES.index("HU"), PARTIES.index("US")
        europe, territory, forces = PLACES.index("europe"), TARGETS.index("territory"), TARGETS.index("forces")
        med, elsewhere = PLACES.index("mediterranean"), PLACES.index("elsewhere")
        a = self
        hungary_withholds = fold_and(
            [a.attack[ee][territory][europe]] + [a.agrees[p][ee] if p != hu else z3.Not(a.agrees[p][ee]) for p in a.P]
        )
        consensus = fold_and([a.attack[ee][territory][europe]] + [a.agrees[p][ee] for p in a.P])
        return {
            "art5_obliges_assistance": lambda: [
                fold_and([a.art5_case(v), negate(a.on_assist(p, v, any))]) for p, v in a.pairs(distinct=True)
            ],
            "no_obligation_without_consensus": lambda: [
                fold_and([fold_or([a.active_assist(p, v), a.on_assist(p, v, any)]), z3.Not(a.invoked(v))]) for p, v in a.pairs()
            ],
            "one_ally_blocks_invocation": lambda: [
                fold_and([z3.Or([z3.Not(a.agrees[h][v]) for h in a.P]), a.on_assist(p, v, any)]) for v, p in a.pairs()
            ],
            "no_obligation_to_use_armed_force": lambda: [a.on_assist(p, v, lambda alt: alt[AF]) for p, v in a.pairs()],
            "armed_force_obliged_after_invocation": lambda: [
                fold_and([a.art5_case(v), negate(a.on_assist(p, v, lambda alt: alt[AF]))]) for p, v in a.pairs(distinct=True)
            ],
            "armed_force_permitted": lambda: [
                fold_and([a.art5_case(v), negate(a.on_assist(p, v, lambda alt: alt[AF], "permitted"))]) for p, v in a.pairs(distinct=True)
            ],
            "attack_elsewhere_not_covered": lambda: [
                fold_and(
                    [z3.Not(a.attack[v][t][x]) for t in range(len(TARGETS)) for x in range(len(PLACES)) if x != elsewhere]
                    + [a.on_assist(p, v, any)]
                )
                for p, v in a.pairs()
            ],
            "forces_in_mediterranean_covered": lambda: [
                fold_and([a.attack[v][forces][med], a.invoked(v), negate(a.on_assist(p, v, any))]) for p, v in a.pairs(distinct=True)
            ],
            "territory_at_sea_is_not_a_category": lambda: [negate(covered_place("territory", "mediterranean")) for _ in a.P],
            "reporting_follows_measures": lambda: [
                fold_and([a.art5_case(v), a.assists(p, v), negate(a.obliged_report(p, v))]) for p, v in a.pairs()
            ],
            "consultation_on_request_of_any_party": lambda: [
                fold_and([a.someone_threatened(q), negate(a.obliged_consult(p, q))]) for p, q in a.pairs()
            ],
            "consultation_is_not_assistance": lambda: [
                fold_and([z3.Not(z3.Or([a.art5_case(v) for v in a.P])), a.on_assist(p, q, any)]) for p, q in a.pairs()
            ],
            "estonia_attacked_hungary_withholds[1]": lambda: [fold_and([hungary_withholds, a.invoked(ee)])],
            "estonia_attacked_hungary_withholds[2]": lambda: [fold_and([hungary_withholds, a.on_assist(us, ee, any)])],
            "estonia_attacked_hungary_withholds[3]": lambda: [
                fold_and([hungary_withholds, negate(a.on_assist(us, ee, lambda alt: alt[AF], "permitted"))])
            ],
            "estonia_attacked_consensus[1]": lambda: [fold_and([consensus, negate(a.on_assist(us, ee, any))])],
            "estonia_attacked_consensus[2]": lambda: [fold_and([consensus, a.on_assist(us, ee, lambda alt: alt[AF])])],
            "estonia_attacked_consensus[3]": lambda: [fold_and([consensus, a.on_assist(ee, ee, any)])],
        }


def check_all(timeout_s: float) -> Iterator[dict[str, Any]]:
    """Each claim in spec order: verdict, and the time to build its terms and to solve."""
    started = time.perf_counter()
    nato = Nato()
    setup = time.perf_counter() - started
    for name, negation in nato.negations().items():
        t0 = time.perf_counter()
        parts = [z3.BoolVal(p) if isinstance(p, bool) else p for p in negation()]
        solver = z3.Solver()
        solver.set("timeout", int(timeout_s * 1000))
        solver.add(z3.Or(parts) if parts else z3.BoolVal(False))
        t1 = time.perf_counter()
        result = solver.check()
        t2 = time.perf_counter()
        yield {"name": name, "verdict": verdict_of(result), "encode_s": t1 - t0 + setup, "solve_s": t2 - t1, "total_s": t2 - t0 + setup}
        setup = 0.0
