"""SMS delivery receipts (issue 21): the providers' documented status-report pushes move a sent text to
delivered or failed, once; a wrong or unset token is 404, a bad body 400, an oversize body 413."""

import json
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from unionhub.channels import SendResult
from unionhub.models import Delivery
from unionhub.notices import notify
from unionhub.notify import receipts, transports
from unionhub.notify.kinds import EMAIL, SMS

TOKEN = "s3cret-receipt-token"

# The providers' documented examples (Alibaba Cloud SmsReport, HTTP batch push; Tencent Cloud SMS callback).
ALIYUN_EXAMPLE = [
    {
        "phone_number": "1381111****",
        "send_time": "2017-01-01 00:00:00",
        "report_time": "2017-01-01 00:00:00",
        "success": True,
        "err_code": "DELIVERED",
        "err_msg": "用户接收成功",
        "sms_size": "1",
        "biz_id": "12345",
        "out_id": "67890",
    }
]
TENCENT_EXAMPLE = [
    {
        "user_receive_time": "2015-10-17 08:03:04",
        "nationcode": "86",
        "mobile": "13xxxxxxxxx",
        "report_status": "SUCCESS",
        "errmsg": "DELIVRD",
        "description": "用户短信送达成功",
        "sid": "xxxxxxx",
    }
]


@pytest.fixture(autouse=True)
def receipt_settings(settings, tmp_path):
    settings.NOTIFY_RECEIPT_TOKEN = TOKEN
    settings.SMS_LOG_FILE = tmp_path / "sms.log"
    settings.SITE_URL = "https://union.example.cn"


def sent_text(phone_chair, capture, *, provider="aliyun", provider_id="12345", key="dues-soon:1") -> Delivery:
    """A notice texted through ``provider``, which answered ``provider_id``: its SMS delivery, sent."""
    answer = (provider, SendResult.sent(provider_id))
    with mock.patch.object(transports, "sms", return_value=answer), capture(execute=True):
        notify(user=phone_chair, key=key, title="会费即将到期", body="请上传会费表", url="/dues/1/")
    delivery = Delivery.objects.get(key=key, channel=SMS)
    assert delivery.status == "sent" and delivery.provider == provider
    return delivery


def push(client, provider, body, token=TOKEN):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    url = reverse(f"notify_receipt_{provider}", args=[token])
    return client.post(url, data, content_type="application/json")


def snapshot():
    return list(Delivery.objects.order_by("pk").values())


def test_the_documented_aliyun_report_delivers_a_sent_text(
    client, phone_chair, django_capture_on_commit_callbacks
):
    delivery = sent_text(phone_chair, django_capture_on_commit_callbacks)
    answer = push(client, "aliyun", ALIYUN_EXAMPLE)
    assert answer.status_code == 200
    assert answer.json() == {"code": 0, "msg": "成功"}
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert timezone.localtime(delivery.delivered_at).isoformat() == "2017-01-01T00:00:00+08:00"


def test_the_documented_tencent_report_delivers_a_sent_text(
    client, phone_chair, django_capture_on_commit_callbacks
):
    delivery = sent_text(
        phone_chair, django_capture_on_commit_callbacks, provider="tencent", provider_id="xxxxxxx"
    )
    answer = push(client, "tencent", TENCENT_EXAMPLE)
    assert answer.status_code == 200
    assert answer.json() == {"result": 0, "errmsg": "OK"}
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert timezone.localtime(delivery.delivered_at).isoformat() == "2015-10-17T08:03:04+08:00"


def test_a_failure_report_records_the_providers_code_and_words(
    client, phone_chair, django_capture_on_commit_callbacks
):
    aliyun = sent_text(phone_chair, django_capture_on_commit_callbacks)
    tencent = sent_text(
        phone_chair,
        django_capture_on_commit_callbacks,
        provider="tencent",
        provider_id="t-9",
        key="dues-soon:2",
    )
    failed = [{**ALIYUN_EXAMPLE[0], "success": False, "err_code": "MK:0012", "err_msg": "空号"}]
    assert push(client, "aliyun", failed).status_code == 200
    report = {**TENCENT_EXAMPLE[0], "sid": "t-9", "report_status": "FAIL", "errmsg": "MN:0001"}
    assert push(client, "tencent", [{**report, "description": "用户关机"}]).status_code == 200
    aliyun.refresh_from_db()
    tencent.refresh_from_db()
    assert (aliyun.status, aliyun.error_code, aliyun.error_message) == ("failed", "MK:0012", "空号")
    assert (tencent.status, tencent.error_code, tencent.error_message) == ("failed", "MN:0001", "用户关机")
    assert aliyun.delivered_at is None and tencent.delivered_at is None


def test_a_report_pushed_twice_changes_nothing_the_second_time(
    client, phone_chair, django_capture_on_commit_callbacks
):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    assert push(client, "aliyun", ALIYUN_EXAMPLE).status_code == 200
    before = snapshot()
    late = [{**ALIYUN_EXAMPLE[0], "success": False, "err_code": "X", "report_time": "2017-01-02 00:00:00"}]
    for body in (ALIYUN_EXAMPLE, late):
        answer = push(client, "aliyun", body)
        assert answer.status_code == 200 and answer.json()["code"] == 0
    assert snapshot() == before


def test_unknown_ids_and_other_providers_ids_are_ignored(
    client, phone_chair, django_capture_on_commit_callbacks
):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    before = snapshot()
    unknown = [{**ALIYUN_EXAMPLE[0], "biz_id": "never-sent"}]
    assert push(client, "aliyun", unknown).status_code == 200
    # Tencent's report with Aliyun's id: not a text Tencent sent.
    assert push(client, "tencent", [{**TENCENT_EXAMPLE[0], "sid": "12345"}]).status_code == 200
    assert snapshot() == before


