"""Hypothesis strategies for the newer half of the language: days, events, legal states, powers,
legal orders with defeat, and interpretations. Specs are source text, well-typed by construction.

What the generator keeps small, so that the brute-force oracle can enumerate every world:

- the **horizon** is a window of one to four days taken from a few calendar corners: around
  29 February 2024 (a leap day inside), the same days of 2023 and 2025 (one year on, or back,
  crosses 29 February 2024), 2100 (not a leap year), 2000 (a leap year), and the ends of January
  2024 and March 2023 (one month on, or back, falls back to the end of February). An event is two
  atoms, whether it happened (2 values) and its day (one value per day of the horizon);
- shifts are `± 1..3 days`, `+ 365/366 days`, `± 1 year`, `± 2 years`, `± 1 month` and
  `+ 13 months`, delays `immediately`, `after 0..2 days`, `after 366 days`, `after 1 year`,
  `after 2 years` and `after 1 month`;
- one or two actors, one or two events, at most two other inputs, two or three norms, sometimes
  a recorded fact or two (`fact f0 ... on DATE starts s0(a0)`), dated within the horizon.

What it aims at: date literals are where shifts and effects land from a day of the horizon (and
the day before or after), computed exactly with the calendar, preferring days from which a year is
not 365 days; claims pin an act to a day and ask about the state on the day its effect lands or
the day before (`landing`); an `audit` claim chains with `iff` the defeat, activity, lawfulness,
effect and states it can name, so that any single wrong answer changes the claim in that world; a
`laws_time` claim states laws that hold by theorem (the calendar table of `day_of(e) + 1 year`,
`defeated(n) implies not active(n)`, `effective(w) implies` its act, ...). Norms often regulate the
same acts as an earlier norm (so that they conflict), in the same legal order at the same rank
(so that dates and overrides decide). Interpretations replace norms, instruments (rank, date),
orders (ranks reversed), states, powers, definitions, who controls an event, or add norms and
assumptions.

Where the checker forbids legal states (norm contents, the formula inside a deontic query,
assumptions, initial values of states), the generator is in the `plain` mode and writes none; in a
power's condition it names states without `at` (read on the day before the act); in claims and
norm conditions it writes `state(args) at DAY` and `effective(power(args))`; and in claims only it
asks `defeated(...)` and `lawful(event, order)`.

What the checker refuses, the generator does not write (these were bugs found by this suite, see
the regression tests in `test_time.py` and `test_defeat.py`): a power's act or effect indexed by
anything but its parameters and constants (the generator writes parameters, constants and `if`
over them), a legal state inside a deontic query, and norms that prevail over each other in a
cycle through overrides and dates (`acyclic_defeat=True` drops the overrides that would close one).
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st
from reference import add_months, add_years, shift
from treaty_strategies import ACTOR_DOMAIN, ACTORS, CMP_OPS, DefSig, Gen, InputSig, NormSig, Vocab, pick

# (first day, how many days the window may take from it)
WINDOWS = (
    ("2024-02-27", 4),  # 27, 28, 29 February and 1 March 2024
    ("2023-02-28", 4),  # one year on crosses 29 February 2024 from 1 March 2023 on
    ("2025-02-27", 3),  # one year back crosses 29 February 2024
    ("2100-02-27", 3),  # 2100 is not a leap year
    ("2000-02-28", 3),  # 2000 is
    ("2024-02-27", 4),  # (twice as likely: the leap day itself)
    ("2024-01-29", 3),  # one month on falls back to 29 February 2024 from 30 and 31 January
    ("2023-03-29", 3),  # one month back falls back to 28 February 2023
)
SHIFTS = (
    "+ 1 day",
    "- 1 day",
    "+ 1 year",
    "- 1 year",
    "+ 2 days",
    "+ 365 days",
    "+ 366 days",
    "+ 2 years",
    "- 2 days",
    "+ 3 days",
    "- 2 years",
    "+ 1 month",
    "- 1 month",
    "+ 13 months",
)
DELAYS = (
    "immediately",
    "after 1 year",
    "after 1 day",
    "after 2 years",
    "after 2 days",
    "after 1 year",
    "after 0 days",
    "after 366 days",
    "after 1 month",
)
DATES = ("2000-01-01", "2010-01-01", "2020-01-01")
RANK_SHAPES = ((("r1",), ("r0",)), (), (("r1", "r0"),), (("r2",), ("r1", "r0")))


DAY = "day"  # in a vocabulary's parameter list and in an environment: a day, not a domain


def day_vars(env: dict[str, str]) -> list[str]:
    return [name for name, dom in env.items() if dom == DAY]


def _parse_shift(text: str) -> tuple[int, str]:
    sign, amount, unit = text.split()
    n = int(amount) * (1 if sign == "+" else -1)
    return n, "days" if unit.startswith("day") else "months" if unit.startswith("month") else "years"


def iso(day: int) -> str:
    return datetime.date.fromordinal(day).isoformat()


def day_of_iso(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


@dataclass(frozen=True)
class EventSig(InputSig):
    """An event: a boolean input to the base generator, declared with `event`."""

    def render(self) -> str:
        params = f"({', '.join(f'p{i}: {d}' for i, d in enumerate(self.params))})" if self.params else ""
        return f"event {self.name}{params} by {self.controller}"

    def values(self, doms: dict[str, tuple[str, ...]]) -> int:
        raise AssertionError("an event's worlds depend on the horizon; see world_cost")


@dataclass(frozen=True)
class DayInputSig(InputSig):
    def render(self) -> str:
        return f"input {self.name}: day by {self.controller}"


@dataclass(frozen=True)
class StateSig:
    name: str
    params: tuple[str, ...]


@dataclass(frozen=True)
class PowerSig:
    name: str
    params: tuple[str, ...]


@dataclass
class Legal:
    """The legal orders of a spec (or of one reading of it), for the generator's own bookkeeping:
    what prevails over what, so that the specs it writes have an acyclic prevail relation."""

    shapes: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # order -> rank groups, highest first
    instruments: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)  # -> (order, rank, date)
    norms: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # -> (instrument, overrides)

    def copy(self) -> Legal:
        return Legal(dict(self.shapes), dict(self.instruments), dict(self.norms))

    def order_decl(self, order: str) -> str:
        ranks = " > ".join(" = ".join(g) for g in self.shapes[order])
        cited = ' cite T article 103 quote "shall prevail"' if ranks and order == "o0" else ""  # proofs must name it
        return f'order {order} "Order {order[1:]}"' + (f" ranks {ranks}" if ranks else "") + cited

    def instrument_decl(self, name: str) -> str:
        order, rank, date = self.instruments[name]
        return f'instrument {name} "Instrument {name[1:]}" in {order}' + (f" {rank}" if rank else "") + (f" dated {date}" if date else "")

    def level(self, instrument: str) -> int:
        order, rank, _ = self.instruments[instrument]
        shape = self.shapes[order]
        return next((len(shape) - i for i, g in enumerate(shape) if rank in g), 0)

    def prevails(self, m: str, n: str) -> bool:
        """LANGUAGE.md section 3, at the level of norm declarations."""
        (im, om), (in_, on) = self.norms[m], self.norms[n]
        if im not in self.instruments or in_ not in self.instruments or self.instruments[im][0] != self.instruments[in_][0]:
            return False
        if self.level(im) != self.level(in_):
            return self.level(im) > self.level(in_)
        if n in om:
            return True
        if m in on:
            return False
        dm, dn = self.instruments[im][2], self.instruments[in_][2]
        return dm is not None and dn is not None and dm > dn

    def cyclic(self) -> bool:
        edges = {m: [n for n in self.norms if n != m and self.prevails(m, n)] for m in self.norms}
        state: dict[str, int] = {}

        def visit(x: str) -> bool:
            if state.get(x) == 1:
                return True
            if state.get(x) == 2:
                return False
            state[x] = 1
            found = any(visit(y) for y in edges[x])
            state[x] = 2
            return found

        return any(visit(x) for x in edges)


@dataclass
class TimedVocab(Vocab):
    horizon: tuple[int, int] = (0, 0)
    events: list[EventSig] = field(default_factory=list)
    day_inputs: list[DayInputSig] = field(default_factory=list)
    day_defs: list[DefSig] = field(default_factory=list)
    temporal_defs: list[DefSig] = field(default_factory=list)  # read states: claims and norm conditions only
    states: list[StateSig] = field(default_factory=list)
    powers: list[PowerSig] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # date literals worth asking about
    effect_days: list[int] = field(default_factory=list)  # the days effects land on, from acts in the horizon
    delays: list[str] = field(default_factory=list)  # of the powers so far
    odd_effect_days: list[int] = field(default_factory=list)  # effect days `n years` on that are not 365 * n days on


class TimedGen(Gen):
    """The base expression generator, plus days, states, effects, defeat and lawfulness.

    `mode` says what the position being written may contain:
      "claim": everything; "when": a norm's condition (states at days, effective, no queries);
      "power": a power's condition (states without `at`); "plain": no legal state at all.
    """

    def __init__(self, draw, vocab: TimedVocab, nonlinear: bool = False) -> None:  # type: ignore[no-untyped-def]
        super().__init__(draw, vocab, nonlinear=nonlinear)
        self.tv = vocab
        self.mode = "plain"
        self.citations: dict[str, str] = {}  # norm -> the instrument it cites
        self.power_acts: dict[str, _Act] = {}  # power -> its act, as a function of a call `w(args)`
        self.landings: dict[str, list[tuple[str, _Act]]] = {}  # power -> (delay, a state it changes)
        self.last_landings: list[tuple[str, _Act]] = []
        self.contents: dict[str, tuple[tuple[str, ...], str, str]] = {}  # norm -> (parameters, bearer, content)
        self.legal = Legal()  # the spec's own legal orders and norms
        self.day_focus = False  # contents mostly call definitions with a day parameter
        self.forward = False  # writing the day of a state's read: no day before the horizon
        self.before_horizon = False  # claims may read states on days before the horizon
        self.picked: list[InputSig] = []  # inputs whose argument a day decides somewhere

    # ---- days ----
    def date_lit(self) -> str:
        return pick(self.draw, self.tv.dates)

    def day_term(self, env: dict[str, str], depth: int, defs: bool = True) -> str:
        """A day. `defs=False` inside the day argument of a definition (no call within a call)."""
        options = ["lit"]
        if self.tv.events:
            options += ["day_of"] * 4
        if self.tv.day_inputs:
            options += ["input"] * 2
        if self.tv.day_defs and defs and not self.forward:
            options += ["def"]
        if day_vars(env):
            options += ["var"] * 4
        if depth > 0:
            options += ["shift"] * 3 + ["ite"]
        match pick(self.draw, options):
            case "lit":
                if self.forward:
                    return pick(self.draw, [d for d in self.tv.dates if day_of_iso(d) >= self.tv.horizon[0]])
                return self.date_lit()
            case "day_of":
                e = pick(self.draw, self.tv.events)
                return f"day_of({self.apply(e.name, e.params, env, 0)})"
            case "input":
                return pick(self.draw, self.tv.day_inputs).name
            case "def":
                d = pick(self.draw, self.tv.day_defs)
                return self.apply(d.name, d.params, env, 0)
            case "var":
                return pick(self.draw, day_vars(env))
            case "shift":
                shifts = [x for x in SHIFTS if x.startswith("+")] if self.forward else list(SHIFTS)
                return f"({self.day_term(env, depth - 1, defs)} {pick(self.draw, shifts)})"
        c = self.boolean(env, 0)
        return f"(if {c} then {self.day_term(env, depth - 1, defs)} else {self.day_term(env, depth - 1, defs)})"

    def apply(self, name: str, params: tuple[str, ...], env: dict[str, str], depth: int, simple: bool = False) -> str:
        """A call; a definition's day parameter gets a day, mostly one the world decides (an
        event's day, a day input), which the analysis of what the call reads cannot know."""
        if DAY not in params:
            return super().apply(name, params, env, depth, simple)
        args = [self.day_argument(env) if d == DAY else self.enum_term(d, env, depth, simple) for d in params]
        return f"{name}({', '.join(args)})"

    def day_argument(self, env: dict[str, str]) -> str:
        """The day passed to a definition: with `day_focus`, one the world decides when there is one."""
        if self.day_focus and (self.tv.events or self.tv.day_inputs or day_vars(env)) and self.draw(st.integers(0, 3)) > 0:
            options = ["day_of"] if self.tv.events else []
            options += (["input"] if self.tv.day_inputs else []) + (["var"] if day_vars(env) else [])
            match pick(self.draw, options):
                case "day_of":
                    e = pick(self.draw, self.tv.events)
                    return f"day_of({self.apply(e.name, e.params, env, 0)})"
                case "input":
                    return pick(self.draw, self.tv.day_inputs).name
            return pick(self.draw, day_vars(env))
        return self.day_term(env, 0, defs=False)

    def day_pick(self, env: dict[str, str], actor: str | None = None) -> str | None:
        """An input (an act, when `actor` is given and has one) whose argument a day decides:
        `x(if t = 2024-02-29 then a0 else a1)`. When `t` is not known statically (a definition's
        day parameter bound to an event's day), both branches are read."""
        cands = [i for i in self.v.inputs if i.kind == "bool" and i.params]
        own = [i for i in cands if actor is not None and (i.controller.startswith("p") or i.controller == actor)]
        if own and self.draw(st.booleans()):
            cands = own
        if not cands:
            return None
        inp = pick(self.draw, cands)
        if inp not in self.picked:
            self.picked.append(inp)
        args = [self.enum_term(d, env, 0) for d in inp.params]
        if actor is not None and inp.controller.startswith("p") and self.draw(st.booleans()):
            args[int(inp.controller[1:])] = actor
        j = self.draw(st.integers(0, len(args) - 1))
        values = list(self.v.doms[inp.params[j]])
        low, high = self.tv.horizon
        day = pick(self.draw, day_vars(env)) if day_vars(env) and self.draw(st.integers(0, 3)) > 0 else self.day_term(env, 0)
        ops = ["=", "!=", "=", "!=", "<", "<=", ">", ">="] if not self.day_focus else ["=", "!=", "=", "!=", "=", "!=", "<", ">="]
        cond = f"({day} {pick(self.draw, ops)} {iso(self.draw(st.integers(low, high)))})"
        first = pick(self.draw, values)
        second = pick(self.draw, [v for v in values if v != first] or values)
        args[j] = f"(if {cond} then {first} else {second})"
        return f"{inp.name}({', '.join(args)})"

    def day_definition(self, env: dict[str, str], deontic: bool, actor: str) -> str:
        """The body of a definition with a day parameter: mostly a `day_pick` (of `actor`'s acts when
        it has some), alone or combined; with `deontic`, a deontic question about one."""
        if deontic:
            body = self.day_pick(env, actor) or self.boolean(env, 0, prefer_choice=True, actor=actor)
            if self.draw(st.integers(0, 2)) == 0:
                body = f"({body} {pick(self.draw, ['or', 'and', 'implies'])} {self.boolean(env, 0, prefer_choice=True, actor=actor)})"
            return f"{pick(self.draw, ['obliged', 'permitted', 'forbidden'])}({actor}, {body})"
        picked = self.day_pick(env, actor)
        match pick(self.draw, ["pick", "pick", "combined"] + ([] if self.day_focus else ["any"])):
            case "pick" if picked is not None:
                return picked
            case "combined" if picked is not None:
                return f"({picked} {pick(self.draw, ['or', 'and', 'implies', 'iff'])} {self.boolean(env, 0)})"
        return self.boolean(env, 1)

    def probe(self, env: dict[str, str]) -> str:
        """`day SHIFT op DATE` where DATE is where the shift lands from a day of the horizon, or a
        day next to it: one year on is 365 or 366 days depending on the day, and this asks which."""
        text = pick(self.draw, [s for s in SHIFTS if "year" in s or "month" in s] + list(SHIFTS))
        amount, unit = _parse_shift(text)
        h = self.start_day(amount, unit)
        exact = shift(h, amount, unit)
        lit = iso(exact + pick(self.draw, [0, -1, 1]))
        base = self.day_term(env, 0)
        return f"(({base} {text}) {pick(self.draw, ['=', '<', '<=', '>', '>=', '!='])} {lit})"

    def when_day(self, env: dict[str, str]) -> str:
        """A day to ask a state on: mostly where (or next to where) some effect lands; never one that
        can fall before the horizon (the spec says nothing there) unless `before_horizon` allows it."""
        low = self.tv.horizon[0]
        if self.tv.effect_days and self.draw(st.integers(0, 2)) > 0:
            days = self.tv.odd_effect_days if self.tv.odd_effect_days and self.draw(st.booleans()) else self.tv.effect_days
            return iso(max(low, pick(self.draw, days) + pick(self.draw, [0, -1, 1])))
        saved, self.forward = self.forward, not self.before_horizon
        try:
            return self.day_term(env, pick(self.draw, [1, 0, 2]))
        finally:
            self.forward = saved

    def day_compare(self, env: dict[str, str], depth: int) -> str:
        if self.draw(st.integers(0, 2)) == 0:
            return self.probe(env)
        if self.draw(st.integers(0, 2)) == 0:
            k = pick(self.draw, [0, 1, -1, 2, 365, 366])
            return f"(({self.day_term(env, depth)} - {self.day_term(env, depth)}) {pick(self.draw, list(CMP_OPS))} {k})"
        return f"({self.day_term(env, depth)} {pick(self.draw, list(CMP_OPS))} {self.day_term(env, depth)})"

    # ---- legal states, powers, orders ----
    def state_ref(self, env: dict[str, str]) -> str:
        s = pick(self.draw, self.tv.states)
        return self.apply(s.name, s.params, env, 0)

    def time_atom(self, env: dict[str, str], depth: int, deontic: bool) -> str | None:
        options: list[str] = ["days"]
        if self.mode in ("claim", "when"):
            if self.tv.states:
                options += ["state_at"] * 4
            if self.tv.powers:
                options += ["effective"] * 2
            if self.tv.temporal_defs:
                options += ["tdef"]
        if self.mode == "power" and self.tv.states:
            options += ["bare"] * 4
        if deontic and self.mode == "claim":
            if any(n for n in self.v.norms):
                options += ["defeated"] * 2
            if self.tv.orders and self.tv.events:
                options += ["lawful"] * 2
        match pick(self.draw, options):
            case "days":
                return self.day_compare(env, min(depth, 1) + 1)
            case "state_at":
                return f"({self.state_ref(env)} at {self.when_day(env)})"
            case "bare":
                return self.state_ref(env)
            case "effective":
                p = pick(self.draw, self.tv.powers)
                return f"effective({self.apply(p.name, p.params, env, 0)})"
            case "tdef":
                d = pick(self.draw, self.tv.temporal_defs)
                return self.apply(d.name, d.params, env, 0)
            case "defeated":
                n = pick(self.draw, self.v.norms)
                return self.qualified(f"defeated({self.apply(n.name, n.params, env, 0)})", env, within=False)
            case "lawful_act":
                query = self.lawful_act()
                other = self.boolean(env, min(depth, 1), deontic=True)
                return f"({query} {pick(self.draw, ['implies', 'or', 'and', 'iff'])} {other})"
            case "lawful":
                e = pick(self.draw, self.tv.events)
                return f"lawful({self.apply(e.name, e.params, env, 0)}, {pick(self.draw, self.tv.orders)})"
        return None

    # ---- the base generator, with time in the positions that allow it ----
    def boolean(self, env: dict[str, str], depth: int, deontic: bool = False, prefer_choice: bool = False, actor: str | None = None) -> str:
        weight = 4 if self.mode != "plain" else 1
        if self.draw(st.integers(0, 9)) < weight:
            atom = self.time_atom(env, depth, deontic)
            if atom is not None:
                return atom
        return super().boolean(env, depth, deontic, prefer_choice, actor)

    def number(self, env: dict[str, str], depth: int, deontic: bool = False, symbolic: bool = False) -> str:
        if depth >= 0 and self.draw(st.integers(0, 5)) == 0:
            return f"({self.day_term(env, 1)} - {self.day_term(env, 1)})"
        return super().number(env, depth, deontic, symbolic)

    def _plain(self, build):  # type: ignore[no-untyped-def]
        saved, self.mode = self.mode, "plain"
        try:
            return build()
        finally:
            self.mode = saved

    def deontic(self, env: dict[str, str]) -> str:
        query = self._plain(lambda: super(TimedGen, self).deontic(env))
        return self.qualified(query, env, within=True)

    def qualified(self, query: str, env: dict[str, str], within: bool) -> str:
        """A query, sometimes asked within one legal order (`in o0`) or on a day (`at DAY`)."""
        if self.mode != "claim":
            return query
        parts = [query]
        if within and self.tv.orders and self.draw(st.integers(0, 2)) == 0:
            parts.append(f"in {pick(self.draw, self.tv.orders)}")
        if self.draw(st.integers(0, 2)) == 0:
            parts.append(f"at {self.day_term(env, 1)}")
        return query if len(parts) == 1 else f"({' '.join(parts)})"

    def law(self, env: dict[str, str]) -> str:
        return self._plain(lambda: super(TimedGen, self).law(env))  # type: ignore[no-any-return]

    def content(self, env: dict[str, str], actor: str | None) -> str:
        return self._plain(lambda: self._content(env, actor))  # type: ignore[no-any-return]

    def _content(self, env: dict[str, str], actor: str | None) -> str:
        """Besides the base shapes: a call of a definition with a day parameter (what it reads
        depends on a day), and a deadline that reads an event only through its day."""
        day_calls = [d for d in self.v.defs if DAY in d.params and d.kind == "bool" and not d.deontic]
        roll = self.draw(st.integers(0, 5))
        if day_calls and roll <= (3 if self.day_focus else 1):
            d = pick(self.draw, day_calls)
            call = self.apply(d.name, d.params, env, 0)
            if self.draw(st.booleans()):
                return call
            return f"({call} {pick(self.draw, ['or', 'and'])} {super().content(env, actor)})"
        if self.tv.events and roll == 2:
            e = pick(self.draw, self.tv.events)
            ref = self.apply(e.name, e.params, env, 0)
            deadline = f"(day_of({ref}) {pick(self.draw, ['<=', '<', '>=', '='])} {self.day_term(env, 1)})"
            if self.draw(st.booleans()):
                return deadline
            return f"({super().content(env, actor)} and {deadline})"
        return super().content(env, actor)

    def claim_body(self, env: dict[str, str], depth: int) -> str:
        """Mostly about what this generator adds: states on days, effects, defeat, lawfulness."""
        options = ["time", "probe", "base", "premise"]
        if self.tv.states:
            options += ["state", "state", "states"]
        if self.tv.powers:
            options += ["effective", "landing", "landing"]
        if self.v.norms:
            options += ["norms", "norms"]
        if self.tv.orders and self.tv.events:
            options += ["lawful"]
        if self.regulated():
            options += ["lawful_act", "lawful_act"]
        day_questions = [d for d in self.v.defs if DAY in d.params and d.deontic]
        if day_questions:
            options += ["day_question", "day_question"]
        if self.contents and self.v.norms:
            options += ["norm_question"] * (3 if self.tv.orders else 1)
        acts_picked = [i for i in self.picked if i.controller != "nature"]
        if self.day_focus and acts_picked:
            options += ["picked_act"] * 4
        shape = pick(self.draw, options)
        match shape:
            case "norm_question":
                # what a norm asks of its bearer, asked within one order or on a day: where the
                # norms of other orders, or those not binding on that day, must not count
                name = pick(self.draw, sorted(self.contents))
                params, bearer, content = self.contents[name]
                for j, d in enumerate(params):
                    value = pick(self.draw, list(self.v.doms[d]))
                    bearer, content = _replace_word(bearer, f"p{j}", value), _replace_word(content, f"p{j}", value)
                formula = content if self.draw(st.booleans()) else f"(not {content})"
                parts = [f"{pick(self.draw, ['obliged', 'permitted', 'forbidden'])}({bearer}, {formula})"]
                if self.tv.orders and self.draw(st.integers(0, 3)) > 0:
                    parts.append(f"in {pick(self.draw, self.tv.orders)}")
                if self.draw(st.booleans()):
                    parts.append(f"at {self.day_term(env, 1)}")
                return f"({' '.join(parts)})"
            case "picked_act":
                # a deontic question about one act a day decides, by its controller, maybe on a day
                inp = pick(self.draw, acts_picked)
                args = [pick(self.draw, list(self.v.doms[d])) for d in inp.params]
                actor = args[int(inp.controller[1:])] if inp.controller.startswith("p") else inp.controller
                atom = f"{inp.name}({', '.join(args)})"
                formula = atom if self.draw(st.booleans()) else f"(not {atom})"
                query = f"{pick(self.draw, ['obliged', 'permitted', 'forbidden'])}({actor}, {formula})"
                if self.draw(st.integers(0, 2)) == 0:
                    return query if self.draw(st.booleans()) else f"(not {query})"
                premise = self.event_premise(env) if self.tv.events and self.draw(st.booleans()) else self.day_compare(env, 0)
                return f"({premise} implies {query})"
            case "day_question":
                # a deontic question whose acts a day decides, asked about a day the world decides
                d = pick(self.draw, day_questions)
                call = self.apply(d.name, d.params, env, 0)
                call = call if self.draw(st.booleans()) else f"(not {call})"
                premise = self.event_premise(env) if self.tv.events and self.draw(st.booleans()) else self.boolean(env, 0)
                return f"({premise} {pick(self.draw, ['implies', 'implies', 'and', 'iff'])} {call})"
            case "time":
                op = pick(self.draw, ["implies", "and", "or", "iff"])
                n = pick(self.draw, [1, 2, 3]) if op in ("and", "or") else 2
                parts = [self.boolean(env, pick(self.draw, [0, 1]), deontic=True) for _ in range(n)]
                return "(" + f" {op} ".join(parts) + ")"
            case "probe":
                return self.probe(env)
            case "state":
                q = f"({self.state_ref(env)} at {self.when_day(env)})"
                return q if self.draw(st.booleans()) else f"(not {q})"
            case "states":
                a = f"({self.state_ref(env)} at {self.when_day(env)})"
                b = f"({self.state_ref(env)} at {self.when_day(env)})"
                return f"({a} {pick(self.draw, ['implies', 'iff', 'or', 'and'])} {b})"
            case "effective":
                p = pick(self.draw, self.tv.powers)
                ref = self.apply(p.name, p.params, env, 0)
                other = self.boolean(env, pick(self.draw, [0, 1]), deontic=True)
                return f"(effective({ref}) {pick(self.draw, ['implies', 'iff', 'or', 'and'])} {other})"
            case "landing" if self.landings:
                return self.landing(env)
            case "norms":
                n = pick(self.draw, self.v.norms)
                q = pick(self.draw, ["defeated", "active", "violated", "defeated"])
                other = self.boolean(env, min(depth, 1), deontic=True)
                query = self.qualified(f"{q}({self.apply(n.name, n.params, env, 0)})", env, within=False)
                return f"({query} {pick(self.draw, ['implies', 'or', 'and', 'iff'])} {other})"
            case "lawful_act":
                query = self.lawful_act()
                other = self.boolean(env, min(depth, 1), deontic=True)
                return f"({query} {pick(self.draw, ['implies', 'or', 'and', 'iff'])} {other})"
            case "lawful":
                e = pick(self.draw, self.tv.events)
                q = f"lawful({self.apply(e.name, e.params, env, 0)}, {pick(self.draw, self.tv.orders)})"
                other = self.boolean(env, min(depth, 1), deontic=True)
                return f"({q} {pick(self.draw, ['implies', 'or', 'and', 'iff'])} {other})"
            case "premise":
                premise = self.event_premise(env) if self.tv.events and self.draw(st.booleans()) else self.boolean(env, min(depth, 1))
                return f"({premise} implies {self.claim_body(env, depth - 1) if depth > 0 else self.boolean(env, 1, deontic=True)})"
        return super().claim_body(env, depth)

    def start_day(self, amount: int, unit: str) -> int:
        """A day of the horizon; for a shift in years, mostly one from which the shift crosses a
        29 February (or starts on one), where a year is not 365 days."""
        low, high = self.tv.horizon
        if unit == "years":
            odd = [h for h in range(low, high + 1) if add_years(h, amount) - h != 365 * amount]
            if odd and self.draw(st.booleans()):
                return pick(self.draw, odd)
        return self.draw(st.integers(low, high))

    def landing(self, env: dict[str, str]) -> str:
        """A power exercised on a given day of the horizon: the state it changes, on the day its
        effect lands or the day before (`after 1 year` from 28 February 2024 is 28 February 2025)."""
        p = pick(self.draw, self.tv.powers)
        call = self.apply(p.name, p.params, env, 0)
        delay, target = pick(self.draw, self.landings[p.name])
        act = self.power_acts[p.name](call)
        amount, unit = (0, "days") if delay == "immediately" else _parse_shift("+ " + delay.removeprefix("after "))
        h = self.start_day(amount, unit)
        lands = shift(h, amount, unit)
        day = iso(max(self.tv.horizon[0], lands + pick(self.draw, [-1, 0, -1, 1])))
        query = f"({target(call)} at {day})"
        return f"((({act}) and (day_of({act}) = {iso(h)})) implies {query if self.draw(st.booleans()) else f'(not {query})'})"

    def audit(self, env: dict[str, str]) -> str:
        """An `iff` chain of what the new half of the language decides (defeat, activity, violation,
        lawfulness, effect, states on days): any single one that changes in a world changes the
        claim there, so a wrong answer anywhere is seen world by world."""
        atoms: list[str] = []
        for n in self.v.norms:
            q = pick(self.draw, ["defeated", "active", "defeated", "violated"])
            atoms.append(f"{q}({self.apply(n.name, n.params, env, 0)})")
        if self.regulated() and self.draw(st.booleans()):
            atoms.append(self.lawful_act())
        if self.tv.powers and self.draw(st.booleans()):
            p = pick(self.draw, self.tv.powers)
            atoms.append(f"effective({self.apply(p.name, p.params, env, 0)})")
        for _ in range(pick(self.draw, [1, 2]) if self.tv.states else 0):
            atoms.append(f"({self.state_ref(env)} at {self.when_day(env)})")
        if self.tv.states and self.tv.odd_effect_days:
            # the day before each landing of a year that is not 365 days: where counting days
            # instead of calendar years would already show the change
            s = self.state_ref(env)
            atoms += [f"({s} at {iso(x - 1)})" for x in self.tv.odd_effect_days[:3]]
        if not atoms:
            return self.boolean(env, 1, deontic=True)
        chain = atoms[-1]
        for a in reversed(atoms[:-1]):
            chain = f"({a} iff {chain})"
        return chain

    def regulated(self) -> list[tuple[str, str, str]]:
        """(norm, an event its content reads, the norm's order), for asking `lawful` about that act."""
        out: list[tuple[str, str, str]] = []
        for name, (instrument, _) in self.legal.norms.items():
            order = self.legal.instruments.get(instrument, (None,))[0]
            if order is None or name not in self.contents:
                continue
            params = {f"p{j}" for j in range(len(self.contents[name][0]))}
            for m in re.finditer(r"\b(e\d+)(?:\(([^()]*)\)|(?![(\w]))", self.contents[name][2]):
                args = m.group(2).split(", ") if m.group(2) else []
                if all(a in params or a in self.v.doms[ACTOR_DOMAIN] for a in args):  # not a bound variable
                    out.append((name, m.group(0), order))
        return out

    def lawful_act(self) -> str:
        """`lawful(act, order)` for an act that a norm of that order regulates, with actors for the
        norm's parameters."""
        name, act, order = pick(self.draw, self.regulated())
        params = self.contents[name][0]
        for j, d in enumerate(params):
            act = _replace_word(act, f"p{j}", pick(self.draw, list(self.v.doms[d])))
        return f"lawful({act}, {order})"

    def event_day(self, env: dict[str, str]) -> str:
        e = pick(self.draw, self.tv.events)
        return f"day_of({self.apply(e.name, e.params, env, 0)})"

    def event_premise(self, env: dict[str, str]) -> str:
        """An event happened (or not), maybe on a given day of the horizon."""
        e = pick(self.draw, self.tv.events)
        ref = self.apply(e.name, e.params, env, 0)
        if not self.draw(st.integers(0, 3)):
            return f"(not {ref})"
        low, high = self.tv.horizon
        if self.draw(st.booleans()):
            return f"({ref} and (day_of({ref}) = {iso(self.draw(st.integers(low, high)))}))"
        return ref

    def calendar_table(self, env: dict[str, str]) -> str:
        """`day_of(e) SHIFT` is exactly the calendar's answer on every day of the horizon."""
        e = pick(self.draw, self.tv.events)
        x = f"day_of({self.apply(e.name, e.params, env, 0)})"
        text = pick(self.draw, [s for s in SHIFTS if "year" in s or "month" in s])
        amount, unit = _parse_shift(text)
        low, high = self.tv.horizon
        table = iso(shift(high, amount, unit))
        for h in range(high - 1, low - 1, -1):
            table = f"(if ({x} = {iso(h)}) then {iso(shift(h, amount, unit))} else {table})"
        return f"(({x} {text}) = {table})"

    def time_laws(self, env: dict[str, str]) -> list[str]:
        """Instances of laws of days, effects and defeat: they hold in every world, by theorem."""
        out: list[str] = []
        for _ in range(pick(self.draw, [2, 1, 3])):
            d = self.day_term(env, 1)
            match pick(self.draw, ["table", "year", "back", "two", "diff", "defeat", "effective", "table"]):
                case "table" if self.tv.events:
                    out.append(self.calendar_table(env))
                case "year":
                    out.append(f"((({d} + 1 year) - {d}) >= 365 and (({d} + 1 year) - {d}) <= 366)")
                case "back":
                    out.append(f"((({d} + 1 year) - 1 year) = {d} or (({d} + 1 year) - 1 year) = ({d} - 1 day))")
                case "two":
                    out.append(f"(({d} + 2 years) = (({d} + 1 year) + 1 year))")
                case "diff":
                    e = self.day_term(env, 1)
                    out.append(f"(({d} < {e}) iff (({e} - {d}) > 0))")
                case "defeat" if self.v.norms:
                    n = pick(self.draw, self.v.norms)
                    ref = self.apply(n.name, n.params, env, 0)
                    out.append(f"((defeated({ref}) implies (not active({ref}))) and (violated({ref}) implies active({ref})))")
                case "effective" if self.tv.powers:
                    p = pick(self.draw, self.tv.powers)
                    ref = self.apply(p.name, p.params, env, 0)
                    out.append(f"(effective({ref}) implies {self.power_acts[p.name](ref)})")
                case _:
                    out.append(f"(({d} = {d}) and (({d} + 1 day) > {d}))")
        return out


