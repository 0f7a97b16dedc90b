"""Disagreements the differential test found, shrunk to minimal specs and kept as regressions.

Each spec is checked the same way as the random ones (`differential.compare`: brute-force oracle,
verifier verdicts, claims about single worlds, grouped evaluator world by world). A bug still open
is marked xfail(strict=True): when it is fixed the test passes unexpectedly and fails the suite, so
the marker must be removed then.
"""

from __future__ import annotations

import pytest
from differential import compare, load

from solver.verify import Verifier

# ---- open ----

DEONTIC_DEFINITION_BUG = (
    "BUG: a definition whose body asks a deontic question (compliant/obliged/permitted/forbidden/"
    "active/violated) crashes the verifier: Encoder.definition calls Structure.def_reads, and "
    "Structure.reads raises ValueError('deontic queries have no static read set'); "
    "`treaty check` dies with a traceback"
)


def test_deontic_definition_compliant() -> None:
    compare(
        """
domain P = {a0}
define d = compliant(a0)
claim c: d expect holds
"""
    )


def test_deontic_definition_obliged_with_parameter() -> None:
    compare(
        """
instrument T "A Treaty"
domain P = {a0, a1}
input e0(p0: P) by p0
define dd(p0: P) = obliged(p0, e0(p0))
obligation n0(p0: P) cite T article 1 quote "w" bearer p0 to e0(p0)
claim c0: every x in P: dd(x) expect holds
"""
    )


@pytest.mark.xfail(
    strict=True,
    reason="LIMITATION: definitions are checked before norms, so `define d = violated(n)` is refused "
    "with E0307 (a clean diagnostic, no crash)",
)
def test_deontic_definition_norm_query() -> None:
    compare(
        """
instrument T "A Treaty"
domain P = {a0}
input go by a0
obligation n cite T article 1 quote "w" bearer a0 to go
define broken = violated(n)
claim c: broken implies not go expect holds
"""
    )


# ---- fixed (kept so they stay fixed) ----


def test_two_verifiers_in_one_process_with_the_same_domain_name() -> None:
    """Was: the encoder declared a global Z3 enumeration sort per domain name, and Z3 refuses a
    second declaration, so a second spec with `domain P` in the same process (`treaty check a b`)
    crashed with Z3Exception 'enumeration sort name is already declared'."""
    first = load("domain P = {a0, a1}\ninput x by a0\nclaim c: x or not x expect holds\n")
    second = load("domain P = {a0}\ninput x by a0\nclaim c: x expect holds\n")
    assert Verifier(first, timeout_s=10).check_claim(first.claims[0]).verdict == "holds"
    assert Verifier(second, timeout_s=10).check_claim(second.claims[0]).verdict == "fails"
    assert Verifier(first, timeout_s=10).check_claim(first.claims[0]).verdict == "holds"


# ---- found in review ----


def test_year_shift_inside_a_day_parameter_uses_the_arguments_range() -> None:
    """A definition with a day parameter shifted by a year was encoded with the calendar table of the
    horizon, not of its argument: 40 years later the table had no 29 February, and a claim that
    fails ("always 365 days") was proved."""
    spec = load(
        """
horizon from 2020-01-01 to 2021-12-31
input d: day by nature
define late(t: day) = t + 1 year
claim exact: late(d + 40 years) = d + 41 years expect holds
claim always_365: late(d + 40 years) = d + 40 years + 365 days expect fails
"""
    )
    verifier = Verifier(spec)
    verdicts = {c.name: verifier.check_claim(c).verdict for c in spec.claims}
    assert verdicts == {"exact": "holds", "always_365": "fails"}
