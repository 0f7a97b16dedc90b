"""Z3 terms built, and model values read, through Z3's C API directly.

z3py's `And`, `Or`, `Not`, `Implies` and `If` check and coerce every argument's sort on each call,
which makes them 5 to 12 times slower than the term itself costs (`And` of five literals: about
34 µs against 3 µs); reading a model's value through `z3.is_true`, `is_int_value` and the like
asks Z3 several questions per value. The encoder builds tens of thousands of terms per spec, of
arguments whose sorts it knows, so these skip the checks. A wrong sort is still caught: Z3 raises a
`Z3Exception` for it, as z3py would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3


def _array(terms: Sequence[z3.BoolRef]) -> Any:
    return (z3.Ast * len(terms))(*[t.as_ast() for t in terms])


def and_(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """The conjunction of at least one Boolean term."""
    ctx = terms[0].ctx
    return z3.BoolRef(z3.Z3_mk_and(ctx.ref(), len(terms), _array(terms)), ctx)


def or_(terms: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """The disjunction of at least one Boolean term."""
    ctx = terms[0].ctx
    return z3.BoolRef(z3.Z3_mk_or(ctx.ref(), len(terms), _array(terms)), ctx)


def not_(term: z3.BoolRef) -> z3.BoolRef:
    ctx = term.ctx
    return z3.BoolRef(z3.Z3_mk_not(ctx.ref(), term.as_ast()), ctx)


def implies(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    ctx = a.ctx
    return z3.BoolRef(z3.Z3_mk_implies(ctx.ref(), a.as_ast(), b.as_ast()), ctx)


def int_val(value: int, ctx: z3.Context) -> z3.ArithRef:
    return z3.ArithRef(z3.Z3_mk_numeral(ctx.ref(), str(value), z3.Z3_mk_int_sort(ctx.ref())), ctx)


def lt(a: z3.ArithRef, b: z3.ArithRef) -> z3.BoolRef:
    """`a < b` for two terms of the same arithmetic sort."""
    ctx = a.ctx
    return z3.BoolRef(z3.Z3_mk_lt(ctx.ref(), a.as_ast(), b.as_ast()), ctx)


def ite(c: z3.BoolRef, a: z3.ExprRef, b: z3.ExprRef) -> z3.ExprRef:
    """`If(c, a, b)` for two branches of the same sort (of the same Python class as `a`)."""
    ctx = c.ctx
    return type(a)(z3.Z3_mk_ite(ctx.ref(), c.as_ast(), a.as_ast(), b.as_ast()), ctx)


def bool_value(term: z3.ExprRef) -> bool | None:
    """True or False for the literals `true` and `false`, None for anything else."""
    value = z3.Z3_get_bool_value(term.ctx_ref(), term.as_ast())
    return True if value == z3.Z3_L_TRUE else False if value == z3.Z3_L_FALSE else None


def int_value(term: z3.ExprRef) -> int | None:
    """The integer an integer numeral denotes, None for anything else."""
    ctx = term.ctx_ref()
    if not z3.Z3_is_numeral_ast(ctx, term.as_ast()) or z3.Z3_get_sort_kind(ctx, z3.Z3_get_sort(ctx, term.as_ast())) != z3.Z3_INT_SORT:
        return None
    return int(z3.Z3_get_numeral_string(ctx, term.as_ast()))
