"""A small line-breaking printer (after Wadler's "prettier printer"), used by the formatter.

A document is text with possible line breaks. `Group` says: lay out what is inside on one line if it
fits in the width, else break each of its own `Line`s (nested groups decide again). `Nest` indents
the lines broken inside it. `Mark` is an invisible source position; the printer reports which marks
each output line holds, so that comments can be put back next to the code they were written by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Pos = tuple[int, int]  # (line, column) in the source


@dataclass(frozen=True, slots=True)
class Line:
    """A space (or nothing, if `soft`) when its group is flat; a line break when it is broken."""

    soft: bool = False


@dataclass(frozen=True, slots=True)
class HardLine:
    """Always a line break; a group holding one is never flat."""


@dataclass(frozen=True, slots=True)
class Nest:
    indent: int
    body: Doc


@dataclass(frozen=True, slots=True)
class Group:
    body: Doc


@dataclass(frozen=True, slots=True)
class Mark:
    pos: Pos


Doc = str | Line | HardLine | Nest | Group | Mark | list["Doc"]

LINE = Line()
SOFTLINE = Line(soft=True)
HARDLINE = HardLine()


@dataclass
class OutLine:
    indent: int
    text: str
    marks: list[Pos]


_Mode = Literal["flat", "break"]


def render(doc: Doc, width: int, indent: int = 0) -> list[OutLine]:
    """The lines of `doc` laid out in `width` columns, starting at `indent`."""
    lines = [OutLine(indent, "", [])]
    column = indent
    stack: list[tuple[int, _Mode, Doc]] = [(indent, "break", doc)]
    while stack:
        ind, mode, item = stack.pop()
        if isinstance(item, str):
            lines[-1].text += item
            column += len(item)
        elif isinstance(item, list):
            stack.extend((ind, mode, part) for part in reversed(item))
        elif isinstance(item, Mark):
            lines[-1].marks.append(item.pos)
        elif isinstance(item, Nest):
            stack.append((ind + item.indent, mode, item.body))
        elif isinstance(item, Group):
            flat = mode == "flat" or _fits(item.body, width - column, stack)
            stack.append((ind, "flat" if flat else "break", item.body))
        elif isinstance(item, Line) and mode == "flat":
            if not item.soft:
                lines[-1].text += " "
                column += 1
        else:  # a broken Line, or a HardLine
            lines[-1].text = lines[-1].text.rstrip()
            lines.append(OutLine(ind, "", []))
            column = ind
    return lines


def _fits(doc: Doc, room: int, rest: list[tuple[int, _Mode, Doc]]) -> bool:
    """Whether `doc` laid out flat, and what follows it up to the next line break, fits in `room`."""
    todo: list[tuple[_Mode, Doc]] = [("flat", doc)]
    rest_index = len(rest)
    while room >= 0:
        if not todo:
            if rest_index == 0:
                return True
            rest_index -= 1
            _, mode, item = rest[rest_index]
            todo.append((mode, item))
            continue
        mode, item = todo.pop()
        if isinstance(item, str):
            room -= len(item)
        elif isinstance(item, list):
            todo.extend((mode, part) for part in reversed(item))
        elif isinstance(item, Nest | Group):
            todo.append((mode, item.body))
        elif isinstance(item, Line):
            if mode == "break":
                return True
            room -= 0 if item.soft else 1
        elif isinstance(item, HardLine):
            return mode == "break"
    return False


def join(separator: Doc, docs: list[Doc]) -> list[Doc]:
    out: list[Doc] = []
    for i, d in enumerate(docs):
        if i:
            out.append(separator)
        out.append(d)
    return out
