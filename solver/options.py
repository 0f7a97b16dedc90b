"""`treaty options`: what an actor may do in a situation, computed and checked.

An *option* of actor A in a world is a choice of A's acts with which A complies: the world in
which A makes that choice satisfies the assumptions and violates no norm A bears (so it is its own
compliant alternative). A *situation* is a formula GIVEN over the spec's vocabulary; its worlds are
those of the spec in which GIVEN is true. GIVEN may leave facts open. The options are listed per
*group* of A's acts: acts that some norm A bears (its condition, its content, or a rival's) or some
assumption reads together are one group, closed under sharing; two groups never meet in one
constraint, so A's options in a world are the combinations of one option per group.

For each group that some norm active in *every* world of the situation regulates:

- its options: the values of its acts (day-valued acts apart) with which A complies in some world
  of the situation, enumerated completely with the solver (each new one excluded, until none is
  left) up to a bound; each is checked by the concrete evaluator in its witness world (GIVEN true,
  the assumptions true, A compliant there, the acts as listed);
- of these, the ones with which A complies in *every* world of the situation in which A makes that
  choice (with the days of the witness world for dated acts); for any other the solver gives a world
  of the situation in which it violates a norm, also checked by the evaluator.

Groups whose norms are active in some worlds of the situation but not in all depend on facts it
leaves open: they are named, not enumerated (add to GIVEN to decide them). Groups no norm can
regulate in the situation are free. The options are summarized for reading (acts required, acts
excluded, acts free, "at least one of", "exactly one of"), from the complete list.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import z3

from solver import z3env
from solver.encode import ACTUAL, EncodingLimit, EncodingTimeout
from solver.verify import Verifier
from treaty_dsl import ir
from treaty_dsl.budget import Budget, LimitReached, limited
from treaty_dsl.calendar import format_day
from treaty_dsl.deontic import Constraint, NormInstance
from treaty_dsl.evaluator import EvaluationLimit, Evaluator, World
from treaty_dsl.grounding import Atom, atom_label, format_value
from treaty_dsl.types import BOOL, BoolT, DayT, EnumT

DEFAULT_LIMIT = 64  # options enumerated per group
DECIDED_ACTS = 6  # acts of the actor a norm's condition may read for the search to decide whether it applies
MODELS_KEPT = 64  # worlds of the situation kept to classify norms and facts without asking the solver


class OptionsError(Exception):
    """The question cannot be asked (an actor that is no domain value, say)."""


@dataclass
class Option:
    acts: dict[str, str]  # act label -> value, the group's acts (day-valued acts: the witness's days)
    everywhere: bool  # complies in every world of the situation where the actor makes this choice
    counter: str = ""  # when not: the norm (or assumption) it violates in some world of the situation

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"acts": self.acts, "in_every_world": self.everywhere}
        if self.counter:
            out["violates_in_some_world"] = self.counter
        return out


@dataclass
class Group:
    acts: list[str]  # labels of the acts enumerated
    dated: list[str]  # labels of day-valued acts (shown with the witness's days)
    norms: list[dict[str, object]]  # the norm instances that can apply: {"norm", "always_active", "citation"}
    options: list[Option] = field(default_factory=list)
    complete: bool = True  # every option is listed (else: more than the bound)
    status: str = "ok"  # ok | unknown
    reason: str = ""

    def summary(self) -> list[str]:
        return summarize(self.acts, [o.acts for o in self.options])

    def norms_text(self) -> str:
        """The norms, instances of one norm with one citation written once, those always active marked."""
        by_key: dict[tuple[bool, str, str], list[str]] = {}
        for n in self.norms:
            key = (bool(n["always_active"]), str(n["citation"]), str(n["norm"]).split("(")[0])
            by_key.setdefault(key, []).append(str(n["norm"]))
        parts = [f"{join_acts(labels)}{' (always active)' if always else ''} [{cite}]" for (always, cite, _), labels in by_key.items()]
        return "; ".join(parts)

    def everywhere_summary(self) -> list[str]:
        return summarize(self.acts, [o.acts for o in self.options if o.everywhere])

    def to_json(self) -> dict[str, object]:
        return {
            "acts": self.acts,
            "dated_acts": self.dated,
            "norms": self.norms,
            "complete": self.complete,
            "status": self.status,
            "reason": self.reason,
            "summary": self.summary(),
            "options": [o.to_json() for o in self.options],
        }


@dataclass
class Options:
    spec: str
    actor: str
    given: str
    status: str  # ok | impossible (no world of the situation) | conflict (no option at all) | unknown | error
    groups: list[Group] = field(default_factory=list)
    open_norms: dict[str, list[str]] = field(default_factory=dict)  # norm -> instances that may apply
    free_acts: dict[str, int] = field(default_factory=dict)  # input -> acts of it no norm can regulate here
    reason: str = ""
    seconds: float = 0.0
    limit: int = DEFAULT_LIMIT

    def to_json(self) -> dict[str, object]:
        return {
            "version": 1,
            "spec": self.spec,
            "actor": self.actor,
            "given": self.given,
            "status": self.status,
            "reason": self.reason,
            "limit": self.limit,
            "groups": [g.to_json() for g in self.groups],
            "open_norms": self.open_norms,
            "free_acts": self.free_acts,
            "seconds": round(self.seconds, 3),
        }


def options(
    spec: ir.Spec, path: str, actor: str, given: ir.Expr | None, given_text: str, limit: int = DEFAULT_LIMIT, timeout_s: float = 10.0
) -> Options:
    started = time.monotonic()
    finder = _Finder(spec, actor, given, limit, timeout_s)
    result = Options(path, actor, given_text or "true", "ok", limit=limit)
    try:
        finder.ver._encode_assumptions()  # (the verifier asserts them before its first check)
        with limited(Budget(finder.deadline, z3env.memory_limit_mb())):
            finder.run(result)
    except _Unknown as exc:
        result.status, result.reason = "unknown", str(exc)
    except _Disagreement as exc:
        result.status, result.reason = "error", str(exc)
    except z3.Z3Exception as exc:
        result.status, result.reason = "unknown", f"solver error: {exc}"
    except EncodingTimeout:
        result.status, result.reason = "unknown", f"time limit of {timeout_s:g} s reached while encoding"
    except EncodingLimit as exc:
        result.status, result.reason = "unknown", f"cannot be encoded: {exc}"
    except EvaluationLimit as exc:
        result.status, result.reason = "unknown", f"a world could not be evaluated: {exc}"
    except MemoryError:
        result.status, result.reason = "unknown", "memory limit reached"
    except LimitReached as exc:
        result.status, result.reason = "unknown", f"{exc.kind} limit reached"
    result.seconds = time.monotonic() - started
    return result


class _Unknown(Exception):
    pass


class _Disagreement(Exception):
    pass


def actor_domain(spec: ir.Spec, actor: str) -> ir.Domain | None:
    for dom in spec.domains.values():
        if actor in dom.values:
            return dom
    return None


class _Finder:
    def __init__(self, spec: ir.Spec, actor: str, given: ir.Expr | None, limit: int, timeout_s: float) -> None:
        self.spec = spec
        self.actor = actor
        self.given = given
        self.limit = limit
        self.deadline = time.monotonic() + timeout_s
        self.ver = Verifier(spec, timeout_s)
        self.enc = self.ver.enc
        self.st = self.ver.structure
        dom = actor_domain(spec, actor)
        if dom is None:
            raise OptionsError(f"`{actor}` is not a value of any domain of the spec")
        self.actor_expr = ir.Const(actor, EnumT(dom.name))
        self._lits = 0
        self._defeats: dict[tuple[str, str], bool] = {}
        self._models: list[z3.ModelRef] = []
        self.given_lit: z3.BoolRef | None = None
        order = {name: i for i, name in enumerate(spec.inputs)}
        positions = {v: i for d in spec.domains.values() for i, v in enumerate(d.values)}
        self.atom_key = lambda a: (order.get(a[0], 0), [positions.get(str(x), 0) if isinstance(x, str) else x for x in a[1]])

    # ---- solver plumbing ----
    def _guard(self, formula: z3.BoolRef, tag: str) -> z3.BoolRef:
        self._lits += 1
        lit = z3.Bool(f"options!{tag}!{self._lits}", self.enc.ctx)
        self.ver.solver.add(z3.Implies(lit, formula))
        self.ver._flush()
        return lit

    def _check(self, *lits: z3.BoolRef) -> bool:
        if time.monotonic() > self.deadline:
            raise _Unknown(f"time limit of {self.ver.timeout_s:g} s reached")
        result = self.ver._check(list(lits), self.deadline)
        if result == z3.unknown:
            raise _Unknown(f"the solver could not decide within the limits ({self.ver.solver.reason_unknown()})")
        if result == z3.sat and self.given_lit is not None and lits[:1] == (self.given_lit,) and len(self._models) < MODELS_KEPT:
            self._models.append(self.ver.solver.model())  # a world of the situation, to classify by
        return bool(result == z3.sat)

    def _seen(self, term: z3.ExprRef) -> set[str]:
        """The values `term` takes in the worlds of the situation the solver has shown so far (a
        model made before the term existed says nothing about it, and is skipped)."""
        out = {_raw_eval(m, term) for m in self._models}
        out.discard("")
        return out

    def _encode(self, e: ir.Expr, env: dict[ir.Var, ir.Value] | None = None) -> z3.BoolRef:
        return self.enc.as_bool(self.enc.enc(e, env or {}, ACTUAL))

    # ---- structure ----
    def _constraints(self) -> list[tuple[Constraint, frozenset[Atom]]]:
        """Every norm instance the actor bears (permissions apart) and every assumption instance
        reading its acts, with the acts of the actor each reads (condition, content, and those of
        the rivals that can defeat it in the situation)."""
        out: list[tuple[Constraint, frozenset[Atom]]] = []
        for inst in self.st.norm_instances(self.actor):
            if inst.norm.kind == "permission":
                continue
            acts = frozenset(a for a in self._norm_reads(inst) if self.st.is_act_of(a, self.actor))
            out.append((Constraint(inst.norm.content, tuple(inst.env.items()), norm=inst), acts))
        for c in self.st.assumption_instances:
            acts = frozenset(a for a in self.st.reads(c.expr, dict(c.env)) if self.st.is_act_of(a, self.actor))
            if acts:
                out.append((c, acts))
        return out

    def _norm_reads(self, inst: NormInstance, seen: frozenset[str] = frozenset()) -> set[Atom]:
        """What whether `inst` is violated can depend on in the situation: its condition and content,
        and what its rivals read when they can defeat it in some world of the situation."""
        out = set(self.st.reads(inst.norm.when, inst.env)) | self.st.reads(inst.norm.content, inst.env)
        for m in self.st.rivals(inst):
            if m.label() not in seen and self._may_defeat(m, inst):
                out |= self._norm_reads(m, seen | {inst.label()})
        return out

    def _may_defeat(self, m: NormInstance, n: NormInstance) -> bool:
        key = (m.label(), n.label())
        if key not in self._defeats:
            term = zterms_and([self.enc.active(m), self.enc.applicable(n), self.enc.as_bool(self.enc.conflict(m, n))])
            self._defeats[key] = self._check(self.given_lit, self._guard(term, "defeat"))
        return self._defeats[key]

    def _determined(self, c: Constraint) -> bool:
        """Whether the situation and the actor's own acts decide if the norm applies: for every
        choice of the acts its condition reads (and those of the rivals that can defeat it), it
        applies in every world of the situation with that choice, or in none. Conditions that read
        more than `DECIDED_ACTS` of the actor's acts count as open."""
        if c.norm is None:
            return True
        reads = set(self.st.reads(c.norm.norm.when, c.norm.env))
        for m in self.st.rivals(c.norm):
            if self._may_defeat(m, c.norm):
                reads |= self._norm_reads(m)
        acts = sorted((a for a in reads if self.st.is_act_of(a, self.actor)), key=self.atom_key)
        if len(acts) > DECIDED_ACTS or any(not isinstance(self.spec.inputs[a[0]].type, BoolT) for a in acts):
            return False
        active = self.enc.as_bool(self.enc.active(c.norm))
        terms = [self.enc.atom(a, ACTUAL) for a in acts]
        self.ver._flush()
        # Two worlds shown so far with the same choice and different answers settle it at once.
        seen: dict[tuple[str, ...], set[str]] = {}
        for m in self._models:
            key = tuple(_raw_eval(m, t) for t in terms)
            answer = _raw_eval(m, active)
            if "" not in key and answer:
                seen.setdefault(key, set()).add(answer)
        if any(len(v) > 1 for v in seen.values()):
            return False
        for values in itertools.product([True, False], repeat=len(acts)):
            literals = [t if v else z3.Not(t) for t, v in zip(terms, values, strict=True)]
            choice = z3.And(literals) if literals else z3.BoolVal(True, self.enc.ctx)
            if self._check(self.given_lit, self._guard(z3.And(choice, active), "decided")) and self._check(
                self.given_lit, self._guard(z3.And(choice, z3.Not(active)), "decided")
            ):
                return False
        return True

    @staticmethod
    def _groups(constraints: list[tuple[Constraint, frozenset[Atom]]]) -> list[tuple[frozenset[Atom], list[Constraint]]]:
        parent: dict[Atom, Atom] = {}

        def find(x: Atom) -> Atom:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for _, acts in constraints:
            ordered = sorted(acts, key=repr)
            for a in ordered:
                parent.setdefault(a, a)
            for a in ordered[1:]:
                ra, rb = find(ordered[0]), find(a)
                if ra != rb:
                    parent[rb] = ra
        members: dict[Atom, set[Atom]] = {}
        for a in parent:
            members.setdefault(find(a), set()).add(a)
        groups: dict[Atom, list[Constraint]] = {root: [] for root in members}
        for c, acts in constraints:
            if acts:
                groups[find(next(iter(acts)))].append(c)
        out = [(frozenset(members[root]), groups[root]) for root in members]
        return sorted(out, key=lambda g: sorted(map(repr, g[0])))

    # ---- the search ----
    def run(self, result: Options) -> None:
        self.enc.deadline = self.deadline
        formula = self._encode(self.given) if self.given is not None else z3.BoolVal(True, self.enc.ctx)
        # Compliance encodes whether each norm of the actor is active: every world the solver shows
        # from now on tells which are (see `_seen`).
        compliant = self._encode(ir.Compliant(self.actor_expr, BOOL))
        self.compliant_lit = self._guard(compliant, "compliant")
        given_lit = self._guard(formula, "given")
        self.given_lit = given_lit
        if not self._check(given_lit):
            result.status, result.reason = "impossible", "no world of the spec satisfies the situation given (and the assumptions)"
            return
        constraints = self._constraints()
        grouped = self._groups(constraints)
        if not self._check(given_lit, self.compliant_lit):
            result.status = "conflict"
            result.reason = (
                f"{self.actor} has no option at all: in every world of the situation some norm it bears is violated whatever it does"
            )
            return
        for acts, group_constraints in grouped:
            norms = [c.norm for c in group_constraints if c.norm is not None]
            if norms and len(norms) == len(group_constraints):
                # One question for the whole group first: can any of its norms apply?
                some = z3.Or([self.enc.as_bool(self.enc.active(n)) for n in norms])
                if not self._check(self.given_lit, self._guard(some, "some-active")):
                    for atom in acts:
                        result.free_acts[atom[0]] = result.free_acts.get(atom[0], 0) + 1
                    continue
            # The norms seen to apply in a world shown so far first: one that is not decided by the
            # situation and the actor's acts makes the group open, and the rest need no question.
            seen = [c for c in group_constraints if c.norm is None or "True" in self._seen(self.enc.as_bool(self.enc.active(c.norm)))]
            early = {id(c): self._activity(c) for c in seen}
            if "always" not in early.values():
                undecided = [c for c in seen if early[id(c)] == "sometimes" and not self._determined(c)]
                if undecided:
                    for c in undecided:
                        assert c.norm is not None
                        result.open_norms.setdefault(c.norm.norm.name, []).append(c.norm.label())
                    continue
            kinds = [early.get(id(c)) or self._activity(c) for c in group_constraints]
            always = [n for n, k in zip(group_constraints, kinds, strict=True) if k == "always"]
            sometimes = [n for n, k in zip(group_constraints, kinds, strict=True) if k == "sometimes"]
            if always or (sometimes and all(self._determined(c) for c in sometimes)):
                result.groups.append(self._enumerate(acts, group_constraints, kinds))
            elif sometimes:
                for c in sometimes:
                    if c.norm is not None:
                        result.open_norms.setdefault(c.norm.norm.name, []).append(c.norm.label())
            else:
                for atom in acts:
                    result.free_acts[atom[0]] = result.free_acts.get(atom[0], 0) + 1
        regulated = {a for _, acts in constraints for a in acts}
        for atom in self.st.acts_of(self.actor):
            if atom not in regulated and self.spec.inputs[atom[0]].day_of is None:
                result.free_acts[atom[0]] = result.free_acts.get(atom[0], 0) + 1

    def _activity(self, c: Constraint) -> str:
        """always | sometimes | never: whether the constraint binds in the worlds of the situation."""
        if c.norm is None:
            return "always"  # an assumption
        active = self.enc.as_bool(self.enc.active(c.norm))
        self.ver._flush()
        if len(self._seen(active)) == 2:
            return "sometimes"
        if not self._check(self.given_lit, self._guard(active, "active")):
            return "never"
        if not self._check(self.given_lit, self._guard(z3.Not(active), "inactive")):
            return "always"
        return "sometimes"

    def _enumerate(self, acts: frozenset[Atom], constraints: list[Constraint], kinds: list[str]) -> Group:
        ordered = sorted(acts, key=lambda a: (self.spec.inputs[a[0]].day_of is not None, self.atom_key(a)))
        plain = [a for a in ordered if not isinstance(self.spec.inputs[a[0]].type, DayT)]
        dated = [a for a in ordered if isinstance(self.spec.inputs[a[0]].type, DayT)]
        norms: list[dict[str, object]] = []
        for c, kind in zip(constraints, kinds, strict=True):
            if c.norm is not None and kind != "never":
                norms.append({"norm": c.norm.label(), "always_active": kind == "always", "citation": c.norm.norm.citation.locator()})
        group = Group([atom_label(a) for a in plain], [self._label(a) for a in dated], norms)
        terms = [self.enc.atom(a, ACTUAL) for a in ordered]
        group_ok = z3.And([self.enc.as_bool(self._holds_term(c)) for c in constraints])
        blocked: list[z3.BoolRef] = []
        while True:
            block_lit = self._guard(z3.And(blocked) if blocked else z3.BoolVal(True, self.enc.ctx), "block")
            if not self._check(self.given_lit, self.compliant_lit, block_lit):
                break
            if len(group.options) >= self.limit:
                group.complete = False
                break
            model = self.ver.solver.model()
            world = self.ver._world(model)
            values = {a: world.get(a) for a in ordered}
            self._certify_option(world, values)
            same = [t == self.enc.lift(values[a], self.spec.inputs[a[0]].type) for a, t in zip(ordered, terms, strict=True)]
            plain_same = [s for a, s in zip(ordered, same, strict=True) if a in plain]
            blocked.append(z3.Not(z3.And(plain_same)) if plain_same else z3.BoolVal(False, self.enc.ctx))
            everywhere, counter = self._everywhere(z3.And(same) if same else z3.BoolVal(True, self.enc.ctx), group_ok, constraints, values)
            shown = {self._label(a): _show(values[a], self.spec.inputs[a[0]].type) for a in ordered if self._shown(a, values)}
            group.options.append(Option(shown, everywhere, counter))
            if not plain:
                break  # only dated acts: one witness stands for the group
        group.options.sort(key=lambda o: (sum(v == "true" for v in o.acts.values()), sorted(k for k, v in o.acts.items() if v == "true")))
        return group

    def _label(self, atom: Atom) -> str:
        inp = self.spec.inputs[atom[0]]
        return f"day_of({atom_label((inp.day_of, atom[1]))})" if inp.day_of is not None else atom_label(atom)

    def _shown(self, atom: Atom, values: dict[Atom, ir.Value]) -> bool:
        """An event's day is shown when the event happens (otherwise it means nothing)."""
        inp = self.spec.inputs[atom[0]]
        return inp.day_of is None or values.get((inp.day_of, atom[1])) is True

    def _holds_term(self, c: Constraint) -> object:
        if c.norm is not None:
            return self.enc._unless_active(c.norm, ACTUAL)
        return self.enc.enc(c.expr, dict(c.env), ACTUAL)

    def _everywhere(
        self, same: z3.BoolRef, group_ok: z3.BoolRef, constraints: list[Constraint], values: dict[Atom, ir.Value]
    ) -> tuple[bool, str]:
        """Whether the choice complies with the group's constraints in every world of the situation
        in which the actor makes it; if not, the constraint it breaks in a world the solver gives."""
        if not self._check(self.given_lit, self._guard(z3.And(same, z3.Not(group_ok)), "counter")):
            return True, ""
        world = self.ver._world(self.ver.solver.model())
        ev = Evaluator(self.spec, world, self.st)
        try:
            if not ev.holds(self.given or ir.Const(True, BOOL)) or not ev.assumptions_hold():
                raise _Disagreement("the solver's world where an option does not comply is not a world of the situation")
            for a, v in values.items():
                if world.get(a) != v:
                    raise _Disagreement("the solver's world where an option does not comply has other acts")
            for c in constraints:
                if c.norm is not None and ev.violated(c.norm):
                    return False, f"violates {c.norm.label()} in some world of the situation"
                if c.norm is None and not ev.holds(c.expr, dict(c.env)):
                    return False, f"breaks assumption {c.assumption.name if c.assumption else '?'} in some world of the situation"
        except EvaluationLimit as exc:
            raise _Unknown(f"a world could not be evaluated: {exc}") from None
        raise _Disagreement("the solver and the evaluator disagree on a world where an option does not comply")

    def _certify_option(self, world: World, values: dict[Atom, ir.Value]) -> None:
        """The evaluator's word: the witness is a world of the situation in which the actor makes
        this choice and complies (so it is its own compliant alternative)."""
        ev = Evaluator(self.spec, world, self.st)
        try:
            ok = (
                (self.given is None or ev.holds(self.given))
                and ev.assumptions_hold()
                and ev.holds(ir.Compliant(self.actor_expr, BOOL))
                and all(world.get(a) == v for a, v in values.items())
            )
        except EvaluationLimit as exc:
            raise _Unknown(f"an option's witness could not be evaluated: {exc}") from None
        if not ok:
            raise _Disagreement("an option the solver found does not replay in the evaluator")


