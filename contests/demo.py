"""Demo skills contests (技能比武): the last two years' contests and this year's, two or three trades a year,
each with contestants from many unions, judges from different unions (never scoring their own union's
contestants), a preliminary and a final scored on the sheet, and the results published with their
certificates; one contest of this year open for entry, so that chair1 has members to enter.

Entries, judges, the rounds, the state and the results go through the services; the judges' scores, being
fixture data, are bulk-inserted (the rule that a judge never scores their own union holds for them too).
Last year's electrician contest feeds the honours: its top three are nominated for 技术能手 — the district's
award of that name is made through the honours programme's own services when the honours demo holds awards
given to members, and the contest step leaves the honours alone otherwise."""

import datetime
from decimal import Decimal

from honours import services as honours_services
from honours.models import AwardLevel, AwardType, NomineeKind
from members.models import Member
from secondment.models import SecondmentTerm
from unionhub.contributions import demo_step
from unionhub.workdays import next_working_day

from . import services
from .models import Contest, ContestRound, Part, Score

# (trade, title, theory weight, [(part, item, max points)])
SHEETS = {
    "electrician": [
        (Part.THEORY, "电工基础与安全规程", 100),
        (Part.PRACTICAL, "低压配电线路安装", 40),
        (Part.PRACTICAL, "电气控制线路故障排查", 35),
        (Part.PRACTICAL, "安全文明操作", 25),
    ],
    "cnc_operator": [
        (Part.THEORY, "机械制图与数控编程", 100),
        (Part.PRACTICAL, "零件加工精度", 50),
        (Part.PRACTICAL, "加工效率", 30),
        (Part.PRACTICAL, "设备维护与安全", 20),
    ],
    "forklift_driver": [
        (Part.THEORY, "叉车安全操作规程", 100),
        (Part.PRACTICAL, "绕桩行驶", 40),
        (Part.PRACTICAL, "精准叉取堆垛", 40),
        (Part.PRACTICAL, "规范操作", 20),
    ],
    "ecommerce_service": [
        (Part.THEORY, "电商平台规则与服务规范", 100),
        (Part.PRACTICAL, "在线接待与话术", 40),
        (Part.PRACTICAL, "售后纠纷处理", 40),
        (Part.PRACTICAL, "响应时效", 20),
    ],
    "welder": [
        (Part.THEORY, "焊接工艺与安全", 100),
        (Part.PRACTICAL, "板对接焊", 50),
        (Part.PRACTICAL, "管板焊", 50),
    ],
    "childcare": [
        (Part.THEORY, "婴幼儿保育知识", 100),
        (Part.PRACTICAL, "生活照料", 50),
        (Part.PRACTICAL, "早期发展指导", 50),
    ],
}
NAMES = {
    "electrician": "电工",
    "cnc_operator": "数控车工",
    "forklift_driver": "叉车司机",
    "ecommerce_service": "电商客服",
    "welder": "焊工",
    "childcare": "育婴员",
}
VENUES = ["区职业技能实训基地", "高新区职工服务中心", "区技师学院实训楼"]
# Contests of the years before this one: (years back, trade, month, theory weight, with a preliminary)
PAST = [
    (2, "electrician", 5, 30, True),
    (2, "forklift_driver", 9, 30, False),
    (1, "electrician", 5, 30, True),
    (1, "cnc_operator", 8, 40, True),
    (1, "ecommerce_service", 10, 50, False),
]
THIS_YEAR_PUBLISHED = ("welder", 30)
THIS_YEAR_OPEN = "childcare"
JUDGES_PER_CONTEST = 5


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _sheet(trade):
    return [{"part": part, "title": title, "max_points": points} for part, title, points in SHEETS[trade]]


def _judge_pool(demo) -> list:
    """Judges from different unions: chairs of unions spread over the district and the cadre (whose own
    union is HN005), plus one staff member from no union."""
    chairs = [u.chair for u in demo.unions[9::17] if u.chair_id][:8]
    return [demo.cadre, *chairs]


def _contestants(rng, trade, first_day, unions_by_pk, n_unions):
    """Members aged 20 to 50 on the first day from ``n_unions`` unions, one or two from each."""
    picked = rng.sample(list(unions_by_pk.values()), min(n_unions, len(unions_by_pk)))
    rows = []
    low, high = _years_before(first_day, 50), _years_before(first_day, 20)
    for union in picked:
        members = list(
            Member.objects.active()
            .filter(union=union, birth_date__gt=low, birth_date__lte=high)
            .select_related("union")
            .order_by("pk")[:40]
        )
        rows += rng.sample(members, min(len(members), rng.choice([1, 1, 2])))
    return rows


