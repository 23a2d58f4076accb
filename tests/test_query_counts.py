"""List pages run a fixed number of SQL queries whatever the number of rows. The pinned numbers
are the session and user lookups, the role checks for the navigation bar, the count and the page
(the dashboard also loads the user's permissions, two queries, for the hardship-fund and casework
figures, the user's own open cases, one query, and the month's headline figures and chart, eight;
every page here also loads the grid areas for the staff's area filter, one query)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Enterprise, GrassrootsUnion
from tests.factories import make_credit_code

# The union list: + the areas for the filter (staff) + the governing rules box. The dashboard: + the honours
# rounds open for nomination (the staff user here also chairs the first union _grow creates), the workers' homes
# due and the rounds awaiting the committee, and the to-do card (issue 18: each source a fixed number of queries —
# the chair's periods, sheets and payment instructions, the district's late unions, arrears, credits and stuck
# sheets, transfers, honours, homes — 18 in all, the same on any day; issue 19: the years of the holiday calendar
# missing within 60 days, the future duty days in such years, and the cadres' late entries awaiting the staff who
# plan the rota, and the count of unassigned cases shown to staff without the casework duty — one query each; issue 22:
# the members' own aid applications waiting for the chair — one query). The member list: + the staff user's permissions (two queries,
# then cached), which decide whether the "Register a member" button shows (the organisation duty). Issue 22: the
# chair's join applications, lost-card reports and members' aid applications to review, and the join applications
# referred to the federation, one query each (the staff user here chairs a union too). Issue 23, the office meeting:
# the user's open tasks and the minutes to record or confirm (one query each), and the staff's meeting card (the
# next meeting, else the last, and the open tasks by department: three). Issue 23, audits: the chair's audit
# rectifications to make, one query (the audit team's sources ask nothing of staff without the audit duty).
# Issue 23, news: the items waiting for review, the chair's returned items and the year's news figures, one query each.
# Issue 24, contests: the contests open for the chair's entries, the contests being judged (with the user's judge
# row and the rounds, prefetched only when there are any), the panel of contests the user serves and the year's
# contest figures, one query each.
# Issue 24, jobs: the chair's returned and soon-expiring vacancies and the year's referral figures, one query each (the
# casework staff's sources and the referrers' panel ask nothing of staff without the casework duty).
# Issue 24, honours: the 十百千 awards without this year's round (one query) and the district tile (this year's
# programme awards with the team honours, one query; the tiers' targets, one).
# Issue 24, tutoring: the chair's sessions without attendance and waiting lists (one query each), the chair's panel
# of classes (one), and the year's tile — classes, children, attendance rate (three).
PINNED = {"members:member_list": 11, "members:union_list": 12, "members:enterprise_list": 10, "dashboard": 85}


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _grow(register, staff, n):
    start = GrassrootsUnion.objects.count()
    for i in range(start, start + n):
        union = GrassrootsUnion.objects.create(
            code=f"HX{i:03d}", name=f"工会{i}", founded_on="2010-01-01", chair=staff if i == 0 else None
        )
        enterprise = Enterprise.objects.create(
            name=f"企业{i}",
            credit_code=make_credit_code(1000 + i),
            union=union,
            size_band="small",
            industry="other",
        )
        for _ in range(3):
            register(enterprise)


@pytest.mark.parametrize("name", PINNED)
def test_list_page_query_count_is_fixed(client, staff, register, name):
    client.force_login(staff)
    _grow(register, staff, 2)
    small = _queries(client, reverse(name))
    _grow(register, staff, 8)
    large = _queries(client, reverse(name))
    assert small == large == PINNED[name]


def test_chair_member_list_query_count_is_fixed(client, chair_a, register, enterprise_a):
    client.force_login(chair_a)
    register(enterprise_a)
    small = _queries(client, reverse("members:member_list"))
    for _ in range(20):
        register(enterprise_a)
    assert _queries(client, reverse("members:member_list")) == small


def _grow_dues(staff, n):
    import datetime
    from decimal import Decimal

    from members.models import DuesPeriod
    from members.periods import Period
    from members.services import dues
    from tests.factories import TODAY

    year = TODAY.year - 1  # a whole year that has passed: every payment is received before today
    for union in GrassrootsUnion.objects.all():
        for month in range(1, n + 1):
            if DuesPeriod.objects.filter(union=union, label=f"{year}-{month:02d}").exists():
                continue
            period = dues.get_period(union=union, period=Period("monthly", year, month))
            DuesPeriod.objects.filter(pk=period.pk).update(funds_due=Decimal("100.00"))
            dues.record_remittance(
                by=staff,
                period=period,
                amount=Decimal("40.00"),
                received_on=datetime.date(year, month, 20),
                voucher_no=f"V{union.pk}-{month}",
                channel="tax",
            )


@pytest.mark.parametrize("name", ["members:dues_overview", "members:arrears", "members:union_dues"])
def test_dues_page_query_count_is_fixed(client, staff, finance_staff, register, name):
    client.force_login(staff)
    _grow(register, staff, 2)
    _grow_dues(finance_staff, 2)
    url = (
        reverse(name, args=[GrassrootsUnion.objects.first().pk])
        if name == "members:union_dues"
        else reverse(name)
    )
    small = _queries(client, url)
    _grow(register, staff, 4)
    _grow_dues(finance_staff, 8)
    assert _queries(client, url) == small


# The member area's home page (issue 22): the session and the user, the member's current membership (one, with
# its union and enterprise), the privacy consent, the unread messages, and the tiles the programmes contribute
# (card 1, activities 1-2, applications ≤ 2, complaints 1, tutoring classes 2: the children's enrolments and the
# classes open to the member) — the same with one sign-up or many, one card or a history of them.
MEMBER_HOME_QUERIES = 13


def test_member_home_query_count_is_fixed(
    member_client, member_a, staff, assoc_chair, register, enterprise_a
):
    import datetime

    from django.utils import timezone

    from associations.models import Association
    from associations.services import activities
    from perks.services import cards

    client = member_client(member_a)
    member_a.refresh_from_db()
    cards.issue_card(by=staff, member=member_a)
    association = Association.objects.get(chair=assoc_chair)

    def grow(n):
        for i in range(n):
            start = timezone.now() + datetime.timedelta(days=5 + i)
            activity = activities.create_activity(
                by=assoc_chair,
                association=association,
                title=f"活动{i}",
                kind="outing",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                venue="西湖",
                capacity=30,
                signup_deadline=start - datetime.timedelta(days=1),
                eligibility="all_members",
            )
            activities.sign_up(by=client.member_user, activity=activity, member=member_a)

    grow(1)
    small = _queries(client, reverse("member_area:home"))
    grow(5)
    large = _queries(client, reverse("member_area:home"))
    assert small == large == MEMBER_HOME_QUERIES
