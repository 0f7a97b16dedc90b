"""`treaty lint`: normative conflicts, contradictory assumptions, vacuous claims, unused declarations."""

from __future__ import annotations

from dataclasses import dataclass

from solver.results import Fails, InternalError, Scenario, Unknown
from solver.verify import Verifier
from treaty_dsl import ir
from treaty_dsl.budget import LimitReached, limited
from treaty_dsl.span import Span
from treaty_dsl.symmetry import spec_expressions
from treaty_dsl.types import BOOL, EnumT
from treaty_dsl.walk import subexprs


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # error | warning
    message: str
    span: Span
    scenario: Scenario | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "scenario": self.scenario.to_json() if self.scenario is not None else None,
        }


INCONCLUSIVE = "L005"  # a check ended `unknown`: lint cannot say the spec is clean
INTERNAL = "L006"  # a check ended in an internal error


def lint(spec: ir.Spec, timeout_s: float) -> list[Finding]:
    verifier = Verifier(spec, timeout_s)
    findings: list[Finding] = []
    consistent = verifier.assumptions_consistent()
    first = spec.assumptions[0].span if spec.assumptions else Span(spec.files[-1] if spec.files else "<spec>", 1, 1, 1, 1)
    if consistent is False:
        findings.append(
            Finding(
                "L002", "error", "the assumptions contradict each other: no world satisfies them, so every claim holds vacuously", first
            )
        )
    elif consistent is None:
        reason = verifier.consistency_unknown or "unknown"
        findings.append(Finding(INCONCLUSIVE, "warning", f"could not decide whether the assumptions are consistent: {reason}", first))
    findings.extend(_dilemmas(spec, verifier))
    if consistent is not False:
        for claim in spec.claims:
            result = verifier.check_claim(claim)
            for w in result.warnings:
                if w.startswith("vacuous"):
                    findings.append(
                        Finding("L003", "warning", f"claim `{claim.name}` holds only vacuously: {w.split(': ', 1)[-1]}", claim.span)
                    )
            if isinstance(result, Unknown):
                message = f"could not decide whether claim `{claim.name}` holds only vacuously: {result.reason}"
                findings.append(Finding(INCONCLUSIVE, "warning", message, claim.span))
            elif isinstance(result, InternalError):
                message = f"internal error while checking claim `{claim.name}`: {result.reason}"
                findings.append(Finding(INTERNAL, "error", message, claim.span))
    findings.extend(_unused(spec))
    return findings


def _dilemmas(spec: ir.Spec, verifier: Verifier) -> list[Finding]:
    """An actor with no compliant alternative in some world: `permitted(a, true)` fails there.

    Grounding the norms to find their bearers is done within the time limit too (the probe's check
    has its own): a spec whose norms have millions of instances gives `L005`, not a hang."""
    out: list[Finding] = []
    first = next((n.span for n in spec.norms.values()), Span(spec.files[-1] if spec.files else "<spec>", 1, 1, 1, 1))
    try:
        with limited(verifier.budget(verifier.timeout_s)):
            bearers = verifier.structure.bearers()
    except LimitReached as exc:
        reason = verifier.limit_reason(exc, "finding the bearers of the norms")
        return [Finding(INCONCLUSIVE, "warning", f"could not decide whether every actor can always comply: {reason}", first)]
    for actor in bearers:
        domain = spec.constants.get(actor)
        if domain is None:
            continue
        query = ir.Deontic("permitted", ir.Const(actor, EnumT(domain.name)), ir.Const(True, BOOL), BOOL)
        try:
            with limited(verifier.budget(verifier.timeout_s)):
                span = _first_norm_span(spec, verifier, actor)
        except LimitReached as exc:
            reason = verifier.limit_reason(exc, f"grounding the norms of {actor}")
            out.append(Finding(INCONCLUSIVE, "warning", f"could not decide whether {actor} can always comply: {reason}", first))
            continue
        probe = ir.Claim(f"no dilemma for {actor}", None, query, "holds", span)
        result = verifier.check_claim(probe)
        if isinstance(result, Fails):
            norms = sorted({i.norm.name for i in verifier.structure.norm_instances(actor)})
            out.append(
                Finding(
                    "L001",
                    "error",
                    f"normative conflict: in some world {actor} cannot comply with all of its norms at once ({', '.join(norms)})",
                    probe.span,
                    result.scenario,
                )
            )
        elif isinstance(result, Unknown):
            out.append(Finding(INCONCLUSIVE, "warning", f"could not decide whether {actor} can always comply: {result.reason}", probe.span))
        elif isinstance(result, InternalError):
            message = f"internal error while checking whether {actor} can always comply: {result.reason}"
            out.append(Finding(INTERNAL, "error", message, probe.span))
    return out


