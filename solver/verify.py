"""Claims to verdicts: one solver per spec, one guarded assertion per claim, certified results."""

from __future__ import annotations

import time
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import z3

from solver import z3env, zterms
from solver.encode import ACTUAL, Encoder, EncodingLimit, EncodingTimeout
from solver.results import Alternative, ClaimInfo, CoreItem, Fails, Holds, InternalError, Result, Scenario, Unknown
from treaty_dsl import ir
from treaty_dsl.budget import Budget, LimitReached, limited
from treaty_dsl.calendar import format_day
from treaty_dsl.deontic import Structure
from treaty_dsl.evaluator import EvaluationLimit, Evaluator, World
from treaty_dsl.explain import Explanation, explain
from treaty_dsl.grounding import Atom, atom_label, default_value, format_value
from treaty_dsl.span import NO_SPAN, Span
from treaty_dsl.symmetry import Reduction, named_constants, reduce_claim
from treaty_dsl.types import BOOL, BoolT, DayT, EnumT, IntT

DEFAULT_TIMEOUT_S = 10.0
MINIMIZE_SECONDS = 1.0
MAX_NORMS_SHOWN = 8
MAX_FACTS_SHOWN = 40
TRIAL_WORK = 10  # a core minimization trial may take this many times the work of the re-check
MIN_TRIAL_RLIMIT = 200_000  # ... and at least this much (Z3's resource count; a small check is 10,000 to 100,000)
GROUP_CLAIMS = 12  # claims checked in one verifier (see `claim_groups`)


