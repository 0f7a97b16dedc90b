"""`treaty repair`: minimal declarations, readings and extra facts that make a failing claim hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solver import repairs as repairs_module
from solver.repairs import Repairs, repairs
from treaty_dsl.loader import load_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"

WITHDRAWAL = """
spec "withdrawal with two brakes"
instrument T "T"
instrument S "S"
domain Party = {A, B}
input notice(p: Party) by p
input senate_agrees by nature
input congress_agrees by nature
input emergency by nature
state member(p: Party) initially true
power leave(p: Party)
  cite T article 1 quote "leave"
  holder p
  by notice_event(p)
  takes effect immediately
  ends member(p)
event notice_event(p: Party) by p
prohibition statute(p: Party)
  cite S article 1 quote "not without"
  bearer p
  when not (senate_agrees and congress_agrees)
  to notice(p)
prohibition emergency_rule(p: Party)
  cite S article 2 quote "not in an emergency"
  bearer p
  when emergency
  to notice(p)
claim stays: every p in Party: member(p) at 2100-01-01 expect fails
claim notice_lawful: notice(A) and not emergency implies not violated(statute(A)) expect fails
claim notice_permitted: permitted(A, notice(A)) expect fails
claim vacuous_only: notice(A) and not senate_agrees implies not violated(statute(A)) expect fails
interpretation lenient "the statute binds in an emergency only" {
  prohibition statute(p: Party)
    cite S article 1 quote "not without"
    bearer p
    when emergency and not (senate_agrees and congress_agrees)
    to notice(p)
}
interpretation no_statute "the statute binds nobody" {
  prohibition statute(p: Party)
    cite S article 1 quote "not without"
    bearer p
    when false
    to notice(p)
}
interpretation strict_emergency "no emergency rule" {
  prohibition emergency_rule(p: Party)
    cite S article 2 quote "not in an emergency"
    bearer p
    when false
    to notice(p)
}
"""


def ask(tmp_path: Path, name: str, max_size: int = 2, limit: int = 8, readings: bool = True) -> Repairs:
    path = tmp_path / "spec.treaty"
    path.write_text(WITHDRAWAL)
    loaded = load_spec(path, all_claims=True)
    claim = next(c for c in loaded.spec.claims if c.name == name)
    reading_specs = {}
    if readings:
        for key in ("lenient", "no_statute", "strict_emergency", "no_statute+strict_emergency", "lenient+strict_emergency"):
            reading_specs[key] = load_spec(path, reading=key, all_claims=True).spec
        reading_specs["lenient+no_statute"] = "both declare statute"
    return repairs(loaded.spec, str(path), claim, reading_specs, max_size, limit)  # type: ignore[arg-type]


def items(r: Repairs, kind: str) -> list[list[str]]:
    search = next(s for s in r.searches if s.kind == kind)
    return [rep.items for rep in search.repairs]


def test_removing_the_power_repairs_membership(tmp_path: Path) -> None:
    r = ask(tmp_path, "stays")
    assert r.verdict == "fails"
    [[power]] = items(r, "declarations")
    assert power.startswith("power leave (") and "[T art. 1]" in power
    assert items(r, "facts") == [["not notice_event(A)", "not notice_event(B)"]]


def test_statute_repairs_of_three_kinds(tmp_path: Path) -> None:
    r = ask(tmp_path, "notice_lawful")
    assert [x[0].split(" (")[0] for x in items(r, "declarations")] == ["norm statute"]
    assert items(r, "readings") == [["lenient"], ["no_statute"]]
    # a single fact does not do; both chambers agreeing does (and nothing smaller)
    assert items(r, "facts") == [["senate_agrees", "congress_agrees"]]
    facts = next(s for s in r.searches if s.kind == "facts")
    assert ["not notice(A)"] in facts.vacuous and ["emergency"] in facts.vacuous


def test_a_pair_of_declarations_is_minimal(tmp_path: Path) -> None:
    r = ask(tmp_path, "notice_permitted")
    assert sorted(x.split(" (")[0] for x in items(r, "declarations")[0]) == ["norm emergency_rule", "norm statute"]
    assert items(r, "readings") == [["no_statute", "strict_emergency"]]
    assert items(r, "facts") == []  # both chambers and no emergency: three facts
    three = ask(tmp_path, "notice_permitted", max_size=3)
    assert items(three, "facts") == [["senate_agrees", "congress_agrees", "not emergency"]]
    one = ask(tmp_path, "notice_permitted", max_size=1)
    assert items(one, "declarations") == [] and items(one, "readings") == []


def test_vacuous_repairs_are_not_repairs(tmp_path: Path) -> None:
    r = ask(tmp_path, "vacuous_only")
    facts = next(s for s in r.searches if s.kind == "facts")
    assert ["senate_agrees"] in facts.vacuous and ["senate_agrees"] not in items(r, "facts")


def test_limit_truncates(tmp_path: Path) -> None:
    r = ask(tmp_path, "stays", limit=1)
    facts = next(s for s in r.searches if s.kind == "facts")
    assert len(facts.repairs) == 1 and facts.status == "truncated"
    declarations = next(s for s in r.searches if s.kind == "declarations")
    assert len(declarations.repairs) == 1 and declarations.status == "truncated"


def test_budget_gives_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repairs_module, "CALL_BUDGET", 2)
    r = ask(tmp_path, "notice_lawful")
    assert any(s.status == "unknown" and "solver calls" in s.reason for s in r.searches)


def test_a_claim_that_holds_has_nothing_to_repair(tmp_path: Path) -> None:
    path = tmp_path / "spec.treaty"
    path.write_text(WITHDRAWAL)
    spec = load_spec(path, all_claims=True).spec
    from treaty_dsl.checker import check_formula
    from treaty_dsl.ir import Claim
    from treaty_dsl.parser import parse_formula

    body = check_formula(spec, parse_formula("notice(A) and emergency implies violated(emergency_rule(A))", "<f>"))
    r = repairs(spec, str(path), Claim("c", None, body, "holds", body.span))
    assert r.verdict == "holds" and r.searches == []


def test_a_repair_that_does_not_recheck_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted bug: the re-check of a removal sees the spec unchanged."""
    monkeypatch.setattr(repairs_module.copy, "deepcopy", lambda x: x)
    real = object.__setattr__

    def keep(obj, name, value):  # type: ignore[no-untyped-def]
        if name != "when":
            real(obj, name, value)

    monkeypatch.setattr(repairs_module, "object", type("O", (), {"__setattr__": staticmethod(keep)}), raising=False)
    r = ask(tmp_path, "notice_lawful", readings=False)
    declarations = next(s for s in r.searches if s.kind == "declarations")
    assert declarations.status == "error" and "did not re-check" in declarations.reason


