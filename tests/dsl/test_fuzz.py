"""Front-end fuzzing: generated and mutated specs end in a result or a diagnostic, never in a traceback.

Every input goes through what `treaty check` does before the solver: decoding, parsing, checking
(and checking again under each interpretation the spec declares), then rendering of the
diagnostics. Only `SpecError` may escape; its diagnostics must carry a code, point inside the input
and render. An input that takes more than `SLOW_S` seconds is a failure too.

Inputs:
- *grammar-generated*: random derivations of the project's own grammar (the compiled rules of the
  parser the front end uses, so new syntax is fuzzed as soon as it is in `grammar.lark`), over the
  vocabulary of a small prelude so that many inputs reach the checker; some get token-level noise.
  Formulas are generated from the `formula` rule and checked as `treaty prove` does. A few inputs
  also come from Hypothesis's `from_lark` with its full Unicode alphabet (slow: about 15 a second).
- *mutated real specs*: specs/**/*.treaty, examples/ and tests/fixtures/ with byte flips and
  replacements, deletions, duplications, truncation, splicing of two files, line and token swaps,
  and inserted hostile chunks (deep nesting, long numbers, BOM, CR, U+2028, quotes).

The generators are seeded: `ci` (the default) runs fixed seeds; TREATY_HYPOTHESIS_PROFILE=thorough
runs 20x as many from a random base seed, printed, with `-s`, as is a summary of the outcomes. A
failure names the seed and shows the input, shrunk by deleting pieces while the same exception
type still escapes.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.lark import from_lark
from lark import Lark

from treaty_dsl import parser as parser_module
from treaty_dsl.checker import check, check_formula
from treaty_dsl.diagnostics import SpecError
from treaty_dsl.ir import Spec
from treaty_dsl.parse_tables import build, grammar_text
from treaty_dsl.parser import decode_source, parse_formula, parse_module
from treaty_dsl.span import SourceFile

PROFILE = os.environ.get("TREATY_HYPOTHESIS_PROFILE", "ci")
THOROUGH = PROFILE == "thorough"
SCALE = 20 if THOROUGH else 1
BASE_SEED = random.SystemRandom().randrange(1 << 32) if THOROUGH else 0
SLOW_S = 5.0  # per input; the largest corpus file takes about 0.05 s

REPO = Path(__file__).resolve().parents[2]
FILE = "fuzz.treaty"
CODE = re.compile(r"E\d{4}$")

PRELUDE = """\
spec "fuzz"
instrument T "A treaty"
domain D = {a, b, c}
domain E = {e1, e2}
input f(x: D) by x
input g(x: D, y: E) by nature
input n: 0..5 by nature
input m: -3..3 by a
define h(x: D) = f(x) or n > 2
obligation o(x: D)
  cite T article 1 quote "shall"
  bearer x
  when g(x, e1)
  to f(x)
"""
NAMES = ["D", "E", "a", "b", "c", "e1", "e2", "f", "g", "n", "m", "h", "o", "T", "x", "y", "z", "zz"]
RESERVED = ["obliged", "permitted", "forbidden", "active", "violated", "compliant", "bool", "int", "nature"]
NUMBERS = ["0", "1", "2", "3", "5", "10"] * 3 + ["999999999999999", "1000000000000000", "1000000000000001", "00000000000000000042"]
STRINGS = ['"x"', '""', '"a \\" quote"', '"tab\\t"', '"\\\\"', '"é ü 条约"']
DATES = ["2024-02-29", "2023-02-29", "1949-04-04", "2025-13-01", "0000-00-00", "9999-12-31"]
# For terminals defined by a regular expression: candidates, the ones that match are used.
REGEX_SAMPLES = NAMES + NUMBERS + STRINGS + DATES + ["day", "days", "year", "years", "month", "months", "week", "weeks", "P1D"]


# ---- running the front end on one input ----


class SlowInput(Exception):
    pass


@dataclass
class Outcomes:
    """What the inputs of one test came to: `ok` or the code of the first diagnostic."""

    inputs: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def reached_checker(self) -> int:
        return sum(n for code, n in self.codes.items() if code == "ok" or code.startswith(("E01", "E02", "E03", "E04", "E05")))

    def report(self, name: str) -> None:
        print(f"\n{name}: {self.inputs} inputs in {self.seconds:.1f} s (base seed {BASE_SEED}); outcomes {dict(self.codes.most_common())}")


def _validate(exc: SpecError, text: str, data: bytes | str) -> str:
    assert exc.diagnostics, "a SpecError without diagnostics"
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1  # (an undecodable file has no text)
    for d in exc.diagnostics:
        assert CODE.match(d.code), d.code
        assert 0 <= d.span.line <= lines + 1 and d.span.column >= 0, (d.code, d.span)
    exc.sources.setdefault(FILE, SourceFile(FILE, text))
    rendered = exc.render()
    assert all(f"[{d.code}]" in rendered for d in exc.diagnostics)
    json.dumps([d.to_json() for d in exc.diagnostics])
    return exc.diagnostics[0].code


def front_end(data: bytes | str) -> str:
    """Decode, parse and check one spec file (under each of its interpretations): `ok` or the first code."""
    text = data if isinstance(data, str) else ""
    try:
        if isinstance(data, bytes):
            text = decode_source(data, FILE)
        module = parse_module(text, FILE)
        spec = check([module])
        for reading in spec.interpretations:
            check([module], reading=reading)
    except SpecError as exc:
        return _validate(exc, text, data)
    return "ok"


_BASE: list[Spec] = []


def prove_front_end(formula: str) -> str:
    """Parse and check a formula in the prelude's vocabulary, as `treaty prove` does."""
    if not _BASE:
        _BASE.append(check([parse_module(PRELUDE, "prelude.treaty")]))
    try:
        check_formula(_BASE[0], parse_formula(formula, "<command line>"))
    except SpecError as exc:
        exc.sources["<command line>"] = SourceFile("<command line>", formula)
        assert exc.diagnostics and all(d.span.file in ("<command line>", "<builtin>") for d in exc.diagnostics)
        exc.render()
        return exc.diagnostics[0].code
    return "ok"


