"""The benchmark runner: `python -m bench` (or `python bench/run.py`), `--help` for the options.

Every measurement runs in a fresh process under a time cap (a size that is too slow reports `timeout`
rather than hanging the run), is repeated, and is reported as the median. Beside treaty-dsl, in the
same run: the hand-written z3py encodings of bench/baselines/ and, when installed, the peer tool
Deolingo (`pip install '.[bench]'`). Prints tables and writes JSON (bench/results/latest.json).

Sections:
  startup   `treaty --version` and `treaty --help`
  e2e       `treaty check SPEC` end to end, cold start included, for every spec in specs/, the
            frozen NATO Articles 4-6 copy in bench/specs/ and the NATO and US-law specs together,
            with `-j 1` and with the default (workers), beside the baselines
  split     per spec and per claim: imports, parser build, parse, check, verifier set-up, then for each
            claim encoding, solving, core re-check and counterexample work
  scaling   the generated collective-defence treaty at 32, 193 and 1,000 parties
  horizon   the generated withdrawal clause over a growing time horizon (skipped when the language
            has no days)
  beyond    --certify (cvc5 beside Z3), options, repair and compare with compositions (bench/beyond.py)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from bench.generate import (  # noqa: E402
    COLLECTIVE_CLAIMS,
    HORIZON_CLAIMS,
    HORIZON_EXPECTED,
    collective_defence,
    time_support,
    withdrawal,
)

NATO_UNTIMED = ROOT / "bench" / "specs" / "nato_untimed.treaty"
MEMORY_LIMIT_BYTES = 8 << 30  # a runaway grounding ends in `error`, not in the machine swapping


@dataclass
class Run:
    status: str  # ok | timeout | error
    seconds: float
    records: list[dict[str, Any]] = field(default_factory=list)
    code: int | None = None
    message: str = ""


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    return env


def run_process(cmd: Sequence[str], cap: float, parse_json: bool) -> Run:
    """One run under a time cap; JSON lines on standard output are kept even when the cap ends it."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        start_new_session=True,
        preexec_fn=_limit_memory if os.name == "posix" else None,  # noqa: PLW1509
    )
    status = "ok"
    try:
        out, err = proc.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        status = "timeout"
        try:
            os.killpg(proc.pid, 9)
        except OSError:
            proc.kill()
        out, err = proc.communicate()
    seconds = time.perf_counter() - started
    records: list[dict[str, Any]] = []
    if parse_json:
        for line in out.splitlines():
            with contextlib.suppress(json.JSONDecodeError):  # a stray line from a library
                records.append(json.loads(line))
    message = ""
    if status == "ok" and parse_json and proc.returncode != 0:
        status, message = "error", (err.strip().splitlines() or ["?"])[-1][:200]
    return Run(status, seconds, records, proc.returncode, message)


def repeat_runs(cmd: Sequence[str], cap: float, repeat: int, parse_json: bool = True) -> list[Run]:
    """Up to `repeat` runs; a run that times out or fails is not repeated."""
    runs: list[Run] = []
    for _ in range(repeat):
        run = run_process(cmd, cap, parse_json)
        runs.append(run)
        if run.status != "ok":
            break
    return runs


def worker(*args: object) -> list[str]:
    return [sys.executable, "-m", "bench.worker", *map(str, args)]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def claim_medians(runs: list[Run]) -> dict[str, dict[str, Any]]:
    """Per claim name: the median of each timing over the runs, and the verdict (of the first run)."""
    out: dict[str, dict[str, Any]] = {}
    for run in runs:
        for rec in run.records:
            if rec.get("kind") != "claim":
                continue
            row = out.setdefault(
                rec["name"], {"name": rec["name"], "verdict": rec.get("verdict"), "expected": rec.get("expected"), "_": {}}
            )
            for key, value in rec.items():
                if key.endswith("_s"):
                    row["_"].setdefault(key, []).append(value)
    for row in out.values():
        for key, values in row.pop("_").items():
            row[key] = median(values)
    return out


def phase_medians(runs: list[Run]) -> dict[str, Any]:
    values: dict[str, list[float]] = {}
    extra: dict[str, Any] = {}
    for run in runs:
        for rec in run.records:
            if rec.get("kind") == "phases":
                for key, value in rec.items():
                    if key.endswith("_s"):
                        values.setdefault(key, []).append(value)
                    elif key != "kind":
                        extra[key] = value
    return {**{k: median(v) for k, v in values.items()}, **extra}


def status_of(runs: list[Run]) -> str:
    return runs[-1].status if runs else "skipped"


# ---- formatting ----


