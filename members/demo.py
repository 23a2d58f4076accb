"""The demo district: realistic, deterministic data for `manage.py seed_demo`.

The registry's steps (``@demo_step``): the people, unions, enterprises and members first (10), a few
changes through the real services (40), the dues history (60), a few job changers (65), grid areas (130), workers' homes (140) and
honours (150). The other programmes contribute their own steps; ``unionhub.demo.run`` runs them in order.

Everything is bulk-inserted (no per-row signals or audit records: this is fixture data, not
staff work), so 40,000 members take seconds. Every ID number is valid (birth date, check
character), every credit code carries its check character, phones are plausible mobiles.
"""

import csv
import datetime
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone
from stdnum.cn import uscc

from unionhub import demo as district
from unionhub.contributions import demo_step
from unionhub.dates import months_after
from unionhub.duties import AID, AUDIT, CASEWORK, FINANCE, ORGANISATION, ensure_duty_groups

from . import services
from .demo_areas import seed_areas
from .demo_join import seed_join_applications
from .models import (
    DuesPeriod,
    DuesUpload,
    Enterprise,
    GrassrootsUnion,
    Member,
    MembershipEvent,
    MemberTransfer,
    Remittance,
)
from .periods import period_containing
from .services import dues, member_signin, transfers
from .services.handover import hand_over_union
from .services.payment import update_payment_instructions
from .validators import id_check_character

DEMO_PASSWORD = "unionhub-demo"  # noqa: S105 - documented demo password, refused outside DEBUG
UNIONS = 186
ENTERPRISES = 485
LARGE_ENTERPRISES = 100
UNCOVERED_ENTERPRISES = 15

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强晓东丹丹海燕红梅玉兰春梅晓明"
    "俊杰子涵雨轩浩然欣怡梓萱宇航思远嘉怡文博一鸣佳琪雅婷晨阳天宇浩宇心怡子轩梦琪志伟慧敏婷婷鑫磊"
)
# Counties of origin: Haining and Jiaxing (local), and the provinces most migrant workers come from.
LOCAL_COUNTIES = ["330481", "330402", "330411", "330421", "330424", "330482", "330483", "330106", "330682"]
MIGRANT_COUNTIES = [
    "342201",
    "342221",
    "341226",
    "411521",
    "411323",
    "412726",
    "513701",
    "511623",
    "522422",
    "362330",
    "430524",
    "452123",
    "622421",
    "532128",
    "371523",
]
ENTERPRISE_WORDS = [
    "精密",
    "智能",
    "新材料",
    "光电",
    "电子",
    "生物",
    "医药",
    "纺织",
    "经编",
    "皮革",
    "机械",
    "电气",
    "科技",
    "汽配",
    "软件",
    "物流",
    "包装",
    "新能源",
    "家纺",
    "阀门",
    "仪器",
    "环保",
    "食品",
    "建材",
]
PLACE_WORDS = [
    "海宁",
    "嘉兴",
    "盐官",
    "长安",
    "许村",
    "硖石",
    "尖山",
    "钱塘",
    "潮城",
    "浙北",
    "江南",
    "东方",
    "宏达",
    "恒信",
    "华丰",
    "瑞星",
    "金鼎",
    "天成",
    "新辉",
    "永盛",
    "锦绣",
    "中天",
    "万向",
    "卓越",
    "鼎力",
    "致远",
]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司"]
STREETS = [
    "芯中路",
    "新潮路",
    "海昌南路",
    "双联路",
    "之江路",
    "皮都路",
    "启辉路",
    "文苑路",
    "科技大道",
    "钱江西路",
]


@dataclass
class DemoResult:
    unions: int
    enterprises: int
    members: int
    users: int


def already_seeded() -> bool:
    return GrassrootsUnion.objects.exists()


