"""Three-valued (Kleene) evaluation: some atoms known, the rest unknown (None)."""

from __future__ import annotations

from collections.abc import Mapping

from treaty_dsl import ir
from treaty_dsl.grounding import Atom, values_of

Maybe = ir.Value | None


def partial_value(spec: ir.Spec, e: ir.Expr, env: dict[ir.Var, ir.Value], known: Mapping[Atom, ir.Value]) -> Maybe:
    """The value of `e` if the known atoms decide it, else None."""
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
        case ir.Cmp(op, a, b) if op in ("=", "!="):
            va, vb = partial_value(spec, a, env, known), partial_value(spec, b, env, known)
            if va is None or vb is None:
                return None
            return (va == vb) if op == "=" else (va != vb)
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
