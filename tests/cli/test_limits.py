"""Limits and safety: time and memory limits end in `unknown`, Ctrl-C ends cleanly, `use` stays inside
the spec root (symlinks included), a spec executes nothing, and nothing is written unless asked for.

The memory and Ctrl-C tests run the installed `treaty` script in a subprocess: the memory limit is
a process-wide Z3 setting, and a signal is best sent to a process of its own.
"""

from __future__ import annotations

import ast
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from solver.results import Unknown
from solver.verify import Verifier
from treaty_dsl import ir
from treaty_dsl.diagnostics import SpecError
from treaty_dsl.loader import load_spec

REPO = Path(__file__).resolve().parents[2]

# Claims no solver can settle quickly: the cube equation over a million values per variable
# (nonlinear integer arithmetic) and 13 pigeons in 12 holes (bounded integers).
HOGS = """\
domain Pigeon = {p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13}
input hole(p: Pigeon): 1..12 by nature
input a: 1..1000000 by nature
input b: 1..1000000 by nature
input c: 1..1000000 by nature
claim easy: a >= 1 expect holds
claim cubes: a * a * a + b * b * b != c * c * c expect holds
claim pigeonhole: some p, q in Pigeon where p != q: hole(p) = hole(q) expect holds
"""


def pigeonhole_bool(pigeons: int) -> str:
    """The pigeonhole principle over true/false facts; Z3's memory grows steadily while it searches."""
    ps = ", ".join(f"p{i}" for i in range(pigeons))
    hs = ", ".join(f"h{i}" for i in range(pigeons - 1))
    return (
        f"domain Pigeon = {{{ps}}}\ndomain Hole = {{{hs}}}\ninput sits(p: Pigeon, h: Hole) by nature\n"
        "claim pigeonhole: (every p in Pigeon: some h in Hole: sits(p, h)) implies "
        "(some h in Hole, p, q in Pigeon where p != q: sits(p, h) and sits(q, h)) expect holds\n"
        "claim after_easy: every p in Pigeon: sits(p, h0) or not sits(p, h0) expect holds\n"
        "claim after_fails: every p in Pigeon: sits(p, h0) expect fails\n"
    )


def run_treaty(
    treaty_bin: Path, cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(treaty_bin), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or {**os.environ, "NO_COLOR": "1"},
    )


# ---- time and memory ----


@pytest.mark.parametrize("claim", ["cubes", "pigeonhole"])
def test_a_claim_built_to_exhaust_the_solver_is_unknown_within_its_time_limit(claim: str, tmp_path: Path) -> None:
    (tmp_path / "hogs.treaty").write_text(HOGS)
    spec = load_spec(tmp_path / "hogs.treaty").spec
    limit = 1.5
    verifier = Verifier(spec, limit)
    assert verifier.check_claim(spec.claims[0]).verdict == "holds"  # the easy one
    started = time.monotonic()
    result = verifier.check_claim(next(c for c in spec.claims if c.name == claim))
    wall = time.monotonic() - started
    assert isinstance(result, Unknown), result
    assert result.reason == f"time limit of {limit:g} s reached"
    assert wall < limit + 1.0, wall


def test_the_time_limit_through_the_command_line(tmp_path: Path, treaty_bin: Path) -> None:
    (tmp_path / "hogs.treaty").write_text(HOGS)
    started = time.monotonic()
    proc = run_treaty(treaty_bin, tmp_path, "check", "hogs.treaty", "--timeout", "2")
    wall = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.count("reason: time limit of 2 s reached") == 2
    assert "summary: 3 claims, 1 as expected, 2 unknown" in proc.stdout
    # two claims of 2 s each, plus start-up (and the spec's consistency check, at most one limit more)
    assert wall < 3 * 2 + 5, wall


def test_the_memory_limit_ends_a_claim_in_unknown_and_the_next_claims_still_run(tmp_path: Path, treaty_bin: Path) -> None:
    (tmp_path / "php.treaty").write_text(pigeonhole_bool(30))
    started = time.monotonic()
    proc = run_treaty(treaty_bin, tmp_path, "check", "php.treaty", "--memory", "32", "--timeout", "60", "--format", "json")
    wall = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    import json

    claims = {c["name"]: c for c in json.loads(proc.stdout)["claims"]}
    assert claims["pigeonhole"]["verdict"] == "unknown"
    assert claims["pigeonhole"]["reason"] == "memory limit reached"
    # the memory the first claim held does not count against the next ones
    assert (claims["after_easy"]["verdict"], claims["after_fails"]["verdict"]) == ("holds", "fails")
    assert wall < 40, wall  # well before the time limit


