"""A year of casework in the demo district: about 300 workers' claims received over the last twelve
months, by every channel, in every category and stage — wage arrears at construction sites and
factories (more of them before the Spring Festival), social insurance not paid, unlawful dismissal,
work injuries, overtime, women workers' rights — with their timelines, petitions, legal aid, a few
unions asked to help, outcomes, money recovered (about ¥1.6M in all) and the workers' satisfaction.
A few open cases have deadlines in the next weeks, so the overview and ``case_deadlines`` show some.

A step of the demo district (``@demo_step``, run by ``unionhub.demo.run``). Rows are bulk-inserted (fixture data, not
staff work: no audit records); the stored deadlines are computed as ``Case.save`` would."""

import dataclasses
import datetime
import itertools
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from members.demo import demo_members
from members.models import Enterprise, GrassrootsUnion, Member
from members.validators import id_check_character
from secondment.models import SecondmentTerm
from unionhub.contributions import demo_step
from unionhub.workdays import working_days_after

from .deadlines import callback_due, handling_due, limitation_date
from .models import Case, CaseEvent
from .services import add_event, assign, change_stage, legal_aid_qualifies, open_case, record_callback
from .services.member import submit_member
from .services.public import CASE_NUMBER_PREFIX, TRACKING_ALPHABET, submit_public, tracking_code_hash

CASES = 300
RECOVERED_TARGET = 1_600_000  # yuan recovered by the closed cases, as the federation's record says
Stage, Channel, Category, Outcome = Case.Stage, Case.Channel, Case.Category, Case.Outcome

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏吕丁沈姚卢"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "刚",
    "建国",
    "建华",
    "志强",
    "晓东",
    "海燕",
    "红梅",
    "玉兰",
    "春梅",
    "国庆",
    "卫东",
    "小红",
    "桂芝",
    "德福",
    "长青",
    "永刚",
]
LOCAL_COUNTIES = ["330481", "330402", "330411", "330421", "330482"]
MIGRANT_COUNTIES = ["342201", "341226", "411521", "412726", "513701", "511623", "522422", "362330", "430524"]
PROVINCES = ["安徽", "河南", "四川", "贵州", "江西", "湖南", "云南"]
JOBS = [
    "缝纫",
    "经编挡车",
    "冲压",
    "装配",
    "质检",
    "仓库搬运",
    "注塑",
    "电焊",
    "叉车",
    "皮革裁剪",
    "包装",
    "保安",
]
SITES = [
    "高新区标准厂房二期",
    "盐官安置小区",
    "长安镇农贸市场改造",
    "许村镇道路拓宽",
    "钱塘江堤防加固",
    "硖石街道老旧小区改造",
    "尖山新区物流园",
    "海宁经编园区宿舍楼",
]
BUILDERS = [
    "浙江宏盛建设有限公司",
    "海宁市恒信建筑工程有限公司",
    "嘉兴鼎力建设集团有限公司",
    "浙北中天建工有限公司",
]
SMALL_EMPLOYERS = [
    "海宁市硖石老张面馆",
    "许村镇鑫源家纺加工厂（个体）",
    "海宁市天成劳务派遣有限公司",
    "长安镇华丰汽车修理部",
    "海宁市永盛保洁服务有限公司",
    "盐官镇潮乡人家饭店",
    "海宁市锦绣服装加工作坊",
    "海宁市东方快递站点",
    "嘉兴致远人力资源服务有限公司",
]
LAW_FIRMS = ["浙江潮乡律师事务所", "海宁市法律援助中心", "浙江海宁正大律师事务所"]

