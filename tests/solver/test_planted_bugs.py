"""The differential test has teeth: plant one bug at a time in the encoding (or in the grouping the
encoder and the grouped evaluator share), run the same differential property with the ci settings,
and require that it finds a disagreement. Every plant is undone afterwards (and that is checked).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
import z3
from differential import MAX_ATOMS, MAX_COST, Disagreement, compare, planted
from hypothesis import given, reject

from solver.encode import Encoder
from treaty_dsl import ir
from treaty_dsl.deontic import Structure
from treaty_dsl.evaluator import Evaluator
from treaty_dsl.grounding import Atom

ORIGINALS = {
    "Encoder.enc": Encoder.enc,
    "Encoder._compare": Encoder._compare,
    "Encoder.deontic": Encoder.deontic,
    "Encoder.quantify": Encoder.quantify,
    "Encoder.compliant": Encoder.compliant,
    "Structure.query_scope": Structure.query_scope,
    "Evaluator._fixed_ok": Evaluator._fixed_ok,
}


# ---- the plants ----


def implies_as_iff(mp: pytest.MonkeyPatch) -> None:
    original = Encoder.enc

    def enc(self, e, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(e, ir.BoolOp) and e.op == "implies":
            e = ir.BoolOp("iff", e.items, e.type, e.span)
        return original(self, e, *args, **kwargs)

    mp.setattr(Encoder, "enc", enc)


def le_as_lt(mp: pytest.MonkeyPatch) -> None:
    original = Encoder._compare

    def _compare(self, op, *args, **kwargs):  # type: ignore[no-untyped-def]
        return original(self, "<" if op == "<=" else op, *args, **kwargs)

    mp.setattr(Encoder, "_compare", _compare)


def obliged_without_existence(mp: pytest.MonkeyPatch) -> None:
    """`obliged(a, φ)` as "φ in every compliant alternative", forgetting "and one exists" in the
    queried scope: the existential that `Encoder.deontic` asks for `obliged` is replaced by true.
    (The other groups and the fixed norms are still checked, so only a dilemma inside the scope
    of the query shows the difference.)"""
    original_deontic, original_quantify = Encoder.deontic, Encoder.quantify
    asking: list[str] = []

    def deontic(self, kind, *args, **kwargs):  # type: ignore[no-untyped-def]
        asking.append(kind)
        try:
            return original_deontic(self, kind, *args, **kwargs)
        finally:
            asking.pop()

    def quantify(self, kind, *args, **kwargs):  # type: ignore[no-untyped-def]
        caller = sys._getframe(1).f_code.co_name
        if asking and asking[-1] == "obliged" and kind == "exists" and caller == "deontic":
            return True
        return original_quantify(self, kind, *args, **kwargs)

    mp.setattr(Encoder, "deontic", deontic)
    mp.setattr(Encoder, "quantify", quantify)


def compliant_counts_permissions(mp: pytest.MonkeyPatch) -> None:
    """`compliant(a)` also requiring the content of every active permission (a permission is
    never violated)."""

    def compliant(self, actor, world, order=None, day=None):  # type: ignore[no-untyped-def]
        parts = []
        for i in self.st.norm_instances_in(actor, order):
            content = self.as_bool(self.enc(i.norm.content, i.env, world))
            if i.norm.kind == "prohibition":
                content = z3.Not(content)
            parts.append(z3.Implies(self.active(i), content))
        return z3.And(parts) if parts else z3.BoolVal(True)

    mp.setattr(Encoder, "compliant", compliant)


def scope_not_closed(mp: pytest.MonkeyPatch) -> None:
    """The grouping shared by the encoder and the grouped evaluator: vary only the acts the queried
    formula reads, not the whole groups they belong to."""

    def query_scope(self, actor, body, env, order=None):  # type: ignore[no-untyped-def]
        body_acts: set[Atom] = {a for a in self.reads(body, env) if self.is_act_of(a, actor)}
        others = [g for g in self.act_groups(actor, order) if not g & body_acts]
        constraints = [c for c in self.constraints_of(actor, order) if self.constraint_acts(c, actor) & body_acts]
        return frozenset(body_acts), constraints, others

    mp.setattr(Structure, "query_scope", query_scope)


def grouped_evaluator_ignores_dilemmas(mp: pytest.MonkeyPatch) -> None:
    """Only the grouped evaluator: forget that an active, violated norm whose content no act of the
    actor can change leaves no compliant alternative."""
    original = Evaluator._fixed_ok

    def _fixed_ok(self, actor, view):  # type: ignore[no-untyped-def]
        return True if not self.brute_force else original(self, actor, view)

    mp.setattr(Evaluator, "_fixed_ok", _fixed_ok)


PLANTS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], int]] = {
    # name: (plant, examples allowed to find it)
    "implies_as_iff": (implies_as_iff, 300),
    "le_as_lt": (le_as_lt, 300),
    "obliged_without_existence": (obliged_without_existence, 300),
    "compliant_counts_permissions": (compliant_counts_permissions, 300),
    "scope_not_closed": (scope_not_closed, 300),
    "grouped_evaluator_ignores_dilemmas": (grouped_evaluator_ignores_dilemmas, 300),
}


def run_until_disagreement(max_examples: int) -> Disagreement | None:
    from treaty_strategies import specs

    passed: set[str] = set()
    drawn = [0]

    @planted(max_examples)
    @given(specs(max_atoms=MAX_ATOMS))
    def prop(text: str) -> None:
        drawn[0] += 1
        if text not in passed:
            if not compare(text, max_cost=MAX_COST):
                reject()
            passed.add(text)

    try:
        prop()
    except Disagreement as exc:
        print(f"\nplanted bug found after {drawn[0]} examples ({len(passed)} distinct specs passed before it)")
        return exc
    return None


@pytest.mark.parametrize("name", list(PLANTS))
def test_planted_bug_is_found(name: str) -> None:
    plant, budget = PLANTS[name]
    with pytest.MonkeyPatch.context() as mp:
        plant(mp)
        found = run_until_disagreement(budget)
    for key, original in ORIGINALS.items():
        cls, attr = key.split(".")
        assert getattr({"Encoder": Encoder, "Structure": Structure, "Evaluator": Evaluator}[cls], attr) is original, f"{key} not restored"
    assert found is not None, f"planted bug {name} went unnoticed in {budget} examples"
    # A plant that merely crashes (say, after a change of the encoder's internals) proves nothing.
    assert "raised" not in str(found).split("--- spec ---")[0], f"the plant crashed instead of miscomputing:\n{found}"
    if name == "grouped_evaluator_ignores_dilemmas":
        assert "grouped evaluator" in str(found)


def test_plants_are_undone() -> None:
    """After the planted-bug tests, a claim that depends on every planted operator checks correctly."""
    text = """
instrument T "A Treaty"
domain P = {a0}
input go by a0
input n: 0..2 by nature
obligation must cite T article 1 quote "w" bearer a0 to go
prohibition mustnt cite T article 2 quote "w" bearer a0 to go
permission may cite T article 3 quote "w" bearer a0 to not go
claim c0: (n <= 1 implies n < 2) and not obliged(a0, go) and compliant(a0) iff not violated(must) expect holds
"""
    compare(text)
