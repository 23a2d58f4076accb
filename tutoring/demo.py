"""Demo tutoring classes (周末、暑期托教辅导班): the last three summers' classes at three enterprise unions (about
thirty children a summer in all), this year's weekend classes (a spring and an autumn term), every session up to
the demo's today with its attendance taken, and one weekend class of HN001 (chair1's union) open for enrolment,
in which the demo member of HN001 (members.demo.DEMO_MEMBER_PHONES) can enrol a child from /m/tutoring/.

Classes are made through the services (timetables from the working calendar); the enrolments and attendance of
classes already under way are written as rows, with the date checks of the services left out: they lie in the
past. The open class's enrolments go through the service."""

import datetime
from decimal import Decimal

from django.utils import timezone

from members.demo import demo_members
from members.models import Enterprise, Member
from unionhub.contributions import demo_step

from . import services
from .models import Attendance, Enrolment, Session, TutoringClass, age_on

SUMMER = "暑期爱心托管班"
SUBJECTS = ["作业辅导、阅读、安全教育", "书法、美术、趣味科学", "英语口语、手工、体育游戏"]
TOPICS = [
    "暑假作业辅导",
    "绘本阅读",
    "防溺水安全教育",
    "趣味科学实验",
    "书法练习",
    "手工制作",
    "体育游戏",
    "观影分享",
]
TUTORS = [
    ("王老师", "teacher"),
    ("李老师", "teacher"),
    ("大学生志愿者 陈同学", "volunteer"),
    ("志愿者 周阿姨", "volunteer"),
]
PRESENT = 0.9  # most children come


def _host(union):
    return Enterprise.objects.filter(union=union).order_by("-headcount", "pk").first()


def _guardians(union, rng, count):
    members = list(Member.objects.active().filter(union=union).order_by("pk")[:200])
    return rng.sample(members, min(count, len(members)))


def _child_birth(rng, tutoring_class) -> datetime.date:
    age = rng.randint(tutoring_class.min_age, tutoring_class.max_age)
    day = tutoring_class.starts_on - datetime.timedelta(days=365 * age + rng.randint(10, 340))
    # Keep within the range on the first day whatever the leap years did.
    while age_on(day, tutoring_class.starts_on) > tutoring_class.max_age:
        day += datetime.timedelta(days=30)
    while age_on(day, tutoring_class.starts_on) < tutoring_class.min_age:
        day -= datetime.timedelta(days=30)
    return day


def _make(demo, *, union, kind, title, start, end, pattern, weekdays=(), capacity, hours, subject):
    staff = demo.staff
    tutoring_class = services.create_class(
        by=staff,
        union=union,
        enterprise=_host(union),
        kind=kind,
        title=title,
        subjects=subject,
        description="为园区外来务工人员子女提供看护和学习辅导，家长下班后接回。",
        support="区总工会提供场地补贴、教材和志愿者，并联系团区委组织大学生志愿者。",
        subsidy=Decimal(demo.rng.choice([3000, 5000, 8000])),
        min_age=6,
        max_age=12,
        capacity=capacity,
        starts_on=start,
        ends_on=end,
        place=f"{_host(union).name if _host(union) else union.name}职工之家活动室",
        open_to_district=False,
    )
    tutors = [
        services.add_tutor(
            by=staff, tutoring_class=tutoring_class, name=name, role=role, phone=demo.gen.mobile()
        )
        for name, role in demo.rng.sample(TUTORS, 3)
    ]
    services.generate_sessions(
        by=staff,
        tutoring_class=tutoring_class,
        pattern=pattern,
        start=start,
        end=end,
        starts_at=hours[0],
        ends_at=hours[1],
        weekdays=weekdays,
    )
    for n, session in enumerate(tutoring_class.sessions.order_by("date")):
        session.topic = TOPICS[n % len(TOPICS)]
        session.tutor = tutors[n % len(tutors)]
        session.save(update_fields=["topic", "tutor"])
    return tutoring_class


