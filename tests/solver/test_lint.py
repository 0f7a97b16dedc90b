"""`treaty lint`: a planted conflict is found with its witness; a clean spec has no conflicts."""

from __future__ import annotations

import io
import json
from pathlib import Path

from solver.cli import main
from solver.lint import lint
from treaty_dsl.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]


def test_planted_conflict_is_reported_with_witness() -> None:
    spec = load_spec(ROOT / "tests" / "fixtures" / "conflict.treaty").spec
    findings = [f for f in lint(spec, 10) if f.code == "L001"]
    assert len(findings) == 2
    witness = findings[0].scenario
    assert witness is not None
    assert witness.facts.get("emergency") == "true"
    assert set(witness.norms) == {"must_deploy(A)", "must_not_deploy(A)"}


def test_brussels_lints_clean() -> None:
    out = io.StringIO()
    code = main(["lint", str(ROOT / "specs" / "brussels.treaty"), "--format", "json"], out=out, err=io.StringIO())
    doc = json.loads(out.getvalue())
    assert doc["findings"] == [], doc["findings"]
    assert code == 0


def test_unused_declarations_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "unused.treaty"
    path.write_text('spec "u"\ninstrument T "t"\ndomain D = {a, b}\ninput x by nature\ndefine y = x\nclaim c: x or not x expect holds\n')
    codes = sorted((f.code, f.message.split("`")[1]) for f in lint(load_spec(path).spec, 10))
    assert ("L004", "y") in codes
    assert ("L004", "D") in codes
    assert ("L004", "T") in codes
    assert ("L004", "x") not in codes


def test_unused_vocabulary_is_not_reported(tmp_path: Path) -> None:
    # A file without norms, powers, claims or scenarios is vocabulary: what a spec leaves unused
    # there is not a finding, alone or through `use`; the using file's own declarations still are.
    (tmp_path / "vocabulary.treaty").write_text("domain Means = {force, aid}\ninput council_acted by nature\n")
    alone = lint(load_spec(tmp_path / "vocabulary.treaty").spec, 10)
    assert alone == []
    path = tmp_path / "user.treaty"
    path.write_text('use "vocabulary.treaty"\ninput x by nature\ndefine y = x\nclaim c: x or not x expect holds\n')
    found = sorted((f.code, f.message.split("`")[1]) for f in lint(load_spec(path).spec, 10))
    assert found == [("L004", "y")]


# ---- an inconclusive lint never reads as clean ----

CUBES = """\
input a: 1..1000000 by nature
input b: 1..1000000 by nature
input c: 1..1000000 by nature
"""


def run_lint(path: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    out = io.StringIO()
    code = main(["lint", str(path), "--format", "json", *extra], out=out, err=io.StringIO())
    return code, json.loads(out.getvalue())


def test_a_claim_whose_check_is_unknown_is_a_finding_and_exit_3(tmp_path: Path) -> None:
    # Regression: lint dropped claims that ended `unknown`: 0 findings, exit 0.
    path = tmp_path / "cubes.treaty"
    path.write_text(CUBES + "claim cubes: a * a * a + b * b * b != c * c * c expect holds\n")
    code, doc = run_lint(path, "--timeout", "1")
    assert [(f["code"], f["severity"], f["line"]) for f in doc["findings"]] == [("L005", "warning", 4)]
    assert doc["findings"][0]["message"] == "could not decide whether claim `cubes` holds only vacuously: time limit of 1 s reached"
    assert doc["summary"]["inconclusive"] == 1
    assert code == 3


def test_assumptions_whose_consistency_is_unknown_are_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "fermat.treaty"
    path.write_text(CUBES + "assume fermat: a * a * a + b * b * b = c * c * c\n")
    code, doc = run_lint(path, "--timeout", "1")
    assert [(f["code"], f["message"]) for f in doc["findings"]] == [
        ("L005", "could not decide whether the assumptions are consistent: time limit of 1 s reached")
    ]
    assert code == 3


def test_other_findings_come_first_in_the_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "cubes.treaty"
    path.write_text(CUBES + "input unused by nature\nclaim cubes: a * a * a + b * b * b != c * c * c expect holds\n")
    code, doc = run_lint(path, "--timeout", "1")
    assert sorted(f["code"] for f in doc["findings"]) == ["L004", "L005"]
    assert code == 1


def test_the_text_summary_says_checks_were_inconclusive(tmp_path: Path) -> None:
    path = tmp_path / "cubes.treaty"
    path.write_text(CUBES + "claim cubes: a * a * a + b * b * b != c * c * c expect holds\n")
    out = io.StringIO()
    assert main(["lint", str(path), "--timeout", "1"], out=out, err=io.StringIO()) == 3
    assert "warning[L005]: could not decide whether claim `cubes` holds only vacuously" in out.getvalue()
    assert "lint: 0 errors, 1 warnings (1 checks inconclusive: limits reached) in " in out.getvalue()


def test_an_internal_error_in_a_lint_check_is_a_finding_and_exit_4(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from solver import lint as lint_module
    from solver.results import ClaimInfo, InternalError

    def broken(self, claim, interpretation=None):  # type: ignore[no-untyped-def]
        info = ClaimInfo(claim.name, claim.span.file, claim.span.line, claim.text, claim.expected, interpretation)
        return InternalError(info, "the proof's core does not re-check on its own", [], 0.0)

    monkeypatch.setattr(lint_module.Verifier, "check_claim", broken)
    path = tmp_path / "small.treaty"
    path.write_text(CUBES + "claim easy: a >= 1 and b >= 1 and c >= 1 expect holds\n")
    code, doc = run_lint(path)
    assert [(f["code"], f["severity"]) for f in doc["findings"]] == [("L006", "error")]
    assert "internal error while checking claim `easy`" in doc["findings"][0]["message"]
    assert code == 4
