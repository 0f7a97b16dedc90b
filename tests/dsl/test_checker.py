"""AST to IR: name resolution and types. Codes, spans and suggestions are asserted, not prose."""

from __future__ import annotations

from fractions import Fraction

import pytest

from treaty_dsl import ir
from treaty_dsl.checker import check, check_formula
from treaty_dsl.diagnostics import Diagnostic, SpecError
from treaty_dsl.parser import decode_source, parse_formula, parse_module
from treaty_dsl.span import Span
from treaty_dsl.types import BOOL, RAT, EnumT, IntT

F = "t.treaty"

BASE = """spec "t"
instrument NAT "North Atlantic Treaty"
domain Party = {US, UK, EE}
domain Means = {armed_force, economic_aid}
input armed_attack(v: Party) by nature
input takes(p: Party, m: Means, v: Party) by p
input troops: 0..100 by nature
input votes(p: Party): 0..10 by p
define assists(p: Party, v: Party) = some m in Means: takes(p, m, v)
obligation assist(p: Party, v: Party)
  cite NAT article 5 quote "will assist"
  bearer p
  when armed_attack(v) and p != v
  to assists(p, v)
"""
BASE_LINES = BASE.count("\n")


def checked(extra: str = "") -> ir.Spec:
    return check([parse_module(BASE + extra, F)])


def diagnostics(extra: str) -> list[Diagnostic]:
    with pytest.raises(SpecError) as info:
        checked(extra)
    return info.value.diagnostics


def where(d: Diagnostic) -> tuple[str, int, int, int, int]:
    """code and span, with lines counted from the start of `extra` (line 1 = first added line)."""
    s = d.span
    return d.code, s.line - BASE_LINES, s.column, s.end_line - BASE_LINES, s.end_column


def only(extra: str) -> Diagnostic:
    ds = diagnostics(extra)
    assert len(ds) == 1, [where(d) for d in ds]
    return ds[0]


def test_base_spec_checks() -> None:
    spec = checked()
    assert spec.title == "t"
    assert list(spec.domains) == ["Party", "Means"]
    assert spec.domains["Party"].values == ("US", "UK", "EE")
    assert spec.constants["armed_force"].name == "Means"
    assert list(spec.inputs) == ["armed_attack", "takes", "troops", "votes"]
    assert spec.inputs["troops"].type == IntT(0, 100)
    assert spec.inputs["takes"].controller == ir.ParamController(0)
    assert spec.inputs["armed_attack"].controller == ir.Nature()
    assert list(spec.definitions) == ["assists"] and list(spec.norms) == ["assist"]


def test_the_small_example_checks(fixtures_dir) -> None:  # type: ignore[no-untyped-def]
    text = decode_source((fixtures_dir / "small.treaty").read_bytes(), "small.treaty")
    spec = check([parse_module(text, "small.treaty")])
    assert spec.title == "small"
    assert [c.name for c in spec.claims] == ["obliged_assist", "obliged_force", "no_force", "needs_invocation"]
    assert [c.expected for c in spec.claims] == ["holds", "fails", "holds", "holds"]
    assert spec.claims[0].text == "x"
    norm = spec.norms["assist"]
    assert norm.kind == "obligation"
    assert norm.citation.locator() == "NAT art. 5"
    assert norm.citation.quoted and norm.citation.text == "will assist the Party or Parties so attacked"
    assert spec.definitions["invoked"].type == BOOL
    assert not spec.definitions["invoked"].deontic


def test_claims_scenarios_and_deontic_definitions_check() -> None:
    spec = checked(
        """claim c: obliged(US, assists(US, UK)) expect holds
define q = obliged(US, true)
claim d: q expect holds
scenario s "t" given armed_attack(UK) expect obliged(US, assists(US, UK)) expect compliant(US)
claim e: count(p in Party where armed_attack(p): true) >= 2 / 3 * troops expect fails
claim f: active(assist(US, UK)) or violated(assist(UK, US)) expect fails
"""
    )
    assert [c.name for c in spec.claims] == ["c", "d", "s[1]", "s[2]", "e", "f"]
    assert spec.definitions["q"].deontic
    assert [c.scenario for c in spec.claims] == [None, None, "s", "s", None, None]
    # a scenario's givens become the premise of each expectation
    s1 = spec.claims[2].body
    assert isinstance(s1, ir.BoolOp) and s1.op == "implies"


