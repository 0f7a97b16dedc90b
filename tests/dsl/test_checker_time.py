"""The checker on days, events, states, powers, legal orders and interpretations: what it builds,
and the codes and spans of its diagnostics (E0112-E0122, E0311-E0315). Prose is not asserted."""

from __future__ import annotations

import datetime

import pytest

from treaty_dsl import ir
from treaty_dsl.checker import check, interpretations
from treaty_dsl.diagnostics import Diagnostic, SpecError
from treaty_dsl.parser import parse_module
from treaty_dsl.types import BOOL, DAY

F = "t.treaty"

BASE = """instrument T "T"
order us "US law" ranks constitution > statute = treaty
order intl "International law"
instrument C "Constitution" in us constitution
instrument S "Statute" in us statute dated 2023-12-22
instrument N "NAT" in intl dated 1949-04-04
horizon from 2020-01-01 to 2030-12-31
domain P = {US, UK}
event notice(p: P) by p
event revoke(p: P) by p
input ok by nature
state party(p: P) initially true
power denounce(p: P) cite N article 13 quote "x" holder p by notice(p) when party(p)
  takes effect after 1 year ends party(p) revocable by revoke(p)
obligation stat(p: P) cite S article 1 quote "x" bearer p to notice(p)
obligation nat(p: P) cite N article 1 quote "x" bearer p to notice(p)
"""
BASE_LINES = BASE.count("\n")


