"""The differential property for days, events, legal states, powers, legal orders, defeat and
interpretations: the Z3 verifier against brute-force enumeration of every world.

Each random spec (see timed_strategies.py) has a horizon of one to four days around a leap day,
so that an event is at most eight values (happened or not, on which day) and the oracle can
enumerate every world. Under the spec's own reading and under each of its interpretations:

- the brute-force evaluator decides every claim in every world; `Verifier.check_claim` must give
  the same verdict, also on claims pinned to one world (`world implies claim`);
- the grouped evaluator must agree with it world by world;
- the reference evaluator (reference.py: states, effects, calendar years and defeat re-derived
  without the tables the evaluator and the encoding share) must agree with it world by world.

Profiles as in test_differential.py (TREATY_HYPOTHESIS_PROFILE=ci or thorough).
"""

from __future__ import annotations

import time

import pytest
from differential import MAX_COST, SOLVER_TIMEOUT_S, THOROUGH, Stats, compare, load, oracle_cost, scaled, worlds
from hypothesis import given, reject, settings
from reference import Reference
from timed_strategies import timed_specs

import solver.encode as encode
from solver.verify import Verifier
from treaty_dsl import ir
from treaty_dsl.checker import interpretations
from treaty_dsl.evaluator import Evaluator
from treaty_dsl.parser import parse_module
from treaty_dsl.walk import subexprs

# Worlds of one spec, days of the events included (the oracle enumerates them all).
TIMED_MAX_WORLDS = 1500 if THOROUGH else 400


def readings_of(text: str) -> list[str | None]:
    return [None, *interpretations([parse_module(text, "random.treaty")])]


def run_timed(n_ci: int, stats: Stats, **spec_options: object) -> int:
    """The property under the active profile; raises on the first disagreement. Returns how many
    checks were made under an interpretation."""
    passed: set[str] = set()
    under = [0]

    @scaled(n_ci)
    @given(timed_specs(max_worlds=TIMED_MAX_WORLDS, **spec_options))  # type: ignore[arg-type]
    def prop(text: str) -> None:
        stats.examples += 1
        if text in passed:
            return
        for reading in readings_of(text):
            if not compare(text, stats, max_cost=MAX_COST, reading=reading, reference=Reference):
                reject()  # too expensive for the oracle (rare)
            under[0] += reading is not None
        passed.add(text)

    prop()
    return under[0]


def check_property(name: str, n_ci: int, **spec_options: object) -> int:
    stats = Stats()
    started = time.monotonic()
    under = run_timed(n_ci, stats, **spec_options)
    seconds = time.monotonic() - started
    print(
        f"\n{name}: {stats.examples} examples, {stats.specs} checks of a spec under one reading ({under} under an "
        f"interpretation), {stats.claims} claims (verdicts {stats.verdicts}) and {stats.points} claims about one world, "
        f"{stats.worlds} worlds enumerated, {len(stats.unknown)} unknown, {seconds:.1f} s"
    )
    assert stats.specs > 0
    assert len(stats.unknown) <= stats.allowed_unknown(), (
        f"{len(stats.unknown)} of {stats.claims} claims came out unknown; first:\n" + "\n".join(stats.unknown[:3])
    )
    return under


def test_time_and_powers_agree_with_brute_force() -> None:
    """Events on days, calendar years, legal states changed by powers with delays, conditions and
    revocation, `effective(...)`, states at days in claims and norm conditions."""
    check_property("differential: time and powers", 110, powers=True)


def test_orders_and_defeat_agree_with_brute_force() -> None:
    """Two or three norms in one or two legal orders, with ranks, dates and overrides;
    `defeated`, `active`, `violated`, `lawful`, `obliged`, `permitted` in claims."""
    check_property("differential: orders and defeat", 90, powers=False, orders=True)


def test_day_parameters_agree_with_brute_force() -> None:
    """Definitions with a day parameter that decides which act they read (`x(if t = D then a0 else
    a1)`), called with an event's day in norms and assumptions; deontic questions inside such
    definitions; claims about the acts a day decides."""
    check_property("differential: day parameters", 80, powers=False, day_params=True)


def reads_before_the_horizon(test_settings: settings) -> dict[str, int]:
    """The property of `test_reads_before_the_horizon_agree_with_brute_force`, under `test_settings`;
    raises AssertionError on the first verdict the oracle does not allow."""
    seen = {"fails": 0, "holds": 0, "unknown": 0, "worlds before": 0}

    @test_settings
    @given(timed_specs(max_worlds=TIMED_MAX_WORLDS, powers=True, before_horizon=True))  # type: ignore[arg-type]
    def prop(text: str) -> None:
        spec = load(text)
        if oracle_cost(spec) > MAX_COST:
            reject()
        verifier = Verifier(spec, timeout_s=SOLVER_TIMEOUT_S)
        for claim in spec.claims:
            # each claim is `premise implies [not] (s at DAY)`, the premise reading no state
            assert isinstance(claim.body, ir.BoolOp) and claim.body.op == "implies"
            premise = claim.body.items[0]
            read = next(e for e in subexprs(claim.body) if isinstance(e, ir.StateAt))
            falsified, within, robust = False, 0, True
            for world in worlds(spec):
                ev = Evaluator(spec, world, brute_force=True)
                if not ev.assumptions_hold():
                    continue
                if int(ev.eval(read.day, {})) < read.earliest(spec.horizon):  # type: ignore[arg-type]
                    seen["worlds before"] += 1
                    robust = robust and not ev.holds(premise)  # else the state's unknown value decides
                    continue
                within += 1
                if not ev.holds(claim.body):
                    falsified = True
                    break
            result = verifier.check_claim(claim)
            allowed = {"fails"} if falsified else {"holds"} if within or robust else {"unknown"}
            assert result.verdict in allowed, f"{claim.name}: {result.verdict}, expected {allowed}\n{text}"
            seen[result.verdict] += 1

    prop()
    return seen


def test_reads_before_the_horizon_agree_with_brute_force() -> None:
    """A legal state read on a day that can fall before the horizon, where the spec says nothing:
    a claim fails when some world has its read within the horizon and falsifies it; otherwise it
    holds (with a warning when it rests on the read being within), unless in some world the read
    falls before the horizon and decides the claim and no world has it within: then it is unknown."""
    seen = reads_before_the_horizon(scaled(40))
    print(f"\ndifferential: reads before the horizon: {seen}")
    assert seen["worlds before"] > 0 and seen["fails"] > 0 and seen["holds"] > 0 and seen["unknown"] > 0


def test_interpretations_agree_with_brute_force() -> None:
    """Everything at once, with interpretation blocks: every claim checked under every reading."""
    under = check_property("differential: interpretations", 70, powers=True, orders=True, readings=True)
    assert under >= 50  # every spec has one or two interpretations


def test_time_agrees_with_brute_force_using_z3_quantifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with every compliant-alternatives scope and conflict bound by a Z3 quantifier."""
    monkeypatch.setattr(encode, "EXPAND_LIMIT", 1)
    check_property("differential: time and orders (Z3 quantifiers)", 30, powers=True, orders=True, readings=True)
