"""Demo data for the discount card: the eight partner merchants' agreements, rules and branches;
about 10,000 cards (a few lost, replaced or cancelled); a year of counter checks and redemptions.

A step of the demo district (``@demo_step``, run by ``unionhub.demo.run``) once members exist. Rows go in with ``unionhub.bulk.bulk_insert``
(no signals, no per-row audit: this is fixture data). One merchant (华联眼镜) records nothing in some
months, so the savings report shows its estimate; one agreement ends within 30 days and one ended
last month."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from stdnum.cn import uscc

from members.demo import STREETS as DISTRICT_STREETS
from members.demo import demo_members
from members.models import GrassrootsUnion, Member
from unionhub.bulk import bulk_insert
from unionhub.contributions import demo_step
from unionhub.dates import last_of_month, previous_month

from .models import Branch, Card, CardBatch, CardCheck, LostCardReport, Merchant, Redemption
from .rules import rules
from .services import cards as card_services
from .services.cards import card_number

CARDS = 10_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何高林沈钱陆顾"
GIVEN = ("丽", "强", "敏", "静", "伟", "芳", "建国", "晓东", "海燕", "春梅", "志强", "雅婷")
STREETS = (
    "海昌路",
    "文苑路",
    "长安镇新民路",
    "海洲街道工人路",
    "硖石街道西山路",
    "许村镇人民路",
    "斜桥镇庆云路",
)
BRANCH_NAMES = ("总店", "长安店", "许村店", "斜桥店", "硖石店")
P = Merchant.DiscountKind.PERCENT
# name: (rule kind, percent off, amount off, spend at least, redemptions a year, spend range in yuan)
MERCHANT_RULES = {
    "联华超市（海宁店）": (P, "5", None, "100", 9000, (100, 400)),
    "三江购物（长安店）": (P, "10", None, None, 7000, (30, 300)),
    "老百姓大药房": (P, "8", None, None, 4000, (20, 300)),
    "海王星辰药店": (P, "10", None, None, 3000, (50, 500)),
    "海宁皮革城": (P, "12", None, None, 800, (800, 6000)),
    "潮乡人家餐厅": (Merchant.DiscountKind.SPEND_SAVE, None, "20", "200", 4000, (200, 800)),
    "华联眼镜": (P, "20", None, None, 600, (300, 2000)),
    "东方理发": (P, "15", None, None, 2500, (30, 120)),
}
DEFAULT_RULE = (P, "10", None, None, 1000, (30, 300))
GAPPY = "华联眼镜"  # records nothing in some months
ENDING_SOON = "海宁皮革城"  # agreement ends within 30 days
EXPIRED = "海王星辰药店"  # agreement ended last month
LATE_START = "东方理发"  # joined seven months ago
REFUSALS = (
    CardCheck.Result.BAD_NUMBER,
    CardCheck.Result.UNKNOWN,
    CardCheck.Result.LOST,
    CardCheck.Result.CANCELLED,
)


def _credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91330481" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "158", "187", "189")) + f"{rng.randrange(10**8):08d}"


def _discount(rule, spent: Decimal) -> Decimal:
    kind, percent, amount, threshold, *_ = rule
    if threshold and spent < Decimal(threshold):
        return Decimal("0.00")
    if kind == Merchant.DiscountKind.PERCENT:
        return (spent * Decimal(percent) / 100).quantize(Decimal("0.01"))
    return min(Decimal(amount), spent)


def _merchants(rng: random.Random, today: datetime.date) -> list[Merchant]:
    merchants = list(Merchant.objects.order_by("pk"))
    last_month_end = last_of_month(previous_month(today))
    branches = []
    for merchant in merchants:
        kind, percent, amount, threshold, *_ = MERCHANT_RULES.get(merchant.name, DEFAULT_RULE)
        merchant.credit_code = merchant.credit_code or _credit_code(rng)
        merchant.contact_name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        merchant.contact_phone = _phone(rng)
        merchant.discount_kind = kind
        merchant.discount_percent = Decimal(percent) if percent else None
        merchant.discount_amount = Decimal(amount) if amount else None
        merchant.spend_threshold = Decimal(threshold) if threshold else None
        merchant.agreement_start = today - datetime.timedelta(days=rng.randint(420, 1000))
        merchant.agreement_end = today + datetime.timedelta(days=rng.randint(120, 700))
        if merchant.name == ENDING_SOON:
            merchant.agreement_end = today + datetime.timedelta(days=rng.randint(5, 25))
        elif merchant.name == EXPIRED:
            merchant.agreement_end = last_month_end - datetime.timedelta(days=rng.randint(0, 10))
        elif merchant.name == LATE_START:
            merchant.agreement_start = (today - datetime.timedelta(days=214)).replace(day=1)
        for name in rng.sample(BRANCH_NAMES, rng.randint(1, 3)):
            branches.append(
                Branch(
                    merchant=merchant,
                    name=name,
                    phone=_phone(rng),
                    address=f"海宁市{rng.choice(STREETS)}{rng.randint(1, 500)}号",
                )
            )
    Merchant.objects.bulk_update(
        merchants,
        [
            "credit_code",
            "contact_name",
            "contact_phone",
            "discount_kind",
            "discount_percent",
            "discount_amount",
            "spend_threshold",
            "agreement_start",
            "agreement_end",
        ],
    )
    Branch.objects.bulk_create(branches)
    return merchants


def _cards(
    rng: random.Random, today: datetime.date, unions, staff
) -> list[tuple[int, datetime.date, str, str]]:
    """Issue the cards; returns (pk, issued_on, status, number) of every card."""
    union_ids = [u.pk for u in unions]
    members = list(
        Member.objects.active().filter(union_id__in=union_ids).order_by("pk").values_list("pk", "union_id")
    )
    chosen = sorted(rng.sample(members, min(CARDS, max(1, len(members) // 4)))) if members else []
    by_union: dict[int, list[int]] = {}
    for member_id, union_id in chosen:
        by_union.setdefault(union_id, []).append(member_id)
    batches = CardBatch.objects.bulk_create(
        [
            CardBatch(
                union_id=union_id,
                count=len(ids),
                created_by=staff,
                issued_on=today - datetime.timedelta(days=rng.randint(60, 430)),
            )
            for union_id, ids in by_union.items()
        ]
    )
    prefix = rules().card_prefix
    highest = Card.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    sequence = int(highest[len(prefix) : -1]) if highest else 0
    rows, later = [], []
    active, lost, replaced, cancelled = (
        Card.Status.ACTIVE.value,
        Card.Status.LOST.value,
        Card.Status.REPLACED.value,
        Card.Status.CANCELLED.value,
    )
    for batch, ids in zip(batches, by_union.values(), strict=True):
        for member_id in ids:
            sequence += 1
            number, issued = card_number(sequence), batch.issued_on
            roll = rng.random()
            if roll < 0.004:  # lost, not yet replaced
                changed = issued + datetime.timedelta(days=rng.randint(1, max(1, (today - issued).days)))
                rows.append((number, member_id, batch.pk, lost, issued, changed, "", None))
            elif roll < 0.007:  # cancelled
                changed = issued + datetime.timedelta(days=rng.randint(1, max(1, (today - issued).days)))
                rows.append((number, member_id, batch.pk, cancelled, issued, changed, "退会", None))
            elif roll < 0.010:  # lost and replaced: the new card now, the old one pointing at it
                changed = issued + datetime.timedelta(days=rng.randint(1, max(1, (today - issued).days)))
                rows.append((number, member_id, None, active, changed, changed, "", None))
                later.append((number, member_id, batch.pk, replaced, issued, changed, "挂失补办"))
            else:
                rows.append((number, member_id, batch.pk, active, issued, issued, "", None))
    fields = ["number", "member", "batch", "status", "issued_on", "status_changed_on", "note", "replaced_by"]
    bulk_insert(Card, fields, rows)
    if later:
        new_ids = dict(Card.objects.filter(number__in=[r[0] for r in later]).values_list("number", "pk"))
        old_rows = []
        for number, member_id, batch_id, status, issued, changed, note in later:
            sequence += 1
            old_rows.append(
                (card_number(sequence), member_id, batch_id, status, issued, changed, note, new_ids[number])
            )
        bulk_insert(Card, fields, old_rows)
    return list(
        Card.objects.filter(member_id__in=[m for m, _ in chosen]).values_list(
            "pk", "issued_on", "status", "number"
        )
    )


MERCHANTS = [
    ("联华超市（海宁店）", Merchant.Category.SUPERMARKET, "购物满100元九五折"),
    ("三江购物（长安店）", Merchant.Category.SUPERMARKET, "生鲜九折"),
    ("老百姓大药房", Merchant.Category.PHARMACY, "非处方药九二折"),
    ("海王星辰药店", Merchant.Category.PHARMACY, "保健品九折"),
    ("海宁皮革城", Merchant.Category.CLOTHING, "皮衣八八折"),
    ("潮乡人家餐厅", Merchant.Category.RESTAURANT, "消费满200元减20元"),
    ("华联眼镜", Merchant.Category.SERVICES, "配镜八折"),
    ("东方理发", Merchant.Category.SERVICES, "理发八五折"),
]


def seed_perks(*, rng: random.Random, today: datetime.date, unions: list[GrassrootsUnion], staff) -> dict:
    """Merchants' details, cards, and a year of checks and redemptions. Returns counts."""
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        merchants = _merchants(rng, today)
        cards = _cards(rng, today, unions, staff)
        usable = [
            (pk, issued, number) for pk, issued, status, number in cards if status == Card.Status.ACTIVE
        ]
        refusable = [(pk, number) for pk, _, status, number in cards if status != Card.Status.ACTIVE]
        counter_staff = dict(Merchant.staff.through.objects.values_list("merchant_id", "user_id"))
        first = today - datetime.timedelta(days=364)
        gaps = set(rng.sample(range(12), 4))
        checks, sales = [], []
        for merchant in merchants:
            rule = MERCHANT_RULES.get(merchant.name, DEFAULT_RULE)
            yearly, (low, high) = rule[4], rule[5]
            by = counter_staff.get(merchant.pk)
            for _ in range(yearly if usable else 0):
                day = first + datetime.timedelta(days=rng.randrange(365))
                if not (merchant.agreement_start <= day <= merchant.agreement_end):
                    continue
                if merchant.name == GAPPY and ((day.year * 12 + day.month) % 12) in gaps:
                    continue
                card_id, issued, number = usable[rng.randrange(len(usable))]
                if issued > day:
                    continue
                at = datetime.datetime.combine(
                    day, datetime.time(rng.randint(9, 20), rng.randrange(60), rng.randrange(60)), tzinfo=tz
                )
                spent = Decimal(rng.randint(low * 100, high * 100)) / 100
                if rng.random() < 0.03:
                    result = rng.choice(REFUSALS)
                    if result in (CardCheck.Result.LOST, CardCheck.Result.CANCELLED) and refusable:
                        refused_id, entered = rng.choice(refusable)
                    else:
                        refused_id, entered = None, rules().card_prefix + f"{rng.randrange(10**12):012d}"
                    checks.append((merchant.pk, by, entered, refused_id, result, at))
                    continue
                checks.append((merchant.pk, by, number, card_id, CardCheck.Result.VALID.value, at))
                sales.append((merchant.pk, card_id, spent, _discount(rule, spent), at, by))
        before = CardCheck.objects.aggregate(n=Max("pk"))["n"] or 0
        bulk_insert(CardCheck, ["merchant", "checked_by", "entered", "card", "result", "at"], checks)
        check_ids = list(
            CardCheck.objects.filter(pk__gt=before, result=CardCheck.Result.VALID)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        valid_checks = iter(check_ids)
        rows = [
            (merchant_id, card_id, next(valid_checks), spent, discount, at, by)
            for merchant_id, card_id, spent, discount, at, by in sales
        ]
        bulk_insert(
            Redemption,
            ["merchant", "card", "card_check", "amount_spent", "discount_given", "at", "recorded_by"],
            rows,
        )
    return {"cards": len(cards), "checks": len(checks), "redemptions": len(rows)}


# --- the demo steps (see unionhub/demo.py) ---------------------------------------------------------------


@demo_step(order=30)
def merchants(demo) -> None:
    """The eight partner merchants, right after the associations; the demo merchant account at the first."""
    rng = demo.rng
    rows = Merchant.objects.bulk_create(
        [
            Merchant(
                name=name,
                category=category,
                discount=discount,
                address=f"海宁市{rng.choice(DISTRICT_STREETS)}{rng.randint(1, 500)}号",
            )
            for name, category, discount in MERCHANTS
        ]
    )
    rows[0].staff.add(demo.merchant_user)


@demo_step(order=110)
def cards(demo) -> None:
    seed_perks(rng=demo.rng, today=demo.today, unions=demo.unions, staff=demo.staff)


@demo_step(order=113)
def member_cards(demo) -> None:
    """Both demo members hold an active card. The first reported an earlier card lost from the phone six
    weeks ago and their chair replaced it (a past report, on their card page); another member of the same
    union reported theirs two days ago and waits (on the chair's to-do card)."""
    members = demo_members()
    for member in members:
        if not Card.objects.filter(member=member, status=Card.Status.ACTIVE).exists():
            card_services.issue_card(
                by=demo.staff, member=member, on=demo.today - datetime.timedelta(days=200)
            )
    if not members or members[0].user_id is None or members[0].union.chair_id is None:
        return
    first, tz = members[0], timezone.get_current_timezone()
    card = Card.objects.get(member=first, status=Card.Status.ACTIVE)
    reported = demo.today - datetime.timedelta(days=42)
    report = card_services.report_lost_by_member(by=first.user, card=card, on=reported)
    LostCardReport.objects.filter(pk=report.pk).update(
        reported_at=datetime.datetime.combine(reported, datetime.time(20, 14), tzinfo=tz)
    )
    card_services.replace(by=first.union.chair, card=card, on=reported + datetime.timedelta(days=2))
    waiting = (
        Card.objects.filter(member__union=first.union, status=Card.Status.ACTIVE)
        .exclude(member__in=members)
        .order_by("pk")
        .first()
    )
    if waiting is not None:
        day = demo.today - datetime.timedelta(days=2)
        Card.objects.filter(pk=waiting.pk).update(status=Card.Status.LOST, status_changed_on=day)
        LostCardReport.objects.create(
            card=waiting, reported_at=datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=tz)
        )