# Complaints by category: what the worker says (formatted with the case's particulars).
COMPLAINTS = {
    Category.WAGE_ARREARS: [
        "本人在{employer}从事{job}工作，公司已拖欠{months}个月工资共计约{amount}元，多次向车间主任和老板催要，"
        "均以资金周转困难为由推脱。",
        "{workers}名工人反映：{employer}近{months}个月未按时发放工资，累计拖欠约{amount}元，老板称要等货款回笼"
        "再发，工人们担心年底拿不到钱。",
        "本人已于离职时办理交接，公司承诺月底结清最后{months}个月工资约{amount}元，至今未付，电话也不接。",
    ],
    Category.SOCIAL_INSURANCE: [
        "入职{employer}已{years}年，公司一直未给本人缴纳社会保险，只在工资里每月多发200元“社保补贴”，"
        "现要求公司依法补缴。",
        "公司按最低基数为员工缴纳社保，与实际工资差距很大，本人即将退休，担心影响养老金，要求按实际工资补缴差额，"
        "约{amount}元。",
        "公司从去年起停缴了本人的医疗保险，住院时才发现无法报销，自付医药费约{amount}元。",
    ],
    Category.LABOUR_CONTRACT: [
        "在{employer}工作{months}个月，公司一直未与本人签订书面劳动合同，要求支付未签合同的二倍工资差额约"
        "{amount}元。",
        "公司要求员工把劳动合同改签为“劳务协议”，并签“自愿放弃社保承诺书”，本人不同意，公司威胁到期不续签。",
        "劳动合同到期后公司未续签也未通知终止，继续用工半年后以“合同已到期”为由让本人离开，要求支付经济补偿"
        "约{amount}元。",
    ],
    Category.WORK_INJURY: [
        "本人在{employer}{job}岗位作业时右手被机器压伤，公司垫付了部分医药费后拒绝申报工伤，要求依法认定工伤"
        "并赔偿，约{amount}元。",
        "去年在工地施工时从脚手架摔下致腰椎骨折，施工单位未参加工伤保险，包工头只给了5000元就不再管了，"
        "要求赔偿约{amount}元。",
        "上班途中发生交通事故（本人非主要责任），公司以不在厂区为由不同意申报工伤，停发了本人病假期间的工资。",
    ],
    Category.DISMISSAL: [
        "公司以“业务调整”为由口头通知本人第二天不用来上班，未支付任何经济补偿，本人已在公司工作{years}年，"
        "要求支付违法解除劳动合同赔偿金约{amount}元。",
        "本人因病请假一周后返岗，公司以旷工为由将本人辞退，但请假已经主管同意并有微信聊天记录。",
        "公司搬迁至外地，要求员工随迁否则视为自动离职，不给任何补偿，涉及{workers}名员工，合计约{amount}元。",
    ],
    Category.WORKING_HOURS: [
        "车间长期两班倒，每天工作12小时，每月只休两天，加班费按每小时15元固定计算，低于法定标准，要求补发加班费"
        "约{amount}元。",
        "公司不安排带薪年休假，也不支付未休年休假工资，本人已连续工作{years}年。",
        "国庆节期间公司安排上班，只按平时工资结算，未按法定标准支付加班工资，涉及{workers}名职工。",
    ],
    Category.WOMEN: [
        "本人怀孕后，公司将本人从文员岗位调到仓库搬运岗并降低工资，要求恢复原岗位、补发工资差额约{amount}元。",
        "产假结束返岗后，公司以岗位已被替代为由要求本人主动辞职，否则调往外地分厂。",
        "哺乳期内公司不给哺乳时间，还多次安排本人上夜班。",
    ],
    Category.EMPLOYMENT: [
        "本人刚从{province}来海宁，有电工证，想找一份稳定的工作，请工会帮忙推荐。",
        "原单位破产后失业，想了解失业保险金如何申领，以及工会有没有再就业技能培训。",
    ],
    Category.OTHER: [
        "反映车间夏季高温无防暑降温措施，公司也不发放高温津贴，多名职工中暑。",
        "公司每月从工资中扣除300元伙食费，职工事先不知情，要求公司说明并退还。",
    ],
}
CONSTRUCTION_ARREARS = [
    "{workers}名农民工在{site}工地从事钢筋、木工、泥工等工作，工程已完工，但总包单位与劳务班组长互相推诿，拖欠"
    "工资共计约{amount}元，工人们等着拿钱回{province}老家过年。",
    "本人跟随包工头在{site}工地干了{months}个月，包工头结算后失联，尚有约{amount}元工钱未拿到，手里只有记工单和"
    "微信聊天记录。",
]
ENQUIRIES = [
    (Category.WAGE_ARREARS, "咨询：离职后公司一直拖着不结工资，应该到哪里投诉，需要准备哪些材料？"),
    (Category.DISMISSAL, "咨询：试用期最后一周被公司辞退，有没有经济补偿？"),
    (Category.SOCIAL_INSURANCE, "咨询：公司不交社保，本人能否以灵活就业人员身份自己参保，以后能否追缴？"),
    (Category.LABOUR_CONTRACT, "咨询：劳务派遣工与正式工同岗不同酬，是否合法？"),
    (Category.WOMEN, "咨询：怀孕期间公司能否以合同到期为由不续签？"),
    (Category.WORKING_HOURS, "咨询：综合计算工时制下加班费怎么算？"),
    (Category.EMPLOYMENT, "咨询：工会组织的春风行动招聘会在哪里举办，外地户籍能否参加？"),
]
SUGGESTIONS = [
    (Category.OTHER, "建议工会在园区多设几个职工服务站点，方便下班后来反映问题。"),
    (Category.OTHER, "建议在工业园区的公交站附近设置职工法律咨询点，周末也能咨询。"),
]
# What the case came to, by outcome (and, for a resolution without money, by category).
RESOLVED_TEXT = {
    Category.SOCIAL_INSURANCE: "企业已为职工补缴社会保险，职工确认到账。",
    Category.LABOUR_CONTRACT: "企业已与职工补签书面劳动合同。",
    Category.WOMEN: "企业撤销调岗决定，职工回到原岗位。",
    Category.EMPLOYMENT: "已推荐至园区企业面试，职工已入职。",
    Category.OTHER: "企业已整改，承诺按规定发放高温津贴、公示伙食费标准。",
}
WITHDRAWN_TEXT = "职工与企业自行协商一致后撤回投诉。"
REFERRED_TEXT = [
    "已移送海宁市人力社保局劳动保障监察大队依法处理。",
    "属于民事纠纷，已引导职工向人民法院起诉。",
]
NOT_UPHELD_TEXT = "经调查核实，企业已依法足额支付，职工诉求缺乏依据，已向职工做好政策解释。"

ROUTES = {  # the path a claim takes: weights for complaints, requests for help and legal-aid applications
    "turned_away": 6,
    "investigation": 46,
    "mediation": 26,
    "arbitration": 16,
    "litigation": 6,
}
# Money claimed per worker, by category (yuan, low–high); no money for employment help and other.
CLAIMS = {
    Category.WAGE_ARREARS: (1500, 12000),
    Category.SOCIAL_INSURANCE: (2000, 15000),
    Category.LABOUR_CONTRACT: (4000, 24000),
    Category.WORK_INJURY: (10000, 60000),
    Category.DISMISSAL: (4000, 30000),
    Category.WORKING_HOURS: (1000, 8000),
    Category.WOMEN: (3000, 15000),
}
# Money claimed per worker when a group of workers claim together (yuan, low–high).
GROUP_CLAIM = (3000, 6000)
LEGAL_AID_WORDS = {
    Case.LegalAid.ADVICE: "法律咨询",
    Case.LegalAid.DRAFTING: "代写法律文书",
    Case.LegalAid.MEDIATION: "参与调解",
    Case.LegalAid.ARBITRATION: "仲裁代理",
    Case.LegalAid.COURT: "诉讼代理",
}


