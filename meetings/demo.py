"""Demo office meetings (三部一室月办公会议): twelve monthly meetings up to the demo's today, in the first
working week of each month, with agendas and minutes of a high-tech park federation's year (dues, cases,
the cadres' rota, workers' homes, the summer camp, the year-end assessment), three to five decisions each
across the four departments, owned by the demo staff and the ``cadre`` account, carried from meeting to
meeting until closed. The latest held meeting's minutes wait for confirmation; a meeting still to come this
month is planned, its agenda opening with the open tasks. A few tasks of ``staff`` and ``cadre`` are left
open past their due date, so that their dashboards show them overdue.

A step after the secondment scheme (its cadres on duty on each meeting's day attend). The rows are made in
order through the services' own carry-over (``_sync_carried``) and outcomes (``_apply_outcome``), with the
date checks of the forms left out: these meetings lie in the past."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from secondment.models import SecondmentTerm
from unionhub import workdays
from unionhub.contributions import demo_step
from unionhub.dates import months_after

from . import services
from .models import AgendaItem, Department, Meeting, Task

D = Department
PLACES = ["区总工会三楼会议室", "区总工会三楼会议室", "职工服务中心二楼会议室"]
# Month → [(agenda item, minutes)], [(decision, department, owner)]; owners: staff, finance, auditor, cadre.
AGENDA = {
    1: (
        [
            (
                "审议区总工会年度工作要点",
                "逐条讨论年度工作要点（征求意见稿），明确各部室牵头事项和时间节点。",
            ),
            ("春节送温暖活动安排", "确定走访慰问对象名单的摸排口径，困难职工档案内人员全部覆盖。"),
            ("上年度基层工会考核结果通报", "通报考核得分和排名，对排名靠后的五家基层工会进行约谈提醒。"),
        ],
        [
            ("完成春节送温暖慰问对象名单汇总", D.RIGHTS, "staff"),
            ("印发年度工作要点", D.OFFICE, "staff"),
            ("做好上年度经费决算报表", D.FINANCE, "finance"),
            ("约谈考核排名靠后的基层工会", D.ORGANISATION, "cadre"),
        ],
    ),
    2: (
        [
            ("节后返岗和春风行动", "园区企业节后用工缺口较大，配合人社部门开展春风行动专场招聘。"),
            ("一季度工会经费收缴", "通报一月份经费收缴进度，对未按期申报的企业逐家电话提醒。"),
            ("上挂干部轮值安排", "新一期轮值表已生成，节后首周值班人员已确认到岗。"),
        ],
        [
            ("春风行动专场招聘会组织工作", D.ORGANISATION, "cadre"),
            ("经费欠缴企业逐家提醒并登记", D.FINANCE, "finance"),
            ("轮值表在公告栏和群内公布", D.OFFICE, "staff"),
        ],
    ),
    3: (
        [
            ("三八妇女节系列活动", "举办女职工权益保护专题讲座，推动爱心妈咪小屋建设。"),
            ("维权案件办理情况", "通报一季度受理案件和结案情况，欠薪类案件占比最高。"),
            ("经费审计年度计划", "讨论年度审计计划草案，按轮审和风险两类确定审计对象。"),
        ],
        [
            ("女职工权益保护专题讲座", D.RIGHTS, "staff"),
            ("欠薪案件逐件跟踪回访", D.RIGHTS, "cadre"),
            ("审计计划报主席审定", D.FINANCE, "auditor"),
            ("新建爱心妈咪小屋摸底", D.ORGANISATION, "staff"),
        ],
    ),
    4: (
        [
            ("职工之家创建和复查", "今年到期复查的职工之家共十余家，分两批开展实地复查。"),
            ("五一劳动奖推荐", "各基层工会推荐材料已收齐，组织部初审后提交评审。"),
            ("基层工会换届提醒", "任期届满的基层工会需在二季度完成换届。"),
        ],
        [
            ("职工之家复查第一批实地检查", D.ORGANISATION, "staff"),
            ("五一劳动奖推荐材料初审", D.ORGANISATION, "cadre"),
            ("换届提醒函发放", D.OFFICE, "staff"),
        ],
    ),
    5: (
        [
            ("五一劳动节表彰大会总结", "表彰大会顺利召开，宣传稿件已在公众号发布。"),
            ("职工技能竞赛方案", "今年竞赛设数控车工、电工和电子商务三个项目。"),
            ("经费收缴半年目标", "收缴进度略低于去年同期，重点跟进十家大额欠缴企业。"),
        ],
        [
            ("印发技能竞赛实施方案", D.ORGANISATION, "staff"),
            ("大额欠缴企业上门走访", D.FINANCE, "finance"),
            ("表彰大会资料归档", D.OFFICE, "staff"),
        ],
    ),
    6: (
        [
            ("夏季送清凉活动", "高温季节前完成一线职工送清凉物资采购和发放计划。"),
            ("暑期职工子女托管班", "今年托管班设两个班次，招收职工子女八十名，场地已落实。"),
            ("半年经费收支情况", "上半年经费收支基本平衡，帮扶支出进度偏慢。"),
        ],
        [
            ("送清凉物资采购和发放", D.RIGHTS, "staff"),
            ("暑期托管班报名和师资落实", D.ORGANISATION, "cadre"),
            ("半年财务收支报告", D.FINANCE, "finance"),
            ("托管班安全预案", D.OFFICE, "staff"),
        ],
    ),
    7: (
        [
            ("暑期托管班开班情况", "首期托管班已开班，家长满意度较高，需加强午餐安全管理。"),
            ("上挂干部中期考核", "对本期上挂干部开展中期考核，听取派出单位意见。"),
            ("高温期间劳动保护维权", "接到两起高温津贴投诉，已转劳动监察部门联合处理。"),
        ],
        [
            ("托管班午餐供应检查", D.OFFICE, "staff"),
            ("上挂干部中期考核汇总", D.ORGANISATION, "staff"),
            ("高温津贴投诉跟踪办结", D.RIGHTS, "cadre"),
        ],
    ),
    8: (
        [
            ("金秋助学", "困难职工子女助学申请已受理，组织入户核实。"),
            ("职工之家复查第二批", "第二批复查下旬开展，重点查看职工书屋和健身室。"),
            ("经费专项审计进点", "对三家基层工会开展专项审计，审计组已进点。"),
        ],
        [
            ("金秋助学入户核实", D.RIGHTS, "cadre"),
            ("职工之家第二批复查", D.ORGANISATION, "staff"),
            ("专项审计报告初稿", D.FINANCE, "auditor"),
        ],
    ),
    9: (
        [
            ("中秋国庆走访慰问", "节日期间走访一线职工和困难职工家庭。"),
            ("审计发现问题整改", "专项审计发现的票据不规范等问题，已下发整改通知。"),
            ("园区新建企业建会", "三季度新入驻企业十二家，组建工会工作同步推进。"),
        ],
        [
            ("节日走访慰问安排", D.RIGHTS, "staff"),
            ("审计整改情况跟踪", D.FINANCE, "auditor"),
            ("新入驻企业建会动员", D.ORGANISATION, "cadre"),
            ("节日值班表", D.OFFICE, "staff"),
        ],
    ),
    10: (
        [
            ("新一期上挂干部报到", "新一期上挂干部已报到，开展岗前培训。"),
            ("职工运动会筹备", "运动会定于下月举办，设趣味项目和团体项目。"),
            ("维权案件季度分析", "三季度案件以劳动报酬和社保为主，调解成功率较高。"),
        ],
        [
            ("上挂干部岗前培训", D.ORGANISATION, "staff"),
            ("运动会场地和报名", D.OFFICE, "cadre"),
            ("维权案件季度分析报告", D.RIGHTS, "staff"),
        ],
    ),
    11: (
        [
            ("年终考核准备", "制定基层工会年度考核细则，考核内容与去年保持一致并增加信息宣传项目。"),
            ("明年节假日日历录入", "国务院明年节假日安排发布后及时录入系统，以便排班。"),
            ("经费年度决算准备", "各基层工会决算报表模板已下发。"),
        ],
        [
            ("印发年度考核细则", D.ORGANISATION, "staff"),
            ("录入明年节假日安排", D.OFFICE, "staff"),
            ("决算报表模板下发和答疑", D.FINANCE, "finance"),
            ("考核资料收集提醒", D.ORGANISATION, "cadre"),
        ],
    ),
    12: (
        [
            ("年终考核实施", "考核组分三组对基层工会进行实地考核。"),
            ("元旦春节送温暖筹备", "摸排困难职工名单，提前准备慰问物资。"),
            ("年度工作总结", "各部室报送年度工作总结，办公室汇总形成全年总结。"),
        ],
        [
            ("年终考核实地检查", D.ORGANISATION, "staff"),
            ("送温暖困难职工名单摸排", D.RIGHTS, "cadre"),
            ("年度工作总结汇总", D.OFFICE, "staff"),
        ],
    ),
}
SUMMARY = "会议通报了上月工作完成情况，研究部署本月重点工作。各部室负责人汇报了本部门工作进展，会议逐项明确了责任人和完成时限。"
DONE_NOTES = ["已按要求完成，资料已归档。", "已办结，情况已向主持人汇报。", "已完成并在群内通报。"]
DROP_NOTES = ["上级工会已统一部署，本项不再单独办理。", "情况变化，经会议研究不再办理。"]
STICKY = "仍在推进中，下次会议继续跟踪。"


def seed_meetings(*, rng, today: datetime.date, staff, cadre) -> None:
    User = get_user_model()
    people = {"staff": staff, "cadre": cadre}
    people.update({u.username: u for u in User.objects.filter(username__in=["finance", "auditor"])})
    team = [u for u in (staff, people.get("finance"), people.get("auditor")) if u is not None]
    term = SecondmentTerm.objects.filter(cadre=cadre).order_by("-start_date").first() if cadre else None

    def owner(key, day):
        person = people.get(key) or staff
        if person is cadre and (term is None or not term.start_date <= day <= term.end_date):
            return staff
        return person

    first_month = months_after(today.replace(day=1), -11)
    dates = []
    for n in range(12):
        month = months_after(first_month, n)
        dates.append(workdays.next_working_day(month.replace(day=3)))
    held = [d for d in dates if d <= today]
    sticky: set[int] = set()
    for n, day in enumerate(dates):
        items, decisions = AGENDA[day.month]
        meeting = Meeting.objects.create(
            kind=Meeting.Kind.REGULAR,
            date=day,
            month=day.replace(day=1),
            place=PLACES[n % len(PLACES)],
            host=staff,
            recorder=people.get("finance", staff) if n % 2 else staff,
        )
        attendees = {*team, *services.on_duty(day)}
        if term is not None and term.start_date <= day <= term.end_date:
            attendees.add(cadre)
        meeting.attendees.set(attendees)
        AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, position=k, title=title) for k, (title, _m) in enumerate(items, 1)]
        )
        services._sync_carried(meeting)
        if day > today:
            continue
        # Held: how each carried task stands, the minutes, the decisions.
        for item in meeting.agenda_items.filter(carried_task__isnull=False).select_related("carried_task"):
            roll = rng.random()
            if item.carried_task_id in sticky:
                outcome, note, new_due = AgendaItem.Outcome.OPEN, STICKY, None
            elif roll < 0.7:
                outcome, note, new_due = AgendaItem.Outcome.DONE, rng.choice(DONE_NOTES), None
            elif roll < 0.9:
                new_due = workdays.next_working_day(day + datetime.timedelta(days=rng.randint(14, 30)))
                outcome, note = AgendaItem.Outcome.OPEN, "进度滞后，调整完成时限。"
            else:
                outcome, note, new_due = AgendaItem.Outcome.DROPPED, rng.choice(DROP_NOTES), None
            services._apply_outcome(item, outcome, note, new_due, by=staff, meeting=meeting)
        minutes = dict(items)
        for item in meeting.agenda_items.filter(carried_task__isnull=True):
            item.minutes = minutes.get(item.title, "")
            item.save(update_fields=["minutes"])
        latest = day == held[-1]
        tasks = [
            Task(
                meeting=meeting,
                title=title,
                owner=owner(key, day),
                department=department,
                due_on=workdays.next_working_day(day + datetime.timedelta(days=rng.randint(12, 40))),
                created_by=staff,
            )
            for title, department, key in decisions
        ]
        # Left open past their date: one of staff's three months back, one of the cadre's a month back.
        if len(held) >= 4 and day == held[-4]:
            tasks.append(_sticky("完善会议纪要督办台账", D.OFFICE, staff, meeting, day, staff))
        if len(held) >= 2 and day == held[-2] and owner("cadre", day) is cadre:
            tasks.append(_sticky("上挂干部值班日志补录情况核查", D.ORGANISATION, cadre, meeting, day, staff))
        Task.objects.bulk_create(tasks)
        sticky.update(
            t.pk for t in tasks if t.title in ("完善会议纪要督办台账", "上挂干部值班日志补录情况核查")
        )
        meeting.summary = SUMMARY
        meeting.status = Meeting.Status.HELD if latest else Meeting.Status.CONFIRMED
        meeting.held_recorded_by = meeting.recorder
        if not latest:
            meeting.confirmed_by = staff
            confirmed = min(day + datetime.timedelta(days=3), today)
            meeting.confirmed_at = timezone.make_aware(
                datetime.datetime.combine(confirmed, datetime.time(16, 30))
            )
        meeting.save()


def _sticky(title, department, owner, meeting, day, by) -> Task:
    due = workdays.next_working_day(day + datetime.timedelta(days=10))
    return Task(meeting=meeting, title=title, owner=owner, department=department, due_on=due, created_by=by)


@demo_step(order=220)
def office_meetings(demo) -> None:
    seed_meetings(rng=demo.rng, today=demo.today, staff=demo.staff, cadre=demo.cadre)
