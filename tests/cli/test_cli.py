"""The `treaty` command: exit codes, the JSON document, argument handling, folders and several files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from solver.cli import EXIT_DIFFERS, EXIT_OK, EXIT_SPEC_ERROR


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_spec) -> Path:  # type: ignore[no-untyped-def]
    """ok.treaty (every claim as expected), differs.treaty (one verdict differs), syntax.treaty, misspelled.treaty."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.treaty").write_text(fresh_spec())
    differs = fresh_spec().replace("obliged(p, takes(p, armed_force, v)) expect fails", "obliged(p, takes(p, armed_force, v)) expect holds")
    assert differs.count("expect holds") == 4
    (tmp_path / "differs.treaty").write_text(differs)
    (tmp_path / "syntax.treaty").write_text(fresh_spec().replace("expect holds", "expect hold", 1))
    (tmp_path / "misspelled.treaty").write_text(fresh_spec().replace("implies invoked(v)", "implies invokd(v)"))
    return tmp_path


def domain_of(path: Path) -> str:
    return path.read_text().split("domain ")[1].split(" ")[0]


# ---- exit codes ----


def test_exit_codes_of_check(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("check", "ok.treaty").code == EXIT_OK == 0
    assert cli("check", "differs.treaty").code == EXIT_DIFFERS == 1
    assert cli("check", "syntax.treaty").code == EXIT_SPEC_ERROR == 2
    assert cli("check", "misspelled.treaty").code == 2
    assert cli("check", "missing.treaty").code == 2


def test_a_claim_expected_to_fail_that_fails_is_as_expected(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "ok.treaty")
    assert "ok    obliged_force: fails (expected fails)" in run.out
    assert "counterexample:" in run.out


def test_differing_verdict_is_reported(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "differs.treaty")
    assert "FAIL  obliged_force: fails (expected holds)" in run.out
    assert "summary: 4 claims, 3 as expected, 1 not as expected" in run.out
    assert run.err == ""


def test_prove_exit_codes(specs: Path, cli, fresh_spec) -> None:  # type: ignore[no-untyped-def]
    # a fresh copy of the spec for each run that reaches the solver (see the xfail tests at the end)
    (specs / "ok2.treaty").write_text(fresh_spec())
    true_claim = "every p in {}: not obliged(p, takes(p, armed_force, EE))".format(domain_of(specs / "ok.treaty"))
    false_claim = "every p in {}: not armed_attack(p)".format(domain_of(specs / "ok2.treaty"))
    run = cli("prove", "ok.treaty", true_claim)
    assert run.code == 0 and "command-line claim: holds" in run.out
    run = cli("prove", "ok2.treaty", false_claim)
    assert run.code == 1 and "command-line claim: fails" in run.out and "counterexample:" in run.out
    run = cli("prove", "ok.treaty", "armed_atack(US)")
    assert run.code == 2 and run.err.startswith("<command line>:1:1: error[E0201]: ")
    run = cli("prove", "syntax.treaty", true_claim)
    assert run.code == 2 and run.err.startswith("syntax.treaty:")
    run = cli("prove", "missing.treaty", "true")
    assert run.code == 2 and run.err.startswith("missing.treaty:0:0: error[E0020]: ")


def test_prove_through_the_console_script(tmp_path: Path, treaty_bin: Path, fixtures_dir: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}

    def prove(formula: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(treaty_bin), "prove", "small.treaty", formula], cwd=fixtures_dir, capture_output=True, text=True, timeout=60, env=env
        )

    assert prove("every p in Party: not obliged(p, takes(p, armed_force, EE))").returncode == 0
    proc = prove("every p in Party: not armed_attack(p)")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


# ---- diagnostics on stderr ----


def test_spec_errors_go_to_stderr_with_a_caret(specs: Path, cli, parse_diagnostics) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "misspelled.treaty")
    ((file, line, col, code),) = parse_diagnostics(run.err)
    assert (file, line, code) == ("misspelled.treaty", 18, "E0201")
    lines = run.err.splitlines()
    assert lines[1].startswith("18 | claim needs_invocation:")
    assert lines[2].index("^") == lines[1].index("invokd")
    assert lines[2].strip() == "| " + " " * (col - 1) + "^^^^^^"
    assert lines[3] == "  help: did you mean `invoked`?"
    assert run.out.startswith("summary: 0 claims, 0 as expected, 1 spec files with errors")


