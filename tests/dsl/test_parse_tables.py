"""The shipped LALR tables (treaty_dsl/grammar_tables.py) are those of the grammar, and parse as a
parser built from the grammar does."""

from __future__ import annotations

from pathlib import Path

import lark
import pytest
from lark.exceptions import UnexpectedInput

from treaty_dsl import grammar_tables, parse_tables

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("specs/*.treaty"), *ROOT.glob("examples/**/*.treaty"), *ROOT.glob("bench/**/*.treaty")])
BROKEN = ["claim", "party X\nclaim c: X X", 'instrument NAT "x"\nnorm n cite NAT art 5 "q": obliged(', "every p in: true"]


def test_tables_are_those_of_the_grammar() -> None:
    grammar = parse_tables.grammar_text()
    assert parse_tables.digest(grammar) == grammar_tables.GRAMMAR_SHA256, (
        "grammar.lark changed: regenerate the tables with `python -m treaty_dsl.parse_tables`"
    )


def test_tables_are_used_when_they_fit() -> None:
    if lark.__version__ != grammar_tables.LARK_VERSION:
        pytest.skip(f"tables made with Lark {grammar_tables.LARK_VERSION}, Lark {lark.__version__} installed: the parser is built")
    assert parse_tables.load(parse_tables.grammar_text()) is not None


def test_other_grammar_or_lark_builds_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_tables.load(parse_tables.grammar_text() + "\n// changed\n") is None
    monkeypatch.setattr(lark, "__version__", "0.0.0")
    assert parse_tables.load(parse_tables.grammar_text()) is None


@pytest.fixture(scope="module")
def parsers() -> tuple[lark.Lark, lark.Lark]:
    grammar = parse_tables.grammar_text()
    loaded = parse_tables.load(grammar)
    if loaded is None:
        pytest.skip("the shipped tables do not fit the installed Lark")
    return loaded, parse_tables.build(grammar)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_same_trees(parsers: tuple[lark.Lark, lark.Lark], path: Path) -> None:
    loaded, built = parsers
    text = path.read_text(encoding="utf-8")
    assert loaded.parse(text, start="start") == built.parse(text, start="start")


@pytest.mark.parametrize("text", BROKEN)
def test_same_errors(parsers: tuple[lark.Lark, lark.Lark], text: str) -> None:
    """Syntax errors (and so the diagnostics built from them) are the same too."""
    errors = []
    for p in parsers:
        with pytest.raises(UnexpectedInput) as info:
            p.parse(text, start="start")
        exc = info.value
        errors.append((type(exc), exc.line, exc.column, sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or [])))
    assert errors[0] == errors[1]


def test_damaged_tables_build_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    if lark.__version__ != grammar_tables.LARK_VERSION:
        pytest.skip("the shipped tables do not fit the installed Lark")
    monkeypatch.setattr(grammar_tables, "MEMO", {})
    assert parse_tables.load(parse_tables.grammar_text()) is None