def _stage_word(stage: str) -> str:
    """A stage's name in the timeline: the model's label (the one set of stage names, ``Case.Stage``), in
    the office's language as the services write it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(Stage(stage).label)


@dataclasses.dataclass
class _Draft:
    case: Case
    route: str  # the path the claim takes
    site: str  # the building site, for wages owed on one
    steps: list[tuple[str, datetime.date]]  # see ``_trajectory``

    def move_to(self, received_on: datetime.date) -> None:
        """Receive the case on another day, every step moving with it."""
        shift = received_on - self.case.received_on
        self.case.received_on = received_on
        self.steps = [(field, day + shift) for field, day in self.steps]


@dataclasses.dataclass
class _Event:
    on: datetime.date
    kind: str
    text: str
    public: bool = False


class _People:
    def __init__(self, rng):
        self.rng = rng

    def name(self) -> str:
        return (
            self.rng.choice(SURNAMES)
            + self.rng.choice(GIVEN)
            + (self.rng.choice(GIVEN)[:1] if self.rng.random() < 0.4 else "")
        )

    def mobile(self) -> str:
        return (
            self.rng.choice(["135", "138", "139", "150", "152", "158", "177", "182", "187", "189"])
            + f"{self.rng.randrange(10**8):08d}"
        )

    def id_number(self, migrant: bool) -> str:
        county = self.rng.choice(MIGRANT_COUNTIES if migrant else LOCAL_COUNTIES)
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=self.rng.randrange(40 * 365))
        body = f"{county}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
        return body + id_check_character(body)


def _when(on: datetime.date, rng) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(on, datetime.time(rng.randint(8, 17), rng.randrange(60)))
    )


def _received_on(rng, today: datetime.date, category: str) -> datetime.date:
    """Within the last year; wage arrears crowd into the weeks before the Spring Festival."""
    if category == Category.WAGE_ARREARS and rng.random() < 0.35:
        festival = datetime.date(
            today.year if today >= datetime.date(today.year, 1, 25) else today.year - 1, 1, 25
        )
        day = festival - datetime.timedelta(days=rng.randrange(50))
        if today - day < datetime.timedelta(days=365):
            return day
    return today - datetime.timedelta(days=rng.randrange(365))


def _trajectory(rng, case: Case, route: str) -> list[tuple[str, datetime.date]]:
    """Every step the case will take, with its date (``Case`` date fields, plus the closing)."""
    steps: list[tuple[str, datetime.date]] = []
    day = case.received_on

    def step(field: str, low: int, high: int):
        nonlocal day
        day += datetime.timedelta(days=rng.randint(low, high))
        steps.append((field, day))

    if route == "turned_away":
        step("closed_on", 1, 7)
        return steps
    step("accepted_on", *((3, 14) if case.channel == Channel.PETITION else (0, 3)))
    if route == "enquiry":
        step("closed_on", 0, 3)
        return steps
    if route != "arbitration" or rng.random() < 0.8:
        step("investigation_on", 1, 5)
    if route == "investigation":
        # A petition is concluded in writing, within the 60 days (or 90, extended) the rules give.
        step("closed_on", *((20, 58) if case.channel == Channel.PETITION else (5, 30)))
        return steps
    if route == "mediation" or rng.random() < 0.6:
        step("mediation_on", 3, 15)
    if route == "mediation":
        step("closed_on", 3, 14)
        return steps
    step("arbitration_applied_on", 16, 25)
    step("arbitration_accepted_on", 2, 5)
    step("award_on", 25, 44)  # within the 45 days the law gives
    if route == "arbitration":
        step("closed_on", 10, 30)
    else:
        step("litigation_on", 5, 14)
        step("closed_on", 60, 150)
    return steps


STAGE_OF_FIELD = {
    "accepted_on": Stage.ACCEPTED,
    "investigation_on": Stage.INVESTIGATING,
    "mediation_on": Stage.MEDIATION,
    "arbitration_applied_on": Stage.ARBITRATION,
    "litigation_on": Stage.LITIGATION,
    "closed_on": Stage.CLOSED,
}


def _outcome(rng, route: str) -> str:
    choices = {
        "enquiry": {Outcome.RESOLVED: 1},
        "turned_away": {Outcome.REFERRED: 5, Outcome.NOT_UPHELD: 3, Outcome.WITHDRAWN: 2},
        "investigation": {
            Outcome.RESOLVED: 80,
            Outcome.WITHDRAWN: 10,
            Outcome.REFERRED: 5,
            Outcome.NOT_UPHELD: 5,
        },
        "mediation": {Outcome.RESOLVED: 1},
        "arbitration": {Outcome.RESOLVED: 85, Outcome.NOT_UPHELD: 15},
        "litigation": {Outcome.RESOLVED: 75, Outcome.NOT_UPHELD: 25},
    }[route]
    return rng.choices(list(choices), list(choices.values()))[0]


def _satisfaction(rng, outcome: str) -> int | None:
    if rng.random() < 0.15:
        return None  # the worker could not be reached for the follow-up call
    low, high = {
        Outcome.RESOLVED: (3, 5),
        Outcome.WITHDRAWN: (3, 5),
        Outcome.REFERRED: (2, 4),
        Outcome.NOT_UPHELD: (1, 3),
    }[outcome]
    return max(low, min(high, high - int(rng.expovariate(1.2))))


class _Seeder:
    def __init__(self, *, rng, today, unions, staff, cadres):
        self.rng, self.today, self.staff = rng, today, staff
        self.people = _People(rng)
        self.enterprises = list(
            Enterprise.objects.filter(union__in=unions).select_related("union").order_by("pk")
        )
        starts = dict(
            SecondmentTerm.objects.active_on(today)
            .filter(cadre__in=cadres)
            .values_list("cadre_id", "start_date")
        )
        # A cadre takes cases from the start of their term; staff take the rest.
        self.cadres = [(cadre, starts.get(cadre.pk, today)) for cadre in cadres]
        # The unions each cadre sits in (home union, chair): never their handler (grievances.conflicts).
        self.sides: dict[int, set[int]] = {}
        for user_id, union_id in [
            *SecondmentTerm.objects.filter(cadre__in=cadres).values_list("cadre_id", "union_id"),
            *GrassrootsUnion.objects.filter(chair__in=cadres).values_list("chair_id", "pk"),
        ]:
            self.sides.setdefault(user_id, set()).add(union_id)
        self.members: dict[int, list[dict]] = {}

    def handler_on(self, day: datetime.date):
        available = [cadre for cadre, start in self.cadres if start <= day]
        return self.rng.choice(available) if available and self.rng.random() < 0.6 else self.staff

    def load_members(self, enterprise_ids: set[int]) -> None:
        for row in (
            Member.objects.filter(enterprise_id__in=enterprise_ids, status=Member.Status.ACTIVE)
            .order_by("pk")
            .values("pk", "name", "phone", "id_number", "is_migrant_worker", "enterprise_id")[:5000]
        ):
            self.members.setdefault(row["enterprise_id"], []).append(row)

    # --- one case ------------------------------------------------------------------------------

    def draft(self) -> _Draft:
        """A case as received, with the route it will take."""
        rng = self.rng
        kind = rng.choices(list(Case.Type), [62, 10, 18, 2, 8])[0]
        channel = rng.choices(list(Channel), [28, 14, 24, 3, 6, 10, 15])[0]
        if kind in (Case.Type.ENQUIRY, Case.Type.SUGGESTION):
            category, description = rng.choice(ENQUIRIES if kind == Case.Type.ENQUIRY else SUGGESTIONS)
            route = "enquiry"
        else:
            category = rng.choices(list(Category), [35, 14, 10, 10, 13, 8, 5, 3, 2])[0]
            description = ""
            weights = dict(ROUTES, arbitration=40, litigation=15) if kind == Case.Type.LEGAL_AID else ROUTES
            route = (
                "investigation"
                if category in (Category.EMPLOYMENT, Category.OTHER)
                else rng.choices(list(weights), list(weights.values()))[0]
            )
            if channel == Channel.PETITION and route in ("arbitration", "litigation"):
                route = "mediation"  # a petition is concluded by the petition process itself
        case = Case(
            channel=channel,
            type=kind,
            category=category,
            received_on=_received_on(rng, self.today, category),
            description=description,
            tracking_code_hash="",
        )
        on_site = category == Category.WAGE_ARREARS and route != "enquiry" and rng.random() < 0.3
        site = rng.choice(SITES) if on_site else ""
        self.employer(case, site=site)
        self.complainant(case, construction=bool(site), route=route)
        self.claim(case)
        return _Draft(case, route, site, _trajectory(rng, case, route))

    def employer(self, case: Case, *, site: str) -> None:
        rng = self.rng
        if site:
            case.employer_name = f"{rng.choice(BUILDERS)}（{site}项目）"
        elif self.enterprises and rng.random() < 0.72:
            case.enterprise = rng.choice(self.enterprises)
            case.employer_name = case.enterprise.name
        else:
            case.employer_name = rng.choice(SMALL_EMPLOYERS)

    def complainant(self, case: Case, *, construction: bool, route: str) -> None:
        rng = self.rng
        group = route != "enquiry" and rng.random() < (
            0.5 if construction else 0.1 if case.category == Category.WAGE_ARREARS else 0
        )
        case.workers_affected = rng.randint(3, 15) if group else 1
        case.is_migrant_worker = rng.random() < (0.9 if construction else 0.4)
        if (
            route in ("turned_away", "investigation", "enquiry")
            and case.type != Case.Type.LEGAL_AID
            and rng.random() < 0.09
        ):
            case.anonymous = True  # no name, no phone: the station could only look into it
            return
        case.complainant_name = self.people.name()
        case.complainant_phone = self.people.mobile() if rng.random() < 0.96 else ""
        if rng.random() < 0.5:
            case.complainant_id_number = self.people.id_number(case.is_migrant_worker)
        case.is_member = case.enterprise is not None and rng.random() < 0.55

    def claim(self, case: Case) -> None:
        rng = self.rng
        if case.category not in CLAIMS or case.type in (Case.Type.ENQUIRY, Case.Type.SUGGESTION):
            return
        low, high = CLAIMS[case.category]
        per_worker = rng.randint(low, high) if case.workers_affected == 1 else rng.randint(*GROUP_CLAIM)
        case.amount_claimed = Decimal(per_worker * case.workers_affected)

    def describe(self, case: Case, *, site: str) -> None:
        if case.description:
            return
        rng = self.rng
        templates = CONSTRUCTION_ARREARS if site else COMPLAINTS[case.category]
        templates = [t for t in templates if ("{workers}" in t) == (case.workers_affected > 1)] or templates
        case.description = rng.choice(templates).format(
            employer=case.employer_name.split("（")[0],
            job=rng.choice(JOBS),
            months=rng.randint(2, 8),
            years=rng.randint(2, 12),
            workers=case.workers_affected,
            site=site or rng.choice(SITES),
            province=rng.choice(PROVINCES),
            amount=f"{case.amount_claimed or 0:,.0f}",
        )

    def harm_dates(self, case: Case, late: bool) -> None:
        """When the worker learned of the harm (and, for wage arrears, left the job): the limitation's
        start. A late claim arrives almost a year after, so its limitation is weeks away."""
        rng = self.rng
        if case.category in (Category.EMPLOYMENT, Category.OTHER) or case.type == Case.Type.SUGGESTION:
            return
        if late:
            start = self.today - datetime.timedelta(days=365 - rng.randint(6, 26))
        else:
            start = case.received_on - datetime.timedelta(days=rng.randint(3, 150))
        if case.category == Category.WAGE_ARREARS:
            case.harm_known_on = start - datetime.timedelta(days=rng.randint(30, 120))
            if late or rng.random() < 0.6:
                case.employment_ended_on = start
        else:
            case.harm_known_on = start
            if case.category == Category.DISMISSAL:
                case.employment_ended_on = start

    def progress(self, draft: _Draft) -> list[_Event]:
        """Take the case along its route as far as today; returns its timeline."""
        case, route = draft.case, draft.route
        events = [self.intake_event(case)]
        if case.channel == Channel.WEB:
            events.append(
                _Event(
                    case.received_on,
                    CaseEvent.Kind.REPLY,
                    "您好，您在网上提交的诉求已收到，服务站将在3个工作日内与您电话联系。",
                    public=True,
                )
            )
        case.difficulty = {
            "arbitration": Case.Difficulty.COMPLEX,
            "litigation": Case.Difficulty.COMPLEX,
            "mediation": Case.Difficulty.DIFFICULT,
        }.get(route, Case.Difficulty.ORDINARY)
        if case.workers_affected >= 10:
            case.difficulty = Case.Difficulty.COMPLEX
        stage = Stage.RECEIVED
        for field, day in draft.steps:
            if day > self.today:
                break
            setattr(case, field, day)
            if field == "arbitration_applied_on" and case.mediation_on:
                case.mediation_agreed = False
            if field not in STAGE_OF_FIELD:
                events.append(self.arbitration_event(field, day))
                continue
            previous, stage = stage, STAGE_OF_FIELD[field]
            events.append(
                _Event(
                    day,
                    CaseEvent.Kind.STAGE,
                    f"{_stage_word(previous)} → {_stage_word(stage)}（{day.isoformat()}）",
                )
            )
            if stage == Stage.CLOSED:
                events.append(self.close(case, route))
            else:
                events.extend(self.stage_events(stage, day))
        case.stage = stage
        return events

    def intake_event(self, case: Case) -> _Event:
        kind, text = {
            Channel.HOTLINE: (CaseEvent.Kind.CALL, "12351热线来电，记录诉求并告知办理流程。"),
            Channel.PHONE: (CaseEvent.Kind.CALL, "职工来电反映情况，已登记。"),
            Channel.WALK_IN: (CaseEvent.Kind.VISIT, "职工来服务站当面反映，查看了工资条和考勤记录照片。"),
            Channel.LETTER: (CaseEvent.Kind.DOCUMENT, "收到职工来信一封，已登记扫描。"),
            Channel.PETITION: (CaseEvent.Kind.DOCUMENT, "信访局转来信访件，已登记。"),
            Channel.REFERRAL: (CaseEvent.Kind.NOTE, "企业工会转来职工诉求材料。"),
            Channel.WEB: (CaseEvent.Kind.NOTE, "职工通过网上维权表单提交诉求。"),
        }[case.channel]
        return _Event(case.received_on, kind, text)

    def stage_events(self, stage: str, day: datetime.date) -> list[_Event]:
        rng = self.rng
        if stage == Stage.ACCEPTED:
            return [
                _Event(
                    day,
                    CaseEvent.Kind.REPLY,
                    "您反映的问题已受理，承办人会尽快与您联系，请保持电话畅通。",
                    public=True,
                )
            ]
        if stage == Stage.INVESTIGATING:
            visit = rng.choice(
                [
                    "到企业走访核实，调取了考勤记录和工资发放台账。",
                    "约谈企业负责人，企业承认存在拖欠，承诺尽快处理。",
                    "电话联系企业人事部门，要求提供劳动合同和社保缴费记录。",
                ]
            )
            return [_Event(day, CaseEvent.Kind.VISIT, visit)]
        if stage == Stage.MEDIATION:
            return [
                _Event(day, CaseEvent.Kind.NOTE, "组织劳资双方在园区劳动争议调解室进行调解。"),
                _Event(day, CaseEvent.Kind.REPLY, "已安排调解，调解时间和地点已短信通知您。", public=True),
            ]
        if stage == Stage.ARBITRATION:
            return [
                _Event(
                    day,
                    CaseEvent.Kind.DOCUMENT,
                    "协助职工向海宁市劳动人事争议仲裁委员会提交仲裁申请书及证据材料。",
                ),
                _Event(
                    day, CaseEvent.Kind.REPLY, "已协助您申请劳动仲裁，请留意仲裁委的开庭通知。", public=True
                ),
            ]
        if stage == Stage.LITIGATION:
            return [
                _Event(
                    day,
                    CaseEvent.Kind.DOCUMENT,
                    "用人单位不服仲裁裁决，向海宁市人民法院起诉，工会继续提供法律援助。",
                )
            ]
        return []

    def arbitration_event(self, field: str, day: datetime.date) -> _Event:
        text = {
            "arbitration_accepted_on": "仲裁委受理仲裁申请，排定开庭日期。",
            "award_on": "仲裁委作出裁决，支持职工的主要仲裁请求。",
        }[field]
        return _Event(day, CaseEvent.Kind.DOCUMENT, text)

    def close(self, case: Case, route: str) -> _Event:
        """The outcome of a case closed on ``case.closed_on``; returns the closing reply to the worker."""
        rng = self.rng
        case.outcome = _outcome(rng, route)
        if case.mediation_on and not case.arbitration_applied_on:
            case.mediation_agreed = case.outcome == Outcome.RESOLVED
        if case.outcome == Outcome.RESOLVED:
            if case.amount_claimed:
                share = {"mediation": (0.6, 0.9), "arbitration": (0.8, 1.0), "litigation": (0.8, 1.0)}.get(
                    route, (0.7, 1.0)
                )
                case.amount_recovered = case.amount_claimed * Decimal(str(round(rng.uniform(*share), 2)))
            elif case.type != Case.Type.ENQUIRY:
                case.other_outcome = RESOLVED_TEXT.get(case.category, "")
        elif case.outcome == Outcome.WITHDRAWN:
            case.other_outcome = WITHDRAWN_TEXT
        elif case.outcome == Outcome.REFERRED:
            case.other_outcome = rng.choice(REFERRED_TEXT)
        else:
            case.other_outcome = NOT_UPHELD_TEXT
        case.satisfaction = None if case.anonymous else _satisfaction(rng, case.outcome)
        reply = (
            "已为您解答，如有疑问欢迎再次来电。"
            if route == "enquiry"
            else (f"您的诉求已办结：{case.other_outcome or '企业已支付相应款项。'}感谢您对工会工作的信任。")
        )
        return _Event(case.closed_on, CaseEvent.Kind.REPLY, reply, public=True)

    def legal_aid(self, case: Case, route: str, events: list[_Event]) -> None:
        rng = self.rng
        if case.anonymous or (
            route not in ("arbitration", "litigation")
            and case.type != Case.Type.LEGAL_AID
            and rng.random() > 0.08
        ):
            return
        if not case.is_migrant_worker:
            case.household_income = Decimal(rng.randrange(1500, 4500, 100))
        case.legal_aid_qualifies = legal_aid_qualifies(case)
        on = case.accepted_on or case.received_on
        if case.legal_aid_qualifies and case.arbitration_applied_on:
            case.legal_aid = Case.LegalAid.COURT if case.litigation_on else Case.LegalAid.ARBITRATION
            case.lawyer = f"{rng.choice(LAW_FIRMS)} {rng.choice(SURNAMES)}律师"
        elif case.legal_aid_qualifies and case.accepted_on:
            case.legal_aid = rng.choice([Case.LegalAid.DRAFTING, Case.LegalAid.MEDIATION])
        else:
            case.legal_aid = Case.LegalAid.ADVICE
        verdict = {True: "符合条件", False: "不符合条件", None: "家庭收入待核实"}[case.legal_aid_qualifies]
        lawyer = f"，{case.lawyer}" if case.lawyer else ""
        events.append(
            _Event(
                on,
                CaseEvent.Kind.NOTE,
                f"法律援助审查：{verdict}。援助方式：{LEGAL_AID_WORDS[case.legal_aid]}{lawyer}。",
            )
        )


def _numbered(cases: list[Case]) -> None:
    """WQ{year}-{sequence}, the sequence per year in the order the cases were received."""
    sequence: dict[int, int] = {}
    for case in sorted(cases, key=lambda c: c.received_on):
        sequence[case.received_on.year] = sequence.get(case.received_on.year, 0) + 1
        case.number = f"{CASE_NUMBER_PREFIX}{case.received_on.year}-{sequence[case.received_on.year]:04d}"


def _scale_money(cases: list[Case], rng) -> None:
    """Scale the amounts so that the closed cases recovered about what the federation reports."""
    recovered = sum((c.amount_recovered for c in cases if c.amount_recovered), Decimal(0))
    if not recovered:
        return
    factor = Decimal(RECOVERED_TARGET) * Decimal(str(round(rng.uniform(1.001, 1.04), 3))) / recovered
    for case in cases:
        if case.amount_claimed is not None:
            case.amount_claimed = (case.amount_claimed * factor).quantize(Decimal(1))
        if case.amount_recovered is not None:
            case.amount_recovered = min(
                (case.amount_recovered * factor).quantize(Decimal(1)), case.amount_claimed
            )


def seed_cases(*, rng, today: datetime.date, unions, staff, cadres) -> int:
    """Create the demo's cases and their timelines; returns how many cases were created."""
    seeder = _Seeder(rng=rng, today=today, unions=unions, staff=staff, cadres=cadres)
    drafts = [seeder.draft() for _ in range(CASES)]
    cases = [draft.case for draft in drafts]
    _link_members(seeder, cases)
    _place_open_cases(rng, drafts, today)
    timelines = [seeder.progress(draft) for draft in drafts]
    # A few open claims arrived almost a year late: their limitation runs out in the coming weeks.
    late = [
        n
        for n, draft in enumerate(drafts)
        if draft.case.stage != Stage.CLOSED
        and draft.case.arbitration_applied_on is None
        and draft.route != "enquiry"
        and draft.case.category not in (Category.EMPLOYMENT, Category.OTHER)
        and today - draft.case.received_on < datetime.timedelta(days=20)
    ]
    late = set(rng.sample(late, min(4, len(late))))
    for n, case in enumerate(cases):
        seeder.harm_dates(case, late=n in late)
    _scale_money(cases, rng)
    for draft, timeline in zip(drafts, timelines, strict=True):
        seeder.describe(draft.case, site=draft.site)
        seeder.legal_aid(draft.case, draft.route, timeline)
        _assign(seeder, draft.case)
    _ask_unions_to_help(rng, cases, timelines)
    _extend_petitions(rng, cases, timelines, today)
    _numbered(cases)
    for case in cases:
        if case.channel == Channel.WEB:
            code = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(12))
            case.tracking_code_hash = tracking_code_hash(case.number, code)  # only the worker had the code
        case.limitation_on, case.handling_due = limitation_date(case), handling_due(case)
        case.callback_due = callback_due(case)
    _call_back(rng, cases, timelines, today)
    Case.objects.bulk_create(cases, batch_size=500)
    events = []
    for case, timeline in zip(cases, timelines, strict=True):
        writer = case.handler or case.received_by or staff
        last = None
        for event in sorted(timeline, key=lambda e: e.on):
            at = _when(event.on, rng)
            if last and at <= last:  # the same day's entries in the order they happened
                at = last + datetime.timedelta(minutes=rng.randint(5, 40))
            last = at
            events.append(
                CaseEvent(case=case, kind=event.kind, at=at, text=event.text, public=event.public, by=writer)
            )
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    return len(cases)


