"""`treaty options`: an actor's options in a situation, complete up to a bound, each checked."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from solver import options as options_module
from solver.options import Options, options, summarize
from treaty_dsl.checker import check_formula
from treaty_dsl.evaluator import Evaluator, World
from treaty_dsl.loader import load_spec
from treaty_dsl.parser import parse_formula

SPECS = Path(__file__).resolve().parents[2] / "specs"

ALLY = """
spec "an alliance of three"
instrument T "T"
domain Party = {A, B, C}
domain Means = {force, money, words}
input attacked(v: Party) by nature
input able(p: Party, m: Means) by nature
input takes(p: Party, m: Means, v: Party) by p
input reports(p: Party, v: Party) by p
input trades(p: Party, q: Party) by p
define assists(p: Party, v: Party) = some m in Means: takes(p, m, v)
obligation assist(p: Party, v: Party)
  cite T article 1 quote "assist"
  bearer p
  when attacked(v) and p != v
  to assists(p, v)
obligation report(p: Party, v: Party)
  cite T article 2 quote "report"
  bearer p
  when assists(p, v)
  to reports(p, v)
prohibition no_force_unless_able(p: Party, v: Party)
  cite T article 3 quote "force"
  bearer p
  when not able(p, force)
  to takes(p, force, v)
"""


def run(tmp_path: Path, text: str, actor: str, given: str | None, limit: int = 64, timeout: float = 30.0) -> Options:
    path = tmp_path / "spec.treaty"
    path.write_text(text)
    spec = load_spec(path).spec
    formula = check_formula(spec, parse_formula(given, "<given>")) if given else None
    return options(spec, str(path), actor, formula, given or "", limit, timeout)


def brute_force(tmp_path: Path, text: str, actor: str, given: str, acts: list[str]) -> set[tuple[str, ...]]:
    """The options over `acts` by enumerating every world of the small spec with the evaluator."""
    path = tmp_path / "spec.treaty"
    path.write_text(text)
    spec = load_spec(path).spec
    from treaty_dsl import ir
    from treaty_dsl.grounding import atom_label, instances
    from treaty_dsl.types import BOOL, EnumT

    formula = check_formula(spec, parse_formula(given, "<given>"))
    atoms = [(name, args) for name, inp in spec.inputs.items() for args in instances(spec, inp)]
    found: set[tuple[str, ...]] = set()
    actor_expr = ir.Const(actor, EnumT("Party"))
    for values in itertools.product([False, True], repeat=len(atoms)):
        world = World(spec, dict(zip(atoms, values, strict=True)))
        ev = Evaluator(spec, world)
        if ev.holds(formula) and ev.holds(ir.Compliant(actor_expr, BOOL)):
            found.add(tuple(a for a in acts if world.get(next(x for x in atoms if atom_label(x) == a))))
    return found


def test_options_after_an_attack(tmp_path: Path) -> None:
    r = run(tmp_path, ALLY, "A", "attacked(B) and able(A, force)")
    assert r.status == "ok"
    own, group = r.groups
    # A's acts towards itself: reporting comes with assisting, which nothing requires
    assert own.summary() == ["if any of takes(A, {force, money, words}, A): also reports(A, A) (each of them free otherwise)"]
    assert group.complete and len(group.options) == 7
    assert group.summary() == ["required: reports(A, B)", "at least one of: takes(A, {force, money, words}, B)"]
    assert all(o.everywhere for o in group.options)
    assert group.norms_text() == "assist(A, B) (always active) [T art. 1]; report(A, B) [T art. 2]"
    # C may or may not be attacked: the acts towards C depend on it, and A's trade is free
    assert r.open_norms == {"assist": ["assist(A, C)"], "report": ["report(A, C)"]}
    assert r.free_acts == {}  # `trades` is a choice no norm reads: not an act (it stays as the world has it)
    settled = run(tmp_path, ALLY, "A", "attacked(B) and able(A, force) and not attacked(C)")
    assert settled.open_norms == {} and settled.free_acts == {}
    # C is not attacked: nothing obliges A to assist it, but assisting it is to be reported
    implied = "if any of takes(A, {force, money, words}, C): also reports(A, C) (each of them free otherwise)"
    assert settled.groups[-1].summary() == [implied]
    only_attacked = ALLY.replace("when assists(p, v)", "when assists(p, v) and attacked(v)")
    no_report = run(tmp_path, only_attacked, "A", "attacked(B) and not attacked(C) and not attacked(A) and able(A, force)")
    assert no_report.free_acts == {"takes": 6, "reports": 2}  # towards A itself and towards C


def test_options_agree_with_brute_force(tmp_path: Path) -> None:
    """The options listed are exactly the choices of the group's acts with which A complies in some
    world of the situation, found by evaluating every world of a smaller spec."""
    small = ALLY.replace("domain Party = {A, B, C}", "domain Party = {A, B}").replace("{force, money, words}", "{force, money}")
    small = small.replace("input trades(p: Party, q: Party) by p\n", "")
    r = run(tmp_path, small, "A", "attacked(B)")
    group = r.groups[-1]
    acts = group.acts
    listed = {tuple(a for a in acts if o.acts[a] == "true") for o in group.options}
    assert listed == brute_force(tmp_path, small, "A", "attacked(B)", acts)
    # force is an option only where A is able: not in every world of the situation
    forceful = [o for o in group.options if o.acts["takes(A, force, B)"] == "true"]
    assert forceful and all(not o.everywhere and "no_force_unless_able(A, B)" in o.counter for o in forceful)
    assert all(o.everywhere for o in group.options if o not in forceful)


def test_limit_truncates_and_says_so(tmp_path: Path) -> None:
    r = run(tmp_path, ALLY, "A", "attacked(B) and able(A, force)", limit=3)
    group = r.groups[-1]
    assert not group.complete and len(group.options) == 3


def test_impossible_situation_and_conflict(tmp_path: Path) -> None:
    assert run(tmp_path, ALLY, "A", "attacked(B) and not attacked(B)").status == "impossible"
    clash = ALLY + """