class Verifier:
    """Checks the claims of one spec, reusing one encoder and one incremental solver."""

    def __init__(self, spec: ir.Spec, timeout_s: float = DEFAULT_TIMEOUT_S, certify: bool = False) -> None:
        self.spec = spec
        self.timeout_s = timeout_s
        self.certify = certify  # re-solve each verdict's query with a second solver (solver.certify)
        self._query: list[z3.BoolRef] = []  # the last claim's query: its conjunction is unsat iff the claim holds
        self._slicer: Any = None  # a solver.smtlib.Slicer, made on the first certified claim
        self.structure = Structure(spec)
        self.enc = Encoder(spec, self.structure)
        self.solver = z3env.new_solver(self.enc.ctx)
        self._structural_done = 0
        self._claim_lits = 0
        self._consistent: bool | None = None
        self.consistency_unknown: str | None = None  # why the consistency check was unknown
        self._spec_named: dict[str, set[str]] | None = None
        self._reductions: dict[int, tuple[ir.Expr, Reduction | None]] = {}
        self._assumption_reads: list[tuple[ir.Assumption, frozenset[Atom] | None]] | None = None
        self._assumptions_done = 0  # the spec's assumptions asserted so far (see `_encode_assumptions`)
        self._phase = ""  # what the claim being checked is at, for the reason of an `unknown`

    def budget(self, seconds: float) -> Budget:
        """A limit on the Python side of the work (structure analysis, encoding, replay), which the
        solver's own limits do not reach: `seconds` from now, and the solver's memory limit."""
        return Budget(time.monotonic() + seconds, z3env.memory_limit_mb())

    def _encode_assumptions(self) -> None:
        """The spec's assumptions, asserted before the first check that needs them, within a time
        limit of their own (as the consistency check has): a `LimitReached` leaves the rest for the
        next try, with a new encoder (`_start_over`)."""
        if self._assumptions_done < len(self.spec.assumptions):
            with limited(self.budget(self.timeout_s)):
                while self._assumptions_done < len(self.spec.assumptions):
                    a = self.spec.assumptions[self._assumptions_done]
                    self.enc.assert_tracked("assumption", a.name, a, self.enc.as_bool(self.enc.enc(a.body, {}, ACTUAL)))
                    self._assumptions_done += 1
        self._flush()

    def _start_over(self) -> None:
        """A new structure, encoder and solver, after work was cut short by a limit. The encoder's
        caches may hold a term whose defining assertion was never made; the structure's hold what
        the claim built before it was stopped, which must not pile up from claim to claim."""
        self.structure = Structure(self.spec)
        self._assumption_reads = None
        self.enc = Encoder(self.spec, self.structure)
        self.solver = z3env.new_solver(self.enc.ctx)
        self._structural_done = 0
        self._assumptions_done = 0

    def _fresh_solver(self) -> None:
        """A new solver holding the spec's assertions only, without what earlier claims left behind."""
        self.enc.take_pending()  # every pending assertion is also in `tracked`
        self.solver = z3env.new_solver(self.enc.ctx)
        self.solver.add(self.enc.structural)
        self._structural_done = len(self.enc.structural)
        for key, formulas in self.enc.tracked.items():
            self.solver.add([z3.Implies(self.enc.trackers[key], f) for f in formulas])

    def _flush(self) -> None:
        for f in self.enc.take_pending():
            self.solver.add(f)
        while self._structural_done < len(self.enc.structural):
            self.solver.add(self.enc.structural[self._structural_done])
            self._structural_done += 1

    def _check(self, extra: list[z3.BoolRef], deadline: float) -> z3.CheckSatResult:
        remaining = max(0.001, deadline - time.monotonic())
        z3env.set_timeout(self.solver, int(remaining * 1000))
        return z3env.interruptible(self.solver, self.solver.check(*(list(self.enc.trackers.values()) + extra)), deadline)

    # ---- the spec as a whole ----
    def assumptions_consistent(self) -> bool | None:
        """False when the assumptions contradict each other (every claim would hold vacuously)."""
        if self._consistent is None:
            try:
                self._encode_assumptions()
            except LimitReached as exc:
                self._start_over()
                self.consistency_unknown = self.limit_reason(exc, "encoding the spec's assumptions")
                return None
            result = self._check([], time.monotonic() + self.timeout_s)
            self._consistent = None if result == z3.unknown else result == z3.sat
            self.consistency_unknown = _reason(self.solver.reason_unknown(), self.timeout_s) if result == z3.unknown else None
        return self._consistent

    # ---- claims ----
    def check_claim(self, claim: ir.Claim, interpretation: str | None = None) -> Result:
        info = ClaimInfo(claim.name, claim.span.file, claim.span.line, claim.text, claim.expected, interpretation)
        warnings: list[str] = []
        try:
            self._encode_assumptions()  # (once per verifier; not on the claim's clock, as before)
        except LimitReached as exc:
            self._start_over()
            return Unknown(info, self.limit_reason(exc, "encoding the spec's assumptions"), warnings, 0.0)
        started = time.monotonic()
        deadline = started + self.timeout_s
        self._phase = "encoding the claim"
        try:
            with limited(Budget(deadline, z3env.memory_limit_mb())):
                result = self._check_claim(claim, info, warnings, started, deadline)
            # The second solver has its own time limit; its answer is not on the claim's clock.
            return self._certified(result) if self.certify else result
        except EncodingTimeout:
            self._start_over()
            return Unknown(
                info, f"time limit of {self.timeout_s:g} s reached while encoding the claim", warnings, time.monotonic() - started
            )
        except LimitReached as exc:
            self._start_over()
            return Unknown(info, self.limit_reason(exc, self._phase), warnings, time.monotonic() - started)
        except z3.Z3Exception as exc:
            if "memory" not in str(exc):
                return Unknown(info, f"solver error: {exc}", warnings, time.monotonic() - started)
            self._fresh_solver()
            return Unknown(info, _MEMORY_REASON, warnings, time.monotonic() - started)
        except MemoryError:
            self._start_over()
            return Unknown(info, _MEMORY_REASON, warnings, time.monotonic() - started)
        except EncodingLimit as exc:
            return Unknown(info, f"cannot be encoded: {exc}", warnings, time.monotonic() - started)

    def limit_reason(self, exc: LimitReached, phase: str) -> str:
        if exc.kind == "memory":
            return f"{_MEMORY_REASON} while {phase}"
        return f"time limit of {self.timeout_s:g} s reached while {phase}"

    def _check_claim(self, claim: ir.Claim, info: ClaimInfo, warnings: list[str], started: float, deadline: float) -> Result:
        self.enc.touched = set()
        self.enc.deadline = deadline
        with self.enc.collecting_guards() as guards:
            negated = z3.Not(self.enc.as_bool(self._encode_claim(claim.body)))
        touched = set(self.enc.touched)
        self._query = [negated]
        self._claim_lits += 1
        lit = z3.Bool(f"claim!{self._claim_lits}!{claim.name}", self.enc.ctx)
        self.solver.add(z3.Implies(lit, negated))
        self._flush()
        result = self._check([lit], deadline)
        within: z3.BoolRef | None = None
        if result == z3.sat and guards:
            # The counterexample may rest on what a legal state was before the horizon, which the
            # spec does not say: only one in which every such read is within the horizon counts.
            inside = zterms.and_(guards) if len(guards) > 1 else guards[0]
            self._query.append(inside)
            self._claim_lits += 1
            within = z3.Bool(f"within!{self._claim_lits}", self.enc.ctx)
            self.solver.add(z3.Implies(within, inside))
            result = self._check([lit, within], deadline)
        core_keys = [str(c) for c in self.solver.unsat_core()] if result == z3.unsat else []
        model = self.solver.model() if result == z3.sat else None
        never_within = within is not None and result == z3.unsat and self._check([within], deadline) == z3.unsat
        self._retire(lit)
        if within is not None:
            self._retire(within)
        if never_within:
            horizon = format_day(self.spec.horizon[0])
            reason = f"in every world it reads a legal state before the horizon (from {horizon}), where the spec does not say what it was"
            return Unknown(info, reason, warnings, time.monotonic() - started)
        if within is not None and result == z3.unsat:
            negated = zterms.and_([negated, inside])
            warnings.append(
                f"holds in the worlds in which every day it reads a legal state on is within the horizon (from "
                f"{format_day(self.spec.horizon[0])}); the spec does not say what the states were before it"
            )
        elapsed = lambda: time.monotonic() - started  # noqa: E731
        if result == z3.unknown:
            reason = _reason(self.solver.reason_unknown(), self.timeout_s)
            if reason == _MEMORY_REASON or z3env.above_memory_limit():
                # What this claim left in the incremental solver must not count against the next one.
                self._fresh_solver()
                reason = _MEMORY_REASON
            return Unknown(info, reason, warnings, elapsed())
        if result == z3.unsat:
            keys = [k[len("track!") :] for k in core_keys if k.startswith("track!")]
            recheck, keys = self._recheck(keys, negated, deadline)
            if recheck == z3.unknown:
                return Unknown(info, "the proof's core could not be re-checked within the time limit", warnings, elapsed())
            if recheck != z3.unsat:
                return InternalError(info, "the proof's core does not re-check on its own", warnings, elapsed())
            consistent = self.assumptions_consistent()
            self._phase = "checking whether the claim's premise can be true"
            if consistent is False:
                warnings.append("vacuous: the spec's assumptions contradict each other, so every claim holds")
            elif self._premise_impossible(claim, deadline):
                warnings.append("vacuous: the claim's premise can never be true under the spec's assumptions")
            core = [self._core_item(k) for k in sorted(keys, key=self._core_order)]
            return Holds(info, core, warnings, elapsed(), checked=f"core of {len(core)} declarations re-checked in a fresh solver")
        assert model is not None
        world = self._world(model)
        self._phase = "replaying the counterexample"
        try:
            replay = _replay(self.spec, self.structure, world, claim.body)
        except EvaluationLimit as exc:
            return Unknown(info, f"counterexample found but not replayed: {exc}", warnings, elapsed())
        if replay is not None:
            return InternalError(info, f"the solver's counterexample does not replay in the evaluator: {replay}", warnings, elapsed())
        # Certified. Simplifying and explaining it is not part of finding it: it has a time limit of
        # its own (one more), so a claim that ends near its limit is not `unknown` for want of time to show why.
        try:
            with limited(self.budget(self.timeout_s)):
                scenario = self._explained(claim, world, touched)
        except LimitReached as exc:
            reason = self.limit_reason(exc, "explaining the counterexample (found and replayed)")
            return Unknown(info, reason, warnings, elapsed())
        return Fails(info, scenario, warnings, elapsed(), checked="counterexample replayed through the concrete evaluator")

    def _explained(self, claim: ir.Claim, world: World, touched: set[Atom]) -> Scenario:
        """The scenario shown for a certified counterexample: simplified, with what it turns on."""
        focus = explain(Evaluator(self.spec, world, self.structure), claim.body, want=True).focus
        relevant = self.structure.reads_any(*focus) if focus is not None else touched
        world = self._minimize(world, focus if focus is not None else (claim.body, {}), relevant)
        # The minimized world may fail at another instance first: show what that one reads.
        story = explain(Evaluator(self.spec, world, self.structure), claim.body, want=True)
        relevant = self.structure.reads_any(*story.focus) if story.focus is not None else touched
        self._violated_norms(world, story, relevant)
        return self._scenario(world, story, relevant)

    def _certified(self, result: Result) -> Result:
        """The verdict with a second solver's answer to the same query (see `solver.certify`)."""
        from solver import certify, smtlib

        if not isinstance(result, Holds | Fails):
            return result
        if self._slicer is None or self._slicer.enc is not self.enc:  # (a new encoder after `_start_over`)
            self._slicer = smtlib.Slicer(self.enc)
        script, logic = self._slicer.export(self._query)
        return certify.certify(result, script, logic, self.timeout_s)

    def _recheck(self, keys: list[str], negated: z3.BoolRef, deadline: float) -> tuple[z3.CheckSatResult, list[str]]:
        """The core re-checked in a fresh solver, then made minimal there.

        The fresh solver holds the spec's structural facts, the negated claim and the core's
        declarations, each guarded by its tracking literal. With every literal assumed it must
        answer unsat: that is the re-check. Then each declaration is dropped in turn and kept out
        when the rest still answers unsat (narrowed further to the core of that answer), so the
        core returned is one the fresh solver proved. Z3's own `core.minimize` does the same inside
        the main solver, at about twice the cost on our specs.

        A trial may do at most `TRIAL_WORK` times the solver work of the re-check (Z3's resource
        count, at least `MIN_TRIAL_RLIMIT`; deterministic, unlike a time limit): without a
        declaration that makes the proof easy, the rest can still imply the claim by a search a
        hundred times as long. Such a declaration, and one whose trial ends in unknown, stays in:
        the core is minimal but for declarations the proof found needs much work to do without.
        """
        fresh = z3env.new_solver(self.enc.ctx)
        fresh.add(self.enc.structural)
        fresh.add(negated)
        for k in keys:
            fresh.add([zterms.implies(self.enc.trackers[k], f) for f in self.enc.tracked.get(k, [])])

        def check(subset: list[str], rlimit: int = 0) -> tuple[z3.CheckSatResult, int]:
            """The answer with `subset` assumed, and the work it took (Z3's resource count)."""
            z3env.set_timeout(fresh, int(max(0.001, deadline - time.monotonic()) * 1000))
            fresh.set("rlimit", rlimit)  # 0: no limit
            before = z3env.work_done(fresh)
            result = fresh.check(*[self.enc.trackers[k] for k in subset])
            work = z3env.work_done(fresh) - before
            if result == z3.unknown and rlimit and work >= rlimit:
                return result, work  # the trial's budget, not a time-out or Ctrl-C
            return z3env.interruptible(fresh, result, deadline), work

        def core() -> set[str]:
            return {str(c)[len("track!") :] for c in fresh.unsat_core()}

        result, work = check(keys)
        if result != z3.unsat:
            return result, keys
        budget = max(MIN_TRIAL_RLIMIT, TRIAL_WORK * work)
        used = core()
        kept = [k for k in keys if k in used]
        for k in list(kept):
            if time.monotonic() > deadline:
                break
            if k not in kept:
                continue
            trial = [x for x in kept if x != k]
            if check(trial, budget)[0] == z3.unsat:
                used = core()
                kept = [x for x in trial if x in used]
        return result, kept

    def _reduction(self, body: ir.Expr) -> Reduction | None:
        """`reduce_claim` for this spec: its named values are collected once, each claim reduced once."""
        if self._spec_named is None:
            self._spec_named = named_constants(self.spec)
        entry = self._reductions.get(id(body))
        if entry is None or entry[0] is not body:  # the entry keeps `body` alive, so its id is its own
            entry = (body, reduce_claim(self.spec, body, self._spec_named))
            self._reductions[id(body)] = entry
        return entry[1]

    def _encode_claim(self, body: ir.Expr) -> object:
        """The claim, its leading `every` reduced to one instance per symmetry class (treaty_dsl.symmetry)."""
        reduction = self._reduction(body)
        if reduction is None:
            return self.enc.enc(body, {}, ACTUAL)
        parts = [self.enc.enc(reduction.body, dict(zip(reduction.vars, values, strict=True)), ACTUAL) for values in reduction.instances]
        return self.enc.as_bool(_and_all(parts))

    def _premise_impossible(self, claim: ir.Claim, deadline: float) -> bool:
        premise = _premise(claim.body)
        if premise is None:
            return False
        reduction = self._reduction(claim.body)
        if reduction is not None and isinstance(reduction.body, ir.BoolOp) and reduction.body.op == "implies":
            inner = reduction.body.items[0]
            parts = [self.enc.enc(inner, dict(zip(reduction.vars, values, strict=True)), ACTUAL) for values in reduction.instances]
            formula = z3.Or([self.enc.as_bool(p) for p in parts]) if parts else z3.BoolVal(False, self.enc.ctx)
        else:
            formula = self.enc.as_bool(self.enc.enc(premise, {}, ACTUAL))
        self._claim_lits += 1
        lit = z3.Bool(f"premise!{self._claim_lits}", self.enc.ctx)
        self.solver.add(z3.Implies(lit, formula))
        self._flush()
        result = self._check([lit], deadline)
        self._retire(lit)
        return result == z3.unsat

    def _retire(self, lit: z3.BoolRef) -> None:
        """A claim's (or premise's) literal is never assumed again: asserting its negation lets
        the solver drop the clauses it guards instead of carrying them into every later check."""
        self.solver.add(zterms.not_(lit))

    def _core_order(self, key: str) -> tuple[int, str]:
        decl = self.enc.sources[key].decl
        span = getattr(decl, "span", None)
        return (getattr(span, "line", 0), key)

    def _core_item(self, key: str) -> CoreItem:
        src = self.enc.sources[key]
        decl = src.decl
        citation = getattr(decl, "citation", None)
        span: Span = getattr(decl, "span", NO_SPAN)
        return CoreItem(src.name, src.kind, str(citation) if citation is not None else None, span.file, span.line)

    # ---- counterexamples ----
    def _world(self, model: z3.ModelRef) -> World:
        values: dict[Atom, ir.Value] = {}
        for atom, term in self.enc.atoms.items():
            value = model.eval(term, model_completion=True)
            # The common cases read straight from the numeral; anything else through `_py`.
            fast = zterms.bool_value(value) if isinstance(term, z3.BoolRef) else zterms.int_value(value)
            values[atom] = fast if fast is not None else _py(value)
        return World(self.spec, values)

    def _minimize(self, world: World, focus: tuple[ir.Expr, dict[ir.Var, ir.Value]], touched: set[Atom]) -> World:
        """Reset relevant atoms to their defaults while the failing instance `focus` still fails (so
        the world stays a counterexample of the whole claim).

        Atoms are tried in blocks: a block whose reset keeps the counterexample is taken whole,
        one that does not is split in two and its halves tried in turn, down to single atoms. A
        counterexample with 100 atoms set, most of them beside the point, takes a few dozen
        evaluations instead of 100.
        """
        deadline = time.monotonic() + MINIMIZE_SECONDS
        start = world
        pending = [a for a in sorted(touched, key=repr) if world.get(a) != self._default(a)]
        blocks: list[list[Atom]] = [pending] if pending else []
        while blocks and time.monotonic() <= deadline:
            block = blocks.pop(0)
            candidate = world.with_values({a: self._default(a) for a in block})
            # `world` satisfies every assumption: only those that read a reset atom can change.
            ev = Evaluator(self.spec, candidate, self.structure)
            try:
                keeps = all(ev.holds(a.body) for a in self._assumptions_reading(set(block))) and not ev.holds(focus[0], focus[1])
            except EvaluationLimit:
                break
            if keeps:
                world = candidate
            elif len(block) > 1:
                half = len(block) // 2
                blocks[:0] = [block[:half], block[half:]]
        try:
            if world is not start and _replay(self.spec, self.structure, world, focus[0], focus[1]) is not None:
                return start  # cannot happen if the read sets are right; the unminimized world is certified
        except EvaluationLimit:
            return start
        return world

    def _default(self, atom: Atom) -> ir.Value:
        return default_value(self.spec, self.spec.inputs[atom[0]].type)

    def _assumptions_reading(self, atoms: set[Atom]) -> list[ir.Assumption]:
        """The assumptions whose value can depend on `atoms` (all of them where that is not known)."""
        if self._assumption_reads is None:
            self._assumption_reads = []
            for a in self.spec.assumptions:
                try:
                    self._assumption_reads.append((a, self.structure.reads(a.body, {})))
                except ValueError:  # no static read set
                    self._assumption_reads.append((a, None))
        return [a for a, reads in self._assumption_reads if reads is None or not reads.isdisjoint(atoms)]

    def _violated_norms(self, world: World, story: Explanation, relevant: set[Atom]) -> None:
        """Add to the story the norms the counterexample violates whose content concerns what the
        failure turns on (a statute broken by an act that is effective elsewhere, say)."""
        ev = Evaluator(self.spec, world, self.structure)
        shown = 0
        candidates = {inst for atom in relevant for inst in self.structure.regulating_atom(atom)}
        for inst in sorted(candidates, key=lambda i: (i.norm.span.line, i.label())):
            label = inst.label()
            if label in story.norm_states or shown >= MAX_NORMS_SHOWN:
                continue
            try:
                if not ev.violated(inst):
                    continue
            except EvaluationLimit:
                continue
            order, rank = inst.norm.order, inst.norm.citation.instrument.rank
            where = f" [{' '.join(x for x in (order.name, rank) if x)}]" if order is not None else ""
            story.norm_states[label + where] = "violated"
            shown += 1

    def _scenario(self, world: World, story: Explanation, touched: set[Atom]) -> Scenario:
        facts: dict[str, str] = {}
        notes: list[str] = []
        by_input: dict[str, list[Atom]] = {}
        for atom in touched:
            by_input.setdefault(atom[0], []).append(atom)
        events: list[tuple[int, str]] = []
        for name in [n for n in self.spec.inputs if n in by_input]:
            atoms = sorted(by_input[name], key=lambda a: [str(x) for x in a[1]])
            inp = self.spec.inputs[name]
            if inp.day_of is not None:
                continue  # shown with its event
            if inp.event:
                for a in atoms:
                    if world.get(a) is True:
                        events.append((int(world.get((inp.day_input, a[1]))), atom_label(a)))  # type: ignore[arg-type]
                continue
            if isinstance(inp.type, DayT):
                for a in atoms:
                    facts[atom_label(a)] = format_day(int(world.get(a)))  # type: ignore[arg-type]
                continue
            if isinstance(inp.type, BoolT):
                true = [a for a in atoms if world.get(a) is True]
                false = [a for a in atoms if world.get(a) is False]
                if len(true) > 3 and len(false) <= 3:
                    # Mostly true: name the true ones as a pattern, the exceptions one by one.
                    facts.update(_compress(self.spec, name, true, "true"))
                    for a in false:
                        facts[atom_label(a)] = "false"
                else:
                    facts.update(_compress(self.spec, name, true, "true"))
            else:
                for a in atoms:
                    facts[atom_label(a)] = format_value(world.get(a))
        if len(facts) > MAX_FACTS_SHOWN:
            notes.append(f"{len(facts) - MAX_FACTS_SHOWN} more facts not shown")
            facts = dict(list(facts.items())[:MAX_FACTS_SHOWN])
        notes.append("every other event and choice is false (or zero)")
        alternatives = [
            Alternative(
                w.actor,
                w.query,
                {atom_label(a): format_value(v) for a, v in sorted((w.alternative or {}).items(), key=repr) if v is not False},
                _witness_note(w.query, w.value, w.dilemma, w.actor),
            )
            for w in story.witnesses
        ]
        ordered = [(format_day(day), label) for day, label in sorted(events)]
        return Scenario(facts, story.bindings, story.norm_states, alternatives, notes, ordered, story.states)


