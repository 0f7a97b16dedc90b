"""Days and the Gregorian calendar, exact and without floating point.

A day is an integer: the proleptic Gregorian ordinal of Python's `date.toordinal()` (0001-01-01 is
day 1). Adding days is integer addition. Adding calendar years keeps month and day of month; from
29 February into a year without one, the result is 28 February (the choice is written down in
docs/language.md). So `d + 1 year` is 365 or 366 days later, depending on d. Adding calendar months
keeps the day of the month, or falls back to the last day of a shorter month (31 January + 1 month
is 28 or 29 February).

The Z3 encoding cannot call `datetime`, so it writes `d + n years` as `d` plus an offset read from a
table of segments of days (`year_offsets` below): the offset changes only around 29 February. The
functions here are the single definition both the evaluator and the encoding follow, and tests
compare them with `datetime` day by day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
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


def add_months(day: int, n: int) -> int:
    """The calendar: same day of the month, `n` months on; a day the month lacks (31 April, 30
    February) falls back to the month's last day, as 29 February does under `add_years`."""
    d = datetime.date.fromordinal(day)
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"{format_day(day)} + {n} months is outside the calendar")
    return datetime.date(year, month + 1, min(d.day, _month_length(year, month + 1))).toordinal()


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def shift_day(day: int, amount: int, unit: str) -> int:
    """`day + amount days|months|years`. Raises OverflowError outside the calendar."""
    if unit == "days":
        return day + amount
    if unit == "months":
        return add_months(day, amount)
    return add_years(day, amount)


def shift_bounds(low: int, high: int, amount: int, unit: str) -> tuple[int, int]:
    """Bounds on `d + amount unit` for every day d in [low, high] (wide enough, not tight)."""
    if unit == "days":
        return (low + amount, high + amount)
    short, long = (365, 366) if unit == "years" else (28, 31)
    if amount >= 0:
        return (low + short * amount - 3, high + long * amount + 3)
    return (low + long * amount - 3, high + short * amount + 3)


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


def year_offsets(low: int, high: int, n: int) -> tuple[tuple[int, int], ...]:
    """`add_years(d, n) - d` for every day d in [low, high], as segments `(first_day, offset)`: the
    offset holds from `first_day` up to the next segment's first day (the last runs to `high`).

    Why the segments are few: for a date in March to December of year y, the n years from it pass
    the 29 Februaries of years y+1 to y+n; for a date in January or February (before the 29th) of
    year y+1 they pass the same ones. So the offset can change only on 29 February and on 1 March,
    and it is constant from 1 March to the next 28 February. The offsets are read off `add_years`
    itself at those days, and adjacent equal segments are merged; tests compare the result with
    `add_years` day by day.
    """
    low, high = max(low, MIN_DAY), min(high, MAX_DAY)
    if low > high:
        return ()
    points = []
    for year in range(datetime.date.fromordinal(low).year, datetime.date.fromordinal(high).year + 1):
        if _month_length(year, 2) == 29:
            points.append(datetime.date(year, 2, 29).toordinal())
        points.append(datetime.date(year, 3, 1).toordinal())
    return _segments(low, high, points, lambda day: add_years(day, n))


def month_offsets(low: int, high: int, n: int) -> tuple[tuple[int, int], ...]:
    """`add_months(d, n) - d` for every day d in [low, high], as segments like `year_offsets`.

    Within a month, days 1 to 28 keep their day of the month n months on, so the offset is the
    same for all of them; it can change only on the 1st (a new month, and a new target month) and
    on the 29th, 30th and 31st (which fall back to the last day of a shorter target month). The
    offsets are read off `add_months` at those days and adjacent equal segments merged; tests
    compare the result with `add_months` day by day.
    """
    low, high = max(low, MIN_DAY), min(high, MAX_DAY)
    if low > high:
        return ()
    points = []
    first, last = datetime.date.fromordinal(low), datetime.date.fromordinal(high)
    for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
        year, month = divmod(index, 12)
        points += [datetime.date(year, month + 1, day).toordinal() for day in (1, 29, 30, 31) if day <= _month_length(year, month + 1)]
    return _segments(low, high, points, lambda day: add_months(day, n))


def _segments(low: int, high: int, points: list[int], shift: Callable[[int], int]) -> tuple[tuple[int, int], ...]:
    """`shift(d) - d` as segments over [low, high], given the days (`points`) where it can change."""
    segments: list[tuple[int, int]] = []
    for start in sorted({low, *(p for p in points if low < p <= high)}):
        offset = shift(start) - start
        if not segments or segments[-1][1] != offset:
            segments.append((start, offset))
    return tuple(segments)


def offset_at(segments: tuple[tuple[int, int], ...], day: int) -> int:
    """The offset `year_offsets` or `month_offsets` gives for `day` (which must lie in its range)."""
    offset = segments[0][1]
    for start, value in segments:
        if start > day:
            break
        offset = value
    return offset
