"""Source texts: verbatim and paraphrased parts, headings, quotes with ellipses, digests."""

from __future__ import annotations

from pathlib import Path

import pytest

from treaty_dsl.sources import WHOLE, SourceFileError, locator_key, occurs, parse_source, pieces, roman_value

TEXT = """source: https://example.org/treaty
title: A Treaty, Articles 1 and 2 VERBATIM; Article 3 PARAPHRASE

Article 1

The Parties will consult together whenever, in the opinion of any of them, the security of any of the Parties is threatened.

ARTICLE II

1. [Opening words NOT FOUND. PARAPHRASE: each Party agrees that an attack would endanger its] own peace and safety,
and each will act to meet the common danger.

----- PARAPHRASE (exact wording NOT FOUND) -----
Article 3 (PARAPHRASE, general knowledge, NOT verified): either Party may terminate the Treaty one year after notice.
"""


def test_header_is_read() -> None:
    s = parse_source(TEXT, Path("treaty.txt"))
    assert s.header["source"] == "https://example.org/treaty"
    assert "VERBATIM" in s.header["title"]


@pytest.mark.parametrize(
    "bad",
    ["title: only a title\n\ntext\n", "source: x\nsomething: y\n\ntext\n", "source: x\n\ntext\n"],
)
def test_a_header_without_source_and_title_is_refused(bad: str) -> None:
    with pytest.raises(SourceFileError):
        parse_source(bad, Path("bad.txt"))


def test_headings_roman_and_arabic_are_the_same_article() -> None:
    s = parse_source(TEXT, Path("treaty.txt"))
    assert s.has(("article", "1")) and s.has(("article", "2"))
    assert locator_key("article", "II") == ("article", "2") == locator_key("article", "2")
    assert roman_value("XIV") == 14 and roman_value("IX") == 9 and roman_value("1250A") is None
    assert locator_key("section", "1250a") == ("section", "1250A")


def test_quotes_are_found_under_their_article_only() -> None:
    s = parse_source(TEXT, Path("treaty.txt"))
    quote = "The Parties will consult together whenever, in the opinion of any of them"
    assert occurs(quote, s.verbatim(("article", "1")))
    assert not occurs(quote, s.verbatim(("article", "2")))
    assert occurs(quote, s.verbatim(WHOLE))


def test_ellipsis_white_space_and_typography() -> None:
    s = parse_source(TEXT, Path("treaty.txt"))
    art1 = s.verbatim(("article", "1"))
    assert occurs("The Parties will consult together ... the security of any of the Parties is threatened.", art1)
    assert occurs("The Parties will consult together … the security", art1)
    assert occurs("whenever, in the opinion of any   of them,\nthe security", art1)
    assert occurs("The Parties will consult together whenever, in the opinion of any of them, the security", art1)
    # the pieces must come in the source's order, and each must be there
    assert not occurs("the security ... The Parties will consult", art1)
    assert not occurs("The Parties will consult at once", art1)
    assert not occurs("...", art1) and pieces(" ... ") == []


def test_typography_folds_in_the_source_too() -> None:
    text = 'source: s\ntitle: t\n\nArticle 1\n\nThe Parties\u2019 \u201cconsultation\u201d \u2013 in good faith.\n'
    s = parse_source(text, Path("t.txt"))
    assert occurs("The Parties' \"consultation\" - in good faith.", s.verbatim(("article", "1")))


def test_paraphrase_and_editorial_parts_are_never_verbatim() -> None:
    s = parse_source(TEXT, Path("treaty.txt"))
    paraphrased = "either Party may terminate the Treaty one year after notice"
    bracketed = "each Party agrees that an attack would endanger its"
    for words in (paraphrased, bracketed):
        assert not occurs(words, s.verbatim(WHOLE))
        assert occurs(words, s.other())
    # the verbatim words after the bracket are there, but no quote runs across the bracket
    assert occurs("own peace and safety, and each will act to meet the common danger.", s.verbatim(("article", "2")))
    assert not occurs("endanger its own peace", s.verbatim(WHOLE))


def test_digest_changes_with_the_article_text_only() -> None:
    s = parse_source(TEXT, Path("treaty.txt"))
    changed = parse_source(TEXT.replace("consult together", "consult"), Path("treaty.txt"))
    assert s.digest(("article", "1")) != changed.digest(("article", "1"))
    assert s.digest(("article", "2")) == changed.digest(("article", "2"))
    assert s.digest(WHOLE) != changed.digest(WHOLE)
    # layout is not text: re-wrapping a line leaves the digest alone
    rewrapped = parse_source(TEXT.replace("whenever, in the opinion", "whenever,\nin the opinion"), Path("treaty.txt"))
    assert rewrapped.digest(("article", "1")) == s.digest(("article", "1"))


def test_a_long_line_that_starts_with_article_is_not_a_heading() -> None:
    line = "Article 5 of the Washington Treaty stipulates that in the event of attacks falling within its purview, each Ally will assist."
    text = f"source: s\ntitle: t\n\n{line}\n"
    s = parse_source(text, Path("t.txt"))
    assert not s.has(("article", "5"))


def test_instrument_source_clause_is_parsed_and_checked() -> None:
    from treaty_dsl.checker import check
    from treaty_dsl.diagnostics import SpecError
    from treaty_dsl.parser import parse_module

    text = 'order o "o"\ninstrument A "a" source "sources/a.txt"\ninstrument B "b" in o dated 2000-01-01 source "b.txt"\n'
    spec = check([parse_module(text, "s.treaty")])
    assert spec.instruments["A"].source == "sources/a.txt" and spec.instruments["B"].source == "b.txt"
    assert spec.instruments["B"].order is not None and spec.instruments["B"].dated is not None
    for bad in ('"/etc/passwd"', '""', '"sources/"'):
        with pytest.raises(SpecError) as caught:
            check([parse_module(f"instrument C \"c\" source {bad}\n", "s.treaty")])
        assert [(d.code, d.span.line, d.span.column) for d in caught.value.diagnostics] == [("E0123", 1, 18)]
