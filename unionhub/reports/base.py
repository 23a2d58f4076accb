"""The shape of a monthly report, shared by the figures (``figures.py``) and the renderers (``render.py``).

A report is a list of sections, one per programme; a section has headline figures (this month, the year
to date, the same month last year), charts and the underlying rows. A programme that is not built, or that
has nothing for the scope (a union), is a section with ``available=False`` and a note saying so plainly."""

import dataclasses
import datetime
from decimal import Decimal

Number = int | Decimal | None


@dataclasses.dataclass
class Figure:
    label: str
    month: Number
    year_to_date: Number = None
    last_year: Number = None  # the same month a year earlier
    unit: str = ""  # "¥", "%", "" (a count)


@dataclasses.dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    labels: list[str]  # categories or months
    series: list[tuple[str, list[float]]]  # (name, one value per label)
    unit: str = ""  # the value axis' unit, shown on it: "元" for money, "%"; "" for a count


@dataclasses.dataclass
class Section:
    key: str  # "membership", "dues", "hardship", "grievances", "secondment", "associations", "cards"
    title: str
    available: bool = True
    note: str = ""
    figures: list[Figure] = dataclasses.field(default_factory=list)
    charts: list[Chart] = dataclasses.field(default_factory=list)
    header: list[str] = dataclasses.field(default_factory=list)  # the underlying rows, for the workbook
    rows: list[list] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Report:
    month: datetime.date  # the first day of the month reported on
    union: object = None  # a GrassrootsUnion for a union's report, None for the district
    title: str = ""
    federation: str = ""
    generated_at: datetime.datetime | None = None
    sections: list[Section] = dataclasses.field(default_factory=list)
