"""The same questions for the peer tool Deolingo (deontic logic on answer set programming, clingo).

Optional: `pip install '.[bench]'`. Each question is asked the ASP way: choice rules make every input
free, a rule derives `cex` in a world that refutes the claim, and `:- not cex.` keeps only such
worlds. No answer set: the claim holds; an answer set: it fails.

The semantics differ from treaty-dsl's and the table says so: in Deolingo an obligation is what a rule
concludes (`&obligatory{assists(P,V)}`), there are no compliant alternatives, and nothing derives
`&obligatory{takes(P, armed_force, V)}` from an obligation to assist by some means. So "no party is
obliged to use armed force" holds there because no rule concludes it, while treaty-dsl proves it from
the alternatives in which the party complies without armed force. Deolingo has no calendar: the time
horizon benchmark has no Deolingo column.
"""

from __future__ import annotations

import time
from typing import Any

from bench.baselines.z3_nato import MEANS, PARTIES, PLACES, TARGETS, covered_place
from bench.generate import COLLECTIVE_CLAIMS, party_names
from bench.generate import MEANS as COLLECTIVE_MEANS


def available() -> str | None:
    """None when deolingo can be imported; else the reason."""
    try:
        import deolingo.control  # noqa: F401
    except ImportError as exc:
        return f"not installed ({exc.name}); pip install '.[bench]'"
    return None


def version() -> str | None:
    try:
        from importlib.metadata import version as dist_version

        return dist_version("deolingo")
    except Exception:
        return None


