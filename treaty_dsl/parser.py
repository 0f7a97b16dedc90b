"""Text to AST: decoding, the LALR parser (built once per process), and syntax diagnostics."""

from __future__ import annotations

import codecs
import contextvars
from functools import cache, lru_cache
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from treaty_dsl import ast, parse_tables
from treaty_dsl.diagnostics import SpecError, error
from treaty_dsl.span import NO_SPAN, Span

MAX_SOURCE_BYTES = 16 * 1024 * 1024
MAX_NESTING = 200

_TOKEN_NAMES = {
    "NAME": "a name",
    "INT": "a whole number",
    "STRING": 'a quoted string ("...")',
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COLON": "`:`",
    "COMMA": "`,`",
    "EQUAL": "`=`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "CMP_OP": "a comparison",
    "ADD_OP": "`+` or `-`",
    "MUL_OP": "`*` or `/`",
    "MINUS": "`-`",
    "$END": "the end of the file",
}


_CURRENT_FILE: contextvars.ContextVar[str] = contextvars.ContextVar("treaty_current_file", default="<input>")


@cache
def _parser() -> Lark:
    """The LALR parser: from the shipped tables when they fit the grammar (see `parse_tables`)."""
    grammar = parse_tables.grammar_text()
    return parse_tables.load(grammar) or parse_tables.build(grammar)