def world_cost(sig: InputSig, doms: dict[str, tuple[str, ...]], horizon_days: int) -> int:
    """How many values the atoms of one input multiply the worlds by."""
    n = math.prod(len(doms[d]) for d in sig.params)
    if isinstance(sig, EventSig):
        return (2 * horizon_days) ** n
    if isinstance(sig, DayInputSig):
        return horizon_days**n
    return sig.values(doms) ** n


@st.composite
def timed_specs(
    draw,  # type: ignore[no-untyped-def]
    max_worlds: int = 400,
    powers: bool = True,
    orders: bool = False,
    readings: bool = False,
    max_claims: int = 3,
    acyclic_defeat: bool = True,
    day_params: bool = False,
    before_horizon: bool = False,
) -> str:
    """A well-typed spec with a small horizon, as source text, with at most `max_worlds` worlds
    (including the day of every event). `powers`: states and powers; `orders`: two or three norms
    in one or two legal orders with ranks, dates and overrides; `readings`: interpretation blocks;
    `day_params`: definitions with a day parameter that decides which act they read (`x(if t = D
    then a0 else a1)`), called with a day the world decides in norms, assumptions and claims, and
    deontic questions inside such definitions: where a stand-in day once decided what was read;
    `before_horizon`: the claims read a legal state on a day that can fall before the horizon
    (`s at day_of(e) - 1 day`), one read per claim, under a premise that reads no state."""
    # ---- the horizon ----
    first, room = pick(draw, list(WINDOWS))
    length = pick(draw, [3, 2, 4, 1])
    length = min(length, room)
    offset = draw(st.integers(0, room - length))
    low = day_of_iso(first) + offset
    high = low + length - 1
    horizon_days = length
    near = [low - 1, *range(low, high + 1), high + 1]
    dates = sorted(
        {iso(d) for d in near}
        | {iso(add_years(d, n)) for d in near for n in (1, -1, 2)}
        | {iso(add_months(d, n)) for d in near for n in (1, -1, 13)}
        | {iso(d + 365) for d in near}
    )

    doms = {ACTOR_DOMAIN: ACTORS[: 2 if day_params else pick(draw, [1, 2, 2])]}
    actors = doms[ACTOR_DOMAIN]
    vocab = TimedVocab(doms, horizon=(low, high), dates=dates)
    lines = ['spec "random, with time"', 'instrument T "A Treaty"', f"horizon from {iso(low)} to {iso(high)}"]
    lines.append(f"domain {ACTOR_DOMAIN} = {{{', '.join(actors)}}}")

    # ---- legal orders and their instruments ----
    legal = Legal()
    if orders:
        n_orders = pick(draw, [2, 1, 2])
        for k in range(n_orders):
            shape = pick(draw, list(RANK_SHAPES))
            legal.shapes[f"o{k}"] = shape
            lines.append(legal.order_decl(f"o{k}"))
            vocab.orders.append(f"o{k}")
            ranks = [r for g in shape for r in g]
            for j in range(pick(draw, [2, 3, 2])):
                # mostly ranked and dated, so that rank and date both have something to decide
                rank = pick(draw, [*ranks, *ranks, None]) if ranks else None
                if j > 0 and draw(st.booleans()):
                    rank = legal.instruments[f"I{k}{j - 1}"][1]  # the same rank: then dates decide
                legal.instruments[f"I{k}{j}"] = (f"o{k}", rank, pick(draw, [*DATES, None]))
                lines.append(legal.instrument_decl(f"I{k}{j}"))

    # ---- inputs: events first, then a few plain facts and choices ----
    worlds = 1
    for i in range(pick(draw, [1, 2, 2])):
        params = pick(draw, [(ACTOR_DOMAIN,), (), (ACTOR_DOMAIN,)])
        controller = pick(draw, ["p0", "p0", "nature"]) if params else pick(draw, [actors[0], "nature", actors[-1]])
        sig = EventSig(f"e{i}", params, "bool", controller)
        cost = world_cost(sig, doms, horizon_days)
        if worlds * cost > max_worlds:
            sig = EventSig(f"e{i}", (), "bool", actors[0])
            cost = world_cost(sig, doms, horizon_days)
            if worlds * cost > max_worlds and i > 0:
                break
        worlds *= cost
        vocab.inputs.append(sig)
        vocab.events.append(sig)
        lines.append(sig.render())
    for i in range(pick(draw, [1, 0, 2, 1]) if not day_params else pick(draw, [1, 2])):
        params = pick(draw, [(ACTOR_DOMAIN,), (), (ACTOR_DOMAIN,)])
        kind = pick(draw, ["bool"] * 5 + ["int", "day"])
        # a fixed controller of an input with a parameter (`x(p: P) by a0`): one actor's acts that an
        # argument tells apart, as in `x(if t = D then a0 else a1)`
        controller = pick(draw, ["p0", "p0", "nature", actors[0]]) if params else pick(draw, ["nature", actors[0]])
        if day_params and i == 0:
            params, kind, controller = (ACTOR_DOMAIN,), "bool", pick(draw, [actors[0], "p0"])
        if kind == "day":
            sig: InputSig = DayInputSig(f"i{i}", (), "day", "nature")
        elif kind == "int":
            sig = InputSig(f"i{i}", params, "int", controller, 0, pick(draw, [1, 2]))
        else:
            sig = InputSig(f"i{i}", params, "bool", controller)
        cost = world_cost(sig, doms, horizon_days)
        if worlds * cost > max_worlds:
            continue
        worlds *= cost
        vocab.inputs.append(sig)
        if isinstance(sig, DayInputSig):
            vocab.day_inputs.append(sig)
        lines.append(sig.render())

    gen = TimedGen(draw, vocab)
    gen.legal = legal
    gen.day_focus = day_params

    # ---- definitions: plain ones, days, and ones that read states (declared after states) ----
    for i in range(pick(draw, [0, 1, 1, 2]) if not day_params else pick(draw, [1, 2, 2])):
        params = pick(draw, [(), (ACTOR_DOMAIN,), (DAY,), (ACTOR_DOMAIN, DAY)])
        if day_params and i == 0:
            params = pick(draw, [(DAY,), (ACTOR_DOMAIN, DAY)])
        env = {f"q{j}": d for j, d in enumerate(params)}
        ps = f"({', '.join(f'q{j}: {d}' for j, d in enumerate(params))})" if params else ""
        kind = pick(draw, ["bool", "day", "num"] + (["dpick", "dpick", "deontic"] if DAY in params else []))
        if day_params and i < 2:
            # the first reads an act a day decides; the second, if any, asks a deontic question about one
            params = params if DAY in params else pick(draw, [(DAY,), (ACTOR_DOMAIN, DAY)])
            env = {f"q{j}": d for j, d in enumerate(params)}
            ps = f"({', '.join(f'q{j}: {d}' for j, d in enumerate(params))})"
            kind = "dpick" if i == 0 else pick(draw, ["deontic", "dpick"])
        if kind in ("dpick", "deontic"):
            actor = pick(draw, [*(n for n, d in env.items() if d == ACTOR_DOMAIN), actors[0]])
            body = gen.day_definition(env, deontic=kind == "deontic", actor=actor)
            vocab.defs.append(DefSig(f"d{i}", params, "bool", deontic=kind == "deontic"))
        elif kind == "day":
            body = gen.day_term(env, 1)
            vocab.day_defs.append(DefSig(f"d{i}", params, "day"))
        elif kind == "num":
            body = gen.number(env, 1)
            vocab.defs.append(DefSig(f"d{i}", params, "num"))
        else:
            body = gen.boolean(env, pick(draw, [0, 1]))
            vocab.defs.append(DefSig(f"d{i}", params, "bool"))
        lines.append(f"define d{i}{ps} = {body}")

    # ---- legal states and the powers that change them ----
    power_acts: dict[str, _Act] = {}
    power_decls: list[tuple[str, tuple[str, ...], str]] = []  # name, params, text (for interpretations)
    state_decls: list[tuple[str, tuple[str, ...], str]] = []
    if powers:
        for i in range(pick(draw, [1, 2, 1])):
            params = pick(draw, [(ACTOR_DOMAIN,), ()])
            vocab.states.append(StateSig(f"s{i}", params))
        for s in vocab.states:
            state_decls.append((s.name, s.params, state_text(gen, s)))
            lines.append(state_decls[-1][2])
        for i in range(pick(draw, [1, 2, 1])):
            params = pick(draw, [(ACTOR_DOMAIN,), ()])
            vocab.powers.append(PowerSig(f"w{i}", params))
        for p in vocab.powers:
            text, act = power_text(gen, p)
            power_acts[p.name] = act
            gen.landings[p.name] = gen.last_landings
            power_decls.append((p.name, p.params, text))
            lines.append(text)
        # a definition that reads a state, for claims and norm conditions
        if draw(st.integers(0, 3)) == 0:
            params = pick(draw, [(ACTOR_DOMAIN,), ()])
            env = {f"q{j}": d for j, d in enumerate(params)}
            ps = f"({', '.join(f'q{j}: {d}' for j, d in enumerate(params))})" if params else ""
            gen.mode = "claim"
            body = f"({gen.state_ref(env)} at {gen.when_day(env)})"
            gen.mode = "plain"
            vocab.temporal_defs.append(DefSig("t0", params, "bool"))
            lines.append(f"define t0{ps} = {body}")
    gen.power_acts = power_acts
    # ---- recorded history: dated changes of states, within the horizon ----
    if vocab.states and draw(st.integers(0, 2)) == 0:
        for i in range(pick(draw, [1, 2])):
            changes = []
            for _ in range(pick(draw, [1, 2])):
                s = pick(draw, vocab.states)
                target = f"{s.name}({', '.join(pick(draw, list(doms[d])) for d in s.params)})" if s.params else s.name
                changes.append(f"{pick(draw, ['starts', 'ends'])} {target}")
            day = iso(draw(st.integers(low, high)))
            vocab.effect_days.append(day_of_iso(day))
            lines.append(f'fact f{i} cite T article 10 paraphrase "a recorded change" on {day} ' + " ".join(changes))

    # ---- norms ----
    norm_decls: list[str] = []
    for i in range(pick(draw, [2, 3, 2]) if orders else pick(draw, [1, 2, 1]) if day_params else pick(draw, [0, 1, 2])):
        text, sig = norm_text(gen, i, legal)
        vocab.norms.append(sig)
        norm_decls.append(text)
    if acyclic_defeat and legal.cyclic():
        # drop every override: ranks and dates alone are acyclic
        for name, (instrument, _) in legal.norms.items():
            legal.norms[name] = (instrument, ())
        norm_decls = [_without_overrides(text) for text in norm_decls]
    lines.extend(norm_decls)

    for i in range(pick(draw, [0, 0, 1])):
        lines.append(f"assume a{i}: {gen.boolean({}, pick(draw, [0, 1]))}")
    day_calls = [d for d in vocab.defs if DAY in d.params and d.kind == "bool" and not d.deontic]
    if day_params and day_calls and draw(st.integers(0, 2)) == 0:
        d = pick(draw, day_calls)
        lines.append(f"assume ad: {gen.apply(d.name, d.params, {}, 0)}")

    # ---- interpretations: each replaces or adds a few declarations ----
    interp_names: list[str] = []
    added_norms = False  # then `compliant(a)` reads a norm the claims cannot name
    if readings:
        base = legal
        for k in range(pick(draw, [1, 2])):
            name = f"R{k}"
            body: list[str] = []
            legal = base.copy()  # the legal structure under this reading, to keep defeat acyclic
            for j in range(pick(draw, [1, 2, 1])):
                options = ["assume"]
                if vocab.norms:
                    options += ["norm", "norm", "new_norm"]
                if legal.instruments:
                    options += ["instrument", "order"]
                if state_decls:
                    options += ["state"]
                if vocab.events:
                    options += ["event"]
                if power_decls:
                    options += ["power"]
                if vocab.defs:
                    options += ["define"]
                match pick(draw, options):
                    case "norm":
                        i = draw(st.integers(0, len(vocab.norms) - 1))
                        text, _ = norm_text(gen, i, legal, keep=vocab.norms[i])
                        if acyclic_defeat and legal.cyclic():
                            legal.norms[vocab.norms[i].name] = (legal.norms[vocab.norms[i].name][0], ())
                            text = _without_overrides(text)
                        body.append(text)
                    case "new_norm":
                        trial = legal.copy()
                        text, _ = norm_text(gen, 10 * (k + 1) + j, trial, overrides_ok=False)
                        if not (acyclic_defeat and trial.cyclic()):
                            legal = trial
                            body.append(text)
                            added_norms = True
                    case "instrument":
                        trial = legal.copy()
                        inst = pick(draw, sorted(trial.instruments))
                        order, _, _ = trial.instruments[inst]
                        ranks = [r for g in trial.shapes[order] for r in g]
                        trial.instruments[inst] = (order, pick(draw, [None, *ranks]) if ranks else None, pick(draw, [None, *DATES]))
                        if not (acyclic_defeat and trial.cyclic()):
                            legal = trial
                            body.append(legal.instrument_decl(inst))
                    case "order":
                        trial = legal.copy()
                        order = pick(draw, sorted(trial.shapes))
                        trial.shapes[order] = tuple(reversed(trial.shapes[order]))  # the same ranks, the other way round
                        if not (acyclic_defeat and trial.cyclic()):
                            legal = trial
                            body.append(legal.order_decl(order))
                    case "event":
                        # who decides the event: its own actor, a fixed actor, or nobody (nature)
                        ev = pick(draw, vocab.events)
                        choices = ["nature", *vocab.doms[ACTOR_DOMAIN]] + (["p0"] if ev.params else [])
                        controller = pick(draw, [c for c in choices if c != ev.controller])
                        body.append(EventSig(ev.name, ev.params, "bool", controller).render())
                    case "state":
                        sname, sparams, _ = pick(draw, state_decls)
                        body.append(state_text(gen, StateSig(sname, sparams)))
                    case "power":
                        pname, pparams, _ = pick(draw, power_decls)
                        text, _ = power_text(gen, PowerSig(pname, pparams), act=power_acts[pname])
                        body.append(text)
                    case "define":
                        d = pick(draw, vocab.defs)
                        env = {f"q{j}": dd for j, dd in enumerate(d.params)}
                        ps = f"({', '.join(f'q{j}: {dd}' for j, dd in enumerate(d.params))})" if d.params else ""
                        # only the definitions declared before this one, as in the spec itself
                        saved = vocab.defs, vocab.day_defs
                        vocab.defs = [x for x in saved[0] if int(x.name[1:]) < int(d.name[1:])]
                        vocab.day_defs = [x for x in saved[1] if int(x.name[1:]) < int(d.name[1:])]
                        new = gen.boolean(env, 1) if d.kind == "bool" else gen.number(env, 1)
                        vocab.defs, vocab.day_defs = saved
                        body.append(f"define {d.name}{ps} = {new}")
                    case _:
                        body.append(f"assume {gen.boolean({}, pick(draw, [0, 1]))}")
            lines.append(f'interpretation {name} "reading {k}" {{')
            lines.extend("  " + b.replace("\n", "\n  ") for b in body)
            lines.append("}")
            interp_names.append(name)

    # ---- claims ----
    gen.mode = "claim"
    if before_horizon and vocab.states and (vocab.events or vocab.day_inputs):
        for i in range(draw(st.integers(1, max_claims))):
            env: dict[str, str] = {}  # no leading `every`: no symmetry reduction between the claim and its reads
            base = gen.event_day(env) if vocab.events and (not vocab.day_inputs or draw(st.booleans())) else vocab.day_inputs[0].name
            back = pick(draw, ["- 1 day", "- 2 days", "+ 1 day", "- 1 day", "- 3 days", "- 1 year"])
            read = f"({gen.state_ref(env)} at ({base} {back}))"
            gen.mode = "plain"
            premise = gen.event_premise(env) if vocab.events and draw(st.booleans()) else gen.boolean(env, 0)
            gen.mode = "claim"
            lines.append(f"claim b{i}: ({premise} implies {read if draw(st.booleans()) else f'(not {read})'}) expect holds")
        gen.mode = "plain"
        return "\n".join(lines) + "\n"
    for i in range(draw(st.integers(1, max_claims))):
        shape = pick(draw, ["quant", "plain", "quant"])
        if shape == "quant":
            binders, env = gen.binders({})
            q = pick(draw, ["every", "some", "every", "no"])
            claim = f"{q} {binders}: {gen.claim_body(env, pick(draw, [0, 1, 2]))}"
        else:
            claim = gen.claim_body({}, pick(draw, [0, 1, 2]))
        expects = " expect holds"
        for r in interp_names:
            if draw(st.booleans()):
                expects += f" expect {pick(draw, ['holds', 'fails'])} under {r}"
        lines.append(f"claim c{i}: {claim}{expects}")
    if draw(st.booleans()):
        binders, env = gen.binders({})
        lines.append(f"claim audit: every {binders}: {gen.audit(env)} expect holds")
    if draw(st.integers(0, 4)) == 0:
        # a scenario: givens may read states (not ask deontic questions); expectations anything
        lines.append("scenario sc")
        gen.mode = "when"
        for _ in range(pick(draw, [1, 2])):
            lines.append(f"  given {gen.event_premise({}) if vocab.events and draw(st.booleans()) else gen.boolean({}, 1)}")
        gen.mode = "claim"
        lines.append(f"  expect {gen.claim_body({}, 1)}")
    if draw(st.integers(0, 2)) == 0:
        x = gen.fresh()
        parts = gen.time_laws({x: ACTOR_DOMAIN})
        if not added_norms and draw(st.integers(0, 2)) == 0:
            parts.append(gen.law({x: ACTOR_DOMAIN}))  # a law of the deontic semantics, with time around it
        lines.append(f"claim laws_time: every {x} in {ACTOR_DOMAIN}: {' and '.join(parts)} expect holds")
    gen.mode = "plain"
    return "\n".join(lines) + "\n"


