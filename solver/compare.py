"""`treaty compare`: every claim under every reading of a spec, side by side.

A row is a claim; a column is a reading (the spec's own text, then each interpretation). A row
whose verdicts differ between readings is marked: that is where the choice of reading decides
the answer. Each cell also says whether the verdict is the one the spec expects under that reading.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from typing import TextIO

from solver.results import Result, is_ok

OWN_READING = "as written"


@dataclass
class Row:
    claim: str
    file: str
    line: int
    cells: dict[str, Result] = field(default_factory=dict)  # reading -> result

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


def build(paths: list[str], timeout: float, loading_err: TextIO, fmt: str) -> tuple[list[Table], int, list[dict[str, object]]]:
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
        table = Table(base.path, base.spec.title, [OWN_READING, *base.interpretations], dict(base.spec.interpretations), [])
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
        table.rows = list(rows.values())
        tables.append(table)
    return tables, loading.spec_errors + len(loading.missing) + (1 if loading.nothing_found else 0), loading.diagnostics


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
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def to_json(tables: list[Table], seconds: float, diagnostics: list[dict[str, object]]) -> str:
    doc = {
        "version": 1,
        "specs": [
            {
                "spec": t.spec,
                "title": t.title,
                "readings": t.readings,
                "interpretations": t.texts,
                "claims": [
                    {
                        "claim": r.claim,
                        "file": r.file,
                        "line": r.line,
                        "differs": r.differs(),
                        "verdicts": {reading: {"verdict": res.verdict, "expected": res.claim.expected} for reading, res in r.cells.items()},
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
    tables, errors, diagnostics = build(args.paths, args.timeout, err, args.format)
    if args.format == "json":
        write(to_json(tables, time.monotonic() - started, diagnostics), out)
    else:
        write(render_text(tables), out)
    return exit_code([res for t in tables for r in t.rows for res in r.cells.values()], bool(errors))
