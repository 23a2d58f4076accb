"""The secondment pages run the same number of SQL queries for 3 cadres as for 12: no N+1."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secondment import services
from secondment.models import DutyLog
from secondment.services import rota
from tests.factories import TODAY, make_id

PAGES = [
    "secondment:overview",
    "secondment:term_list",
    "secondment:rota_month",
    "secondment:log_list",
    "secondment:nomination_list",
    "secondment:certificate_list",
    "secondment:training_ledger",
]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.fixture
def grow(make_user, register, enterprise_a, union_a):
    made = []

    def _grow(n):
        for _ in range(n):
            k = len(made)
            member = register(enterprise_a, name=f"干部{k}", id_number=make_id("19950101"))
            user = make_user(f"sg{k}", name=member.name)
            made.append(
                services.start_term(
                    cadre=user, union=union_a, member=member, start_date=TODAY - datetime.timedelta(days=40)
                )
            )
        rota.generate(
            TODAY - datetime.timedelta(days=40),
            TODAY + datetime.timedelta(days=30),
            today=TODAY - datetime.timedelta(days=41),
            # the counts are the point here, not the calendar: an earlier transactional test may have
            # flushed the migration-loaded holiday calendar
            beyond_calendar=True,
        )
        for term in made:
            for day in term.duty_days.filter(date__lt=TODAY, log__isnull=True):
                DutyLog.objects.create(
                    duty_day=day,
                    arrived_at=datetime.time(9),
                    left_at=datetime.time(17),
                    activities=["office_duty"],
                )

    return _grow


@pytest.mark.parametrize("name", PAGES)
def test_staff_pages_do_not_grow_with_the_cadres(client, staff, grow, name):
    client.force_login(staff)
    grow(3)
    small = _queries(client, reverse(name))
    grow(9)
    assert _queries(client, reverse(name)) == small
