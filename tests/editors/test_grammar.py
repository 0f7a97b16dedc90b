"""The editor grammar (editors/vscode/syntaxes/treaty.tmLanguage.json) on the shipped specs.

The grammar is a list of single-line `match` patterns, so a TextMate engine's rule is easy to
follow here: at each position, the pattern that matches earliest wins (the first listed, on a tie),
its scopes cover its match, and scanning goes on after it. Every token of every shipped spec (as
the project's own scanner reads it) must get a scope of the right family, and every token class,
and every keyword of grammar.lark, must appear.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from treaty_dsl.tokens import TokenKind, keywords, scan

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "editors" / "vscode"
GRAMMAR = json.loads((EXTENSION / "syntaxes" / "treaty.tmLanguage.json").read_text())
SPECS = sorted(p for pattern in ("specs/**/*.treaty", "examples/**/*.treaty") for p in REPO.glob(pattern))

# The scope families a token of each kind may get.
FAMILIES: dict[TokenKind, tuple[str, ...]] = {
    "comment": ("comment.",),
    "string": ("string.",),
    "date": ("constant.numeric.",),
    "number": ("constant.numeric.",),
    "keyword": ("keyword.", "storage.type.", "constant.language."),
    "name": ("entity.name.", "variable.", "support.", "keyword.other.unit."),
    "operator": ("keyword.operator.",),
    "punctuation": ("punctuation.",),
    "error": ("invalid.",),
}


DECLARING = {"obligation", "prohibition", "permission", "domain", "define", "input", "event", "state", "power", "claim", "scenario"}
DECLARING |= {"instrument", "order", "interpretation", "cite"}


class Pattern:
    def __init__(self, raw: dict[str, object]) -> None:
        self.regex = re.compile(str(raw["match"]))
        self.name = raw.get("name")
        captures = raw.get("captures") or {}
        assert isinstance(captures, dict)
        self.captures = {int(k): v["name"] for k, v in captures.items()}


PATTERNS = [Pattern(p) for p in GRAMMAR["patterns"]]


def scopes_of_line(line: str) -> list[str | None]:
    """The innermost scope of each character of a line."""
    out: list[str | None] = [None] * len(line)
    pos = 0
    while pos < len(line):
        best = None
        for p in PATTERNS:
            m = p.regex.search(line, pos)
            if m and m.end() > m.start() and (best is None or m.start() < best[1].start()):
                best = (p, m)
        if best is None:
            break
        p, m = best
        for i in range(m.start(), m.end()):
            out[i] = p.name  # type: ignore[assignment]
        for group, name in p.captures.items():
            for i in range(m.start(group), m.end(group)):
                out[i] = name
        pos = m.end()
    return out


def test_the_grammar_is_valid_json_with_the_scope_name_the_extension_declares() -> None:
    package = json.loads((EXTENSION / "package.json").read_text())
    (grammar,) = package["contributes"]["grammars"]
    assert grammar["scopeName"] == GRAMMAR["scopeName"] == "source.treaty"
    assert (EXTENSION / grammar["path"]).resolve() == (EXTENSION / "syntaxes" / "treaty.tmLanguage.json").resolve()
    assert package["contributes"]["languages"][0]["extensions"] == [".treaty"]
    assert package["main"] == "./extension.js" and (EXTENSION / "extension.js").exists()


def test_language_configuration_comments_brackets_and_quotes() -> None:
    config = json.loads((EXTENSION / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#"
    assert ["(", ")"] in config["brackets"] and ["{", "}"] in config["brackets"]
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in config["autoClosingPairs"]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_token_of_a_shipped_spec_is_scoped_by_its_kind(path: Path) -> None:
    lines = path.read_text().split("\n")
    line_scopes = [scopes_of_line(line) for line in lines]
    previous = ""
    for tok in scan(path.read_text()):
        scopes = line_scopes[tok.line - 1][tok.column - 1 : tok.end_column - 1]
        assert all(s is not None for s in scopes), (path.name, tok)
        assert len(set(scopes)) == 1, (path.name, tok, scopes)  # one token, one scope
        families = FAMILIES[tok.kind]
        if tok.kind == "keyword" and previous in DECLARING:
            families = FAMILIES["name"]  # a word of the grammar used as a name (`input takes(...)`)
        assert str(scopes[0]).startswith(families), (path.name, tok, scopes[0])
        previous = tok.text
    for number, (line, scopes) in enumerate(zip(lines, line_scopes, strict=True), 1):
        unscoped = "".join(ch for ch, s in zip(line, scopes, strict=True) if s is None)
        assert not unscoped.strip(), (path.name, number, unscoped)


def test_every_token_class_and_every_keyword_appears_in_the_shipped_specs_and_is_scoped() -> None:
    kinds: Counter[str] = Counter()
    scopes: Counter[str] = Counter()
    seen_keywords: set[str] = set()
    for path in SPECS:
        text = path.read_text()
        for tok in scan(text):
            kinds[tok.kind] += 1
            if tok.kind == "keyword":
                seen_keywords.add(tok.text)
        for line in text.split("\n"):
            scopes.update(s for s in scopes_of_line(line) if s)
    assert set(kinds) == set(FAMILIES) - {"error"}
    for family in ("comment.", "string.", "constant.numeric.date", "constant.numeric.integer", "keyword.declaration", "storage.type.norm"):
        assert any(s.startswith(family) for s in scopes), family
    for family in ("entity.name.function", "entity.name.type", "entity.name.tag", "support.function.builtin", "keyword.operator.logical"):
        assert any(s.startswith(family) for s in scopes), family
    unused = keywords() - seen_keywords
    assert len(unused) < 10, unused  # the corpus uses nearly the whole language


@pytest.mark.parametrize("word", sorted(keywords()))
def test_every_keyword_of_the_language_is_scoped_as_a_keyword(word: str) -> None:
    """A keyword added to grammar.lark must be added to the editor grammar too."""
    scopes = scopes_of_line(f"x {word} y")
    assert str(scopes[2]).startswith(FAMILIES["keyword"]), (word, scopes[2])


def test_an_unterminated_string_and_escapes() -> None:
    line = 'cite T quote "a \\"quoted\\" word" and "open'
    scopes = scopes_of_line(line)
    assert scopes[line.index('"a')] == scopes[line.index('word"') + 4] == "string.quoted.double.treaty"
    assert scopes[line.index('"open')] == scopes[-1] == "invalid.illegal.unterminated-string.treaty"


def test_names_after_declaration_keywords_and_calls() -> None:
    line = "obligation duty(p: Party) define f = obliged(p, acts(p)) and 3 days"
    scopes = scopes_of_line(line)
    assert scopes[line.index("duty")] == "entity.name.function.norm.treaty"
    assert scopes[line.index("obliged")] == "support.function.builtin.treaty"
    assert scopes[line.index("acts")] == "entity.name.function.call.treaty"
    assert scopes[line.index("Party")] == "variable.other.treaty"
    assert scopes[line.index("days")] == "keyword.other.unit.treaty"