def test_no_is_a_negated_some_and_where_folds_into_the_body() -> None:
    spec = checked(
        "claim a: no p in Party: armed_attack(p) expect fails\n"
        "claim b: every p in Party where p != US: armed_attack(p) expect fails\n"
        "claim c: some p in Party where p != US: armed_attack(p) expect fails\n"
    )
    a, b, c = (cl.body for cl in spec.claims)
    assert isinstance(a, ir.Not) and isinstance(a.operand, ir.Quant) and a.operand.kind == "some"
    assert isinstance(b, ir.Quant) and isinstance(b.body, ir.BoolOp) and b.body.op == "implies"
    assert isinstance(c, ir.Quant) and isinstance(c.body, ir.BoolOp) and c.body.op == "and"


# ---- exact rationals ----


def claim_body(formula: str) -> ir.Expr:
    spec = checked(f"claim c: {formula} expect holds\n")
    return spec.claims[0].body


def test_two_thirds_of_n_is_an_exact_fraction() -> None:
    body = claim_body("2/3 * troops >= 1")
    assert isinstance(body, ir.Cmp)
    prod = body.left
    assert isinstance(prod, ir.Arith) and prod.op == "*" and prod.type == RAT
    third = prod.left
    assert isinstance(third, ir.Const)
    assert type(third.value) is Fraction and third.value == Fraction(2, 3)
    assert isinstance(prod.right, ir.InputRef) and prod.right.input.name == "troops"


def test_division_by_a_constant_is_multiplication_by_its_exact_inverse() -> None:
    body = claim_body("troops / 3 > 1")
    assert isinstance(body, ir.Cmp) and isinstance(body.left, ir.Arith)
    assert body.left.op == "*"
    inverse = body.left.right
    assert isinstance(inverse, ir.Const) and inverse.value == Fraction(1, 3) and type(inverse.value) is Fraction
    # dividing by a fraction
    body = claim_body("troops / (1/2) > 1")
    assert isinstance(body, ir.Cmp) and isinstance(body.left, ir.Arith)
    assert body.left.right == ir.Const(2, IntT(2, 2))


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("1/3 + 1/3 + 1/3", 1),  # exact: never 0.999...
        ("6/3", 2),
        ("1/2 + 1/3", Fraction(5, 6)),
        ("-(1/3)", Fraction(-1, 3)),
        ("999999999999999 * 999999999999999", 999999999999999**2),
        ("1/999999999999999/999999999999999", Fraction(1, 999999999999999**2)),
    ],
)
def test_constant_arithmetic_is_folded_exactly(formula: str, value: int | Fraction) -> None:
    body = claim_body(f"{formula} = troops")
    assert isinstance(body, ir.Cmp) and isinstance(body.left, ir.Const)
    assert body.left.value == value and type(body.left.value) is type(value)
    if isinstance(value, int):
        assert body.left.type == IntT(value, value)
    else:
        assert body.left.type == RAT


