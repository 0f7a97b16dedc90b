"""Golden output of the `treaty` command, run as the user runs it.

Each case runs the installed console script in tests/fixtures/cli (so paths are short and stable),
without colour, and compares exit code, stdout and stderr with tests/cli/golden/<case>.txt exactly,
after replacing timings (`0.02s`) with `#.##s`. Regenerate with `pytest tests/cli --update-golden`
and review the diff; a missing or different golden file is a failure otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
CASES_DIR = HERE.parent / "fixtures" / "cli"

CASES: dict[str, list[str]] = {
    "holds": ["check", "holds.treaty"],
    "fails": ["check", "fails.treaty"],
    "syntax_error": ["check", "syntax_error.treaty"],
    "misspelled": ["check", "misspelled.treaty"],
    "prove_misspelled": ["prove", "holds.treaty", "every p in Party: not armed_atack(p)"],
}

TIMING = re.compile(r"\b\d+\.\d+s\b")


def normalise(text: str) -> str:
    return TIMING.sub("#.##s", text)


def transcript(args: list[str], code: int, out: str, err: str) -> str:
    shown = " ".join(a if re.fullmatch(r"[\w./-]+", a) else "'" + a + "'" for a in args)
    return f"$ treaty {shown}\n[exit {code}]\n[stdout]\n{normalise(out)}[stderr]\n{normalise(err)}"


def run(treaty_bin: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run([str(treaty_bin), *args], cwd=CASES_DIR, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("case", list(CASES))
def test_golden_output(case: str, treaty_bin: Path, update_golden: bool) -> None:
    args = CASES[case]
    proc = run(treaty_bin, args)
    got = transcript(args, proc.returncode, proc.stdout, proc.stderr)
    golden = GOLDEN / f"{case}.txt"
    if update_golden:
        golden.write_text(got, encoding="utf-8")
        return
    assert golden.exists(), f"no golden file {golden.name}; run pytest with --update-golden and review it"
    assert got == golden.read_text(encoding="utf-8")


def test_golden_files_have_no_colour_or_traceback() -> None:
    files = sorted(GOLDEN.glob("*.txt"))
    assert {f.stem for f in files} == set(CASES)
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "\x1b[" not in text and "Traceback" not in text, f.name


def test_normalise_only_touches_timings() -> None:
    assert normalise("ok    c: holds (expected holds)  0.02s\nsummary: 1 claims in 12.50s") == (
        "ok    c: holds (expected holds)  #.##s\nsummary: 1 claims in #.##s"
    )
    assert normalise("small.treaty:15  NAT art. 5") == "small.treaty:15  NAT art. 5"