def _stage_spans(draft: _Draft) -> dict[str, tuple[datetime.date, datetime.date]]:
    """When the case enters and leaves each stage of its route."""
    entered = [(Stage.RECEIVED, draft.case.received_on)] + [
        (STAGE_OF_FIELD[field], day) for field, day in draft.steps if field in STAGE_OF_FIELD
    ]
    return {stage: (start, end) for (stage, start), (_following, end) in itertools.pairwise(entered)}


def _place_open_cases(rng, drafts: list[_Draft], today: datetime.date) -> None:
    """Move one case into each open stage today, so that the open caseload has every stage (a random
    year leaves the short stages — received, accepted — empty now and then)."""
    placed = set()
    for stage in Stage.values[:-1]:  # every stage but closed
        for n, draft in enumerate(drafts):
            start, end = _stage_spans(draft).get(stage, (today, today))
            if n not in placed and end > start:
                days_in_stage = rng.randrange((end - start).days)
                draft.move_to(
                    today - (start - draft.case.received_on) - datetime.timedelta(days=days_in_stage)
                )
                placed.add(n)
                break


def _link_members(seeder: _Seeder, cases: list[Case]) -> None:
    """Half of the members' cases name the member's record: the complainant is on the union's roster."""
    rng = seeder.rng
    linked = [case for case in cases if case.is_member and rng.random() < 0.5]
    seeder.load_members({case.enterprise_id for case in linked})
    for case in linked:
        candidates = seeder.members.get(case.enterprise_id)
        if candidates:
            member = rng.choice(candidates)
            case.member_id, case.complainant_name, case.complainant_phone = (
                member["pk"],
                member["name"],
                member["phone"],
            )
            case.complainant_id_number, case.is_migrant_worker = (
                member["id_number"],
                member["is_migrant_worker"],
            )