def _first_norm_span(spec: ir.Spec, verifier: Verifier, actor: str) -> Span:
    instances = verifier.structure.norm_instances(actor)
    return instances[0].norm.span if instances else Span("<spec>", 1, 1, 1, 1)


def _unused(spec: ir.Spec) -> list[Finding]:
    used_inputs: set[str] = set()
    used_defs: set[str] = set()
    used_domains: set[str] = set()
    used_instruments: set[str] = set()
    bodies: list[ir.Expr] = [*spec_expressions(spec), *(c.body for c in spec.claims)]
    for n in spec.norms.values():
        used_instruments.add(n.citation.instrument.name)
        used_domains.update(p.type.domain for p in n.params if isinstance(p.type, EnumT))
    citations = [d.citation for d in spec.definitions.values()]
    citations += [st.citation for st in spec.states.values()] + [pw.citation for pw in spec.powers.values()]
    used_instruments.update(c.instrument.name for c in citations if c is not None)
    params = [v for st in spec.states.values() for v in st.params] + [v for pw in spec.powers.values() for v in pw.params]
    used_domains.update(v.type.domain for v in params if isinstance(v.type, EnumT))
    for a in spec.assumptions:
        if a.citation is not None:
            used_instruments.add(a.citation.instrument.name)
    for i in spec.inputs.values():
        if i.citation is not None:
            used_instruments.add(i.citation.instrument.name)
        used_domains.update(p.type.domain for p in i.params if isinstance(p.type, EnumT))
        if isinstance(i.type, EnumT):
            used_domains.add(i.type.domain)
    for body in bodies:
        for e in subexprs(body):
            if isinstance(e.type, EnumT):
                used_domains.add(e.type.domain)
            if isinstance(e, ir.InputRef):
                used_inputs.add(e.input.name)
            elif isinstance(e, ir.DefRef):
                used_defs.add(e.definition.name)
            elif isinstance(e, ir.Quant | ir.Count):
                used_domains.update(v.type.domain for v in e.vars if isinstance(v.type, EnumT))
    out: list[Finding] = []
    for name, inp in spec.inputs.items():
        if inp.day_of is not None and (name in used_inputs or inp.day_of in used_inputs):
            used_inputs.add(inp.day_of)  # an event whose day is read is used
    for name, inp in spec.inputs.items():
        if inp.day_of is not None:
            continue  # reported with its event
        if name not in used_inputs:
            out.append(Finding("L004", "warning", f"input `{name}` is declared but nothing uses it", inp.span))
    for name, defn in spec.definitions.items():
        if name not in used_defs:
            out.append(Finding("L004", "warning", f"definition `{name}` is declared but nothing uses it", defn.span))
    for name, dom in spec.domains.items():
        if name not in used_domains:
            out.append(Finding("L004", "warning", f"domain `{name}` is declared but nothing uses it", dom.span))
    for name, inst in spec.instruments.items():
        if name not in used_instruments:
            out.append(Finding("L004", "warning", f"instrument `{name}` is never cited", inst.span))
    vocabulary = _vocabulary_files(spec)
    return sorted((f for f in out if f.span.file not in vocabulary), key=lambda f: (f.span.file, f.span.line))


def _vocabulary_files(spec: ir.Spec) -> set[str]:
    """Files that declare no norm, power, claim or scenario: vocabulary for the files that use them.

    A spec uses what it needs of a shared vocabulary, so what it leaves unused there is not a finding.
    """
    spans = [n.span for n in spec.norms.values()] + [pw.span for pw in spec.powers.values()] + [c.span for c in spec.claims]
    return set(spec.files) - {s.file for s in spans}
