"""The concrete evaluator: the reference semantics of a checked spec in one complete world.

No solver here. Scenarios are evaluated with it, every counterexample the solver finds is replayed
through it, and the differential tests compare the solver against it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from treaty_dsl import ir
from treaty_dsl.budget import tick
from treaty_dsl.calendar import format_day, shift_day
from treaty_dsl.deontic import Constraint, NormInstance, Structure, compliance
from treaty_dsl.grounding import Atom, Env, default_value, values_of
from treaty_dsl.temporal import PowerInstance, effect_day
from treaty_dsl.types import DayT

MAX_ALTERNATIVES = 1 << 16


class EvaluationLimit(Exception):
    """A deontic query would need to enumerate more alternatives than the evaluator allows."""


@dataclass
class Witness:
    """Why a deontic query came out as it did: the compliant alternative that decides it."""

    actor: str
    query: str
    value: bool
    alternative: dict[Atom, ir.Value] | None  # the acts that differ from the actual world
    dilemma: bool = False


class World:
    """A complete assignment of values to ground input atoms; missing atoms take defaults."""

    def __init__(self, spec: ir.Spec, values: Mapping[Atom, ir.Value]) -> None:
        self.spec = spec
        self.values = dict(values)

    def get(self, atom: Atom) -> ir.Value:
        if atom in self.values:
            return self.values[atom]
        return default_value(self.spec, self.spec.inputs[atom[0]].type)

    def with_values(self, changes: Mapping[Atom, ir.Value]) -> World:
        merged = dict(self.values)
        merged.update(changes)
        return World(self.spec, merged)


@dataclass
class Evaluator:
    spec: ir.Spec
    world: World
    structure: Structure | None = None
    brute_force: bool = False  # enumerate every act of the actor, ignoring the grouping
    witnesses: list[Witness] = field(default_factory=list)
    _defs: dict[tuple[str, tuple[ir.Value, ...]], ir.Value] = field(default_factory=dict)
    _active: dict[tuple[str, tuple[ir.Value, ...], int | None], bool] = field(default_factory=dict)
    _applicable: dict[tuple[str, tuple[ir.Value, ...]], bool] = field(default_factory=dict)
    _effective: dict[tuple[str, tuple[ir.Value, ...]], bool] = field(default_factory=dict)
    _groups_ok: dict[tuple[str, frozenset[Atom], View], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.structure is None:
            self.structure = Structure(self.spec)

    @property
    def st(self) -> Structure:
        assert self.structure is not None
        return self.structure

    # ---- top level ----
    def holds(self, e: ir.Expr, env: Env | None = None) -> bool:
        return bool(self.eval(e, dict(env or {})))

    def assumptions_hold(self) -> bool:
        return all(self.holds(a.body) for a in self.spec.assumptions)

    def failing_assumptions(self) -> list[ir.Assumption]:
        return [a for a in self.spec.assumptions if not self.holds(a.body)]

    # ---- norms ----
    def applicable(self, inst: NormInstance) -> bool:
        """The norm's condition holds (it is active unless defeated)."""
        key = (inst.norm.name, inst.args)
        if key not in self._applicable:
            self._applicable[key] = self.holds(inst.norm.when, inst.env)
        return self._applicable[key]

    def active(self, inst: NormInstance, day: int | None = None) -> bool:
        """Applicable and not defeated; on a day (`active(n) at d`): also binding on it, and not
        defeated by what is active on it. Without a day the period a norm binds in plays no part."""
        key = (inst.norm.name, inst.args, day)
        if key not in self._active:
            self._active[key] = self.applicable(inst) and self.binds(inst, day) and not self.defeaters(inst, day)
        return self._active[key]

    def binds(self, inst: NormInstance, day: int | None) -> bool:
        """Whether the instance binds on `day` (`from`/`until` in the norm); always without a day."""
        if day is None:
            return True
        start, end = inst.norm.binds_from, inst.norm.binds_until
        if start is not None and int(self.eval(start, inst.env)) > day:  # type: ignore[arg-type]
            return False
        return end is None or day <= int(self.eval(end, inst.env))  # type: ignore[arg-type]

    def defeaters(self, inst: NormInstance, day: int | None = None) -> list[NormInstance]:
        """The active norms of the same order that prevail over `inst` and conflict with it."""
        if not self.applicable(inst) or not self.binds(inst, day):
            return []
        return [m for m in self.st.rivals(inst) if self.active(m, day) and self.conflict(m, inst)]

    def conflict(self, m: NormInstance, n: NormInstance) -> bool:
        """No alternative of the bearer's acts complies with (or exercises) both norms."""
        scope, constraints = self.st.conflict_scope(m, n)
        required = [(c.expr, dict(c.env), True) for c in constraints]
        required += [(expr, i.env, want) for i in (m, n) for expr, want in [compliance(i)]]
        alternatives, complete = self._alternatives(scope, required)
        for alt in alternatives:
            ev = Evaluator(self.spec, self.world.with_values(alt), self.structure)
            if all(ev.holds(c.expr, dict(c.env)) for c in constraints) and all(
                ev.holds(expr, i.env) == want for i in (m, n) for expr, want in [compliance(i)]
            ):
                return False
        if not complete:
            raise EvaluationLimit(_UNDECIDED)
        return True

    def effective(self, pi: PowerInstance) -> bool:
        if pi.key not in self._effective:
            self._effective[pi.key] = self._effective_uncached(pi)
        return self._effective[pi.key]

    def _effective_uncached(self, pi: PowerInstance) -> bool:
        p, env = pi.power, pi.env
        assert p.act is not None and p.when is not None
        if not self.holds(p.act, env):
            return False
        act_day = self.act_day(p.act, env)
        if not self.holds(p.when, env):
            return False
        if p.revocation is not None and self.holds(p.revocation, env):
            when = self.effect_day_of(pi)
            rev_day = self.act_day(p.revocation, env)
            if act_day <= rev_day and (when is None or rev_day < when):
                return False
        return True

    def effect_day_of(self, pi: PowerInstance) -> int | None:
        """The day an exercise of the power takes effect: after its delay, or on the day its
        `takes effect on` gives (never before the act); None past the calendar's end."""
        p, env = pi.power, pi.env
        assert p.act is not None
        act_day = self.act_day(p.act, env)
        if p.effect_on is not None:
            return max(act_day, int(self.eval(p.effect_on, env)))  # type: ignore[arg-type]
        return effect_day(act_day, p.delay)

    def act_day(self, act: ir.InputRef, env: dict[ir.Var, ir.Value]) -> int:
        args = tuple(self.eval(a, env) for a in act.args)
        return int(self.world.get((act.input.day_input, args)))  # type: ignore[arg-type]

    def state_at(self, st: ir.State, args: tuple[ir.Value, ...], day: int) -> bool:
        latest: tuple[int, int] | None = None  # (effect day, 1 for an end): the latest change wins
        for eff in self.st.timeline.effects_on(st, args):
            p, env = eff.power.power, eff.power.env
            assert p.act is not None
            if not self.holds(p.act, env):
                continue
            when = self.effect_day_of(eff.power)
            # Only effects on or before `day` matter; asking about them reaches strictly earlier acts.
            if when is None or when > day or not self.effective(eff.power):
                continue
            change = (when, 1 if eff.kind == "ends" else 0)
            latest = change if latest is None or change > latest else latest
        for when, kind, _ in self.st.timeline.facts_on(st, args):
            if when <= day:
                change = (when, 1 if kind == "ends" else 0)
                latest = change if latest is None or change > latest else latest
        if latest is None:
            assert st.initially is not None
            return self.holds(st.initially, dict(zip(st.params, args, strict=True)))
        return latest[1] == 0

    def lawful(self, order: ir.Order, act: Atom) -> bool:
        return not any(self.violated(i) for i in self.st.regulating(order, act))

    def satisfied(self, inst: NormInstance) -> bool:
        """Whether the content is as the norm wants it (a permission is always satisfied)."""
        if inst.norm.kind == "permission":
            return True
        content = self.holds(inst.norm.content, inst.env)
        return content if inst.norm.kind == "obligation" else not content

    def violated(self, inst: NormInstance, day: int | None = None) -> bool:
        return self.active(inst, day) and not self.satisfied(inst)

    # ---- expressions ----
    def eval(self, e: ir.Expr, env: dict[ir.Var, ir.Value]) -> ir.Value:
        tick()
        match e:
            case ir.Const(value):
                return value
            case ir.VarRef(var):
                return env[var]
            case ir.InputRef(inp, args):
                return self.world.get((inp.name, tuple(self.eval(a, env) for a in args)))
            case ir.DefRef(defn, args):
                values = tuple(self.eval(a, env) for a in args)
                key = (defn.name, values)
                if key not in self._defs:
                    self._defs[key] = self.eval(defn.body, dict(zip(defn.params, values, strict=True)))
                return self._defs[key]
            case ir.Not(x):
                return not self.eval(x, env)
            case ir.BoolOp("and", items):
                return all(self.eval(i, env) for i in items)
            case ir.BoolOp("or", items):
                return any(self.eval(i, env) for i in items)
            case ir.BoolOp("implies", (a, b)):
                return (not self.eval(a, env)) or bool(self.eval(b, env))
            case ir.BoolOp("iff", (a, b)):
                return bool(self.eval(a, env)) == bool(self.eval(b, env))
            case ir.Cmp(op, a, b):
                return _compare(op, self.eval(a, env), self.eval(b, env))
            case ir.Arith(op, a, b):
                fx, fy = Fraction(self.eval(a, env)), Fraction(self.eval(b, env))  # type: ignore[arg-type]
                r = fx + fy if op == "+" else fx - fy if op == "-" else fx * fy
                return int(r) if r.denominator == 1 else r
            case ir.Neg(x):
                v = -Fraction(self.eval(x, env))  # type: ignore[arg-type]
                return int(v) if v.denominator == 1 else v
            case ir.Quant(kind, vars_, body):
                results = (self.eval(body, _bind(env, vars_, vals)) for vals in _product(self.spec, vars_))
                return all(results) if kind == "every" else any(results)
            case ir.Count(vars_, body):
                return sum(1 for vals in _product(self.spec, vars_) if self.eval(body, _bind(env, vars_, vals)))
            case ir.Ite(c, a, b):
                return self.eval(a if self.eval(c, env) else b, env)
            case ir.NormQuery(kind, norm, args, day=asked):
                inst = NormInstance(norm, tuple(self.eval(a, env) for a in args))
                when = self._asked_day(asked, env)
                if kind == "defeated":
                    return bool(self.defeaters(inst, when))
                return self.active(inst, when) if kind == "active" else self.violated(inst, when)
            case ir.Shift(base, amount, unit):
                day = int(self.eval(base, env))  # type: ignore[arg-type]
                try:
                    return shift_day(day, amount, unit)
                except (OverflowError, ValueError) as exc:
                    raise EvaluationLimit(str(exc)) from None
            case ir.StateAt(st, args, day):
                values = tuple(self.eval(a, env) for a in args)
                when = int(self.eval(day, env))  # type: ignore[arg-type]
                if when < e.earliest(self.spec.horizon):
                    raise EvaluationLimit(
                        f"`{st.name}` is read on {format_day(when)}, before the horizon (from {format_day(self.spec.horizon[0])}),"
                        " where the spec does not say what it was"
                    )
                return self.state_at(st, values, when)
            case ir.Effective(p, args):
                return self.effective(PowerInstance(p, tuple(self.eval(a, env) for a in args)))
            case ir.Lawful(act, order):
                return self.lawful(order, (act.input.name, tuple(self.eval(a, env) for a in act.args)))
            case ir.Compliant(actor, order=order, day=asked):
                who, when = str(self.eval(actor, env)), self._asked_day(asked, env)
                return not any(self.violated(i, when) for i in self.st.norm_instances_in(who, _name(order)))
            case ir.Deontic(kind, actor, body, order=order, day=asked):
                who = str(self.eval(actor, env))
                return self.deontic(kind, who, body, env, _name(order), self._asked_day(asked, env))
        raise AssertionError(f"unhandled {e!r}")

    def _asked_day(self, day: ir.Expr | None, env: dict[ir.Var, ir.Value]) -> int | None:
        return None if day is None else int(self.eval(day, env))  # type: ignore[arg-type]

    # ---- compliant alternatives ----
    # `order`: only that legal order's norms count; `day`: only the norms active on that day.
    def deontic(
        self, kind: str, actor: str, body: ir.Expr, env: dict[ir.Var, ir.Value], order: str | None = None, day: int | None = None
    ) -> bool:
        view = (order, day)
        if self.brute_force:
            scope: list[Atom] = self.st.acts_of(actor)
            constraints: list[Constraint] = []  # all assumptions and norms are checked directly
            others: list[frozenset[Atom]] = []
        else:
            scope_set, constraints, others = self.st.query_scope(actor, body, env, order)
            scope = sorted(scope_set, key=repr)
        exists_elsewhere = self._fixed_ok(actor, view) and all(self._group_satisfiable(actor, g, view) for g in others)
        found_true: dict[Atom, ir.Value] | None = None
        found_false: dict[Atom, ir.Value] | None = None
        any_compliant = False
        complete = True
        if exists_elsewhere:
            alternatives, complete = self._alternatives(scope, self._required(constraints, day) if not self.brute_force else None)
            for alt in alternatives:
                world = self.world.with_values(alt)
                ev = Evaluator(self.spec, world, self.structure)
                if not self._complies(ev, actor, constraints, view):
                    continue
                any_compliant = True
                if ev.holds(body, env):
                    found_true = found_true or alt
                else:
                    found_false = found_false or alt
                if found_true is not None and found_false is not None:
                    break
        if not complete:
            # Only a found alternative decides: obliged is false once a compliant one falsifies the
            # formula, permitted is true once a compliant one satisfies it.
            decided = (kind == "obliged" and found_false is not None) or (kind != "obliged" and found_true is not None)
            if not decided:
                raise EvaluationLimit(_UNDECIDED)
        if kind == "obliged":
            value = any_compliant and found_false is None
            decisive = found_false
        else:
            value = found_true is not None
            if kind == "forbidden":
                value = not value
            decisive = found_true if found_true is not None else found_false
        alternative = dict(decisive) if decisive is not None else None
        self.witnesses.append(Witness(actor, kind, value, alternative, dilemma=not any_compliant))
        return value

    def _complies(self, ev: Evaluator, actor: str, constraints: list[Constraint], view: View = (None, None)) -> bool:
        order, day = view
        if self.brute_force:
            if not ev.assumptions_hold():
                return False
            return all(not self.active(i, day) or ev.satisfied(i) for i in self.st.norm_instances_in(actor, order))
        for c in constraints:
            if c.norm is not None:
                if self.active(c.norm, day) and not ev.satisfied(c.norm):
                    return False
            elif not ev.holds(c.expr, dict(c.env)):
                return False
        return True

    def _fixed_ok(self, actor: str, view: View) -> bool:
        if self.brute_force:
            return True  # checked with every alternative instead
        order, day = view
        return all(not self.violated(i, day) for i in self.st.fixed_norms(actor, order))

    def _group_satisfiable(self, actor: str, group: frozenset[Atom], view: View) -> bool:
        if self.st.trivially_satisfiable(actor, group, view[0]):
            return True
        key = (actor, group, view)
        if key not in self._groups_ok:
            self._groups_ok[key] = self._group_satisfiable_uncached(actor, group, view)
        return self._groups_ok[key]

    def _group_satisfiable_uncached(self, actor: str, group: frozenset[Atom], view: View) -> bool:
        constraints = self.st.group_constraints(actor, group, view[0])
        alternatives, complete = self._alternatives(sorted(group, key=repr), self._required(constraints, view[1]))
        for alt in alternatives:
            ev = Evaluator(self.spec, self.world.with_values(alt), self.structure)
            if self._complies(ev, actor, constraints, view):
                return True
        if not complete:
            raise EvaluationLimit(_UNDECIDED)
        return False

    def _required(self, constraints: list[Constraint], day: int | None = None) -> list[Requirement]:
        """What a compliant alternative must make true (or false): the active norms' contents and the assumptions."""
        out: list[Requirement] = []
        for c in constraints:
            if c.norm is None:
                out.append((c.expr, dict(c.env), True))
            elif c.norm.norm.kind != "permission" and self.active(c.norm, day):
                out.append((c.expr, dict(c.env), c.norm.norm.kind == "obligation"))
        return out

    def _alternatives(self, scope: list[Atom], required: list[Requirement] | None = None) -> tuple[Iterator[dict[Atom, ir.Value]], bool]:
        """The alternatives to try, and whether they are all of them.

        Without day-valued acts: every assignment. With them (a day ranges over the whole horizon):
        candidate days near the days the world already has, searched depth first and pruned by
        the constraints; such a search can find an alternative but never proves there is none.
        """
        domains = [values_of(self.spec, self.spec.inputs[name].type) for name, _ in scope]
        total = 1
        for d in domains:
            total *= len(d)
        if total <= MAX_ALTERNATIVES:
            return (dict(zip(scope, values, strict=True)) for values in itertools.product(*domains)), True
        if not any(isinstance(self.spec.inputs[name].type, DayT) for name, _ in scope):
            raise EvaluationLimit(f"more than {MAX_ALTERNATIVES} alternatives to enumerate")
        return self._candidate_search(scope, required), False

    def _candidate_search(self, scope: list[Atom], required: list[Requirement] | None) -> Iterator[dict[Atom, ir.Value]]:
        from treaty_dsl.partial import partial_value

        order = sorted(scope, key=lambda a: (isinstance(self.spec.inputs[a[0]].type, DayT), repr(a)))
        days = self._candidate_days()
        choices: list[list[ir.Value]] = []
        for atom in order:
            t = self.spec.inputs[atom[0]].type
            actual = self.world.get(atom)
            pool = days if isinstance(t, DayT) else list(values_of(self.spec, t))
            choices.append([actual, *(v for v in pool if v != actual)])
        budget = [MAX_ALTERNATIVES * 4]

        def violated(assigned: dict[Atom, ir.Value], unknown: set[Atom]) -> bool:
            if required is None:
                return False
            known = _Known(self.world, assigned, unknown)
            return any(partial_value(self.spec, expr, env, known) is (not want) for expr, env, want in required)

        def go(i: int, assigned: dict[Atom, ir.Value]) -> Iterator[dict[Atom, ir.Value]]:
            if i == len(order):
                yield dict(assigned)
                return
            for value in choices[i]:
                budget[0] -= 1
                if budget[0] < 0:
                    return
                assigned[order[i]] = value
                if not violated(assigned, set(order[i + 1 :])):
                    yield from go(i + 1, assigned)
                del assigned[order[i]]

        return go(0, {})

    def _candidate_days(self) -> list[ir.Value]:
        """Days an alternative might need: those of the world and of the spec, moved by the spec's periods."""
        low, high = self.spec.horizon
        base = {low, high}
        base.update(v for (name, _), v in self.world.values.items() if isinstance(self.spec.inputs[name].type, DayT) and isinstance(v, int))
        base.update(self.st.day_constants)
        offsets = {0, 1, -1, 2, -2}
        for k in self.st.day_offsets:
            offsets.update({k, -k, k + 1, -k - 1})
        return sorted({b + k for b in base for k in offsets if low <= b + k <= high})


