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
from hypothesis import given

import solver.encode as encode
from differential import MAX_ATOMS, MAX_WORLDS, Stats, compare, scaled
from treaty_strategies import specs


def run_property(n_ci: int, stats: Stats, **spec_options: object) -> None:
    """Run the differential property with the active profile; raises on the first disagreement."""

    @scaled(n_ci)
    @given(specs(max_worlds=MAX_WORLDS, max_atoms=MAX_ATOMS, **spec_options))  # type: ignore[arg-type]
    def prop(text: str) -> None:
        compare(text, stats)

    prop()


def report(name: str, stats: Stats, seconds: float) -> None:
    print(
        f"\n{name}: {stats.specs} specs, {stats.claims} claims, {stats.worlds} worlds enumerated, "
        f"verdicts {stats.verdicts}, {seconds:.1f} s"
    )


def assert_few_unknown(stats: Stats) -> None:
    assert len(stats.unknown) <= stats.allowed_unknown(), (
        f"{len(stats.unknown)} of {stats.claims} claims came out unknown; first:\n" + "\n".join(stats.unknown[:3])
    )


def test_verifier_agrees_with_brute_force() -> None:
    stats = Stats()
    started = time.monotonic()
    run_property(150, stats)
    report("differential", stats, time.monotonic() - started)
    assert stats.specs > 0
    assert_few_unknown(stats)


def test_verifier_agrees_with_brute_force_using_z3_quantifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with every compliant-alternatives scope bound by a Z3 quantifier instead of being
    expanded in place (the path that large groups of acts take in real specs)."""
    monkeypatch.setattr(encode, "EXPAND_LIMIT", 1)
    stats = Stats()
    started = time.monotonic()
    run_property(60, stats)
    report("differential (Z3 quantifiers)", stats, time.monotonic() - started)
    assert stats.specs > 0
    assert_few_unknown(stats)
