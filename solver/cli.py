"""The `treaty` command."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from solver.junit import SpecReport
    from solver.lint import Finding
    from solver.results import Result
    from treaty_dsl.loader import LoadedSpec

from solver.limits import MAX_MEMORY_MB, MIN_MEMORY_MB, timeout_problem

EXIT_OK, EXIT_DIFFERS, EXIT_SPEC_ERROR, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4

EPILOG = """\
examples:
  treaty check specs/                      check every claim of every spec below specs/
  treaty check specs/nato.treaty --format json
  treaty prove specs/nato.treaty 'every p in Party: not obliged(p, takes(p, armed_force, EE))'
  treaty lint specs/                       report conflicts, vacuous claims, unused declarations
  treaty fmt --check specs/                list the specs that are not in the canonical layout

exit codes:
  0  every claim's verdict is as expected (prove: the claim holds; lint: nothing found)
  1  some verdict differs from its expectation (prove: the claim fails; lint: findings)
  2  the spec or the command line is wrong, or the report could not be written
  3  some claim is unknown: a time or memory limit was reached (lint: some check was, nothing found)
  4  internal error: the solver and the evaluator disagreed, or (--certify) Z3 and cvc5 did (please report it)
  130, 143, 129  stopped by Ctrl-C, SIGTERM, SIGHUP
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

    def common(p: argparse.ArgumentParser, reports: bool = False) -> None:
        p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="time limit per claim (default 10)")
        formats = ["text", "json", "sarif", "junit"] if reports else ["text", "json"]
        p.add_argument("--format", choices=formats, default="text", help="output format (default text)")
        if reports:
            p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
        p.add_argument("--memory", type=int, default=4096, metavar="MB", help="memory the solver may use, in megabytes (default 4096)")

    def certify_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--certify",
            action="store_true",
            help="re-solve each verdict's query with cvc5 on an SMT-LIB 2 export and report agreement; "
            "a disagreement is an internal error (exit 4). Needs: pip install 'treaty-dsl[certify]'",
        )

    check = sub.add_parser(
        "check", help="check the claims of spec files or folders", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="spec files (.treaty) or folders")
    common(check, reports=True)
    check.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="check specs (and readings) in N worker processes, at most one per CPU available; 0: one per CPU; 1: in this process; "
        "default: one per CPU where workers can be forked (Linux), else 1. The report is the same either way",
    )
    check.add_argument(
        "--under",
        metavar="READING",
        help="check every claim under this interpretation only, or under several at once (`a,b`: both readings together); "
        "default: each claim under each reading it has an expectation for",
    )
    certify_option(check)
    prove = sub.add_parser(
        "prove", help="check a claim typed on the command line", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    prove.add_argument("spec", metavar="SPEC", help="the spec whose vocabulary the formula uses")
    prove.add_argument("formula", metavar="FORMULA", help="the claim, e.g. 'every p in Party: not obliged(p, ...)'")
    common(prove)
    prove.add_argument(
        "--under", metavar="READING", help="check the formula under this interpretation of the spec, or under several at once (`a,b`)"
    )
    certify_option(prove)
    compare = sub.add_parser(
        "compare",
        help="check every claim under every interpretation and show where the readings disagree",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("paths", nargs="+", metavar="SPEC", help="spec files (.treaty) or folders")
    common(compare)
    compare.add_argument(
        "--compose",
        type=int,
        default=3,
        metavar="N",
        help="look for the minimal sets of up to N readings, composed, that flip a verdict (default 3; 1: single readings only)",
    )
    lint = sub.add_parser(
        "lint",
        help="report normative conflicts, contradictory assumptions, vacuous claims and unused declarations",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument("paths", nargs="+", metavar="SPEC", help="spec files (.treaty) or folders")
    lint.add_argument(
        "--record-digests",
        action="store_true",
        help="record the digests of the cited articles of the source texts (digests.txt beside them) instead of comparing them",
    )
    common(lint, reports=True)
    from solver import fmt, lsp_command, options_command, repair_command

    options_command.add_parser(sub)
    repair_command.add_parser(sub)
    fmt.add_parser(sub)
    lsp_command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from solver.output import OutputError, guarded

    # Standard output may be closed (`treaty check ... >&-`): Python then has no `sys.stdout`.
    out = guarded(out or sys.stdout, "standard output")
    err = err or sys.stderr or open(os.devnull, "w")  # noqa: SIM115 (nowhere to report to)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _signals_interrupt():
            code = _run(parser, args, out, err)
            out.flush()
            return code
    except OutputError as exc:
        err.write(f"treaty: {exc}\n")
        return EXIT_SPEC_ERROR
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Terminated) else int(signal.SIGINT)
        err.write(f"treaty: {_SIGNAL_WORDS.get(signum, 'interrupted')}\n")
        return 128 + signum


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command is None:
        parser.print_help(out)
        return EXIT_SPEC_ERROR
    if args.command == "fmt":
        from solver import fmt

        return fmt.run(args, out, err)
    if args.command == "lsp":
        from solver import lsp_command

        return lsp_command.run(args, err)
    problem = timeout_problem(args.timeout)
    if problem is not None:
        parser.error(f"--timeout {problem}")
    if not (MIN_MEMORY_MB <= args.memory <= MAX_MEMORY_MB):
        parser.error(f"--memory must be a number of megabytes from {MIN_MEMORY_MB} to {MAX_MEMORY_MB}")
    from solver import z3env

    z3env.set_memory_limit(args.memory)
    if (getattr(args, "jobs", 1) or 0) < 0:
        parser.error("-j/--jobs must be 0 (one worker per CPU) or a positive number")
    if getattr(args, "certify", False):
        from solver import certify

        if not certify.available():
            err.write(f"treaty: --certify needs the cvc5 solver: {certify.INSTALL_HINT}\n")
            return EXIT_SPEC_ERROR
    if args.command in ("check", "lint"):
        loading = _Loading(args.paths, args.format, err)
        with _report_stream(args.output, out, loading) as report:
            return (_check if args.command == "check" else _lint)(args, loading, report, err)
    if args.command == "compare":
        from solver.compare import run_compare

        return run_compare(args, out, err)
    if args.command == "options":
        from solver import options_command

        return options_command.run(args, out, err)
    if args.command == "repair":
        from solver import repair_command

        return repair_command.run(args, out, err)
    return _prove(args, out, err)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as after Ctrl-C (workers stopped, no report file left half-written)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_SIGNAL_WORDS: dict[int, str] = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
if hasattr(signal, "SIGHUP"):
    _SIGNAL_WORDS[signal.SIGHUP] = "hung up"


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Terminated` in this process while the command runs (the default
    would end it at once and leave its worker processes running). Outside the main thread (the
    tool run from a thread of another program) signals are that program's business."""

    def stop(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNAL_WORDS:
            if signum != signal.SIGINT:
                previous[signum] = signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def _report_stream(output: str | None, out: TextIO, loading: _Loading) -> Iterator[TextIO]:
    """Standard output, or the --output file: refused if it is one of the spec files read, else
    replaced once the report is complete."""
    if output is None:
        yield out
        return
    from solver.output import ReportFile

    report = ReportFile(output)
    report.refuse_inputs(loading.files)
    with report.writing() as stream:
        yield stream
        report.refuse_inputs(loading.read)  # the files reached through `use` too


class _Loading:
    """The spec files named on the command line, loaded one by one; errors reported as they come."""

    def __init__(self, paths: list[str], fmt: str, err: TextIO) -> None:
        from treaty_dsl.loader import spec_files

        self.fmt = fmt
        self.err = err
        self.missing = [p for p in paths if not os.path.exists(p)]  # (Path.exists raises for a name too long)
        for p in self.missing:
            err.write(f"treaty: no such file or folder: {p}\n")
        self.files = [p for p in spec_files(paths) if os.path.exists(p)]
        self.nothing_found = not self.files and not self.missing
        if self.nothing_found:
            err.write("treaty: no .treaty files found\n")
        self.diagnostics: list[dict[str, object]] = []
        self.spec_errors = 0
        self.echo = fmt == "text"  # diagnostics also go to standard error (always with --output)
        self.failed: list[tuple[str, str]] = []  # (file, rendered diagnostics) of files with errors
        self.skipped: list[str] = []
        self.read: set[str] = set()  # every file read, those reached through `use` included

    def specs(self, readings: bool = False, under: str | None = None, all_claims: bool = False) -> Iterator[LoadedSpec]:
        """Each spec file checked; with `readings`, again under each interpretation that some claim
        has an expectation for; with `under`, only under that interpretation, with every claim;
        with `all_claims`, claims without an expectation are kept too."""
        from solver.render import write
        from treaty_dsl.checker import compose, reading_names
        from treaty_dsl.diagnostics import SpecError
        from treaty_dsl.loader import display_name, load_spec

        for path in self.files:
            try:
                base = load_spec(path, all_claims=all_claims or under is not None)
                self.read.update(base.sources)
                if under is not None:
                    missing = [n for n in reading_names(under) if n not in base.interpretations]
                    if missing:
                        self.skipped.append(f"{base.path} has no interpretation `{missing[0]}`")
                        continue
                    yield load_spec(path, reading=compose(reading_names(under)), all_claims=True)
                    continue
                yield base
                if readings:
                    for name in base.interpretations:
                        loaded = load_spec(path, reading=name)
                        if loaded.spec.claims:
                            yield loaded
            except SpecError as exc:
                self.read.update(exc.sources)
                self.spec_errors += 1
                self.diagnostics.extend(d.to_json() for d in exc.diagnostics)
                self.failed.append((display_name(path), exc.render()))
                if self.echo:
                    write(exc.render(), self.err)


def _check(args: argparse.Namespace, loading: _Loading, out: TextIO, err: TextIO) -> int:
    from solver.junit import SpecReport
    from solver.progress import Progress, is_terminal
    from solver.render import Style, claim_text, document, summary_text, use_color, write

    started = time.monotonic()
    style = Style(use_color(out))
    results: list[Result] = []
    loading.echo = loading.echo or args.output is not None
    if loading.nothing_found:
        return EXIT_SPEC_ERROR
    # Progress on a terminal's standard error, unless the report itself is printed there claim by claim.
    progress = Progress(err, is_terminal(err) and not (args.format == "text" and is_terminal(out)))
    suites: dict[str, SpecReport] = {}
    for loaded, checked in _checked_specs(loading, args.timeout, args.jobs, args.under, args.certify):
        if args.format == "text" and loaded.spec.claims:
            write(style.bold(f"{loaded.path}: {loaded.spec.title}"), out)
        suite = suites.setdefault(loaded.path, SpecReport(loaded.path, loaded.spec.title))
        progress.update(f"checking {loaded.path}: 0/{len(loaded.spec.claims)} claims")
        for result in checked:
            results.append(result)
            suite.results.append(result)
            progress.update(f"checking {loaded.path}: {len(suite.results)} claims done, last {result.claim.name}")
            if args.format == "text":
                write(claim_text(result, style), out)
        progress.clear()
    for note in loading.skipped:
        err.write(f"treaty: skipped: {note}\n")
    if args.under and loading.skipped and len(loading.skipped) == len(loading.files) - loading.spec_errors:
        err.write(f"treaty: no spec declares the interpretation `{args.under}`\n")
        return EXIT_SPEC_ERROR
    seconds = time.monotonic() - started
    if args.format == "json":
        write(document(results, seconds, loading.diagnostics), out)
    elif args.format in ("sarif", "junit"):
        write(_machine_report(args.format, "check", list(suites.values()), results, loading, seconds), out)
    else:
        write(summary_text(results, seconds, loading.spec_errors, style), out)
    return exit_code(results, bool(loading.spec_errors or loading.missing))


def exit_code(results: list[Result], spec_errors: bool) -> int:
    """The exit code of `check` and `compare`, worst first: internal error, spec errors, a verdict
    not as expected, unknown, all as expected."""
    from solver.results import is_ok

    if any(r.verdict == "error" for r in results):
        return EXIT_INTERNAL
    if spec_errors:
        return EXIT_SPEC_ERROR
    if any(not is_ok(r) and r.verdict in ("holds", "fails") for r in results):
        return EXIT_DIFFERS
    if any(r.verdict == "unknown" for r in results):
        return EXIT_UNKNOWN
    return EXIT_OK


def _checked_specs(
    loading: _Loading, timeout: float, jobs: int | None, under: str | None = None, certify: bool = False
) -> Iterator[tuple[LoadedSpec, Iterator[Result]]]:
    """Each spec (and reading) with its claims' results, in order; in worker processes unless `jobs` is 1."""
    specs = loading.specs(readings=True, under=under)
    if jobs == 1:
        from solver.verify import check_spec

        for loaded in specs:
            yield loaded, check_spec(loaded.spec, timeout, certify)
        return
    from solver.parallel import check_parallel, default_jobs

    yield from check_parallel(list(specs), timeout, default_jobs() if jobs == 0 else jobs, certify)


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
    if args.under is not None:
        from treaty_dsl.checker import compose, reading_names

        args.under = compose(reading_names(args.under)) or args.under
    try:
        loaded = load_spec(args.spec, reading=args.under)
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
    result = Verifier(loaded.spec, args.timeout, args.certify).check_claim(claim, args.under)
    if args.format == "json":
        write(document([result], time.monotonic() - started, []), out)
    else:
        write(claim_text(result, Style(use_color(out))), out)
    return {"holds": EXIT_OK, "fails": EXIT_DIFFERS, "unknown": EXIT_UNKNOWN}.get(result.verdict, EXIT_INTERNAL)


def _lint(args: argparse.Namespace, loading: _Loading, out: TextIO, err: TextIO) -> int:
    import json

    from solver.junit import SpecReport
    from solver.lint import INCONCLUSIVE, lint
    from solver.lint_sources import source_findings
    from solver.progress import Progress, is_terminal
    from solver.render import write

    started = time.monotonic()
    findings: list[Finding] = []
    loading.echo = loading.echo or args.output is not None
    if loading.nothing_found:
        return EXIT_SPEC_ERROR
    progress = Progress(err, is_terminal(err) and not (args.format == "text" and is_terminal(out)))
    reports: list[SpecReport] = []
    for loaded in loading.specs():
        progress.update(f"linting {loaded.path}")
        found = lint(loaded.spec, args.timeout) + source_findings(loaded, record=args.record_digests, read=loading.read)
        progress.clear()
        findings.extend(found)
        reports.append(SpecReport(loaded.path, loaded.spec.title, findings=list(found)))
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
    inconclusive = sum(1 for f in findings if f.code == INCONCLUSIVE)
    if args.format == "json":
        summary = {"findings": len(findings), "errors": errors, "warnings": len(findings) - errors, "inconclusive": inconclusive}
        doc = {
            "version": 1,
            "findings": [f.to_json() for f in findings],
            "diagnostics": loading.diagnostics,
            "summary": {**summary, "seconds": round(seconds, 3)},
        }
        write(json.dumps(doc, indent=2, ensure_ascii=False), out)
    elif args.format in ("sarif", "junit"):
        write(_machine_report(args.format, "lint", reports, findings, loading, seconds), out)
    else:
        unknown = f" ({inconclusive} checks inconclusive: limits reached)" if inconclusive else ""
        write(f"lint: {errors} errors, {len(findings) - errors} warnings{unknown} in {seconds:.2f}s", out)
    return lint_exit_code(findings, bool(loading.spec_errors or loading.missing))


def lint_exit_code(findings: Sequence[Finding], spec_errors: bool) -> int:
    """As for `check`, worst first: internal error, spec errors, findings, a check that was
    unknown (then lint cannot say that nothing is wrong), nothing found."""
    from solver.lint import INCONCLUSIVE, INTERNAL

    if any(f.code == INTERNAL for f in findings):
        return EXIT_INTERNAL
    if spec_errors:
        return EXIT_SPEC_ERROR
    if any(f.code != INCONCLUSIVE for f in findings):
        return EXIT_DIFFERS
    return EXIT_UNKNOWN if findings else EXIT_OK


def _machine_report(fmt: str, command: str, reports: list[SpecReport], items: Sequence[Any], loading: _Loading, seconds: float) -> str:
    """The SARIF or JUnit XML report of `check` (items: results) or `lint` (items: findings)."""
    if fmt == "sarif":
        from solver import sarif

        log = sarif.check_log if command == "check" else sarif.lint_log
        return sarif.dumps(log(items, loading.diagnostics, seconds))
    from solver import junit

    failed = [junit.SpecReport(path, errors=text) for path, text in loading.failed]
    return (junit.check_report if command == "check" else junit.lint_report)(reports + failed, seconds)


def entry() -> None:
    _occupy_closed_standard_streams()
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C outside a command (main handles it inside one)
        sys.stderr.write("treaty: interrupted\n")
        code = 130
    if sys.stdout is not None:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            # The report could not be delivered (main has said so): what is left in the buffer
            # goes nowhere, instead of failing again as the interpreter exits.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            code = code or EXIT_SPEC_ERROR
    sys.exit(code)


def _occupy_closed_standard_streams() -> None:
    """A closed descriptor 0, 1 or 2 would be taken by the next file opened (a spec, the report):
    /dev/null takes it instead. Python has already set `sys.stdout` (or stdin, stderr) to None."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)


if __name__ == "__main__":
    entry()