# ---- name errors ----


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # E0101 duplicate declarations, with a label at the first one
        ("domain Party = {FR}", ("E0101", 1, 1, 1, 20)),
        ("domain Other = {US}", ("E0101", 1, 17, 1, 19)),
        ("define armed_attack = true", ("E0101", 1, 1, 1, 27)),
        ('instrument NAT "again"', ("E0101", 1, 1, 1, 23)),
        ("claim c: true expect holds\nclaim c: true expect holds", ("E0101", 2, 1, 2, 27)),
        ("scenario c expect true\nclaim c: true expect holds", ("E0101", 2, 1, 2, 27)),
        ("input f(p: Party, p: Party) by p", ("E0101", 1, 19, 1, 27)),
        # E0102 unknown type or domain
        ("input f(p: Pary) by p", ("E0102", 1, 12, 1, 16)),
        ("input f: Nope by nature", ("E0102", 1, 10, 1, 14)),
        ("claim c: every p in Pary: true expect holds", ("E0102", 1, 21, 1, 25)),
        ("claim c: count(p in Mean: true) > 0 expect holds", ("E0102", 1, 21, 1, 25)),
        # E0103 unknown instrument
        ('define d = true cite NATO article 1 quote "x"', ("E0103", 1, 17, 1, 46)),
        # E0104 recursive definitions
        ("define d(p: Party) = d(p)", ("E0104", 1, 1, 1, 26)),
        ("define a = b\ndefine b = c\ndefine c = a", ("E0104", 1, 1, 1, 13)),
        # E0105 bad controller
        ("input f(p: Party) by q", ("E0105", 1, 22, 1, 23)),
        ("input f(p: Party) by natur", ("E0105", 1, 22, 1, 27)),
        # E0108 reserved words
        ("define obliged = true", ("E0108", 1, 1, 1, 22)),
        ("domain nature = {x}", ("E0108", 1, 1, 1, 20)),
        ("domain D = {bool}", ("E0108", 1, 13, 1, 17)),
        ("input active by nature", ("E0108", 1, 1, 1, 23)),
        ("define compliant(p: Party) = true", ("E0108", 1, 1, 1, 34)),
        ("define violated = true", ("E0108", 1, 1, 1, 23)),
        ("domain int = {a}", ("E0108", 1, 1, 1, 17)),
        # E0109 a bearer that depends on more than the parameters
        (
            'obligation o(p: Party) cite NAT article 1 quote "x" bearer (if armed_attack(US) then US else UK) to true',
            ("E0109", 1, 61, 1, 96),
        ),
        # E0201 unknown names
        ("claim c: armed_atack(US) expect holds", ("E0201", 1, 10, 1, 21)),
        ("claim c: every p in Party: asists(p, US) expect holds", ("E0201", 1, 28, 1, 34)),
        ("claim c: Uk = US expect holds", ("E0201", 1, 10, 1, 12)),
        ("claim c: every party in Party: armed_attack(prty) expect holds", ("E0201", 1, 45, 1, 49)),
        # E0202 arity
        ("claim c: armed_attack(US, UK) expect holds", ("E0202", 1, 10, 1, 30)),
        ("claim c: armed_attack expect holds", ("E0202", 1, 10, 1, 22)),
        ("claim c: obliged(US) expect holds", ("E0202", 1, 10, 1, 21)),
        ("claim c: active(assist(US)) expect holds", ("E0202", 1, 17, 1, 27)),
        ("claim c: assists(US) expect holds", ("E0202", 1, 10, 1, 21)),
        # E0203 not callable / not a value
        ("claim c: US(1) expect holds", ("E0203", 1, 10, 1, 12)),
        ("claim c: assist(US, UK) expect holds", ("E0203", 1, 10, 1, 16)),
        ("claim c: assist expect holds", ("E0203", 1, 10, 1, 16)),
        ("claim c: Party expect holds", ("E0203", 1, 10, 1, 15)),
        ("claim c: NAT expect holds", ("E0203", 1, 10, 1, 13)),
        ("claim c: every p in Party: p(1) expect holds", ("E0203", 1, 28, 1, 29)),
        # E0107 / E0305 / E0110 / E0111
        ("input r: 5..1 by nature", ("E0107", 1, 10, 1, 14)),
        ("define d(x: 0..5) = true", ("E0305", 1, 13, 1, 17)),
        ('define d = true cite NAT article 1 quote "  "', ("E0110", 1, 17, 1, 46)),
        ("claim c: every US in Party: true expect holds", ("E0111", 1, 16, 1, 18)),
    ],
)
def test_name_errors(extra: str, expected: tuple[str, int, int, int, int]) -> None:
    assert where(only(extra)) == expected


def test_duplicate_points_at_the_first_declaration() -> None:
    d = only("domain Other = {US}")
    (label,) = d.labels
    assert label.message == "first declared here"
    assert label.span == Span(F, 3, 17, 3, 19)  # `US` in `domain Party = {US, UK, EE}`


@pytest.mark.xfail(
    strict=True,
    reason="BUG: checker._Checker.run declares inputs before definitions and definitions before norms, "
    "regardless of source order, so a duplicate is reported at the earlier declaration and "
    "'first declared here' points at the later one",
)
def test_duplicate_across_kinds_is_reported_at_the_second_in_source_order() -> None:
    d = only("define x = true\ninput x: bool by nature")
    assert where(d)[:3] == ("E0101", 2, 1)
    assert d.labels[0].span.line == BASE_LINES + 1


