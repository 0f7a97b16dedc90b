"""Spec files to a checked `Spec`: reading, `use` of other files inside the spec root, checking."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from treaty_dsl import ast
from treaty_dsl.checker import check
from treaty_dsl.diagnostics import SpecError, error
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
    """The text of a spec file. Only a regular file is read, and only when it is within the size
    limit: a device can be endless (`/dev/zero`) and a named pipe can block a reader forever."""
    where = Span(name, 0, 0, 0, 0)
    try:
        # Without O_NONBLOCK, opening a named pipe waits for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise SpecError([error("E0020", "is a directory, not a spec file", where)]) from None
    except OSError as exc:
        raise SpecError([error("E0020", f"cannot read file: {exc.strerror or exc}", where)]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError([error("E0020", "is a directory, not a spec file", where)])
        kind = not_regular(info.st_mode)
        if kind is not None:
            raise SpecError([error("E0020", f"is {kind}, not a regular file: only regular files are read as specs", where)])
        if info.st_size > MAX_SOURCE_BYTES:
            message = f"file is too large ({info.st_size} bytes; the limit is {MAX_SOURCE_BYTES})"
            raise SpecError([error("E0010", message, Span(name, 1, 1, 1, 1))])
        data = _read_at_most(fd, MAX_SOURCE_BYTES + 1)  # one byte more: a file that grew is still too large
    except OSError as exc:
        raise SpecError([error("E0020", f"cannot read file: {exc.strerror or exc}", where)]) from None
    finally:
        os.close(fd)
    return SourceFile(name, decode_source(data, name))


_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def not_regular(mode: int) -> str | None:
    """What a file that is not a regular file (nor a directory) is, in words; None for a regular file."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "not a regular file"


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


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
                    kind = _kind_of(real_target)
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


def _kind_of(path: Path) -> str | None:
    """`not_regular` of the file at `path`; None when there is none (or it is a folder)."""
    try:
        return not_regular(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None


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
