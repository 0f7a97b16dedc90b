"""Three-valued (Kleene) evaluation: some atoms known, the rest unknown (None)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from treaty_dsl import ir
from treaty_dsl.budget import tick
from treaty_dsl.calendar import shift_day
from treaty_dsl.grounding import Atom, values_of

Maybe = ir.Value | None


def partial_value(spec: ir.Spec, e: ir.Expr, env: dict[ir.Var, ir.Value], known: Mapping[Atom, ir.Value]) -> Maybe:
    """The value of `e` if the known atoms decide it, else None."""
    tick()
    match e:
        case ir.Const(value):
            return value
        case ir.VarRef(var):
            return env.get(var)
        case ir.InputRef(inp, args):
            values = [partial_value(spec, a, env, known) for a in args]
            if any(v is None for v in values):
                return None
            return known.get((inp.name, tuple(values)))  # type: ignore[arg-type]
        case ir.DefRef(defn, args):
            values = [partial_value(spec, a, env, known) for a in args]
            if any(v is None for v in values):
                return None
            return partial_value(spec, defn.body, dict(zip(defn.params, values, strict=True)), known)  # type: ignore[arg-type]
        case ir.Not(x):
            v = partial_value(spec, x, env, known)
            return None if v is None else not v
        case ir.BoolOp("and", items):
            return _and(partial_value(spec, i, env, known) for i in items)
        case ir.BoolOp("or", items):
            return _or(partial_value(spec, i, env, known) for i in items)
        case ir.BoolOp("implies", (a, b)):
            va = partial_value(spec, a, env, known)
            return _or([None if va is None else not va, partial_value(spec, b, env, known)])
        case ir.Quant(kind, vars_, body):
            import itertools

            results = (
                partial_value(spec, body, {**env, **dict(zip(vars_, vals, strict=True))}, known)
                for vals in itertools.product(*(values_of(spec, v.type) for v in vars_))
            )
            return _and(results) if kind == "every" else _or(results)
        case ir.Cmp(op, a, b):
            va, vb = partial_value(spec, a, env, known), partial_value(spec, b, env, known)
            if va is None or vb is None:
                return None
            if op in ("=", "!="):
                return (va == vb) if op == "=" else (va != vb)
            lo, hi = Fraction(va), Fraction(vb)  # type: ignore[arg-type]
            return {"<": lo < hi, "<=": lo <= hi, ">": lo > hi, ">=": lo >= hi}[op]
        case ir.BoolOp("iff", (a, b)):
            va, vb = partial_value(spec, a, env, known), partial_value(spec, b, env, known)
            return None if va is None or vb is None else va == vb
        case ir.Arith(op, a, b):
            va, vb = partial_value(spec, a, env, known), partial_value(spec, b, env, known)
            if va is None or vb is None:
                return None
            fx, fy = Fraction(va), Fraction(vb)  # type: ignore[arg-type]
            r = fx + fy if op == "+" else fx - fy if op == "-" else fx * fy
            return int(r) if r.denominator == 1 else r
        case ir.Neg(inner):
            v = partial_value(spec, inner, env, known)
            if v is None:
                return None
            r = -Fraction(v)  # type: ignore[arg-type]
            return int(r) if r.denominator == 1 else r
        case ir.Shift(base, amount, unit):
            v = partial_value(spec, base, env, known)
            if v is None:
                return None
            try:
                return shift_day(int(v), amount, unit)  # type: ignore[arg-type]
            except (OverflowError, ValueError):
                return None
        case ir.Ite(c, a, b):
            vc = partial_value(spec, c, env, known)
            if vc is None:
                va, vb = partial_value(spec, a, env, known), partial_value(spec, b, env, known)
                return va if va is not None and va == vb else None
            return partial_value(spec, a if vc else b, env, known)
    return None


def _and(values: object) -> Maybe:
    unknown = False
    for v in values:  # type: ignore[attr-defined]
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def _or(values: object) -> Maybe:
    unknown = False
    for v in values:  # type: ignore[attr-defined]
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False
