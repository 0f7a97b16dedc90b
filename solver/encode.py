"""The IR encoded into Z3, ground over finite domains, with every tracked assertion mapped back.

Quantifiers over domains are expanded; inputs become one Z3 constant per ground atom, created on
first use. Definitions and norm activity get one constant per ground instance, defined by an
equation guarded by the tracking literal of their declaration, so an unsat core names the
declarations a proof used. The deontic queries follow `treaty_dsl.deontic`: only the actor's acts
in the queried group vary, through fresh constants bound by an expanded or Z3 quantifier.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeAlias

import z3

from solver import zterms
from treaty_dsl import ir
from treaty_dsl.budget import tick
from treaty_dsl.calendar import MAX_DAY, MIN_DAY, format_day, month_offsets, shift_bounds, shift_day, year_offsets
from treaty_dsl.deontic import Constraint, NormInstance, Structure, compliance, static_value
from treaty_dsl.grounding import UNKNOWN, Atom, is_static, values_of
from treaty_dsl.temporal import PowerInstance
from treaty_dsl.types import BoolT, DayT, EnumT, IntT, RatT, Type

# A Z3 term, or a concrete Python value (bool, int, Fraction, enum value) that stays concrete while
# grounding so that formulas fold. z3py ships no type information, hence Any.
ZValue: TypeAlias = Any
EXPAND_LIMIT = 64  # alternatives enumerated in place; larger groups use a Z3 quantifier


@dataclass(frozen=True)
class Tracked:
    """The source of a tracked assertion: a declaration."""

    key: str
    kind: str
    name: str
    decl: object


@dataclass
class ZWorld:
    """The actual world (no overrides) or a compliant alternative (some acts replaced)."""

    overrides: Mapping[Atom, ZValue] = field(default_factory=dict)

    @property
    def actual(self) -> bool:
        return not self.overrides


ACTUAL = ZWorld()


_ENCODERS = itertools.count()


class EncodingTimeout(Exception):
    """The time limit ran out while the claim was still being encoded."""


class EncodingLimit(Exception):
    """The claim reaches outside what the encoding can represent (a date past the calendar)."""


class Encoder:
    def __init__(self, spec: ir.Spec, structure: Structure | None = None) -> None:
        self.spec = spec
        self.deadline: float | None = None
        self._ticks = 0
        self.st = structure or Structure(spec)
        # One Z3 context per encoder: what one spec (or reading) builds and solves never depends on
        # what was checked before it in the same process, so `-j N` reports what `-j 1` does.
        self.ctx = z3.Context()
        self.sorts: dict[str, z3.DatatypeSortRef] = {}
        self.enum_values: dict[str, dict[str, z3.ExprRef]] = {}
        for dom in spec.domains.values():
            # Z3 declares enumeration sorts globally per context: one name per encoder.
            sort, consts = z3.EnumSort(f"{dom.name}!{next(_ENCODERS)}", list(dom.values), ctx=self.ctx)
            self.sorts[dom.name] = sort
            self.enum_values[dom.name] = dict(zip(dom.values, consts, strict=True))
        self.atoms: dict[Atom, z3.ExprRef] = {}
        self.structural: list[z3.BoolRef] = []  # ranges of inputs: always asserted
        self.trackers: dict[str, z3.BoolRef] = {}
        self.sources: dict[str, Tracked] = {}
        self.tracked: dict[str, list[z3.BoolRef]] = {}
        self.pending: list[z3.BoolRef] = []  # new guarded assertions not yet given to a solver
        self.touched: set[Atom] = set()
        self._defs: dict[tuple[str, tuple[ir.Value, ...]], z3.ExprRef] = {}
        self._active: dict[tuple[str, tuple[ir.Value, ...]], z3.ExprRef] = {}
        self._applicable: dict[tuple[str, tuple[ir.Value, ...]], z3.ExprRef] = {}
        self._effective: dict[tuple[str, tuple[ir.Value, ...]], z3.BoolRef] = {}
        self._effect_days: dict[tuple[str, tuple[ir.Value, ...]], ZValue] = {}
        self._states: dict[tuple[str, tuple[ir.Value, ...], tuple[str, object]], tuple[ZValue, ZValue]] = {}
        self._day_params: dict[ir.Var, tuple[int, int]] = {}  # bounds of day parameters being written out
        self._shifts: dict[tuple[int, int, str, tuple[int, int]], tuple[z3.ExprRef, z3.ArithRef]] = {}
        self._offset_tables: dict[tuple[int, str, tuple[int, int]], tuple[z3.ArithRef, z3.ArithRef]] = {}
        self._fresh = itertools.count()
        self._group_exists: dict[tuple[str, frozenset[Atom], str | None], z3.BoolRef] = {}
        self._active_on: dict[tuple[str, tuple[ir.Value, ...], tuple[str, object]], tuple[ZValue, ZValue]] = {}
        self._before: dict[str, z3.FuncDeclRef] = {}
        self.horizon_guards: list[z3.BoolRef] = []  # a read of a state that can fall before the horizon is within it
        self._guard_stack: list[set[int]] = []  # indices into horizon_guards, per term being encoded
        self._term_guards: dict[tuple[object, ...], frozenset[int]] = {}

    # ---- bookkeeping ----
    def tracker(self, kind: str, name: str, decl: object) -> z3.BoolRef:
        key = f"{kind}:{name}"
        lit = self.trackers.get(key)
        if lit is None:
            lit = z3.Bool(f"track!{key}", self.ctx)
            self.trackers[key] = lit
            self.sources[key] = Tracked(key, kind, name, decl)
            self.tracked[key] = []
        return lit

    def assert_tracked(self, kind: str, name: str, decl: object, formula: z3.BoolRef) -> None:
        lit = self.tracker(kind, name, decl)
        key = f"{kind}:{name}"
        self.tracked[key].append(formula)
        self.pending.append(zterms.implies(lit, formula))

    def take_pending(self) -> list[z3.BoolRef]:
        out, self.pending = self.pending, []
        return out

    def sort_of(self, t: Type) -> z3.SortRef:
        match t:
            case BoolT():
                return z3.BoolSort(self.ctx)
            case IntT() | DayT():
                return z3.IntSort(self.ctx)
            case RatT():
                return z3.RealSort(self.ctx)
            case EnumT(domain):
                return self.sorts[domain]
        raise AssertionError(t)

    def lift(self, value: ZValue, t: Type) -> z3.ExprRef:
        """A concrete value as a Z3 term of type `t`."""
        if isinstance(value, z3.ExprRef):
            return value
        match value:
            case bool():
                return z3.BoolVal(value, self.ctx)
            case int():
                return z3.IntVal(value, self.ctx) if not isinstance(t, RatT) else z3.RealVal(value, self.ctx)
            case Fraction():
                return z3.Q(value.numerator, value.denominator, self.ctx)
            case str():
                return self.enum_values[t.domain][value]  # type: ignore[union-attr]
        raise AssertionError(value)

    def fresh(self, atom: Atom, tag: str) -> z3.ExprRef:
        inp = self.spec.inputs[atom[0]]
        return z3.Const(f"{tag}{next(self._fresh)}!{_label(atom)}", self.sort_of(inp.type))

    def range_of(self, atom: Atom, term: z3.ExprRef) -> z3.BoolRef | None:
        t = self.spec.inputs[atom[0]].type
        if isinstance(t, IntT) and t.low is not None and t.high is not None:
            return z3.And(term >= t.low, term <= t.high)
        if isinstance(t, DayT):
            low, high = self.spec.horizon
            return z3.And(term >= low, term <= high)
        return None

    # ---- atoms, definitions, norms ----
    def atom(self, atom: Atom, world: ZWorld) -> ZValue:
        if atom in world.overrides:
            return world.overrides[atom]
        self.touched.add(atom)
        term = self.atoms.get(atom)
        if term is None:
            inp = self.spec.inputs[atom[0]]
            term = z3.Const(_label(atom), self.sort_of(inp.type))
            self.atoms[atom] = term
            rng = self.range_of(atom, term)
            if rng is not None:
                self.structural.append(rng)
        return term

    def definition(self, defn: ir.Definition, args: tuple[ir.Value, ...], world: ZWorld) -> ZValue:
        env = dict(zip(defn.params, args, strict=True))
        if not world.actual and self.st.def_reads(defn, args) & world.overrides.keys():
            return self.enc(defn.body, env, world)
        key = (defn.name, args)
        term = self._defs.get(key)
        if term is None:
            label = defn.name if not args else f"{defn.name}({', '.join(map(str, args))})"
            term = z3.Const(f"def!{label}", self.sort_of(defn.type))
            self._defs[key] = term
            with self._guards_of(("definition", key)):
                body = self.lift(self.enc(defn.body, env, ACTUAL), defn.type)
            self.assert_tracked("definition", defn.name, defn, term == body)
        else:
            self._reuse_guards(("definition", key))
        return term

    def applicable(self, inst: NormInstance) -> z3.BoolRef:
        """Whether the norm's condition holds in the actual world (fixed in alternatives)."""
        key = (inst.norm.name, inst.args)
        term = self._applicable.get(key)
        if term is None:
            term = z3.Bool(f"applies!{inst.label()}", self.ctx)
            self._applicable[key] = term
            with self._guards_of(("applicable", key)):
                cond = self.lift(self.enc(inst.norm.when, inst.env, ACTUAL), BoolT())
            self.assert_tracked("norm", inst.norm.name, inst.norm, term == cond)
        else:
            self._reuse_guards(("applicable", key))
        return term  # type: ignore[return-value]

    def active(self, inst: NormInstance) -> z3.BoolRef:
        """Applicable and not defeated (LANGUAGE.md section 3)."""
        rivals = self.st.rivals(inst)
        if not rivals:
            return self.applicable(inst)
        key = (inst.norm.name, inst.args)
        term = self._active.get(key)
        if term is None:
            term = z3.Bool(f"active!{inst.label()}", self.ctx)
            self._active[key] = term
            with self._guards_of(("active", key)):
                value = _and([self.applicable(inst), _not(self.defeated(inst))])
            self.assert_tracked("norm", inst.norm.name, inst.norm, term == self.as_bool(value))
        else:
            self._reuse_guards(("active", key))
        return term  # type: ignore[return-value]

    def defeated(self, inst: NormInstance, day: ZValue | None = None) -> ZValue:
        """Some active norm that prevails over this one conflicts with it (on `day`, if given:
        the norm binds on it, and the rival is active on it)."""
        parts: list[ZValue] = []
        for m in self.st.rivals(inst):
            parts.append(_and([self.prevails_by(m, inst), self.active_on(m, day), self.conflict(m, inst)]))
        return _and([self.applicable(inst), self.binds(inst, day), _or(parts)])

    def prevails_by(self, m: NormInstance, n: NormInstance) -> ZValue:
        """What makes m prevail over n, when the spec cites it: the ranks of their order (a
        supremacy clause) or m's `overrides`. Its tracking literal, so a proof that rests on the
        defeat names the source; true when the spec cites none."""
        if m.norm.level != n.norm.level:
            order = m.norm.order
            citation = self.spec.order_citations.get(order.name) if order is not None else None
            if order is not None and citation is not None:
                return self.tracker("order", order.name, Clause(citation, citation.span))
        elif n.norm.name in m.norm.overrides and m.norm.overrides_citation is not None:
            citation = m.norm.overrides_citation
            return self.tracker("overrides", m.norm.name, Clause(citation, citation.span))
        return True

    def active_on(self, inst: NormInstance, day: ZValue | None) -> ZValue:
        """`active(n) at day`: applicable, binding on the day, not defeated on it; `active(n)` without a day."""
        if day is None:
            return self.active(inst)
        key = (inst.norm.name, inst.args, ("term", day.get_id()) if isinstance(day, z3.ExprRef) else ("value", day))
        entry = self._active_on.get(key)
        if entry is not None and (entry[0] is day or (isinstance(day, z3.ExprRef) and day.eq(entry[0]))):
            return entry[1]
        value = _and([self.applicable(inst), self.binds(inst, day), _not(self.defeated(inst, day))])
        self._active_on[key] = (day, value)
        return value

    def binds(self, inst: NormInstance, day: ZValue | None) -> ZValue:
        """Whether the instance binds on `day` (its `from` and `until`); always when no day is asked."""
        if day is None:
            return True
        start, end = inst.norm.binds_from, inst.norm.binds_until
        parts: list[ZValue] = []
        if start is not None:
            parts.append(self._le(self.enc(start, inst.env, ACTUAL), day))
        if end is not None:
            parts.append(self._le(day, self.enc(end, inst.env, ACTUAL)))
        return _and(parts)

    def conflict(self, m: NormInstance, n: NormInstance) -> ZValue:
        scope, constraints = self.st.conflict_scope(m, n)

        def both(w: ZWorld) -> ZValue:
            parts = [self.complies(constraints, w)]
            for inst in (m, n):
                expr, want = compliance(inst)
                value = self.enc(expr, inst.env, w)
                parts.append(value if want else _not(value))
            return _and(parts)

        return _not(self.quantify("exists", scope, both))

    # ---- time and powers ----
    def effective(self, pi: PowerInstance) -> z3.BoolRef:
        term = self._effective.get(pi.key)
        if term is None:
            term = z3.Bool(f"effective!{pi.label()}", self.ctx)
            self._effective[pi.key] = term
            p, env = pi.power, pi.env
            assert p.act is not None and p.when is not None
            parts: list[ZValue] = [self.enc(p.act, env, ACTUAL), self.enc(p.when, env, ACTUAL)]
            if p.revocation is not None:
                act_day = self.enc(self._day_of(p.act), env, ACTUAL)
                rev_day = self.enc(self._day_of(p.revocation), env, ACTUAL)
                revoked = _and(
                    [self.enc(p.revocation, env, ACTUAL), self._le(act_day, rev_day), _not(self._le(self.effect_day(pi), rev_day))]
                )
                if p.revocation_citation is not None:
                    # the rule that lets the act be revoked, cited on its own, so a proof that rests on it names it
                    clause = Clause(p.revocation_citation, p.revocation_citation.span)
                    revoked = _and([self.tracker("revocable", p.name, clause), revoked])
                parts.append(_not(revoked))
            self.assert_tracked("power", p.name, p, term == self.as_bool(_and(parts)))
        return term

    def effect_day(self, pi: PowerInstance) -> ZValue:
        day = self._effect_days.get(pi.key)
        if day is None:
            p = pi.power
            assert p.act is not None
            amount, unit = p.delay
            base = self._day_of(p.act)
            day = self.enc(ir.Shift(base, amount, unit, base.type), pi.env, ACTUAL) if amount else self.enc(base, pi.env, ACTUAL)
            if p.effect_on is not None:  # the day the world gives, never before the act
                chosen = self.enc(p.effect_on, pi.env, ACTUAL)
                day = _later(self, chosen, day)
            self._effect_days[pi.key] = day
        return day

    def _day_of(self, act: ir.InputRef) -> ir.InputRef:
        day_input = self.spec.inputs[act.input.day_input]
        return ir.InputRef(day_input, act.args, day_input.type)

    def _le(self, a: ZValue, b: ZValue) -> ZValue:
        if not isinstance(a, z3.ExprRef) and not isinstance(b, z3.ExprRef):
            return a <= b  # type: ignore[operator]
        return self._num(a) <= self._num(b)

    def state_at(self, st: ir.State, args: tuple[ir.Value, ...], day: ZValue) -> ZValue:
        key = (st.name, args, ("term", day.get_id()) if isinstance(day, z3.ExprRef) else ("value", day))
        entry = self._states.get(key)
        # The entry holds the day term, so its id stays its own; compare the terms all the same.
        if entry is not None and (entry[0] is day or (isinstance(day, z3.ExprRef) and day.eq(entry[0]))):
            cached = entry[1]
        else:
            cached = self._state_at(st, args, day)
            self._states[key] = (day, cached)
        return cached

    def _state_at(self, st: ir.State, args: tuple[ir.Value, ...], day: ZValue) -> ZValue:
        effects = self.st.timeline.effects_on(st, args)
        assert st.initially is not None
        # The initial value holds when the state's tracking literal is assumed (else it is unknown),
        # so a proof that rests on it names the state.
        given = self.lift(self.enc(st.initially, dict(zip(st.params, args, strict=True)), ACTUAL), BoolT())
        unknown = z3.Bool(f"initially?{st.name}({', '.join(map(str, args))})", self.ctx)
        initially = z3.If(self.tracker("state", st.name, st), given, unknown)
        # every change of the state: (starts or ends, whether it happened, its day). A recorded fact
        # happened when its tracking literal is assumed, so a proof that rests on it names it.
        happened: list[tuple[str, ZValue, ZValue]] = [(e.kind, self.effective(e.power), self.effect_day(e.power)) for e in effects]
        happened += [(kind, self.tracker("fact", f.name, f), when) for when, kind, f in self.st.timeline.facts_on(st, args)]
        if not happened:
            return initially
        untouched = _and([_not(_and([eff, self._le(d, day)])) for _, eff, d in happened])
        started: list[ZValue] = []
        for kind, eff, d in happened:
            if kind != "starts":
                continue
            later_ends = [_not(_and([eff2, self._le(d, d2), self._le(d2, day)])) for kind2, eff2, d2 in happened if kind2 == "ends"]
            started.append(_and([eff, self._le(d, day), *later_ends]))
        return _or([_and([initially, untouched]), *started])

    # ---- reads of legal states before the horizon ----
    @contextlib.contextmanager
    def collecting_guards(self) -> Iterator[list[z3.BoolRef]]:
        """The horizon guards of what is encoded inside the block, terms encoded earlier and reused
        included: the reads a claim rests on, not those of other claims."""
        self._guard_stack.append(set())
        found: list[z3.BoolRef] = []
        try:
            yield found
        finally:
            indices = self._guard_stack.pop()
            found.extend(self.horizon_guards[i] for i in sorted(indices))
            if self._guard_stack:
                self._guard_stack[-1] |= indices

    @contextlib.contextmanager
    def _guards_of(self, key: tuple[object, ...]) -> Iterator[None]:
        """Records the guards of a term that is encoded once and reused (a definition, a norm's condition)."""
        self._guard_stack.append(set())
        try:
            yield
        finally:
            indices = self._guard_stack.pop()
            if indices:
                self._term_guards[key] = frozenset(indices)
            if self._guard_stack:
                self._guard_stack[-1] |= indices

    def _reuse_guards(self, key: tuple[object, ...]) -> None:
        if self._guard_stack and key in self._term_guards:
            self._guard_stack[-1] |= self._term_guards[key]

    def state_before(self, st: ir.State, args: tuple[ir.Value, ...], day: z3.ArithRef, earliest: int) -> ZValue:
        """A state read on a day that can fall before the horizon: there the spec does not say what
        it was, so its value is that of an unknown function of the day (a proof holds whatever it
        is), and the condition that the day is within reach is kept in `horizon_guards` for the
        verifier (a counterexample must not rest on it)."""
        inside = day >= earliest
        self.horizon_guards.append(inside)
        for collected in self._guard_stack:
            collected.add(len(self.horizon_guards) - 1)
        unknown = self._before.get(st.name)
        if unknown is None:
            sorts = [self.sort_of(p.type) for p in st.params]
            unknown = self._before[st.name] = z3.Function(f"before!{st.name}", *sorts, z3.IntSort(self.ctx), z3.BoolSort(self.ctx))
        earlier = unknown(*[self.lift(a, p.type) for a, p in zip(args, st.params, strict=True)], day)
        return z3.If(inside, self.as_bool(self.state_at(st, args, day)), earlier)

    def shift(self, base: ZValue, amount: int, unit: str, bounds: tuple[int, int]) -> ZValue:
        """`base + amount days|months|years`, exact for every day in `bounds` (see treaty_dsl.calendar)."""
        if not isinstance(base, z3.ExprRef):
            try:
                return shift_day(base, amount, unit)  # type: ignore[arg-type]
            except (OverflowError, ValueError) as exc:
                raise EncodingLimit(str(exc)) from None
        if unit == "days" or amount == 0:
            return base + amount
        key = (base.get_id(), amount, unit, bounds)
        entry = self._shifts.get(key)
        if entry is not None and entry[0].eq(base):  # the entry keeps `base` alive: its id is its own
            return entry[1]
        result = self._shift_calendar(base, amount, unit, bounds)
        self._shifts[key] = (base, result)
        return result

    def _shift_calendar(self, base: z3.ArithRef, amount: int, unit: str, bounds: tuple[int, int]) -> z3.ArithRef:
        """`base + amount months|years`: `base` plus the offset the calendar's table of segments
        gives for it (`year_offsets`, `month_offsets`), as a tree of `If`s."""
        low, high = bounds
        reach = (366 if unit == "years" else 31) * abs(amount) + 3
        if low - reach < MIN_DAY or high + reach > MAX_DAY:
            raise EncodingLimit(f"adding {amount} {unit} can leave the calendar (years 1 to 9999)")
        table = self._offset_tables.get((amount, unit, bounds))
        if table is None:
            # Built once per amount and range over a placeholder, then instantiated inside Z3.
            x = z3.Int(f"offset!{amount}!{unit}!{low}!{high}", self.ctx)
            segments = year_offsets(low, high, amount) if unit == "years" else month_offsets(low, high, amount)
            table = (x, _piecewise(x, segments, {}))
            self._offset_tables[(amount, unit, bounds)] = table
        x, tree = table
        return base + z3.substitute(tree, (x, base))  # type: ignore[no-any-return]

    def day_bounds(self, e: ir.Expr, params: Mapping[ir.Var, tuple[int, int]] | None = None) -> tuple[int, int]:
        """The days an expression can denote, for sizing the calendar tables of `shift`. A day
        parameter of a definition has the bounds of its argument (`params`, or the definition
        being written out by `_inline`)."""
        match e:
            case ir.Const(value) if isinstance(value, int):
                return (value, value)
            case ir.VarRef(var) if isinstance(var.type, DayT):
                bounds = (params or {}).get(var) or self._day_params.get(var)
                if bounds is None:
                    raise AssertionError(f"day parameter `{var.name}` without the bounds of its argument")
                return bounds
            case ir.Shift(base, amount, unit):
                low, high = self.day_bounds(base, params)
                return shift_bounds(low, high, amount, unit)
            case ir.Ite(_, a, b):
                (la, ha), (lb, hb) = self.day_bounds(a, params), self.day_bounds(b, params)
                return (min(la, lb), max(ha, hb))
            case ir.DefRef(defn, args):
                inner = {p: self.day_bounds(a, params) for p, a in zip(defn.params, args, strict=True) if isinstance(p.type, DayT)}
                return self.day_bounds(defn.body, inner)
        return self.spec.horizon

    def satisfied(self, inst: NormInstance, world: ZWorld) -> ZValue:
        if inst.norm.kind == "permission":
            return True
        content = self.enc(inst.norm.content, inst.env, world)
        if inst.norm.kind == "obligation":
            return content
        return (not content) if isinstance(content, bool) else z3.Not(content)

    def as_bool(self, v: ZValue) -> z3.BoolRef:
        return v if isinstance(v, z3.BoolRef) else z3.BoolVal(bool(v), self.ctx)

    def _unless_active(self, inst: NormInstance, world: ZWorld, day: ZValue | None = None) -> ZValue:
        """`active → satisfied`, folded when the content is decided by the alternative."""
        sat = self.satisfied(inst, world)
        if sat is True:
            return True
        act = self.active_on(inst, day)
        if act is False:
            return True
        if sat is False:
            return _not(act)
        return z3.Implies(self.as_bool(act), sat)

    def _tick(self) -> None:
        tick()  # the claim's budget: time, and memory the encoding adds to the process
        self._ticks += 1
        if self._ticks % 2048 == 0 and self.deadline is not None and time.monotonic() > self.deadline:
            raise EncodingTimeout()

    # ---- expressions ----
    def enc(self, e: ir.Expr, env: Mapping[ir.Var, ir.Value], world: ZWorld) -> ZValue:
        self._tick()
        match e:
            case ir.Const(value):
                return value
            case ir.VarRef(var):
                return env[var]
            case ir.InputRef(inp, args):
                return self._apply(inp.params, args, env, world, lambda ground: self.atom((inp.name, ground), world), inp.type)
            case ir.DefRef(defn, args):
                if any(isinstance(p.type, DayT) for p in defn.params):
                    return self._inline(defn, args, env, world)
                return self._apply(defn.params, args, env, world, lambda ground: self.definition(defn, ground, world), defn.type)
            case ir.Not(x):
                return _not(self.enc(x, env, world))
            case ir.BoolOp("and", items):
                return _and([self.enc(i, env, world) for i in items])
            case ir.BoolOp("or", items):
                return _or([self.enc(i, env, world) for i in items])
            case ir.BoolOp("implies", (a, b)):
                va = self.enc(a, env, world)
                if va is False:
                    return True
                vb = self.enc(b, env, world)
                if va is True:
                    return vb
                return _or([_not(va), vb])
            case ir.BoolOp("iff", (a, b)):
                va, vb = self.enc(a, env, world), self.enc(b, env, world)
                if isinstance(va, bool) and isinstance(vb, bool):
                    return va == vb
                return self.as_bool(va) == self.as_bool(vb)
            case ir.Cmp(op, a, b):
                return self._compare(op, a, b, env, world)
            case ir.Arith(op, a, b):
                va, vb = self.enc(a, env, world), self.enc(b, env, world)
                if not isinstance(va, z3.ExprRef) and not isinstance(vb, z3.ExprRef):
                    fx, fy = Fraction(va), Fraction(vb)  # type: ignore[arg-type]
                    r = fx + fy if op == "+" else fx - fy if op == "-" else fx * fy
                    return int(r) if r.denominator == 1 else r
                la, lb = self._num(va), self._num(vb)
                return la + lb if op == "+" else la - lb if op == "-" else la * lb
            case ir.Neg(x):
                v = self.enc(x, env, world)
                if not isinstance(v, z3.ExprRef):
                    r = -Fraction(v)  # type: ignore[arg-type]
                    return int(r) if r.denominator == 1 else r
                return -v  # type: ignore[operator]
            case ir.Quant(kind, vars_, body):
                parts = [self.enc(body, _bind(env, vars_, vals), world) for vals in self._product(vars_)]
                return _and(parts) if kind == "every" else _or(parts)
            case ir.Count(vars_, body):
                total: ZValue = 0
                terms: list[z3.ArithRef] = []
                for vals in self._product(vars_):
                    v = self.enc(body, _bind(env, vars_, vals), world)
                    if v is True:
                        total += 1  # type: ignore[operator]
                    elif v is not False:
                        terms.append(z3.If(v, z3.IntVal(1, self.ctx), z3.IntVal(0, self.ctx)))  # type: ignore[arg-type]
                if not terms:
                    return total
                return z3.Sum(terms) + total if total else (z3.Sum(terms) if len(terms) > 1 else terms[0])
            case ir.Ite(c, a, b):
                vc = self.enc(c, env, world)
                if isinstance(vc, bool):
                    return self.enc(a if vc else b, env, world)
                va, vb = self.enc(a, env, world), self.enc(b, env, world)
                return z3.If(vc, self.lift(va, e.type), self.lift(vb, e.type))
            case ir.NormQuery(kind, norm, args, day=asked):
                on = self.enc(asked, env, world) if asked is not None else None

                def query(ground: tuple[ir.Value, ...]) -> ZValue:
                    inst = NormInstance(norm, ground)
                    if kind == "defeated":
                        return self.defeated(inst, on)
                    act = self.active_on(inst, on)
                    return act if kind == "active" else _and([act, _not(self.satisfied(inst, world))])

                return self._apply(norm.params, args, env, world, query, BoolT())
            case ir.Shift(base, amount, unit):
                return self.shift(self.enc(base, env, world), amount, unit, self.day_bounds(base))
            case ir.StateAt(st, args, day):
                self._temporal_in(world)
                when = self.enc(day, env, world)
                earliest = e.earliest(self.spec.horizon)
                if not isinstance(when, z3.ExprRef):
                    if when < earliest:
                        raise EncodingLimit(
                            f"`{st.name}` is read on {format_day(when)}, before the horizon (from {format_day(self.spec.horizon[0])})"
                        )
                elif self.day_bounds(day)[0] < earliest:
                    return self._apply(st.params, args, env, world, lambda ground: self.state_before(st, ground, when, earliest), BoolT())
                return self._apply(st.params, args, env, world, lambda ground: self.state_at(st, ground, when), BoolT())
            case ir.Effective(p, args):
                self._temporal_in(world)
                return self._apply(p.params, args, env, world, lambda ground: self.effective(PowerInstance(p, ground)), BoolT())
            case ir.Lawful(act, legal_order):

                def lawful(ground: tuple[ir.Value, ...]) -> ZValue:
                    parts = []
                    for inst in self.st.regulating(legal_order, (act.input.name, ground)):
                        parts.append(_not(_and([self.active(inst), _not(self.satisfied(inst, world))])))
                    return _and(parts)

                return self._apply(act.input.params, act.args, env, world, lawful, BoolT())
            case ir.Compliant(actor, order=order, day=asked):
                on = self.enc(asked, env, world) if asked is not None else None
                return self._per_actor(actor, env, world, lambda who: self.compliant(who, world, _name(order), on))
            case ir.Deontic(kind, actor, body, order=order, day=asked):
                on = self.enc(asked, env, world) if asked is not None else None
                return self._per_actor(actor, env, world, lambda who: self.deontic(kind, who, body, env, _name(order), on))
        raise AssertionError(f"unhandled {e!r}")

    def _inline(self, defn: ir.Definition, args: tuple[ir.Expr, ...], env: Mapping[ir.Var, ZValue], world: ZWorld) -> ZValue:
        """A definition with a day parameter, written out in place: its day may be symbolic."""
        values = [self.enc(a, env, world) for a in args]
        enum_params = [i for i, p in enumerate(defn.params) if not isinstance(p.type, DayT)]
        choices = [values_of(self.spec, defn.params[i].type) if isinstance(values[i], z3.ExprRef) else (values[i],) for i in enum_params]
        result: ZValue | None = None
        for ground in reversed(list(itertools.product(*choices))):
            bound = list(values)
            for i, v in zip(enum_params, ground, strict=True):
                bound[i] = v
            outer = dict(self._day_params)
            self._day_params.update((p, self.day_bounds(a)) for p, a in zip(defn.params, args, strict=True) if isinstance(p.type, DayT))
            try:
                term = self.enc(defn.body, dict(zip(defn.params, bound, strict=True)), world)
            finally:
                self._day_params = outer
            conds = [
                self.lift(values[i], defn.params[i].type) == self.lift(v, defn.params[i].type)
                for i, v in zip(enum_params, ground, strict=True)
                if isinstance(values[i], z3.ExprRef)
            ]
            result = term if result is None or not conds else z3.If(z3.And(conds), self.lift(term, defn.type), self.lift(result, defn.type))
        return self._tracked_inline(defn, values, result) if world.actual else result

    def _tracked_inline(self, defn: ir.Definition, args: list[ZValue], value: ZValue) -> ZValue:
        """A definition written out in place is its body when the definition's tracking literal is
        assumed, and otherwise the value of an uninterpreted function of its arguments (any
        definition at all), so that a proof that needs it names it in its core, as it names a
        definition encoded by an equation (`definition`). In an alternative world a definition
        written out in place is not tracked: there its value may depend on the quantified acts."""
        tracker = self.tracker("definition", defn.name, defn)
        name = f"undefined!{defn.name}"
        if defn.params:
            unknown = z3.Function(name, *[self.sort_of(p.type) for p in defn.params], self.sort_of(defn.type))
            other = unknown(*[self.lift(a, p.type) for a, p in zip(args, defn.params, strict=True)])
        else:
            other = z3.Const(name, self.sort_of(defn.type))
        return z3.If(tracker, self.lift(value, defn.type), other)

    def _temporal_in(self, world: ZWorld) -> None:
        if not world.actual:
            # The checker keeps states and effects out of norm contents, deontic queries and
            # assumptions, the only places that are evaluated in an alternative world.
            raise AssertionError("legal states are evaluated in the actual world only")

    def _num(self, v: ZValue) -> z3.ArithRef:
        if isinstance(v, z3.ExprRef):
            return v  # type: ignore[return-value]
        if isinstance(v, Fraction):
            return z3.Q(v.numerator, v.denominator, self.ctx)
        return z3.IntVal(int(v), self.ctx)  # type: ignore[arg-type]

    def _compare(self, op: str, a: ir.Expr, b: ir.Expr, env: Mapping[ir.Var, ir.Value], world: ZWorld) -> ZValue:
        va, vb = self.enc(a, env, world), self.enc(b, env, world)
        if not isinstance(va, z3.ExprRef) and not isinstance(vb, z3.ExprRef):
            if op == "=":
                return va == vb
            if op == "!=":
                return va != vb
            x, y = Fraction(va), Fraction(vb)  # type: ignore[arg-type]
            return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        if isinstance(a.type, EnumT) or isinstance(b.type, EnumT) or isinstance(a.type, BoolT):
            t = a.type
            la, lb = self.lift(va, t), self.lift(vb, t)
        else:
            la, lb = self._num(va), self._num(vb)
        match op:
            case "=":
                return la == lb
            case "!=":
                return la != lb
            case "<":
                return la < lb  # type: ignore[operator]
            case "<=":
                return la <= lb  # type: ignore[operator]
            case ">":
                return la > lb  # type: ignore[operator]
            case ">=":
                return la >= lb  # type: ignore[operator]
        raise AssertionError(op)

    def _product(self, vars_: tuple[ir.Var, ...]) -> Iterator[tuple[ir.Value, ...]]:
        return itertools.product(*(values_of(self.spec, v.type) for v in vars_))

    def _apply(self, params, args, env, world, build, result_type: Type) -> ZValue:  # type: ignore[no-untyped-def]
        """Ground the arguments; a symbolic argument is split over its domain."""
        values = [self.enc(a, env, world) for a in args]
        if not any(isinstance(v, z3.ExprRef) for v in values):
            return build(tuple(values))
        choices = [values_of(self.spec, p.type) if isinstance(v, z3.ExprRef) else (v,) for p, v in zip(params, values, strict=True)]
        cases = list(itertools.product(*choices))
        result: z3.ExprRef | None = None
        for ground in reversed(cases):
            term = self.lift(build(ground), result_type)
            if result is None:
                result = term
                continue
            conds = [
                self.lift(v, p.type) == self.lift(g, p.type)
                for p, v, g in zip(params, values, ground, strict=True)
                if isinstance(v, z3.ExprRef)
            ]
            result = z3.If(z3.And(conds), term, result)
        assert result is not None
        return result

    def _per_actor(self, actor: ir.Expr, env: Mapping[ir.Var, ir.Value], world: ZWorld, build) -> ZValue:  # type: ignore[no-untyped-def]
        if not world.actual:
            raise AssertionError("deontic queries are asked in the actual world only")
        who = self.enc(actor, env, world)
        if not isinstance(who, z3.ExprRef):
            return build(str(who))
        dom = self.spec.domain_of(actor.type)
        assert dom is not None
        result: z3.ExprRef = z3.BoolVal(False, self.ctx)
        for value in reversed(dom.values):
            result = z3.If(who == self.enum_values[dom.name][value], self.as_bool(build(value)), result)
        return result

    # ---- the deontic core ----
    # `order`: only that legal order's norms count (None: all); `day`: only the norms active on it.
    def compliant(self, actor: str, world: ZWorld, order: str | None = None, day: ZValue | None = None) -> ZValue:
        instances = self.st.norm_instances_in(actor, order)
        return _and([self._unless_active(i, world, day) for i in instances if i.norm.kind != "permission"])

    def complies(self, constraints: list[Constraint], world: ZWorld, day: ZValue | None = None) -> ZValue:
        parts: list[ZValue] = []
        for c in constraints:
            part = self._unless_active(c.norm, world, day) if c.norm is not None else self.enc(c.expr, dict(c.env), world)
            if part is False:
                return False
            parts.append(part)
        return _and(parts)

    def deontic(
        self, kind: str, actor: str, body: ir.Expr, env: Mapping[ir.Var, ir.Value], order: str | None = None, day: ZValue | None = None
    ) -> ZValue:
        # A day parameter of a definition written out in place can be a solver term here: for the
        # structure it is a value not known statically, so the acts the query reads over-approximate.
        static_env = {var: value if is_static(value) else UNKNOWN for var, value in env.items()}
        scope, constraints, others = self.st.query_scope(actor, body, static_env, order)
        background: list[ZValue] = [
            self.group_exists(actor, g, order, day) for g in others if not self.st.trivially_satisfiable(actor, g, order)
        ]
        background += [self._unless_active(i, ACTUAL, day) for i in self.st.fixed_norms(actor, order)]
        atoms = sorted(scope, key=repr)
        if kind == "obliged":
            exists = self.quantify("exists", atoms, lambda w: self.complies(constraints, w, day))
            forall = self.quantify("forall", atoms, lambda w: _or([_not(self.complies(constraints, w, day)), self.enc(body, env, w)]))
            return _and(background + [exists, forall])
        permitted = self.quantify("exists", atoms, lambda w: _and([self.complies(constraints, w, day), self.enc(body, env, w)]))
        result = _and(background + [permitted])
        return result if kind == "permitted" else _not(result)

    def group_exists(self, actor: str, group: frozenset[Atom], order: str | None = None, day: ZValue | None = None) -> ZValue:
        if day is not None:  # a day the world decides: not cached
            constraints = self.st.group_constraints(actor, group, order)
            return self.quantify("exists", sorted(group, key=repr), lambda w: self.complies(constraints, w, day))
        key = (actor, group, order)
        if key not in self._group_exists:
            constraints = self.st.group_constraints(actor, group, order)
            self._group_exists[key] = self.quantify("exists", sorted(group, key=repr), lambda w: self.complies(constraints, w))
        return self._group_exists[key]

    def quantify(self, kind: str, atoms: list[Atom], body) -> ZValue:  # type: ignore[no-untyped-def]
        """∃ / ∀ over the values of `atoms` in an alternative world."""
        for a in atoms:
            self.atom(a, ACTUAL)  # the actual acts are part of the scenario
        if not atoms:
            return body(ZWorld({}))  # type: ignore[no-any-return]
        domains = [values_of(self.spec, self.spec.inputs[a[0]].type) for a in atoms]
        size = 1
        for d in domains:
            size *= len(d)
        if size <= EXPAND_LIMIT:
            parts: list[ZValue] = []
            for values in itertools.product(*domains):
                part = body(ZWorld(dict(zip(atoms, values, strict=True))))
                if part is (kind == "exists"):
                    return part  # type: ignore[no-any-return]
                parts.append(part)
            return _or(parts) if kind == "exists" else _and(parts)
        fresh = {a: self.fresh(a, "alt") for a in atoms}
        ranges = [r for a, t in fresh.items() if (r := self.range_of(a, t)) is not None]
        inner = self.as_bool(body(ZWorld(fresh)))
        bound = list(fresh.values())
        if kind == "exists":
            return z3.Exists(bound, z3.And(ranges + [inner]))
        return z3.ForAll(bound, z3.Implies(z3.And(ranges), inner) if ranges else inner)


