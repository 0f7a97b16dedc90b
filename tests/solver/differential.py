"""The brute-force oracle and the comparison against the Z3 verifier and the grouped evaluator.

The oracle is the reference semantics taken literally: every world (every assignment of every
ground input atom), kept when every assumption holds, the claim evaluated in each by the concrete
evaluator with `brute_force=True` (a deontic query enumerates *all* the actor's acts, checks every
assumption and every norm instance of the actor in each alternative; no grouping, no shortcuts).
A claim holds iff it is true in every kept world.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, settings

from solver.verify import Verifier
from treaty_dsl import ir
from treaty_dsl.checker import check
from treaty_dsl.deontic import Structure
from treaty_dsl.evaluator import Evaluator, World
from treaty_dsl.grounding import Atom, instances, values_of
from treaty_dsl.parser import parse_module
from treaty_dsl.types import BOOL, BoolT, IntT

SOLVER_TIMEOUT_S = 20.0

# ---- Hypothesis profiles ----
# "ci": deterministic, a few hundred examples over the whole file, well under a minute.
# "thorough": thousands, random (set TREATY_HYPOTHESIS_PROFILE=thorough).
_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile("treaty-ci", max_examples=100, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("treaty-thorough", max_examples=2000, derandomize=False, print_blob=True, **_COMMON)

PROFILE = os.environ.get("TREATY_HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "thorough"):
    raise RuntimeError(f"TREATY_HYPOTHESIS_PROFILE must be ci or thorough, not {PROFILE!r}")
THOROUGH = PROFILE == "thorough"
ACTIVE = settings.get_profile(f"treaty-{PROFILE}")
CI = settings.get_profile("treaty-ci")
# Bounds of the generated specs: complete worlds enumerated by the oracle.
MAX_WORLDS = 1024 if THOROUGH else 256
MAX_ATOMS = 12
# Specs whose `oracle_cost` is above this are skipped (rare; about 10 microseconds per unit).
MAX_COST = 1 << (22 if THOROUGH else 19)


def scaled(n_ci: int) -> settings:
    """The active profile, with `n_ci` examples in ci and 20x as many when thorough."""
    return settings(ACTIVE, max_examples=n_ci * 20 if THOROUGH else n_ci)


def planted(n: int) -> settings:
    """For planted-bug tests: the ci settings, no shrinking (only *that* a disagreement is found matters)."""
    return settings(CI, max_examples=n, phases=[Phase.explicit, Phase.generate])


# ---- loading ----


def load(text: str, reading: str | None = None) -> ir.Spec:
    """The spec as written, or as read under the named interpretation (every claim kept)."""
    return check([parse_module(text, "random.treaty")], title="random", reading=reading)


# ---- the oracle ----


def ground_atoms(spec: ir.Spec) -> list[Atom]:
    return [(inp.name, args) for inp in spec.inputs.values() for args in instances(spec, inp)]


def worlds(spec: ir.Spec) -> Iterator[World]:
    atoms = ground_atoms(spec)
    domains = [values_of(spec, spec.inputs[name].type) for name, _ in atoms]
    for values in itertools.product(*domains):
        yield World(spec, dict(zip(atoms, values, strict=True)))


@dataclass
class Oracle:
    """Per claim: whether it holds in every world, a world where it does not, its truth table."""

    holds: dict[str, bool]
    counterexample: dict[str, World | None]
    worlds: int  # worlds where the assumptions hold
    grouped_mismatch: list[tuple[str, World, bool, bool]]  # claim, world, brute force, grouped
    table: dict[str, list[tuple[World, bool]]] = field(default_factory=dict)  # kept worlds only
    reference_mismatch: list[tuple[str, World, bool, object]] = field(default_factory=list)  # claim, world, brute force, reference


LAWS = "laws"  # claims named so state laws of the semantics: they hold in every world by theorem
LAW_SAMPLES = 12  # worlds where the evaluators check a law claim (it is expensive: many queries)


def brute_force(spec: ir.Spec, compare_grouped: bool = True, reference: type[Evaluator] | None = None) -> Oracle:
    """Every claim in every world where the assumptions hold; a law claim only in a sample of them
    (its verdict is known: it holds), which still checks both evaluators against the law.

    With `reference` (an `Evaluator` subclass, see reference.py), that evaluator in brute-force mode
    is also asked every claim in every kept world; where it differs (or raises), it is recorded."""
    total = 1
    for name, _ in ground_atoms(spec):
        total *= len(values_of(spec, spec.inputs[name].type))
    stride = max(1, total // LAW_SAMPLES)
    structure = Structure(spec)
    grouped_structure = Structure(spec)
    holds = {c.name: True for c in spec.claims}
    cex: dict[str, World | None] = {c.name: None for c in spec.claims}
    mismatches: list[tuple[str, World, bool, bool]] = []
    ref_mismatches: list[tuple[str, World, bool, object]] = []
    ref_structure = Structure(spec) if reference is not None else None
    table: dict[str, list[tuple[World, bool]]] = {c.name: [] for c in spec.claims}
    kept = 0
    for index, world in enumerate(worlds(spec)):
        ev = Evaluator(spec, world, structure, brute_force=True)
        if not ev.assumptions_hold():
            continue
        kept += 1
        grouped = Evaluator(spec, world, grouped_structure) if compare_grouped else None
        ref = reference(spec, world, ref_structure, brute_force=True) if reference is not None else None
        for c in spec.claims:
            if c.name.startswith(LAWS) and index % stride:
                continue
            value = ev.holds(c.body)
            table[c.name].append((world, value))
            if not value and holds[c.name]:
                holds[c.name] = False
                cex[c.name] = world
            if grouped is not None:
                g = grouped.holds(c.body)
                if g != value:
                    mismatches.append((c.name, world, value, g))
            if ref is not None and len(ref_mismatches) < 3:
                try:
                    r: object = ref.holds(c.body)
                except Exception as exc:  # noqa: BLE001 - a crash of the reference is reported as such
                    r = f"{type(exc).__name__}: {exc}"
                if r != value:
                    ref_mismatches.append((c.name, world, value, r))
    return Oracle(holds, cex, kept, mismatches, table, ref_mismatches)


# ---- claims about one world ----


def world_formula(spec: ir.Spec, world: World) -> ir.Expr:
    """The conjunction that pins every ground input atom to its value in `world`."""
    parts: list[ir.Expr] = []
    for name, args in ground_atoms(spec):
        inp = spec.inputs[name]
        ref = ir.InputRef(inp, tuple(ir.Const(a, p.type) for a, p in zip(args, inp.params, strict=True)), inp.type)
        value = world.get((name, args))
        if isinstance(inp.type, BoolT):
            parts.append(ref if value else ir.Not(ref, BOOL))
        else:
            const_type = IntT(value, value) if isinstance(inp.type, IntT) else inp.type  # type: ignore[arg-type]
            parts.append(ir.Cmp("=", ref, ir.Const(value, const_type), BOOL))
    if not parts:
        return ir.Const(True, BOOL)
    return parts[0] if len(parts) == 1 else ir.BoolOp("and", tuple(parts), BOOL)


def pointwise_claims(spec: ir.Spec, oracle: Oracle, per_claim: int) -> list[tuple[ir.Claim, World, bool]]:
    """For each claim C and a few worlds w (both where C is true and where it is false, spread over
    the enumeration), the claim `w implies C`: it holds iff C is true in w. This compares the
    encoding with the oracle world by world, not only through one verdict per claim."""
    out: list[tuple[ir.Claim, World, bool]] = []
    for claim in spec.claims:
        rows = oracle.table[claim.name]
        for want in (False, True):
            matching = [w for w, v in rows if v is want]
            if not matching:
                continue
            k = min(per_claim, len(matching))
            picks = [matching[(i * len(matching)) // k] for i in range(k)]
            for j, w in enumerate(picks):
                body = ir.BoolOp("implies", (world_formula(spec, w), claim.body), BOOL)
                out.append((ir.Claim(f"{claim.name}@{'t' if want else 'f'}{j}", None, body, "holds"), w, want))
    return out


# ---- the comparison ----


@dataclass
class Stats:
    examples: int = 0  # drawn by Hypothesis (some specs twice)
    specs: int = 0
    claims: int = 0
    points: int = 0  # claims about one world
    worlds: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def allowed_unknown(self) -> int:
        return max(2, (self.claims + self.points) // 50)


class Disagreement(AssertionError):
    pass


def describe_world(spec: ir.Spec, world: World) -> str:
    from treaty_dsl.calendar import format_day
    from treaty_dsl.grounding import atom_label, format_value
    from treaty_dsl.types import DayT

    def show(a: Atom) -> str:
        value = world.get(a)
        return format_day(value) if isinstance(spec.inputs[a[0]].type, DayT) else format_value(value)  # type: ignore[arg-type]

    return ", ".join(f"{atom_label(a)}={show(a)}" for a in ground_atoms(spec))


def compare(
    text: str,
    stats: Stats | None = None,
    timeout_s: float = SOLVER_TIMEOUT_S,
    compare_grouped: bool = True,
    points: int = 2,
    max_cost: int | None = None,
    reading: str | None = None,
    reference: type[Evaluator] | None = None,
) -> bool:
    """Raise `Disagreement` when the verifier or the grouped evaluator disagrees with the oracle.

    `reading`: check the spec under that interpretation. `reference`: an independent evaluator
    that must agree with the brute-force one world by world (see reference.py).
    False (and nothing checked) when the spec's `oracle_cost` is above `max_cost`."""
    spec = load(text, reading)
    if max_cost is not None and oracle_cost(spec) > max_cost:
        return False
    oracle = brute_force(spec, compare_grouped, reference)
    problems: list[str] = []
    for name, world, bf, g in oracle.grouped_mismatch[:3]:
        problems.append(f"claim {name}: grouped evaluator says {g}, brute force says {bf} in world {{{describe_world(spec, world)}}}")
    for name, world, bf, r in oracle.reference_mismatch[:3]:
        problems.append(f"claim {name}: the reference evaluator says {r}, brute force says {bf} in world {{{describe_world(spec, world)}}}")
    verifier = Verifier(spec, timeout_s=timeout_s)
    for claim in spec.claims:
        try:
            result = verifier.check_claim(claim)
        except Exception as exc:  # a crash is a disagreement too
            problems.append(f"claim {claim.name}: verifier raised {type(exc).__name__}: {exc}")
            continue
        verdict = result.verdict
        if stats is not None:
            stats.claims += 1
            stats.verdicts[verdict] = stats.verdicts.get(verdict, 0) + 1
        expected = "holds" if oracle.holds[claim.name] else "fails"
        if claim.name.startswith(LAWS) and not oracle.holds[claim.name]:
            problems.append(f"claim {claim.name} states laws of the semantics, but the brute-force evaluator finds it false")
        if verdict == "unknown":
            if stats is not None:
                stats.unknown.append(f"{claim.name}: {getattr(result, 'reason', '')}\n{text}")
            continue
        if verdict != expected:
            detail = getattr(result, "reason", None) or getattr(result, "message", None) or ""
            where = ""
            if oracle.counterexample[claim.name] is not None:
                where = f"; brute-force counterexample {{{describe_world(spec, oracle.counterexample[claim.name])}}}"  # type: ignore[arg-type]
            problems.append(f"claim {claim.name}: verifier says {verdict} {detail}, brute force says {expected}{where}")
    for claim, world, want in pointwise_claims(spec, oracle, points):
        try:
            result = verifier.check_claim(claim)
        except Exception as exc:
            problems.append(f"claim {claim.name}: verifier raised {type(exc).__name__}: {exc}")
            continue
        if stats is not None:
            stats.points += 1
        if result.verdict == "unknown":
            if stats is not None:
                stats.unknown.append(f"{claim.name}: {getattr(result, 'reason', '')}\n{text}")
            continue
        expected = "holds" if want else "fails"
        if result.verdict != expected:
            detail = getattr(result, "reason", None) or ""
            problems.append(
                f"claim {claim.name.split('@')[0]} in world {{{describe_world(spec, world)}}}: brute force says {want}, "
                f"the verifier says the claim `world implies claim` {result.verdict} {detail}"
            )
    if stats is not None:
        stats.specs += 1
        stats.worlds += oracle.worlds
    if problems:
        under = f"under the interpretation {reading}:\n" if reading is not None else ""
        raise Disagreement(under + "\n".join(problems) + "\n--- spec ---\n" + text)
    return True


