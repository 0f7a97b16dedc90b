"""Property tests of specs/nato.treaty, written with the Hypothesis strategies of treaty_dsl.strategies.

    python -m pytest examples/test_nato_properties.py

`treaty check` proves the spec's claims for every world with the solver. These tests check
properties in generated worlds with the concrete evaluator instead: no solver, a few seconds. Write
such tests to explore a property before stating it as a claim, or to pin a scenario's conclusion
down against the facts the scenario does not mention. See docs/testing.md.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from treaty_dsl.deontic import Structure
from treaty_dsl.evaluator import World
from treaty_dsl.loader import load_spec
from treaty_dsl.strategies import formula, holds, scenarios_around, world, worlds

SPEC = load_spec(Path(__file__).resolve().parents[1] / "specs" / "nato.treaty").spec
STRUCTURE = Structure(SPEC)  # shared by every evaluation, so its per-spec caches are built once
PARTIES = SPEC.domains["Party"].values
FEW = settings(max_examples=15, deadline=None)


def true_in(w: World, text: str) -> bool:
    return holds(SPEC, w, formula(SPEC, text), STRUCTURE)


# Article 5 applies: an armed attack on Estonian territory, and every ally agreed to invoke it.
ESTONIA = world(SPEC, ["armed_attack(EE, territory, europe)", "agrees_to_invoke(every Party, EE)"])
# What the allies then do; the attack and the votes stay as they are.
ACTS = ["takes", "consults", "reports_to_security_council", "considers_threatened"]


@FEW
@given(worlds(SPEC))
def test_no_ally_is_ever_obliged_to_use_armed_force(w: World) -> None:
    assert true_in(w, "not obliged(US, takes(US, armed_force, EE)) and not obliged(PL, takes(PL, armed_force, LT))")


@FEW
@given(scenarios_around(SPEC, ESTONIA, inputs=ACTS))
def test_after_invocation_allies_must_assist_but_choose_how(w: World) -> None:
    for p in ("US", "FR", "PL"):
        assert true_in(w, f"obliged({p}, assists({p}, EE))")
        assert true_in(w, f"not obliged({p}, takes({p}, armed_force, EE))")
        assert true_in(w, f"permitted({p}, takes({p}, armed_force, EE))")


@FEW
@given(st.sampled_from(PARTIES), scenarios_around(SPEC, ESTONIA, max_changes=2, inputs=ACTS))
def test_a_single_withheld_vote_releases_every_ally(holdout: str, w: World) -> None:
    w = w.with_values({("agrees_to_invoke", (holdout, "EE")): False})
    assert true_in(w, "not invoked(EE)")
    assert true_in(w, "not obliged(US, assists(US, EE)) and not obliged(DE, assists(DE, EE))")


@FEW
@given(worlds(SPEC, base=ESTONIA, inputs=["takes", "reports_to_security_council"]))
def test_an_ally_that_assists_must_report_to_the_security_council(w: World) -> None:
    assert true_in(w, "every p in Party: assists(p, EE) implies obliged(p, reports_to_security_council(p, EE))")
