"""`treaty lint`, source texts: every `quote` is in its instrument's source text, no paraphrase is
quoted, and the cited articles still have the text whose digest was recorded.

Codes: L010 a quote not found in the source (or not under the cited article), L011 a quote of words
the source marks as paraphrase or editorial, L012 a cited article whose text has changed since its
digest was recorded (or has no recorded digest), L013 a source file that cannot be read. The check is
syntactic: it reads the spec's files again, so citations inside interpretations are checked too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from solver.lint import Finding
from treaty_dsl import ast
from treaty_dsl.loader import LoadedSpec
from treaty_dsl.parser import parse_module
from treaty_dsl.sources import (
    DIGESTS_FILE,
    WHOLE,
    SourceFileError,
    SourceText,
    digest_entry,
    locator_key,
    occurs,
    read_digests,
    read_source,
    write_digests,
)


@dataclass(frozen=True)
class _Cited:
    where: str  # `norm art5_assist`, `definition covered_place`, ...
    citation: ast.Citation


def source_findings(loaded: LoadedSpec, record: bool = False, read: set[str] | None = None) -> list[Finding]:
    """The findings for the spec's citations; with `record`, the digests of the cited articles are
    written to each source folder's digests file instead of being compared. The files consulted
    are added to `read` (so that `--output` never names one)."""
    modules = [parse_module(src.text, name) for name, src in loaded.sources.items()]
    instruments = {d.name: d for m in modules for d in _decls(m.decls) if isinstance(d, ast.InstrumentDecl)}
    texts: dict[Path, SourceText | str] = {}
    findings: list[Finding] = []
    recorded: dict[Path, dict[tuple[str, str, str], str]] = {}
    missing_reported: set[tuple[Path, tuple[str, str, str]]] = set()
    for cited in _citations(modules):
        c = cited.citation
        inst = instruments.get(c.instrument)
        if inst is None or inst.source is None:
            continue
        path = Path(inst.span.file).parent / inst.source
        if read is not None:
            read.update((str(path), str(path.parent / DIGESTS_FILE)))
        text = texts.get(path)
        if text is None:
            try:
                text = read_source(path)
            except SourceFileError as exc:
                text = str(exc)
                findings.append(Finding("L013", "error", f"the source text of `{inst.name}`, {inst.source}: {exc}", inst.source_span))
            texts[path] = text
        if isinstance(text, str):
            continue
        key = _key(c)
        if c.quoted:
            findings.extend(_quote_findings(cited, text, key))
        folder = path.parent
        digests = recorded.setdefault(folder, read_digests(folder))
        entry, digest = digest_entry(text, key)
        if record:
            digests[entry] = digest
            continue
        known = digests.get(entry)
        where = _article(c, text, key)
        if known is None:
            if (folder, entry) not in missing_reported:
                missing_reported.add((folder, entry))
                findings.append(
                    Finding(
                        "L012",
                        "warning",
                        f"no digest recorded for {where} of {path.name}: record it with `treaty lint --record-digests`",
                        c.span,
                    )
                )
        elif known != digest:
            findings.append(
                Finding(
                    "L012",
                    "warning",
                    f"the text of {where} in {path.name} has changed since its digest was recorded: review {cited.where} and the "
                    "claims that rest on it, then record the digests again (`treaty lint --record-digests`)",
                    c.span,
                )
            )
    if record:
        for folder, digests in recorded.items():
            write_digests(folder, digests)
    return findings


def _quote_findings(cited: _Cited, text: SourceText, key: tuple[str, str]) -> list[Finding]:
    c = cited.citation
    scope = key if key != WHOLE and text.has(key) else WHOLE
    if occurs(c.text, text.verbatim(scope)):
        return []
    where = _article(c, text, key)
    if scope != WHOLE and occurs(c.text, text.verbatim()):
        message = f"the quote of {cited.where} is in {text.path.name}, but not under {where}"
        return [Finding("L010", "error", message, c.span)]
    if occurs(c.text, text.other()):
        message = (
            f"{text.path.name} marks the words quoted by {cited.where} as paraphrase or editorial, not the instrument's "
            "wording: cite them with `paraphrase`"
        )
        return [Finding("L011", "error", message, c.span)]
    message = f"the quote of {cited.where} does not occur in {where} of {text.path.name} (compared up to white space and typography)"
    return [Finding("L010", "error", message, c.span)]


def _key(c: ast.Citation) -> tuple[str, str]:
    for kind, value in c.locators:
        if kind in ("article", "section"):
            return locator_key(kind, value)
    return WHOLE


def _article(c: ast.Citation, text: SourceText, key: tuple[str, str]) -> str:
    if key == WHOLE:
        return "the text"
    if not text.has(key):
        return f"the text (it has no heading for {key[0]} {key[1]})"
    return f"{key[0]} {key[1]}"


def _decls(decls: tuple[ast.Decl, ...]) -> Iterator[ast.Decl]:
    for d in decls:
        yield d
        if isinstance(d, ast.InterpretationDecl):
            yield from _decls(d.decls)


def _citations(modules: list[ast.Module]) -> Iterator[_Cited]:
    for m in modules:
        for d in _decls(m.decls):
            citation = getattr(d, "citation", None)
            if isinstance(citation, ast.Citation):
                kind = type(d).__name__.removesuffix("Decl").lower()
                name = getattr(d, "name", None)
                yield _Cited(f"{kind} {name}" if name else kind, citation)

