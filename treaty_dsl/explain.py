"""Why a formula is false (or true) in a concrete world: the instance and the deciding alternative."""

from __future__ import annotations

from dataclasses import dataclass, field

from treaty_dsl import ir
from treaty_dsl.calendar import format_day
from treaty_dsl.evaluator import Evaluator, Witness, _bind, _product
from treaty_dsl.grounding import format_value

MAX_STEPS = 50


@dataclass
class Explanation:
    bindings: list[str] = field(default_factory=list)
    witnesses: list[Witness] = field(default_factory=list)
    norm_states: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  # legal states and effects the failure turns on
    focus: tuple[ir.Expr, dict[ir.Var, ir.Value]] | None = None  # the failing instance


def explain(ev: Evaluator, e: ir.Expr, want: bool) -> Explanation:
    """Descend into the part of `e` that makes it come out `not want` (a counterexample's story)."""
    out = Explanation(focus=(e, {}))
    _walk(ev, e, {}, want, out, 0)
    return out


def _walk(ev: Evaluator, e: ir.Expr, env: dict[ir.Var, ir.Value], want: bool, out: Explanation, depth: int) -> None:
    if depth > MAX_STEPS:
        return
    value = bool(ev.eval(e, env))
    if value == want:
        return  # nothing to explain: this part is as wanted
    match e:
        case ir.Not(x):
            _walk(ev, x, env, not want, out, depth + 1)
        case ir.BoolOp("and", items) if want:
            for item in items:
                if not ev.eval(item, env):
                    _walk(ev, item, env, True, out, depth + 1)
                    return
        case ir.BoolOp("or", items) if not want:
            for item in items:
                if ev.eval(item, env):
                    _walk(ev, item, env, False, out, depth + 1)
                    return
        case ir.BoolOp("and", items) | ir.BoolOp("or", items):
            for item in items:
                _walk(ev, item, env, want, out, depth + 1)
        case ir.BoolOp("implies", (a, b)):
            if want:  # a holds and b does not
                _walk(ev, b, env, True, out, depth + 1)
            else:
                _walk(ev, a, env, True, out, depth + 1)
                _walk(ev, b, env, False, out, depth + 1)
        case ir.Quant(kind, vars_, body) if (kind == "every") == want:
            for vals in _product(ev.spec, vars_):
                inner = _bind(env, vars_, vals)
                if bool(ev.eval(body, inner)) != want:
                    out.bindings.extend(f"{v.name} = {format_value(x)}" for v, x in zip(vars_, vals, strict=True))
                    out.focus = (body, inner)
                    _walk(ev, body, inner, want, out, depth + 1)
                    return
        case ir.Deontic(kind, actor, body):
            who = str(ev.eval(actor, env))
            ev.witnesses.clear()
            ev.deontic(kind, who, body, env)
            out.witnesses.extend(ev.witnesses)
            for c in ev.st.consulted(who, body, env):
                if c.norm is not None:
                    out.norm_states[c.norm.label()] = _state(ev, c.norm)
        case ir.NormQuery(kind, norm, args):
            from treaty_dsl.deontic import NormInstance

            inst = NormInstance(norm, tuple(ev.eval(a, env) for a in args))
            out.norm_states[inst.label()] = _state(ev, inst)
        case ir.StateAt(st, args, day):
            values = tuple(ev.eval(a, env) for a in args)
            when = int(ev.eval(day, env))  # type: ignore[arg-type]
            label = f"{st.name}({', '.join(map(str, values))})" if values else st.name
            out.states[f"{label} on {format_day(when)}"] = _state_story(ev, st, values, when, value)
        case ir.Effective(p, args):
            from treaty_dsl.temporal import PowerInstance

            pi = PowerInstance(p, tuple(ev.eval(a, env) for a in args))
            out.states[f"power {pi.label()}"] = "exercised effectively" if value else "not exercised effectively"
        case ir.Lawful(act, order):
            from treaty_dsl.deontic import NormInstance

            atom = (act.input.name, tuple(ev.eval(a, env) for a in act.args))
            for inst in ev.st.regulating(order, atom):
                out.norm_states[inst.label()] = _state(ev, inst)
        case ir.Compliant(actor):
            who = str(ev.eval(actor, env))
            for inst in ev.st.norm_instances(who):
                if ev.active(inst):
                    out.norm_states[inst.label()] = _state(ev, inst)
        case _:
            pass


def _state_story(ev: Evaluator, st: ir.State, args: tuple[ir.Value, ...], day: int, value: bool) -> str:
    """The state's value on the day and the effect that decided it."""
    changes: list[tuple[int, str]] = []
    for eff in ev.st.timeline.effects_on(st, args):
        p, env = eff.power.power, eff.power.env
        assert p.act is not None
        if not ev.holds(p.act, env):
            continue
        when = ev.effect_day_of(eff.power)
        if when is None:
            continue
        took = "took effect" if when <= day else "takes effect"
        status = took if ev.effective(eff.power) else "was not effective"
        changes.append((when, f"{eff.power.label()} {eff.kind} it: {status} on {format_day(when)}"))
    for when, kind, fact in ev.st.timeline.facts_on(st, args):
        changes.append((when, f"fact {fact.name} {kind} it on {format_day(when)}"))
    reason = "; ".join(text for _, text in sorted(changes)) or "no power changed it; its initial value"
    return f"{'true' if value else 'false'} ({reason})"


def _state(ev: Evaluator, inst: object) -> str:
    from treaty_dsl.deontic import NormInstance

    assert isinstance(inst, NormInstance)
    if ev.applicable(inst) and not ev.active(inst):
        return "defeated by " + ", ".join(f"{m.label()} ({m.norm.citation.locator()})" for m in ev.defeaters(inst))
    if not ev.active(inst):
        return "inactive"
    return "violated" if not ev.satisfied(inst) else "active, complied with"
