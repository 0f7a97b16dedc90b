"""Results to text and JSON. Pure functions of plain values; no solver here."""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from solver.results import Fails, Holds, InternalError, Result, Unknown, is_ok

JSON_VERSION = 1


def use_color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def _c(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def good(self, text: str) -> str:
        return self._c("32", text)

    def bad(self, text: str) -> str:
        return self._c("31;1", text)

    def warn(self, text: str) -> str:
        return self._c("33", text)

    def dim(self, text: str) -> str:
        return self._c("2", text)

    def bold(self, text: str) -> str:
        return self._c("1", text)


def claim_text(result: Result, style: Style) -> str:
    c = result.claim
    ok = is_ok(result)
    if isinstance(result, InternalError):
        mark = style.bad("ERROR")
    elif isinstance(result, Unknown):
        mark = style.warn("?    ")
    else:
        mark = style.good("ok   ") if ok else style.bad("FAIL ")
    under = f" [under {c.interpretation}]" if c.interpretation else ""
    expectation = f"expected {c.expected}" if c.expected is not None else "no expectation under this reading"
    head = f"{mark} {style.bold(c.name)}{under}: {result.verdict} ({expectation})  {style.dim(f'{result.seconds:.2f}s')}"
    lines = [head, f"      {style.dim(f'{c.file}:{c.line}')}" + (f"  {c.text}" if c.text else "")]
    match result:
        case Holds(core=core, checked=checked):
            if core:
                lines.append("      rests on:")
                for item in core:
                    cite = f"  {item.citation}" if item.citation else ""
                    lines.append(f"        - {item.kind} {item.name} ({item.file}:{item.line}){cite}")
            else:
                lines.append("      rests on no declaration: true by the meaning of the query alone")
            lines.append(f"      {style.dim('certified: ' + checked)}")
            if result.certificate is not None:
                lines.append(f"      {style.dim('second solver: ' + result.certificate.text())}")
        case Fails(scenario=sc, checked=checked):
            lines.append("      counterexample:")
            if sc.bindings:
                lines.append(f"        for {', '.join(sc.bindings)}")
            if sc.events:
                lines.append("        events, in date order:")
                for date, event in sc.events:
                    lines.append(f"          {date}  {event}")
            for label, value in sc.facts.items():
                lines.append(f"        {label} = {value}")
            for note in sc.notes:
                lines.append(f"        ({note})")
            for state_label, state in sc.norms.items():
                lines.append(f"        norm {state_label}: {state}")
            for state_label, state in sc.states.items():
                lines.append(f"        state {state_label}: {state}")
            for alt in sc.alternatives:
                acts = ", ".join(f"{k} = {v}" for k, v in alt.acts.items()) or "no act at all"
                lines.append(f"        {alt.query}? {alt.note}: {acts}")
            lines.append(f"      {style.dim('certified: ' + checked)}")
            if result.certificate is not None:
                lines.append(f"      {style.dim('second solver: ' + result.certificate.text())}")
        case Unknown(reason=reason) | InternalError(reason=reason):
            lines.append(f"      reason: {reason}")
    for w in result.warnings:
        lines.append(f"      {style.warn('warning')}: {w}")
    return "\n".join(lines)


def summary(results: list[Result], seconds: float) -> dict[str, object]:
    return {
        "claims": len(results),
        "ok": sum(1 for r in results if is_ok(r)),
        "failed": sum(1 for r in results if not is_ok(r) and r.verdict in ("holds", "fails")),
        "unknown": sum(1 for r in results if r.verdict == "unknown"),
        "errors": sum(1 for r in results if r.verdict == "error"),
        "seconds": round(seconds, 3),
    }


def summary_text(results: list[Result], seconds: float, spec_errors: int, style: Style) -> str:
    s = summary(results, seconds)
    parts = [f"{s['claims']} claims", f"{s['ok']} as expected"]
    if s["failed"]:
        parts.append(style.bad(f"{s['failed']} not as expected"))
    if s["unknown"]:
        parts.append(style.warn(f"{s['unknown']} unknown"))
    if s["errors"]:
        parts.append(style.bad(f"{s['errors']} internal errors"))
    if spec_errors:
        parts.append(style.bad(f"{spec_errors} spec files with errors"))
    return f"summary: {', '.join(parts)} in {seconds:.2f}s"


def result_json(result: Result) -> dict[str, object]:
    c = result.claim
    out: dict[str, object] = {
        "name": c.name,
        "file": c.file,
        "line": c.line,
        "text": c.text,
        "interpretation": c.interpretation,
        "expected": c.expected,
        "verdict": result.verdict,
        "ok": is_ok(result),
        "core": [item.to_json() for item in result.core] if isinstance(result, Holds) else [],
        "scenario": result.scenario.to_json() if isinstance(result, Fails) else None,
        "warnings": list(result.warnings),
        "seconds": round(result.seconds, 4),
    }
    if isinstance(result, Unknown | InternalError):
        out["reason"] = result.reason
    if isinstance(result, Holds | Fails):
        out["certified"] = result.checked
        if result.certificate is not None:
            out["second_solver"] = result.certificate.to_json()
    return out


def document(results: list[Result], seconds: float, diagnostics: list[dict[str, object]]) -> str:
    doc = {
        "version": JSON_VERSION,
        "claims": [result_json(r) for r in results],
        "diagnostics": diagnostics,
        "summary": summary(results, seconds),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def write(text: str, stream: TextIO = sys.stdout) -> None:
    stream.write(text)
    if not text.endswith("\n"):
        stream.write("\n")
