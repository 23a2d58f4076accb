"""The secondment scheme in the demo district: 183 cadres over three years (about 60 seconded now),
their nominations, the rota generated for every term, duty logs (most confirmed, a few missed or
awaiting confirmation), assessments with outcomes, training courses, a few pending nominations
for staff to review, swap requests, and certificates for the cohorts that finished more than six
weeks ago. A step of the demo district (``@demo_step``, run by ``unionhub.demo.run``), after the members exist."""

import contextlib
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from members.models import Member
from unionhub.contributions import demo_step
from unionhub.dates import months_after
from unionhub.workdays import working_days

from . import services
from .models import Certificate, Course, DutyDay, DutyLog, Enrolment, Nomination, SecondmentTerm, UnionPost
from .rules import cycle_start, rules, term_end
from .services import rota
from .services.certificates import issue_certificate, render_certificate
from .services.late_entry import request_late_entry

ACTIVE, COMPLETED = 60, 123
RECOMMENDATIONS = [
    "该同志担任企业工会副主席三年，熟悉劳动法律法规，积极参与企业集体协商，热爱工会工作，愿意到区总工会上挂锻炼。",
    "该同志工作认真负责，组织职工文体活动经验丰富，群众基础好，承诺服从区总工会的值班安排。",
    "该同志长期从事企业人事和工会工作，善于化解劳动纠纷，有较强的服务意识和奉献精神，推荐参加上挂锻炼。",
    "该同志是企业技术骨干，兼任工会委员，在职工技能比武中表现突出，热心为职工服务。",
]
NOTES = [
    "接待来访职工，登记欠薪投诉一件并转交维权站",
    "参与某企业劳动关系协调会，促成双方达成一致",
    "协助筹备职工技能比武，整理报名材料",
    "整理困难职工档案，电话回访三户",
    "参加职工文化活动排练与现场服务",
    "值守12351热线，解答社保咨询四起",
    "协助开展工会经费收缴情况统计",
]
COURSES = [
    ("上挂干部轮训班", Course.Track.ROTATION, "高新区总工会", Decimal(16)),
    ("劳动争议调解专题培训", Course.Track.SPECIALIST, "中国劳动关系学院", Decimal(40)),
    ("全省工会干部集中培训", Course.Track.CENTRAL, "浙江省总工会干部学校", Decimal(24)),
    ("新任工会主席入职培训", Course.Track.INDUCTION, "嘉兴市总工会", Decimal(12)),
]


def _young_members(union_ids, today: datetime.date) -> dict[int, list[Member]]:
    """Active members aged 25–39 per union, those with junior college or above first."""
    oldest, youngest = months_after(today, -39 * 12), months_after(today, -25 * 12)  # safe on 29 February
    educated = {"junior_college", "bachelor", "master", "doctorate"}
    found: dict[int, list[Member]] = {}
    for member in (
        Member.objects.active()
        .filter(union_id__in=union_ids, birth_date__range=(oldest, youngest))
        .order_by("union_id", "pk")
    ):
        found.setdefault(member.union_id, []).append(member)
    for members in found.values():
        members.sort(key=lambda m: m.education not in educated)
    return found


