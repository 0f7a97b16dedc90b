"""Days and the Gregorian calendar, exact and without floating point.

A day is an integer: the proleptic Gregorian ordinal of Python's `date.toordinal()` (0001-01-01 is
day 1). Adding days is integer addition. Adding calendar years keeps month and day of month; from
29 February into a year without one, the result is 28 February (the choice is written down in
docs/language.md). So `d + 1 year` is 365 or 366 days later, depending on d.

The Z3 encoding cannot call `datetime`, so it builds `d + n years` from one-year steps over a table
of leap days (`step_forward`, `step_backward` below) plus a table of the starting days on which the
steps differ from the calendar (29 February). The functions here are the single definition both the
evaluator and the encoding follow, and tests compare them with `datetime` day by day.
"""

from __future__ import annotations

import datetime
from functools import cache

MIN_DAY = datetime.date(1, 1, 1).toordinal()
MAX_DAY = datetime.date(9999, 12, 31).toordinal()
DEFAULT_HORIZON = (datetime.date(1900, 1, 1).toordinal(), datetime.date(2199, 12, 31).toordinal())


def parse_date(text: str) -> int | None:
    """`2025-02-28` as a day, or None when it is not a real date."""
    try:
        return datetime.date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def format_day(day: int) -> str:
    if MIN_DAY <= day <= MAX_DAY:
        return datetime.date.fromordinal(day).isoformat()
    return f"day {day}"


def add_years(day: int, n: int) -> int:
    """The calendar: same month and day, `n` years on (29 February falls back to 28 February)."""
    d = datetime.date.fromordinal(day)
    year = d.year + n
    if not 1 <= year <= 9999:
        raise OverflowError(f"{format_day(day)} + {n} years is outside the calendar")
    try:
        return d.replace(year=year).toordinal()
    except ValueError:  # 29 February into a common year
        return d.replace(year=year, day=28).toordinal()


def is_leap_day(day: int) -> bool:
    d = datetime.date.fromordinal(day)
    return d.month == 2 and d.day == 29


@cache
def leap_days(low: int, high: int) -> tuple[int, ...]:
    """Every 29 February between the two days, inclusive."""
    low, high = max(low, MIN_DAY), min(high, MAX_DAY)
    if low > high:
        return ()
    first = datetime.date.fromordinal(low).year
    last = datetime.date.fromordinal(high).year
    out: list[int] = []
    for year in range(first, last + 1):
        try:
            day = datetime.date(year, 2, 29).toordinal()
        except ValueError:
            continue
        if low <= day <= high:
            out.append(day)
    return tuple(out)


def step_forward(day: int) -> int:
    """One year on, as the encoding computes it: 366 days when a 29 February lies in (day, day + 365]."""
    return day + 365 + (1 if leap_days(day + 1, day + 365) else 0)


def step_backward(day: int) -> int:
    """One year back, as the encoding computes it: 366 days when a 29 February lies in [day - 365, day)."""
    return day - 365 - (1 if leap_days(day - 365, day - 1) else 0)


def stepped(day: int, n: int) -> int:
    for _ in range(abs(n)):
        day = step_forward(day) if n > 0 else step_backward(day)
    return day


def step_exceptions(low: int, high: int, n: int) -> dict[int, int]:
    """Start days in [low, high] where `n` one-year steps miss the calendar, with the right answer.

    Only 29 February can be such a day: every other date keeps its month and day under each step.
    """
    return {d: add_years(d, n) for d in leap_days(low, high) if stepped(d, n) != add_years(d, n)}
