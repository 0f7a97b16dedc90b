"""Verdicts on small hand-written specs about legal orders, ranks, defeat, lawfulness and legal
effect, and interpretations (issue 5's "must show" list, in miniature)."""

from __future__ import annotations

from pathlib import Path

import pytest
from differential import compare, load
from reference import Reference

from solver.results import Result
from solver.verify import Verifier
from treaty_dsl.diagnostics import SpecError
from treaty_dsl.loader import load_spec


def verdicts(text: str, reading: str | None = None) -> dict[str, str]:
    spec = load(text, reading)
    verifier = Verifier(spec, timeout_s=30)
    results: dict[str, Result] = {c.name: verifier.check_claim(c) for c in spec.claims}
    return {name: r.verdict for name, r in results.items()}


ORDERS = """
order us "US law" ranks constitution > statute = treaty
order international "International law"
instrument CONST "Constitution of the United States" in us constitution
instrument OLD "An earlier statute" in us statute dated 1973-11-07
instrument NEW "A later statute" in us statute dated 2023-12-22
instrument NAT "North Atlantic Treaty" in international dated 1949-04-04
domain Actor = {President, Congress}
input attacked by nature
input withdraws by President
input deploys by President
"""


def test_constitutional_permission_defeats_statutory_obligation_in_its_order_only() -> None:
    """An obligation to withdraw forces (a statute) and one to stay (a treaty, in international
    law), against a constitutional permission to keep them deployed: the permission defeats the
    statute, not the treaty obligation, which lives in another legal order."""
    text = (
        ORDERS
        + """
obligation stat_withdraw cite OLD section 5 quote "shall remove" bearer President when attacked to withdraws
obligation nat_stay cite NAT article 5 quote "will assist" bearer President when attacked to not withdraws
permission cinc cite CONST article 2 quote "Commander in Chief" bearer President to not withdraws
claim statute_defeated: attacked implies defeated(stat_withdraw) and not active(stat_withdraw) expect holds
claim treaty_not_defeated: attacked implies active(nat_stay) and not defeated(nat_stay) expect holds
claim statute_never_violated: not violated(stat_withdraw) expect holds
claim obliged_to_stay: attacked implies obliged(President, not withdraws) expect holds
claim lawful_withdrawal_domestically: attacked and withdraws implies violated(nat_stay) expect holds
claim not_defeated_without_its_condition: not attacked implies not defeated(stat_withdraw) expect holds
"""
    )
    assert verdicts(text) == {
        "statute_defeated": "holds",
        "treaty_not_defeated": "holds",
        "statute_never_violated": "holds",
        "obliged_to_stay": "holds",
        "lawful_withdrawal_domestically": "holds",
        "not_defeated_without_its_condition": "holds",
    }
    compare(text, reference=Reference)


def test_defeat_needs_a_conflict() -> None:
    """A higher norm about something else defeats nothing."""
    text = (
        ORDERS
        + """
obligation stat_withdraw cite OLD section 5 quote "shall remove" bearer President when attacked to withdraws
permission cinc cite CONST article 2 quote "Commander in Chief" bearer President to deploys
claim c: not defeated(stat_withdraw) expect holds
claim obliged: attacked implies obliged(President, withdraws) expect holds
"""
    )
    assert verdicts(text) == {"c": "holds", "obliged": "holds"}