def seed_secondment(*, gen, unions, chairs, cadre, staff, today: datetime.date, password: str) -> None:
    rng = gen.rng
    User = get_user_model()
    candidates = _young_members([u.pk for u in unions], today)
    used: set[int] = set()

    def nominee(union) -> Member | None:
        """A young member of the union not yet seconded; their education is raised to junior
        college when the union has no better-educated young member (the rule requires it)."""
        member = next((m for m in candidates.get(union.pk, []) if m.pk not in used), None)
        if member is None:
            return None
        used.add(member.pk)
        if member.education not in ("junior_college", "bachelor", "master", "doctorate"):
            member.education = "junior_college"
            member.save(update_fields=["education"])
        return member

    # --- the cadres now seconded: the cadre demo account (chair of HN005) and 59 other chairs -----
    # (A small demo district may lack young members in some unions: those chairs are passed over.)
    plans = []
    people = [(cadre, unions[4])] + [(chairs[i], unions[i]) for i in range(10, len(unions))]
    for user, union in people:
        if len(plans) == ACTIVE:
            break
        member = nominee(union)
        if member is None and user is not cadre:
            continue
        start = gen.date_between(today - datetime.timedelta(days=350), today - datetime.timedelta(days=10))
        if user is cadre:  # long enough in post to have a day past the logging window (the late-entry demo)
            start = min(start, today - datetime.timedelta(days=60))
        plans.append((user, union, member, start, UnionPost.CHAIR, SecondmentTerm.Status.ACTIVE))
    # --- earlier cohorts: 123 cadres whose year is over (three of them left early) ---------------
    seconded_now = {plan[1].pk for plan in plans}
    earlier = [
        (union, member)
        for union in unions[69:] + unions[:69]
        if union.pk not in seconded_now
        for member in candidates.get(union.pk, [])[:3]
        if member.pk not in used
    ]
    earlier.sort(key=lambda pair: candidates[pair[0].pk].index(pair[1]))  # one per union first
    usernames = set()
    for k, (union, _candidate) in enumerate(earlier[:COMPLETED]):
        member = nominee(union)
        username = gen.mobile()
        while username in usernames:
            username = gen.mobile()
        usernames.add(username)
        user = User.objects.create(username=username, name=member.name, phone=username, password=password)
        start = gen.date_between(
            today - datetime.timedelta(days=3 * 365 + 60), today - datetime.timedelta(days=380)
        )
        status = SecondmentTerm.Status.ENDED_EARLY if k % 41 == 7 else SecondmentTerm.Status.COMPLETED
        plans.append(
            (
                user,
                union,
                member,
                start,
                rng.choice([UnionPost.VICE_CHAIR, UnionPost.COMMITTEE_MEMBER]),
                status,
            )
        )

    terms = []
    for user, union, member, start, post, status in plans:
        if member is None:  # the cadre account in a district too small to have a nominee for HN005
            terms.append(
                SecondmentTerm.objects.create(
                    cadre=user, union=union, start_date=start, end_date=term_end(start)
                )
            )
            terms[-1].final_status = status
            continue
        if user.name != member.name:  # the chair is the member nominated: one name for one person
            user.name = member.name
            user.save(update_fields=["name"])
        nomination = Nomination.objects.create(
            union=union,
            member=member,
            union_post=post,
            education=member.education,
            recommendation=rng.choice(RECOMMENDATIONS),
            phone=user.phone or gen.mobile(),
            start_date=start,
            nominated_on=start - datetime.timedelta(days=21),
            nominated_by=union.chair if union.chair_id else None,
            status=Nomination.Status.APPROVED,
            decided_by=staff,
        )
        end = term_end(start)
        if status == SecondmentTerm.Status.ENDED_EARLY:
            end = start + datetime.timedelta(days=rng.randint(120, 240))
        # Every term is active while the rota is generated, as it was at the time; statuses follow.
        terms.append(
            SecondmentTerm.objects.create(
                cadre=user,
                union=union,
                member=member,
                nomination=nomination,
                union_post=post,
                start_date=start,
                end_date=end,
            )
        )
        terms[-1].final_status = status

    # --- the rota for every term, as staff generated it over the years ----------------------------
    first = min(t.start_date for t in terms)
    # Into next year even when its holiday calendar is not entered, as staff planned before issue 19: the rota
    # and the dashboard then show those days as unconfirmed, and entering the schedule on the calendar page
    # moves the days it turns into holidays (their cadres are told).
    rota.generate(
        first, today + datetime.timedelta(days=90), today=first, beyond_calendar=True, tell_cadres=False
    )
    for term in terms:
        if term.final_status != term.status:
            term.status = term.final_status
            term.save(update_fields=["status"])

    # --- duty logs: most days logged and confirmed; some missed; the last week awaiting ----------
    window = rules().log_window_days
    logs = []
    for day in DutyDay.objects.filter(date__lte=today).order_by("date", "pk"):
        recent = (today - day.date).days <= window
        if rng.random() < (0.5 if recent else 0.9):
            arrived = datetime.time(8, rng.choice([0, 15, 30]))
            status = (
                DutyLog.Status.PENDING
                if recent
                else (DutyLog.Status.REJECTED if rng.random() < 0.02 else DutyLog.Status.CONFIRMED)
            )
            logs.append(
                DutyLog(
                    duty_day=day,
                    arrived_at=arrived,
                    left_at=datetime.time(17, rng.choice([0, 0, 30])),
                    activities=sorted(set(rng.sample(list(DutyLog.Activity.values[:5]), rng.randint(1, 2)))),
                    notes=rng.choice(NOTES),
                    status=status,
                    reviewed_by=None if status == DutyLog.Status.PENDING else staff,
                )
            )
    DutyLog.objects.bulk_create(logs, batch_size=2000)

    # --- assessments and outcomes ---------------------------------------------------------------
    for term in terms:
        middle = term.start_date + datetime.timedelta(days=182)
        if middle <= today:
            services.assess(
                by=staff,
                term=term,
                kind="mid",
                tasks_score=rng.randint(70, 96),
                evaluation_score=rng.randint(70, 98),
                on=middle,
                comments="按时值班，任务完成较好。",
            )
        if term.status == SecondmentTerm.Status.COMPLETED:
            services.assess(
                by=staff,
                term=term,
                kind="end",
                tasks_score=rng.randint(68, 98),
                evaluation_score=rng.randint(70, 99),
                on=term.end_date,
                outcomes={
                    "recommended_for_party": rng.random() < 0.12,
                    "joined_committee": rng.random() < 0.06,
                    "hired_full_time": rng.random() < 0.02,
                },
            )

    # --- training: each course run once a year; most enrolled cadres complete it -----------------
    for year in range(first.year, today.year + 1):
        for n, (title, track, provider, hours) in enumerate(COURSES):
            starts = datetime.date(year, 3 + 2 * n, 10 + n)
            if starts > today + datetime.timedelta(days=60):
                continue
            course = Course.objects.create(
                title=f"{year}年{title}",
                track=track,
                provider=provider,
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=int(hours // 8)),
                hours=hours,
                location="高新区职工服务中心" if track == Course.Track.ROTATION else provider,
            )
            done = course.ends_on < today
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        course=course,
                        term=term,
                        status=(
                            Enrolment.Status.COMPLETED if rng.random() < 0.92 else Enrolment.Status.ABSENT
                        )
                        if done
                        else Enrolment.Status.ENROLLED,
                    )
                    for term in terms
                    if term.start_date <= starts <= term.end_date and rng.random() < 0.7
                ]
            )
            Enrolment.objects.filter(course=course, status=Enrolment.Status.COMPLETED).update(
                hours_credited=hours
            )

    # --- nominations for staff to review (chair1's union among them) and one returned ------------
    for i, status in (
        (0, Nomination.Status.SUBMITTED),
        (1, Nomination.Status.SUBMITTED),
        (2, Nomination.Status.SUBMITTED),
        (3, Nomination.Status.RETURNED),
    ):
        member = nominee(unions[i])
        if member is None:
            continue
        Nomination.objects.create(
            union=unions[i],
            member=member,
            union_post=UnionPost.COMMITTEE_MEMBER,
            education=member.education,
            recommendation=RECOMMENDATIONS[i],
            phone=gen.mobile(),
            start_date=today + datetime.timedelta(days=20),
            nominated_on=today - datetime.timedelta(days=i + 1),
            nominated_by=unions[i].chair,
            status=status,
            decided_by=staff if status == Nomination.Status.RETURNED else None,
            decision_note="请补充该同志参加工会工作的情况说明。"
            if status == Nomination.Status.RETURNED
            else "",
        )

    _swaps_and_absences(terms[0], today)

    # --- certificates: every cohort that finished more than six weeks ago has its certificates
    # (issued ten days after the term; the PDFs of all but the latest five are rendered when first
    # downloaded); the cadres who finished since are waiting for this month's batch. ------------
    issued = [
        issue_certificate(term, on=term.end_date + datetime.timedelta(days=10))
        for term in sorted(terms, key=lambda t: (t.end_date, t.pk))  # numbered in order of issue
        if term.status == SecondmentTerm.Status.COMPLETED
        and term.end_date <= today - datetime.timedelta(days=42)
        and term.assessments.filter(kind="end").exclude(grade="fail").exists()
    ]
    for certificate in issued[-5:]:
        render_certificate(certificate)


