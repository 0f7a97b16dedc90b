"""Spec text for the scaling benchmarks: a collective-defence treaty of N parties, a withdrawal clause over
a time horizon of Y years."""

from __future__ import annotations

MEANS = ("armed_force", "military_aid", "economic_aid", "humanitarian_aid", "diplomatic_action")

COLLECTIVE_CLAIMS = ("no_obligation_without_unanimity", "no_obligation_to_use_armed_force")


def party_names(n: int) -> list[str]:
    """`P001`, `P002`, ...: as many digits as the largest number needs."""
    width = len(str(n))
    return [f"P{i:0{width}d}" for i in range(1, n + 1)]


def collective_defence(n: int) -> str:
    """A treaty shaped like specs/nato.treaty (Articles 5 under consensus invocation), for `n` parties.

    Parties, an armed attack, invocation by every party's agreement, an obligation to assist the victim
    by some means of the party's choice; the two LANGUAGE.md claims.
    """
    parties = party_names(n)
    lines = [
        f'spec "Generated collective-defence treaty, {n} parties"',
        'instrument CDT "A generated collective-defence treaty"',
        "",
        "domain Party = {",
        *(f"  {', '.join(parties[i : i + 16])}," for i in range(0, n, 16)),
        "}",
        f"domain Means = {{{', '.join(MEANS)}}}",
        "",
        "input armed_attack(victim: Party) by nature",
        "input agrees_to_invoke(p: Party, victim: Party) by p",
        "input takes(p: Party, means: Means, victim: Party) by p",
        "",
        "define invoked(victim: Party) = every p in Party: agrees_to_invoke(p, victim)",
        "define assists(p: Party, victim: Party) = some m in Means: takes(p, m, victim)",
        "",
        "obligation assist(p: Party, victim: Party)",
        '  cite CDT article 5 quote "will assist the Party so attacked by taking such action as it deems necessary"',
        "  bearer p",
        "  when armed_attack(victim) and invoked(victim) and p != victim",
        "  to assists(p, victim)",
        "",
        f"claim {COLLECTIVE_CLAIMS[0]}:",
        "  every p in Party, v in Party: obliged(p, assists(p, v)) implies invoked(v)",
        "  expect holds",
        "",
        f"claim {COLLECTIVE_CLAIMS[1]}:",
        "  every p in Party, v in Party: not obliged(p, takes(p, armed_force, v))",
        "  expect holds",
        "",
    ]
    return "\n".join(lines)


# ---- time horizon ----

HORIZON_START_YEAR = 2000
HORIZON_PARTIES = 4
HORIZON_CLAIMS = ("still_a_party_364_days_after_notice", "gone_366_days_after_notice", "gone_365_days_after_notice")
HORIZON_EXPECTED = ("holds", "holds", "fails")


def withdrawal(years: int, parties: int = HORIZON_PARTIES) -> str:
    """Article 13 of the NATO treaty over a horizon of `years` years: notice, then membership ends one
    calendar year later. Uses the time syntax (`horizon`, `event`, `state`, `power`, `at`, durations)."""
    names = party_names(parties)
    return "\n".join(
        [
            f'spec "Generated withdrawal clause, {years} years"',
            'instrument WT "A generated treaty" in international dated 1949-04-04',
            'order international "International law"',
            f"horizon from {HORIZON_START_YEAR}-01-01 to {HORIZON_START_YEAR + years - 1}-12-31",
            f"domain Party = {{{', '.join(names)}}}",
            "event notice(p: Party) by p",
            "state party(p: Party) initially true",
            "power denounce(p: Party)",
            '  cite WT article 13 quote "any Party may cease to be a Party one year after its notice of denunciation"',
            "  holder p",
            "  by notice(p)",
            "  when party(p)",
            "  takes effect after 1 year",
            "  ends party(p)",
            f"claim {HORIZON_CLAIMS[0]}: every p in Party: notice(p) implies party(p) at day_of(notice(p)) + 364 days",
            "  expect holds",
            f"claim {HORIZON_CLAIMS[1]}: every p in Party: effective(denounce(p)) implies not party(p) at day_of(notice(p)) + 366 days",
            "  expect holds",
            f"claim {HORIZON_CLAIMS[2]}: every p in Party: effective(denounce(p)) implies not party(p) at day_of(notice(p)) + 365 days",
            "  expect fails",
            "",
        ]
    )


def time_support() -> str | None:
    """None when this checkout's language has days (`day` in the grammar and the probe spec loads);
    otherwise why not. Decided at run time: time support was being added while this was written."""
    from importlib import resources

    try:
        grammar = resources.files("treaty_dsl").joinpath("grammar.lark").read_text(encoding="utf-8")
    except OSError as exc:
        return f"cannot read the grammar: {exc}"
    if '"day"' not in grammar:
        return "not yet available: the grammar has no `day`"
    from treaty_dsl.checker import check
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.parser import parse_module

    try:
        check([parse_module(withdrawal(1, 2), "<probe>")])
    except SpecError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        return f"not yet available: the probe spec does not load ({first.code if first else '?'}: {first.message if first else ''})"
    return None