def day(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


def checked(extra: str = "", reading: str | None = None) -> ir.Spec:
    return check([parse_module(BASE + extra, F)], reading=reading)


def diagnostics(extra: str, reading: str | None = None) -> list[Diagnostic]:
    with pytest.raises(SpecError) as info:
        checked(extra, reading)
    return info.value.diagnostics


def where(d: Diagnostic) -> tuple[str, int, int, int, int]:
    """Code and span, lines counted from the first added line."""
    s = d.span
    return d.code, s.line - BASE_LINES, s.column, s.end_line - BASE_LINES, s.end_column


def only(extra: str, reading: str | None = None) -> tuple[str, int, int, int, int]:
    ds = diagnostics(extra, reading)
    assert len(ds) == 1, [where(d) for d in ds]
    return where(ds[0])


# ---- what the checker builds ----


def test_base_spec_builds_time_and_orders() -> None:
    spec = checked()
    assert spec.horizon == (day("2020-01-01"), day("2030-12-31"))
    notice, notice_day = spec.inputs["notice"], spec.inputs["notice@day"]
    assert notice.event and notice.type == BOOL and notice.day_input == "notice@day"
    assert notice_day.type == DAY and notice_day.day_of == "notice" and notice_day.controller == notice.controller
    assert list(spec.orders) == ["us", "intl"]
    assert spec.orders["us"].ranks == (("constitution",), ("statute", "treaty"))
    assert spec.orders["us"].level("constitution") > spec.orders["us"].level("statute") == spec.orders["us"].level("treaty")
    assert spec.orders["us"].level(None) < spec.orders["us"].level("treaty")
    stat = spec.norms["stat"]
    assert stat.order is spec.orders["us"] and stat.citation.instrument.dated == day("2023-12-22")
    assert spec.norms["nat"].order is spec.orders["intl"] and spec.norms["nat"].level == 0


def test_power_is_built_with_its_parts() -> None:
    power = checked().powers["denounce"]
    assert power.delay == (1, "years")
    assert power.act is not None and power.act.input.name == "notice"
    assert power.revocation is not None and power.revocation.input.name == "revoke"
    assert [(e.kind, e.state.name) for e in power.effects] == [("ends", "party")]
    # a state named without `at` in the condition is read on the day before the act
    assert isinstance(power.when, ir.StateAt)
    when_day = power.when.day
    assert isinstance(when_day, ir.Shift) and (when_day.amount, when_day.unit) == (-1, "days")
    assert isinstance(when_day.base, ir.InputRef) and when_day.base.input.name == "notice@day"


def test_facts_are_built_with_their_days_and_changes() -> None:
    spec = checked('fact uk_leaves cite N article 13 paraphrase "x" on 2021-06-30 ends party(UK) starts party(US)\n')
    fact = spec.facts["uk_leaves"]
    assert fact.day == day("2021-06-30")
    assert [(e.kind, e.state.name, tuple(a.value for a in e.args)) for e in fact.effects] == [  # type: ignore[attr-defined]
        ("ends", "party", ("UK",)),
        ("starts", "party", ("US",)),
    ]
    assert fact.citation is not None and not fact.citation.quoted


def test_date_arithmetic_on_constants_is_folded_exactly() -> None:
    spec = checked(
        "claim c1: day_of(notice(US)) = 2024-02-29 + 1 year expect holds\n"
        "claim c2: day_of(notice(US)) = 2025-02-28 - 1 year expect holds\n"
        "claim c3: day_of(notice(US)) + 60 days > 2024-01-01 expect holds\n"
        "claim c4: (day_of(notice(US)) - day_of(revoke(US))) < 365 expect holds\n"
    )
    values = []
    for c in spec.claims[:2]:
        assert isinstance(c.body, ir.Cmp) and isinstance(c.body.right, ir.Const)
        values.append(c.body.right.value)
    assert values == [day("2025-02-28"), day("2024-02-28")]
    third = spec.claims[2].body
    assert isinstance(third, ir.Cmp) and isinstance(third.left, ir.Shift) and (third.left.amount, third.left.unit) == (60, "days")
    fourth = spec.claims[3].body
    assert isinstance(fourth, ir.Cmp) and isinstance(fourth.left, ir.Arith) and not isinstance(fourth.left.type, type(DAY))


def test_overrides_and_claims_per_reading() -> None:
    extra = (
        'prohibition later(p: P) cite C article 2 quote "x" bearer p to notice(p) overrides stat\n'
        'interpretation strict "a stricter reading" {\n  state party(p: P) initially false\n}\n'
        "claim c: party(US) at 2025-01-01 expect holds expect fails under strict\n"
        "claim d: true expect holds under strict\n"
    )
    spec = checked(extra)
    assert spec.norms["later"].overrides == ("stat",)
    assert spec.interpretations == {"strict": "a stricter reading"}
    assert [(c.name, c.expected, c.readings) for c in spec.claims] == [("c", "holds", (None, "strict")), ("d", None, ("strict",))]
    under = checked(extra, reading="strict")
    assert under.reading == "strict"
    assert [(c.name, c.expected) for c in under.claims] == [("c", "fails"), ("d", "holds")]
    assert isinstance(under.states["party"].initially, ir.Const) and under.states["party"].initially.value is False
    assert isinstance(spec.states["party"].initially, ir.Const) and spec.states["party"].initially.value is True
    assert interpretations([parse_module(BASE + extra, F)]) == ["strict"]


def test_interpretation_adds_declarations() -> None:
    extra = 'interpretation more "adds a norm" {\n  prohibition extra(p: P) cite N article 2 quote "x" bearer p to notice(p)\n}\n'
    assert "extra" not in checked(extra).norms
    assert "extra" in checked(extra, reading="more").norms


def test_the_withdrawal_fixture_checks(fixtures_dir) -> None:  # type: ignore[no-untyped-def]
    text = (fixtures_dir / "time" / "withdrawal.treaty").read_text(encoding="utf-8")
    spec = check([parse_module(text, "withdrawal.treaty")])
    assert [c.name for c in spec.claims] == ["c364", "c366", "c365", "concrete", "revoked"]
    assert [c.expected for c in spec.claims] == ["holds", "holds", "fails", "holds", "holds"]


# ---- diagnostics: codes and spans ----


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # E0112: a legal order that does not exist (an instrument's, or lawful's second argument)
        ('instrument X "x" in nowhere statute\n', ("E0112", 1, 18, 1, 36)),
        ("claim c: lawful(notice(US), nowhere) expect holds\n", ("E0112", 1, 29, 1, 36)),
        # E0113: a rank the order does not have; a rank named twice
        ('instrument X "x" in us regulation\n', ("E0113", 1, 18, 1, 34)),
        ('order o2 "x" ranks a > a\n', ("E0113", 1, 1, 1, 25)),
        # E0115: overriding something that is not a norm; a cycle of overrides
        ('prohibition p3(p: P) cite S article 2 quote "x" bearer p to notice(p) overrides nothing\n', ("E0115", 1, 1, 1, 88)),
        (
            'prohibition p3(p: P) cite S article 2 quote "x" bearer p to notice(p) overrides p4\n'
            'prohibition p4(p: P) cite S article 3 quote "x" bearer p to notice(p) overrides p3\n',
            ("E0115", 1, 1, 1, 83),
        ),
        # E0116: an override across legal orders
        ('prohibition p3(p: P) cite S article 2 quote "x" bearer p to notice(p) overrides nat\n', ("E0116", 1, 1, 1, 84)),
        # E0118: an expectation under an interpretation that does not exist
        ("claim c: true expect holds expect fails under nosuch\n", ("E0118", 1, 1, 1, 53)),
        # E0120: not a date; date arithmetic that leaves the calendar
        ("claim c: day_of(notice(US)) < 2025-02-30 expect holds\n", ("E0120", 1, 31, 1, 41)),
        ("claim c: day_of(notice(US)) < 2100-02-29 expect holds\n", ("E0120", 1, 31, 1, 41)),
        ("claim c: 9999-06-01 + 1 year > 2025-01-01 expect holds\n", ("E0120", 1, 10, 1, 29)),
        # a second horizon
        ("horizon from 2025-01-01 to 2025-12-31\n", ("E0101", 1, 1, 1, 38)),
        # E0121: a duration on its own
        ("claim c: 60 days > 1 expect holds\n", ("E0121", 1, 10, 1, 17)),
        # E0122: a state without a day (outside a power's condition)
        ("claim c: party(US) expect holds\n", ("E0122", 1, 10, 1, 19)),
        ('obligation p3(p: P) cite S article 2 quote "x" bearer p when party(p) to notice(p)\n', ("E0122", 1, 62, 1, 70)),
        # E0311: states and effects where they cannot be
        ('obligation p3(p: P) cite S article 2 quote "x" bearer p to party(p) at 2025-01-01\n', ("E0311", 1, 60, 1, 82)),
        ('obligation p3(p: P) cite S article 2 quote "x" bearer p to effective(denounce(p))\n', ("E0311", 1, 60, 1, 82)),
        ("assume party(US) at 2025-01-01\n", ("E0311", 1, 8, 1, 31)),
        ("state member(p: P) initially party(p) at 2025-01-01\n", ("E0311", 1, 30, 1, 52)),
        (
            'power p9(p: P) cite N article 13 quote "x" holder p by notice(p) when party(p) at 2025-01-01'
            " takes effect immediately ends party(p)\n",
            ("E0311", 1, 71, 1, 93),
        ),
        # E0312: an act, a revocation or day_of's argument that is not an event
        ('power p9(p: P) cite N article 13 quote "x" holder p by ok takes effect immediately ends party(p)\n', ("E0312", 1, 56, 1, 58)),
        (
            'power p9(p: P) cite N article 13 quote "x" holder p by notice(p) takes effect immediately ends party(p) revocable by ok\n',
            ("E0312", 1, 118, 1, 120),
        ),
        ("claim c: day_of(ok) > 2025-01-01 expect holds\n", ("E0312", 1, 17, 1, 19)),
        ("claim c: lawful(ok, us) expect holds\n", ("E0312", 1, 17, 1, 19)),
        # E0313: an effect on something that is not a legal state
        ('power p9(p: P) cite N article 13 quote "x" holder p by notice(p) takes effect immediately ends ok\n', ("E0313", 1, 96, 1, 98)),
        # E0314: `at` on something that is not a legal state
        ("claim c: ok at 2025-01-01 expect holds\n", ("E0314", 1, 10, 1, 12)),
        # E0315: effective() of something that is not a power
        ("claim c: effective(notice(US)) expect holds\n", ("E0315", 1, 20, 1, 30)),
        # E0316: a state read on a date before the horizon (also a date moved there)
        ("claim c: party(US) at 2019-12-31 expect holds\n", ("E0316", 1, 23, 1, 33)),
        ("claim c: party(US) at 2020-06-01 - 1 year expect holds\n", ("E0316", 1, 23, 1, 42)),
        # E0317: a fact dated outside the horizon; E0313: a fact that changes no state, or a state named by a variable
        ('fact f cite N article 10 paraphrase "x" on 2019-01-01 starts party(UK)\n', ("E0317", 1, 1, 1, 71)),
        ('fact f cite N article 10 paraphrase "x" on 2031-01-01 starts party(UK)\n', ("E0317", 1, 1, 1, 71)),
        ('fact f cite N article 10 paraphrase "x" on 2021-01-01 starts ok\n', ("E0313", 1, 62, 1, 64)),
        ('fact f cite N article 10 paraphrase "x" on 2021-01-01 starts party(p)\n', ("E0201", 1, 68, 1, 69)),
        # a fact named like another declaration
        ('fact notice cite N article 10 paraphrase "x" on 2021-01-01 starts party(UK)\n', ("E0101", 1, 1, 1, 76)),
    ],
)
def test_time_and_order_diagnostics(extra: str, expected: tuple[str, int, int, int, int]) -> None:
    assert only(extra) == expected