def state_text(gen: TimedGen, s: StateSig) -> str:
    env = {f"p{j}": d for j, d in enumerate(s.params)}
    ps = f"({', '.join(f'p{j}: {d}' for j, d in enumerate(s.params))})" if s.params else ""
    init = pick(gen.draw, ["true", "false", "expr", "true"])
    if init == "expr":
        init = gen.boolean(env, pick(gen.draw, [0, 1]))
    return f"state {s.name}{ps} initially {init}"


def power_text(gen: TimedGen, p: PowerSig, act: _Act | None = None) -> tuple[str, _Act]:
    """A power declaration; and a function from a call `w(args)` to its act as a formula."""
    draw = gen.draw
    tv = gen.tv
    env = {f"p{j}": d for j, d in enumerate(p.params)}
    ps = f"({', '.join(f'p{j}: {d}' for j, d in enumerate(p.params))})" if p.params else ""
    holder = "p0" if p.params else pick(draw, list(tv.doms[ACTOR_DOMAIN]))
    if act is None:
        ev = pick(draw, tv.events)
        ev_args = [pick(draw, [*env, *tv.doms[d]]) for d in ev.params]
        act_text = f"{ev.name}({', '.join(ev_args)})" if ev_args else ev.name
    else:
        act_text = act.text
    when = ""
    if draw(st.integers(0, 2)) > 0:
        gen.mode = "power"
        when = f"\n  when {gen.boolean(env, pick(draw, [0, 1]))}"
        gen.mode = "plain"
    # a second power often shares a delay with the first, so that their effects meet on one day
    delay = pick(draw, tv.delays + list(DELAYS)) if tv.delays and draw(st.booleans()) else pick(draw, list(DELAYS))
    tv.delays.append(delay)
    if delay != "immediately":
        amount, unit = _parse_shift("+ " + delay.removeprefix("after "))
    else:
        amount, unit = 0, "days"
    low, high = tv.horizon
    for h in range(low, high + 1):
        landing = shift(h, amount, unit)
        if landing not in tv.effect_days:
            tv.effect_days.append(landing)
        if unit == "years" and landing - h != 365 * amount and landing not in tv.odd_effect_days:
            tv.odd_effect_days.append(landing)  # a year of 366 days (or from 29 February)
    effects: list[str] = []
    for k in range(pick(draw, [1, 2, 1])):
        if k == 1 and draw(st.booleans()):
            # start and end the same state on the same day: the end must win
            kind, target = effects[0].split(" ", 1)
            effects.append(f"{'starts' if kind == 'ends' else 'ends'} {target}")
            continue
        s = pick(draw, tv.states)
        args: list[str] = []
        for d in s.params:
            choice = pick(draw, ["param", "const", "ite"])
            if choice == "param" and env:
                args.append("p0")
            elif choice == "ite" and env:
                args.append(f"if p0 = {tv.doms[d][0]} then {tv.doms[d][-1]} else p0")
            else:
                args.append(pick(draw, list(tv.doms[d])))
        target = f"{s.name}({', '.join(args)})" if args else s.name
        effects.append(f"{pick(draw, ['ends', 'starts'])} {target}")
    revocation = ""
    if delay not in ("immediately", "after 0 days") and draw(st.booleans()):  # (nothing to revoke otherwise)
        ev = pick(draw, tv.events)
        ev_args = [pick(draw, [*env, *tv.doms[d]]) for d in ev.params]
        revocation = f"\n  revocable by {ev.name}({', '.join(ev_args)})" if ev_args else f"\n  revocable by {ev.name}"
        if draw(st.booleans()):
            revocation += ' cite T article 68 quote "may be revoked"'
    timing = f"takes effect {delay}"
    if draw(st.integers(0, 4)) == 0:
        # an effect day the world decides (an extension, with the delay as the default), never before the act
        gen.mode = "plain"
        default = f"day_of({act_text})" + ("" if delay in ("immediately", "after 0 days") else f" + {delay.removeprefix('after ')}")
        timing = f"takes effect on (if {gen.boolean(env, 0)} then {gen.day_term(env, 0)} else {default})"
    text = (
        f'power {p.name}{ps}\n  cite T article 9 quote "a power"\n  holder {holder}\n  by {act_text}{when}\n'
        f"  {timing}\n  " + "\n  ".join(effects) + revocation
    )
    gen.last_landings = [(delay, _Act(e.split(" ", 1)[1], tuple(env))) for e in effects]
    return text, _Act(act_text, tuple(env))


