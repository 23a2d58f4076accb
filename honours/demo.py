"""Demo honours (评先评优): the awards the district tracks, each with its criteria (100 points), and the
rounds of the last four years whose winners reproduce the district's record — brand unions 4 city +
1 prefecture + 1 provincial, harmonious enterprises 7 city + 2 prefecture, workers' reading rooms 3
national + 3 prefecture, Ankang Cup 5 national + 3 prefecture + 5 provincial — plus the district's
own awards every year, with their honours issued (numbers allocated by the service, PDFs rendered
on first download). This year: advanced grassroots unions open for nominations (chair1 can
nominate), outstanding union workers closed and under review with some scores, and model workers
decided and on public notice."""

import datetime
from decimal import Decimal

from django.utils import timezone

from members.models import Enterprise, Member
from unionhub.contributions import demo_step
from unionhub.workdays import is_working_day

from . import services
from .demo_programme import seed_programme
from .models import (
    AwardCriterion,
    AwardLevel,
    AwardRound,
    AwardType,
    HonourNomination,
    NominationScore,
    NomineeKind,
)

L, K = AwardLevel, NomineeKind
# name → (who can be nominated, criteria text, [(criterion, points)]) — each sheet 100 points.
AWARDS = {
    "品牌工会": (
        K.UNION,
        "工会组织健全、制度完善，工作有特色、有亮点，形成可复制推广的工作品牌，职工认可度高。",
        [
            ("组织建设与制度规范", 20),
            ("品牌特色与工作创新", 30),
            ("服务职工成效", 30),
            ("示范带动与宣传推广", 20),
        ],
    ),
    "和谐劳动关系企业": (
        K.ENTERPRISE,
        "依法签订劳动合同和集体合同，工资按时足额支付，社会保险应缴尽缴，职代会制度健全，"
        "近三年无重大劳动争议和安全生产事故。",
        [
            ("劳动合同与集体协商", 25),
            ("工资支付与社会保险", 25),
            ("民主管理与厂务公开", 20),
            ("安全生产与职业健康", 15),
            ("企业文化与职工关爱", 15),
        ],
    ),
    "职工书屋": (
        K.UNION,
        "有固定场所和专人管理，藏书丰富、更新及时，开放时间固定，读书活动经常开展，职工借阅率高。",
        [("场所与设施", 25), ("图书资源与更新", 25), ("管理制度与开放时间", 20), ("读书活动与职工参与", 30)],
    ),
    "安康杯竞赛优胜单位": (
        K.ENTERPRISE,
        "认真组织开展“安康杯”竞赛活动，安全生产责任制落实，隐患排查整改到位，全年无较大及以上生产安全事故。",
        [
            ("组织领导与责任落实", 20),
            ("隐患排查与整改", 30),
            ("安全培训与群众性安全活动", 25),
            ("职业健康与事故控制", 25),
        ],
    ),
    "先进基层工会": (
        K.UNION,
        "工会组织健全、按期换届，会员发展和经费收缴规范，维权服务工作扎实，职工之家建设成效明显。",
        [
            ("组织建设与会员发展", 25),
            ("维权与服务职工", 30),
            ("经费收缴与管理", 20),
            ("职工之家与文体活动", 25),
        ],
    ),
    "优秀工会工作者": (
        K.UNION_WORKER,
        "热爱工会工作，密切联系职工，在维护职工合法权益、服务职工方面成绩显著。",
        [("政治素质与职业道德", 20), ("工作业绩", 40), ("职工评价", 25), ("学习与创新", 15)],
    ),
    "劳动模范": (
        K.MEMBER,
        "在本岗位做出突出贡献，技术革新、节能降耗、提质增效成绩显著，职业道德高尚，群众公认。",
        [("岗位贡献", 40), ("技术创新", 25), ("职业道德与团队带动", 20), ("群众公认", 15)],
    ),
}
# (name, level, winners over the last four years; None: the district's own award, winners every year)
RECORD = [
    ("品牌工会", L.CITY, 4),
    ("品牌工会", L.PREFECTURE, 1),
    ("品牌工会", L.PROVINCE, 1),
    ("和谐劳动关系企业", L.CITY, 7),
    ("和谐劳动关系企业", L.PREFECTURE, 2),
    ("职工书屋", L.NATIONAL, 3),
    ("职工书屋", L.PREFECTURE, 3),
    ("安康杯竞赛优胜单位", L.NATIONAL, 5),
    ("安康杯竞赛优胜单位", L.PREFECTURE, 3),
    ("安康杯竞赛优胜单位", L.PROVINCE, 5),
    ("先进基层工会", L.DISTRICT, None),
    ("优秀工会工作者", L.DISTRICT, None),
    ("劳动模范", L.DISTRICT, None),
]
DISTRICT_WINNERS = {"先进基层工会": (3, 5), "优秀工会工作者": (3, 4), "劳动模范": (2, 3)}
STATEMENTS = {
    K.UNION: "{name}坚持以职工为中心，组织健全、制度规范，职工之家建设扎实，服务职工、维护权益成效明显，多次受到上级工会肯定。",
    K.ENTERPRISE: "{name}依法规范用工，集体协商机制健全，安全生产和职业健康管理到位，劳动关系和谐稳定，职工满意度高。",
    K.UNION_WORKER: "{name}同志长期从事工会工作，扎根一线、热心服务，牵头开展集体协商、困难帮扶和技能竞赛，深受职工信赖。",
    K.MEMBER: "{name}同志爱岗敬业、勇于创新，带领班组攻克技术难题，提出合理化建议多项，创造了显著的经济效益。",
}