def _assign(seeder: _Seeder, case: Case) -> None:
    """Who took the case in (nobody for the web form) and who handles it: a handler is assigned on
    acceptance, so a case not yet accepted, or turned away, has none."""
    if case.channel != Channel.WEB:
        case.received_by = seeder.handler_on(case.received_on)
    if case.accepted_on:
        handler = seeder.handler_on(case.accepted_on)
        # Nobody on the employer's side handles a case (grievances.conflicts): staff take it instead.
        if case.enterprise is not None and case.enterprise.union_id in seeder.sides.get(handler.pk, ()):
            handler = seeder.staff
        case.handler = handler


def _ask_unions_to_help(rng, cases: list[Case], timelines: list[list[_Event]]) -> None:
    """A couple of cases at an employer with a union: the federation asks that union to help."""
    candidates = [
        n
        for n, c in enumerate(cases)
        if c.enterprise is not None and c.enterprise.union_id and c.investigation_on and not c.anonymous
    ]
    for n in rng.sample(candidates, min(3, len(candidates))):
        case = cases[n]
        case.helping_union = case.enterprise.union
        timelines[n].append(
            _Event(
                case.investigation_on,
                CaseEvent.Kind.NOTE,
                f"请{case.helping_union.name}协助了解情况、做好企业方沟通。",
            )
        )