def _raw_eval(model: z3.ModelRef, term: z3.ExprRef) -> str:
    """The term's value in the model as text ("" when the model does not decide it), through Z3's C
    API directly: z3py wraps and checks every value, and this runs for every norm and act of the
    actor in every world kept."""
    ctx = term.ctx_ref()
    cell = (z3.Ast * 1)()
    if not z3.Z3_model_eval(ctx, model.model, term.as_ast(), False, cell):
        return ""
    value = cell[0]
    z3.Z3_inc_ref(ctx, value)
    try:
        return _raw_value(ctx, value)
    finally:
        z3.Z3_dec_ref(ctx, value)


def _raw_value(ctx: object, value: object) -> str:
    """A model's value as text: `True`, `False`, a numeral, a domain value; "" for anything else."""
    truth = z3.Z3_get_bool_value(ctx, value)
    if truth == z3.Z3_L_TRUE:
        return "True"
    if truth == z3.Z3_L_FALSE:
        return "False"
    if z3.Z3_is_numeral_ast(ctx, value):
        return str(z3.Z3_get_numeral_string(ctx, value))
    if z3.Z3_get_ast_kind(ctx, value) == z3.Z3_APP_AST and z3.Z3_get_app_num_args(ctx, value) == 0:
        decl = z3.Z3_get_app_decl(ctx, value)
        if z3.Z3_get_decl_kind(ctx, decl) == z3.Z3_OP_DT_CONSTRUCTOR:
            return str(z3.Z3_get_symbol_string(ctx, z3.Z3_get_decl_name(ctx, decl)))
    return ""


