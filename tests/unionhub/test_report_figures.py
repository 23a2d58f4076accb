"""The monthly report's figures: each section, a month with nothing in it, a union's scope, the
year to date and last year's month, and a number of queries that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aid.models import Application, FundEntry, Programme
from aid.services import fund
from associations.models import Activity, Association, PlannedActivity, SignUp
from grievances.models import Case
from members import services
from members.models import DuesPeriod, MembershipEvent
from members.services.dues import record_remittance
from perks.models import Card, CardCheck, Merchant, Redemption
from secondment import services as secondment_services
from secondment.models import Certificate, DutyDay, DutyLog
from tests import factories
from tests.factories import TODAY
from unionhub.reports.figures import build_report, headline

pytestmark = pytest.mark.usefixtures("english")

MONTH = datetime.date(TODAY.year - 1, 6, 1)  # the month reported on
EARLIER = datetime.date(TODAY.year - 1, 3, 10)  # earlier in the same year
LAST_YEAR = datetime.date(TODAY.year - 2, 6, 12)  # the same month a year before
IN_MONTH = datetime.date(TODAY.year - 1, 6, 10)
MONTH_END = datetime.date(TODAY.year - 1, 6, 30)
EMPTY = datetime.date(TODAY.year - 1, 9, 1)  # nothing happens that month


def section(report, key):
    return next(s for s in report.sections if s.key == key)


def figure(report, key, label):
    return next(f for f in section(report, key).figures if f.label == label)


def values(report, key, label):
    f = figure(report, key, label)
    return f.month, f.year_to_date, f.last_year


def test_sections_in_order(db):
    report = build_report(datetime.date(2024, 5, 17))
    assert report.month == datetime.date(2024, 5, 1)
    assert [s.key for s in report.sections] == [
        "membership",
        "dues",
        "hardship",
        "grievances",
        "secondment",
        "associations",
        "cards",
    ]


# --- membership --------------------------------------------------------------------------------------


@pytest.fixture
def movements(register, staff, enterprise_a, enterprise_b):
    register(enterprise_a, name="甲一", joined_on=LAST_YEAR)
    register(enterprise_a, name="甲二", joined_on=EARLIER)
    joined = register(enterprise_a, name="甲三", joined_on=IN_MONTH)
    leaver = register(enterprise_a, name="甲四", joined_on=datetime.date(2020, 1, 1))
    services.change_membership_status(
        by=staff, member=leaver, kind=MembershipEvent.Kind.WITHDREW, on=IN_MONTH
    )
    later = register(enterprise_a, name="甲五", joined_on=datetime.date(2020, 1, 1))
    services.change_membership_status(by=staff, member=later, kind=MembershipEvent.Kind.STRUCK_OFF, on=EMPTY)
    register(enterprise_b, name="乙一", joined_on=IN_MONTH)
    return joined


def test_membership(movements, union_a):
    report = build_report(MONTH)
    # At the month end: 甲一, 甲二, 甲三, 甲五 (left later), 乙一; 甲四 left in the month.
    assert values(report, "membership", "Members at month end") == (5, None, 3)
    assert values(report, "membership", "Joined (incl. transfers in)") == (2, 3, 1)
    assert values(report, "membership", "Left (transfers out, withdrawals, struck off)") == (1, 1, 0)
    assert figure(report, "membership", "Grassroots unions").month == 2
    chart = section(report, "membership").charts[0]
    assert chart.kind == "line" and len(chart.labels) == 12 and chart.series[0][1][-1] == 5
    assert section(report, "membership").rows[0][:5] == ["HN001", union_a.name, 4, 1, 1]

    mine = build_report(MONTH, union=union_a)
    assert values(mine, "membership", "Members at month end") == (4, None, 3)
    assert values(mine, "membership", "Joined (incl. transfers in)") == (1, 2, 1)
    assert figure(mine, "membership", "Grassroots unions").month == 1
    assert [row[0] for row in section(mine, "membership").rows] == ["HN001"]


# --- dues ---------------------------------------------------------------------------------------------


def make_period(union, start, end, funds_due):
    return DuesPeriod.objects.create(
        union=union,
        kind="monthly",
        label=f"{start:%Y-%m}",
        start=start,
        end=end,
        due_date=end + datetime.timedelta(days=15),
        funds_due=funds_due,
    )


def test_dues(finance_staff, union_a, union_b):
    june = make_period(union_a, MONTH, MONTH_END, Decimal("1000.00"))
    old = make_period(
        union_a, datetime.date(MONTH.year, 1, 1), datetime.date(MONTH.year, 1, 31), Decimal("500.00")
    )
    make_period(union_b, MONTH, MONTH_END, Decimal("300.00"))
    record_remittance(
        by=finance_staff,
        period=june,
        amount=Decimal("400.00"),
        received_on=IN_MONTH,
        voucher_no="V1",
        channel="transfer",
    )
    record_remittance(
        by=finance_staff,
        period=old,
        amount=Decimal("100.00"),
        received_on=EARLIER,
        voucher_no="V2",
        channel="transfer",
    )
    record_remittance(
        by=finance_staff,
        period=old,
        amount=Decimal("400.00"),
        received_on=EMPTY,
        voucher_no="V3",
        channel="transfer",
    )  # after the month end: still owed then

    report = build_report(MONTH)
    assert values(report, "dues", "Funds due (periods ending in the month)") == (
        Decimal("1300.00"),
        Decimal("1800.00"),
        Decimal("0.00"),
    )
    assert values(report, "dues", "Funds received") == (Decimal("400.00"), Decimal("500.00"), Decimal("0.00"))
    # Only January was past its due date at the end of June: 500 − 100.
    assert figure(report, "dues", "Outstanding at month end").month == Decimal("400.00")
    assert figure(report, "dues", "Periods in arrears over three months").month == 1
    chart = section(report, "dues").charts[0]
    assert (
        chart.labels[-1] == f"{MONTH:%Y-%m}"
        and chart.series[0][1][2] == 100.0
        and chart.series[0][1][5] == 400.0
    )

    theirs = build_report(MONTH, union=union_b)
    assert values(theirs, "dues", "Funds received")[0] == Decimal("0.00")
    assert figure(theirs, "dues", "Periods in arrears over three months").month == 0


# --- hardship fund ------------------------------------------------------------------------------------


def test_hardship(aid_staff, member_a, member_b, union_a):
    fund.post_income(kind=FundEntry.Kind.DONATION, amount=Decimal("10000"), on=EARLIER, description="捐赠")
    fund.post_income(
        kind=FundEntry.Kind.CHARITY_TRANSFER, amount=Decimal("2000"), on=IN_MONTH, description="慈善"
    )
    living = Programme.objects.create(
        year=MONTH.year,
        kind=Programme.Kind.LIVING,
        name="生活救助",
        min_amount=Decimal("100"),
        max_amount=Decimal("5000"),
        opens_on=datetime.date(MONTH.year, 1, 1),
        closes_on=MONTH_END,
    )
    fund.disburse(amount=Decimal("3000"), programme=living, description="生活救助", on=IN_MONTH)
    for member, amount in ((member_a, "1000"), (member_b, "2000")):
        Application.objects.create(
            programme=living,
            member=member,
            union=member.union,
            submitted_on=EARLIER,
            amount_requested=Decimal(amount),
            reason="困难",
            status=Application.Status.PAID,
            approved_amount=Decimal(amount),
            decided_on=IN_MONTH,
        )

    report = build_report(MONTH)
    assert values(report, "hardship", "Fund: opening balance") == (
        Decimal("10000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert values(report, "hardship", "Fund: other income")[:2] == (Decimal("2000.00"), Decimal("12000.00"))
    assert values(report, "hardship", "Fund: paid out")[:2] == (Decimal("3000.00"), Decimal("3000.00"))
    assert figure(report, "hardship", "Fund: closing balance").month == Decimal("9000.00")
    assert values(report, "hardship", "Aid granted") == (
        Decimal("3000.00"),
        Decimal("3000.00"),
        Decimal("0.00"),
    )
    assert section(report, "hardship").charts[0].series[0][1] == [3000.0]

    mine = build_report(MONTH, union=union_a)
    assert figure(mine, "hardship", "Aid granted").month == Decimal("1000.00")
    assert figure(mine, "hardship", "Applications granted").month == 1
    assert "district-wide" in section(mine, "hardship").note


# --- grievances ---------------------------------------------------------------------------------------


def make_case(
    n,
    *,
    enterprise=None,
    received_on=IN_MONTH,
    closed_on=None,
    recovered=None,
    limitation_on=None,
    category="wage_arrears",
):
    case = factories.make_case(
        number=f"C{n:05d}",
        category=category,
        complainant_name=f"投诉人{n}",
        enterprise=enterprise,
        employer_name=getattr(enterprise, "name", "某公司"),
        description="欠薪",
        received_on=received_on,
        closed_on=closed_on,
        amount_recovered=recovered,
        stage=Case.Stage.CLOSED if closed_on else Case.Stage.ACCEPTED,
        outcome="resolved" if closed_on else "",
    )
    if limitation_on:  # derived from the employment and harm dates on save; set directly here
        Case.objects.filter(pk=case.pk).update(limitation_on=limitation_on)
    return case


def test_grievances(enterprise_a, enterprise_b, union_a):
    make_case(1, enterprise=enterprise_a, closed_on=MONTH_END, recovered=Decimal("5000"))
    make_case(
        2,
        enterprise=enterprise_a,
        limitation_on=MONTH_END + datetime.timedelta(days=20),
        category="dismissal",
    )
    make_case(
        3, enterprise=enterprise_b, received_on=EARLIER, limitation_on=MONTH_END + datetime.timedelta(days=40)
    )
    make_case(4, enterprise=enterprise_b, received_on=LAST_YEAR, closed_on=EARLIER)

    report = build_report(MONTH)
    assert values(report, "grievances", "Cases opened") == (2, 3, 1)
    assert values(report, "grievances", "Cases closed") == (1, 2, 0)
    assert values(report, "grievances", "Money recovered") == (
        Decimal("5000.00"),
        Decimal("5000.00"),
        Decimal("0.00"),
    )
    assert values(report, "grievances", "Open at month end") == (2, None, 1)
    assert figure(report, "grievances", "Limitation deadlines in the next 30 days").month == 1
    sec = section(report, "grievances")
    assert sec.charts[0].labels == ["Wage arrears", "Dismissal"]
    assert not any("投诉人" in str(cell) for row in sec.rows for cell in row)

    mine = build_report(MONTH, union=union_a)
    assert values(mine, "grievances", "Cases opened") == (2, 2, 0)
    assert values(mine, "grievances", "Open at month end") == (1, None, 0)


# --- secondment ---------------------------------------------------------------------------------------


def test_secondment(make_user, union_a, union_b, staff):
    term = secondment_services.start_term(
        cadre=make_user("c1", name="陈一"), union=union_a, start_date=datetime.date(MONTH.year, 1, 1)
    )
    other = secondment_services.start_term(
        cadre=make_user("c2", name="陈二"), union=union_b, start_date=datetime.date(MONTH.year, 2, 1)
    )
    days = [
        DutyDay.objects.create(
            term=term, date=datetime.date(MONTH.year, 6, d), cycle_start=datetime.date(MONTH.year, 6, d)
        )
        for d in (3, 10, 17, 24)
    ]
    for day, status in zip(days[:3], ("confirmed", "pending", "rejected"), strict=True):
        DutyLog.objects.create(
            duty_day=day,
            arrived_at=datetime.time(9),
            left_at=datetime.time(17),
            activities=["office_duty"],
            status=status,
        )
    DutyDay.objects.create(term=other, date=EARLIER, cycle_start=EARLIER)
    Certificate.objects.create(term=other, number="CERT-1", issued_on=IN_MONTH)

    report = build_report(MONTH)
    assert values(report, "secondment", "Cadres active at month end") == (2, None, 0)
    assert values(report, "secondment", "Duty days held") == (2, 2, 0)
    assert values(report, "secondment", "Duty days missed") == (1, 2, 0)
    assert figure(report, "secondment", "Attendance rate").month == Decimal("50.0")
    assert figure(report, "secondment", "Certificates issued").month == 1

    mine = build_report(MONTH, union=union_a)
    assert values(mine, "secondment", "Cadres active at month end")[0] == 1
    assert values(mine, "secondment", "Duty days missed") == (1, 1, 0)
    assert figure(mine, "secondment", "Certificates issued").month == 0
    assert [row[1] for row in section(mine, "secondment").rows] == ["陈一"]


# --- associations -------------------------------------------------------------------------------------


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_associations(member_a, member_b, union_a):
    club = Association.objects.create(name="摄影协会", kind="arts", founded_on=datetime.date(2015, 1, 1))
    for month in (3, 6, 9):
        PlannedActivity.objects.create(
            association=club, year=MONTH.year, month=month, title="外拍", kind="outing"
        )
    for day, status in ((IN_MONTH, "held"), (EARLIER, "held"), (LAST_YEAR, "held"), (IN_MONTH, "cancelled")):
        activity = Activity.objects.create(
            association=club,
            title="外拍",
            kind="outing",
            starts_at=aware(day),
            ends_at=aware(day, 16),
            venue="公园",
            capacity=20,
            signup_deadline=aware(day, 8),
            status=status,
        )
        if day == IN_MONTH and status == "held":
            for member, came in ((member_a, True), (member_b, False)):
                SignUp.objects.create(activity=activity, member=member, status="confirmed", attended=came)

    report = build_report(MONTH)
    assert values(report, "associations", "Activities held") == (1, 2, 1)
    assert figure(report, "associations", "Activities planned for the year").year_to_date == 3
    assert values(report, "associations", "Participants") == (1, 1, 0)
    assert section(report, "associations").rows == [["摄影协会", 1, 2, 3]]

    mine = build_report(MONTH, union=union_a)
    assert section(mine, "associations").available is False and section(mine, "associations").note


# --- discount cards -----------------------------------------------------------------------------------


def test_cards(member_a, member_b, union_a):
    shop = Merchant.objects.create(name="联华超市", category="supermarket")
    card_a = Card.objects.create(number="A1", member=member_a, issued_on=IN_MONTH, status_changed_on=IN_MONTH)
    Card.objects.create(
        number="B1", member=member_b, issued_on=LAST_YEAR, status="cancelled", status_changed_on=EMPTY
    )
    check = CardCheck.objects.create(merchant=shop, entered="A1", card=card_a, result="valid")
    CardCheck.objects.filter(pk=check.pk).update(at=aware(IN_MONTH))
    Redemption.objects.create(
        merchant=shop,
        card=card_a,
        card_check=check,
        amount_spent=Decimal("200"),
        discount_given=Decimal("10"),
        at=aware(IN_MONTH),
    )

    report = build_report(MONTH)
    assert values(report, "cards", "Cards issued") == (1, 1, 1)
    assert values(report, "cards", "Cards active at month end") == (2, None, 1)
    assert values(report, "cards", "Card checks") == (1, 1, 0)
    assert values(report, "cards", "Discount given") == (Decimal("10.00"), Decimal("10.00"), Decimal("0.00"))
    assert section(report, "cards").rows == [["联华超市", 1, Decimal("200.00"), Decimal("10.00")]]

    theirs = build_report(MONTH, union=member_b.union)
    assert values(theirs, "cards", "Redemptions") == (0, 0, 0)
    assert values(theirs, "cards", "Cards active at month end")[0] == 1


# --- an empty month, queries, the dashboard ---------------------------------------------------------


def test_month_with_nothing_is_zeros(movements, union_a):
    report = build_report(EMPTY, union=union_a)
    for sec in report.sections:
        for f in sec.figures:
            assert f.month is None or f.month >= 0, (sec.key, f.label)
    assert values(report, "grievances", "Cases opened") == (0, 0, 0)
    assert values(report, "dues", "Funds received") == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert values(report, "cards", "Redemptions") == (0, 0, 0)
    assert figure(report, "secondment", "Attendance rate").month == Decimal("0")


def populate(n, register, enterprise, start):
    for i in range(n):
        member = register(enterprise, name=f"成员{start + i}", joined_on=IN_MONTH)
        make_case(start + i, enterprise=enterprise, closed_on=MONTH_END if i % 2 else None)
        Card.objects.create(
            number=f"N{start + i}", member=member, issued_on=IN_MONTH, status_changed_on=IN_MONTH
        )


def count_queries(union=None):
    with CaptureQueriesContext(connection) as ctx:
        build_report(MONTH, union=union)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow(register, enterprise_a, union_a):
    populate(3, register, enterprise_a, 0)
    few, few_union = count_queries(), count_queries(union_a)
    populate(9, register, enterprise_a, 100)
    assert count_queries() == few
    assert count_queries(union_a) == few_union


def test_headline(member_a, member_b, cadre_a):
    make_case(1, received_on=TODAY)
    figures = {f.label: f.month for f in headline(TODAY)}
    assert figures["Members"] == 3  # member_a, member_b and the cadre's member record
    assert figures["Open cases"] == 1
    assert figures["Cadres active"] == 1
    assert figures["Hardship fund balance"] == Decimal("0.00")
    assert figures["Redemptions this month"] == 0
