"""The member's discount card on the phone (/m/card/): the QR code the counter scans, the no-card cases,
the partner merchants listed for members, and reporting the card lost (blocked at once, the chair's to-do
and card page, the replacement closing the report) — and another member's card or report is 404."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from perks.member_area import card_tile, masked_number
from perks.models import Branch, Card, LostCardReport, Merchant
from perks.services import cards, counter
from tests.factories import TODAY
from unionhub.certificates import qr_code_svg
from unionhub.contributions import MemberScope, Scope, collect_todo
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def signed_in(member_client):
    def sign_in(member):
        client = member_client(member)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


@pytest.fixture
def card_a(staff, member_a):
    return cards.issue_card(by=staff, member=member_a)


@pytest.fixture
def card_b(staff, member_b):
    return cards.issue_card(by=staff, member=member_b)


@pytest.fixture
def shop(db):
    shop = Merchant.objects.create(
        name="联华超市",
        category="supermarket",
        address="海昌路1号",
        discount="购物九五折",
        discount_percent=Decimal("5"),
        contact_name="赵经理",
        contact_phone="13955556666",
    )
    Branch.objects.create(merchant=shop, name="海洲店", address="海洲街道1号", phone="13977778888")
    return shop


# --- the card page ------------------------------------------------------------------------------------


def test_card_page_shows_own_number_and_the_qr_the_counter_reads(signed_in, member_a, card_a):
    response = signed_in(member_a).get(reverse("member_card:card"))
    assert response.status_code == 200
    page = response.content.decode()
    assert cards.group_number(card_a.number) in page
    # The QR encodes the bare 16-digit number: what the counter's scanner puts in its field and checks.
    assert qr_code_svg(card_a.number, quiet_zone=4) in page
    assert cards.valid_number(card_a.number) == card_a.number
    assert "<script" not in page and 'style="' not in page
    assert len(response.content) < 200_000
    assert reverse("member_card:report_lost", args=[card_a.pk]) in page


def test_the_number_the_qr_carries_passes_the_counter_check(member_a, card_a, shop, make_user):
    """What the scanner reads is the card's number, and the counter's check says valid."""
    clerk = make_user("clerk")
    shop.staff.add(clerk)
    result = counter.check(by=clerk, merchant=shop, entered=card_a.number)
    assert result.valid


def test_no_card_says_who_issues_one(signed_in, member_a):
    page = signed_in(member_a).get(reverse("member_card:card")).content.decode()
    assert "No active card" in page and "issued by your union" in page and "<svg" not in page


def test_a_cancelled_card_is_not_shown_as_a_qr(signed_in, staff, member_a, card_a):
    cards.cancel(by=staff, card=card_a, reason="退会")
    page = signed_in(member_a).get(reverse("member_card:card")).content.decode()
    assert "was cancelled" in page and "<svg" not in page


def test_home_tile_masks_the_number_in_one_query(member_a, card_a, django_assert_num_queries):
    scope = MemberScope(user=None, member=member_a, day=TODAY)
    with django_assert_num_queries(1):
        tile = card_tile(scope)
    assert tile["active"] and tile["number"] == masked_number(card_a.number)
    assert card_a.number[4:12] not in tile["number"]


def test_home_page_has_the_tile_and_the_card_tab(signed_in, member_a, card_a):
    page = signed_in(member_a).get(reverse("member_area:home")).content.decode()
    assert masked_number(card_a.number) in page and card_a.number not in page
    assert f'href="{reverse("member_card:card")}"' in page


# --- where the card may be used ----------------------------------------------------------------------


def test_merchants_lists_what_is_published_and_in_force(signed_in, member_a, shop):
    Merchant.objects.create(name="已停合作", category="pharmacy", agreement_end=TODAY - datetime.timedelta(1))
    Merchant.objects.create(name="不公开的店", category="pharmacy", listed_for_members=False)
    response = signed_in(member_a).get(reverse("member_card:merchants"))
    page = response.content.decode()
    assert "联华超市" in page and "购物九五折" in page and "5% off" in page
    assert "海洲店" in page and "海洲街道1号" in page
    assert "已停合作" not in page and "不公开的店" not in page
    # Only what the merchant publishes: no contact person, no phone.
    assert "赵经理" not in page and "13955556666" not in page and "13977778888" not in page


@pytest.mark.parametrize(
    "value", ["pharmacy", "nope", "'; DROP TABLE x;--", "\x00", "²", "<script>", "9" * 40, "%ff"]
)
def test_merchants_hostile_category(signed_in, member_a, shop, value):
    Merchant.objects.create(name="老百姓大药房", category="pharmacy")
    response = signed_in(member_a).get(reverse("member_card:merchants"), {"category": value})
    assert response.status_code == 200
    assert ("联华超市" in response.content.decode()) == (value != "pharmacy")


def test_merchants_query_count_does_not_grow(signed_in, member_a, shop, django_assert_max_num_queries):
    for i in range(5):
        extra = Merchant.objects.create(name=f"店{i}", category="restaurant")
        Branch.objects.create(merchant=extra, name="总店", address="海昌路")
    client = signed_in(member_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("member_card:merchants")).status_code == 200


# --- reporting the card lost -------------------------------------------------------------------------


def test_report_lost_blocks_at_once_and_reaches_the_chair(signed_in, member_a, card_a, chair_a, client):
    member = signed_in(member_a)
    assert member.get(reverse("member_card:report_lost", args=[card_a.pk])).status_code == 200
    response = member.post(reverse("member_card:report_lost", args=[card_a.pk]))
    report = LostCardReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("member_card:report", args=[report.pk])
    card_a.refresh_from_db()
    assert card_a.status == Card.Status.LOST and report.status == LostCardReport.Status.OPEN
    assert report.reported_by == member.member_user
    # Double submit (and the GET after it): the same report, nothing more.
    again = member.post(reverse("member_card:report_lost", args=[card_a.pk]))
    assert again.url == response.url and LostCardReport.objects.count() == 1
    assert member.get(reverse("member_card:report_lost", args=[card_a.pk])).url == response.url
    page = member.get(response.url).content.decode()
    assert "Waiting for a new card" in page
    assert "No active card" in member.get(reverse("member_card:card")).content.decode()
    # The chair: a notice, the to-do card, the card's page.
    assert Notice.objects.filter(user=chair_a, key=f"card-lost:{report.pk}").exists()
    todo = collect_todo(Scope(day=TODAY, user=chair_a))
    item = next(i for i in todo.items if i.kind == "perks.lost_report")
    assert item.url == reverse("perks:card_detail", args=[card_a.pk]) and "王小明" in item.title
    client.force_login(chair_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Reported lost by the member" in client.get(item.url).content.decode()


def test_the_chairs_replacement_closes_the_report(signed_in, member_a, card_a, chair_a):
    report = cards.report_lost_by_member(by=signed_in(member_a).member_user, card=card_a)
    new = cards.replace(by=chair_a, card=card_a)
    report.refresh_from_db()
    assert report.status == LostCardReport.Status.REPLACED and report.new_card == new
    assert report.resolved_by == chair_a
    assert all(i.kind != "perks.lost_report" for i in collect_todo(Scope(day=TODAY, user=chair_a)).items)
    member = signed_in(member_a)
    assert cards.group_number(new.number) in member.get(reverse("member_card:card")).content.decode()
    assert "New card issued" in member.get(reverse("member_card:report", args=[report.pk])).content.decode()


def test_cancelling_closes_the_report(signed_in, member_a, card_a, staff):
    report = cards.report_lost_by_member(by=signed_in(member_a).member_user, card=card_a)
    cards.cancel(by=staff, card=card_a, reason="退会")
    report.refresh_from_db()
    assert report.status == LostCardReport.Status.CLOSED


def test_another_chair_does_not_see_the_report(signed_in, member_a, card_a, chair_b):
    cards.report_lost_by_member(by=signed_in(member_a).member_user, card=card_a)
    items = collect_todo(Scope(day=TODAY, user=chair_b)).items
    assert all(i.kind != "perks.lost_report" for i in items)
    assert not LostCardReport.objects.visible_to(chair_b).exists()


def test_only_the_holder_may_report(member_b, card_a, chair_a, signed_in):
    with pytest.raises(PermissionDenied):
        cards.report_lost_by_member(by=signed_in(member_b).member_user, card=card_a)
    with pytest.raises(PermissionDenied):
        cards.report_lost_by_member(by=chair_a, card=card_a)
    assert not LostCardReport.objects.exists()


def test_a_replaced_card_cannot_be_reported(signed_in, member_a, card_a, chair_a):
    cards.replace(by=chair_a, card=card_a)
    member = signed_in(member_a)
    page = member.get(reverse("member_card:report_lost", args=[card_a.pk])).content.decode()
    assert "cannot be reported lost" in page
    response = member.post(reverse("member_card:report_lost", args=[card_a.pk]))
    assert response.status_code == 302 and not LostCardReport.objects.exists()


# --- the outsider -------------------------------------------------------------------------------------


def test_member_b_gets_404_on_member_a_card_and_report(signed_in, member_a, member_b, card_a, card_b):
    report = cards.report_lost_by_member(by=signed_in(member_a).member_user, card=card_a)
    other = signed_in(member_b)
    assert other.get(reverse("member_card:report_lost", args=[card_a.pk])).status_code == 404
    assert other.post(reverse("member_card:report_lost", args=[card_a.pk])).status_code == 404
    assert other.get(reverse("member_card:report", args=[report.pk])).status_code == 404
    assert LostCardReport.objects.count() == 1
    page = other.get(reverse("member_card:card")).content.decode()
    assert card_a.number not in page and cards.group_number(card_b.number) in page


@pytest.mark.parametrize("pk", ["0", "2147483648", "99999999999999999999"])
def test_out_of_range_ids_are_404(signed_in, member_a, pk):
    client = signed_in(member_a)
    assert client.get(f"/m/card/{pk}/lost/").status_code == 404
    assert client.get(f"/m/card/lost/{pk}/").status_code == 404


def test_anonymous_goes_to_the_code_sign_in(client):
    response = client.get(reverse("member_card:card"))
    assert response.status_code == 302 and response.url.startswith(reverse("member_area:login"))
    assert re.search(r"next=%2Fm%2Fcard%2F", response.url)


def test_reported_at_is_now(signed_in, member_a, card_a):
    before = timezone.now()
    report = cards.report_lost_by_member(by=signed_in(member_a).member_user, card=card_a)
    assert report.reported_at >= before


def test_the_card_page_carries_the_number_whole_and_grouped(signed_in, member_a, card_a):
    """The contract: /m/card/ shows the signed-in member's card number (grouped for the eye, whole for tools)."""
    page = signed_in(member_a).get("/m/card/").content.decode()
    grouped = " ".join(card_a.number[i : i + 4] for i in range(0, 16, 4))
    assert card_a.number in page and grouped in page
