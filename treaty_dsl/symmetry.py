"""Symmetry: checking a claim's leading `every` on one instance per class of interchangeable values.

Values of a domain that no declaration and not the claim names (no `US` in a norm, no fixed
controller) are interchangeable: renaming them maps every world of the spec to another world of
the spec and leaves the meaning of every declaration unchanged (the language compares domain
values only for equality, and counts and quantifiers range over whole domains). So for a claim
`every p in Party, v in Party: φ(p, v)`, φ holds for all pairs iff it holds for one pair of each
kind: the named values, and for the rest only the pattern of equalities between the variables
(p = v, or p and v two different unnamed Parties). Thirty-two Parties give 2 instances instead of
1,024; a thousand give the same 2.

The concrete evaluator never uses this: it checks every instance, and it is what every
counterexample is replayed through; the differential tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from treaty_dsl import ir
from treaty_dsl.types import EnumT
from treaty_dsl.walk import subexprs


@dataclass(frozen=True)
class Reduction:
    vars: tuple[ir.Var, ...]
    instances: list[tuple[ir.Value, ...]]  # one per class of interchangeable instances
    body: ir.Expr
    total: int  # how many instances the leading quantifiers have in all


def spec_expressions(spec: ir.Spec) -> Iterator[ir.Expr]:
    """Every expression that gives the spec its meaning (claims excluded)."""
    for d in spec.definitions.values():
        yield d.body
    for n in spec.norms.values():
        yield from (n.bearer, n.when, n.content)
        yield from (bound for bound in (n.binds_from, n.binds_until) if bound is not None)
    for a in spec.assumptions:
        yield a.body
    for st in spec.states.values():
        if st.initially is not None:
            yield st.initially
    for p in spec.powers.values():
        for e in (p.holder, p.act, p.when, p.revocation):
            if e is not None:
                yield e
        for eff in p.effects:
            yield from eff.args
    for fact in spec.facts.values():
        for eff in fact.effects:
            yield from eff.args


def named_constants_in(*exprs: ir.Expr) -> dict[str, set[str]]:
    """Per domain, the values the expressions name."""
    out: dict[str, set[str]] = {}
    for e in exprs:
        for sub in subexprs(e):
            if isinstance(sub, ir.Const) and isinstance(sub.type, EnumT) and isinstance(sub.value, str):
                out.setdefault(sub.type.domain, set()).add(sub.value)
    return out


def named_constants(spec: ir.Spec) -> dict[str, set[str]]:
    """Per domain, the values some declaration names (a fixed controller included)."""
    out = named_constants_in(*spec_expressions(spec))
    for inp in spec.inputs.values():
        if isinstance(inp.controller, ir.FixedController):
            dom = spec.constants.get(inp.controller.actor)
            if dom is not None:
                out.setdefault(dom.name, set()).add(inp.controller.actor)
    return out


def reduce_claim(spec: ir.Spec, body: ir.Expr, spec_named: dict[str, set[str]] | None = None) -> Reduction | None:
    """The claim's leading `every` variables and one instance per symmetry class, or None.

    `spec_named` is `named_constants(spec)`, for callers that reduce many claims of one spec."""
    vars_: list[ir.Var] = []
    inner = body
    while isinstance(inner, ir.Quant) and inner.kind == "every":
        vars_.extend(inner.vars)
        inner = inner.body
    if not vars_ or not all(isinstance(v.type, EnumT) for v in vars_):
        return None
    base = spec_named if spec_named is not None else named_constants(spec)
    named = {name: set(values) for name, values in base.items()}
    for name, values in named_constants_in(body).items():
        named.setdefault(name, set()).update(values)
    total = 1
    for v in vars_:
        dom = spec.domain_of(v.type)
        assert dom is not None
        total *= len(dom.values)
    instances = list(_instances(spec, vars_, named))
    if len(instances) >= total:
        return None
    return Reduction(tuple(vars_), instances, inner, total)


def _instances(spec: ir.Spec, vars_: list[ir.Var], named: dict[str, set[str]]) -> Iterator[tuple[ir.Value, ...]]:
    """Canonical instances: each variable takes a named value, an unnamed value already used by an
    earlier variable of its domain, or the next unused unnamed value."""

    def go(i: int, chosen: tuple[ir.Value, ...], used: dict[str, int]) -> Iterator[tuple[ir.Value, ...]]:
        if i == len(vars_):
            yield chosen
            return
        dom = spec.domain_of(vars_[i].type)
        assert dom is not None
        fixed = named.get(dom.name, set())
        generic = [x for x in dom.values if x not in fixed]
        for value in dom.values:
            if value in fixed:
                yield from go(i + 1, (*chosen, value), used)
        n = used.get(dom.name, 0)
        for k in range(min(n + 1, len(generic))):
            yield from go(i + 1, (*chosen, generic[k]), {**used, dom.name: max(n, k + 1)})

    yield from go(0, (), {})
