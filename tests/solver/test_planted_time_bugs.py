"""The differential test for time, powers and defeat has teeth: plant one bug at a time in the
encoding of calendar years, legal states, effects, revocation, defeat or lawfulness (or, for the
reference evaluator, in the tables the evaluator and the encoding share), run the property of
test_differential_time.py with the ci settings, and require that it finds a disagreement.

The plants wrap the encoder's methods rather than copy them, so that they keep working while the
encoding changes; a plant that merely crashes is refused (it would prove nothing).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import z3
from differential import MAX_COST, Disagreement, compare, planted
from hypothesis import given, reject
from reference import Reference
from test_differential_time import reads_before_the_horizon
from timed_strategies import timed_specs

import solver.encode as encode
import treaty_dsl.deontic as deontic
import treaty_dsl.evaluator as evaluator
import treaty_dsl.grounding as grounding
import treaty_dsl.temporal as temporal
from solver.encode import Encoder
from treaty_dsl import ir
from treaty_dsl.checker import interpretations
from treaty_dsl.parser import parse_module
from treaty_dsl.types import BOOL, DayT

Plant = Callable[[pytest.MonkeyPatch], None]


def years_as_365_days(mp: pytest.MonkeyPatch) -> None:
    """`d + n years` on a symbolic day as n * 365 days (the mistake the language forbids)."""
    original = Encoder.shift

    def shift(self, base, amount, unit, bounds):  # type: ignore[no-untyped-def]
        if unit == "years" and isinstance(base, z3.ExprRef):
            return base + 365 * amount
        return original(self, base, amount, unit, bounds)

    mp.setattr(Encoder, "shift", shift)


def effect_a_day_late(mp: pytest.MonkeyPatch) -> None:
    """An effect lands the day after its effect day (`after 60 days` read as 61)."""
    original = Encoder.effect_day

    def effect_day(self, pi):  # type: ignore[no-untyped-def]
        day = original(self, pi)
        return day + 1

    mp.setattr(Encoder, "effect_day", effect_day)


def state_read_a_day_early(mp: pytest.MonkeyPatch) -> None:
    """`s at t` answered with the state at the end of the day before t."""
    original = Encoder.state_at

    def state_at(self, st, args, day):  # type: ignore[no-untyped-def]
        return original(self, st, args, day - 1)

    mp.setattr(Encoder, "state_at", state_at)


def initial_value_ignored(mp: pytest.MonkeyPatch) -> None:
    """A state nobody has changed is taken to hold, whatever its `initially` says."""
    original = Encoder.state_at

    def state_at(self, st, args, day):  # type: ignore[no-untyped-def]
        saved = st.initially
        st.initially = ir.Const(True, BOOL)
        try:
            return original(self, st, args, day)
        finally:
            st.initially = saved

    mp.setattr(Encoder, "state_at", state_at)


def _while_encoding_effective(mp: pytest.MonkeyPatch, field: str, value: object) -> None:
    original = Encoder.effective

    def effective(self, pi):  # type: ignore[no-untyped-def]
        saved = getattr(pi.power, field)
        setattr(pi.power, field, value)
        try:
            return original(self, pi)
        finally:
            setattr(pi.power, field, saved)

    mp.setattr(Encoder, "effective", effective)


def condition_ignored(mp: pytest.MonkeyPatch) -> None:
    """A power's `when` is not checked: the act is effective whenever it is done."""
    _while_encoding_effective(mp, "when", ir.Const(True, BOOL))


def revocation_ignored(mp: pytest.MonkeyPatch) -> None:
    """`revocable by ...` is dropped: a revoked notice still takes effect."""
    _while_encoding_effective(mp, "revocation", None)


def defeat_without_conflict(mp: pytest.MonkeyPatch) -> None:
    """A prevailing active norm defeats another whether or not the two conflict."""
    mp.setattr(Encoder, "conflict", lambda self, m, n: True)


def lawful_ignores_defeat(mp: pytest.MonkeyPatch) -> None:
    """`lawful(act, order)` counts violations of defeated norms too."""
    original = Encoder.enc

    def enc(self, e, env, world):  # type: ignore[no-untyped-def]
        if not isinstance(e, ir.Lawful):
            return original(self, e, env, world)
        self.active = self.applicable  # an instance attribute, for this query only
        try:
            return original(self, e, env, world)
        finally:
            del self.active

    mp.setattr(Encoder, "enc", enc)


# ---- plants in what the evaluator and the encoding share: only the reference can see them ----


def shared_prevail_ignores_dates(mp: pytest.MonkeyPatch) -> None:
    """Lex posterior forgotten in `treaty_dsl.deontic.prevails`, which both sides use."""

    def prevails(m: ir.Norm, n: ir.Norm) -> bool:
        if m.order is None or n.order is None or m.order.name != n.order.name:
            return False
        if m.level != n.level:
            return m.level > n.level
        return n.name in m.overrides

    mp.setattr(deontic, "prevails", prevails)


