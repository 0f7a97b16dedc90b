"""Verdicts on small hand-written specs about days, events, legal states and powers (issue 4's
"must show" list), and the exactness of the encoding of calendar years."""

from __future__ import annotations

import datetime

import pytest
import z3
from differential import compare, load
from reference import Reference

from solver.encode import Encoder
from solver.results import Result
from solver.verify import Verifier
from treaty_dsl.calendar import leap_days, shift_day
from treaty_dsl.diagnostics import SpecError
from treaty_dsl.loader import load_spec


def d(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


def verdicts(text: str) -> dict[str, Result]:
    spec = load(text)
    verifier = Verifier(spec, timeout_s=30)
    return {c.name: verifier.check_claim(c) for c in spec.claims}


def assert_verdicts(results: dict[str, Result], expected: dict[str, str]) -> None:
    assert {name: r.verdict for name, r in results.items()} == expected


WITHDRAWAL = """
instrument NAT "North Atlantic Treaty" in international dated 1949-04-04
order international "International law"
horizon from {start} to {end}
domain Party = {{US, UK}}
event notice(p: Party) by p
event revoke(p: Party) by p
state party(p: Party) initially true
power denounce(p: Party)
  cite NAT article 13 quote "Any Party may cease to be a Party one year after its notice of denunciation has been given"
  holder p
  by notice(p)
  when party(p)
  takes effect after 1 year
  ends party(p)
  revocable by revoke(p)
"""


def withdrawal(claims: str, start: str = "2000-01-01", end: str = "2100-12-31") -> str:
    return WITHDRAWAL.format(start=start, end=end) + claims


# ---- the fixture, as the CLI reads it ----


def test_withdrawal_fixture_as_expected(fixtures_dir) -> None:  # type: ignore[no-untyped-def]
    loaded = load_spec(fixtures_dir / "time" / "withdrawal.treaty")
    verifier = Verifier(loaded.spec, timeout_s=30)
    results = {c.name: verifier.check_claim(c) for c in loaded.spec.claims}
    assert {n: r.verdict for n, r in results.items()} == {c.name: c.expected for c in loaded.spec.claims}
    assert [c.expected for c in loaded.spec.claims] == ["holds", "holds", "fails", "holds", "holds"]


# ---- concrete dates ----


def test_notice_on_28_february_2025() -> None:
    """Notice on 2025-02-28: still a party on 2026-02-27, not on 2026-02-28 (the effect day) nor
    on 2026-03-01."""
    premise = "notice(US) and day_of(notice(US)) = 2025-02-28 and not revoke(US)"
    results = verdicts(
        withdrawal(
            f"claim still: {premise} implies party(US) at 2026-02-27 expect holds\n"
            f"claim gone: {premise} implies not party(US) at 2026-03-01 expect holds\n"
            f"claim gone_on_effect_day: {premise} implies not party(US) at 2026-02-28 expect holds\n"
            f"claim wrong_still: {premise} implies party(US) at 2026-02-28 expect holds\n"
            f"claim other_stays: {premise} and not notice(UK) implies party(UK) at 2100-12-31 expect holds\n"
        )
    )
    assert_verdicts(
        results, {"still": "holds", "gone": "holds", "gone_on_effect_day": "holds", "wrong_still": "fails", "other_stays": "holds"}
    )


def test_notice_on_a_leap_day() -> None:
    """From 29 February 2024 one year on is 28 February 2025."""
    premise = "notice(US) and day_of(notice(US)) = 2024-02-29 and not revoke(US)"
    results = verdicts(
        withdrawal(
            f"claim before: {premise} implies party(US) at 2025-02-27 expect holds\n"
            f"claim on: {premise} implies not party(US) at 2025-02-28 expect holds\n"
        )
    )
    assert_verdicts(results, {"before": "holds", "on": "holds"})


# ---- a symbolic notice day ----


def test_symbolic_notice_day_364_366_and_365() -> None:
    """Still a party on d + 364 days; no longer on d + 366 days; "no longer on d + 365 days" fails,
    and the counterexample is a notice day from which the next 365 days cross a 29 February."""
    premise = "every p in Party: notice(p) and not revoke(p) implies"
    results = verdicts(
        withdrawal(
            f"claim c364: {premise} party(p) at day_of(notice(p)) + 364 days expect holds\n"
            f"claim c366: {premise} not party(p) at day_of(notice(p)) + 366 days expect holds\n"
            f"claim c365: {premise} not party(p) at day_of(notice(p)) + 365 days expect fails\n"
            f"claim year: {premise} not party(p) at day_of(notice(p)) + 1 year expect holds\n"
            f"claim year_less_a_day: {premise} party(p) at day_of(notice(p)) + 1 year - 1 day expect holds\n"
        )
    )
    assert_verdicts(results, {"c364": "holds", "c366": "holds", "c365": "fails", "year": "holds", "year_less_a_day": "holds"})
    scenario = results["c365"].scenario  # type: ignore[attr-defined]
    notices = [(day, what) for day, what in scenario.events if what.startswith("notice(")]
    assert len(notices) == 1, scenario.events
    day = d(notices[0][0])
    assert leap_days(day + 1, day + 365), f"{notices[0][0]} + 365 days crosses no 29 February"


def test_symbolic_day_on_a_short_horizon_around_a_leap_day() -> None:
    """The same on a horizon of a few days: from 2024-02-27 and 2024-02-28 a year is 366 days,
    from 2024-02-29 and 2024-03-01 it is 365."""
    premise = "notice(US) and not revoke(US) and"
    results = verdicts(
        withdrawal(
            f"claim early: {premise} day_of(notice(US)) <= 2024-02-28 implies party(US) at day_of(notice(US)) + 365 days expect holds\n"
            f"claim late: {premise} day_of(notice(US)) >= 2024-02-29 implies not party(US) at day_of(notice(US)) + 365 days expect holds\n"
            f"claim all: {premise} true implies party(US) at day_of(notice(US)) + 365 days expect fails\n",
            start="2024-02-27",
            end="2024-03-01",
        )
    )
    assert_verdicts(results, {"early": "holds", "late": "holds", "all": "fails"})


# ---- revocation ----


def test_revoked_notice_has_no_effect() -> None:
    revoked = "notice(US) and revoke(US) and day_of(notice(US)) <= day_of(revoke(US)) and day_of(revoke(US)) < day_of(notice(US)) + 1 year"
    results = verdicts(
        withdrawal(
            f"claim no_effect: {revoked} implies party(US) at 2100-12-31 and not effective(denounce(US)) expect holds\n"
            # a revocation on the effect day or later comes too late
            "claim too_late: notice(US) and revoke(US) and day_of(revoke(US)) >= day_of(notice(US)) + 1 year"
            " implies effective(denounce(US)) and not party(US) at day_of(notice(US)) + 1 year expect holds\n"
            # a revocation before the notice revokes nothing
            "claim before: notice(US) and revoke(US) and day_of(revoke(US)) < day_of(notice(US)) implies effective(denounce(US))"
            " expect holds\n"
            # the other party stays, whatever the US does
            "claim others_stay: not notice(UK) implies party(UK) at 2100-12-31 expect holds\n"
        )
    )
    assert_verdicts(results, {"no_effect": "holds", "too_late": "holds", "before": "holds", "others_stay": "holds"})


# ---- conditions, same-day effects, immediate effect ----

MEMBERSHIP = """
instrument T "T"
horizon from 2024-02-27 to 2024-03-02
domain P = {a, b}
event leave(p: P) by p
event join(p: P) by p
state member(p: P) initially p = a
power withdraw(p: P) cite T article 1 quote "w" holder p by leave(p) when member(p) takes effect immediately ends member(p)
power accede(p: P) cite T article 2 quote "w" holder p by join(p) when not member(p) takes effect immediately starts member(p)
"""


def test_condition_reads_the_day_before_the_act() -> None:
    results = verdicts(
        MEMBERSHIP + "claim same_day: leave(a) and join(a) and day_of(leave(a)) = day_of(join(a)) implies not effective(accede(a))"
        " and not member(a) at day_of(join(a)) expect holds\n"
        "claim next_day: leave(a) and join(a) and day_of(join(a)) = day_of(leave(a)) + 1 day implies effective(accede(a))"
        " and member(a) at day_of(join(a)) and not member(a) at day_of(leave(a)) expect holds\n"
        "claim outsider: join(b) implies effective(accede(b)) and member(b) at day_of(join(b)) expect holds\n"
        "claim not_a_member: leave(b) and not join(b) implies not effective(withdraw(b)) expect holds\n"
        "claim effect_on_the_act_day: leave(a) implies not member(a) at day_of(leave(a)) and member(a) at day_of(leave(a)) - 1 day"
        " expect holds\n"
    )
    assert_verdicts(results, {n: "holds" for n in ("same_day", "next_day", "outsider", "not_a_member", "effect_on_the_act_day")})


def test_an_end_beats_a_start_on_the_same_day() -> None:
    text = """
instrument T "T"
horizon from 2024-02-27 to 2024-03-02
domain P = {a}
event x by a
event y by a
state s initially false
power starter cite T article 1 quote "w" holder a by x takes effect after 2 days starts s
power ender cite T article 2 quote "w" holder a by y takes effect after 1 day ends s
claim tie: x and y and day_of(y) = day_of(x) + 1 day implies not s at day_of(x) + 2 days expect holds
claim start_later: x and y and day_of(y) = day_of(x) implies s at day_of(x) + 2 days expect holds
claim start_only: x and not y implies s at day_of(x) + 2 days and not s at day_of(x) + 1 day expect holds
"""
    assert_verdicts(verdicts(text), {"tie": "holds", "start_later": "holds", "start_only": "holds"})


def test_two_year_and_sixty_day_delays() -> None:
    text = """
instrument T "T"
horizon from 2026-02-26 to 2026-03-02
domain P = {a}
event x by a
state s initially true
state t initially false
power slow cite T article 1 quote "w" holder a by x takes effect after 2 years ends s
power quick cite T article 2 quote "w" holder a by x takes effect after 60 days starts t
claim slow_exact: x and day_of(x) = 2026-03-01 implies s at 2028-02-29 and not s at 2028-03-01 expect holds
claim slow_feb: x and day_of(x) = 2026-02-28 implies s at 2028-02-27 and not s at 2028-02-28 expect holds
claim quick: x and day_of(x) = 2026-02-28 implies not t at 2026-04-28 and t at 2026-04-29 expect holds
"""
    assert_verdicts(verdicts(text), {"slow_exact": "holds", "slow_feb": "holds", "quick": "holds"})


def test_hand_written_time_specs_agree_with_brute_force() -> None:
    """The specs above (on small horizons), through the differential comparison too."""
    compare(MEMBERSHIP + "claim c: join(b) implies member(b) at 2024-03-02 expect holds\n", reference=Reference)
    compare(
        withdrawal(
            "claim c: every p in Party: notice(p) implies party(p) at day_of(notice(p)) + 365 days expect fails\n",
            start="2024-02-27",
            end="2024-03-01",
        ),
        reference=Reference,
    )


# ---- the encoding of calendar years is exact ----


@pytest.mark.parametrize(
    ("start", "end"),
    [("1899-01-01", "1901-12-31"), ("1999-01-01", "2001-12-31"), ("2023-01-01", "2025-12-31"), ("2099-01-01", "2101-12-31")],
)
@pytest.mark.parametrize(
    ("n", "unit"), [(1, "years"), (-1, "years"), (2, "years"), (-2, "years"), (1, "months"), (-1, "months"), (13, "months")]
)
def test_symbolic_calendar_shift_is_the_calendar_on_every_day(start: str, end: str, n: int, unit: str) -> None:
    """`d + n years|months` on a symbolic day, built from the table of offsets, is the calendar's
    answer on every day of the bounds it was built for."""
    spec = load(f"horizon from {start} to {end}\ndomain P = {{a}}\n")
    enc = Encoder(spec)
    x = z3.Int("x", enc.ctx)
    low, high = d(start), d(end)
    term = enc.shift(x, n, unit, (low, high))
    wrong = []
    for day in range(low, high + 1):
        value = z3.simplify(z3.substitute(term, (x, z3.IntVal(day, enc.ctx))))
        if value.as_long() != shift_day(day, n, unit):  # type: ignore[attr-defined]
            wrong.append(datetime.date.fromordinal(day).isoformat())
    assert not wrong, wrong[:5]


# ---- regressions: bugs these tests found, now refused by the checker ----


def test_effect_argument_that_depends_on_the_world_is_refused() -> None:
    """Found by this suite: `ends s(who)` with `who` an input was applied to every instance of `s`
    (the timeline grounded it over the whole domain; neither side checked the argument's value).
    Which state a power changes, and its act, may now depend only on its parameters and constants."""
    text = """
instrument T "T"
horizon from 2024-02-27 to 2024-03-01
domain P = {a0, a1}
input who: P by nature
event e(p: P) by p
state s(p: P) initially true
power w cite T article 1 quote "x" holder a0 by e(a0) takes effect immediately ends s(who)
claim c1: e(a0) and who = a0 implies s(a1) at 2024-03-01 expect holds
"""
    with pytest.raises(SpecError) as info:
        load(text)
    assert [(x.code, x.span.line, x.span.column, x.span.end_column) for x in info.value.diagnostics] == [("E0313", 8, 85, 91)]
    with pytest.raises(SpecError) as info:
        load(text.replace("by e(a0)", "by e(who)").replace("ends s(who)", "ends s(a0)"))
    assert [x.code for x in info.value.diagnostics] == ["E0312"]
    # the same power, indexed by its parameter, is fine and means what it says
    fixed = text.replace("power w cite", "power w(p: P) cite").replace("by e(a0)", "by e(p)").replace("ends s(who)", "ends s(p)")
    fixed = fixed.replace("claim c1: e(a0) and who = a0 implies", "claim c1: e(a0) and not e(a1) implies")
    assert {n: r.verdict for n, r in verdicts(fixed).items()} == {"c1": "holds"}


@pytest.mark.parametrize(
    ("claim", "span"),
    [("obliged(a0, s at 2024-03-01)", (22, 37)), ("permitted(a0, effective(w))", (24, 36)), ("forbidden(a0, t0)", (24, 26))],
    ids=["state", "effective", "temporal-definition"],
)
def test_state_inside_a_deontic_query_is_refused(claim: str, span: tuple[int, int]) -> None:
    """Found by this suite: a legal state, `effective` or a definition reading one inside the
    formula of a deontic query was accepted and then crashed the encoder (AssertionError: legal
    states are evaluated in the actual world only). Now E0311."""
    text = f"""
instrument T "T"
horizon from 2024-02-27 to 2024-03-01
domain P = {{a0}}
event e by a0
state s initially true
power w cite T article 1 quote "x" holder a0 by e takes effect immediately ends s
obligation n cite T article 2 quote "y" bearer a0 to e
define t0 = s at 2024-02-28
claim c: {claim} expect holds
"""
    with pytest.raises(SpecError) as info:
        load(text)
    assert [(x.code, x.span.line, x.span.column, x.span.end_column) for x in info.value.diagnostics] == [("E0311", 10, *span)]
    # outside the query, the same formula is fine
    body = claim.split(", ", 1)[1][:-1]
    assert {n: r.verdict for n, r in verdicts(text.replace(claim, f"e implies ({body} or not {body})")).items()} == {"c": "holds"}


def test_counterexample_lists_events_in_date_order() -> None:
    results = verdicts(
        withdrawal(
            "claim c: not (notice(US) and revoke(US) and notice(UK) and day_of(revoke(US)) < day_of(notice(UK))"
            " and day_of(notice(UK)) < day_of(notice(US))) expect fails\n",
            start="2024-02-27",
            end="2024-03-01",
        )
    )
    assert results["c"].verdict == "fails"
    events = results["c"].scenario.events  # type: ignore[attr-defined]
    assert [what for _, what in events] == ["revoke(US)", "notice(UK)", "notice(US)"]
    days = [d(day) for day, _ in events]
    assert days == sorted(days) and len(set(days)) == 3 and all(d("2024-02-27") <= x <= d("2024-03-01") for x in days)


# ---- what a proof over days rests on ----

WRITTEN_OUT = """
horizon from 2024-01-01 to 2024-12-31
domain P = {a, b}
input d0: day by nature
event notice(p: P) by p
define late(t: day) = t > 2024-06-30
define early(t: day) = t < 2024-01-05
define given(p: P, t: day) = notice(p) and day_of(notice(p)) <= t
claim late_is_after_june: late(d0) implies d0 > 2024-06-01 expect holds
claim by_the_meaning_alone: late(d0) or not late(d0) expect holds
claim given_late: given(a, d0) and late(d0) implies notice(a) expect holds
"""


def test_definitions_with_a_day_parameter_are_named_in_the_core() -> None:
    """A definition with a day parameter is written out where it is used; a proof that needs it
    still names it (found in this session: such proofs said they rested on no declaration)."""
    results = verdicts(WRITTEN_OUT)
    assert {name: r.verdict for name, r in results.items()} == dict.fromkeys(results, "holds")
    cores = {name: [item.name for item in r.core] for name, r in results.items()}  # type: ignore[attr-defined]
    assert cores == {"late_is_after_june": ["late"], "by_the_meaning_alone": [], "given_late": ["given"]}


# ---- calendar months ----


def test_a_month_after_the_last_day_of_january() -> None:
    """`takes effect after 1 month` from 31 January 2024 lands on 29 February 2024 (the month's last
    day); the same notice a year later lands on 28 February 2025."""
    text = withdrawal(
        """
claim leap: every p in Party: notice(p) and day_of(notice(p)) = 2024-01-31 and not revoke(p)
  implies party(p) at 2024-02-28 and not party(p) at 2024-02-29 expect holds
claim common: every p in Party: notice(p) and day_of(notice(p)) = 2025-01-31 and not revoke(p)
  implies party(p) at 2025-02-27 and not party(p) at 2025-02-28 expect holds
claim not_thirty_days: every p in Party: notice(p) and not revoke(p)
  implies not party(p) at day_of(notice(p)) + 30 days expect fails
claim at_least_28_days: every p in Party: notice(p) implies party(p) at day_of(notice(p)) + 27 days expect holds
""",
        start="2023-12-01",
        end="2025-12-31",
    ).replace("takes effect after 1 year", "takes effect after 1 month")
    assert_verdicts(verdicts(text), {"leap": "holds", "common": "holds", "not_thirty_days": "fails", "at_least_28_days": "holds"})


def test_recorded_facts_are_the_history_of_states() -> None:
    """Accessions recorded as dated facts: a state changes on the fact's date, an end beats a start
    on the same day, and a power's condition sees the history (no notice before joining counts)."""
    text = """
instrument NAT "North Atlantic Treaty"
instrument DATES "Dates"
horizon from 2023-01-01 to 2030-12-31
domain Party = {US, FI, SE}
state party(p: Party) initially p = US
event notice(p: Party) by p
power leave(p: Party) cite NAT article 13 quote "q" holder p by notice(p) when party(p) takes effect after 1 year ends party(p)
fact fi_accedes cite DATES paraphrase "Finland became a Party on 4 April 2023" on 2023-04-04 starts party(FI)
fact se_accedes cite DATES paraphrase "Sweden became a Party on 7 March 2024" on 2024-03-07 starts party(SE)
fact us_in_and_out cite DATES paraphrase "both on one day" on 2025-01-01 starts party(US) ends party(US)
claim se_not_yet: not party(SE) at 2024-03-06 expect holds
claim se_from_then: not notice(SE) implies party(SE) at 2024-03-07 and party(SE) at 2030-12-31 expect holds
claim fi_the_day_before: party(FI) at 2023-04-03 expect fails
claim early_notice_void: notice(SE) and day_of(notice(SE)) < 2024-03-07 implies not effective(leave(SE)) expect holds
claim late_notice_works: notice(SE) and day_of(notice(SE)) = 2024-03-08 implies not party(SE) at 2025-03-08 expect holds
claim end_beats_start: not party(US) at 2025-01-01 expect holds
"""
    results = verdicts(text)
    assert_verdicts(
        results,
        {
            "se_not_yet": "holds",
            "se_from_then": "holds",
            "fi_the_day_before": "fails",
            "early_notice_void": "holds",
            "late_notice_works": "holds",
            "end_beats_start": "holds",
        },
    )
    core = {item.name for item in results["se_from_then"].core}  # type: ignore[union-attr]
    assert "se_accedes" in core
