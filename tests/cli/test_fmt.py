"""`treaty fmt`: in place, `--check`, `--diff`, standard input, folders, errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from solver import fmt
from solver.cli import build_parser

MESSY = "domain   Party = { a,b }  # the parties\ninput act(p:Party) by p\nclaim c: every p in Party:act(p)\n expect fails\n"
TIDY = "domain Party = {a, b}  # the parties\ninput act(p: Party) by p\nclaim c:\n  every p in Party: act(p)\n  expect fails\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "messy.treaty").write_text(MESSY)
    (tmp_path / "sub" / "tidy.treaty").write_text(TIDY)
    return tmp_path


def test_fmt_rewrites_in_place_and_a_second_run_changes_nothing(folder: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("fmt", ".")
    assert run.code == 0, run.err
    assert (folder / "messy.treaty").read_text() == TIDY
    assert (folder / "sub" / "tidy.treaty").read_text() == TIDY
    assert "1 file reformatted, 1 file already formatted" in run.err
    again = cli("fmt", ".")
    assert again.code == 0 and "0 files reformatted, 2 files already formatted" in again.err


def test_check_lists_the_files_and_changes_nothing(folder: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("fmt", "--check", ".")
    assert run.code == fmt.EXIT_CHANGES == 1
    assert run.out == "would reformat messy.treaty\n"
    assert (folder / "messy.treaty").read_text() == MESSY
    assert cli("fmt", "--check", "sub").code == 0


def test_diff_shows_the_changes_and_changes_nothing(folder: Path, cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("fmt", "--diff", "messy.treaty")
    assert run.code == 1
    assert "--- messy.treaty\n+++ messy.treaty (formatted)\n" in run.out
    assert "\n-domain   Party = { a,b }  # the parties\n" in run.out and "\n+domain Party = {a, b}  # the parties\n" in run.out
    assert (folder / "messy.treaty").read_text() == MESSY


def test_a_file_that_does_not_parse_is_a_diagnostic_and_is_left_alone(folder: Path, cli) -> None:  # type: ignore[no-untyped-def]
    broken = "domain Party = {a\ninput x by nature\n"
    (folder / "broken.treaty").write_text(broken)
    run = cli("fmt", ".")
    assert run.code == 2
    assert "broken.treaty:2:1: error[E0002]" in run.err
    assert (folder / "broken.treaty").read_text() == broken
    assert (folder / "messy.treaty").read_text() == TIDY  # the other files are still formatted
    assert "with errors" in run.err
    assert cli("fmt", "missing.treaty").code == 2


def test_standard_input_to_standard_output() -> None:
    args = build_parser().parse_args(["fmt", "-"])
    out, err = io.StringIO(), io.StringIO()
    assert fmt.run(args, out, err, stdin=io.StringIO(MESSY)) == 0
    assert out.getvalue() == TIDY
    check = build_parser().parse_args(["fmt", "--check", "-"])
    assert fmt.run(check, io.StringIO(), err, stdin=io.StringIO(MESSY)) == 1
    assert fmt.run(check, io.StringIO(), err, stdin=io.StringIO(TIDY)) == 0
    bad = io.StringIO()
    assert fmt.run(args, io.StringIO(), bad, stdin=io.StringIO("domain")) == 2
    assert "<stdin>:1:7: error[E0003]" in bad.getvalue()


def test_line_length_and_usage_errors(folder: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (folder / "long.treaty").write_text("domain P = {a}\ninput f(p: P) by p\ndefine g = f(a) and f(a) and f(a) and f(a)\n")
    assert cli("fmt", "--check", "long.treaty").code == 0
    assert cli("fmt", "--check", "--line-length", "30", "long.treaty").code == 1
    assert cli("fmt", "--line-length", "5", "long.treaty").code == 2
    assert cli("fmt", "-", "long.treaty").code == 2
    with pytest.raises(SystemExit):
        build_parser().parse_args(["fmt", "--check", "--diff", "x"])


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_in_place_keeps_the_file_mode_and_follows_links(folder: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = folder / "messy.treaty"
    target.chmod(0o640)
    (folder / "link.treaty").symlink_to(target)
    assert cli("fmt", "link.treaty").code == 0
    assert (folder / "link.treaty").is_symlink()
    assert target.read_text() == TIDY and (target.stat().st_mode & 0o777) == 0o640
    assert not [p for p in folder.iterdir() if p.name.endswith(".fmt")]


def test_the_command_line_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "solver", "fmt", "-"], input=MESSY, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == TIDY
