"""Malformed, huge and deeply nested input ends in a diagnostic (or a result), never in a traceback or a hang.

Every case goes through the CLI in-process (`solver.cli.main`) and through the loader; a couple go
through the installed `treaty` console script to prove that nothing escapes to the user.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from treaty_dsl.diagnostics import SpecError
from treaty_dsl.loader import load_spec
from treaty_dsl.parser import MAX_NESTING, MAX_SOURCE_BYTES

N = 100_000
PRE = b"claim c: "
POST = b" expect holds\n"

# name -> (file contents, code, line, column); column None: not asserted
DIAGNOSED: dict[str, tuple[bytes, str, int, int | None]] = {
    "binary": (bytes(range(256)) * 64, "E0011", 1, 1),
    "binary-without-nul": (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 16, "E0012", 1, 1),
    "utf-16": ('spec "x"\nclaim c: true expect holds\n'.encode("utf-16"), "E0011", 1, 1),
    "invalid-utf8": (b'spec "x"\nclaim c: tr\xffue expect holds\n', "E0012", 2, 12),
    "nul-byte": (b'spec "x"\nclaim c: true\x00 expect holds\n', "E0011", 2, None),
    "too-large": (b"#" * (MAX_SOURCE_BYTES + 1), "E0010", 1, 1),
    "nested-parentheses": (PRE + b"(" * N + b"true" + b")" * N + POST, "E0013", 1, 9 + MAX_NESTING + 1),
    "chained-not": (PRE + b"not " * N + b"true" + POST, "E0013", 1, 9 + 4 * MAX_NESTING + 1),
    "chained-minus": (PRE + b"- " * N + b"1 = 1" + POST, "E0013", 1, 9 + 2 * MAX_NESTING + 1),
    "unterminated-string": (b'spec "x"\ninstrument T "Treaty of\nclaim c: true expect holds\n', "E0004", 2, 14),
    "unterminated-string-at-eof": (b'spec "no end', "E0004", 1, 6),
    "huge-number": (PRE + b"9" * 100_000 + b" > 0" + POST, "E0005", 1, 10),
    "huge-range": (b"input x: 0..99999999999999999999 by nature\n", "E0005", 1, 13),
    "long-identifier": (PRE + b"x" * 1_000_000 + POST, "E0201", 1, 10),
    "error-at-end-of-long-line": (PRE + b"true and " * 20_000 + b"nope" + POST, "E0201", 1, 10 + 9 * 20_000),
    "keyword-only": (b"claim", "E0003", 1, 6),
    "garbage": (b"}{)(*&^%$#@!", "E0002", 1, 1),
    "control-characters": (b"claim c: \x01\x02 expect holds", "E0001", 1, 10),
}


def unique() -> bytes:
    """A fresh domain-name suffix: in-process runs must not reuse a domain name (see tests/cli/test_cli.py)."""
    return uuid.uuid4().hex[:12].encode()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    (tmp_path / f"{name}.treaty").write_bytes(data)
    return f"{name}.treaty"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", list(DIAGNOSED))
def test_cli_ends_in_a_diagnostic(case: str, in_tmp: Path, cli, parse_diagnostics, deadline) -> None:  # type: ignore[no-untyped-def]
    data, code, line, col = DIAGNOSED[case]
    name = write(in_tmp, case, data)
    with deadline(20):
        run = cli("check", name)
    assert run.code == 2, run.err[:2000]
    assert "Traceback" not in run.err and "Traceback" not in run.out
    found = parse_diagnostics(run.err)
    assert found, run.err[:2000]
    file, got_line, got_col, got_code = found[0]
    assert (file, got_code, got_line) == (name, code, line)
    if col is not None:
        assert got_col == col
    assert "1 spec files with errors" in run.out


@pytest.mark.parametrize("case", list(DIAGNOSED))
def test_loader_raises_a_spec_error(case: str, in_tmp: Path, deadline) -> None:  # type: ignore[no-untyped-def]
    data, code, line, col = DIAGNOSED[case]
    name = write(in_tmp, case, data)
    with deadline(20), pytest.raises(SpecError) as info:
        load_spec(name)
    d = info.value.diagnostics[0]
    assert (d.span.file, d.code, d.span.line) == (name, code, line)
    if col is not None:
        assert d.span.column == col
    # the rendering (with its excerpt) must not fail either
    assert f"error[{code}]" in info.value.render()


def test_a_long_chain_of_sums_is_refused_without_a_traceback(in_tmp: Path, cli, parse_diagnostics, deadline) -> None:  # type: ignore[no-untyped-def]
    # `1 + 1 + ... + 1` is a left-leaning tree 100,000 deep; the parse itself takes a few seconds.
    name = write(in_tmp, "sum", PRE + b"1 + " * N + b"1 = 0" + POST.replace(b"holds", b"fails"))
    with deadline(30):
        run = cli("check", name)
    assert run.code == 2 and "Traceback" not in run.err
    assert [(f, code) for f, _, _, code in parse_diagnostics(run.err)] == [(name, "E0013")]


def test_the_same_chains_just_under_the_limit_are_fine(in_tmp: Path, cli) -> None:  # type: ignore[no-untyped-def]
    body = b"(" * 150 + b"not " * 150 + b"true" + b")" * 150
    name = write(in_tmp, "ok", b"domain Dz_%s = {a}\n" % unique() + PRE + body + POST)
    run = cli("check", name)
    assert run.code == 0, run.err


def test_excerpts_of_long_lines_are_cut(in_tmp: Path, cli) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "long", DIAGNOSED["error-at-end-of-long-line"][0])
    run = cli("check", name)
    excerpt = [line for line in run.err.splitlines() if "|" in line]
    assert excerpt and all(len(line) < 300 for line in excerpt)
    assert "nope" in excerpt[0] and excerpt[1].rstrip().endswith("^^^^")


def test_prove_with_malformed_formulas(in_tmp: Path, cli, parse_diagnostics) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "vocab", b"domain Pz = {a}\n")
    for formula, code in [
        ("(" * N + "true" + ")" * N, "E0013"),
        ("not " * N + "true", "E0013"),
        ("", "E0003"),
        ("tr\x00ue", "E0001"),
        ('"unterminated', "E0004"),
        ("9" * 1000 + " > 0", "E0005"),
        ("evry", "E0201"),
    ]:
        run = cli("prove", name, formula)
        assert run.code == 2 and "Traceback" not in run.err
        assert [(f, code_) for f, _, _, code_ in parse_diagnostics(run.err)] == [("<command line>", code)], formula[:40]


# ---- inputs that must parse fine ----


def test_empty_file(in_tmp: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # A spec without claims is legitimate (shared vocabulary is `use`d by other files), so an
    # empty file is "0 claims, all as expected": exit 0, nothing on stderr.
    for data in (b"", b"\n\n  \t\n", b"# nothing but a comment\n", b"\xef\xbb\xbf"):
        name = write(in_tmp, "empty", data)
        run = cli("check", name)
        assert (run.code, run.err) == (0, "")
        assert run.out.startswith("summary: 0 claims, 0 as expected")
    assert load_spec("empty.treaty").spec.claims == []


def test_utf8_bom_is_accepted(in_tmp: Path, cli, fresh_spec) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "bom", b"\xef\xbb\xbf" + fresh_spec().encode())
    run = cli("check", name)
    assert run.code == 0, run.err
    assert "summary: 4 claims, 4 as expected" in run.out


def test_utf8_bom_does_not_shift_columns(in_tmp: Path, cli, parse_diagnostics) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "bom", b"\xef\xbb\xbfclaim c: nope expect holds\n")
    run = cli("check", name)
    assert parse_diagnostics(run.err) == [(name, 1, 10, "E0201")]
    assert "1 | claim c: nope expect holds\n" in run.err  # no BOM in the excerpt


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_line_endings(newline: bytes, in_tmp: Path, cli, fresh_spec, parse_diagnostics) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "crlf", fresh_spec().encode().replace(b"\n", newline))
    run = cli("check", name)
    assert run.code == 0, run.err
    assert "summary: 4 claims, 4 as expected" in run.out
    assert f"{name}:15" in run.out  # claim lines are counted as in the file
    # positions in diagnostics are right, and the excerpt has no stray carriage return
    bad = fresh_spec().replace("implies invoked(v)", "implies invokd(v)").encode().replace(b"\n", newline)
    name = write(in_tmp, "crlf_bad", bad)
    run = cli("check", name)
    assert run.code == 2
    line18 = bad.split(newline)[17].decode()
    assert parse_diagnostics(run.err) == [(name, 18, line18.index("invokd") + 1, "E0201")]
    assert f"18 | {line18}\n" in run.err and "\r" not in run.err


def test_a_5_mb_spec_padded_with_comments(in_tmp: Path, cli, fresh_spec, deadline) -> None:  # type: ignore[no-untyped-def]
    pad = b"# " + b"x" * 97 + b"\n"
    data = fresh_spec().encode() + pad * (5 * 1024 * 1024 // len(pad))
    assert len(data) > 5 * 1024 * 1024
    name = write(in_tmp, "big", data)
    with deadline(30):
        run = cli("check", name)
    assert run.code == 0, run.err[:1000]
    assert "summary: 4 claims, 4 as expected" in run.out


def test_a_large_spec_padded_with_definitions(in_tmp: Path, cli, fresh_spec, deadline) -> None:  # type: ignore[no-untyped-def]
    # ~250 KB of definitions: the Lark parse dominates (about 3 s per megabyte; see the slow test).
    defs = b"".join(b"define pad_%06d = true\n" % i for i in range(10_000))
    name = write(in_tmp, "defs", fresh_spec().encode() + defs)
    with deadline(30):
        run = cli("check", name)
    assert run.code == 0, run.err[:1000]


@pytest.mark.slow
def test_a_5_mb_spec_padded_with_definitions(in_tmp: Path, cli, fresh_spec, deadline) -> None:  # type: ignore[no-untyped-def]
    defs = b"".join(b"define pad_%07d = true\n" % i for i in range(5 * 1024 * 1024 // 28))
    name = write(in_tmp, "defs5", fresh_spec().encode() + defs)
    with deadline(120):
        run = cli("check", name)
    assert run.code == 0, run.err[:1000]


def test_a_very_long_valid_line(in_tmp: Path, cli, deadline) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "line", b"domain Lz_%s = {a}\n" % unique() + PRE + b" and ".join([b"true"] * 10_000) + POST)
    with deadline(30):
        run = cli("check", name)
    assert run.code == 0, run.err[:1000]


def test_a_very_long_identifier_can_be_declared_and_used(in_tmp: Path, cli) -> None:  # type: ignore[no-untyped-def]
    ident = b"x" * 100_000
    name = write(in_tmp, "ident", b"domain Iz_%s = {a}\ndefine " % unique() + ident + b" = true\n" + PRE + ident + POST)
    run = cli("check", name)
    assert run.code == 0, run.err[:1000]


def test_largest_numbers_are_handled(in_tmp: Path, cli) -> None:  # type: ignore[no-untyped-def]
    name = write(
        in_tmp,
        "nums",
        b"domain Nz_%s = {a}\ninput x: -999999999999999..999999999999999 by nature\n" % unique()
        + b"claim c: 999999999999999 * 999999999999999 * 999999999999999 > x expect holds\n"
        + b"claim d: 1/999999999999999 > 0 expect holds\n"
        + b"claim e: x / 999999999999999 <= 1 expect holds\n",
    )
    run = cli("check", name)
    assert run.code == 0, run.err[:1000]
    assert "3 claims, 3 as expected" in run.out


def test_grounding_blowup_respects_the_timeout(tmp_path: Path, treaty_bin: Path) -> None:
    binders = ", ".join(f"x{i} in D" for i in range(1, 8))
    spec = (
        "domain D = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9}\n"
        "input f(x: D) by nature\n"
        # Under `not some`, so that the symmetry reduction of leading `every` does not apply.
        f"claim c: not (some {binders}: not (f(x1) or not f(x7) or x2 = x3)) expect holds\n"
    )
    (tmp_path / "blowup.treaty").write_text(spec)
    try:
        proc = subprocess.run(
            [str(treaty_bin), "check", "blowup.treaty", "--timeout", "0.3"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=4,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("treaty check ignored --timeout 0.3 and ran for more than 4 s")
    # 10^7 ground instances: the encoding gives up at the time limit; the claim is unknown (exit 3)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "c: unknown (expected holds)" in proc.stdout
    assert "1 unknown" in proc.stdout


# ---- bugs found here (see the report) ----


# Regression: SourceFile.line_text split lines with str.splitlines(), which also splits at \f, \v,
# \x1c-\x1e, \x85 and U+2028/2029, while the lexer counts only \n: the excerpt showed the wrong line.
@pytest.mark.parametrize("separator", ["\x0c", "\u2028"], ids=["form-feed", "line-separator"])
def test_excerpt_shows_the_line_of_the_error(separator: str, in_tmp: Path, cli) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "ff", f"# a comment with a {separator} in it\nclaim c: nope expect holds\n".encode())
    run = cli("check", name)
    assert "2 | claim c: nope expect holds" in run.err


def test_infinite_timeout_is_refused_or_works(in_tmp: Path, cli, fresh_spec) -> None:  # type: ignore[no-untyped-def]
    name = write(in_tmp, "t", fresh_spec().encode())
    try:
        run = cli("check", name, "--timeout", "inf")
    except SystemExit as exc:  # refused by argparse: fine
        assert exc.code == 2
        return
    assert run.code == 0


# ---- end to end through the installed console script ----


def run_treaty(treaty_bin: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(treaty_bin), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_console_script_binary_file(tmp_path: Path, treaty_bin: Path) -> None:
    (tmp_path / "bin.treaty").write_bytes(os.urandom(4096) + b"\x00")
    proc = run_treaty(treaty_bin, tmp_path, "check", "bin.treaty")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("bin.treaty:")
    assert "error[E0011]" in proc.stderr or "error[E0012]" in proc.stderr


def test_console_script_deep_nesting(tmp_path: Path, treaty_bin: Path) -> None:
    (tmp_path / "deep.treaty").write_bytes(PRE + b"(" * N + b"true" + b")" * N + POST)
    (tmp_path / "vocab.treaty").write_bytes(b"domain P = {a}\n")
    proc = run_treaty(treaty_bin, tmp_path, "check", "deep.treaty")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"deep.treaty:1:{9 + MAX_NESTING + 1}: error[E0013]:")
    # (one argument may not exceed 128 KiB)
    proc = run_treaty(treaty_bin, tmp_path, "prove", "vocab.treaty", "not " * 30_000 + "true")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("<command line>:1:")


def test_the_front_end_never_imports_the_solver() -> None:
    code = "import sys, treaty_dsl.loader, treaty_dsl.checker, treaty_dsl.parser; print('z3' in sys.modules, 'solver' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["False", "False"]