def test_us_law_repairs() -> None:
    loaded = load_spec(SPECS / "us_law.treaty", all_claims=True)
    claim = next(c for c in loaded.spec.claims if c.name == "congress_cannot_compel_force")
    r = repairs(loaded.spec, "us_law", claim)
    assert [x[0].split(" (")[0] for x in items(r, "declarations")] == ["norm statute_directs_force"]
    assert items(r, "facts") == [["not later_statute_directs_force"]]


def test_cli_repair(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.treaty").write_text(WITHDRAWAL)
    run = cli("repair", "w.treaty", "notice_lawful")
    assert run.code == 0, run.err
    assert "- without norm statute (w.treaty:" in run.out
    assert "- under the reading lenient" in run.out and "- under the reading no_statute" in run.out
    assert "- if, in addition, senate_agrees and congress_agrees" in run.out
    doc = json.loads(cli("repair", "w.treaty", "notice_lawful", "--format", "json").out)
    assert doc["verdict"] == "fails" and {s["kind"] for s in doc["searches"]} == {"declarations", "readings", "facts"}
    formula = cli("repair", "w.treaty", "notice(B) and not emergency implies not violated(statute(B))")
    assert formula.code == 0 and "if, in addition, senate_agrees and congress_agrees" in formula.out
    assert cli("repair", "w.treaty", "no_such_claim_or_formula(").code == 2
    holds = cli("repair", "w.treaty", "true")
    assert holds.code == 0 and "nothing to repair" in holds.out


def test_cli_repair_out_of_time_is_unknown(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.treaty").write_text(WITHDRAWAL)
    run = cli("repair", "w.treaty", "notice_permitted", "--timeout", "0.000001")
    assert run.code == 3, run.out
    assert "unknown" in run.out or "not finished" in run.out


def test_assumptions_count_in_repairs(tmp_path: Path) -> None:
    """With an assumption that the senate always agrees, congress agreeing alone repairs the claim."""
    text = WITHDRAWAL + "assume senate_always: senate_agrees\n"
    path = tmp_path / "spec.treaty"
    path.write_text(text)
    loaded = load_spec(path, all_claims=True)
    claim = next(c for c in loaded.spec.claims if c.name == "notice_lawful")
    r = repairs(loaded.spec, str(path), claim)
    assert items(r, "facts") == [["congress_agrees"]]
