"""`treaty lint` on source texts: quotes found in the source (L010), no paraphrase quoted (L011),
digests of cited articles (L012), unreadable sources (L013); and the spec library's own quotes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from solver.cli import main
from solver.lint_sources import source_findings
from treaty_dsl import ast
from treaty_dsl.loader import load_spec, spec_files
from treaty_dsl.parser import parse_module

ROOT = Path(__file__).resolve().parents[2]

SOURCE = """source: https://example.org/treaty
title: A Treaty -- Articles 1 and 2 VERBATIM; Article 3 PARAPHRASE

Article 1

The Parties will consult together whenever, in the opinion of any of them, the security of any of the Parties is threatened.

Article 2

Each Party will assist the Party so attacked by such action as it deems necessary.

----- PARAPHRASE (exact wording NOT FOUND) -----
Article 3 (PARAPHRASE): either Party may terminate the Treaty one year after notice.
"""

SPEC = """instrument T "A Treaty" source "sources/t.txt"
domain Party = {{A, B}}
input consults(p: Party) by p
obligation consult(p: Party)
  cite T article {article} {kind} "{text}"
  bearer p
  to consults(p)
claim c: every p in Party: obliged(p, consults(p)) expect holds
"""


def spec_dir(tmp_path: Path, text: str, article: str = "1", kind: str = "quote") -> Path:
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "t.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "t.treaty"
    path.write_text(SPEC.format(article=article, kind=kind, text=text), encoding="utf-8")
    return path


def codes(path: Path, record: bool = False) -> list[str]:
    return [f.code for f in source_findings(load_spec(path), record=record)]


def test_a_verbatim_quote_passes_once_digests_are_recorded(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "The Parties will consult together whenever, ... the security of any of the Parties is threatened.")
    assert codes(path) == ["L012"]  # nothing recorded yet
    assert codes(path, record=True) == []
    assert (tmp_path / "sources" / "digests.txt").read_text().count("t.txt article 1 ") == 1
    assert codes(path) == []


def test_a_quote_that_is_not_in_the_source(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "The Parties will consult together at once.")
    found = source_findings(load_spec(path), record=True)
    assert [f.code for f in found] == ["L010"]
    assert found[0].span.line == 5 and found[0].severity == "error"


def test_a_quote_under_the_wrong_article(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "Each Party will assist the Party so attacked", article="I")
    found = source_findings(load_spec(path), record=True)
    assert [f.code for f in found] == ["L010"]
    assert "not under article 1" in found[0].message
    assert codes(spec_dir(tmp_path, "Each Party will assist the Party so attacked", article="II"), record=True) == []


def test_a_paraphrase_marked_as_quote(tmp_path: Path) -> None:
    words = "either Party may terminate the Treaty one year after notice"
    assert codes(spec_dir(tmp_path, words, article="3"), record=True) == ["L011"]
    assert codes(spec_dir(tmp_path, words, article="3", kind="paraphrase"), record=True) == []


def test_a_changed_article_flags_the_citations_of_it_only(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "Each Party will assist", article="2")
    assert codes(path, record=True) == []
    source = tmp_path / "sources" / "t.txt"
    source.write_text(SOURCE.replace("consult together", "consult"), encoding="utf-8")
    assert codes(path) == []  # article 1 changed; the citation is of article 2
    source.write_text(SOURCE.replace("deems necessary", "deems appropriate"), encoding="utf-8")
    found = source_findings(load_spec(path))
    assert [f.code for f in found] == ["L012"]  # the quote still matches, but its article's text changed
    assert "has changed since its digest was recorded" in found[0].message and "norm consult" in found[0].message


def test_a_missing_source_file(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "Each Party will assist", article="2")
    (tmp_path / "sources" / "t.txt").unlink()
    found = source_findings(load_spec(path))
    assert [f.code for f in found] == ["L013"]
    assert found[0].span.line == 1


def test_quotes_inside_interpretations_are_checked(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "Each Party will assist", article="2")
    with path.open("a", encoding="utf-8") as f:
        f.write('interpretation r "a reading" {\n  define d = true\n    cite T article 2 quote "Each Party will not assist"\n}\n')
    assert codes(path, record=True) == ["L010"]


def test_lint_command_reports_and_records(tmp_path: Path) -> None:
    path = spec_dir(tmp_path, "The Parties will consult together at once.")
    out = io.StringIO()
    assert main(["lint", str(path)], out=out, err=io.StringIO()) == 1
    assert "error[L010]" in out.getvalue() and "warning[L012]" in out.getvalue()
    out = io.StringIO()
    assert main(["lint", str(path), "--record-digests"], out=out, err=io.StringIO()) == 1
    assert "L012" not in out.getvalue()


# ---- the spec library ----

LIBRARY = spec_files([str(ROOT / "specs")])


def test_every_quoted_instrument_of_the_library_has_its_source() -> None:
    for path in LIBRARY:
        module = parse_module(path.read_text(encoding="utf-8"), str(path))
        citations = [getattr(d, "citation", None) for d in _decls(module.decls)]
        quoted = {c.instrument for c in citations if isinstance(c, ast.Citation) and c.quoted}
        declared = {d.name: d for d in _decls(module.decls) if isinstance(d, ast.InstrumentDecl)}
        for name in quoted & declared.keys():
            assert declared[name].source is not None, (path.name, name)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_library_quotes_are_in_their_sources_and_digests_current(path: Path) -> None:
    assert [(f.code, f.message) for f in source_findings(load_spec(path))] == []


def test_the_library_lint_catches_a_planted_misquote(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    nato = tmp_path / "specs" / "nato.treaty"
    text = nato.read_text(encoding="utf-8").replace("such action as it deems necessary", "such action as is necessary")
    nato.write_text(text, encoding="utf-8")
    found = source_findings(load_spec(nato))
    assert [f.code for f in found] == ["L010"]


def _decls(decls: tuple[ast.Decl, ...]) -> list[ast.Decl]:
    out: list[ast.Decl] = []
    for d in decls:
        out.append(d)
        if isinstance(d, ast.InterpretationDecl):
            out.extend(_decls(d.decls))
    return out