def _swaps_and_absences(term: SecondmentTerm, today: datetime.date) -> None:
    """The cadre demo account has declared a date they cannot come, proposed a swap to another cadre
    and a move to staff; another cadre has proposed a swap to them. Through the real services, so the
    requests are valid; a rule that happens to block one on some date just leaves it out."""
    upcoming = list(term.duty_days.filter(date__gt=today + datetime.timedelta(days=2)).order_by("date")[:3])
    if len(upcoming) < 3:
        return
    for duty_day, action in zip(upcoming, ("swap", "move", "offer"), strict=True):
        same_cycle = (
            DutyDay.objects.filter(cycle_start=duty_day.cycle_start, term__status="active")
            .exclude(term=term)
            .exclude(date=duty_day.date)
            .select_related("term__cadre")
            .order_by("date", "pk")
        )
        other = same_cycle.first()
        try:
            if action == "swap" and other:
                rota.propose_swap(
                    by=term.cadre,
                    duty_day=duty_day,
                    other_day=other,
                    reason="当天企业召开职代会，需要参加",
                    today=today,
                )
            elif action == "move":
                target = next(
                    (d for d in _working_days_of_cycle(duty_day) if d != duty_day.date and d > today), None
                )
                if target:
                    rota.propose_move(
                        by=term.cadre,
                        duty_day=duty_day,
                        target_date=target,
                        reason="外出参加市总工会培训",
                        today=today,
                    )
            elif action == "offer" and other:
                rota.propose_swap(
                    by=other.term.cadre,
                    duty_day=other,
                    other_day=duty_day,
                    reason="孩子学校家长会，想和您换一天",
                    today=today,
                )
        except ValidationError:
            continue
    later = term.duty_days.filter(date__gt=today + datetime.timedelta(days=30)).order_by("date").first()
    if later:
        with contextlib.suppress(ValidationError):
            rota.declare_unavailable(
                term=term,
                date=later.date - datetime.timedelta(days=1)
                if later.date.weekday() > 0
                else later.date + datetime.timedelta(days=1),
                reason="企业年度审计",
                today=today,
            )


