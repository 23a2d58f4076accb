"""One-time sign-in links: issued by organisation staff (never for staff accounts unless by a superuser),
good once, for SIGNIN_LINK_DAYS days; opening one changes nothing, submitting a password spends it."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_staff
from unionhub import signin_links
from unionhub.duties import FINANCE
from unionhub.models import SignInLink

NEW_PASSWORD = "Xh7#union-chair-2026"


@pytest.fixture
def newcomer(make_user):
    user = make_user("newchair", name="陈新")
    user.set_unusable_password()
    user.save()
    return user


def _post(client, issued, password=NEW_PASSWORD, again=None):
    return client.post(issued.path, {"new_password1": password, "new_password2": again or password})


def test_staff_issue_a_link_and_the_person_sets_their_password(client, staff, newcomer):
    issued = signin_links.issue_signin_link(user=newcomer, by=staff, purpose=SignInLink.Purpose.FIRST)
    assert issued.link.token_hash == signin_links.digest(issued.token)
    assert issued.token not in issued.link.token_hash
    assert issued.link.expires_at - issued.link.issued_at == datetime.timedelta(days=7)

    page = client.get(issued.path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    assert "newchair" in page.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password(), "opening the link must change nothing"

    response = _post(client, issued)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert client.get(reverse("dashboard")).wsgi_request.user == newcomer
    issued.link.refresh_from_db()
    assert issued.link.used_at is not None
    assert LogEntry.objects.get_for_object(issued.link).exists()


def test_a_link_works_once_double_submit_included(client, staff, newcomer):
    issued = signin_links.issue_signin_link(user=newcomer, by=staff)
    assert _post(client, issued).status_code == 302
    client.logout()
    again = _post(client, issued, password="Another#pass-2026")
    assert again.status_code == 404
    assert "此链接已失效" in again.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_a_link_expires_after_seven_days(client, staff, newcomer):
    issued = signin_links.issue_signin_link(user=newcomer, by=staff)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1)):
        assert client.get(issued.path).status_code == 404
        assert _post(client, issued).status_code == 404
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_new_link_withdraws_the_older_one(client, staff, newcomer):
    first = signin_links.issue_signin_link(user=newcomer, by=staff)
    second = signin_links.issue_signin_link(user=newcomer, by=staff)
    assert client.get(first.path).status_code == 404
    assert client.get(second.path).status_code == 200
    assert signin_links.withdraw_signin_links(user=newcomer, by=staff) == 1
    assert client.get(second.path).status_code == 404


def test_weak_or_mismatched_passwords_keep_the_link_open(client, staff, newcomer):
    issued = signin_links.issue_signin_link(user=newcomer, by=staff)
    weak = _post(client, issued, password="123")
    assert weak.status_code == 200
    mismatch = _post(client, issued, again="Different#pass-2026")
    assert mismatch.status_code == 200
    issued.link.refresh_from_db()
    assert issued.link.used_at is None
    assert _post(client, issued).status_code == 302


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "%00", "a" * 5000, "../../etc/passwd"])
def test_forged_tokens_answer_404(db, client, token):
    url = "/accounts/welcome/" + token + "/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 404


def test_who_may_issue(staff, newcomer, chair_a, outsider, make_user):
    finance = make_staff("finance2", FINANCE)
    for by in (finance, chair_a, outsider):
        with pytest.raises(PermissionDenied):
            signin_links.issue_signin_link(user=newcomer, by=by)
    # A duty holder cannot take over a colleague's or the administrator's account.
    colleague = make_staff("colleague", FINANCE)
    admin = make_user("root", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        signin_links.issue_signin_link(user=colleague, by=staff)
    with pytest.raises(PermissionDenied):
        signin_links.issue_signin_link(user=admin, by=staff)
    assert signin_links.issue_signin_link(user=colleague, by=admin).link.user == colleague
    assert not SignInLink.objects.filter(user__in=[newcomer, admin]).exists()


def test_a_deactivated_account_cannot_use_its_link(client, staff, newcomer):
    issued = signin_links.issue_signin_link(user=newcomer, by=staff)
    newcomer.is_active = False
    newcomer.save()
    assert client.get(issued.path).status_code == 404
    with pytest.raises(signin_links.LinkSpent):
        signin_links.redeem_signin_link(token=issued.token, password=NEW_PASSWORD)


def test_someone_signed_in_opening_another_persons_link_is_switched(client, staff, newcomer, chair_a):
    issued = signin_links.issue_signin_link(user=newcomer, by=staff)
    client.force_login(chair_a)
    assert _post(client, issued).status_code == 302
    assert client.get(reverse("dashboard")).wsgi_request.user == newcomer
