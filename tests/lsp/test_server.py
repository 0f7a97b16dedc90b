"""`treaty lsp` end to end, as an editor uses it: a real server process over standard input and
output, a spec that `use`s another file, and every feature the server offers."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.harness import Editor

REPO = Path(__file__).resolve().parents[2]

VOCAB = """\
instrument T "A treaty"
domain Party = {a, b}
input acts(p: Party) by p
"""

MAIN = """\
use "vocab.treaty"

# the one rule
obligation duty(p: Party)
  cite T article 1 quote "Each party shall act."
  bearer p
  to acts(p)

define everyone_acts = every p in Party: acts(p)

claim obliged_to_act
  "Each party is obliged to act":
  every p in Party: obliged(p, acts(p))
  expect holds

claim everyone_acts_anyway
  "Refuted: the parties act whatever the law says":
  everyone_acts
  expect fails
"""


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """0-based line of the nth line containing `needle`."""
    return [i for i, line in enumerate(text.split("\n")) if needle in line][nth]


def pos(text: str, needle: str, nth: int = 0, offset: int = 1) -> types.Position:
    line = line_of(text, needle, nth)
    return types.Position(line=line, character=text.split("\n")[line].index(needle) + offset)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "vocab.treaty").write_text(VOCAB)
    (tmp_path / "main.treaty").write_text(MAIN)
    return tmp_path


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """One server for the tests of this module (it starts in about a second); each test has its own files."""
    editor = Editor(tmp_path_factory.mktemp("root"), {"debounce": 0.05, "timeout": 20})
    yield editor
    assert editor.shutdown() == 0


def running_worker(editor: Editor) -> int:
    """The process id of the check worker, once it has started."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = editor.status()["workers"]
        if workers:
            return int(workers[0])
        time.sleep(0.05)
    raise AssertionError("no worker process started")