@pytest.mark.parametrize(
    ("extra", "suggestions"),
    [
        ("claim c: every p in Party: asists(p, US) expect holds", ("assists",)),
        ("claim c: every party in Party: armed_attack(prty) expect holds", ("party",)),  # bound variables too
        ("claim c: troops > votez(US) expect holds", ("votes",)),
        ("claim c: every p in Pary: true expect holds", ("Party",)),
        ("input f(p: Pary) by p", ("Party",)),
        ('define d = true cite NATO article 1 quote "x"', ("NAT",)),
        ("input f(p: Party) by natur", ("nature",)),
        ("claim c: violated(asist(US, UK)) expect holds", ("assist",)),
        ("claim c: zzzzzz expect holds", ()),
    ],
)
def test_did_you_mean(extra: str, suggestions: tuple[str, ...]) -> None:
    assert only(extra).suggestions == suggestions


def test_unknown_name_suggests_the_closest_input_first() -> None:
    assert only("claim c: armed_atack(US) expect holds").suggestions[0] == "armed_attack"


def test_recursion_message_names_the_cycle() -> None:
    assert "a -> b -> c -> a" in only("define a = b\ndefine b = c\ndefine c = a").message


# ---- type errors ----


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # E0301 type mismatch
        ("claim c: troops expect holds", ("E0301", 1, 10, 1, 16)),
        ("claim c: not troops expect holds", ("E0301", 1, 14, 1, 20)),
        ("claim c: true + 1 > 0 expect holds", ("E0301", 1, 10, 1, 14)),
        ("claim c: US = 1 expect holds", ("E0301", 1, 10, 1, 16)),
        ("claim c: US = armed_force expect holds", ("E0301", 1, 10, 1, 26)),
        ("claim c: (if true then US else 1) = US expect holds", ("E0301", 1, 11, 1, 33)),
        ("claim c: troops > US expect holds", ("E0301", 1, 19, 1, 21)),
        ("claim c: takes(US, US, UK) expect holds", ("E0301", 1, 20, 1, 22)),
        ("claim c: -US = 1 expect holds", ("E0301", 1, 11, 1, 13)),
        ("claim c: armed_attack(US) and troops expect holds", ("E0301", 1, 31, 1, 37)),
        # E0302 division by a non-constant
        ("claim c: troops / troops > 0 expect holds", ("E0302", 1, 19, 1, 25)),
        ("claim c: 2 / troops > 0 expect holds", ("E0302", 1, 14, 1, 20)),
        # E0303 division by zero, also by a constant expression that is zero
        ("claim c: troops / 0 > 0 expect holds", ("E0303", 1, 19, 1, 20)),
        ("claim c: troops / (1 - 1) > 0 expect holds", ("E0303", 1, 20, 1, 25)),
        ("claim c: troops / (1/2 - 2/4) > 0 expect holds", ("E0303", 1, 20, 1, 29)),
        # E0306 an actor is required
        ("claim c: obliged(1, true) expect holds", ("E0306", 1, 18, 1, 19)),
        ("claim c: obliged(armed_attack(US), true) expect holds", ("E0306", 1, 18, 1, 34)),
        ("claim c: compliant(troops) expect holds", ("E0306", 1, 20, 1, 26)),
        ('obligation o(p: Party) cite NAT article 1 quote "x" bearer 1 to true', ("E0306", 1, 60, 1, 61)),
        ('obligation o(p: Party) cite NAT article 1 quote "x" bearer armed_attack(p) to true', ("E0306", 1, 60, 1, 75)),
        # E0307 active/violated take a norm
        ("claim c: active(troops) expect holds", ("E0307", 1, 17, 1, 23)),
        ("claim c: active(1) expect holds", ("E0307", 1, 17, 1, 18)),
        ("claim c: violated(asist(US, UK)) expect holds", ("E0307", 1, 19, 1, 32)),
        ("claim c: active(assists(US, UK)) expect holds", ("E0307", 1, 17, 1, 32)),  # a definition is not a norm
        # E0310 deontic questions outside claims and expectations
        ('obligation o(p: Party) cite NAT article 1 quote "x" bearer p to obliged(p, true)', ("E0310", 1, 65, 1, 81)),
        (
            'obligation o(p: Party) cite NAT article 1 quote "x" bearer p when active(assist(p, US)) to true',
            ("E0310", 1, 67, 1, 88),
        ),
        ("assume obliged(US, true)", ("E0310", 1, 8, 1, 25)),
        ("scenario s given permitted(US, true) expect true", ("E0310", 1, 18, 1, 37)),
        (
            'define od(p: Party) = obliged(p, true)\nobligation o(p: Party) cite NAT article 1 quote "x" bearer p when od(p) to true',
            ("E0310", 2, 67, 2, 72),
        ),
        ("claim c: obliged(US, obliged(UK, true)) expect holds", ("E0310", 1, 22, 1, 39)),  # nested
    ],
)
def test_type_errors(extra: str, expected: tuple[str, int, int, int, int]) -> None:
    assert where(only(extra)) == expected