def test_lex_posterior_and_equal_dates() -> None:
    """At equal rank the later statute prevails; a treaty and a statute share a rank."""
    text = (
        ORDERS
        + """
instrument SAME "A statute of the same day as NEW" in us statute dated 2023-12-22
instrument TREATY "A later treaty" in us treaty dated 2024-01-01
obligation old_must cite OLD section 1 quote "shall" bearer President when attacked to deploys
prohibition new_mustnt cite NEW section 1 quote "shall not" bearer President when attacked to deploys
obligation same_must cite SAME section 1 quote "shall" bearer President when attacked to deploys
claim old_defeated: attacked implies defeated(old_must) expect holds
claim same_day_no_winner: attacked implies not defeated(new_mustnt) and not defeated(same_must) expect holds
claim dilemma: attacked implies not permitted(President, true) expect holds
"""
    )
    assert verdicts(text) == {"old_defeated": "holds", "same_day_no_winner": "holds", "dilemma": "holds"}
    treaty = (
        ORDERS
        + """
instrument TREATY "A later treaty" in us treaty dated 2024-01-01
prohibition new_mustnt cite NEW section 1 quote "shall not" bearer President when attacked to deploys
obligation treaty_must cite TREATY article 1 quote "shall" bearer President when attacked to deploys
claim treaty_wins: attacked implies defeated(new_mustnt) and not defeated(treaty_must) expect holds
claim obliged: attacked implies obliged(President, deploys) expect holds
"""
    )
    assert verdicts(treaty) == {"treaty_wins": "holds", "obliged": "holds"}


def test_declared_override_beats_lex_posterior_but_not_rank() -> None:
    posterior = (
        ORDERS
        + """
obligation special cite OLD section 2 quote "shall" bearer President when attacked to deploys overrides general
prohibition general cite NEW section 1 quote "shall not" bearer President when attacked to deploys
claim special_wins: attacked implies defeated(general) and not defeated(special) expect holds
claim obliged: attacked implies obliged(President, deploys) expect holds
"""
    )
    assert verdicts(posterior) == {"special_wins": "holds", "obliged": "holds"}
    rank = (
        ORDERS
        + """
prohibition basic cite CONST article 1 quote "shall not" bearer President when attacked to deploys
obligation upstart cite NEW section 3 quote "shall" bearer President when attacked to deploys overrides basic
claim rank_wins: attacked implies defeated(upstart) and not defeated(basic) expect holds
"""
    )
    assert verdicts(rank) == {"rank_wins": "holds"}
    compare(posterior, reference=Reference)
    compare(rank, reference=Reference)


def test_effective_in_one_order_unlawful_in_another() -> None:
    """A notice given without the Senate's two thirds or an Act of Congress violates the statute
    (US law) and still takes effect under Article 13 (international law) a year later."""
    text = """
order us "US law" ranks constitution > statute = treaty
order international "International law"
instrument NAT "North Atlantic Treaty" in international dated 1949-04-04
instrument NDAA "FY2024 NDAA" in us statute dated 2023-12-22
horizon from 2025-01-01 to 2025-01-03
domain Party = {US, UK}
event notice(p: Party) by p
input senate_consent by nature
input act_of_congress by nature
state party(p: Party) initially true
power denounce(p: Party) cite NAT article 13 quote "one year after its notice of denunciation" holder p
  by notice(p) when party(p) takes effect after 1 year ends party(p)
prohibition sec1250A cite NDAA section "1250A" subsection "a" quote "shall not ... withdraw" bearer US
  when not senate_consent and not act_of_congress to notice(US)
claim effective_but_unlawful: notice(US) and not senate_consent and not act_of_congress
  implies effective(denounce(US)) and not lawful(notice(US), us) and lawful(notice(US), international)
  and not party(US) at day_of(notice(US)) + 1 year and violated(sec1250A)
  expect holds
claim statute_prevents_leaving: not party(US) at 2026-12-31 implies lawful(notice(US), us) expect fails
claim lawful_with_consent: senate_consent implies lawful(notice(US), us) expect holds
"""
    results = verdicts(text)
    assert results == {"effective_but_unlawful": "holds", "statute_prevents_leaving": "fails", "lawful_with_consent": "holds"}
    spec = load(text)
    result = Verifier(spec).check_claim(spec.claims[1])
    scenario = result.scenario  # type: ignore[attr-defined]
    assert [what for _, what in scenario.events] == ["notice(US)"]
    compare(text, reference=Reference)


# ---- interpretations ----

