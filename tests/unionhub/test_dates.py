"""Month arithmetic (unionhub.dates) at the edges: year boundaries, 29 February, the 31st."""

import datetime

import pytest

from members.periods import Period
from unionhub.dates import (
    first_of_month,
    last_of_month,
    month_bounds,
    months_after,
    next_month,
    previous_month,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # clamped; 2028 is a leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2026, 11, 15), 2, D(2027, 1, 15)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),  # across the new year
        (D(2027, 1, 15), -1, D(2026, 12, 15)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),  # and back
        (D(2026, 5, 31), 0, D(2026, 5, 31)),
        (D(2026, 5, 20), -24, D(2024, 5, 20)),
        (D(2026, 3, 31), 11, D(2027, 2, 28)),
    ],
)
def test_months_after_keeps_the_day_or_ends_the_month(day, months, expected):
    assert months_after(day, months) == expected


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [
        (2026, 1, 31),
        (2026, 2, 28),
        (2028, 2, 29),
        (2100, 2, 28),
        (2000, 2, 29),
        (2026, 4, 30),
        (2026, 12, 31),
    ],
)
def test_month_bounds(year, month, last):
    assert month_bounds(year, month) == (D(year, month, 1), D(year, month, last))
    assert last_of_month(D(year, month, 17)) == D(year, month, last)
    assert first_of_month(D(year, month, last)) == D(year, month, 1)


def test_previous_and_next_month_cross_the_year():
    assert previous_month(D(2027, 1, 20)) == D(2026, 12, 1)
    assert next_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert next_month(D(2028, 1, 31)) == D(2028, 2, 1)


@pytest.mark.parametrize(
    ("period", "end"),
    [
        (Period("monthly", 2028, 2), D(2028, 2, 29)),
        (Period("monthly", 2026, 12), D(2026, 12, 31)),
        (Period("quarterly", 2026, 4), D(2026, 12, 31)),
        (Period("half_yearly", 2026, 1), D(2026, 6, 30)),
        (Period("yearly", 2026, 1), D(2026, 12, 31)),
    ],
)
def test_dues_periods_end_on_the_last_day_of_their_last_month(period, end):
    assert period.end == end
