"""What the editor asks for, answered from a document's index: hover, definition, references,
rename, outline, completion, and the verdict lenses."""

from __future__ import annotations

import re
from collections.abc import Callable

from lsprotocol import types

from solver.lsp.checks import Verdicts
from solver.lsp.positions import Positions
from treaty_dsl import ast
from treaty_dsl.checker import RESERVED
from treaty_dsl.format import decl_text
from treaty_dsl.index import BUILTIN_DOCS, Definition, Occurrence, SpecIndex, SymbolKey
from treaty_dsl.span import Span
from treaty_dsl.tokens import keywords, scan

UriOf = Callable[[str], str]  # file name -> URI
PositionsOf = Callable[[str], Positions]  # file name -> its positions

_SYMBOL_KIND = {
    "instrument": types.SymbolKind.File,
    "order": types.SymbolKind.Namespace,
    "rank": types.SymbolKind.EnumMember,
    "domain": types.SymbolKind.Enum,
    "value": types.SymbolKind.EnumMember,
    "input": types.SymbolKind.Variable,
    "event": types.SymbolKind.Event,
    "definition": types.SymbolKind.Function,
    "assumption": types.SymbolKind.Boolean,
    "obligation": types.SymbolKind.Method,
    "prohibition": types.SymbolKind.Method,
    "permission": types.SymbolKind.Method,
    "state": types.SymbolKind.Property,
    "power": types.SymbolKind.Constructor,
    "fact": types.SymbolKind.Event,
    "claim": types.SymbolKind.Key,
    "scenario": types.SymbolKind.Object,
    "interpretation": types.SymbolKind.Module,
    "parameter": types.SymbolKind.TypeParameter,
    "variable": types.SymbolKind.Variable,
}

_COMPLETION_KIND = {
    "instrument": types.CompletionItemKind.File,
    "order": types.CompletionItemKind.Module,
    "domain": types.CompletionItemKind.Enum,
    "value": types.CompletionItemKind.EnumMember,
    "input": types.CompletionItemKind.Variable,
    "event": types.CompletionItemKind.Event,
    "definition": types.CompletionItemKind.Function,
    "obligation": types.CompletionItemKind.Method,
    "prohibition": types.CompletionItemKind.Method,
    "permission": types.CompletionItemKind.Method,
    "state": types.CompletionItemKind.Property,
    "power": types.CompletionItemKind.Constructor,
    "fact": types.CompletionItemKind.Event,
    "claim": types.CompletionItemKind.Reference,
    "scenario": types.CompletionItemKind.Reference,
    "interpretation": types.CompletionItemKind.Module,
    "parameter": types.CompletionItemKind.Variable,
    "variable": types.CompletionItemKind.Variable,
}

NAME = re.compile(r"[^\W\d]\w*")
RENAMEABLE = ("global", "claim", "reading", "rank", "local")


def _location(span: Span, uri_of: UriOf, positions_of: PositionsOf) -> types.Location:
    return types.Location(uri=uri_of(span.file), range=positions_of(span.file).range(span))


def _main(defs: list[Definition]) -> Definition:
    """The declaration of the spec itself before those of interpretations."""
    return sorted(defs, key=lambda d: d.reading is not None)[0]


# ---- hover ----


def hover(index: SpecIndex, occurrence: Occurrence, verdicts: list[dict[str, object]], positions: Positions) -> types.Hover | None:
    key = occurrence.key
    parts: list[str] = []
    if key[0] == "builtin":
        parts.append(f"```treaty\n{BUILTIN_DOCS.get(key[1], key[1])}\n```")
    elif key[0] == "file":
        parts.append(f"spec file `{key[1]}`")
    else:
        defs = index.definitions_of(key)
        if not defs:
            return None
        parts.extend(_describe(_main(defs)))
        readings = sorted({d.reading for d in defs if d.reading is not None})
        if readings and any(d.reading is None for d in defs):
            parts.append("replaced under " + ", ".join(f"`{r}`" for r in readings))
        if key[0] == "claim":
            parts.extend(_verdict_lines(key[1], verdicts))
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(parts)), range=positions.range(occurrence.span)
    )


