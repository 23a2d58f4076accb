"""Money (unionhub.money): one ``money()`` rounding to the fen, one ``money`` filter writing amounts with
two decimals and thousands separators — also where SQLite's Sum hands back Decimals with ten places, as
on the union chair's dashboard and a union's dues page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from members.models import DuesPeriod, Remittance
from members.periods import period_containing
from members.services import dues
from tests.factories import TODAY
from unionhub.money import format_money, money


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Decimal("49429.9200000000"), Decimal("49429.92")),
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("2.675"), Decimal("2.68")),
        (12, Decimal("12.00")),
        ("1000.015", Decimal("1000.02")),
        (Decimal("-0.005"), Decimal("-0.01")),
    ],
)
def test_money_rounds_to_the_fen_half_up(value, rounded):
    assert money(value) == rounded and money(value).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "shown", "whole"),
    [
        (Decimal("49429.9200000000"), "49,429.92", "49,430"),
        (Decimal("0E-10"), "0.00", "0"),
        (Decimal("52101546"), "52,101,546.00", "52,101,546"),
        (Decimal("-2500.5"), "-2,500.50", "-2,501"),
        (2.675, "2.68", "3"),
        (1234567, "1,234,567.00", "1,234,567"),
        (Decimal("-0.001"), "0.00", "0"),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_filter_writes_two_decimals_and_thousands_separators(value, shown, whole, language):
    template = Template("{% load money %}¥{{ amount|money }} ¥{{ amount|money:0 }}")
    with translation.override(language):
        assert template.render(Context({"amount": value})) == f"¥{shown} ¥{whole}"


@pytest.mark.parametrize("value", [None, "—", ""])
def test_what_is_not_a_number_is_left_alone(value):
    assert format_money(value) == ("" if value is None else value)


@pytest.fixture
def overdue(finance_staff, union_a):
    """A month of union A's, two months back and so overdue, with ¥50,000.00 due and ¥570.08 paid."""
    month = TODAY.replace(day=1) - datetime.timedelta(days=40)
    period = dues.get_period(union=union_a, period=period_containing("monthly", month))
    DuesPeriod.objects.filter(pk=period.pk).update(funds_due=Decimal("50000.00"))
    for n, amount in enumerate(["300.04", "270.04"]):
        dues.record_remittance(
            by=finance_staff,
            period=period,
            amount=Decimal(amount),
            voucher_no=f"SW-{n}",
            received_on=month,
            channel="tax",
        )
    return period


@pytest.mark.django_db
def test_sqlite_sums_carry_ten_places_which_the_filter_rounds(overdue):
    total = Remittance.objects.filter(period=overdue).aggregate(total=Sum("amount"))["total"]
    assert total == Decimal("570.08")
    if connection.vendor == "sqlite":
        assert total.as_tuple().exponent < -2  # 570.080000000000: what the pages used to show
    assert format_money(total) == "570.08"


@pytest.mark.django_db
def test_the_chair_dashboard_shows_the_overdue_amount_with_two_decimals(login, chair_a, overdue):
    body = login(chair_a).get(reverse("dashboard")).content.decode()
    assert "¥49,429.92" in body
    assert "00000" not in body


@pytest.mark.django_db
def test_the_union_dues_page_shows_amounts_with_two_decimals(login, chair_a, union_a, overdue):
    dues.get_period(union=union_a, period=period_containing("monthly", TODAY))  # nothing paid yet
    body = login(chair_a).get(reverse("members:union_dues", args=[union_a.pk])).content.decode()
    assert "¥570.08" in body and "¥49,429.92" in body and "¥50,000.00" in body
    assert "¥0.00" in body
    assert "00000" not in body
