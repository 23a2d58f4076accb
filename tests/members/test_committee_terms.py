"""即将换届 on the staff's dashboard: the committees whose term ends within the next 90 days, soonest first,
and apart from them those whose term ended without a re-election recorded (已到期未换届) — never an old
term among the coming ones."""

import datetime

import pytest
from django.urls import reverse

from members.dashboard import committee_terms
from members.models import GrassrootsUnion
from tests.factories import TODAY, make_union
from unionhub.contributions import Scope

DAY = datetime.timedelta(days=1)


def union_ending(code: str, end: datetime.date, **extra) -> GrassrootsUnion:
    """A union whose committee term ends on ``end`` (a five-year term, four when it ends on 29 February)."""
    years = 4 if (end.month, end.day) == (2, 29) else 5
    union = make_union(
        code,
        committee_term_start=end.replace(year=end.year - years),
        committee_term_years=years,
        **extra,
    )
    assert union.committee_term_end == end
    return union


@pytest.fixture
def terms(db):
    return {
        "today": union_ending("T01", TODAY),
        "soon": union_ending("T02", TODAY + 10 * DAY),
        "last_day": union_ending("T03", TODAY + 90 * DAY),
        "too_far": union_ending("T04", TODAY + 91 * DAY),
        "yesterday": union_ending("T05", TODAY - DAY),
        "in_2024": union_ending("T06", datetime.date(2024, 3, 15)),
        "dissolved": union_ending("T07", TODAY + 5 * DAY, status=GrassrootsUnion.Status.DISSOLVED),
        "no_term": make_union("T08"),
    }


def test_coming_terms_are_the_next_90_days_and_ended_ones_are_apart(terms, staff):
    ending, overdue = committee_terms(Scope(day=TODAY, user=staff))
    assert ending == [terms["today"], terms["soon"], terms["last_day"]]
    assert overdue == [terms["in_2024"], terms["yesterday"]]
    assert terms["too_far"] not in ending + overdue
    assert terms["dissolved"] not in ending + overdue


def test_a_term_that_ended_in_2024_is_never_coming_up(db, staff):
    old = union_ending("T09", datetime.date(2024, 6, 30))
    for day in (datetime.date(2025, 5, 31), datetime.date(2026, 12, 5), datetime.date(2024, 4, 1)):
        ending, overdue = committee_terms(Scope(day=day, user=staff))
        assert (old in ending) == (day <= old.committee_term_end <= day + 90 * DAY), day
        assert (old in overdue) == (old.committee_term_end < day), day


def test_the_dashboard_shows_both_lists(terms, staff, login):
    page = login(staff).get(reverse("dashboard")).content.decode()
    card = page[page.index('id="committee-terms"') :]
    coming, ended = card.split('id="terms-overdue"', 1)
    for key in ("today", "soon", "last_day"):
        assert terms[key].code in coming, key
    for key in ("too_far", "yesterday", "in_2024", "dissolved", "no_term"):
        assert terms[key].code not in coming, key
    assert terms["yesterday"].code in ended and terms["in_2024"].code in ended


def test_a_chair_has_no_such_card(terms, chair_a, union_a, login):
    page = login(chair_a).get(reverse("dashboard")).content.decode()
    assert 'id="committee-terms"' not in page
