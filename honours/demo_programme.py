"""Demo of issue 24's honours: the district's teams (班组) — among them its national 工人先锋号, a
manufacturer's assembly shift with its leader and eight members, and two teams honoured at provincial and
Jiaxing level —; the federation's own awards as the seed lists them (national innovation prizes,
全国百家示范乡镇（街道）总工会, Haining's union-work assessment 一等奖 and 特等奖) with two drawn PDF documents,
one public; and the 十百千 programme: three finished years (nominations, scores, decision, notice and
certificates) and this year's rounds open for nomination, which chair1's union has not used yet.

The big tiers' past nominations and scores are bulk-created, as the honours' own demo does; every decision,
notice and honour goes through the services."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

from members.models import Enterprise, Member
from unionhub.certificates import federation_name
from unionhub.pdf import render_pdf

from . import services
from .models import (
    AwardLevel,
    AwardRound,
    AwardType,
    FederationAward,
    FederationAwardLevel,
    HonourNomination,
    NominationScore,
    NomineeKind,
    Series,
    Team,
)

Status = HonourNomination.Status
D = datetime.timedelta

TEAM_NAMES = (
    "总装车间一班",
    "总装车间二班",
    "机加工车间数控班",
    "注塑车间甲班",
    "质检班",
    "设备维修班",
    "仓储物流班",
    "电气维修班",
    "焊接班",
    "研发测试组",
    "客户服务班组",
    "安全环保班",
)
PIONEER = "工人先锋号"
PIONEER_CRITERIA = (
    "班组团结协作、管理规范，在生产经营、技术创新、安全生产中业绩突出，发挥示范带头作用。",
    [("班组建设与管理", 25), ("生产业绩与技术创新", 35), ("安全生产与质量", 20), ("团队精神与示范带动", 20)],
)
# (title, years ago, level, awarding body, result, description)
FEDERATION_AWARDS = [
    (
        "全国百家示范乡镇（街道）总工会",
        5,
        FederationAwardLevel.NATIONAL,
        "中华全国总工会",
        "",
        "乡镇（街道）工会组织健全、阵地规范、服务职工成效显著，获全国总工会命名。",
    ),
    (
        "全国职工优秀技术创新成果奖",
        4,
        FederationAwardLevel.NATIONAL,
        "中华全国总工会",
        "优秀奖",
        "区总工会组织推荐的“数控机床主轴热变形补偿”成果获评。",
    ),
    (
        "全国职工优秀技术创新成果奖",
        2,
        FederationAwardLevel.NATIONAL,
        "中华全国总工会",
        "优秀奖",
        "“注塑件在线视觉检测”职工创新成果获评。",
    ),
    (
        "浙江省模范职工之家建设先进单位",
        3,
        FederationAwardLevel.PROVINCIAL,
        "浙江省总工会",
        "",
        "",
    ),
    ("海宁市工会工作目标管理考核", 3, FederationAwardLevel.CITY, "海宁市总工会", "一等奖", ""),
    ("海宁市工会工作目标管理考核", 2, FederationAwardLevel.CITY, "海宁市总工会", "一等奖", ""),
    ("海宁市工会工作目标管理考核", 1, FederationAwardLevel.CITY, "海宁市总工会", "特等奖", ""),
    ("嘉兴市工会宣传信息工作", 1, FederationAwardLevel.CITY, "嘉兴市总工会", "先进集体", ""),
    (
        "高新区“最佳服务窗口”",
        1,
        FederationAwardLevel.COUNTY,
        "海宁高新区管委会",
        "",
        "区总工会职工服务中心获评。",
    ),
]
# The share of each past year's 十百千 target awarded, and how many more are nominated than awarded.
PROGRAMME_SCALE = {"union": 1.0, "enterprise": 0.85, "member": 0.4, "team": 0.06}
STATEMENTS = {
    NomineeKind.UNION: "{name}组织健全、制度规范，职工之家建设达到示范标准，维权服务有特色、有品牌。",
    NomineeKind.ENTERPRISE: "{name}依法规范用工，集体协商和厂务公开制度健全，安全生产和职工关爱成效明显。",
    NomineeKind.MEMBER: "{name}同志积极参加工会活动，岗位建功、志愿服务表现突出。",
    NomineeKind.TEAM: "{name}团结协作、管理规范，全年安全生产无事故，提出合理化建议多项。",
}


def _union_of(nominee):
    """The union a nominee of the programme belongs to (a union is its own)."""
    if isinstance(nominee, Team):
        return nominee.enterprise.union
    return getattr(nominee, "union", None) or nominee


def _teams(rng, enterprises, staff) -> list[Team]:
    """One to three teams in each larger enterprise with enough members: a leader and four to eight
    members each, no member in two teams of one enterprise."""
    active = {}
    for member in (
        Member.objects.active()
        .filter(enterprise__in=enterprises)
        .only("pk", "enterprise_id", "union_id", "name")
        .order_by("pk")
    ):
        active.setdefault(member.enterprise_id, []).append(member)
    teams, rosters = [], []
    for enterprise in enterprises:
        people = active.get(enterprise.pk, [])
        if len(people) < 6:
            continue
        rng.shuffle(people)
        for name in rng.sample(TEAM_NAMES, min(len(TEAM_NAMES), rng.randint(1, 3))):
            size = rng.randint(5, 9)
            if len(people) < size:
                break
            crew, people = people[:size], people[size:]
            teams.append(Team(enterprise=enterprise, name=name, leader=crew[0], created_by=staff))
            rosters.append(crew)
    Team.objects.bulk_create(teams)
    Through = Team.members.through
    Through.objects.bulk_create(
        [Through(team=team, member=m) for team, crew in zip(teams, rosters, strict=True) for m in crew]
    )
    return teams


def _pioneer_team(rng, enterprises, staff) -> Team | None:
    """The national 工人先锋号: the assembly shift (a leader and eight members) of the largest manufacturer
    with nine active members in no other team."""
    for enterprise in sorted(enterprises, key=lambda e: (-e.headcount, e.pk)):
        if enterprise.industry not in ("manufacturing", "electronics"):
            continue
        taken = Team.members.through.objects.filter(member__enterprise=enterprise).values("member_id")
        crew = list(
            Member.objects.active().filter(enterprise=enterprise).exclude(pk__in=taken).order_by("pk")[:9]
        )
        if len(crew) == 9:
            return services.save_team(
                by=staff,
                enterprise=enterprise,
                name="装配车间一班",
                leader=crew[0],
                members=crew,
            )
    return None


def _points(rng, criteria, strength: float) -> list[Decimal]:
    return [
        min(
            Decimal(c.max_points),
            (Decimal(c.max_points) * Decimal(str(strength + rng.uniform(-0.05, 0.05)))).quantize(
                Decimal("0.5")
            ),
        )
        for c in criteria
    ]


def _finish(rng, award_round, staff, winners: int) -> None:
    """Decide, publish and issue a round whose nominations are scored: the best ``winners`` win."""
    year = award_round.year
    best = list(award_round.nominations.order_by("-score", "pk")[:winners])
    services.record_decision(
        round=award_round,
        by=staff,
        winners=best,
        on=award_round.closes_on + D(days=rng.randint(15, 25)),
        note=f"经{year}年度评审委员会会议审议，按得分高低确定名单。",
    )
    award_round.refresh_from_db()
    award_round = services.publish_notice(
        round=award_round, by=staff, start=award_round.decided_on + D(days=1)
    )
    services.issue_honours(round=award_round, by=staff, on=award_round.notice_ends_on + D(days=1))


def _round(award_type, year, staff, *, quota, opens=(5, 1)) -> AwardRound:
    opens_on = datetime.date(year, *opens)
    return services.open_round(
        by=staff,
        award_type=award_type,
        year=year,
        opens_on=opens_on,
        closes_on=opens_on + D(days=30),
        quota=quota,
    )


def _past_round(rng, award_type, year, staff, nominees, winners: int) -> None:
    """A finished round of ``nominees`` (bulk-created, scored), of which ``winners`` are awarded."""
    if not nominees:
        return
    kind = award_type.nominee_kind
    field = services.NOMINEE_FIELDS[kind][0]
    award_round = _round(award_type, year, staff, quota=len(nominees))
    criteria = list(award_type.criteria_items.all())
    given = [_points(rng, criteria, rng.uniform(0.7, 0.95)) for _nominee in nominees]
    nominations = []
    for nominee, points in zip(nominees, given, strict=True):
        union = _union_of(nominee)
        nominations.append(
            HonourNomination(
                round=award_round,
                union=union,
                nominee_name=nominee.name,
                statement=STATEMENTS[kind].format(name=nominee.name),
                submitted_by=union.chair or staff,
                status=Status.SCORED,
                score=sum(points),
                **{field: nominee},
            )
        )
    HonourNomination.objects.bulk_create(nominations, batch_size=500)
    NominationScore.objects.bulk_create(
        [
            NominationScore(nomination=n, criterion=c, points=p, scored_by=staff)
            for n, points in zip(nominations, given, strict=True)
            for c, p in zip(criteria, points, strict=True)
        ],
        batch_size=2000,
    )
    submitted = timezone.make_aware(
        datetime.datetime.combine(award_round.opens_on + D(days=10), datetime.time(10))
    )
    award_round.nominations.update(submitted_at=submitted)
    _finish(rng, award_round, staff, winners)


def _pioneer_rounds(rng, staff, pioneer, others, today) -> None:
    """工人先锋号 at three levels, each a finished round of earlier years: the national one for the pioneer."""
    description, items = PIONEER_CRITERIA
    for level, years_ago, teams in (
        (AwardLevel.NATIONAL, 4, [pioneer]),
        (AwardLevel.PROVINCE, 3, others[:1]),
        (AwardLevel.PREFECTURE, 2, others[1:3]),
    ):
        teams = [t for t in teams if t is not None]
        if not teams:
            continue
        award_type = services.save_award_type(
            by=staff,
            name=PIONEER,
            level=level,
            nominee_kind=NomineeKind.TEAM,
            criteria=description,
            items=[{"title": t, "max_points": p} for t, p in items],
        )
        year = today.year - years_ago
        award_round = _round(award_type, year, staff, quota=len(teams), opens=(3, 1))
        criteria = list(award_type.criteria_items.all())
        for team in teams:
            nomination = services.nominate(
                round=award_round,
                union=team.enterprise.union,
                nominee=team,
                statement=STATEMENTS[NomineeKind.TEAM].format(name=f"{team.enterprise.name}{team.name}"),
                by=team.enterprise.union.chair or staff,
                on=award_round.opens_on + D(days=5),
            )
            services.score_nomination(
                nomination=nomination,
                by=staff,
                points=dict(zip(criteria, _points(rng, criteria, 0.92), strict=True)),
                on=award_round.closes_on + D(days=3),
            )
        _finish(rng, award_round, staff, len(teams))


def _federation_document(title: str, award: FederationAward, body: str) -> SimpleUploadedFile:
    html = render_to_string(
        "honours/federation_document_pdf.html",
        {"title": title, "award": award, "body": body, "federation_name": federation_name()},
    )
    return SimpleUploadedFile(f"{title}.pdf", render_pdf(html), content_type="application/pdf")


def _federation_awards(staff, today) -> None:
    recorded = []
    for title, years_ago, level, body, result, description in FEDERATION_AWARDS:
        recorded.append(
            services.save_federation_award(
                by=staff,
                title=title,
                year=today.year - years_ago,
                level=level,
                awarding_body=body,
                result=result,
                description=description,
            )
        )
    grand = next(a for a in recorded if a.result == "特等奖")
    services.add_federation_document(
        by=staff,
        award=grand,
        upload=_federation_document("荣誉证书", grand, f"{grand.year}年度海宁市工会工作目标管理考核特等奖"),
        title="特等奖荣誉证书",
        public=True,
    )
    services.add_federation_document(
        by=staff,
        award=grand,
        upload=_federation_document(
            "考核情况通报", grand, f"关于{grand.year}年度工会工作目标管理考核结果的通报（内部）"
        ),
        title="考核情况通报（内部）",
        public=False,
    )


def _programme(rng, staff, unions, teams, today) -> None:
    """Three finished years of the 十百千 programme and this year's rounds open for nomination."""
    types = {
        t.nominee_kind: t
        for t in AwardType.objects.filter(tier__series=Series.SHIBAIQIAN, active=True).select_related("tier")
    }
    enterprises = list(
        Enterprise.objects.filter(union__in=unions).select_related("union").order_by("-headcount", "pk")[:300]
    )
    members = list(
        Member.objects.active().filter(union__in=unions).select_related("union").order_by("pk")[:6000]
    )
    pools = {
        NomineeKind.UNION: list(unions),
        NomineeKind.ENTERPRISE: enterprises,
        NomineeKind.MEMBER: members,
        NomineeKind.TEAM: teams,
    }
    for year in range(today.year - 3, today.year):
        for kind, award_type in types.items():
            pool = pools.get(kind, [])
            wanted = max(
                1, round(award_type.tier.target * PROGRAMME_SCALE.get(kind, 0.1) * rng.uniform(0.85, 1.0))
            )
            if kind == NomineeKind.UNION:
                wanted = award_type.tier.target
            nominees = rng.sample(pool, min(len(pool), wanted + max(2, wanted // 6)))
            _past_round(rng, award_type, year, staff, nominees, min(wanted, len(nominees)))
    # This year: open for nominations, some made already — none by chair1's union (unions[0]).
    chair1_union = unions[0] if unions else None
    for kind, award_type in types.items():
        award_round = services.open_round(
            by=staff,
            award_type=award_type,
            year=today.year,
            opens_on=today - D(days=12),
            closes_on=today + D(days=25),
            quota=max(award_type.tier.target + award_type.tier.target // 5, 12),
        )
        pool = [p for p in pools.get(kind, []) if _union_of(p) != chair1_union and _union_of(p).chair_id]
        for nominee in rng.sample(pool, min(len(pool), rng.randint(3, 6))):
            union = _union_of(nominee)
            services.nominate(
                round=award_round,
                union=union,
                nominee=nominee,
                by=union.chair,
                statement=STATEMENTS[kind].format(name=nominee.name),
                on=today,
            )


def seed_programme(*, rng, unions, enterprises, staff, today) -> None:
    if not unions:
        return
    larger = [e for e in enterprises if e.union_id and e.size_band in (Enterprise.SizeBand.LARGE, "medium")]
    teams = _teams(rng, larger, staff)
    pioneer = _pioneer_team(rng, larger, staff)
    elsewhere = [t for t in teams if pioneer is None or t.enterprise_id != pioneer.enterprise_id]
    _pioneer_rounds(rng, staff, pioneer, elsewhere, today)
    _federation_awards(staff, today)
    _programme(rng, staff, unions, ([pioneer] if pioneer else []) + teams, today)
