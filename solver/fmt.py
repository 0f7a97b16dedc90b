"""`treaty fmt`: spec files in their canonical layout, rewritten in place or checked (`--check`, `--diff`)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_CHANGES, EXIT_SPEC_ERROR = 0, 1, 2

EPILOG = """\
examples:
  treaty fmt specs/                        rewrite every spec below specs/ in the canonical layout
  treaty fmt --check specs/                list the files fmt would change; exit 1 if there are any
  treaty fmt --diff specs/nato.treaty      show the changes as a unified diff, change nothing
  treaty fmt - < spec.treaty               format standard input to standard output

exit codes:
  0  every file is formatted (or has been rewritten)
  1  --check or --diff: some file would change
  2  a file does not parse, cannot be read or cannot be written (it is left as it is)
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fmt",
        help="format spec files in the canonical layout (comments kept)",
        description="Format spec files in the canonical layout. Comments are kept; formatting twice changes nothing.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="spec files (.treaty) or folders; - for standard input")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="change nothing; list the files that would change")
    mode.add_argument("--diff", action="store_true", help="change nothing; print what would change as a unified diff")
    p.add_argument("--line-length", type=int, default=None, metavar="N", help="the width lines are broken at (default 120)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO | None = None) -> int:
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.format import DEFAULT_WIDTH, format_text
    from treaty_dsl.loader import display_name, read_source, spec_files

    if args.line_length is None:
        args.line_length = DEFAULT_WIDTH
    if not 20 <= args.line_length <= 1000:
        err.write("treaty fmt: --line-length must be from 20 to 1000\n")
        return EXIT_SPEC_ERROR
    if "-" in args.paths:
        if len(args.paths) > 1:
            err.write("treaty fmt: - (standard input) cannot be combined with other paths\n")
            return EXIT_SPEC_ERROR
        return _stdin(args, out, err, stdin or sys.stdin)
    changed: list[str] = []
    unchanged = errors = 0
    for path in spec_files(args.paths):
        name = display_name(path)
        try:
            source = read_source(path, name)
            formatted = format_text(source.text, name, args.line_length)
        except SpecError as exc:
            err.write(exc.render() + "\n")
            errors += 1
            continue
        original = path.read_bytes().decode("utf-8", "replace")
        if formatted == original:
            unchanged += 1
            continue
        changed.append(name)
        if args.diff:
            out.writelines(difflib.unified_diff(original.splitlines(True), formatted.splitlines(True), f"{name}", f"{name} (formatted)"))
        elif args.check:
            out.write(f"would reformat {name}\n")
        else:
            try:
                _write(path, formatted)
            except OSError as exc:
                err.write(f"treaty fmt: cannot write {name}: {exc.strerror or exc}\n")
                errors += 1
    verb = "would be reformatted" if args.check or args.diff else "reformatted"
    summary = f"{_files(len(changed))} {verb}, {_files(unchanged)} already formatted"
    if errors:
        summary += f", {_files(errors)} with errors"
    err.write(summary + "\n")
    if errors:
        return EXIT_SPEC_ERROR
    return EXIT_CHANGES if changed and (args.check or args.diff) else EXIT_OK


def _stdin(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.format import format_text
    from treaty_dsl.span import SourceFile

    text = stdin.read().replace("\r\n", "\n").replace("\r", "\n")
    try:
        formatted = format_text(text, "<stdin>", args.line_length)
    except SpecError as exc:
        exc.sources.setdefault("<stdin>", SourceFile("<stdin>", text))
        err.write(exc.render() + "\n")
        return EXIT_SPEC_ERROR
    if args.check:
        return EXIT_CHANGES if formatted != text else EXIT_OK
    if args.diff:
        out.writelines(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True), "<stdin>", "<stdin> (formatted)"))
        return EXIT_CHANGES if formatted != text else EXIT_OK
    out.write(formatted)
    return EXIT_OK


def _files(n: int) -> str:
    return f"{n} file{'' if n == 1 else 's'}"


def _write(path: Path, text: str) -> None:
    """Replace the file in one step: a crash or a full disk leaves the old file, never half a new one."""
    path = path.resolve()  # a symbolic link keeps pointing at the formatted file
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fmt", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
