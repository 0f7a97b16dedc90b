"""Shutting the server down ends a check that is still running, and the server exits with 0."""

from __future__ import annotations

from pathlib import Path

from tests.lsp.harness import Editor
from tests.lsp.test_server import REPO, gone, running_worker


def test_shutdown_ends_the_running_check_and_the_server(tmp_path: Path) -> None:
    editor = Editor(tmp_path)
    path = tmp_path / "nato.treaty"
    path.write_text((REPO / "specs" / "nato.treaty").read_text())
    uri = editor.open(path)
    editor.save(uri)
    worker = running_worker(editor)
    assert editor.shutdown() == 0
    gone(worker)