def _show(value: ir.Value, t: object) -> str:
    return format_day(int(value)) if isinstance(t, DayT) else format_value(value)  # type: ignore[arg-type]


def zterms_and(terms: list[z3.BoolRef]) -> z3.BoolRef:
    return z3.And(terms)


# ---- summaries ----


def summarize(acts: list[str], options: list[dict[str, str]]) -> list[str]:
    """A readable description of a complete set of options over `acts` (true/false values; other
    values are listed as they are)."""
    if not options:
        return ["no option"]
    if any(o.get(a) not in ("true", "false") for o in options for a in acts):
        return [", ".join(f"{a} = {o[a]}" for a in acts) for o in options]
    rows = {frozenset(a for a in acts if o[a] == "true") for o in options}
    lines: list[str] = []
    required = [a for a in acts if all(a in r for r in rows)]
    excluded = [a for a in acts if all(a not in r for r in rows)]
    free = [a for a in acts if a not in required and a not in excluded and all((r ^ {a}) in rows for r in rows)]
    rest = [a for a in acts if a not in required and a not in excluded and a not in free]
    projected = {frozenset(r & set(rest)) for r in rows}
    if required:
        lines.append("required: " + join_acts(required))
    if rest:
        n = len(rest)
        sizes = {len(r) for r in projected}
        if len(projected) == 2**n - 1 and frozenset() not in projected:
            lines.append("at least one of: " + join_acts(rest))
        elif sizes == {1} and len(projected) == n:
            lines.append("exactly one of: " + join_acts(rest))
        elif sizes <= {0, 1} and len(projected) == n + 1:
            lines.append("at most one of: " + join_acts(rest))
        elif (implied := _implication(rest, projected)) is not None:
            triggers, consequences = implied
            lines.append(f"if any of {join_acts(triggers)}: also {join_acts(consequences)} (each of them free otherwise)")
        elif (pairs := _pairwise(rest, projected)) is not None:
            lines.extend(f"{a} only with {b}" for a, b in pairs)
        else:
            combos = sorted(projected, key=lambda r: (len(r), sorted(r)))
            lines.append("one of these: " + "; ".join("{" + (join_acts(sorted(r, key=rest.index)) or "none") + "}" for r in combos))
    if excluded:
        lines.append("excluded: " + join_acts(excluded))
    if free:
        lines.append("free (either way): " + join_acts(free))
    return lines


