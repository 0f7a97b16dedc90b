"""Legal states over time and the powers that change them: the static facts both the evaluator and
the Z3 encoding rely on.

A legal state (`party(p)`) has a value at the end of every day. It starts as its `initially`
condition says; each *effective* exercise of a power that `starts` or `ends` it changes it from the
power's effect day on. When several effects have taken place by day t, the latest decides; on the
same day an end prevails over a start.

A power's condition reads states on the day before its act, and its effect comes on the act's day
or later; so whether an act was effective depends only on strictly earlier acts, and the meaning
is well defined (no circularity), which is what lets the encoding define `effective` by equations.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from treaty_dsl import ir
from treaty_dsl.calendar import shift_day
from treaty_dsl.grounding import Atom, StaticEnv, StaticValue, argument_choices, assignments, values_of
from treaty_dsl.types import BOOL
from treaty_dsl.walk import children

StateKey = tuple[str, tuple[ir.Value, ...]]
PowerKey = tuple[str, tuple[ir.Value, ...]]


@dataclass(frozen=True)
class PowerInstance:
    power: ir.Power
    args: tuple[ir.Value, ...]

    @property
    def env(self) -> dict[ir.Var, ir.Value]:
        return dict(zip(self.power.params, self.args, strict=True))

    @property
    def key(self) -> PowerKey:
        return (self.power.name, self.args)

    def label(self) -> str:
        return f"{self.power.name}({', '.join(map(str, self.args))})" if self.args else self.power.name


@dataclass(frozen=True)
class EffectInstance:
    power: PowerInstance
    kind: str  # "starts" or "ends"


def effect_day(act_day: int, delay: tuple[int, str]) -> int | None:
    """The day an act done on `act_day` takes effect; None when that is past the calendar's end."""
    amount, unit = delay
    try:
        return shift_day(act_day, amount, unit)
    except (OverflowError, ValueError):
        return None


def ground_static(e: ir.Expr, env: StaticEnv) -> ir.Value | None:
    from treaty_dsl.deontic import static_value

    return static_value(e, env)


