"""The pytest plugin (`solver/pytest_plugin.py`): `.treaty` files collected as tests.

Each test runs pytest in a subprocess on spec files copied to a temporary folder (with an ini file
of its own, so this project's configuration does not apply) and reads the outcome of every item
from pytest's JUnit XML report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = """
scenario attacked_and_invoked "An attack on EE that every party agrees to answer"
  given armed_attack(EE)
  given every p in Party: agrees_to_invoke(p, EE)
  expect obliged(US, assists(US, EE))
  expect not obliged(US, takes(US, armed_force, EE))
"""


@dataclass
class Case:
    outcome: str  # passed | failed | error | skipped
    text: str  # the failure report
    file: str
    line: int
    properties: dict[str, str]  # the item's user properties: expected, verdict


@dataclass
class PytestRun:
    code: int
    out: str
    cases: dict[str, Case]  # FILE::ITEM -> outcome


def run_pytest(folder: Path, *args: str) -> PytestRun:
    (folder / "pytest.ini").write_text("[pytest]\n")
    report = folder.parent / f"{folder.name}-junit.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "junit_family=xunit1", f"--junitxml={report}", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    cases: dict[str, Case] = {}
    if report.exists():
        for tc in ET.parse(report).getroot().iter("testcase"):
            outcome, text = "passed", ""
            for tag in ("failure", "error", "skipped"):
                element = tc.find(tag)
                if element is not None:
                    outcome, text = ("failed" if tag == "failure" else tag), (element.text or "") + element.get("message", "")
            file = tc.get("file", "")
            properties = {p.get("name", ""): p.get("value", "") for p in tc.iter("property")}
            cases[f"{file}::{tc.get('name', '')}"] = Case(outcome, text, file, int(tc.get("line", "-1")), properties)
    return PytestRun(proc.returncode, proc.stdout + proc.stderr, cases)


@pytest.fixture
def folder(tmp_path: Path, fixtures_dir: Path) -> Path:
    """ok.treaty (4 claims as expected), scenario.treaty (the same plus a scenario of 2 expectations)."""
    specs = tmp_path / "specs"
    specs.mkdir()
    small = (fixtures_dir / "small.treaty").read_text()
    (specs / "ok.treaty").write_text(small)
    (specs / "scenario.treaty").write_text(small + SCENARIO)
    return specs


def check_verdicts(cli, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, bool]]:  # type: ignore[no-untyped-def]
    """`treaty check FOLDER`: FILE::CLAIM (as the plugin names its item) -> as expected."""
    monkeypatch.chdir(folder)
    run = cli("check", ".", "--format", "json")
    doc = json.loads(run.out)
    ok = {}
    for c in doc["claims"]:
        name = item_key(c)
        assert name not in ok
        ok[name] = c["ok"]
    return run.code, ok


def item_key(claim: dict) -> str:  # type: ignore[type-arg]
    """The key of a claim of `treaty check --format json` in `PytestRun.cases`."""
    name = claim["name"] if claim["interpretation"] is None else f"{claim['name']}@{claim['interpretation']}"
    return f"{claim['file']}::{name}"


# ---- loading the plugin ----


def test_the_plugin_is_registered_under_the_name_treaty() -> None:
    found = [ep for ep in entry_points(group="pytest11") if ep.name == "treaty"]
    assert [ep.value for ep in found] == ["solver.pytest_plugin"], "reinstall the package: pip install -e '.[test]'"


def test_importing_the_plugin_imports_neither_z3_nor_the_solver() -> None:
    code = (
        "import sys\n"
        "import solver.pytest_plugin\n"
        "bad = [m for m in sys.modules if m == 'z3' or m.startswith('z3.') or m in ('solver.encode', 'solver.verify')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_pytest_run_without_specs_does_not_load_z3(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text(
        "import sys\n\ndef test_no_z3():\n    assert 'solver.pytest_plugin' in sys.modules\n    assert 'z3' not in sys.modules\n"
    )
    run = run_pytest(tmp_path)
    assert run.code == 0, run.out
    assert [c.outcome for c in run.cases.values()] == ["passed"]


# ---- items and verdicts ----


def test_each_claim_is_one_item_and_agrees_with_treaty_check(folder: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    run = run_pytest(folder)
    code, expected = check_verdicts(cli, folder, monkeypatch)
    assert (run.code, code) == (0, 0), run.out
    # 4 claims in ok.treaty, 4 + 2 scenario expectations in scenario.treaty
    assert len(expected) == 10 == len(run.cases)
    assert {"scenario.treaty::attacked_and_invoked[1]", "scenario.treaty::attacked_and_invoked[2]"} <= set(run.cases)
    for name, ok in expected.items():
        assert run.cases[name].outcome == ("passed" if ok else "failed"), name
    # each item reports the claim's own file and line
    line = next(i for i, text in enumerate(SCENARIO.splitlines()) if "expect not obliged" in text)
    small_lines = len((folder / "ok.treaty").read_text().splitlines())
    case = run.cases["scenario.treaty::attacked_and_invoked[2]"]
    assert case.line + 1 == small_lines + 1 + line  # JUnit's line is 0-based; SCENARIO's line i is the file's line small_lines + 1 + i


def test_a_planted_wrong_expectation_fails_exactly_that_item(folder: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    text = (folder / "ok.treaty").read_text()
    planted = text.replace("takes(p, armed_force, v)) expect fails", "takes(p, armed_force, v)) expect holds")
    assert planted != text
    (folder / "ok.treaty").write_text(planted)
    (folder / "scenario.treaty").unlink()
    run = run_pytest(folder)
    code, expected = check_verdicts(cli, folder, monkeypatch)
    assert (run.code, code) == (1, 1)
    failed = {name: case for name, case in run.cases.items() if case.outcome != "passed"}
    assert list(failed) == ["ok.treaty::obliged_force"] == [name for name, ok in expected.items() if not ok]
    report = failed["ok.treaty::obliged_force"].text
    assert "verdict fails, expected holds" in report
    assert "counterexample:" in report and "norm assist(" in report and "= true" in report
    assert "1 failed, 3 passed" in run.out


def test_a_spec_with_errors_is_one_failing_item_and_the_others_still_run(folder: Path, fixtures_dir: Path) -> None:
    (folder / "misspelled.treaty").write_text((fixtures_dir / "cli" / "misspelled.treaty").read_text())
    run = run_pytest(folder)
    assert run.code == 1
    bad = {name: case for name, case in run.cases.items() if case.outcome != "passed"}
    assert list(bad) == ["misspelled.treaty::spec-errors"]
    report = bad["misspelled.treaty::spec-errors"]
    assert "error[E0201]: unknown name `invokd`" in report.text
    assert "help: did you mean `invoked`?" in report.text
    assert report.line + 1 == 15  # the line of the first error
    assert sum(1 for c in run.cases.values() if c.outcome == "passed") == 10


# The pigeonhole principle, 11 pigeons in 10 holes: a CDCL solver needs far more than a fraction of a
# second to see that the assumptions contradict each other, so the claim stays unknown.
PIGEONS = """
spec "pigeons"
domain Pigeon = {P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11}
domain Hole = {H1, H2, H3, H4, H5, H6, H7, H8, H9, H10}
input sits(p: Pigeon, h: Hole) by nature
assume every p in Pigeon: some h in Hole: sits(p, h)
assume every h in Hole, p in Pigeon, q in Pigeon where p != q: not (sits(p, h) and sits(q, h))
claim hard: every p in Pigeon: not sits(p, H1) expect fails
"""


def test_an_unknown_verdict_fails_its_item(folder: Path) -> None:
    (folder / "scenario.treaty").unlink()
    (folder / "pigeons.treaty").write_text(PIGEONS)
    run = run_pytest(folder, "--treaty-timeout=0.2")
    assert run.code == 1
    hard = run.cases["pigeons.treaty::hard"]
    assert (hard.outcome, hard.properties["verdict"]) == ("failed", "unknown")
    assert "verdict unknown, expected fails" in hard.text and "reason: time limit of 0.2 s reached" in hard.text
    for c in run.cases.values():
        assert (c.outcome == "passed") == (c.properties["verdict"] == c.properties["expected"])


def test_a_wrong_timeout_is_a_usage_error(folder: Path) -> None:
    run = run_pytest(folder, "--treaty-timeout=-1")
    assert run.code == pytest.ExitCode.USAGE_ERROR
    assert "treaty timeout must be a positive number" in run.out


def test_the_plugin_can_be_switched_off(folder: Path) -> None:
    run = run_pytest(folder, "-p", "no:treaty")
    assert run.code == pytest.ExitCode.NO_TESTS_COLLECTED
    assert run.cases == {}


def test_items_run_under_xdist_with_the_same_outcomes(folder: Path) -> None:
    pytest.importorskip("xdist")
    (folder / "ok.treaty").write_text((folder / "ok.treaty").read_text().replace("expect fails", "expect holds"))
    # two workers, items dealt out one by one: the claims of a file are split between the workers
    run = run_pytest(folder, "-n", "2", "--dist", "load")
    assert run.code == 1, run.out
    assert len(run.cases) == 10
    assert [name for name, c in run.cases.items() if c.outcome != "passed"] == ["ok.treaty::obliged_force"]
    assert "counterexample:" in run.cases["ok.treaty::obliged_force"].text


# ---- the spec library (slow) ----


@pytest.mark.slow
def test_pytest_specs_agrees_with_treaty_check_on_every_claim(tmp_path: Path, treaty_bin: Path) -> None:
    report = tmp_path / "junit.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", "specs/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    check = subprocess.run([str(treaty_bin), "check", "specs/", "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    doc = json.loads(check.stdout)
    expected = {item_key(c): c["ok"] for c in doc["claims"]}
    outcomes = {}
    for tc in ET.parse(report).getroot().iter("testcase"):
        # xunit2 reports have no file attribute: the classname is the file's node id, dotted
        file = "specs/" + tc.get("classname", "").removeprefix("specs.")
        outcomes[f"{file}::{tc.get('name')}"] = tc.find("failure") is None and tc.find("error") is None
    assert len(expected) == len(doc["claims"]) > 0
    assert outcomes == expected, proc.stdout[-3000:]
    assert (proc.returncode == 0) == (check.returncode == 0)
