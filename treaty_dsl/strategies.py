"""Hypothesis strategies for property tests of your own specs, and the helpers they need.

    from hypothesis import given
    from treaty_dsl.loader import load_spec
    from treaty_dsl.strategies import holds, worlds

    SPEC = load_spec("specs/nato.treaty").spec

    @given(worlds(SPEC))
    def test_no_one_is_obliged_to_use_armed_force(world):
        assert holds(SPEC, world, "every p in Party, v in Party: not obliged(p, takes(p, armed_force, v))")

A *world* (`treaty_dsl.evaluator.World`) gives every ground input atom a value; the concrete
evaluator answers any formula in it, deontic queries included, without a solver. The strategies
build worlds from a few *changes* to a base world (by default the world in which every input is
false, zero or its domain's first value). A change sets one input for one combination of
arguments, or for every value of some arguments at once (`agrees_to_invoke(every Party, EE) =
true`), so that facts like "all allies agreed" come up as often as single events. A change that
would make an assumption of the spec false (that held before it) is skipped, so the worlds drawn
satisfy the assumptions whenever the base world does. Hypothesis shrinks a failing world towards
fewer changes, that is towards the base world.

See docs/testing.md. This module imports Hypothesis; the rest of `treaty_dsl` does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from treaty_dsl import ir
from treaty_dsl.deontic import Structure
from treaty_dsl.evaluator import Evaluator, World
from treaty_dsl.grounding import Atom, default_value, instances, values_of
from treaty_dsl.types import BoolT, EnumT, IntT

__all__ = ["Change", "claim", "formula", "ground_atoms", "holds", "scenarios_around", "world", "worlds"]

# An input, its arguments (None: every value of that parameter) and the value to set.
Change = tuple[str, tuple[ir.Value | None, ...], ir.Value]

DEFAULT_MAX_CHANGES = 8


# ---- formulas and worlds by hand ----


# Formulas already checked, kept alive with their spec: the same text gives the same object. A
# `Structure` caches what an expression reads by the expression's identity, so an expression must
# not be freed (and its id reused) while a structure shared between calls may still see it.
_FORMULAS: dict[tuple[int, str], tuple[ir.Spec, ir.Expr]] = {}


def formula(spec: ir.Spec, text: str) -> ir.Expr:
    """A formula in the spec's vocabulary, parsed and checked (raises `SpecError` with diagnostics).

    The result is cached: the same spec and text give the same expression.
    """
    from treaty_dsl.checker import check_formula
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.parser import parse_formula
    from treaty_dsl.span import SourceFile

    cached = _FORMULAS.get((id(spec), text))
    if cached is not None and cached[0] is spec:
        return cached[1]
    try:
        expr = check_formula(spec, parse_formula(text, "<formula>"))
    except SpecError as exc:
        exc.sources["<formula>"] = SourceFile("<formula>", text)
        raise
    _FORMULAS[(id(spec), text)] = (spec, expr)
    return expr


def claim(spec: ir.Spec, name: str) -> ir.Expr:
    """The formula of one of the spec's own claims (`NAME[i]` for a scenario's i-th expectation)."""
    for c in spec.claims:
        if c.name == name:
            return c.body
    raise KeyError(f"the spec has no claim `{name}`")


def holds(spec: ir.Spec, world: World, what: str | ir.Expr, structure: Structure | None = None) -> bool:
    """Whether a formula (text or checked) is true in `world`, by the concrete evaluator.

    Pass one `Structure(spec)` to many calls to share its per-spec caches (faster on large specs);
    then pass formulas as text, or expressions you keep (see `formula`), not ones built per call.
    """
    expr = formula(spec, what) if isinstance(what, str) else what
    return Evaluator(spec, world, structure).holds(expr)


def ground_atoms(spec: ir.Spec, inputs: Iterable[str] | None = None) -> list[Atom]:
    """Every ground atom of the spec's inputs (or of the named ones), in declaration order."""
    names = _input_names(spec, inputs)
    return [(name, args) for name in names for args in instances(spec, spec.inputs[name])]


