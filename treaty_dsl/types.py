"""The types of the checked language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BoolT:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True, slots=True)
class IntT:
    """A whole number; inputs carry bounds, arithmetic results may not."""

    low: int | None = None
    high: int | None = None

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low}..{self.high}"
        return "int"


@dataclass(frozen=True, slots=True)
class RatT:
    """An exact rational number (`2/3 * senators_present`); never floating point."""

    def __str__(self) -> str:
        return "number"


@dataclass(frozen=True, slots=True)
class EnumT:
    domain: str

    def __str__(self) -> str:
        return self.domain


@dataclass(frozen=True, slots=True)
class DayT:
    """A calendar day (an integer ordinal); printed as a date."""

    def __str__(self) -> str:
        return "day"


Type = BoolT | IntT | RatT | EnumT | DayT

BOOL = BoolT()
INT = IntT()
RAT = RatT()
DAY = DayT()


def is_numeric(t: Type) -> bool:
    return isinstance(t, IntT | RatT)


def numeric_join(a: Type, b: Type) -> Type:
    if isinstance(a, RatT) or isinstance(b, RatT):
        return RAT
    return INT


def same_kind(a: Type, b: Type) -> bool:
    """Whether values of the two types can be compared for equality."""
    if is_numeric(a) and is_numeric(b):
        return True
    return a == b if not isinstance(a, IntT) else False
