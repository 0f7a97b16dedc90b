"""Files to a checked spec: reading, `use` of other files inside the spec root, and where errors point."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from treaty_dsl.diagnostics import SpecError
from treaty_dsl.loader import load_spec, spec_files

VOCAB = "domain Party = {US, UK}\ninput attacked(p: Party) by nature\n"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    return tmp_path / "specs"


def error_of(path: str | Path) -> tuple[str, str, int, int]:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    d = info.value.diagnostics[0]
    # the file of a diagnostic is among the sources, so its excerpt can be shown (except for files
    # that could not be read or decoded)
    if d.code not in ("E0010", "E0011", "E0012", "E0020"):
        assert d.span.file in info.value.sources
    return d.code, d.span.file, d.span.line, d.span.column


def test_use_brings_in_another_file(root: Path) -> None:
    (root / "vocab.treaty").write_text(VOCAB)
    (root / "main.treaty").write_text('spec "m"\nuse "vocab.treaty"\nclaim c: every p in Party: attacked(p) expect fails\n')
    loaded = load_spec(root / "main.treaty")
    assert loaded.path == os.path.join("specs", "main.treaty")
    assert set(loaded.sources) == {os.path.join("specs", "main.treaty"), os.path.join("specs", "vocab.treaty")}
    assert [c.name for c in loaded.spec.claims] == ["c"]
    assert loaded.spec.title == "m"


def test_use_cycles_terminate(root: Path) -> None:
    (root / "a.treaty").write_text('use "b.treaty"\n' + VOCAB)
    (root / "b.treaty").write_text('use "a.treaty"\nclaim c: attacked(US) expect fails\n')
    assert [c.name for c in load_spec(root / "a.treaty").spec.claims] == ["c"]


def test_use_of_a_missing_file(root: Path) -> None:
    (root / "main.treaty").write_text('spec "m"\nuse "nope.treaty"\n')
    assert error_of(root / "main.treaty") == ("E0022", os.path.join("specs", "main.treaty"), 2, 1)


def test_use_outside_the_root(root: Path) -> None:
    (root.parent / "outside.treaty").write_text(VOCAB)
    (root / "main.treaty").write_text('use "../outside.treaty"\n')
    assert error_of(root / "main.treaty")[:3] == ("E0021", os.path.join("specs", "main.treaty"), 1)


def test_a_symlink_cannot_lead_outside_the_root(root: Path) -> None:
    (root.parent / "outside.treaty").write_text(VOCAB)
    (root / "link.treaty").symlink_to(root.parent / "outside.treaty")
    (root / "main.treaty").write_text('use "link.treaty"\n')
    assert error_of(root / "main.treaty")[0] == "E0021"


def test_errors_in_a_used_file_point_into_that_file(root: Path) -> None:
    (root / "vocab.treaty").write_text("domain Party = {US, UK}\ninput attacked(p: Pary) by nature\n")
    (root / "main.treaty").write_text('use "vocab.treaty"\n')
    assert error_of(root / "main.treaty") == ("E0102", os.path.join("specs", "vocab.treaty"), 2, 19)
    (root / "vocab.treaty").write_bytes(b"domain Party = {US,\xff}\n")
    assert error_of(root / "main.treaty") == ("E0012", os.path.join("specs", "vocab.treaty"), 1, 20)


def test_unreadable_paths(root: Path) -> None:
    assert error_of(root / "missing.treaty")[:3] == ("E0020", os.path.join("specs", "missing.treaty"), 0)
    (root / "dir.treaty").mkdir()
    assert error_of(root / "dir.treaty")[0] == "E0020"


def test_spec_files_expands_folders_sorted(root: Path) -> None:
    for name in ("b.treaty", "a.treaty", "notes.txt"):
        (root / name).write_text("")
    (root / "sub").mkdir()
    (root / "sub" / "c.treaty").write_text("")
    assert spec_files(["specs", "x.treaty"]) == [
        Path("specs/a.treaty"),
        Path("specs/b.treaty"),
        Path("specs/sub/c.treaty"),
        Path("x.treaty"),
    ]