def world(spec: ir.Spec, facts: Mapping[str, object] | Iterable[str] = ()) -> World:
    """A world from facts written as a counterexample shows them; everything else is false (or zero).

    `facts` is a mapping from atoms to values, `{"armed_attack(EE, territory, europe)": True}`, or
    strings `"ATOM = VALUE"` (`"= true"` may be left out). An argument may be a value, `every DOMAIN`
    or `*` (every value), or `{A, B}` (several values): `"agrees_to_invoke(every Party, EE)"`.
    Later facts override earlier ones. Raises ValueError for an unknown input or a wrong value.
    """
    items: list[tuple[str, object]]
    if isinstance(facts, Mapping):
        items = [(str(k), v) for k, v in facts.items()]
    else:
        items = []
        for fact in facts:
            label, eq, text = fact.partition("=")
            items.append((label, text.strip() if eq else True))
    values: dict[Atom, ir.Value] = {}
    for label, raw in items:
        name, choices = _parse_label(spec, label)
        inp = spec.inputs[name]
        value = _coerce(spec, inp.type, raw, label)
        for args in _expand(choices):
            values[(name, args)] = value
    return World(spec, values)


# ---- strategies ----


def worlds(
    spec: ir.Spec,
    *,
    max_changes: int = DEFAULT_MAX_CHANGES,
    base: World | None = None,
    inputs: Iterable[str] | None = None,
) -> st.SearchStrategy[World]:
    """Complete worlds of `spec` that satisfy its assumptions: `base` (default: every input false or
    zero) changed in at most `max_changes` places, each change an input set for one combination of
    arguments or for every value of some of them. Only the inputs named in `inputs` change (default:
    all). If the assumptions are false in `base` and the changes drawn cannot make them true, the
    example is rejected (pass a `base` that satisfies them to avoid that).
    """
    if max_changes < 0:
        raise InvalidArgument(f"max_changes must be at least 0, not {max_changes}")
    names = _input_names(spec, inputs)
    start = base if base is not None else World(spec, {})
    return _changed(spec, start, names, 0, max_changes)


def scenarios_around(
    spec: ir.Spec,
    scenario: World,
    *,
    max_changes: int = 3,
    inputs: Iterable[str] | None = None,
) -> st.SearchStrategy[World]:
    """Variations of a scenario: `scenario` (a world that satisfies the assumptions) with at most
    `max_changes` changes to the named `inputs` (default: all). The scenario itself is among them,
    and the one Hypothesis shrinks towards. Use it to test that a conclusion is robust to facts the
    scenario does not mention, or to find the fact that breaks it.
    """
    if max_changes < 0:
        raise InvalidArgument(f"max_changes must be at least 0, not {max_changes}")
    failing = Evaluator(spec, scenario).failing_assumptions()
    if failing:
        raise InvalidArgument(f"the scenario does not satisfy the spec's assumption {failing[0].name}")
    return _changed(spec, scenario, _input_names(spec, inputs), 0, max_changes)


def _changed(spec: ir.Spec, base: World, names: list[str], min_changes: int, max_changes: int) -> st.SearchStrategy[World]:
    if not names or max_changes == 0:
        return st.just(base)
    changes = st.lists(_change(spec, names), min_size=min_changes, max_size=max_changes)
    return changes.map(lambda cs: _apply(spec, base, cs))


@st.composite
def _change_of(draw: st.DrawFn, spec: ir.Spec, name: str) -> Change:
    inp = spec.inputs[name]
    args: list[ir.Value | None] = []
    for param in inp.params:
        options = values_of(spec, param.type)
        every = len(options) > 1 and draw(st.integers(0, 3)) == 3  # about one argument in four
        args.append(None if every else draw(st.sampled_from(options)))
    default = default_value(spec, inp.type)
    others = [v for v in values_of(spec, inp.type) if v != default]
    # Mostly a value other than the default (a change that matters), which is also what examples
    # shrink to; the default now and then, to carve exceptions out of an earlier `every` change.
    if not others or draw(st.integers(0, 3)) == 3:
        return (name, tuple(args), default)
    return (name, tuple(args), draw(st.sampled_from(others)))


