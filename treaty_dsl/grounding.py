"""Finite domains and ground atoms: what the world is made of."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction

from treaty_dsl import ir
from treaty_dsl.budget import ticking
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


class Unknown:
    """A value that is not known statically: a day parameter bound to an input's day, or a term
    of the solver. It stands for *every* value of its type, so whatever reads it (a comparison, an
    `if`) is unknown too, and an analysis of what an expression reads over-approximates."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()
StaticValue = ir.Value | Unknown
StaticEnv = Mapping[ir.Var, StaticValue]  # bindings for analyses that run before any world is known


def is_static(value: object) -> bool:
    """Whether `value` is a concrete value of the language (not `UNKNOWN`, not a solver term)."""
    return isinstance(value, bool | int | Fraction | str)


def argument_choices(spec: ir.Spec, t: Type, value: ir.Value | None) -> Sequence[StaticValue]:
    """The values a parameter can take for finding what an expression reads: its value when known.

    A day parameter never selects an atom (atoms are indexed by domain values only), so when its
    value is not known it is `UNKNOWN`, never a stand-in day: a definition's body that compares it
    (`if t = 2024-01-02 then A else B`) must be taken to read both branches.
    """
    if value is not None:
        return (value,)
    if isinstance(t, DayT):
        return (UNKNOWN,)
    return values_of(spec, t)


def assignments(spec: ir.Spec, vars_: tuple[ir.Var, ...]) -> Iterator[tuple[ir.Value, ...]]:
    return ticking(itertools.product(*(values_of(spec, v.type) for v in vars_)))


def instances(spec: ir.Spec, inp: ir.Input) -> Iterator[tuple[ir.Value, ...]]:
    return assignments(spec, inp.params)


def atom_label(atom: Atom) -> str:
    name, args = atom
    return f"{name}({', '.join(str(a) for a in args)})" if args else name


def format_value(value: ir.Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
