"""The counter check: what a merchant learns (valid or not, the discount, a masked name — nothing
else), every refusal, the log, the rate limit, redemptions and the discount rules, the confinement
of counter accounts, the staff-only merchant pages and the agreement reminder."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perks.models import Branch, CardCheck, Merchant, Redemption
from perks.services import cards as card_services
from perks.services import counter
from tests.factories import TODAY
from unionhub.models import Notice

pytestmark = pytest.mark.usefixtures("english")

CHECK_URL = "/perks/check/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop(merchant):
    shop = Merchant.objects.get(staff=merchant)
    shop.discount = "会员九折"
    shop.discount_kind = Merchant.DiscountKind.PERCENT
    shop.discount_percent = Decimal("10")
    shop.agreement_start = TODAY - datetime.timedelta(days=100)
    shop.agreement_end = TODAY + datetime.timedelta(days=200)
    shop.save()
    return shop


@pytest.fixture
def card(staff, member_a):
    return card_services.issue_card(by=staff, member=member_a)


@pytest.fixture
def counter_client(client, merchant):
    client.force_login(merchant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _bad_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def _unissued_number(card) -> str:
    return card_services.card_number(999_999)


# --- what the counter sees ----------------------------------------------------------------------


def test_valid_card_shows_masked_name_and_discount_only(counter_client, shop, card, member_a):
    response = counter_client.post(CHECK_URL, {"number": card.number, "merchant": shop.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valid" in body and "王*明" in body
    assert "会员九折" in body and "10% off" in body
    for secret in [
        "王小明",
        member_a.id_number,
        member_a.phone,
        member_a.union.code,
        member_a.union.name,
        member_a.enterprise.name,
    ]:
        assert secret not in body, secret
    logged = CardCheck.objects.get()
    assert (logged.result, logged.card, logged.checked_by, logged.merchant) == (
        "valid",
        card,
        shop.staff.get(),
        shop,
    )
    assert 'name="amount_spent"' in body  # the redemption form follows a valid check


def test_check_page_input_is_phone_friendly(counter_client, shop):
    body = counter_client.get(CHECK_URL).content.decode()
    assert 'inputmode="numeric"' in body and "autofocus" in body


def test_result_carries_nothing_but_the_answer(merchant, shop, card):
    result = counter.check(by=merchant, merchant=shop, entered=card.number)
    assert result.valid and result.holder == "王*明"
    assert set(vars(result)) == {
        "valid",
        "reason",
        "word",
        "holder",
        "discount",
        "rule",
        "check_id",
        "entered",
    }


@pytest.mark.parametrize(
    "setup, reason, word",
    [
        ("bad_digit", "bad_number", "Not a card number"),
        ("letters", "bad_number", "Not a card number"),
        ("unknown", "unknown", "Unknown card"),
        ("lost", "lost", "Card reported lost"),
        ("cancelled", "cancelled", "Card no longer valid"),
        ("expired", "agreement_ended", "This shop&#x27;s agreement has ended"),
        ("not_started", "agreement_not_started", "This shop&#x27;s agreement has not started yet"),
    ],
)
def test_every_refusal_is_shown_and_logged(counter_client, staff, shop, card, setup, reason, word):
    number = card.number
    if setup == "bad_digit":
        number = _bad_check_digit(card.number)
    elif setup == "letters":
        number = "hello"
    elif setup == "unknown":
        number = _unissued_number(card)
    elif setup == "lost":
        card_services.report_lost(by=staff, card=card)
    elif setup == "cancelled":
        card_services.cancel(by=staff, card=card, reason="left the union")
    elif setup == "expired":
        Merchant.objects.filter(pk=shop.pk).update(agreement_end=TODAY - datetime.timedelta(days=1))
    elif setup == "not_started":
        Merchant.objects.filter(pk=shop.pk).update(agreement_start=TODAY + datetime.timedelta(days=1))
    response = counter_client.post(CHECK_URL, {"number": number})
    body = response.content.decode()
    assert response.status_code == 200
    assert word in body and "refused" in body
    assert "王*明" not in body and "王小明" not in body and 'name="amount_spent"' not in body
    logged = CardCheck.objects.get()
    assert logged.result == ("agreement_ended" if reason.startswith("agreement") else reason)
    assert logged.entered == number


def test_inactive_merchant_refuses_everything(merchant, shop, card):
    Merchant.objects.filter(pk=shop.pk).update(is_active=False)
    shop.refresh_from_db()
    assert counter.check(by=merchant, merchant=shop, entered=card.number).reason == "agreement_ended"


def test_spaced_and_full_width_numbers_are_accepted(merchant, shop, card):
    spaced = card_services.group_number(card.number)
    full_width = card.number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert counter.check(by=merchant, merchant=shop, entered=spaced).valid
    assert counter.check(by=merchant, merchant=shop, entered=full_width).valid


def test_choosing_among_several_shops(counter_client, merchant, shop, card):
    other = Merchant.objects.create(
        name="好德便利",
        category="supermarket",
        discount="满100减10",
        discount_kind="spend_save",
        discount_amount=10,
        spend_threshold=100,
    )
    other.staff.add(merchant)
    body = counter_client.get(CHECK_URL, {"merchant": other.pk}).content.decode()
    assert "好德便利" in body and "联华超市" in body  # the choice
    counter_client.post(CHECK_URL, {"number": card.number, "merchant": other.pk})
    assert CardCheck.objects.get().merchant == other
    # Not one of the account's shops: falls back to one that is.
    stranger = Merchant.objects.create(name="别家", category="other")
    counter_client.post(CHECK_URL, {"number": card.number, "merchant": stranger.pk})
    assert not CardCheck.objects.filter(merchant=stranger).exists()


def test_check_page_is_for_counter_staff_only(client, chair_a, shop):
    client.force_login(chair_a)
    assert client.get(CHECK_URL).status_code == 403


# --- the rate limit -----------------------------------------------------------------------------


def test_rate_limit_answers_429_and_does_not_log(counter_client, settings, shop, card):
    settings.PERKS_RULES = {"checks_per_minute": 3}
    for _ in range(3):
        assert counter_client.post(CHECK_URL, {"number": card.number}).status_code == 200
    response = counter_client.post(CHECK_URL, {"number": card.number})
    assert response.status_code == 429
    assert "Too many checks: at most 3 a minute" in response.content.decode()
    assert CardCheck.objects.count() == 3


def test_rate_limit_is_per_account_and_per_minute(make_user, merchant, settings, shop, card):
    settings.PERKS_RULES = {"checks_per_minute": 1}
    colleague = make_user("colleague")
    shop.staff.add(colleague)
    now = timezone.now()
    counter.check(by=merchant, merchant=shop, entered=card.number, now=now)
    with pytest.raises(counter.RateLimited):
        counter.check(by=merchant, merchant=shop, entered=card.number, now=now)
    assert counter.check(by=colleague, merchant=shop, entered=card.number, now=now).valid
    assert counter.check(
        by=merchant, merchant=shop, entered=card.number, now=now + datetime.timedelta(minutes=1)
    ).valid


# --- redemptions and the discount ---------------------------------------------------------------


def test_redemption_after_a_valid_check(counter_client, shop, card):
    result_page = counter_client.post(CHECK_URL, {"number": card.number})
    check_id = result_page.context["result"].check_id
    response = counter_client.post(
        reverse("perks:counter_redeem"), {"check_id": check_id, "amount_spent": "88.00"}
    )
    assert response.status_code == 302
    redemption = Redemption.objects.get()
    assert (redemption.amount_spent, redemption.discount_given, redemption.card) == (
        Decimal("88.00"),
        Decimal("8.80"),
        card,
    )
    assert redemption.card_check_id == check_id
    # A second purchase on the same check is refused.
    again = counter_client.post(
        reverse("perks:counter_redeem"), {"check_id": check_id, "amount_spent": "10"}, follow=True
    )
    assert "Check the card first" in again.content.decode()
    assert Redemption.objects.count() == 1


@pytest.mark.parametrize(
    "spent, discount, message",
    [
        ("-5", "", "more than zero"),
        ("0", "", "more than zero"),
        ("50000.01", "", "cannot be right"),
        ("100", "100.01", "cannot be more than the amount spent"),
        ("100", "-1", "cannot be negative"),
    ],
)
def test_bad_redemptions_are_refused(counter_client, shop, card, spent, discount, message):
    check_id = counter_client.post(CHECK_URL, {"number": card.number}).context["result"].check_id
    response = counter_client.post(
        reverse("perks:counter_redeem"),
        {"check_id": check_id, "amount_spent": spent, "discount_given": discount},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Redemption.objects.exists()


def test_redemption_needs_a_recent_valid_check_here(merchant, staff, shop, card):
    now = timezone.now()
    valid = CardCheck.objects.get(
        pk=counter.check(by=merchant, merchant=shop, entered=card.number, now=now).check_id
    )
    with pytest.raises(ValidationError, match="more than 10 minutes old"):
        counter.record_redemption(
            by=merchant,
            merchant=shop,
            card_check=valid,
            amount_spent=Decimal(10),
            now=now + datetime.timedelta(minutes=11),
        )
    other = Merchant.objects.create(name="别家", category="other")
    with pytest.raises(ValidationError, match="Check the card first"):
        counter.record_redemption(
            by=merchant, merchant=other, card_check=valid, amount_spent=Decimal(10), now=now
        )
    refused = CardCheck.objects.get(
        pk=counter.check(by=merchant, merchant=shop, entered="123", now=now).check_id
    )
    with pytest.raises(ValidationError, match="Check the card first"):
        counter.record_redemption(
            by=merchant, merchant=shop, card_check=refused, amount_spent=Decimal(10), now=now
        )
    counter.record_redemption(by=merchant, merchant=shop, card_check=valid, amount_spent=Decimal(10), now=now)
    with pytest.raises(ValidationError, match="already been used"):
        counter.record_redemption(
            by=merchant, merchant=shop, card_check=valid, amount_spent=Decimal(10), now=now
        )
    assert Redemption.objects.count() == 1


@pytest.mark.parametrize(
    "kind, fields, spent, expected",
    [
        ("percent", {"discount_percent": Decimal("10")}, "88.00", "8.80"),
        ("percent", {"discount_percent": Decimal("9.5")}, "123.45", "11.73"),
        ("percent", {"discount_percent": Decimal("100")}, "12.34", "12.34"),
        ("fixed", {"discount_amount": Decimal("20")}, "88.00", "20.00"),
        ("fixed", {"discount_amount": Decimal("20")}, "15.00", "15.00"),
        (
            "spend_save",
            {"discount_amount": Decimal("30"), "spend_threshold": Decimal("200")},
            "199.99",
            "0.00",
        ),
        (
            "spend_save",
            {"discount_amount": Decimal("30"), "spend_threshold": Decimal("200")},
            "200.00",
            "30.00",
        ),
        (
            "spend_save",
            {"discount_amount": Decimal("30"), "spend_threshold": Decimal("200")},
            "560.00",
            "30.00",
        ),
    ],
)
def test_discount_rules(kind, fields, spent, expected):
    shop = Merchant(name="x", category="other", discount_kind=kind, **fields)
    assert counter.discount_for(shop, Decimal(spent)) == Decimal(expected)


def test_discount_rule_in_words():
    assert (
        counter.discount_rule(Merchant(discount_kind="percent", discount_percent=Decimal("12.50")))
        == "12.5% off"
    )
    assert (
        counter.discount_rule(Merchant(discount_kind="fixed", discount_amount=Decimal("20.00")))
        == "¥20.00 off"
    )
    assert (
        counter.discount_rule(
            Merchant(
                discount_kind="spend_save",
                discount_amount=Decimal("30.00"),
                spend_threshold=Decimal("200.00"),
            )
        )
        == "¥30.00 off when spending ¥200.00 or more"
    )


# --- confinement --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/members/",
        "/unions/",
        "/calendar/",
        "/notices/",
        "/perks/cards/",
        "/perks/merchants/",
        "/admin/",
        "/aid/",
        "/cases/",
    ],
)
def test_counter_account_sees_nothing_else(counter_client, shop, url):
    assert counter_client.get(url).status_code == 404


def test_counter_account_dashboard_redirects_to_check(counter_client, shop):
    response = counter_client.get("/")
    assert response.status_code == 302 and response.url == CHECK_URL
    assert counter_client.get(reverse("password_change")).status_code == 200
    assert counter_client.get("/healthz").status_code == 200
    assert (
        counter_client.post("/i18n/setlang/", {"language": "zh-hans", "next": CHECK_URL}).status_code == 302
    )
    assert counter_client.post(reverse("logout")).status_code == 302


def test_union_chair_who_is_counter_staff_is_not_confined(client, chair_a, union_a, shop):
    shop.staff.add(chair_a)
    client.force_login(chair_a)
    assert client.get("/").status_code == 200
    assert client.get("/members/").status_code == 200
    assert client.get(CHECK_URL).status_code == 200


# --- merchant pages (federation staff) ----------------------------------------------------------


def test_merchant_pages_are_staff_only(client, chair_a, shop):
    client.force_login(chair_a)
    for url in [
        reverse("perks:merchant_list"),
        reverse("perks:merchant_create"),
        shop.get_absolute_url(),
        reverse("perks:merchant_edit", args=[shop.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("perks:merchant_staff_add", args=[shop.pk]), {"username": "chair_a"}).status_code
        == 403
    )


def test_staff_manage_a_merchant(client, staff, make_user, merchant, shop, card):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("perks:merchant_list")).status_code == 200
    response = client.post(
        reverse("perks:merchant_create"),
        {
            "name": "老百姓大药房",
            "category": "pharmacy",
            "discount": "满200减30",
            "discount_kind": "spend_save",
            "discount_amount": "30",
            "spend_threshold": "200",
            "agreement_start": "2025-01-01",
            "agreement_end": "2025-12-31",
            "is_active": "on",
        },
    )
    pharmacy = Merchant.objects.get(name="老百姓大药房")
    assert response.status_code == 302 and response.url == pharmacy.get_absolute_url()
    bad = client.post(
        reverse("perks:merchant_edit", args=[pharmacy.pk]),
        {
            "name": "老百姓大药房",
            "category": "pharmacy",
            "discount_kind": "percent",
            "agreement_start": "2025-12-31",
            "agreement_end": "2025-01-01",
        },
    )
    assert bad.status_code == 200 and "between 0 and 100" in bad.content.decode()
    assert "cannot end before it starts" in bad.content.decode()

    client.post(
        reverse("perks:merchant_branch_add", args=[pharmacy.pk]),
        {"name": "海宁店", "address": "海宁市文苑路1号"},
    )
    branch = Branch.objects.get(merchant=pharmacy)
    clerk = make_user("clerk")
    client.post(reverse("perks:merchant_staff_add", args=[pharmacy.pk]), {"username": "clerk"})
    assert list(pharmacy.staff.all()) == [clerk]
    missing = client.post(reverse("perks:merchant_staff_add", args=[pharmacy.pk]), {"username": "nobody"})
    assert missing.status_code == 400 and "No active account" in missing.content.decode()
    body = client.get(pharmacy.get_absolute_url()).content.decode()
    assert "海宁店" in body and "clerk" in body and "¥30.00 off when spending ¥200.00 or more" in body
    client.post(reverse("perks:merchant_branch_remove", args=[pharmacy.pk, branch.pk]))
    client.post(reverse("perks:merchant_staff_remove", args=[pharmacy.pk, clerk.pk]))
    assert not Branch.objects.filter(merchant=pharmacy).exists() and not pharmacy.staff.exists()

    counter.check(by=merchant, merchant=shop, entered=card.number)
    detail = client.get(shop.get_absolute_url()).content.decode()
    assert card.number in detail and "Valid" in detail


# --- the agreement reminder ---------------------------------------------------------------------


def test_agreement_reminder_is_sent_once_per_end_date(staff, finance_staff, chair_a, shop):
    Merchant.objects.filter(pk=shop.pk).update(agreement_end=TODAY + datetime.timedelta(days=20))
    Merchant.objects.create(name="远期", category="other", agreement_end=TODAY + datetime.timedelta(days=90))
    Merchant.objects.create(
        name="停用", category="other", is_active=False, agreement_end=TODAY + datetime.timedelta(days=5)
    )
    assert counter.remind_agreements_ending(today=TODAY) == 2  # staff and finance staff, for 联华超市 only
    assert counter.remind_agreements_ending(today=TODAY) == 0
    assert not Notice.objects.filter(user=chair_a).exists()
    notice = Notice.objects.get(user=staff)
    assert "联华超市" in notice.title and notice.url == shop.get_absolute_url()
    # Renewed, then ending again: a new end date is a new reminder.
    Merchant.objects.filter(pk=shop.pk).update(agreement_end=TODAY + datetime.timedelta(days=25))
    assert counter.remind_agreements_ending(today=TODAY) == 2


def test_discount_hint_follows_the_rule(counter_client, shop):
    body = counter_client.get(reverse("perks:counter_discount"), {"amount_spent": "88"}).content.decode()
    assert "¥8.80 off" in body
    assert (
        "¥0.00 off"
        in counter_client.get(reverse("perks:counter_discount"), {"amount_spent": "x"}).content.decode()
    )


def test_check_page_renders_in_chinese(client, merchant, shop, card):
    client.force_login(merchant)
    response = client.post(CHECK_URL, {"number": card.number})
    assert response.status_code == 200 and "王*明" in response.content.decode()


# --- issue 19: what a typo looks like at the counter ----------------------------------------------


@pytest.mark.parametrize(
    "entered, reason, detail",
    [
        ("bad_digit", "bad_check_digit", "a digit was probably mistyped"),
        ("8860 0000 0000 001", "bad_length", "A card number has 16 digits"),
        ("8860000000000000017", "bad_length", "A card number has 16 digits"),
        ("8860-0000-abcd-0017", "bad_characters", "A card number has digits only"),
        ("unknown", "unknown", "No card has this number"),
    ],
)
def test_each_typo_says_what_to_fix_and_keeps_the_number(counter_client, shop, card, entered, reason, detail):
    if entered == "bad_digit":
        entered = card_services.group_number(_bad_check_digit(card.number))
    elif entered == "unknown":
        entered = _unissued_number(card)
    response = counter_client.post(CHECK_URL, {"number": entered})
    body = response.content.decode()
    assert response.status_code == 200
    assert detail in body and "refused" in body
    assert ("Not a card number" in body) == (reason != "unknown")
    # The number goes back into the field (grouped in fours when it is all digits) to be corrected.
    digits = "".join(entered.split())
    kept = card_services.group_number(digits) if card_services.is_digits(digits) else digits
    assert f'value="{kept}"' in body
    # Logged as before: the finer reason is for the counter, the log keeps its one word.
    assert CardCheck.objects.get().result == ("unknown" if reason == "unknown" else "bad_number")
    assert counter.check(by=shop.staff.get(), merchant=shop, entered=entered).reason == reason


def test_check_digit_message_is_distinct_from_the_others(merchant, shop, card):
    results = {
        counter.check(by=merchant, merchant=shop, entered=entered).detail
        for entered in [_bad_check_digit(card.number), "123", "12ab", _unissued_number(card)]
    }
    assert len(results) == 4 and "" not in results


def test_check_digit_message_in_chinese(client, merchant, shop, card):
    client.force_login(merchant)
    body = client.post(CHECK_URL, {"number": _bad_check_digit(card.number)}).content.decode()
    assert "不是有效卡号" in body and "校验位不符，可能有一位数字输错" in body


def test_a_valid_card_leaves_a_fresh_field_and_a_refused_one_learns_nothing(
    counter_client, staff, shop, card
):
    body = counter_client.post(CHECK_URL, {"number": card.number}).content.decode()
    assert (
        f'value="{card.number}"' not in body
        and f'value="{card_services.group_number(card.number)}"' not in body
    )
    card_services.report_lost(by=staff, card=card)
    body = counter_client.post(CHECK_URL, {"number": card.number}).content.decode()
    assert "Card reported lost" in body and "王*明" not in body and "王小明" not in body
    assert 'value="' + card.number not in body  # not a typo: nothing to correct


def test_number_typed_in_groups_of_four_is_checked(counter_client, shop, card):
    spaced = "  " + card_services.group_number(card.number) + " \t"
    response = counter_client.post(CHECK_URL, {"number": spaced})
    assert "Valid" in response.content.decode()
    assert CardCheck.objects.get().entered == card.number  # the form drops the spaces


def test_check_form_strips_grouping_spaces():
    from perks.forms import CheckForm

    form = CheckForm({"number": "8860 0000 0000 0017"})
    assert form.is_valid() and form.cleaned_data["number"] == "8860000000000017"


@pytest.mark.parametrize(
    "hostile",
    ['"><script>alert(1)</script>', "x" * 500, "８８６０\u00000000", "' OR 1=1 --", "\u202e1234"],
)
def test_hostile_numbers_are_refused_and_escaped(counter_client, shop, card, hostile):
    response = counter_client.post(CHECK_URL, {"number": hostile})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in body
    assert "王*明" not in body


def test_the_field_fits_a_phone_and_offers_the_scanner(counter_client, shop):
    body = counter_client.get(CHECK_URL).content.decode()
    assert 'inputmode="numeric"' in body and 'class="bignumber"' in body
    assert "data-counter-scan" in body and "js/counter-scan.js" in body and "vendor/jsqr/jsQR.js" in body
    assert "<script>" not in body  # no inline script (CSP)


def test_outsider_and_chair_cannot_reach_the_counter(client, chair_a, make_user, shop):
    client.force_login(chair_a)
    assert client.post(CHECK_URL, {"number": "8860000000000017"}).status_code == 403
    client.force_login(make_user("nobody"))
    assert client.post(CHECK_URL, {"number": "8860000000000017"}).status_code == 403
    assert not CardCheck.objects.exists()