def gone(pid: int) -> None:
    """Wait (up to 15 s) until the process has ended and been reaped."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"worker {pid} still running")


def doc_of(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def types_uri_path(uri: str) -> str:
    from pygls.uris import to_fs_path

    return to_fs_path(uri) or uri


# ---- diagnostics ----


def test_open_a_clean_spec_then_edit_in_an_error_and_out_again(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    assert list(editor.diagnostics[uri]) == []
    broken = MAIN.replace("to acts(p)", "to act(p)")
    editor.change(uri, 2, broken)
    diagnostics = editor.diagnostics_of(uri, 2)
    assert [d.code for d in diagnostics] == ["E0201"]
    d = diagnostics[0]
    assert d.range.start == pos(broken, "act(p)", offset=0) and d.severity == types.DiagnosticSeverity.Error
    assert "did you mean `acts`?" in d.message
    editor.change(uri, 3, MAIN.replace("expect holds", "expect"))
    syntax = editor.diagnostics_of(uri, 3)
    assert [d.code for d in syntax] == ["E0002"]
    editor.change(uri, 4, MAIN)
    assert list(editor.diagnostics_of(uri, 4)) == []


def test_an_error_in_an_interpretation_and_a_missing_used_file(editor: Editor, workspace: Path) -> None:
    text = MAIN + 'interpretation lax "A reading" {\n  define everyone_acts = nobody\n}\n'
    uri = editor.open(workspace / "main.treaty", text)
    assert [(d.code, d.range.start.line) for d in editor.diagnostics[uri]] == [("E0201", line_of(text, "nobody"))]
    editor.change(uri, 2, MAIN.replace("vocab.treaty", "missing.treaty"))
    assert [d.code for d in editor.diagnostics_of(uri, 2)] == ["E0022"]


def test_rapid_large_edits_are_analysed_once_and_memory_stays_bounded(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    before = editor.status()
    filler = "".join(f"define d{i} = everyone_acts\n" for i in range(6000))  # about 170 kB a version
    for version in range(2, 42):
        editor.change(uri, version, MAIN + filler + f"# version {version}\n")
    editor.change(uri, 42, MAIN.replace("to acts(p)", "to act(p)"))
    diagnostics = editor.diagnostics_of(uri, 42)
    assert [d.code for d in diagnostics] == ["E0201"]
    status = editor.status()
    assert status["analyses"] - before["analyses"] <= 3  # the last version (a pause of the test machine may add one or two)
    assert status["max_rss_kb"] < 1_000_000


# ---- navigation ----


def test_hover_shows_signature_citation_and_quote(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    doc = types.TextDocumentIdentifier(uri=uri)
    hover = editor.ask(editor.client.text_document_hover_async, types.HoverParams(text_document=doc, position=pos(MAIN, "duty")))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "obligation duty(p: Party)" in hover.contents.value
    assert "> Each party shall act." in hover.contents.value and "**T** article 1" in hover.contents.value
    on_input = editor.ask(editor.client.text_document_hover_async, types.HoverParams(text_document=doc, position=pos(MAIN, "acts(p)")))
    assert on_input is not None and "input acts(p: Party) by p" in str(on_input.contents)
    on_builtin = editor.ask(editor.client.text_document_hover_async, types.HoverParams(text_document=doc, position=pos(MAIN, "obliged(")))
    assert on_builtin is not None and "compliant alternative" in str(on_builtin.contents)
    on_comment = editor.ask(
        editor.client.text_document_hover_async, types.HoverParams(text_document=doc, position=pos(MAIN, "the one rule"))
    )
    assert on_comment is None


def test_definition_in_a_used_file_and_of_a_bound_variable(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    doc = types.TextDocumentIdentifier(uri=uri)
    found = editor.ask(
        editor.client.text_document_definition_async, types.DefinitionParams(text_document=doc, position=pos(MAIN, "acts(p)"))
    )
    assert isinstance(found, list) and len(found) == 1
    assert found[0].uri == (workspace / "vocab.treaty").as_uri()
    assert found[0].range.start == pos(VOCAB, "acts", offset=0)
    bound = editor.ask(
        editor.client.text_document_definition_async, types.DefinitionParams(text_document=doc, position=pos(MAIN, "acts(p))", offset=5))
    )
    assert isinstance(bound, list) and bound[0].uri == uri
    assert bound[0].range.start == pos(MAIN, "p in Party", nth=1, offset=0)
    used = editor.ask(editor.client.text_document_definition_async, types.DefinitionParams(text_document=doc, position=pos(MAIN, "vocab")))
    assert isinstance(used, list) and used[0].uri == (workspace / "vocab.treaty").as_uri()


def test_references_across_files(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    params = types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=pos(MAIN, "Party"),
        context=types.ReferenceContext(include_declaration=True),
    )
    found = editor.ask(editor.client.text_document_references_async, params)
    assert found is not None
    by_file = sorted((Path(types_uri_path(r.uri)).name, r.range.start.line) for r in found)
    assert by_file == [("main.treaty", 3), ("main.treaty", 8), ("main.treaty", 12), ("vocab.treaty", 1), ("vocab.treaty", 2)]
    params.context.include_declaration = False
    assert len(editor.ask(editor.client.text_document_references_async, params) or []) == 4


def test_rename_a_declaration_everywhere_and_refuse_bad_names(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    doc = types.TextDocumentIdentifier(uri=uri)
    prepared = editor.ask(
        editor.client.text_document_prepare_rename_async, types.PrepareRenameParams(text_document=doc, position=pos(MAIN, "acts(p)"))
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "acts"
    edit = editor.ask(
        editor.client.text_document_rename_async, types.RenameParams(text_document=doc, position=pos(MAIN, "acts(p)"), new_name="performs")
    )
    assert edit is not None and edit.changes is not None
    assert {Path(types_uri_path(u)).name: len(e) for u, e in edit.changes.items()} == {"main.treaty": 3, "vocab.treaty": 1}
    edited = _apply(MAIN, edit.changes[uri])
    assert "to performs(p)" in edited and "obliged(p, performs(p))" in edited
    with pytest.raises(Exception, match="reserved word"):
        editor.ask(
            editor.client.text_document_rename_async, types.RenameParams(text_document=doc, position=pos(MAIN, "acts(p)"), new_name="every")
        )
    with pytest.raises(Exception, match="already declared"):
        editor.ask(
            editor.client.text_document_rename_async, types.RenameParams(text_document=doc, position=pos(MAIN, "acts(p)"), new_name="duty")
        )
    on_builtin = editor.ask(
        editor.client.text_document_prepare_rename_async, types.PrepareRenameParams(text_document=doc, position=pos(MAIN, "obliged("))
    )
    assert on_builtin is None


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        assert e.range.start.line == e.range.end.line
        line = lines[e.range.start.line]
        lines[e.range.start.line] = line[: e.range.start.character] + e.new_text + line[e.range.end.character :]
    return "\n".join(lines)


def test_document_symbols_are_an_outline(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "vocab.treaty")
    symbols = editor.ask(
        editor.client.text_document_document_symbol_async, types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None
    outline = [(s.name, s.kind, [c.name for c in (s.children or [])]) for s in symbols if isinstance(s, types.DocumentSymbol)]
    assert outline == [
        ("T", types.SymbolKind.File, []),
        ("Party", types.SymbolKind.Enum, ["a", "b"]),
        ("acts", types.SymbolKind.Variable, []),
    ]
    main = editor.open(workspace / "main.treaty")
    symbols = editor.ask(
        editor.client.text_document_document_symbol_async, types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=main))
    )
    assert [s.name for s in symbols or []] == ["duty", "everyone_acts", "obliged_to_act", "everyone_acts_anyway"]


def test_completion_of_declared_names_keywords_and_bound_variables(editor: Editor, workspace: Path) -> None:
    text = MAIN + "define more = every q in Party: ac\n"
    uri = editor.open(workspace / "main.treaty", text)
    end = types.Position(line=line_of(text, "define more"), character=len("define more = every q in Party: ac"))
    items = editor.ask(
        editor.client.text_document_completion_async,
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=end),
    )
    assert isinstance(items, types.CompletionList)
    labels = {i.label for i in items.items}
    assert {"acts", "everyone_acts", "Party", "a", "duty", "q", "obligation", "every", "obliged"} <= labels
    assert "p" not in labels  # bound in another declaration
    after_cite = MAIN.replace("cite T article", "cite  article")
    editor.change(uri, 2, after_cite)
    editor.diagnostics_of(uri, 2)
    cite_at = types.Position(
        line=line_of(after_cite, "cite"), character=after_cite.split("\n")[line_of(after_cite, "cite")].index("cite") + 5
    )
    items = editor.ask(
        editor.client.text_document_completion_async,
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=cite_at),
    )
    assert isinstance(items, types.CompletionList) and [i.label for i in items.items] == ["T"]
    in_quote = types.Position(
        line=line_of(after_cite, "cite"), character=after_cite.split("\n")[line_of(after_cite, "cite")].index("shall")
    )
    items = editor.ask(editor.client.text_document_completion_async, types.CompletionParams(text_document=doc_of(uri), position=in_quote))
    assert isinstance(items, types.CompletionList) and not items.items


# ---- verdicts ----


def test_verdicts_after_save_as_lenses_and_in_hover(editor: Editor, workspace: Path) -> None:
    uri = editor.open(workspace / "main.treaty")
    doc = types.TextDocumentIdentifier(uri=uri)
    assert not editor.ask(editor.client.text_document_code_lens_async, types.CodeLensParams(text_document=doc))
    reports = len(editor.checked)
    editor.save(uri)
    done = editor.wait_checked(reports + 1)
    assert done["state"] == "done" and done["claims"] == 2
    assert editor.lens_refreshes >= 1  # type: ignore[attr-defined]
    lenses = editor.ask(editor.client.text_document_code_lens_async, types.CodeLensParams(text_document=doc))
    titles = {lens.range.start.line: lens.command.title for lens in lenses or [] if lens.command}
    assert titles[line_of(MAIN, "claim obliged_to_act")].startswith("✓ holds")
    assert titles[line_of(MAIN, "claim everyone_acts_anyway")].startswith("✓ fails")
    hover = editor.ask(editor.client.text_document_hover_async, types.HoverParams(text_document=doc, position=pos(MAIN, "obliged_to_act")))
    assert hover is not None and "Last check" in str(hover.contents) and "rests on:" in str(hover.contents)
    assert "norm duty" in str(hover.contents)  # the core names the norm the proof rests on
    editor.change(uri, 2, MAIN + "\n")
    editor.diagnostics_of(uri, 2)
    lenses = editor.ask(editor.client.text_document_code_lens_async, types.CodeLensParams(text_document=doc))
    assert all(lens.command and lens.command.title.startswith("(as saved) ") for lens in lenses or [])


def test_an_edit_cancels_the_running_check(editor: Editor, workspace: Path) -> None:
    nato = (REPO / "specs" / "nato.treaty").read_text()
    path = workspace / "nato.treaty"
    path.write_text(nato)
    uri = editor.open(path)
    doc = types.TextDocumentIdentifier(uri=uri)
    before = editor.status()
    reports = len(editor.checked)
    editor.save(uri)
    status = editor.status()
    assert status["checks_started"] == before["checks_started"] + 1 and status["checks_running"] == 1
    worker = running_worker(editor)
    editor.change(uri, 2, nato + "\n")
    done = editor.wait_checked(reports + 1)
    assert done["state"] == "cancelled" and done["claims"] < 35
    status = editor.status()
    assert status["checks_cancelled"] == before["checks_cancelled"] + 1 and status["checks_running"] == 0 and status["workers"] == []
    gone(worker)
    lenses = editor.ask(editor.client.text_document_code_lens_async, types.CodeLensParams(text_document=doc))
    assert lenses and any("cancelled" in (lens.command.title if lens.command else "") for lens in lenses)


def test_a_spec_with_errors_is_not_checked(editor: Editor, workspace: Path) -> None:
    broken = MAIN.replace("to acts(p)", "to act(p)")
    (workspace / "main.treaty").write_text(broken)
    uri = editor.open(workspace / "main.treaty")
    before = editor.status()
    editor.save(uri)
    status = editor.status()
    assert status["checks_started"] == before["checks_started"]
