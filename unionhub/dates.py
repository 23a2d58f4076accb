"""Month arithmetic, written once: the first and last day of a month, a month's bounds, and the same day
some months later or earlier (clamped to the end of a shorter month: 31 January + 1 month is 28 or 29
February). Working days and holidays are ``unionhub.workdays``; dues periods are ``members.periods``."""

import calendar
import datetime


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``month`` of ``year``."""
    first = datetime.date(year, month, 1)
    return first, last_of_month(first)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (earlier when negative), or the end of that month when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def previous_month(month: datetime.date) -> datetime.date:
    """The first day of the month before ``month``'s."""
    return months_after(first_of_month(month), -1)


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after ``month``'s."""
    return months_after(first_of_month(month), 1)


class Span:
    """A month reported on, the year to its end, and the same month a year earlier."""

    def __init__(self, month: datetime.date):
        self.start = month.replace(day=1)
        self.end = last_of_month(self.start)
        self.year_start = self.start.replace(month=1)
        self.ly_start = months_after(self.start, -12)
        self.ly_end = last_of_month(self.ly_start)

    def ranges(self):
        """(name, (first day, last day)) for the month, the year to date and last year's month."""
        return (
            ("m", (self.start, self.end)),
            ("y", (self.year_start, self.end)),
            ("l", (self.ly_start, self.ly_end)),
        )
