"""Static structure of the deontic semantics, shared by the evaluator and the Z3 encoding.

The meaning of `obliged(a, φ)` (LANGUAGE.md section 2) varies only the actor's own *acts*: ground
atoms of choice inputs that the contents of norms regulate and that `a` controls. Everything else,
including the conditions that made norms active, stays as it is in the actual world.

Compliance of an alternative is a conjunction of constraints (each norm instance the actor bears,
each assumption instance); those constraints and the queried formula read act atoms. Atoms that
never meet in one constraint can vary independently, so the alternatives factor into groups and
only the group that the queried formula reads needs to be searched. `act_groups` computes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from treaty_dsl import ir
from treaty_dsl.budget import tick, ticking
from treaty_dsl.grounding import Atom, StaticEnv, StaticValue, argument_choices, assignments, instances, is_static, values_of
from treaty_dsl.temporal import PowerInstance, Timeline
from treaty_dsl.types import BoolT
from treaty_dsl.walk import children


@dataclass(frozen=True)
class NormInstance:
    norm: ir.Norm
    args: tuple[ir.Value, ...]

    @property
    def env(self) -> dict[ir.Var, ir.Value]:
        return dict(zip(self.norm.params, self.args, strict=True))

    def label(self) -> str:
        if not self.args:
            return self.norm.name
        return f"{self.norm.name}({', '.join(str(a) for a in self.args)})"


@dataclass(frozen=True)
class Constraint:
    """A ground piece of compliance: a norm instance, or an instance of an assumption."""

    expr: ir.Expr
    env: tuple[tuple[ir.Var, ir.Value], ...]
    norm: NormInstance | None = None
    assumption: ir.Assumption | None = None


def static_value(e: ir.Expr, env: StaticEnv) -> ir.Value | None:
    """The value of an expression built from constants and bound variables only; None when it is
    not known statically (a variable bound to `UNKNOWN` or to a solver term included)."""
    match e:
        case ir.Const(value):
            return value
        case ir.VarRef(var):
            bound = env.get(var)
            return bound if is_static(bound) else None  # type: ignore[return-value]
        case ir.Cmp(op, a, b) if op in ("=", "!="):
            va, vb = static_value(a, env), static_value(b, env)
            if va is None or vb is None:
                return None
            return (va == vb) if op == "=" else (va != vb)
        case ir.Ite(c, a, b):
            vc = static_value(c, env)
            if vc is None:
                return None
            return static_value(a if vc else b, env)
    return None


class Structure:
    """Per-spec facts: which inputs are acts, who bears which norm instance, what reads what."""

    def __init__(self, spec: ir.Spec) -> None:
        self.spec = spec
        self._reads: dict[tuple[int, tuple[tuple[int, StaticValue], ...]], tuple[ir.Expr, tuple[ir.Var, ...], frozenset[Atom]]] = {}
        self._def_reads: dict[tuple[str, tuple[ir.Value, ...]], frozenset[Atom]] = {}
        self._groups: dict[tuple[str, str | None], list[frozenset[Atom]]] = {}
        self._constraints: dict[tuple[str, str | None], list[Constraint]] = {}
        self._constraint_acts: dict[tuple[int, str], tuple[Constraint, frozenset[Atom]]] = {}
        self._trivial: dict[tuple[str, frozenset[Atom], str | None], bool] = {}
        self._fixed: dict[tuple[str, str | None], list[NormInstance]] = {}
        self._scopes: dict[tuple[str, frozenset[Atom], str | None], tuple[frozenset[Atom], list[Constraint], list[frozenset[Atom]]]] = {}
        self._rivals: dict[tuple[str, tuple[ir.Value, ...]], list[NormInstance]] = {}
        self._by_actor: dict[str, list[NormInstance]] = {}
        self._regulating: dict[Atom, list[NormInstance]] = {}
        self._content_inputs: dict[str, frozenset[str]] = {}

    @cached_property
    def timeline(self) -> Timeline:
        return Timeline(self.spec)

    @cached_property
    def act_inputs(self) -> frozenset[str]:
        """Choice inputs that the content of some norm reads (through definitions too)."""
        names: set[str] = set()
        seen_defs: set[str] = set()
        stack: list[ir.Expr] = [n.content for n in self.spec.norms.values()]
        while stack:
            e = stack.pop()
            if isinstance(e, ir.InputRef) and not isinstance(e.input.controller, ir.Nature):
                names.update(act_names(e.input))
            if isinstance(e, ir.DefRef) and e.definition.name not in seen_defs:
                seen_defs.add(e.definition.name)
                stack.append(e.definition.body)
            stack.extend(children(e))
        return frozenset(names)

    @cached_property
    def bearer_instances(self) -> dict[str, list[NormInstance]]:
        """Every norm instance by bearer. Whole-spec scans only: it grounds every norm (a norm over
        pairs of 1,000 parties has a million instances); `norm_instances` is per actor."""
        out: dict[str, list[NormInstance]] = {}
        for norm in self.spec.norms.values():
            for args in assignments(self.spec, norm.params):
                env = dict(zip(norm.params, args, strict=True))
                bearer = static_value(norm.bearer, env)
                if bearer is None:
                    continue
                out.setdefault(str(bearer), []).append(NormInstance(norm, args))
        return out

    def bearers(self) -> list[str]:
        """The actors that bear some norm instance."""
        out: set[str] = set()
        for norm in self.spec.norms.values():
            if isinstance(norm.bearer, ir.VarRef):
                dom = self.spec.domain_of(norm.bearer.var.type)
                out.update(dom.values if dom is not None else ())
            elif isinstance(norm.bearer, ir.Const):
                out.add(str(norm.bearer.value))
            else:
                out.update(self.bearer_instances)
        return sorted(out)

    def norm_instances(self, actor: str) -> list[NormInstance]:
        """The norm instances `actor` bears; when the bearer is a parameter, only its instances are built."""
        cached = self._by_actor.get(actor)
        if cached is not None:
            return cached
        if "bearer_instances" in self.__dict__:
            out = self.bearer_instances.get(actor, [])
        else:
            out = []
            for norm in self.spec.norms.values():
                match norm.bearer:
                    case ir.VarRef(var) if var in norm.params:
                        i = norm.params.index(var)
                        if actor not in values_of(self.spec, var.type):
                            continue
                        choices = [(actor,) if j == i else values_of(self.spec, p.type) for j, p in enumerate(norm.params)]
                        out.extend(NormInstance(norm, tuple(args)) for args in itertools.product(*choices))
                    case ir.Const(value) if str(value) != actor:
                        continue
                    case _:
                        for args in assignments(self.spec, norm.params):
                            if str(static_value(norm.bearer, dict(zip(norm.params, args, strict=True)))) == actor:
                                out.append(NormInstance(norm, args))
        self._by_actor[actor] = out
        return out

    @cached_property
    def assumption_instances(self) -> list[Constraint]:
        """Assumptions split at top-level `and` and `every` into ground instances."""
        out: list[Constraint] = []
        for a in self.spec.assumptions:
            for expr, env in _split(self.spec, a.body, {}):
                out.append(Constraint(expr, tuple(env.items()), assumption=a))
        return out

    def is_act_of(self, atom: Atom, actor: str) -> bool:
        name, args = atom
        if name not in self.act_inputs:
            return False
        return self.spec.inputs[name].controller_of(args) == actor

    def acts_of(self, actor: str) -> list[Atom]:
        out: list[Atom] = []
        for name in sorted(self.act_inputs):
            inp = self.spec.inputs[name]
            for args in instances(self.spec, inp):
                if inp.controller_of(args) == actor:
                    out.append((name, args))
        return out

    # ---- days the spec names and the periods it counts (for searching day-valued acts) ----
    @cached_property
    def day_constants(self) -> frozenset[int]:
        from treaty_dsl.symmetry import spec_expressions
        from treaty_dsl.types import DayT
        from treaty_dsl.walk import subexprs

        return frozenset(
            int(sub.value)  # type: ignore[arg-type]
            for e in spec_expressions(self.spec)
            for sub in subexprs(e)
            if isinstance(sub, ir.Const) and isinstance(sub.type, DayT)
        )

    @cached_property
    def day_offsets(self) -> frozenset[int]:
        from treaty_dsl.symmetry import spec_expressions
        from treaty_dsl.walk import subexprs

        out: set[int] = set()
        for e in spec_expressions(self.spec):
            for sub in subexprs(e):
                if isinstance(sub, ir.Shift):
                    out.update({abs(sub.amount)} if sub.unit == "days" else {365 * abs(sub.amount), 366 * abs(sub.amount)})
        sums = {a + b for a in out for b in out}
        return frozenset(out | sums)

    # ---- defeat (LANGUAGE.md section 3) ----
    def rivals(self, inst: NormInstance) -> list[NormInstance]:
        """Norm instances that prevail over `inst` if they are active and conflict with it: same
        legal order, same bearer, and higher rank, or declared to override it, or later at equal rank."""
        key = (inst.norm.name, inst.args)
        cached = self._rivals.get(key)
        if cached is None:
            bearer = static_value(inst.norm.bearer, inst.env)
            cached = [m for m in self.norm_instances(str(bearer)) if m != inst and prevails(m.norm, inst.norm)]
            self._rivals[key] = cached
        return cached

    def conflict_scope(self, m: NormInstance, n: NormInstance) -> tuple[list[Atom], list[Constraint]]:
        """The bearer's acts two norms' contents read, closed under the assumptions that link them
        to other acts, and those assumptions: what decides whether some alternative complies with
        (or exercises) both. Other norms play no part in a conflict, so their links do not count."""
        actor = str(static_value(n.norm.bearer, n.env))
        scope = {a for i in (m, n) for a in self.reads(i.norm.content, i.env) if self.is_act_of(a, actor)}
        assumptions = [c for c in self.constraints_of(actor) if c.norm is None]
        chosen: set[int] = set()
        grown = True
        while grown:
            grown = False
            for i, c in enumerate(assumptions):
                acts = self.constraint_acts(c, actor)
                if i not in chosen and acts & scope:
                    chosen.add(i)
                    scope |= acts
                    grown = True
        return sorted(scope, key=repr), [c for i, c in enumerate(assumptions) if i in chosen]

    # ---- what an expression can read ----
    def reads(self, e: ir.Expr, env: StaticEnv) -> frozenset[Atom]:
        """Every ground atom the value of `e` can depend on (an over-approximation)."""
        key = (id(e), tuple([(id(v), val) for v, val in env.items()]))
        entry = self._reads.get(key)
        # The entry keeps the expression and the variables alive, so their ids cannot be reused by
        # other objects while the key exists; the identity check guards against it all the same.
        if entry is not None and entry[0] is e:
            return entry[2]
        tick()
        result = frozenset(self._reads_uncached(e, env))
        self._reads[key] = (e, tuple(env), result)
        return result

    def _reads_uncached(self, e: ir.Expr, env: StaticEnv) -> Iterator[Atom]:
        match e:
            case ir.InputRef(inp, args):
                for a in args:
                    yield from self.reads(a, env)
                names = act_names(inp)
                for ground in self._ground_args(inp.params, args, env):
                    for name in names:
                        yield (name, ground)
            case ir.DefRef(defn, args):
                for a in args:
                    yield from self.reads(a, env)
                for ground in self._ground_args(defn.params, args, env):
                    yield from self.def_reads(defn, ground)
            case ir.Quant(_, vars_, body) | ir.Count(vars_, body):
                for values in assignments(self.spec, vars_):
                    inner = dict(env)
                    inner.update(zip(vars_, values, strict=True))
                    yield from self.reads(body, inner)
            case ir.StateAt(st, args, day):
                for a in (*args, day):
                    yield from self.reads(a, env)
                for ground in self._ground_args(st.params, args, env):
                    yield from self.timeline.state_reads(st, ground)
            case ir.Effective(p, args):
                for a in args:
                    yield from self.reads(a, env)
                for ground in self._ground_args(p.params, args, env):
                    yield from self.timeline.power_reads(PowerInstance(p, ground))
            case ir.Deontic() | ir.NormQuery() | ir.Compliant() | ir.Lawful():
                raise ValueError("deontic queries have no static read set")
            case _:
                for c in children(e):
                    yield from self.reads(c, env)

    def reads_any(self, e: ir.Expr, env: StaticEnv) -> set[Atom]:
        """Like `reads`, but through deontic queries too: the queried formula and the conditions
        and contents of the norms the query consults. For showing what a scenario depends on."""
        match e:
            case ir.Deontic(_, actor, body, order=order, day=day):
                out = set(self.reads(body, env)) | (self.reads_any(day, env) if day is not None else set())
                who = static_value(actor, env)
                for a in [who] if who is not None else list(self._actor_values(actor)):
                    for c in self.consulted(str(a), body, env, order.name if order is not None else None):
                        out |= self.reads(c.expr, dict(c.env))
                        if c.norm is not None:
                            out |= self.reads(c.norm.norm.when, c.norm.env)
                return out
            case ir.Compliant(actor, order=order, day=day):
                out = self.reads_any(day, env) if day is not None else set()
                who = static_value(actor, env)
                for a in [who] if who is not None else list(self._actor_values(actor)):
                    for inst in self.norm_instances_in(str(a), order.name if order is not None else None):
                        out |= self.norm_reads(inst)
                return out
            case ir.NormQuery(_, norm, args, day=day):
                out = self.reads_any(day, env) if day is not None else set()
                for ground in self._ground_args(norm.params, args, env):
                    inst = NormInstance(norm, ground)
                    out |= self.norm_reads(inst)
                return out
            case ir.Lawful(act, order):
                out = set(self.reads(act, env))
                for ground in self._ground_args(act.input.params, act.args, env):
                    for inst in self.regulating(order, (act.input.name, ground)):
                        out |= self.norm_reads(inst)
                return out
            case ir.DefRef(defn, args) if defn.deontic:
                out = set()
                for ground in self._ground_args(defn.params, args, env):
                    out |= self.reads_any(defn.body, dict(zip(defn.params, ground, strict=True)))
                return out
            case ir.Quant(_, vars_, body) | ir.Count(vars_, body):
                out = set()
                for values in assignments(self.spec, vars_):
                    inner = dict(env)
                    inner.update(zip(vars_, values, strict=True))
                    out |= self.reads_any(body, inner)
                return out
            case ir.InputRef() | ir.DefRef() | ir.StateAt() | ir.Effective() | ir.Shift():
                return set(self.reads(e, env))
        out = set()
        for child in children(e):
            out |= self.reads_any(child, env)
        return out

    def regulating_atom(self, atom: Atom) -> list[NormInstance]:
        """The norm instances whose content reads the atom (looked up among the instances borne by
        the atom's controller, or among all instances of the norms that read it if nature's)."""
        cached = self._regulating.get(atom)
        if cached is not None:
            return cached
        name, args = atom
        inp = self.spec.inputs[name]
        owner = inp.controller_of(args)
        out: list[NormInstance] = []
        for norm in self.spec.norms.values():
            if name not in self.content_inputs(norm):
                continue
            if owner is not None:
                insts = [i for i in self.norm_instances(owner) if i.norm is norm]
            else:
                insts = [NormInstance(norm, a) for a in assignments(self.spec, norm.params)]
            out.extend(i for i in insts if atom in self.reads(i.norm.content, i.env))
        self._regulating[atom] = out
        return out

    def content_inputs(self, norm: ir.Norm) -> frozenset[str]:
        """The inputs a norm's content reads, through definitions."""
        cached = self._content_inputs.get(norm.name)
        if cached is None:
            names: set[str] = set()
            stack: list[ir.Expr] = [norm.content]
            while stack:
                e = stack.pop()
                if isinstance(e, ir.InputRef):
                    names.update(act_names(e.input))
                elif isinstance(e, ir.DefRef):
                    stack.append(e.definition.body)
                stack.extend(children(e))
            cached = self._content_inputs[norm.name] = frozenset(names)
        return cached

    def norm_reads(self, inst: NormInstance) -> set[Atom]:
        """What the state of a norm instance can depend on, its rivals' included."""
        out = set(self.reads(inst.norm.when, inst.env)) | self.reads(inst.norm.content, inst.env)
        for bound in (inst.norm.binds_from, inst.norm.binds_until):
            if bound is not None:
                out |= self.reads(bound, inst.env)
        for m in self.rivals(inst):
            out |= self.norm_reads(m)
        return out

    def regulating(self, order: ir.Order, act: Atom) -> list[NormInstance]:
        """Norm instances of the order whose content reads the act: those that make it lawful or not."""
        out: list[NormInstance] = []
        norms = [
            n for n in self.spec.norms.values() if n.order is not None and n.order.name == order.name and act[0] in self.content_inputs(n)
        ]
        for norm in norms:
            for args in assignments(self.spec, norm.params):
                inst = NormInstance(norm, args)
                if static_value(norm.bearer, inst.env) is not None and act in self.reads(norm.content, inst.env):
                    out.append(inst)
        return out

    def consulted(self, actor: str, body: ir.Expr, env: StaticEnv, order: str | None = None) -> list[Constraint]:
        """The constraints a query about `body` can depend on: those on the queried acts, those of
        groups that might have no compliant assignment, and the norms no act of the actor can meet."""
        _, constraints, others = self.query_scope(actor, body, env, order)
        out = list(constraints)
        for g in others:
            if not self.trivially_satisfiable(actor, g, order):
                out.extend(self.group_constraints(actor, g, order))
        out.extend(Constraint(i.norm.content, tuple(i.env.items()), norm=i) for i in self.fixed_norms(actor, order))
        return out

    def _actor_values(self, actor: ir.Expr) -> Sequence[ir.Value]:
        return values_of(self.spec, actor.type)

    def def_reads(self, defn: ir.Definition, args: tuple[ir.Value, ...]) -> frozenset[Atom]:
        key = (defn.name, args)
        cached = self._def_reads.get(key)
        if cached is None:
            cached = self.reads(defn.body, dict(zip(defn.params, args, strict=True)))
            self._def_reads[key] = cached
        return cached

    def _ground_args(self, params: tuple[ir.Var, ...], args: tuple[ir.Expr, ...], env: StaticEnv) -> Iterator[tuple[ir.Value, ...]]:
        """The argument tuples a call can take. Only a definition's day parameter can be `UNKNOWN`
        (inputs, states, powers and norms range over domains), and `def_reads` accepts it."""
        choices = [argument_choices(self.spec, p.type, static_value(a, env)) for p, a in zip(params, args, strict=True)]
        return ticking(cast(Iterator[tuple[ir.Value, ...]], itertools.product(*choices)))

    # ---- constraints and groups ----
    # `order`: only the norms of that legal order count (`obliged(p, φ) in international`); None: all.
    def norm_instances_in(self, actor: str, order: str | None) -> list[NormInstance]:
        instances = self.norm_instances(actor)
        if order is None:
            return instances
        return [i for i in instances if i.norm.order is not None and i.norm.order.name == order]

    def constraints_of(self, actor: str, order: str | None = None) -> list[Constraint]:
        """Everything an alternative of `actor` must satisfy that reads one of its acts."""
        cached = self._constraints.get((actor, order))
        if cached is None:
            cached = self._constraints[(actor, order)] = self._constraints_uncached(actor, order)
        return cached

    def _constraints_uncached(self, actor: str, order: str | None) -> list[Constraint]:
        out: list[Constraint] = []
        for inst in self.norm_instances_in(actor, order):
            if inst.norm.kind == "permission":
                continue
            if any(self.is_act_of(atom, actor) for atom in self.reads(inst.norm.content, inst.env)):
                out.append(Constraint(inst.norm.content, tuple(inst.env.items()), norm=inst))
        for c in self.assumption_instances:
            if any(self.is_act_of(atom, actor) for atom in self.reads(c.expr, dict(c.env))):
                out.append(c)
        return out

    def fixed_norms(self, actor: str, order: str | None = None) -> list[NormInstance]:
        """Norm instances of `actor` whose content no act of the actor can change.

        If one of them is active and unsatisfied, no alternative complies: a dilemma.
        """
        cached = self._fixed.get((actor, order))
        if cached is None:
            cached = self._fixed[(actor, order)] = self._fixed_uncached(actor, order)
        return cached

    def _fixed_uncached(self, actor: str, order: str | None) -> list[NormInstance]:
        return [
            inst
            for inst in self.norm_instances_in(actor, order)
            if inst.norm.kind != "permission" and not any(self.is_act_of(a, actor) for a in self.reads(inst.norm.content, inst.env))
        ]

    def constraint_acts(self, c: Constraint, actor: str) -> frozenset[Atom]:
        key = (id(c), actor)
        entry = self._constraint_acts.get(key)
        if entry is not None and entry[0] is c:  # the entry keeps `c` alive, so its id is its own
            return entry[1]
        result = frozenset(a for a in self.reads(c.expr, dict(c.env)) if self.is_act_of(a, actor))
        self._constraint_acts[key] = (c, result)
        return result

    def trivially_satisfiable(self, actor: str, group: frozenset[Atom], order: str | None = None) -> bool:
        """Whether setting every act of the group to true (or every one to false) satisfies all of
        its constraints whatever the rest of the world is: then the group never blocks compliance."""
        key = (actor, group, order)
        if key not in self._trivial and not all(isinstance(self.spec.inputs[a[0]].type, BoolT) for a in group):
            self._trivial[key] = False  # only true/false assignments are tried; numbers need the solver
        if key not in self._trivial:
            constraints = self.group_constraints(actor, group, order)
            self._trivial[key] = any(all(_decided(self.spec, c, {a: value for a in group}) for c in constraints) for value in (True, False))
        return self._trivial[key]

    def act_groups(self, actor: str, order: str | None = None) -> list[frozenset[Atom]]:
        """The actor's acts that some constraint reads, partitioned into independent groups."""
        cached = self._groups.get((actor, order))
        if cached is not None:
            return cached
        parent: dict[Atom, Atom] = {}

        def find(x: Atom) -> Atom:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for c in self.constraints_of(actor, order):
            atoms = sorted(self.constraint_acts(c, actor), key=repr)
            for a in atoms:
                parent.setdefault(a, a)
            for a in atoms[1:]:
                ra, rb = find(atoms[0]), find(a)
                if ra != rb:
                    parent[rb] = ra
        groups: dict[Atom, set[Atom]] = {}
        for a in parent:
            groups.setdefault(find(a), set()).add(a)
        result = sorted((frozenset(g) for g in groups.values()), key=lambda g: sorted(map(repr, g)))
        self._groups[(actor, order)] = result
        return result

    def query_scope(
        self, actor: str, body: ir.Expr, env: StaticEnv, order: str | None = None
    ) -> tuple[frozenset[Atom], list[Constraint], list[frozenset[Atom]]]:
        """For a query about `body`: the acts to vary, the constraints on them, the other groups.

        The acts to vary are the actor's acts that `body` reads, closed under the groups they touch.
        """
        body_acts = frozenset(a for a in self.reads(body, env) if self.is_act_of(a, actor))
        key = (actor, body_acts, order)
        cached = self._scopes.get(key)
        if cached is None:
            cached = self._scopes[key] = self._scope_uncached(actor, body_acts, order)
        return cached

    def _scope_uncached(
        self, actor: str, body_acts: frozenset[Atom], order: str | None
    ) -> tuple[frozenset[Atom], list[Constraint], list[frozenset[Atom]]]:
        groups = self.act_groups(actor, order)
        scope: set[Atom] = set(body_acts)
        others: list[frozenset[Atom]] = []
        for g in groups:
            if g & body_acts:
                scope |= g
            else:
                others.append(g)
        constraints = [c for c in self.constraints_of(actor, order) if self.constraint_acts(c, actor) & scope]
        return frozenset(scope), constraints, others

    def group_constraints(self, actor: str, group: frozenset[Atom], order: str | None = None) -> list[Constraint]:
        return [c for c in self.constraints_of(actor, order) if self.constraint_acts(c, actor) & group]