def _award_types() -> dict:
    types = AwardType.objects.bulk_create(
        [
            AwardType(name=name, level=level, nominee_kind=AWARDS[name][0], criteria=AWARDS[name][1])
            for name, level, _count in RECORD
        ]
    )
    AwardCriterion.objects.bulk_create(
        [
            AwardCriterion(award_type=award_type, title=title, max_points=points, order=order)
            for award_type in types
            for order, (title, points) in enumerate(AWARDS[award_type.name][2], start=1)
        ]
    )
    criteria = {}
    for criterion in AwardCriterion.objects.filter(award_type__in=types).order_by("award_type", "order"):
        criteria.setdefault(criterion.award_type_id, []).append(criterion)
    for award_type in types:
        award_type.criteria_list = criteria[award_type.pk]
    return {(t.name, t.level): t for t in types}


def _per_year(rng, count: int, years: int) -> list[int]:
    """``count`` winners spread over ``years`` years, the odd ones in random years."""
    base, extra = divmod(count, years)
    lucky = set(rng.sample(range(years), extra))
    return [base + (1 if i in lucky else 0) for i in range(years)]


def _points(rng, criteria, strength: float) -> list[Decimal]:
    return [
        min(
            Decimal(c.max_points),
            (Decimal(c.max_points) * Decimal(str(strength + rng.uniform(-0.06, 0.06)))).quantize(
                Decimal("0.5")
            ),
        )
        for c in criteria
    ]


class _Pools:
    """Who can be nominated, drawn without repeating within a round."""

    def __init__(self, rng, unions):
        self.rng = rng
        self.unions = list(unions)
        self.enterprises = list(
            Enterprise.objects.filter(union__in=self.unions, size_band__in=["large", "medium"])
            .select_related("union")
            .order_by("pk")[:400]
        )
        self.members = list(
            Member.objects.active()
            .filter(union__in=self.unions)
            .select_related("union")
            .order_by("pk")[:3000]
        )

    def draw(self, kind: str, n: int, *, first=None) -> list:
        pool = {K.UNION: self.unions, K.ENTERPRISE: self.enterprises}.get(kind, self.members)
        picked = self.rng.sample(pool, min(n, len(pool)))
        if first is not None and first in pool:
            picked = [first] + [p for p in picked if p != first][: n - 1]
        return picked


def _nominating_union(nominee):
    return nominee if hasattr(nominee, "code") else nominee.union


def _field(kind: str) -> str:
    return services.NOMINEE_FIELDS[kind][0]


def _past_round(rng, pools, award_type, year, winners: int, staff, *, first=None) -> AwardRound | None:
    """A finished round: nominations scored, the best ``winners`` awarded, the notice held, the
    honours issued the working day after it ended."""
    kind = award_type.nominee_kind
    nominees = pools.draw(kind, winners + rng.randint(1, 2), first=first)
    if len(nominees) < winners or not nominees:
        return None
    opens_on = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randint(0, 60))
    closes_on = opens_on + datetime.timedelta(days=30)
    decided_on = closes_on + datetime.timedelta(days=rng.randint(15, 30))
    notice_starts_on, notice_ends_on = services.notice_period(decided_on + datetime.timedelta(days=1), 5)
    award_round = AwardRound.objects.create(
        award_type=award_type,
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        quota=len(nominees) + rng.randint(0, 2),
        per_union_limit=None if kind == K.ENTERPRISE else 2,
        decided_on=decided_on,
        committee_note=f"经{year}年度评审委员会会议审议，按得分高低确定获奖名单。",
        notice_starts_on=notice_starts_on,
        notice_ends_on=notice_ends_on,
        created_by=staff,
    )
    scored = []
    for nominee in nominees:
        points = _points(rng, award_type.criteria_list, rng.uniform(0.72, 0.95))
        scored.append((sum(points), nominee, points))
    if first is not None:  # the chosen nominee wins
        scored.sort(key=lambda row: (row[1] != first, -row[0]))
    else:
        scored.sort(key=lambda row: -row[0])
    nominations = []
    for rank, (total, nominee, _points_given) in enumerate(scored):
        union = _nominating_union(nominee)
        nominations.append(
            HonourNomination(
                round=award_round,
                union=union,
                nominee_name=nominee.name,
                submitted_by=union.chair or staff,
                statement=STATEMENTS[kind].format(name=nominee.name),
                score=total,
                status=HonourNomination.Status.AWARDED
                if rank < winners
                else HonourNomination.Status.NOT_AWARDED,
                **{_field(kind): nominee},
            )
        )
    HonourNomination.objects.bulk_create(nominations)
    NominationScore.objects.bulk_create(
        [
            NominationScore(nomination=nomination, criterion=criterion, points=points, scored_by=staff)
            for nomination, (_total, _nominee, given) in zip(nominations, scored, strict=True)
            for criterion, points in zip(award_type.criteria_list, given, strict=True)
        ]
    )
    submitted = timezone.make_aware(
        datetime.datetime.combine(opens_on + datetime.timedelta(days=7), datetime.time(10))
    )
    HonourNomination.objects.filter(round=award_round).update(submitted_at=submitted)
    services.issue_honours(round=award_round, on=notice_ends_on + datetime.timedelta(days=1))
    return award_round


