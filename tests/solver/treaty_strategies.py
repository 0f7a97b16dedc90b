"""Hypothesis strategies: small, well-typed random treaty specs, as DSL source text.

The specs are produced as text so that the parser and the checker are exercised by every example,
not only the evaluator and the solver. They are well-typed by construction: the generator keeps a
typed vocabulary (domains, inputs, definitions, norms) and an environment of bound variables, and
only builds expressions of the type each position wants.

Size is bounded by the number of *worlds* (every assignment of every ground input atom), so that a
brute-force oracle can enumerate them all: `max_worlds` and `max_atoms` (ground input atoms).

The distribution is tuned so that what the deontic semantics depends on actually occurs: actors
with several acts (`takes(p: P, m: M) by p`), norm contents that combine acts of their bearer (so
acts fall into groups), conflicting norms (dilemmas), queries about part of a group, numbers that
depend on the world. Besides random claims, a spec often gets a claim named `laws`: instances of
laws of the semantics (`obliged(a, φ) implies permitted(a, φ)`, `compliant(a)` iff none of its
norms is violated, `x <= y iff x < y or x = y`, ...) over its own vocabulary. Those hold by
theorem, so the solver must prove them: that is where a wrong encoding shows most.

Leaves come first in most choice lists, so Hypothesis shrinks towards small, shallow specs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from hypothesis import strategies as st

ACTOR_DOMAIN = "P"
ACTORS = ("a0", "a1", "a2")
OTHER_DOMAIN = "M"
OTHERS = ("m0", "m1", "m2")

# rational factors written in the DSL as `2/3 * x`; all exact
FACTORS = ("2", "1/2", "2/3", "3/2", "1/3")
CMP_OPS = ("=", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class InputSig:
    name: str
    params: tuple[str, ...]  # domain names
    kind: str  # "bool" | "int" | "enum"
    controller: str  # "nature", a parameter name, or an actor constant
    lo: int = 0
    hi: int = 1
    enum: str | None = None  # the domain of an enum-valued input

    def values(self, doms: dict[str, tuple[str, ...]]) -> int:
        if self.kind == "bool":
            return 2
        if self.kind == "int":
            return self.hi - self.lo + 1
        assert self.enum is not None
        return len(doms[self.enum])

    def instances(self, doms: dict[str, tuple[str, ...]]) -> int:
        return math.prod(len(doms[d]) for d in self.params)

    @property
    def is_choice(self) -> bool:
        return self.controller != "nature"

    def render(self) -> str:
        params = f"({', '.join(f'p{i}: {d}' for i, d in enumerate(self.params))})" if self.params else ""
        if self.kind == "bool":
            typ = ""
        elif self.kind == "int":
            typ = f": {self.lo}..{self.hi}" if self.lo >= 0 else f": -{-self.lo}..{self.hi}"
        else:
            typ = f": {self.enum}"
        return f"input {self.name}{params}{typ} by {self.controller}"


@dataclass(frozen=True)
class DefSig:
    name: str
    params: tuple[str, ...]
    kind: str  # "bool" | "num"
    deontic: bool = False


@dataclass(frozen=True)
class NormSig:
    name: str
    params: tuple[str, ...]
    bearer: str  # the bearer as written, over the parameters p0, p1, ...

    def bearer_for(self, args: list[str]) -> str:
        """The bearer with the parameters replaced by `args` (variable names or constants)."""
        out = self.bearer
        for j in range(len(args)):
            out = out.replace(f"p{j}", f"\0{j}")
        for j, a in enumerate(args):
            out = out.replace(f"\0{j}", a)
        return out


@dataclass
class Vocab:
    doms: dict[str, tuple[str, ...]]
    inputs: list[InputSig] = field(default_factory=list)
    defs: list[DefSig] = field(default_factory=list)
    norms: list[NormSig] = field(default_factory=list)


def pick(draw, options):  # type: ignore[no-untyped-def]
    """One of `options` (a list with repeats for weight); shrinks towards the first."""
    return draw(st.sampled_from(options))


class Gen:
    """Typed expression generation over a vocabulary, as parenthesized DSL text."""

    def __init__(self, draw, vocab: Vocab, nonlinear: bool = True) -> None:  # type: ignore[no-untyped-def]
        self.draw = draw
        self.v = vocab
        self.nonlinear = nonlinear
        self._fresh = 0

    def fresh(self) -> str:
        self._fresh += 1
        return f"x{self._fresh}"

    # ---- enum terms ----
    def enum_term(self, dom: str, env: dict[str, str], depth: int, simple: bool = False) -> str:
        options: list[str] = ["const"] * 3
        vars_ = [n for n, d in env.items() if d == dom]
        if vars_:
            options += ["var"] * 5
        enum_inputs = [i for i in self.v.inputs if i.kind == "enum" and i.enum == dom]
        if enum_inputs and not simple:
            options += ["input"] * 2
        if depth > 0 and not simple:
            options += ["ite"]
        match pick(self.draw, options):
            case "const":
                return pick(self.draw, list(self.v.doms[dom]))
            case "var":
                return pick(self.draw, vars_)
            case "input":
                inp = pick(self.draw, enum_inputs)
                return self.apply(inp.name, inp.params, env, 0, simple=True)
            case _:
                c = self.boolean(env, depth - 1)
                return f"(if {c} then {self.enum_term(dom, env, depth - 1)} else {self.enum_term(dom, env, depth - 1)})"

    def apply(self, name: str, params: tuple[str, ...], env: dict[str, str], depth: int, simple: bool = False) -> str:
        if not params:
            return name
        return f"{name}({', '.join(self.enum_term(d, env, depth, simple) for d in params)})"

    # ---- numbers ----
    def number(self, env: dict[str, str], depth: int, deontic: bool = False, symbolic: bool = False) -> str:
        """A number; with `symbolic`, one that depends on the world (not constant-folded away)."""
        options: list[str] = ["lit"]
        int_inputs = [i for i in self.v.inputs if i.kind == "int"]
        num_defs = [d for d in self.v.defs if d.kind == "num" and (deontic or not d.deontic)]
        if int_inputs:
            options += ["input", "input", "input"]
        if num_defs:
            options += ["def"]
        if depth >= 0:
            options += ["count"]  # at depth 0, over a leaf condition
        if depth > 0:
            options += ["count", "add", "sub", "scale", "div", "neg", "ite"]
            if self.nonlinear:
                options += ["mul"]
        if symbolic and len(options) > 1:
            options = options[1:]
        sub = depth - 1
        match pick(self.draw, options):
            case "lit":
                return str(self.draw(st.integers(0, 3)))
            case "input":
                inp = pick(self.draw, int_inputs)
                return self.apply(inp.name, inp.params, env, 0)
            case "def":
                d = pick(self.draw, num_defs)
                return self.apply(d.name, d.params, env, 0)
            case "count":
                # deontic queries under a count multiply the oracle's work by the domain: rarely
                deontic = deontic and self.draw(st.integers(0, 3)) == 0
                binders, inner = self.binders(env)
                where = self._where(inner, sub, deontic)
                body = self.boolean(inner, sub, deontic)
                return f"count({binders}{where}: {body})"
            case "add" | "sub" | "mul" as op:
                sym = {"add": "+", "sub": "-", "mul": "*"}[op]
                return f"({self.number(env, sub, deontic, symbolic)} {sym} {self.number(env, sub, deontic)})"
            case "scale":
                return f"({pick(self.draw, list(FACTORS))} * {self.number(env, sub, deontic, symbolic)})"
            case "div":
                return f"({self.number(env, sub, deontic, symbolic)} / {self.draw(st.integers(1, 3))})"
            case "neg":
                return f"(- {self.number(env, sub, deontic, symbolic)})"
            case _:
                c = self.boolean(env, sub, deontic)
                return f"(if {c} then {self.number(env, sub, deontic, symbolic)} else {self.number(env, sub, deontic, symbolic)})"

    # ---- conditions ----
    def binders(self, env: dict[str, str]) -> tuple[str, dict[str, str]]:
        inner = dict(env)
        doms = list(self.v.doms)
        n = pick(self.draw, [1, 1, 1, 2])
        parts: list[str] = []
        for _ in range(n):
            d = pick(self.draw, doms)
            x = self.fresh()
            outer = [v for v, vd in env.items() if vd == d and v.startswith("x") and not any(p.startswith(f"{v} ") for p in parts)]
            if outer and self.draw(st.integers(0, 7)) == 0:
                x = pick(self.draw, outer)  # shadow an outer variable of the same domain
            inner[x] = d
            parts.append(f"{x} in {d}")
        return ", ".join(parts), inner

    def _where(self, env: dict[str, str], depth: int, deontic: bool) -> str:
        if not self.draw(st.booleans()):
            return ""
        return f" where {self.boolean(env, max(depth, 0), deontic)}"

    def atom(self, env: dict[str, str], depth: int, prefer_choice: bool = False, actor: str | None = None) -> str | None:
        """A boolean input applied to arguments; with `prefer_choice`, mostly a choice input, and
        when `actor` (a term of the actor domain) is given, mostly an act of `actor`."""
        bools = [i for i in self.v.inputs if i.kind == "bool"]
        if prefer_choice and self.draw(st.integers(0, 3)) > 0:
            own = [i for i in bools if i.controller.startswith("p") or i.controller == actor] if actor is not None else []
            choice = [i for i in bools if i.is_choice]
            if own and self.draw(st.integers(0, 3)) > 0:
                bools = own
            elif choice:
                bools = choice
        if not bools:
            return None
        inp = pick(self.draw, bools)
        if not inp.params:
            return inp.name
        args = [self.enum_term(d, env, depth) for d in inp.params]
        if actor is not None and inp.controller.startswith("p") and self.draw(st.integers(0, 3)) > 0:
            args[int(inp.controller[1:])] = actor
        return f"{inp.name}({', '.join(args)})"

    def own_act(self, env: dict[str, str], actor: str | None) -> str | None:
        """A boolean act of `actor`: an input it controls, as a parameter or by name."""
        if actor is None:
            return None
        own = [i for i in self.v.inputs if i.kind == "bool" and (i.controller.startswith("p") or i.controller == actor)]
        if not own:
            return None
        inp = pick(self.draw, own)
        if not inp.params:
            return inp.name
        args = [self.enum_term(d, env, 0) for d in inp.params]
        if inp.controller.startswith("p"):
            args[int(inp.controller[1:])] = actor
        return f"{inp.name}({', '.join(args)})"

    def content(self, env: dict[str, str], actor: str | None) -> str:
        """What a norm regulates: mostly a combination of acts of the bearer."""

        def act() -> str:
            if self.draw(st.integers(0, 4)) == 0:
                return self.boolean(env, 0, prefer_choice=True, actor=actor)
            return self.own_act(env, actor) or self.boolean(env, 0, prefer_choice=True, actor=actor)

        # composite shapes first: Hypothesis often draws the first option, and a content that reads
        # two acts of the bearer is what ties acts into groups
        shape = pick(self.draw, ["or", "and", "implies", "some", "count", "leaf", "not", "int", "any"])
        match shape:
            case "leaf":
                return act()
            case "or" | "and" | "implies":
                a, b = act(), act()
                if a == b:
                    b = act()
                return f"({a} {shape} {b})"
            case "not":
                return f"(not {act()})"
            case "some" | "count":
                binders, inner = self.binders(env)
                body = self.boolean(inner, pick(self.draw, [0, 0, 1]), prefer_choice=True, actor=actor)
                if shape == "some":
                    return f"(some {binders}: {body})"
                return f"(count({binders}: {body}) {pick(self.draw, list(CMP_OPS))} {self.draw(st.integers(0, 2))})"
            case "int":
                ints = [i for i in self.v.inputs if i.kind == "int" and i.is_choice]
                if ints:
                    inp = pick(self.draw, ints)
                    args = [self.enum_term(d, env, 0) for d in inp.params]
                    if actor is not None and inp.controller.startswith("p"):
                        args[int(inp.controller[1:])] = actor
                    term = f"{inp.name}({', '.join(args)})" if args else inp.name
                    return f"({term} {pick(self.draw, list(CMP_OPS))} {self.draw(st.integers(inp.lo, inp.hi))})"
        return self.boolean(env, pick(self.draw, [1, 2]), prefer_choice=True, actor=actor)

    def boolean(self, env: dict[str, str], depth: int, deontic: bool = False, prefer_choice: bool = False, actor: str | None = None) -> str:
        options: list[str] = ["atom"] * (10 if prefer_choice else 4) + ["eq", "cmp", "cmp", "const"]
        bool_defs = [d for d in self.v.defs if d.kind == "bool" and (deontic or not d.deontic)]
        if bool_defs:
            options += ["def", "def"]
        if deontic:
            options += ["deontic"] * 6 + ["normq"] * 3 + ["compliant"]
        if depth > 0:
            options += ["not", "not", "and", "and", "or", "or", "implies", "implies", "iff", "quant", "quant", "ite", "beq"]
        choice = pick(self.draw, options)
        if choice == "normq" and not self.v.norms:
            choice = "deontic"
        if choice == "cmp" and depth <= 0 and not any(i.kind == "int" for i in self.v.inputs):
            choice = "atom"  # no number that depends on the world at this depth
        match choice:
            case "atom":
                a = self.atom(env, depth, prefer_choice, actor)
                return a if a is not None else pick(self.draw, ["true", "false"])
            case "const":
                return pick(self.draw, ["true", "false"])
            case "def":
                d = pick(self.draw, bool_defs)
                return self.apply(d.name, d.params, env, depth)
            case "eq":
                dom = pick(self.draw, list(self.v.doms))
                op = pick(self.draw, ["=", "!="])
                return f"({self.enum_term(dom, env, depth)} {op} {self.enum_term(dom, env, depth)})"
            case "cmp":
                op = pick(self.draw, list(CMP_OPS))
                left = self.number(env, min(depth, 2) - 1, deontic, symbolic=True)
                return f"({left} {op} {self.number(env, min(depth, 2) - 1, deontic, symbolic=self.draw(st.booleans()))})"
            case "deontic":
                return self.deontic(env)
            case "normq":
                n = pick(self.draw, self.v.norms)
                kind = pick(self.draw, ["active", "violated", "violated"])
                return f"{kind}({self.apply(n.name, n.params, env, depth)})"
            case "compliant":
                return f"compliant({self.enum_term(ACTOR_DOMAIN, env, depth)})"
            case "not":
                return f"(not {self.boolean(env, depth - 1, deontic, prefer_choice, actor)})"
            case "and" | "or" | "implies" | "iff":
                n = pick(self.draw, [2, 2, 3]) if choice in ("and", "or") else 2
                parts = [self.boolean(env, depth - 1, deontic, prefer_choice, actor) for _ in range(n)]
                return "(" + f" {choice} ".join(parts) + ")"
            case "quant":
                q = pick(self.draw, ["every", "some", "no"])
                binders, inner = self.binders(env)
                where = self._where(inner, depth - 1, deontic)
                return f"({q} {binders}{where}: {self.boolean(inner, depth - 1, deontic, prefer_choice, actor)})"
            case "beq":
                a = self.boolean(env, depth - 1, deontic, prefer_choice, actor)
                b = self.boolean(env, depth - 1, deontic, prefer_choice, actor)
                return f"({a} {pick(self.draw, ['=', '!='])} {b})"
            case "ite":
                c = self.boolean(env, depth - 1, deontic)
                a = self.boolean(env, depth - 1, deontic, prefer_choice, actor)
                b = self.boolean(env, depth - 1, deontic, prefer_choice, actor)
                return f"(if {c} then {a} else {b})"
        raise AssertionError(choice)

    def deontic(self, env: dict[str, str]) -> str:
        kind = pick(self.draw, ["obliged", "permitted", "forbidden"])
        actor = self.enum_term(ACTOR_DOMAIN, env, 1)
        body = self.boolean(env, pick(self.draw, [0, 0, 1, 2]), prefer_choice=True, actor=actor)
        return f"{kind}({actor}, {body})"

    def law(self, env: dict[str, str]) -> str:
        """An instance of a law of the deontic semantics (true whatever the spec), with random parts."""
        actor = self.enum_term(ACTOR_DOMAIN, env, 1)

        def phi() -> str:
            if self.draw(st.booleans()):
                own = self.own_act(env, actor)
                if own is not None:
                    return own
            return self.boolean(env, pick(self.draw, [0, 0, 1]), prefer_choice=True, actor=actor)

        shape = pick(self.draw, ["compliant", "ought_can", "forbidden", "and", "or", "dual", "compliant", "compliant"])
        match shape:
            case "compliant" if self.v.norms:
                return f"(compliant({actor}) iff {self.no_violation(actor, env)})"
            case "ought_can":
                f = phi()
                return f"(obliged({actor}, {f}) implies permitted({actor}, {f}))"
            case "forbidden":
                f = phi()
                return f"(forbidden({actor}, {f}) iff (not permitted({actor}, {f})))"
            case "and":
                f, g = phi(), phi()
                return f"(obliged({actor}, ({f} and {g})) iff (obliged({actor}, {f}) and obliged({actor}, {g})))"
            case "or":
                f, g = phi(), phi()
                return f"(permitted({actor}, ({f} or {g})) iff (permitted({actor}, {f}) or permitted({actor}, {g})))"
        f = phi()
        return f"(obliged({actor}, {f}) iff (permitted({actor}, true) and (not permitted({actor}, (not {f})))))"

    def identity(self, env: dict[str, str], depth: int) -> str:
        """An instance of a law of the ordinary operators, over random parts (deontic ones too)."""

        def f() -> str:
            return self.boolean(env, pick(self.draw, [0, 1, 1, 2]), deontic=True)

        def n() -> str:
            return self.number(env, pick(self.draw, [1, 1, 2]), deontic=self.draw(st.integers(0, 3)) == 0, symbolic=True)

        shape = pick(self.draw, ["le", "ge", "ne", "implies", "iff", "count0", "count1", "ite", "gt", "scale", "no"])
        match shape:
            case "le":
                a, b = n(), n()
                return f"(({a} <= {b}) iff (({a} < {b}) or ({a} = {b})))"
            case "ge":
                a, b = n(), n()
                return f"(({a} >= {b}) iff (not ({a} < {b})))"
            case "gt":
                a, b = n(), n()
                return f"(({a} > {b}) iff ({b} < {a}))"
            case "ne":
                a, b = n(), n()
                return f"(({a} != {b}) iff (not ({a} = {b})))"
            case "implies":
                a, b = f(), f()
                return f"(({a} implies {b}) iff ((not {a}) or {b}))"
            case "iff":
                a, b = f(), f()
                return f"(({a} iff {b}) iff (({a} and {b}) or ((not {a}) and (not {b}))))"
            case "count0" | "count1" | "no":
                binders, inner = self.binders(env)
                body = self.boolean(inner, pick(self.draw, [0, 1]), deontic=True)
                if shape == "count0":
                    return f"((count({binders}: {body}) = 0) iff (no {binders}: {body}))"
                if shape == "no":
                    return f"((no {binders}: {body}) iff (every {binders}: (not {body})))"
                return f"((count({binders}: {body}) >= 1) iff (some {binders}: {body}))"
            case "scale":
                a = n()
                return f"(((2/3 * {a}) + (1/3 * {a})) = {a})"
        c, a, b = f(), n(), n()
        return f"(((if {c} then {a} else {b}) = {a}) or ((if {c} then {a} else {b}) = {b}))"

    def no_violation(self, actor: str, env: dict[str, str]) -> str:
        """No norm instance borne by `actor` is violated, spelled with `violated`."""
        parts: list[str] = []
        for n in self.v.norms:
            inner = dict(env)
            names: list[str] = []
            binders: list[str] = []
            for d in n.params:
                x = self.fresh()
                inner[x] = d
                names.append(x)
                binders.append(f"{x} in {d}")
            query = f"violated({n.name}({', '.join(names)}))" if names else f"violated({n.name})"
            bearer = n.bearer_for(names)
            body = f"((({bearer}) = {actor}) implies (not {query}))"
            parts.append(f"(every {', '.join(binders)}: {body})" if binders else body)
        return "(" + " and ".join(parts) + ")"

    def claim_body(self, env: dict[str, str], depth: int) -> str:
        """A claim's formula, mostly about norms: a deontic query, maybe under a premise or `not`."""
        shape = pick(
            self.draw,
            ["deontic", "deontic", "premise", "premise", "not", "normq", "compliant", "law", "law", "identity", "identity", "any", "any"],
        )
        match shape:
            case "deontic":
                return self.deontic(env)
            case "premise":
                premise = self.boolean(env, min(depth, 1))
                return f"({premise} implies {self.claim_body(env, depth - 1) if depth > 0 else self.deontic(env)})"
            case "not":
                return f"(not {self.deontic(env)})"
            case "normq" if self.v.norms:
                n = pick(self.draw, self.v.norms)
                q = pick(self.draw, ["active", "violated"])
                other = self.boolean(env, min(depth, 1), deontic=True)
                op = pick(self.draw, ["implies", "or", "and", "iff"])
                return f"({q}({self.apply(n.name, n.params, env, 1)}) {op} {other})"
            case "law":
                return "(" + " and ".join(self.law(env) for _ in range(pick(self.draw, [2, 1, 3]))) + ")"
            case "identity":
                return "(" + " and ".join(self.identity(env, depth) for _ in range(pick(self.draw, [3, 1, 2]))) + ")"
            case "compliant":
                other = self.boolean(env, min(depth, 1), deontic=True)
                op = pick(self.draw, ["implies", "or", "and", "iff"])
                return f"(compliant({self.enum_term(ACTOR_DOMAIN, env, 1)}) {op} {other})"
        return self.boolean(env, depth, deontic=True)


