"""Past-dated activities: one entered by its association with a date before today (by the code's clock)
counts towards the association's year only once federation staff confirm it took place, even when it
was closed as held the same day; staff who enter one confirm it; staff confirm from the activity's
page or the compliance page. Dates are relative to today, so the file passes on any ``--today``; the
clock is also moved to a Saturday, a month's end and New Year's Day."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from associations import services
from associations.models import Activity, Association
from associations.services import activities as svc
from tests.factories import make_staff
from unionhub.duties import FINANCE

pytestmark = pytest.mark.usefixtures("english")

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def association(assoc_chair):
    return Association.objects.get(chair=assoc_chair)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def enter(by, association, day: datetime.date, hour: int = 9) -> Activity:
    start = at(day, hour)
    return svc.create_activity(
        by=by,
        association=association,
        title="书法交流",
        kind="outing",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        venue="职工之家",
        capacity=20,
        signup_deadline=start - datetime.timedelta(days=1),
    )


def close(by, activity) -> Activity:
    return svc.close_activity(by=by, activity=activity, report="顺利举行", now=timezone.now())


def held_in(association, year: int) -> tuple[int, int]:
    row = next(
        row for row in services.compliance(year, today=timezone.localdate()) if row.association == association
    )
    return row.held, row.unconfirmed


def test_entered_after_the_fact_and_closed_the_same_day_counts_only_once_confirmed(
    assoc_chair, association, staff
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    activity = close(assoc_chair, enter(assoc_chair, association, yesterday))
    assert (activity.status, activity.needs_confirmation) == (Activity.Status.HELD, True)
    assert held_in(association, yesterday.year) == (0, 1)
    assert list(svc.awaiting_confirmation()) == [activity]
    confirmed = svc.confirm_activity(by=staff, activity=activity)
    assert (confirmed.needs_confirmation, confirmed.confirmed_by) == (False, staff)
    assert held_in(association, yesterday.year) == (1, 0)
    assert not svc.awaiting_confirmation().exists()


def test_an_activity_of_today_needs_no_confirmation(assoc_chair, association):
    today = timezone.localdate()
    activity = close(assoc_chair, enter(assoc_chair, association, today, hour=0))
    assert not activity.needs_confirmation
    assert held_in(association, today.year) == (1, 0)


def test_an_activity_ahead_needs_no_confirmation(assoc_chair, association):
    assert not enter(
        assoc_chair, association, timezone.localdate() + datetime.timedelta(days=3)
    ).needs_confirmation


def test_staff_entering_one_confirm_it(staff, association):
    activity = enter(staff, association, timezone.localdate() - datetime.timedelta(days=30))
    assert (activity.needs_confirmation, activity.confirmed_by) == (False, staff)


def test_moving_an_activity_into_the_past_needs_confirmation(assoc_chair, association):
    activity = enter(assoc_chair, association, timezone.localdate() + datetime.timedelta(days=3))
    earlier = at(timezone.localdate() - datetime.timedelta(days=2))
    moved = svc.update_activity(
        by=assoc_chair,
        activity=activity,
        starts_at=earlier,
        ends_at=earlier + datetime.timedelta(hours=2),
        signup_deadline=earlier - datetime.timedelta(days=1),
    )
    assert moved.needs_confirmation
    later = at(timezone.localdate() + datetime.timedelta(days=5))
    moved = svc.update_activity(
        by=assoc_chair,
        activity=moved,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
        signup_deadline=later - datetime.timedelta(days=1),
    )
    assert not moved.needs_confirmation


def test_only_staff_with_the_organisation_duty_confirm_and_only_once(assoc_chair, association, staff):
    activity = enter(assoc_chair, association, timezone.localdate() - datetime.timedelta(days=1))
    for user in (assoc_chair, make_staff("finance", FINANCE)):
        with pytest.raises(PermissionDenied):
            svc.confirm_activity(by=user, activity=activity)
    svc.confirm_activity(by=staff, activity=activity)
    with pytest.raises(ValidationError, match="not waiting"):
        svc.confirm_activity(by=staff, activity=activity)


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2031, 8, 2),  # a Saturday
        datetime.date(2031, 8, 31),  # a month's last day
        datetime.date(2032, 1, 1),  # New Year's Day: yesterday is last year
    ],
    ids=["saturday", "month-end", "new-year"],
)
def test_the_clock_decides_what_is_past(assoc_chair, association, staff, today):
    with time_machine.travel(at(today, 10), tick=False):
        assert timezone.localdate() == today
        yesterday = close(assoc_chair, enter(assoc_chair, association, today - datetime.timedelta(days=1)))
        early_today = close(assoc_chair, enter(assoc_chair, association, today, hour=0))
        assert (yesterday.needs_confirmation, early_today.needs_confirmation) == (True, False)
        last_year = today.year - 1 if today.month == 1 and today.day == 1 else today.year
        assert held_in(association, last_year) == (0 if last_year != today.year else 1, 1)
        svc.confirm_activity(by=staff, activity=yesterday)
        assert held_in(association, last_year)[0] == (1 if last_year != today.year else 2)


class TestPages:
    @pytest.fixture
    def pending(self, assoc_chair, association):
        return close(
            assoc_chair, enter(assoc_chair, association, timezone.localdate() - datetime.timedelta(days=1))
        )

    def test_staff_see_it_on_the_compliance_page_and_confirm_it_there(self, client, staff, pending):
        client.force_login(staff)
        page = client.get(reverse("associations:compliance") + f"?year={pending.starts_at.year}")
        assert page.context["awaiting"] == [pending]
        assert "awaiting-confirmation" in page.content.decode()
        response = client.post(
            reverse("associations:activity_confirm", args=[pending.pk]), {"back": "compliance"}
        )
        assert response.status_code == 302 and response.url == reverse("associations:compliance")
        pending.refresh_from_db()
        assert pending.confirmed_by == staff

    def test_the_activity_page_says_it_waits_and_offers_staff_the_button(
        self, client, staff, assoc_chair, pending
    ):
        client.force_login(assoc_chair)
        page = client.get(pending.get_absolute_url())
        assert "only once federation staff confirm" in page.content.decode()
        assert not page.context["can_confirm"]
        client.force_login(staff)
        assert client.get(pending.get_absolute_url()).context["can_confirm"]

    def test_the_chair_and_the_outsider_cannot_confirm(self, client, assoc_chair, outsider, pending):
        url = reverse("associations:activity_confirm", args=[pending.pk])
        client.force_login(assoc_chair)
        assert client.post(url).status_code == 403
        client.force_login(outsider)
        assert client.post(url).status_code == 404
        assert client.get(url).status_code in (404, 405)
        pending.refresh_from_db()
        assert pending.needs_confirmation