prohibition never_assist(p: Party, v: Party)
  cite T article 4 quote "never"
  bearer p
  when attacked(v)
  to assists(p, v)
"""
    r = run(tmp_path, clash, "A", "attacked(B)")
    assert r.status == "conflict"


def test_unknown_when_out_of_time(tmp_path: Path) -> None:
    r = run(tmp_path, ALLY, "A", "attacked(B)", timeout=1e-6)
    assert r.status == "unknown" and "time limit" in r.reason


def test_a_wrong_option_is_an_error_not_a_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted bug: compliance encoded as `true`; the evaluator rejects the first witness."""
    real = options_module._Finder._encode

    def wrong(self, e, env=None):  # type: ignore[no-untyped-def]
        from treaty_dsl import ir

        if isinstance(e, ir.Compliant):
            import z3

            return z3.BoolVal(True, self.enc.ctx)
        return real(self, e, env)

    monkeypatch.setattr(options_module._Finder, "_encode", wrong)
    r = run(tmp_path, ALLY, "A", "attacked(B) and able(A, force)")
    assert r.status == "error" and "does not replay" in r.reason


def test_summaries() -> None:
    acts = ["a", "b", "c"]

    def opts(*rows: str) -> list[dict[str, str]]:
        return [{x: "true" if x in row else "false" for x in acts} for row in rows]

    assert summarize(acts, opts("a", "b", "c")) == ["exactly one of: a, b, c"]
    assert summarize(acts, opts("", "a", "b", "c")) == ["at most one of: a, b, c"]
    assert summarize(acts, opts("ab", "abc")) == ["required: a, b", "free (either way): c"]
    assert summarize(acts, opts("", "b")) == ["excluded: a, c", "free (either way): b"]
    assert summarize(acts, opts("a", "bc")) == ["one of these: {a}; {b, c}"]
    assert summarize(acts, opts("", "c", "ac", "bc", "abc")) == ["if any of a, b: also c (each of them free otherwise)"]
    assert summarize(acts, opts("", "c", "bc", "abc")) == ["a only with b", "b only with c"]
    assert summarize(acts, []) == ["no option"]


