"""The source text of an instrument (`instrument NAT "..." source "sources/nat.txt"`): its verbatim
and its paraphrased parts, where each article starts, quotes looked up in it, digests of articles.

A source file is plain UTF-8 text:

- a header: lines `source: ...` (where the text was taken from) and `title: ...` (what it is and
  its status: VERBATIM, PARTIAL, PARAPHRASE), up to the first blank line;
- the text. Words in square brackets (`[...]`, possibly over several lines) are editorial: notes,
  paraphrases, the marks of an omission. A line `----- PARAPHRASE ... -----` starts a part that is
  paraphrased, not the instrument's wording; it runs to the next `-----` line or to the end. Neither
  is ever matched by a quote.
- An article starts at a heading line and runs to the next heading or `-----` line: `Article 5`,
  `ARTICLE V`, `Art. 5`, `Статья 4.`, `Section 2`, `SEC. 1250A. ...`, `§ 1541. ...` (at most 90
  characters, optionally in brackets for a heading the editor added). A citation's article (its
  first `article` or `section` locator, roman numerals read as numbers) is looked up among the
  headings; without a heading for it, the whole text stands in.

Quotes and text are compared after folding typography (curly quotes and apostrophes to straight
ones, dashes to `-`) and without their white space (a copy may print `(i)on` or `title , whichever`).
In a quote, `...` (or `…`) stands for omitted words: the pieces around it must occur in this order.

This module reads files; it never imports the solver.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from treaty_dsl.files import Refused, read_regular
from treaty_dsl.parser import MAX_SOURCE_BYTES

# Marks the boundary of an editorial or paraphrased passage in the verbatim text, so that a quote
# never runs across one.
GAP = "\u0000"

_HEADING = re.compile(r"^\[?\s*(Article|ARTICLE|Art\.|Статья|Section|SECTION|Sec\.|SEC\.|§)\s*([0-9]+[A-Za-z]*|[IVXLCDM]+)\b")
_SECTION_WORDS = {"section", "sec.", "§"}
_RULE = re.compile(r"^\s*-{3,}.*-{3,}\s*$")
_MAX_HEADING = 90
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2026": "...",
    }
)
WHOLE = ("*", "")  # the key of the whole text, for a locator the source has no heading for


class SourceFileError(Exception):
    """The file cannot be read as a source text."""


@dataclass
class Segment:
    key: tuple[str, str]  # ("article", "5"), ("section", "1250A"); WHOLE for text before the first heading
    verbatim: list[str] = field(default_factory=list)  # normalized pieces between editorial passages
    other: list[str] = field(default_factory=list)  # normalized editorial and paraphrased passages
    raw: list[str] = field(default_factory=list)  # the lines, for the digest


@dataclass(frozen=True)
class SourceText:
    path: Path
    header: dict[str, str]
    segments: tuple[Segment, ...]

    def verbatim(self, key: tuple[str, str] = WHOLE) -> str:
        parts = [p for s in self.segments if key == WHOLE or s.key == key for p in s.verbatim]
        return GAP.join(parts)

    def other(self) -> str:
        return GAP.join(p for s in self.segments for p in s.other)

    def has(self, key: tuple[str, str]) -> bool:
        return any(s.key == key for s in self.segments)

    def text_of(self, key: tuple[str, str]) -> str:
        """The normalized text of an article (all its segments), or of the whole file."""
        lines = [line for s in self.segments if key == WHOLE or s.key == key for line in s.raw]
        return normalize("\n".join(lines))

    def digest(self, key: tuple[str, str]) -> str:
        return hashlib.sha256(self.text_of(key).encode("utf-8")).hexdigest()[:16]


def normalize(text: str) -> str:
    """Typography folded, white space collapsed: the form quotes and texts are compared in."""
    return " ".join(text.translate(_TYPOGRAPHY).split())


def roman_value(text: str) -> int | None:
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def locator_key(kind: str, value: str) -> tuple[str, str]:
    """`article V` and `Article 5` are the same article: roman numerals become numbers."""
    kind = "section" if kind.lower() in _SECTION_WORDS else kind.lower()
    if kind == "art.":
        kind = "article"
    roman = roman_value(value)
    return (kind, str(roman) if roman is not None else value.upper())


def heading_key(line: str) -> tuple[str, str] | None:
    stripped = line.strip()
    if len(stripped) > _MAX_HEADING:
        return None
    m = _HEADING.match(stripped)
    if m is None:
        return None
    word = m.group(1).lower()
    kind = "section" if word in _SECTION_WORDS else "article"
    return locator_key(kind, m.group(2))


def parse_source(text: str, path: Path) -> SourceText:
    lines = text.replace("\r\n", "\n").split("\n")
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        name, sep, value = lines[i].partition(":")
        if not sep or name.strip().lower() not in ("source", "title"):
            raise SourceFileError(f"line {i + 1}: the header has only `source: ...` and `title: ...` lines, then a blank line")
        header[name.strip().lower()] = value.strip()
        i += 1
    if "source" not in header or "title" not in header:
        raise SourceFileError("the header needs a `source:` line and a `title:` line (with the text's status)")
    segments = [Segment(WHOLE)]
    paraphrase = False
    depth = 0  # square brackets open
    verbatim: list[str] = []  # the current verbatim piece
    other: list[str] = []

    def close_piece() -> None:
        piece = normalize("".join(verbatim))
        if piece:
            segments[-1].verbatim.append(piece)
        verbatim.clear()

    def close_other() -> None:
        piece = normalize("".join(other))
        if piece:
            segments[-1].other.append(piece)
        other.clear()

    for line in lines[i + 1 :]:
        key = heading_key(line) if depth == 0 else None
        if key is not None:
            close_piece()
            close_other()
            segments.append(Segment(key))
        if _RULE.match(line) and depth == 0:
            # A part of its own: what follows a `-----` line is not the preceding article's text.
            close_piece()
            close_other()
            segments.append(Segment(WHOLE, raw=[line]))
            paraphrase = "PARAPHRASE" in line.upper()
            continue
        segments[-1].raw.append(line)
        if paraphrase:
            other.append(line + "\n")
            continue
        for ch in line + "\n":
            if ch == "[":
                if depth == 0:
                    close_piece()
                depth += 1
            elif ch == "]" and depth > 0:
                depth -= 1
                if depth == 0:
                    close_other()
            elif depth > 0:
                other.append(ch)
            else:
                verbatim.append(ch)
    close_piece()
    close_other()
    return SourceText(path, header, tuple(s for s in segments if s.raw or s.key != WHOLE))


def read_source(path: Path) -> SourceText:
    try:
        data = read_regular(path, MAX_SOURCE_BYTES)
    except Refused as exc:
        raise SourceFileError(f"it {exc.reason}") from None
    except OSError as exc:
        raise SourceFileError(f"cannot read it: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceFileError("it is not UTF-8 text") from None
    return parse_source(text, path)


def pieces(quote: str) -> list[str]:
    """The words of a quote between its ellipses, normalized."""
    return [p for p in (normalize(x) for x in normalize(quote).split("...")) if p]


def occurs(quote: str, text: str) -> bool:
    """Whether the quote's pieces occur in `text` in this order (never across a GAP within a piece).

    White space is ignored altogether, so that `(i) on` matches a copy that prints `(i)on`.
    """
    parts = [p.replace(" ", "") for p in pieces(quote)]
    if not parts:
        return False
    text = text.replace(" ", "")
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


# ---- recorded digests ----

DIGESTS_FILE = "digests.txt"


def read_digests(folder: Path) -> dict[tuple[str, str, str], str]:
    """`digests.txt` beside the source files: `FILE KIND NUMBER DIGEST` per line (`FILE * - DIGEST` for a whole file)."""
    path = folder / DIGESTS_FILE
    out: dict[tuple[str, str, str], str] = {}
    try:
        text = read_regular(path, MAX_SOURCE_BYTES).decode("utf-8")
    except (OSError, Refused, UnicodeDecodeError):
        return out
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and not line.startswith("#"):
            out[(parts[0], parts[1], parts[2])] = parts[3]
    return out


def write_digests(folder: Path, digests: dict[tuple[str, str, str], str]) -> None:
    lines = [
        "# Digests of the cited articles of the source texts in this folder (`treaty lint --record-digests`).",
        "# A citation whose article's text no longer has its recorded digest is reported by `treaty lint` (L012).",
    ]
    lines += [f"{f} {k} {n} {d}" for (f, k, n), d in sorted(digests.items())]
    (folder / DIGESTS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def digest_entry(source: SourceText, key: tuple[str, str]) -> tuple[tuple[str, str, str], str]:
    """The digests.txt entry of an article (or of the whole text when the source has no heading for it)."""
    used = key if key != WHOLE and source.has(key) else WHOLE
    return (source.path.name, used[0], used[1] or "-"), source.digest(used)
