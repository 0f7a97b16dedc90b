"""`--format sarif|junit` and `--output FILE` of `treaty check` and `treaty lint`; progress and colour.

The SARIF logs are validated against the published SARIF 2.1.0 schema, stored in
tests/fixtures/sarif-schema-2.1.0.json (its source is in the `.source` file next to it).
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from solver.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def sarif_validator(fixtures_dir_module: Path) -> Draft4Validator:
    schema = json.loads((fixtures_dir_module / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def fixtures_dir_module() -> Path:
    return Path(__file__).resolve().parents[1] / "fixtures"


def schema_errors(validator: Draft4Validator, log: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_spec) -> Path:  # type: ignore[no-untyped-def]
    """ok.treaty (4 claims as expected), differs.treaty (obliged_force expected to hold: fails), misspelled.treaty."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.treaty").write_text(fresh_spec())
    differs = fresh_spec().replace("takes(p, armed_force, v)) expect fails", "takes(p, armed_force, v)) expect holds")
    (tmp_path / "differs.treaty").write_text(differs)
    (tmp_path / "misspelled.treaty").write_text(fresh_spec().replace("implies invoked(v)", "implies invokd(v)"))
    return tmp_path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# ---- SARIF ----


def test_check_sarif_is_valid_and_points_at_what_needs_attention(specs: Path, cli, sarif_validator: Draft4Validator) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "ok.treaty", "differs.treaty", "misspelled.treaty", "--format", "sarif")
    assert run.code == 2  # a spec error wins over the differing verdict, as with the other formats
    log = json.loads(run.out)
    assert schema_errors(sarif_validator, log) == []
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "treaty" and driver["version"]
    rules = [r["id"] for r in driver["rules"]]
    assert len(rules) == len(set(rules)) and {"C001", "C002", "C003", "C004", "E0201"} <= set(rules)
    results = sarif_run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("C001", "error"), ("E0201", "error")]
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
    claim, diagnostic = (r["locations"][0]["physicalLocation"] for r in results)
    assert claim["artifactLocation"] == {"uri": "differs.treaty", "uriBaseId": "%SRCROOT%"}
    assert claim["region"]["startLine"] == line_of(specs / "differs.treaty", "claim obliged_force")
    assert diagnostic["artifactLocation"]["uri"] == "misspelled.treaty"
    line = line_of(specs / "misspelled.treaty", "invokd")
    assert diagnostic["region"]["startLine"] == line
    assert diagnostic["region"]["startColumn"] == (specs / "misspelled.treaty").read_text().splitlines()[line - 1].index("invokd") + 1
    assert "counterexample:" in results[0]["message"]["text"]
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == specs.as_uri() + "/"
    assert sarif_run["properties"]["summary"]["claims"] == 8 and sarif_run["properties"]["summary"]["failed"] == 1