# ---- the limits cover the Python side: structure analysis, grounding, replay ----


def deep_some(values: int, where: str = "norm") -> str:
    """A 4-deep `some` over a domain of `values` values (values**4 instances of its body), in a
    norm's content (read by the structure analysis of a deontic query) or in an assumption."""
    domain = ", ".join(f"v{i}" for i in range(values))
    text = f'instrument T "T"\ndomain P = {{{domain}}}\ndomain Actor = {{A}}\ninput x(a: P, b: P, c: P, d: P) by A\n'
    if where == "norm":
        text += 'obligation n cite T article 1 quote "q" bearer A to some a, b, c, d in P: x(a, b, c, d)\n'
        text += "claim deep: permitted(A, x(v0, v0, v0, v0)) expect holds\n"
    else:
        text += "assume deep: some a, b, c, d in P: x(a, b, c, d)\n"
        text += "claim deep: x(v0, v0, v0, v0) or not x(v0, v0, v0, v0) expect holds\n"
    text += "input y by nature\nclaim easy_after: x(v1, v0, v0, v0) or not x(v1, v0, v0, v0) expect holds\n"
    return text + "claim fails_after: y expect fails\n"


def test_the_time_limit_covers_the_structure_analysis(tmp_path: Path) -> None:
    """Regression: the analysis of which acts a norm reads (`Structure.reads`, `constraints_of`,
    `act_groups`) ran outside the time limit: 16 values and a 1 s limit took 26 s and 800 MB."""
    (tmp_path / "deep.treaty").write_text(deep_some(16))
    spec = load_spec(tmp_path / "deep.treaty").spec
    verifier = Verifier(spec, 1.0)
    started = time.monotonic()
    result = verifier.check_claim(spec.claims[0])
    wall = time.monotonic() - started
    assert isinstance(result, Unknown), result
    assert result.reason == "time limit of 1 s reached while encoding the claim"
    assert wall < 1.0 + 10, wall  # (a generous bound: 1.2 s measured, 26 s before)
    # The claims after it are checked afresh (nothing half-built is left behind) and get their verdicts.
    assert [verifier.check_claim(c).verdict for c in spec.claims[1:]] == ["holds", "fails"]
    # A counterexample found in time is explained within a limit of its own: here, showing the norms
    # that read the act it turns on needs the same analysis, which does not fit in it.
    x_fails = ir.Claim("x_fails", None, spec.claims[0].body.body, "fails", spec.claims[0].span)  # type: ignore[attr-defined]
    result = verifier.check_claim(x_fails)
    assert isinstance(result, Unknown), result
    assert result.reason == "time limit of 1 s reached while explaining the counterexample (found and replayed)"


def test_the_time_limit_covers_the_spec_s_assumptions(tmp_path: Path) -> None:
    (tmp_path / "deep.treaty").write_text(deep_some(16, where="assumption"))
    spec = load_spec(tmp_path / "deep.treaty").spec
    started = time.monotonic()
    results = [Verifier(spec, 1.0).check_claim(c) for c in spec.claims[:1]]
    assert time.monotonic() - started < 1.0 + 10
    assert [(r.verdict, getattr(r, "reason", "")) for r in results] == [
        ("unknown", "time limit of 1 s reached while encoding the spec's assumptions")
    ]


def limit_address_space() -> None:
    """A guard for the tests below: if the limits stopped working, the run ends in MemoryError
    (and a wrong reason) instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def run_measured(treaty_bin: Path, cwd: Path, *args: str) -> tuple[int, str, str, int]:
    """`treaty ARGS`: exit code, stdout, stderr and the peak memory of the process in bytes."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [str(treaty_bin), *args], cwd=cwd, stdout=out, stderr=err, env={**os.environ, "NO_COLOR": "1"}, preexec_fn=limit_address_space
        )
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            proc.returncode = 0  # reaped above
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), err.read(), usage.ru_maxrss * 1024


