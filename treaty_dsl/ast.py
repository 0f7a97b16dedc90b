"""The surface syntax tree, as the parser builds it. Spans are excluded from equality."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from treaty_dsl.span import NO_SPAN, Span

# ---- expressions ----


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    name_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Implies:
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Iff:
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


CmpOp = Literal["=", "!=", "<", "<=", ">", ">="]
ArithOp = Literal["+", "-", "*", "/"]


@dataclass(frozen=True, slots=True)
class Compare:
    op: CmpOp
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Arith:
    op: ArithOp
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Binder:
    """`p in Party`: one bound name ranging over one domain."""

    name: str
    domain: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    domain_span: Span = field(default=NO_SPAN, compare=False, repr=False)


QuantKind = Literal["every", "some", "no"]


@dataclass(frozen=True, slots=True)
class Quant:
    kind: QuantKind
    binders: tuple[Binder, ...]
    where: Expr | None
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Count:
    binders: tuple[Binder, ...]
    where: Expr | None
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Ite:
    cond: Expr
    then: Expr
    other: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DateLit:
    """`2025-02-28`, kept as written; the checker turns it into a day."""

    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


DurationUnit = Literal["days", "months", "years"]


@dataclass(frozen=True, slots=True)
class Duration:
    """`60 days`, `1 year`: only meaningful added to or subtracted from a day."""

    amount: int
    unit: DurationUnit
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class At:
    """`party(US) at 2026-03-01`: a legal state on a day."""

    state: Expr
    day: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class InOrder:
    """`obliged(US, performs(US)) in international`: a deontic question within one legal order,
    optionally on a day (`... in international at 2025-01-01`)."""

    query: Expr
    order: str
    day: Expr | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    order_span: Span = field(default=NO_SPAN, compare=False, repr=False)


Expr = (
    IntLit
    | BoolLit
    | Name
    | Call
    | Not
    | Neg
    | And
    | Or
    | Implies
    | Iff
    | Compare
    | Arith
    | Quant
    | Count
    | Ite
    | DateLit
    | Duration
    | At
    | InOrder
)

# ---- types, citations, parameters ----


@dataclass(frozen=True, slots=True)
class NamedType:
    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RangeType:
    low: int
    high: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


TypeExpr = NamedType | RangeType


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: TypeExpr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Citation:
    """`cite NAT article 5 quote "..."`: where a rule comes from, with its operative words."""

    instrument: str
    locators: tuple[tuple[str, str], ...]
    quoted: bool  # False: the text is a paraphrase and must be shown as such
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# ---- declarations ----


@dataclass(frozen=True, slots=True)
class SpecDecl:
    title: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class UseDecl:
    path: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class InstrumentDecl:
    name: str
    title: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    order: str | None = None  # `in us statute dated 2023-12-22`
    rank: str | None = None
    dated: str | None = None
    order_span: Span = field(default=NO_SPAN, compare=False, repr=False)
    source: str | None = None  # `source "sources/nat.txt"`: the file holding its text, relative to this file
    source_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DomainDecl:
    name: str
    values: tuple[str, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    value_spans: tuple[Span, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class InputDecl:
    name: str
    params: tuple[Param, ...]
    type: TypeExpr | None
    controller: str
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    controller_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DefineDecl:
    name: str
    params: tuple[Param, ...]
    body: Expr
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AssumeDecl:
    name: str | None
    body: Expr
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


NormKind = Literal["obligation", "prohibition", "permission"]


@dataclass(frozen=True, slots=True)
class NormDecl:
    kind: NormKind
    name: str
    params: tuple[Param, ...]
    citation: Citation
    bearer: Expr
    when: Expr | None
    content: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    overrides: tuple[str, ...] = ()
    binds_from: Expr | None = None  # `from attack_day`: the day from which an instance binds
    binds_until: Expr | None = None  # `until day_of(withdrawal) + 1 year`: the last day it binds
    overrides_citation: Citation | None = None  # the source of `overrides`


Verdict = Literal["holds", "fails"]


@dataclass(frozen=True, slots=True)
class ClaimDecl:
    name: str
    text: str | None
    body: Expr
    expected: Verdict | None  # under the spec's own reading; None when only `under` readings are expected
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    under: tuple[tuple[str, Verdict], ...] = ()  # `expect fails under attack_alone`


@dataclass(frozen=True, slots=True)
class ScenarioDecl:
    name: str
    text: str | None
    givens: tuple[Expr, ...]
    expectations: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class HorizonDecl:
    start: str
    end: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class EventDecl:
    """Something that happens at most once, on a day: `event notice_of_denunciation(p: Party) by p`."""

    name: str
    params: tuple[Param, ...]
    controller: str
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    controller_span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StateDecl:
    """A legal situation that powers change: `state party(p: Party) initially founding(p)`."""

    name: str
    params: tuple[Param, ...]
    initially: Expr
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


EffectKind = Literal["starts", "ends"]


@dataclass(frozen=True, slots=True)
class PowerDecl:
    name: str
    params: tuple[Param, ...]
    citation: Citation
    holder: Expr
    act: Expr
    when: Expr | None
    delay: Duration | None  # None: takes effect immediately (or on `effect_on`)
    effects: tuple[tuple[EffectKind, Expr], ...]
    revocation: Expr | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    effect_on: Expr | None = None  # `takes effect on DAY`: a day the world decides
    revocation_citation: Citation | None = None


@dataclass(frozen=True, slots=True)
class FactDecl:
    """`fact se_accedes cite ... on 2024-03-07 starts party(SE)`: a dated change of legal states,
    part of the history the spec records."""

    name: str
    citation: Citation
    day: str
    effects: tuple[tuple[EffectKind, Expr], ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class OrderDecl:
    """`order us "United States law" ranks constitution > statute = treaty`."""

    name: str
    title: str | None
    ranks: tuple[tuple[str, ...], ...]  # highest first; names in one group share a rank
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    citation: Citation | None = None  # the source of its ranks (a supremacy clause)


@dataclass(frozen=True, slots=True)
class InterpretationDecl:
    """A named reading: its declarations replace those of the same name, or are added."""

    name: str
    text: str
    decls: tuple[Decl, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Decl = (
    SpecDecl
    | UseDecl
    | InstrumentDecl
    | DomainDecl
    | InputDecl
    | DefineDecl
    | AssumeDecl
    | NormDecl
    | ClaimDecl
    | ScenarioDecl
    | HorizonDecl
    | EventDecl
    | StateDecl
    | PowerDecl
    | FactDecl
    | OrderDecl
    | InterpretationDecl
)


@dataclass(frozen=True, slots=True)
class Module:
    """One parsed spec file."""

    file: str
    decls: tuple[Decl, ...]
