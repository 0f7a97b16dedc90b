"""`treaty fmt`: the formatted spec parses to the same tree, formatting twice changes nothing, and
every comment is kept. Over the shipped specs, generated specs, grammar-derived specs, and specs
with comments put between any two tokens."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treaty_dsl import ast
from treaty_dsl.diagnostics import SpecError
from treaty_dsl.format import decl_text, expr_text, format_text
from treaty_dsl.parser import parse_formula, parse_module
from treaty_dsl.tokens import scan

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "solver"))

from timed_strategies import timed_specs  # noqa: E402
from treaty_strategies import specs  # noqa: E402

from dsl.test_fuzz import grammar_specs  # noqa: E402


def _parses(path: Path) -> bool:
    try:
        parse_module(path.read_text(encoding="utf-8"), str(path))
    except SpecError:
        return False
    return True


PATTERNS = ("specs/**/*.treaty", "examples/**/*.treaty", "tests/fixtures/**/*.treaty", "bench/**/*.treaty")
SHIPPED = sorted(p for pattern in PATTERNS for p in REPO.glob(pattern) if _parses(p))


def comments(text: str) -> Counter[str]:
    return Counter(t.text.rstrip() for t in scan(text) if t.kind == "comment")


def assert_canonical(text: str, width: int = 120) -> str:
    formatted = format_text(text, "t.treaty", width)
    assert parse_module(formatted, "t.treaty") == parse_module(text, "t.treaty"), formatted
    assert format_text(formatted, "t.treaty", width) == formatted
    assert comments(formatted) == comments(text)
    assert formatted.endswith("\n") and not formatted.endswith("\n\n")
    assert all(line == line.rstrip() for line in formatted.split("\n"))
    return formatted


def test_the_corpus_is_not_empty() -> None:
    assert len(SHIPPED) >= 10
    assert any(p.parts[-2] == "specs" for p in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_specs_format_canonically(path: Path) -> None:
    assert_canonical(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("path", [REPO / "specs" / "nato.treaty", REPO / "specs" / "us_law.treaty", REPO / "specs" / "vclt.treaty"])
def test_narrow_widths_are_canonical_too(path: Path, width: int) -> None:
    assert_canonical(path.read_text(encoding="utf-8"), width)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(specs())
def test_generated_specs(text: str) -> None:
    assert_canonical(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(timed_specs(orders=True, readings=True))
def test_generated_timed_specs(text: str) -> None:
    assert_canonical(text)


def test_grammar_derived_specs() -> None:
    """Random derivations of the grammar, including the odd layouts no person writes."""
    parsed = 0
    for _, text in grammar_specs(300, 1600):
        try:
            parse_module(text, "t.treaty")
        except SpecError:
            continue
        parsed += 1
        assert_canonical(text)
        assert_canonical(text, width=30)
    assert parsed >= 50


# ---- comments anywhere ----

_SOURCES = [p for p in SHIPPED if "specs" in p.parts or "examples" in p.parts]


@st.composite
def commented(draw: st.DrawFn) -> str:
    """A shipped spec with comments between tokens: at the end of a line, or on a line of their own."""
    path = draw(st.sampled_from(_SOURCES))
    text = path.read_text(encoding="utf-8")
    tokens = [t for t in scan(text) if t.kind != "comment"]
    cuts = sorted(draw(st.sets(st.integers(0, len(tokens) - 1), min_size=1, max_size=12)), reverse=True)
    for n, i in enumerate(cuts):
        at = tokens[i].end_offset
        own_line = draw(st.booleans())
        comment = f"# note {n}" + draw(st.sampled_from(["", " with words", "# doubled", " ends in spaces   "]))
        text = text[:at] + ("\n" + comment + "\n" if own_line else "  " + comment + "\n") + text[at:]
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(commented())
def test_comments_anywhere_are_kept_and_stay_put(text: str) -> None:
    assert_canonical(text)


def test_comments_stay_next_to_their_code() -> None:
    text = """\
# the parties
domain Party = {
  a, b,  # founding
  # joined later
  c
}
input act(p: Party) by p  # what a party does

define both = act(a)   # the first
  and act(b)
"""
    out = assert_canonical(text)
    assert (
        out
        == """\
# the parties
domain Party = {
  a, b,  # founding
  # joined later
  c
}
input act(p: Party) by p  # what a party does

define both = act(a) and act(b)  # the first
"""
    )


def test_trailing_comments_in_a_run_are_aligned() -> None:
    text = "domain D = {x}\ninput a by nature # one\ninput longer_name by nature # two\n"
    assert assert_canonical(text) == "domain D = {x}\ninput a by nature            # one\ninput longer_name by nature  # two\n"


# ---- layout ----


def test_layout_of_every_declaration_kind() -> None:
    text = """\