def _working_days_of_cycle(duty_day: DutyDay) -> list[datetime.date]:
    end = duty_day.cycle_start + datetime.timedelta(days=rules().cycle_days - 1)
    return list(working_days(duty_day.cycle_start, end))


@demo_step(order=50)
def secondment(demo) -> None:
    seed_secondment(
        gen=demo.gen,
        unions=demo.unions,
        chairs=demo.chairs,
        cadre=demo.cadre,
        staff=demo.staff,
        today=demo.today,
        password=demo.password,
    )


FORMER_CADRE = "formercadre"


def seed_daily_paths(*, cadre, today: datetime.date) -> None:
    """What issue 19's paths show a newcomer. The ``cadre`` account: one duty day to log inside the logging
    window (the first item of their dashboard), one past it (a late entry to ask for) and one whose late entry
    awaits the staff (on the staff's to-do card). The ``formercadre`` account: a cadre whose year is over, with
    an issued certificate, who finds it under "My secondment"."""
    term = SecondmentTerm.objects.filter(cadre=cadre).order_by("-start_date").first()
    if term is not None:
        window = datetime.timedelta(days=rules().log_window_days)
        # Inside the window: the latest working day before today (today, over a long holiday).
        recent = list(
            working_days(today - window + datetime.timedelta(days=1), today - datetime.timedelta(days=1))
        )
        recent = recent or [today]
        day = max(recent)
        if term.start_date <= day <= term.end_date:
            duty = DutyDay.objects.filter(term=term, cycle_start=cycle_start(day)).first()
            if duty is None:
                duty = DutyDay.objects.create(term=term, date=day, cycle_start=cycle_start(day))
            elif duty.date != day and not DutyDay.objects.filter(term=term, date=day).exists():
                DutyLog.objects.filter(duty_day=duty).delete()
                duty.date = day
                duty.save(update_fields=["date"])
            DutyLog.objects.filter(duty_day=duty).delete()
        # Past the window: the two latest such days of the term, unlogged; a late entry asked for the older.
        late = list(
            DutyDay.objects.filter(term=term, date__lt=today - window, date__gte=term.start_date).order_by(
                "-date"
            )[:2]
        )
        DutyLog.objects.filter(duty_day__in=late).delete()
        if len(late) == 2:
            with contextlib.suppress(ValidationError):
                request_late_entry(
                    by=cadre,
                    duty_day=late[1],
                    reason="当天值班后直接去企业处理劳动纠纷，忘记登记，现补登。",
                    today=today,
                )
    # The former cadre: the latest cohort member whose certificate is issued, under a login of their own.
    User = get_user_model()
    if User.objects.filter(username=FORMER_CADRE).exists():
        return
    certificate = (
        Certificate.objects.filter(revoked=False, term__status=SecondmentTerm.Status.COMPLETED)
        .exclude(term__cadre__secondment_terms__status=SecondmentTerm.Status.ACTIVE)
        .select_related("term__cadre")
        .order_by("-issued_on", "-pk")
        .first()
    )
    if certificate is not None:
        former = certificate.term.cadre
        former.username = FORMER_CADRE
        former.save(update_fields=["username"])


@demo_step(order=55)
def secondment_daily_paths(demo) -> None:
    seed_daily_paths(cadre=demo.cadre, today=demo.today)
