"""Casework rules: handling time by difficulty, the petition rules (信访条例) and the Labour Dispute
Mediation and Arbitration Law's periods, the legal-aid test, the public form's limits. Every number
is configurable: ``GRIEVANCE_RULES`` in the settings (a dict of the fields below) overrides them."""

import dataclasses
from decimal import Decimal

from django.conf import settings


@dataclasses.dataclass(frozen=True)
class Rules:
    # Handling deadline, days from acceptance (from receipt while not yet accepted), by difficulty.
    ordinary_days: int = 15
    difficult_days: int = 30
    complex_days: int = 60
    # Petitions (信访): decide on acceptance within 15 days, conclude within 60, extendable once by 30.
    petition_accept_days: int = 15
    petition_conclude_days: int = 60
    petition_extension_days: int = 30
    # Labour Dispute Mediation and Arbitration Law.
    limitation_years: int = 1  # art. 27: from the day the worker learned of the harm
    mediation_days: int = 15  # art. 14: no agreement within 15 days → arbitration may be applied for
    arbitration_accept_days: int = 5  # art. 29
    award_days: int = 45  # art. 43, extendable by 15
    award_extension_days: int = 15
    sue_days: int = 15  # art. 48/50: 15 days to go to court after an award
    # A deadline within this many days is flagged (dashboard, reminders, `case_deadlines`).
    warn_days: int = 30
    # Legal aid: claim at least this much, household income per person below the local minimum wage;
    # migrant workers' wage-arrears and work-injury claims are exempt from the income test.
    legal_aid_min_claim: Decimal = Decimal("1000.00")
    minimum_wage: Decimal = Decimal("2490.00")
    income_test_exempt_for_migrants: tuple[str, ...] = ("wage_arrears", "work_injury")
    # The public form.
    public_max_file_bytes: int = 10 * 1024 * 1024
    public_max_files: int = 5
    public_submissions_per_hour: int = 5
    tracking_attempts_per_hour: int = 20


def rules() -> Rules:
    overrides = getattr(settings, "GRIEVANCE_RULES", None) or {}
    return dataclasses.replace(Rules(), **overrides)
