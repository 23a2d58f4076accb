"""The accounts page and printable sign-in letters: organisation staff issue one-time links for the people
who sign in and are not staff, all or nothing; the letter's link works once; nobody else may."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.services import accounts as account_services
from tests.factories import make_staff
from unionhub.duties import FINANCE
from unionhub.models import SignInLink

LETTERS = reverse("members:signin_letters")
ACCOUNTS = reverse("members:accounts")
NEW_PASSWORD = "Xh7#union-chair-2026"


@pytest.fixture
def newchair(make_user, union_b):
    """A chair whose account the ledger import made: no password yet, never signed in."""
    user = make_user("13900001111", name="陈新", phone="13900001111", email="chen@example.com")
    user.set_unusable_password()
    user.save()
    union_b.chair = user
    union_b.save()
    return user


def _link_path(html: str) -> str:
    match = re.search(r"http://testserver(/accounts/welcome/[^/<\s]+/)", html)
    assert match, "the letter shows the link as text"
    return match.group(1)


def test_staff_see_non_staff_accounts_masked_with_roles_and_filter(login, staff, chair_a, union_a, newchair):
    page = login(staff).get(ACCOUNTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "chair_a" in html
    # The new chair's user name is their mobile: masked on the list as the phone is.
    assert "13900001111" not in html and "139****1111" in html
    # The next step on top: the chair without a password comes first.
    assert html.index("陈新") < html.index("张主席")
    assert "工会主席" in html  # role label
    assert ">staff<" not in html, "staff accounts are not listed"
    chair_a.last_login = timezone.now()
    chair_a.save()
    pending = login(staff).get(ACCOUNTS, {"show": "pending"}).content.decode()
    assert "陈新" in pending and "张主席" not in pending
    found = login(staff).get(ACCOUNTS, {"q": "陈新"}).content.decode()
    assert "陈新" in found and "张主席" not in found
    # hostile filters show the page
    assert login(staff).get(ACCOUNTS, {"show": "<x>", "q": "\x00" * 500}).status_code == 200


def test_a_letter_carries_a_working_link_and_qr_code(client, staff, newchair, union_b):
    client.force_login(staff)
    response = client.post(LETTERS, {"user": [newchair.pk]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert "陈新" in html and union_b.name in html and "13900001111" in html
    assert "<svg" in html and "仅可使用一次；设置密码后失效" in html
    assert "<script" not in html.split("<main")[-1] and 'style="' not in html
    link = SignInLink.objects.get(user=newchair)
    assert link.purpose == SignInLink.Purpose.FIRST and link.issued_by == staff
    assert link.expires_at.strftime("%Y-%m-%d") in html

    path = _link_path(html)
    client.logout()
    assert client.get(path).status_code == 200
    done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    newchair.refresh_from_db()
    assert newchair.check_password(NEW_PASSWORD)


def test_a_reset_link_keeps_the_old_password_until_used(login, staff, chair_a):
    html = login(staff).post(LETTERS, {"user": [chair_a.pk]}).content.decode()
    assert SignInLink.objects.get(user=chair_a).purpose == SignInLink.Purpose.RESET
    chair_a.refresh_from_db()
    assert chair_a.check_password("pw-chair_a"), "issuing a reset letter locks nobody out"
    assert "/accounts/welcome/" in html


def test_batch_is_all_or_nothing(login, staff, chair_a, newchair, make_user):
    colleague = make_user("colleague", is_staff=True)
    response = login(staff).post(LETTERS, {"user": [chair_a.pk, newchair.pk, colleague.pk]})
    assert response.status_code == 403, "a staff account's link is for superusers only"
    assert not SignInLink.objects.exists()

    response = login(staff).post(LETTERS, {"user": [chair_a.pk, newchair.pk]})
    assert response.status_code == 200
    assert response.content.decode().count('class="signin-letter"') == 2
    assert SignInLink.objects.open().count() == 2


@pytest.mark.parametrize("forged", ["999999", "abc", "-1", "99999999999999999999", ""])
def test_forged_ids_are_404_and_issue_nothing(login, staff, chair_a, forged):
    response = login(staff).post(LETTERS, {"user": [chair_a.pk, forged]})
    assert response.status_code == 404
    assert not SignInLink.objects.exists()


def test_an_empty_post_asks_for_a_choice(login, staff):
    response = login(staff).post(LETTERS, {})
    assert response.status_code == 302 and response.url == ACCOUNTS


def test_a_get_is_refused(login, staff):
    assert login(staff).get(LETTERS).status_code == 405


def test_letters_by_email(login, staff, newchair, chair_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(LETTERS, {"user": [newchair.pk, chair_a.pk], "send": "email"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chen@example.com"]
    assert "/accounts/welcome/" in mail.outbox[0].body


def test_withdraw_links(login, staff, newchair):
    login(staff).post(LETTERS, {"user": [newchair.pk]})
    response = login(staff).post(reverse("members:account_withdraw_links", args=[newchair.pk]))
    assert response.status_code == 302
    assert not SignInLink.objects.open().exists()


@pytest.mark.parametrize("who", ["finance", "chair_a", "cadre", "outsider", "assoc_chair"])
def test_others_are_refused_everywhere(request, client, who, newchair, chair_b):
    user = make_staff("finance", FINANCE) if who == "finance" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(ACCOUNTS).status_code == 403
    assert client.post(LETTERS, {"user": [newchair.pk]}).status_code == 403
    assert client.post(reverse("members:account_withdraw_links", args=[newchair.pk])).status_code == 403
    assert not SignInLink.objects.exists()
    with pytest.raises(PermissionDenied):
        account_services.issue_letters(users=[newchair], by=user)


def test_login_page_says_whom_to_ask(client):
    assert (
        "忘记密码？请联系区总工会办公室，由工作人员为您签发一次性登录链接。"
        in client.get(reverse("login")).content.decode()
    )


def test_the_page_asks_a_fixed_number_of_queries(login, staff, make_user, union_a, union_b, newchair):
    client = login(staff)
    client.get(ACCOUNTS)
    for n in range(12):
        make_user(f"extra{n}", name=f"用户{n}")
    with CaptureQueriesContext(connection) as few:
        client.get(ACCOUNTS)
    for n in range(12, 30):
        make_user(f"extra{n}", name=f"用户{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(ACCOUNTS)
    assert len(many) == len(few), "no query per person"


def test_a_huge_batch_is_refused_with_a_message(login, staff, chair_a):
    response = login(staff).post(LETTERS, {"user": [str(chair_a.pk)] * 301})
    assert response.status_code == 302 and not SignInLink.objects.exists()


def test_a_staff_accounts_links_are_for_superusers(login, staff, make_user):
    colleague = make_user("colleague", is_staff=True)
    response = login(staff).post(reverse("members:account_withdraw_links", args=[colleague.pk]))
    assert response.status_code == 403
    assert login(staff).post(reverse("members:account_withdraw_links", args=[999999])).status_code == 404