def _describe(d: Definition) -> list[str]:
    if d.kind in ("parameter", "variable"):
        return [f"```treaty\n{d.detail}\n```", f"({d.kind})"]
    if d.kind == "value":
        return [f"```treaty\n{d.name}\n```", f"a {d.detail}"]
    if d.kind == "rank" and isinstance(d.decl, ast.OrderDecl):
        return [f"```treaty\n{d.name}\n```", f"a rank of the legal order `{d.decl.name}`"]
    if d.decl is None:
        return [d.name]
    text = "\n".join(line for line in decl_text(d.decl).split("\n") if not line.lstrip().startswith("cite "))
    out = [f"```treaty\n{text}\n```"]
    citation = getattr(d.decl, "citation", None)
    if isinstance(citation, ast.Citation):
        where = " ".join(f"{kind} {value}" for kind, value in citation.locators)
        source = f"**{citation.instrument}**" + (f" {where}" if where else "")
        if citation.quoted:
            out.append(f"{source}:\n\n> {citation.text}")
        else:
            out.append(f"{source} (paraphrase, not the treaty's wording): {citation.text}")
    if d.reading is not None:
        out.append(f"under the interpretation `{d.reading}`")
    return out


def _verdict_lines(claim: str, verdicts: list[dict[str, object]]) -> list[str]:
    mine = [v for v in verdicts if v.get("name") == claim]
    if not mine:
        return []
    out = ["**Last check** (when the file was saved):"]
    for v in mine:
        out.append(f"```\n{v.get('explanation', _lens_title(v))}\n```")
    return out


# ---- definition, references, rename ----


def definition(index: SpecIndex, occurrence: Occurrence, uri_of: UriOf, positions_of: PositionsOf) -> list[types.Location]:
    key = occurrence.key
    if key[0] == "file":
        return [
            types.Location(uri=uri_of(key[1]), range=types.Range(types.Position(line=0, character=0), types.Position(line=0, character=0)))
        ]
    defs = sorted(index.definitions_of(key), key=lambda d: d.reading is not None)
    return [_location(d.name_span, uri_of, positions_of) for d in defs]


def references(
    index: SpecIndex, key: SymbolKey, include_declaration: bool, uri_of: UriOf, positions_of: PositionsOf
) -> list[types.Location]:
    return [_location(o.span, uri_of, positions_of) for o in index.references(key, include_declaration)]


def rename_problem(occurrence: Occurrence, index: SpecIndex, new_name: str | None = None) -> str | None:
    """Why this name cannot be renamed (to `new_name`), or None."""
    key = occurrence.key
    if key[0] not in RENAMEABLE or not index.definitions_of(key):
        return "only names declared in this spec can be renamed"
    if new_name is not None:
        if not NAME.fullmatch(new_name):
            return f"`{new_name}` is not a name"
        if new_name in keywords() or new_name in RESERVED:
            return f"`{new_name}` is a reserved word"
        taken = (key[0], new_name) if key[0] in ("global", "claim", "reading") else None
        if taken is not None and index.definitions_of(taken):
            return f"`{new_name}` is already declared"
    return None


def rename(index: SpecIndex, key: SymbolKey, new_name: str, uri_of: UriOf, positions_of: PositionsOf) -> types.WorkspaceEdit:
    changes: dict[str, list[types.TextEdit]] = {}
    for o in index.references(key):
        changes.setdefault(uri_of(o.span.file), []).append(types.TextEdit(range=positions_of(o.span.file).range(o.span), new_text=new_name))
    return types.WorkspaceEdit(changes=changes)


# ---- outline ----


def document_symbols(index: SpecIndex, file: str, positions: Positions) -> list[types.DocumentSymbol]:
    def symbol(d: Definition) -> types.DocumentSymbol:
        children = [symbol(c) for c in index.children(d)]
        detail = d.kind + (f" under {d.reading}" if d.reading else "")
        return types.DocumentSymbol(
            name=d.name,
            kind=_SYMBOL_KIND.get(d.kind, types.SymbolKind.Variable),
            range=positions.range(d.span if d.kind != "value" else d.name_span),
            selection_range=positions.range(d.name_span),
            detail=detail,
            children=children or None,
        )

    return [symbol(d) for d in index.top_level(file)]