def _scores(rng, contest, contest_round, entries, skill):
    """Every judge's points for every contestant of the round, but never for their own union's."""
    items = list(contest.items.all())
    judges = list(contest.judges.all())
    rows = []
    for entry in entries:
        for judge in judges:
            if judge.union_id is not None and judge.union_id == entry.union_id:
                continue
            for item in items:
                level = skill[entry.pk] + rng.uniform(-0.07, 0.07)
                value = (Decimal(item.max_points) * Decimal(str(min(max(level, 0.3), 1.0)))).quantize(
                    Decimal("0.5")
                )
                rows.append(Score(entry=entry, judge=judge, round=contest_round, item=item, points=value))
    Score.objects.bulk_create(rows, batch_size=2000)


def _contest(demo, *, year, trade, month, theory, preliminary, n_unions, unions_by_pk, judges, term, publish):
    rng, staff = demo.rng, demo.staff
    first = datetime.date(year, month, 12)
    final_on = first + datetime.timedelta(days=1)
    contest = services.save_contest(
        by=staff,
        title=f"{year}年高新区“{NAMES[trade]}”职业技能比武",
        trade=trade,
        accepted_trades=[trade],
        venue=rng.choice(VENUES),
        starts_on=first,
        ends_on=final_on,
        entry_opens_on=first - datetime.timedelta(days=40),
        entry_closes_on=first - datetime.timedelta(days=10),
        min_age=18,
        max_age=55,
        default_quota=2,
        theory_weight=Decimal(theory),
        practical_weight=Decimal(100 - theory),
        tie_break=rng.choice(["practical", "practical", "theory"]),
        first_prizes=1,
        second_prizes=2,
        third_prizes=3,
        merit_prizes=4,
        final_on=final_on,
        preliminary_on=first if preliminary else None,
        advance=10 if preliminary else None,
        organisers=[staff],
        organising_cadres=[term] if term else [],
    )
    services.save_sheet(by=staff, contest=contest, items=_sheet(trade))
    services.open_entry(by=staff, contest=contest)
    for user in judges:
        services.add_judge(by=staff, contest=contest, user=user)
    services.add_judge(by=staff, contest=contest, user=staff, derive=False)
    if not publish:
        return contest
    day = contest.entry_opens_on + datetime.timedelta(days=5)
    for member in _contestants(rng, trade, first, unions_by_pk, n_unions):
        chair = member.union.chair
        by = chair if chair is not None else staff
        services.enter(
            by=by,
            contest=contest,
            member=member,
            declared_trade=trade,
            job_title=f"{NAMES[trade]}岗位",
            on=day,
        )
    services.close_entry(by=staff, contest=contest)
    entries = list(contest.entries.all())
    skill = {e.pk: rng.uniform(0.55, 0.95) for e in entries}
    rounds = {r.kind: r for r in contest.rounds.all()}
    if preliminary:
        _scores(rng, contest, rounds[ContestRound.Kind.PRELIMINARY], entries, skill)
        services.choose_finalists(by=staff, contest=contest)
        finalists = list(contest.entries.filter(finalist=True))
    else:
        finalists = entries
    _scores(rng, contest, rounds[ContestRound.Kind.FINAL], finalists, skill)
    return services.publish_results(
        by=staff, contest=contest, on=next_working_day(final_on + datetime.timedelta(days=3))
    )


