"""Where every name of a spec is declared and used: the index behind an editor's navigation.

Built from the parsed modules (the current file and the files it `use`s) and their tokens, so it
needs no successful check: a spec with type errors still has an index. Every occurrence of a name
gets a `SymbolKey`; occurrences with the same key name the same thing, so "find references" and
"rename" are a look-up. Keys:

    ("global", name)          instruments, orders, domains, values, inputs, events, definitions,
                              norms, states, powers: one namespace, as in the checker
    ("claim", name)           claims and scenarios
    ("reading", name)         interpretations
    ("rank", order, name)     the ranks of a legal order
    ("local", file, line, column)   a parameter or a bound variable, by where it is bound
    ("builtin", name)         obliged, permitted, day_of, nature, ...
    ("file", path)            the file a `use` names

A declaration inside an interpretation that replaces one of the same name has the same key: it is
another definition of the same name.
"""

from __future__ import annotations

import bisect
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from treaty_dsl import ast
from treaty_dsl.span import Span
from treaty_dsl.tokens import Token, scan

SymbolKey = tuple[str, ...]

BUILTIN_DOCS = {
    "obliged": "obliged(actor, φ): φ holds in every compliant alternative of the actor",
    "permitted": "permitted(actor, φ): φ holds in some compliant alternative of the actor",
    "forbidden": "forbidden(actor, φ): φ holds in no compliant alternative of the actor",
    "active": "active(norm(args)): the norm's condition holds",
    "violated": "violated(norm(args)): the norm is active and not complied with",
    "defeated": "defeated(norm(args)): a norm that prevails over it is active",
    "compliant": "compliant(actor): the actor violates none of its active norms",
    "day_of": "day_of(event(args)): the day the event happens",
    "effective": "effective(power(args)): the power was exercised and has taken effect",
    "lawful": "lawful(event(args), order): the act violates no norm of the legal order",
    "nature": "nature: controls what no party decides (facts of the world)",
}

_KIND = {
    ast.InstrumentDecl: "instrument",
    ast.OrderDecl: "order",
    ast.DomainDecl: "domain",
    ast.InputDecl: "input",
    ast.EventDecl: "event",
    ast.DefineDecl: "definition",
    ast.AssumeDecl: "assumption",
    ast.StateDecl: "state",
    ast.PowerDecl: "power",
    ast.FactDecl: "fact",
    ast.ClaimDecl: "claim",
    ast.ScenarioDecl: "scenario",
    ast.InterpretationDecl: "interpretation",
}


def decl_kind(d: ast.Decl) -> str:
    if isinstance(d, ast.NormDecl):
        return d.kind
    return _KIND.get(type(d), "declaration")


@dataclass(frozen=True, slots=True)
class Definition:
    key: SymbolKey
    name: str
    kind: str  # a declaration kind, or value, rank, parameter, variable
    name_span: Span
    span: Span  # the whole declaration (for a parameter or variable: the declaration that binds it)
    decl: ast.Decl | None = None  # the declaration (for a value: its domain)
    reading: str | None = None  # the interpretation that holds it
    detail: str = ""  # `p: Party`, `value of Party`, ...


@dataclass(frozen=True, slots=True)
class Occurrence:
    key: SymbolKey
    span: Span
    declaration: bool = False


@dataclass
class SpecIndex:
    definitions: dict[SymbolKey, list[Definition]] = field(default_factory=dict)
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)  # by file, in source order
    modules: dict[str, ast.Module] = field(default_factory=dict)

    def occurrence_at(self, file: str, line: int, column: int) -> Occurrence | None:
        """The name at a position (1-based); a cursor just after a name is on it too."""
        found = self.occurrences.get(file, [])
        i = bisect.bisect_right(found, (line, column), key=lambda o: (o.span.line, o.span.column))
        for o in found[max(0, i - 1) : i + 1]:
            s = o.span
            if s.line == line and s.column <= column <= s.end_column:
                return o
        return None

    def definitions_of(self, key: SymbolKey) -> list[Definition]:
        return self.definitions.get(key, [])

    def references(self, key: SymbolKey, include_declarations: bool = True) -> list[Occurrence]:
        return [o for found in self.occurrences.values() for o in found if o.key == key and (include_declarations or not o.declaration)]

    def top_level(self, file: str) -> list[Definition]:
        """The declarations of one file, in order, each once (for an outline)."""
        module = self.modules.get(file)
        if module is None:
            return []
        out = []
        for d in module.decls:
            out.extend(self._own(d))
        return out

    def children(self, definition: Definition) -> list[Definition]:
        d = definition.decl
        if isinstance(d, ast.InterpretationDecl):
            return [x for inner in d.decls for x in self._own(inner)]
        if isinstance(d, ast.DomainDecl) and definition.kind == "domain":
            return [x for v in d.values for x in self.definitions_of(("global", v)) if x.decl is d]
        return []

    def _own(self, d: ast.Decl) -> list[Definition]:
        name = getattr(d, "name", None)
        if not isinstance(name, str):
            return []
        return [x for x in self.definitions_of(_key_of(d)) if x.decl is d]

    def global_names(self) -> list[Definition]:
        """One definition per global name, claim and interpretation (for completion)."""
        return [defs[0] for key, defs in self.definitions.items() if key[0] in ("global", "claim", "reading") and defs]

    def locals_at(self, file: str, line: int, column: int) -> list[Definition]:
        """The parameters and bound variables whose declaration holds the position."""
        pos = (line, column)
        out = []
        for key, defs in self.definitions.items():
            if key[0] != "local" or key[1] != file:
                continue
            for d in defs:
                s = d.span
                if (s.line, s.column) <= pos <= (s.end_line, s.end_column):
                    out.append(d)
        return out


