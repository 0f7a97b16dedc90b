"""One diagnostic type for every stage, rendered like a compiler's."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from treaty_dsl.span import SourceFile, Span


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Label:
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A coded message about a span. Tests assert `code` and `span`, not the prose."""

    code: str
    severity: Severity
    message: str
    span: Span
    labels: tuple[Label, ...] = ()
    suggestions: tuple[str, ...] = ()
    help: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "suggestions": list(self.suggestions),
        }


@dataclass
class SpecError(Exception):
    """Raised once per stage with every error that stage found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)

    def render(self) -> str:
        return "\n".join(render(d, self.sources) for d in self.diagnostics)

    def __str__(self) -> str:
        return "; ".join(f"{d.span}: {d.code}: {d.message}" for d in self.diagnostics)


def error(code: str, message: str, span: Span, **kwargs: object) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, **kwargs)  # type: ignore[arg-type]


def render(diag: Diagnostic, sources: dict[str, SourceFile]) -> str:
    """`file:line:col: error[CODE]: message`, the source line, a caret under the span, then help."""
    out = [f"{diag.span.file}:{diag.span.line}:{diag.span.column}: {diag.severity.value}[{diag.code}]: {diag.message}"]
    out.extend(_excerpt(diag.span, sources, ""))
    for label in diag.labels:
        out.append(f"  note: {label.message} at {label.span}")
        out.extend(_excerpt(label.span, sources, ""))
    for suggestion in diag.suggestions:
        out.append(f"  help: did you mean `{suggestion}`?")
    if diag.help:
        out.append(f"  help: {diag.help}")
    return "\n".join(out)


_MAX_SHOWN = 200


def _excerpt(span: Span, sources: dict[str, SourceFile], indent: str) -> list[str]:
    source = sources.get(span.file)
    if source is None or span.line <= 0:
        return []
    text = source.line_text(span.line).expandtabs(1)
    col = max(span.column, 1)
    start = 0
    if len(text) > _MAX_SHOWN:
        # Very long lines are cut around the caret so the excerpt stays readable.
        start = max(0, col - _MAX_SHOWN // 2)
        text = text[start : start + _MAX_SHOWN]
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    caret_col = col - start
    width = max(1, min(width, len(text) - caret_col + 1))
    gutter = f"{span.line} | "
    return [
        f"{indent}{gutter}{text}",
        f"{indent}{' ' * (len(gutter) - 2)}| {' ' * (caret_col - 1)}{'^' * width}",
    ]
