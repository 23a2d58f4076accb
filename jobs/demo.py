"""A year of job-finding help in the demo district: about 25 vacancies posted by the chairs of a dozen
enterprises' unions — most approved and listed, some run out (expired), a few filled and closed early, one
waiting for approval and one returned to chair1 — and about 60 referrals by the demo staff and the cadre,
with their interviews and outcomes, a third of them linked to the grievance cases of workers whose job ended.

A step of the demo district (``@demo_step``, run by ``unionhub.demo.run``), made through the real services so
that the audit trail, the to-do card and the figures read as they would in use."""

import datetime
from decimal import Decimal

from django.utils import timezone

from grievances.models import Case
from members.models import Enterprise
from unionhub.contributions import demo_step

from . import services
from .models import Referral, Trade, Vacancy

DAY = datetime.timedelta(days=1)

POSTS = [  # (title, trade, openings, wage from, wage up to, requirements)
    (
        "普工（长白班）",
        Trade.OPERATOR,
        20,
        4500,
        6000,
        "18–50周岁，身体健康，能适应流水线作业；包吃住，缴纳五险。",
    ),
    ("持证电工", Trade.ELECTRICIAN, 3, 6500, 8500, "持有效低压电工证，三年以上工厂设备维护经验。"),
    ("数控车床操作工", Trade.CNC, 6, 6000, 9000, "能看懂图纸，熟悉FANUC系统者优先；两班倒。"),
    ("叉车司机", Trade.FORKLIFT, 2, 5500, 7000, "持叉车操作证，一年以上仓库经验。"),
    ("仓库理货员", Trade.WAREHOUSE, 4, 4800, 6000, "会使用电脑录入出入库单据，能吃苦耐劳。"),
    ("质检员", Trade.INSPECTOR, 3, 5000, 6500, "高中以上学历，细心负责，有经编或纺织质检经验优先。"),
    ("电商客服", Trade.ECOMMERCE, 5, 4500, 7000, "普通话标准，打字每分钟50字以上，接受晚班轮值。"),
    ("焊工", Trade.WELDER, 4, 7000, 9500, "持焊工证，熟练二保焊、氩弧焊。"),
    ("设备维修工", Trade.MAINTENANCE, 2, 6500, 9000, "熟悉机械、气动和PLC基础，能独立排除常见故障。"),
    ("厂车司机", Trade.DRIVER, 1, 6000, 7500, "持B2以上驾照，五年以上驾龄，无重大事故记录。"),
    ("食堂厨师", Trade.CATERING, 1, 5500, 7000, "有两百人以上食堂工作经验，持健康证。"),
    ("销售内勤", Trade.SALES, 2, 4500, 6500, "大专以上学历，熟练使用办公软件。"),
]
RETURN_REASON = "工资范围与岗位说明不一致，请核实后重新提交；联系电话请填写人事部门座机。"
NOTES = ["职工本人有意向，已电话告知面试时间。", "由服务站工作人员陪同面试。", ""]


def _enterprises(demo) -> list[Enterprise]:
    """A dozen operating enterprises whose union has a chair, chair1's (HN001) first."""
    rows = list(
        Enterprise.objects.filter(union__chair__isnull=False, status=Enterprise.Status.OPERATING)
        .select_related("union__chair")
        .order_by("union__code", "pk")
    )
    first = [e for e in rows if e.union.code == "HN001"][:1]
    others = [e for e in rows if e.union.code != "HN001"]
    demo.rng.shuffle(others)
    seen, chosen = set(), list(first)
    for enterprise in others:
        if enterprise.union_id not in seen and len(chosen) < 12:
            seen.add(enterprise.union_id)
            chosen.append(enterprise)
    return chosen


