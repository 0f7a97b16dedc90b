"""treaty_dsl.strategies: worlds that satisfy the assumptions, scenarios around a world, facts by hand."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis.errors import InvalidArgument

from treaty_dsl import ir
from treaty_dsl.checker import check
from treaty_dsl.evaluator import Evaluator, World
from treaty_dsl.parser import parse_module
from treaty_dsl.strategies import claim, formula, ground_atoms, holds, scenarios_around, world, worlds

FEW = settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEARCH = settings(FEW, max_examples=400)  # for `find`, which stops at the first example found

TEXT = """
spec "strategies"
instrument T "A test instrument"
domain Party = {A, B, C, D}
domain Means = {force, aid}
input attacked(v: Party) by nature
input agrees(p: Party, v: Party) by p
input takes(p: Party, m: Means, v: Party) by p
input troops(p: Party): 0..5 by p
define invoked(v: Party) = every p in Party: agrees(p, v)
assume no_self_help: every p in Party, m in Means: not takes(p, m, p)
assume few_attacks: count(v in Party: attacked(v)) <= 1
obligation assist(p: Party, v: Party)
  cite T article 1 quote "shall assist"
  bearer p
  when attacked(v) and invoked(v) and p != v
  to some m in Means: takes(p, m, v)
claim assist_when_invoked:
  every p in Party, v in Party where p != v: attacked(v) and invoked(v) implies obliged(p, some m in Means: takes(p, m, v))
  expect holds
"""


def load(text: str = TEXT) -> ir.Spec:
    return check([parse_module(text, "strategies.treaty")])


SPEC = load()


def changed_atoms(spec: ir.Spec, a: World, b: World) -> list[tuple[str, tuple[ir.Value, ...]]]:
    return [atom for atom in ground_atoms(spec) if a.get(atom) != b.get(atom)]


@FEW
@given(worlds(SPEC))
def test_worlds_satisfy_the_assumptions(w: World) -> None:
    assert Evaluator(SPEC, w).assumptions_hold()
    assert holds(SPEC, w, claim(SPEC, "assist_when_invoked"))  # the claim holds, so in every world


def test_worlds_reach_facts_about_every_party_at_once() -> None:
    # "every party agrees to act for v" is one change, not four
    found = find(worlds(SPEC), lambda w: holds(SPEC, w, "some v in Party: invoked(v)"), settings=SEARCH)
    assert holds(SPEC, found, "some v in Party: invoked(v)")
    assert len(changed_atoms(SPEC, World(SPEC, {}), found)) == 4


def test_worlds_shrink_towards_the_base_world() -> None:
    found = find(worlds(SPEC), lambda w: holds(SPEC, w, "troops(C) >= 3"), settings=SEARCH)
    assert changed_atoms(SPEC, World(SPEC, {}), found) == [("troops", ("C",))]


def test_only_the_named_inputs_change() -> None:
    @FEW
    @given(worlds(SPEC, inputs=["attacked"]))
    def only_attacks(w: World) -> None:
        assert {name for name, _ in changed_atoms(SPEC, World(SPEC, {}), w)} <= {"attacked"}

    only_attacks()
    with pytest.raises(InvalidArgument):
        worlds(SPEC, inputs=["nope"])


def test_a_base_world_that_breaks_an_assumption_is_repaired_by_changes() -> None:
    spec = load(TEXT + "assume someone_attacked: some v in Party: attacked(v)\n")
    assert not Evaluator(spec, World(spec, {})).assumptions_hold()

    @settings(FEW, max_examples=30, suppress_health_check=list(HealthCheck))
    @given(worlds(spec))
    def repaired(w: World) -> None:
        assert Evaluator(spec, w).assumptions_hold()
        assert holds(spec, w, "count(v in Party: attacked(v)) = 1")

    repaired()


BASE = world(SPEC, ["attacked(B)", "agrees(every Party, B) = true"])


@FEW
@given(scenarios_around(SPEC, BASE, max_changes=2))
def test_scenarios_around_stay_close_and_satisfy_the_assumptions(w: World) -> None:
    assert Evaluator(SPEC, w).assumptions_hold()
    # a change sets at most every value of each parameter: 2 changes of `takes` touch at most 2 * 4 * 2 * 4 atoms
    assert len(changed_atoms(SPEC, BASE, w)) <= 2 * 4 * 2 * 4


def test_scenarios_around_shrink_to_the_scenario_itself() -> None:
    assert changed_atoms(SPEC, BASE, find(scenarios_around(SPEC, BASE), lambda w: True, settings=FEW)) == []


def test_a_scenario_that_breaks_the_assumptions_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="few_attacks"):
        scenarios_around(SPEC, world(SPEC, ["attacked(every Party)"]))


# ---- worlds by hand ----


def test_world_reads_facts_as_counterexamples_show_them() -> None:
    w = world(SPEC, ["attacked(B)", "agrees(every Party, B) = true", "agrees(C, B) = false", "takes({A, D}, aid, B)", "troops(A) = 4"])
    assert holds(SPEC, w, "attacked(B) and not attacked(A)")
    assert holds(SPEC, w, "agrees(A, B) and agrees(D, B) and not agrees(C, B) and not invoked(B)")
    assert holds(SPEC, w, "takes(A, aid, B) and takes(D, aid, B) and not takes(B, aid, B)")
    assert w.get(("troops", ("A",))) == 4
    assert world(SPEC, {"troops(*)": 2, "attacked(C)": True}).get(("troops", ("D",))) == 2


@pytest.mark.parametrize(
    "fact",
    ["attack(B)", "attacked(B, C)", "attacked(E)", "troops(A) = 6", "troops(A) = many", "attacked(B) = yes", "not an atom"],
)
def test_world_refuses_what_the_spec_does_not_have(fact: str) -> None:
    with pytest.raises(ValueError):
        world(SPEC, [fact])


def test_formula_errors_are_diagnostics() -> None:
    from treaty_dsl.diagnostics import SpecError

    with pytest.raises(SpecError) as exc:
        formula(SPEC, "invokd(B)")
    assert exc.value.diagnostics[0].code == "E0201"
    assert "<formula>:1:1" in exc.value.render()
    with pytest.raises(KeyError):
        claim(SPEC, "nope")


def test_the_strategies_do_not_import_the_solver() -> None:
    code = (
        "import sys\nimport treaty_dsl.strategies\n"
        "bad = [m for m in sys.modules if m == 'z3' or m.startswith('z3.') or m == 'solver' or m.startswith('solver.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