spec "All kinds"
use "other.treaty"
order us "US law" ranks constitution > statute = treaty
instrument T "A treaty" in us treaty dated 2020-01-01
horizon from 2024-01-01 to 2024-12-31
domain Party = {a, b}
input act(p: Party) by p
input level: 0..5 by nature
event notice(p: Party) by p cite T article 1 paraphrase "notice"
define shared = level > 2 cite T article 2 quote "shared"
assume bounded: level <= 4
state member(p: Party) initially true
power leave(p: Party) cite T article 3 quote "leave" holder p by notice(p) when member(p)
  takes effect after 1 years ends member(p) revocable by act(p)
obligation o(p: Party) cite T article 4 section "4A" quote "shall" bearer p when shared to act(p) overrides other
claim c "a claim": every p in Party: obliged(p, act(p)) expect fails under r expect holds
scenario s "a scenario" given act(a) expect not act(b)
interpretation r "a reading" {
  define shared = level > 3
}
"""
    assert (
        assert_canonical(text)
        == """\
spec "All kinds"
use "other.treaty"
order us "US law" ranks constitution > statute = treaty
instrument T "A treaty" in us treaty dated 2020-01-01
horizon from 2024-01-01 to 2024-12-31
domain Party = {a, b}
input act(p: Party) by p
input level: 0..5 by nature
event notice(p: Party) by p
  cite T article 1 paraphrase "notice"
define shared = level > 2
  cite T article 2 quote "shared"
assume bounded: level <= 4
state member(p: Party) initially true
power leave(p: Party)
  cite T article 3 quote "leave"
  holder p
  by notice(p)
  when member(p)
  takes effect after 1 year
  ends member(p)
  revocable by act(p)
obligation o(p: Party)
  cite T article 4 section "4A" quote "shall"
  bearer p
  when shared
  to act(p)
  overrides other
claim c
  "a claim":
  every p in Party: obliged(p, act(p))
  expect holds
  expect fails under r
scenario s
  "a scenario"
  given act(a)
  expect not act(b)
interpretation r "a reading" {
  define shared = level > 3
}
"""
    )


def test_long_expressions_break_before_connectives() -> None:
    text = (
        "domain P = {a}\ninput f(p: P) by p\n"
        "claim c: every p in P: f(p) and f(p) and f(p) implies f(p) or f(p) or (f(p) and f(p))\n  expect holds\n"
    )
    assert assert_canonical(text, width=40) == (
        "domain P = {a}\ninput f(p: P) by p\n"
        "claim c:\n"
        "  every p in P:\n"
        "    f(p) and f(p) and f(p)\n"
        "    implies f(p)\n"
        "      or f(p)\n"
        "      or (f(p) and f(p))\n"
        "  expect holds\n"
    )


@pytest.mark.parametrize(
    "formula",
    [
        "(a implies b) implies c",
        "a implies b implies c",
        "not (a and b)",
        "(a or b) and c",
        "(a iff b) iff c",
        "a - (b - c)",
        "(a - b) - c",
        "a * (b + c)",
        "-(a + b) * -3",
        "x - -1",
        "(every p in P: f(p)) and g",
        "a and (if c then d else e)",
        "f(every p in P: g(p), if a then b else c)",
        "count(p in P where (some q in P: g(q)): f(p)) >= 2",
        "party(p) at (d + 1 day)",
        "(party(p) at d) = true",
        "every p in P where (a implies b): c",
        "d + 2 months - 1 day",
    ],
)
def test_parentheses_only_where_needed_and_always_where_needed(formula: str) -> None:
    e = parse_formula(formula)
    printed = expr_text(e)
    assert parse_formula(printed) == e, printed
    assert expr_text(parse_formula(printed)) == printed


def test_strings_and_locators_read_back() -> None:
    text = (
        'instrument T "a \\"quoted\\" \\\\ title"\n'
        'define x = true cite T article "1 bis" clause when section 05 paragraph a quote "tab\\there"\n'
    )
    out = assert_canonical(text)
    assert 'article "1 bis" clause "when" section 05 paragraph a' in out


def test_decl_text_has_no_comments_and_one_declaration() -> None:
    module = parse_module('define x = true  # c\n  cite T article 1 quote "q"\n', "t.treaty")
    assert decl_text(module.decls[0]) == 'define x = true\n  cite T article 1 quote "q"'
    assert isinstance(module.decls[0], ast.DefineDecl)


def test_a_spec_that_does_not_parse_is_a_diagnostic() -> None:
    with pytest.raises(SpecError) as info:
        format_text("define x = \n", "bad.treaty")
    assert info.value.diagnostics[0].code == "E0003"


def test_blank_lines_are_kept_once_and_never_inside_a_declaration() -> None:
    text = "\n\ndomain D = {x}\n\n\n\n# about f\n\ninput f by nature\ndefine g =\n\n  f\n"
    assert assert_canonical(text) == "domain D = {x}\n\n# about f\n\ninput f by nature\ndefine g = f\n"


def test_scan_never_fails() -> None:
    rng = random.Random(7)
    alphabet = 'ab 1\n"#(){}:,.-=<>!@\\é'
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        position = 0
        for tok in scan(text):
            assert text[position : tok.offset].strip() == ""  # only blanks between tokens
            assert text[tok.offset : tok.end_offset] == tok.text and tok.text
            position = tok.end_offset
        assert text[position:].strip() == ""
