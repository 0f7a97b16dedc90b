"""Reading a file the tool was pointed at: only a regular file, and only within a size limit.

A device can be endless (`/dev/zero`), and opening a named pipe for reading waits for a writer: a
path given on the command line, found in a folder, named by `use` or by an instrument's `source`
can be either, directly or through a symbolic link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Refused(Exception):
    """The file is not read: `reason` says why (a sentence fragment: "is a named pipe, ...")."""

    def __init__(self, reason: str, too_large: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large


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


def kind_of(path: Path) -> str | None:
    """`not_regular` of the file at `path`; None when there is none (or it is a folder)."""
    try:
        return not_regular(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, judged by its size before reading.

    Raises `Refused` for a directory, anything else that is not a regular file, or a file too
    large; `OSError` when it cannot be opened or read.
    """
    # Without O_NONBLOCK, opening a named pipe waits for a writer (O_NOCTTY: a terminal is not adopted).
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise Refused("is a directory") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Refused("is a directory")
        kind = not_regular(info.st_mode)
        if kind is not None:
            raise Refused(f"is {kind}, not a regular file")
        if info.st_size > limit:
            raise Refused(f"is too large ({info.st_size} bytes; the limit is {limit})", too_large=True)
        return _read_at_most(fd, limit + 1)  # one byte more: a file that grew is still too large
    finally:
        os.close(fd)


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
