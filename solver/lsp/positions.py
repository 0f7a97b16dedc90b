"""Source positions (1-based lines and columns in characters) to LSP positions and back.

LSP counts columns in UTF-16 code units unless client and server agreed on another encoding; a
character beyond the Basic Multilingual Plane is two units then.
"""

from __future__ import annotations

from lsprotocol import types

from treaty_dsl.span import Span


class Positions:
    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.lines = text.split("\n")
        self.encoding = encoding

    def _units(self, chars: str) -> int:
        if self.encoding == "utf-32":
            return len(chars)
        if self.encoding == "utf-8":
            return len(chars.encode("utf-8", "surrogatepass"))
        return len(chars) + sum(1 for ch in chars if ord(ch) > 0xFFFF)

    def _line(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def to_lsp(self, line: int, column: int) -> types.Position:
        line = max(line, 1)
        text = self._line(line)
        return types.Position(line=line - 1, character=self._units(text[: max(column, 1) - 1]))

    def from_lsp(self, position: types.Position) -> tuple[int, int]:
        """The 1-based line and column (in characters) of an LSP position."""
        text = self._line(position.line + 1)
        units = 0
        for i, ch in enumerate(text):
            if units >= position.character:
                return position.line + 1, i + 1
            units += self._units(ch)
        return position.line + 1, len(text) + 1

    def range(self, span: Span) -> types.Range:
        if span.line <= 0:  # a diagnostic about the whole spec: its first line
            return types.Range(types.Position(line=0, character=0), types.Position(line=0, character=0))
        end_line, end_column = span.end_line, span.end_column
        if (end_line, end_column) < (span.line, span.column):
            end_line, end_column = span.line, span.column
        return types.Range(self.to_lsp(span.line, span.column), self.to_lsp(end_line, end_column))