def _feed_honours(demo, contest) -> None:
    """Nominate the top three of ``contest`` for 技术能手 (a district award given to members), decided, on
    notice and issued as the honours programme does — when the honours demo holds member awards at all."""
    if not AwardType.objects.filter(nominee_kind=NomineeKind.MEMBER).exists():
        return
    staff = demo.staff
    award = AwardType.objects.filter(name="技术能手", nominee_kind=NomineeKind.MEMBER).first()
    if award is None:
        award = honours_services.save_award_type(
            by=staff,
            name="技术能手",
            level=AwardLevel.DISTRICT,
            nominee_kind=NomineeKind.MEMBER,
            criteria="在区级职业技能比武中取得优异成绩，技术精湛、爱岗敬业，在岗位上发挥示范带动作用。",
            items=[
                {"title": "技能比武成绩", "max_points": 50},
                {"title": "岗位业绩", "max_points": 30},
                {"title": "传帮带作用", "max_points": 20},
            ],
        )
    opens = contest.published_on + datetime.timedelta(days=1)
    if award.rounds.filter(year=contest.year).exists():
        return
    award_round = honours_services.open_round(
        by=staff,
        award_type=award,
        year=contest.year,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=20),
        quota=3,
    )
    made, _refused = services.nominate_for_honours(
        by=staff, contest=contest, award_round=award_round, top=3, on=opens
    )
    decided = next_working_day(award_round.closes_on + datetime.timedelta(days=7))
    honours_services.record_decision(
        round=award_round, by=staff, winners=made, note="技能比武前三名，同意授予。", on=decided
    )
    award_round = honours_services.publish_notice(round=award_round, by=staff, start=decided)
    honours_services.issue_honours(
        round=award_round, by=staff, on=award_round.notice_ends_on + datetime.timedelta(days=1)
    )


@demo_step(order=230)
def skills_contests(demo) -> None:
    today = demo.today
    unions_by_pk = {u.pk: u for u in demo.unions if u.status == "active"}
    judges = _judge_pool(demo)
    term = SecondmentTerm.objects.filter(cadre=demo.cadre).order_by("-start_date").first()
    for back, trade, month, theory, preliminary in PAST:
        contest = _contest(
            demo,
            year=today.year - back,
            trade=trade,
            month=month,
            theory=theory,
            preliminary=preliminary,
            n_unions=demo.rng.randint(14, 22),
            unions_by_pk=unions_by_pk,
            judges=demo.rng.sample(judges, JUDGES_PER_CONTEST),
            term=term,
            publish=True,
        )
        if back == 1 and trade == "electrician":
            _feed_honours(demo, contest)
    # This year: a contest already held, when its results could be out by today; and one open for entry.
    trade, theory = THIS_YEAR_PUBLISHED
    if datetime.date(today.year, 3, 12) + datetime.timedelta(days=10) < today:
        _contest(
            demo,
            year=today.year,
            trade=trade,
            month=3,
            theory=theory,
            preliminary=False,
            n_unions=12,
            unions_by_pk=unions_by_pk,
            judges=demo.rng.sample(judges, JUDGES_PER_CONTEST),
            term=term,
            publish=True,
        )
    _open_contest(demo, judges, term)


def _open_contest(demo, judges, term) -> Contest:
    """This year's contest open for entry: entries taken from a week ago for three weeks, held a week after."""
    staff, today = demo.staff, demo.today
    opens = today - datetime.timedelta(days=7)
    closes = today + datetime.timedelta(days=14)
    first = closes + datetime.timedelta(days=7)
    contest = services.save_contest(
        by=staff,
        title=f"{first.year}年高新区“{NAMES[THIS_YEAR_OPEN]}”职业技能比武",
        trade=THIS_YEAR_OPEN,
        accepted_trades=[THIS_YEAR_OPEN, "other"],
        venue="高新区职工服务中心",
        starts_on=first,
        ends_on=first,
        entry_opens_on=opens,
        entry_closes_on=closes,
        min_age=18,
        max_age=50,
        default_quota=3,
        theory_weight=Decimal(40),
        practical_weight=Decimal(60),
        tie_break="practical",
        first_prizes=1,
        second_prizes=2,
        third_prizes=3,
        merit_prizes=3,
        final_on=first,
        organisers=[staff],
        organising_cadres=[term] if term else [],
    )
    services.save_sheet(by=staff, contest=contest, items=_sheet(THIS_YEAR_OPEN))
    services.open_entry(by=staff, contest=contest)
    for user in demo.rng.sample(judges, 3):
        services.add_judge(by=staff, contest=contest, user=user)
    # A few unions have entered already (not HN001: chair1 has its entries to make).
    for union in list(demo.unions)[5:9]:
        members = list(
            Member.objects.active()
            .filter(
                union=union, birth_date__gt=_years_before(first, 50), birth_date__lte=_years_before(first, 18)
            )
            .order_by("pk")[:2]
        )
        for member in members:
            services.enter(
                by=union.chair or staff,
                contest=contest,
                member=member,
                declared_trade=THIS_YEAR_OPEN,
                on=today,
            )
    return contest
