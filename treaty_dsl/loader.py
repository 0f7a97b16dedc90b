"""Spec files to a checked `Spec`: reading, `use` of other files inside the spec root, checking."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from treaty_dsl import ast
from treaty_dsl.checker import check
from treaty_dsl.diagnostics import SpecError, error
from treaty_dsl.files import Refused, kind_of, read_regular
from treaty_dsl.ir import Spec
from treaty_dsl.parser import MAX_SOURCE_BYTES, decode_source, parse_module
from treaty_dsl.span import SourceFile, Span

SPEC_SUFFIX = ".treaty"


@dataclass
class LoadedSpec:
    spec: Spec
    sources: dict[str, SourceFile]
    path: str
    reading: str | None = None  # the interpretation the spec was checked under; None: its own text
    all_claims: bool = False  # keep claims without an expectation under this reading

    @property
    def interpretations(self) -> list[str]:
        return list(self.spec.interpretations)


def display_name(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_source(path: Path, name: str) -> SourceFile:
    """The text of a spec file: a regular file within the size limit (`treaty_dsl.files`)."""
    where = Span(name, 0, 0, 0, 0)
    try:
        data = read_regular(path, MAX_SOURCE_BYTES)
    except Refused as exc:
        if exc.too_large:
            raise SpecError([error("E0010", f"file {exc.reason}", Span(name, 1, 1, 1, 1))]) from None
        if exc.reason == "is a directory":
            raise SpecError([error("E0020", "is a directory, not a spec file", where)]) from None
        raise SpecError([error("E0020", f"{exc.reason}: only regular files are read as specs", where)]) from None
    except OSError as exc:
        raise SpecError([error("E0020", f"cannot read file: {exc.strerror or exc}", where)]) from None
    return SourceFile(name, decode_source(data, name))


def load_spec(path: Path | str, root: Path | str | None = None, reading: str | None = None, all_claims: bool = False) -> LoadedSpec:
    """Parse `path` and every file it uses (transitively), then check them as one spec.

    `root` bounds what `use` may reach (default: the folder of `path`); symlinks are resolved
    before the check, so a link cannot lead outside it. `reading` names an interpretation to check
    the spec under. The spec keeps the claims with an expectation under that reading, or every
    claim with `all_claims` (for `--under` and `compare`).
    """
    top = Path(path)
    root_dir = Path(root).resolve() if root is not None else top.resolve().parent
    sources: dict[str, SourceFile] = {}
    modules: list[ast.Module] = []
    seen: set[Path] = set()

    def visit(file: Path, name: str, via: Span | None) -> None:
        real = file.resolve()
        if real in seen:
            return
        seen.add(real)
        source = read_source(file, name)
        sources[name] = source
        module = parse_module(source.text, name)
        for decl in module.decls:
            if isinstance(decl, ast.UseDecl):
                target = file.parent / decl.path
                real_target = target.resolve()
                if not real_target.is_relative_to(root_dir):
                    raise SpecError(
                        [error("E0021", f'`use "{decl.path}"` leads outside the spec root {display_name(root_dir)}', decl.span)]
                    )
                if not os.path.isfile(real_target):  # False, not OSError, for a name too long for the system
                    kind = kind_of(real_target)
                    if kind is not None:
                        raise SpecError([error("E0020", f'`use "{decl.path}"` leads to {kind}, not a spec file', decl.span)])
                    raise SpecError([error("E0022", f"no spec file `{decl.path}` next to this one", decl.span)])
                visit(target, display_name(target), decl.span)
        modules.append(module)

    try:
        visit(top, display_name(top), None)
        spec = check(modules, reading=reading)
    except SpecError as exc:
        exc.sources.update(sources)
        raise
    if not all_claims:
        spec.claims = [c for c in spec.claims if c.expected is not None]
    return LoadedSpec(spec, sources, display_name(top), reading, all_claims)


def spec_files(paths: list[str]) -> list[Path]:
    """Files named directly, and every `.treaty` file below named folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if os.path.isdir(path):
            out.extend(sorted(path.rglob(f"*{SPEC_SUFFIX}")))
        else:
            out.append(path)
    return out