def _change(spec: ir.Spec, names: list[str]) -> st.SearchStrategy[Change]:
    return st.sampled_from(names).flatmap(lambda name: _change_of(spec, name))


def _apply(spec: ir.Spec, base: World, changes: list[Change]) -> World:
    """Applies the changes in order, skipping one that makes an assumption false that was true before it."""
    current = base
    failing = {a.name for a in Evaluator(spec, current).failing_assumptions()}
    for name, args, value in changes:
        choices = [values_of(spec, p.type) if a is None else (a,) for p, a in zip(spec.inputs[name].params, args, strict=True)]
        candidate = current.with_values({(name, combo): value for combo in _expand(choices)})
        now = {a.name for a in Evaluator(spec, candidate).failing_assumptions()} if spec.assumptions else set()
        if now <= failing:
            current, failing = candidate, now
    assume(not failing)
    return current


# ---- helpers ----


def _input_names(spec: ir.Spec, inputs: Iterable[str] | None) -> list[str]:
    if inputs is None:
        return list(spec.inputs)
    names = list(inputs)
    unknown = [n for n in names if n not in spec.inputs]
    if unknown:
        raise InvalidArgument(f"the spec has no input `{unknown[0]}`")
    return names


def _expand(choices: Sequence[Sequence[ir.Value]]) -> list[tuple[ir.Value, ...]]:
    out: list[tuple[ir.Value, ...]] = [()]
    for options in choices:
        out = [prefix + (v,) for prefix in out for v in options]
    return out


_LABEL = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$", re.DOTALL)


def _split_args(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


def _parse_label(spec: ir.Spec, label: str) -> tuple[str, list[Sequence[ir.Value]]]:
    m = _LABEL.match(label)
    if m is None:
        raise ValueError(f"not an atom: {label!r}")
    name, arg_text = m.group(1), m.group(2)
    if name not in spec.inputs:
        raise ValueError(f"the spec has no input `{name}` (in {label.strip()!r})")
    params = spec.inputs[name].params
    args = _split_args(arg_text) if arg_text is not None and arg_text.strip() else []
    if len(args) != len(params):
        raise ValueError(f"`{name}` takes {len(params)} arguments, not {len(args)} (in {label.strip()!r})")
    choices: list[Sequence[ir.Value]] = []
    for param, arg in zip(params, args, strict=True):
        options = values_of(spec, param.type)
        if arg == "*" or arg.startswith("every "):
            choices.append(options)
        elif arg.startswith("{") and arg.endswith("}"):
            choices.append(tuple(_coerce(spec, param.type, a.strip(), label) for a in arg[1:-1].split(",") if a.strip()))
        else:
            choices.append((_coerce(spec, param.type, arg, label),))
    return name, choices


def _coerce(spec: ir.Spec, t: object, raw: object, label: str) -> ir.Value:
    """`raw` (a Python value or its text) as a value of type `t`."""
    match t:
        case BoolT():
            if isinstance(raw, bool):
                return raw
            if str(raw).strip() in ("true", "false"):
                return str(raw).strip() == "true"
        case IntT(low, high):
            try:
                n = raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw).strip())
            except ValueError:
                n = None
            if n is not None and (low is None or n >= low) and (high is None or n <= high):
                return n
        case EnumT(domain):
            if str(raw).strip() in spec.domains[domain].values:
                return str(raw).strip()
        case _:
            if isinstance(raw, int | Fraction) and not isinstance(raw, bool):
                return raw
    raise ValueError(f"{raw!r} is not a value of type {t} (in {label.strip()!r})")
