"""An editor for tests: `treaty lsp` in a real subprocess, spoken to over standard input and output
by pygls's language client, driven from ordinary (synchronous) test code.

The client runs on an event loop in a thread of its own; every call waits for its answer with a
time limit, so a server that hangs fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.client import LanguageClient

T = TypeVar("T")
LIMIT_S = 60.0  # for one answer; generous for a loaded machine (the answers take milliseconds)


def plain(value: Any) -> dict[str, Any]:
    """The parameters of a message pygls does not know, as a dict (it gives named tuples)."""
    return value._asdict() if hasattr(value, "_asdict") else dict(value)


class Editor:
    def __init__(self, root: Path, options: dict[str, Any] | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.changed = threading.Condition()
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int | None] = {}
        self.checked: list[dict[str, Any]] = []
        self.lens_refreshes = 0
        self.client = LanguageClient("treaty-tests", "1")
        self._register()
        self.run(self._start(root, options or {}))

    # ---- plumbing ----
    def run(self, coro: Coroutine[Any, Any, T], limit: float = LIMIT_S) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(limit)

    def ask(self, request: Callable[[Any], Awaitable[T]], params: Any) -> T:
        """A request (`client.text_document_hover_async`, ...) and its answer (sent from the client's loop)."""

        async def go() -> T:
            return await request(params)

        return self.run(go())

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """A client method that sends a notification, called on the client's loop."""

        async def go() -> T:
            return fn(*args)

        return self.run(go())

    def wait_until(self, condition: Callable[[], bool], limit: float = LIMIT_S) -> None:
        deadline = time.monotonic() + limit
        with self.changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the server did not answer in time")
                self.changed.wait(left)

    def _notify_waiters(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def _register(self) -> None:
        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.versions[params.uri] = params.version
            self._notify_waiters()

        @self.client.feature("treaty/checked")
        def checked(params: Any) -> None:
            self.checked.append(plain(params))
            self._notify_waiters()

        @self.client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def refresh(params: Any) -> None:
            self.lens_refreshes += 1

    async def _start(self, root: Path, options: dict[str, Any]) -> None:
        await self.client.start_io(sys.executable, "-m", "solver", "lsp", env={**os.environ})
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(code_lens=types.CodeLensWorkspaceClientCapabilities(refresh_support=True)),
            text_document=types.TextDocumentClientCapabilities(
                hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
                rename=types.RenameClientCapabilities(prepare_support=True),
                document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
            ),
        )
        await self.client.initialize_async(
            types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri(), initialization_options=options)
        )
        self.client.initialized(types.InitializedParams())

    @property
    def server(self) -> asyncio.subprocess.Process:
        return self.client._server  # type: ignore[attr-defined,no-any-return]

    def shutdown(self) -> int | None:
        """Shut the server down as an editor does; its exit code."""

        async def go() -> int | None:
            await self.client.shutdown_async(None)
            self.client.exit(None)
            try:
                return await asyncio.wait_for(self.server.wait(), LIMIT_S)
            finally:
                await self.client.stop()

        try:
            return self.run(go())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(LIMIT_S)

    # ---- documents ----
    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        item = types.TextDocumentItem(uri=uri, language_id="treaty", version=1, text=path.read_text() if text is None else text)
        self.call(self.client.text_document_did_open, types.DidOpenTextDocumentParams(text_document=item))
        self.diagnostics_of(uri, 1)
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        params = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
        self.call(self.client.text_document_did_change, params)

    def save(self, uri: str) -> None:
        self.call(self.client.text_document_did_save, types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

    def diagnostics_of(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics the server published for this version of the document."""
        self.wait_until(lambda: self.versions.get(uri, -1) == version)
        return self.diagnostics[uri]

    def wait_checked(self, count: int) -> dict[str, Any]:
        """The `count`-th report of a finished (or cancelled) check."""
        self.wait_until(lambda: len(self.checked) >= count)
        return self.checked[count - 1]

    def status(self) -> dict[str, Any]:
        return plain(self.ask(lambda params: self.client.protocol.send_request_async("treaty/status", params), {}))