def test_us_law_with_and_without_the_senate() -> None:
    spec = load_spec(SPECS / "us_law.treaty").spec

    def ask(given: str) -> Options:
        return options(spec, "us_law", "President", check_formula(spec, parse_formula(given, "<given>")), given)

    without = ask("not withdrawal_authorized")
    notice = next(g for g in without.groups if "us_notice_of_denunciation" in g.acts)
    assert "excluded: us_notice_of_denunciation" in notice.summary()
    funds = next(g for g in without.groups if g.acts == ["funds_support_withdrawal"])
    assert funds.summary() == ["excluded: funds_support_withdrawal"]
    with_senate = ask("senate_advice_and_consent")
    notice = next(g for g in with_senate.groups if "us_notice_of_denunciation" in g.acts)
    chosen = [o for o in notice.options if o.acts["us_notice_of_denunciation"] == "true"]
    assert len(chosen) == 1 and chosen[0].acts["notifies_committees"] == "true" and chosen[0].acts["consults_committees"] == "true"
    assert "day_of(us_notice_of_denunciation)" in chosen[0].acts


def test_cli_options(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ally.treaty").write_text(ALLY)
    run_ = cli("options", "ally.treaty", "A", "--given", "attacked(B)", "--given", "able(A, force)")
    assert run_.code == 0, run_.err
    assert "takes(A, {force, money, words}, B), reports(A, B): 7 options" in run_.out
    assert "at least one of: takes(A, {force, money, words}, B)" in run_.out
    doc = json.loads(cli("options", "ally.treaty", "A", "--given", "attacked(B)", "--format", "json").out)
    assert doc["status"] == "ok" and doc["groups"][-1]["complete"] is True
    assert cli("options", "ally.treaty", "A", "--given", "attacked(B) and not attacked(B)").code == 1
    bad = cli("options", "ally.treaty", "Z", "--given", "attacked(B)")
    assert bad.code == 2 and "`Z` is not a value" in bad.err
    bad = cli("options", "ally.treaty", "A", "--given", "obliged(A, assists(A, B))")
    assert bad.code == 2 and "cannot ask deontic questions" in bad.err
    bad = cli("options", "ally.treaty", "A", "--given", "attacked(X)")
    assert bad.code == 2 and "error[" in bad.err
    limited = cli("options", "ally.treaty", "A", "--given", "attacked(B) and able(A, force)", "--limit", "2")
    assert "more than 2 options; the first 2 are listed" in limited.out


def test_command_defaults_match_the_search() -> None:
    from solver import options_command, repair_command, repairs

    assert options_command.DEFAULT_LIMIT == options_module.DEFAULT_LIMIT
    assert (repair_command.DEFAULT_MAX_SIZE, repair_command.DEFAULT_LIMIT) == (repairs.DEFAULT_MAX_SIZE, repairs.DEFAULT_LIMIT)


def test_options_under_a_reading(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    text = ALLY + 'interpretation no_reports "no reporting" {\n  obligation report(p: Party, v: Party)\n' + (
        '    cite T article 2 quote "report"\n    bearer p\n    when false\n    to reports(p, v)\n}\n'
    )
    (tmp_path / "ally.treaty").write_text(text)
    plain = cli("options", "ally.treaty", "A", "--given", "attacked(B) and able(A, force)")
    assert "required: reports(A, B)" in plain.out
    under = cli("options", "ally.treaty", "A", "--given", "attacked(B) and able(A, force)", "--under", "no_reports")
    assert under.code == 0 and "required: reports(A, B)" not in under.out
    assert "at least one of: takes(A, {force, money, words}, B)" in under.out


def test_assumptions_restrict_the_options(tmp_path: Path) -> None:
    """An assumption on the actor's acts (no force against B) is part of every option's world."""
    r = run(tmp_path, ALLY + "assume never_force: not takes(A, force, B)\n", "A", "attacked(B) and able(A, force)")
    group = next(g for g in r.groups if "takes(A, force, B)" in g.acts)
    assert group.summary() == ["required: reports(A, B)", "at least one of: takes(A, {money, words}, B)", "excluded: takes(A, force, B)"]
