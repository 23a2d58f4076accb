"""Discount cards: numbers and their check digit, issuing, the command, the card's life, access,
the list's query count and the printable sheet."""

import datetime
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from stdnum import luhn

from members import services as member_services
from members.models import Member, MembershipEvent
from perks.models import Card, CardBatch
from perks.services import cards
from perks.services.sheets import render_sheet
from tests.factories import TODAY, make_id

pytestmark = pytest.mark.usefixtures("english")


def english_client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- numbers ---------------------------------------------------------------------------------------


def test_card_number_has_prefix_sequence_and_luhn_digit():
    number = cards.card_number(1)
    assert len(number) == 16
    assert number.startswith("8860" + "0" * 10 + "1")
    assert luhn.is_valid(number)
    assert cards.card_number(12345678901)[4:15] == "12345678901"


def test_card_number_refuses_a_sequence_that_does_not_fit():
    with pytest.raises(ValueError):
        cards.card_number(10**11)
    with pytest.raises(ValueError):
        cards.card_number(0)


@pytest.mark.parametrize("text", ["{n}", "{g}", "{d}", " {n} ", "{w}"])
def test_valid_number_normalises(text):
    number = cards.card_number(42)
    grouped = cards.group_number(number)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in number)
    entered = text.format(n=number, g=grouped, d=grouped.replace(" ", "-"), w=full_width)
    assert cards.valid_number(entered) == number


def test_valid_number_rejects_bad_input():
    number = cards.card_number(42)
    wrong_digit = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert cards.valid_number(wrong_digit) is None
    assert cards.valid_number(number[:-1]) is None
    assert cards.valid_number(number + "0") is None
    assert cards.valid_number("8860abcd00000424") is None
    assert cards.valid_number("") is None
    assert cards.valid_number(None) is None


# --- issuing ---------------------------------------------------------------------------------------


@pytest.fixture
def ended_member(register, enterprise_a, staff):
    member = register(enterprise_a, name="赵离开", id_number=make_id("19850303"))
    return member_services.change_membership_status(
        by=staff, member=member, kind=MembershipEvent.Kind.WITHDREW, on=TODAY
    )


def test_issue_cards_gives_every_active_member_one_card(staff, member_a, member_b, ended_member):
    batch = cards.issue_cards(by=staff)
    assert batch.count == 2 and batch.union is None and batch.created_by == staff
    issued = Card.objects.filter(batch=batch)
    assert {card.member_id for card in issued} == {member_a.pk, member_b.pk}
    assert all(luhn.is_valid(card.number) and card.status == Card.Status.ACTIVE for card in issued)
    assert not Card.objects.filter(member=ended_member).exists()

    again = cards.issue_cards(by=staff)
    assert again.count == 0
    assert Card.objects.count() == 2


def test_issue_cards_for_one_union_and_numbers_continue(staff, union_a, member_a, member_b):
    first = cards.issue_cards(by=staff, union=union_a)
    assert list(Card.objects.filter(batch=first).values_list("member_id", flat=True)) == [member_a.pk]
    second = cards.issue_cards(by=staff)
    assert second.count == 1
    numbers = sorted(Card.objects.values_list("number", flat=True))
    assert [int(n[4:15]) for n in numbers] == [1, 2]


def test_a_second_active_card_is_refused(staff, member_a):
    card = cards.issue_card(by=staff, member=member_a)
    with pytest.raises(ValidationError, match="already holds an active card"):
        cards.issue_card(by=staff, member=member_a)
    # The database constraint is the backstop.
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.create(
            number=cards.card_number(99),
            member=member_a,
            status="active",
            issued_on=TODAY,
            status_changed_on=TODAY,
        )
    assert Card.objects.get(member=member_a, status="active") == card


def test_no_card_for_an_ended_membership(staff, ended_member):
    with pytest.raises(ValidationError, match="not an active member"):
        cards.issue_card(by=staff, member=ended_member)


# --- the command -----------------------------------------------------------------------------------


def test_command_issues_then_issues_nothing(union_a, member_a, member_b):
    out = StringIO()
    call_command("issue_cards", "--union", "HN001", stdout=out)
    assert out.getvalue().strip() == "issued: 1"
    out = StringIO()
    call_command("issue_cards", "--union", "HN001", stdout=out)
    assert out.getvalue().strip() == "issued: 0"
    out = StringIO()
    call_command("issue_cards", "--all", stdout=out)
    assert out.getvalue().strip() == "issued: 1"


def test_command_unknown_union_exits_2(db):
    with pytest.raises(CommandError, match="NOPE") as error:
        call_command("issue_cards", "--union", "NOPE")
    assert error.value.returncode == 2