# ---- completion ----


def completion(index: SpecIndex | None, file: str, line: int, column: int, text: str) -> types.CompletionList:
    lines = text.split("\n")
    current = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    prefix = "\n".join([*lines[: line - 1], current])
    scanned = scan(prefix)
    if scanned and scanned[-1].end_offset == len(prefix) and scanned[-1].kind in ("comment", "string", "error"):
        return types.CompletionList(is_incomplete=False, items=[])  # inside a comment or a string
    before = [t for t in scanned if t.kind != "comment"]
    if before and before[-1].kind in ("name", "keyword") and before[-1].end_offset == len(prefix):
        before = before[:-1]  # the word being typed
    previous = before[-1].text if before else ""
    items: list[types.CompletionItem] = []
    defs = index.global_names() if index is not None else []
    if previous == "cite":
        defs = [d for d in defs if d.kind == "instrument"]
    elif previous == "under":
        defs = [d for d in defs if d.kind == "interpretation"]
    else:
        defs = [d for d in defs if d.kind not in ("claim", "scenario", "interpretation")]
        if index is not None:
            defs += index.locals_at(file, line, column)
        items += [types.CompletionItem(label=w, kind=types.CompletionItemKind.Keyword) for w in sorted(keywords())]
        items += [
            types.CompletionItem(label=name, kind=types.CompletionItemKind.Function, detail=doc)
            for name, doc in sorted(BUILTIN_DOCS.items())
        ]
    seen: set[str] = set()
    for d in defs:
        if d.name in seen:
            continue
        seen.add(d.name)
        items.append(types.CompletionItem(label=d.name, kind=_COMPLETION_KIND.get(d.kind), detail=_detail(d)))
    return types.CompletionList(is_incomplete=False, items=items)


def _detail(d: Definition) -> str:
    if d.detail:
        return d.detail
    if d.decl is not None and d.kind not in ("value", "rank"):
        return decl_text(d.decl).split("\n")[0]
    return d.kind


# ---- verdicts ----


def _lens_title(v: dict[str, object]) -> str:
    verdict = str(v.get("verdict"))
    expected = v.get("expected")
    under = f"under {v['interpretation']}: " if v.get("interpretation") else ""
    seconds = v.get("seconds")
    took = f" ({seconds:.2f} s)" if isinstance(seconds, int | float) else ""
    if verdict == "error":
        return f"{under}⚠ internal error: the solver and the evaluator disagree"
    if verdict == "unknown":
        return f"{under}? unknown{took}"
    if expected is None or verdict == expected:
        return f"{under}✓ {verdict}{took}"
    return f"{under}✗ {verdict}, expected {expected}{took}"


def code_lenses(
    index: SpecIndex, file: str, uri: str, record: Verdicts | None, version: int | None, positions: Positions
) -> list[types.CodeLens]:
    """A lens above each claim: its verdicts from the last check (the command shows the claim's hover)."""
    if record is None:
        return []
    stale = "(as saved) " if record.version != version else ""
    lenses = []
    for d in index.top_level(file) + [c for x in index.top_level(file) if x.kind == "interpretation" for c in index.children(x)]:
        if d.kind not in ("claim", "scenario"):
            continue
        mine = [v for v in record.results if v.get("name") == d.name]
        if mine:
            title = stale + " · ".join(_lens_title(v) for v in mine)
        elif record.state == "running":
            title = "checking…"
        elif record.state == "cancelled":
            title = "check cancelled by an edit; save to check again"
        elif record.error:
            title = "not checked: the spec has errors"
        else:
            continue
        lens_range = positions.range(d.name_span)
        where = [uri, lens_range.start.line, lens_range.start.character]
        lenses.append(types.CodeLens(range=lens_range, command=types.Command(title=title, command="treaty.showVerdict", arguments=where)))
    return lenses