def decode_source(data: bytes, file: str) -> str:
    """Bytes to text: UTF-8 (a BOM is dropped), CRLF folded; anything else is a diagnostic."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SpecError([error("E0010", f"file is too large ({len(data)} bytes; the limit is {MAX_SOURCE_BYTES})", Span(file, 1, 1, 1, 1))])
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SpecError([error("E0011", "file contains NUL bytes; is it a binary file?", Span(file, line, 1, line, 2))])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SpecError(
            [
                error(
                    "E0012",
                    f"invalid UTF-8 byte 0x{data[exc.start]:02x}; spec files must be UTF-8 text",
                    Span(file, line, col, line, col + 1),
                )
            ]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=32)
def parse_module(text: str, file: str) -> ast.Module:
    """One file to its AST. Cached: a spec checked under several readings is parsed once (the AST is immutable)."""
    tree = _parse(text, file, "start")
    assert isinstance(tree, ast.Module)
    return tree


def parse_formula(text: str, file: str = "<command line>") -> ast.Expr:
    tree = _parse(text, file, "formula")
    return tree  # type: ignore[no-any-return]


def _parse(text: str, file: str, start: str) -> Any:
    _check_nesting(text, file)
    token = _CURRENT_FILE.set(file)
    try:
        tree = _parser().parse(text, start=start)
        # The LALR parse is iterative; the transformer and every later stage recurse, so the
        # tree's depth is measured (iteratively) before anything walks it recursively.
        _check_depth(tree, file)
        return _Builder().transform(tree)
    except UnexpectedInput as exc:
        raise SpecError([_syntax_diagnostic(exc, text, file)]) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, SpecError):
            raise exc.orig_exc from None
        raise
    finally:
        _CURRENT_FILE.reset(token)


def _check_depth(root: Any, file: str) -> None:
    """Iteratively measure the tree so that later (recursive) stages never meet an over-deep one."""
    stack: list[tuple[Tree[Token], int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            line = getattr(meta, "line", 1)
            col = getattr(meta, "column", 1)
            raise SpecError([_too_deep(file, line, col)])
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def _check_nesting(text: str, file: str) -> None:
    """Refuse absurdly deep nesting before the parser and later stages have to recurse over it."""
    depth = 0
    line, col = 1, 0
    in_string = in_comment = False
    prefix_run = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
            in_comment = False
            in_string = False
        elif in_comment:
            pass
        elif in_string:
            if ch == "\\":
                i += 1
                col += 1
            elif ch == '"':
                in_string = False
        elif ch == "#":
            in_comment = True
        elif ch == '"':
            in_string = True
        elif ch == "(":
            depth += 1
            if depth > MAX_NESTING:
                raise SpecError([_too_deep(file, line, col)])
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "-" or (ch == "n" and text.startswith("not", i) and _word_at(text, i, 3)):
            prefix_run += 1
            if prefix_run > MAX_NESTING:
                raise SpecError([_too_deep(file, line, col)])
            if ch == "n":
                i += 2
                col += 2
        elif not ch.isspace():
            prefix_run = 0
        i += 1


def _word_at(text: str, i: int, length: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + length] if i + length < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _too_deep(file: str, line: int, col: int) -> Any:
    return error(
        "E0013",
        f"expression nested more than {MAX_NESTING} levels deep",
        Span(file, line, col, line, col + 1),
        help="split the expression into named definitions",
    )


def _syntax_diagnostic(exc: UnexpectedInput, text: str, file: str) -> Any:
    line = getattr(exc, "line", 1) or 1
    col = getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        lines = text.split("\n")
        line = len(lines)
        col = len(lines[-1]) + 1
        expected = _expected(getattr(exc, "expected", None) or getattr(exc, "accepts", None) or set())
        return error("E0003", f"unexpected end of file; expected {expected}", Span(file, line, col, line, col + 1))
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        ch = text[pos] if pos < len(text) else ""
        if ch == '"':
            return error(
                "E0004", "unterminated string", Span(file, line, col, line, col + 1), help='close the string with `"` on the same line'
            )
        shown = ch if ch.isprintable() else repr(ch)
        return error("E0001", f"unexpected character `{shown}`", Span(file, line, col, line, col + 1), help=_char_help(ch))
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    expected = _expected(exc.accepts or exc.expected)
    width = max(1, len(str(token)))
    span = Span(file, line, col, line, col + width)
    value = str(token)
    if token.type == "NAME" and value in _parser_keywords():
        msg = f"`{value}` is a keyword and cannot be used here; expected {expected}"
    else:
        msg = f"unexpected `{value}`; expected {expected}"
    before = text[: token.start_pos].rstrip() if token.start_pos is not None else ""
    unit = _OTHER_UNITS.get(value.lower()) if before[-1:].isdigit() else None  # `2 weeks`, not a name `hour`
    return error("E0002", msg, span, help=f"durations are counted in days, months or years: {unit}" if unit else None)


# Units of time a duration cannot have, with what to write instead.
_OTHER_UNITS = {
    "week": "1 week is `7 days`",
    "weeks": "N weeks are `7 * N` days (`14 days` for 2 weeks)",
    "fortnight": "a fortnight is `14 days`",
    "quarter": "a quarter is `3 months`",
    "quarters": "a quarter is `3 months`",
    "decade": "a decade is `10 years`",
    "decades": "a decade is `10 years`",
    "hour": "the smallest unit is the day",
    "hours": "the smallest unit is the day (48 hours: `2 days`)",
    "minute": "the smallest unit is the day",
    "minutes": "the smallest unit is the day",
}


def _named_body(items: list[Any]) -> tuple[str, tuple[ast.Param, ...], ast.Expr, ast.Citation | None]:
    """`NAME [(params)] ... EXPR [cite ...]`, the parts of a definition and of a state."""
    rest = list(items[1:])
    params: tuple[ast.Param, ...] = rest.pop(0) if rest and isinstance(rest[0], tuple) else ()
    citation = rest.pop() if rest and isinstance(rest[-1], ast.Citation) else None
    return str(items[0]), params, rest[0], citation


def _char_help(ch: str) -> str | None:
    if ch in "&|":
        return "write `and` / `or`"
    if ch == "!":
        return "write `not`, or `!=` for 'is not equal to'"
    if ch in "'`":
        return 'strings use double quotes: "..."'
    return None


@cache
def _parser_keywords() -> frozenset[str]:
    return frozenset(t.pattern.value for t in _parser().terminals if t.pattern.type == "str" and t.pattern.value.isidentifier())


def _expected(names: set[str] | frozenset[str]) -> str:
    terminals = {t.name: t for t in _parser().terminals}
    shown: set[str] = set()
    for name in names:
        if name in _TOKEN_NAMES:
            shown.add(_TOKEN_NAMES[name])
            continue
        term = terminals.get(name)
        if term is not None and term.pattern.type == "str":
            shown.add(f"`{term.pattern.value}`")
        else:
            shown.add(name.lower())
    items = sorted(shown)
    if len(items) > 8:
        items = items[:8] + ["..."]
    return ", ".join(items) if items else "something else"


def _span(file: str, meta: Any) -> Span:
    if getattr(meta, "empty", True):
        return Span(file, 1, 1, 1, 1)
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_span(file: str, tok: Token) -> Span:
    return Span(file, tok.line or 1, tok.column or 1, tok.end_line or tok.line or 1, tok.end_column or tok.column or 1)


def _unquote(tok: Token) -> str:
    raw = str(tok)[1:-1]
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


_MAX_INT = 10**15


@v_args(meta=True)
class _Builder(Transformer[Token, Any]):
    """Lark tree to AST. Positions come from `meta`; every node gets its span."""

    @property
    def file(self) -> str:
        return _CURRENT_FILE.get()

    def s(self, meta: Any) -> Span:
        return _span(self.file, meta)

    # -- top level --
    def start(self, meta: Any, items: list[Any]) -> ast.Module:
        return ast.Module(self.file, tuple(items))

    def formula(self, meta: Any, items: list[Any]) -> Any:
        return items[0]

    def spec_decl(self, meta: Any, items: list[Any]) -> ast.SpecDecl:
        return ast.SpecDecl(_unquote(items[0]), self.s(meta))

    def use_decl(self, meta: Any, items: list[Any]) -> ast.UseDecl:
        return ast.UseDecl(_unquote(items[0]), self.s(meta))

    def instrument_decl(self, meta: Any, items: list[Any]) -> ast.InstrumentDecl:
        source, source_span = next(((x[1], x[2]) for x in items[2:] if x[0] == "source"), (None, NO_SPAN))
        placed = next((x[1:] for x in items[2:] if x[0] == "order"), None)
        if placed is not None:
            order, rank, dated, span = placed
            return ast.InstrumentDecl(str(items[0]), _unquote(items[1]), self.s(meta), order, rank, dated, span, source, source_span)
        return ast.InstrumentDecl(str(items[0]), _unquote(items[1]), self.s(meta), source=source, source_span=source_span)

    def instrument_source(self, meta: Any, items: list[Any]) -> tuple[str, str, Span]:
        return ("source", _unquote(items[0]), self.s(meta))

    def instrument_order(self, meta: Any, items: list[Any]) -> tuple[str, str, str | None, str | None, Span]:
        names = [str(t) for t in items if isinstance(t, Token)]
        dated = next((x for x in items if isinstance(x, ast.DateLit)), None)
        return ("order", names[0], names[1] if len(names) > 1 else None, dated.text if dated else None, self.s(meta))

    def dated(self, meta: Any, items: list[Any]) -> ast.DateLit:
        return ast.DateLit(str(items[0]), self.s(meta))

    # -- time, powers, orders, interpretations --
    def horizon_decl(self, meta: Any, items: list[Any]) -> ast.HorizonDecl:
        return ast.HorizonDecl(str(items[0]), str(items[1]), self.s(meta))

    def event_decl(self, meta: Any, items: list[Any]) -> ast.EventDecl:
        d = self.input_decl(meta, items)  # the same parts as an input, without a type
        return ast.EventDecl(d.name, d.params, d.controller, d.citation, d.span, d.controller_span)

    def state_decl(self, meta: Any, items: list[Any]) -> ast.StateDecl:
        return ast.StateDecl(*_named_body(items), self.s(meta))

    def power_decl(self, meta: Any, items: list[Any]) -> ast.PowerDecl:
        name = str(items[0])
        rest = list(items[1:])
        params: tuple[ast.Param, ...] = ()
        if isinstance(rest[0], tuple) and all(isinstance(x, ast.Param) for x in rest[0]):
            params = rest.pop(0)
        citation = rest.pop(0)
        holder = rest.pop(0)[1]
        act = rest.pop(0)
        when = rest.pop(0)[1] if rest and isinstance(rest[0], tuple) and rest[0][0] == "when" else None
        delay: Any = rest.pop(0)[1]
        effect_on = None
        if isinstance(delay, tuple) and delay[0] == "on":
            delay, effect_on = None, delay[1]
        effects: list[tuple[ast.EffectKind, Any]] = []
        revocation = revocation_citation = None
        for item in rest:
            if item[0] == "revocable":
                revocation, revocation_citation = item[1], item[2]
            else:
                effects.append(item)
        return ast.PowerDecl(
            name, params, citation, holder, act, when, delay, tuple(effects), revocation, self.s(meta), effect_on, revocation_citation
        )

    def fact_decl(self, meta: Any, items: list[Any]) -> ast.FactDecl:
        name, citation, day = str(items[0]), items[1], str(items[2])
        return ast.FactDecl(name, citation, day, tuple(items[3:]), self.s(meta))

    def holder_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("holder", items[0])

    def immediately(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("delay", None)

    def after(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("delay", items[0])

    def starts(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("starts", items[0])

    def ends(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("ends", items[0])

    def revocable(self, meta: Any, items: list[Any]) -> tuple[str, Any, Any]:
        return ("revocable", items[0], items[1] if len(items) > 1 else None)

    def effect_on(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("delay", ("on", items[0]))

    def order_decl(self, meta: Any, items: list[Any]) -> ast.OrderDecl:
        name = str(items[0])
        title = None
        ranks: tuple[tuple[str, ...], ...] = ()
        citation = None
        for item in items[1:]:
            if isinstance(item, Token):
                title = _unquote(item)
            elif isinstance(item, ast.Citation):
                citation = item
            else:
                ranks = item
        return ast.OrderDecl(name, title, ranks, self.s(meta), citation)

    def ranks(self, meta: Any, items: list[Any]) -> tuple[tuple[str, ...], ...]:
        return tuple(items)

    def rank_group(self, meta: Any, items: list[Any]) -> tuple[str, ...]:
        return tuple(str(t) for t in items)

    def interpretation_decl(self, meta: Any, items: list[Any]) -> ast.InterpretationDecl:
        return ast.InterpretationDecl(str(items[0]), _unquote(items[1]), tuple(items[2:]), self.s(meta))

    def duration(self, meta: Any, items: list[Any]) -> ast.Duration:
        word = str(items[1])
        unit = "years" if word.startswith("year") else "months" if word.startswith("month") else "days"
        return ast.Duration(self._int(items[0]), unit, self.s(meta))  # type: ignore[arg-type]

    def date_lit(self, meta: Any, items: list[Any]) -> ast.DateLit:
        return ast.DateLit(str(items[0]), self.s(meta))

    def at_expr(self, meta: Any, items: list[Any]) -> ast.At:
        return ast.At(items[0], items[1], self.s(meta))

    def day_type(self, meta: Any, items: list[Any]) -> ast.NamedType:
        return ast.NamedType("day", self.s(meta))

    def overrides_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any, Any]:
        citation = items[-1] if items and isinstance(items[-1], ast.Citation) else None
        return ("overrides", tuple(str(t) for t in items if not isinstance(t, ast.Citation)), citation)

    def claim_expect(self, meta: Any, items: list[Any]) -> tuple[str, str | None]:
        return (items[0], items[1] if len(items) > 1 else None)

    def under(self, meta: Any, items: list[Any]) -> str:
        return str(items[0])

    def domain_decl(self, meta: Any, items: list[Any]) -> ast.DomainDecl:
        toks: list[Token] = items[1]
        return ast.DomainDecl(str(items[0]), tuple(str(t) for t in toks), self.s(meta), tuple(_tok_span(self.file, t) for t in toks))

    def name_list(self, meta: Any, items: list[Any]) -> list[Token]:
        return items

    def input_decl(self, meta: Any, items: list[Any]) -> ast.InputDecl:
        name = str(items[0])
        params: tuple[ast.Param, ...] = ()
        type_: ast.TypeExpr | None = None
        controller: Token | None = None
        citation: ast.Citation | None = None
        for item in items[1:]:
            if isinstance(item, tuple):
                params = item
            elif isinstance(item, ast.NamedType | ast.RangeType):
                type_ = item
            elif isinstance(item, ast.Citation):
                citation = item
            elif isinstance(item, Token):
                controller = item
        assert controller is not None
        return ast.InputDecl(name, params, type_, str(controller), citation, self.s(meta), _tok_span(self.file, controller))

    def controller(self, meta: Any, items: list[Any]) -> Token:
        return items[0]  # type: ignore[no-any-return]

    def define_decl(self, meta: Any, items: list[Any]) -> ast.DefineDecl:
        return ast.DefineDecl(*_named_body(items), self.s(meta))

    def assume_decl(self, meta: Any, items: list[Any]) -> ast.AssumeDecl:
        name: str | None = None
        rest = list(items)
        if rest and isinstance(rest[0], str) and not isinstance(rest[0], Token):
            name = rest.pop(0)
        citation = rest.pop() if rest and isinstance(rest[-1], ast.Citation) else None
        return ast.AssumeDecl(name, rest[0], citation, self.s(meta))

    def assume_name(self, meta: Any, items: list[Any]) -> str:
        return str(items[0])

    def obligation(self, meta: Any, items: list[Any]) -> str:
        return "obligation"

    def prohibition(self, meta: Any, items: list[Any]) -> str:
        return "prohibition"

    def permission(self, meta: Any, items: list[Any]) -> str:
        return "permission"

    def norm_decl(self, meta: Any, items: list[Any]) -> ast.NormDecl:
        kind = items[0]
        name = str(items[1])
        rest = items[2:]
        params: tuple[ast.Param, ...] = ()
        if isinstance(rest[0], tuple):
            params = rest.pop(0)
        citation = rest.pop(0)
        bearer = rest.pop(0)[1]
        overrides: tuple[str, ...] = ()
        overrides_citation = None
        if isinstance(rest[-1], tuple) and rest[-1] and rest[-1][0] == "overrides":
            _, overrides, overrides_citation = rest.pop()
        clauses = {item[0]: item[1] for item in rest[:-1]}
        when, binds_from, binds_until = clauses.get("when"), clauses.get("from"), clauses.get("until")
        return ast.NormDecl(
            kind, name, params, citation, bearer, when, rest[-1], self.s(meta), overrides, binds_from, binds_until, overrides_citation
        )

    def from_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("from", items[0])

    def until_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("until", items[0])

    def in_order(self, meta: Any, items: list[Any]) -> ast.InOrder:
        return ast.InOrder(items[0], str(items[1]), None, self.s(meta), _tok_span(self.file, items[1]))

    def in_order_at(self, meta: Any, items: list[Any]) -> ast.InOrder:
        return ast.InOrder(items[0], str(items[1]), items[2], self.s(meta), _tok_span(self.file, items[1]))

    def bearer_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("bearer", items[0])

    def when_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("when", items[0])

    def holds(self, meta: Any, items: list[Any]) -> str:
        return "holds"

    def fails(self, meta: Any, items: list[Any]) -> str:
        return "fails"

    def claim_decl(self, meta: Any, items: list[Any]) -> ast.ClaimDecl:
        name = str(items[0])
        rest = list(items[1:])
        text = _unquote(rest.pop(0)) if isinstance(rest[0], Token) and rest[0].type == "STRING" else None
        body = rest.pop(0)
        expected = next((v for v, r in rest if r is None), None)
        under = tuple((r, v) for v, r in rest if r is not None)
        return ast.ClaimDecl(name, text, body, expected, self.s(meta), under)

    def scenario_decl(self, meta: Any, items: list[Any]) -> ast.ScenarioDecl:
        name = str(items[0])
        rest = items[1:]
        text = None
        if rest and isinstance(rest[0], Token):
            text = _unquote(rest.pop(0))
        givens = tuple(x[1] for x in rest if x[0] == "given")
        expects = tuple(x[1] for x in rest if x[0] == "expect")
        return ast.ScenarioDecl(name, text, givens, expects, self.s(meta))

    def given_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("given", items[0])

    def expectation(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("expect", items[0])

    # -- parameters, types, citations --
    def params(self, meta: Any, items: list[Any]) -> tuple[ast.Param, ...]:
        return tuple(items)

    def param(self, meta: Any, items: list[Any]) -> ast.Param:
        return ast.Param(str(items[0]), items[1], self.s(meta))

    def named_type(self, meta: Any, items: list[Any]) -> ast.NamedType:
        return ast.NamedType(str(items[0]), self.s(meta))

    def range_type(self, meta: Any, items: list[Any]) -> ast.RangeType:
        return ast.RangeType(self._int(items[0]), self._int(items[1]), self.s(meta))

    def neg_range_type(self, meta: Any, items: list[Any]) -> ast.RangeType:
        return ast.RangeType(-self._int(items[0]), self._int(items[1]), self.s(meta))

    def citation(self, meta: Any, items: list[Any]) -> ast.Citation:
        instrument = str(items[0])
        locators = tuple(x for x in items[1:-2])
        quoted = items[-2] == "quote"
        return ast.Citation(instrument, locators, quoted, _unquote(items[-1]), self.s(meta))

    def locator(self, meta: Any, items: list[Any]) -> tuple[str, str]:
        value = items[1]
        text = _unquote(value) if isinstance(value, Token) and value.type == "STRING" else str(value)
        return (str(items[0]), text)

    def article(self, meta: Any, items: list[Any]) -> str:
        return "article"

    def section(self, meta: Any, items: list[Any]) -> str:
        return "section"

    def subsection(self, meta: Any, items: list[Any]) -> str:
        return "subsection"

    def paragraph(self, meta: Any, items: list[Any]) -> str:
        return "paragraph"

    def clause(self, meta: Any, items: list[Any]) -> str:
        return "clause"

    def point(self, meta: Any, items: list[Any]) -> str:
        return "point"

    def quote(self, meta: Any, items: list[Any]) -> str:
        return "quote"

    def paraphrase(self, meta: Any, items: list[Any]) -> str:
        return "paraphrase"

    def quote_kind(self, meta: Any, items: list[Any]) -> str:
        return items[0]  # type: ignore[no-any-return]

    # -- expressions --
    def _int(self, tok: Token) -> int:
        text = str(tok)
        digits = text.lstrip("0") or "0"  # the length test keeps int() away from 100,000-digit strings
        if len(digits) > 16 or int(digits) > _MAX_INT:
            raise SpecError(
                [
                    error(
                        "E0005",
                        f"number {text[:20]}{'...' if len(text) > 20 else ''} is too large (limit {_MAX_INT})",
                        _tok_span(self.file, tok),
                    )
                ]
            )
        return int(digits)

    def int_lit(self, meta: Any, items: list[Any]) -> ast.IntLit:
        return ast.IntLit(self._int(items[0]), self.s(meta))

    def true_lit(self, meta: Any, items: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True, self.s(meta))

    def false_lit(self, meta: Any, items: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False, self.s(meta))

    def name_ref(self, meta: Any, items: list[Any]) -> ast.Name:
        return ast.Name(str(items[0]), self.s(meta))

    def call(self, meta: Any, items: list[Any]) -> ast.Call:
        return ast.Call(str(items[0]), tuple(items[1]), self.s(meta), _tok_span(self.file, items[0]))

    def args(self, meta: Any, items: list[Any]) -> list[Any]:
        return items

    def not_(self, meta: Any, items: list[Any]) -> ast.Not:
        return ast.Not(items[0], self.s(meta))

    def neg(self, meta: Any, items: list[Any]) -> ast.Expr:
        operand = items[0]
        if isinstance(operand, ast.IntLit):
            return ast.IntLit(-operand.value, self.s(meta))
        return ast.Neg(operand, self.s(meta))

    def and_(self, meta: Any, items: list[Any]) -> ast.And:
        return ast.And(tuple(items), self.s(meta))

    def or_(self, meta: Any, items: list[Any]) -> ast.Or:
        return ast.Or(tuple(items), self.s(meta))

    def implies(self, meta: Any, items: list[Any]) -> ast.Implies:
        return ast.Implies(items[0], items[1], self.s(meta))

    def iff(self, meta: Any, items: list[Any]) -> ast.Iff:
        return ast.Iff(items[0], items[1], self.s(meta))

    def compare(self, meta: Any, items: list[Any]) -> ast.Compare:
        return ast.Compare(str(items[1]), items[0], items[2], self.s(meta))  # type: ignore[arg-type]

    def arith(self, meta: Any, items: list[Any]) -> ast.Arith:
        return ast.Arith(str(items[1]), items[0], items[2], self.s(meta))  # type: ignore[arg-type]

    def every(self, meta: Any, items: list[Any]) -> str:
        return "every"

    def some(self, meta: Any, items: list[Any]) -> str:
        return "some"

    def no(self, meta: Any, items: list[Any]) -> str:
        return "no"

    def binders(self, meta: Any, items: list[Any]) -> tuple[ast.Binder, ...]:
        return tuple(b for group in items for b in group)

    def binder(self, meta: Any, items: list[Any]) -> list[ast.Binder]:
        domain = items[-1]
        dspan = _tok_span(self.file, domain)
        return [ast.Binder(str(t), str(domain), _tok_span(self.file, t), dspan) for t in items[:-1]]

    def where_clause(self, meta: Any, items: list[Any]) -> tuple[str, Any]:
        return ("where", items[0])

    def quant_expr(self, meta: Any, items: list[Any]) -> ast.Quant:
        where = items[2][1] if len(items) == 4 else None
        return ast.Quant(items[0], items[1], where, items[-1], self.s(meta))

    def count(self, meta: Any, items: list[Any]) -> ast.Count:
        where = items[1][1] if len(items) == 3 else None
        return ast.Count(items[0], where, items[-1], self.s(meta))

    def ite_expr(self, meta: Any, items: list[Any]) -> ast.Ite:
        return ast.Ite(items[0], items[1], items[2], self.s(meta))