def act_names(inp: ir.Input) -> tuple[str, ...]:
    """What reading `inp` reads of the acts: `day_of(E)` is part of the act E (it has a meaning only
    when E happens), so whatever reads an event's day is taken to read the event too; reading the
    event alone does not read its day."""
    if inp.day_of is not None:
        return (inp.name, inp.day_of)
    return (inp.name,)


def prevails(m: ir.Norm, n: ir.Norm) -> bool:
    """Whether m wins over n when both are active and conflict: within one order only."""
    if m.order is None or n.order is None or m.order.name != n.order.name:
        return False
    if m.level != n.level:
        return m.level > n.level
    if n.name in m.overrides:
        return True
    if m.name in n.overrides:
        return False
    dm, dn = m.citation.instrument.dated, n.citation.instrument.dated
    return dm is not None and dn is not None and dm > dn


def compliance(inst: NormInstance) -> tuple[ir.Expr, bool]:
    """The formula that complying with (or, for a permission, exercising) the norm makes true or false."""
    return inst.norm.content, inst.norm.kind != "prohibition"


def _split(spec: ir.Spec, e: ir.Expr, env: dict[ir.Var, ir.Value]) -> Iterator[tuple[ir.Expr, dict[ir.Var, ir.Value]]]:
    match e:
        case ir.BoolOp("and", items):
            for item in items:
                yield from _split(spec, item, env)
        case ir.Quant("every", vars_, body):
            for values in assignments(spec, vars_):
                inner = dict(env)
                inner.update(zip(vars_, values, strict=True))
                yield from _split(spec, body, inner)
        case _:
            yield e, env


def _decided(spec: ir.Spec, c: Constraint, acts: dict[Atom, bool]) -> bool:
    """Whether the constraint is certainly met when `acts` take these values and all else is unknown."""
    from treaty_dsl.partial import partial_value

    if c.norm is not None:
        value = partial_value(spec, c.expr, dict(c.env), acts)
        return value is (c.norm.norm.kind == "obligation")
    return partial_value(spec, c.expr, dict(c.env), acts) is True
