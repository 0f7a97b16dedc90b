"""Parsing a file again after an edit, reusing what did not change: for the language server.

A spec is a sequence of declarations, and a line that begins with a declaration keyword (`define`,
`claim`, ...) in its first column begins a new one: the grammar has no other place for those
words. The text is cut at such lines into chunks; each chunk is parsed on its own (or taken from
the cache, its spans moved to where the chunk is now), and the declarations are put together.
When any chunk does not parse (a cut inside an interpretation block, or an error), the whole file
is parsed as usual, so that errors are reported exactly as `parse_module` reports them. The result
is always equal to `parse_module(text, file)`, spans included (tested).
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict
from functools import cache
from typing import Any

from treaty_dsl import ast, parser
from treaty_dsl.diagnostics import SpecError
from treaty_dsl.span import Span

DECLARATION_KEYWORDS = (
    *("spec", "use", "instrument", "domain", "input", "define", "assume", "obligation", "prohibition", "permission"),
    *("claim", "scenario", "horizon", "event", "state", "power", "fact", "order", "interpretation"),
)
_CUT = re.compile(rf"^(?:{'|'.join(DECLARATION_KEYWORDS)})\b", re.MULTILINE)
_parse_uncached = parser.parse_module.__wrapped__  # type: ignore[attr-defined]


class IncrementalParser:
    """Parses files, keeping the declarations of recent chunks (bounded in number and size)."""

    def __init__(self, max_chunks: int = 4096, max_chars: int = 4_000_000) -> None:
        self.chunks: OrderedDict[tuple[str, str], tuple[int, tuple[ast.Decl, ...]]] = OrderedDict()
        self.max_chunks = max_chunks
        self.max_chars = max_chars
        self.chars = 0
        self.reused = 0  # chunks taken from the cache (for tests and benchmarks)

    def parse(self, text: str, file: str) -> ast.Module:
        """The same module as `parse_module(text, file)`; raises the same `SpecError`."""
        decls: list[ast.Decl] = []
        try:
            for line, chunk in _chunks(text):
                decls.extend(self._chunk(chunk, line, file))
        except SpecError:
            return _parse_uncached(text, file)  # type: ignore[no-any-return]
        return ast.Module(file, tuple(decls))

    def _chunk(self, chunk: str, line: int, file: str) -> tuple[ast.Decl, ...]:
        key = (file, chunk)
        found = self.chunks.get(key)
        if found is not None:
            self.chunks.move_to_end(key)
            self.reused += 1
            at, decls = found
            return decls if at == line else tuple(_shift(d, line - at) for d in decls)
        module = _parse_uncached("\n" * (line - 1) + chunk, file)
        self.chunks[key] = (line, module.decls)
        self.chars += len(chunk)
        while len(self.chunks) > self.max_chunks or self.chars > self.max_chars:
            (_, old), _ = self.chunks.popitem(last=False)
            self.chars -= len(old)
        return module.decls  # type: ignore[no-any-return]


def _chunks(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each chunk; the first chunk holds whatever comes before the first cut."""
    starts = [m.start() for m in _CUT.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    out = []
    line = 1
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        out.append((line, chunk))
        line += chunk.count("\n")
    return out


@cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _shift(node: Any, lines: int) -> Any:
    """`node` with every span moved down by `lines` lines."""
    if isinstance(node, Span):
        if node.line <= 0:
            return node
        return Span(node.file, node.line + lines, node.column, node.end_line + lines, node.end_column)
    if isinstance(node, tuple):
        return tuple(_shift(x, lines) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return type(node)(**{name: _shift(getattr(node, name), lines) for name in _fields(type(node))})
    return node