def _post(demo, enterprise, n: int, *, submitted: datetime.date, run_days: int) -> Vacancy:
    title, trade, openings, low, high, requirements = POSTS[n % len(POSTS)]
    rng = demo.rng
    vacancy = services.post_vacancy(
        by=enterprise.union.chair,
        data=services.VacancyData(
            enterprise=enterprise,
            title=title,
            trade=trade,
            openings=openings,
            wage_min=Decimal(low),
            wage_max=Decimal(high),
            requirements=requirements,
            contact_name=demo.gen.name()[:1] + rng.choice(["经理", "主管", "女士", "先生"]),
            contact_phone=demo.gen.mobile(),
            run_days=run_days,
            publish_wage=rng.random() < 0.85,
            publish_enterprise=rng.random() < 0.9,
            publish_contact_name=rng.random() < 0.4,
            publish_contact_phone=rng.random() < 0.3,
        ),
    )
    at = datetime.datetime.combine(submitted, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    Vacancy.objects.filter(pk=vacancy.pk).update(submitted_at=at)
    vacancy.submitted_at = at
    return vacancy


def _worker(demo, cases: list[Case], used: set[int]):
    """A worker to refer: a third of the time from a grievance case (dismissal and employment-help cases of
    the referrer's, not yet used), else a worker who walked into the station."""
    if demo.rng.random() < 0.45:
        for case in cases:
            if case.pk not in used and case.complainant_name and case.complainant_phone:
                used.add(case.pk)
                return case.complainant_name, case.complainant_phone, case
    return demo.gen.name(), demo.gen.mobile(), None


def _refer(demo, vacancy: Vacancy, on: datetime.date, referrers, cases, used) -> Referral | None:
    by = demo.rng.choice(referrers)
    name, phone, case = _worker(demo, cases[by.pk], used)
    if Referral.objects.filter(vacancy=vacancy, worker_phone=phone).exists():
        return None
    return services.refer_worker(
        by=by,
        vacancy=vacancy,
        worker_name=name,
        worker_phone=phone,
        case=case,
        note=demo.rng.choice(NOTES),
        on=on,
    )


def _outcome(demo, referral: Referral, today: datetime.date) -> None:
    rng = demo.rng
    interview = referral.referred_on + rng.randint(2, 8) * DAY
    if interview > today or rng.random() < 0.08:
        return  # still waiting (a few of them long enough to be followed up)
    by = referral.referred_by
    if rng.random() < 0.2:
        services.record_outcome(referral=referral, by=by, to=Referral.Status.NOT_HIRED, on=interview)
        return
    services.record_outcome(referral=referral, by=by, to=Referral.Status.INTERVIEWED, on=interview)
    decided = interview + rng.randint(1, 7) * DAY
    if decided > today or rng.random() < 0.05:
        return
    to = Referral.Status.HIRED if rng.random() < 0.55 else Referral.Status.NOT_HIRED
    note = "已签订劳动合同，试用期三个月。" if to == Referral.Status.HIRED else ""
    services.record_outcome(referral=referral, by=by, to=to, on=decided, note=note)


@demo_step(order=250)
def jobs(demo) -> None:
    today, rng = demo.today, demo.rng
    enterprises = _enterprises(demo)
    if not enterprises:
        return
    referrers = [demo.staff, demo.cadre]
    job_first = (Case.Category.DISMISSAL, Case.Category.EMPLOYMENT)
    # The referrer's own cases (grievances' access rules), those of a job that ended first.
    cases = {user.pk: list(services.linkable_cases(user).filter(anonymous=False)[:80]) for user in referrers}
    for user_cases in cases.values():
        user_cases.sort(key=lambda c: c.category not in job_first)
    used: set[int] = set()
    # 23 vacancies over the year, oldest first and more of them lately (the last seven or so still listed), then
    # the chair1 ones the to-do card shows.
    for n in range(23):
        enterprise = enterprises[n % len(enterprises)]
        submitted = today - (int(360 * (1 - n / 23) ** 1.6) + rng.randint(0, 3)) * DAY
        vacancy = _post(demo, enterprise, n, submitted=submitted, run_days=rng.choice([30, 30, 45, 60, 90]))
        approved_on = min(submitted + rng.randint(1, 3) * DAY, today)
        services.approve_vacancy(vacancy=vacancy, by=demo.staff, on=approved_on)
        vacancy.refresh_from_db()
        last = min(vacancy.expires_on, today)
        for _ in range(rng.choice([2, 2, 3, 3, 3, 4])):
            on = approved_on + rng.randint(0, max((last - approved_on).days, 0)) * DAY
            referral = _refer(demo, vacancy, on, referrers, cases, used)
            if referral is not None:
                _outcome(demo, referral, today)
        hires = list(vacancy.referrals.filter(status=Referral.Status.HIRED).order_by("-outcome_on"))
        if len(hires) >= min(vacancy.openings, 2) and rng.random() < 0.7:
            # Filled: the chair closes the post on the day of the last hire.
            filled_on = hires[0].outcome_on
            if filled_on <= vacancy.expires_on:
                services.close_vacancy(
                    vacancy=vacancy, by=enterprise.union.chair, reason="filled", on=filled_on
                )
    chair1_enterprise = enterprises[0]
    # chair1: one open and about to run out, one returned, one waiting for approval.
    expiring = _post(demo, chair1_enterprise, 2, submitted=today - 26 * DAY, run_days=30)
    services.approve_vacancy(vacancy=expiring, by=demo.staff, on=today - 25 * DAY)
    returned = _post(demo, chair1_enterprise, 6, submitted=today - 4 * DAY, run_days=30)
    services.return_vacancy(vacancy=returned, by=demo.staff, reason=RETURN_REASON)
    _post(demo, chair1_enterprise, 0, submitted=today - DAY, run_days=45)
    services.record_expiry(on=today)