def shared_effects_ignore_arguments(mp: pytest.MonkeyPatch) -> None:
    """The timeline applies an effect on `s(a0)` to every instance of `s` (both sides use it)."""
    original = temporal.Timeline.effects_on

    def effects_on(self, st, args):  # type: ignore[no-untyped-def]
        out = []
        for (name, _), effs in self.effects.items():
            if name == st.name:
                out.extend(e for e in effs if e not in out)
        return out or original(self, st, args)

    mp.setattr(temporal.Timeline, "effects_on", effects_on)


def shared_effect_day_in_365_day_years(mp: pytest.MonkeyPatch) -> None:
    """The evaluator's effect day counts a year as 365 days (the encoder's own shift is right)."""

    def effect_day(act_day: int, delay: tuple[int, str]) -> int | None:
        amount, unit = delay
        return act_day + (amount if unit == "days" else 365 * amount)

    mp.setattr(temporal, "effect_day", effect_day)
    mp.setattr(evaluator, "effect_day", effect_day)


def stand_in_day(mp: pytest.MonkeyPatch) -> None:
    """What a definition reads, found with a day parameter it cannot know set to the horizon's first
    day: `x(if t = D then A else B)` taken to read x(B) only (in the shared structure)."""
    original = grounding.argument_choices

    def argument_choices(spec, t, value):  # type: ignore[no-untyped-def]
        if value is None and isinstance(t, DayT):
            return (spec.horizon[0],)
        return original(spec, t, value)

    mp.setattr(deontic, "argument_choices", argument_choices)
    mp.setattr(temporal, "argument_choices", argument_choices)


def solver_term_as_value(mp: pytest.MonkeyPatch) -> None:
    """A deontic query inside a definition with a day parameter: the encoder hands the day, a solver
    term, to the structure, which compares it as if it were a value."""
    original = deontic.static_value

    def static_value(e, env):  # type: ignore[no-untyped-def]
        if isinstance(e, ir.VarRef):
            return env.get(e.var)
        return original(e, env)

    mp.setattr(deontic, "static_value", static_value)
    mp.setattr(encode, "is_static", lambda value: True)


def event_day_apart_from_event(mp: pytest.MonkeyPatch) -> None:
    """`day_of(E)` not part of the act E: `lawful(E, o)` ignores a norm that reads only E's day."""
    mp.setattr(deontic, "act_names", lambda inp: (inp.name,))


def shared_facts_ignored(mp: pytest.MonkeyPatch) -> None:
    """Recorded facts left out of the history of states (in the table the evaluator and the encoder share)."""
    mp.setattr(temporal.Timeline, "facts_on", lambda self, state, args: [])


def binding_period_ignored(mp: pytest.MonkeyPatch) -> None:
    """Asked on a day, a norm binds whatever its `from` and `until` say (in the encoder)."""
    mp.setattr(Encoder, "binds", lambda self, inst, day: True)


def order_ignored(mp: pytest.MonkeyPatch) -> None:
    """`obliged(a, f) in o` answered with the norms of every legal order (in the encoder)."""
    original = Encoder.deontic

    def deontic(self, kind, actor, body, env, order=None, day=None):  # type: ignore[no-untyped-def]
        return original(self, kind, actor, body, env, None, day)

    mp.setattr(Encoder, "deontic", deontic)


def effect_day_decided_later_ignored(mp: pytest.MonkeyPatch) -> None:
    """`takes effect on DAY` read as the default delay: the day the world decides is ignored (in the encoder)."""
    original = Encoder.effect_day

    def effect_day(self, pi):  # type: ignore[no-untyped-def]
        if pi.power.effect_on is None:
            return original(self, pi)
        power = pi.power
        saved, power.effect_on = power.effect_on, None
        try:
            return original(self, pi)
        finally:
            power.effect_on = saved

    mp.setattr(Encoder, "effect_day", effect_day)


