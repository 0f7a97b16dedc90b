"""A second solver's word on a verdict: cvc5 answers the query Z3 answered (`--certify`).

The query is exported as SMT-LIB 2 (`solver.smtlib`) and parsed and solved by cvc5 through its
Python package (`pip install 'treaty-dsl[certify]'`), in this process. A claim that holds is
Z3's `unsat` for its negation; one that fails is `sat`. cvc5 must give the same answer: when it
gives the other one, the verdict is withdrawn and the result is an internal error (exit 4) that
shows both answers. When cvc5 cannot decide within the time limit (or gives up, as it may on
quantified formulas that are satisfiable), the verdict stands and says so.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import time

from solver.results import Certificate, Fails, Holds, InternalError, Result

SECOND_SOLVER = "cvc5"
INSTALL_HINT = "pip install 'treaty-dsl[certify]'"


def available() -> bool:
    return importlib.util.find_spec("cvc5") is not None


def solve(script: str, logic: str, timeout_s: float) -> tuple[str, str]:
    """cvc5's answer (`sat`, `unsat` or `unknown`) to an SMT-LIB 2 script, and why when unknown."""
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("tlimit-per", str(max(1, int(timeout_s * 1000))))
    solver.setOption("produce-models", "false")
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, script, "query.smt2")
    symbols = parser.getSymbolManager()
    answer = ""
    try:
        while True:
            command = parser.nextCommand()
            if command.isNull():
                break
            printed = command.invoke(solver, symbols).strip()
            if printed:
                answer = printed
    except RuntimeError as exc:  # cvc5's parse errors and the like
        return "unknown", f"cvc5 refused the query: {exc}"
    if answer in ("sat", "unsat"):
        return answer, ""
    if answer.startswith("(error"):
        return "unknown", f"cvc5 refused the query: {answer}"
    return "unknown", "cvc5 could not decide it within the time limit" if answer == "unknown" else f"cvc5 answered {answer!r}"


def certify(result: Result, script: str, logic: str, timeout_s: float) -> Result:
    """The verdict with cvc5's answer attached, or an internal error when the two solvers disagree."""
    if not isinstance(result, Holds | Fails):
        return result
    expected = "unsat" if isinstance(result, Holds) else "sat"
    started = time.monotonic()
    answer, reason = solve(script, logic, timeout_s)
    seconds = time.monotonic() - started
    z3_answer = f"Z3: {expected} ({result.verdict})"
    if answer == expected:
        certificate = Certificate(SECOND_SOLVER, "agrees", answer, logic, len(script), seconds)
        return dataclasses.replace(result, certificate=certificate, seconds=result.seconds + seconds)
    if answer == "unknown":
        certificate = Certificate(SECOND_SOLVER, "undecided", answer, logic, len(script), seconds, reason)
        return dataclasses.replace(result, certificate=certificate, seconds=result.seconds + seconds)
    return InternalError(
        result.claim,
        f"the solvers disagree: {z3_answer}, cvc5: {answer} on the same query (SMT-LIB {logic}, {len(script)} characters)",
        list(result.warnings),
        result.seconds + seconds,
    )
