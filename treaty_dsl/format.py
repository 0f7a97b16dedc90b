"""The canonical layout of a spec (`treaty fmt`): the same tree always prints the same way.

Layout: one declaration per paragraph, its clauses (citation, bearer, when, ...) on their own
lines indented by two; an expression stays on its line while it fits the width and is broken
before `and`, `or`, `implies` and after a quantifier's `:` when it does not. Blank lines between
declarations are kept (a run of them becomes one); blank lines inside a declaration are not.

Comments are kept, next to the code they were written by: the printer reports the source
positions each output line holds, a comment on a line of its own goes before the line that holds
the first position after it, and a comment at the end of a line goes after the line that holds the
last position before it. Both rules find the same line again in formatted text, which is what
makes formatting idempotent. Consecutive lines that end in comments have them aligned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from treaty_dsl import ast
from treaty_dsl.format_expr import INDENT, citation_doc, expr_doc, params_text, string, type_text
from treaty_dsl.layout import HARDLINE, LINE, Doc, Group, Mark, Nest, Pos, render
from treaty_dsl.parser import parse_module
from treaty_dsl.tokens import Token, scan

DEFAULT_WIDTH = 120


@dataclass
class Comment:
    text: str
    pos: Pos
    trailing: bool  # written after code on its line


@dataclass
class Printed:
    """An output line and the comments that go before it and after it."""

    indent: int
    text: str
    marks: list[Pos] = field(default_factory=list)
    before: list[Comment] = field(default_factory=list)
    after: Comment | None = None


def format_text(text: str, file: str = "<input>", width: int = DEFAULT_WIDTH) -> str:
    """The canonical form of a spec; raises `SpecError` when it does not parse."""
    module = parse_module(text, file)
    tokens = scan(text)
    comments = _comments(tokens)
    lines = _Formatter(width, tokens).block(module.decls, comments, 0, (0, 0))
    return _join(lines, width)


def decl_text(decl: ast.Decl, width: int = DEFAULT_WIDTH) -> str:
    """One declaration in canonical form, without comments (for hovers and messages)."""
    formatter = _Formatter(width, [])
    return "\n".join(" " * p.indent + p.text for p in formatter.decl(decl, [], 0))


def expr_text(e: ast.Expr, width: int = DEFAULT_WIDTH, indent: int = 0) -> str:
    return "\n".join(" " * line.indent + line.text for line in render(expr_doc(e), width, indent))


def _comments(tokens: list[Token]) -> list[Comment]:
    out: list[Comment] = []
    last_code_line = 0
    for tok in tokens:
        if tok.kind == "comment":
            out.append(Comment(tok.text.rstrip(), (tok.line, tok.column), trailing=last_code_line == tok.line))
        else:
            last_code_line = tok.end_line
    return out


def _start(d: ast.Decl) -> Pos:
    return (d.span.line, d.span.column)


def _end(d: ast.Decl) -> Pos:
    return (d.span.end_line, d.span.end_column)


class _Formatter:
    def __init__(self, width: int, tokens: list[Token]) -> None:
        self.width = width
        self.tokens = tokens

    # ---- blocks: declarations, the comments between them, blank lines ----
    def block(self, decls: tuple[ast.Decl, ...], comments: list[Comment], indent: int, after: Pos) -> list[Printed | None]:
        """The lines of a sequence of declarations; `None` stands for a blank line."""
        out: list[Printed | None] = []
        pending = list(comments)
        previous_line = after[0]
        for d in decls:
            start, end = _start(d), _end(d)
            mine = [c for c in pending if start < c.pos and (c.pos < end or (c.trailing and c.pos[0] == end[0]))]
            loose = [c for c in pending if c.pos < start]
            pending = [c for c in pending if c not in mine and c not in loose]
            for c in loose:
                previous_line = _comment_line(out, c, indent, previous_line)
            _blank_line(out, previous_line, start[0])
            out.extend(self.decl(d, mine, indent))
            previous_line = end[0]
        for c in pending:
            previous_line = _comment_line(out, c, indent, previous_line)
        return out

    # ---- one declaration ----
    def decl(self, d: ast.Decl, comments: list[Comment], indent: int) -> list[Printed]:
        if isinstance(d, ast.InterpretationDecl):
            return self.interpretation(d, comments, indent)
        if isinstance(d, ast.DomainDecl):
            lines = self.domain(d, comments, indent)
            if lines is not None:
                return lines
        doc = [Mark(_start(d)), self.decl_doc(d), Mark(_end(d))]
        printed = [Printed(line.indent, line.text, line.marks) for line in render(doc, self.width, indent)]
        _attach(printed, comments)
        return printed

    def decl_doc(self, d: ast.Decl) -> Doc:
        match d:
            case ast.SpecDecl(title=title):
                return f"spec {string(title)}"
            case ast.UseDecl(path=path):
                return f"use {string(path)}"
            case ast.InstrumentDecl():
                text = f"instrument {d.name} {string(d.title)}"
                if d.order is not None:
                    text += f" in {d.order}" + (f" {d.rank}" if d.rank else "") + (f" dated {d.dated}" if d.dated else "")
                if d.source is not None:
                    text += f" source {string(d.source)}"
                return text
            case ast.DomainDecl(name=name, values=values):
                return f"domain {name} = {{{', '.join(values)}}}"
            case ast.HorizonDecl(start=start, end=end):
                return f"horizon from {start} to {end}"
            case ast.OrderDecl(name=name, title=title, ranks=ranks, citation=citation):
                text = f"order {name}" + (f" {string(title)}" if title is not None else "")
                if ranks:
                    text += " ranks " + " > ".join(" = ".join(group) for group in ranks)
                return [text, " ", citation_doc(citation)] if citation is not None else text
            case ast.InputDecl():
                head = f"input {d.name}{params_text(d.params)}" + (f": {type_text(d.type)}" if d.type else "") + f" by {d.controller}"
                return [head, self._clauses([], d.citation)]
            case ast.EventDecl():
                return [f"event {d.name}{params_text(d.params)} by {d.controller}", self._clauses([], d.citation)]
            case ast.DefineDecl():
                head = f"define {d.name}{params_text(d.params)} ="
                return [Group([head, Nest(INDENT, [LINE, expr_doc(d.body)])]), self._clauses([], d.citation)]
            case ast.StateDecl():
                head = f"state {d.name}{params_text(d.params)} initially"
                return [Group([head, Nest(INDENT, [LINE, expr_doc(d.initially)])]), self._clauses([], d.citation)]
            case ast.AssumeDecl():
                head = "assume " + (f"{d.name}: " if d.name else "")
                return [Group([head, Nest(INDENT, expr_doc(d.body))]), self._clauses([], d.citation)]
            case ast.NormDecl():
                clauses: list[Doc] = [self._clause("bearer", d.bearer)]
                if d.when is not None:
                    clauses.append(self._clause("when", d.when))
                if d.binds_from is not None:
                    clauses.append(self._clause("from", d.binds_from))
                if d.binds_until is not None:
                    clauses.append(self._clause("until", d.binds_until))
                clauses.append(self._clause("to", d.content))
                if d.overrides:
                    cited: list[Doc] = [" ", citation_doc(d.overrides_citation)] if d.overrides_citation else []
                    clauses.append(["overrides " + ", ".join(d.overrides), *cited])
                return [f"{d.kind} {d.name}{params_text(d.params)}", self._clauses(clauses, d.citation, citation_first=True)]
            case ast.PowerDecl():
                clauses = [self._clause("holder", d.holder), self._clause("by", d.act)]
                if d.when is not None:
                    clauses.append(self._clause("when", d.when))
                if d.effect_on is not None:
                    clauses.append(self._clause("takes effect on", d.effect_on))
                elif d.delay is None:
                    clauses.append("takes effect immediately")
                else:
                    clauses.append(["takes effect after ", expr_doc(d.delay)])
                clauses.extend(self._clause(kind, target) for kind, target in d.effects)
                if d.revocation is not None:
                    revocable = self._clause("revocable by", d.revocation)
                    clauses.append([revocable, " ", citation_doc(d.revocation_citation)] if d.revocation_citation else revocable)
                return [f"power {d.name}{params_text(d.params)}", self._clauses(clauses, d.citation, citation_first=True)]
            case ast.FactDecl():
                clauses = [f"on {d.day}", *(self._clause(kind, target) for kind, target in d.effects)]
                return [f"fact {d.name}", self._clauses(clauses, d.citation, citation_first=True)]
            case ast.ClaimDecl():
                expects = ([f"expect {d.expected}"] if d.expected else []) + [f"expect {v} under {r}" for r, v in d.under]
                body: list[Doc] = [expr_doc(d.body)]
                parts: list[Doc] = [f"claim {d.name}" + ("" if d.text is not None else ":")]
                if d.text is not None:
                    body = [self._string_mark(d.span, d.text), f"{string(d.text)}:", HARDLINE, *body]
                expect_lines: list[Doc] = [[HARDLINE, self._keyword_mark(d.span, "expect", i), e] for i, e in enumerate(expects)]
                parts.append(Nest(INDENT, [HARDLINE, *body, *expect_lines]))
                return parts
            case ast.ScenarioDecl():
                lines: list[Doc] = []
                if d.text is not None:
                    lines.append([self._string_mark(d.span, d.text), string(d.text)])
                lines.extend(self._clause("given", g) for g in d.givens)
                lines.extend(self._clause("expect", e) for e in d.expectations)
                return [f"scenario {d.name}", Nest(INDENT, [[HARDLINE, line] for line in lines])]
        raise AssertionError(f"unhandled declaration {d!r}")

    @staticmethod
    def _clause(keyword: str, e: ast.Expr) -> Doc:
        return [f"{keyword} ", Nest(INDENT, expr_doc(e))]

    @staticmethod
    def _clauses(clauses: list[Doc], citation: ast.Citation | None, citation_first: bool = False) -> Doc:
        lines = list(clauses)
        if citation is not None:
            lines.insert(0 if citation_first else len(lines), citation_doc(citation))
        return Nest(INDENT, [[HARDLINE, line] for line in lines])

    def _decl_tokens(self, span: ast.Span) -> list[Token]:
        start, end = (span.line, span.column), (span.end_line, span.end_column)
        return [t for t in self.tokens if start <= (t.line, t.column) < end]

    def _string_mark(self, span: ast.Span, text: str) -> Doc:
        """The position of a declaration's first string (a claim's or scenario's text)."""
        tok = next((t for t in self._decl_tokens(span) if t.kind == "string"), None)
        return Mark((tok.line, tok.column)) if tok else []

    def _keyword_mark(self, span: ast.Span, word: str, index: int) -> Doc:
        found = [t for t in self._decl_tokens(span) if t.kind == "keyword" and t.text == word]
        return Mark((found[index].line, found[index].column)) if index < len(found) else []

    # ---- declarations that hold comments of their own ----
    def domain(self, d: ast.DomainDecl, comments: list[Comment], indent: int) -> list[Printed] | None:
        inside = [c for c in comments if c.pos < _end(d)]
        one_line = self.decl_doc(d)
        assert isinstance(one_line, str)
        if not inside and indent + len(one_line) <= self.width:
            return None  # the general case lays it out on one line
        inner = indent + INDENT
        out = [Printed(indent, f"domain {d.name} = {{", [_start(d)])]
        first_value = _pos(d.value_spans[0]) if d.value_spans else _end(d)
        header_comments = [c for c in comments if c.trailing and c.pos[0] == d.span.line and c.pos < first_value]
        if header_comments:
            out[0].after = header_comments[-1]
            out[0].before = header_comments[:-1]
        rest = [c for c in comments if c not in header_comments]
        spans = list(d.value_spans) if len(d.value_spans) == len(d.values) else [d.span] * len(d.values)
        current: Printed | None = None
        for i, (value, span) in enumerate(zip(d.values, spans, strict=True)):
            own = [c for c in rest if not c.trailing and c.pos < _pos(span)]
            rest = [c for c in rest if c not in own]
            item = value + ("," if i < len(d.values) - 1 else "")
            if current is not None and (own or inner + len(current.text) + 1 + len(item) > self.width):
                out.append(current)
                current = None
            if current is None:
                current = Printed(inner, item, [_pos(span)], before=own)
            else:
                current.text += " " + item
                current.marks.append(_pos(span))
                current.before.extend(own)
            nxt = _pos(spans[i + 1]) if i + 1 < len(spans) else _end(d)
            trailing = [c for c in rest if c.trailing and c.pos < nxt]
            if trailing:
                rest = [c for c in rest if c not in trailing]
                current.before.extend(trailing[:-1])
                current.after = trailing[-1]
                out.append(current)
                current = None
        if current is not None:
            out.append(current)
        closing = Printed(indent, "}", [_end(d)])
        own = [c for c in rest if c.pos < _end(d)]
        for c in own:
            out.append(Printed(inner, c.text))
        closing_trailing = [c for c in rest if c not in own]
        if closing_trailing:
            closing.before = closing_trailing[:-1]
            closing.after = closing_trailing[-1]
        out.append(closing)
        return out

    def interpretation(self, d: ast.InterpretationDecl, comments: list[Comment], indent: int) -> list[Printed]:
        brace = next((t for t in self._decl_tokens(d.span) if t.text == "{"), None)
        open_pos = (brace.line, brace.column) if brace else _start(d)
        header = Printed(indent, f"interpretation {d.name} {string(d.text)} {{", [_start(d), open_pos])
        closing = Printed(indent, "}", [_end(d)])
        outer = [c for c in comments if c.pos < open_pos or c.pos > _end(d) or (c.trailing and c.pos[0] == open_pos[0])]
        inner = [c for c in comments if c not in outer]
        body = self.block(d.decls, inner, indent + INDENT, open_pos)
        lines = [header, closing]
        _attach(lines, outer)
        return [lines[0], *[p for p in body if p is not None], lines[1]]


