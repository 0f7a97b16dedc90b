"""Verdicts, cores, counterexamples and limits on small specs and on the Brussels spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.results import Fails, Holds, Unknown
from solver.verify import Verifier
from treaty_dsl.checker import check_formula
from treaty_dsl.evaluator import Evaluator, World
from treaty_dsl.ir import Claim, Spec
from treaty_dsl.loader import load_spec
from treaty_dsl.parser import parse_formula

ROOT = Path(__file__).resolve().parents[2]

ALLIANCE = """
spec "alliance"
instrument T "A test treaty"
domain Party = {A, B, C}
domain Means = {force, aid}
input attacked(v: Party) by nature
input agrees(p: Party, v: Party) by p
input takes(p: Party, m: Means, v: Party) by p
define invoked(v: Party) = every p in Party: agrees(p, v)
define assists(p: Party, v: Party) = some m in Means: takes(p, m, v)
obligation assist(p: Party, v: Party)
  cite T article 5 quote "will assist the Party so attacked by such action as it deems necessary"
  bearer p
  when attacked(v) and invoked(v) and p != v
  to assists(p, v)
"""


def spec_of(text: str, tmp_path: Path) -> Spec:
    path = tmp_path / "spec.treaty"
    path.write_text(text, encoding="utf-8")
    return load_spec(path).spec


def verdict(spec: Spec, formula: str, timeout: float = 10.0) -> Holds | Fails | Unknown:
    body = check_formula(spec, parse_formula(formula))
    result = Verifier(spec, timeout).check_claim(Claim("c", None, body, "holds", body.span))
    assert result.verdict != "error", result
    return result  # type: ignore[return-value]


def test_discretion_obliges_assistance_not_force(tmp_path: Path) -> None:
    spec = spec_of(ALLIANCE, tmp_path)
    held = verdict(spec, "every p in Party, v in Party where p != v: attacked(v) and invoked(v) implies obliged(p, assists(p, v))")
    assert isinstance(held, Holds)
    assert [item.name for item in held.core] == ["assist"]
    assert held.core[0].citation is not None and "art. 5" in held.core[0].citation
    failed = verdict(spec, "every p in Party, v in Party where p != v: attacked(v) and invoked(v) implies obliged(p, takes(p, force, v))")
    assert isinstance(failed, Fails)
    alternative = failed.scenario.alternatives[0]
    assert alternative.query == "obliged"
    assert any("aid" in act for act in alternative.acts), alternative


def test_counterexample_replays_in_the_evaluator(tmp_path: Path) -> None:
    spec = spec_of(ALLIANCE, tmp_path)
    failed = verdict(spec, "every v in Party: attacked(v) implies invoked(v)")
    assert isinstance(failed, Fails)
    assert failed.checked.startswith("counterexample replayed")
    assert any(label.startswith("attacked(") for label in failed.scenario.facts)


def test_without_invocation_nothing_is_obliged(tmp_path: Path) -> None:
    spec = spec_of(ALLIANCE, tmp_path)
    assert isinstance(verdict(spec, "every p in Party, v in Party: obliged(p, assists(p, v)) implies invoked(v)"), Holds)
    assert isinstance(verdict(spec, "every p in Party, v in Party: permitted(p, takes(p, force, v))"), Holds)
    assert isinstance(verdict(spec, "every p in Party: compliant(p)"), Fails)


def test_exact_rational_threshold(tmp_path: Path) -> None:
    text = """
spec "two thirds"
input present: 0..100 by nature
input concurring: 0..100 by nature
assume concurring <= present
define consent = 3 * concurring >= 2 * present and present >= 51
"""
    spec = spec_of(text, tmp_path)
    assert isinstance(verdict(spec, "consent iff concurring >= 2/3 * present and present >= 51"), Holds)
    assert isinstance(verdict(spec, "concurring = 34 and present = 51 implies consent"), Holds)
    assert isinstance(verdict(spec, "concurring = 33 and present = 50 implies not consent"), Holds)
    # 0.66 would be wrong: 66 of 100 is not two thirds.
    assert isinstance(verdict(spec, "concurring >= 66/100 * present implies concurring >= 2/3 * present"), Fails)


def test_vacuous_premise_is_flagged(tmp_path: Path) -> None:
    spec = spec_of(ALLIANCE + "\nassume never: every v in Party: not attacked(v)\n", tmp_path)
    held = verdict(spec, "every v in Party: attacked(v) implies invoked(v)")
    assert isinstance(held, Holds)
    assert any(w.startswith("vacuous") for w in held.warnings)


def test_contradictory_assumptions_are_flagged(tmp_path: Path) -> None:
    spec = spec_of(ALLIANCE + "\nassume attacked(A)\nassume not attacked(A)\n", tmp_path)
    held = verdict(spec, "invoked(A)")
    assert isinstance(held, Holds)
    assert any("contradict" in w for w in held.warnings)


def test_time_limit_gives_unknown(tmp_path: Path) -> None:
    text = """
spec "hard"
input x: 0..1000000 by nature
input y: 0..1000000 by nature
input z: 0..1000000 by nature
"""
    spec = spec_of(text, tmp_path)
    result = verdict(spec, "x * x * x + y * y * y != z * z * z or x = 0 or y = 0", timeout=0.5)
    assert result.verdict in ("unknown", "holds")
    if isinstance(result, Unknown):
        assert "time limit" in result.reason


@pytest.mark.parametrize("name", ["brussels.treaty"])
def test_spec_library_claims_as_expected(name: str) -> None:
    loaded = load_spec(ROOT / "specs" / name)
    verifier = Verifier(loaded.spec, 30)
    for claim in loaded.spec.claims:
        result = verifier.check_claim(claim)
        assert result.verdict == claim.expected, (claim.name, result)


def test_brussels_obliges_armed_force_where_nato_does_not() -> None:
    brussels = load_spec(ROOT / "specs" / "brussels.treaty").spec
    result = verdict(
        brussels,
        "every p in Party, v in Party where p != v: article_v_case(p, v) and in_power(p, armed_force)"
        " implies obliged(p, takes(p, armed_force, v))",
    )
    assert isinstance(result, Holds)


def test_evaluator_agrees_with_solver_on_a_concrete_world(tmp_path: Path) -> None:
    spec = spec_of(ALLIANCE, tmp_path)
    values = {("attacked", ("A",)): True}
    values.update({("agrees", (p, "A")): True for p in ("A", "B", "C")})
    ev = Evaluator(spec, World(spec, values))
    claim = check_formula(spec, parse_formula("obliged(B, assists(B, A)) and not obliged(B, takes(B, force, A))"))
    assert ev.holds(claim)
    brute = Evaluator(spec, World(spec, values), brute_force=True)
    assert brute.holds(claim)


def test_numeric_acts_are_not_assumed_satisfiable() -> None:
    """Regression: a group of number-valued acts was tried with true/false (True == 1 in Python)."""
    loaded = load_spec(ROOT / "tests" / "fixtures" / "numeric_conflict.treaty")
    claim = loaded.spec.claims[0]
    result = Verifier(loaded.spec, 10).check_claim(claim)
    assert result.verdict == "fails", result
