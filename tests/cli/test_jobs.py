"""`treaty check -j N`: the same report, in the same order, with the same exit code as `-j 1`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from solver.parallel import chunks

SECONDS = re.compile(r"\b\d+\.\d+s\b")


def without_times(text: str) -> str:
    return SECONDS.sub("<t>", text)


def without_seconds(doc: dict) -> dict:  # type: ignore[type-arg]
    for claim in doc["claims"]:
        claim.pop("seconds")
    doc["summary"].pop("seconds")
    return doc


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    text = (fixtures_dir / "small.treaty").read_text()
    (tmp_path / "small.treaty").write_text(text)
    differs = text.replace("takes(p, armed_force, v)) expect fails", "takes(p, armed_force, v)) expect holds")
    (tmp_path / "differs.treaty").write_text(differs)
    return tmp_path


# small.treaty has 4 claims; -j 2 cuts them into claims 1-2 and 3-4. Its failing claim (the second)
# is in the first chunk, which starts from a fresh solver as `-j 1` does, so even its counterexample
# is the same (solver/parallel.py explains why a failing claim in a later chunk may show another one).


def test_text_report_is_the_same_as_with_one_job(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    one = cli("check", "small.treaty")
    two = cli("check", "small.treaty", "-j", "2")
    assert one.code == two.code == 0
    assert "counterexample:" in one.out
    assert without_times(two.out) == without_times(one.out)
    assert two.err == one.err == ""


def test_json_report_is_the_same_as_with_one_job(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    one = cli("check", "small.treaty", "differs.treaty", "--format", "json")
    two = cli("check", "small.treaty", "differs.treaty", "--format", "json", "--jobs", "2")
    assert one.code == two.code == 1  # differs.treaty: a verdict that is not as expected
    doc_one, doc_two = json.loads(one.out), json.loads(two.out)
    assert [c["name"] for c in doc_two["claims"]] == [c["name"] for c in doc_one["claims"]]
    assert without_seconds(doc_two) == without_seconds(doc_one)


def test_spec_errors_and_exit_code_with_jobs(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (small / "broken.treaty").write_text("claim c: nope expect holds\n")
    one = cli("check", "small.treaty", "broken.treaty")
    two = cli("check", "small.treaty", "broken.treaty", "-j", "2")
    assert one.code == two.code == 2
    assert without_times(two.out) == without_times(one.out)
    assert two.err == one.err and "error[E0201]" in two.err


def test_negative_jobs_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        cli("check", "x.treaty", "-j", "-1")
    assert info.value.code == 2


@pytest.mark.parametrize(
    ("weights", "parts"),
    [([1, 1, 1, 1], 2), ([9, 9, 1, 9], 2), ([5, 1, 1, 1, 1, 1], 2), ([1, 1, 1], 5), ([3], 4), ([1024] * 12 + [1] * 6, 3), ([], 2)],
)
def test_chunks_cover_the_claims_in_order(weights: list[int], parts: int) -> None:
    cut = chunks(weights, parts)
    assert len(cut) <= max(1, parts)
    flat = [i for a, b in cut for i in range(a, b)]
    assert flat == list(range(len(weights)))
    assert all(b > a for a, b in cut)