def oracle_cost(spec: ir.Spec) -> int:
    """A rough count of the brute-force oracle's work: worlds, times the alternatives of the actor
    with most acts, times the deontic queries in the claims (each counted once per instance of the
    quantifiers and counts around it). Properties skip specs above a limit (see `MAX_COST`)."""
    from treaty_dsl.walk import children

    structure = Structure(spec)
    total = 1
    for name, _ in ground_atoms(spec):
        total *= len(values_of(spec, spec.inputs[name].type))
    widest = 1
    for dom in spec.domains.values():
        for actor in dom.values:
            alternatives = 1
            for name, _ in structure.acts_of(actor):
                alternatives *= len(values_of(spec, spec.inputs[name].type))
            widest = max(widest, alternatives)

    def queries(e: ir.Expr) -> int:
        match e:
            case ir.Deontic():
                return 1
            case ir.Quant(_, vars_, body) | ir.Count(vars_, body):
                size = 1
                for v in vars_:
                    size *= len(values_of(spec, v.type))
                return size * queries(body)
            case ir.DefRef(defn, args) if defn.deontic:
                return queries(defn.body) + sum(queries(a) for a in args)
        return sum(queries(c) for c in children(e))

    n = sum(queries(c.body) for c in spec.claims if not c.name.startswith(LAWS))
    n += sum(queries(c.body) for c in spec.claims if c.name.startswith(LAWS)) * min(total, LAW_SAMPLES) // max(total, 1)
    return total * widest * max(n, 1)