@dataclass(frozen=True)
class Clause:
    """A clause of a declaration that proofs name on their own (`revocable by ... cite ...`)."""

    citation: ir.Citation
    span: object


def _later(enc: Encoder, a: ZValue, b: ZValue) -> ZValue:
    if not isinstance(a, z3.ExprRef) and not isinstance(b, z3.ExprRef):
        return max(a, b)  # type: ignore[type-var]
    return z3.If(enc._num(a) >= enc._num(b), enc._num(a), enc._num(b))


def _name(order: ir.Order | None) -> str | None:
    return None if order is None else order.name


def _label(atom: Atom) -> str:
    name, args = atom
    return f"{name}({', '.join(map(str, args))})" if args else name


def _bind(env: Mapping[ir.Var, ir.Value], vars_: tuple[ir.Var, ...], vals: tuple[ir.Value, ...]) -> dict[ir.Var, ir.Value]:
    inner = dict(env)
    inner.update(zip(vars_, vals, strict=True))
    return inner


def _and(parts: list[ZValue]) -> ZValue:
    terms: list[z3.BoolRef] = []
    for p in parts:
        if p is False:
            return False
        if p is not True:
            terms.append(p)  # type: ignore[arg-type]
    if not terms:
        return True
    return terms[0] if len(terms) == 1 else zterms.and_(terms)


