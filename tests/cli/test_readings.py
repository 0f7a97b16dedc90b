"""Interpretations on the command line: checks per reading, `--under`, `compare`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from solver.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "readings" / "readings.treaty"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_check_runs_each_claim_under_each_reading_it_expects_something_for() -> None:
    code, out, _ = run("check", str(FIXTURE))
    assert code == 0
    assert "assembly_cannot_compel: fails (expected fails)" in out
    assert "assembly_cannot_compel [under chief_decides]: holds (expected holds)" in out
    # no expectation under chief_decides: not checked there by default
    assert "duty_applies_when_directed [under chief_decides]" not in out
    assert "3 claims, 3 as expected" in out


def test_under_checks_every_claim_under_that_reading() -> None:
    code, out, _ = run("check", str(FIXTURE), "--under", "chief_decides")
    assert code == 0
    assert "assembly_cannot_compel [under chief_decides]: holds (expected holds)" in out
    # the permission defeats the statutory duty, so it is no longer active
    assert "duty_applies_when_directed [under chief_decides]: fails (no expectation under this reading)" in out


def test_an_unknown_reading_is_a_usage_error() -> None:
    code, _, err = run("check", str(FIXTURE), "--under", "nonsense")
    assert code == 2
    assert "no spec declares the interpretation `nonsense`" in err


def test_compare_marks_the_rows_where_readings_differ() -> None:
    code, out, _ = run("compare", str(FIXTURE))
    assert code == 0
    table = out.split("what flips")[0]
    rows = {line.split()[0]: line for line in table.splitlines() if line.startswith("  ") and line.split()}
    assert "<- readings differ" in rows["assembly_cannot_compel"]
    assert "<- readings differ" in rows["duty_applies_when_directed"]
    assert "1 claims" not in out and "2 claims, 2 decided differently by the readings" in out


def test_compare_json() -> None:
    code, out, _ = run("compare", str(FIXTURE), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    claims = {c["claim"]: c for c in doc["specs"][0]["claims"]}
    assert doc["specs"][0]["readings"] == ["as written", "chief_decides"]
    assert claims["assembly_cannot_compel"]["differs"] is True
    assert claims["assembly_cannot_compel"]["verdicts"]["as written"] == {"verdict": "fails", "expected": "fails"}
    assert claims["assembly_cannot_compel"]["verdicts"]["chief_decides"] == {"verdict": "holds", "expected": "holds"}


def test_prove_under_a_reading() -> None:
    code, out, _ = run("prove", str(FIXTURE), "not obliged(chief, acts)", "--under", "chief_decides")
    assert code == 0, out
    code, out, _ = run("prove", str(FIXTURE), "not obliged(chief, acts)")
    assert code == 1, out


INSIDE = """
domain P = {a, b}
input x(p: P) by nature
define good(p: P) = x(p)
interpretation strict "only a can be good" {
  define good(p: P) = x(p) and p = a
  claim only_a: every p in P: good(p) implies p = a expect holds
  scenario b_is_never_good "b does a" given x(b) expect not good(b)
}
claim good_is_x: every p in P: good(p) implies x(p) expect holds
"""


def test_claims_declared_inside_an_interpretation_are_checked_under_it(tmp_path: Path) -> None:
    """Found in this session: their `expect` was dropped, so `treaty check` never ran them."""
    (tmp_path / "inside.treaty").write_text(INSIDE)
    code, out, _ = run("check", str(tmp_path / "inside.treaty"), "-j", "1")
    assert code == 0, out
    assert "only_a [under strict]: holds (expected holds)" in out
    assert "b_is_never_good [under strict]: holds (expected holds)" in out
    assert "good_is_x: holds (expected holds)" in out
    assert "3 claims, 3 as expected" in out


def test_a_claim_inside_an_interpretation_cannot_expect_under_another(tmp_path: Path) -> None:
    text = INSIDE.replace("p = a expect holds", "p = a expect holds under loose") + 'interpretation loose "x" {\n}\n'
    (tmp_path / "inside.treaty").write_text(text)
    code, _, err = run("check", str(tmp_path / "inside.treaty"), "-j", "1")
    assert code == 2
    assert "error[E0119]: claim `only_a` is declared inside interpretation `strict`" in err


# ---- composed readings ----

PAIR = """
spec "readings that flip a claim only together"
instrument T "T"
domain P = {A}
input y by nature
define d1 = false
define d2 = false
claim needs_both: not (d1 and d2) expect holds
claim untouched: not (d1 and not d1) expect holds
interpretation r1 "one" {
  define d1 = true
}
interpretation r2 "two" {
  define d2 = true
}
interpretation r3 "three" {
  define d1 = y
}
"""


def pair_spec(tmp_path: Path) -> Path:
    path = tmp_path / "pair.treaty"
    path.write_text(PAIR)
    return path


def test_under_composes_readings(tmp_path: Path) -> None:
    path = str(pair_spec(tmp_path))
    code, out, _ = run("check", path, "--under", "r1")
    assert "needs_both [under r1]: holds" in out
    code, out, _ = run("check", path, "--under", "r1,r2", "-j", "1")
    assert code == 0
    assert "needs_both [under r1+r2]: fails (no expectation under this reading)" in out
    code, out, _ = run("prove", path, "not (d1 and d2)", "--under", "r2+r3")
    assert code == 1 and "[under r2+r3]" in out


def test_readings_that_declare_the_same_thing_do_not_compose(tmp_path: Path) -> None:
    code, out, err = run("check", str(pair_spec(tmp_path)), "--under", "r1,r3")
    assert code == 2
    assert "error[E0124]: interpretations `r1` and `r3` both declare `d1`: they cannot be composed" in err
    code, _, err = run("check", str(pair_spec(tmp_path)), "--under", "r1,nonsense")
    assert code == 2 and "no spec declares the interpretation" in err


def test_compare_reports_minimal_flipping_sets(tmp_path: Path) -> None:
    code, out, _ = run("compare", str(pair_spec(tmp_path)))
    assert code == 0
    assert "needs_both  holds as written, fails under {r1, r2}; {r2, r3}" in out
    assert "untouched" not in out.split("what flips")[1]
    assert "r1 + r3: not composable (interpretations `r1` and `r3` both declare `d1`" in out
    # single readings only: no flip at all
    code, out, _ = run("compare", str(pair_spec(tmp_path)), "--compose", "1")
    assert "no set of up to 1 readings changes any verdict" in out


def test_compare_json_flips(tmp_path: Path) -> None:
    code, out, _ = run("compare", str(pair_spec(tmp_path)), "--format", "json")
    doc = json.loads(out)["specs"][0]
    claims = {c["claim"]: c for c in doc["claims"]}
    assert claims["needs_both"]["flips"] == [["r1", "r2"], ["r2", "r3"]]
    assert claims["needs_both"]["combinations"]["r1+r2"] == "fails"
    assert claims["untouched"]["flips"] == []
    assert "r1+r3" in doc["not_composable"] and doc["compose"] == 3


def test_a_superset_of_a_flip_is_not_a_minimal_flip(tmp_path: Path) -> None:
    from solver.compare import OWN_READING, Row
    from solver.results import ClaimInfo, Holds

    def res(verdict: str) -> Holds:
        return Holds(ClaimInfo("c", "f", 1, None, None), [], [], 0.0, "", verdict=verdict)

    row = Row("c", "f", 1, {OWN_READING: res("holds"), "a": res("fails"), "b": res("holds")}, {"a+b": res("holds"), "b+c": res("fails")})
    row.cells["c"] = res("holds")
    assert row.flips() == [("a",), ("b", "c")]


def test_undecided_sets_are_reported() -> None:
    from solver.compare import OWN_READING, Row, Table, _flip_lines
    from solver.results import ClaimInfo, Holds, Unknown

    info = ClaimInfo("c", "f", 1, None, None)
    row = Row("c", "f", 1, {OWN_READING: Holds(info, [], [], 0.0, ""), "a": Unknown(info, "time limit", [], 0.0)})
    assert row.flips() == [] and row.undecided() == [("a",)]
    lines = _flip_lines(Table("s", "t", [OWN_READING, "a"], {}, [row]))
    assert any("undecided under {a}" in line for line in lines)


def test_one_block_declaring_a_name_twice_still_checks(tmp_path: Path) -> None:
    """Within one interpretation the last declaration of a name stands (composition is about two)."""
    one = 'interpretation r1 "one" {\n  define d1 = true\n}'
    text = PAIR.replace(one, 'interpretation r1 "one" {\n  define d1 = false\n  define d1 = true\n}')
    path = tmp_path / "twice.treaty"
    path.write_text(text)
    code, out, err = run("check", str(path), "--under", "r1,r2", "-j", "1")
    assert code == 0, err
    assert "needs_both [under r1+r2]: fails" in out