def _compress(spec: ir.Spec, name: str, atoms: list[Atom], value: str) -> dict[str, str]:
    """Atoms that form a full product (`agrees(every Party, EE)`) in one line; else one by one."""
    if len(atoms) <= 3:
        return {atom_label(a): value for a in atoms}
    inp = spec.inputs[name]
    positions = [sorted({a[1][i] for a in atoms}, key=str) for i in range(len(inp.params))]
    size = 1
    for p in positions:
        size *= len(p)
    if size != len(atoms):
        return {atom_label(a): value for a in atoms}
    parts: list[str] = []
    for param, vals in zip(inp.params, positions, strict=True):
        domain = spec.domain_of(param.type)
        if domain is not None and len(vals) == len(domain.values) and len(vals) > 1:
            parts.append(f"every {domain.name}")
        elif len(vals) == 1:
            parts.append(str(vals[0]))
        else:
            parts.append("{" + ", ".join(map(str, vals)) + "}")
    return {f"{name}({', '.join(parts)})": value}


def _witness_note(query: str, value: bool, dilemma: bool, actor: str) -> str:
    if dilemma:
        return f"{actor} has no compliant alternative at all (a normative conflict)"
    if query == "obliged" and not value:
        return f"a compliant alternative for {actor} in which the formula is false"
    if query == "obliged":
        return f"in every compliant alternative of {actor} the formula is true (one shown)"
    if value == (query == "permitted"):
        return f"a compliant alternative for {actor} in which the formula is true"
    return f"no compliant alternative of {actor} makes the formula true"


