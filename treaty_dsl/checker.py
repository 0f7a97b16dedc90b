"""AST to IR: declarations, name resolution and types. Collects every error, raises once."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import PurePath
from typing import Literal

from treaty_dsl import ast, ir
from treaty_dsl.calendar import format_day, parse_date, shift_day
from treaty_dsl.diagnostics import Diagnostic, Label, SpecError, error
from treaty_dsl.span import NO_SPAN, Span
from treaty_dsl.types import BOOL, DAY, INT, RAT, BoolT, DayT, EnumT, IntT, RatT, Type, is_numeric, numeric_join, same_kind

DEONTIC = ("obliged", "permitted", "forbidden")
NORM_QUERIES = ("active", "violated", "defeated")
DATED_QUERIES = (*DEONTIC, "compliant", *NORM_QUERIES)  # asked `at DAY`; the deontic ones also `in ORDER`
TEMPORAL = ("day_of", "effective", "lawful")
BUILTINS = frozenset(DEONTIC + NORM_QUERIES + TEMPORAL + ("compliant",))
RESERVED = BUILTINS | {"bool", "nature", "int"}
MAX_INLINED_DEPTH = 1000  # expression depth with definitions written out; see _inlined_depth


HORIZON_LIMITS = (parse_date("1000-01-01") or 0, parse_date("9000-12-31") or 0)


class _Skip(Exception):
    """An error has been recorded for this expression; stop checking it."""


def check(modules: Sequence[ast.Module], title: str | None = None, reading: str | None = None) -> ir.Spec:
    """Check the spec under its own reading, or under the named interpretation."""
    return _Checker(modules, title, reading).run()


def reading_names(reading: str) -> list[str]:
    """The interpretations a reading composes: `a+b` (or `a,b`) is a and b at once, in that order."""
    names: list[str] = []
    for part in reading.replace(",", "+").split("+"):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def compose(names: Sequence[str]) -> str:
    """The reading that composes the interpretations `names` (`a+b`)."""
    return "+".join(names)


def interpretations(modules: Sequence[ast.Module]) -> list[str]:
    return [d.name for m in modules for d in m.decls if isinstance(d, ast.InterpretationDecl)]


def check_formula(spec: ir.Spec, expr: ast.Expr) -> ir.Expr:
    """Check an ad-hoc formula (`treaty prove`) in the vocabulary of a checked spec."""
    checker = _Checker([], spec.title)
    checker.spec = spec
    try:
        result = checker.bool_expr(expr, {}, allow_deontic=True)
    except _Skip:
        result = None
    if checker.errors or result is None:
        raise SpecError(checker.errors)
    return result


class _Checker:
    def __init__(self, modules: Sequence[ast.Module], title: str | None, reading: str | None = None) -> None:
        self.modules = modules
        self.spec = ir.Spec(title=title or "", files=[m.file for m in modules])
        self.spec.reading = reading
        self.errors: list[Diagnostic] = []
        self.declared: dict[str, Span] = {}
        self.reading_claims: set[int] = set()  # ids of the claims and scenarios of the chosen interpretation's block
        # In a power's `when`, a state named without `at` is read on the day before the act.
        self.bare_state_day: ir.Expr | None = None
        # Set while checking a part of the spec that cannot depend on legal states (with the reason).
        self.no_temporal: str | None = None

    def _decls(self) -> list[ast.Decl]:
        decls: list[ast.Decl] = []
        readings: dict[str, ast.InterpretationDecl] = {}
        for m in self.modules:
            for d in m.decls:
                if isinstance(d, ast.InterpretationDecl):
                    if d.name in readings:
                        self.errors.append(
                            error(
                                "E0101",
                                f"interpretation `{d.name}` is declared twice",
                                d.span,
                                labels=(Label(readings[d.name].span, "first declared here"),),
                            )
                        )
                    readings[d.name] = d
                    self.spec.interpretations[d.name] = d.text
                else:
                    decls.append(d)
        reading = self.spec.reading
        if reading is None:
            return decls
        names = reading_names(reading)
        unknown = [n for n in names if n not in readings]
        for missing in unknown:
            self.errors.append(
                error(
                    "E0118",
                    f"unknown interpretation `{missing}`",
                    NO_SPAN,
                    suggestions=tuple(_close(missing, readings)),
                    help=_readings_help(readings),
                )
            )
        if unknown:
            return decls
        index = {getattr(d, "name", None): i for i, d in enumerate(decls) if getattr(d, "name", None) is not None}
        # Claims and scenarios declared inside a block exist under its reading only: their plain
        # expectations are expectations under it.
        self.reading_claims = {id(d) for n in names for d in readings[n].decls if isinstance(d, ast.ClaimDecl | ast.ScenarioDecl)}
        # A declaration's name (claims and scenarios apart) -> the reading that declares it.
        given_by: dict[tuple[bool, str], tuple[str, ast.Decl]] = {}
        for n in names:
            for d in readings[n].decls:
                if isinstance(d, ast.InterpretationDecl | ast.SpecDecl | ast.UseDecl):
                    self.errors.append(error("E0119", "an interpretation can replace or add rules, not hold this declaration", d.span))
                    continue
                name = getattr(d, "name", None)
                key = (isinstance(d, ast.ClaimDecl | ast.ScenarioDecl), str(name))
                if name is not None:
                    earlier = given_by.get(key)
                    if earlier is not None and earlier[0] != n:  # (within one block the last one stands, as before)
                        self.errors.append(
                            error(
                                "E0124",
                                f"interpretations `{earlier[0]}` and `{n}` both declare `{name}`: they cannot be composed",
                                d.span,
                                labels=(Label(earlier[1].span, f"declared by `{earlier[0]}` here"),),
                                help="compose readings that replace or add different declarations",
                            )
                        )
                        continue
                    given_by[key] = (n, d)
                i = index.get(name)
                if i is None:
                    index[name] = len(decls)
                    decls.append(d)
                elif type(decls[i]) is not type(d):
                    self.errors.append(
                        error(
                            "E0119",
                            f"the interpretation replaces `{name}` with a different kind of declaration",
                            d.span,
                            labels=(Label(decls[i].span, "declared here"),),
                        )
                    )
                else:
                    decls[i] = d
        return decls

    # ---- driver ----
    def run(self) -> ir.Spec:
        decls = self._decls()
        for d in decls:
            if isinstance(d, ast.SpecDecl) and not self.spec.title:
                self.spec.title = d.title
        for d in decls:
            if isinstance(d, ast.OrderDecl):
                self.order(d)
        horizons = [d for d in decls if isinstance(d, ast.HorizonDecl)]
        for h in horizons[1:]:
            self.errors.append(
                error("E0101", "the horizon is declared twice", h.span, labels=(Label(horizons[0].span, "first declared here"),))
            )
        if horizons:
            self.horizon(horizons[0])
        for d in decls:
            if isinstance(d, ast.InstrumentDecl):
                self.instrument(d)
            elif isinstance(d, ast.DomainDecl):
                self.domain(d)
        for d in decls:
            if isinstance(d, ast.OrderDecl) and d.citation is not None and d.name in self.spec.orders:
                citation = self.citation(d.citation)
                if citation is not None:
                    self.spec.order_citations[d.name] = citation
        for d in decls:
            if isinstance(d, ast.InputDecl):
                self.input(d)
            elif isinstance(d, ast.EventDecl):
                self.event(d)
        defs = [d for d in decls if isinstance(d, ast.DefineDecl)]
        for d in defs:
            self.declare(d.name, d.span)
        norms = [d for d in decls if isinstance(d, ast.NormDecl)]
        for n in norms:
            self.declare(n.name, n.span)
        states = [d for d in decls if isinstance(d, ast.StateDecl)]
        powers = [d for d in decls if isinstance(d, ast.PowerDecl)]
        for st in states:
            if self.declare(st.name, st.span) and (params := self.params(st.params)) is not None:
                self.spec.states[st.name] = ir.State(st.name, params, span=st.span)
        for pw in powers:
            if self.declare(pw.name, pw.span) and (params := self.params(pw.params)) is not None:
                self.spec.powers[pw.name] = ir.Power(pw.name, params, span=pw.span)
        self.definitions(defs)
        for st in states:
            self.state(st)
        for pw in powers:
            self.power(pw)
        for d in decls:
            if isinstance(d, ast.FactDecl) and self.declare(d.name, d.span):
                self.fact(d)
        for n in norms:
            self.norm(n)
        self.overrides(norms)
        claim_names: dict[str, Span] = {}
        for d in decls:
            if isinstance(d, ast.AssumeDecl):
                self.assumption(d)
            elif isinstance(d, ast.ClaimDecl | ast.ScenarioDecl):
                if d.name in claim_names:
                    self.errors.append(
                        error("E0101", f"`{d.name}` is declared twice", d.span, labels=(Label(claim_names[d.name], "first declared here"),))
                    )
                claim_names[d.name] = d.span
                if isinstance(d, ast.ClaimDecl):
                    self.claim(d)
                else:
                    self.scenario(d)
        if self.errors:
            raise SpecError(self.errors)
        return self.spec

    def declare(self, name: str, span: Span) -> bool:
        if name in RESERVED:
            self.errors.append(error("E0108", f"`{name}` is a reserved word and cannot be declared", span))
            return False
        if name in self.declared:
            self.errors.append(
                error("E0101", f"`{name}` is declared twice", span, labels=(Label(self.declared[name], "first declared here"),))
            )
            return False
        self.declared[name] = span
        return True

    # ---- vocabulary ----
    def instrument(self, d: ast.InstrumentDecl) -> None:
        if not self.declare(d.name, d.span):
            return
        order: ir.Order | None = None
        dated: int | None = None
        if d.order is not None:
            order = self.spec.orders.get(d.order)
            if order is None:
                self.errors.append(
                    error(
                        "E0112",
                        f"unknown legal order `{d.order}`",
                        d.order_span,
                        suggestions=tuple(_close(d.order, self.spec.orders)),
                        help='declare it with `order NAME "title" ranks highest > ... > lowest`',
                    )
                )
            elif d.rank is not None and not any(d.rank in g for g in order.ranks):
                ranks = [r for g in order.ranks for r in g]
                self.errors.append(
                    error(
                        "E0113",
                        f"`{d.rank}` is not a rank of the order `{order.name}`"
                        + (f" (its ranks: {', '.join(ranks)})" if ranks else " (it declares no ranks)"),
                        d.order_span,
                        suggestions=tuple(_close(d.rank, ranks)),
                    )
                )
        if d.dated is not None:
            # A bad date is recorded (E0120); the instrument is kept, undated, for its citations.
            with contextlib.suppress(_Skip):
                dated = self.date(d.dated, d.order_span)
        if d.source is not None and not _relative_file(d.source):
            self.errors.append(
                error(
                    "E0123",
                    f"`source \"{d.source}\"` must name a file by a path relative to this spec file",
                    d.source_span,
                    help='for example `source "sources/nat.txt"`',
                )
            )
        self.spec.instruments[d.name] = ir.Instrument(d.name, d.title, d.span, order, d.rank, dated, d.source)

    def order(self, d: ast.OrderDecl) -> None:
        if not self.declare(d.name, d.span):
            return
        seen: set[str] = set()
        for group in d.ranks:
            for r in group:
                if r in seen:
                    self.errors.append(error("E0113", f"rank `{r}` appears twice in the order `{d.name}`", d.span))
                seen.add(r)
        self.spec.orders[d.name] = ir.Order(d.name, d.title or d.name, d.ranks, d.span)

    def date(self, text: str, span: Span) -> int:
        day = parse_date(text)
        if day is None:
            self.errors.append(error("E0120", f"`{text}` is not a calendar date", span, help="write dates as YYYY-MM-DD, e.g. 2025-02-28"))
            raise _Skip
        return day

    def horizon(self, d: ast.HorizonDecl) -> None:
        try:
            start, end = self.date(d.start, d.span), self.date(d.end, d.span)
        except _Skip:
            return
        if start > end:
            self.errors.append(error("E0107", "the horizon ends before it starts", d.span))
            return
        if not (HORIZON_LIMITS[0] <= start and end <= HORIZON_LIMITS[1]):
            # Room on both sides for the years a spec adds to or subtracts from its days.
            self.errors.append(error("E0120", "the horizon must lie between the years 1000 and 9000", d.span))
            return
        self.spec.horizon = (start, end)

    def event(self, d: ast.EventDecl) -> None:
        as_input = ast.InputDecl(d.name, d.params, None, d.controller, d.citation, d.span, d.controller_span)
        self.input(as_input)
        inp = self.spec.inputs.get(d.name)
        if inp is None:
            return
        event = ir.Input(inp.name, inp.params, BOOL, inp.controller, inp.citation, inp.span, event=True)
        self.spec.inputs[d.name] = event
        day = ir.Input(event.day_input, inp.params, DAY, inp.controller, inp.citation, inp.span, day_of=d.name)
        self.spec.inputs[day.name] = day

    def domain(self, d: ast.DomainDecl) -> None:
        if not self.declare(d.name, d.span):
            return
        values: list[str] = []
        for value, span in zip(d.values, d.value_spans or [d.span] * len(d.values), strict=False):
            if self.declare(value, span):
                values.append(value)
        dom = ir.Domain(d.name, tuple(values), d.span)
        self.spec.domains[d.name] = dom
        for v in values:
            self.spec.constants[v] = dom

    def citation(self, c: ast.Citation | None) -> ir.Citation | None:
        if c is None:
            return None
        inst = self.spec.instruments.get(c.instrument)
        if inst is None:
            self.errors.append(
                error(
                    "E0103",
                    f"unknown instrument `{c.instrument}`",
                    c.span,
                    suggestions=tuple(_close(c.instrument, self.spec.instruments)),
                    help='declare it with `instrument NAME "full title"`',
                )
            )
            inst = ir.Instrument(c.instrument, c.instrument, c.span)
        if not c.text.strip():
            self.errors.append(error("E0110", "a citation must quote (or paraphrase) the operative words", c.span))
        return ir.Citation(inst, c.locators, c.quoted, c.text, c.span)

    def type_of(self, t: ast.TypeExpr | None, allow_range: bool = True) -> Type | None:
        match t:
            case None:
                return BOOL
            case ast.NamedType("bool"):
                return BOOL
            case ast.NamedType("day"):
                return DAY
            case ast.NamedType(name, span):
                if name in self.spec.domains:
                    return EnumT(name)
                self.errors.append(
                    error("E0102", f"unknown type `{name}`", span, suggestions=tuple(_close(name, list(self.spec.domains) + ["bool"])))
                )
                return None
            case ast.RangeType(low, high, span):
                if not allow_range:
                    self.errors.append(error("E0305", "parameters range over domains; use a declared domain", span))
                    return None
                if low > high:
                    self.errors.append(error("E0107", f"empty range {low}..{high}", span))
                    return None
                return IntT(low, high)
        return None

    def params(self, params: Iterable[ast.Param], allow_day: bool = False) -> tuple[ir.Var, ...] | None:
        out: list[ir.Var] = []
        seen: set[str] = set()
        ok = True
        for p in params:
            t = self.type_of(p.type, allow_range=False)
            if p.name in seen:
                self.errors.append(error("E0101", f"parameter `{p.name}` is declared twice", p.span))
                ok = False
            seen.add(p.name)
            if t is None:
                ok = False
                continue
            if not isinstance(t, EnumT) and not (allow_day and isinstance(t, DayT)):
                where = "a domain or `day`" if allow_day else "a domain"
                self.errors.append(error("E0305", f"parameter `{p.name}` must range over {where}, not {t}", p.span))
                ok = False
                continue
            out.append(ir.Var(p.name, t, p.span))
        return tuple(out) if ok else None

    def input(self, d: ast.InputDecl) -> None:
        if not self.declare(d.name, d.span):
            return
        params = self.params(d.params)
        type_ = self.type_of(d.type)
        citation = self.citation(d.citation)
        if params is None or type_ is None:
            return
        controller: ir.Controller
        names = [p.name for p in params]
        if d.controller == "nature":
            controller = ir.Nature()
        elif d.controller in names:
            controller = ir.ParamController(names.index(d.controller))
        elif d.controller in self.spec.constants:
            controller = ir.FixedController(d.controller)
        else:
            self.errors.append(
                error(
                    "E0105",
                    f"unknown controller `{d.controller}`: name one of the input's parameters, an actor, or `nature`",
                    d.controller_span,
                    suggestions=tuple(_close(d.controller, names + list(self.spec.constants) + ["nature"])),
                )
            )
            return
        self.spec.inputs[d.name] = ir.Input(d.name, params, type_, controller, citation, d.span)

    def definitions(self, defs: list[ast.DefineDecl]) -> None:
        by_name = {d.name: d for d in defs}
        order: list[ast.DefineDecl] = []
        state: dict[str, int] = {}

        def visit(root: ast.DefineDecl) -> None:
            # Depth-first with an explicit stack: a chain of thousands of definitions must end in
            # a result or a diagnostic, not in a RecursionError.
            path: list[str] = []
            stack: list[tuple[ast.DefineDecl, Iterator[str] | None]] = [(root, None)]
            while stack:
                d, refs = stack[-1]
                if refs is None:
                    if state.get(d.name) == 2:
                        stack.pop()
                        continue
                    if state.get(d.name) == 1:
                        cycle = path[path.index(d.name) :] + [d.name]
                        self.errors.append(error("E0104", f"definition `{d.name}` is recursive: {' -> '.join(cycle)}", d.span))
                        state[d.name] = 2
                        stack.pop()
                        continue
                    state[d.name] = 1
                    path.append(d.name)
                    params = {p.name for p in d.params}
                    refs = iter([r for r in _referenced_names(d.body) if r in by_name and r not in params])
                    stack[-1] = (d, refs)
                ref = next(refs, None)
                if ref is not None:
                    stack.append((by_name[ref], None))
                    continue
                stack.pop()
                path.pop()
                state[d.name] = 2
                order.append(d)

        for d in defs:
            visit(d)
        # Later stages recurse through definitions; refuse a chain too deep for them.
        depth_of: dict[str, int] = {}
        for d in order:
            depth_of[d.name] = _inlined_depth(d.body, depth_of)
            if depth_of[d.name] > MAX_INLINED_DEPTH:
                message = f"definition `{d.name}` is nested more than {MAX_INLINED_DEPTH} levels deep with the definitions it uses"
                self.errors.append(error("E0014", message, d.span, help="shorten the chain of definitions that use each other"))
                break
        for d in order:
            params = self.params(d.params, allow_day=True)
            citation = self.citation(d.citation)
            if params is None:
                continue
            env = {v.name: v for v in params}
            try:
                body = self.expr(d.body, env, allow_deontic=True)
            except _Skip:
                continue
            defn = ir.Definition(d.name, params, body, citation, d.span)
            defn.deontic = _uses_deontic(body)
            defn.temporal = _uses_temporal(body)
            self.spec.definitions[d.name] = defn

    def state(self, d: ast.StateDecl) -> None:
        st = self.spec.states.get(d.name)
        if st is None:
            return
        st.citation = self.citation(d.citation)
        env = {v.name: v for v in st.params}
        self.no_temporal = "the initial value of a legal state"
        try:
            st.initially = self.bool_expr(d.initially, env, allow_deontic=False)
        except _Skip:
            st.initially = ir.Const(False, BOOL)
        finally:
            self.no_temporal = None

    def power(self, d: ast.PowerDecl) -> None:
        pw = self.spec.powers.get(d.name)
        if pw is None:
            return
        pw.citation = self.citation(d.citation)
        env = {v.name: v for v in pw.params}
        try:
            holder = self.expr(d.holder, env, allow_deontic=False)
            if not isinstance(holder.type, EnumT) or not _only_params(holder):
                self.errors.append(
                    error("E0306", "the holder must be an actor named by the power's parameters or a constant", d.holder.span)
                )
                raise _Skip
            pw.holder = holder
            pw.act = self.event_ref(d.act, env, "the act that exercises a power")
            if d.revocation is not None:
                pw.revocation = self.event_ref(d.revocation, env, "a revocation")
                pw.revocation_citation = self.citation(d.revocation_citation) if d.revocation_citation is not None else None
            if d.effect_on is not None:
                self.no_temporal = "the day a power's effect takes place (it may read facts and days, not legal states)"
                try:
                    pw.effect_on = self.expr(d.effect_on, env, allow_deontic=False)
                finally:
                    self.no_temporal = None
                self.expect(pw.effect_on, DAY, d.effect_on.span)
            if d.delay is not None:
                if d.delay.amount < 0:
                    raise AssertionError("the grammar admits no negative durations")
                pw.delay = (d.delay.amount, d.delay.unit)
            effects: list[ir.Effect] = []
            for kind, target in d.effects:
                effects.append(self.effect(kind, target, env))
            pw.effects = tuple(effects)
            if d.when is not None:
                self.no_temporal = "a power's condition (name a state without `at`: it is read on the day before the act)"
                self.bare_state_day = ir.Shift(
                    ir.InputRef(self.spec.inputs[pw.act.input.day_input], pw.act.args, DAY, d.when.span), -1, "days", DAY, d.when.span
                )
                try:
                    pw.when = self.bool_expr(d.when, env, allow_deontic=False)
                finally:
                    self.no_temporal = None
                    self.bare_state_day = None
            else:
                pw.when = ir.Const(True, BOOL)
        except _Skip:
            self.spec.powers.pop(d.name, None)

    def event_ref(self, e: ast.Expr, env: dict[str, ir.Var], what: str) -> ir.InputRef:
        ref = self.expr(e, env, allow_deontic=False)
        if not isinstance(ref, ir.InputRef) or not ref.input.event:
            self.errors.append(error("E0312", f"{what} must be an event, like `notice_of_denunciation(p)`", e.span))
            raise _Skip
        if not all(_only_params(a) for a in ref.args):
            self.errors.append(error("E0312", f"the arguments of {what} may be only parameters and constants", e.span))
            raise _Skip
        return ref

    def fact(self, d: ast.FactDecl) -> None:
        try:
            day = self.date(d.day, d.span)
            start, end = self.spec.horizon
            if not start <= day <= end:
                self.errors.append(
                    error(
                        "E0317",
                        f"the fact is dated {format_day(day)}, outside the horizon ({format_day(start)} to {format_day(end)})",
                        d.span,
                        help=f"the horizon holds the history the spec records: start it on or before {format_day(day)}"
                        if day < start
                        else None,
                    )
                )
                raise _Skip
            effects = tuple(self.effect(kind, target, {}, "a fact") for kind, target in d.effects)
        except _Skip:
            return
        self.spec.facts[d.name] = ir.Fact(d.name, self.citation(d.citation), day, effects, d.span)

    def effect(self, kind: ast.EffectKind, target: ast.Expr, env: dict[str, ir.Var], who: str = "a power") -> ir.Effect:
        name = target.name if isinstance(target, ast.Call | ast.Name) else None
        st = self.spec.states.get(name) if name else None
        if st is None:
            self.errors.append(
                error(
                    "E0313",
                    f"{who} {kind} a legal state, like `{kind} party(p)`",
                    target.span,
                    suggestions=tuple(_close(name, self.spec.states)) if name else (),
                )
            )
            raise _Skip
        args = self.args(st.name, st.params, target.args if isinstance(target, ast.Call) else (), target.span, env, allow_deontic=False)
        if not all(_only_params(a) for a in args):
            self.errors.append(error("E0313", f"which state {who} changes may depend only on its parameters and constants", target.span))
            raise _Skip
        return ir.Effect(kind, st, args)

    def overrides(self, norms: list[ast.NormDecl]) -> None:
        edges: dict[str, list[str]] = {}
        for d in norms:
            norm = self.spec.norms.get(d.name)
            if norm is None:
                continue
            for other in d.overrides:
                target = self.spec.norms.get(other)
                if target is None:
                    self.errors.append(
                        error("E0115", f"`{other}` is not a norm", d.span, suggestions=tuple(_close(other, self.spec.norms)))
                    )
                    continue
                if target.order is None or norm.order is None or target.order.name != norm.order.name:
                    self.errors.append(
                        error(
                            "E0116",
                            f"`{d.name}` cannot override `{other}`: defeat works only within one legal order",
                            d.span,
                            help='give both instruments the same order (`instrument X "..." in us statute`)',
                        )
                    )
                    continue
                edges.setdefault(d.name, []).append(other)
        # An override cycle would leave defeat without a ground.
        state: dict[str, int] = {}

        def visit(n: str, path: list[str]) -> None:
            if state.get(n) == 1:
                cycle = path[path.index(n) :] + [n]
                self.errors.append(error("E0115", f"norms override each other in a cycle: {' -> '.join(cycle)}", self.spec.norms[n].span))
                return
            if state.get(n) == 2:
                return
            state[n] = 1
            for m in edges.get(n, []):
                visit(m, path + [n])
            state[n] = 2

        for n in list(edges):
            visit(n, [])
        if not self.errors:
            self.prevail_cycles()

    def prevail_cycles(self) -> None:
        """Overrides and dates together must not let norms prevail over each other in a circle:
        defeat would then have no ground (or no consistent answer at all)."""
        from treaty_dsl.deontic import prevails

        norms = list(self.spec.norms.values())
        beats = {m.name: [n.name for n in norms if n is not m and prevails(m, n)] for m in norms}
        state: dict[str, int] = {}

        def visit(n: str, path: list[str]) -> bool:
            if state.get(n) == 1:
                cycle = path[path.index(n) :] + [n]
                self.errors.append(
                    error(
                        "E0115",
                        f"norms prevail over each other in a cycle: {' -> '.join(cycle)}",
                        self.spec.norms[n].span,
                        help="an `overrides` declaration runs against the instruments' dates; drop it or date the instruments consistently",
                    )
                )
                return True
            if state.get(n) == 2:
                return False
            state[n] = 1
            for m in beats[n]:
                if visit(m, path + [n]):
                    return True
            state[n] = 2
            return False

        for n in beats:
            if visit(n, []):
                return

    def norm(self, d: ast.NormDecl) -> None:
        params = self.params(d.params)
        citation = self.citation(d.citation)
        if params is None or citation is None:
            return
        env = {v.name: v for v in params}
        try:
            bearer = self.expr(d.bearer, env, allow_deontic=False)
            if not isinstance(bearer.type, EnumT):
                self.errors.append(error("E0306", f"the bearer must be an actor (a value of a domain), not {bearer.type}", d.bearer.span))
                raise _Skip
            if not _only_params(bearer):
                self.errors.append(error("E0109", "the bearer may depend only on the norm's parameters and constants", d.bearer.span))
                raise _Skip
            when = self.bool_expr(d.when, env, allow_deontic=False) if d.when is not None else ir.Const(True, BOOL)
            period: list[ir.Expr | None] = []
            for part in (d.binds_from, d.binds_until):
                if part is None:
                    period.append(None)
                    continue
                bound = self.expr(part, env, allow_deontic=False)
                self.expect(bound, DAY, part.span)
                period.append(bound)
            self.no_temporal = "the content of a norm (state the day-dependent part in its `when` condition)"
            try:
                content = self.bool_expr(d.content, env, allow_deontic=False)
            finally:
                self.no_temporal = None
        except _Skip:
            return
        overrides_citation = self.citation(d.overrides_citation) if d.overrides_citation is not None else None
        self.spec.norms[d.name] = ir.Norm(
            d.kind, d.name, params, citation, bearer, when, content, d.span, d.overrides, period[0], period[1], overrides_citation
        )

    def assumption(self, d: ast.AssumeDecl) -> None:
        self.no_temporal = "an assumption (assumptions restrict the facts; legal states follow from them)"
        try:
            body = self.bool_expr(d.body, {}, allow_deontic=False)
        except _Skip:
            return
        finally:
            self.no_temporal = None
        name = d.name or f"assumption@{d.span.line}"
        self.spec.assumptions.append(ir.Assumption(name, body, self.citation(d.citation), d.span))

    def claim(self, d: ast.ClaimDecl) -> None:
        if id(d) in self.reading_claims:
            self.reading_claim(d)
            return
        expected = d.expected
        for name, verdict in d.under:
            if name not in self.spec.interpretations:
                self.errors.append(
                    error(
                        "E0118",
                        f"unknown interpretation `{name}`",
                        d.span,
                        suggestions=tuple(_close(name, self.spec.interpretations)),
                        help=_readings_help(self.spec.interpretations),
                    )
                )
            if name == self.spec.reading:
                expected = verdict
        if self.spec.reading is not None and not any(name == self.spec.reading for name, _ in d.under):
            expected = None
        readings: tuple[str | None, ...] = ((None,) if d.expected is not None else ()) + tuple(n for n, _ in d.under)
        try:
            body = self.bool_expr(d.body, {}, allow_deontic=True)
        except _Skip:
            return
        self.spec.claims.append(ir.Claim(d.name, d.text, body, expected, d.span, readings=readings))

    def reading_claim(self, d: ast.ClaimDecl) -> None:
        """A claim declared inside the block of the interpretation being checked: it exists under
        that reading only, so `expect V` is its expectation there (`expect V under` the same name
        says the same); `under` another reading could never be checked."""
        reading = self.spec.reading
        assert reading is not None
        composed = reading_names(reading)
        expected = d.expected if len(composed) == 1 else None  # under a composition: no expectation
        for name, verdict in d.under:
            if name not in composed:
                self.errors.append(
                    error(
                        "E0119",
                        f"claim `{d.name}` is declared inside interpretation `{reading}` and exists under it only; "
                        f"it cannot have an expectation under `{name}`",
                        d.span,
                        help="declare the claim outside the interpretation to check it under several readings",
                    )
                )
            elif len(composed) == 1:
                expected = verdict
        try:
            body = self.bool_expr(d.body, {}, allow_deontic=True)
        except _Skip:
            return
        readings: tuple[str | None, ...] = (reading,) if expected is not None else ()
        self.spec.claims.append(ir.Claim(d.name, d.text, body, expected, d.span, readings=readings))

    def scenario(self, d: ast.ScenarioDecl) -> None:
        try:
            givens = [self.bool_expr(g, {}, allow_deontic=False) for g in d.givens]
            for i, e in enumerate(d.expectations, start=1):
                body = self.bool_expr(e, {}, allow_deontic=True)
                if givens:
                    premise = givens[0] if len(givens) == 1 else ir.BoolOp("and", tuple(givens), BOOL, givens[0].span)
                    body = ir.BoolOp("implies", (premise, body), BOOL, e.span)
                name = d.name if len(d.expectations) == 1 else f"{d.name}[{i}]"
                # A scenario holds under the spec as written, or under the interpretation it is declared in.
                own = self.spec.reading is None or (id(d) in self.reading_claims and len(reading_names(self.spec.reading)) == 1)
                expected: Literal["holds"] | None = "holds" if own else None
                self.spec.claims.append(ir.Claim(name, d.text, body, expected, e.span, scenario=d.name))
        except _Skip:
            return

    # ---- expressions ----
    def bool_expr(self, e: ast.Expr, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        out = self.expr(e, env, allow_deontic)
        self.expect(out, BOOL, e.span)
        return out

    def expect(self, got: ir.Expr, want: Type, span: Span) -> None:
        if isinstance(want, DayT) and not isinstance(got.type, DayT):
            self.errors.append(error("E0301", f"expected a day, found {_describe(got.type)}", span))
            raise _Skip
        if isinstance(want, BoolT) and not isinstance(got.type, BoolT):
            self.errors.append(error("E0301", f"expected a condition (true or false), found {_describe(got.type)}", span))
            raise _Skip
        if is_numeric(want) and not is_numeric(got.type):
            self.errors.append(error("E0301", f"expected a number, found {_describe(got.type)}", span))
            raise _Skip
        if isinstance(want, EnumT) and got.type != want:
            self.errors.append(error("E0301", f"expected a value of {want.domain}, found {_describe(got.type)}", span))
            raise _Skip

    def expr(self, e: ast.Expr, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        match e:
            case ast.IntLit(value, span):
                return ir.Const(value, IntT(value, value), span)
            case ast.BoolLit(value, span):
                return ir.Const(value, BOOL, span)
            case ast.Name(name, span):
                return self.name(name, span, env, allow_deontic)
            case ast.Call():
                return self.call(e, env, allow_deontic)
            case ast.Not(operand, span):
                return ir.Not(self.bool_expr(operand, env, allow_deontic), BOOL, span)
            case ast.Neg(operand, span):
                inner = self.expr(operand, env, allow_deontic)
                self.expect(inner, INT, operand.span)
                if isinstance(inner, ir.Const) and not isinstance(inner.value, bool | str):
                    return _num_const(-inner.value, span)
                return ir.Neg(inner, numeric_join(inner.type, INT), span)
            case ast.And(items, span) | ast.Or(items, span):
                bop: Literal["and", "or", "implies", "iff"] = "and" if isinstance(e, ast.And) else "or"
                return ir.BoolOp(bop, tuple(self._bools(items, env, allow_deontic)), BOOL, span)
            case ast.Implies(left, right, span) | ast.Iff(left, right, span):
                op2: Literal["and", "or", "implies", "iff"] = "implies" if isinstance(e, ast.Implies) else "iff"
                return ir.BoolOp(op2, tuple(self._bools((left, right), env, allow_deontic)), BOOL, span)
            case ast.Compare(op, left, right, span):
                return self.compare(op, left, right, span, env, allow_deontic)
            case ast.Arith(op, left, right, span):
                return self.arith(op, left, right, span, env, allow_deontic)
            case ast.Quant(kind, binders, where, body, span):
                vars_, scope = self.binders(binders, env)
                b = self.bool_expr(body, scope, allow_deontic)
                if where is not None:
                    w = self.bool_expr(where, scope, allow_deontic)
                    b = ir.BoolOp("implies" if kind == "every" else "and", (w, b), BOOL, span)
                if kind == "no":
                    return ir.Not(ir.Quant("some", vars_, b, BOOL, span), BOOL, span)
                return ir.Quant(kind, vars_, b, BOOL, span)
            case ast.Count(binders, where, body, span):
                vars_, scope = self.binders(binders, env)
                b = self.bool_expr(body, scope, allow_deontic)
                if where is not None:
                    b = ir.BoolOp("and", (self.bool_expr(where, scope, allow_deontic), b), BOOL, span)
                size = 1
                for v in vars_:
                    dom = self.spec.domain_of(v.type)
                    size *= len(dom.values) if dom else 0
                return ir.Count(vars_, b, IntT(0, size), span)
            case ast.DateLit(text, span):
                return ir.Const(self.date(text, span), DAY, span)
            case ast.Duration(_, _, span):
                self.errors.append(
                    error("E0121", "a duration can only be added to or subtracted from a day, like `day_of(notice(p)) + 1 year`", span)
                )
                raise _Skip
            case ast.At(target, day, span):
                if isinstance(target, ast.InOrder) or (isinstance(target, ast.Call) and target.name in DATED_QUERIES):
                    return self.query_on(target, None, day, env, allow_deontic)
                return self.state_at(target, day, span, env, allow_deontic)
            case ast.InOrder(query, _, day):
                return self.query_on(query, e, day, env, allow_deontic)
            case ast.Ite(cond, then, other, span):
                c = self.bool_expr(cond, env, allow_deontic)
                a = self.expr(then, env, allow_deontic)
                b = self.expr(other, env, allow_deontic)
                if is_numeric(a.type) and is_numeric(b.type):
                    return ir.Ite(c, a, b, numeric_join(a.type, b.type), span)
                if a.type != b.type:
                    self.errors.append(
                        error("E0301", f"both branches must have the same type; found {_describe(a.type)} and {_describe(b.type)}", span)
                    )
                    raise _Skip
                return ir.Ite(c, a, b, a.type, span)
        raise AssertionError(f"unhandled expression {e!r}")

    def temporal(self, what: str, span: Span) -> None:
        if self.no_temporal is not None:
            self.errors.append(error("E0311", f"{what} cannot be used in {self.no_temporal}", span))
            raise _Skip

    def query_on(
        self, target: ast.Expr, within: ast.InOrder | None, day: ast.Expr | None, env: dict[str, ir.Var], allow_deontic: bool
    ) -> ir.Expr:
        """A deontic or norm query asked within one legal order (`in ORDER`), on a day (`at DAY`), or both."""
        if isinstance(target, ast.InOrder):
            if day is not None and target.day is not None:
                self.errors.append(error("E0318", "the query already names its day", day.span))
                raise _Skip
            within, day, target = target, target.day if target.day is not None else day, target.query
        if not isinstance(target, ast.Call) or target.name not in DATED_QUERIES:
            self.errors.append(
                error(
                    "E0318",
                    "`in ORDER` asks a deontic question within one legal order, like `obliged(US, performs(US)) in international`",
                    target.span,
                )
            )
            raise _Skip
        order: ir.Order | None = None
        if within is not None:
            if target.name in NORM_QUERIES:
                self.errors.append(
                    error("E0318", f"a norm belongs to one legal order already: write `{target.name}(...)` without `in`", within.span)
                )
                raise _Skip
            order = self.spec.orders.get(within.order)
            if order is None:
                suggestions = tuple(_close(within.order, self.spec.orders))
                self.errors.append(error("E0112", f"unknown legal order `{within.order}`", within.order_span, suggestions=suggestions))
                raise _Skip
        query = self.call(target, env, allow_deontic)
        when: ir.Expr | None = None
        if day is not None:
            when = self.expr(day, env, allow_deontic)
            self.expect(when, DAY, day.span)
        match query:
            case ir.Deontic():
                return ir.Deontic(query.kind, query.actor, query.body, BOOL, query.span, order, when)
            case ir.Compliant():
                return ir.Compliant(query.actor, BOOL, query.span, order, when)
            case ir.NormQuery():
                return ir.NormQuery(query.kind, query.norm, query.args, BOOL, query.span, when)
        raise _Skip

    def state_at(self, target: ast.Expr, day: ast.Expr, span: Span, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        name = target.name if isinstance(target, ast.Call | ast.Name) else None
        st = self.spec.states.get(name) if name else None
        if st is None:
            self.errors.append(
                error(
                    "E0314",
                    "`at` asks for a legal state on a day, like `party(US) at 2026-03-01`, or a deontic question on a day",
                    target.span,
                    suggestions=tuple(_close(name, self.spec.states)) if name else (),
                )
            )
            raise _Skip
        self.temporal(f"the legal state `{st.name}` on a given day", span)
        args = target.args if isinstance(target, ast.Call) else ()
        when = self.expr(day, env, allow_deontic)
        self.expect(when, DAY, day.span)
        fixed = constant_day(when)
        start = self.spec.horizon[0]
        if fixed is not None and fixed < start:
            self.errors.append(
                error(
                    "E0316",
                    f"`{st.name}` is read on {format_day(fixed)}, before the horizon (from {format_day(start)}): "
                    "the spec says nothing about legal states before it",
                    day.span,
                    help=f"start the horizon on or before {format_day(fixed)}, or ask about a day within it",
                )
            )
        return ir.StateAt(st, self.args(st.name, st.params, args, target.span, env, allow_deontic), when, BOOL, span)

    def bare_state(self, st: ir.State, args: Sequence[ast.Expr], span: Span, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        if self.bare_state_day is None:
            self.errors.append(
                error(
                    "E0122",
                    f"`{st.name}` is a legal state that changes over time; say on which day",
                    span,
                    help=f"write `{st.name}(...) at <day>`, e.g. `{st.name}(...) at day_of(some_event(...))`",
                )
            )
            raise _Skip
        args_ir = self.args(st.name, st.params, args, span, env, allow_deontic)
        return ir.StateAt(st, args_ir, self.bare_state_day, BOOL, span, opening=True)

    def temporal_call(self, e: ast.Call, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        name, span = e.name, e.span
        if name == "lawful":
            if not allow_deontic:
                self.errors.append(error("E0310", "`lawful` can be asked in claims and scenario expectations only", span))
                raise _Skip
            if len(e.args) != 2:
                self._arity(name, 2, len(e.args), span)
            act = self.event_ref(e.args[0], env, "the first argument of `lawful`")
            order_arg = e.args[1]
            order = self.spec.orders.get(order_arg.name) if isinstance(order_arg, ast.Name) else None
            if order is None:
                self.errors.append(
                    error(
                        "E0112",
                        "the second argument of `lawful` is a legal order, like `lawful(notice(US), us)`",
                        order_arg.span,
                        suggestions=tuple(_close(order_arg.name, self.spec.orders)) if isinstance(order_arg, ast.Name) else (),
                    )
                )
                raise _Skip
            return ir.Lawful(act, order, BOOL, span)
        if len(e.args) != 1:
            self._arity(name, 1, len(e.args), span)
        target = e.args[0]
        if name == "day_of":
            ref = self.event_ref(target, env, "`day_of` takes an event; its argument")
            return ir.InputRef(self.spec.inputs[ref.input.day_input], ref.args, DAY, span)
        power_name = target.name if isinstance(target, ast.Call | ast.Name) else None
        power = self.spec.powers.get(power_name) if power_name else None
        if power is None:
            self.errors.append(
                error(
                    "E0315",
                    "`effective` takes a power, like `effective(denunciation(US))`",
                    target.span,
                    suggestions=tuple(_close(power_name, self.spec.powers)) if power_name else (),
                )
            )
            raise _Skip
        self.temporal("`effective`", span)
        args = target.args if isinstance(target, ast.Call) else ()
        return ir.Effective(power, self.args(power.name, power.params, args, target.span, env, allow_deontic), BOOL, span)

    def _bools(self, items: Iterable[ast.Expr], env: dict[str, ir.Var], allow_deontic: bool) -> list[ir.Expr]:
        out: list[ir.Expr] = []
        failed = False
        for item in items:
            try:
                out.append(self.bool_expr(item, env, allow_deontic))
            except _Skip:
                failed = True
        if failed:
            raise _Skip
        return out

    def binders(self, binders: Sequence[ast.Binder], env: dict[str, ir.Var]) -> tuple[tuple[ir.Var, ...], dict[str, ir.Var]]:
        inner = dict(env)
        out: list[ir.Var] = []
        for b in binders:
            if b.domain not in self.spec.domains:
                self.errors.append(
                    error("E0102", f"unknown domain `{b.domain}`", b.domain_span, suggestions=tuple(_close(b.domain, self.spec.domains)))
                )
                raise _Skip
            if b.name in self.spec.constants:
                self.errors.append(
                    error("E0111", f"`{b.name}` is a value of {self.spec.constants[b.name].name}; choose another variable name", b.span)
                )
                raise _Skip
            v = ir.Var(b.name, EnumT(b.domain), b.span)
            inner[b.name] = v
            out.append(v)
        return tuple(out), inner

    def name(self, name: str, span: Span, env: dict[str, ir.Var], allow_deontic: bool = True) -> ir.Expr:
        if name in env:
            v = env[name]
            return ir.VarRef(v, v.type, span)
        if name in self.spec.constants:
            return ir.Const(name, EnumT(self.spec.constants[name].name), span)
        if name in self.spec.inputs:
            inp = self.spec.inputs[name]
            if inp.params:
                self._arity(name, len(inp.params), 0, span)
            return ir.InputRef(inp, (), inp.type, span)
        if name in self.spec.definitions:
            defn = self.spec.definitions[name]
            if defn.params:
                self._arity(name, len(defn.params), 0, span)
            if defn.deontic and not allow_deontic:
                self.errors.append(error("E0310", f"`{name}` asks a deontic question; it can be used in claims only", span))
                raise _Skip
            if defn.temporal:
                self.temporal(f"`{name}` (it reads legal states)", span)
            return ir.DefRef(defn, (), defn.type, span)
        if name in self.spec.states:
            return self.bare_state(self.spec.states[name], (), span, env, allow_deontic)
        if name in self.spec.norms or name in self.spec.domains or name in self.spec.instruments or name in self.spec.powers:
            self.errors.append(error("E0203", f"`{name}` is not a value; it cannot be used in a formula here", span))
            raise _Skip
        self.unknown(name, span, env)
        raise _Skip

    def unknown(self, name: str, span: Span, env: dict[str, ir.Var]) -> None:
        if name in self.declared:
            # Declared, but its own declaration had an error already reported.
            raise _Skip
        candidates = list(env) + list(self.spec.constants) + list(self.spec.inputs) + list(self.spec.definitions)
        self.errors.append(error("E0201", f"unknown name `{name}`", span, suggestions=tuple(_close(name, candidates))))

    def _arity(self, name: str, want: int, got: int, span: Span) -> None:
        self.errors.append(error("E0202", f"`{name}` takes {want} argument{'s' if want != 1 else ''}, {got} given", span))
        raise _Skip

    def call(self, e: ast.Call, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        name, span = e.name, e.span
        if name in DEONTIC or name == "compliant":
            if not allow_deontic:
                self.errors.append(
                    error("E0310", f"`{name}` can be asked in claims and scenario expectations, not in norms, assumptions or givens", span)
                )
                raise _Skip
            want = 1 if name == "compliant" else 2
            if len(e.args) != want:
                self._arity(name, want, len(e.args), span)
            actor = self.expr(e.args[0], env, allow_deontic)
            if not isinstance(actor.type, EnumT):
                self.errors.append(
                    error("E0306", f"`{name}` asks about an actor (a value of a domain), not {_describe(actor.type)}", e.args[0].span)
                )
                raise _Skip
            if name == "compliant":
                return ir.Compliant(actor, BOOL, span)
            outer, self.no_temporal = self.no_temporal, "the formula of a deontic query (it is evaluated in compliant alternatives)"
            try:
                body = self.bool_expr(e.args[1], env, allow_deontic=False)
            finally:
                self.no_temporal = outer
            return ir.Deontic(name, actor, body, BOOL, span)  # type: ignore[arg-type]
        if name in TEMPORAL:
            return self.temporal_call(e, env, allow_deontic)
        if name in self.spec.states:
            return self.bare_state(self.spec.states[name], e.args, span, env, allow_deontic)
        if name in NORM_QUERIES:
            if not allow_deontic:
                self.errors.append(error("E0310", f"`{name}` can be asked in claims and scenario expectations only", span))
                raise _Skip
            if len(e.args) != 1:
                self._arity(name, 1, len(e.args), span)
            target = e.args[0]
            norm_name = target.name if isinstance(target, ast.Call | ast.Name) else None
            if norm_name is None or norm_name not in self.spec.norms:
                self.errors.append(
                    error(
                        "E0307",
                        f"`{name}` takes a norm, like `{name}(assist(US, EE))`",
                        target.span,
                        suggestions=tuple(_close(norm_name, self.spec.norms)) if norm_name else (),
                    )
                )
                raise _Skip
            norm = self.spec.norms[norm_name]
            args = target.args if isinstance(target, ast.Call) else ()
            return ir.NormQuery(name, norm, self.args(norm_name, norm.params, args, target.span, env, allow_deontic), BOOL, span)  # type: ignore[arg-type]
        if name in self.spec.inputs:
            inp = self.spec.inputs[name]
            return ir.InputRef(inp, self.args(name, inp.params, e.args, span, env, allow_deontic), inp.type, span)
        if name in self.spec.definitions:
            defn = self.spec.definitions[name]
            if defn.deontic and not allow_deontic:
                self.errors.append(error("E0310", f"`{name}` asks a deontic question; it can be used in claims only", span))
                raise _Skip
            if defn.temporal:
                self.temporal(f"`{name}` (it reads legal states)", span)
            return ir.DefRef(defn, self.args(name, defn.params, e.args, span, env, allow_deontic), defn.type, span)
        if name in env or name in self.spec.constants:
            self.errors.append(error("E0203", f"`{name}` is a value, not something that takes arguments", e.name_span))
            raise _Skip
        if name in self.spec.norms:
            self.errors.append(
                error("E0203", f"`{name}` is a norm; ask about it with `active({name}(...))` or `violated({name}(...))`", e.name_span)
            )
            raise _Skip
        self.unknown(name, e.name_span, env)
        raise _Skip

    def args(
        self, name: str, params: Sequence[ir.Var], args: Sequence[ast.Expr], span: Span, env: dict[str, ir.Var], allow_deontic: bool
    ) -> tuple[ir.Expr, ...]:
        if len(args) != len(params):
            self._arity(name, len(params), len(args), span)
        out: list[ir.Expr] = []
        for p, a in zip(params, args, strict=True):
            value = self.expr(a, env, allow_deontic)
            self.expect(value, p.type, a.span)
            out.append(value)
        return tuple(out)

    def compare(self, op: str, left: ast.Expr, right: ast.Expr, span: Span, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        lhs = self.expr(left, env, allow_deontic)
        rhs = self.expr(right, env, allow_deontic)
        if op in ("=", "!="):
            if not same_kind(lhs.type, rhs.type):
                self.errors.append(error("E0301", f"cannot compare {_describe(lhs.type)} with {_describe(rhs.type)}", span))
                raise _Skip
        elif not (isinstance(lhs.type, DayT) and isinstance(rhs.type, DayT)):
            for side, src in ((lhs, left), (rhs, right)):
                self.expect(side, INT, src.span)
        return ir.Cmp(op, lhs, rhs, BOOL, span)  # type: ignore[arg-type]

    def arith(self, op: str, left: ast.Expr, right: ast.Expr, span: Span, env: dict[str, ir.Var], allow_deontic: bool) -> ir.Expr:
        if isinstance(right, ast.Duration) and op in ("+", "-"):
            base = self.expr(left, env, allow_deontic)
            self.expect(base, DAY, left.span)
            amount = right.amount if op == "+" else -right.amount
            if isinstance(base, ir.Const) and isinstance(base.value, int):
                from treaty_dsl.calendar import shift_day

                try:
                    value = shift_day(base.value, amount, right.unit)
                except (OverflowError, ValueError):
                    self.errors.append(error("E0120", "this date arithmetic leaves the calendar (years 1 to 9999)", span))
                    raise _Skip from None
                return ir.Const(value, DAY, span)
            return ir.Shift(base, amount, right.unit, DAY, span)
        lhs = self.expr(left, env, allow_deontic)
        rhs = self.expr(right, env, allow_deontic)
        if isinstance(lhs.type, DayT) and isinstance(rhs.type, DayT) and op == "-":
            return ir.Arith("-", lhs, rhs, INT, span)
        self.expect(lhs, INT, left.span)
        self.expect(rhs, INT, right.span)
        lconst = lhs.value if isinstance(lhs, ir.Const) else None
        rconst = rhs.value if isinstance(rhs, ir.Const) else None
        if op == "/":
            if rconst is None:
                self.errors.append(error("E0302", "division is only by a constant (write `2/3 * n`, not `n / m`)", right.span))
                raise _Skip
            if rconst == 0:
                self.errors.append(error("E0303", "division by zero", right.span))
                raise _Skip
            inverse = _num_const(Fraction(1) / Fraction(rconst), right.span)  # type: ignore[arg-type]
            if lconst is not None:
                return _num_const(Fraction(lconst) / Fraction(rconst), span)  # type: ignore[arg-type]
            return ir.Arith("*", lhs, inverse, RAT, span)
        if lconst is not None and rconst is not None:
            a, b = Fraction(lconst), Fraction(rconst)  # type: ignore[arg-type]
            return _num_const(a + b if op == "+" else a - b if op == "-" else a * b, span)
        return ir.Arith(op, lhs, rhs, numeric_join(lhs.type, rhs.type), span)  # type: ignore[arg-type]


def _num_const(value: int | Fraction, span: Span) -> ir.Const:
    if isinstance(value, Fraction) and value.denominator == 1:
        value = int(value)
    if isinstance(value, int):
        return ir.Const(value, IntT(value, value), span)
    return ir.Const(value, RAT, span)


def _describe(t: Type) -> str:
    if isinstance(t, BoolT):
        return "a condition"
    if isinstance(t, IntT | RatT):
        return "a number"
    if isinstance(t, DayT):
        return "a day"
    return f"a value of {t}"


def _close(name: str, candidates: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)


def _inlined_depth(e: ast.Expr, depth_of: dict[str, int]) -> int:
    """The depth of `e` with the definitions in `depth_of` written out in place (an upper bound)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(e, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, tuple):
            stack.extend((x, level) for x in node)
        elif hasattr(node, "__dataclass_fields__") and not isinstance(node, Span):
            level += 1
            if isinstance(node, ast.Name | ast.Call):
                level += depth_of.get(node.name, 0)
            deepest = max(deepest, level)
            stack.extend((getattr(node, f), level) for f in node.__dataclass_fields__ if f != "span")
    return deepest


