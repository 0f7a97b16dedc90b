"""What leaves `solver/`: plain Python values, never Z3 objects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CoreItem:
    """A declaration a proof used, with where it comes from in the law and in the spec."""

    name: str
    kind: str  # definition | norm | assumption | claim
    citation: str | None
    file: str
    line: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "citation": self.citation, "file": self.file, "line": self.line}


@dataclass(frozen=True)
class Alternative:
    """A compliant alternative that decides a deontic query in a counterexample."""

    actor: str
    query: str
    acts: dict[str, str]  # act label -> value in the alternative
    note: str

    def to_json(self) -> dict[str, object]:
        return {"actor": self.actor, "query": self.query, "acts": self.acts, "note": self.note}


@dataclass(frozen=True)
class Scenario:
    """A world as the reader sees it: the inputs that matter, as plain values."""

    facts: dict[str, str]  # atom label -> value, only the relevant ones
    bindings: list[str] = field(default_factory=list)  # "p = US" for the instance that fails
    norms: dict[str, str] = field(default_factory=dict)  # norm instance -> active / violated
    alternatives: list[Alternative] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)  # (date, event), in date order
    states: dict[str, str] = field(default_factory=dict)  # "party(US) on 2026-03-01" -> "false (...)"

    def to_json(self) -> dict[str, object]:
        return {
            "events": [{"date": d, "event": e} for d, e in self.events],
            "states": self.states,
            "facts": self.facts,
            "bindings": self.bindings,
            "norms": self.norms,
            "alternatives": [a.to_json() for a in self.alternatives],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Certificate:
    """A second solver's answer to the query the verdict rests on (`--certify`)."""

    solver: str  # "cvc5"
    status: str  # "agrees" | "undecided"
    answer: str  # sat | unsat | unknown
    logic: str  # the SMT-LIB logic of the exported query
    size: int  # characters of the SMT-LIB script
    seconds: float
    reason: str = ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"solver": self.solver, "status": self.status, "answer": self.answer, "logic": self.logic}
        out["smtlib_chars"] = self.size
        out["seconds"] = round(self.seconds, 4)
        if self.reason:
            out["reason"] = self.reason
        return out

    def text(self) -> str:
        if self.status == "agrees":
            return f"{self.solver} agrees ({self.answer}, SMT-LIB {self.logic})"
        return f"{self.solver} undecided: {self.reason}"


@dataclass(frozen=True)
class ClaimInfo:
    name: str
    file: str
    line: int
    text: str | None
    expected: str | None  # None: no expectation under this reading (`--under`, `compare`)
    interpretation: str | None = None


@dataclass(frozen=True)
class Holds:
    claim: ClaimInfo
    core: list[CoreItem]
    warnings: list[str]
    seconds: float
    checked: str  # how the proof was re-checked
    verdict: str = "holds"
    certificate: Certificate | None = None  # a second solver's answer (`--certify`)


@dataclass(frozen=True)
class Fails:
    claim: ClaimInfo
    scenario: Scenario
    warnings: list[str]
    seconds: float
    checked: str  # how the counterexample was replayed
    verdict: str = "fails"
    certificate: Certificate | None = None  # a second solver's answer (`--certify`)


@dataclass(frozen=True)
class Unknown:
    claim: ClaimInfo
    reason: str
    warnings: list[str]
    seconds: float
    verdict: str = "unknown"


@dataclass(frozen=True)
class InternalError:
    """The solver and the evaluator disagree: a bug in treaty-dsl, never shown as a verdict."""

    claim: ClaimInfo
    reason: str
    warnings: list[str]
    seconds: float
    verdict: str = "error"


Result = Holds | Fails | Unknown | InternalError


def is_ok(result: Result) -> bool:
    if result.claim.expected is None:
        return result.verdict in ("holds", "fails")
    return result.verdict == result.claim.expected
