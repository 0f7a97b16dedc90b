"""The checked intermediate representation: resolved symbols, typed expressions, spans kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from treaty_dsl.span import NO_SPAN, Span
from treaty_dsl.types import Type

Value = bool | int | Fraction | str


# ---- vocabulary ----


@dataclass(frozen=True, slots=True)
class Domain:
    name: str
    values: tuple[str, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Instrument:
    name: str
    title: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Citation:
    instrument: Instrument
    locators: tuple[tuple[str, str], ...]
    quoted: bool
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def locator(self) -> str:
        """`NAT art. 5 para. 1`, short enough for a table."""
        abbrev = {"article": "art.", "section": "sec.", "subsection": "subsec.", "paragraph": "para.", "clause": "cl.", "point": "pt."}
        parts = [self.instrument.name] + [f"{abbrev.get(k, k)} {v}" for k, v in self.locators]
        return " ".join(parts)

    def __str__(self) -> str:
        words = f'"{self.text}"' if self.quoted else f"[paraphrase] {self.text}"
        return f"{self.locator()}: {words}"


@dataclass(frozen=True, slots=True, eq=False)
class Var:
    """A parameter or a bound variable. Identity, not name, is what makes two the same."""

    name: str
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Nature:
    """An input nobody controls: events, facts of the world."""


@dataclass(frozen=True, slots=True)
class ParamController:
    index: int  # the input's own parameter that names its controller


@dataclass(frozen=True, slots=True)
class FixedController:
    actor: str


Controller = Nature | ParamController | FixedController


@dataclass(frozen=True, slots=True, eq=False)
class Input:
    name: str
    params: tuple[Var, ...]
    type: Type
    controller: Controller
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def controller_of(self, args: tuple[Value, ...]) -> str | None:
        match self.controller:
            case ParamController(index):
                return str(args[index])
            case FixedController(actor):
                return actor
            case _:
                return None


@dataclass(eq=False, slots=True)
class Definition:
    name: str
    params: tuple[Var, ...]
    body: Expr
    citation: Citation | None
    span: Span = NO_SPAN
    deontic: bool = False  # uses obliged/permitted/... (allowed in claims, not in norms)

    @property
    def type(self) -> Type:
        return self.body.type


@dataclass(frozen=True, slots=True, eq=False)
class Assumption:
    name: str
    body: Expr
    citation: Citation | None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


NormKind = Literal["obligation", "prohibition", "permission"]


@dataclass(frozen=True, slots=True, eq=False)
class Norm:
    kind: NormKind
    name: str
    params: tuple[Var, ...]
    citation: Citation
    bearer: Expr
    when: Expr
    content: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True, eq=False)
class Claim:
    name: str
    text: str | None
    body: Expr
    expected: Literal["holds", "fails"]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    scenario: str | None = None  # set for expectations of a scenario


# ---- expressions ----


@dataclass(frozen=True, slots=True)
class Const:
    value: Value
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class VarRef:
    var: Var
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class InputRef:
    input: Input
    args: tuple[Expr, ...]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DefRef:
    definition: Definition
    args: tuple[Expr, ...]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: Literal["and", "or", "implies", "iff"]
    items: tuple[Expr, ...]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Cmp:
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    left: Expr
    right: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Arith:
    op: Literal["+", "-", "*"]
    left: Expr
    right: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Quant:
    """`every`/`some` over finite domains; a `where` filter is folded into the body."""

    kind: Literal["every", "some"]
    vars: tuple[Var, ...]
    body: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Count:
    vars: tuple[Var, ...]
    body: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Ite:
    cond: Expr
    then: Expr
    other: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Deontic:
    """`obliged(a, φ)`, `permitted(a, φ)`, `forbidden(a, φ)`: the compliant-alternatives queries."""

    kind: Literal["obliged", "permitted", "forbidden"]
    actor: Expr
    body: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class NormQuery:
    """`active(n(args))`, `violated(n(args))`."""

    kind: Literal["active", "violated"]
    norm: Norm
    args: tuple[Expr, ...]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Compliant:
    actor: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Expr = Const | VarRef | InputRef | DefRef | Not | BoolOp | Cmp | Arith | Neg | Quant | Count | Ite | Deontic | NormQuery | Compliant


# ---- the whole spec ----


@dataclass
class Spec:
    title: str
    files: list[str]
    domains: dict[str, Domain] = field(default_factory=dict)
    constants: dict[str, Domain] = field(default_factory=dict)  # enum value -> its domain
    instruments: dict[str, Instrument] = field(default_factory=dict)
    inputs: dict[str, Input] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    assumptions: list[Assumption] = field(default_factory=list)
    norms: dict[str, Norm] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)

    def domain_of(self, t: Type) -> Domain | None:
        from treaty_dsl.types import EnumT

        return self.domains.get(t.domain) if isinstance(t, EnumT) else None