Requirement = tuple[ir.Expr, dict[ir.Var, ir.Value], bool]  # a formula, its variables, the value it must have
View = tuple[str | None, int | None]  # the legal order whose norms count (None: all), the day (None: any)


def _name(order: ir.Order | None) -> str | None:
    return None if order is None else order.name

_UNDECIDED = "a day-valued act: no candidate day decides whether a compliant alternative exists"


class _Known(Mapping[Atom, ir.Value]):
    """The world's values with some atoms of an alternative assigned and some still unknown."""

    def __init__(self, world: World, assigned: Mapping[Atom, ir.Value], unknown: set[Atom]) -> None:
        self.world, self.assigned, self.unknown = world, assigned, unknown

    def __getitem__(self, atom: Atom) -> ir.Value:
        if atom in self.assigned:
            return self.assigned[atom]
        if atom in self.unknown:
            raise KeyError(atom)
        return self.world.get(atom)

    def __iter__(self) -> Iterator[Atom]:
        return iter(self.world.values)

    def __len__(self) -> int:
        return len(self.world.values)


def _compare(op: str, a: ir.Value, b: ir.Value) -> bool:
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    x, y = Fraction(a), Fraction(b)  # type: ignore[arg-type]
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def _bind(env: dict[ir.Var, ir.Value], vars_: tuple[ir.Var, ...], vals: tuple[ir.Value, ...]) -> dict[ir.Var, ir.Value]:
    inner = dict(env)
    inner.update(zip(vars_, vals, strict=True))
    return inner


def _product(spec: ir.Spec, vars_: tuple[ir.Var, ...]) -> Iterator[tuple[ir.Value, ...]]:
    return itertools.product(*(values_of(spec, v.type) for v in vars_))
