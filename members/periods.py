"""Dues periods: a month, quarter, half-year or year, written ``2026-10``, ``2026-Q3``, ``2026-H2``
or ``2026``. Funds for a period are due by the 15th of the month after it ends; when that day
is not a working day the deadline moves to the next working day, as tax deadlines do."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from unionhub.dates import last_of_month
from unionhub.workdays import next_working_day

MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "monthly"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), "quarterly"),
    (re.compile(r"^(\d{4})-?H([12])$", re.IGNORECASE), "half_yearly"),
    (re.compile(r"^(\d{4})$"), "yearly"),
    # As people write them: 2026年11月, 2026年第3季度 / 2026年三季度, 2026年上半年, 2026年度, 2026/11, 2026.11.
    (re.compile(r"^(\d{4})[年./](\d{1,2})月?(?:份)?$"), "monthly"),
    (re.compile(r"^(\d{4})年?第?([1-4一二三四])季度?$"), "quarterly"),
    (re.compile(r"^(\d{4})年?([上下])半年度?$"), "half_yearly"),
    (re.compile(r"^(\d{4})年度?$"), "yearly"),
]
_CHINESE_INDEX = {"一": 1, "二": 2, "三": 3, "四": 4, "上": 1, "下": 2}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, or 1 for a year

    @property
    def months(self) -> int:
        return MONTHS[self.kind]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> datetime.date:
        return last_of_month(datetime.date(self.year, self.index * self.months, 1))

    @property
    def label(self) -> str:
        return {
            "monthly": f"{self.year}-{self.index:02d}",
            "quarterly": f"{self.year}-Q{self.index}",
            "half_yearly": f"{self.year}-H{self.index}",
            "yearly": f"{self.year}",
        }[self.kind]

    @property
    def nominal_due_date(self) -> datetime.date:
        """The 15th of the month after the period ends."""
        following = self.end + datetime.timedelta(days=1)
        return following.replace(day=15)

    def due_date(self) -> datetime.date:
        return next_working_day(self.nominal_due_date)

    def previous(self) -> "Period":
        count = 12 // self.months
        return (
            Period(self.kind, self.year - 1, count)
            if self.index == 1
            else Period(self.kind, self.year, self.index - 1)
        )

    def __str__(self):
        return self.label


def parse_period(text: str) -> Period:
    """``2026-10`` / ``2026-Q3`` / ``2026-H2`` / ``2026`` → Period, or ValueError with a message. The
    ways people write a period in Chinese are understood too: 2026年11月, 2026年第3季度, 2026年下半年,
    2026年度 (full-width digits included)."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    compact = "".join(value.split())
    for pattern, kind in _PATTERNS:
        match = pattern.match(compact)
        if match:
            year = int(match.group(1))
            index = 1 if kind == "yearly" else _CHINESE_INDEX.get(match.group(2)) or int(match.group(2))
            if not 2000 <= year <= 2100 or not 1 <= index <= 12 // MONTHS[kind]:
                break
            return Period(kind, year, index)
    raise ValueError(
        _(
            "“%(value)s” is not a period: write 2026-10 (a month), 2026-Q3 (a quarter), "
            "2026-H2 (a half-year) or 2026 (a year)."
        )
        % {"value": value}
    )


def period_containing(kind: str, day: datetime.date) -> Period:
    months = MONTHS[kind]
    return Period(kind, day.year, (day.month - 1) // months + 1)