def test_deontic_definition_by_bare_name_in_an_assumption_is_e0310() -> None:
    d = only("define od = obliged(US, armed_attack(US))\nassume od")
    assert where(d)[:3] == ("E0310", 2, 8)


def test_deontic_definition_by_bare_name_in_a_norm_is_e0310() -> None:
    d = only('define od = obliged(US, true)\nobligation o(p: Party) cite NAT article 1 quote "x" bearer p when od to true')
    assert where(d)[:3] == ("E0310", 2, 67)


def test_every_error_of_the_stage_is_reported_at_once() -> None:
    ds = diagnostics("claim c: troops expect holds\nclaim d: Uk = US expect holds\ndefine e = asists\n")
    assert sorted(where(d)[:3] for d in ds) == [("E0201", 2, 10), ("E0201", 3, 12), ("E0301", 1, 10)]


def test_an_error_in_a_declaration_is_not_reported_again_at_its_uses() -> None:
    # `bad` has an unknown type; its uses are not "unknown name" errors as well
    ds = diagnostics("input bad(p: Nope) by nature\nclaim c: bad(US) expect holds\nclaim d: bad expect holds")
    assert [where(d)[0] for d in ds] == ["E0102"]


def test_diagnostics_carry_the_file_name() -> None:
    for d in diagnostics("claim c: troops expect holds\nclaim d: zz expect holds"):
        assert d.span.file == F


# ---- formulas typed on the command line ----


def test_check_formula() -> None:
    spec = checked()
    body = check_formula(spec, parse_formula("every p in Party: not obliged(p, takes(p, armed_force, EE))"))
    assert isinstance(body, ir.Quant) and body.type == BOOL
    assert isinstance(body.vars[0].type, EnumT) and body.vars[0].type.domain == "Party"


@pytest.mark.parametrize(
    ("formula", "code", "col"),
    [
        ("every p in Party: not armed_atack(p)", "E0201", 23),
        ("troops", "E0301", 1),
        ("armed_attack(US, UK)", "E0202", 1),
        ("every p in Pary: true", "E0102", 12),
    ],
)
def test_check_formula_errors(formula: str, code: str, col: int) -> None:
    with pytest.raises(SpecError) as info:
        check_formula(checked(), parse_formula(formula))
    (d,) = info.value.diagnostics
    assert (d.code, d.span.file, d.span.line, d.span.column) == (code, "<command line>", 1, col)


def test_check_formula_did_you_mean() -> None:
    with pytest.raises(SpecError) as info:
        check_formula(checked(), parse_formula("every p in Party: not armed_atack(p)"))
    assert info.value.diagnostics[0].suggestions[0] == "armed_attack"


# ---- specs of several modules ----


def test_names_resolve_across_modules() -> None:
    vocab = parse_module("domain Party = {US, UK}\ninput attacked(p: Party) by nature", "vocab.treaty")
    main = parse_module('spec "m"\nclaim c: every p in Party: attacked(p) expect fails', "main.treaty")
    spec = check([vocab, main])
    assert spec.files == ["vocab.treaty", "main.treaty"]
    assert [c.name for c in spec.claims] == ["c"]


def test_duplicate_across_modules_names_both_files() -> None:
    a = parse_module("domain Party = {US}", "a.treaty")
    b = parse_module("domain Party = {UK}", "b.treaty")
    with pytest.raises(SpecError) as info:
        check([a, b])
    (d,) = info.value.diagnostics
    assert (d.code, d.span.file) == ("E0101", "b.treaty")
    assert d.labels[0].span.file == "a.treaty"
