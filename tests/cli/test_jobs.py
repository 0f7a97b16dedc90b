"""`treaty check -j N`: the same report, in the same order, with the same exit code as `-j 1`,
counterexamples included, whether the workers are forked or spawned."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from solver.parallel import can_fork
from solver.verify import GROUP_CLAIMS, claim_groups
from treaty_dsl.loader import load_spec

SECONDS = re.compile(r"\b\d+\.\d+s\b")


def without_times(text: str) -> str:
    return SECONDS.sub("<t>", text)


def without_seconds(doc: dict) -> dict:  # type: ignore[type-arg]
    for claim in doc["claims"]:
        claim.pop("seconds")
    doc["summary"].pop("seconds")
    return doc


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    text = (fixtures_dir / "small.treaty").read_text()
    (tmp_path / "small.treaty").write_text(text)
    differs = text.replace("takes(p, armed_force, v)) expect fails", "takes(p, armed_force, v)) expect holds")
    (tmp_path / "differs.treaty").write_text(differs)
    return tmp_path


@pytest.fixture
def grouped(small: Path) -> Path:
    """A spec with more claims than one group: a failing claim in each group."""
    text = (small / "small.treaty").read_text()
    force = "every p in Party, v in Party: armed_attack(v) and invoked(v) and p != v implies obliged(p, takes(p, armed_force, v))"
    none = "no p in Party, v in Party: obliged(p, takes(p, armed_force, v))"
    extra = "".join(
        f"claim force_{i}: {force} expect fails\n" if i % 5 == 0 else f"claim no_force_{i}: {none} expect holds\n"
        for i in range(GROUP_CLAIMS + 3)
    )
    (small / "grouped.treaty").write_text(text + extra)
    return small / "grouped.treaty"


def test_text_report_is_the_same_as_with_one_job(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    one = cli("check", "small.treaty")
    two = cli("check", "small.treaty", "-j", "2")
    assert one.code == two.code == 0
    assert "counterexample:" in one.out
    assert without_times(two.out) == without_times(one.out)
    assert two.err == one.err == ""


def test_json_report_is_the_same_as_with_one_job(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    one = cli("check", "small.treaty", "differs.treaty", "--format", "json")
    two = cli("check", "small.treaty", "differs.treaty", "--format", "json", "--jobs", "2")
    assert one.code == two.code == 1  # differs.treaty: a verdict that is not as expected
    doc_one, doc_two = json.loads(one.out), json.loads(two.out)
    assert [c["name"] for c in doc_two["claims"]] == [c["name"] for c in doc_one["claims"]]
    assert without_seconds(doc_two) == without_seconds(doc_one)


def test_spec_errors_and_exit_code_with_jobs(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (small / "broken.treaty").write_text("claim c: nope expect holds\n")
    one = cli("check", "small.treaty", "broken.treaty")
    two = cli("check", "small.treaty", "broken.treaty", "-j", "2")
    assert one.code == two.code == 2
    assert without_times(two.out) == without_times(one.out)
    assert two.err == one.err and "error[E0201]" in two.err


def test_negative_jobs_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        cli("check", "x.treaty", "-j", "-1")
    assert info.value.code == 2


def test_groups_cover_the_claims_in_order(grouped: Path) -> None:
    spec = load_spec(grouped).spec
    groups = claim_groups(spec)
    assert [i for a, b in groups for i in range(a, b)] == list(range(len(spec.claims)))
    assert len(groups) == 2 and all(b - a <= GROUP_CLAIMS for a, b in groups)


def test_groups_checked_in_parallel_give_the_same_counterexamples(grouped: Path, cli) -> None:  # type: ignore[no-untyped-def]
    one = cli("check", "grouped.treaty", "small.treaty", "-j", "1")
    two = cli("check", "grouped.treaty", "small.treaty", "-j", "3")
    assert one.code == two.code == 0
    assert one.out.count("counterexample:") == 5
    assert without_times(two.out) == without_times(one.out)


def test_forked_workers_give_the_same_report(grouped: Path) -> None:
    """In a fresh process (single-threaded) the workers are forked; the report is still `-j 1`'s."""
    script = "from solver.parallel import can_fork; import sys; sys.exit(0 if can_fork() else 3)"
    if subprocess.run([sys.executable, "-c", script], check=False).returncode != 0:
        pytest.skip("workers cannot be forked here")
    runs = [
        subprocess.run(
            [sys.executable, "-m", "solver", "check", "grouped.treaty", "small.treaty", *jobs], capture_output=True, text=True, check=False
        )
        for jobs in (["-j", "1"], ["-j", "2"], [])
    ]
    assert [r.returncode for r in runs] == [0, 0, 0]
    assert without_times(runs[1].stdout) == without_times(runs[0].stdout) == without_times(runs[2].stdout)


def test_no_fork_from_a_threaded_process() -> None:
    """Forking a process with other threads (Z3 keeps a timer thread after a check) would copy
    them half-alive: workers are spawned instead."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()


def test_a_worker_that_dies_leaves_internal_errors(grouped: Path) -> None:
    """A worker killed (or crashing inside Z3) turns its claims into internal errors, not a traceback."""
    script = """
