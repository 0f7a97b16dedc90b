"""Generic traversal of IR expressions."""

from __future__ import annotations

from collections.abc import Iterator

from treaty_dsl import ir


def children(e: ir.Expr) -> tuple[ir.Expr, ...]:
    match e:
        case ir.Const() | ir.VarRef():
            return ()
        case ir.NormQuery(_, _, args, day=day):
            return args if day is None else (*args, day)
        case ir.Compliant(x, day=day):
            return (x,) if day is None else (x, day)
        case ir.InputRef(_, args) | ir.DefRef(_, args):
            return args
        case ir.Not(x) | ir.Neg(x):
            return (x,)
        case ir.BoolOp(_, items):
            return items
        case ir.Cmp(_, a, b) | ir.Arith(_, a, b):
            return (a, b)
        case ir.Quant(_, _, body) | ir.Count(_, body):
            return (body,)
        case ir.Ite(c, a, b):
            return (c, a, b)
        case ir.Deontic(_, actor, body, day=day):
            return (actor, body) if day is None else (actor, body, day)
        case ir.Shift(base):
            return (base,)
        case ir.StateAt(_, args, day):
            return (*args, day)
        case ir.Effective(_, args):
            return args
        case ir.Lawful(act):
            return (act,)
    raise AssertionError(f"unhandled {e!r}")


def subexprs(e: ir.Expr) -> Iterator[ir.Expr]:
    """Every subexpression, this one included (not through definitions)."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node))