def _run(demo, tutoring_class, *, children: int) -> None:
    """A class begun before the demo's today: approved, its children enrolled (rows), attendance for every
    session up to today, and finished when its last day has passed."""
    rng, today, staff = demo.rng, demo.today, demo.staff
    now = timezone.now()
    finished = tutoring_class.ends_on < today
    TutoringClass.objects.filter(pk=tutoring_class.pk).update(
        status=TutoringClass.Status.FINISHED if finished else TutoringClass.Status.CLOSED,
        submitted_at=now,
        approved_by=staff,
        approved_at=now,
    )
    consent_on = timezone.make_aware(
        datetime.datetime.combine(tutoring_class.starts_on - datetime.timedelta(days=10), datetime.time(20))
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                tutoring_class=tutoring_class,
                member=guardian,
                child_name=guardian.name[0] + demo.gen.name()[1:],
                child_birth_date=_child_birth(rng, tutoring_class),
                guardian_consent_on=consent_on,
                consent_text=str(services.CONSENT_TEXT),
                status=Enrolment.Status.CONFIRMED,
                enrolled_by=tutoring_class.union.chair,
            )
            for guardian in _guardians(tutoring_class.union, rng, children)
        ]
    )
    marks, held = [], []
    for session in tutoring_class.sessions.filter(date__lte=today).order_by("date"):
        taken = timezone.make_aware(datetime.datetime.combine(session.date, session.ends_at))
        for enrolment in enrolments:
            marks.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    present=rng.random() < PRESENT,
                    marked_by=tutoring_class.union.chair or staff,
                    marked_at=taken,
                )
            )
        session.attendance_taken_at, session.attendance_taken_by = taken, tutoring_class.union.chair or staff
        held.append(session)
    # The last session up to today is left without attendance in a running class: the chair's to-do shows it.
    if held and not finished:
        last = held.pop()
        marks = [m for m in marks if m.session_id != last.pk]
    Attendance.objects.bulk_create(marks, batch_size=2000)
    Session.objects.bulk_update(held, ["attendance_taken_at", "attendance_taken_by"])


@demo_step(order=240)
def tutoring_classes(demo) -> None:
    rng, today = demo.rng, demo.today
    unions = list(demo.unions[:6])
    hosts = [unions[0], unions[3], unions[5]]
    summer_hours = (datetime.time(8, 30), datetime.time(16, 30))
    for year in (today.year - 2, today.year - 1, today.year):
        start, end = datetime.date(year, 7, 6), datetime.date(year, 8, 14)
        for n, union in enumerate(hosts):
            tutoring_class = _make(
                demo,
                union=union,
                kind=TutoringClass.Kind.SUMMER,
                title=f"{year}年{SUMMER}",
                start=start,
                end=end,
                pattern=services.WORKING_DAYS,
                capacity=12,
                hours=summer_hours,
                subject=SUBJECTS[n],
            )
            if start <= today:
                _run(demo, tutoring_class, children=rng.randint(9, 11))
            else:
                services.approve_class(by=demo.staff, tutoring_class=tutoring_class, today=today)
    # This year's weekend classes: a spring and an autumn term, Saturday mornings.
    terms = [
        (unions[1], "春季周末课堂", datetime.date(today.year, 3, 7), datetime.date(today.year, 6, 27)),
        (unions[2], "秋季周末课堂", datetime.date(today.year, 9, 5), datetime.date(today.year, 12, 26)),
    ]
    for union, title, start, end in terms:
        if start > today:
            continue
        tutoring_class = _make(
            demo,
            union=union,
            kind=TutoringClass.Kind.WEEKEND,
            title=f"{today.year}年{title}",
            start=start,
            end=end,
            pattern=services.WEEKLY,
            weekdays=[5],
            capacity=20,
            hours=(datetime.time(8, 30), datetime.time(11, 30)),
            subject=SUBJECTS[2],
        )
        _run(demo, tutoring_class, children=rng.randint(12, 16))
    # Open for enrolment: chair1's union's next weekend term, which the demo member of HN001 may join.
    start = today + datetime.timedelta(days=14)
    open_class = _make(
        demo,
        union=unions[0],
        kind=TutoringClass.Kind.WEEKEND,
        title="职工子女周末成长课堂",
        start=start,
        end=start + datetime.timedelta(days=84),
        pattern=services.WEEKLY,
        weekdays=[5, 6],
        capacity=15,
        hours=(datetime.time(9), datetime.time(11, 30)),
        subject="作业辅导、阅读、编程启蒙",
    )
    services.submit_class(by=unions[0].chair or demo.staff, tutoring_class=open_class)
    services.approve_class(by=demo.staff, tutoring_class=open_class, today=today)
    demo_guardians = {m.pk for m in demo_members()}
    others = [m for m in _guardians(unions[0], rng, 12) if m.pk not in demo_guardians][:8]
    for guardian in others:
        services.enrol(
            by=demo.staff,
            tutoring_class=open_class,
            member=guardian,
            child_name=guardian.name[0] + demo.gen.name()[1:],
            child_birth_date=_child_birth(rng, open_class),
            consent=True,
        )
    # A class a chair has submitted and aid staff have still to approve (the aid staff's to-do).
    waiting = _make(
        demo,
        union=unions[3],
        kind=TutoringClass.Kind.WEEKEND,
        title="寒假周末托管班",
        start=today + datetime.timedelta(days=40),
        end=today + datetime.timedelta(days=80),
        pattern=services.WEEKLY,
        weekdays=[5],
        capacity=20,
        hours=(datetime.time(9), datetime.time(11, 30)),
        subject=SUBJECTS[0],
    )
    TutoringClass.objects.filter(pk=waiting.pk).update(submitted_at=timezone.now())
