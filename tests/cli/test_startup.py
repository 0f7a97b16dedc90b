"""`treaty --version` and `treaty --help` stay cheap: nothing heavy is imported before the arguments are read.

(How fast they are is measured by the benchmarks, `python -m bench --only startup`, not asserted here.)
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("z3", "lark", "solver.encode", "solver.verify", "treaty_dsl.parser", "multiprocessing", "concurrent.futures")


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_import_nothing_heavy(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from solver.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = [m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in {HEAVY!r})]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
