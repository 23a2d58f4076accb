"""Tutoring classes built through the services, for the feature tests and the access matrix's district."""

import datetime

from tests.factories import TODAY
from tutoring import services

DAY = datetime.timedelta(days=1)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def make_class(
    *,
    by,
    union,
    approve_by=None,
    kind="summer",
    starts_on=None,
    ends_on=None,
    capacity=20,
    min_age=6,
    max_age=12,
    open_to_district=False,
    sessions=(),
    title="暑期托管班",
    enterprise=None,
):
    """A class hosted by ``union``, with a session on each day of ``sessions`` (by default its first day) at
    9:00–11:30, approved (open for enrolment) when ``approve_by`` is given."""
    starts_on = starts_on or TODAY + 10 * DAY
    ends_on = ends_on or starts_on + 30 * DAY
    tutoring_class = services.create_class(
        by=by,
        union=union,
        enterprise=enterprise,
        kind=kind,
        title=title,
        subjects="作业辅导、阅读、美术",
        description="",
        support="区总工会提供场地补贴和志愿者",
        subsidy=None,
        min_age=min_age,
        max_age=max_age,
        capacity=capacity,
        starts_on=starts_on,
        ends_on=ends_on,
        place="职工之家活动室",
        open_to_district=open_to_district,
    )
    for day in sessions or [starts_on]:
        services.add_session(
            by=by,
            tutoring_class=tutoring_class,
            date=day,
            starts_at=datetime.time(9),
            ends_at=datetime.time(11, 30),
            topic="作业辅导",
        )
    if approve_by is not None:
        tutoring_class = services.approve_class(by=approve_by, tutoring_class=tutoring_class)
    return tutoring_class


def child_born(tutoring_class, age: int) -> datetime.date:
    """A birth date that makes the child exactly ``age`` on the class's first day (a birthday that day)."""
    return years_before(tutoring_class.starts_on, age)


def enrol(tutoring_class, member, *, by=None, name="小明", age=8, consent=True):
    return services.enrol(
        by=by or member.user,
        tutoring_class=tutoring_class,
        member=member,
        child_name=name,
        child_birth_date=child_born(tutoring_class, age),
        consent=consent,
    )


def add_to_district(d: dict) -> None:
    """The access matrix's tutoring objects: union A's running class (begun two weeks ago, open to its members,
    with a past session and member A's child enrolled), member B's twins for the member area's walk (union B's
    class, closed to the district, with member B's child), and a class of union A waiting for approval."""
    staff_aid, chair_a, chair_b = d["aid"], d["chair_a"], d["chair_b"]
    past = TODAY - 14 * DAY
    d["tutoring_class"] = running = make_class(
        by=chair_a,
        union=d["union_a"],
        approve_by=staff_aid,
        starts_on=past,
        ends_on=TODAY + 14 * DAY,
        sessions=[past, TODAY - 7 * DAY, TODAY + 7 * DAY],
        title="甲公司暑期托管班",
    )
    d["tutoring_session"] = running.sessions.order_by("date").first()
    d["tutoring_tutor"] = services.add_tutor(
        by=chair_a, tutoring_class=running, name="陈老师", role="teacher", phone="13812340000"
    )
    d["tutoring_enrolment"] = enrol(running, d["member_a"], by=staff_aid, name="王小宝")
    services.take_attendance(by=chair_a, session=d["tutoring_session"], present=[d["tutoring_enrolment"].pk])
    other = make_class(
        by=chair_b,
        union=d["union_b"],
        approve_by=staff_aid,
        starts_on=past,
        ends_on=TODAY + 14 * DAY,
        sessions=[past],
        title="乙片区周末课堂",
        kind="weekend",
    )
    d["member_b_twins"]["tutoring_class"] = other
    d["member_b_twins"]["tutoring_enrolment"] = enrol(other, d["member_b"], by=staff_aid, name="李小妹")
    d["member_b_twins_expected"] += [
        "member_tutoring:detail",
        "member_tutoring:enrol",
        "member_tutoring:withdraw",
    ]