def _blank_line(out: list[Printed | None], previous_line: int, line: int) -> None:
    """One blank line where the source has one or more (never at the start of a block)."""
    if out and line - previous_line > 1:
        out.append(None)


def _comment_line(out: list[Printed | None], c: Comment, indent: int, previous_line: int) -> int:
    _blank_line(out, previous_line, c.pos[0])
    out.append(Printed(indent, c.text))
    return c.pos[0]


def _pos(span: ast.Span) -> Pos:
    return (span.line, span.column)


def _attach(lines: list[Printed], comments: list[Comment]) -> None:
    """Put each comment before (own line) or after (end of line) the output line it belongs to."""
    for c in comments:
        if c.trailing:
            before = [(max(m for m in line.marks if m < c.pos), i) for i, line in enumerate(lines) if any(m < c.pos for m in line.marks)]
            target = lines[max(before)[1]] if before else lines[0]
            if target.after is not None:
                target.before.append(target.after)
            target.after = c
        else:
            after = [(min(m for m in line.marks if m > c.pos), i) for i, line in enumerate(lines) if any(m > c.pos for m in line.marks)]
            target = lines[min(after)[1]] if after else lines[-1]
            target.before.append(c)
    for line in lines:
        line.before.sort(key=lambda c: c.pos)


def _join(lines: list[Printed | None], width: int) -> str:
    """The final text: comments before and after their lines, trailing comments aligned in runs."""
    flat: list[tuple[str, Comment | None]] = []  # (code, trailing comment)
    for p in lines:
        if p is None:
            if flat and flat[-1] != ("", None):
                flat.append(("", None))
            continue
        pad = " " * p.indent
        flat.extend((pad + c.text, None) for c in p.before)
        flat.append((pad + p.text, p.after))
    while flat and flat[-1] == ("", None):
        flat.pop()
    out: list[str] = []
    i = 0
    while i < len(flat):
        code, comment = flat[i]
        if comment is None or not code.strip():
            out.append(code if comment is None else f"{code}{comment.text}")
            i += 1
            continue
        run_end = i
        while run_end < len(flat) and flat[run_end][1] is not None and flat[run_end][0].strip() and len(flat[run_end][0]) + 2 <= width:
            run_end += 1
        if run_end == i:  # a line too long to align with others
            out.append(f"{code}  {comment.text}")
            i += 1
            continue
        column = max(len(flat[k][0]) for k in range(i, run_end)) + 2
        for k in range(i, run_end):
            text, c = flat[k]
            assert c is not None
            out.append(text.ljust(column) + c.text)
        i = run_end
    return "\n".join(out) + "\n"
