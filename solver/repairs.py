"""`treaty repair SPEC CLAIM`: the smallest changes that would make a failing claim hold.

Three kinds, each found by the solver and each re-checked by solving again on the spec changed
accordingly (a fresh verifier, a fresh encoding):

- **Declarations.** Sets of norms and powers without which the claim holds. A declaration is
  removed by making it never apply: a norm's condition, a power's condition become false (so a
  query about the norm still has its meaning: never active). Sets are tried by size, up to
  `max_size`; a set that contains a repair found already is not tried, so each repair is minimal
  by inclusion (no smaller set among its parts repairs the claim). Only the norms and powers the
  claim's encoding reaches are candidates.
- **Readings.** Sets of the spec's interpretations, composed, under which the claim holds (minimal
  the same way, up to `max_size` readings).
- **Facts.** Minimal sets of extra facts, each an input atom of the claim true or false, under
  which it holds (abduction): `it holds if, in addition, not act_of_congress`. Found by an implicit
  hitting-set search: every counterexample the solver gives must be excluded by some fact of the
  set, so the candidate sets are the smallest that exclude all counterexamples seen so far; a
  candidate under which the claim still fails yields a new counterexample, one under which it
  holds is a repair, and its supersets are excluded. Sets are found by increasing size, so each
  is minimal by inclusion. A set that no world of the spec satisfies is no repair; one that makes
  the claim's premise impossible (so it holds vacuously) is reported apart.

The enumeration stops at `limit` repairs per kind, at `max_size` elements per repair, and at a
budget of solver calls; what it could not finish is reported as such (`unknown`), never as "no
repair".
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import z3

from solver import z3env
from solver.encode import ACTUAL, EncodingLimit, EncodingTimeout
from solver.results import Holds
from solver.verify import Verifier, _has_deontic
from treaty_dsl import ir
from treaty_dsl.budget import Budget, LimitReached, limited
from treaty_dsl.grounding import Atom, atom_label
from treaty_dsl.types import BOOL, BoolT

DEFAULT_MAX_SIZE = 2
DEFAULT_LIMIT = 8
CALL_BUDGET = 400  # solver calls per kind of repair
MAX_FACT_CANDIDATES = 300  # true/false inputs a claim may read for the search for extra facts


@dataclass
class Repair:
    kind: str  # declarations | readings | facts
    items: list[str]  # "power art13_us_denunciation", "commander_in_chief_decides", "not senate_consents_to_withdrawal"
    rechecked: str  # how it was re-checked

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "items": self.items, "rechecked": self.rechecked}


@dataclass
class Search:
    """The repairs of one kind, and whether the search finished."""

    kind: str
    repairs: list[Repair] = field(default_factory=list)
    status: str = "complete"  # complete | truncated (limit reached) | unknown (budget or time) | error (a repair did not re-check)
    reason: str = ""
    candidates: int = 0
    vacuous: list[list[str]] = field(default_factory=list)  # fact sets that only make the premise impossible

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
            "candidates": self.candidates,
            "repairs": [r.to_json() for r in self.repairs],
            "vacuous": self.vacuous,
        }


@dataclass
class Repairs:
    spec: str
    claim: str
    verdict: str  # the claim's verdict as written: only `fails` has repairs
    searches: list[Search] = field(default_factory=list)
    max_size: int = DEFAULT_MAX_SIZE
    reason: str = ""
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "version": 1,
            "spec": self.spec,
            "claim": self.claim,
            "verdict": self.verdict,
            "reason": self.reason,
            "max_size": self.max_size,
            "searches": [s.to_json() for s in self.searches],
            "seconds": round(self.seconds, 3),
        }


class _OutOfBudget(Exception):
    pass


class _Disagreement(Exception):
    """A repair the search found does not hold when the changed spec is checked afresh."""


def repairs(
    spec: ir.Spec,
    path: str,
    claim: ir.Claim,
    reading_specs: dict[str, ir.Spec | str] | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    limit: int = DEFAULT_LIMIT,
    timeout_s: float = 30.0,
) -> Repairs:
    """`reading_specs`: for each set of readings (`a+b`), the spec under it, or why it does not
    compose; the claim is looked up there by name."""
    started = time.monotonic()
    result = Repairs(path, claim.name, "", max_size=max_size)
    first = Verifier(spec, timeout_s).check_claim(claim)
    result.verdict = first.verdict
    if first.verdict != "fails":
        result.reason = {"holds": "the claim holds: there is nothing to repair"}.get(first.verdict, getattr(first, "reason", ""))
        result.seconds = time.monotonic() - started
        return result
    try:
        finder = _Finder(spec, claim, timeout_s, limit, max_size)
    except (EncodingTimeout, EncodingLimit, LimitReached, z3.Z3Exception, MemoryError) as exc:
        reason = f"the claim could not be encoded for the search: {exc or 'time limit'}"
        result.searches = [Search(kind, status="unknown", reason=reason) for kind in ("declarations", "facts")]
        result.seconds = time.monotonic() - started
        return result
    searches: list[tuple[str, Callable[[], Search]]] = [("declarations", finder.declarations)]
    if reading_specs:
        searches.append(("readings", lambda: _readings(claim, reading_specs, max_size, limit, timeout_s)))
    searches.append(("facts", finder.facts))
    for kind, search in searches:
        try:
            with limited(Budget(finder.deadline, z3env.memory_limit_mb())):
                result.searches.append(search())
        except (EncodingTimeout, EncodingLimit, LimitReached, MemoryError) as exc:
            result.searches.append(Search(kind, status="unknown", reason=f"stopped while encoding: {exc or 'time limit'}"))
    result.seconds = time.monotonic() - started
    return result


class _Finder:
    def __init__(self, spec: ir.Spec, claim: ir.Claim, timeout_s: float, limit: int, max_size: int) -> None:
        self.spec, self.claim = spec, claim
        self.timeout_s, self.limit, self.max_size = timeout_s, limit, max_size
        self.deadline = time.monotonic() + timeout_s * 4
        self.ver = Verifier(spec, timeout_s)
        self.ver._encode_assumptions()  # (the verifier asserts them before its first check)
        self.enc = self.ver.enc
        self.enc.deadline = self.deadline
        self._lits = 0
        with self.enc.collecting_guards() as guards:
            negated = z3.Not(self.enc.as_bool(self.enc.enc(claim.body, {}, ACTUAL)))
        if guards:  # as the verifier does: a counterexample must not rest on a state before the horizon
            negated = z3.And([negated, *guards])
        self.negated_lit = self._guard(negated, "claim")
        premise = _premise_of(claim.body)
        self.premise_lit = self._guard(self.enc.as_bool(self.enc.enc(premise, {}, ACTUAL)), "premise") if premise is not None else None
        self.calls = 0

    def _guard(self, formula: z3.BoolRef, tag: str) -> z3.BoolRef:
        self._lits += 1
        lit = z3.Bool(f"repair!{tag}!{self._lits}", self.enc.ctx)
        self.ver.solver.add(z3.Implies(lit, formula))
        self.ver._flush()
        return lit

    def _sat(self, assumptions: list[z3.BoolRef]) -> bool:
        self.calls += 1
        if self.calls > CALL_BUDGET:
            raise _OutOfBudget(f"stopped after {CALL_BUDGET} solver calls")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _OutOfBudget("time limit reached")
        self.ver.solver.set("timeout", max(1, int(remaining * 1000)))
        answer = self.ver.solver.check(*assumptions)
        if answer == z3.unknown:
            raise _OutOfBudget(f"the solver could not decide ({self.ver.solver.reason_unknown()})")
        return bool(answer == z3.sat)

    # ---- declarations ----
    def declarations(self) -> Search:
        search = Search("declarations")
        removable: dict[str, list[z3.BoolRef]] = {}  # tracker key -> the terms that removal makes false
        for (name, _), term in list(self.enc._applicable.items()) + list(self.enc._active.items()):
            removable.setdefault(f"norm:{name}", []).append(term)
        for key, term in self.enc._effective.items():
            removable.setdefault(f"power:{key[0]}", []).append(term)
        keys = sorted(removable, key=lambda k: (getattr(self.enc.sources[k].decl, "span", None) is None, self._line(k), k))
        search.candidates = len(keys)
        selectors = {k: self._guard(z3.And([z3.Not(t) for t in removable[k]]), f"remove-{k}") for k in keys}
        self.calls = 0
        try:
            for size in range(1, self.max_size + 1):
                for combo in itertools.combinations(keys, size):
                    if any(set(r) <= set(combo) for r in self._found(search)):
                        continue
                    trackers = [lit for k, lit in self.enc.trackers.items() if k not in combo]
                    assumptions = trackers + [selectors[k] for k in combo]
                    if self._sat([*assumptions, self.negated_lit]):
                        continue
                    if self.premise_lit is not None and not self._sat([*assumptions, self.premise_lit]):
                        continue  # the claim would hold only vacuously
                    repair = self._recheck_removal(list(combo))
                    if repair is not None:
                        search.repairs.append(repair)
                    if len(search.repairs) >= self.limit:
                        search.status, search.reason = "truncated", f"the first {self.limit} repairs"
                        return search
        except _OutOfBudget as exc:
            search.status, search.reason = "unknown", str(exc)
        except _Disagreement as exc:
            search.status, search.reason = "error", str(exc)
        except z3.Z3Exception as exc:
            search.status, search.reason = "unknown", f"solver error: {exc}"
        return search

    def _line(self, key: str) -> int:
        span = getattr(self.enc.sources[key].decl, "span", None)
        return getattr(span, "line", 0)

    @staticmethod
    def _found(search: Search) -> list[list[str]]:
        return [[_key_of(item) for item in r.items] for r in search.repairs]

    def _recheck_removal(self, keys: list[str]) -> Repair | None:
        """The claim checked afresh on a copy of the spec in which the declarations never apply."""
        spec, claim = copy.deepcopy((self.spec, self.claim))
        for key in keys:
            kind, name = key.split(":", 1)
            if kind == "norm":
                object.__setattr__(spec.norms[name], "when", ir.Const(False, BOOL))
            else:
                spec.powers[name].when = ir.Const(False, BOOL)
        checked = Verifier(spec, self.timeout_s).check_claim(claim)
        if not isinstance(checked, Holds):
            raise _Disagreement(f"a repair the solver found did not re-check ({checked.verdict}): {', '.join(keys)}")
        items = [_describe(self.enc.sources[k].kind, self.enc.sources[k].name, self.enc.sources[k].decl) for k in keys]
        return Repair("declarations", items, "holds on the spec without them, in a fresh solver")

    # ---- facts ----
    def facts(self) -> Search:
        search = Search("facts")
        reads = self.ver.structure.reads_any(self.claim.body, {})
        atoms = sorted(
            (a for a in reads if isinstance(self.spec.inputs[a[0]].type, BoolT) and a in self.enc.atoms),
            key=lambda a: (list(self.spec.inputs).index(a[0]), repr(a)),
        )
        search.candidates = len(atoms)
        if not atoms:
            return search
        if len(atoms) > MAX_FACT_CANDIDATES:
            search.status = "unknown"
            search.reason = f"the claim reads {len(atoms)} true/false inputs; the search for facts is bounded at {MAX_FACT_CANDIDATES}"
            return search
        hs = z3.Solver(ctx=self.enc.ctx)
        pos = {a: z3.Bool(f"hs!pos!{atom_label(a)}", self.enc.ctx) for a in atoms}
        neg = {a: z3.Bool(f"hs!neg!{atom_label(a)}", self.enc.ctx) for a in atoms}
        for a in atoms:
            hs.add(z3.Not(z3.And(pos[a], neg[a])))
        selectors = [*pos.values(), *neg.values()]
        literal_lits: dict[tuple[Atom, bool], z3.BoolRef] = {}

        def literal(a: Atom, value: bool) -> z3.BoolRef:
            if (a, value) not in literal_lits:
                term = self.enc.atoms[a]
                literal_lits[(a, value)] = self._guard(term if value else z3.Not(term), f"fact-{atom_label(a)}-{value}")
            return literal_lits[(a, value)]

        trackers = list(self.enc.trackers.values())
        self.calls = 0
        try:
            if not self._sat([*trackers, self.negated_lit]):
                return search  # cannot happen: the claim fails
            self._exclude(hs, atoms, pos, neg)
            for size in range(1, self.max_size + 1):
                while True:
                    hs.push()
                    hs.add(z3.AtMost(*selectors, size))
                    answer = hs.check()
                    model = hs.model() if answer == z3.sat else None
                    hs.pop()
                    if model is None:
                        break
                    chosen = [(a, True) for a in atoms if z3.is_true(model.eval(pos[a]))]
                    chosen += [(a, False) for a in atoms if z3.is_true(model.eval(neg[a]))]
                    lits = [literal(a, v) for a, v in chosen]
                    if self._sat([*trackers, self.negated_lit, *lits]):
                        self._exclude(hs, atoms, pos, neg)  # a new counterexample: some fact must exclude it
                        continue
                    hs.add(z3.Or([z3.Not(pos[a] if v else neg[a]) for a, v in chosen]))  # no superset
                    if not self._sat([*trackers, *lits]):
                        continue  # no world of the spec has these facts
                    labels = [atom_label(a) if v else f"not {atom_label(a)}" for a, v in chosen]
                    if self.premise_lit is not None and not self._sat([*trackers, self.premise_lit, *lits]):
                        search.vacuous.append(labels)
                        continue
                    search.repairs.append(self._recheck_facts(chosen, labels))
                    if len(search.repairs) >= self.limit:
                        search.status, search.reason = "truncated", f"the first {self.limit} repairs"
                        return search
        except _OutOfBudget as exc:
            search.status, search.reason = "unknown", str(exc)
        except _Disagreement as exc:
            search.status, search.reason = "error", str(exc)
        except z3.Z3Exception as exc:
            search.status, search.reason = "unknown", f"solver error: {exc}"
        return search

    def _exclude(self, hs: z3.Solver, atoms: list[Atom], pos: dict[Atom, z3.BoolRef], neg: dict[Atom, z3.BoolRef]) -> None:
        """The counterexample in the solver's model must be excluded: some chosen fact is false in it."""
        model = self.ver.solver.model()
        clause = []
        for a in atoms:
            value = model.eval(self.enc.atoms[a], model_completion=True)
            clause.append(neg[a] if z3.is_true(value) else pos[a])
        hs.add(z3.Or(clause))

    def _recheck_facts(self, chosen: list[tuple[Atom, bool]], labels: list[str]) -> Repair:
        """The claim with the facts as its premise, checked by a fresh verifier."""
        parts: list[ir.Expr] = []
        for (name, args), value in chosen:
            inp = self.spec.inputs[name]
            consts = tuple(ir.Const(v, p.type) for v, p in zip(args, inp.params, strict=True))
            ref: ir.Expr = ir.InputRef(inp, consts, inp.type)
            parts.append(ref if value else ir.Not(ref, BOOL))
        facts = parts[0] if len(parts) == 1 else ir.BoolOp("and", tuple(parts), BOOL)
        body = ir.BoolOp("implies", (facts, self.claim.body), BOOL)
        claim = ir.Claim(self.claim.name, self.claim.text, body, "holds", self.claim.span)
        checked = Verifier(self.spec, self.timeout_s).check_claim(claim)
        if not isinstance(checked, Holds):
            raise _Disagreement(f"a repair the solver found did not re-check ({checked.verdict}): {', '.join(labels)}")
        return Repair("facts", labels, "the claim with these facts as premise holds, in a fresh solver")