import os
from solver import parallel
from treaty_dsl.loader import load_spec
if not parallel.can_fork():
    raise SystemExit(3)
def check_unit(*args):
    os._exit(9)
check_unit.__module__ = "solver.parallel"  # pickled by reference, found in the forked worker
parallel.check_unit = check_unit
parallel.default_jobs = lambda: 2  # two workers even where this process may run on one CPU only
for loaded, results in parallel.check_parallel([load_spec("grouped.treaty")], 10, 2):
    print(sorted({(r.verdict, getattr(r, "reason", "")) for r in results}))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    if run.returncode == 3:
        pytest.skip("workers cannot be forked here")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[('error', 'the worker process checking this claim stopped unexpectedly')]"


def test_no_workers_to_be_had_checks_in_this_process(grouped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When no worker process can be started (a limit on processes), the claims are checked here."""
    from concurrent.futures import ProcessPoolExecutor

    from solver import parallel
    from solver.verify import check_spec

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refuse)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    loaded = load_spec(grouped)
    results = [(s.path, [r.verdict for r in rs]) for s, rs in parallel.check_parallel([loaded], 10, 2)]
    assert results == [(loaded.path, [r.verdict for r in check_spec(loaded.spec, 10)])]


def test_workers_are_capped_at_the_cpus_available(grouped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: `-j 1000` on 10,000 claims forked 834 workers. Never more workers than CPUs."""
    from concurrent.futures import ProcessPoolExecutor

    from solver import parallel
    from solver.verify import check_spec

    started: list[int] = []

    class Recording(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: object) -> None:
            started.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)  # type: ignore[arg-type]

        def submit(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            raise OSError(11, "no worker wanted in this test")  # then checked in this process

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    many = load_spec(grouped)
    many.spec.claims = many.spec.claims * 2
    assert len(claim_groups(many.spec)) > 2  # room for more than two workers
    expected = [[r.verdict for r in check_spec(many.spec, 10)]]
    for jobs in (1000, 3):
        assert [[r.verdict for r in rs] for _, rs in parallel.check_parallel([many], 10, jobs)] == expected
    assert started == [2, 2]


def test_one_worker_per_cpu_is_the_affinity_of_the_process() -> None:
    import os

    from solver.parallel import default_jobs

    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no CPU affinity on this platform")
    assert default_jobs() == len(os.sched_getaffinity(0))


# ---- SIGTERM and SIGHUP stop the workers, as Ctrl-C does ----

CUBES = """\
input a: 1..1000000 by nature
input b: 1..1000000 by nature
input c: 1..1000000 by nature
claim cubes: a * a * a + b * b * b != c * c * c expect holds
"""

# `treaty` with two workers whatever the CPUs, forked or spawned as asked.
RUN_TREATY = """
import sys
from solver import cli, parallel
parallel.default_jobs = lambda: 2
if sys.argv[1] == "spawn":
    parallel.can_fork = lambda: False
sys.argv[1:2] = []
cli.entry()
"""


def children_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (one that ended and waits to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def in_group(pgid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(entry))
    return out


def wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum, start", [(signal.SIGTERM, "fork"), (signal.SIGHUP, "fork"), (signal.SIGTERM, "spawn")])
def test_sigterm_and_sighup_leave_no_worker_behind(signum: int, start: str, tmp_path: Path) -> None:
    """Regression: SIGTERM to `treaty check` ended it at once and left its workers running their
    claims at full speed, then waiting for work forever. Now they are stopped, as on Ctrl-C, the
    command exits with 128 + the signal number, and no report file is left half-written."""
    if start == "fork" and subprocess.run([sys.executable, "-c", "from solver.parallel import can_fork; assert can_fork()"]).returncode:
        pytest.skip("workers cannot be forked here")
    (tmp_path / "a.treaty").write_text(CUBES)
    (tmp_path / "b.treaty").write_text(CUBES)
    (tmp_path / "report.txt").write_text("the previous report\n")
    check = ["check", "a.treaty", "b.treaty", "-j", "2", "--timeout", "120", "--output", "report.txt"]
    argv = [sys.executable, "-c", RUN_TREATY, start, *check]
    proc = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        # Both workers started and into their claims (each has used some CPU time in the solver).
        busy = wait_for(lambda: len([c for c in children_of(proc.pid) if cpu_seconds(c) > 0.5]) >= 2, 90)
        workers = [c for c in children_of(proc.pid) if cpu_seconds(c) > 0.5]
        assert busy, (children_of(proc.pid), proc.poll())
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 128 + signum, err
        assert err == {signal.SIGTERM: "treaty: terminated\n", signal.SIGHUP: "treaty: hung up\n"}[signum]
        assert "Traceback" not in err
        assert wait_for(lambda: not any(running(w) for w in workers), 60), [w for w in workers if running(w)]
        assert wait_for(lambda: not in_group(proc.pid), 60), in_group(proc.pid)
        assert (tmp_path / "report.txt").read_text() == "the previous report\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.treaty", "b.treaty", "report.txt"]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid in in_group(proc.pid):
            os.kill(pid, signal.SIGKILL)
