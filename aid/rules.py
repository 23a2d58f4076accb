"""The hardship fund's rules. Every number is configurable: ``AID_RULES`` in the settings (a dict
of the fields below) overrides the defaults; the 5% allocation rate itself is a ``DuesRate``
(kind ``hardship_fund``) with the date it takes effect, edited by finance staff in the admin."""

import dataclasses
from decimal import Decimal

from django.conf import settings


@dataclasses.dataclass(frozen=True)
class Rules:
    # Public notice (公示) of a hardship file: this many working days (holiday calendar).
    notice_working_days: int = 5
    # Deep hardship at or below 1× the minimum-living standard (per capita, after hardship
    # expenses), relative hardship at or below this multiple.
    relative_multiple: Decimal = Decimal("2")
    # A file on record is reviewed yearly; this share of the files is drawn for a spot-check visit.
    review_months: int = 12
    spot_check_share: Decimal = Decimal("0.30")
    # What one person may receive from the fund in a calendar year, all programmes together.
    yearly_cap_per_person: Decimal = Decimal("20000.00")
    # Golden-autumn education grants (金秋助学): the default range and window (months, inclusive).
    education_min: Decimal = Decimal("1000.00")
    education_max: Decimal = Decimal("1500.00")
    education_months: tuple[int, int] = (7, 8)
    # Documents a file needs before it can be submitted; more for some causes.
    required_documents: tuple[str, ...] = ("household_register", "income_proof")
    documents_for_cause: tuple[tuple[str, str], ...] = (
        ("illness", "medical_records"),
        ("disability", "disability_certificate"),
    )


def rules() -> Rules:
    overrides = getattr(settings, "AID_RULES", None) or {}
    return dataclasses.replace(Rules(), **overrides)
