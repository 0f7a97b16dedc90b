"""The differential property test: the Z3 verifier against a brute-force oracle, on random specs.

For each random spec (source text, so parser and checker run too):
- the oracle enumerates every world, keeps those where the assumptions hold, and evaluates each
  claim with the brute-force evaluator (all of the actor's acts, no grouping);
- `Verifier.check_claim` must give the same verdict ("unknown" is counted, "error" always fails);
- the grouped evaluator (the one the verifier replays counterexamples with) must agree with the
  brute-force evaluator world by world.

Profiles: TREATY_HYPOTHESIS_PROFILE=ci (default: deterministic, a few hundred examples) or
`thorough` (20x the examples, random, larger worlds). See differential.py.
"""

from __future__ import annotations

import time

import pytest
from differential import MAX_ATOMS, MAX_COST, MAX_WORLDS, Stats, compare, scaled
from hypothesis import given, reject
from treaty_strategies import specs

import solver.encode as encode


def run_property(n_ci: int, stats: Stats, **spec_options: object) -> None:
    """Run the differential property with the active profile; raises on the first disagreement."""

    passed: set[str] = set()  # Hypothesis draws some specs twice; one check of each is enough

    @scaled(n_ci)
    @given(specs(max_worlds=MAX_WORLDS, max_atoms=MAX_ATOMS, **spec_options))  # type: ignore[arg-type]
    def prop(text: str) -> None:
        stats.examples += 1
        if text in passed:
            return
        if not compare(text, stats, max_cost=MAX_COST):
            reject()  # too expensive for the brute-force oracle (rare)
        passed.add(text)

    prop()


def report(name: str, stats: Stats, seconds: float) -> None:
    print(
        f"\n{name}: {stats.examples} examples, {stats.specs} distinct specs, {stats.claims} claims "
        f"(verdicts {stats.verdicts}) and {stats.points} claims about one world checked, "
        f"{stats.worlds} worlds enumerated, {len(stats.unknown)} unknown, {seconds:.1f} s"
    )


def assert_few_unknown(stats: Stats) -> None:
    assert len(stats.unknown) <= stats.allowed_unknown(), (
        f"{len(stats.unknown)} of {stats.claims} claims came out unknown; first:\n" + "\n".join(stats.unknown[:3])
    )


def test_verifier_agrees_with_brute_force() -> None:
    stats = Stats()
    started = time.monotonic()
    run_property(250, stats)
    report("differential", stats, time.monotonic() - started)
    assert stats.specs > 0
    assert_few_unknown(stats)


def test_verifier_agrees_with_brute_force_using_z3_quantifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with every compliant-alternatives scope bound by a Z3 quantifier instead of being
    expanded in place (the path that large groups of acts take in real specs)."""
    monkeypatch.setattr(encode, "EXPAND_LIMIT", 1)
    stats = Stats()
    started = time.monotonic()
    run_property(100, stats)
    report("differential (Z3 quantifiers)", stats, time.monotonic() - started)
    assert stats.specs > 0
    assert_few_unknown(stats)