def shrink(data: bytes, fails: Callable[[bytes], bool]) -> bytes:
    """A smaller input that still fails: delete chunks, halving their size, while it does."""
    size = max(1, len(data) // 2)
    while size >= 1:
        i = 0
        while i < len(data):
            candidate = data[:i] + data[i + size :]
            if fails(candidate):
                data = candidate
            else:
                i += size
        size //= 2
    return data


def fuzz(outcomes: Outcomes, inputs: Iterator[tuple[int, bytes | str]], run: Callable[[bytes | str], str] = front_end) -> None:
    """Feed every input to `run`; on anything but a diagnostic, fail with the seed and a shrunk input."""
    started = time.monotonic()
    for seed, data in inputs:
        t0 = time.monotonic()
        try:
            code = run(data)
            if time.monotonic() - t0 > SLOW_S:
                raise SlowInput(f"{time.monotonic() - t0:.1f} s")
        except Exception as exc:
            kind = type(exc)
            raw = data.encode("utf-8") if isinstance(data, str) else data

            def same_failure(candidate: bytes, kind: type[Exception] = kind, as_text: bool = isinstance(data, str)) -> bool:
                try:
                    run(candidate.decode("utf-8", "replace") if as_text else candidate)
                except kind:
                    return True
                except Exception:
                    return False
                return False

            small = shrink(raw, same_failure) if kind is not SlowInput and len(raw) < 50_000 else raw[:2000]
            raise AssertionError(f"seed {seed}: {kind.__name__}: {exc}\nshrunk input: {small!r}") from exc
        outcomes.inputs += 1
        outcomes.codes[code] += 1
    outcomes.seconds += time.monotonic() - started


# ---- grammar-generated inputs ----


@functools.cache
def _grammar_parser() -> Lark:
    """Built from the grammar (a parser loaded from the shipped tables keeps no grammar to derive from)."""
    return build(grammar_text())


class GrammarFuzzer:
    """Random derivations of the grammar of the front end's own parser, bounded in depth."""

    def __init__(self, names: list[str]) -> None:
        lark = _grammar_parser()
        terminals, rules, _ignore = lark.grammar.compile(list(lark.options.start), ())
        self.rules: dict[str, list[list[tuple[str, bool]]]] = {}
        for rule in rules:
            expansion = [(sym.name, sym.is_term) for sym in rule.expansion]
            self.rules.setdefault(rule.origin.name, []).append(expansion)
        self.terminals: dict[str, list[str]] = {}
        for t in terminals:
            if t.pattern.type == "str":
                self.terminals[t.name] = [t.pattern.value]
            elif t.name == "NAME":
                self.terminals[t.name] = names
            else:
                pattern = re.compile(t.pattern.to_regexp())
                self.terminals[t.name] = [s for s in REGEX_SAMPLES if pattern.fullmatch(s)]
        self.height = self._heights()
        self.used: Counter[str] = Counter()
        # per rule: the expansions that can be derived, and those that end soonest
        self.options: dict[str, list[list[tuple[str, bool]]]] = {}
        self.shallow: dict[str, list[list[tuple[str, bool]]]] = {}
        for origin, expansions in self.rules.items():
            ok = [e for e in expansions if all(self.terminals.get(n) if t else n in self.height for n, t in e)]
            if not ok:
                continue
            heights = [max((self.height[n] for n, t in e if not t), default=0) for e in ok]
            self.options[origin] = ok
            self.shallow[origin] = [e for e, h in zip(ok, heights, strict=True) if h == min(heights)]

    def _heights(self) -> dict[str, int]:
        """The height of the shallowest derivation of each rule (rules that cannot end are left out)."""
        height: dict[str, int] = {}
        changed = True
        while changed:
            changed = False
            for origin, expansions in self.rules.items():
                for exp in expansions:
                    if all(self.terminals.get(n) if term else n in height for n, term in exp):
                        h = 1 + max((height[n] for n, term in exp if not term), default=0)
                        if h < height.get(origin, 1 << 30):
                            height[origin], changed = h, True
        return height

    def derive(self, rng: random.Random, start: str, budget: int) -> list[str]:
        """The tokens of one derivation; after `budget` rule expansions, only the shallowest ways out."""
        tokens: list[str] = []
        stack: list[tuple[str, bool]] = [(start, False)]
        while stack:
            name, term = stack.pop()
            if term:
                tokens.append(rng.choice(self.terminals[name]))
                continue
            self.used[name] += 1
            budget -= 1
            expansion = rng.choice(self.shallow[name] if budget <= 0 else self.options[name])
            stack.extend(reversed(expansion))
        return tokens


def join(rng: random.Random, tokens: list[str], noise: bool) -> str:
    if noise and tokens:
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
            op = rng.randrange(4)
            if op == 0:
                tokens[i], tokens[j] = tokens[j], tokens[i]
            elif op == 1:
                del tokens[i]
            elif op == 2:
                tokens.insert(i, tokens[j])
            else:
                tokens.insert(i, rng.choice(RESERVED + ["(", ")", ":", '"', "..", "-", "#", "\n", "9" * 20]))
            if not tokens:
                break
    out: list[str] = []
    for tok in tokens:
        r = rng.random()
        # no space where that cannot join two words into one (`f(x)`, `a,b`)
        glue = not (out and out[-1][-1:].isalnum() and tok[:1].isalnum()) and r < 0.5
        out.append("" if glue else "\n" if r < 0.6 else "  # note\n" if r < 0.62 else " ")
        out.append(tok)
    return "".join(out)


FUZZER = GrammarFuzzer(NAMES + RESERVED[:2])


def grammar_specs(n: int, seed0: int) -> Iterator[tuple[int, str]]:
    for k in range(n):
        seed = seed0 + k
        rng = random.Random(seed)
        tokens = FUZZER.derive(rng, "start", budget=rng.choice([20, 50, 100, 200]))
        text = join(rng, tokens, noise=rng.random() < 0.25)
        yield seed, (PRELUDE + text if rng.random() < 0.8 else text)


def grammar_formulas(n: int, seed0: int) -> Iterator[tuple[int, str]]:
    for k in range(n):
        seed = seed0 + k
        rng = random.Random(seed)
        tokens = FUZZER.derive(rng, "formula", budget=rng.choice([10, 20, 40, 80]))
        yield seed, join(rng, tokens, noise=rng.random() < 0.2)


def test_grammar_generated_specs() -> None:
    outcomes = Outcomes()
    fuzz(outcomes, grammar_specs(2000 * SCALE, BASE_SEED))
    outcomes.report("grammar-generated specs")
    # The generator must keep reaching the checker, and some inputs must pass it entirely.
    assert outcomes.reached_checker() >= outcomes.inputs // 4, outcomes.codes
    assert outcomes.codes["ok"] >= outcomes.inputs // 50, outcomes.codes
    assert len(outcomes.codes) >= 10, outcomes.codes


def test_grammar_generated_formulas() -> None:
    outcomes = Outcomes()
    fuzz(outcomes, grammar_formulas(1500 * SCALE, BASE_SEED), run=lambda text: prove_front_end(str(text)))
    outcomes.report("grammar-generated formulas")
    assert outcomes.codes["ok"] > 0, outcomes.codes
    assert outcomes.reached_checker() >= outcomes.inputs // 3, outcomes.codes


def test_the_generator_covers_the_grammar() -> None:
    """Every rule of the grammar can be derived: new syntax is fuzzed as soon as it exists."""
    rng = random.Random(BASE_SEED)
    for _ in range(1500):
        FUZZER.derive(rng, rng.choice(["start", "formula"]), budget=100)
    missing = sorted(set(FUZZER.rules) - set(FUZZER.used))
    assert not missing, f"rules never derived (a terminal without samples? see REGEX_SAMPLES): {missing}"


@settings(
    max_examples=40 * SCALE,
    derandomize=not THOROUGH,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(from_lark(_grammar_parser(), start="start"))
def test_hypothesis_from_lark_with_any_characters(text: str) -> None:
    front_end(text.encode("utf-8"))


# ---- mutated real specs ----


def corpus() -> dict[str, bytes]:
    files = [*REPO.glob("specs/**/*.treaty"), *REPO.glob("examples/**/*.treaty"), *REPO.glob("tests/fixtures/**/*.treaty")]
    return {str(p.relative_to(REPO)): _with_uses_inlined(p) for p in sorted(files)}


def _with_uses_inlined(path: Path) -> bytes:
    """The file with each `use "FILE"` line replaced by that file's text: one file, as the fuzzers read it."""
    use = re.compile(rb'^use "([^"]+)"[ \t]*$', re.M)
    return use.sub(lambda m: (path.parent / m.group(1).decode()).read_bytes(), path.read_bytes())


CORPUS = corpus()
TOKEN = re.compile(rb'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|\.\.|!=|<=|>=|\s+|.', re.S)
VOCABULARY = sorted({t for data in CORPUS.values() for t in TOKEN.findall(data) if not t.isspace()})
HOSTILE = [
    b"(" * 250,
    b"not " * 250,
    b"- " * 250,
    b"9" * 40,
    b"0" * 30 + b"1",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    "\u2028".encode(),
    b"\x0c",
    b'"',
    b"\\",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"x" * 5000,
    b"if true then ",
    b"every x in D: ",
    b"count(",
    b'use "../../../../etc/passwd"\n',
]
BYTES = b'\x00\xff\xc3\x80"#()\\\n\r\t\x0c{},:-.09=<>'


def mutate(rng: random.Random, data: bytes) -> bytes:
    n = len(data)
    op = rng.randrange(12)
    i, j = rng.randint(0, n), rng.randint(0, n)
    if op == 0 and n:  # flip a bit
        k = rng.randrange(n)
        return data[:k] + bytes([data[k] ^ (1 << rng.randrange(8))]) + data[k + 1 :]
    if op == 1 and n:  # an interesting byte
        k = rng.randrange(n)
        return data[:k] + bytes([rng.choice(BYTES)]) + data[k + 1 :]
    if op == 2:  # delete a range
        return data[:i] + data[i + rng.randint(1, 64) :]
    if op == 3:  # duplicate a range somewhere
        return data[:j] + data[i : i + rng.randint(1, 256)] + data[j:]
    if op == 4:  # truncate
        return data[:i]
    if op == 5:  # splice with another file
        other = CORPUS[rng.choice(list(CORPUS))]
        return data[:i] + other[rng.randint(0, len(other)) :]
    if op == 6:  # insert something hostile
        return data[:i] + rng.choice(HOSTILE) + data[i:]
    lines = data.split(b"\n")
    if op == 7 and len(lines) > 1:  # swap, drop or repeat lines
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        choice = rng.randrange(3)
        if choice == 0:
            lines[a], lines[b] = lines[b], lines[a]
        elif choice == 1:
            del lines[a]
        else:
            lines.insert(a, lines[b])
        return b"\n".join(lines)
    tokens = TOKEN.findall(data)
    if not tokens:
        return data
    a, b = rng.randrange(len(tokens)), rng.randrange(len(tokens))
    if op == 8:
        tokens[a], tokens[b] = tokens[b], tokens[a]
    elif op == 9:
        tokens[a] = rng.choice(VOCABULARY)
    elif op == 10:
        del tokens[a]
    else:
        tokens.insert(a, tokens[b])
    return b"".join(tokens)


def mutants(n: int, seed0: int) -> Iterator[tuple[int, bytes]]:
    names = list(CORPUS)
    for k in range(n):
        seed = seed0 + k
        rng = random.Random(seed)
        data = CORPUS[rng.choice(names)]
        for _ in range(rng.choice([1, 1, 2, 3, 5])):
            data = mutate(rng, data)
        yield seed, data


def test_mutated_real_specs() -> None:
    assert len(CORPUS) >= 5 and any(name.startswith("specs/") for name in CORPUS)
    outcomes = Outcomes()
    fuzz(outcomes, mutants(1500 * SCALE, BASE_SEED))
    outcomes.report(f"mutated real specs ({len(CORPUS)} files)")
    # Mutations must reach every stage: reading, syntax, names and types, and some leave a valid spec.
    assert {"E0001", "E0002", "E0012"} <= set(outcomes.codes), outcomes.codes
    assert outcomes.reached_checker() >= outcomes.inputs // 10, outcomes.codes
    assert outcomes.codes["ok"] > 0, outcomes.codes


def test_the_corpus_is_mostly_valid() -> None:
    """Mutations start from specs that pass the front end (else they would test little)."""
    codes = {name: front_end(data) for name, data in CORPUS.items()}
    assert [name for name, code in codes.items() if code != "ok" and name.startswith("specs/")] == []
    assert sum(code == "ok" for code in codes.values()) >= len(codes) // 2, codes


# ---- the fuzzers find planted crashes ----


def test_planted_crash_in_a_syntax_diagnostic_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    original = parser_module._syntax_diagnostic

    def planted(exc: object, text: str, file: str) -> object:
        d = original(exc, text, file)  # type: ignore[arg-type]
        if d.code == "E0004":  # an unterminated string
            raise IndexError("planted")
        return d

    monkeypatch.setattr(parser_module, "_syntax_diagnostic", planted)
    with pytest.raises(AssertionError, match="IndexError: planted") as info:
        fuzz(Outcomes(), mutants(1500, 0))
    shrunk = str(info.value).split("shrunk input: ", 1)[1]
    assert len(shrunk) < 100, shrunk  # shrinking leaves little more than the stray quote


def test_planted_crash_in_the_checker_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    def planted(*args: object) -> object:
        raise KeyError("planted")

    monkeypatch.setattr(parser_module._Builder, "ite_expr", planted)
    with pytest.raises(AssertionError, match="planted"):
        fuzz(Outcomes(), grammar_specs(2000, 0))


def test_a_slow_input_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "SLOW_S", -1.0)
    with pytest.raises(AssertionError, match="SlowInput"):
        fuzz(Outcomes(), iter([(0, PRELUDE)]))


# ---- crashes found by the fuzzers and the probes for this file (regressions) ----


def chain(n: int, last: str = "f(x)") -> str:
    """`d0(x) = d1(x) or f(x)`, `d1(x) = d2(x) or f(x)`, ... : definitions n deep."""
    defs = "".join(f"define d{i}(x: D) = d{i + 1}(x) or f(x)\n" for i in range(n))
    return f"domain D = {{a, b}}\ninput f(x: D) by nature\n{defs}define d{n}(x: D) = {last}\n"


def test_a_long_chain_of_definitions_is_a_diagnostic_not_a_recursion_error(deadline) -> None:  # type: ignore[no-untyped-def]
    # The checker's search for recursive definitions recursed once per definition: RecursionError
    # at about 1,000 (Python's default limit; the CLI raises it to 10,000); the solver's encoding,
    # which writes definitions out, failed at about 2,000 even under the CLI.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        with deadline(60):
            assert front_end(chain(1_500)) == "E0014"
            assert front_end(chain(1_500, last="d0(x)")) == "E0104"  # a cycle 1,500 long
    finally:
        sys.setrecursionlimit(limit)


def test_chains_of_definitions_within_the_limit_reach_a_verdict(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    claims = "claim holds_: every x in D: d0(x) implies f(x) expect holds\nclaim fails_: every x in D: d0(x) expect fails\n"
    (tmp_path / "deep.treaty").write_text(
        chain(250).replace("domain D ", "domain Dchain ").replace(": D", ": Dchain") + claims.replace(" D:", " Dchain:")
    )
    run = cli("check", "deep.treaty")
    assert run.code == 0, run.err[-2000:]
    assert "2 claims, 2 as expected" in run.out
    (tmp_path / "deeper.treaty").write_text(chain(400))
    run = cli("check", "deeper.treaty")
    assert run.code == 2 and "error[E0014]" in run.err and "Traceback" not in run.err


def test_an_impossible_date_in_an_instrument_is_a_diagnostic() -> None:
    # Found by the grammar fuzzer: the checker's internal _Skip escaped from `instrument ... dated`.
    text = 'instrument T "t" in O dated 2023-02-29\n'
    assert front_end(text) == "E0112"  # (the unknown order comes first)
    assert front_end('order O "o" ranks r\n' + text.replace(" O dated", " O r dated")) == "E0120"