class Timeline:
    """Which power instances change which state instances, and what each can depend on."""

    def __init__(self, spec: ir.Spec) -> None:
        self.spec = spec

    @cached_property
    def power_instances(self) -> list[PowerInstance]:
        return [PowerInstance(p, args) for p in self.spec.powers.values() for args in assignments(self.spec, p.params)]

    @cached_property
    def effects(self) -> dict[StateKey, list[EffectInstance]]:
        """For every state instance, the power instances that can change it."""
        out: dict[StateKey, list[EffectInstance]] = {}
        for pi in self.power_instances:
            env = pi.env
            for eff in pi.power.effects:
                values = [ground_static(a, env) for a in eff.args]
                choices = [(v,) if v is not None else values_of(self.spec, p.type) for p, v in zip(eff.state.params, values, strict=True)]
                for ground in itertools.product(*choices):
                    out.setdefault((eff.state.name, tuple(ground)), []).append(EffectInstance(pi, eff.kind))
        return out

    def effects_on(self, state: ir.State, args: tuple[ir.Value, ...]) -> list[EffectInstance]:
        return self.effects.get((state.name, args), [])

    @cached_property
    def facts(self) -> dict[StateKey, list[tuple[int, str, ir.Fact]]]:
        """For every state instance, the recorded changes of it: (day, "starts" or "ends", fact)."""
        out: dict[StateKey, list[tuple[int, str, ir.Fact]]] = {}
        for fact in self.spec.facts.values():
            for eff in fact.effects:
                args = tuple(ground_static(a, {}) for a in eff.args)
                out.setdefault((eff.state.name, args), []).append((fact.day, eff.kind, fact))  # type: ignore[arg-type]
        return out

    def facts_on(self, state: ir.State, args: tuple[ir.Value, ...]) -> list[tuple[int, str, ir.Fact]]:
        return self.facts.get((state.name, args), [])

    # ---- what states and effects can depend on ----
    @cached_property
    def _closure(self) -> dict[tuple[str, StateKey | PowerKey], frozenset[Atom]]:
        """Atoms each state instance and power instance can depend on (a fixpoint over the cycle
        state -> power -> condition -> state, which the days make harmless but which reads ignore)."""
        direct: dict[tuple[str, StateKey | PowerKey], set[Atom]] = {}
        deps: dict[tuple[str, StateKey | PowerKey], set[tuple[str, StateKey | PowerKey]]] = {}
        for key, effs in self.effects.items():
            node = ("state", key)
            st = self.spec.states[key[0]]
            atoms, nodes = self.direct_reads(st.initially or ir.Const(False, BOOL), dict(zip(st.params, key[1], strict=True)))
            direct[node] = atoms
            deps[node] = nodes | {("power", e.power.key) for e in effs}
        for pi in self.power_instances:
            node = ("power", pi.key)
            p = pi.power
            atoms = set()
            nodes = set()
            for part in (p.act, p.when, p.revocation, p.effect_on):
                if part is None:
                    continue
                part_atoms, part_nodes = self.direct_reads(part, pi.env)
                atoms |= part_atoms
                nodes |= part_nodes
            if p.act is not None:
                for ground in self._ground(p.act.input.params, p.act.args, pi.env):
                    atoms.add((p.act.input.day_input, ground))
            if p.revocation is not None:
                for ground in self._ground(p.revocation.input.params, p.revocation.args, pi.env):
                    atoms.add((p.revocation.input.day_input, ground))
            direct[node] = atoms
            deps[node] = nodes
        result = {node: set(a) for node, a in direct.items()}
        changed = True
        while changed:
            changed = False
            for node, ds in deps.items():
                before = len(result[node])
                for d in ds:
                    result[node] |= result.get(d, set())
                if len(result[node]) != before:
                    changed = True
        return {node: frozenset(a) for node, a in result.items()}

    def state_reads(self, state: ir.State, args: tuple[ir.Value, ...]) -> frozenset[Atom]:
        key = ("state", (state.name, args))
        if key in self._closure:
            return self._closure[key]
        atoms, nodes = self.direct_reads(state.initially or ir.Const(False, BOOL), dict(zip(state.params, args, strict=True)))
        out = set(atoms)
        for n in nodes:
            out |= self._closure.get(n, frozenset())
        return frozenset(out)

    def power_reads(self, pi: PowerInstance) -> frozenset[Atom]:
        return self._closure.get(("power", pi.key), frozenset())

    def direct_reads(self, e: ir.Expr, env: StaticEnv) -> tuple[set[Atom], set[tuple[str, StateKey | PowerKey]]]:
        atoms: set[Atom] = set()
        nodes: set[tuple[str, StateKey | PowerKey]] = set()
        for kind, item in self._walk(e, dict(env)):
            if kind == "atom":
                atoms.add(item)  # type: ignore[arg-type]
            else:
                nodes.add((kind, item))  # type: ignore[arg-type]
        return atoms, nodes

    def _walk(self, e: ir.Expr, env: dict[ir.Var, StaticValue]) -> Iterator[tuple[str, object]]:
        match e:
            case ir.InputRef(inp, args):
                for a in args:
                    yield from self._walk(a, env)
                for ground in self._ground(inp.params, args, env):
                    yield ("atom", (inp.name, ground))
            case ir.DefRef(defn, args):
                for a in args:
                    yield from self._walk(a, env)
                for ground in self._ground(defn.params, args, env):
                    yield from self._walk(defn.body, dict(zip(defn.params, ground, strict=True)))
            case ir.StateAt(st, args, day):
                for a in (*args, day):
                    yield from self._walk(a, env)
                for ground in self._ground(st.params, args, env):
                    yield ("state", (st.name, ground))
            case ir.Effective(p, args):
                for a in args:
                    yield from self._walk(a, env)
                for ground in self._ground(p.params, args, env):
                    yield ("power", (p.name, ground))
            case ir.Quant(_, vars_, body) | ir.Count(vars_, body):
                for values in assignments(self.spec, vars_):
                    yield from self._walk(body, {**env, **dict(zip(vars_, values, strict=True))})
            case _:
                for c in children(e):
                    yield from self._walk(c, env)

    def _ground(self, params: tuple[ir.Var, ...], args: tuple[ir.Expr, ...], env: StaticEnv) -> Iterator[tuple[ir.Value, ...]]:
        choices = [argument_choices(self.spec, p.type, ground_static(a, env)) for p, a in zip(params, args, strict=True)]
        return cast(Iterator[tuple[ir.Value, ...]], itertools.product(*choices))  # see Structure._ground_args
