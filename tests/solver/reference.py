"""A second reading of legal states, effects and defeat, for the differential tests.

The concrete evaluator and the Z3 encoding share the static structure in `treaty_dsl.temporal`
(which power instance changes which state instance) and `treaty_dsl.deontic` (rivals, conflict
scopes): a mistake there would make both agree and both be wrong. `Reference` is the brute-force
evaluator with those parts re-derived from their written meaning, in the world at hand and without
the shared tables:

- `d + n years`: same month and day n years on, 29 February to 28 February (stdlib `calendar`);
- an effect of a power instance changes the state instance its arguments *evaluate* to;
- a state on day t: its initial value, unless effective exercises of powers or recorded facts have
  changed it on or before t; then the latest change decides, and an end beats a start on the same day;
- `effective(w(args))`: the act happened, the power's condition held (bare states on the day
  before the act), and no revocation happened on or after the act's day and before the effect day;
- `lawful(act, order)`: no active norm of the order whose content names the act is violated; a
  content names an input at the arguments its expressions fix (constants and parameters, compared
  with `=`/`!=`, chosen with `if`), at every value where they depend on the world (an input, an
  event's day passed to a definition), and `day_of(E)` names the event E;
- on a day (`active(n) at d`, `obliged(a, φ) at d`): an instance binds from the day its `from`
  gives through the day its `until` gives; a rival defeats it on d if the rival is active on d;
- `defeated(n)`: n applies and some other instance with the same bearer, of the same legal order,
  that prevails (higher rank; else a declared override; else a later date) is active and conflicts
  with it: no assignment of *all* the bearer's acts satisfies every assumption and both norms'
  compliance formulas (obligation: content, prohibition: not content, permission: content).

The differential property compares it with `Evaluator(brute_force=True)` world by world.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
import itertools

from treaty_dsl import ir
from treaty_dsl.deontic import NormInstance
from treaty_dsl.evaluator import EvaluationLimit, Evaluator
from treaty_dsl.grounding import assignments, values_of
from treaty_dsl.temporal import PowerInstance
from treaty_dsl.types import DAY


class DefeatCycle(Exception):
    """Whether a norm is defeated depends on itself (the prevail relation has a cycle)."""


def add_years(day: int, n: int) -> int:
    d = datetime.date.fromordinal(day)
    year = d.year + n
    if not 1 <= year <= 9999:
        raise EvaluationLimit("outside the calendar")
    return datetime.date(year, d.month, min(d.day, stdlib_calendar.monthrange(year, d.month)[1])).toordinal()


def add_months(day: int, n: int) -> int:
    d = datetime.date.fromordinal(day)
    year, month = divmod(d.year * 12 + d.month - 1 + n, 12)
    if not 1 <= year <= 9999:
        raise EvaluationLimit("outside the calendar")
    return datetime.date(year, month + 1, min(d.day, stdlib_calendar.monthrange(year, month + 1)[1])).toordinal()


def shift(day: int, amount: int, unit: str) -> int:
    if unit == "days":
        return day + amount
    return add_months(day, amount) if unit == "months" else add_years(day, amount)


def level(norm: ir.Norm) -> int:
    """Rank groups are written highest first; an instrument without a rank is below them all."""
    inst = norm.citation.instrument
    if inst.order is None or inst.rank is None:
        return 0
    for i, group in enumerate(inst.order.ranks):
        if inst.rank in group:
            return len(inst.order.ranks) - i
    return 0


def prevails(m: ir.Norm, n: ir.Norm) -> bool:
    om, on = m.citation.instrument.order, n.citation.instrument.order
    if om is None or on is None or om.name != on.name:
        return False
    if level(m) != level(n):
        return level(m) > level(n)
    if n.name in m.overrides:
        return True
    if m.name in n.overrides:
        return False
    dm, dn = m.citation.instrument.dated, n.citation.instrument.dated
    return dm is not None and dn is not None and dm > dn


class Reference(Evaluator):
    """`Evaluator(brute_force=True)` with states, effects and defeat computed as written above."""

    def eval(self, e: ir.Expr, env: dict[ir.Var, ir.Value]) -> ir.Value:
        if isinstance(e, ir.Shift):
            return shift(int(self.eval(e.base, env)), e.amount, e.unit)  # type: ignore[arg-type]
        return super().eval(e, env)

    def _day(self, act: ir.InputRef, env: dict[ir.Var, ir.Value]) -> int:
        args = tuple(self.eval(a, env) for a in act.args)
        return int(self.world.get((act.input.day_input, args)))  # type: ignore[arg-type]

    def _effect_day(self, p: ir.Power, env: dict[ir.Var, ir.Value]) -> int | None:
        assert p.act is not None
        if p.effect_on is not None:  # the day the world gives, and never before the act
            return max(self._day(p.act, env), int(self.eval(p.effect_on, env)))  # type: ignore[arg-type]
        try:
            return shift(self._day(p.act, env), *p.delay)
        except EvaluationLimit:
            return None

    def state_at(self, st: ir.State, args: tuple[ir.Value, ...], day: int) -> bool:
        latest: tuple[int, bool] | None = None
        for p in self.spec.powers.values():
            for pargs in assignments(self.spec, p.params):
                env = dict(zip(p.params, pargs, strict=True))
                for eff in p.effects:
                    if eff.state.name != st.name or tuple(self.eval(a, env) for a in eff.args) != args:
                        continue
                    assert p.act is not None
                    if not self.holds(p.act, env):
                        continue
                    when = self._effect_day(p, env)
                    if when is None or when > day or not self.effective(PowerInstance(p, pargs)):
                        continue
                    change = (when, eff.kind == "ends")
                    if latest is None or change > latest:
                        latest = change
        for fact in self.spec.facts.values():  # recorded history: changes that happened on their dates
            for eff in fact.effects:
                if eff.state.name == st.name and tuple(self.eval(a, {}) for a in eff.args) == args and fact.day <= day:
                    change = (fact.day, eff.kind == "ends")
                    if latest is None or change > latest:
                        latest = change
        if latest is None:
            assert st.initially is not None
            return self.holds(st.initially, dict(zip(st.params, args, strict=True)))
        return not latest[1]

    def _effective_uncached(self, pi: PowerInstance) -> bool:
        p, env = pi.power, pi.env
        assert p.act is not None and p.when is not None
        if not self.holds(p.act, env) or not self.holds(p.when, env):
            return False
        if p.revocation is not None and self.holds(p.revocation, env):
            act_day, rev_day, when = self._day(p.act, env), self._day(p.revocation, env), self._effect_day(p, env)
            if act_day <= rev_day and (when is None or rev_day < when):
                return False
        return True

    # ---- lawfulness ----
    def lawful(self, order: ir.Order, act: tuple[str, tuple[ir.Value, ...]]) -> bool:
        for norm in self.spec.norms.values():
            if norm.order is None or norm.order.name != order.name:
                continue
            for args in assignments(self.spec, norm.params):
                inst = NormInstance(norm, args)
                if act in named_atoms(self.spec, norm.content, dict(inst.env)) and self.violated(inst):
                    return False
        return True

    # ---- defeat ----
    def defeaters(self, inst: NormInstance, day: int | None = None) -> list[NormInstance]:
        if not self.applicable(inst) or not self._binds(inst, day):
            return []
        stack: list[NormInstance] = self.__dict__.setdefault("_defeat_stack", [])
        if inst in stack:
            raise DefeatCycle(" -> ".join(i.label() for i in [*stack, inst]))
        stack.append(inst)
        try:
            bearer = self.eval(inst.norm.bearer, inst.env)
            out: list[NormInstance] = []
            for norm in self.spec.norms.values():
                if not prevails(norm, inst.norm):
                    continue
                for args in assignments(self.spec, norm.params):
                    m = NormInstance(norm, args)
                    if m == inst or self.eval(norm.bearer, m.env) != bearer:
                        continue
                    if self.active(m, day) and self._conflict(m, inst, str(bearer)):
                        out.append(m)
            return out
        finally:
            stack.pop()

    def _binds(self, inst: NormInstance, day: int | None) -> bool:
        """Asked on a day, an instance binds from its `from` day through its `until` day."""
        if day is None:
            return True
        start = self.eval(inst.norm.binds_from, inst.env) if inst.norm.binds_from is not None else None
        end = self.eval(inst.norm.binds_until, inst.env) if inst.norm.binds_until is not None else None
        return (start is None or start <= day) and (end is None or day <= end)  # type: ignore[operator]

    def _conflict(self, m: NormInstance, n: NormInstance, bearer: str) -> bool:
        acts = self.st.acts_of(bearer)
        domains = [values_of(self.spec, self.spec.inputs[name].type) for name, _ in acts]
        for values in itertools.product(*domains):
            ev = Evaluator(self.spec, self.world.with_values(dict(zip(acts, values, strict=True))), self.structure)
            if not ev.assumptions_hold():
                continue
            if all(ev.holds(i.norm.content, i.env) == (i.norm.kind != "prohibition") for i in (m, n)):
                return False
        return True


_WORLD = object()  # a value the world decides: stands for every value of its type


def _fixed(e: ir.Expr, env: dict[ir.Var, object]) -> object:
    """The value of an argument where the norm's parameters and constants fix it, else `_WORLD`."""
    if isinstance(e, ir.Const):
        return e.value
    if isinstance(e, ir.VarRef):
        return env.get(e.var, _WORLD)
    if isinstance(e, ir.Cmp) and e.op in ("=", "!="):
        a, b = _fixed(e.left, env), _fixed(e.right, env)
        if a is _WORLD or b is _WORLD:
            return _WORLD
        return (a == b) == (e.op == "=")
    if isinstance(e, ir.Ite):
        c = _fixed(e.cond, env)
        return _WORLD if c is _WORLD else _fixed(e.then if c else e.other, env)
    return _WORLD


