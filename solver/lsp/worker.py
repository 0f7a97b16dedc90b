"""`python -m solver.lsp.worker PATH TIMEOUT`: the claims of one spec file checked, one JSON object a line.

Run by the language server in a process of its own, so that a check can be cancelled by ending
the process; a spec error ends the output with one `{"error": ...}` line.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    from solver import z3env
    from solver.lsp.verification import verdicts
    from treaty_dsl.diagnostics import SpecError

    path, timeout = argv[0], float(argv[1])
    z3env.set_memory_limit(int(argv[2]) if len(argv) > 2 else 4096)
    try:
        for verdict in verdicts(path, timeout):
            sys.stdout.write(json.dumps(verdict, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    except SpecError as exc:
        sys.stdout.write(json.dumps({"error": str(exc)}) + "\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
