"""SARIF 2.1.0 logs of `treaty check` and `treaty lint`, for code-scanning tools.

One run per log. Only what needs attention becomes a result: a claim whose verdict is not as
expected, an unknown or internal error, a claim warning, a lint finding, an error in a spec file.
Claims as expected are counted in `run.properties.summary`, not listed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from solver.render import Style, claim_text, summary
from solver.results import Fails, Holds, InternalError, Result, Unknown, is_ok

if TYPE_CHECKING:
    from solver.lint import Finding

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    short: str
    full: str
    level: str  # the default level: error | warning | note

    def descriptor(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "shortDescription": {"text": self.short},
            "fullDescription": {"text": self.full},
            "defaultConfiguration": {"level": self.level},
        }


CLAIM_FAILS = Rule(
    "C001",
    "ClaimFailsUnexpectedly",
    "A claim expected to hold fails",
    "Some world that satisfies the spec's assumptions makes the claim false. The counterexample, "
    "replayed through the concrete evaluator, is part of the message.",
    "error",
)
CLAIM_HOLDS = Rule(
    "C002",
    "ClaimHoldsUnexpectedly",
    "A claim expected to fail holds",
    "The spec proves a claim its author expected to be refuted. The declarations the proof rests on are part of the message.",
    "error",
)
CLAIM_UNKNOWN = Rule(
    "C003",
    "ClaimUnknown",
    "A claim could not be decided within the limits",
    "A time or memory limit was reached before the claim was proved or refuted; raise --timeout or simplify the spec.",
    "warning",
)
CLAIM_INTERNAL = Rule(
    "C004",
    "InternalError",
    "The solver and the concrete evaluator disagree",
    "A bug in treaty-dsl, not in the spec: a proof's core did not re-check or a counterexample did not replay. Please report it.",
    "error",
)
CLAIM_WARNING = Rule(
    "C005",
    "ClaimWarning",
    "A claim holds only vacuously",
    "The claim holds because nothing can make it false: the assumptions contradict each other, or its premise never holds.",
    "warning",
)
CHECK_RULES = (CLAIM_FAILS, CLAIM_HOLDS, CLAIM_UNKNOWN, CLAIM_INTERNAL, CLAIM_WARNING)

LINT_RULES = (
    Rule(
        "L001",
        "NormativeConflict",
        "An actor cannot comply with all of its norms at once",
        "In some world an actor that bears norms has no compliant alternative; the witness world and the norm states are in the message.",
        "error",
    ),
    Rule(
        "L002",
        "ContradictoryAssumptions",
        "The assumptions contradict each other",
        "No world satisfies the assumptions, so every claim holds vacuously.",
        "error",
    ),
    Rule("L003", "VacuousClaim", "A claim holds only vacuously", "The claim holds because its premise can never be true.", "warning"),
    Rule(
        "L004",
        "UnusedDeclaration",
        "A declaration that nothing uses",
        "An input, definition or domain that nothing uses, or an instrument that is never cited.",
        "warning",
    ),
    Rule(
        "L005",
        "CheckInconclusive",
        "A lint check was inconclusive",
        "A time or memory limit was reached while looking for a normative conflict of an actor, checking that the assumptions "
        "are consistent, or checking a claim for vacuity: lint cannot say that the spec is free of that defect.",
        "warning",
    ),
    Rule(
        "L006",
        "LintInternalError",
        "A lint check ended in an internal error",
        "The solver and the evaluator disagreed during a lint check (please report it).",
        "error",
    ),
    Rule(
        "L010",
        "QuoteNotInSource",
        "A quote that is not in its instrument's source text",
        "The words of a `quote` do not occur in the source file of the instrument "
        "(under the cited article, where the source has a heading for it).",
        "error",
    ),
    Rule(
        "L011",
        "ParaphraseQuoted",
        "A quote of words the source marks as paraphrase",
        "The quoted words are in a paraphrased or editorial part of the source file, not the instrument's wording: "
        "cite them with `paraphrase`.",
        "error",
    ),
    Rule(
        "L012",
        "SourceTextChanged",
        "A cited article's text differs from its recorded digest",
        "The source text of a cited article has changed since its digest was recorded (or none is recorded): "
        "review the citation and the claims that rest on it.",
        "warning",
    ),
    Rule(
        "L013",
        "SourceUnreadable",
        "An instrument's source file cannot be read",
        "The file named by `source` is missing, not UTF-8, or lacks its `source:` and `title:` header.",
        "error",
    ),
)


def _diagnostic_rule(code: str) -> Rule:
    return Rule(
        code,
        "SpecError",
        f"Error {code} in a spec file",
        f"The spec file could not be read, parsed or checked (code {code}; the codes are listed in docs/cli.md). "
        "Its claims were not checked.",
        "error",
    )


def _uri(path: str) -> tuple[str, bool]:
    """The artifact URI of a path as reports show it; True when it is relative to the working directory."""
    pure = PurePath(path)
    if pure.is_absolute():
        return Path(path).as_uri(), False
    return quote(pure.as_posix()), True


def _location(file: str, line: int, column: int = 0, end_line: int = 0, end_column: int = 0) -> dict[str, object]:
    uri, relative = _uri(file)
    artifact: dict[str, object] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = SRCROOT
    physical: dict[str, object] = {"artifactLocation": artifact}
    if line >= 1:
        region: dict[str, object] = {"startLine": line}
        if column >= 1:
            region["startColumn"] = column
        if end_line >= line and end_column >= 1 and (end_line, end_column) > (line, column):
            region["endLine"] = end_line
            region["endColumn"] = end_column
        physical["region"] = region
    return {"physicalLocation": physical}


class _Run:
    """Collects rules and results; rules are listed in the driver in order of first use after the fixed ones."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules: list[Rule] = list(rules)
        self.index = {r.id: i for i, r in enumerate(self.rules)}
        self.results: list[dict[str, object]] = []

    def add(self, rule: Rule, level: str, message: str, location: dict[str, object] | None) -> None:
        if rule.id not in self.index:
            self.index[rule.id] = len(self.rules)
            self.rules.append(rule)
        result: dict[str, object] = {
            "ruleId": rule.id,
            "ruleIndex": self.index[rule.id],
            "level": level,
            "message": {"text": message},
        }
        if location is not None:
            result["locations"] = [location]
        self.results.append(result)

    def add_diagnostics(self, diagnostics: Sequence[dict[str, object]]) -> None:
        for d in diagnostics:
            code = str(d.get("code", "E0000"))
            location = _location(
                str(d.get("file", "")), _int(d.get("line")), _int(d.get("column")), _int(d.get("end_line")), _int(d.get("end_column"))
            )
            message = str(d.get("message", ""))
            suggestions = d.get("suggestions") or []
            if isinstance(suggestions, list) and suggestions:
                message += " (did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?)"
            self.add(_diagnostic_rule(code), "error", message, location)

    def log(self, properties: dict[str, object], successful: bool) -> dict[str, object]:
        from treaty_dsl import __version__

        driver: dict[str, object] = {
            "name": "treaty",
            "fullName": f"treaty-dsl {__version__}",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [r.descriptor() for r in self.rules],
        }
        uri = information_uri()
        if uri is not None:
            driver["informationUri"] = uri
        run: dict[str, object] = {
            "tool": {"driver": driver},
            "invocations": [{"executionSuccessful": successful}],
            "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": self.results,
            "properties": properties,
        }
        return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def information_uri() -> str | None:
    """The project's home page from the installed package's metadata, if it names one."""
    from importlib import metadata

    try:
        meta = metadata.metadata("treaty-dsl")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "source", "repository") and url.strip().startswith("https://"):
            return url.strip()
    homes = [h for h in meta.get_all("Home-page") or [] if h.startswith("https://")]
    return homes[0] if homes else None


