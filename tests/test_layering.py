"""The front end never imports the solver (ARCHITECTURE.md: `treaty_dsl/` is testable without Z3)."""

import subprocess
import sys


def test_front_end_does_not_import_z3() -> None:
    code = (
        "import sys\n"
        "import treaty_dsl.loader, treaty_dsl.evaluator, treaty_dsl.explain, treaty_dsl.partial\n"
        "from treaty_dsl.loader import load_spec\n"
        "load_spec('specs/brussels.treaty')\n"
        "bad = [m for m in sys.modules if m == 'z3' or m.startswith('z3.') or m == 'solver' or m.startswith('solver.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version_does_not_import_z3() -> None:
    code = "import sys\nfrom solver.cli import build_parser\nbuild_parser()\nassert 'z3' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)