def _not(v: ZValue) -> ZValue:
    return (not v) if isinstance(v, bool) else zterms.not_(v)  # type: ignore[arg-type]


def _or(parts: list[ZValue]) -> ZValue:
    terms: list[z3.BoolRef] = []
    for p in parts:
        if p is True:
            return True
        if p is not False:
            terms.append(p)  # type: ignore[arg-type]
    if not terms:
        return False
    return terms[0] if len(terms) == 1 else zterms.or_(terms)


__all__ = ["Encoder", "ACTUAL", "ZWorld", "static_value"]


def _piecewise(x: z3.ArithRef, segments: tuple[tuple[int, int], ...], numerals: dict[int, z3.ArithRef]) -> z3.ArithRef:
    """The value of the segment `x` falls in (`segments` as `treaty_dsl.calendar.year_offsets` gives
    them), as a balanced tree of `If`s on `x < first day of a segment`."""

    def num(v: int) -> z3.ArithRef:
        if v not in numerals:
            numerals[v] = zterms.int_val(v, x.ctx)
        return numerals[v]

    if len(segments) == 1:
        return num(segments[0][1])
    mid = len(segments) // 2
    below, above = _piecewise(x, segments[:mid], numerals), _piecewise(x, segments[mid:], numerals)
    return zterms.ite(zterms.lt(x, num(segments[mid][0])), below, above)  # type: ignore[return-value]