def named_atoms(spec: ir.Spec, e: ir.Expr, env: dict[ir.Var, object]) -> set[tuple[str, tuple[ir.Value, ...]]]:
    """The ground atoms an expression names (see `lawful` in the module docstring)."""
    from treaty_dsl.walk import children

    out: set[tuple[str, tuple[ir.Value, ...]]] = set()
    if isinstance(e, ir.InputRef | ir.DefRef):
        params = e.input.params if isinstance(e, ir.InputRef) else e.definition.params
        choices = []
        for p, a in zip(params, e.args, strict=True):
            out |= named_atoms(spec, a, env)
            v = _fixed(a, env)
            choices.append([_WORLD] if v is _WORLD and p.type == DAY else list(values_of(spec, p.type)) if v is _WORLD else [v])
        for ground in itertools.product(*choices):
            if isinstance(e, ir.InputRef):
                out.add((e.input.name, ground))  # type: ignore[arg-type]
                if e.input.day_of is not None:
                    out.add((e.input.day_of, ground))  # type: ignore[arg-type]
            else:
                out |= named_atoms(spec, e.definition.body, dict(zip(params, ground, strict=True)))
        return out
    if isinstance(e, ir.Quant | ir.Count):
        for values in assignments(spec, e.vars):
            out |= named_atoms(spec, e.body, {**env, **dict(zip(e.vars, values, strict=True))})
        return out
    for c in children(e):
        out |= named_atoms(spec, c, env)
    return out
