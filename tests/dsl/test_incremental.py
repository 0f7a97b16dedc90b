"""Parsing again after an edit gives exactly what parsing from scratch gives, spans included."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treaty_dsl.diagnostics import SpecError
from treaty_dsl.incremental import DECLARATION_KEYWORDS, IncrementalParser
from treaty_dsl.parse_tables import grammar_text
from treaty_dsl.parser import parse_module
from treaty_dsl.span import Span

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").glob("*.treaty"))


def spans(node: Any) -> list[Span]:
    """Every span in a tree, in a fixed order (the trees compare without them)."""
    if isinstance(node, Span):
        return [node]
    if isinstance(node, tuple):
        return [s for x in node for s in spans(x)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [s for f in dataclasses.fields(node) for s in spans(getattr(node, f.name))]
    return []


def outcome(parse: Any, text: str) -> Any:
    try:
        module = parse(text, "t.treaty")
    except SpecError as exc:
        return ("error", [(d.code, d.message, d.span) for d in exc.diagnostics])
    return ("ok", module, spans(module.decls))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_a_spec_parses_the_same_and_a_second_parse_reuses_every_chunk(path: Path) -> None:
    text = path.read_text()
    incremental = IncrementalParser()
    assert outcome(incremental.parse, text) == outcome(parse_module, text)
    incremental.reused = 0
    assert outcome(incremental.parse, text) == outcome(parse_module, text)
    assert incremental.reused > 5


@st.composite
def edits(draw: st.DrawFn) -> list[str]:
    """A shipped spec, then a few versions of it, each one edit further: lines inserted, deleted, changed."""
    text = draw(st.sampled_from(SPECS)).read_text()
    versions = [text]
    for _ in range(draw(st.integers(1, 4))):
        lines = versions[-1].split("\n")
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["insert blank", "delete", "duplicate", "typo", "insert text"]))
        if kind == "insert blank":
            lines.insert(at, "")
        elif kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "typo":
            col = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:col] + draw(st.sampled_from(["x", "(", " ", '"', "}", "and"])) + lines[at][col:]
        else:
            lines.insert(at, draw(st.sampled_from(["define extra = true", "# a note", "  and true", 'interpretation r "r" {', "}"])))
        versions.append("\n".join(lines))
    return versions


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edits())
def test_after_any_edits_the_result_is_that_of_a_fresh_parse(versions: list[str]) -> None:
    incremental = IncrementalParser()
    for text in versions:
        assert outcome(incremental.parse, text) == outcome(parse_module, text)


def test_the_cache_is_bounded() -> None:
    incremental = IncrementalParser(max_chunks=10, max_chars=2000)
    text = (REPO / "specs" / "nato.treaty").read_text()
    for k in range(5):
        incremental.parse(text + f"\ndefine extra{k} = true\n", "t.treaty")
    assert len(incremental.chunks) <= 10 and incremental.chars <= 2000


def test_the_cut_words_begin_declarations_and_nothing_else() -> None:
    """The chunks are cut at these words: the grammar must use each only to begin a declaration."""
    grammar = grammar_text()
    rules = dict(re.findall(r"^\??(\w+):(.*(?:\n\s+\|.*)*)", grammar, re.MULTILINE))
    starts = set()
    for name, body in rules.items():
        for alternative in body.split("|"):
            words = re.findall(r'"(\w+)"', alternative)
            first = words[:1] if alternative.strip().startswith('"') else []
            if name.endswith("_decl") or name == "norm_kind":
                starts.update(first)
            for word in words[len(first) :] if name.endswith("_decl") else words:
                assert word not in DECLARATION_KEYWORDS or name == "norm_kind", (name, word)
    assert starts == set(DECLARATION_KEYWORDS)
