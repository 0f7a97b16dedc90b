"""`treaty options SPEC ACTOR --given FORMULA`: an actor's options in a situation (see solver.options)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the solver is imported only when the command runs (`treaty --help` stays fast)
    from solver.options import Group, Options

DEFAULT_LIMIT = 64  # options listed per group (solver.options.DEFAULT_LIMIT)

EXIT_OK, EXIT_NONE, EXIT_USAGE, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4
OPTIONS_LISTED = 8  # options listed one by one (with their days) under a summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "options",
        help="what an actor may do in a situation: its compliant options, grouped, each checked",
        description="List the options of ACTOR (a value of a domain of SPEC) in the situation GIVEN: the choices of its acts "
        "with which it complies, per group of acts that norms link, each checked by the concrete evaluator in a witness world, "
        "complete up to --limit per group. See docs/cli.md.",
    )
    p.add_argument("spec", metavar="SPEC", help="the spec file")
    p.add_argument("actor", metavar="ACTOR", help="the actor, e.g. US or President")
    p.add_argument(
        "--given",
        action="append",
        default=[],
        metavar="FORMULA",
        help="the situation, in the spec's vocabulary (repeat: all of them); facts it leaves open stay open",
    )
    p.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"options listed per group at most (default {DEFAULT_LIMIT})"
    )
    p.add_argument("--under", metavar="READING", help="under this interpretation of the spec (or several: a,b)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="time limit for the whole search (default 30)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")
    p.add_argument("--memory", type=int, default=4096, metavar="MB", help="memory the solver may use, in megabytes (default 4096)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from solver.options import OptionsError, options
    from solver.render import write
    from treaty_dsl import ir
    from treaty_dsl.checker import check_formula, compose, reading_names
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.loader import load_spec
    from treaty_dsl.parser import parse_formula
    from treaty_dsl.span import SourceFile

    if args.limit < 1:
        err.write("treaty: --limit must be a positive number\n")
        return EXIT_USAGE
    reading = compose(reading_names(args.under)) if args.under else None
    try:
        loaded = load_spec(args.spec, reading=reading)
    except SpecError as exc:
        write(exc.render(), err)
        return EXIT_USAGE
    text = " and ".join(f"({g})" if len(args.given) > 1 else g for g in args.given)
    given: ir.Expr | None = None
    if args.given:
        source = SourceFile("<given>", text)
        try:
            given = check_formula(loaded.spec, parse_formula(text, source.name))
        except SpecError as exc:
            exc.sources[source.name] = source
            write(exc.render(), err)
            return EXIT_USAGE
        from solver.verify import _has_deontic

        if _has_deontic(given):
            err.write("treaty: the situation (--given) describes facts and acts; it cannot ask deontic questions\n")
            return EXIT_USAGE
    try:
        result = options(loaded.spec, loaded.path, args.actor, given, text, args.limit, args.timeout)
    except OptionsError as exc:
        err.write(f"treaty: {exc}\n")
        return EXIT_USAGE
    write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) if args.format == "json" else render(result), out)
    return {"ok": EXIT_OK, "impossible": EXIT_NONE, "conflict": EXIT_NONE, "unknown": EXIT_UNKNOWN}.get(result.status, EXIT_INTERNAL)


def render(r: Options) -> str:
    lines = [f"options of {r.actor} in {r.spec}", f"  given: {r.given}"]
    if r.status != "ok":
        lines.append(f"  {r.status}: {r.reason}")
        return "\n".join(lines)
    for g in r.groups:
        lines.extend(_group_lines(g, r.limit))
    if r.open_norms:
        lines.append("  may also apply, depending on facts the situation leaves open (give them to decide):")
        parts = [
            instances[0] if len(instances) == 1 else f"{norm} ({len(instances)} instances, e.g. {instances[0]})"
            for norm, instances in r.open_norms.items()
        ]
        lines.append("    " + ", ".join(parts))
    if r.free_acts:
        counts = ", ".join(f"{name} ({n} act{'s' if n != 1 else ''})" for name, n in r.free_acts.items())
        lines.append("  not regulated in this situation: " + counts)
    if not r.groups:
        lines.append("  no norm regulates the acts of this actor in every world of the situation")
    lines.append(f"  ({r.seconds:.2f}s; every option listed was checked by the concrete evaluator in a world of the situation)")
    return "\n".join(lines)


def _group_lines(g: Group, limit: int) -> list[str]:
    from solver.options import join_acts

    count = len(g.options)
    head = f"  {join_acts(g.acts) or join_acts(g.dated)}: "
    if not g.complete:
        head += f"more than {limit} options; the first {count} are listed (raise --limit for all)"
    else:
        head += f"{count} option{'s' if count != 1 else ''}"
    lines = [head]
    lines.append("    under: " + g.norms_text())
    if g.complete:
        lines.extend("    " + line for line in g.summary())
    everywhere = [o for o in g.options if o.everywhere]
    others = [o for o in g.options if not o.everywhere]
    if others and g.complete:
        lines.append(f"    {len(everywhere)} of them comply whatever the facts the situation leaves open are:")
        lines.extend("      " + line for line in (g.everywhere_summary() if everywhere else ["none"]))
        example = f"{_choice(others[0].acts)} {others[0].counter}"
        lines.append(f"    the other {len(others)} comply in some worlds of the situation only; e.g. {example}")
    if g.dated or not g.complete:
        shown = g.options[:OPTIONS_LISTED]
        lines.append("    options" + (" (with the days of their witness worlds):" if g.dated else ":"))
        for o in shown:
            lines.append(f"      {_choice(o.acts)}" + ("" if o.everywhere else f"  ({o.counter})"))
        if len(g.options) > len(shown):
            lines.append(f"      ... {len(g.options) - len(shown)} more (--format json lists them all)")
    return lines


def _choice(acts: dict[str, str]) -> str:
    true = [k for k, v in acts.items() if v == "true"]
    other = [f"{k} = {v}" for k, v in acts.items() if v not in ("true", "false")]
    return "{" + ", ".join(true + other) + "}" if true or other else "{no act}"
