"""Demo workers' homes (职工之家): the federation's checklist (15 items, 100 points), homes for 116
unions — 104 qualified, 9 city-level, 1 prefecture, 1 provincial and 1 national excellent home,
including every union of HN001–HN100, which cover the district's 100 large enterprises (建家率
100%) — each with its inspection history and scores, re-inspection due dates of which some have
passed and a few (chair1's among them) fall due within 30 days, and this year's self-assessments
of about 40 unions (chair1's still a draft)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from unionhub.contributions import demo_step
from unionhub.dates import months_after

from .models import (
    ChecklistItem,
    HomeInspection,
    HomeLevel,
    InspectionScore,
    SelfAssessment,
    SelfAssessmentScore,
    WorkersHome,
)

C = ChecklistItem.Category
CHECKLIST = [  # (category, title, maximum points, what earns them) — 100 points in all
    (C.ORGANISATION, "工会委员会按期换届选举", 7, "委员会任期届满前完成换届，选举程序规范，有上级工会批复。"),
    (C.ORGANISATION, "会员名册及时更新", 6, "会员信息完整，新入职职工及时入会，调出、退会及时办理。"),
    (C.ORGANISATION, "工会经费按时足额收缴", 7, "按规定比例按时上解工会经费，无拖欠。"),
    (C.ORGANISATION, "工作制度健全、档案规范", 5, "会议记录、工作计划总结、台账资料齐全。"),
    (C.DEMOCRACY, "职工代表大会每年至少召开一次", 10, "职代会按期召开，审议事项落实，有会议决议。"),
    (C.DEMOCRACY, "签订并履行集体合同", 8, "集体合同、工资专项集体合同依法签订并报备，履约情况定期检查。"),
    (C.DEMOCRACY, "厂务公开制度落实", 7, "厂务公开栏、公开内容和程序规范，职工知晓率高。"),
    (C.FACILITIES, "职工书屋", 7, "有固定场所，藏书不少于1000册，定期开放并有借阅记录。"),
    (C.FACILITIES, "职工健身室", 6, "有健身器材和管理制度，向职工免费开放。"),
    (C.FACILITIES, "爱心妈咪小屋", 7, "为哺乳期女职工提供私密、整洁的休息哺乳场所。"),
    (C.FACILITIES, "职工食堂和休息区", 6, "就餐、休息条件良好，职工满意。"),
    (C.ACTIVITIES, "文体活动", 7, "每年组织文体活动不少于4次，职工参与面广。"),
    (C.ACTIVITIES, "劳动和技能竞赛", 7, "开展岗位练兵、技能比武，有表彰激励。"),
    (C.ACTIVITIES, "困难职工帮扶", 6, "建立困难职工档案，开展送温暖、金秋助学等帮扶。"),
    (C.ACTIVITIES, "职工疗休养和心理关爱", 4, "组织疗休养，开展心理健康讲座或咨询。"),
]
HIGHER_LEVELS = [HomeLevel.CITY] * 9 + [HomeLevel.PREFECTURE, HomeLevel.PROVINCE, HomeLevel.NATIONAL]
RATED_BEYOND_LARGE = 16  # homes outside HN001–HN100: 116 in all
OVERDUE, DUE_SOON = 9, 5  # re-inspections passed, and falling due within 30 days (chair1's among them)
SELF_ASSESSMENTS = 40
INSPECTORS = ["王海峰", "徐丽娟", "陈志刚", "朱晓燕", "沈建明"]
FINDINGS = [
    "职工之家阵地建设规范，活动台账齐全。",
    "职工书屋藏书更新及时，借阅记录完整。",
    "爱心妈咪小屋设施完好，使用登记规范。",
    "职代会资料齐全，厂务公开内容及时更新。",
    "健身室器材部分老化，建议年内更新。",
    "会员名册个别信息未及时更新，已当场要求整改。",
    "困难职工帮扶台账清晰，送温暖活动覆盖到位。",
    "技能竞赛开展有特色，职工参与积极。",
    "集体合同到期续签工作需抓紧推进。",
]
POINT = Decimal("0.5")


def _points(rng, maximum: int, floor: float) -> Decimal:
    share = Decimal(str(round(rng.uniform(floor, 1.0), 3)))
    return ((maximum * share) / POINT).quantize(Decimal(1)) * POINT


def seed_workers_homes(*, rng, unions, staff, today):
    months = settings.WORKERS_HOME_REINSPECTION_MONTHS
    items = ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(category=category, title=title, max_points=points, guidance=guidance, order=n * 10)
            for n, (category, title, points, guidance) in enumerate(CHECKLIST, start=1)
        ]
    )
    if not unions:
        return

    rated = list(unions[:100]) + rng.sample(list(unions[100:]), min(RATED_BEYOND_LARGE, len(unions[100:])))
    levels = {union.pk: HomeLevel.QUALIFIED for union in rated}
    for union, level in zip(rng.sample(rated[:100], len(HIGHER_LEVELS)), HIGHER_LEVELS, strict=True):
        levels[union.pk] = level
    # When each home falls due: some have passed, a few (chair1's among them) are within 30 days.
    others = rated[1:]
    rng.shuffle(others)
    span = (months_after(today, months) - today).days
    offsets = {rated[0].pk: 12}
    for n, union in enumerate(others):
        offsets[union.pk] = (
            -rng.randint(5, 150)
            if n < OVERDUE
            else rng.randint(4, 26)
            if n < OVERDUE + DUE_SOON - 1
            else rng.randint(40, max(41, span - 30))
        )

    last_year_end = datetime.date(today.year - 1, 12, 31)
    homes, inspections = [], []
    for union in rated:
        level = levels[union.pk]
        last = min(
            months_after(today, -months) + datetime.timedelta(days=offsets[union.pk]),
            today - datetime.timedelta(days=1),
        )
        latest_start = min(last_year_end, last - datetime.timedelta(days=60))
        earliest = datetime.date(2012, 1, 1)
        if level != HomeLevel.QUALIFIED:  # the model homes were built early and raised later
            latest_start = min(latest_start, datetime.date(2015, 12, 31))
        built = earliest + datetime.timedelta(days=rng.randint(0, max(0, (latest_start - earliest).days)))
        visits = [last]
        while (earlier := months_after(visits[-1], -months)) > built + datetime.timedelta(days=60):
            visits.append(earlier)
        visits = [built, *reversed(visits)]
        raised = 1 if len(visits) > 1 and visits[1] <= last_year_end else 0  # the visit that raised the level
        reached = visits[raised] if level != HomeLevel.QUALIFIED else built
        floor = 0.85 if level != HomeLevel.QUALIFIED else 0.65
        for n, visit in enumerate(visits):
            inspections.append(
                (
                    floor,
                    HomeInspection(
                        union=union,
                        kind=HomeInspection.Kind.ACCEPTANCE if n == 0 else HomeInspection.Kind.REINSPECTION,
                        visited_on=visit,
                        inspectors=f"{staff.name}、{rng.choice(INSPECTORS)}",
                        findings="".join(rng.sample(FINDINGS, 2)),
                        level_after=level
                        if n >= raised and level != HomeLevel.QUALIFIED
                        else HomeLevel.QUALIFIED,
                        recorded_by=staff,
                    ),
                )
            )
        homes.append(
            WorkersHome(
                union=union,
                level=level,
                level_reached_on=reached,
                last_inspected_on=last,
                reinspection_due_on=months_after(last, months),
            )
        )
    WorkersHome.objects.bulk_create(homes)

    scores = []
    for floor, inspection in inspections:
        points = [(item, _points(rng, item.max_points, floor)) for item in items]
        inspection.total = sum((p for _item, p in points), Decimal(0))
        inspection.points = points
    HomeInspection.objects.bulk_create([inspection for _floor, inspection in inspections], batch_size=500)
    for _floor, inspection in inspections:
        scores += [
            InspectionScore(inspection=inspection, item=item, points=p) for item, p in inspection.points
        ]
    InspectionScore.objects.bulk_create(scores, batch_size=2000)

    # This year's self-assessments: chair1's is a draft half done, the others submitted.
    assessing = [rated[0], *rng.sample(rated[1:], min(SELF_ASSESSMENTS - 1, len(rated) - 1))]
    start_of_year = datetime.date(today.year, 1, 1)
    assessments, assessment_scores = [], []
    for n, union in enumerate(assessing):
        draft = n == 0
        points = [(item, _points(rng, item.max_points, 0.7)) for item in (items[:8] if draft else items)]
        day = start_of_year + datetime.timedelta(
            days=rng.randint(0, max(0, (today - start_of_year).days - 1))
        )
        at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 8), rng.randint(0, 59)))
        )
        assessment = SelfAssessment(
            union=union,
            year=today.year,
            total=sum((p for _item, p in points), Decimal(0)),
            status=SelfAssessment.Status.DRAFT if draft else SelfAssessment.Status.SUBMITTED,
            submitted_by_id=None if draft else union.chair_id,
            submitted_at=None if draft else at,
        )
        assessments.append(assessment)
        assessment_scores.append(points)
    SelfAssessment.objects.bulk_create(assessments)
    SelfAssessmentScore.objects.bulk_create(
        [
            SelfAssessmentScore(assessment=assessment, item=item, points=p)
            for assessment, points in zip(assessments, assessment_scores, strict=True)
            for item, p in points
        ],
        batch_size=2000,
    )


@demo_step(order=140)
def workers_homes(demo) -> None:
    seed_workers_homes(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)
