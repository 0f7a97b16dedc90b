"""The name index: every occurrence of a name leads to its declaration, across files and readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from treaty_dsl.index import SpecIndex, build_index
from treaty_dsl.parser import parse_module

REPO = Path(__file__).resolve().parents[2]

VOCAB = """\
order us "US law" ranks constitution > statute
instrument T "A treaty" in us statute
domain Party = {a, b}
input acts(p: Party) by p
"""

MAIN = """\
use "vocab.treaty"
obligation duty(p: Party)
  cite T article 1 quote "shall"
  bearer p
  when some q in Party: q != p and acts(q)
  to acts(p)
obligation other(p: Party)
  cite T article 2 quote "may not"
  bearer p
  to not acts(p)
  overrides duty
claim c: every p in Party: obliged(p, acts(p))
  expect holds
  expect fails under lax
interpretation lax "A reading" {
  obligation duty(p: Party)
    cite T article 1 quote "shall"
    bearer p
    to acts(a)
}
"""


LOCATORS = {"article", "section", "subsection", "paragraph", "clause", "point"}


@pytest.fixture(scope="module")
def index() -> SpecIndex:
    modules = [parse_module(VOCAB, "vocab.treaty"), parse_module(MAIN, "main.treaty")]
    return build_index(modules, {"vocab.treaty": VOCAB, "main.treaty": MAIN})


def at(index: SpecIndex, file: str, text: str, needle: str, nth: int = 0, offset: int = 0) -> tuple[str, ...]:
    """The key of the name at `offset` characters into the nth line holding `needle`."""
    lines = text.split("\n")
    found = [(i + 1, line.index(needle) + 1 + offset) for i, line in enumerate(lines) if needle in line][nth]
    occurrence = index.occurrence_at(file, *found)
    assert occurrence is not None, needle
    return occurrence.key


def test_a_name_in_another_file_leads_to_its_declaration(index: SpecIndex) -> None:
    key = at(index, "main.treaty", MAIN, "acts(p)")
    assert key == ("global", "acts")
    (definition,) = index.definitions_of(key)
    assert (definition.name_span.file, definition.name_span.line, definition.name_span.column) == ("vocab.treaty", 4, 7)
    assert definition.kind == "input"
    assert len(index.references(key)) == 6  # the declaration and five uses


def test_parameters_and_bound_variables_are_scoped(index: SpecIndex) -> None:
    bearer = at(index, "main.treaty", MAIN, "bearer p", offset=7)
    assert bearer[0] == "local"
    q = at(index, "main.treaty", MAIN, "acts(q)", offset=5)
    (definition,) = index.definitions_of(q)
    assert definition.kind == "variable" and definition.name_span.line == 5
    p_in_second_norm = at(index, "main.treaty", MAIN, "bearer p", nth=1, offset=7)
    assert p_in_second_norm != bearer  # another declaration, another parameter


def test_a_replaced_declaration_has_both_definitions(index: SpecIndex) -> None:
    key = at(index, "main.treaty", MAIN, "overrides duty", offset=10)
    defs = index.definitions_of(key)
    assert [(d.kind, d.reading, d.name_span.line) for d in defs] == [("obligation", None, 2), ("obligation", "lax", 16)]


def test_citations_orders_ranks_and_readings(index: SpecIndex) -> None:
    assert at(index, "main.treaty", MAIN, "T article") == ("global", "T")
    assert at(index, "main.treaty", MAIN, "under lax", offset=6) == ("reading", "lax")
    assert at(index, "vocab.treaty", VOCAB, "us statute") == ("global", "us")
    assert at(index, "vocab.treaty", VOCAB, "us statute", offset=3) == ("rank", "us", "statute")
    (rank,) = index.definitions_of(("rank", "us", "statute"))
    assert rank.name_span.line == 1
    assert at(index, "main.treaty", MAIN, "obliged") == ("builtin", "obliged")
    assert at(index, "main.treaty", MAIN, "vocab", offset=1) == ("file", "vocab.treaty")


def test_the_outline_and_completion_names(index: SpecIndex) -> None:
    assert [(d.kind, d.name) for d in index.top_level("main.treaty")] == [
        ("obligation", "duty"),
        ("obligation", "other"),
        ("claim", "c"),
        ("interpretation", "lax"),
    ]
    (lax,) = [d for d in index.top_level("main.treaty") if d.name == "lax"]
    assert [d.name for d in index.children(lax)] == ["duty"]
    (party,) = [d for d in index.top_level("vocab.treaty") if d.name == "Party"]
    assert [d.name for d in index.children(party)] == ["a", "b"]
    names = {d.name for d in index.global_names()}
    assert {"acts", "Party", "a", "b", "T", "us", "duty", "other", "c", "lax"} <= names
    assert {d.name for d in index.locals_at("main.treaty", 5, 30)} == {"p", "q"}


def test_every_name_of_the_shipped_specs_is_indexed() -> None:
    """Each name token of a spec that checks is an occurrence with a declaration (or a builtin)."""
    from treaty_dsl.loader import load_spec
    from treaty_dsl.tokens import scan

    for path in sorted((REPO / "specs").glob("*.treaty")):
        loaded = load_spec(path)
        texts = {name: source.text for name, source in loaded.sources.items()}
        modules = [parse_module(text, name) for name, text in texts.items()]
        index = build_index(modules, texts)
        for name, text in texts.items():
            tokens = [t for t in scan(text) if t.kind != "comment"]
            for previous, tok in zip([None, *tokens], tokens, strict=False):
                if tok.kind != "name" or (previous is not None and (previous.text in LOCATORS or previous.kind == "number")):
                    continue  # `article V` locates a text, `20 years` is a duration: neither names a declaration
                occurrence = index.occurrence_at(name, tok.line, tok.column)
                assert occurrence is not None, (name, tok)
                assert occurrence.key[0] in ("builtin", "file", "rank") or index.definitions_of(occurrence.key), (name, tok)
