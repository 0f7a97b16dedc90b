"""A verdict's query as an SMT-LIB 2 script, for a second solver (`treaty check --certify`).

The query is the one Z3 answered: the spec's encoding (the ranges of the inputs, every tracked
declaration with its tracking literal assumed) and the negated claim. What is exported is its
*slice*: the negated claim, every constraint (assumptions), and the defining equations of the
constants they reach, transitively, with the ranges of the inputs reached. Every other assertion
of the encoder is the defining equation `c = t` of a constant `c` that nothing kept mentions (a
definition, a norm's condition or a power's effectiveness: each defined once, never recursively)
or the range of an input nothing kept reads: whatever values the kept constants take, those can
be satisfied too, so the slice is satisfiable exactly when the whole query is. Whatever the
encoding, the slice is part of the query: cvc5's `unsat` on it proves the whole query unsat, so an
agreement on a claim that holds never rests on what was left out. The slice keeps a 3 MB encoding
of a spec with 32 parties to what the claim reads.

Terms are walked through Z3's C API: z3py's accessors check and wrap every node, which made the
walk cost more than the second solver's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import z3

from solver.encode import Encoder

# Constants the encoder defines by one tracked equation each (see `solver.encode`).
DEFINED_PREFIXES = ("def!", "applies!", "active!", "effective!")

# What a term uses, for its logic.
QUANTIFIERS, FUNCTIONS, DATATYPES, INTS, REALS = 1, 2, 4, 8, 16


@dataclass
class Scan:
    """The uninterpreted constants a term mentions (by name) and the features it uses."""

    constants: set[str] = field(default_factory=set)
    features: int = 0


def scan(ctx: z3.Context, roots: list[z3.ExprRef]) -> Scan:
    c = ctx.ref()
    out = Scan()
    seen: set[int] = set()
    stack = [r.as_ast() for r in roots]
    while stack:
        a = stack.pop()
        ident = z3.Z3_get_ast_id(c, a)
        if ident in seen:
            continue
        seen.add(ident)
        kind = z3.Z3_get_ast_kind(c, a)
        if kind == z3.Z3_QUANTIFIER_AST:
            out.features |= QUANTIFIERS
            stack.append(z3.Z3_get_quantifier_body(c, a))
            continue
        if kind not in (z3.Z3_APP_AST, z3.Z3_NUMERAL_AST, z3.Z3_VAR_AST):
            continue
        sort_kind = z3.Z3_get_sort_kind(c, z3.Z3_get_sort(c, a))
        if sort_kind == z3.Z3_DATATYPE_SORT:
            out.features |= DATATYPES
        elif sort_kind == z3.Z3_INT_SORT:
            out.features |= INTS
        elif sort_kind == z3.Z3_REAL_SORT:
            out.features |= REALS
        if kind != z3.Z3_APP_AST:
            continue
        decl = z3.Z3_get_app_decl(c, a)
        n = z3.Z3_get_app_num_args(c, a)
        if z3.Z3_get_decl_kind(c, decl) == z3.Z3_OP_UNINTERPRETED:
            if n == 0:
                out.constants.add(z3.Z3_get_symbol_string(c, z3.Z3_get_decl_name(c, decl)))
            else:
                out.features |= FUNCTIONS
        stack.extend(z3.Z3_get_app_arg(c, a, i) for i in range(n))
    return out


def _defined(formula: z3.BoolRef) -> str | None:
    """The name of the constant an equation `c = t` defines, for the encoder's defined constants."""
    if not z3.is_eq(formula):
        return None
    lhs = formula.arg(0)
    if not (z3.is_const(lhs) and lhs.decl().kind() == z3.Z3_OP_UNINTERPRETED):
        return None
    name = lhs.decl().name()
    return name if name.startswith(DEFINED_PREFIXES) else None


def logic_name(features: int) -> str:
    """The SMT-LIB logic: quantifiers, uninterpreted functions, datatypes (the domains are
    enumeration sorts), linear integer and real arithmetic (the encoding multiplies by constants
    only)."""
    ints, reals = bool(features & INTS), bool(features & REALS)
    arith = "LIRA" if ints and reals else "LRA" if reals else "LIA"
    return (
        ("" if features & QUANTIFIERS else "QF_") + ("UF" if features & FUNCTIONS else "") + ("DT" if features & DATATYPES else "") + arith
    )


class Slicer:
    """Slices the queries of one encoder; what it learns of the encoder's assertions is kept
    (they only grow: the encoder adds, never changes, an assertion)."""

    def __init__(self, enc: Encoder) -> None:
        self.enc = enc
        self._definitions: dict[str, list[tuple[z3.BoolRef, Scan]]] = {}  # (a constant could have several)
        self._constraints: list[tuple[z3.BoolRef, Scan]] = []
        self._ranges: dict[str, list[z3.BoolRef]] = {}
        self._tracked_seen: dict[str, int] = {}
        self._structural_seen = 0

    def _learn(self) -> None:
        for key, formulas in self.enc.tracked.items():
            start = self._tracked_seen.get(key, 0)
            for f in formulas[start:]:
                name = _defined(f)
                if name is None:
                    self._constraints.append((f, scan(self.enc.ctx, [f])))
                else:
                    self._definitions.setdefault(name, []).append((f, scan(self.enc.ctx, [f.arg(1)])))
            self._tracked_seen[key] = len(formulas)
        for rng in self.enc.structural[self._structural_seen :]:
            for name in scan(self.enc.ctx, [rng]).constants:
                self._ranges.setdefault(name, []).append(rng)
        self._structural_seen = len(self.enc.structural)

    def slice(self, goal: list[z3.BoolRef]) -> tuple[list[z3.BoolRef], int]:
        """The assertions that decide the query `goal` (with the spec's encoding), and their features."""
        self._learn()
        first = scan(self.enc.ctx, list(goal))
        kept: list[z3.BoolRef] = list(goal) + [f for f, _ in self._constraints]
        features = first.features
        pending = set(first.constants)
        for _, s in self._constraints:
            pending |= s.constants
            features |= s.features
        reached: set[str] = set()
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            reached.add(name)
            for formula, found in self._definitions.get(name, []):
                kept.append(formula)
                pending |= found.constants - reached
                features |= found.features
        # Tracking literals the encoding mentions inline (a definition written out in place) are
        # assumed, as Z3 assumed every tracker.
        trackers = {str(t) for t in self.enc.trackers.values()}
        kept += [z3.Bool(name, self.enc.ctx) for name in sorted(reached & trackers)]
        added: set[int] = set()
        for name in sorted(reached):
            for rng in self._ranges.get(name, []):
                if rng.get_id() not in added:
                    added.add(rng.get_id())
                    kept.append(rng)
        return kept, features

    def export(self, goal: list[z3.BoolRef]) -> tuple[str, str]:
        """The query as an SMT-LIB 2 script (logic, declarations, assertions, `check-sat`), and its logic."""
        formulas, features = self.slice(goal)
        solver = z3.SimpleSolver(ctx=self.enc.ctx)
        solver.add(formulas)
        logic = logic_name(features)
        return f"(set-logic {logic})\n" + solver.to_smt2(), logic
