"""Regression: `Structure` caches what an expression reads; formulas built and dropped one after the
other must never be answered from another formula's entry (CPython reuses the ids of freed objects)."""

from __future__ import annotations

import gc
from pathlib import Path

from treaty_dsl.checker import check_formula
from treaty_dsl.deontic import Structure
from treaty_dsl.evaluator import Evaluator, World
from treaty_dsl.loader import load_spec
from treaty_dsl.parser import parse_formula

SPEC = Path(__file__).resolve().parents[2] / "specs" / "nato.treaty"

QUERIES = [
    ("permitted(FR, takes(FR, armed_force, EE))", True),
    ("obliged(FR, takes(FR, armed_force, EE))", False),
    ("permitted(FR, consults(FR, EE))", True),
    ("forbidden(FR, takes(FR, economic_aid, EE))", False),
]


def test_fresh_formulas_get_their_own_read_sets() -> None:
    spec = load_spec(SPEC).spec
    structure = Structure(spec)
    world = World(spec, {})
    for round_ in range(40):
        for text, expected in QUERIES:
            formula = check_formula(spec, parse_formula(text))
            ev = Evaluator(spec, world, structure)
            assert ev.holds(formula) is expected, (round_, text)
            del formula, ev
            gc.collect()