def _replay(spec: ir.Spec, structure: Structure, world: World, claim: ir.Expr, env: dict[ir.Var, ir.Value] | None = None) -> str | None:
    """None when `world` is a counterexample according to the evaluator; else what went wrong."""
    ev = Evaluator(spec, world, structure)
    failing = ev.failing_assumptions()
    if failing:
        return f"assumption {failing[0].name} does not hold"
    if ev.holds(claim, env):
        return "the claim holds in it"
    return None


def _and_all(parts: list[object]) -> object:
    if any(p is False for p in parts):
        return False
    terms = [p for p in parts if p is not True]
    if not terms:
        return True
    return terms[0] if len(terms) == 1 else z3.And(terms)  # type: ignore[arg-type]


def _premise(body: ir.Expr) -> ir.Expr | None:
    """For `every x: A implies B`, the formula `some x: A` (None when the claim has no premise)."""
    vars_: list[ir.Var] = []
    e = body
    while isinstance(e, ir.Quant) and e.kind == "every":
        vars_.extend(e.vars)
        e = e.body
    if not (isinstance(e, ir.BoolOp) and e.op == "implies"):
        return None
    premise = e.items[0]
    if _has_deontic(premise):
        return None
    return ir.Quant("some", tuple(vars_), premise, BOOL) if vars_ else premise


