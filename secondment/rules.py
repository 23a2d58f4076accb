"""The secondment scheme's rules, from the federation's implementing measures and the 2013
assessment rules. Every number is configurable: ``SECONDMENT_RULES`` in the settings (a dict
of the fields below) overrides the defaults, so a change of policy is a settings change, not a
code change; tests use ``override_settings``.

Age is "40 or under on the nomination date" (40周岁以下 includes 40): eligible until the day
before the 41st birthday. A 29 February birthday falls on 1 March in other years.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings

from unionhub.dates import months_after

EDUCATION_ORDER = ["junior_high", "senior_high", "junior_college", "bachelor", "master", "doctorate"]


@dataclasses.dataclass(frozen=True)
class Rules:
    max_age: int = 40
    min_education: str = "junior_college"
    eligible_posts: tuple[str, ...] = ("chair", "vice_chair", "committee_member")
    min_recommendation_chars: int = 20
    term_months: int = 12
    cycle_days: int = 14
    # Cycles are counted from this Monday: every cadre's cycle has the same boundaries.
    cycle_anchor: datetime.date = datetime.date(2024, 1, 1)
    # A duty day may be logged from the day itself until this many days after it.
    log_window_days: int = 7
    # Grading: score = weights · (attendance %, tasks score, evaluation score); grade by thresholds.
    weight_attendance: Decimal = Decimal("0.4")
    weight_tasks: Decimal = Decimal("0.3")
    weight_evaluation: Decimal = Decimal("0.3")
    excellent_from: Decimal = Decimal("90")
    pass_from: Decimal = Decimal("75")
    basic_pass_from: Decimal = Decimal("60")
    # Below this attendance rate (%) the grade is "fail" whatever the score.
    fail_below_attendance: Decimal = Decimal("50")


def rules() -> Rules:
    overrides = getattr(settings, "SECONDMENT_RULES", None) or {}
    return dataclasses.replace(Rules(), **overrides)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years of age on ``day``, exact to the day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def term_end(start: datetime.date, months: int | None = None) -> datetime.date:
    """The last day of a term that starts on ``start``: one year (``term_months``) later, less a day."""
    months = rules().term_months if months is None else months
    return months_after(start, months) - datetime.timedelta(days=1)  # 31 January + 1 month: end of February


def cycle_start(day: datetime.date) -> datetime.date:
    """The first day of the two-week cycle that ``day`` falls in."""
    r = rules()
    offset = (day - r.cycle_anchor).days % r.cycle_days
    return day - datetime.timedelta(days=offset)


def education_at_least(education: str, minimum: str) -> bool:
    if education not in EDUCATION_ORDER:
        return False
    return EDUCATION_ORDER.index(education) >= EDUCATION_ORDER.index(minimum)


def grade(*, attendance_rate: Decimal, tasks_score: int, evaluation_score: int) -> tuple[Decimal, str]:
    """(score, grade) by the configured rules."""
    r = rules()
    score = (
        r.weight_attendance * attendance_rate
        + r.weight_tasks * tasks_score
        + r.weight_evaluation * evaluation_score
    ).quantize(Decimal("0.1"))
    if attendance_rate < r.fail_below_attendance:
        return score, "fail"
    if score >= r.excellent_from:
        return score, "excellent"
    if score >= r.pass_from:
        return score, "pass"
    if score >= r.basic_pass_from:
        return score, "basic_pass"
    return score, "fail"