@pytest.mark.parametrize(
    ("horizon", "code"),
    [
        ("horizon from 2025-01-01 to 2025-13-01", "E0120"),
        ("horizon from 2025-02-29 to 2026-01-01", "E0120"),
        ("horizon from 2026-01-01 to 2025-01-01", "E0107"),
    ],
)
def test_bad_horizon(horizon: str, code: str) -> None:
    with pytest.raises(SpecError) as info:
        check([parse_module(f"domain P = {{US}}\n{horizon}\n", F)])
    (d,) = info.value.diagnostics
    assert (d.code, d.span.line, d.span.column, d.span.end_column) == (code, 2, 1, len(horizon) + 1)


def test_unknown_reading_is_E0118() -> None:
    (d,) = diagnostics("", reading="nosuch")
    assert d.code == "E0118"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a replacement must be of the same kind as what it replaces
        ("  define party = true\n", ("E0119", 2, 3, 2, 22)),
        # an interpretation holds rules, not a title, a `use` or another interpretation
        ('  spec "x"\n', ("E0119", 2, 3, 2, 11)),
    ],
)
def test_interpretation_diagnostics_E0119(body: str, expected: tuple[str, int, int, int, int]) -> None:
    extra = 'interpretation R "r" {\n' + body + "}\n"
    checked(extra)  # the spec's own reading does not look inside
    assert only(extra, reading="R") == expected


def test_interpretation_declared_twice_is_E0101() -> None:
    extra = 'interpretation R "r" {\n}\ninterpretation R "again" {\n}\n'
    ds = diagnostics(extra)
    assert [where(d)[:2] for d in ds] == [("E0101", 3)]


def test_durations_only_on_days() -> None:
    assert only("claim c: 3 + 60 days > 1 expect holds\n")[0] == "E0301"


def test_states_are_fine_in_claims_definitions_and_norm_conditions() -> None:
    spec = checked(
        "define member(p: P) = party(p) at 2025-01-01\n"
        'obligation p3(p: P) cite S article 2 quote "x" bearer p when party(p) at 2025-01-01 and effective(denounce(p)) to notice(p)\n'
        "claim c: member(US) and effective(denounce(US)) and lawful(notice(US), us) and defeated(stat(US)) expect holds\n"
    )
    assert spec.definitions["member"].temporal
    assert isinstance(spec.norms["p3"].when, ir.BoolOp)
