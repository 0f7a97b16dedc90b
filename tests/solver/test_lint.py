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
