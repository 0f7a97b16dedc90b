"""The withdrawal clause (bench/generate.py `withdrawal`) written directly in z3py.

Days are integers counted from the start of the horizon; the day one calendar year after each day
(29 February falls back to 28 February) is a table with one entry per day of the horizon, as a user
would tabulate it with `datetime`. A party that gives notice on day d stops being a party on that
day one year later.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from typing import Any

import z3

from bench.baselines.z3_collective import verdict_of
from bench.generate import HORIZON_CLAIMS, HORIZON_START_YEAR


def one_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def check_all(years: int, parties: int, timeout_s: float) -> Iterator[dict[str, Any]]:
    started = time.perf_counter()
    first = datetime.date(HORIZON_START_YEAR, 1, 1)
    days = (datetime.date(HORIZON_START_YEAR + years - 1, 12, 31) - first).days + 1
    later = z3.Function("one_year_later", z3.IntSort(), z3.IntSort())
    table = [later(d) == (one_year_later(first + datetime.timedelta(days=d)) - first).days for d in range(days)]
    notice = [z3.Bool(f"notice({p})") for p in range(parties)]
    day = [z3.Int(f"day_of_notice({p})") for p in range(parties)]
    ranges = [z3.And(d >= 0, d < days) for d in day]
    setup = time.perf_counter() - started

    def member_at(p: int, t: z3.ArithRef) -> z3.BoolRef:
        return z3.Not(z3.And(notice[p], later(day[p]) <= t))

    negations = {
        HORIZON_CLAIMS[0]: [z3.And(notice[p], z3.Not(member_at(p, day[p] + 364))) for p in range(parties)],
        HORIZON_CLAIMS[1]: [z3.And(notice[p], member_at(p, day[p] + 366)) for p in range(parties)],
        HORIZON_CLAIMS[2]: [z3.And(notice[p], member_at(p, day[p] + 365)) for p in range(parties)],
    }
    for name, negation in negations.items():
        t0 = time.perf_counter()
        solver = z3.Solver()
        solver.set("timeout", int(timeout_s * 1000))
        solver.add(table + ranges + [z3.Or(negation)])
        t1 = time.perf_counter()
        result = solver.check()
        t2 = time.perf_counter()
        yield {"name": name, "verdict": verdict_of(result), "encode_s": t1 - t0 + setup, "solve_s": t2 - t1, "total_s": t2 - t0 + setup}
        setup = 0.0
