"""Finite domains and ground atoms: what the world is made of."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction

from treaty_dsl import ir
from treaty_dsl.types import BoolT, DayT, EnumT, IntT, Type

Atom = tuple[str, tuple[ir.Value, ...]]
Env = Mapping[ir.Var, ir.Value]


def values_of(spec: ir.Spec, t: Type) -> Sequence[ir.Value]:
    """All values of a finite type (numbers and days as a `range`: a horizon has tens of thousands)."""
    match t:
        case BoolT():
            return (False, True)
        case EnumT(domain):
            return spec.domains[domain].values
        case IntT(low, high) if low is not None and high is not None:
            return range(low, high + 1)
        case DayT():
            low, high = spec.horizon
            return range(low, high + 1)
    raise ValueError(f"type {t} is not finite")


def default_value(spec: ir.Spec, t: Type) -> ir.Value:
    match t:
        case BoolT():
            return False
        case EnumT(domain):
            return spec.domains[domain].values[0]
        case IntT(low, high):
            if low is not None and high is not None and low <= 0 <= high:
                return 0
            return low if low is not None else 0
        case DayT():
            return spec.horizon[0]
    return Fraction(0)


def argument_choices(spec: ir.Spec, t: Type, value: ir.Value | None) -> Sequence[ir.Value]:
    """The values a parameter can take for finding what an expression reads: its value when known.

    A day parameter never selects an atom (atoms are indexed by domain values only), so one
    representative day stands for all of them.
    """
    if value is not None:
        return (value,)
    if isinstance(t, DayT):
        return (spec.horizon[0],)
    return values_of(spec, t)


def assignments(spec: ir.Spec, vars_: tuple[ir.Var, ...]) -> Iterator[tuple[ir.Value, ...]]:
    return itertools.product(*(values_of(spec, v.type) for v in vars_))


def instances(spec: ir.Spec, inp: ir.Input) -> Iterator[tuple[ir.Value, ...]]:
    return assignments(spec, inp.params)


def atom_label(atom: Atom) -> str:
    name, args = atom
    return f"{name}({', '.join(str(a) for a in args)})" if args else name


def format_value(value: ir.Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
