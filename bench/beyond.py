"""The `beyond` section of `python -m bench`: what the questions beyond a verdict cost.

- certify: `treaty check SPEC -j 1` with and without `--certify` (cold start included), and the
  time cvc5 itself took (summed over the claims, from the JSON report);
- options: `treaty options` on the examples of the README;
- repair: `treaty repair` on failing claims of the shipped specs;
- compare: `treaty compare` with single readings only (`--compose 1`) and with compositions.
"""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.run import Bench

CERTIFY_SPECS = ["specs/us_law.treaty", "specs/brussels.treaty", "specs/nato.treaty", "specs/vclt.treaty", "specs/un_charter.treaty"]
OPTIONS = [
    ("specs/nato.treaty", "US", ["art5_case(EE) and party(US) at attack_day"]),
    (
        "specs/brussels.treaty",
        "FR",
        ["attacked_in_europe(BE) and bound(FR, attack_day) and bound(BE, attack_day) and not security_council_has_acted"],
    ),
    ("specs/us_law.treaty", "President", ["not withdrawal_authorized"]),
    ("specs/us_law.treaty", "President", ["senate_advice_and_consent"]),
]
REPAIRS = [
    ("specs/us_law.treaty", "statute_prevents_withdrawal"),
    ("specs/us_law.treaty", "congress_cannot_compel_force"),
    ("specs/us_law.treaty", "every_effective_withdrawal_is_lawful_at_home"),
    ("specs/brussels.treaty", "armed_force_obliged_even_if_impossible"),
    ("specs/nato.treaty", "armed_force_obliged_after_invocation"),
]
COMPARE = ["specs/us_law.treaty", "specs/nato.treaty"]


def run_beyond(bench: Bench) -> None:
    from bench.run import cell, median, repeat_runs, status_of, table

    data: dict[str, list[dict[str, Any]]] = {"certify": [], "options": [], "repair": [], "compare": []}
    rows: list[list[Any]] = []
    for spec in CERTIFY_SPECS:
        plain_runs = repeat_runs([*bench.treaty, "check", spec, "-j", "1"], bench.cap, bench.repeat, parse_json=False)
        cert_runs = repeat_runs([*bench.treaty, "check", spec, "-j", "1", "--certify"], bench.cap * 3, bench.repeat, parse_json=False)
        plain = median([r.seconds for r in plain_runs if r.status == "ok"])
        certified = median([r.seconds for r in cert_runs if r.status == "ok"])
        cvc5, claims, agree = _cvc5_seconds(bench, spec)
        ratio = certified / plain if plain and certified else None
        rows.append([spec, cell(plain_runs, plain), cell(cert_runs, certified), cvc5, f"{agree}/{claims}", ratio])
        record = {"spec": spec, "check_s": plain, "certify_s": certified, "cvc5_s": cvc5, "claims": claims, "agree": agree}
        data["certify"].append({**record, "status": status_of(cert_runs)})
    headers = ["spec", "check", "--certify", "cvc5 alone", "agree", "ratio"]
    bench.say(table("--certify: check with and without cvc5 (median wall time, s; -j 1)", headers, rows))
    rows = []
    for spec, actor, given in OPTIONS:
        args = [a for g in given for a in ("--given", g)]
        runs = repeat_runs([*bench.treaty, "options", spec, actor, *args], bench.cap, bench.repeat, parse_json=False)
        seconds = median([r.seconds for r in runs if r.status == "ok"])
        label = f"options {spec} {actor} --given '{' and '.join(given)}'"
        rows.append([label, cell(runs, seconds), runs[-1].code])
        data["options"].append({"what": label, "median_s": seconds, "exit": runs[-1].code, "status": status_of(runs)})
    for spec, claim in REPAIRS:
        runs = repeat_runs([*bench.treaty, "repair", spec, claim], bench.cap, bench.repeat, parse_json=False)
        seconds = median([r.seconds for r in runs if r.status == "ok"])
        label = f"repair {spec} {claim}"
        rows.append([label, cell(runs, seconds), runs[-1].code])
        data["repair"].append({"what": label, "median_s": seconds, "exit": runs[-1].code, "status": status_of(runs)})
    for spec in COMPARE:
        for compose in ("1", "3"):
            runs = repeat_runs([*bench.treaty, "compare", spec, "--compose", compose], bench.cap * 3, bench.repeat, parse_json=False)
            seconds = median([r.seconds for r in runs if r.status == "ok"])
            label = f"compare {spec} --compose {compose}"
            rows.append([label, cell(runs, seconds), runs[-1].code])
            data["compare"].append({"what": label, "median_s": seconds, "exit": runs[-1].code, "status": status_of(runs)})
    bench.say(table("options, repair, compare (median wall time, s; cold start included)", ["command", "seconds", "exit"], rows))
    bench.results["beyond"] = data


def _cvc5_seconds(bench: Bench, spec: str) -> tuple[float | None, int, int]:
    """cvc5's own time summed over the claims of one certified check, the claims, and how many it agreed on."""
    try:
        cmd = [*bench.treaty, "check", spec, "-j", "1", "--certify", "--format", "json"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=bench.cap * 3)
        doc = json.loads(proc.stdout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return None, 0, 0
    claims = doc.get("claims", [])
    seconds = sum(c["second_solver"]["seconds"] for c in claims if c.get("second_solver"))
    agree = sum(1 for c in claims if c.get("second_solver", {}).get("status") == "agrees")
    return round(seconds, 3), len(claims), agree