def _key_of(d: ast.Decl) -> SymbolKey:
    name = getattr(d, "name", "")
    if isinstance(d, ast.ClaimDecl | ast.ScenarioDecl):
        return ("claim", name)
    if isinstance(d, ast.InterpretationDecl):
        return ("reading", name)
    return ("global", name)


def build_index(modules: Sequence[ast.Module], texts: dict[str, str]) -> SpecIndex:
    """The index of a spec: `modules` as parsed, `texts` the source text of each (by file name)."""
    builder = _Builder()
    for m in modules:
        builder.module(m, texts.get(m.file, ""))
    index = SpecIndex(builder.definitions, {}, {m.file: m for m in modules})
    for file, found in builder.occurrences.items():
        found.sort(key=lambda o: (o.span.line, o.span.column))
        index.occurrences[file] = found
    return index


class _Builder:
    def __init__(self) -> None:
        self.definitions: dict[SymbolKey, list[Definition]] = {}
        self.occurrences: dict[str, list[Occurrence]] = {}
        self.file = ""
        self.tokens: list[Token] = []
        self.starts: dict[tuple[int, int], int] = {}

    def module(self, m: ast.Module, text: str) -> None:
        self.file = m.file
        self.tokens = [t for t in scan(text) if t.kind != "comment"]
        self.starts = {(t.line, t.column): i for i, t in enumerate(self.tokens)}
        self.occurrences.setdefault(m.file, [])
        for d in m.decls:
            self.decl(d, None)

    # ---- recording ----
    def define(self, key: SymbolKey, name: str, kind: str, name_span: Span, span: Span, **extra: object) -> None:
        self.definitions.setdefault(key, []).append(Definition(key, name, kind, name_span, span, **extra))  # type: ignore[arg-type]
        self.use(key, name_span, declaration=True)

    def use(self, key: SymbolKey, span: Span, declaration: bool = False) -> None:
        if span.line > 0:
            self.occurrences.setdefault(span.file, []).append(Occurrence(key, span, declaration))

    # ---- tokens inside a declaration ----
    def _tokens_from(self, span: Span) -> Iterable[Token]:
        i = self.starts.get((span.line, span.column))
        if i is None:
            return
        end = (span.end_line, span.end_column)
        for t in self.tokens[i:]:
            if (t.line, t.column) >= end:
                return
            yield t

    def _span(self, t: Token) -> Span:
        return Span(self.file, t.line, t.column, t.end_line, t.end_column)

    def _name_after(self, span: Span, name: str) -> Span:
        """The span of the declared name: the first token that spells it (after the keyword)."""
        for t in self._tokens_from(span):
            if t.kind == "name" and t.text == name:
                return self._span(t)
        return Span(span.file, span.line, span.column, span.line, span.column)

    def _names_after_keyword(self, span: Span, keyword: str) -> list[list[Token]]:
        """For each `keyword` in the declaration, the names (and other words) that follow it up to the next keyword."""
        groups: list[list[Token]] = []
        current: list[Token] | None = None
        for t in self._tokens_from(span):
            if t.kind == "keyword":
                current = [] if t.text == keyword else None
                if current is not None:
                    groups.append(current)
            elif current is not None and t.kind == "name":
                current.append(t)
            elif current is not None and t.kind not in ("punctuation", "operator"):
                current = None
        return groups

    # ---- declarations ----
    def decl(self, d: ast.Decl, reading: str | None) -> None:
        if isinstance(d, ast.SpecDecl | ast.HorizonDecl):
            return
        if isinstance(d, ast.UseDecl):
            self.use(("file", posixpath.normpath(posixpath.join(posixpath.dirname(self.file), d.path))), d.span)
            return
        name = getattr(d, "name", None)
        if isinstance(name, str):
            self.define(_key_of(d), name, decl_kind(d), self._name_after(d.span, name), d.span, decl=d, reading=reading)
        env: dict[str, SymbolKey] = {}
        params: tuple[ast.Param, ...] = getattr(d, "params", ())
        for p in params:
            env[p.name] = self.param(p, d, name or "")
        citation = getattr(d, "citation", None)
        if isinstance(citation, ast.Citation):
            for t in self._tokens_from(citation.span):
                if t.kind == "name":
                    self.use(("global", t.text), self._span(t))
                    break
        match d:
            case ast.InstrumentDecl():
                if d.order is not None:
                    words = [t for t in self._tokens_from(d.order_span) if t.kind == "name"]
                    if words:
                        self.use(("global", d.order), self._span(words[0]))
                    if d.rank is not None and len(words) > 1:
                        self.use(("rank", d.order, d.rank), self._span(words[1]))
            case ast.OrderDecl():
                for group in self._names_after_keyword(d.span, "ranks"):
                    for t in group:
                        self.define(("rank", d.name, t.text), t.text, "rank", self._span(t), d.span, decl=d, reading=reading)
            case ast.DomainDecl():
                for value, span in zip(d.values, d.value_spans, strict=False):
                    self.define(("global", value), value, "value", span, d.span, decl=d, reading=reading, detail=f"value of {d.name}")
            case ast.InputDecl() | ast.EventDecl():
                self.controller(d.controller, d.controller_span, env)
                if isinstance(d, ast.InputDecl) and isinstance(d.type, ast.NamedType):
                    self.type_ref(d.type)
            case ast.DefineDecl():
                self.expr(d.body, env)
            case ast.AssumeDecl():
                self.expr(d.body, env)
            case ast.StateDecl():
                self.expr(d.initially, env)
            case ast.NormDecl():
                for e in (d.bearer, d.when, d.binds_from, d.binds_until, d.content):
                    if e is not None:
                        self.expr(e, env)
                for group in self._names_after_keyword(d.span, "overrides"):
                    for t in group:
                        self.use(("global", t.text), self._span(t))
            case ast.PowerDecl():
                for e in (d.holder, d.act, d.when, d.delay, d.revocation, *(target for _, target in d.effects)):
                    if e is not None:
                        self.expr(e, env)
            case ast.FactDecl():
                for _, target in d.effects:
                    self.expr(target, env)
            case ast.ClaimDecl():
                self.expr(d.body, env)
                for group in self._names_after_keyword(d.span, "under"):
                    for t in group[:1]:
                        self.use(("reading", t.text), self._span(t))
            case ast.ScenarioDecl():
                for e in (*d.givens, *d.expectations):
                    self.expr(e, env)
            case ast.InterpretationDecl():
                for inner in d.decls:
                    self.decl(inner, d.name)

    def param(self, p: ast.Param, owner: ast.Decl, owner_name: str) -> SymbolKey:
        key: SymbolKey = ("local", self.file, str(p.span.line), str(p.span.column))
        name_span = Span(p.span.file, p.span.line, p.span.column, p.span.line, p.span.column + len(p.name))
        type_text = p.type.name if isinstance(p.type, ast.NamedType) else f"{p.type.low}..{p.type.high}"
        self.define(
            key, p.name, "parameter", name_span, owner.span, decl=owner, detail=f"{p.name}: {type_text} (parameter of {owner_name})"
        )
        if isinstance(p.type, ast.NamedType):
            self.type_ref(p.type)
        return key

    def type_ref(self, t: ast.NamedType) -> None:
        if t.name != "day":
            self.use(("global", t.name), t.span)

    def controller(self, name: str, span: Span, env: dict[str, SymbolKey]) -> None:
        self.use(env.get(name) or (("builtin", name) if name == "nature" else ("global", name)), span)

    # ---- expressions ----
    def expr(self, e: ast.Expr, env: dict[str, SymbolKey]) -> None:
        match e:
            case ast.Name(name=n):
                self.use(self.resolve(n, env), e.span)
            case ast.Call(name=n, args=args):
                self.use(self.resolve(n, env), e.name_span)
                for a in args:
                    self.expr(a, env)
            case ast.Quant(binders=binders, where=where, body=body) | ast.Count(binders=binders, where=where, body=body):
                inner = dict(env)
                for b in binders:
                    key: SymbolKey = ("local", self.file, str(b.span.line), str(b.span.column))
                    self.define(key, b.name, "variable", b.span, e.span, detail=f"{b.name} in {b.domain}")
                    self.use(("global", b.domain), b.domain_span)
                    inner[b.name] = key
                for part in (where, body):
                    if part is not None:
                        self.expr(part, inner)
            case ast.InOrder(query=query, order=order, day=day):
                self.use(("global", order), e.order_span)
                for part in (query, day):
                    if part is not None:
                        self.expr(part, env)
            case _:
                for child in _children(e):
                    self.expr(child, env)

    @staticmethod
    def resolve(name: str, env: dict[str, SymbolKey]) -> SymbolKey:
        if name in env:
            return env[name]
        if name in BUILTIN_DOCS:
            return ("builtin", name)
        return ("global", name)


def _children(e: ast.Expr) -> tuple[ast.Expr, ...]:
    match e:
        case ast.Not(operand=x) | ast.Neg(operand=x):
            return (x,)
        case ast.And(items=items) | ast.Or(items=items):
            return items
        case ast.Implies(left=a, right=b) | ast.Iff(left=a, right=b) | ast.Compare(left=a, right=b) | ast.Arith(left=a, right=b):
            return (a, b)
        case ast.At(state=a, day=b):
            return (a, b)
        case ast.Ite(cond=c, then=t, other=o):
            return (c, t, o)
    return ()
