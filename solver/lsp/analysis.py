"""One document's analysis: parse it and the files it uses, check it (under each reading), index it.

Files are named by absolute path (or by URI for a document that has none), so every span leads
back to its document. Open documents are read from the editor, other files from disk. Parsed used
files are cached, bounded in number and in total size, so that a client sending large edits cannot
make the server hold on to every version it has seen.
"""

from __future__ import annotations

import dataclasses
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from treaty_dsl import ast
from treaty_dsl.checker import check, interpretations
from treaty_dsl.diagnostics import Diagnostic, SpecError, error
from treaty_dsl.incremental import IncrementalParser
from treaty_dsl.index import SpecIndex, build_index
from treaty_dsl.parser import parse_module
from treaty_dsl.span import Span

# The parser's own cache keeps recent texts; the server parses the edited document without it.
_parse_uncached: Callable[[str, str], ast.Module] = parse_module.__wrapped__  # type: ignore[attr-defined]

Reader = Callable[[str], str | None]  # file name -> its text (open document or disk), None if unreadable


class ModuleCache:
    """Parsed files by (name, text), least recently used first out; bounded in entries and characters."""

    def __init__(self, max_entries: int = 64, max_chars: int = 8_000_000) -> None:
        self.entries: OrderedDict[tuple[str, str], ast.Module | SpecError] = OrderedDict()
        self.max_entries = max_entries
        self.max_chars = max_chars
        self.chars = 0
        self.documents = IncrementalParser()  # for the edited documents themselves

    def parse(self, file: str, text: str) -> ast.Module:
        key = (file, text)
        found = self.entries.get(key)
        if found is None:
            try:
                found = _parse_uncached(text, file)
            except SpecError as exc:
                found = exc
            self.entries[key] = found
            self.chars += len(text)
            while self.entries and (len(self.entries) > self.max_entries or self.chars > self.max_chars):
                (_, old_text), _ = self.entries.popitem(last=False)
                self.chars -= len(old_text)
        else:
            self.entries.move_to_end(key)
        if isinstance(found, SpecError):
            raise found
        return found


@dataclass
class Analysis:
    file: str
    version: int | None
    texts: dict[str, str]
    modules: list[ast.Module] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # of this file (errors elsewhere are reported at the `use`)
    parsed: bool = False  # the document itself parsed; `index` can be built
    _index: SpecIndex | None = None

    @property
    def index(self) -> SpecIndex | None:
        if self._index is None and self.parsed:
            self._index = build_index(self.modules, self.texts)
        return self._index


def analyze(file: str, text: str, version: int | None, read: Reader, cache: ModuleCache) -> Analysis:
    """Parse and check `file` (with `text`) and the files it uses; every error is a diagnostic."""
    result = Analysis(file, version, {file: text})
    try:
        top = cache.documents.parse(text, file)
    except SpecError as exc:
        result.diagnostics = list(exc.diagnostics)
        return result
    result.parsed = True
    found: list[Diagnostic] = []
    modules: list[ast.Module] = []
    seen: set[str] = {os.path.realpath(file)}
    root = os.path.dirname(os.path.realpath(file))

    def visit(module: ast.Module) -> None:
        for decl in module.decls:
            if isinstance(decl, ast.UseDecl):
                _use(decl, module.file)
        modules.append(module)

    def _use(decl: ast.UseDecl, within: str) -> None:
        target = os.path.normpath(os.path.join(os.path.dirname(within), decl.path))
        real = os.path.realpath(target)
        at_top = within == file
        if not _inside(real, root):
            if at_top:
                found.append(error("E0021", f'`use "{decl.path}"` leads outside the spec root {root}', decl.span))
            return
        if real in seen:
            return
        seen.add(real)
        used = read(target)
        if used is None:
            if at_top:
                found.append(error("E0022", f"no spec file `{decl.path}` next to this one", decl.span))
            return
        result.texts[target] = used
        try:
            visit(cache.parse(target, used))
        except SpecError as exc:
            if at_top:
                first = exc.diagnostics[0]
                message = f"`{decl.path}` has errors: {first.message} ({_where(first.span, decl.path)})"
                found.append(dataclasses.replace(first, message=message, span=decl.span, labels=()))

    visit(top)
    result.modules = modules
    if not found:
        found.extend(_check(modules))
    result.diagnostics = _in_file(found, file, top)
    return result


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _where(span: Span, shown: str) -> str:
    return f"{shown}:{span.line}:{span.column}"


def _check(modules: list[ast.Module]) -> list[Diagnostic]:
    """The checker's diagnostics under the spec's own reading and under each interpretation, once each."""
    out: list[Diagnostic] = []
    seen: set[tuple[str, str, Span]] = set()
    for reading in [None, *interpretations(modules)]:
        try:
            check(modules, reading=reading)
        except SpecError as exc:
            for d in exc.diagnostics:
                key = (d.code, d.message, d.span)
                if key not in seen:
                    seen.add(key)
                    out.append(d)
        if out and reading is None:
            break  # errors of the spec itself come first; readings are checked once it is clean
    return out


def _in_file(found: list[Diagnostic], file: str, top: ast.Module) -> list[Diagnostic]:
    """Diagnostics shown in this document: its own, and those of used files at the first line."""
    out = []
    for d in found:
        if d.span.file == file:
            out.append(d)
        elif d.span.line <= 0:
            out.append(dataclasses.replace(d, span=Span(file, 1, 1, 1, 1)))
        else:
            anchor = next((x.span for x in top.decls if isinstance(x, ast.UseDecl)), Span(file, 1, 1, 1, 1))
            shown = os.path.basename(d.span.file)
            out.append(dataclasses.replace(d, message=f"in {shown}: {d.message} ({_where(d.span, shown)})", span=anchor, labels=()))
    return out
