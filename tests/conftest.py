"""Shared test options and helpers.

Options:
  --update-golden   rewrite tests/cli/golden/*.txt from the current output (never done silently)
  --run-slow        also run the tests marked `slow` (multi-second robustness checks)
"""

from __future__ import annotations

import io
import itertools
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SMALL_SPEC = FIXTURES / "small.treaty"

# The `treaty` pytest plugin collects every `.treaty` file it is shown. The ones below tests/ are
# fixtures (some with errors on purpose), not specs to check in this run.
collect_ignore_glob = ["*.treaty"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False, help="rewrite the golden CLI output files")
    parser.addoption("--run-slow", action="store_true", default=False, help="run tests marked slow")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes many seconds; run only with --run-slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow; run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# ---- running the CLI in-process ----


@dataclass
class CliRun:
    code: int
    out: str
    err: str
    seconds: float


def run_cli(*argv: str) -> CliRun:
    """`treaty ARGS` through `solver.cli.main`, with captured, colourless output."""
    from solver.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = main(list(argv), out=out, err=err)
    return CliRun(code, out.getvalue(), err.getvalue(), time.monotonic() - started)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliRun]:
    monkeypatch.setenv("NO_COLOR", "1")
    return run_cli


DIAGNOSTIC_LINE = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>E\d{4})\]: ", re.MULTILINE)


def diagnostic_lines(stderr: str) -> list[tuple[str, int, int, str]]:
    """(file, line, column, code) of every `file:line:col: error[CODE]:` line."""
    return [(m["file"], int(m["line"]), int(m["col"]), m["code"]) for m in DIAGNOSTIC_LINE.finditer(stderr)]


# ---- specs that reach the solver in-process ----

_fresh = itertools.count()


def fresh_small_spec() -> str:
    """The small NATO spec with domain names unique to this process.

    The encoder once declared a global Z3 enumeration sort per domain name, so a second in-process
    run over a domain of the same name failed (regression tests in tests/cli/test_cli.py). Tests
    that are not about that use fresh names, so one such bug cannot fail the whole suite.
    """
    tag = f"{uuid.uuid4().hex[:8]}_{next(_fresh)}"
    text = SMALL_SPEC.read_text(encoding="utf-8")
    # only where a domain is named (`domain Party`, `v: Party`, `in Party`), not in quoted text
    return re.sub(r"\b(domain|:|in) (Party|Means)\b", rf"\1 \2_{tag}", text)


# ---- a guard against hangs (no pytest-timeout here) ----


class Hang(Exception):
    pass


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the body runs longer than `seconds`."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def deadline() -> Callable[[float], object]:
    return within


@pytest.fixture
def fresh_spec() -> Callable[[], str]:
    return fresh_small_spec


@pytest.fixture
def parse_diagnostics() -> Callable[[str], list[tuple[str, int, int, str]]]:
    return diagnostic_lines


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def treaty_bin() -> Path:
    """The installed console script (next to the interpreter running the tests)."""
    return Path(os.environ.get("TREATY_BIN", Path(sys.executable).with_name("treaty")))
