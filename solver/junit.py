"""JUnit XML reports of `treaty check` and `treaty lint`, for CI systems that display test results.

`check`: one test suite per spec file and one test case per claim (and per scenario expectation).
A verdict that differs from its expectation is a `<failure>`; an unknown claim and an internal error
are `<error>`s; a spec file with errors is one test case named `spec-errors` with an `<error>`.
So `tests` = claims + spec files with errors, `failures` = the summary's `failed`, and `errors` =
`unknown` + internal `errors` + spec files with errors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from solver.render import Style, claim_text
from solver.results import InternalError, Result, Unknown, is_ok

if TYPE_CHECKING:
    from solver.lint import Finding

SPEC_ERRORS_CASE = "spec-errors"

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class SpecReport:
    """What one spec file contributed to a run: its results (check), findings (lint) or its errors."""

    path: str
    title: str | None = None
    results: list[Result] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: str | None = None  # the rendered diagnostics, when the file has errors


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def classname(path: str) -> str:
    """`specs/nato.treaty` -> `specs.nato`, the dotted name CI systems group test cases by."""
    pure = PurePath(path)
    parts = [p for p in pure.with_suffix("").parts if p not in ("..", ".", pure.anchor)]
    return ".".join(parts) or pure.stem


def _seconds(value: float) -> str:
    return f"{max(0.0, value):.3f}"


class _Suites:
    def __init__(self, name: str, seconds: float) -> None:
        self.root = ET.Element("testsuites", name=name)
        self.seconds = seconds
        self.totals = {"tests": 0, "failures": 0, "errors": 0}

    def suite(self, report: SpecReport) -> ET.Element:
        suite = ET.SubElement(self.root, "testsuite", name=_clean(report.path))
        if report.title:
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="title", value=_clean(report.title))
        return suite

    def case(self, suite: ET.Element, report: SpecReport, name: str, line: int, seconds: float, file: str | None = None) -> ET.Element:
        attrs = {
            "name": _clean(name),
            "classname": _clean(classname(report.path)),
            "file": _clean(file or report.path),
            "time": _seconds(seconds),
        }
        if line >= 1:
            attrs["line"] = str(line)
        return ET.SubElement(suite, "testcase", attrs)

    def spec_errors(self, suite: ET.Element, report: SpecReport) -> None:
        case = self.case(suite, report, SPEC_ERRORS_CASE, 0, 0.0)
        first = (report.errors or "").splitlines()[0] if report.errors else "the spec has errors"
        error = ET.SubElement(case, "error", message=_clean(first), type="spec error")
        error.text = _clean(report.errors or "")

    def close(self, suite: ET.Element, seconds: float) -> None:
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            self.totals[key] += value
        suite.set("skipped", "0")
        suite.set("time", _seconds(seconds))

    def text(self) -> str:
        for key, value in self.totals.items():
            self.root.set(key, str(value))
        self.root.set("skipped", "0")
        self.root.set("time", _seconds(self.seconds))
        ET.indent(self.root)
        return ET.tostring(self.root, encoding="unicode", xml_declaration=True) + "\n"


def check_report(reports: Sequence[SpecReport], seconds: float) -> str:
    """The JUnit XML of `treaty check`: one test case per claim."""
    out = _Suites("treaty check", seconds)
    for report in reports:
        suite = out.suite(report)
        if report.errors is not None:
            out.spec_errors(suite, report)
        for r in report.results:
            name = r.claim.name + (f" [under {r.claim.interpretation}]" if r.claim.interpretation else "")
            case = out.case(suite, report, name, r.claim.line, r.seconds, r.claim.file)
            detail = _clean(claim_text(r, Style(False)))
            if isinstance(r, InternalError):
                ET.SubElement(case, "error", message=_clean(f"internal error: {r.reason}"), type="internal error").text = detail
            elif isinstance(r, Unknown):
                ET.SubElement(case, "error", message=_clean(f"unknown: {r.reason}"), type="unknown").text = detail
            elif not is_ok(r):
                message = f"{r.verdict} (expected {r.claim.expected})"
                ET.SubElement(case, "failure", message=message, type="unexpected verdict").text = detail
            elif r.warnings:
                ET.SubElement(case, "system-out").text = detail
        out.close(suite, sum(r.seconds for r in report.results))
    return out.text()


def lint_report(reports: Sequence[SpecReport], seconds: float) -> str:
    """The JUnit XML of `treaty lint`: per spec file, one failing test case per finding, or one passing `lint` case."""
    out = _Suites("treaty lint", seconds)
    for report in reports:
        suite = out.suite(report)
        if report.errors is not None:
            out.spec_errors(suite, report)
        elif not report.findings:
            out.case(suite, report, "lint", 0, 0.0)
        for f in report.findings:
            case = out.case(suite, report, f"{f.code} {f.span.file}:{f.span.line}:{f.span.column}", f.span.line, 0.0, f.span.file)
            lines = [f"{f.severity}[{f.code}]: {f.message}"]
            if f.scenario is not None:
                lines += [f"witness: {label} = {value}" for label, value in f.scenario.facts.items()]
                lines += [f"norm {label}: {state}" for label, state in f.scenario.norms.items()]
            ET.SubElement(case, "failure", message=_clean(f.message), type=f"{f.severity} {f.code}").text = _clean("\n".join(lines))
        out.close(suite, 0.0)
    return out.text()
