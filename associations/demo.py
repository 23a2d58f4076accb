"""Demo data for the associations: the twelve associations (the ``associations`` step below) get a joining
policy, a vice-chair, members, five past years' plans and this year's, the activities of those plans
(held ones with sign-ups, attendance and a short report; upcoming ones open for sign-up, some full with
a waiting list), a summer camp for members' children, and a few associations behind this year. A few
demo logins (``assoc`` and association chairs) are linked to member records for self-service.

Bulk-inserted fixture data: no audit records, no notices. The showcase and the matchmaking profiles
are seeded by ``associations.demo_showcase``."""

import datetime
import random

from django.utils import timezone

from members.demo import demo_members
from members.models import Member
from unionhub.contributions import demo_step

from .demo_showcase import seed_showcase_and_matchmaking
from .models import Activity, ActivityKind, Association, AssociationMember, PlannedActivity, SignUp
from .rules import rules
from .services import activities as activities_service

YEARS = 5
OPEN_JOINING = {
    "职工健身协会",
    "职工球类协会",
    "职工读书协会",
    "职工骑行协会",
    "职工太极拳协会",
    "职工志愿者协会",
}
BELOW_MINIMUM = {"职工垂钓协会", "职工刺绣手工协会"}  # this year's plan is short
BEHIND = {"职工棋牌协会", "职工垂钓协会", "职工歌舞协会"}  # this year's past lines mostly not held
VENUES = [
    "园区职工之家",
    "鹃湖公园",
    "海宁体育中心",
    "园区文体中心",
    "职工书屋",
    "长安镇文化站",
    "盐官古城",
    "钱塘江观潮公园",
    "园区篮球场",
    "尖山湿地",
]
TITLES = {
    ActivityKind.MEETING: ["年度会员大会", "技能培训", "经验交流会", "新会员见面会"],
    ActivityKind.CONTEST: ["春季联赛", "友谊赛", "年度锦标赛", "邀请赛"],
    ActivityKind.OUTING: ["春季采风", "秋季户外行", "环湖健步走", "周末郊游"],
    ActivityKind.PERFORMANCE: ["新春汇演", "作品展", "文艺展演", "成果展示"],
    ActivityKind.VOLUNTEERING: ["社区志愿服务", "敬老院慰问", "爱心助学", "文明交通劝导"],
    ActivityKind.SOCIAL: ["会员联谊会", "中秋茶话会", "迎新联欢", "亲子活动日"],
}
KINDS = list(TITLES)
REPORTS = [
    "活动顺利举行，会员参与热情高。",
    "天气晴好，活动圆满完成。",
    "活动分组进行，气氛热烈。",
    "邀请专业老师现场指导，会员收获很大。",
    "活动结束后合影留念，并评选优秀会员。",
]
CHILD_NAMES = ["小雨", "乐乐", "欣怡", "子涵", "浩然", "梓萱", "一诺", "宇轩", "诗涵", "俊杰", "可馨", "思远"]


