"""A one-line progress indicator on standard error, for runs whose report is not shown as it comes."""

from __future__ import annotations

import shutil
from typing import TextIO


def is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Progress:
    """Rewrites one line of `stream` in place (carriage return and spaces, no escape codes).

    Disabled, it writes nothing at all: the CLI enables it only when standard error is a terminal
    and the report itself is not being printed to that terminal claim by claim.
    """

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self._shown = 0  # width of the line now on screen

    def update(self, text: str) -> None:
        if not self.enabled:
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        line = text if len(text) <= width else text[: width - 3] + "..."
        self.stream.write("\r" + line.ljust(self._shown))
        self.stream.flush()
        self._shown = len(line)

    def clear(self) -> None:
        """Removes the line, so that what is written next starts on a clean line."""
        if not self.enabled or not self._shown:
            return
        self.stream.write("\r" + " " * self._shown + "\r")
        self.stream.flush()
        self._shown = 0