@dataclass(frozen=True)
class _Act:
    """A power's act, written over the power's parameters; called with the arguments of a query."""

    text: str
    params: tuple[str, ...]

    def __call__(self, call: str) -> str:
        if not self.params:
            return self.text
        args = call[call.index("(") + 1 : -1].split(", ")
        out = self.text
        for name, value in zip(self.params, args, strict=True):
            out = _replace_word(out, name, value)
        return out


def _replace_word(text: str, name: str, value: str) -> str:
    return re.sub(rf"\b{re.escape(name)}\b", value, text)


def norm_text(gen: TimedGen, i: int, legal: Legal, keep: NormSig | None = None, overrides_ok: bool = True) -> tuple[str, NormSig]:
    """A norm declaration, recorded in `legal`. With `keep`, a replacement of that norm (same name,
    parameters, bearer and citation: an interpretation reads the rule differently, not its source)."""
    draw = gen.draw
    tv = gen.tv
    actors = list(tv.doms[ACTOR_DOMAIN])
    if keep is not None:
        name, params, bearer = keep.name, keep.params, keep.bearer
        instrument = legal.norms[name][0]
    else:
        name = f"n{i}"
        params = pick(draw, [(ACTOR_DOMAIN,), (), (ACTOR_DOMAIN,)])
        bearer = pick(draw, ["p0", "p0", actors[0]]) if params else pick(draw, actors)
        instrument = pick(draw, sorted(legal.instruments)) if legal.instruments else "T"
        if legal.norms and legal.instruments and draw(st.booleans()):
            # another instrument of the order of an earlier norm: rivals in one order
            earlier = pick(draw, [inst for inst, _ in legal.norms.values()])
            order = legal.instruments.get(earlier, (None,))[0]
            others = [i for i, (o, _, _) in sorted(legal.instruments.items()) if o == order and i != earlier]
            instrument = pick(draw, others) if others else instrument
    # often the same acts as an earlier norm of the same shape: what one requires, another forbids
    # or allows (this is where norms conflict and defeat has something to decide)
    mirrors = [m for m, (mp, mb, _) in gen.contents.items() if m != name and mp == params and mb == bearer]
    mirror = pick(draw, mirrors) if mirrors and draw(st.integers(0, 2)) > 0 else None
    if keep is None and mirror is None and gen.contents and draw(st.integers(0, 2)) > 0:
        mirror = pick(draw, sorted(gen.contents))
        params, bearer = gen.contents[mirror][0], gen.contents[mirror][1]
    env = {f"p{j}": d for j, d in enumerate(params)}
    ps = f"({', '.join(f'p{j}: {d}' for j, d in enumerate(params))})" if params else ""
    kind = pick(draw, ["obligation", "prohibition", "permission"])
    when = ""
    if draw(st.booleans()):
        gen.mode = "when"
        when = f"\n  when {gen.boolean(env, pick(draw, [0, 1]))}"
        gen.mode = "plain"
    # the days an instance binds on (asked about with `active(n) at DAY`, `obliged(a, f) at DAY`)
    if draw(st.integers(0, 2)) == 0:
        when += f"\n  from {gen.day_term(env, 0)}"
    if draw(st.integers(0, 3)) == 0:
        when += f"\n  until {gen.day_term(env, 0)}"
    if mirror is not None:
        content = gen.contents[mirror][2]
        content = content if draw(st.booleans()) else f"(not {content})"
    else:
        content = gen.content(env, actor=bearer)
    gen.contents[name] = (params, bearer, content)
    overrides: list[str] = []
    order = legal.instruments.get(instrument, (None, None, None))[0]
    if overrides_ok and order is not None:
        # only norms declared before this one: the checker refuses a cycle of overrides
        same = [n for n, (inst, _) in legal.norms.items() if int(n[1:]) < i and legal.instruments.get(inst, (None,))[0] == order]
        if same and draw(st.integers(0, 3)) == 0:
            overrides.append(pick(draw, same))
    legal.norms[name] = (instrument, tuple(overrides))
    text = f'{kind} {name}{ps}\n  cite {instrument} article {i + 1} quote "the words"\n  bearer {bearer}{when}\n  to {content}'
    if overrides:
        text += f"\n  overrides {', '.join(overrides)}" + (' cite T article 27 quote "prevails"' if len(overrides) == 1 else "")
    return text, NormSig(name, params, bearer)


def _without_overrides(text: str) -> str:
    return text.split("\n  overrides")[0]
