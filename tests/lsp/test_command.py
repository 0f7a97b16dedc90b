"""`treaty lsp` without the `lsp` extra installed."""

from __future__ import annotations

import subprocess
import sys


def test_without_pygls_the_command_names_the_extra() -> None:
    code = "import sys; sys.modules['pygls'] = None; from solver.cli import main; sys.exit(main(['lsp']))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "pip install 'treaty-dsl[lsp]'" in proc.stderr
    assert "Traceback" not in proc.stderr