def _implication(rest: list[str], projected: set[frozenset[str]]) -> tuple[list[str], list[str]] | None:
    """(T, R) when the options are exactly the sets in which any act of T comes with every act of R."""
    if len(rest) > 12:
        return None
    consequences = [a for a in rest if all(a in o for o in projected if o - {a})]
    triggers = [a for a in rest if a not in consequences]
    if not consequences or not triggers:
        return None
    expected = set()
    for size in range(len(rest) + 1):
        for combo in itertools.combinations(rest, size):
            chosen = frozenset(combo)
            if not (chosen & set(triggers)) or set(consequences) <= chosen:
                expected.add(chosen)
    return (triggers, consequences) if expected == projected else None


def _pairwise(rest: list[str], projected: set[frozenset[str]]) -> list[tuple[str, str]] | None:
    """The implications `a only with b` when the options are exactly the sets that respect every
    implication that holds in all of them; shown without those that follow from the others."""
    if len(rest) > 12:
        return None
    implied = {(a, b) for a in rest for b in rest if a != b and all(b in o for o in projected if a in o)}
    if not implied:
        return None
    allowed = set()
    for size in range(len(rest) + 1):
        for combo in itertools.combinations(rest, size):
            chosen = frozenset(combo)
            if all(b in chosen for a, b in implied if a in chosen):
                allowed.add(chosen)
    if allowed != projected:
        return None
    direct = [(a, b) for a, b in implied if not any((a, c) in implied and (c, b) in implied for c in rest if c not in (a, b))]
    return sorted(direct, key=lambda p: (rest.index(p[0]), rest.index(p[1])))