def _at(day: datetime.date, hour: int, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


ASSOCIATIONS = [
    ("职工健身协会", Association.Kind.SPORTS, "晨跑、健步走、瑜伽和健身操，每月组织一次健步走。"),
    ("职工摄影书法协会", Association.Kind.ARTS, "摄影采风、书法临帖与年度作品展。"),
    ("职工球类协会", Association.Kind.SPORTS, "篮球、羽毛球、乒乓球联赛。"),
    ("职工棋牌协会", Association.Kind.GAMES, "象棋、围棋、桥牌比赛与培训。"),
    ("职工歌舞协会", Association.Kind.PERFORMANCE, "合唱、广场舞和文艺汇演排练。"),
    ("职工垂钓协会", Association.Kind.OUTDOORS, "季度垂钓比赛和钓技交流。"),
    ("职工刺绣手工协会", Association.Kind.ARTS, "海宁刺绣、编织和手工艺传承。"),
    ("职工红娘协会", Association.Kind.SOCIAL, "为单身青年职工组织联谊交友活动。"),
    ("职工读书协会", Association.Kind.ARTS, "读书分享会和职工书屋活动。"),
    ("职工骑行协会", Association.Kind.OUTDOORS, "周末骑行和环湖骑行活动。"),
    ("职工太极拳协会", Association.Kind.SPORTS, "太极拳、八段锦教学。"),
    ("职工志愿者协会", Association.Kind.SOCIAL, "社区志愿服务和爱心助学。"),
]


def seed_associations(*, rng: random.Random, today: datetime.date, unions, staff, chairs, assoc_user) -> dict:
    """Fill in the demo's associations. Returns a few counts for the seeding summary."""
    zone = timezone.get_current_timezone()
    minimum = rules().min_activities_per_year
    associations = list(Association.objects.filter(status=Association.Status.ACTIVE).order_by("pk"))
    if not associations:
        return {}
    pool = list(
        Member.objects.active().filter(union__in=unions).order_by("pk").values_list("pk", flat=True)[:20000]
    )
    pool = rng.sample(pool, min(len(pool), 3000))
    chair_ids = {a.chair_id for a in associations}
    spare = [c for c in chairs if c.pk not in chair_ids]

    # Policy, vice-chair, the matchmaking flag.
    for association in associations:
        association.joining = (
            Association.Joining.OPEN if association.name in OPEN_JOINING else Association.Joining.APPROVAL
        )
        association.is_matchmaking = association.name == "职工红娘协会"
    Association.objects.bulk_update(associations, ["joining", "is_matchmaking"])
    Vice = Association.vice_chairs.through
    Vice.objects.bulk_create(
        [
            Vice(association_id=a.pk, user_id=spare[(n * 7) % len(spare)].pk)
            for n, a in enumerate(associations)
            if spare
        ],
        ignore_conflicts=True,
    )

    # Members: 20–80 active each, a few requests waiting in the associations that approve.
    roster: dict[int, list[int]] = {}
    memberships = []
    for association in associations:
        chosen = rng.sample(pool, min(len(pool), rng.randint(20, 80) + 4))
        active, waiting = chosen[:-4], chosen[-4:]
        roster[association.pk] = active
        founded = max(association.founded_on, today - datetime.timedelta(days=6 * 365))
        span = max((today - founded).days, 1)
        memberships += [
            AssociationMember(
                association=association,
                member_id=pk,
                status=AssociationMember.Status.ACTIVE,
                joined_on=founded + datetime.timedelta(days=rng.randrange(span)),
            )
            for pk in active
        ]
        if association.joining == Association.Joining.APPROVAL:
            memberships += [
                AssociationMember(association=association, member_id=pk)
                for pk in waiting[: rng.randint(1, 4)]
            ]

    # Logins linked to member records: the association demo user and the other associations' chairs.
    logins = [assoc_user] + [a.chair for a in associations if a.chair_id and a.chair_id != assoc_user.pk][:9]
    linked = Member.objects.filter(user__isnull=False).values_list("user_id", flat=True)
    already = set(linked)
    free = [pk for pk in pool if pk not in set().union(*roster.values())][: len(logins)]
    linked_members = []
    for user, pk in zip(logins, free, strict=False):
        if user.pk in already:
            continue
        Member.objects.filter(pk=pk, user__isnull=True).update(user=user)
        linked_members.append(pk)
        for association in rng.sample(associations, 2) + [a for a in associations if a.chair_id == user.pk]:
            if pk not in roster[association.pk]:
                roster[association.pk].append(pk)
                memberships.append(
                    AssociationMember(
                        association=association,
                        member_id=pk,
                        status=AssociationMember.Status.ACTIVE,
                        joined_on=today - datetime.timedelta(days=rng.randint(30, 900)),
                    )
                )
    AssociationMember.objects.bulk_create(memberships, ignore_conflicts=True)

    # Plans: five past years and this one, 10–14 lines (short this year for a couple).
    lines = []
    for association in associations:
        for year in range(today.year - YEARS, today.year + 1):
            count = rng.randint(minimum, minimum + 4)
            if year == today.year and association.name in BELOW_MINIMUM:
                count = rng.randint(minimum - 3, minimum - 1)
            months = sorted(rng.choice(range(1, 13)) for _ in range(count))
            for month in months:
                kind = rng.choice(KINDS)
                lines.append(
                    PlannedActivity(
                        association=association,
                        year=year,
                        month=month,
                        kind=kind,
                        title=f"{association.name.removeprefix('职工')}{rng.choice(TITLES[kind])}",
                    )
                )
    PlannedActivity.objects.bulk_create(lines, batch_size=2000)
    lines = list(PlannedActivity.objects.filter(association__in=associations).select_related("association"))

    # Activities of the plan lines.
    activities = []
    for line in lines:
        day = datetime.date(line.year, line.month, rng.randint(1, 28))
        hour = rng.choice([9, 14, 19])
        in_past = day < today
        if in_past:
            behind = line.year == today.year and line.association.name in BEHIND
            if rng.random() < (0.55 if behind else 0.04):
                continue  # never held
            status = Activity.Status.CANCELLED if rng.random() < 0.04 else Activity.Status.HELD
        else:
            status = Activity.Status.PLANNED
        capacity = rng.choice([20, 30, 40, 60])
        activities.append(
            Activity(
                association=line.association,
                planned=line,
                title=line.title,
                kind=line.kind,
                starts_at=_at(day, hour, zone),
                ends_at=_at(day, hour + 2, zone),
                venue=rng.choice(VENUES),
                capacity=capacity,
                signup_deadline=_at(day - datetime.timedelta(days=2), 18, zone),
                eligibility=Activity.Eligibility.ASSOCIATION
                if rng.random() < 0.8
                else Activity.Eligibility.ALL_MEMBERS,
                status=status,
                report=rng.choice(REPORTS) if status == Activity.Status.HELD else "",
                description=f"{line.association.name}{line.title}，欢迎会员报名参加。",
            )
        )
    # The summer camp for members' children (小候鸟), run by the volunteers with the federation.
    volunteers = next((a for a in associations if a.name == "职工志愿者协会"), associations[-1])
    camp_day = datetime.date(today.year, 7, 14)
    camp = Activity(
        association=volunteers,
        title=f"{today.year}年“小候鸟”暑期夏令营",
        kind=ActivityKind.SUMMER_CAMP,
        starts_at=_at(camp_day, 9, zone),
        ends_at=_at(camp_day + datetime.timedelta(days=4), 16, zone),
        venue="园区职工之家",
        capacity=40,
        signup_deadline=_at(camp_day - datetime.timedelta(days=7), 18, zone),
        eligibility=Activity.Eligibility.CHILDREN,
        child_min_age=6,
        child_max_age=14,
        paid_by=Activity.Payer.UNION,
        organiser=staff,
        status=Activity.Status.HELD if camp_day < today else Activity.Status.PLANNED,
        report="五天营期：安全教育、科技馆参观、手工课和结营汇报演出。" if camp_day < today else "",
        description="为在园区务工人员的子女（6–14岁）举办的暑期夏令营，家长报名并签署监护人同意书。",
    )
    activities.append(camp)
    Activity.objects.bulk_create(activities, batch_size=2000)
    activities = list(
        Activity.objects.filter(association__in=associations)
        .exclude(pk=camp.pk)
        .exclude(status=Activity.Status.CANCELLED)
        .only("pk", "association_id", "capacity", "status", "starts_at")
    )

    # Sign-ups: held activities with attendance, upcoming ones open (some full, with a waiting list).
    signups = []
    now = timezone.now()
    for activity in activities:
        members = roster[activity.association_id]
        held = activity.status == Activity.Status.HELD
        roll = rng.random()
        if held:
            count = min(len(members), rng.randint(8, min(activity.capacity, 30)))
        elif roll < 0.25:
            count = min(len(members), activity.capacity + rng.randint(1, 5))  # full, with a waiting list
        else:
            count = min(len(members), rng.randint(0, activity.capacity // 2))
        for n, pk in enumerate(rng.sample(members, count)):
            confirmed = n < activity.capacity
            signups.append(
                SignUp(
                    activity_id=activity.pk,
                    member_id=pk,
                    status=SignUp.Status.CONFIRMED if confirmed else SignUp.Status.WAITING,
                    position=None if confirmed else n - activity.capacity + 1,
                    attended=(rng.random() < 0.88) if held and confirmed else None,
                    checked_in_at=activity.starts_at if held and confirmed else None,
                )
            )
    # The linked logins have sign-ups of their own for the upcoming activities of their associations.
    for pk in linked_members:
        upcoming = [
            a
            for a in activities
            if a.status == Activity.Status.PLANNED and a.starts_at > now and pk in roster[a.association_id]
        ][:2]
        taken = {(s.activity_id, s.member_id) for s in signups if s.member_id == pk}
        for activity in upcoming:
            if (activity.pk, pk) in taken:
                continue
            confirmed = sum(
                1 for s in signups if s.activity_id == activity.pk and s.status == SignUp.Status.CONFIRMED
            )
            waiting = sum(
                1 for s in signups if s.activity_id == activity.pk and s.status == SignUp.Status.WAITING
            )
            full = confirmed >= activity.capacity  # a full activity: the login waits like everyone else
            signups.append(
                SignUp(
                    activity_id=activity.pk,
                    member_id=pk,
                    status=SignUp.Status.WAITING if full else SignUp.Status.CONFIRMED,
                    position=waiting + 1 if full else None,
                )
            )
    # The camp: guardians sign up their children, consent recorded.
    guardians = rng.sample(pool, min(len(pool), 30))
    for n, pk in enumerate(guardians):
        age = rng.randint(6, 14)
        birth = datetime.date(camp_day.year - age, rng.randint(1, 12), rng.randint(1, 28))
        confirmed = n < camp.capacity
        signups.append(
            SignUp(
                activity_id=camp.pk,
                member_id=pk,
                child_name=rng.choice(CHILD_NAMES),
                child_birth_date=birth,
                guardian_consent_on=min(camp.signup_deadline, now)
                - datetime.timedelta(days=rng.randint(1, 20)),
                status=SignUp.Status.CONFIRMED if confirmed else SignUp.Status.WAITING,
                attended=(rng.random() < 0.95) if camp.status == Activity.Status.HELD else None,
            )
        )
    SignUp.objects.bulk_create(signups, batch_size=5000, ignore_conflicts=True)

    return {
        "associations": len(associations),
        "members": AssociationMember.objects.filter(association__in=associations).count(),
        "plan_lines": len(lines),
        "activities": len(activities) + 1,
        "signups": len(signups),
        "linked_logins": len(linked_members),
    }


# --- the demo steps (see unionhub/demo.py) ---------------------------------------------------------------


@demo_step(order=20)
def associations(demo) -> None:
    """The twelve associations, right after the members (their founding dates come next from the generator)."""
    gen = demo.gen
    rows = []
    for n, (name, kind, description) in enumerate(ASSOCIATIONS):
        rows.append(
            Association(
                name=name,
                kind=kind,
                description=description,
                chair=demo.assoc if n == 1 else demo.chairs[130 + n],
                founded_on=gen.date_between(datetime.date(2010, 1, 1), datetime.date(2022, 12, 31)),
            )
        )
    Association.objects.bulk_create(rows)
    _draw_from(demo.unions)


# Whom each association's managers may enrol on a member's behalf: most associations are the
# district's own and draw from every union; these grew out of a handful of unions (the embroidery
# circle from the Changan unions, the anglers from the riverside ones, the photographers from the
# park's first unions) and draw from those. Chosen without the random generator, so that the later
# steps draw what they drew before.
DRAWN_FROM = {"职工摄影书法协会": (0, 30), "职工刺绣手工协会": (30, 42), "职工垂钓协会": (60, 75)}


def _draw_from(unions) -> None:
    associations = list(Association.objects.order_by("pk"))
    for association in associations:
        association.district_wide = association.name not in DRAWN_FROM
    Association.objects.bulk_update(associations, ["district_wide"])
    Drawn = Association.unions.through
    Drawn.objects.bulk_create(
        [
            Drawn(association_id=association.pk, grassrootsunion_id=union.pk)
            for association in associations
            if association.name in DRAWN_FROM
            for union in unions[slice(*DRAWN_FROM[association.name])]
        ]
    )


@demo_step(order=90)
def activities(demo) -> None:
    seed_associations(
        rng=demo.rng,
        today=demo.today,
        unions=demo.unions,
        staff=demo.staff,
        chairs=demo.chairs,
        assoc_user=demo.assoc,
    )


@demo_step(order=95)
def late_entry(demo) -> None:
    """The photography association's chair enters, through the services, a photo walk held last week: a
    past-dated activity, which waits on the compliance page for staff to confirm it before it counts."""
    association = Association.objects.get(chair=demo.assoc)
    zone = timezone.get_current_timezone()
    day = demo.today - datetime.timedelta(days=5)
    activity = activities_service.create_activity(
        by=demo.assoc,
        association=association,
        title="湖畔秋色摄影采风（补录）",
        kind=ActivityKind.OUTING,
        starts_at=_at(day, 9, zone),
        ends_at=_at(day, 12, zone),
        venue="园区湿地公园",
        capacity=20,
        signup_deadline=_at(day - datetime.timedelta(days=1), 18, zone),
        description="活动当天未在系统中登记，会后补录。",
    )
    activities_service.close_activity(
        by=demo.assoc, activity=activity, report="12名会员参加，拍摄秋景作品40余幅，评选出5幅参加年度作品展。"
    )


@demo_step(order=100)
def showcase_and_matchmaking(demo) -> None:
    seed_showcase_and_matchmaking(rng=demo.rng, today=demo.today, unions=demo.unions)


# --- the member area's demo members (issue 22) ----------------------------------------------------------

# The demo members' associations: (name, status) for each, in the order of ``members.demo.demo_members()``.
MEMBER_AREA_ASSOCIATIONS = (
    (("职工摄影书法协会", "active"), ("职工健身协会", "active"), ("职工棋牌协会", "pending")),
    (("职工球类协会", "active"),),
)


@demo_step(order=97)
def member_area(demo) -> None:
    """The two member-area demo members (members.demo.demo_members) belong to an association or two (and one
    waits for a chair's answer), have places at upcoming activities (one of them on a waiting list) and a past
    of attended and missed activities; a volunteering day open to every member still has places, for the
    phone's "sign up" to try."""
    people = demo_members()
    if not people:
        return
    zone = timezone.get_current_timezone()
    today = demo.today
    by_name = {a.name: a for a in Association.objects.filter(status=Association.Status.ACTIVE)}
    for member, wanted in zip(people, MEMBER_AREA_ASSOCIATIONS, strict=False):
        for name, status in wanted:
            if name in by_name:
                AssociationMember.objects.update_or_create(
                    association=by_name[name],
                    member=member,
                    defaults={
                        "status": status,
                        "joined_on": today - datetime.timedelta(days=400) if status == "active" else None,
                    },
                )

    def planned(name, title, kind, days, *, capacity, eligibility=Activity.Eligibility.ASSOCIATION, venue=""):
        association = by_name.get(name) or next(iter(by_name.values()))
        day = today + datetime.timedelta(days=days)
        return Activity.objects.create(
            association=association,
            title=title,
            kind=kind,
            starts_at=_at(day, 9, zone),
            ends_at=_at(day, 11, zone),
            venue=venue or VENUES[days % len(VENUES)],
            capacity=capacity,
            signup_deadline=_at(day - datetime.timedelta(days=2), 18, zone),
            eligibility=eligibility,
            organiser=association.chair,
            description=f"{association.name}组织，欢迎会员报名参加。",
        )

    walk = planned(
        "职工健身协会",
        "鹃湖环湖健步走",
        ActivityKind.OUTING,
        6,
        capacity=60,
        eligibility=Activity.Eligibility.ALL_MEMBERS,
        venue="鹃湖公园",
    )
    calligraphy = planned(
        "职工摄影书法协会", "书法临帖体验课", ActivityKind.MEETING, 9, capacity=8, venue="职工书屋"
    )
    volunteering = planned(
        "职工志愿者协会",
        "社区志愿服务日",
        ActivityKind.VOLUNTEERING,
        12,
        capacity=40,
        eligibility=Activity.Eligibility.ALL_MEMBERS,
        venue="长安镇文化站",
    )
    # Others signed up first: the calligraphy class is full with one waiting, the rest have places left.
    demo_ids = {member.pk for member in people}
    others = list(
        AssociationMember.objects.filter(
            association=calligraphy.association, status=AssociationMember.Status.ACTIVE
        )
        .exclude(member__in=demo_ids)
        .order_by("pk")
        .values_list("member", flat=True)[: calligraphy.capacity + 1]
    )
    if len(others) <= calligraphy.capacity:  # a small association: fewer places, still full with one waiting
        calligraphy.capacity = max(len(others) - 1, 1)
        Activity.objects.filter(pk=calligraphy.pk).update(capacity=calligraphy.capacity)
    signups = [
        SignUp(
            activity=calligraphy,
            member_id=pk,
            status=SignUp.Status.CONFIRMED if n < calligraphy.capacity else SignUp.Status.WAITING,
            position=None if n < calligraphy.capacity else n - calligraphy.capacity + 1,
        )
        for n, pk in enumerate(others)
    ]
    signups += [
        SignUp(activity=volunteering, member_id=pk, status=SignUp.Status.CONFIRMED) for pk in others[:12]
    ]
    signups += [SignUp(activity=walk, member_id=pk, status=SignUp.Status.CONFIRMED) for pk in others[:20]]
    signups += [SignUp(activity=walk, member=member, status=SignUp.Status.CONFIRMED) for member in people]
    signups.append(
        SignUp(
            activity=calligraphy,
            member=people[0],
            status=SignUp.Status.WAITING,
            position=max(len(others) - calligraphy.capacity, 0) + 1,
        )
    )
    # A past: the last held activities of their associations, attended but for one.
    now = timezone.now()
    for member in people:
        held = list(
            Activity.objects.filter(
                status=Activity.Status.HELD,
                starts_at__lt=now,
                association__memberships__member=member,
                association__memberships__status=AssociationMember.Status.ACTIVE,
            )
            .exclude(signups__member=member)
            .order_by("-starts_at")[:4]
        )
        signups += [
            SignUp(
                activity=activity,
                member=member,
                status=SignUp.Status.CONFIRMED,
                attended=n != 1,
                checked_in_at=activity.starts_at if n != 1 else None,
            )
            for n, activity in enumerate(held)
        ]
    SignUp.objects.bulk_create(signups, ignore_conflicts=True)
