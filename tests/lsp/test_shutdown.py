"""Shutting the server down ends a check that is still running."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from tests.lsp.test_server import REPO, SERVER, gone, open_doc, running_worker

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri())
    )
    yield


async def test_shutdown_ends_the_running_check_and_the_server(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "nato.treaty"
    path.write_text((REPO / "specs" / "nato.treaty").read_text())
    uri = await open_doc(client, path)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    worker = await running_worker(client)
    await client.shutdown_session()
    await gone(worker)
    assert client._server is not None and client._server.returncode == 0, sys.platform