def solve(program: str, timeout_s: float) -> dict[str, Any]:
    """Ground and solve; `holds` when there is no answer set (no counterexample)."""
    from deolingo.control import DeolingoControl

    started = time.perf_counter()
    ctl = DeolingoControl(["1"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    grounded = time.perf_counter()
    with ctl.solve(async_=True) as handle:
        finished = handle.wait(max(0.001, timeout_s - (grounded - started)))
        if not finished:
            handle.cancel()
            verdict = "unknown"
        else:
            result = handle.get()
            verdict = "fails" if result.satisfiable else "holds" if result.unsatisfiable else "unknown"
    done = time.perf_counter()
    return {"verdict": verdict, "encode_s": grounded - started, "solve_s": done - grounded, "total_s": done - started}


def _facts(pred: str, values: list[str]) -> str:
    return f"{pred}({'; '.join(values)})."


# ---- the generated collective-defence treaty ----


def collective(n: int) -> str:
    return "\n".join(
        [
            _facts("party", [p.lower() for p in party_names(n)]),
            _facts("means", list(COLLECTIVE_MEANS)),
            "{ armed_attack(V) } :- party(V).",
            "{ agrees_to_invoke(P, V) } :- party(P), party(V).",
            "{ takes(P, M, V) } :- party(P), means(M), party(V).",
            "not_invoked(V) :- party(V), party(P), not agrees_to_invoke(P, V).",
            "invoked(V) :- party(V), not not_invoked(V).",
            "assists(P, V) :- takes(P, M, V).",
            "&obligatory{assists(P, V)} :- armed_attack(V), invoked(V), party(P), P != V.",
        ]
    )


COLLECTIVE_QUESTIONS = {
    COLLECTIVE_CLAIMS[0]: "cex :- &obligatory{assists(P, V)}, not invoked(V).",
    COLLECTIVE_CLAIMS[1]: "cex :- &obligatory{takes(P, armed_force, V)}.",
}


def collective_program(n: int, claim: str) -> str:
    return f"{collective(n)}\n{COLLECTIVE_QUESTIONS[claim]}\n:- not cex.\n"


# ---- NATO Articles 4, 5 and 6 (bench/specs/nato_untimed.treaty) ----


def nato() -> str:
    covered = [f"covered({t}, {x})." for t in TARGETS for x in PLACES if covered_place(t, x)]
    return "\n".join(
        [
            _facts("party", [p.lower() for p in PARTIES]),
            _facts("target", TARGETS),
            _facts("place", PLACES),
            _facts("means", MEANS),
            *covered,
            "{ armed_attack(V, T, X) } :- party(V), target(T), place(X).",
            "{ agrees_to_invoke(P, V) } :- party(P), party(V).",
            "{ takes(P, M, V) } :- party(P), means(M), party(V).",
            "{ considers_threatened(P, Q) } :- party(P), party(Q).",
            "{ consults(P, Q) } :- party(P), party(Q).",
            "{ reports(P, V) } :- party(P), party(V).",
            "covered_attack(V) :- armed_attack(V, T, X), covered(T, X).",
            "not_invoked(V) :- party(V), party(P), not agrees_to_invoke(P, V).",
            "invoked(V) :- party(V), not not_invoked(V).",
            "art5_case(V) :- covered_attack(V), invoked(V).",
            "assists(P, V) :- takes(P, M, V).",
            "&obligatory{assists(P, V)} :- art5_case(V), party(P), P != V.",
            "&obligatory{reports(P, V)} :- art5_case(V), assists(P, V).",
            "someone_threatened(Q) :- considers_threatened(R, Q).",
            "&obligatory{consults(P, Q)} :- someone_threatened(Q), party(P).",
        ]
    )


_HUNGARY_WITHHOLDS = (
    ":- not armed_attack(ee, territory, europe). :- party(P), P != hu, not agrees_to_invoke(P, ee). :- agrees_to_invoke(hu, ee)."
)
_CONSENSUS = ":- not armed_attack(ee, territory, europe). :- party(P), not agrees_to_invoke(P, ee)."

NATO_QUESTIONS = {
    "art5_obliges_assistance": "cex :- art5_case(V), party(P), P != V, not &obligatory{assists(P, V)}.",
    "no_obligation_without_consensus": "cex :- &obligatory{assists(P, V)}, not invoked(V).",
    "one_ally_blocks_invocation": "cex :- party(H), not agrees_to_invoke(H, V), &obligatory{assists(P, V)}.",
    "no_obligation_to_use_armed_force": "cex :- &obligatory{takes(P, armed_force, V)}.",
    "armed_force_obliged_after_invocation": "cex :- art5_case(V), party(P), P != V, not &obligatory{takes(P, armed_force, V)}.",
    "armed_force_permitted": "cex :- art5_case(V), party(P), P != V, &forbidden{takes(P, armed_force, V)}.",
    "attack_elsewhere_not_covered": (
        "hit_not_elsewhere(V) :- armed_attack(V, T, X), X != elsewhere. "
        "cex :- party(V), not hit_not_elsewhere(V), &obligatory{assists(P, V)}."
    ),
    "forces_in_mediterranean_covered": (
        "cex :- armed_attack(V, forces, mediterranean), invoked(V), party(P), P != V, not &obligatory{assists(P, V)}."
    ),
    "territory_at_sea_is_not_a_category": "cex :- party(V), not covered(territory, mediterranean).",
    "reporting_follows_measures": "cex :- art5_case(V), assists(P, V), not &obligatory{reports(P, V)}.",
    "consultation_on_request_of_any_party": "cex :- someone_threatened(Q), party(P), not &obligatory{consults(P, Q)}.",
    "consultation_is_not_assistance": "some_case :- art5_case(V). cex :- not some_case, &obligatory{assists(P, Q)}.",
    "estonia_attacked_hungary_withholds[1]": f"{_HUNGARY_WITHHOLDS} cex :- invoked(ee).",
    "estonia_attacked_hungary_withholds[2]": f"{_HUNGARY_WITHHOLDS} cex :- &obligatory{{assists(us, ee)}}.",
    "estonia_attacked_hungary_withholds[3]": f"{_HUNGARY_WITHHOLDS} cex :- &forbidden{{takes(us, armed_force, ee)}}.",
    "estonia_attacked_consensus[1]": f"{_CONSENSUS} cex :- not &obligatory{{assists(us, ee)}}.",
    "estonia_attacked_consensus[2]": f"{_CONSENSUS} cex :- &obligatory{{takes(us, armed_force, ee)}}.",
    "estonia_attacked_consensus[3]": f"{_CONSENSUS} cex :- &obligatory{{assists(ee, ee)}}.",
}


def nato_program(claim: str) -> str:
    return f"{nato()}\n{NATO_QUESTIONS[claim]}\n:- not cex.\n"
