"""`treaty compare`: every claim under every reading of a spec, side by side.

A row is a claim; a column is a reading (the spec's own text, then each interpretation). A row
whose verdicts differ between readings is marked: that is where the choice of reading decides
the answer. Each cell also says whether the verdict is the one the spec expects under that reading.

Readings compose (`a+b`: both at once). For each claim, compare also finds the *flips*: the
minimal sets of readings whose composition gives the claim another verdict than the spec as
written (minimal by inclusion: no smaller set among them flips it). Sets are tried by size, up to
`--compose N` readings (default 3); a set that contains a flip already found is not tried, and a
set whose readings declare the same thing does not compose and is reported as such.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import TextIO

from solver.results import Result, is_ok

OWN_READING = "as written"
DEFAULT_COMPOSE = 3


@dataclass
class Row:
    claim: str
    file: str
    line: int
    cells: dict[str, Result] = field(default_factory=dict)  # reading -> result
    combinations: dict[str, Result] = field(default_factory=dict)  # composed reading (a+b) -> result

    def result_under(self, names: tuple[str, ...]) -> Result | None:
        if len(names) == 1:
            return self.cells.get(names[0])
        return self.combinations.get("+".join(names))

    def flips(self) -> list[tuple[str, ...]]:
        """The minimal sets of readings under which the verdict is not the one as written."""
        base = self.cells.get(OWN_READING)
        if base is None or base.verdict not in ("holds", "fails"):
            return []
        found: list[tuple[str, ...]] = []
        candidates = [(name,) for name in self.cells if name != OWN_READING] + [tuple(k.split("+")) for k in self.combinations]
        for names in sorted(candidates, key=lambda n: (len(n), n)):
            if any(set(f) <= set(names) for f in found):
                continue
            result = self.result_under(names)
            if result is not None and result.verdict in ("holds", "fails") and result.verdict != base.verdict:
                found.append(names)
        return found

    def undecided(self) -> list[tuple[str, ...]]:
        """The sets of readings tried whose verdict is unknown (or an error): a flip may hide there."""
        out = [(n,) for n, r in self.cells.items() if n != OWN_READING and r.verdict not in ("holds", "fails")]
        return out + [tuple(k.split("+")) for k, r in self.combinations.items() if r.verdict not in ("holds", "fails")]

    def differs(self) -> bool:
        verdicts = {r.verdict for r in self.cells.values() if r.verdict in ("holds", "fails")}
        return len(verdicts) > 1


@dataclass
class Table:
    spec: str
    title: str
    readings: list[str]
    texts: dict[str, str]
    rows: list[Row]
    compose: int = DEFAULT_COMPOSE  # the largest set of readings composed
    not_composable: dict[str, str] = field(default_factory=dict)  # composed reading -> why not


def build(
    paths: list[str], timeout: float, loading_err: TextIO, fmt: str, compose: int = DEFAULT_COMPOSE
) -> tuple[list[Table], int, list[dict[str, object]]]:
    """The tables of every spec named, the number of specs with errors, and their diagnostics."""
    from solver.cli import _Loading
    from solver.verify import check_spec
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.loader import load_spec

    loading = _Loading(paths, fmt, loading_err)
    tables: list[Table] = []
    for base in loading.specs(all_claims=True):
        readings: list[str | None] = [None, *base.interpretations]
        rows: dict[str, Row] = {}
        table = Table(base.path, base.spec.title, [OWN_READING, *base.interpretations], dict(base.spec.interpretations), [], compose)
        for reading in readings:
            try:
                loaded = base if reading is None else load_spec(base.path, reading=reading, all_claims=True)
            except SpecError as exc:
                loading.spec_errors += 1
                loading.diagnostics.extend(d.to_json() for d in exc.diagnostics)
                if fmt == "text":
                    loading_err.write(exc.render() + "\n")
                continue
            for result in check_spec(loaded.spec, timeout):
                c = result.claim
                row = rows.setdefault(c.name, Row(c.name, c.file, c.line))
                row.cells[reading or OWN_READING] = result
        _compositions(base.path, base.interpretations, compose, timeout, rows, table)
        table.rows = list(rows.values())
        tables.append(table)
    return tables, loading.spec_errors + len(loading.missing) + (1 if loading.nothing_found else 0), loading.diagnostics


def _compositions(path: str, names: list[str], compose: int, timeout: float, rows: dict[str, Row], table: Table) -> None:
    """Every claim under the sets of 2 to `compose` readings that could still be a minimal flip of
    some claim (a set containing a flip of every claim is not tried)."""
    from solver.verify import check_spec
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.loader import load_spec

    for size in range(2, min(compose, len(names)) + 1):
        for combo in itertools.combinations(names, size):
            key = "+".join(combo)
            # Worth checking only if, for some claim, no flip found so far is part of this set.
            relevant = [row for row in rows.values() if OWN_READING in row.cells]
            if all(any(set(f) <= set(combo) for f in row.flips()) for row in relevant):
                continue
            try:
                loaded = load_spec(path, reading=key, all_claims=True)
            except SpecError as exc:
                table.not_composable[key] = "; ".join(d.message for d in exc.diagnostics)
                continue
            for result in check_spec(loaded.spec, timeout):
                row = rows.get(result.claim.name)
                if row is not None:
                    row.combinations[key] = result


def cell_text(result: Result | None) -> str:
    if result is None:
        return "-"
    mark = ""
    if result.claim.expected is not None:
        mark = " ✓" if is_ok(result) else " ✗"
    return f"{result.verdict}{mark}"


def render_text(tables: list[Table]) -> str:
    lines: list[str] = []
    for t in tables:
        lines.append(f"{t.spec}: {t.title}")
        for name, text in t.texts.items():
            lines.append(f"  reading {name}: {text}")
        header = ["claim", *t.readings, ""]
        body = [[r.claim, *(cell_text(r.cells.get(x)) for x in t.readings), "<- readings differ" if r.differs() else ""] for r in t.rows]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
        for row in [header, *body]:
            lines.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        differing = sum(1 for r in t.rows if r.differs())
        lines.append(f"  {len(t.rows)} claims, {differing} decided differently by the readings")
        lines.append("  (✓ / ✗: the verdict is / is not the one the spec expects under that reading)")
        lines.extend(_flip_lines(t))
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def _flip_lines(t: Table) -> list[str]:
    lines: list[str] = []
    width = max((len(r.claim) for r in t.rows), default=0)
    for r in t.rows:
        flips, undecided = r.flips(), r.undecided()
        base = r.cells.get(OWN_READING)
        if base is None or not (flips or undecided):
            continue
        other = "fails" if base.verdict == "holds" else "holds"
        text = "; ".join("{" + ", ".join(f) + "}" for f in flips)
        line = f"    {r.claim.ljust(width)}  {base.verdict} as written, {other} under {text}" if flips else f"    {r.claim.ljust(width)}  "
        if undecided:
            line += ("; " if flips else "") + "undecided under " + "; ".join("{" + ", ".join(u) + "}" for u in undecided)
        lines.append(line)
    if lines:
        lines.insert(0, f"  what flips the verdict (minimal sets of readings, composed, up to {t.compose} at once):")
    else:
        lines.append(f"  no set of up to {t.compose} readings changes any verdict of the spec as written")
    for key, why in t.not_composable.items():
        lines.append(f"  {key.replace('+', ' + ')}: not composable ({why})")
    return lines


def to_json(tables: list[Table], seconds: float, diagnostics: list[dict[str, object]]) -> str:
    doc = {
        "version": 1,
        "specs": [
            {
                "spec": t.spec,
                "title": t.title,
                "readings": t.readings,
                "interpretations": t.texts,
                "compose": t.compose,
                "not_composable": t.not_composable,
                "claims": [
                    {
                        "claim": r.claim,
                        "file": r.file,
                        "line": r.line,
                        "differs": r.differs(),
                        "verdicts": {reading: {"verdict": res.verdict, "expected": res.claim.expected} for reading, res in r.cells.items()},
                        "combinations": {key: res.verdict for key, res in r.combinations.items()},
                        "flips": [list(f) for f in r.flips()],
                        "undecided": [list(u) for u in r.undecided()],
                    }
                    for r in t.rows
                ],
            }
            for t in tables
        ],
        "diagnostics": diagnostics,
        "seconds": round(seconds, 3),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def run_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from solver.cli import exit_code
    from solver.render import write

    started = time.monotonic()
    tables, errors, diagnostics = build(args.paths, args.timeout, err, args.format, args.compose)
    if args.format == "json":
        write(to_json(tables, time.monotonic() - started, diagnostics), out)
    else:
        write(render_text(tables), out)
    results = [res for t in tables for r in t.rows for res in [*r.cells.values(), *r.combinations.values()]]
    return exit_code(results, bool(errors))