def _readings(claim: ir.Claim, reading_specs: dict[str, ir.Spec | str], max_size: int, limit: int, timeout_s: float) -> Search:
    """Minimal sets of readings under which the claim holds; each check is itself a fresh verifier."""
    search = Search("readings")
    names = sorted({n for key in reading_specs for n in key.split("+")})
    search.candidates = len(names)
    for size in range(1, max_size + 1):
        for combo in itertools.combinations(names, size):
            if any(set(r.items) <= set(combo) for r in search.repairs):
                continue
            spec = reading_specs.get("+".join(combo))
            if not isinstance(spec, ir.Spec):
                continue  # not composable, or not asked for
            under = next((c for c in spec.claims if c.name == claim.name), None)
            if under is None:
                continue
            checked = Verifier(spec, timeout_s).check_claim(under, "+".join(combo))
            if checked.verdict == "unknown":
                search.status, search.reason = "unknown", f"under {'+'.join(combo)}: {getattr(checked, 'reason', '')}"
            if isinstance(checked, Holds):
                search.repairs.append(Repair("readings", list(combo), "holds under the composed reading, in a fresh solver"))
                if len(search.repairs) >= limit:
                    search.status, search.reason = "truncated", f"the first {limit} repairs"
                    return search
    return search


def _premise_of(body: ir.Expr) -> ir.Expr | None:
    """For `every x: W implies (A implies B)` (where-conditions included), `some x: W and A`: what
    must be possible for the claim not to hold vacuously. None when the claim has no premise, or
    a premise that asks a deontic question."""
    vars_: list[ir.Var] = []
    premises: list[ir.Expr] = []
    e = body
    while True:
        if isinstance(e, ir.Quant) and e.kind == "every":
            vars_.extend(e.vars)
            e = e.body
        elif isinstance(e, ir.BoolOp) and e.op == "implies" and not _has_deontic(e.items[0]):
            premises.append(e.items[0])
            e = e.items[1]
        else:
            break
    if not premises:
        return None
    both = premises[0] if len(premises) == 1 else ir.BoolOp("and", tuple(premises), BOOL)
    return ir.Quant("some", tuple(vars_), both, BOOL) if vars_ else both


def _describe(kind: str, name: str, decl: object) -> str:
    citation = getattr(decl, "citation", None)
    span = getattr(decl, "span", None)
    line = int(getattr(span, "line", 0) or 0)
    where = f" ({span.file}:{line})" if span is not None and line else ""
    cite = f"  [{citation.locator()}]" if citation is not None and hasattr(citation, "locator") else ""
    return f"{kind} {name}{where}{cite}"


def _key_of(item: str) -> str:
    kind, rest = item.split(" ", 1)
    return f"{kind}:{rest.split(' ', 1)[0]}"


__all__ = ["repairs", "Repairs", "Repair", "Search", "DEFAULT_MAX_SIZE", "DEFAULT_LIMIT", "atom_label"]