def _claim_message(result: Result) -> str:
    c = result.claim
    described = (f" under {c.interpretation}" if c.interpretation else "") + (f" ({c.text})" if c.text else "")
    head = f"Claim `{c.name}`{described}: {result.verdict}, expected {c.expected}."
    match result:
        case Fails():
            head = f"Claim `{c.name}`{described} fails, but it is expected to hold."
        case Holds():
            head = f"Claim `{c.name}`{described} holds, but it is expected to fail."
        case Unknown(reason=reason):
            head = f"Claim `{c.name}`{described} is unknown: {reason}."
        case InternalError(reason=reason):
            head = f"Internal error on claim `{c.name}`: {reason}."
    return head + "\n\n" + claim_text(result, Style(False))


def check_log(results: Sequence[Result], diagnostics: Sequence[dict[str, object]], seconds: float) -> dict[str, object]:
    """The SARIF log of `treaty check`."""
    run = _Run(CHECK_RULES)
    for r in results:
        location = _location(r.claim.file, r.claim.line)
        if isinstance(r, InternalError):
            run.add(CLAIM_INTERNAL, "error", _claim_message(r), location)
        elif isinstance(r, Unknown):
            run.add(CLAIM_UNKNOWN, "warning", _claim_message(r), location)
        elif not is_ok(r):
            run.add(CLAIM_FAILS if isinstance(r, Fails) else CLAIM_HOLDS, "error", _claim_message(r), location)
        for w in r.warnings:
            run.add(CLAIM_WARNING, "warning", f"Claim `{r.claim.name}`: {w}", location)
    run.add_diagnostics(diagnostics)
    properties: dict[str, object] = {"summary": {**summary(list(results), seconds), "diagnostics": len(diagnostics)}}
    return run.log(properties, successful=not any(isinstance(r, InternalError) for r in results))


def lint_log(findings: Sequence[Finding], diagnostics: Sequence[dict[str, object]], seconds: float) -> dict[str, object]:
    """The SARIF log of `treaty lint`."""
    run = _Run(LINT_RULES)
    by_id = {r.id: r for r in LINT_RULES}
    for f in findings:
        rule = by_id.get(f.code) or Rule(f.code, "LintFinding", f"Lint finding {f.code}", f.message, f.severity)
        lines = [f.message]
        if f.scenario is not None:
            lines += [f"witness: {label} = {value}" for label, value in f.scenario.facts.items()]
            lines += [f"norm {label}: {state}" for label, state in f.scenario.norms.items()]
        location = _location(f.span.file, f.span.line, f.span.column, f.span.end_line, f.span.end_column)
        run.add(rule, "error" if f.severity == "error" else "warning", "\n".join(lines), location)
    run.add_diagnostics(diagnostics)
    errors = sum(1 for f in findings if f.severity == "error")
    properties: dict[str, object] = {
        "summary": {"findings": len(findings), "errors": errors, "warnings": len(findings) - errors, "seconds": round(seconds, 3)}
    }
    return run.log(properties, successful=not any(f.code == "L006" for f in findings))


def dumps(log: dict[str, object]) -> str:
    return json.dumps(log, indent=2, ensure_ascii=False)
