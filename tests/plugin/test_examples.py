"""The examples stay true: the first spec's claims are as expected, the NATO property tests pass, and
the CI workflow's `treaty` commands are ones the command line accepts."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

from solver.cli import build_parser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_first_spec_has_every_claim_as_expected_and_nothing_to_lint(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(EXAMPLES.parent)
    run = cli("check", "examples/first_spec/harbour.treaty")
    assert run.code == 0, run.out + run.err
    assert "summary: 6 claims, 6 as expected" in run.out
    lint = cli("lint", "examples/first_spec/harbour.treaty")
    assert (lint.code, lint.out.splitlines()[-1].split(" in ")[0]) == (0, "lint: 0 errors, 0 warnings")
    # the walk-through quotes the spec's norms as they are in the file
    spec = (EXAMPLES / "first_spec" / "harbour.treaty").read_text()
    readme = (EXAMPLES / "first_spec" / "README.md").read_text()
    norms = re.findall(r"^(?:obligation|prohibition) .*?\n  to .*?$", spec, re.MULTILINE | re.DOTALL)
    assert len(norms) == 2
    for norm in norms:
        assert norm in readme


def test_the_nato_property_examples_pass() -> None:
    spec = importlib.util.spec_from_file_location("test_nato_properties", EXAMPLES / "test_nato_properties.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [getattr(module, name) for name in dir(module) if name.startswith("test_")]
    assert len(tests) >= 4
    for test in tests:
        test()


def test_the_ci_workflow_runs_commands_the_cli_accepts() -> None:
    workflow = (EXAMPLES / "ci" / "treaty.yml").read_text()
    commands = [shlex.split(m) for m in re.findall(r"^\s*run: (treaty .*)$", workflow, re.MULTILINE)]
    assert [c[1] for c in commands] == ["check", "lint"]
    outputs = []
    for argv in commands:
        args = build_parser().parse_args(argv[1:])
        assert args.format == "sarif"
        outputs.append(args.output)
    uploaded = re.findall(r"sarif_file: (\S+)", workflow)
    assert uploaded == outputs
