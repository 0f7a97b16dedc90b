"""`treaty lsp`: the language server, over standard input and output (needs the `lsp` extra)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

EXIT_OK, EXIT_USAGE = 0, 2

MISSING = "treaty lsp needs pygls, which is not installed; install the extra: pip install 'treaty-dsl[lsp]'\n"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "lsp",
        help="run the language server (for editors) over standard input and output",
        description="Run the treaty language server over standard input and output. Editors start it; "
        "see docs/editors.md. Needs the `lsp` extra: pip install 'treaty-dsl[lsp]'.",
    )


def available() -> bool:
    try:
        import pygls  # noqa: F401
    except ImportError:
        return False
    return True


def run(args: argparse.Namespace, err: TextIO) -> int:
    if not available():
        err.write(MISSING)
        return EXIT_USAGE
    from solver.lsp.server import serve

    serve()
    if sys.stdout.closed:  # the server closes its channel on exit
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (for the interpreter's final flush)
    return EXIT_OK