def _has_deontic(e: ir.Expr) -> bool:
    from treaty_dsl.walk import subexprs

    return any(
        isinstance(s, ir.Deontic | ir.NormQuery | ir.Compliant) or (isinstance(s, ir.DefRef) and s.definition.deontic) for s in subexprs(e)
    )


def _py(v: z3.ExprRef) -> ir.Value:
    if z3.is_true(v):
        return True
    if z3.is_false(v):
        return False
    if z3.is_int_value(v):
        return int(v.as_long())  # type: ignore[attr-defined]
    if z3.is_rational_value(v):
        return Fraction(int(v.numerator_as_long()), int(v.denominator_as_long()))  # type: ignore[attr-defined]
    return str(v)


_MEMORY_REASON = "memory limit reached"


def _reason(raw: str, timeout_s: float) -> str:
    if raw in ("timeout", "canceled"):
        return f"time limit of {timeout_s:g} s reached"
    if "memory" in raw or raw == "memout":
        return _MEMORY_REASON
    return f"the solver gave up: {raw}"


def claim_groups(spec: ir.Spec) -> list[tuple[int, int]]:
    """The claims of a spec, cut into the groups `[start, stop)` that share one verifier.

    A claim's counterexample depends on the claims checked before it in the same solver, so the
    groups are fixed by the spec alone: `treaty check`, `-j N` (which checks groups in parallel)
    and the pytest plugin all give the same results. Groups of `GROUP_CLAIMS` keep most of the
    reuse of one incremental solver (measured on the NATO spec: one verifier for 35 claims, or
    one per 12 to 18, take the same time; one per claim takes 2.4 times as long).
    """
    n = len(spec.claims)
    return [(start, min(start + GROUP_CLAIMS, n)) for start in range(0, n, GROUP_CLAIMS)]


def check_claims(spec: ir.Spec, start: int, stop: int, timeout_s: float = DEFAULT_TIMEOUT_S, certify: bool = False) -> Iterator[Result]:
    """Claims `start` to `stop` (one group) in one fresh verifier."""
    verifier = Verifier(spec, timeout_s, certify)
    for claim in spec.claims[start:stop]:
        yield verifier.check_claim(claim, spec.reading)


def check_spec(spec: ir.Spec, timeout_s: float = DEFAULT_TIMEOUT_S, certify: bool = False) -> Iterator[Result]:
    for start, stop in claim_groups(spec):
        yield from check_claims(spec, start, stop, timeout_s, certify)


__all__ = ["Verifier", "check_spec", "EnumT", "IntT"]