class _Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.ids: set[str] = set()
        self.codes: set[str] = set()

    def name(self) -> str:
        given = self.rng.choice(GIVEN)
        if self.rng.random() < 0.55:
            given += self.rng.choice(GIVEN)
        return self.rng.choice(SURNAMES) + given

    def id_number(self, birth: datetime.date, sex: str, migrant: bool) -> str:
        county = self.rng.choice(MIGRANT_COUNTIES if migrant else LOCAL_COUNTIES)
        while True:
            seq = self.rng.randrange(0, 100)
            sex_digit = self.rng.choice("13579" if sex == "M" else "02468")
            body = f"{county}{birth:%Y%m%d}{seq:02d}{sex_digit}"
            number = body + id_check_character(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def mobile(self) -> str:
        prefix = self.rng.choice(
            [
                "130",
                "131",
                "132",
                "133",
                "135",
                "136",
                "137",
                "138",
                "139",
                "150",
                "151",
                "152",
                "157",
                "158",
                "159",
                "177",
                "180",
                "181",
                "182",
                "186",
                "187",
                "188",
                "189",
            ]
        )
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def credit_code(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            body = "91330481" + "".join(self.rng.choice(alphabet) for _ in range(9))
            code = body + uscc.calc_check_digit(body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))


def seed(*, members: int = 40_000, seed: int = 2026, today: datetime.date | None = None) -> DemoResult:
    demo = district.run(members=members, seed=seed, today=today or timezone.localdate())
    return DemoResult(
        unions=len(demo.unions),
        enterprises=len(demo.enterprises),
        members=Member.objects.count(),
        users=get_user_model().objects.count(),
    )


@demo_step(order=10)
def people_and_registry(demo) -> None:
    """The demo accounts, the unions, enterprises and members, and their membership histories."""
    members, today = demo.members, demo.today
    gen = demo.gen = _Generator(demo.seed)
    rng = gen.rng
    User = get_user_model()
    password = demo.password = make_password(DEMO_PASSWORD)
    groups = ensure_duty_groups()
    # --- people -------------------------------------------------------------------------
    staff = User.objects.create(username="staff", name="周晓红", is_staff=True, password=password)
    staff.groups.add(groups[ORGANISATION], groups[FINANCE], groups[CASEWORK], groups[AID], groups[AUDIT])
    finance = User.objects.create(username="finance", name="沈建明", is_staff=True, password=password)
    finance.groups.add(groups[FINANCE])
    auditor = User.objects.create(username="auditor", name="钱国平", is_staff=True, password=password)
    auditor.groups.add(groups[AUDIT])
    User.objects.create(
        username="admin", name="系统管理员", is_staff=True, is_superuser=True, password=password
    )
    chairs = User.objects.bulk_create(
        # Chairs' mobiles (their dues and transfer notices go by SMS: var/sms.log in the embedded default),
        # numbered rather than drawn, so that the rest of the district is the same for the same seed.
        [
            User(username=f"chair{i}", name=gen.name(), phone=f"1390571{i:04d}", password=password)
            for i in range(1, UNIONS + 1)
        ]
    )
    cadre = User.objects.create(username="cadre", name="陆一鸣", phone="13905719000", password=password)
    assoc = User.objects.create(username="assoc", name="钱雅婷", password=password)
    merchant_user = User.objects.create(username="merchant", name="沈丽", password=password)
    # The cadre is, as usual, also the chair of a company union (HN005).
    chairs[4] = cadre

    # --- unions and enterprises ---------------------------------------------------------
    singles = UNIONS - 36
    unions = []
    for i in range(UNIONS):
        founded = gen.date_between(datetime.date(1995, 1, 1), datetime.date(2023, 12, 31))
        term_start = gen.date_between(max(founded, months_after(today, -60)), today)
        unions.append(
            GrassrootsUnion(
                code=f"HN{i + 1:03d}",
                name="",
                kind=GrassrootsUnion.Kind.SINGLE if i < singles else GrassrootsUnion.Kind.JOINT,
                chair=chairs[i],
                founded_on=founded,
                committee_term_start=term_start,
                committee_term_years=rng.choice([3, 5, 5, 5]),
                dues_schedule=rng.choices(list(GrassrootsUnion.Schedule), weights=[50, 30, 10, 10])[0],
            )
        )
    enterprises = []
    names_used = set()
    for i in range(ENTERPRISES):
        while True:
            name = rng.choice(PLACE_WORDS) + rng.choice(ENTERPRISE_WORDS) + rng.choice(SUFFIXES)
            if name not in names_used:
                names_used.add(name)
                break
        large = i < LARGE_ENTERPRISES
        band = (
            Enterprise.SizeBand.LARGE
            if large
            else rng.choices(
                [Enterprise.SizeBand.MEDIUM, Enterprise.SizeBand.SMALL, Enterprise.SizeBand.MICRO], [3, 5, 2]
            )[0]
        )
        headcount = {
            "large": rng.randint(300, 2500),
            "medium": rng.randint(100, 300),
            "small": rng.randint(20, 100),
            "micro": rng.randint(5, 20),
        }[band]
        enterprises.append(
            Enterprise(
                name=name,
                credit_code=gen.credit_code(),
                size_band=band,
                is_small_micro=band in (Enterprise.SizeBand.SMALL, Enterprise.SizeBand.MICRO),
                industry=rng.choice(list(Enterprise.Industry)),
                address=f"海宁市{rng.choice(STREETS)}{rng.randint(1, 999)}号",
                contact_name=gen.name(),
                contact_phone=gen.mobile(),
                headcount=headcount,
            )
        )
    # Single-enterprise unions take the first enterprises (the larger ones); joint unions
    # share the rest; a few small enterprises have no union yet.
    for union, enterprise in zip(unions[:singles], enterprises[:singles], strict=True):
        union.name = (
            enterprise.name.removesuffix("集团有限公司").removesuffix("股份有限公司").removesuffix("有限公司")
            + "工会委员会"
        )
    joint_pool = enterprises[singles : ENTERPRISES - UNCOVERED_ENTERPRISES]
    for n, union in enumerate(unions[singles:]):
        union.name = (
            f"海宁高新区{rng.choice(PLACE_WORDS)}{['片区', '园区', '楼宇', '小微企业'][n % 4]}联合工会{n + 1}"
        )
    GrassrootsUnion.objects.bulk_create(unions)
    for union, enterprise in zip(unions[:singles], enterprises[:singles], strict=True):
        enterprise.union = union
    for n, enterprise in enumerate(joint_pool):
        enterprise.union = unions[singles + n % (UNIONS - singles)]
    Enterprise.objects.bulk_create(enterprises, batch_size=500)

    # --- members ------------------------------------------------------------------------
    covered = [e for e in enterprises if e.union_id]
    weights = [e.headcount for e in covered]
    member_rows, event_rows = [], []
    # The two demo chairs' unions and the cadre's get a sizeable roster whatever N is.
    for i in range(members - 1):  # the last one joins through the service, in _staff_work
        enterprise = (
            covered[(0, 1, 4)[i % 3]] if i < min(members // 20, 600) else rng.choices(covered, weights)[0]
        )
        migrant = rng.random() < 0.35
        sex = "M" if rng.random() < 0.56 else "F"
        birth = gen.date_between(datetime.date(1966, 1, 1), datetime.date(2005, 12, 31))
        earliest = max(
            birth.replace(year=birth.year + 18)
            if birth.month != 2 or birth.day != 29
            else datetime.date(birth.year + 18, 3, 1),
            datetime.date(2005, 1, 1),
        )
        joined = gen.date_between(earliest, today) if earliest < today else today
        roll = rng.random()
        status, kind = Member.Status.ACTIVE, None
        if roll > 0.98:
            status, kind = Member.Status.RETAINED, MembershipEvent.Kind.RETAINED
        elif roll > 0.96:
            status, kind = Member.Status.TRANSFERRED_OUT, MembershipEvent.Kind.TRANSFERRED_OUT
        elif roll > 0.95:
            status, kind = Member.Status.WITHDRAWN, MembershipEvent.Kind.WITHDREW
        elif roll > 0.945:
            status, kind = Member.Status.STRUCK_OFF, MembershipEvent.Kind.STRUCK_OFF
        changed = gen.date_between(joined, today) if kind else joined
        id_number = gen.id_number(birth, sex, migrant)
        member_rows.append(
            Member(
                name=gen.name(),
                id_number=id_number,
                birth_date=birth,
                sex=sex,
                phone=gen.mobile() if rng.random() < 0.9 else "",
                education=rng.choices(list(Member.Education), [15, 30, 25, 24, 5, 1])[0],
                political_status=rng.choices(list(Member.PoliticalStatus), [12, 1, 15, 1, 71])[0],
                enterprise=enterprise,
                union_id=enterprise.union_id,
                joined_on=joined,
                is_migrant_worker=migrant,
                status=status,
                status_changed_on=changed,
            )
        )
        event_rows.append((kind, changed))
    Member.objects.bulk_create(member_rows, batch_size=2000)
    events = []
    for member, (kind, changed) in zip(member_rows, event_rows, strict=True):
        how = MembershipEvent.Kind.TRANSFERRED_IN if rng.random() < 0.08 else MembershipEvent.Kind.JOINED
        events.append(MembershipEvent(member=member, kind=how, on=member.joined_on, union_id=member.union_id))
        if kind:
            events.append(MembershipEvent(member=member, kind=kind, on=changed, union_id=member.union_id))
    MembershipEvent.objects.bulk_create(events, batch_size=4000)
    demo.staff, demo.chairs, demo.cadre, demo.assoc, demo.merchant_user = (
        staff,
        chairs,
        cadre,
        assoc,
        merchant_user,
    )
    demo.unions, demo.enterprises = unions, enterprises


# The demo's members who sign in to the member area (/m/) with a code from var/sms.log: a worker of the first
# union (the one chair1 chairs, HN001) and one of the second. 1995710… is a range the generator never draws.
DEMO_MEMBER_PHONES = ("19957100001", "19957100002")


def demo_members() -> list[Member]:
    """The demo's member-area members, in the order of ``DEMO_MEMBER_PHONES`` (for the programmes' demo steps)."""
    found = {
        m.phone: m
        for m in Member.objects.active().filter(phone__in=DEMO_MEMBER_PHONES).select_related("union")
    }
    return [found[phone] for phone in DEMO_MEMBER_PHONES if phone in found]


@demo_step(order=15)
def member_area(demo) -> None:
    """Two members of the first two unions get the demo's member-area mobiles and their logins (the privacy
    notice is left for them to accept at first sign-in, as a real member would)."""
    unions = list(GrassrootsUnion.objects.order_by("code")[:2])
    for phone, union in zip(DEMO_MEMBER_PHONES, unions, strict=True):
        member = (
            Member.objects.active().filter(union=union).exclude(phone="").order_by("joined_on", "pk").first()
        )
        Member.objects.filter(pk=member.pk).update(phone=phone)
        member.phone = phone
        member_signin.login_for(member)


@demo_step(order=40)
def staff_work(demo) -> None:
    _staff_work(demo.staff, demo.chairs[0], demo.unions[0], demo.gen, demo.today)


@demo_step(order=45)
def handover(demo) -> None:
    _handover(demo.staff, demo.unions[2], demo.chairs[2], demo.chairs[3], demo.today)


@demo_step(order=60, atomic=False)
def dues_history(demo) -> None:
    _payment_instructions(demo.staff)
    _dues_history(demo.gen, demo.unions, demo.staff, demo.today)


@demo_step(order=65, atomic=False)
def job_changers(demo) -> None:
    _job_changers(demo.unions, demo.staff, demo.today)


@demo_step(order=67)
def join_applications(demo) -> None:
    # A generator of its own: the shared one's draws stay those the later steps have always had.
    seed_join_applications(gen=_Generator(demo.seed + 22), staff=demo.staff, today=demo.today)


def _handover(staff, union, chair, without_password, today: datetime.date) -> None:
    """HN003's chair took over from a predecessor at the last election (the history on the union's page), and
    chair4 has not signed in yet: no password, so the accounts page has a sign-in letter to print."""
    User = get_user_model()
    former = User.objects.create(username="chair3_former", name="吴前任", password=make_password(None))
    GrassrootsUnion.objects.filter(pk=union.pk).update(chair=former)
    union.chair = former
    hand_over_union(
        union=union,
        by=staff,
        new_chair=chair,
        on=union.committee_term_start or today,
        note="工会委员会换届选举产生新一届主席",
    )
    # The later steps act as the union's chair: the demo's union object must name the new one.
    union.refresh_from_db(fields=["chair"])
    User.objects.filter(pk=former.pk).update(is_active=False)
    User.objects.filter(pk=without_password.pk).update(password=make_password(None))


def _payment_instructions(staff) -> None:
    """How unions pay, as the chairs' to-do list and the dues pages show it."""
    update_payment_instructions(
        by=staff,
        account_name="高新区总工会",
        bank="中国工商银行高新区支行",
        account_number="1204 0211 0900 0123 456",
        tax_channel="由税务部门代收，请于申报期内在电子税务局缴纳（税费种：工会经费）",
        note="银行转账请在附言中注明工会编号和所属期，例如“A001 2026年11月”。有疑问请致电区总工会财务室 0571-8888 0000。",
    )


@demo_step(order=130)
def areas(demo) -> None:
    seed_areas(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)


def _staff_work(staff, chair, union, gen: "_Generator", today: datetime.date):
    """A few changes made through the real services, so the demo's audit trails and membership
    histories are not empty: a chair registers a newcomer, staff record a retained membership and
    correct a phone number, and staff look at one unmasked ID number."""
    enterprise = union.enterprises.first()
    newcomer = services.register_member(
        by=chair,
        union=union,
        enterprise=enterprise,
        name=gen.name(),
        id_number=gen.id_number(datetime.date(1998, 6, 18), "F", migrant=True),
        phone=gen.mobile(),
        education=Member.Education.JUNIOR_COLLEGE,
        joined_on=today - datetime.timedelta(days=3),
        is_migrant_worker=True,
    )
    services.update_member(by=staff, member=newcomer, phone=gen.mobile())
    veteran = union.members.filter(status=Member.Status.ACTIVE).exclude(pk=newcomer.pk).order_by("pk").first()
    services.change_membership_status(
        by=staff,
        member=veteran,
        kind=MembershipEvent.Kind.RETAINED,
        on=today - datetime.timedelta(days=10),
        note="企业停产，待业期间保留会籍",
    )
    services.reveal_id_number(by=staff, member=veteran)


def _dues_history(gen: "_Generator", unions, staff, today: datetime.date):
    """A year of union funds: every union's periods declared from a plausible payroll, most paid
    (by the tax bureau or by transfer), some partly, some not at all; and, for HN001 and HN002,
    real dues sheets that went through the upload check: one committed, one waiting for
    confirmation, one with errors to fix."""

    rng = gen.rng
    headcounts = dict(
        Member.objects.active()
        .values_list("union_id")
        .annotate(n=models.Count("pk"))
        .values_list("union_id", "n")
    )
    periods, remittances = [], []
    voucher = 0
    late_unions = [u for u in unions if u.dues_schedule == "monthly"][-3:]
    for union in unions:
        current = period_containing(union.dues_schedule, today)
        span, period = [], current.previous()
        while period.end >= today - datetime.timedelta(days=400):
            span.append(period)
            period = period.previous()
        # Three unions have not declared a month that is already past its due date ("late to declare").
        late = span[1] if union in late_unions and len(span) > 1 else None
        for period in span:
            payroll = Decimal(headcounts.get(union.pk, 0) * rng.randint(5200, 7800))
            declaration = {
                "payroll_total": payroll,
                "funds_due": (payroll * Decimal("0.02") * period.months).quantize(Decimal("0.01")),
                "dues_due": (payroll * Decimal("0.005") * period.months).quantize(Decimal("0.01")),
                "declared_members": headcounts.get(union.pk, 0),
            }
            periods.append(
                DuesPeriod(
                    union=union,
                    kind=period.kind,
                    label=period.label,
                    start=period.start,
                    end=period.end,
                    due_date=period.due_date(),
                    **({} if period is late else declaration),
                )
            )
    DuesPeriod.objects.bulk_create(periods, batch_size=1000)
    for period in periods:
        roll = rng.random()
        overdue = period.due_date < today
        if not period.funds_due or roll < (0.03 if overdue else 0.5):
            continue  # unpaid
        amount = (
            period.funds_due if roll > 0.06 else (period.funds_due * Decimal("0.5")).quantize(Decimal("0.01"))
        )
        if amount <= 0:
            continue
        voucher += 1
        received = min(today, period.due_date - datetime.timedelta(days=rng.randint(0, 20)))
        share = (amount * Decimal("0.6")).quantize(Decimal("0.01"))
        remittances.append(
            Remittance(
                period=period,
                amount=amount,
                received_on=received,
                voucher_no=f"SW{received:%Y%m}{voucher:05d}",
                channel=rng.choice(["tax", "tax", "transfer"]),
                grassroots_share=share,
                federation_share=amount - share,
                recorded_by=staff,
            )
        )
    Remittance.objects.bulk_create(remittances, batch_size=2000)

    def sheet(members, *, broken=False) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["工资表（工会会费申报）"])
        writer.writerow(["序号", "姓名", "身份证号码", "联系电话", "月工资基数", "应缴会费"])
        for n, (name, number, phone) in enumerate(members, start=1):
            wage = Decimal(rng.randint(3200, 16000))
            if broken and n == 3:
                number = number[:-1] + ("0" if number[-1] != "0" else "1")
            if broken and n == 5:
                wage = Decimal(-wage)
            writer.writerow(
                [n, name, number, phone, f"{wage:,.2f}", f"{(wage // 10 * 10 * Decimal('0.005')):.2f}"]
            )
        writer.writerow(["合计", "", "", "", "", ""])
        writer.writerow(["制表人：", "", "审核：", "", "", ""])
        return buffer.getvalue().encode("gb18030")

    for union, action in ((unions[0], "commit"), (unions[1], "preview"), (unions[1], "broken")):
        rows = list(
            Member.objects.active().filter(union=union).values_list("name", "id_number", "phone")[:300]
        )
        if not rows:
            continue
        label = period_containing(union.dues_schedule, today).label  # the bulk history stops before it
        upload = dues.start_upload(
            by=union.chair,
            union=union,
            period_label=label,
            data=sheet(rows, broken=action == "broken"),
            filename=f"{union.code}-{label}-会费申报表.csv",
        )
        upload.refresh_from_db()
        if action == "commit" and upload.status == DuesUpload.Status.VALID:
            dues.request_commit(by=union.chair, upload=upload)
    _replacements(unions, staff, sheet, today)


def _replacements(unions, staff, sheet, today: datetime.date):
    """What issue 18 found: a short sheet for a month already declared and paid. HN001's chair has one
    waiting on its preview (both declarations side by side, the warnings); for HN003 one was committed
    with the explicit choice, so the month is overpaid and its credit (多缴) waits for finance staff."""
    for union, commit in ((unions[0], False), (unions[2], True)):
        period = (
            DuesPeriod.objects.filter(union=union, funds_due__isnull=False, due_date__lt=today)
            .with_received()
            .filter(received_total__gte=models.F("funds_due"))
            .order_by("-start")
            .first()
        )
        if period is None:
            continue
        rows = list(
            Member.objects.active().filter(union=union).values_list("name", "id_number", "phone")[:30]
        )
        if not rows:
            continue
        upload = dues.start_upload(
            by=union.chair or staff,
            union=union,
            period_label=period.label,
            data=sheet(rows),
            filename=f"{union.code}-{period.label}-工资表（补报）.csv",
        )
        upload.refresh_from_db()
        if commit and upload.status == DuesUpload.Status.VALID:
            dues.request_commit(by=union.chair or staff, upload=upload, replace=True)


def _job_changers(unions, staff, today: datetime.date):
    """Job changers (会员组织关系转接): HN003's sheet for its current period lists three of HN001's
    members and two of HN002's, transferred in on commit (chair1 and chair2 are told); HN002's chair
    contests one, which waits for staff; and staff move one of HN004's members to HN001 by hand."""
    receiving, first, second, fourth = unions[2], unions[0], unions[1], unions[3]
    enterprise = receiving.enterprises.order_by("pk").first()
    if enterprise is None:
        return
    fields = ("name", "id_number", "phone")
    own = list(Member.objects.active().filter(union=receiving).order_by("pk").values_list(*fields)[:40])
    movers = [
        *Member.objects.active().filter(union=first).order_by("pk").values_list(*fields)[10:13],
        *Member.objects.active().filter(union=second).order_by("pk").values_list(*fields)[10:12],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["序号", "姓名", "身份证号码", "联系电话", "月工资基数", "所在企业"])
    for n, (name, number, phone) in enumerate([*own, *movers], start=1):
        writer.writerow([n, name, number, phone, f"{5200 + 37 * n}.00", enterprise.name])
    label = period_containing(receiving.dues_schedule, today).label
    by = receiving.chair or staff
    upload = dues.start_upload(
        by=by,
        union=receiving,
        period_label=label,
        data=buffer.getvalue().encode("gb18030"),
        filename=f"{receiving.code}-{label}-工资表.csv",
    )
    upload.refresh_from_db()
    if upload.status == DuesUpload.Status.VALID:
        dues.request_commit(by=by, upload=upload)
    contested = MemberTransfer.objects.filter(upload=upload, from_union=second).order_by("pk").first()
    if contested is not None and second.chair_id:
        transfers.contest_transfer(
            by=second.chair,
            transfer=contested,
            reason="该职工仍在本公司上班，系对方工资表误列，请总工会核实。",
            today=today,
        )
    on = today - datetime.timedelta(days=2)
    mover = Member.objects.active().filter(union=fourth, status_changed_on__lte=on).order_by("pk").first()
    target = first.enterprises.order_by("pk").first()
    if mover is not None and target is not None:
        transfers.transfer_member(
            by=staff, member=mover, to_union=first, enterprise=target, on=on, note="劳动合同变更", today=today
        )


DEMO_LOGINS = [
    ("staff", "Federation staff (organisation, finance, casework, aid and audit duties)"),
    ("finance", "Federation staff (finance duty only: sees the hardship fund, not the hardship files)"),
    ("auditor", "Federation staff (audit duty only: the audit team's plans, fieldwork and findings)"),
    ("chair1", "Chair of union HN001"),
    ("chair2", "Chair of union HN002"),
    ("chair3", "Chair of union HN003, since the last election (its page shows the handover)"),
    ("cadre", "Seconded cadre, also chair of union HN005"),
    ("formercadre", "Former seconded cadre: term over, certificate issued (My secondment)"),
    ("assoc", "Chair of the photography and calligraphy association (linked to a member record)"),
    ("merchant", "Counter staff of a partner supermarket: only the counter check, /perks/check/"),
    ("admin", "Superuser (Django admin)"),
]
