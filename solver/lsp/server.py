"""The treaty language server (pygls), over standard input and output.

Diagnostics follow edits after a short pause (`debounce`, 0.2 s by default): only the latest text
of a document is kept and analysed, however fast edits arrive. Saving a document that has no
errors starts a check of its claims in a worker process; an edit cancels it. Options (the
client's `initializationOptions`): `timeout` (seconds per claim, default 10), `memory` (megabytes
for the solver, default 4096), `debounce` (seconds), `checkOnSave` (default true).
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from solver.lsp import features
from solver.lsp.analysis import Analysis, ModuleCache, analyze
from solver.lsp.checks import CheckRunner
from solver.lsp.positions import Positions
from treaty_dsl import __version__
from treaty_dsl.diagnostics import Diagnostic, Severity
from treaty_dsl.parser import decode_source

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}


class TreatyServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("treaty-lsp", __version__)
        self.cache = ModuleCache()
        self.analyses: dict[str, Analysis] = {}
        self.last_index: dict[str, Any] = {}  # uri -> the index of the last version that parsed
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.checks = CheckRunner(self._verdicts_changed)
        self.debounce_s = 0.2
        self.check_on_save = True
        self.analysis_count = 0

    @property
    def encoding(self) -> str:
        agreed = self.workspace.position_encoding
        return str(getattr(agreed, "value", agreed) or "utf-16")

    # ---- files and documents ----
    def file_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        return os.path.abspath(path) if path else uri

    def uri_of(self, file: str) -> str:
        if os.path.isabs(file):
            return from_fs_path(file) or file
        return file

    def text_of(self, file: str) -> str | None:
        """An open document's text, else the file on disk."""
        doc = self.workspace.text_documents.get(self.uri_of(file))
        if doc is not None:
            return doc.source
        try:
            with open(file, "rb") as f:
                return decode_source(f.read(), file)
        except (OSError, Exception):
            return None

    def positions_of(self, file: str) -> Positions:
        return Positions(self.text_of(file) or "", self.encoding)

    # ---- analysis ----
    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document's current text (made now if an edit is still waiting)."""
        if uri in self.pending:
            self.pending.pop(uri).cancel()
            self.run_analysis(uri)
        return self.analyses.get(uri)

    def schedule(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self.pending[uri] = asyncio.get_running_loop().call_later(self.debounce_s, self._debounced, uri)

    def _debounced(self, uri: str) -> None:
        self.pending.pop(uri, None)
        self.run_analysis(uri)

    def run_analysis(self, uri: str) -> None:
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return
        self.analysis_count += 1
        result = analyze(self.file_of(uri), doc.source, doc.version, self.text_of, self.cache)
        self.analyses[uri] = result
        positions = Positions(doc.source, self.encoding)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=doc.version, diagnostics=[self._diagnostic(d, positions) for d in result.diagnostics]
            )
        )
        if result.parsed:
            self.last_index[uri] = result.index

    def _diagnostic(self, d: Diagnostic, positions: Positions) -> types.Diagnostic:
        message = d.message
        for suggestion in d.suggestions:
            message += f"\nhelp: did you mean `{suggestion}`?"
        if d.help:
            message += f"\nhelp: {d.help}"
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=self.uri_of(label.span.file), range=self.positions_of(label.span.file).range(label.span)),
                message=label.message,
            )
            for label in d.labels
            if label.span.line > 0
        ]
        return types.Diagnostic(
            range=positions.range(d.span),
            message=message,
            severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
            code=d.code,
            source="treaty",
            related_information=related or None,
        )

    def _verdicts_changed(self, uri: str) -> None:
        record = self.checks.verdicts.get(uri)
        if record is not None and record.state != "running":
            self.protocol.notify(
                "treaty/checked",
                {"uri": uri, "state": record.state, "claims": len(record.results), "version": record.version, "error": record.error},
            )
        caps = self.client_capabilities.workspace
        if caps and caps.code_lens and caps.code_lens.refresh_support:
            self.workspace_code_lens_refresh(None)

    def verdict_list(self, uri: str) -> list[dict[str, object]]:
        record = self.checks.verdicts.get(uri)
        return record.results if record else []


