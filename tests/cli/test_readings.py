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
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and line.split()}
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