def test_the_issue_s_example_stays_within_time_and_memory(tmp_path: Path, treaty_bin: Path) -> None:
    """25 values, a 4-deep `some` in a norm, `--timeout 2`: it ran 59 s and reached 5.5 GB."""
    import json

    (tmp_path / "deep.treaty").write_text(deep_some(25))
    started = time.monotonic()
    code, out, err, peak = run_measured(treaty_bin, tmp_path, "check", "deep.treaty", "--timeout", "2", "--format", "json", "-j", "1")
    wall = time.monotonic() - started
    assert code == 3, err
    claims = {c["name"]: c for c in json.loads(out)["claims"]}
    assert claims["deep"]["reason"] == "time limit of 2 s reached while encoding the claim"
    assert (claims["easy_after"]["verdict"], claims["fails_after"]["verdict"]) == ("holds", "fails")
    assert peak < 1 << 30, peak  # (180 MB measured)
    assert wall < 3 * 2 + 20, wall


def test_the_memory_limit_covers_the_structure_analysis(tmp_path: Path, treaty_bin: Path) -> None:
    import json

    (tmp_path / "deep.treaty").write_text(deep_some(25))
    args = ("check", "deep.treaty", "--timeout", "120", "--memory", "64", "--format", "json", "-j", "1")
    code, out, err, peak = run_measured(treaty_bin, tmp_path, *args)
    assert code == 3, err
    claims = {c["name"]: c for c in json.loads(out)["claims"]}
    assert claims["deep"]["reason"] == "memory limit reached while encoding the claim"
    assert (claims["easy_after"]["verdict"], claims["fails_after"]["verdict"]) == ("holds", "fails")
    assert peak < (64 << 20) + (400 << 20), peak  # the start-up, 64 MB more, and slack (150 MB measured)