def test_command_unknown_union_prints_no_traceback(db, capsys):
    # As an operator runs it (manage.py's entry point, in process so that it uses the test database):
    # a plain message and exit status 2.
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "issue_cards", "--union", "NO-SUCH-CODE"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "NO-SUCH-CODE" in err and "Traceback" not in err


# --- the card's life -------------------------------------------------------------------------------


def test_lost_then_replaced_keeps_history(staff, member_a):
    card = cards.issue_card(by=staff, member=member_a)
    card = cards.report_lost(by=staff, card=card)
    assert card.status == Card.Status.LOST
    new = cards.replace(by=staff, card=card)
    card.refresh_from_db()
    assert card.status == Card.Status.LOST and card.replaced_by == new
    assert new.status == Card.Status.ACTIVE and new.number != card.number and new.replaces == card
    with pytest.raises(ValidationError):
        cards.replace(by=staff, card=card)
    with pytest.raises(ValidationError):
        cards.report_lost(by=staff, card=card)


def test_replacing_an_active_card(staff, member_a):
    card = cards.issue_card(by=staff, member=member_a)
    new = cards.replace(by=staff, card=card)
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED and card.replaced_by == new
    assert Card.objects.filter(member=member_a, status="active").get() == new


def test_cancel_needs_a_reason(staff, member_a):
    card = cards.issue_card(by=staff, member=member_a)
    with pytest.raises(ValidationError, match="Say why"):
        cards.cancel(by=staff, card=card, reason="  ")
    card = cards.cancel(by=staff, card=card, reason="issued in error")
    assert card.status == Card.Status.CANCELLED and card.note == "issued in error"
    with pytest.raises(ValidationError):
        cards.cancel(by=staff, card=card, reason="again")


def test_card_cancelled_when_membership_ends(staff, member_a, member_b):
    cards.issue_cards(by=staff)
    member_services.change_membership_status(
        by=staff, member=member_a, kind=MembershipEvent.Kind.TRANSFERRED_OUT, on=TODAY
    )
    card_a = Card.objects.get(member=member_a)
    assert card_a.status == Card.Status.CANCELLED and card_a.status_changed_on == TODAY
    assert Card.objects.get(member=member_b).status == Card.Status.ACTIVE


def test_retained_membership_keeps_its_card(staff, member_a):
    cards.issue_cards(by=staff)
    member_services.change_membership_status(
        by=staff, member=member_a, kind=MembershipEvent.Kind.RETAINED, on=TODAY
    )
    assert Card.objects.get(member=member_a).status == Card.Status.ACTIVE


def test_daily_sweep_catches_changes_made_without_signals(staff, member_a, member_b):
    cards.issue_cards(by=staff)
    Member.objects.filter(pk=member_b.pk).update(status=Member.Status.STRUCK_OFF)  # no signal
    assert cards.cancel_for_ended_memberships() == 1
    assert Card.objects.get(member=member_b).status == Card.Status.CANCELLED
    assert cards.cancel_for_ended_memberships() == 0


# --- pages and access ------------------------------------------------------------------------------


@pytest.fixture
def card_a(staff, member_a):
    return cards.issue_card(by=staff, member=member_a)


@pytest.fixture
def card_b(staff, member_b):
    return cards.issue_card(by=staff, member=member_b)


def test_chair_sees_own_union_cards_only(client, chair_a, card_a, card_b):
    client = english_client(client, chair_a)
    page = client.get(reverse("perks:card_list")).content.decode()
    assert card_a.number in page and card_b.number not in page
    assert client.get(reverse("perks:card_detail", args=[card_a.pk])).status_code == 200
    assert client.get(reverse("perks:card_detail", args=[card_b.pk])).status_code == 404
    assert client.post(reverse("perks:card_report_lost", args=[card_b.pk])).status_code == 404
    card_b.refresh_from_db()
    assert card_b.status == Card.Status.ACTIVE


def test_card_list_search_and_filters(client, staff, card_a, card_b, union_b):
    client = english_client(client, staff)
    url = reverse("perks:card_list")
    page = client.get(url, {"q": cards.group_number(card_a.number)}).content.decode()
    assert card_a.number in page and card_b.number not in page
    page = client.get(url, {"q": "李小红"}).content.decode()
    assert card_b.number in page and card_a.number not in page
    page = client.get(url, {"union": union_b.pk}).content.decode()
    assert card_b.number in page and card_a.number not in page
    cards.report_lost(by=staff, card=card_a)
    page = client.get(url, {"status": "lost"}).content.decode()
    assert card_a.number in page and card_b.number not in page