def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def table(title: str, headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers] + [[fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [f"\n## {title}", "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells[1:]:
        lines.append("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text == "-"
    return True


def cell(runs: list[Run], value: float | None) -> Any:
    """A time, or why there is none."""
    status = status_of(runs)
    if value is not None:
        return value
    return status if status != "ok" else None


# ---- sections ----


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.repeat: int = args.repeat
        self.cap: float = args.cap
        self.results: dict[str, Any] = {}
        self.lines: list[str] = []
        from bench.baselines.deolingo_programs import available

        self.deolingo_missing = None if args.no_deolingo is False else "disabled (--no-deolingo)"
        if self.deolingo_missing is None:
            self.deolingo_missing = available()
        treaty = Path(sys.executable).with_name("treaty")
        self.treaty = [str(treaty)] if treaty.exists() else [sys.executable, "-m", "solver"]

    def say(self, text: str) -> None:
        print(text, flush=True)
        self.lines.append(text)

    def specs(self) -> list[Path]:
        return sorted((ROOT / "specs").glob("*.treaty")) + [NATO_UNTIMED]

    def rel(self, path: Path) -> str:
        return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)

    # -- beyond --
    def beyond(self) -> None:
        from bench.beyond import run_beyond

        run_beyond(self)

    # -- startup --
    def startup(self) -> None:
        rows = []
        data = []
        for flag in ("--version", "--help"):
            runs = repeat_runs([*self.treaty, flag], 30, max(self.repeat, 10), parse_json=False)
            seconds = median([r.seconds for r in runs if r.status == "ok"])
            rows.append([f"treaty {flag}", seconds, runs[-1].code])
            data.append({"command": f"treaty {flag}", "median_s": seconds, "runs": len(runs), "exit": runs[-1].code})
        self.results["startup"] = data
        self.say(table("start-up (median wall time, s)", ["command", "seconds", "exit"], rows))

    # -- e2e --
    def e2e(self) -> None:
        rows: list[list[Any]] = []
        data: list[dict[str, Any]] = []
        targets = [[self.rel(spec)] for spec in self.specs()] + [["specs/nato.treaty", "specs/us_law.treaty"]]
        for paths in targets:
            for jobs in (["-j", "1"], []):  # in one process; the default (forked workers, one per CPU)
                cmd = [*self.treaty, "check", *paths, *jobs]
                runs = repeat_runs(cmd, self.cap, self.repeat, parse_json=False)
                seconds = median([r.seconds for r in runs if r.status == "ok"])
                label = " ".join(["treaty check", *paths, *jobs])
                rows.append([label, cell(runs, seconds), runs[-1].code])
                data.append({"what": label, "tool": "treaty-dsl", "median_s": seconds, "status": status_of(runs), "exit": runs[-1].code})
        baselines = [("z3py by hand: NATO Art. 4-6 claims", worker("z3-nato", self.cap), "z3py")]
        if self.deolingo_missing is None:
            baselines.append(("Deolingo: NATO Art. 4-6 claims", worker("deolingo-nato", self.cap), "deolingo"))
        for label, cmd, tool in baselines:
            runs = repeat_runs(cmd, self.cap * 3, self.repeat)
            seconds = median([r.seconds for r in runs if r.status == "ok"])
            wrong = [c["name"] for r in runs[:1] for c in r.records if c.get("kind") == "claim" and not _as_expected(c)]
            rows.append([label + (f" (verdicts differ: {', '.join(wrong)})" if wrong else ""), cell(runs, seconds), runs[-1].code])
            data.append({"what": label, "tool": tool, "median_s": seconds, "status": status_of(runs), "verdicts_differ": wrong})
        if self.deolingo_missing is not None:
            rows.append([f"Deolingo: {self.deolingo_missing}", None, None])
        self.results["e2e"] = data
        self.say(table("end to end, cold start included (median wall time, s)", ["command", "seconds", "exit"], rows))

    # -- split --
    def split(self) -> None:
        data: list[dict[str, Any]] = []
        rows: list[list[Any]] = []
        nato_claims: dict[str, dict[str, Any]] = {}
        for spec in self.specs():
            runs = repeat_runs(worker("tool", self.rel(spec), self.cap), self.cap * 2, self.repeat)
            phases = phase_medians(runs)
            claims = claim_medians(runs)
            sums = {
                k: sum((c.get(k) or 0.0) for c in claims.values())
                for k in ("encode_s", "solve_s", "recheck_s", "counterexample_s", "total_s")
            }
            rows.append(
                [
                    self.rel(spec),
                    len(claims),
                    phases.get("import_s"),
                    phases.get("parser_build_s"),
                    phases.get("parse_s"),
                    phases.get("check_s"),
                    phases.get("verifier_s"),
                    sums["encode_s"],
                    sums["solve_s"],
                    sums["recheck_s"],
                    sums["counterexample_s"],
                    sums["total_s"] if status_of(runs) == "ok" else status_of(runs),
                ]
            )
            data.append({"spec": self.rel(spec), "status": status_of(runs), "phases": phases, "claims": list(claims.values())})
            if spec == NATO_UNTIMED:
                nato_claims = claims
        self.say(
            table(
                "where the time goes, per spec (medians, s; claim columns are sums over the claims)",
                ["spec", "claims", "imports", "parser", "parse", "check", "verifier", "encode", "solve", "re-check", "cex", "claims total"],
                rows,
            )
        )
        # the NATO Articles 4-6 claims one by one, beside the baselines
        z3runs = repeat_runs(worker("z3-nato", self.cap), self.cap * 3, self.repeat)
        z3 = claim_medians(z3runs)
        deo: dict[str, dict[str, Any]] = {}
        deoruns: list[Run] = []
        if self.deolingo_missing is None:
            deoruns = repeat_runs(worker("deolingo-nato", self.cap), self.cap * 3, self.repeat)
            deo = claim_medians(deoruns)
        per_claim = []
        for name, c in nato_claims.items():
            b = z3.get(name, {})
            d = deo.get(name, {})
            ratio = c["total_s"] / b["total_s"] if b.get("total_s") else None
            per_claim.append(
                [
                    name,
                    c.get("verdict"),
                    c.get("encode_s"),
                    c.get("solve_s"),
                    c.get("recheck_s"),
                    c.get("counterexample_s"),
                    c.get("total_s"),
                    cell(z3runs, b.get("total_s")),
                    ratio,
                    cell(deoruns, d.get("total_s")) if self.deolingo_missing is None else "n/a",
                    _agree(c, b, d),
                ]
            )
        self.results["split"] = data
        self.results["nato_claims_vs_baselines"] = {
            "tool": list(nato_claims.values()),
            "z3py": list(z3.values()),
            "deolingo": list(deo.values()),
        }
        self.say(
            table(
                "NATO Articles 4-6 (bench/specs/nato_untimed.treaty), per claim (medians, s)",
                ["claim", "verdict", "encode", "solve", "re-check", "cex", "treaty-dsl", "z3py", "dsl/z3py", "deolingo", "verdicts"],
                per_claim,
            )
        )

    # -- scaling --
    def scaling(self, tmp: Path) -> None:
        rows: list[list[Any]] = []
        data: list[dict[str, Any]] = []
        for n in self.args.sizes:
            path = tmp / f"collective_{n}.treaty"
            path.write_text(collective_defence(n), encoding="utf-8")
            tool_runs = repeat_runs(worker("tool", path, self.cap), self.cap, self.repeat)
            tool = claim_medians(tool_runs)
            phases = phase_medians(tool_runs)
            z3runs = repeat_runs(worker("z3-collective", n, self.cap), self.cap, self.repeat)
            z3 = claim_medians(z3runs)
            deoruns: list[Run] = []
            deo: dict[str, dict[str, Any]] = {}
            if self.deolingo_missing is None:
                deoruns = repeat_runs(worker("deolingo-collective", n, self.cap), self.cap, self.repeat)
                deo = claim_medians(deoruns)
            load = (phases.get("parse_s") or 0.0) + (phases.get("check_s") or 0.0) if phases else None
            for claim in COLLECTIVE_CLAIMS:
                c, b, d = tool.get(claim, {}), z3.get(claim, {}), deo.get(claim, {})
                rows.append(
                    [
                        n,
                        claim,
                        load,
                        phases.get("verifier_s"),
                        cell(tool_runs, c.get("total_s")),
                        cell(z3runs, b.get("total_s")),
                        cell(deoruns, d.get("total_s")) if self.deolingo_missing is None else "n/a",
                        _agree({**c, "expected": "holds"}, b, d),
                    ]
                )
                data.append(
                    {
                        "parties": n,
                        "claim": claim,
                        "tool": {**c, "status": status_of(tool_runs), "parse_check_s": load, "verifier_s": phases.get("verifier_s")},
                        "z3py": {**b, "status": status_of(z3runs)},
                        "deolingo": {**d, "status": status_of(deoruns)} if self.deolingo_missing is None else self.deolingo_missing,
                    }
                )
        self.results["scaling"] = data
        self.say(
            table(
                f"collective-defence treaty by number of parties (medians, s; cap {self.cap:g} s per run)",
                ["parties", "claim", "parse+check", "verifier", "treaty-dsl", "z3py", "deolingo", "verdicts"],
                rows,
            )
        )

    # -- horizon --
    def horizon(self, tmp: Path) -> None:
        """TIME HORIZON SLOT: scaling with the number of days. Runs only when the language has days
        (`time_support()` looks at the grammar and loads a probe spec); otherwise reported as skipped."""
        why = time_support()
        if why is not None:
            self.results["horizon"] = {"skipped": why}
            self.say(f"\n## time horizon\nskipped: {why}")
            return
        rows: list[list[Any]] = []
        data: list[dict[str, Any]] = []
        for years in self.args.years:
            path = tmp / f"withdrawal_{years}.treaty"
            path.write_text(withdrawal(years), encoding="utf-8")
            tool_runs = repeat_runs(worker("tool", path, self.cap), self.cap, self.repeat)
            tool = claim_medians(tool_runs)
            z3runs = repeat_runs(worker("z3-horizon", years, self.cap), self.cap, self.repeat)
            z3 = claim_medians(z3runs)
            for claim, expected in zip(HORIZON_CLAIMS, HORIZON_EXPECTED, strict=True):
                c, b = tool.get(claim, {}), z3.get(claim, {})
                rows.append(
                    [
                        years,
                        claim,
                        cell(tool_runs, c.get("total_s")),
                        cell(z3runs, b.get("total_s")),
                        _agree({**c, "expected": expected}, b, {}),
                    ]
                )
                data.append(
                    {
                        "years": years,
                        "claim": claim,
                        "tool": {**c, "status": status_of(tool_runs)},
                        "z3py": {**b, "status": status_of(z3runs)},
                    }
                )
        self.results["horizon"] = data
        self.say(
            table(
                f"withdrawal clause by time horizon (medians, s; cap {self.cap:g} s per run; Deolingo has no calendar)",
                ["years", "claim", "treaty-dsl", "z3py", "verdicts"],
                rows,
            )
        )


def _as_expected(claim: dict[str, Any]) -> bool:
    expected = claim.get("expected")
    return expected is None or claim.get("verdict") == expected


def _agree(tool: dict[str, Any], z3py: dict[str, Any], deo: dict[str, Any]) -> str:
    """`ok` when every verdict that is there equals the expected one; else who differs."""
    expected = tool.get("expected")
    odd = [who for who, row in (("dsl", tool), ("z3py", z3py), ("deo", deo)) if row.get("verdict") not in (None, expected)]
    return "ok" if not odd else "differ: " + ",".join(odd)


def machine() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "z3-solver": ver("z3-solver"),
        "lark": ver("lark"),
        "deolingo": ver("deolingo"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


SECTIONS = ("startup", "e2e", "split", "scaling", "horizon", "beyond")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="one run each, 32 and 193 parties, horizons of 1 and 10 years, cap 30 s")
    p.add_argument(
        "--repeat", type=int, default=None, metavar="N", help="runs per measurement, reported as the median (default 3; --quick 1)"
    )
    p.add_argument("--cap", type=float, default=None, metavar="SECONDS", help="time cap per run (default 120; --quick 30)")
    p.add_argument("--sizes", default=None, metavar="N,N,...", help="numbers of parties (default 32,193,1000; --quick 32,193)")
    p.add_argument("--years", default=None, metavar="Y,Y,...", help="time horizons in years (default 1,10,100; --quick 1,10)")
    p.add_argument("--only", default=",".join(SECTIONS), metavar="SECTION,...", help=f"sections to run ({', '.join(SECTIONS)})")
    p.add_argument("--no-deolingo", action="store_true", help="leave out the peer tool even when it is installed")
    p.add_argument(
        "--json", default=str(ROOT / "bench" / "results" / "latest.json"), metavar="PATH", help="where to write the JSON results"
    )
    args = p.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.cap = args.cap or (30.0 if args.quick else 120.0)
    args.sizes = [int(s) for s in (args.sizes or ("32,193" if args.quick else "32,193,1000")).split(",")]
    args.years = [int(y) for y in (args.years or ("1,10" if args.quick else "1,10,100")).split(",")]
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if args.repeat < 1 or args.cap <= 0:
        p.error("--repeat and --cap must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args)
    started = time.perf_counter()
    info = machine()
    bench.say(
        f"treaty-dsl benchmarks: {args.repeat} run(s) per measurement, median; cap {args.cap:g} s per run; "
        f"commit {info['commit']}{' + uncommitted changes' if info['uncommitted_changes'] else ''}; "
        f"{info['cpus']} CPUs, load average {info['load_average']}"
    )
    if bench.deolingo_missing:
        bench.say(f"Deolingo: {bench.deolingo_missing}")
    with tempfile.TemporaryDirectory(prefix="treaty-bench-") as tmp:
        for section in SECTIONS:
            if section not in args.only:
                continue
            method = getattr(bench, section)
            if section in ("scaling", "horizon"):
                method(Path(tmp))
            else:
                method()
    info["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    doc = {
        "version": 1,
        "machine": info,
        "options": {k: getattr(args, k) for k in ("quick", "repeat", "cap", "sizes", "years", "only")},
        "seconds": time.perf_counter() - started,
        **bench.results,
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    bench.say(f"\nwrote {out} in {doc['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
