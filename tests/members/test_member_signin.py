"""Signing in to the member area with a mobile number and a code (issue 22)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Member, PrivacyConsent
from members.services import member_signin
from tests.factories import code_from_sms_log, make_id
from unionhub import phone_codes
from unionhub.models import PhoneCode
from unionhub.notify.models import Delivery

SENT = "如该手机号已登记，验证码已发送"


pytestmark = pytest.mark.usefixtures("fresh_limits")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Ask for a code on the login page; the text goes out once the request's transaction commits."""

    def _ask(client_, phone, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client_.post(reverse("member_area:login"), {"phone": phone, **extra}, follow=True)

    return _ask


def test_a_member_signs_in_with_the_code_from_the_sms_log(client, member_a, sms_log, ask):
    response = ask(client, member_a.phone)
    assert SENT in response.content.decode()
    code = code_from_sms_log(sms_log, member_a.phone)
    response = client.post(reverse("member_area:code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("member_area:home")
    # First sign-in: the privacy notice, then home.
    response = client.get(response["Location"])
    assert response.status_code == 302 and reverse("member_area:privacy") in response["Location"]
    response = client.post(response["Location"], {"accept": "yes"})
    assert response.status_code == 302
    response = client.get(reverse("member_area:home"))
    assert response.status_code == 200 and member_a.name in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.user is not None and not member_a.user.has_usable_password()
    consent = PrivacyConsent.objects.get(user=member_a.user)
    assert consent.version and consent.accepted_at
    # The session lasts 30 days.
    assert client.session.get_expiry_age() == pytest.approx(30 * 86400, abs=5)


def test_the_delivery_log_keeps_the_code_hidden(client, member_a, sms_log, ask):
    ask(client, member_a.phone)
    code = code_from_sms_log(sms_log, member_a.phone)
    delivery = Delivery.objects.get(kind="signin_code")
    assert code not in delivery.text and delivery.status == Delivery.Status.SENT
    assert member_a.phone not in delivery.target
    stored = PhoneCode.objects.get()
    assert code not in (stored.code_hash, stored.phone_hash)


def test_an_unknown_number_gets_the_same_answer_and_no_text(client, member_a, sms_log, ask):
    known = ask(client, member_a.phone)
    unknown = ask(client, "13999999999")
    assert SENT in unknown.content.decode()
    assert known.redirect_chain == unknown.redirect_chain
    assert "13999999999" not in (sms_log.read_text() if sms_log.exists() else "")
    assert not PhoneCode.objects.exclude(phone_hash=PhoneCode.objects.first().phone_hash).exists()


def test_a_code_expires_after_five_minutes(client, member_a, sms_log, monkeypatch, ask):
    ask(client, member_a.phone)
    code = code_from_sms_log(sms_log, member_a.phone)
    later = timezone.now() + datetime.timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post(reverse("member_area:code"), {"code": code})
    assert response.status_code == 200 and "验证码错误或已过期" in response.content.decode()


def test_a_code_is_used_once(client, member_a, sms_log, ask):
    ask(client, member_a.phone)
    code = code_from_sms_log(sms_log, member_a.phone)
    assert member_signin.sign_in_with_code(phone=member_a.phone, code=code, remote_addr="10.0.0.1")
    assert member_signin.sign_in_with_code(phone=member_a.phone, code=code, remote_addr="10.0.0.1") is None


def test_a_newer_code_voids_the_older(member_a, settings):
    settings.PHONE_CODE_INTERVAL_SECONDS = 0
    first = phone_codes.issue_code(purpose="member", phone=member_a.phone)
    second = phone_codes.issue_code(purpose="member", phone=member_a.phone)
    if first != second:
        assert not phone_codes.redeem_code(purpose="member", phone=member_a.phone, code=first)
    assert phone_codes.redeem_code(purpose="member", phone=member_a.phone, code=second)


def test_five_wrong_codes_void_the_code(member_a):
    code = phone_codes.issue_code(purpose="member", phone=member_a.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(phone_codes.MAX_WRONG_TRIES):
        assert not phone_codes.redeem_code(purpose="member", phone=member_a.phone, code=wrong)
    assert not phone_codes.redeem_code(purpose="member", phone=member_a.phone, code=code)


def test_one_code_a_minute_per_number(client, member_a, sms_log, ask):
    ask(client, member_a.phone)
    response = ask(client, member_a.phone)
    assert "请在" in response.content.decode() and "后再试" in response.content.decode()
    assert PhoneCode.objects.count() == 1


def test_codes_per_number_are_limited_known_or_not(settings, member_a):
    settings.PHONE_CODE_INTERVAL_SECONDS = 0
    for phone in (member_a.phone, "13999999999"):
        for _ in range(settings.PHONE_CODES_PER_HOUR):
            member_signin.request_code(phone=phone, remote_addr=f"10.0.0.{len(phone)}")
        with pytest.raises(phone_codes.Throttled):
            member_signin.request_code(phone=phone, remote_addr="10.9.9.9")


def test_codes_per_address_are_limited(db, settings):
    settings.PHONE_CODES_PER_ADDRESS_HOUR = 3
    for n in range(3):
        member_signin.request_code(phone=f"1390000000{n}", remote_addr="10.1.1.1")
    with pytest.raises(phone_codes.Throttled):
        member_signin.request_code(phone="13900000009", remote_addr="10.1.1.1")


def test_wrong_tries_per_number_are_limited(settings, member_a):
    settings.PHONE_CODE_TRIES_PER_HOUR = 3
    phone_codes.issue_code(purpose="member", phone=member_a.phone)
    for _ in range(3):
        member_signin.sign_in_with_code(phone=member_a.phone, code="999999x", remote_addr="10.0.0.2")
    with pytest.raises(phone_codes.Throttled):
        member_signin.sign_in_with_code(phone=member_a.phone, code="123456", remote_addr="10.0.0.3")


@pytest.mark.parametrize(
    "phone", ["", "1381234567", "23812345678", "１３８１２３４５６７８９", "<script>", "13812345678" * 30]
)
def test_a_malformed_number_is_refused_in_words(client, db, phone):
    response = client.post(reverse("member_area:login"), {"phone": phone})
    assert response.status_code == 200
    assert 'class="m-error"' in response.content.decode()
    assert not PhoneCode.objects.exists()


def test_full_width_digits_and_plus86_are_understood(member_a):
    assert member_signin.clean_mobile("+86 １３８-1234-5678") == "13812345678"


def test_a_number_shared_by_two_people_cannot_sign_in(client, member_a, register, enterprise_a, sms_log, ask):
    register(enterprise_a, name="王小华", id_number=make_id("19900101"), phone=member_a.phone)
    ask(client, member_a.phone)
    code = code_from_sms_log(sms_log, member_a.phone)
    response = client.post(reverse("member_area:code"), {"code": code})
    assert response.status_code == 200 and "请工会主席核对" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_member_who_has_left_gets_no_code(client, member_a, sms_log, ask):
    Member.objects.filter(pk=member_a.pk).update(status=Member.Status.WITHDRAWN)
    response = ask(client, member_a.phone)
    assert SENT in response.content.decode()
    assert not sms_log.exists() or member_a.phone not in sms_log.read_text()


def test_sign_out_on_every_device(member_a, member_client):
    phone_one = member_client(member_a, into=Client())
    phone_two = member_client(member_a, into=Client())
    assert phone_two.get(reverse("member_area:home")).status_code == 200
    response = phone_one.post(reverse("member_area:logout_everywhere"))
    assert response.status_code == 302
    assert phone_two.get(reverse("member_area:home")).status_code == 302
    assert phone_one.get(reverse("member_area:home")).status_code == 302


def test_a_code_session_reaches_only_the_member_area(member_client, chair_a, member_a, union_a):
    # The chair is also a member, signed in with a code: the chair's pages are not open to that session.
    Member.objects.filter(pk=member_a.pk).update(user=chair_a)
    member_a.refresh_from_db()
    client = member_client(member_a)
    assert client.get(reverse("members:union_detail", args=[union_a.pk])).status_code == 302
    assert client.get(reverse("member_area:home")).status_code == 200
    assert client.get("/complaint/").status_code == 200


def test_first_sign_in_asks_for_consent(member_client, member_a):
    client = member_client(member_a, consent=False)
    response = client.get(reverse("member_area:membership"))
    assert response.status_code == 302 and reverse("member_area:privacy") in response["Location"]
    refused = client.post(reverse("member_area:privacy"), {})
    assert refused.status_code == 200 and not PrivacyConsent.objects.exists()


def test_the_login_follows_a_transferred_member(member_client, member_a, register, enterprise_b):
    client = member_client(member_a)
    Member.objects.filter(pk=member_a.pk).update(status=Member.Status.TRANSFERRED_OUT)
    moved = register(enterprise_b, name=member_a.name, id_number=member_a.id_number, phone=member_a.phone)
    response = client.get(reverse("member_area:membership"))
    assert response.status_code == 200 and moved.union.name in response.content.decode()
    moved.refresh_from_db()
    assert moved.user == client.member_user


def test_the_chair_confirms_a_members_mobile(client, chair_a, chair_b, member_a):
    url = reverse("members:member_confirm_phone", args=[member_a.pk])
    client.force_login(chair_b)
    assert client.post(url, {"phone": "13911112222"}).status_code == 404
    client.force_login(chair_a)
    client.post(url, {"phone": "１３９ 1111 2222"})
    member_a.refresh_from_db()
    assert member_a.phone == "13911112222"
    client.post(url, {"phone": "abc"})
    member_a.refresh_from_db()
    assert member_a.phone == "13911112222"


def test_a_members_messages_are_their_own(member_client, member_a, member_b):
    from unionhub.notices import notify

    notify(user=member_client(member_a).member_user, key="t:1", title="申请已退回", url="/m/applications/1/")
    client_b = member_client(member_b, into=Client())
    assert "申请已退回" not in client_b.get(reverse("member_area:messages")).content.decode()
    client_a = member_client(member_a, into=Client())
    home = client_a.get(reverse("member_area:home")).content.decode()
    assert "1 条新消息" in home
    page = client_a.get(reverse("member_area:messages")).content.decode()
    assert "申请已退回" in page and 'href="/m/applications/1/"' in page


def test_the_code_may_also_be_posted_to_the_login_address(client, member_a, sms_log, ask):
    """/m/login/ takes the number, then the code — on the code page, or posted back to /m/login/ itself (with
    the number under either name)."""
    ask(client, member_a.phone)
    code = code_from_sms_log(sms_log, member_a.phone)
    response = client.post(reverse("member_area:login"), {"mobile": member_a.phone, "code": code})
    assert response.status_code == 302 and response["Location"] == reverse("member_area:home")
    assert client.session.get("_auth_user_id")


def test_a_wrong_code_posted_to_the_login_address_is_refused(client, member_a, sms_log, ask):
    ask(client, member_a.phone)
    response = client.post(reverse("member_area:login"), {"phone": member_a.phone, "code": "12345x"})
    assert response.status_code == 200 and "验证码错误或已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_codes_older_than_a_day_are_purged(member_a):
    from unionhub.tasks import purge_phone_codes

    phone_codes.issue_code(purpose="member", phone=member_a.phone)
    PhoneCode.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    phone_codes.issue_code(purpose="member", phone="13900000001")
    assert purge_phone_codes() == 1
    assert PhoneCode.objects.count() == 1
