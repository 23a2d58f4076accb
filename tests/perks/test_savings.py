"""The savings report: recorded sums, estimates only where nothing was recorded while the agreement was
in force, totals, a fixed query count, the export, access, and the demo seed."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from perks.models import Card, CardCheck, Merchant, Redemption
from perks.services.cards import card_number
from perks.services.savings import savings

pytestmark = pytest.mark.usefixtures("english")

YEAR = 2024
TODAY = datetime.date(2025, 3, 1)  # the whole of YEAR has ended
URL = "/perks/savings/"


def at(month, day=10):
    return datetime.datetime(YEAR, month, day, 12, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def shops(db):
    """A supermarket in force all year, a pharmacy from April to September."""
    full = Merchant.objects.create(
        name="超市",
        category="supermarket",
        agreement_start=datetime.date(2023, 1, 1),
        agreement_end=datetime.date(2026, 12, 31),
    )
    part = Merchant.objects.create(
        name="药店",
        category="pharmacy",
        agreement_start=datetime.date(YEAR, 4, 15),
        agreement_end=datetime.date(YEAR, 9, 10),
    )
    return full, part


@pytest.fixture
def cards(member_a, register, enterprise_a):
    """Two cards active all year."""
    other = register(enterprise_a, name="李芳")
    return [
        Card.objects.create(
            number=card_number(n),
            member=m,
            issued_on=datetime.date(2023, 6, 1),
            status_changed_on=datetime.date(2023, 6, 1),
        )
        for n, m in ((1, member_a), (2, other))
    ]


def redeem(merchant, card, month, spent="100.00", discount="5.00", day=10):
    check = CardCheck.objects.create(merchant=merchant, entered=card.number, card=card, result="valid")
    CardCheck.objects.filter(pk=check.pk).update(at=at(month, day))
    return Redemption.objects.create(
        merchant=merchant,
        card=card,
        card_check=check,
        amount_spent=Decimal(spent),
        discount_given=Decimal(discount),
        at=at(month, day),
    )


def test_recorded_sums_and_estimates(shops, cards):
    full, part = shops
    redeem(full, cards[0], 1, "100.00", "5.00")
    redeem(full, cards[1], 1, "300.00", "15.00", day=31)
    redeem(full, cards[0], 2, "80.00", "4.00")
    redeem(part, cards[0], 5, "50.00", "4.00")
    redeem(part, cards[0], 12, "50.00", "4.00")  # after the agreement ended: still recorded
    report = savings(YEAR, today=TODAY)
    rows = {r.merchant.name: r for r in report.rows}
    jan = rows["超市"].cells[0]
    assert (jan.count, jan.spent, jan.discount, jan.estimated) == (
        2,
        Decimal("400.00"),
        Decimal("20.00"),
        False,
    )
    assert rows["超市"].cells[1].discount == Decimal("4.00")
    # March: nothing recorded, the supermarket alone in force: 2 cards × ¥30 ÷ 1 merchant
    assert rows["超市"].cells[2].estimate == Decimal("60.00")
    # May: the pharmacy recorded; June: both in force, nothing from either: 2 × 30 ÷ 2 each
    assert rows["药店"].cells[4].estimated is False
    assert rows["超市"].cells[5].estimate == rows["药店"].cells[5].estimate == Decimal("30.00")
    # The pharmacy's agreement covers part of April and part of September: estimated; not before, not after.
    assert rows["药店"].cells[3].estimated and rows["药店"].cells[8].estimated
    assert [c.estimated for c in rows["药店"].cells[:3]] == [False] * 3
    assert not rows["药店"].cells[9].estimated and rows["药店"].cells[11].discount == Decimal("4.00")
    assert not rows["药店"].cells[11].estimated
    # Totals
    assert report.recorded == Decimal("32.00")
    assert rows["超市"].recorded == Decimal("24.00")
    # supermarket: Mar 60, Apr–Sep 6 × 30 (shared with the pharmacy), Oct–Dec 3 × 60; pharmacy: Apr, Jun–Sep 5 × 30
    assert rows["超市"].estimated == Decimal("60") + 6 * Decimal("30") + 3 * Decimal("60")
    assert rows["药店"].estimated == 5 * Decimal("30")
    assert report.estimated == rows["超市"].estimated + rows["药店"].estimated
    assert report.total == report.recorded + report.estimated
    assert sum(m.total for m in report.months) == report.total
    assert report.federation_estimate == Decimal("720.00")  # 2 cards × 30 × 12
    assert rows["超市"].checks_valid == 3 and rows["超市"].checks_refused == 0


def test_no_estimate_for_months_not_yet_ended(shops, cards):
    report = savings(YEAR, today=datetime.date(YEAR, 6, 15))
    cells = next(r for r in report.rows if r.merchant.name == "超市").cells
    assert cells[4].estimated and not cells[5].estimated and not cells[6].estimated


def test_card_counts_and_lost_cards_leave_the_estimate(shops, cards):
    Card.objects.filter(pk=cards[1].pk).update(
        status=Card.Status.LOST, status_changed_on=datetime.date(YEAR, 6, 20)
    )
    report = savings(YEAR, today=TODAY)
    assert report.months[4].active_cards == 2 and report.months[5].active_cards == 1
    supermarket = next(r for r in report.rows if r.merchant.name == "超市")
    assert supermarket.cells[6].estimate == Decimal("15.00")  # 1 card × 30 ÷ 2 merchants in force
    assert supermarket.cells[9].estimate == Decimal("30.00")  # the pharmacy's agreement has ended
    assert (report.cards.issued, report.cards.active, report.cards.lost, report.cards.cancelled) == (
        2,
        1,
        1,
        0,
    )


def test_refused_checks_counted(shops, cards):
    full, _ = shops
    CardCheck.objects.create(merchant=full, entered="123", result=CardCheck.Result.BAD_NUMBER)
    CardCheck.objects.filter(result="bad_number").update(at=at(3))
    row = next(r for r in savings(YEAR, today=TODAY).rows if r.merchant == full)
    assert (row.checks_valid, row.checks_refused) == (0, 1)


def _queries(n, shops, cards):
    full, part = shops
    Redemption.objects.all().delete()
    for i in range(n):
        redeem(full if i % 2 else part, cards[i % 2], i % 12 + 1)
    with CaptureQueriesContext(connection) as ctx:
        savings(YEAR, today=TODAY)
    return len(ctx.captured_queries)


def test_fixed_query_count(shops, cards):
    few = _queries(10, shops, cards)
    many = _queries(100, shops, cards)
    assert few == many <= 4


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_page_marks_estimates(staff_client, shops, cards):
    redeem(shops[0], cards[0], 1)
    response = staff_client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "estimate: no redemptions recorded" in body
    assert 'class="estimate"' in body
    assert "barchart" in body


def test_export_marks_estimates(staff_client, shops, cards):
    redeem(shops[0], cards[0], 1, "100.00", "5.00")
    response = staff_client.get(URL, {"year": YEAR, "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Savings"].iter_rows(values_only=True))
    header = rows.index(
        ("Merchant", "Month", "Redemptions", "Amount spent", "Discount given", "Saving", "Estimate")
    )
    data = [r for r in rows[header + 1 :] if r and r[1] and str(r[1]).startswith(str(YEAR))]
    january = [r for r in data if r[0] == "超市" and r[1] == f"{YEAR}-01"]
    assert january == [("超市", f"{YEAR}-01", 1, 100.0, 5.0, 5.0, None)]
    assert any(r[0] == "超市" and r[1] == f"{YEAR}-02" and r[6] == "estimate" for r in data)


def test_access(client, chair_a, outsider, merchant):
    for user in (chair_a, outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(merchant)
    assert client.get(URL).status_code in (403, 404)
    client.logout()
    assert client.get(URL).status_code == 302


def test_seed_perks_on_a_small_district(client, staff, union_a, enterprise_a, register):
    from perks.demo import MERCHANTS, seed_perks

    for i in range(12):
        register(enterprise_a, name=f"职工{i}")
    Merchant.objects.bulk_create(
        [Merchant(name=name, category=category, discount=discount) for name, category, discount in MERCHANTS]
    )
    today = timezone.localdate()
    counts = seed_perks(rng=random.Random(1), today=today, unions=[union_a], staff=staff)
    assert counts["cards"] == Card.objects.count() >= 3
    assert Redemption.objects.count() == counts["redemptions"] > 1000
    assert not Redemption.objects.filter(discount_given__gt=models_f("amount_spent")).exists()
    shops = {m.name: m for m in Merchant.objects.all()}
    assert all(len(m.credit_code) == 18 and m.agreement_start and m.branches.exists() for m in shops.values())
    assert today < shops["海宁皮革城"].agreement_end <= today + datetime.timedelta(days=30)
    assert shops["海王星辰药店"].agreement_end < today.replace(day=1)
    assert shops["潮乡人家餐厅"].discount_kind == Merchant.DiscountKind.SPEND_SAVE
    assert Redemption.objects.filter(card_check__result="valid").count() == counts["redemptions"]
    last_year = savings(today.year - 1, today=today)
    this_year = savings(today.year, today=today)
    assert last_year.recorded + this_year.recorded == sum(
        Redemption.objects.values_list("discount_given", flat=True), Decimal(0)
    )
    client.force_login(staff)
    assert client.get(URL).status_code == 200  # in Chinese, the default


def models_f(name):
    from django.db.models import F

    return F(name)