def test_a_delivery_on_another_channel_is_untouched(client, phone_chair, django_capture_on_commit_callbacks):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    email = Delivery.objects.get(key="dues-soon:1", channel=EMAIL)
    assert email.status == "sent"
    Delivery.objects.filter(pk=email.pk).update(provider="aliyun", provider_id="e-1")
    before = Delivery.objects.filter(pk=email.pk).values().get()
    assert push(client, "aliyun", [{**ALIYUN_EXAMPLE[0], "biz_id": "e-1"}]).status_code == 200
    assert Delivery.objects.filter(pk=email.pk).values().get() == before


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_a_wrong_token_is_not_found(client, phone_chair, django_capture_on_commit_callbacks, provider):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    before = snapshot()
    body = ALIYUN_EXAMPLE if provider == "aliyun" else TENCENT_EXAMPLE
    for token in ("wrong-token", TOKEN + "x", TOKEN[:-1], "令牌"):
        assert push(client, provider, body, token=token).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_without_the_setting_the_endpoints_are_not_found(
    client, settings, phone_chair, django_capture_on_commit_callbacks, provider
):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    settings.NOTIFY_RECEIPT_TOKEN = ""
    before = snapshot()
    body = ALIYUN_EXAMPLE if provider == "aliyun" else TENCENT_EXAMPLE
    for token in (TOKEN, "-", " "):
        assert push(client, provider, body, token=token).status_code == 404
    assert snapshot() == before


ALIYUN_REPORT = ALIYUN_EXAMPLE[0]
MALFORMED = [
    b"",
    b"not json",
    b"\xff\xfe\x00",
    b"[" * 100_000,
    b"1" * 5000,
    json.dumps({"biz_id": "12345", "success": True}).encode(),
    b"null",
    json.dumps([["12345"]]).encode(),
    json.dumps([{**ALIYUN_REPORT, "biz_id": ""}]).encode(),
    json.dumps([{k: v for k, v in ALIYUN_REPORT.items() if k != "biz_id"}]).encode(),
    json.dumps([{k: v for k, v in ALIYUN_REPORT.items() if k != "success"}]).encode(),
    json.dumps([{**ALIYUN_REPORT, "success": "true"}]).encode(),
    json.dumps([{**ALIYUN_REPORT, "err_msg": {"a": 1}}]).encode(),
    json.dumps([ALIYUN_REPORT, {**ALIYUN_REPORT, "biz_id": None}]).encode(),
]


@pytest.mark.parametrize("body", MALFORMED)
def test_a_malformed_aliyun_body_is_refused_and_changes_nothing(
    client, phone_chair, django_capture_on_commit_callbacks, body
):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    before = snapshot()
    answer = push(client, "aliyun", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == 1 and answer.json()["msg"]
    assert snapshot() == before


TENCENT_REPORT = TENCENT_EXAMPLE[0]


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        json.dumps(TENCENT_REPORT).encode(),
        json.dumps([{**TENCENT_REPORT, "report_status": "success"}]).encode(),
        json.dumps([{k: v for k, v in TENCENT_REPORT.items() if k != "sid"}]).encode(),
        json.dumps([{**TENCENT_REPORT, "sid": 1.5}]).encode(),
        json.dumps([TENCENT_REPORT, 7]).encode(),
    ],
)
def test_a_malformed_tencent_body_is_refused_and_changes_nothing(
    client, phone_chair, django_capture_on_commit_callbacks, body
):
    sent_text(phone_chair, django_capture_on_commit_callbacks, provider="tencent", provider_id="xxxxxxx")
    before = snapshot()
    answer = push(client, "tencent", body)
    assert answer.status_code == 400
    assert answer.json()["result"] == 1 and answer.json()["errmsg"]
    assert snapshot() == before


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_an_oversize_body_is_refused(client, phone_chair, django_capture_on_commit_callbacks, provider):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    before = snapshot()
    huge = json.dumps(ALIYUN_EXAMPLE * 50_000).encode()  # about 10 MB
    assert len(huge) > 10_000_000
    answer = push(client, provider, huge)
    assert answer.status_code == 413
    assert answer.json() == (
        {"code": 1, "msg": "请求体超过 256 KB。"}
        if provider == "aliyun"
        else {"result": 1, "errmsg": "请求体超过 256 KB。"}
    )
    assert snapshot() == before


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_only_post_is_allowed(client, provider):
    url = reverse(f"notify_receipt_{provider}", args=[TOKEN])
    assert client.get(url).status_code == 405
    assert client.put(url, json.dumps(ALIYUN_EXAMPLE), content_type="application/json").status_code == 405


def test_the_delivery_log_shows_the_delivered_time(
    client, phone_chair, staff, django_capture_on_commit_callbacks
):
    sent_text(phone_chair, django_capture_on_commit_callbacks)
    push(client, "aliyun", ALIYUN_EXAMPLE)
    client.force_login(staff)
    page = client.get(reverse("notice_deliveries"), {"channel": SMS}).content.decode()
    assert "送达时间" in page and "2017-01-01 00:00" in page


def test_a_report_time_that_is_not_a_time_falls_back_to_now(
    client, phone_chair, django_capture_on_commit_callbacks
):
    delivery = sent_text(phone_chair, django_capture_on_commit_callbacks)
    assert receipts.aliyun_receipts([{**ALIYUN_EXAMPLE[0], "report_time": "昨天"}])[0].at is None
    before = timezone.now()
    assert (
        push(client, "aliyun", [{**ALIYUN_EXAMPLE[0], "report_time": "2017-13-01 25:00:00"}]).status_code
        == 200
    )
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.delivered_at >= before