def _extend_petitions(rng, cases: list[Case], timelines: list[list[_Event]], today: datetime.date) -> None:
    """One or two petitions needed the extra 30 days to conclude (信访条例)."""
    candidates = [
        n
        for n, c in enumerate(cases)
        if c.channel == Channel.PETITION
        and c.accepted_on
        and ((c.closed_on or today) - c.accepted_on).days > 45
    ]
    for n in rng.sample(candidates, min(2, len(candidates))):
        case = cases[n]
        case.petition_extended = True
        on = min(case.accepted_on + datetime.timedelta(days=50), case.closed_on or today)
        timelines[n].append(_Event(on, CaseEvent.Kind.STAGE, "信访事项办理期限延长30日。"))


def _call_back(rng, cases: list[Case], timelines: list[list[_Event]], today: datetime.date) -> None:
    """The station called back every web complaint within the promised working days (most on the first or
    second); the ones still waiting for a handler have not been called yet."""
    for case, timeline in zip(cases, timelines, strict=True):
        if case.callback_due is None or (case.handler is None and case.stage != Stage.CLOSED):
            continue
        on = min(working_days_after(case.received_on, rng.choice([1, 1, 2, 3])), today)
        if on < case.received_on:
            continue
        case.called_back_on = on
        timeline.append(
            _Event(on, CaseEvent.Kind.CALL, f"已回电：{rng.choice(CALLBACK_NOTES)}（{on.isoformat()}）")
        )


