"""Where a report goes: standard output, or the `--output` file, written whole or not at all.

A report file is written to a temporary file beside it and renamed over it only once the report is
complete, so a run that is interrupted, fails to write, or is refused leaves the file as it was. A
FILE that is one of the spec files being read is refused before anything is written. A FILE that
exists and is not a regular file (`/dev/null`, a pipe) cannot be replaced by renaming: it is
written directly. Every write error, on the file or on standard output, becomes an `OutputError`
that names what could not be written.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO, cast


class OutputError(Exception):
    """The report cannot be delivered (written to its file, or to standard output)."""


def describe(exc: OSError, what: str) -> str:
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return f"{what} was closed before the report was complete (broken pipe)"
    if exc.errno == errno.EBADF:
        return f"{what} is closed"
    return f"cannot write {what}: {exc.strerror or exc}"


class Guarded(io.TextIOBase):
    """A text stream whose write errors are `OutputError`s naming `what` (None: a closed stream)."""

    def __init__(self, stream: TextIO | None, what: str) -> None:
        super().__init__()
        self._stream = stream
        self.what = what

    def _target(self) -> TextIO:
        if self._stream is None:
            raise OutputError(f"{self.what} is closed")
        return self._stream

    def write(self, text: str) -> int:
        try:
            return self._target().write(text)
        except OSError as exc:
            raise OutputError(describe(exc, self.what)) from None
        except ValueError:  # "I/O operation on closed file"
            raise OutputError(f"{self.what} is closed") from None

    def flush(self) -> None:
        if self._stream is None or self._stream.closed:  # (closed by its owner: nothing is left in it)
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(describe(exc, self.what)) from None
        except ValueError:
            raise OutputError(f"{self.what} is closed") from None

    def isatty(self) -> bool:
        try:
            return self._stream is not None and bool(self._stream.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def writable(self) -> bool:
        return True


def guarded(stream: TextIO | None, what: str) -> TextIO:
    return cast(TextIO, Guarded(stream, what))


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (through links, hard links included)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (or cannot be named): not the same
        return False


class ReportFile:
    """The file named by `--output`."""

    def __init__(self, name: str) -> None:
        self.name = name
        # Written through a symbolic link, as opening it would: the link stays, its target changes.
        self.target = os.path.realpath(name)

    def refuse_inputs(self, inputs: Iterable[str | Path]) -> None:
        """An `OutputError` if the file is one of `inputs` (the spec files read)."""
        for path in inputs:
            if same_file(self.name, path):
                raise OutputError(f"--output {self.name} is {path}, which this run reads: refusing to overwrite it")

    @contextmanager
    def writing(self) -> Iterator[TextIO]:
        """A stream for the report; the file is replaced when the block ends without an exception."""
        try:
            mode = os.stat(self.target).st_mode
        except OSError:
            mode = None  # a new file (or one that cannot be reached: creating it will say why)
        if mode is not None and stat.S_ISDIR(mode):
            raise OutputError(f"cannot write {self.name}: Is a directory")
        if mode is not None and not stat.S_ISREG(mode):
            yield from self._direct()
            return
        folder, base = os.path.split(self.target)
        try:
            fd, temporary = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder or ".")
        except OSError as exc:
            raise OutputError(f"cannot write {self.name}: {exc.strerror or exc}") from None
        stream = os.fdopen(fd, "w", encoding="utf-8")
        try:
            yield guarded(stream, self.name)
        except BaseException:
            _discard(stream, temporary)
            raise
        try:
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
            os.replace(temporary, self.target)
        except OSError as exc:
            _discard(stream, temporary)
            raise OutputError(describe(exc, self.name)) from None

    def _direct(self) -> Iterator[TextIO]:
        try:
            stream = open(self.target, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise OutputError(f"cannot write {self.name}: {exc.strerror or exc}") from None
        try:
            yield guarded(stream, self.name)
        except BaseException:
            _discard(stream, None)
            raise
        try:
            stream.close()  # flushes what is left
        except OSError as exc:
            _discard(stream, None)
            raise OutputError(describe(exc, self.name)) from None


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def _discard(stream: TextIO, temporary: str | None) -> None:
    """Closes `stream` whatever is left unwritten, and removes the temporary file."""
    with suppress(OSError, ValueError):
        stream.close()  # a failed flush leaves its data buffered: this one fails too, and closes
    if temporary is not None:
        with suppress(OSError):
            os.unlink(temporary)