def test_check_sarif_of_a_clean_run_has_no_results(specs: Path, cli, sarif_validator: Draft4Validator) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "ok.treaty", "--format", "sarif")
    log = json.loads(run.out)
    assert (run.code, schema_errors(sarif_validator, log)) == (0, [])
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_lint_sarif_is_valid_with_rule_ids_levels_and_positions(  # type: ignore[no-untyped-def]
    tmp_path: Path, fixtures_dir: Path, cli, monkeypatch: pytest.MonkeyPatch, sarif_validator: Draft4Validator
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = (fixtures_dir / "conflict.treaty").read_text() + "input unused_fact by nature\n"
    (tmp_path / "conflict.treaty").write_text(spec)
    text = cli("lint", "conflict.treaty")
    log = json.loads(cli("lint", "conflict.treaty", "--format", "sarif").out)
    assert schema_errors(sarif_validator, log) == []
    results = log["runs"][0]["results"]
    assert {"L001", "L002", "L003", "L004", "L005"} <= {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    shown = [
        f"{r['locations'][0]['physicalLocation']['artifactLocation']['uri']}:"
        f"{r['locations'][0]['physicalLocation']['region']['startLine']}:"
        f"{r['locations'][0]['physicalLocation']['region']['startColumn']}: {r['level']}[{r['ruleId']}]"
        for r in results
    ]
    # the same findings, at the same places, as the text report
    assert shown == [line.split(": ", 2)[0] + ": " + line.split(": ", 2)[1] for line in text.out.splitlines() if "[L0" in line]
    assert {(r["ruleId"], r["level"]) for r in results} == {("L001", "error"), ("L004", "warning")}
    assert "witness:" in next(r for r in results if r["ruleId"] == "L001")["message"]["text"]


def test_the_schema_rejects_what_is_not_sarif(specs: Path, cli, sarif_validator: Draft4Validator) -> None:  # type: ignore[no-untyped-def]
    log = json.loads(cli("check", "differs.treaty", "--format", "sarif").out)
    result = log["runs"][0]["results"][0]
    result["level"] = "fatal"
    del result["message"]
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    errors = schema_errors(sarif_validator, log)
    assert len(errors) >= 3, errors


# ---- JUnit XML ----


def junit_totals(root: ET.Element) -> dict[str, int]:
    return {key: int(root.get(key, "-1")) for key in ("tests", "failures", "errors", "skipped")}


def test_check_junit_has_one_case_per_claim_and_counts_match_the_summary(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    paths = ["ok.treaty", "differs.treaty", "misspelled.treaty"]
    run = cli("check", *paths, "--format", "junit")
    summary = json.loads(cli("check", *paths, "--format", "json").out)["summary"]
    root = ET.fromstring(run.out)
    assert run.code == 2 and root.tag == "testsuites"
    spec_errors = 1
    assert junit_totals(root) == {
        "tests": summary["claims"] + spec_errors,
        "failures": summary["failed"],
        "errors": summary["unknown"] + summary["errors"] + spec_errors,
        "skipped": 0,
    }
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["ok.treaty", "differs.treaty", "misspelled.treaty"]
    assert sum(int(s.get("tests", "0")) for s in suites.values()) == junit_totals(root)["tests"]
    cases = {(s.get("name"), c.get("name")): c for s in suites.values() for c in s.iter("testcase")}
    assert len(cases) == 9
    failing = cases[("differs.treaty", "obliged_force")]
    failure = failing.find("failure")
    assert failure is not None and failure.get("message") == "fails (expected holds)"
    assert "counterexample:" in (failure.text or "")
    assert failing.get("line") == str(line_of(specs / "differs.treaty", "claim obliged_force"))
    error = cases[("misspelled.treaty", "spec-errors")].find("error")
    assert error is not None and "E0201" in (error.text or "")
    assert all(c.find("failure") is None and c.find("error") is None for (f, _), c in cases.items() if f == "ok.treaty")


def test_lint_junit_has_a_failing_case_per_finding(tmp_path: Path, fixtures_dir: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "conflict.treaty").write_text((fixtures_dir / "conflict.treaty").read_text())
    doc = json.loads(cli("lint", "conflict.treaty", "--format", "json").out)
    root = ET.fromstring(cli("lint", "conflict.treaty", "--format", "junit").out)
    assert junit_totals(root) == {"tests": doc["summary"]["findings"], "failures": doc["summary"]["findings"], "errors": 0, "skipped": 0}
    assert [c.find("failure").get("type") for c in root.iter("testcase")] == [  # type: ignore[union-attr]
        f"{f['severity']} {f['code']}" for f in doc["findings"]
    ]


# ---- --output ----


def test_output_writes_the_report_to_the_file_only(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p.name for p in specs.iterdir())
    to_stdout = cli("check", "differs.treaty", "misspelled.treaty", "--format", "json")
    assert sorted(p.name for p in specs.iterdir()) == before  # nothing written without --output
    to_file = cli("check", "differs.treaty", "misspelled.treaty", "--format", "json", "--output", "report.json")
    assert (to_file.code, to_file.out) == (to_stdout.code, "")
    assert "error[E0201]" in to_file.err and to_stdout.err == ""  # with --output, diagnostics also on stderr

    def without_times(doc: dict[str, Any]) -> dict[str, Any]:
        doc["summary"].pop("seconds")
        for claim in doc["claims"]:
            claim.pop("seconds")
        return doc

    assert without_times(json.loads((specs / "report.json").read_text())) == without_times(json.loads(to_stdout.out))
    text = cli("check", "ok.treaty", "--output", "report.txt")
    assert text.out == "" and (specs / "report.txt").read_text().splitlines()[-1].startswith("summary: 4 claims, 4 as expected")


def test_output_that_cannot_be_written_is_an_error(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "ok.treaty", "--output", str(specs / "no-such-folder" / "r.sarif"))
    assert run.code == 2 and run.err.startswith("treaty: cannot write ")
    assert not (specs / "no-such-folder").exists()


def test_prove_has_no_report_formats(specs: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["prove", "ok.treaty", "true", "--format", "sarif"], out=io.StringIO(), err=io.StringIO())
    assert exc.value.code == 2


# ---- terminals: progress and colour ----


def run_main(argv: list[str], out: io.StringIO, err: io.StringIO) -> int:
    return main(argv, out=out, err=err)


def test_progress_goes_to_a_terminal_stderr_only(specs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    # a machine-readable report, stderr a terminal: progress shown, then cleared
    err = Terminal()
    assert run_main(["check", "ok.treaty", "--format", "json"], io.StringIO(), err) == 0
    assert "\rchecking ok.treaty: 4 claims done" in err.getvalue()
    assert err.getvalue().endswith("\r") and err.getvalue().rstrip("\r ").count("\r") >= 4
    # stderr not a terminal: nothing
    err = io.StringIO()
    run_main(["check", "ok.treaty", "--format", "json"], io.StringIO(), err)
    assert err.getvalue() == ""
    # the text report on the same terminal already shows each claim as it comes: no progress line
    err = Terminal()
    run_main(["check", "ok.treaty"], Terminal(), err)
    assert err.getvalue() == ""


def test_colour_on_a_terminal_unless_no_color(specs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Terminal()
    run_main(["check", "ok.treaty"], out, io.StringIO())
    assert "\x1b[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    run_main(["check", "ok.treaty"], out, io.StringIO())
    assert "\x1b[" not in out.getvalue()