def test_lint_grounds_norms_within_the_time_limit(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    (tmp_path / "deep.treaty").write_text(deep_some(16))
    run = cli("lint", str(tmp_path / "deep.treaty"), "--timeout", "1", "--format", "json")
    assert run.code == 3, run.err
    findings = json.loads(run.out)["findings"]
    assert {(f["code"], f["message"]) for f in findings} == {
        ("L005", "could not decide whether A can always comply: time limit of 1 s reached while encoding the claim"),
        ("L005", "could not decide whether claim `deep` holds only vacuously: time limit of 1 s reached while encoding the claim"),
    }


@pytest.mark.parametrize("value", ["0", "-5", "31", "abc", str(1 << 31)])
def test_memory_option_is_checked(value: str, cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        cli("check", "nothing.treaty", "--memory", value)
    assert info.value.code == 2


@pytest.mark.parametrize("value", ["31536000", "4294968", "inf", "nan", "0", "-1"])
def test_the_timeout_message_says_what_the_bound_is(value: str, cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    # Regression: one year (31536000 s) was refused as "not a positive number". The bound comes
    # from Z3, whose time limit is a 32-bit count of milliseconds: 4294967 whole seconds.
    with pytest.raises(SystemExit) as info:
        cli("check", "nothing.treaty", "--timeout", value)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--timeout must be a positive number of seconds, at most 4294967 (about 49 days)" in err
    assert "32-bit" in err


def test_the_longest_timeout_is_accepted_and_reaches_the_solver(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, fresh_spec) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.treaty").write_text(fresh_spec())
    run = cli("check", "small.treaty", "--timeout", "4294967", "-j", "1")
    assert run.code == 0, run.err + run.out


def test_a_solver_time_limit_past_32_bits_is_clamped_not_wrapped() -> None:
    # Z3 wraps its millisecond limit around: 2**32 + 1 ms would be a limit of 1 ms.
    from solver import z3env
    from solver.limits import MAX_TIMEOUT_MS

    class Recorder:
        value = 0

        def set(self, name: str, value: int) -> None:
            assert name == "timeout"
            self.value = value

    solver = Recorder()
    for asked, given in [(2**32 + 1, MAX_TIMEOUT_MS), (MAX_TIMEOUT_MS, MAX_TIMEOUT_MS), (0.2, 1), (1500.7, 1500)]:
        z3env.set_timeout(solver, asked)  # type: ignore[arg-type]
        assert solver.value == given
    assert MAX_TIMEOUT_MS == 2**32 - 1


# ---- Ctrl-C ----


def test_ctrl_c_during_a_long_check_exits_with_130(tmp_path: Path, treaty_bin: Path) -> None:
    (tmp_path / "hogs.treaty").write_text(HOGS.replace("claim easy", "claim easy_later"))
    proc = subprocess.Popen(
        [str(treaty_bin), "check", "hogs.treaty", "--timeout", "60"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    time.sleep(2.5)  # start-up, then into the first long claim
    assert proc.poll() is None
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("treaty did not stop within 20 s of Ctrl-C")
    assert time.monotonic() - sent < 5
    assert proc.returncode == 130, (out, err)
    assert err == "treaty: interrupted\n"
    assert "summary" not in out


def test_ctrl_c_in_the_solver_is_not_taken_for_a_time_out(tmp_path: Path) -> None:
    """Z3 swallows SIGINT (it cancels the check); the verifier must turn it back into KeyboardInterrupt."""
    (tmp_path / "hogs.treaty").write_text(HOGS)
    spec = load_spec(tmp_path / "hogs.treaty").spec
    verifier = Verifier(spec, 30)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            verifier.check_claim(next(c for c in spec.claims if c.name == "cubes"))
    finally:
        timer.cancel()
    assert time.monotonic() - started < 5


# ---- `use` stays inside the spec root ----

SECRET = 'secret "this text must never be read"\n'  # a syntax error if it were parsed


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "root").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "vocab.treaty").write_text(SECRET)
    (tmp_path / "outside" / "sub").mkdir()
    (tmp_path / "root" / "inside.treaty").write_text("domain P = {x}\n")
    return tmp_path / "root"


def code_of(path: Path) -> str:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert "never be read" not in info.value.render()
    return info.value.diagnostics[0].code


@pytest.mark.parametrize(
    "setup, target",
    [
        (lambda r: (r / "dir").symlink_to(r.parent / "outside"), "dir/vocab.treaty"),  # a folder link
        (lambda r: (r / "dir").symlink_to(r.parent / "outside" / "sub"), "dir/../vocab.treaty"),  # `..` after a link
        (
            lambda r: ((r / "b.treaty").symlink_to(r.parent / "outside" / "vocab.treaty"), (r / "a.treaty").symlink_to(r / "b.treaty")),
            "a.treaty",
        ),
        (lambda r: None, "/etc/passwd"),
        (lambda r: None, "../outside/vocab.treaty"),
        (lambda r: None, "inside.treaty/../../outside/vocab.treaty"),
    ],
    ids=["folder-link", "dotdot-after-link", "link-chain", "absolute", "dotdot", "through-a-file"],
)
def test_use_cannot_leave_the_root(setup, target: str, root: Path) -> None:  # type: ignore[no-untyped-def]
    setup(root)
    (root / "main.treaty").write_text(f'use "{target}"\n')
    assert code_of(root / "main.treaty") == "E0021"


def test_links_that_stay_inside_the_root_are_followed(root: Path) -> None:
    (root / "sub").mkdir()
    (root / "sub" / "alias.treaty").symlink_to(root / "inside.treaty")
    (root / "main.treaty").write_text('use "sub/alias.treaty"\nclaim c: some p in P: true expect holds\n')
    assert [c.name for c in load_spec(root / "main.treaty").spec.claims] == ["c"]


def test_use_with_a_name_too_long_for_the_system_is_a_diagnostic(root: Path) -> None:
    # Regression: Path.is_file() raised OSError (ENAMETOOLONG) out of the loader.
    (root / "main.treaty").write_text('use "' + "x" * 5000 + '"\n')
    assert code_of(root / "main.treaty") == "E0022"


def test_a_link_outside_through_the_command_line(root: Path, treaty_bin: Path) -> None:
    (root / "dir").symlink_to(root.parent / "outside")
    (root / "main.treaty").write_text('use "dir/vocab.treaty"\nclaim c: true expect holds\n')
    proc = run_treaty(treaty_bin, root, "check", "main.treaty")
    assert proc.returncode == 2
    assert proc.stderr.startswith('main.treaty:1:1: error[E0021]: `use "dir/vocab.treaty"` leads outside the spec root')
    assert "never be read" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_a_path_too_long_for_the_system_on_the_command_line(tmp_path: Path, treaty_bin: Path) -> None:
    # Regression: Path.exists() raised OSError (ENAMETOOLONG) out of `treaty check`.
    for command in ("check", "lint"):
        proc = run_treaty(treaty_bin, tmp_path, command, "x" * 5000)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.startswith("treaty: no such file or folder: xxx")


# ---- a spec executes nothing ----

PYTHONISH = [
    '__import__("os").system("touch PWNED")\n',
    'import os\nos.system("touch PWNED")\n',
    "eval(\"open('PWNED', 'w')\")\n",
    "claim c: $(touch PWNED) expect holds\n",
    "claim c: `touch PWNED` expect holds\n",
    "claim c: {{ open('PWNED', 'w') }} expect holds\n",
    'use "PWNED; touch PWNED"\n',
]


@pytest.mark.parametrize("text", PYTHONISH, ids=range(len(PYTHONISH)))
def test_code_in_a_spec_is_just_a_syntax_error(text: str, tmp_path: Path, treaty_bin: Path) -> None:
    (tmp_path / "code.treaty").write_text(text)
    proc = run_treaty(treaty_bin, tmp_path, "check", "code.treaty")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert any(f"error[{code}]" in proc.stderr for code in ("E0001", "E0002", "E0022"))
    assert not (tmp_path / "PWNED").exists()
    proc = run_treaty(treaty_bin, tmp_path, "prove", "code.treaty", "__import__('os').system('touch PWNED')")
    assert proc.returncode == 2 and not (tmp_path / "PWNED").exists()


def test_code_in_quotations_is_only_text(tmp_path: Path, treaty_bin: Path) -> None:
    payload = "$(touch PWNED) `touch PWNED` __import__('os').system('touch PWNED') {{7*7}} %s %(x)s"
    (tmp_path / "quoted.treaty").write_text(
        f'instrument T "{payload}"\ndomain P = {{a}}\ninput act(p: P) by p\n'
        f'obligation o(p: P) cite T article 1 quote "{payload}" bearer p to act(p)\n'
        f'claim c "{payload}": every p in P: obliged(p, act(p)) expect holds\n'
    )
    proc = run_treaty(treaty_bin, tmp_path, "check", "quoted.treaty")
    assert proc.returncode == 0, proc.stderr
    assert payload in proc.stdout and "49" not in proc.stdout
    assert not (tmp_path / "PWNED").exists()


# Dynamic code execution and process spawning, as names the front end and the solver never use.
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {"subprocess", "pickle", "marshal", "shelve", "ctypes", "runpy", "code", "pty"}
FORBIDDEN_OS = {"system", "popen", "spawnv", "spawnvp", "execv", "execvp", "execve", "fork"}


def test_the_tool_has_no_way_to_run_code_from_a_spec() -> None:
    found: list[str] = []
    for py in sorted([*REPO.glob("treaty_dsl/**/*.py"), *REPO.glob("solver/**/*.py")]):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            where = f"{py.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                found.append(f"{where} {node.func.id}()")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found.extend(f"{where} import {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES)
            elif (
                isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" and node.attr in FORBIDDEN_OS
            ):
                found.append(f"{where} os.{node.attr}")
    assert found == []


# ---- nothing is written unless an output file is asked for ----


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file and folder below `root`: its size and a hash of its contents (folders: -1)."""
    out: dict[str, tuple[int, str]] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_dir() and not p.is_symlink():
            out[rel] = (-1, "")
        else:
            data = p.read_bytes()
            out[rel] = (len(data), hashlib.sha256(data).hexdigest())
    return out


def test_nothing_is_written_unless_an_output_file_is_asked_for(tmp_path: Path, treaty_bin: Path, fixtures_dir: Path) -> None:
    home, work, tmp = tmp_path / "home", tmp_path / "work", tmp_path / "tmp"
    for d in (home, work, tmp, work / "specs"):
        d.mkdir()
    shutil.copy(REPO / "specs" / "brussels.treaty", work / "specs")
    shutil.copytree(REPO / "specs" / "common", work / "specs" / "common")
    shutil.copy(fixtures_dir / "small.treaty", work / "specs")
    shutil.copy(fixtures_dir / "conflict.treaty", work / "specs")
    (work / "specs" / "broken.treaty").write_text("claim c: nope expect holds\n")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "TREATY_"))},
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "NO_COLOR": "1",
    }
    before = snapshot(tmp_path)
    runs = [
        ("check", "specs"),
        ("check", "specs", "--format", "json"),
        ("check", "specs", "-j", "2"),
        ("check", "specs/small.treaty", "--format", "sarif"),
        ("prove", "specs/brussels.treaty", "not obliged(DE, takes(DE, armed_force, FR))"),
        ("lint", "specs"),
        ("--help",),
        ("--version",),
    ]
    for args in runs:
        proc = run_treaty(treaty_bin, work, *args, env=env)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
        assert proc.returncode in (0, 1, 2), (args, proc.returncode, proc.stderr)
    assert snapshot(tmp_path) == before
    # --output writes that one file and nothing else
    proc = run_treaty(treaty_bin, work, "check", "specs/brussels.treaty", "--format", "json", "--output", "report.json", env=env)
    assert proc.returncode == 0, proc.stderr
    after = snapshot(tmp_path)
    assert set(after) - set(before) == {"work/report.json"}
    assert {k: v for k, v in after.items() if k != "work/report.json"} == before