def build() -> TreatyServer:
    server = TreatyServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: TreatyServer, params: types.InitializeParams) -> None:
        options = params.initialization_options or {}
        if isinstance(options, dict):
            ls.checks.timeout_s = float(options.get("timeout", ls.checks.timeout_s))
            ls.checks.memory_mb = int(options.get("memory", ls.checks.memory_mb))
            ls.debounce_s = float(options.get("debounce", ls.debounce_s))
            ls.check_on_save = bool(options.get("checkOnSave", True))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TreatyServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.run_analysis(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TreatyServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.checks.cancel(uri)
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: TreatyServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri not in ls.analyses:
            ls.run_analysis(uri)
        result = ls.analysis(uri)
        path = ls.file_of(uri)
        for other, analysis in list(ls.analyses.items()):
            if other != uri and path in analysis.texts:
                ls.run_analysis(other)  # it uses the saved file
        doc = ls.workspace.text_documents.get(uri)
        if not ls.check_on_save or result is None or doc is None or not os.path.isfile(path):
            return
        if any(d.severity is Severity.ERROR for d in result.diagnostics):
            return
        ls.checks.start(uri, path, doc.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TreatyServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.checks.cancel(uri)
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls.analyses.pop(uri, None)
        ls.last_index.pop(uri, None)
        ls.checks.verdicts.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def located(ls: TreatyServer, uri: str, position: types.Position) -> tuple[Any, Any, Positions] | None:
        result = ls.analysis(uri)
        index = result.index if result is not None else None
        if index is None:
            return None
        doc = ls.workspace.get_text_document(uri)
        positions = Positions(doc.source, ls.encoding)
        line, column = positions.from_lsp(position)
        occurrence = index.occurrence_at(ls.file_of(uri), line, column)
        if occurrence is None:
            return None
        return index, occurrence, positions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TreatyServer, params: types.HoverParams) -> types.Hover | None:
        found = located(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence, positions = found
        return features.hover(index, occurrence, ls.verdict_list(params.text_document.uri), positions)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: TreatyServer, params: types.DefinitionParams) -> list[types.Location] | None:
        found = located(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence, _ = found
        return features.definition(index, occurrence, ls.uri_of, ls.positions_of) or None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: TreatyServer, params: types.ReferenceParams) -> list[types.Location] | None:
        found = located(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence, _ = found
        return features.references(index, occurrence.key, params.context.include_declaration, ls.uri_of, ls.positions_of)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: TreatyServer, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
        found = located(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence, positions = found
        if features.rename_problem(occurrence, index) is not None:
            return None
        name = index.definitions_of(occurrence.key)[0].name
        return types.PrepareRenamePlaceholder(range=positions.range(occurrence.span), placeholder=name)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: TreatyServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        found = located(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence, _ = found
        problem = features.rename_problem(occurrence, index, params.new_name)
        if problem is not None:
            raise ValueError(problem)
        return features.rename(index, occurrence.key, params.new_name, ls.uri_of, ls.positions_of)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: TreatyServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        uri = params.text_document.uri
        ls.analysis(uri)
        index = ls.last_index.get(uri)
        if index is None:
            return []
        doc = ls.workspace.get_text_document(uri)
        return features.document_symbols(index, ls.file_of(uri), Positions(doc.source, ls.encoding))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", "("]))
    def completion(ls: TreatyServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        ls.analysis(uri)
        doc = ls.workspace.get_text_document(uri)
        line, column = Positions(doc.source, ls.encoding).from_lsp(params.position)
        return features.completion(ls.last_index.get(uri), ls.file_of(uri), line, column, doc.source)

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls: TreatyServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        uri = params.text_document.uri
        ls.analysis(uri)
        index = ls.last_index.get(uri)
        doc = ls.workspace.get_text_document(uri)
        if index is None:
            return []
        return features.code_lenses(
            index, ls.file_of(uri), uri, ls.checks.verdicts.get(uri), doc.version, Positions(doc.source, ls.encoding)
        )

    @server.feature("treaty/status")
    def status(ls: TreatyServer, params: Any) -> dict[str, object]:
        """Counters for tests and troubleshooting."""
        return {
            "analyses": ls.analysis_count,
            "checks_started": ls.checks.started,
            "checks_cancelled": ls.checks.cancelled,
            "checks_running": sum(1 for uri in ls.checks.verdicts if ls.checks.running(uri)),
            "workers": [proc.pid for proc in ls.checks.processes.values()],
            "cached_files": len(ls.cache.entries),
            "max_rss_kb": _max_rss_kb(),
        }

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: TreatyServer, params: Any) -> None:
        for handle in ls.pending.values():
            handle.cancel()
        ls.pending.clear()
        await ls.checks.shutdown()

    return server


def _max_rss_kb() -> int | None:
    if sys.platform == "win32":
        return None
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def serve() -> None:
    build().start_io()