# ---- whole specs ----


@st.composite
def specs(
    draw,  # type: ignore[no-untyped-def]
    max_worlds: int = 256,
    max_atoms: int = 12,
    max_claims: int = 3,
    deontic_definitions: bool = False,
    nonlinear: bool = True,
    laws: bool = True,
) -> str:
    """A well-typed spec as source text, with at most `max_worlds` complete worlds."""
    doms: dict[str, tuple[str, ...]] = {ACTOR_DOMAIN: ACTORS[: pick(draw, [2, 1, 2, 3])]}
    if draw(st.booleans()):
        doms[OTHER_DOMAIN] = OTHERS[: draw(st.integers(1, 3))]
    vocab = Vocab(doms)
    lines = ['spec "random"', 'instrument T "A Treaty"']
    for d, values in doms.items():
        lines.append(f"domain {d} = {{{', '.join(values)}}}")

    # inputs, within the world and atom budgets
    worlds, atoms = 1, 0
    n_inputs = draw(st.integers(1, 5))
    for i in range(n_inputs):
        if i < 2 and draw(st.integers(0, 3)) > 0:
            # the usual shape of an act: `takes(p: Party, m: Means) by p`
            n_params = pick(draw, [1, 2])
            params = (ACTOR_DOMAIN,) + tuple(pick(draw, list(doms)) for _ in range(n_params - 1))
            kind = "bool"
        else:
            n_params = pick(draw, [1, 0, 1, 2])
            params = tuple(pick(draw, [ACTOR_DOMAIN, ACTOR_DOMAIN, *doms] if j == 0 else list(doms)) for j in range(n_params))
            kind = pick(draw, ["bool"] * 6 + ["int", "enum"])
        lo, hi, enum = 0, 1, None
        if kind == "int":
            lo = pick(draw, [0, 0, 0, -1])
            hi = draw(st.integers(1, 3))
        elif kind == "enum":
            enum = pick(draw, list(doms))
        controllers = ["nature"]
        actor_params = [f"p{j}" for j, d in enumerate(params) if d == ACTOR_DOMAIN]
        controllers = actor_params * 3 + controllers  # the acts of an actor first
        controllers += list(doms[ACTOR_DOMAIN])
        controller = pick(draw, controllers)
        sig = InputSig(f"i{i}", params, kind, controller, lo, hi, enum)
        n_inst = sig.instances(doms)
        cost = sig.values(doms) ** n_inst
        if worlds * cost > max_worlds or atoms + n_inst > max_atoms:
            sig = InputSig(f"i{i}", (), "bool", pick(draw, ["nature"] + list(doms[ACTOR_DOMAIN])))
            n_inst, cost = 1, 2
            if worlds * cost > max_worlds or atoms + n_inst > max_atoms:
                break
        worlds *= cost
        atoms += n_inst
        vocab.inputs.append(sig)
        lines.append(sig.render())

    gen = Gen(draw, vocab, nonlinear=nonlinear)

    # definitions, each may use the earlier ones
    for i in range(draw(st.integers(0, 3))):
        params = tuple(pick(draw, list(doms)) for _ in range(pick(draw, [0, 0, 1])))
        env = {f"q{j}": d for j, d in enumerate(params)}
        deontic = deontic_definitions and draw(st.integers(0, 4)) == 0
        kind = pick(draw, ["bool", "bool", "num"])
        body = gen.boolean(env, draw(st.integers(0, 2)), deontic) if kind == "bool" else gen.number(env, draw(st.integers(1, 2)), deontic)
        ps = f"({', '.join(f'q{j}: {d}' for j, d in enumerate(params))})" if params else ""
        vocab.defs.append(DefSig(f"d{i}", params, kind, deontic))
        lines.append(f"define d{i}{ps} = {body}")

    # norms; added to the vocabulary afterwards (only claims can ask about them)
    norms: list[NormSig] = []
    for i in range(pick(draw, [2, 1, 3, 2, 0])):
        n_params = pick(draw, [1, 1, 0, 2])
        params = tuple(pick(draw, [ACTOR_DOMAIN, ACTOR_DOMAIN] + list(doms)) for _ in range(n_params))
        env = {f"p{j}": d for j, d in enumerate(params)}
        actor_params = [n for n, d in env.items() if d == ACTOR_DOMAIN]
        bearer_options = actor_params * 4 + ["const"]
        if actor_params:
            bearer_options.append("ite")
        b = pick(draw, bearer_options)
        if b == "const":
            bearer = pick(draw, list(doms[ACTOR_DOMAIN]))
        elif b == "ite":
            p = pick(draw, actor_params)
            bearer = f"if {p} = {pick(draw, list(doms[ACTOR_DOMAIN]))} then {pick(draw, list(doms[ACTOR_DOMAIN]))} else {p}"
        else:
            bearer = b
        kind = pick(draw, ["obligation", "prohibition", "permission"])
        ps = f"({', '.join(f'p{j}: {d}' for j, d in enumerate(params))})" if params else ""
        when = ""
        if draw(st.integers(0, 3)) > 0:
            when = f"\n  when {gen.boolean(env, draw(st.integers(0, 2)))}"
        content = gen.content(env, actor=bearer if b != "ite" else None)
        lines.append(f'{kind} n{i}{ps}\n  cite T article {i + 1} quote "the words"\n  bearer {bearer}{when}\n  to {content}')
        norms.append(NormSig(f"n{i}", params, bearer))
    vocab.norms = norms

    for i in range(pick(draw, [0, 0, 1, 1, 2])):
        lines.append(f"assume a{i}: {gen.boolean({}, draw(st.integers(0, 2)))}")

    for i in range(draw(st.integers(1, max_claims))):
        shape = pick(draw, ["quant", "quant", "plain", "pair"])
        if shape == "quant":
            binders, env = gen.binders({})
            q = pick(draw, ["every", "every", "some", "no"])
            body = gen.claim_body(env, draw(st.integers(0, 2)))
            claim = f"{q} {binders}: {body}"
        elif shape == "pair":
            x = gen.fresh()
            premise = gen.boolean({x: ACTOR_DOMAIN}, draw(st.integers(0, 1)))
            body = gen.claim_body({x: ACTOR_DOMAIN}, draw(st.integers(0, 1)))
            claim = f"every {x} in {ACTOR_DOMAIN}: {premise} implies {body}"
        else:
            claim = gen.claim_body({}, draw(st.integers(0, 3)))
        lines.append(f"claim c{i}: {claim} expect holds")
    if draw(st.integers(0, 3)) == 0:
        # a scenario: its givens become the premise of each expectation (a claim per expectation)
        lines.append("scenario s0")
        for _ in range(draw(st.integers(1, 2))):
            lines.append(f"  given {gen.boolean({}, draw(st.integers(0, 1)))}")
        for _ in range(draw(st.integers(1, 2))):
            lines.append(f"  expect {gen.claim_body({}, draw(st.integers(0, 1)))}")
    if laws and draw(st.integers(0, 2)) > 0:
        # laws of the semantics over this spec's vocabulary: they hold, so the solver must prove them
        x = gen.fresh()
        env = {x: ACTOR_DOMAIN}
        parts = [gen.law(env) for _ in range(draw(st.integers(1, 2)))]
        parts += [gen.identity(env, 1) for _ in range(draw(st.integers(1, 2)))]
        if norms:
            parts.append(f"(compliant({x}) iff {gen.no_violation(x, env)})")
        lines.append(f"claim laws: every {x} in {ACTOR_DOMAIN}: {' and '.join(parts)} expect holds")
    return "\n".join(lines) + "\n"
