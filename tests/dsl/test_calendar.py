"""treaty_dsl.calendar against the standard library, day by day, across the century years that
decide the Gregorian rule (1900 is not a leap year, 2000 is, 2100 is not)."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
import itertools

import pytest

from treaty_dsl.calendar import (
    add_months,
    add_years,
    format_day,
    is_leap_day,
    leap_days,
    month_offsets,
    offset_at,
    parse_date,
    shift_bounds,
    shift_day,
    year_offsets,
)


def d(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


def reference_add_years(day: int, n: int) -> int:
    """Same month and day of month n years on; a day the month lacks (29 February) becomes the
    month's last day. Built from `calendar.monthrange`, not from `date.replace`."""
    date = datetime.date.fromordinal(day)
    year = date.year + n
    return datetime.date(year, date.month, min(date.day, stdlib_calendar.monthrange(year, date.month)[1])).toordinal()


# Every day of these spans is checked (about 4,400 days each).
SPANS = [("1896-01-01", "1907-12-31"), ("1996-01-01", "2007-12-31"), ("2096-01-01", "2107-12-31")]


def days_of(span: tuple[str, str]) -> range:
    return range(d(span[0]), d(span[1]) + 1)


@pytest.mark.parametrize("span", SPANS, ids=[s[0][:4] for s in SPANS])
@pytest.mark.parametrize("n", [1, -1, 2, -2, 4, 100])
def test_add_years_is_the_calendar_every_day(span: tuple[str, str], n: int) -> None:
    wrong = [(format_day(x), n) for x in days_of(span) if add_years(x, n) != reference_add_years(x, n)]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("span", SPANS, ids=[s[0][:4] for s in SPANS])
def test_one_year_is_366_days_exactly_when_it_crosses_a_leap_day(span: tuple[str, str]) -> None:
    for x in days_of(span):
        on = add_years(x, 1)
        assert on - x == 365 + (1 if leap_days(x + 1, on) else 0), format_day(x)
        back = add_years(x, -1)
        assert x - back in (365, 366)


def test_known_dates() -> None:
    assert add_years(d("2024-02-29"), 1) == d("2025-02-28")
    assert add_years(d("2024-02-29"), -1) == d("2023-02-28")
    assert add_years(d("2024-02-29"), 4) == d("2028-02-29")
    assert add_years(d("1896-02-29"), 4) == d("1900-02-28")  # 1900 is not a leap year
    assert add_years(d("1996-02-29"), 4) == d("2000-02-29")  # 2000 is
    assert add_years(d("2096-02-29"), 4) == d("2100-02-28")  # 2100 is not
    assert add_years(d("2025-02-28"), 1) == d("2026-02-28")
    assert add_years(d("2023-03-01"), 1) - d("2023-03-01") == 366
    assert add_years(d("2024-03-01"), 1) - d("2024-03-01") == 365


def test_add_years_outside_the_calendar() -> None:
    with pytest.raises(OverflowError):
        add_years(d("9999-06-01"), 1)
    with pytest.raises(OverflowError):
        add_years(d("0001-06-01"), -1)


def test_parse_and_format() -> None:
    assert parse_date("2024-02-29") == d("2024-02-29")
    assert parse_date("2000-02-29") == d("2000-02-29")
    for bad in ("1900-02-29", "2100-02-29", "2025-02-30", "2025-13-01", "2025-00-10"):
        assert parse_date(bad) is None, bad
    assert format_day(d("2025-02-28")) == "2025-02-28"
    assert format_day(0) == "day 0"
    for x in days_of(SPANS[1]):
        assert parse_date(format_day(x)) == x


def test_leap_days() -> None:
    assert leap_days(d("1896-01-01"), d("1907-12-31")) == (d("1896-02-29"), d("1904-02-29"))
    assert leap_days(d("1996-01-01"), d("2004-12-31")) == (d("1996-02-29"), d("2000-02-29"), d("2004-02-29"))
    assert leap_days(d("2100-01-01"), d("2103-12-31")) == ()
    assert leap_days(d("2024-02-29"), d("2024-02-29")) == (d("2024-02-29"),)  # bounds included
    assert leap_days(d("2024-03-01"), d("2024-02-28")) == ()
    assert [x for x in days_of(SPANS[0]) if is_leap_day(x)] == list(leap_days(d(SPANS[0][0]), d(SPANS[0][1])))


