"""A forgiving scanner: the tokens of a spec, comments included, for tools that work on text.

The parser ignores comments and stops at the first error; the formatter needs the comments, and
an editor needs the tokens of a file that does not parse yet. This scanner never fails: what it
cannot read becomes an `error` token, and an unterminated string ends at the end of its line.
Lines and columns are 1-based, as in `Span`; `end_column` is exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from treaty_dsl import parse_tables

TokenKind = Literal["comment", "string", "date", "number", "keyword", "name", "operator", "punctuation", "error"]

# The order matters: a date before a number, `..` and two-character comparisons before one character.
_PATTERNS: tuple[tuple[TokenKind, str], ...] = (
    ("comment", r"#[^\n]*"),
    ("string", r'"(?:[^"\\\n]|\\.)*"'),
    ("error", r'"[^\n]*'),  # a string left open runs to the end of its line
    ("date", r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])"),
    ("number", r"[0-9]+"),
    ("name", r"[^\W\d]\w*"),
    ("operator", r"\.\.|!=|<=|>=|[=<>+\-*/]"),
    ("punctuation", r"[(){},:]"),
)
_SCANNER = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS))
_SPACE = re.compile(r"[ \t\f\v\n]+")


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    offset: int
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def end_offset(self) -> int:
        return self.offset + len(self.text)


@cache
def keywords() -> frozenset[str]:
    """Every word the grammar reserves (`"obligation"`, `"every"`, ...), read from grammar.lark itself."""
    return frozenset(re.findall(r'"([a-z_]+)"', parse_tables.grammar_text()))


def scan(text: str) -> list[Token]:
    """Every token of `text` in order, comments included; what is not a token becomes an `error` token."""
    out: list[Token] = []
    words = keywords()
    pos, line, line_start = 0, 1, 0
    n = len(text)
    while pos < n:
        space = _SPACE.match(text, pos)
        if space:
            chunk = space.group()
            newlines = chunk.count("\n")
            if newlines:
                line += newlines
                line_start = pos + chunk.rindex("\n") + 1
            pos = space.end()
            continue
        m = _SCANNER.match(text, pos)
        if m is None or m.lastgroup is None:
            kind: TokenKind = "error"
            value = text[pos]
        else:
            kind = m.lastgroup  # type: ignore[assignment]
            value = m.group()
            if kind == "name" and value in words:
                kind = "keyword"
        column = pos - line_start + 1
        out.append(Token(kind, value, pos, line, column, line, column + len(value)))
        pos += len(value)
    return out