CALLBACK_NOTES = [
    "已与职工通话，核实了欠薪月份和金额，请其准备工资条和考勤记录。",
    "已电话联系职工，说明受理流程，约定来站面谈时间。",
    "已回电，职工补充了用工单位的准确名称和联系人。",
]


@demo_step(order=80)
def cases(demo) -> None:
    """Cases, handled by the staff and by the cadres on secondment today."""
    cadres = list(
        get_user_model()
        .objects.filter(pk__in=SecondmentTerm.objects.active_on(demo.today).values("cadre_id"))
        .order_by("pk")
    )
    seed_cases(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff, cadres=cadres)


NEW_COMPLAINTS = [  # (days ago, category, employer, what happened)
    (
        0,
        Category.WAGE_ARREARS,
        "海宁经编园区某纺织有限公司",
        "公司拖欠我们车间十二名工人两个月工资，老板说等货款回来再发，已经拖了快两个月。",
    ),
    (
        1,
        Category.SOCIAL_INSURANCE,
        "海宁某皮革制品有限公司",
        "入职一年多了公司一直没有给我缴纳社会保险，问人事也说不清楚什么时候补缴。",
    ),
    (
        14,
        Category.DISMISSAL,
        "海宁某电子科技有限公司",
        "我怀孕后公司以岗位调整为由让我主动辞职，不同意就不给排班，现在已经两周没有工资。",
    ),
]


