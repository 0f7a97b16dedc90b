"""The `treaty` command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from treaty_dsl.loader import LoadedSpec

EXIT_OK, EXIT_DIFFERS, EXIT_SPEC_ERROR, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4

EPILOG = """\
examples:
  treaty check specs/                      check every claim of every spec below specs/
  treaty check specs/nato.treaty --format json
  treaty prove specs/nato.treaty 'every p in Party: not obliged(p, takes(p, armed_force, EE))'
  treaty lint specs/                       report conflicts, vacuous claims, unused declarations

exit codes:
  0  every claim's verdict is as expected (prove: the claim holds; lint: nothing found)
  1  some verdict differs from its expectation (prove: the claim fails; lint: findings)
  2  the spec or the command line is wrong
  3  some claim is unknown: a time or memory limit was reached
  4  internal error: the solver and the evaluator disagreed (please report it)
"""


def build_parser() -> argparse.ArgumentParser:
    from treaty_dsl import __version__

    parser = argparse.ArgumentParser(
        prog="treaty",
        description="Formal verification of treaty logic: prove claims about treaties or refute them with a counterexample.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"treaty-dsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="time limit per claim (default 10)")
        p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")

    check = sub.add_parser(
        "check", help="check the claims of spec files or folders", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="spec files (.treaty) or folders")
    common(check)
    prove = sub.add_parser(
        "prove", help="check a claim typed on the command line", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    prove.add_argument("spec", metavar="SPEC", help="the spec whose vocabulary the formula uses")
    prove.add_argument("formula", metavar="FORMULA", help="the claim, e.g. 'every p in Party: not obliged(p, ...)'")
    common(prove)
    lint = sub.add_parser(
        "lint",
        help="report normative conflicts, contradictory assumptions, vacuous claims and unused declarations",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument("paths", nargs="+", metavar="SPEC", help="spec files (.treaty) or folders")
    common(lint)
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(out)
        return EXIT_SPEC_ERROR
    if not (0 < args.timeout < 86400 * 365):  # also refuses nan and inf
        parser.error("--timeout must be a positive number of seconds")
    try:
        if args.command == "check":
            return _check(args, out, err)
        if args.command == "lint":
            return _lint(args, out, err)
        return _prove(args, out, err)
    except KeyboardInterrupt:
        err.write("treaty: interrupted\n")
        return 130


class _Loading:
    """The spec files named on the command line, loaded one by one; errors reported as they come."""

    def __init__(self, paths: list[str], fmt: str, err: TextIO) -> None:
        from treaty_dsl.loader import spec_files

        self.fmt = fmt
        self.err = err
        self.missing = [p for p in paths if not Path(p).exists()]
        for p in self.missing:
            err.write(f"treaty: no such file or folder: {p}\n")
        self.files = [p for p in spec_files(paths) if p.exists()]
        self.nothing_found = not self.files and not self.missing
        if self.nothing_found:
            err.write("treaty: no .treaty files found\n")
        self.diagnostics: list[dict[str, object]] = []
        self.spec_errors = 0

    def specs(self) -> Iterator[LoadedSpec]:
        from solver.render import write
        from treaty_dsl.diagnostics import SpecError
        from treaty_dsl.loader import load_spec

        for path in self.files:
            try:
                yield load_spec(path)
            except SpecError as exc:
                self.spec_errors += 1
                self.diagnostics.extend(d.to_json() for d in exc.diagnostics)
                if self.fmt == "text":
                    write(exc.render(), self.err)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from solver.render import Style, claim_text, document, summary_text, use_color, write
    from solver.results import Result, is_ok
    from solver.verify import Verifier

    started = time.monotonic()
    style = Style(use_color(out))
    results: list[Result] = []
    loading = _Loading(args.paths, args.format, err)
    if loading.nothing_found:
        return EXIT_SPEC_ERROR
    for loaded in loading.specs():
        if args.format == "text" and loaded.spec.claims:
            write(style.bold(f"{loaded.path}: {loaded.spec.title}"), out)
        verifier = Verifier(loaded.spec, args.timeout)
        for claim in loaded.spec.claims:
            result = verifier.check_claim(claim)
            results.append(result)
            if args.format == "text":
                write(claim_text(result, style), out)
    seconds = time.monotonic() - started
    if args.format == "json":
        write(document(results, seconds, loading.diagnostics), out)
    else:
        write(summary_text(results, seconds, loading.spec_errors, style), out)
    if any(r.verdict == "error" for r in results):
        return EXIT_INTERNAL
    if loading.spec_errors or loading.missing:
        return EXIT_SPEC_ERROR
    if any(not is_ok(r) and r.verdict in ("holds", "fails") for r in results):
        return EXIT_DIFFERS
    if any(r.verdict == "unknown" for r in results):
        return EXIT_UNKNOWN
    return EXIT_OK


def _prove(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from solver.render import Style, claim_text, document, use_color, write
    from solver.verify import Verifier
    from treaty_dsl import ir
    from treaty_dsl.checker import check_formula
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.loader import load_spec
    from treaty_dsl.parser import parse_formula
    from treaty_dsl.span import SourceFile

    started = time.monotonic()
    try:
        loaded = load_spec(args.spec)
    except SpecError as exc:
        if args.format == "json":
            write(document([], 0.0, [d.to_json() for d in exc.diagnostics]), out)
        else:
            write(exc.render(), err)
        return EXIT_SPEC_ERROR
    source = SourceFile("<command line>", args.formula)
    try:
        body = check_formula(loaded.spec, parse_formula(args.formula, source.name))
    except SpecError as exc:
        exc.sources[source.name] = source
        if args.format == "json":
            write(document([], 0.0, [d.to_json() for d in exc.diagnostics]), out)
        else:
            write(exc.render(), err)
        return EXIT_SPEC_ERROR
    claim = ir.Claim("command-line claim", args.formula, body, "holds", body.span)
    result = Verifier(loaded.spec, args.timeout).check_claim(claim)
    if args.format == "json":
        write(document([result], time.monotonic() - started, []), out)
    else:
        write(claim_text(result, Style(use_color(out))), out)
    return {"holds": EXIT_OK, "fails": EXIT_DIFFERS, "unknown": EXIT_UNKNOWN}.get(result.verdict, EXIT_INTERNAL)


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from solver.lint import Finding, lint
    from solver.render import write

    started = time.monotonic()
    findings: list[Finding] = []
    loading = _Loading(args.paths, args.format, err)
    if loading.nothing_found:
        return EXIT_SPEC_ERROR
    for loaded in loading.specs():
        found = lint(loaded.spec, args.timeout)
        findings.extend(found)
        if args.format == "text":
            for f in found:
                write(f"{f.span.file}:{f.span.line}:{f.span.column}: {f.severity}[{f.code}]: {f.message}", out)
                if f.scenario is not None:
                    for label, value in f.scenario.facts.items():
                        write(f"    witness: {label} = {value}", out)
                    for state_label, state in f.scenario.norms.items():
                        write(f"    norm {state_label}: {state}", out)
    seconds = time.monotonic() - started
    errors = sum(1 for f in findings if f.severity == "error")
    if args.format == "json":
        doc = {
            "version": 1,
            "findings": [f.to_json() for f in findings],
            "diagnostics": loading.diagnostics,
            "summary": {"findings": len(findings), "errors": errors, "warnings": len(findings) - errors, "seconds": round(seconds, 3)},
        }
        write(json.dumps(doc, indent=2, ensure_ascii=False), out)
    else:
        write(f"lint: {errors} errors, {len(findings) - errors} warnings in {seconds:.2f}s", out)
    if loading.spec_errors or loading.missing:
        return EXIT_SPEC_ERROR
    return EXIT_DIFFERS if findings else EXIT_OK


def entry() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`treaty check ... | head`): not an error of ours.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    entry()
