"""`treaty repair SPEC CLAIM`: what would make a failing claim hold (see solver.repairs)."""

from __future__ import annotations

import argparse
import itertools
import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the solver is imported only when the command runs (`treaty --help` stays fast)
    from solver.repairs import Repairs

DEFAULT_MAX_SIZE, DEFAULT_LIMIT = 2, 8  # as solver.repairs

EXIT_OK, EXIT_NONE, EXIT_USAGE, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "repair",
        help="what would make a failing claim hold: declarations without which, readings under which, facts given which",
        description="For a claim that fails, the minimal sets of declarations (norms, powers) without which it holds, of the "
        "spec's interpretations under which it holds, and of extra facts given which it holds; each re-checked by a fresh "
        "solver. See docs/cli.md.",
    )
    p.add_argument("spec", metavar="SPEC", help="the spec file")
    p.add_argument("claim", metavar="CLAIM", help="the name of a claim of the spec, or a formula (as for `treaty prove`)")
    p.add_argument(
        "--max-size", type=int, default=DEFAULT_MAX_SIZE, metavar="N", help=f"repairs of at most N changes (default {DEFAULT_MAX_SIZE})"
    )
    p.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"at most N repairs of each kind (default {DEFAULT_LIMIT})"
    )
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="time limit per solver question (default 10)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")
    p.add_argument("--memory", type=int, default=4096, metavar="MB", help="memory the solver may use, in megabytes (default 4096)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from solver.render import write
    from solver.repairs import repairs
    from treaty_dsl import ir
    from treaty_dsl.checker import check_formula
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.loader import load_spec
    from treaty_dsl.parser import parse_formula
    from treaty_dsl.span import SourceFile

    if args.max_size < 1 or args.limit < 1:
        err.write("treaty: --max-size and --limit must be positive numbers\n")
        return EXIT_USAGE
    try:
        loaded = load_spec(args.spec, all_claims=True)
    except SpecError as exc:
        write(exc.render(), err)
        return EXIT_USAGE
    claim = next((c for c in loaded.spec.claims if c.name == args.claim), None)
    formula_text: str | None = None
    if claim is None:
        source = SourceFile("<command line>", args.claim)
        try:
            body = check_formula(loaded.spec, parse_formula(args.claim, source.name))
        except SpecError as exc:
            exc.sources[source.name] = source
            write(exc.render(), err)
            err.write(f"treaty: `{args.claim}` is neither a claim of {loaded.path} nor a formula in its vocabulary\n")
            return EXIT_USAGE
        claim = ir.Claim("command-line claim", args.claim, body, "holds", body.span)
        formula_text = args.claim
    reading_specs: dict[str, ir.Spec | str] = {}
    if formula_text is None:
        for size in range(1, args.max_size + 1):
            for combo in itertools.combinations(loaded.interpretations, size):
                key = "+".join(combo)
                try:
                    reading_specs[key] = load_spec(args.spec, reading=key, all_claims=True).spec
                except SpecError as exc:
                    reading_specs[key] = "; ".join(d.message for d in exc.diagnostics)
    result = repairs(loaded.spec, loaded.path, claim, reading_specs, args.max_size, args.limit, args.timeout)
    write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) if args.format == "json" else render(result), out)
    if result.verdict not in ("holds", "fails"):
        return EXIT_UNKNOWN if result.verdict == "unknown" else EXIT_INTERNAL
    if any(s.status == "error" for s in result.searches):
        return EXIT_INTERNAL
    if any(s.status == "unknown" for s in result.searches):
        return EXIT_UNKNOWN
    if result.verdict == "holds":
        return EXIT_OK
    return EXIT_OK if any(s.repairs for s in result.searches) else EXIT_NONE


KIND_TEXT = {
    "declarations": "without",
    "readings": "under the reading",
    "facts": "if, in addition,",
}
KIND_TITLE = {
    "declarations": "declarations (norms, powers) without which it holds",
    "readings": "readings (interpretations, composed) under which it holds",
    "facts": "extra facts given which it holds",
}


def render(r: Repairs) -> str:
    lines = [f"{r.claim} ({r.spec}): {r.verdict}"]
    if r.verdict != "fails":
        lines.append(f"  {r.reason}")
        return "\n".join(lines)
    lines.append(f"  what would make it hold (minimal changes, at most {r.max_size} at once):")
    for s in r.searches:
        lines.append(f"  {KIND_TITLE[s.kind]} ({s.candidates} candidates):")
        for repair in s.repairs:
            joined = " and ".join(repair.items) if s.kind != "readings" else " + ".join(repair.items)
            lines.append(f"    - {KIND_TEXT[s.kind]} {joined}")
        if not s.repairs:
            lines.append("    none" if s.status == "complete" else "    none found")
        for v in s.vacuous:
            lines.append(f"    (vacuous: {' and '.join(v)} makes the claim's premise impossible)")
        if s.status == "truncated":
            lines.append(f"    (more may exist: {s.reason}; raise --limit)")
        elif s.status == "unknown":
            lines.append(f"    (search not finished: {s.reason})")
        elif s.status == "error":
            lines.append(f"    internal error: {s.reason}")
    lines.append(f"  ({r.seconds:.2f}s; each repair re-checked by a fresh solver on the spec changed accordingly)")
    return "\n".join(lines)