@pytest.mark.parametrize("span", SPANS, ids=[s[0][:4] for s in SPANS])
@pytest.mark.parametrize("n", [1, -1, 2, -2, 3, 4, -4, 20, -20, 100])
def test_year_offsets_are_the_calendar(span: tuple[str, str], n: int) -> None:
    """The segments the encoding writes as `If`s give the calendar's answer on every day."""
    low, high = d(span[0]), d(span[1])
    segments = year_offsets(low, high, n)
    assert segments[0][0] == low and [s for s, _ in segments] == sorted({s for s, _ in segments})
    assert all(a[1] != b[1] for a, b in itertools.pairwise(segments))  # adjacent equal segments merged
    wrong = [format_day(x) for x in range(low, high + 1) if x + offset_at(segments, x) != reference_add_years(x, n)]
    assert not wrong, wrong[:5]


def test_year_offsets_where_they_matter() -> None:
    """29 February 2024 one year on is 28 February 2025 (365 days), one year back is 28 February
    2023 (366 days), four years on is 29 February 2028; a span without 29 February or 1 March
    inside it is one segment."""
    x = d("2024-02-29")
    assert year_offsets(x, x, 1) == ((x, 365),)
    assert year_offsets(x, x, -1) == ((x, -366),)
    assert year_offsets(x, x, 4) == ((x, d("2028-02-29") - x),)
    assert year_offsets(d("2025-03-01"), d("2026-02-28"), 1) == ((d("2025-03-01"), 365),)
    # 1 March 2027 to 28 February 2028 pass 29 February 2028; from that day on they do not.
    assert year_offsets(d("2027-03-01"), d("2028-03-01"), 1) == ((d("2027-03-01"), 366), (d("2028-02-29"), 365))
    assert year_offsets(x + 1, x, 1) == ()


def reference_add_months(day: int, n: int) -> int:
    """Same day of the month n months on, or the month's last day; from `calendar.monthrange`."""
    date = datetime.date.fromordinal(day)
    year, month = divmod(date.year * 12 + date.month - 1 + n, 12)
    return datetime.date(year, month + 1, min(date.day, stdlib_calendar.monthrange(year, month + 1)[1])).toordinal()


@pytest.mark.parametrize("span", SPANS, ids=[s[0][:4] for s in SPANS])
@pytest.mark.parametrize("n", [1, -1, 2, 3, -3, 11, 12, 13, -25, 100])
def test_months_are_the_calendar(span: tuple[str, str], n: int) -> None:
    """`add_months` and the segments the encoding writes as `If`s give the calendar's answer on every day."""
    low, high = d(span[0]), d(span[1])
    segments = month_offsets(low, high, n)
    assert segments[0][0] == low and all(a[1] != b[1] for a, b in itertools.pairwise(segments))
    wrong = [
        format_day(x)
        for x in range(low, high + 1)
        if not add_months(x, n) == x + offset_at(segments, x) == reference_add_months(x, n) == shift_day(x, n, "months")
    ]
    assert not wrong, wrong[:5]


def test_months_where_they_matter() -> None:
    assert add_months(d("2024-01-31"), 1) == d("2024-02-29")
    assert add_months(d("2023-01-31"), 1) == d("2023-02-28")
    assert add_months(d("2024-03-31"), -1) == d("2024-02-29")
    assert add_months(d("2024-05-31"), 1) == d("2024-06-30")
    assert add_months(d("2024-12-15"), 1) == d("2025-01-15")
    assert add_months(d("2025-01-15"), -1) == d("2024-12-15")
    # twelve months are a calendar year, 29 February included
    assert all(add_months(x, 12) == add_years(x, 1) for x in range(d("2023-01-01"), d("2025-12-31")))


@pytest.mark.parametrize("unit", ["days", "months", "years"])
@pytest.mark.parametrize("n", [1, -1, 3, -3, 12, 29, -29])
def test_shift_bounds_hold_every_day(unit: str, n: int) -> None:
    """The encoder sizes its calendar tables by these bounds: each day's shift must lie within them."""
    for low in range(d("1999-12-01"), d("2001-03-31")):
        lo, hi = shift_bounds(low, low, n, unit)
        assert lo <= shift_day(low, n, unit) <= hi, (format_day(low), n, unit)