TIME = {"powers": True}
ORDERS = {"powers": False, "orders": True}
DAYS = {"powers": False, "day_params": True}
PLANTS: dict[str, tuple[Plant, dict[str, bool], int]] = {
    # name: (plant, generator options, examples allowed to find it)
    "years_as_365_days": (years_as_365_days, TIME, 150),
    "effect_a_day_late": (effect_a_day_late, TIME, 150),
    "state_read_a_day_early": (state_read_a_day_early, TIME, 150),
    "initial_value_ignored": (initial_value_ignored, TIME, 150),
    "condition_ignored": (condition_ignored, TIME, 150),
    "revocation_ignored": (revocation_ignored, TIME, 250),
    "defeat_without_conflict": (defeat_without_conflict, ORDERS, 150),
    "lawful_ignores_defeat": (lawful_ignores_defeat, ORDERS, 400),
    "shared_prevail_ignores_dates": (shared_prevail_ignores_dates, ORDERS, 300),
    "shared_effects_ignore_arguments": (shared_effects_ignore_arguments, TIME, 400),
    "shared_effect_day_in_365_day_years": (shared_effect_day_in_365_day_years, TIME, 150),
    "shared_facts_ignored": (shared_facts_ignored, TIME, 300),
    "binding_period_ignored": (binding_period_ignored, ORDERS, 300),
    "effect_day_decided_later_ignored": (effect_day_decided_later_ignored, TIME, 300),
    "order_ignored": (order_ignored, ORDERS, 300),
    "stand_in_day": (stand_in_day, DAYS, 300),
    "solver_term_as_value": (solver_term_as_value, DAYS, 300),
    "event_day_apart_from_event": (event_day_apart_from_event, ORDERS, 300),
}
ORIGINALS = {
    (Encoder, "shift"): Encoder.shift,
    (Encoder, "effect_day"): Encoder.effect_day,
    (Encoder, "state_at"): Encoder.state_at,
    (Encoder, "effective"): Encoder.effective,
    (Encoder, "conflict"): Encoder.conflict,
    (Encoder, "binds"): Encoder.binds,
    (Encoder, "deontic"): Encoder.deontic,
    (Encoder, "enc"): Encoder.enc,
    (deontic, "prevails"): deontic.prevails,
    (temporal.Timeline, "effects_on"): temporal.Timeline.effects_on,
    (temporal.Timeline, "facts_on"): temporal.Timeline.facts_on,
    (temporal, "effect_day"): temporal.effect_day,
    (evaluator, "effect_day"): evaluator.effect_day,
    (deontic, "argument_choices"): deontic.argument_choices,
    (temporal, "argument_choices"): temporal.argument_choices,
    (deontic, "static_value"): deontic.static_value,
    (encode, "is_static"): encode.is_static,
    (deontic, "act_names"): deontic.act_names,
}


def run_until_disagreement(max_examples: int, options: dict[str, bool]) -> tuple[Disagreement | None, int]:
    passed: set[str] = set()
    drawn = [0]

    @planted(max_examples)
    @given(timed_specs(**options))  # type: ignore[arg-type]
    def prop(text: str) -> None:
        drawn[0] += 1
        if text in passed:
            return
        for reading in [None, *interpretations([parse_module(text, "random.treaty")])]:
            if not compare(text, max_cost=MAX_COST, reading=reading, reference=Reference):
                reject()
        passed.add(text)

    try:
        prop()
    except Disagreement as exc:
        return exc, drawn[0]
    return None, drawn[0]


@pytest.mark.parametrize("name", list(PLANTS))
def test_planted_time_bug_is_found(name: str) -> None:
    plant, options, budget = PLANTS[name]
    with pytest.MonkeyPatch.context() as mp:
        plant(mp)
        found, drawn = run_until_disagreement(budget, options)
    for (owner, attr), original in ORIGINALS.items():
        assert getattr(owner, attr) is original, f"{owner}.{attr} not restored"
    assert found is not None, f"planted bug {name} went unnoticed in {budget} examples"
    print(f"\nplanted bug {name} found after {drawn} examples")
    head = str(found).split("--- spec ---")[0]
    assert "raised" not in head, f"the plant crashed instead of miscomputing:\n{found}"
    if name.startswith("shared_"):
        # only the reference evaluator stands outside the shared tables
        assert "reference evaluator" in head, head


def test_initial_value_before_the_horizon_is_found() -> None:
    """The encoder reads a state before the horizon as its initial value (what it did once): the
    property of reads before the horizon must see a claim proved that rests on that guess."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Encoder, "state_before", lambda self, st, args, day, earliest: self.state_at(st, args, day))
        with pytest.raises(AssertionError) as found:
            reads_before_the_horizon(planted(300))
    assert Encoder.state_before is ORIGINAL_STATE_BEFORE
    assert ", expected {" in str(found.value), str(found.value)  # a verdict the oracle does not allow, not a crash


ORIGINAL_STATE_BEFORE = Encoder.state_before


def test_time_plants_are_undone() -> None:
    """After the plants, a spec that depends on each planted part checks correctly."""
    text = """
instrument T "T"
order o "O" ranks high > low
instrument A "A" in o high dated 2000-01-01
instrument B "B" in o low dated 2010-01-01
horizon from 2024-02-28 to 2024-03-01
domain P = {a0, a1}
event notice(p: P) by p
event revoke(p: P) by p
input ok by nature
state member(p: P) initially p = a0
power leave(p: P) cite T article 1 quote "w" holder p by notice(p) when ok takes effect after 1 year ends member(p)
  revocable by revoke(p)
permission may(p: P) cite A article 1 quote "w" bearer p to notice(p)
prohibition mustnt(p: P) cite B article 1 quote "w" bearer p to notice(p)
claim c0: notice(a0) and ok and not revoke(a0) and day_of(notice(a0)) = 2024-02-28
  implies member(a0) at 2025-02-27 and not member(a0) at 2025-02-28
  expect holds
claim c1: not member(a1) at 2030-01-01 and defeated(mustnt(a0)) and lawful(notice(a0), o) expect holds
"""
    assert compare(text, reference=Reference)