def test_no_colour_when_not_a_terminal_or_no_color(specs: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NO_COLOR", raising=False)
    run = cli("check", "differs.treaty")  # StringIO is not a tty
    assert "\x1b[" not in run.out + run.err


def test_missing_files_and_empty_folders(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "nope.treaty")
    assert (run.code, run.err) == (2, "treaty: no such file or folder: nope.treaty\n")
    (specs / "empty").mkdir()
    run = cli("check", "empty")
    assert (run.code, run.err) == (2, "treaty: no .treaty files found\n")


def test_a_folder_is_checked_file_by_file(specs: Path, cli, parse_diagnostics) -> None:  # type: ignore[no-untyped-def]
    # one good spec and one with an error: the good one is still checked; the exit code is 2
    (specs / "folder").mkdir()
    (specs / "folder" / "a.treaty").write_text((specs / "ok.treaty").read_text())
    (specs / "folder" / "b.treaty").write_text("claim c: nope expect holds\n")
    run = cli("check", "folder")
    assert run.code == 2
    assert "summary: 4 claims, 4 as expected, 1 spec files with errors" in run.out
    assert parse_diagnostics(run.err) == [(os.path.join("folder", "b.treaty"), 1, 10, "E0201")]


def test_a_directory_named_like_a_spec(specs: Path, cli, parse_diagnostics) -> None:  # type: ignore[no-untyped-def]
    (specs / "folder").mkdir()
    (specs / "folder" / "odd.treaty").mkdir()
    run = cli("check", "folder")
    assert run.code == 2 and "Traceback" not in run.err
    assert parse_diagnostics(run.err) == [(os.path.join("folder", "odd.treaty"), 0, 0, "E0020")]


# ---- command line ----


def test_no_command_prints_help_and_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli()
    assert run.code == 2 and "usage: treaty" in run.out


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "x.treaty", "--timeout", "0"],
        ["check", "x.treaty", "--timeout", "-1"],
        ["check", "x.treaty", "--timeout", "soon"],
        ["check", "x.treaty", "--format", "xml"],
        ["prove", "x.treaty"],
        ["frobnicate"],
    ],
)
def test_bad_command_lines_exit_2(argv: list[str], cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    # argparse reports on sys.stderr and exits (it does not use main's `err`)
    with pytest.raises(SystemExit) as info:
        cli(*argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_help_documents_the_exit_codes(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    for argv in (["--help"], ["check", "--help"], ["prove", "--help"]):
        with pytest.raises(SystemExit) as info:
            cli(*argv)
        assert info.value.code == 0
        text = capsys.readouterr().out
        assert "exit codes:" in text
        for code in "01234":
            assert f"\n  {code}  " in text


def test_version(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from treaty_dsl import __version__

    with pytest.raises(SystemExit) as info:
        cli("--version")
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"treaty-dsl {__version__}"


# ---- --format json ----

CLAIM_KEYS = {"name", "file", "line", "text", "interpretation", "expected", "verdict", "ok", "core", "scenario", "warnings", "seconds"}
CORE_KEYS = {"name", "kind", "citation", "file", "line"}
SUMMARY_KEYS = {"claims", "ok", "failed", "unknown", "seconds"}


def json_run(cli, *argv: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    run = cli(*argv, "--format", "json")
    doc = json.loads(run.out)  # stdout is exactly one JSON document
    return run.code, doc


def test_json_document(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, doc = json_run(cli, "check", "ok.treaty")
    assert code == 0
    assert doc["version"] == 1
    assert [c["name"] for c in doc["claims"]] == ["obliged_assist", "obliged_force", "no_force", "needs_invocation"]
    for c in doc["claims"]:
        assert set(c) >= CLAIM_KEYS, CLAIM_KEYS - set(c)
        assert c["file"] == "ok.treaty" and isinstance(c["line"], int)
        assert c["expected"] in ("holds", "fails") and c["verdict"] in ("holds", "fails", "unknown", "error")
        assert c["ok"] is (c["verdict"] == c["expected"])
        assert c["interpretation"] is None and c["warnings"] == []
        assert isinstance(c["seconds"], float | int) and c["seconds"] >= 0
        for item in c["core"]:
            assert set(item) == CORE_KEYS
    assert [c["line"] for c in doc["claims"]] == [15, 16, 17, 18]
    assert [c["text"] for c in doc["claims"]] == ["x", None, None, None]
    holds, fails = doc["claims"][0], doc["claims"][1]
    assert (holds["verdict"], holds["scenario"]) == ("holds", None)
    assert holds["core"] == [
        {
            "name": "assist",
            "kind": "norm",
            "citation": 'NAT art. 5: "will assist the Party or Parties so attacked"',
            "file": "ok.treaty",
            "line": 10,
        }
    ]
    assert (fails["verdict"], fails["core"], fails["ok"]) == ("fails", [], True)
    scenario = fails["scenario"]
    assert {"facts", "bindings", "norms", "alternatives", "notes"} <= set(scenario)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in scenario["facts"].items())
    assert [b.split(" = ")[0] for b in scenario["bindings"]] == ["p", "v"]
    summary = doc["summary"]
    assert set(summary) >= SUMMARY_KEYS
    assert {k: summary[k] for k in ("claims", "ok", "failed", "unknown")} == {"claims": 4, "ok": 4, "failed": 0, "unknown": 0}
    assert doc["diagnostics"] == []


def test_json_when_a_verdict_differs(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, doc = json_run(cli, "check", "differs.treaty")
    assert code == 1
    force = doc["claims"][1]
    assert (force["name"], force["expected"], force["verdict"], force["ok"]) == ("obliged_force", "holds", "fails", False)
    assert force["scenario"]["bindings"]
    assert {k: doc["summary"][k] for k in ("claims", "ok", "failed", "unknown")} == {"claims": 4, "ok": 3, "failed": 1, "unknown": 0}


def test_json_with_a_spec_error(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("check", "misspelled.treaty", "--format", "json")
    assert run.code == 2 and run.err == ""
    doc = json.loads(run.out)
    assert doc["claims"] == [] and doc["summary"]["claims"] == 0
    (d,) = doc["diagnostics"]
    assert {k: d[k] for k in ("code", "severity", "file", "line", "suggestions")} == {
        "code": "E0201",
        "severity": "error",
        "file": "misspelled.treaty",
        "line": 18,
        "suggestions": ["invoked"],
    }


def test_json_of_prove(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    party = domain_of(specs / "ok.treaty")
    code, doc = json_run(cli, "prove", "ok.treaty", f"every p in {party}: not armed_attack(p)")
    assert code == 1
    (claim,) = doc["claims"]
    assert set(claim) >= CLAIM_KEYS
    assert (claim["name"], claim["file"], claim["verdict"], claim["ok"]) == ("command-line claim", "<command line>", "fails", False)
    code, doc = json_run(cli, "prove", "ok.treaty", "nonsense(")
    assert code == 2 and doc["claims"] == [] and doc["diagnostics"][0]["code"] == "E0003"


def test_json_through_the_console_script(treaty_bin: Path, fixtures_dir: Path) -> None:
    proc = subprocess.run(
        [str(treaty_bin), "check", "small.treaty", "--format", "json"],
        cwd=fixtures_dir,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0 and proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert doc["version"] == 1 and doc["summary"]["ok"] == 4
    assert doc["claims"][1]["scenario"]["bindings"]


# ---- bugs found here (see the report) ----


# Regression: Encoder.__init__ used to declare a global z3.EnumSort per domain name, so a second spec
# (or the same spec again) with a domain of the same name in one process raised Z3Exception
# "enumeration sort name is already declared"; `treaty check specs/` crashed on nato + brussels.
def test_the_same_spec_can_be_checked_twice_in_one_process(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("check", "ok.treaty").code == 0
    assert cli("check", "ok.treaty").code == 0


def test_two_specs_sharing_a_domain_name(tmp_path: Path, treaty_bin: Path, fixtures_dir: Path) -> None:
    text = (fixtures_dir / "small.treaty").read_text()
    (tmp_path / "a.treaty").write_text(text)
    (tmp_path / "b.treaty").write_text(text)
    proc = subprocess.run(
        [str(treaty_bin), "check", "a.treaty", "b.treaty"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0
    assert "summary: 8 claims, 8 as expected" in proc.stdout


def shown_facts(scenario: dict) -> str:  # type: ignore[type-arg]
    return "\n".join([f"{k} = {v}" for k, v in scenario["facts"].items()] + scenario["notes"])


def test_counterexample_of_a_lone_claim_shows_its_facts(specs: Path, cli, fresh_spec) -> None:  # type: ignore[no-untyped-def]
    text = fresh_spec()
    lines = [line for line in text.splitlines() if not line.startswith("claim ") or line.startswith("claim obliged_force")]
    (specs / "lone.treaty").write_text("\n".join(lines).replace("expect fails", "expect holds") + "\n")
    code, doc = json_run(cli, "check", "lone.treaty")
    (claim,) = doc["claims"]
    assert (code, claim["verdict"]) == (1, "fails")
    v = dict(b.split(" = ") for b in claim["scenario"]["bindings"])["v"]
    assert f"armed_attack({v}) = true" in shown_facts(claim["scenario"])


def test_counterexample_facts_match_its_bindings_after_other_claims(specs: Path, cli) -> None:  # type: ignore[no-untyped-def]
    code, doc = json_run(cli, "check", "differs.treaty")
    claim = doc["claims"][1]
    assert (code, claim["name"], claim["verdict"]) == (1, "obliged_force", "fails")
    v = dict(b.split(" = ") for b in claim["scenario"]["bindings"])["v"]
    assert f"armed_attack({v}) = true" in shown_facts(claim["scenario"])


def test_a_closed_stdout_is_not_a_traceback(treaty_bin: Path, fixtures_dir: Path) -> None:
    proc = subprocess.Popen(
        [str(treaty_bin), "check", "small.treaty"],
        cwd=fixtures_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before anything is written, like `| head -0`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err
