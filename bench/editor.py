"""How fast the editor tools answer: `python -m bench.editor [--runs N]`.

Measures, on a spec of 400 lines (the NATO spec and definitions in its vocabulary):

- re-diagnosis as the language server does it after an edit: parse (again only the declarations
  that changed), check under the spec's own reading and under each interpretation
  (`solver.lsp.analysis.analyze`), after a word typed mid-file, after a line inserted at the top
  (every declaration moves), and on a text with nothing to reuse;
- the same through a running `treaty lsp` process: from the edit sent to the diagnostics received,
  with no debounce (needs the `lsp` extra);
- building the name index (hover, definition, references), and `treaty fmt` of the file.

Prints the median and the 90th percentile of each, in milliseconds. The machine is shared: compare
medians, not single runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINES = 400


def spec_text(lines: int = LINES) -> str:
    """The NATO spec with definitions appended until it has `lines` lines."""
    text = (REPO / "specs" / "nato.treaty").read_text(encoding="utf-8")
    extra: list[str] = []
    i = 0
    while text.count("\n") + len(extra) < lines:
        extra.append(f"define assists_{i}(p: Party) = party(p) at attack_day + {i} days and assists(p, EE)")
        i += 1
    return text + "\n".join(extra) + "\n"


def timed(fn: Callable[[int], object], runs: int) -> list[float]:
    out = []
    for k in range(runs):
        start = time.perf_counter()
        fn(k)
        out.append((time.perf_counter() - start) * 1000)
    return out


def show(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    print(f"{name:58} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   ({len(ms)} runs)")


def in_process(text: str, runs: int) -> None:
    from solver.lsp.analysis import ModuleCache, analyze
    from treaty_dsl.format import format_text
    from treaty_dsl.index import build_index
    from treaty_dsl.parser import parse_module

    file = str(REPO / "bench" / "specs" / "editor.treaty")
    cache = ModuleCache()
    analyze(file, text, 0, lambda _: None, cache)  # warm up: parser tables, imports

    lines = text.split("\n")
    middle = len(lines) // 2
    while not lines[middle].startswith("define "):
        middle += 1
    edits: dict[str, Callable[[int], str]] = {
        "a word typed in a declaration mid-file": lambda k: "\n".join(
            [*lines[:middle], lines[middle] + f" and {k} = {k}", *lines[middle + 1 :]]
        ),
        "a line inserted at the top (every line moves)": lambda k: "\n" * (k % 2 + 1) + text,
        "the whole file new (nothing to reuse)": lambda k: text.replace("Party", f"Party{k}"),
    }
    for name, edit in edits.items():

        def diagnose(k: int, edit: Callable[[int], str] = edit) -> None:
            result = analyze(file, edit(k), k, lambda _: None, cache)
            assert result.parsed and not result.diagnostics, result.diagnostics

        show(f"re-diagnosis, {name}", timed(diagnose, runs))
    module = parse_module(text, file)
    show("name index of it", timed(lambda k: build_index([module], {file: text}), runs))
    show("treaty fmt of it", timed(lambda k: format_text(text + f"# edit {k}\n", file), max(3, runs // 3)))


def through_the_server(text: str, runs: int) -> None:
    try:
        from lsprotocol import types
        from pygls.lsp.client import LanguageClient
    except ImportError:
        print("(the server round trip needs the lsp extra: pip install 'treaty-dsl[lsp]')")
        return

    async def main() -> list[float]:
        client = LanguageClient("bench", "1")
        published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            published.put_nowait(params)

        await client.start_io(sys.executable, "-m", "solver", "lsp")
        await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0, "checkOnSave": False})
        )
        client.initialized(types.InitializedParams())
        uri = (REPO / "bench" / "specs" / "editor.treaty").as_uri()
        item = types.TextDocumentItem(uri=uri, language_id="treaty", version=0, text=text)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        await published.get()
        out = []
        for k in range(1, runs + 1):
            start = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=k),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n" * (k % 2 + 1) + text)],
                )
            )
            while (await published.get()).version != k:
                pass
            out.append((time.perf_counter() - start) * 1000)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        return out

    show("through treaty lsp, a line inserted at the top (edit to diagnostics)", asyncio.run(main()))


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.editor", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="runs per measurement (default 30)")
    args = parser.parse_args(argv)
    text = spec_text()
    in_process(text, args.runs)
    through_the_server(text, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(run())
