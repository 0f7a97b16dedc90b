"""Expressions, types and citations as layout documents: parentheses only where the grammar needs them.

Levels follow grammar.lark, loosest first; an operand looser than its position allows is put in
parentheses, so the printed text parses back to the same tree.
"""

from __future__ import annotations

import re

from treaty_dsl import ast
from treaty_dsl.layout import LINE, SOFTLINE, Doc, Group, Mark, Nest, join
from treaty_dsl.span import Span
from treaty_dsl.tokens import keywords

EXPR, IMPLIES, IFF, OR, AND, NOT, CMP, SUM, PRODUCT, UNARY, ATOM = range(11)

INDENT = 2


def level(e: ast.Expr) -> int:
    match e:
        case ast.Quant() | ast.Ite():
            return EXPR
        case ast.Implies():
            return IMPLIES
        case ast.Iff():
            return IFF
        case ast.Or():
            return OR
        case ast.And():
            return AND
        case ast.Not():
            return NOT
        case ast.Compare() | ast.At() | ast.InOrder():
            return CMP
        case ast.Arith(op=op):
            return SUM if op in "+-" else PRODUCT
        case ast.Neg():
            return UNARY
        case ast.IntLit(value=v) if v < 0:
            return UNARY
    return ATOM


def expr_doc(e: ast.Expr, at_least: int = EXPR) -> Doc:
    """`e` as a document, in parentheses when it is looser than `at_least`."""
    inner = _marked(e, _bare(e))
    if level(e) < at_least:
        return Group(["(", inner, ")"])
    return inner


def _marked(e: ast.Expr, doc: Doc) -> Doc:
    span = e.span
    if span.line <= 0:
        return doc
    return [Mark((span.line, span.column)), doc, Mark((span.end_line, span.end_column))]


def _bare(e: ast.Expr) -> Doc:
    match e:
        case ast.IntLit(value=v):
            return str(v)
        case ast.BoolLit(value=v):
            return "true" if v else "false"
        case ast.DateLit(text=t):
            return t
        case ast.Duration(amount=n, unit=unit):
            return f"{n} {unit[:-1] if n == 1 else unit}"
        case ast.Name(name=n):
            return n
        case ast.Call(name=n, args=args):
            return call_doc(n, [expr_doc(a) for a in args])
        case ast.Not(operand=x):
            return ["not ", expr_doc(x, NOT)]
        case ast.Neg(operand=x):
            return ["-", expr_doc(x, UNARY)]
        case ast.And(items=items):
            return _chain("and", [expr_doc(x, NOT) for x in items])
        case ast.Or(items=items):
            # `and` binds tighter, but a conjunction among disjuncts reads better in parentheses
            return _chain("or", [expr_doc(x, NOT if isinstance(x, ast.And) else AND) for x in items])
        case ast.Implies(left=a, right=b):
            return Group([expr_doc(a, IFF), LINE, "implies ", Nest(INDENT, expr_doc(b, IMPLIES))])
        case ast.Iff(left=a, right=b):
            return Group([expr_doc(a, OR), LINE, "iff ", Nest(INDENT, expr_doc(b, OR))])
        case ast.Compare(op=op, left=a, right=b):
            return [expr_doc(a, SUM), f" {op} ", expr_doc(b, SUM)]
        case ast.At(state=a, day=b):
            return [expr_doc(a, SUM), " at ", expr_doc(b, SUM)]
        case ast.InOrder(query=a, order=order, day=b):
            return [expr_doc(a, SUM), f" in {order}", *([" at ", expr_doc(b, SUM)] if b is not None else [])]
        case ast.Arith(op=op, left=a, right=b):
            own = SUM if op in "+-" else PRODUCT
            return [expr_doc(a, own), f" {op} ", expr_doc(b, own + 1)]
        case ast.Quant(kind=kind, binders=binders, where=where, body=body):
            head: list[Doc] = [kind, " ", binders_doc(binders)]
            if where is not None:
                head += [" where ", expr_doc(where, IMPLIES)]
            return Group([*head, ":", Nest(INDENT, [LINE, expr_doc(body)])])
        case ast.Count(binders=binders, where=where, body=body):
            head = ["count(", binders_doc(binders)]
            if where is not None:
                head += [" where ", expr_doc(where, IMPLIES)]
            return Group([*head, ":", Nest(INDENT, [LINE, expr_doc(body)]), ")"])
        case ast.Ite(cond=c, then=t, other=o):
            return Group(["if ", expr_doc(c), Nest(INDENT, [LINE, "then ", expr_doc(t), LINE, "else ", expr_doc(o)])])
    raise AssertionError(f"unhandled expression {e!r}")


def _chain(op: str, items: list[Doc]) -> Doc:
    out: list[Doc] = [items[0]]
    for item in items[1:]:
        out += [LINE, f"{op} ", item]
    return Group(out)


def call_doc(name: str, args: list[Doc]) -> Doc:
    return Group([name, "(", Nest(INDENT, [SOFTLINE, join([",", LINE], args)]), SOFTLINE, ")"])


def binders_doc(binders: tuple[ast.Binder, ...]) -> Doc:
    return join(", ", [[_span_mark(b.span), f"{b.name} in {b.domain}"] for b in binders])


def _span_mark(span: Span) -> Doc:
    return Mark((span.line, span.column)) if span.line > 0 else []


def type_text(t: ast.TypeExpr) -> str:
    if isinstance(t, ast.RangeType):
        return f"{t.low}..{t.high}"
    return t.name


def params_text(params: tuple[ast.Param, ...]) -> str:
    if not params:
        return ""
    return "(" + ", ".join(f"{p.name}: {type_text(p.type)}" for p in params) + ")"


def string(text: str) -> str:
    """A string literal that reads back as `text`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


_UNIT = re.compile(r"(days?|months?|years?)")


def _locator_value(value: str) -> str:
    if value.isascii() and value.isdigit():
        return value
    if value.isidentifier() and value.isascii() and value not in keywords() and not _UNIT.fullmatch(value):
        return value
    return string(value)


def citation_text(c: ast.Citation) -> str:
    parts = ["cite", c.instrument]
    for kind, value in c.locators:
        parts += [kind, _locator_value(value)]
    parts += ["quote" if c.quoted else "paraphrase", string(c.text)]
    return " ".join(parts)


def citation_doc(c: ast.Citation) -> Doc:
    return [_span_mark(c.span), citation_text(c), Mark((c.span.end_line, c.span.end_column)) if c.span.line > 0 else []]
