"""Source positions: every AST and IR node carries a `Span` that is excluded from equality."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; lines and columns are 1-based, `end_*` inclusive-exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.file, self.line, self.column, other.end_line, other.end_column)


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The decoded text of one spec file (or of a formula typed on the command line)."""

    name: str
    text: str

    def line_text(self, line: int) -> str:
        lines = self.text.split("\n")  # as the lexer counts lines; splitlines() also splits at \f, U+2028, ...
        if 1 <= line <= len(lines):
            return lines[line - 1]
        return ""
