"""Aid programmes and applications in the demo district: for the last three years and this one,
living and medical aid, golden-autumn education grants (金秋助学) with the children and their
universities, temporary relief for workers not on file, and the Spring Festival holiday visits
(送温暖). Applications reach every status through the real services, so approvals post their
disbursements (the fund never goes below zero: the year's income arrives from 10 January, aid
is paid from the 20th), payments carry bank references, one approval is cancelled and reversed,
and one case goes to the charity federation with its outcome. Called by ``aid.demo.seed_aid``
after the hardship files and the fund's income exist."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from members.models import Member
from members.validators import id_check_character

from .demo_files import _pdf
from .models import Application, HardshipFile, Programme
from .services import applications as services

LIVING_REASONS = [
    "家中两位老人常年卧病在床，本人月收入不足三千元，生活难以为继。",
    "配偶因工伤致残丧失劳动能力，本人独自抚养两个孩子，家庭开支入不敷出。",
    "本人患类风湿关节炎需长期服药，家庭人均收入低于低保标准的两倍。",
    "单亲家庭，孩子就读初中，房租支出占收入一半以上。",
    "父母均无养老保险，需本人赡养，加之孩子上学，家庭负担沉重。",
    "企业订单减少，本人工资下降三成，配偶无固定工作。",
]
MEDICAL_REASONS = [
    "本人确诊乳腺癌，需进行六个疗程化疗，医保报销后自付费用约四万元。",
    "配偶患尿毒症，每周透析三次，自付部分每月两千余元。",
    "儿子患再生障碍性贫血住院治疗，已花费十余万元，负债累累。",
    "本人突发脑梗住院，术后康复治疗费用较高，三个月无法上班。",
    "父亲心脏搭桥手术，自付费用两万余元，家中已无积蓄。",
    "本人腰椎间盘突出手术，住院期间仅领取基本工资。",
]
TEMPORARY_REASONS = [
    "家中突发火灾，房屋及家具损毁严重，暂无居所。",
    "台风期间老家房屋进水倒塌，家电衣物全部损毁。",
    "配偶下班途中遭遇车祸住院，肇事方逃逸，家庭收入中断。",
    "企业停产待岗三个月，只领取最低生活费，房贷无法按时偿还。",
    "孩子突发急性阑尾炎手术，刚入职未参加医保，费用全部自付。",
]
EDUCATION_REASON = "子女今年考入大学，家庭困难，无力负担学费和住宿费。"
UNIVERSITIES = [
    "浙江大学",
    "浙江工业大学",
    "杭州电子科技大学",
    "浙江理工大学",
    "宁波大学",
    "嘉兴学院",
    "浙江财经大学",
    "中国计量大学",
    "温州医科大学",
    "浙江师范大学",
    "浙江工商大学",
    "湖州师范学院",
    "华东师范大学",
    "南京农业大学",
    "浙江科技大学",
    "嘉兴南湖学院",
]
GIVEN_NAMES = ["子涵", "宇轩", "欣怡", "浩然", "梓萱", "思远", "佳怡", "俊杰", "雨桐", "博文", "诗琪", "明轩"]
REJECTIONS = [
    "经核实，家庭人均收入已超过认定标准。",
    "申请材料不全，医疗费用票据未提供原件，请补齐后重新申请。",
    "本年度已通过企业互助基金获得同类救助。",
]
REFERRAL_NOTE = (
    "医疗费用自付部分超过三十万元，远超本基金年度救助上限，已将病历及费用清单转介嘉兴市慈善总会"
    "“大病救助”项目。"
)
REFERRAL_OUTCOME = "慈善总会“大病救助”项目审核通过，一次性救助三万元，已直接拨付职工本人账户。"
CANCELLED = "金额录入有误（应为三千元），撤销后重新审批。"

# How many of each a year.
LIVING, MEDICAL, EDUCATION, TEMPORARY = 18, 9, 7, 5
VISIT_AMOUNT = Decimal("600")


def _money(rng, low: int, high: int) -> Decimal:
    """A round sum in hundreds of yuan."""
    return Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)


class _Seeder:
    def __init__(self, *, rng, today: datetime.date, unions, staff):
        self.rng, self.today, self.staff = rng, today, staff
        # The demo's second pair of eyes on the holiday visits staff propose: the administrator.
        self.second = (
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(pk=staff.pk)
            .order_by("pk")
            .first()
            or staff
        )
        self.chairs = {union.pk: union.chair for union in unions}
        self.files = list(
            HardshipFile.objects.filter(status=HardshipFile.Status.ACTIVE, union_id__in=self.chairs)
            .select_related("member", "member__union")
            .order_by("pk")
        )
        on_file = {file.member_id for file in self.files}
        others = list(
            Member.objects.active()
            .filter(union_id__in=self.chairs)
            .exclude(pk__in=on_file)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        self.not_on_file = list(
            Member.objects.filter(pk__in=rng.sample(others, min(len(others), 60)))
            .select_related("union")
            .order_by("pk")
        )
        self.children: set[str] = set()
        self.payments = 0

    def day(self, year: int, first: tuple[int, int], last: tuple[int, int]) -> datetime.date:
        start, end = datetime.date(year, *first), datetime.date(year, *last)
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def on_file_by(self, day: datetime.date, count: int) -> list[HardshipFile]:
        """Files approved before ``day`` (a worker is on file only from then)."""
        eligible = [file for file in self.files if file.approved_on and file.approved_on < day]
        return self.rng.sample(eligible, min(count, len(eligible)))

    def programmes(self, year: int) -> dict[str, Programme]:
        whole_year = {"opens_on": datetime.date(year, 1, 1), "closes_on": datetime.date(year, 12, 31)}
        make = services.create_programme
        return {
            "living": make(
                by=self.staff,
                year=year,
                kind=Programme.Kind.LIVING,
                name=f"{year}年困难职工生活救助",
                min_amount=Decimal("500"),
                max_amount=Decimal("5000"),
                budget=Decimal("80000"),
                description="面向建档困难职工家庭的年度生活救助，按家庭困难程度分档发放。",
                **whole_year,
            ),
            "medical": make(
                by=self.staff,
                year=year,
                kind=Programme.Kind.MEDICAL,
                name=f"{year}年困难职工医疗救助",
                min_amount=Decimal("1000"),
                max_amount=Decimal("20000"),
                budget=Decimal("120000"),
                description="建档困难职工本人及家庭成员患重大疾病，医保报销后自付部分较高的，给予医疗救助。",
                **whole_year,
            ),
            "education": make(
                by=self.staff,
                year=year,
                kind=Programme.Kind.EDUCATION,
                name=f"{year}年金秋助学",
                budget=Decimal("15000"),
                description="建档困难职工子女当年考入全日制普通高校本科或专科的，一次性资助。",
            ),
            "temporary": make(
                by=self.staff,
                year=year,
                kind=Programme.Kind.TEMPORARY,
                name=f"{year}年职工临时救助",
                min_amount=Decimal("500"),
                max_amount=Decimal("5000"),
                budget=Decimal("30000"),
                description="未建档职工因突发事件、意外事故导致生活暂时困难的，给予临时救助。",
                **whole_year,
            ),
            "visit": make(
                by=self.staff,
                year=year,
                kind=Programme.Kind.HOLIDAY_VISIT,
                name=f"{year}年春节送温暖",
                min_amount=Decimal("500"),
                max_amount=Decimal("1000"),
                opens_on=datetime.date(year, 1, 15),
                closes_on=datetime.date(year, 2, 28),
                budget=Decimal("60000"),
                description="春节前走访慰问建档困难职工，送去慰问金和节日问候。",
            ),
        }

    def submit(
        self,
        programme: Programme,
        member: Member,
        on: datetime.date,
        amount: Decimal,
        reason: str,
        **education,
    ) -> Application:
        return services.apply(
            by=self.chairs[member.union_id],
            programme=programme,
            member=member,
            amount_requested=amount,
            reason=reason,
            on=on,
            **education,
        )

    def decide(self, application: Application, *, amount: Decimal | None = None) -> None:
        """Approve a week or two after submission and pay a few days later, as far as today allows;
        the odd application is rejected instead."""
        decided = application.submitted_on + datetime.timedelta(days=self.rng.randint(5, 15))
        if decided > self.today:
            return
        if self.rng.random() < 0.08:
            services.reject(
                by=self.staff, application=application, reason=self.rng.choice(REJECTIONS), on=decided
            )
            return
        granted = amount or application.amount_requested
        services.approve(
            by=self.staff,
            application=application,
            amount=granted,
            on=decided,
            note="经审核，情况属实，同意救助。",
        )
        self.pay(application, decided)

    def pay(self, application: Application, decided: datetime.date) -> None:
        paid = decided + datetime.timedelta(days=self.rng.randint(2, 8))
        if paid <= self.today:
            self.payments += 1
            services.record_payment(
                by=self.staff,
                application=application,
                paid_on=paid,
                reference=f"NS{paid:%Y%m%d}{self.payments:05d}",
            )

    def visits(self, programme: Programme, year: int) -> None:
        on = datetime.date(year, 1, 20)
        files = [file for file in self.files if file.approved_on and file.approved_on < on]
        if on > self.today or not files:
            return
        granted = services.visit_batch(
            by=self.staff,
            programme=programme,
            members=[f.member for f in files],
            amount_each=VISIT_AMOUNT,
            on=on,
        )
        if granted[0].status == Application.Status.SUBMITTED:  # four eyes: a second person approves them
            granted = services.approve_visits(by=self.second, programme=programme, on=on)
        for application in granted:
            self.pay(application, on)

    def living_and_medical(self, programmes: dict, year: int) -> None:
        # Different workers for the two, so nobody comes near the yearly cap.
        chosen = self.on_file_by(datetime.date(year, 3, 1), LIVING + MEDICAL)
        for file in chosen[:LIVING]:
            on = self.day(year, (3, 1), (11, 20))
            if on <= self.today:
                amount = _money(self.rng, 1000, 3000)
                self.decide(
                    self.submit(
                        programmes["living"], file.member, on, amount, self.rng.choice(LIVING_REASONS)
                    )
                )
        for file in chosen[LIVING:]:
            on = self.day(year, (2, 1), (11, 20))
            if on <= self.today:
                asked = _money(self.rng, 3000, 20000)
                application = self.submit(
                    programmes["medical"], file.member, on, asked, self.rng.choice(MEDICAL_REASONS)
                )
                self.decide(application, amount=min(asked, _money(self.rng, 2000, 10000)))

    def education(self, programme: Programme, year: int) -> None:
        for file in self.on_file_by(datetime.date(year, 7, 1), EDUCATION):
            on = self.day(year, (7, 5), (8, 25))
            if on > self.today:
                continue
            born = datetime.date(year - 18, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 364))
            body = f"330481{born:%Y%m%d}{self.rng.randrange(0, 1000):03d}"
            child = body + id_check_character(body)
            if child in self.children:
                continue
            self.children.add(child)
            letter = ContentFile(_pdf(f"Admission letter {year}"), name=f"admission-{child[-6:]}.pdf")
            application = self.submit(
                programme,
                file.member,
                on,
                Decimal("1500"),
                EDUCATION_REASON,
                child_name=file.member.name[0] + self.rng.choice(GIVEN_NAMES),
                child_id_number=child,
                school=self.rng.choice(UNIVERSITIES),
                admission_letter=letter,
            )
            self.decide(application, amount=self.rng.choice([Decimal("1000"), Decimal("1500")]))

    def temporary(self, programme: Programme, year: int) -> None:
        for member in self.rng.sample(self.not_on_file, min(TEMPORARY, len(self.not_on_file))):
            on = self.day(year, (2, 1), (11, 20))
            if on <= self.today:
                self.decide(
                    self.submit(
                        programme,
                        member,
                        on,
                        _money(self.rng, 1000, 3000),
                        self.rng.choice(TEMPORARY_REASONS),
                    )
                )

    def special_cases(self, programmes: dict, year: int) -> None:
        """This year's odd cases: an approval cancelled and decided again, a referral to the charity
        federation, a withdrawal, applications still waiting for a decision and one approved today."""
        # Workers well within the yearly cap, with nothing waiting for a decision this year.
        spare = [
            file
            for file in self.files
            if services.received_in_year(file.member, year) < 10000
            and not Application.objects.filter(
                member=file.member, programme__year=year, status=Application.Status.SUBMITTED
            ).exists()
        ]
        cancelled, referred, withdrawn, *waiting = self.rng.sample(spare, min(len(spare), 7))
        earlier = max(datetime.date(year, 1, 1), self.today - datetime.timedelta(days=60))
        application = self.submit(
            programmes["living"], cancelled.member, earlier, Decimal("3000"), self.rng.choice(LIVING_REASONS)
        )
        decided = min(earlier + datetime.timedelta(days=5), self.today)
        services.approve(by=self.staff, application=application, amount=Decimal("3300"), on=decided)
        services.cancel_approval(by=self.staff, application=application, reason=CANCELLED, on=decided)
        services.approve(
            by=self.staff,
            application=application,
            amount=Decimal("3000"),
            on=decided,
            note="更正金额后重新审批。",
        )
        application = self.submit(
            programmes["medical"],
            referred.member,
            earlier,
            Decimal("20000"),
            "本人确诊急性髓系白血病，需进行骨髓移植，预计总费用四十万元。",
        )
        services.refer_to_charity(by=self.staff, application=application, note=REFERRAL_NOTE, on=decided)
        services.record_referral_outcome(
            by=self.staff, application=application, outcome=REFERRAL_OUTCOME, amount_received=Decimal("30000")
        )
        application = self.submit(
            programmes["temporary"],
            withdrawn.member,
            earlier,
            Decimal("2000"),
            self.rng.choice(TEMPORARY_REASONS),
        )
        services.withdraw(by=self.chairs[withdrawn.member.union_id], application=application)
        waiting = [
            self.submit(
                programmes["living"],
                file.member,
                on,
                _money(self.rng, 1000, 3000),
                self.rng.choice(LIVING_REASONS),
            )
            for file in waiting
            if (on := self.today - datetime.timedelta(days=self.rng.randint(1, 4))).year == year
        ]
        if waiting:  # approved today, the bank transfer still to go out
            services.approve(
                by=self.staff, application=waiting[0], amount=waiting[0].amount_requested, on=self.today
            )


def seed_applications(*, rng, today: datetime.date, unions, staff) -> None:
    seeder = _Seeder(rng=rng, today=today, unions=unions, staff=staff)
    for year in range(today.year - 3, today.year + 1):
        programmes = seeder.programmes(year)
        seeder.visits(programmes["visit"], year)
        seeder.living_and_medical(programmes, year)
        seeder.education(programmes["education"], year)
        seeder.temporary(programmes["temporary"], year)
    seeder.special_cases(programmes, today.year)
