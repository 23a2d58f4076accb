"""The hardship fund in the demo district: three years of the fund's income (the yearly 5%
allocation from the remittances the dues demo recorded, the charity federation's transfers,
donations from local enterprises), hardship files, aid programmes and applications paid from the
fund, enterprise mutual-aid funds and return-home ticket campaigns. Called by
``unionhub.demo.run`` as a step of the demo district, after the dues history exists."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from unionhub.contributions import demo_step

from .demo_applications import seed_applications
from .demo_files import seed_files
from .demo_member_applications import member_aid_applications  # noqa: F401 (a demo step)
from .demo_mutual_tickets import seed_mutual_and_tickets
from .demo_school_places import seed_school_places
from .models import FundEntry, HardshipFile, SchoolPlaceRequest
from .services import fund

DONORS = [
    "海宁基准精密有限公司",
    "浙北新材料股份有限公司",
    "钱塘光电科技有限公司",
    "许村家纺集团有限公司",
    "长安汽配有限公司",
]


def seed_aid(*, gen, unions, staff, today: datetime.date) -> None:
    rng = gen.rng
    first_year = today.year - 3
    for year in range(first_year, today.year + 1):
        fund.post_income(
            kind=FundEntry.Kind.CHARITY_TRANSFER,
            amount=Decimal(rng.randrange(150, 260) * 1000),
            on=datetime.date(year, 1, 12),
            by=staff,
            reference=f"CS{year}001",
            description=f"嘉兴市慈善总会{year}年度帮扶资金拨付",
        )
        for donor in rng.sample(DONORS, 2):
            fund.post_income(
                kind=FundEntry.Kind.DONATION,
                amount=Decimal(rng.randrange(20, 80) * 1000),
                on=datetime.date(year, 1, rng.randint(15, 28)),
                by=staff,
                description=f"{donor}爱心捐赠",
            )
    # The allocation of every year the dues history covers, posted in the January after it.
    for year in range(first_year, today.year):
        on = datetime.date(year + 1, 1, 10)
        if on <= today:
            fund.post_allocation(year=year, by=staff, on=on)
    # A donation entered twice by mistake this week; staff proposed to reverse the copy, and the reversal
    # waits on the fund page for a second person (four eyes: the demo's admin, not staff).
    twice = fund.post_income(
        kind=FundEntry.Kind.DONATION,
        amount=Decimal(30000),
        on=today - datetime.timedelta(days=2),
        by=staff,
        description=f"{DONORS[0]}爱心捐赠（重复录入）",
    )
    fund.propose_reversal(by=staff, entry=twice, reason="同一笔捐赠重复录入，冲销此笔")
    seed_files(rng=rng, today=today, unions=unions, staff=staff)
    seed_applications(rng=rng, today=today, unions=unions, staff=staff)
    seed_mutual_and_tickets(rng=rng, today=today, unions=unions, staff=staff)


# --- the demo steps (see unionhub/demo.py) ---------------------------------------------------------------


@demo_step(order=70)
def hardship_fund(demo) -> None:
    seed_aid(gen=demo.gen, unions=demo.unions, staff=demo.staff, today=demo.today)


@demo_step(order=160)
def school_places(demo) -> None:
    seed_school_places(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)
    earlier_chair(unions=demo.unions)


def earlier_chair(*, unions) -> None:
    """HN001's older files and requests were submitted by its previous chair, whose account is closed: chair1
    (HN001's chair today) still sees and handles them, because what a union submitted follows the union."""
    union = next(u for u in unions if u.code == "HN001")
    former = get_user_model().objects.create(
        username="chair1_former", name="钟前任", is_active=False, password=make_password(None)
    )
    files = HardshipFile.objects.filter(union=union).order_by("submitted_on").values_list("pk", flat=True)[:2]
    HardshipFile.objects.filter(pk__in=list(files)).update(submitted_by=former)
    requests = (
        SchoolPlaceRequest.objects.filter(union=union)
        .order_by("submitted_on")
        .values_list("pk", flat=True)[:1]
    )
    SchoolPlaceRequest.objects.filter(pk__in=list(requests)).update(submitted_by=former)