def _referenced_names(e: ast.Expr) -> set[str]:
    out: set[str] = set()
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name | ast.Call):
            out.add(node.name)
        if isinstance(node, tuple):
            stack.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, f) for f in node.__dataclass_fields__ if f != "span")
    return out


def _only_params(e: ir.Expr) -> bool:
    match e:
        case ir.Const() | ir.VarRef():
            return True
        case ir.Ite(c, a, b):
            return _only_params(c) and _only_params(a) and _only_params(b)
        case ir.Cmp(_, a, b):
            return _only_params(a) and _only_params(b)
    return False


def _readings_help(readings: Iterable[str]) -> str | None:
    names = list(readings)
    return f"this spec's interpretations: {', '.join(names)}" if names else "this spec declares no interpretations"


def _uses_temporal(e: ir.Expr) -> bool:
    from treaty_dsl.walk import subexprs

    for sub in subexprs(e):
        if isinstance(sub, ir.StateAt | ir.Effective | ir.Lawful):
            return True
        if isinstance(sub, ir.DefRef) and sub.definition.temporal:
            return True
    return False


def _uses_deontic(e: ir.Expr) -> bool:
    from treaty_dsl.walk import subexprs

    for sub in subexprs(e):
        if isinstance(sub, ir.Deontic | ir.NormQuery | ir.Compliant):
            return True
        if isinstance(sub, ir.DefRef) and sub.definition.deontic:
            return True
    return False


__all__ = ["check", "check_formula", "BUILTINS", "NO_SPAN"]


def constant_day(e: ir.Expr) -> int | None:
    """The day a day expression always denotes (a date, moved by durations), else None."""
    match e:
        case ir.Const(value) if isinstance(value, int) and not isinstance(value, bool):
            return value
        case ir.Shift(base, amount, unit):
            day = constant_day(base)
            if day is None:
                return None
            try:
                return shift_day(day, amount, unit)
            except (OverflowError, ValueError):
                return None
    return None


def _relative_file(path: str) -> bool:
    """A relative path to a file: not empty, not absolute, not a folder."""
    return bool(path.strip()) and not PurePath(path).is_absolute() and not path.startswith(("/", "\\")) and not path.endswith(("/", "\\"))