def _nominate(award_round, nominees, staff, on):
    made = []
    for nominee in nominees:
        union = _nominating_union(nominee)
        made.append(
            services.nominate(
                round=award_round,
                union=union,
                nominee=nominee,
                by=union.chair or staff,
                statement=STATEMENTS[award_round.award_type.nominee_kind].format(name=nominee.name),
                on=on,
            )
        )
    return made


def _score(rng, nomination, staff, today):
    criteria = nomination.round.award_type.criteria_items.all()
    points = dict(zip(criteria, _points(rng, criteria, rng.uniform(0.7, 0.95)), strict=True))
    return services.score_nomination(nomination=nomination, by=staff, points=points, on=today)


def _this_year(rng, pools, types, unions, staff, today):
    year, d = today.year, datetime.timedelta
    # Open now: chair1 (unions[0]) has not nominated yet.
    award_type = types["先进基层工会", L.DISTRICT]
    open_round = services.open_round(
        by=staff,
        award_type=award_type,
        year=year,
        opens_on=today - d(days=10),
        closes_on=today + d(days=20),
        quota=12,
        per_union_limit=1,
    )
    candidates = [u for u in unions[1:40] if u.chair_id]
    _nominate(open_round, rng.sample(candidates, min(5, len(candidates))), staff, today)

    # Closed, under review: some nominations scored.
    award_type = types["优秀工会工作者", L.DISTRICT]
    review = services.open_round(
        by=staff,
        award_type=award_type,
        year=year,
        opens_on=today - d(days=50),
        closes_on=today - d(days=10),
        quota=10,
        per_union_limit=2,
    )
    own = [m for m in pools.members if m.union_id == unions[0].pk][:1]
    others = [m for m in rng.sample(pools.members, min(12, len(pools.members))) if m not in own]
    nominees, per_union = [], {}
    for member in own + others:  # at most two from one union, as the round allows
        if per_union.get(member.union_id, 0) < 2 and len(nominees) < 6:
            per_union[member.union_id] = per_union.get(member.union_id, 0) + 1
            nominees.append(member)
    for nomination in _nominate(review, nominees, staff, today - d(days=30))[::2]:
        _score(rng, nomination, staff, today)

    # Decided, on public notice since the last working day.
    award_type = types["劳动模范", L.DISTRICT]
    notice = services.open_round(
        by=staff,
        award_type=award_type,
        year=year,
        opens_on=today - d(days=80),
        closes_on=today - d(days=50),
        quota=5,
        per_union_limit=1,
    )
    nominees, seen = [], set()
    for member in rng.sample(pools.members, min(15, len(pools.members))):
        if member.union_id not in seen and len(nominees) < 4:
            seen.add(member.union_id)
            nominees.append(member)
    nominations = _nominate(notice, nominees, staff, today - d(days=70))
    nominations = [_score(rng, nomination, staff, today - d(days=40)) for nomination in nominations]
    start = today
    while not is_working_day(start):
        start -= d(days=1)
    winners = sorted(nominations, key=lambda n: -n.score)[: max(1, len(nominations) - 1)]
    if nominations:
        services.record_decision(
            round=notice,
            by=staff,
            winners=winners,
            on=start - d(days=3),
            note=f"{year}年度劳动模范评审委员会会议审议通过。",
        )
        services.publish_notice(round=notice, by=staff, start=start)


def seed_honours(*, rng, unions, staff, today):
    if not unions:
        return
    types = _award_types()
    pools = _Pools(rng, unions)
    years = list(range(today.year - 4, today.year))
    for name, level, count in RECORD:
        award_type = types[name, level]
        if count is None:
            low, high = DISTRICT_WINNERS[name]
            per_year = [rng.randint(low, high) for _year in years]
        else:
            per_year = _per_year(rng, count, len(years))
        for year, winners in zip(years, per_year, strict=True):
            # chair1's union is a city-level brand union from the first year: its page shows the honour.
            first = unions[0] if (name, level) == ("品牌工会", L.CITY) and year == years[0] else None
            if winners:
                _past_round(rng, pools, award_type, year, winners, staff, first=first)
    _this_year(rng, pools, types, unions, staff, today)


@demo_step(order=150)
def honours(demo) -> None:
    seed_honours(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)


@demo_step(order=155)
def honours_programme(demo) -> None:
    """Issue 24: teams and their 工人先锋号, the federation's own awards and the 十百千 programme."""
    seed_programme(
        rng=demo.rng, today=demo.today, unions=demo.unions, enterprises=demo.enterprises, staff=demo.staff
    )
