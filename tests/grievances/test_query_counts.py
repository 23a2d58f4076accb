"""The casework pages that compute deadlines for many cases read the holiday calendar once, not
once per case: the same number of queries for 3 open cases as for 12."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grievances.models import Case
from tests.factories import TODAY


def grow(n, start):
    for i in range(start, start + n):
        Case.objects.create(
            number=f"WQT-{i:04d}",
            channel="hotline",
            category="dismissal",
            employer_name="甲公司",
            description="被违法辞退，要求支付赔偿金。",
            received_on=TODAY - datetime.timedelta(days=5),
            harm_known_on=TODAY - datetime.timedelta(days=350 + i % 10),
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["grievances:deadline_list", "grievances:overview", "grievances:case_list"])
def test_casework_pages_do_not_grow_with_the_cases(client, casework_staff, name):
    client.force_login(casework_staff)
    grow(3, 0)
    small = queries(client, reverse(name))
    grow(9, 3)
    assert queries(client, reverse(name)) == small


def test_the_dashboard_flags_limitations_ending_within_30_days(client, casework_staff, staff):
    soon = Case.objects.create(
        number="WQT-9001",
        channel="hotline",
        category="dismissal",
        employer_name="甲公司",
        description="被违法辞退，要求支付赔偿金。",
        received_on=TODAY,
        harm_known_on=TODAY - datetime.timedelta(days=350),
    )
    Case.objects.create(
        number="WQT-9002",
        channel="hotline",
        category="dismissal",
        employer_name="乙公司",
        description="被违法辞退，要求支付赔偿金。",
        received_on=TODAY,
        harm_known_on=TODAY - datetime.timedelta(days=300),
    )
    assert soon.limitation_on <= TODAY + datetime.timedelta(days=30)
    client.force_login(casework_staff)
    district = client.get(reverse("dashboard")).context["district"]
    assert (district["cases_open"], district["limitation_soon"]) == (2, 1)
    client.force_login(staff)  # no casework duty: no casework figures
    assert "limitation_soon" not in client.get(reverse("dashboard")).context["district"]