READINGS = """
instrument NAT "North Atlantic Treaty"
domain Party = {US, EE}
input armed_attack(v: Party) by nature
input invoked(v: Party) by nature
input assists(p: Party, v: Party) by p
obligation art5(p: Party, v: Party) cite NAT article 5 quote "will assist" bearer p
  when armed_attack(v) and invoked(v) and p != v to assists(p, v)
interpretation attack_itself "Article 5 binds on the attack itself" {
  obligation art5(p: Party, v: Party) cite NAT article 5 quote "will assist" bearer p
    when armed_attack(v) and p != v to assists(p, v)
}
claim needs_invocation: armed_attack(EE) and not invoked(EE) implies not obliged(US, assists(US, EE))
  expect holds expect fails under attack_itself
claim attack_binds: armed_attack(EE) implies obliged(US, assists(US, EE))
  expect fails expect holds under attack_itself
"""


def test_claims_under_each_reading() -> None:
    assert verdicts(READINGS) == {"needs_invocation": "holds", "attack_binds": "fails"}
    assert verdicts(READINGS, "attack_itself") == {"needs_invocation": "fails", "attack_binds": "holds"}
    for reading in (None, "attack_itself"):
        compare(READINGS, reading=reading, reference=Reference)


def test_load_spec_under_a_reading(tmp_path: Path) -> None:
    path = tmp_path / "readings.treaty"
    path.write_text(READINGS + "claim only_own: true expect holds\n", encoding="utf-8")
    own = load_spec(path)
    assert own.interpretations == ["attack_itself"]
    assert [(c.name, c.expected) for c in own.spec.claims] == [
        ("needs_invocation", "holds"),
        ("attack_binds", "fails"),
        ("only_own", "holds"),
    ]
    under = load_spec(path, reading="attack_itself")
    assert [(c.name, c.expected) for c in under.spec.claims] == [("needs_invocation", "fails"), ("attack_binds", "holds")]
    every = load_spec(path, reading="attack_itself", all_claims=True)
    assert [(c.name, c.expected) for c in every.spec.claims] == [
        ("needs_invocation", "fails"),
        ("attack_binds", "holds"),
        ("only_own", None),
    ]
    with pytest.raises(SpecError) as info:
        load_spec(path, reading="nosuch")
    assert [x.code for x in info.value.diagnostics] == ["E0118"]


# ---- regressions: bugs these tests found, now refused by the checker ----

CYCLE = """
instrument A "A" in o dated 2000-01-01
instrument B "B" in o dated 2020-01-01
instrument C "C" in o dated 2010-01-01
order o "O"
domain P = {a0}
input x by a0
obligation na cite A article 1 quote "x" bearer a0 to x overrides nb
prohibition nb cite B article 1 quote "x" bearer a0 to x
obligation nc cite C article 1 quote "x" bearer a0 to NC
"""


@pytest.mark.parametrize("nc", ["not x", "x and not x"], ids=["well-founded", "no-fixpoint"])
def test_prevail_cycle_through_override_and_dates_is_refused(nc: str) -> None:
    """Found by this suite: na overrides nb, nb is later than nc, nc is later than na. With
    `not x` the evaluator recursed forever (RecursionError, a traceback from `treaty check` when it
    replayed a counterexample); with `x and not x` defeat had no consistent answer and the verifier
    proved `false`. The checker now refuses the cycle (E0115 on the first norm of it)."""
    text = CYCLE.replace("NC", nc) + "claim c0: active(na) expect holds\nclaim nothing: false expect fails\n"
    with pytest.raises(SpecError) as info:
        load(text)
    assert [(x.code, x.span.line) for x in info.value.diagnostics] == [("E0115", 8)]
    # dated consistently with the override, the same norms are fine: na beats nb, nb beats nc
    consistent = text.replace('instrument A "A" in o dated 2000-01-01', 'instrument A "A" in o dated 2030-01-01')
    results = verdicts(consistent)
    assert results["nothing"] == "fails"
    compare(consistent, reference=Reference)
