"""Mutual-aid funds and return-home tickets in the demo district.

- 52 three-party mutual-aid funds at the larger enterprises, each with its years of contributions
  (the enterprise and the union yearly, the workers quarterly, by headcount) and claims paid to its
  workers, never beyond the balance of the day; together a little over ¥1M.
- Return-home campaigns for the last three Spring Festivals (completed: seats allocated in priority
  order, most tickets issued, a few withdrawn or declined) and for the coming one (open for
  applications from 1 November: some submitted, some already allocated), with air, train and coach
  tickets.

Bulk-inserted like the rest of the demo (fixture data, not staff work: no audit records)."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from members.models import Enterprise, Member

from .models import HardshipFile, MutualAidEntry, MutualAidFund, TicketApplication, TicketCampaign, TicketType

FUNDS = 52
FUND_TARGET = (17_500, 22_500)  # the balance each fund is left holding, roughly (yuan)
CLAIM_NOTES = [
    "住院医疗补助",
    "大病医疗互助金",
    "家庭遭灾补助",
    "工伤停工期间生活补助",
    "子女就学困难补助",
    "直系亲属丧葬慰问金",
    "重大疾病二次报销",
    "意外伤害互助金",
]
# Spring Festival (春节) dates, from the lunar calendar.
SPRING_FESTIVALS = {
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
    2033: (1, 31),
    2034: (2, 19),
    2035: (2, 8),
}
# Where the demo's migrant workers come from (the county of their ID number) and how they go home.
HOMETOWNS = {
    "342201": ("安徽省宿州市", "train"),
    "342221": ("安徽省宿州市砀山县", "coach"),
    "341226": ("安徽省阜阳市颍上县", "coach"),
    "411521": ("河南省信阳市罗山县", "train"),
    "411323": ("河南省南阳市淅川县", "train"),
    "412726": ("河南省周口市郸城县", "train"),
    "513701": ("四川省巴中市", "air"),
    "511623": ("四川省广安市邻水县", "train"),
    "522422": ("贵州省毕节市大方县", "air"),
    "362330": ("江西省上饶市鄱阳县", "train"),
    "430524": ("湖南省邵阳市隆回县", "train"),
    "452123": ("广西壮族自治区南宁市宾阳县", "train"),
    "622421": ("甘肃省定西市通渭县", "air"),
    "532128": ("云南省昭通市镇雄县", "air"),
    "371523": ("山东省聊城市茌平区", "train"),
}
TYPES = {"air": (50, Decimal("1180")), "train": (320, Decimal("315")), "coach": (70, Decimal("165"))}
CENT = Decimal("0.01")


def seed_mutual_and_tickets(*, rng: random.Random, today: datetime.date, unions, staff) -> None:
    _seed_mutual_funds(rng, today, unions, staff)
    _seed_campaigns(rng, today, unions, staff)


# --- mutual-aid funds ----------------------------------------------------------------------------


def _seed_mutual_funds(rng, today, unions, staff) -> None:
    enterprises = list(
        Enterprise.objects.filter(union__in=unions, headcount__gt=0).order_by("-headcount", "pk")[:FUNDS]
    )
    workers = defaultdict(list)
    for pk, enterprise_id in (
        Member.objects.active()
        .filter(enterprise__in=enterprises)
        .order_by("pk")
        .values_list("pk", "enterprise_id")
    ):
        workers[enterprise_id].append(pk)
    funds = MutualAidFund.objects.bulk_create(
        [
            MutualAidFund(
                enterprise=e,
                name=f"{_short(e.name)}职工三方互助基金",
                established_on=datetime.date(today.year - rng.randint(3, 7), rng.randint(1, 12), 1),
                rules="企业按职工人数每人每年10元、工会每人每年5元、职工每人每季度2元出资；"
                "职工因病住院、遭灾、工伤等困难，经工会审核后从基金中给予互助。",
            )
            for e in enterprises
        ]
    )
    entries = []
    for fund, enterprise in zip(funds, enterprises, strict=True):
        entries += _fund_entries(rng, today, fund, enterprise.headcount, workers[enterprise.pk], staff)
    MutualAidEntry.objects.bulk_create(entries, batch_size=2000)


def _short(name: str) -> str:
    for suffix in ("集团有限公司", "股份有限公司", "有限公司"):
        name = name.removesuffix(suffix)
    return name


def _fund_entries(rng, today, fund, headcount, workers, staff) -> list[MutualAidEntry]:
    """Contributions from the day the fund was set up, then claims that leave it holding about its
    target, each paid out of the balance of its day."""
    Kind = MutualAidEntry.Kind
    contributions = []
    for year in range(fund.established_on.year, today.year + 1):
        contributions += [
            (datetime.date(year, 1, 15), Kind.ENTERPRISE, Decimal(headcount * 10), f"{year}年度企业出资"),
            (datetime.date(year, 3, 1), Kind.UNION, Decimal(headcount * 5), f"{year}年度工会拨付"),
        ]
        contributions += [
            (
                datetime.date(year, 3 * q, 28),
                Kind.WORKERS,
                Decimal(headcount * 2),
                f"{year}年第{q}季度职工缴纳",
            )
            for q in range(1, 5)
        ]
    contributions = [c for c in contributions if fund.established_on <= c[0] <= today]
    target = Decimal(rng.randint(*FUND_TARGET))
    to_pay = sum((c[2] for c in contributions), Decimal(0)) - target
    claim_days = sorted(
        fund.established_on + datetime.timedelta(days=rng.randint(60, (today - fund.established_on).days))
        for _ in range(max(0, int(to_pay / 3000)) + 2)
    )
    movements = sorted(
        [(day, 0, kind, amount, note) for day, kind, amount, note in contributions]
        + [(day, 1, Kind.CLAIM, None, "") for day in claim_days]
    )
    entries, balance = [], Decimal(0)
    for day, _order, kind, amount, note in movements:
        if kind == Kind.CLAIM:
            amount = min(Decimal(rng.randrange(800, 8000, 100)), balance, to_pay)
            if amount < 500 or not workers:
                continue
            to_pay -= amount
            entries.append(
                MutualAidEntry(
                    fund=fund,
                    kind=kind,
                    on=day,
                    amount=amount,
                    member_id=rng.choice(workers),
                    note=rng.choice(CLAIM_NOTES),
                    recorded_by=staff,
                )
            )
            balance -= amount
        else:
            entries.append(
                MutualAidEntry(fund=fund, kind=kind, on=day, amount=amount, note=note, recorded_by=staff)
            )
            balance += amount
    return entries


# --- return-home tickets -------------------------------------------------------------------------


def _festivals(today: datetime.date) -> tuple[list[datetime.date], datetime.date]:
    """The last three Spring Festivals and the coming one."""
    days = sorted(datetime.date(year, *md) for year, md in SPRING_FESTIVALS.items())
    coming = next(day for day in days if day > today)
    past = [day for day in days if day <= today][-3:]
    return past, coming


def _seed_campaigns(rng, today, unions, staff) -> None:
    chaired = {u.pk: u.chair_id for u in unions if u.chair_id}
    migrants = list(
        Member.objects.active()
        .filter(is_migrant_worker=True, union_id__in=chaired)
        .order_by("pk")
        .values_list("pk", "union_id", "id_number")
    )
    in_hardship = set(
        HardshipFile.objects.filter(
            status=HardshipFile.Status.ACTIVE, member__is_migrant_worker=True
        ).values_list("member_id", flat=True)
    )
    past, coming = _festivals(today)
    for festival in [*past, coming]:
        campaign = TicketCampaign.objects.create(
            year=festival.year,
            name=f"{festival.year}年春节“温暖回家”返乡车票",
            opens_on=datetime.date(festival.year - 1, 11, 1),
            closes_on=festival - datetime.timedelta(days=21),
            travel_from=festival - datetime.timedelta(days=18),
            travel_until=festival - datetime.timedelta(days=1),
            budget=Decimal(0),
        )
        types = {}
        for mode, (seats, price) in TYPES.items():
            types[mode] = TicketType(
                campaign=campaign,
                mode=mode,
                seats=seats + rng.randint(-8, 8) * (seats // 40),
                average_price=_vary(rng, price, 95, 108),
            )
        TicketType.objects.bulk_create(types.values())
        full = sum(t.seats * t.average_price for t in types.values()) * Decimal("1.05")
        campaign.budget = (full / 1000).to_integral_value() * 1000
        campaign.save(update_fields=["budget"])
        completed = festival <= today
        _seed_applications(rng, today, campaign, types, migrants, in_hardship, chaired, staff, completed)


def _seed_applications(rng, today, campaign, types, migrants, in_hardship, chaired, staff, completed) -> None:
    last_day = min(today, campaign.closes_on)
    if last_day < campaign.opens_on:
        return  # announced, not yet open
    seats = sum(t.seats for t in types.values())
    window = (last_day - campaign.opens_on).days
    share = 1.12 if completed else min(1.0, 0.15 + window / 90)
    hardship_first = [m for m in migrants if m[0] in in_hardship]
    others = rng.sample(migrants, min(len(migrants), int(seats * share)))
    applicants = list({m[0]: m for m in hardship_first[:20] + others}.values())
    applications = []
    for member_id, union_id, id_number in applicants:
        destination, usual_mode = HOMETOWNS.get(id_number[:6], ("安徽省阜阳市", "train"))
        mode = usual_mode if rng.random() < 0.8 else rng.choice(list(types))
        travel_on = campaign.travel_from + datetime.timedelta(
            days=rng.randint(0, (campaign.travel_until - campaign.travel_from).days)
        )
        priority = (
            TicketApplication.Priority.HARDSHIP
            if member_id in in_hardship
            else TicketApplication.Priority.OUTSTANDING
            if rng.random() < 0.2
            else TicketApplication.Priority.OTHER
        )
        applications.append(
            TicketApplication(
                campaign=campaign,
                ticket_type=types[mode],
                member_id=member_id,
                union_id=union_id,
                submitted_by_id=chaired[union_id],
                priority=priority,
                destination=destination,
                travel_on=travel_on,
                submitted_on=campaign.opens_on + datetime.timedelta(days=rng.randint(0, window)),
            )
        )
    _decide(rng, today, campaign, types, applications, staff, completed)
    TicketApplication.objects.bulk_create(applications, batch_size=1000)


def _decide(rng, today, campaign, types, applications, staff, completed) -> None:
    """Seats in priority order within the seats and the budget; in a completed campaign the tickets
    are issued (a few withdrawn first) and those left without a seat declined; in the coming one
    about half of the waiting applications already have their seat."""
    Status, Priority = TicketApplication.Status, TicketApplication.Priority
    rank = {Priority.HARDSHIP: 0, Priority.OUTSTANDING: 1, Priority.OTHER: 2}
    applications.sort(key=lambda a: (rank[a.priority], a.submitted_on))
    used = dict.fromkeys(types, 0)
    committed = Decimal(0)
    numbers: set[str] = set()
    for application in applications if completed else applications[: len(applications) // 2]:
        mode = application.ticket_type.mode
        if completed and rng.random() < 0.03:
            application.status = Status.WITHDRAWN
            continue
        price = application.ticket_type.average_price
        if completed:
            price = _vary(rng, price, 85, 115)
        if used[mode] >= application.ticket_type.seats or committed + price > campaign.budget:
            if completed:
                application.status, application.decided_by = Status.DECLINED, staff
            continue
        used[mode] += 1
        committed += price
        application.status, application.price, application.decided_by = Status.ALLOCATED, price, staff
        if completed:
            application.status = Status.ISSUED
            application.ticket_number = _ticket_number(rng, mode, numbers)
            application.issued_on = campaign.closes_on + datetime.timedelta(
                days=rng.randint(1, (application.travel_on - campaign.closes_on).days - 1)
            )


def _vary(rng, price: Decimal, low_percent: int, high_percent: int) -> Decimal:
    return (price * rng.randint(low_percent, high_percent) / 100).quantize(CENT)


def _ticket_number(rng, mode: str, taken: set[str]) -> str:
    while True:
        number = {
            "air": f"781-{rng.randint(10**9, 10**10 - 1)}",
            "train": f"E{rng.randint(10**8, 10**9 - 1)}",
            "coach": f"KY{rng.randint(10**7, 10**8 - 1)}",
        }[mode]
        if number not in taken:
            taken.add(number)
            return number
