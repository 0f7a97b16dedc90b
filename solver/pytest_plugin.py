"""The pytest plugin: every claim and scenario expectation of a `.treaty` file is a test item.

`pytest specs/` collects each `.treaty` file below `specs/` as a spec of its own (with the files it
names in `use`, as `treaty check` does) and each of its claims as an item named after the claim; an
item passes when the verdict is the claim's `expect`, and fails otherwise (an unknown verdict or an
internal error fails too) with the verdict, the expectation and the counterexample or the core.

The plugin is registered through the `pytest11` entry point `treaty`, so it loads in every pytest
run of an environment where treaty-dsl is installed: importing it imports neither Z3 nor the solver.
Specs are parsed and checked at collection (the front end only); the solver is imported when the
first item runs. Switch it off with `-p no:treaty`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from solver.limits import timeout_problem

if TYPE_CHECKING:
    from solver.results import Result
    from solver.verify import Verifier
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.loader import LoadedSpec

SPEC_SUFFIX = ".treaty"
DEFAULT_TIMEOUT_S = 10.0  # as solver.verify.DEFAULT_TIMEOUT_S, which is not imported here (it loads Z3)
SPEC_ERRORS_ITEM = "spec-errors"  # not a claim name: claim names cannot contain `-`
TIMEOUT = pytest.StashKey[float]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("treaty", "treaty-dsl: claims of .treaty files as tests")
    group.addoption(
        "--treaty-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit per claim of a .treaty file (default: the treaty_timeout ini value, else 10)",
    )
    parser.addini("treaty_timeout", "time limit per claim of a .treaty file, in seconds (default 10)", default=str(DEFAULT_TIMEOUT_S))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "treaty: a claim or scenario expectation of a .treaty spec file")
    config.stash[TIMEOUT] = _timeout(config)  # a wrong value is a usage error before anything runs


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> TreatyFile | None:
    if file_path.suffix == SPEC_SUFFIX:
        return TreatyFile.from_parent(parent, path=file_path)
    return None


def _timeout(config: pytest.Config) -> float:
    value: Any = config.getoption("--treaty-timeout")
    if value is None:
        value = config.getini("treaty_timeout")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise pytest.UsageError(f"treaty timeout must be a number of seconds, not {value!r}") from None
    problem = timeout_problem(seconds)
    if problem is not None:
        raise pytest.UsageError(f"treaty timeout {problem}")
    return seconds


class TreatyFile(pytest.File):
    """One `.treaty` file, checked as a spec of its own (and again under each of its interpretations
    that some claim has an expectation for, as `treaty check` does); one solver per reading."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.readings: list[LoadedSpec] = []
        self._verifiers: dict[tuple[int, int], Verifier] = {}

    def collect(self) -> Iterator[pytest.Item]:
        from treaty_dsl.diagnostics import SpecError
        from treaty_dsl.loader import load_spec

        try:
            base = load_spec(self.path)
            self.readings = [base]
            for name in base.interpretations:
                loaded = load_spec(self.path, reading=name)
                if loaded.spec.claims:
                    self.readings.append(loaded)
        except SpecError as exc:
            yield SpecErrorsItem.from_parent(self, name=SPEC_ERRORS_ITEM, error=exc)
            return
        for reading, loaded in enumerate(self.readings):
            under = loaded.reading
            for index, claim in enumerate(loaded.spec.claims):
                where = Path(claim.span.file)
                yield ClaimItem.from_parent(
                    self,
                    name=claim.name if under is None else f"{claim.name}@{under}",
                    reading=reading,
                    index=index,
                    where=where if where.is_absolute() else Path.cwd() / where,
                    line=claim.span.line,
                )

    def verifier(self, reading: int, index: int) -> Verifier:
        """The verifier of the claim's group (`solver.verify.claim_groups`), as `treaty check` uses."""
        from solver.verify import GROUP_CLAIMS, Verifier

        key = (reading, index // GROUP_CLAIMS)
        if key not in self._verifiers:
            self._verifiers[key] = Verifier(self.readings[reading].spec, self.config.stash[TIMEOUT])
        return self._verifiers[key]

    def teardown(self) -> None:
        # Items of a file run one after the other (with xdist, `--dist loadfile` keeps it so); the
        # solvers are dropped when pytest leaves the file, and rebuilt if it comes back to it.
        self._verifiers.clear()


class ClaimFailed(Exception):
    """The verdict of a claim is not its expectation (or there is no verdict)."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.verdict)
        self.result = result


class ClaimItem(pytest.Item):
    def __init__(self, *, reading: int, index: int, where: Path, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reading = reading
        self.index = index
        self.where = where
        self.line = line
        self.add_marker(pytest.mark.treaty)

    @property
    def spec_file(self) -> TreatyFile:
        assert isinstance(self.parent, TreatyFile)
        return self.parent

    def runtest(self) -> None:
        from solver.results import is_ok

        loaded = self.spec_file.readings[self.reading]
        claim = loaded.spec.claims[self.index]
        result = self.spec_file.verifier(self.reading, self.index).check_claim(claim, loaded.reading)
        self.user_properties += [("expected", str(claim.expected)), ("verdict", result.verdict)]
        if not is_ok(result):
            raise ClaimFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, ClaimFailed):
            from solver.render import Style, claim_text

            result = excinfo.value.result
            c = result.claim
            under = f" under {c.interpretation}" if c.interpretation else ""
            head = f"claim {c.name}{under} ({c.file}:{c.line}): verdict {result.verdict}, expected {c.expected}"
            return head + "\n" + claim_text(result, Style(False))
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.where, self.line - 1, f"claim {self.name}"


class SpecErrorsItem(pytest.Item):
    """Stands for a `.treaty` file that does not load: fails with the rendered diagnostics."""

    def __init__(self, *, error: SpecError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        self.add_marker(pytest.mark.treaty)

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:  # type: ignore[override]
        return f"{self.nodeid.split('::')[0]}: the spec has errors; its claims were not checked\n{self.error.render()}"

    def reportinfo(self) -> tuple[Path, int, str]:
        first = self.error.diagnostics[0].span if self.error.diagnostics else None
        line = first.line - 1 if first is not None and first.line > 0 else 0
        return self.path, line, "spec errors"
