"""The checked intermediate representation: resolved symbols, typed expressions, spans kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from treaty_dsl.calendar import DEFAULT_HORIZON
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
class Order:
    """A legal order (international law, US law) with its ranks, highest first."""

    name: str
    title: str
    ranks: tuple[tuple[str, ...], ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def level(self, rank: str | None) -> int:
        """Higher is stronger; an instrument without a rank sits below every named rank."""
        for i, group in enumerate(self.ranks):
            if rank in group:
                return len(self.ranks) - i
        return 0


@dataclass(frozen=True, slots=True)
class Instrument:
    name: str
    title: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    order: Order | None = None
    rank: str | None = None
    dated: int | None = None  # a day; for lex posterior
    source: str | None = None  # the file holding its text, relative to the file that declares it


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
    event: bool = False  # happens at most once, on the day held by its companion `day_input`
    day_of: str | None = None  # set on the companion: the event whose day this is

    @property
    def day_input(self) -> str:
        return f"{self.name}@day"

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
    temporal: bool = False  # reads legal states or effects (not allowed where those are being defined)

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
    overrides: tuple[str, ...] = ()  # names of norms this one is declared to prevail over (lex specialis)
    binds_from: Expr | None = None  # the first day an instance binds (its duty arises); None: always
    binds_until: Expr | None = None  # the last day it binds; None: no end
    overrides_citation: Citation | None = None  # the source of `overrides` (lex specialis)

    @property
    def order(self) -> Order | None:
        return self.citation.instrument.order

    @property
    def level(self) -> int:
        inst = self.citation.instrument
        return inst.order.level(inst.rank) if inst.order is not None else 0


@dataclass(frozen=True, slots=True, eq=False)
class Claim:
    name: str
    text: str | None
    body: Expr
    expected: Literal["holds", "fails"] | None  # under the reading this spec was checked for; None: no expectation
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    scenario: str | None = None  # set for expectations of a scenario
    readings: tuple[str | None, ...] = (None,)  # the readings (None: the spec's own) with an expectation


@dataclass(eq=False, slots=True)
class State:
    """A legal situation on each day (membership, a treaty in force), changed only by powers."""

    name: str
    params: tuple[Var, ...]
    initially: Expr | None = None
    citation: Citation | None = None
    span: Span = NO_SPAN


@dataclass(frozen=True, slots=True)
class Effect:
    kind: Literal["starts", "ends"]
    state: State
    args: tuple[Expr, ...]


@dataclass(eq=False, slots=True)
class Power:
    """Who can change the legal situation by which act, when, with what effect and from when."""

    name: str
    params: tuple[Var, ...]
    citation: Citation | None = None
    holder: Expr | None = None
    act: InputRef | None = None  # an event
    when: Expr | None = None  # bare states in it are read on the day before the act
    delay: tuple[int, Literal["days", "months", "years"]] = (0, "days")
    effects: tuple[Effect, ...] = ()
    revocation: InputRef | None = None  # an event that, before the effect, cancels it
    span: Span = NO_SPAN
    effect_on: Expr | None = None  # the effect day as the world decides it (`takes effect on ...`), not before the act
    revocation_citation: Citation | None = None  # the source of `revocable by`


@dataclass(eq=False, slots=True)
class Fact:
    """A dated change of legal states that the spec records as history (an accession on its date)."""

    name: str
    citation: Citation | None
    day: int
    effects: tuple[Effect, ...]
    span: Span = NO_SPAN


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
    order: Order | None = None  # `in ORDER`: only that order's norms decide the compliant alternatives
    day: Expr | None = None  # `at DAY`: only the norms binding on that day


@dataclass(frozen=True, slots=True)
class NormQuery:
    """`active(n(args))`, `violated(n(args))`, `defeated(n(args))`."""

    kind: Literal["active", "violated", "defeated"]
    norm: Norm
    args: tuple[Expr, ...]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    day: Expr | None = None  # `active(n) at DAY`: on that day (the norm binds then, rivals too)


@dataclass(frozen=True, slots=True)
class Compliant:
    actor: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    order: Order | None = None
    day: Expr | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    """`d + 1 year`, `d - 60 days`: calendar arithmetic on a day."""

    base: Expr
    amount: int  # signed
    unit: Literal["days", "months", "years"]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StateAt:
    """`party(p) at t`: the legal state at the end of day t.

    The spec says what a state is from its horizon's first day on (its initial value, then the
    effects of acts in the horizon); before that day it says nothing, so a read there has no
    value. `opening` marks the read of a power's condition on the day before its act: for an act
    on the horizon's first day that is the state as the horizon opens, its initial value."""

    state: State
    args: tuple[Expr, ...]
    day: Expr
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    opening: bool = False

    def earliest(self, horizon: tuple[int, int]) -> int:
        """The first day this read has a value on."""
        return horizon[0] - 1 if self.opening else horizon[0]


@dataclass(frozen=True, slots=True)
class Effective:
    """`effective(denunciation(US))`: the act was done, the power held, and it was not revoked."""

    power: Power
    args: tuple[Expr, ...]
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Lawful:
    """`lawful(notice(US), us)`: no active norm of the order that regulates this act is violated."""

    act: InputRef
    order: Order
    type: Type
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Expr = (
    Const
    | VarRef
    | InputRef
    | DefRef
    | Not
    | BoolOp
    | Cmp
    | Arith
    | Neg
    | Quant
    | Count
    | Ite
    | Deontic
    | NormQuery
    | Compliant
    | Shift
    | StateAt
    | Effective
    | Lawful
)


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
    horizon: tuple[int, int] = DEFAULT_HORIZON
    states: dict[str, State] = field(default_factory=dict)
    powers: dict[str, Power] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    order_citations: dict[str, Citation] = field(default_factory=dict)  # the source of an order's ranks
    orders: dict[str, Order] = field(default_factory=dict)
    interpretations: dict[str, str] = field(default_factory=dict)  # name -> what the reading says
    reading: str | None = None  # the interpretation this spec was checked under; None: its own text

    def domain_of(self, t: Type) -> Domain | None:
        from treaty_dsl.types import EnumT

        return self.domains.get(t.domain) if isinstance(t, EnumT) else None