def test_card_list_query_count_does_not_grow(client, staff, register, enterprise_a):
    client = english_client(client, staff)
    register(enterprise_a, name="甲一", id_number=make_id("19910101"))
    cards.issue_cards(by=staff)
    url = reverse("perks:card_list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(8):
        register(enterprise_a, name=f"甲{i}号", id_number=make_id(f"1992010{i + 1}"))
    cards.issue_cards(by=staff)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert Card.objects.count() == 9
    assert len(many) == len(few)


def test_chair_issues_for_own_union_only(client, chair_a, union_a, union_b, member_a, member_b):
    client = english_client(client, chair_a)
    url = reverse("perks:card_issue")
    assert client.post(url, {"union": union_b.pk}).status_code == 404
    assert client.post(url, {"union": 999999}).status_code == 404
    assert not Card.objects.exists()
    response = client.post(url, {"union": union_a.pk}, follow=True)
    assert "1 cards issued" in response.content.decode()
    # A double submit finds nobody left to issue to.
    client.post(url, {"union": union_a.pk})
    assert Card.objects.count() == 1 and Card.objects.get().member == member_a
    # A chair cannot issue to the whole district.
    assert client.post(url, {}).status_code == 200
    assert Card.objects.count() == 1


def test_staff_issues_for_the_district(client, staff, member_a, member_b):
    client = english_client(client, staff)
    client.post(reverse("perks:card_issue"), {"union": ""})
    assert Card.objects.count() == 2
    batch = CardBatch.objects.get(count=2)
    assert client.get(reverse("perks:batch_list")).status_code == 200
    assert batch.union is None


def test_chair_cannot_see_a_district_batch(client, staff, chair_a, member_a):
    batch = cards.issue_cards(by=staff)
    client.force_login(chair_a)
    assert client.get(reverse("perks:batch_sheet", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "merchant"])
def test_outsiders_and_merchants_are_kept_out(client, request, who, card_a, union_a):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("perks:card_detail", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("perks:card_list")).status_code in (403, 404)
    assert client.post(reverse("perks:card_issue"), {"union": union_a.pk}).status_code in (403, 404)
    assert client.post(reverse("perks:card_cancel", args=[card_a.pk]), {"reason": "x"}).status_code == 404
    card_a.refresh_from_db()
    assert card_a.status == Card.Status.ACTIVE


def test_actions_through_the_page(client, chair_a, card_a):
    client = english_client(client, chair_a)
    client.post(reverse("perks:card_report_lost", args=[card_a.pk]))
    response = client.post(reverse("perks:card_replace", args=[card_a.pk]), follow=True)
    new = Card.objects.get(member=card_a.member, status="active")
    page = response.content.decode()
    assert new.number in page and card_a.number in page  # the new card's page shows the chain
    response = client.post(reverse("perks:card_cancel", args=[new.pk]), {"reason": ""}, follow=True)
    assert "Say why" in response.content.decode()
    client.post(reverse("perks:card_cancel", args=[new.pk]), {"reason": "left the company"})
    new.refresh_from_db()
    assert new.status == Card.Status.CANCELLED


def test_my_card(client, make_user, member_a, card_a, outsider):
    user = make_user("wang")
    Member.objects.filter(pk=member_a.pk).update(user=user)
    client = english_client(client, user)
    page = client.get(reverse("perks:my_card")).content.decode()
    assert card_a.number in page
    client = english_client(client, outsider)
    response = client.get(reverse("perks:my_card"))
    assert response.status_code == 200
    assert "not linked to a membership" in response.content.decode()


# --- the printable sheet ---------------------------------------------------------------------------


def test_sheet_renders_card_numbers(staff, member_a, member_b, tmp_path):
    batch = cards.issue_cards(by=staff, on=datetime.date(2026, 3, 1))
    render_sheet(batch)
    batch.refresh_from_db()
    assert batch.sheet.name.endswith(".pdf")
    text = subprocess.run(
        ["/usr/bin/pdftotext", batch.sheet.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    number = Card.objects.filter(member=member_a).get().number
    assert cards.group_number(number) in text
    assert "王小明" in text


def test_sheet_download_renders_on_demand(client, chair_a, union_a, member_a):
    batch = cards.issue_cards(by=chair_a, union=union_a)
    client.force_login(chair_a)
    response = client.get(reverse("perks:batch_sheet", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_empty_batch_renders(staff):
    batch = cards.issue_cards(by=staff)
    assert batch.count == 0
    render_sheet(batch)
