"""`--certify`: the query of each verdict exported as SMT-LIB 2 and answered by cvc5."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import certify, smtlib
from solver.results import Fails, Holds, InternalError
from solver.verify import Verifier, check_spec
from treaty_dsl.loader import load_spec

pytest.importorskip("cvc5")

SPECS = Path(__file__).resolve().parents[2] / "specs"

ASSUMED = """
spec "an assumption decides"
instrument T "T"
domain Party = {A, B}
input attacked(p: Party) by nature
input helps(p: Party, q: Party) by p
assume only_b: not attacked(A)
obligation help(p: Party, q: Party)
  cite T article 1 quote "help"
  bearer p
  when attacked(q) and p != q
  to helps(p, q)
claim a_never_helped: not obliged(B, helps(B, A)) expect holds
claim b_helped: attacked(B) implies obliged(A, helps(A, B)) expect holds
claim a_obliged_always: obliged(A, helps(A, B)) expect fails
"""


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "spec.treaty"
    path.write_text(text)
    return load_spec(path).spec


def test_cvc5_agrees_on_holds_and_fails(tmp_path: Path) -> None:
    results = list(check_spec(load(tmp_path, ASSUMED), certify=True))
    assert [r.verdict for r in results] == ["holds", "holds", "fails"]
    for r in results:
        assert isinstance(r, Holds | Fails)
        assert r.certificate is not None
        assert (r.certificate.status, r.certificate.answer) == ("agrees", "unsat" if r.verdict == "holds" else "sat")


def test_a_wrong_export_is_caught_as_a_disagreement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted bug: the slice forgets the assumptions; cvc5 then finds the claim false, and
    the verdict becomes an internal error with both answers."""
    real = smtlib.Slicer.slice

    def forgetful(self, goal):  # type: ignore[no-untyped-def]
        self._learn()
        self._constraints = []
        return real(self, goal)

    monkeypatch.setattr(smtlib.Slicer, "slice", forgetful)
    results = list(check_spec(load(tmp_path, ASSUMED), certify=True))
    first = results[0]
    assert isinstance(first, InternalError)
    assert "Z3: unsat (holds), cvc5: sat" in first.reason


def test_undecided_keeps_the_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certify, "solve", lambda script, logic, timeout_s: ("unknown", "cvc5 could not decide it within the time limit"))
    results = list(check_spec(load(tmp_path, ASSUMED), certify=True))
    assert [r.verdict for r in results] == ["holds", "holds", "fails"]
    assert all(isinstance(r, Holds | Fails) and r.certificate and r.certificate.status == "undecided" for r in results)


def test_refused_script_is_undecided_not_a_verdict() -> None:
    answer, reason = certify.solve("(set-logic QF_LIA)\n(assert (> x 0))\n(check-sat)\n", "QF_LIA", 5)
    assert answer == "unknown" and "refused" in reason


def test_logic_names() -> None:
    assert smtlib.logic_name(smtlib.INTS) == "QF_LIA"
    assert smtlib.logic_name(smtlib.QUANTIFIERS | smtlib.DATATYPES | smtlib.INTS) == "DTLIA"
    assert smtlib.logic_name(smtlib.FUNCTIONS | smtlib.DATATYPES | smtlib.INTS | smtlib.REALS) == "QF_UFDTLIRA"


def test_slice_keeps_the_reached_definitions_only(tmp_path: Path) -> None:
    text = ASSUMED + "define unrelated = attacked(B) and helps(B, A)\nclaim other: unrelated implies attacked(B) expect holds\n"
    spec = load(tmp_path, text)
    verifier = Verifier(spec, certify=True)
    for claim in [spec.claims[-1], spec.claims[0]]:  # `other` first: its definition is encoded
        verifier.check_claim(claim)
    assert "definition:unrelated" in verifier.enc.tracked
    formulas, features = smtlib.Slicer(verifier.enc).slice(verifier._query)
    text = "\n".join(map(str, formulas))
    assert "def!unrelated" not in text
    assert "Not(attacked(A))" in text  # the assumption is a constraint: always kept
    assert features & smtlib.QUANTIFIERS == 0


@pytest.mark.parametrize("name", ["us_law.treaty", "brussels.treaty", "seato.treaty"])
def test_shipped_specs_certified(name: str) -> None:
    """Every verdict of these specs is confirmed by cvc5 (the logic declared is one cvc5 accepts:
    a refusal would be `undecided`). CI certifies all of specs/."""
    results = list(check_spec(load_spec(SPECS / name).spec, certify=True))
    assert results
    logics = set()
    for r in results:
        assert isinstance(r, Holds | Fails), (r.claim.name, r.verdict)
        assert r.certificate is not None and r.certificate.status == "agrees", (r.claim.name, r.certificate)
        logics.add(r.certificate.logic)
    if name == "us_law.treaty":
        # the President's groups of acts are large enough for a Z3 quantifier: cvc5 takes those too
        assert "LIA" in logics and "QF_LIA" in logics


def test_cli_certify(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.treaty").write_text(ASSUMED)
    run = cli("check", "spec.treaty", "--certify", "-j", "1")
    assert run.code == 0, run.out + run.err
    assert run.out.count("second solver: cvc5 agrees") == 3
    run = cli("prove", "spec.treaty", "obliged(A, helps(A, B))", "--certify", "--format", "json")
    assert run.code == 1
    assert '"second_solver"' in run.out and '"answer": "sat"' in run.out


def test_cli_disagreement_exits_4(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.treaty").write_text(ASSUMED)
    monkeypatch.setattr(certify, "solve", lambda script, logic, timeout_s: ("sat", ""))
    run = cli("check", "spec.treaty", "--certify", "-j", "1")
    assert run.code == 4
    assert "the solvers disagree: Z3: unsat (holds), cvc5: sat" in run.out


def test_cli_certify_without_cvc5(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.treaty").write_text(ASSUMED)
    monkeypatch.setattr(certify, "available", lambda: False)
    run = cli("check", "spec.treaty", "--certify")
    assert run.code == 2
    assert "treaty-dsl[certify]" in run.err


def test_certify_in_worker_processes(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.treaty").write_text(ASSUMED)
    (tmp_path / "b.treaty").write_text(ASSUMED.replace("an assumption decides", "a second copy"))
    run = cli("check", "a.treaty", "b.treaty", "--certify", "-j", "2")
    assert run.code == 0, run.out + run.err
    assert run.out.count("second solver: cvc5 agrees") == 6
