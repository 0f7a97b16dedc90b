"""The claims of a saved spec checked, as plain JSON values: the one place the language server
reaches the verifier (it runs in a worker process, see `worker`)."""

from __future__ import annotations

from collections.abc import Iterator

from solver.render import Style, claim_text, result_json
from solver.verify import check_spec
from treaty_dsl.loader import load_spec


def verdicts(path: str, timeout_s: float) -> Iterator[dict[str, object]]:
    """Each claim's result under the spec's own reading, then under each interpretation that some
    claim has an expectation for (as `treaty check` does), with its text explanation."""
    base = load_spec(path)
    loaded = [base] + [load_spec(path, reading=name) for name in base.interpretations]
    for spec in loaded:
        if not spec.spec.claims:
            continue
        for result in check_spec(spec.spec, timeout_s):
            out = result_json(result)
            out["explanation"] = claim_text(result, Style(False))
            yield out