@demo_step(order=81)
def new_complaints(demo) -> None:
    """A few complaints that came in over the last days and wait for a handler: through the real intake
    (``submit_public``, ``open_case``), so the casework duty's notices, the dashboard's "未分派" card and
    the call-back deadlines show them — one call back already late."""
    for days, category, employer, text in NEW_COMPLAINTS:
        submit_public(
            data={
                "type": Case.Type.COMPLAINT,
                "category": category,
                "description": text,
                "employer_name": employer,
                "complainant_name": demo.rng.choice(SURNAMES) + demo.rng.choice(GIVEN),
                "complainant_phone": "139" + f"{demo.rng.randrange(10**8):08d}",
            },
            on=demo.today - datetime.timedelta(days=days),
        )
    open_case(
        by=demo.staff,
        channel=Channel.HOTLINE,
        type=Case.Type.ENQUIRY,
        category=Category.WORKING_HOURS,
        description="12351热线来电：公司要求每周工作六天、每天加班三小时，没有加班费，询问如何维权。",
        employer_name="海宁某汽车零部件有限公司",
        anonymous=True,
        received_on=demo.today,
    )


MEMBER_COMPLAINT = (
    "今年三月起公司把我们班组的加班费按最低工资标准计算，每月少发七八百元，"
    "找车间主任反映过两次都说是公司规定，想请工会帮忙核实加班费的计算是否合法。"
)
MEMBER_REPLY = (
    "您好，您反映的加班费计算问题已受理，我站已调取相关劳动法规，正在核实公司的工资制度。"
    "请保留近半年的工资条和考勤记录，工作人员将在本周内与您电话联系。"
)


@demo_step(order=82)
def member_complaint(demo) -> None:
    """The first demo member (members.demo.demo_members) filed a signed complaint from the member area a week
    ago: through the real intake (``submit_member``), accepted, assigned and under investigation, with a reply
    meant for them and an internal note they never see."""
    found = demo_members()
    if not found:
        return
    member = found[0]
    received = demo.today - datetime.timedelta(days=7)
    case, _code = submit_member(
        by=member.user,
        member=member,
        data={
            "type": Case.Type.COMPLAINT,
            "category": Category.WORKING_HOURS,
            "description": MEMBER_COMPLAINT,
            "employer_name": member.enterprise.name,
            "workers_affected": 9,
            "harm_known_on": demo.today - datetime.timedelta(days=60),
        },
        on=received,
    )
    assign(by=demo.staff, case=case, handler=demo.staff, difficulty=Case.Difficulty.ORDINARY)
    record_callback(
        by=demo.staff,
        case=case,
        note="已回电，职工说明了加班时长和工资条情况。",
        on=received + datetime.timedelta(days=1),
    )
    change_stage(by=demo.staff, case=case, to=Case.Stage.ACCEPTED, on=received + datetime.timedelta(days=1))
    change_stage(
        by=demo.staff, case=case, to=Case.Stage.INVESTIGATING, on=received + datetime.timedelta(days=3)
    )
    add_event(
        by=demo.staff, case=case, kind=CaseEvent.Kind.NOTE, text="已调取该企业工资台账，待核对班组考勤。"
    )
    add_event(by=demo.staff, case=case, kind=CaseEvent.Kind.REPLY, text=MEMBER_REPLY, public=True)