def join_acts(labels: Iterable[str]) -> str:
    """Act labels, those that differ in one argument only written once: `takes(US, {a, b}, EE)`."""
    labels = list(labels)
    parsed = [_split_label(x) for x in labels]
    out: list[str] = []
    used: set[int] = set()
    for i, (name, args) in enumerate(parsed):
        if i in used:
            continue
        best: list[int] = [i]
        position = -1
        for pos in range(len(args)):
            same = [
                j
                for j, (n2, a2) in enumerate(parsed)
                if j not in used and n2 == name and len(a2) == len(args) and all(a2[k] == args[k] for k in range(len(args)) if k != pos)
            ]
            if len(same) > len(best):
                best, position = same, pos
        used.update(best)
        if len(best) == 1:
            out.append(labels[i])
        else:
            values = [parsed[j][1][position] for j in best]
            shown = list(args)
            shown[position] = "{" + ", ".join(values) + "}"
            out.append(f"{name}({', '.join(shown)})")
    return ", ".join(out)


def _split_label(label: str) -> tuple[str, list[str]]:
    if "(" not in label:
        return label, []
    name, rest = label.split("(", 1)
    return name, [a.strip() for a in rest.rstrip(")").split(",")]


__all__ = ["options", "Options", "Group", "Option", "summarize"]
