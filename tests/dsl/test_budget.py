"""The cooperative budget of the front end: `tick()` raises past the active budget's limits only."""

from __future__ import annotations

import time

import pytest

from treaty_dsl.budget import CHECK_EVERY, Budget, LimitReached, limited, resident_bytes, tick, ticking


def test_without_a_budget_tick_does_nothing() -> None:
    for _ in range(CHECK_EVERY * 4):
        tick()


def test_a_deadline_that_passed_stops_the_work() -> None:
    with pytest.raises(LimitReached) as info, limited(Budget(time.monotonic() + 0.05)):  # noqa: PT012 (the work is the loop)
        while True:
            tick()
    assert info.value.kind == "time"


def test_a_deadline_already_past_stops_at_once() -> None:
    with pytest.raises(LimitReached), limited(Budget(time.monotonic() - 1)):
        pytest.fail("the block must not run")


def test_work_within_the_limits_is_not_stopped() -> None:
    with limited(Budget(time.monotonic() + 3600, memory_mb=4096)):
        assert sum(1 for _ in ticking(range(CHECK_EVERY * 10))) == CHECK_EVERY * 10


def test_memory_growth_past_the_limit_stops_the_work() -> None:
    if resident_bytes() is None:
        pytest.skip("the system does not report the memory a process holds")
    hoard: list[bytes] = []
    with pytest.raises(LimitReached) as info, limited(Budget(None, memory_mb=16)):  # noqa: PT012
        for _ in range(300):  # up to 300 MB, in steps of 1 MB (written, so that it is resident)
            hoard.append(b"x" * (1 << 20))
            for _ in range(CHECK_EVERY):
                tick()
            time.sleep(0.001)
    assert info.value.kind == "memory"
    assert len(hoard) < 150  # stopped well before the end (past 16 MB, at the checks' pace)


def test_budgets_nest_and_the_outer_one_comes_back() -> None:
    outer = Budget(time.monotonic() + 3600)
    with limited(outer):
        with pytest.raises(LimitReached), limited(Budget(time.monotonic() + 0.01)):  # noqa: PT012
            while True:
                tick()
        for _ in range(CHECK_EVERY * 4):
            tick()  # the outer budget has time left
    for _ in range(CHECK_EVERY * 4):
        tick()  # and none is active after it
